package integration

// Durations and times against a real server: options given durations that
// are not whole seconds (SET EX 1.5s goes out as PX 1500, EXPIRE 1.5s is
// rounded up to 2s), TTL-like replies with their "no key" and "no expiry"
// states, absolute expiry times, RESTORE with a relative or an absolute
// TTL, and the other replies that are durations or times.

import (
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

// pttlBetween fails t unless k expires in more than lo and at most hi.
func pttlBetween(t *testing.T, c *redisclient.Client, what, k string, lo, hi time.Duration) {
	t.Helper()
	got := value[redisclient.TimeToLive](t, "PTTL")(redisclient.PTTL(k).Do(testCtx(t), c))
	if !got.HasExpiry() || got.Duration <= lo || got.Duration > hi {
		t.Errorf("%s: PTTL %v, want in (%v, %v]", what, got, lo, hi)
	}
}

func TestDurations(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		srv := sharedServer(t)

		t.Run("sub-second options", func(t *testing.T) {
			ctx := testCtx(t)
			k := key(t, "k")
			// EX with 1.5s: sent as PX 1500, so the key lives 1.5s, not 1s or 2s.
			ok(t, "SET EX 1500ms")(redisclient.Set(k, "v").EX(1500*time.Millisecond).Do(ctx, c))
			pttlBetween(t, c, "SET EX 1500ms", k, time.Second, 1500*time.Millisecond)
			expect(t, "GETEX EX 1250ms", some("v"))(redisclient.GetEX(k).EX(1250*time.Millisecond).Do(ctx, c))
			pttlBetween(t, c, "GETEX EX 1250ms", k, time.Second, 1250*time.Millisecond)
			// Whole seconds keep EX.
			ok(t, "SET EX 2s")(redisclient.Set(k, "v").EX(2*time.Second).Do(ctx, c))
			pttlBetween(t, c, "SET EX 2s", k, 1500*time.Millisecond, 2*time.Second)
			// PX with a fraction of a millisecond: rounded up.
			ok(t, "SET PX 1500.5ms")(redisclient.Set(k, "v").PX(1500*time.Millisecond+500*time.Microsecond).Do(ctx, c))
			pttlBetween(t, c, "SET PX 1500.5ms", k, time.Second, 1501*time.Millisecond)

			// EXPIRE has no millisecond form: 1.5s is rounded up to 2s.
			ok(t, "SET")(redisclient.Set(k, "v").Do(ctx, c))
			expect(t, "EXPIRE 1500ms", true)(redisclient.Expire(k, 1500*time.Millisecond).Do(ctx, c))
			expect(t, "TTL after EXPIRE 1500ms", redisclient.TimeToLive{Duration: 2 * time.Second, State: redisclient.ExpirySet})(
				redisclient.TTL(k).Do(ctx, c))
			pttlBetween(t, c, "EXPIRE 1500ms", k, 1500*time.Millisecond, 2*time.Second)
			// A tiny duration is 1s, not 0 (which would delete the key).
			expect(t, "EXPIRE 1ns", true)(redisclient.Expire(k, time.Nanosecond).Do(ctx, c))
			expect(t, "EXISTS after EXPIRE 1ns", int64(1))(redisclient.Exists(k).Do(ctx, c))

			// EXAT with a time that is not a whole second: sent as PXAT,
			// so the expiry time is kept to the millisecond.
			at := time.UnixMilli(time.Now().Add(time.Hour).UnixMilli()/1000*1000 + 250)
			ok(t, "SET EXAT x.250")(redisclient.Set(k, "v").EXAT(at).Do(ctx, c))
			expect(t, "PEXPIRETIME after SET EXAT x.250", redisclient.ExpiryTime{Time: at, State: redisclient.ExpirySet})(
				redisclient.PExpireTime(k).Do(ctx, c))
			// EXPIREAT has no millisecond form: rounded up to the next second.
			expect(t, "EXPIREAT x.250", true)(redisclient.ExpireAt(k, at).Do(ctx, c))
			expect(t, "PEXPIRETIME after EXPIREAT x.250", redisclient.ExpiryTime{Time: at.Truncate(time.Second).Add(time.Second), State: redisclient.ExpirySet})(
				redisclient.PExpireTime(k).Do(ctx, c))

			// Fractional seconds for blocking timeouts: 150ms, not 1s.
			start := time.Now()
			expect(t, "BLPOP 150ms on an empty list", (*redisclient.KeyElement)(nil))(redisclient.BLPop(150*time.Millisecond, key(t, "empty")).Do(ctx, c))
			if el := time.Since(start); el < 100*time.Millisecond || el > 900*time.Millisecond {
				t.Errorf("BLPOP 150ms returned after %v", el)
			}
		})

		t.Run("negative durations", func(t *testing.T) {
			ctx := testCtx(t)
			k := key(t, "k")
			// Sent as they are: SET rejects them, EXPIRE deletes the key.
			serverError[struct{}](t, "SET EX -1s", "ERR")(struct{}{}, redisclient.Set(k, "v").EX(-time.Second).Do(ctx, c))
			serverError[struct{}](t, "SET EX -1500ms", "ERR")(struct{}{}, redisclient.Set(k, "v").EX(-1500*time.Millisecond).Do(ctx, c))
			ok(t, "SET")(redisclient.Set(k, "v").Do(ctx, c))
			expect(t, "EXPIRE -1500ms", true)(redisclient.Expire(k, -1500*time.Millisecond).Do(ctx, c))
			expect(t, "TTL after EXPIRE -1500ms", redisclient.TimeToLive{State: redisclient.ExpiryNoKey})(redisclient.TTL(k).Do(ctx, c))
		})

		t.Run("TTL states", func(t *testing.T) {
			ctx := testCtx(t)
			missing, plain, volatile := key(t, "missing"), key(t, "plain"), key(t, "volatile")
			ok(t, "SET")(redisclient.Set(plain, "v").Do(ctx, c))
			ok(t, "SET EX")(redisclient.Set(volatile, "v").EX(100*time.Second).Do(ctx, c))

			noKey := redisclient.TimeToLive{State: redisclient.ExpiryNoKey}
			noExpiry := redisclient.TimeToLive{State: redisclient.ExpiryNone}
			expect(t, "TTL missing", noKey)(redisclient.TTL(missing).Do(ctx, c))
			expect(t, "PTTL missing", noKey)(redisclient.PTTL(missing).Do(ctx, c))
			expect(t, "TTL no expiry", noExpiry)(redisclient.TTL(plain).Do(ctx, c))
			expect(t, "PTTL no expiry", noExpiry)(redisclient.PTTL(plain).Do(ctx, c))
			ttl := value[redisclient.TimeToLive](t, "TTL")(redisclient.TTL(volatile).Do(ctx, c))
			if !ttl.Exists() || !ttl.HasExpiry() || ttl.Duration < 99*time.Second || ttl.Duration > 100*time.Second {
				t.Errorf("TTL of a key with EX 100: %v", ttl)
			}
			if noKey.Exists() || !noExpiry.Exists() || noExpiry.HasExpiry() {
				t.Error("Exists/HasExpiry disagree with the states")
			}

			srv.RequireVersion(t, "7.0.0", "EXPIRETIME/PEXPIRETIME")
			expect(t, "EXPIRETIME missing", redisclient.ExpiryTime{State: redisclient.ExpiryNoKey})(redisclient.ExpireTime(missing).Do(ctx, c))
			expect(t, "PEXPIRETIME no expiry", redisclient.ExpiryTime{State: redisclient.ExpiryNone})(redisclient.PExpireTime(plain).Do(ctx, c))
			at := time.UnixMilli(time.Now().Add(time.Hour).UnixMilli())
			expect(t, "PEXPIREAT", true)(redisclient.PExpireAt(volatile, at).Do(ctx, c))
			expect(t, "PEXPIRETIME", redisclient.ExpiryTime{Time: at, State: redisclient.ExpirySet})(redisclient.PExpireTime(volatile).Do(ctx, c))
			// EXPIRETIME rounds to the nearest second.
			et := value[redisclient.ExpiryTime](t, "EXPIRETIME")(redisclient.ExpireTime(volatile).Do(ctx, c))
			if d := et.Time.Sub(at); !et.HasExpiry() || d < -500*time.Millisecond || d > 500*time.Millisecond {
				t.Errorf("EXPIRETIME %v, want %v to the second", et, at)
			}
		})

		t.Run("RESTORE", func(t *testing.T) {
			ctx := testCtx(t)
			src, rel, abs, none := key(t, "src"), key(t, "rel"), key(t, "abs"), key(t, "none")
			ok(t, "SET")(redisclient.Set(src, "payload").Do(ctx, c))
			dump := value[redisclient.Opt[string]](t, "DUMP")(redisclient.Dump(src).Do(ctx, c))
			if !dump.Valid {
				t.Fatal("DUMP: no payload")
			}
			ok(t, "RESTORE ttl 0")(redisclient.Restore(none, 0, dump.Value).Do(ctx, c))
			expect(t, "PTTL after RESTORE ttl 0", redisclient.TimeToLive{State: redisclient.ExpiryNone})(redisclient.PTTL(none).Do(ctx, c))
			ok(t, "RESTORE ttl 1500ms")(redisclient.Restore(rel, 1500*time.Millisecond, []byte(dump.Value)).Do(ctx, c))
			pttlBetween(t, c, "RESTORE ttl 1500ms", rel, time.Second, 1500*time.Millisecond)
			at := time.UnixMilli(time.Now().Add(time.Hour).UnixMilli())
			ok(t, "RESTORE ABSTTL")(redisclient.Restore(abs, 0, dump.Value).Replace().AbsTTL(at).Do(ctx, c))
			expect(t, "PEXPIRETIME after RESTORE ABSTTL", redisclient.ExpiryTime{Time: at, State: redisclient.ExpirySet})(
				redisclient.PExpireTime(abs).Do(ctx, c))
			expect(t, "GET restored", some("payload"))(redisclient.Get(abs).Do(ctx, c))
			ok(t, "RESTORE IDLETIME")(redisclient.Restore(abs, 0, dump.Value).Replace().IdleTime(90*time.Second).Do(ctx, c))
			idle := value[redisclient.Opt[time.Duration]](t, "OBJECT IDLETIME")(redisclient.ObjectIdleTime(abs).Do(ctx, c))
			if !idle.Valid || idle.Value < 90*time.Second || idle.Value > 95*time.Second {
				t.Errorf("OBJECT IDLETIME after RESTORE IDLETIME 90s: %+v", idle)
			}
		})

		t.Run("duration and time replies", func(t *testing.T) {
			ctx := testCtx(t)
			expect(t, "OBJECT IDLETIME missing", none[time.Duration]())(redisclient.ObjectIdleTime(key(t, "missing")).Do(ctx, c))
			expect(t, "OBJECT FREQ missing", none[int64]())(redisclient.ObjectFreq(key(t, "missing")).Do(ctx, c))
			last := value[time.Time](t, "LASTSAVE")(redisclient.LastSave().Do(ctx, c))
			if last.After(time.Now().Add(time.Minute)) || last.Before(time.Now().Add(-24*time.Hour)) {
				t.Errorf("LASTSAVE %v, now %v", last, time.Now())
			}
		})

		t.Run("CLIENT_KILL_MAXAGE", func(t *testing.T) {
			srv.RequireServer(t, "CLIENT KILL MAXAGE", "7.4.0", "8.0.0")
			expect(t, "CLIENT KILL MAXAGE 1h", int64(0))(redisclient.ClientKill().MaxAge(time.Hour).Do(testCtx(t), c))
		})
	})
}
