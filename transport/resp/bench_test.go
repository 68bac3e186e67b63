// This file holds the hot-path benchmarks of the encoder and decoder.

package resp_test

import (
	"strconv"
	"testing"

	"github.com/redkit-go/redkit/transport/resp"
)

func BenchmarkAppendCommandSet(b *testing.B) {
	b.ReportAllocs()
	buf := make([]byte, 0, 256)
	for b.Loop() {
		buf = resp.AppendCommand(buf[:0], "SET", "key", "value", "EX", "10")
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkAppendBulkFloat(b *testing.B) {
	b.ReportAllocs()
	buf := make([]byte, 0, 256)
	for b.Loop() {
		buf = resp.AppendBulkFloat(buf[:0], 3.14159)
	}
}

// benchmarkRead decodes the reply in from an endless stream of copies of it.
func benchmarkRead(b *testing.B, in []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	rd := resp.NewReader(&repeatReader{data: in}, 0, resp.Limits{})
	var r resp.Reply
	for b.Loop() {
		if err := rd.ReadReply(&r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadReplyBulk(b *testing.B) { benchmarkRead(b, []byte("$5\r\nhello\r\n")) }

func BenchmarkReadReplyOK(b *testing.B) { benchmarkRead(b, []byte("+OK\r\n")) }

func BenchmarkReadReplyInt(b *testing.B) { benchmarkRead(b, []byte(":12\r\n")) }

func BenchmarkReadReplyArray(b *testing.B) {
	var in []byte
	in = resp.AppendArrayLen(in, 100)
	for i := range 100 {
		in = resp.AppendBulkString(in, "member:"+strconv.Itoa(i))
	}
	benchmarkRead(b, in)
}

func BenchmarkReadReplyMap(b *testing.B) {
	var in []byte
	in = resp.AppendMapLen(in, 50)
	for i := range 50 {
		in = resp.AppendBulkString(in, "field:"+strconv.Itoa(i))
		in = resp.AppendDouble(in, float64(i)*1.5)
	}
	benchmarkRead(b, in)
}

func BenchmarkMessageArray(b *testing.B) {
	var in []byte
	in = resp.AppendArrayLen(in, 100)
	for i := range 100 {
		in = resp.AppendBulkString(in, "member:"+strconv.Itoa(i))
	}
	rd := resp.NewReader(&repeatReader{data: in}, 0, resp.Limits{})
	var r resp.Reply
	if err := rd.ReadReply(&r); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Value().Message()
	}
}
