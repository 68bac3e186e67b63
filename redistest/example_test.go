package redistest_test

// Examples of redistest: the ones with output run a real server (the
// backend Auto picks); the test-shaped ones only compile, as their
// testing.T comes from go test.

import (
	"context"
	"fmt"
	"log"
	"testing"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/redistest"
)

// A test of your own code gets a server of its own; it is killed when the
// test ends.
func ExampleStart() {
	testIncr := func(t *testing.T) {
		s := redistest.Start(t)
		c := s.Client(t) // connected, closed when t ends
		n, err := redisclient.Incr("visits").Do(t.Context(), c)
		if err != nil || n != 1 {
			t.Fatalf("INCR = %d, %v", n, err)
		}
	}
	_ = testIncr
}

// A server that many tests share (started lazily or in TestMain) belongs
// to no test: Close ends it.
func ExampleNewServer() {
	s, err := redistest.NewServer(redistest.Config{Password: "secret"})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	ctx := context.Background()
	c, err := redisclient.NewFromURL(s.URL())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if err := redisclient.Set("greeting", "hello").Do(ctx, c); err != nil {
		log.Fatal(err)
	}
	v, err := redisclient.Get("greeting").Do(ctx, c)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.Value)
	// Output: hello
}

// Stop and Start simulate a crash and a restart on the same port.
func ExampleServer_Stop() {
	testReconnect := func(t *testing.T) {
		s := redistest.Start(t, redistest.Config{Extra: []string{"appendonly yes"}})
		c := s.Client(t)
		s.Stop(t)
		s.Start(t)
		if err := c.Ping(t.Context()); err != nil {
			t.Fatalf("no reconnect: %v", err)
		}
	}
	_ = testReconnect
}

// A cluster of 3 masters with a replica each; the client has loaded the
// topology when Client returns.
func ExampleStartCluster() {
	testCluster := func(t *testing.T) {
		cl := redistest.StartCluster(t, redistest.ClusterConfig{Masters: 3, Replicas: 1})
		c := cl.Client(t)
		if err := redisclient.Set("{user:1}:name", "ann").Do(t.Context(), c); err != nil {
			t.Fatal(err)
		}
		// Fault tests: kill a master, wait for its replica to take over.
		cl.Masters()[0].Stop(t)
		cl.Wait(t)
	}
	_ = testCluster
}

// A master with two replicas under three sentinels; the client finds the
// master through the sentinels and follows a failover.
func ExampleStartSentinel() {
	testFailover := func(t *testing.T) {
		g := redistest.StartSentinel(t, redistest.SentinelConfig{Replicas: 2})
		c := g.Client(t)
		g.Master.Stop(t)
		g.Wait(t) // a replica is master now
		if err := c.Ping(t.Context()); err != nil {
			t.Logf("the client reconnects to %s: %v", g.MasterAddr(t), err)
		}
	}
	_ = testFailover
}
