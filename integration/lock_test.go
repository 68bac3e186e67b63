package integration

// The distributed lock recipe (recipes/lock) against real servers: the
// keys, tokens and TTL a lock leaves; fencing tokens; release and extend by
// a holder that lost the lock refused; mutual exclusion of goroutines on
// several clients (a read-modify-write on the server that would lose
// updates on any overlap); automatic extension past the TTL; expiry once
// the holder stops extending (no extension, or its client closed); a
// cancelled Acquire returning promptly; server restarts, without
// persistence (the holder learns it lost the lock, the fencing counter
// starts again) and with appendfsync always (the counter goes on); a
// paused server (the holder learns at its deadline); and a
// cluster, with a lock on every master and a held lock kept across a
// manual failover.

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redkit-go/redkit/recipes/lock"
	"github.com/redkit-go/redkit/redisclient"
)

// lockWaitLost waits for lk's Lost channel and returns the lock's error.
func lockWaitLost(t *testing.T, lk *lock.Lock, within time.Duration, what string) error {
	t.Helper()
	select {
	case <-lk.Lost():
	case <-time.After(within):
		t.Fatalf("%s: the lock was not reported lost within %v", what, within)
	}
	select {
	case <-lk.Context().Done():
	default:
		t.Fatalf("%s: Lost is closed but Context is not done", what)
	}
	err := lk.Err()
	if !errors.Is(err, lock.ErrLost) {
		t.Fatalf("%s: Err() = %v, want ErrLost", what, err)
	}
	return err
}

func TestLockBasics(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		const ttl = 5 * time.Second
		l := lock.New(c, lock.Options{TTL: ttl})
		name := key(t, "job")
		lockKey, fenceKey := lock.Keys(name)

		a, err := l.TryAcquire(ctx, name)
		must(t, err, "TryAcquire")
		if a.Name() != name || len(a.Token()) < 26 || a.Fence() != 1 {
			t.Errorf("first lock: name %q, token %q, fence %d; want %q, a 128-bit random token, fence 1", a.Name(), a.Token(), a.Fence(), name)
		}
		expect(t, "GET of the lock's key", some(a.Token()))(redisclient.Get(lockKey).Do(ctx, c))
		expect(t, "GET of the fencing counter", some("1"))(redisclient.Get(fenceKey).Do(ctx, c))
		pttl := value[redisclient.TimeToLive](t, "PTTL")(redisclient.PTTL(lockKey).Do(ctx, c))
		if d := pttl.Duration; d > ttl || d < ttl-2*time.Second {
			t.Errorf("PTTL of the lock's key: %v, want ≈%v", pttl, ttl)
		}
		if dl := time.Until(a.Deadline()); dl > ttl || dl < ttl-2*time.Second {
			t.Errorf("Deadline in %v, want ≈%v", dl, ttl)
		}
		if a.Err() != nil {
			t.Errorf("Err of a held lock: %v", a.Err())
		}

		// Held: another attempt fails at once, naming the lock; a lock of
		// another name is independent.
		if _, err := l.TryAcquire(ctx, name); !errors.Is(err, lock.ErrNotAcquired) {
			t.Errorf("TryAcquire of a held lock: %v, want ErrNotAcquired", err)
		}
		other, err := l.TryAcquire(ctx, key(t, "other"))
		must(t, err, "TryAcquire of another name")
		if other.Fence() != 1 {
			t.Errorf("another name's fence: %d, want 1 (its own counter)", other.Fence())
		}
		must(t, a.Extend(ctx), "Extend")

		must(t, a.Release(ctx), "Release")
		expect(t, "EXISTS after Release", int64(0))(redisclient.Exists(lockKey).Do(ctx, c))
		if err := a.Err(); !errors.Is(err, lock.ErrReleased) {
			t.Errorf("Err after Release: %v, want ErrReleased", err)
		}
		select {
		case <-a.Lost():
			t.Errorf("Lost closed by Release")
		default:
		}
		if err := a.Release(ctx); !errors.Is(err, lock.ErrNotHeld) {
			t.Errorf("second Release: %v, want ErrNotHeld", err)
		}
		if err := a.Extend(ctx); !errors.Is(err, lock.ErrNotHeld) {
			t.Errorf("Extend after Release: %v, want ErrNotHeld", err)
		}

		// Fencing tokens increase with every acquisition, tokens differ.
		last, tokens := a.Fence(), map[string]bool{a.Token(): true}
		for range 5 {
			lk, err := l.Acquire(ctx, name)
			must(t, err, "Acquire")
			if lk.Fence() <= last || tokens[lk.Token()] {
				t.Errorf("acquisition: fence %d after %d, token %q (seen: %v)", lk.Fence(), last, lk.Token(), tokens[lk.Token()])
			}
			last, tokens[lk.Token()] = lk.Fence(), true
			must(t, lk.Release(ctx), "Release")
		}
		must(t, other.Release(ctx), "Release of the other name")

		// A fencing counter that is not an integer: the server's error,
		// and nothing changed (INCR runs before SET).
		bad := key(t, "bad")
		badKey, badFence := lock.Keys(bad)
		must(t, redisclient.Set(badFence, "x").Do(ctx, c), "SET")
		if _, err := l.TryAcquire(ctx, bad); errCode(err) != "ERR" {
			t.Errorf("TryAcquire with a bad counter: %v, want the server's ERR", err)
		}
		expect(t, "EXISTS after a failed acquisition", int64(0))(redisclient.Exists(badKey).Do(ctx, c))
	})
}

