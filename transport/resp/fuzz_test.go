// This file holds the fuzz targets for the decoder and the number parsers.
// Seed corpora live in testdata/fuzz/<FuzzName>/ as well as in f.Add calls.

package resp

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strconv"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var readReplySeeds = []string{
	"+OK\r\n", "-ERR x\r\n", ":12\r\n", "$5\r\nhello\r\n", "$-1\r\n", "*-1\r\n", "$0\r\n\r\n",
	"*2\r\n$3\r\nfoo\r\n:1\r\n", "_\r\n", "#t\r\n", ",1.5e3\r\n", ",nan\r\n", "(123\r\n",
	"!3\r\nERR\r\n", "=7\r\ntxt:abc\r\n", "%1\r\n+k\r\n:1\r\n", "~1\r\n+a\r\n", ">2\r\n+m\r\n+x\r\n",
	"|1\r\n+a\r\n+b\r\n:1\r\n", "*1\r\n|1\r\n+a\r\n+b\r\n:1\r\n", "$?\r\n;2\r\nab\r\n;0\r\n",
	"*?\r\n:1\r\n.\r\n", "%?\r\n+a\r\n+b\r\n.\r\n", "$999999999999\r\n", "*99999999999999\r\n",
	"*1\r\n*1\r\n*1\r\n*1\r\n*0\r\n", "x\r\n", "+OK\n",
}

// FuzzReadReply checks that arbitrary input never panics, never makes the
// Reply hold much more memory than the input, and that whatever parses
// survives a round trip through AppendMessage.
func FuzzReadReply(f *testing.F) {
	for _, s := range readReplySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{MaxDepth: 16}
		rd := NewReader(bytes.NewReader(data), 64, lim)
		var r Reply
		var msgs []Message
		for {
			err := rd.ReadReply(&r)
			// A Reply holds at most one node per 3 input bytes and no more
			// payload than was received; allow for slice growth.
			if c := cap(r.nodes); c > 2*len(data)/3+4 {
				t.Fatalf("%d nodes allocated for %d bytes of input", c, len(data))
			}
			if c := cap(r.buf); c > 2*len(data)+2*bulkChunk { // bulkChunk plus size-class rounding
				t.Fatalf("%d payload bytes allocated for %d bytes of input", c, len(data))
			}
			if err != nil {
				var pe *ProtocolError
				if err != io.EOF && err != io.ErrUnexpectedEOF && !errors.As(err, &pe) {
					t.Fatalf("unexpected error type %T: %v", err, err)
				}
				break
			}
			v := r.Value()
			_ = v.String()
			if a, ok := r.Attributes(); ok {
				_ = a.String()
			}
			msgs = append(msgs, v.Message())
		}
		// Re-encode and re-read: the same messages, also byte by byte.
		var enc []byte
		for _, m := range msgs {
			enc = AppendMessage(enc, m, 3)
		}
		rd2 := NewReader(iotest.OneByteReader(bytes.NewReader(enc)), 16, lim)
		for i, want := range msgs {
			if err := rd2.ReadReply(&r); err != nil {
				t.Fatalf("re-reading message %d %v from %q: %v", i, want, enc, err)
			}
			if diff := cmp.Diff(want, r.Value().Message(), cmpopts.EquateNaNs()); diff != "" {
				t.Fatalf("message %d changed by a round trip (-want +got):\n%s", i, diff)
			}
		}
		if err := rd2.ReadReply(&r); err != io.EOF {
			t.Fatalf("after re-reading: %v", err)
		}
	})
}

// FuzzParseInt checks ParseInt against strconv.ParseInt.
func FuzzParseInt(f *testing.F) {
	for _, s := range []string{"0", "-1", "+7", "9223372036854775807", "-9223372036854775808",
		"9223372036854775808", "", "-", "1a", " 1", "0x1", "1_0", "00012"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := ParseInt(b)
		want, werr := strconv.ParseInt(string(b), 10, 64)
		if (err == nil) != (werr == nil) || got != want && werr == nil {
			t.Fatalf("ParseInt(%q) = %d, %v; strconv says %d, %v", b, got, err, want, werr)
		}
	})
}

// FuzzParseFloat checks ParseFloat against strconv.ParseFloat and checks
// that AppendDouble output parses back to the same value.
func FuzzParseFloat(f *testing.F) {
	for _, s := range []string{"0", "-1.5", ".5", "5.", "1e3", "1E-3", "inf", "-INF", "nan", "+NaN",
		"1e400", "1e-400", "0x1p3", "1_0", "infinity", "", "e", "1e", "-"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := ParseFloat(b)
		if err != nil {
			var ne *NumError
			if !errors.As(err, &ne) {
				t.Fatalf("ParseFloat(%q) error %T", b, err)
			}
			return
		}
		if _, ok := parseSpecialFloat(b); !ok {
			want, werr := strconv.ParseFloat(string(b), 64)
			if werr != nil || math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("ParseFloat(%q) = %v; strconv says %v, %v", b, got, want, werr)
			}
		}
		enc := AppendDouble(nil, got)
		back, err := ParseFloat(enc[1 : len(enc)-2])
		if err != nil || (back != got && !(math.IsNaN(back) && math.IsNaN(got))) {
			t.Fatalf("AppendDouble(%v) = %q parses as %v, %v", got, enc, back, err)
		}
	})
}
