package transport

import (
	"context"
	"crypto/tls"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// newTestPool returns a pool dialing s; Close runs at cleanup.
func newTestPool(t *testing.T, s *fakeServer, cfg PoolConfig) (*Pool, *atomic.Int32) {
	var dials atomic.Int32
	p := NewPool(cfg, func(ctx context.Context) (*Conn, error) {
		dials.Add(1)
		return Dial(ctx, &DialConfig{Addr: s.addr})
	})
	t.Cleanup(p.Close)
	return p, &dials
}

func TestPoolSizeAndWaiters(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	p, dials := newTestPool(t, s, PoolConfig{Size: 2})
	ctx := testCtx(t, 5*time.Second)
	c1, err := p.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := p.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c1 == c2 {
		t.Fatal("same connection handed out twice")
	}

	// Full: a caller waits until its context ends.
	start := time.Now()
	if _, err := p.Get(testCtx(t, 50*time.Millisecond)); !errors.Is(err, ErrPoolTimeout) {
		t.Errorf("Get on a full pool: %v, want ErrPoolTimeout", err)
	}
	if el := time.Since(start); el < 40*time.Millisecond || el > time.Second {
		t.Errorf("Get waited %v for a 50ms context", el)
	}
	if st := p.Stats(); st.Waiting != 0 || st.Open != 2 {
		t.Errorf("stats after a timed-out waiter: %+v", st)
	}

	// A waiter gets the next released connection.
	got := make(chan *Conn, 1)
	go func() {
		c, err := p.Get(ctx)
		if err != nil {
			t.Error(err)
		}
		got <- c
	}()
	waitFor(t, 5*time.Second, "waiter", func() bool { return p.Stats().Waiting == 1 })
	c1.Release()
	select {
	case c := <-got:
		if c != c1 {
			t.Errorf("waiter got a new connection instead of the released one")
		}
		mustRun(t, ctx, c, mkCmd(0, "PING"))
		c.Release()
	case <-time.After(5 * time.Second):
		t.Fatal("waiter not served")
	}
	c2.Release()
	if st := p.Stats(); st.Open != 2 || st.Idle != 2 || dials.Load() != 2 || st.Dials != 2 {
		t.Errorf("stats %+v, dials %d", st, dials.Load())
	}
	if s.Active() != 2 {
		t.Errorf("server has %d connections", s.Active())
	}
}

func TestPoolBrokenNotReused(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	p, dials := newTestPool(t, s, PoolConfig{Size: 1})
	ctx := testCtx(t, 5*time.Second)
	c, err := p.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A command abandoned mid-reply breaks the connection.
	if _, err := run(testCtx(t, 20*time.Millisecond), c, mkCmd(FlagBlocking, "SLEEP", "1000")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	c.Release()
	if st := p.Stats(); st.Open != 0 || st.Idle != 0 || st.Closes != 1 {
		t.Errorf("broken connection kept: %+v", st)
	}
	c2, err := p.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c2 == c || dials.Load() != 2 {
		t.Errorf("broken connection reused (dials %d)", dials.Load())
	}
	mustRun(t, ctx, c2, mkCmd(0, "PING"))

	// A connection that broke while idle is dropped on Get.
	c2.Release()
	c2.fail(errors.New("broken while idle"))
	c3, err := p.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c3 == c2 {
		t.Errorf("idle broken connection reused")
	}
	c3.Release()
}

// TestPoolIdleClosedByServer: connections the server closed while they
// sat idle (a restart, CLIENT KILL, the server's timeout) are not handed
// out: Get dials a fresh one, and a peek does not eat data a live
// connection has waiting.
func TestPoolIdleClosedByServer(t *testing.T) {
	for _, tc := range []struct {
		name string
		tls  bool
	}{{"TCP", false}, {"TLS", true}} {
		t.Run(tc.name, func(t *testing.T) {
			opts := fakeOptions{}
			dial := DialConfig{}
			if tc.tls {
				cert, roots := selfSigned(t)
				opts.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
				dial.TLS = &tls.Config{RootCAs: roots}
			}
			s := newFakeServer(t, opts)
			dial.Addr = s.addr
			var dials atomic.Int32
			p := NewPool(PoolConfig{Size: 2}, func(ctx context.Context) (*Conn, error) {
				dials.Add(1)
				return Dial(ctx, &dial)
			})
			t.Cleanup(p.Close)
			ctx := testCtx(t, 5*time.Second)
			c1, err := p.Get(ctx)
			if err != nil {
				t.Fatal(err)
			}
			mustRun(t, ctx, c1, mkCmd(0, "PING"))
			c1.Release()
			s.Kill()
			waitFor(t, 5*time.Second, "server side closed", func() bool { return s.Active() == 0 })
			time.Sleep(20 * time.Millisecond) // the FIN reaches the client's socket
			c2, err := p.Get(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if c2 == c1 || dials.Load() != 2 {
				t.Fatalf("a connection the server closed was handed out (dials %d)", dials.Load())
			}
			mustRun(t, ctx, c2, mkCmd(0, "PING"))
			c2.Release()
			// Alive and idle: handed out again, and still in step.
			c3, err := p.Get(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if c3 != c2 || dials.Load() != 2 {
				t.Errorf("a live idle connection was not reused (dials %d)", dials.Load())
			}
			mustRun(t, ctx, c3, mkCmd(0, "PING"))
			c3.Release()
			// A push frame waiting on an idle connection leaves it alive,
			// and the reply that follows is still the caller's.
			s.Push("message", "ch", "payload")
			time.Sleep(20 * time.Millisecond)
			c4, err := p.Get(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if c4 != c3 || dials.Load() != 2 {
				t.Errorf("a live idle connection with a push waiting was not reused (dials %d)", dials.Load())
			}
			if got := mustRun(t, ctx, c4, mkCmd(0, "ECHO", "after-push")); got != "after-push" {
				t.Errorf("ECHO after a waiting push: %q", got)
			}
			c4.Release()
		})
	}
}

func TestPoolMaxIdleAndReaping(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	p, _ := newTestPool(t, s, PoolConfig{Size: 4, MaxIdle: 2, IdleTimeout: 50 * time.Millisecond})
	ctx := testCtx(t, 5*time.Second)
	var cs []*Conn
	for range 4 {
		c, err := p.Get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	for _, c := range cs {
		c.Release()
	}
	if st := p.Stats(); st.Idle != 2 || st.Open != 2 || st.Closes != 2 {
		t.Errorf("MaxIdle 2: %+v", st)
	}
	waitFor(t, 5*time.Second, "idle connections reaped", func() bool {
		st := p.Stats()
		return st.Idle == 0 && st.Open == 0 && s.Active() == 0
	})
	if st := p.Stats(); st.Closes != 4 {
		t.Errorf("stats after reaping: %+v", st)
	}
	// The pool still works after reaping.
	c, err := p.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mustRun(t, ctx, c, mkCmd(0, "PING"))
	c.Release()
}

func TestPoolClose(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	p, _ := newTestPool(t, s, PoolConfig{Size: 2})
	ctx := testCtx(t, 5*time.Second)
	inUse, err := p.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	idle, err := p.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	idle.Release()

	// A waiter.
	waitErr := make(chan error, 1)
	busy, _ := p.Get(ctx) // takes the idle one
	go func() {
		_, err := p.Get(ctx)
		waitErr <- err
	}()
	waitFor(t, 5*time.Second, "waiter", func() bool { return p.Stats().Waiting == 1 })
	busy.Release() // hands it to the waiter... or not: Close races
	p.Close()
	if err := <-waitErr; err != nil && !errors.Is(err, ErrClosed) {
		t.Errorf("waiter: %v", err)
	}
	if _, err := p.Get(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("Get after Close: %v", err)
	}
	// A connection in use is closed too: nothing more is sent on it.
	ping := mkCmd(0, "PING")
	defer ping.Release()
	if err := inUse.Do(ctx, ping); !errors.Is(err, ErrClosed) {
		t.Errorf("PING on a connection in use after Close: %v, want ErrClosed", err)
	}
	inUse.Release()
	p.Close() // idempotent
}

func TestPoolCloseWakesWaiters(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	p, _ := newTestPool(t, s, PoolConfig{Size: 1})
	ctx := testCtx(t, 5*time.Second)
	c, err := p.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 3)
	for range 3 {
		go func() {
			_, err := p.Get(ctx)
			errs <- err
		}()
	}
	waitFor(t, 5*time.Second, "waiters", func() bool { return p.Stats().Waiting == 3 })
	p.Close()
	for range 3 {
		if err := <-errs; !errors.Is(err, ErrClosed) {
			t.Errorf("waiter: %v", err)
		}
	}
	c.Release()
	waitFor(t, 5*time.Second, "connections closed", func() bool { return s.Active() == 0 })
}

func TestPoolDialError(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	var fail atomic.Bool
	boom := errors.New("boom")
	p := NewPool(PoolConfig{Size: 1}, func(ctx context.Context) (*Conn, error) {
		if fail.Load() {
			return nil, boom
		}
		return Dial(ctx, &DialConfig{Addr: s.addr})
	})
	defer p.Close()
	ctx := testCtx(t, 5*time.Second)
	fail.Store(true)
	if _, err := p.Get(ctx); !errors.Is(err, boom) {
		t.Errorf("err = %v", err)
	}
	if st := p.Stats(); st.Open != 0 {
		t.Errorf("failed dial kept its slot: %+v", st)
	}
	fail.Store(false)
	c, err := p.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A failing dial for a waiter hands the slot on.
	fail.Store(true)
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			c, err := p.Get(ctx)
			if err == nil {
				c.Release()
			}
			errs <- err
		}()
	}
	waitFor(t, 5*time.Second, "waiters", func() bool { return p.Stats().Waiting == 2 })
	c.Close()
	c.Release()
	for range 2 {
		if err := <-errs; !errors.Is(err, boom) {
			t.Errorf("waiter: %v", err)
		}
	}
	if st := p.Stats(); st.Open != 0 || st.Waiting != 0 {
		t.Errorf("stats %+v", st)
	}
}

// TestPoolStress hammers Get and Release with short timeouts: the pool
// never exceeds its size, every connection handed out is exclusive, and
// the counters balance at the end.
func TestPoolStress(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	p, _ := newTestPool(t, s, PoolConfig{Size: 3, MaxIdle: 2})
	var inUse sync.Map
	var wg sync.WaitGroup
	var served, timedOut atomic.Int32
	for g := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				ctx, cancel := context.WithTimeout(context.Background(), time.Duration(1+(g+i)%5)*time.Millisecond)
				c, err := p.Get(ctx)
				cancel()
				if err != nil {
					// The context may also end during a dial.
					var de *DialError
					if !errors.Is(err, ErrPoolTimeout) && !errors.As(err, &de) {
						t.Errorf("Get: %v", err)
						return
					}
					timedOut.Add(1)
					continue
				}
				if _, loaded := inUse.LoadOrStore(c, true); loaded {
					t.Errorf("connection handed out twice")
				}
				if st := p.Stats(); st.Open > 3 {
					t.Errorf("open %d > size", st.Open)
				}
				if i%7 == 0 {
					c.fail(errors.New("simulated breakage"))
				}
				inUse.Delete(c)
				c.Release()
				served.Add(1)
			}
		}()
	}
	wg.Wait()
	st := p.Stats()
	if st.Waiting != 0 || st.Open != st.Idle || st.Open > 2 {
		t.Errorf("final stats %+v", st)
	}
	if st.Dials-st.Closes != int64(st.Open) {
		t.Errorf("dials %d - closes %d != open %d", st.Dials, st.Closes, st.Open)
	}
	t.Logf("served %d, timed out %d, %+v", served.Load(), timedOut.Load(), st)
}
