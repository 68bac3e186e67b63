// Package backoff is the waiting between attempts that the recipes share:
// the lock's Acquire and cache-aside's readers waiting for a fetch.
package backoff

import "time"

// Bounds returns lo and hi with their defaults: defLo when lo is zero,
// and when hi is zero defHi, or lo if that is larger.
func Bounds(lo, hi, defLo, defHi time.Duration) (time.Duration, time.Duration) {
	if lo == 0 {
		lo = defLo
	}
	if hi == 0 {
		hi = max(defHi, lo)
	}
	return lo, hi
}

// Delay returns the wait before attempt n+1 (n counts from 0): lo doubled
// n times, capped at hi, scaled by a jitter factor in [0.5, 1] that rnd
// (returning [0, 1)) chooses; at least 1ms.
func Delay(n int, lo, hi time.Duration, rnd func() float64) time.Duration {
	d := lo
	for i := 0; i < n && d < hi; i++ {
		d *= 2
	}
	d = time.Duration(float64(min(d, hi)) * (0.5 + rnd()/2))
	return max(d, time.Millisecond)
}
