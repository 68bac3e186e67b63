package cluster

// This file holds the Router: configuration, topology refreshes (coalesced,
// on redirects, connection errors and a timer), node selection, and the
// redirect-following Do.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// Router defaults.
const (
	DefaultMaxRedirects    = 5
	DefaultRefreshInterval = 30 * time.Second
	DefaultRetryBackoff    = 20 * time.Millisecond
	DefaultLatencyProbe    = 5 * time.Second
	// minRefreshGap is the least time between two refreshes caused by
	// errors: a storm of redirects costs one refresh.
	minRefreshGap = 100 * time.Millisecond
	// downRefresh is how often the topology is reloaded while the master
	// of some slots is unreachable, so that its replica's promotion is
	// seen at once; after downPatience it slows to downRefreshSlow.
	downRefresh     = 100 * time.Millisecond
	downPatience    = 30 * time.Second
	downRefreshSlow = 2 * time.Second
	// fetchTimeout bounds asking one node for the topology, so that a node
	// that does not answer does not hold up the refresh.
	fetchTimeout = 2 * time.Second
)

// ReadPolicy says where read-only commands go.
type ReadPolicy int

const (
	// ReadMaster sends every command to the slot's master (the default).
	ReadMaster ReadPolicy = iota
	// ReadReplica sends read-only commands to a replica of the slot (the
	// master when none is healthy).
	ReadReplica
	// ReadAny sends read-only commands to the master or a replica, at
	// random.
	ReadAny
	// ReadNearest sends read-only commands to the node of the slot with
	// the lowest measured latency.
	ReadNearest
)

// Config configures a Router. Zero values mean the defaults.
type Config struct {
	// Seeds are addresses of some cluster nodes (any subset).
	Seeds []string
	// Node is the template of every node's connections: dial options
	// (credentials, TLS, timeouts, protocol), pool sizes, reconnect
	// strategy, events. Its address is set per node.
	Node transport.NodeConfig
	// ReadPolicy routes read-only commands; ReadSelector, when set,
	// overrides it and picks among the slot's master and replicas.
	ReadPolicy   ReadPolicy
	ReadSelector func(slot int, master NodeInfo, replicas []NodeInfo) NodeInfo
	// MaxRedirects bounds how many MOVED, ASK, TRYAGAIN, CLUSTERDOWN and
	// LOADING replies a command follows.
	MaxRedirects int
	// RefreshInterval refreshes the topology periodically; negative
	// disables it (refreshes still follow redirects and errors).
	RefreshInterval time.Duration
	// RetryBackoff is the first delay after TRYAGAIN, CLUSTERDOWN or
	// LOADING; it doubles with each retry.
	RetryBackoff time.Duration
	// MapAddr translates the address a node announces (host:port, an IP or
	// a hostname) to the one to dial (NAT, containers); AddrMap is a fixed
	// table consulted first.
	MapAddr func(announced string) string
	AddrMap map[string]string
	// NodeCredentials gives the credentials of one node; when it returns
	// false, the template's credentials apply.
	NodeCredentials func(addr string) (transport.Credentials, bool)
	// Logger logs topology changes.
	Logger *slog.Logger
}

func (cfg *Config) mapAddr(announced string) string {
	if a, ok := cfg.AddrMap[announced]; ok {
		return a
	}
	if cfg.MapAddr != nil {
		return cfg.MapAddr(announced)
	}
	return announced
}

// node is one server of the cluster in one role.
type node struct {
	info    NodeInfo
	n       *transport.Node
	latency atomic.Int64 // nanoseconds, smoothed; 0 until measured
}

// shard is a master with its replicas.
type shard struct {
	master   *node
	replicas []*node
	healthy  []*node // the replicas the topology reports healthy
	info     ShardInfo
}

