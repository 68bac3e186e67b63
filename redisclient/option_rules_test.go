package redisclient

// This file checks, by reflection on the generated chains, that the option
// rules of gen/overrides_rules.go shape the states: a method the server
// would refuse after the options chosen so far is absent from the state's
// method set (so the chain does not compile), and the valid ones remain.

import (
	"reflect"
	"strings"
	"testing"
)

func TestOptionRuleMethodSets(t *testing.T) {
	for _, tc := range []struct {
		chain string
		state any
		has   string
		lacks string
	}{
		{"ZADD", ZAdd("z", 1, "m"), "NX XX GT LT CH Incr ScoreMember", ""},
		{"ZADD NX", ZAdd("z", 1, "m").NX(), "CH Incr ScoreMember", "GT LT"},
		{"ZADD XX", ZAdd("z", 1, "m").XX(), "GT LT CH Incr ScoreMember", ""},
		{"ZADD NX CH", ZAdd("z", 1, "m").NX().CH(), "Incr ScoreMember", "GT LT"},
		{"ZADD INCR", ZAdd("z", 1, "m").Incr(), "Do", "ScoreMember"},
		{"ZRANGE", ZRange("z", "0", "-1"), "ByScore ByLex Rev WithScores With", "Limit"},
		{"ZRANGE REV", ZRange("z", "0", "-1").Rev(), "WithScores", "Limit"},
		{"ZRANGE BYSCORE", ZRange("z", "0", "1").ByScore(), "Rev Limit WithScores", ""},
		{"ZRANGE BYSCORE REV", ZRange("z", "1", "0").ByScore().Rev(), "Limit WithScores", ""},
		{"ZRANGE BYSCORE LIMIT", ZRange("z", "0", "1").ByScore().Limit(0, 1), "WithScores", ""},
		{"ZRANGE BYLEX", ZRange("z", "-", "+").ByLex(), "Rev Limit", "WithScores"},
		{"ZRANGE BYLEX REV", ZRange("z", "+", "-").ByLex().Rev(), "Limit", "WithScores"},
		{"ZRANGE BYLEX LIMIT", ZRange("z", "-", "+").ByLex().Limit(0, 1), "Do", "WithScores"},
		{"ZRANGESTORE", ZRangeStore("d", "z", "0", "1"), "ByScore ByLex Rev", "Limit"},
		{"ZRANGESTORE REV", ZRangeStore("d", "z", "0", "1").Rev(), "Do", "Limit"},
		{"ZRANGESTORE BYLEX", ZRangeStore("d", "z", "-", "+").ByLex(), "Rev Limit", ""},
		{"LCS", LCS("a", "b"), "Len IDX", "MinMatchLen WithMatchLen"},
		{"LCS LEN", LCS("a", "b").Len(), "Do", "IDX MinMatchLen WithMatchLen"},
		{"LCS IDX", LCS("a", "b").IDX(), "MinMatchLen WithMatchLen", ""},
		{"GEORADIUS WITHDIST", GeoRadius("g", 0, 0, 1, GeoUnitKM).WithDist(), "WithHash Count Asc Desc", "Store StoreDist"},
		{"GEORADIUS WITHCOORD COUNT", GeoRadius("g", 0, 0, 1, GeoUnitKM).WithCoord().Count(1), "Any Asc", "Store StoreDist"},
		{"GEORADIUS COUNT", GeoRadius("g", 0, 0, 1, GeoUnitKM).Count(1), "Asc Store StoreDist", ""},
		{"GEORADIUSBYMEMBER WITHHASH", GeoRadiusByMember("g", "m", 1, GeoUnitKM).WithHash(), "Count", "Store StoreDist"},
		{"XADD MAXLEN", XAdd("s", "*", "f", "v").MaxLen("10"), "Exact Approx FieldValue", "Limit"},
		{"XADD MAXLEN =", XAdd("s", "*", "f", "v").MaxLen("10").Exact(), "FieldValue", "Limit"},
		{"XADD MINID ~", XAdd("s", "*", "f", "v").MinID("0").Approx(), "Limit FieldValue", ""},
		{"XTRIM", XTrim("s", TrimStrategyMaxLen, "10"), "Exact Approx", "Limit"},
		{"XTRIM ~", XTrim("s", TrimStrategyMaxLen, "10").Approx(), "Limit", ""},
		{"FAILOVER TO", Failover().To("h", 1), "Force Timeout", "Abort"},
		{"FAILOVER ABORT", Failover().Abort(), "Do", "Timeout"},
		{"CLIENT TRACKING BCAST", ClientTracking(OnOffOn).BCast(), "NoLoop", "OptIn OptOut"},
		{"CLIENT TRACKING OPTIN", ClientTracking(OnOffOn).OptIn(), "NoLoop", "OptOut"},
	} {
		typ := reflect.TypeOf(tc.state)
		for _, m := range strings.Fields(tc.has) {
			if _, ok := typ.MethodByName(m); !ok {
				t.Errorf("%s: %s has no method %s", tc.chain, typ, m)
			}
		}
		for _, m := range strings.Fields(tc.lacks) {
			if _, ok := typ.MethodByName(m); ok {
				t.Errorf("%s: %s has method %s, which the server refuses here", tc.chain, typ, m)
			}
		}
	}
}
