package integration

// This file is the Redis Sentinel fixture of the sentinel tests: a master
// and its replicas (StartServer's machinery) and sentinels (`redis-server
// <conf> --sentinel`, each in a container of its own with a writable
// configuration directory), host networking on 127.0.0.1 only, every wait
// bounded. Around it: a RESP2 probe independent of the client under test,
// the sentinels' view of the group, failovers, a write load that records
// every acknowledged write, and a log of the client's router.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/sentinel"
)

// The fixture's settings. down-after-milliseconds is small so that the
// sentinels notice a dead master quickly; failover-timeout bounds one
// failover attempt (and the reconfiguration of the other replicas).
const (
	sntMasterName       = "mymaster"
	sntDownAfter        = 1000 * time.Millisecond
	sntFailoverTimeout  = 6 * time.Second
	sntDataPassword     = "data-secret"
	sntSentinelPassword = "sentinel-secret" // differs from the data nodes'
)

// sntConfig describes a sentinel group to start.
type sntConfig struct {
	// Name prefixes the containers' names.
	Name string
	// Replicas (default 2) and Sentinels (default 3; the quorum is 2).
	Replicas, Sentinels int
	// Priorities are the replica-priority of the data nodes (index 0 is
	// the first master); 0 or missing means Redis's default, 100. Lower
	// wins a failover.
	Priorities []int
}

// sntGroup is a running fixture: data nodes and sentinels.
type sntGroup struct {
	cfg       sntConfig
	Nodes     []*Server // Nodes[0] is the first master
	Sentinels []*Server
}

// startSentinelGroup starts a master, its replicas and the sentinels, and
// waits until every sentinel sees the master, every replica (connected and
// in sync) and every other sentinel. The containers go when t ends.
func startSentinelGroup(t testing.TB, cfg sntConfig) *sntGroup {
	t.Helper()
	if cfg.Replicas == 0 {
		cfg.Replicas = 2
	}
	if cfg.Sentinels == 0 {
		cfg.Sentinels = 3
	}
	if cfg.Name == "" {
		cfg.Name = "snt"
	}
	begin := time.Now()
	g := &sntGroup{cfg: cfg, Nodes: make([]*Server, 1+cfg.Replicas), Sentinels: make([]*Server, cfg.Sentinels)}
	keep := func(s *Server, kind string) {
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("output of %s %s (%s):\n%s", kind, s.cfg.Name, s.Addr, s.Logs())
			}
			s.purge()
		})
	}
	master, err := startServer(g.nodeConfig(0, ""), t.TempDir())
	if err != nil {
		t.Fatalf("start the master: %v", err)
	}
	g.Nodes[0] = master
	keep(master, "redis-server")

	// Replicas and sentinels start in parallel (the sentinels only need
	// the master's address; they find the replicas through it).
	var wg sync.WaitGroup
	errs := make([]error, len(g.Nodes)+len(g.Sentinels))
	for i := 1; i < len(g.Nodes); i++ {
		dir := t.TempDir()
		wg.Go(func() {
			g.Nodes[i], errs[i] = startServer(g.nodeConfig(i, master.Addr), dir)
		})
	}
	wg.Wait()
	for i := 1; i < len(g.Nodes); i++ {
		if errs[i] != nil {
			t.Fatalf("start replica %d: %v", i, errs[i])
		}
		keep(g.Nodes[i], "redis-server")
	}
	// Let the replicas sync before the sentinels look at the master, so
	// that their first INFO lists every replica (the next one is 10s away).
	g.waitReplication(t, 30*time.Second, master, g.Nodes[1:])
	for i := range g.Sentinels {
		dir := t.TempDir()
		wg.Go(func() {
			g.Sentinels[i], errs[len(g.Nodes)+i] = startSentinel(fmt.Sprintf("%s-s%d", cfg.Name, i), dir, master.Addr)
		})
	}
	wg.Wait()
	for i := range g.Sentinels {
		if err := errs[len(g.Nodes)+i]; err != nil {
			t.Fatalf("start sentinel %d: %v", i, err)
		}
		keep(g.Sentinels[i], "redis-sentinel")
	}
	g.waitSettled(t, 45*time.Second, master.Addr, g.addrs(g.Nodes[1:]), len(g.Sentinels))
	t.Logf("sentinel group up in %v: master %s, replicas %v, sentinels %v",
		time.Since(begin).Round(time.Millisecond), master.Addr, g.addrs(g.Nodes[1:]), g.addrs(g.Sentinels))
	return g
}

