package integration

// This file is the Redis Cluster fixture of the cluster tests: masters and
// replicas in containers (StartServer's machinery, host networking,
// 127.0.0.1 only), joined with CLUSTER MEET, slots assigned with CLUSTER
// ADDSLOTSRANGE, replicas attached with CLUSTER REPLICATE, every wait
// bounded; and the administration the tests need: the current shards,
// slot migration (SETSLOT IMPORTING/MIGRATING, MIGRATE of GETKEYSINSLOT,
// SETSLOT NODE), keys for given slots, server counters, and a load
// generator that records every acknowledged write.

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redkit-go/redkit/cluster"
	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/redistest"
	"github.com/redkit-go/redkit/transport"
)

// cluNodeTimeout is the cluster-node-timeout of every fixture cluster.
const cluNodeTimeout = 2 * time.Second

// cluConfig describes a cluster to start.
type cluConfig struct {
	// Name prefixes the containers' names.
	Name string
	// Masters (default 3) and ReplicasPerMaster (default 1; negative for
	// none).
	Masters, ReplicasPerMaster int
	// Password, when set, is every node's requirepass (and masterauth);
	// ShardPassword overrides it for the nodes of one shard.
	Password      string
	ShardPassword map[int]string
	// Hostnames makes every node announce nodeN.redkit.test (which does
	// not resolve) as its preferred endpoint.
	Hostnames bool
}

// cluNode is one server of a fixture cluster.
type cluNode struct {
	*Server
	Index    int    // position in testCluster.Nodes (masters first)
	ID       string // cluster node ID
	BusPort  int
	Hostname string // announced hostname, with cluConfig.Hostnames
	Shard    int    // the master it was started for (its index)
	Admin    *redisclient.Client
}

// Announced is the address the node announces: hostname:port with
// cluConfig.Hostnames, else its 127.0.0.1 address.
func (n *cluNode) Announced() string {
	if n.Hostname != "" {
		return net.JoinHostPort(n.Hostname, strconv.Itoa(n.Port))
	}
	return n.Addr
}

// testCluster is a running fixture cluster.
type testCluster struct {
	cfg   cluConfig
	Nodes []*cluNode // masters first, then replicas
}

// cluBusPort returns a free port for a cluster bus, from redistest's
// allocator (which hands out the servers' ports: never one twice).
func cluBusPort() (int, error) { return redistest.FreePort() }

