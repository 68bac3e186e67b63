package upstream

// This file normalizes argument trees. The rules, in the order they apply:
//
//   - Every argument needs a non-empty name.
//   - Flags come as booleans (optional, multiple, multiple_token) or, from
//     a live server, as a "flags" set of those words; both become booleans.
//   - display_text (published, live) or display (source) becomes Display
//     only when it differs from the name. summary is prose and is dropped.
//   - key_spec_index is kept; absent means -1 ("not a key"). A key argument
//     of a command that has key specs must have one, and every index must be
//     in range of the command's key specs in the same source.
//   - An argument marked "expression": true that has children (RediSearch's
//     APPLY expression), and a block whose children are all childless
//     blocks (the same expression as rendered by the redis/docs core file),
//     is one expression string on the wire: it becomes a "string" with its
//     token, and its children, which describe the query language's functions
//     rather than wire arguments, are dropped unread.
//   - Type "function" (RediSearch expression functions) becomes "string";
//     its children are its parameters in the query language and are dropped
//     unread.
//   - A missing or null type becomes "block" when the argument has children
//     and "pure-token" when it has a token and no children; otherwise it is
//     an error. (In the upstream data only the RediSearch function
//     parameters lack a type, and those are dropped by the rule above.)
//   - A pure-token without a token (redis/redis SENTINEL SIMULATE-FAILURE)
//     takes its name in upper case as the token: the server compares such
//     literals case-insensitively. A pure-token whose token is the empty
//     string (the published MIGRATE "empty-string" key selector) takes the
//     token `""`, the redis/redis sources' spelling of the empty argument.
//   - Leaves (key, string, integer, double, unix-time, pattern, pure-token)
//     have no children; oneof and block need children. Anything else is an
//     unknown type.

import (
	"strings"

	"github.com/redkit-go/redkit/spec"
)

// emptyToken is the token of a pure-token that stands for an empty
// argument, as the redis/redis sources spell it.
const emptyToken = `""`

