package cli

// A test of the spec check over every command line the typed client's
// generated wire tests build (core and module packages): what redkit's own
// builders send must pass.

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/redkit-go/redkit/spec"
)

// wireLines returns the []string literals of the files matching the
// patterns whose first word, in upper case, names a command of s.
func wireLines(t *testing.T, s *spec.Spec, patterns ...string) [][]string {
	t.Helper()
	var files []string
	for _, p := range patterns {
		m, err := filepath.Glob(p)
		if err != nil || len(m) == 0 {
			t.Fatalf("no files match %s: %v", p, err)
		}
		files = append(files, m...)
	}
	var lines [][]string
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || len(lit.Elts) == 0 {
				return true
			}
			arr, ok := lit.Type.(*ast.ArrayType)
			if !ok || arr.Len != nil {
				return true
			}
			if id, ok := arr.Elt.(*ast.Ident); !ok || id.Name != "string" {
				return true
			}
			var words []string
			for _, e := range lit.Elts {
				b, ok := e.(*ast.BasicLit)
				if !ok || b.Kind != token.STRING {
					return true
				}
				w, err := strconv.Unquote(b.Value)
				if err != nil {
					return true
				}
				words = append(words, w)
			}
			name := strings.ToUpper(words[0])
			if words[0] == name && (s.Lookup(name) != nil || s.IsContainer(name)) {
				lines = append(lines, words)
			}
			return true
		})
	}
	return lines
}

func TestSpecCheckAcceptsTheClientsWireLines(t *testing.T) {
	s, err := spec.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	lines := wireLines(t, s, "../../../../redisclient/*_gen_test.go", "../../../../redisclient/*/*_gen_test.go")
	if len(lines) < 1000 {
		t.Fatalf("only %d command lines found in the wire tests", len(lines))
	}
	// Lines the wire tests build from builders without their required
	// parts, which servers refuse too.
	invalid := map[string]bool{
		"SENTINEL CONFIG": true, // SentinelConfig() without .Set or .Get
		"DEBUG":           true, // the bare builder of a subcommand-taking command
	}
	for _, args := range lines {
		if invalid[strings.Join(args, " ")] {
			if err := checkCommandLine(args); err == nil {
				t.Errorf("%q passed the check", args)
			}
			continue
		}
		if err := checkCommandLine(args); err != nil {
			t.Errorf("%q: %v", args, err)
		}
	}
	t.Logf("%d command lines checked", len(lines))
}
