package integration

// Client.Close ends what the client handed out that holds connections and
// goroutines of its own: subscribers (channels, patterns and shard
// channels, on RESP2 and RESP3, on a single server, a cluster and a
// sentinel group), MONITOR streams, and a Watch in progress. After Close
// returns their channels are closed, their goroutines are gone, the server
// lists none of their connections, and later calls fail with errors that
// match ErrClientClosed. Subscribers and monitors created while Close runs do
// not escape it. The tests are not parallel: they look at every goroutine
// of the process.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
)

// streamGoroutines are substrings of the stacks of subscriber and MONITOR
// goroutines.
var streamGoroutines = []string{"redisclient.(*subLink)", "redisclient.(*Subscriber)", "redisclient.(*MonitorStream)"}

// otherClients returns the server's CLIENT LIST lines (with args, e.g.
// "TYPE", "pubsub") but the probe's own.
func otherClients(t testing.TB, srv *Server, args ...string) []string {
	t.Helper()
	list, err := srv.raw(5*time.Second, append([]string{"CLIENT", "LIST"}, args...)...)
	if err != nil {
		t.Fatalf("CLIENT LIST: %v", err)
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(list), "\n") {
		if line != "" && !strings.Contains(line, "cmd=client|list") {
			out = append(out, line)
		}
	}
	return out
}

// expectNoClients fails t when the server still lists connections (of
// CLIENT LIST args) other than the probe's after d.
func expectNoClients(t testing.TB, srv *Server, what string, d time.Duration, args ...string) {
	t.Helper()
	var left []string
	if !waitFor(d, func() bool {
		left = otherClients(t, srv, args...)
		return len(left) == 0
	}) {
		t.Errorf("%s: the server %s still lists %d connections after %v:\n%s", what, srv.Addr, len(left), d, strings.Join(left, "\n"))
	}
}

// closeClientWithin closes c, failing t when Close does not return within
// d or fails.
func closeClientWithin(t testing.TB, c *redisclient.Client, d time.Duration) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- c.Close() }()
	select {
	case err := <-done:
		must(t, err, "Client.Close")
	case <-time.After(d):
		t.Fatalf("Client.Close did not return within %v", d)
	}
}

// messagesClose drains ch until it closes, failing t after d. Close
// returned before: the channel must be closed already, so d is short.
func messagesClose(t testing.TB, ch <-chan redisclient.Message, d time.Duration, what string) {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-deadline:
			t.Errorf("%s: the Messages channel is still open %v after Client.Close returned", what, d)
			return
		}
	}
}

// entriesClose drains a MONITOR stream until it closes, failing t after d.
func entriesClose(t testing.TB, m *redisclient.MonitorStream, d time.Duration, what string) {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case _, ok := <-m.Entries():
			if !ok {
				return
			}
		case <-deadline:
			t.Errorf("%s: the Entries channel is still open %v after Client.Close returned", what, d)
			return
		}
	}
}

// isClientClosed reports whether err is what the closed client's
// subscribers return: it matches ErrClientClosed, ErrSubscriberClosed and
// transport.ErrClosed.
func isClientClosed(err error) bool {
	return errors.Is(err, redisclient.ErrClientClosed) && errors.Is(err, redisclient.ErrSubscriberClosed) &&
		errors.Is(err, transport.ErrClosed)
}

// expectSubscriberClosed calls every method of s, which the client's
// Close closed: each returns at once with the closed error.
func expectSubscriberClosed(t testing.TB, s *redisclient.Subscriber, what string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, call := range []struct {
		name string
		fn   func() error
	}{
		{"Subscribe", func() error { return s.Subscribe(ctx, "after-close") }},
		{"PSubscribe", func() error { return s.PSubscribe(ctx, "after-close*") }},
		{"SSubscribe", func() error { return s.SSubscribe(ctx, "after-close") }},
		{"Unsubscribe", func() error { return s.Unsubscribe(ctx) }},
		{"PUnsubscribe", func() error { return s.PUnsubscribe(ctx) }},
		{"SUnsubscribe", func() error { return s.SUnsubscribe(ctx, "after-close") }},
	} {
		start := time.Now()
		err := call.fn()
		if !isClientClosed(err) {
			t.Errorf("%s: %s after Client.Close: %v, want an error matching ErrClientClosed, ErrSubscriberClosed and transport.ErrClosed", what, call.name, err)
		}
		if took := time.Since(start); took > time.Second {
			t.Errorf("%s: %s after Client.Close took %v", what, call.name, took)
		}
	}
	must(t, s.Close(), what+": Subscriber.Close after Client.Close")
}

