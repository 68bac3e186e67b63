package transport

// This file is the shared connection. While callers do not overlap, a
// caller that finds the connection idle writes its commands and reads
// their replies itself, on its own goroutine (the direct path). Commands
// that arrive meanwhile are queued: a writer goroutine, started on demand,
// writes every queued command in one system call, and a reader goroutine
// hands each reply to the command that waits for it, in order. Both exit
// when they run out of work, so the connection returns to the direct path
// once callers stop overlapping, and an idle connection holds no
// goroutine. A connection whose push frames must be read while it is idle
// (client-side caching invalidations) keeps its reader running and has no
// direct path.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redkit-go/redkit/transport/resp"
)

// errPipeDown is a push onto a connection that failed; the caller routes
// the commands again.
var errPipeDown = errors.New("transport: shared connection down")

// errPeerClosed is the failure of a shared connection found closed by the
// server before a command was written to it.
var errPeerClosed = errors.New("transport: the server closed the connection while it was idle")

// idleCheckAfter is how long a shared connection must have been idle for
// a caller to check that the server has not closed it before writing (a
// non-blocking peek: a system call, amortized over the idle time). Nobody
// reads an idle connection on the direct path, so this is how a closed one
// is noticed before a command is written to it.
const idleCheckAfter = time.Millisecond

// pipe is one shared connection of a node.
type pipe struct {
	n *Node
	c *Conn
	// direct allows the direct path; false keeps every command on the
	// writer and reader goroutines.
	direct bool
	// alwaysRead keeps the reader running while idle (push frames).
	alwaysRead bool
	in         interrupter
	// spin is the polling state of whoever reads the connection.
	spin spinner

	// load counts the commands queued on or in flight over this
	// connection, for routing to the least loaded one.
	load atomic.Int32
	// failed is set, before its pins are dropped, when the connection
	// fails: abandoned commands no longer pin slots to it.
	failed atomic.Bool

	mu       sync.Mutex // protects following fields
	queue    []entry    // routed here, not yet written
	inflight []entry    // written by the writer, awaiting the reader
	writing  bool       // a direct caller or the writer goroutine writes
	reading  bool       // a direct caller or the reader goroutine reads
	directN  int        // commands of the direct caller awaiting replies
	dead     bool
	// spare is the writer's other batch buffer, swapped with queue.
	spare []entry

	// wbuf is the write buffer of whoever writes (writing is set); sent is
	// the writer's list of the commands of one write.
	wbuf []byte
	sent []entry
	// scratch and local are the reader goroutine's reply storage and its
	// list of replies to read, kept across its runs.
	scratch resp.Reply
	local   []entry
	// lastUse is when the last direct call ended (its caller holds both
	// sides while it is used).
	lastUse time.Time
	// wg counts the writer and reader goroutines.
	wg sync.WaitGroup
	// downOnce runs the cleanup of a failed connection once.
	downOnce sync.Once
}

func newPipe(n *Node, c *Conn) *pipe {
	p := &pipe{n: n, c: c, alwaysRead: n.cfg.OnPush != nil || n.cfg.AlwaysPipeline}
	p.direct = !p.alwaysRead
	p.in.c = c
	p.in.fn = p.in.interrupt
	p.spin = newSpinner(n.cfg.SpinWait)
	return p
}

// start begins reading at once for connections that always read.
func (p *pipe) start() {
	if p.alwaysRead {
		p.mu.Lock()
		p.startReaderLocked()
		p.mu.Unlock()
	}
}

// submit runs commands on this connection: at once on the caller's
// goroutine when the caller is alone on the node and the connection idle
// (their outcomes are recorded when it returns, unless the caller's context
// ended: then they were handed over to the reader), else queued for the
// writer. It fails with errPipeDown when the connection has failed.
func (p *pipe) submit(ctx context.Context, alone bool, es []entry) error {
	p.mu.Lock()
	if p.dead {
		p.mu.Unlock()
		return errPipeDown
	}
	p.load.Add(int32(len(es)))
	if alone && p.direct && !p.writing && !p.reading && len(p.queue) == 0 {
		p.writing, p.reading = true, true
		p.directN = len(es)
		p.mu.Unlock()
		if time.Since(p.lastUse) > idleCheckAfter && p.closedWhileIdle() {
			p.load.Add(-int32(len(es)))
			return errPipeDown // nothing was sent
		}
		p.n.counts.direct.Add(1)
		p.runDirect(ctx, es)
		return nil
	}
	p.queue = append(p.queue, es...)
	p.startWriterLocked()
	p.mu.Unlock()
	p.n.counts.queued.Add(1)
	return nil
}

