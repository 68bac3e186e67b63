package sentinel

// This file holds the Router: discovery through the sentinels, role
// verification, failover following, and routing.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// Role is the kind of node the router connects to.
type Role int

const (
	// RoleMaster connects to the group's master (the default).
	RoleMaster Role = iota
	// RoleReplica connects to one of its replicas, for reads.
	RoleReplica
)

func (r Role) String() string {
	if r == RoleReplica {
		return "replica"
	}
	return "master"
}

// Defaults of the router.
const (
	DefaultCheckInterval = 10 * time.Second
	queryTimeout         = 3 * time.Second
)

// ReplicaInfo is a replica as a sentinel reports it.
type ReplicaInfo struct {
	Addr  string
	Flags []string
}

// Config configures a Router. Zero values mean the defaults.
type Config struct {
	// MasterName is the monitored group's name.
	MasterName string
	// Sentinels are some sentinels' addresses; the others are discovered
	// with SENTINEL SENTINELS.
	Sentinels []string
	// Sentinel is how to reach sentinels: its own credentials, TLS and
	// timeouts (Addr is set per sentinel).
	Sentinel transport.DialConfig
	// Node is the template of the data node's connections (Addr is set
	// from discovery).
	Node transport.NodeConfig
	// Role selects the master (default) or a replica.
	Role Role
	// PreferredReplicas are replica addresses in order of preference
	// (RoleReplica); ReplicaSelector, when set, chooses instead.
	PreferredReplicas []string
	ReplicaSelector   func(replicas []ReplicaInfo) (ReplicaInfo, bool)
	// Retry is the strategy while no sentinel answers (default:
	// exponential backoff, forever).
	Retry transport.ReconnectStrategy
	// CheckInterval re-checks the master with the sentinels periodically,
	// in case an event was missed; negative disables it.
	CheckInterval time.Duration
	// MapAddr translates addresses the sentinels report (NAT).
	MapAddr func(addr string) string
	// OnSwitch is called after the router moved to another node.
	OnSwitch func(from, to string)
	// Logger logs discoveries and switches.
	Logger *slog.Logger
}

// Router routes commands to the current node of a sentinel group. It
// implements transport.Router and is safe for concurrent use.
type Router struct {
	cfg Config

	mu   sync.Mutex // protects following fields
	node *transport.Node
	addr string
	// verified is the server of addr, as the handshake of the connection
	// that checked its role named it.
	verified  transport.ServerInfo
	sentinels []string
	switching <-chan struct{} // closed when the running discovery ends
	// holding makes commands wait for the running discovery: the node in
	// use is known to be wrong (a switch was announced, it refused a write
	// as a replica, a sentinel saw it down). Otherwise commands keep going
	// to the node in use while the sentinels are asked (a periodic check,
	// or no sentinel answering, does not stop a healthy node's traffic).
	holding bool
	// kick wakes a discovery waiting to retry: a new event (a switch
	// announced while it waited out a failure) is worth asking at once.
	kick    chan struct{}
	lastErr error
	closed  bool

	ready     chan struct{}
	readyOnce sync.Once
	stop      chan struct{}
	// stopCtx ends when stop closes (Close).
	stopCtx    context.Context
	cancelStop context.CancelFunc
	wg         sync.WaitGroup
}

// ErrNoSentinel is returned when no sentinel answered.
var ErrNoSentinel = errors.New("sentinel: no sentinel answered")

// New returns a router and starts discovery in the background.
func New(cfg Config) (*Router, error) {
	if cfg.MasterName == "" {
		return nil, errors.New("sentinel: a master name is needed")
	}
	if len(cfg.Sentinels) == 0 {
		return nil, errors.New("sentinel: at least one sentinel address is needed")
	}
	if cfg.Retry == nil {
		cfg.Retry = transport.ExponentialBackoff(transport.DefaultBackoffBase, transport.DefaultBackoffMax)
	}
	if cfg.CheckInterval == 0 {
		cfg.CheckInterval = DefaultCheckInterval
	}
	if cfg.MapAddr == nil {
		cfg.MapAddr = func(a string) string { return a }
	}
	r := &Router{cfg: cfg, sentinels: append([]string(nil), cfg.Sentinels...), kick: make(chan struct{}, 1), ready: make(chan struct{}), stop: make(chan struct{})}
	r.stopCtx, r.cancelStop = context.WithCancel(context.Background())
	r.wg.Add(2)
	r.startDiscovery("start", true)
	go r.watch()
	go r.periodic()
	return r, nil
}

