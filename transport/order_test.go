package transport

// Tests of what a shared connection may be asked to write: never an empty
// command or one that breaks the one-reply-per-command rule, and commands
// of one slot stay in order even when their callers give up.

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestEmptyCommandNeverWritten: a command without arguments would be
// skipped by the server without a reply, so every later reply on the
// connection would go to the caller before its own. It is refused before
// anything is written, on shared and dedicated connections.
func TestEmptyCommandNeverWritten(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, func(cfg *NodeConfig) { cfg.Conns = 1 })
	waitConnected(t, n)
	for _, k := range []string{"a", "b", "c"} {
		s.Set(0, "e:"+k, k)
	}

	empty := AcquireCommand()
	defer empty.Release()
	if err := n.Do(testCtx(t, time.Second), empty); !errors.Is(err, ErrEmptyCommand) {
		t.Fatalf("Do(empty) = %v, want ErrEmptyCommand", err)
	}
	batch := []*Command{getCmd("e:a"), empty}
	if err := n.DoMulti(testCtx(t, time.Second), batch); !errors.Is(err, ErrEmptyCommand) {
		t.Fatalf("DoMulti with an empty command = %v, want ErrEmptyCommand", err)
	}
	batch[0].Release()

	// Every later caller gets its own reply.
	var wg sync.WaitGroup
	for _, k := range []string{"a", "b", "c"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := run(testCtx(t, 2*time.Second), n, getCmd("e:"+k))
			if err != nil || got != k {
				t.Errorf("GET e:%s = %q, %v; want %q", k, got, err, k)
			}
		}()
	}
	wg.Wait()

	c, err := n.DedicatedConn(testCtx(t, time.Second), -1)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Release()
	if err := c.Do(testCtx(t, time.Second), empty); !errors.Is(err, ErrEmptyCommand) {
		t.Fatalf("Conn.Do(empty) = %v, want ErrEmptyCommand", err)
	}
	if got := mustRun(t, testCtx(t, time.Second), c, getCmd("e:b")); got != "b" {
		t.Fatalf("GET on the dedicated connection after the refusal = %q", got)
	}
}

// TestSharedConnRefusesReplyBreakingCommands: commands answered with no
// reply or several, or that change the connection for everyone, are
// refused on shared connections whatever flags they were built with.
func TestSharedConnRefusesReplyBreakingCommands(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, nil)
	waitConnected(t, n)
	for _, args := range [][]string{
		{"SUBSCRIBE", "ch"}, {"psubscribe", "p*"}, {"SSUBSCRIBE", "s"}, {"UNSUBSCRIBE"},
		{"PUNSUBSCRIBE"}, {"SUNSUBSCRIBE"}, {"MONITOR"}, {"client", "reply", "off"},
		{"CLIENT", "REPLY", "SKIP"}, {"CLIENT", "TRACKING", "on"}, {"RESET"}, {"QUIT"},
		{"HELLO", "2"}, {"AUTH", "x"}, {"SELECT", "1"}, {"MULTI"}, {"EXEC"}, {"DISCARD"},
		{"WATCH", "k"}, {"UNWATCH"}, {"SYNC"}, {"PSYNC", "?", "-1"}, {"READONLY"}, {"READWRITE"},
		{"REPLCONF", "ack", "0"},
	} {
		cmd := mkCmd(0, args...)
		err := n.Do(testCtx(t, time.Second), cmd)
		var cse *ConnStateError
		if !errors.As(err, &cse) {
			t.Errorf("Do(%v) = %v, want a ConnStateError", args, err)
		}
		if err := n.DoMulti(testCtx(t, time.Second), []*Command{cmd}); !errors.As(err, &cse) {
			t.Errorf("DoMulti(%v) = %v, want a ConnStateError", args, err)
		}
		cmd.Release()
	}
	// CLIENT CACHING answers once and only marks the next command: the
	// client-side cache sends it in a batch on shared connections.
	for _, args := range [][]string{{"CLIENT", "CACHING", "YES"}, {"CLIENT", "ID"}, {"PING"}} {
		if breaksSharedConn(mkCmd(0, args...).args) {
			t.Errorf("%v refused on shared connections", args)
		}
	}
	if got := mustRun(t, testCtx(t, time.Second), n, mkCmd(0, "PING")); got != "PONG" {
		t.Fatalf("PING after the refusals = %q", got)
	}
}