// Router routes commands across a cluster. It implements
// transport.Router and is safe for concurrent use.
type Router struct {
	cfg Config

	mu     sync.RWMutex // protects following fields
	slots  [transport.SlotCount]*shard
	shards []*shard
	nodes  map[string]*node // by role and address
	closed bool

	// unserved marks the slots that the last refreshes reported without
	// a node and that are awaiting confirmation (unserved.go); loaded is
	// set once a topology is installed.
	unserved map[int]*unservedMark
	loaded   bool

	refreshMu   sync.Mutex // protects following fields
	refreshing  chan struct{}
	lastRefresh time.Time
	refreshErr  error
	// refreshes counts completed refreshes; it changes with refreshMu
	// held.
	refreshes atomic.Uint64

	// seedServer is the server of the last seed asked for the topology,
	// as its connection's handshake named it (Server, before any node is
	// connected).
	seedServer atomic.Pointer[transport.ServerInfo]

	ready     chan struct{}
	readyOnce sync.Once
	stop      chan struct{}
	recheck   chan struct{} // signals that slots await confirmation
	wg        sync.WaitGroup
}

// ErrNoTopology is returned when no seed or node answered with the
// cluster's topology.
var ErrNoTopology = errors.New("cluster: no node answered with the topology")

// New returns a router and loads the topology in the background.
func New(cfg Config) (*Router, error) {
	if len(cfg.Seeds) == 0 {
		return nil, errors.New("cluster: at least one seed address is needed")
	}
	if cfg.MaxRedirects <= 0 {
		cfg.MaxRedirects = DefaultMaxRedirects
	}
	if cfg.RefreshInterval == 0 {
		cfg.RefreshInterval = DefaultRefreshInterval
	}
	if cfg.RetryBackoff <= 0 {
		cfg.RetryBackoff = DefaultRetryBackoff
	}
	r := &Router{cfg: cfg, nodes: map[string]*node{}, unserved: map[int]*unservedMark{},
		ready: make(chan struct{}), stop: make(chan struct{}), recheck: make(chan struct{}, 1)}
	r.wg.Add(1)
	go r.maintain()
	return r, nil
}

// maintain loads the topology, then refreshes it periodically and probes
// latencies for ReadNearest.
func (r *Router) maintain() {
	defer r.wg.Done()
	backoff := r.cfg.RetryBackoff
	for {
		if r.refreshBounded() == nil {
			break
		}
		select {
		case <-time.After(backoff):
		case <-r.stop:
			return
		}
		backoff = min(2*backoff, 2*time.Second)
	}
	interval := r.cfg.RefreshInterval
	var tick <-chan time.Time
	if interval > 0 {
		t := time.NewTicker(interval)
		defer t.Stop()
		tick = t.C
	}
	var probe <-chan time.Time
	if r.cfg.ReadPolicy == ReadNearest {
		t := time.NewTicker(DefaultLatencyProbe)
		defer t.Stop()
		probe = t.C
		r.probeLatencies()
	}
	// While the master of some slots is unreachable, reload the topology
	// often: the cluster promotes a replica within about
	// cluster-node-timeout, and nothing else tells the router (commands
	// for those slots just wait in the dead node's offline queue).
	down := time.NewTicker(downRefresh)
	defer down.Stop()
	var downSince, lastDownRefresh time.Time
	// While slots reported without a node await confirmation, reload the
	// topology every unservedRecheck.
	var recheck <-chan time.Time
	for {
		select {
		case <-tick:
			r.refreshBounded()
		case <-r.recheck:
			if recheck == nil {
				recheck = time.After(unservedRecheck)
			}
		case <-recheck:
			recheck = nil
			r.refreshBounded()
		case now := <-down.C:
			if !r.masterDown() {
				downSince = time.Time{}
				continue
			}
			if downSince.IsZero() {
				downSince = now
			}
			if now.Sub(downSince) > downPatience && now.Sub(lastDownRefresh) < downRefreshSlow {
				continue
			}
			lastDownRefresh = now
			r.refreshBounded()
		case <-probe:
			r.probeLatencies()
		case <-r.stop:
			return
		}
	}
}

// masterDown reports whether the master of some slots has no connection
// up.
func (r *Router) masterDown() bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, sh := range r.shards {
		if !sh.master.n.Connected() {
			return true
		}
	}
	return false
}

