package integration

// Client-side caching (Options.Cache, DoCached) against real servers, in
// the three tracking modes: hits without a round trip, invalidation when
// another client writes (also with a key prefix), coherence under
// concurrent load (no cached read older than an acknowledged write whose
// invalidation had time to arrive), the bound by the key's TTL on the
// server, concurrent misses sharing one GET, the cache flushed when the
// connection drops, RESP2 refused, callers sharing a fetch whose caller
// gives up, and the client reading its own writes (every kind of write,
// single node and cluster, no stale read after an acknowledged write).
// BenchmarkCachedGetHit measures a hit.

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

// cacheModes are the tracking modes; broadcast needs prefixes, which
// cacheOptions fills in.
var cacheModes = []struct {
	name string
	mode redisclient.TrackingMode
}{
	{"default", redisclient.TrackingDefault},
	{"optin", redisclient.TrackingOptIn},
	{"bcast", redisclient.TrackingBroadcast},
}

func cacheOptions(mode redisclient.TrackingMode, prefixes ...string) *redisclient.CacheOptions {
	o := &redisclient.CacheOptions{Mode: mode}
	if mode == redisclient.TrackingBroadcast {
		o.Prefixes = prefixes
	}
	return o
}

func TestFeatCacheRefusedOptions(t *testing.T) {
	t.Parallel()
	_, err := redisclient.New(redisclient.Options{Addr: "127.0.0.1:1", Protocol: 2, Cache: &redisclient.CacheOptions{}})
	if err == nil || !strings.Contains(err.Error(), "protocol 3") {
		t.Errorf("New with protocol 2 and a cache: %v, want an error saying it needs protocol 3", err)
	}
	_, err = redisclient.New(redisclient.Options{Addr: "127.0.0.1:1", Cache: &redisclient.CacheOptions{Mode: redisclient.TrackingBroadcast}})
	if err == nil || !strings.Contains(err.Error(), "prefix") {
		t.Errorf("New with broadcast tracking and no prefix: %v, want an error", err)
	}
	// Without a cache, DoCached runs the command.
	srv := sharedServer(t)
	c := NewClient(t, srv.Options(2))
	ctx := testCtx(t)
	k := key(t, "k")
	ok(t, "SET")(redisclient.Set(k, "v").Do(ctx, c))
	expect(t, "DoCached without a cache", some("v"))(redisclient.Get(k).DoCached(ctx, c, time.Minute))
	if st := c.CacheStats(); st != (redisclient.CacheStats{}) {
		t.Errorf("CacheStats without a cache: %+v", st)
	}
	c.InvalidateCache(k)
	c.ClearCache()
}

// eventually polls f until it returns want, for up to 3s (invalidations
// arrive asynchronously).
func eventually[T comparable](t testing.TB, what string, want T, f func() (T, error)) {
	t.Helper()
	var got T
	var err error
	if !waitFor(3*time.Second, func() bool {
		got, err = f()
		return err == nil && got == want
	}) {
		t.Errorf("%s: %v (%v) after 3s, want %v", what, got, err, want)
	}
}

