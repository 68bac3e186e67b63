package upstream

// This file reads the published form: redis-doc's commands.json and the
// redis/docs data/commands_*.json files. They are one flat object keyed by
// the full command name ("SET", "CONFIG GET"), with lower-case flags,
// "@"-prefixed ACL categories, "hints" for tips, boolean key spec flags and
// "display_text" on arguments. The per-module files have no arity, flags,
// categories or key specs, and no "module" field.

import (
	"github.com/redkit-go/redkit/spec"
)

// ParsePublished reads a file in the published form. name is the file's
// base name, recorded in every command's Sources.
func ParsePublished(name string, data []byte) (*Source, error) {
	tree, err := decodeJSON(data)
	if err != nil {
		return nil, &Error{File: name, Msg: err.Error()}
	}
	return parsePublished(name, tree)
}

func parsePublished(name string, tree any) (*Source, error) {
	top, ok := asObject(tree, false)
	if !ok {
		return nil, &Error{File: name, Msg: "want an object of commands, got " + typeName(tree)}
	}
	if len(top.keys) == 0 {
		return nil, &Error{File: name, Msg: "no commands"}
	}
	src := newSource(name)
	for _, raw := range top.keys {
		full, container, err := splitName(raw, false)
		if err != nil {
			return nil, &Error{File: name, Command: raw, Field: "name", Msg: err.Error()}
		}
		p := &cmdParser{file: name, format: formatPublished, cmd: full}
		o, err := p.obj(top.vals[raw], "")
		if err != nil {
			return nil, err
		}
		d := newDraft(p, full, container, name)
		if err := d.readFields(o); err != nil {
			return nil, err
		}
		if err := d.finish(); err != nil {
			return nil, err
		}
		if err := src.add(d); err != nil {
			return nil, err
		}
	}
	return src, nil
}

// add records a finished draft in the source; a name given twice (after
// normalization) is an error.
func (s *Source) add(d *draft) error {
	if _, dup := s.Commands[d.cmd.Name]; dup {
		return d.p.errf("name", "given twice")
	}
	s.Commands[d.cmd.Name] = d.cmd
	s.has[d.cmd.Name] = d.has
	return nil
}

func newSource(name string) *Source {
	return &Source{Name: name, Commands: map[string]*spec.Command{}, has: map[string]fieldSet{}}
}
