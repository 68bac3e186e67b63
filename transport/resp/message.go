// This file holds Message, the owned copy of a reply, and its conversion
// from a Value and its debug rendering.

package resp

import (
	"strconv"
	"strings"
)

// Message is an owned, self-contained copy of a reply, for replies without a
// fixed shape (generic replies). It holds no views into a Reply.
type Message struct {
	Kind   Kind
	Str    string    // payload of string-like kinds (as Value.Bytes), including double and big number text
	Format string    // verbatim format, e.g. "txt"
	Int    int64     // integer, and boolean as 1/0
	Float  float64   // double value (may be ±Inf or NaN)
	Bool   bool      // boolean value
	Elems  []Message // array/set/push elements; map entries flattened key, value, key, value; nil when empty
}

// Message returns a deep copy of v. All string payloads of the copy share one
// allocation and all element slices another, so a copy costs two allocations
// whatever its size (keeping any one string of it keeps that block alive).
func (v Value) Message() Message {
	if !v.Valid() {
		return Message{}
	}
	lo, hi, count := v.r.span(v.i)
	c := copier{r: v.r, lo: lo}
	if hi > lo {
		c.s = string(v.r.buf[lo:hi])
	}
	if count > 0 {
		c.pool = make([]Message, count)
	}
	var m Message
	c.fill(&m, v.i)
	return m
}

// span returns the byte range covering the payloads of node i's subtree and
// the number of descendants.
func (r *Reply) span(i int32) (lo, hi int64, count int) {
	n := r.nodes[i]
	switch {
	case n.kind == KindVerbatim:
		return n.a - 4, n.a + n.b, 0
	case n.kind.isString():
		return n.a, n.a + n.b, 0
	case !n.kind.isAggregate():
		return 0, 0, 0
	}
	lo, hi = -1, -1
	for c := n.first; c != 0; c = r.nodes[c].next {
		clo, chi, ccount := r.span(c)
		count += 1 + ccount
		if chi > clo {
			if lo < 0 {
				lo = clo
			}
			hi = chi
		}
	}
	if lo < 0 {
		return 0, 0, count
	}
	return lo, hi, count
}

// copier builds a Message tree from shared backing storage.
type copier struct {
	r    *Reply
	s    string // copy of r.buf[lo:hi]
	lo   int64
	pool []Message // unused element slots
}

func (c *copier) str(off, n int64) string {
	if n == 0 {
		return ""
	}
	return c.s[off-c.lo : off-c.lo+n]
}

// fill writes the copy of node i into *m, which is zero.
func (c *copier) fill(m *Message, i int32) {
	n := &c.r.nodes[i]
	m.Kind = n.kind
	switch n.kind {
	case KindInteger:
		m.Int = n.a
	case KindBoolean:
		m.Int = n.a
		m.Bool = n.a != 0
	case KindDouble:
		m.Str = c.str(n.a, n.b)
		m.Float = doubleValue(c.r.buf[n.a : n.a+n.b])
	case KindVerbatim:
		m.Str = c.str(n.a, n.b)
		m.Format = c.str(n.a-4, 3)
	case KindSimpleString, KindSimpleError, KindBulkString, KindBigNumber, KindBulkError:
		m.Str = c.str(n.a, n.b)
	case KindArray, KindMap, KindSet, KindPush:
		if n.a == 0 {
			break
		}
		k := int(n.a)
		elems := c.pool[:k:k]
		c.pool = c.pool[k:]
		m.Elems = elems
		j := 0
		for ch := n.first; ch != 0; ch = c.r.nodes[ch].next {
			c.fill(&elems[j], ch)
			j++
		}
	}
}

// String renders m for tests and error messages, e.g. `"abc"`,
// `(integer) 5`, `[1, "a"]` or `{"k": 1}`. The format is not stable.
func (m Message) String() string {
	var sb strings.Builder
	m.render(&sb, true)
	return sb.String()
}

func (m Message) render(sb *strings.Builder, top bool) {
	label := func(s string) {
		if top {
			sb.WriteString(s)
		}
	}
	switch m.Kind {
	case KindSimpleString, KindBulkString:
		sb.WriteString(strconv.Quote(m.Str))
	case KindVerbatim:
		sb.WriteString("(" + m.Format + ") " + strconv.Quote(m.Str))
	case KindSimpleError, KindBulkError:
		sb.WriteString("(error) " + m.Str)
	case KindInteger:
		label("(integer) ")
		sb.WriteString(strconv.FormatInt(m.Int, 10))
	case KindDouble:
		label("(double) ")
		if m.Str != "" {
			sb.WriteString(m.Str)
		} else {
			sb.WriteString(strconv.FormatFloat(m.Float, 'g', -1, 64))
		}
	case KindBigNumber:
		label("(big number) ")
		sb.WriteString(m.Str)
	case KindBoolean:
		label("(boolean) ")
		sb.WriteString(strconv.FormatBool(m.Bool))
	case KindNull:
		sb.WriteString("(nil)")
	case KindArray, KindSet, KindPush:
		switch m.Kind {
		case KindSet:
			sb.WriteString("set")
		case KindPush:
			sb.WriteString("push")
		}
		sb.WriteByte('[')
		for i, e := range m.Elems {
			if i > 0 {
				sb.WriteString(", ")
			}
			e.render(sb, false)
		}
		sb.WriteByte(']')
	case KindMap:
		sb.WriteByte('{')
		for i, e := range m.Elems {
			switch {
			case i%2 != 0:
				sb.WriteString(": ")
			case i > 0:
				sb.WriteString(", ")
			}
			e.render(sb, false)
		}
		if len(m.Elems)%2 != 0 {
			sb.WriteString(": ?")
		}
		sb.WriteByte('}')
	default:
		sb.WriteString("(" + m.Kind.String() + ")")
	}
}
