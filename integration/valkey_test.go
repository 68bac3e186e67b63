package integration

// Commands and options only Valkey has, each run through its typed builder
// and decoder on both protocols: they skip on Redis, saying so. HSETEX's
// two syntaxes (Valkey's key condition NX|XX, Redis's field conditions
// FNX|FXX) run on the server that has each. The cluster commands run on a
// cluster fixture of their own.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/redkit-go/redkit/redisclient"
)

func TestValkeyOnlyCommands(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		srv := sharedServer(t)

		t.Run("DELIFEQ", func(t *testing.T) {
			srv.RequireServer(t, "DELIFEQ", "", "9.0.0")
			ctx := testCtx(t)
			k := key(t, "k")
			expect(t, "DELIFEQ missing key", false)(redisclient.DelIfEq(k, "v").Do(ctx, c))
			ok(t, "SET")(redisclient.Set(k, "v").Do(ctx, c))
			expect(t, "DELIFEQ other value", false)(redisclient.DelIfEq(k, "other").Do(ctx, c))
			expect(t, "GET after no delete", some("v"))(redisclient.Get(k).Do(ctx, c))
			expect(t, "DELIFEQ same value", true)(redisclient.DelIfEq(k, "v").Do(ctx, c))
			expect(t, "EXISTS after delete", int64(0))(redisclient.Exists(k).Do(ctx, c))
		})

		t.Run("SCRIPT_SHOW", func(t *testing.T) {
			srv.RequireServer(t, "SCRIPT SHOW", "", "8.0.0")
			ctx := testCtx(t)
			body := fmt.Sprintf("return %q", t.Name())
			sha := value[string](t, "SCRIPT LOAD")(redisclient.ScriptLoad(body).Do(ctx, c))
			expect(t, "SCRIPT SHOW", body)(redisclient.ScriptShow(sha).Do(ctx, c))
			serverError[string](t, "SCRIPT SHOW unknown", "NOSCRIPT")(redisclient.ScriptShow(strings.Repeat("0", 40)).Do(ctx, c))
		})

		t.Run("CLIENT_CAPA", func(t *testing.T) {
			srv.RequireServer(t, "CLIENT CAPA and CLIENT LIST CAPA", "", "8.1.0")
			ctx := testCtx(t)
			conn := dedicatedConn(t, c) // its state changes: closed, not released
			me := value[redisclient.ConnectedClient](t, "CLIENT INFO")(redisclient.ClientInfo().Do(ctx, conn))
			if me.Fields["capa"] != "" {
				t.Fatalf("capa before CLIENT CAPA: %q, want none", me.Fields["capa"])
			}
			ok(t, "CLIENT CAPA redirect")(redisclient.ClientCapa("redirect").Do(ctx, conn))
			me = value[redisclient.ConnectedClient](t, "CLIENT INFO")(redisclient.ClientInfo().Do(ctx, conn))
			if me.Fields["capa"] != "r" {
				t.Errorf("capa after CLIENT CAPA redirect: %q, want r", me.Fields["capa"])
			}
			// Valkey's CLIENT LIST filters: this connection by its
			// capability and ID, and not when excluded by ID.
			list := value[redisclient.ConnectedClients](t, "CLIENT LIST CAPA r")(redisclient.ClientList().ID(me.ID).Capa("r").Do(ctx, c))
			if len(list) != 1 || list[0].ID != me.ID {
				t.Errorf("CLIENT LIST ID %d CAPA r: %v, want that connection", me.ID, list)
			}
			list = value[redisclient.ConnectedClients](t, "CLIENT LIST NOT-ID")(redisclient.ClientList().ID(me.ID).NotID(me.ID).Do(ctx, c))
			if len(list) != 0 {
				t.Errorf("CLIENT LIST ID %d NOT-ID %d: %v, want none", me.ID, me.ID, list)
			}
		})

		t.Run("CLIENT_IMPORT-SOURCE", func(t *testing.T) {
			srv.RequireServer(t, "CLIENT IMPORT-SOURCE", "", "8.1.0")
			ctx := testCtx(t)
			conn := dedicatedConn(t, c) // its state changes: closed, not released
			// The shared server is not in import mode (import-mode no):
			// ON is refused, OFF is accepted.
			serverError[struct{}](t, "CLIENT IMPORT-SOURCE ON", "ERR")(struct{}{}, redisclient.ClientImportSource(redisclient.OnOffOn).Do(ctx, conn))
			ok(t, "CLIENT IMPORT-SOURCE OFF")(redisclient.ClientImportSource(redisclient.OnOffOff).Do(ctx, conn))
			if me := value[redisclient.ConnectedClient](t, "CLIENT INFO")(redisclient.ClientInfo().Do(ctx, conn)); strings.Contains(me.Flags, "I") {
				t.Errorf("flags %q: the connection is an import source", me.Flags)
			}
		})

		t.Run("CLIENT_KILL_NAME", func(t *testing.T) {
			srv.RequireServer(t, "CLIENT KILL NAME", "", "9.0.0")
			ctx := testCtx(t)
			conn := dedicatedConn(t, c) // its state changes: closed, not released
			name := fmt.Sprintf("victim-%d", time.Now().UnixNano())
			ok(t, "CLIENT SETNAME")(redisclient.ClientSetName(name).Do(ctx, conn))
			expect(t, "CLIENT KILL NAME other", int64(0))(redisclient.ClientKill().Name(name+"-other").Do(ctx, c))
			expect(t, "CLIENT KILL NAME", int64(1))(redisclient.ClientKill().Name(name).Do(ctx, c))
		})

		t.Run("HSETEX_NX_XX", func(t *testing.T) {
			srv.RequireServer(t, "HSETEX NX|XX (Valkey's key condition)", "", "9.0.0")
			ctx := testCtx(t)
			h := key(t, "h")
			expect(t, "HSETEX XX missing key", false)(redisclient.HSetEX(h, "f", "v").XX().Do(ctx, c))
			expect(t, "HSETEX NX EX", true)(redisclient.HSetEX(h, "f", "v").NX().EX(100*time.Second).Do(ctx, c))
			expect(t, "HSETEX NX existing key", false)(redisclient.HSetEX(h, "g", "w").NX().Do(ctx, c))
			expect(t, "HSETEX XX FNX (run time)", true)(redisclient.HSetEX(h, "g", "w").With(redisclient.HSetEXOptions{
				KeyCondition: redisclient.ExistConditionXX, Condition: redisclient.HSetEXConditionFNX}).Do(ctx, c))
			expect(t, "HGETALL", map[string]string{"f": "v", "g": "w"})(redisclient.HGetAll(h).Do(ctx, c))
		})

		t.Run("HSETEX_FNX_both", func(t *testing.T) {
			srv.RequireServer(t, "HSETEX FNX|FXX", "8.0.0", "9.0.0")
			ctx := testCtx(t)
			h := key(t, "h")
			cmd := redisclient.HSetEX(h, "f", "v").FNX().EX(100 * time.Second)
			built, err := cmd.Command()
			must(t, err, "build")
			if s := built.Meta().Servers; s != 0 {
				t.Errorf("HSETEX FNX EX: Servers %v, want any", s)
			}
			built.Release()
			expect(t, "HSETEX FNX", true)(cmd.Do(ctx, c))
			expect(t, "HSETEX FNX again", false)(cmd.Do(ctx, c))
		})

		t.Run("COMMANDLOG", func(t *testing.T) {
			srv.RequireServer(t, "COMMANDLOG", "", "8.1.0")
			// Covered by TestValkeyCommandLog, which changes the
			// server's thresholds and so runs its protocols in turn.
			ctx := testCtx(t)
			help := value[[]string](t, "COMMANDLOG HELP")(redisclient.CommandLogHelp().Do(ctx, c))
			if len(help) == 0 || !strings.Contains(strings.Join(help, "\n"), "RESET") {
				t.Errorf("COMMANDLOG HELP: %q", help)
			}
		})
	})
}

