package transport

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redkit-go/redkit/transport/resp"
)

func TestNodeBasic(t *testing.T) {
	for _, noHello := range []bool{false, true} {
		t.Run(fmt.Sprint("NoHello=", noHello), func(t *testing.T) {
			s := newFakeServer(t, fakeOptions{NoHello: noHello})
			n := newTestNode(t, s, nil)
			ctx := testCtx(t, 5*time.Second)
			steps := []struct {
				cmd  *Command
				want string
			}{
				{setCmd("a", "1"), "OK"},
				{getCmd("a"), "1"},
				{mkCmd(FlagWrite, "INCR", "a"), "2"},
				{getCmd("a"), "2"},
				{mkCmd(FlagWrite, "DEL", "a"), "1"},
				{getCmd("a"), "(nil)"},
				{mkCmd(0, "ECHO", "hi"), "hi"},
				{mkCmd(0, "NOPE"), "ERR:ERR unknown command 'NOPE'"},
			}
			for _, st := range steps {
				name := st.cmd.Name()
				if got := mustRun(t, ctx, n, st.cmd); got != st.want {
					t.Errorf("%s = %q, want %q", name, got, st.want)
				}
			}
			if n.Addr() != s.addr || !n.Connected() {
				t.Errorf("Addr %q, Connected %v", n.Addr(), n.Connected())
			}
		})
	}
}

// TestNodePipelining runs many goroutines with unique keys and values on
// one node: every reply must be the caller's own.
func TestNodePipelining(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, nil)
	waitConnected(t, n)
	const goroutines, ops = 200, 200
	ctx := testCtx(t, 60*time.Second)
	before := s.reads.Load()
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			key := fmt.Sprintf("key-%d", g)
			for i := range ops {
				val := fmt.Sprintf("val-%d-%d", g, i)
				got, err := run(ctx, n, setCmd(key, val))
				if err != nil || got != "OK" {
					t.Errorf("SET %s: %q, %v", key, got, err)
					return
				}
				got, err = run(ctx, n, getCmd(key))
				if err != nil || got != val {
					t.Errorf("GET %s = %q, %v; want %q (a reply went to the wrong caller)", key, got, err, val)
					return
				}
			}
		})
	}
	wg.Wait()
	cmds := int64(goroutines * ops * 2)
	reads := s.reads.Load() - before
	t.Logf("%d commands in %d server reads (%.1f commands per read)", cmds, reads, float64(cmds)/float64(reads))
	if reads >= cmds/2 {
		t.Errorf("little batching: %d reads for %d commands", reads, cmds)
	}
}

func TestNodeDoMulti(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, nil)
	ctx := testCtx(t, 30*time.Second)
	var wg sync.WaitGroup
	for g := range 20 {
		wg.Go(func() {
			for round := range 20 {
				var cmds []*Command
				for i := range 25 {
					k := fmt.Sprintf("m-%d-%d", g, i)
					cmds = append(cmds, setCmd(k, fmt.Sprint(round, ":", i)), getCmd(k), mkCmd(FlagWrite, "INCR", fmt.Sprint("ctr-", g)))
				}
				if err := n.DoMulti(ctx, cmds); err != nil {
					t.Error(err)
					return
				}
				for i := range 25 {
					set, get, incr := cmds[3*i], cmds[3*i+1], cmds[3*i+2]
					if set.Err() != nil || get.Err() != nil || incr.Err() != nil {
						t.Errorf("errors: %v %v %v", set.Err(), get.Err(), incr.Err())
						return
					}
					want := int64(round*25 + i + 1)
					if replyText(set.Reply()) != "OK" || replyText(get.Reply()) != fmt.Sprint(round, ":", i) || incr.Reply().Int() != want {
						t.Errorf("goroutine %d round %d entry %d: %s %s %s", g, round, i, set.Reply(), get.Reply(), incr.Reply())
						return
					}
				}
				releaseAll(cmds)
			}
		})
	}
	wg.Wait()
	if err := n.DoMulti(ctx, nil); err != nil {
		t.Errorf("empty DoMulti: %v", err)
	}
}

// TestNodeCancelDelayedReply cancels a command whose reply is slow: the
// caller returns at once, the commands behind it get their own replies,
// and the late reply is discarded, even when the caller reuses the command
// right away.
func TestNodeCancelDelayedReply(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, func(c *NodeConfig) { c.Conns = 1 })
	waitConnected(t, n)
	ctx := testCtx(t, 10*time.Second)
	s.Set(0, "k", "v")

	sleep := mkCmd(FlagWrite, "SLEEP", "500")
	defer sleep.Release()
	// Queued behind the slow command on the same connection.
	behind := make(chan string, 1)
	go func() {
		time.Sleep(20 * time.Millisecond)
		got, err := run(ctx, n, getCmd("k"))
		if err != nil {
			t.Error(err)
		}
		behind <- got
	}()
	sctx, cancel := context.WithTimeout(ctx, 60*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := n.Do(sctx, sleep)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if el := time.Since(start); el > 400*time.Millisecond {
		t.Errorf("cancelled command returned after %v", el)
	}
	// Reuse the abandoned command at once: it must get its own reply, not
	// the late SLEEP reply.
	sleep.Release()
	reused := AcquireCommand()
	reused.SetMeta(Meta{Flags: FlagReadOnly})
	reused.Append(String("ECHO"))
	reused.Append(String("mine"))
	if got, err := run(ctx, n, reused); err != nil || got != "mine" {
		t.Errorf("reused command = %q, %v", got, err)
	}
	sleep = AcquireCommand() // for the deferred Release
	if got := <-behind; got != "v" {
		t.Errorf("command behind the cancelled one = %q", got)
	}
	for i := range 50 {
		want := fmt.Sprint("after-", i)
		if got := mustRun(t, ctx, n, mkCmd(0, "ECHO", want)); got != want {
			t.Fatalf("desynchronized: ECHO %s = %q", want, got)
		}
	}
}

