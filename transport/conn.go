package transport

// This file defines Conn, one established connection (dialed, handshake
// done) used by one goroutine at a time: the building block of the
// pipelined connections and of dedicated connections for blocking
// commands, transactions, pub/sub and MONITOR.

import (
	"context"
	"errors"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/redkit-go/redkit/transport/resp"
)

// Buffer sizes of a connection.
const (
	defaultReadBufferSize = 32 << 10
	maxKeptWriteBuffer    = 256 << 10 // larger write buffers are dropped after use
)

// aLongTimeAgo is a deadline in the past, used to interrupt blocked I/O.
var aLongTimeAgo = time.Unix(1, 0)

// Conn is one connection to a server after the handshake. Its methods are
// for one goroutine at a time; Close may be called from any goroutine.
type Conn struct {
	nc    net.Conn
	rd    *resp.Reader
	wbuf  []byte
	proto int
	addr  string
	// onPush receives RESP3 push frames read while waiting for replies.
	onPush func(resp.Value)

	mu  sync.Mutex // protects following fields
	err error      // first fatal error; the connection is unusable

	// dlMu orders guard's deadline changes with the cancellation callbacks
	// it arms; dlSeq disarms a callback that started too late to matter.
	dlMu  sync.Mutex
	dlSeq uint64

	// poll is the state of pollReadable, for the goroutine that reads.
	poll struct {
		raw   syscall.RawConn
		fn    func(fd uintptr) bool
		ready bool
		buf   [1]byte
	}

	// pool is set for connections of a dedicated pool.
	pool     *Pool
	returned time.Time // when it went back to the pool

	// server is what the handshake's HELLO said; fixed after the
	// handshake, it decides which commands are written (see
	// UnsupportedServerError).
	server ServerInfo
}

func newConn(nc net.Conn, addr string, readBuf int) *Conn {
	if readBuf <= 0 {
		readBuf = defaultReadBufferSize
	}
	return &Conn{nc: nc, addr: addr, rd: resp.NewReader(nc, readBuf, resp.Limits{}), proto: 2}
}

// Proto returns the protocol the connection speaks: 2 or 3.
func (c *Conn) Proto() int { return c.proto }

// Addr returns the server address.
func (c *Conn) Addr() string { return c.addr }

// Server returns the server the connection talks to, as its handshake's
// HELLO reply named it (zero when there was no HELLO).
func (c *Conn) Server() ServerInfo { return c.server }

// LocalAddr returns the local address of the connection.
func (c *Conn) LocalAddr() net.Addr { return c.nc.LocalAddr() }

// SetPushHandler sets the function that receives RESP3 push frames (pub/sub
// messages, invalidations) read while the connection waits for replies.
// The value is valid only during the call.
func (c *Conn) SetPushHandler(f func(resp.Value)) { c.onPush = f }

// Err returns the error that made the connection unusable, or nil.
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// fail records a fatal error and closes the network connection.
func (c *Conn) fail(err error) error {
	c.mu.Lock()
	if c.err == nil {
		c.err = err
	}
	first := c.err
	c.mu.Unlock()
	c.nc.Close()
	return first
}

// Close closes the connection.
func (c *Conn) Close() error {
	c.mu.Lock()
	if c.err == nil {
		c.err = ErrClosed
	}
	c.mu.Unlock()
	return c.nc.Close()
}

// Release returns a dedicated connection to its pool (or closes it when it
// is broken or has no pool). The caller must not use c afterwards.
func (c *Conn) Release() {
	if c.pool != nil {
		c.pool.put(c)
		return
	}
	c.Close()
}

// guard applies ctx to the connection's I/O: its deadline, and its
// cancellation, which interrupts blocked reads and writes. The returned
// function undoes it and reports whether ctx interrupted the I/O.
func (c *Conn) guard(ctx context.Context) func() bool {
	dl, hasDL := ctx.Deadline()
	if hasDL {
		c.nc.SetDeadline(dl)
	} else {
		c.nc.SetDeadline(time.Time{})
	}
	if ctx.Done() == nil {
		return func() bool { return false }
	}
	c.dlMu.Lock()
	seq := c.dlSeq
	c.dlMu.Unlock()
	stop := context.AfterFunc(ctx, func() {
		c.dlMu.Lock()
		if c.dlSeq == seq {
			c.nc.SetDeadline(aLongTimeAgo)
		}
		c.dlMu.Unlock()
	})
	return func() bool {
		interrupted := !stop()
		if interrupted {
			// stop does not wait for a callback that has started: without
			// disarming it, it could set the past deadline after the reset
			// below, and the next command on this (healthy) connection
			// would fail with a timeout.
			c.dlMu.Lock()
			c.dlSeq++
			c.dlMu.Unlock()
		}
		if hasDL || interrupted {
			c.nc.SetDeadline(time.Time{})
		}
		return interrupted || (hasDL && !time.Now().Before(dl))
	}
}

