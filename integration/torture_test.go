package integration

// The torture test: many goroutines write and read their own keys and a
// few shared counters through single commands, pipelines and the
// client-side cache, with about one call in ten cancelled or given a
// microsecond deadline, on a single node and on a cluster. It asserts that
// no reply reaches the wrong caller, that no acknowledged write is
// overtaken by an earlier one whose caller gave up, and that the client
// reads its own acknowledged writes from its cache; it prints its figures.

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

// tortureConfig bounds a run.
type tortureConfig struct {
	goroutines int
	duration   time.Duration
	maxOps     int64 // stop earlier once this many calls were made
	keys       int   // own keys per goroutine
	counters   int   // shared counters
}

// tortureStats are a run's figures.
type tortureStats struct {
	calls, cancelled, misdelivered, lost, stale atomic.Int64
	pipelines, cached, errs                     atomic.Int64
	first                                       sync.Once
	firstProblem                                string
}

func (st *tortureStats) problem(kind *atomic.Int64, format string, args ...any) {
	kind.Add(1)
	st.first.Do(func() { st.firstProblem = fmt.Sprintf(format, args...) })
}

// ownKey is one goroutine's key and what it knows of it: the version of
// its last acknowledged write, and the versions it wrote since whose
// callers gave up (they may or may not have run, but never before the
// acknowledged one).
type ownKey struct {
	name    string
	acked   int
	pending []int
}

// allowed reports whether version v may be read now.
func (k *ownKey) allowed(v int) bool {
	if v == k.acked {
		return true
	}
	for _, p := range k.pending {
		if p == v {
			return true
		}
	}
	return false
}

func (k *ownKey) value(v int) string { return k.name + "#" + strconv.Itoa(v) }

// parse returns the version in a value of k, or -1 when the value belongs
// to another key (a misdelivered reply).
func (k *ownKey) parse(s string) int {
	rest, ok := strings.CutPrefix(s, k.name+"#")
	if !ok {
		return -1
	}
	v, err := strconv.Atoi(rest)
	if err != nil {
		return -1
	}
	return v
}

// tortureCtx returns the context of one call: mostly a plain one; about
// one in ten is cancelled after a few microseconds or has a deadline of a
// few microseconds.
func tortureCtx(rng *rand.Rand) (context.Context, context.CancelFunc, bool) {
	switch r := rng.IntN(20); {
	case r == 0:
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(1+rng.IntN(200))*time.Microsecond)
		return ctx, cancel, true
	case r == 1:
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(time.Duration(rng.IntN(300))*time.Microsecond, cancel)
		return ctx, cancel, true
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	return ctx, cancel, false
}

// runTorture drives c with cfg; prefix keeps the keys of runs apart.
func runTorture(t *testing.T, c *redisclient.Client, cfg tortureConfig, prefix string) *tortureStats {
	st := &tortureStats{}
	ctx := testCtx(t)
	counters := make([]string, cfg.counters)
	for i := range counters {
		counters[i] = fmt.Sprintf("%s:counter:%d", prefix, i)
		_, err := redisclient.Del(counters[i]).Do(ctx, c)
		must(t, err, "DEL counter")
	}
	var ackedIncr, maybeIncr atomic.Int64
	deadline := time.Now().Add(cfg.duration)
	var wg sync.WaitGroup
	for g := range cfg.goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), uint64(time.Now().UnixNano())))
			keys := make([]*ownKey, cfg.keys)
			for i := range keys {
				keys[i] = &ownKey{name: fmt.Sprintf("%s:g%d:k%d", prefix, g, i)}
				if err := redisclient.Set(keys[i].name, keys[i].value(0)).Do(ctx, c); err != nil {
					st.problem(&st.errs, "initial SET %s: %v", keys[i].name, err)
					return
				}
			}
			version := 0
			for time.Now().Before(deadline) && st.calls.Load() < cfg.maxOps {
				st.calls.Add(1)
				k := keys[rng.IntN(len(keys))]
				cctx, cancel, cancelling := tortureCtx(rng)
				switch op := rng.IntN(10); {
				case op < 3: // SET
					version++
					err := redisclient.Set(k.name, k.value(version)).Do(cctx, c)
					if err == nil {
						k.acked, k.pending = version, k.pending[:0]
					} else {
						noteFailure(st, err, cctx, cancelling)
						k.pending = append(k.pending, version)
					}
				case op < 6: // GET
					got, err := redisclient.Get(k.name).Do(cctx, c)
					if err == nil {
						checkRead(st, k, got, "GET")
					} else {
						noteFailure(st, err, cctx, cancelling)
					}
				case op < 7: // DoCached GET: the client's own writes must be seen
					st.cached.Add(1)
					got, err := redisclient.Get(k.name).DoCached(cctx, c, time.Minute)
					if err == nil {
						checkRead(st, k, got, "DoCached GET")
					} else {
						noteFailure(st, err, cctx, cancelling)
					}
				case op < 8: // INCR of a shared counter
					ctr := counters[rng.IntN(len(counters))]
					n, err := redisclient.Incr(ctr).Do(cctx, c)
					switch {
					case err == nil && n <= 0:
						st.problem(&st.misdelivered, "INCR %s = %d", ctr, n)
					case err == nil:
						ackedIncr.Add(1)
					default:
						var re *redisclient.ReplyError
						if errors.As(err, &re) {
							st.problem(&st.misdelivered, "INCR %s: %v", ctr, err)
						}
						noteFailure(st, err, cctx, cancelling)
						maybeIncr.Add(1)
					}
				default: // a pipeline: SET one key, GET another
					st.pipelines.Add(1)
					k2 := keys[rng.IntN(len(keys))]
					version++
					p := c.Pipeline()
					set := redisclient.Set(k.name, k.value(version)).Queue(p)
					get := redisclient.Get(k2.name).Queue(p)
					p.Exec(cctx)
					if err := set.Err(); err == nil {
						k.acked, k.pending = version, k.pending[:0]
					} else {
						noteFailure(st, err, cctx, cancelling)
						k.pending = append(k.pending, version)
					}
					if got, err := get.Result(); err == nil {
						if k2 == k {
							// Ordered after the SET in the same pipeline.
							checkRead(st, k2, got, "pipelined GET after SET")
						} else {
							checkRead(st, k2, got, "pipelined GET")
						}
					} else {
						noteFailure(st, err, cctx, cancelling)
					}
				}
				cancel()
			}
		}()
	}
	wg.Wait()
	var total int64
	for _, ctr := range counters {
		n, err := redisclient.Get(ctr).Do(ctx, c)
		must(t, err, "GET counter")
		if n.Valid {
			v, _ := strconv.ParseInt(n.Value, 10, 64)
			total += v
		}
	}
	if total < ackedIncr.Load() || total > ackedIncr.Load()+maybeIncr.Load() {
		st.problem(&st.lost, "counters sum to %d: %d INCR acknowledged, %d given up", total, ackedIncr.Load(), maybeIncr.Load())
	}
	return st
}

