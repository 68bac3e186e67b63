package cli

// This file holds `redkit do`: run one command against a server and print
// its reply like redis-cli, through the typed client's raw escape hatch.
// The command and its arguments are taken verbatim (flags go before the
// command name), checked against the embedded spec before sending, and
// completed from the spec in shells.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/redkit-go/redkit/gen"
	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/spec"
	"github.com/redkit-go/redkit/transport/resp"
)

func newDoCommand() *cobra.Command {
	var url string
	var timeout time.Duration
	var protocol int
	var rawOutput, noCheck bool
	cmd := &cobra.Command{
		Use:   "do [flags] COMMAND [ARG...]",
		Short: "Run one command against a server and print its reply like redis-cli",
		Long: "do sends one command and prints the reply the way redis-cli does.\n" +
			"Flags go before the command name; everything from the command name on is\n" +
			"sent verbatim, so negative numbers and words starting with '-' need no\n" +
			"quoting (a leading \"--\" is accepted too). The command's name and argument\n" +
			"count are checked against redkit's command spec first; --no-check skips\n" +
			"that for commands the spec does not know (such as a module's).",
		Example: "  redkit do --url redis://localhost:6379 SET greeting hello\n" +
			"  redkit do ZRANGE scores 0 -1 WITHSCORES\n" +
			"  redkit do --resp 2 --raw HGETALL user:1",
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: completeCommandLine,
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true
			if !noCheck {
				if err := checkCommandLine(args); err != nil {
					return err
				}
			}
			opts, err := redisclient.ParseURL(url)
			if err != nil {
				return err
			}
			if protocol != 2 && protocol != 3 {
				return fmt.Errorf("--resp %d: want 2 or 3", protocol)
			}
			opts.Protocol = protocol
			opts.OfflineQueueLimit = -1 // report an unreachable server at once
			c, err := redisclient.New(opts)
			if err != nil {
				return err
			}
			defer c.Close()
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			if err := waitReady(ctx, c); err != nil {
				return err
			}
			v, err := redisclient.RawStrings(args...).Do(ctx, c)
			var re *resp.Error
			switch {
			case errors.As(err, &re) && rawOutput:
				fmt.Fprint(cmd.OutOrStdout(), formatRawError(re.Text))
			case errors.As(err, &re):
				fmt.Fprint(cmd.OutOrStdout(), formatErrorReply(re.Text))
			case err != nil:
				return err
			case rawOutput:
				fmt.Fprint(cmd.OutOrStdout(), formatRaw(v))
			default:
				fmt.Fprint(cmd.OutOrStdout(), formatReply(v))
			}
			return nil
		},
	}
	// Flags end at the command name: the rest is the Redis command line.
	cmd.Flags().SetInterspersed(false)
	cmd.Flags().StringVar(&url, "url", "redis://localhost:6379/0", "server URL (redis://, rediss:// or unix://)")
	cmd.Flags().DurationVar(&timeout, "timeout", 10*time.Second, "bound on connecting and running the command")
	cmd.Flags().IntVar(&protocol, "resp", 3, "protocol: 2 (RESP2) or 3 (RESP3; RESP2 when the server lacks it)")
	cmd.Flags().BoolVar(&rawOutput, "raw", false, "print bare values one per line, like redis-cli --raw")
	cmd.Flags().BoolVar(&noCheck, "no-check", false, "send commands the spec does not know, without checking their arguments")
	return cmd
}

// lookupCommandLine finds the spec command that args name: a container's
// subcommand ("CONFIG GET") when args[0] is a container, else args[0].
// words is how many of args the name takes.
func lookupCommandLine(s *spec.Spec, args []string) (c *spec.Command, words int, err error) {
	name := strings.ToUpper(args[0])
	if s.IsContainer(name) {
		if len(args) < 2 {
			return nil, 1, fmt.Errorf("%s needs a subcommand (redkit do %s HELP lists them)", name, name)
		}
		full := name + " " + strings.ToUpper(args[1])
		if c := s.Lookup(full); c != nil {
			return c, 2, nil
		}
		return nil, 2, fmt.Errorf("unknown subcommand %q of %s (--no-check sends it anyway)", args[1], name)
	}
	if c := s.Lookup(name); c != nil {
		return c, 1, nil
	}
	return nil, 1, fmt.Errorf("unknown command %q (--no-check sends it anyway)", args[0])
}

// checkCommandLine checks args against the embedded spec: a known command
// with as many arguments as its arity allows, and no unknown option token
// (see checkTokens).
func checkCommandLine(args []string) error {
	s, err := spec.Embedded()
	if err != nil {
		return fmt.Errorf("load the embedded command spec: %w", err)
	}
	c, words, err := lookupCommandLine(s, args)
	if err != nil {
		return err
	}
	n := len(args)
	switch {
	case c.Arity >= 0 && n != c.Arity:
		return fmt.Errorf("wrong number of arguments for %s: %d given, it takes exactly %d (counting the command name)\nsyntax: %s",
			c.Name, n, c.Arity, gen.SyntaxLine(c))
	case c.Arity < 0 && n < -c.Arity:
		return fmt.Errorf("wrong number of arguments for %s: %d given, it takes at least %d (counting the command name)\nsyntax: %s",
			c.Name, n, -c.Arity, gen.SyntaxLine(c))
	}
	return checkTokens(c, words, args)
}

// completeCommandLine completes do's command line from the spec: command
// names first, then a container's subcommands, then the option tokens of
// the command's argument tree.
func completeCommandLine(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	s, err := spec.Embedded()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	prefix := strings.ToUpper(toComplete)
	var out []string
	add := func(word string) {
		if strings.HasPrefix(word, prefix) {
			out = append(out, word)
		}
	}
	switch {
	case len(args) == 0:
		for _, c := range s.Commands {
			if c.Container == "" {
				add(c.Name)
			}
		}
	case len(args) == 1 && s.IsContainer(strings.ToUpper(args[0])):
		container := strings.ToUpper(args[0])
		for _, c := range s.Commands {
			if c.Container == container {
				add(strings.TrimPrefix(c.Name, container+" "))
			}
		}
	default:
		c, _, err := lookupCommandLine(s, args)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		seen := map[string]bool{}
		var walk func([]*spec.Argument)
		walk = func(as []*spec.Argument) {
			for _, a := range as {
				if a.Token != "" && !seen[a.Token] {
					seen[a.Token] = true
					add(a.Token)
				}
				walk(a.Arguments)
			}
		}
		walk(c.Arguments)
	}
	sort.Strings(out)
	return out, cobra.ShellCompDirectiveNoFileComp
}
