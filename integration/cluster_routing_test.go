package integration

// Routing on a shared 3+3 cluster: typed commands on every slot, MOVED
// after a stale topology, split multi-key commands, cross-slot refusals,
// keyless fan-out, pipelines, transactions, Scan, scripts, client-side
// caching, the per-node API and replica reads. The tests that flush or
// count the whole keyspace run one after the other; the others share the
// cluster in parallel, each with its own keys.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redkit-go/redkit/cluster"
	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
)

func TestCluster(t *testing.T) {
	tc := startCluster(t, cluConfig{Name: "shared"})

	// First, alone on the cluster: it moves a slot and back.
	t.Run("StaleSeedAndMOVED", func(t *testing.T) { cluStaleSeedAndMoved(t, tc) })

	movedBefore := tc.sumErrors(t, "MOVED")
	t.Run("Keys", func(t *testing.T) {
		for _, proto := range []int{2, 3} {
			t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
				t.Parallel()
				c := tc.client(t, proto, nil)
				t.Run("AllSlots", func(t *testing.T) { cluAllSlots(t, c) })
				t.Run("Types", func(t *testing.T) { cluTypes(t, c) })
				t.Run("Split", func(t *testing.T) { cluSplit(t, c) })
				t.Run("CrossSlot", func(t *testing.T) { cluCrossSlot(t, tc, c) })
				t.Run("Pipeline", func(t *testing.T) { cluPipeline(t, c) })
				t.Run("Transactions", func(t *testing.T) { cluTransactions(t, c) })
				t.Run("Scan", func(t *testing.T) { cluScan(t, c) })
				t.Run("Scripts", func(t *testing.T) { cluScripts(t, c) })
				if proto == 3 {
					t.Run("DoCached", func(t *testing.T) { cluDoCached(t, tc) })
				}
			})
		}
	})
	// Clients with a current topology send every keyed command straight
	// to its node: no MOVED while the cluster does not change.
	if moved := tc.sumErrors(t, "MOVED") - movedBefore; moved != 0 {
		t.Errorf("the keyed tests caused %d MOVED replies on a stable cluster", moved)
	}

	// Alone again: they flush, count and reset counters cluster-wide.
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("Keyspace/RESP%d", proto), func(t *testing.T) { cluKeyspace(t, tc, proto) })
		t.Run(fmt.Sprintf("KeylessRouting/RESP%d", proto), func(t *testing.T) { cluKeyless(t, tc, proto) })
	}
	t.Run("ReplicaReads", func(t *testing.T) { cluReplicaReads(t, tc) })
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("ReplyUnits/RESP%d", proto), func(t *testing.T) { cluReplyUnits(t, tc, proto) })
	}
	t.Run("MigrationTimes", func(t *testing.T) { cluMigrationTimes(t, tc) })
}

// sumErrors sums an error counter (INFO errorstats) over every node.
func (tc *testCluster) sumErrors(t testing.TB, prefix string) int64 {
	t.Helper()
	var n int64
	for _, x := range tc.Nodes {
		n += x.errorCount(t, prefix)
	}
	return n
}

// sumCalls sums a command counter over nodes.
func sumCalls(t testing.TB, nodes []*cluNode, command string) int64 {
	t.Helper()
	var n int64
	for _, x := range nodes {
		n += x.calls(t, command)
	}
	return n
}

// cluName returns a key name unique to the test.
func cluName(t testing.TB, name string) string { return ":" + t.Name() + ":" + name }

