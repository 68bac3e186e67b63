package integration

// Pipelines (typed futures) and transactions (MULTI/EXEC, EXECABORT, WATCH
// with conflicts) on RESP2 and RESP3.

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport/resp"
)

// errCode returns the code of a server error reply, or "" for other
// errors.
func errCode(err error) string {
	var re *resp.Error
	if errors.As(err, &re) {
		return re.Prefix()
	}
	return ""
}

func TestPipeline(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		s, n, l := key(t, "s"), key(t, "n"), key(t, "l")

		p := c.Pipeline()
		set := redisclient.Set(s, "v").Queue(p)
		get := redisclient.Get(s).Queue(p)
		incr := redisclient.IncrBy(n, 5).Queue(p)
		bad := redisclient.Incr(s).Queue(p) // not an integer: fails alone
		push := redisclient.RPush(l, "a", "b").Queue(p)
		rng := redisclient.LRange(l, 0, -1).Queue(p)
		missing := redisclient.Get(key(t, "missing")).Queue(p)
		zadd := redisclient.ZAdd(key(t, "z"), 1, "m").Queue(p)
		zr := redisclient.ZRange(key(t, "z"), "0", "-1").WithScores().Queue(p)
		if p.Len() != 9 {
			t.Errorf("Len: %d, want 9", p.Len())
		}
		if !errors.Is(get.Err(), redisclient.ErrNotExecuted) {
			t.Errorf("future before Exec: %v, want ErrNotExecuted", get.Err())
		}
		err := p.Exec(ctx)
		if errCode(err) != "ERR" {
			t.Errorf("Exec: %v, want the failing INCR's ERR reply as the first error", err)
		}
		ok(t, "SET future")(set.Err())
		expect(t, "GET future", some("v"))(get.Result())
		expect(t, "INCRBY future", int64(5))(incr.Result())
		if errCode(bad.Err()) != "ERR" || bad.Val() != 0 {
			t.Errorf("INCR on text: %v %v, want an ERR reply", bad.Val(), bad.Err())
		}
		expect(t, "RPUSH future", int64(2))(push.Result())
		expect(t, "LRANGE future", []string{"a", "b"})(rng.Result())
		expect(t, "GET missing future", none[string]())(missing.Result())
		expect(t, "ZADD future", int64(1))(zadd.Result())
		expect(t, "ZRANGE WITHSCORES future", []redisclient.ZMember{zm("m", 1)})(zr.Result())
		if p.Len() != 0 {
			t.Errorf("Len after Exec: %d", p.Len())
		}

		// Reuse after Exec, an empty Exec, and Discard.
		again := redisclient.IncrBy(n, 1).Queue(p)
		must(t, p.Exec(ctx), "Exec again")
		expect(t, "reused pipeline", int64(6))(again.Result())
		must(t, p.Exec(ctx), "empty Exec")
		dropped := redisclient.Incr(n).Queue(p)
		p.Discard()
		if !errors.Is(dropped.Err(), redisclient.ErrNotExecuted) {
			t.Errorf("discarded future: %v, want ErrNotExecuted", dropped.Err())
		}
		expect(t, "value after Discard", some("6"))(redisclient.Get(n).Do(ctx, c))

		// A command that cannot be built fails alone, before reaching the
		// server.
		p = c.Pipeline()
		fine := redisclient.Incr(key(t, "fine")).Queue(p)
		broken := redisclient.HSetFrom(key(t, "broken"), map[string]string{}).Queue(p)
		var be *redisclient.BuildError
		if !errors.As(broken.Err(), &be) {
			t.Errorf("HSET of an empty map: %v, want a *BuildError", broken.Err())
		}
		_ = p.Exec(ctx)
		expect(t, "command next to a build error", int64(1))(fine.Result())

		// A large pipeline keeps its order.
		p = c.Pipeline()
		const size = 2000
		futs := make([]*redisclient.Future[int64], size)
		for i := range futs {
			futs[i] = redisclient.Incr(key(t, "big")).Queue(p)
		}
		must(t, p.Exec(ctx), "Exec 2000")
		for i, f := range futs {
			if v, err := f.Result(); err != nil || v != int64(i+1) {
				t.Fatalf("future %d: %d %v, want %d", i, v, err, i+1)
			}
		}

		// A blocking command in a pipeline (it runs on a dedicated
		// connection, in order).
		p = c.Pipeline()
		redisclient.RPush(key(t, "bl"), "x").Queue(p)
		blpop := redisclient.BLPop(time.Second, key(t, "bl")).Queue(p)
		after := redisclient.LLen(key(t, "bl")).Queue(p)
		must(t, p.Exec(ctx), "Exec with BLPOP")
		expect(t, "BLPOP future", &redisclient.KeyElement{Key: key(t, "bl"), Element: "x"})(blpop.Result())
		expect(t, "LLEN after BLPOP", int64(0))(after.Result())

		// Pipelines from many goroutines: every reply reaches its future.
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p := c.Pipeline()
				k := key(t, "g"+strconv.Itoa(g))
				var gets []*redisclient.Future[redisclient.Opt[string]]
				for i := range 50 {
					redisclient.Set(k+":"+strconv.Itoa(i), fmt.Sprintf("g%d-%d", g, i)).Queue(p)
					gets = append(gets, redisclient.Get(k+":"+strconv.Itoa(i)).Queue(p))
				}
				if err := p.Exec(ctx); err != nil {
					t.Errorf("goroutine %d: Exec: %v", g, err)
					return
				}
				for i, f := range gets {
					if v, err := f.Result(); err != nil || v.Value != fmt.Sprintf("g%d-%d", g, i) {
						t.Errorf("goroutine %d: GET %d = %+v %v", g, i, v, err)
					}
				}
			}()
		}
		wg.Wait()
	})
}