func TestFeatCacheModes(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	for _, m := range cacheModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			ctx := testCtx(t)
			pfx := key(t, "")
			opts := srv.Options(3)
			opts.Cache = cacheOptions(m.mode, pfx)
			c := NewClient(t, opts)
			w := NewClient(t, srv.Options(3))
			minute := time.Minute

			// The connections track in the mode asked for.
			ti, err := redisclient.ClientTrackingInfo().Do(ctx, c)
			must(t, err, "CLIENT TRACKINGINFO")
			flags := fmt.Sprint(ti)
			wantFlag := map[redisclient.TrackingMode]string{redisclient.TrackingDefault: "on", redisclient.TrackingOptIn: "optin", redisclient.TrackingBroadcast: "bcast"}[m.mode]
			if !strings.Contains(flags, wantFlag) {
				t.Errorf("CLIENT TRACKINGINFO: %s, want %q", flags, wantFlag)
			}

			k := pfx + "k"
			ok(t, "SET")(redisclient.Set(k, "v1").Do(ctx, w))
			expect(t, "first DoCached", some("v1"))(redisclient.Get(k).DoCached(ctx, c, minute))
			expect(t, "second DoCached", some("v1"))(redisclient.Get(k).DoCached(ctx, c, minute))
			// In broadcast mode every connection of the client gets the
			// invalidation of the SET above: one that reads it late drops
			// the entry loaded on another (a spurious miss, never a stale
			// read), possibly after both loads. Nothing else may drop it.
			st := c.CacheStats()
			kept := st.Hits == 1 && st.Entries == 1 && st.Bytes > 0
			lateInvalidation := m.mode == redisclient.TrackingBroadcast && st.Invalidations > 0
			if st.Misses+st.Hits != 2 || (!kept && !lateInvalidation) {
				t.Errorf("stats after a miss and a hit: %+v", st)
			}
			// Another client writes: the invalidation drops the entry.
			ok(t, "SET by another client")(redisclient.Set(k, "v2").Do(ctx, w))
			eventually(t, "DoCached after another client's SET", some("v2"), func() (redisclient.Opt[string], error) {
				return redisclient.Get(k).DoCached(ctx, c, minute)
			})
			if st := c.CacheStats(); st.Invalidations == 0 {
				t.Errorf("no invalidation counted: %+v", st)
			}
			// The client's own writes invalidate too.
			ok(t, "SET by the caching client")(redisclient.Set(k, "v3").Do(ctx, c))
			eventually(t, "DoCached after its own SET", some("v3"), func() (redisclient.Opt[string], error) {
				return redisclient.Get(k).DoCached(ctx, c, minute)
			})
			// A missing key is cached as such, until it is created.
			missing := pfx + "missing"
			expect(t, "DoCached of a missing key", none[string]())(redisclient.Get(missing).DoCached(ctx, c, minute))
			ok(t, "SET the missing key")(redisclient.Set(missing, "now").Do(ctx, w))
			eventually(t, "DoCached after the key was created", some("now"), func() (redisclient.Opt[string], error) {
				return redisclient.Get(missing).DoCached(ctx, c, minute)
			})

			// Other cacheable commands.
			h, l, z, s := pfx+"h", pfx+"l", pfx+"z", pfx+"s"
			value[int64](t, "HSET")(redisclient.HSet(h, "f", "1").FieldValue("g", "2").Do(ctx, w))
			value[int64](t, "RPUSH")(redisclient.RPush(l, "a", "b").Do(ctx, w))
			value[int64](t, "ZADD")(redisclient.ZAdd(z, 1, "m").Do(ctx, w))
			value[int64](t, "SADD")(redisclient.SAdd(s, "x").Do(ctx, w))
			for range 2 {
				expect(t, "HGET", some("1"))(redisclient.HGet(h, "f").DoCached(ctx, c, minute))
				expect(t, "HMGET", []redisclient.Opt[string]{some("1"), some("2"), none[string]()})(redisclient.HMGet(h, "f", "g", "x").DoCached(ctx, c, minute))
				expect(t, "LRANGE", []string{"a", "b"})(redisclient.LRange(l, 0, -1).DoCached(ctx, c, minute))
				expect(t, "ZRANGE WITHSCORES", []redisclient.ZMember{zm("m", 1)})(redisclient.ZRange(z, "0", "-1").WithScores().DoCached(ctx, c, minute))
				expect(t, "ZSCORE", some(1.0))(redisclient.ZScore(z, "m").DoCached(ctx, c, minute))
				expect(t, "SISMEMBER", true)(redisclient.SIsMember(s, "x").DoCached(ctx, c, minute))
				expect(t, "STRLEN", int64(2))(redisclient.StrLen(k).DoCached(ctx, c, minute))
			}
			value[int64](t, "HSET")(redisclient.HSet(h, "f", "10").Do(ctx, w))
			value[int64](t, "RPUSH")(redisclient.RPush(l, "c").Do(ctx, w))
			value[int64](t, "ZADD")(redisclient.ZAdd(z, 5, "m").Do(ctx, w))
			value[int64](t, "SREM")(redisclient.SRem(s, "x").Do(ctx, w))
			eventually(t, "HGET after HSET", some("10"), func() (redisclient.Opt[string], error) {
				return redisclient.HGet(h, "f").DoCached(ctx, c, minute)
			})
			eventually(t, "LRANGE after RPUSH", 3, func() (int, error) {
				v, err := redisclient.LRange(l, 0, -1).DoCached(ctx, c, minute)
				return len(v), err
			})
			eventually(t, "ZSCORE after ZADD", some(5.0), func() (redisclient.Opt[float64], error) {
				return redisclient.ZScore(z, "m").DoCached(ctx, c, minute)
			})
			eventually(t, "SISMEMBER after SREM", false, func() (bool, error) {
				return redisclient.SIsMember(s, "x").DoCached(ctx, c, minute)
			})

			// InvalidateCache and ClearCache.
			before := c.CacheStats()
			c.InvalidateCache(k)
			expect(t, "DoCached after InvalidateCache", some("v3"))(redisclient.Get(k).DoCached(ctx, c, minute))
			if st := c.CacheStats(); st.Misses != before.Misses+1 {
				t.Errorf("InvalidateCache: misses %d, want %d", st.Misses, before.Misses+1)
			}
			c.ClearCache()
			if st := c.CacheStats(); st.Entries != 0 || st.Bytes != 0 {
				t.Errorf("after ClearCache: %+v", st)
			}

			// Broadcast mode caches only keys under its prefixes.
			if m.mode == redisclient.TrackingBroadcast {
				other := "other:" + pfx
				ok(t, "SET outside the prefixes")(redisclient.Set(other, "o1").Do(ctx, w))
				before := c.CacheStats()
				for range 3 {
					expect(t, "DoCached outside the prefixes", some("o1"))(redisclient.Get(other).DoCached(ctx, c, minute))
				}
				if st := c.CacheStats(); st.Entries != before.Entries || st.Hits != before.Hits || st.Misses != before.Misses {
					t.Errorf("a key outside the prefixes went through the cache: %+v then %+v", before, st)
				}
				ok(t, "SET outside the prefixes")(redisclient.Set(other, "o2").Do(ctx, w))
				expect(t, "DoCached outside the prefixes after a write", some("o2"))(redisclient.Get(other).DoCached(ctx, c, minute))
			}
		})
	}
}