func TestLockMutualExclusion(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	const (
		clients    = 3
		goroutines = 4 // per client
		rounds     = 15
	)
	ctx := ctxFor(t, 60*time.Second)
	name := key(t, "counter-lock")
	counter := key(t, "counter")
	var inside atomic.Int32
	var overlaps atomic.Int32
	var fenceMu sync.Mutex
	lastFence := int64(0)
	var wg sync.WaitGroup
	errs := make(chan error, clients*goroutines)
	for i := range clients {
		c := NewClient(t, srv.Options(2+i%2))
		l := lock.New(c, lock.Options{TTL: 5 * time.Second, MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond})
		for range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range rounds {
					lk, err := l.Acquire(ctx, name)
					if err != nil {
						errs <- err
						return
					}
					if inside.Add(1) != 1 {
						overlaps.Add(1)
					}
					fenceMu.Lock()
					if lk.Fence() <= lastFence {
						errs <- errors.New("fencing token did not increase")
					}
					lastFence = lk.Fence()
					fenceMu.Unlock()
					// A read-modify-write that loses updates on overlap.
					v, err := redisclient.Get(counter).Do(ctx, c)
					n := 0
					if err == nil && v.Valid {
						n, err = strconv.Atoi(v.Value)
					}
					if err == nil {
						time.Sleep(time.Millisecond)
						err = redisclient.Set(counter, n+1).Do(ctx, c)
					}
					inside.Add(-1)
					if rerr := lk.Release(ctx); err == nil {
						err = rerr
					}
					if err != nil {
						errs <- err
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("worker: %v", err)
	}
	if n := overlaps.Load(); n != 0 {
		t.Errorf("%d times a holder entered while another was inside", n)
	}
	const total = clients * goroutines * rounds
	expect(t, "the counter", some(strconv.Itoa(total)))(redisclient.Get(counter).Do(ctx, NewClient(t, srv.Options(3))))
	if lastFence != total {
		t.Errorf("last fencing token %d, want %d (one per acquisition)", lastFence, total)
	}
}

func TestLockAutoExtend(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		const ttl = time.Second
		l := lock.New(c, lock.Options{TTL: ttl}) // extended every 333ms
		name := key(t, "long-job")
		lk, err := l.Acquire(ctx, name)
		must(t, err, "Acquire")
		time.Sleep(3 * ttl)
		if err := lk.Err(); err != nil {
			t.Fatalf("after 3 TTLs: %v, want held", err)
		}
		lockKey, _ := lock.Keys(name)
		expect(t, "GET after 3 TTLs", some(lk.Token()))(redisclient.Get(lockKey).Do(ctx, c))
		if _, err := l.TryAcquire(ctx, name); !errors.Is(err, lock.ErrNotAcquired) {
			t.Errorf("TryAcquire after 3 TTLs: %v, want ErrNotAcquired", err)
		}
		if dl := time.Until(lk.Deadline()); dl <= 0 || dl > ttl {
			t.Errorf("Deadline in %v, want within the TTL", dl)
		}
		must(t, lk.Release(ctx), "Release")
		// Another holder gets it at once, and keeps it without extensions
		// from the released one.
		lk2, err := l.TryAcquire(ctx, name)
		must(t, err, "TryAcquire after Release")
		time.Sleep(2 * ttl)
		expect(t, "GET of the second holder", some(lk2.Token()))(redisclient.Get(lockKey).Do(ctx, c))
		must(t, lk2.Release(ctx), "Release")
	})
}