func TestTransactions(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		k, l := key(t, "k"), key(t, "l")

		// Typed results from EXEC; a runtime error fails its command only.
		tx := c.TxPipeline()
		set := redisclient.Set(k, "1").Queue(tx)
		incr := redisclient.IncrBy(k, 41).Queue(tx)
		get := redisclient.Get(k).Queue(tx)
		wrong := redisclient.LPush(k, "x").Queue(tx) // WRONGTYPE at EXEC time
		push := redisclient.RPush(l, "a", "b", "c").Queue(tx)
		pop := redisclient.LPop(l).Count(2).Queue(tx)
		zadd := redisclient.ZAdd(key(t, "z"), 2, "two").ScoreMember(1, "one").Queue(tx)
		zr := redisclient.ZRange(key(t, "z"), "0", "-1").WithScores().Queue(tx)
		hset := redisclient.HSet(key(t, "h"), "f", "v").Queue(tx)
		hall := redisclient.HGetAll(key(t, "h")).Queue(tx)
		if tx.Len() != 10 {
			t.Errorf("Len: %d", tx.Len())
		}
		err := tx.Exec(ctx)
		if errCode(err) != "WRONGTYPE" {
			t.Errorf("Exec: %v, want the WRONGTYPE reply of LPUSH as the first error", err)
		}
		ok(t, "SET in tx")(set.Err())
		expect(t, "INCRBY in tx", int64(42))(incr.Result())
		expect(t, "GET in tx", some("42"))(get.Result())
		if errCode(wrong.Err()) != "WRONGTYPE" {
			t.Errorf("LPUSH on a string in tx: %v", wrong.Err())
		}
		expect(t, "RPUSH in tx", int64(3))(push.Result())
		expect(t, "LPOP COUNT in tx", []string{"a", "b"})(pop.Result())
		expect(t, "ZADD in tx", int64(2))(zadd.Result())
		expect(t, "ZRANGE WITHSCORES in tx", []redisclient.ZMember{zm("one", 1), zm("two", 2)})(zr.Result())
		expect(t, "HSET in tx", int64(1))(hset.Result())
		expect(t, "HGETALL in tx", map[string]string{"f": "v"})(hall.Result())
		must(t, c.TxPipeline().Exec(ctx), "empty transaction")

		// EXECABORT: a command the server refuses to queue discards all.
		tx = c.TxPipeline()
		first := redisclient.Set(k, "changed").Queue(tx)
		refused := redisclient.Raw("SET", key(t, "only-one-argument")).Queue(tx)
		third := redisclient.Incr(key(t, "counter")).Queue(tx)
		err = tx.Exec(ctx)
		var abort *redisclient.TxAbortError
		if !errors.As(err, &abort) {
			t.Fatalf("Exec with a refused command: %v (%T), want *redisclient.TxAbortError", err, err)
		}
		if errCode(abort.Err) != "EXECABORT" || len(abort.Queued) != 3 || abort.Queued[0] != nil || abort.Queued[2] != nil ||
			errCode(abort.Queued[1]) != "ERR" {
			t.Errorf("TxAbortError: Err %v, Queued %v; want EXECABORT and only command 1 refused with ERR", abort.Err, abort.Queued)
		}
		if errCode(err) != "EXECABORT" {
			t.Errorf("errors.As(TxAbortError, *resp.Error) should find EXECABORT: %v", err)
		}
		if errCode(first.Err()) != "EXECABORT" || errCode(refused.Err()) != "ERR" || errCode(third.Err()) != "EXECABORT" {
			t.Errorf("futures of an aborted transaction: %v / %v / %v", first.Err(), refused.Err(), third.Err())
		}
		expect(t, "nothing ran", some("42"))(redisclient.Get(k).Do(ctx, c))
		expect(t, "nothing ran (counter)", int64(0))(redisclient.Exists(key(t, "counter")).Do(ctx, c))

		// The client still works on the same connections afterwards.
		expect(t, "GET after EXECABORT", some("42"))(redisclient.Get(k).Do(ctx, c))
	})
}

