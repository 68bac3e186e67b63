package integration

// The rate limiter recipe (recipes/ratelimit) against real servers: exact
// allow/deny sequences with a burst, partial requests, peeks and resets;
// the key's TTL; retry-after accuracy; goroutines hammering one key never
// exceeding the limit; a cluster client with keys on every master; and a
// server restart, after which the script is loaded again (NOSCRIPT, then
// EVAL).

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redkit-go/redkit/recipes/ratelimit"
	"github.com/redkit-go/redkit/redisclient"
)

// rlSlack bounds the server time that passes during a test's round trips.
const rlSlack = 5 * time.Second

// rlCheck checks one result: allowed and remaining exactly, retry-after
// and reset-after within (want-rlSlack, want].
func rlCheck(t *testing.T, what string, res ratelimit.Result, err error, allowed bool, remaining int, retryAfter, resetAfter time.Duration) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	within := func(got, want time.Duration) bool { return got <= want && got > want-rlSlack }
	if res.Allowed != allowed || res.Remaining != remaining ||
		(retryAfter == 0 && res.RetryAfter != 0) || (retryAfter != 0 && !within(res.RetryAfter, retryAfter)) ||
		!within(res.ResetAfter, resetAfter) {
		t.Errorf("%s: %+v, want allowed %v, remaining %d, retry-after ≈%v, reset-after ≈%v",
			what, res, allowed, remaining, retryAfter, resetAfter)
	}
}

func TestRateLimitSequence(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		const h = time.Hour
		l := ratelimit.New(c, ratelimit.Limit{Rate: 1, Per: h, Burst: 3})
		k := key(t, "rate")

		res, err := l.AllowN(ctx, k, 0)
		rlCheck(t, "peek at an empty bucket", res, err, true, 3, 0, 0)
		expect(t, "EXISTS after a peek", int64(0))(redisclient.Exists(k).Do(ctx, c))
		for i := range 3 {
			res, err := l.Allow(ctx, k)
			rlCheck(t, "burst request", res, err, true, 2-i, 0, time.Duration(i+1)*h)
		}
		pttl, err := redisclient.PTTL(k).Do(ctx, c)
		must(t, err, "PTTL")
		if d := pttl.Duration; d > 3*h || d < 3*h-rlSlack {
			t.Errorf("PTTL after 3 cells: %v, want ≈3h (the time the bucket needs to drain)", pttl)
		}
		res, err = l.Allow(ctx, k)
		rlCheck(t, "beyond the burst", res, err, false, 0, h, 3*h)
		res, err = l.AllowN(ctx, k, 0)
		rlCheck(t, "peek at an empty bucket", res, err, true, 0, 0, 3*h)

		must(t, l.Reset(ctx, k), "Reset")
		res, err = l.AllowN(ctx, k, 2)
		rlCheck(t, "2 of 3 after Reset", res, err, true, 1, 0, 2*h)
		res, err = l.AllowN(ctx, k, 2)
		rlCheck(t, "2 more (1 left)", res, err, false, 1, h, 2*h)
		res, err = l.Allow(ctx, k)
		rlCheck(t, "the last one", res, err, true, 0, 0, 3*h)
		res, err = l.AllowN(ctx, k, 3)
		rlCheck(t, "the whole burst of an empty bucket", res, err, false, 0, 3*h, 3*h)

		// Burst 0 is Rate; different keys have their own buckets.
		perHalfMinute := ratelimit.New(c, ratelimit.Limit{Rate: 2, Per: time.Minute})
		for _, k := range []string{key(t, "a"), key(t, "b")} {
			for j := range 2 {
				res, err := perHalfMinute.Allow(ctx, k)
				rlCheck(t, "default burst", res, err, true, 1-j, 0, time.Duration(j+1)*30*time.Second)
			}
			res, err := perHalfMinute.Allow(ctx, k)
			rlCheck(t, "default burst exceeded", res, err, false, 0, 30*time.Second, time.Minute)
		}

		// Bad input: clear errors, nothing sent; a key of another type: the
		// server's error.
		if _, err := l.AllowN(ctx, k, -1); !errors.Is(err, ratelimit.ErrInvalidRequest) {
			t.Errorf("AllowN -1: %v, want ErrInvalidRequest", err)
		}
		if _, err := ratelimit.New(c, ratelimit.Limit{Per: time.Second}).Allow(ctx, k); !errors.Is(err, ratelimit.ErrInvalidLimit) {
			t.Errorf("Rate 0: %v, want ErrInvalidLimit", err)
		}
		list := key(t, "list")
		_, err = redisclient.LPush(list, "x").Do(ctx, c)
		must(t, err, "LPUSH")
		if _, err := l.Allow(ctx, list); errCode(err) != "WRONGTYPE" {
			t.Errorf("Allow on a list: %v, want WRONGTYPE", err)
		}
	})
}

