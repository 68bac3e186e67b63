package redisclient

// This file holds Lua scripts and functions with typed results: a script
// is defined once with its source and result decoder, runs with EVALSHA
// and falls back to EVAL when the server does not have it, also inside
// pipelines and transactions.

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"

	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// Decoder turns a reply into a Go value. The Decode* variables are the
// decoders of the common shapes; they accept RESP2 and RESP3 forms.
type Decoder[T any] func(resp.Value) (T, error)

// Decoders for script and function results.
var (
	DecodeValue      Decoder[Value]             = cmdimpl.DecodeAny
	DecodeString     Decoder[string]            = cmdimpl.DecodeString
	DecodeOptString  Decoder[Opt[string]]       = decodeOptString
	DecodeInt        Decoder[int64]             = cmdimpl.DecodeInt
	DecodeOptInt     Decoder[Opt[int64]]        = decodeOptInt
	DecodeFloat      Decoder[float64]           = cmdimpl.DecodeFloat
	DecodeBool       Decoder[bool]              = cmdimpl.DecodeBool
	DecodeOK         Decoder[struct{}]          = cmdimpl.DecodeOK
	DecodeStrings    Decoder[[]string]          = decodeSliceString
	DecodeInts       Decoder[[]int64]           = decodeSliceInt
	DecodeStringMap  Decoder[map[string]string] = decodeMapStringString
	DecodeOptStrings Decoder[[]Opt[string]]     = decodeSliceOptString
)

// DecodeSlice returns a decoder of arrays whose elements elem decodes.
func DecodeSlice[T any](elem Decoder[T]) Decoder[[]T] {
	return func(v resp.Value) ([]T, error) { return cmdimpl.DecodeSlice(v, elem) }
}

// Script is a Lua script with a typed result. Keys and arguments are
// passed separately, so key prefixing and cluster routing see the keys.
//
//	var incrCapped = redisclient.NewScript(`
//		local n = redis.call('INCR', KEYS[1])
//		if n > tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]); return tonumber(ARGV[1]) end
//		return n`, redisclient.DecodeInt)
//	n, err := incrCapped.Run(ctx, c, []string{"counter"}, "10")
type Script[T any] struct {
	src, sha string
	readOnly bool
	dec      Decoder[T]
}

// NewScript defines a script and its result decoder.
func NewScript[T any](src string, dec Decoder[T]) *Script[T] {
	sum := sha1.Sum([]byte(src))
	return &Script[T]{src: src, sha: hex.EncodeToString(sum[:]), dec: dec}
}

// NewReadOnlyScript defines a script that only reads: it runs with
// EVALSHA_RO / EVAL_RO (Redis 7+), may be retried after a dropped
// connection and may run on replicas.
func NewReadOnlyScript[T any](src string, dec Decoder[T]) *Script[T] {
	s := NewScript(src, dec)
	s.readOnly = true
	return s
}

// SHA returns the script's SHA1 digest.
func (s *Script[T]) SHA() string { return s.sha }

// Source returns the script's Lua source.
func (s *Script[T]) Source() string { return s.src }

// errNotDefined is the build error of a Script or Function value not made
// by its constructor (a nil or zero value, or a nil decoder).
var errNotDefined = errors.New("not defined: use NewScript/NewReadOnlyScript or NewFunction/NewReadOnlyFunction with a decoder")

// evalSHA builds EVALSHA (or EVALSHA_RO) for keys and args.
func (s *Script[T]) evalSHA(keys []string, args []any) (*transport.Command, error) {
	if s == nil || s.dec == nil {
		return nil, &BuildError{Command: "EVALSHA", Err: errNotDefined}
	}
	if s.readOnly {
		return EvalSHARO(s.sha).Keys(keys...).Args(args...).Command()
	}
	return EvalSHA(s.sha).Keys(keys...).Args(args...).Command()
}

// eval builds EVAL (or EVAL_RO), which also loads the script.
func (s *Script[T]) eval(keys []string, args []any) (*transport.Command, error) {
	if s.readOnly {
		return EvalRO(s.src).Keys(keys...).Args(args...).Command()
	}
	return Eval(s.src).Keys(keys...).Args(args...).Command()
}

// isNoScript reports a NOSCRIPT error reply.
func isNoScript(v resp.Value) bool {
	re, isErr := v.ErrorReply()
	return isErr && re.Prefix() == "NOSCRIPT"
}

// runBuilt runs a command built by a script or function helper (or
// returns the build error); the caller owns the command afterwards.
func runBuilt(ctx context.Context, d Doer, cmd *transport.Command, err error) (*transport.Command, error) {
	if err == nil && d == nil {
		cmd.Release()
		err = ErrNilDoer
	}
	if err != nil {
		return nil, err
	}
	if err := d.Do(ctx, cmd); err != nil {
		cmd.Release()
		return nil, err
	}
	return cmd, nil
}

