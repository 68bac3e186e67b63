package redisclient

// This file holds the client-side cache behind DoCached: entries keyed by
// the command's arguments, bounded in entries and bytes, evicted LRU or
// FIFO, expiring no later than the key's TTL on the server, invalidated by
// the server's tracking messages and by the client's own writes, with
// concurrent misses sharing one round trip.

import (
	"container/list"
	"hash/maphash"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/redkit-go/redkit/transport"
)

// TrackingMode is how the server tracks the keys this client caches.
type TrackingMode int

const (
	// TrackingDefault: the server remembers the keys each connection
	// read and invalidates them when they change.
	TrackingDefault TrackingMode = iota
	// TrackingOptIn: only reads made through DoCached are tracked (CLIENT
	// CACHING YES before each).
	TrackingOptIn
	// TrackingBroadcast: the server invalidates every key that starts with
	// one of CacheOptions.Prefixes; only such keys are cached.
	TrackingBroadcast
)

// EvictionPolicy chooses the entry to drop when the cache is full.
type EvictionPolicy int

const (
	// EvictLRU drops the least recently used entry.
	EvictLRU EvictionPolicy = iota
	// EvictFIFO drops the oldest entry.
	EvictFIFO
)

// Cache defaults.
const (
	DefaultCacheMaxEntries = 10000
	DefaultCacheMaxBytes   = 64 << 20
)

// CacheOptions enable server-assisted client-side caching (RESP3 only).
// Zero values mean the defaults.
type CacheOptions struct {
	Mode TrackingMode
	// Prefixes are the key prefixes of TrackingBroadcast.
	Prefixes []string
	// MaxEntries and MaxBytes bound the cache.
	MaxEntries int
	MaxBytes   int64
	// Eviction is the policy when a bound is reached.
	Eviction EvictionPolicy
}

// CacheStats are the cache's counters.
type CacheStats struct {
	Hits, Misses, Evictions, Invalidations uint64
	// LoadTime is the total time spent fetching missed entries.
	LoadTime time.Duration
	Entries  int
	Bytes    int64
}

// cacheEntry is one cached reply, or one being fetched (loading is open).
type cacheEntry struct {
	hash    uint64
	key     string          // the (prefixed) Redis key, for invalidations
	args    []transport.Arg // owned copies of the command's arguments
	val     any
	size    int64
	expires time.Time

	loading     chan struct{} // closed when fetched
	err         error
	invalidated bool // changed on the server while being fetched
	elem        *list.Element
}

// clientCache is a client's cache; its methods are safe for concurrent
// use.
type clientCache struct {
	opts CacheOptions
	seed maphash.Seed

	mu    sync.Mutex // protects following fields
	byArg map[uint64][]*cacheEntry
	byKey map[string][]*cacheEntry
	order *list.List // front: most recently used (LRU) or newest (FIFO)
	bytes int64
	stats CacheStats
}

// cachedNodeConfig returns the nodes' configuration and, when
// Options.Cache is set, the client's cache wired into it (nil otherwise).
func (o Options) cachedNodeConfig() (transport.NodeConfig, *clientCache) {
	cfg := o.nodeConfig()
	if o.Cache == nil {
		return cfg, nil
	}
	cache := newClientCache(*o.Cache)
	cache.wire(&cfg)
	return cfg, cache
}

func newClientCache(opts CacheOptions) *clientCache {
	if opts.MaxEntries <= 0 {
		opts.MaxEntries = DefaultCacheMaxEntries
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultCacheMaxBytes
	}
	return &clientCache{opts: opts, seed: maphash.MakeSeed(), byArg: map[uint64][]*cacheEntry{}, byKey: map[string][]*cacheEntry{}, order: list.New()}
}

// hashArgs hashes a command's arguments and the key prefix without
// allocating.
func (cc *clientCache) hashArgs(prefix string, args []transport.Arg) uint64 {
	var h maphash.Hash
	h.SetSeed(cc.seed)
	h.WriteString(prefix)
	for _, a := range args {
		h.WriteByte(0)
		a.HashTo(&h)
	}
	return h.Sum64()
}

// sameArgs reports whether an entry was stored for args.
func sameArgs(a, b []transport.Arg) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