// Addr returns the address of the node in use ("" before discovery).
func (r *Router) Addr() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.addr
}

// Server returns the server of the node in use, as its connections'
// handshake named it (transport.Node.Server), or, before the node is
// connected, the connection that verified its role: known once Ready
// returned (unless the server does not answer HELLO), zero before.
func (r *Router) Server() transport.ServerInfo {
	r.mu.Lock()
	n, verified := r.node, r.verified
	r.mu.Unlock()
	if n != nil {
		if s := n.Server(); s.Known() {
			return s
		}
	}
	return verified
}

// NodeStats returns a snapshot of the statistics of the node in use
// (none before discovery); a node left after a failover takes its counters
// with it. It implements transport.StatsReporter.
func (r *Router) NodeStats() []transport.NodeStats {
	r.mu.Lock()
	n := r.node
	r.mu.Unlock()
	if n == nil {
		return nil
	}
	return []transport.NodeStats{n.Stats()}
}

// Sentinels returns the sentinel addresses known so far.
func (r *Router) Sentinels() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.sentinels...)
}

// Ready waits until a node was discovered and verified.
func (r *Router) Ready(ctx context.Context) error {
	select {
	case <-r.ready:
		return nil
	case <-ctx.Done():
		r.mu.Lock()
		err := r.lastErr
		r.mu.Unlock()
		if err != nil {
			return fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		return ctx.Err()
	}
}

// current returns the node in use, waiting while a switch runs.
func (r *Router) current(ctx context.Context) (*transport.Node, error) {
	for {
		r.mu.Lock()
		n, sw, holding, closed := r.node, r.switching, r.holding, r.closed
		r.mu.Unlock()
		if closed {
			return nil, transport.ErrClosed
		}
		if n != nil && (sw == nil || !holding) {
			return n, nil
		}
		if sw == nil {
			// No node and no discovery (it gave up): start one.
			sw = r.startDiscovery("no node", true)
		}
		select {
		case <-sw:
		case <-ctx.Done():
			return nil, r.waitErr(ctx)
		}
	}
}

func (r *Router) waitErr(ctx context.Context) error {
	r.mu.Lock()
	err := r.lastErr
	r.mu.Unlock()
	if err != nil {
		return fmt.Errorf("%w (waiting for the %s of %s: %v)", ctx.Err(), r.cfg.Role, r.cfg.MasterName, err)
	}
	return ctx.Err()
}

// startDiscovery asks the sentinels where the node is and switches to it,
// in the background; it returns a channel closed when that is done.
// Concurrent calls share one discovery; a call while it waits to retry
// after a failure makes it retry at once. With hold, commands wait for it
// rather than go to the node in use.
func (r *Router) startDiscovery(reason string, hold bool) <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	if hold {
		r.holding = true
	}
	if r.switching != nil {
		select {
		case r.kick <- struct{}{}:
		default:
		}
		return r.switching
	}
	done := make(chan struct{})
	if r.closed {
		close(done)
		return done
	}
	select {
	case <-r.kick: // left from the previous discovery
	default:
	}
	r.switching = done
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		r.discover(reason)
		r.mu.Lock()
		r.switching, r.holding = nil, false
		r.mu.Unlock()
		close(done)
	}()
	return done
}

// discover retries discoverOnce with the retry strategy.
func (r *Router) discover(reason string) {
	for attempt := 1; ; attempt++ {
		err := r.discoverOnce(reason)
		if err == nil {
			return
		}
		r.mu.Lock()
		r.lastErr = err
		r.mu.Unlock()
		r.log("discovery failed", slog.String("reason", reason), slog.String("error", err.Error()))
		delay, retry := r.cfg.Retry(attempt, err)
		if !retry {
			return
		}
		timer := time.NewTimer(delay)
		select {
		case <-timer.C:
		case <-r.kick:
			// An event (say +switch-master) while waiting: ask now, and
			// start the backoff over.
			timer.Stop()
			attempt = 0
		case <-r.stop:
			timer.Stop()
			return
		}
	}
}

