package integration

// Faults, each bounded in time: the server stopped and restarted under
// load, the server paused, contexts ending mid-flight, and goroutines
// after Close.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
)

// callStats counts the outcomes of calls made under a fault.
type callStats struct {
	ok, failed atomic.Int64
	mu         sync.Mutex
	kinds      map[string]int
}

func (s *callStats) record(err error) {
	if err == nil {
		s.ok.Add(1)
		return
	}
	s.failed.Add(1)
	kind := fmt.Sprintf("%T", err)
	var ce *transport.ConnError
	var de *transport.DialError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		kind = "context deadline"
	case errors.As(err, &ce):
		kind = "ConnError"
	case errors.As(err, &de):
		kind = "DialError"
	case errors.Is(err, transport.ErrNotConnected), errors.Is(err, transport.ErrOfflineQueueFull):
		kind = err.Error()
	}
	s.mu.Lock()
	if s.kinds == nil {
		s.kinds = map[string]int{}
	}
	s.kinds[kind]++
	s.mu.Unlock()
}

func (s *callStats) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("%d ok, %d failed %v", s.ok.Load(), s.failed.Load(), s.kinds)
}

// TestRestartUnderLoad stops the server (SIGKILL) and starts it again
// while goroutines run commands. Each goroutine uses its own keys and
// values, so a reply delivered to the wrong caller shows; every call must
// return by its deadline; the client must reconnect on its own.
func TestRestartUnderLoad(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "restart"})
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			// The subtests share the server: one at a time.
			runRestartUnderLoad(t, srv, proto)
		})
	}
}

func runRestartUnderLoad(t *testing.T, srv *Server, proto int) {
	c := NewClient(t, srv.Options(proto))
	const workers = 12
	const callTimeout = 2 * time.Second
	var (
		stop        atomic.Bool
		restarted   atomic.Bool
		stats       callStats
		wg          sync.WaitGroup
		okAfter     [workers]atomic.Int64
		maxOverrun  atomic.Int64
		wrongReplys atomic.Int64
	)
	overrun := func(deadline time.Time) {
		if over := time.Since(deadline); over > 0 && int64(over) > maxOverrun.Load() {
			maxOverrun.Store(int64(over))
		}
	}
	wrong := func(format string, args ...any) {
		if wrongReplys.Add(1) <= 5 {
			t.Errorf(format, args...)
		}
	}
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				k := fmt.Sprintf("restart:%d:g%d:%d", proto, g, i)
				want := fmt.Sprintf("value-of-%s", k)
				ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
				deadline, _ := ctx.Deadline()
				var err error
				switch i % 3 {
				case 0: // ECHO: the reply must be this caller's payload.
					var got string
					got, err = redisclient.Echo(want).Do(ctx, c)
					if err == nil && got != want {
						wrong("goroutine %d: ECHO %q returned %q", g, want, got)
					}
				case 1: // SET then GET of this caller's key.
					if err = redisclient.Set(k, want).Do(ctx, c); err == nil {
						var got redisclient.Opt[string]
						got, err = redisclient.Get(k).Do(ctx, c)
						// A restart loses the data (no persistence): nil is
						// fine, another value is not.
						if err == nil && got.Valid && got.Value != want {
							wrong("goroutine %d: GET %s returned %q", g, k, got.Value)
						}
					}
				case 2: // A pipeline of ECHOs.
					p := c.Pipeline()
					futs := make([]*redisclient.Future[string], 5)
					for j := range futs {
						futs[j] = redisclient.Echo(fmt.Sprintf("%s/%d", want, j)).Queue(p)
					}
					err = p.Exec(ctx)
					for j, f := range futs {
						if v, ferr := f.Result(); ferr == nil && v != fmt.Sprintf("%s/%d", want, j) {
							wrong("goroutine %d: pipelined ECHO %d returned %q", g, j, v)
						}
					}
				}
				cancel()
				overrun(deadline)
				stats.record(err)
				if err == nil && restarted.Load() {
					okAfter[g].Add(1)
				} else if err != nil {
					time.Sleep(10 * time.Millisecond)
				}
			}
		}()
	}

	time.Sleep(500 * time.Millisecond)
	before := stats.ok.Load()
	if before == 0 {
		t.Errorf("no command succeeded before the restart: %s", &stats)
	}
	srv.Stop(t)
	// Down for longer than a call's timeout: calls waiting in the offline
	// queue must end at their deadlines.
	time.Sleep(callTimeout + 500*time.Millisecond)
	duringStop := stats.String()
	srv.Start(t)
	restarted.Store(true)

	// Every goroutine succeeds again within a bounded time.
	recovered := false
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		all := true
		for g := range workers {
			all = all && okAfter[g].Load() >= 3
		}
		if all {
			recovered = true
			break
		}
	}
	time.Sleep(300 * time.Millisecond)
	stop.Store(true)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * callTimeout):
		buf := new(bytes.Buffer)
		pprof.Lookup("goroutine").WriteTo(buf, 1)
		t.Fatalf("workers still blocked %v after the load stopped: a call hangs past its context\n%s", 3*callTimeout, buf)
	}
	t.Logf("RESP%d: before the stop %d ok; at the restart: %s; total: %s", proto, before, duringStop, &stats)
	if !recovered {
		var counts []int64
		for g := range workers {
			counts = append(counts, okAfter[g].Load())
		}
		t.Errorf("the client did not recover within 15s of the restart: successes per goroutine since: %v", counts)
	}
	if over := time.Duration(maxOverrun.Load()); over > 500*time.Millisecond {
		t.Errorf("a call returned %v after its context's deadline", over)
	}
	if stats.failed.Load() == 0 {
		t.Errorf("no call failed while the server was down: the fault did not happen? %s", &stats)
	}
	ctx := testCtx(t)
	ok(t, "SET after the restart")(redisclient.Set("restart:final", "v").Do(ctx, c))
	expect(t, "GET after the restart", some("v"))(redisclient.Get("restart:final").Do(ctx, c))
}

