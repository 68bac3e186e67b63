package integration

// The Subscriber (Client.NewSubscriber) on RESP2 and RESP3: message kinds
// and binary-safe payloads, patterns, shard channels, unsubscribing,
// overflow policies with exact drop counts, reconnection after a restart
// (a gap notice, then messages again without resubscribing by hand), a
// paused server found by the health check, and Close leaving neither
// goroutines nor dedicated connections behind.

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

// binaryPayloads are payloads that must arrive byte for byte.
var binaryPayloads = []string{
	"plain",
	"",
	"nul\x00inside\x00",
	"crlf\r\nin the middle\r\n",
	"*3\r\n$7\r\nmessage\r\n", // looks like RESP
	"\xff\xfe\x80 not UTF-8",
	strings.Repeat("large-", 20000),
}

func TestFeatSubscriberMessages(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		s := c.NewSubscriber(redisclient.SubscriberOptions{})
		defer s.Close()
		ch1, ch2 := key(t, "ch1"), key(t, "ch2")
		pat := key(t, "news") + ".*"
		patCh := key(t, "news") + ".sport"
		shard := key(t, "shard")

		if err := s.Subscribe(ctx); err == nil {
			t.Errorf("Subscribe without channels: no error")
		}
		must(t, s.Subscribe(ctx, ch1, ch2), "SUBSCRIBE")
		must(t, s.PSubscribe(ctx, pat), "PSUBSCRIBE")
		must(t, s.SSubscribe(ctx, shard), "SSUBSCRIBE")

		// Subscribe waited for the confirmations: the server counts the
		// subscriber at once (no polling).
		expect(t, "PUBLISH ch1 receivers", int64(1))(redisclient.Publish(ch1, "first").Do(ctx, c))
		m := recvMsg(t, s.Messages(), 5*time.Second, "message on ch1")
		if m.Kind != redisclient.KindMessage || m.Channel != ch1 || m.Payload != "first" || m.Pattern != "" || m.Err != nil {
			t.Errorf("message on ch1: got %s", describeMsg(m))
		}

		// Binary-safe payloads, in publishing order, on every kind.
		for i, p := range binaryPayloads {
			expect(t, fmt.Sprintf("PUBLISH payload %d", i), int64(1))(redisclient.Publish(ch2, p).Do(ctx, c))
			expect(t, fmt.Sprintf("PUBLISH pattern payload %d", i), int64(1))(redisclient.Publish(patCh, p).Do(ctx, c))
			expect(t, fmt.Sprintf("SPUBLISH payload %d", i), int64(1))(redisclient.SPublish(shard, p).Do(ctx, c))
		}
		for i, p := range binaryPayloads {
			want := []redisclient.Message{
				{Kind: redisclient.KindMessage, Channel: ch2, Payload: p},
				{Kind: redisclient.KindPMessage, Channel: patCh, Pattern: pat, Payload: p},
				{Kind: redisclient.KindSMessage, Channel: shard, Payload: p},
			}
			for _, w := range want {
				got := recvMsg(t, s.Messages(), 5*time.Second, fmt.Sprintf("payload %d", i))
				if got != w {
					t.Errorf("payload %d: got %s, want %s", i, describeMsg(got), describeMsg(w))
				}
			}
		}

		// A channel both subscribed and matched by a pattern: two messages.
		both := key(t, "news") + ".both"
		must(t, s.Subscribe(ctx, both), "SUBSCRIBE both")
		expect(t, "PUBLISH to a channel and a pattern", int64(2))(redisclient.Publish(both, "x").Do(ctx, c))
		kinds := map[redisclient.MessageKind]bool{}
		for range 2 {
			m := recvMsg(t, s.Messages(), 5*time.Second, "channel and pattern")
			kinds[m.Kind] = true
			if m.Channel != both || m.Payload != "x" {
				t.Errorf("channel and pattern: got %s", describeMsg(m))
			}
		}
		if !kinds[redisclient.KindMessage] || !kinds[redisclient.KindPMessage] {
			t.Errorf("channel and pattern: kinds %v, want a message and a pmessage", kinds)
		}

		// Unsubscribing stops delivery; the other subscriptions go on.
		must(t, s.Unsubscribe(ctx, ch1), "UNSUBSCRIBE ch1")
		expect(t, "PUBLISH ch1 after UNSUBSCRIBE", int64(0))(redisclient.Publish(ch1, "lost").Do(ctx, c))
		expect(t, "PUBLISH ch2 after UNSUBSCRIBE ch1", int64(1))(redisclient.Publish(ch2, "kept").Do(ctx, c))
		if m := recvMsg(t, s.Messages(), 5*time.Second, "ch2 after UNSUBSCRIBE ch1"); m.Channel != ch2 || m.Payload != "kept" {
			t.Errorf("after UNSUBSCRIBE ch1: got %s, want the message on ch2", describeMsg(m))
		}
		must(t, s.PUnsubscribe(ctx), "PUNSUBSCRIBE (all)")
		expect(t, "PUBLISH to the pattern after PUNSUBSCRIBE", int64(0))(redisclient.Publish(patCh, "lost").Do(ctx, c))
		must(t, s.SUnsubscribe(ctx, shard), "SUNSUBSCRIBE")
		expect(t, "SPUBLISH after SUNSUBSCRIBE", int64(0))(redisclient.SPublish(shard, "lost").Do(ctx, c))
		must(t, s.Unsubscribe(ctx), "UNSUBSCRIBE (all)")
		expect(t, "PUBLISH ch2 after UNSUBSCRIBE all", int64(0))(redisclient.Publish(ch2, "lost").Do(ctx, c))
		noMsg(t, s.Messages(), 100*time.Millisecond, "after unsubscribing from everything")

		// Unsubscribe returns after the server confirmed: a PUBLISH right
		// after it never reaches the subscriber (many rounds, to catch a
		// race between the two connections).
		loop := key(t, "loop")
		for i := range 100 {
			must(t, s.Subscribe(ctx, loop), "SUBSCRIBE loop")
			must(t, s.Unsubscribe(ctx, loop), "UNSUBSCRIBE loop")
			if n, err := redisclient.Publish(loop, "late").Do(ctx, c); n != 0 || err != nil {
				t.Fatalf("round %d: PUBLISH right after UNSUBSCRIBE reached %d subscribers (%v)", i, n, err)
			}
		}
		noMsg(t, s.Messages(), 50*time.Millisecond, "after the subscribe/unsubscribe rounds")

		// Subscribing again on the same subscriber works.
		must(t, s.Subscribe(ctx, ch1), "SUBSCRIBE again")
		expect(t, "PUBLISH after subscribing again", int64(1))(redisclient.Publish(ch1, "again").Do(ctx, c))
		if m := recvMsg(t, s.Messages(), 5*time.Second, "again"); m.Channel != ch1 || m.Payload != "again" {
			t.Errorf("after subscribing again: got %s", describeMsg(m))
		}

		// The normal client still runs commands while subscribed.
		ok(t, "SET while subscribed")(redisclient.Set(key(t, "k"), "v").Do(ctx, c))
		expect(t, "GET while subscribed", some("v"))(redisclient.Get(key(t, "k")).Do(ctx, c))

		must(t, s.Close(), "Close")
		must(t, s.Close(), "second Close")
		if _, open := <-s.Messages(); open {
			t.Errorf("Messages still open after Close")
		}
		if err := s.Subscribe(ctx, ch1); !errors.Is(err, redisclient.ErrSubscriberClosed) {
			t.Errorf("Subscribe after Close: %v, want ErrSubscriberClosed", err)
		}
		expect(t, "PUBLISH after Close", int64(0))(redisclient.Publish(ch1, "gone").Do(ctx, c))
	})
}

