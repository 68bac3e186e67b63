package transport

// This file defines connection events and the default reconnect strategy.

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"time"
)

// EventType says what happened to a node's connections.
type EventType int

// Event types.
const (
	// EventConnect: a network connection was established.
	EventConnect EventType = iota + 1
	// EventReady: the handshake completed; the connection carries commands.
	EventReady
	// EventError: dialing, the handshake or a connection failed.
	EventError
	// EventClose: a connection closed.
	EventClose
	// EventReconnecting: a new attempt follows after Delay.
	EventReconnecting
	// EventEnd: the node stopped for good (closed, or the reconnect
	// strategy gave up).
	EventEnd
)

var eventNames = [...]string{"", "connect", "ready", "error", "close", "reconnecting", "end"}

func (t EventType) String() string {
	if t > 0 && int(t) < len(eventNames) {
		return eventNames[t]
	}
	return "unknown"
}

// Event is one connection event of a node.
type Event struct {
	Type    EventType
	Addr    string
	Err     error
	Attempt int
	Delay   time.Duration
}

// ReconnectStrategy decides, after the attempt-th failed connection
// attempt in a row (starting at 1) with error err, how long to wait before
// the next one, or that the node should give up.
type ReconnectStrategy func(attempt int, err error) (delay time.Duration, retry bool)

// Defaults of the exponential backoff.
const (
	DefaultBackoffBase = 50 * time.Millisecond
	DefaultBackoffMax  = 2 * time.Second
)

// ExponentialBackoff returns a strategy that waits base*2^(attempt-1),
// capped at max, with full jitter, and never gives up.
func ExponentialBackoff(base, max time.Duration) ReconnectStrategy {
	return func(attempt int, _ error) (time.Duration, bool) {
		d := max
		if attempt < 32 {
			if e := base << (attempt - 1); e > 0 && e < max {
				d = e
			}
		}
		// Full jitter, but at least half the step so attempts spread out
		// without hammering the server.
		return d/2 + rand.N(d/2+1), true
	}
}

// emit reports an event to the callback and the logger.
func (n *Node) emit(ev Event) {
	ev.Addr = n.cfg.Dial.Addr
	if n.cfg.OnEvent != nil {
		n.cfg.OnEvent(ev)
	}
	if l := n.cfg.Logger; l != nil {
		level := slog.LevelInfo
		switch ev.Type {
		case EventError:
			level = slog.LevelError
		case EventReconnecting:
			level = slog.LevelWarn
		case EventConnect:
			level = slog.LevelDebug
		}
		attrs := []slog.Attr{slog.String("addr", ev.Addr)}
		if ev.Err != nil {
			attrs = append(attrs, slog.String("error", ev.Err.Error()))
		}
		if ev.Type == EventReconnecting {
			attrs = append(attrs, slog.Int("attempt", ev.Attempt), slog.Duration("delay", ev.Delay))
		}
		l.LogAttrs(context.Background(), level, "redkit: "+ev.Type.String(), attrs...)
	}
}
