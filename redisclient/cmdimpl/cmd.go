package cmdimpl

// This file is part of the runtime of generated commands: a command that
// takes no more options, as a chain ends or as With returns it once its
// options were chosen at run time. Generic types serve every command, so
// that the documentation shows a type only for states that offer options.

import (
	"context"
	"time"

	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// Cmd is a command that takes no more options: a chain's last state, or
// what a generated command's With returns. Do runs it, Queue adds it to
// a pipeline or transaction, Command builds it. Its reply type T covers
// every choice the options can make. The zero Cmd fails to build with a
// BuildError, like every zero command value.
type Cmd[T any] struct {
	b   Builder
	dec func(resp.Value) (T, error)
}

// NewCmd returns the command b builds, whose reply dec decodes. Generated
// With methods call it.
func NewCmd[T any](b Builder, dec func(resp.Value) (T, error)) Cmd[T] {
	return Cmd[T]{b: b, dec: dec}
}

// Do runs the command on d and decodes its reply.
func (c Cmd[T]) Do(ctx context.Context, d Doer) (T, error) {
	cmd, err := c.b.Run(ctx, d)
	return DecodeCmd(cmd, err, c.dec)
}

// Queue adds the command to a pipeline or transaction; the future holds
// its reply once that has run.
func (c Cmd[T]) Queue(q Queuer) *Future[T] {
	cmd, err := c.b.BuildFor(q)
	return QueueCmd(q, cmd, err, c.dec)
}

// Command builds the transport-level command: its arguments in wire order,
// flags and slot. The caller releases it.
func (c Cmd[T]) Command() (*transport.Command, error) { return c.b.Build() }

// OKCmd is a command whose reply is OK: Do returns only the server's
// error. Like Cmd, it is what a command becomes once it takes no more
// options.
type OKCmd struct {
	b Builder
}

// NewOKCmd returns the command b builds. Generated code calls it.
func NewOKCmd(b Builder) OKCmd { return OKCmd{b: b} }

// Do runs the command on d and returns the server's error, if any.
func (c OKCmd) Do(ctx context.Context, d Doer) error {
	cmd, err := c.b.Run(ctx, d)
	_, err = DecodeCmd(cmd, err, DecodeOK)
	return err
}

// Queue adds the command to a pipeline or transaction; the future holds
// its reply once that has run.
func (c OKCmd) Queue(q Queuer) *Future[struct{}] {
	cmd, err := c.b.BuildFor(q)
	return QueueCmd(q, cmd, err, DecodeOK)
}

// Command builds the transport-level command: its arguments in wire order,
// flags and slot. The caller releases it.
func (c OKCmd) Command() (*transport.Command, error) { return c.b.Build() }

// CacheStarter looks a command up in a client-side cache: redisclient's
// *Client (Options.Cache) is one.
type CacheStarter interface {
	CacheStart(ctx context.Context, b *Builder, ttl time.Duration) (CacheStep, error)
}

// CacheableCmd is a Cmd of a command that the client-side cache can keep
// (a read-only command on keys): it adds DoCached.
type CacheableCmd[T any] struct {
	Cmd[T]
}

// NewCacheableCmd is NewCmd for a cacheable command.
func NewCacheableCmd[T any](b Builder, dec func(resp.Value) (T, error)) CacheableCmd[T] {
	return CacheableCmd[T]{Cmd[T]{b: b, dec: dec}}
}

// DoCached runs the command through the client-side cache of cl: a cached
// reply returns without a round trip; a miss fetches it, concurrent misses
// sharing one fetch, and keeps it for at most ttl and no longer than the
// key lives on the server. Do not modify the returned value.
func (c CacheableCmd[T]) DoCached(ctx context.Context, cl CacheStarter, ttl time.Duration) (T, error) {
	st, err := cl.CacheStart(ctx, &c.b, ttl)
	return DoCached(st, err, c.dec)
}

// DecoderOf returns the decoder of c's reply, the one its Do and Queue
// use. It is for tests (cmdtest.DecodeWith): a With that chooses its
// decoder from the options' values is checked by decoding fixtures
// through the command it returns.
func DecoderOf[T any](c Cmd[T]) func(resp.Value) (T, error) { return c.dec }