// startCluster starts a cluster for t and waits until it is formed: every
// node reports cluster_state:ok with all slots, knows every node, and
// reports every replica connected and healthy. The containers go when t
// ends.
func startCluster(t testing.TB, cfg cluConfig) *testCluster {
	t.Helper()
	if cfg.Masters == 0 {
		cfg.Masters = 3
	}
	if cfg.ReplicasPerMaster == 0 {
		cfg.ReplicasPerMaster = 1
	}
	replicas := max(cfg.ReplicasPerMaster, 0)
	total := cfg.Masters * (1 + replicas)
	if cfg.Name == "" {
		cfg.Name = "cluster"
	}
	start := time.Now()
	tc := startClusterNodes(t, cfg, total)
	ctx := ctxFor(t, 60*time.Second)

	// Node IDs, distinct config epochs (no collision to resolve), then
	// everybody meets node 0.
	for i, n := range tc.Nodes {
		id, err := redisclient.ClusterMyID().Do(ctx, n.Admin)
		must(t, err, "CLUSTER MYID on "+n.Addr)
		n.ID = id
		_, err = redisclient.Raw("CLUSTER", "SET-CONFIG-EPOCH", strconv.Itoa(i+1)).Do(ctx, n.Admin)
		must(t, err, "CLUSTER SET-CONFIG-EPOCH on "+n.Addr)
	}
	for _, n := range tc.Nodes[1:] {
		must(t, redisclient.ClusterMeet("127.0.0.1", int64(n.Port)).ClusterBusPort(int64(n.BusPort)).Do(ctx, tc.Nodes[0].Admin),
			"CLUSTER MEET "+n.Addr)
	}
	tc.waitAll(t, 20*time.Second, "every node to know every other", func(n *cluNode) (bool, string) {
		info := n.rawOrEmpty("CLUSTER", "INFO")
		nodes := n.rawOrEmpty("CLUSTER", "NODES")
		return strings.Contains(info, fmt.Sprintf("cluster_known_nodes:%d\r\n", total)) && !strings.Contains(nodes, "handshake"), nodes
	})

	// Slots, evenly, to the masters.
	per := transport.SlotCount / cfg.Masters
	for m := range cfg.Masters {
		first, last := m*per, (m+1)*per-1
		if m == cfg.Masters-1 {
			last = transport.SlotCount - 1
		}
		must(t, redisclient.ClusterAddSlotsRange(int64(first), int64(last)).Do(ctx, tc.Nodes[m].Admin), "CLUSTER ADDSLOTSRANGE")
	}
	// Replicas (they must have learnt their master's ID by gossip).
	for _, n := range tc.Nodes[cfg.Masters:] {
		master := tc.Nodes[n.Shard]
		var err error
		if !cluWaitFor(20*time.Second, func() bool {
			err = redisclient.ClusterReplicate(redisclient.ClusterReplicateNodeID(master.ID)).Do(ctx, n.Admin)
			return err == nil
		}) {
			t.Fatalf("CLUSTER REPLICATE %s on %s: %v", master.ID, n.Addr, err)
		}
	}
	tc.waitAll(t, 20*time.Second, "the replicas to sync", func(n *cluNode) (bool, string) {
		if n.Index < cfg.Masters {
			return true, ""
		}
		info := n.rawOrEmpty("INFO", "replication")
		return strings.Contains(info, "master_link_status:up"), info
	})
	// CLUSTER SHARDS says "loading" for a replica until its replication
	// offset leaves zero, which an idle master moves only every
	// repl-ping-replica-period (10 s): a write (FLUSHALL of the empty
	// database) moves it now.
	for _, n := range tc.Nodes[:cfg.Masters] {
		must(t, redisclient.FlushAll().Do(ctx, n.Admin), "FLUSHALL on "+n.Addr)
	}
	tc.waitFormed(t, 30*time.Second)
	t.Logf("cluster %q: %d masters + %d replicas formed in %v", cfg.Name, cfg.Masters, total-cfg.Masters, time.Since(start).Round(time.Millisecond))
	return tc
}

// startClusterNodes starts total cluster-enabled servers for t (masters
// first, then replicas, as cfg says; the containers go when t ends), each
// on its own: no node knows another, none has slots.
func startClusterNodes(t testing.TB, cfg cluConfig, total int) *testCluster {
	t.Helper()
	tc := &testCluster{cfg: cfg, Nodes: make([]*cluNode, total)}
	dirs := make([]string, total)
	for i := range dirs {
		dirs[i] = t.TempDir()
	}
	errs := make([]error, total)
	var wg sync.WaitGroup
	for i := range total {
		shard := i
		if i >= cfg.Masters {
			shard = (i - cfg.Masters) % cfg.Masters
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			tc.Nodes[i], errs[i] = tc.startNode(i, shard, dirs[i])
		}()
	}
	wg.Wait()
	for _, n := range tc.Nodes {
		if n == nil {
			continue
		}
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("output of %s (%s, node %d):\n%s", n.cfg.Name, n.Addr, n.Index, n.Logs())
			}
			n.purge()
		})
	}
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("start the cluster's servers: %v", err)
	}
	for _, n := range tc.Nodes {
		n.Admin = NewClient(t, n.Options(3))
	}
	return tc
}

