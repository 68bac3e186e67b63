package probabilistic

// This file tests the hand-written decoder of replies.go on RESP2 and
// RESP3 fixtures.

import (
	"testing"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/redisclient/cmdimpl/cmdtest"
)

// TestTopKListWithChoosesDecoder checks that TOPK.LIST's With decodes as
// WithCount says: a RESP2 list of items that looks like item-count pairs
// stays a list of items without it.
func TestTopKListWithChoosesDecoder(t *testing.T) {
	b, arr := cmdtest.Bulk, cmdtest.Arr
	with := func(c bool) redisclient.Cmd[[]TopKItem] { return TopKList("k").With(TopKListOptions{WithCount: c}).Cmd }
	cmdtest.DecodeWith(t, "items", with(false), arr(b("a"), b("3"), b("b"), b("1")),
		[]TopKItem{{Item: "a"}, {Item: "3"}, {Item: "b"}, {Item: "1"}})
	cmdtest.DecodeWith(t, "WITHCOUNT RESP2", with(true), arr(b("a"), cmdtest.Int(3), b("b"), cmdtest.Int(1)),
		[]TopKItem{{Item: "a", Count: 3}, {Item: "b", Count: 1}})
	cmdtest.DecodeWith(t, "WITHCOUNT RESP3", with(true), arr(arr(b("a"), cmdtest.Int(3)), arr(b("b"), cmdtest.Int(1))),
		[]TopKItem{{Item: "a", Count: 3}, {Item: "b", Count: 1}})
	cmdtest.DecodeWith(t, "empty", with(false), arr(), []TopKItem{})
}

func TestDecodeBFInfoField(t *testing.T) {
	cmdtest.CheckDecode(t, "resp2", cmdtest.Arr(cmdtest.Int(100)), decodeBFInfoField, 100)
	cmdtest.CheckDecode(t, "resp3", cmdtest.Map(cmdtest.Simple("Capacity"), cmdtest.Int(100)), decodeBFInfoField, 100)
	cmdtest.CheckDecode(t, "bare", cmdtest.Int(100), decodeBFInfoField, 100)
	cmdtest.CheckDecodeErr(t, "two", cmdtest.Arr(cmdtest.Int(1), cmdtest.Int(2)), decodeBFInfoField)
	cmdtest.CheckDecodeErr(t, "empty map", cmdtest.Map(), decodeBFInfoField)
	cmdtest.CheckDecodeErr(t, "error", cmdtest.Err("ERR not found"), decodeBFInfoField)
}
