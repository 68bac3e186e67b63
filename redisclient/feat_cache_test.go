package redisclient

// The client-side cache without a server: the clientCache type directly
// (LRU and FIFO eviction, the entry and byte bounds, invalidations with a
// key prefix and during fetches, TTLs), and DoCached on a fake router
// (concurrent misses, a fetcher whose context ends, refused commands, the
// client's own writes dropping what they change).

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// featArgs are the arguments of GET key.
func featArgs(key string) []transport.Arg {
	return []transport.Arg{transport.String("GET"), transport.Key(key)}
}

// featLoad stores a value for key (without prefix) in the cache.
func featLoad(t *testing.T, cc *clientCache, prefix, key string, size int64, ttl time.Duration) {
	t.Helper()
	e, _, fetch := cc.lookup(prefix, key, featArgs(key), time.Now())
	if !fetch {
		t.Fatalf("load %s%s: already cached", prefix, key)
	}
	cc.loaded(e, "value of "+key, nil, size, ttl, 0)
}

// featCached reports whether key is cached (a lookup that would not
// fetch), leaving the cache as it was.
func featCached(cc *clientCache, prefix, key string) bool {
	e, _, fetch := cc.lookup(prefix, key, featArgs(key), time.Now())
	if fetch {
		cc.loaded(e, nil, errors.New("probe"), 0, 0, 0) // drops the probe entry
		return false
	}
	return true
}

func TestFeatCacheEvictionLRU(t *testing.T) {
	cc := newClientCache(CacheOptions{MaxEntries: 3, Eviction: EvictLRU})
	for _, k := range []string{"a", "b", "c"} {
		featLoad(t, cc, "", k, 10, time.Minute)
	}
	if !featCached(cc, "", "a") { // a is now the most recently used
		t.Fatalf("a not cached")
	}
	featLoad(t, cc, "", "d", 10, time.Minute)
	for k, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
		if got := featCached(cc, "", k); got != want {
			t.Errorf("LRU: %s cached %v, want %v (b was the least recently used)", k, got, want)
		}
	}
	if st := cc.snapshot(); st.Evictions != 1 || st.Entries != 3 || st.Bytes != 30 {
		t.Errorf("LRU stats: %+v", st)
	}
}

func TestFeatCacheEvictionFIFO(t *testing.T) {
	cc := newClientCache(CacheOptions{MaxEntries: 3, Eviction: EvictFIFO})
	for _, k := range []string{"a", "b", "c"} {
		featLoad(t, cc, "", k, 10, time.Minute)
	}
	if !featCached(cc, "", "a") { // a hit does not matter to FIFO
		t.Fatalf("a not cached")
	}
	featLoad(t, cc, "", "d", 10, time.Minute)
	for k, want := range map[string]bool{"a": false, "b": true, "c": true, "d": true} {
		if got := featCached(cc, "", k); got != want {
			t.Errorf("FIFO: %s cached %v, want %v (a was the oldest)", k, got, want)
		}
	}
}

func TestFeatCacheByteLimit(t *testing.T) {
	cc := newClientCache(CacheOptions{MaxBytes: 250})
	featLoad(t, cc, "", "a", 100, time.Minute)
	featLoad(t, cc, "", "b", 100, time.Minute)
	if st := cc.snapshot(); st.Bytes != 200 || st.Entries != 2 {
		t.Fatalf("stats after two entries: %+v", st)
	}
	featLoad(t, cc, "", "c", 100, time.Minute) // 300 > 250: a goes
	if featCached(cc, "", "a") || !featCached(cc, "", "b") || !featCached(cc, "", "c") {
		t.Errorf("byte limit: want a evicted, b and c kept")
	}
	if st := cc.snapshot(); st.Bytes != 200 || st.Evictions != 1 {
		t.Errorf("stats after the byte limit: %+v", st)
	}
	// An entry larger than the whole cache is not kept, and evicts nothing.
	featLoad(t, cc, "", "huge", 251, time.Minute)
	if featCached(cc, "", "huge") || !featCached(cc, "", "b") || !featCached(cc, "", "c") {
		t.Errorf("an entry over MaxBytes: want it dropped and the others kept")
	}
	// Invalidation gives the bytes back.
	cc.invalidate("b")
	if st := cc.snapshot(); st.Bytes != 100 || st.Entries != 1 {
		t.Errorf("stats after an invalidation: %+v", st)
	}
	cc.clear()
	if st := cc.snapshot(); st.Bytes != 0 || st.Entries != 0 {
		t.Errorf("stats after clear: %+v", st)
	}
}