// Ready waits until the topology is known.
func (r *Router) Ready(ctx context.Context) error {
	select {
	case <-r.ready:
		return nil
	case <-ctx.Done():
		r.refreshMu.Lock()
		err := r.refreshErr
		r.refreshMu.Unlock()
		if err != nil {
			return fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		return ctx.Err()
	}
}

// Refresh loads the topology now. Concurrent calls share one refresh.
func (r *Router) Refresh(ctx context.Context) error {
	ch, leader := r.beginRefresh()
	if leader {
		return r.runRefresh(ctx, ch)
	}
	select {
	case <-ch:
	case <-ctx.Done():
		return ctx.Err()
	}
	r.refreshMu.Lock()
	defer r.refreshMu.Unlock()
	return r.refreshErr
}

// beginRefresh returns the channel closed when the refresh in flight
// ends; when none is, it registers one, which the caller (the leader)
// must run with runRefresh.
func (r *Router) beginRefresh() (done chan struct{}, leader bool) {
	r.refreshMu.Lock()
	defer r.refreshMu.Unlock()
	if r.refreshing != nil {
		return r.refreshing, false
	}
	r.refreshing = make(chan struct{})
	return r.refreshing, true
}

// runRefresh loads the topology for the refresh begun with done.
func (r *Router) runRefresh(ctx context.Context, done chan struct{}) error {
	err := r.load(ctx)

	r.refreshMu.Lock()
	r.refreshing = nil
	r.refreshErr = err
	r.lastRefresh = time.Now()
	r.refreshes.Add(1)
	r.refreshMu.Unlock()
	close(done)
	if err == nil {
		r.readyOnce.Do(func() { close(r.ready) })
	}
	return err
}

// triggerRefresh refreshes in the background unless one ran very
// recently.
func (r *Router) triggerRefresh() {
	r.refreshMu.Lock()
	recent := r.refreshing != nil || time.Since(r.lastRefresh) < minRefreshGap
	r.refreshMu.Unlock()
	if recent {
		return
	}
	go r.refreshBounded()
}

// refreshTimeout bounds a refresh the router starts by itself.
const refreshTimeout = 10 * time.Second

// refreshBounded reloads the topology within refreshTimeout.
func (r *Router) refreshBounded() error {
	ctx, cancel := context.WithTimeout(context.Background(), refreshTimeout)
	defer cancel()
	return r.Refresh(ctx)
}

// load asks known nodes, then the seeds, for the topology and installs it.
// Only nodes with a connection up are asked (masters first, in random
// order): a command to a node that is down would wait in its offline
// queue. Each node gets at most fetchTimeout.
func (r *Router) load(ctx context.Context) error {
	var masters, replicas []*transport.Node
	r.mu.RLock()
	if r.closed {
		r.mu.RUnlock()
		return transport.ErrClosed // no seed is dialled after Close
	}
	for _, n := range r.nodes {
		if !n.n.Connected() {
			continue
		}
		if n.info.Replica {
			replicas = append(replicas, n.n)
		} else {
			masters = append(masters, n.n)
		}
	}
	r.mu.RUnlock()
	rand.Shuffle(len(masters), func(i, j int) { masters[i], masters[j] = masters[j], masters[i] })
	rand.Shuffle(len(replicas), func(i, j int) { replicas[i], replicas[j] = replicas[j], replicas[i] })
	var errs []error
	for _, n := range append(masters, replicas...) {
		fctx, cancel := context.WithTimeout(ctx, fetchTimeout)
		shards, err := fetchTopology(fctx, n, r.cfg.mapAddr, r.tls())
		cancel()
		if err == nil {
			return r.install(shards)
		}
		errs = append(errs, fmt.Errorf("%s: %w", n.Addr(), err))
		if ctx.Err() != nil {
			return fmt.Errorf("%w: %w", ErrNoTopology, errors.Join(errs...))
		}
	}
	for _, seed := range r.cfg.Seeds {
		fctx, cancel := context.WithTimeout(ctx, max(fetchTimeout, r.cfg.Node.Dial.DialTimeout))
		shards, err := r.fetchFromSeed(fctx, seed)
		cancel()
		if err == nil {
			return r.install(shards)
		}
		errs = append(errs, fmt.Errorf("%s: %w", seed, err))
		if ctx.Err() != nil {
			break
		}
	}
	return fmt.Errorf("%w: %w", ErrNoTopology, errors.Join(errs...))
}

// tls reports whether nodes are dialled with TLS (CLUSTER SHARDS then
// gives their "tls-port").
func (r *Router) tls() bool { return r.cfg.Node.Dial.TLS != nil }

// fetchFromSeed dials a seed just for the topology.
func (r *Router) fetchFromSeed(ctx context.Context, seed string) ([]ShardInfo, error) {
	cfg := r.dialConfig(r.cfg.mapAddr(seed), "", false)
	c, err := transport.Dial(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	server := c.Server()
	r.seedServer.Store(&server)
	return fetchTopology(ctx, c, r.cfg.mapAddr, r.tls())
}

// fetchTopology runs CLUSTER SHARDS, or CLUSTER SLOTS where the server
// lacks it, on d, mapping the announced addresses.
func fetchTopology(ctx context.Context, d interface {
	Do(context.Context, *transport.Command) error
}, mapAddr func(string) string, tls bool) ([]ShardInfo, error) {
	cmd := transport.NewCommand(transport.Meta{Flags: transport.FlagReadOnly}, transport.String("CLUSTER"), transport.String("SHARDS"))
	defer cmd.Release()
	if err := d.Do(ctx, cmd); err != nil {
		return nil, err
	}
	if err := cmd.Reply().Err(); err == nil {
		return parseShards(cmd.Reply(), mapAddr, tls)
	} else if !strings.Contains(strings.ToLower(err.Error()), "unknown subcommand") {
		return nil, err
	}
	slots := transport.NewCommand(transport.Meta{Flags: transport.FlagReadOnly}, transport.String("CLUSTER"), transport.String("SLOTS"))
	defer slots.Release()
	if err := d.Do(ctx, slots); err != nil {
		return nil, err
	}
	return parseSlots(slots.Reply(), mapAddr)
}

// dialConfig is the template's dial configuration for one node.
func (r *Router) dialConfig(addr, host string, replica bool) transport.DialConfig {
	cfg := r.cfg.Node.Dial
	cfg.Addr = addr
	cfg.ReadOnly = replica
	if cfg.TLS != nil && host != "" && cfg.TLS.ServerName == "" {
		t := cfg.TLS.Clone()
		t.ServerName = host
		cfg.TLS = t
	}
	if r.cfg.NodeCredentials != nil {
		if c, ok := r.cfg.NodeCredentials(addr); ok {
			cfg.Username, cfg.Password, cfg.CredentialsProvider = c.Username, c.Password, nil
		}
	}
	return cfg
}

// nodeKey identifies a node in a role.
func nodeKey(addr string, replica bool) string {
	if replica {
		return "replica " + addr
	}
	return "master " + addr
}

// nodeLocked returns (creating it if needed) the node for addr in a role,
// with info from the topology.
func (r *Router) nodeLocked(info NodeInfo) *node {
	k := nodeKey(info.Addr, info.Replica)
	if n, ok := r.nodes[k]; ok {
		n.info = info
		return n
	}
	return r.newNodeLocked(k, info)
}

// masterLocked returns the master node at addr, which a redirect named,
// creating it with what the redirect says; a known node keeps the
// information the topology gave it.
func (r *Router) masterLocked(addr string) *node {
	k := nodeKey(addr, false)
	if n, ok := r.nodes[k]; ok {
		return n
	}
	return r.newNodeLocked(k, NodeInfo{Addr: addr, Announced: addr, Healthy: true})
}

func (r *Router) newNodeLocked(k string, info NodeInfo) *node {
	cfg := r.cfg.Node
	cfg.Dial = r.dialConfig(info.Addr, hostOf(info), info.Replica)
	n := &node{info: info, n: transport.NewNode(cfg)}
	r.nodes[k] = n
	return n
}

func hostOf(info NodeInfo) string {
	if info.Host != "" && info.Announced != info.Addr {
		return info.Host
	}
	return ""
}

// install replaces the slot map with a new topology and closes nodes that
// left it. Slots it leaves without a node keep their previous owner until
// later refreshes confirm (keepUnservedLocked).
func (r *Router) install(shards []ShardInfo) error {
	if len(shards) == 0 {
		return fmt.Errorf("%w: the topology has no slots", ErrNoTopology)
	}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return transport.ErrClosed
	}
	used := map[string]bool{}
	var slots [transport.SlotCount]*shard
	var all []*shard
	for _, si := range shards {
		sh := &shard{info: si, master: r.nodeLocked(si.Master)}
		used[nodeKey(si.Master.Addr, false)] = true
		for _, ri := range si.Replicas {
			n := r.nodeLocked(ri)
			sh.replicas = append(sh.replicas, n)
			if ri.Healthy {
				sh.healthy = append(sh.healthy, n)
			}
			used[nodeKey(ri.Addr, true)] = true
		}
		for i := 0; i+1 < len(si.Slots); i += 2 {
			for s := si.Slots[i]; s <= si.Slots[i+1] && s < transport.SlotCount; s++ {
				if s >= 0 {
					slots[s] = sh
				}
			}
		}
		all = append(all, sh)
	}
	served := len(all)
	all = r.keepUnservedLocked(&slots, all, used, time.Now())
	kept, awaiting := len(all)-served, len(r.unserved) > 0
	var gone []*node
	for k, n := range r.nodes {
		if !used[k] {
			gone = append(gone, n)
			delete(r.nodes, k)
		}
	}
	r.slots, r.shards = slots, all
	r.mu.Unlock()
	if awaiting {
		select {
		case r.recheck <- struct{}{}:
		default:
		}
	}
	if l := r.cfg.Logger; l != nil {
		l.Debug("redkit cluster: topology", slog.Int("shards", served), slog.Int("removed nodes", len(gone)),
			slog.Int("previous owners kept", kept), slog.Bool("slots awaiting confirmation", awaiting))
	}
	for _, n := range gone {
		go n.n.Close() // lets commands in flight finish
	}
	return nil
}

// moved points slot at addr right away (the refresh that follows brings
// the rest of the topology).
func (r *Router) moved(slot int, addr string) *node {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	delete(r.unserved, slot) // a node serves it
	if sh := r.slots[slot]; sh != nil && sh.master.info.Addr == addr {
		return sh.master
	}
	n := r.masterLocked(addr)
	r.slots[slot] = &shard{master: n}
	return n
}

// askTarget returns the node an ASK redirect names.
func (r *Router) askTarget(addr string) *node {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	return r.masterLocked(addr)
}

// pick chooses the node for a slot: the master, or a replica for
// read-only commands as the read policy says.
func (r *Router) pick(slot int, readOnly bool) (*node, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		return nil, transport.ErrClosed
	}
	sh := r.slots[slot]
	if sh == nil {
		return nil, &SlotUnservedError{Slot: slot}
	}
	if !readOnly || (r.cfg.ReadPolicy == ReadMaster && r.cfg.ReadSelector == nil) {
		return sh.master, nil
	}
	healthy := sh.healthy
	if r.cfg.ReadSelector != nil {
		infos := make([]NodeInfo, len(healthy))
		for i, n := range healthy {
			infos[i] = n.info
		}
		chosen := r.cfg.ReadSelector(slot, sh.master.info, infos)
		for _, n := range healthy {
			if n.info.Addr == chosen.Addr {
				return n, nil
			}
		}
		return sh.master, nil
	}
	switch r.cfg.ReadPolicy {
	case ReadReplica:
		if len(healthy) > 0 {
			return healthy[rand.N(len(healthy))], nil
		}
	case ReadAny:
		if i := rand.N(len(healthy) + 1); i < len(healthy) {
			return healthy[i], nil
		}
	case ReadNearest:
		best := sh.master
		for _, n := range healthy {
			if l := n.latency.Load(); l > 0 && (best.latency.Load() == 0 || l < best.latency.Load()) {
				best = n
			}
		}
		return best, nil
	}
	return sh.master, nil
}

