package redisclient

// This file runs command values: Do for one command, and the typed futures
// that commands queued in a pipeline or transaction resolve.

import (
	"context"
	"errors"
	"fmt"

	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// BuildError reports a command value that cannot be sent because an
// argument was invalid (a fractional number of seconds, a nil choice). It is
// returned before anything reaches the server.
type BuildError struct {
	Command string
	Err     error
}

func (e *BuildError) Error() string { return "redisclient: " + e.Command + ": " + e.Err.Error() }
func (e *BuildError) Unwrap() error { return e.Err }

// ReplyError reports a reply that could not be decoded into the command's
// Go type: a malformed or unexpected server reply.
type ReplyError struct {
	Command string
	Err     error
}

func (e *ReplyError) Error() string {
	return "redisclient: " + e.Command + ": " + e.Err.Error()
}
func (e *ReplyError) Unwrap() error { return e.Err }

// ServerError is an error reply of the server (WRONGTYPE, NOSCRIPT,
// BUSYGROUP, ...): a command whose reply is one returns it as its error.
// It is transport/resp's Error, so errors.As works with either name.
type ServerError = resp.Error

// HasErrorPrefix reports whether err is, or wraps, an error reply of the
// server whose code (the first word) is prefix:
//
//	if redisclient.HasErrorPrefix(err, "BUSYGROUP") { // the group exists
func HasErrorPrefix(err error, prefix string) bool {
	var se *ServerError
	return errors.As(err, &se) && se.Prefix() == prefix
}

// ErrNilDoer is returned when a command runs on a nil Doer.
var ErrNilDoer = errors.New("redisclient: command run on a nil client")

// name returns the command name of a builder, for errors.
func (b *builder) name() string {
	if b.n == 0 {
		return "command"
	}
	a, _ := b.at(0)
	name := a.Text()
	if b.n > 1 {
		if s, in := b.at(1); in.pos == 0 {
			name += " " + s.Text()
		}
	}
	return name
}

func (b *builder) buildErr() error {
	switch {
	case b.err != nil:
		return &BuildError{Command: b.name(), Err: b.err}
	case b.n == 0:
		return &BuildError{Command: "command", Err: errEmptyCommand}
	}
	return nil
}

// errEmptyCommand is the build error of a command value that holds no
// command: a zero value (never built with its constructor) or Raw without
// arguments. Sending it would get no reply at all. It matches
// transport.ErrEmptyCommand.
var errEmptyCommand = fmt.Errorf("%w: a zero command value, or Raw without a name; build commands with their constructors (redisclient.HSet(...), ...)", transport.ErrEmptyCommand)

// run runs the command that b describes and returns it with its reply;
// the caller decodes and releases it. It is not generic, so that command
// values stay on the caller's stack.
func (b *builder) run(ctx context.Context, d Doer) (*transport.Command, error) {
	if err := b.buildErr(); err != nil {
		return nil, err
	}
	if d == nil {
		return nil, ErrNilDoer
	}
	cmd := b.command()
	if err := d.Do(ctx, cmd); err != nil {
		cmd.Release()
		return nil, err
	}
	return cmd, nil
}

// decodeCmd decodes and releases a command run by builder.run (or returns
// run's error). Generated Do methods call run and then decodeCmd: generic
// functions that take the builder itself would make command values escape
// to the heap.
func decodeCmd[T any](cmd *transport.Command, err error, dec func(resp.Value) (T, error)) (T, error) {
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := decodeValue(cmd, cmd.Reply(), dec)
	cmd.Release()
	return v, err
}

// build returns the command that b describes, or its build error.
func (b *builder) build() (*transport.Command, error) {
	if err := b.buildErr(); err != nil {
		return nil, err
	}
	return b.fill(transport.AcquireCommand()), nil
}

// buildFor is build for a command to queue on q: its command comes from q
// (a pipeline keeps its commands together).
func (b *builder) buildFor(q Queuer) (*transport.Command, error) {
	if err := b.buildErr(); err != nil {
		return nil, err
	}
	if q == nil {
		return b.fill(transport.AcquireCommand()), nil
	}
	return b.fill(q.newCommand()), nil
}

// decodeValue decodes a reply of cmd: server errors come back as
// *resp.Error, shape mismatches as *ReplyError naming the command.
func decodeValue[T any](cmd *transport.Command, v resp.Value, dec func(resp.Value) (T, error)) (T, error) {
	if err := v.Err(); err != nil {
		var zero T
		return zero, err
	}
	t, err := dec(v)
	if err != nil {
		var re *resp.Error
		if errors.As(err, &re) {
			return t, err
		}
		return t, &ReplyError{Command: cmd.Name(), Err: err}
	}
	return t, nil
}

// Queuer collects commands to run together: *Pipeline and *Tx.
type Queuer interface {
	enqueue(cmd *transport.Command, r resolver)
	futures() *futureSlabs
	// newCommand returns an empty command to build one to queue.
	newCommand() *transport.Command
}

// futureSlabs hands out futures from blocks, so that queuing many commands
// of one reply type costs an allocation per block rather than per command.
// It keeps the current block of each reply type queued so far, so that
// commands of different types in turn share their blocks too.
type futureSlabs struct {
	byType []any
	inline [2]any // byType's first room: most batches hold one or two reply types
}

// futureBlock is the number of futures allocated together.
const futureBlock = 64

type futureSlab[T any] struct {
	fs [futureBlock]Future[T]
	n  int
}

// newFuture returns a fresh future from q's current block of that type.
func newFuture[T any](q Queuer, dec func(resp.Value) (T, error)) *Future[T] {
	if q == nil {
		return &Future[T]{dec: dec}
	}
	fs := q.futures()
	at := -1
	var sl *futureSlab[T]
	for i, x := range fs.byType {
		if t, ok := x.(*futureSlab[T]); ok {
			at, sl = i, t
			break
		}
	}
	if sl == nil || sl.n == len(sl.fs) {
		sl = new(futureSlab[T])
		switch {
		case at >= 0:
			fs.byType[at] = sl
		case fs.byType == nil:
			fs.byType = append(fs.inline[:0], sl)
		default:
			fs.byType = append(fs.byType, sl)
		}
	}
	f := &sl.fs[sl.n]
	sl.n++
	f.dec = dec
	return f
}

// resolver completes a queued command once its reply (or error) is known.
type resolver interface {
	// resolve records the reply v of cmd, or err.
	resolve(cmd *transport.Command, v resp.Value, err error)
}

// ErrNotExecuted is the error of a future whose pipeline has not run yet.
var ErrNotExecuted = errors.New("redisclient: pipeline not executed yet")

// Future is the typed result of a queued command. It is set when the
// pipeline or transaction that holds it runs.
type Future[T any] struct {
	val  T
	err  error
	done bool
	dec  func(resp.Value) (T, error)
}

func (f *Future[T]) resolve(cmd *transport.Command, v resp.Value, err error) {
	f.done = true
	if err != nil {
		f.err = err
		return
	}
	f.val, f.err = decodeValue(cmd, v, f.dec)
}

// Val returns the decoded reply (the zero value on error).
func (f *Future[T]) Val() T { return f.val }

// Err returns the command's error: a server error reply, a transport error,
// or ErrNotExecuted.
func (f *Future[T]) Err() error {
	if !f.done {
		return ErrNotExecuted
	}
	return f.err
}

// Result returns the reply and the error.
func (f *Future[T]) Result() (T, error) { return f.val, f.Err() }

// queueCmd adds a command built by builder.build to q and returns its
// future.
func queueCmd[T any](q Queuer, cmd *transport.Command, err error, dec func(resp.Value) (T, error)) *Future[T] {
	f := newFuture(q, dec)
	switch {
	case err != nil:
		f.done, f.err = true, err
	case q == nil:
		f.done, f.err = true, fmt.Errorf("redisclient: %s queued on a nil pipeline", cmd.Name())
		cmd.Release()
	default:
		q.enqueue(cmd, f)
	}
	return f
}
