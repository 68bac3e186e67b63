package cli

// This file holds `redkit cli`: an interactive session with a server like
// redis-cli's, on one dedicated connection (so SELECT and MULTI work). Each
// line is split as redis-cli splits it, checked against the spec as
// `redkit do` checks its arguments, sent, and its reply printed by the same
// formatter. On a terminal, lines are read with the line editor (history,
// syntax hint); otherwise they are read as they come, so scripts and tests
// can pipe commands in.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/redkit-go/redkit/cmd/redkit/internal/lineedit"
	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/spec"
	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// historyMax bounds the history kept in memory and in the history file.
const historyMax = 1000

func newCliCommand() *cobra.Command {
	var f serverFlags
	var historyFile string
	cmd := &cobra.Command{
		Use:   "cli [flags]",
		Short: "An interactive session with a server, like redis-cli",
		Long: "cli reads commands line by line and prints each reply the way redis-cli does.\n" +
			"Lines split as in redis-cli (\"double quotes\" with \\n and \\xHH escapes,\n" +
			"'single quotes'); each is checked against redkit's command spec as in\n" +
			"\"redkit do\" (an error is printed and the session goes on). On a terminal the\n" +
			"rest of the command's syntax shows in grey while you type, Tab completes\n" +
			"command names, subcommands and option words, up and down walk\n" +
			"the history (kept in --history, never with lines carrying passwords), and\n" +
			"\"help <command>\" prints its syntax; \"quit\", \"exit\" or Ctrl-D leave. When\n" +
			"standard input is not a terminal, lines are read from it without prompt.",
		Example: "  redkit cli --url redis://localhost:6379/2\n" +
			"  printf 'SET k v\\nGET k\\n' | redkit cli",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SilenceUsage = true
			opts, err := f.options()
			if err != nil {
				return err
			}
			c, err := f.connect(cmd.Context(), opts)
			if err != nil {
				return err
			}
			defer c.Close()
			s, err := spec.Embedded()
			if err != nil {
				return fmt.Errorf("load the embedded command spec: %w", err)
			}
			x := &connExec{c: c, db: opts.DB, defaultDB: opts.DB}
			defer x.release()
			sess := &session{flags: &f, spec: s, out: cmd.OutOrStdout(), exec: x.do}
			in := cmd.InOrStdin()
			if file, ok := in.(*os.File); ok && term.IsTerminal(int(file.Fd())) {
				addr := opts.Addr
				if addr == "" {
					addr = redisclient.DefaultAddr
				}
				return sess.interactive(cmd.Context(), file, addr, x, historyFile)
			}
			return sess.piped(cmd.Context(), in)
		},
	}
	f.add(cmd, "bound on connecting and on each command")
	cmd.Flags().StringVar(&historyFile, "history", defaultHistoryFile(), "file keeping the history between sessions (empty: none)")
	return cmd
}

// defaultHistoryFile is $REDKIT_HISTFILE, else ~/.redkit_history.
func defaultHistoryFile() string {
	if f, ok := os.LookupEnv("REDKIT_HISTFILE"); ok {
		return f
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".redkit_history")
}

// session runs command lines and prints their outcome.
type session struct {
	flags *serverFlags
	spec  *spec.Spec
	out   io.Writer
	exec  func(ctx context.Context, args []string) (resp.Message, error)
}

// run handles one line: it returns the line's arguments and whether the
// session ends.
func (s *session) run(ctx context.Context, line string) (args []string, quit bool) {
	args, err := redisclient.SplitArgs(line)
	if err != nil {
		s.printError(err)
		return nil, false
	}
	if len(args) == 0 {
		return nil, false
	}
	switch strings.ToLower(args[0]) {
	case "quit", "exit":
		if len(args) == 1 {
			return args, true
		}
	case "help":
		fmt.Fprint(s.out, helpText(s.spec, args[1:]))
		return args, false
	}
	if err := unsupportedInCli(args); err != nil {
		s.printError(err)
		return args, false
	}
	if !s.flags.noCheck {
		if err := checkCommandLine(args); err != nil {
			s.printError(err)
			return args, false
		}
	}
	ctx, cancel := context.WithTimeout(ctx, s.flags.timeout)
	defer cancel()
	v, err := s.exec(ctx, args)
	if err := s.flags.printReply(s.out, v, err); err != nil {
		s.printError(err)
	}
	return args, false
}

