package upstream

// This file reads the source form: the redis/redis src/commands/*.json
// files, merged into one object keyed by each file's base name ("set",
// "config-get"). Each value is {"NAME": {...}}, where a subcommand has
// "container" naming its parent. Flags, ACL categories, tips and key spec
// flags are upper case; key specs use the {"index":{"pos":1}} spelling;
// arguments may have "display"; and "reply_schema" holds the reply's JSON
// Schema. ACL categories list only the explicit ones and flags leave out
// movablekeys: the reader adds what the server derives (see
// deriveSourceFacts), so that this form means the same as the others.

import "strings"

// ParseSource reads a file in the source form. name is the file's base
// name, recorded in every command's Sources.
func ParseSource(name string, data []byte) (*Source, error) {
	tree, err := decodeJSON(data)
	if err != nil {
		return nil, &Error{File: name, Msg: err.Error()}
	}
	return parseSource(name, tree)
}

func parseSource(name string, tree any) (*Source, error) {
	top, ok := asObject(tree, false)
	if !ok {
		return nil, &Error{File: name, Msg: "want an object of command files, got " + typeName(tree)}
	}
	if len(top.keys) == 0 {
		return nil, &Error{File: name, Msg: "no commands"}
	}
	src := newSource(name)
	for _, entry := range top.keys {
		file, ok := asObject(top.vals[entry], false)
		if !ok {
			return nil, &Error{File: name, Field: entry, Msg: "want an object holding one command, got " + typeName(top.vals[entry])}
		}
		if len(file.keys) == 0 {
			return nil, &Error{File: name, Field: entry, Msg: "no command"}
		}
		for _, raw := range file.keys {
			d, err := readSourceCommand(name, raw, file.vals[raw])
			if err != nil {
				return nil, err
			}
			if err := src.add(d); err != nil {
				return nil, err
			}
		}
	}
	return src, nil
}

func readSourceCommand(file, raw string, v any) (*draft, error) {
	word := strings.ToUpper(strings.TrimSpace(raw))
	if word == "" {
		return nil, &Error{File: file, Field: "name", Msg: "empty command name"}
	}
	if strings.ContainsAny(word, " \t|") {
		return nil, &Error{File: file, Command: raw, Field: "name", Msg: "a name in the source form is one word"}
	}
	p := &cmdParser{file: file, format: formatSource, cmd: word}
	o, err := p.obj(v, "")
	if err != nil {
		return nil, err
	}
	full, container := word, ""
	if cv, ok := o.get("container"); ok {
		cs, err := p.str(cv, "container")
		if err != nil {
			return nil, err
		}
		container = strings.ToUpper(strings.TrimSpace(cs))
		if container == "" || strings.ContainsAny(container, " \t|") {
			return nil, p.errf("container", "want one word, got %q", cs)
		}
		full = container + " " + word
		p.cmd = full
	}
	d := newDraft(p, full, container, file)
	if err := d.readFields(o); err != nil {
		return nil, err
	}
	deriveSourceFacts(d.cmd)
	d.has |= hasFlags | hasACL
	if err := d.finish(); err != nil {
		return nil, err
	}
	return d, nil
}
