package transport

// Tests of NodeStats and PoolStats: the counters move where the events
// happen.

import (
	"errors"
	"testing"
	"time"
)

func TestNodeStatsPoolWaits(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, func(c *NodeConfig) { c.Conns = 1; c.Pool = PoolConfig{Size: 1} })
	waitConnected(t, n)
	ctx := testCtx(t, 10*time.Second)

	c, err := n.DedicatedConn(ctx, -1)
	if err != nil {
		t.Fatal(err)
	}
	st := n.Stats()
	if st.Addr != s.addr || st.Shared != 1 || st.Pool.Open != 1 || st.Pool.InUse != 1 || st.Pool.Idle != 0 || st.Pool.Waits != 0 {
		t.Fatalf("one dedicated connection in use: %+v", st)
	}

	// The pool is full: a caller waits until its context ends.
	if _, err := n.DedicatedConn(testCtx(t, 30*time.Millisecond), -1); !errors.Is(err, ErrPoolTimeout) {
		t.Fatalf("Get on a full pool: %v, want ErrPoolTimeout", err)
	}
	if st := n.Stats().Pool; st.Waits != 1 || st.WaitTimeouts != 1 || st.Waiting != 0 {
		t.Fatalf("after a timed-out wait: %+v", st)
	}

	// A waiter served by a release counts as a wait, not a timeout.
	got := make(chan error, 1)
	go func() {
		c2, err := n.DedicatedConn(ctx, -1)
		if err == nil {
			c2.Release()
		}
		got <- err
	}()
	waitFor(t, 5*time.Second, "a waiter", func() bool { return n.Stats().Pool.Waiting == 1 })
	c.Release()
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	st = n.Stats()
	if st.Pool.Waits != 2 || st.Pool.WaitTimeouts != 1 || st.Pool.InUse != 0 || st.Pool.Idle != 1 || st.Pool.Dials != 1 {
		t.Fatalf("after a served wait: %+v", st.Pool)
	}
	// One shared and one dedicated connection dialed, none failed.
	if st.Dials != 2 || st.DialErrors != 0 {
		t.Fatalf("dials %d, errors %d, want 2 and 0", st.Dials, st.DialErrors)
	}
}

func TestNodeStatsReconnect(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, func(c *NodeConfig) { c.Conns = 1 })
	waitConnected(t, n)
	if st := n.Stats(); st.Dials != 1 || st.DialErrors != 0 || st.Shared != 1 {
		t.Fatalf("connected: %+v", st)
	}

	// The server drops the connection and refuses new ones for a while:
	// a command notices (an idle connection may not), the node's attempts
	// fail, then one succeeds and the command (read-only) is retried.
	s.Refuse(true)
	s.Kill()
	done := make(chan error, 1)
	go func() {
		_, err := run(testCtx(t, 10*time.Second), n, mkCmd(FlagReadOnly, "PING"))
		done <- err
	}()
	waitFor(t, 5*time.Second, "failed dials", func() bool { return n.Stats().DialErrors >= 2 })
	s.Refuse(false)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "reconnected", func() bool { st := n.Stats(); return st.Dials == 2 && st.Shared == 1 })
}

func TestNodeStatsQueuedAndInFlight(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, func(c *NodeConfig) { c.Conns = 1 })
	waitConnected(t, n)
	ctx := testCtx(t, 10*time.Second)

	s.Pause()
	done := make(chan error, 3)
	for range 3 {
		go func() {
			_, err := run(ctx, n, mkCmd(FlagReadOnly, "PING"))
			done <- err
		}()
	}
	waitFor(t, 5*time.Second, "three commands waiting", func() bool {
		st := n.Stats()
		return st.Queued+st.InFlight == 3 && st.InFlight >= 1
	})
	s.Resume()
	for range 3 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 5*time.Second, "nothing waiting", func() bool {
		st := n.Stats()
		return st.Queued == 0 && st.InFlight == 0
	})

	// While no connection is up, commands wait in the offline queue: the
	// command that finds the connection dropped is retried there.
	s.Refuse(true)
	s.Kill()
	go func() {
		_, err := run(ctx, n, mkCmd(FlagReadOnly, "PING"))
		done <- err
	}()
	waitFor(t, 5*time.Second, "an offline command", func() bool {
		st := n.Stats()
		return st.Shared == 0 && st.Queued == 1 && st.InFlight == 0
	})
	s.Refuse(false)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
