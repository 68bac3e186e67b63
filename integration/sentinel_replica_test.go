package integration

// Replica mode (SentinelOptions.ReplicaOnly): the preferred replica is
// used, reads work, writes get READONLY (a typed *resp.Error); when the
// replica in use is promoted (replica-priority makes SENTINEL FAILOVER
// pick it), the client moves to another replica.

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport/resp"
)

func TestSentinelReplicaMode(t *testing.T) {
	for _, proto := range []int{2, 3} {
		t.Run(map[int]string{2: "RESP2", 3: "RESP3"}[proto], func(t *testing.T) {
			sntReplicaMode(t, proto)
		})
	}
}

func sntReplicaMode(t *testing.T, proto int) {
	// Nodes[1] has the lowest replica-priority: a failover promotes it.
	g := startSentinelGroup(t, sntConfig{Name: "srep", Priorities: []int{0, 10, 50}})
	master, preferred, second := g.Nodes[0], g.Nodes[1], g.Nodes[2]
	const name = "redkit-replica-reader"
	c := g.client(t, proto, func(o *redisclient.SentinelOptions) {
		o.ReplicaOnly = true
		o.PreferredReplicas = []string{preferred.Addr, second.Addr}
		o.ClientName = name
	})
	readyCtx, _ := ctxWith(t, 10*time.Second)
	must(t, c.Ready(readyCtx), "Ready")
	ctx := testCtx(t)
	if a := c.Router(t).Addr(); a != preferred.Addr {
		t.Fatalf("Router.Addr: %q, want the preferred replica %s", a, preferred.Addr)
	}
	role := value[redisclient.ReplicationRole](t, "ROLE")(redisclient.Role().Do(ctx, c))
	if role.Role != "slave" || role.MasterPort != int64(master.Port) {
		t.Errorf("ROLE through the client: %+v, want a replica of %s", role, master.Addr)
	}
	// The server side agrees: the client's connections are on the
	// preferred replica only.
	named := func(s *Server) int {
		v, err := sntOne(s, "CLIENT", "LIST")
		if err != nil {
			t.Fatalf("CLIENT LIST on %s: %v", s.Addr, err)
		}
		return strings.Count(v.(string), " name="+name+" ")
	}
	if named(preferred) == 0 || named(master) != 0 || named(second) != 0 {
		t.Errorf("connections named %s: preferred %d, master %d, other replica %d", name, named(preferred), named(master), named(second))
	}

	// Reads work (a key written on the master, replicated).
	k := key(t, "k")
	if _, err := sntOne(master, "SET", k, "from-master"); err != nil {
		t.Fatal(err)
	}
	if _, err := sntOne(master, "WAIT", "2", "5000"); err != nil {
		t.Fatal(err)
	}
	expect(t, "GET on the replica", some("from-master"))(redisclient.Get(k).Do(ctx, c))

	// Writes get READONLY, as a typed server error.
	err := redisclient.Set(k, "x").Do(ctx, c)
	var re *resp.Error
	if !errors.As(err, &re) || re.Prefix() != "READONLY" {
		t.Errorf("SET on a replica: %v (%T), want a *resp.Error READONLY", err, err)
	}

	// Reads keep running while the preferred replica is promoted.
	var reads, failed atomic.Int64
	var firstErr atomic.Value
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				rctx, cancel := context.WithTimeout(context.Background(), time.Second)
				_, err := redisclient.Get(k).Do(rctx, c)
				cancel()
				reads.Add(1)
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
				time.Sleep(2 * time.Millisecond)
			}
		})
	}
	defer func() {
		close(stop)
		wg.Wait()
	}()

	at := g.failover(t, g.Sentinels[0])
	nm := g.waitNewMaster(t, 30*time.Second, master.Addr)
	if nm != preferred {
		t.Fatalf("the failover promoted %s, want the preferred replica %s (replica-priority 10)", nm.Addr, preferred.Addr)
	}
	switched := c.waitSwitch(t, 30*time.Second, at, second.Addr)
	role = value[redisclient.ReplicationRole](t, "ROLE after the failover")(redisclient.Role().Do(ctx, c))
	if role.Role != "slave" {
		t.Errorf("ROLE through the client after its replica was promoted: %q, want slave", role.Role)
	}
	if a := c.Router(t).Addr(); a != second.Addr {
		t.Errorf("Router.Addr after the failover: %q, want %s", a, second.Addr)
	}
	if !waitFor(5*time.Second, func() bool { return named(preferred) == 0 }) {
		t.Errorf("%d connections of the client remain on the promoted replica", named(preferred))
	}
	expect(t, "GET on the other replica", some("from-master"))(redisclient.Get(k).Do(ctx, c))
	if err := redisclient.Set(k, "x").Do(ctx, c); !errors.As(err, &re) || re.Prefix() != "READONLY" {
		t.Errorf("SET on the other replica: %v, want READONLY", err)
	}
	var fe any = firstErr.Load()
	t.Logf("RESP%d: the client moved from %s (promoted) to %s %v after SENTINEL FAILOVER; reads during the run: %d, failed %d (first: %v)",
		proto, preferred.Addr, second.Addr, switched.Sub(at).Round(time.Millisecond), reads.Load(), failed.Load(), fe)
	if failed.Load() > 0 {
		t.Errorf("%d reads failed during the failover (first: %v)", failed.Load(), fe)
	}
}
