package gen

// This file is part of the planning layer: it derives each command's Go
// reply type from its reply schema (or from the override table), and keeps
// the set of distinct reply types so the decoders emitter renders each once.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/redkit-go/redkit/spec"
)

// TypeKind is the shape of a reply type.
type TypeKind int

// Reply type shapes.
const (
	TOK       TypeKind = iota // the status reply OK: Do returns only an error
	TString                   // string (bulk, simple or verbatim string)
	TInt                      // int64
	TFloat                    // float64 (RESP3 double or RESP2 bulk string)
	TBool                     // bool (integer 0/1, RESP3 boolean, or OK/null)
	TOpt                      // Opt[Elem]: a scalar that may be null
	TSlice                    // []Elem
	TMap                      // map[Key]Elem (RESP3 map or RESP2 flat array)
	TStruct                   // a struct decoded from a map (by key) or an array (by position)
	TNamed                    // a hand-written type with a hand-written decoder
	TAny                      // Value: a reply without a fixed shape
	TDuration                 // time.Duration from a number in Unit
	TTime                     // time.Time from an integer Unix time in Unit (seconds or milliseconds)
)

// TimeUnit is the unit of the number a TDuration or TTime decodes.
type TimeUnit int

// Time units of replies.
const (
	UnitSeconds      TimeUnit = iota // an integer number of seconds
	UnitMillis                       // an integer number of milliseconds
	UnitMicros                       // an integer number of microseconds
	UnitFloatSeconds                 // a number of seconds with a fraction (a double, or a bulk string in RESP2)
)

// unitSuffixes name the units in decoder names (DecodeMillis).
var unitSuffixes = map[TimeUnit]string{UnitSeconds: "Seconds", UnitMillis: "Millis", UnitMicros: "Micros", UnitFloatSeconds: "FloatSeconds"}

// Type is a reply type.
type Type struct {
	Kind      TypeKind
	Elem, Key *Type
	// Name is the Go name of TStruct and TNamed types.
	Name string
	// Fields of a TStruct; Tuple structs decode by position.
	Fields []*Field
	Tuple  bool
	// MinLen, for a tuple, is how many elements every server sends (0:
	// all of them).
	MinLen int
	// Null marks aggregates that may be null (nil slice or map, nil
	// pointer to struct).
	Null bool
	// Unit is the unit of TDuration and TTime.
	Unit TimeUnit
	// Decoder names a TNamed type's decoder (decode<Decoder>) when the
	// type has several wire forms (TimeToLive from seconds or
	// milliseconds); Name is then the Go type.
	Decoder string
	// OneOrMany marks a TSlice that also decodes a single value (a list of
	// one) and null (nil): the reply of a run-time option that may or may
	// not ask for a list (plan_options.go).
	OneOrMany bool
}

// Field is one field of a generated reply struct.
type Field struct {
	Name string // Go name
	Key  string // reply key (map structs)
	Type *Type
}

// GoExpr renders the Go type expression.
func (t *Type) GoExpr() string {
	switch t.Kind {
	case TOK:
		return "struct{}"
	case TString:
		return "string"
	case TInt:
		return "int64"
	case TFloat:
		return "float64"
	case TBool:
		return "bool"
	case TOpt:
		return "Opt[" + t.Elem.GoExpr() + "]"
	case TSlice:
		return "[]" + t.Elem.GoExpr()
	case TMap:
		return "map[" + t.Key.GoExpr() + "]" + t.Elem.GoExpr()
	case TStruct, TNamed:
		if t.Null {
			return "*" + t.Name
		}
		return t.Name
	case TAny:
		return "Value"
	case TDuration:
		return "time.Duration"
	case TTime:
		return "time.Time"
	}
	panic(fmt.Sprintf("gen: unknown type kind %d", t.Kind))
}

