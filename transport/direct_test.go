package transport

// Tests of the direct path: a caller alone on a shared connection writes
// and reads on its own goroutine; overlapping callers go through the
// writer and reader goroutines, and the connection comes back to the
// direct path when they stop. Cancellation at every step of a direct call
// leaves the connection in sync.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// skipIfAlwaysPipeline skips tests of the direct path itself.
func skipIfAlwaysPipeline(t *testing.T) {
	if *alwaysPipeline {
		t.Skip("-always-pipeline: these tests are about the direct path")
	}
}

// TestDirectPathAlone: one caller at a time runs every command on its own
// goroutine; no writer or reader goroutine starts.
func TestDirectPathAlone(t *testing.T) {
	skipIfAlwaysPipeline(t)
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, nil)
	waitConnected(t, n)
	ctx := testCtx(t, 5*time.Second)
	for i := range 200 {
		want := fmt.Sprint("alone-", i)
		if got := mustRun(t, ctx, n, mkCmd(0, "ECHO", want)); got != want {
			t.Fatalf("ECHO %s = %q", want, got)
		}
	}
	batch := []*Command{mkCmd(0, "ECHO", "a"), mkCmd(0, "ECHO", "b"), mkCmd(0, "ECHO", "c")}
	if err := n.DoMulti(ctx, batch); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"a", "b", "c"} {
		if got := replyText(batch[i].Reply()); got != want || batch[i].Err() != nil {
			t.Errorf("pipeline reply %d = %q, %v", i, got, batch[i].Err())
		}
		batch[i].Release()
	}
	if d, q, g := n.counts.direct.Load(), n.counts.queued.Load(), n.counts.goroutines.Load(); d != 201 || q != 0 || g != 0 {
		t.Errorf("direct calls %d, queued %d, goroutines started %d; want 201, 0, 0", d, q, g)
	}
}

// TestDirectPathSwitches: overlapping callers are batched by the writer
// and reader goroutines, every caller gets its own reply, and once they
// stop the goroutines exit and a lone caller takes the direct path again.
func TestDirectPathSwitches(t *testing.T) {
	skipIfAlwaysPipeline(t)
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, nil)
	waitConnected(t, n)
	base := runtime.NumGoroutine()
	for round := range 3 {
		var wg sync.WaitGroup
		for g := range 32 {
			wg.Go(func() {
				ctx := testCtx(t, 10*time.Second)
				for i := range 100 {
					want := fmt.Sprintf("r%d-g%d-%d", round, g, i)
					var got string
					var err error
					if i%5 == 0 {
						cmds := []*Command{mkCmd(0, "ECHO", want), mkCmd(0, "ECHO", want+"+")}
						if err = n.DoMulti(ctx, cmds); err == nil {
							got = replyText(cmds[0].Reply()) + "|" + replyText(cmds[1].Reply())
							want += "|" + want + "+"
						}
						cmds[0].Release()
						cmds[1].Release()
					} else {
						got, err = run(ctx, n, mkCmd(0, "ECHO", want))
					}
					if err != nil || got != want {
						t.Errorf("%q, %v; want %q", got, err, want)
						return
					}
				}
			})
		}
		wg.Wait()
		if n.counts.queued.Load() == 0 {
			t.Errorf("round %d: 32 callers never overlapped", round)
		}
		waitFor(t, 5*time.Second, "writer and reader goroutines to exit", func() bool { return runtime.NumGoroutine() <= base })
		before := n.counts.direct.Load()
		ctx := testCtx(t, 5*time.Second)
		for i := range 20 {
			want := fmt.Sprint("after-", round, "-", i)
			if got := mustRun(t, ctx, n, mkCmd(0, "ECHO", want)); got != want {
				t.Fatalf("ECHO %s = %q", want, got)
			}
		}
		if d := n.counts.direct.Load() - before; d != 20 {
			t.Errorf("round %d: %d of 20 lone calls took the direct path", round, d)
		}
	}
}