func (p *cmdParser) arguments(v any, path string, nKeySpecs int) ([]*spec.Argument, error) {
	l, err := p.list(v, path)
	if err != nil {
		return nil, err
	}
	if len(l) == 0 {
		return nil, nil
	}
	out := make([]*spec.Argument, 0, len(l))
	for i, x := range l {
		a, err := p.argument(x, index(path, i), nKeySpecs)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func (p *cmdParser) argument(v any, path string, nKeySpecs int) (*spec.Argument, error) {
	o, err := p.obj(v, path)
	if err != nil {
		return nil, err
	}
	a := &spec.Argument{KeySpecIndex: -1}
	var (
		typ, display        string
		hasName, hasToken   bool
		hasKeySpecIndex     bool
		expression          bool
		children            []any
		childrenPath        string
		flagsList, flagBool bool
	)
	for _, k := range o.keys {
		x := o.vals[k]
		fp := join(path, k)
		var err error
		switch k {
		case "name":
			a.Name, err = p.str(x, fp)
			hasName = true
		case "type":
			if x != nil {
				typ, err = p.str(x, fp)
			}
		case "display_text", "display":
			display, err = p.str(x, fp)
		case "token":
			a.Token, err = p.str(x, fp)
			hasToken = true
		case "optional":
			a.Optional, err = p.boolean(x, fp)
			flagBool = true
		case "multiple":
			a.Multiple, err = p.boolean(x, fp)
			flagBool = true
		case "multiple_token":
			a.MultipleToken, err = p.boolean(x, fp)
			flagBool = true
		case "flags":
			err = p.argFlags(a, x, fp)
			flagsList = true
		case "key_spec_index":
			a.KeySpecIndex, err = p.integer(x, fp)
			if err == nil && a.KeySpecIndex < -1 {
				err = p.errf(fp, "negative index %d", a.KeySpecIndex)
			}
			hasKeySpecIndex = a.KeySpecIndex >= 0
		case "since":
			a.Since, err = p.str(x, fp)
		case "deprecated_since":
			a.DeprecatedSince, err = p.str(x, fp)
		case "summary", "description":
			_, err = p.str(x, fp) // prose: dropped
		case "pattern":
			// Valkey's regular expression for the value (a node ID's
			// 40 hex digits): checked and dropped, as the server
			// validates the value itself.
			_, err = p.str(x, fp)
		case "minimum":
			// Valkey's lower bound of an integer argument (HEXPIRE's
			// numfields is at least 1): checked and dropped, likewise.
			_, err = p.integer(x, fp)
		case "expression":
			expression, err = p.boolean(x, fp)
		case "arguments":
			children, err = p.list(x, fp)
			childrenPath = fp
		default:
			err = p.errf(fp, "unknown field")
		}
		if err != nil {
			return nil, err
		}
	}
	if !hasName {
		return nil, p.errf(join(path, "name"), "missing")
	}
	if strings.TrimSpace(a.Name) == "" {
		return nil, p.errf(join(path, "name"), "empty")
	}
	if flagsList && flagBool {
		return nil, p.errf(join(path, "flags"), "given both as a set and as booleans")
	}
	if childrenPath == "" {
		childrenPath = join(path, "arguments")
	}

	switch {
	case expression && len(children) > 0:
		typ, children = spec.TypeString, nil
	case typ == "function":
		typ, children = spec.TypeString, nil
	case typ == spec.TypeBlock && p.isExpressionGrammar(children):
		typ, children = spec.TypeString, nil
	case typ == "":
		switch {
		case len(children) > 0:
			typ = spec.TypeBlock
		case hasToken:
			typ = spec.TypePureToken
		default:
			return nil, p.errf(join(path, "type"), "missing, and neither children nor a token to tell it")
		}
	}
	a.Type = typ

	switch typ {
	case spec.TypeKey, spec.TypeString, spec.TypeInteger, spec.TypeDouble, spec.TypeUnixTime, spec.TypePattern, spec.TypePureToken:
		if len(children) > 0 {
			return nil, p.errf(childrenPath, "a %s has no children", typ)
		}
	case spec.TypeOneOf, spec.TypeBlock:
		if len(children) == 0 {
			return nil, p.errf(childrenPath, "a %s needs children", typ)
		}
		if a.Arguments, err = p.arguments(children, childrenPath, nKeySpecs); err != nil {
			return nil, err
		}
	default:
		return nil, p.errf(join(path, "type"), "unknown type %q", typ)
	}

	if typ == spec.TypePureToken {
		switch {
		case !hasToken:
			a.Token = strings.ToUpper(a.Name)
		case a.Token == "":
			a.Token = emptyToken
		}
	} else if hasToken && a.Token == "" {
		return nil, p.errf(join(path, "token"), "empty")
	}
	if display != "" && display != a.Name {
		a.Display = display
	}

	if nKeySpecs < 0 {
		return a, nil // key specs unknown
	}
	if hasKeySpecIndex && a.KeySpecIndex >= nKeySpecs {
		return nil, p.errf(join(path, "key_spec_index"), "%d out of range (%d key specs)", a.KeySpecIndex, nKeySpecs)
	}
	if typ == spec.TypeKey && !hasKeySpecIndex && nKeySpecs > 0 {
		return nil, p.errf(join(path, "key_spec_index"), "missing for a key argument (%d key specs)", nKeySpecs)
	}
	return a, nil
}

// argFlags reads the live form of argument flags, a set of words.
func (p *cmdParser) argFlags(a *spec.Argument, v any, path string) error {
	l, err := p.strList(v, path)
	if err != nil {
		return err
	}
	for i, f := range l {
		switch strings.ToLower(f) {
		case "optional":
			a.Optional = true
		case "multiple":
			a.Multiple = true
		case "multiple_token":
			a.MultipleToken = true
		default:
			return p.errf(index(path, i), "unknown argument flag %q", f)
		}
	}
	return nil
}

// isExpressionGrammar reports whether the children of a block are all
// blocks without children: the redis/docs rendering of RediSearch's
// expression functions with their parameters removed.
func (p *cmdParser) isExpressionGrammar(children []any) bool {
	if len(children) == 0 {
		return false
	}
	for _, c := range children {
		o, ok := asObject(c, p.format == formatLive)
		if !ok {
			return false
		}
		t, _ := asString(o.vals["type"])
		if t != spec.TypeBlock {
			return false
		}
		if sub, ok := o.vals["arguments"]; ok {
			if l, ok := asList(sub); !ok || len(l) > 0 {
				return false
			}
		}
	}
	return true
}
