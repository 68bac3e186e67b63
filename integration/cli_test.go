package integration

// Tests of the redkit command against a real server: importing a live
// server's command table, generating from it, and the do and demo commands.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

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
	} {
		msg, err := runRedkit(t, append([]string{"do", "--url", url}, tc.args...)...)
		if err == nil || !strings.Contains(msg, tc.want) || strings.Contains(msg, "Usage:") {
			t.Errorf("do %q: %v\n%s", tc.args, err, msg)
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
