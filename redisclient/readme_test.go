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
	"path/filepath"
	"regexp"
	"testing"

	"github.com/redkit-go/redkit/internal/readmecheck"
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
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	readmecheck.Check(t, readmecheck.Snippets{
		README:  filepath.Join(root, "README.md"),
		Fence:   goBlock,
		Imports: readmeImports,
		Decls:   "var (\n\tctx = context.Background()\n\tc   *redisclient.Client\n\tt   *testing.T\n)\n",
		Modules: map[string]string{"github.com/redkit-go/redkit": root},
		GoSum:   filepath.Join(root, "go.sum"),
	})
}
