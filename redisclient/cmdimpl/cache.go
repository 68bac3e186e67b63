package cmdimpl

// This file is the runtime layer's glue for the client-side cache: the
// generic end of DoCached, which decodes a reply that a cache (redisclient's
// Client with Options.Cache) fetched or kept.

import (
	"errors"

	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// CacheStep is the outcome of looking a command up in a client-side cache
// (redisclient's Client.CacheStart), which DoCached finishes. Looking up is
// not generic, so that command values stay on the caller's stack.
type CacheStep struct {
	// Hit is set when Val and Err are the result: a kept reply, or one
	// that a concurrent call fetched.
	Hit bool
	// Val is the decoded reply of a hit; Err its error.
	Val any
	Err error
	// Cmd is the command that ran, with its reply, when there is no hit.
	Cmd *transport.Command
	// Store, when set, keeps the decoded reply of Cmd (or its decoding
	// error) and releases Cmd. Without it, DoCached releases Cmd.
	Store func(v any, err error)
}

// errCacheType is the error of a kept reply of another Go type than the
// command's (two commands whose arguments are the same, decoded
// differently).
var errCacheType = errors.New("a cached value has another type than the command's reply")

// DoCached finishes a cached run: it returns a hit, or decodes the fetched
// reply with dec and stores it. err is the error of the lookup. Generated
// DoCached methods call it:
//
//	st, err := cl.CacheStart(ctx, &c.b, ttl)
//	return cmdimpl.DoCached(st, err, decodeString)
func DoCached[T any](st CacheStep, err error, dec func(resp.Value) (T, error)) (T, error) {
	var zero T
	switch {
	case err != nil:
		return zero, err
	case st.Hit:
		if st.Err != nil {
			return zero, st.Err
		}
		v, ok := st.Val.(T)
		if !ok {
			return zero, &ReplyError{Command: "cache", Err: errCacheType}
		}
		return v, nil
	case st.Store == nil:
		return DecodeCmd(st.Cmd, nil, dec)
	}
	v, derr := DecodeValue(st.Cmd, st.Cmd.Reply(), dec)
	st.Store(v, derr)
	return v, derr
}
