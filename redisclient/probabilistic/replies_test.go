package probabilistic

// This file tests the hand-written decoder of replies.go on RESP2 and
// RESP3 fixtures.

import (
	"testing"

	"github.com/redkit-go/redkit/redisclient/cmdimpl/cmdtest"
)

func TestDecodeBFInfoField(t *testing.T) {
	cmdtest.CheckDecode(t, "resp2", cmdtest.Arr(cmdtest.Int(100)), decodeBFInfoField, 100)
	cmdtest.CheckDecode(t, "resp3", cmdtest.Map(cmdtest.Simple("Capacity"), cmdtest.Int(100)), decodeBFInfoField, 100)
	cmdtest.CheckDecode(t, "bare", cmdtest.Int(100), decodeBFInfoField, 100)
	cmdtest.CheckDecodeErr(t, "two", cmdtest.Arr(cmdtest.Int(1), cmdtest.Int(2)), decodeBFInfoField)
	cmdtest.CheckDecodeErr(t, "empty map", cmdtest.Map(), decodeBFInfoField)
	cmdtest.CheckDecodeErr(t, "error", cmdtest.Err("ERR not found"), decodeBFInfoField)
}
