// Package redistest starts disposable, real Redis or Valkey servers for
// tests: a single server (Start), a Redis Cluster of masters and replicas
// (StartCluster) and a sentinel group (StartSentinel). Each belongs to a
// testing.T: it listens on 127.0.0.1 only, keeps its files in the test's
// temporary directory, and is killed when the test ends (t.Cleanup), also
// when the test failed, whose server output is then logged.
//
// Each comes with its addresses, client options and a connected client:
// Server.Addr, URL, Options and Client; Cluster.Seeds, ClusterOptions and
// Client; Sentinel.SentinelAddrs, MasterAddr, SentinelOptions and Client.
// Config adds a password, TLS (a CA of the server's own; Server.TLSConfig
// for clients), configuration lines, command-line arguments and a
// directory of the caller's files. NewServer starts a server that many
// tests share (from TestMain, say) and that Close ends.
//
// # Where the servers come from
//
// A server runs either as a local process (a redis-server or valkey-server
// binary: fast, no Docker) or in a Docker container through dockertest
// (host networking, so cluster and sentinel addresses are the same inside
// and outside; a Linux Docker engine). Config.Backend forces one; by default
// (Auto) the first of these that applies decides:
//
//  1. Config.Image set: a container of that image.
//  2. Config.Binary set: that binary.
//  3. $REDISTEST_IMAGE set: a container of that image.
//  4. $REDISTEST_SERVER set: that binary (a path, or a name on $PATH).
//  5. redis-server on $PATH, then valkey-server on $PATH.
//
// When none applies, the test fails naming what to install or set.
//
// # Ports
//
// Ports are drawn at random below the kernel's ephemeral range, never
// twice in one process, and checked free by binding them; a server that
// still finds its port taken (another process won the race) is started
// again on another one, and a server answering on the port is accepted
// only when it reports this server's configuration file, so parallel
// tests and parallel test binaries never share a server. Cluster bus ports
// are drawn the same way (cluster-port).
//
// # Faults
//
// Stop kills a server abruptly (like a crash: SIGKILL, or stopping its
// container) and Start runs it again on the same port with the same
// directory: what it had persisted (Extra: "appendonly yes") is back, and a
// cluster node keeps its identity. Pause freezes it (SIGSTOP, docker pause)
// with its connections open; Unpause resumes it. Cluster.Wait and
// Sentinel.Wait return once the topology is healthy again.
//
// # Systems
//
// Local servers are killed with the test process on Linux (Pdeathsig);
// elsewhere one killed before its cleanup ran outlives it. Pause of a
// local server needs a Unix system. Containers need a Linux Docker engine
// (host networking); one a killed test process left is removed the next
// time a test process of the same host starts a container.
package redistest
