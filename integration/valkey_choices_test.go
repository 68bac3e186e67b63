package integration

// Valkey's alternatives of a choice Redis's syntax has as one argument:
// BGSAVE CANCEL (Valkey 8.1) and CLUSTER REPLICATE NO ONE (Valkey 9.0),
// run on Valkey through their typed builders on both protocols, and
// refused by the client before sending on Redis
// (*transport.UnsupportedServerError).

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
)

// TestBgSaveCancel cancels a running BGSAVE and a scheduled one on a
// private server (rdb-key-save-delay makes each save last about a second),
// and checks the refusal of both Valkey alternatives on Redis.
func TestBgSaveCancel(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "bgsave-cancel"})
	want, _ := expectedServer(t, srv)
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			ctx := ctxFor(t, 60*time.Second)
			c := NewClient(t, srv.Options(proto))
			must(t, c.Ready(ctx), "Ready")
			if !srv.Has(t, "", "8.1.0") {
				// Redis: the client refuses both before sending.
				bgsaves := counted(t, "bgsave", srv)
				_, err := redisclient.BgSave().Cancel().Do(ctx, c)
				wantRefusedCommand(t, err, "BGSAVE", transport.ServerValkey, want, "BGSAVE CANCEL")
				_, err = redisclient.BgSave().With(redisclient.BgSaveOptions{Operation: redisclient.BgSaveOperationCancel}).Do(ctx, c)
				wantRefusedCommand(t, err, "BGSAVE", transport.ServerValkey, want, "BGSAVE .With CANCEL")
				err = redisclient.ClusterReplicate(redisclient.ClusterReplicateNo()).Do(ctx, c)
				wantRefusedCommand(t, err, "CLUSTER REPLICATE", transport.ServerValkey, want, "CLUSTER REPLICATE NO ONE")
				bgsaves(0, "after the refused BGSAVE CANCEL")
				t.Logf("BGSAVE CANCEL and CLUSTER REPLICATE NO ONE are Valkey's: refused on %v without sending", want)
				return
			}
			// Nothing to cancel.
			serverError[string](t, "BGSAVE CANCEL with no save", "ERR")(redisclient.BgSave().Cancel().Do(ctx, c))

			for i := range 3 {
				ok(t, "SET")(redisclient.Set(fmt.Sprintf("k%d", i), "v").Do(ctx, c))
			}
			ok(t, "CONFIG SET rdb-key-save-delay")(redisclient.ConfigSet("rdb-key-save-delay", "300000").Do(ctx, c))
			defer func() {
				ok(t, "CONFIG SET rdb-key-save-delay 0")(redisclient.ConfigSet("rdb-key-save-delay", "0").Do(ctx, c))
			}()

			// A save in progress.
			expect(t, "BGSAVE", "Background saving started")(redisclient.BgSave().Do(ctx, c))
			expect(t, "BGSAVE CANCEL", "Background saving cancelled")(redisclient.BgSave().Cancel().Do(ctx, c))
			waitInfo(t, ctx, c, "persistence", "rdb_bgsave_in_progress", "0")
			// Killed, the save saved nothing: the changes are still unsaved.
			if s := infoField(t, ctx, c, "persistence", "rdb_changes_since_last_save"); s == "0" {
				t.Errorf("rdb_changes_since_last_save after BGSAVE CANCEL: 0, want the SETs unsaved (the save was killed)")
			}

			// A save scheduled behind an AOF rewrite.
			expect(t, "BGREWRITEAOF", "Background append only file rewriting started")(redisclient.BgRewriteAOF().Do(ctx, c))
			expect(t, "BGSAVE SCHEDULE", "Background saving scheduled")(redisclient.BgSave().Schedule().Do(ctx, c))
			expect(t, "BGSAVE .With CANCEL", "Scheduled background saving cancelled")(
				redisclient.BgSave().With(redisclient.BgSaveOptions{Operation: redisclient.BgSaveOperationCancel}).Do(ctx, c))
			waitInfo(t, ctx, c, "persistence", "aof_rewrite_in_progress", "0")
			// The cancelled save does not start once the rewrite ended
			// (serverCron would start a scheduled one at once).
			time.Sleep(300 * time.Millisecond)
			if s := infoField(t, ctx, c, "persistence", "rdb_bgsave_in_progress"); s != "0" {
				t.Errorf("rdb_bgsave_in_progress after the rewrite: %s, want 0 (the schedule was cancelled)", s)
			}
			serverError[string](t, "BGSAVE CANCEL again", "ERR")(redisclient.BgSave().Cancel().Do(ctx, c))
		})
	}
}

