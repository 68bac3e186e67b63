package integration

// Geo, HyperLogLog and scripting on RESP2 and RESP3.

import (
	"crypto/sha1"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport/resp"
)

// isRESP3 reports whether t runs under the RESP3 subtest of protocols.
func isRESP3(t testing.TB) bool { return strings.Contains(t.Name()+"/", "/RESP3/") }

// protoOf returns the protocol of the protocols subtest t runs under.
func protoOf(t testing.TB) int {
	if isRESP3(t) {
		return 3
	}
	return 2
}

func TestGeo(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		g := key(t, "Sicily")
		approx := cmpopts.EquateApprox(0, 1e-4)

		// The documentation's examples.
		expect(t, "GEOADD", int64(2))(redisclient.GeoAdd(g, 13.361389, 38.115556, "Palermo").
			LongitudeLatitudeMember(15.087269, 37.502669, "Catania").Do(ctx, c))
		expect(t, "GEOADD NX existing", int64(0))(redisclient.GeoAdd(g, 1, 1, "Palermo").NX().Do(ctx, c))
		expect(t, "GEOADD XX CH (unchanged position)", int64(0))(redisclient.GeoAdd(g, 13.361389, 38.115556, "Palermo").XX().CH().Do(ctx, c))
		expect(t, "GEODIST", some(166274.1516))(redisclient.GeoDist(g, "Palermo", "Catania").Do(ctx, c))
		expect(t, "GEODIST KM", some(166.2742))(redisclient.GeoDist(g, "Palermo", "Catania").KM().Do(ctx, c))
		expect(t, "GEODIST MI", some(103.3182))(redisclient.GeoDist(g, "Palermo", "Catania").MI().Do(ctx, c))
		expect(t, "GEODIST missing member", none[float64]())(redisclient.GeoDist(g, "Palermo", "Atlantis").Do(ctx, c))
		expect(t, "GEOPOS", [][]float64{
			{13.36138933897018433, 38.11555639549629859},
			{15.08726745843887329, 37.50266842333162032},
			nil,
		}, approx)(redisclient.GeoPos(g).Members("Palermo", "Catania", "NonExisting").Do(ctx, c))
		expect(t, "GEOHASH", []redisclient.Opt[string]{some("sqc8b49rny0"), some("sqdtr74hyu0")})(redisclient.GeoHash(g).Members("Palermo", "Catania").Do(ctx, c))

		expect(t, "GEOADD edges", int64(2))(redisclient.GeoAdd(g, 12.758489, 38.788135, "edge1").
			LongitudeLatitudeMember(17.241510, 38.788135, "edge2").Do(ctx, c))
		expect(t, "GEOSEARCH FROMLONLAT BYRADIUS ASC", []string{"Catania", "Palermo"})(
			redisclient.GeoSearch(g, redisclient.GeoSearchFromLonLat(15, 37), redisclient.GeoSearchByRadius(200, redisclient.GeoUnitKM)).Asc().Do(ctx, c))
		expect(t, "GEOSEARCH BYRADIUS WITHDIST", []redisclient.GeoLocation{
			{Member: "Catania", Dist: 56.4413}, {Member: "Palermo", Dist: 190.4424},
		}, approx)(redisclient.GeoSearch(g, redisclient.GeoSearchFromLonLat(15, 37), redisclient.GeoSearchByRadius(200, redisclient.GeoUnitKM)).Asc().WithDist().Do(ctx, c))
		expect(t, "GEOSEARCH BYBOX WITHCOORD WITHDIST", []redisclient.GeoLocation{
			{Member: "Catania", Dist: 56.4413, Longitude: 15.08726745843887329, Latitude: 37.50266842333162032},
			{Member: "Palermo", Dist: 190.4424, Longitude: 13.36138933897018433, Latitude: 38.11555639549629859},
			{Member: "edge2", Dist: 279.7403, Longitude: 17.24151045083999634, Latitude: 38.78813451624225195},
			{Member: "edge1", Dist: 279.7405, Longitude: 12.75848776102066040, Latitude: 38.78813451624225195},
		}, approx)(redisclient.GeoSearch(g, redisclient.GeoSearchFromLonLat(15, 37), redisclient.GeoSearchByBox(400, 400, redisclient.GeoUnitKM)).
			Asc().WithCoord().WithDist().Do(ctx, c))
		expect(t, "GEOSEARCH FROMMEMBER COUNT WITHCOORD", []redisclient.GeoLocation{
			{Member: "Palermo", Longitude: 13.36138933897018433, Latitude: 38.11555639549629859},
		}, approx)(redisclient.GeoSearch(g, redisclient.GeoSearchFromMember("Palermo"), redisclient.GeoSearchByRadius(300, redisclient.GeoUnitKM)).
			Asc().Count(1).WithCoord().Do(ctx, c))
		hashed := value[[]redisclient.GeoLocation](t, "GEOSEARCH WITHHASH")(redisclient.GeoSearch(g,
			redisclient.GeoSearchFromMember("Palermo"), redisclient.GeoSearchByRadius(1, redisclient.GeoUnitM)).WithHash().Do(ctx, c))
		if len(hashed) != 1 || hashed[0].Member != "Palermo" || hashed[0].Hash != 3479099956230698 {
			t.Errorf("GEOSEARCH WITHHASH: %+v, want Palermo with hash 3479099956230698", hashed)
		}
		expect(t, "GEOSEARCH nothing", []string{})(redisclient.GeoSearch(g, redisclient.GeoSearchFromLonLat(0, 0),
			redisclient.GeoSearchByRadius(1, redisclient.GeoUnitKM)).Do(ctx, c))
	})
}

