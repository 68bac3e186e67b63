package cli

// Exact-byte tests of the redis-cli style reply rendering. The expected
// texts are what Debian's redis-cli 7.0.15 printed for the same replies.

import (
	"fmt"
	"testing"

	"github.com/redkit-go/redkit/transport/resp"
)

func bulk(s string) resp.Message   { return resp.Message{Kind: resp.KindBulkString, Str: s} }
func integer(n int64) resp.Message { return resp.Message{Kind: resp.KindInteger, Int: n} }
func double(s string) resp.Message { return resp.Message{Kind: resp.KindDouble, Str: s} }
func agg(k resp.Kind, elems ...resp.Message) resp.Message {
	return resp.Message{Kind: k, Elems: elems}
}

func TestFormatReply(t *testing.T) {
	eleven := agg(resp.KindArray)
	for i := 0; i < 11; i++ {
		eleven.Elems = append(eleven.Elems, agg(resp.KindArray, bulk("m"), double("1")))
	}
	for _, tc := range []struct {
		name string
		m    resp.Message
		want string
	}{
		{"status", resp.Message{Kind: resp.KindSimpleString, Str: "OK"}, "OK\n"},
		{"integer", integer(-11), "(integer) -11\n"},
		{"nil", resp.Message{Kind: resp.KindNull}, "(nil)\n"},
		{"binary", bulk("v\n1\x01\xff\"\\\t\r\a\b"), `"v\n1\x01\xff\"\\\t\r\a\b"` + "\n"},
		{"double", double("2.5"), "(double) 2.5\n"},
		{"big number", resp.Message{Kind: resp.KindBigNumber, Str: "12345678901234567890"}, "(big number) 12345678901234567890\n"},
		{"true", resp.Message{Kind: resp.KindBoolean, Bool: true}, "(true)\n"},
		{"false", resp.Message{Kind: resp.KindBoolean}, "(false)\n"},
		{"verbatim", resp.Message{Kind: resp.KindVerbatim, Format: "txt", Str: "a\nb"}, "a\nb\n"},
		{"error", resp.Message{Kind: resp.KindSimpleError, Str: "ERR nope"}, "(error) ERR nope\n"},
		{"empty array", agg(resp.KindArray), "(empty array)\n"},
		{"empty set", agg(resp.KindSet), "(empty set)\n"},
		{"empty map", agg(resp.KindMap), "(empty hash)\n"},
		{"nested", agg(resp.KindArray, integer(1), agg(resp.KindArray, integer(2), agg(resp.KindArray, integer(3), bulk("x"))), bulk("y")),
			"1) (integer) 1\n2) 1) (integer) 2\n   2) 1) (integer) 3\n      2) \"x\"\n3) \"y\"\n"},
		{"withscores", agg(resp.KindArray, agg(resp.KindArray, bulk("a"), double("1")), agg(resp.KindArray, bulk("b"), double("2.5"))),
			"1) 1) \"a\"\n   2) (double) 1\n2) 1) \"b\"\n   2) (double) 2.5\n"},
		{"wide", eleven, " 1) 1) \"m\"\n    2) (double) 1\n" + repeatLines(2, 11)},
		{"set", agg(resp.KindSet, bulk("x"), bulk("y")), "1~ \"x\"\n2~ \"y\"\n"},
		{"map", agg(resp.KindMap, bulk("f1"), bulk("v\n1"), bulk("proto"), integer(3), bulk("modules"), agg(resp.KindArray)),
			"1# \"f1\" => \"v\\n1\"\n2# \"proto\" => (integer) 3\n3# \"modules\" => (empty array)\n"},
		{"map of nested", agg(resp.KindMap, bulk("get"), agg(resp.KindMap, bulk("since"), bulk("1.0.0"), bulk("arguments"),
			agg(resp.KindArray, agg(resp.KindMap, bulk("name"), bulk("key"), bulk("type"), bulk("key"))))),
			"1# \"get\" => \n   1# \"since\" => \"1.0.0\"\n   2# \"arguments\" => \n      1) 1# \"name\" => \"key\"\n         2# \"type\" => \"key\"\n"},
	} {
		if got := formatReply(tc.m); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// repeatLines renders elements from..to of the "wide" case.
func repeatLines(from, to int) string {
	s := ""
	for i := from; i <= to; i++ {
		s += fmt.Sprintf("%2d) 1) \"m\"\n    2) (double) 1\n", i)
	}
	return s
}

func TestFormatRaw(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    resp.Message
		want string
	}{
		{"nil", resp.Message{Kind: resp.KindNull}, "\n"},
		{"status", resp.Message{Kind: resp.KindSimpleString, Str: "OK"}, "OK\n"},
		{"integer", integer(1), "1\n"},
		{"double", double("2.5"), "2.5\n"},
		{"binary", bulk("\x01\xff\"\\"), "\x01\xff\"\\\n"},
		{"empty", agg(resp.KindSet), "\n"},
		{"nested", agg(resp.KindArray, integer(1), agg(resp.KindArray, integer(2), agg(resp.KindArray, integer(3), bulk("x"))), bulk("y")),
			"1\n2\n3\nx\ny\n"},
		{"map", agg(resp.KindMap, bulk("f1"), bulk("v\n1"), bulk("modules"), agg(resp.KindArray)), "f1 v\n1\nmodules \n"},
	} {
		if got := formatRaw(tc.m); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := formatRawError("ERR x"); got != "ERR x\n\n" {
		t.Errorf("raw error: %q", got)
	}
	if got := formatErrorReply("ERR x"); got != "(error) ERR x\n" {
		t.Errorf("error: %q", got)
	}
}
