// Package cacheaside is a cache-aside recipe built on redisclient: Get
// reads a key and, on a miss, has exactly one caller across all clients
// fetch the value from its source and store it, while the others wait for
// it (stampede protection).
//
// A miss is claimed in the key itself: the first caller that finds no key
// sets it, with SET NX PX, to a placeholder (a prefix no value may begin
// with, and a random token) that lives Options.LockTTL. That caller
// fetches; a script then replaces the placeholder with the value and its
// TTL, if the key still holds the caller's token. Callers that find the
// placeholder wait, polling with backoff, until the value is there. If the
// fetching caller dies, its placeholder expires and the next caller to
// look claims the key and fetches. Keeping the claim in the key makes the
// recipe work on a cluster client as it is (one key, one slot), and makes
// Delete cancel a fetch in flight: the script finds no token and does not
// store a value fetched before the delete.
//
// Reads go through the client's client-side cache (DoCached) when the
// client has one (Options.Cache): a hit needs no round trip, and a waiter
// polls its local copy of the placeholder until the server's invalidation
// (sent when the value replaces it) drops it. Without a cache every read
// is a GET.
//
// Calls of one Cache for the same key share one read and fetch: the first
// one's fetch function runs, and the others get its outcome. Errors:
//
//   - a fetch error is returned, as a *FetchError, to the caller whose
//     fetch failed and to the calls of the same Cache that shared it; the
//     placeholder is deleted at once, so a caller elsewhere that was
//     waiting claims the key and runs its own fetch;
//   - a fetch must end within LockTTL: its context ends then, since the
//     placeholder expires and another caller may fetch;
//   - errors of the server or the connection are returned as they are.
package cacheaside

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/redkit-go/redkit/recipes/internal/backoff"
	"github.com/redkit-go/redkit/recipes/internal/ownedkey"
	"github.com/redkit-go/redkit/redisclient"
)

// ErrInvalid is matched (errors.Is) by every error about an argument or an
// option.
var ErrInvalid = errors.New("cacheaside: invalid argument")

// FetchError is the error of a fetch function: Get returns it to the
// callers that ran or shared the failed fetch.
type FetchError struct {
	Key string
	Err error
}

func (e *FetchError) Error() string {
	return fmt.Sprintf("cacheaside: fetching %q: %v", e.Key, e.Err)
}

// Unwrap returns the fetch function's error.
func (e *FetchError) Unwrap() error { return e.Err }

// Placeholder is the prefix of the value a claimed key holds while its
// value is fetched; values beginning with it cannot be stored.
const Placeholder = "\x00cacheaside:placeholder:"

// Defaults of Options.
const (
	DefaultLockTTL = 5 * time.Second
	DefaultMinWait = 5 * time.Millisecond
	DefaultMaxWait = 100 * time.Millisecond
)

// Options configure a Cache; zero values mean the defaults.
type Options struct {
	// LockTTL is how long a placeholder lives (whole milliseconds): the
	// time a fetch may take, and how long others wait when the fetching
	// caller dies.
	LockTTL time.Duration
	// MinWait and MaxWait bound the waits between a waiting caller's
	// reads: they double from MinWait up to MaxWait, each drawn at random
	// between half and all of it.
	MinWait, MaxWait time.Duration
}

// Validate reports what is wrong with the options, or nil.
func (o Options) Validate() error {
	switch {
	case o.LockTTL < 0 || (o.LockTTL > 0 && o.LockTTL < time.Millisecond):
		return fmt.Errorf("%w: LockTTL is %v, must be at least 1ms (0 means %v)", ErrInvalid, o.LockTTL, DefaultLockTTL)
	case o.LockTTL%time.Millisecond != 0:
		return fmt.Errorf("%w: LockTTL is %v, must be whole milliseconds", ErrInvalid, o.LockTTL)
	case o.MinWait < 0:
		return fmt.Errorf("%w: MinWait is %v, must not be negative", ErrInvalid, o.MinWait)
	case o.MaxWait < 0:
		return fmt.Errorf("%w: MaxWait is %v, must not be negative", ErrInvalid, o.MaxWait)
	}
	if lo, hi := o.waitBounds(); hi < lo {
		return fmt.Errorf("%w: MaxWait %v is less than MinWait %v", ErrInvalid, hi, lo)
	}
	return nil
}

// lockTTL returns LockTTL or its default.
func (o Options) lockTTL() time.Duration {
	if o.LockTTL == 0 {
		return DefaultLockTTL
	}
	return o.LockTTL
}

// waitBounds returns MinWait and MaxWait with their defaults.
func (o Options) waitBounds() (lo, hi time.Duration) {
	return backoff.Bounds(o.MinWait, o.MaxWait, DefaultMinWait, DefaultMaxWait)
}

// ttlMillis returns d in milliseconds, rounded up.
func ttlMillis(d time.Duration) int64 {
	return int64((d + time.Millisecond - 1) / time.Millisecond)
}