// closedWhileIdle reports, and handles, a connection the server closed
// while nobody read it (a restart, its idle timeout, CLIENT KILL), or on
// which data came that no command asked for (it would be taken for the
// next command's reply). The caller holds both sides; they are released
// when the connection is down.
func (p *pipe) closedWhileIdle() bool {
	closed, waiting := p.c.probeIdle()
	switch {
	case closed:
		p.down(p.c.fail(errPeerClosed), nil)
	case waiting:
		p.down(p.c.fail(&resp.ProtocolError{Msg: "data from the server while no command was pending"}), nil)
	default:
		return false
	}
	p.releaseSides(true, true)
	return true
}

// checkIdle finds out whether the server closed the connection while it
// was idle on the direct path, for callers asking whether the node is
// connected.
func (p *pipe) checkIdle() {
	p.mu.Lock()
	if !p.direct || p.dead || p.writing || p.reading || len(p.queue) > 0 {
		p.mu.Unlock()
		return
	}
	p.writing, p.reading = true, true
	p.mu.Unlock()
	if !p.closedWhileIdle() {
		p.releaseSides(true, true)
	}
}

// pushFront queues commands at the head (retried commands keep their
// priority).
func (p *pipe) pushFront(es []entry) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dead {
		return errPipeDown
	}
	p.load.Add(int32(len(es)))
	p.queue = append(es, p.queue...)
	p.startWriterLocked()
	return nil
}

func (p *pipe) startWriterLocked() {
	if !p.writing {
		p.writing = true
		p.wg.Add(1)
		p.n.counts.goroutines.Add(1)
		go p.writeLoop()
	}
}

func (p *pipe) startReaderLocked() {
	if !p.reading {
		p.reading = true
		p.wg.Add(1)
		p.n.counts.goroutines.Add(1)
		go p.readLoop()
	}
}

// runDirect writes es and reads their replies on the caller's goroutine.
// The caller holds both the write and the read side.
func (p *pipe) runDirect(ctx context.Context, es []entry) {
	for i, e := range es {
		if !p.c.server.accepts(e.cmd.meta.Servers) {
			if es = p.refuseUnsupported(es, i); len(es) == 0 {
				p.releaseSides(true, true)
				return
			}
			break
		}
	}
	buf := p.wbuf[:0]
	for _, e := range es {
		buf = e.cmd.AppendTo(buf)
		e.cmd.pipe = p
		e.cmd.addr = p.c.addr
		e.cmd.state.Store(stamp(e.gen, stateSent))
	}
	w := p.in.watch(ctx)
	w.limit(sideWrite, p.n.cfg.WriteTimeout)
	_, werr := p.c.nc.Write(buf)
	p.wbuf = trimBuffer(buf)
	if werr != nil {
		// A write cut short leaves a partial command on the wire: the
		// connection is unusable either way.
		interrupted := w.release(sideWrite | sideRead)
		p.failDirect(werr, es, interrupted)
		p.releaseSides(true, true)
		return
	}
	w.release(sideWrite)
	p.releaseSides(true, false)
	w.limit(sideRead, p.n.cfg.ReadTimeout)
	for i := range es {
		if err := p.readDirect(es[i]); err != nil {
			interrupted := w.release(sideRead)
			var ne net.Error
			if interrupted && errors.As(err, &ne) && ne.Timeout() && errors.Is(err, errNothingRead) {
				// The caller's context ended before any of this reply
				// arrived: the reader goroutine takes over, and the
				// caller's wait gives the commands up (their pins keep
				// their slots in order).
				p.handOff(es[i:])
				return
			}
			p.failDirect(err, es[i:], interrupted)
			p.releaseSides(false, true)
			return
		}
	}
	w.release(sideRead)
	p.lastUse = time.Now() // before the read side is given up: its next holder reads it
	p.releaseSides(false, true)
}

// refuseUnsupported completes the commands of a direct caller (es) that
// the server does not accept as built (the first at index first) with
// their *UnsupportedServerError, unsent, and returns the others.
func (p *pipe) refuseUnsupported(es []entry, first int) []entry {
	return partitionAccepted(&p.c.server, es, first, entry.command, p.refuse)
}

