package integration

// Data-type commands the other tests leave out, on RESP2 and RESP3: the
// blocking BRPOPLPUSH and BZPOPMAX, ZDIFFSTORE and the lexicographic
// ZREMRANGEBYLEX and ZREVRANGEBYLEX, PEXPIRE, HEXPIREAT and HPEXPIREAT,
// RENAMENX, TOUCH and MSETEX (MOVE and RANDOMKEY, which look past the
// test's own keys, are in serverwide_test.go).

import (
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

func TestDataCommands(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		srv := sharedServer(t)

		t.Run("BRPOPLPUSH", func(t *testing.T) {
			ctx := testCtx(t)
			src, dst := key(t, "src"), key(t, "dst")
			expect(t, "RPUSH", int64(2))(redisclient.RPush(src, "a", "b").Do(ctx, c))
			expect(t, "BRPOPLPUSH", some("b"))(redisclient.BRPopLPush(src, dst, time.Second).Do(ctx, c))
			expect(t, "BRPOPLPUSH again", some("a"))(redisclient.BRPopLPush(src, dst, time.Second).Do(ctx, c))
			expect(t, "destination", []string{"a", "b"})(redisclient.LRange(dst, 0, -1).Do(ctx, c))
			start := time.Now()
			expect(t, "BRPOPLPUSH on an empty list times out", none[string]())(redisclient.BRPopLPush(src, dst, 100*time.Millisecond).Do(ctx, c))
			if waited := time.Since(start); waited < 90*time.Millisecond {
				t.Errorf("BRPOPLPUSH with a 100ms timeout returned after %v", waited)
			}
			str := key(t, "str")
			ok(t, "SET")(redisclient.Set(str, "v").Do(ctx, c))
			serverError[redisclient.Opt[string]](t, "BRPOPLPUSH from a string", "WRONGTYPE")(
				redisclient.BRPopLPush(str, dst, time.Second).Do(ctx, c))
		})

		t.Run("BZPOPMAX", func(t *testing.T) {
			ctx := testCtx(t)
			empty, z := key(t, "empty"), key(t, "z")
			expect(t, "ZADD", int64(3))(redisclient.ZAdd(z, 1, "a").ScoreMember(2, "b").ScoreMember(3.5, "c").Do(ctx, c))
			expect(t, "BZPOPMAX", &redisclient.KeyZMember{Key: z, Member: "c", Score: 3.5})(
				redisclient.BZPopMax(time.Second, empty, z).Do(ctx, c))
			expect(t, "left", []string{"a", "b"})(redisclient.ZRange(z, "0", "-1").Do(ctx, c))
			expect(t, "BZPOPMAX on empty keys times out", (*redisclient.KeyZMember)(nil))(
				redisclient.BZPopMax(100*time.Millisecond, empty).Do(ctx, c))
		})

		t.Run("ZDIFFSTORE", func(t *testing.T) {
			ctx := testCtx(t)
			z1, z2, dst := key(t, "z1"), key(t, "z2"), key(t, "dst")
			expect(t, "ZADD z1", int64(3))(redisclient.ZAdd(z1, 1, "a").ScoreMember(2, "b").ScoreMember(3, "c").Do(ctx, c))
			expect(t, "ZADD z2", int64(1))(redisclient.ZAdd(z2, 9, "b").Do(ctx, c))
			expect(t, "ZDIFFSTORE", int64(2))(redisclient.ZDiffStore(dst, z1, z2).Do(ctx, c))
			expect(t, "stored difference", []redisclient.ZMember{{Member: "a", Score: 1}, {Member: "c", Score: 3}})(
				redisclient.ZRange(dst, "0", "-1").WithScores().Do(ctx, c))
			expect(t, "ZDIFFSTORE of a set from itself", int64(0))(redisclient.ZDiffStore(dst, z1, z1).Do(ctx, c))
			expect(t, "an empty difference deletes the destination", int64(0))(redisclient.Exists(dst).Do(ctx, c))
		})

		t.Run("lexicographic_ranges", func(t *testing.T) {
			ctx := testCtx(t)
			z := key(t, "lex")
			add := redisclient.ZAdd(z, 0, "a")
			for _, m := range []string{"b", "c", "d", "e", "f", "g"} {
				add = add.ScoreMember(0, m)
			}
			expect(t, "ZADD", int64(7))(add.Do(ctx, c))
			expect(t, "ZREVRANGEBYLEX", []string{"g", "f", "e", "d", "c", "b", "a"})(redisclient.ZRevRangeByLex(z, "+", "-").Do(ctx, c))
			expect(t, "ZREVRANGEBYLEX bounds", []string{"e", "d", "c"})(redisclient.ZRevRangeByLex(z, "[e", "(b").Do(ctx, c))
			expect(t, "ZREVRANGEBYLEX LIMIT", []string{"f", "e"})(redisclient.ZRevRangeByLex(z, "+", "-").Limit(1, 2).Do(ctx, c))
			expect(t, "ZREVRANGEBYLEX With LIMIT", []string{"a"})(redisclient.ZRevRangeByLex(z, "+", "-").
				With(redisclient.ZRevRangeByLexOptions{Limit: some(redisclient.ZRevRangeByLexLimit{Offset: 6, Count: 5})}).Do(ctx, c))
			expect(t, "ZREMRANGEBYLEX", int64(3))(redisclient.ZRemRangeByLex(z, "[b", "(e").Do(ctx, c))
			expect(t, "after ZREMRANGEBYLEX", []string{"a", "e", "f", "g"})(redisclient.ZRange(z, "0", "-1").Do(ctx, c))
			expect(t, "ZREMRANGEBYLEX of nothing", int64(0))(redisclient.ZRemRangeByLex(z, "[x", "[z").Do(ctx, c))
			serverError[int64](t, "ZREMRANGEBYLEX with a bad bound", "ERR")(redisclient.ZRemRangeByLex(z, "b", "e").Do(ctx, c))
		})

		t.Run("PEXPIRE", func(t *testing.T) {
			ctx := testCtx(t)
			k := key(t, "k")
			ok(t, "SET")(redisclient.Set(k, "v").Do(ctx, c))
			expect(t, "PEXPIRE", true)(redisclient.PExpire(k, 80*time.Second).Do(ctx, c))
			ttl := value[redisclient.TimeToLive](t, "PTTL")(redisclient.PTTL(k).Do(ctx, c))
			if !ttl.HasExpiry() || ttl.Duration <= 70*time.Second || ttl.Duration > 80*time.Second {
				t.Errorf("PTTL after PEXPIRE 80000: %v", ttl)
			}
			expect(t, "PEXPIRE NX on a key that expires", false)(redisclient.PExpire(k, time.Hour).NX().Do(ctx, c))
			expect(t, "PEXPIRE GT with a longer time", true)(redisclient.PExpire(k, 90*time.Second).GT().Do(ctx, c))
			expect(t, "PEXPIRE LT with a longer time", false)(redisclient.PExpire(k, time.Hour).LT().Do(ctx, c))
			expect(t, "PEXPIRE of a missing key", false)(redisclient.PExpire(key(t, "missing"), time.Second).Do(ctx, c))
			expect(t, "PEXPIRE in the past deletes", true)(redisclient.PExpire(k, -time.Millisecond).Do(ctx, c))
			expect(t, "EXISTS", int64(0))(redisclient.Exists(k).Do(ctx, c))
		})

		t.Run("HEXPIREAT_HPEXPIREAT", func(t *testing.T) {
			srv.RequireServer(t, "HEXPIREAT/HPEXPIREAT", "7.4.0", "9.0.0")
			ctx := testCtx(t)
			h := key(t, "h")
			value[int64](t, "HSET")(redisclient.HSet(h, "f1", "v1").FieldValue("f2", "v2").FieldValue("f3", "v3").Do(ctx, c))
			at := time.Now().Add(100 * time.Second).Truncate(time.Second)
			expect(t, "HEXPIREAT", []redisclient.HExpireResult{redisclient.HExpireSet, redisclient.HExpireNoField})(
				redisclient.HExpireAt(h, at, "f1", "nope").Do(ctx, c))
			expect(t, "HEXPIRETIME", []redisclient.ExpiryTime{{Time: at, State: redisclient.ExpirySet}})(
				redisclient.HExpireTime(h, "f1").Do(ctx, c))
			expect(t, "HEXPIREAT GT, earlier", []redisclient.HExpireResult{redisclient.HExpireNotSet})(
				redisclient.HExpireAt(h, at.Add(-time.Minute), "f1").GT().Do(ctx, c))
			expect(t, "HEXPIREAT in the past deletes", []redisclient.HExpireResult{redisclient.HExpireDeleted})(
				redisclient.HExpireAt(h, time.Unix(1, 0), "f3").Do(ctx, c))
			pat := time.Now().Add(50 * time.Second).Truncate(time.Millisecond)
			expect(t, "HPEXPIREAT LT on a field without expiry", []redisclient.HExpireResult{redisclient.HExpireSet})(
				redisclient.HPExpireAt(h, pat, "f2").LT().Do(ctx, c))
			expect(t, "HPEXPIRETIME", []redisclient.ExpiryTime{{Time: pat, State: redisclient.ExpirySet}})(
				redisclient.HPExpireTime(h, "f2").Do(ctx, c))
			expect(t, "HPEXPIREAT NX on an expiring field", []redisclient.HExpireResult{redisclient.HExpireNotSet})(
				redisclient.HPExpireAt(h, pat.Add(time.Second), "f2").NX().Do(ctx, c))
			expect(t, "HPEXPIREAT of a missing key", []redisclient.HExpireResult{redisclient.HExpireNoField})(
				redisclient.HPExpireAt(key(t, "missing"), pat, "f").Do(ctx, c))
			expect(t, "fields left", []string{"f1", "f2"}, sorted)(redisclient.HKeys(h).Do(ctx, c))
		})

		t.Run("RENAMENX_TOUCH", func(t *testing.T) {
			ctx := testCtx(t)
			a, b, other := key(t, "a"), key(t, "b"), key(t, "other")
			ok(t, "SET a")(redisclient.Set(a, "1").Do(ctx, c))
			ok(t, "SET other")(redisclient.Set(other, "2").Do(ctx, c))
			expect(t, "RENAMENX to a free name", true)(redisclient.RenameNX(a, b).Do(ctx, c))
			expect(t, "GET b", some("1"))(redisclient.Get(b).Do(ctx, c))
			expect(t, "RENAMENX to a taken name", false)(redisclient.RenameNX(b, other).Do(ctx, c))
			expect(t, "GET other unchanged", some("2"))(redisclient.Get(other).Do(ctx, c))
			serverError[bool](t, "RENAMENX of a missing key", "ERR")(redisclient.RenameNX(a, key(t, "c")).Do(ctx, c))
			expect(t, "TOUCH", int64(2))(redisclient.Touch(b, other, key(t, "missing")).Do(ctx, c))
			expect(t, "TOUCH of a key twice", int64(2))(redisclient.Touch(b, b).Do(ctx, c))
		})

		t.Run("MSETEX", func(t *testing.T) {
			srv.RequireServer(t, "MSETEX", "8.4.0", "9.1.0")
			ctx := testCtx(t)
			k1, k2 := key(t, "k1"), key(t, "k2")
			expect(t, "MSETEX PX", true)(redisclient.MSetEX(k1, "1").KeyValue(k2, 2).PX(90*time.Second).Do(ctx, c))
			expect(t, "MGET", []redisclient.Opt[string]{some("1"), some("2")})(redisclient.MGet(k1, k2).Do(ctx, c))
			if ttl := value[redisclient.TimeToLive](t, "PTTL")(redisclient.PTTL(k2).Do(ctx, c)); !ttl.HasExpiry() || ttl.Duration <= 80*time.Second || ttl.Duration > 90*time.Second {
				t.Errorf("PTTL after MSETEX PX 90000: %v", ttl)
			}
			expect(t, "MSETEX XX with a missing key", false)(redisclient.MSetEX(k1, "x").KeyValue(key(t, "missing"), "y").XX().Do(ctx, c))
			expect(t, "GET k1 unchanged", some("1"))(redisclient.Get(k1).Do(ctx, c))
			expect(t, "MSETEX XX KEEPTTL", true)(redisclient.MSetEXFrom(map[string]any{k1: "one", k2: "two"}).XX().KeepTTL().Do(ctx, c))
			expect(t, "MGET after KEEPTTL", []redisclient.Opt[string]{some("one"), some("two")})(redisclient.MGet(k1, k2).Do(ctx, c))
			if ttl := value[redisclient.TimeToLive](t, "PTTL")(redisclient.PTTL(k1).Do(ctx, c)); !ttl.HasExpiry() {
				t.Errorf("PTTL after MSETEX KEEPTTL: %v, want the expiry kept", ttl)
			}
		})
	})
}