// TestNodeCancelStress cancels commands at random moments while replies
// are delayed at random: every command that succeeds has its own reply.
func TestNodeCancelStress(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, func(c *NodeConfig) { c.Conns = 2 })
	waitConnected(t, n)
	var wg sync.WaitGroup
	var ok, cancelled atomic.Int64
	for g := range 50 {
		wg.Go(func() {
			for i := range 100 {
				want := fmt.Sprintf("echo-%d-%d", g, i)
				var cmd *Command
				if i%10 == 0 {
					cmd = mkCmd(FlagWrite, "SLEEP", fmt.Sprint(rand.IntN(3)))
					want = "OK"
				} else {
					cmd = mkCmd(FlagReadOnly, "ECHO", want)
				}
				ctx, cancel := context.WithTimeout(context.Background(), time.Duration(rand.IntN(20000))*time.Microsecond)
				got, err := run(ctx, n, cmd)
				cancel()
				switch {
				case err == nil && got == want:
					ok.Add(1)
				case err == nil:
					t.Errorf("got %q, want %q: a reply went to the wrong caller", got, want)
					return
				case errors.Is(err, context.DeadlineExceeded):
					cancelled.Add(1)
				default:
					t.Errorf("unexpected error: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	t.Logf("%d ok, %d cancelled", ok.Load(), cancelled.Load())
	// Still in sync.
	ctx := testCtx(t, 5*time.Second)
	for i := range 20 {
		want := fmt.Sprint("final-", i)
		if got := mustRun(t, ctx, n, mkCmd(0, "ECHO", want)); got != want {
			t.Fatalf("ECHO %s = %q", want, got)
		}
	}
}

// TestNodeCancelBeforeWrite: commands whose context ends while they wait
// in the (offline) queue are never sent.
func TestNodeCancelBeforeWrite(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	s.Refuse(true)
	n := newTestNode(t, s, nil)
	for i := range 5 {
		_, err := run(testCtx(t, 30*time.Millisecond), n, setCmd(fmt.Sprint("never-", i), "x"))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v", err)
		}
	}
	// A context that already ended: not even queued.
	done, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := run(done, n, setCmd("never-x", "x")); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	s.Refuse(false)
	ctx := testCtx(t, 5*time.Second)
	mustRun(t, ctx, n, setCmd("sent", "y"))
	if got := s.Count("SET"); got != 1 {
		t.Errorf("server saw %d SETs, want only the last one", got)
	}
	for i := range 5 {
		if _, ok := s.Get(0, fmt.Sprint("never-", i)); ok {
			t.Errorf("cancelled SET never-%d ran", i)
		}
	}
}

// TestNodeReconnectInFlight kills the connection with a write and a read in
// flight: the write fails with *ConnError, the read is retried on the new
// connection and succeeds.
func TestNodeReconnectInFlight(t *testing.T) {
	checkNoLeaks(t)
	s := newFakeServer(t, fakeOptions{})
	var events eventLog
	n := newTestNode(t, s, func(c *NodeConfig) {
		c.Conns = 1
		c.OnEvent = events.add
	})
	waitConnected(t, n)
	s.Set(0, "k", "v")
	ctx := testCtx(t, 10*time.Second)

	s.Pause()
	type result struct {
		got string
		err error
	}
	setDone, getDone := make(chan result, 1), make(chan result, 1)
	go func() {
		got, err := run(ctx, n, setCmd("w", "1"))
		setDone <- result{got, err}
	}()
	waitFor(t, 5*time.Second, "SET received", func() bool { return s.Count("SET") == 1 })
	go func() {
		got, err := run(ctx, n, getCmd("k"))
		getDone <- result{got, err}
	}()
	// The paused server does not read it, but it is written: in flight.
	waitFor(t, 5*time.Second, "GET written", func() bool { return n.inflight() == 2 })
	// Kill, and refuse new connections for a moment, so that the node
	// goes through reconnecting.
	s.Refuse(true)
	s.Kill()
	s.Resume()

	r := <-setDone
	var ce *ConnError
	if !errors.As(r.err, &ce) || ce.Addr != s.addr {
		t.Errorf("in-flight SET: %q, %v; want *ConnError", r.got, r.err)
	}
	waitFor(t, 5*time.Second, "reconnecting event", func() bool { return events.count(EventReconnecting) > 0 })
	s.Refuse(false)
	r = <-getDone
	if r.err != nil || r.got != "v" {
		t.Errorf("in-flight GET: %q, %v; want it retried", r.got, r.err)
	}
	if got := s.Count("GET"); got < 1 {
		t.Errorf("server saw %d GETs", got)
	}
	waitFor(t, 5*time.Second, "events", func() bool { return events.count(EventReady) >= 2 })
	if st := n.Stats(); st.Reconnects != 1 || st.Dials != 2 || st.Shared != 1 {
		t.Errorf("stats after one reconnection: %+v; want Reconnects 1, Dials 2, Shared 1", st)
	}
	if events.count(EventConnect) < 2 || events.count(EventClose) != 1 {
		t.Errorf("events %v", events.events())
	}
	for _, ev := range events.events() {
		if ev.Addr != s.addr {
			t.Errorf("event without address: %+v", ev)
		}
		if ev.Type == EventReconnecting && (ev.Attempt < 1 || ev.Err == nil) {
			t.Errorf("reconnecting event %+v", ev)
		}
	}
}

// TestNodeReconnectUnderLoad kills every connection repeatedly under
// concurrent load: reads succeed (retried), writes succeed or fail with
// *ConnError, nothing hangs and no reply goes to the wrong caller.
func TestNodeReconnectUnderLoad(t *testing.T) {
	checkNoLeaks(t)
	s := newFakeServer(t, fakeOptions{})
	var events eventLog
	n := newTestNode(t, s, func(c *NodeConfig) {
		c.OnEvent = events.add
		c.MaxRetries = 10
	})
	waitConnected(t, n)
	s.SetDelay(200 * time.Microsecond) // keep commands in flight

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var reads, writes, writeErrs atomic.Int64
	for g := range 40 {
		wg.Go(func() {
			key := fmt.Sprint("load-", g)
			last, uncertain := "(nil)", "" // the key does not exist yet
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				val := fmt.Sprint(g, "-", i)
				got, err := run(ctx, n, setCmd(key, val))
				writes.Add(1)
				if err != nil {
					var ce *ConnError
					if !errors.As(err, &ce) {
						t.Errorf("SET: %v, want *ConnError", err)
						cancel()
						return
					}
					writeErrs.Add(1)
					uncertain = val // may or may not have run
				} else if got != "OK" {
					t.Errorf("SET = %q", got)
				} else {
					last, uncertain = val, ""
				}
				got, err = run(ctx, n, getCmd(key))
				cancel()
				reads.Add(1)
				if err != nil {
					t.Errorf("GET: %v (reads must be retried)", err)
					return
				}
				if got != last && got != uncertain {
					t.Errorf("GET %s = %q, want %q (or %q)", key, got, last, uncertain)
					return
				}
				if got == uncertain {
					last, uncertain = got, ""
				}
			}
		})
	}
	for range 5 {
		time.Sleep(40 * time.Millisecond)
		s.Kill()
	}
	time.Sleep(40 * time.Millisecond)
	close(stop)
	within(t, 15*time.Second, "load goroutines", wg.Wait)
	t.Logf("%d reads, %d writes (%d failed in flight); server GETs %d; events: %d close, %d ready",
		reads.Load(), writes.Load(), writeErrs.Load(), s.Count("GET"), events.count(EventClose), events.count(EventReady))
	if s.Count("GET") <= reads.Load() {
		t.Errorf("no read was retried (server %d, client %d)", s.Count("GET"), reads.Load())
	}
	if events.count(EventClose) < 5 {
		t.Errorf("%d close events for 5 kills", events.count(EventClose))
	}
}

func TestNodeRetryLimits(t *testing.T) {
	cases := []struct {
		name       string
		flags      Flags
		maxRetries int
		retryWrite bool
		wantSent   int64
	}{
		{"ReadDefault", FlagReadOnly, 0, false, 1 + DefaultMaxRetries},
		{"ReadTwice", FlagReadOnly, 2, false, 3},
		{"ReadNoRetries", FlagReadOnly, -1, false, 1},
		{"Write", FlagWrite, 0, false, 1},
		{"RetryWrites", FlagWrite, 1, true, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newFakeServer(t, fakeOptions{})
			n := newTestNode(t, s, func(c *NodeConfig) {
				c.MaxRetries = tc.maxRetries
				c.RetryWrites = tc.retryWrite
			})
			_, err := run(testCtx(t, 10*time.Second), n, mkCmd(tc.flags, "DROP"))
			var ce *ConnError
			if !errors.As(err, &ce) {
				t.Errorf("err = %v, want *ConnError", err)
			}
			if got := s.Count("DROP"); got != tc.wantSent {
				t.Errorf("sent %d times, want %d", got, tc.wantSent)
			}
			// The command's retry budget does not carry over when it is
			// reused.
			if tc.wantSent > 1 {
				cmd := mkCmd(tc.flags, "DROP")
				defer cmd.Release()
				for range 2 {
					n.Do(testCtx(t, 10*time.Second), cmd)
				}
				if got := s.Count("DROP"); got != 3*tc.wantSent {
					t.Errorf("reused command sent %d times in all, want %d", got, 3*tc.wantSent)
				}
			}
		})
	}
}

func TestNodeReconnectStrategyGivesUp(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	s.Refuse(true)
	var events eventLog
	var mu sync.Mutex
	var attempts []int
	n := newTestNode(t, s, func(c *NodeConfig) {
		c.OnEvent = events.add
		c.Reconnect = func(attempt int, err error) (time.Duration, bool) {
			mu.Lock()
			attempts = append(attempts, attempt)
			mu.Unlock()
			if err == nil {
				t.Errorf("strategy called without the error")
			}
			return 5 * time.Millisecond, attempt < 3
		}
	})
	start := time.Now()
	_, err := run(testCtx(t, 10*time.Second), n, getCmd("k"))
	if err == nil || !strings.Contains(err.Error(), "gave up") {
		t.Fatalf("err = %v, want the give-up error", err)
	}
	var de *DialError
	if !errors.As(err, &de) {
		t.Errorf("give-up error %v does not wrap the last dial error", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("took %v", el)
	}
	waitFor(t, 5*time.Second, "end event", func() bool { return events.count(EventEnd) == 1 })
	mu.Lock()
	if fmt.Sprint(attempts) != "[1 2 3]" {
		t.Errorf("attempts %v", attempts)
	}
	mu.Unlock()
	for _, ev := range events.events() {
		if ev.Type == EventEnd && ev.Err == nil {
			t.Errorf("end event without error")
		}
	}
	if events.count(EventReconnecting) != 2 {
		t.Errorf("events %v", events.events())
	}
	// Later commands fail at once with the same error.
	s.Refuse(false)
	if _, err2 := run(context.Background(), n, getCmd("k")); err2 == nil || err2.Error() != err.Error() {
		t.Errorf("later command: %v", err2)
	}
	n.Close()
	if c := events.count(EventEnd); c != 1 {
		t.Errorf("%d end events", c)
	}
}

// TestNodeGiveUpRace issues commands without deadlines while the strategy
// gives up: none may be left waiting forever.
func TestNodeGiveUpRace(t *testing.T) {
	checkNoLeaks(t)
	for range 300 {
		s := newFakeServer(t, fakeOptions{})
		s.Refuse(true)
		n := newTestNode(t, s, func(c *NodeConfig) {
			c.Reconnect = func(attempt int, err error) (time.Duration, bool) { return 0, attempt < 2 }
		})
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				for range 20 {
					if _, err := run(context.Background(), n, getCmd("k")); err == nil {
						t.Error("command succeeded")
					}
				}
			})
		}
		within(t, 10*time.Second, "commands while giving up", wg.Wait)
		n.Close()
		s.Close()
	}
}

