// Package ratelimit is a rate limiter recipe built on redisclient: the
// generic cell rate algorithm (GCRA) in one Lua script, one key per limited
// identity, timed by the server's clock.
//
// Each key holds one number, the bucket's theoretical arrival time (TAT):
// the instant at which the bucket would be full again. A request of n
// cells is allowed when moving the TAT forward by n emission intervals
// (Per/Rate) leaves it no further than Burst intervals ahead of now. The
// script reads the time with TIME on the server, so clients with skewed
// clocks agree, and sets the key to expire when the bucket has drained, so
// idle identities cost nothing.
//
// One key per identity makes the limiter work unchanged on a cluster
// client: the script touches only KEYS[1], which the client routes to its
// slot. Keys are used as given (the client's Options.KeyPrefix applies);
// a hash tag such as "rate:{user:42}" puts the limiter's key in the same
// slot as other keys of that identity, which matters only to callers that
// combine them in one script or transaction.
//
// The script runs with EVALSHA, and with EVAL when the server does not
// have it (after a restart or SCRIPT FLUSH). Like go-redis's redis_rate,
// the limiter runs GCRA on the server's clock; rueidis's rueidislimiter counts in fixed windows timed by the client's
// clock, which lets a burst through twice at a window's edge.
package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

// ErrInvalidLimit is matched (errors.Is) by every error about a Limit.
var ErrInvalidLimit = errors.New("ratelimit: invalid limit")

// ErrInvalidRequest is matched (errors.Is) by every error about a call's
// key or count.
var ErrInvalidRequest = errors.New("ratelimit: invalid request")

// maxMicros bounds the script's times: Lua numbers are doubles, exact up
// to 2^53.
const maxMicros = 1 << 53

// Limit is a rate: Rate cells per Per, of which up to Burst may be taken at
// once.
type Limit struct {
	// Rate is how many cells Per allows (at least 1).
	Rate int
	// Per is the period of Rate (positive).
	Per time.Duration
	// Burst is how many cells may be taken at once, from a full bucket;
	// zero means Rate. It is also the most one AllowN may ask for.
	Burst int
}

// Validate reports what is wrong with the limit, or nil.
func (l Limit) Validate() error {
	switch {
	case l.Rate < 1:
		return fmt.Errorf("%w: Rate is %d, must be at least 1", ErrInvalidLimit, l.Rate)
	case l.Per <= 0:
		return fmt.Errorf("%w: Per is %v, must be positive", ErrInvalidLimit, l.Per)
	case l.Burst < 0:
		return fmt.Errorf("%w: Burst is %d, must not be negative (0 means Rate)", ErrInvalidLimit, l.Burst)
	}
	if l.Per/time.Duration(l.Rate) < time.Microsecond {
		return fmt.Errorf("%w: %d per %v is more than one per microsecond, the server clock's resolution", ErrInvalidLimit, l.Rate, l.Per)
	}
	if interval := l.interval(); int64(l.burst()) > maxMicros/interval {
		return fmt.Errorf("%w: Burst %d of one per %v spans more than 2^53 microseconds", ErrInvalidLimit, l.burst(), time.Duration(interval)*time.Microsecond)
	}
	return nil
}

// burst returns Burst, or Rate when Burst is zero.
func (l Limit) burst() int {
	if l.Burst == 0 {
		return l.Rate
	}
	return l.Burst
}

// interval returns the emission interval Per/Rate in microseconds, rounded
// up so that the limiter never allows more than the limit.
func (l Limit) interval() int64 {
	ns := (int64(l.Per) + int64(l.Rate) - 1) / int64(l.Rate)
	return (ns + 999) / 1000
}

// Result is the outcome of Allow or AllowN.
type Result struct {
	// Allowed reports whether the request's cells were taken.
	Allowed bool
	// Remaining is how many cells could be taken right after this request.
	Remaining int
	// RetryAfter is how long until the same request would be allowed;
	// zero when it was allowed.
	RetryAfter time.Duration
	// ResetAfter is how long until the bucket is full again (Burst cells
	// available).
	ResetAfter time.Duration
}

// gcra is the limiter's script. KEYS[1] is the bucket's key; ARGV holds
// the emission interval and the burst tolerance (microseconds) and the
// cells asked for. It returns allowed (0 or 1), remaining cells,
// retry-after and reset-after (microseconds). Times are whole microseconds
// (exact in Lua's doubles) and the TAT is written with %.0f because
// redis.call would format a number with only 14 significant digits.
var gcra = redisclient.NewScript(`
if redis.replicate_commands then redis.replicate_commands() end
local key = KEYS[1]
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local tat = tonumber(redis.call('GET', key))
if not tat or tat < now then
  tat = now
end
local new_tat = tat + n * interval
local diff = now - (new_tat - tolerance)
if diff < 0 then
  local remaining = math.floor((now - (tat - tolerance)) / interval)
  if remaining < 0 then remaining = 0 end
  return {0, remaining, -diff, tat - now}
end
if n > 0 then
  redis.call('SET', key, string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000))
end
return {1, math.floor(diff / interval), 0, new_tat - now}
`, redisclient.DecodeInts)

// Limiter applies one Limit to any number of keys. It is safe for
// concurrent use, and limiters with the same limit on any number of
// clients share each key's bucket.
type Limiter struct {
	d     redisclient.Doer
	limit Limit
}

// New returns a limiter of limit on d, a client (single node, cluster or
// sentinel). An invalid limit is reported by every Allow and AllowN.
func New(d redisclient.Doer, limit Limit) *Limiter {
	return &Limiter{d: d, limit: limit}
}

// Limit returns the limiter's limit.
func (l *Limiter) Limit() Limit { return l.limit }

// Allow takes one cell of key's bucket if it has one.
func (l *Limiter) Allow(ctx context.Context, key string) (Result, error) {
	return l.AllowN(ctx, key, 1)
}

// AllowN takes n cells of key's bucket if it has them all (none
// otherwise). n is between 0 and the burst; zero takes nothing and reports
// the bucket as it is.
func (l *Limiter) AllowN(ctx context.Context, key string, n int) (Result, error) {
	if err := l.limit.Validate(); err != nil {
		return Result{}, err
	}
	if key == "" {
		return Result{}, fmt.Errorf("%w: empty key", ErrInvalidRequest)
	}
	if burst := l.limit.burst(); n < 0 || n > burst {
		return Result{}, fmt.Errorf("%w: n is %d, must be between 0 and the burst (%d)", ErrInvalidRequest, n, burst)
	}
	interval := l.limit.interval()
	reply, err := gcra.Run(ctx, l.d, []string{key}, interval, interval*int64(l.limit.burst()), n)
	if err != nil {
		return Result{}, err
	}
	if len(reply) != 4 {
		return Result{}, fmt.Errorf("ratelimit: the script returned %d values, want 4", len(reply))
	}
	return Result{
		Allowed:    reply[0] == 1,
		Remaining:  int(reply[1]),
		RetryAfter: time.Duration(reply[2]) * time.Microsecond,
		ResetAfter: time.Duration(reply[3]) * time.Microsecond,
	}, nil
}

// Reset empties key's bucket: its next request finds it full.
func (l *Limiter) Reset(ctx context.Context, key string) error {
	if key == "" {
		return fmt.Errorf("%w: empty key", ErrInvalidRequest)
	}
	_, err := redisclient.Del(key).Do(ctx, l.d)
	return err
}
