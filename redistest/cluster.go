package redistest

// This file is the Redis Cluster: cluster-enabled servers (each with a
// cluster bus port of its own, cluster-port), joined with CLUSTER MEET,
// slots spread evenly over the masters with CLUSTER ADDSLOTSRANGE,
// replicas attached with CLUSTER REPLICATE, and a wait until every node
// agrees on the topology.

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

// slotCount is the number of hash slots of a Redis Cluster.
const slotCount = 16384

// ClusterConfig configures a cluster. Config applies to every node. The
// servers must be Redis 7.0 or newer, or Valkey (cluster-port, CLUSTER
// ADDSLOTSRANGE).
type ClusterConfig struct {
	Config
	// Masters is the number of masters (default 3); the slots are spread
	// evenly over them.
	Masters int
	// Replicas is the number of replicas of each master (default none).
	Replicas int
	// NodeTimeout is cluster-node-timeout (default 2 s): how long a node
	// is unreachable before it fails over.
	NodeTimeout time.Duration
	// NodeExtra, when set, returns more configuration lines for the node
	// of that index (masters first), after Extra: cluster-announce-*
	// settings, say.
	NodeExtra func(index int) []string
}

// Cluster is a running Redis Cluster.
type Cluster struct {
	cfg ClusterConfig
	// Nodes are the cluster's servers: the masters first (Nodes[i] serves
	// the i-th range of slots), then the replicas (Nodes[Masters+k] for
	// k < Replicas replicates master 0, and so on), as started: after a
	// failover a replica may be master.
	Nodes []*Server
	ids   []string
	bus   []int
}

// StartCluster starts a cluster for t (cfg: at most one ClusterConfig)
// and returns once every node reports the cluster ok with all slots
// covered, every replica is in sync, and every node has the same view of
// the topology. The nodes are killed when t ends.
func StartCluster(t testing.TB, cfg ...ClusterConfig) *Cluster {
	t.Helper()
	var c ClusterConfig
	switch len(cfg) {
	case 0:
	case 1:
		c = cfg[0]
	default:
		t.Fatalf("redistest: %d ClusterConfigs given: pass at most one", len(cfg))
	}
	cl, err := startCluster(t, c)
	if err != nil {
		t.Fatalf("redistest: start a cluster: %v", err)
	}
	return cl
}