// TestPausedServer pauses the server: commands with deadlines fail at
// their deadlines instead of hanging, replies that arrive late are not
// given to later callers, and everything works again after unpause.
func TestPausedServer(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "pause"})
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			runPausedServer(t, srv, proto)
		})
	}
}

func runPausedServer(t *testing.T, srv *Server, proto int) {
	ctx := testCtx(t)
	c := NewClient(t, srv.Options(proto))
	pfx := fmt.Sprintf("pause:%d:", proto)
	for i := range 20 {
		ok(t, "SET")(redisclient.Set(fmt.Sprintf("%sk%d", pfx, i), fmt.Sprintf("v%d", i)).Do(ctx, c))
	}
	// A dedicated connection in the pool before the pause, so the
	// blocking command below does not need to dial.
	expect(t, "BLPOP warm-up", (*redisclient.KeyElement)(nil))(redisclient.BLPop(10*time.Millisecond, pfx+"none").Do(ctx, c))

	srv.Pause(t)
	paused := true
	defer func() {
		if paused {
			srv.Unpause(t)
		}
	}()

	const deadline = 300 * time.Millisecond
	type outcome struct {
		what    string
		err     error
		elapsed time.Duration
	}
	var mu sync.Mutex
	var outcomes []outcome
	var wg sync.WaitGroup
	run := func(what string, f func(ctx context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), deadline)
			defer cancel()
			start := time.Now()
			err := f(ctx)
			mu.Lock()
			outcomes = append(outcomes, outcome{what, err, time.Since(start)})
			mu.Unlock()
		}()
	}
	for i := range 10 {
		k := fmt.Sprintf("%sk%d", pfx, i)
		run("GET "+k, func(ctx context.Context) error { _, err := redisclient.Get(k).Do(ctx, c); return err })
	}
	run("pipeline", func(ctx context.Context) error {
		p := c.Pipeline()
		redisclient.Get(pfx + "k1").Queue(p)
		redisclient.Incr(pfx + "n").Queue(p)
		return p.Exec(ctx)
	})
	run("BLPOP", func(ctx context.Context) error {
		_, err := redisclient.BLPop(5*time.Second, pfx+"none").Do(ctx, c)
		return err
	})
	run("transaction", func(ctx context.Context) error {
		tx := c.TxPipeline()
		redisclient.Incr(pfx + "n").Queue(tx)
		return tx.Exec(ctx)
	})
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("calls with a %v deadline still running after 10s against a paused server", deadline)
	}
	for _, o := range outcomes {
		switch {
		case o.err == nil:
			t.Errorf("%s succeeded against a paused server", o.what)
		case !errors.Is(o.err, context.DeadlineExceeded):
			t.Errorf("%s: %v, want context.DeadlineExceeded", o.what, o.err)
		case o.elapsed < deadline-20*time.Millisecond || o.elapsed > deadline+700*time.Millisecond:
			t.Errorf("%s failed after %v, want about %v", o.what, o.elapsed, deadline)
		}
	}

	srv.Unpause(t)
	paused = false

	// Works again, and the late replies of the abandoned GETs are not
	// handed to new callers.
	var lastErr error
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if _, lastErr = redisclient.Ping().Do(ctx, c); lastErr == nil {
			break
		}
	}
	must(t, lastErr, "PING after unpause")
	for round := range 3 {
		for i := 10; i < 20; i++ {
			k := fmt.Sprintf("%sk%d", pfx, i)
			expect(t, fmt.Sprintf("GET %s after unpause (round %d)", k, round), some(fmt.Sprintf("v%d", i)))(redisclient.Get(k).Do(ctx, c))
		}
	}
	p := c.Pipeline()
	var futs []*redisclient.Future[redisclient.Opt[string]]
	for i := range 20 {
		futs = append(futs, redisclient.Get(fmt.Sprintf("%sk%d", pfx, i)).Queue(p))
	}
	must(t, p.Exec(ctx), "pipeline after unpause")
	for i, f := range futs {
		expect(t, fmt.Sprintf("pipelined GET k%d after unpause", i), some(fmt.Sprintf("v%d", i)))(f.Result())
	}
	expect(t, "BLPOP after unpause", (*redisclient.KeyElement)(nil))(redisclient.BLPop(10*time.Millisecond, pfx+"none").Do(ctx, c))
}

