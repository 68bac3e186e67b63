package redistest_test

// Tests of StartSentinel against real servers.

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/redistest"
)

func TestSentinelGroupAndFailover(t *testing.T) {
	t.Parallel()
	g := redistest.StartSentinel(t, redistest.SentinelConfig{
		Replicas: 2, Sentinels: 3, MasterName: "shop",
		Config:           redistest.Config{Password: "pw"},
		SentinelPassword: "spw",
		// Replica 2 (node 2) is the one to promote.
		NodeExtra: func(i int) []string { return []string{fmt.Sprintf("replica-priority %d", 100-10*i)} },
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
	// The sentinels want their own password.
	if _, err := redisclient.Raw("SENTINEL", "MASTERS").Do(ctx, bareClient(t, g.Sentinels[0].Addr())); err == nil || !strings.Contains(err.Error(), "NOAUTH") {
		t.Errorf("SENTINEL MASTERS without the sentinel password: %v, want NOAUTH", err)
	}
	// The master dies: a replica takes over, and the client follows.
	g.Master.Stop(t)
	start := time.Now()
	g.Wait(t)
	newMaster := g.MasterAddr(t)
	t.Logf("failover to %s took %v", newMaster, time.Since(start))
	if newMaster != g.Replicas[1].Addr() {
		t.Fatalf("new master %s, want %s (the replica of the lowest replica-priority)", newMaster, g.Replicas[1].Addr())
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

// bareClient is a RESP2 client of addr without credentials.
func bareClient(t *testing.T, addr string) *redisclient.Client {
	c, err := redisclient.New(redisclient.Options{Addr: addr, Protocol: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
