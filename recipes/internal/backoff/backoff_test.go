package backoff

import (
	"testing"
	"time"
)

func TestDelay(t *testing.T) {
	const lo, hi = 4 * time.Millisecond, 50 * time.Millisecond
	top := func() float64 { return 0.999999999 }
	bottom := func() float64 { return 0 }
	for _, tc := range []struct {
		n    int
		rnd  func() float64
		want time.Duration
	}{
		{0, top, 4 * time.Millisecond},
		{0, bottom, 2 * time.Millisecond},
		{2, top, 16 * time.Millisecond},
		{4, top, 50 * time.Millisecond}, // capped
		{100, bottom, 25 * time.Millisecond},
	} {
		got := Delay(tc.n, lo, hi, tc.rnd)
		if d := got - tc.want; d < -time.Microsecond || d > time.Microsecond {
			t.Errorf("Delay(%d): %v, want %v", tc.n, got, tc.want)
		}
	}
	if got := Delay(0, time.Microsecond, time.Microsecond, bottom); got != time.Millisecond {
		t.Errorf("Delay below 1ms: %v, want 1ms", got)
	}
}

func TestBounds(t *testing.T) {
	for _, tc := range []struct{ lo, hi, wantLo, wantHi time.Duration }{
		{0, 0, 10 * time.Millisecond, time.Second},
		{2 * time.Second, 0, 2 * time.Second, 2 * time.Second},
		{time.Millisecond, 5 * time.Millisecond, time.Millisecond, 5 * time.Millisecond},
	} {
		lo, hi := Bounds(tc.lo, tc.hi, 10*time.Millisecond, time.Second)
		if lo != tc.wantLo || hi != tc.wantHi {
			t.Errorf("Bounds(%v, %v) = %v, %v; want %v, %v", tc.lo, tc.hi, lo, hi, tc.wantLo, tc.wantHi)
		}
	}
}