// TestPausedServerReadTimeout pauses the server under a client with
// Options.ReadTimeout: a write without a deadline fails in bounded time
// (ConnError: it is not resent), a read is resent once the server answers
// again, and the client recovers after unpause.
func TestPausedServerReadTimeout(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "readtimeout"})
	opts := srv.Options(3)
	opts.ReadTimeout = 300 * time.Millisecond
	opts.DialTimeout = 500 * time.Millisecond
	c := NewClient(t, opts)
	ctx := testCtx(t)
	ok(t, "SET")(redisclient.Set("rt:k", "v").Do(ctx, c))

	srv.Pause(t)
	paused := true
	defer func() {
		if paused {
			srv.Unpause(t)
		}
	}()
	incr := async(func() (int64, error) { return redisclient.Incr("rt:n").Do(context.Background(), c) })
	get := async(func() (redisclient.Opt[string], error) { return redisclient.Get("rt:k").Do(context.Background(), c) })
	ri := await(t, "INCR without a deadline against a paused server", incr, 5*time.Second)
	var ce *transport.ConnError
	if !errors.As(ri.err, &ce) {
		t.Errorf("INCR: %v %v after %v, want a *transport.ConnError (it may have run: not resent)", ri.v, ri.err, ri.elapsed)
	} else if ri.elapsed > 2*time.Second {
		t.Errorf("INCR failed after %v, want about the 300ms read timeout", ri.elapsed)
	}
	// The GET (read-only) is resent after the dropped connection and waits
	// in the offline queue while no connection can be made: without a
	// deadline it waits for the server, and gets its own reply.
	select {
	case rg := <-get:
		t.Logf("GET without a deadline returned during the pause: %+v %v", rg.v, rg.err)
		get = nil
	case <-time.After(500 * time.Millisecond):
	}
	t.Logf("paused with ReadTimeout 300ms: INCR %v after %v", ri.err, ri.elapsed.Round(time.Millisecond))

	srv.Unpause(t)
	paused = false
	if get != nil {
		rg := await(t, "GET without a deadline, after unpause", get, 10*time.Second)
		expect(t, "GET resent after unpause", some("v"))(rg.v, rg.err)
	}
	var err error
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if _, err = redisclient.Ping().Do(ctx, c); err == nil {
			break
		}
	}
	must(t, err, "PING after unpause")
	expect(t, "GET after unpause", some("v"))(redisclient.Get("rt:k").Do(ctx, c))
}

