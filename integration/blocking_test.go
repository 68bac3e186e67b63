package integration

// Blocking commands: they run on dedicated connections, return when data
// arrives or at their timeout, honour contexts, and never stall the
// commands on the shared connections.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

// result is the outcome of a blocking call run in a goroutine.
type result[T any] struct {
	v       T
	err     error
	elapsed time.Duration
}

// async runs f in a goroutine and returns a channel with its result.
func async[T any](f func() (T, error)) <-chan result[T] {
	ch := make(chan result[T], 1)
	start := time.Now()
	go func() {
		v, err := f()
		ch <- result[T]{v, err, time.Since(start)}
	}()
	return ch
}

// await waits for a result at most d.
func await[T any](t testing.TB, what string, ch <-chan result[T], d time.Duration) result[T] {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(d):
		t.Fatalf("%s did not return within %v", what, d)
		return result[T]{}
	}
}

// waitBlocked waits until n clients named name are blocked in cmd on the
// server.
func waitBlocked(t testing.TB, ctx context.Context, c *redisclient.Client, name, cmd string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		list, err := redisclient.ClientList().Do(ctx, c)
		if err != nil {
			t.Fatalf("CLIENT LIST: %v", err)
		}
		got := 0
		for _, cl := range list {
			if cl.Name == name && cl.Cmd == cmd && strings.Contains(cl.Flags, "b") {
				got++
			}
		}
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d clients blocked in %s after 10s, want %d", got, cmd, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestBlockingCommands(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "blocking"})
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			t.Parallel()
			ctx := testCtx(t)
			opts := srv.Options(proto)
			opts.ClientName = fmt.Sprintf("blocking-resp%d", proto)
			name := opts.ClientName
			c := NewClient(t, opts)
			producer := NewClient(t, srv.Options(proto))
			k := func(name string) string { return key(t, name) }

			// BLPOP and BRPOP: data arrives while blocked.
			blpop := async(func() (*redisclient.KeyElement, error) {
				return redisclient.BLPop(5*time.Second, k("empty"), k("l")).Do(ctx, c)
			})
			waitBlocked(t, ctx, producer, name, "blpop", 1)
			value[int64](t, "RPUSH")(redisclient.RPush(k("l"), "a", "b").Do(ctx, producer))
			r := await(t, "BLPOP", blpop, 5*time.Second)
			expect(t, "BLPOP", &redisclient.KeyElement{Key: k("l"), Element: "a"})(r.v, r.err)
			expect(t, "BRPOP (data present)", &redisclient.KeyElement{Key: k("l"), Element: "b"})(
				redisclient.BRPop(time.Second, k("l")).Do(ctx, c))

			// Timeouts: a nil reply after the server-side timeout.
			start := time.Now()
			expect(t, "BLPOP timeout", (*redisclient.KeyElement)(nil))(redisclient.BLPop(300*time.Millisecond, k("empty")).Do(ctx, c))
			if el := time.Since(start); el < 250*time.Millisecond || el > 3*time.Second {
				t.Errorf("BLPOP 0.3s returned after %v", el)
			}
			expect(t, "BZPOPMIN timeout", (*redisclient.KeyZMember)(nil))(redisclient.BZPopMin(100*time.Millisecond, k("emptyz")).Do(ctx, c))
			expect(t, "BLMOVE timeout", none[string]())(redisclient.BLMove(k("empty"), k("dst"), redisclient.SideLeft, redisclient.SideRight, 100*time.Millisecond).Do(ctx, c))
			expect(t, "XREAD BLOCK timeout", []redisclient.XStream(nil))(
				redisclient.XRead([]string{k("emptys")}, "0").Block(100*time.Millisecond).Do(ctx, c))

			// BLMOVE, BZPOPMIN, BLMPOP, BZMPOP and XREAD BLOCK, woken by data.
			blmove := async(func() (redisclient.Opt[string], error) {
				return redisclient.BLMove(k("src"), k("dst"), redisclient.SideRight, redisclient.SideLeft, 5*time.Second).Do(ctx, c)
			})
			bzpop := async(func() (*redisclient.KeyZMember, error) {
				return redisclient.BZPopMin(5*time.Second, k("z")).Do(ctx, c)
			})
			blmpop := async(func() (*redisclient.KeyElements, error) {
				return redisclient.BLMPop(5*time.Second, redisclient.SideLeft, k("mp")).Count(10).Do(ctx, c)
			})
			bzmpop := async(func() (*redisclient.KeyZMembers, error) {
				return redisclient.BZMPop(5*time.Second, redisclient.MinMaxMax, k("mz")).Count(2).Do(ctx, c)
			})
			xread := async(func() ([]redisclient.XStream, error) {
				return redisclient.XRead([]string{k("s")}, "$").Block(5*time.Second).Do(ctx, c)
			})
			waitBlocked(t, ctx, producer, name, "blmove", 1)
			waitBlocked(t, ctx, producer, name, "bzpopmin", 1)
			waitBlocked(t, ctx, producer, name, "blmpop", 1)
			waitBlocked(t, ctx, producer, name, "bzmpop", 1)
			waitBlocked(t, ctx, producer, name, "xread", 1)
			value[int64](t, "RPUSH")(redisclient.RPush(k("src"), "x", "y").Do(ctx, producer))
			value[int64](t, "ZADD")(redisclient.ZAdd(k("z"), 2, "two").ScoreMember(1, "one").Do(ctx, producer))
			value[int64](t, "RPUSH")(redisclient.RPush(k("mp"), "1", "2", "3").Do(ctx, producer))
			value[int64](t, "ZADD")(redisclient.ZAdd(k("mz"), 1, "a").ScoreMember(2, "b").ScoreMember(3, "c").Do(ctx, producer))
			id := value[redisclient.Opt[string]](t, "XADD")(redisclient.XAdd(k("s"), "5-1", "f", "v").Do(ctx, producer))
			rm := await(t, "BLMOVE", blmove, 5*time.Second)
			expect(t, "BLMOVE", some("y"))(rm.v, rm.err)
			rz := await(t, "BZPOPMIN", bzpop, 5*time.Second)
			expect(t, "BZPOPMIN", &redisclient.KeyZMember{Key: k("z"), Member: "one", Score: 1})(rz.v, rz.err)
			rl := await(t, "BLMPOP", blmpop, 5*time.Second)
			expect(t, "BLMPOP", &redisclient.KeyElements{Key: k("mp"), Elements: []string{"1", "2", "3"}})(rl.v, rl.err)
			rmz := await(t, "BZMPOP", bzmpop, 5*time.Second)
			expect(t, "BZMPOP", &redisclient.KeyZMembers{Key: k("mz"), Members: []redisclient.ZMember{zm("c", 3), zm("b", 2)}})(rmz.v, rmz.err)
			rx := await(t, "XREAD BLOCK", xread, 5*time.Second)
			expect(t, "XREAD BLOCK", []redisclient.XStream{{Key: k("s"), Messages: []redisclient.XMessage{xm(id.Value, "f", "v")}}})(rx.v, rx.err)

			// WAIT without replicas: 0 at once, or after its timeout.
			expect(t, "WAIT 0 0", int64(0))(redisclient.Wait(0, 0).Do(ctx, c))
			start = time.Now()
			expect(t, "WAIT 1 200ms", int64(0))(redisclient.Wait(1, 200*time.Millisecond).Do(ctx, c))
			if el := time.Since(start); el < 150*time.Millisecond {
				t.Errorf("WAIT 1 200ms returned after %v", el)
			}

			// A context ending during BLPOP 0 (forever): the call returns
			// the context's error at the deadline, the connection is
			// dropped (the server no longer has a client blocked on the
			// key, which would steal the next element), and the client
			// goes on with correct replies.
			short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
			start = time.Now()
			_, err := redisclient.BLPop(0, k("forever")).Do(short, c)
			cancel()
			if el := time.Since(start); !errors.Is(err, context.DeadlineExceeded) || el > 2*time.Second {
				t.Errorf("BLPOP 0 with a 300ms context: %v after %v, want context.DeadlineExceeded at the deadline", err, el)
			}
			waitNotBlocked(t, ctx, producer, name, "blpop")
			value[int64](t, "RPUSH")(redisclient.RPush(k("forever"), "mine").Do(ctx, producer))
			expect(t, "BLPOP after a cancelled BLPOP", &redisclient.KeyElement{Key: k("forever"), Element: "mine"})(
				redisclient.BLPop(time.Second, k("forever")).Do(ctx, c))

			// Explicit cancellation mid-flight.
			cctx, ccancel := context.WithCancel(ctx)
			pending := async(func() (*redisclient.KeyElement, error) {
				return redisclient.BLPop(0, k("forever")).Do(cctx, c)
			})
			waitBlocked(t, ctx, producer, name, "blpop", 1)
			ccancel()
			rc := await(t, "cancelled BLPOP", pending, 5*time.Second)
			if !errors.Is(rc.err, context.Canceled) {
				t.Errorf("cancelled BLPOP: %v %v, want context.Canceled", rc.v, rc.err)
			}
			waitNotBlocked(t, ctx, producer, name, "blpop")
			expect(t, "GET after cancellations", none[string]())(redisclient.Get(k("nothing")).Do(ctx, c))
		})
	}
}

