package integration

// Cluster administration through the typed builders and decoders, on both
// protocols, against a private cluster of three nodes (127.0.0.1 only:
// they bind and announce it) that each protocol's run forms from nodes
// that know nobody and takes apart again: CLUSTER MYID, MYSHARDID, HELP,
// KEYSLOT, INFO, SET-CONFIG-EPOCH, BUMPEPOCH, ADDSLOTS, ADDSLOTSRANGE,
// DELSLOTS, DELSLOTSRANGE, FLUSHSLOTS, COUNTKEYSINSLOT, GETKEYSINSLOT,
// SLOT-STATS and TRIMSLOTS on a lone node; MEET, REPLICATE, NODES,
// REPLICAS, SLAVES, SLOTS, SHARDS, LINKS, COUNT-FAILURE-REPORTS and
// SAVECONFIG once it is formed; READONLY and READWRITE on a replica's
// dedicated connection; a slot moved with SETSLOT, MIGRATE and ASKING, and
// one with CLUSTER MIGRATION; then FAILOVER, FORGET and RESET. None of it
// touches the clusters other tests use.

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
)

func TestClusterAdministration(t *testing.T) {
	t.Parallel()
	// A and B become masters, C A's replica.
	tc := startClusterNodes(t, cluConfig{Name: "admin", Masters: 2, ReplicasPerMaster: 1}, 3)
	for _, proto := range []int{2, 3} {
		ok := t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			adm := &cluAdmin{proto: proto, a: tc.Nodes[0], b: tc.Nodes[1], c: tc.Nodes[2]}
			adm.ca = NewClient(t, adm.a.Options(proto))
			adm.cb = NewClient(t, adm.b.Options(proto))
			adm.cc = NewClient(t, adm.c.Options(proto))
			adm.alone(t)
			adm.form(t)
			adm.replicaReads(t)
			adm.inspect(t)
			adm.moveSlot(t)
			adm.atomicMigration(t)
			adm.failover(t)
			adm.forget(t)
			adm.takeApart(t)
		})
		if !ok {
			return // the nodes are in an unknown state
		}
	}
}

// cluAdmin is one protocol's run: the nodes and a client of that protocol
// for each.
type cluAdmin struct {
	proto      int
	a, b, c    *cluNode
	ca, cb, cc *redisclient.Client
}

// nodeIDPattern is a cluster node ID (and shard ID).
var nodeIDPattern = regexp.MustCompile(`^[0-9a-f]{40}$`)

