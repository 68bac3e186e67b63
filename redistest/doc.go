// Package redistest starts disposable, real Redis or Valkey servers for
// tests: a single server (Start), a Redis Cluster of masters and replicas
// (StartCluster) and a sentinel group (StartSentinel). Each belongs to a
// testing.T: it listens on 127.0.0.1 only, keeps its files in the test's
// temporary directory, and is killed when the test ends (t.Cleanup), also
// when the test failed, whose server output is then logged.
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
// with its connections open; Unpause resumes it.
package redistest
