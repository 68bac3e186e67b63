package resp

// Tests of Reply's storage handling: inline storage and moving replies.

import (
	"strings"
	"testing"
	"unsafe"
)

// TestReplyTakeFrom: small replies are copied into inline storage; large
// ones move, and the source never keeps the destination's inline storage.
func TestReplyTakeFrom(t *testing.T) {
	var s InlineStorage
	var dst, src Reply
	dst.UseInline(&s)
	read := func(r *Reply, wire string) {
		t.Helper()
		if err := NewReader(strings.NewReader(wire), 0, Limits{}).ReadReply(r); err != nil {
			t.Fatal(err)
		}
	}
	read(&src, "+OK\r\n")
	dst.TakeFrom(&src, &s)
	if dst.Value().Text() != "OK" || unsafe.SliceData(dst.buf) != &s.buf[0] {
		t.Fatalf("small reply: %q, inline %v", dst.Value().Text(), unsafe.SliceData(dst.buf) == &s.buf[0])
	}
	big := strings.Repeat("x", 10000)
	read(&src, "$10000\r\n"+big+"\r\n")
	dst.TakeFrom(&src, &s)
	if dst.Value().Text() != big {
		t.Fatal("large reply not moved")
	}
	if unsafe.SliceData(src.buf) == &s.buf[0] || (cap(src.nodes) > 0 && unsafe.SliceData(src.nodes) == &s.nodes[0]) {
		t.Fatal("the source kept the destination's inline storage")
	}
	read(&src, "+PONG\r\n") // src works on after the move
	if src.Value().Text() != "PONG" || dst.Value().Text() != big {
		t.Fatal("source and destination share storage")
	}
}
