package cmdimpl

// This file is part of the runtime layer: the decode primitives that the
// generated reply decoders are composed from. Each accepts both the RESP2 and the RESP3 form of a
// reply, so a command decodes into the same Go value on either protocol.

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/redkit-go/redkit/transport/resp"
)

// UnexpectedReplyError reports a reply whose shape does not fit the
// command's Go type.
type UnexpectedReplyError struct {
	// Want is the expected shape; Got renders the reply received.
	Want, Got string
	// Path locates the part of the reply, such as "[3].score".
	Path string
}

// Error renders the expected and received shapes and where.
func (e *UnexpectedReplyError) Error() string {
	if e.Path != "" {
		return fmt.Sprintf("Unexpected reply at %s: got %s, want %s", e.Path, e.Got, e.Want)
	}
	return fmt.Sprintf("Unexpected reply: got %s, want %s", e.Got, e.Want)
}

// Unexpected returns an *UnexpectedReplyError for v, which is not the
// shape want.
func Unexpected(v resp.Value, want string) error {
	got := v.String()
	if len(got) > 120 {
		got = got[:117] + "..."
	}
	return &UnexpectedReplyError{Want: want, Got: got}
}

// At prefixes the location of a nested decode error.
func At(err error, step string) error {
	if e, ok := err.(*UnexpectedReplyError); ok {
		c := *e
		if c.Path == "" || c.Path[0] == '[' {
			c.Path = step + c.Path
		} else {
			c.Path = step + "." + c.Path
		}
		return &c
	}
	return err
}

// replyErr returns the server error carried by v, if any, also for errors
// nested in aggregates.
func replyErr(v resp.Value) error { return v.Err() }

// IsStringKind reports whether k is a string kind (simple, bulk or
// verbatim).
func IsStringKind(k resp.Kind) bool {
	switch k {
	case resp.KindSimpleString, resp.KindBulkString, resp.KindVerbatim:
		return true
	}
	return false
}

// IsAggregate reports whether k is an array, set, push or map.
func IsAggregate(k resp.Kind) bool {
	switch k {
	case resp.KindArray, resp.KindSet, resp.KindPush, resp.KindMap:
		return true
	}
	return false
}

// DecodeOK decodes a status reply (OK).
func DecodeOK(v resp.Value) (struct{}, error) {
	if err := replyErr(v); err != nil {
		return struct{}{}, err
	}
	if IsStringKind(v.Kind()) {
		return struct{}{}, nil
	}
	return struct{}{}, Unexpected(v, "status reply")
}

// DecodeString decodes a string (also a number, sent as text).
func DecodeString(v resp.Value) (string, error) {
	switch k := v.Kind(); {
	case IsStringKind(k), k == resp.KindDouble, k == resp.KindBigNumber:
		return v.Text(), nil
	case k == resp.KindInteger:
		return strconv.FormatInt(v.Int(), 10), nil
	case k == resp.KindSimpleError, k == resp.KindBulkError:
		return "", v.Err()
	}
	return "", Unexpected(v, "string")
}

// DecodeInt decodes an integer, also one sent as a string or a double
// without fraction.
func DecodeInt(v resp.Value) (int64, error) {
	switch k := v.Kind(); {
	case k == resp.KindInteger, k == resp.KindBoolean:
		return v.Int(), nil
	case IsStringKind(k), k == resp.KindBigNumber:
		n, err := resp.ParseInt(v.Bytes())
		if err != nil {
			return 0, Unexpected(v, "integer")
		}
		return n, nil
	case k == resp.KindDouble:
		f, err := resp.ParseFloat(v.Bytes())
		if err != nil || f != float64(int64(f)) {
			return 0, Unexpected(v, "integer")
		}
		return int64(f), nil
	case k == resp.KindSimpleError, k == resp.KindBulkError:
		return 0, v.Err()
	}
	return 0, Unexpected(v, "integer")
}

