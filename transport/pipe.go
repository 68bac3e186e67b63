package transport

// This file is the pipelined connection: many callers share it; a writer
// goroutine takes every queued command of the node and writes them in one
// system call, and a reader goroutine hands each reply to the command that
// waits for it, in order.

import (
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/redkit-go/redkit/transport/resp"
)

// pipe is one shared, auto-pipelined connection of a node.
type pipe struct {
	n *Node
	c *Conn

	mu       sync.Mutex // protects following fields
	inflight []entry    // written (or being written), awaiting replies
	dead     bool

	stop chan struct{} // closed to stop the writer
	done chan struct{} // closed when the reader has exited
}

func newPipe(n *Node, c *Conn) *pipe {
	return &pipe{n: n, c: c, stop: make(chan struct{}), done: make(chan struct{})}
}

func (p *pipe) start() {
	go p.writeLoop()
	go p.readLoop()
}

// writeLoop writes queued commands in batches until the pipe stops.
func (p *pipe) writeLoop() {
	q := p.n.queue
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
				continue // abandoned by its caller: never sent
			}
			buf = e.cmd.AppendTo(buf)
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
		}
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

// shutdown stops the pipe after its connection failed with err: the
// writer stops, and every command in flight is retried or failed.
func (p *pipe) shutdown(err error, pending []entry) {
	p.mu.Lock()
	p.dead = true
	pending = append(pending, p.inflight...)
	p.inflight = nil
	p.mu.Unlock()
	close(p.stop)
	p.n.failInflight(pending, err)
	p.n.pipeDied(p, err)
}

// close closes the connection; the reader cleans up.
func (p *pipe) close() { p.c.fail(ErrClosed) }
