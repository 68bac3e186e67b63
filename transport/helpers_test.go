package transport

// Helpers shared by the transport's tests.

import (
	"context"
	"flag"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redkit-go/redkit/transport/resp"
)

// testCtx returns a context that ends after d (and with the test).
func testCtx(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// mkCmd builds a command from strings; the second argument of GET, SET,
// INCR, DEL and SLOWSET is a key, and so is every odd one of MSET.
func mkCmd(flags Flags, args ...string) *Command {
	c := AcquireCommand()
	c.SetMeta(Meta{Flags: flags})
	for i, a := range args {
		if i == 1 {
			switch args[0] {
			case "GET", "SET", "INCR", "DEL", "SLOWSET":
				c.Append(Key(a))
				continue
			}
		}
		if args[0] == "MSET" && i%2 == 1 {
			c.Append(Key(a))
			continue
		}
		c.Append(String(a))
	}
	return c
}

func getCmd(key string) *Command      { return mkCmd(FlagReadOnly, "GET", key) }
func setCmd(key, val string) *Command { return mkCmd(FlagWrite, "SET", key, val) }

// replyText renders a reply for comparisons: strings as is, integers in
// decimal, nulls as "(nil)", errors as "ERR:<text>".
func replyText(v resp.Value) string {
	switch v.Kind() {
	case resp.KindNull:
		return "(nil)"
	case resp.KindInteger:
		return strconv.FormatInt(v.Int(), 10)
	case resp.KindSimpleError, resp.KindBulkError:
		return "ERR:" + v.Text()
	case resp.KindSimpleString, resp.KindBulkString, resp.KindVerbatim:
		return v.Text()
	}
	return v.String()
}

// run does cmd on d, releases it, and returns its reply as text.
func run(ctx context.Context, d Doer, cmd *Command) (string, error) {
	defer cmd.Release()
	if err := d.Do(ctx, cmd); err != nil {
		return "", err
	}
	return replyText(cmd.Reply()), nil
}

// mustRun is run that fails the test on a transport error.
func mustRun(t testing.TB, ctx context.Context, d Doer, cmd *Command) string {
	t.Helper()
	name := cmd.Name()
	s, err := run(ctx, d, cmd)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

// alwaysPipeline runs the node tests with every command on the writer and
// reader goroutines; by default a caller alone on a connection takes the
// direct path. make test runs the package both ways.
var alwaysPipeline = flag.Bool("always-pipeline", false, "send every command through the writer and reader goroutines (NodeConfig.AlwaysPipeline)")

// newTestNode returns a node connected to s with test-friendly settings;
// mutate adjusts the configuration. The node is closed at cleanup.
func newTestNode(t testing.TB, s *fakeServer, mutate func(*NodeConfig)) *Node {
	t.Helper()
	cfg := NodeConfig{
		Dial:           DialConfig{Addr: s.addr, DialTimeout: 2 * time.Second},
		Reconnect:      ExponentialBackoff(2*time.Millisecond, 20*time.Millisecond),
		CloseTimeout:   2 * time.Second,
		AlwaysPipeline: *alwaysPipeline,
	}
	if mutate != nil {
		mutate(&cfg)
	}
	n := NewNode(cfg)
	t.Cleanup(func() { n.Close() })
	return n
}

// waitConnected waits until n has cfg.Conns shared connections.
func waitConnected(t testing.TB, n *Node) {
	t.Helper()
	waitFor(t, 5*time.Second, "node connected", func() bool {
		n.mu.Lock()
		defer n.mu.Unlock()
		return len(n.pipes) == n.cfg.Conns
	})
}

// waitFor polls cond until it holds or timeout passes.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(time.Millisecond)
	}
}

// eventLog records node events.
type eventLog struct {
	mu  sync.Mutex
	evs []Event
}

func (l *eventLog) add(e Event) {
	l.mu.Lock()
	l.evs = append(l.evs, e)
	l.mu.Unlock()
}

func (l *eventLog) count(typ EventType) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, e := range l.evs {
		if e.Type == typ {
			n++
		}
	}
	return n
}

func (l *eventLog) events() []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Event(nil), l.evs...)
}

// checkNoLeaks fails the test when, after cleanup, more goroutines run than
// before start; call it first so that its cleanup runs last.
func checkNoLeaks(t *testing.T) {
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for {
			now := runtime.NumGoroutine()
			if now <= before {
				return
			}
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				buf = buf[:runtime.Stack(buf, true)]
				t.Errorf("goroutines: %d before, %d after\n%s", before, now, buf)
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}

// within fails the test when f does not return within d.
func within(t testing.TB, d time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Fatalf("%s did not return within %v\n%s", what, d, buf)
	}
}