// startNode starts one server, with a fresh bus port when the one chosen
// was taken meanwhile.
func (tc *testCluster) startNode(i, shard int, dir string) (*cluNode, error) {
	var lastErr error
	for range 4 {
		bus, err := cluBusPort()
		if err != nil {
			return nil, err
		}
		args := []string{
			"--cluster-enabled", "yes",
			"--cluster-config-file", "nodes.conf",
			"--cluster-node-timeout", strconv.Itoa(int(cluNodeTimeout / time.Millisecond)),
			"--cluster-port", strconv.Itoa(bus),
			"--cluster-announce-ip", "127.0.0.1",
			// A replica syncs at once rather than waiting for others.
			"--repl-diskless-sync-delay", "0",
		}
		n := &cluNode{Index: i, BusPort: bus, Shard: shard}
		if tc.cfg.Hostnames {
			n.Hostname = fmt.Sprintf("node%d.redkit.test", i)
			args = append(args, "--cluster-announce-hostname", n.Hostname, "--cluster-preferred-endpoint-type", "hostname")
		}
		password := tc.cfg.Password
		if p, ok := tc.cfg.ShardPassword[shard]; ok {
			password = p
		}
		if password != "" {
			args = append(args, "--masterauth", password)
		}
		role := "m"
		if i >= tc.cfg.Masters {
			role = "r"
		}
		srv, err := startServer(ServerConfig{
			Name:     fmt.Sprintf("%s-%s%d", tc.cfg.Name, role, i),
			Password: password,
			Args:     args,
		}, dir)
		if err == nil {
			n.Server = srv
			return n, nil
		}
		lastErr = err
		if !strings.Contains(err.Error(), "Address already in use") {
			break
		}
	}
	return nil, fmt.Errorf("node %d: %w", i, lastErr)
}

// rawOrEmpty runs a command with the harness's own probe, "" on failure.
func (n *cluNode) rawOrEmpty(args ...string) string {
	s, err := n.raw(3*time.Second, args...)
	if err != nil {
		return ""
	}
	return s
}

// waitAll waits until cond holds on every node (nodes for which skip
// says so excepted), failing t with the last status after d.
func (tc *testCluster) waitAll(t testing.TB, d time.Duration, what string, cond func(n *cluNode) (bool, string)) {
	t.Helper()
	tc.waitNodes(t, d, what, tc.Nodes, cond)
}

func (tc *testCluster) waitNodes(t testing.TB, d time.Duration, what string, nodes []*cluNode, cond func(n *cluNode) (bool, string)) {
	t.Helper()
	var last string
	ok := cluWaitFor(d, func() bool {
		for _, n := range nodes {
			good, status := cond(n)
			if !good {
				last = fmt.Sprintf("%s: %s", n.Addr, status)
				return false
			}
		}
		return true
	})
	if !ok {
		t.Fatalf("timed out after %v waiting for %s; last status:\n%s", d, what, last)
	}
}

// waitFormed waits until the running nodes agree that the cluster is
// whole: cluster_state:ok with every slot, every node known and not
// failed, every replica connected to its master and reported healthy.
func (tc *testCluster) waitFormed(t testing.TB, d time.Duration) {
	t.Helper()
	tc.waitNodes(t, d, "the cluster to be formed", tc.Nodes, func(n *cluNode) (bool, string) {
		info := n.rawOrEmpty("CLUSTER", "INFO")
		if !strings.Contains(info, "cluster_state:ok") || !strings.Contains(info, "cluster_slots_ok:16384") {
			return false, info
		}
		nodes := n.rawOrEmpty("CLUSTER", "NODES")
		if strings.Contains(nodes, "fail") || strings.Contains(nodes, "handshake") || strings.Count(nodes, "slave") != len(tc.Nodes)-tc.cfg.Masters {
			return false, nodes
		}
		if strings.Contains(nodes, "myself,slave") && !strings.Contains(n.rawOrEmpty("INFO", "replication"), "master_link_status:up") {
			return false, "replication link down"
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		shards, err := redisclient.ClusterShards().Do(ctx, n.Admin)
		if err != nil {
			return false, err.Error()
		}
		for _, sh := range shards {
			for _, x := range sh.Nodes {
				if x.Health != "online" {
					return false, fmt.Sprintf("CLUSTER SHARDS: %s:%d is %s", x.Endpoint, x.Port, x.Health)
				}
			}
		}
		return true, ""
	})
}

// node returns the fixture node with a cluster node ID.
func (tc *testCluster) node(id string) *cluNode {
	for _, n := range tc.Nodes {
		if n.ID == id {
			return n
		}
	}
	return nil
}

// cluShard is a shard as the cluster reports it now.
type cluShard struct {
	Master   *cluNode
	Replicas []*cluNode
	Slots    []int // inclusive ranges: start0, end0, start1, end1, ...
}

// Has reports whether the shard serves slot.
func (s cluShard) Has(slot int) bool {
	for i := 0; i+1 < len(s.Slots); i += 2 {
		if slot >= s.Slots[i] && slot <= s.Slots[i+1] {
			return true
		}
	}
	return false
}

// shards returns the shards with slots, as a live master reports them
// (CLUSTER SHARDS), ordered by first slot.
func (tc *testCluster) shards(t testing.TB) []cluShard {
	t.Helper()
	var lastErr error
	for _, n := range tc.Nodes {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		reply, err := redisclient.ClusterShards().Do(ctx, n.Admin)
		cancel()
		if err != nil {
			lastErr = err
			continue
		}
		var out []cluShard
		for _, sh := range reply {
			if len(sh.Slots) == 0 {
				continue
			}
			var s cluShard
			for _, v := range sh.Slots {
				s.Slots = append(s.Slots, int(v))
			}
			for _, x := range sh.Nodes {
				fn := tc.node(x.ID)
				if fn == nil {
					t.Fatalf("CLUSTER SHARDS names an unknown node %s", x.ID)
				}
				if x.Role == "master" {
					s.Master = fn
				} else if x.Health == "online" {
					s.Replicas = append(s.Replicas, fn)
				}
			}
			out = append(out, s)
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Slots[0] < out[j].Slots[0] })
		return out
	}
	t.Fatalf("no node answered CLUSTER SHARDS: %v", lastErr)
	return nil
}