// printError prints an error of redkit's own (not a server's reply) on
// the session's output, so that it shows in order with the replies.
func (s *session) printError(err error) {
	if s.flags.rawOutput {
		fmt.Fprintf(s.out, "%v\n", err)
		return
	}
	fmt.Fprintf(s.out, "(error) %v\n", err)
}

// piped reads lines from in until its end or quit.
func (s *session) piped(ctx context.Context, in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 512*1024*1024)
	for sc.Scan() {
		if _, quit := s.run(ctx, sc.Text()); quit {
			return nil
		}
	}
	return sc.Err()
}

// interactive reads lines with the line editor from the terminal tty
// until Ctrl-D or quit, with the prompt naming addr and the database.
func (s *session) interactive(ctx context.Context, tty *os.File, addr string, x *connExec, historyFile string) error {
	fd := int(tty.Fd())
	ed := lineedit.New(tty, s.out)
	ed.History = lineedit.NewHistory(historyMax)
	ed.Hint = func(line string) string { return hintFor(s.spec, line) }
	ed.Complete = func(line string) []string { return completeLine(s.spec, line) }
	if historyFile != "" {
		loadHistory(historyFile, ed.History)
	}
	for {
		ed.Prompt = addr
		if x.db != 0 {
			ed.Prompt += "[" + strconv.Itoa(x.db) + "]"
		}
		ed.Prompt += "> "
		if w, _, err := term.GetSize(fd); err == nil {
			ed.Width = w
		}
		line, err := readRaw(fd, ed)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		args, quit := s.run(ctx, line)
		if len(args) > 0 && !secretLine(args) && ed.History.Add(strings.TrimSpace(line)) {
			if historyFile != "" {
				if err := appendHistory(historyFile, strings.TrimSpace(line)); err != nil {
					fmt.Fprintf(s.out, "(warning) history not saved: %v\n", err)
					historyFile = ""
				}
			}
		}
		if quit {
			return nil
		}
	}
}

// readRaw reads one line with the terminal in raw mode, restored before
// the command runs and prints its reply.
func readRaw(fd int, ed *lineedit.Editor) (string, error) {
	old, err := term.MakeRaw(fd)
	if err != nil {
		return "", fmt.Errorf("terminal raw mode: %w", err)
	}
	defer term.Restore(fd, old)
	return ed.ReadLine()
}

// loadHistory adds the last lines of file to h (none when it is missing).
func loadHistory(file string, h *lineedit.History) {
	data, err := os.ReadFile(file)
	if err != nil {
		return
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > historyMax {
		lines = lines[len(lines)-historyMax:]
	}
	for _, l := range lines {
		h.Add(l)
	}
}

// appendHistory appends line to file, readable by its owner only.
func appendHistory(file, line string) error {
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(f, line)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// unsupportedInCli refuses the commands whose replies keep coming (or
// never come), which a line-by-line session cannot print.
func unsupportedInCli(args []string) error {
	name := strings.ToUpper(args[0])
	switch name {
	case "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "MONITOR", "SYNC", "PSYNC":
		return fmt.Errorf("redkit cli does not run %s (its replies keep coming); use redis-cli or the client's Subscriber and Monitor", name)
	case "CLIENT":
		if len(args) > 1 && strings.EqualFold(args[1], "REPLY") {
			return errors.New("redkit cli does not run CLIENT REPLY (every command waits for its reply)")
		}
	}
	return nil
}

// connExec runs commands on one dedicated connection, taken at the first
// command and again after a connection error, and follows SELECT.
type connExec struct {
	c         *redisclient.Client
	conn      *transport.Conn
	db        int // the database the connection is on
	defaultDB int // the database a new connection starts on
}

func (x *connExec) do(ctx context.Context, args []string) (resp.Message, error) {
	if x.conn == nil {
		conn, err := x.c.DedicatedConn(ctx, -1)
		if err != nil {
			return resp.Message{}, err
		}
		x.conn, x.db = conn, x.defaultDB
	}
	v, err := redisclient.RawStrings(args...).Do(ctx, x.conn)
	var re *resp.Error
	switch {
	case err != nil && !errors.As(err, &re):
		// The connection's state is unknown: a new one next time.
		x.conn.Close()
		x.conn, x.db = nil, x.defaultDB
	case err == nil && strings.EqualFold(args[0], "SELECT") && len(args) == 2:
		if db, err := strconv.Atoi(args[1]); err == nil {
			x.db = db
		}
	}
	return v, err
}

// release closes the connection (SELECT may have moved it off the
// client's database, so it does not go back to the pool).
func (x *connExec) release() {
	if x.conn != nil {
		x.conn.Close()
		x.conn = nil
	}
}
