package upstream

// This file reads key specifications in their three spellings:
//
//	source:    {"flags":["RW","ACCESS"], "begin_search":{"index":{"pos":1}},
//	            "find_keys":{"range":{"lastkey":0,"step":1,"limit":0}}}
//	published: {"RW":true, "access":true, "begin_search":{"type":"index","spec":{"index":1}},
//	            "find_keys":{"type":"range","spec":{"lastkey":0,"keystep":1,"limit":0}}}
//	live:      like published, but the flags are a set: "flags":["RW","access"]
//
// All become a spec.KeySpec with upper-case, sorted flags. Notes are prose
// and are dropped.

import (
	"sort"
	"strings"

	"github.com/redkit-go/redkit/spec"
)

var keySpecFlags = map[string]bool{
	spec.KeyRO: true, spec.KeyRW: true, spec.KeyOW: true, spec.KeyRM: true,
	spec.KeyAccess: true, spec.KeyUpdate: true, spec.KeyInsert: true, spec.KeyDelete: true,
	spec.KeyNotKey: true, spec.KeyIncomplete: true, spec.KeyVariableFlags: true,
}

func (p *cmdParser) keySpecs(v any, path string) ([]spec.KeySpec, error) {
	l, err := p.list(v, path)
	if err != nil {
		return nil, err
	}
	out := make([]spec.KeySpec, 0, len(l))
	for i, x := range l {
		ks, err := p.keySpec(x, index(path, i))
		if err != nil {
			return nil, err
		}
		out = append(out, ks)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func (p *cmdParser) keySpec(v any, path string) (spec.KeySpec, error) {
	var ks spec.KeySpec
	o, err := p.obj(v, path)
	if err != nil {
		return ks, err
	}
	flags := map[string]bool{}
	var bs, fk any
	var hasBS, hasFK bool
	for _, k := range o.keys {
		x := o.vals[k]
		fp := join(path, k)
		switch {
		case k == "notes":
			if _, err := p.str(x, fp); err != nil {
				return ks, err
			}
		case k == "begin_search":
			bs, hasBS = x, true
		case k == "find_keys":
			fk, hasFK = x, true
		case k == "flags" && p.format != formatPublished:
			l, err := p.strList(x, fp)
			if err != nil {
				return ks, err
			}
			for i, f := range l {
				u := strings.ToUpper(strings.TrimSpace(f))
				if !keySpecFlags[u] {
					return ks, p.errf(index(fp, i), "unknown key spec flag %q", f)
				}
				flags[u] = true
			}
		case p.format == formatPublished && keySpecFlags[strings.ToUpper(k)]:
			b, err := p.boolean(x, fp)
			if err != nil {
				return ks, err
			}
			if b {
				flags[strings.ToUpper(k)] = true
			}
		default:
			return ks, p.errf(fp, "unknown field")
		}
	}
	if !hasBS {
		return ks, p.errf(join(path, "begin_search"), "missing")
	}
	if !hasFK {
		return ks, p.errf(join(path, "find_keys"), "missing")
	}
	if ks.BeginSearch, err = p.beginSearch(bs, join(path, "begin_search")); err != nil {
		return ks, err
	}
	if ks.FindKeys, err = p.findKeys(fk, join(path, "find_keys")); err != nil {
		return ks, err
	}
	for f := range flags {
		ks.Flags = append(ks.Flags, f)
	}
	sort.Strings(ks.Flags)
	return ks, nil
}

// kindAndSpec splits a begin_search or find_keys object into its kind and
// its parameters: {"type": K, "spec": {...}} in the published and live
// forms, {K: {...}} in the source form. Unknown kinds have no parameters.
func (p *cmdParser) kindAndSpec(v any, path string) (kind string, params *object, paramsPath string, err error) {
	o, err := p.obj(v, path)
	if err != nil {
		return "", nil, "", err
	}
	empty := &object{vals: map[string]any{}}
	if p.format == formatSource {
		if len(o.keys) != 1 {
			return "", nil, "", p.errf(path, "want exactly one kind, got %d fields", len(o.keys))
		}
		kind = o.keys[0]
		paramsPath = join(path, kind)
		x := o.vals[kind]
		if x == nil {
			return kind, empty, paramsPath, nil
		}
		params, err = p.obj(x, paramsPath)
		return kind, params, paramsPath, err
	}
	params = empty
	for _, k := range o.keys {
		x := o.vals[k]
		switch k {
		case "type":
			if kind, err = p.str(x, join(path, k)); err != nil {
				return "", nil, "", err
			}
		case "spec":
			paramsPath = join(path, k)
			if x != nil {
				if params, err = p.obj(x, paramsPath); err != nil {
					return "", nil, "", err
				}
			}
		default:
			return "", nil, "", p.errf(join(path, k), "unknown field")
		}
	}
	if kind == "" {
		return "", nil, "", p.errf(join(path, "type"), "missing")
	}
	if paramsPath == "" {
		paramsPath = join(path, "spec")
	}
	return kind, params, paramsPath, nil
}

// ints reads exactly the named integer parameters of a key spec step.
func (p *cmdParser) ints(o *object, path string, names ...string) ([]int, error) {
	want := map[string]int{}
	for i, n := range names {
		want[n] = i
	}
	out := make([]int, len(names))
	seen := 0
	for _, k := range o.keys {
		i, ok := want[k]
		if !ok {
			return nil, p.errf(join(path, k), "unknown field")
		}
		n, err := p.integer(o.vals[k], join(path, k))
		if err != nil {
			return nil, err
		}
		out[i] = n
		seen++
	}
	if seen != len(names) {
		for _, n := range names {
			if _, ok := o.vals[n]; !ok {
				return nil, p.errf(join(path, n), "missing")
			}
		}
	}
	return out, nil
}

func (p *cmdParser) beginSearch(v any, path string) (spec.BeginSearch, error) {
	var bs spec.BeginSearch
	kind, params, pp, err := p.kindAndSpec(v, path)
	if err != nil {
		return bs, err
	}
	switch kind {
	case spec.SearchIndex:
		name := "index"
		if p.format == formatSource {
			name = "pos"
		}
		n, err := p.ints(params, pp, name)
		if err != nil {
			return bs, err
		}
		bs = spec.BeginSearch{Type: kind, Index: n[0]}
	case spec.SearchKeyword:
		var kw *string
		var from *int
		for _, k := range params.keys {
			x := params.vals[k]
			switch k {
			case "keyword":
				s, err := p.str(x, join(pp, k))
				if err != nil {
					return bs, err
				}
				kw = &s
			case "startfrom":
				n, err := p.integer(x, join(pp, k))
				if err != nil {
					return bs, err
				}
				from = &n
			default:
				return bs, p.errf(join(pp, k), "unknown field")
			}
		}
		if kw == nil || *kw == "" {
			return bs, p.errf(join(pp, "keyword"), "missing")
		}
		if from == nil {
			return bs, p.errf(join(pp, "startfrom"), "missing")
		}
		bs = spec.BeginSearch{Type: kind, Keyword: *kw, StartFrom: *from}
	case spec.SearchUnknown:
		if len(params.keys) != 0 {
			return bs, p.errf(join(pp, params.keys[0]), "unknown field")
		}
		bs = spec.BeginSearch{Type: kind}
	default:
		return bs, p.errf(path, "unknown begin_search type %q", kind)
	}
	return bs, nil
}

func (p *cmdParser) findKeys(v any, path string) (spec.FindKeys, error) {
	var fk spec.FindKeys
	kind, params, pp, err := p.kindAndSpec(v, path)
	if err != nil {
		return fk, err
	}
	step := "keystep"
	if p.format == formatSource {
		step = "step"
	}
	switch kind {
	case spec.FindRange:
		n, err := p.ints(params, pp, "lastkey", step, "limit")
		if err != nil {
			return fk, err
		}
		fk = spec.FindKeys{Type: kind, LastKey: n[0], KeyStep: n[1], Limit: n[2]}
	case spec.FindKeyNum:
		n, err := p.ints(params, pp, "keynumidx", "firstkey", step)
		if err != nil {
			return fk, err
		}
		fk = spec.FindKeys{Type: kind, KeyNumIndex: n[0], FirstKey: n[1], KeyStep: n[2]}
	case spec.FindUnknown:
		if len(params.keys) != 0 {
			return fk, p.errf(join(pp, params.keys[0]), "unknown field")
		}
		fk = spec.FindKeys{Type: kind}
	default:
		return fk, p.errf(path, "unknown find_keys type %q", kind)
	}
	return fk, nil
}