// nodeConfig is data node i's configuration: every node has masterauth
// (any of them may become a replica) and announces 127.0.0.1.
func (g *sntGroup) nodeConfig(i int, masterAddr string) ServerConfig {
	args := []string{
		"--masterauth", sntDataPassword,
		"--replica-announce-ip", "127.0.0.1",
		// A replica syncs at once rather than waiting for others.
		"--repl-diskless-sync-delay", "0",
	}
	if i < len(g.cfg.Priorities) && g.cfg.Priorities[i] != 0 {
		args = append(args, "--replica-priority", strconv.Itoa(g.cfg.Priorities[i]))
	}
	if masterAddr != "" {
		host, port, _ := net.SplitHostPort(masterAddr)
		args = append(args, "--replicaof", host, port)
	}
	return ServerConfig{Name: fmt.Sprintf("%s-n%d", g.cfg.Name, i), Password: sntDataPassword, Args: args}
}

// startSentinel starts a sentinel monitoring masterAddr, with its
// configuration file (sentinel.conf, which sentinels rewrite) in dir. It
// runs as `redis-server sentinel.conf --sentinel`.
func startSentinel(name, dir, masterAddr string) (*Server, error) {
	host, mport, err := net.SplitHostPort(masterAddr)
	if err != nil {
		return nil, err
	}
	return startServer(ServerConfig{Name: name, Password: sntSentinelPassword, Sentinel: true, Conf: []string{
		"sentinel announce-ip 127.0.0.1",
		"sentinel resolve-hostnames no",
		"sentinel sentinel-pass " + sntSentinelPassword,
		fmt.Sprintf("sentinel monitor %s %s %s 2", sntMasterName, host, mport),
		fmt.Sprintf("sentinel auth-pass %s %s", sntMasterName, sntDataPassword),
		fmt.Sprintf("sentinel down-after-milliseconds %s %d", sntMasterName, sntDownAfter.Milliseconds()),
		fmt.Sprintf("sentinel failover-timeout %s %d", sntMasterName, sntFailoverTimeout.Milliseconds()),
		fmt.Sprintf("sentinel parallel-syncs %s 2", sntMasterName),
	}}, dir)
}

func (g *sntGroup) addrs(ss []*Server) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Addr
	}
	return out
}

// node returns the data node at addr.
func (g *sntGroup) node(t testing.TB, addr string) *Server {
	t.Helper()
	for _, n := range g.Nodes {
		if n.Addr == addr {
			return n
		}
	}
	t.Fatalf("no data node at %s (nodes %v)", addr, g.addrs(g.Nodes))
	return nil
}

// others returns the data nodes other than those at addrs.
func (g *sntGroup) others(addrs ...string) []*Server {
	var out []*Server
	for _, n := range g.Nodes {
		if !slices.Contains(addrs, n.Addr) {
			out = append(out, n)
		}
	}
	return out
}

// --- The probe: RESP2 on a connection of its own. ---

// sntReplyError is a server error reply returned by the probe as a value.
type sntReplyError string

func (e sntReplyError) Error() string { return string(e) }

// sntCall sends commands on a new connection (after AUTH when password is
// set) in one write and returns their replies: string (simple or bulk),
// int64, nil, []any or sntReplyError.
func sntCall(addr, password string, timeout time.Duration, cmds ...[]string) ([]any, error) {
	nc, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(timeout))
	if password != "" {
		cmds = append([][]string{{"AUTH", password}}, cmds...)
	}
	var b bytes.Buffer
	for _, args := range cmds {
		fmt.Fprintf(&b, "*%d\r\n", len(args))
		for _, a := range args {
			fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
		}
	}
	if _, err := nc.Write(b.Bytes()); err != nil {
		return nil, err
	}
	r := bufio.NewReader(nc)
	out := make([]any, len(cmds))
	for i := range cmds {
		if out[i], err = sntRead(r); err != nil {
			return nil, err
		}
	}
	if password != "" {
		if e, ok := out[0].(sntReplyError); ok {
			return nil, fmt.Errorf("AUTH: %w", e)
		}
		out = out[1:]
	}
	return out, nil
}

