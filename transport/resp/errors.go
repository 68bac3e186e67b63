// This file holds the error types of the wire layer: server error replies,
// cluster redirects, protocol violations and number syntax errors.

package resp

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Error is a server error reply (a simple error '-' or a bulk error '!').
// Use errors.As(err, &e) with e of type *Error to get it from a wrapped error.
type Error struct {
	Text string // the full text, e.g. "WRONGTYPE Operation against a key ..."
}

// Error returns the server's text unchanged.
func (e *Error) Error() string { return e.Text }

// Prefix returns the error code: the first word of the text, such as "ERR",
// "WRONGTYPE", "MOVED", "ASK", "NOSCRIPT", "LOADING", "READONLY", "TRYAGAIN",
// "CLUSTERDOWN", "EXECABORT", "NOAUTH", "WRONGPASS", "NOPERM", "BUSY" or
// "MASTERDOWN".
func (e *Error) Prefix() string {
	if i := strings.IndexByte(e.Text, ' '); i >= 0 {
		return e.Text[:i]
	}
	return e.Text
}

// Redirect is a parsed cluster redirection (a MOVED or ASK error).
type Redirect struct {
	Ask  bool   // true for ASK (one-off), false for MOVED (slot moved)
	Slot int    // hash slot, 0..16383
	Addr string // "host:port" as sent; ":port" means the replying node's host
}

// ParseRedirect parses a MOVED or ASK error such as
// "MOVED 3999 127.0.0.1:6381". It reports false for any other error.
func ParseRedirect(err error) (r Redirect, ok bool) {
	var e *Error
	if !errors.As(err, &e) || e == nil {
		return Redirect{}, false
	}
	rest := e.Text
	switch {
	case strings.HasPrefix(rest, "MOVED "):
		rest = rest[len("MOVED "):]
	case strings.HasPrefix(rest, "ASK "):
		r.Ask = true
		rest = rest[len("ASK "):]
	default:
		return Redirect{}, false
	}
	slot, addr, found := strings.Cut(rest, " ")
	if !found || addr == "" || strings.IndexByte(addr, ' ') >= 0 {
		return Redirect{}, false
	}
	n, perr := strconv.ParseUint(slot, 10, 16)
	if perr != nil || n > 16383 {
		return Redirect{}, false
	}
	r.Slot = int(n)
	r.Addr = addr
	return r, true
}

// ProtocolError reports input that violates RESP. The stream cannot be
// trusted after it; the connection should be closed.
type ProtocolError struct {
	Msg string // what was wrong, without the "resp: " prefix
}

// Error returns "resp: " followed by Msg.
func (e *ProtocolError) Error() string { return "resp: " + e.Msg }

func protoErrorf(format string, args ...any) error {
	return &ProtocolError{Msg: fmt.Sprintf(format, args...)}
}

// NumError reports text rejected by ParseInt or ParseFloat. It is distinct
// from ProtocolError because a bad number inside a well-formed reply (say a
// bulk string that is not an integer) does not corrupt the stream.
type NumError struct {
	Type  string // "integer" or "float"
	Text  string // the rejected text, clipped to 64 bytes
	Range bool   // well-formed but outside the range of the Go type
}

// Error describes the rejected text, e.g. `resp: invalid integer "12a"`.
func (e *NumError) Error() string {
	if e.Range {
		return "resp: " + e.Type + " " + strconv.Quote(e.Text) + " out of range"
	}
	return "resp: invalid " + e.Type + " " + strconv.Quote(e.Text)
}

// maxQuoted is how much of a bad input is quoted in an error message.
const maxQuoted = 64

// clip returns b as a string for an error message, shortened to maxQuoted
// bytes with a trailing "..." when longer.
func clip(b []byte) string {
	if len(b) > maxQuoted {
		return string(b[:maxQuoted]) + "..."
	}
	return string(b)
}