// ioError turns an I/O error during ctx into the error callers see: ctx's
// error when the context ended, else the network error. Either way the
// connection is broken (a reply may be half read).
func (c *Conn) ioError(ctx context.Context, interrupted bool, err error) error {
	if interrupted {
		if cerr := ctx.Err(); cerr != nil {
			c.fail(cerr)
			return cerr
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			c.fail(context.DeadlineExceeded)
			return context.DeadlineExceeded
		}
	}
	return c.fail(err)
}

// Send writes commands without reading replies (for pub/sub and MONITOR).
// It writes nothing when a command is empty (ErrEmptyCommand): the server
// would not answer it; nor when the server does not accept a command as
// built (*UnsupportedServerError).
func (c *Conn) Send(ctx context.Context, cmds ...*Command) error {
	if err := c.Err(); err != nil {
		return err
	}
	for _, cmd := range cmds {
		if len(cmd.args) == 0 {
			return ErrEmptyCommand
		}
		if err := c.server.Check(cmd); err != nil {
			return err
		}
	}
	c.wbuf = c.wbuf[:0]
	for _, cmd := range cmds {
		c.wbuf = cmd.AppendTo(c.wbuf)
		cmd.addr = c.addr
	}
	done := c.guard(ctx)
	_, err := c.nc.Write(c.wbuf)
	interrupted := done()
	c.trimWriteBuffer()
	if err != nil {
		return c.ioError(ctx, interrupted, err)
	}
	return nil
}

func (c *Conn) trimWriteBuffer() {
	if cap(c.wbuf) > maxKeptWriteBuffer {
		c.wbuf = nil
	}
}

// Receive reads one reply (not a push frame: those go to the push handler)
// into dst.
func (c *Conn) Receive(ctx context.Context, dst *resp.Reply) error {
	return c.receive(ctx, dst, c.readReply)
}

// ReceiveAny reads one frame, reply or push, into dst.
func (c *Conn) ReceiveAny(ctx context.Context, dst *resp.Reply) error {
	return c.receive(ctx, dst, c.rd.ReadReply)
}

// receive runs read under ctx's deadline and cancellation.
func (c *Conn) receive(ctx context.Context, dst *resp.Reply, read func(*resp.Reply) error) error {
	if err := c.Err(); err != nil {
		return err
	}
	done := c.guard(ctx)
	err := read(dst)
	interrupted := done()
	if err != nil {
		return c.ioError(ctx, interrupted, err)
	}
	return nil
}

// readReply reads the next reply, handing push frames to the handler.
func (c *Conn) readReply(dst *resp.Reply) error {
	for {
		if err := c.rd.ReadReply(dst); err != nil {
			return err
		}
		if v := dst.Value(); v.Kind() == resp.KindPush {
			if c.onPush != nil {
				c.onPush(v)
			}
			continue
		}
		return nil
	}
}

// Do sends one command and reads its reply into the command.
func (c *Conn) Do(ctx context.Context, cmd *Command) error {
	if err := c.Send(ctx, cmd); err != nil {
		return err
	}
	return c.Receive(ctx, cmd.ReplyStorage())
}

// DoMulti sends commands in one write and reads their replies in order.
// A transport error fails the connection and is recorded on every command
// without a reply. A command the server does not accept as built gets its
// *UnsupportedServerError and is not sent; the others are.
func (c *Conn) DoMulti(ctx context.Context, cmds []*Command) error {
	for i, cmd := range cmds {
		if !c.server.accepts(cmd.meta.Servers) {
			return c.doMultiAccepted(ctx, cmds, i)
		}
	}
	if err := c.Send(ctx, cmds...); err != nil {
		for _, cmd := range cmds {
			cmd.SetErr(err)
		}
		return err
	}
	for i, cmd := range cmds {
		if err := c.Receive(ctx, cmd.ReplyStorage()); err != nil {
			for _, rest := range cmds[i:] {
				rest.SetErr(err)
			}
			return err
		}
		cmd.SetErr(nil)
	}
	return nil
}

// doMultiAccepted is DoMulti for commands of which the server does not
// accept some, the first at index first: those get their errors, and the
// others run.
func (c *Conn) doMultiAccepted(ctx context.Context, cmds []*Command, first int) error {
	accepted := partitionAccepted(&c.server, cmds, first,
		func(cmd *Command) *Command { return cmd },
		func(cmd *Command) { cmd.SetErr(c.server.Check(cmd)) })
	if len(accepted) == 0 {
		return nil
	}
	return c.DoMulti(ctx, accepted)
}