func TestLockExpiry(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		const ttl = 500 * time.Millisecond
		name := key(t, "job")
		lockKey, _ := lock.Keys(name)

		// Without extensions the holder loses the lock after the TTL; a
		// new holder takes it, and the old one can neither extend nor
		// release it.
		noExtend := lock.New(c, lock.Options{TTL: ttl, ExtendEvery: -1})
		a, err := noExtend.TryAcquire(ctx, name)
		must(t, err, "TryAcquire")
		start := time.Now()
		err = lockWaitLost(t, a, 3*time.Second, "no extensions")
		if el := time.Since(start); el > ttl+500*time.Millisecond {
			t.Errorf("lost after %v, want ≈%v", el, ttl)
		}
		t.Logf("cause: %v", err)
		b, err := lock.New(c, lock.Options{TTL: 10 * time.Second}).Acquire(ctx, name)
		must(t, err, "Acquire by another holder")
		if b.Fence() <= a.Fence() {
			t.Errorf("fence %d after %d", b.Fence(), a.Fence())
		}
		if err := a.Extend(ctx); !errors.Is(err, lock.ErrNotHeld) {
			t.Errorf("Extend by the old holder: %v, want ErrNotHeld", err)
		}
		if err := a.Release(ctx); !errors.Is(err, lock.ErrNotHeld) {
			t.Errorf("Release by the old holder: %v, want ErrNotHeld", err)
		}
		expect(t, "GET after the old holder's release", some(b.Token()))(redisclient.Get(lockKey).Do(ctx, c))

		// A holder whose extensions find another token learns it at the
		// next one: here the key is overwritten behind its back.
		must(t, redisclient.Set(lockKey, "intruder").Do(ctx, c), "SET")
		err = lockWaitLost(t, b, 6*time.Second, "overwritten key")
		if !errors.Is(err, lock.ErrNotHeld) {
			t.Errorf("cause %v, want ErrNotHeld (an extension found another token)", err)
		}
		if err := b.Release(ctx); !errors.Is(err, lock.ErrNotHeld) {
			t.Errorf("Release after losing: %v, want ErrNotHeld", err)
		}
		expect(t, "GET after a refused release", some("intruder"))(redisclient.Get(lockKey).Do(ctx, c))
	})
}

func TestLockClientClosed(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	ctx := testCtx(t)
	const ttl = 600 * time.Millisecond
	name := key(t, "job")
	ca, err := redisclient.New(srv.Options(3))
	must(t, err, "New")
	a, err := lock.New(ca, lock.Options{TTL: ttl}).Acquire(ctx, name)
	must(t, err, "Acquire")
	// The holder's process "dies": its client closes, its extensions fail.
	must(t, ca.Close(), "Close")
	start := time.Now()
	b, err := lock.New(NewClient(t, srv.Options(2)), lock.Options{TTL: ttl, MinBackoff: 5 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}).Acquire(ctx, name)
	must(t, err, "Acquire after the holder's client closed")
	if el := time.Since(start); el > ttl+time.Second {
		t.Errorf("acquired after %v, want within about the TTL (%v)", el, ttl)
	}
	if b.Fence() != a.Fence()+1 {
		t.Errorf("fence %d after %d", b.Fence(), a.Fence())
	}
	lockWaitLost(t, a, 2*time.Second, "closed client")
	must(t, b.Release(ctx), "Release")
}