// gatedConn blocks writes while gate is set, as a full socket buffer does,
// honouring write deadlines.
type gatedConn struct {
	net.Conn
	gate *atomic.Bool

	mu      sync.Mutex // protects following fields
	wdl     time.Time
	changed chan struct{}
}

func (c *gatedConn) deadlineChanged(t time.Time) {
	c.mu.Lock()
	c.wdl = t
	if c.changed != nil {
		close(c.changed)
	}
	c.changed = make(chan struct{})
	c.mu.Unlock()
}

func (c *gatedConn) SetDeadline(t time.Time) error {
	c.deadlineChanged(t)
	return c.Conn.SetDeadline(t)
}

func (c *gatedConn) SetWriteDeadline(t time.Time) error {
	c.deadlineChanged(t)
	return c.Conn.SetWriteDeadline(t)
}

func (c *gatedConn) Write(p []byte) (int, error) {
	for c.gate.Load() {
		c.mu.Lock()
		if c.changed == nil {
			c.changed = make(chan struct{})
		}
		dl, ch := c.wdl, c.changed
		c.mu.Unlock()
		if !dl.IsZero() && !time.Now().Before(dl) {
			return 0, &net.OpError{Op: "write", Net: "tcp", Err: os.ErrDeadlineExceeded}
		}
		var tc <-chan time.Time
		if !dl.IsZero() {
			tm := time.NewTimer(time.Until(dl))
			defer tm.Stop()
			tc = tm.C
		}
		select {
		case <-ch:
		case <-tc:
		case <-time.After(5 * time.Millisecond): // the gate may open
		}
	}
	return c.Conn.Write(p)
}

// TestDirectCancelAtEveryStep: a direct call whose context ends before
// it starts, while it writes, while it waits for its reply and while it
// reads it returns its context's error promptly, and the commands after it
// get their own replies.
func TestDirectCancelAtEveryStep(t *testing.T) {
	skipIfAlwaysPipeline(t)
	s := newFakeServer(t, fakeOptions{})
	var gate atomic.Bool
	var events eventLog
	n := newTestNode(t, s, func(cfg *NodeConfig) {
		cfg.Conns = 1
		cfg.OnEvent = events.add
		cfg.Dial.NetDialer = func(ctx context.Context, network, addr string) (net.Conn, error) {
			var d net.Dialer
			nc, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &gatedConn{Conn: nc, gate: &gate}, nil
		}
	})
	waitConnected(t, n)
	inSync := func(step string) {
		t.Helper()
		ctx := testCtx(t, 5*time.Second)
		for i := range 5 {
			want := fmt.Sprint(step, "-", i)
			if got := mustRun(t, ctx, n, mkCmd(0, "ECHO", want)); got != want {
				t.Fatalf("after %s: ECHO %s = %q", step, want, got)
			}
		}
	}
	for _, useDeadline := range []bool{false, true} {
		ctxFor := func(d time.Duration) (context.Context, context.CancelFunc, error) {
			if useDeadline {
				ctx, cancel := context.WithTimeout(context.Background(), d)
				return ctx, cancel, context.DeadlineExceeded
			}
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(d, cancel)
			return ctx, cancel, context.Canceled
		}
		mode := map[bool]string{false: "cancel", true: "deadline"}[useDeadline]

		// Before the call: nothing is sent.
		ctx, cancel, want := ctxFor(0)
		time.Sleep(time.Millisecond)
		before := s.Count("SET")
		if _, err := run(ctx, n, setCmd("never", "x")); !errors.Is(err, want) {
			t.Errorf("%s before the call: %v", mode, err)
		}
		cancel()
		if s.Count("SET") != before {
			t.Errorf("%s before the call: the command was sent", mode)
		}
		inSync(mode + " before")

		// While waiting for the reply: the connection stays up, and the
		// late reply is discarded.
		closes := events.count(EventClose)
		ctx, cancel, want = ctxFor(30 * time.Millisecond)
		start := time.Now()
		if _, err := run(ctx, n, mkCmd(FlagWrite, "SLEEP", "200")); !errors.Is(err, want) {
			t.Errorf("%s while waiting: %v", mode, err)
		}
		cancel()
		if el := time.Since(start); el > 150*time.Millisecond {
			t.Errorf("%s while waiting: returned after %v", mode, el)
		}
		inSync(mode + " while waiting")
		if c := events.count(EventClose); c != closes {
			t.Errorf("%s while waiting: the connection was closed (%d close events)", mode, c-closes)
		}

		// While reading the reply: half of it came; the connection is
		// dropped (the reader cannot resume a reply half read).
		ctx, cancel, want = ctxFor(30 * time.Millisecond)
		start = time.Now()
		if _, err := run(ctx, n, mkCmd(FlagWrite, "PARTIAL", "200")); !errors.Is(err, want) {
			t.Errorf("%s mid-reply: %v", mode, err)
		}
		cancel()
		if el := time.Since(start); el > 150*time.Millisecond {
			t.Errorf("%s mid-reply: returned after %v", mode, el)
		}
		waitConnected(t, n)
		inSync(mode + " mid-reply")

		// While writing (the socket does not take the bytes): the
		// connection is dropped, since part of the command may be out.
		gate.Store(true)
		ctx, cancel, want = ctxFor(30 * time.Millisecond)
		start = time.Now()
		if _, err := run(ctx, n, setCmd("w", "x")); !errors.Is(err, want) {
			t.Errorf("%s while writing: %v", mode, err)
		}
		cancel()
		gate.Store(false)
		if el := time.Since(start); el > 150*time.Millisecond {
			t.Errorf("%s while writing: returned after %v", mode, el)
		}
		waitConnected(t, n)
		inSync(mode + " while writing")
	}
}