// TestClusterReplicateNoOne turns a cluster replica into an empty primary
// of a shard of its own with Valkey's CLUSTER REPLICATE NO ONE, on a
// private pair of nodes. (Its refusal on Redis is in TestBgSaveCancel:
// the client refuses it whatever the server's mode.)
func TestClusterReplicateNoOne(t *testing.T) {
	sharedServer(t).RequireServer(t, "CLUSTER REPLICATE NO ONE", "", "9.0.0")
	t.Parallel()
	tc := startClusterNodes(t, cluConfig{Name: "replicate-no-one", Masters: 1, ReplicasPerMaster: 1}, 2)
	ctx := ctxFor(t, 90*time.Second)
	primary, replica := tc.Nodes[0], tc.Nodes[1]
	for _, n := range tc.Nodes {
		n.ID = value[string](t, "CLUSTER MYID")(redisclient.ClusterMyID().Do(ctx, n.Admin))
	}
	ok(t, "CLUSTER MEET")(redisclient.ClusterMeet("127.0.0.1", int64(replica.Port)).ClusterBusPort(int64(replica.BusPort)).Do(ctx, primary.Admin))
	ok(t, "CLUSTER ADDSLOTSRANGE")(redisclient.ClusterAddSlotsRange(0, transport.SlotCount-1).Do(ctx, primary.Admin))
	var err error
	if !cluWaitFor(20*time.Second, func() bool {
		err = redisclient.ClusterReplicate(redisclient.ClusterReplicateNodeID(primary.ID)).Do(ctx, replica.Admin)
		return err == nil
	}) {
		t.Fatalf("CLUSTER REPLICATE %s: %v", primary.ID, err)
	}
	tc.waitNodes(t, 20*time.Second, "the replica to sync", []*cluNode{replica}, func(n *cluNode) (bool, string) {
		info := n.rawOrEmpty("INFO", "replication")
		return strings.Contains(info, "master_link_status:up"), info
	})
	tc.waitNodes(t, 20*time.Second, "the cluster to be up", tc.Nodes, func(n *cluNode) (bool, string) {
		info := n.rawOrEmpty("CLUSTER", "INFO")
		return strings.Contains(info, "cluster_state:ok"), info
	})
	k := cluKey(0, "replicated")
	ok(t, "SET")(redisclient.Set(k, "v").Do(ctx, primary.Admin))
	tc.waitNodes(t, 20*time.Second, "the key to reach the replica", []*cluNode{replica}, func(n *cluNode) (bool, string) {
		info := n.rawOrEmpty("INFO", "keyspace")
		return strings.Contains(info, "db0:keys=1,"), info
	})
	primaryShard := value[string](t, "CLUSTER MYSHARDID")(redisclient.ClusterMyShardID().Do(ctx, primary.Admin))
	if s := value[string](t, "CLUSTER MYSHARDID")(redisclient.ClusterMyShardID().Do(ctx, replica.Admin)); s != primaryShard {
		t.Fatalf("the replica's shard %s, want its primary's %s", s, primaryShard)
	}

	// RESP2: the replica becomes an empty primary of a new shard.
	c2 := NewClient(t, replica.Options(2))
	ok(t, "CLUSTER REPLICATE NO ONE")(redisclient.ClusterReplicate(redisclient.ClusterReplicateNo()).Do(ctx, c2))
	if role := value[redisclient.ReplicationRole](t, "ROLE")(redisclient.Role().Do(ctx, c2)); role.Role != "master" {
		t.Errorf("ROLE after CLUSTER REPLICATE NO ONE: %+v, want master", role)
	}
	expect(t, "DBSIZE of the new primary", int64(0))(redisclient.DBSize().Do(ctx, c2))
	if s := value[string](t, "CLUSTER MYSHARDID")(redisclient.ClusterMyShardID().Do(ctx, c2)); s == primaryShard {
		t.Errorf("the new primary's shard is still %s, want a shard of its own", s)
	}
	myself := ""
	for _, line := range strings.Split(value[string](t, "CLUSTER NODES")(redisclient.ClusterNodes().Do(ctx, c2)), "\n") {
		if strings.Contains(line, "myself") {
			myself = line
		}
	}
	if f := strings.Fields(myself); len(f) < 8 || !strings.Contains(f[2], "master") || f[3] != "-" || len(f) > 8 {
		t.Errorf("CLUSTER NODES, myself: %q, want a master of no primary and no slots", myself)
	}
	expect(t, "GET on the old primary", some("v"))(redisclient.Get(k).Do(ctx, primary.Admin))

	// RESP3: on a primary it is accepted and changes nothing.
	c3 := NewClient(t, replica.Options(3))
	ok(t, "CLUSTER REPLICATE NO ONE on a primary")(redisclient.ClusterReplicate(redisclient.ClusterReplicateNo()).Do(ctx, c3))
	expect(t, "DBSIZE", int64(0))(redisclient.DBSize().Do(ctx, c3))
}