// DecodeFloat decodes a number: a double, an integer or a decimal string.
func DecodeFloat(v resp.Value) (float64, error) {
	switch k := v.Kind(); {
	case k == resp.KindInteger:
		return float64(v.Int()), nil
	case IsStringKind(k), k == resp.KindDouble, k == resp.KindBigNumber:
		f, err := resp.ParseFloat(v.Bytes())
		if err != nil {
			return 0, Unexpected(v, "number")
		}
		return f, nil
	case k == resp.KindSimpleError, k == resp.KindBulkError:
		return 0, v.Err()
	}
	return 0, Unexpected(v, "number")
}

// DecodeBool accepts integers 0 and 1, RESP3 booleans, and OK (true) or
// null (false) for commands that report whether they did their work.
func DecodeBool(v resp.Value) (bool, error) {
	switch k := v.Kind(); {
	case k == resp.KindBoolean:
		return v.Bool(), nil
	case k == resp.KindInteger:
		switch v.Int() {
		case 0:
			return false, nil
		case 1:
			return true, nil
		}
	case k == resp.KindNull:
		return false, nil
	case k == resp.KindSimpleString:
		return true, nil
	case k == resp.KindSimpleError, k == resp.KindBulkError:
		return false, v.Err()
	}
	return false, Unexpected(v, "0 or 1")
}

// DecodeAny decodes any reply into an owned Value.
func DecodeAny(v resp.Value) (Value, error) {
	if err := replyErr(v); err != nil {
		return Value{}, err
	}
	return v.Message(), nil
}

// DecodeSeconds decodes an integer number of seconds.
func DecodeSeconds(v resp.Value) (time.Duration, error) {
	n, err := DecodeInt(v)
	return DurationOf(n, time.Second), err
}

// DecodeMillis decodes an integer number of milliseconds.
func DecodeMillis(v resp.Value) (time.Duration, error) {
	n, err := DecodeInt(v)
	return DurationOf(n, time.Millisecond), err
}

// DecodeMicros decodes an integer number of microseconds.
func DecodeMicros(v resp.Value) (time.Duration, error) {
	n, err := DecodeInt(v)
	return DurationOf(n, time.Microsecond), err
}

// DecodeFloatSeconds decodes a number of seconds with a fraction (a RESP3
// double, or a bulk string in RESP2), to the nearest nanosecond.
func DecodeFloatSeconds(v resp.Value) (time.Duration, error) {
	f, err := DecodeFloat(v)
	if err != nil {
		return 0, err
	}
	ns := math.Round(f * float64(time.Second))
	switch {
	case math.IsNaN(ns):
		return 0, Unexpected(v, "a number of seconds")
	case ns >= math.MaxInt64:
		return math.MaxInt64, nil
	case ns <= math.MinInt64:
		return math.MinInt64, nil
	}
	return time.Duration(ns), nil
}

// DecodeUnixTime decodes an integer Unix time in seconds.
func DecodeUnixTime(v resp.Value) (time.Time, error) {
	n, err := DecodeInt(v)
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(n, 0), nil
}

// DecodeServerTime decodes TIME's reply, the Unix time in seconds and the
// microseconds within that second (two integers as bulk strings).
func DecodeServerTime(v resp.Value) (time.Time, error) {
	if !IsAggregate(v.Kind()) || v.Len() != 2 {
		return time.Time{}, Unexpected(v, "an array of seconds and microseconds")
	}
	first := v.First()
	sec, err := DecodeInt(first)
	if err != nil {
		return time.Time{}, err
	}
	usec, err := DecodeInt(first.Next())
	if err != nil {
		return time.Time{}, err
	}
	if usec < 0 || usec >= 1e6 {
		return time.Time{}, Unexpected(v, "microseconds within a second")
	}
	return time.Unix(sec, usec*int64(time.Microsecond)), nil
}

// DecodeUnixMillis decodes an integer Unix time in milliseconds.
func DecodeUnixMillis(v resp.Value) (time.Time, error) {
	n, err := DecodeInt(v)
	if err != nil {
		return time.Time{}, err
	}
	return time.UnixMilli(n), nil
}

// DecodeOpt decodes a nullable AppendScalar.
func DecodeOpt[T any](v resp.Value, elem func(resp.Value) (T, error)) (Opt[T], error) {
	if v.Kind() == resp.KindNull {
		return Opt[T]{}, nil
	}
	x, err := elem(v)
	if err != nil {
		return Opt[T]{}, err
	}
	return Opt[T]{Value: x, Valid: true}, nil
}

