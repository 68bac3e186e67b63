package integration

// Client.Stats against real servers: a single node and a cluster. The
// counters move with what the client does: dedicated connections in use
// while a BLPOP blocks, waits on a full pool, cache hits after DoCached,
// dials after CLIENT KILL, messages a subscriber drops.

import (
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
)

// statsEventually polls c.Stats until cond holds, failing t after 10s with
// the last snapshot.
func statsEventually(t testing.TB, c *redisclient.Client, what string, cond func(st redisclient.Stats) bool) redisclient.Stats {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		st := c.Stats()
		if cond(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: timed out, stats %+v", what, st)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// checkTotal checks that st.Total sums st.Nodes.
func checkTotal(t testing.TB, st redisclient.Stats) {
	t.Helper()
	var sum transport.NodeStats
	for _, n := range st.Nodes {
		sum.Add(n)
	}
	if sum != st.Total {
		t.Errorf("Total %+v, want the sum of Nodes %+v", st.Total, sum)
	}
}

func TestClientStatsSingleNode(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	ctx := testCtx(t)
	opts := srv.Options(3)
	opts.PoolSize = 1
	opts.PipelineConns = 1
	opts.Cache = &redisclient.CacheOptions{}
	c := NewClient(t, opts)
	w := NewClient(t, srv.Options(3))
	k := key(t, "")

	ok(t, "SET")(redisclient.Set(k+"s", "v").Do(ctx, c))
	st := c.Stats()
	if len(st.Nodes) != 1 || st.Nodes[0].Addr != srv.Addr || st.Total.Addr != "" {
		t.Fatalf("one node at %s: %+v", srv.Addr, st.Nodes)
	}
	if n := st.Nodes[0]; n.Shared != 1 || n.Dials != 1 || n.DialErrors != 0 || n.Reconnects != 0 || n.Pool.Open != 0 || n.Queued != 0 || n.InFlight != 0 {
		t.Errorf("after one SET: %+v", n)
	}
	checkTotal(t, st)

	// A BLPOP holds the only dedicated connection; a second blocking
	// command waits for it and gives up with its context.
	blpop := async(func() (*redisclient.KeyElement, error) {
		return redisclient.BLPop(10*time.Second, k+"l").Do(ctx, c)
	})
	statsEventually(t, c, "BLPOP in use", func(st redisclient.Stats) bool { return st.Total.Pool.InUse == 1 })
	_, err := redisclient.BLPop(10*time.Second, k+"other").Do(ctxFor(t, 100*time.Millisecond), c)
	if err == nil {
		t.Fatal("a second BLPOP on a full pool of one succeeded")
	}
	st = c.Stats()
	if p := st.Total.Pool; p.Open != 1 || p.InUse != 1 || p.Waits != 1 || p.WaitTimeouts != 1 || p.Waiting != 0 {
		t.Errorf("pool after a timed-out wait: %+v", p)
	}
	expect(t, "LPUSH", int64(1))(redisclient.LPush(k+"l", "a").Do(ctx, w))
	r := await(t, "BLPOP", blpop, 10*time.Second)
	expect(t, "BLPOP", &redisclient.KeyElement{Key: k + "l", Element: "a"})(r.v, r.err)
	st = statsEventually(t, c, "BLPOP done", func(st redisclient.Stats) bool { return st.Total.Pool.InUse == 0 })
	if p := st.Total.Pool; p.Idle != 1 || p.Dials != 1 {
		t.Errorf("pool after the BLPOP: %+v", p)
	}
	// The dedicated connection is the node's second dial.
	if st.Total.Dials != 2 {
		t.Errorf("dials %d, want 2 (one shared, one dedicated)", st.Total.Dials)
	}

	// A miss, then a hit, of the client-side cache.
	expect(t, "first DoCached", some("v"))(redisclient.Get(k+"s").DoCached(ctx, c, time.Minute))
	expect(t, "second DoCached", some("v"))(redisclient.Get(k+"s").DoCached(ctx, c, time.Minute))
	if cs := c.Stats().Cache; cs.Misses != 1 || cs.Hits != 1 {
		t.Errorf("cache after a miss and a hit: %+v", cs)
	}

	// CLIENT KILL of the shared connection: the client dials again.
	id := value[int64](t, "CLIENT ID")(redisclient.ClientID().Do(ctx, c))
	before := c.Stats().Total.Dials
	expect(t, "CLIENT KILL ID", int64(1))(redisclient.ClientKill().ID(id).Do(ctx, w))
	statsEventually(t, c, "a reconnection", func(st redisclient.Stats) bool {
		redisclient.Ping().Do(ctx, c) // notices the dropped connection
		return st.Total.Dials == before+1 && st.Total.Shared == 1
	})
	if r := c.Stats().Total.Reconnects; r != 1 {
		t.Errorf("Reconnects %d after one shared connection was killed, want 1", r)
	}
	if id2 := value[int64](t, "CLIENT ID")(redisclient.ClientID().Do(ctx, c)); id2 == id {
		t.Errorf("CLIENT ID %d after CLIENT KILL of it", id2)
	}

	// A subscriber with a buffer of 2 that nobody reads drops the rest.
	sub := c.NewSubscriber(redisclient.SubscriberOptions{BufferSize: 2, Overflow: redisclient.OverflowDropNewest})
	t.Cleanup(func() { sub.Close() })
	ch := k + "ch"
	must(t, sub.Subscribe(ctx, ch), "SUBSCRIBE")
	for i := range 20 {
		if _, err := redisclient.Publish(ch, i).Do(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	st = statsEventually(t, c, "dropped messages", func(st redisclient.Stats) bool { return st.PubSubDropped >= 17 })
	if st.PubSubDropped != sub.Dropped() {
		t.Errorf("PubSubDropped %d, the subscriber's Dropped %d", st.PubSubDropped, sub.Dropped())
	}
	checkTotal(t, c.Stats())
}

func TestClientStatsCluster(t *testing.T) {
	t.Parallel()
	tc := startCluster(t, cluConfig{Name: "stats", ReplicasPerMaster: -1})
	c := tc.client(t, 3, func(o *redisclient.ClusterOptions) { o.PoolSize = 1 })
	ctx := testCtx(t)
	shards := tc.shards(t)
	for _, sh := range shards {
		ok(t, "SET")(redisclient.Set(cluKey(sh.Slots[0], "k"), "v").Do(ctx, c))
	}
	st := c.Stats()
	if len(st.Nodes) != len(shards) {
		t.Fatalf("%d nodes in stats, want the %d masters: %+v", len(st.Nodes), len(shards), st.Nodes)
	}
	byAddr := map[string]transport.NodeStats{}
	for _, n := range st.Nodes {
		byAddr[n.Addr] = n
	}
	for _, sh := range shards {
		n, found := byAddr[sh.Master.Announced()]
		if !found {
			t.Fatalf("no stats for master %s: %+v", sh.Master.Announced(), st.Nodes)
		}
		if n.Shared == 0 || n.Dials == 0 || n.DialErrors != 0 || n.Pool.Open != 0 {
			t.Errorf("master %s after a SET: %+v", sh.Master.Announced(), n)
		}
	}
	checkTotal(t, st)

	// A BLPOP holds a dedicated connection of the node owning its key, and
	// of no other node; a second blocking command on that node waits.
	owner := shards[0].Master.Announced()
	k := cluKey(shards[0].Slots[0], "list")
	blpop := async(func() (*redisclient.KeyElement, error) { return redisclient.BLPop(10*time.Second, k).Do(ctx, c) })
	st = statsEventually(t, c, "BLPOP in use", func(st redisclient.Stats) bool { return st.Total.Pool.InUse == 1 })
	for _, n := range st.Nodes {
		if want := map[bool]int{true: 1, false: 0}[n.Addr == owner]; n.Pool.InUse != want {
			t.Errorf("node %s (owner %s) has %d dedicated connections in use, want %d", n.Addr, owner, n.Pool.InUse, want)
		}
	}
	_, err := redisclient.BLPop(10*time.Second, cluKey(shards[0].Slots[0], "other")).Do(ctxFor(t, 100*time.Millisecond), c)
	if err == nil {
		t.Fatal("a second BLPOP on a full pool of one succeeded")
	}
	for _, n := range c.Stats().Nodes {
		if want := map[bool]int64{true: 1, false: 0}[n.Addr == owner]; n.Pool.Waits != want || n.Pool.WaitTimeouts != want {
			t.Errorf("node %s (owner %s): %d waits, %d timeouts, want %d", n.Addr, owner, n.Pool.Waits, n.Pool.WaitTimeouts, want)
		}
	}
	expect(t, "LPUSH", int64(1))(redisclient.LPush(k, "a").Do(ctx, c))
	r := await(t, "BLPOP", blpop, 10*time.Second)
	expect(t, "BLPOP", &redisclient.KeyElement{Key: k, Element: "a"})(r.v, r.err)
	st = statsEventually(t, c, "BLPOP done", func(st redisclient.Stats) bool { return st.Total.Pool.InUse == 0 && st.Total.Pool.Idle == 1 })
	checkTotal(t, st)
}
