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
	if msg, err := runRedkit(t, "do", "--url", url, "SET", k, "hello"); err != nil || strings.TrimSpace(msg) != `"OK"` {
		t.Errorf("do SET: %v %q", err, msg)
	}
	if msg, err := runRedkit(t, "do", "--url", url, "GET", k); err != nil || strings.TrimSpace(msg) != `"hello"` {
		t.Errorf("do GET: %v %q", err, msg)
	}
	if msg, err := runRedkit(t, "do", "--url", url, "GET"); err == nil || !strings.Contains(msg, "wrong number of arguments") {
		t.Errorf("do GET without a key: %v %q", err, msg)
	}
	if msg, err := runRedkit(t, "do", "--url", url); err == nil || !strings.Contains(msg, "requires at least 1 arg") {
		t.Errorf("do without a command: %v %q", err, msg)
	}
	if msg, err := runRedkit(t, "do", "--url", "redis//nope", "PING"); err == nil || !strings.Contains(msg, "missing scheme") {
		t.Errorf("do with a malformed URL: %v %q", err, msg)
	}
}

func TestDemoCommand(t *testing.T) {
	s := sharedServer(t)
	msg, err := runRedkit(t, "demo", "--url", "redis://"+s.Addr+"/5")
	if err != nil || !strings.Contains(msg, "done: every demo:* key was deleted") {
		t.Errorf("demo: %v\n%s", err, msg)
	}
}
