// Package sentinel is redkit's Redis Sentinel router. It asks the
// sentinels for the current master (or a replica) of a named group,
// verifies the node's role with ROLE, and follows failovers: it watches
// +switch-master and related events on a sentinel, reacts to READONLY
// replies and lost connections, and moves to the new master. Commands
// issued during a switch wait (within their contexts) and run on the new
// master; commands that never left the old master are sent again, and
// nothing is sent to a demoted node once the switch is known.
//
// The Router implements transport.Router, so redisclient.NewWithRouter
// turns it into a client on which pipelines, transactions, subscribers,
// scripts and client-side caching work as on a single server.
package sentinel