// refuse completes a command that the server does not accept as built,
// which its caller or the writer holds, with its *UnsupportedServerError:
// it is never sent.
func (p *pipe) refuse(e entry) {
	e.cmd.state.Store(stamp(e.gen, stateReading))
	e.cmd.finish(e.gen, p.c.server.Check(e.cmd))
	p.load.Add(-1)
}

// failDirect fails the connection after a direct caller's I/O failed.
// When the caller's context interrupted it, the caller's commands are left
// to its wait, which gives them up with the context's error (they may or
// may not have run); otherwise they are retried or failed like any
// command in flight on a failed connection.
func (p *pipe) failDirect(err error, es []entry, interrupted bool) {
	if interrupted {
		p.down(p.c.fail(err), nil)
		return
	}
	p.down(p.c.fail(err), es)
}

// errNothingRead marks a direct read that failed before any byte of its
// reply arrived.
var errNothingRead = errors.New("nothing read")

// readDirect reads the reply of e (after any push frames) and completes
// it. An error wrapping errNothingRead means the reader's state is intact.
func (p *pipe) readDirect(e entry) error {
	rd := p.c.rd
	for {
		if rd.Buffered() == 0 {
			p.spin.wait(p.c)
			if err := rd.Prefetch(); err != nil {
				if rd.Buffered() == 0 {
					return fmt.Errorf("%w: %w", errNothingRead, err)
				}
				return err
			}
		}
		r := e.cmd.ReplyStorage()
		if err := rd.ReadReply(r); err != nil {
			return err
		}
		v := r.Value()
		if v.Kind() == resp.KindPush {
			p.n.push(v)
			continue
		}
		if hook := p.n.cfg.ReconnectOnError; hook != nil {
			if rerr := v.Err(); rerr != nil && hook(rerr) {
				e.cmd.state.Store(stamp(e.gen, stateReading))
				e.cmd.finish(e.gen, nil)
				p.load.Add(-1)
				return fmt.Errorf("reconnect on error reply: %s", v)
			}
		}
		e.cmd.state.Store(stamp(e.gen, stateReading))
		e.cmd.finish(e.gen, nil)
		p.load.Add(-1)
		return nil
	}
}

// handOff gives the reader goroutine the replies a direct caller stopped
// waiting for: they come first on the wire.
func (p *pipe) handOff(es []entry) {
	p.mu.Lock()
	inflight := make([]entry, 0, len(es)+len(p.inflight))
	p.inflight = append(append(inflight, es...), p.inflight...)
	p.reading, p.directN = false, 0
	p.startReaderLocked()
	p.mu.Unlock()
}

// releaseSides gives up the write and/or read side, starting the writer or
// the reader goroutine when work waits for it.
func (p *pipe) releaseSides(write, read bool) {
	p.mu.Lock()
	if write {
		p.writing = false
		if len(p.queue) > 0 && !p.dead {
			p.startWriterLocked()
		}
	}
	if read {
		p.reading, p.directN = false, 0
		// Replies still come while the node closes (dead is set then).
		if len(p.inflight) > 0 {
			p.startReaderLocked()
		}
	}
	p.mu.Unlock()
}