// TestFeatCacheKeyPrefix: invalidations name the prefixed key; they must
// reach entries stored for the unprefixed name the application used.
func TestFeatCacheKeyPrefix(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	for _, m := range cacheModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			ctx := testCtx(t)
			pfx := key(t, "app") + ":"
			opts := srv.Options(3)
			opts.KeyPrefix = pfx
			opts.Cache = cacheOptions(m.mode, pfx) // broadcast prefixes are server-side names
			c := NewClient(t, opts)
			w := NewClient(t, srv.Options(3))
			ok(t, "SET")(redisclient.Set(pfx+"k", "v1").Do(ctx, w))
			expect(t, "DoCached through the prefix", some("v1"))(redisclient.Get("k").DoCached(ctx, c, time.Minute))
			expect(t, "DoCached hit", some("v1"))(redisclient.Get("k").DoCached(ctx, c, time.Minute))
			ok(t, "SET by another client")(redisclient.Set(pfx+"k", "v2").Do(ctx, w))
			eventually(t, "DoCached after another client's SET of the prefixed key", some("v2"), func() (redisclient.Opt[string], error) {
				return redisclient.Get("k").DoCached(ctx, c, time.Minute)
			})
			c.InvalidateCache("k")
			before := c.CacheStats()
			expect(t, "DoCached after InvalidateCache", some("v2"))(redisclient.Get("k").DoCached(ctx, c, time.Minute))
			if st := c.CacheStats(); st.Misses != before.Misses+1 {
				t.Errorf("InvalidateCache(k) with a prefix did not drop the entry: %+v then %+v", before, st)
			}
		})
	}
}

