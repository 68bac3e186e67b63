package cmdimpl_test

import (
	"math"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/redisclient/cmdimpl/cmdtest"
	"github.com/redkit-go/redkit/transport/resp"
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

// TestDecodeUnits decodes microseconds, seconds with a fraction (a RESP3
// double or a RESP2 bulk string, as ACL LOG's age-seconds) and durations
// and times that are absent when null or the server's -1.
func TestDecodeUnits(t *testing.T) {
	cmdtest.CheckDecode(t, "micros", cmdtest.Int(1500), cmdimpl.DecodeMicros, 1500*time.Microsecond)
	cmdtest.CheckDecode(t, "float seconds RESP2", cmdtest.Bulk("0.042999999999999997"), cmdimpl.DecodeFloatSeconds, 43*time.Millisecond)
	cmdtest.CheckDecode(t, "float seconds RESP3", cmdtest.Dbl("1.5"), cmdimpl.DecodeFloatSeconds, 1500*time.Millisecond)
	cmdtest.CheckDecode(t, "float seconds huge", cmdtest.Dbl("1e300"), cmdimpl.DecodeFloatSeconds, time.Duration(math.MaxInt64))
	cmdtest.CheckDecodeErr(t, "float seconds nan", cmdtest.Dbl("nan"), cmdimpl.DecodeFloatSeconds)
	cmdtest.CheckDecodeErr(t, "float seconds text", cmdtest.Bulk("soon"), cmdimpl.DecodeFloatSeconds)

	optMillis := func(v resp.Value) (cmdimpl.Opt[time.Duration], error) {
		return cmdimpl.DecodeOptNonNegative(v, cmdimpl.DecodeMillis)
	}
	cmdtest.CheckDecode(t, "-1 is absent", cmdtest.Int(-1), optMillis, cmdimpl.Opt[time.Duration]{})
	cmdtest.CheckDecode(t, "null is absent", "$-1\r\n", optMillis, cmdimpl.Opt[time.Duration]{})
	cmdtest.CheckDecode(t, "0 is present", cmdtest.Int(0), optMillis, cmdimpl.Opt[time.Duration]{Valid: true})
	cmdtest.CheckDecode(t, "25ms", cmdtest.Int(25), optMillis, cmdimpl.Opt[time.Duration]{Value: 25 * time.Millisecond, Valid: true})
	cmdtest.CheckDecodeErr(t, "text", cmdtest.Bulk("x"), optMillis)
}

// TestDecodeShortTupleSlice keeps the zero values of elements newer
// servers add (LATENCY LATEST without Valkey's sum and count) and refuses
// tuples shorter than every server sends.
func TestDecodeShortTupleSlice(t *testing.T) {
	type pair struct{ A, B int64 }
	from := func(x resp.Value) (pair, error) {
		var p pair
		var err error
		if p.A, err = cmdimpl.DecodeInt(x); err != nil {
			return p, err
		}
		if x = x.Next(); x.Valid() {
			p.B, err = cmdimpl.DecodeInt(x)
		}
		return p, err
	}
	dec := func(v resp.Value) ([]pair, error) { return cmdimpl.DecodeShortTupleSlice(v, 1, from) }
	cmdtest.CheckDecode(t, "short and long", cmdtest.Arr(cmdtest.Arr(cmdtest.Int(1)), cmdtest.Arr(cmdtest.Int(2), cmdtest.Int(3))), dec, []pair{{A: 1}, {A: 2, B: 3}})
	cmdtest.CheckDecodeErr(t, "too short", cmdtest.Arr(cmdtest.Arr()), dec)
	cmdtest.CheckDecodeErr(t, "not tuples", cmdtest.Arr(cmdtest.Int(1)), dec)
}
