package integration

// Sentinel outages: one sentinel of three stopped (the one the client was
// given and first subscribed to) must not affect the client; all of them
// stopped, the client's retry strategy runs (counted by a custom
// SentinelRetry) while traffic to the master continues; when they return,
// the client follows a failover.

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

func TestSentinelOutages(t *testing.T) {
	g := startSentinelGroup(t, sntConfig{Name: "sout"})
	master := g.Nodes[0]
	var attempts atomic.Int64
	c := g.client(t, 3, func(o *redisclient.SentinelOptions) {
		o.CheckInterval = time.Second // rediscover often: the outages are noticed
		o.SentinelRetry = func(int, error) (time.Duration, bool) {
			attempts.Add(1)
			return 200 * time.Millisecond, true
		}
	})
	readyCtx, _ := ctxWith(t, 10*time.Second)
	must(t, c.Ready(readyCtx), "Ready")
	r := c.Router(t)
	if !waitFor(10*time.Second, func() bool { return len(r.Sentinels()) == 3 }) {
		t.Fatalf("the router knows sentinels %v, want 3", r.Sentinels())
	}
	// subscribedOn reports the sentinels on which the client holds a
	// subscription (CLIENT LIST: sub=N).
	subscribedOn := func() []string {
		var out []string
		for _, s := range g.Sentinels {
			v, err := sntOne(s, "CLIENT", "LIST")
			if err == nil && strings.Contains(v.(string), " sub=5 ") {
				out = append(out, s.Addr)
			}
		}
		return out
	}
	if !waitFor(5*time.Second, func() bool { return len(subscribedOn()) == 1 }) {
		t.Fatalf("the client is subscribed on sentinels %v, want one", subscribedOn())
	}
	t.Logf("the client subscribed on %v", subscribedOn())

	load := startSntLoad(c.Client, key(t, "w"), 4, time.Second, 5*time.Millisecond)
	stopped := false
	defer func() {
		if !stopped {
			load.Stop(t)
		}
	}()
	load.waitAcked(t, 10*time.Second, time.Time{}, 100)
	failures := func(from, to time.Time) (n int, first error) {
		for _, op := range load.Ops() {
			if op.Err != nil && !op.Start.Before(from) && op.Start.Before(to) {
				if n == 0 {
					first = op.Err
				}
				n++
			}
		}
		return n, first
	}

	// One sentinel of three stopped: the one given, subscribed to first.
	phase1 := time.Now()
	g.Sentinels[0].Stop(t)
	if !waitFor(10*time.Second, func() bool {
		on := subscribedOn()
		return len(on) == 1 && on[0] != g.Sentinels[0].Addr
	}) {
		t.Errorf("after sentinel 0 stopped, the client is subscribed on %v, want another one", subscribedOn())
	}
	t.Logf("sentinel 0 stopped; the client resubscribed on %v after %v", subscribedOn(), time.Since(phase1).Round(time.Millisecond))
	time.Sleep(3 * time.Second) // several periodic checks
	load.waitAcked(t, 5*time.Second, time.Now(), 50)
	phase2 := time.Now()
	if n, first := failures(phase1, phase2); n > 0 {
		t.Errorf("one sentinel of three stopped: %d writes failed (first: %v), want none", n, first)
	}

	// Every sentinel stopped: the retry strategy runs, the master keeps
	// serving.
	before := attempts.Load()
	g.Sentinels[1].Stop(t)
	g.Sentinels[2].Stop(t)
	time.Sleep(4 * time.Second)
	load.waitAcked(t, 5*time.Second, time.Now(), 50)
	phase3 := time.Now()
	during := attempts.Load() - before
	n, first := failures(phase2, phase3)
	t.Logf("all sentinels stopped for %v: SentinelRetry ran %d times; %d writes failed", phase3.Sub(phase2).Round(time.Millisecond), during, n)
	if during < 3 {
		t.Errorf("SentinelRetry ran %d times while no sentinel answered, want several", during)
	}
	if n > 0 {
		t.Errorf("all sentinels stopped: %d writes to the (healthy) master failed (first: %v), want none", n, first)
	}
	if r.Addr() != master.Addr {
		t.Errorf("the router moved to %q while no sentinel answered", r.Addr())
	}

	// The sentinels return, then fail over: the client follows.
	for _, s := range g.Sentinels {
		s.Start(t)
	}
	g.waitSettled(t, 30*time.Second, master.Addr, g.addrs(g.Nodes[1:]), 3)
	if !waitFor(10*time.Second, func() bool { return len(subscribedOn()) == 1 }) {
		t.Errorf("after the sentinels returned, the client is subscribed on %v, want one", subscribedOn())
	}
	at := g.failover(t, g.Sentinels[2])
	nm := g.waitNewMaster(t, 30*time.Second, master.Addr)
	switched := c.waitSwitch(t, 30*time.Second, at, nm.Addr)
	load.waitAcked(t, 10*time.Second, switched, 100)
	load.Stop(t)
	stopped = true
	rep := load.report()
	t.Logf("after the sentinels returned: failover to %s; the client switched %v after SENTINEL FAILOVER; "+
		"whole run: %d writes, %d failed %v, longest gap %v, longest overshoot %v",
		nm.Addr, switched.Sub(at).Round(time.Millisecond), rep.Total, rep.Failed, rep.Errors,
		rep.Gap.Round(time.Millisecond), rep.MaxOvershoot.Round(time.Millisecond))
	if rep.MaxOvershoot > sntOvershoot {
		t.Errorf("a command returned %v after its deadline", rep.MaxOvershoot)
	}
	for _, op := range load.missing(t, nm) {
		if !op.Start.Before(switched) {
			t.Errorf("write %s issued after the switch is missing on the new master", op.Key)
		}
	}
}