func TestLockAcquireCancel(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		l := lock.New(c, lock.Options{TTL: 10 * time.Second, MinBackoff: 50 * time.Millisecond, MaxBackoff: 2 * time.Second})
		name := key(t, "job")
		held, err := l.Acquire(ctx, name)
		must(t, err, "Acquire")

		short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		if _, err := l.Acquire(short, name); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Acquire of a held lock with a deadline: %v, want DeadlineExceeded", err)
		}
		if el := time.Since(start); el < 250*time.Millisecond || el > time.Second {
			t.Errorf("Acquire returned after %v, want ≈300ms", el)
		}

		cctx, cancel2 := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() {
			_, err := l.Acquire(cctx, name)
			done <- err
		}()
		time.Sleep(1500 * time.Millisecond) // backing off by now (up to 2s)
		start = time.Now()
		cancel2()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled Acquire: %v, want context.Canceled", err)
			}
			if el := time.Since(start); el > 500*time.Millisecond {
				t.Errorf("cancelled Acquire returned after %v", el)
			}
		case <-time.After(3 * time.Second):
			t.Fatal("Acquire did not return after its context was cancelled")
		}
		if err := held.Err(); err != nil {
			t.Errorf("the holder: %v, want held", err)
		}
		must(t, held.Release(ctx), "Release")
	})
}

func TestLockRestart(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"no-persistence", nil},
		{"aof", []string{"--appendonly", "yes", "--appendfsync", "always"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := StartServer(t, ServerConfig{Name: "lock-restart-" + tc.name, Args: tc.args})
			c := NewClient(t, srv.Options(3))
			ctx := testCtx(t)
			const ttl = 8 * time.Second
			l := lock.New(c, lock.Options{TTL: ttl, ExtendEvery: 200 * time.Millisecond, MinBackoff: 5 * time.Millisecond, MaxBackoff: 50 * time.Millisecond})
			const name = "jobs"
			var last *lock.Lock
			for range 3 {
				if last != nil {
					must(t, last.Release(ctx), "Release")
				}
				lk, err := l.Acquire(ctx, name)
				must(t, err, "Acquire")
				last = lk
			}
			a := last
			if a.Fence() != 3 {
				t.Fatalf("fence before the restart: %d, want 3", a.Fence())
			}

			srv.Stop(t)
			if tc.args != nil {
				// With AOF the lock's key survives a restart: let it expire
				// (its expiry is an absolute time).
				time.Sleep(ttl)
			}
			srv.Start(t)
			started := time.Now()
			err := lockWaitLost(t, a, ttl+2*time.Second, "after the restart")
			t.Logf("the holder lost the lock %v after the server came back: %v", time.Since(started), err)
			if tc.args == nil && !errors.Is(err, lock.ErrNotHeld) {
				// The key is gone at once; the next extension finds it so,
				// well before the TTL ends.
				t.Errorf("cause %v, want ErrNotHeld (an extension found no key)", err)
			}

			var b *lock.Lock
			if !cluWaitFor(20*time.Second, func() bool {
				actx, cancel := context.WithTimeout(ctx, 2*time.Second)
				defer cancel()
				b, err = l.Acquire(actx, name)
				return err == nil
			}) {
				t.Fatalf("no Acquire succeeded after the restart: %v", err)
			}
			if tc.args == nil {
				// Without persistence the counter is gone too: fencing
				// tokens start again (documented).
				if b.Fence() != 1 {
					t.Errorf("fence after a restart without persistence: %d, want 1", b.Fence())
				}
			} else if b.Fence() != 4 {
				t.Errorf("fence after a restart with appendfsync always: %d, want 4", b.Fence())
			}
			if err := a.Release(ctx); !errors.Is(err, lock.ErrNotHeld) {
				t.Errorf("Release by the holder from before the restart: %v, want ErrNotHeld", err)
			}
			must(t, b.Release(ctx), "Release")
		})
	}
}

