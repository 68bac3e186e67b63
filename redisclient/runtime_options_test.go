package redisclient

import (
	"bytes"
	"testing"
	"time"
)

// TestWithMatchesChain checks that options set at run time send exactly
// the bytes of the equivalent chain, durations' rounding and unit choice
// included.
func TestWithMatchesChain(t *testing.T) {
	at := time.UnixMilli(1700000000500)
	for _, tc := range []struct {
		name        string
		chain, with commander
	}{
		{"SET NX EX", Set("k", "v").NX().EX(10 * time.Second), Set("k", "v").With(SetOptions{Condition: SetConditionNX(), Expiration: SetExpirationEX(10 * time.Second)})},
		{"SET XX EX 1.5s", Set("k", "v").XX().EX(1500 * time.Millisecond), Set("k", "v").With(SetOptions{Condition: SetConditionXX(), Expiration: SetExpirationEX(1500 * time.Millisecond)})},
		{"SET EXAT fraction", Set("k", "v").EXAT(at), Set("k", "v").With(SetOptions{Expiration: SetExpirationEXAT(at)})},
		{"SET KEEPTTL", Set("k", "v").KeepTTL(), Set("k", "v").With(SetOptions{Expiration: SetExpirationKeepTTL()})},
		{"ZADD XX GT CH", ZAdd("z", 1, "m").XX().GT().CH(), ZAdd("z", 1, "m").With(ZAddOptions{Condition: ExistConditionXX, Comparison: ComparisonGT, CH: true})},
		{"XADD trim", XAdd("s", "*", "f", "v").NoMkStream().MaxLen("10").Approx().Limit(5), XAdd("s", "*", "f", "v").With(XAddOptions{NoMkStream: true, Trim: Some(XAddTrim{Strategy: TrimStrategyMaxLen, Operator: TrimOperatorApprox, Threshold: "10", Limit: Some(int64(5))})})},
		{"SCAN", Scan("0").Match("a*").Count(10).Type("list"), Scan("0").With(ScanCommandOptions{Match: Some("a*"), Count: Some(int64(10)), Type: Some("list")})},
		{"ZRANGE", ZRange("z", "0", "10").ByScore().Rev().Limit(1, 2), ZRange("z", "0", "10").With(ZRangeOptions{SortBy: ZRangeSortByScore, Rev: true, Limit: Some(ZRangeLimit{Offset: 1, Count: 2})})},
		{"LPOP COUNT", LPop("l").Count(3), LPop("l").With(LPopOptions{Count: Some(int64(3))})},
	} {
		a, err := tc.chain.Command()
		if err != nil {
			t.Fatalf("%s: chain: %v", tc.name, err)
		}
		b, err := tc.with.Command()
		if err != nil {
			t.Fatalf("%s: With: %v", tc.name, err)
		}
		if wa, wb := a.AppendTo(nil), b.AppendTo(nil); !bytes.Equal(wa, wb) || a.Flags() != b.Flags() {
			t.Errorf("%s:\nchain %q\n With %q", tc.name, wa, wb)
		}
		a.Release()
		b.Release()
	}
}
