// This file tests that malformed input yields descriptive errors and never
// panics.

package resp_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/redkit-go/redkit/transport/resp"
)

func TestMalformed(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // the ProtocolError text
	}{
		{"BadTypeByte", "x\r\n", `resp: unexpected type byte 'x'`},
		{"BadTypeByteNUL", "\x00OK\r\n", `resp: unexpected type byte '\x00'`},
		{"NestedBadTypeByte", "*1\r\n?\r\n", `resp: unexpected type byte '?'`},
		{"EmptyLine", "\r\n", "resp: empty line where a type byte was expected"},
		{"MissingCR", "+OK\n", `resp: line "+OK" not terminated by CRLF`},
		{"BareLF", "\n", `resp: line "" not terminated by CRLF`},
		{"BulkMissingCRLF", "$3\r\nabcd\r\n", "resp: bulk payload not followed by CRLF"},
		{"BulkWrongTerminator", "$3\r\nabc\n\r", "resp: bulk payload not followed by CRLF"},
		{"BulkNonNumericLength", "$abc\r\n", `resp: invalid bulk length "abc"`},
		{"BulkEmptyLength", "$\r\n", `resp: invalid bulk length ""`},
		{"BulkPlusLength", "$+3\r\nabc\r\n", `resp: invalid bulk length "+3"`},
		{"BulkNegativeLength", "$-2\r\n", "resp: invalid bulk length -2"},
		{"BulkHugeLength", "$999999999999\r\n", "resp: bulk length 999999999999 exceeds limit 536870912"},
		{"BulkOverflowLength", "$99999999999999999999\r\n", `resp: invalid bulk length "99999999999999999999"`},
		{"BulkErrorNull", "!-1\r\n", "resp: invalid bulk error length -1"},
		{"VerbatimNull", "=-1\r\n", "resp: invalid verbatim length -1"},
		{"VerbatimNoPrefix", "=3\r\nabc\r\n", `resp: verbatim string "abc" lacks a 3-byte format prefix`},
		{"VerbatimBadPrefix", "=6\r\ntxtabc\r\n", `resp: verbatim string "txtabc" lacks a 3-byte format prefix`},
		{"VerbatimStreamed", "=?\r\n", `resp: invalid verbatim length "?"`},
		{"ArrayNonNumericLength", "*x\r\n", `resp: invalid array length "x"`},
		{"ArrayNegativeLength", "*-2\r\n", "resp: invalid array length -2"},
		{"ArrayHugeLength", "*99999999999999\r\n", "resp: array length 99999999999999 exceeds limit 4294967296"},
		{"MapNull", "%-1\r\n", "resp: invalid map length -1"},
		{"SetHugeLength", "~5000000000\r\n", "resp: set length 5000000000 exceeds limit 4294967296"},
		{"PushNegative", ">-1\r\n", "resp: invalid push length -1"},
		{"AttributeBadLength", "|a\r\n", `resp: invalid attribute length "a"`},
		{"Integer", ":12a\r\n", `resp: invalid integer "12a"`},
		{"IntegerEmpty", ":\r\n", `resp: invalid integer ""`},
		{"IntegerOverflow", ":9223372036854775808\r\n", `resp: invalid integer "9223372036854775808"`},
		{"Null", "_x\r\n", `resp: invalid null "_x"`},
		{"Boolean", "#x\r\n", `resp: invalid boolean "x"`},
		{"BooleanLong", "#true\r\n", `resp: invalid boolean "true"`},
		{"Double", ",1.2.3\r\n", `resp: invalid double "1.2.3"`},
		{"DoubleEmpty", ",\r\n", `resp: invalid double ""`},
		{"DoubleHex", ",0x1p3\r\n", `resp: invalid double "0x1p3"`},
		{"BigNumber", "(12x\r\n", `resp: invalid big number "12x"`},
		{"BigNumberEmpty", "(\r\n", `resp: invalid big number ""`},
		{"EndOutsideStream", ".\r\n", "resp: unexpected end marker '.' outside a streamed aggregate"},
		{"EndInDeclaredArray", "*2\r\n:1\r\n.\r\n", "resp: unexpected end marker '.' outside a streamed aggregate"},
		{"EndWithText", "*?\r\n.x\r\n", `resp: invalid end marker ".x"`},
		{"StreamedMapOdd", "%?\r\n+k\r\n.\r\n", "resp: streamed map ended after a key without a value"},
		{"ChunkOutsideStream", ";3\r\nabc\r\n", "resp: unexpected string chunk ';' outside a streamed string"},
		{"StreamedBadChunkType", "$?\r\n+x\r\n", `resp: expected string chunk ';' in streamed string, got type byte '+'`},
		{"StreamedBadChunkLength", "$?\r\n;x\r\n", `resp: invalid string chunk length "x"`},
		{"StreamedNegativeChunk", "$?\r\n;-1\r\n", `resp: invalid string chunk length "-1"`},
		{"StreamedChunkHuge", "$?\r\n;999999999999\r\n", "resp: streamed string length exceeds limit 536870912"},
		{"TooDeep", strings.Repeat("*1\r\n", 65) + ":1\r\n", "resp: nesting deeper than 64"},
		{"TooDeepMaps", strings.Repeat("%1\r\n:1\r\n", 65) + ":1\r\n", "resp: nesting deeper than 64"},
		{"TooDeepAttributes", strings.Repeat("|1\r\n:1\r\n", 65), "resp: nesting deeper than 64"},
		{"LongBadLineClipped", ":" + strings.Repeat("9", 100) + "x\r\n", `resp: invalid integer "` + strings.Repeat("9", 64) + `..."`},
	}
	for _, tt := range tests {
		for _, w := range readerWrappers {
			t.Run(tt.name+"/"+w.name, func(t *testing.T) {
				rd := resp.NewReader(w.wrap(strings.NewReader(tt.in)), 16, resp.Limits{})
				var r resp.Reply
				err := rd.ReadReply(&r)
				var pe *resp.ProtocolError
				if !errors.As(err, &pe) {
					t.Fatalf("ReadReply(%q) = %v, want a *ProtocolError", tt.in, err)
				}
				if err.Error() != tt.want {
					t.Errorf("ReadReply(%q) error:\n got %s\nwant %s", tt.in, err, tt.want)
				}
				if r.Value().Valid() {
					t.Errorf("Reply holds %v after an error", r.Value())
				}
			})
		}
	}
}