// writeLoop writes queued commands in batches until none is left.
func (p *pipe) writeLoop() {
	defer p.wg.Done()
	var batch []entry
	sent := p.sent // kept for the next writer: set back under p.mu, before writing is cleared
	yielded, lingered := false, 0
	for {
		p.mu.Lock()
		if len(p.queue) == 0 && !p.dead && lingered < writerLinger && p.n.active.Load() > 0 {
			// Callers are busy and about to queue more: yield to them
			// rather than exit and be started again a moment later.
			p.mu.Unlock()
			lingered++
			runtime.Gosched()
			continue
		}
		if len(p.queue) == 0 || p.dead {
			p.sent, p.writing = sent[:0], false
			p.mu.Unlock()
			return
		}
		lingered = 0
		if len(p.inflight) > 0 && !yielded {
			// Replies are outstanding, and callers woken by them are about
			// to queue more: yield once so they join this batch (fewer,
			// larger writes under load; no delay when idle).
			p.mu.Unlock()
			yielded = true
			runtime.Gosched()
			continue
		}
		yielded = false
		batch, p.queue = p.queue, p.spare[:0]
		p.mu.Unlock()
		// Write the batch in chunks of about writeChunk bytes, so that
		// the server starts on the first commands while the next ones are
		// encoded.
		for i := 0; i < len(batch); {
			buf := p.wbuf[:0]
			sent = sent[:0]
			for ; i < len(batch) && len(buf) < writeChunk; i++ {
				e := batch[i]
				if !e.cmd.transition(e.gen, stateQueued, stateWriting) {
					p.load.Add(-1) // abandoned by its caller: never sent
					continue
				}
				if !p.c.server.accepts(e.cmd.meta.Servers) {
					p.refuse(e)
					continue
				}
				buf = e.cmd.AppendTo(buf)
				e.cmd.pipe = p
				e.cmd.addr = p.c.addr
				e.cmd.state.Store(stamp(e.gen, stateSent))
				sent = append(sent, e)
			}
			p.mu.Lock()
			if p.dead {
				p.writing = false
				p.mu.Unlock()
				p.load.Add(-int32(len(sent)))
				p.n.requeueUnsent(sent)
				p.requeueRest(batch[i:])
				return
			}
			if len(sent) == 0 {
				p.mu.Unlock()
				continue
			}
			p.inflight = append(p.inflight, sent...)
			if rt := p.n.cfg.ReadTimeout; rt > 0 && p.alwaysRead {
				// The reader may be blocked with no deadline while idle:
				// arm it, under p.mu, ordered with the reader's update (see
				// readLoop). Other readers arm their own deadlines.
				p.c.nc.SetReadDeadline(time.Now().Add(rt))
			}
			p.startReaderLocked()
			p.mu.Unlock()
			if wt := p.n.cfg.WriteTimeout; wt > 0 {
				p.c.nc.SetWriteDeadline(time.Now().Add(wt))
			}
			_, err := p.c.nc.Write(buf)
			p.wbuf = trimBuffer(buf)
			if err != nil {
				// The reader sees the closed connection and fails what is
				// in flight; what was not written yet goes elsewhere.
				p.c.fail(err)
				p.mu.Lock()
				p.writing = false
				p.mu.Unlock()
				p.requeueRest(batch[i:])
				return
			}
		}
		clear(batch)
		p.mu.Lock()
		p.spare = batch[:0]
		p.mu.Unlock()
		if cap(sent) > maxKeptEntries {
			sent = nil
		}
	}
}

// requeueRest routes again the commands of a batch that a failed
// connection did not write (those not abandoned meanwhile).
func (p *pipe) requeueRest(es []entry) {
	p.load.Add(-int32(len(es)))
	p.n.requeue(es, ErrClosed)
}

// writeChunk is the size of encoded commands after which a writer sends
// what it has and goes on with the rest of its batch.
const writeChunk = 64 << 10

// maxKeptEntries bounds the entry lists a pipe keeps for reuse.
const maxKeptEntries = 1 << 16

// trimBuffer keeps a write buffer for reuse unless it grew too large.
func trimBuffer(b []byte) []byte {
	if cap(b) > maxKeptWriteBuffer {
		return nil
	}
	return b[:0]
}

// readerLinger and writerLinger are how many times a reader goroutine
// with no reply to read, or a writer with nothing to write, yields to the
// node's busy callers before it exits.
const (
	readerLinger = 4
	writerLinger = 4
)

