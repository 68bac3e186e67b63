package redisclient

// This file tests the expiry reply decoders on exact RESP bytes: every
// state of TTL-like replies, the per-field arrays of the hash commands,
// the HEXPIRE and HPERSIST result codes, and the plain duration and time
// decoders. Integers are the same in RESP2 and RESP3; the nulls differ.

import (
	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/redisclient/cmdimpl/cmdtest"
	"math"
	"testing"
	"time"
)

func TestDecodeTimeToLive(t *testing.T) {
	cmdtest.CheckDecode(t, "TTL 100", cmdtest.Int(100), decodeTTLSeconds, TimeToLive{Duration: 100 * time.Second, State: ExpirySet})
	cmdtest.CheckDecode(t, "TTL 0", cmdtest.Int(0), decodeTTLSeconds, TimeToLive{State: ExpirySet})
	cmdtest.CheckDecode(t, "TTL no expiry", cmdtest.Int(-1), decodeTTLSeconds, TimeToLive{State: ExpiryNone})
	cmdtest.CheckDecode(t, "TTL no key", cmdtest.Int(-2), decodeTTLSeconds, TimeToLive{State: ExpiryNoKey})
	cmdtest.CheckDecode(t, "PTTL 1500", cmdtest.Int(1500), decodeTTLMillis, TimeToLive{Duration: 1500 * time.Millisecond, State: ExpirySet})
	cmdtest.CheckDecode(t, "PTTL no expiry", cmdtest.Int(-1), decodeTTLMillis, TimeToLive{State: ExpiryNone})
	cmdtest.CheckDecode(t, "PTTL no key", cmdtest.Int(-2), decodeTTLMillis, TimeToLive{State: ExpiryNoKey})
	// Beyond time.Duration's range: the largest duration.
	cmdtest.CheckDecode(t, "TTL saturates", cmdtest.Int(math.MaxInt64), decodeTTLSeconds, TimeToLive{Duration: math.MaxInt64, State: ExpirySet})
	cmdtest.CheckDecode(t, "TTL 300 years", cmdtest.Int(300*365*24*3600), decodeTTLSeconds, TimeToLive{Duration: math.MaxInt64, State: ExpirySet})

	cmdtest.CheckDecodeErr(t, "TTL -3", cmdtest.Int(-3), decodeTTLSeconds)
	cmdtest.CheckDecodeErr(t, "TTL null2", cmdtest.Null2, decodeTTLSeconds)
	cmdtest.CheckDecodeErr(t, "TTL null3", cmdtest.Null3, decodeTTLSeconds)
	cmdtest.CheckDecodeErr(t, "TTL error", cmdtest.Err("ERR wrong number of arguments"), decodeTTLSeconds)
	cmdtest.CheckDecodeErr(t, "TTL array", cmdtest.Arr(cmdtest.Int(1)), decodeTTLMillis)

	// HTTL and HPTTL: one per field, in the order asked.
	fields := cmdtest.Arr(cmdtest.Int(100), cmdtest.Int(-1), cmdtest.Int(-2))
	cmdtest.CheckDecode(t, "HTTL", fields, decodeSliceTTLSeconds, []TimeToLive{
		{Duration: 100 * time.Second, State: ExpirySet}, {State: ExpiryNone}, {State: ExpiryNoKey},
	})
	cmdtest.CheckDecode(t, "HPTTL", fields, decodeSliceTTLMillis, []TimeToLive{
		{Duration: 100 * time.Millisecond, State: ExpirySet}, {State: ExpiryNone}, {State: ExpiryNoKey},
	})
	cmdtest.CheckDecode(t, "HTTL null2", "*-1\r\n", decodeSliceTTLSeconds, []TimeToLive(nil))
	cmdtest.CheckDecode(t, "HTTL null3", cmdtest.Null3, decodeSliceTTLSeconds, []TimeToLive(nil))
	cmdtest.CheckDecodeErr(t, "HTTL bad code", cmdtest.Arr(cmdtest.Int(5), cmdtest.Int(-7)), decodeSliceTTLSeconds)
}