// TestConnectionsKilledUnderLoad kills the client's connections on the
// server side (CLIENT KILL) several times under load.
func TestConnectionsKilledUnderLoad(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "kill"})
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			c := NewClient(t, srv.Options(proto))
			var stop atomic.Bool
			var stats callStats
			var wg sync.WaitGroup
			for g := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; !stop.Load(); i++ {
						ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
						want := fmt.Sprintf("kill:%d:%d:%d", proto, g, i)
						var err error
						if i%2 == 0 {
							var got string
							if got, err = redisclient.Echo(want).Do(ctx, c); err == nil && got != want {
								t.Errorf("ECHO %q returned %q", want, got)
							}
						} else {
							p := c.Pipeline()
							a := redisclient.Echo(want + "/a").Queue(p)
							b := redisclient.Echo(want + "/b").Queue(p)
							err = p.Exec(ctx)
							if v, e := a.Result(); e == nil && v != want+"/a" {
								t.Errorf("pipelined ECHO %q returned %q", want+"/a", v)
							}
							if v, e := b.Result(); e == nil && v != want+"/b" {
								t.Errorf("pipelined ECHO %q returned %q", want+"/b", v)
							}
						}
						cancel()
						stats.record(err)
					}
				}()
			}
			killed := 0
			for range 5 {
				time.Sleep(200 * time.Millisecond)
				reply, err := srv.raw(2*time.Second, "CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")
				if err != nil {
					t.Fatalf("CLIENT KILL: %v", err)
				}
				n, _ := strconv.Atoi(strings.TrimPrefix(reply, ":"))
				killed += n
			}
			time.Sleep(300 * time.Millisecond)
			stop.Store(true)
			done := make(chan struct{})
			go func() { wg.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatalf("workers blocked 10s after the load stopped")
			}
			t.Logf("RESP%d: %d connections killed; %s", proto, killed, &stats)
			if killed == 0 {
				t.Errorf("CLIENT KILL killed nothing")
			}
			ctx := testCtx(t)
			expect(t, "ECHO after the kills", "alive")(redisclient.Echo("alive").Do(ctx, c))
		})
	}
}

// TestOfflineQueue stops the server: commands wait in the offline queue
// up to its limit (the others fail at once with ErrOfflineQueueFull), and
// the waiting ones run when the server is back.
func TestOfflineQueue(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "offline"})
	opts := srv.Options(3)
	opts.OfflineQueueLimit = 3
	c := NewClient(t, opts)
	ctx := testCtx(t)
	ok(t, "SET")(redisclient.Set("offline:k", "v").Do(ctx, c))

	srv.Stop(t)
	node, isNode := c.Router().(*transport.Node)
	if !isNode {
		t.Fatalf("Router is %T, want *transport.Node", c.Router())
	}
	for end := time.Now().Add(5 * time.Second); node.Connected() && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	if node.Connected() {
		t.Fatalf("the client still reports a connection 5s after the server stopped")
	}
	const calls = 6
	results := make(chan result[redisclient.Opt[string]], calls)
	for range calls {
		go func() {
			start := time.Now()
			v, err := redisclient.Get("offline:k").Do(ctxFor(t, 20*time.Second), c)
			results <- result[redisclient.Opt[string]]{v, err, time.Since(start)}
		}()
	}
	full := 0
	for range calls - 3 {
		select {
		case r := <-results:
			if !errors.Is(r.err, transport.ErrOfflineQueueFull) {
				t.Errorf("GET while down with a full offline queue: %+v %v after %v, want ErrOfflineQueueFull at once", r.v, r.err, r.elapsed)
			}
			full++
		case <-time.After(5 * time.Second):
			t.Fatalf("only %d of %d GETs beyond the offline queue's limit returned within 5s", full, calls-3)
		}
	}
	select {
	case r := <-results:
		t.Errorf("a queued GET returned while the server is down: %+v %v", r.v, r.err)
	case <-time.After(300 * time.Millisecond):
	}
	srv.Start(t)
	for range 3 {
		select {
		case r := <-results:
			expect(t, "queued GET after the restart (the data is gone: no persistence)", none[string]())(r.v, r.err)
		case <-time.After(15 * time.Second):
			t.Fatalf("a queued GET did not run within 15s of the restart")
		}
	}
}

