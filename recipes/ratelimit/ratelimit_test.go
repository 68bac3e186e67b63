package ratelimit

// Unit tests of what needs no server: limit validation, the emission
// interval's rounding, and the errors AllowN returns before sending
// anything. The script runs against real servers in
// integration/ratelimit_test.go.

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

func TestLimitValidate(t *testing.T) {
	for _, tc := range []struct {
		limit Limit
		want  string // substring of the error; "" for valid
	}{
		{Limit{Rate: 10, Per: time.Second, Burst: 20}, ""},
		{Limit{Rate: 10, Per: time.Second}, ""},
		{Limit{Rate: 1_000_000, Per: time.Second}, ""},
		{Limit{Rate: 0, Per: time.Second}, "Rate is 0, must be at least 1"},
		{Limit{Rate: -3, Per: time.Second}, "Rate is -3"},
		{Limit{Rate: 1, Per: 0}, "Per is 0s, must be positive"},
		{Limit{Rate: 1, Per: -time.Second}, "Per is -1s"},
		{Limit{Rate: 1, Per: time.Second, Burst: -1}, "Burst is -1"},
		{Limit{Rate: 2_000_000, Per: time.Second}, "more than one per microsecond"},
		{Limit{Rate: 1, Per: time.Hour, Burst: 1 << 40}, "spans more than 2^53 microseconds"},
	} {
		err := tc.limit.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v, want valid", tc.limit, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrInvalidLimit)):
			t.Errorf("%+v: %v, want an ErrInvalidLimit containing %q", tc.limit, err, tc.want)
		}
	}
}

func TestLimitInterval(t *testing.T) {
	for _, tc := range []struct {
		limit Limit
		want  int64
	}{
		{Limit{Rate: 10, Per: time.Second}, 100_000},
		{Limit{Rate: 3, Per: time.Second}, 333_334},   // rounded up: never above the limit
		{Limit{Rate: 7, Per: time.Millisecond}, 143},  // 142.857…
		{Limit{Rate: 1_000_000, Per: time.Second}, 1}, // the finest
		{Limit{Rate: 600, Per: time.Minute}, 100_000}, // 10 per second
		{Limit{Rate: 1, Per: 24 * time.Hour}, 86_400_000_000},
	} {
		if got := tc.limit.interval(); got != tc.want {
			t.Errorf("%+v: interval %dµs, want %dµs", tc.limit, got, tc.want)
		}
	}
	if got := (Limit{Rate: 10, Per: time.Second}).burst(); got != 10 {
		t.Errorf("burst of Burst 0 = %d, want Rate (10)", got)
	}
}

func TestAllowNRejectsBeforeSending(t *testing.T) {
	ctx := context.Background()
	// A nil Doer: anything sent would fail with ErrNilDoer, so these errors
	// come from the checks before sending.
	l := New(nil, Limit{Rate: 10, Per: time.Second, Burst: 5})
	if l.Limit() != (Limit{Rate: 10, Per: time.Second, Burst: 5}) {
		t.Errorf("Limit() = %+v", l.Limit())
	}
	for _, tc := range []struct {
		key  string
		n    int
		want string
	}{
		{"k", -1, "n is -1, must be between 0 and the burst (5)"},
		{"k", 6, "n is 6, must be between 0 and the burst (5)"},
		{"", 1, "empty key"},
	} {
		_, err := l.AllowN(ctx, tc.key, tc.n)
		if !errors.Is(err, ErrInvalidRequest) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("AllowN(%q, %d): %v, want an ErrInvalidRequest containing %q", tc.key, tc.n, err, tc.want)
		}
	}
	if err := l.Reset(ctx, ""); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("Reset(\"\"): %v, want ErrInvalidRequest", err)
	}
	if _, err := l.Allow(ctx, "k"); !errors.Is(err, redisclient.ErrNilDoer) {
		t.Errorf("Allow on a nil Doer: %v, want ErrNilDoer", err)
	}
	bad := New(nil, Limit{Rate: 0, Per: time.Second})
	if _, err := bad.Allow(ctx, "k"); !errors.Is(err, ErrInvalidLimit) {
		t.Errorf("Allow with Rate 0: %v, want ErrInvalidLimit", err)
	}
}
