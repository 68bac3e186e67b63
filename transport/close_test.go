package transport

// Tests of Close and of contexts that end while dedicated connections are
// dialed or used: nothing is sent after Close returns, waiting callers
// return promptly, and a caller whose context ended sees its error.

import (
	"context"
	"errors"
	"net"
	"os"
	"testing"
	"time"
)

// blpopCmd is a blocking command: it runs on a dedicated connection.
func blpopCmd() *Command { return mkCmd(FlagBlocking|FlagWrite, "BLPOP", "q", "0") }

// TestCloseStopsDedicatedDials: a blocking command waiting for its
// connection's handshake (the server does not answer) returns ErrClosed as
// soon as Close runs, not at the dial timeout, and the command never
// reaches the server afterwards.
func TestCloseStopsDedicatedDials(t *testing.T) {
	checkNoLeaks(t)
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, func(cfg *NodeConfig) { cfg.Dial.DialTimeout = 5 * time.Second })
	waitConnected(t, n)
	s.Pause() // handshakes of new connections get no answer

	errc := make(chan error, 1)
	go func() {
		cmd := blpopCmd()
		defer cmd.Release()
		errc <- n.Do(context.Background(), cmd)
	}()
	waitFor(t, 2*time.Second, "the dedicated dial", func() bool { return s.Count("HELLO") >= 2 })
	start := time.Now()
	within(t, time.Second, "Close", func() { n.Close() })
	select {
	case err := <-errc:
		if !errors.Is(err, ErrClosed) {
			t.Errorf("BLPOP during Close = %v, want ErrClosed", err)
		}
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Errorf("BLPOP returned %v after Close", d)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("BLPOP still waits 2s after Close")
	}
	s.Resume()
	time.Sleep(100 * time.Millisecond)
	if c := s.Count("BLPOP"); c != 0 {
		t.Fatalf("the server received %d BLPOP after Close", c)
	}
}

// TestCloseEndsBlockedDedicatedCommands: a blocking command in progress on
// a dedicated connection returns ErrClosed when the node closes.
func TestCloseEndsBlockedDedicatedCommands(t *testing.T) {
	checkNoLeaks(t)
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, nil)
	waitConnected(t, n)
	errc := make(chan error, 1)
	go func() {
		cmd := mkCmd(FlagBlocking, "SLEEP", "10000")
		defer cmd.Release()
		errc <- n.Do(context.Background(), cmd)
	}()
	waitFor(t, 2*time.Second, "the blocking command", func() bool { return s.Count("SLEEP") == 1 })
	within(t, time.Second, "Close", func() { n.Close() })
	select {
	case err := <-errc:
		if !errors.Is(err, ErrClosed) {
			t.Errorf("blocked command during Close = %v, want ErrClosed", err)
		}
	case <-time.After(time.Second):
		t.Fatal("the blocked command still waits 1s after Close")
	}
	if _, err := n.Pool().Get(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Pool.Get after Close = %v, want ErrClosed", err)
	}
}

// TestDeadlineDuringDialIsContextError: a caller whose deadline passes
// while its dedicated connection is being dialed sees
// context.DeadlineExceeded (errors.Is), with the dial error as detail.
func TestDeadlineDuringDialIsContextError(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, nil)
	waitConnected(t, n)
	s.Pause()
	defer s.Resume()
	for _, d := range []time.Duration{time.Microsecond, 200 * time.Microsecond, 20 * time.Millisecond} {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		cmd := blpopCmd()
		err := n.Do(ctx, cmd)
		cmd.Release()
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("deadline %v: err = %v, want context.DeadlineExceeded", d, err)
		}
	}
	// A socket deadline taken from the context's can fire before the
	// context's timer: the network error is then a plain i/o timeout.
	n2 := newTestNode(t, s, func(cfg *NodeConfig) {
		cfg.Dial.NetDialer = func(ctx context.Context, network, addr string) (net.Conn, error) {
			if dl, ok := ctx.Deadline(); ok && time.Until(dl) < time.Second {
				for time.Now().Before(dl) {
				}
				return nil, &net.OpError{Op: "dial", Net: network, Err: os.ErrDeadlineExceeded}
			}
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		}
	})
	s.Resume()
	waitConnected(t, n2)
	for range 20 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Millisecond)
		cmd := blpopCmd()
		err := n2.Do(ctx, cmd)
		cmd.Release()
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("socket deadline before the context's: err = %v, want context.DeadlineExceeded", err)
		}
	}
	s.Pause()

	// Cancellation too.
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	cmd := blpopCmd()
	defer cmd.Release()
	if err := n.Do(ctx, cmd); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled during the dial: err = %v, want context.Canceled", err)
	}
}

// TestPoolWaitEndsWithContextError: a caller waiting for a free dedicated
// connection sees both ErrPoolTimeout and its context's error.
func TestPoolWaitEndsWithContextError(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, func(cfg *NodeConfig) { cfg.Pool.Size = 1 })
	waitConnected(t, n)
	c, err := n.DedicatedConn(testCtx(t, time.Second), -1)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Release()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = n.DedicatedConn(ctx, -1)
	if !errors.Is(err, ErrPoolTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want ErrPoolTimeout and context.DeadlineExceeded", err)
	}
}
