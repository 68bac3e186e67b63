package cmdimpl_test

import (
	"testing"

	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/redisclient/cmdimpl/cmdtest"
)

// TestDecodeMembersAsZMembers checks the adapter that a With without
// WITHSCORES decodes with: every element is a member, even when the list
// looks like RESP2's member-score pairs.
func TestDecodeMembersAsZMembers(t *testing.T) {
	b, arr := cmdtest.Bulk, cmdtest.Arr
	dec := cmdimpl.DecodeMembersAsZMembers
	cmdtest.CheckDecode(t, "members", arr(b("a"), b("1"), b("b"), b("2")), dec,
		[]cmdimpl.ZMember{{Member: "a"}, {Member: "1"}, {Member: "b"}, {Member: "2"}})
	cmdtest.CheckDecode(t, "RESP3 set", "~2\r\n"+b("a")+b("b"), dec, []cmdimpl.ZMember{{Member: "a"}, {Member: "b"}})
	cmdtest.CheckDecode(t, "empty", arr(), dec, []cmdimpl.ZMember{})
	cmdtest.CheckDecode(t, "null", "_\r\n", dec, []cmdimpl.ZMember(nil))
	cmdtest.CheckDecodeErr(t, "RESP3 pairs", arr(arr(b("a"), cmdtest.Dbl("1"))), dec)
	cmdtest.CheckDecodeErr(t, "error", cmdtest.Err("ERR x"), dec)
}
