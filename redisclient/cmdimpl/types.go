package cmdimpl

// This file is part of the runtime layer: the small types shared by every
// generated command: the optional value, the generic reply value and the
// pair structs (values.go has the
// constraint of value arguments).

import (
	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// Opt is a value that may be absent. In a reply, Valid is false for a null
// reply, which is how a missing key differs from an empty string; in an
// options struct (SetOptions and its kin), Valid is false for an option
// left out.
type Opt[T any] struct {
	Value T
	Valid bool
}

// Some returns a present value: an option set in an options struct
// (ZRangeOptions{Limit: Some(ZRangeLimit{Offset: 0, Count: 10})}).
func Some[T any](v T) Opt[T] { return Opt[T]{Value: v, Valid: true} }

// Get returns the value and whether it is present.
func (o Opt[T]) Get() (T, bool) { return o.Value, o.Valid }

// Or returns the value, or def when it is null.
func (o Opt[T]) Or(def T) T {
	if !o.Valid {
		return def
	}
	return o.Value
}

// Value is a reply without a fixed shape (script results, raw commands): an
// owned tree of RESP values.
type Value = resp.Message

// Doer runs commands: *Client, the cluster client and the sentinel client
// implement it. See transport.Doer for the contract.
type Doer = transport.Doer

// FieldValue is a field and its value, of a hash or a stream entry. It is
// a reply element sent as an array of 2 values, and a list of them is one
// of the forms a field-value argument list takes.
type FieldValue struct {
	// Field is element 0.
	Field string
	// Value is element 1.
	Value string
}

// ZMember is a sorted-set member and its score. It is a reply element sent
// as an array of 2 values, and a list of them is one of the forms a
// score-member argument list takes.
type ZMember struct {
	// Member is element 0.
	Member string
	// Score is element 1.
	Score float64
}
