package redistest

// This file allocates TCP ports: never one twice in a process, each
// checked free by binding it, drawn at random below the kernel's
// ephemeral range (a port an outgoing connection holds cannot be bound
// although nothing listens on it, and ephemeral ports are exactly those;
// random draws make two test binaries unlikely to pick the same one, and
// a server that lost the race is started again on another port).

import (
	"errors"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
)

const lowestPort = 10000

var (
	portsMu sync.Mutex
	taken   = map[int]bool{} // ports handed out by this process
)

// freePort returns a port free on 127.0.0.1 a moment ago that this process
// never handed out before.
func freePort() (int, error) {
	high := ephemeralLow()
	portsMu.Lock()
	defer portsMu.Unlock()
	for range 1000 {
		p := lowestPort + rand.N(high-lowestPort)
		if taken[p] {
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			continue
		}
		l.Close()
		taken[p] = true
		return p, nil
	}
	return 0, errors.New("redistest: no free TCP port on 127.0.0.1 below the ephemeral range")
}

// ephemeralLow is the start of the kernel's ephemeral port range (32768
// when it cannot be read).
func ephemeralLow() int {
	low := 32768
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if v, err := strconv.Atoi(f[0]); err == nil && v > lowestPort+2000 {
				low = v
			}
		}
	}
	return low
}

// FreePort returns a TCP port that was free on 127.0.0.1 a moment ago,
// drawn as the servers' ports are (below the ephemeral range, never one
// this process handed out before, to a server or a caller): for a cluster
// bus port, a proxy, or a port that must stay closed.
func FreePort() (int, error) { return freePort() }