// TestFeatCacheInvalidatePrefixed: invalidation messages name the keys as
// the server knows them, with the client's key prefix.
func TestFeatCacheInvalidatePrefixed(t *testing.T) {
	cc := newClientCache(CacheOptions{})
	featLoad(t, cc, "app:", "k", 10, time.Minute)
	cc.invalidate("k") // another key: k without the prefix
	if !featCached(cc, "app:", "k") {
		t.Fatalf("app:k dropped by an invalidation of k")
	}
	cc.invalidate("app:k")
	if featCached(cc, "app:", "k") {
		t.Errorf("app:k still cached after the server invalidated app:k")
	}
	// Without a prefix, and with the same key under two prefixes (two
	// clients sharing nothing but the test): only the named one goes.
	featLoad(t, cc, "", "k", 10, time.Minute)
	featLoad(t, cc, "app:", "k", 10, time.Minute)
	cc.invalidate("k")
	if featCached(cc, "", "k") || !featCached(cc, "app:", "k") {
		t.Errorf("invalidate k: want k dropped and app:k kept")
	}
	if st := cc.snapshot(); len(cc.byKey) != st.Entries {
		t.Errorf("index by key: %d keys for %d entries: %v", len(cc.byKey), st.Entries, cc.byKey)
	}
}

// TestFeatCacheInvalidatedWhileLoading: a value fetched while its key
// changed is not kept, and callers arriving after the invalidation do not
// wait for it: they fetch again.
func TestFeatCacheInvalidatedWhileLoading(t *testing.T) {
	cc := newClientCache(CacheOptions{})
	old, _, fetch := cc.lookup("", "k", featArgs("k"), time.Now())
	if !fetch {
		t.Fatal("first lookup: want a fetch")
	}
	joined, _, fetch := cc.lookup("", "k", featArgs("k"), time.Now())
	if fetch || joined != old {
		t.Fatal("second lookup before the invalidation: want to share the fetch")
	}
	cc.invalidate("k")
	fresh, _, fetch := cc.lookup("", "k", featArgs("k"), time.Now())
	if !fetch || fresh == old {
		t.Fatalf("lookup after the invalidation joined the fetch that started before it (it may return the old value)")
	}
	cc.loaded(old, "old", nil, 10, time.Minute, 0)
	cc.loaded(fresh, "new", nil, 10, time.Minute, 0)
	e, _, fetch := cc.lookup("", "k", featArgs("k"), time.Now())
	if fetch || e.val != "new" {
		t.Errorf("after both fetches: cached %v (fetch %v), want the new value", e.val, fetch)
	}
	if st := cc.snapshot(); st.Entries != 1 {
		t.Errorf("entries: %d, want 1", st.Entries)
	}
	// clear during a fetch: not kept either.
	cc.clear()
	e, _, _ = cc.lookup("", "k", featArgs("k"), time.Now())
	cc.clear()
	cc.loaded(e, "stale", nil, 10, time.Minute, 0)
	if featCached(cc, "", "k") {
		t.Errorf("a value fetched across a clear was kept")
	}
}

