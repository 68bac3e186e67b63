package cluster

// This file handles slots that a topology refresh reports without a node:
// a shard caught without a master in the middle of a failover, a slot
// missing from the reply, or a slot really unassigned. A slot served
// before keeps its previous owner until later refreshes confirm (that
// owner, now a replica, answers MOVED or READONLY, which the router
// follows); a command whose slot has no node waits for a refresh instead
// of failing at once.

import (
	"context"
	"fmt"
	"time"

	"github.com/redkit-go/redkit/transport"
)

// A slot that a refresh reports without a node keeps its previous owner
// until unservedConfirmations later refreshes, over at least
// unservedGrace, report the same; only then is it unmapped (commands for
// it then fail with a SlotUnservedError). A slot without a node and
// without a previous owner (in the first topology) is awaited as long.
// While slots are awaiting confirmation the topology is reloaded every
// unservedRecheck, so a slot really removed (CLUSTER DELSLOTS) is
// unmapped about unservedGrace after the first refresh that misses it.
const (
	unservedRecheck       = 250 * time.Millisecond
	unservedConfirmations = 2
	unservedGrace         = time.Second
)

// SlotUnservedError is returned for a command whose slot no node serves:
// the topology, reloaded while the command waited, showed no node for it
// (NodeForSlot returns it without waiting).
type SlotUnservedError struct {
	Slot int
	// Refreshes is how many topology refreshes the command waited for.
	Refreshes int
}

func (e *SlotUnservedError) Error() string {
	if e.Refreshes == 0 {
		return fmt.Sprintf("cluster: no node serves slot %d", e.Slot)
	}
	return fmt.Sprintf("cluster: no node serves slot %d (after %d topology refreshes)", e.Slot, e.Refreshes)
}

// isUnserved reports the error pick returns for a slot without a node (a
// type assertion, not errors.As, which would allocate on every command).
func isUnserved(err error) bool {
	_, ok := err.(*SlotUnservedError)
	return ok
}

// unservedMark records since when, and by how many later refreshes, a slot
// was reported without a node.
type unservedMark struct {
	since time.Time
	seen  int
}

// keepUnservedLocked applies the confirmation rule to a new slot map:
// slots it leaves without a node keep their previous owner until
// confirmed. The previous owner is the new topology's shard of the same
// master when there is one, else a stand-in shard with the old master and
// replicas, which is returned with the new shards (so that fan-outs reach
// it) and whose nodes are marked used. Called with mu held.
func (r *Router) keepUnservedLocked(slots *[transport.SlotCount]*shard, shards []*shard, used map[string]bool, now time.Time) []*shard {
	first := !r.loaded
	r.loaded = true
	byMaster := make(map[*node]*shard, len(shards))
	for _, sh := range shards {
		byMaster[sh.master] = sh
	}
	standIns := map[*node]*shard{}
	for s := range transport.SlotCount {
		if slots[s] != nil {
			if len(r.unserved) > 0 {
				delete(r.unserved, s)
			}
			continue
		}
		old := r.slots[s]
		m := r.unserved[s]
		switch {
		case m == nil && old == nil && !first:
			continue // confirmed unserved before
		case m == nil:
			r.unserved[s] = &unservedMark{since: now}
		default:
			m.seen++
			if m.seen >= unservedConfirmations && now.Sub(m.since) >= unservedGrace {
				delete(r.unserved, s)
				continue
			}
		}
		if old == nil {
			continue // awaited: nothing to keep
		}
		if sh, ok := byMaster[old.master]; ok {
			slots[s] = sh
			continue
		}
		sh := standIns[old.master]
		if sh == nil {
			sh = &shard{master: old.master, replicas: old.replicas, healthy: old.healthy}
			sh.info.Master = old.master.info
			used[nodeKey(old.master.info.Addr, false)] = true
			for _, n := range old.replicas {
				sh.info.Replicas = append(sh.info.Replicas, n.info)
				used[nodeKey(n.info.Addr, true)] = true
			}
			standIns[old.master] = sh
			shards = append(shards, sh)
		}
		sh.info.Slots = appendSlot(sh.info.Slots, s)
		slots[s] = sh
	}
	return shards
}

