package transport

// This file is the node's queue of commands waiting to be written, shared
// by its pipelined connections; while no connection is up it is the offline
// queue.

import "sync"

// entry is a queued or in-flight command with the generation it had when
// queued: a command abandoned and reused since then is recognized.
type entry struct {
	cmd *Command
	gen uint64
}

// queue is a FIFO of commands for the writers.
type queue struct {
	mu     sync.Mutex // protects following fields
	items  []entry
	closed error
	// notify wakes one writer; it holds at most one token.
	notify chan struct{}
}

func newQueue() *queue { return &queue{notify: make(chan struct{}, 1)} }

// wake signals a writer without blocking.
func (q *queue) wake() {
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// push appends commands; limit > 0 bounds the queue length (the offline
// limit), returning false when it would be exceeded.
func (q *queue) push(limit int, es ...entry) error {
	q.mu.Lock()
	if q.closed != nil {
		q.mu.Unlock()
		return q.closed
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
	q.wake()
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

// pushFront puts commands back at the head (retries keep priority). It
// queues nothing and returns the queue's error once it is closed: nobody
// would ever take them.
func (q *queue) pushFront(es []entry) error {
	q.mu.Lock()
	if q.closed != nil {
		err := q.closed
		q.mu.Unlock()
		return err
	}
	q.items = append(es, q.items...)
	q.mu.Unlock()
	q.wake()
	return nil
}

// take moves every queued command into dst.
func (q *queue) take(dst []entry) []entry {
	q.mu.Lock()
	dst = append(dst, q.items...)
	clear(q.items)
	q.items = q.items[:0]
	if cap(q.items) > 4096 {
		q.items = nil
	}
	q.mu.Unlock()
	return dst
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
