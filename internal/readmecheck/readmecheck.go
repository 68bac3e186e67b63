// Package readmecheck compiles the Go snippets of the README, for the
// README checks of this repository's modules (redisclient's and
// redisotel's): each snippet becomes the body of a function in a scratch
// module that uses the repository, and `go vet` must pass on it.
package readmecheck

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Snippets says which snippets to compile and with what around them.
type Snippets struct {
	// README is the path of the README.
	README string
	// Fence matches a snippet; its first group is the snippet's code.
	Fence *regexp.Regexp
	// Imports are the packages snippets may use, each with a statement
	// that uses it, so that none is unused.
	Imports map[string]string
	// Decls are package-level declarations snippets may use (ctx, c).
	Decls string
	// Modules are the modules the scratch module requires, by path, with
	// the directory each is replaced by.
	Modules map[string]string
	// GoSum is the go.sum to give the scratch module.
	GoSum string
}

// Check compiles the snippets s selects and fails t when there are none or
// when they do not compile. It skips under -short and without a go command.
func Check(t testing.TB, s Snippets) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: compiling the README's snippets runs the go command")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command on PATH: %v", err)
	}
	readme, err := os.ReadFile(s.README)
	if err != nil {
		t.Fatal(err)
	}
	blocks := s.Fence.FindAllSubmatch(readme, -1)
	if len(blocks) == 0 {
		t.Fatalf("no snippet matching %s in %s", s.Fence, s.README)
	}
	var src bytes.Buffer
	src.WriteString("package snippets\n\nimport (\n")
	for path := range s.Imports {
		fmt.Fprintf(&src, "\t%q\n", path)
	}
	src.WriteString(")\n\n" + s.Decls + "\nfunc init() {\n")
	for _, use := range s.Imports {
		src.WriteString("\t" + use + "\n")
	}
	src.WriteString("}\n")
	for i, b := range blocks {
		fmt.Fprintf(&src, "\n// snippet %d\nfunc snippet%d() {\n%s}\n", i+1, i+1, b[1])
	}
	var goMod strings.Builder
	goMod.WriteString("module snippets\n\ngo 1.26\n")
	for path, dir := range s.Modules {
		fmt.Fprintf(&goMod, "\nrequire %s v0.0.0\n\nreplace %s => %s\n", path, path, dir)
	}
	sum, err := os.ReadFile(s.GoSum)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, data := range map[string][]byte{"go.mod": []byte(goMod.String()), "go.sum": sum, "snippets.go": src.Bytes()} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(goTool, "vet", "-mod=mod", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("README snippets (%s) do not compile: %v\n%s\n\nThe scratch file, snippet by snippet:\n%s", s.Fence, err, out, numbered(src.String()))
	}
}

// numbered prefixes lines with their numbers, for reading vet's positions.
func numbered(s string) string {
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = fmt.Sprintf("%4d  %s", i+1, lines[i])
	}
	return strings.Join(lines, "\n")
}