func TestNodeOfflineQueue(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	s.Refuse(true)
	n := newTestNode(t, s, func(c *NodeConfig) { c.OfflineQueueLimit = 3 })
	ctx := testCtx(t, 10*time.Second)
	errs := make(chan error, 3)
	for i := range 3 {
		go func() {
			got, err := run(ctx, n, setCmd(fmt.Sprint("q", i), "v"))
			if err == nil && got != "OK" {
				err = fmt.Errorf("SET = %q", got)
			}
			errs <- err
		}()
	}
	waitFor(t, 5*time.Second, "queued commands", func() bool { return n.offline.len() == 3 })
	start := time.Now()
	if _, err := run(ctx, n, setCmd("q-over", "v")); !errors.Is(err, ErrOfflineQueueFull) {
		t.Errorf("over the limit: %v", err)
	}
	if el := time.Since(start); el > time.Second {
		t.Errorf("ErrOfflineQueueFull after %v", el)
	}
	// DoMulti too: 2 commands do not fit the one free place... none.
	multi := []*Command{setCmd("m1", "v"), setCmd("m2", "v")}
	defer releaseAll(multi)
	if err := n.DoMulti(ctx, multi); !errors.Is(err, ErrOfflineQueueFull) {
		t.Errorf("DoMulti over the limit: %v", err)
	}
	time.Sleep(50 * time.Millisecond)
	s.Refuse(false)
	for range 3 {
		if err := <-errs; err != nil {
			t.Errorf("queued command: %v", err)
		}
	}
	for i := range 3 {
		if v, ok := s.Get(0, fmt.Sprint("q", i)); !ok || v != "v" {
			t.Errorf("q%d = %q, %v", i, v, ok)
		}
	}
	if _, ok := s.Get(0, "q-over"); ok {
		t.Errorf("refused command ran")
	}
}

