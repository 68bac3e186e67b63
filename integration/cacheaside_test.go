package integration

// The cache-aside recipe (recipes/cacheaside) against real servers: a
// stampede of goroutines on three clients (RESP2 without a cache, RESP3
// with default and OPTIN tracking) fetching once, with the key's TTL, and
// later hits served by the client-side cache without a GET reaching the
// server; a fetching caller that hangs or whose client closes, replaced
// once its placeholder expires; a failed fetch, returned to its callers
// while a waiter elsewhere fetches at once; Delete, also during a fetch;
// a server restart; and a cluster, with keys on every master.

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redkit-go/redkit/recipes/cacheaside"
	"github.com/redkit-go/redkit/redisclient"
)

// casCachedOptions returns RESP3 options for srv with a client-side cache
// in mode.
func casCachedOptions(srv *Server, mode redisclient.TrackingMode) redisclient.Options {
	o := srv.Options(3)
	o.Cache = &redisclient.CacheOptions{Mode: mode}
	return o
}

// casResult is one Get's outcome.
type casResult struct {
	val string
	err error
}

func TestCacheAsideStampede(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "cacheaside-stampede"})
	ctx := testCtx(t)
	clients := []*redisclient.Client{
		NewClient(t, srv.Options(2)),
		NewClient(t, casCachedOptions(srv, redisclient.TrackingDefault)),
		NewClient(t, casCachedOptions(srv, redisclient.TrackingOptIn)),
	}
	caches := make([]*cacheaside.Cache, len(clients))
	for i, c := range clients {
		caches[i] = cacheaside.New(c, cacheaside.Options{MinWait: time.Millisecond, MaxWait: 20 * time.Millisecond})
	}
	const (
		k       = "user:42:name"
		ttl     = time.Minute
		callers = 50
	)
	var fetches atomic.Int32
	fetch := func(ctx context.Context) (string, error) {
		fetches.Add(1)
		time.Sleep(200 * time.Millisecond) // a slow source: the others pile up
		return "Ada", nil
	}
	start := make(chan struct{})
	results := make(chan casResult, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			v, err := caches[i%len(caches)].Get(ctx, k, ttl, fetch)
			results <- casResult{v, err}
		}()
	}
	close(start)
	wg.Wait()
	close(results)
	for r := range results {
		if r.err != nil || r.val != "Ada" {
			t.Errorf("Get: %q, %v; want \"Ada\"", r.val, r.err)
		}
	}
	if n := fetches.Load(); n != 1 {
		t.Errorf("fetch ran %d times for %d callers on %d clients, want once", n, callers, len(clients))
	}
	expect(t, "GET", some("Ada"))(redisclient.Get(k).Do(ctx, clients[0]))
	pttl := value[redisclient.TimeToLive](t, "PTTL")(redisclient.PTTL(k).Do(ctx, clients[0]))
	if d := pttl.Duration; d > ttl || d < ttl-5*time.Second {
		t.Errorf("PTTL %v, want ≈%v", pttl, ttl)
	}

	// Hits: the cached clients answer from their caches, no GET reaches
	// the server; the RESP2 client reads the server each time.
	for _, i := range []int{1, 2} {
		_, err := caches[i].Get(ctx, k, ttl, fetch) // cached now, if not yet
		must(t, err, "Get")
	}
	gets := commandCalls(t, srv, "get")
	before1, before2 := clients[1].CacheStats(), clients[2].CacheStats()
	const reads = 100
	for range reads {
		for _, i := range []int{1, 2} {
			v, err := caches[i].Get(ctx, k, ttl, fetch)
			if err != nil || v != "Ada" {
				t.Fatalf("Get on cached client %d: %q, %v", i, v, err)
			}
		}
	}
	if got := commandCalls(t, srv, "get"); got != gets {
		t.Errorf("%d GETs reached the server for %d reads on cached clients, want 0", got-gets, 2*reads)
	}
	for i, before := range []redisclient.CacheStats{before1, before2} {
		after := clients[i+1].CacheStats()
		if after.Hits-before.Hits != reads || after.Misses != before.Misses {
			t.Errorf("client %d: cache hits +%d, misses +%d; want +%d and +0", i+1, after.Hits-before.Hits, after.Misses-before.Misses, reads)
		}
	}
	for range 10 {
		_, err := caches[0].Get(ctx, k, ttl, fetch)
		must(t, err, "Get")
	}
	if got := commandCalls(t, srv, "get"); got != gets+10 {
		t.Errorf("%d GETs for 10 reads on the RESP2 client without a cache, want 10", got-gets)
	}
	if n := fetches.Load(); n != 1 {
		t.Errorf("fetch ran %d times in all, want once", n)
	}
}