func TestClientCloseEndsSubscribersAndMonitors(t *testing.T) {
	srv := StartServer(t, ServerConfig{Name: "close-streams"})
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			ctx := testCtx(t)
			c := NewClient(t, srv.Options(proto))

			// Every kind of subscription, with health checks.
			all := c.NewSubscriber(redisclient.SubscriberOptions{HealthCheckEvery: 20 * time.Millisecond})
			must(t, all.Subscribe(ctx, "a", "b"), "SUBSCRIBE")
			must(t, all.PSubscribe(ctx, "p*"), "PSUBSCRIBE")
			must(t, all.SSubscribe(ctx, "s"), "SSUBSCRIBE")
			// A reader blocked on a full buffer (OverflowBlock).
			full := c.NewSubscriber(redisclient.SubscriberOptions{BufferSize: 1})
			must(t, full.Subscribe(ctx, "full"), "SUBSCRIBE full")
			// Messages to a callback.
			var got sync.WaitGroup
			got.Add(1)
			var once sync.Once
			cb := c.NewSubscriber(redisclient.SubscriberOptions{OnMessage: func(redisclient.Message) { once.Do(got.Done) }})
			must(t, cb.Subscribe(ctx, "cb"), "SUBSCRIBE cb")
			// Closed by the application before the client: it must not
			// be in the way.
			early := c.NewSubscriber(redisclient.SubscriberOptions{})
			must(t, early.Subscribe(ctx, "early"), "SUBSCRIBE early")
			must(t, early.Close(), "Subscriber.Close")

			m, err := c.Monitor(ctx)
			must(t, err, "MONITOR")

			for range 3 {
				expect(t, "PUBLISH full", int64(1))(redisclient.Publish("full", "x").Do(ctx, c))
			}
			expect(t, "PUBLISH a", int64(1))(redisclient.Publish("a", "x").Do(ctx, c))
			expect(t, "PUBLISH cb", int64(1))(redisclient.Publish("cb", "x").Do(ctx, c))
			got.Wait()
			nextEntry(t, m, 5*time.Second, "MONITOR entry")
			// Three subscriber connections (the one closed early may take a
			// moment to go).
			if !waitFor(2*time.Second, func() bool { return len(otherClients(t, srv, "TYPE", "pubsub")) == 3 }) {
				t.Fatalf("before Close: subscriber connections:\n%s", strings.Join(otherClients(t, srv, "TYPE", "pubsub"), "\n"))
			}

			closeClientWithin(t, c, 5*time.Second)

			messagesClose(t, all.Messages(), 100*time.Millisecond, "subscriber")
			messagesClose(t, full.Messages(), 100*time.Millisecond, "subscriber with a full buffer")
			entriesClose(t, m, 100*time.Millisecond, "MONITOR")
			if err := m.Err(); !errors.Is(err, redisclient.ErrClientClosed) {
				t.Errorf("MONITOR Err after Client.Close: %v, want ErrClientClosed", err)
			}
			expectNoGoroutines(t, "after Client.Close", 100*time.Millisecond, streamGoroutines...)
			expectNoClients(t, srv, "after Client.Close", 2*time.Second)

			expectSubscriberClosed(t, all, "subscriber")
			expectSubscriberClosed(t, full, "subscriber with a full buffer")
			expectSubscriberClosed(t, cb, "subscriber with OnMessage")
			must(t, m.Close(), "MonitorStream.Close after Client.Close")

			// Created after Close: closed at once, without goroutines or
			// connections.
			late := c.NewSubscriber(redisclient.SubscriberOptions{})
			messagesClose(t, late.Messages(), 100*time.Millisecond, "subscriber created after Close")
			expectSubscriberClosed(t, late, "subscriber created after Close")
			if m, err := c.Monitor(ctx); !errors.Is(err, redisclient.ErrClientClosed) || m != nil {
				t.Errorf("Monitor after Close: %v %v, want ErrClientClosed", m, err)
			}
			expectNoGoroutines(t, "after calls on the closed client", 100*time.Millisecond, streamGoroutines...)
			expectNoClients(t, srv, "after calls on the closed client", time.Second)
		})
	}
}

