package integration

// Durations and times of cluster replies on a real cluster: CLUSTER
// LINKS' creation times (Unix milliseconds), CLUSTER SLOT-STATS' CPU
// time per slot (microseconds) and CLUSTER MIGRATION's task times (Unix
// milliseconds, -1 for not yet).

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

// cluMigrationTimes moves one empty slot to another master with CLUSTER
// MIGRATION IMPORT (Redis 8.4) and back, and checks the tasks' times
// (Valkey moves slots with CLUSTER MIGRATESLOTS instead).
func cluMigrationTimes(t *testing.T, tc *testCluster) {
	shards := tc.shards(t)
	if len(shards) < 2 {
		t.Fatalf("%d shards, want 2 or more", len(shards))
	}
	shards[0].Master.RequireServer(t, "CLUSTER MIGRATION", "8.4.0", "")
	ctx := testCtx(t)
	// The last slot of the first shard, which no test writes to.
	slot := int64(shards[0].Slots[len(shards[0].Slots)-1])
	// There over RESP2, back over RESP3.
	move := func(to *cluNode, proto int) {
		t.Helper()
		c := NewClient(t, to.Options(proto))
		before := time.Now().Add(-time.Second)
		id := value[redisclient.ClusterMigrationReply](t, "CLUSTER MIGRATION IMPORT")(
			redisclient.ClusterMigration(redisclient.ClusterMigrationImport(slot, slot)).Do(ctx, c)).TaskID
		var task redisclient.ClusterMigrationTask
		deadline := time.Now().Add(20 * time.Second)
		for {
			st := value[redisclient.ClusterMigrationReply](t, "CLUSTER MIGRATION STATUS")(
				redisclient.ClusterMigration(redisclient.ClusterMigrationStatusID(id)).Do(ctx, c))
			if len(st.Tasks) != 1 {
				t.Fatalf("CLUSTER MIGRATION STATUS ID %s: %+v, want the task", id, st)
			}
			task = st.Tasks[0]
			if task.State == "completed" || time.Now().After(deadline) {
				break
			}
			if task.EndTime.Valid {
				t.Errorf("CLUSTER MIGRATION task in state %s: %+v, want no end time before it ends", task.State, task)
			}
			time.Sleep(50 * time.Millisecond)
		}
		after := time.Now().Add(time.Second)
		if task.State != "completed" {
			t.Fatalf("CLUSTER MIGRATION task %s: %+v, not completed within 20s", id, task)
		}
		if task.CreateTime.Before(before) || task.CreateTime.After(after) ||
			!task.StartTime.Valid || task.StartTime.Value.Before(task.CreateTime) ||
			!task.EndTime.Valid || task.EndTime.Value.Before(task.StartTime.Value) || task.EndTime.Value.After(after) {
			t.Errorf("CLUSTER MIGRATION task %s: created %v, started %+v, ended %+v, want created, started and ended in that order during the move",
				id, task.CreateTime, task.StartTime, task.EndTime)
		}
		tc.waitSlotOwner(t, int(slot), to)
	}
	move(shards[1].Master, 2)
	move(shards[0].Master, 3)
}