// TestValkeyCommandLog runs COMMANDLOG GET, LEN and RESET after commands
// over the thresholds it sets, for each protocol in turn (they share the
// server's logs).
func TestValkeyCommandLog(t *testing.T) {
	srv := sharedServer(t)
	srv.RequireServer(t, "COMMANDLOG", "", "8.1.0")
	admin := NewClient(t, srv.Options(3))
	ctx := testCtx(t)
	thresholds := map[string]string{"commandlog-request-larger-than": "4096", "commandlog-execution-slower-than": "10000"}
	for name, v := range thresholds {
		old := value[map[string]string](t, "CONFIG GET")(redisclient.ConfigGet(name).Do(ctx, admin))[name]
		t.Cleanup(func() { _ = redisclient.ConfigSet(name, old).Do(context.Background(), admin) })
		ok(t, "CONFIG SET "+name)(redisclient.ConfigSet(name, v).Do(ctx, admin))
	}
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			c := NewClient(t, srv.Options(proto))
			ctx := testCtx(t)
			k := key(t, "big")
			start := time.Now().Add(-time.Second).Truncate(time.Second)
			// A request over 4096 bytes: the large-request log.
			ok(t, "SET big")(redisclient.Set(k, strings.Repeat("x", 8192)).Do(ctx, c))
			entries := value[[]redisclient.CommandLogEntry](t, "COMMANDLOG GET large-request")(redisclient.CommandLogGet(-1, redisclient.CommandLogTypeLargeRequest).Do(ctx, c))
			i := slices.IndexFunc(entries, func(e redisclient.CommandLogEntry) bool { return len(e.Args) > 1 && e.Args[1] == k })
			if i < 0 {
				t.Fatalf("COMMANDLOG GET large-request: no entry for SET %s in %d entries", k, len(entries))
			}
			e := entries[i]
			if e.Args[0] != "SET" || e.Value < 8192 || e.Time.Before(start) || e.Time.After(time.Now().Add(time.Second)) || e.ClientAddr == "" {
				t.Errorf("large-request entry: %+v, want SET, a size of at least 8192 bytes, a time of now and the client's address", e)
			}
			// A script that runs for 30ms of CPU time: the slow log (over
			// 10ms). (TIME inside a script is the script's start time.)
			marker := fmt.Sprintf("slow-%s", k)
			slow := "local t = os.clock() while os.clock() - t < 0.03 do end return 1"
			value[redisclient.Value](t, "EVAL slow")(redisclient.Eval(slow).Keys(k+"-slow").Args(marker).Do(ctx, c))
			entries = value[[]redisclient.CommandLogEntry](t, "COMMANDLOG GET slow")(redisclient.CommandLogGet(-1, redisclient.CommandLogTypeSlow).Do(ctx, c))
			i = slices.IndexFunc(entries, func(e redisclient.CommandLogEntry) bool { return slices.Contains(e.Args, marker) })
			if i < 0 {
				t.Fatalf("COMMANDLOG GET slow: no entry for the slow script in %d entries", len(entries))
			}
			if d := time.Duration(entries[i].Value) * time.Microsecond; d < 30*time.Millisecond {
				t.Errorf("slow entry: %v, want at least 30ms", d)
			}
			if n := value[int64](t, "COMMANDLOG LEN slow")(redisclient.CommandLogLen(redisclient.CommandLogTypeSlow).Do(ctx, c)); n < 1 {
				t.Errorf("COMMANDLOG LEN slow = %d, want at least 1", n)
			}
			ok(t, "COMMANDLOG RESET large-request")(redisclient.CommandLogReset(redisclient.CommandLogTypeLargeRequest).Do(ctx, c))
			if entries := value[[]redisclient.CommandLogEntry](t, "COMMANDLOG GET after RESET")(redisclient.CommandLogGet(-1, redisclient.CommandLogTypeLargeRequest).Do(ctx, c)); slices.ContainsFunc(entries, func(e redisclient.CommandLogEntry) bool { return len(e.Args) > 1 && e.Args[1] == k }) {
				t.Errorf("COMMANDLOG GET after RESET still has SET %s", k)
			}
		})
	}
}

