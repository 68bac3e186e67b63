package integration

// Credentials on a cluster: requirepass on every node (replicas
// authenticate to their masters with masterauth), one shard with a
// password of its own. ClusterOptions.Options.Password reaches every node
// (topology, commands, replicas, fan-out); NodeCredentials overrides it
// per node; a wrong password fails promptly, saying why.

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/cluster"
	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
)

func TestClusterCredentials(t *testing.T) {
	const password, shardPassword = "cluster-secret", "shard2-secret"
	tc := startCluster(t, cluConfig{Name: "auth", Password: password, ShardPassword: map[int]string{2: shardPassword}})
	ctx := ctxFor(t, 60*time.Second)
	shard2 := map[string]bool{}
	for _, n := range tc.Nodes {
		if n.Shard == 2 {
			shard2[n.Addr] = true
		}
	}
	nodeCreds := func(addr string) (string, string, bool) {
		if shard2[addr] {
			return "", shardPassword, true
		}
		return "", "", false
	}

	for _, policy := range []cluster.ReadPolicy{cluster.ReadMaster, cluster.ReadReplica} {
		c := tc.client(t, 3, func(o *redisclient.ClusterOptions) {
			o.NodeCredentials = nodeCreds
			o.ReadPolicy = policy
		})
		var keys []string
		for s := 0; s < transport.SlotCount; s += 401 {
			k := cluKey(s, cluName(t, "k"))
			keys = append(keys, k)
			ok(t, "SET")(redisclient.Set(k, "v").Do(ctx, c))
		}
		tc.waitReplicated(t)
		for _, k := range keys {
			expect(t, "GET", redisclient.Opt[string]{Value: "v", Valid: true})(redisclient.Get(k).Do(ctx, c))
		}
		// Fan-out to every node, replicas included.
		sha, err := redisclient.ScriptLoad("return 1").Do(ctx, c)
		must(t, err, "SCRIPT LOAD on every node")
		expect(t, "SCRIPT EXISTS on every node", []bool{true})(redisclient.ScriptExists(sha).Do(ctx, c))
	}

	// Without the per-node credentials, the other shards work and the
	// shard with its own password fails at once with the server's refusal.
	c := tc.client(t, 2, nil)
	for _, sh := range tc.shards(t) {
		k := cluKey(sh.Slots[0], cluName(t, "partial"))
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		start := time.Now()
		err := redisclient.Set(k, "v").Do(cctx, c)
		cancel()
		if shard2[sh.Master.Addr] {
			if err == nil || !strings.Contains(err.Error(), "WRONGPASS") || errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("SET on the shard with another password: got %v after %v, want a prompt WRONGPASS error", err, time.Since(start))
			}
		} else if err != nil {
			t.Errorf("SET on %s: %v", sh.Master.Addr, err)
		}
	}

	// A wrong password: no topology; Ready says why.
	o := redisclient.ClusterOptions{Options: redisclient.Options{Password: "wrong"}, Seeds: []string{tc.Nodes[0].Addr}}
	bad, err := redisclient.NewCluster(o)
	must(t, err, "NewCluster")
	defer bad.Close()
	rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := bad.Ready(rctx); err == nil || !strings.Contains(err.Error(), "WRONGPASS") {
		t.Errorf("Ready with a wrong password: %v, want an error naming WRONGPASS", err)
	} else {
		t.Logf("Ready with a wrong password: %v", err)
	}
}