// TestTruncated cuts valid replies at every byte: a cut at 0 is a clean
// io.EOF, any other cut io.ErrUnexpectedEOF.
func TestTruncated(t *testing.T) {
	for _, tt := range decodeTests {
		for cut := 0; cut < len(tt.in); cut++ {
			for _, w := range readerWrappers {
				rd := resp.NewReader(w.wrap(strings.NewReader(tt.in[:cut])), 16, resp.Limits{})
				var r resp.Reply
				err := rd.ReadReply(&r)
				want := io.ErrUnexpectedEOF
				if cut == 0 {
					want = io.EOF
				}
				if err != want {
					t.Errorf("%s cut at %d (%q), %s: got %v, want %v", tt.name, cut, tt.in[:cut], w.name, err, want)
				}
			}
		}
	}
	// Cut inside a large payload read straight into the Reply.
	in := string(resp.AppendBulkString(nil, strings.Repeat("a", 100_000)))
	for _, cut := range []int{10, 50_000, len(in) - 2, len(in) - 1} {
		rd := resp.NewReader(strings.NewReader(in[:cut]), 0, resp.Limits{})
		var r resp.Reply
		if err := rd.ReadReply(&r); err != io.ErrUnexpectedEOF {
			t.Errorf("large bulk cut at %d: got %v", cut, err)
		}
	}
}
