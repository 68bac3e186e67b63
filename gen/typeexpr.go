package gen

// This file is part of the planning layer: it parses the small type language
// of the override table ("?string", "[]ZMember", "map[string]int") into
// reply types.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/redkit-go/redkit/spec"
)

// parseType parses a type expression:
//
//	ok | string | int | float | bool | any | Name    (a struct or hand-written type)
//	seconds | millis | micros                        (time.Duration from an integer in that unit)
//	floatseconds                                     (time.Duration from a number of seconds with a fraction)
//	unixtime | unixmillis                            (time.Time from an integer Unix time in that unit)
//	servertime                                       (time.Time from TIME's seconds and microseconds)
//	?T                                               (nullable; a duration or time is also
//	                                                  absent when negative, the server's -1 for "never")
//	[]T | map[K]V
//	#N                                               (alternative N of the reply schema's oneOf/anyOf)
func (pl *planner) parseType(expr string) (*Type, error) {
	return pl.parseTypeIn(expr, nil, "")
}

// parseTypeIn parses expr for a command whose reply schema is s; stem names
// structs derived from the schema.
func (pl *planner) parseTypeIn(expr string, s *spec.Schema, stem string) (*Type, error) {
	if n, ok := strings.CutPrefix(expr, "#"); ok {
		i, err := strconv.Atoi(n)
		alts := []*spec.Schema(nil)
		if s != nil {
			alts = s.OneOf
			if len(alts) == 0 {
				alts = s.AnyOf
			}
		}
		if err != nil || i < 0 || i >= len(alts) {
			return nil, fmt.Errorf("type %q: the reply schema has no alternative %s", expr, n)
		}
		return pl.typeFromSchema(alts[i], stem)
	}
	t, rest, err := pl.parseTypePrefix(strings.TrimSpace(expr))
	if err != nil {
		return nil, fmt.Errorf("type %q: %w", expr, err)
	}
	if rest != "" {
		return nil, fmt.Errorf("type %q: unexpected %q", expr, rest)
	}
	return t, nil
}

func (pl *planner) parseTypePrefix(s string) (*Type, string, error) {
	switch {
	case strings.HasPrefix(s, "?"):
		t, rest, err := pl.parseTypePrefix(s[1:])
		if err != nil {
			return nil, "", err
		}
		return maybeNull(t, true), rest, nil
	case strings.HasPrefix(s, "[]"):
		t, rest, err := pl.parseTypePrefix(s[2:])
		if err != nil {
			return nil, "", err
		}
		return &Type{Kind: TSlice, Elem: t}, rest, nil
	case strings.HasPrefix(s, "map["):
		k, rest, err := pl.parseTypePrefix(s[4:])
		if err != nil {
			return nil, "", err
		}
		if !strings.HasPrefix(rest, "]") {
			return nil, "", fmt.Errorf("missing ] after map key")
		}
		v, rest, err := pl.parseTypePrefix(rest[1:])
		if err != nil {
			return nil, "", err
		}
		return &Type{Kind: TMap, Key: k, Elem: v}, rest, nil
	}
	i := 0
	for i < len(s) && (s[i] == '_' || s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9') {
		i++
	}
	word, rest := s[:i], s[i:]
	switch word {
	case "":
		return nil, "", fmt.Errorf("missing type at %q", s)
	case "ok":
		return &Type{Kind: TOK}, rest, nil
	case "string":
		return &Type{Kind: TString}, rest, nil
	case "int":
		return &Type{Kind: TInt}, rest, nil
	case "float":
		return &Type{Kind: TFloat}, rest, nil
	case "bool":
		return &Type{Kind: TBool}, rest, nil
	case "any":
		return &Type{Kind: TAny}, rest, nil
	case "seconds":
		return &Type{Kind: TDuration, Unit: UnitSeconds}, rest, nil
	case "millis":
		return &Type{Kind: TDuration, Unit: UnitMillis}, rest, nil
	case "micros":
		return &Type{Kind: TDuration, Unit: UnitMicros}, rest, nil
	case "floatseconds":
		return &Type{Kind: TDuration, Unit: UnitFloatSeconds}, rest, nil
	case "unixtime":
		return &Type{Kind: TTime, Unit: UnitSeconds}, rest, nil
	case "unixmillis":
		return &Type{Kind: TTime, Unit: UnitMillis}, rest, nil
	case "servertime":
		return &Type{Kind: TTime, Decoder: "ServerTime"}, rest, nil
	}
	t, err := pl.namedType(word)
	return t, rest, err
}

// namedType returns the struct defined in structDefs or the hand-written
// type of that name.
func (pl *planner) namedType(name string) (*Type, error) {
	if t, ok := pl.named[name]; ok {
		return t, nil
	}
	if _, ok := lookupTable(handwrittenTables, name); ok {
		t := &Type{Kind: TNamed, Name: name}
		pl.named[name] = t
		return t, nil
	}
	if goName, ok := handwrittenAs[name]; ok {
		t := &Type{Kind: TNamed, Name: goName, Decoder: name}
		pl.named[name] = t
		return t, nil
	}
	def, ok := lookupTable(structTables, name)
	if !ok {
		return nil, fmt.Errorf("unknown type name %s", name)
	}
	t := &Type{Kind: TStruct, Name: name, Tuple: def.Tuple, MinLen: def.Min}
	pl.named[name] = t // before fields, for self-reference
	for _, f := range def.Fields {
		ft, err := pl.parseType(f.Type)
		if err != nil {
			return nil, fmt.Errorf("struct %s field %s: %w", name, f.Name, err)
		}
		if ft.Kind == TOK {
			ft = &Type{Kind: TString}
		}
		t.Fields = append(t.Fields, &Field{Name: f.Name, Key: f.Key, Type: ft})
	}
	return t, nil
}