// alone runs what a node does on its own: IDs, epochs, slots assigned and
// removed, keys counted and trimmed. It leaves A with slots 0-8191 and B
// and C with none.
func (adm *cluAdmin) alone(t *testing.T) {
	ctx := ctxFor(t, 60*time.Second)
	a, b := adm.a, adm.b
	shardIDs := map[string]bool{}
	for _, n := range []struct {
		node *cluNode
		c    *redisclient.Client
	}{{a, adm.ca}, {b, adm.cb}, {adm.c, adm.cc}} {
		id := value[string](t, "CLUSTER MYID")(redisclient.ClusterMyID().Do(ctx, n.c))
		if !nodeIDPattern.MatchString(id) {
			t.Fatalf("CLUSTER MYID on %s: %q is no node ID", n.node.Addr, id)
		}
		n.node.ID = id
		if a.Has(t, "7.2.0", "") {
			shard := value[string](t, "CLUSTER MYSHARDID")(redisclient.ClusterMyShardID().Do(ctx, n.c))
			if !nodeIDPattern.MatchString(shard) || shardIDs[shard] {
				t.Errorf("CLUSTER MYSHARDID on %s: %q is no shard ID of its own", n.node.Addr, shard)
			}
			shardIDs[shard] = true
		}
		expect(t, "CLUSTER INFO of a lone node", map[string]string{"cluster_state": "fail", "cluster_slots_assigned": "0", "cluster_known_nodes": "1"})(
			adm.info(ctx, n.c, "cluster_state", "cluster_slots_assigned", "cluster_known_nodes"))
	}
	if !a.Has(t, "7.2.0", "") {
		t.Logf("CLUSTER MYSHARDID not run: it needs Redis 7.2.0 or newer, the server is %s", a.VersionString(t))
	}

	help := value[[]string](t, "CLUSTER HELP")(redisclient.ClusterHelp().Do(ctx, adm.ca))
	if !slices.ContainsFunc(help, func(l string) bool { return strings.HasPrefix(strings.TrimSpace(l), "MEET <ip> <port>") }) ||
		!strings.Contains(help[0], "CLUSTER") {
		t.Errorf("CLUSTER HELP: %q lacks the MEET line", help)
	}
	for _, k := range []string{"somekey", "{user1000}.following", "{user1000}.followers", ""} {
		expect(t, "CLUSTER KEYSLOT "+k, int64(transport.Slot(k)))(redisclient.ClusterKeySlot(k).Do(ctx, adm.ca))
	}
	expect(t, "CLUSTER KEYSLOT of a hash tag", int64(transport.Slot("user1000")))(redisclient.ClusterKeySlot("{user1000}.x").Do(ctx, adm.ca))

	// Epochs: A takes 7 (only while it knows nobody and has none), C
	// bumps its own from 0; A, already the greatest, stays. (Both start
	// from 0: fresh nodes, or hard reset by the previous run.)
	ok(t, "CLUSTER SET-CONFIG-EPOCH")(redisclient.ClusterSetConfigEpoch(7).Do(ctx, adm.ca))
	expect(t, "CLUSTER INFO epochs after SET-CONFIG-EPOCH", map[string]string{"cluster_my_epoch": "7", "cluster_current_epoch": "7"})(
		adm.info(ctx, adm.ca, "cluster_my_epoch", "cluster_current_epoch"))
	serverError[struct{}](t, "CLUSTER SET-CONFIG-EPOCH once the epoch is set", "ERR")(struct{}{}, redisclient.ClusterSetConfigEpoch(8).Do(ctx, adm.ca))
	expect(t, "CLUSTER BUMPEPOCH from 0", "BUMPED 1")(redisclient.ClusterBumpEpoch().Do(ctx, adm.cc))
	expect(t, "CLUSTER BUMPEPOCH on the greatest epoch", "STILL 7")(redisclient.ClusterBumpEpoch().Do(ctx, adm.ca))

	// A alone serves every slot, so it takes writes.
	ok(t, "CLUSTER ADDSLOTSRANGE")(redisclient.ClusterAddSlotsRange(0, transport.SlotCount-1).Do(ctx, adm.ca))
	adm.waitInfo(t, adm.ca, "cluster_state", "ok")
	const slot = 100
	k := cluKey(slot, "admin:alone")
	ok(t, "SET")(redisclient.Set(k, "v").Do(ctx, adm.ca))
	expect(t, "CLUSTER COUNTKEYSINSLOT", int64(1))(redisclient.ClusterCountKeysInSlot(slot).Do(ctx, adm.ca))
	expect(t, "CLUSTER GETKEYSINSLOT", []string{k})(redisclient.ClusterGetKeysInSlot(slot, 10).Do(ctx, adm.ca))
	expect(t, "CLUSTER GETKEYSINSLOT of an empty slot", []string{})(redisclient.ClusterGetKeysInSlot(slot+1, 10).Do(ctx, adm.ca))
	if a.Has(t, "8.2.0", "8.0.0") {
		stats := value[[]redisclient.ClusterSlotStatsEntry](t, "CLUSTER SLOT-STATS SLOTSRANGE")(
			redisclient.ClusterSlotStats(redisclient.ClusterSlotStatsSlotsRange(slot, slot+1)).Do(ctx, adm.ca))
		if len(stats) != 2 || stats[0].Slot != slot || stats[0].Stats.KeyCount != 1 || stats[1].Slot != slot+1 || stats[1].Stats.KeyCount != 0 {
			t.Errorf("CLUSTER SLOT-STATS SLOTSRANGE %d %d: %+v, want slot %d with 1 key, slot %d with none", slot, slot+1, stats, slot, slot+1)
		}
		top := value[[]redisclient.ClusterSlotStatsEntry](t, "CLUSTER SLOT-STATS ORDERBY")(
			redisclient.ClusterSlotStats(redisclient.ClusterSlotStatsOrderBy("key-count").Limit(1).Desc()).Do(ctx, adm.ca))
		if len(top) != 1 || top[0].Slot != slot || top[0].Stats.KeyCount != 1 {
			t.Errorf("CLUSTER SLOT-STATS ORDERBY key-count LIMIT 1 DESC: %+v, want slot %d with 1 key", top, slot)
		}
	} else {
		t.Logf("CLUSTER SLOT-STATS not run: it needs Redis 8.2.0 or Valkey 8.0.0 or newer, the server is %s", a.VersionString(t))
	}

	// Removing a slot keeps its keys (Redis 8.4 and newer no longer count
	// them in CLUSTER COUNTKEYSINSLOT); TRIMSLOTS deletes the keys of slots
	// the node does not serve.
	ok(t, "CLUSTER DELSLOTS")(redisclient.ClusterDelSlots(slot, slot+1).Do(ctx, adm.ca))
	expect(t, "CLUSTER INFO after DELSLOTS", map[string]string{"cluster_slots_assigned": strconv.Itoa(transport.SlotCount - 2)})(
		adm.info(ctx, adm.ca, "cluster_slots_assigned"))
	expect(t, "DBSIZE after DELSLOTS", int64(1))(redisclient.DBSize().Do(ctx, adm.ca))
	if a.Has(t, "8.4.0", "") {
		serverError[struct{}](t, "TRIMSLOTS of a served slot", "ERR")(struct{}{}, redisclient.TrimSlots(slot+2, slot+2).Do(ctx, adm.ca))
		ok(t, "TRIMSLOTS")(redisclient.TrimSlots(slot, slot).Range(slot+1, slot+1).Do(ctx, adm.ca))
		if !cluWaitFor(10*time.Second, func() bool {
			n, err := redisclient.DBSize().Do(ctx, adm.ca)
			return err == nil && n == 0
		}) {
			t.Fatalf("TRIMSLOTS RANGES 2 %d %d %d %d left the key of slot %d", slot, slot, slot+1, slot+1, slot)
		}
	} else {
		t.Logf("TRIMSLOTS not run: it needs Redis 8.4.0 or newer (Valkey has no such command), the server is %s", a.VersionString(t))
		ok(t, "FLUSHALL")(redisclient.FlushAll().Do(ctx, adm.ca))
	}

	// The ranges, then every slot, go (FLUSHSLOTS wants no keys); the node
	// takes the first half back.
	ok(t, "CLUSTER DELSLOTSRANGE")(redisclient.ClusterDelSlotsRange(0, slot-1).StartSlotEndSlot(8192, transport.SlotCount-1).Do(ctx, adm.ca))
	expect(t, "CLUSTER INFO after DELSLOTSRANGE", map[string]string{"cluster_slots_assigned": strconv.Itoa(8192 - slot - 2)})(
		adm.info(ctx, adm.ca, "cluster_slots_assigned"))
	ok(t, "CLUSTER FLUSHSLOTS")(redisclient.ClusterFlushSlots().Do(ctx, adm.ca))
	expect(t, "CLUSTER INFO after FLUSHSLOTS", map[string]string{"cluster_slots_assigned": "0"})(adm.info(ctx, adm.ca, "cluster_slots_assigned"))
	ok(t, "CLUSTER ADDSLOTSRANGE of two ranges")(redisclient.ClusterAddSlotsRange(0, slot-1).StartSlotEndSlot(slot+2, 8191).Do(ctx, adm.ca))
	ok(t, "CLUSTER ADDSLOTS")(redisclient.ClusterAddSlots(slot, slot+1).Do(ctx, adm.ca))
	serverError[struct{}](t, "CLUSTER ADDSLOTS of an assigned slot", "ERR")(struct{}{}, redisclient.ClusterAddSlots(slot).Do(ctx, adm.ca))
	expect(t, "CLUSTER INFO with slots 0-8191", map[string]string{"cluster_slots_assigned": "8192"})(adm.info(ctx, adm.ca, "cluster_slots_assigned"))
}