// checkRead checks a read of one of the goroutine's own keys.
func checkRead(st *tortureStats, k *ownKey, got redisclient.Opt[string], what string) {
	if !got.Valid {
		st.problem(&st.misdelivered, "%s %s: nil", what, k.name)
		return
	}
	v := k.parse(got.Value)
	switch {
	case v < 0:
		st.problem(&st.misdelivered, "%s %s = %q: another key's value", what, k.name, got.Value)
	case !k.allowed(v) && v < k.acked:
		if strings.HasPrefix(what, "DoCached") {
			st.problem(&st.stale, "%s %s = version %d after version %d was acknowledged", what, k.name, v, k.acked)
		} else {
			st.problem(&st.lost, "%s %s = version %d after version %d was acknowledged", what, k.name, v, k.acked)
		}
	case !k.allowed(v):
		st.problem(&st.misdelivered, "%s %s = version %d never written", what, k.name, v)
	}
}

// noteFailure counts a failed call: only the caller's own context may end
// it.
func noteFailure(st *tortureStats, err error, ctx context.Context, cancelling bool) {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		st.cancelled.Add(1)
		return
	}
	st.problem(&st.errs, "unexpected error (cancelling context %v, its error %v): %v", cancelling, ctx.Err(), err)
}

func (st *tortureStats) check(t *testing.T, name string, elapsed time.Duration) {
	t.Logf("torture %s: %d calls in %v (%d pipelines, %d cached reads), %d ended by their context; misdelivered %d, lost updates %d, stale cached reads %d, other errors %d",
		name, st.calls.Load(), elapsed.Round(time.Millisecond), st.pipelines.Load(), st.cached.Load(), st.cancelled.Load(),
		st.misdelivered.Load(), st.lost.Load(), st.stale.Load(), st.errs.Load())
	if st.misdelivered.Load()+st.lost.Load()+st.stale.Load()+st.errs.Load() > 0 {
		t.Errorf("torture %s: first problem: %s", name, st.firstProblem)
	}
	if st.cancelled.Load() == 0 {
		t.Errorf("torture %s: no call was cancelled: the test did not test cancellation", name)
	}
}

func TestTorture(t *testing.T) {
	cfg := tortureConfig{goroutines: 64, duration: 12 * time.Second, maxOps: 1_500_000, keys: 8, counters: 4}
	t.Run("single", func(t *testing.T) {
		t.Parallel()
		srv := sharedServer(t)
		for _, proto := range []int{2, 3} {
			opts := srv.Options(proto)
			if proto == 3 {
				opts.Cache = &redisclient.CacheOptions{}
			}
			c := NewClient(t, opts)
			start := time.Now()
			st := runTorture(t, c, cfg, fmt.Sprintf("torture:single:%d:%d", proto, time.Now().UnixNano()))
			st.check(t, fmt.Sprintf("single RESP%d", proto), time.Since(start))
		}
	})
	t.Run("cluster", func(t *testing.T) {
		t.Parallel()
		tc := startCluster(t, cluConfig{Name: "torture"})
		c := tc.client(t, 3, func(o *redisclient.ClusterOptions) { o.Cache = &redisclient.CacheOptions{} })
		start := time.Now()
		st := runTorture(t, c, cfg, fmt.Sprintf("torture:cluster:%d", time.Now().UnixNano()))
		st.check(t, "cluster RESP3", time.Since(start))
	})
}