func TestCacheAsideTakeover(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	for _, crash := range []string{"hung", "closed"} {
		t.Run(crash, func(t *testing.T) {
			t.Parallel()
			ctx := testCtx(t)
			const lockTTL = 300 * time.Millisecond
			opts := cacheaside.Options{LockTTL: lockTTL, MinWait: time.Millisecond, MaxWait: 20 * time.Millisecond}
			k := key(t, "report")

			// The first caller claims the key, and its fetch hangs (past
			// its context) or its client closes.
			ca, err := redisclient.New(casCachedOptions(srv, redisclient.TrackingDefault))
			must(t, err, "New")
			defer ca.Close()
			started, unblock := make(chan struct{}), make(chan struct{})
			aDone := make(chan casResult, 1)
			go func() {
				v, err := cacheaside.New(ca, opts).Get(ctx, k, time.Minute, func(ctx context.Context) (string, error) {
					close(started)
					<-unblock
					return "stale", nil
				})
				aDone <- casResult{v, err}
			}()
			<-started
			begin := time.Now()
			if crash == "closed" {
				must(t, ca.Close(), "Close")
			}

			// Others wait for the placeholder to expire; one of them
			// fetches, all get its value.
			var fetches atomic.Int32
			fetch := func(ctx context.Context) (string, error) {
				fetches.Add(1)
				return "fresh", nil
			}
			others := []*cacheaside.Cache{
				cacheaside.New(NewClient(t, srv.Options(2)), opts),
				cacheaside.New(NewClient(t, casCachedOptions(srv, redisclient.TrackingDefault)), opts),
			}
			var wg sync.WaitGroup
			results := make(chan casResult, 10)
			for i := range 10 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					v, err := others[i%2].Get(ctx, k, time.Minute, fetch)
					results <- casResult{v, err}
				}()
			}
			wg.Wait()
			close(results)
			took := time.Since(begin)
			for r := range results {
				if r.err != nil || r.val != "fresh" {
					t.Errorf("Get: %q, %v; want \"fresh\"", r.val, r.err)
				}
			}
			if n := fetches.Load(); n != 1 {
				t.Errorf("%d fetches after the first caller's claim expired, want 1", n)
			}
			if took < lockTTL-50*time.Millisecond || took > lockTTL+2*time.Second {
				t.Errorf("the others got the value after %v, want about LockTTL (%v)", took, lockTTL)
			}

			// The first caller's fetch ends late: its value is not stored
			// over the fresh one.
			close(unblock)
			r := <-aDone
			switch crash {
			case "hung":
				if r.err != nil || r.val != "stale" {
					t.Errorf("the late fetcher's Get: %q, %v; want its own value", r.val, r.err)
				}
			case "closed":
				if !errors.Is(r.err, redisclient.ErrClientClosed) {
					t.Errorf("Get on the closed client: %q, %v; want ErrClientClosed", r.val, r.err)
				}
			}
			expect(t, "GET after the late fetch", some("fresh"))(redisclient.Get(k).Do(ctx, NewClient(t, srv.Options(3))))
		})
	}
}