func TestWatch(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		srv := sharedServer(t)
		other := NewClient(t, srv.Options(3))
		k := key(t, "counter")
		ok(t, "SET")(redisclient.Set(k, "10").Do(ctx, c))

		// A conflict forced from a second client inside the function: Watch
		// runs the function again, and the second attempt commits.
		attempts := 0
		var incr *redisclient.Future[int64]
		err := c.Watch(ctx, func(tx *redisclient.Tx) error {
			attempts++
			v, err := redisclient.Get(k).Do(ctx, tx)
			if err != nil {
				return err
			}
			n, _ := strconv.Atoi(v.Value)
			if attempts == 1 {
				if err := redisclient.Set(k, strconv.Itoa(n+100)).Do(ctx, other); err != nil {
					return err
				}
			}
			redisclient.Set(k+":seen", v.Value).Queue(tx)
			incr = redisclient.IncrBy(k, 1).Queue(tx)
			return nil
		}, k)
		must(t, err, "Watch")
		if attempts != 2 {
			t.Errorf("Watch ran the function %d times, want 2 (one conflict)", attempts)
		}
		expect(t, "INCRBY future of the committed attempt", int64(111))(incr.Result())
		expect(t, "value seen by the second attempt", some("110"))(redisclient.Get(k+":seen").Do(ctx, c))

		// Conflicts on every attempt: ErrTxConflict after MaxWatchRetries.
		opts := srv.Options(protoOf(t))
		opts.MaxWatchRetries = 2
		limited := NewClient(t, opts)
		attempts = 0
		var lost *redisclient.Future[int64]
		err = limited.Watch(ctx, func(tx *redisclient.Tx) error {
			attempts++
			if _, err := redisclient.Incr(k).Do(ctx, other); err != nil {
				return err
			}
			lost = redisclient.Incr(k).Queue(tx)
			return nil
		}, k)
		if !errors.Is(err, redisclient.ErrTxConflict) || attempts != 3 {
			t.Errorf("Watch with constant conflicts: %v after %d attempts, want ErrTxConflict after 3", err, attempts)
		}
		if !errors.Is(lost.Err(), redisclient.ErrTxConflict) {
			t.Errorf("future of a conflicted transaction: %v", lost.Err())
		}
		expect(t, "only the other client's increments", some("114"))(redisclient.Get(k).Do(ctx, c))

		// An error from the function aborts without running anything.
		boom := errors.New("boom")
		err = c.Watch(ctx, func(tx *redisclient.Tx) error {
			redisclient.Set(k, "never").Queue(tx)
			return boom
		}, k)
		if !errors.Is(err, boom) {
			t.Errorf("Watch with a failing function: %v", err)
		}
		expect(t, "unchanged after the aborted Watch", some("114"))(redisclient.Get(k).Do(ctx, c))

		// Nothing queued: no EXEC, no error.
		must(t, c.Watch(ctx, func(tx *redisclient.Tx) error { return nil }, k), "Watch without commands")

		// Tx.Do outside Watch is refused.
		if _, err := redisclient.Get(k).Do(ctx, c.TxPipeline()); err == nil {
			t.Errorf("Tx.Do outside Watch succeeded")
		}

		// Concurrent optimistic increments: none is lost.
		opts.MaxWatchRetries = 1000
		busy := NewClient(t, opts)
		ck := key(t, "concurrent")
		var wg sync.WaitGroup
		var conflicts atomic.Int64
		const workers, each = 6, 10
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range each {
					tries := 0
					err := busy.Watch(ctx, func(tx *redisclient.Tx) error {
						tries++
						v, err := redisclient.Get(ck).Do(ctx, tx)
						if err != nil {
							return err
						}
						n, _ := strconv.Atoi(v.Or("0"))
						redisclient.Set(ck, strconv.Itoa(n+1)).Queue(tx)
						return nil
					}, ck)
					conflicts.Add(int64(tries - 1))
					if err != nil {
						t.Errorf("concurrent Watch: %v", err)
						return
					}
				}
			}()
		}
		wg.Wait()
		expect(t, "concurrent Watch increments", some(strconv.Itoa(workers*each)))(redisclient.Get(ck).Do(ctx, c))
		t.Logf("concurrent Watch: %d conflicts retried", conflicts.Load())
	})
}
