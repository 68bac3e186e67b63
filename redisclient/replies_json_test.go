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
	checkDecode(t, "numbers/resp2", srchBulk("[3,null,2.5]"), decodeJSONNumbers, want)
	checkDecode(t, "numbers/resp3", srchArr(srchInt(3), srchNull3, srchDbl("2.5")), decodeJSONNumbers, want)
	checkDecode(t, "empty/resp2", srchBulk("[]"), decodeJSONNumbers, JSONNumbers{})
	checkDecode(t, "empty/resp3", srchArr(), decodeJSONNumbers, JSONNumbers{})
	// Legacy paths reply with the new number alone.
	checkDecode(t, "legacy/resp2", srchBulk("7"), decodeJSONNumbers, JSONNumbers{{Value: 7, Valid: true}})
	checkDecode(t, "legacy/resp3", srchArr(srchInt(7)), decodeJSONNumbers, JSONNumbers{{Value: 7, Valid: true}})
	checkDecode(t, "exponent/resp2", srchBulk("[1e3]"), decodeJSONNumbers, JSONNumbers{{Value: 1000, Valid: true}})

	checkDecodeErr(t, "not-json", srchBulk("[3,"), decodeJSONNumbers)
	checkDecodeErr(t, "not-number", srchBulk(`["x"]`), decodeJSONNumbers)
	checkDecodeErr(t, "null-text", srchBulk("null"), decodeJSONNumbers)
	checkDecodeErr(t, "object", srchBulk(`{"a":1}`), decodeJSONNumbers)
	checkDecodeErr(t, "bad-element", srchArr(srchBulk("x")), decodeJSONNumbers)
	checkDecodeErr(t, "map", srchMap(), decodeJSONNumbers)
	checkDecodeErr(t, "error", "-ERR Path '$.x' does not exist\r\n", decodeJSONNumbers)
}

func TestDecodeJSONTypes(t *testing.T) {
	want := JSONTypes{"object", "integer"}
	checkDecode(t, "types/resp2", srchArr(srchBulk("object"), srchBulk("integer")), decodeJSONTypes, want)
	checkDecode(t, "types/resp3", srchArr(srchArr(srchBulk("object"), srchBulk("integer"))), decodeJSONTypes, want)
	checkDecode(t, "none/resp2", srchArr(), decodeJSONTypes, JSONTypes{})
	checkDecode(t, "none/resp3", srchArr(srchArr()), decodeJSONTypes, JSONTypes{})
	// A missing key.
	checkDecode(t, "nokey/resp2", srchNull2, decodeJSONTypes, JSONTypes(nil))
	checkDecode(t, "nokey/resp3", srchArr(srchNull3), decodeJSONTypes, JSONTypes(nil))
	// Legacy paths reply with one type.
	checkDecode(t, "legacy/resp2", srchSimple("array"), decodeJSONTypes, JSONTypes{"array"})
	checkDecode(t, "legacy/resp3", srchArr(srchSimple("array")), decodeJSONTypes, JSONTypes{"array"})

	checkDecodeErr(t, "integer", srchInt(1), decodeJSONTypes)
	checkDecodeErr(t, "nested", srchArr(srchArr(srchArr())), decodeJSONTypes)
	checkDecodeErr(t, "mixed", srchArr(srchBulk("object"), srchArr()), decodeJSONTypes)
	checkDecodeErr(t, "error", "-WRONGTYPE\r\n", decodeJSONTypes)
}

// TestWireJSONOverrides checks the JSON builders whose argument trees the
// override table replaces.
func TestWireJSONOverrides(t *testing.T) {
	for _, c := range []wireCase{
		{"JSON.ARRPOP", JSONArrPop("k", "$.a").Index(-1), []string{"JSON.ARRPOP", "k", "$.a", "-1"}},
		{"JSON.ARRPOP format", JSONArrPop("k", "$").FormatExpand(), []string{"JSON.ARRPOP", "k", "FORMAT", "EXPAND", "$"}},
		{"JSON.GET", JSONGet("k").Indent("  ").Path("$.a", "$.b"), []string{"JSON.GET", "k", "INDENT", "  ", "$.a", "$.b"}},
		{"JSON.GET expand", JSONGet("k").FormatExpand().Path("$"), []string{"JSON.GET", "k", "FORMAT", "EXPAND", "$"}},
		{"JSON.STRAPPEND", JSONStrAppend("k", "$.s", `"x"`), []string{"JSON.STRAPPEND", "k", "$.s", `"x"`}},
		{"JSON.MSET", JSONMSet("a", "$", "1").Set("b", "$", "2"), []string{"JSON.MSET", "a", "$", "1", "b", "$", "2"}},
		{"JSON.MGET", JSONMGet("$.a", "k1", "k2"), []string{"JSON.MGET", "k1", "k2", "$.a"}},
	} {
		checkWire(t, c)
	}
}