// DecodeOptNonNegative decodes a duration or time that may be absent: a
// null, or a negative integer (the server's -1 for "never", as in XINFO
// CONSUMERS' inactive time), is an Opt that is not Valid.
func DecodeOptNonNegative[T any](v resp.Value, elem func(resp.Value) (T, error)) (Opt[T], error) {
	if v.Kind() == resp.KindInteger && v.Int() < 0 {
		return Opt[T]{}, nil
	}
	return DecodeOpt(v, elem)
}

// DecodeSlice decodes an array or set. A null reply gives a nil slice, an
// empty one a non-nil empty slice.
func DecodeSlice[T any](v resp.Value, elem func(resp.Value) (T, error)) ([]T, error) {
	switch v.Kind() {
	case resp.KindNull:
		return nil, nil
	case resp.KindArray, resp.KindSet, resp.KindPush:
	case resp.KindSimpleError, resp.KindBulkError:
		return nil, v.Err()
	default:
		return nil, Unexpected(v, "array")
	}
	out := make([]T, 0, v.Len())
	i := 0
	for x := v.First(); x.Valid(); x = x.Next() {
		e, err := elem(x)
		if err != nil {
			return out, At(err, "["+strconv.Itoa(i)+"]")
		}
		out = append(out, e)
		i++
	}
	return out, nil
}

// DecodeOneOrMany decodes a reply that is a single value or a list of
// them, depending on an option chosen at run time (LPOP with or without
// COUNT): a single value is a list of one, a null reply a nil slice.
func DecodeOneOrMany[T any](v resp.Value, elem func(resp.Value) (T, error)) ([]T, error) {
	switch v.Kind() {
	case resp.KindNull:
		return nil, nil
	case resp.KindArray, resp.KindSet, resp.KindPush:
		return DecodeSlice(v, elem)
	}
	x, err := elem(v)
	if err != nil {
		return nil, err
	}
	return []T{x}, nil
}

// EachPair calls f for every key and value of a RESP3 map, of a RESP2 flat
// array of alternating keys and values, or of an array of two-element
// arrays.
func EachPair(v resp.Value, f func(k, x resp.Value) error) error {
	switch v.Kind() {
	case resp.KindMap:
	case resp.KindArray, resp.KindSet:
		if first := v.First(); first.Valid() && IsAggregate(first.Kind()) && first.Len() == 2 && !IsAggregate(first.First().Kind()) {
			for x := first; x.Valid(); x = x.Next() {
				if !IsAggregate(x.Kind()) || x.Len() != 2 {
					return Unexpected(x, "key/value pair")
				}
				k := x.First()
				if err := f(k, k.Next()); err != nil {
					return At(err, k.Text())
				}
			}
			return nil
		}
		if v.Len()%2 != 0 {
			return Unexpected(v, "map (even number of elements)")
		}
	case resp.KindSimpleError, resp.KindBulkError:
		return v.Err()
	default:
		return Unexpected(v, "map")
	}
	for k := v.First(); k.Valid(); k = k.Next().Next() {
		if err := f(k, k.Next()); err != nil {
			return At(err, k.Text())
		}
	}
	return nil
}

// DecodeMap decodes a map reply. A null reply gives a nil map.
func DecodeMap[K comparable, V any](v resp.Value, kdec func(resp.Value) (K, error), vdec func(resp.Value) (V, error)) (map[K]V, error) {
	if v.Kind() == resp.KindNull {
		return nil, nil
	}
	n := v.Len()
	if v.Kind() != resp.KindMap {
		n /= 2
	}
	out := make(map[K]V, n)
	err := EachPair(v, func(kv, x resp.Value) error {
		k, err := kdec(kv)
		if err != nil {
			return err
		}
		val, err := vdec(x)
		if err != nil {
			return err
		}
		out[k] = val
		return nil
	})
	return out, err
}