// form joins the three nodes (MEET), gives B the other half of the slots
// and makes C A's replica, and waits until every node sees the cluster
// whole.
func (adm *cluAdmin) form(t *testing.T) {
	ctx := ctxFor(t, 60*time.Second)
	for _, n := range []*cluNode{adm.b, adm.c} {
		ok(t, "CLUSTER MEET "+n.Addr)(redisclient.ClusterMeet("127.0.0.1", int64(n.Port)).ClusterBusPort(int64(n.BusPort)).Do(ctx, adm.ca))
	}
	adm.waitNodes(t, "every node to know the others", func(n *cluNode) (bool, string) {
		nodes := n.rawOrEmpty("CLUSTER", "NODES")
		return strings.Count(nodes, "\n") == 3 && !strings.Contains(nodes, "handshake") && !strings.Contains(nodes, "noaddr"), nodes
	})
	ok(t, "CLUSTER ADDSLOTSRANGE on B")(redisclient.ClusterAddSlotsRange(8192, transport.SlotCount-1).Do(ctx, adm.cb))
	ok(t, "CLUSTER REPLICATE")(redisclient.ClusterReplicate(redisclient.ClusterReplicateNodeID(adm.a.ID)).Do(ctx, adm.cc))
	adm.waitNodes(t, "the cluster to be whole", func(n *cluNode) (bool, string) {
		info := n.rawOrEmpty("CLUSTER", "INFO")
		nodes := n.rawOrEmpty("CLUSTER", "NODES")
		return strings.Contains(info, "cluster_state:ok") && strings.Contains(info, "cluster_slots_ok:16384") &&
			strings.Count(nodes, "slave "+adm.a.ID) == 1, info + nodes
	})
	adm.waitNodes(t, "the replica to sync", func(n *cluNode) (bool, string) {
		if n != adm.c {
			return true, ""
		}
		info := n.rawOrEmpty("INFO", "replication")
		return strings.Contains(info, "master_link_status:up"), info
	})
}