func TestRateLimitRetryAfter(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		const per = 2 * time.Second
		const bound = 500 * time.Millisecond // round trips and sleeps oversleeping
		l := ratelimit.New(c, ratelimit.Limit{Rate: 1, Per: per, Burst: 1})
		k := key(t, "rate")
		res, err := l.Allow(ctx, k)
		if err != nil || !res.Allowed {
			t.Fatalf("first request: %+v, %v", res, err)
		}
		res, err = l.Allow(ctx, k)
		if err != nil || res.Allowed || res.RetryAfter > per || res.RetryAfter < per-bound {
			t.Fatalf("second request: %+v, %v; want denied, retry-after in (%v, %v]", res, err, per-bound, per)
		}
		first := res.RetryAfter
		time.Sleep(time.Second)
		res, err = l.Allow(ctx, k)
		if err != nil || res.Allowed || res.RetryAfter > first-time.Second || res.RetryAfter < first-time.Second-bound {
			t.Fatalf("a second later: %+v, %v; want denied, retry-after in (%v, %v]", res, err, first-time.Second-bound, first-time.Second)
		}
		time.Sleep(res.RetryAfter)
		res, err = l.Allow(ctx, k)
		if err != nil || !res.Allowed {
			t.Fatalf("after sleeping retry-after: %+v, %v; want allowed", res, err)
		}
	})
}

func TestRateLimitConcurrent(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		const (
			rate    = 50
			burst   = 10
			workers = 16
			run     = 1500 * time.Millisecond
		)
		interval := time.Second / rate
		l := ratelimit.New(c, ratelimit.Limit{Rate: rate, Per: time.Second, Burst: burst})
		k := key(t, "rate")
		var allowed, denied atomic.Int64
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		start := time.Now()
		deadline := start.Add(run)
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for time.Now().Before(deadline) {
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					res, err := l.Allow(ctx, k)
					cancel()
					if err != nil {
						errs <- err
						return
					}
					if res.Allowed {
						allowed.Add(1)
					} else {
						denied.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		close(errs)
		for err := range errs {
			t.Errorf("Allow: %v", err)
		}
		// The server's time between the first and last script is less than
		// elapsed: at most burst + elapsed/interval (+1 for the boundary).
		most := burst + int64(elapsed/interval) + 1
		least := burst + int64(run/interval)/2
		t.Logf("%d allowed, %d denied in %v (at most %d)", allowed.Load(), denied.Load(), elapsed, most)
		if got := allowed.Load(); got > most || got < least {
			t.Errorf("%d allowed in %v, want between %d and %d", got, elapsed, least, most)
		}
		if denied.Load() == 0 {
			t.Errorf("nothing denied: the workers did not exceed the limit")
		}
	})
}

func TestRateLimitCluster(t *testing.T) {
	t.Parallel()
	tc := startCluster(t, cluConfig{Name: "ratelimit", ReplicasPerMaster: -1})
	c := tc.client(t, 3, nil)
	ctx := testCtx(t)
	l := ratelimit.New(c, ratelimit.Limit{Rate: 1, Per: time.Hour, Burst: 2})
	masters := tc.masters(t)
	for _, slot := range []int{0, 8000, 16000} { // one on each master
		k := cluKey(slot, "rate:user")
		for i := range 2 {
			res, err := l.Allow(ctx, k)
			rlCheck(t, "burst request", res, err, true, 1-i, 0, time.Duration(i+1)*time.Hour)
		}
		res, err := l.Allow(ctx, k)
		rlCheck(t, "beyond the burst", res, err, false, 0, time.Hour, 2*time.Hour)
		owners := 0
		for _, m := range masters {
			if n, err := redisclient.Exists(k).Do(ctx, m.Admin); err == nil {
				owners++
				if n != 1 {
					t.Errorf("slot %d: the owner %s has no key %s", slot, m.Addr, k)
				}
			}
		}
		if owners != 1 {
			t.Errorf("slot %d: %d masters answered for %s, want 1 (the others redirect)", slot, owners, k)
		}
		must(t, l.Reset(ctx, k), "Reset")
		res, err = l.Allow(ctx, k)
		rlCheck(t, "after Reset", res, err, true, 1, 0, time.Hour)
	}
}

func TestRateLimitRestart(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "ratelimit-restart"})
	c := NewClient(t, srv.Options(3))
	ctx := testCtx(t)
	l := ratelimit.New(c, ratelimit.Limit{Rate: 1, Per: time.Hour, Burst: 2})
	const k = "rate:user:42"
	for i := range 2 {
		res, err := l.Allow(ctx, k)
		rlCheck(t, "before the restart", res, err, true, 1-i, 0, time.Duration(i+1)*time.Hour)
	}
	res, err := l.Allow(ctx, k)
	rlCheck(t, "beyond the burst", res, err, false, 0, time.Hour, 2*time.Hour)

	srv.Stop(t)
	srv.Start(t)
	// The server kept nothing (no persistence): neither the bucket nor the
	// script. The first Allow that reaches it gets NOSCRIPT and runs EVAL.
	var lastErr error
	if !cluWaitFor(20*time.Second, func() bool {
		rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		res, lastErr = l.Allow(rctx, k)
		return lastErr == nil
	}) {
		t.Fatalf("no Allow succeeded after the restart: %v", lastErr)
	}
	rlCheck(t, "first after the restart", res, lastErr, true, 1, 0, time.Hour)
	res, err = l.Allow(ctx, k)
	rlCheck(t, "second after the restart", res, err, true, 0, 0, 2*time.Hour)
	res, err = l.Allow(ctx, k)
	rlCheck(t, "beyond the burst after the restart", res, err, false, 0, time.Hour, 2*time.Hour)
	if got := commandCalls(t, srv, "eval"); got != 1 {
		t.Errorf("%d EVAL after the restart, want 1 (the script reloaded once)", got)
	}
	if got := commandCalls(t, srv, "evalsha"); got < 3 {
		t.Errorf("%d EVALSHA after the restart, want at least 3", got)
	}
}
