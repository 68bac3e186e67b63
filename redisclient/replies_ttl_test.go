package redisclient

// This file tests the expiry reply decoders on exact RESP bytes: every
// state of TTL-like replies, the per-field arrays of the hash commands,
// the HEXPIRE and HPERSIST result codes, and the plain duration and time
// decoders. Integers are the same in RESP2 and RESP3; the nulls differ.

import (
	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"math"
	"testing"
	"time"
)

func TestDecodeTimeToLive(t *testing.T) {
	checkDecode(t, "TTL 100", fxInt(100), decodeTTLSeconds, TimeToLive{Duration: 100 * time.Second, State: ExpirySet})
	checkDecode(t, "TTL 0", fxInt(0), decodeTTLSeconds, TimeToLive{State: ExpirySet})
	checkDecode(t, "TTL no expiry", fxInt(-1), decodeTTLSeconds, TimeToLive{State: ExpiryNone})
	checkDecode(t, "TTL no key", fxInt(-2), decodeTTLSeconds, TimeToLive{State: ExpiryNoKey})
	checkDecode(t, "PTTL 1500", fxInt(1500), decodeTTLMillis, TimeToLive{Duration: 1500 * time.Millisecond, State: ExpirySet})
	checkDecode(t, "PTTL no expiry", fxInt(-1), decodeTTLMillis, TimeToLive{State: ExpiryNone})
	checkDecode(t, "PTTL no key", fxInt(-2), decodeTTLMillis, TimeToLive{State: ExpiryNoKey})
	// Beyond time.Duration's range: the largest duration.
	checkDecode(t, "TTL saturates", fxInt(math.MaxInt64), decodeTTLSeconds, TimeToLive{Duration: math.MaxInt64, State: ExpirySet})
	checkDecode(t, "TTL 300 years", fxInt(300*365*24*3600), decodeTTLSeconds, TimeToLive{Duration: math.MaxInt64, State: ExpirySet})

	checkDecodeErr(t, "TTL -3", fxInt(-3), decodeTTLSeconds)
	checkDecodeErr(t, "TTL null2", fxNull2, decodeTTLSeconds)
	checkDecodeErr(t, "TTL null3", fxNull3, decodeTTLSeconds)
	checkDecodeErr(t, "TTL error", fxErr("ERR wrong number of arguments"), decodeTTLSeconds)
	checkDecodeErr(t, "TTL array", fxArr(fxInt(1)), decodeTTLMillis)

	// HTTL and HPTTL: one per field, in the order asked.
	fields := fxArr(fxInt(100), fxInt(-1), fxInt(-2))
	checkDecode(t, "HTTL", fields, decodeSliceTTLSeconds, []TimeToLive{
		{Duration: 100 * time.Second, State: ExpirySet}, {State: ExpiryNone}, {State: ExpiryNoKey},
	})
	checkDecode(t, "HPTTL", fields, decodeSliceTTLMillis, []TimeToLive{
		{Duration: 100 * time.Millisecond, State: ExpirySet}, {State: ExpiryNone}, {State: ExpiryNoKey},
	})
	checkDecode(t, "HTTL null2", "*-1\r\n", decodeSliceTTLSeconds, []TimeToLive(nil))
	checkDecode(t, "HTTL null3", fxNull3, decodeSliceTTLSeconds, []TimeToLive(nil))
	checkDecodeErr(t, "HTTL bad code", fxArr(fxInt(5), fxInt(-7)), decodeSliceTTLSeconds)
}

