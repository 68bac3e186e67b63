package redisclient

import (
	"bytes"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/redisclient/cmdimpl/cmdtest"
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
		{"ZRANGE WITHSCORES", ZRange("z", "0", "-1").Rev().WithScores(), ZRange("z", "0", "-1").With(ZRangeOptions{Rev: true, WithScores: true})},
		{"GEOSEARCH WITH*", GeoSearch("g", GeoSearchFromMember("m"), GeoSearchByRadius(1, GeoUnitKM)).Asc().WithCoord().WithDist().WithHash(),
			GeoSearch("g", GeoSearchFromMember("m"), GeoSearchByRadius(1, GeoUnitKM)).With(GeoSearchOptions{Order: SortOrderAsc, WithCoord: true, WithDist: true, WithHash: true})},
		{"XCLAIM JUSTID", XClaim("s", "g", "c", time.Second, "1-0").JustID(), XClaim("s", "g", "c", time.Second, "1-0").With(XClaimOptions{JustID: true})},
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

// TestWithChoosesDecoder checks that a With whose options change the
// reply's shape decodes it as its options say, on RESP2 and RESP3
// fixtures: never guessing from the reply, so that a RESP2 list of
// members that looks like member-score pairs stays a list of members.
func TestWithChoosesDecoder(t *testing.T) {
	b, arr := cmdtest.Bulk, cmdtest.Arr
	members := arr(b("a"), b("1"), b("b"), b("2")) // four members, RESP2 and RESP3
	asMembers := []ZMember{{Member: "a"}, {Member: "1"}, {Member: "b"}, {Member: "2"}}
	scores2 := members // RESP2 WITHSCORES: a flat list
	scores3 := arr(arr(b("a"), cmdtest.Dbl("1")), arr(b("b"), cmdtest.Dbl("2")))
	withScores := []ZMember{{Member: "a", Score: 1}, {Member: "b", Score: 2}}
	for _, z := range []struct {
		name string
		with func(bool) Cmd[[]ZMember]
	}{
		{"ZRANGE", func(s bool) Cmd[[]ZMember] { return ZRange("z", "0", "-1").With(ZRangeOptions{WithScores: s}).Cmd }},
		{"ZRANGEBYSCORE", func(s bool) Cmd[[]ZMember] {
			return ZRangeByScore("z", "-inf", "+inf").With(ZRangeByScoreOptions{WithScores: s}).Cmd
		}},
		{"ZREVRANGE", func(s bool) Cmd[[]ZMember] { return ZRevRange("z", 0, -1).With(ZRevRangeOptions{WithScores: s}).Cmd }},
		{"ZREVRANGEBYSCORE", func(s bool) Cmd[[]ZMember] {
			return ZRevRangeByScore("z", "+inf", "-inf").With(ZRevRangeByScoreOptions{WithScores: s}).Cmd
		}},
		{"ZUNION", func(s bool) Cmd[[]ZMember] { return ZUnion("z").With(ZUnionOptions{WithScores: s}).Cmd }},
		{"ZINTER", func(s bool) Cmd[[]ZMember] { return ZInter("z").With(ZInterOptions{WithScores: s}).Cmd }},
		{"ZDIFF", func(s bool) Cmd[[]ZMember] { return ZDiff("z").With(ZDiffOptions{WithScores: s}).Cmd }},
	} {
		cmdtest.DecodeWith(t, z.name+" members", z.with(false), members, asMembers)
		cmdtest.DecodeWith(t, z.name+" WITHSCORES RESP2", z.with(true), scores2, withScores)
		cmdtest.DecodeWith(t, z.name+" WITHSCORES RESP3", z.with(true), scores3, withScores)
		cmdtest.DecodeWith(t, z.name+" empty", z.with(false), arr(), []ZMember{})
	}

	names := arr(b("Palermo"), b("Catania"))
	asNames := []GeoLocation{{Member: "Palermo"}, {Member: "Catania"}}
	dist2 := arr(arr(b("Palermo"), b("190.4424")), arr(b("Catania"), b("56.4413")))
	dist3 := arr(arr(b("Palermo"), cmdtest.Dbl("190.4424")), arr(b("Catania"), cmdtest.Dbl("56.4413")))
	withDist := []GeoLocation{{Member: "Palermo", Dist: 190.4424}, {Member: "Catania", Dist: 56.4413}}
	coord := arr(arr(b("Palermo"), arr(b("13.5"), b("38.25"))))
	withCoord := []GeoLocation{{Member: "Palermo", Longitude: 13.5, Latitude: 38.25}}
	hash := arr(arr(b("Palermo"), cmdtest.Int(3479099956230698)))
	withHash := []GeoLocation{{Member: "Palermo", Hash: 3479099956230698}}
	by := GeoSearchByRadius(200, GeoUnitKM)
	for _, g := range []struct {
		name string
		with func(dist, hash, coord bool) Cmd[[]GeoLocation]
	}{
		{"GEOSEARCH", func(d, h, c bool) Cmd[[]GeoLocation] {
			return GeoSearch("g", GeoSearchFromLonLat(15, 37), by).With(GeoSearchOptions{WithDist: d, WithHash: h, WithCoord: c}).Cmd
		}},
		{"GEORADIUS", func(d, h, c bool) Cmd[[]GeoLocation] {
			return GeoRadius("g", 15, 37, 200, GeoUnitKM).With(GeoRadiusOptions{WithDist: d, WithHash: h, WithCoord: c})
		}},
		{"GEORADIUS_RO", func(d, h, c bool) Cmd[[]GeoLocation] {
			return GeoRadiusRO("g", 15, 37, 200, GeoUnitKM).With(GeoRadiusROOptions{WithDist: d, WithHash: h, WithCoord: c}).Cmd
		}},
	} {
		cmdtest.DecodeWith(t, g.name+" names", g.with(false, false, false), names, asNames)
		cmdtest.DecodeWith(t, g.name+" WITHDIST RESP2", g.with(true, false, false), dist2, withDist)
		cmdtest.DecodeWith(t, g.name+" WITHDIST RESP3", g.with(true, false, false), dist3, withDist)
		cmdtest.DecodeWith(t, g.name+" WITHHASH", g.with(false, true, false), hash, withHash)
		cmdtest.DecodeWith(t, g.name+" WITHCOORD", g.with(false, false, true), coord, withCoord)
		// Names only: a reply of pairs is not taken for one with distances.
		cmdtest.CheckDecodeErr(t, g.name+" names refuse pairs", dist2, cmdimpl.DecoderOf(g.with(false, false, false)))
	}

	// ZRANK and ZREVRANK WITHSCORE: *RankScore either way, nil for a
	// missing member.
	for _, z := range []struct {
		name string
		with func(bool) Cmd[*RankScore]
	}{
		{"ZRANK", func(s bool) Cmd[*RankScore] { return ZRank("z", "m").With(ZRankOptions{WithScore: s}).Cmd }},
		{"ZREVRANK", func(s bool) Cmd[*RankScore] { return ZRevRank("z", "m").With(ZRevRankOptions{WithScore: s}).Cmd }},
	} {
		cmdtest.DecodeWith(t, z.name+" rank", z.with(false), cmdtest.Int(2), &RankScore{Rank: 2})
		cmdtest.DecodeWith(t, z.name+" missing", z.with(false), "_\r\n", (*RankScore)(nil))
		cmdtest.DecodeWith(t, z.name+" missing RESP2", z.with(false), "$-1\r\n", (*RankScore)(nil))
		cmdtest.DecodeWith(t, z.name+" WITHSCORE RESP2", z.with(true), arr(cmdtest.Int(2), b("1.5")), &RankScore{Rank: 2, Score: 1.5})
		cmdtest.DecodeWith(t, z.name+" WITHSCORE RESP3", z.with(true), arr(cmdtest.Int(2), cmdtest.Dbl("1.5")), &RankScore{Rank: 2, Score: 1.5})
		cmdtest.DecodeWith(t, z.name+" WITHSCORE missing", z.with(true), "_\r\n", (*RankScore)(nil))
	}

	// XCLAIM and XAUTOCLAIM JUSTID: the entries' type either way, only
	// their IDs with JustID.
	xclaim := func(j bool) Cmd[[]XMessage] {
		return XClaim("s", "g", "c", time.Second, "1-0").With(XClaimOptions{JustID: j})
	}
	entries := arr(arr(b("1-0"), arr(b("f"), b("v"))))
	cmdtest.DecodeWith(t, "XCLAIM entries", xclaim(false), entries, []XMessage{{ID: "1-0", Fields: map[string]string{"f": "v"}}})
	cmdtest.DecodeWith(t, "XCLAIM JUSTID", xclaim(true), arr(b("1-0"), b("2-0")), []XMessage{{ID: "1-0"}, {ID: "2-0"}})
	cmdtest.CheckDecodeErr(t, "XCLAIM JUSTID refuses entries", entries, cmdimpl.DecoderOf(xclaim(true)))
	xauto := func(j bool) Cmd[XAutoClaimReply] {
		return XAutoClaim("s", "g", "c", time.Second, "0-0").With(XAutoClaimOptions{JustID: j})
	}
	cmdtest.DecodeWith(t, "XAUTOCLAIM entries", xauto(false), arr(b("0-0"), entries, arr(b("3-0"))),
		XAutoClaimReply{Next: "0-0", Messages: []XMessage{{ID: "1-0", Fields: map[string]string{"f": "v"}}}, Deleted: []string{"3-0"}})
	cmdtest.DecodeWith(t, "XAUTOCLAIM JUSTID", xauto(true), arr(b("0-0"), arr(b("1-0"), b("2-0")), arr(b("3-0"))),
		XAutoClaimReply{Next: "0-0", Messages: []XMessage{{ID: "1-0"}, {ID: "2-0"}}, Deleted: []string{"3-0"}})
	cmdtest.DecodeWith(t, "XAUTOCLAIM JUSTID none", xauto(true), arr(b("0-0"), arr(), arr()),
		XAutoClaimReply{Next: "0-0", Messages: []XMessage{}, Deleted: []string{}})

	// XREADGROUP CLAIM: entries of four elements with it, of two without
	// (then Idle and Deliveries 0); RESP3's map of streams in wire order.
	xrg := func(claim time.Duration) Cmd[[]XClaimStream] {
		o := XReadGroupOptions{}
		if claim > 0 {
			o.Claim = Some(claim)
		}
		return XReadGroup("g", "c", []string{"s"}, ">").With(o)
	}
	plain2 := arr(arr(b("s"), arr(arr(b("1-0"), arr(b("f"), b("v"))))))
	plain3 := "%1\r\n" + b("s") + arr(arr(b("1-0"), arr(b("f"), b("v"))))
	claimed := arr(arr(b("s"), arr(arr(b("1-0"), arr(b("f"), b("v")), cmdtest.Int(1500), cmdtest.Int(2)))))
	noClaim := []XClaimStream{{Key: "s", Messages: []XClaimMessage{{ID: "1-0", Fields: map[string]string{"f": "v"}}}}}
	cmdtest.DecodeWith(t, "XREADGROUP RESP2", xrg(0), plain2, noClaim)
	cmdtest.DecodeWith(t, "XREADGROUP RESP3", xrg(0), plain3, noClaim)
	cmdtest.DecodeWith(t, "XREADGROUP timeout", xrg(0), "_\r\n", []XClaimStream(nil))
	cmdtest.DecodeWith(t, "XREADGROUP CLAIM", xrg(time.Second), claimed,
		[]XClaimStream{{Key: "s", Messages: []XClaimMessage{{ID: "1-0", Fields: map[string]string{"f": "v"}, Idle: 1500 * time.Millisecond, Deliveries: 2}}}})
	cmdtest.CheckDecodeErr(t, "XREADGROUP CLAIM refuses entries of two", plain2, cmdimpl.DecoderOf(xrg(time.Second)))
}
