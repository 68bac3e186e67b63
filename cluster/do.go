package cluster

// This file routes commands: by slot with redirects followed, split per
// slot for multi-key commands, fanned out to every node or shard for
// keyless commands whose tips say so, and pipelines grouped per node.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// CrossSlotError is returned, before anything is sent, for a command
// whose keys hash to several slots and that cannot be split.
type CrossSlotError struct{ Command string }

func (e *CrossSlotError) Error() string {
	return fmt.Sprintf("cluster: %s: keys in several hash slots (use keys with one {hash tag})", e.Command)
}

// Do runs one command (transport.Doer).
func (r *Router) Do(ctx context.Context, cmd *transport.Command) error {
	if err := r.Ready(ctx); err != nil {
		return err
	}
	meta := cmd.Meta()
	slot, hasKey := cmd.Slot()
	switch {
	case hasKey && meta.Flags&transport.FlagCrossSlot != 0:
		if meta.Request == transport.RequestMultiShard {
			return r.doSplit(ctx, cmd)
		}
		return &CrossSlotError{Command: cmd.Name()}
	case hasKey:
		return r.doSlot(ctx, cmd, int(slot))
	case fansOut(meta):
		return r.doFanOut(ctx, cmd, meta.Request == transport.RequestAllNodes)
	}
	n, err := r.randomMaster()
	if err != nil {
		return err
	}
	return r.doOn(ctx, cmd, n, anyMaster)
}

// doSlot runs a command on the node serving slot, waiting for the
// topology while no node serves it.
func (r *Router) doSlot(ctx context.Context, cmd *transport.Command, slot int) error {
	n, err := r.awaitNode(ctx, slot, cmd.Flags()&transport.FlagReadOnly != 0)
	if err != nil {
		return err
	}
	return r.doOn(ctx, cmd, n, route{slot: slot})
}

// route says where a command goes, and so where it goes again after a
// retry: the node serving slot (a replica for read-only commands, as the
// read policy says), or any master when slot is negative; master sends
// even read-only commands to the slot's master (a fan-out's part for one
// shard).
type route struct {
	slot   int
	master bool
}

// anyMaster is the route of keyless commands.
var anyMaster = route{slot: -1}

// nodeOf returns the node rt leads to for cmd now.
func (r *Router) nodeOf(rt route, cmd *transport.Command) (*node, error) {
	return r.nodeFor(rt.slot, !rt.master && cmd.Flags()&transport.FlagReadOnly != 0)
}

// askingArgs is the ASKING command sent before a command redirected by ASK.
var askingArgs = []transport.Arg{transport.String("ASKING")}

// doOn runs cmd on n, following redirections; rt says where it goes again
// after a retry or a READONLY reply.
func (r *Router) doOn(ctx context.Context, cmd *transport.Command, n *node, rt route) error {
	asking := false
	backoff := r.cfg.RetryBackoff
	for attempt := 0; ; attempt++ {
		var err error
		if asking {
			ask := transport.NewCommand(transport.Meta{}, askingArgs...)
			err = n.n.DoMulti(ctx, []*transport.Command{ask, cmd})
			ask.Release()
			if err == nil {
				err = cmd.Err()
			}
		} else {
			err = n.n.Do(ctx, cmd)
		}
		if err != nil {
			if unsent(err) && attempt < r.cfg.MaxRedirects && ctx.Err() == nil {
				// The node left the topology (a failover, a reshard) while
				// the command waited in its queue: send it where the slot
				// (or, keyless, any master) is now.
				if m := r.rerouteTarget(rt, cmd, n); m != nil {
					n, asking = m, false
					continue
				}
			}
			if isConnectionError(err) {
				r.triggerRefresh()
			}
			return &NodeError{Addr: n.n.Addr(), Err: err}
		}
		re, isErr := cmd.Reply().ErrorReply()
		if !isErr {
			return nil
		}
		redirect, isRedirect := resp.ParseRedirect(re)
		isDemoted := re.Prefix() == "READONLY" && !r.isReplica(n)
		if !isRedirect && !retryable(re) && !isDemoted {
			return nil // an ordinary error reply: the caller decodes it
		}
		if attempt >= r.cfg.MaxRedirects {
			return &NodeError{Addr: n.n.Addr(), Err: fmt.Errorf("gave up after %d redirects or retries: %w", attempt, re)}
		}
		switch {
		case isRedirect && redirect.Ask:
			if n = r.askTarget(r.cfg.mapAddr(redirect.Addr)); n == nil {
				return transport.ErrClosed
			}
			asking = true
		case isRedirect:
			r.triggerRefresh()
			if n = r.moved(redirect.Slot, r.cfg.mapAddr(redirect.Addr)); n == nil {
				return transport.ErrClosed
			}
			asking = false
		case isDemoted:
			// n, taken for a master, is a replica now (a failover the
			// topology does not show yet, or its previous owner kept for
			// slots a refresh reported without a node): it refused the
			// command without running it. Reload the topology and send
			// the command where rt leads now.
			if err := r.awaitRefresh(ctx, r.refreshCount()); err != nil {
				return err
			}
			m, err := r.nodeOf(rt, cmd)
			if err != nil {
				return err
			}
			n, asking = m, false
		default:
			// TRYAGAIN (a migrating multi-key command), CLUSTERDOWN or
			// LOADING: wait and retry, on the slot's current node.
			if re.Prefix() == "CLUSTERDOWN" {
				r.triggerRefresh()
			}
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
				return ctx.Err()
			}
			backoff = min(2*backoff, time.Second)
			if rt.slot >= 0 && !asking {
				if m, err := r.nodeOf(rt, cmd); err == nil {
					n = m
				}
			}
		}
	}
}

