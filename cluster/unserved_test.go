package cluster

// This file tests slots that a topology refresh reports without a node
// (a shard momentarily without a master in a failover, slots never or no
// longer assigned) against the fake cluster: commands wait for the
// topology instead of failing, previous owners are kept until refreshes
// confirm, and a slot really removed ends up failing clearly.

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redkit-go/redkit/transport"
)

// keyIn returns a key whose slot is slot.
func keyIn(t testing.TB, slot int, name string) string {
	t.Helper()
	for i := 0; i < 1<<20; i++ {
		tag := "{" + strconv.Itoa(i) + "}"
		if int(transport.Slot(tag)) == slot {
			return tag + name
		}
	}
	t.Fatalf("no tag for slot %d", slot)
	return ""
}

func setCmd(key, val string) *transport.Command {
	return transport.NewCommand(transport.Meta{Flags: transport.FlagWrite}, transport.String("SET"), transport.Key(key), transport.String(val))
}

func getCmd(key string) *transport.Command {
	return transport.NewCommand(transport.Meta{Flags: transport.FlagReadOnly}, transport.String("GET"), transport.Key(key))
}

func dbsizeCmd() *transport.Command {
	return transport.NewCommand(transport.Meta{Flags: transport.FlagReadOnly | transport.FlagNoKey,
		Request: transport.RequestAllShards, Response: transport.ResponseAggSum}, transport.String("DBSIZE"))
}

func flushallCmd() *transport.Command {
	return transport.NewCommand(transport.Meta{Flags: transport.FlagWrite | transport.FlagNoKey,
		Request: transport.RequestAllShards, Response: transport.ResponseAllSucceeded}, transport.String("FLUSHALL"))
}

// run runs cmd through r and returns its error: the router's, else the
// server's error reply.
func run(ctx context.Context, r *Router, cmd *transport.Command) error {
	if err := r.Do(ctx, cmd); err != nil {
		return err
	}
	return cmd.Reply().Err()
}