func TestFeatCacheExpiry(t *testing.T) {
	cc := newClientCache(CacheOptions{})
	e, _, _ := cc.lookup("", "k", featArgs("k"), time.Now())
	// The fetch started 80ms ago and the server said the key lives 100ms
	// more: the entry expires 20ms from now, not 100ms.
	cc.loaded(e, "v", nil, 10, 100*time.Millisecond, 80*time.Millisecond)
	if _, _, fetch := cc.lookup("", "k", featArgs("k"), time.Now().Add(10*time.Millisecond)); fetch {
		t.Errorf("expired 10ms later: want still cached")
	}
	if e, _, fetch := cc.lookup("", "k", featArgs("k"), time.Now().Add(30*time.Millisecond)); !fetch {
		t.Errorf("30ms later: still cached, want expired (the TTL counts from the fetch's start)")
	} else {
		cc.loaded(e, nil, errors.New("x"), 0, 0, 0)
	}
	// A TTL shorter than the fetch: never kept.
	e, _, fetch := cc.lookup("", "k", featArgs("k"), time.Now())
	if !fetch {
		t.Fatalf("lookup after expiry: want a fetch")
	}
	cc.loaded(e, "v", nil, 10, 5*time.Millisecond, 10*time.Millisecond)
	if featCached(cc, "", "k") {
		t.Errorf("an entry whose TTL ended during its fetch was kept")
	}
}

func TestFeatCacheEntryTTL(t *testing.T) {
	for _, tc := range []struct {
		ttl  time.Duration
		pttl int64
		max  time.Duration
		min  time.Duration
	}{
		{time.Minute, -1, time.Minute, time.Minute},                        // no expiry on the server
		{time.Minute, -2, time.Minute, time.Minute},                        // no key (a nil reply)
		{time.Minute, 200, 200 * time.Millisecond, time.Millisecond * 198}, // the server's TTL
		{100 * time.Millisecond, 5000, 100 * time.Millisecond, 100 * time.Millisecond},
		{time.Minute, 0, 0, 0},
		{time.Minute, 1, time.Millisecond, 0},
		{0, -1, 0, 0},
		{-time.Second, -1, 0, 0},
	} {
		got := entryTTL(tc.ttl, tc.pttl)
		if got > tc.max || got < tc.min {
			t.Errorf("entryTTL(%v, %d) = %v, want between %v and %v", tc.ttl, tc.pttl, got, tc.min, tc.max)
		}
	}
}

func TestFeatCacheBroadcastPrefixes(t *testing.T) {
	cc := newClientCache(CacheOptions{Mode: TrackingBroadcast, Prefixes: []string{"user:", "app:session:"}})
	for _, tc := range []struct {
		keyPrefix, key string
		want           bool
	}{
		{"", "user:1", true},
		{"", "order:1", false},
		{"app:", "session:x", true},
		{"app:", "user:1", false},
		{"", "app:session:y", true},
	} {
		if got := cc.matchesPrefix(tc.keyPrefix, tc.key); got != tc.want {
			t.Errorf("matchesPrefix(%q, %q) = %v, want %v", tc.keyPrefix, tc.key, got, tc.want)
		}
	}
	if !newClientCache(CacheOptions{}).matchesPrefix("", "anything") {
		t.Errorf("default mode caches every key")
	}
}

// featRouter answers GET with a value and PTTL with -1, counting the
// GETs; while hold is set, GETs wait for it (or their context).
type featRouter struct {
	gets atomic.Int64
	hold chan struct{}
	val  string
	// refuseCaching answers CLIENT CACHING YES with an error.
	refuseCaching bool
}

func (r *featRouter) Do(ctx context.Context, cmd *transport.Command) error {
	return r.DoMulti(ctx, []*transport.Command{cmd})
}

func (r *featRouter) DoMulti(ctx context.Context, cmds []*transport.Command) error {
	for _, cmd := range cmds {
		reply := "+OK\r\n"
		switch strings.ToUpper(cmd.Name()) {
		case "GET":
			r.gets.Add(1)
			if r.hold != nil {
				select {
				case <-r.hold:
				case <-ctx.Done():
					cmd.SetErr(ctx.Err())
					continue
				}
			}
			reply = "$" + itoa(len(r.val)) + "\r\n" + r.val + "\r\n"
		case "PTTL":
			reply = ":-1\r\n"
		case "CLIENT":
			if r.refuseCaching {
				reply = "-ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled\r\n"
			}
		}
		rd := resp.NewReader(strings.NewReader(reply), 0, resp.Limits{})
		cmd.SetErr(rd.ReadReply(cmd.ReplyStorage()))
	}
	return nil
}