// nodeFor returns the node for a command of slot (see pick), or a random
// master for a keyless one (negative slot).
func (r *Router) nodeFor(slot int, readOnly bool) (*node, error) {
	if slot < 0 {
		return r.randomMaster()
	}
	return r.pick(slot, readOnly)
}

// randomMaster returns a master (for keyless commands).
func (r *Router) randomMaster() (*node, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		return nil, transport.ErrClosed
	}
	if len(r.shards) == 0 {
		return nil, ErrNoTopology
	}
	return r.shards[rand.N(len(r.shards))].master, nil
}

// probeLatencies measures each node's PING time (for ReadNearest).
func (r *Router) probeLatencies() {
	r.mu.RLock()
	nodes := make([]*node, 0, len(r.nodes))
	for _, n := range r.nodes {
		nodes = append(nodes, n)
	}
	r.mu.RUnlock()
	for _, n := range nodes {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		cmd := transport.NewCommand(transport.Meta{Flags: transport.FlagReadOnly}, transport.String("PING"))
		start := time.Now()
		if err := n.n.Do(ctx, cmd); err == nil && cmd.Reply().Err() == nil {
			d := time.Since(start).Nanoseconds()
			if old := n.latency.Load(); old > 0 {
				d = (old*3 + d) / 4
			}
			n.latency.Store(d)
		}
		cmd.Release()
		cancel()
	}
}