// newTestRouter starts a router on the fake cluster (no periodic
// refresh) and waits until it is ready.
func newTestRouter(t *testing.T, fc *fakeCluster) *Router {
	t.Helper()
	r, err := New(Config{Seeds: fc.seeds(), RefreshInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.Ready(ctx); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	return r
}

func testCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func ownerOf(t *testing.T, r *Router, slot int) string {
	t.Helper()
	n, err := r.NodeForSlot(slot)
	if err != nil {
		return "error: " + err.Error()
	}
	return n.Addr()
}

// A refresh taken in the middle of a failover sees the shard without a
// master: the router keeps the old master for its slots (it answers MOVED
// to the new one), so commands, pipelines and fan-outs during and after
// reach the new master and none fails for want of a node.
func TestShardWithoutMasterKeepsPreviousOwner(t *testing.T) {
	fc := newFakeCluster(t, 3)
	a, b, c := fc.nodes[0], fc.nodes[1], fc.nodes[2]
	fc.setTruth(fakeShard{master: a, slots: []int{0, 8191}}, fakeShard{master: b, replicas: []*fakeNode{c}, slots: []int{8192, 16383}})
	r := newTestRouter(t, fc)
	ctx := testCtx(t, 10*time.Second)
	k1, k2 := keyIn(t, 100, "a"), keyIn(t, 9000, "b")
	for _, k := range []string{k1, k2} {
		if err := run(ctx, r, setCmd(k, "v0")); err != nil {
			t.Fatalf("SET %s before the failover: %v", k, err)
		}
	}

	// The failover: c is the master now, b its replica; the next two
	// CLUSTER SHARDS replies (taken midway) show the shard without one.
	fc.setTruth(fakeShard{master: a, slots: []int{0, 8191}}, fakeShard{master: c, replicas: []*fakeNode{b}, slots: []int{8192, 16383}})
	midway := []fakeShard{{master: a, slots: []int{0, 8191}}, {replicas: []*fakeNode{b, c}, slots: []int{8192, 16383}}}
	fc.queueViews(midway, midway)
	if err := r.Refresh(ctx); err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	if got := ownerOf(t, r, 9000); got != b.addr {
		t.Errorf("after a refresh showing the shard without a master, slot 9000 is served by %s, want the previous master %s", got, b.addr)
	}

	// Commands to the shard reach c, through b's MOVED or directly.
	if err := run(ctx, r, setCmd(k2, "v1")); err != nil {
		t.Errorf("SET in the shard without a master: %v", err)
	}
	p := []*transport.Command{setCmd(k1, "p1"), setCmd(k2, "p2"), getCmd(k2)}
	if err := r.DoMulti(ctx, p); err != nil {
		t.Fatal(err)
	}
	for i, cmd := range p {
		if err := cmd.Err(); err != nil {
			t.Errorf("pipeline command %d: %v", i, err)
		} else if err := cmd.Reply().Err(); err != nil {
			t.Errorf("pipeline command %d: reply %v", i, err)
		}
	}
	if got := p[2].Reply().Text(); got != "p2" {
		t.Errorf("pipelined GET %s = %q, want p2", k2, got)
	}
	// A fan-out reaches every shard: DBSIZE counts both keys.
	size := dbsizeCmd()
	if err := run(ctx, r, size); err != nil || size.Reply().Int() != 2 {
		t.Errorf("DBSIZE over the shards: %d, %v; want 2", size.Reply().Int(), err)
	}
	if fc.count(c, "SET") == 0 {
		t.Errorf("no SET reached the new master")
	}
	// FLUSHALL reaches the old master first, which answers READONLY: the
	// router sends it to the shard's master instead.
	if err := run(ctx, r, flushallCmd()); err != nil {
		t.Errorf("FLUSHALL over the shards: %v", err)
	}
	if _, ok := fc.get(k2); ok || fc.count(c, "FLUSHALL") != 1 {
		t.Errorf("FLUSHALL did not run on the new master c (ran %d times there; %s still set: %v)", fc.count(c, "FLUSHALL"), k2, ok)
	}
	if _, ok := fc.get(k1); ok {
		t.Errorf("FLUSHALL did not run on a")
	}

	// Once a refresh shows the new master, commands go to it directly.
	deadline := time.Now().Add(5 * time.Second)
	for ownerOf(t, r, 9000) != c.addr && time.Now().Before(deadline) {
		if err := r.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := ownerOf(t, r, 9000); got != c.addr {
		t.Fatalf("slot 9000 served by %s, want %s", got, c.addr)
	}
	before := fc.count(b, "SET")
	if err := run(ctx, r, setCmd(k2, "v2")); err != nil {
		t.Errorf("SET after the failover: %v", err)
	}
	if v, _ := fc.get(k2); v != "v2" || fc.count(b, "SET") != before {
		t.Errorf("after the failover: %s = %q, b ran %d more SETs", k2, v, fc.count(b, "SET")-before)
	}
}

// Slots that no node serves when the router starts (its first topology
// was taken in the middle of a failover) make commands wait for a
// topology that serves them; pipelines and fan-outs too.
func TestUnservedSlotsAtStartWait(t *testing.T) {
	setup := func(t *testing.T) (*fakeCluster, *Router) {
		fc := newFakeCluster(t, 2)
		a, b := fc.nodes[0], fc.nodes[1]
		fc.setTruth(fakeShard{master: a, slots: []int{0, 8191}}, fakeShard{master: b, slots: []int{8192, 16383}})
		midway := []fakeShard{{master: a, slots: []int{0, 8191}}, {replicas: []*fakeNode{b}, slots: []int{8192, 16383}}}
		fc.queueViews(midway, midway, midway)
		r := newTestRouter(t, fc)
		if _, err := r.NodeForSlot(9000); err == nil {
			t.Fatalf("slot 9000 has a node in the router's first topology: the test does not test anything")
		}
		return fc, r
	}

	t.Run("Do", func(t *testing.T) {
		fc, r := setup(t)
		k := keyIn(t, 9000, "x")
		if err := run(testCtx(t, 5*time.Second), r, setCmd(k, "v")); err != nil {
			t.Fatalf("SET to a slot not yet served: %v", err)
		}
		if v, _ := fc.get(k); v != "v" || fc.count(fc.nodes[1], "SET") != 1 {
			t.Errorf("%s = %q; b ran %d SETs, want 1", k, v, fc.count(fc.nodes[1], "SET"))
		}
	})

	t.Run("Pipeline", func(t *testing.T) {
		fc, r := setup(t)
		k1, k2 := keyIn(t, 100, "x"), keyIn(t, 9000, "y")
		p := []*transport.Command{setCmd(k1, "1"), setCmd(k2, "2"), getCmd(k2), setCmd(k2, "3")}
		if err := r.DoMulti(testCtx(t, 5*time.Second), p); err != nil {
			t.Fatal(err)
		}
		for i, cmd := range p {
			if cmd.Err() != nil || cmd.Reply().Err() != nil {
				t.Errorf("pipeline command %d: %v %v", i, cmd.Err(), cmd.Reply().Err())
			}
		}
		if got := p[2].Reply().Text(); got != "2" {
			t.Errorf("GET between the two SETs = %q, want 2 (pipeline order)", got)
		}
		if v, _ := fc.get(k2); v != "3" {
			t.Errorf("%s = %q, want 3 (pipeline order)", k2, v)
		}
	})

	t.Run("FanOut", func(t *testing.T) {
		fc, r := setup(t)
		fc.mu.Lock()
		fc.data[keyIn(t, 100, "x")] = "1"
		fc.data[keyIn(t, 9000, "y")] = "2"
		fc.mu.Unlock()
		size := dbsizeCmd()
		if err := run(testCtx(t, 5*time.Second), r, size); err != nil || size.Reply().Int() != 2 {
			t.Errorf("DBSIZE while a shard is not yet known: %d, %v; want 2", size.Reply().Int(), err)
		}
	})
}

// Slots really removed (CLUSTER DELSLOTS) keep their previous owner until
// later refreshes confirm, then are unmapped: commands to them fail with
// an error naming the slot, without delay, while the owner's other slots
// work.
func TestRemovedSlotsBecomeUnmapped(t *testing.T) {
	fc := newFakeCluster(t, 2)
	a, b := fc.nodes[0], fc.nodes[1]
	fc.setTruth(fakeShard{master: a, slots: []int{0, 8191}}, fakeShard{master: b, slots: []int{8192, 16383}})
	r := newTestRouter(t, fc)
	ctx := testCtx(t, 10*time.Second)
	if err := run(ctx, r, setCmd(keyIn(t, 10000, "x"), "v")); err != nil {
		t.Fatal(err)
	}

	fc.setTruth(fakeShard{master: a, slots: []int{0, 8191}}, fakeShard{master: b, slots: []int{8192, 9999, 10100, 16383}})
	removed := time.Now()
	if err := r.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if got := ownerOf(t, r, 10000); got != b.addr {
		t.Errorf("right after the refresh, slot 10000 is served by %s, want its previous owner %s until confirmed", got, b.addr)
	}
	// Follow-up refreshes confirm and unmap it.
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := r.NodeForSlot(10000); err != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	unmapped := time.Since(removed)
	if _, err := r.NodeForSlot(10000); err == nil {
		t.Fatalf("slot 10000 still mapped %v after it was removed", unmapped)
	}
	if unmapped < unservedGrace {
		t.Errorf("slot 10000 unmapped %v after its removal, want no sooner than %v", unmapped, unservedGrace)
	}
	start := time.Now()
	err := run(ctx, r, setCmd(keyIn(t, 10050, "x"), "v"))
	var ue *SlotUnservedError
	if !errors.As(err, &ue) || ue.Slot != 10050 || !strings.Contains(err.Error(), "no node serves slot 10050") {
		t.Errorf("SET to a removed slot: %v (%T), want a *SlotUnservedError for slot 10050", err, err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("SET to a removed slot took %v to fail", d)
	}
	for _, s := range []int{9999, 10100} {
		if err := run(ctx, r, setCmd(keyIn(t, s, "x"), "v")); err != nil {
			t.Errorf("SET to slot %d, next to the removed ones: %v", s, err)
		}
	}
	for _, sh := range r.Topology() {
		for i := 0; i+1 < len(sh.Slots); i += 2 {
			if sh.Slots[i] <= 10000 && 10000 <= sh.Slots[i+1] {
				t.Errorf("Topology still lists slot 10000: %+v", sh)
			}
		}
	}
}

// Waiting for a slot's node honours the command's context, and many
// commands waiting share the refreshes; when the budget is spent they
// fail naming the slot.
func TestUnservedWaitBounds(t *testing.T) {
	t.Run("Deadline", func(t *testing.T) {
		fc := newFakeCluster(t, 2)
		a, b := fc.nodes[0], fc.nodes[1]
		fc.setTruth(fakeShard{master: a, slots: []int{0, 8191}}, fakeShard{replicas: []*fakeNode{b}, slots: []int{8192, 16383}})
		r := newTestRouter(t, fc)
		fc.setShardsDelay(time.Second)
		t.Cleanup(func() { fc.setShardsDelay(0) }) // before the router closes
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := run(ctx, r, setCmd(keyIn(t, 9000, "x"), "v"))
		d := time.Since(start)
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "slot 9000") {
			t.Errorf("SET to an unserved slot with a 200ms deadline: %v, want the deadline, naming the slot", err)
		}
		if d < 150*time.Millisecond || d > 800*time.Millisecond {
			t.Errorf("SET returned after %v, want about 200ms", d)
		}
	})

	t.Run("Budget", func(t *testing.T) {
		fc := newFakeCluster(t, 2)
		a, b := fc.nodes[0], fc.nodes[1]
		fc.setTruth(fakeShard{master: a, slots: []int{0, 8191}}, fakeShard{replicas: []*fakeNode{b}, slots: []int{8192, 16383}})
		r := newTestRouter(t, fc)
		before := fc.shardsCount()
		const callers = 20
		errs := make([]error, callers)
		var wg sync.WaitGroup
		ctx := testCtx(t, 10*time.Second)
		for i := range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = run(ctx, r, setCmd(keyIn(t, 9000+i, "x"), "v"))
			}()
		}
		wg.Wait()
		for i, err := range errs {
			var ue *SlotUnservedError
			if !errors.As(err, &ue) || ue.Slot != 9000+i {
				t.Errorf("caller %d: %v, want a *SlotUnservedError for slot %d", i, err, 9000+i)
			}
		}
		// Each waiting round is one refresh for all callers, not one each.
		n := fc.shardsCount() - before
		t.Logf("%d callers waited through %d CLUSTER SHARDS calls", callers, n)
		if n < 1 || n > 3*(DefaultMaxRedirects+1) {
			t.Errorf("%d CLUSTER SHARDS calls for %d callers waiting, want between 1 and %d", n, callers, 3*(DefaultMaxRedirects+1))
		}
	})
}