// TestDedicatedPoolExhausted fills the pool of dedicated connections with
// blocking commands: another blocking command waits for a connection only
// until its context ends, and shared-connection traffic is unaffected.
func TestDedicatedPoolExhausted(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	opts := srv.Options(3)
	opts.PoolSize = 2
	c := NewClient(t, opts)
	ctx := testCtx(t)
	k := key(t, "l")
	blockers := make([]<-chan result[*redisclient.KeyElement], 2)
	for i := range blockers {
		blockers[i] = async(func() (*redisclient.KeyElement, error) {
			return redisclient.BLPop(5*time.Second, k).Do(ctx, c)
		})
	}
	time.Sleep(200 * time.Millisecond)
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	start := time.Now()
	_, err := redisclient.BLPop(5*time.Second, k+"other").Do(short, c)
	cancel()
	if el := time.Since(start); err == nil || el > 2*time.Second {
		t.Errorf("BLPOP beyond the pool: %v after %v, want an error at the 300ms deadline", err, el)
	} else if !errors.Is(err, transport.ErrPoolTimeout) && !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("BLPOP beyond the pool: %v, want ErrPoolTimeout or the context's error", err)
	} else {
		t.Logf("BLPOP beyond the pool: %v after %v", err, el.Round(time.Millisecond))
	}
	expect(t, "GET on the shared connections meanwhile", none[string]())(redisclient.Get(k+"x").Do(ctx, c))
	value[int64](t, "RPUSH")(redisclient.RPush(k, "1", "2").Do(ctx, c))
	var got []string
	for _, b := range blockers {
		r := await(t, "BLPOP", b, 5*time.Second)
		if r.err != nil || r.v == nil {
			t.Fatalf("BLPOP: %+v %v", r.v, r.err)
		}
		got = append(got, r.v.Element)
	}
	expect(t, "BLPOP elements", []string{"1", "2"}, sorted)(got, nil)
}

// busyScript blocks the server for about ms milliseconds.
const busyScript = `local s = redis.call('TIME')
while true do
  local n = redis.call('TIME')
  if (n[1] - s[1]) * 1000000 + (n[2] - s[2]) > tonumber(ARGV[1]) * 1000 then return 1 end
end`

// TestContextCancelledMidFlight ends contexts while commands wait for
// their replies (the server is busy in a script), by deadline and by
// cancellation, on shared and dedicated connections; the client then goes
// on with correct replies.
func TestContextCancelledMidFlight(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "cancel"})
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			ctx := testCtx(t)
			c := NewClient(t, srv.Options(proto))
			busy := NewClient(t, srv.Options(proto))
			pfx := fmt.Sprintf("cancel:%d:", proto)
			for i := range 50 {
				ok(t, "SET")(redisclient.Set(fmt.Sprintf("%sk%d", pfx, i), fmt.Sprintf("v%d", i)).Do(ctx, c))
			}
			for round := range 3 {
				// Block the server ~400ms.
				script := async(func() (redisclient.Value, error) {
					return redisclient.Eval(busyScript).Args("400").Do(ctx, busy)
				})
				time.Sleep(50 * time.Millisecond)
				var wg sync.WaitGroup
				var cancelled, expired atomic.Int64
				for i := range 30 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						k := fmt.Sprintf("%sk%d", pfx, i)
						var cctx context.Context
						var cancel context.CancelFunc
						if i%2 == 0 {
							cctx, cancel = context.WithTimeout(ctx, time.Duration(20+i*3)*time.Millisecond)
						} else {
							cctx, cancel = context.WithCancel(ctx)
							time.AfterFunc(time.Duration(10+i*4)*time.Millisecond, cancel)
						}
						defer cancel()
						var err error
						switch i % 3 {
						case 0:
							_, err = redisclient.Get(k).Do(cctx, c)
						case 1:
							p := c.Pipeline()
							redisclient.Get(k).Queue(p)
							redisclient.Echo(k).Queue(p)
							err = p.Exec(cctx)
						case 2:
							_, err = redisclient.BLPop(time.Second, pfx+"none").Do(cctx, c)
						}
						switch {
						case errors.Is(err, context.DeadlineExceeded):
							expired.Add(1)
						case errors.Is(err, context.Canceled):
							cancelled.Add(1)
						default:
							t.Errorf("round %d, call %d: %v, want the context's error (the server is busy)", round, i, err)
						}
					}()
				}
				wg.Wait()
				r := await(t, "busy script", script, 10*time.Second)
				must(t, r.err, "busy script")
				if expired.Load() == 0 || cancelled.Load() == 0 {
					t.Errorf("round %d: %d expired, %d cancelled; want both kinds", round, expired.Load(), cancelled.Load())
				}
				// Correct replies afterwards, concurrently.
				for g := range 10 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for j := range 5 {
							i := (g*5 + j) % 50
							k := fmt.Sprintf("%sk%d", pfx, i)
							v, err := redisclient.Get(k).Do(ctx, c)
							if err != nil || v != some(fmt.Sprintf("v%d", i)) {
								t.Errorf("round %d: GET %s after cancellations: %+v %v", round, k, v, err)
							}
							e, err := redisclient.Echo(k).Do(ctx, c)
							if err != nil || e != k {
								t.Errorf("round %d: ECHO %s after cancellations: %q %v", round, k, e, err)
							}
						}
					}()
				}
				wg.Wait()
			}
		})
	}
}