// TestFeatCacheCoherence runs readers through DoCached while another
// client writes increasing values. After a write is acknowledged, the
// writer reads the key through the caching client's connection without
// the cache: that reply comes after the invalidation on the same
// connection (PipelineConns 1), so from then on the write is "known" and
// no cached read may return an older value.
func TestFeatCacheCoherence(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	for _, m := range cacheModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			ctx := ctxFor(t, 60*time.Second)
			pfx := key(t, "")
			opts := srv.Options(3)
			opts.Cache = cacheOptions(m.mode, pfx)
			opts.PipelineConns = 1
			c := NewClient(t, opts)
			w := NewClient(t, srv.Options(3))
			const nkeys, writes, readers = 4, 400, 8
			keys := make([]string, nkeys)
			var known [nkeys]atomic.Int64
			for i := range keys {
				keys[i] = pfx + "k" + strconv.Itoa(i)
				ok(t, "SET")(redisclient.Set(keys[i], "0").Do(ctx, w))
			}
			var (
				stop             atomic.Bool
				reads, staleRead atomic.Int64
				wg               sync.WaitGroup
			)
			for r := range readers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					rng := rand.New(rand.NewPCG(uint64(r), 7))
					for !stop.Load() {
						j := rng.IntN(nkeys)
						floor := known[j].Load()
						v, err := redisclient.Get(keys[j]).DoCached(ctx, c, time.Minute)
						if err != nil {
							if ctx.Err() == nil {
								t.Errorf("reader %d: DoCached: %v", r, err)
							}
							return
						}
						n, _ := strconv.ParseInt(v.Value, 10, 64)
						reads.Add(1)
						if n < floor {
							if staleRead.Add(1) <= 5 {
								t.Errorf("reader %d: key %d: cached read %d after write %d was acknowledged and its invalidation received", r, j, n, floor)
							}
						}
					}
				}()
			}
			for i := 1; i <= writes && !t.Failed(); i++ {
				j := i % nkeys
				ok(t, "SET")(redisclient.Set(keys[j], strconv.Itoa(i)).Do(ctx, w))
				// The barrier: an uncached read on the caching client's
				// connection (replies come after the invalidation pushed
				// before them).
				got := value[redisclient.Opt[string]](t, "uncached GET")(redisclient.Get(keys[j]).Do(ctx, c))
				if got.Value != strconv.Itoa(i) {
					t.Fatalf("uncached GET after SET %d: %q", i, got.Value)
				}
				known[j].Store(int64(i))
				if i%50 == 0 {
					time.Sleep(time.Millisecond) // let entries be kept for a while
				}
			}
			stop.Store(true)
			wg.Wait()
			st := c.CacheStats()
			t.Logf("%s: %d writes, %d cached reads (%d hits, %d misses, %d invalidations), %d stale", m.name, writes, reads.Load(), st.Hits, st.Misses, st.Invalidations, staleRead.Load())
			if st.Hits == 0 {
				t.Errorf("no cache hits: the test did not exercise the cache")
			}
		})
	}
}

// TestFeatCacheTTL: an entry never outlives the key on the server. Active
// expiry is off, so only the TTL bound can stop a stale hit (the server
// deletes an expired key, and invalidates it, only when something touches
// it).
func TestFeatCacheTTL(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "cache-ttl", Args: []string{"--enable-debug-command", "yes"}})
	if reply, err := srv.raw(5*time.Second, "DEBUG", "SET-ACTIVE-EXPIRE", "0"); err != nil || reply != "+OK" {
		t.Fatalf("DEBUG SET-ACTIVE-EXPIRE 0: %q %v", reply, err)
	}
	ctx := testCtx(t)
	opts := srv.Options(3)
	opts.Cache = &redisclient.CacheOptions{}
	c := NewClient(t, opts)
	w := NewClient(t, srv.Options(3))
	for round := range 5 {
		k := "ttl:" + strconv.Itoa(round)
		ok(t, "SET")(redisclient.Set(k, "v").Do(ctx, w))
		expect(t, "PEXPIRE", true)(redisclient.PExpire(k, 200*time.Millisecond).Do(ctx, w))
		when := value[redisclient.ExpiryTime](t, "PEXPIRETIME")(redisclient.PExpireTime(k).Do(ctx, w))
		if !when.HasExpiry() {
			t.Fatalf("PEXPIRETIME after PEXPIRE: %v", when)
		}
		expect(t, "DoCached before expiry", some("v"))(redisclient.Get(k).DoCached(ctx, c, time.Minute))
		expect(t, "DoCached hit before expiry", some("v"))(redisclient.Get(k).DoCached(ctx, c, time.Minute))
		// The server holds the key expired once its clock passes when.
		expired := when.Time.Add(time.Millisecond)
		time.Sleep(time.Until(expired))
		expect(t, fmt.Sprintf("round %d: DoCached once the key expired on the server", round), none[string]())(
			redisclient.Get(k).DoCached(ctx, c, time.Minute))
	}
	// The caller's ttl bounds a key without expiry.
	ok(t, "SET")(redisclient.Set("nottl", "a").Do(ctx, w))
	expect(t, "DoCached", some("a"))(redisclient.Get("nottl").DoCached(ctx, c, 100*time.Millisecond))
	before := c.CacheStats()
	time.Sleep(120 * time.Millisecond)
	expect(t, "DoCached after its ttl", some("a"))(redisclient.Get("nottl").DoCached(ctx, c, 100*time.Millisecond))
	if st := c.CacheStats(); st.Misses != before.Misses+1 {
		t.Errorf("an entry outlived the caller's ttl: %+v then %+v", before, st)
	}
	// ttl 0: not kept.
	ok(t, "SET")(redisclient.Set("ttl0", "b").Do(ctx, w))
	before = c.CacheStats()
	for range 2 {
		expect(t, "DoCached ttl 0", some("b"))(redisclient.Get("ttl0").DoCached(ctx, c, 0))
	}
	if st := c.CacheStats(); st.Misses != before.Misses+2 || st.Hits != before.Hits {
		t.Errorf("ttl 0 kept the entry: %+v then %+v", before, st)
	}
}

