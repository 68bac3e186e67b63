package transport

// This file defines the transport's errors.

import (
	"context"
	"errors"
	"fmt"
	"time"
)

var (
	// ErrClosed is returned by a closed node, pool or connection.
	ErrClosed = errors.New("transport: closed")
	// ErrOfflineQueueFull is returned when the node is disconnected and its
	// offline queue holds its limit of commands.
	ErrOfflineQueueFull = errors.New("transport: disconnected and the offline queue is full")
	// ErrNotConnected is returned when the node is disconnected and the
	// offline queue is disabled.
	ErrNotConnected = errors.New("transport: not connected")
	// ErrPoolTimeout is returned when no dedicated connection became free
	// before the context ended.
	ErrPoolTimeout = errors.New("transport: no dedicated connection available")
)

// ConnError reports a connection that failed while a command was in
// flight: the command may or may not have run on the server.
type ConnError struct {
	Addr string
	Err  error
}

func (e *ConnError) Error() string {
	return fmt.Sprintf("transport: connection to %s lost with the command in flight (it may or may not have run): %v", e.Addr, e.Err)
}
func (e *ConnError) Unwrap() error { return e.Err }

// DialError reports a failure to connect or to complete the handshake.
type DialError struct {
	Addr string
	Err  error
	// Cause is the caller's context error when the context ended during
	// the dial (the network error then is often a plain timeout):
	// errors.Is matches it as well as Err.
	Cause error
}

func (e *DialError) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("transport: connect %s: %v (%v)", e.Addr, e.Cause, e.Err)
	}
	return fmt.Sprintf("transport: connect %s: %v", e.Addr, e.Err)
}

// Unwrap returns Err, and Cause when set.
func (e *DialError) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Err, e.Cause}
	}
	return []error{e.Err}
}

// withContextErr makes a dial's error match the caller's context error
// when the context ended meanwhile, whatever the network layer reported:
// a socket deadline set from the context's can fire before the context's
// own timer, giving a plain "i/o timeout".
func withContextErr(ctx context.Context, err error) error {
	if err == nil {
		return err
	}
	cerr := ctx.Err()
	if dl, ok := ctx.Deadline(); cerr == nil && ok && !time.Now().Before(dl) {
		cerr = context.DeadlineExceeded
	}
	if cerr == nil || errors.Is(err, cerr) {
		return err
	}
	if de, ok := err.(*DialError); ok {
		with := *de
		with.Cause = cerr
		return &with
	}
	return fmt.Errorf("%w (%w)", cerr, err)
}

// ErrEmptyCommand is returned for a command without arguments. The server
// would ignore it without a reply, so it is never written.
var ErrEmptyCommand = errors.New("transport: empty command (no command name)")