// storeScript replaces the placeholder ARGV[1] of KEYS[1] with the value
// ARGV[2] for ARGV[3] milliseconds; it returns 0 when the key holds
// something else (the placeholder expired, or the key was deleted).
var storeScript = redisclient.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
`, redisclient.DecodeInt)

// Cache reads keys of one client through the cache-aside protocol. It is
// safe for concurrent use; Caches on any number of clients cooperate on
// the same keys.
type Cache struct {
	c    *redisclient.Client
	opts Options

	mu      sync.Mutex
	flights map[string]*flight // the calls in progress, by key
}

// flight is one Get in progress; calls for the same key wait for it.
type flight struct {
	done chan struct{}
	val  string
	err  error
}

// New returns a Cache on c, a client (single node, cluster or sentinel;
// with Options.Cache for local hits). Invalid options are reported by
// every Get.
func New(c *redisclient.Client, opts Options) *Cache {
	return &Cache{c: c, opts: opts, flights: map[string]*flight{}}
}

// Options returns the cache's options.
func (a *Cache) Options() Options { return a.opts }

// Get returns key's value. On a miss, one caller across all clients runs
// fetch (with a context that ends after LockTTL) and stores its value
// for ttl (at least 1ms); the others wait for that value until their ctx
// is done. The caller that fetched gets the value it fetched even when it
// could not be stored (the key was deleted, or the placeholder expired,
// meanwhile); when storing fails (the server's or the connection's
// error), it gets that error. Calls of the same Cache for the same key
// share one fetch: they should pass equivalent fetch functions. Values
// are strings (binary safe: convert a []byte with string(b)).
func (a *Cache) Get(ctx context.Context, key string, ttl time.Duration, fetch func(ctx context.Context) (string, error)) (string, error) {
	switch err := a.opts.Validate(); {
	case err != nil:
		return "", err
	case a.c == nil:
		return "", fmt.Errorf("%w: nil client", ErrInvalid)
	case key == "":
		return "", fmt.Errorf("%w: empty key", ErrInvalid)
	case ttl < time.Millisecond:
		return "", fmt.Errorf("%w: ttl of %q is %v, must be at least 1ms", ErrInvalid, key, ttl)
	case fetch == nil:
		return "", fmt.Errorf("%w: nil fetch function for %q", ErrInvalid, key)
	}
	for {
		a.mu.Lock()
		f := a.flights[key]
		if f == nil {
			f = &flight{done: make(chan struct{})}
			a.flights[key] = f
			a.mu.Unlock()
			a.lead(ctx, f, key, ttl, fetch)
			return f.val, f.err
		}
		a.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return "", ctx.Err()
		}
		if isContextErr(f.err) && ctx.Err() == nil {
			// The shared call ended with its caller's context (or its
			// fetch's LockTTL): that is not this call's error. Try again.
			continue
		}
		return f.val, f.err
	}
}

// lead runs a flight's call and ends the flight, also when fetch panics.
func (a *Cache) lead(ctx context.Context, f *flight, key string, ttl time.Duration, fetch func(context.Context) (string, error)) {
	f.err = fmt.Errorf("cacheaside: the fetch of %q panicked", key)
	defer func() {
		a.mu.Lock()
		delete(a.flights, key)
		a.mu.Unlock()
		close(f.done)
	}()
	f.val, f.err = a.get(ctx, key, ttl, fetch)
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// get reads key until it holds a value, claiming it and fetching when it
// has none.
func (a *Cache) get(ctx context.Context, key string, ttl time.Duration, fetch func(context.Context) (string, error)) (string, error) {
	lo, hi := a.opts.waitBounds()
	for n := 0; ; {
		v, err := redisclient.Get(key).DoCached(ctx, a.c, ttl)
		if err != nil {
			return "", err
		}
		if v.Valid && !strings.HasPrefix(v.Value, Placeholder) {
			return v.Value, nil
		}
		if !v.Valid {
			token := Placeholder + crand.Text()
			claimed, err := redisclient.Set(key, token).NX().PX(a.opts.lockTTL()).Do(ctx, a.c)
			if err != nil {
				return "", err
			}
			if claimed {
				return a.fill(ctx, key, token, ttl, fetch)
			}
			continue // another caller claimed it first: read what it set
		}
		t := time.NewTimer(backoff.Delay(n, lo, hi, rand.Float64))
		n++
		select {
		case <-ctx.Done():
			t.Stop()
			return "", ctx.Err()
		case <-t.C:
		}
	}
}

// fill fetches the value of a key this caller claimed with token, and
// stores it in place of the placeholder.
func (a *Cache) fill(ctx context.Context, key, token string, ttl time.Duration, fetch func(context.Context) (string, error)) (string, error) {
	fctx, cancel := context.WithTimeout(ctx, a.opts.lockTTL())
	v, err := fetch(fctx)
	cancel()
	if err == nil && strings.HasPrefix(v, Placeholder) {
		err = fmt.Errorf("%w: the fetched value begins with the placeholder prefix %q", ErrInvalid, Placeholder)
	}
	if err != nil {
		// Let a waiting caller claim the key now rather than after
		// LockTTL, also when ctx is what ended the fetch.
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.opts.lockTTL())
		_, _ = ownedkey.Delete.Run(actx, a.c, []string{key}, token)
		cancel()
		return "", &FetchError{Key: key, Err: err}
	}
	if _, err := storeScript.Run(ctx, a.c, []string{key}, token, v, ttlMillis(ttl)); err != nil {
		return "", fmt.Errorf("cacheaside: storing the fetched value of %q: %w", key, err)
	}
	return v, nil
}

// Delete deletes keys, so that the next Get of each fetches again (the
// client-side caches of every client drop them too). A fetch in flight
// for one of them does not store its value.
func (a *Cache) Delete(ctx context.Context, keys ...string) error {
	if a.c == nil {
		return fmt.Errorf("%w: nil client", ErrInvalid)
	}
	if len(keys) == 0 {
		return fmt.Errorf("%w: no key to delete", ErrInvalid)
	}
	for i, k := range keys {
		if k == "" {
			return fmt.Errorf("%w: key %d of %d is empty", ErrInvalid, i+1, len(keys))
		}
	}
	_, err := redisclient.Del(keys...).Do(ctx, a.c)
	return err
}
