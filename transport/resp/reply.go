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