// masters returns the nodes that are masters with slots now.
func (tc *testCluster) masters(t testing.TB) []*cluNode {
	var out []*cluNode
	for _, s := range tc.shards(t) {
		out = append(out, s.Master)
	}
	return out
}

// replicas returns the healthy replicas now.
func (tc *testCluster) replicas(t testing.TB) []*cluNode {
	var out []*cluNode
	for _, s := range tc.shards(t) {
		out = append(out, s.Replicas...)
	}
	return out
}

// client returns a cluster client (RESP proto) seeded with every node,
// ready, closed when t ends, with the coverage hook. mod adjusts the
// options.
func (tc *testCluster) client(t testing.TB, proto int, mod func(o *redisclient.ClusterOptions)) *redisclient.Client {
	t.Helper()
	o := redisclient.ClusterOptions{
		Options: redisclient.Options{Protocol: proto, Password: tc.cfg.Password, DialTimeout: 5 * time.Second, AlwaysPipeline: alwaysPipeline,
			Hooks: []redisclient.Hook{coverageHook(proto)}},
	}
	for _, n := range tc.Nodes {
		o.Seeds = append(o.Seeds, n.Addr)
	}
	if mod != nil {
		mod(&o)
	}
	c, err := redisclient.NewCluster(o)
	if err != nil {
		t.Fatalf("redisclient.NewCluster: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := c.Ready(ctx); err != nil {
		t.Fatalf("cluster client Ready: %v", err)
	}
	return c
}

// cluRouter returns a cluster client's router.
func cluRouter(t testing.TB, c *redisclient.Client) *cluster.Router {
	t.Helper()
	r, ok := c.Router().(*cluster.Router)
	if !ok {
		t.Fatalf("the client's router is a %T, not a *cluster.Router", c.Router())
	}
	return r
}

// cluTags[s] is a short string whose slot is s: "{tag}..." keys land in
// any slot wanted.
var cluTags = func() (tags [transport.SlotCount]string) {
	left := transport.SlotCount
	for i := 0; left > 0; i++ {
		tag := strconv.FormatInt(int64(i), 36)
		if s := transport.Slot(tag); tags[s] == "" {
			tags[s] = tag
			left--
		}
	}
	return tags
}()

// cluKey returns a key in slot whose name also carries name.
func cluKey(slot int, name string) string { return "{" + cluTags[slot] + "}" + name }

// slotsOf lists the slots of inclusive ranges.
func slotsOf(ranges []int) []int {
	var out []int
	for i := 0; i+1 < len(ranges); i += 2 {
		for s := ranges[i]; s <= ranges[i+1]; s++ {
			out = append(out, s)
		}
	}
	return out
}

// infoField returns one field of INFO section on a node ("" if absent),
// read by the harness's own connection.
func (n *cluNode) infoField(t testing.TB, section, field string) string {
	t.Helper()
	info, err := n.raw(5*time.Second, "INFO", section)
	if err != nil {
		t.Fatalf("INFO %s on %s: %v", section, n.Addr, err)
	}
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), field+":"); ok {
			return v
		}
	}
	return ""
}