// Topology returns the shards as last loaded, ordered by first slot; slots
// that the last refreshes reported without a node and that kept their
// previous owner until confirmed are listed with it.
func (r *Router) Topology() []ShardInfo {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]ShardInfo, 0, len(r.shards))
	for _, sh := range r.shards {
		out = append(out, sh.info)
	}
	sort.Slice(out, func(i, j int) bool { return first(out[i].Slots) < first(out[j].Slots) })
	return out
}

func first(s []int) int {
	if len(s) == 0 {
		return -1
	}
	return s[0]
}

// NodeError reports a command that failed on a node, naming the node.
type NodeError struct {
	Addr string
	Err  error
}

func (e *NodeError) Error() string { return fmt.Sprintf("cluster: node %s: %v", e.Addr, e.Err) }
func (e *NodeError) Unwrap() error { return e.Err }

// isConnectionError reports errors that suggest the topology changed.
func isConnectionError(err error) bool {
	var ce *transport.ConnError
	var de *transport.DialError
	return errors.As(err, &ce) || errors.As(err, &de) || errors.Is(err, transport.ErrNotConnected) || errors.Is(err, transport.ErrClosed)
}

// unsent reports an error that says the command was never written: the
// node closed (it left the topology) while the command waited in its
// queue. Sending it elsewhere cannot run it twice.
func unsent(err error) bool {
	var ce *transport.ConnError
	return errors.Is(err, transport.ErrClosed) && !errors.As(err, &ce)
}

// retryable reports server errors that clear after a while.
func retryable(re *resp.Error) bool {
	switch re.Prefix() {
	case "TRYAGAIN", "CLUSTERDOWN", "LOADING", "MASTERDOWN":
		return true
	}
	return false
}

// isReplica reports whether n serves as a replica in the router's view.
func (r *Router) isReplica(n *node) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return n.info.Replica
}

// isClosed reports whether Close was called.
func (r *Router) isClosed() bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.closed
}

// Close stops the router and closes every node.
func (r *Router) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	nodes := r.nodes
	r.nodes = map[string]*node{}
	r.mu.Unlock()
	close(r.stop)
	r.wg.Wait()
	var wg sync.WaitGroup
	for _, n := range nodes {
		wg.Add(1)
		go func(n *node) {
			defer wg.Done()
			n.n.Close()
		}(n)
	}
	wg.Wait()
	return nil
}
