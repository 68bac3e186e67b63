package transport

// This file is Node: everything that talks to one server. Commands go
// through a shared queue to a few auto-pipelined connections; blocking
// commands use dedicated connections from a pool. The node reconnects with
// a pluggable strategy, keeps commands in an offline queue while
// disconnected, and retries in-flight read-only commands after a dropped
// connection.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redkit-go/redkit/transport/resp"
)

// Node defaults.
const (
	DefaultConns             = 2
	DefaultOfflineQueueLimit = 10000
	DefaultMaxRetries        = 3
	DefaultCloseTimeout      = 5 * time.Second
)

// NodeConfig configures a Node. Zero values mean the defaults.
type NodeConfig struct {
	// Dial says how to connect and prepare connections.
	Dial DialConfig
	// Conns is the number of shared, auto-pipelined connections.
	Conns int
	// Pool sizes the dedicated connections (blocking commands, WATCH,
	// pub/sub, MONITOR).
	Pool PoolConfig
	// ReadTimeout, when positive, fails a shared connection that sends no
	// reply for this long while commands wait (the commands are then
	// retried or failed). Contexts bound each command regardless.
	ReadTimeout time.Duration
	// WriteTimeout, when positive, bounds each write.
	WriteTimeout time.Duration
	// Reconnect decides the delay between connection attempts; the default
	// is ExponentialBackoff(DefaultBackoffBase, DefaultBackoffMax).
	Reconnect ReconnectStrategy
	// ReconnectOnError, when it returns true for a server error reply (such
	// as READONLY after a failover), makes the node reconnect. The command
	// that got the reply still returns it.
	ReconnectOnError func(err error) bool
	// OfflineQueueLimit bounds the commands waiting while no connection is
	// up; negative disables the offline queue (commands then fail at once
	// with ErrNotConnected).
	OfflineQueueLimit int
	// MaxRetries bounds how often an in-flight read-only command is sent
	// again after its connection dropped; negative disables retries.
	MaxRetries int
	// RetryWrites also retries commands that are not read-only. They may
	// then run twice on the server; opt in only for idempotent workloads.
	RetryWrites bool
	// OnEvent receives connection events; it must not block.
	OnEvent func(Event)
	// OnPush receives RESP3 push frames from the shared connections (such
	// as client-side cache invalidations); valid only during the call. It
	// runs in the connection's reader, in order with the replies. With
	// OnPush set, the shared connections read all the time (pushes come
	// while they are idle), so they have no direct path.
	OnPush func(resp.Value)
	// SpinWait bounds how long a caller alone on its connection (the
	// direct path) polls the socket for its reply before it blocks: waking a blocked goroutine's thread costs tens of
	// microseconds, often more than a nearby server takes to answer. One
	// goroutine of the process polls at a time, and polling stops for a
	// while after a reply takes longer (a distant server, a slow
	// command). 0 means DefaultSpinWait; negative disables polling (every
	// wait blocks at once, using no CPU while it waits).
	SpinWait time.Duration
	// AlwaysPipeline sends every command through the shared connections'
	// writer and reader goroutines, even a caller alone on its connection
	// (by default such a caller writes and reads on its own goroutine), and
	// keeps each connection's reader running while idle, as with OnPush: a
	// connection the server closes is noticed at once rather than when it
	// is next used.
	AlwaysPipeline bool
	// SharedSetup are commands added to the handshake of the shared
	// connections only (CLIENT TRACKING for client-side caching); each
	// must reply OK. They need RESP3.
	SharedSetup [][]string
	// Logger logs connection events when set.
	Logger *slog.Logger
	// CloseTimeout bounds how long Close waits for commands in flight.
	CloseTimeout time.Duration
}

// nodeCounts are a node's running totals.
type nodeCounts struct {
	direct     atomic.Int64 // calls run on their caller's goroutine
	queued     atomic.Int64 // calls handed to a writer goroutine
	goroutines atomic.Int64 // writer and reader goroutines started
	pushes     atomic.Int64 // push frames read on shared connections
	dials      atomic.Int64 // connections dialed (handshake done), shared or dedicated
	dialErrors atomic.Int64 // connection attempts that failed
	// sharedDials counts the shared connections dialed (handshake done).
	sharedDials atomic.Int64
}