func TestFeatSubscriberCallback(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		got := make(chan redisclient.Message, 100)
		s := c.NewSubscriber(redisclient.SubscriberOptions{OnMessage: func(m redisclient.Message) { got <- m }})
		defer s.Close()
		if s.Messages() != nil {
			t.Errorf("Messages with OnMessage: want nil")
		}
		ch, pat := key(t, "cb"), key(t, "cbp")+"*"
		must(t, s.Subscribe(ctx, ch), "SUBSCRIBE")
		must(t, s.PSubscribe(ctx, pat), "PSUBSCRIBE")
		for i := range 20 {
			expect(t, "PUBLISH", int64(1))(redisclient.Publish(ch, strconv.Itoa(i)).Do(ctx, c))
		}
		expect(t, "PUBLISH pattern", int64(1))(redisclient.Publish(key(t, "cbp")+"-x", "p").Do(ctx, c))
		for i := range 20 {
			m := recvMsg(t, got, 5*time.Second, "callback")
			if m.Kind != redisclient.KindMessage || m.Channel != ch || m.Payload != strconv.Itoa(i) {
				t.Errorf("callback message %d: %s", i, describeMsg(m))
			}
		}
		m := recvMsg(t, got, 5*time.Second, "callback pattern")
		if m.Kind != redisclient.KindPMessage || m.Pattern != pat || m.Payload != "p" {
			t.Errorf("callback pattern message: %s", describeMsg(m))
		}
		must(t, s.Close(), "Close")
		if s.Dropped() != 0 {
			t.Errorf("Dropped with a callback: %d", s.Dropped())
		}
	})
}

