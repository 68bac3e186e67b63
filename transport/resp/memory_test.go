// This file checks, from inside the package, how much storage large replies
// reserve.

package resp

import (
	"io"
	"testing"
)

// patternReader serves a header, n bytes of 'x' and a trailer without
// materializing them.
type patternReader struct {
	head, tail string
	n          int
	off        int
}

var xs = func() []byte {
	b := make([]byte, 32<<10)
	for i := range b {
		b[i] = 'x'
	}
	return b
}()

func (p *patternReader) Read(b []byte) (int, error) {
	body := len(p.head) + p.n
	switch {
	case p.off < len(p.head):
		k := copy(b, p.head[p.off:])
		p.off += k
		return k, nil
	case p.off < body:
		k := copy(b[:min(len(b), body-p.off)], xs)
		p.off += k
		return k, nil
	case p.off < body+len(p.tail):
		k := copy(b, p.tail[p.off-body:])
		p.off += k
		return k, nil
	}
	return 0, io.EOF
}

func TestLargeBulkGrowsWithData(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 100 MiB")
	}
	const n = 100 << 20
	src := &patternReader{head: "$104857600\r\n", n: n, tail: "\r\n"}
	rd := NewReader(src, 0, Limits{})
	var r Reply
	if err := rd.ReadReply(&r); err != nil {
		t.Fatal(err)
	}
	if got := r.Value().Len(); got != n {
		t.Fatalf("read %d bytes, want %d", got, n)
	}
	// Storage grew with the data: at most slice growth plus one chunk beyond it.
	if c := cap(r.buf); c > n+n/4+bulkChunk {
		t.Errorf("buffer capacity %d for %d bytes", c, n)
	}
	if c := cap(r.nodes); c > 8 {
		t.Errorf("%d nodes reserved for one value", c)
	}
}

func TestTruncatedLargeBulkReservesLittle(t *testing.T) {
	src := &patternReader{head: "$536870912\r\n", n: 3 << 20}
	rd := NewReader(src, 0, Limits{})
	var r Reply
	if err := rd.ReadReply(&r); err != io.ErrUnexpectedEOF {
		t.Fatalf("got %v, want io.ErrUnexpectedEOF", err)
	}
	if c := cap(r.buf); c > (3<<20)*5/4+bulkChunk {
		t.Errorf("buffer capacity %d after receiving %d of 536870912 bytes", c, 3<<20)
	}
}