func TestLockServerPaused(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "lock-paused"})
	c := NewClient(t, srv.Options(3))
	ctx := testCtx(t)
	const ttl = time.Second
	l := lock.New(c, lock.Options{TTL: ttl, ExtendEvery: 200 * time.Millisecond, MinBackoff: 5 * time.Millisecond, MaxBackoff: 50 * time.Millisecond})
	a, err := l.Acquire(ctx, "jobs")
	must(t, err, "Acquire")
	time.Sleep(300 * time.Millisecond)

	// The server stops answering: the extensions hang until the lock's
	// deadline, when the holder learns that it may have lost the lock
	// (the key expires on the server's clock meanwhile).
	srv.Pause(t)
	paused := time.Now()
	deadline := a.Deadline()
	err = lockWaitLost(t, a, 3*ttl, "server paused")
	if errors.Is(err, lock.ErrNotHeld) {
		t.Errorf("cause %v: no extension reached the server, want the TTL's end", err)
	}
	if late := time.Since(deadline); late < 0 || late > 500*time.Millisecond {
		t.Errorf("lost %v after the deadline (%v after the pause), want right at it", late, time.Since(paused))
	}
	time.Sleep(ttl) // past the key's expiry on the server's clock
	srv.Unpause(t)

	b, err := l.Acquire(ctx, "jobs")
	must(t, err, "Acquire after the pause")
	if b.Fence() != a.Fence()+1 {
		t.Errorf("fence %d after %d", b.Fence(), a.Fence())
	}
	if err := a.Release(ctx); !errors.Is(err, lock.ErrNotHeld) {
		t.Errorf("Release by the holder from before the pause: %v, want ErrNotHeld", err)
	}
	must(t, b.Release(ctx), "Release")
}

func TestLockCluster(t *testing.T) {
	t.Parallel()
	tc := startCluster(t, cluConfig{Name: "lock"})
	ctx := ctxFor(t, 90*time.Second)
	opts := lock.Options{TTL: 3 * time.Second, ExtendEvery: 200 * time.Millisecond, MinBackoff: 5 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}
	l, l2 := lock.New(tc.client(t, 3, nil), opts), lock.New(tc.client(t, 2, nil), opts)
	shards := tc.shards(t)

	// A lock on every master: both keys in its slot, exclusion across
	// clients.
	for _, sh := range shards {
		name := cluTags[sh.Slots[0]]
		lockKey, fenceKey := lock.Keys(name)
		lk, err := l.TryAcquire(ctx, name)
		must(t, err, "TryAcquire")
		expect(t, "EXISTS of both keys on the shard's master "+sh.Master.Addr, int64(2))(redisclient.Exists(lockKey, fenceKey).Do(ctx, sh.Master.Admin))
		if _, err := l2.TryAcquire(ctx, name); !errors.Is(err, lock.ErrNotAcquired) {
			t.Errorf("TryAcquire on the other client: %v, want ErrNotAcquired", err)
		}
		must(t, lk.Release(ctx), "Release")
	}

	// A manual failover of the shard of a held lock: the extensions follow
	// the slot to the new master, the lock stays held, and the counter
	// (replicated before the switch) goes on.
	victim := shards[1]
	name := cluTags[victim.Slots[0]]
	lockKey, _ := lock.Keys(name)
	a, err := l.Acquire(ctx, name)
	must(t, err, "Acquire")
	replica := victim.Replicas[0]
	must(t, redisclient.ClusterFailover().Do(ctx, replica.Admin), "CLUSTER FAILOVER")
	waitRole(t, replica, "master", 10*time.Second)
	time.Sleep(opts.TTL + time.Second)
	if err := a.Err(); err != nil {
		t.Fatalf("the holder after the failover and a TTL: %v, want held", err)
	}
	expect(t, "GET on the new master", some(a.Token()))(redisclient.Get(lockKey).Do(ctx, replica.Admin))
	if _, err := l2.TryAcquire(ctx, name); !errors.Is(err, lock.ErrNotAcquired) {
		t.Errorf("TryAcquire after the failover: %v, want ErrNotAcquired", err)
	}
	must(t, a.Release(ctx), "Release after the failover")
	b, err := l2.Acquire(ctx, name)
	must(t, err, "Acquire after the failover")
	if b.Fence() != a.Fence()+1 {
		t.Errorf("fence after the failover: %d, want %d", b.Fence(), a.Fence()+1)
	}
	must(t, b.Release(ctx), "Release")
}