// TestFeatSubscriberOverflow publishes a known burst to a subscriber that
// does not read, and checks what each policy kept and counted.
func TestFeatSubscriberOverflow(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		const buffer, burst = 8, 30
		for _, tc := range []struct {
			name    string
			policy  redisclient.OverflowPolicy
			dropped uint64
			first   int // payload of the first message kept
			kept    int
		}{
			{"DropNewest", redisclient.OverflowDropNewest, burst - buffer, 0, buffer},
			{"DropOldest", redisclient.OverflowDropOldest, burst - buffer, burst - buffer, buffer},
			{"Block", redisclient.OverflowBlock, 0, 0, burst},
		} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				ctx := testCtx(t)
				s := c.NewSubscriber(redisclient.SubscriberOptions{BufferSize: buffer, Overflow: tc.policy})
				defer s.Close()
				ch := key(t, "burst")
				must(t, s.Subscribe(ctx, ch), "SUBSCRIBE")
				p := c.Pipeline()
				var futs []*redisclient.Future[int64]
				for i := range burst {
					futs = append(futs, redisclient.Publish(ch, strconv.Itoa(i)).Queue(p))
				}
				must(t, p.Exec(ctx), "PUBLISH burst")
				for i, f := range futs {
					if n, err := f.Result(); n != 1 || err != nil {
						t.Fatalf("PUBLISH %d: %d receivers, %v", i, n, err)
					}
				}
				if tc.dropped > 0 {
					if !waitFor(5*time.Second, func() bool { return s.Dropped() == tc.dropped }) {
						t.Fatalf("Dropped: %d after 5s, want %d", s.Dropped(), tc.dropped)
					}
				} else {
					// Blocked: the reader waits for room; nothing is lost.
					time.Sleep(200 * time.Millisecond)
				}
				for i := range tc.kept {
					m := recvMsg(t, s.Messages(), 5*time.Second, "kept message")
					if want := strconv.Itoa(tc.first + i); m.Payload != want || m.Kind != redisclient.KindMessage {
						t.Errorf("kept message %d: %s, want payload %s", i, describeMsg(m), want)
					}
				}
				noMsg(t, s.Messages(), 100*time.Millisecond, "after the kept messages")
				if s.Dropped() != tc.dropped {
					t.Errorf("Dropped: %d, want %d", s.Dropped(), tc.dropped)
				}
				t.Logf("%s: buffer %d, burst %d: kept %d, dropped %d", tc.name, buffer, burst, tc.kept, s.Dropped())
			})
		}
	})
}

