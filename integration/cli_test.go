package integration

// Tests of the redkit command against a real server: importing a live
// server's command table, generating from it, and the do, cli and demo
// commands.

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redkit-go/redkit/gen"
	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/spec"
)

var (
	redkitOnce sync.Once
	redkitBin  string
	redkitErr  error
)

// redkitBinary builds cmd/redkit once per test run.
func redkitBinary(t *testing.T) string {
	t.Helper()
	redkitOnce.Do(func() {
		dir, err := os.MkdirTemp("", "redkit-bin-")
		if err != nil {
			redkitErr = err
			return
		}
		redkitBin = filepath.Join(dir, "redkit")
		out, err := exec.Command("go", "build", "-o", redkitBin, "../cmd/redkit").CombinedOutput()
		if err != nil {
			redkitErr = err
			redkitBin = string(out)
		}
	})
	if redkitErr != nil {
		t.Fatalf("build cmd/redkit: %v\n%s", redkitErr, redkitBin)
	}
	return redkitBin
}

func runRedkit(t *testing.T, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command(redkitBinary(t), args...).CombinedOutput()
	return string(out), err
}

// TestSpecImportFromLiveServer imports the shared server's COMMAND DOCS and
// COMMAND INFO over the repository's spec, and generates from the result.
func TestSpecImportFromLiveServer(t *testing.T) {
	s := sharedServer(t)
	out := t.TempDir()
	msg, err := runRedkit(t, "spec", "import", "--out", out, "--base", "../spec/commands", "--from", "redis://"+s.Addr)
	if err != nil {
		t.Fatalf("spec import --from: %v\n%s", err, msg)
	}
	got, err := spec.LoadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	// Every command the server reports is in the result, with the server's
	// facts, and the reply schemas of the base are kept.
	c := NewClient(t, s.Options(3))
	ctx := testCtx(t)
	count, err := redisclient.CommandCount().Do(ctx, c)
	must(t, err, "COMMAND COUNT")
	live := 0
	for _, cmd := range got.Commands {
		for _, src := range cmd.Sources {
			if strings.HasPrefix(src, "redis://") && cmd.Container == "" {
				live++
			}
		}
	}
	if int64(live) != count {
		t.Errorf("%d top-level commands come from the server, COMMAND COUNT says %d", live, count)
	}
	get := got.Lookup("GET")
	if get == nil || get.Arity != 2 || !get.HasFlag(spec.FlagReadOnly) || len(get.KeySpecs) != 1 || get.Reply == nil {
		t.Errorf("GET after a live import: %+v", get)
	}
	// The server (7.0) knows nothing of 8.x commands; they stay from the
	// base, unchanged.
	if hs := got.Lookup("HSETEX"); hs == nil || hs.Reply != nil && len(hs.Sources) == 0 {
		t.Errorf("HSETEX lost: %+v", hs)
	}
	files, _, err := gen.RenderWith(got, gen.Options{GenericFallback: true})
	if err != nil {
		t.Fatalf("generate from the live import: %v", err)
	}
	if len(files["string_gen.go"]) == 0 {
		t.Errorf("no string_gen.go among %d files", len(files))
	}
}

func TestSpecImportFromUnreachableServer(t *testing.T) {
	msg, err := runRedkit(t, "spec", "import", "--out", t.TempDir(), "--from", "redis://127.0.0.1:1")
	if err == nil || !strings.Contains(msg, "connection refused") {
		t.Errorf("import from a closed port: %v\n%s", err, msg)
	}
}

