package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redkit-go/redkit/spec"
)

// fixtures are the upstream package's hand-written test files.
var fixtures = []string{
	filepath.Join("..", "..", "..", "..", "spec", "upstream", "testdata", "source.json"),
	filepath.Join("..", "..", "..", "..", "spec", "upstream", "testdata", "module.json"),
	filepath.Join("..", "..", "..", "..", "spec", "upstream", "testdata", "published.json"),
}

// run executes redkit in-process with args and returns its output and
// error.
func run(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	root := NewRootCommand()
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err = root.Execute()
	return out.String(), errOut.String(), err
}

func TestSpecImport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "commands")
	out, _, err := run(t, append([]string{"spec", "import", "--out", dir}, fixtures...)...)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if want := "imported 25 commands in 11 groups from 3 sources into " + dir + "\n"; out != want {
		t.Errorf("output = %q, want %q", out, want)
	}
	s, err := spec.LoadDir(dir)
	if err != nil {
		t.Fatalf("LoadDir: %v", err)
	}
	if c := s.Lookup("CONFIG GET"); c == nil || c.Reply == nil || c.Container != "CONFIG" {
		t.Errorf("CONFIG GET = %+v", c)
	}

	// --check passes on the fresh output and writes nothing.
	out, _, err = run(t, append([]string{"spec", "import", "--check", "--out", dir}, fixtures...)...)
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	if want := dir + " is up to date: 25 commands in 11 groups\n"; out != want {
		t.Errorf("check output = %q, want %q", out, want)
	}

	// A changed, a missing and an extra file all fail the check.
	if err := os.WriteFile(filepath.Join(dir, "string.json"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "cf.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "old.json"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := run(t, append([]string{"spec", "import", "--check", "--out", dir}, fixtures...)...)
	if err == nil {
		t.Fatal("check passed on a changed directory")
	}
	if want := dir + " is out of date: 3 of its files differ from the import; run redkit spec import without --check"; err.Error() != want {
		t.Errorf("check error = %q, want %q", err, want)
	}
	wantLines := []string{
		filepath.Join(dir, "cf.json") + ": missing",
		filepath.Join(dir, "old.json") + ": not produced by the import",
		filepath.Join(dir, "string.json") + ": differs",
	}
	if got := strings.Split(strings.TrimSpace(stderr), "\n"); strings.Join(got, "\n") != strings.Join(wantLines, "\n") {
		t.Errorf("check report:\n%s\nwant:\n%s", stderr, strings.Join(wantLines, "\n"))
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "string.json")); string(b) != "{}\n" {
		t.Errorf("--check wrote string.json")
	}

	// Importing again repairs the directory and removes stale groups.
	if _, _, err := run(t, append([]string{"spec", "import", "--out", dir}, fixtures...)...); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "old.json")); !os.IsNotExist(err) {
		t.Errorf("old.json survived the import: %v", err)
	}
	if _, _, err := run(t, append([]string{"spec", "import", "--check", "--out", dir}, fixtures...)...); err != nil {
		t.Errorf("check after re-import: %v", err)
	}
}

func TestSpecImportOrder(t *testing.T) {
	// Later files win: with the module file last, its arguments replace
	// the published ones and no longer fit the published key specs.
	dir := t.TempDir()
	_, _, err := run(t, "spec", "import", "--out", dir, fixtures[2], fixtures[1])
	want := "merge: command BF.ADD: arguments[0].key_spec_index: missing for a key argument (arguments from module.json, 1 key specs from published.json)"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "*.json")); len(names) != 0 {
		t.Errorf("a failed import wrote %v", names)
	}
}

func TestSpecImportErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"SET": {"group": "string", "arguments": [{"name": "x", "type": "foo"}]}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		args      []string
		want      string
		wantUsage bool
	}{
		{"no files", []string{"spec", "import"}, "give at least one FILE, --from URL or --base DIR", true},
		{"unknown flag", []string{"spec", "import", "--colour", "red", fixtures[0]}, "unknown flag: --colour", true},
		{"missing file", []string{"spec", "import", "--out", dir, filepath.Join(dir, "missing.json")}, "open " + filepath.Join(dir, "missing.json") + ": no such file or directory", false},
		{"bad file", []string{"spec", "import", "--out", dir, bad}, `bad.json: command SET: arguments[0].type: unknown type "foo"`, false},
		{"spec takes no arguments", []string{"spec", "frobnicate"}, `unknown command "frobnicate" for "redkit spec"`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, err := run(t, tc.args...)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("error = %v, want %s", err, tc.want)
			}
			// cobra prints the usage to the output writer set by SetOut.
			if got := strings.Contains(stdout+stderr, "Usage:"); got != tc.wantUsage {
				t.Errorf("usage printed = %v, want %v; output:\n%s%s", got, tc.wantUsage, stdout, stderr)
			}
		})
	}
}

func TestRootHelp(t *testing.T) {
	out, _, err := run(t, "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"redkit", "spec"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
	out, _, err = run(t, "spec", "import", "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--out", "--check", `(default "spec/commands")`} {
		if !strings.Contains(out, want) {
			t.Errorf("import help lacks %q:\n%s", want, out)
		}
	}
}

// TestSpecImportServer records a source tree as Valkey's: every command
// then says on which servers it exists.
func TestSpecImportServer(t *testing.T) {
	tree := filepath.Join("..", "..", "..", "..", "spec", "upstream", "testdata", "tree")
	dir := filepath.Join(t.TempDir(), "commands")
	if _, _, err := run(t, append([]string{"spec", "import", "--out", dir, "--server", "valkey=" + tree}, fixtures...)...); err != nil {
		t.Fatalf("import: %v", err)
	}
	s, err := spec.LoadDir(dir)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	for _, c := range s.Commands {
		if c.Servers == nil {
			t.Errorf("%s: no servers", c.Name)
		}
	}
	for _, bad := range []string{"valkey", "keydb=" + tree} {
		if _, _, err := run(t, append([]string{"spec", "import", "--check", "--out", dir, "--server", bad}, fixtures...)...); err == nil {
			t.Errorf("--server %s: no error", bad)
		}
	}
}
