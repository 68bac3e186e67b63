package transport

// This file is the node's offline queue: commands issued while no shared
// connection is up wait here, bounded, and are routed to the first
// connection that comes up.

import (
	"errors"
	"sync"
)

// entry is a queued or in-flight command with the generation it had when
// queued: a command abandoned and reused since then is recognized.
type entry struct {
	cmd *Command
	gen uint64
}

// command returns e's command.
func (e entry) command() *Command { return e.cmd }

// queue is a FIFO of commands waiting for a connection.
type queue struct {
	mu     sync.Mutex // protects following fields
	items  []entry
	closed error
	// online is set while a connection is up: new commands go to the
	// connections then (push refuses them with errOnline).
	online bool
}

func newQueue() *queue { return &queue{} }

// push appends commands; limit > 0 bounds the queue length (the offline
// limit). The offline queue refuses commands with errOnline while a
// connection is up.
func (q *queue) push(limit int, es ...entry) error {
	q.mu.Lock()
	if err := q.closed; err != nil {
		q.mu.Unlock()
		return err
	}
	if q.online {
		q.mu.Unlock()
		return errOnline
	}
	if limit > 0 && len(q.items)+len(es) > limit {
		// Commands whose callers gave up stay queued until a writer skips
		// them; they must not fill the offline queue during a long outage.
		q.dropAbandonedLocked()
		if len(q.items)+len(es) > limit {
			q.mu.Unlock()
			return ErrOfflineQueueFull
		}
	}
	q.items = append(q.items, es...)
	q.mu.Unlock()
	return nil
}

// dropAbandonedLocked removes the commands that are no longer queued in
// the generation they were queued in (abandoned, maybe reused since).
func (q *queue) dropAbandonedLocked() {
	keep := q.items[:0]
	for _, e := range q.items {
		if e.cmd.state.Load() == stamp(e.gen, stateQueued) {
			keep = append(keep, e)
		}
	}
	clear(q.items[len(keep):])
	q.items = keep
}

// errOnline is the offline queue's refusal of commands while a connection
// is up: they go to the connections instead.
var errOnline = errors.New("transport: a connection is up")

// setOnline records whether a connection is up and, when one is, returns
// the commands queued meanwhile for the caller to route.
func (q *queue) setOnline(up bool) []entry {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.online = up
	if !up {
		return nil
	}
	items := q.items
	q.items = nil
	return items
}

// isOnline reports whether the offline queue knows a connection is up.
func (q *queue) isOnline() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.online
}

// pushFront puts commands back at the head (retries keep priority). It
// queues nothing and returns the queue's error once it is closed (nobody
// would ever take them), and errOnline as push does.
func (q *queue) pushFront(es []entry) error {
	q.mu.Lock()
	if q.closed != nil {
		err := q.closed
		q.mu.Unlock()
		return err
	}
	if q.online {
		q.mu.Unlock()
		return errOnline
	}
	q.items = append(es, q.items...)
	q.mu.Unlock()
	return nil
}

// len returns the number of queued commands.
func (q *queue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// close makes push fail with err and returns the commands still queued.
func (q *queue) close(err error) []entry {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = err
	items := q.items
	q.items = nil
	return items
}

// drain removes and returns every queued command (to fail them).
func (q *queue) drain() []entry {
	q.mu.Lock()
	defer q.mu.Unlock()
	items := q.items
	q.items = nil
	return items
}