func TestDoCommand(t *testing.T) {
	s := sharedServer(t)
	url := "redis://" + s.Addr
	k := key(t, "do")
	z := key(t, "do-z")
	h := key(t, "do-h")
	n := key(t, "do-n")
	binary := "v\n1\x01\xff\"\\"
	// Each case runs redkit do with the arguments and wants exactly this
	// output (what redis-cli prints for the same reply) and a zero exit.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"SET", k, "hello"}, "OK\n"},
		{[]string{"GET", k}, "\"hello\"\n"},
		{[]string{"--", "GET", k}, "\"hello\"\n"},
		{[]string{"GET", k + ":missing"}, "(nil)\n"},
		{[]string{"INCRBY", n, "-5"}, "(integer) -5\n"},
		{[]string{"ZADD", z, "1", "a", "2.5", "b", "-3", "-c"}, "(integer) 3\n"},
		{[]string{"ZRANGE", z, "0", "-1", "WITHSCORES"}, "1) 1) \"-c\"\n   2) (double) -3\n2) 1) \"a\"\n   2) (double) 1\n3) 1) \"b\"\n   2) (double) 2.5\n"},
		{[]string{"--resp", "2", "ZRANGE", z, "-2", "-1", "WITHSCORES"}, "1) \"a\"\n2) \"1\"\n3) \"b\"\n4) \"2.5\"\n"},
		{[]string{"--raw", "ZRANGE", z, "-1", "-1"}, "b\n"},
		{[]string{"ZRANGE", z, "5", "-1"}, "(empty array)\n"},
		{[]string{"ZSCORE", z, "-c"}, "(double) -3\n"},
		{[]string{"--resp", "2", "ZSCORE", z, "-c"}, "\"-3\"\n"},
		{[]string{"HSET", h, "f", binary}, "(integer) 1\n"},
		{[]string{"HGETALL", h}, "1# \"f\" => \"v\\n1\\x01\\xff\\\"\\\\\"\n"},
		{[]string{"--resp", "2", "HGETALL", h}, "1) \"f\"\n2) \"v\\n1\\x01\\xff\\\"\\\\\"\n"},
		{[]string{"--raw", "HGET", h, "f"}, binary + "\n"},
		{[]string{"INCR", h}, "(error) WRONGTYPE Operation against a key holding the wrong kind of value\n"},
		{[]string{"--raw", "INCR", h}, "WRONGTYPE Operation against a key holding the wrong kind of value\n\n"},
	} {
		msg, err := runRedkit(t, append([]string{"do", "--url", url}, tc.args...)...)
		if err != nil || msg != tc.want {
			t.Errorf("do %q: %v\n got %q\nwant %q", tc.args, err, msg, tc.want)
		}
	}
	// Command lines the spec rejects never reach the server.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"GET"}, "wrong number of arguments for GET: 1 given, it takes exactly 2 (counting the command name)\nsyntax: GET key\n"},
		{[]string{"ZRANGE", z, "0"}, "wrong number of arguments for ZRANGE: 3 given, it takes at least 4"},
		{[]string{"NOSUCHCOMMAND", "-1"}, `unknown command "NOSUCHCOMMAND"`},
		{[]string{"SET", k, "v", "EXX", "10"}, "unknown option \"EXX\" for SET at argument 4 (counting the command name as 1); expected one of NX, XX, IFEQ, IFNE, IFDEQ, IFDNE, GET, EX, PX, EXAT, PXAT, KEEPTTL\n" +
			"syntax: SET key value [NX | XX | IFEQ ifeq-value | IFNE ifne-value | IFDEQ ifdeq-digest | IFDNE ifdne-digest] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]\n"},
		{[]string{"ZRANGE", z, "0", "-1", "WITHSCORE"}, `unknown option "WITHSCORE" for ZRANGE at argument 5`},
	} {
		msg, err := runRedkit(t, append([]string{"do", "--url", url}, tc.args...)...)
		if err == nil || !strings.Contains(msg, tc.want) || strings.Contains(msg, "Usage:") {
			t.Errorf("do %q: %v\n%s", tc.args, err, msg)
		}
	}
	// The unknown option never reached the server: k still holds "hello".
	if msg, err := runRedkit(t, "do", "--url", url, "GET", k); err != nil || msg != "\"hello\"\n" {
		t.Errorf("GET after the rejected SET: %v %q", err, msg)
	}
	// Options in another order than the syntax line's, repeated, or with
	// values equal to tokens pass the check.
	for _, args := range [][]string{
		{"SET", k, "NX", "GET", "NX"},
		{"SET", k, "hello", "EX", "100", "XX"},
		{"ZADD", z, "CH", "NX", "7", "WITHSCORES"},
		{"ZRANGE", z, "+inf", "-inf", "BYSCORE", "WITHSCORES", "REV", "LIMIT", "0", "1"},
	} {
		if msg, err := runRedkit(t, append([]string{"do", "--url", url}, args...)...); err != nil || strings.HasPrefix(msg, "(error)") {
			t.Errorf("do %q: %v %q", args, err, msg)
		}
	}
	if msg, err := runRedkit(t, "do", "--url", url); err == nil || !strings.Contains(msg, "requires at least 1 arg") {
		t.Errorf("do without a command: %v %q", err, msg)
	}
	if msg, err := runRedkit(t, "do", "--url", "redis//nope", "PING"); err == nil || !strings.Contains(msg, "missing scheme") {
		t.Errorf("do with a malformed URL: %v %q", err, msg)
	}
}

