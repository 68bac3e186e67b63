package cmdimpl

// This file is part of the runtime layer. It turns Go values into command arguments and back: the Scalar
// constraint of typed value parameters, values given as any (later pairs of
// a repeated block, script arguments, Raw) checked when the command is
// built, field-value and member lists taken from maps, tagged structs and
// slices, and ScanStruct, which fills a tagged struct from a field-value
// reply.

import (
	"encoding"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redkit-go/redkit/transport"
)

// Scalar is the constraint of value parameters: strings and byte slices go
// as they are (binary safe, a []byte is not copied and must not change
// until the command has run), integers in decimal, floats as the shortest
// decimal that reads back the same (float32 at its own precision, ±inf as
// Redis writes it), and bools as 1 and 0.
type Scalar interface {
	string | []byte | int | int8 | int16 | int32 | int64 | uint | uint8 | uint16 | uint32 | uint64 |
		float32 | float64 | bool
}

// ScalarArg is the argument of a Scalar value.
func ScalarArg[V Scalar](v V) transport.Arg {
	switch x := any(v).(type) {
	case string:
		return transport.String(x)
	case []byte:
		return transport.Bytes(x)
	case int:
		return transport.Int(int64(x))
	case int8:
		return transport.Int(int64(x))
	case int16:
		return transport.Int(int64(x))
	case int32:
		return transport.Int(int64(x))
	case int64:
		return transport.Int(x)
	case uint:
		return transport.Uint(uint64(x))
	case uint8:
		return transport.Uint(uint64(x))
	case uint16:
		return transport.Uint(uint64(x))
	case uint32:
		return transport.Uint(uint64(x))
	case uint64:
		return transport.Uint(x)
	case float32:
		return transport.Float32(x)
	case float64:
		return transport.Float(x)
	case bool:
		return transport.Bool(x)
	}
	panic("unreachable: Scalar covers these types")
}

// errNilValue is the error of a nil value where one is needed.
var errNilValue = errors.New("nil value")

// AnyArg is the argument of a value given as any: a Scalar type, a type
// whose underlying type is one, or a value implementing
// encoding.TextMarshaler (tried first: time.Time gives RFC 3339 with
// nanoseconds, as ScanStruct reads it back) or encoding.BinaryMarshaler.
func AnyArg(v any) (transport.Arg, error) {
	switch x := v.(type) {
	case string:
		return transport.String(x), nil
	case []byte:
		return transport.Bytes(x), nil
	case int:
		return transport.Int(int64(x)), nil
	case int64:
		return transport.Int(x), nil
	case float64:
		return transport.Float(x), nil
	case bool:
		return transport.Bool(x), nil
	case int8, int16, int32, uint, uint8, uint16, uint32, uint64, float32:
		return reflectArg(reflect.ValueOf(v))
	case nil:
		return transport.Arg{}, errNilValue
	case encoding.TextMarshaler:
		b, err := x.MarshalText()
		if err != nil {
			return transport.Arg{}, err
		}
		return transport.Bytes(b), nil
	case encoding.BinaryMarshaler:
		b, err := x.MarshalBinary()
		if err != nil {
			return transport.Arg{}, err
		}
		return transport.Bytes(b), nil
	}
	return reflectArg(reflect.ValueOf(v))
}

// reflectArg is AnyArg for values of named types (type Level int) and the
// less common sizes.
func reflectArg(rv reflect.Value) (transport.Arg, error) {
	switch rv.Kind() {
	case reflect.String:
		return transport.String(rv.String()), nil
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return transport.Bytes(rv.Bytes()), nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return transport.Int(rv.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return transport.Uint(rv.Uint()), nil
	case reflect.Float32:
		return transport.Float32(float32(rv.Float())), nil
	case reflect.Float64:
		return transport.Float(rv.Float()), nil
	case reflect.Bool:
		return transport.Bool(rv.Bool()), nil
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return transport.Arg{}, errNilValue
		}
		return AnyArg(rv.Elem().Interface())
	}
	return transport.Arg{}, fmt.Errorf("a %s is not a value (want a string, []byte, number, bool, or an encoding.TextMarshaler or BinaryMarshaler)", rv.Type())
}

// AnyValue appends a value given as any at pos, or records a build error
// naming what it is for.
func (b *Builder) AnyValue(pos uint16, what string, v any) {
	a, err := AnyArg(v)
	if err != nil {
		b.Fail(fmt.Errorf("%s: %w", what, err))
		return
	}
	b.Add(pos, a)
}

// AppendScalar appends a Scalar value at pos.
func AppendScalar[V Scalar](b *Builder, pos uint16, v V) { b.Add(pos, ScalarArg(v)) }

// PairKind says what a list of pairs holds, for the commands that take one.
type PairKind uint8

