package cacheaside

// Unit tests of what needs no server: option validation, the waiters'
// backoff, the FetchError's wrapping, and the errors Get and Delete return
// before sending anything. The protocol runs against real servers in
// integration/cacheaside_test.go.

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
		{Options{}, ""},
		{Options{LockTTL: time.Millisecond, MinWait: time.Millisecond, MaxWait: time.Millisecond}, ""},
		{Options{MinWait: time.Second}, ""}, // MaxWait defaults to at least MinWait
		{Options{LockTTL: -time.Second}, "LockTTL is -1s, must be at least 1ms (0 means 5s)"},
		{Options{LockTTL: time.Microsecond}, "LockTTL is 1µs, must be at least 1ms"},
		{Options{LockTTL: 1500 * time.Microsecond}, "LockTTL is 1.5ms, must be whole milliseconds"},
		{Options{MinWait: -1}, "MinWait is -1ns, must not be negative"},
		{Options{MaxWait: -1}, "MaxWait is -1ns, must not be negative"},
		{Options{MinWait: time.Second, MaxWait: time.Millisecond}, "MaxWait 1ms is less than MinWait 1s"},
	} {
		err := tc.opts.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v, want valid", tc.opts, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrInvalid)):
			t.Errorf("%+v: %v, want an ErrInvalid containing %q", tc.opts, err, tc.want)
		}
	}
	if got := (Options{}).lockTTL(); got != DefaultLockTTL {
		t.Errorf("default LockTTL %v", got)
	}
	if lo, hi := (Options{}).waitBounds(); lo != DefaultMinWait || hi != DefaultMaxWait {
		t.Errorf("default waits %v, %v", lo, hi)
	}
}

func TestTTLMillis(t *testing.T) {
	for d, want := range map[time.Duration]int64{time.Millisecond: 1, 1500 * time.Microsecond: 2, time.Minute: 60000} {
		if got := ttlMillis(d); got != want {
			t.Errorf("ttlMillis(%v) = %d, want %d", d, got, want)
		}
	}
}

func TestFetchError(t *testing.T) {
	cause := errors.New("database down")
	var err error = &FetchError{Key: "user:1", Err: cause}
	if !errors.Is(err, cause) || err.Error() != `cacheaside: fetching "user:1": database down` {
		t.Errorf("FetchError: %v", err)
	}
}

func TestRejectsBeforeSending(t *testing.T) {
	ctx := context.Background()
	fetch := func(context.Context) (string, error) { return "v", nil }
	c, err := redisclient.New(redisclient.Options{Addr: "127.0.0.1:1"}) // never dialed: every call fails first
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	a := New(c, Options{})
	for _, tc := range []struct {
		a     *Cache
		key   string
		ttl   time.Duration
		fetch func(context.Context) (string, error)
		want  string
	}{
		{a, "", time.Second, fetch, "empty key"},
		{a, "k", 0, fetch, `ttl of "k" is 0s, must be at least 1ms`},
		{a, "k", time.Microsecond, fetch, `ttl of "k" is 1µs`},
		{a, "k", time.Second, nil, `nil fetch function for "k"`},
		{New(nil, Options{}), "k", time.Second, fetch, "nil client"},
		{New(c, Options{LockTTL: -1}), "k", time.Second, fetch, "LockTTL is -1ns"},
	} {
		_, err := tc.a.Get(ctx, tc.key, tc.ttl, tc.fetch)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Get(%q, %v): %v, want an ErrInvalid containing %q", tc.key, tc.ttl, err, tc.want)
		}
	}
	for _, tc := range []struct {
		a    *Cache
		keys []string
		want string
	}{
		{a, nil, "no key to delete"},
		{a, []string{"a", ""}, "key 2 of 2 is empty"},
		{New(nil, Options{}), []string{"a"}, "nil client"},
	} {
		if err := tc.a.Delete(ctx, tc.keys...); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Delete(%q): %v, want an ErrInvalid containing %q", tc.keys, err, tc.want)
		}
	}
}