// TupleStart checks that v is an array of at least n elements and returns
// its first element.
func TupleStart(v resp.Value, n int) (resp.Value, error) {
	if !IsAggregate(v.Kind()) || v.Kind() == resp.KindMap || v.Len() < n {
		if err := replyErr(v); err != nil {
			return resp.Value{}, err
		}
		return resp.Value{}, Unexpected(v, "array of "+strconv.Itoa(n))
	}
	return v.First(), nil
}

// DecodeTupleSlice decodes a list of n-element tuples given either as an
// array of arrays (RESP3) or as one flat array (RESP2).
func DecodeTupleSlice[T any](v resp.Value, n int, from func(first resp.Value) (T, error)) ([]T, error) {
	switch v.Kind() {
	case resp.KindNull:
		return nil, nil
	case resp.KindMap:
		// RESP3's form of pairs (XREAD's streams): in the server's order.
		if n != 2 {
			return nil, Unexpected(v, "array of "+strconv.Itoa(n)+"-tuples")
		}
		out := make([]T, 0, v.Len())
		i := 0
		for k := v.First(); k.Valid(); k = k.Next().Next() {
			e, err := from(k)
			if err != nil {
				return out, At(err, "["+strconv.Itoa(i)+"]")
			}
			out = append(out, e)
			i++
		}
		return out, nil
	case resp.KindArray, resp.KindSet:
	case resp.KindSimpleError, resp.KindBulkError:
		return nil, v.Err()
	default:
		return nil, Unexpected(v, "array")
	}
	first := v.First()
	if first.Valid() && !IsAggregate(first.Kind()) {
		if v.Len()%n != 0 {
			return nil, Unexpected(v, "flat array of "+strconv.Itoa(n)+"-tuples")
		}
		out := make([]T, 0, v.Len()/n)
		for x, i := first, 0; x.Valid(); i++ {
			e, err := from(x)
			if err != nil {
				return out, At(err, "["+strconv.Itoa(i)+"]")
			}
			out = append(out, e)
			for range n {
				x = x.Next()
			}
		}
		return out, nil
	}
	out := make([]T, 0, v.Len())
	i := 0
	for x := first; x.Valid(); x = x.Next() {
		s, err := TupleStart(x, n)
		if err != nil {
			return out, At(err, "["+strconv.Itoa(i)+"]")
		}
		e, err := from(s)
		if err != nil {
			return out, At(err, "["+strconv.Itoa(i)+"]")
		}
		out = append(out, e)
		i++
	}
	return out, nil
}

// DecodeShortTupleSlice decodes an array of tuples of at least min
// elements: elements missing at the end (older servers) keep their zero
// values, as in LATENCY LATEST without Valkey's sum and count.
func DecodeShortTupleSlice[T any](v resp.Value, min int, from func(first resp.Value) (T, error)) ([]T, error) {
	return DecodeSlice(v, func(x resp.Value) (T, error) {
		s, err := TupleStart(x, min)
		if err != nil {
			var zero T
			return zero, err
		}
		return from(s)
	})
}

// DurationOf returns n units as a duration, saturating instead of
// overflowing.
func DurationOf(n int64, unit time.Duration) time.Duration {
	switch {
	case n > math.MaxInt64/int64(unit):
		return math.MaxInt64
	case n < math.MinInt64/int64(unit):
		return math.MinInt64
	}
	return time.Duration(n) * unit
}

// DecodeStringNullEmpty decodes a string that may be null (as "").
func DecodeStringNullEmpty(v resp.Value) (string, error) {
	if v.Kind() == resp.KindNull {
		return "", nil
	}
	return DecodeString(v)
}

// DecodeMembersAsZMembers decodes a list of sorted-set members, as a range
// without WITHSCORES replies, into ZMembers whose Score is 0. A With whose
// options leave WITHSCORES out chooses it: the choice follows the options,
// never the reply (RESP2's WITHSCORES reply, a flat list, looks like one
// of members).
func DecodeMembersAsZMembers(v resp.Value) ([]ZMember, error) {
	return DecodeSlice(v, func(x resp.Value) (ZMember, error) {
		m, err := DecodeString(x)
		return ZMember{Member: m}, err
	})
}