// TestNodeOfflineQueueAbandoned: commands that gave up waiting in the
// offline queue no longer count against its limit.
func TestNodeOfflineQueueAbandoned(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	s.Refuse(true)
	n := newTestNode(t, s, func(c *NodeConfig) { c.OfflineQueueLimit = 2 })
	for i := range 4 {
		if _, err := run(testCtx(t, 20*time.Millisecond), n, setCmd(fmt.Sprint("gone", i), "v")); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("command %d: %v, want DeadlineExceeded", i, err)
		}
	}
	done := make(chan error, 1)
	go func() {
		_, err := run(testCtx(t, 10*time.Second), n, setCmd("live", "v"))
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	s.Refuse(false)
	if err := <-done; err != nil {
		t.Errorf("command after abandoned ones: %v", err)
	}
	if s.Count("SET") != 1 {
		t.Errorf("server saw %d SETs", s.Count("SET"))
	}
}

func TestNodeOfflineQueueDisabled(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, func(c *NodeConfig) { c.OfflineQueueLimit = -1 })
	waitConnected(t, n)
	ctx := testCtx(t, 5*time.Second)
	mustRun(t, ctx, n, setCmd("k", "v"))
	s.Refuse(true)
	s.Kill()
	waitFor(t, 5*time.Second, "disconnect", func() bool { return !n.Connected() })
	start := time.Now()
	if _, err := run(ctx, n, getCmd("k")); !errors.Is(err, ErrNotConnected) {
		t.Errorf("err = %v, want ErrNotConnected", err)
	}
	if _, err := run(ctx, n, mkCmd(FlagBlocking, "SLEEP", "1")); err == nil {
		t.Errorf("blocking command succeeded while disconnected")
	}
	if el := time.Since(start); el > time.Second {
		t.Errorf("took %v", el)
	}
	s.Refuse(false)
	waitConnected(t, n)
	if got := mustRun(t, ctx, n, getCmd("k")); got != "v" {
		t.Errorf("GET = %q", got)
	}
}

func TestNodeLoading(t *testing.T) {
	s := newFakeServer(t, fakeOptions{Loading: 3})
	var events eventLog
	n := newTestNode(t, s, func(c *NodeConfig) {
		c.Conns = 1
		c.OnEvent = events.add
	})
	ctx := testCtx(t, 10*time.Second)
	if got := mustRun(t, ctx, n, setCmd("k", "v")); got != "OK" {
		t.Errorf("SET = %q", got)
	}
	loading := 0
	for _, ev := range events.events() {
		var le *LoadingError
		if ev.Type == EventError && errors.As(ev.Err, &le) {
			loading++
		}
	}
	if loading != 3 {
		t.Errorf("%d loading errors, want 3: %v", loading, events.events())
	}
}

func TestNodeWrongPassword(t *testing.T) {
	s := newFakeServer(t, fakeOptions{Users: map[string]string{"default": "right"}})
	n := newTestNode(t, s, func(c *NodeConfig) { c.Dial.Password = "wrong-secret" })
	start := time.Now()
	_, err := run(testCtx(t, 10*time.Second), n, getCmd("k"))
	var de *DialError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "WRONGPASS") || strings.Contains(err.Error(), "wrong-secret") {
		t.Errorf("err = %v", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("a refused handshake took %v to reach the caller", el)
	}
	// Blocking commands (dedicated connections) see it too.
	if _, err := run(testCtx(t, 10*time.Second), n, mkCmd(FlagBlocking, "SLEEP", "1")); !errors.As(err, &de) {
		t.Errorf("blocking command: %v", err)
	}
}

func TestNodeCredentialsProviderPerDial(t *testing.T) {
	s := newFakeServer(t, fakeOptions{Users: map[string]string{"app": "pw"}})
	var calls atomic.Int64
	n := newTestNode(t, s, func(c *NodeConfig) {
		c.Dial.CredentialsProvider = func(context.Context) (Credentials, error) {
			calls.Add(1)
			return Credentials{Username: "app", Password: "pw"}, nil
		}
	})
	waitConnected(t, n)
	ctx := testCtx(t, 5*time.Second)
	mustRun(t, ctx, n, setCmd("k", "v"))
	mustRun(t, ctx, n, mkCmd(FlagBlocking, "SLEEP", "1"))
	s.Kill()
	waitFor(t, 5*time.Second, "reconnect", func() bool { n.Connected(); return s.accepted.Load() == 5 })
	waitConnected(t, n)
	mustRun(t, ctx, n, getCmd("k"))
	if calls.Load() != s.accepted.Load() {
		t.Errorf("provider called %d times for %d connections", calls.Load(), s.accepted.Load())
	}
}