// Node runs commands against one server. It implements Doer and is safe
// for concurrent use.
type Node struct {
	cfg  NodeConfig
	pool *Pool
	// offline holds commands issued while no shared connection is up.
	offline *queue
	// pins keeps commands of a slot behind its abandoned ones.
	pins slotPins
	// live is the shared connections that are up, for routing without mu.
	live atomic.Pointer[[]*pipe]
	// refused is the error every new command gets once the node closed or
	// gave up reconnecting.
	refused atomic.Pointer[error]
	// server is what the last handshake's HELLO said (nil before one).
	server atomic.Pointer[ServerInfo]
	counts nodeCounts
	// active counts the calls in progress on the shared connections: the
	// direct path is for a caller alone on the node.
	active atomic.Int32

	ctx    context.Context // ends when the node closes; bounds dials
	cancel context.CancelFunc

	mu      sync.Mutex // protects following fields
	pipes   []*pipe
	closed  bool
	fatal   error // a handshake refusal callers should see while down
	ended   error // the reconnect strategy gave up
	lastErr error // the last connection error, for ErrNotConnected
	// attempted is closed (and replaced) after every connection attempt.
	attempted chan struct{}
	// maintaining is set while the maintenance goroutine runs: it dials
	// the missing shared connections and exits once all are up.
	maintaining bool
	maintainers sync.WaitGroup
}