// Key returns a canonical identity of the type, used to share decoders.
func (t *Type) Ident() string {
	s := t.GoExpr()
	if t.Kind == TStruct && t.Null {
		s = "*" + t.Name
	}
	return s
}

// DecoderName is the Go name of the type's decode function.
func (t *Type) DecoderName() string {
	var b strings.Builder
	b.WriteString("decode")
	t.decoderSuffix(&b)
	return b.String()
}

// decoderKey names the decoder of a struct or hand-written type: Decoder
// when set, else the type's name.
func (t *Type) decoderKey() string {
	if t.Decoder != "" {
		return t.Decoder
	}
	return t.Name
}

func (t *Type) decoderSuffix(b *strings.Builder) {
	switch t.Kind {
	case TOK:
		b.WriteString("OK")
	case TString:
		b.WriteString("String")
	case TInt:
		b.WriteString("Int")
	case TFloat:
		b.WriteString("Float")
	case TBool:
		b.WriteString("Bool")
	case TOpt:
		b.WriteString("Opt")
		t.Elem.decoderSuffix(b)
	case TSlice:
		if t.OneOrMany {
			b.WriteString("OneOrMany")
			t.Elem.decoderSuffix(b)
			return
		}
		if t.Null {
			b.WriteString("Null")
		}
		b.WriteString("Slice")
		t.Elem.decoderSuffix(b)
	case TMap:
		if t.Null {
			b.WriteString("Null")
		}
		b.WriteString("Map")
		t.Key.decoderSuffix(b)
		t.Elem.decoderSuffix(b)
	case TStruct, TNamed:
		if t.Null {
			b.WriteString("Null")
		}
		b.WriteString(t.decoderKey())
	case TAny:
		b.WriteString("Any")
	case TDuration:
		b.WriteString(unitSuffixes[t.Unit])
	case TTime:
		switch {
		case t.Decoder != "":
			b.WriteString(t.Decoder)
		case t.Unit == UnitMillis:
			b.WriteString("UnixMillis")
		default:
			b.WriteString("UnixTime")
		}
	}
}

// typeSet holds every distinct reply type the plan uses.
type typeSet struct {
	byKey   map[string]*Type
	structs map[string]*Type
}

func newTypeSet() *typeSet {
	return &typeSet{byKey: map[string]*Type{}, structs: map[string]*Type{}}
}

// add registers t and its parts; it returns the canonical instance.
// Structs are registered before their fields, so recursive types end.
func (ts *typeSet) add(t *Type) *Type {
	k := t.DecoderName()
	if old, ok := ts.byKey[k]; ok {
		return old
	}
	ts.byKey[k] = t
	if t.Kind == TStruct {
		if old, ok := ts.structs[t.Name]; ok {
			if old != t && !sameStruct(old, t) {
				panic(fmt.Sprintf("gen: two different structs named %s", t.Name))
			}
		} else {
			ts.structs[t.Name] = t
		}
	}
	if t.Elem != nil {
		t.Elem = ts.add(t.Elem)
	}
	if t.Key != nil {
		t.Key = ts.add(t.Key)
	}
	if t.Kind == TStruct && !t.Null {
		for _, f := range t.Fields {
			f.Type = ts.add(f.Type)
		}
	}
	if t.Kind == TStruct && t.Null {
		// The nullable form decodes through the plain one.
		base := *t
		base.Null = false
		ts.add(&base)
	}
	return t
}

func sameStruct(a, b *Type) bool {
	if len(a.Fields) != len(b.Fields) || a.Tuple != b.Tuple {
		return false
	}
	for i := range a.Fields {
		if a.Fields[i].Name != b.Fields[i].Name || a.Fields[i].Key != b.Fields[i].Key || a.Fields[i].Type.Ident() != b.Fields[i].Type.Ident() {
			return false
		}
	}
	return true
}

// Sorted returns the distinct types ordered by decoder name.
func (ts *typeSet) Sorted() []*Type {
	out := make([]*Type, 0, len(ts.byKey))
	for _, t := range ts.byKey {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].DecoderName() < out[j].DecoderName() })
	return out
}

