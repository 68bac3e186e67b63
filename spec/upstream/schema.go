package upstream

// This file converts reply schemas (the JSON Schema subset of the
// redis/redis sources' "reply_schema") into spec.Schema:
//
//   - "description" is prose and is dropped.
//   - type, pattern, $ref (as Ref), minItems, maxItems, uniqueItems and
//     minimum are kept as they are; const is kept as its JSON text ("\"OK\"",
//     "1").
//   - oneOf and anyOf keep their alternatives in order.
//   - items as an object is Items; items as an array is Tuple.
//     additionalItems as a schema is AdditionalItems; true adds nothing;
//     false after a tuple caps MaxItems at the tuple's length.
//   - properties and patternProperties keep the source order of their keys
//     (the JSON is decoded token by token for that; replies from a live
//     server given as Go maps have lost it, and their keys are sorted).
//   - additionalProperties false is NoAdditionalProperties, a schema is
//     AdditionalProperties, true adds nothing.
//   - Any other keyword is an error naming its path.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/redkit-go/redkit/spec"
)

var schemaTypes = map[string]bool{
	"string": true, "integer": true, "number": true, "null": true,
	"array": true, "object": true, "boolean": true,
}

func (p *cmdParser) schema(v any, path string) (*spec.Schema, error) {
	o, err := p.obj(v, path)
	if err != nil {
		return nil, err
	}
	s := &spec.Schema{}
	noAdditionalItems := false
	for _, k := range o.keys {
		x := o.vals[k]
		fp := join(path, k)
		var err error
		switch k {
		case "description":
			_, err = p.str(x, fp)
		case "type":
			if s.Type, err = p.str(x, fp); err == nil && !schemaTypes[s.Type] {
				err = p.errf(fp, "unknown type %q", s.Type)
			}
		case "const":
			s.Const, err = p.constText(x, fp)
		case "oneOf":
			s.OneOf, err = p.schemaList(x, fp)
		case "anyOf":
			s.AnyOf, err = p.schemaList(x, fp)
		case "items":
			if p.isTuple(x) {
				s.Tuple, err = p.schemaList(x, fp)
			} else {
				s.Items, err = p.schema(x, fp)
			}
		case "additionalItems":
			if b, ok := asBool(x); ok {
				noAdditionalItems = !b
			} else {
				s.AdditionalItems, err = p.schema(x, fp)
			}
		case "minItems":
			s.MinItems, err = p.count(x, fp)
		case "maxItems":
			var n int
			if n, err = p.count(x, fp); err == nil {
				s.MaxItems = &n
			}
		case "uniqueItems":
			s.UniqueItems, err = p.boolean(x, fp)
		case "properties":
			s.Properties, err = p.properties(x, fp)
		case "patternProperties":
			s.PatternProperties, err = p.properties(x, fp)
		case "additionalProperties":
			if b, ok := asBool(x); ok {
				s.NoAdditionalProperties = !b
			} else {
				s.AdditionalProperties, err = p.schema(x, fp)
			}
		case "pattern":
			s.Pattern, err = p.str(x, fp)
		case "minimum":
			var n int
			if n, err = p.integer(x, fp); err == nil {
				m := int64(n)
				s.Minimum = &m
			}
		case "$ref":
			s.Ref, err = p.str(x, fp)
		default:
			err = p.errf(fp, "unknown keyword")
		}
		if err != nil {
			return nil, err
		}
	}
	if noAdditionalItems && len(s.Tuple) > 0 && (s.MaxItems == nil || *s.MaxItems > len(s.Tuple)) {
		n := len(s.Tuple)
		s.MaxItems = &n
	}
	return s, nil
}

func (p *cmdParser) schemaList(v any, path string) ([]*spec.Schema, error) {
	l, err := p.list(v, path)
	if err != nil {
		return nil, err
	}
	if len(l) == 0 {
		return nil, p.errf(path, "empty")
	}
	out := make([]*spec.Schema, 0, len(l))
	for i, x := range l {
		s, err := p.schema(x, index(path, i))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (p *cmdParser) properties(v any, path string) ([]spec.Property, error) {
	o, err := p.obj(v, path)
	if err != nil {
		return nil, err
	}
	out := make([]spec.Property, 0, len(o.keys))
	for _, k := range o.keys {
		s, err := p.schema(o.vals[k], fmt.Sprintf("%s[%q]", path, k))
		if err != nil {
			return nil, err
		}
		out = append(out, spec.Property{Name: k, Schema: s})
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func (p *cmdParser) count(v any, path string) (int, error) {
	n, err := p.integer(v, path)
	if err == nil && n < 0 {
		err = p.errf(path, "negative count %d", n)
	}
	return n, err
}

// constText renders a scalar constant as JSON text.
func (p *cmdParser) constText(v any, path string) (string, error) {
	switch x := v.(type) {
	case nil:
		return "null", nil
	case bool:
		return strconv.FormatBool(x), nil
	case json.Number:
		return x.String(), nil
	case string, []byte:
		s, _ := asString(x)
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			return "", p.errf(path, "%v", err)
		}
		return strings.TrimSuffix(buf.String(), "\n"), nil
	}
	if n, ok := asInt(v); ok {
		return strconv.FormatInt(n, 10), nil
	}
	return "", p.errf(path, "want a scalar constant, got %s", typeName(v))
}

// isTuple tells the array form of "items" from the object form. From a
// RESP2 server an object is a flat array too, but one that starts with a
// keyword, where a tuple starts with a schema.
func (p *cmdParser) isTuple(v any) bool {
	l, ok := asList(v)
	if !ok {
		return false
	}
	if p.format == formatLive && len(l) > 0 {
		if _, isKey := asString(l[0]); isKey {
			return false
		}
	}
	return true
}
