package redisotel

// Unit test of RegisterMetrics on fixed statistics: which Stats field
// feeds which instrument, per node.

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
)

type fixedStats redisclient.Stats

func (s fixedStats) Stats() redisclient.Stats { return redisclient.Stats(s) }

func TestRegisterMetricsFromStats(t *testing.T) {
	tel := newTelemetry(t)
	st := fixedStats{Nodes: []transport.NodeStats{
		{Addr: "10.0.0.1:6379", Shared: 2, Queued: 5, Pool: transport.PoolStats{Open: 3, Idle: 1, InUse: 2, Waiting: 4, WaitTimeouts: 7}},
		{Addr: "10.0.0.2:6379", Shared: 1},
	}}
	reg, err := RegisterMetrics(st, append(tel.opts, WithDBIndex(1))...)
	if err != nil {
		t.Fatal(err)
	}
	rm := tel.collect(t)
	for name, want := range map[string]map[string]int64{
		"db.client.connection.count": {
			"10.0.0.1:6379/1/idle": 1, "10.0.0.1:6379/1/used": 4,
			"10.0.0.2:6379/1/idle": 0, "10.0.0.2:6379/1/used": 1,
		},
		"db.client.connection.pending_requests": {"10.0.0.1:6379/1/": 9, "10.0.0.2:6379/1/": 0},
		"db.client.connection.timeouts":         {"10.0.0.1:6379/1/": 7, "10.0.0.2:6379/1/": 0},
	} {
		if diff := cmp.Diff(want, gauge(t, rm, name)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	if err := reg.Unregister(); err != nil {
		t.Fatal(err)
	}
	if got := gauge(t, tel.collect(t), "db.client.connection.count"); len(got) != 0 {
		t.Errorf("points after Unregister: %v", got)
	}
}
