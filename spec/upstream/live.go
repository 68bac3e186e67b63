package upstream

// This file reads the live form: the replies of a running server's COMMAND
// DOCS and COMMAND INFO (or plain COMMAND), decoded into generic trees.
//
// COMMAND DOCS is a map from command name ("set", "config|get") to a map of
// summary, since, group, complexity, module, doc_flags, deprecated_since,
// replaced_by, history (pairs of version and change), arguments (maps of
// name, type, display_text, key_spec_index, token, summary, since,
// deprecated_since, flags, arguments), reply_schema (on servers built to
// log replies) and subcommands (a map of the same shape).
//
// COMMAND INFO is an array with one array per command: name, arity, flags,
// first key, last key, step, ACL categories, tips, key specifications (maps
// of notes, flags, begin_search {type, spec}, find_keys {type, spec}) and
// subcommands (an array of the same shape). Servers before 7.0 send only the
// first six or seven elements; a nil element (an unknown command) is
// skipped.
//
// Maps may come as Go maps (RESP3: map[string]any or map[any]any) or as flat
// arrays of alternating keys and values (RESP2). Strings are string or
// []byte, integers int64 (or int), arrays and sets []any.

import (
	"fmt"
	"sort"
)

// FromServer converts a live server's COMMAND DOCS and COMMAND INFO replies
// into a Source named name (an address, say). Either reply may be nil. A
// command's facts come from both replies; the first, last and step of
// COMMAND INFO are legacy key positions, superseded by the key
// specifications, and are only type-checked.
func FromServer(name string, docs, info any) (*Source, error) {
	if docs == nil && info == nil {
		return nil, &Error{File: name, Msg: "neither COMMAND DOCS nor COMMAND INFO given"}
	}
	l := &liveReader{file: name, drafts: map[string]*draft{}, fromDocs: map[string]bool{}, fromInfo: map[string]bool{}}
	if docs != nil {
		o, ok := asObject(docs, true)
		if !ok {
			return nil, &Error{File: name, Field: "docs", Msg: "want a map of command docs, got " + typeName(docs)}
		}
		for _, k := range o.keys {
			if err := l.docs(k, o.vals[k], ""); err != nil {
				return nil, err
			}
		}
	}
	if info != nil {
		list, ok := asList(info)
		if !ok {
			return nil, &Error{File: name, Field: "info", Msg: "want an array of command info, got " + typeName(info)}
		}
		for i, e := range list {
			if err := l.info(e, fmt.Sprintf("info[%d]", i), ""); err != nil {
				return nil, err
			}
		}
	}
	names := make([]string, 0, len(l.drafts))
	for n := range l.drafts {
		names = append(names, n)
	}
	sort.Strings(names)
	src := newSource(name)
	for _, n := range names {
		d := l.drafts[n]
		if err := d.finish(); err != nil {
			return nil, err
		}
		if err := src.add(d); err != nil {
			return nil, err
		}
	}
	return src, nil
}

type liveReader struct {
	file     string
	drafts   map[string]*draft
	fromDocs map[string]bool
	fromInfo map[string]bool
}

func (l *liveReader) draft(full, container string) *draft {
	d := l.drafts[full]
	if d == nil {
		p := &cmdParser{file: l.file, format: formatLive, cmd: full, prefix: "docs."}
		d = newDraft(p, full, container, l.file)
		l.drafts[full] = d
	}
	return d
}

// docs reads one command's COMMAND DOCS map; parent is the container when
// reading a subcommands map.
func (l *liveReader) docs(rawName string, v any, parent string) error {
	full, container, err := splitName(rawName, true)
	if err != nil {
		return &Error{File: l.file, Command: rawName, Field: "docs", Msg: err.Error()}
	}
	if container != parent {
		return &Error{File: l.file, Command: full, Field: "docs", Msg: fmt.Sprintf("listed as a subcommand of %q", parent)}
	}
	if l.fromDocs[full] {
		return &Error{File: l.file, Command: full, Field: "docs", Msg: "given twice"}
	}
	l.fromDocs[full] = true
	d := l.draft(full, container)
	p := d.p
	o, err := p.obj(v, "")
	if err != nil {
		return err
	}
	if err := d.readFields(o); err != nil {
		return err
	}
	if sv, ok := o.get("subcommands"); ok {
		subs, err := p.obj(sv, "subcommands")
		if err != nil {
			return err
		}
		if container != "" && len(subs.keys) > 0 {
			return p.errf("subcommands", "a subcommand cannot have subcommands")
		}
		for _, k := range subs.keys {
			if err := l.docs(k, subs.vals[k], full); err != nil {
				return err
			}
		}
	}
	return nil
}

// info reads one command's COMMAND INFO array.
func (l *liveReader) info(v any, path, parent string) error {
	if v == nil {
		return nil // unknown command
	}
	pre := &cmdParser{file: l.file, format: formatLive, cmd: parent}
	entry, ok := asList(v)
	if !ok {
		return pre.errf(path, "want a command info array, got %s", typeName(v))
	}
	if len(entry) < 6 || len(entry) > 10 {
		return pre.errf(path, "want 6 to 10 elements, got %d", len(entry))
	}
	rawName, err := pre.str(entry[0], path+".name")
	if err != nil {
		return err
	}
	full, container, err := splitName(rawName, true)
	if err != nil {
		return pre.errf(path+".name", "%v", err)
	}
	if container != parent {
		return &Error{File: l.file, Command: full, Field: "info", Msg: fmt.Sprintf("listed as a subcommand of %q", parent)}
	}
	if l.fromInfo[full] {
		return &Error{File: l.file, Command: full, Field: "info", Msg: "given twice"}
	}
	l.fromInfo[full] = true
	d := l.draft(full, container)
	p := &cmdParser{file: l.file, format: formatLive, cmd: full, prefix: "info."}
	c := d.cmd

	if c.Arity, err = p.integer(entry[1], "arity"); err != nil {
		return err
	}
	if c.Arity == 0 {
		return p.errf("arity", "0 is not an arity")
	}
	d.has |= hasArity
	if c.Flags, err = p.words(entry[2], "flags", lowerWord); err != nil {
		return err
	}
	d.has |= hasFlags
	for i, f := range []string{"first_key", "last_key", "step"} {
		if _, err := p.integer(entry[3+i], f); err != nil {
			return err
		}
	}
	if len(entry) > 6 {
		if c.ACLCategories, err = p.words(entry[6], "acl_categories", aclWord); err != nil {
			return err
		}
		d.has |= hasACL
	}
	if len(entry) > 7 {
		if c.Tips, err = p.tips(entry[7], "tips"); err != nil {
			return err
		}
		d.has |= hasTips
	}
	if len(entry) > 8 {
		if c.KeySpecs, err = p.keySpecs(entry[8], "key_specs"); err != nil {
			return err
		}
		d.has |= hasKeySpecs
	}
	if len(entry) > 9 && entry[9] != nil {
		subs, err := p.list(entry[9], "subcommands")
		if err != nil {
			return err
		}
		if container != "" && len(subs) > 0 {
			return p.errf("subcommands", "a subcommand cannot have subcommands")
		}
		for i, s := range subs {
			if err := l.info(s, "info."+index("subcommands", i), full); err != nil {
				return err
			}
		}
	}
	return nil
}
