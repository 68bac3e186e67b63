package transport

// This file is the pipelined connection: many callers share it; a writer
// goroutine takes every command queued for the connection and writes them
// in one system call, and a reader goroutine hands each reply to the
// command that waits for it, in order.

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redkit-go/redkit/transport/resp"
)

// pipe is one shared, auto-pipelined connection of a node.
type pipe struct {
	n     *Node
	c     *Conn
	queue *queue // commands routed to this connection, not yet written

	// load counts the commands queued on or in flight over this
	// connection, for routing to the least loaded one.
	load atomic.Int32
	// failed is set, before its pins are dropped, when the connection
	// fails: abandoned commands no longer pin slots to it.
	failed atomic.Bool

	mu       sync.Mutex // protects following fields
	inflight []entry    // written (or being written), awaiting replies
	dead     bool

	stop chan struct{} // closed to stop the writer
	done chan struct{} // closed when the reader has exited
}

func newPipe(n *Node, c *Conn) *pipe {
	return &pipe{n: n, c: c, queue: newQueue(), stop: make(chan struct{}), done: make(chan struct{})}
}

func (p *pipe) start() {
	go p.writeLoop()
	go p.readLoop()
}

// push queues commands on this connection. It fails once the connection
// has failed; the caller routes them again.
func (p *pipe) push(es ...entry) error {
	p.load.Add(int32(len(es)))
	if err := p.queue.push(0, es...); err != nil {
		p.load.Add(-int32(len(es)))
		return err
	}
	return nil
}

// pushFront queues commands at the head (retried commands keep their
// priority); it fails as push does.
func (p *pipe) pushFront(es []entry) error {
	p.load.Add(int32(len(es)))
	if err := p.queue.pushFront(es); err != nil {
		p.load.Add(-int32(len(es)))
		return err
	}
	return nil
}

// closeQueue stops taking commands and returns those not yet written.
func (p *pipe) closeQueue() []entry {
	es := p.queue.close(ErrClosed)
	p.load.Add(-int32(len(es)))
	return es
}

// writeLoop writes queued commands in batches until the pipe stops.
func (p *pipe) writeLoop() {
	q := p.queue
	var batch, sent []entry
	var buf []byte
	for {
		select {
		case <-q.notify:
		case <-p.stop:
			return
		}
		// While replies are outstanding, callers woken by them are about to
		// queue more: yield once so they join this batch (fewer, larger
		// writes under load; no delay when idle).
		if !p.inflightEmpty() {
			runtime.Gosched()
		}
		batch = q.take(batch[:0])
		if len(batch) == 0 {
			continue
		}
		buf, sent = buf[:0], sent[:0]
		for _, e := range batch {
			if !e.cmd.transition(e.gen, stateQueued, stateWriting) {
				p.load.Add(-1) // abandoned by its caller: never sent
				continue
			}
			buf = e.cmd.AppendTo(buf)
			e.cmd.pipe = p
			e.cmd.state.Store(stamp(e.gen, stateSent))
			sent = append(sent, e)
		}
		clear(batch)
		if len(sent) == 0 {
			continue
		}
		p.mu.Lock()
		if p.dead {
			p.mu.Unlock()
			// Not written: hand them back for another connection.
			p.load.Add(-int32(len(sent)))
			p.n.requeueUnsent(sent)
			return
		}
		p.inflight = append(p.inflight, sent...)
		if rt := p.n.cfg.ReadTimeout; rt > 0 {
			// Under p.mu, ordered with the reader's update (see readLoop).
			p.c.nc.SetReadDeadline(time.Now().Add(rt))
		}
		p.mu.Unlock()
		if wt := p.n.cfg.WriteTimeout; wt > 0 {
			p.c.nc.SetWriteDeadline(time.Now().Add(wt))
		}
		if _, err := p.c.nc.Write(buf); err != nil {
			// The reader sees the closed connection and fails what is in
			// flight.
			p.c.fail(err)
			return
		}
		if cap(buf) > maxKeptWriteBuffer {
			buf = nil
		}
		if cap(sent) > 4096 {
			sent, batch = nil, nil
		}
	}
}

// readLoop reads replies until the connection fails, then cleans up.
func (p *pipe) readLoop() {
	defer close(p.done)
	var scratch resp.Reply
	var local []entry
	next := 0
	for {
		err := p.c.rd.ReadReply(&scratch)
		if err != nil {
			p.shutdown(p.c.fail(err), local[next:])
			return
		}
		v := scratch.Value()
		if v.Kind() == resp.KindPush {
			p.n.push(v)
			continue
		}
		if next == len(local) {
			local, next = p.takeInflight(local[:0]), 0
			if len(local) == 0 {
				err := p.c.fail(&resp.ProtocolError{Msg: fmt.Sprintf("reply %s without a pending command", v)})
				p.shutdown(err, nil)
				return
			}
		}
		e := local[next]
		local[next] = entry{}
		next++
		reconnect := false
		if hook := p.n.cfg.ReconnectOnError; hook != nil {
			if rerr := v.Err(); rerr != nil && hook(rerr) {
				reconnect = true
			}
		}
		if e.cmd.transition(e.gen, stateSent, stateReading) {
			r := e.cmd.ReplyStorage()
			*r, scratch = scratch, *r
			e.cmd.finish(e.gen, nil)
		} else {
			// Abandoned: its reply is discarded, and its slots are free
			// for any connection again.
			p.n.pins.unpin(e)
		}
		p.load.Add(-1)
		if rt := p.n.cfg.ReadTimeout; rt > 0 {
			// Check and update under p.mu: otherwise the writer could queue
			// commands and arm the deadline between the check and the
			// update, and this would disarm it while they wait.
			p.mu.Lock()
			if next == len(local) && len(p.inflight) == 0 {
				p.c.nc.SetReadDeadline(time.Time{})
			} else {
				p.c.nc.SetReadDeadline(time.Now().Add(rt))
			}
			p.mu.Unlock()
		}
		if reconnect {
			p.shutdown(p.c.fail(fmt.Errorf("reconnect on error reply: %s", v)), local[next:])
			return
		}
	}
}

func (p *pipe) takeInflight(dst []entry) []entry {
	p.mu.Lock()
	dst = append(dst, p.inflight...)
	clear(p.inflight)
	p.inflight = p.inflight[:0]
	p.mu.Unlock()
	return dst
}

func (p *pipe) inflightEmpty() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.inflight) == 0
}

// inflightLen counts commands written and awaiting replies.
func (p *pipe) inflightLen() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.inflight)
}

// shutdown stops the pipe after its connection failed with err: the
// writer stops, commands still queued on it are routed again, and every
// command in flight is retried or failed.
func (p *pipe) shutdown(err error, pending []entry) {
	p.mu.Lock()
	p.dead = true
	pending = append(pending, p.inflight...)
	p.inflight = nil
	p.mu.Unlock()
	close(p.stop)
	p.failed.Store(true)
	p.n.pins.dropPipe(p)
	queued := p.closeQueue()
	p.n.pipeDied(p, err)
	p.n.failInflight(pending, err)
	p.n.requeue(queued, err)
}

// close closes the connection; the reader cleans up.
func (p *pipe) close() { p.c.fail(ErrClosed) }
