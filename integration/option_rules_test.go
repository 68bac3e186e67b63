package integration

// The option rules of gen/overrides_rules.go against real servers: the
// combinations the chains still offer run, the server itself refuses the
// ones the chains no longer offer (sent raw, so the rules stay true to the
// server), and the run-time options form refuses them with an OptionError
// before anything is sent.

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport/resp"
)

// TestOptionRulesValidChains runs the combinations the rules leave open.
func TestOptionRulesValidChains(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		z, lex := key(t, "z"), key(t, "lex")

		// ZADD: XX with GT, NX without GT/LT, INCR with one pair.
		expect(t, "ZADD", int64(3))(redisclient.ZAdd(z, 1, "a").ScoreMember(2, "b").ScoreMember(3, "c").Do(ctx, c))
		expect(t, "ZADD XX GT CH", int64(1))(redisclient.ZAdd(z, 5, "a").XX().GT().CH().Do(ctx, c))
		expect(t, "ZADD XX GT CH lower", int64(0))(redisclient.ZAdd(z, 0, "a").XX().GT().CH().Do(ctx, c))
		expect(t, "ZADD NX CH", int64(1))(redisclient.ZAdd(z, 4, "d").NX().CH().Do(ctx, c))
		expect(t, "ZADD NX INCR existing", none[float64]())(redisclient.ZAdd(z, 1, "d").NX().Incr().Do(ctx, c))
		expect(t, "ZADD NX INCR new", some(1.0))(redisclient.ZAdd(z, 1, "e").NX().Incr().Do(ctx, c))
		expect(t, "ZADD GT INCR", some(4.0))(redisclient.ZAdd(z, 3, "e").GT().Incr().Do(ctx, c))
		// z: b 2, c 3, d 4, e 4, a 5.

		// ZRANGE: LIMIT after BYSCORE or BYLEX, WITHSCORES but with BYLEX.
		expect(t, "ZRANGE BYSCORE LIMIT WITHSCORES", []redisclient.ZMember{zm("c", 3), zm("d", 4)})(
			redisclient.ZRange(z, "2", "4").ByScore().Limit(1, 2).WithScores().Do(ctx, c))
		expect(t, "ZRANGE BYSCORE REV LIMIT", []string{"e"})(redisclient.ZRange(z, "4", "2").ByScore().Rev().Limit(0, 1).Do(ctx, c))
		expect(t, "ZRANGE REV WITHSCORES", []redisclient.ZMember{zm("a", 5), zm("e", 4)})(
			redisclient.ZRange(z, "0", "1").Rev().WithScores().Do(ctx, c))
		expect(t, "ZADD lex", int64(5))(redisclient.ZAdd(lex, 0, "a").ScoreMember(0, "b").ScoreMember(0, "c").
			ScoreMember(0, "d").ScoreMember(0, "e").Do(ctx, c))
		expect(t, "ZRANGE BYLEX LIMIT", []string{"c", "d"})(redisclient.ZRange(lex, "[b", "[d").ByLex().Limit(1, 5).Do(ctx, c))
		expect(t, "ZRANGE BYLEX REV LIMIT", []string{"d", "c"})(redisclient.ZRange(lex, "[d", "[b").ByLex().Rev().Limit(0, 2).Do(ctx, c))
		expect(t, "ZRANGESTORE BYLEX LIMIT", int64(3))(redisclient.ZRangeStore(key(t, "dst1"), lex, "[a", "[e").ByLex().Limit(0, 3).Do(ctx, c))
		expect(t, "ZRANGESTORE BYSCORE REV LIMIT", int64(2))(redisclient.ZRangeStore(key(t, "dst2"), z, "5", "3").ByScore().Rev().Limit(0, 2).Do(ctx, c))

		// LCS: LEN alone, IDX with its modifiers.
		a, b := key(t, "lcs-a"), key(t, "lcs-b")
		ok(t, "SET a")(redisclient.Set(a, "ohmytext").Do(ctx, c))
		ok(t, "SET b")(redisclient.Set(b, "mynewtext").Do(ctx, c))
		expect(t, "LCS LEN", int64(6))(redisclient.LCS(a, b).Len().Do(ctx, c))
		expect(t, "LCS IDX MINMATCHLEN WITHMATCHLEN", redisclient.LCSMatches{
			Matches: []redisclient.LCSMatch{{A: redisclient.LCSRange{Start: 4, End: 7}, B: redisclient.LCSRange{Start: 5, End: 8}, Len: 4}},
			Len:     6,
		})(redisclient.LCS(a, b).IDX().MinMatchLen(4).WithMatchLen().Do(ctx, c))

		// GEORADIUS: WITH* without STORE, STORE without WITH*.
		g := key(t, "geo")
		expect(t, "GEOADD", int64(2))(redisclient.GeoAdd(g, 13.361389, 38.115556, "Palermo").LongitudeLatitudeMember(15.087269, 37.502669, "Catania").Do(ctx, c))
		expect(t, "GEORADIUS WITHDIST COUNT ASC", []redisclient.GeoLocation{{Member: "Catania", Dist: 56.4413}},
			cmpopts.EquateApprox(0, 0.001))(redisclient.GeoRadius(g, 15, 37, 200, redisclient.GeoUnitKM).WithDist().Count(1).Asc().Do(ctx, c))
		expect(t, "GEORADIUS COUNT ASC STORE", int64(2))(redisclient.GeoRadius(g, 15, 37, 200, redisclient.GeoUnitKM).Count(2).Asc().Store(key(t, "geo-dst")).Do(ctx, c))
		expect(t, "GEORADIUSBYMEMBER STOREDIST", int64(2))(redisclient.GeoRadiusByMember(g, "Palermo", 200, redisclient.GeoUnitKM).StoreDist(key(t, "geo-dist")).Do(ctx, c))
		expect(t, "ZSCORE of STOREDIST", some(0.0))(redisclient.ZScore(key(t, "geo-dist"), "Palermo").Do(ctx, c))

		// XADD and XTRIM: LIMIT after ~, = without it.
		s := key(t, "s")
		for i := 0; i < 3; i++ {
			if _, err := redisclient.XAdd(s, "*", "i", i).MaxLen("1000").Approx().Limit(10).Do(ctx, c); err != nil {
				t.Fatalf("XADD MAXLEN ~ LIMIT: %v", err)
			}
		}
		if _, err := redisclient.XAdd(s, "*", "i", 3).MaxLen("2").Exact().Do(ctx, c); err != nil {
			t.Fatalf("XADD MAXLEN =: %v", err)
		}
		expect(t, "XLEN after MAXLEN =", int64(2))(redisclient.XLen(s).Do(ctx, c))
		expect(t, "XTRIM MINID ~ LIMIT", int64(0))(redisclient.XTrim(s, redisclient.TrimStrategyMinID, "0").Approx().Limit(10).Do(ctx, c))
		expect(t, "XTRIM MAXLEN = ", int64(1))(redisclient.XTrim(s, redisclient.TrimStrategyMaxLen, "1").Exact().Do(ctx, c))
	})
}