// NewNode returns a node and starts connecting in the background.
func NewNode(cfg NodeConfig) *Node {
	if cfg.Conns <= 0 {
		cfg.Conns = DefaultConns
	}
	if cfg.Reconnect == nil {
		cfg.Reconnect = ExponentialBackoff(DefaultBackoffBase, DefaultBackoffMax)
	}
	if cfg.OfflineQueueLimit == 0 {
		cfg.OfflineQueueLimit = DefaultOfflineQueueLimit
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	if cfg.CloseTimeout <= 0 {
		cfg.CloseTimeout = DefaultCloseTimeout
	}
	n := &Node{cfg: cfg, offline: newQueue(), attempted: make(chan struct{})}
	n.ctx, n.cancel = context.WithCancel(context.Background())
	n.pool = NewPool(cfg.Pool, n.dialDedicated)
	n.mu.Lock()
	n.startMaintainLocked()
	n.mu.Unlock()
	return n
}

// Addr returns the server address.
func (n *Node) Addr() string { return n.cfg.Dial.Addr }

// Server returns the server the node talks to, as the handshake of its
// latest connection named it (see ServerInfo): zero until a connection is
// up (Ready waits for one), and when the server did not answer HELLO.
// Commands built with syntax the server does not accept fail with
// *UnsupportedServerError, unsent.
func (n *Node) Server() ServerInfo {
	if s := n.server.Load(); s != nil {
		return *s
	}
	return ServerInfo{}
}

// Pool returns the node's pool of dedicated connections.
func (n *Node) Pool() *Pool { return n.pool }

// DedicatedConn returns a connection for exclusive use (WATCH, pub/sub,
// MONITOR, commands that change connection state); a node serves every
// slot. Release it when done.
func (n *Node) DedicatedConn(ctx context.Context, slot int) (*Conn, error) { return n.pool.Get(ctx) }

// Ready waits until a shared connection is up. It returns the error of the
// next connection attempt that fails meanwhile, or ctx's error.
func (n *Node) Ready(ctx context.Context) error {
	for {
		n.mu.Lock()
		up, closed, ended, attempted := len(n.pipes) > 0, n.closed, n.ended, n.attempted
		n.mu.Unlock()
		switch {
		case closed:
			return ErrClosed
		case ended != nil:
			return ended
		case up:
			return nil
		}
		select {
		case <-attempted:
			n.mu.Lock()
			up, last := len(n.pipes) > 0, n.lastErr
			n.mu.Unlock()
			if !up && last != nil {
				return last
			}
		case <-ctx.Done():
			return n.waitErr(ctx.Err())
		}
	}
}

// attemptDone wakes Ready callers after a connection attempt.
func (n *Node) attemptDone() {
	n.mu.Lock()
	close(n.attempted)
	n.attempted = make(chan struct{})
	n.mu.Unlock()
}

// Connected reports whether at least one shared connection is up. Idle
// connections are checked first (a non-blocking peek at each socket): on
// the direct path nobody reads them, so one the server closed is noticed
// only when looked at.
func (n *Node) Connected() bool {
	for _, p := range n.livePipes() {
		p.checkIdle()
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.pipes) > 0
}

// ConnStateError is returned for commands that would change the state of
// a shared connection (SELECT, MULTI, SUBSCRIBE, ...).
type ConnStateError struct{ Command string }

func (e *ConnStateError) Error() string {
	return fmt.Sprintf("transport: %s changes connection state and cannot run on shared connections; use a dedicated connection (or the client's option, transaction or subscriber helpers)", e.Command)
}

// checkShared refuses commands that cannot run on a shared connection:
// empty ones, which the server ignores without a reply (every later reply
// would go to the wrong caller), and those that change the connection's
// state or answer with other than one reply.
func checkShared(cmd *Command) error {
	if len(cmd.args) == 0 {
		return ErrEmptyCommand
	}
	if cmd.meta.Flags&(FlagConnState|FlagTransaction) != 0 || breaksSharedConn(cmd.args) {
		return &ConnStateError{Command: cmd.Name()}
	}
	return nil
}

// Do runs one command.
func (n *Node) Do(ctx context.Context, cmd *Command) error {
	if err := checkShared(cmd); err != nil {
		return err
	}
	if cmd.meta.Flags&FlagBlocking != 0 {
		return n.doDedicated(ctx, []*Command{cmd}, false)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	alone := n.active.Add(1) == 1
	defer n.active.Add(-1)
	g := cmd.beginWait()
	one := [1]*Command{cmd}
	if err := n.enqueue(ctx, alone, one[:], entry{cmd: cmd, gen: g}); err != nil {
		cmd.state.Store(stamp(g, stateIdle))
		return err
	}
	if err := cmd.wait(ctx, g, &n.pins); err != nil {
		return n.waitErr(err)
	}
	return cmd.err
}

// DoMulti runs commands as one pipeline: they are written together, and
// their outcomes are in each command's Err and Reply.
func (n *Node) DoMulti(ctx context.Context, cmds []*Command) error {
	if len(cmds) == 0 {
		return nil
	}
	for _, cmd := range cmds {
		if err := checkShared(cmd); err != nil {
			return err
		}
	}
	for _, cmd := range cmds {
		if cmd.meta.Flags&FlagBlocking != 0 {
			// Keep the order: run the whole pipeline on one dedicated
			// connection.
			return n.doDedicated(ctx, cmds, true)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	alone := n.active.Add(1) == 1
	defer n.active.Add(-1)
	m := getMultiCall(len(cmds))
	es := m.es
	for i, cmd := range cmds {
		es[i] = entry{cmd: cmd, gen: cmd.beginWait()}
		cmd.group = &m.grp
	}
	defer func() {
		for _, cmd := range cmds {
			cmd.group = nil
		}
	}()
	if err := n.enqueue(ctx, alone, cmds, es...); err != nil {
		for _, e := range es {
			e.cmd.state.Store(stamp(e.gen, stateIdle))
		}
		putMultiCall(m)
		return err
	}
	// One wake-up for the whole batch.
	select {
	case <-m.grp.ch:
		putMultiCall(m)
		return nil
	case <-ctx.Done():
	}
	for _, e := range es {
		if e.cmd.abandon(e.gen, &n.pins) {
			e.cmd.state.Store(stamp(e.gen+1<<stateGenShift, stateIdle))
			e.cmd.err = n.waitErr(ctx.Err())
		}
	}
	// Not pooled: commands that completed while the others were given up
	// may have signalled its group.
	return nil
}

// enqueue routes commands to a shared connection, or to the offline queue
// while none is up, or refuses them while the node is down in a way they
// cannot wait out. The commands of one call stay together, in order, on
// one connection; a caller alone on the node may run them directly.
func (n *Node) enqueue(ctx context.Context, alone bool, cmds []*Command, es ...entry) error {
	for {
		if err := n.refused.Load(); err != nil {
			return *err
		}
		p, wait := n.route(cmds)
		if wait != nil {
			// Their slots are pinned to different connections: wait for
			// an abandoned command's reply.
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if p == nil {
			err := n.enqueueOffline(es)
			if err == errOnline {
				continue // a connection came up meanwhile
			}
			return err
		}
		if p.submit(ctx, alone, es) == nil {
			return nil
		}
		// The connection failed after it was picked; its pins go away
		// with it. Route again.
		runtime.Gosched()
	}
}

// route picks the connection for commands: the one their slots are pinned
// to, else the least loaded one; nil when none is up. See slotPins for the
// channel returned when no connection can keep them in order yet.
func (n *Node) route(cmds []*Command) (*pipe, <-chan struct{}) {
	if n.pins.live.Load() > 0 {
		if p, wait := n.pins.pipeFor(cmds); p != nil || wait != nil {
			return p, wait
		}
	}
	return n.leastLoaded(), nil
}

// leastLoaded returns the shared connection with the fewest commands
// queued or in flight, or nil when none is up.
func (n *Node) leastLoaded() *pipe {
	pipes := n.livePipes()
	if len(pipes) == 0 {
		return nil
	}
	best := pipes[0]
	if len(pipes) > 1 {
		low := best.load.Load()
		for _, p := range pipes[1:] {
			if l := p.load.Load(); l < low {
				best, low = p, l
			}
		}
	}
	return best
}

// enqueueOffline queues commands while no shared connection is up.
func (n *Node) enqueueOffline(es []entry) error {
	n.mu.Lock()
	fatal, lastErr := n.fatal, n.lastErr
	n.mu.Unlock()
	if fatal != nil {
		return fatal
	}
	if n.cfg.OfflineQueueLimit < 0 {
		if n.offline.isOnline() {
			return errOnline
		}
		if lastErr != nil {
			return fmt.Errorf("%w: %w", ErrNotConnected, lastErr)
		}
		return ErrNotConnected
	}
	return n.offline.push(n.cfg.OfflineQueueLimit, es...)
}

// doDedicated runs commands on a connection from the pool. For DoMulti
// (multi), the outcomes are in each command's Err, even for one command,
// and the error returned only says that no connection could be had: the
// Doer contract.
func (n *Node) doDedicated(ctx context.Context, cmds []*Command, multi bool) error {
	c, err := n.pool.Get(ctx)
	if err != nil {
		return err
	}
	if multi {
		c.DoMulti(ctx, cmds) // records each command's outcome
	} else {
		err = c.Do(ctx, cmds[0])
	}
	c.Release()
	return err
}

// dial opens a connection for the shared pipes or the pool, reporting
// events.
func (n *Node) dial(ctx context.Context, shared bool) (*Conn, error) {
	cfg := &n.cfg.Dial
	if shared && len(n.cfg.SharedSetup) > 0 {
		withSetup := n.cfg.Dial
		withSetup.Setup = n.cfg.SharedSetup
		cfg = &withSetup
	}
	c, err := Dial(ctx, cfg)
	if err != nil {
		n.counts.dialErrors.Add(1)
		n.emit(Event{Type: EventError, Err: err})
		return nil, err
	}
	n.counts.dials.Add(1)
	if shared {
		n.counts.sharedDials.Add(1)
	}
	c.SetPushHandler(n.push)
	if s := n.server.Load(); s == nil || *s != c.server {
		server := c.server
		n.server.Store(&server)
	}
	n.emit(Event{Type: EventConnect})
	return c, nil
}

// dialDedicated dials for the pool, waiting out outages (like the offline
// queue) until ctx ends. Close stops it at once (ErrClosed).
func (n *Node) dialDedicated(ctx context.Context) (*Conn, error) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(n.ctx, cancel)
	defer func() {
		stop()
		cancel()
	}()
	for attempt := 1; ; attempt++ {
		c, err := n.dial(ctx, false)
		if err == nil {
			c.SetPushHandler(nil)
			return c, nil
		}
		if n.ctx.Err() != nil {
			return nil, ErrClosed
		}
		if n.cfg.OfflineQueueLimit < 0 || refusal(err) || ctx.Err() != nil {
			return nil, err
		}
		delay, retry := n.cfg.Reconnect(attempt, err)
		if !retry {
			return nil, err
		}
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			if n.ctx.Err() != nil {
				return nil, ErrClosed
			}
			return nil, withContextErr(ctx, err)
		}
	}
}

// refusal reports a handshake the server refused (wrong credentials, an
// unknown database): retrying quickly does not help, and waiting commands
// should see the error.
func refusal(err error) bool {
	var re *resp.Error
	var le *LoadingError
	if errors.As(err, &re) && !errors.As(err, &le) {
		return true
	}
	// TLS certificate problems (an unknown CA, a wrong host name, a
	// missing client certificate) do not go away by retrying either.
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	var alert tls.AlertError
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci) || errors.As(err, &alert)
}

// waitErr explains a context that ended while the node was down: the
// context's error, wrapped with the last connection error.
func (n *Node) waitErr(err error) error {
	n.mu.Lock()
	up, last := len(n.pipes) > 0, n.lastErr
	n.mu.Unlock()
	if up || last == nil {
		return err
	}
	return fmt.Errorf("%w (not connected: %v)", err, last)
}

// push forwards a push frame.
func (n *Node) push(v resp.Value) {
	n.counts.pushes.Add(1)
	if n.cfg.OnPush != nil {
		n.cfg.OnPush(v)
	}
}

// startMaintainLocked starts the maintenance goroutine unless it runs, the
// node closed or it gave up.
func (n *Node) startMaintainLocked() {
	if n.maintaining || n.closed || n.ended != nil {
		return
	}
	n.maintaining = true
	n.maintainers.Add(1)
	go n.maintain()
}

// maintain dials until cfg.Conns shared connections are up, then exits:
// an idle node runs no goroutine of its own.
func (n *Node) maintain() {
	defer n.maintainers.Done()
	attempt := 0
	for {
		n.mu.Lock()
		if n.closed || n.cfg.Conns-len(n.pipes) <= 0 {
			n.maintaining = false
			n.mu.Unlock()
			return
		}
		n.mu.Unlock()
		c, err := n.dial(n.ctx, true)
		if err == nil {
			p := newPipe(n, c)
			n.mu.Lock()
			if n.closed {
				n.maintaining = false
				n.mu.Unlock()
				c.Close()
				return
			}
			n.pipes = append(n.pipes, p)
			n.publishLocked()
			n.fatal = nil
			p.start()
			waiting := n.offline.setOnline(true)
			n.mu.Unlock()
			n.attemptDone()
			attempt = 0
			n.emit(Event{Type: EventReady})
			n.requeue(waiting, ErrClosed)
			continue
		}
		if n.ctx.Err() != nil {
			n.mu.Lock()
			n.maintaining = false
			n.mu.Unlock()
			return
		}
		n.mu.Lock()
		n.lastErr = err
		n.mu.Unlock()
		n.attemptDone()
		if refusal(err) {
			n.mu.Lock()
			n.fatal = err
			down := len(n.pipes) == 0
			n.mu.Unlock()
			if down {
				n.failQueued(err)
			}
		}
		attempt++
		delay, retry := n.cfg.Reconnect(attempt, err)
		if !retry {
			n.mu.Lock()
			n.ended = fmt.Errorf("transport: gave up reconnecting to %s after %d attempts: %w", n.cfg.Dial.Addr, attempt, err)
			ended := n.ended
			n.maintaining = false
			n.mu.Unlock()
			// New commands are refused from here on, even with a pipe left
			// up; closing the offline queue (rather than draining it) fails
			// a command that a caller queued just before: nothing would
			// ever reconnect to send it.
			n.refused.Store(&ended)
			failQueuedEntries(n.offline.close(ended), ended)
			n.emit(Event{Type: EventEnd, Err: ended})
			return
		}
		n.emit(Event{Type: EventReconnecting, Err: err, Attempt: attempt, Delay: delay})
		select {
		case <-time.After(delay):
		case <-n.ctx.Done():
			n.mu.Lock()
			n.maintaining = false
			n.mu.Unlock()
			return
		}
	}
}

// publishLocked makes the current pipes visible to routing.
func (n *Node) publishLocked() {
	live := append([]*pipe(nil), n.pipes...)
	n.live.Store(&live)
}

// failQueued fails every command waiting in the offline queue (never
// sent).
func (n *Node) failQueued(err error) { failQueuedEntries(n.offline.drain(), err) }

// failQueuedEntries fails the entries still queued (not abandoned by
// their callers) with err.
func failQueuedEntries(es []entry, err error) {
	for _, e := range es {
		if e.cmd.transition(e.gen, stateQueued, stateReading) {
			e.cmd.finish(e.gen, err)
		}
	}
}

// requeueUnsent puts back commands that a dying pipe marked sent but never
// wrote.
func (n *Node) requeueUnsent(es []entry) {
	var back []entry
	for _, e := range es {
		if e.cmd.transition(e.gen, stateSent, stateQueued) {
			back = append(back, e)
		}
	}
	n.requeue(back, ErrClosed)
}

// requeue routes commands again, at the head of the least loaded
// connection's queue (or of the offline queue), or fails them when the
// node is closing. Their callers still wait: no order with commands their
// callers gave up on binds them (a command issued after such a one
// returned went to its pinned connection, which is the one that failed),
// so pins do not route them, and their arguments are not read here, off
// their callers' goroutines.
func (n *Node) requeue(es []entry, err error) {
	if len(es) == 0 {
		return
	}
	for n.refused.Load() == nil {
		p := n.leastLoaded()
		var perr error
		if p == nil {
			perr = n.offline.pushFront(es)
		} else {
			perr = p.pushFront(es)
		}
		if perr == nil {
			return
		}
		if perr != errOnline && p == nil {
			break // the offline queue closed: the node is closing
		}
		runtime.Gosched() // a connection came up or failed meanwhile
	}
	failQueuedEntries(es, &ConnError{Addr: n.cfg.Dial.Addr, Err: err})
}

// failInflight handles the commands a connection had in flight when it
// failed: read-only ones (and all, with RetryWrites) are routed again up
// to MaxRetries times; the others fail, since they may have run.
func (n *Node) failInflight(es []entry, err error) {
	var retry []entry
	for _, e := range es {
		if !e.cmd.transition(e.gen, stateSent, stateReading) {
			continue // abandoned: its caller is gone
		}
		canRetry := n.cfg.MaxRetries > 0 && int(e.cmd.attempts) < n.cfg.MaxRetries &&
			(e.cmd.meta.Flags&FlagReadOnly != 0 || n.cfg.RetryWrites)
		if canRetry {
			e.cmd.attempts++
			e.cmd.state.Store(stamp(e.gen, stateQueued))
			retry = append(retry, e)
			continue
		}
		e.cmd.finish(e.gen, &ConnError{Addr: n.cfg.Dial.Addr, Err: err})
	}
	n.requeue(retry, err)
}

// pipeDied removes a failed pipe and wakes the maintenance goroutine.
func (n *Node) pipeDied(p *pipe, err error) {
	n.mu.Lock()
	for i, q := range n.pipes {
		if q == p {
			n.pipes = append(n.pipes[:i], n.pipes[i+1:]...)
			break
		}
	}
	n.publishLocked()
	if len(n.pipes) == 0 {
		n.offline.setOnline(false)
	}
	closed := n.closed
	n.startMaintainLocked()
	n.mu.Unlock()
	if !closed {
		n.emit(Event{Type: EventClose, Err: err})
	}
}

// inflight counts the commands written to the shared connections and
// awaiting replies.
func (n *Node) inflight() int {
	total := 0
	for _, p := range n.livePipes() {
		_, in := p.pending()
		total += in
	}
	return total
}

// busy reports whether a shared connection has commands queued, being
// written or awaiting replies.
func (n *Node) busy() bool {
	for _, p := range n.livePipes() {
		if p.busy() {
			return true
		}
	}
	return false
}

// livePipes returns the shared connections that are up.
func (n *Node) livePipes() []*pipe {
	if live := n.live.Load(); live != nil {
		return *live
	}
	return nil
}

// Close stops the node: dials stop, dedicated connections close (their
// callers get ErrClosed), queued commands that were never sent fail with
// ErrClosed, commands in flight on the shared connections get CloseTimeout
// to complete, then every connection closes. Nothing is sent after Close
// returns. Close waits for the node's goroutines to exit.
func (n *Node) Close() error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return nil
	}
	n.closed = true
	n.mu.Unlock()
	n.refused.Store(&errClosed)
	n.cancel()
	n.pool.Close()
	failQueuedEntries(n.offline.close(ErrClosed), ErrClosed)
	for _, p := range n.livePipes() {
		failQueuedEntries(p.closeQueue(), ErrClosed)
	}
	deadline := time.Now().Add(n.cfg.CloseTimeout)
	for n.busy() && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	n.mu.Lock()
	// A copy: pipeDied removes pipes from n.pipes in place meanwhile.
	pipes := append([]*pipe(nil), n.pipes...)
	n.mu.Unlock()
	for _, p := range pipes {
		p.close()
	}
	n.maintainers.Wait()
	n.mu.Lock()
	ended := n.ended
	n.mu.Unlock()
	if ended == nil { // else maintain reported the end already
		n.emit(Event{Type: EventEnd})
	}
	return nil
}

// errClosed is ErrClosed, addressable for Node.refused.
var errClosed = ErrClosed