// calls returns how often a node ran a command (INFO commandstats, lower
// case name).
func (n *cluNode) calls(t testing.TB, command string) int64 {
	t.Helper()
	return cluStat(n.infoField(t, "commandstats", "cmdstat_"+command), "calls")
}

// errorCount returns how many error replies with a prefix ("MOVED", "ASK")
// a node sent (INFO errorstats).
func (n *cluNode) errorCount(t testing.TB, prefix string) int64 {
	t.Helper()
	return cluStat(n.infoField(t, "errorstats", "errorstat_"+prefix), "count")
}

// cluStat reads name=value out of "calls=3,usec=..." (0 when absent).
func cluStat(line, name string) int64 {
	for _, kv := range strings.Split(line, ",") {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

// resetStats clears a node's counters (CONFIG RESETSTAT).
func (n *cluNode) resetStats(t testing.TB) {
	t.Helper()
	if reply, err := n.raw(5*time.Second, "CONFIG", "RESETSTAT"); err != nil || reply != "+OK" {
		t.Fatalf("CONFIG RESETSTAT on %s: %q %v", n.Addr, reply, err)
	}
}

// migrateSlot moves slot from one master to another the way redis-cli
// does: SETSLOT IMPORTING on the target, MIGRATING on the source, MIGRATE
// of the keys CLUSTER GETKEYSINSLOT lists until none is left, then SETSLOT
// NODE on the target, the source and every other master. It returns how
// many keys moved.
func (tc *testCluster) migrateSlot(ctx context.Context, slot int, from, to *cluNode, masters []*cluNode) (int, error) {
	s := int64(slot)
	if err := redisclient.ClusterSetSlot(s, redisclient.ClusterSetSlotImporting(from.ID)).Do(ctx, to.Admin); err != nil {
		return 0, fmt.Errorf("SETSLOT %d IMPORTING on %s: %w", slot, to.Addr, err)
	}
	if err := redisclient.ClusterSetSlot(s, redisclient.ClusterSetSlotMigrating(to.ID)).Do(ctx, from.Admin); err != nil {
		return 0, fmt.Errorf("SETSLOT %d MIGRATING on %s: %w", slot, from.Addr, err)
	}
	moved := 0
	for {
		keys, err := redisclient.ClusterGetKeysInSlot(s, 200).Do(ctx, from.Admin)
		if err != nil {
			return moved, fmt.Errorf("GETKEYSINSLOT %d on %s: %w", slot, from.Addr, err)
		}
		if len(keys) == 0 {
			break
		}
		args := []string{"MIGRATE", "127.0.0.1", strconv.Itoa(to.Port), "", "0", "5000"}
		if pw := tc.passwordOf(to); pw != "" {
			args = append(args, "AUTH", pw)
		}
		args = append(args, "KEYS")
		if _, err := redisclient.RawStrings(append(args, keys...)...).Do(ctx, from.Admin); err != nil {
			return moved, fmt.Errorf("MIGRATE %d keys of slot %d: %w", len(keys), slot, err)
		}
		moved += len(keys)
	}
	return moved, tc.setSlotNode(ctx, slot, to, from, masters)
}

// setSlotNode assigns slot to owner on the owner, the old owner and every
// other master.
func (tc *testCluster) setSlotNode(ctx context.Context, slot int, owner, old *cluNode, masters []*cluNode) error {
	order := []*cluNode{owner, old}
	for _, m := range masters {
		if m != owner && m != old {
			order = append(order, m)
		}
	}
	for _, m := range order {
		if err := redisclient.ClusterSetSlot(int64(slot), redisclient.ClusterSetSlotNode(owner.ID)).Do(ctx, m.Admin); err != nil {
			return fmt.Errorf("SETSLOT %d NODE on %s: %w", slot, m.Addr, err)
		}
	}
	return nil
}

func (tc *testCluster) passwordOf(n *cluNode) string { return n.cfg.Password }

// cluLoad runs writers (and optionally readers) against a cluster client
// and records every acknowledged write, every error and when each
// succeeded, per slot owner of interest.
type cluLoad struct {
	c       *redisclient.Client
	prefix  string
	opTime  time.Duration
	stop    chan struct{}
	wg      sync.WaitGroup
	writes  atomic.Int64
	reads   atomic.Int64
	errs    atomic.Int64
	started time.Time

	// noNode counts the operations that failed for want of a node serving
	// their slot (a refresh taken in the middle of a failover must not
	// leave slots without one); noNodeSample keeps the first errors.
	noNode       atomic.Int64
	noNodeSample []string

	mu        sync.Mutex // protects following fields
	acked     map[string]time.Time
	ackedList []string
	errSample []string
	// watched records, for the slots watch says yes to, the completion
	// times of successful writes and the times of failures.
	watch     func(slot int) bool
	watchOK   []time.Time
	watchFail []time.Time
}

// cluLoadConfig describes a load.
type cluLoadConfig struct {
	Prefix string
	// Writers write unique keys in slots drawn from slotFor.
	Writers int
	SlotFor func(r *rand.Rand) int
	// PipeWriters write pipelines of PipeLen unique keys.
	PipeWriters, PipeLen int
	// Readers read acknowledged keys back (GET, and MGET across slots)
	// and count a wrong or missing value as an error.
	Readers int
	// OpTimeout bounds each operation.
	OpTimeout time.Duration
	// Watch selects the slots whose write times are recorded.
	Watch func(slot int) bool
}

// startLoad starts a load; stop it with (*cluLoad).Stop.
func startLoad(c *redisclient.Client, cfg cluLoadConfig) *cluLoad {
	if cfg.OpTimeout <= 0 {
		cfg.OpTimeout = 5 * time.Second
	}
	if cfg.SlotFor == nil {
		cfg.SlotFor = func(r *rand.Rand) int { return r.IntN(transport.SlotCount) }
	}
	l := &cluLoad{c: c, prefix: cfg.Prefix, opTime: cfg.OpTimeout, stop: make(chan struct{}),
		acked: map[string]time.Time{}, watch: cfg.Watch, started: time.Now()}
	for g := range cfg.Writers {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			r := rand.New(rand.NewPCG(uint64(g), uint64(time.Now().UnixNano())))
			for i := 0; !l.stopped(); i++ {
				slot := cfg.SlotFor(r)
				k := cluKey(slot, fmt.Sprintf("%s:w%d:%d", l.prefix, g, i))
				ctx, cancel := context.WithTimeout(context.Background(), l.opTime)
				err := redisclient.Set(k, k).Do(ctx, c)
				cancel()
				l.record(slot, k, err)
			}
		}()
	}
	for g := range cfg.PipeWriters {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			r := rand.New(rand.NewPCG(uint64(1000+g), uint64(time.Now().UnixNano())))
			for i := 0; !l.stopped(); i++ {
				p := c.Pipeline()
				keys := make([]string, cfg.PipeLen)
				slots := make([]int, cfg.PipeLen)
				futs := make([]*redisclient.Future[struct{}], cfg.PipeLen)
				for j := range keys {
					slots[j] = cfg.SlotFor(r)
					keys[j] = cluKey(slots[j], fmt.Sprintf("%s:p%d:%d:%d", l.prefix, g, i, j))
					futs[j] = redisclient.Set(keys[j], keys[j]).Queue(p)
				}
				ctx, cancel := context.WithTimeout(context.Background(), l.opTime)
				p.Exec(ctx)
				cancel()
				for j, f := range futs {
					l.record(slots[j], keys[j], f.Err())
				}
			}
		}()
	}
	for g := range cfg.Readers {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			r := rand.New(rand.NewPCG(uint64(2000+g), uint64(time.Now().UnixNano())))
			for i := 0; !l.stopped(); i++ {
				keys := l.sample(r, 1+i%5)
				if len(keys) == 0 {
					time.Sleep(time.Millisecond)
					continue
				}
				ctx, cancel := context.WithTimeout(context.Background(), l.opTime)
				var err error
				if len(keys) == 1 {
					var v redisclient.Opt[string]
					v, err = redisclient.Get(keys[0]).Do(ctx, c)
					if err == nil && v != (redisclient.Opt[string]{Value: keys[0], Valid: true}) {
						err = fmt.Errorf("GET %s: got %+v", keys[0], v)
					}
				} else {
					var vs []redisclient.Opt[string]
					vs, err = redisclient.MGet(keys...).Do(ctx, c)
					for j := range vs {
						if err == nil && vs[j] != (redisclient.Opt[string]{Value: keys[j], Valid: true}) {
							err = fmt.Errorf("MGET: %s: got %+v", keys[j], vs[j])
						}
					}
				}
				cancel()
				l.reads.Add(1)
				if err != nil {
					l.fail(err)
				}
			}
		}()
	}
	return l
}

