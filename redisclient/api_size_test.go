package redisclient

// This file reports how large the API of redisclient and of each module
// package is: the exported types a reader of the documentation meets.

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
)

// exportedTypes counts the exported type declarations of the package in
// dir (test files aside).
func exportedTypes(t *testing.T, dir string) int {
	t.Helper()
	pkgs, err := parser.ParseDir(token.NewFileSet(), dir, func(fi os.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range pkgs {
		for _, f := range p.Files {
			for _, d := range f.Decls {
				if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
					for _, s := range g.Specs {
						if s.(*ast.TypeSpec).Name.IsExported() {
							n++
						}
					}
				}
			}
		}
	}
	return n
}

// TestExportedTypeCount prints the exported type count of redisclient and
// of each module package, and checks that each stays below a bound.
// redisclient held 1,640 exported types, 716 of them the modules', before
// the module commands moved to packages of their own and chains' last
// states became the runtime's generic Cmd: its bound is what it had
// without the modules, run-time options structs included.
func TestExportedTypeCount(t *testing.T) {
	bounds := map[string]int{".": 1640 - 716, "search": 420, "json": 45, "timeseries": 170, "probabilistic": 50, "cmdimpl": 25}
	total := 0
	for _, dir := range []string{".", "search", "json", "timeseries", "probabilistic", "cmdimpl"} {
		n := exportedTypes(t, dir)
		total += n
		t.Logf("%-14s %4d exported types", dir, n)
		if n >= bounds[dir] {
			t.Errorf("%s has %d exported types, want fewer than %d", dir, n, bounds[dir])
		}
	}
	t.Logf("%-14s %4d exported types", "total", total)
}