// TestGoroutinesAfterClose checks that a client's goroutines end with
// Close, after it ran commands of every kind. It is not parallel: it
// counts the process's goroutines.
func TestGoroutinesAfterClose(t *testing.T) {
	srv := sharedServer(t)
	settle := func() int {
		runtime.GC()
		time.Sleep(100 * time.Millisecond)
		return runtime.NumGoroutine()
	}
	base := settle()

	for _, proto := range []int{2, 3} {
		ctx := testCtx(t)
		c, err := redisclient.New(srv.Options(proto))
		must(t, err, "New")
		ok(t, "SET")(redisclient.Set("leak:k", "v").Do(ctx, c))
		p := c.Pipeline()
		redisclient.Get("leak:k").Queue(p)
		must(t, p.Exec(ctx), "pipeline")
		tx := c.TxPipeline()
		redisclient.Incr("leak:n").Queue(tx)
		must(t, tx.Exec(ctx), "transaction")
		must(t, c.Watch(ctx, func(tx *redisclient.Tx) error {
			redisclient.Incr("leak:n").Queue(tx)
			return nil
		}, "leak:n"), "Watch")
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				redisclient.BLPop(50*time.Millisecond, "leak:none").Do(ctx, c)
			}()
		}
		wg.Wait()
		short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		redisclient.BLPop(0, "leak:none").Do(short, c)
		cancel()
		conn, err := c.DedicatedConn(ctx, -1)
		must(t, err, "DedicatedConn")
		conn.Release()
		// A command in flight when Close starts.
		inflight := async(func() (*redisclient.KeyElement, error) {
			return redisclient.BLPop(200*time.Millisecond, "leak:none").Do(ctx, c)
		})
		time.Sleep(20 * time.Millisecond)
		must(t, c.Close(), "Close")
		must(t, c.Close(), "second Close")
		await(t, "BLPOP in flight at Close", inflight, 10*time.Second)
		if _, err := redisclient.Get("leak:k").Do(ctx, c); !errors.Is(err, redisclient.ErrClientClosed) {
			t.Errorf("GET after Close: %v, want ErrClientClosed", err)
		}
	}

	// Clients that never connected (nothing listens on the port).
	port, err := freePort()
	must(t, err, "freePort")
	for range 3 {
		c, err := redisclient.New(redisclient.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port), DialTimeout: 200 * time.Millisecond})
		must(t, err, "New")
		short, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		redisclient.Ping().Do(short, c)
		cancel()
		must(t, c.Close(), "Close of a client that never connected")
	}

	var now int
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); {
		if now = settle(); now <= base {
			break
		}
	}
	if now > base {
		buf := new(bytes.Buffer)
		pprof.Lookup("goroutine").WriteTo(buf, 1)
		t.Errorf("%d goroutines 5s after Close, %d before the clients: leaked goroutines:\n%s", now, base, onlyRedkit(buf.String()))
	}
}

// onlyRedkit keeps the goroutine profile entries that mention redkit.
func onlyRedkit(profile string) string {
	var out []string
	for _, entry := range strings.Split(profile, "\n\n") {
		if strings.Contains(entry, "redkit-go/redkit/transport") || strings.Contains(entry, "redkit-go/redkit/redisclient") {
			out = append(out, entry)
		}
	}
	if len(out) == 0 {
		return profile
	}
	return strings.Join(out, "\n\n")
}
