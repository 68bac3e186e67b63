//go:build unix

package transport

// This file is part of the connection layer: a cheap liveness check of an
// idle connection's socket, used before a pooled connection is handed out.

import (
	"errors"
	"net"
	"runtime"
	"syscall"
	"time"
	"unsafe"
)

// peerClosed reports whether the server closed the connection (or reset
// it) while it sat idle: a non-blocking peek at the socket reads end of
// file or an error; under TLS, waiting records are read to see whether
// they end the session (close_notify comes before the end of file). Other
// data waiting (a push frame, say) is left for the reader and counts as
// alive, as does a socket it cannot inspect.
func (c *Conn) peerClosed() bool {
	closed, _ := c.probeIdle()
	return closed
}

// probeIdle peeks at an idle connection: whether the server closed it,
// and whether data waits that nobody asked for (which, on a connection
// that expects no push frames, is a protocol violation).
func (c *Conn) probeIdle() (closed, waiting bool) {
	if c.rd.Buffered() > 0 {
		return false, true
	}
	nc := c.nc
	isTLS := false
	if w, ok := nc.(interface{ NetConn() net.Conn }); ok {
		nc, isTLS = w.NetConn(), true // look at the socket underneath
	}
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return false, false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false, false
	}
	pending := false
	var buf [1]byte
	// An error of Read itself (an expired deadline, say) says nothing of
	// the peer: only what the peek saw counts.
	raw.Read(func(fd uintptr) bool {
		n, _, rerr := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case n == 0 && rerr == nil:
			closed = true // end of file
		case n == 1:
			pending = true
		case rerr != nil && !errors.Is(rerr, syscall.EAGAIN) && !errors.Is(rerr, syscall.EINTR):
			closed = true // reset, or another socket error
		}
		return true // never wait for readiness
	})
	if pending && isTLS {
		// TLS 1.3 hides alerts (close_notify) in application-data records:
		// only the TLS layer can tell them from a push frame.
		if c.tlsClosed() {
			return true, false
		}
		return false, c.rd.Buffered() > 0
	}
	return closed, pending
}

// tlsPeekWait bounds the read of records already waiting on an idle TLS
// connection.
const tlsPeekWait = 5 * time.Millisecond

// tlsClosed reads the records waiting on an idle TLS connection into the
// reader's buffer (frames stay there for the next reply read) and reports
// whether the session ended.
func (c *Conn) tlsClosed() bool {
	c.nc.SetReadDeadline(time.Now().Add(tlsPeekWait))
	defer c.nc.SetReadDeadline(time.Time{})
	err := c.rd.Prefetch()
	var ne net.Error
	return err != nil && !(errors.As(err, &ne) && ne.Timeout())
}

// pollReadable polls the socket, without blocking and without reading,
// until data waits on it or the deadline passes, and reports whether data
// waits. Under TLS it sees records arrive on the socket underneath.
func (c *Conn) pollReadable(deadline time.Time) bool {
	if c.poll.raw == nil && !c.initPoll() {
		return false
	}
	for i := 1; ; i++ {
		c.poll.ready = false
		c.poll.raw.Read(c.poll.fn)
		if c.poll.ready {
			return true
		}
		if i%8 == 0 {
			if !time.Now().Before(deadline) {
				return false
			}
			runtime.Gosched() // let the process's other goroutines run
		}
	}
}

// initPoll prepares pollReadable: the socket's raw connection and a peek
// function bound once, so that polling allocates nothing.
func (c *Conn) initPoll() bool {
	nc := c.nc
	if w, ok := nc.(interface{ NetConn() net.Conn }); ok {
		nc = w.NetConn()
	}
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	c.poll.raw = raw
	c.poll.fn = func(fd uintptr) bool {
		n, _, errno := syscall.Syscall6(syscall.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(&c.poll.buf[0])), 1,
			syscall.MSG_PEEK|syscall.MSG_DONTWAIT, 0, 0)
		// Data, or an end of file or error the next read will report.
		c.poll.ready = errno == 0 || (errno != syscall.EAGAIN && errno != syscall.EINTR)
		_ = n
		return true // never wait for readiness here
	}
	return true
}
