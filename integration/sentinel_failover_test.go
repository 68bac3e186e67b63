package integration

// Failovers under write load: SENTINEL FAILOVER, and the master's
// container stopped (the sentinels then fail over on their own). Several
// goroutines write unique keys, each write with its own deadline; every
// outcome is recorded. After the failover the writes must resume on the
// new master within the bound stated below; no command may run past its
// deadline; every acknowledged write must be on the new master, except
// writes the old master acknowledged before the client knew of the switch
// (Redis replicates asynchronously: the server itself loses those; they
// are counted and printed).

import (
	"fmt"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

// Bounds of the failover tests, loose enough for a loaded two-core
// machine; the measured figures are printed.
const (
	// sntWriteTimeout is each write's deadline.
	sntWriteTimeout = 2 * time.Second
	// sntOvershoot is how far past its deadline a command may return
	// (scheduling on a loaded machine), far below anything that hangs.
	sntOvershoot = 750 * time.Millisecond
	// sntSwitchLag bounds how long after the sentinels agree on the new
	// master the client may take to switch (it reacts to their events,
	// not to its periodic check).
	sntSwitchLag = 3 * time.Second
	// sntMaxOutage bounds the time without an acknowledged write.
	sntMaxOutage = 20 * time.Second
)

func TestSentinelFailoverCommand(t *testing.T) {
	sntFailoverUnderLoad(t, "sfo-cmd", func(t *testing.T, g *sntGroup) time.Time {
		// Through another sentinel than the one the client was given (and
		// subscribed to): the client hears of the switch second-hand.
		return g.failover(t, g.Sentinels[1])
	})
}

func TestSentinelMasterStopped(t *testing.T) {
	sntFailoverUnderLoad(t, "sfo-stop", func(t *testing.T, g *sntGroup) time.Time {
		at := time.Now()
		g.Nodes[0].Stop(t)
		return at
	})
}

func sntFailoverUnderLoad(t *testing.T, name string, trigger func(t *testing.T, g *sntGroup) time.Time) {
	g := startSentinelGroup(t, sntConfig{Name: name})
	old := g.Nodes[0]
	c := g.client(t, 3, nil)
	readyCtx, _ := ctxWith(t, 10*time.Second)
	must(t, c.Ready(readyCtx), "Ready")

	const workers = 8
	load := startSntLoad(c.Client, key(t, "w"), workers, sntWriteTimeout, 2*time.Millisecond)
	stopped := false
	defer func() {
		if !stopped {
			load.Stop(t)
		}
	}()
	load.waitAcked(t, 10*time.Second, time.Time{}, 200)

	at := trigger(t, g)
	nm := g.waitNewMaster(t, 30*time.Second, old.Addr)
	seen := time.Now()
	switched := c.waitSwitch(t, 30*time.Second, at, nm.Addr)
	// Writes resume: 200 acknowledged writes issued after the switch.
	load.waitAcked(t, 15*time.Second, switched, 200)
	resumed := time.Now()
	load.Stop(t)
	stopped = true

	rep := load.report()
	missing := load.missing(t, nm)
	var lateLost int
	for _, op := range missing {
		if !op.Start.Before(switched) {
			lateLost++
			if lateLost <= 5 {
				t.Errorf("write %s issued %v after the client switched was acknowledged and lost", op.Key, op.Start.Sub(switched))
			}
		}
	}
	t.Logf("failover figures (%d writers, %v deadline each):\n"+
		"  new master %s seen by all sentinels %v after the trigger; client switched after %v (OnSwitch %+v)\n"+
		"  longest time without an acknowledged write: %v (from %v after the trigger)\n"+
		"  writes: %d, acknowledged %d, failed %d %v\n"+
		"  longest overshoot past a deadline: %v\n"+
		"  acknowledged writes missing on the new master: %d (issued after the switch: %d)",
		workers, sntWriteTimeout,
		nm.Addr, seen.Sub(at).Round(time.Millisecond), switched.Sub(at).Round(time.Millisecond), c.Switches(),
		rep.Gap.Round(time.Millisecond), rep.GapFrom.Sub(at).Round(time.Millisecond),
		rep.Total, rep.Acked, rep.Failed, rep.Errors,
		rep.MaxOvershoot.Round(time.Millisecond),
		len(missing), lateLost)
	if rep.MaxOvershoot > sntOvershoot {
		t.Errorf("a command returned %v after its deadline (bound %v)", rep.MaxOvershoot, sntOvershoot)
	}
	if lag := switched.Sub(seen); lag > sntSwitchLag {
		t.Errorf("the client switched %v after every sentinel reported the new master (bound %v): it missed or sat on the switch", lag, sntSwitchLag)
	}
	if rep.Gap > sntMaxOutage {
		t.Errorf("no write was acknowledged for %v (bound %v)", rep.Gap, sntMaxOutage)
	}
	if d := resumed.Sub(at); d > sntMaxOutage+15*time.Second {
		t.Errorf("writes resumed %v after the trigger", d)
	}
	if len(missing) > 0 {
		t.Logf("lost writes (all issued before the client switched, acknowledged by the old master %s and not replicated in time): first %s, last %s",
			old.Addr, fmt.Sprint(missing[0].Start.Sub(at).Round(time.Millisecond)), fmt.Sprint(missing[len(missing)-1].Start.Sub(at).Round(time.Millisecond)))
	}

	// The client is on the new master.
	ctx := testCtx(t)
	role := value[redisclient.ReplicationRole](t, "ROLE")(redisclient.Role().Do(ctx, c))
	if role.Role != "master" || c.Router(t).Addr() != nm.Addr {
		t.Errorf("after the failover: ROLE %q on %s, want master on %s", role.Role, c.Router(t).Addr(), nm.Addr)
	}
	ok(t, "SET after the failover")(redisclient.Set(key(t, "after"), "x").Do(ctx, c))
	if st := c.Stats(); len(st.Nodes) != 1 || st.Nodes[0].Addr != nm.Addr || st.Nodes[0].Shared == 0 {
		t.Errorf("Stats after the failover: %+v, want one node at %s", st.Nodes, nm.Addr)
	}
}
