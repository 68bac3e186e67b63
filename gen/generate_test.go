package gen

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redkit-go/redkit/spec"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixtureOverrides exercise the override mechanism on the fixture spec.
var fixtureOverrides = map[string]*Override{
	"SET": {
		Reply: "ok",
		Variants: []VariantOverride{
			{Name: "Cond", Triggers: []string{"condition"}, Reply: "bool"},
			{Name: "Get", Triggers: []string{"get"}, Reply: "?string"},
		},
	},
	"LMPOP":     {Reply: "?KeyElements"},
	"EVAL":      {Reply: "any", Why: "scripts return anything"},
	"GEOSEARCH": {Variants: []VariantOverride{{Name: "WithInfo", Triggers: []string{"withdist"}, Reply: "[]GeoLocation"}}},
	"OBJINFO":   {Structs: map[string]string{"ObjInfoReply": "ObjectInfo"}},
	"HPTTL":     {Reply: "[]TTLMillis"},
	"LASTSAVE":  {Reply: "unixtime"},
}

// TestGolden renders a small fixture spec and compares every file with the
// golden copy; -update rewrites them.
func TestGolden(t *testing.T) {
	s, err := spec.LoadDir("testdata/golden/spec")
	if err != nil {
		t.Fatal(err)
	}
	p, err := build(s, []map[string]*Override{fixtureOverrides}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	files, _, err := renderPlan(p)
	if err != nil {
		t.Fatal(err)
	}
	dir := "testdata/golden/out"
	if *update {
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, data := range files {
			if err := os.WriteFile(filepath.Join(dir, name+".golden"), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	old, _ := filepath.Glob(filepath.Join(dir, "*.golden"))
	if len(old) != len(files) {
		t.Errorf("golden has %d files, render gave %d (run go test ./gen -update)", len(old), len(files))
	}
	for name, data := range files {
		want, err := os.ReadFile(filepath.Join(dir, name+".golden"))
		if err != nil {
			t.Errorf("%s: %v (run go test ./gen -update)", name, err)
			continue
		}
		if !bytes.Equal(want, data) {
			t.Errorf("%s differs from its golden copy (run go test ./gen -update and review the diff)", name)
		}
	}
}

// TestGeneratedTreeIsFresh regenerates from spec/ in memory and compares
// with the committed redisclient/*_gen*.go files.
func TestGeneratedTreeIsFresh(t *testing.T) {
	s, err := spec.LoadDir("../spec/commands")
	if err != nil {
		t.Fatal(err)
	}
	diffs, err := Diff(s, "../redisclient")
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) > 0 {
		t.Errorf("redisclient is stale; run go generate ./...:\n  %s", strings.Join(diffs, "\n  "))
	}
}

// TestRenderDeterministic renders twice and expects identical bytes.
func TestRenderDeterministic(t *testing.T) {
	s, err := spec.LoadDir("testdata/golden/spec")
	if err != nil {
		t.Fatal(err)
	}
	render := func() map[string][]byte {
		p, err := build(s, []map[string]*Override{fixtureOverrides}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		f, _, err := renderPlan(p)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	a, b := render(), render()
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two renders", name)
		}
	}
}

// TestWriteRemovesStale checks that Write deletes generated files that are
// no longer produced and leaves hand-written ones alone.
func TestWriteRemovesStale(t *testing.T) {
	s, err := spec.LoadDir("testdata/golden/spec")
	if err != nil {
		t.Fatal(err)
	}
	p, err := build(s, []map[string]*Override{fixtureOverrides}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	files, _, err := renderPlan(p)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"old_gen.go", "old_gen_test.go", "hand.go"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("package x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := writeFiles(files, dir); err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"old_gen.go", "old_gen_test.go"} {
		if _, err := os.Stat(filepath.Join(dir, gone)); !os.IsNotExist(err) {
			t.Errorf("%s: stale generated file not removed", gone)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "hand.go")); err != nil {
		t.Errorf("hand-written file removed: %v", err)
	}
	for name := range files {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s not written: %v", name, err)
		}
	}
}