// TestAbandonedWriteDoesNotOvertakeLaterOne: a SET whose caller gave up
// after it was written may still run; a later SET of the same key from the
// same client must run after it, not on another connection before it.
func TestAbandonedWriteDoesNotOvertakeLaterOne(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, func(cfg *NodeConfig) { cfg.Conns = 2 })
	waitFor(t, 5*time.Second, "two connections", func() bool { return len(n.livePipes()) == 2 })

	first := mkCmd(FlagWrite, "SLOWSET", "o:k", "old", "300") // the server sleeps on it
	defer first.Release()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := n.Do(ctx, first); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("slow SET = %v, want a deadline", err)
	}
	if got := mustRun(t, testCtx(t, 2*time.Second), n, setCmd("o:k", "new")); got != "OK" {
		t.Fatalf("SET = %q", got)
	}
	waitFor(t, 2*time.Second, "the abandoned command's reply", func() bool { return n.pins.live.Load() == 0 })
	if v, _ := s.Get(0, "o:k"); v != "new" {
		t.Fatalf("o:k = %q after the later SET returned OK: the abandoned SET overtook it", v)
	}

	// A pipeline abandoned with a cross-slot command pins every slot it
	// touches: a later SET of its second key waits behind it.
	slow := mkCmd(FlagWrite, "SLOWSET", "o:p1", "old", "300")
	mset := mkCmd(FlagWrite, "MSET", "o:p1", "old", "o:p2", "old")
	defer slow.Release()
	defer mset.Release()
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := n.DoMulti(ctx, []*Command{slow, mset}); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(mset.Err(), context.DeadlineExceeded) {
		t.Fatalf("MSET in the abandoned pipeline: err %v", mset.Err())
	}
	if got := mustRun(t, testCtx(t, 2*time.Second), n, setCmd("o:p2", "new")); got != "OK" {
		t.Fatalf("SET = %q", got)
	}
	waitFor(t, 2*time.Second, "the abandoned pipeline's replies", func() bool { return n.pins.live.Load() == 0 })
	if v, _ := s.Get(0, "o:p2"); v != "new" {
		t.Fatalf("o:p2 = %q: the abandoned MSET overtook the later SET", v)
	}
}

// TestPinsOnTwoConnectionsWait: commands of one slot abandoned on two
// connections (issued together) both precede a later command of that slot:
// it waits until one of them has been answered, then follows the other.
func TestPinsOnTwoConnectionsWait(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, func(cfg *NodeConfig) { cfg.Conns = 2 })
	waitFor(t, 5*time.Second, "two connections", func() bool { return len(n.livePipes()) == 2 })

	var wg sync.WaitGroup
	for _, d := range []string{"200", "400"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			cmd := mkCmd(FlagWrite, "SLOWSET", "w:k", "old"+d, d)
			defer cmd.Release()
			n.Do(ctx, cmd)
		}()
		time.Sleep(5 * time.Millisecond) // the second goes to the other, idle connection
	}
	wg.Wait()
	start := time.Now()
	if got := mustRun(t, testCtx(t, 2*time.Second), n, setCmd("w:k", "new")); got != "OK" {
		t.Fatalf("SET = %q", got)
	}
	if waited := time.Since(start); waited < 100*time.Millisecond {
		t.Errorf("the later SET returned after %v, before the first abandoned SET was answered", waited)
	}
	waitFor(t, 2*time.Second, "the abandoned commands' replies", func() bool { return n.pins.live.Load() == 0 })
	if v, _ := s.Get(0, "w:k"); v != "new" {
		t.Fatalf("w:k = %q: an abandoned SET overtook the later one", v)
	}
}

// TestPinsDroppedWithTheirConnection: when the connection carrying an
// abandoned command fails, its pins go with it and later commands of the
// slot run on the connections that are up.
func TestPinsDroppedWithTheirConnection(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, func(cfg *NodeConfig) { cfg.Conns = 2 })
	waitFor(t, 5*time.Second, "two connections", func() bool { return len(n.livePipes()) == 2 })
	cmd := mkCmd(FlagWrite, "SLOWSET", "d:k", "old", "5000")
	defer cmd.Release()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	n.Do(ctx, cmd)
	if n.pins.live.Load() != 1 {
		t.Fatalf("pins after the abandon: %d, want 1", n.pins.live.Load())
	}
	old := n.livePipes()
	s.Kill()
	waitFor(t, 5*time.Second, "pins dropped", func() bool { return n.pins.live.Load() == 0 })
	waitFor(t, 5*time.Second, "new connections", func() bool {
		n.Connected() // notices idle connections the server closed
		live := n.livePipes()
		return len(live) == 2 && !slices.Contains(old, live[0]) && !slices.Contains(old, live[1])
	})
	if got := mustRun(t, testCtx(t, 5*time.Second), n, setCmd("d:k", "new")); got != "OK" {
		t.Fatalf("SET after the connection failed = %q", got)
	}
}
