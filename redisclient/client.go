package redisclient

// This file holds Client, which runs typed commands on a router: a single
// server (a transport.Node), a cluster or a sentinel group.

import (
	"context"
	"errors"
	"fmt"
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

	// closed is set by Close; every command checks it, so it is atomic
	// rather than behind a mutex.
	closed atomic.Bool
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

// ErrClientClosed is returned by calls on a closed client. It matches
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
	return c.observedDoMulti(ctx, c.router, cmds)
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

// Ping checks that the server answers.
func (c *Client) Ping(ctx context.Context) error {
	_, err := Ping().Do(ctx, c)
	return err
}

// DedicatedConn returns a connection for exclusive use, to the node serving
// slot (negative: any). Release it with Conn.Release.
func (c *Client) DedicatedConn(ctx context.Context, slot int) (*transport.Conn, error) {
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	conn, err := c.router.DedicatedConn(ctx, slot)
	if err != nil && errors.Is(err, transport.ErrClosed) && c.closed.Load() {
		return nil, ErrClientClosed // Close ran meanwhile
	}
	return conn, err
}

// Close stops the client: commands waiting to be sent fail, commands in
// flight get Options.CloseTimeout to finish, and every connection closes.
func (c *Client) Close() error {
	if c.closed.Swap(true) {
		return nil
	}
	if err := c.router.Close(); err != nil {
		return fmt.Errorf("redisclient: close: %w", err)
	}
	return nil
}