func TestDecodeExpiryTime(t *testing.T) {
	cmdtest.CheckDecode(t, "EXPIRETIME", cmdtest.Int(1700000000), decodeExpireTimeSeconds, ExpiryTime{Time: time.Unix(1700000000, 0), State: ExpirySet})
	cmdtest.CheckDecode(t, "EXPIRETIME no expiry", cmdtest.Int(-1), decodeExpireTimeSeconds, ExpiryTime{State: ExpiryNone})
	cmdtest.CheckDecode(t, "EXPIRETIME no key", cmdtest.Int(-2), decodeExpireTimeSeconds, ExpiryTime{State: ExpiryNoKey})
	cmdtest.CheckDecode(t, "PEXPIRETIME", cmdtest.Int(1700000000123), decodeExpireTimeMillis, ExpiryTime{Time: time.UnixMilli(1700000000123), State: ExpirySet})
	cmdtest.CheckDecode(t, "PEXPIRETIME no expiry", cmdtest.Int(-1), decodeExpireTimeMillis, ExpiryTime{State: ExpiryNone})
	cmdtest.CheckDecode(t, "PEXPIRETIME no key", cmdtest.Int(-2), decodeExpireTimeMillis, ExpiryTime{State: ExpiryNoKey})
	cmdtest.CheckDecodeErr(t, "EXPIRETIME -5", cmdtest.Int(-5), decodeExpireTimeSeconds)
	cmdtest.CheckDecodeErr(t, "PEXPIRETIME string", cmdtest.Bulk("soon"), decodeExpireTimeMillis)

	cmdtest.CheckDecode(t, "HEXPIRETIME", cmdtest.Arr(cmdtest.Int(1700000000), cmdtest.Int(-2)), decodeSliceExpireTimeSeconds, []ExpiryTime{
		{Time: time.Unix(1700000000, 0), State: ExpirySet}, {State: ExpiryNoKey},
	})
	cmdtest.CheckDecode(t, "HPEXPIRETIME", cmdtest.Arr(cmdtest.Int(-1), cmdtest.Int(1700000000001)), decodeSliceExpireTimeMillis, []ExpiryTime{
		{State: ExpiryNone}, {Time: time.UnixMilli(1700000000001), State: ExpirySet},
	})
}

func TestExpiryMethods(t *testing.T) {
	for _, c := range []struct {
		ttl            TimeToLive
		exists, expiry bool
		str            string
	}{
		{TimeToLive{Duration: 1500 * time.Millisecond, State: ExpirySet}, true, true, "1.5s"},
		{TimeToLive{State: ExpiryNone}, true, false, "no expiry"},
		{TimeToLive{State: ExpiryNoKey}, false, false, "no key"},
		{TimeToLive{}, false, false, "no key"},
	} {
		if c.ttl.Exists() != c.exists || c.ttl.HasExpiry() != c.expiry || c.ttl.String() != c.str {
			t.Errorf("%#v: Exists %v HasExpiry %v String %q", c.ttl, c.ttl.Exists(), c.ttl.HasExpiry(), c.ttl.String())
		}
		et := ExpiryTime{State: c.ttl.State}
		if et.Exists() != c.exists || et.HasExpiry() != c.expiry {
			t.Errorf("%#v: Exists %v HasExpiry %v", et, et.Exists(), et.HasExpiry())
		}
	}
	at := time.Unix(1700000000, 0).UTC()
	if s := (ExpiryTime{Time: at, State: ExpirySet}).String(); s != at.String() {
		t.Errorf("ExpiryTime.String = %q", s)
	}
	if s := ExpiryState(7).String(); s != "ExpiryState(7)" {
		t.Errorf("unknown state: %q", s)
	}
}

