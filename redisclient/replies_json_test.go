package redisclient

// This file tests the hand-written JSON reply decoders with RESP2 and RESP3
// fixtures (each pair must decode to the same value), legacy-path, empty
// and malformed replies, and the wire form of the JSON builders whose
// argument trees the override table replaces.

import (
	"testing"
)

func TestDecodeJSONNumbers(t *testing.T) {
	want := JSONNumbers{{Value: 3, Valid: true}, {}, {Value: 2.5, Valid: true}}
	checkDecode(t, "numbers/resp2", fxBulk("[3,null,2.5]"), decodeJSONNumbers, want)
	checkDecode(t, "numbers/resp3", fxArr(fxInt(3), fxNull3, fxDbl("2.5")), decodeJSONNumbers, want)
	checkDecode(t, "empty/resp2", fxBulk("[]"), decodeJSONNumbers, JSONNumbers{})
	checkDecode(t, "empty/resp3", fxArr(), decodeJSONNumbers, JSONNumbers{})
	// Legacy paths reply with the new number alone.
	checkDecode(t, "legacy/resp2", fxBulk("7"), decodeJSONNumbers, JSONNumbers{{Value: 7, Valid: true}})
	checkDecode(t, "legacy/resp3", fxArr(fxInt(7)), decodeJSONNumbers, JSONNumbers{{Value: 7, Valid: true}})
	checkDecode(t, "exponent/resp2", fxBulk("[1e3]"), decodeJSONNumbers, JSONNumbers{{Value: 1000, Valid: true}})

	checkDecodeErr(t, "not-json", fxBulk("[3,"), decodeJSONNumbers)
	checkDecodeErr(t, "not-number", fxBulk(`["x"]`), decodeJSONNumbers)
	checkDecodeErr(t, "null-text", fxBulk("null"), decodeJSONNumbers)
	checkDecodeErr(t, "object", fxBulk(`{"a":1}`), decodeJSONNumbers)
	checkDecodeErr(t, "bad-element", fxArr(fxBulk("x")), decodeJSONNumbers)
	checkDecodeErr(t, "map", fxMap(), decodeJSONNumbers)
	checkDecodeErr(t, "error", "-ERR Path '$.x' does not exist\r\n", decodeJSONNumbers)
}

func TestDecodeJSONTypes(t *testing.T) {
	want := JSONTypes{"object", "integer"}
	checkDecode(t, "types/resp2", fxArr(fxBulk("object"), fxBulk("integer")), decodeJSONTypes, want)
	checkDecode(t, "types/resp3", fxArr(fxArr(fxBulk("object"), fxBulk("integer"))), decodeJSONTypes, want)
	checkDecode(t, "none/resp2", fxArr(), decodeJSONTypes, JSONTypes{})
	checkDecode(t, "none/resp3", fxArr(fxArr()), decodeJSONTypes, JSONTypes{})
	// A missing key.
	checkDecode(t, "nokey/resp2", fxNull2, decodeJSONTypes, JSONTypes(nil))
	checkDecode(t, "nokey/resp3", fxArr(fxNull3), decodeJSONTypes, JSONTypes(nil))
	// Legacy paths reply with one type.
	checkDecode(t, "legacy/resp2", fxSimple("array"), decodeJSONTypes, JSONTypes{"array"})
	checkDecode(t, "legacy/resp3", fxArr(fxSimple("array")), decodeJSONTypes, JSONTypes{"array"})

	checkDecodeErr(t, "integer", fxInt(1), decodeJSONTypes)
	checkDecodeErr(t, "nested", fxArr(fxArr(fxArr())), decodeJSONTypes)
	checkDecodeErr(t, "mixed", fxArr(fxBulk("object"), fxArr()), decodeJSONTypes)
	checkDecodeErr(t, "error", "-WRONGTYPE\r\n", decodeJSONTypes)
}

// TestWireJSONOverrides checks the JSON builders whose argument trees the
// override table replaces.
func TestWireJSONOverrides(t *testing.T) {
	for _, c := range []wireCase{
		{"JSON.ARRPOP", JSONArrPop("k", "$.a").Index(-1), []string{"JSON.ARRPOP", "k", "$.a", "-1"}},
		{"JSON.ARRPOP format", JSONArrPop("k", "$").FormatExpand(), []string{"JSON.ARRPOP", "k", "FORMAT", "EXPAND", "$"}},
		{"JSON.GET", JSONGet("k").Indent("  ").Paths("$.a", "$.b"), []string{"JSON.GET", "k", "INDENT", "  ", "$.a", "$.b"}},
		{"JSON.GET expand", JSONGet("k").FormatExpand().Paths("$"), []string{"JSON.GET", "k", "FORMAT", "EXPAND", "$"}},
		{"JSON.STRAPPEND", JSONStrAppend("k", "$.s", `"x"`), []string{"JSON.STRAPPEND", "k", "$.s", `"x"`}},
		{"JSON.MSET", JSONMSet("a", "$", "1").Set("b", "$", "2"), []string{"JSON.MSET", "a", "$", "1", "b", "$", "2"}},
		{"JSON.MGET", JSONMGet("$.a", "k1", "k2"), []string{"JSON.MGET", "k1", "k2", "$.a"}},
	} {
		checkWire(t, c)
	}
}