// lookup finds the entry for a command. It returns the entry; the
// channel its fetch closes, while one is in flight (read under the lock:
// the fetch may end as soon as lookup returns, and a caller that then
// looked at the entry alone could not tell a stored value from a failed
// fetch's outcome); and whether the caller must fetch it (a new, loading
// entry was inserted).
func (cc *clientCache) lookup(prefix, key string, args []transport.Arg, now time.Time) (e *cacheEntry, loading chan struct{}, fetch bool) {
	h := cc.hashArgs(prefix, args)
	cc.mu.Lock()
	defer cc.mu.Unlock()
	for _, x := range cc.byArg[h] {
		if !sameArgs(x.args, args) || x.invalidated {
			// An invalidated entry is a fetch that started before its key
			// changed: its value may be the old one, so later callers do
			// not wait for it.
			continue
		}
		if x.loading == nil && !x.expires.After(now) {
			cc.removeLocked(x)
			break
		}
		if x.loading == nil {
			cc.stats.Hits++
			if cc.opts.Eviction == EvictLRU {
				cc.order.MoveToFront(x.elem)
			}
		}
		return x, x.loading, false
	}
	cc.stats.Misses++
	e = &cacheEntry{hash: h, key: prefix + key, args: cloneArgs(args), loading: make(chan struct{})}
	cc.byArg[h] = append(cc.byArg[h], e)
	// Indexed by the key as the server names it (with the prefix), which
	// is what invalidation messages carry.
	cc.byKey[e.key] = append(cc.byKey[e.key], e)
	return e, e.loading, true
}

func cloneArgs(args []transport.Arg) []transport.Arg {
	out := make([]transport.Arg, len(args))
	for i, a := range args {
		out[i] = a.Clone()
	}
	return out
}

// loaded completes a fetch that took took: the value is kept (unless it
// was invalidated meanwhile or failed) until ttl after the fetch started
// (the server measured the key's TTL during the fetch), and waiting
// callers wake.
func (cc *clientCache) loaded(e *cacheEntry, val any, err error, size int64, ttl time.Duration, took time.Duration) {
	cc.mu.Lock()
	e.val, e.err = val, err
	cc.stats.LoadTime += took
	if err != nil || e.invalidated || ttl <= took || size > cc.opts.MaxBytes {
		cc.unindexLocked(e)
	} else {
		e.size, e.expires = size, time.Now().Add(ttl-took)
		e.elem = cc.order.PushFront(e)
		cc.bytes += size
		cc.evictLocked()
	}
	ch := e.loading
	e.loading = nil
	cc.mu.Unlock()
	close(ch)
}

// evictLocked drops entries from the back until the bounds hold.
func (cc *clientCache) evictLocked() {
	for cc.order.Len() > cc.opts.MaxEntries || cc.bytes > cc.opts.MaxBytes {
		back := cc.order.Back()
		if back == nil {
			return
		}
		cc.removeLocked(back.Value.(*cacheEntry))
		cc.stats.Evictions++
	}
}

// removeLocked drops a stored entry.
func (cc *clientCache) removeLocked(e *cacheEntry) {
	if e.elem != nil {
		cc.order.Remove(e.elem)
		e.elem = nil
		cc.bytes -= e.size
	}
	cc.unindexLocked(e)
}

// unindexLocked removes an entry from the indexes.
func (cc *clientCache) unindexLocked(e *cacheEntry) {
	cc.byArg[e.hash] = removeEntry(cc.byArg[e.hash], e)
	if len(cc.byArg[e.hash]) == 0 {
		delete(cc.byArg, e.hash)
	}
	cc.byKey[e.key] = removeEntry(cc.byKey[e.key], e)
	if len(cc.byKey[e.key]) == 0 {
		delete(cc.byKey, e.key)
	}
}

func removeEntry(es []*cacheEntry, e *cacheEntry) []*cacheEntry {
	for i, x := range es {
		if x == e {
			return append(es[:i], es[i+1:]...)
		}
	}
	return es
}

// invalidate drops the entries of keys; entries being fetched are marked
// so their values are not kept.
func (cc *clientCache) invalidate(keys ...string) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	for _, k := range keys {
		cc.invalidateLocked(k)
	}
}