func sntRead(r *bufio.Reader) (any, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return nil, errors.New("empty line")
	}
	switch line[0] {
	case '+':
		return line[1:], nil
	case '-':
		return sntReplyError(line[1:]), nil
	case ':':
		return strconv.ParseInt(line[1:], 10, 64)
	case '$':
		n, err := strconv.Atoi(line[1:])
		if err != nil || n < 0 {
			return nil, err
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		return string(buf[:n]), nil
	case '*':
		n, err := strconv.Atoi(line[1:])
		if err != nil || n < 0 {
			return nil, err
		}
		arr := make([]any, n)
		for i := range arr {
			if arr[i], err = sntRead(r); err != nil {
				return nil, err
			}
		}
		return arr, nil
	}
	return nil, fmt.Errorf("unexpected reply line %q", line)
}

// sntOne runs one command with the probe; a server error reply is an
// error.
func sntOne(s *Server, args ...string) (any, error) {
	out, err := sntCall(s.Addr, s.cfg.Password, 3*time.Second, args)
	if err != nil {
		return nil, err
	}
	if e, ok := out[0].(sntReplyError); ok {
		return nil, e
	}
	return out[0], nil
}

// sntMap reads a flat key/value array.
func sntMap(v any) map[string]string {
	m := map[string]string{}
	arr, _ := v.([]any)
	for i := 0; i+1 < len(arr); i += 2 {
		k, _ := arr[i].(string)
		switch x := arr[i+1].(type) {
		case string:
			m[k] = x
		case int64:
			m[k] = strconv.FormatInt(x, 10)
		}
	}
	return m
}

// infoField returns a field of INFO section from s.
func sntInfo(s *Server, section, field string) string {
	v, err := sntOne(s, "INFO", section)
	if err != nil {
		return ""
	}
	text, _ := v.(string)
	for _, line := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), field+":"); ok {
			return rest
		}
	}
	return ""
}

// role returns the ROLE of a data node ("" when it does not answer).
func sntRole(s *Server) string {
	v, err := sntOne(s, "ROLE")
	if err != nil {
		return ""
	}
	arr, _ := v.([]any)
	if len(arr) == 0 {
		return ""
	}
	r, _ := arr[0].(string)
	return r
}

// --- The sentinels' view. ---

// sntView is what one sentinel reports about the group.
type sntView struct {
	Master    string            // GET-MASTER-ADDR-BY-NAME
	Flags     string            // SENTINEL MASTER flags
	Epoch     string            // config-epoch
	Replicas  map[string]string // address -> "flags/link"
	Sentinels int               // healthy other sentinels
}

func (v sntView) String() string {
	return fmt.Sprintf("master %s (%s, epoch %s), replicas %v, %d other sentinels", v.Master, v.Flags, v.Epoch, v.Replicas, v.Sentinels)
}

// view asks one sentinel.
func (g *sntGroup) view(s *Server) (sntView, error) {
	out, err := sntCall(s.Addr, sntSentinelPassword, 3*time.Second,
		[]string{"SENTINEL", "GET-MASTER-ADDR-BY-NAME", sntMasterName},
		[]string{"SENTINEL", "MASTER", sntMasterName},
		[]string{"SENTINEL", "REPLICAS", sntMasterName},
		[]string{"SENTINEL", "SENTINELS", sntMasterName})
	if err != nil {
		return sntView{}, err
	}
	for _, x := range out {
		if e, ok := x.(sntReplyError); ok {
			return sntView{}, e
		}
	}
	var v sntView
	if a, ok := out[0].([]any); ok && len(a) == 2 {
		v.Master = net.JoinHostPort(fmt.Sprint(a[0]), fmt.Sprint(a[1]))
	}
	m := sntMap(out[1])
	v.Flags, v.Epoch = m["flags"], m["config-epoch"]
	v.Replicas = map[string]string{}
	reps, _ := out[2].([]any)
	for _, r := range reps {
		rm := sntMap(r)
		v.Replicas[net.JoinHostPort(rm["ip"], rm["port"])] = rm["flags"] + "/" + rm["master-link-status"]
	}
	sents, _ := out[3].([]any)
	for _, x := range sents {
		if f := sntMap(x)["flags"]; f == "sentinel" {
			v.Sentinels++
		}
	}
	return v, nil
}

