package redisclient

// This file holds Client, which runs typed commands on a router: a single
// server (a transport.Node), a cluster or a sentinel group.

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/redkit-go/redkit/transport"
)

// Client runs commands. It is safe for concurrent use; create one per
// application and share it. It implements Doer, so every command value
// runs on it: redisclient.Get("k").Do(ctx, client).
type Client struct {
	opts   Options
	router transport.Router
	desc   string
	cache  *clientCache // nil without Options.Cache

	// closed is set by Close (holding mu); every command checks it, so it
	// is atomic rather than read behind the mutex.
	closed atomic.Bool
	// pubsubDropped counts the messages its subscribers dropped.
	pubsubDropped atomic.Uint64

	mu      sync.Mutex // protects following fields
	streams map[stream]struct{}
	ended   chan struct{} // closed when Close has finished
}

// stream is what the client hands out that holds connections and
// goroutines of its own (a Subscriber, a MonitorStream): Close ends it.
type stream interface {
	// closeByClient ends the stream for Close and waits for its
	// goroutines; later calls on it return errors matching
	// ErrClientClosed.
	closeByClient()
}

// New returns a client for one server. It connects in the background;
// commands issued meanwhile wait (within their contexts) in the offline
// queue.
func New(opts Options) (*Client, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	cfg, cache := opts.cachedNodeConfig()
	c := NewWithRouter(transport.NewNode(cfg), opts)
	c.cache = cache
	return c, nil
}

// NewFromURL returns a client for the server a URL names (see ParseURL).
func NewFromURL(rawURL string) (*Client, error) {
	opts, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	return New(opts)
}

// NewWithRouter returns a client on top of a router (a cluster or sentinel
// router, or a custom one). The client's options that concern commands (key
// prefix, watch retries) apply; connection options belong to the router.
func NewWithRouter(r transport.Router, opts Options) *Client {
	return &Client{opts: opts, router: r, desc: opts.String()}
}

// String describes the client without secrets.
func (c *Client) String() string { return "redisclient.Client(" + c.desc + ")" }

// Router returns the router underneath: the escape hatch to the transport.
func (c *Client) Router() transport.Router { return c.router }

// ErrClientClosed is returned by calls on a closed client and on the
// subscribers and MONITOR streams its Close ended. It matches
// transport.ErrClosed (errors.Is), which commands that Close interrupted
// return, so that one check covers both.
var ErrClientClosed error = &closedError{msg: "redisclient: client closed", matches: []error{transport.ErrClosed}}

// closedError is a closed-object error that also matches the errors of
// what closed it.
type closedError struct {
	msg     string
	matches []error
}

func (e *closedError) Error() string   { return e.msg }
func (e *closedError) Unwrap() []error { return e.matches }

func (c *Client) checkOpen() error {
	if c.closed.Load() {
		return ErrClientClosed
	}
	return nil
}

// track registers a stream for Close to end. It fails with ErrClientClosed
// once Close has started: the caller then ends the stream itself.
func (c *Client) track(s stream) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed.Load() {
		return ErrClientClosed
	}
	if c.streams == nil {
		c.streams = map[stream]struct{}{}
	}
	c.streams[s] = struct{}{}
	return nil
}

// untrack forgets a stream closed on its own.
func (c *Client) untrack(s stream) {
	c.mu.Lock()
	delete(c.streams, s)
	c.mu.Unlock()
}

// prepare applies the client's key prefix to a command.
func (c *Client) prepare(cmd *transport.Command) {
	if c.opts.KeyPrefix != "" {
		cmd.SetKeyPrefix(c.opts.KeyPrefix)
	}
}

// Do runs one transport-level command (Doer).
func (c *Client) Do(ctx context.Context, cmd *transport.Command) error {
	if err := c.checkOpen(); err != nil {
		return err
	}
	c.prepare(cmd)
	if c.cache != nil {
		return c.send(ctx, c.router, cmd)
	}
	return c.observedDo(ctx, c.router, cmd)
}

// DoMulti runs commands as one pipeline (Doer).
func (c *Client) DoMulti(ctx context.Context, cmds []*transport.Command) error {
	if err := c.checkOpen(); err != nil {
		return err
	}
	for _, cmd := range cmds {
		c.prepare(cmd)
	}
	if c.cache != nil {
		return c.sendMulti(ctx, c.router, cmds)
	}
	return c.observedDoMulti(ctx, c.router, cmds)
}

