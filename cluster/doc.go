// Package cluster is redkit's Redis Cluster router. It keeps the slot map
// (from CLUSTER SHARDS, or CLUSTER SLOTS on older servers), sends each
// command to the node that serves its slot (or a replica, for reads, when
// asked), follows MOVED and ASK redirections, retries TRYAGAIN, CLUSTERDOWN
// and LOADING with backoff, splits multi-key commands whose keys span slots
// and merges their replies, and fans keyless commands out as their command
// tips say.
//
// The Router implements transport.Router, so redisclient.NewWithRouter
// turns it into a client on which every typed command, pipeline,
// transaction, script and subscriber works. Routing uses only what a
// command carries (its slot, flags and tips); the router never parses
// command names.
package cluster