// discoverOnce finds the node, verifies its role, and switches to it.
func (r *Router) discoverOnce(reason string) error {
	addr, err := r.locate()
	if err != nil {
		return err
	}
	r.mu.Lock()
	cur, curAddr := r.node, r.addr
	r.mu.Unlock()
	// The role is checked on a connection of its own: one that fails
	// fast when the node is down, rather than a node's commands, which
	// wait for it to come back.
	server, err := r.verify(addr)
	if err != nil {
		var re *roleError
		r.mu.Lock()
		switch {
		case curAddr != addr:
			// The sentinels name another node: the one in use is not
			// theirs any more.
			r.holding = true
		case errors.As(err, &re) && r.node == cur && cur != nil:
			// The node in use has the wrong role: drop it.
			r.node, r.addr, r.holding = nil, "", true
			go cur.Close()
			r.log("dropped", slog.String("addr", addr), slog.String("error", err.Error()))
		}
		r.mu.Unlock()
		return fmt.Errorf("%s: %w", addr, err)
	}
	if cur != nil && curAddr == addr {
		r.mu.Lock()
		r.verified = server
		r.mu.Unlock()
		r.readyOnce.Do(func() { close(r.ready) })
		return nil
	}
	cfg := r.cfg.Node
	cfg.Dial.Addr = addr
	n := transport.NewNode(cfg)
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		n.Close()
		return transport.ErrClosed
	}
	old := r.node
	r.node, r.addr, r.verified, r.lastErr = n, addr, server, nil
	r.mu.Unlock()
	r.readyOnce.Do(func() { close(r.ready) })
	if old != nil {
		// Commands queued on the old node fail with ErrClosed and are
		// sent again to the new one; those in flight get CloseTimeout.
		go old.Close()
	}
	if curAddr != addr {
		r.log("switched", slog.String("from", curAddr), slog.String("to", addr), slog.String("reason", reason))
		if r.cfg.OnSwitch != nil {
			r.cfg.OnSwitch(curAddr, addr)
		}
	}
	return nil
}

// verify checks the role of the node at addr with ROLE, on a connection
// opened for it, and returns the server its handshake named.
func (r *Router) verify(addr string) (transport.ServerInfo, error) {
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout+r.cfg.Node.Dial.DialTimeout)
	defer cancel()
	dial := r.cfg.Node.Dial
	dial.Addr = addr
	c, err := transport.Dial(ctx, &dial)
	if err != nil {
		return transport.ServerInfo{}, err
	}
	defer c.Close()
	cmd, err := query(ctx, c, "ROLE")
	if err != nil {
		return transport.ServerInfo{}, err
	}
	defer cmd.Release()
	role := cmd.Reply().First().Text()
	want := "master"
	if r.cfg.Role == RoleReplica {
		want = "slave"
	}
	if role != want {
		return transport.ServerInfo{}, &roleError{got: role, want: want}
	}
	return c.Server(), nil
}

// roleError reports a node whose role is not the one asked for.
type roleError struct{ got, want string }

func (e *roleError) Error() string { return fmt.Sprintf("role is %s, want %s", e.got, e.want) }

// locate asks the sentinels, in order, for the node's address; a sentinel
// that answers moves to the front, and the others it knows are added.
func (r *Router) locate() (string, error) {
	var errs []error
	for _, s := range r.Sentinels() {
		addr, known, err := r.ask(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", s, err))
			continue
		}
		r.mu.Lock()
		list := []string{s}
		seen := map[string]bool{s: true}
		for _, x := range append(r.sentinels, known...) {
			if !seen[x] {
				seen[x] = true
				list = append(list, x)
			}
		}
		r.sentinels = list
		r.mu.Unlock()
		return addr, nil
	}
	return "", fmt.Errorf("%w: %w", ErrNoSentinel, errors.Join(errs...))
}

// query runs one command on a sentinel connection.
func query(ctx context.Context, c *transport.Conn, args ...string) (*transport.Command, error) {
	a := make([]transport.Arg, len(args))
	for i, s := range args {
		a[i] = transport.String(s)
	}
	cmd := transport.NewCommand(transport.Meta{}, a...)
	if err := c.Do(ctx, cmd); err != nil {
		cmd.Release()
		return nil, err
	}
	if err := cmd.Reply().Err(); err != nil {
		cmd.Release()
		return nil, err
	}
	return cmd, nil
}

// dialSentinel connects to a sentinel.
func (r *Router) dialSentinel(ctx context.Context, addr string) (*transport.Conn, error) {
	cfg := r.cfg.Sentinel
	cfg.Addr = addr
	cfg.DB = 0
	return transport.Dial(ctx, &cfg)
}

