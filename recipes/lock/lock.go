// Package lock is a distributed lock recipe built on redisclient: one key
// per lock holding a random token, taken with SET NX PX, extended and
// released by compare-and-act scripts, with fencing tokens.
//
// Acquiring a lock named name sets the key lock:{name} to a token drawn
// from crypto/rand (a new one per acquisition) for Options.TTL, and in the
// same script increments the counter lock:{name}:fence: the counter's new
// value is the acquisition's fencing token, greater than every earlier
// one. A resource the lock protects can refuse writes that carry a token
// lower than the highest it has seen, so a holder that lost the lock
// without knowing (a long GC pause, a partition) cannot overwrite the work
// of the next one. Both keys share the hash tag {name}, so the script
// works on a cluster client.
//
// While a Lock is held, a goroutine extends it every Options.ExtendEvery
// (TTL/3 by default) with a script that resets the TTL only if the key
// still holds the lock's token. When an extension finds another token or
// no key, or when no extension has succeeded for a whole TTL (the server
// is unreachable: the key has expired, or will before anyone can tell),
// the lock is lost: Lost is closed and Context is cancelled with a cause
// matching ErrLost, so work done under the lock can stop. Release stops
// the extensions and deletes the key if it still holds the token;
// otherwise it returns ErrNotHeld.
//
// Fencing tokens are only as durable as the counter: a server without
// persistence that restarts, or a failover to a replica that had not
// received the latest INCR, starts the counter again from a lower value.
// Run the server with appendonly yes and appendfsync always (and, with
// replicas, WAIT or min-replicas-to-write) when the tokens must never go
// back. The lock itself has the usual limits of a single-instance lock:
// a failover can lose a key that had not reached the replica.
package lock

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/redkit-go/redkit/recipes/internal/backoff"
	"github.com/redkit-go/redkit/recipes/internal/ownedkey"
	"github.com/redkit-go/redkit/redisclient"
)

// ErrInvalid is matched (errors.Is) by every error about an argument or an
// option.
var ErrInvalid = errors.New("lock: invalid argument")

// ErrNotAcquired is returned by TryAcquire when another holder has the
// lock.
var ErrNotAcquired = errors.New("lock: held by another holder")

// ErrNotHeld is returned by Release and Extend when the key no longer
// holds the lock's token: it expired, or another holder took it since.
var ErrNotHeld = errors.New("lock: not held")

// ErrLost is matched by the cause of a lost lock's Context (context.Cause):
// an extension found that the key was gone or held another token
// (ErrNotHeld is matched too), or no extension succeeded for a whole TTL.
var ErrLost = errors.New("lock: lost")

// ErrReleased is the cause of a released lock's Context.
var ErrReleased = errors.New("lock: released")

// Default backoff bounds of Acquire.
const (
	DefaultMinBackoff = 10 * time.Millisecond
	DefaultMaxBackoff = time.Second
)

// Options configure a Locker. TTL is required; zero values of the others
// mean their defaults.
type Options struct {
	// TTL is how long the key lives without an extension (at least 1ms,
	// whole milliseconds). It bounds how long others wait when the holder
	// dies.
	TTL time.Duration
	// ExtendEvery is how often a held lock is extended (TTL/3 when zero;
	// negative: never, and the lock is lost after TTL unless Extend is
	// called). It must be shorter than TTL.
	ExtendEvery time.Duration
	// MinBackoff and MaxBackoff bound Acquire's waits between attempts:
	// the wait doubles from MinBackoff up to MaxBackoff, each drawn at
	// random between half and all of it (jitter), and is never longer than
	// the holder's remaining TTL.
	MinBackoff, MaxBackoff time.Duration
}