// readLoop reads replies until none is awaited (or, for connections that
// always read, until the connection fails).
func (p *pipe) readLoop() {
	defer p.wg.Done()
	// local is kept for the next reader: set back under p.mu, before
	// reading is cleared.
	scratch, local := &p.scratch, p.local[:0]
	next, lingered := 0, 0
	var done doneBatch
	defer done.flush(p)
	for {
		if next == len(local) {
			done.flush(p)
			p.mu.Lock()
			if len(p.inflight) == 0 && !p.alwaysRead && lingered < readerLinger &&
				(p.writing || len(p.queue) > 0 || p.n.active.Load() > 0) {
				// Callers are about to queue more (the ones just answered,
				// or others): yield to them rather than exit and be started
				// again a moment later.
				p.mu.Unlock()
				lingered++
				runtime.Gosched()
				continue
			}
			if len(p.inflight) == 0 && !p.alwaysRead {
				p.local, p.reading = local[:0], false
				if rt := p.n.cfg.ReadTimeout; rt > 0 {
					p.c.nc.SetReadDeadline(time.Time{})
				}
				p.mu.Unlock()
				return
			}
			local, p.inflight = p.inflight, local[:0]
			next, lingered = 0, 0
			p.mu.Unlock()
		}
		if rt := p.n.cfg.ReadTimeout; rt > 0 && !p.alwaysRead {
			p.c.nc.SetReadDeadline(time.Now().Add(rt))
		}
		if p.c.rd.Buffered() == 0 {
			done.flush(p) // the read may block: wake who is done first
		}
		err := p.c.rd.ReadReply(scratch)
		if err != nil {
			p.mu.Lock()
			p.reading = false
			p.mu.Unlock()
			p.down(p.c.fail(err), local[next:])
			return
		}
		v := scratch.Value()
		if v.Kind() == resp.KindPush {
			p.n.push(v)
			continue
		}
		if next == len(local) {
			// A connection that always reads was idle when the reply came.
			p.mu.Lock()
			local, p.inflight = p.inflight, local[:0]
			next = 0
			p.mu.Unlock()
			if len(local) == 0 {
				p.mu.Lock()
				p.reading = false
				p.mu.Unlock()
				p.down(p.c.fail(&resp.ProtocolError{Msg: fmt.Sprintf("reply %s without a pending command", v)}), nil)
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
			// Small replies are copied into the command's inline
			// storage, next to its state, and scratch stays warm.
			e.cmd.takeReply(scratch)
			done.add(p, e.cmd.complete(e.gen, nil))
		} else {
			// Abandoned: its reply is discarded, and its slots are free
			// for any connection again.
			p.n.pins.unpin(e)
			done.add(p, nil)
		}
		if rt := p.n.cfg.ReadTimeout; rt > 0 && p.alwaysRead {
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
			p.mu.Lock()
			p.reading = false
			p.mu.Unlock()
			p.down(p.c.fail(fmt.Errorf("reconnect on error reply: %s", v)), local[next:])
			return
		}
	}
}

// pending counts the commands queued and those awaiting replies.
func (p *pipe) pending() (queued, inflight int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.queue), len(p.inflight) + p.directN
}

// doneBatch gathers the completions of a reader's replies that are
// signalled together: a DoMulti's group once per run of its commands, and
// the connection's load once, before the reader may block.
type doneBatch struct {
	grp      *doneGroup
	n        int64 // commands of grp done, not yet signalled
	answered int32 // replies read, not yet taken off p.load
}

// add counts a reply read, of a command of grp (nil: not of a group).
func (b *doneBatch) add(p *pipe, grp *doneGroup) {
	if grp != b.grp && b.n > 0 {
		b.grp.finish(b.n)
		b.n = 0
	}
	if grp != nil {
		b.grp = grp
		b.n++
	}
	b.answered++
}

// flush signals what add gathered.
func (b *doneBatch) flush(p *pipe) {
	if b.n > 0 {
		b.grp.finish(b.n)
	}
	b.grp, b.n = nil, 0
	if b.answered > 0 {
		p.load.Add(-b.answered)
		b.answered = 0
	}
}

// busy reports whether commands are queued, being written or awaiting
// replies.
func (p *pipe) busy() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.queue) > 0 || len(p.inflight) > 0 || p.writing || (p.reading && !p.alwaysRead)
}

// down handles a failure of the connection with err: pending are commands
// the caller had taken out of the pipe's lists (written, awaiting replies).
// The first call also stops the pipe: commands still queued are routed
// again, the ones in flight are retried or failed, and the node replaces
// the connection.
func (p *pipe) down(err error, pending []entry) {
	first := false
	p.downOnce.Do(func() { first = true })
	if !first {
		p.n.failInflight(pending, err)
		return
	}
	p.mu.Lock()
	p.dead = true
	pending = append(pending, p.inflight...)
	p.inflight = nil
	queued := p.queue
	p.queue = nil
	p.mu.Unlock()
	p.load.Add(-int32(len(queued)))
	p.failed.Store(true)
	p.n.pins.dropPipe(p)
	p.n.pipeDied(p, err)
	p.n.failInflight(pending, err)
	p.n.requeue(queued, err)
}

// closeQueue stops taking commands and returns those not yet written.
func (p *pipe) closeQueue() []entry {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dead = true
	es := p.queue
	p.queue = nil
	p.load.Add(-int32(len(es)))
	return es
}

// close closes the connection and waits for its goroutines; commands still
// in flight fail.
func (p *pipe) close() {
	err := p.c.fail(ErrClosed)
	p.wg.Wait()
	p.down(err, nil)
}
