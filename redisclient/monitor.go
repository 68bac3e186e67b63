package redisclient

// This file holds MONITOR: a stream of parsed entries (time, database,
// client address, command arguments) on a dedicated connection.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// DefaultMonitorBuffer is the number of entries a MonitorStream buffers.
const DefaultMonitorBuffer = 4096

// MonitorEntry is one command the server processed.
type MonitorEntry struct {
	Time time.Time
	DB   int
	// Client is the client's address ("127.0.0.1:6000", "unix:/path") or
	// "lua" for commands run by scripts.
	Client string
	Args   []string
}

// MonitorStream streams the commands a server processes. Entries that arrive
// while the buffer is full are dropped and counted: MONITOR is for
// watching, and a slow reader must not make the server buffer without
// bound.
type MonitorStream struct {
	c       *Client
	entries chan MonitorEntry
	conn    *transport.Conn
	dropped atomic.Uint64
	stop    chan struct{}
	once    sync.Once
	done    chan struct{}

	mu  sync.Mutex // protects err
	err error      // what ended the stream; the first cause wins
}

// Monitor starts MONITOR on a dedicated connection (of any node, in a
// cluster). The stream ends when ctx ends, Close is called, the client's
// Close is called, or the connection fails (see Err). On a closed client
// it fails with ErrClientClosed.
func (c *Client) Monitor(ctx context.Context) (*MonitorStream, error) {
	conn, err := c.DedicatedConn(ctx, -1)
	if err != nil {
		return nil, err
	}
	// MONITOR itself runs under the client's hooks; the stream after it
	// is not a command.
	err = Monitor().Do(ctx, c.Observe(conn))
	if err != nil {
		conn.Close()
		conn.Release()
		return nil, c.closedErr(err)
	}
	m := &MonitorStream{c: c, entries: make(chan MonitorEntry, DefaultMonitorBuffer), conn: conn, stop: make(chan struct{}), done: make(chan struct{})}
	if err := c.track(m); err != nil {
		// Close ran during the MONITOR round trip.
		conn.Close()
		conn.Release()
		return nil, err
	}
	stopCtx := context.AfterFunc(ctx, func() { m.Close() })
	go func() {
		defer stopCtx()
		m.read()
	}()
	return m, nil
}

// Entries returns the stream; it is closed when the monitor stops.
func (m *MonitorStream) Entries() <-chan MonitorEntry { return m.entries }

// Dropped returns how many entries were dropped because the buffer was
// full.
func (m *MonitorStream) Dropped() uint64 { return m.dropped.Load() }

// Err returns the error that ended the stream: nil after Close or the end
// of Monitor's context, ErrClientClosed after the client's Close, else
// what failed.
func (m *MonitorStream) Err() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.err
}

// setErr records what ended the stream, unless something did already.
func (m *MonitorStream) setErr(err error) {
	m.mu.Lock()
	if m.err == nil {
		m.err = err
	}
	m.mu.Unlock()
}

// Close stops the monitor, closes its connection and waits for its
// goroutine. It is idempotent.
func (m *MonitorStream) Close() error {
	m.close(nil)
	return nil
}

// closeByClient ends the stream for Client.Close.
func (m *MonitorStream) closeByClient() { m.close(ErrClientClosed) }

// close stops the stream, recording why (nil for Close and the context),
// and waits for its goroutine.
func (m *MonitorStream) close(why error) {
	m.once.Do(func() {
		if why != nil {
			m.setErr(why)
		}
		close(m.stop)
		m.conn.Close()
	})
	<-m.done
}

func (m *MonitorStream) read() {
	defer close(m.done)
	defer close(m.entries)
	defer m.conn.Release()
	defer m.c.untrack(m) // however the stream ended
	var r resp.Reply
	for {
		if err := m.conn.ReceiveAny(context.Background(), &r); err != nil {
			select {
			case <-m.stop:
			default:
				m.setErr(err)
			}
			return
		}
		e, err := ParseMonitorLine(r.Value().Text())
		if err != nil {
			m.setErr(err)
			m.conn.Close()
			return
		}
		select {
		case m.entries <- e:
		default:
			m.dropped.Add(1)
		}
	}
}

// ParseMonitorLine parses one MONITOR line:
//
//	1339518083.107412 [0 127.0.0.1:60866] "keys" "*"
func ParseMonitorLine(line string) (MonitorEntry, error) {
	var e MonitorEntry
	bad := func(why string) (MonitorEntry, error) {
		return MonitorEntry{}, fmt.Errorf("redisclient: MONITOR line %q: %s", line, why)
	}
	ts, rest, ok := strings.Cut(line, " ")
	if !ok {
		return bad("no timestamp")
	}
	sec, frac, _ := strings.Cut(ts, ".")
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return bad("bad timestamp")
	}
	var us int64
	if frac != "" {
		for len(frac) < 6 {
			frac += "0"
		}
		if us, err = strconv.ParseInt(frac[:6], 10, 64); err != nil {
			return bad("bad timestamp")
		}
	}
	e.Time = time.Unix(s, us*1000)
	if !strings.HasPrefix(rest, "[") {
		return bad("no [db client]")
	}
	// The header ends at the first "] ": the client may contain ']' (an
	// IPv6 address is written "[::1]:6379") but no space.
	end := strings.Index(rest, "] ")
	if end < 0 {
		if !strings.HasSuffix(rest, "]") {
			return bad("no [db client]")
		}
		end = len(rest) - 1 // no arguments
	}
	db, client, _ := strings.Cut(rest[1:end], " ")
	if e.DB, err = strconv.Atoi(db); err != nil {
		return bad("bad database")
	}
	e.Client = client
	args := strings.TrimSpace(rest[end+1:])
	for args != "" {
		if args[0] != '"' {
			return bad("argument not quoted")
		}
		a, n, err := unquote(args, true)
		if err != nil {
			return bad(err.Error())
		}
		e.Args = append(e.Args, a)
		args = strings.TrimLeft(args[n:], " ")
	}
	return e, nil
}