// TestFeatCacheSingleFlight pauses the server so that concurrent misses
// overlap: one GET reaches it. Hits afterwards reach it not at all.
func TestFeatCacheSingleFlight(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "cache-singleflight"})
	ctx := testCtx(t)
	opts := srv.Options(3)
	opts.Cache = &redisclient.CacheOptions{}
	c := NewClient(t, opts)
	w := NewClient(t, srv.Options(3))
	ok(t, "SET")(redisclient.Set("k", "v").Do(ctx, w))
	must(t, c.Ready(ctx), "Ready")
	resetStats(t, srv)
	if reply, err := srv.raw(5*time.Second, "CLIENT", "PAUSE", "300", "ALL"); err != nil || reply != "+OK" {
		t.Fatalf("CLIENT PAUSE: %q %v", reply, err)
	}
	const callers = 32
	var wg sync.WaitGroup
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := redisclient.Get("k").DoCached(ctx, c, time.Minute)
			if err != nil || v != some("v") {
				t.Errorf("concurrent DoCached: %v %v", v, err)
			}
		}()
	}
	wg.Wait()
	if n := commandCalls(t, srv, "get"); n != 1 {
		t.Errorf("%d concurrent misses: %d GETs reached the server, want 1", callers, n)
	}
	st := c.CacheStats()
	if st.Misses != 1 {
		t.Errorf("stats after %d concurrent misses: %+v, want 1 miss", callers, st)
	}
	for range 1000 {
		expect(t, "hit", some("v"))(redisclient.Get("k").DoCached(ctx, c, time.Minute))
	}
	if n := commandCalls(t, srv, "get"); n != 1 {
		t.Errorf("1000 hits: %d GETs reached the server in all, want still 1", n)
	}
	if st2 := c.CacheStats(); st2.Hits != st.Hits+1000 {
		t.Errorf("hits: %d, want %d", st2.Hits, st.Hits+1000)
	}
}

// TestFeatCacheDisconnect restarts the server (which then has no data):
// the cache was flushed when the connection dropped, since invalidations
// may have been missed.
func TestFeatCacheDisconnect(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "cache-restart"})
	ctx := testCtx(t)
	opts := srv.Options(3)
	opts.Cache = &redisclient.CacheOptions{}
	opts.Reconnect = fastReconnect
	c := NewClient(t, opts)
	w := NewClient(t, srv.Options(3))
	ok(t, "SET")(redisclient.Set("k", "before").Do(ctx, w))
	expect(t, "DoCached", some("before"))(redisclient.Get("k").DoCached(ctx, c, time.Hour))
	expect(t, "DoCached hit", some("before"))(redisclient.Get("k").DoCached(ctx, c, time.Hour))
	if st := c.CacheStats(); st.Entries != 1 {
		t.Fatalf("stats before the restart: %+v", st)
	}
	srv.Stop(t)
	if !waitFor(5*time.Second, func() bool { return c.CacheStats().Entries == 0 }) {
		t.Errorf("the cache kept %d entries after the connection dropped", c.CacheStats().Entries)
	}
	srv.Start(t)
	var v redisclient.Opt[string]
	var err error
	if !waitFor(15*time.Second, func() bool {
		v, err = redisclient.Get("k").DoCached(ctx, c, time.Hour)
		return err == nil
	}) {
		t.Fatalf("DoCached after the restart: %v", err)
	}
	if v.Valid {
		t.Errorf("DoCached after the restart returned %q: the server has no such key any more", v.Value)
	}
	// The new connections track again.
	ok(t, "SET after the restart")(redisclient.Set("k", "after").Do(ctx, w))
	eventually(t, "DoCached after a write following the restart", some("after"), func() (redisclient.Opt[string], error) {
		return redisclient.Get("k").DoCached(ctx, c, time.Hour)
	})
	// A closed client does not answer from its cache.
	c.Close()
	if _, err := redisclient.Get("k").DoCached(ctx, c, time.Hour); !errors.Is(err, redisclient.ErrClientClosed) {
		t.Errorf("DoCached after Close: %v, want ErrClientClosed", err)
	}
}

