package integration

// Reply types the published spec got wrong or less useful than they should
// be, checked on the real servers: nulls the spec forgot (LMOVE on a
// missing list, GEOHASH of a missing member), numbers as numbers
// (INCRBYFLOAT, HINCRBYFLOAT, GEODIST) and replies that are never null
// (TYPE), the streams of XREAD in the order asked for, the keys and flags
// of COMMAND GETKEYSANDFLAGS, the times of pending stream entries.

import (
	"testing"
	"time"

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

		t.Run("XREAD_order", func(t *testing.T) {
			// Asked for as b, a, c: the reply keeps that order (a map in
			// RESP3, which a Go map would lose).
			a, b, cc := key(t, "{x}a"), key(t, "{x}b"), key(t, "{x}c")
			for _, k := range []string{a, b, cc} {
				_, err := redisclient.XAdd(k, "*", "f", k).Do(ctx, c)
				must(t, err, "XADD "+k)
			}
			for range 5 {
				got := value[[]redisclient.XStream](t, "XREAD")(redisclient.XRead([]string{b, a, cc}, "0", "0", "0").Do(ctx, c))
				var keys []string
				for _, st := range got {
					keys = append(keys, st.Key)
					if len(st.Messages) != 1 || st.Messages[0].Fields["f"] != st.Key {
						t.Errorf("XREAD %s: %+v", st.Key, st.Messages)
					}
				}
				expect(t, "XREAD stream order", []string{b, a, cc})(keys, nil)
			}
			expect(t, "XREAD BLOCK timeout", []redisclient.XStream(nil))(redisclient.XRead([]string{key(t, "{x}empty")}, "$").Block(10*time.Millisecond).Do(ctx, c))
		})

		t.Run("COMMAND_GETKEYSANDFLAGS", func(t *testing.T) {
			got := value[[]redisclient.KeyFlags](t, "COMMAND GETKEYSANDFLAGS")(
				redisclient.CommandGetKeysAndFlags("LMOVE").Args("src", "dst", "LEFT", "RIGHT").Do(ctx, c))
			if len(got) != 2 || got[0].Key != "src" || got[1].Key != "dst" || len(got[0].Flags) == 0 || len(got[1].Flags) == 0 {
				t.Fatalf("COMMAND GETKEYSANDFLAGS LMOVE src dst: %+v", got)
			}
			has := func(flags []string, f string) bool {
				for _, x := range flags {
					if x == f {
						return true
					}
				}
				return false
			}
			if !has(got[0].Flags, "RW") || !has(got[1].Flags, "RW") {
				t.Errorf("COMMAND GETKEYSANDFLAGS LMOVE: %+v, want both keys RW", got)
			}
		})

		t.Run("stream_pending_times", func(t *testing.T) {
			s := key(t, "s")
			_, err := redisclient.XAdd(s, "*", "f", "v").Do(ctx, c)
			must(t, err, "XADD")
			ok(t, "XGROUP CREATE")(redisclient.XGroupCreate(s, "g", "0").Do(ctx, c))
			before := time.Now().Add(-time.Second)
			value[[]redisclient.XStream](t, "XREADGROUP")(redisclient.XReadGroup("g", "alice", []string{s}, ">").Do(ctx, c))
			time.Sleep(20 * time.Millisecond)
			pending := value[[]redisclient.XPendingEntry](t, "XPENDING extended")(redisclient.XPending(s, "g").Filters("-", "+", 10).Do(ctx, c))
			if len(pending) != 1 || pending[0].Consumer != "alice" || pending[0].Deliveries != 1 || pending[0].Idle < 10*time.Millisecond || pending[0].Idle > time.Minute {
				t.Errorf("XPENDING extended: %+v, want alice's entry idle about 20ms", pending)
			}
			full := value[redisclient.StreamInfoFull](t, "XINFO STREAM FULL")(redisclient.XInfoStream(s).Full().Do(ctx, c))
			if len(full.Groups) != 1 || len(full.Groups[0].Pending) != 1 || len(full.Groups[0].Consumers) != 1 || len(full.Groups[0].Consumers[0].Pending) != 1 {
				t.Fatalf("XINFO STREAM FULL: %+v", full)
			}
			gp, cp := full.Groups[0].Pending[0], full.Groups[0].Consumers[0].Pending[0]
			after := time.Now().Add(time.Second)
			if gp.Consumer != "alice" || gp.Deliveries != 1 || gp.DeliveryTime.Before(before) || gp.DeliveryTime.After(after) {
				t.Errorf("XINFO STREAM FULL group pending: %+v, want alice's delivery at about now", gp)
			}
			if cp.Deliveries != 1 || cp.DeliveryTime.Before(before) || cp.DeliveryTime.After(after) {
				t.Errorf("XINFO STREAM FULL consumer pending: %+v, want a delivery at about now", cp)
			}
		})

		t.Run("XREADGROUP_CLAIM", func(t *testing.T) {
			sharedServer(t).RequireServer(t, "XREADGROUP CLAIM", "8.4.0", "")
			s := key(t, "claim")
			_, err := redisclient.XAdd(s, "1-0", "f", "a").Do(ctx, c)
			must(t, err, "XADD")
			ok(t, "XGROUP CREATE")(redisclient.XGroupCreate(s, "g", "0").Do(ctx, c))
			value[[]redisclient.XStream](t, "XREADGROUP alice")(redisclient.XReadGroup("g", "alice", []string{s}, ">").Do(ctx, c))
			_, err = redisclient.XAdd(s, "2-0", "f", "b").Do(ctx, c)
			must(t, err, "XADD")
			time.Sleep(30 * time.Millisecond)
			// bob claims alice's entry idle over 20ms and reads the new one.
			got := value[[]redisclient.XClaimStream](t, "XREADGROUP CLAIM")(
				redisclient.XReadGroup("g", "bob", []string{s}, ">").Claim(20*time.Millisecond).Do(ctx, c))
			if len(got) != 1 || got[0].Key != s || len(got[0].Messages) != 2 {
				t.Fatalf("XREADGROUP CLAIM: %+v, want alice's entry and the new one", got)
			}
			byID := map[string]redisclient.XClaimMessage{}
			for _, m := range got[0].Messages {
				byID[m.ID] = m
			}
			if m := byID["1-0"]; m.Fields["f"] != "a" || m.Deliveries < 1 || m.Idle < 20*time.Millisecond || m.Idle > time.Minute {
				t.Errorf("claimed entry: %+v, want f=a, delivered before, idle over 20ms", m)
			}
			if m := byID["2-0"]; m.Fields["f"] != "b" || m.Deliveries != 0 {
				t.Errorf("new entry: %+v, want f=b never delivered before", m)
			}
			// The same through With, Claim chosen at run time or not.
			for _, claim := range []bool{false, true} {
				o := redisclient.XReadGroupOptions{}
				if claim {
					time.Sleep(10 * time.Millisecond) // bob's entries idle past 1ms
					o.Claim = redisclient.Some(time.Millisecond)
				}
				v := value[[]redisclient.XClaimStream](t, "XREADGROUP With")(redisclient.XReadGroup("g", "carol", []string{s}, ">").With(o).Do(ctx, c))
				if claim && (len(v) != 1 || len(v[0].Messages) == 0 || v[0].Messages[0].Deliveries < 1) {
					t.Errorf("XREADGROUP With Claim: %+v, want claimed entries", v)
				}
				if !claim && v != nil {
					t.Errorf("XREADGROUP With no Claim: %+v, want nothing new", v)
				}
			}
		})

		// Nulls inside replies whose types are aggregates: a nil slice or
		// map, told apart from a present value by its length.
		t.Run("nulls_inside_aggregates", func(t *testing.T) {
			k := key(t, "geo")
			value[int64](t, "GEOADD")(redisclient.GeoAdd(k, 13.361389, 38.115556, "Palermo").Do(ctx, c))
			pos := value[[][]float64](t, "GEOPOS")(redisclient.GeoPos(k).Members("Palermo", "nowhere").Do(ctx, c))
			if len(pos) != 2 || len(pos[0]) != 2 || pos[1] != nil {
				t.Errorf("GEOPOS Palermo nowhere = %v, want a position and nil", pos)
			}
			// A pending entry deleted from the stream: XREADGROUP's
			// history gives its ID with null fields.
			s := key(t, "s")
			_, err := redisclient.XAdd(s, "1-1", "f", "v").Do(ctx, c)
			must(t, err, "XADD")
			ok(t, "XGROUP CREATE")(redisclient.XGroupCreate(s, "g", "0").Do(ctx, c))
			value[[]redisclient.XStream](t, "XREADGROUP")(redisclient.XReadGroup("g", "alice", []string{s}, ">").Do(ctx, c))
			expect(t, "XDEL", int64(1))(redisclient.XDel(s, "1-1").Do(ctx, c))
			expect(t, "XREADGROUP history of a deleted entry", []redisclient.XStream{{Key: s, Messages: []redisclient.XMessage{{ID: "1-1"}}}})(
				redisclient.XReadGroup("g", "alice", []string{s}, "0").Do(ctx, c))
		})

		t.Run("TYPE", func(t *testing.T) {
			k := key(t, "t")
			expect(t, "TYPE of a missing key", "none")(redisclient.Type(k).Do(ctx, c))
			value[int64](t, "SADD")(redisclient.SAdd(k, "m").Do(ctx, c))
			expect(t, "TYPE of a set", "set")(redisclient.Type(k).Do(ctx, c))
		})
	})
}