// replicaReads reads a key on A's replica: refused (MOVED) on a
// connection in the default mode, served after READONLY, refused again
// after READWRITE. Those change the connection's state, so they run on a
// dedicated connection.
func (adm *cluAdmin) replicaReads(t *testing.T) {
	ctx := ctxFor(t, 30*time.Second)
	k := cluKey(50, "admin:replica")
	ok(t, "SET on A")(redisclient.Set(k, "replicated").Do(ctx, adm.ca))
	conn, err := adm.cc.DedicatedConn(ctx, -1)
	must(t, err, "DedicatedConn to the replica")
	defer conn.Release()
	d := adm.cc.Observe(conn)
	serverError[redisclient.Opt[string]](t, "GET on a replica", "MOVED")(redisclient.Get(k).Do(ctx, d))
	ok(t, "READONLY")(redisclient.ReadOnly().Do(ctx, d))
	var got redisclient.Opt[string]
	if !cluWaitFor(10*time.Second, func() bool {
		got, err = redisclient.Get(k).Do(ctx, d)
		return err == nil && got == some("replicated")
	}) {
		t.Errorf("GET after READONLY on the replica: %+v %v, want the replicated value", got, err)
	}
	ok(t, "READWRITE")(redisclient.ReadWrite().Do(ctx, d))
	serverError[redisclient.Opt[string]](t, "GET on the replica after READWRITE", "MOVED")(redisclient.Get(k).Do(ctx, d))
}

// inspect checks what the nodes report of the cluster: NODES, REPLICAS,
// SLAVES, SLOTS, SHARDS, LINKS, COUNT-FAILURE-REPORTS, and SAVECONFIG.
func (adm *cluAdmin) inspect(t *testing.T) {
	ctx := ctxFor(t, 60*time.Second)
	a, b, c := adm.a, adm.b, adm.c

	nodes := cluParseNodes(t, value[string](t, "CLUSTER NODES")(redisclient.ClusterNodes().Do(ctx, adm.cc)))
	want := map[string]cluNodesLine{
		a.ID: {Addr: cluBusAddr(a), Flags: "master", Master: "-", Link: "connected", Slots: "0-8191"},
		b.ID: {Addr: cluBusAddr(b), Flags: "master", Master: "-", Link: "connected", Slots: "8192-16383"},
		c.ID: {Addr: cluBusAddr(c), Flags: "myself,slave", Master: a.ID, Link: "connected"},
	}
	expect(t, "CLUSTER NODES on the replica", want)(nodes, nil)

	replicaLine := func(lines []string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("replicas of A: %v", err)
			return
		}
		if len(lines) != 1 || !strings.HasPrefix(lines[0], c.ID+" "+cluBusAddr(c)) || !strings.Contains(lines[0], " myself,slave "+a.ID+" ") {
			t.Errorf("replicas of A, asked the replica: %q, want one line for %s", lines, c.ID)
		}
	}
	replicaLine(redisclient.ClusterReplicas(a.ID).Do(ctx, adm.cc))
	replicaLine(redisclient.ClusterSlaves(a.ID).Do(ctx, adm.cc))
	expect(t, "CLUSTER REPLICAS of a master without any", []string{})(redisclient.ClusterReplicas(b.ID).Do(ctx, adm.cc))
	serverError[[]string](t, "CLUSTER REPLICAS of an unknown node", "ERR")(redisclient.ClusterReplicas(strings.Repeat("0", 40)).Do(ctx, adm.cc))

	slotNode := func(n *cluNode) redisclient.ClusterSlotNode {
		return redisclient.ClusterSlotNode{Host: "127.0.0.1", Port: int64(n.Port), ID: n.ID}
	}
	wantSlots := []redisclient.ClusterSlot{
		{Start: 0, End: 8191, Nodes: []redisclient.ClusterSlotNode{slotNode(a), slotNode(c)}},
		{Start: 8192, End: 16383, Nodes: []redisclient.ClusterSlotNode{slotNode(b)}},
	}
	expect(t, "CLUSTER SLOTS on the replica", wantSlots, cmpopts.IgnoreFields(redisclient.ClusterSlotNode{}, "Metadata"))(
		redisclient.ClusterSlots().Do(ctx, adm.cc))

	// SHARDS, from A once it reports every node healthy (a replica is
	// "loading" until its offset leaves zero).
	var shards []redisclient.ClusterShardsReplyItem
	var err error
	if !cluWaitFor(15*time.Second, func() bool {
		shards, err = redisclient.ClusterShards().Do(ctx, adm.ca)
		if err != nil {
			return false
		}
		for _, sh := range shards {
			for _, n := range sh.Nodes {
				if n.Health != "online" {
					return false
				}
			}
		}
		return true
	}) {
		t.Fatalf("CLUSTER SHARDS on A: %+v %v, want every node online", shards, err)
	}
	shardNode := func(n *cluNode, role string) redisclient.ClusterShardsReplyItemNodesItem {
		return redisclient.ClusterShardsReplyItemNodesItem{ID: n.ID, Port: int64(n.Port), IP: "127.0.0.1", Endpoint: "127.0.0.1", Role: role, Health: "online"}
	}
	slices.SortFunc(shards, func(x, y redisclient.ClusterShardsReplyItem) int { return slices.Compare(x.Slots, y.Slots) })
	expect(t, "CLUSTER SHARDS on A", []redisclient.ClusterShardsReplyItem{
		{Slots: []int64{0, 8191}, Nodes: []redisclient.ClusterShardsReplyItemNodesItem{shardNode(a, "master"), shardNode(c, "replica")}},
		{Slots: []int64{8192, 16383}, Nodes: []redisclient.ClusterShardsReplyItemNodesItem{shardNode(b, "master")}},
	}, cmpopts.IgnoreFields(redisclient.ClusterShardsReplyItemNodesItem{}, "ReplicationOffSet", "Hostname"))(shards, nil)

	// LINKS: A has a link to and one from each other node.
	var links []redisclient.ClusterLinksReplyItem
	if !cluWaitFor(10*time.Second, func() bool {
		links, err = redisclient.ClusterLinks().Do(ctx, adm.ca)
		return err == nil && len(links) == 4
	}) {
		t.Fatalf("CLUSTER LINKS on A: %+v %v, want 4 links", links, err)
	}
	seen := map[string]bool{}
	now := time.Now()
	for _, l := range links {
		seen[l.Direction+" "+l.Node] = true
		created := l.CreateTime
		if created.Before(now.Add(-10*time.Minute)) || created.After(now.Add(time.Minute)) || l.SEndBufferAllocated < l.SEndBufferUsed {
			t.Errorf("CLUSTER LINKS on A: implausible link %+v", l)
		}
	}
	for _, want := range []string{"to " + b.ID, "from " + b.ID, "to " + c.ID, "from " + c.ID} {
		if !seen[want] {
			t.Errorf("CLUSTER LINKS on A: no link %s in %+v", want, links)
		}
	}

	expect(t, "CLUSTER COUNT-FAILURE-REPORTS", int64(0))(redisclient.ClusterCountFailureReports(b.ID).Do(ctx, adm.ca))
	serverError[int64](t, "CLUSTER COUNT-FAILURE-REPORTS of an unknown node", "ERR")(
		redisclient.ClusterCountFailureReports(strings.Repeat("0", 40)).Do(ctx, adm.ca))
	ok(t, "CLUSTER SAVECONFIG")(redisclient.ClusterSaveConfig().Do(ctx, adm.ca))
}