// TestFeatSubscriberReconnect restarts the server under a subscriber: it
// reports a gap, then receives messages on all its subscriptions again
// without the application subscribing again.
func TestFeatSubscriberReconnect(t *testing.T) {
	t.Parallel()
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			t.Parallel()
			srv := StartServer(t, ServerConfig{Name: fmt.Sprintf("sub-restart-%d", proto)})
			opts := srv.Options(proto)
			opts.Reconnect = fastReconnect
			c := NewClient(t, opts)
			ctx := testCtx(t)
			s := c.NewSubscriber(redisclient.SubscriberOptions{Reconnect: fastReconnect})
			defer s.Close()
			must(t, s.Subscribe(ctx, "chan"), "SUBSCRIBE")
			must(t, s.PSubscribe(ctx, "pat.*"), "PSUBSCRIBE")
			must(t, s.SSubscribe(ctx, "shard"), "SSUBSCRIBE")
			expect(t, "PUBLISH before the restart", int64(1))(redisclient.Publish("chan", "before").Do(ctx, c))
			if m := recvMsg(t, s.Messages(), 5*time.Second, "before the restart"); m.Payload != "before" {
				t.Fatalf("before the restart: %s", describeMsg(m))
			}

			srv.Stop(t)
			gap := recvMsg(t, s.Messages(), 10*time.Second, "gap notice")
			if gap.Kind != redisclient.KindGap || gap.Err == nil {
				t.Fatalf("after the server stopped: %s, want a gap notice with an error", describeMsg(gap))
			}
			t.Logf("gap notice: %v", gap.Err)
			srv.Start(t)

			// Publish until the server counts the subscriber again, then
			// expect exactly that message (more gap notices are allowed:
			// a connection attempt may fail while the server starts).
			gaps := 1
			publishUntilReceived := func(what string, publish func(payload string) (int64, error), want redisclient.Message) {
				t.Helper()
				var n int64
				var err error
				for i := 0; ; i++ {
					want.Payload = fmt.Sprintf("%s-%d", what, i)
					n, err = publish(want.Payload)
					if err == nil && n == 1 {
						break
					}
					if i > 400 {
						t.Fatalf("%s: the subscription was not restored within 20s (last: %d receivers, %v)", what, n, err)
					}
					time.Sleep(50 * time.Millisecond)
				}
				for {
					m := recvMsg(t, s.Messages(), 5*time.Second, what)
					if m.Kind == redisclient.KindGap {
						gaps++
						continue
					}
					if m != want {
						t.Errorf("%s: got %s, want %s", what, describeMsg(m), describeMsg(want))
					}
					return
				}
			}
			publishUntilReceived("chan", func(p string) (int64, error) { return redisclient.Publish("chan", p).Do(ctx, c) },
				redisclient.Message{Kind: redisclient.KindMessage, Channel: "chan"})
			publishUntilReceived("pat", func(p string) (int64, error) { return redisclient.Publish("pat.x", p).Do(ctx, c) },
				redisclient.Message{Kind: redisclient.KindPMessage, Channel: "pat.x", Pattern: "pat.*"})
			publishUntilReceived("shard", func(p string) (int64, error) { return redisclient.SPublish("shard", p).Do(ctx, c) },
				redisclient.Message{Kind: redisclient.KindSMessage, Channel: "shard"})
			t.Logf("RESP%d: %d gap notice(s), then every subscription restored", proto, gaps)
			must(t, s.Close(), "Close")
			if n := poolInUse(t, c); n != 0 {
				t.Errorf("dedicated connections in use after Close: %d", n)
			}
		})
	}
}

// TestFeatSubscriberHealthCheck pauses the server: no connection error
// happens, only the health check's unanswered PING tells.
func TestFeatSubscriberHealthCheck(t *testing.T) {
	t.Parallel()
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			t.Parallel()
			srv := StartServer(t, ServerConfig{Name: fmt.Sprintf("sub-pause-%d", proto)})
			opts := srv.Options(proto)
			opts.Reconnect = fastReconnect
			opts.DialTimeout = time.Second
			c := NewClient(t, opts)
			ctx := testCtx(t)
			const every, timeout = 150 * time.Millisecond, 300 * time.Millisecond
			s := c.NewSubscriber(redisclient.SubscriberOptions{
				HealthCheckEvery: every, HealthCheckTimeout: timeout, Reconnect: fastReconnect,
			})
			defer s.Close()
			must(t, s.Subscribe(ctx, "hc"), "SUBSCRIBE")
			// Several health checks pass on a live server; their PONGs are
			// not messages.
			noMsg(t, s.Messages(), 5*every, "while the health check answers")
			expect(t, "PUBLISH", int64(1))(redisclient.Publish("hc", "alive").Do(ctx, c))
			if m := recvMsg(t, s.Messages(), 5*time.Second, "alive"); m.Payload != "alive" {
				t.Fatalf("before the pause: %s", describeMsg(m))
			}

			srv.Pause(t)
			paused := time.Now()
			gap := recvMsg(t, s.Messages(), 5*time.Second, "gap notice while paused")
			took := time.Since(paused)
			if gap.Kind != redisclient.KindGap {
				t.Fatalf("while paused: %s, want a gap notice", describeMsg(gap))
			}
			// Silence of every, then timeout for the PONG, checked every
			// every/2: well under 3*(every+timeout).
			if took > 3*(every+timeout) {
				t.Errorf("the paused server was noticed after %v", took)
			}
			t.Logf("RESP%d: paused server noticed after %v (%v)", proto, took.Round(time.Millisecond), gap.Err)
			srv.Unpause(t)

			for i := 0; ; i++ {
				n, err := redisclient.Publish("hc", "back").Do(ctx, c)
				if err == nil && n == 1 {
					break
				}
				if i > 400 {
					t.Fatalf("not resubscribed within 20s after the pause: %d, %v", n, err)
				}
				time.Sleep(50 * time.Millisecond)
			}
			for {
				m := recvMsg(t, s.Messages(), 5*time.Second, "after the pause")
				if m.Kind == redisclient.KindGap {
					continue
				}
				if m.Payload != "back" || m.Channel != "hc" {
					t.Errorf("after the pause: %s", describeMsg(m))
				}
				break
			}
		})
	}
}

