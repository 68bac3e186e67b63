package transport

// This file defines the transport's errors.

import (
	"errors"
	"fmt"
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
}

func (e *DialError) Error() string { return fmt.Sprintf("transport: connect %s: %v", e.Addr, e.Err) }
func (e *DialError) Unwrap() error { return e.Err }