// cluStaleSeedAndMoved: a client seeded with a dead address and one
// replica loads the topology; when a slot moves behind its back (no
// periodic refresh), its next command on the slot gets MOVED and is
// followed, and the refresh that follows brings the whole map.
func cluStaleSeedAndMoved(t *testing.T, tc *testCluster) {
	ctx := testCtx(t)
	shards := tc.shards(t)
	replica := shards[0].Replicas[0]
	c := tc.client(t, 3, func(o *redisclient.ClusterOptions) {
		o.Seeds = []string{"127.0.0.1:1", replica.Addr}
		o.RefreshInterval = -1
	})
	for i, sh := range shards {
		k := cluKey(sh.Slots[0], cluName(t, "seed"+strconv.Itoa(i)))
		ok(t, "SET through a partial seed")(redisclient.Set(k, "v").Do(ctx, c))
		expect(t, "GET through a partial seed", redisclient.Opt[string]{Value: "v", Valid: true})(redisclient.Get(k).Do(ctx, c))
	}

	from, to := shards[0].Master, shards[1].Master
	slot := shards[0].Slots[0] + 7
	k := cluKey(slot, cluName(t, "moved"))
	masters := tc.masters(t)
	n, err := tc.migrateSlot(ctx, slot, from, to, masters)
	must(t, err, "move the slot")
	tc.waitSlotOwner(t, slot, to)
	movedBefore := from.errorCount(t, "MOVED")

	start := time.Now()
	ok(t, "SET on the moved slot")(redisclient.Set(k, "after-move").Do(ctx, c))
	took := time.Since(start)
	moved := from.errorCount(t, "MOVED") - movedBefore
	if moved < 1 {
		t.Errorf("the old owner sent %d MOVED replies; the client's map was not stale?", moved)
	}
	if v, err := redisclient.Get(k).Do(ctx, to.Admin); err != nil || v.Value != "after-move" {
		t.Errorf("the new owner %s has %q (%v), want after-move", to.Addr, v.Value, err)
	}
	// The refresh that MOVED triggered updates the map: no more MOVED.
	time.Sleep(300 * time.Millisecond)
	movedBefore = from.errorCount(t, "MOVED")
	for i := range 20 {
		ok(t, "SET after the refresh")(redisclient.Set(cluKey(slot, cluName(t, strconv.Itoa(i))), "x").Do(ctx, c))
	}
	if extra := from.errorCount(t, "MOVED") - movedBefore; extra != 0 {
		t.Errorf("%d more MOVED replies after the refresh", extra)
	}
	t.Logf("slot %d moved %s -> %s (%d keys); first command after the move took %v with %d MOVED",
		slot, from.Addr, to.Addr, n, took.Round(time.Microsecond), moved)

	// Put it back (with its keys) for the other tests.
	_, err = tc.migrateSlot(ctx, slot, to, from, masters)
	must(t, err, "move the slot back")
	tc.waitSlotOwner(t, slot, from)
	expect(t, "GET after moving back", redisclient.Opt[string]{Value: "after-move", Valid: true})(redisclient.Get(k).Do(ctx, c))
}

// waitSlotOwner waits until every node reports slot served by owner.
func (tc *testCluster) waitSlotOwner(t testing.TB, slot int, owner *cluNode) {
	t.Helper()
	tc.waitAll(t, 10*time.Second, fmt.Sprintf("every node to see slot %d on %s", slot, owner.Addr), func(n *cluNode) (bool, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		shards, err := redisclient.ClusterShards().Do(ctx, n.Admin)
		if err != nil {
			return false, err.Error()
		}
		for _, sh := range shards {
			for i := 0; i+1 < len(sh.Slots); i += 2 {
				if int64(slot) >= sh.Slots[i] && int64(slot) <= sh.Slots[i+1] {
					for _, x := range sh.Nodes {
						if x.Role == "master" {
							return x.ID == owner.ID, "owner " + x.ID
						}
					}
				}
			}
		}
		return false, "no owner"
	})
}

// cluAllSlots: SET and GET a key in each of the 16384 slots, 32 callers
// at once.
func cluAllSlots(t *testing.T, c *redisclient.Client) {
	ctx := ctxFor(t, 60*time.Second)
	start := time.Now()
	var next atomic.Int64
	var errs atomic.Int64
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				s := int(next.Add(1) - 1)
				if s >= transport.SlotCount {
					return
				}
				k := cluKey(s, cluName(t, "k"))
				if err := redisclient.Set(k, strconv.Itoa(s)).Do(ctx, c); err != nil {
					if errs.Add(1) < 5 {
						t.Errorf("SET %s (slot %d): %v", k, s, err)
					}
					continue
				}
				v, err := redisclient.Get(k).Do(ctx, c)
				if err != nil || v.Value != strconv.Itoa(s) {
					if errs.Add(1) < 5 {
						t.Errorf("GET %s (slot %d): %+v, %v", k, s, v, err)
					}
				}
			}
		}()
	}
	wg.Wait()
	d := time.Since(start)
	t.Logf("SET+GET on all %d slots: %v (%.0f commands/s), %d errors", transport.SlotCount, d.Round(time.Millisecond), 2*transport.SlotCount/d.Seconds(), errs.Load())
}

