package integration

// The run-time options forms (<Command>Options taken by With) against a
// real server: options chosen from values, not from a chain per
// combination, with the replies that cover every choice.

import (
	"errors"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/redkit-go/redkit/redisclient"
)

// SET with a condition and an expiration from configuration: every
// combination of NX/XX and TTL/no TTL through one code path, the reply a
// bool in all of them.
func TestRuntimeOptionsSet(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		type config struct {
			onlyIfExists bool
			ttl          time.Duration
		}
		for _, cfg := range []config{{false, 0}, {false, time.Minute}, {true, 0}, {true, 1500 * time.Millisecond}} {
			k := key(t, fmt.Sprintf("set-%v-%v", cfg.onlyIfExists, cfg.ttl))
			var o redisclient.SetOptions
			if cfg.onlyIfExists {
				o.Condition = redisclient.SetConditionXX()
			} else {
				o.Condition = redisclient.SetConditionNX()
			}
			if cfg.ttl > 0 {
				o.Expiration = redisclient.SetExpirationEX(cfg.ttl)
			}
			// First write: NX sets a missing key, XX does not.
			set, err := redisclient.Set(k, "v1").With(o).Do(ctx, c)
			must(t, err, "SET")
			if set != !cfg.onlyIfExists {
				t.Errorf("%+v: first SET = %v, want %v", cfg, set, !cfg.onlyIfExists)
			}
			must(t, redisclient.Set(k, "v0").Do(ctx, c), "plain SET")
			// Second write on an existing key: XX sets it, NX does not.
			set, err = redisclient.Set(k, "v2").With(o).Do(ctx, c)
			must(t, err, "SET")
			if set != cfg.onlyIfExists {
				t.Errorf("%+v: second SET = %v, want %v", cfg, set, cfg.onlyIfExists)
			}
			ttl, err := redisclient.PTTL(k).Do(ctx, c)
			must(t, err, "PTTL")
			switch {
			case cfg.ttl > 0 && cfg.onlyIfExists:
				if !ttl.HasExpiry() || ttl.Duration > cfg.ttl || ttl.Duration < cfg.ttl-time.Second {
					t.Errorf("%+v: PTTL = %+v, want about %v", cfg, ttl, cfg.ttl)
				}
			default:
				// No TTL asked, or the NX write that carried it did not
				// happen after the plain SET cleared it.
				if ttl.HasExpiry() {
					t.Errorf("%+v: PTTL = %+v, want no expiry", cfg, ttl)
				}
			}
		}
		// The zero options are the plain SET, whose OK is true.
		set, err := redisclient.Set(key(t, "zero"), "v").With(redisclient.SetOptions{}).Do(ctx, c)
		if err != nil || !set {
			t.Errorf("SET with zero options = %v, %v; want true", set, err)
		}
	})
}

// Version-gated alternatives are skipped with their reason on older
// servers.
func TestRuntimeOptionsSetIfEq(t *testing.T) {
	srv := sharedServer(t)
	srv.RequireServer(t, "SET IFEQ through SetOptions", "8.4.0", "8.1.0")
	c := NewClient(t, srv.Options(3))
	ctx := testCtx(t)
	k := key(t, "ifeq")
	must(t, redisclient.Set(k, "a").Do(ctx, c), "SET")
	set, err := redisclient.Set(k, "b").With(redisclient.SetOptions{Condition: redisclient.SetConditionIfEq("x")}).Do(ctx, c)
	must(t, err, "SET IFEQ")
	if set {
		t.Errorf("SET IFEQ with a different value set the key")
	}
}

