package cluster

// This file is the per-node API: the nodes of the cluster by role, the
// server they run, and running work on every master, replica or node
// concurrently.

import (
	"context"
	"errors"
	"fmt"

	"github.com/redkit-go/redkit/transport"
)

// NodeSet selects nodes by role.
type NodeSet int

// Node sets.
const (
	Masters NodeSet = iota
	Replicas
	AllNodes
)

// nodesOf returns the nodes of a set, masters first.
func (r *Router) nodesOf(set NodeSet) []*node {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []*node
	for _, sh := range r.shards {
		if set != Replicas {
			out = append(out, sh.master)
		}
	}
	if set != Masters {
		for _, sh := range r.shards {
			out = append(out, sh.replicas...)
		}
	}
	return out
}

// Nodes returns the transport nodes of a set. Every typed command runs on
// a node (it is a Doer): redisclient.FlushDB().Do(ctx, n).
func (r *Router) Nodes(set NodeSet) []*transport.Node {
	ns := r.nodesOf(set)
	out := make([]*transport.Node, len(ns))
	for i, n := range ns {
		out[i] = n.n
	}
	return out
}

// Server returns the server the cluster runs, as the handshake of the
// first node connected (masters first) named it, or, before any is, of the
// seed that gave the topology: known once Ready returned (unless the
// servers do not answer HELLO), zero before. The nodes of a cluster run
// one kind of server; each node's own is its Server
// (Nodes(AllNodes)[i].Server()).
func (r *Router) Server() transport.ServerInfo {
	for _, n := range r.nodesOf(AllNodes) {
		if s := n.n.Server(); s.Known() {
			return s
		}
	}
	if s := r.seedServer.Load(); s != nil {
		return *s
	}
	return transport.ServerInfo{}
}

// Masters returns the master of every shard.
func (r *Router) Masters() []*transport.Node { return r.Nodes(Masters) }

// ForEach runs fn on every node of a set concurrently and waits; the
// errors are joined, each naming its node.
func (r *Router) ForEach(ctx context.Context, set NodeSet, fn func(ctx context.Context, n *transport.Node) error) error {
	if err := r.Ready(ctx); err != nil {
		return err
	}
	nodes := r.Nodes(set)
	return errors.Join(inParallel(len(nodes), func(i int) error {
		if err := fn(ctx, nodes[i]); err != nil {
			return &NodeError{Addr: nodes[i].Addr(), Err: err}
		}
		return nil
	})...)
}

// NodeForSlot returns the master serving a slot.
func (r *Router) NodeForSlot(slot int) (*transport.Node, error) {
	if slot < 0 || slot >= transport.SlotCount {
		return nil, fmt.Errorf("cluster: slot %d out of range", slot)
	}
	n, err := r.pick(slot, false)
	if err != nil {
		return nil, err
	}
	return n.n, nil
}

// NodeForKey returns the master serving a key.
func (r *Router) NodeForKey(key string) (*transport.Node, error) {
	return r.NodeForSlot(int(transport.Slot(key)))
}

// NodeStats returns a snapshot of the statistics of every node the router
// knows, masters first: it implements transport.StatsReporter.
func (r *Router) NodeStats() []transport.NodeStats {
	nodes := r.Nodes(AllNodes)
	out := make([]transport.NodeStats, len(nodes))
	for i, n := range nodes {
		out[i] = n.Stats()
	}
	return out
}

// Router reports its nodes' statistics (redisclient.Client.Stats).
var _ transport.StatsReporter = (*Router)(nil)
