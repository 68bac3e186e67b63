package cluster

// Pipelines grouped by node without servers: a router with a fixed slot
// map, and the plan that DoMulti would run.

import (
	"slices"
	"testing"

	"github.com/redkit-go/redkit/transport"
)

// planRouter returns a router whose three shards each have a master and
// one healthy replica, reading from replicas; it connects nowhere.
func planRouter() *Router {
	r := &Router{cfg: Config{ReadPolicy: ReadReplica}, nodes: map[string]*node{}}
	per := transport.SlotCount / 3
	for i := range 3 {
		addr := string(rune('a' + i))
		m := &node{info: NodeInfo{Addr: addr + ":1"}}
		rep := &node{info: NodeInfo{Addr: addr + ":2", Replica: true, Healthy: true}}
		sh := &shard{master: m, replicas: []*node{rep}, healthy: []*node{rep}}
		r.shards = append(r.shards, sh)
		for s := i * per; s < (i+1)*per || (i == 2 && s < transport.SlotCount); s++ {
			r.slots[s] = sh
		}
	}
	return r
}

// TestGroupKeylessBeforeNext: a keyless command goes right before the
// command after it, on that command's node (CLIENT CACHING YES before a
// read from a replica), unless it is a write and that node a replica, or
// nothing follows it: then it goes to a master.
func TestGroupKeylessBeforeNext(t *testing.T) {
	r := planRouter()
	ro := transport.Meta{Flags: transport.FlagReadOnly}
	write := transport.Meta{Flags: transport.FlagWrite}
	k1, k2, k3 := "k1", "k2", "k3"
	for transport.Slot(k2) == transport.Slot(k1) {
		k2 += "x"
	}
	cmds := []*transport.Command{
		transport.NewCommand(transport.Meta{}, transport.String("CLIENT"), transport.String("CACHING"), transport.String("YES")),
		transport.NewCommand(ro, transport.String("GET"), transport.Key(k1)),
		transport.NewCommand(ro, transport.String("PTTL"), transport.Key(k1)),
		transport.NewCommand(transport.Meta{}, transport.String("PING")),
		transport.NewCommand(write, transport.String("SET"), transport.Key(k2), transport.String("v")),
		transport.NewCommand(write, transport.String("KEYLESS-WRITE")),
		transport.NewCommand(ro, transport.String("GET"), transport.Key(k3)),
		transport.NewCommand(transport.Meta{}, transport.String("ECHO"), transport.String("x")),
	}
	defer func() {
		for _, c := range cmds {
			c.Release()
		}
	}()
	p := batchPlans.Get().(*batchPlan)
	defer p.release()
	p.group(r, cmds)
	nodeOf := func(i int) *node {
		if p.index[i] < 0 {
			t.Fatalf("command %d: no node: %v", i, cmds[i].Err())
		}
		return p.nodes[p.index[i]]
	}
	pick := func(key string, readOnly bool) *node {
		n, err := r.pick(int(transport.Slot(key)), readOnly)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := nodeOf(1); n != pick(k1, true) || !n.info.Replica {
		t.Fatalf("GET %s went to %s, want its slot's replica", k1, n.info.Addr)
	}
	for i, want := range map[int]*node{0: nodeOf(1), 2: nodeOf(1), 3: pick(k2, false), 4: pick(k2, false)} {
		if got := nodeOf(i); got != want {
			t.Errorf("%s went to %s, want %s", cmds[i].Name(), got.info.Addr, want.info.Addr)
		}
	}
	// The keyless write before a replica read, and the keyless command at
	// the end, go to one master.
	if a, b := nodeOf(5), nodeOf(7); a != b || a.info.Replica {
		t.Errorf("keyless write on %s and trailing keyless command on %s: want one master", a.info.Addr, b.info.Addr)
	}
	// Each command right before the one it goes with, in its node's group.
	for _, pair := range [][2]int{{0, 1}, {3, 4}} {
		at := slices.Index(p.order, cmds[pair[0]])
		if at < 0 || at+1 >= len(p.order) || p.order[at+1] != cmds[pair[1]] {
			t.Errorf("%s is not right before %s in the plan", cmds[pair[0]].Name(), cmds[pair[1]].Name())
		}
	}
	if len(p.order) != len(cmds) {
		t.Errorf("%d commands planned, want %d", len(p.order), len(cmds))
	}
}