// ZADD with GT/LT and CH from values.
func TestRuntimeOptionsZAdd(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		k := key(t, "board")
		_, err := redisclient.ZAdd(k, 10, "ann").Do(ctx, c)
		must(t, err, "ZADD")
		for _, tc := range []struct {
			cmp     redisclient.Comparison
			ch      bool
			score   float64
			want    int64
			wantNow float64
		}{
			{redisclient.ComparisonGT, true, 5, 0, 10},   // lower: not updated
			{redisclient.ComparisonGT, true, 20, 1, 20},  // higher: changed, counted by CH
			{redisclient.ComparisonLT, false, 15, 0, 15}, // lower: updated, not counted without CH
			{"", true, 15, 0, 15},                        // same score: nothing changes
		} {
			o := redisclient.ZAddOptions{Comparison: tc.cmp, CH: tc.ch}
			n, err := redisclient.ZAdd(k, tc.score, "ann").With(o).Do(ctx, c)
			must(t, err, "ZADD with options")
			score, err := redisclient.ZScore(k, "ann").Do(ctx, c)
			must(t, err, "ZSCORE")
			if n != tc.want || score.Value != tc.wantNow {
				t.Errorf("%+v: ZADD = %d, score %v; want %d, %v", o, n, score.Value, tc.want, tc.wantNow)
			}
		}
	})
}

// GETEX with an expiration chosen at run time, and EXPIRE with a
// condition.
func TestRuntimeOptionsExpiry(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		k := key(t, "k")
		must(t, redisclient.Set(k, "v").Do(ctx, c), "SET")
		for _, e := range []redisclient.GetEXExpiration{redisclient.GetEXExpirationPX(90 * time.Second), redisclient.GetEXExpirationPersist(), {}} {
			v, err := redisclient.GetEX(k).With(redisclient.GetEXOptions{Expiration: e}).Do(ctx, c)
			must(t, err, "GETEX")
			if v.Value != "v" {
				t.Errorf("GETEX = %+v", v)
			}
		}
		ttl, err := redisclient.PTTL(k).Do(ctx, c)
		must(t, err, "PTTL")
		if ttl.HasExpiry() {
			t.Errorf("after PERSIST: PTTL = %+v", ttl)
		}
		for _, tc := range []struct {
			cond redisclient.ExpireCondition
			d    time.Duration
			want bool
		}{
			{redisclient.ExpireConditionXX, time.Minute, false}, // no expiry yet
			{redisclient.ExpireConditionNX, time.Minute, true},
			{redisclient.ExpireConditionGT, 30 * time.Second, false},
			{redisclient.ExpireConditionLT, 30 * time.Second, true},
		} {
			ok, err := redisclient.Expire(k, tc.d).With(redisclient.ExpireOptions{Condition: tc.cond}).Do(ctx, c)
			must(t, err, "EXPIRE")
			if ok != tc.want {
				t.Errorf("EXPIRE %v %s = %v, want %v", tc.d, tc.cond, ok, tc.want)
			}
		}
	})
}

// XADD with trimming from configuration.
func TestRuntimeOptionsXAddTrim(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		s := key(t, "s")
		o := redisclient.XAddOptions{Trim: redisclient.Some(redisclient.XAddTrim{Strategy: redisclient.TrimStrategyMaxLen, Operator: redisclient.TrimOperatorExact, Threshold: "3"})}
		for i := range 5 {
			id, err := redisclient.XAdd(s, "*", "n", i).With(o).Do(ctx, c)
			must(t, err, "XADD")
			if !id.Valid {
				t.Errorf("XADD returned no ID")
			}
		}
		n, err := redisclient.XLen(s).Do(ctx, c)
		must(t, err, "XLEN")
		if n != 3 {
			t.Errorf("XLEN after MAXLEN = 3: %d", n)
		}
		// NOMKSTREAM from a value: the reply covers the nil.
		id, err := redisclient.XAdd(key(t, "none"), "*", "n", 1).With(redisclient.XAddOptions{NoMkStream: true}).Do(ctx, c)
		must(t, err, "XADD NOMKSTREAM")
		if id.Valid {
			t.Errorf("XADD NOMKSTREAM on a missing stream = %+v", id)
		}
	})
}

// SCAN with Match, Count and Type from values.
func TestRuntimeOptionsScan(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		prefix := key(t, "")
		must(t, redisclient.Set(prefix+"str", "v").Do(ctx, c), "SET")
		_, err := redisclient.RPush(prefix+"list", "x").Do(ctx, c)
		must(t, err, "RPUSH")
		o := redisclient.ScanCommandOptions{Match: redisclient.Some(escapeGlob(prefix) + "*"), Count: redisclient.Some(int64(1000)), Type: redisclient.Some("list")}
		var got []string
		cursor := "0"
		for {
			page, err := redisclient.Scan(cursor).With(o).Do(ctx, c)
			must(t, err, "SCAN")
			got = append(got, page.Keys...)
			if cursor = page.Cursor; cursor == "0" {
				break
			}
		}
		sort.Strings(got)
		if len(got) != 1 || got[0] != prefix+"list" {
			t.Errorf("SCAN MATCH %q TYPE list = %q", prefix+"*", got)
		}
	})
}

