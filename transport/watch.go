package transport

// This file applies a caller's context to the I/O it does itself on a
// shared connection (the direct path): the context's deadline becomes the
// socket's, and its cancellation sets a deadline in the past, which
// interrupts a blocked read or write. No goroutine waits on the context.

import (
	"context"
	"sync"
	"time"
)

// ioSides says which directions of a connection a watch covers.
type ioSides uint8

const (
	sideWrite ioSides = 1 << iota
	sideRead
)

// interrupter sets a past deadline on the sides of a connection that a
// context currently watches; its callback is bound once per connection so
// that arming costs no allocation beyond context.AfterFunc's own.
type interrupter struct {
	c *Conn

	mu    sync.Mutex // protects following fields
	armed ioSides
	fired bool
	fn    func() // interrupt, bound
}

func (in *interrupter) interrupt() {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.armed&sideWrite != 0 {
		in.c.nc.SetWriteDeadline(aLongTimeAgo)
	}
	if in.armed&sideRead != 0 {
		in.c.nc.SetReadDeadline(aLongTimeAgo)
	}
	in.fired = in.armed != 0
}

// ctxWatch is one armed context.
type ctxWatch struct {
	in    *interrupter
	stop  func() bool
	dl    time.Time // the context's deadline, if hasDL
	hasDL bool
	// set records that a deadline was set on the connection (the
	// context's, or a read or write timeout): release clears it.
	set bool
}

// watch applies ctx to both directions of the connection. The caller
// holds both (no other goroutine reads or writes it).
func (in *interrupter) watch(ctx context.Context) ctxWatch {
	w := ctxWatch{in: in}
	w.dl, w.hasDL = ctx.Deadline()
	if w.hasDL {
		in.c.nc.SetDeadline(w.dl)
		w.set = true
	}
	if ctx.Done() != nil {
		in.mu.Lock()
		in.armed, in.fired = sideWrite|sideRead, false
		in.mu.Unlock()
		w.stop = context.AfterFunc(ctx, in.fn)
	}
	return w
}

// limit sets a timeout on one side when it ends before the context's
// deadline.
func (w *ctxWatch) limit(side ioSides, timeout time.Duration) {
	if timeout <= 0 {
		return
	}
	at := time.Now().Add(timeout)
	if w.hasDL && w.dl.Before(at) {
		return
	}
	if side == sideWrite {
		w.in.c.nc.SetWriteDeadline(at)
	} else {
		w.in.c.nc.SetReadDeadline(at)
	}
	w.set = true
}

// release stops watching the given sides and clears their deadlines, so
// that whoever takes them over (the writer or reader goroutine) starts
// with none. It reports whether the context interrupted or expired on
// them.
func (w *ctxWatch) release(sides ioSides) bool {
	interrupted := false
	if w.stop != nil {
		w.in.mu.Lock()
		w.in.armed &^= sides
		interrupted = w.in.fired
		last := w.in.armed == 0
		w.in.mu.Unlock()
		if last {
			if !w.stop() {
				// The callback started: it ran, or it will find nothing
				// armed.
				interrupted = true
			}
			w.stop = nil
		}
	}
	expired := w.hasDL && !time.Now().Before(w.dl)
	if w.set || interrupted {
		switch sides {
		case sideWrite:
			w.in.c.nc.SetWriteDeadline(time.Time{})
		case sideRead:
			w.in.c.nc.SetReadDeadline(time.Time{})
		default:
			w.in.c.nc.SetDeadline(time.Time{})
		}
	}
	return interrupted || expired
}
