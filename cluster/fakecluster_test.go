package cluster

// This file is an in-process fake Redis Cluster for the router's tests:
// nodes on 127.0.0.1 that speak RESP2, answer CLUSTER SHARDS from a
// topology the test sets (which may differ from the one the nodes route
// by, as a refresh taken in the middle of a failover does), and run GET,
// SET, DBSIZE and FLUSHALL on one shared store, answering MOVED,
// CLUSTERDOWN and READONLY where Redis does.

import (
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// fakeShard is one shard of a fake topology.
type fakeShard struct {
	master   *fakeNode // nil: the shard has no master (a failover midway)
	replicas []*fakeNode
	slots    []int // inclusive ranges: start0, end0, start1, end1, ...
}

func (s fakeShard) has(slot int) bool {
	for i := 0; i+1 < len(s.slots); i += 2 {
		if s.slots[i] <= slot && slot <= s.slots[i+1] {
			return true
		}
	}
	return false
}

// fakeCluster is a set of fake nodes sharing one store and one topology.
type fakeCluster struct {
	tb    testing.TB
	nodes []*fakeNode

	mu sync.Mutex // protects following fields
	// truth is the topology the nodes route by (MOVED, CLUSTERDOWN,
	// READONLY); views are the replies of the next CLUSTER SHARDS calls,
	// one each, before they report truth again.
	truth       []fakeShard
	views       [][]fakeShard
	shardsDelay time.Duration
	shardsCalls int
	data        map[string]string
	served      map[string]int // "addr COMMAND" -> commands run there
}

// newFakeCluster starts n nodes; t.Cleanup stops them.
func newFakeCluster(tb testing.TB, n int) *fakeCluster {
	tb.Helper()
	fc := &fakeCluster{tb: tb, data: map[string]string{}, served: map[string]int{}}
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			tb.Fatalf("listen: %v", err)
		}
		fn := &fakeNode{fc: fc, ln: ln, addr: ln.Addr().String(), conns: map[net.Conn]bool{}}
		fc.nodes = append(fc.nodes, fn)
		fn.wg.Add(1)
		go fn.accept()
	}
	tb.Cleanup(func() {
		for _, fn := range fc.nodes {
			fn.close()
		}
	})
	return fc
}

// seeds returns every node's address.
func (fc *fakeCluster) seeds() []string {
	var out []string
	for _, n := range fc.nodes {
		out = append(out, n.addr)
	}
	return out
}

// setTruth sets the topology the nodes route by and report.
func (fc *fakeCluster) setTruth(shards ...fakeShard) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	fc.truth = shards
}

// queueViews makes the next CLUSTER SHARDS calls report views, one each.
func (fc *fakeCluster) queueViews(views ...[]fakeShard) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	fc.views = append(fc.views, views...)
}

// setShardsDelay makes CLUSTER SHARDS answer after d.
func (fc *fakeCluster) setShardsDelay(d time.Duration) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	fc.shardsDelay = d
}

// shardsCount returns how many CLUSTER SHARDS calls the nodes answered.
func (fc *fakeCluster) shardsCount() int {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	return fc.shardsCalls
}

// count returns how many commands named cmd ran on n.
func (fc *fakeCluster) count(n *fakeNode, cmd string) int {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	return fc.served[n.addr+" "+cmd]
}

// get returns a stored value.
func (fc *fakeCluster) get(key string) (string, bool) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	v, ok := fc.data[key]
	return v, ok
}

// shardOf returns the shard of slot in the truth.
func (fc *fakeCluster) shardOfLocked(slot int) (fakeShard, bool) {
	for _, s := range fc.truth {
		if s.has(slot) {
			return s, true
		}
	}
	return fakeShard{}, false
}

// fakeNode is one server of a fake cluster.
type fakeNode struct {
	fc   *fakeCluster
	ln   net.Listener
	addr string
	wg   sync.WaitGroup

	mu     sync.Mutex // protects following fields
	conns  map[net.Conn]bool
	closed bool
}

func (n *fakeNode) id() string { return "node-" + n.addr }

func (n *fakeNode) accept() {
	defer n.wg.Done()
	for {
		nc, err := n.ln.Accept()
		if err != nil {
			return
		}
		n.mu.Lock()
		if n.closed {
			n.mu.Unlock()
			nc.Close()
			return
		}
		n.conns[nc] = true
		n.wg.Add(1)
		n.mu.Unlock()
		go n.serve(nc)
	}
}

func (n *fakeNode) close() {
	n.mu.Lock()
	n.closed = true
	for c := range n.conns {
		c.Close()
	}
	n.mu.Unlock()
	n.ln.Close()
	n.wg.Wait()
}

// serve answers one connection's commands in order.
func (n *fakeNode) serve(nc net.Conn) {
	defer func() {
		nc.Close()
		n.mu.Lock()
		delete(n.conns, nc)
		n.mu.Unlock()
		n.wg.Done()
	}()
	rd := resp.NewReader(nc, 16<<10, resp.Limits{})
	var req resp.Reply
	readOnly := false
	var out []byte
	for {
		if err := rd.ReadReply(&req); err != nil {
			return
		}
		var args []string
		for e := req.Value().First(); e.Valid(); e = e.Next() {
			args = append(args, e.Text())
		}
		if len(args) == 0 {
			return
		}
		out = n.handle(out, args, &readOnly)
		if rd.Buffered() == 0 {
			if _, err := nc.Write(out); err != nil {
				return
			}
			out = out[:0]
		}
	}
}