// waitSettled waits until every sentinel in sentinels (default: all)
// reports master with exactly the healthy replicas wantReplicas and
// otherSentinels-1 healthy peers, and the nodes agree (master says
// master, replicas are linked to it).
func (g *sntGroup) waitSettled(t testing.TB, d time.Duration, master string, wantReplicas []string, sentinels int, only ...*Server) {
	t.Helper()
	ss := only
	if len(ss) == 0 {
		ss = g.Sentinels
	}
	var last string
	ok := waitFor(d, func() bool {
		if r := sntRole(g.node(t, master)); r != "master" {
			last = fmt.Sprintf("%s has role %q", master, r)
			return false
		}
		for _, addr := range wantReplicas {
			n := g.node(t, addr)
			if st := sntInfo(n, "replication", "master_link_status"); st != "up" || sntInfo(n, "replication", "master_port") != strconv.Itoa(g.node(t, master).Port) {
				last = fmt.Sprintf("replica %s: link %q to port %s", addr, st, sntInfo(n, "replication", "master_port"))
				return false
			}
		}
		for _, s := range ss {
			v, err := g.view(s)
			if err != nil {
				last = fmt.Sprintf("sentinel %s: %v", s.Addr, err)
				return false
			}
			healthy := 0
			for _, addr := range wantReplicas {
				if v.Replicas[addr] == "slave/ok" {
					healthy++
				}
			}
			if v.Master != master || v.Flags != "master" || healthy != len(wantReplicas) || v.Sentinels != sentinels-1 {
				last = fmt.Sprintf("sentinel %s: %v", s.Addr, v)
				return false
			}
		}
		return true
	})
	if !ok {
		t.Fatalf("the sentinel group did not settle on master %s with replicas %v within %v: %s", master, wantReplicas, d, last)
	}
}

// waitReplication waits until master reports the replicas connected and
// each replica reports its link up.
func (g *sntGroup) waitReplication(t testing.TB, d time.Duration, master *Server, replicas []*Server) {
	t.Helper()
	var last string
	ok := waitFor(d, func() bool {
		if n := sntInfo(master, "replication", "connected_slaves"); n != strconv.Itoa(len(replicas)) {
			last = "connected_slaves:" + n
			return false
		}
		for _, r := range replicas {
			if st := sntInfo(r, "replication", "master_link_status"); st != "up" {
				last = r.Addr + " master_link_status:" + st
				return false
			}
		}
		return true
	})
	if !ok {
		t.Fatalf("replication to %s did not come up within %v: %s", master.Addr, d, last)
	}
}

// masterOf returns what sentinel s reports as the master ("" on error).
func (g *sntGroup) masterOf(s *Server) string {
	v, err := sntOne(s, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", sntMasterName)
	if err != nil {
		return ""
	}
	a, _ := v.([]any)
	if len(a) != 2 {
		return ""
	}
	return net.JoinHostPort(fmt.Sprint(a[0]), fmt.Sprint(a[1]))
}

// failover runs SENTINEL FAILOVER on sentinel s, retrying while a
// previous failover is still in progress or no replica qualifies yet
// (bounded); it returns when the command was accepted.
func (g *sntGroup) failover(t testing.TB, s *Server) time.Time {
	t.Helper()
	var last error
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		at := time.Now()
		_, last = sntOne(s, "SENTINEL", "FAILOVER", sntMasterName)
		if last == nil {
			return at
		}
		if !strings.HasPrefix(last.Error(), "INPROG") && !strings.HasPrefix(last.Error(), "NOGOODSLAVE") {
			break
		}
	}
	t.Fatalf("SENTINEL FAILOVER via %s: %v", s.Addr, last)
	return time.Time{}
}

// waitNewMaster waits until the sentinels in ss (default: all) agree on a
// master other than old that says it is a master, and returns it.
func (g *sntGroup) waitNewMaster(t testing.TB, d time.Duration, old string, ss ...*Server) *Server {
	t.Helper()
	if len(ss) == 0 {
		ss = g.Sentinels
	}
	var found *Server
	var last string
	ok := waitFor(d, func() bool {
		addr := ""
		for _, s := range ss {
			a := g.masterOf(s)
			if a == "" || a == old || (addr != "" && a != addr) {
				last = fmt.Sprintf("sentinel %s reports %q", s.Addr, a)
				return false
			}
			addr = a
		}
		n := g.node(t, addr)
		if r := sntRole(n); r != "master" {
			last = fmt.Sprintf("%s has role %q", addr, r)
			return false
		}
		found = n
		return true
	})
	if !ok {
		t.Fatalf("no new master (other than %s) within %v: %s", old, d, last)
	}
	return found
}