// cluTypes: commands of several types on keys of different shards.
func cluTypes(t *testing.T, c *redisclient.Client) {
	ctx := testCtx(t)
	h, l, s, z, n := cluKey(100, cluName(t, "h")), cluKey(6000, cluName(t, "l")), cluKey(12000, cluName(t, "s")), cluKey(16000, cluName(t, "z")), cluKey(9000, cluName(t, "n"))
	expect(t, "HSET", int64(1))(redisclient.HSet(h, "f", "v").Do(ctx, c))
	expect(t, "HGETALL", map[string]string{"f": "v"})(redisclient.HGetAll(h).Do(ctx, c))
	expect(t, "RPUSH", int64(3))(redisclient.RPush(l, "a", "b", "c").Do(ctx, c))
	expect(t, "LRANGE", []string{"a", "b", "c"})(redisclient.LRange(l, 0, -1).Do(ctx, c))
	expect(t, "SADD", int64(2))(redisclient.SAdd(s, "x", "y").Do(ctx, c))
	got := value[[]string](t, "SMEMBERS")(redisclient.SMembers(s).Do(ctx, c))
	sort.Strings(got)
	if !slices.Equal(got, []string{"x", "y"}) {
		t.Errorf("SMEMBERS: %v", got)
	}
	expect(t, "ZADD", int64(1))(redisclient.ZAdd(z, 1.5, "m").Do(ctx, c))
	expect(t, "ZSCORE", redisclient.Opt[float64]{Value: 1.5, Valid: true})(redisclient.ZScore(z, "m").Do(ctx, c))
	expect(t, "INCRBY", int64(5))(redisclient.IncrBy(n, 5).Do(ctx, c))
	expect(t, "EXPIRE", true)(redisclient.Expire(n, time.Minute).Do(ctx, c))
}

// cluSplit: MSET, MGET, EXISTS, TOUCH, DEL and UNLINK whose keys span
// slots are split per slot and their replies merged in key order.
func cluSplit(t *testing.T, c *redisclient.Client) {
	ctx := testCtx(t)
	var keys []string
	for i := range 30 {
		// Three keys per slot in some slots, one in others, every shard.
		slot := (i / 3) * 1637
		if i%2 == 1 {
			slot = i * 541 % transport.SlotCount
		}
		keys = append(keys, cluKey(slot, cluName(t, strconv.Itoa(i))))
	}
	mset := redisclient.MSet(keys[0], "v0")
	for i, k := range keys[1:] {
		mset = mset.KeyValue(k, "v"+strconv.Itoa(i+1))
	}
	ok(t, "MSET across slots")(mset.Do(ctx, c))

	missing := cluKey(4242, cluName(t, "missing"))
	query := slices.Concat(keys, []string{missing, keys[0], keys[17]})
	want := make([]redisclient.Opt[string], len(query))
	for i := range keys {
		want[i] = redisclient.Opt[string]{Value: "v" + strconv.Itoa(i), Valid: true}
	}
	want[len(keys)+1] = want[0]
	want[len(keys)+2] = want[17]
	expect(t, "MGET across slots, in order, with a missing key and repeats", want)(redisclient.MGet(query...).Do(ctx, c))

	expect(t, "EXISTS with a missing key and repeats", int64(len(keys)+2))(redisclient.Exists(query...).Do(ctx, c))
	expect(t, "TOUCH", int64(len(keys)))(redisclient.Touch(slices.Concat(keys, []string{missing})...).Do(ctx, c))
	expect(t, "DEL of the first half", int64(15))(redisclient.Del(slices.Concat(keys[:15], []string{missing})...).Do(ctx, c))
	expect(t, "UNLINK of everything", int64(15))(redisclient.Unlink(keys...).Do(ctx, c))
	expect(t, "EXISTS after deleting", int64(0))(redisclient.Exists(keys...).Do(ctx, c))
	got := value[[]redisclient.Opt[string]](t, "MGET after deleting")(redisclient.MGet(keys...).Do(ctx, c))
	for i, v := range got {
		if v.Valid {
			t.Errorf("MGET after deleting: key %d still has %q", i, v.Value)
		}
	}
}

