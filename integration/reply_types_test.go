package integration

// Reply types the published spec got wrong or less useful than they should
// be, checked on the real servers: nulls the spec forgot (LMOVE on a
// missing list, GEOHASH of a missing member), numbers as numbers
// (INCRBYFLOAT, HINCRBYFLOAT, GEODIST) and replies that are never null
// (TYPE).

import (
	"testing"

	"github.com/redkit-go/redkit/redisclient"
)

func TestReplyTypes(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)

		t.Run("LMOVE_missing_source", func(t *testing.T) {
			src, dst := key(t, "{l}src"), key(t, "{l}dst")
			expect(t, "LMOVE from a missing list", none[string]())(redisclient.LMove(src, dst, redisclient.SideLeft, redisclient.SideRight).Do(ctx, c))
			value[int64](t, "RPUSH")(redisclient.RPush(src, "a").Do(ctx, c))
			expect(t, "LMOVE", some("a"))(redisclient.LMove(src, dst, redisclient.SideLeft, redisclient.SideRight).Do(ctx, c))
		})

		t.Run("GEOHASH_missing_member", func(t *testing.T) {
			k := key(t, "geo")
			value[int64](t, "GEOADD")(redisclient.GeoAdd(k, 13.361389, 38.115556, "Palermo").Do(ctx, c))
			got := value[[]redisclient.Opt[string]](t, "GEOHASH")(redisclient.GeoHash(k).Members("Palermo", "nowhere").Do(ctx, c))
			if len(got) != 2 || !got[0].Valid || got[0].Value != "sqc8b49rny0" || got[1].Valid {
				t.Errorf("GEOHASH Palermo nowhere = %+v, want [sqc8b49rny0, null]", got)
			}
		})

		t.Run("GEODIST", func(t *testing.T) {
			k := key(t, "geo")
			value[int64](t, "GEOADD")(redisclient.GeoAdd(k, 13.361389, 38.115556, "Palermo").LongitudeLatitudeMember(15.087269, 37.502669, "Catania").Do(ctx, c))
			d := value[redisclient.Opt[float64]](t, "GEODIST")(redisclient.GeoDist(k, "Palermo", "Catania").KM().Do(ctx, c))
			if !d.Valid || d.Value < 166.27 || d.Value > 166.28 {
				t.Errorf("GEODIST Palermo Catania km = %+v, want 166.27…", d)
			}
			expect(t, "GEODIST to a missing member", none[float64]())(redisclient.GeoDist(k, "Palermo", "nowhere").Do(ctx, c))
		})

		t.Run("INCRBYFLOAT", func(t *testing.T) {
			k := key(t, "f")
			expect(t, "INCRBYFLOAT", 10.5)(redisclient.IncrByFloat(k, 10.5).Do(ctx, c))
			expect(t, "INCRBYFLOAT again", 10.25)(redisclient.IncrByFloat(k, -0.25).Do(ctx, c))
			expect(t, "HINCRBYFLOAT", 2.5)(redisclient.HIncrByFloat(key(t, "h"), "x", 2.5).Do(ctx, c))
		})

		t.Run("TYPE", func(t *testing.T) {
			k := key(t, "t")
			expect(t, "TYPE of a missing key", "none")(redisclient.Type(k).Do(ctx, c))
			value[int64](t, "SADD")(redisclient.SAdd(k, "m").Do(ctx, c))
			expect(t, "TYPE of a set", "set")(redisclient.Type(k).Do(ctx, c))
		})
	})
}
