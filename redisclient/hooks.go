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
	// DoCached misses, and each (un)subscribe command a Subscriber sends
	// for its caller (done once the server confirmed it, with the
	// server's refusal as the error; resubscriptions after a reconnection
	// are not observed). It returns the context to send them with (one
	// that carries a span, say) and a function called once when they are
	// done, with the error of the call: nil when the replies arrived (a
	// command's own error reply is in its Reply). The commands may be read
	// until that function returns, and must not be kept or changed.
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