const (
	PairsFieldValue  PairKind = iota // field value (HSET, XADD): strings then values
	PairsKeyValue                    // key value (MSET): keys then values
	PairsScoreMember                 // score member (ZADD): floats then members
)

// Pairs appends the pairs of a list given as a map, a tagged struct (or a
// pointer to one) or a slice, at pos; an empty list, or one of another
// shape, is a build error naming what it is for.
//
//   - maps: map[string]V (field or key, value) for field-value and key-value
//     lists, map[M]float64 (member, score) for score-member lists, V any
//     value; entries go in sorted key order, so the command is the same
//     every time;
//   - structs: the exported fields with a `redis:"name"` tag, in field
//     order; `redis:"-"` and untagged fields are skipped, `omitempty` skips
//     zero values; nil pointers are skipped;
//   - slices: []ZMember for score-member lists, []FieldValue for
//     field-value lists, and []any alternating name and value (or score and
//     member) for any.
func (b *Builder) Pairs(pos uint16, what string, kind PairKind, list any) {
	n := b.n
	if err := appendPairs(b, pos, kind, list); err != nil {
		b.Fail(fmt.Errorf("%s: %w", what, err))
		return
	}
	if b.n == n {
		b.Fail(fmt.Errorf("%s: empty list (the command needs at least one pair)", what))
	}
}

func appendPairs(b *Builder, pos uint16, kind PairKind, list any) error {
	name := func(s string) {
		if kind == PairsKeyValue {
			b.Key(pos, s)
		} else {
			b.Str(pos, s)
		}
	}
	value := func(v any) error {
		a, err := AnyArg(v)
		if err != nil {
			return err
		}
		b.Add(pos, a)
		return nil
	}
	switch l := list.(type) {
	case nil:
		return errNilValue
	case []ZMember:
		if kind != PairsScoreMember {
			break
		}
		for _, m := range l {
			b.Float(pos, m.Score)
			b.Str(pos, m.Member)
		}
		return nil
	case []FieldValue:
		if kind != PairsFieldValue {
			break
		}
		for _, p := range l {
			b.Str(pos, p.Field)
			b.Str(pos, p.Value)
		}
		return nil
	case []any:
		if len(l)%2 != 0 {
			return fmt.Errorf("%d items: want pairs", len(l))
		}
		for i := 0; i < len(l); i += 2 {
			if kind == PairsScoreMember {
				score, ok := toFloat(l[i])
				if !ok {
					return fmt.Errorf("item %d: score %T is not a number", i, l[i])
				}
				b.Float(pos, score)
				if err := value(l[i+1]); err != nil {
					return fmt.Errorf("item %d: %w", i+1, err)
				}
				continue
			}
			s, ok := l[i].(string)
			if !ok {
				return fmt.Errorf("item %d: name %T is not a string", i, l[i])
			}
			name(s)
			if err := value(l[i+1]); err != nil {
				return fmt.Errorf("%q: %w", s, err)
			}
		}
		return nil
	}
	rv := reflect.ValueOf(list)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return errNilValue
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Map:
		keys := rv.MapKeys()
		if kind == PairsScoreMember {
			if !isFloatKind(rv.Type().Elem().Kind()) {
				return fmt.Errorf("a %s is not a score-member map (want map[member]float64)", rv.Type())
			}
			slices.SortFunc(keys, func(x, y reflect.Value) int {
				return strings.Compare(fmt.Sprint(x.Interface()), fmt.Sprint(y.Interface()))
			})
			for _, k := range keys {
				b.Float(pos, rv.MapIndex(k).Float())
				if err := value(k.Interface()); err != nil {
					return fmt.Errorf("member %v: %w", k.Interface(), err)
				}
			}
			return nil
		}
		if rv.Type().Key().Kind() != reflect.String {
			return fmt.Errorf("a %s has no string keys", rv.Type())
		}
		slices.SortFunc(keys, func(x, y reflect.Value) int { return strings.Compare(x.String(), y.String()) })
		for _, k := range keys {
			name(k.String())
			if err := value(rv.MapIndex(k).Interface()); err != nil {
				return fmt.Errorf("%q: %w", k.String(), err)
			}
		}
		return nil
	case reflect.Struct:
		if kind == PairsScoreMember {
			break
		}
		for _, f := range structFields(rv.Type()) {
			fv := rv.FieldByIndex(f.index)
			if (f.omitEmpty && fv.IsZero()) || ((fv.Kind() == reflect.Pointer || fv.Kind() == reflect.Interface) && fv.IsNil()) {
				continue
			}
			name(f.name)
			if err := value(fv.Interface()); err != nil {
				return fmt.Errorf("field %s (%q): %w", f.goName, f.name, err)
			}
		}
		return nil
	}
	want := map[PairKind]string{
		PairsFieldValue:  "a map[string]V, a struct with redis tags, []FieldValue or []any pairs",
		PairsKeyValue:    "a map[string]V, a struct with redis tags or []any pairs",
		PairsScoreMember: "[]ZMember, a map[member]float64 or []any pairs of score and member",
	}[kind]
	return fmt.Errorf("a %T is not a list of pairs (want %s)", list, want)
}

