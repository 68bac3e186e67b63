package redisclient

// This file holds Pipeline: commands queued together, written in one batch,
// each with a typed future.

import (
	"context"
	"sync"

	"github.com/redkit-go/redkit/redisclient/cmdimpl"
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
	d Doer
	*queued
	fs cmdimpl.FutureSlabs
}

// queued is the commands of a pipeline waiting for Exec, with their
// futures: storage borrowed from a pool while commands are queued, so
// that pipelines made for one batch each do not allocate it every time.
type queued struct {
	cmds []*transport.Command
	rs   []cmdimpl.Resolver
	// slabs hold the commands themselves; slab is the one in use.
	slabs []*transport.CommandSlab
	slab  int
}

var queuedPool = sync.Pool{New: func() any {
	return &queued{
		cmds:  make([]*transport.Command, 0, pipelineCap),
		rs:    make([]cmdimpl.Resolver, 0, pipelineCap),
		slabs: []*transport.CommandSlab{transport.NewCommandSlab(pipelineCap)},
	}
}}

// NewCommand is for generated Queue methods (cmdimpl.Queuer): it returns
// a command for the pipeline from its slabs.
func (p *Pipeline) NewCommand() *transport.Command {
	if p.queued == nil {
		p.queued = queuedPool.Get().(*queued)
	}
	q := p.queued
	for {
		if c := q.slabs[q.slab].Next(); c != nil {
			return c
		}
		q.slab++
		if q.slab == len(q.slabs) {
			q.slabs = append(q.slabs, transport.NewCommandSlab(pipelineCap))
		}
	}
}

// maxPooledQueued bounds the commands a pooled queued keeps room for.
const maxPooledQueued = 4096

// Futures is for generated Queue methods (cmdimpl.Queuer): the blocks the
// pipeline's futures come from.
func (p *Pipeline) Futures() *cmdimpl.FutureSlabs { return &p.fs }

// pipelineCap is the initial room for queued commands.
const pipelineCap = 128

// Pipeline returns an empty pipeline on the client.
func (c *Client) Pipeline() *Pipeline { return NewPipeline(c) }

// NewPipeline returns an empty pipeline on any Doer.
func NewPipeline(d Doer) *Pipeline { return &Pipeline{d: d} }

// Enqueue is for generated Queue methods (cmdimpl.Queuer): it adds cmd,
// which r resolves once the pipeline has run.
func (p *Pipeline) Enqueue(cmd *transport.Command, r cmdimpl.Resolver) {
	if p.queued == nil {
		p.queued = queuedPool.Get().(*queued)
	}
	p.cmds = append(p.cmds, cmd)
	p.rs = append(p.rs, r)
}

// Len returns the number of queued commands.
func (p *Pipeline) Len() int {
	if p.queued == nil {
		return 0
	}
	return len(p.cmds)
}

// Discard drops the queued commands; their futures report ErrNotExecuted.
func (p *Pipeline) Discard() {
	if p.queued == nil {
		return
	}
	for _, cmd := range p.cmds {
		cmd.Release()
	}
	p.reset()
}

// reset gives the queue's storage back to the pool. Its commands were
// released.
func (p *Pipeline) reset() {
	q := p.queued
	p.queued = nil
	clear(q.cmds)
	clear(q.rs)
	for _, s := range q.slabs[:q.slab+1] {
		s.Reset()
	}
	q.slab = 0
	if cap(q.cmds) > maxPooledQueued || cap(q.rs) > maxPooledQueued || len(q.slabs)*pipelineCap > maxPooledQueued {
		return
	}
	q.cmds, q.rs = q.cmds[:0], q.rs[:0]
	queuedPool.Put(q)
}

// Exec runs the queued commands and resolves their futures. It returns the
// first error among them (a transport or server error) for convenience;
// each future holds its own. Scripts that the server did not have (NOSCRIPT)
// run again with EVAL in a second round.
func (p *Pipeline) Exec(ctx context.Context) error {
	if p.Len() == 0 {
		return nil
	}
	defer p.reset()
	err := p.d.DoMulti(ctx, p.cmds)
	var retryCmds []*transport.Command
	var retryRs []cmdimpl.Resolver
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
func resolveWith(r cmdimpl.Resolver, cmd *transport.Command, batchErr error) {
	if batchErr != nil {
		r.Resolve(cmd, resp.Value{}, batchErr)
	} else {
		r.Resolve(cmd, cmd.Reply(), cmd.Err())
	}
	cmd.Release()
}

// futureErr returns a resolved future's error.
func futureErr(r cmdimpl.Resolver) error {
	if e, ok := r.(interface{ Err() error }); ok {
		return e.Err()
	}
	return nil
}
