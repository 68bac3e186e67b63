package transport

// This file is the spin wait of the shared connections: a caller alone on
// its connection (the direct path) that waits for its reply polls the
// socket for a short while before it blocks. Blocking parks the goroutine and, when nothing
// else runs, puts its thread to sleep; waking it when the reply comes
// costs tens of microseconds on many machines (more on virtual ones),
// often more than the server takes to answer. Polling trades that for CPU
// time while waiting, bounded three ways: one goroutine of the process
// polls at a time, only for SpinWait, and only while replies keep coming
// within it. (The reader goroutines of overlapping callers never poll:
// there, the CPU is better spent on the callers, the writer and the
// server.)

import (
	"runtime"
	"sync/atomic"
	"time"
)

// DefaultSpinWait bounds how long a reply is polled for before the waiter
// blocks.
const DefaultSpinWait = 200 * time.Microsecond

// spinBackoff is how many waits skip polling after a poll that timed out
// (a server further away, or a slow command): polling would only burn CPU.
const spinBackoff = 64

// spinning is set while a goroutine of the process polls: one at a time,
// so that polling never takes every core from the server or from the
// process's other work.
var spinning atomic.Bool

// spinner is one connection's polling state, owned by whoever reads the
// connection.
type spinner struct {
	budget time.Duration // 0: never poll
	skip   int           // waits left without polling after a miss
}

// newSpinner returns the polling state for a node's configuration: none
// on a single-core process, where polling would keep the server waiting.
func newSpinner(wait time.Duration) spinner {
	if wait == 0 {
		wait = DefaultSpinWait
	}
	if wait < 0 || runtime.GOMAXPROCS(0) < 2 {
		return spinner{}
	}
	return spinner{budget: wait}
}

// wait polls c until data waits, within the budget, unless nothing is to be
// gained: data already buffered, another goroutine polling, or the last
// polls timing out.
func (s *spinner) wait(c *Conn) {
	if s.budget <= 0 || c.rd.Buffered() > 0 {
		return
	}
	if s.skip > 0 {
		s.skip--
		return
	}
	if !spinning.CompareAndSwap(false, true) {
		return
	}
	ready := c.pollReadable(time.Now().Add(s.budget))
	spinning.Store(false)
	if !ready {
		s.skip = spinBackoff
	}
}