func TestNodeReadTimeout(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, func(c *NodeConfig) {
		c.Conns = 1
		c.ReadTimeout = 100 * time.Millisecond
		c.Dial.DialTimeout = 200 * time.Millisecond
	})
	waitConnected(t, n)
	ctx := testCtx(t, 5*time.Second)
	// Idle longer than the read timeout: nothing breaks.
	mustRun(t, ctx, n, setCmd("k", "v"))
	time.Sleep(250 * time.Millisecond)
	mustRun(t, ctx, n, getCmd("k"))
	if s.accepted.Load() != 1 {
		t.Errorf("idle connection timed out")
	}

	s.Pause()
	// A write without a deadline fails after the read timeout.
	start := time.Now()
	_, err := run(context.Background(), n, setCmd("k", "w"))
	var ce *ConnError
	var ne net.Error
	if !errors.As(err, &ce) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("err = %v, want a *ConnError with a timeout", err)
	}
	if el := time.Since(start); el < 90*time.Millisecond || el > time.Second {
		t.Errorf("failed after %v", el)
	}
	// A read is retried until its context ends.
	start = time.Now()
	_, err = run(testCtx(t, 300*time.Millisecond), n, getCmd("k"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("GET: %v", err)
	}
	if el := time.Since(start); el > time.Second {
		t.Errorf("GET failed after %v", el)
	}
	s.Resume()
	if got := mustRun(t, ctx, n, getCmd("k")); got != "v" && got != "w" {
		t.Errorf("GET after resume = %q", got)
	}
}

// TestNodeReadTimeoutBusy: with a steady stream of fast commands the read
// deadline stays armed; pausing the server fails the connection after the
// read timeout even though no caller has a deadline.
func TestNodeReadTimeoutBusy(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, func(c *NodeConfig) {
		c.Conns = 1
		c.ReadTimeout = 50 * time.Millisecond
		c.MaxRetries = -1
	})
	waitConnected(t, n)
	for round := range 20 {
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for range 8 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					_, err := run(context.Background(), n, mkCmd(FlagWrite, "ECHO", "x"))
					if err != nil {
						var ce *ConnError
						if !errors.As(err, &ce) && !errors.Is(err, ErrClosed) {
							t.Errorf("round %d: %v", round, err)
						}
						return
					}
				}
			})
		}
		time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
		s.Pause()
		close(stop)
		wg.Go(func() { run(context.Background(), n, mkCmd(FlagWrite, "ECHO", "last")) })
		// The commands written after the pause fail by the read timeout and
		// the connection closes; a disarmed read deadline would keep them
		// waiting for ever.
		waitFor(t, 2*time.Second, "in-flight commands failed by the read timeout", func() bool {
			return !n.Connected() && n.inflight() == 0
		})
		// A command queued just as the connection died waits for a new one
		// (the offline queue), which the paused server does not accept.
		s.Resume()
		within(t, 5*time.Second, "commands after resume", wg.Wait)
		waitConnected(t, n)
	}
}

func TestNodePausedServer(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, nil)
	waitConnected(t, n)
	s.Set(0, "k", "v")
	s.Pause()
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			d := time.Duration(20+i*5) * time.Millisecond
			start := time.Now()
			_, err := run(testCtx(t, d), n, getCmd("k"))
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v", err)
			}
			if el := time.Since(start); el > d+500*time.Millisecond {
				t.Errorf("returned %v after a %v deadline", el, d)
			}
		})
	}
	wg.Wait()
	s.Resume()
	ctx := testCtx(t, 5*time.Second)
	for i := range 20 {
		want := fmt.Sprint("e", i)
		if got := mustRun(t, ctx, n, mkCmd(0, "ECHO", want)); got != want {
			t.Fatalf("after resume: %q, want %q", got, want)
		}
	}
}

func TestNodeBlockingCommands(t *testing.T) {
	checkNoLeaks(t)
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, func(c *NodeConfig) { c.Pool = PoolConfig{Size: 2} })
	waitConnected(t, n)
	ctx := testCtx(t, 10*time.Second)
	var wg sync.WaitGroup
	var blockingDone atomic.Int32
	for range 2 {
		wg.Go(func() {
			if got, err := run(ctx, n, mkCmd(FlagBlocking, "SLEEP", "1000")); err != nil || got != "OK" {
				t.Errorf("blocking command: %q, %v", got, err)
			}
			blockingDone.Add(1)
		})
	}
	waitFor(t, 5*time.Second, "blocking commands running", func() bool { return s.Count("SLEEP") == 2 })
	// Shared traffic is not stalled by them.
	for i := range 100 {
		mustRun(t, ctx, n, setCmd(fmt.Sprint("k", i), "v"))
	}
	if blockingDone.Load() != 0 {
		t.Errorf("shared commands waited for the blocking ones")
	}
	// The pool is full: a third blocking command times out.
	if _, err := run(testCtx(t, 50*time.Millisecond), n, mkCmd(FlagBlocking, "SLEEP", "1")); !errors.Is(err, ErrPoolTimeout) {
		t.Errorf("third blocking command: %v", err)
	}
	wg.Wait()
	if st := n.Pool().Stats(); st.Open != 2 || st.Idle != 2 {
		t.Errorf("pool stats %+v", st)
	}
	// A blocking command cancelled mid-reply breaks its connection, which
	// is not reused.
	if _, err := run(testCtx(t, 30*time.Millisecond), n, mkCmd(FlagBlocking, "SLEEP", "1000")); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
	if st := n.Pool().Stats(); st.Open != 1 || st.Closes != 1 {
		t.Errorf("pool stats %+v", st)
	}
	// DoMulti with a blocking command runs on one dedicated connection.
	cmds := []*Command{mkCmd(FlagBlocking, "SLEEP", "1"), getCmd("k1"), mkCmd(FlagWrite, "INCR", "n")}
	defer releaseAll(cmds)
	if err := n.DoMulti(ctx, cmds); err != nil {
		t.Fatal(err)
	}
	if replyText(cmds[0].Reply()) != "OK" || replyText(cmds[1].Reply()) != "v" || cmds[2].Reply().Int() != 1 {
		t.Errorf("replies %v %v %v", cmds[0].Reply(), cmds[1].Reply(), cmds[2].Reply())
	}
	// DedicatedConn hands out pool connections.
	c, err := n.DedicatedConn(ctx, -1)
	if err != nil {
		t.Fatal(err)
	}
	if got := mustRun(t, ctx, c, getCmd("k2")); got != "v" {
		t.Errorf("GET on a dedicated connection = %q", got)
	}
	c.Release()
}

