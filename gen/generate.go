package gen

// This file drives a generator run: plan, render every artifact in memory,
// and write only when everything rendered, deleting outputs that are no
// longer produced.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path"
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
	for _, pkg := range p.Packages {
		for _, g := range pkg.Groups {
			files[pkg.file(g.File)] = emitGroup(p, g)
			files[pkg.file(strings.TrimSuffix(g.File, ".go")+"_test.go")] = emitGroupTest(p, g)
			if groupHasOptions(g) {
				files[pkg.file(optionsFile(g))] = emitOptionsFile(g)
				files[pkg.file(strings.TrimSuffix(optionsFile(g), ".go")+"_test.go")] = emitOptionsTest(g)
			}
		}
		types, structs := packageTypes(p, pkg)
		files[pkg.file("replies_gen.go")] = emitReplies(pkg, types, structs)
		files[pkg.file("replies_gen_test.go")] = emitRepliesTest(pkg, types)
	}
	if p.core() == nil {
		// A user's own package: no tests, which would need this
		// repository's test dependencies.
		for name := range files {
			if strings.HasSuffix(name, "_test.go") {
				delete(files, name)
			}
		}
	}
	if core := p.core(); core != nil {
		// One table of every command, modules' too, for raw commands.
		files["commands_gen.go"] = emitTable(p, core)
	}
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

// packageTypes returns the reply types that pkg's commands use, in the
// plan's order, and the structs among them (each once, by name).
func packageTypes(p *Plan, pkg *Package) (types, structs []*Type) {
	seen := map[string]bool{}
	var walk func(t *Type)
	walk = func(t *Type) {
		if t == nil || seen[t.DecoderName()] {
			return
		}
		seen[t.DecoderName()] = true
		if t.Null && (t.Kind == TStruct || t.Kind == TNamed) {
			base := *t
			base.Null = false
			if b, ok := p.Types.byKey[base.DecoderName()]; ok {
				walk(b)
			}
		}
		walk(t.Elem)
		walk(t.Key)
		for _, f := range t.Fields {
			walk(f.Type)
		}
	}
	for _, g := range pkg.Groups {
		for _, c := range g.Commands {
			for _, v := range c.Variants {
				walk(v.Reply)
			}
			if c.Options != nil && c.Options.With != nil {
				walk(c.Options.With.Variant.Reply)
			}
		}
	}
	for _, t := range p.Types.Sorted() {
		if seen[t.DecoderName()] {
			types = append(types, t)
		}
	}
	for _, t := range p.Types.Structs() {
		if seen[t.DecoderName()] {
			structs = append(structs, t)
		}
	}
	return types, structs
}

// core returns the plan's core package (redisclient), or nil for a plan
// of a user's own package.
func (p *Plan) core() *Package {
	for _, pkg := range p.Packages {
		if pkg.Path == pkgPath {
			return pkg
		}
	}
	return nil
}

// FilterCommands returns the spec holding only the commands whose names
// match one of patterns ("OBJECT ENCODING", "MYMOD.*", case-insensitive,
// with path.Match syntax) or whose group is one of groups. The containers
// of kept subcommands are kept too (they are sent through them).
func FilterCommands(s *spec.Spec, patterns, groups []string) (*spec.Spec, error) {
	out := &spec.Spec{}
	keep := map[string]bool{}
	for _, c := range s.Commands {
		ok := false
		for _, g := range groups {
			ok = ok || strings.EqualFold(c.Group, g)
		}
		for _, pat := range patterns {
			m, err := path.Match(strings.ToUpper(strings.TrimSpace(pat)), strings.ToUpper(c.Name))
			if err != nil {
				return nil, fmt.Errorf("gen: command pattern %q: %w", pat, err)
			}
			ok = ok || m
		}
		if ok {
			keep[c.Name] = true
			if c.Container != "" {
				keep[c.Container] = true
			}
		}
	}
	for _, c := range s.Commands {
		if keep[c.Name] {
			out.Commands = append(out.Commands, c)
		}
	}
	if len(out.Commands) == 0 {
		return nil, fmt.Errorf("gen: no command matches %q (groups %q)", patterns, groups)
	}
	return out, nil
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
	stale, err := staleFiles(files, dir)
	if err != nil {
		return err
	}
	for _, name := range stale {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	for _, name := range sortedKeys(files) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if cur, err := os.ReadFile(p); err == nil && bytes.Equal(cur, files[name]) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// staleFiles lists the generated files in dir, and in the directories of
// the module packages, that files does not hold (relative, slash-separated).
func staleFiles(files map[string][]byte, dir string) ([]string, error) {
	dirs := map[string]bool{".": true}
	for name := range files {
		dirs[path.Dir(name)] = true
	}
	if _, core := files["commands_gen.go"]; core {
		// The module packages of redisclient, also ones no longer made.
		for _, d := range modulePackages {
			dirs[d] = true
		}
	}
	var stale []string
	for _, d := range sortedKeys(dirs) {
		old, err := filepath.Glob(filepath.Join(dir, filepath.FromSlash(d), "*_gen*.go"))
		if err != nil {
			return nil, err
		}
		for _, p := range old {
			name := path.Join(d, filepath.Base(p))
			if _, keep := files[name]; !keep && isGenerated(name) {
				stale = append(stale, name)
			}
		}
	}
	sort.Strings(stale)
	return stale, nil
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
		cur, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		switch {
		case errors.Is(err, os.ErrNotExist):
			diffs = append(diffs, "missing "+name)
		case err != nil:
			return nil, err
		case !bytes.Equal(cur, files[name]):
			diffs = append(diffs, "changed "+name)
		}
	}
	stale, err := staleFiles(files, dir)
	if err != nil {
		return nil, err
	}
	for _, name := range stale {
		diffs = append(diffs, "stale "+name)
	}
	sort.Strings(diffs)
	return diffs, nil
}