func (r *featRouter) DedicatedConn(context.Context, int) (*transport.Conn, error) {
	return nil, errors.New("no dedicated connections")
}
func (r *featRouter) Close() error { return nil }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func featCachedClient(r transport.Router, opts CacheOptions) *Client {
	c := NewWithRouter(r, Options{Protocol: 3})
	c.cache = newClientCache(opts)
	return c
}

// TestFeatDoCachedSingleFlight: concurrent misses of one key make one GET.
func TestFeatDoCachedSingleFlight(t *testing.T) {
	r := &featRouter{hold: make(chan struct{}), val: "v"}
	c := featCachedClient(r, CacheOptions{})
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := Get("k").DoCached(ctx, c, time.Minute)
			if err == nil && v.Value != "v" {
				err = errors.New("wrong value " + v.Value)
			}
			errs <- err
		}()
	}
	time.Sleep(50 * time.Millisecond) // all of them are waiting
	close(r.hold)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("DoCached: %v", err)
		}
	}
	if n := r.gets.Load(); n != 1 {
		t.Errorf("%d GETs for 20 concurrent misses, want 1", n)
	}
	if st := c.CacheStats(); st.Misses != 1 || st.Entries != 1 {
		t.Errorf("stats: %+v", st)
	}
}

// TestFeatDoCachedFetcherCancelled: the caller whose fetch others share
// gives up; the others fetch again rather than fail with its context's
// error.
func TestFeatDoCachedFetcherCancelled(t *testing.T) {
	r := &featRouter{hold: make(chan struct{}), val: "v"}
	c := featCachedClient(r, CacheOptions{})
	short, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		_, err := Get("k").DoCached(short, c, time.Minute)
		first <- err
	}()
	for r.gets.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	second := make(chan error, 1)
	go func() {
		v, err := Get("k").DoCached(context.Background(), c, time.Minute)
		if err == nil && v.Value != "v" {
			err = errors.New("wrong value " + v.Value)
		}
		second <- err
	}()
	time.Sleep(20 * time.Millisecond) // the second caller waits for the first's fetch
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller: %v", err)
	}
	close(r.hold)
	select {
	case err := <-second:
		if err != nil {
			t.Errorf("the other caller failed with the cancelled caller's error: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the other caller did not return")
	}
}