// Structs returns the struct types ordered by name (each once, non-null).
func (ts *typeSet) Structs() []*Type {
	out := make([]*Type, 0, len(ts.structs))
	for _, t := range ts.structs {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// errNoShape reports a schema that maps to no Go type without an override.
type errNoShape struct{ why string }

func (e errNoShape) Error() string { return e.why }

// typeFromSchema derives a Go type from a reply schema. name is the Go name
// stem for structs it creates.
func (pl *planner) typeFromSchema(s *spec.Schema, name string) (*Type, error) {
	if s == nil {
		return nil, errNoShape{"no reply schema"}
	}
	switch {
	case s.Ref != "":
		return nil, errNoShape{"recursive schema ($ref)"}
	case s.Const != "":
		if s.Const == `"OK"` {
			return &Type{Kind: TOK}, nil
		}
		if _, err := strconv.ParseInt(s.Const, 10, 64); err == nil {
			return &Type{Kind: TInt}, nil
		}
		return &Type{Kind: TString}, nil
	case len(s.OneOf) > 0 || len(s.AnyOf) > 0:
		alts := s.OneOf
		if len(alts) == 0 {
			alts = s.AnyOf
		}
		return pl.typeFromAlternatives(alts, name)
	}
	switch s.Type {
	case "string":
		return &Type{Kind: TString}, nil
	case "integer":
		return &Type{Kind: TInt}, nil
	case "number":
		return &Type{Kind: TFloat}, nil
	case "boolean":
		return &Type{Kind: TBool}, nil
	case "null":
		return nil, errNoShape{"reply is always null"}
	case "array":
		if len(s.Tuple) > 0 {
			return pl.tupleType(s, name)
		}
		if s.Items == nil {
			return nil, errNoShape{"array without items"}
		}
		el, err := pl.typeFromSchema(s.Items, name+"Item")
		if err != nil {
			return nil, err
		}
		return &Type{Kind: TSlice, Elem: el}, nil
	case "object":
		return pl.objectType(s, name)
	}
	return nil, errNoShape{fmt.Sprintf("schema type %q", s.Type)}
}

// typeFromAlternatives merges oneOf/anyOf alternatives.
func (pl *planner) typeFromAlternatives(alts []*spec.Schema, name string) (*Type, error) {
	var nullable bool
	var nonNull []*spec.Schema
	for _, a := range alts {
		if a.Type == "null" && a.Const == "" && len(a.OneOf) == 0 && len(a.AnyOf) == 0 {
			nullable = true
			continue
		}
		nonNull = append(nonNull, a)
	}
	if len(nonNull) == 0 {
		return nil, errNoShape{"reply is always null"}
	}
	// Integer constants 0 and 1 only: a boolean.
	if allConsts(nonNull, "0", "1") {
		return maybeNull(&Type{Kind: TBool}, nullable), nil
	}
	// OK or null: whether the command did its work.
	if nullable && len(nonNull) == 1 && nonNull[0].Const == `"OK"` {
		return &Type{Kind: TBool}, nil
	}
	var t *Type
	for i, a := range nonNull {
		at, err := pl.typeFromSchema(a, name)
		if err != nil {
			return nil, err
		}
		if t == nil {
			t = at
			continue
		}
		if at.Ident() != t.Ident() {
			// Integer constants merge into integers, string constants into
			// strings, OK into strings.
			if merged := mergeScalar(t, at); merged != nil {
				t = merged
				continue
			}
			return nil, errNoShape{fmt.Sprintf("alternatives differ: %s and %s (alternative %d)", t.GoExpr(), at.GoExpr(), i)}
		}
	}
	return maybeNull(t, nullable), nil
}

func mergeScalar(a, b *Type) *Type {
	if (a.Kind == TOK && b.Kind == TString) || (a.Kind == TString && b.Kind == TOK) {
		return &Type{Kind: TString}
	}
	if a.Kind == TBool && b.Kind == TInt || a.Kind == TInt && b.Kind == TBool {
		return &Type{Kind: TInt}
	}
	return nil
}

func allConsts(alts []*spec.Schema, vals ...string) bool {
	for _, a := range alts {
		ok := false
		for _, v := range vals {
			if a.Const == v {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func maybeNull(t *Type, nullable bool) *Type {
	if !nullable {
		return t
	}
	switch t.Kind {
	case TSlice, TMap, TStruct, TNamed:
		c := *t
		c.Null = true
		return &c
	case TAny:
		return t
	case TOK:
		return &Type{Kind: TBool}
	}
	return &Type{Kind: TOpt, Elem: t}
}

// tupleType maps a fixed-length heterogeneous array. Known shapes get their
// named types from the override table; others are not mapped.
func (pl *planner) tupleType(s *spec.Schema, name string) (*Type, error) {
	var parts []string
	for _, it := range s.Tuple {
		t, err := pl.typeFromSchema(it, name)
		if err != nil {
			return nil, err
		}
		if it.Pattern == streamIDPattern {
			parts = append(parts, "streamid")
			continue
		}
		parts = append(parts, t.GoExpr())
	}
	sig := "(" + strings.Join(parts, ", ") + ")"
	if s.AdditionalItems != nil {
		sig += "+"
	}
	if tn, ok := lookupTable(tupleShapeTables, sig); ok {
		return pl.namedType(tn)
	}
	if allSame(parts) && s.AdditionalItems == nil {
		el, _ := pl.typeFromSchema(s.Tuple[0], name)
		return &Type{Kind: TSlice, Elem: el}, nil
	}
	return nil, errNoShape{"tuple " + sig}
}

func allSame(p []string) bool {
	for _, x := range p {
		if x != p[0] {
			return false
		}
	}
	return true
}

// streamIDPattern marks stream IDs in reply schemas.
const streamIDPattern = "[0-9]+-[0-9]+"

// objectType maps an object schema to a map or a struct.
func (pl *planner) objectType(s *spec.Schema, name string) (*Type, error) {
	if len(s.Properties) == 0 {
		var vs *spec.Schema
		switch {
		case s.AdditionalProperties != nil:
			vs = s.AdditionalProperties
		case len(s.PatternProperties) == 1:
			vs = s.PatternProperties[0].Schema
		default:
			return nil, errNoShape{"object without properties"}
		}
		el, err := pl.typeFromSchema(vs, name+"Value")
		if err != nil {
			return nil, err
		}
		return &Type{Kind: TMap, Key: &Type{Kind: TString}, Elem: el}, nil
	}
	if r, ok := pl.renames[name]; ok {
		name = r
	}
	if err := pl.claim(name, "reply struct "+name); err != nil {
		return nil, err
	}
	st := &Type{Kind: TStruct, Name: name}
	used := map[string]bool{}
	for _, p := range s.Properties {
		fn := camelName(p.Name)
		for used[fn] {
			fn += "_"
		}
		used[fn] = true
		ft, err := pl.typeFromSchema(p.Schema, name+fn)
		if err != nil {
			return nil, fmt.Errorf("property %s: %w", p.Name, err)
		}
		if fo, ok := pl.fields[name+"."+p.Name]; ok {
			pl.fieldsUsed[name+"."+p.Name] = true
			if ft, err = pl.parseType(fo.Type); err != nil {
				return nil, fmt.Errorf("property %s: %w", p.Name, err)
			}
			if fo.Name != "" {
				fn = fo.Name
				used[fn] = true
			}
		}
		if ft.Kind == TOK {
			ft = &Type{Kind: TString}
		}
		st.Fields = append(st.Fields, &Field{Name: fn, Key: p.Name, Type: ft})
	}
	return st, nil
}
