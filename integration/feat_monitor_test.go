package integration

// Client.Monitor on RESP2 and RESP3: entries with time, database, client
// address (and "lua" for script commands), binary arguments; the stream
// ends with its context, with Close, and with a lost connection (Err); a
// reader that does not drain loses entries, counted exactly by Dropped.
// Each protocol has its own server, so that MONITOR sees only this test.

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

// nextEntry returns the next MONITOR entry, failing t after d.
func nextEntry(t testing.TB, m *redisclient.MonitorStream, d time.Duration, what string) redisclient.MonitorEntry {
	t.Helper()
	select {
	case e, ok := <-m.Entries():
		if !ok {
			t.Fatalf("%s: the stream ended (%v)", what, m.Err())
		}
		return e
	case <-time.After(d):
		t.Fatalf("%s: no entry within %v", what, d)
	}
	return redisclient.MonitorEntry{}
}

// streamEnds waits for the entries channel to close.
func streamEnds(t testing.TB, m *redisclient.MonitorStream, d time.Duration, what string) {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case _, ok := <-m.Entries():
			if !ok {
				return
			}
		case <-deadline:
			t.Fatalf("%s: the stream did not end within %v", what, d)
		}
	}
}

func TestFeatMonitor(t *testing.T) {
	perProtocolServer(t, "monitor", func(t *testing.T, srv *Server, proto int) {
		ctx := testCtx(t)
		// One shared connection per client, up before MONITOR starts: the
		// handshake of a connection still connecting would show.
		copts := srv.Options(proto)
		copts.PipelineConns = 1
		c := NewClient(t, copts)
		must(t, c.Ready(ctx), "Ready")
		wopts := srv.Options(proto)
		wopts.PipelineConns = 1 // CLIENT INFO then names the connection that ran the commands
		w := NewClient(t, wopts)
		wopts.DB = 3
		w3 := NewClient(t, wopts)
		must(t, w.Ready(ctx), "Ready")
		must(t, w3.Ready(ctx), "Ready")
		info := value[redisclient.ConnectedClient](t, "CLIENT INFO")(redisclient.ClientInfo().Do(ctx, w))

		mctx, cancel := context.WithCancel(ctx)
		defer cancel()
		m, err := c.Monitor(mctx)
		must(t, err, "MONITOR")
		before := time.Now()
		binary := "nul\x00 crlf\r\n quote\" backslash\\ tab\t bell\a é \xff"
		ok(t, "SET binary")(redisclient.Set("bin", binary).Do(ctx, w))
		e := nextEntry(t, m, 5*time.Second, "SET")
		after := time.Now()
		if !equalStrings(e.Args, []string{"SET", "bin", binary}) {
			t.Errorf("SET entry args: %q", e.Args)
		}
		if e.DB != 0 || e.Client != info.Addr {
			t.Errorf("SET entry: db %d client %q, want 0 and %q", e.DB, e.Client, info.Addr)
		}
		if e.Time.Before(before.Add(-time.Second)) || e.Time.After(after.Add(time.Second)) {
			t.Errorf("SET entry time %v, not between %v and %v", e.Time, before, after)
		}
		// The value round trip: what MONITOR shows is what was stored.
		expect(t, "GET binary", some(binary))(redisclient.Get("bin").Do(ctx, w))
		if e := nextEntry(t, m, 5*time.Second, "GET"); !equalStrings(e.Args, []string{"GET", "bin"}) {
			t.Errorf("GET entry: %q", e.Args)
		}

		// Another database.
		value[redisclient.Opt[string]](t, "GET in db 3")(redisclient.Get("k3").Do(ctx, w3))
		if e := nextEntry(t, m, 5*time.Second, "GET in db 3"); e.DB != 3 || !equalStrings(e.Args, []string{"GET", "k3"}) {
			t.Errorf("GET in db 3: %+v", e)
		}

		// Commands run by a script come from "lua".
		value[redisclient.Value](t, "EVAL")(redisclient.Eval("return redis.call('SET', KEYS[1], ARGV[1])").Keys("fromlua").Args("x\x00y").Do(ctx, w))
		if e := nextEntry(t, m, 5*time.Second, "EVAL"); e.Args[0] != "EVAL" || e.Client != info.Addr {
			t.Errorf("EVAL entry: %+v", e)
		}
		if e := nextEntry(t, m, 5*time.Second, "SET from lua"); e.Client != "lua" || !equalStrings(e.Args, []string{"SET", "fromlua", "x\x00y"}) {
			t.Errorf("SET from lua: %+v", e)
		}

		// The context ends the stream.
		cancel()
		streamEnds(t, m, 5*time.Second, "after the context ended")
		if err := m.Err(); err != nil {
			t.Errorf("Err after the context ended: %v", err)
		}
		must(t, m.Close(), "Close after the context ended")

		// Close ends the stream, and is idempotent.
		m, err = c.Monitor(ctx)
		must(t, err, "MONITOR again")
		value[string](t, "ECHO")(redisclient.Echo("x").Do(ctx, w))
		nextEntry(t, m, 5*time.Second, "ECHO")
		done := make(chan struct{})
		go func() { m.Close(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("Close did not return")
		}
		must(t, m.Close(), "second Close")
		streamEnds(t, m, time.Second, "after Close")
		if err := m.Err(); err != nil {
			t.Errorf("Err after Close: %v", err)
		}
		if !waitFor(2*time.Second, func() bool { return poolInUse(t, c) == 0 }) {
			t.Errorf("dedicated connections in use after the monitors ended: %d", poolInUse(t, c))
		}
	})
}

// TestFeatMonitorCloseLeaks ends monitors in every way and looks for
// their goroutines. It is not parallel: it looks at every goroutine of the
// process.
func TestFeatMonitorCloseLeaks(t *testing.T) {
	srv := StartServer(t, ServerConfig{Name: "monitor-leaks"})
	c := NewClient(t, srv.Options(3))
	ctx := testCtx(t)
	// Closed.
	m, err := c.Monitor(ctx)
	must(t, err, "MONITOR")
	must(t, c.Ping(ctx), "PING")
	m.Close()
	// Its context ended.
	mctx, cancel := context.WithCancel(ctx)
	_, err = c.Monitor(mctx)
	must(t, err, "MONITOR")
	cancel()
	// Its connection was killed.
	m, err = c.Monitor(ctx)
	must(t, err, "MONITOR")
	if _, err := srv.raw(5*time.Second, "CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"); err != nil {
		t.Fatalf("CLIENT KILL: %v", err)
	}
	streamEnds(t, m, 5*time.Second, "after CLIENT KILL")
	if m.Err() == nil {
		t.Errorf("Err after CLIENT KILL: nil")
	}
	// Not read at all while entries arrive, then closed.
	m, err = c.Monitor(ctx)
	must(t, err, "MONITOR")
	for range 50 {
		c.Ping(ctx)
	}
	m.Close()
	expectNoGoroutines(t, "after the monitors ended", 3*time.Second, "redisclient.(*MonitorStream)")
	if !waitFor(3*time.Second, func() bool { return poolInUse(t, c) == 0 }) {
		t.Errorf("dedicated connections in use after the monitors ended: %d", poolInUse(t, c))
	}
}

// TestFeatMonitorDropped does not read the stream while the server runs
// more commands than the buffer holds: the first ones are kept, in order,
// and every other one is counted.
func TestFeatMonitorDropped(t *testing.T) {
	perProtocolServer(t, "monitor-dropped", func(t *testing.T, srv *Server, proto int) {
		ctx := testCtx(t)
		// One shared connection per client, up before MONITOR starts: the
		// handshake of a connection still connecting would count.
		opts := srv.Options(proto)
		opts.PipelineConns = 1
		c := NewClient(t, opts)
		w := NewClient(t, opts)
		must(t, c.Ready(ctx), "Ready")
		must(t, w.Ready(ctx), "Ready")
		m, err := c.Monitor(ctx)
		must(t, err, "MONITOR")
		defer m.Close()
		const total = redisclient.DefaultMonitorBuffer + 1500
		for start := 0; start < total; start += 1000 {
			p := w.Pipeline()
			for i := start; i < min(start+1000, total); i++ {
				redisclient.Echo(strconv.Itoa(i)).Queue(p)
			}
			must(t, p.Exec(ctx), "ECHO pipeline")
		}
		if !waitFor(10*time.Second, func() bool { return int(m.Dropped())+len(m.Entries()) == total }) {
			t.Fatalf("after %d commands: %d dropped + %d buffered", total, m.Dropped(), len(m.Entries()))
		}
		if got, want := m.Dropped(), uint64(total-redisclient.DefaultMonitorBuffer); got != want {
			t.Errorf("Dropped: %d, want %d", got, want)
		}
		for i := range redisclient.DefaultMonitorBuffer {
			e := nextEntry(t, m, time.Second, "buffered entry")
			if !equalStrings(e.Args, []string{"ECHO", strconv.Itoa(i)}) {
				t.Fatalf("buffered entry %d: %q", i, e.Args)
			}
		}
		// Reading again: new entries arrive.
		value[string](t, "ECHO")(redisclient.Echo("later").Do(ctx, w))
		if e := nextEntry(t, m, 5*time.Second, "after draining"); !equalStrings(e.Args, []string{"ECHO", "later"}) {
			t.Errorf("after draining: %q", e.Args)
		}
		t.Logf("RESP%d: %d commands, buffer %d: %d dropped", proto, total, redisclient.DefaultMonitorBuffer, m.Dropped())
	})
}

// TestFeatMonitorLost restarts the server under a monitor: the stream ends
// and Err says why.
func TestFeatMonitorLost(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "monitor-lost"})
	c := NewClient(t, srv.Options(3))
	ctx := testCtx(t)
	m, err := c.Monitor(ctx)
	must(t, err, "MONITOR")
	defer m.Close()
	srv.Stop(t)
	streamEnds(t, m, 10*time.Second, "after the server stopped")
	if m.Err() == nil {
		t.Errorf("Err after the server stopped: nil, want the connection error")
	} else {
		t.Logf("Err after the server stopped: %v", m.Err())
	}
	srv.Start(t)
	if !waitFor(2*time.Second, func() bool { return poolInUse(t, c) == 0 }) {
		t.Errorf("dedicated connections in use after the stream ended: %d", poolInUse(t, c))
	}
}