// moveSlot moves slot 100 from A to B the manual way: SETSLOT IMPORTING
// and MIGRATING, MIGRATE of its keys (one by name, one with KEYS), ASKING
// on B for a key already moved, SETSLOT NODE; and SETSLOT STABLE closes
// another slot's import.
func (adm *cluAdmin) moveSlot(t *testing.T) {
	ctx := ctxFor(t, 60*time.Second)
	a, b := adm.a, adm.b
	const slot = 100
	k1, k2 := cluKey(slot, "admin:move1"), cluKey(slot, "admin:move2")
	ok(t, "SET")(redisclient.Set(k1, "one").Do(ctx, adm.ca))
	ok(t, "SET")(redisclient.Set(k2, "two").Do(ctx, adm.ca))

	ok(t, "CLUSTER SETSLOT IMPORTING")(redisclient.ClusterSetSlot(slot, redisclient.ClusterSetSlotImporting(a.ID)).Do(ctx, adm.cb))
	ok(t, "CLUSTER SETSLOT MIGRATING")(redisclient.ClusterSetSlot(slot, redisclient.ClusterSetSlotMigrating(b.ID)).Do(ctx, adm.ca))
	if n := value[string](t, "CLUSTER NODES on B")(redisclient.ClusterNodes().Do(ctx, adm.cb)); !strings.Contains(n, fmt.Sprintf("[%d-<-%s]", slot, a.ID)) {
		t.Errorf("CLUSTER NODES on B does not show slot %d importing from A:\n%s", slot, n)
	}
	if n := value[string](t, "CLUSTER NODES on A")(redisclient.ClusterNodes().Do(ctx, adm.ca)); !strings.Contains(n, fmt.Sprintf("[%d->-%s]", slot, b.ID)) {
		t.Errorf("CLUSTER NODES on A does not show slot %d migrating to B:\n%s", slot, n)
	}

	expect(t, "MIGRATE", "OK")(redisclient.Migrate("127.0.0.1", int64(b.Port), k1, 0, 5*time.Second).Do(ctx, adm.ca))
	expect(t, "MIGRATE of a missing key", "NOKEY")(redisclient.Migrate("127.0.0.1", int64(b.Port), k1, 0, 5*time.Second).Do(ctx, adm.ca))
	// A sends a moved key's clients to B for this one command (ASK); B
	// serves it only to a connection that said ASKING just before.
	serverError[redisclient.Opt[string]](t, "GET of a migrated key on A", "ASK")(redisclient.Get(k1).Do(ctx, adm.ca))
	serverError[redisclient.Opt[string]](t, "GET of an importing slot on B", "MOVED")(redisclient.Get(k1).Do(ctx, adm.cb))
	conn, err := adm.cb.DedicatedConn(ctx, -1)
	must(t, err, "DedicatedConn to B")
	d := adm.cb.Observe(conn)
	ok(t, "ASKING")(redisclient.Asking().Do(ctx, d))
	expect(t, "GET after ASKING on B", some("one"))(redisclient.Get(k1).Do(ctx, d))
	serverError[redisclient.Opt[string]](t, "a second GET on B (ASKING holds for one command)", "MOVED")(redisclient.Get(k1).Do(ctx, d))
	conn.Release()
	expect(t, "MIGRATE KEYS", "OK")(redisclient.Migrate("127.0.0.1", int64(b.Port), "", 0, 5*time.Second).Keys(k2).Do(ctx, adm.ca))

	for _, c := range []*redisclient.Client{adm.cb, adm.ca} {
		ok(t, "CLUSTER SETSLOT NODE")(redisclient.ClusterSetSlot(slot, redisclient.ClusterSetSlotNode(b.ID)).Do(ctx, c))
	}
	serverError[redisclient.Opt[string]](t, "GET of a moved slot on A", "MOVED")(redisclient.Get(k1).Do(ctx, adm.ca))
	expect(t, "MGET on the slot's new owner", []redisclient.Opt[string]{some("one"), some("two")})(redisclient.MGet(k1, k2).Do(ctx, adm.cb))
	expect(t, "CLUSTER COUNTKEYSINSLOT on the new owner", int64(2))(redisclient.ClusterCountKeysInSlot(slot).Do(ctx, adm.cb))
	expect(t, "CLUSTER COUNTKEYSINSLOT on the old owner", int64(0))(redisclient.ClusterCountKeysInSlot(slot).Do(ctx, adm.ca))

	ok(t, "CLUSTER SETSLOT IMPORTING")(redisclient.ClusterSetSlot(slot+1, redisclient.ClusterSetSlotImporting(a.ID)).Do(ctx, adm.cb))
	ok(t, "CLUSTER SETSLOT STABLE")(redisclient.ClusterSetSlot(slot+1, redisclient.ClusterSetSlotStable()).Do(ctx, adm.cb))
	if n := value[string](t, "CLUSTER NODES on B")(redisclient.ClusterNodes().Do(ctx, adm.cb)); strings.Contains(n, fmt.Sprintf("[%d-<-", slot+1)) {
		t.Errorf("CLUSTER NODES on B still shows slot %d importing after SETSLOT STABLE:\n%s", slot+1, n)
	}
}

