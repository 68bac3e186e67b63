package integration

// REPLICAOF, SLAVEOF and FAILOVER on RESP2 and RESP3, on a private pair of
// servers: the second becomes the first's replica, the two swap roles
// with FAILOVER and back, and the replica is detached again.

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

// waitReplicationRole waits until ROLE on c reports role: for a replica,
// with its link to primary up; for a primary, with that many replicas.
func waitReplicationRole(t testing.TB, ctx context.Context, c *redisclient.Client, what, role string, primary *Server, replicas int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var got redisclient.ReplicationRole
	for time.Now().Before(deadline) {
		got = value[redisclient.ReplicationRole](t, "ROLE")(redisclient.Role().Do(ctx, c))
		switch {
		case got.Role != role:
		case role == "slave" && got.State == "connected" && got.MasterPort == int64(primary.Port) && got.MasterHost == "127.0.0.1":
			return
		case role == "master" && len(got.Replicas) == replicas:
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s: ROLE is %+v after 20s, want %s", what, got, role)
}

// waitReplicated waits until GET k on c answers want.
func waitReplicated(t testing.TB, ctx context.Context, c *redisclient.Client, what, k, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var got redisclient.Opt[string]
	for time.Now().Before(deadline) {
		got = value[redisclient.Opt[string]](t, "GET")(redisclient.Get(k).Do(ctx, c))
		if got == some(want) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s: GET %s is %+v after 20s, want %q", what, k, got, want)
}

func TestReplicationCommands(t *testing.T) {
	t.Parallel()
	args := []string{"--replica-announce-ip", "127.0.0.1", "--repl-diskless-sync-delay", "0"}
	first := StartServer(t, ServerConfig{Name: "repl-a", Args: args})
	second := StartServer(t, ServerConfig{Name: "repl-b", Args: args})
	host, port, _ := net.SplitHostPort(first.Addr)
	firstPort, _ := strconv.ParseInt(port, 10, 64)
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			ctx := testCtx(t)
			a, b := NewClient(t, first.Options(proto)), NewClient(t, second.Options(proto))
			k := key(t, "replicated")

			expect(t, "REPLICAOF host port", "OK")(redisclient.ReplicaOf(redisclient.ReplicaOfHostPort(host, firstPort)).Do(ctx, b))
			waitReplicationRole(t, ctx, b, "after REPLICAOF", "slave", first, 0)
			expect(t, "REPLICAOF the same primary", "OK Already connected to specified master")(
				redisclient.ReplicaOf(redisclient.ReplicaOfHostPort(host, firstPort)).Do(ctx, b))
			ok(t, "SET on the primary")(redisclient.Set(k, "1").Do(ctx, a))
			waitReplicated(t, ctx, b, "the replica after REPLICAOF", k, "1")

			expect(t, "SLAVEOF NO ONE", "OK")(redisclient.SlaveOf(redisclient.ReplicaOfNo()).Do(ctx, b))
			waitReplicationRole(t, ctx, b, "after SLAVEOF NO ONE", "master", nil, 0)
			ok(t, "SET on the detached replica")(redisclient.Set(k, "detached").Do(ctx, b))
			expect(t, "SLAVEOF host port", "OK")(redisclient.SlaveOf(redisclient.ReplicaOfHostPort(host, firstPort)).Do(ctx, b))
			waitReplicationRole(t, ctx, b, "after SLAVEOF", "slave", first, 0)
			waitReplicated(t, ctx, b, "the replica after SLAVEOF (a full resync)", k, "1")
			waitReplicationRole(t, ctx, a, "the primary with its replica", "master", nil, 1)

			// FAILOVER: the replica takes over, the primary follows it; then
			// back, with TO and TIMEOUT.
			serverError[struct{}](t, "FAILOVER ABORT with none in progress", "ERR")(struct{}{}, redisclient.Failover().Abort().Do(ctx, a))
			ok(t, "FAILOVER")(redisclient.Failover().Do(ctx, a))
			waitReplicationRole(t, ctx, a, "the old primary after FAILOVER", "slave", second, 0)
			waitReplicationRole(t, ctx, b, "the new primary after FAILOVER", "master", nil, 1)
			ok(t, "SET on the new primary")(redisclient.Set(k, "2").Do(ctx, b))
			waitReplicated(t, ctx, a, "the new replica", k, "2")
			ok(t, "FAILOVER TO TIMEOUT")(redisclient.Failover().To(host, firstPort).Timeout(10*time.Second).Do(ctx, b))
			waitReplicationRole(t, ctx, b, "after FAILOVER back", "slave", first, 0)
			waitReplicationRole(t, ctx, a, "after FAILOVER back", "master", nil, 1)

			expect(t, "REPLICAOF NO ONE", "OK")(redisclient.ReplicaOf(redisclient.ReplicaOfNo()).Do(ctx, b))
			waitReplicationRole(t, ctx, b, "after REPLICAOF NO ONE", "master", nil, 0)
			waitReplicationRole(t, ctx, a, "the primary without its replica", "master", nil, 0)
		})
	}
}