func TestCacheAsideFetchError(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	ctx := testCtx(t)
	opts := cacheaside.Options{LockTTL: 10 * time.Second, MinWait: time.Millisecond, MaxWait: 20 * time.Millisecond}
	k := key(t, "user")
	errDB := errors.New("database down")

	a := cacheaside.New(NewClient(t, casCachedOptions(srv, redisclient.TrackingDefault)), opts)
	var aFetches atomic.Int32
	started := make(chan struct{})
	aFetch := func(ctx context.Context) (string, error) {
		if aFetches.Add(1) == 1 {
			close(started)
		}
		time.Sleep(300 * time.Millisecond)
		return "", errDB
	}
	// Five calls on one Cache share one fetch and its error.
	aResults := make(chan casResult, 5)
	go func() {
		v, err := a.Get(ctx, k, time.Minute, aFetch)
		aResults <- casResult{v, err}
	}()
	<-started
	for range 4 {
		go func() {
			v, err := a.Get(ctx, k, time.Minute, aFetch)
			aResults <- casResult{v, err}
		}()
	}
	// A caller on another client waits, then fetches as soon as the
	// failed fetch gives the key up (not after LockTTL).
	begin := time.Now()
	bFetches := atomic.Int32{}
	v, err := cacheaside.New(NewClient(t, srv.Options(2)), opts).Get(ctx, k, time.Minute, func(ctx context.Context) (string, error) {
		bFetches.Add(1)
		return "Ada", nil
	})
	if err != nil || v != "Ada" || bFetches.Load() != 1 {
		t.Errorf("the waiter on another client: %q, %v after %d fetches; want \"Ada\" from its own fetch", v, err, bFetches.Load())
	}
	if took := time.Since(begin); took > 2*time.Second {
		t.Errorf("the waiter got the value after %v, want right after the failed fetch (LockTTL is %v)", took, opts.LockTTL)
	}
	for range 5 {
		r := <-aResults
		var fe *cacheaside.FetchError
		if !errors.As(r.err, &fe) || fe.Key != k || !errors.Is(r.err, errDB) {
			t.Errorf("a call sharing the failed fetch: %q, %v; want a FetchError of %q wrapping the fetch's error", r.val, r.err, k)
		}
	}
	if n := aFetches.Load(); n != 1 {
		t.Errorf("the failing fetch ran %d times, want once (shared)", n)
	}

	// A value that looks like a placeholder is refused, and not stored.
	k2 := key(t, "bad")
	_, err = a.Get(ctx, k2, time.Minute, func(ctx context.Context) (string, error) {
		return cacheaside.Placeholder + "x", nil
	})
	if !errors.Is(err, cacheaside.ErrInvalid) {
		t.Errorf("fetching a placeholder-like value: %v, want ErrInvalid", err)
	}
	expect(t, "EXISTS after a refused value", int64(0))(redisclient.Exists(k2).Do(ctx, NewClient(t, srv.Options(3))))
}

func TestCacheAsideDelete(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	for _, cached := range []bool{false, true} {
		name := "RESP2"
		opts := srv.Options(2)
		if cached {
			name, opts = "RESP3-cache", casCachedOptions(srv, redisclient.TrackingDefault)
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := testCtx(t)
			c := NewClient(t, opts)
			a := cacheaside.New(c, cacheaside.Options{})
			k := key(t, "user")
			var fetches atomic.Int32
			version := func(ctx context.Context) (string, error) {
				return "v" + string(rune('0'+fetches.Add(1))), nil
			}
			for _, want := range []string{"v1", "v1"} {
				v, err := a.Get(ctx, k, time.Minute, version)
				if err != nil || v != want {
					t.Fatalf("Get: %q, %v; want %q", v, err, want)
				}
			}
			must(t, a.Delete(ctx, k, key(t, "other")), "Delete")
			v, err := a.Get(ctx, k, time.Minute, version)
			if err != nil || v != "v2" {
				t.Fatalf("Get after Delete: %q, %v; want a new fetch (v2)", v, err)
			}

			// Delete during a fetch: the fetch's (older) value is returned
			// to its caller but not stored.
			must(t, a.Delete(ctx, k), "Delete")
			inFetch, unblock := make(chan struct{}), make(chan struct{})
			done := make(chan casResult, 1)
			go func() {
				v, err := a.Get(ctx, k, time.Minute, func(ctx context.Context) (string, error) {
					close(inFetch)
					<-unblock
					return "old", nil
				})
				done <- casResult{v, err}
			}()
			<-inFetch
			must(t, a.Delete(ctx, k), "Delete during the fetch")
			close(unblock)
			if r := <-done; r.err != nil || r.val != "old" {
				t.Errorf("Get whose key was deleted during the fetch: %q, %v; want its own value", r.val, r.err)
			}
			expect(t, "EXISTS after a fetch overtaken by Delete", int64(0))(redisclient.Exists(k).Do(ctx, c))
			v, err = a.Get(ctx, k, time.Minute, version)
			if err != nil || v != "v3" {
				t.Errorf("Get: %q, %v; want a new fetch (v3)", v, err)
			}
		})
	}
}