func (l *cluLoad) stopped() bool {
	select {
	case <-l.stop:
		return true
	default:
		return false
	}
}

func (l *cluLoad) fail(err error) {
	l.errs.Add(1)
	var ue *cluster.SlotUnservedError
	noNode := errors.As(err, &ue) || strings.Contains(err.Error(), "no node serves slot")
	if noNode {
		l.noNode.Add(1)
	}
	l.mu.Lock()
	at := fmt.Sprintf("%v: %v", time.Since(l.started).Round(time.Millisecond), err)
	if len(l.errSample) < 10 {
		l.errSample = append(l.errSample, at)
	}
	if noNode && len(l.noNodeSample) < 5 {
		l.noNodeSample = append(l.noNodeSample, at)
	}
	l.mu.Unlock()
}

// noNodeErrors returns how many operations failed for want of a node
// serving their slot, and the first of those errors.
func (l *cluLoad) noNodeErrors() (int64, []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.noNode.Load(), append([]string(nil), l.noNodeSample...)
}

func (l *cluLoad) record(slot int, key string, err error) {
	now := time.Now()
	l.writes.Add(1)
	if err != nil {
		l.fail(err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err == nil {
		l.acked[key] = now
		l.ackedList = append(l.ackedList, key)
	}
	if l.watch != nil && l.watch(slot) {
		if err == nil {
			l.watchOK = append(l.watchOK, now)
		} else {
			l.watchFail = append(l.watchFail, now)
		}
	}
}

// sample returns up to n acknowledged keys.
func (l *cluLoad) sample(r *rand.Rand, n int) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.ackedList) == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = l.ackedList[r.IntN(len(l.ackedList))]
	}
	return out
}