// TestFeatSubscriberCloseLeaks closes subscribers in every state: idle,
// delivering to a full buffer, holding a gap notice for a full buffer, and
// reconnecting to a stopped server. Close must return promptly and leave
// no goroutines and no dedicated connections in use. It is not parallel:
// it looks at every goroutine of the process.
func TestFeatSubscriberCloseLeaks(t *testing.T) {
	srv := StartServer(t, ServerConfig{Name: "sub-leaks"})
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			opts := srv.Options(proto)
			opts.Reconnect = fastReconnect
			c := NewClient(t, opts)
			ctx := testCtx(t)
			closeWithin := func(s *redisclient.Subscriber, what string) {
				t.Helper()
				done := make(chan struct{})
				go func() { s.Close(); close(done) }()
				select {
				case <-done:
				case <-time.After(3 * time.Second):
					t.Fatalf("%s: Close did not return within 3s", what)
				}
			}

			// Idle, with health checks and several kinds of subscriptions.
			s := c.NewSubscriber(redisclient.SubscriberOptions{HealthCheckEvery: 20 * time.Millisecond})
			must(t, s.Subscribe(ctx, "a", "b"), "SUBSCRIBE")
			must(t, s.PSubscribe(ctx, "p*"), "PSUBSCRIBE")
			must(t, s.SSubscribe(ctx, "s"), "SSUBSCRIBE")
			time.Sleep(100 * time.Millisecond)
			closeWithin(s, "idle")

			// The reader blocked on a full buffer (OverflowBlock).
			s = c.NewSubscriber(redisclient.SubscriberOptions{BufferSize: 1})
			must(t, s.Subscribe(ctx, "full"), "SUBSCRIBE")
			for range 3 {
				expect(t, "PUBLISH", int64(1))(redisclient.Publish("full", "x").Do(ctx, c))
			}
			time.Sleep(50 * time.Millisecond)
			closeWithin(s, "blocked on a full buffer")

			// A gap notice waiting for room in a full buffer.
			s = c.NewSubscriber(redisclient.SubscriberOptions{BufferSize: 1, Reconnect: fastReconnect})
			must(t, s.Subscribe(ctx, "gap"), "SUBSCRIBE")
			expect(t, "PUBLISH", int64(1))(redisclient.Publish("gap", "x").Do(ctx, c))
			time.Sleep(50 * time.Millisecond)
			if _, err := srv.raw(5*time.Second, "CLIENT", "KILL", "TYPE", "pubsub"); err != nil {
				t.Fatalf("CLIENT KILL TYPE pubsub: %v", err)
			}
			time.Sleep(100 * time.Millisecond)
			closeWithin(s, "holding a gap notice")

			expectNoGoroutines(t, "after Close", 2*time.Second, "redisclient.(*subLink)", "redisclient.(*Subscriber)")
			if n := poolInUse(t, c); n != 0 {
				t.Errorf("dedicated connections in use after Close: %d", n)
			}
		})
	}

	// Reconnecting to a stopped server when Close is called; the server
	// then comes back while the subscriber is closed.
	opts := srv.Options(3)
	opts.Reconnect = fastReconnect
	c := NewClient(t, opts)
	ctx := testCtx(t)
	s := c.NewSubscriber(redisclient.SubscriberOptions{Reconnect: fastReconnect})
	must(t, s.Subscribe(ctx, "down"), "SUBSCRIBE")
	srv.Stop(t)
	if m := recvMsg(t, s.Messages(), 10*time.Second, "gap notice"); m.Kind != redisclient.KindGap {
		t.Fatalf("after the stop: %s", describeMsg(m))
	}
	time.Sleep(200 * time.Millisecond) // reconnecting now
	start := time.Now()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.Close()
	}()
	time.Sleep(100 * time.Millisecond)
	srv.Start(t)
	wg.Wait()
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("Close while reconnecting took %v", took)
	}
	expectNoGoroutines(t, "after Close while reconnecting", 3*time.Second, "redisclient.(*subLink)", "redisclient.(*Subscriber)")
	if !waitFor(3*time.Second, func() bool { return poolInUse(t, c) == 0 }) {
		t.Errorf("dedicated connections in use after Close while reconnecting: %d", poolInUse(t, c))
	}
	if n, err := redisclient.PubsubNumSub().Channels("down").Do(ctx, c); err != nil || n["down"] != 0 {
		t.Errorf("PUBSUB NUMSUB after Close while reconnecting: %v %v, want 0 subscribers", n, err)
	}
}

