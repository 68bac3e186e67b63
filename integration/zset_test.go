package integration

// Sorted sets on RESP2 and RESP3.

import (
	"strconv"
	"testing"

	"github.com/redkit-go/redkit/redisclient"
)

func zm(member string, score float64) redisclient.ZMember {
	return redisclient.ZMember{Member: member, Score: score}
}

func TestSortedSets(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		z, missing := key(t, "z"), key(t, "missing")

		// ZADD and its options.
		expect(t, "ZADD", int64(3))(redisclient.ZAdd(z, 1, "one").ScoreMember(2, "two").ScoreMember(3, "three").Do(ctx, c))
		expect(t, "ZADD NX existing", int64(0))(redisclient.ZAdd(z, 10, "one").NX().Do(ctx, c))
		expect(t, "ZSCORE after NX", some(1.0))(redisclient.ZScore(z, "one").Do(ctx, c))
		expect(t, "ZADD XX new member", int64(0))(redisclient.ZAdd(z, 4, "four").XX().Do(ctx, c))
		expect(t, "ZSCORE missing member", none[float64]())(redisclient.ZScore(z, "four").Do(ctx, c))
		expect(t, "ZADD XX CH", int64(1))(redisclient.ZAdd(z, 1.5, "one").XX().CH().Do(ctx, c))
		expect(t, "ZADD GT lower (no change)", int64(0))(redisclient.ZAdd(z, 1, "one").GT().CH().Do(ctx, c))
		expect(t, "ZADD LT lower", int64(1))(redisclient.ZAdd(z, 1, "one").LT().CH().Do(ctx, c))
		expect(t, "ZADD INCR", some(3.5))(redisclient.ZAdd(z, 2.5, "one").Incr().Do(ctx, c))
		expect(t, "ZADD NX INCR existing", none[float64]())(redisclient.ZAdd(z, 1, "one").NX().Incr().Do(ctx, c))
		expect(t, "ZADD INCR back", some(1.0))(redisclient.ZAdd(z, -2.5, "one").Incr().Do(ctx, c))
		expect(t, "ZINCRBY", 4.0)(redisclient.ZIncrBy(z, 2, "two").Do(ctx, c))
		expect(t, "ZINCRBY back", 2.0)(redisclient.ZIncrBy(z, -2, "two").Do(ctx, c))
		expect(t, "ZADD inf", int64(1))(redisclient.ZAdd(key(t, "inf"), posInf(), "top").Do(ctx, c))
		expect(t, "ZSCORE inf", some(posInf()))(redisclient.ZScore(key(t, "inf"), "top").Do(ctx, c))
		expect(t, "ZCARD", int64(3))(redisclient.ZCard(z).Do(ctx, c))
		expect(t, "ZCOUNT", int64(2))(redisclient.ZCount(z, "(1", "3").Do(ctx, c))
		expect(t, "ZMSCORE", []redisclient.Opt[float64]{some(1.0), none[float64](), some(3.0)})(redisclient.ZMScore(z, "one", "nope", "three").Do(ctx, c))

		// ZRANGE forms.
		all := []redisclient.ZMember{zm("one", 1), zm("two", 2), zm("three", 3)}
		expect(t, "ZRANGE", []string{"one", "two", "three"})(redisclient.ZRange(z, "0", "-1").Do(ctx, c))
		expect(t, "ZRANGE WITHSCORES", all)(redisclient.ZRange(z, "0", "-1").WithScores().Do(ctx, c))
		expect(t, "ZRANGE REV", []string{"three", "two", "one"})(redisclient.ZRange(z, "0", "-1").Rev().Do(ctx, c))
		expect(t, "ZRANGE BYSCORE", []string{"two", "three"})(redisclient.ZRange(z, "(1", "+inf").ByScore().Do(ctx, c))
		expect(t, "ZRANGE BYSCORE LIMIT WITHSCORES", []redisclient.ZMember{zm("two", 2)})(
			redisclient.ZRange(z, "-inf", "+inf").ByScore().Limit(1, 1).WithScores().Do(ctx, c))
		expect(t, "ZRANGE BYSCORE REV", []redisclient.ZMember{zm("three", 3), zm("two", 2)})(
			redisclient.ZRange(z, "+inf", "(1").ByScore().Rev().WithScores().Do(ctx, c))
		expect(t, "ZRANGE missing", []string{})(redisclient.ZRange(missing, "0", "-1").Do(ctx, c))
		expect(t, "ZRANGEBYSCORE WITHSCORES LIMIT", []redisclient.ZMember{zm("one", 1), zm("two", 2)})(
			redisclient.ZRangeByScore(z, "-inf", "+inf").WithScores().Limit(0, 2).Do(ctx, c))
		expect(t, "ZREVRANGE WITHSCORES", []redisclient.ZMember{zm("three", 3), zm("two", 2), zm("one", 1)})(
			redisclient.ZRevRange(z, 0, -1).WithScores().Do(ctx, c))
		expect(t, "ZREVRANGEBYSCORE", []string{"three", "two"})(redisclient.ZRevRangeByScore(z, "3", "2").Do(ctx, c))

		lex := key(t, "lex")
		expect(t, "ZADD lex", int64(7))(redisclient.ZAdd(lex, 0, "a").ScoreMember(0, "b").ScoreMember(0, "c").
			ScoreMember(0, "d").ScoreMember(0, "e").ScoreMember(0, "f").ScoreMember(0, "g").Do(ctx, c))
		expect(t, "ZRANGE BYLEX", []string{"b", "c", "d", "e"})(redisclient.ZRange(lex, "[b", "(f").ByLex().Do(ctx, c))
		expect(t, "ZRANGE BYLEX REV LIMIT", []string{"e", "d"})(redisclient.ZRange(lex, "(f", "[b").ByLex().Rev().Limit(0, 2).Do(ctx, c))
		expect(t, "ZRANGEBYLEX", []string{"a", "b", "c"})(redisclient.ZRangeByLex(lex, "-", "(d").Do(ctx, c))
		expect(t, "ZLEXCOUNT", int64(7))(redisclient.ZLexCount(lex, "-", "+").Do(ctx, c))
		dst := key(t, "dst")
		expect(t, "ZRANGESTORE BYLEX", int64(3))(redisclient.ZRangeStore(dst, lex, "[c", "[e").ByLex().Do(ctx, c))
		expect(t, "ZRANGE dst", []string{"c", "d", "e"})(redisclient.ZRange(dst, "0", "-1").Do(ctx, c))

		// Ranks (WITHSCORE is in TestNewerCommands).
		expect(t, "ZRANK", some[int64](1))(redisclient.ZRank(z, "two").Do(ctx, c))
		expect(t, "ZREVRANK", some[int64](0))(redisclient.ZRevRank(z, "three").Do(ctx, c))
		expect(t, "ZRANK missing member", none[int64]())(redisclient.ZRank(z, "nope").Do(ctx, c))

		// Pops: RESP3 sends one pair flat without COUNT, nested with it.
		p := key(t, "pop")
		value[int64](t, "ZADD")(redisclient.ZAdd(p, 1, "a").ScoreMember(2, "b").ScoreMember(3, "c").ScoreMember(4, "d").Do(ctx, c))
		expect(t, "ZPOPMIN", []redisclient.ZMember{zm("a", 1)})(redisclient.ZPopMin(p).Do(ctx, c))
		expect(t, "ZPOPMIN 2", []redisclient.ZMember{zm("b", 2), zm("c", 3)})(redisclient.ZPopMin(p).Count(2).Do(ctx, c))
		expect(t, "ZPOPMAX", []redisclient.ZMember{zm("d", 4)})(redisclient.ZPopMax(p).Do(ctx, c))
		expect(t, "ZPOPMIN empty", []redisclient.ZMember{})(redisclient.ZPopMin(p).Do(ctx, c))
		expect(t, "ZPOPMAX empty with count", []redisclient.ZMember{})(redisclient.ZPopMax(p).Count(3).Do(ctx, c))

		// ZMPOP.
		m1, m2 := key(t, "mp1"), key(t, "mp2")
		value[int64](t, "ZADD")(redisclient.ZAdd(m2, 1, "a").ScoreMember(2, "b").ScoreMember(3, "c").Do(ctx, c))
		expect(t, "ZMPOP MIN", &redisclient.KeyZMembers{Key: m2, Members: []redisclient.ZMember{zm("a", 1)}})(
			redisclient.ZMPop(redisclient.MinMaxMin, m1, m2).Do(ctx, c))
		expect(t, "ZMPOP MAX COUNT 5", &redisclient.KeyZMembers{Key: m2, Members: []redisclient.ZMember{zm("c", 3), zm("b", 2)}})(
			redisclient.ZMPop(redisclient.MinMaxMax, m1, m2).Count(5).Do(ctx, c))
		expect(t, "ZMPOP empty", (*redisclient.KeyZMembers)(nil))(redisclient.ZMPop(redisclient.MinMaxMin, m1, m2).Do(ctx, c))

		// ZUNIONSTORE / ZINTERSTORE with WEIGHTS and AGGREGATE (the
		// documentation's sets).
		z1, z2, out := key(t, "zset1"), key(t, "zset2"), key(t, "out")
		value[int64](t, "ZADD")(redisclient.ZAdd(z1, 1, "one").ScoreMember(2, "two").Do(ctx, c))
		value[int64](t, "ZADD")(redisclient.ZAdd(z2, 1, "one").ScoreMember(2, "two").ScoreMember(3, "three").Do(ctx, c))
		expect(t, "ZUNIONSTORE WEIGHTS", int64(3))(redisclient.ZUnionStore(out, z1, z2).Weights(2, 3).Do(ctx, c))
		expect(t, "result of ZUNIONSTORE WEIGHTS", []redisclient.ZMember{zm("one", 5), zm("three", 9), zm("two", 10)})(
			redisclient.ZRange(out, "0", "-1").WithScores().Do(ctx, c))
		expect(t, "ZUNIONSTORE WEIGHTS AGGREGATE MAX", int64(3))(redisclient.ZUnionStore(out, z1, z2).Weights(2, 3).AggregateMax().Do(ctx, c))
		expect(t, "result of AGGREGATE MAX", []redisclient.ZMember{zm("one", 3), zm("two", 6), zm("three", 9)})(
			redisclient.ZRange(out, "0", "-1").WithScores().Do(ctx, c))
		expect(t, "ZUNIONSTORE AGGREGATE MIN", int64(3))(redisclient.ZUnionStore(out, z1, z2).AggregateMin().Do(ctx, c))
		expect(t, "result of AGGREGATE MIN", []redisclient.ZMember{zm("one", 1), zm("two", 2), zm("three", 3)})(
			redisclient.ZRange(out, "0", "-1").WithScores().Do(ctx, c))
		expect(t, "ZINTERSTORE WEIGHTS", int64(2))(redisclient.ZInterStore(out, z1, z2).Weights(2, 3).Do(ctx, c))
		expect(t, "result of ZINTERSTORE", []redisclient.ZMember{zm("one", 5), zm("two", 10)})(
			redisclient.ZRange(out, "0", "-1").WithScores().Do(ctx, c))
		expect(t, "ZUNION WITHSCORES", []redisclient.ZMember{zm("one", 2), zm("three", 3), zm("two", 4)})(
			redisclient.ZUnion(z1, z2).WithScores().Do(ctx, c))
		expect(t, "ZINTER AGGREGATE SUM", []string{"one", "two"})(redisclient.ZInter(z1, z2).AggregateSum().Do(ctx, c))
		expect(t, "ZDIFF WITHSCORES", []redisclient.ZMember{zm("three", 3)})(redisclient.ZDiff(z2, z1).WithScores().Do(ctx, c))
		expect(t, "ZINTERCARD", int64(2))(redisclient.ZInterCard(z1, z2).Do(ctx, c))

		// Removal.
		expect(t, "ZREM", int64(1))(redisclient.ZRem(z2, "one", "nope").Do(ctx, c))
		expect(t, "ZREMRANGEBYSCORE", int64(1))(redisclient.ZRemRangeByScore(z2, "-inf", "(3").Do(ctx, c))
		expect(t, "ZREMRANGEBYRANK", int64(1))(redisclient.ZRemRangeByRank(z2, 0, 0).Do(ctx, c))
		expect(t, "EXISTS emptied", int64(0))(redisclient.Exists(z2).Do(ctx, c))

		// ZRANDMEMBER.
		r := value[[]redisclient.ZMember](t, "ZRANDMEMBER 2 WITHSCORES")(redisclient.ZRandMember(z).Count(2).WithScores().Do(ctx, c))
		scores := map[string]float64{"one": 1, "two": 2, "three": 3}
		if len(r) != 2 {
			t.Errorf("ZRANDMEMBER 2 WITHSCORES: %v", r)
		}
		for _, m := range r {
			if s, in := scores[m.Member]; !in || s != m.Score {
				t.Errorf("ZRANDMEMBER WITHSCORES: %+v does not match the set", m)
			}
		}
		one := value[redisclient.Opt[string]](t, "ZRANDMEMBER")(redisclient.ZRandMember(z).Do(ctx, c))
		if _, in := scores[one.Value]; !one.Valid || !in {
			t.Errorf("ZRANDMEMBER: %+v", one)
		}

		// ZSCAN over a large set: member, score pairs flattened.
		big := key(t, "big")
		want := map[string]string{}
		za := redisclient.ZAdd(big, 0, "m0")
		want["m0"] = "0"
		for i := 1; i < 300; i++ {
			za = za.ScoreMember(float64(i)+0.5, "m"+strconv.Itoa(i))
			want["m"+strconv.Itoa(i)] = strconv.Itoa(i) + ".5"
		}
		expect(t, "ZADD 300", int64(300))(za.Do(ctx, c))
		got := map[string]string{}
		cursor := "0"
		for {
			page := value[redisclient.ScanPage](t, "ZSCAN")(redisclient.ZScan(big, cursor).Count(64).Do(ctx, c))
			for i := 0; i+1 < len(page.Keys); i += 2 {
				got[page.Keys[i]] = page.Keys[i+1]
			}
			if cursor = page.Cursor; cursor == "0" {
				break
			}
		}
		expect(t, "ZSCAN all pairs", want)(got, nil)
		page := value[redisclient.ScanPage](t, "ZSCAN MATCH")(redisclient.ZScan(z, "0").Match("t*").Do(ctx, c))
		expect(t, "ZSCAN MATCH t*", []string{"two", "2", "three", "3"})(page.Keys, nil)
	})
}
