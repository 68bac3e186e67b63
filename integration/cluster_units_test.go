package integration

// Durations and times of cluster replies on a real cluster: CLUSTER
// LINKS' creation times (Unix milliseconds) and CLUSTER SLOT-STATS' CPU
// time per slot (microseconds).

import (
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

// cluReplyUnits runs on a master of tc, alone on the cluster (it turns
// per-slot CPU tracking on).
func cluReplyUnits(t *testing.T, tc *testCluster, proto int) {
	ctx := testCtx(t)
	var shard cluShard
	for _, s := range tc.shards(t) {
		if s.Master != nil {
			shard = s
			break
		}
	}
	if shard.Master == nil {
		t.Fatal("no shard with a master")
	}
	m := shard.Master
	c := NewClient(t, m.Options(proto))

	links := value[[]redisclient.ClusterLinksReplyItem](t, "CLUSTER LINKS")(redisclient.ClusterLinks().Do(ctx, c))
	if len(links) == 0 {
		t.Fatal("CLUSTER LINKS: no links")
	}
	for _, l := range links {
		// The links were made when the cluster formed, during this run.
		if l.CreateTime.After(time.Now().Add(time.Second)) || time.Since(l.CreateTime) > 30*time.Minute {
			t.Errorf("CLUSTER LINKS: link %+v, want a creation time during this test run", l)
		}
	}

	t.Run("SLOT-STATS_cpu", func(t *testing.T) {
		m.RequireServer(t, "CLUSTER SLOT-STATS cpu-usec", "8.2.0", "8.0.0")
		// Redis 8.6 takes a list of what to track (memory only at
		// start-up); Valkey yes or no.
		if err := redisclient.ConfigSet("cluster-slot-stats-enabled", "cpu").Do(ctx, c); err != nil {
			ok(t, "CONFIG SET cluster-slot-stats-enabled yes")(redisclient.ConfigSet("cluster-slot-stats-enabled", "yes").Do(ctx, c))
		}
		slot := shard.Slots[0] + proto
		start := time.Now()
		value[redisclient.Value](t, "EVAL spin")(redisclient.Eval(spinScript).Keys(cluKey(slot, "spin")).Args(1_000_000).Do(ctx, c))
		took := time.Since(start)
		stats := value[[]redisclient.ClusterSlotStatsEntry](t, "CLUSTER SLOT-STATS")(
			redisclient.ClusterSlotStats(redisclient.ClusterSlotStatsSlotsRange(int64(slot), int64(slot))).Do(ctx, c))
		if len(stats) != 1 || stats[0].Slot != int64(slot) {
			t.Fatalf("CLUSTER SLOT-STATS SLOTSRANGE %d %d: %+v", slot, slot, stats)
		}
		if cpu := stats[0].Stats.CPUTime; cpu < time.Millisecond || cpu > took+10*time.Millisecond {
			t.Errorf("CLUSTER SLOT-STATS slot %d: CPU time %v, want the script's, in (1ms, %v]", slot, cpu, took)
		}
	})
}