// rerouteTarget returns where to send again a command that old never
// sent because it closed: where rt leads now, or nil when that is old
// itself or the router is closed.
func (r *Router) rerouteTarget(rt route, cmd *transport.Command, old *node) *node {
	n, err := r.nodeOf(rt, cmd)
	if err != nil || n == old {
		return nil
	}
	return n
}

// keyGroup is the arguments of one slot of a split command.
type keyGroup struct {
	slot uint16
	args []transport.Arg
	// positions are the indexes of the group's keys among all keys.
	positions []int
}

// splitBySlot groups a multi-key command's keys by slot. Each key keeps
// the arguments that follow it up to the next key (MSET's values).
func splitBySlot(cmd *transport.Command) (head []transport.Arg, groups []*keyGroup) {
	args := cmd.Args()
	i := 0
	for i < len(args) && !args[i].IsKey() {
		i++
	}
	head = args[:i]
	bySlot := map[uint16]*keyGroup{}
	k := 0
	for i < len(args) {
		j := i + 1
		for j < len(args) && !args[j].IsKey() {
			j++
		}
		s := transport.SlotWithPrefix(cmd.KeyPrefix(), args[i].Text())
		g, ok := bySlot[s]
		if !ok {
			g = &keyGroup{slot: s}
			bySlot[s] = g
			groups = append(groups, g)
		}
		g.args = append(g.args, args[i:j]...)
		g.positions = append(g.positions, k)
		k++
		i = j
	}
	return head, groups
}

// doSplit runs a multi-key command whose keys span slots as one command
// per slot, concurrently, and merges the replies into cmd's reply: arrays
// in key order (MGET), sums (DEL, EXISTS, TOUCH, UNLINK), or OK when all
// succeeded (MSET).
func (r *Router) doSplit(ctx context.Context, cmd *transport.Command) error {
	head, groups := splitBySlot(cmd)
	subs := make([]*transport.Command, len(groups))
	for i, g := range groups {
		sub := transport.AcquireCommand()
		meta := cmd.Meta()
		meta.Flags &^= transport.FlagCrossSlot
		sub.SetMeta(meta)
		sub.SetKeyPrefix(cmd.KeyPrefix())
		for _, a := range head {
			sub.Append(a)
		}
		for _, a := range g.args {
			sub.Append(a)
		}
		subs[i] = sub
	}
	defer func() {
		for _, s := range subs {
			s.Release()
		}
	}()
	errs := inParallel(len(subs), func(i int) error { return r.doSlot(ctx, subs[i], int(groups[i].slot)) })
	if err := errors.Join(errs...); err != nil {
		return err
	}
	total := 0
	for _, g := range groups {
		total += len(g.positions)
	}
	merged, err := mergeSplit(cmd.Meta().Response, subs, groups, total)
	if err != nil {
		return err
	}
	return setReply(cmd, merged)
}

