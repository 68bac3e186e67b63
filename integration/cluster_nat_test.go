package integration

// Address mapping (NAT): every node announces a hostname that does not
// resolve (nodeN.redkit.test, cluster-preferred-endpoint-type hostname),
// so CLUSTER SHARDS and MOVED name it; the client translates each to its
// 127.0.0.1 address with ClusterOptions.AddrMap. Nothing but 127.0.0.1 is
// ever dialled: MapAddr, consulted for names missing from the table,
// records them and answers an address that refuses connections, and every
// connection error is checked for a hostname.

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redkit-go/redkit/cluster"
	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
)

func TestClusterAddrMap(t *testing.T) {
	tc := startCluster(t, cluConfig{Name: "nat", Hostnames: true})
	ctx := ctxFor(t, 60*time.Second)

	addrMap := map[string]string{}
	for _, n := range tc.Nodes {
		addrMap[n.Announced()] = n.Addr
	}
	var mu sync.Mutex
	var unmapped, dialErrs []string
	natClient := func(t *testing.T, proto int, policy cluster.ReadPolicy, refresh time.Duration) *redisclient.Client {
		return tc.client(t, proto, func(o *redisclient.ClusterOptions) {
			// Seeds by announced name too: they go through the table.
			o.Seeds = []string{tc.Nodes[0].Announced(), tc.Nodes[4].Announced()}
			o.AddrMap = addrMap
			o.MapAddr = func(announced string) string {
				mu.Lock()
				unmapped = append(unmapped, announced)
				mu.Unlock()
				return "127.0.0.1:1"
			}
			o.ReadPolicy = policy
			o.RefreshInterval = refresh
			o.OnEvent = func(ev transport.Event) {
				if ev.Err != nil && (strings.Contains(ev.Err.Error(), "redkit.test") || !strings.HasPrefix(ev.Addr, "127.0.0.1:")) {
					mu.Lock()
					dialErrs = append(dialErrs, fmt.Sprintf("%s: %v", ev.Addr, ev.Err))
					mu.Unlock()
				}
			}
		})
	}

	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			c := natClient(t, proto, cluster.ReadMaster, 0)
			for _, sh := range cluRouter(t, c).Topology() {
				for _, n := range append([]cluster.NodeInfo{sh.Master}, sh.Replicas...) {
					if !strings.HasSuffix(n.Host, ".redkit.test") || addrMap[n.Announced] != n.Addr {
						t.Errorf("topology node %+v: want an announced .redkit.test name mapped to its 127.0.0.1 address", n)
					}
				}
			}
			p := c.Pipeline()
			var futs []*redisclient.Future[redisclient.Opt[string]]
			for s := 0; s < transport.SlotCount; s += 13 {
				k := cluKey(s, cluName(t, "k"))
				redisclient.Set(k, k).Queue(p)
				futs = append(futs, redisclient.Get(k).Queue(p))
			}
			must(t, p.Exec(ctx), "pipeline over the slots")
			for _, f := range futs {
				if v, err := f.Result(); err != nil || !v.Valid {
					t.Fatalf("GET in the pipeline: %+v %v", v, err)
				}
			}
			for s := 0; s < transport.SlotCount; s += 997 {
				k := cluKey(s, cluName(t, "single"))
				ok(t, "SET")(redisclient.Set(k, "v").Do(ctx, c))
				expect(t, "GET", redisclient.Opt[string]{Value: "v", Valid: true})(redisclient.Get(k).Do(ctx, c))
			}
			expect(t, "MGET across slots", []redisclient.Opt[string]{{Value: "v", Valid: true}, {Value: "v", Valid: true}})(
				redisclient.MGet(cluKey(0, cluName(t, "single")), cluKey(15952, cluName(t, "single"))).Do(ctx, c))
		})
	}

	t.Run("ReplicaReads", func(t *testing.T) {
		c := natClient(t, 3, cluster.ReadReplica, 0)
		replicas := tc.replicas(t)
		for _, r := range replicas {
			r.resetStats(t)
		}
		var keys []string
		for s := 0; s < transport.SlotCount; s += 331 {
			k := cluKey(s, cluName(t, "r"))
			keys = append(keys, k)
			ok(t, "SET")(redisclient.Set(k, "v").Do(ctx, c))
		}
		tc.waitReplicated(t)
		for _, k := range keys {
			expect(t, "GET from a replica", redisclient.Opt[string]{Value: "v", Valid: true})(redisclient.Get(k).Do(ctx, c))
		}
		if got := sumCalls(t, replicas, "get"); got != int64(len(keys)) {
			t.Errorf("replicas ran %d GETs, want %d: the replicas' announced names were not mapped?", got, len(keys))
		}
	})

	t.Run("MOVED", func(t *testing.T) {
		// A client whose map goes stale: MOVED names the new owner by its
		// hostname, which the table maps.
		c := natClient(t, 3, cluster.ReadMaster, -1)
		shards := tc.shards(t)
		slot := shards[0].Slots[0] + 5
		from, to := shards[0].Master, shards[1].Master
		k := cluKey(slot, cluName(t, "k"))
		ok(t, "SET before the move")(redisclient.Set(k, "v").Do(ctx, c))
		_, err := tc.migrateSlot(ctx, slot, from, to, tc.masters(t))
		must(t, err, "move the slot")
		tc.waitSlotOwner(t, slot, to)
		before := from.errorCount(t, "MOVED")
		expect(t, "GET after the move", redisclient.Opt[string]{Value: "v", Valid: true})(redisclient.Get(k).Do(ctx, c))
		if from.errorCount(t, "MOVED") == before {
			t.Errorf("no MOVED: the client was not stale?")
		}
	})

	mu.Lock()
	defer mu.Unlock()
	if len(unmapped) != 0 {
		t.Errorf("MapAddr was asked for addresses missing from AddrMap: %q", unmapped)
	}
	if len(dialErrs) != 0 {
		t.Errorf("connection errors naming something other than 127.0.0.1: %q", dialErrs)
	}
}