func startCluster(t testing.TB, cfg ClusterConfig) (*Cluster, error) {
	if cfg.Masters == 0 {
		cfg.Masters = 3
	}
	if cfg.Masters < 0 || cfg.Replicas < 0 {
		return nil, fmt.Errorf("ClusterConfig: Masters %d and Replicas %d: want Masters >= 1 (0: 3) and Replicas >= 0", cfg.Masters, cfg.Replicas)
	}
	if cfg.TLS || cfg.Sentinel || cfg.Dir != "" {
		return nil, errors.New("ClusterConfig: TLS, Sentinel and Dir apply to single servers only")
	}
	if cfg.NodeTimeout == 0 {
		cfg.NodeTimeout = 2 * time.Second
	}
	total := cfg.Masters * (1 + cfg.Replicas)
	cl := &Cluster{cfg: cfg, Nodes: make([]*Server, total), ids: make([]string, total), bus: make([]int, total)}
	dirs := make([]string, total)
	for i := range dirs {
		dirs[i] = t.TempDir()
	}
	errs := make([]error, total)
	var wg sync.WaitGroup
	for i := range total {
		wg.Go(func() {
			nc := cfg.Config
			nc.Name = cl.nodeName(i)
			var bus int
			lines := serverLines(nc, func(int) ([]string, error) {
				var err error
				if bus, err = freePort(); err != nil {
					return nil, err
				}
				l := []string{
					"cluster-enabled yes",
					"cluster-config-file nodes.conf",
					"cluster-port " + strconv.Itoa(bus),
					"cluster-node-timeout " + strconv.FormatInt(cfg.NodeTimeout.Milliseconds(), 10),
					"cluster-announce-ip 127.0.0.1",
					// A replica syncs at once rather than waiting for others.
					"repl-diskless-sync-delay 0",
				}
				if cfg.NodeExtra != nil {
					l = append(l, cfg.NodeExtra(i)...)
				}
				return l, nil
			})
			s, err := startNode(nc, dirs[i], lines)
			if err != nil {
				errs[i] = fmt.Errorf("node %d: %w", i, err)
				return
			}
			cl.Nodes[i], cl.bus[i] = s, bus
		})
	}
	wg.Wait()
	for _, s := range cl.Nodes {
		if s != nil {
			s.cleanupWith(t)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if err := cl.form(); err != nil {
		return nil, err
	}
	return cl, nil
}

func (cl *Cluster) nodeName(i int) string {
	role := fmt.Sprintf("master %d", i)
	if m := cl.cfg.Masters; i >= m {
		role = fmt.Sprintf("replica %d of master %d", (i-m)%cl.cfg.Replicas, (i-m)/cl.cfg.Replicas)
	}
	if cl.cfg.Name != "" {
		return cl.cfg.Name + " " + role
	}
	return "cluster " + role
}

// do runs one command on s.
func (s *Server) do(args ...string) (any, error) {
	return command(s.addr, s.cfg.Password, s.tls, 5*time.Second, args...)
}

func (cl *Cluster) form() error {
	first := cl.Nodes[0]
	for i, n := range cl.Nodes {
		id, err := n.do("CLUSTER", "MYID")
		if err != nil {
			return fmt.Errorf("CLUSTER MYID on %s: %w", n.addr, err)
		}
		cl.ids[i] = text(id)
		// Distinct epochs: no collision to resolve.
		if _, err := n.do("CLUSTER", "SET-CONFIG-EPOCH", strconv.Itoa(i+1)); err != nil {
			return fmt.Errorf("CLUSTER SET-CONFIG-EPOCH on %s: %w", n.addr, err)
		}
	}
	for i, n := range cl.Nodes[1:] {
		if _, err := first.do("CLUSTER", "MEET", "127.0.0.1", strconv.Itoa(n.port), strconv.Itoa(cl.bus[i+1])); err != nil {
			return fmt.Errorf("CLUSTER MEET %s: %w", n.addr, err)
		}
	}
	total := len(cl.Nodes)
	if err := cl.waitAll(20*time.Second, "every node to know every other", func(n *Server) (bool, string) {
		info, _ := n.do("CLUSTER", "INFO")
		nodes, _ := n.do("CLUSTER", "NODES")
		return infoField(text(info), "cluster_known_nodes") == strconv.Itoa(total) &&
			!strings.Contains(text(nodes), "handshake"), text(nodes)
	}); err != nil {
		return err
	}
	m := cl.cfg.Masters
	per := slotCount / m
	for i := range m {
		lo, hi := i*per, (i+1)*per-1
		if i == m-1 {
			hi = slotCount - 1
		}
		if _, err := cl.Nodes[i].do("CLUSTER", "ADDSLOTSRANGE", strconv.Itoa(lo), strconv.Itoa(hi)); err != nil {
			return fmt.Errorf("CLUSTER ADDSLOTSRANGE %d %d on %s: %w", lo, hi, cl.Nodes[i].addr, err)
		}
	}
	for i := m; i < total; i++ {
		master := (i - m) / cl.cfg.Replicas
		var err error
		// The replica must have learnt its master's ID by gossip.
		if !waitFor(20*time.Second, func() bool {
			_, err = cl.Nodes[i].do("CLUSTER", "REPLICATE", cl.ids[master])
			return err == nil
		}) {
			return fmt.Errorf("CLUSTER REPLICATE %s on %s: %w", cl.ids[master], cl.Nodes[i].addr, err)
		}
	}
	if total > m {
		if err := cl.waitAll(30*time.Second, "the replicas to sync", func(n *Server) (bool, string) {
			info, _ := n.do("INFO", "replication")
			r := text(info)
			return infoField(r, "role") == "master" || infoField(r, "master_link_status") == "up", r
		}); err != nil {
			return err
		}
		// CLUSTER SHARDS reports a replica "loading" until its
		// replication offset leaves zero, which an idle master moves only
		// every repl-ping-replica-period: a write (FLUSHALL of the empty
		// databases) moves it now.
		for _, n := range cl.Nodes[:m] {
			if _, err := n.do("FLUSHALL"); err != nil {
				return fmt.Errorf("FLUSHALL on %s: %w", n.addr, err)
			}
		}
	}
	return cl.waitAgreed(30 * time.Second)
}

// Wait waits until the cluster is healthy again (after a failover, a
// restart): every node that runs reports the cluster ok with all slots
// covered, every slot is served by a running master, no running node is
// marked failing, and all running nodes have the same view of the
// topology. Stopped nodes are left out; when a stopped master had no
// replica to take over, Wait fails.
func (cl *Cluster) Wait(t testing.TB) {
	t.Helper()
	if err := cl.waitAgreed(30 * time.Second); err != nil {
		t.Fatalf("redistest: %v", err)
	}
}

func (cl *Cluster) waitAgreed(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		err := cl.agreed()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("waited %v for every node to agree on the topology: %w", timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// agreed checks, in one round, that every running node reports the
// cluster ok with every slot assigned, marks no node failing, and has the
// same view as the others.
func (cl *Cluster) agreed() error {
	var first, firstAddr string
	down := map[string]bool{}
	for i, n := range cl.Nodes {
		if gone, _ := n.inst.exited(); gone {
			down[cl.ids[i]] = true
		}
	}
	for _, n := range cl.running() {
		info, err := n.do("CLUSTER", "INFO")
		if err != nil {
			return fmt.Errorf("%s: %w", n.addr, err)
		}
		i := text(info)
		if infoField(i, "cluster_state") != "ok" || infoField(i, "cluster_slots_ok") != strconv.Itoa(slotCount) {
			return fmt.Errorf("%s reports:\n%s", n.addr, i)
		}
		nodes, err := n.do("CLUSTER", "NODES")
		if err != nil {
			return fmt.Errorf("%s: %w", n.addr, err)
		}
		view, ok := topologyView(text(nodes), down)
		if !ok {
			return fmt.Errorf("%s sees a node failing or not connected:\n%s", n.addr, text(nodes))
		}
		if first == "" {
			first, firstAddr = view, n.addr
		} else if view != first {
			return fmt.Errorf("%s sees\n%s\nbut %s sees\n%s", firstAddr, first, n.addr, view)
		}
	}
	return nil
}

// topologyView condenses CLUSTER NODES into what every node must agree
// on: each node's ID, role, master and slots. ok is false while a node is
// marked failing, in handshake, without address, or disconnected, unless
// its ID is one of down (nodes stopped on purpose), and while one of
// down is a master with slots.
func topologyView(nodes string, down map[string]bool) (view string, ok bool) {
	ok = true
	var lines []string
	for _, line := range strings.Split(strings.TrimSpace(nodes), "\n") {
		f := strings.Fields(line)
		if len(f) < 8 {
			continue
		}
		flags := strings.Split(f[2], ",")
		role := "master"
		for _, fl := range flags {
			switch fl {
			case "slave":
				role = "replica"
			case "fail", "fail?", "handshake", "noaddr":
				ok = ok && down[f[0]]
			}
		}
		if f[7] != "connected" {
			ok = ok && down[f[0]]
		}
		if down[f[0]] && role == "master" && len(f) > 8 {
			ok = false // slots of a stopped master: no failover yet
		}
		lines = append(lines, strings.Join(append([]string{f[0], role, f[3]}, f[8:]...), " "))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n"), ok
}

// running returns the nodes whose process runs.
func (cl *Cluster) running() []*Server {
	var rs []*Server
	for _, n := range cl.Nodes {
		if gone, _ := n.inst.exited(); !gone {
			rs = append(rs, n)
		}
	}
	return rs
}

// waitAll waits until ready holds for every running node; what and the
// last detail of a node that was not ready make the error.
func (cl *Cluster) waitAll(timeout time.Duration, what string, ready func(*Server) (bool, string)) error {
	deadline := time.Now().Add(timeout)
	for {
		var lagging *Server
		var detail string
		for _, n := range cl.running() {
			if ok, d := ready(n); !ok {
				lagging, detail = n, d
				break
			}
		}
		if lagging == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("waited %v for %s; %s is not there:\n%s", timeout, what, lagging.addr, detail)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitFor polls cond until it holds or timeout passed.
func waitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Masters returns the nodes started as masters.
func (cl *Cluster) Masters() []*Server { return cl.Nodes[:cl.cfg.Masters] }

// Replicas returns the nodes started as replicas.
func (cl *Cluster) Replicas() []*Server { return cl.Nodes[cl.cfg.Masters:] }

// NodeID returns the cluster node ID of Nodes[i].
func (cl *Cluster) NodeID(i int) string { return cl.ids[i] }

// BusPort returns the cluster bus port of Nodes[i].
func (cl *Cluster) BusPort(i int) int { return cl.bus[i] }

// Seeds returns every node's address, masters first.
func (cl *Cluster) Seeds() []string {
	seeds := make([]string, len(cl.Nodes))
	for i, n := range cl.Nodes {
		seeds[i] = n.addr
	}
	return seeds
}

// ClusterOptions returns cluster client options: every node as a seed,
// and the password.
func (cl *Cluster) ClusterOptions() redisclient.ClusterOptions {
	return redisclient.ClusterOptions{Options: cl.Nodes[0].Options(), Seeds: cl.Seeds()}
}

// Client returns a cluster client, with the topology loaded, closed when
// t ends.
func (cl *Cluster) Client(t testing.TB) *redisclient.Client {
	t.Helper()
	c, err := redisclient.NewCluster(cl.ClusterOptions())
	if err != nil {
		t.Fatalf("redistest: cluster client: %v", err)
	}
	return readyClient(t, c, "the cluster")
}