func TestNodeConnState(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, nil)
	ctx := testCtx(t, 5*time.Second)
	for _, cmd := range []*Command{mkCmd(FlagConnState, "SELECT", "1"), mkCmd(FlagTransaction, "MULTI")} {
		name := cmd.Name()
		_, err := run(ctx, n, cmd)
		var cse *ConnStateError
		if !errors.As(err, &cse) || cse.Command != name || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v, want *ConnStateError", name, err)
		}
	}
	cmds := []*Command{getCmd("k"), mkCmd(FlagTransaction, "EXEC")}
	defer releaseAll(cmds)
	var cse *ConnStateError
	if err := n.DoMulti(ctx, cmds); !errors.As(err, &cse) {
		t.Errorf("DoMulti: %v", err)
	}
	mustRun(t, ctx, n, mkCmd(0, "PING"))
	if s.Count("SELECT") != 0 || s.Count("GET") != 0 {
		t.Errorf("refused commands were sent")
	}
}

func TestNodePush(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	var mu sync.Mutex
	var pushes []string
	n := newTestNode(t, s, func(c *NodeConfig) {
		c.Conns = 1
		c.OnPush = func(v resp.Value) {
			mu.Lock()
			pushes = append(pushes, v.Message().String())
			mu.Unlock()
		}
	})
	waitConnected(t, n)
	s.Push("invalidate", "k1")
	waitFor(t, 5*time.Second, "push", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(pushes) == 1
	})
	// Push frames between replies of pipelined commands.
	ctx := testCtx(t, 5*time.Second)
	var wg sync.WaitGroup
	for g := range 10 {
		wg.Go(func() {
			for i := range 20 {
				want := fmt.Sprint(g, "-", i)
				cmd := mkCmd(0, "PUSHME", "invalidate", want)
				if i%2 == 0 {
					cmd = mkCmd(0, "ECHO", want)
				} else {
					want = "OK"
				}
				if got := mustRun(t, ctx, n, cmd); got != want {
					t.Errorf("got %q, want %q", got, want)
				}
			}
		})
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(pushes) != 1+100 {
		t.Errorf("%d pushes, want 101", len(pushes))
	}
	if !strings.Contains(pushes[0], `"invalidate", "k1"`) {
		t.Errorf("push %s", pushes[0])
	}
}

func TestNodeReconnectOnError(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	var events eventLog
	n := newTestNode(t, s, func(c *NodeConfig) {
		c.Conns = 1
		c.OnEvent = events.add
		c.ReconnectOnError = func(err error) bool {
			var re *resp.Error
			return errors.As(err, &re) && re.Prefix() == "READONLY"
		}
	})
	waitConnected(t, n)
	ctx := testCtx(t, 5*time.Second)
	// Other error replies do not reconnect.
	if got := mustRun(t, ctx, n, mkCmd(FlagWrite, "ERR", "WRONGTYPE", "nope")); got != "ERR:WRONGTYPE nope" {
		t.Errorf("reply %q", got)
	}
	got := mustRun(t, ctx, n, mkCmd(FlagWrite, "ERR", "READONLY", "You", "can't", "write", "against", "a", "read", "only", "replica."))
	if got != "ERR:READONLY You can't write against a read only replica." {
		t.Errorf("the triggering command got %q, want its error reply", got)
	}
	waitFor(t, 5*time.Second, "reconnect", func() bool { return events.count(EventReady) == 2 && n.Connected() })
	if s.accepted.Load() != 2 || events.count(EventClose) != 1 {
		t.Errorf("accepted %d; events %v", s.accepted.Load(), events.events())
	}
	mustRun(t, ctx, n, setCmd("k", "v"))
}

func TestNodeMalformedReply(t *testing.T) {
	checkNoLeaks(t)
	s := newFakeServer(t, fakeOptions{})
	var events eventLog
	n := newTestNode(t, s, func(c *NodeConfig) {
		c.Conns = 1
		c.OnEvent = events.add
	})
	waitConnected(t, n)
	s.Set(0, "k", "v")
	ctx := testCtx(t, 5*time.Second)

	s.Pause()
	garbage := make(chan error, 1)
	go func() {
		_, err := run(ctx, n, mkCmd(FlagWrite, "GARBAGE"))
		garbage <- err
	}()
	waitFor(t, 5*time.Second, "GARBAGE sent", func() bool { return s.Count("GARBAGE") == 1 })
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if got, err := run(ctx, n, getCmd("k")); err != nil || got != "v" {
				t.Errorf("GET behind a malformed reply: %q, %v", got, err)
			}
		})
	}
	waitFor(t, 5*time.Second, "GETs written", func() bool { return n.inflight() == 11 })
	s.Resume()
	err := <-garbage
	var ce *ConnError
	var pe *resp.ProtocolError
	if !errors.As(err, &ce) || !errors.As(err, &pe) {
		t.Errorf("err = %v, want a *ConnError with a *resp.ProtocolError", err)
	}
	wg.Wait()
	waitFor(t, 5*time.Second, "reconnect", func() bool { return events.count(EventReady) == 2 })

	// An unsolicited reply while idle: noticed by the reader of a
	// pipelined connection, or by the check of an idle one before it is
	// used again (here, Connected).
	s.SendRaw("+SURPRISE\r\n")
	waitFor(t, 5*time.Second, "reconnect", func() bool {
		up := n.Connected()
		return events.count(EventReady) == 3 && up
	})
	closes := 0
	for _, ev := range events.events() {
		if ev.Type == EventClose {
			closes++
			if !errors.As(ev.Err, &pe) {
				t.Errorf("close event %v, want a protocol error", ev.Err)
			}
		}
	}
	if closes != 2 {
		t.Errorf("%d close events", closes)
	}
	if got := mustRun(t, ctx, n, getCmd("k")); got != "v" {
		t.Errorf("GET = %q", got)
	}
}

