package transport

// This file is what a connection knows of its server: its kind (Redis or
// Valkey) and version, as the handshake's HELLO reply names them, and the
// guard that refuses, before it is written, a command built with syntax
// that only another kind of server accepts.

import (
	"fmt"

	"github.com/redkit-go/redkit/transport/resp"
)

// ServerInfo is the server a connection talks to, from the handshake's
// HELLO reply. The zero value is an unknown server (no HELLO: a server
// before Redis 6, or a proxy that refuses it); an unknown server accepts
// every command, as far as the client can tell.
type ServerInfo struct {
	// Kind is ServerRedis or ServerValkey; zero when unknown (the reply
	// named another server, or there was no HELLO).
	Kind Servers
	// Version is the version HELLO reported ("8.6.3"); empty when there
	// was no HELLO.
	Version string
}

// Known reports whether the server's kind is known.
func (s ServerInfo) Known() bool { return s.Kind != 0 }

// String names the server: "redis 8.6.3", "valkey 9.1.2", or "an unknown
// server".
func (s ServerInfo) String() string {
	if !s.Known() {
		if s.Version != "" {
			return "an unknown server " + s.Version
		}
		return "an unknown server"
	}
	if s.Version == "" {
		return s.Kind.String()
	}
	return s.Kind.String() + " " + s.Version
}

// accepts reports whether the server may accept a command for servers
// need: any command when either side is unknown (zero). It is the hot
// path's check, one comparison for the commands of every server.
func (s *ServerInfo) accepts(need Servers) bool {
	return need == 0 || s.Kind == 0 || need&s.Kind != 0
}

// partitionAccepted returns the items whose commands s accepts, in order,
// and passes each of the others to refuse. The first refused one is at
// index first: callers scan with accepts, the hot path's check, and come
// here only when it fails.
func partitionAccepted[T any](s *ServerInfo, items []T, first int, cmdOf func(T) *Command, refuse func(T)) []T {
	accepted := make([]T, first, len(items)-1)
	copy(accepted, items[:first])
	for _, it := range items[first:] {
		if s.accepts(cmdOf(it).meta.Servers) {
			accepted = append(accepted, it)
		} else {
			refuse(it)
		}
	}
	return accepted
}

// Check returns an *UnsupportedServerError when the server is known not to
// accept cmd as built (Meta.Servers excludes its kind), else nil.
func (s ServerInfo) Check(cmd *Command) error {
	if s.accepts(cmd.meta.Servers) {
		return nil
	}
	return &UnsupportedServerError{Command: cmd.Name(), Needs: cmd.meta.Servers, Server: s}
}

// UnsupportedServerError is a command refused before it was written: it
// was built with syntax (the command itself or an option) that only other
// servers accept (Meta.Servers), and the connection's handshake said which
// server it talks to. Nothing was sent; the other commands of its pipeline
// ran as usual.
type UnsupportedServerError struct {
	// Command is the command's name.
	Command string
	// Needs are the servers that accept the command as built.
	Needs Servers
	// Server is the server the connection talks to.
	Server ServerInfo
}

func (e *UnsupportedServerError) Error() string {
	return fmt.Sprintf("transport: %s as built is %s-only syntax; the server is %s (not sent)", e.Command, e.Needs, e.Server)
}

// serverFromHello reads the server's kind and version from a HELLO reply:
// a RESP3 map, or the flat array of key-value pairs of HELLO 2.
func serverFromHello(v resp.Value) ServerInfo {
	var s ServerInfo
	if v.Kind() != resp.KindMap && v.Kind() != resp.KindArray {
		return s
	}
	for k := v.First(); k.Valid(); k = k.Next().Next() {
		val := k.Next()
		switch k.Text() {
		case "server":
			switch val.Text() {
			case "redis":
				s.Kind = ServerRedis
			case "valkey":
				s.Kind = ServerValkey
			}
		case "version":
			s.Version = val.Text()
		}
	}
	return s
}