// ask asks one sentinel for the address (and the other sentinels).
func (r *Router) ask(sentinel string) (string, []string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	c, err := r.dialSentinel(ctx, sentinel)
	if err != nil {
		return "", nil, err
	}
	defer c.Close()
	var addr string
	if r.cfg.Role == RoleMaster {
		cmd, err := query(ctx, c, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", r.cfg.MasterName)
		if err != nil {
			return "", nil, err
		}
		v := cmd.Reply()
		if v.Kind() == resp.KindNull || v.Len() != 2 {
			cmd.Release()
			return "", nil, fmt.Errorf("does not know master %q", r.cfg.MasterName)
		}
		addr = r.cfg.MapAddr(net.JoinHostPort(v.First().Text(), v.First().Next().Text()))
		cmd.Release()
	} else {
		cmd, err := query(ctx, c, "SENTINEL", "REPLICAS", r.cfg.MasterName)
		if err != nil {
			return "", nil, err
		}
		replicas := r.parseReplicas(cmd.Reply())
		cmd.Release()
		choice, ok := r.chooseReplica(replicas)
		if !ok {
			return "", nil, fmt.Errorf("no healthy replica of %q", r.cfg.MasterName)
		}
		addr = choice.Addr
	}
	var known []string
	if cmd, err := query(ctx, c, "SENTINEL", "SENTINELS", r.cfg.MasterName); err == nil {
		for s := cmd.Reply().First(); s.Valid(); s = s.Next() {
			m := mapOf(s)
			if m["ip"] != "" && m["port"] != "" && !hasFlag(m["flags"], "s_down", "o_down", "disconnected") {
				known = append(known, r.cfg.MapAddr(net.JoinHostPort(m["ip"], m["port"])))
			}
		}
		cmd.Release()
	}
	return addr, known, nil
}

// mapOf reads a map given as a RESP3 map or a RESP2 flat array.
func mapOf(v resp.Value) map[string]string {
	m := map[string]string{}
	for k := v.First(); k.Valid(); k = k.Next().Next() {
		m[k.Text()] = k.Next().Text()
	}
	return m
}

func hasFlag(flags string, any ...string) bool {
	for _, f := range strings.Split(flags, ",") {
		for _, a := range any {
			if f == a {
				return true
			}
		}
	}
	return false
}

// parseReplicas reads SENTINEL REPLICAS, skipping replicas flagged down or
// disconnected, or whose link to the master is down.
func (r *Router) parseReplicas(v resp.Value) []ReplicaInfo {
	var out []ReplicaInfo
	for x := v.First(); x.Valid(); x = x.Next() {
		m := mapOf(x)
		if hasFlag(m["flags"], "s_down", "o_down", "disconnected") || m["master-link-status"] == "err" {
			continue
		}
		port, err := strconv.Atoi(m["port"])
		if err != nil || m["ip"] == "" {
			continue
		}
		out = append(out, ReplicaInfo{Addr: r.cfg.MapAddr(net.JoinHostPort(m["ip"], strconv.Itoa(port))), Flags: strings.Split(m["flags"], ",")})
	}
	return out
}

// chooseReplica applies the selector, the preference list, or chance.
func (r *Router) chooseReplica(replicas []ReplicaInfo) (ReplicaInfo, bool) {
	if len(replicas) == 0 {
		return ReplicaInfo{}, false
	}
	if r.cfg.ReplicaSelector != nil {
		return r.cfg.ReplicaSelector(replicas)
	}
	for _, p := range r.cfg.PreferredReplicas {
		for _, rep := range replicas {
			if rep.Addr == p {
				return rep, true
			}
		}
	}
	return replicas[rand.N(len(replicas))], true
}

func (r *Router) log(msg string, attrs ...slog.Attr) {
	if r.cfg.Logger != nil {
		r.cfg.Logger.LogAttrs(context.Background(), slog.LevelInfo, "redkit sentinel: "+msg,
			append(attrs, slog.String("master", r.cfg.MasterName), slog.String("role", r.cfg.Role.String()))...)
	}
}

// Close stops the router and its connections.
func (r *Router) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	n := r.node
	r.node = nil
	r.mu.Unlock()
	close(r.stop)
	r.cancelStop()
	r.wg.Wait()
	if n != nil {
		n.Close()
	}
	return nil
}

// Router reports its nodes' statistics (redisclient.Client.Stats).
var _ transport.StatsReporter = (*Router)(nil)