// TestOptionRulesServerRefuses sends raw the combinations the chains no
// longer offer: each server refuses every one, so the rules hold on it.
func TestOptionRulesServerRefuses(t *testing.T) {
	srv := sharedServer(t)
	c := NewClient(t, srv.Options(3))
	ctx := testCtx(t)
	z, s, g := key(t, "z"), key(t, "s"), key(t, "g")
	expect(t, "ZADD", int64(1))(redisclient.ZAdd(z, 1, "a").Do(ctx, c))
	ok(t, "SET")(redisclient.Set(key(t, "a"), "x").Do(ctx, c))
	if _, err := redisclient.XAdd(s, "*", "f", "v").Do(ctx, c); err != nil {
		t.Fatal(err)
	}
	expect(t, "GEOADD", int64(1))(redisclient.GeoAdd(g, 13.361389, 38.115556, "Palermo").Do(ctx, c))
	// Each with the server's message (the same on Redis 7.0, 8.6 and
	// Valkey 9.1). FAILOVER FORCE without TIMEOUT is not here: a server
	// without replicas refuses FAILOVER before it looks at FORCE.
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"ZADD", z, "NX", "GT", "1", "a"}, "GT, LT, and/or NX options at the same time are not compatible"},
		{[]string{"ZADD", z, "NX", "LT", "1", "a"}, "GT, LT, and/or NX options at the same time are not compatible"},
		{[]string{"ZADD", z, "INCR", "1", "a", "2", "b"}, "INCR option supports a single increment-element pair"},
		{[]string{"ZRANGE", z, "0", "-1", "LIMIT", "0", "1"}, "LIMIT is only supported in combination with either BYSCORE or BYLEX"},
		{[]string{"ZRANGE", z, "-", "+", "BYLEX", "WITHSCORES"}, "WITHSCORES not supported in combination with BYLEX"},
		{[]string{"ZRANGESTORE", key(t, "dst"), z, "0", "-1", "LIMIT", "0", "1"}, "LIMIT is only supported in combination with either BYSCORE or BYLEX"},
		{[]string{"LCS", key(t, "a"), key(t, "a"), "LEN", "IDX"}, "please just use IDX"},
		{[]string{"GEORADIUS", g, "13", "38", "200", "km", "WITHDIST", "STORE", key(t, "gd")}, "not compatible with WITHDIST, WITHHASH and WITHCOORD"},
		{[]string{"GEORADIUSBYMEMBER", g, "Palermo", "200", "km", "WITHCOORD", "STOREDIST", key(t, "gd")}, "not compatible with WITHDIST, WITHHASH and WITHCOORD"},
		{[]string{"XADD", s, "MAXLEN", "10", "LIMIT", "5", "*", "f", "v"}, "LIMIT cannot be used without the special ~ option"},
		{[]string{"XADD", s, "MAXLEN", "=", "10", "LIMIT", "5", "*", "f", "v"}, "LIMIT cannot be used without the special ~ option"},
		{[]string{"XTRIM", s, "MAXLEN", "10", "LIMIT", "5"}, "LIMIT cannot be used without the special ~ option"},
		{[]string{"FAILOVER", "TO", "127.0.0.1", "1", "ABORT"}, "syntax error"},
		{[]string{"FAILOVER", "ABORT", "TIMEOUT", "100"}, "syntax error"},
	} {
		what := strings.Join(tc.args, " ")
		_, err := redisclient.RawStrings(tc.args...).Do(ctx, c)
		var re *resp.Error
		if !errors.As(err, &re) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: got %v, want the server's error %q", what, err, tc.msg)
		}
	}
	// The refused writes changed nothing.
	expect(t, "ZCARD", int64(1))(redisclient.ZCard(z).Do(ctx, c))
	expect(t, "XLEN", int64(1))(redisclient.XLen(s).Do(ctx, c))
	expect(t, "EXISTS", int64(0))(redisclient.Exists(key(t, "dst"), key(t, "gd")).Do(ctx, c))
}

