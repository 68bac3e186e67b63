// This file holds Reply, the reusable arena one decoded reply is stored in.

package resp

import (
	"math"
	"slices"
	"unsafe"
)

// node is one value in a Reply's arena. Children form a linked list so nodes
// can be appended as they arrive, without reserving a declared count. Index 0
// never names a child or sibling (it is always a top-level node), so 0 means
// "none" in first and next.
type node struct {
	a     int64 // integer/boolean value; payload offset for string-like kinds; child count for aggregates
	b     int64 // payload length for string-like kinds
	first int32 // index of the first child, 0 if none
	next  int32 // index of the next sibling, 0 if none
	kind  Kind
}

const (
	nodeSize = int(unsafe.Sizeof(node{}))
	maxNodes = math.MaxInt32 - 1 // node indices are int32
)

// Reply is reusable storage for one complete top-level reply: an arena of
// nodes plus one byte buffer holding every string payload. The zero value is
// ready to use. Reading a new reply into it (Reader.ReadReply) resets it.
// Values obtained from it are views that stay valid until the next Reset or
// ReadReply on this Reply. A Reply is not safe for concurrent use.
type Reply struct {
	nodes []node
	buf   []byte
	root  int32 // index+1 of the top-level value; 0 if none
	attr  int32 // index+1 of the top-level attribute map; 0 if none
}

// Reset empties r, keeping its buffers for reuse.
func (r *Reply) Reset() {
	r.nodes = r.nodes[:0]
	r.buf = r.buf[:0]
	r.root = 0
	r.attr = 0
}

// Value returns the top-level value, or an invalid Value (KindInvalid) if r
// is empty.
func (r *Reply) Value() Value {
	if r.root == 0 {
		return Value{}
	}
	return Value{r: r, i: r.root - 1}
}

// Attributes returns the RESP3 attribute map ('|') that preceded the
// top-level value, as a KindMap Value, and whether there was one.
func (r *Reply) Attributes() (Value, bool) {
	if r.attr == 0 {
		return Value{}, false
	}
	return Value{r: r, i: r.attr - 1}, true
}

// InlineStorage is room for a small reply (a status, an integer, a short
// string) inside another value. A Reply using it holds such replies without
// allocating, in the memory of the value that embeds it.
type InlineStorage struct {
	nodes [2]node
	buf   [48]byte
}

// UseInline makes s the storage of r, emptying r. r must not be copied by
// value afterwards (the copy would share s).
func (r *Reply) UseInline(s *InlineStorage) {
	r.Reset()
	r.nodes = s.nodes[:0]
	r.buf = s.buf[:0]
}

// CopyFrom replaces r's content with a copy of src's, in r's storage
// (growing it only when src does not fit).
func (r *Reply) CopyFrom(src *Reply) {
	r.nodes = append(r.nodes[:0], src.nodes...)
	r.buf = append(r.buf[:0], src.buf...)
	r.root, r.attr = src.root, src.attr
}

// copyLimit is the size of a reply up to which TakeFrom copies it.
const copyLimit = 4 << 10

// TakeFrom moves src's reply into r, whose inline storage (if any) is s:
// a reply that fits r's storage or is small is copied; a larger one moves
// src's storage to r, and src gets r's old storage back, or none when that
// was s (only r may use it).
func (r *Reply) TakeFrom(src *Reply, s *InlineStorage) {
	if (len(src.buf) <= cap(r.buf) && len(src.nodes) <= cap(r.nodes)) ||
		len(src.buf)+len(src.nodes)*nodeSize <= copyLimit {
		r.CopyFrom(src)
		return
	}
	old := *r
	*r = *src
	src.nodes, src.buf = old.nodes[:0], old.buf[:0]
	if s != nil {
		if unsafe.SliceData(src.nodes) == &s.nodes[0] {
			src.nodes = nil
		}
		if unsafe.SliceData(src.buf) == &s.buf[0] {
			src.buf = nil
		}
	}
	src.Reset()
}

// ShrinkInline empties r and, when its storage grew beyond maxBytes, puts
// it back on s (see UseInline).
func (r *Reply) ShrinkInline(maxBytes int, s *InlineStorage) {
	r.Reset()
	if cap(r.buf) > maxBytes || cap(r.nodes) > maxBytes/nodeSize {
		r.UseInline(s)
	}
}

// Shrink resets r and drops any internal buffer whose capacity exceeds
// maxBytes, so a pooled Reply does not pin the memory of one huge reply.
// Smaller buffers are kept for reuse.
func (r *Reply) Shrink(maxBytes int) {
	r.Reset()
	if cap(r.buf) > maxBytes {
		r.buf = nil
	}
	if cap(r.nodes) > maxBytes/nodeSize {
		r.nodes = nil
	}
}

// add appends a node and returns its index. The caller checks maxNodes.
// Fields are stored one by one: building a node value and copying it costs a
// store-forwarding stall on the hot path.
func (r *Reply) add(k Kind, a, b int64) int32 {
	i := len(r.nodes)
	if i == cap(r.nodes) {
		r.nodes = slices.Grow(r.nodes, 1)
	}
	r.nodes = r.nodes[:i+1]
	n := &r.nodes[i]
	n.a = a
	n.b = b
	n.first = 0
	n.next = 0
	n.kind = k
	return int32(i)
}

// addBytes appends a string-like node whose payload is p.
func (r *Reply) addBytes(k Kind, p []byte) int32 {
	off := len(r.buf)
	r.buf = append(r.buf, p...)
	return r.add(k, int64(off), int64(len(p)))
}
