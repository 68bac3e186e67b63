package redisclient

// This file holds Pipeline: commands queued together, written in one batch,
// each with a typed future.

import (
	"context"

	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// Pipeline collects commands and runs them together. Each queued command
// returns a typed future; one failing command does not fail the others.
// A Pipeline is for one goroutine; it can be executed again after Exec.
//
//	p := c.Pipeline()
//	hits := redisclient.Incr("hits").Queue(p)
//	name := redisclient.Get("user:1").Queue(p)
//	err := p.Exec(ctx)
//	n := hits.Val()
type Pipeline struct {
	d    Doer
	cmds []*transport.Command
	rs   []resolver
	fs   futureSlabs
}

func (p *Pipeline) futures() *futureSlabs { return &p.fs }

// pipelineCap is a new pipeline's initial capacity.
const pipelineCap = 64

// Pipeline returns an empty pipeline on the client.
func (c *Client) Pipeline() *Pipeline { return NewPipeline(c) }

// NewPipeline returns an empty pipeline on any Doer.
func NewPipeline(d Doer) *Pipeline {
	return &Pipeline{d: d, cmds: make([]*transport.Command, 0, pipelineCap), rs: make([]resolver, 0, pipelineCap)}
}

func (p *Pipeline) enqueue(cmd *transport.Command, r resolver) {
	p.cmds = append(p.cmds, cmd)
	p.rs = append(p.rs, r)
}

// Len returns the number of queued commands.
func (p *Pipeline) Len() int { return len(p.cmds) }

// Discard drops the queued commands; their futures report ErrNotExecuted.
func (p *Pipeline) Discard() {
	for _, cmd := range p.cmds {
		cmd.Release()
	}
	p.reset()
}

func (p *Pipeline) reset() {
	clear(p.cmds)
	clear(p.rs)
	p.cmds, p.rs = p.cmds[:0], p.rs[:0]
}

// Exec runs the queued commands and resolves their futures. It returns the
// first error among them (a transport or server error) for convenience;
// each future holds its own. Scripts that the server did not have (NOSCRIPT)
// run again with EVAL in a second round.
func (p *Pipeline) Exec(ctx context.Context) error {
	if len(p.cmds) == 0 {
		return nil
	}
	defer p.reset()
	err := p.d.DoMulti(ctx, p.cmds)
	var retryCmds []*transport.Command
	var retryRs []resolver
	for i, cmd := range p.cmds {
		r := p.rs[i]
		if err == nil && cmd.Err() == nil {
			if fb, ok := r.(fallbacker); ok {
				if rc := fb.fallback(cmd.Reply()); rc != nil {
					retryCmds, retryRs = append(retryCmds, rc), append(retryRs, r)
					cmd.Release()
					continue
				}
			}
		}
		resolveWith(r, cmd, err)
	}
	if len(retryCmds) > 0 {
		rerr := p.d.DoMulti(ctx, retryCmds)
		for i, cmd := range retryCmds {
			resolveWith(retryRs[i], cmd, rerr)
		}
	}
	for _, r := range p.rs {
		if e := futureErr(r); e != nil {
			return e
		}
	}
	return nil
}

// resolveWith resolves r with cmd's outcome (or the batch's error) and
// releases cmd.
func resolveWith(r resolver, cmd *transport.Command, batchErr error) {
	if batchErr != nil {
		r.resolve(cmd.Name(), resp.Value{}, batchErr)
	} else {
		r.resolve(cmd.Name(), cmd.Reply(), cmd.Err())
	}
	cmd.Release()
}

// futureErr returns a resolved future's error.
func futureErr(r resolver) error {
	if e, ok := r.(interface{ Err() error }); ok {
		return e.Err()
	}
	return nil
}