// TestFeatSubscriberGapNotDropped fills the buffer of a DropNewest
// subscriber and breaks its connection: the gap notice displaces the
// oldest message instead of being dropped itself.
func TestFeatSubscriberGapNotDropped(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "sub-gap-full"})
	opts := srv.Options(3)
	opts.Reconnect = fastReconnect
	c := NewClient(t, opts)
	ctx := testCtx(t)
	s := c.NewSubscriber(redisclient.SubscriberOptions{BufferSize: 2, Overflow: redisclient.OverflowDropNewest, Reconnect: fastReconnect})
	defer s.Close()
	must(t, s.Subscribe(ctx, "g"), "SUBSCRIBE")
	for _, p := range []string{"m1", "m2"} {
		expect(t, "PUBLISH", int64(1))(redisclient.Publish("g", p).Do(ctx, c))
	}
	if !waitFor(5*time.Second, func() bool { return len(s.Messages()) == 2 }) {
		t.Fatalf("buffer not full: %d messages", len(s.Messages()))
	}
	if _, err := srv.raw(5*time.Second, "CLIENT", "KILL", "TYPE", "pubsub"); err != nil {
		t.Fatalf("CLIENT KILL TYPE pubsub: %v", err)
	}
	if !waitFor(5*time.Second, func() bool { return s.Dropped() == 1 }) {
		t.Fatalf("Dropped: %d, want 1 (the oldest message, for the gap notice)", s.Dropped())
	}
	if m := recvMsg(t, s.Messages(), time.Second, "kept message"); m.Payload != "m2" {
		t.Errorf("first buffered: %s, want m2", describeMsg(m))
	}
	if m := recvMsg(t, s.Messages(), time.Second, "gap notice"); m.Kind != redisclient.KindGap || m.Err == nil {
		t.Errorf("second buffered: %s, want the gap notice", describeMsg(m))
	}
}

// TestFeatSubscriberRefused subscribes to channels an ACL forbids: the
// server's error comes back at once, not when the context ends, and the
// subscriber keeps working.
func TestFeatSubscriberRefused(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "sub-acl", Users: []string{"alice on >pw ~* &allowed:* +@all"}})
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			t.Parallel()
			opts := srv.Options(proto)
			opts.Username, opts.Password = "alice", "pw"
			c := NewClient(t, opts)
			ctx := testCtx(t)
			s := c.NewSubscriber(redisclient.SubscriberOptions{})
			defer s.Close()
			must(t, s.Subscribe(ctx, "allowed:a"), "SUBSCRIBE allowed")
			start := time.Now()
			err := s.Subscribe(ctx, "denied")
			if errCode(err) != "NOPERM" {
				t.Errorf("SUBSCRIBE denied: %v, want a NOPERM error", err)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("SUBSCRIBE denied returned after %v", took)
			}
			if err := s.PSubscribe(ctx, "denied*"); errCode(err) != "NOPERM" {
				t.Errorf("PSUBSCRIBE denied: %v, want a NOPERM error", err)
			}
			must(t, s.Subscribe(ctx, "allowed:b"), "SUBSCRIBE allowed after a refusal")
			expect(t, "PUBLISH", int64(1))(redisclient.Publish("allowed:b", "ok").Do(ctx, c))
			if m := recvMsg(t, s.Messages(), 5*time.Second, "after a refusal"); m.Channel != "allowed:b" || m.Payload != "ok" {
				t.Errorf("after a refusal: %s", describeMsg(m))
			}
		})
	}
}
