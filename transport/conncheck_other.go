//go:build !unix

package transport

import "time"

// This file is part of the connection layer: where sockets cannot be
// peeked at, an idle connection is assumed alive (its first use tells).

func (c *Conn) peerClosed() bool { return false }

// probeIdle reports what is known without a peek: data already buffered.
func (c *Conn) probeIdle() (closed, waiting bool) { return false, c.rd.Buffered() > 0 }

// pollReadable cannot poll here: the caller blocks at once.
func (c *Conn) pollReadable(deadline time.Time) bool { return false }