func TestDecodeExpiryTime(t *testing.T) {
	checkDecode(t, "EXPIRETIME", fxInt(1700000000), decodeExpireTimeSeconds, ExpiryTime{Time: time.Unix(1700000000, 0), State: ExpirySet})
	checkDecode(t, "EXPIRETIME no expiry", fxInt(-1), decodeExpireTimeSeconds, ExpiryTime{State: ExpiryNone})
	checkDecode(t, "EXPIRETIME no key", fxInt(-2), decodeExpireTimeSeconds, ExpiryTime{State: ExpiryNoKey})
	checkDecode(t, "PEXPIRETIME", fxInt(1700000000123), decodeExpireTimeMillis, ExpiryTime{Time: time.UnixMilli(1700000000123), State: ExpirySet})
	checkDecode(t, "PEXPIRETIME no expiry", fxInt(-1), decodeExpireTimeMillis, ExpiryTime{State: ExpiryNone})
	checkDecode(t, "PEXPIRETIME no key", fxInt(-2), decodeExpireTimeMillis, ExpiryTime{State: ExpiryNoKey})
	checkDecodeErr(t, "EXPIRETIME -5", fxInt(-5), decodeExpireTimeSeconds)
	checkDecodeErr(t, "PEXPIRETIME string", fxBulk("soon"), decodeExpireTimeMillis)

	checkDecode(t, "HEXPIRETIME", fxArr(fxInt(1700000000), fxInt(-2)), decodeSliceExpireTimeSeconds, []ExpiryTime{
		{Time: time.Unix(1700000000, 0), State: ExpirySet}, {State: ExpiryNoKey},
	})
	checkDecode(t, "HPEXPIRETIME", fxArr(fxInt(-1), fxInt(1700000000001)), decodeSliceExpireTimeMillis, []ExpiryTime{
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
	checkDecode(t, "HEXPIRE", fxArr(fxInt(1), fxInt(0), fxInt(2), fxInt(-2)), decodeSliceHExpireResult,
		[]HExpireResult{HExpireSet, HExpireNotSet, HExpireDeleted, HExpireNoField})
	checkDecodeErr(t, "HEXPIRE 3", fxArr(fxInt(3)), decodeSliceHExpireResult)
	checkDecodeErr(t, "HEXPIRE 258", fxInt(258), decodeHExpireResult) // not truncated to 2
	checkDecodeErr(t, "HEXPIRE -1", fxInt(-1), decodeHExpireResult)
	checkDecode(t, "HPERSIST", fxArr(fxInt(1), fxInt(-1), fxInt(-2)), decodeSliceHPersistResult,
		[]HPersistResult{HPersistRemoved, HPersistNoExpiry, HPersistNoField})
	checkDecodeErr(t, "HPERSIST 0", fxInt(0), decodeHPersistResult)
	checkDecodeErr(t, "HPERSIST 257", fxInt(257), decodeHPersistResult)
	checkDecode(t, "HEXPIRE null3", fxNull3, decodeSliceHExpireResult, []HExpireResult(nil))

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
	checkDecode(t, "seconds", fxInt(42), cmdimpl.DecodeSeconds, 42*time.Second)
	checkDecode(t, "millis", fxInt(42), cmdimpl.DecodeMillis, 42*time.Millisecond)
	checkDecode(t, "unix time", fxInt(1700000000), cmdimpl.DecodeUnixTime, time.Unix(1700000000, 0))
	checkDecode(t, "unix millis", fxInt(1700000000042), cmdimpl.DecodeUnixMillis, time.UnixMilli(1700000000042))
	// OBJECT IDLETIME: null when the key does not exist.
	checkDecode(t, "idle", fxInt(7), decodeOptSeconds, Opt[time.Duration]{Value: 7 * time.Second, Valid: true})
	checkDecode(t, "idle null2", fxNull2, decodeOptSeconds, Opt[time.Duration]{})
	checkDecode(t, "idle null3", fxNull3, decodeOptSeconds, Opt[time.Duration]{})
	checkDecodeErr(t, "seconds string", fxBulk("x"), cmdimpl.DecodeSeconds)
	checkDecodeErr(t, "unix time error", fxErr("ERR no"), cmdimpl.DecodeUnixTime)
	checkDecodeErr(t, "unix millis null", fxNull3, cmdimpl.DecodeUnixMillis)
}
