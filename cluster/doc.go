// Package cluster is redkit's Redis Cluster router. It keeps the slot map
// (from CLUSTER SHARDS, or CLUSTER SLOTS on older servers), sends each
// command to the node that serves its slot (or a replica, for reads, when
// asked), follows MOVED and ASK redirections, retries TRYAGAIN, CLUSTERDOWN
// and LOADING with backoff, splits multi-key commands whose keys span slots
// and merges their replies, and fans keyless commands out as their command
// tips say.
//
// A refresh that reports slots without a node (a shard caught without a
// master in the middle of a failover) leaves them with their previous
// owner until later refreshes confirm; a command whose slot has no node
// waits for the topology within its context before it fails with a
// SlotUnservedError. A READONLY reply from a node taken for a master (a
// failover the slot map does not show yet) makes the router reload the
// topology and send the command to the master now in charge.
//
// The Router implements transport.Router, so redisclient.NewWithRouter
// turns it into a client on which every typed command, pipeline,
// transaction, script and subscriber works. Routing uses only what a
// command carries (its slot, flags and tips); the router never parses
// command names.
package cluster