// cluCrossSlot: commands whose keys span slots and that cannot be split
// fail before anything is sent, with *cluster.CrossSlotError; with one
// hash tag they run.
func cluCrossSlot(t *testing.T, tc *testCluster, c *redisclient.Client) {
	ctx := testCtx(t)
	a, b := cluKey(1, cluName(t, "a")), cluKey(9999, cluName(t, "b"))
	masters := tc.masters(t)
	before := sumCalls(t, masters, "rpoplpush") + sumCalls(t, masters, "sunion")
	crossBefore := tc.sumErrors(t, "CROSSSLOT")
	var cse *cluster.CrossSlotError
	if _, err := redisclient.RPopLPush(a, b).Do(ctx, c); !errors.As(err, &cse) {
		t.Errorf("RPOPLPUSH across slots: got %v (%T), want *cluster.CrossSlotError", err, err)
	} else {
		t.Logf("RPOPLPUSH across slots: %v", err)
	}
	if _, err := redisclient.SUnion(a, b).Do(ctx, c); !errors.As(err, &cse) {
		t.Errorf("SUNION across slots: got %v (%T), want *cluster.CrossSlotError", err, err)
	}
	p := c.Pipeline()
	f := redisclient.SUnion(a, b).Queue(p)
	p.Exec(ctx)
	if !errors.As(f.Err(), &cse) {
		t.Errorf("SUNION across slots in a pipeline: got %v, want *cluster.CrossSlotError", f.Err())
	}
	if after := sumCalls(t, masters, "rpoplpush") + sumCalls(t, masters, "sunion"); after != before {
		t.Errorf("the servers ran %d cross-slot commands; they must fail before sending", after-before)
	}
	if n := tc.sumErrors(t, "CROSSSLOT") - crossBefore; n != 0 {
		t.Errorf("the servers sent %d CROSSSLOT errors", n)
	}
	// One hash tag: one slot. (Other commands than the ones counted above:
	// the other protocol's subtest runs at the same time.)
	src, dst := cluKey(77, cluName(t, "src")), cluKey(77, cluName(t, "dst"))
	expect(t, "RPUSH", int64(1))(redisclient.RPush(src, "x").Do(ctx, c))
	if v, err := redisclient.Raw("LMOVE", src, dst, "RIGHT", "LEFT").Do(ctx, c); err != nil || v.Str != "x" {
		t.Errorf("LMOVE (raw) in one slot: %v %v", v, err)
	}
	expect(t, "LRANGE of the destination", []string{"x"})(redisclient.LRange(dst, 0, -1).Do(ctx, c))
	expect(t, "SINTER in one slot", []string(nil))(redisclient.SInter(src+"s", cluKey(77, cluName(t, "none"))).Do(ctx, c))
	if _, err := redisclient.Raw("LMOVE", a, b, "RIGHT", "LEFT").Do(ctx, c); !errors.As(err, &cse) {
		t.Errorf("LMOVE (raw) across slots: got %v, want *cluster.CrossSlotError", err)
	}
}

// cluPipeline: hundreds of commands over many slots (and a split MGET and
// a keyless ECHO) in one pipeline; every future gets its own reply.
func cluPipeline(t *testing.T, c *redisclient.Client) {
	ctx := testCtx(t)
	const n = 600
	p := c.Pipeline()
	sets := make([]*redisclient.Future[struct{}], n)
	incrs := make([]*redisclient.Future[int64], n)
	gets := make([]*redisclient.Future[redisclient.Opt[string]], n)
	keys := make([]string, n)
	for i := range n {
		keys[i] = cluKey(i*27%transport.SlotCount, cluName(t, strconv.Itoa(i)))
		sets[i] = redisclient.Set(keys[i], strconv.Itoa(i)).Queue(p)
		incrs[i] = redisclient.Incr(keys[i]).Queue(p)
		gets[i] = redisclient.Get(keys[i]).Queue(p)
	}
	mget := redisclient.MGet(keys[0], keys[1], keys[2]).Queue(p)
	echo := redisclient.Echo("hello").Queue(p)
	start := time.Now()
	if err := p.Exec(ctx); err != nil {
		t.Fatalf("Exec: %v", err)
	}
	d := time.Since(start)
	bad := 0
	for i := range n {
		want := strconv.Itoa(i + 1)
		if sets[i].Err() != nil || incrs[i].Val() != int64(i+1) || gets[i].Val().Value != want {
			if bad++; bad < 5 {
				t.Errorf("command %d: SET %v, INCR %d %v, GET %+v %v", i, sets[i].Err(), incrs[i].Val(), incrs[i].Err(), gets[i].Val(), gets[i].Err())
			}
		}
	}
	expect(t, "MGET in the pipeline", []redisclient.Opt[string]{{Value: "1", Valid: true}, {Value: "2", Valid: true}, {Value: "3", Valid: true}})(mget.Result())
	expect(t, "ECHO in the pipeline", "hello")(echo.Result())
	t.Logf("pipeline of %d commands over %d slots: %v, %d wrong", 3*n+2, n, d.Round(time.Microsecond), bad)

	// Order across commands that the router runs differently: a split
	// DEL runs after the SETs queued before it and before the SET queued
	// after it; the MGET sees all of that.
	a, b := cluKey(3, cluName(t, "order-a")), cluKey(12000, cluName(t, "order-b"))
	p = c.Pipeline()
	redisclient.Set(a, "1").Queue(p)
	redisclient.Set(b, "2").Queue(p)
	del := redisclient.Del(a, b).Queue(p)
	redisclient.Set(a, "again").Queue(p)
	final := redisclient.MGet(a, b).Queue(p)
	must(t, p.Exec(ctx), "ordered pipeline")
	expect(t, "split DEL after the SETs", int64(2))(del.Result())
	expect(t, "MGET at the end of the pipeline", []redisclient.Opt[string]{{Value: "again", Valid: true}, {}})(final.Result())
}