// handle appends the reply to one command.
func (n *fakeNode) handle(b []byte, args []string, readOnly *bool) []byte {
	fc := n.fc
	switch cmd := args[0]; cmd {
	case "HELLO":
		return resp.AppendError(b, "ERR unknown command 'HELLO'") // RESP2 only
	case "CLIENT", "ASKING":
		return resp.AppendSimpleString(b, "OK")
	case "READONLY":
		*readOnly = true
		return resp.AppendSimpleString(b, "OK")
	case "PING":
		return resp.AppendSimpleString(b, "PONG")
	case "CLUSTER":
		if len(args) == 2 && args[1] == "SHARDS" {
			return n.clusterShards(b)
		}
	case "GET", "SET":
		slot := int(transport.Slot(args[1]))
		fc.mu.Lock()
		defer fc.mu.Unlock()
		sh, ok := fc.shardOfLocked(slot)
		switch {
		case !ok:
			return resp.AppendError(b, "CLUSTERDOWN Hash slot not served")
		case sh.master == n, cmd == "GET" && *readOnly && sh.master != nil && hasNode(sh.replicas, n):
		case sh.master == nil:
			return resp.AppendError(b, "CLUSTERDOWN The cluster is down")
		default:
			return resp.AppendError(b, "MOVED "+strconv.Itoa(slot)+" "+sh.master.addr)
		}
		fc.served[n.addr+" "+cmd]++
		if cmd == "SET" {
			fc.data[args[1]] = args[2]
			return resp.AppendSimpleString(b, "OK")
		}
		if v, ok := fc.data[args[1]]; ok {
			return resp.AppendBulkString(b, v)
		}
		return resp.AppendNull(b, 2)
	case "DBSIZE", "FLUSHALL":
		// The keys of the shards n belongs to; FLUSHALL only on a master.
		fc.mu.Lock()
		defer fc.mu.Unlock()
		var mine []fakeShard
		master := false
		for _, s := range fc.truth {
			if s.master == n || hasNode(s.replicas, n) {
				mine = append(mine, s)
				master = master || s.master == n
			}
		}
		if cmd == "FLUSHALL" && !master {
			return resp.AppendError(b, "READONLY You can't write against a read only replica.")
		}
		fc.served[n.addr+" "+cmd]++
		count := 0
		for k := range fc.data {
			for _, s := range mine {
				if s.has(int(transport.Slot(k))) {
					count++
					if cmd == "FLUSHALL" {
						delete(fc.data, k)
					}
				}
			}
		}
		if cmd == "FLUSHALL" {
			return resp.AppendSimpleString(b, "OK")
		}
		return resp.AppendInteger(b, int64(count))
	}
	return resp.AppendError(b, "ERR unknown command '"+args[0]+"'")
}

func hasNode(ns []*fakeNode, n *fakeNode) bool {
	for _, x := range ns {
		if x == n {
			return true
		}
	}
	return false
}

// clusterShards answers CLUSTER SHARDS (RESP2) with the next queued view,
// or the truth.
func (n *fakeNode) clusterShards(b []byte) []byte {
	fc := n.fc
	fc.mu.Lock()
	fc.shardsCalls++
	shards := fc.truth
	if len(fc.views) > 0 {
		shards, fc.views = fc.views[0], fc.views[1:]
	}
	delay := fc.shardsDelay
	fc.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	b = resp.AppendArrayLen(b, len(shards))
	for _, s := range shards {
		b = resp.AppendArrayLen(b, 4)
		b = resp.AppendBulkString(b, "slots")
		b = resp.AppendArrayLen(b, len(s.slots))
		for _, x := range s.slots {
			b = resp.AppendInteger(b, int64(x))
		}
		b = resp.AppendBulkString(b, "nodes")
		nodes := s.replicas
		if s.master != nil {
			nodes = append([]*fakeNode{s.master}, nodes...)
		}
		b = resp.AppendArrayLen(b, len(nodes))
		for _, x := range nodes {
			host, port, _ := net.SplitHostPort(x.addr)
			p, _ := strconv.Atoi(port)
			role := "replica"
			if x == s.master {
				role = "master"
			}
			b = resp.AppendArrayLen(b, 12)
			b = resp.AppendBulkString(b, "id")
			b = resp.AppendBulkString(b, x.id())
			b = resp.AppendBulkString(b, "port")
			b = resp.AppendInteger(b, int64(p))
			b = resp.AppendBulkString(b, "ip")
			b = resp.AppendBulkString(b, host)
			b = resp.AppendBulkString(b, "endpoint")
			b = resp.AppendBulkString(b, host)
			b = resp.AppendBulkString(b, "role")
			b = resp.AppendBulkString(b, role)
			b = resp.AppendBulkString(b, "health")
			b = resp.AppendBulkString(b, "online")
		}
	}
	return b
}