func TestNodeClose(t *testing.T) {
	t.Run("Queued", func(t *testing.T) {
		s := newFakeServer(t, fakeOptions{})
		s.Refuse(true)
		n := newTestNode(t, s, nil)
		errs := make(chan error, 5)
		for i := range 5 {
			go func() {
				_, err := run(context.Background(), n, setCmd(fmt.Sprint("k", i), "v"))
				errs <- err
			}()
		}
		waitFor(t, 5*time.Second, "queued", func() bool { return n.offline.len() == 5 })
		within(t, 5*time.Second, "Close", func() { n.Close() })
		for range 5 {
			if err := <-errs; !errors.Is(err, ErrClosed) {
				t.Errorf("queued command: %v, want ErrClosed", err)
			}
		}
		if _, err := run(context.Background(), n, getCmd("k")); !errors.Is(err, ErrClosed) {
			t.Errorf("after Close: %v", err)
		}
		if err := n.DoMulti(context.Background(), []*Command{getCmd("x")}); !errors.Is(err, ErrClosed) {
			t.Errorf("DoMulti after Close: %v", err)
		}
		if _, err := run(context.Background(), n, mkCmd(FlagBlocking, "SLEEP", "1")); !errors.Is(err, ErrClosed) {
			t.Errorf("blocking after Close: %v", err)
		}
		if err := n.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	})
	t.Run("InFlight", func(t *testing.T) {
		s := newFakeServer(t, fakeOptions{})
		n := newTestNode(t, s, nil)
		waitConnected(t, n)
		done := make(chan string, 1)
		go func() {
			got, err := run(context.Background(), n, mkCmd(FlagWrite, "SLEEP", "200"))
			if err != nil {
				t.Errorf("in-flight command: %v", err)
			}
			done <- got
		}()
		waitFor(t, 5*time.Second, "SLEEP sent", func() bool { return s.Count("SLEEP") == 1 })
		within(t, 5*time.Second, "Close", func() { n.Close() })
		if got := <-done; got != "OK" {
			t.Errorf("in-flight command got %q", got)
		}
		waitFor(t, 5*time.Second, "connections closed", func() bool { return s.Active() == 0 })
	})
	t.Run("Timeout", func(t *testing.T) {
		s := newFakeServer(t, fakeOptions{})
		n := newTestNode(t, s, func(c *NodeConfig) { c.CloseTimeout = 100 * time.Millisecond })
		waitConnected(t, n)
		s.Pause()
		done := make(chan error, 1)
		go func() {
			_, err := run(context.Background(), n, getCmd("k"))
			done <- err
		}()
		waitFor(t, 5*time.Second, "GET sent", func() bool { return s.Count("GET") == 1 })
		start := time.Now()
		within(t, 5*time.Second, "Close", func() { n.Close() })
		if el := time.Since(start); el > time.Second {
			t.Errorf("Close took %v", el)
		}
		if err := <-done; !errors.Is(err, ErrClosed) {
			t.Errorf("in-flight command after close timeout: %v", err)
		}
	})
}

func TestNodeNoGoroutineLeak(t *testing.T) {
	checkNoLeaks(t)
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, func(c *NodeConfig) { c.ReadTimeout = time.Second })
	waitConnected(t, n)
	ctx := testCtx(t, 10*time.Second)
	var wg sync.WaitGroup
	for g := range 20 {
		wg.Go(func() {
			for i := range 50 {
				k := fmt.Sprint(g, "-", i)
				run(ctx, n, setCmd(k, "v")) // may fail: connections are killed
				if i%10 == 0 {
					run(ctx, n, mkCmd(FlagBlocking, "SLEEP", "1"))
				}
			}
		})
	}
	s.Kill()
	wg.Wait()
	// Leave a few queued while disconnected, then close.
	s.Refuse(true)
	s.Kill()
	waitFor(t, 5*time.Second, "disconnect", func() bool { return !n.Connected() })
	errs := make(chan error, 3)
	for range 3 {
		go func() {
			_, err := run(context.Background(), n, getCmd("k"))
			errs <- err
		}()
	}
	waitFor(t, 5*time.Second, "queued", func() bool { return n.offline.len() == 3 })
	n.Close()
	for range 3 {
		if err := <-errs; !errors.Is(err, ErrClosed) {
			t.Errorf("err = %v", err)
		}
	}
	s.Close()
}

// TestNodeCloseUnderLoad closes nodes while their connections are being
// killed and commands without deadlines are in flight, queued and retried:
// every command returns.
func TestNodeCloseUnderLoad(t *testing.T) {
	checkNoLeaks(t)
	s := newFakeServer(t, fakeOptions{})
	for iter := range 100 {
		n := newTestNode(t, s, func(c *NodeConfig) { c.CloseTimeout = 50 * time.Millisecond })
		var wg sync.WaitGroup
		for g := range 10 {
			wg.Go(func() {
				for i := 0; ; i++ {
					cmd := getCmd("k")
					if (g+i)%3 == 0 {
						cmd = setCmd("k", "v")
					}
					if _, err := run(context.Background(), n, cmd); err != nil {
						var ce *ConnError
						if !errors.Is(err, ErrClosed) && !errors.As(err, &ce) {
							t.Errorf("unexpected error: %v", err)
						}
						if errors.Is(err, ErrClosed) {
							return
						}
					}
				}
			})
		}
		time.Sleep(time.Duration(rand.IntN(2000)) * time.Microsecond)
		go s.Kill()
		if iter%2 == 0 {
			time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
		}
		n.Close()
		within(t, 10*time.Second, "commands after Close", wg.Wait)
	}
}