// cluTransactions: TxPipeline and Watch on keys of one hash tag.
func cluTransactions(t *testing.T, c *redisclient.Client) {
	ctx := testCtx(t)
	a, b := cluKey(5000, cluName(t, "a")), cluKey(5000, cluName(t, "b"))
	tx := c.TxPipeline()
	i1 := redisclient.Incr(a).Queue(tx)
	i2 := redisclient.IncrBy(b, 10).Queue(tx)
	g := redisclient.Get(a).Queue(tx)
	if err := tx.Exec(ctx); err != nil {
		t.Fatalf("TxPipeline Exec: %v", err)
	}
	expect(t, "INCR in MULTI", int64(1))(i1.Result())
	expect(t, "INCRBY in MULTI", int64(10))(i2.Result())
	expect(t, "GET in MULTI", redisclient.Opt[string]{Value: "1", Valid: true})(g.Result())

	// Concurrent read-modify-write with WATCH: no lost update.
	counter := cluKey(5000, cluName(t, "counter"))
	var wg sync.WaitGroup
	var conflicts atomic.Int64
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				err := c.Watch(ctx, func(tx *redisclient.Tx) error {
					v, err := redisclient.Get(counter).Do(ctx, tx)
					if err != nil {
						return err
					}
					n, _ := strconv.Atoi(v.Or("0"))
					redisclient.Set(counter, strconv.Itoa(n+1)).Queue(tx)
					redisclient.Set(a, "touched").Queue(tx)
					return nil
				}, counter)
				if errors.Is(err, redisclient.ErrTxConflict) {
					conflicts.Add(1)
				} else if err != nil {
					t.Errorf("Watch: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	want := strconv.Itoa(80 - int(conflicts.Load()))
	expect(t, "counter after concurrent WATCH transactions", redisclient.Opt[string]{Value: want, Valid: true})(redisclient.Get(counter).Do(ctx, c))
	t.Logf("80 WATCH transactions, %d gave up after conflicts", conflicts.Load())
}

// cluScan: Scan visits every master and returns each key.
func cluScan(t *testing.T, c *redisclient.Client) {
	ctx := testCtx(t)
	want := map[string]bool{}
	p := c.Pipeline()
	for i := range 300 {
		k := cluKey(i*53%transport.SlotCount, cluName(t, "scan:"+strconv.Itoa(i)))
		want[k] = true
		redisclient.Set(k, "x").Queue(p)
	}
	must(t, p.Exec(ctx), "fill")
	got := map[string]bool{}
	for k, err := range c.Scan(ctx, redisclient.ScanOptions{Match: "*" + cluName(t, "scan:") + "*", Count: 100}) {
		if err != nil {
			t.Fatalf("Scan: %v", err)
		}
		got[k] = true
	}
	if len(got) != len(want) {
		t.Errorf("Scan returned %d keys, want %d", len(got), len(want))
	}
	for k := range want {
		if !got[k] {
			t.Errorf("Scan missed %s", k)
			break
		}
	}
}

// cluScripts: a script with keys in one slot runs on that slot's node
// (loaded there with EVAL the first time); keys in several slots fail
// before sending.
func cluScripts(t *testing.T, c *redisclient.Client) {
	ctx := testCtx(t)
	script := redisclient.NewScript(`redis.call('SET', KEYS[1], ARGV[1]); return redis.call('INCR', KEYS[2])`, redisclient.DecodeInt)
	for _, slot := range []int{10, 7000, 15000} {
		k1, k2 := cluKey(slot, cluName(t, "s1")), cluKey(slot, cluName(t, "s2"))
		for i := 1; i <= 3; i++ {
			expect(t, fmt.Sprintf("script run %d on slot %d", i, slot), int64(i))(script.Run(ctx, c, []string{k1, k2}, "v"))
		}
		expect(t, "the script's SET", redisclient.Opt[string]{Value: "v", Valid: true})(redisclient.Get(k1).Do(ctx, c))
	}
	var cse *cluster.CrossSlotError
	if _, err := script.Run(ctx, c, []string{cluKey(1, "x"), cluKey(2, "y")}, "v"); !errors.As(err, &cse) {
		t.Errorf("a script with keys in two slots: got %v, want *cluster.CrossSlotError", err)
	}
	// In a pipeline too.
	p := c.Pipeline()
	f := script.Queue(p, []string{cluKey(20, cluName(t, "p1")), cluKey(20, cluName(t, "p2"))}, "w")
	must(t, p.Exec(ctx), "pipeline with a script")
	expect(t, "script in a pipeline", int64(1))(f.Result())
}

// cluDoCached: the client-side cache works on a cluster: hits are served
// locally, and a write by another client invalidates the entry on
// whichever node holds the key.
func cluDoCached(t *testing.T, tc *testCluster) {
	ctx := testCtx(t)
	c := tc.client(t, 3, func(o *redisclient.ClusterOptions) { o.Cache = &redisclient.CacheOptions{} })
	writer := tc.client(t, 3, nil)
	var keys []string
	for _, sh := range tc.shards(t) {
		keys = append(keys, cluKey(sh.Slots[0]+3, cluName(t, "c")))
	}
	for _, k := range keys {
		ok(t, "SET")(redisclient.Set(k, "v1").Do(ctx, writer))
		expect(t, "first DoCached", redisclient.Opt[string]{Value: "v1", Valid: true})(redisclient.Get(k).DoCached(ctx, c, time.Minute))
		expect(t, "second DoCached", redisclient.Opt[string]{Value: "v1", Valid: true})(redisclient.Get(k).DoCached(ctx, c, time.Minute))
	}
	st := c.CacheStats()
	if st.Hits < uint64(len(keys)) {
		t.Errorf("cache stats after reading each key twice: %+v, want at least %d hits", st, len(keys))
	}
	for _, k := range keys {
		ok(t, "SET by another client")(redisclient.Set(k, "v2").Do(ctx, writer))
	}
	start := time.Now()
	for _, k := range keys {
		var v redisclient.Opt[string]
		if !cluWaitFor(5*time.Second, func() bool {
			v, _ = redisclient.Get(k).DoCached(ctx, c, time.Minute)
			return v.Value == "v2"
		}) {
			t.Errorf("DoCached %s still returns %+v 5s after another client's write", k, v)
		}
	}
	t.Logf("cache on %d shards: %+v; invalidations seen within %v", len(keys), c.CacheStats(), time.Since(start).Round(time.Millisecond))
}

// cluWaitFor polls cond until it holds or d passes.
func cluWaitFor(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); ; {
		if cond() {
			return true
		}
		if time.Now().After(end) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// cluKeyspace: keyless fan-out (FLUSHALL on every master, DBSIZE summed,
// KEYS concatenated) and the per-node API (ForEach on the masters:
// DBSIZE and FLUSHDB on each).
func cluKeyspace(t *testing.T, tc *testCluster, proto int) {
	ctx := testCtx(t)
	c := tc.client(t, proto, nil)
	ok(t, "FLUSHALL")(redisclient.FlushAll().Do(ctx, c))
	for _, m := range tc.masters(t) {
		expect(t, "DBSIZE of "+m.Addr+" after FLUSHALL", int64(0))(redisclient.DBSize().Do(ctx, m.Admin))
	}
	const n = 500
	want := make([]string, n)
	p := c.Pipeline()
	for i := range want {
		want[i] = cluKey(i*31%transport.SlotCount, cluName(t, strconv.Itoa(i)))
		redisclient.Set(want[i], "x").Queue(p)
	}
	must(t, p.Exec(ctx), "fill")
	expect(t, "DBSIZE summed over the masters", int64(n))(redisclient.DBSize().Do(ctx, c))
	got := value[[]string](t, "KEYS *")(redisclient.Keys("*").Do(ctx, c))
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("KEYS * returned %d keys, want the %d written", len(got), len(want))
	}

	r := cluRouter(t, c)
	var mu sync.Mutex
	perNode := map[string]int64{}
	must(t, r.ForEach(ctx, cluster.Masters, func(ctx context.Context, node *transport.Node) error {
		size, err := redisclient.DBSize().Do(ctx, node)
		mu.Lock()
		perNode[node.Addr()] = size
		mu.Unlock()
		return err
	}), "ForEach DBSIZE")
	var sum int64
	for _, v := range perNode {
		sum += v
	}
	if len(perNode) != 3 || sum != n {
		t.Errorf("DBSIZE per master %v: want 3 masters summing to %d", perNode, n)
	}
	t.Logf("keys per master: %v", perNode)
	for _, k := range want[:5] {
		node, err := r.NodeForKey(k)
		must(t, err, "NodeForKey")
		expect(t, "GET on NodeForKey's node", redisclient.Opt[string]{Value: "x", Valid: true})(redisclient.Get(k).Do(ctx, node))
	}
	must(t, r.ForEach(ctx, cluster.Masters, func(ctx context.Context, node *transport.Node) error {
		return redisclient.FlushDB().Do(ctx, node)
	}), "ForEach FLUSHDB")
	expect(t, "DBSIZE after FLUSHDB on each master", int64(0))(redisclient.DBSize().Do(ctx, c))
	if got := len(r.Nodes(cluster.AllNodes)); got != 6 {
		t.Errorf("Nodes(AllNodes): %d nodes, want 6", got)
	}
}

// cluKeyless: SCRIPT LOAD reaches every node, PING every master, and a
// command without tips (ECHO) one master at random, never a replica.
func cluKeyless(t *testing.T, tc *testCluster, proto int) {
	ctx := testCtx(t)
	c := tc.client(t, proto, nil)
	src := "return 'cluster-" + strconv.FormatInt(time.Now().UnixNano(), 10) + "'"
	ok(t, "SCRIPT FLUSH")(redisclient.ScriptFlush().Do(ctx, c))
	sha := value[string](t, "SCRIPT LOAD")(redisclient.ScriptLoad(src).Do(ctx, c))
	for _, n := range tc.Nodes {
		expect(t, "SCRIPT EXISTS on "+n.Addr, []bool{true})(redisclient.ScriptExists(sha).Do(ctx, n.Admin))
	}
	expect(t, "SCRIPT EXISTS through the cluster (every node)", []bool{true})(redisclient.ScriptExists(sha).Do(ctx, c))

	for _, n := range tc.Nodes {
		n.resetStats(t)
	}
	const echoes, pings = 90, 10
	for i := range echoes {
		expect(t, "ECHO", "e"+strconv.Itoa(i))(redisclient.Echo("e"+strconv.Itoa(i)).Do(ctx, c))
	}
	for range pings {
		ok(t, "PING")(c.Ping(ctx))
	}
	masters, replicas := tc.masters(t), tc.replicas(t)
	var perMaster []int64
	used := 0
	for _, m := range masters {
		n := m.calls(t, "echo")
		perMaster = append(perMaster, n)
		if n > 0 {
			used++
		}
		if p := m.calls(t, "ping"); p < pings {
			t.Errorf("master %s ran PING %d times, want %d (all_shards)", m.Addr, p, pings)
		}
	}
	if sum := sumCalls(t, masters, "echo"); sum != echoes || used < 2 {
		t.Errorf("ECHO per master %v: want %d in all, spread over several masters", perMaster, echoes)
	}
	if n := sumCalls(t, replicas, "echo") + sumCalls(t, replicas, "ping"); n != 0 {
		t.Errorf("replicas ran %d ECHO/PING", n)
	}
	t.Logf("ECHO per master (random master): %v", perMaster)
}

// waitReplicated waits until every replica has its master's replication
// offset.
func (tc *testCluster) waitReplicated(t testing.TB) {
	t.Helper()
	for _, sh := range tc.shards(t) {
		for _, r := range sh.Replicas {
			var mo, ro string
			if !cluWaitFor(10*time.Second, func() bool {
				mo = sh.Master.infoField(t, "replication", "master_repl_offset")
				ro = r.infoField(t, "replication", "master_repl_offset")
				return mo == ro
			}) {
				t.Fatalf("replica %s at offset %s, its master %s at %s", r.Addr, ro, sh.Master.Addr, mo)
			}
		}
	}
}

// cluReplicaReads: read-only commands go to replicas with ReadReplica
// (INFO commandstats on the nodes says where GETs ran), to both kinds of
// node with ReadAny, anywhere healthy with ReadNearest, where a
// ReadSelector says; writes always go to masters (no replica sends MOVED).
func cluReplicaReads(t *testing.T, tc *testCluster) {
	ctx := testCtx(t)
	masters, replicas := tc.masters(t), tc.replicas(t)
	if len(replicas) != 3 {
		t.Fatalf("%d healthy replicas, want 3", len(replicas))
	}
	const n = 300
	keys := make([]string, n)
	for i := range keys {
		keys[i] = cluKey(i*97%transport.SlotCount, cluName(t, strconv.Itoa(i)))
	}
	reset := func() {
		for _, x := range tc.Nodes {
			x.resetStats(t)
		}
	}
	readAll := func(c *redisclient.Client) {
		t.Helper()
		for i, k := range keys {
			expect(t, "GET "+k, redisclient.Opt[string]{Value: strconv.Itoa(i), Valid: true})(redisclient.Get(k).Do(ctx, c))
		}
	}
	spread := func(nodes []*cluNode) []int64 {
		var out []int64
		for _, x := range nodes {
			out = append(out, x.calls(t, "get"))
		}
		return out
	}

	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("ReadReplica/RESP%d", proto), func(t *testing.T) {
			c := tc.client(t, proto, func(o *redisclient.ClusterOptions) { o.ReadPolicy = cluster.ReadReplica })
			reset()
			for i, k := range keys {
				ok(t, "SET through a ReadReplica client")(redisclient.Set(k, strconv.Itoa(i)).Do(ctx, c))
			}
			tc.waitReplicated(t)
			readAll(c)
			// A pipeline of reads goes to the replicas too.
			p := c.Pipeline()
			for _, k := range keys[:50] {
				redisclient.Get(k).Queue(p)
			}
			must(t, p.Exec(ctx), "pipelined GETs")
			if got := sumCalls(t, replicas, "get"); got != n+50 {
				t.Errorf("replicas ran %d GETs, want %d (per replica %v)", got, n+50, spread(replicas))
			}
			if got := sumCalls(t, masters, "get"); got != 0 {
				t.Errorf("masters ran %d GETs with ReadReplica", got)
			}
			if moved := tc.sumErrors(t, "MOVED"); moved != 0 {
				t.Errorf("%d MOVED replies: a write went to a replica?", moved)
			}
			if got := sumCalls(t, masters, "set"); got != n {
				t.Errorf("masters ran %d SETs, want %d", got, n)
			}
			t.Logf("GETs per replica %v, per master %v", spread(replicas), spread(masters))
		})
	}
	t.Run("ReadAny", func(t *testing.T) {
		c := tc.client(t, 3, func(o *redisclient.ClusterOptions) { o.ReadPolicy = cluster.ReadAny })
		reset()
		readAll(c)
		onReplicas, onMasters := sumCalls(t, replicas, "get"), sumCalls(t, masters, "get")
		if onReplicas+onMasters != n || onReplicas == 0 || onMasters == 0 {
			t.Errorf("ReadAny: %d GETs on replicas, %d on masters; want %d spread over both", onReplicas, onMasters, n)
		}
		t.Logf("ReadAny: GETs per replica %v, per master %v", spread(replicas), spread(masters))
	})
	t.Run("ReadNearest", func(t *testing.T) {
		c := tc.client(t, 3, func(o *redisclient.ClusterOptions) { o.ReadPolicy = cluster.ReadNearest })
		reset()
		readAll(c)
		ok(t, "SET with ReadNearest")(redisclient.Set(keys[0], "0").Do(ctx, c))
		if got := sumCalls(t, masters, "set"); got != 1 {
			t.Errorf("ReadNearest: masters ran %d SETs, want 1", got)
		}
		t.Logf("ReadNearest: GETs per replica %v, per master %v", spread(replicas), spread(masters))
	})
	t.Run("ReadSelector", func(t *testing.T) {
		var calls atomic.Int64
		c := tc.client(t, 3, func(o *redisclient.ClusterOptions) {
			o.ReadSelector = func(slot int, master cluster.NodeInfo, rs []cluster.NodeInfo) cluster.NodeInfo {
				calls.Add(1)
				if len(rs) == 0 {
					t.Errorf("ReadSelector for slot %d: no healthy replica offered", slot)
					return master
				}
				return rs[len(rs)-1]
			}
		})
		reset()
		readAll(c)
		if got := sumCalls(t, replicas, "get"); got != n || calls.Load() != n {
			t.Errorf("ReadSelector: %d GETs on replicas, selector called %d times; want %d", got, calls.Load(), n)
		}
	})
}
