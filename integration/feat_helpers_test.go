package integration

// Helpers of the feature tests (pub/sub, scripts, key prefixing, scan
// iterators, MONITOR, client-side caching): server-side command counters,
// a MONITOR recorder, goroutine and pool checks.

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
)

// resetStats clears the server's command statistics (CONFIG RESETSTAT).
// Only for servers a test owns: the shared server's counters are
// everybody's.
func resetStats(t testing.TB, srv *Server) {
	t.Helper()
	if reply, err := srv.raw(5*time.Second, "CONFIG", "RESETSTAT"); err != nil || reply != "+OK" {
		t.Fatalf("CONFIG RESETSTAT: %q %v", reply, err)
	}
}

// commandCalls returns how often the server ran command (lower case, as
// in INFO commandstats: "get", "sscan", "evalsha_ro"), by the harness's own
// connection.
func commandCalls(t testing.TB, srv *Server, command string) int64 {
	t.Helper()
	info, err := srv.raw(5*time.Second, "INFO", "commandstats")
	if err != nil {
		t.Fatalf("INFO commandstats: %v", err)
	}
	prefix := "cmdstat_" + command + ":calls="
	for _, line := range strings.Split(info, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), prefix); ok {
			n, err := strconv.ParseInt(rest[:strings.IndexByte(rest, ',')], 10, 64)
			if err != nil {
				t.Fatalf("INFO commandstats: bad line %q", line)
			}
			return n
		}
	}
	return 0
}

// waitFor polls cond every few milliseconds until it holds or d passes;
// it reports whether cond held.
func waitFor(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); ; {
		if cond() {
			return true
		}
		if time.Now().After(end) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// goroutinesWith counts the goroutines whose stack mentions any of subs.
func goroutinesWith(subs ...string) (int, string) {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	var found []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		for _, s := range subs {
			if strings.Contains(g, s) {
				count++
				found = append(found, g)
				break
			}
		}
	}
	return count, strings.Join(found, "\n\n")
}

// expectNoGoroutines fails t when goroutines mentioning subs are still
// there after d.
func expectNoGoroutines(t testing.TB, what string, d time.Duration, subs ...string) {
	t.Helper()
	var stacks string
	if !waitFor(d, func() bool {
		var n int
		n, stacks = goroutinesWith(subs...)
		return n == 0
	}) {
		t.Errorf("%s: goroutines left after %v:\n%s", what, d, stacks)
	}
}

// poolInUse returns the number of dedicated connections the client's node
// has handed out and not had back.
func poolInUse(t testing.TB, c *redisclient.Client) int {
	t.Helper()
	n, ok := c.Router().(*transport.Node)
	if !ok {
		t.Fatalf("router %T is not a *transport.Node", c.Router())
	}
	st := n.Pool().Stats()
	return st.Open - st.Idle
}

// monitorLog records the entries of a MONITOR stream in the background.
type monitorLog struct {
	m       *redisclient.MonitorStream
	mu      sync.Mutex
	entries []redisclient.MonitorEntry
	done    chan struct{}
}

// startMonitor starts MONITOR on c and records what it sees until t ends.
func startMonitor(t testing.TB, c *redisclient.Client) *monitorLog {
	t.Helper()
	m, err := c.Monitor(testCtx(t))
	must(t, err, "MONITOR")
	l := &monitorLog{m: m, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		for e := range m.Entries() {
			l.mu.Lock()
			l.entries = append(l.entries, e)
			l.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		m.Close()
		<-l.done
	})
	return l
}

// until waits for an entry whose arguments are exactly marker and returns
// the entries before it that came after the previous marker, removing
// them from the log.
func (l *monitorLog) until(t testing.TB, marker ...string) []redisclient.MonitorEntry {
	t.Helper()
	var out []redisclient.MonitorEntry
	ok := waitFor(10*time.Second, func() bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		for i, e := range l.entries {
			if equalStrings(e.Args, marker) {
				out = append([]redisclient.MonitorEntry(nil), l.entries[:i]...)
				l.entries = append(l.entries[:0], l.entries[i+1:]...)
				return true
			}
		}
		return false
	})
	if !ok {
		t.Fatalf("MONITOR: no %q within 10s (stream error: %v)", marker, l.m.Err())
	}
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// quoteArgs renders argument vectors for people: one command per line,
// each argument quoted.
func quoteArgs(cmds [][]string) string {
	var lines []string
	for _, args := range cmds {
		q := make([]string, len(args))
		for i, a := range args {
			q[i] = strconv.Quote(a)
		}
		lines = append(lines, strings.Join(q, " "))
	}
	return strings.Join(lines, "\n")
}

// recvMsg returns the next message of a subscriber, failing t after d.
func recvMsg(t testing.TB, ch <-chan redisclient.Message, d time.Duration, what string) redisclient.Message {
	t.Helper()
	select {
	case m, ok := <-ch:
		if !ok {
			t.Fatalf("%s: the Messages channel closed", what)
		}
		return m
	case <-time.After(d):
		t.Fatalf("%s: no message within %v", what, d)
	}
	return redisclient.Message{}
}

// noMsg checks that no message arrives within d.
func noMsg(t testing.TB, ch <-chan redisclient.Message, d time.Duration, what string) {
	t.Helper()
	select {
	case m, ok := <-ch:
		if ok {
			t.Errorf("%s: unexpected message %+v", what, m)
		}
	case <-time.After(d):
	}
}

// describeMsg formats a message for errors.
func describeMsg(m redisclient.Message) string {
	return fmt.Sprintf("{Kind:%d Channel:%q Pattern:%q Payload:%q Err:%v}", m.Kind, m.Channel, m.Pattern, m.Payload, m.Err)
}

// fastReconnect is a reconnect strategy for tests with restarts.
func fastReconnect(int, error) (time.Duration, bool) { return 50 * time.Millisecond, true }

// ctxWith returns a context bounded by d, cancelled when t ends.
func ctxWith(t testing.TB, d time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx, cancel
}
