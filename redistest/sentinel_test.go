package redistest_test

// Tests of StartSentinel against real servers.

import (
	"slices"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/redistest"
)

func TestSentinelGroupAndFailover(t *testing.T) {
	t.Parallel()
	g := redistest.StartSentinel(t, redistest.SentinelConfig{
		Replicas: 2, Sentinels: 3, MasterName: "shop",
		Config: redistest.Config{Password: "pw"},
	})
	ctx := ctxFor(t)
	if got := g.MasterAddr(t); got != g.Master.Addr() {
		t.Fatalf("MasterAddr = %s, want the master %s", got, g.Master.Addr())
	}
	if len(g.SentinelAddrs()) != 3 {
		t.Fatalf("SentinelAddrs = %v", g.SentinelAddrs())
	}
	c := g.Client(t)
	if err := redisclient.Set("order:1", "paid").Do(ctx, c); err != nil {
		t.Fatal(err)
	}
	// Every sentinel names the master, its two replicas and the others.
	for _, s := range g.Sentinels {
		sc := s.Client(t)
		replicas, err := redisclient.Raw("SENTINEL", "REPLICAS", "shop").Do(ctx, sc)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(replicas.Elems); n != 2 {
			t.Errorf("sentinel %s knows %d replicas, want 2", s.Addr(), n)
		}
	}
	// The master dies: a replica takes over, and the client follows.
	g.Master.Stop(t)
	start := time.Now()
	g.Wait(t)
	newMaster := g.MasterAddr(t)
	t.Logf("failover to %s took %v", newMaster, time.Since(start))
	if !slices.Contains([]string{g.Replicas[0].Addr(), g.Replicas[1].Addr()}, newMaster) {
		t.Fatalf("new master %s is not one of the replicas", newMaster)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		got, err := redisclient.Get("order:1").Do(ctx, c)
		if err == nil && got.Value == "paid" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET order:1 through the sentinel client after the failover: %+v, %v", got, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
