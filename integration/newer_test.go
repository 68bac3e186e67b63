package integration

// Commands and options newer than Redis 7.0: each subtest runs when the
// server is new enough and otherwise skips, saying what it skipped, which
// version it needs and which version the server is.

import (
	"regexp"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

func TestNewerCommands(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		srv := sharedServer(t)

		t.Run("ZRANK_WITHSCORE", func(t *testing.T) {
			srv.RequireVersion(t, "7.2.0", "ZRANK/ZREVRANK WITHSCORE")
			ctx := testCtx(t)
			z := key(t, "z")
			value[int64](t, "ZADD")(redisclient.ZAdd(z, 1, "one").ScoreMember(2.5, "two").ScoreMember(3, "three").Do(ctx, c))
			expect(t, "ZRANK WITHSCORE", &redisclient.RankScore{Rank: 1, Score: 2.5})(redisclient.ZRank(z, "two").WithScore().Do(ctx, c))
			expect(t, "ZREVRANK WITHSCORE", &redisclient.RankScore{Rank: 0, Score: 3})(redisclient.ZRevRank(z, "three").WithScore().Do(ctx, c))
			expect(t, "ZRANK WITHSCORE missing member", (*redisclient.RankScore)(nil))(redisclient.ZRank(z, "nope").WithScore().Do(ctx, c))
		})

		t.Run("CLIENT_NO-TOUCH", func(t *testing.T) {
			srv.RequireVersion(t, "7.2.0", "CLIENT NO-TOUCH")
			ctx := testCtx(t)
			conn, err := c.DedicatedConn(ctx, -1)
			must(t, err, "DedicatedConn")
			defer conn.Release()
			ok(t, "CLIENT NO-TOUCH ON")(redisclient.ClientNoTouch(redisclient.OnOffOn).Do(ctx, conn))
			ci := value[redisclient.ConnectedClient](t, "CLIENT INFO")(redisclient.ClientInfo().Do(ctx, conn))
			if !regexp.MustCompile(`T`).MatchString(ci.Flags) {
				t.Errorf("CLIENT INFO flags %q lack T (no-touch)", ci.Flags)
			}
			ok(t, "CLIENT NO-TOUCH OFF")(redisclient.ClientNoTouch(redisclient.OnOffOff).Do(ctx, conn))
		})

		t.Run("WAITAOF", func(t *testing.T) {
			srv.RequireVersion(t, "7.2.0", "WAITAOF")
			ctx := testCtx(t)
			expect(t, "WAITAOF 0 0 0", redisclient.WaitAOFReply{})(redisclient.WaitAOF(0, 0, 0).Do(ctx, c))
			serverError[redisclient.WaitAOFReply](t, "WAITAOF 1 without appendonly", "ERR")(redisclient.WaitAOF(1, 0, 0).Do(ctx, c))
		})

		t.Run("hash_field_expiration", func(t *testing.T) {
			srv.RequireServer(t, "HEXPIRE/HPEXPIRE/HTTL/HPTTL/HEXPIRETIME/HPERSIST", "7.4.0", "9.0.0")
			ctx := testCtx(t)
			h := key(t, "h")
			value[int64](t, "HSET")(redisclient.HSet(h, "f1", "v1").FieldValue("f2", "v2").FieldValue("f3", "v3").Do(ctx, c))
			expect(t, "HEXPIRE", []redisclient.HExpireResult{redisclient.HExpireSet, redisclient.HExpireSet, redisclient.HExpireNoField})(
				redisclient.HExpire(h, 100*time.Second, "f1", "f2", "nope").Do(ctx, c))
			expect(t, "HEXPIRE NX on expiring field", []redisclient.HExpireResult{redisclient.HExpireNotSet})(
				redisclient.HExpire(h, 10*time.Second, "f1").NX().Do(ctx, c))
			ttls := value[[]redisclient.TimeToLive](t, "HTTL")(redisclient.HTTL(h, "f1", "f3", "nope").Do(ctx, c))
			if len(ttls) != 3 || !ttls[0].HasExpiry() || ttls[0].Duration < 90*time.Second || ttls[0].Duration > 100*time.Second ||
				ttls[1].State != redisclient.ExpiryNone || ttls[2].State != redisclient.ExpiryNoKey {
				t.Errorf("HTTL: %v, want [~100s, no expiry, no key]", ttls)
			}
			expect(t, "HPEXPIRE", []redisclient.HExpireResult{redisclient.HExpireSet})(redisclient.HPExpire(h, 50*time.Second, "f3").Do(ctx, c))
			pttls := value[[]redisclient.TimeToLive](t, "HPTTL")(redisclient.HPTTL(h, "f3").Do(ctx, c))
			if len(pttls) != 1 || !pttls[0].HasExpiry() || pttls[0].Duration < 40*time.Second || pttls[0].Duration > 50*time.Second {
				t.Errorf("HPTTL: %v, want [~50s]", pttls)
			}
			at := value[[]redisclient.ExpiryTime](t, "HEXPIRETIME")(redisclient.HExpireTime(h, "f1", "nope").Do(ctx, c))
			if len(at) != 2 || !at[0].HasExpiry() || at[0].Time.Before(time.Now().Add(80*time.Second)) || at[0].Time.After(time.Now().Add(110*time.Second)) ||
				at[1].State != redisclient.ExpiryNoKey {
				t.Errorf("HEXPIRETIME: %v", at)
			}
			pat := value[[]redisclient.ExpiryTime](t, "HPEXPIRETIME")(redisclient.HPExpireTime(h, "f3").Do(ctx, c))
			if len(pat) != 1 || !pat[0].HasExpiry() || pat[0].Time.Before(time.Now().Add(40*time.Second)) || pat[0].Time.After(time.Now().Add(51*time.Second)) {
				t.Errorf("HPEXPIRETIME: %v", pat)
			}
			expect(t, "HPERSIST", []redisclient.HPersistResult{redisclient.HPersistRemoved, redisclient.HPersistNoField})(
				redisclient.HPersist(h, "f1", "nope").Do(ctx, c))
			expect(t, "HPERSIST again", []redisclient.HPersistResult{redisclient.HPersistNoExpiry})(redisclient.HPersist(h, "f1").Do(ctx, c))
			expect(t, "HTTL after HPERSIST", []redisclient.TimeToLive{{State: redisclient.ExpiryNone}})(redisclient.HTTL(h, "f1").Do(ctx, c))
			// A duration that is not whole seconds: HEXPIRE rounds it up.
			expect(t, "HEXPIRE 1500ms", []redisclient.HExpireResult{redisclient.HExpireSet})(redisclient.HExpire(h, 1500*time.Millisecond, "f1").Do(ctx, c))
			if p := value[[]redisclient.TimeToLive](t, "HPTTL")(redisclient.HPTTL(h, "f1").Do(ctx, c)); len(p) != 1 || p[0].Duration <= 1500*time.Millisecond || p[0].Duration > 2*time.Second {
				t.Errorf("HPTTL after HEXPIRE 1500ms: %v, want in (1.5s, 2s]", p)
			}
			expect(t, "HPEXPIRE 0 deletes", []redisclient.HExpireResult{redisclient.HExpireDeleted})(redisclient.HPExpire(h, 0, "f2").Do(ctx, c))
			expect(t, "HGETALL", map[string]string{"f1": "v1", "f3": "v3"})(redisclient.HGetAll(h).Do(ctx, c))
			missing := key(t, "missing")
			expect(t, "HTTL missing key", []redisclient.TimeToLive{{State: redisclient.ExpiryNoKey}})(redisclient.HTTL(missing, "f").Do(ctx, c))
		})

		t.Run("HSCAN_NOVALUES", func(t *testing.T) {
			srv.RequireServer(t, "HSCAN NOVALUES", "7.4.0", "8.0.0")
			ctx := testCtx(t)
			h := key(t, "h")
			value[int64](t, "HSET")(redisclient.HSet(h, "a", "1").FieldValue("b", "2").Do(ctx, c))
			page := value[redisclient.ScanPage](t, "HSCAN NOVALUES")(redisclient.HScan(h, "0").NoValues().Do(ctx, c))
			expect(t, "HSCAN NOVALUES fields", []string{"a", "b"}, sorted)(page.Keys, nil)
		})

		t.Run("HGETDEL_HGETEX_HSETEX", func(t *testing.T) {
			srv.RequireServer(t, "HGETDEL/HGETEX/HSETEX", "8.0.0", "9.1.0")
			ctx := testCtx(t)
			h := key(t, "h")
			value[int64](t, "HSET")(redisclient.HSet(h, "f1", "v1").FieldValue("f2", "v2").Do(ctx, c))
			expect(t, "HGETDEL", []redisclient.Opt[string]{some("v1"), none[string]()})(redisclient.HGetDel(h, "f1", "nope").Do(ctx, c))
			expect(t, "HGETEX EX", []redisclient.Opt[string]{some("v2")})(redisclient.HGetEX(h, "f2").EX(100*time.Second).Do(ctx, c))
			ttls := value[[]redisclient.TimeToLive](t, "HTTL")(redisclient.HTTL(h, "f2").Do(ctx, c))
			if len(ttls) != 1 || !ttls[0].HasExpiry() || ttls[0].Duration < 90*time.Second || ttls[0].Duration > 100*time.Second {
				t.Errorf("HTTL after HGETEX EX 100: %v", ttls)
			}
			// Not whole seconds: PX.
			expect(t, "HGETEX EX 1500ms", []redisclient.Opt[string]{some("v2")})(redisclient.HGetEX(h, "f2").EX(1500*time.Millisecond).Do(ctx, c))
			if p := value[[]redisclient.TimeToLive](t, "HPTTL")(redisclient.HPTTL(h, "f2").Do(ctx, c)); len(p) != 1 || p[0].Duration <= time.Second || p[0].Duration > 1500*time.Millisecond {
				t.Errorf("HPTTL after HGETEX EX 1500ms: %v, want in (1s, 1.5s]", p)
			}
			expect(t, "HSETEX FNX EX", true)(redisclient.HSetEX(h, "f9", "v9").FNX().EX(100*time.Second).Do(ctx, c))
			expect(t, "HSETEX FNX existing", false)(redisclient.HSetEX(h, "f9", "x").FNX().Do(ctx, c))
			expect(t, "HSETEX FXX KEEPTTL", true)(redisclient.HSetEX(h, "f9", "v9b").FXX().KeepTTL().Do(ctx, c))
			expect(t, "HGET", some("v9b"))(redisclient.HGet(h, "f9").Do(ctx, c))
		})

		t.Run("BITOP_DIFF_ANDOR_ONE", func(t *testing.T) {
			srv.RequireVersion(t, "8.2.0", "BITOP DIFF/DIFF1/ANDOR/ONE")
			ctx := testCtx(t)
			x, y, dst := key(t, "x"), key(t, "y"), key(t, "dst")
			ok(t, "SET")(redisclient.Set(x, "\xff").Do(ctx, c))
			ok(t, "SET")(redisclient.Set(y, "\x0f").Do(ctx, c))
			for _, tc := range []struct {
				op   redisclient.BitOperation
				want string
			}{
				{redisclient.BitOperationDiff, "\xf0"},
				{redisclient.BitOperationDiff1, "\x00"},
				{redisclient.BitOperationAndOr, "\x0f"},
				{redisclient.BitOperationOne, "\xf0"},
			} {
				expect(t, "BITOP "+string(tc.op), int64(1))(redisclient.BitOp(tc.op, dst, x, y).Do(ctx, c))
				expect(t, "result of BITOP "+string(tc.op), some(tc.want))(redisclient.Get(dst).Do(ctx, c))
			}
		})

		t.Run("XACKDEL_XDELEX", func(t *testing.T) {
			srv.RequireVersion(t, "8.2.0", "XACKDEL/XDELEX")
			ctx := testCtx(t)
			s := key(t, "s")
			value[redisclient.Opt[string]](t, "XADD")(redisclient.XAdd(s, "1-0", "f", "1").Do(ctx, c))
			value[redisclient.Opt[string]](t, "XADD")(redisclient.XAdd(s, "2-0", "f", "2").Do(ctx, c))
			ok(t, "XGROUP CREATE")(redisclient.XGroupCreate(s, "g", "0").Do(ctx, c))
			value[[]redisclient.XStream](t, "XREADGROUP")(redisclient.XReadGroup("g", "c", []string{s}, ">").Do(ctx, c))
			expect(t, "XACKDEL", []int64{1, -1})(redisclient.XAckDel(s, "g", "1-0", "9-0").Do(ctx, c))
			expect(t, "XDELEX", []int64{1})(redisclient.XDelEX(s, "2-0").Do(ctx, c))
			expect(t, "XLEN", int64(0))(redisclient.XLen(s).Do(ctx, c))
		})

		t.Run("SET_IFEQ", func(t *testing.T) {
			srv.RequireServer(t, "SET IFEQ", "8.4.0", "8.1.0")
			ctx := testCtx(t)
			k := key(t, "k")
			ok(t, "SET")(redisclient.Set(k, "old").Do(ctx, c))
			expect(t, "SET IFEQ wrong", false)(redisclient.Set(k, "new").IfEq("other").Do(ctx, c))
			expect(t, "SET IFEQ", true)(redisclient.Set(k, "new").IfEq("old").Do(ctx, c))
			expect(t, "GET after SET IFEQ", some("new"))(redisclient.Get(k).Do(ctx, c))
		})

		t.Run("DELEX_DIGEST_MSETEX", func(t *testing.T) {
			srv.RequireVersion(t, "8.4.0", "DELEX/DIGEST/MSETEX")
			ctx := testCtx(t)
			k := key(t, "k")
			ok(t, "SET")(redisclient.Set(k, "new").Do(ctx, c))
			d := value[redisclient.Opt[string]](t, "DIGEST")(redisclient.Digest(k).Do(ctx, c))
			if !d.Valid || !regexp.MustCompile(`^[0-9a-f]+$`).MatchString(d.Value) {
				t.Errorf("DIGEST: %+v, want a hex digest", d)
			}
			expect(t, "DIGEST missing", none[string]())(redisclient.Digest(key(t, "missing")).Do(ctx, c))
			expect(t, "DELEX IFNE same", false)(redisclient.DelEX(k).IfNe("new").Do(ctx, c))
			expect(t, "DELEX IFEQ", true)(redisclient.DelEX(k).IfEq("new").Do(ctx, c))
			k1, k2 := key(t, "m1"), key(t, "m2")
			expect(t, "MSETEX NX EX", true)(redisclient.MSetEX(k1, "1").KeyValue(k2, "2").NX().EX(100*time.Second).Do(ctx, c))
			expect(t, "MSETEX NX again", false)(redisclient.MSetEX(k1, "x").NX().Do(ctx, c))
			if ttl := value[redisclient.TimeToLive](t, "TTL")(redisclient.TTL(k2).Do(ctx, c)); !ttl.HasExpiry() || ttl.Duration < 90*time.Second || ttl.Duration > 100*time.Second {
				t.Errorf("TTL after MSETEX EX 100: %v", ttl)
			}
		})
	})
}