// Validate reports what is wrong with the options, or nil.
func (o Options) Validate() error {
	switch {
	case o.TTL < time.Millisecond:
		return fmt.Errorf("%w: TTL is %v, must be at least 1ms", ErrInvalid, o.TTL)
	case o.TTL%time.Millisecond != 0:
		return fmt.Errorf("%w: TTL is %v, must be whole milliseconds", ErrInvalid, o.TTL)
	case o.ExtendEvery >= o.TTL:
		return fmt.Errorf("%w: ExtendEvery is %v, must be shorter than TTL (%v)", ErrInvalid, o.ExtendEvery, o.TTL)
	case o.MinBackoff < 0:
		return fmt.Errorf("%w: MinBackoff is %v, must not be negative", ErrInvalid, o.MinBackoff)
	case o.MaxBackoff < 0:
		return fmt.Errorf("%w: MaxBackoff is %v, must not be negative", ErrInvalid, o.MaxBackoff)
	}
	if lo, hi := o.backoffBounds(); hi < lo {
		return fmt.Errorf("%w: MaxBackoff %v is less than MinBackoff %v", ErrInvalid, hi, lo)
	}
	return nil
}

// extendEvery returns the extension interval, zero for none.
func (o Options) extendEvery() time.Duration {
	switch {
	case o.ExtendEvery < 0:
		return 0
	case o.ExtendEvery == 0:
		return max(o.TTL/3, time.Millisecond)
	}
	return o.ExtendEvery
}

// backoffBounds returns MinBackoff and MaxBackoff with their defaults.
func (o Options) backoffBounds() (lo, hi time.Duration) {
	return backoff.Bounds(o.MinBackoff, o.MaxBackoff, DefaultMinBackoff, DefaultMaxBackoff)
}

// acquireDelay returns the wait before attempt n+1 (backoff.Delay), no
// longer than holderTTL when that is positive (the holder's key expires
// then), and at least 1ms.
func acquireDelay(n int, lo, hi, holderTTL time.Duration, rnd func() float64) time.Duration {
	d := backoff.Delay(n, lo, hi, rnd)
	if holderTTL > 0 {
		d = max(min(d, holderTTL), time.Millisecond)
	}
	return d
}

// Keys returns the keys of the lock called name: the lock's key and its
// fencing counter, in one slot (the hash tag {name}; a name must not begin
// with '}', which would leave the tag empty).
func Keys(name string) (lockKey, fenceKey string) {
	return "lock:{" + name + "}", "lock:{" + name + "}:fence"
}

// acquireScript takes the lock: KEYS are the lock's key and its fencing
// counter, ARGV the token and the TTL in milliseconds. It returns {1,
// fence} when it set the key, {0, the holder's PTTL} otherwise. INCR runs
// before SET: when it fails (the counter is not an integer) nothing has
// changed.
var acquireScript = redisclient.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then
  local fence = redis.call('INCR', KEYS[2])
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {1, fence}
end
return {0, redis.call('PTTL', KEYS[1])}
`, redisclient.DecodeInts)

// extendScript resets the TTL of KEYS[1] to ARGV[2] milliseconds if it
// holds the token ARGV[1]; it returns 1 if it did.
var extendScript = redisclient.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`, redisclient.DecodeInt)

// Locker acquires locks with one set of options. It is safe for concurrent
// use; lockers on any number of clients exclude each other on the same
// names.
type Locker struct {
	d    redisclient.Doer
	opts Options
}

// New returns a locker on d, a client (single node, cluster or sentinel).
// Invalid options are reported by every Acquire and TryAcquire.
func New(d redisclient.Doer, opts Options) *Locker {
	return &Locker{d: d, opts: opts}
}

// Options returns the locker's options.
func (l *Locker) Options() Options { return l.opts }

// TryAcquire makes one attempt to take the lock called name: it returns
// the held Lock, or an error matching ErrNotAcquired when another holder
// has it.
func (l *Locker) TryAcquire(ctx context.Context, name string) (*Lock, error) {
	lk, _, err := l.attempt(ctx, name)
	return lk, err
}