// TestClientCloseRacesNewStreams closes clients while goroutines create,
// use and close subscribers and monitors: whatever was created before or
// during Close ends with it.
func TestClientCloseRacesNewStreams(t *testing.T) {
	srv := StartServer(t, ServerConfig{Name: "close-race"})
	for round := range 4 {
		// A pool large enough that the goroutines are subscribing, not
		// waiting for a connection, when Close comes.
		opts := srv.Options(2 + round%2)
		opts.PoolSize = 256
		c := NewClient(t, opts)
		ctx := testCtx(t)
		var (
			mu   sync.Mutex
			subs []*redisclient.Subscriber
			mons []*redisclient.MonitorStream
			wg   sync.WaitGroup
		)
		start := make(chan struct{})
		for g := range 4 {
			wg.Go(func() {
				<-start
				for i := 0; ; i++ {
					s := c.NewSubscriber(redisclient.SubscriberOptions{})
					mu.Lock()
					subs = append(subs, s)
					mu.Unlock()
					if err := s.Subscribe(ctx, fmt.Sprintf("race:%d:%d", g, i)); err != nil {
						if !isClientClosed(err) {
							t.Errorf("Subscribe racing Close: %v, want the closed error", err)
						}
						return
					}
					if i%2 == 0 {
						s.Close()
					}
				}
			})
		}
		wg.Go(func() {
			<-start
			for i := 0; ; i++ {
				m, err := c.Monitor(ctx)
				if err != nil {
					if !errors.Is(err, redisclient.ErrClientClosed) {
						t.Errorf("Monitor racing Close: %v, want ErrClientClosed", err)
					}
					return
				}
				mu.Lock()
				mons = append(mons, m)
				mu.Unlock()
				if i%2 == 0 {
					m.Close()
				}
			}
		})
		close(start)
		time.Sleep(time.Duration(10+20*round) * time.Millisecond)
		closeClientWithin(t, c, 5*time.Second)
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("round %d: the goroutines racing Close did not end within 5s", round)
		}
		for _, s := range subs {
			messagesClose(t, s.Messages(), 100*time.Millisecond, fmt.Sprintf("round %d: subscriber", round))
		}
		for _, m := range mons {
			entriesClose(t, m, 100*time.Millisecond, fmt.Sprintf("round %d: MONITOR", round))
		}
		t.Logf("round %d: %d subscribers, %d monitors", round, len(subs), len(mons))
		expectNoGoroutines(t, fmt.Sprintf("round %d: after Client.Close", round), time.Second, streamGoroutines...)
		expectNoClients(t, srv, fmt.Sprintf("round %d: after Client.Close", round), 2*time.Second)
		if t.Failed() {
			return
		}
	}
}

// TestClientCloseDuringWatch closes the client inside Watch's function:
// the function's commands fail, nothing runs, Watch returns the closed
// error and its connection closes.
func TestClientCloseDuringWatch(t *testing.T) {
	srv := StartServer(t, ServerConfig{Name: "close-watch"})
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			c := NewClient(t, srv.Options(proto))
			ctx := testCtx(t)
			ok(t, "SET")(redisclient.Set("w", "before").Do(ctx, c))
			err := c.Watch(ctx, func(tx *redisclient.Tx) error {
				must(t, c.Close(), "Close inside Watch")
				if v, err := redisclient.Get("w").Do(ctx, tx); !errors.Is(err, redisclient.ErrClientClosed) {
					t.Errorf("GET in Watch after Close: %+v %v, want ErrClientClosed", v, err)
				}
				redisclient.Set("w", "after").Queue(tx)
				return nil
			}, "w")
			if !errors.Is(err, redisclient.ErrClientClosed) {
				t.Errorf("Watch after Close: %v, want ErrClientClosed", err)
			}
			if v, err := srv.raw(5*time.Second, "GET", "w"); err != nil || v != "before" {
				t.Errorf("GET w after the closed Watch: %q %v, want %q (nothing ran)", v, err, "before")
			}
			expectNoClients(t, srv, "after Watch returned", 2*time.Second)
		})
	}
}