// mergeSplit combines the replies of a split command.
func mergeSplit(policy transport.ResponsePolicy, subs []*transport.Command, groups []*keyGroup, keys int) (resp.Message, error) {
	for _, s := range subs {
		if err := s.Reply().Err(); err != nil {
			return s.Reply().Message(), nil // the first error reply wins
		}
	}
	switch policy {
	case transport.ResponseAggSum:
		var sum int64
		for _, s := range subs {
			sum += s.Reply().Int()
		}
		return resp.Message{Kind: resp.KindInteger, Int: sum}, nil
	case transport.ResponseAllSucceeded:
		return subs[0].Reply().Message(), nil
	}
	// Arrays, one element per key, back in the caller's key order.
	out := make([]resp.Message, keys)
	for i, s := range subs {
		v := s.Reply()
		if v.Len() != len(groups[i].positions) {
			return resp.Message{}, fmt.Errorf("cluster: split %s: %d replies for %d keys", s.Name(), v.Len(), len(groups[i].positions))
		}
		j := 0
		for x := v.First(); x.Valid(); x = x.Next() {
			out[groups[i].positions[j]] = x.Message()
			j++
		}
	}
	return resp.Message{Kind: resp.KindArray, Elems: out}, nil
}

// setReply stores a composed reply in cmd.
func setReply(cmd *transport.Command, m resp.Message) error {
	b := resp.AppendMessage(nil, m, 3)
	return resp.NewReader(&sliceReader{b: b}, len(b)+16, resp.Limits{}).ReadReply(cmd.ReplyStorage())
}

// sliceReader reads a byte slice once.
type sliceReader struct{ b []byte }

func (s *sliceReader) Read(p []byte) (int, error) {
	if len(s.b) == 0 {
		return 0, errors.New("cluster: end of composed reply")
	}
	n := copy(p, s.b)
	s.b = s.b[n:]
	return n, nil
}

// target is one node a fan-out reaches, and the route of its part.
type target struct {
	n  *node
	rt route
}

// targets returns the nodes a fan-out reaches: every master (each part
// routed to its shard's master, by the shard's first slot), and with
// allNodes every replica too.
func (r *Router) targets(allNodes bool) []target {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []target
	for _, sh := range r.shards {
		rt := anyMaster
		if len(sh.info.Slots) > 0 {
			rt = route{slot: sh.info.Slots[0], master: true}
		}
		out = append(out, target{sh.master, rt})
		if !allNodes {
			continue
		}
		for _, n := range sh.replicas {
			// A replica the cluster reports failed would fail the whole
			// command; one that is loading still takes it.
			if n.info.Healthy || n.n.Connected() {
				out = append(out, target{n, anyMaster})
			}
		}
	}
	return out
}