// atomicMigration moves slot 200 from A to B with CLUSTER MIGRATION
// IMPORT (Redis 8.4's atomic slot migration) and follows it with STATUS.
func (adm *cluAdmin) atomicMigration(t *testing.T) {
	if !adm.a.Has(t, "8.4.0", "") {
		t.Logf("CLUSTER MIGRATION not run: it needs Redis 8.4.0 or newer (Valkey has no such command), the server is %s", adm.a.VersionString(t))
		return
	}
	ctx := ctxFor(t, 60*time.Second)
	a, b := adm.a, adm.b
	const slot = 200
	k := cluKey(slot, "admin:atomic")
	ok(t, "SET")(redisclient.Set(k, "moved atomically").Do(ctx, adm.ca))

	expect(t, "CLUSTER MIGRATION STATUS of an unknown task", redisclient.ClusterMigrationReply{Tasks: []redisclient.ClusterMigrationTask{}})(
		redisclient.ClusterMigration(redisclient.ClusterMigrationStatusID("no-such-task")).Do(ctx, adm.cb))
	started := value[redisclient.ClusterMigrationReply](t, "CLUSTER MIGRATION IMPORT")(
		redisclient.ClusterMigration(redisclient.ClusterMigrationImport(slot, slot)).Do(ctx, adm.cb))
	if started.TaskID == "" || started.Tasks != nil {
		t.Fatalf("CLUSTER MIGRATION IMPORT: %+v, want a task ID", started)
	}
	var status redisclient.ClusterMigrationReply
	var err error
	if !cluWaitFor(30*time.Second, func() bool {
		status, err = redisclient.ClusterMigration(redisclient.ClusterMigrationStatusID(started.TaskID)).Do(ctx, adm.cb)
		return err == nil && len(status.Tasks) == 1 && status.Tasks[0].State == "completed"
	}) {
		t.Fatalf("CLUSTER MIGRATION STATUS ID %s: %+v %v, want the task completed", started.TaskID, status, err)
	}
	task := status.Tasks[0]
	if task.ID != started.TaskID || task.Slots != "200-200" || task.Source != a.ID || task.Dest != b.ID ||
		task.Operation != "import" || task.LastError != "" || task.CreateTime.IsZero() || !task.StartTime.Valid || !task.EndTime.Valid || task.EndTime.Value.Before(task.StartTime.Value) {
		t.Errorf("CLUSTER MIGRATION STATUS ID: %+v, want the completed import of slot %d from A to B", task, slot)
	}
	// The source runs the same task as a migration, done once it saw
	// the destination take the slot. (A failover of the source's shard
	// before that crashed Redis 8.6.3: an assertion in
	// clusterUpdateSlotsConfigWith on the paused source.)
	if !cluWaitFor(30*time.Second, func() bool {
		status, err = redisclient.ClusterMigration(redisclient.ClusterMigrationStatusID(started.TaskID)).Do(ctx, adm.ca)
		return err == nil && len(status.Tasks) == 1 && status.Tasks[0].State == "completed"
	}) {
		t.Fatalf("CLUSTER MIGRATION STATUS ID %s on the source: %+v %v, want the task completed", started.TaskID, status, err)
	}
	if task := status.Tasks[0]; task.Operation != "migrate" || task.Source != a.ID || task.Dest != b.ID {
		t.Errorf("CLUSTER MIGRATION STATUS ID on the source: %+v, want the completed migration of slot %d from A to B", task, slot)
	}
	all := value[redisclient.ClusterMigrationReply](t, "CLUSTER MIGRATION STATUS ALL")(
		redisclient.ClusterMigration(redisclient.ClusterMigrationStatusAll()).Do(ctx, adm.cb))
	if !slices.ContainsFunc(all.Tasks, func(x redisclient.ClusterMigrationTask) bool { return x.ID == started.TaskID }) {
		t.Errorf("CLUSTER MIGRATION STATUS ALL: %+v lacks task %s", all, started.TaskID)
	}
	expect(t, "CLUSTER MIGRATION CANCEL ALL with nothing running", redisclient.ClusterMigrationReply{})(
		redisclient.ClusterMigration(redisclient.ClusterMigrationCancelAll()).Do(ctx, adm.cb))
	expect(t, "CLUSTER MIGRATION CANCEL ID of a finished task", redisclient.ClusterMigrationReply{})(
		redisclient.ClusterMigration(redisclient.ClusterMigrationCancelID(started.TaskID)).Do(ctx, adm.cb))
	expect(t, "GET of the migrated key on B", some("moved atomically"))(redisclient.Get(k).Do(ctx, adm.cb))
	// A learns of the move from B (its new epoch) a moment later.
	adm.waitNodes(t, "every node to see slot 200 on B", func(n *cluNode) (bool, string) {
		nodes := n.rawOrEmpty("CLUSTER", "NODES")
		if nodes == "" {
			return false, "no answer"
		}
		return slices.Contains(strings.Fields(cluParseNodes(t, nodes)[b.ID].Slots), "200"), nodes
	})
	serverError[redisclient.Opt[string]](t, "GET of the migrated key on A", "MOVED")(redisclient.Get(k).Do(ctx, adm.ca))
}