// ZRANGE with WITHSCORES from a value: one []ZMember either way, the
// scores when asked for, else Score 0. Members that read as numbers keep
// RESP2's flat reply of members apart from one of member-score pairs: the
// decoder follows the options, not the reply.
func TestRuntimeOptionsZRangeWithScores(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		k := key(t, "z")
		for i, m := range []string{"1", "2", "3", "4"} {
			_, err := redisclient.ZAdd(k, float64(10*(i+1)), m).Do(ctx, c)
			must(t, err, "ZADD")
		}
		for _, withScores := range []bool{false, true} {
			got, err := redisclient.ZRange(k, "0", "-1").With(redisclient.ZRangeOptions{WithScores: withScores}).Do(ctx, c)
			must(t, err, "ZRANGE")
			want := []redisclient.ZMember{{Member: "1"}, {Member: "2"}, {Member: "3"}, {Member: "4"}}
			if withScores {
				for i := range want {
					want[i].Score = float64(10 * (i + 1))
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ZRANGE WithScores=%v: (-want +got)\n%s", withScores, diff)
			}
		}
		// With the other options: BYSCORE REV LIMIT and WITHSCORES.
		got, err := redisclient.ZRange(k, "+inf", "-inf").With(redisclient.ZRangeOptions{
			SortBy: redisclient.ZRangeSortByScore, Rev: true,
			Limit: redisclient.Some(redisclient.ZRangeLimit{Offset: 1, Count: 2}), WithScores: true,
		}).Do(ctx, c)
		must(t, err, "ZRANGE BYSCORE REV LIMIT WITHSCORES")
		if want := []redisclient.ZMember{{Member: "3", Score: 30}, {Member: "2", Score: 20}}; !cmp.Equal(want, got) {
			t.Errorf("ZRANGE BYSCORE REV LIMIT 1 2 WITHSCORES = %+v, want %+v", got, want)
		}
	})
}

// GEOSEARCH with WITHDIST from a value: one []GeoLocation either way, the
// distance when asked for, else only the names.
func TestRuntimeOptionsGeoSearchWithDist(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		g := key(t, "Sicily")
		_, err := redisclient.GeoAdd(g, 13.361389, 38.115556, "Palermo").
			LongitudeLatitudeMember(15.087269, 37.502669, "Catania").Do(ctx, c)
		must(t, err, "GEOADD")
		approx := cmpopts.EquateApprox(0, 1e-4)
		for _, withDist := range []bool{false, true} {
			got, err := redisclient.GeoSearch(g, redisclient.GeoSearchFromMember("Palermo"), redisclient.GeoSearchByRadius(200, redisclient.GeoUnitKM)).
				With(redisclient.GeoSearchOptions{Order: redisclient.SortOrderAsc, WithDist: withDist}).Do(ctx, c)
			must(t, err, "GEOSEARCH")
			want := []redisclient.GeoLocation{{Member: "Palermo"}, {Member: "Catania"}}
			if withDist {
				want[1].Dist = 166.2742
			}
			if diff := cmp.Diff(want, got, approx); diff != "" {
				t.Errorf("GEOSEARCH WithDist=%v: (-want +got)\n%s", withDist, diff)
			}
		}
		// All three: the coordinates and the hash too.
		got, err := redisclient.GeoSearch(g, redisclient.GeoSearchFromMember("Palermo"), redisclient.GeoSearchByRadius(10, redisclient.GeoUnitKM)).
			With(redisclient.GeoSearchOptions{WithDist: true, WithHash: true, WithCoord: true}).Do(ctx, c)
		must(t, err, "GEOSEARCH WITHCOORD WITHDIST WITHHASH")
		want := []redisclient.GeoLocation{{Member: "Palermo", Hash: 3479099956230698, Longitude: 13.361389, Latitude: 38.115556}}
		if diff := cmp.Diff(want, got, approx); diff != "" {
			t.Errorf("GEOSEARCH WITHCOORD WITHDIST WITHHASH: (-want +got)\n%s", diff)
		}
	})
}

