package redisclient

// This file is part of the client layer: hooks that observe the commands a
// client sends, for metrics and tracing without a telemetry dependency.

import (
	"context"

	"github.com/redkit-go/redkit/transport"
)

// Hook observes the commands a client sends: count them, time them, or
// open a tracing span around them (an OpenTelemetry span, say), without
// redkit depending on a telemetry library. Hooks must be safe for
// concurrent use.
type Hook interface {
	// Start is called before cmds go out: one command for Do, the whole
	// batch for a pipeline or a transaction (MULTI and EXEC included),
	// each command that Watch sends on its connection, the fetches of
	// DoCached misses, the MONITOR that Monitor sends (not the stream
	// after it), and the SUBSCRIBE, UNSUBSCRIBE and kin that a
	// Subscriber's calls (Subscribe, Unsubscribe, Close, ...) send, one per
	// connection. It returns the context to send them with (one that
	// carries a span, say) and a function called once when they are done,
	// with the error of the call: nil when the replies arrived (a
	// command's own error reply is in its Reply; a Subscriber's command is
	// done when the server confirmed every name, and a refusal is its
	// error). A Subscriber's resubscription after a reconnect and its
	// health-check PINGs are not observed. The commands may be read until
	// that function returns, and must not be kept or changed.
	Start(ctx context.Context, cmds []*transport.Command) (context.Context, func(err error))
}

// HookFunc adapts a function to Hook.
type HookFunc func(ctx context.Context, cmds []*transport.Command) (context.Context, func(err error))

// Start calls f.
func (f HookFunc) Start(ctx context.Context, cmds []*transport.Command) (context.Context, func(err error)) {
	return f(ctx, cmds)
}

// observed runs send for cmds under the client's hooks: the first hook
// is the outermost, and its done function runs last.
func (c *Client) observed(ctx context.Context, cmds []*transport.Command, send func(context.Context) error) error {
	hooks := c.opts.Hooks
	if len(hooks) == 0 {
		return send(ctx)
	}
	var stack [4]func(error)
	dones := stack[:0]
	for _, h := range hooks {
		var done func(error)
		ctx, done = h.Start(ctx, cmds)
		dones = append(dones, done)
	}
	err := send(ctx)
	for i := len(dones) - 1; i >= 0; i-- {
		if dones[i] != nil {
			dones[i](err)
		}
	}
	return err
}

// observedDo runs one command on d under the client's hooks.
func (c *Client) observedDo(ctx context.Context, d transport.Doer, cmd *transport.Command) error {
	if len(c.opts.Hooks) == 0 {
		return d.Do(ctx, cmd)
	}
	return c.observed(ctx, []*transport.Command{cmd}, func(ctx context.Context) error { return d.Do(ctx, cmd) })
}

// observedDoMulti runs commands on d under the client's hooks.
func (c *Client) observedDoMulti(ctx context.Context, d transport.Doer, cmds []*transport.Command) error {
	if len(c.opts.Hooks) == 0 {
		return d.DoMulti(ctx, cmds)
	}
	return c.observed(ctx, cmds, func(ctx context.Context) error { return d.DoMulti(ctx, cmds) })
}

// Observe returns a Doer that runs commands on d under the client's hooks,
// as the client's own commands run. d is typically a connection from
// DedicatedConn: the escape hatch is not observed otherwise, so that a
// command sent on it reaches tracing and metrics only through Observe.
func (c *Client) Observe(d transport.Doer) Doer {
	return observedDoer{c: c, d: d}
}

// observedDoer is the Doer of Observe.
type observedDoer struct {
	c *Client
	d transport.Doer
}

// Do runs cmd on the Doer under the hooks.
func (o observedDoer) Do(ctx context.Context, cmd *transport.Command) error {
	return o.c.observedDo(ctx, o.d, cmd)
}

// DoMulti runs cmds on the Doer under the hooks.
func (o observedDoer) DoMulti(ctx context.Context, cmds []*transport.Command) error {
	return o.c.observedDoMulti(ctx, o.d, cmds)
}
