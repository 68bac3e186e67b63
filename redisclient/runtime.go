package redisclient

// This file is part of the client layer: it gives the names of the command
// runtime (package cmdimpl, which the generated commands use) their
// user-facing names here, as aliases, so that user code says
// redisclient.Opt, redisclient.Future and redisclient.BuildError; and it
// holds the server's error type.

import (
	"errors"

	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/transport/resp"
)

// Opt is a reply value that may be null. Valid is false for a null reply,
// which is how a missing key differs from an empty string.
type Opt[T any] = cmdimpl.Opt[T]

// Future is the typed result of a queued command. It is set when the
// pipeline or transaction that holds it runs.
type Future[T any] = cmdimpl.Future[T]

// Value is a reply without a fixed shape (script results, raw commands): an
// owned tree of RESP values.
type Value = cmdimpl.Value

// Doer runs commands: *Client, the cluster client and the sentinel client
// implement it. See transport.Doer for the contract.
type Doer = cmdimpl.Doer

// Queuer collects commands to run together: *Pipeline and *Tx.
type Queuer = cmdimpl.Queuer

// Scalar is the constraint of value parameters: strings and byte slices go
// as they are (binary safe, a []byte is not copied and must not change
// until the command has run), integers in decimal, floats as the shortest
// decimal that reads back the same (float32 at its own precision, ±inf as
// Redis writes it), and bools as 1 and 0.
type Scalar = cmdimpl.Scalar

// BuildError reports a command value that cannot be sent because an
// argument was invalid (a fractional number of seconds, a nil choice). It is
// returned before anything reaches the server.
type BuildError = cmdimpl.BuildError

// OptionError reports an option of an options struct (taken by a
// command's With) that cannot be sent: an invalid enum value, an empty
// required part, or a combination the server refuses. A command built
// with one fails with a *BuildError wrapping it.
type OptionError = cmdimpl.OptionError

// Cmd is a command that takes no more options, with Do, Queue and Command:
// a chain's last state (Get(k) is a Cmd[Opt[string]]) or what a command's
// With returns (Set(k, v).With(SetOptions{...}) is a Cmd[bool], a reply
// type that covers every choice the options can make).
type Cmd[T any] = cmdimpl.Cmd[T]

// OKCmd is a Cmd whose reply is OK: its Do returns only an error.
type OKCmd = cmdimpl.OKCmd

// CacheableCmd is a Cmd of a command the client-side cache can keep: it
// adds DoCached.
type CacheableCmd[T any] = cmdimpl.CacheableCmd[T]

// ReplyError reports a reply that could not be decoded into the command's
// Go type: a malformed or unexpected server reply.
type ReplyError = cmdimpl.ReplyError

// UnexpectedReplyError reports a reply whose shape does not fit the
// command's Go type.
type UnexpectedReplyError = cmdimpl.UnexpectedReplyError

// FieldValue is a field and its value, of a hash or a stream entry.
type FieldValue = cmdimpl.FieldValue

// ZMember is a sorted-set member and its score.
type ZMember = cmdimpl.ZMember

// ErrNilDoer is returned when a command runs on a nil Doer.
var ErrNilDoer = cmdimpl.ErrNilDoer

// ErrNotExecuted is the error of a future whose pipeline has not run yet.
var ErrNotExecuted = cmdimpl.ErrNotExecuted

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

// ScanStruct fills the struct dst points to from field-value pairs (an
// HGETALL reply): each exported field with a `redis:"name"` tag takes the
// value of that field, converted to the field's type. See cmdimpl.ScanStruct.
func ScanStruct(fields map[string]string, dst any) error { return cmdimpl.ScanStruct(fields, dst) }

// Some returns a present value: an option set in an options struct
// (ZRangeOptions{Limit: Some(ZRangeLimit{Offset: 0, Count: 10})}).
func Some[T any](v T) Opt[T] { return cmdimpl.Some(v) }
