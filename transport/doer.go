package transport

// This file defines Doer, the one interface that the single-node client and
// the cluster and sentinel routers satisfy.

import "context"

// Doer runs commands against Redis. Implementations are safe for concurrent
// use. The single-node client, the cluster router and the sentinel router
// all implement it, so a command value runs unchanged on any of them.
//
// Ownership: the caller owns each Command before the call and again when
// the call returns, whatever the outcome; the implementation only borrows
// it.
//
// Order: commands for the same key (the same hash slot) from one Doer are
// written to the server in the order their callers issued them, whatever
// happens to their contexts. A command whose context ended before its
// reply came may or may not have run; if it runs, it runs before any
// command of its slots issued after its caller returned. (Keyless commands
// are not ordered with anything but their own pipeline. A command in
// flight on a connection that fails may also have run; Redis executes what
// it read from a connection before it notices the connection closed.) A Doer must not follow redirects it was not built to follow and must
// not retry commands whose Flags do not allow it.
type Doer interface {
	// Do sends cmd and waits for its reply. A nil error means cmd.Reply()
	// holds the reply, which may be a server error reply. A non-nil error
	// (dial failure, dropped connection, context expiry) means no reply was
	// read; the command may or may not have run on the server.
	Do(ctx context.Context, cmd *Command) error
	// DoMulti sends cmds as one batch and waits for every reply. Each
	// command's outcome is in its Err and Reply. The returned error is
	// non-nil only when no command could be attempted.
	DoMulti(ctx context.Context, cmds []*Command) error
}

// Router is a Doer that also hands out dedicated connections: Node for one
// server, and the cluster and sentinel routers. Higher layers build
// transactions, pub/sub and MONITOR on it.
type Router interface {
	Doer
	// DedicatedConn returns a connection for exclusive use to the node
	// serving slot (any suitable node when slot is negative). The caller
	// releases it with Conn.Release.
	DedicatedConn(ctx context.Context, slot int) (*Conn, error)
	// Close stops the router and its connections.
	Close() error
}
