// This file holds Value, the allocation-free view of one node of a Reply.

package resp

// Value is a view of one node of a Reply. The zero Value is invalid. A Value
// is only meaningful until its Reply is reset or read into again.
type Value struct {
	r *Reply
	i int32
}

// node returns v's node, or a zero (KindInvalid) node if v is not valid.
func (v Value) node() node {
	if v.r == nil || v.i < 0 || int(v.i) >= len(v.r.nodes) {
		return node{}
	}
	return v.r.nodes[v.i]
}

// Kind returns v's kind; KindInvalid if v is not valid.
func (v Value) Kind() Kind { return v.node().kind }

// Valid reports whether v refers to a value. It is false for the zero Value
// and for the Value returned by Next after the last child.
func (v Value) Valid() bool { return v.node().kind != KindInvalid }

// IsNull reports whether v is a null (RESP3 '_' or RESP2 "$-1"/"*-1").
func (v Value) IsNull() bool { return v.node().kind == KindNull }

// Bytes returns the payload of a string-like value: simple and bulk strings,
// simple and bulk error text, verbatim text without its "txt:" prefix, and
// the text of a double or big number. It returns nil for other kinds. The
// slice is a view into the Reply, not a copy.
func (v Value) Bytes() []byte {
	n := v.node()
	if !n.kind.isString() {
		return nil
	}
	if n.b == 0 {
		return []byte{}
	}
	end := n.a + n.b
	return v.r.buf[n.a:end:end]
}

// Text returns a copy of Bytes as a string.
func (v Value) Text() string { return string(v.Bytes()) }

// VerbatimFormat returns the format of a verbatim string ("txt", "mkd"), or
// "" for other kinds.
func (v Value) VerbatimFormat() string {
	n := v.node()
	if n.kind != KindVerbatim {
		return ""
	}
	return string(v.r.buf[n.a-4 : n.a-1])
}

// Int returns the value of an integer, or 1/0 for a boolean; 0 otherwise.
func (v Value) Int() int64 {
	n := v.node()
	if n.kind == KindInteger || n.kind == KindBoolean {
		return n.a
	}
	return 0
}

// Bool returns the value of a boolean. For an integer (RESP2 servers send
// booleans as :0/:1) it reports whether the integer is non-zero. It returns
// false for other kinds.
func (v Value) Bool() bool {
	n := v.node()
	return (n.kind == KindBoolean || n.kind == KindInteger) && n.a != 0
}

// Float returns the value of a double (±Inf when its text is beyond the
// float64 range), or of an integer converted to float64; 0 otherwise. Use ParseFloat on Bytes for doubles sent as bulk
// strings by RESP2 servers.
func (v Value) Float() float64 {
	n := v.node()
	switch n.kind {
	case KindDouble:
		return doubleValue(v.r.buf[n.a : n.a+n.b])
	case KindInteger:
		return float64(n.a)
	}
	return 0
}

// Len returns the number of children of an array, set or push, the number of
// key/value pairs of a map, and the byte length of a string-like value; 0
// otherwise.
func (v Value) Len() int {
	n := v.node()
	switch {
	case n.kind == KindMap:
		return int(n.a / 2)
	case n.kind.isAggregate():
		return int(n.a)
	case n.kind.isString():
		return int(n.b)
	}
	return 0
}

// First returns the first child of an aggregate; an invalid Value if v has
// no children. Map children alternate key, value, key, value.
func (v Value) First() Value {
	n := v.node()
	if !n.kind.isAggregate() || n.first == 0 {
		return Value{}
	}
	return Value{r: v.r, i: n.first}
}

// Next returns v's next sibling; an invalid Value after the last child.
func (v Value) Next() Value {
	n := v.node()
	if n.next == 0 {
		return Value{}
	}
	return Value{r: v.r, i: n.next}
}

// Err returns a *Error holding the text of a simple or bulk error, and nil
// for every other kind.
func (v Value) Err() error {
	if e, ok := v.ErrorReply(); ok {
		return e
	}
	return nil
}

// ErrorReply returns v as an *Error when it is an error reply. Unlike
// errors.As on Err, it costs nothing for the other replies (the hot path
// of routers that look for redirections).
func (v Value) ErrorReply() (*Error, bool) {
	switch v.Kind() {
	case KindSimpleError, KindBulkError:
		return &Error{Text: v.Text()}, true
	}
	return nil, false
}

// String renders v for tests and error messages, e.g. `"abc"`,
// `(integer) 5`, `[1, "a"]` or `{"k": 1}`. The format is not stable.
func (v Value) String() string { return v.Message().String() }
