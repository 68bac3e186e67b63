package redisotel

// This file checks that the README's redisotel snippets compile. They are
// fenced "```go redisotel" (the root module's README check, which
// compiles the "```go" ones without OpenTelemetry, leaves them out): each
// becomes the body of a function in a scratch module that uses this
// module, and `go vet` must pass on it.

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/redkit-go/redkit/internal/readmecheck"
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
	here, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(here)
	readmecheck.Check(t, readmecheck.Snippets{
		README:  filepath.Join(root, "README.md"),
		Fence:   otelBlock,
		Imports: readmeImports,
		Modules: map[string]string{
			"github.com/redkit-go/redkit":           root,
			"github.com/redkit-go/redkit/redisotel": here,
		},
		GoSum: filepath.Join(here, "go.sum"),
	})
}