// Acquire takes the lock called name, waiting (with backoff and jitter)
// while another holder has it, until ctx is done; it then returns
// ctx.Err(). Other errors (the server's, the connection's) end it too.
// ctx bounds the acquisition only: the Lock is held, and extended, until
// Release or until it is lost, so every Lock must be released.
func (l *Locker) Acquire(ctx context.Context, name string) (*Lock, error) {
	lo, hi := l.opts.backoffBounds()
	for n := 0; ; n++ {
		lk, holderTTL, err := l.attempt(ctx, name)
		if !errors.Is(err, ErrNotAcquired) {
			return lk, err
		}
		t := time.NewTimer(acquireDelay(n, lo, hi, holderTTL, rand.Float64))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// attempt runs the acquire script once. When another holder has the lock
// it returns ErrNotAcquired and the holder's remaining TTL.
func (l *Locker) attempt(ctx context.Context, name string) (*Lock, time.Duration, error) {
	if err := l.opts.Validate(); err != nil {
		return nil, 0, err
	}
	if name == "" {
		return nil, 0, fmt.Errorf("%w: empty lock name", ErrInvalid)
	}
	if name[0] == '}' {
		return nil, 0, fmt.Errorf("%w: lock name %q begins with '}': the keys' hash tag {name} would be empty, putting them in different cluster slots", ErrInvalid, name)
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	key, fence := Keys(name)
	token := crand.Text()
	start := time.Now()
	reply, err := acquireScript.Run(ctx, l.d, []string{key, fence}, token, l.opts.TTL.Milliseconds())
	if err != nil {
		return nil, 0, err
	}
	if len(reply) != 2 {
		return nil, 0, fmt.Errorf("lock: the acquire script returned %d values, want 2", len(reply))
	}
	if reply[0] != 1 {
		return nil, time.Duration(reply[1]) * time.Millisecond,
			fmt.Errorf("%w: %q", ErrNotAcquired, name)
	}
	lk := &Lock{
		l: l, name: name, key: key, token: token, fence: reply[1],
		stop: make(chan struct{}), done: make(chan struct{}), lost: make(chan struct{}),
		deadline: start.Add(l.opts.TTL),
	}
	lk.ctx, lk.cancel = context.WithCancelCause(context.Background())
	go lk.keep()
	return lk, 0, nil
}

// Lock is a held lock. Its methods are safe for concurrent use.
type Lock struct {
	l                *Locker
	name, key, token string
	fence            int64

	ctx    context.Context
	cancel context.CancelCauseFunc

	stop     chan struct{} // closed by Release: the keeper returns
	done     chan struct{} // closed when the keeper returned
	lost     chan struct{} // closed when the lock is lost
	stopOnce sync.Once

	mu       sync.Mutex
	deadline time.Time // the key expires no earlier than this
	lostErr  error     // why the lock was lost, once it was
}

// Name returns the lock's name.
func (lk *Lock) Name() string { return lk.name }

// Token returns the random token the lock's key holds.
func (lk *Lock) Token() string { return lk.token }

// Fence returns the acquisition's fencing token: greater than the fencing
// token of every earlier acquisition of the same name (while the counter
// survives: see the package documentation).
func (lk *Lock) Fence() int64 { return lk.fence }

// Context returns a context cancelled when the lock is lost (its cause
// matches ErrLost) or released (ErrReleased). Run the lock's work under
// it.
func (lk *Lock) Context() context.Context { return lk.ctx }

// Lost returns a channel closed when the lock is lost (not when it is
// released).
func (lk *Lock) Lost() <-chan struct{} { return lk.lost }

// Err returns nil while the lock is held, why it was lost (matching
// ErrLost), or ErrReleased.
func (lk *Lock) Err() error { return context.Cause(lk.ctx) }

// Deadline returns the time until which the lock is known to be held: the
// start of the last successful acquisition or extension plus the TTL.
func (lk *Lock) Deadline() time.Time {
	lk.mu.Lock()
	defer lk.mu.Unlock()
	return lk.deadline
}

// Extend resets the key's TTL to the locker's TTL now, if the key still
// holds the lock's token; otherwise it returns ErrNotHeld and the lock is
// lost.
func (lk *Lock) Extend(ctx context.Context) error {
	if err := lk.Err(); err != nil {
		return fmt.Errorf("%w: %q: %w", ErrNotHeld, lk.name, err)
	}
	start := time.Now()
	n, err := extendScript.Run(ctx, lk.l.d, []string{lk.key}, lk.token, lk.l.opts.TTL.Milliseconds())
	if err != nil {
		return err
	}
	if n != 1 {
		lk.markLost(&lostError{
			msg: fmt.Sprintf("lock: lost: %q: an extension found that the key expired or another holder took it", lk.name),
			is:  []error{ErrLost, ErrNotHeld},
		})
		return fmt.Errorf("%w: %q: the key expired or another holder took it", ErrNotHeld, lk.name)
	}
	lk.mu.Lock()
	if d := start.Add(lk.l.opts.TTL); d.After(lk.deadline) {
		lk.deadline = d
	}
	lk.mu.Unlock()
	return nil
}

// Release stops the extensions and deletes the key if it still holds the
// lock's token. It returns an error matching ErrNotHeld when the key had
// expired or another holder had taken it (also when the lock was already
// released); the lock's Context is cancelled either way.
func (lk *Lock) Release(ctx context.Context) error {
	lk.stopOnce.Do(func() { close(lk.stop) })
	<-lk.done
	n, err := ownedkey.Delete.Run(ctx, lk.l.d, []string{lk.key}, lk.token)
	if err != nil {
		// The key may still hold the token: it expires by itself.
		lk.cancel(ErrReleased)
		return err
	}
	lk.cancel(ErrReleased)
	if n != 1 {
		return fmt.Errorf("%w: %q: the key expired or another holder took it before the release", ErrNotHeld, lk.name)
	}
	return nil
}

// lostError is the cause of a lost lock's context: it matches ErrLost and
// what made the lock lost.
type lostError struct {
	msg string
	is  []error
}

func (e *lostError) Error() string   { return e.msg }
func (e *lostError) Unwrap() []error { return e.is }

// markLost records that the lock is lost (the first cause wins) and
// cancels its context.
func (lk *Lock) markLost(cause error) {
	lk.mu.Lock()
	first := lk.lostErr == nil && context.Cause(lk.ctx) == nil
	if first {
		lk.lostErr = cause
	}
	lk.mu.Unlock()
	if first {
		lk.cancel(cause)
		close(lk.lost)
	}
}

// keep extends the lock every ExtendEvery until Release, and marks it lost
// when an extension finds it gone or its deadline passes without one.
func (lk *Lock) keep() {
	defer close(lk.done)
	every := lk.l.opts.extendEvery()
	for {
		wait := time.Until(lk.Deadline())
		if every > 0 {
			wait = min(wait, every)
		}
		t := time.NewTimer(max(wait, 0))
		select {
		case <-lk.stop:
			t.Stop()
			return
		case <-lk.ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		if !time.Now().Before(lk.Deadline()) {
			lk.markLost(fmt.Errorf("%w: %q: not extended within its TTL (%v)", ErrLost, lk.name, lk.l.opts.TTL))
			return
		}
		if every == 0 {
			continue
		}
		// An extension that does not answer before the deadline cannot
		// help: the key will have expired.
		ctx, cancel := context.WithDeadline(lk.ctx, lk.Deadline())
		go func() { // Release does not wait for a slow extension
			select {
			case <-lk.stop:
				cancel()
			case <-ctx.Done():
			}
		}()
		err := lk.Extend(ctx)
		cancel()
		if errors.Is(err, ErrNotHeld) {
			return
		}
	}
}