// failover promotes C (CLUSTER FAILOVER on the replica): A becomes its
// replica.
func (adm *cluAdmin) failover(t *testing.T) {
	ctx := ctxFor(t, 60*time.Second)
	a, c := adm.a, adm.c
	serverError[struct{}](t, "CLUSTER FAILOVER on a master", "ERR")(struct{}{}, redisclient.ClusterFailover().Do(ctx, adm.ca))
	ok(t, "CLUSTER FAILOVER")(redisclient.ClusterFailover().Do(ctx, adm.cc))
	adm.waitNodes(t, "C to take over from A", func(n *cluNode) (bool, string) {
		nodes := n.rawOrEmpty("CLUSTER", "NODES")
		if nodes == "" {
			return false, "no answer"
		}
		lines := cluParseNodes(t, nodes)
		return strings.HasSuffix(lines[c.ID].Flags, "master") && lines[a.ID].Master == c.ID, nodes
	})
	if role := a.infoField(t, "replication", "role"); role != "slave" {
		t.Errorf("A's role after the failover: %q, want slave", role)
	}
}

// forget makes B forget C; A, now C's replica, cannot forget its master.
func (adm *cluAdmin) forget(t *testing.T) {
	ctx := ctxFor(t, 30*time.Second)
	a, b, c := adm.a, adm.b, adm.c
	ok(t, "CLUSTER FORGET")(redisclient.ClusterForget(c.ID).Do(ctx, adm.cb))
	known := cluParseNodes(t, value[string](t, "CLUSTER NODES on B")(redisclient.ClusterNodes().Do(ctx, adm.cb)))
	if _, hasA := known[a.ID]; !hasA || len(known) != 2 {
		t.Errorf("CLUSTER NODES on B after FORGET of C: %v, want A and B only", known)
	}
	serverError[struct{}](t, "CLUSTER FORGET of one's master", "ERR")(struct{}{}, redisclient.ClusterForget(c.ID).Do(ctx, adm.ca))
	serverError[struct{}](t, "CLUSTER FORGET of oneself", "ERR")(struct{}{}, redisclient.ClusterForget(b.ID).Do(ctx, adm.cb))
}