func TestHyperLogLog(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		h1, h2, dst := key(t, "h1"), key(t, "h2"), key(t, "dst")
		expect(t, "PFADD", true)(redisclient.PFAdd(h1).Elements("a", "b", "c", "d", "e", "f", "g").Do(ctx, c))
		expect(t, "PFADD existing", false)(redisclient.PFAdd(h1).Elements("a", "b").Do(ctx, c))
		expect(t, "PFADD no elements on an existing key", false)(redisclient.PFAdd(h1).Do(ctx, c))
		expect(t, "PFCOUNT", int64(7))(redisclient.PFCount(h1).Do(ctx, c))
		expect(t, "PFADD", true)(redisclient.PFAdd(h2).Elements("f", "g", "h", "i").Do(ctx, c))
		expect(t, "PFCOUNT union", int64(9))(redisclient.PFCount(h1, h2).Do(ctx, c))
		ok(t, "PFMERGE")(redisclient.PFMerge(dst).SourceKeys(h1, h2).Do(ctx, c))
		expect(t, "PFCOUNT merged", int64(9))(redisclient.PFCount(dst).Do(ctx, c))
		expect(t, "PFCOUNT missing", int64(0))(redisclient.PFCount(key(t, "missing")).Do(ctx, c))
		ok(t, "SET")(redisclient.Set(key(t, "str"), "not a hll").Do(ctx, c))
		serverError[int64](t, "PFCOUNT on a string", "WRONGTYPE")(redisclient.PFCount(key(t, "str")).Do(ctx, c))
	})
}

func TestScripting(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		k := key(t, "k")
		bulk := func(s string) redisclient.Value { return redisclient.Value{Kind: resp.KindBulkString, Str: s} }
		integer := func(n int64) redisclient.Value { return redisclient.Value{Kind: resp.KindInteger, Int: n} }

		expect(t, "EVAL SET", redisclient.Value{Kind: resp.KindSimpleString, Str: "OK"})(
			redisclient.Eval("return redis.call('SET', KEYS[1], ARGV[1])").Keys(k).Args("v").Do(ctx, c))
		expect(t, "EVAL GET", bulk("v"))(redisclient.Eval("return redis.call('GET', KEYS[1])").Keys(k).Do(ctx, c))
		expect(t, "EVAL nested table", redisclient.Value{Kind: resp.KindArray, Elems: []redisclient.Value{
			integer(1), integer(2), {Kind: resp.KindArray, Elems: []redisclient.Value{integer(3), bulk("x")}},
		}})(redisclient.Eval("return {1, 2, {3, 'x'}}").Do(ctx, c))
		expect(t, "EVAL number truncated to integer", integer(3))(redisclient.Eval("return 3.99").Do(ctx, c))
		expect(t, "EVAL nil", redisclient.Value{Kind: resp.KindNull})(redisclient.Eval("return redis.call('GET', KEYS[1])").Keys(key(t, "missing")).Do(ctx, c))
		expect(t, "EVAL ARGV count", integer(3))(redisclient.Eval("return #ARGV").Args("a", "b", "c").Do(ctx, c))

		// A RESP3 reply from a script: a double on RESP3, text on RESP2.
		want := bulk("3.5")
		if isRESP3(t) {
			want = redisclient.Value{Kind: resp.KindDouble, Str: "3.5", Float: 3.5}
		}
		expect(t, "EVAL redis.setresp(3) double", want)(redisclient.Eval("redis.setresp(3); return {double=3.5}").Do(ctx, c))

		// Errors from scripts.
		serverError[redisclient.Value](t, "EVAL error_reply", "MYERR")(redisclient.Eval("return redis.error_reply('MYERR boom')").Do(ctx, c))
		serverError[redisclient.Value](t, "EVAL WRONGTYPE inside", "WRONGTYPE")(redisclient.Eval("return redis.call('LPUSH', KEYS[1], 'x')").Keys(k).Do(ctx, c))
		serverError[redisclient.Value](t, "EVAL syntax error", "ERR")(redisclient.Eval("return (").Do(ctx, c))

		// SCRIPT LOAD, EVALSHA, SCRIPT EXISTS, EVAL_RO.
		script := "return redis.call('INCRBY', KEYS[1], ARGV[1])"
		sum := sha1.Sum([]byte(script))
		sha := hex.EncodeToString(sum[:])
		expect(t, "SCRIPT LOAD", sha)(redisclient.ScriptLoad(script).Do(ctx, c))
		n := key(t, "n")
		expect(t, "EVALSHA", integer(5))(redisclient.EvalSHA(sha).Keys(n).Args("5").Do(ctx, c))
		expect(t, "EVALSHA again", integer(12))(redisclient.EvalSHA(sha).Keys(n).Args("7").Do(ctx, c))
		expect(t, "SCRIPT EXISTS", []bool{true, false})(redisclient.ScriptExists(sha, strings.Repeat("0", 40)).Do(ctx, c))
		serverError[redisclient.Value](t, "EVALSHA unknown", "NOSCRIPT")(redisclient.EvalSHA(strings.Repeat("0", 40)).Do(ctx, c))
		expect(t, "EVAL_RO", bulk("12"))(redisclient.EvalRO("return redis.call('GET', KEYS[1])").Keys(n).Do(ctx, c))
		serverError[redisclient.Value](t, "EVAL_RO writing", "ERR")(redisclient.EvalRO("return redis.call('SET', KEYS[1], 'x')").Keys(n).Do(ctx, c))
	})
}

func bulkV(s string) redisclient.Value { return redisclient.Value{Kind: resp.KindBulkString, Str: s} }
func rkArray() resp.Kind               { return resp.KindArray }
