package redisclient_test

// This file checks that every Go snippet of the README compiles: each
// becomes the body of a function in a scratch module that uses this
// repository, and `go vet` must pass on it. Snippets can use ctx (a
// context.Context), c (a *redisclient.Client) and t (a *testing.T, for
// redistest), declared at package level; every variable a snippet declares
// must be used, as in real code. Snippets of another module are fenced
// with its name ("```go redisotel") and left to that module's own check
// (redisotel/readme_test.go).

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

// readmeImports are the packages snippets may use; the scratch file
// refers to each so that none is unused.
var readmeImports = map[string]string{
	"context":                             "_ = context.Background",
	"errors":                              "_ = errors.New",
	"fmt":                                 "_ = fmt.Sprint",
	"log":                                 "_ = log.Print",
	"time":                                "_ = time.Second",
	"github.com/redkit-go/redkit/cluster": "_ = cluster.ReadReplica",
	"github.com/redkit-go/redkit/redisclient":        "_ = redisclient.Get",
	"github.com/redkit-go/redkit/transport":          "_ = transport.ErrClosed",
	"github.com/redkit-go/redkit/redisclient/search": "_ = search.Search",
	"github.com/redkit-go/redkit/redisclient/json":   "_ = json.Get",
	"github.com/redkit-go/redkit/recipes/ratelimit":  "_ = ratelimit.New",
	"github.com/redkit-go/redkit/recipes/lock":       "_ = lock.New",
	"github.com/redkit-go/redkit/recipes/cacheaside": "_ = cacheaside.New",
	"github.com/redkit-go/redkit/redistest":          "_ = redistest.Start",
	"testing":                                        "_ = testing.Short",
}

var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

func TestReadmeSnippetsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: compiling the README's snippets runs the go command")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command on PATH: %v", err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := goBlock.FindAllSubmatch(readme, -1)
	if len(blocks) == 0 {
		t.Fatal("no Go snippet in README.md")
	}
	var src bytes.Buffer
	src.WriteString("package snippets\n\nimport (\n")
	for path := range readmeImports {
		fmt.Fprintf(&src, "\t%q\n", path)
	}
	src.WriteString(")\n\nvar (\n\tctx = context.Background()\n\tc   *redisclient.Client\n\tt   *testing.T\n)\n\nfunc init() {\n")
	for _, use := range readmeImports {
		src.WriteString("\t" + use + "\n")
	}
	src.WriteString("}\n")
	for i, b := range blocks {
		fmt.Fprintf(&src, "\n// snippet %d\nfunc snippet%d() {\n%s}\n", i+1, i+1, b[1])
	}
	dir := t.TempDir()
	goMod := fmt.Sprintf("module snippets\n\ngo 1.26\n\nrequire github.com/redkit-go/redkit v0.0.0\n\nreplace github.com/redkit-go/redkit => %s\n", root)
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"go.mod": []byte(goMod), "go.sum": sum, "snippets.go": src.Bytes()} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(goTool, "vet", "-mod=mod", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("README snippets do not compile: %v\n%s\n\nThe scratch file, snippet by snippet:\n%s", err, out, numbered(src.String()))
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
