package redistest_test

// Tests of StartCluster against real servers.

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/redistest"
	"github.com/redkit-go/redkit/transport"
)

func TestClusterMastersAndReplicas(t *testing.T) {
	t.Parallel()
	cl := redistest.StartCluster(t, redistest.ClusterConfig{Masters: 3, Replicas: 1, Config: redistest.Config{Password: "pw"}})
	if got := len(cl.Seeds()); got != 6 {
		t.Fatalf("%d seeds, want 6", got)
	}
	ctx := ctxFor(t)
	// Every node sees 3 masters holding all slots and 3 replicas, one of
	// each master.
	for i, n := range cl.Nodes {
		nodes, err := redisclient.ClusterNodes().Do(ctx, n.Client(t))
		if err != nil {
			t.Fatalf("CLUSTER NODES on node %d: %v", i, err)
		}
		masters, replicasOf := 0, map[string]int{}
		for _, line := range strings.Split(strings.TrimSpace(nodes), "\n") {
			f := strings.Fields(line)
			switch {
			case strings.Contains(f[2], "master"):
				masters++
			case strings.Contains(f[2], "slave"):
				replicasOf[f[3]]++
			}
		}
		if masters != 3 || len(replicasOf) != 3 {
			t.Errorf("node %d sees %d masters and replicas of %v:\n%s", i, masters, replicasOf, nodes)
		}
	}
	for i := range cl.Replicas() {
		role, err := redisclient.Role().Do(ctx, cl.Replicas()[i].Client(t))
		if err != nil {
			t.Fatal(err)
		}
		if role.Role != "slave" {
			t.Errorf("replica %d has role %q", i, role.Role)
		}
	}
	// The cluster client reaches every shard.
	c := cl.Client(t)
	for i := range 30 {
		k := fmt.Sprintf("key:%d", i)
		if err := redisclient.Set(k, i).Do(ctx, c); err != nil {
			t.Fatalf("SET %s (slot %d): %v", k, transport.Slot(k), err)
		}
	}
	for _, m := range cl.Masters() {
		n, err := redisclient.DBSize().Do(ctx, m.Client(t))
		if err != nil || n == 0 {
			t.Errorf("master %s holds %d keys (%v), want some of the 30", m.Addr(), n, err)
		}
	}
}

// A master killed fails over to its replica; Wait returns once the
// survivors agree, and the restarted node rejoins as a replica.
func TestClusterFailoverAndRejoin(t *testing.T) {
	t.Parallel()
	cl := redistest.StartCluster(t, redistest.ClusterConfig{Masters: 3, Replicas: 1, NodeTimeout: time.Second})
	ctx := ctxFor(t)
	c := cl.Client(t)
	const k = "{a}k" // slot 15495: the last master's
	if err := redisclient.Set(k, "v").Do(ctx, c); err != nil {
		t.Fatal(err)
	}
	old := cl.Masters()[2]
	old.Stop(t)
	start := time.Now()
	cl.Wait(t)
	t.Logf("failover took %v", time.Since(start))
	replica := cl.Replicas()[2]
	role, err := redisclient.Role().Do(ctx, replica.Client(t))
	if err != nil || role.Role != "master" {
		t.Fatalf("the replica's role after the failover: %+v, %v; want master", role, err)
	}
	got, err := redisclient.Get(k).Do(ctx, c)
	if err != nil || got.Value != "v" {
		t.Fatalf("GET %s after the failover = %+v, %v", k, got, err)
	}
	old.Start(t)
	cl.Wait(t)
	role, err = redisclient.Role().Do(ctx, old.Client(t))
	if err != nil || role.Role != "slave" {
		t.Fatalf("the old master's role after it rejoined: %+v, %v; want slave", role, err)
	}
}