// --- The client under test. ---

// sntSwitch is one OnSwitch call.
type sntSwitch struct {
	At       time.Time
	From, To string
}

// sntClient is a sentinel client with what the tests observe of it.
type sntClient struct {
	*redisclient.Client
	log *sntLogBuffer

	mu       sync.Mutex
	switches []sntSwitch
}

// Router returns the sentinel router underneath.
func (c *sntClient) Router(t testing.TB) *sentinel.Router {
	t.Helper()
	r, ok := c.Client.Router().(*sentinel.Router)
	if !ok {
		t.Fatalf("router %T is not a *sentinel.Router", c.Client.Router())
	}
	return r
}

// Switches returns the switches so far.
func (c *sntClient) Switches() []sntSwitch {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]sntSwitch(nil), c.switches...)
}

// waitSwitch waits until the client switched to addr (at or after
// since) and returns when.
func (c *sntClient) waitSwitch(t testing.TB, d time.Duration, since time.Time, addr string) time.Time {
	t.Helper()
	var at time.Time
	if !waitFor(d, func() bool {
		for _, s := range c.Switches() {
			if s.To == addr && !s.At.Before(since) {
				at = s.At
				return true
			}
		}
		return false
	}) {
		t.Fatalf("the client did not switch to %s within %v (switches %+v, router at %q)", addr, d, c.Switches(), c.Router(t).Addr())
	}
	return at
}

// client returns a client of the group over protocol proto, given only the
// first sentinel's address, with the data nodes' and the sentinels'
// passwords and the coverage hook; mod adjusts the options. It is closed
// when t ends; its router's log is printed when t failed.
func (g *sntGroup) client(t testing.TB, proto int, mod func(o *redisclient.SentinelOptions)) *sntClient {
	t.Helper()
	c := &sntClient{log: &sntLogBuffer{start: time.Now()}}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the client's log:\n%s", c.log.String())
		}
	})
	o := redisclient.SentinelOptions{
		Options: redisclient.Options{
			Protocol:    proto,
			Password:    sntDataPassword,
			DialTimeout: 2 * time.Second,
			Logger:      slog.New(slog.NewTextHandler(c.log, &slog.HandlerOptions{Level: slog.LevelDebug})),
			Hooks:       []redisclient.Hook{coverageHook(proto)},
		},
		MasterName:       sntMasterName,
		Sentinels:        []string{g.Sentinels[0].Addr},
		SentinelPassword: sntSentinelPassword,
	}
	if mod != nil {
		mod(&o)
	}
	userSwitch := o.OnSwitch
	o.OnSwitch = func(from, to string) {
		c.mu.Lock()
		c.switches = append(c.switches, sntSwitch{At: time.Now(), From: from, To: to})
		c.mu.Unlock()
		if userSwitch != nil {
			userSwitch(from, to)
		}
	}
	cl, err := redisclient.NewSentinel(o)
	if err != nil {
		t.Fatalf("NewSentinel: %v", err)
	}
	c.Client = cl
	t.Cleanup(func() { cl.Close() })
	return c
}

// sntLogBuffer collects log output (safe for concurrent use).
type sntLogBuffer struct {
	start time.Time
	mu    sync.Mutex
	b     bytes.Buffer
}

func (l *sntLogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(&l.b, "+%v ", time.Since(l.start).Round(time.Millisecond))
	return l.b.Write(p)
}