// TestOptionRulesWithRefuses builds the refused combinations through the
// options form: each fails with an OptionError naming both fields, and no
// command reaches the server (the client's hook sees none).
func TestOptionRulesWithRefuses(t *testing.T) {
	srv := sharedServer(t)
	hook := &recordingHook{}
	opts := srv.Options(3)
	opts.Hooks = []redisclient.Hook{hook}
	c := NewClient(t, opts)
	ctx := testCtx(t)
	z, s, dst := key(t, "z"), key(t, "s"), key(t, "dst")
	for _, tc := range []struct {
		name  string
		run   func() error
		field string
	}{
		{"ZADD NX GT", func() error {
			_, err := redisclient.ZAdd(z, 1, "m").With(redisclient.ZAddOptions{Condition: redisclient.ExistConditionNX, Comparison: redisclient.ComparisonGT}).Do(ctx, c)
			return err
		}, "ZAddOptions.Condition and ZAddOptions.Comparison"},
		{"ZRANGE LIMIT", func() error {
			_, err := redisclient.ZRange(z, "0", "-1").With(redisclient.ZRangeOptions{Limit: redisclient.Some(redisclient.ZRangeLimit{Offset: 0, Count: 1})}).Do(ctx, c)
			return err
		}, "ZRangeOptions.Limit and ZRangeOptions.SortBy"},
		{"ZRANGE BYLEX WITHSCORES", func() error {
			_, err := redisclient.ZRange(z, "-", "+").With(redisclient.ZRangeOptions{SortBy: redisclient.ZRangeSortByLex, WithScores: true}).Do(ctx, c)
			return err
		}, "ZRangeOptions.WithScores and ZRangeOptions.SortBy"},
		{"ZRANGESTORE LIMIT", func() error {
			_, err := redisclient.ZRangeStore(dst, z, "0", "-1").With(redisclient.ZRangeStoreOptions{Limit: redisclient.Some(redisclient.ZRangeStoreLimit{Offset: 0, Count: 1})}).Do(ctx, c)
			return err
		}, "ZRangeStoreOptions.Limit and ZRangeStoreOptions.SortBy"},
		{"XADD MAXLEN = LIMIT", func() error {
			_, err := redisclient.XAdd(s, "*", "f", "v").With(redisclient.XAddOptions{Trim: redisclient.Some(redisclient.XAddTrim{
				Strategy: redisclient.TrimStrategyMaxLen, Operator: redisclient.TrimOperatorExact, Threshold: "10", Limit: redisclient.Some(int64(5))})}).Do(ctx, c)
			return err
		}, "XAddOptions.Trim.Limit and XAddOptions.Trim.Operator"},
		{"XTRIM LIMIT", func() error {
			_, err := redisclient.XTrim(s, redisclient.TrimStrategyMaxLen, "0").With(redisclient.XTrimOptions{Limit: redisclient.Some(int64(5))}).Do(ctx, c)
			return err
		}, "XTrimOptions.Limit and XTrimOptions.Operator"},
		{"FAILOVER ABORT TO", func() error {
			err := redisclient.Failover().With(redisclient.FailoverOptions{Abort: true, To: redisclient.Some(redisclient.FailoverTo{Host: "127.0.0.1", Port: 1})}).Do(ctx, c)
			return err
		}, "FailoverOptions.Abort and FailoverOptions.To"},
		{"FAILOVER TO FORCE", func() error {
			err := redisclient.Failover().With(redisclient.FailoverOptions{To: redisclient.Some(redisclient.FailoverTo{Host: "127.0.0.1", Port: 1, Force: true})}).Do(ctx, c)
			return err
		}, "FailoverOptions.To.Force and FailoverOptions.Timeout"},
		{"CLIENT TRACKING OPTIN OPTOUT", func() error {
			err := redisclient.ClientTracking(redisclient.OnOffOn).With(redisclient.ClientTrackingOptions{OptIn: true, OptOut: true}).Do(ctx, c)
			return err
		}, "ClientTrackingOptions.OptIn and ClientTrackingOptions.OptOut"},
	} {
		err := tc.run()
		var be *redisclient.BuildError
		var oe *redisclient.OptionError
		if !errors.As(err, &be) || !errors.As(err, &oe) || oe.Field != tc.field {
			t.Errorf("%s: got %v, want a BuildError for %s", tc.name, err, tc.field)
		}
	}
	if sent := hook.take(); len(sent) != 0 {
		t.Errorf("refused commands reached the server: %v", sent)
	}
	// The same options made valid run, and the hook sees them.
	expect(t, "ZADD XX GT via With", int64(0))(redisclient.ZAdd(z, 1, "m").With(redisclient.ZAddOptions{Condition: redisclient.ExistConditionXX, Comparison: redisclient.ComparisonGT}).Do(ctx, c))
	expect(t, "ZADD", int64(1))(redisclient.ZAdd(z, 1, "m").Do(ctx, c))
	expect(t, "ZRANGE BYSCORE LIMIT WITHSCORES via With", []redisclient.ZMember{zm("m", 1)})(redisclient.ZRange(z, "0", "5").With(redisclient.ZRangeOptions{
		SortBy: redisclient.ZRangeSortByScore, Limit: redisclient.Some(redisclient.ZRangeLimit{Offset: 0, Count: 1}), WithScores: true}).Do(ctx, c))
	expect(t, "ZRANGE BYLEX LIMIT via With", []redisclient.ZMember{zm("m", 0)})(redisclient.ZRange(z, "-", "+").With(redisclient.ZRangeOptions{
		SortBy: redisclient.ZRangeSortByLex, Limit: redisclient.Some(redisclient.ZRangeLimit{Offset: 0, Count: 1})}).Do(ctx, c))
	if _, err := redisclient.XAdd(s, "*", "f", "v").With(redisclient.XAddOptions{Trim: redisclient.Some(redisclient.XAddTrim{
		Strategy: redisclient.TrimStrategyMaxLen, Operator: redisclient.TrimOperatorApprox, Threshold: "10", Limit: redisclient.Some(int64(5))})}).Do(ctx, c); err != nil {
		t.Errorf("XADD MAXLEN ~ LIMIT via With: %v", err)
	}
	expect(t, "XTRIM ~ LIMIT via With", int64(0))(redisclient.XTrim(s, redisclient.TrimStrategyMaxLen, "10").With(redisclient.XTrimOptions{
		Operator: redisclient.TrimOperatorApprox, Limit: redisclient.Some(int64(5))}).Do(ctx, c))
	want := []string{"ZADD: ok", "ZADD: ok", "ZRANGE: ok", "ZRANGE: ok", "XADD: ok", "XTRIM: ok"}
	if got := hook.take(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("hook saw %v, want %v", got, want)
	}
}