// TestDoCompletion runs the binary's completion for a command prefix.
func TestDoCompletion(t *testing.T) {
	msg, err := runRedkit(t, "__complete", "do", "ZRAN")
	if err != nil || !strings.HasPrefix(msg, "ZRANDMEMBER\nZRANGE\nZRANGEBYLEX\nZRANGEBYSCORE\nZRANGESTORE\nZRANK\n:4\n") {
		t.Errorf("__complete do ZRAN: %v\n%s", err, msg)
	}
}

func TestDemoCommand(t *testing.T) {
	s := sharedServer(t)
	msg, err := runRedkit(t, "demo", "--url", "redis://"+s.Addr+"/5")
	if err != nil || !strings.Contains(msg, "done: every demo:* key was deleted") {
		t.Errorf("demo: %v\n%s", err, msg)
	}
}

// runRedkitStdin runs the binary with stdin as its standard input.
func runRedkitStdin(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(redkitBinary(t), args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// TestCliPiped pipes command lines into redkit cli: each reply printed as
// redis-cli prints it, errors of the spec check printed and the session
// going on, quit ending it.
func TestCliPiped(t *testing.T) {
	s := sharedServer(t)
	url := "redis://" + s.Addr
	k := key(t, "n")
	h := key(t, "h")
	z := key(t, "z")
	in := "SET " + k + " -5\n" +
		"INCRBY " + k + " -3\n" +
		"\n" +
		"  get   " + k + "  \n" +
		"HSET " + h + ` f "v\n1\x01\xff\"\\" g 'it\'s'` + "\n" +
		"HGET " + h + " f\n" +
		"HGET " + h + " g\n" +
		"ZADD " + z + " 1 a -2 -b\n" +
		"ZRANGE " + z + " 0 -1 WITHSCORES\n" +
		"GET\n" +
		"SET " + k + " v EXX 10\n" +
		"SET " + k + " \"unbalanced\n" +
		"NOSUCH -1\n" +
		"INCR " + h + "\n" +
		"SELECT 1\n" +
		"GET " + k + "\n" +
		"help incrby\n" +
		"quit\n" +
		"SET " + k + " after-quit\n"
	want := "OK\n" +
		"(integer) -8\n" +
		"\"-8\"\n" +
		"(integer) 2\n" +
		"\"v\\n1\\x01\\xff\\\"\\\\\"\n" +
		"\"it's\"\n" +
		"(integer) 2\n" +
		"1) 1) \"-b\"\n   2) (double) -2\n2) 1) \"a\"\n   2) (double) 1\n" +
		"(error) wrong number of arguments for GET: 1 given, it takes exactly 2 (counting the command name)\nsyntax: GET key\n" +
		"(error) unknown option \"EXX\" for SET at argument 4 (counting the command name as 1); expected one of NX, XX, IFEQ, IFNE, IFDEQ, IFDNE, GET, EX, PX, EXAT, PXAT, KEEPTTL\n" +
		"syntax: SET key value [NX | XX | IFEQ ifeq-value | IFNE ifne-value | IFDEQ ifdeq-digest | IFDNE ifdne-digest] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]\n" +
		"(error) Invalid argument(s): unbalanced quotes\n" +
		"(error) unknown command \"NOSUCH\" (--no-check sends it anyway)\n" +
		"(error) WRONGTYPE Operation against a key holding the wrong kind of value\n" +
		"OK\n" +
		"(nil)\n" +
		"  INCRBY key increment\n  since: 1.0.0\n  group: string\n"
	msg, err := runRedkitStdin(t, in, "cli", "--url", url)
	if err != nil || msg != want {
		t.Fatalf("cli: %v\n got %q\nwant %q", err, msg, want)
	}
	// Nothing after quit ran, and the SELECT stayed on the session's
	// connection: k in database 0 still holds -8.
	c := NewClient(t, s.Options(3))
	got, err := redisclient.Get(k).Do(testCtx(t), c)
	if err != nil || got.Value != "-8" || !got.Valid {
		t.Errorf("GET %s after the session: %+v, %v", k, got, err)
	}
	// --resp 2 and --raw print as do prints them.
	msg, err = runRedkitStdin(t, "ZRANGE "+z+" 0 -1 WITHSCORES\nHGET "+h+" g\n", "cli", "--url", url, "--resp", "2", "--raw")
	if want := "-b\n-2\na\n1\nit's\n"; err != nil || msg != want {
		t.Errorf("cli --resp 2 --raw: %v\n got %q\nwant %q", err, msg, want)
	}
	// The end of the input ends the session without quit.
	if msg, err := runRedkitStdin(t, "PING", "cli", "--url", url); err != nil || msg != "PONG\n" {
		t.Errorf("cli PING without a newline: %v %q", err, msg)
	}
	if msg, err := runRedkitStdin(t, "PING\n", "cli", "--url", "redis://127.0.0.1:1", "--timeout", "2s"); err == nil || !strings.Contains(msg, "connection refused") {
		t.Errorf("cli against a closed port: %v %q", err, msg)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer goroutine and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestCliTerminal runs redkit cli on a pseudo-terminal (through script
// from util-linux), types keys and reads what it draws: the syntax hint in
// grey, a reply, the history on the up arrow, Ctrl-C, Tab's completion,
// and the history file without the AUTH line.
func TestCliTerminal(t *testing.T) {
	scriptBin, err := exec.LookPath("script")
	if err != nil {
		t.Skipf("no script command (util-linux) to run redkit cli on a pseudo-terminal: %v", err)
	}
	s := sharedServer(t)
	z := key(t, "z")
	hist := filepath.Join(t.TempDir(), "history")
	cmd := exec.Command(scriptBin, "-qfec", redkitBinary(t)+" cli --url redis://"+s.Addr+"/3 --history "+hist, "/dev/null")
	stdin, err := cmd.StdinPipe()
	must(t, err, "stdin pipe")
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	must(t, cmd.Start(), "start script")
	defer cmd.Process.Kill()
	from := 0
	// wait waits until the output after what the last wait saw contains want.
	wait := func(want string) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for time.Now().Before(deadline) {
			o := out.String()
			if i := strings.Index(o[from:], want); i >= 0 {
				from += i + len(want)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("waited for %q; the terminal shows:\n%q", want, out.String()[from:])
	}
	typeKeys := func(keys string) {
		t.Helper()
		if _, err := io.WriteString(stdin, keys); err != nil {
			t.Fatalf("type %q: %v", keys, err)
		}
	}
	prompt := s.Addr + "[3]> "
	wait(prompt + "\x1b[0K")
	typeKeys("zadd ")
	wait(prompt + "zadd \x1b[90mkey [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]\x1b[0m\x1b[0K")
	typeKeys(z + " 1 m\r")
	wait("\n(integer) 1\r\n")
	typeKeys("auth nopass\r")
	wait("(error) ")
	typeKeys("\x1b[A") // the AUTH line is not in the history
	wait(prompt + "zadd " + z + " 1 m\x1b[90m [score member ...]\x1b[0m\x1b[0K")
	typeKeys("\x03")
	wait("^C\r\n")
	typeKeys("zrangeb\t") // Tab: what the choices begin with, then the list
	wait(prompt + "ZRANGEBY\x1b[0K")
	typeKeys("\t")
	wait("\r\nZRANGEBYLEX  ZRANGEBYSCORE\r\n")
	typeKeys("s\t")
	wait(prompt + "ZRANGEBYSCORE \x1b[90mkey min max")
	typeKeys("\x03")
	wait("^C\r\n")
	typeKeys("\x04")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("redkit cli after Ctrl-D: %v\n%q", err, out.String())
	}
	data, err := os.ReadFile(hist)
	must(t, err, "read the history file")
	if got, want := string(data), "zadd "+z+" 1 m\n"; got != want {
		t.Errorf("history file %q, want %q", got, want)
	}
}