// takeApart resets every node (CLUSTER RESET): a master must be empty
// first; HARD gives a node a new ID and zero epochs, SOFT (the default)
// keeps them. Each node then knows only itself again. C, which B forgot,
// gets a new ID: B's ban of the forgotten ID (a minute) outlived B's
// reset on Redis 7.0, and the next run's B would ignore C.
func (adm *cluAdmin) takeApart(t *testing.T) {
	ctx := ctxFor(t, 30*time.Second)
	a, b, c := adm.a, adm.b, adm.c
	serverError[struct{}](t, "CLUSTER RESET of a master with keys", "ERR")(struct{}{}, redisclient.ClusterReset().Do(ctx, adm.cb))
	// A replica is emptied by the reset itself.
	ok(t, "CLUSTER RESET HARD of a replica")(redisclient.ClusterReset().Hard().Do(ctx, adm.ca))
	ok(t, "FLUSHALL")(redisclient.FlushAll().Do(ctx, adm.cb))
	ok(t, "CLUSTER RESET")(redisclient.ClusterReset().Do(ctx, adm.cb))
	ok(t, "FLUSHALL")(redisclient.FlushAll().Do(ctx, adm.cc))
	ok(t, "CLUSTER RESET HARD")(redisclient.ClusterReset().Hard().Do(ctx, adm.cc))
	for _, n := range []struct {
		node   *cluNode
		c      *redisclient.Client
		sameID bool
		reset  string
	}{{a, adm.ca, false, "hard"}, {b, adm.cb, true, "soft"}, {c, adm.cc, false, "hard"}} {
		id := value[string](t, "CLUSTER MYID")(redisclient.ClusterMyID().Do(ctx, n.c))
		if (id == n.node.ID) != n.sameID {
			t.Errorf("%s reset of %s: ID %s -> %s", n.reset, n.node.Addr, n.node.ID, id)
		}
		expect(t, "CLUSTER INFO after RESET", map[string]string{"cluster_slots_assigned": "0", "cluster_known_nodes": "1"})(
			adm.info(ctx, n.c, "cluster_slots_assigned", "cluster_known_nodes"))
		expect(t, "DBSIZE after RESET", int64(0))(redisclient.DBSize().Do(ctx, n.c))
	}
}

// info returns the named fields of CLUSTER INFO.
func (adm *cluAdmin) info(ctx context.Context, c *redisclient.Client, fields ...string) (map[string]string, error) {
	s, err := redisclient.ClusterInfo().Do(ctx, c)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		k, v, found := strings.Cut(strings.TrimSpace(line), ":")
		if found && slices.Contains(fields, k) {
			out[k] = v
		}
	}
	return out, nil
}

// waitInfo waits until a CLUSTER INFO field has a value.
func (adm *cluAdmin) waitInfo(t *testing.T, c *redisclient.Client, field, want string) {
	t.Helper()
	var got map[string]string
	var err error
	if !cluWaitFor(10*time.Second, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		got, err = adm.info(ctx, c, field)
		return err == nil && got[field] == want
	}) {
		t.Fatalf("CLUSTER INFO: %s is %q (%v), want %q", field, got[field], err, want)
	}
}

// waitNodes waits until cond holds on the three nodes.
func (adm *cluAdmin) waitNodes(t *testing.T, what string, cond func(n *cluNode) (bool, string)) {
	t.Helper()
	(&testCluster{Nodes: []*cluNode{adm.a, adm.b, adm.c}}).waitAll(t, 20*time.Second, what, cond)
}

// cluNodesLine is one node of CLUSTER NODES.
type cluNodesLine struct {
	Addr   string // ip:port@cport, without the hostname
	Flags  string
	Master string // "-" for a master
	Link   string
	Slots  string // the slot fields, space separated
}

// cluParseNodes parses CLUSTER NODES by node ID.
func cluParseNodes(t testing.TB, s string) map[string]cluNodesLine {
	t.Helper()
	out := map[string]cluNodesLine{}
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		f := strings.Fields(line)
		if len(f) < 8 {
			t.Fatalf("CLUSTER NODES line %q has fewer than 8 fields", line)
		}
		addr, _, _ := strings.Cut(f[1], ",")
		out[f[0]] = cluNodesLine{Addr: addr, Flags: f[2], Master: f[3], Link: f[7], Slots: strings.Join(f[8:], " ")}
	}
	return out
}

// cluBusAddr is the address CLUSTER NODES gives a node: 127.0.0.1, its
// port and its bus port.
func cluBusAddr(n *cluNode) string { return fmt.Sprintf("127.0.0.1:%d@%d", n.Port, n.BusPort) }
