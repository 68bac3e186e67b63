package redistest

// This file is the sentinel group: a master, its replicas (replicaof),
// and sentinels monitoring it (the server binary with --sentinel, from a
// sentinel.conf of their own, which they rewrite), started once the
// replicas are in sync so that the sentinels find them at once, and a wait
// until every sentinel knows every replica and every other sentinel.

import (
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

// SentinelConfig configures a sentinel group. Config applies to the
// master and the replicas; of it, the sentinels take the backend, the
// binary or image and StartTimeout.
type SentinelConfig struct {
	Config
	// MasterName is the name the sentinels monitor the master under
	// (default "mymaster").
	MasterName string
	// Replicas is the number of replicas (default none).
	Replicas int
	// Sentinels is the number of sentinels (default 3); Quorum is how
	// many must agree that the master is down (default a majority).
	Sentinels, Quorum int
	// DownAfter is down-after-milliseconds (default 1 s): how long the
	// master is unreachable before the sentinels fail it over.
	// FailoverTimeout is failover-timeout (default 10 s).
	DownAfter, FailoverTimeout time.Duration
	// SentinelPassword is the sentinels' own password (their requirepass,
	// and sentinel-pass between them); Config.Password is the data
	// nodes'.
	SentinelPassword string
	// SentinelExtra are more sentinel.conf lines, after redistest's.
	SentinelExtra []string
	// NodeExtra, when set, returns more configuration lines for data node
	// i (0 the master, then the replicas), after Extra:
	// "replica-priority 10", say.
	NodeExtra func(i int) []string
}

// Sentinel is a running sentinel group.
type Sentinel struct {
	cfg SentinelConfig
	// MasterName is the name the sentinels know the master by.
	MasterName string
	// Master and Replicas are the data nodes as started: after a failover
	// a replica may be master (MasterAddr asks the sentinels).
	Master   *Server
	Replicas []*Server
	// Sentinels are the sentinels.
	Sentinels []*Server
}

// StartSentinel starts a sentinel group for t (cfg: at most one
// SentinelConfig) and returns once every replica is in sync and every
// sentinel knows the master, every replica and every other sentinel. The
// servers are killed when t ends.
func StartSentinel(t testing.TB, cfg ...SentinelConfig) *Sentinel {
	t.Helper()
	var c SentinelConfig
	switch len(cfg) {
	case 0:
	case 1:
		c = cfg[0]
	default:
		t.Fatalf("redistest: %d SentinelConfigs given: pass at most one", len(cfg))
	}
	g, err := startSentinel(t, c)
	if err != nil {
		t.Fatalf("redistest: start a sentinel group: %v", err)
	}
	return g
}

func startSentinel(t testing.TB, cfg SentinelConfig) (*Sentinel, error) {
	if cfg.MasterName == "" {
		cfg.MasterName = "mymaster"
	}
	if cfg.Sentinels == 0 {
		cfg.Sentinels = 3
	}
	if cfg.Quorum == 0 {
		cfg.Quorum = cfg.Sentinels/2 + 1
	}
	if cfg.DownAfter == 0 {
		cfg.DownAfter = time.Second
	}
	if cfg.FailoverTimeout == 0 {
		cfg.FailoverTimeout = 10 * time.Second
	}
	if cfg.TLS || cfg.Sentinel || cfg.Dir != "" {
		return nil, errors.New("SentinelConfig: TLS, Sentinel and Dir apply to single servers only")
	}
	if cfg.Replicas < 0 || cfg.Sentinels < 0 || cfg.Quorum < 1 || cfg.Quorum > cfg.Sentinels {
		return nil, fmt.Errorf("SentinelConfig: Replicas %d, Sentinels %d, Quorum %d: want Replicas >= 0, Sentinels >= 1 and 1 <= Quorum <= Sentinels",
			cfg.Replicas, cfg.Sentinels, cfg.Quorum)
	}
	g := &Sentinel{cfg: cfg, MasterName: cfg.MasterName}
	name := func(what string) string {
		if cfg.Name != "" {
			return cfg.Name + " " + what
		}
		return "sentinel group " + what
	}
	nodeLines := func(i int, base func(int) ([]string, error)) func(int) ([]string, error) {
		return func(port int) ([]string, error) {
			l, err := base(port)
			if cfg.NodeExtra != nil {
				l = append(l, cfg.NodeExtra(i)...)
			}
			return l, err
		}
	}
	syncNow := func(int) ([]string, error) {
		// A replica syncs at once rather than waiting for others.
		return []string{"repl-diskless-sync-delay 0"}, nil
	}
	mc := cfg.Config
	mc.Name = name("master")
	m, err := startNode(mc, t.TempDir(), serverLines(mc, nodeLines(0, syncNow)))
	if err != nil {
		return nil, fmt.Errorf("master: %w", err)
	}
	m.cleanupWith(t)
	g.Master = m
	for i := range cfg.Replicas {
		rc := cfg.Config
		rc.Name = name(fmt.Sprintf("replica %d", i))
		r, err := startNode(rc, t.TempDir(), serverLines(rc, nodeLines(i+1, func(int) ([]string, error) {
			return []string{"replicaof 127.0.0.1 " + strconv.Itoa(m.port), "repl-diskless-sync-delay 0"}, nil
		})))
		if err != nil {
			return nil, fmt.Errorf("replica %d: %w", i, err)
		}
		r.cleanupWith(t)
		g.Replicas = append(g.Replicas, r)
	}
	for _, r := range g.Replicas {
		var info string
		if !waitFor(30*time.Second, func() bool {
			v, _ := r.do("INFO", "replication")
			info = text(v)
			return infoField(info, "master_link_status") == "up"
		}) {
			return nil, fmt.Errorf("replica %s did not sync with the master:\n%s", r.addr, info)
		}
	}
	sc := Config{Backend: cfg.Backend, Binary: cfg.Binary, Image: cfg.Image, StartTimeout: cfg.StartTimeout,
		Sentinel: true, Password: cfg.SentinelPassword}
	for i := range cfg.Sentinels {
		sc.Name = name(fmt.Sprintf("sentinel %d", i))
		s, err := startNode(sc, t.TempDir(), func(int) ([]string, error) {
			n := cfg.MasterName
			lines := []string{
				fmt.Sprintf("sentinel monitor %s 127.0.0.1 %d %d", n, m.port, cfg.Quorum),
				fmt.Sprintf("sentinel down-after-milliseconds %s %d", n, cfg.DownAfter.Milliseconds()),
				fmt.Sprintf("sentinel failover-timeout %s %d", n, cfg.FailoverTimeout.Milliseconds()),
				fmt.Sprintf("sentinel parallel-syncs %s 1", n),
			}
			if cfg.Password != "" {
				lines = append(lines, fmt.Sprintf("sentinel auth-pass %s %s", n, quote(cfg.Password)))
			}
			if cfg.SentinelPassword != "" {
				lines = append(lines, "requirepass "+quote(cfg.SentinelPassword), "sentinel sentinel-pass "+quote(cfg.SentinelPassword))
			}
			return append(lines, cfg.SentinelExtra...), nil
		})
		if err != nil {
			return nil, fmt.Errorf("sentinel %d: %w", i, err)
		}
		s.cleanupWith(t)
		g.Sentinels = append(g.Sentinels, s)
	}
	if err := g.waitKnown(30 * time.Second); err != nil {
		return nil, err
	}
	return g, nil
}

// sentinelMaster returns SENTINEL MASTER's fields from sentinel s.
func (g *Sentinel) sentinelMaster(s *Server) (map[string]string, error) {
	v, err := s.do("SENTINEL", "MASTER", g.MasterName)
	if err != nil {
		return nil, err
	}
	items, _ := v.([]any)
	fields := map[string]string{}
	for i := 0; i+1 < len(items); i += 2 {
		fields[text(items[i])] = text(items[i+1])
	}
	return fields, nil
}

// waitKnown waits until every sentinel knows every replica and every
// other sentinel.
func (g *Sentinel) waitKnown(timeout time.Duration) error {
	var last error
	ok := waitFor(timeout, func() bool {
		for _, s := range g.Sentinels {
			f, err := g.sentinelMaster(s)
			if err != nil {
				last = fmt.Errorf("SENTINEL MASTER %s on %s: %w", g.MasterName, s.addr, err)
				return false
			}
			if f["flags"] != "master" || f["num-slaves"] != strconv.Itoa(len(g.Replicas)) ||
				f["num-other-sentinels"] != strconv.Itoa(len(g.Sentinels)-1) {
				last = fmt.Errorf("sentinel %s knows the master as %q, %s replicas of %d, %s other sentinels of %d",
					s.addr, f["flags"], f["num-slaves"], len(g.Replicas), f["num-other-sentinels"], len(g.Sentinels)-1)
				return false
			}
		}
		return true
	})
	if !ok {
		return fmt.Errorf("waited %v for the sentinels to know the group: %w", timeout, last)
	}
	return nil
}

// MasterAddr returns the master's address as the first sentinel that
// answers says.
func (g *Sentinel) MasterAddr(t testing.TB) string {
	t.Helper()
	var errs []error
	for _, s := range g.Sentinels {
		addr, err := g.masterAddr(s)
		if err == nil {
			return addr
		}
		errs = append(errs, err)
	}
	t.Fatalf("redistest: no sentinel names the master: %v", errors.Join(errs...))
	return ""
}

func (g *Sentinel) masterAddr(s *Server) (string, error) {
	v, err := s.do("SENTINEL", "GET-MASTER-ADDR-BY-NAME", g.MasterName)
	if err != nil {
		return "", fmt.Errorf("%s: %w", s.addr, err)
	}
	hp, _ := v.([]any)
	if len(hp) != 2 {
		return "", fmt.Errorf("%s: GET-MASTER-ADDR-BY-NAME answered %v", s.addr, v)
	}
	return text(hp[0]) + ":" + text(hp[1]), nil
}

// Wait waits until the group is healthy again (after a failover, a
// restart): every running sentinel names the same master, which runs,
// has the role master and is not flagged down or failing over.
func (g *Sentinel) Wait(t testing.TB) {
	t.Helper()
	var last error
	if !waitFor(60*time.Second, func() bool { last = g.healthy(); return last == nil }) {
		t.Fatalf("redistest: waited 60s for the sentinel group to be healthy: %v", last)
	}
}

func (g *Sentinel) healthy() error {
	var master string
	for _, s := range g.Sentinels {
		if gone, _ := s.inst.exited(); gone {
			continue
		}
		addr, err := g.masterAddr(s)
		if err != nil {
			return err
		}
		if master != "" && addr != master {
			return fmt.Errorf("the sentinels name %s and %s as master", master, addr)
		}
		master = addr
		f, err := g.sentinelMaster(s)
		if err != nil {
			return err
		}
		if f["flags"] != "master" {
			return fmt.Errorf("sentinel %s flags the master %s %q", s.addr, addr, f["flags"])
		}
	}
	if master == "" {
		return errors.New("no sentinel runs")
	}
	for _, n := range append([]*Server{g.Master}, g.Replicas...) {
		if n.addr != master {
			continue
		}
		if gone, _ := n.inst.exited(); gone {
			return fmt.Errorf("the sentinels name %s, which is stopped, as master", master)
		}
		v, err := n.do("ROLE")
		if err != nil {
			return err
		}
		if r, _ := v.([]any); len(r) == 0 || text(r[0]) != "master" {
			return fmt.Errorf("the master %s has the role %v", master, v)
		}
		return nil
	}
	return fmt.Errorf("the sentinels name %s, not a node of the group, as master", master)
}

// SentinelAddrs returns the sentinels' addresses.
func (g *Sentinel) SentinelAddrs() []string {
	addrs := make([]string, len(g.Sentinels))
	for i, s := range g.Sentinels {
		addrs[i] = s.addr
	}
	return addrs
}

// SentinelOptions returns sentinel client options: the master's name,
// every sentinel, the data nodes' password and the sentinels'.
func (g *Sentinel) SentinelOptions() redisclient.SentinelOptions {
	return redisclient.SentinelOptions{Options: g.Master.Options(), MasterName: g.MasterName, Sentinels: g.SentinelAddrs(),
		SentinelPassword: g.cfg.SentinelPassword}
}

// Client returns a client of the group's master (through the sentinels),
// connected, closed when t ends.
func (g *Sentinel) Client(t testing.TB) *redisclient.Client {
	t.Helper()
	c, err := redisclient.NewSentinel(g.SentinelOptions())
	if err != nil {
		t.Fatalf("redistest: sentinel client: %v", err)
	}
	return readyClient(t, c, "the sentinel group "+g.MasterName)
}