// doFanOut runs a keyless command on every master (or node) and combines
// the replies as the command's response policy says. While slots without
// a node await confirmation it waits, as doSlot does, so that no shard is
// left out.
func (r *Router) doFanOut(ctx context.Context, cmd *transport.Command, allNodes bool) error {
	if err := r.awaitCoverage(ctx); err != nil {
		return err
	}
	nodes := r.targets(allNodes)
	if len(nodes) == 0 {
		return ErrNoTopology
	}
	subs := make([]*transport.Command, len(nodes))
	for i := range nodes {
		sub := transport.AcquireCommand()
		sub.SetMeta(cmd.Meta())
		for _, a := range cmd.Args() {
			sub.Append(a)
		}
		subs[i] = sub
	}
	defer func() {
		for _, s := range subs {
			s.Release()
		}
	}()
	errs := inParallel(len(nodes), func(i int) error { return r.doOn(ctx, subs[i], nodes[i].n, nodes[i].rt) })
	policy := cmd.Meta().Response
	if policy == transport.ResponseOneSucceeded {
		for i := range subs {
			if errs[i] == nil && subs[i].Reply().Err() == nil {
				return setReply(cmd, subs[i].Reply().Message())
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, s := range subs {
		if s.Reply().Err() != nil {
			return setReply(cmd, s.Reply().Message())
		}
	}
	return setReply(cmd, aggregate(policy, subs))
}

// aggregate combines fan-out replies. The agg_* policies combine integer
// replies, or arrays of integers element by element (SCRIPT EXISTS: a
// script exists when every node has it).
func aggregate(policy transport.ResponsePolicy, subs []*transport.Command) resp.Message {
	switch policy {
	case transport.ResponseAggSum, transport.ResponseAggMin, transport.ResponseAggMax,
		transport.ResponseAggLogicalAnd, transport.ResponseAggLogicalOr:
		replies := make([]resp.Message, len(subs))
		for i, s := range subs {
			replies[i] = s.Reply().Message()
		}
		return aggregateMessages(policy, replies)
	case transport.ResponseAllSucceeded, transport.ResponseOneSucceeded:
		return subs[0].Reply().Message()
	}
	// No policy: concatenate arrays (KEYS, SLOWLOG GET), else the first.
	first := subs[0].Reply()
	if first.Kind() != resp.KindArray && first.Kind() != resp.KindSet {
		return first.Message()
	}
	var elems []resp.Message
	for _, s := range subs {
		for x := s.Reply().First(); x.Valid(); x = x.Next() {
			elems = append(elems, x.Message())
		}
	}
	return resp.Message{Kind: resp.KindArray, Elems: elems}
}

// aggregateMessages combines integer replies, or arrays of them element
// by element, by an agg_* policy.
func aggregateMessages(policy transport.ResponsePolicy, replies []resp.Message) resp.Message {
	first := replies[0]
	if first.Kind == resp.KindArray || first.Kind == resp.KindSet {
		out := resp.Message{Kind: resp.KindArray, Elems: make([]resp.Message, len(first.Elems))}
		column := make([]resp.Message, len(replies))
		for i := range first.Elems {
			for j, m := range replies {
				if i < len(m.Elems) {
					column[j] = m.Elems[i]
				} else {
					column[j] = resp.Message{Kind: resp.KindInteger}
				}
			}
			out.Elems[i] = aggregateMessages(policy, column)
		}
		return out
	}
	intOf := func(m resp.Message) int64 {
		if m.Kind == resp.KindBoolean && m.Bool {
			return 1
		}
		return m.Int
	}
	acc := intOf(first)
	for _, m := range replies[1:] {
		v := intOf(m)
		switch policy {
		case transport.ResponseAggSum:
			acc += v
		case transport.ResponseAggMin:
			acc = min(acc, v)
		case transport.ResponseAggMax:
			acc = max(acc, v)
		case transport.ResponseAggLogicalAnd:
			if acc != 0 && v != 0 {
				acc = 1
			} else {
				acc = 0
			}
		case transport.ResponseAggLogicalOr:
			if acc != 0 || v != 0 {
				acc = 1
			} else {
				acc = 0
			}
		}
	}
	if policy == transport.ResponseAggLogicalAnd || policy == transport.ResponseAggLogicalOr {
		if acc != 0 {
			acc = 1
		}
	}
	return resp.Message{Kind: resp.KindInteger, Int: acc}
}

// DoMulti runs a pipeline. Commands routed by slot are grouped by node and
// each group is written together; a keyless command without tips goes
// right before the command after it, on its node (CLIENT CACHING YES
// concerns the next command on its connection), or, last in the pipeline
// or a write before a read sent to a replica, to one master for the whole
// pipeline. Commands that were redirected run again individually.
// A command that must run on its own (split across slots, fanned out,
// blocking, changing connection state) is a barrier: the commands queued
// before it complete first and those after it start after it, so that the
// pipeline's order holds for every key. Each command's outcome is in its
// Err and Reply.
func (r *Router) DoMulti(ctx context.Context, cmds []*transport.Command) error {
	if err := r.Ready(ctx); err != nil {
		return err
	}
	start := 0
	for i, cmd := range cmds {
		if batchable(cmd) {
			continue
		}
		r.doBatch(ctx, cmds[start:i])
		cmd.SetErr(r.Do(ctx, cmd))
		start = i + 1
	}
	r.doBatch(ctx, cmds[start:])
	return nil
}

// batchable reports a command that can be written with others to one
// node: one slot (or no key and no fan-out), not blocking, not changing
// connection state.
func batchable(cmd *transport.Command) bool {
	meta := cmd.Meta()
	if meta.Flags&(transport.FlagCrossSlot|transport.FlagBlocking|transport.FlagConnState|transport.FlagTransaction) != 0 {
		return false
	}
	if _, hasKey := cmd.Slot(); hasKey {
		return true
	}
	// Keyless: as Do routes it, unless it fans out.
	return !fansOut(meta)
}

// fansOut reports a keyless command that runs on every master or node.
func fansOut(meta transport.Meta) bool {
	return (meta.Request == transport.RequestAllNodes || meta.Request == transport.RequestAllShards) && meta.Response != transport.ResponseSpecial
}

// doBatch runs batchable commands grouped by node, the groups
// concurrently. Commands whose slot has no node wait for the topology, as
// doSlot does, and then run as a batch of their own (in their order).
func (r *Router) doBatch(ctx context.Context, cmds []*transport.Command) {
	for attempt := 0; len(cmds) > 0; attempt++ {
		seen := r.refreshCount()
		unserved := r.runBatch(ctx, cmds)
		cmds = cmds[:0:0]
		for _, c := range unserved {
			slot, _ := c.Slot()
			if attempt >= r.cfg.MaxRedirects || (attempt > 0 && !r.awaited(int(slot))) {
				c.SetErr(&SlotUnservedError{Slot: int(slot), Refreshes: attempt})
			} else {
				cmds = append(cmds, c)
			}
		}
		if len(cmds) == 0 {
			return
		}
		if err := r.awaitRefresh(ctx, seen); err != nil {
			for _, c := range cmds {
				slot, _ := c.Slot()
				c.SetErr(fmt.Errorf("cluster: waiting for a node to serve slot %d: %w", slot, err))
			}
			return
		}
	}
}

// runBatch runs batchable commands grouped by node, the groups
// concurrently, and returns those whose slot has no node, unsent.
func (r *Router) runBatch(ctx context.Context, cmds []*transport.Command) (unserved []*transport.Command) {
	p := batchPlans.Get().(*batchPlan)
	defer p.release()
	p.group(r, cmds)
	if len(p.unserved) > 0 {
		unserved = slices.Clone(p.unserved)
	}
	var wg sync.WaitGroup
	start := 0
	for i, n := range p.nodes {
		group := p.order[start : start+p.counts[i]]
		start += p.counts[i]
		if i == len(p.nodes)-1 {
			r.runGroup(ctx, n, group) // the last one on this goroutine
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.runGroup(ctx, n, group)
		}()
	}
	wg.Wait()
	return unserved
}

// batchPlan sorts a pipeline's commands by node; plans are pooled so that
// a pipeline costs no allocation for its grouping.
type batchPlan struct {
	nodes    []*node              // the nodes, in order of first use
	counts   []int                // commands per node
	index    []int                // per command: its node's index, or -1
	next     []int                // per node: where its next command goes
	order    []*transport.Command // the commands grouped by node
	unserved []*transport.Command // the commands whose slot has no node
}

var batchPlans = sync.Pool{New: func() any { return new(batchPlan) }}

// group plans cmds: each keyed command goes to its slot's node, a keyless
// one to the node of the command after it (see DoMulti) or else to one
// random master; a command whose slot has no node is set aside in
// unserved (in order), and one that cannot run gets the error. Nodes are
// chosen from the last command to the first, so that a keyless command
// knows where the next one goes.
func (p *batchPlan) group(r *Router, cmds []*transport.Command) {
	p.index = slices.Grow(p.index[:0], len(cmds))[:len(cmds)]
	var keyless, after *node // after: the node of cmds[i+1]
	for i := len(cmds) - 1; i >= 0; i-- {
		cmd := cmds[i]
		slot, hasKey := cmd.Slot()
		var n *node
		var err error
		switch {
		case hasKey:
			n, err = r.pick(int(slot), cmd.Flags()&transport.FlagReadOnly != 0)
		case after != nil && (!after.info.Replica || cmd.Flags()&transport.FlagWrite == 0):
			n = after
		default:
			if keyless == nil {
				keyless, err = r.randomMaster()
			}
			n = keyless
		}
		after = n
		if err != nil {
			if isUnserved(err) {
				p.unserved = append(p.unserved, cmd)
			} else {
				cmd.SetErr(err)
			}
			p.index[i] = -1
			continue
		}
		k := slices.Index(p.nodes, n)
		if k < 0 {
			k = len(p.nodes)
			p.nodes = append(p.nodes, n)
			p.counts = append(p.counts, 0)
		}
		p.counts[k]++
		p.index[i] = k
	}
	slices.Reverse(p.unserved) // collected from the last command
	// Place each command at its node's next free position.
	next := append(p.next[:0], 0)
	for k := 1; k < len(p.nodes); k++ {
		next = append(next, next[k-1]+p.counts[k-1])
	}
	p.next = next
	p.order = slices.Grow(p.order[:0], len(cmds))[:len(cmds)]
	placed := 0
	for i, cmd := range cmds {
		if k := p.index[i]; k >= 0 {
			p.order[next[k]] = cmd
			next[k]++
			placed++
		}
	}
	p.order = p.order[:placed]
}

// release clears the plan and returns it to the pool.
func (p *batchPlan) release() {
	clear(p.nodes)
	clear(p.order)
	clear(p.unserved)
	p.nodes, p.counts, p.index, p.order, p.unserved = p.nodes[:0], p.counts[:0], p.index[:0], p.order[:0], p.unserved[:0]
	batchPlans.Put(p)
}

// runGroup runs one node's part of a pipeline, then follows the
// redirections and reroutes of its commands one by one.
func (r *Router) runGroup(ctx context.Context, n *node, group []*transport.Command) {
	if err := n.n.DoMulti(ctx, group); err != nil {
		for _, c := range group {
			c.SetErr(err)
		}
	}
	for _, c := range group {
		rt := anyMaster
		if s, ok := c.Slot(); ok {
			rt = route{slot: int(s)}
		}
		switch {
		case needsRetry(c):
			if err := r.doOn(ctx, c, n, rt); err != nil {
				c.SetErr(err)
			}
		case c.Err() != nil && unsent(c.Err()) && ctx.Err() == nil:
			// The node closed (it left the topology) before sending it.
			c.SetErr(nil)
			target := r.rerouteTarget(rt, c, n)
			if target == nil {
				c.SetErr(&NodeError{Addr: n.n.Addr(), Err: transport.ErrClosed})
			} else if err := r.doOn(ctx, c, target, rt); err != nil {
				c.SetErr(err)
			}
		case c.Err() != nil:
			if isConnectionError(c.Err()) {
				r.triggerRefresh()
			}
			var ne *NodeError
			if !errors.As(c.Err(), &ne) {
				c.SetErr(&NodeError{Addr: n.n.Addr(), Err: c.Err()})
			}
		}
	}
}

// needsRetry reports a pipelined command whose reply is a redirect, a
// retryable error or READONLY (doOn tells whether that came from a
// demoted master).
func needsRetry(c *transport.Command) bool {
	if c.Err() != nil {
		return false
	}
	re, isErr := c.Reply().ErrorReply()
	if !isErr {
		return false
	}
	_, redirect := resp.ParseRedirect(re)
	return redirect || retryable(re) || re.Prefix() == "READONLY"
}

// DedicatedConn returns a connection for exclusive use to the master of
// slot (any master when slot is negative): transactions, WATCH,
// subscriptions.
func (r *Router) DedicatedConn(ctx context.Context, slot int) (*transport.Conn, error) {
	if err := r.Ready(ctx); err != nil {
		return nil, err
	}
	var n *node
	var err error
	if slot < 0 {
		n, err = r.randomMaster()
	} else {
		n, err = r.awaitNode(ctx, slot, false)
	}
	if err != nil {
		return nil, err
	}
	return n.n.DedicatedConn(ctx, slot)
}

// inParallel runs f(0) ... f(n-1) concurrently and returns their errors,
// by index.
func inParallel(n int, f func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f(i)
		}()
	}
	wg.Wait()
	return errs
}
