package redistest

// Tests of the readiness probe's identity check and of the port allocator.

import (
	"errors"
	"net"
	"strconv"
	"testing"
)

// A server answering on the port that was not started from this server's
// configuration file is another process's: the probe says so (and
// startNode then tries another port).
func TestProbeRejectsAnotherServer(t *testing.T) {
	s := Start(t, Config{Password: "pw", Dir: t.TempDir()})
	if err := s.probe(); err != nil {
		t.Fatalf("probe of the server itself: %v", err)
	}
	impostor := &Server{cfg: s.cfg, addr: s.addr, confPath: s.dir + "/other.conf", inst: s.inst}
	if err := impostor.probe(); !errors.Is(err, errNotOurs) {
		t.Fatalf("probe expecting another configuration file: %v, want errNotOurs", err)
	}
}

func TestFreePortNeverTwice(t *testing.T) {
	seen := map[int]bool{}
	low := ephemeralLow()
	for range 200 {
		p, err := FreePort()
		if err != nil {
			t.Fatal(err)
		}
		if seen[p] || p < lowestPort || p >= low {
			t.Fatalf("FreePort returned %d (seen before: %v; range %d-%d)", p, seen[p], lowestPort, low-1)
		}
		seen[p] = true
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			t.Fatalf("port %d from FreePort cannot be bound: %v", p, err)
		}
		l.Close()
	}
}