// Run runs the script on d: EVALSHA, then EVAL when the server does not
// have the script (which loads it for next time).
func (s *Script[T]) Run(ctx context.Context, d Doer, keys []string, args ...any) (T, error) {
	cmd, err := s.evalSHA(keys, args)
	if err != nil {
		var zero T
		return zero, err
	}
	cmd, err = runBuilt(ctx, d, cmd, err)
	if err == nil && isNoScript(cmd.Reply()) {
		cmd.Release()
		cmd, err = s.eval(keys, args)
		cmd, err = runBuilt(ctx, d, cmd, err)
	}
	return cmdimpl.DecodeCmd(cmd, err, s.dec)
}

// Load loads the script into the server's cache (SCRIPT LOAD).
func (s *Script[T]) Load(ctx context.Context, d Doer) error {
	if s == nil || s.dec == nil {
		return &BuildError{Command: "SCRIPT LOAD", Err: errNotDefined}
	}
	_, err := ScriptLoad(s.src).Do(ctx, d)
	return err
}

// Queue adds the script to a pipeline or transaction. In a pipeline, a
// NOSCRIPT reply makes it run again with EVAL after the pipeline; a
// transaction loads the script before MULTI.
func (s *Script[T]) Queue(q Queuer, keys []string, args ...any) *Future[T] {
	cmd, err := s.evalSHA(keys, args)
	var dec Decoder[T]
	if err == nil {
		dec = s.dec
	}
	call := &scriptCall[T]{Future: cmdimpl.NewFuture(q, dec), s: s, keys: keys, args: args}
	switch {
	case err != nil:
		call.Resolve(nil, resp.Value{}, err)
	case q == nil:
		call.Resolve(nil, resp.Value{}, errors.New("redisclient: script queued on a nil pipeline"))
		cmd.Release()
	default:
		q.Enqueue(cmd, call)
	}
	return call.Future
}

// scriptCall is a queued script: its future, and what it needs to run
// again with EVAL.
type scriptCall[T any] struct {
	*Future[T]
	s    *Script[T]
	keys []string
	args []any
}

// fallback returns the EVAL command to run instead when the queued
// EVALSHA got NOSCRIPT.
func (c *scriptCall[T]) fallback(v resp.Value) *transport.Command {
	if !isNoScript(v) {
		return nil
	}
	cmd, err := c.s.eval(c.keys, c.args)
	if err != nil {
		return nil
	}
	return cmd
}

// source returns the script's source, for loading before MULTI.
func (c *scriptCall[T]) source() string { return c.s.src }

// fallbacker is a queued command that may be run again differently.
type fallbacker interface {
	fallback(v resp.Value) *transport.Command
}

// sourcer is a queued script that a transaction loads before MULTI.
type sourcer interface{ source() string }

// Function is a server-side function (FUNCTION LOAD) with a typed result.
type Function[T any] struct {
	name     string
	readOnly bool
	dec      Decoder[T]
}

// NewFunction names a function of a loaded library and its result decoder.
func NewFunction[T any](name string, dec Decoder[T]) *Function[T] {
	return &Function[T]{name: name, dec: dec}
}

// NewReadOnlyFunction names a function registered with the no-writes
// flag: it runs with FCALL_RO.
func NewReadOnlyFunction[T any](name string, dec Decoder[T]) *Function[T] {
	return &Function[T]{name: name, readOnly: true, dec: dec}
}

func (f *Function[T]) command(keys []string, args []any) (*transport.Command, error) {
	if f == nil || f.dec == nil || f.name == "" {
		return nil, &BuildError{Command: "FCALL", Err: errNotDefined}
	}
	if f.readOnly {
		return FCallRO(f.name).Keys(keys...).Args(args...).Command()
	}
	return FCall(f.name).Keys(keys...).Args(args...).Command()
}

// Call runs the function with FCALL (FCALL_RO for read-only functions).
func (f *Function[T]) Call(ctx context.Context, d Doer, keys []string, args ...any) (T, error) {
	cmd, err := f.command(keys, args)
	if err != nil {
		var zero T
		return zero, err
	}
	cmd, err = runBuilt(ctx, d, cmd, err)
	return cmdimpl.DecodeCmd(cmd, err, f.dec)
}

// Queue adds the function call to a pipeline or transaction.
func (f *Function[T]) Queue(q Queuer, keys []string, args ...any) *Future[T] {
	cmd, err := f.command(keys, args)
	var dec Decoder[T]
	if err == nil {
		dec = f.dec
	}
	return cmdimpl.QueueCmd(q, cmd, err, dec)
}

// LoadLibrary loads a function library (FUNCTION LOAD, with REPLACE when
// replace is set) and returns its name.
func LoadLibrary(ctx context.Context, d Doer, code string, replace bool) (string, error) {
	if replace {
		return FunctionLoad(code).Replace().Do(ctx, d)
	}
	return FunctionLoad(code).Do(ctx, d)
}