// BenchmarkCachedGetHit measures a GET answered by the client-side cache:
// no round trip (server-GETs/op counts the GETs the server ran during the
// loop) and at most one allocation.
func BenchmarkCachedGetHit(b *testing.B) {
	srv := sharedServer(b)
	ctx := context.Background()
	opts := srv.Options(3)
	opts.Cache = &redisclient.CacheOptions{}
	c := NewClient(b, opts)
	k := key(b, "hit")
	if err := redisclient.Set(k, "some value").Do(ctx, c); err != nil {
		b.Fatal(err)
	}
	if _, err := redisclient.Get(k).DoCached(ctx, c, time.Hour); err != nil {
		b.Fatal(err)
	}
	gets := commandCalls(b, srv, "get")
	hits := c.CacheStats().Hits
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		v, err := redisclient.Get(k).DoCached(ctx, c, time.Hour)
		if err != nil || !v.Valid {
			b.Fatalf("DoCached: %v %v", v, err)
		}
	}
	b.StopTimer()
	n := c.CacheStats().Hits - hits
	b.ReportMetric(float64(commandCalls(b, srv, "get")-gets)/float64(b.N), "server-GETs/op")
	if n != uint64(b.N) {
		b.Errorf("%d hits for %d calls", n, b.N)
	}
}

// BenchmarkUncachedGet is the same GET with a round trip, for comparison.
func BenchmarkUncachedGet(b *testing.B) {
	srv := sharedServer(b)
	ctx := context.Background()
	c := NewClient(b, srv.Options(3))
	k := key(b, "get")
	if err := redisclient.Set(k, "some value").Do(ctx, c); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := redisclient.Get(k).Do(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
}

// rywKinds are the ways TestFeatCacheReadYourWrites writes: each reaches
// the server on another path (Do, a multi-key command, a pipeline,
// MULTI/EXEC on a dedicated connection, a script, RENAME, DEL).
var rywKinds = [...]string{"SET", "MSET", "pipeline", "MULTI/EXEC", "EVALSHA", "RENAME", "DEL"}

// rywSet is the script of the EVALSHA writes: it writes the key it
// declares.
var rywSet = redisclient.NewScript(`return redis.call('SET', KEYS[1], ARGV[1])`, redisclient.DecodeValue)

// rywKeys are the keys of one writer of TestFeatCacheReadYourWrites, all
// in one slot: a is written and read back by every kind of write (and
// read by the readers), b is a second key of the multi-key writes, tmp is
// RENAMEd onto a, d is DELeted, and other is written by another client.
type rywKeys struct{ a, b, tmp, d, other string }

// TestFeatCacheReadYourWrites: a DoCached right after the client's own
// acknowledged write returns that write's value, in every tracking mode,
// whatever the kind of write, while other goroutines read the same keys
// through the cache (so fetches are in flight across the writes) and
// another client's writes are still seen through invalidations. The
// invalidation of the client's own write races the write's reply: before
// the client dropped the written keys itself, some of these reads
// returned the previous value.
func TestFeatCacheReadYourWrites(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	for _, m := range cacheModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			pfx := fmt.Sprintf("ryw:%s:%d:", m.name, time.Now().UnixNano())
			opts := srv.Options(3)
			opts.Cache = cacheOptions(m.mode, pfx)
			c := NewClient(t, opts)
			w := NewClient(t, srv.Options(3))
			rywRun(t, c, w, pfx, []int{1, 2, 3, 4})
		})
	}
}

// TestFeatCacheReadYourWritesCluster is TestFeatCacheReadYourWrites on a
// cluster of three masters, with the writers' keys on every master.
func TestFeatCacheReadYourWritesCluster(t *testing.T) {
	t.Parallel()
	tc := startCluster(t, cluConfig{Name: "cache-ryw", ReplicasPerMaster: -1})
	var slots []int
	for _, sh := range tc.shards(t) {
		slots = append(slots, sh.Slots[0]+5, sh.Slots[0]+900)
	}
	for _, m := range cacheModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			pfx := fmt.Sprintf("ryw:%s:%d:", m.name, time.Now().UnixNano())
			c := tc.client(t, 3, func(o *redisclient.ClusterOptions) { o.Cache = cacheOptions(m.mode, pfx) })
			w := tc.client(t, 3, nil)
			rywRun(t, c, w, pfx, slots)
		})
	}
}

