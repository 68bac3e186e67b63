package integration

// Resharding under load: slots move between masters (IMPORTING/MIGRATING,
// MIGRATE of every key, SETSLOT NODE) while writers, pipelines and readers
// run; callers must see no error, every acknowledged write must read back,
// and a client whose map went stale meanwhile must follow MOVED.

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
)

func TestClusterResharding(t *testing.T) {
	tc := startCluster(t, cluConfig{Name: "reshard"})
	ctx := ctxFor(t, 90*time.Second)
	shards := tc.shards(t)
	masters := tc.masters(t)

	// 120 slots from each shard to the next one, taken from the middle of
	// each range (so that the ranges split).
	type move struct {
		from, to *cluNode
		slots    []int
	}
	var moves []move
	moving := map[int]bool{}
	var movingList []int
	for i, sh := range shards {
		mid := (sh.Slots[0] + sh.Slots[1]) / 2
		var m move
		m.from, m.to = sh.Master, shards[(i+1)%len(shards)].Master
		for s := mid; s < mid+120; s++ {
			m.slots = append(m.slots, s)
			moving[s] = true
			movingList = append(movingList, s)
		}
		moves = append(moves, m)
	}

	// A client that loads the topology now and never refreshes on its own:
	// it is stale once the slots moved.
	stale := tc.client(t, 2, func(o *redisclient.ClusterOptions) { o.RefreshInterval = -1 })
	staleKeys := map[int]string{}
	for i := 0; i < len(movingList); i += 7 {
		s := movingList[i]
		staleKeys[s] = cluKey(s, ":stale")
		ok(t, "SET through the stale client")(redisclient.Set(staleKeys[s], "before").Do(ctx, stale))
	}

	// Most writes land in the moving slots.
	slotFor := func(r *rand.Rand) int {
		if r.IntN(10) < 7 {
			return movingList[r.IntN(len(movingList))]
		}
		return r.IntN(transport.SlotCount)
	}
	c3 := tc.client(t, 3, nil)
	c2 := tc.client(t, 2, nil)
	loads := []*cluLoad{
		startLoad(c3, cluLoadConfig{Prefix: "r3", Writers: 10, PipeWriters: 2, PipeLen: 50, Readers: 4, SlotFor: slotFor, OpTimeout: 10 * time.Second}),
		startLoad(c2, cluLoadConfig{Prefix: "r2", Writers: 6, Readers: 4, SlotFor: slotFor, OpTimeout: 10 * time.Second}),
	}
	time.Sleep(time.Second)

	start := time.Now()
	keysMoved := 0
	for _, m := range moves {
		for _, s := range m.slots {
			n, err := tc.migrateSlot(ctx, s, m.from, m.to, masters)
			if err != nil {
				for _, l := range loads {
					l.Stop()
				}
				t.Fatalf("migrate slot %d: %v", s, err)
			}
			keysMoved += n
		}
	}
	took := time.Since(start)
	time.Sleep(500 * time.Millisecond)
	for _, l := range loads {
		l.Stop()
	}
	var ask, moved, tryagain int64
	for _, m := range masters {
		ask += m.errorCount(t, "ASK")
		moved += m.errorCount(t, "MOVED")
		tryagain += m.errorCount(t, "TRYAGAIN")
	}
	t.Logf("moved %d slots (%d keys) in %v under load; servers sent %d ASK, %d MOVED, %d TRYAGAIN", len(movingList), keysMoved, took.Round(time.Millisecond), ask, moved, tryagain)
	for i, l := range loads {
		t.Logf("load %d: %s", i, l.summary())
		if n := l.errs.Load(); n != 0 {
			t.Errorf("load %d: callers saw %d errors during the resharding: %q", i, n, l.errSample)
		}
	}
	if keysMoved == 0 || ask == 0 {
		t.Errorf("the resharding moved %d keys and caused %d ASK redirections: the load did not exercise it", keysMoved, ask)
	}
	tc.waitAll(t, 10*time.Second, "every node to agree on the new owners", func(n *cluNode) (bool, string) {
		info := n.rawOrEmpty("CLUSTER", "INFO")
		return strings.Contains(info, "cluster_state:ok") && strings.Contains(info, "cluster_slots_ok:16384"), info
	})
	for _, m := range moves {
		tc.waitSlotOwner(t, m.slots[len(m.slots)-1], m.to)
	}

	for i, l := range loads {
		missing := l.missing(t, c3)
		if len(missing) != 0 {
			t.Errorf("load %d: %d acknowledged writes do not read back, e.g. %v", i, len(missing), firstKeys(missing, 5))
		}
	}

	// The stale client: its commands on moved slots get MOVED, which it
	// follows.
	before := int64(0)
	for _, m := range masters {
		before += m.errorCount(t, "MOVED")
	}
	for s, k := range staleKeys {
		expect(t, fmt.Sprintf("GET through the stale client (slot %d)", s), redisclient.Opt[string]{Value: "before", Valid: true})(redisclient.Get(k).Do(ctx, stale))
	}
	after := int64(0)
	for _, m := range masters {
		after += m.errorCount(t, "MOVED")
	}
	if after == before {
		t.Errorf("the stale client got no MOVED: was it stale?")
	}
	t.Logf("stale client: %d reads of moved slots, %d MOVED followed", len(staleKeys), after-before)
}

func firstKeys(m map[string]time.Time, n int) []string {
	var out []string
	for k := range m {
		if len(out) == n {
			break
		}
		out = append(out, k)
	}
	return out
}