// TestClusterClientCloseEndsSubscribers subscribes to shard channels on
// every master, and to a channel, then closes the client: the subscriber
// ends and no master lists a subscriber connection.
func TestClusterClientCloseEndsSubscribers(t *testing.T) {
	tc := startCluster(t, cluConfig{Name: "close-streams", ReplicasPerMaster: -1})
	ctx := ctxFor(t, 60*time.Second)
	shards := tc.shards(t)
	for _, proto := range []int{2, 3} {
		c := tc.client(t, proto, nil)
		s := c.NewSubscriber(redisclient.SubscriberOptions{})
		var channels []string
		for i, sh := range shards {
			channels = append(channels, cluKey(sh.Slots[0]+7, fmt.Sprintf(":close%d", i)))
		}
		must(t, s.SSubscribe(ctx, channels...), "SSUBSCRIBE")
		must(t, s.Subscribe(ctx, "plain"), "SUBSCRIBE")
		for _, sh := range shards {
			if n := len(otherClients(t, sh.Master.Server, "TYPE", "pubsub")); n == 0 {
				t.Fatalf("RESP%d: master %s lists no subscriber connection before Close", proto, sh.Master.Addr)
			}
		}
		closeClientWithin(t, c, 5*time.Second)
		messagesClose(t, s.Messages(), 100*time.Millisecond, fmt.Sprintf("RESP%d: cluster subscriber", proto))
		expectNoGoroutines(t, fmt.Sprintf("RESP%d: after Client.Close", proto), 100*time.Millisecond, streamGoroutines...)
		for _, sh := range shards {
			expectNoClients(t, sh.Master.Server, fmt.Sprintf("RESP%d: after Client.Close", proto), 2*time.Second, "TYPE", "pubsub")
		}
		expectSubscriberClosed(t, s, fmt.Sprintf("RESP%d: cluster subscriber", proto))
	}
}

// TestSentinelClientCloseEndsSubscribers closes a sentinel group's client
// with a subscriber and a MONITOR stream on the master. The sentinel
// subscribes on the master too: the client's connections are told apart
// by their name.
func TestSentinelClientCloseEndsSubscribers(t *testing.T) {
	g := startSentinelGroup(t, sntConfig{Name: "close-streams", Replicas: 1, Sentinels: 1})
	master := g.Nodes[0]
	ctx := ctxFor(t, 30*time.Second)
	c := g.client(t, 3, func(o *redisclient.SentinelOptions) { o.ClientName = "close-streams" })
	must(t, c.Ready(ctx), "Ready")
	s := c.NewSubscriber(redisclient.SubscriberOptions{})
	must(t, s.Subscribe(ctx, "news"), "SUBSCRIBE")
	must(t, s.SSubscribe(ctx, "shard"), "SSUBSCRIBE")
	m, err := c.Monitor(ctx)
	must(t, err, "MONITOR")
	ours := func() (subscribers, monitors []string) {
		for _, line := range otherClients(t, master) {
			switch {
			case !strings.Contains(line, " name=close-streams "):
			case strings.Contains(line, " flags=P "):
				subscribers = append(subscribers, line)
			case strings.Contains(line, " flags=O "):
				monitors = append(monitors, line)
			}
		}
		return subscribers, monitors
	}
	if subs, mons := ours(); len(subs) != 1 || len(mons) != 1 {
		t.Fatalf("before Close: the master lists %d subscriber and %d MONITOR connections of the client, want 1 and 1:\n%s",
			len(subs), len(mons), strings.Join(otherClients(t, master), "\n"))
	}
	closeClientWithin(t, c.Client, 5*time.Second)
	messagesClose(t, s.Messages(), 100*time.Millisecond, "sentinel subscriber")
	entriesClose(t, m, 100*time.Millisecond, "sentinel MONITOR")
	expectNoGoroutines(t, "after Client.Close", 100*time.Millisecond, streamGoroutines...)
	var subs, mons []string
	if !waitFor(2*time.Second, func() bool {
		subs, mons = ours()
		return len(subs)+len(mons) == 0
	}) {
		t.Errorf("after Client.Close: the master still lists the client's subscriber and MONITOR connections:\n%s", strings.Join(append(subs, mons...), "\n"))
	}
	expectSubscriberClosed(t, s, "sentinel subscriber")
}