// invalidateLocked drops the entries of one key (see invalidate).
func (cc *clientCache) invalidateLocked(key string) {
	es := cc.byKey[key]
	for i := 0; i < len(es); {
		e := es[i]
		cc.stats.Invalidations++
		if e.loading != nil {
			e.invalidated = true
			i++
			continue
		}
		cc.removeLocked(e) // removes es[i] from es, in place
		es = cc.byKey[key]
	}
}

// writesKeys reports whether a command with flags f may change the keys
// it names: a write, or a script or function (EVAL, FCALL) that may write
// the keys it declares. Read-only scripts (EVAL_RO, FCALL_RO) do not.
func writesKeys(f transport.Flags) bool {
	return f&transport.FlagWrite != 0 || f&(transport.FlagScript|transport.FlagReadOnly) == transport.FlagScript
}

// dropWritten keeps the cache from answering with values older than the
// writes among cmds: it drops the entries of the keys they may write, and
// marks the fetches of those keys in flight so that their values, which
// may predate the writes, are not kept (nor shared with later callers). A
// write that names no key (FLUSHDB, SWAPDB) may change any: it clears the
// cache; a script that declares none is taken at its word. It reports
// whether it had anything to drop.
//
// The client calls it before the writes are sent and again once they are
// done, whatever their outcome (a write that failed may have run): the
// server's invalidations of the client's own writes race the writes'
// replies, so they cannot be waited for. The second call is what makes a
// read after the write see it: every entry stored, and every fetch begun,
// before it is gone, and every fetch begun after it reads what the server
// had after the write. The first keeps reads concurrent with the write
// from sharing fetches that began before it.
func (cc *clientCache) dropWritten(cmds []*transport.Command) bool {
	locked := false
	for _, cmd := range cmds {
		f := cmd.Flags()
		_, keyed := cmd.Slot()
		if !writesKeys(f) || (!keyed && f&transport.FlagWrite == 0) {
			continue
		}
		if !locked {
			cc.mu.Lock()
			locked = true
		}
		if !keyed {
			cc.clearLocked()
			continue
		}
		for _, a := range cmd.Args() {
			if a.IsKey() {
				cc.invalidateLocked(cmd.KeyPrefix() + a.Text())
			}
		}
	}
	if locked {
		cc.mu.Unlock()
	}
	return locked
}

// clear drops every entry (after a disconnect, when invalidations may have
// been missed, or on request).
func (cc *clientCache) clear() {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.clearLocked()
}

// clearLocked drops every entry (see clear).
func (cc *clientCache) clearLocked() {
	for _, es := range cc.byArg {
		for _, e := range es {
			if e.loading != nil {
				e.invalidated = true
			}
		}
	}
	loading := map[uint64][]*cacheEntry{}
	loadingKeys := map[string][]*cacheEntry{}
	for h, es := range cc.byArg {
		for _, e := range es {
			if e.loading != nil {
				loading[h] = append(loading[h], e)
				loadingKeys[e.key] = append(loadingKeys[e.key], e)
			}
		}
	}
	cc.byArg, cc.byKey = loading, loadingKeys
	cc.order.Init()
	cc.bytes = 0
}

// snapshot returns the counters.
func (cc *clientCache) snapshot() CacheStats {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	s := cc.stats
	s.Entries, s.Bytes = cc.order.Len(), cc.bytes
	return s
}

// matchesPrefix reports whether a key (keyPrefix+key on the server) may
// be cached: in broadcast mode only keys under a tracked prefix get
// invalidations.
func (cc *clientCache) matchesPrefix(keyPrefix, key string) bool {
	if cc.opts.Mode != TrackingBroadcast {
		return true
	}
	for _, p := range cc.opts.Prefixes {
		if strings.HasPrefix(keyPrefix+key, p) {
			return true
		}
	}
	return false
}

// entryTTL is the lifetime of an entry: the caller's ttl, but no longer
// than the key's remaining TTL on the server (pttl in milliseconds; -1
// for none, -2 for no key). The server rounds its clock down to the
// millisecond, so PTTL may say up to 1ms more than remains: that much is
// taken off.
func entryTTL(ttl time.Duration, pttl int64) time.Duration {
	if pttl >= 0 {
		server := time.Duration(pttl)*time.Millisecond - time.Millisecond
		if server < ttl {
			return max(server, 0)
		}
	}
	if ttl <= 0 {
		return 0
	}
	return min(ttl, time.Duration(math.MaxInt64))
}
