package cmdimpl

// This file is part of the runtime layer. It runs command values: Do for one command, and the typed futures
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

// Error names the command and the invalid argument.
func (e *BuildError) Error() string { return "redisclient: " + e.Command + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *BuildError) Unwrap() error { return e.Err }

// ReplyError reports a reply that could not be decoded into the command's
// Go type: a malformed or Unexpected server reply.
type ReplyError struct {
	Command string
	Err     error
}

// Error names the command and what did not decode.
func (e *ReplyError) Error() string {
	return "redisclient: " + e.Command + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *ReplyError) Unwrap() error { return e.Err }

// ErrNilDoer is returned when a command runs on a nil Doer.
var ErrNilDoer = errors.New("redisclient: command run on a nil client")

// name returns the command name of a Builder, for errors.
func (b *Builder) name() string {
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

func (b *Builder) buildErr() error {
	switch {
	case b.err != nil:
		return &BuildError{Command: b.name(), Err: b.err}
	case b.n == 0:
		return &BuildError{Command: "command", Err: errEmptyCommand}
	case len(b.required) > 0:
		if what := b.missing(); what != "" {
			return &BuildError{Command: b.name(), Err: errRequired(what)}
		}
	}
	return nil
}

// errRequired is the build error of a command without any occurrence of a
// required repeated group (Builder.Require).
func errRequired(what string) error { return fmt.Errorf("%s is required: add at least one", what) }

// errEmptyCommand is the build error of a command value that holds no
// command: a zero value (never built with its constructor) or Raw without
// arguments. Sending it would get no reply at all. It matches
// transport.ErrEmptyCommand.
var errEmptyCommand = fmt.Errorf("%w: a zero command value, or Raw without a name; build commands with their constructors (redisclient.HSet(...), ...)", transport.ErrEmptyCommand)

// Run runs the command that b describes and returns it with its reply;
// the caller decodes and releases it. It is not generic, so that command
// values stay on the caller's stack.
func (b *Builder) Run(ctx context.Context, d Doer) (*transport.Command, error) {
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

// DecodeCmd decodes and releases a command run by Builder.run (or returns
// run's error). Generated Do methods call run and then DecodeCmd: generic
// functions that take the Builder itself would make command values escape
// to the heap.
func DecodeCmd[T any](cmd *transport.Command, err error, dec func(resp.Value) (T, error)) (T, error) {
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := DecodeValue(cmd, cmd.Reply(), dec)
	cmd.Release()
	return v, err
}

// Build returns the command that b describes, or its build error.
func (b *Builder) Build() (*transport.Command, error) {
	if err := b.buildErr(); err != nil {
		return nil, err
	}
	return b.fill(transport.AcquireCommand()), nil
}

// BuildFor is Build for a command to queue on q: its command comes from q
// (a pipeline keeps its commands together).
func (b *Builder) BuildFor(q Queuer) (*transport.Command, error) {
	if err := b.buildErr(); err != nil {
		return nil, err
	}
	if q == nil {
		return b.fill(transport.AcquireCommand()), nil
	}
	return b.fill(q.NewCommand()), nil
}

// DecodeValue decodes a reply of cmd: server errors come back as
// *resp.Error, shape mismatches as *ReplyError naming the command.
func DecodeValue[T any](cmd *transport.Command, v resp.Value, dec func(resp.Value) (T, error)) (T, error) {
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

// Queuer collects commands to run together: redisclient's *Pipeline and
// *Tx. Generated Queue methods take one; its methods are for the types
// that implement it, not for code that queues commands.
type Queuer interface {
	// Enqueue adds cmd, whose reply r resolves once the batch has run.
	Enqueue(cmd *transport.Command, r Resolver)
	// Futures returns the blocks the batch's futures come from.
	Futures() *FutureSlabs
	// NewCommand returns an empty command to build one to queue.
	NewCommand() *transport.Command
}

// FutureSlabs hands out futures from blocks, so that queuing many commands
// of one reply type costs an allocation per block rather than per command.
// It keeps the current block of each reply type queued so far, so that
// commands of different types in turn share their blocks too.
type FutureSlabs struct {
	byType []any
	inline [2]any // byType's first room: most batches hold one or two reply types
}

// futureBlock is the number of futures allocated together.
const futureBlock = 64

type futureSlab[T any] struct {
	fs [futureBlock]Future[T]
	n  int
}

// NewFuture returns a fresh future from q's current block of that type.
func NewFuture[T any](q Queuer, dec func(resp.Value) (T, error)) *Future[T] {
	if q == nil {
		return &Future[T]{dec: dec}
	}
	fs := q.Futures()
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

// Resolver completes a queued command once its reply (or error) is known.
// Future implements it; so do redisclient's script calls.
type Resolver interface {
	// Resolve records the reply v of cmd, or err.
	Resolve(cmd *transport.Command, v resp.Value, err error)
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

// Resolve records the reply v of cmd (decoded with the future's decoder),
// or err. The pipeline or transaction holding the future calls it once.
func (f *Future[T]) Resolve(cmd *transport.Command, v resp.Value, err error) {
	f.done = true
	if err != nil {
		f.err = err
		return
	}
	f.val, f.err = DecodeValue(cmd, v, f.dec)
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

// QueueCmd adds a command built by Builder.build to q and returns its
// future.
func QueueCmd[T any](q Queuer, cmd *transport.Command, err error, dec func(resp.Value) (T, error)) *Future[T] {
	f := NewFuture(q, dec)
	switch {
	case err != nil:
		f.done, f.err = true, err
	case q == nil:
		f.done, f.err = true, fmt.Errorf("redisclient: %s queued on a nil pipeline", cmd.Name())
		cmd.Release()
	default:
		q.Enqueue(cmd, f)
	}
	return f
}
