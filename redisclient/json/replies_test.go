package json

// This file tests the hand-written JSON reply decoders with RESP2 and RESP3
// fixtures (each pair must decode to the same value), legacy-path, empty
// and malformed replies, and the wire form of the JSON builders whose
// argument trees the override table replaces.

import (
	"testing"

	"github.com/redkit-go/redkit/redisclient/cmdimpl/cmdtest"
)

func TestDecodeJSONNumbers(t *testing.T) {
	want := JSONNumbers{{Value: 3, Valid: true}, {}, {Value: 2.5, Valid: true}}
	cmdtest.CheckDecode(t, "numbers/resp2", cmdtest.Bulk("[3,null,2.5]"), decodeJSONNumbers, want)
	cmdtest.CheckDecode(t, "numbers/resp3", cmdtest.Arr(cmdtest.Int(3), cmdtest.Null3, cmdtest.Dbl("2.5")), decodeJSONNumbers, want)
	cmdtest.CheckDecode(t, "empty/resp2", cmdtest.Bulk("[]"), decodeJSONNumbers, JSONNumbers{})
	cmdtest.CheckDecode(t, "empty/resp3", cmdtest.Arr(), decodeJSONNumbers, JSONNumbers{})
	// Legacy paths reply with the new number alone.
	cmdtest.CheckDecode(t, "legacy/resp2", cmdtest.Bulk("7"), decodeJSONNumbers, JSONNumbers{{Value: 7, Valid: true}})
	cmdtest.CheckDecode(t, "legacy/resp3", cmdtest.Arr(cmdtest.Int(7)), decodeJSONNumbers, JSONNumbers{{Value: 7, Valid: true}})
	cmdtest.CheckDecode(t, "exponent/resp2", cmdtest.Bulk("[1e3]"), decodeJSONNumbers, JSONNumbers{{Value: 1000, Valid: true}})

	cmdtest.CheckDecodeErr(t, "not-json", cmdtest.Bulk("[3,"), decodeJSONNumbers)
	cmdtest.CheckDecodeErr(t, "not-number", cmdtest.Bulk(`["x"]`), decodeJSONNumbers)
	cmdtest.CheckDecodeErr(t, "null-text", cmdtest.Bulk("null"), decodeJSONNumbers)
	cmdtest.CheckDecodeErr(t, "object", cmdtest.Bulk(`{"a":1}`), decodeJSONNumbers)
	cmdtest.CheckDecodeErr(t, "bad-element", cmdtest.Arr(cmdtest.Bulk("x")), decodeJSONNumbers)
	cmdtest.CheckDecodeErr(t, "map", cmdtest.Map(), decodeJSONNumbers)
	cmdtest.CheckDecodeErr(t, "error", "-ERR Path '$.x' does not exist\r\n", decodeJSONNumbers)
}

func TestDecodeJSONTypes(t *testing.T) {
	want := JSONTypes{"object", "integer"}
	cmdtest.CheckDecode(t, "types/resp2", cmdtest.Arr(cmdtest.Bulk("object"), cmdtest.Bulk("integer")), decodeJSONTypes, want)
	cmdtest.CheckDecode(t, "types/resp3", cmdtest.Arr(cmdtest.Arr(cmdtest.Bulk("object"), cmdtest.Bulk("integer"))), decodeJSONTypes, want)
	cmdtest.CheckDecode(t, "none/resp2", cmdtest.Arr(), decodeJSONTypes, JSONTypes{})
	cmdtest.CheckDecode(t, "none/resp3", cmdtest.Arr(cmdtest.Arr()), decodeJSONTypes, JSONTypes{})
	// A missing key.
	cmdtest.CheckDecode(t, "nokey/resp2", cmdtest.Null2, decodeJSONTypes, JSONTypes(nil))
	cmdtest.CheckDecode(t, "nokey/resp3", cmdtest.Arr(cmdtest.Null3), decodeJSONTypes, JSONTypes(nil))
	// Legacy paths reply with one type.
	cmdtest.CheckDecode(t, "legacy/resp2", cmdtest.Simple("array"), decodeJSONTypes, JSONTypes{"array"})
	cmdtest.CheckDecode(t, "legacy/resp3", cmdtest.Arr(cmdtest.Simple("array")), decodeJSONTypes, JSONTypes{"array"})

	cmdtest.CheckDecodeErr(t, "integer", cmdtest.Int(1), decodeJSONTypes)
	cmdtest.CheckDecodeErr(t, "nested", cmdtest.Arr(cmdtest.Arr(cmdtest.Arr())), decodeJSONTypes)
	cmdtest.CheckDecodeErr(t, "mixed", cmdtest.Arr(cmdtest.Bulk("object"), cmdtest.Arr()), decodeJSONTypes)
	cmdtest.CheckDecodeErr(t, "error", "-WRONGTYPE\r\n", decodeJSONTypes)
}

// TestWireJSONOverrides checks the JSON builders whose argument trees the
// override table replaces.
func TestWireJSONOverrides(t *testing.T) {
	for _, c := range []struct {
		name string
		cmd  cmdtest.Commander
		want []string
	}{
		{"JSON.ARRPOP", ArrPop("k", "$.a").Index(-1), []string{"JSON.ARRPOP", "k", "$.a", "-1"}},
		{"JSON.ARRPOP format", ArrPop("k", "$").FormatExpand(), []string{"JSON.ARRPOP", "k", "FORMAT", "EXPAND", "$"}},
		{"JSON.GET", Get("k").Indent("  ").Paths("$.a", "$.b"), []string{"JSON.GET", "k", "INDENT", "  ", "$.a", "$.b"}},
		{"JSON.GET expand", Get("k").FormatExpand().Paths("$"), []string{"JSON.GET", "k", "FORMAT", "EXPAND", "$"}},
		{"JSON.STRAPPEND", StrAppend("k", "$.s", `"x"`), []string{"JSON.STRAPPEND", "k", "$.s", `"x"`}},
		{"JSON.MSET", MSet("a", "$", "1").Set("b", "$", "2"), []string{"JSON.MSET", "a", "$", "1", "b", "$", "2"}},
		{"JSON.MGET", MGet("$.a", "k1", "k2"), []string{"JSON.MGET", "k1", "k2", "$.a"}},
	} {
		cmdtest.CheckWire(t, c.name, c.cmd, c.want)
	}
}
