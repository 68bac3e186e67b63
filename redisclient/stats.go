package redisclient

// This file is Client.Stats: a snapshot of the client's connections,
// commands and counters, whatever its topology, without OpenTelemetry.

import "github.com/redkit-go/redkit/transport"

// Stats is a snapshot of a client's connections and counters, in the
// style of database/sql's DBStats. Taking one reads atomic counters and
// queue lengths: cheap enough to poll.
type Stats struct {
	// Nodes holds one entry per node the client uses now, by address: the
	// server of a single-node client, every node of a cluster (masters
	// first), the node a sentinel group named. Empty for a custom router
	// that does not implement transport.StatsReporter.
	Nodes []transport.NodeStats
	// Total sums Nodes (its Addr is empty): shared connections, the
	// dedicated pool (total, idle, in use, waits, wait timeouts), queued
	// and in-flight commands, dials, failed dials and reconnections.
	Total transport.NodeStats
	// Cache is the client-side cache's counters (hits, misses, ...); zero
	// without Options.Cache.
	Cache CacheStats
	// PubSubDropped counts the messages the subscribers of this client
	// dropped under their overflow policy (see Subscriber.Dropped).
	PubSubDropped uint64
}

// Stats returns a snapshot of the client's statistics. It is safe to call
// at any time, concurrently with commands, and after Close.
func (c *Client) Stats() Stats {
	var s Stats
	if r, ok := c.router.(transport.StatsReporter); ok {
		s.Nodes = r.NodeStats()
	}
	for _, n := range s.Nodes {
		s.Total.Add(n)
	}
	s.Cache = c.CacheStats()
	s.PubSubDropped = c.pubsubDropped.Load()
	return s
}