func TestNodeDoMultiCancelled(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, func(c *NodeConfig) { c.Conns = 1 })
	waitConnected(t, n)
	cmds := []*Command{mkCmd(0, "ECHO", "a"), mkCmd(FlagWrite, "SLEEP", "500"), mkCmd(0, "ECHO", "b")}
	defer releaseAll(cmds)
	start := time.Now()
	if err := n.DoMulti(testCtx(t, 50*time.Millisecond), cmds); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 400*time.Millisecond {
		t.Errorf("DoMulti returned after %v", el)
	}
	if cmds[0].Err() != nil || replyText(cmds[0].Reply()) != "a" {
		t.Errorf("first: %v %v", cmds[0].Err(), cmds[0].Reply())
	}
	for _, c := range cmds[1:] {
		if !errors.Is(c.Err(), context.DeadlineExceeded) {
			t.Errorf("%s: %v", c.Name(), c.Err())
		}
	}
	// Reuse the batch at once: each command gets its own new reply.
	ctx := testCtx(t, 5*time.Second)
	for i, c := range cmds {
		c.Release()
		cmds[i] = mkCmd(0, "ECHO", fmt.Sprint("again-", i))
	}
	if err := n.DoMulti(ctx, cmds); err != nil {
		t.Fatal(err)
	}
	for i, c := range cmds {
		if c.Err() != nil || replyText(c.Reply()) != fmt.Sprint("again-", i) {
			t.Errorf("reused %d: %v %v", i, c.Err(), c.Reply())
		}
	}
}

func TestNodeReconnectKeepsSetup(t *testing.T) {
	s := newFakeServer(t, fakeOptions{Users: map[string]string{"app": "pw"}})
	n := newTestNode(t, s, func(c *NodeConfig) {
		c.Dial.DB, c.Dial.ClientName = 3, "svc"
		c.Dial.Username, c.Dial.Password = "app", "pw"
	})
	waitConnected(t, n)
	s.Kill()
	waitFor(t, 5*time.Second, "reconnect", func() bool { n.Connected(); return s.accepted.Load() == 4 })
	waitConnected(t, n)
	ctx := testCtx(t, 5*time.Second)
	mustRun(t, ctx, n, setCmd("k", "v"))
	if v, _ := s.Get(3, "k"); v != "v" {
		t.Errorf("db 3 holds %q", v)
	}
	for _, cl := range s.Clients() {
		if cl.DB != 3 || cl.Name != "svc" || cl.User != "app" {
			t.Errorf("reconnected client %+v", cl)
		}
	}
}

func TestNodeBlockingWhileDisconnected(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	s.Refuse(true)
	n := newTestNode(t, s, nil)
	start := time.Now()
	if _, err := run(testCtx(t, 100*time.Millisecond), n, mkCmd(FlagBlocking, "SLEEP", "1")); err == nil {
		t.Errorf("blocking command succeeded while the server refuses connections")
	}
	if el := time.Since(start); el > time.Second {
		t.Errorf("returned after %v", el)
	}
	if st := n.Pool().Stats(); st.Open != 0 {
		t.Errorf("failed dial kept a pool slot: %+v", st)
	}
	// It waits out a short outage within its context.
	time.AfterFunc(50*time.Millisecond, func() { s.Refuse(false) })
	if got, err := run(testCtx(t, 5*time.Second), n, mkCmd(FlagBlocking, "SLEEP", "1")); err != nil || got != "OK" {
		t.Errorf("blocking command across an outage: %q, %v", got, err)
	}
}

// TestNodeDoMultiBlockingOutcomes: DoMulti with blocking commands (run on a
// dedicated connection) keeps the Doer contract: each command's outcome is
// in its Err, and the returned error means that nothing was attempted.
func TestNodeDoMultiBlockingOutcomes(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, nil)
	waitConnected(t, n)
	ctx := testCtx(t, 5*time.Second)
	for _, size := range []int{1, 2} {
		cmds := []*Command{mkCmd(FlagBlocking, "SLEEP", "1000"), getCmd("k")}[:size]
		if err := n.DoMulti(testCtx(t, 50*time.Millisecond), cmds); err != nil {
			t.Errorf("size %d: DoMulti = %v, want nil with the outcome in each command", size, err)
		}
		for _, c := range cmds {
			if !errors.Is(c.Err(), context.DeadlineExceeded) {
				t.Errorf("size %d: %s Err = %v", size, c.Name(), c.Err())
			}
		}
		// Reused after a failure: success clears the old error.
		for _, c := range cmds[:1] {
			c.Release()
		}
		cmds[0] = mkCmd(FlagBlocking, "SLEEP", "1")
		if err := n.DoMulti(ctx, cmds); err != nil {
			t.Fatal(err)
		}
		for _, c := range cmds {
			if c.Err() != nil {
				t.Errorf("size %d: %s Err = %v after success", size, c.Name(), c.Err())
			}
		}
		releaseAll(cmds)
	}
	// No connection to be had: nothing attempted, the error is returned.
	n.Close()
	if err := n.DoMulti(ctx, []*Command{mkCmd(FlagBlocking, "SLEEP", "1")}); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
}

func TestNodeReady(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, nil)
	if err := n.Ready(testCtx(t, 5*time.Second)); err != nil || !n.Connected() {
		t.Fatalf("Ready = %v, connected %v", err, n.Connected())
	}

	refused := newFakeServer(t, fakeOptions{})
	refused.Refuse(true)
	n2 := newTestNode(t, refused, nil)
	var de *DialError
	if err := n2.Ready(testCtx(t, 5*time.Second)); !errors.As(err, &de) {
		t.Errorf("Ready on a refusing server = %v, want the DialError", err)
	}

	paused := newFakeServer(t, fakeOptions{})
	paused.Pause()
	n3 := newTestNode(t, paused, nil)
	if err := n3.Ready(testCtx(t, 50*time.Millisecond)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Ready on a paused server = %v", err)
	}
	paused.Resume()
	if err := n3.Ready(testCtx(t, 5*time.Second)); err != nil {
		t.Errorf("Ready after resume = %v", err)
	}
	n3.Close()
	if err := n3.Ready(testCtx(t, 5*time.Second)); !errors.Is(err, ErrClosed) {
		t.Errorf("Ready after Close = %v", err)
	}
}