// appendSlot adds slot to inclusive ranges built in ascending order.
func appendSlot(ranges []int, slot int) []int {
	if n := len(ranges); n >= 2 && ranges[n-1] == slot-1 {
		ranges[n-1] = slot
		return ranges
	}
	return append(ranges, slot, slot)
}

// awaitedLocked reports whether slot, without a node, is awaiting
// confirmation (rather than confirmed unserved). Called with mu held.
func (r *Router) awaitedLocked(slot int) bool {
	_, ok := r.unserved[slot]
	return ok && r.slots[slot] == nil
}

// firstAwaited returns the lowest slot without a node that is awaiting
// confirmation, or -1.
func (r *Router) firstAwaited() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	first := -1
	for s := range r.unserved {
		if r.slots[s] == nil && (first < 0 || s < first) {
			first = s
		}
	}
	return first
}

// refreshCount returns how many refreshes have completed.
func (r *Router) refreshCount() uint64 { return r.refreshes.Load() }

// awaitRefresh waits until a refresh after the seen-th has completed: it
// joins the one in flight, or starts one (in the background, bounded by
// refreshTimeout, so that the caller's deadline does not cut it short for
// the others), no sooner than minRefreshGap after the last.
func (r *Router) awaitRefresh(ctx context.Context, seen uint64) error {
	for {
		r.refreshMu.Lock()
		done, inFlight, wait := r.refreshes.Load() != seen, r.refreshing != nil, minRefreshGap-time.Since(r.lastRefresh)
		r.refreshMu.Unlock()
		if done {
			return nil
		}
		if inFlight || wait <= 0 {
			break
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
	if r.isClosed() {
		return transport.ErrClosed
	}
	ch, leader := r.beginRefresh()
	if leader {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), refreshTimeout)
			defer cancel()
			r.runRefresh(ctx, ch)
		}()
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// awaitNode returns the node for a command of slot (see pick). While no
// node serves the slot, it waits for refreshes, at most MaxRedirects, and
// fewer when a refresh confirms the slot unserved.
func (r *Router) awaitNode(ctx context.Context, slot int, readOnly bool) (*node, error) {
	n, err := r.pick(slot, readOnly)
	if !isUnserved(err) {
		return n, err
	}
	for attempt := 0; ; attempt++ {
		seen := r.refreshCount()
		n, err := r.pick(slot, readOnly)
		if !isUnserved(err) {
			return n, err
		}
		ue := err.(*SlotUnservedError)
		if attempt >= r.cfg.MaxRedirects || (attempt > 0 && !r.awaited(slot)) {
			ue.Refreshes = attempt
			return nil, ue
		}
		if err := r.awaitRefresh(ctx, seen); err != nil {
			return nil, fmt.Errorf("cluster: waiting for a node to serve slot %d: %w", slot, err)
		}
	}
}

// awaited reports whether slot has no node and awaits confirmation.
func (r *Router) awaited(slot int) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.awaitedLocked(slot)
}

// awaitCoverage waits, as awaitNode does, while slots without a node are
// awaiting confirmation, so that a fan-out reaches every shard.
func (r *Router) awaitCoverage(ctx context.Context) error {
	for attempt := 0; ; attempt++ {
		seen := r.refreshCount()
		slot := r.firstAwaited()
		if slot < 0 {
			return nil
		}
		if attempt >= r.cfg.MaxRedirects {
			return &SlotUnservedError{Slot: slot, Refreshes: attempt}
		}
		if err := r.awaitRefresh(ctx, seen); err != nil {
			return fmt.Errorf("cluster: waiting for a node to serve slot %d: %w", slot, err)
		}
	}
}