func isFloatKind(k reflect.Kind) bool { return k == reflect.Float64 || k == reflect.Float32 }

// toFloat converts a number given as any to a float64.
func toFloat(v any) (float64, bool) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Float32, reflect.Float64:
		return rv.Float(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint()), true
	}
	return 0, false
}

// taggedField is a struct field with a redis tag.
type taggedField struct {
	name, goName string
	index        []int
	omitEmpty    bool
}

var structFieldsCache sync.Map // reflect.Type -> []taggedField

// structFields returns the fields of a struct type that have a redis tag,
// in order (embedded structs' fields included).
func structFields(t reflect.Type) []taggedField {
	if fs, ok := structFieldsCache.Load(t); ok {
		return fs.([]taggedField)
	}
	var fs []taggedField
	for _, f := range reflect.VisibleFields(t) {
		tag, ok := f.Tag.Lookup("redis")
		if !ok || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fs = append(fs, taggedField{name: name, goName: f.Name, index: f.Index, omitEmpty: opts == "omitempty"})
	}
	structFieldsCache.Store(t, fs)
	return fs
}

// ScanStruct fills the fields of the struct dst points to from a
// field-value reply (HGETALL, CONFIG GET, the fields of a stream entry):
// each exported field with a `redis:"name"` tag gets the value of that
// name, parsed for its type (strings, []byte, integers, floats, bools,
// time.Duration as a number of nanoseconds or a Go duration, pointers to
// these, and types implementing encoding.TextUnmarshaler or
// BinaryUnmarshaler). Names without a field, and fields without a value,
// are left alone. It reports the first value that does not parse, naming
// the field.
//
//	fields, err := redisclient.HGetAll("user:1").Do(ctx, c)
//	var u User
//	err = redisclient.ScanStruct(fields, &u)
func ScanStruct(fields map[string]string, dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("redisclient: ScanStruct: want a non-nil pointer to a struct, got %T", dst)
	}
	rv = rv.Elem()
	for _, f := range structFields(rv.Type()) {
		s, ok := fields[f.name]
		if !ok {
			continue
		}
		fv := rv.FieldByIndex(f.index)
		if err := setField(fv, s); err != nil {
			return fmt.Errorf("redisclient: ScanStruct: field %s (%q = %q): %w", f.goName, f.name, clipValue(s), err)
		}
	}
	return nil
}

func clipValue(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

var durationType = reflect.TypeFor[time.Duration]()

// setField parses s into the field fv.
func setField(fv reflect.Value, s string) error {
	if fv.CanAddr() {
		switch u := fv.Addr().Interface().(type) {
		case encoding.TextUnmarshaler:
			return u.UnmarshalText([]byte(s))
		case encoding.BinaryUnmarshaler:
			return u.UnmarshalBinary([]byte(s))
		}
	}
	switch fv.Kind() {
	case reflect.Pointer:
		p := reflect.New(fv.Type().Elem())
		if err := setField(p.Elem(), s); err != nil {
			return err
		}
		fv.Set(p)
		return nil
	case reflect.String:
		fv.SetString(s)
		return nil
	case reflect.Slice:
		if fv.Type().Elem().Kind() == reflect.Uint8 {
			fv.SetBytes([]byte(s))
			return nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if fv.Type() == durationType {
			if d, err := time.ParseDuration(s); err == nil {
				fv.SetInt(int64(d))
				return nil
			}
		}
		n, err := strconv.ParseInt(s, 10, fv.Type().Bits())
		if err != nil {
			return err
		}
		fv.SetInt(n)
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(s, 10, fv.Type().Bits())
		if err != nil {
			return err
		}
		fv.SetUint(n)
		return nil
	case reflect.Float32, reflect.Float64:
		f, err := parseRedisFloat(s, fv.Type().Bits())
		if err != nil {
			return err
		}
		fv.SetFloat(f)
		return nil
	case reflect.Bool:
		switch s {
		case "1", "true", "TRUE", "True":
			fv.SetBool(true)
		case "0", "false", "FALSE", "False", "":
			fv.SetBool(false)
		default:
			return fmt.Errorf("not a bool")
		}
		return nil
	}
	return fmt.Errorf("a %s field cannot hold a reply value", fv.Type())
}

// parseRedisFloat parses a float as Redis writes it (inf, -inf, +inf).
func parseRedisFloat(s string, bits int) (float64, error) {
	switch strings.ToLower(s) {
	case "inf", "+inf":
		return math.Inf(1), nil
	case "-inf":
		return math.Inf(-1), nil
	}
	return strconv.ParseFloat(s, bits)
}
