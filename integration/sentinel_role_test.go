package integration

// Role verification: a node whose ROLE is not the one wanted is not used.
// A real group is made to report a replica as a master: the sentinels
// also monitor, under the name "wrongrole", one of mymaster's replicas (a
// sentinel reports a monitored master's address whatever its INFO says,
// and with a long down-after-milliseconds never fails it over: it has no
// replicas). The client of "wrongrole" must refuse the replica; when the
// node becomes a master it is used; when it becomes a replica again it is
// dropped (nothing more is sent to it).

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

func TestSentinelWrongRole(t *testing.T) {
	g := startSentinelGroup(t, sntConfig{Name: "srole"})
	master, replica := g.Nodes[0], g.Nodes[1]
	const name = "wrongrole"
	for _, s := range g.Sentinels {
		for _, args := range [][]string{
			{"SENTINEL", "MONITOR", name, "127.0.0.1", strconv.Itoa(replica.Port), "2"},
			{"SENTINEL", "SET", name, "auth-pass", sntDataPassword, "down-after-milliseconds", "600000"},
		} {
			if _, err := sntOne(s, args...); err != nil {
				t.Fatalf("%v on %s: %v", args, s.Addr, err)
			}
		}
	}
	for _, s := range g.Sentinels {
		if v, err := sntOne(s, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", name); err != nil || len(v.([]any)) != 2 {
			t.Fatalf("sentinel %s does not report %s: %v %v", s.Addr, name, v, err)
		}
	}

	resetStats(t, replica)
	c := g.client(t, 3, func(o *redisclient.SentinelOptions) {
		o.MasterName = name
		o.CheckInterval = 500 * time.Millisecond
		o.SentinelRetry = func(int, error) (time.Duration, bool) { return 100 * time.Millisecond, true }
	})
	ctx, _ := ctxWith(t, 3*time.Second)
	err := c.Ready(ctx)
	if err == nil || !strings.Contains(err.Error(), "role is slave, want master") {
		t.Errorf("Ready for a master name reporting a replica: %v, want an error saying the role is slave", err)
	}
	if a := c.Router(t).Addr(); a != "" {
		t.Errorf("Router.Addr: %q, want none", a)
	}
	set := func(d time.Duration, v string) error {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		return redisclient.Set(key(t, "k"), v).Do(ctx, c)
	}
	if err := set(time.Second, "never"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("SET with no verified node: %v, want the deadline", err)
	}
	if n := commandCalls(t, replica, "set"); n != 0 {
		t.Errorf("the replica ran %d SET", n)
	}
	if strings.Contains(sntInfoAll(t, replica, "errorstats"), "READONLY") {
		t.Errorf("the replica answered READONLY: something was sent to it")
	}

	// The node becomes a master: the client uses it.
	if _, err := sntOne(replica, "REPLICAOF", "NO", "ONE"); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	ctx, _ = ctxWith(t, 5*time.Second)
	must(t, c.Ready(ctx), "Ready once the node is a master")
	must(t, set(2*time.Second, "one"), "SET on the node once a master")
	t.Logf("the node was accepted %v after it became a master", time.Since(began).Round(time.Millisecond))

	// It becomes a replica again: the router drops it at its next check,
	// and commands wait (within their contexts) instead of reaching it.
	if _, err := sntOne(replica, "REPLICAOF", "127.0.0.1", strconv.Itoa(master.Port)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second) // a few periodic checks
	resetStats(t, replica)
	if err := set(time.Second, "two"); !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "role is slave") {
		t.Errorf("SET once the node is a replica again: %v, want the deadline (the node dropped for its role)", err)
	}
	if n := commandCalls(t, replica, "set"); n != 0 {
		t.Errorf("the dropped node ran %d SET", n)
	}
	if strings.Contains(sntInfoAll(t, replica, "errorstats"), "READONLY") {
		t.Errorf("the dropped node answered READONLY: a write was sent to it")
	}
}

// sntInfoAll returns an INFO section of s.
func sntInfoAll(t testing.TB, s *Server, section string) string {
	t.Helper()
	v, err := sntOne(s, "INFO", section)
	if err != nil {
		t.Fatalf("INFO %s on %s: %v", section, s.Addr, err)
	}
	return v.(string)
}
