// This file tests the encoders byte for byte.

package resp_test

import (
	"math"
	"testing"

	"github.com/redkit-go/redkit/transport/resp"
)

func TestEncoders(t *testing.T) {
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"ArrayLen", resp.AppendArrayLen(nil, 3), "*3\r\n"},
		{"ArrayLen0", resp.AppendArrayLen(nil, 0), "*0\r\n"},
		{"BulkString", resp.AppendBulkString(nil, "hello"), "$5\r\nhello\r\n"},
		{"BulkStringEmpty", resp.AppendBulkString(nil, ""), "$0\r\n\r\n"},
		{"BulkStringBinary", resp.AppendBulkString(nil, "a\r\nb\x00"), "$5\r\na\r\nb\x00\r\n"},
		{"BulkBytes", resp.AppendBulkBytes(nil, []byte("xyz")), "$3\r\nxyz\r\n"},
		{"BulkBytesNil", resp.AppendBulkBytes(nil, nil), "$0\r\n\r\n"},
		{"BulkInt", resp.AppendBulkInt(nil, 42), "$2\r\n42\r\n"},
		{"BulkInt0", resp.AppendBulkInt(nil, 0), "$1\r\n0\r\n"},
		{"BulkIntNeg", resp.AppendBulkInt(nil, -7), "$2\r\n-7\r\n"},
		{"BulkIntMin", resp.AppendBulkInt(nil, math.MinInt64), "$20\r\n-9223372036854775808\r\n"},
		{"BulkIntMax", resp.AppendBulkInt(nil, math.MaxInt64), "$19\r\n9223372036854775807\r\n"},
		{"BulkFloat", resp.AppendBulkFloat(nil, 1.5), "$3\r\n1.5\r\n"},
		{"BulkFloatInt", resp.AppendBulkFloat(nil, 10), "$2\r\n10\r\n"},
		{"BulkFloatSmall", resp.AppendBulkFloat(nil, 0.0001), "$6\r\n0.0001\r\n"},
		{"BulkFloatLarge", resp.AppendBulkFloat(nil, 1e21), "$22\r\n1000000000000000000000\r\n"},
		{"BulkFloatNeg", resp.AppendBulkFloat(nil, -2.25), "$5\r\n-2.25\r\n"},
		{"BulkFloatPosInf", resp.AppendBulkFloat(nil, math.Inf(1)), "$4\r\n+inf\r\n"},
		{"BulkFloatNegInf", resp.AppendBulkFloat(nil, math.Inf(-1)), "$4\r\n-inf\r\n"},
		{"BulkFloatNaN", resp.AppendBulkFloat(nil, math.NaN()), "$3\r\nnan\r\n"},
		{"Command", resp.AppendCommand(nil, "SET", "k", "v"), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"},
		{"CommandEmpty", resp.AppendCommand(nil), "*0\r\n"},
		{"CommandAppends", resp.AppendCommand([]byte("x"), "PING"), "x*1\r\n$4\r\nPING\r\n"},
		{"SimpleString", resp.AppendSimpleString(nil, "OK"), "+OK\r\n"},
		{"Error", resp.AppendError(nil, "ERR bad"), "-ERR bad\r\n"},
		{"Integer", resp.AppendInteger(nil, -12), ":-12\r\n"},
		{"Null2", resp.AppendNull(nil, 2), "$-1\r\n"},
		{"Null3", resp.AppendNull(nil, 3), "_\r\n"},
		{"NullArray", resp.AppendNullArray(nil), "*-1\r\n"},
		{"Double", resp.AppendDouble(nil, 3.25), ",3.25\r\n"},
		{"DoubleExp", resp.AppendDouble(nil, 1e300), ",1e+300\r\n"},
		{"DoubleInf", resp.AppendDouble(nil, math.Inf(1)), ",inf\r\n"},
		{"DoubleNegInf", resp.AppendDouble(nil, math.Inf(-1)), ",-inf\r\n"},
		{"DoubleNaN", resp.AppendDouble(nil, math.NaN()), ",nan\r\n"},
		{"BooleanTrue", resp.AppendBoolean(nil, true), "#t\r\n"},
		{"BooleanFalse", resp.AppendBoolean(nil, false), "#f\r\n"},
		{"BigNumber", resp.AppendBigNumber(nil, "-3492890328409238509324850943850943825024385"), "(-3492890328409238509324850943850943825024385\r\n"},
		{"BulkError", resp.AppendBulkError(nil, "SYNTAX invalid\r\nsyntax"), "!22\r\nSYNTAX invalid\r\nsyntax\r\n"},
		{"Verbatim", resp.AppendVerbatim(nil, "txt", "Some string"), "=15\r\ntxt:Some string\r\n"},
		{"MapLen", resp.AppendMapLen(nil, 2), "%2\r\n"},
		{"SetLen", resp.AppendSetLen(nil, 5), "~5\r\n"},
		{"PushLen", resp.AppendPushLen(nil, 3), ">3\r\n"},
		{"AttributeLen", resp.AppendAttributeLen(nil, 1), "|1\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if string(tt.got) != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestAppendMessage(t *testing.T) {
	nested := resp.Message{Kind: resp.KindMap, Elems: []resp.Message{
		{Kind: resp.KindSimpleString, Str: "k"},
		{Kind: resp.KindSet, Elems: []resp.Message{{Kind: resp.KindBoolean, Bool: true}, {Kind: resp.KindNull}}},
	}}
	tests := []struct {
		name  string
		m     resp.Message
		resp3 string
		resp2 string
	}{
		{"SimpleString", resp.Message{Kind: resp.KindSimpleString, Str: "OK"}, "+OK\r\n", "+OK\r\n"},
		{"SimpleError", resp.Message{Kind: resp.KindSimpleError, Str: "ERR x"}, "-ERR x\r\n", "-ERR x\r\n"},
		{"Integer", resp.Message{Kind: resp.KindInteger, Int: 7}, ":7\r\n", ":7\r\n"},
		{"BulkString", resp.Message{Kind: resp.KindBulkString, Str: "ab"}, "$2\r\nab\r\n", "$2\r\nab\r\n"},
		{"Null", resp.Message{Kind: resp.KindNull}, "_\r\n", "$-1\r\n"},
		{"Invalid", resp.Message{}, "_\r\n", "$-1\r\n"},
		{"BooleanTrue", resp.Message{Kind: resp.KindBoolean, Bool: true, Int: 1}, "#t\r\n", ":1\r\n"},
		{"BooleanFalse", resp.Message{Kind: resp.KindBoolean}, "#f\r\n", ":0\r\n"},
		{"DoubleText", resp.Message{Kind: resp.KindDouble, Str: "1.50", Float: 1.5}, ",1.50\r\n", "$4\r\n1.50\r\n"},
		{"DoubleFloat", resp.Message{Kind: resp.KindDouble, Float: 2.5}, ",2.5\r\n", "$3\r\n2.5\r\n"},
		{"DoubleInf", resp.Message{Kind: resp.KindDouble, Float: math.Inf(-1)}, ",-inf\r\n", "$4\r\n-inf\r\n"},
		{"BigNumber", resp.Message{Kind: resp.KindBigNumber, Str: "123"}, "(123\r\n", "$3\r\n123\r\n"},
		{"BulkError", resp.Message{Kind: resp.KindBulkError, Str: "ERR y"}, "!5\r\nERR y\r\n", "-ERR y\r\n"},
		{"Verbatim", resp.Message{Kind: resp.KindVerbatim, Format: "mkd", Str: "# hi"}, "=8\r\nmkd:# hi\r\n", "$4\r\n# hi\r\n"},
		{"VerbatimDefaultFormat", resp.Message{Kind: resp.KindVerbatim, Str: "x"}, "=5\r\ntxt:x\r\n", "$1\r\nx\r\n"},
		{"Array", resp.Message{Kind: resp.KindArray, Elems: []resp.Message{{Kind: resp.KindInteger, Int: 1}, {Kind: resp.KindBulkString, Str: "a"}}},
			"*2\r\n:1\r\n$1\r\na\r\n", "*2\r\n:1\r\n$1\r\na\r\n"},
		{"EmptyArray", resp.Message{Kind: resp.KindArray}, "*0\r\n", "*0\r\n"},
		{"Push", resp.Message{Kind: resp.KindPush, Elems: []resp.Message{{Kind: resp.KindBulkString, Str: "message"}}},
			">1\r\n$7\r\nmessage\r\n", "*1\r\n$7\r\nmessage\r\n"},
		{"Nested", nested, "%1\r\n+k\r\n~2\r\n#t\r\n_\r\n", "*2\r\n+k\r\n*2\r\n:1\r\n$-1\r\n"},
		{"OddMap", resp.Message{Kind: resp.KindMap, Elems: []resp.Message{{Kind: resp.KindInteger, Int: 1}}}, "%1\r\n:1\r\n_\r\n", "*2\r\n:1\r\n$-1\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := resp.AppendMessage(nil, tt.m, 3); string(got) != tt.resp3 {
				t.Errorf("proto 3: got %q, want %q", got, tt.resp3)
			}
			if got := resp.AppendMessage(nil, tt.m, 2); string(got) != tt.resp2 {
				t.Errorf("proto 2: got %q, want %q", got, tt.resp2)
			}
		})
	}
}

func TestEncodersDoNotAllocate(t *testing.T) {
	buf := make([]byte, 0, 4096)
	allocs := testing.AllocsPerRun(100, func() {
		b := buf[:0]
		b = resp.AppendCommand(b, "SET", "key", "value", "EX", "10")
		b = resp.AppendBulkInt(b, -123456789)
		b = resp.AppendBulkFloat(b, 5e-324)
		b = resp.AppendBulkFloat(b, math.MaxFloat64)
		b = resp.AppendDouble(b, 1.25)
		b = resp.AppendVerbatim(b, "txt", "x")
		_ = b
	})
	if allocs != 0 {
		t.Errorf("encoders allocated %v times per run, want 0", allocs)
	}
}