// waitNotBlocked waits until no client named name is blocked in cmd.
func waitNotBlocked(t testing.TB, ctx context.Context, c *redisclient.Client, name, cmd string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		list, err := redisclient.ClientList().Do(ctx, c)
		if err != nil {
			t.Fatalf("CLIENT LIST: %v", err)
		}
		blocked := 0
		for _, cl := range list {
			if cl.Name == name && cl.Cmd == cmd && strings.Contains(cl.Flags, "b") {
				blocked++
			}
		}
		if blocked == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d connections still blocked in %s 5s after their context ended: the client did not drop them", blocked, cmd)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestBlockingDoesNotStallTraffic keeps several BLPOPs blocked while GETs
// run on the same client, and measures the GETs.
func TestBlockingDoesNotStallTraffic(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "nostall"})
	ctx := testCtx(t)
	opts := srv.Options(3)
	opts.ClientName = "nostall"
	name := opts.ClientName
	c := NewClient(t, opts)
	producer := NewClient(t, srv.Options(2))
	ok(t, "SET")(redisclient.Set("stall:k", "v").Do(ctx, c))

	const blockers = 8
	var wg sync.WaitGroup
	results := make([]*redisclient.KeyElement, blockers)
	errs := make([]error, blockers)
	for i := range blockers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = redisclient.BLPop(10*time.Second, fmt.Sprintf("stall:l%d", i)).Do(ctx, c)
		}()
	}
	waitBlocked(t, ctx, producer, name, "blpop", blockers)

	// Normal traffic while every BLPOP blocks.
	const gets = 300
	lat := make([]time.Duration, 0, gets)
	start := time.Now()
	for range gets {
		s := time.Now()
		v, err := redisclient.Get("stall:k").Do(ctx, c)
		if err != nil || v.Value != "v" {
			t.Fatalf("GET while BLPOPs block: %+v %v", v, err)
		}
		lat = append(lat, time.Since(s))
	}
	total := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p50, p99, maxLat := lat[gets/2], lat[gets*99/100], lat[gets-1]
	t.Logf("%d GETs with %d BLPOPs blocked: total %v, p50 %v, p99 %v, max %v", gets, blockers, total, p50, p99, maxLat)
	if maxLat > time.Second || total > 5*time.Second {
		t.Errorf("GETs stalled while BLPOPs blocked: max %v, total %v", maxLat, total)
	}
	// The BLPOPs are all still blocked: nothing was served yet.
	waitBlocked(t, ctx, producer, name, "blpop", blockers)

	for i := range blockers {
		value[int64](t, "RPUSH")(redisclient.RPush(fmt.Sprintf("stall:l%d", i), fmt.Sprintf("v%d", i)).Do(ctx, producer))
	}
	wg.Wait()
	for i := range blockers {
		want := &redisclient.KeyElement{Key: fmt.Sprintf("stall:l%d", i), Element: fmt.Sprintf("v%d", i)}
		expect(t, fmt.Sprintf("BLPOP %d", i), want)(results[i], errs[i])
	}
}
