package transport

// This file is the statistics of a node: a snapshot of its connections,
// commands and counters, cheap to take (atomic counters maintained where
// the events happen, and the lengths of queues that exist anyway).

// NodeStats is a snapshot of one node's connections and counters, in the
// style of database/sql's DBStats. The int64 fields (here and in Pool)
// are counters that only grow over the node's life; the int fields are
// levels at the time of the snapshot.
type NodeStats struct {
	// Addr is the server address ("host:port"); empty in totals.
	Addr string
	// Shared is the number of shared, auto-pipelined connections up.
	Shared int
	// Pool is the pool of dedicated connections (blocking commands,
	// WATCH, pub/sub, MONITOR).
	Pool PoolStats
	// Queued is the number of commands waiting to be written: in the
	// shared connections' queues and, while none is up, in the offline
	// queue.
	Queued int
	// InFlight is the number of commands written to the shared
	// connections and awaiting their replies.
	InFlight int
	// Dials counts the connections opened (handshake done), shared and
	// dedicated: beyond the first NodeConfig.Conns shared ones, each is a
	// reconnection or a new dedicated connection.
	Dials int64
	// DialErrors counts the connection attempts that failed.
	DialErrors int64
	// Reconnects counts the shared connections opened to replace lost
	// ones: those beyond the first NodeConfig.Conns.
	Reconnects int64
}

// Stats returns a snapshot of the node's connections and counters.
func (n *Node) Stats() NodeStats {
	s := NodeStats{
		Addr:       n.cfg.Dial.Addr,
		Pool:       n.pool.Stats(),
		Queued:     n.offline.len(),
		Dials:      n.counts.dials.Load(),
		DialErrors: n.counts.dialErrors.Load(),
		Reconnects: max(0, n.counts.sharedDials.Load()-int64(n.cfg.Conns)),
	}
	pipes := n.livePipes()
	s.Shared = len(pipes)
	for _, p := range pipes {
		queued, inflight := p.pending()
		s.Queued += queued
		s.InFlight += inflight
	}
	return s
}

// NodeStats returns the statistics of the node, the only one: it
// implements StatsReporter.
func (n *Node) NodeStats() []NodeStats { return []NodeStats{n.Stats()} }

// StatsReporter is implemented by routers that report the statistics of
// their nodes: Node, the cluster router and the sentinel router.
type StatsReporter interface {
	// NodeStats returns a snapshot of each node the router uses now.
	NodeStats() []NodeStats
}

// The routers of the repository report their nodes' statistics.
var _ StatsReporter = (*Node)(nil)

// Add adds o's numbers to s (all but Addr): totals over nodes.
func (s *NodeStats) Add(o NodeStats) {
	s.Shared += o.Shared
	s.Queued += o.Queued
	s.InFlight += o.InFlight
	s.Dials += o.Dials
	s.DialErrors += o.DialErrors
	s.Reconnects += o.Reconnects
	s.Pool.Open += o.Pool.Open
	s.Pool.Idle += o.Pool.Idle
	s.Pool.InUse += o.Pool.InUse
	s.Pool.Waiting += o.Pool.Waiting
	s.Pool.Waits += o.Pool.Waits
	s.Pool.WaitTimeouts += o.Pool.WaitTimeouts
	s.Pool.Dials += o.Pool.Dials
	s.Pool.Closes += o.Pool.Closes
}