// rywRun runs TestFeatCacheReadYourWrites's load on the caching client c,
// with one writer per slot, and w as the other client.
func rywRun(t *testing.T, c, w *redisclient.Client, pfx string, slots []int) {
	ctx := ctxFor(t, 60*time.Second)
	const iterations, readers = 280, 3
	writers := len(slots)
	keys := make([]rywKeys, writers)
	for i, slot := range slots {
		k := func(name string) string { return pfx + cluKey(slot, name) }
		keys[i] = rywKeys{a: k("a"), b: k("b"), tmp: k("tmp"), d: k("d"), other: k("other")}
		ok(t, "SET")(redisclient.Set(keys[i].a, "0").Do(ctx, c))
	}
	// known[i] is the last value written to keys[i].a and acknowledged:
	// no DoCached that starts afterwards may return an older one.
	known := make([]atomic.Int64, writers)
	var (
		stale        [len(rywKinds)]atomic.Int64 // stale reads by the writers, by kind
		staleReaders atomic.Int64                // by the readers
		reads        atomic.Int64
		stop         atomic.Bool
		wg           sync.WaitGroup
	)
	// check reads k through the cache and counts a value older than want
	// as stale (for want -1, any value: the key was deleted).
	check := func(k string, want int64, staleCount *atomic.Int64, what string) {
		v, err := redisclient.Get(k).DoCached(ctx, c, time.Minute)
		if err != nil {
			if ctx.Err() == nil {
				t.Errorf("%s: DoCached: %v", what, err)
			}
			return
		}
		reads.Add(1)
		n, _ := strconv.ParseInt(v.Value, 10, 64)
		if (want < 0 && v.Valid) || n < want {
			if staleCount.Add(1) <= 3 {
				t.Errorf("%s: DoCached returned %q after the write of %d was acknowledged", what, v.Value, want)
			}
		}
	}
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ks := keys[g]
			for i := int64(1); i <= iterations && ctx.Err() == nil; i++ {
				kind := int(i) % len(rywKinds)
				v := strconv.FormatInt(i, 10)
				var err error
				switch rywKinds[kind] {
				case "SET":
					err = redisclient.Set(ks.a, v).Do(ctx, c)
				case "MSET":
					err = redisclient.MSet(ks.b, v).KeyValue(ks.a, v).Do(ctx, c)
				case "pipeline":
					p := c.Pipeline()
					redisclient.Incr(ks.b).Queue(p)
					redisclient.Set(ks.a, v).Queue(p)
					err = p.Exec(ctx)
				case "MULTI/EXEC":
					tx := c.TxPipeline()
					redisclient.Set(ks.a, v).Queue(tx)
					redisclient.Incr(ks.b).Queue(tx)
					err = tx.Exec(ctx)
				case "EVALSHA":
					_, err = rywSet.Run(ctx, c, []string{ks.a}, v)
				case "RENAME":
					if err = redisclient.Set(ks.tmp, v).Do(ctx, c); err == nil {
						err = redisclient.Rename(ks.tmp, ks.a).Do(ctx, c)
					}
				case "DEL":
					// d holds i (read back, so cached), then goes.
					if err = redisclient.Set(ks.d, v).Do(ctx, c); err != nil {
						break
					}
					check(ks.d, i, &stale[kind], fmt.Sprintf("writer %d: SET %d of d", g, i))
					if _, err = redisclient.Del(ks.b, ks.d).Do(ctx, c); err != nil {
						break
					}
					check(ks.d, -1, &stale[kind], fmt.Sprintf("writer %d: DEL of d", g))
					continue
				}
				if err != nil {
					if ctx.Err() == nil {
						t.Errorf("writer %d: %s %d: %v", g, rywKinds[kind], i, err)
					}
					return
				}
				known[g].Store(i)
				check(ks.a, i, &stale[kind], fmt.Sprintf("writer %d: %s %d", g, rywKinds[kind], i))
			}
		}()
	}
	// Readers keep fetches of the same keys in flight across the writes
	// and keep entries cached between them.
	var rwg sync.WaitGroup
	for r := range readers {
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			rng := rand.New(rand.NewPCG(uint64(r), 11))
			for !stop.Load() && ctx.Err() == nil {
				g := rng.IntN(writers)
				check(keys[g].a, known[g].Load(), &staleReaders, fmt.Sprintf("reader %d, key of writer %d", r, g))
				if _, err := redisclient.Get(keys[g].other).DoCached(ctx, c, time.Minute); err != nil && ctx.Err() == nil {
					t.Errorf("reader %d: DoCached: %v", r, err)
				}
			}
		}()
	}
	// The other client writes meanwhile.
	var last atomic.Int64
	rwg.Add(1)
	go func() {
		defer rwg.Done()
		for i := int64(1); !stop.Load() && ctx.Err() == nil; i++ {
			for _, ks := range keys {
				if err := redisclient.Set(ks.other, strconv.FormatInt(i, 10)).Do(ctx, w); err != nil {
					if ctx.Err() == nil {
						t.Errorf("other client: SET: %v", err)
					}
					return
				}
			}
			last.Store(i)
			time.Sleep(time.Millisecond)
		}
	}()
	wg.Wait()
	stop.Store(true)
	rwg.Wait()

	var total int64
	var byKind []string
	for i, name := range rywKinds {
		total += stale[i].Load()
		byKind = append(byKind, fmt.Sprintf("%s %d", name, stale[i].Load()))
	}
	st := c.CacheStats()
	t.Logf("%s: %d writers x %d writes: %d cached reads (%d hits, %d misses, %d invalidations); stale after own writes: %d (%s), by readers: %d",
		t.Name(), writers, iterations, reads.Load(), st.Hits, st.Misses, st.Invalidations, total, strings.Join(byKind, ", "), staleReaders.Load())
	if total+staleReaders.Load() > 0 {
		t.Errorf("%d stale reads after the client's own acknowledged writes", total+staleReaders.Load())
	}
	if st.Hits == 0 {
		t.Errorf("no cache hits: the test did not exercise the cache")
	}
	// The other client's writes are still seen: its last values, and one
	// more after they are cached.
	for _, ks := range keys {
		want := strconv.FormatInt(last.Load(), 10)
		eventually(t, "DoCached of the other client's key", some(want), func() (redisclient.Opt[string], error) {
			return redisclient.Get(ks.other).DoCached(ctx, c, time.Minute)
		})
		ok(t, "SET by the other client")(redisclient.Set(ks.other, "final").Do(ctx, w))
		eventually(t, "DoCached after the other client's SET", some("final"), func() (redisclient.Opt[string], error) {
			return redisclient.Get(ks.other).DoCached(ctx, c, time.Minute)
		})
	}
}