// send runs one prepared command on d under the client's hooks; with a
// cache, the cached replies of the keys it may write are dropped before it
// is sent and again when it is done, so that the client reads its own
// writes (see clientCache.dropWritten).
func (c *Client) send(ctx context.Context, d transport.Doer, cmd *transport.Command) error {
	if c.cache == nil || !c.cache.dropWritten([]*transport.Command{cmd}) {
		return c.observedDo(ctx, d, cmd)
	}
	err := c.observedDo(ctx, d, cmd)
	c.cache.dropWritten([]*transport.Command{cmd})
	return err
}

// sendMulti is send for a batch of prepared commands.
func (c *Client) sendMulti(ctx context.Context, d transport.Doer, cmds []*transport.Command) error {
	if c.cache == nil || !c.cache.dropWritten(cmds) {
		return c.observedDoMulti(ctx, d, cmds)
	}
	err := c.observedDoMulti(ctx, d, cmds)
	c.cache.dropWritten(cmds)
	return err
}

// Ready waits until the client has a connection up. It returns the error
// of the first connection attempt that fails meanwhile, or ctx's error; a
// router that cannot tell (a custom one) is checked with PING.
func (c *Client) Ready(ctx context.Context) error {
	if err := c.checkOpen(); err != nil {
		return err
	}
	if r, ok := c.router.(interface{ Ready(context.Context) error }); ok {
		return r.Ready(ctx)
	}
	return c.Ping(ctx)
}

// Server returns the server the client talks to: its kind (Redis or
// Valkey) and version, as the handshake's HELLO reply named them; for a
// cluster, its first connected node's (each node's own:
// cluster.Router.Nodes), for a sentinel group, the node in use's. It does
// not wait: it is known once Ready returned, and the zero ServerInfo
// (unknown) before, for servers that do not answer HELLO (before Redis 6)
// and for custom routers without a Server method.
//
// A command built with syntax that the connected server does not accept
// (an option or command of the other server, see each builder's
// documentation) fails with *transport.UnsupportedServerError and is not
// sent; with an unknown server, every command is sent.
func (c *Client) Server() transport.ServerInfo {
	if r, ok := c.router.(interface{ Server() transport.ServerInfo }); ok {
		return r.Server()
	}
	return transport.ServerInfo{}
}

// Ping checks that the server answers.
func (c *Client) Ping(ctx context.Context) error {
	_, err := Ping().Do(ctx, c)
	return err
}

// DedicatedConn returns a connection for exclusive use, to the node serving
// slot (negative: any). Release it with Conn.Release. The connection is
// the caller's: Close does not end it, and it closes when it is released
// after Close.
func (c *Client) DedicatedConn(ctx context.Context, slot int) (*transport.Conn, error) {
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	conn, err := c.router.DedicatedConn(ctx, slot)
	return conn, c.closedErr(err)
}

// closedErr turns a transport error caused by the client's Close running
// meanwhile into ErrClientClosed.
func (c *Client) closedErr(err error) error {
	if err != nil && errors.Is(err, transport.ErrClosed) && c.closed.Load() {
		return ErrClientClosed
	}
	return err
}

// Close stops the client and what it handed out. Subscribers and MONITOR
// streams end first: their Messages and Entries channels close, their
// goroutines exit and their connections close before Close returns.
// Then commands waiting to be sent fail with transport.ErrClosed, commands
// in flight get Options.CloseTimeout to finish, and every connection
// closes.
//
// Afterwards, calls on the client and on its subscribers return errors
// matching ErrClientClosed (and transport.ErrClosed); a subscriber's also
// match ErrSubscriberClosed. A monitor's Err is ErrClientClosed.
// NewSubscriber returns a closed subscriber and Monitor fails, without
// connecting. Scan iterators yield the error on their next page. A Watch
// in progress runs nothing more: its function's commands fail, and its
// connection closes when it returns. Connections from DedicatedConn are
// the caller's, and close when released.
//
// Close is idempotent: later calls wait for the first to finish and
// return nil. It must not be called from a Subscriber's OnMessage
// callback, which it waits for.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed.Load() {
		ended := c.ended
		c.mu.Unlock()
		<-ended
		return nil
	}
	c.closed.Store(true)
	c.ended = make(chan struct{})
	defer close(c.ended)
	streams := c.streams
	c.streams = nil
	c.mu.Unlock()
	for s := range streams {
		s.closeByClient()
	}
	if err := c.router.Close(); err != nil {
		return fmt.Errorf("redisclient: close: %w", err)
	}
	return nil
}
