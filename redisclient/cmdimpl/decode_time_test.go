package cmdimpl_test

import (
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/redisclient/cmdimpl/cmdtest"
)

// TestDecodeServerTime decodes TIME's reply in both protocols and refuses
// malformed ones with an error, never a wrong time.
func TestDecodeServerTime(t *testing.T) {
	want := time.Unix(1764700000, 123456000)
	cmdtest.CheckDecode(t, "TIME", cmdtest.Arr(cmdtest.Bulk("1764700000"), cmdtest.Bulk("123456")), cmdimpl.DecodeServerTime, want)
	for _, bad := range []string{
		cmdtest.Bulk("1764700000"),
		cmdtest.Arr(cmdtest.Bulk("1764700000")),
		cmdtest.Arr(cmdtest.Bulk("1764700000"), cmdtest.Bulk("1000000")),
		cmdtest.Arr(cmdtest.Bulk("1764700000"), cmdtest.Bulk("-1")),
		cmdtest.Arr(cmdtest.Bulk("x"), cmdtest.Bulk("1")),
		cmdtest.Arr(cmdtest.Bulk("1"), cmdtest.Bulk("2"), cmdtest.Bulk("3")),
	} {
		cmdtest.CheckDecodeErr(t, "TIME malformed", bad, cmdimpl.DecodeServerTime)
	}
}