// TestFeatDoCachedNotCacheable: commands the cache cannot keep run
// directly, every time.
func TestFeatDoCachedNotCacheable(t *testing.T) {
	r := &featRouter{val: "v"}
	c := featCachedClient(r, CacheOptions{Mode: TrackingBroadcast, Prefixes: []string{"user:"}})
	ctx := context.Background()
	for range 3 {
		if _, err := Get("order:1").DoCached(ctx, c, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if n := r.gets.Load(); n != 3 {
		t.Errorf("GET outside the broadcast prefixes: %d GETs for 3 calls, want 3", n)
	}
	if st := c.CacheStats(); st.Entries != 0 || st.Hits != 0 {
		t.Errorf("stats: %+v", st)
	}
	// SORT_RO with BY/GET patterns reads keys the server does not track
	// for it: never cached.
	cmd, err := SortRO("l").By("w_*").Get("o_*").Command()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cacheKey(cmd); ok {
		t.Errorf("SORT_RO BY pattern: cacheable, want not (its pattern keys are not tracked)")
	}
	cmd.Release()
	for _, b := range []interface {
		Command() (*transport.Command, error)
	}{SortRO("l"), SortRO("l").By("nosort").Get("#"), Get("k")} {
		cmd, err := b.Command()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := cacheKey(cmd); !ok {
			t.Errorf("%q: not cacheable, want cacheable", cmd.AppendTo(nil))
		}
		cmd.Release()
	}
	// A closed client answers nothing from its cache.
	c2 := featCachedClient(&featRouter{val: "v"}, CacheOptions{})
	if _, err := Get("k").DoCached(ctx, c2, time.Minute); err != nil {
		t.Fatal(err)
	}
	c2.Close()
	if _, err := Get("k").DoCached(ctx, c2, time.Minute); !errors.Is(err, ErrClientClosed) {
		t.Errorf("DoCached after Close: %v, want ErrClientClosed", err)
	}
}

// TestFeatDoCachedOptInRefused: in OPTIN mode a read is tracked only after
// CLIENT CACHING YES; when that fails, the value must not be kept.
func TestFeatDoCachedOptInRefused(t *testing.T) {
	ctx := context.Background()
	r := &featRouter{val: "v"}
	c := featCachedClient(r, CacheOptions{Mode: TrackingOptIn})
	for range 2 {
		if v, err := Get("k").DoCached(ctx, c, time.Minute); err != nil || v.Value != "v" {
			t.Fatalf("DoCached: %v %v", v, err)
		}
	}
	if n := r.gets.Load(); n != 1 {
		t.Errorf("OPTIN accepted: %d GETs for 2 calls, want 1 (the second a hit)", n)
	}
	r2 := &featRouter{val: "v", refuseCaching: true}
	c2 := featCachedClient(r2, CacheOptions{Mode: TrackingOptIn})
	for range 2 {
		if v, err := Get("k").DoCached(ctx, c2, time.Minute); err != nil || v.Value != "v" {
			t.Fatalf("DoCached with CLIENT CACHING refused: %v %v", v, err)
		}
	}
	if n := r2.gets.Load(); n != 2 {
		t.Errorf("CLIENT CACHING YES refused: %d GETs for 2 calls, want 2 (nothing kept)", n)
	}
	if st := c2.CacheStats(); st.Entries != 0 {
		t.Errorf("CLIENT CACHING YES refused: %d entries kept", st.Entries)
	}
}

// featBlockKey marks the context of a fetch that featCtxRouter holds
// until that context ends.
type featBlockKey struct{}

// featCtxRouter answers like featRouter, except that a GET sent with a
// context carrying featBlockKey waits for that context to end and fails
// with its error, as the transport does for a caller that gives up.
type featCtxRouter struct{ featRouter }

func (r *featCtxRouter) Do(ctx context.Context, cmd *transport.Command) error {
	return r.DoMulti(ctx, []*transport.Command{cmd})
}

func (r *featCtxRouter) DoMulti(ctx context.Context, cmds []*transport.Command) error {
	if ctx.Value(featBlockKey{}) != nil {
		r.gets.Add(1)
		<-ctx.Done()
		for _, cmd := range cmds {
			cmd.SetErr(ctx.Err())
		}
		return nil
	}
	return r.featRouter.DoMulti(ctx, cmds)
}

// TestFeatDoCachedWaitersKeepTheirContexts: callers that arrive while the
// fetch they would share is ending with its caller's context error never
// get that error: they fetch again within their own contexts. Each round
// cancels the fetching caller just as the others look the key up, so that
// some of them find the fetch still loading and then see it done.
func TestFeatDoCachedWaitersKeepTheirContexts(t *testing.T) {
	r := &featCtxRouter{featRouter{val: "v"}}
	c := featCachedClient(r, CacheOptions{})
	const rounds, waiters = 5000, 8
	var leaked, calls atomic.Int64
	for round := range rounds {
		k := "k" + itoa(round)
		ctx, cancel := context.WithCancel(context.WithValue(context.Background(), featBlockKey{}, true))
		first := make(chan error, 1)
		before := r.gets.Load()
		go func() {
			_, err := Get(k).DoCached(ctx, c, time.Minute)
			first <- err
		}()
		for r.gets.Load() == before {
			runtime.Gosched()
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range waiters {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				calls.Add(1)
				v, err := Get(k).DoCached(context.Background(), c, time.Minute)
				switch {
				case isContextErr(err):
					leaked.Add(1)
				case err != nil || v.Value != "v":
					t.Errorf("round %d: DoCached: %v %v", round, v, err)
				}
			}()
		}
		close(start)
		cancel()
		wg.Wait()
		if err := <-first; !errors.Is(err, context.Canceled) {
			t.Fatalf("round %d: the cancelled caller: %v, want context.Canceled", round, err)
		}
	}
	t.Logf("%d calls whose contexts never ended; %d got another caller's context error", calls.Load(), leaked.Load())
	if leaked.Load() > 0 {
		t.Errorf("%d of %d callers got the context error of the caller whose fetch they shared", leaked.Load(), calls.Load())
	}
}

// featCommand builds a command as the client sends it.
func featCommand(t *testing.T, b interface {
	Command() (*transport.Command, error)
}, prefix string) *transport.Command {
	t.Helper()
	cmd, err := b.Command()
	if err != nil {
		t.Fatal(err)
	}
	cmd.SetKeyPrefix(prefix)
	return cmd
}

// TestFeatCacheDropWritten: the keys a command may write are those of
// writes and of scripts that declare them; their entries go (with the key
// prefix), and fetches of them in flight keep nothing and are not shared
// any more. Reads and read-only scripts drop nothing; a write naming no
// key drops everything.
func TestFeatCacheDropWritten(t *testing.T) {
	for _, tc := range []struct {
		name string
		cmd  interface {
			Command() (*transport.Command, error)
		}
		dropped []string // of a, c (cached) and b (being fetched), with the prefix p:
	}{
		{"GET", Get("a"), nil},
		{"SET", Set("a", "1"), []string{"a"}},
		{"MSET", MSet("a", "1").KeyValue("c", "2"), []string{"a", "c"}},
		{"DEL", Del("b", "c"), []string{"b", "c"}},
		{"RENAME", Rename("a", "b"), []string{"a", "b"}},
		{"EVALSHA", EvalSHA("0123").Keys("b"), []string{"b"}},
		{"FCALL", FCall("f").Keys("c"), []string{"c"}},
		{"EVALSHA_RO", EvalSHARO("0123").Keys("b"), nil},
		{"EVAL without keys", Eval("return 1"), nil},
		{"FLUSHDB", FlushDB(), []string{"a", "b", "c"}},
		{"Raw SET", Raw("SET", "b", "1"), []string{"b"}},
		{"Raw unknown", Raw("NOSUCHCOMMAND", "a"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cc := newClientCache(CacheOptions{})
			featLoad(t, cc, "p:", "a", 10, time.Minute)
			featLoad(t, cc, "p:", "c", 10, time.Minute)
			featLoad(t, cc, "", "a", 10, time.Minute) // a without the prefix: another key
			inFlight, _, fetch := cc.lookup("p:", "b", featArgs("b"), time.Now())
			if !fetch {
				t.Fatal("lookup of b: want a fetch")
			}
			cmd := featCommand(t, tc.cmd, "p:")
			defer cmd.Release()
			wrote := cc.dropWritten([]*transport.Command{cmd})
			if wrote != (tc.dropped != nil) {
				t.Errorf("dropWritten reported a write: %v, want %v", wrote, tc.dropped != nil)
			}
			for _, k := range []string{"a", "c"} {
				if got, want := !featCached(cc, "p:", k), slices.Contains(tc.dropped, k); got != want {
					t.Errorf("p:%s dropped: %v, want %v", k, got, want)
				}
			}
			if !featCached(cc, "", "a") && !slices.Equal(tc.dropped, []string{"a", "b", "c"}) {
				t.Errorf("a (without the prefix) dropped")
			}
			// The fetch of b in flight: shared by a later lookup, and its
			// value kept, only when b was not written.
			joined, _, fetch := cc.lookup("p:", "b", featArgs("b"), time.Now())
			if fetch { // a fetch of its own: drop it
				cc.loaded(joined, nil, errors.New("probe"), 0, 0, 0)
			}
			cc.loaded(inFlight, "old", nil, 10, time.Minute, 0)
			bWritten := slices.Contains(tc.dropped, "b")
			if fetch != bWritten {
				t.Errorf("a lookup after the write shares the fetch of b begun before it: %v, want %v", !fetch, !bWritten)
			}
			if kept := featCached(cc, "p:", "b"); kept == bWritten {
				t.Errorf("the value of b fetched across the write kept: %v, want %v", kept, !bWritten)
			}
		})
	}
}

// featStore is a router over a map: GET, SET, DEL and PTTL act on it;
// it never sends invalidations (as if they were late). While hold is set,
// a GET reads the value and then waits for hold before replying (a fetch
// in flight).
type featStore struct {
	mu   sync.Mutex
	data map[string]string
	hold chan struct{}
	read chan struct{} // receives a token when a held GET has read
}

func (s *featStore) Do(ctx context.Context, cmd *transport.Command) error {
	return s.DoMulti(ctx, []*transport.Command{cmd})
}

func (s *featStore) DoMulti(ctx context.Context, cmds []*transport.Command) error {
	for _, cmd := range cmds {
		args := cmd.Args()
		key := func(i int) string { return cmd.KeyPrefix() + args[i].Text() }
		reply := "+OK\r\n"
		s.mu.Lock()
		hold := s.hold
		switch strings.ToUpper(cmd.Name()) {
		case "GET":
			if v, ok := s.data[key(1)]; ok {
				reply = "$" + itoa(len(v)) + "\r\n" + v + "\r\n"
			} else {
				reply = "_\r\n"
			}
		case "SET":
			s.data[key(1)] = args[2].Text()
			hold = nil
		case "DEL":
			for i := 1; i < len(args); i++ {
				delete(s.data, key(i))
			}
			reply, hold = ":1\r\n", nil
		case "PTTL":
			reply, hold = ":-1\r\n", nil
		default:
			hold = nil
		}
		s.mu.Unlock()
		if hold != nil {
			s.read <- struct{}{}
			<-hold
		}
		rd := resp.NewReader(strings.NewReader(reply), 0, resp.Limits{})
		cmd.SetErr(rd.ReadReply(cmd.ReplyStorage()))
	}
	return nil
}

func (s *featStore) DedicatedConn(context.Context, int) (*transport.Conn, error) {
	return nil, errors.New("no dedicated connections")
}
func (s *featStore) Close() error { return nil }

// TestFeatDoCachedReadsOwnWrites: without any invalidation from the
// server, a DoCached after the client's own write (by Do, in a pipeline,
// with a key prefix) returns the written value; a fetch that read the old
// value before the write and finishes after it returns that value to its
// caller (their calls overlapped) but keeps nothing.
func TestFeatDoCachedReadsOwnWrites(t *testing.T) {
	ctx := context.Background()
	s := &featStore{data: map[string]string{"app:k": "v0"}, read: make(chan struct{})}
	c := NewWithRouter(s, Options{Protocol: 3, KeyPrefix: "app:"})
	c.cache = newClientCache(CacheOptions{})
	read := func(want string) {
		t.Helper()
		if v, err := Get("k").DoCached(ctx, c, time.Minute); err != nil || v.Value != want {
			t.Fatalf("DoCached: %q %v, want %q", v.Value, err, want)
		}
	}
	read("v0")
	read("v0")
	if st := c.CacheStats(); st.Hits != 1 {
		t.Fatalf("stats: %+v, want a hit", st)
	}
	if err := Set("k", "v1").Do(ctx, c); err != nil {
		t.Fatal(err)
	}
	read("v1")
	p := c.Pipeline()
	Set("k", "v2").Queue(p)
	if err := p.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	read("v2")
	if _, err := Del("other", "k").Do(ctx, c); err != nil {
		t.Fatal(err)
	}
	if v, err := Get("k").DoCached(ctx, c, time.Minute); err != nil || v.Valid {
		t.Fatalf("DoCached after DEL: %+v %v, want none", v, err)
	}

	// A fetch in flight across a write.
	s.mu.Lock()
	s.hold = make(chan struct{})
	s.mu.Unlock()
	c.InvalidateCache("k")
	old := make(chan string, 1)
	go func() {
		v, err := Get("k").DoCached(ctx, c, time.Minute)
		if err != nil {
			t.Error(err)
		}
		old <- fmt.Sprintf("%v/%s", v.Valid, v.Value)
	}()
	<-s.read // it read "no key"
	if err := Set("k", "v3").Do(ctx, c); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	close(s.hold)
	s.hold = nil
	s.mu.Unlock()
	if got := <-old; got != "false/" {
		t.Errorf("the overlapping fetch returned %s, want the value it read (none)", got)
	}
	read("v3")
}