// XCLAIM and XAUTOCLAIM with JUSTID from a value: the entries' type
// either way, holding only their IDs with JustID.
func TestRuntimeOptionsXClaimJustID(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		s := key(t, "s")
		for _, id := range []string{"1-0", "2-0"} {
			_, err := redisclient.XAdd(s, id, "f", "v").Do(ctx, c)
			must(t, err, "XADD")
		}
		must(t, redisclient.XGroupCreate(s, "g", "0").Do(ctx, c), "XGROUP CREATE")
		_, err := redisclient.XReadGroup("g", "alice", []string{s}, ">").Do(ctx, c)
		must(t, err, "XREADGROUP")
		for _, tc := range []struct {
			justID bool
			id     string
			want   []redisclient.XMessage
		}{
			{false, "1-0", []redisclient.XMessage{{ID: "1-0", Fields: map[string]string{"f": "v"}}}},
			{true, "2-0", []redisclient.XMessage{{ID: "2-0"}}},
		} {
			got, err := redisclient.XClaim(s, "g", "bob", 0, tc.id).With(redisclient.XClaimOptions{JustID: tc.justID}).Do(ctx, c)
			must(t, err, "XCLAIM")
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("XCLAIM JustID=%v: (-want +got)\n%s", tc.justID, diff)
			}
		}
		for _, justID := range []bool{true, false} {
			got, err := redisclient.XAutoClaim(s, "g", "carol", 0, "0-0").With(redisclient.XAutoClaimOptions{JustID: justID}).Do(ctx, c)
			must(t, err, "XAUTOCLAIM")
			want := redisclient.XAutoClaimReply{Next: "0-0", Messages: []redisclient.XMessage{{ID: "1-0"}, {ID: "2-0"}}}
			if !justID {
				for i := range want.Messages {
					want.Messages[i].Fields = map[string]string{"f": "v"}
				}
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("XAUTOCLAIM JustID=%v: (-want +got)\n%s", justID, diff)
			}
		}
	})
}

// escapeGlob escapes the glob characters of a literal key prefix.
func escapeGlob(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?', '[', ']', '\\':
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return string(b)
}

// Invalid values fail before anything is sent: a BuildError wrapping an
// OptionError that names the field.
func TestRuntimeOptionsBuildError(t *testing.T) {
	srv := sharedServer(t)
	c := NewClient(t, srv.Options(3))
	ctx := testCtx(t)
	k := key(t, "z")
	for _, tc := range []struct {
		run   func() error
		field string
	}{
		{func() error {
			_, err := redisclient.ZAdd(k, 1, "m").With(redisclient.ZAddOptions{Condition: "NEVER"}).Do(ctx, c)
			return err
		}, "ZAddOptions.Condition"},
		{func() error {
			_, err := redisclient.ZAdd(k, 1, "m").With(redisclient.ZAddOptions{Condition: redisclient.ExistConditionNX, Comparison: redisclient.ComparisonGT}).Do(ctx, c)
			return err
		}, "ZAddOptions.Condition and ZAddOptions.Comparison"},
		{func() error {
			_, err := redisclient.XAdd(k, "*", "f", "v").With(redisclient.XAddOptions{Trim: redisclient.Some(redisclient.XAddTrim{Strategy: redisclient.TrimStrategyMaxLen})}).Do(ctx, c)
			return err
		}, "XAddOptions.Trim.Threshold"},
	} {
		err := tc.run()
		var be *redisclient.BuildError
		var oe *redisclient.OptionError
		if !errors.As(err, &be) || !errors.As(err, &oe) || oe.Field != tc.field {
			t.Errorf("got %v, want a BuildError for %s", err, tc.field)
		}
	}
	n, err := redisclient.Exists(k).Do(ctx, c)
	must(t, err, "EXISTS")
	if n != 0 {
		t.Errorf("a refused command reached the server: %s exists", k)
	}
}
