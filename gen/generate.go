package gen

// This file drives a generator run: plan, render every artifact in memory,
// and write only when everything rendered, deleting outputs that are no
// longer produced.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/redkit-go/redkit/spec"
)

// Render plans s and renders every output file, keyed by file name.
func Render(s *spec.Spec) (map[string][]byte, *Plan, error) { return RenderWith(s, Options{}) }

// RenderWith is Render with options.
func RenderWith(s *spec.Spec, opts Options) (map[string][]byte, *Plan, error) {
	p, err := BuildWith(s, opts)
	if err != nil {
		return nil, nil, err
	}
	return renderPlan(p)
}

// renderPlan renders every output file of a plan.
func renderPlan(p *Plan) (map[string][]byte, *Plan, error) {
	files := map[string]*jen.File{}
	for _, g := range p.Groups {
		files[g.File] = emitGroup(p, g)
		files[strings.TrimSuffix(g.File, ".go")+"_test.go"] = emitGroupTest(p, g)
		if groupHasOptions(g) {
			files[optionsFile(g)] = emitOptionsFile(g)
			files[strings.TrimSuffix(optionsFile(g), ".go")+"_test.go"] = emitOptionsTest(g)
		}
	}
	files["replies_gen.go"] = emitReplies(p)
	files["replies_gen_test.go"] = emitRepliesTest(p)
	files["commands_gen.go"] = emitTable(p)
	out := make(map[string][]byte, len(files))
	var errs []error
	for _, name := range sortedKeys(files) {
		var buf bytes.Buffer
		if err := files[name].Render(&buf); err != nil {
			errs = append(errs, fmt.Errorf("gen: render %s: %w", name, err))
			continue
		}
		out[name] = buf.Bytes()
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return out, p, nil
}

// isGenerated reports whether a file name is one the generator owns.
func isGenerated(name string) bool {
	return strings.HasSuffix(name, "_gen.go") || strings.HasSuffix(name, "_gen_test.go")
}

// Write renders s and writes the files into dir, removing generated files
// that are no longer produced. Nothing is written if any file fails to
// render. Files whose content is unchanged are not touched.
func Write(s *spec.Spec, dir string) error { return WriteWith(s, dir, Options{}) }

// WriteWith is Write with options.
func WriteWith(s *spec.Spec, dir string, opts Options) error {
	files, _, err := RenderWith(s, opts)
	if err != nil {
		return err
	}
	return writeFiles(files, dir)
}

// writeFiles writes rendered files into dir and removes generated files
// that are not among them.
func writeFiles(files map[string][]byte, dir string) error {
	old, err := filepath.Glob(filepath.Join(dir, "*_gen*.go"))
	if err != nil {
		return err
	}
	for _, p := range old {
		if _, keep := files[filepath.Base(p)]; !keep && isGenerated(filepath.Base(p)) {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	for _, name := range sortedKeys(files) {
		p := filepath.Join(dir, name)
		if cur, err := os.ReadFile(p); err == nil && bytes.Equal(cur, files[name]) {
			continue
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Diff renders s and lists the differences from the generated files in
// dir: changed, missing and stale files. An empty result means dir is up to
// date.
func Diff(s *spec.Spec, dir string) ([]string, error) {
	files, _, err := Render(s)
	if err != nil {
		return nil, err
	}
	var diffs []string
	for _, name := range sortedKeys(files) {
		cur, err := os.ReadFile(filepath.Join(dir, name))
		switch {
		case errors.Is(err, os.ErrNotExist):
			diffs = append(diffs, "missing "+name)
		case err != nil:
			return nil, err
		case !bytes.Equal(cur, files[name]):
			diffs = append(diffs, "changed "+name)
		}
	}
	old, err := filepath.Glob(filepath.Join(dir, "*_gen*.go"))
	if err != nil {
		return nil, err
	}
	for _, p := range old {
		if _, ok := files[filepath.Base(p)]; !ok && isGenerated(filepath.Base(p)) {
			diffs = append(diffs, "stale "+filepath.Base(p))
		}
	}
	sort.Strings(diffs)
	return diffs, nil
}
