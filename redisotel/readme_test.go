package redisotel

// This file checks that the README's redisotel snippets compile. They are
// fenced "```go redisotel" (the root module's README check, which
// compiles the "```go" ones without OpenTelemetry, leaves them out): each
// becomes the body of a function in a scratch module that uses this
// module, and `go vet` must pass on it.

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// readmeImports are the packages the snippets may use; the scratch file
// refers to each so that none is unused.
var readmeImports = map[string]string{
	"context": "_ = context.Background",
	"log":     "_ = log.Print",
	"github.com/redkit-go/redkit/redisclient": "_ = redisclient.Get",
	"github.com/redkit-go/redkit/redisotel":   "_ = redisotel.NewHook",
}

var otelBlock = regexp.MustCompile("(?s)```go redisotel\n(.*?)```")

func TestReadmeSnippetsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: compiling the README's snippets runs the go command")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command on PATH: %v", err)
	}
	here, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(here)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := otelBlock.FindAllSubmatch(readme, -1)
	if len(blocks) == 0 {
		t.Fatal("no ```go redisotel snippet in README.md")
	}
	var src bytes.Buffer
	src.WriteString("package snippets\n\nimport (\n")
	for path := range readmeImports {
		fmt.Fprintf(&src, "\t%q\n", path)
	}
	src.WriteString(")\n\nfunc init() {\n")
	for _, use := range readmeImports {
		src.WriteString("\t" + use + "\n")
	}
	src.WriteString("}\n")
	for i, b := range blocks {
		fmt.Fprintf(&src, "\n// snippet %d\nfunc snippet%d() {\n%s}\n", i+1, i+1, b[1])
	}
	dir := t.TempDir()
	goMod := fmt.Sprintf(`module snippets

go 1.26

require (
	github.com/redkit-go/redkit v0.0.0
	github.com/redkit-go/redkit/redisotel v0.0.0
)

replace (
	github.com/redkit-go/redkit => %s
	github.com/redkit-go/redkit/redisotel => %s
)
`, root, here)
	sum, err := os.ReadFile(filepath.Join(here, "go.sum"))
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
		t.Errorf("README redisotel snippets do not compile: %v\n%s\n\nThe scratch file:\n%s", err, out, src.String())
	}
}