func (l *sntLogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// --- A write load that records every outcome. ---

// sntOp is one write of the load.
type sntOp struct {
	Key        string
	Start, End time.Time
	Err        error
}

// sntLoad writes unique keys from several goroutines, each write with its
// own deadline, and records every outcome.
type sntLoad struct {
	c       *redisclient.Client
	prefix  string
	timeout time.Duration

	stop chan struct{}
	wg   sync.WaitGroup
	n    atomic.Int64

	mu  sync.Mutex
	ops []sntOp
}

// startSntLoad starts workers goroutines writing prefix:wN:seq keys with
// a deadline of timeout per write and a pause of pace between writes.
func startSntLoad(c *redisclient.Client, prefix string, workers int, timeout, pace time.Duration) *sntLoad {
	l := &sntLoad{c: c, prefix: prefix, timeout: timeout, stop: make(chan struct{})}
	for w := range workers {
		l.wg.Go(func() {
			for seq := 0; ; seq++ {
				select {
				case <-l.stop:
					return
				default:
				}
				k := fmt.Sprintf("%s:w%d:%d", prefix, w, seq)
				ctx, cancel := context.WithTimeout(context.Background(), timeout)
				op := sntOp{Key: k, Start: time.Now()}
				op.Err = redisclient.Set(k, k).Do(ctx, c)
				op.End = time.Now()
				cancel()
				l.mu.Lock()
				l.ops = append(l.ops, op)
				l.mu.Unlock()
				l.n.Add(1)
				time.Sleep(pace)
			}
		})
	}
	return l
}

// Stop stops the workers; they must all return within the bound (no
// command hangs past its context).
func (l *sntLoad) Stop(t testing.TB) {
	t.Helper()
	close(l.stop)
	done := make(chan struct{})
	go func() { l.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(l.timeout + 10*time.Second):
		t.Fatalf("the load's workers did not return within %v of Stop: a command hung past its context", l.timeout+10*time.Second)
	}
}

// Ops returns the outcomes so far, by start time.
func (l *sntLoad) Ops() []sntOp {
	l.mu.Lock()
	ops := append([]sntOp(nil), l.ops...)
	l.mu.Unlock()
	sort.Slice(ops, func(i, j int) bool { return ops[i].Start.Before(ops[j].Start) })
	return ops
}

// waitAcked waits until n more writes were acknowledged than at the call,
// each starting after since.
func (l *sntLoad) waitAcked(t testing.TB, d time.Duration, since time.Time, n int) {
	t.Helper()
	if !waitFor(d, func() bool {
		got := 0
		for _, op := range l.Ops() {
			if op.Err == nil && op.Start.After(since) {
				got++
			}
		}
		return got >= n
	}) {
		t.Fatalf("fewer than %d writes acknowledged within %v after %s", n, d, since.Format("15:04:05.000"))
	}
}

// sntLoadReport sums a load's outcomes up.
type sntLoadReport struct {
	Total, Acked, Failed int
	// MaxOvershoot is the longest time a command ran past its deadline.
	MaxOvershoot time.Duration
	// Gap is the longest time without an acknowledged write (acks ordered
	// by completion), and GapFrom when it began.
	Gap     time.Duration
	GapFrom time.Time
	// Errors counts the failures by kind.
	Errors map[string]int
}

func (l *sntLoad) report() sntLoadReport {
	ops := l.Ops()
	r := sntLoadReport{Total: len(ops), Errors: map[string]int{}}
	var ends []time.Time
	for _, op := range ops {
		if over := op.End.Sub(op.Start) - l.timeout; over > r.MaxOvershoot {
			r.MaxOvershoot = over
		}
		if op.Err == nil {
			r.Acked++
			ends = append(ends, op.End)
			continue
		}
		r.Failed++
		r.Errors[sntErrKind(op.Err)]++
	}
	sort.Slice(ends, func(i, j int) bool { return ends[i].Before(ends[j]) })
	for i := 1; i < len(ends); i++ {
		if g := ends[i].Sub(ends[i-1]); g > r.Gap {
			r.Gap, r.GapFrom = g, ends[i-1]
		}
	}
	return r
}

// sntErrKind classifies an error for the report.
func sntErrKind(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline exceeded"
	case errCode(err) != "":
		return errCode(err) + " reply"
	}
	s := err.Error()
	if i := strings.Index(s, ":"); i > 0 && i < 40 {
		return s[:i]
	}
	if len(s) > 60 {
		s = s[:60]
	}
	return s
}

// missing returns the acknowledged writes absent from node s (checked
// with the probe, EXISTS in batches).
func (l *sntLoad) missing(t testing.TB, s *Server) []sntOp {
	t.Helper()
	var acked []sntOp
	for _, op := range l.Ops() {
		if op.Err == nil {
			acked = append(acked, op)
		}
	}
	var out []sntOp
	for i := 0; i < len(acked); i += 500 {
		batch := acked[i:min(i+500, len(acked))]
		cmds := make([][]string, len(batch))
		for j, op := range batch {
			cmds[j] = []string{"EXISTS", op.Key}
		}
		replies, err := sntCall(s.Addr, s.cfg.Password, 10*time.Second, cmds...)
		if err != nil {
			t.Fatalf("EXISTS on %s: %v", s.Addr, err)
		}
		for j, r := range replies {
			if r != int64(1) {
				out = append(out, batch[j])
			}
		}
	}
	return out
}
