package lock

// Unit tests of what needs no server: option validation, the backoff's
// doubling, cap and jitter, the keys' shared hash tag, and the errors
// Acquire and TryAcquire return before sending anything. The scripts run
// against real servers in integration/lock_test.go.

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

func TestOptionsValidate(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		want string // substring of the error; "" for valid
	}{
		{Options{TTL: time.Second}, ""},
		{Options{TTL: time.Millisecond}, ""},
		{Options{TTL: time.Second, ExtendEvery: -1}, ""},
		{Options{TTL: time.Second, ExtendEvery: 900 * time.Millisecond, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}, ""},
		{Options{TTL: time.Second, MinBackoff: 2 * time.Second}, ""}, // MaxBackoff defaults to at least MinBackoff
		{Options{}, "TTL is 0s, must be at least 1ms"},
		{Options{TTL: -time.Second}, "TTL is -1s, must be at least 1ms"},
		{Options{TTL: 1500 * time.Microsecond}, "TTL is 1.5ms, must be whole milliseconds"},
		{Options{TTL: time.Second, ExtendEvery: time.Second}, "ExtendEvery is 1s, must be shorter than TTL (1s)"},
		{Options{TTL: time.Second, MinBackoff: -1}, "MinBackoff is -1ns, must not be negative"},
		{Options{TTL: time.Second, MaxBackoff: -1}, "MaxBackoff is -1ns, must not be negative"},
		{Options{TTL: time.Second, MinBackoff: time.Second, MaxBackoff: time.Millisecond}, "MaxBackoff 1ms is less than MinBackoff 1s"},
	} {
		err := tc.opts.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v, want valid", tc.opts, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrInvalid)):
			t.Errorf("%+v: %v, want an ErrInvalid containing %q", tc.opts, err, tc.want)
		}
	}
}

func TestExtendEvery(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		want time.Duration
	}{
		{Options{TTL: 3 * time.Second}, time.Second},
		{Options{TTL: time.Millisecond}, time.Millisecond},
		{Options{TTL: time.Second, ExtendEvery: 100 * time.Millisecond}, 100 * time.Millisecond},
		{Options{TTL: time.Second, ExtendEvery: -1}, 0},
	} {
		if got := tc.opts.extendEvery(); got != tc.want {
			t.Errorf("%+v: extendEvery %v, want %v", tc.opts, got, tc.want)
		}
	}
}

func TestAcquireDelay(t *testing.T) {
	const lo, hi = 10 * time.Millisecond, 100 * time.Millisecond
	one := func() float64 { return 0.999999999 } // the top of the jitter
	zero := func() float64 { return 0 }          // the bottom: half
	for _, tc := range []struct {
		n         int
		holderTTL time.Duration
		rnd       func() float64
		want      time.Duration
	}{
		{0, 0, zero, 5 * time.Millisecond},
		{0, 0, one, 10 * time.Millisecond},
		{1, 0, one, 20 * time.Millisecond},
		{3, 0, one, 80 * time.Millisecond},
		{4, 0, one, 100 * time.Millisecond}, // capped
		{60, 0, one, 100 * time.Millisecond},
		{60, 0, zero, 50 * time.Millisecond},
		{3, 30 * time.Millisecond, one, 30 * time.Millisecond}, // the holder's key expires sooner
		{0, time.Nanosecond, one, time.Millisecond},            // at least 1ms
	} {
		got := acquireDelay(tc.n, lo, hi, tc.holderTTL, tc.rnd)
		if d := got - tc.want; d < -time.Microsecond || d > time.Microsecond {
			t.Errorf("acquireDelay(%d, holder %v): %v, want %v", tc.n, tc.holderTTL, got, tc.want)
		}
	}
	if lo, hi := (Options{TTL: time.Second}).backoffBounds(); lo != DefaultMinBackoff || hi != DefaultMaxBackoff {
		t.Errorf("default bounds %v, %v", lo, hi)
	}
}

func TestKeysShareASlot(t *testing.T) {
	for _, name := range []string{"jobs", "a}b", "{x}y", "{", "x}"} {
		k, f := Keys(name)
		if tag(k) != tag(f) || !strings.HasPrefix(k, "lock:{") || f != k+":fence" {
			t.Errorf("Keys(%q) = %q, %q: hash tags %q and %q", name, k, f, tag(k), tag(f))
		}
	}
}

// tag returns the part of a key that Redis Cluster hashes.
func tag(key string) string {
	if i := strings.IndexByte(key, '{'); i >= 0 {
		if j := strings.IndexByte(key[i+1:], '}'); j > 0 {
			return key[i+1 : i+1+j]
		}
	}
	return key
}

func TestAcquireRejectsBeforeSending(t *testing.T) {
	ctx := context.Background()
	// A nil Doer: anything sent would fail with ErrNilDoer, so these errors
	// come from the checks before sending.
	l := New(nil, Options{TTL: time.Second})
	if l.Options().TTL != time.Second {
		t.Errorf("Options() = %+v", l.Options())
	}
	if _, err := l.TryAcquire(ctx, ""); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "empty lock name") {
		t.Errorf("TryAcquire(\"\"): %v, want ErrInvalid naming the empty name", err)
	}
	if _, err := l.TryAcquire(ctx, "}x"); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `lock name "}x" begins with '}'`) {
		t.Errorf("TryAcquire(\"}x\"): %v, want ErrInvalid naming the leading '}'", err)
	}
	if _, err := l.Acquire(ctx, ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("Acquire(\"\"): %v, want ErrInvalid", err)
	}
	if _, err := New(nil, Options{}).Acquire(ctx, "x"); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "TTL is 0s") {
		t.Errorf("Acquire with TTL 0: %v, want ErrInvalid naming TTL", err)
	}
	if _, err := l.TryAcquire(ctx, "x"); !errors.Is(err, redisclient.ErrNilDoer) {
		t.Errorf("TryAcquire on a nil Doer: %v, want ErrNilDoer", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := l.Acquire(cancelled, "x"); !errors.Is(err, context.Canceled) {
		t.Errorf("Acquire with a cancelled context: %v, want context.Canceled", err)
	}
}
