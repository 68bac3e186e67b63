//go:build !unix

package transport

// This file is part of the connection layer: where sockets cannot be
// peeked at, an idle connection is assumed alive (its first use tells).

func (c *Conn) peerClosed() bool { return false }

// probeIdle reports what is known without a peek: data already buffered.
func (c *Conn) probeIdle() (closed, waiting bool) { return false, c.rd.Buffered() > 0 }