// Stop stops the load and waits for its goroutines.
func (l *cluLoad) Stop() {
	close(l.stop)
	l.wg.Wait()
}

// summary describes what the load did.
func (l *cluLoad) summary() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	d := time.Since(l.started).Seconds()
	return fmt.Sprintf("%d writes (%.0f/s), %d acknowledged, %d reads (%.0f/s), %d errors %q",
		l.writes.Load(), float64(l.writes.Load())/d, len(l.acked), l.reads.Load(), float64(l.reads.Load())/d, l.errs.Load(), l.errSample)
}

// missing returns the acknowledged keys that do not read back with their
// value (MGET in batches through c), with their acknowledgement times.
func (l *cluLoad) missing(t testing.TB, c *redisclient.Client) map[string]time.Time {
	t.Helper()
	l.mu.Lock()
	keys := append([]string(nil), l.ackedList...)
	l.mu.Unlock()
	out := map[string]time.Time{}
	ctx := ctxFor(t, 60*time.Second)
	for len(keys) > 0 {
		batch := keys[:min(500, len(keys))]
		keys = keys[len(batch):]
		vs, err := redisclient.MGet(batch...).Do(ctx, c)
		if err != nil {
			t.Fatalf("read back %d keys: %v", len(batch), err)
		}
		for i, v := range vs {
			if v != (redisclient.Opt[string]{Value: batch[i], Valid: true}) {
				l.mu.Lock()
				out[batch[i]] = l.acked[batch[i]]
				l.mu.Unlock()
			}
		}
	}
	return out
}