// scanPager is a CLUSTERSCAN command value, whatever options it has.
type scanPager interface {
	Do(ctx context.Context, d redisclient.Doer) (redisclient.ScanPage, error)
}

// TestValkeyClusterCommands runs Valkey's cluster commands on a fixture
// cluster of two masters: CLUSTERSCAN through the cluster client, over
// the whole cluster and over one slot, an atomic slot
// migration (CLUSTER MIGRATESLOTS, followed with CLUSTER
// GETSLOTMIGRATIONS), CLUSTER CANCELSLOTMIGRATIONS and CLUSTER FLUSHSLOT.
func TestValkeyClusterCommands(t *testing.T) {
	sharedServer(t).RequireServer(t, "CLUSTERSCAN and atomic slot migration", "", "9.1.0")
	t.Parallel()
	tc := startCluster(t, cluConfig{Name: "valkey-slots", Masters: 2, ReplicasPerMaster: -1})
	shards := tc.shards(t)
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			ctx := testCtx(t)
			// A slot of the first shard, another per protocol.
			slot := shards[0].Slots[0] + proto
			src, dst := shards[0].Master, shards[1].Master
			if !shards[0].Has(slot) {
				t.Fatalf("slot %d is not the first shard's (%v)", slot, shards[0].Slots)
			}
			from := NewClient(t, src.Options(proto))
			to := NewClient(t, dst.Options(proto))

			// CLUSTERSCAN through the cluster client: each call goes to
			// the owner of the cursor's hash slot (its hash tag names the
			// slot being scanned; "0" starts anywhere), so a whole scan
			// crosses every master. A key prefix applies to the keys, never
			// to the cursor: keys written through a prefixed client come
			// back with the prefix.
			prefix := fmt.Sprintf("scan%d:", proto)
			cc := tc.client(t, proto, func(o *redisclient.ClusterOptions) { o.KeyPrefix = prefix })
			var wrote []string
			for i, sh := range shards {
				name := fmt.Sprintf("{%s}all-%d", cluTags[sh.Slots[len(sh.Slots)-1]], i)
				ok(t, "SET through the cluster client")(redisclient.Set(name, "v").Do(ctx, cc))
				wrote = append(wrote, prefix+name)
			}
			// Each page is one call on the node that serves it: no MOVED
			// redirection (a node answers MOVED for another's slot).
			scan := func(what string, cmd func(cursor string) scanPager) []string {
				t.Helper()
				moved, calls := tc.sumErrors(t, "MOVED"), sumCalls(t, tc.Nodes, "clusterscan")
				var keys []string
				cursor := "0"
				for i := 0; ; i++ {
					page := value[redisclient.ScanPage](t, what)(cmd(cursor).Do(ctx, cc))
					keys = append(keys, page.Keys...)
					cursor = page.Cursor
					if cursor == "0" {
						if n := tc.sumErrors(t, "MOVED") - moved; n != 0 {
							t.Errorf("%s: %d MOVED replies; want none (each page sent to the owner of its cursor's slot)", what, n)
						}
						if n := sumCalls(t, tc.Nodes, "clusterscan") - calls; n != int64(i+1) {
							t.Errorf("%s: the nodes ran CLUSTERSCAN %d times for %d pages", what, n, i+1)
						}
						return keys
					}
					if i > 20000 {
						t.Fatalf("%s: no end after %d pages (cursor %q)", what, i, cursor)
					}
				}
			}
			all := scan("CLUSTERSCAN", func(cursor string) scanPager {
				return redisclient.ClusterScan(cursor).Match(prefix + "*").Count(1000)
			})
			if !cmp.Equal(sortedCopy(all), sortedCopy(wrote)) {
				t.Errorf("CLUSTERSCAN MATCH %s* over the cluster: %q, want %q (one per master)", prefix, all, wrote)
			}

			// CLUSTERSCAN of one slot, the same way.
			k := cluKey(slot, fmt.Sprintf("scan-%d", proto))
			ok(t, "SET")(redisclient.Set(k, "v").Do(ctx, from))
			keys := scan("CLUSTERSCAN SLOT", func(cursor string) scanPager {
				return redisclient.ClusterScan(cursor).Slot(int64(slot))
			})
			if !slices.Contains(keys, k) {
				t.Errorf("CLUSTERSCAN SLOT %d: keys %q; want %s", slot, keys, k)
			}

			// Move the slot to the other master.
			ok(t, "CLUSTER MIGRATESLOTS")(redisclient.ClusterMigrateSlots().MigrationGroup(
				redisclient.ClusterMigrateSlotsMigrationGroup(int64(slot), int64(slot), dst.ID)).Do(ctx, from))
			var job redisclient.SlotMigration
			deadline := time.Now().Add(20 * time.Second)
			for {
				jobs := value[[]redisclient.SlotMigration](t, "CLUSTER GETSLOTMIGRATIONS")(redisclient.ClusterGetSlotMigrations().Do(ctx, from))
				i := slices.IndexFunc(jobs, func(j redisclient.SlotMigration) bool {
					return j.SlotRanges == fmt.Sprintf("%d-%d", slot, slot) && j.TargetNode == dst.ID
				})
				if i >= 0 {
					job = jobs[i]
					if job.State == "success" || job.State == "failed" || job.State == "cancelled" {
						break
					}
				}
				if time.Now().After(deadline) {
					t.Fatalf("CLUSTER GETSLOTMIGRATIONS: no finished job for slot %d after 20s (jobs %+v)", slot, jobs)
				}
				time.Sleep(100 * time.Millisecond)
			}
			if job.State != "success" || job.Operation != "EXPORT" || job.SourceNode != src.ID || job.CreateTime.IsZero() || time.Since(job.CreateTime) > time.Minute {
				t.Errorf("migration job: %+v, want a recent successful EXPORT from %s", job, src.ID)
			}
			expect(t, "GET on the new owner", some("v"))(redisclient.Get(k).Do(ctx, to))
			// With the job done, there is nothing to cancel.
			serverError[struct{}](t, "CLUSTER CANCELSLOTMIGRATIONS", "ERR")(struct{}{}, redisclient.ClusterCancelSlotMigrations().Do(ctx, from))

			// FLUSHSLOT empties the slot on its new owner.
			expect(t, "COUNTKEYSINSLOT before FLUSHSLOT", int64(1))(redisclient.ClusterCountKeysInSlot(int64(slot)).Do(ctx, to))
			ok(t, "CLUSTER FLUSHSLOT")(redisclient.ClusterFlushSlot(int64(slot)).Sync().Do(ctx, to))
			expect(t, "COUNTKEYSINSLOT after FLUSHSLOT", int64(0))(redisclient.ClusterCountKeysInSlot(int64(slot)).Do(ctx, to))
		})
	}
}