func TestDecodeHashExpiryResults(t *testing.T) {
	cmdtest.CheckDecode(t, "HEXPIRE", cmdtest.Arr(cmdtest.Int(1), cmdtest.Int(0), cmdtest.Int(2), cmdtest.Int(-2)), decodeSliceHExpireResult,
		[]HExpireResult{HExpireSet, HExpireNotSet, HExpireDeleted, HExpireNoField})
	cmdtest.CheckDecodeErr(t, "HEXPIRE 3", cmdtest.Arr(cmdtest.Int(3)), decodeSliceHExpireResult)
	cmdtest.CheckDecodeErr(t, "HEXPIRE 258", cmdtest.Int(258), decodeHExpireResult) // not truncated to 2
	cmdtest.CheckDecodeErr(t, "HEXPIRE -1", cmdtest.Int(-1), decodeHExpireResult)
	cmdtest.CheckDecode(t, "HPERSIST", cmdtest.Arr(cmdtest.Int(1), cmdtest.Int(-1), cmdtest.Int(-2)), decodeSliceHPersistResult,
		[]HPersistResult{HPersistRemoved, HPersistNoExpiry, HPersistNoField})
	cmdtest.CheckDecodeErr(t, "HPERSIST 0", cmdtest.Int(0), decodeHPersistResult)
	cmdtest.CheckDecodeErr(t, "HPERSIST 257", cmdtest.Int(257), decodeHPersistResult)
	cmdtest.CheckDecode(t, "HEXPIRE null3", cmdtest.Null3, decodeSliceHExpireResult, []HExpireResult(nil))

	for r, s := range map[HExpireResult]string{HExpireNoField: "no field", HExpireNotSet: "not set", HExpireSet: "set", HExpireDeleted: "deleted", 9: "HExpireResult(9)"} {
		if r.String() != s {
			t.Errorf("%d: %q, want %q", r, r.String(), s)
		}
	}
	for r, s := range map[HPersistResult]string{HPersistNoField: "no field", HPersistNoExpiry: "no expiry", HPersistRemoved: "removed", 0: "HPersistResult(0)"} {
		if r.String() != s {
			t.Errorf("%d: %q, want %q", r, r.String(), s)
		}
	}
}

func TestDecodeDurationsAndTimes(t *testing.T) {
	cmdtest.CheckDecode(t, "seconds", cmdtest.Int(42), cmdimpl.DecodeSeconds, 42*time.Second)
	cmdtest.CheckDecode(t, "millis", cmdtest.Int(42), cmdimpl.DecodeMillis, 42*time.Millisecond)
	cmdtest.CheckDecode(t, "unix time", cmdtest.Int(1700000000), cmdimpl.DecodeUnixTime, time.Unix(1700000000, 0))
	cmdtest.CheckDecode(t, "unix millis", cmdtest.Int(1700000000042), cmdimpl.DecodeUnixMillis, time.UnixMilli(1700000000042))
	// OBJECT IDLETIME: null when the key does not exist.
	cmdtest.CheckDecode(t, "idle", cmdtest.Int(7), decodeOptSeconds, Opt[time.Duration]{Value: 7 * time.Second, Valid: true})
	cmdtest.CheckDecode(t, "idle null2", cmdtest.Null2, decodeOptSeconds, Opt[time.Duration]{})
	cmdtest.CheckDecode(t, "idle null3", cmdtest.Null3, decodeOptSeconds, Opt[time.Duration]{})
	cmdtest.CheckDecodeErr(t, "seconds string", cmdtest.Bulk("x"), cmdimpl.DecodeSeconds)
	cmdtest.CheckDecodeErr(t, "unix time error", cmdtest.Err("ERR no"), cmdimpl.DecodeUnixTime)
	cmdtest.CheckDecodeErr(t, "unix millis null", cmdtest.Null3, cmdimpl.DecodeUnixMillis)
}