// TestFeatCacheFetcherDeadline: concurrent misses of one key share one
// fetch; when the caller that started it runs out of time, the others,
// whose contexts have no deadline, never get its context's error. Each
// round gives the first caller a deadline of a few microseconds, about
// the time the fetch takes, so that it sometimes ends before the fetch
// and sometimes with it, as the others arrive.
func TestFeatCacheFetcherDeadline(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	ctx := ctxFor(t, 60*time.Second)
	opts := srv.Options(3)
	opts.Cache = &redisclient.CacheOptions{}
	c := NewClient(t, opts)
	pfx := key(t, "")
	const rounds, others = 3000, 6
	var leaked, fetcherTimedOut, calls atomic.Int64
	for round := range rounds {
		k := pfx + strconv.Itoa(round)
		ok(t, "SET")(redisclient.Set(k, "v").Do(ctx, c))
		short, cancel := context.WithTimeout(ctx, time.Duration(20+round%200)*time.Microsecond)
		var wg sync.WaitGroup
		wg.Add(1 + others)
		go func() {
			defer wg.Done()
			if _, err := redisclient.Get(k).DoCached(short, c, time.Minute); err != nil {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("round %d: the caller with a deadline: %v", round, err)
				}
				fetcherTimedOut.Add(1)
			}
		}()
		for range others {
			go func() {
				defer wg.Done()
				calls.Add(1)
				v, err := redisclient.Get(k).DoCached(ctx, c, time.Minute)
				switch {
				case ctx.Err() != nil:
				case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
					if leaked.Add(1) <= 3 {
						t.Errorf("round %d: a caller without a deadline got %v", round, err)
					}
				case err != nil || v != some("v"):
					t.Errorf("round %d: DoCached: %v %v", round, v, err)
				}
			}()
		}
		wg.Wait()
		cancel()
	}
	t.Logf("%d rounds: the caller with a deadline timed out in %d; %d of %d other callers got its context error",
		rounds, fetcherTimedOut.Load(), leaked.Load(), calls.Load())
	if fetcherTimedOut.Load() == 0 {
		t.Errorf("the caller with a deadline never timed out: the test did not exercise a fetcher giving up")
	}
}