func TestCacheAsideRestart(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "cacheaside-restart"})
	ctx := testCtx(t)
	cc := NewClient(t, casCachedOptions(srv, redisclient.TrackingDefault))
	pc := NewClient(t, srv.Options(2))
	opts := cacheaside.Options{MinWait: time.Millisecond, MaxWait: 20 * time.Millisecond}
	cached, plain := cacheaside.New(cc, opts), cacheaside.New(pc, opts)
	const k = "config"
	var fetches atomic.Int32
	fetch := func(ctx context.Context) (string, error) {
		fetches.Add(1)
		return "on", nil
	}
	get := func(a *cacheaside.Cache, what string) {
		t.Helper()
		v, err := a.Get(ctx, k, time.Hour, fetch)
		if err != nil || v != "on" {
			t.Fatalf("%s: %q, %v", what, v, err)
		}
	}
	get(cached, "Get") // fetches and stores: its own write drops the entry
	get(plain, "Get on the other client")
	get(cached, "Get") // reads the value into the client-side cache
	hits := cc.CacheStats().Hits
	get(cached, "Get")
	if cc.CacheStats().Hits != hits+1 || fetches.Load() != 1 {
		t.Fatalf("before the restart: %d fetches, hits +%d; want 1 fetch and a local hit", fetches.Load(), cc.CacheStats().Hits-hits)
	}

	srv.Stop(t)
	// While the server is down Get fails within its context, and the
	// cache dropped what it held (its connection closed).
	down, cancel := context.WithTimeout(ctx, time.Second)
	begin := time.Now()
	_, err := cached.Get(down, k, time.Hour, fetch)
	cancel()
	if err == nil || time.Since(begin) > 3*time.Second {
		t.Errorf("Get while the server is down: %v after %v, want an error within about a second", err, time.Since(begin))
	}
	srv.Start(t)

	// The server kept nothing: the first Get that reaches it fetches
	// again; then both clients read the stored value.
	if !cluWaitFor(20*time.Second, func() bool {
		rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		v, err := cached.Get(rctx, k, time.Hour, fetch)
		return err == nil && v == "on"
	}) {
		t.Fatal("no Get succeeded after the restart")
	}
	if n := fetches.Load(); n != 2 {
		t.Errorf("%d fetches after the restart, want 2 (the value was lost once)", n)
	}
	get(plain, "Get on the other client after the restart")
	get(cached, "Get after the restart")
	hits = cc.CacheStats().Hits
	get(cached, "Get after the restart")
	if cc.CacheStats().Hits != hits+1 || fetches.Load() != 2 {
		t.Errorf("after the restart: %d fetches, hits +%d; want no new fetch and a local hit", fetches.Load(), cc.CacheStats().Hits-hits)
	}
}

func TestCacheAsideCluster(t *testing.T) {
	t.Parallel()
	tc := startCluster(t, cluConfig{Name: "cacheaside", ReplicasPerMaster: -1})
	ctx := ctxFor(t, 60*time.Second)
	cached := tc.client(t, 3, func(o *redisclient.ClusterOptions) { o.Cache = &redisclient.CacheOptions{} })
	opts := cacheaside.Options{MinWait: time.Millisecond, MaxWait: 20 * time.Millisecond}
	caches := []*cacheaside.Cache{cacheaside.New(cached, opts), cacheaside.New(tc.client(t, 2, nil), opts)}
	var keys []string
	for _, slot := range []int{0, 8000, 16000} { // one on each master
		keys = append(keys, cluKey(slot, "user"))
	}
	fetches := map[string]*atomic.Int32{}
	for _, k := range keys {
		fetches[k] = &atomic.Int32{}
	}
	round := func(what string, want int32) {
		t.Helper()
		var wg sync.WaitGroup
		for _, k := range keys {
			for i := range 20 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					v, err := caches[i%2].Get(ctx, k, time.Minute, func(ctx context.Context) (string, error) {
						fetches[k].Add(1)
						time.Sleep(50 * time.Millisecond)
						return "value of " + k, nil
					})
					if err != nil || v != "value of "+k {
						t.Errorf("%s: Get(%q): %q, %v", what, k, v, err)
					}
				}()
			}
		}
		wg.Wait()
		for _, k := range keys {
			if n := fetches[k].Load(); n != want {
				t.Errorf("%s: %q fetched %d times in all, want %d", what, k, n, want)
			}
		}
	}
	round("cold keys", 1)
	round("warm keys", 1)
	hits := cached.CacheStats().Hits
	for _, k := range keys {
		for range 10 {
			v, err := caches[0].Get(ctx, k, time.Minute, func(ctx context.Context) (string, error) { return "", errors.New("no fetch expected") })
			if err != nil || v != "value of "+k {
				t.Errorf("Get(%q) on the cached client: %q, %v", k, v, err)
			}
		}
	}
	if got := cached.CacheStats().Hits - hits; got != 30 {
		t.Errorf("%d client-side cache hits for 30 reads of stored keys on the cached cluster client, want 30", got)
	}
	must(t, caches[1].Delete(ctx, keys...), "Delete across slots")
	round("after Delete", 2)
}