// TestDirectPushDuringRead: a push frame read by a direct caller before
// its reply goes to the push path, and the caller gets its own reply.
func TestDirectPushDuringRead(t *testing.T) {
	skipIfAlwaysPipeline(t)
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, nil)
	waitConnected(t, n)
	ctx := testCtx(t, 5*time.Second)
	for i := range 10 {
		if got := mustRun(t, ctx, n, mkCmd(0, "PUSHME", "invalidate", fmt.Sprint("k", i))); got != "OK" {
			t.Fatalf("PUSHME = %q", got)
		}
		if got := mustRun(t, ctx, n, mkCmd(0, "ECHO", "after")); got != "after" {
			t.Fatalf("ECHO after a push = %q", got)
		}
	}
	if p := n.counts.pushes.Load(); p != 10 {
		t.Errorf("%d push frames reached the push path, want 10", p)
	}
	if d := n.counts.direct.Load(); d != 20 {
		t.Errorf("%d of 20 calls took the direct path", d)
	}
}

// TestDirectConnDropped: the connection drops while a direct caller waits
// for its reply: a write fails with a ConnError (it may have run), a read
// is retried on a new connection.
func TestDirectConnDropped(t *testing.T) {
	skipIfAlwaysPipeline(t)
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, func(cfg *NodeConfig) { cfg.Conns = 1 })
	waitConnected(t, n)
	ctx := testCtx(t, 5*time.Second)
	_, err := run(ctx, n, mkCmd(FlagWrite, "DROP"))
	var ce *ConnError
	if !errors.As(err, &ce) {
		t.Fatalf("write dropped: err = %v, want a ConnError", err)
	}
	// A read-only command is sent again on a new connection, up to
	// MaxRetries times.
	waitConnected(t, n)
	_, err = run(ctx, n, mkCmd(FlagReadOnly, "DROP"))
	if !errors.As(err, &ce) {
		t.Fatalf("read dropped every time: err = %v, want a ConnError", err)
	}
	if got, want := s.Count("DROP"), int64(1+1+DefaultMaxRetries); got != want {
		t.Errorf("server saw %d DROP, want %d (the write once, the read and its retries)", got, want)
	}
	waitConnected(t, n)
	if got := mustRun(t, ctx, n, mkCmd(0, "ECHO", "x")); got != "x" {
		t.Fatalf("ECHO = %q", got)
	}
}
