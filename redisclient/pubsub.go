package redisclient

// This file holds the Subscriber: SUBSCRIBE, PSUBSCRIBE and SSUBSCRIBE on
// dedicated connections, messages on a channel and/or a callback, explicit
// backpressure, health checks, and resubscription after reconnects with a
// gap notice to the application.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// Subscriber defaults.
const (
	DefaultSubscriberBuffer   = 1024
	DefaultHealthCheckEvery   = 30 * time.Second
	DefaultHealthCheckTimeout = 5 * time.Second
)

// OverflowPolicy says what a Subscriber does with a message when its buffer
// is full.
type OverflowPolicy int

const (
	// OverflowBlock stops reading until the application takes messages:
	// nothing is dropped by the client; the server buffers, and may close a
	// subscriber that stays too slow (client-output-buffer-limit pubsub),
	// which the application sees as a gap.
	OverflowBlock OverflowPolicy = iota
	// OverflowDropNewest drops the incoming message and counts it.
	OverflowDropNewest
	// OverflowDropOldest drops the oldest buffered message and counts it.
	OverflowDropOldest
)

// SubscriberOptions configure a Subscriber. Zero values mean the defaults.
type SubscriberOptions struct {
	// BufferSize bounds the Messages channel.
	BufferSize int
	// Overflow is the policy when the buffer is full.
	Overflow OverflowPolicy
	// OnMessage, when set, receives every message in the reading goroutine
	// instead of the Messages channel. It must return quickly: it holds up
	// the connection. It must not close the subscriber or its client,
	// which wait for it.
	OnMessage func(Message)
	// HealthCheckEvery sends PING after this much silence; HealthCheckTimeout
	// bounds the wait for its answer, after which the connection is
	// replaced. Negative HealthCheckEvery disables health checks.
	HealthCheckEvery, HealthCheckTimeout time.Duration
	// Reconnect is the delay between reconnection attempts (default:
	// exponential backoff with jitter); returning false stops the
	// subscriber.
	Reconnect func(attempt int, err error) (time.Duration, bool)
}

// MessageKind says what a Message is.
type MessageKind int

// Message kinds.
const (
	// KindMessage is a message on a subscribed channel.
	KindMessage MessageKind = iota + 1
	// KindPMessage is a message on a channel matching a subscribed pattern.
	KindPMessage
	// KindSMessage is a message on a subscribed shard channel.
	KindSMessage
	// KindGap reports a lost connection: messages published until the
	// subscriptions were restored are lost. Err says why.
	KindGap
)

// Message is a published message or a gap notice. Payload is
// binary-safe.
type Message struct {
	Kind    MessageKind
	Channel string
	Pattern string
	Payload string
	Err     error
}

// subKind is one of the three subscription families.
type subKind int

const (
	subChannel subKind = iota
	subPattern
	subShard
)

var (
	subCommands   = [...]string{"SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE"}
	unsubCommands = [...]string{"UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE"}
)

// ErrSubscriberClosed is returned by a closed Subscriber.
var ErrSubscriberClosed = errors.New("redisclient: subscriber closed")

// errSubscriberClientClosed is returned by a Subscriber that its client's
// Close ended.
var errSubscriberClientClosed error = &closedError{
	msg:     "redisclient: subscriber closed: client closed",
	matches: []error{ErrSubscriberClosed, ErrClientClosed},
}

// Subscriber receives published messages. Create it with
// Client.NewSubscriber; it is safe for concurrent use. Its connections and
// goroutines last until Close, or until the client's Close, which ends it
// too. A closed subscriber's Messages channel is closed and its methods
// return ErrSubscriberClosed; when the client's Close ended it, the error
// matches ErrClientClosed as well.
type Subscriber struct {
	c     *Client
	opts  SubscriberOptions
	msgs  chan Message
	stop  chan struct{} // closed when close starts
	ended chan struct{} // closed when close has finished
	// stopCtx ends when close starts: it bounds the following of moved
	// shard channels, which outlives the link they moved from.
	stopCtx context.Context
	cancel  context.CancelFunc

	dropped atomic.Uint64

	mu       sync.Mutex          // protects following fields
	links    map[*subLink]string // each link with the address it serves
	subs     [3]map[string]*subLink
	closed   bool
	closeErr error // what calls return once closed
	wg       sync.WaitGroup
}

// NewSubscriber returns a subscriber on the client. It connects when it
// first subscribes. On a closed client it returns a closed subscriber,
// without connecting or starting anything.
func (c *Client) NewSubscriber(opts SubscriberOptions) *Subscriber {
	if opts.BufferSize <= 0 {
		opts.BufferSize = DefaultSubscriberBuffer
	}
	if opts.HealthCheckEvery == 0 {
		opts.HealthCheckEvery = DefaultHealthCheckEvery
	}
	if opts.HealthCheckTimeout <= 0 {
		opts.HealthCheckTimeout = DefaultHealthCheckTimeout
	}
	if opts.Reconnect == nil {
		opts.Reconnect = transport.ExponentialBackoff(transport.DefaultBackoffBase, transport.DefaultBackoffMax)
	}
	s := &Subscriber{c: c, opts: opts, links: map[*subLink]string{}, stop: make(chan struct{}), ended: make(chan struct{})}
	s.stopCtx, s.cancel = context.WithCancel(context.Background())
	if opts.OnMessage == nil {
		s.msgs = make(chan Message, opts.BufferSize)
	}
	for i := range s.subs {
		s.subs[i] = map[string]*subLink{}
	}
	if err := c.track(s); err != nil {
		// The client is closed: so is the subscriber, from the start.
		s.closed, s.closeErr = true, errSubscriberClientClosed
		close(s.stop)
		s.cancel()
		if s.msgs != nil {
			close(s.msgs)
		}
		close(s.ended)
	}
	return s
}

// Messages returns the channel messages arrive on (nil with OnMessage). It
// is closed by Close.
func (s *Subscriber) Messages() <-chan Message { return s.msgs }

// countDrop counts a message the overflow policy dropped, on the
// subscriber and on its client (Stats.PubSubDropped).
func (s *Subscriber) countDrop() {
	s.dropped.Add(1)
	s.c.pubsubDropped.Add(1)
}

// Dropped returns how many messages the overflow policy dropped.
func (s *Subscriber) Dropped() uint64 { return s.dropped.Load() }

// Subscribe subscribes to channels and waits for the server to confirm.
func (s *Subscriber) Subscribe(ctx context.Context, channels ...string) error {
	return s.subscribe(ctx, subChannel, channels)
}

// PSubscribe subscribes to channel patterns.
func (s *Subscriber) PSubscribe(ctx context.Context, patterns ...string) error {
	return s.subscribe(ctx, subPattern, patterns)
}

// SSubscribe subscribes to shard channels (on the node that owns each
// channel's slot in a cluster).
func (s *Subscriber) SSubscribe(ctx context.Context, channels ...string) error {
	return s.subscribe(ctx, subShard, channels)
}

// Unsubscribe unsubscribes from channels (all of them when none are
// given).
func (s *Subscriber) Unsubscribe(ctx context.Context, channels ...string) error {
	return s.unsubscribe(ctx, subChannel, channels)
}

// PUnsubscribe unsubscribes from patterns (all when none are given).
func (s *Subscriber) PUnsubscribe(ctx context.Context, patterns ...string) error {
	return s.unsubscribe(ctx, subPattern, patterns)
}

// SUnsubscribe unsubscribes from shard channels (all when none are given).
func (s *Subscriber) SUnsubscribe(ctx context.Context, channels ...string) error {
	return s.unsubscribe(ctx, subShard, channels)
}

// slotOf is the slot a subscription is made on: the channel's slot for
// shard channels, any node otherwise.
func (s *Subscriber) slotOf(kind subKind, name string) int {
	if kind != subShard {
		return -1
	}
	return int(transport.Slot(name))
}

func (s *Subscriber) subscribe(ctx context.Context, kind subKind, names []string) error {
	if len(names) == 0 {
		return fmt.Errorf("redisclient: %s needs at least one name", subCommands[kind])
	}
	// One command per slot for shard channels (a server refuses channels
	// of several slots in one SSUBSCRIBE), one per link otherwise.
	slots := map[int][]string{}
	var order []int
	for _, name := range names {
		slot := s.slotOf(kind, name)
		if _, ok := slots[slot]; !ok {
			order = append(order, slot)
		}
		slots[slot] = append(slots[slot], name)
	}
	for _, slot := range order {
		if err := s.subscribeSlot(ctx, kind, slot, slots[slot]); err != nil {
			return err
		}
	}
	return nil
}

// maxShardRedirects bounds how often a shard subscription follows a
// MOVED reply before the error is returned.
const maxShardRedirects = 3

// subscribeSlot subscribes names, which share slot, on the link serving
// it. A MOVED reply (the router's map was stale) refreshes the router and
// tries again on the slot's new owner.
func (s *Subscriber) subscribeSlot(ctx context.Context, kind subKind, slot int, names []string) error {
	for redirects := 0; ; redirects++ {
		l, err := s.linkFor(ctx, slot)
		if err != nil {
			return err
		}
		// Record the names before sending: a reconnection that happens
		// before the confirmations then restores them (and confirms them).
		s.mu.Lock()
		for _, name := range names {
			s.subs[kind][name] = l
		}
		s.mu.Unlock()
		err = l.subscribe(ctx, kind, names)
		if err == nil {
			return nil
		}
		var re *resp.Error
		if !errors.As(err, &re) {
			return err
		}
		// The server refused (an ACL, a moved slot): nothing to restore.
		s.mu.Lock()
		for _, name := range names {
			if s.subs[kind][name] == l {
				delete(s.subs[kind], name)
			}
		}
		s.mu.Unlock()
		if re.Prefix() != "MOVED" || redirects >= maxShardRedirects {
			return err
		}
		s.refreshRouter(l.stopCtx)
	}
}

// refreshRouter asks a router that keeps a slot map (a cluster router) to
// reload it.
func (s *Subscriber) refreshRouter(ctx context.Context) {
	if r, ok := s.c.Router().(interface{ Refresh(context.Context) error }); ok {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		r.Refresh(ctx)
		cancel()
	}
}

// slotOwner returns the address of the node serving slot, when the router
// keeps a slot map.
func (s *Subscriber) slotOwner(slot int) (string, bool) {
	r, ok := s.c.Router().(interface {
		NodeForSlot(int) (*transport.Node, error)
	})
	if !ok {
		return "", false
	}
	n, err := r.NodeForSlot(slot)
	if err != nil {
		return "", false
	}
	return n.Addr(), true
}

func (s *Subscriber) unsubscribe(ctx context.Context, kind subKind, names []string) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return s.closeErr
	}
	groups := map[*subLink][]string{}
	if len(names) == 0 {
		for name, l := range s.subs[kind] {
			groups[l] = append(groups[l], name)
		}
	} else {
		for _, name := range names {
			if l, ok := s.subs[kind][name]; ok {
				groups[l] = append(groups[l], name)
			}
		}
	}
	for _, group := range groups {
		for _, name := range group {
			delete(s.subs[kind], name)
		}
	}
	s.mu.Unlock()
	for l, group := range groups {
		if l == nil {
			continue // moved shard channels not subscribed again yet
		}
		if err := l.unsubscribe(ctx, kind, group); err != nil {
			return err
		}
	}
	return nil
}

// linkFor returns the link to the node serving slot, connecting it if
// needed. Any live link serves a negative slot.
func (s *Subscriber) linkFor(ctx context.Context, slot int) (*subLink, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, s.closeErr
	}
	for l := range s.links {
		if !l.alive() {
			delete(s.links, l) // its reconnection gave up
			continue
		}
		if slot < 0 {
			s.mu.Unlock()
			return l, nil
		}
	}
	s.mu.Unlock()
	conn, err := s.c.DedicatedConn(ctx, slot)
	if errors.Is(err, ErrClientClosed) {
		// The client's Close is ending this subscriber.
		return nil, errSubscriberClientClosed
	}
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		conn.Release()
		return nil, s.closeErr
	}
	for l, addr := range s.links {
		if addr == conn.Addr() && l.alive() {
			conn.Release() // the node already has a link
			return l, nil
		}
	}
	l := newSubLink(s, conn, slot)
	s.links[l] = conn.Addr()
	s.wg.Add(1)
	go l.run()
	return l, nil
}

// deliver hands a message to the application under the overflow policy.
// It returns false when the subscriber is closing. A gap notice is never
// the message OverflowDropNewest drops: it displaces the oldest message,
// so that the application learns about the gap.
func (s *Subscriber) deliver(m Message, stop <-chan struct{}) bool {
	if s.opts.OnMessage != nil {
		s.opts.OnMessage(m)
		return true
	}
	policy := s.opts.Overflow
	if m.Kind == KindGap && policy == OverflowDropNewest {
		policy = OverflowDropOldest
	}
	switch policy {
	case OverflowDropNewest:
		select {
		case s.msgs <- m:
		default:
			s.countDrop()
		}
		return true
	case OverflowDropOldest:
		for {
			select {
			case s.msgs <- m:
				return true
			default:
			}
			select {
			case <-s.msgs:
				s.countDrop()
			default:
			}
		}
	}
	select {
	case s.msgs <- m:
		return true
	case <-stop:
		return false
	}
}

// closeUnsubscribeWait bounds how long Close waits for the server to
// confirm that it unsubscribed everything.
const closeUnsubscribeWait = time.Second

// Close unsubscribes everything, closes the connections and the Messages
// channel, and waits for the subscriber's goroutines. Later calls return
// ErrSubscriberClosed; Close itself is idempotent.
func (s *Subscriber) Close() error {
	// Unsubscribing first, and waiting for the server's confirmations,
	// means a PUBLISH issued after Close returns reaches no subscription of
	// this subscriber: closing the connection alone leaves the server to
	// notice the close in its own time. A server that does not confirm
	// within closeUnsubscribeWait is left to notice the close instead.
	ctx, cancel := context.WithTimeout(context.Background(), closeUnsubscribeWait)
	for kind := range s.subs {
		if s.unsubscribe(ctx, subKind(kind), nil) != nil {
			break
		}
	}
	cancel()
	s.close(ErrSubscriberClosed)
	s.c.untrack(s)
	return nil
}

// closeByClient ends the subscriber for Client.Close.
func (s *Subscriber) closeByClient() { s.close(errSubscriberClientClosed) }

// close ends the subscriber; later calls return why. A call while another
// one closes waits for it to finish.
func (s *Subscriber) close(why error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		<-s.ended
		return
	}
	s.closed, s.closeErr = true, why
	links := s.links
	s.links = map[*subLink]string{}
	s.mu.Unlock()
	close(s.stop)
	s.cancel()
	for l := range links {
		l.close()
	}
	s.wg.Wait()
	if s.msgs != nil {
		close(s.msgs)
	}
	close(s.ended)
}

// closedErr returns what calls on the closed subscriber return.
func (s *Subscriber) closedErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closeErr
}

// errLinkEnded is returned to callers waiting on a link whose reconnection
// strategy gave up.
var errLinkEnded = errors.New("redisclient: subscriber connection lost and not restored")

// subLink is the subscriber's connection to one node. Its run goroutine
// owns the connection's life: it reads, and replaces the connection after
// a failure; conn is nil while it reconnects.
type subLink struct {
	s    *Subscriber
	slot int
	stop chan struct{} // closed by close
	dead chan struct{} // closed when run exits
	// stopCtx ends with close: it bounds reconnection attempts.
	stopCtx context.Context
	cancel  context.CancelFunc

	wmu  sync.Mutex // serializes writes and guards conn
	conn *transport.Conn

	pmu     sync.Mutex // protects following fields
	pending map[string][]*subWaiter
	lastIn  time.Time
	hcErr   error // why the health check closed the connection
}

// subWaiter is a caller waiting for a (un)subscription confirmation.
type subWaiter struct {
	key      string // in subLink.pending
	done     chan struct{}
	err      error
	finished bool
}

func newSubLink(s *Subscriber, conn *transport.Conn, slot int) *subLink {
	l := &subLink{s: s, conn: conn, slot: slot, stop: make(chan struct{}), dead: make(chan struct{}),
		pending: map[string][]*subWaiter{}, lastIn: time.Now()}
	l.stopCtx, l.cancel = context.WithCancel(context.Background())
	return l
}

// alive reports whether the link still serves (or restores) its
// subscriptions.
func (l *subLink) alive() bool {
	select {
	case <-l.dead:
		return false
	default:
		return true
	}
}

func pendingKey(command, name string) string { return command + "\x00" + name }

// subscriptionCommand returns command (SUBSCRIBE, PING, ...) with the
// given names as its arguments. The caller releases it.
func subscriptionCommand(command string, names []string) *transport.Command {
	args := make([]transport.Arg, 0, 1+len(names))
	args = append(args, transport.String(command))
	for _, n := range names {
		args = append(args, transport.String(n))
	}
	return transport.NewCommand(transport.Meta{Flags: transport.FlagPubSub | transport.FlagConnState}, args...)
}

// send writes one command with the given names. It returns false, and
// writes nothing, while the link reconnects: the resubscription then sends
// the subscriptions as they are.
func (l *subLink) send(ctx context.Context, command string, names []string) (bool, error) {
	cmd := subscriptionCommand(command, names)
	defer cmd.Release()
	return l.sendCommand(ctx, cmd)
}

// sendCommand is send for a command already built.
func (l *subLink) sendCommand(ctx context.Context, cmd *transport.Command) (bool, error) {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	if l.conn == nil {
		return false, nil
	}
	return true, l.conn.Send(ctx, cmd)
}

// expect registers waiters for the confirmations of command for names.
func (l *subLink) expect(command string, names []string) []*subWaiter {
	waits := make([]*subWaiter, len(names))
	l.pmu.Lock()
	for i, n := range names {
		k := pendingKey(command, n)
		w := &subWaiter{key: k, done: make(chan struct{})}
		l.pending[k] = append(l.pending[k], w)
		waits[i] = w
	}
	l.pmu.Unlock()
	return waits
}

// finishLocked completes a waiter once.
func (w *subWaiter) finishLocked(err error) {
	if !w.finished {
		w.finished, w.err = true, err
		close(w.done)
	}
}

// forget completes waiters that no confirmation will come for (or that
// nobody waits for any more), and removes them.
func (l *subLink) forget(waits []*subWaiter) {
	l.pmu.Lock()
	defer l.pmu.Unlock()
	for _, w := range waits {
		w.finishLocked(nil)
		ws := l.pending[w.key]
		for i, x := range ws {
			if x == w {
				ws = append(ws[:i], ws[i+1:]...)
				break
			}
		}
		if len(ws) == 0 {
			delete(l.pending, w.key)
		} else {
			l.pending[w.key] = ws
		}
	}
}

// wait waits for the waiters' confirmations.
func (l *subLink) wait(ctx context.Context, waits []*subWaiter) error {
	for _, w := range waits {
		var err error
		select {
		case <-w.done:
			err = w.err
		case <-ctx.Done():
			err = ctx.Err()
		case <-l.stop:
			err = l.s.closedErr()
		case <-l.dead:
			err = errLinkEnded
		}
		if err != nil {
			l.forget(waits)
			return err
		}
	}
	return nil
}

// subscribe sends the command and waits for every confirmation, under
// the client's hooks (which see the command and, when it is done, the
// call's error). When the connection fails meanwhile, the resubscription
// after the reconnection sends the names again (the subscriber recorded
// them), and its confirmations count.
func (l *subLink) subscribe(ctx context.Context, kind subKind, names []string) error {
	cmd := subscriptionCommand(subCommands[kind], names)
	defer cmd.Release()
	return l.s.c.observed(ctx, []*transport.Command{cmd}, func(ctx context.Context) error {
		waits := l.expect(subCommands[kind], names)
		if _, err := l.sendCommand(ctx, cmd); err != nil && ctx.Err() != nil {
			return err
		}
		return l.wait(ctx, waits)
	})
}

// unsubscribe sends the command and waits for every confirmation, under
// the client's hooks, so that no message of those channels arrives after
// it returns. A lost connection unsubscribes too: the names are no longer
// restored.
func (l *subLink) unsubscribe(ctx context.Context, kind subKind, names []string) error {
	if len(names) == 0 {
		return nil
	}
	cmd := subscriptionCommand(unsubCommands[kind], names)
	defer cmd.Release()
	return l.s.c.observed(ctx, []*transport.Command{cmd}, func(ctx context.Context) error {
		waits := l.expect(unsubCommands[kind], names)
		sent, err := l.sendCommand(ctx, cmd)
		switch {
		case err != nil && ctx.Err() != nil:
			return err
		case err == nil && !sent:
			l.forget(waits) // reconnecting: not resubscribed
			return nil
		}
		// A failed write fails the connection: lost completes the waiters.
		return l.wait(ctx, waits)
	})
}

// confirmed wakes the callers waiting for a confirmation; it reports
// whether there were any.
func (l *subLink) confirmed(command, name string) bool {
	return l.completeWaiters(pendingKey(command, name), nil)
}

// refused fails every waiter with the server's error reply (which does
// not say which names it is about).
func (l *subLink) refused(err error) {
	l.pmu.Lock()
	defer l.pmu.Unlock()
	for k, ws := range l.pending {
		for _, w := range ws {
			w.finishLocked(err)
		}
		delete(l.pending, k)
	}
}

// lost completes the unsubscription waiters after the connection was
// lost (which unsubscribed everything); subscription waiters keep waiting
// for the resubscription.
func (l *subLink) lost() {
	l.pmu.Lock()
	defer l.pmu.Unlock()
	for k, ws := range l.pending {
		for _, cmd := range unsubCommands {
			if strings.HasPrefix(k, cmd+"\x00") {
				for _, w := range ws {
					w.finishLocked(nil)
				}
				delete(l.pending, k)
				break
			}
		}
	}
}

// run reads the link's frames until the subscriber closes, reconnecting
// and resubscribing when the connection is lost.
func (l *subLink) run() {
	defer l.s.wg.Done()
	defer close(l.dead)
	for {
		err := l.readUntilError(l.conn)
		// The connection may be healthy (Close): close it rather than
		// return a subscribed connection to the pool.
		l.dropConn()
		l.lost()
		select {
		case <-l.stop:
			return
		default:
		}
		if !l.s.deliver(Message{Kind: KindGap, Err: err}, l.stop) {
			return
		}
		if !l.reconnect(err) {
			return
		}
	}
}

// readUntilError reads frames from conn, dispatching messages and
// confirmations, with health checks, until the connection fails.
func (l *subLink) readUntilError(conn *transport.Conn) error {
	if every := l.s.opts.HealthCheckEvery; every > 0 {
		health := make(chan struct{})
		var hc sync.WaitGroup
		hc.Add(1)
		go func() {
			defer hc.Done()
			l.healthCheck(conn, health)
		}()
		defer func() {
			close(health)
			hc.Wait()
		}()
	}
	var r resp.Reply
	for {
		if err := conn.ReceiveAny(context.Background(), &r); err != nil {
			l.pmu.Lock()
			if l.hcErr != nil {
				err, l.hcErr = l.hcErr, nil
			}
			l.pmu.Unlock()
			return err
		}
		l.pmu.Lock()
		l.lastIn = time.Now()
		l.pmu.Unlock()
		if !l.dispatch(r.Value()) {
			return ErrSubscriberClosed
		}
	}
}

// healthCheck sends PING after silence and closes conn when no frame
// answers in time.
func (l *subLink) healthCheck(conn *transport.Conn, done <-chan struct{}) {
	every, timeout := l.s.opts.HealthCheckEvery, l.s.opts.HealthCheckTimeout
	t := time.NewTicker(max(every/2, time.Millisecond))
	defer t.Stop()
	var pingAt time.Time
	for {
		select {
		case <-done:
			return
		case <-l.stop:
			return
		case now := <-t.C:
			l.pmu.Lock()
			last := l.lastIn
			l.pmu.Unlock()
			switch {
			case !pingAt.IsZero() && last.Before(pingAt) && now.Sub(pingAt) > timeout:
				// Dead: the reader sees the error and reconnects.
				l.pmu.Lock()
				l.hcErr = fmt.Errorf("redisclient: subscriber health check: no reply to PING within %v", timeout)
				l.pmu.Unlock()
				conn.Close()
				return
			case now.Sub(last) >= every && (pingAt.IsZero() || last.After(pingAt)):
				pingAt = now
				ctx, cancel := context.WithTimeout(context.Background(), timeout)
				l.send(ctx, "PING", nil)
				cancel()
			}
		}
	}
}

// dispatch handles one frame. It returns false when the subscriber is
// closing.
func (l *subLink) dispatch(v resp.Value) bool {
	switch v.Kind() {
	case resp.KindPush, resp.KindArray:
	case resp.KindSimpleError, resp.KindBulkError:
		if err := v.Err(); !l.redirected(err) {
			l.refused(err)
		}
		return true
	default:
		return true // PING's reply in RESP3, or another plain reply
	}
	first := v.First()
	kind := first.Text()
	second := first.Next()
	switch kind {
	case "message", "smessage":
		k := KindMessage
		if kind == "smessage" {
			k = KindSMessage
		}
		return l.s.deliver(Message{Kind: k, Channel: second.Text(), Payload: second.Next().Text()}, l.stop)
	case "pmessage":
		ch := second.Next()
		return l.s.deliver(Message{Kind: KindPMessage, Pattern: second.Text(), Channel: ch.Text(), Payload: ch.Next().Text()}, l.stop)
	case "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe":
		if second.Kind() == resp.KindNull {
			break
		}
		name := second.Text()
		if !l.confirmed(strings.ToUpper(kind), name) && kind == "sunsubscribe" {
			// Not an SUNSUBSCRIBE of ours: a cluster node ends the shard
			// subscriptions of a slot that left it.
			l.s.shardMoved(l, name)
		}
	}
	return true
}

// resubscribeShard makes one attempt to subscribe to a moved shard
// channel on the node that serves its slot now. It reports true when the
// channel no longer needs following: subscribed, or unsubscribed (or
// subscribed again) by the application meanwhile.
func (s *Subscriber) resubscribeShard(ctx context.Context, name string) (bool, error) {
	l, err := s.linkFor(ctx, s.slotOf(subShard, name))
	if err != nil {
		return false, err
	}
	s.mu.Lock()
	if cur, ok := s.subs[subShard][name]; !ok || cur != nil {
		s.mu.Unlock()
		return true, nil
	}
	s.subs[subShard][name] = l
	s.mu.Unlock()
	if err := l.subscribe(ctx, subShard, []string{name}); err != nil {
		s.mu.Lock()
		if s.subs[subShard][name] == l {
			s.subs[subShard][name] = nil // still to follow
		}
		s.mu.Unlock()
		return false, err
	}
	return true, nil
}

// errShardMoved is the cause of the gap notice for a shard channel whose
// slot moved.
var errShardMoved = errors.New("the server ended the subscription (the channel's slot moved to another node)")

// shardMoved follows a shard channel the server unsubscribed l from
// (Redis does when the channel's slot moves to another node): a gap
// notice, then SSUBSCRIBE on the slot's new owner.
func (s *Subscriber) shardMoved(l *subLink, name string) {
	s.mu.Lock()
	if s.closed || s.subs[subShard][name] != l {
		s.mu.Unlock()
		return // unsubscribed meanwhile, or already followed
	}
	// No link: not restored on l, wanted still (Unsubscribe removes it).
	s.subs[subShard][name] = nil
	s.wg.Add(1)
	s.mu.Unlock()
	go s.followShard(name)
}

// followShard subscribes to a moved shard channel again, with the
// reconnection strategy's delays, until it succeeds, the subscriber
// closes, the application subscribes or unsubscribes it meanwhile, or the
// strategy gives up. It is bound to the subscriber, not to the link the
// channel moved from, which may be gone meanwhile.
func (s *Subscriber) followShard(name string) {
	defer s.wg.Done()
	if !s.deliver(Message{Kind: KindGap, Channel: name, Err: fmt.Errorf("redisclient: shard channel %q: %w; messages may be lost until it is subscribed again", name, errShardMoved)}, s.stop) {
		return
	}
	cause := errShardMoved
	for attempt := 1; ; attempt++ {
		// The router learns where the slot went (a cluster router can be
		// asked to reload its topology).
		s.refreshRouter(s.stopCtx)
		ctx, cancel := context.WithTimeout(s.stopCtx, 10*time.Second)
		done, err := s.resubscribeShard(ctx, name)
		cancel()
		if done || errors.Is(err, ErrSubscriberClosed) || s.stopCtx.Err() != nil {
			return
		}
		cause = err
		delay, retry := s.opts.Reconnect(attempt, cause)
		if !retry {
			s.deliver(Message{Kind: KindGap, Channel: name, Err: fmt.Errorf("redisclient: shard channel %q: gave up subscribing again: %w", name, cause)}, s.stop)
			return
		}
		timer := time.NewTimer(delay)
		select {
		case <-timer.C:
		case <-s.stop:
			timer.Stop()
			return
		}
	}
}

// reconnect replaces the connection after err and restores the link's
// subscriptions. It returns false when the subscriber closed, the client
// closed, or the strategy gave up.
func (l *subLink) reconnect(cause error) bool {
	for attempt := 1; ; attempt++ {
		delay, retry := l.s.opts.Reconnect(attempt, cause)
		if !retry {
			l.s.deliver(Message{Kind: KindGap, Err: fmt.Errorf("redisclient: subscriber gave up reconnecting: %w", cause)}, l.stop)
			return false
		}
		timer := time.NewTimer(delay)
		select {
		case <-timer.C:
		case <-l.stop:
			timer.Stop()
			return false
		}
		ctx, cancel := context.WithTimeout(l.stopCtx, 10*time.Second)
		conn, err := l.s.c.DedicatedConn(ctx, l.homeSlot())
		cancel()
		if err != nil {
			select {
			case <-l.stop:
				return false
			default:
			}
			if errors.Is(err, transport.ErrClosed) { // ErrClientClosed matches it too
				l.s.deliver(Message{Kind: KindGap, Err: fmt.Errorf("redisclient: subscriber stopped: %w", err)}, l.stop)
				return false
			}
			cause = err
			continue
		}
		l.wmu.Lock()
		select {
		case <-l.stop:
			// Closed meanwhile: close did not see this connection.
			l.wmu.Unlock()
			conn.Close()
			conn.Release()
			return false
		default:
		}
		l.conn = conn
		l.wmu.Unlock()
		l.s.mu.Lock()
		if _, ok := l.s.links[l]; ok {
			l.s.links[l] = conn.Addr() // it may be another node now
		}
		l.s.mu.Unlock()
		if err := l.resubscribe(); err != nil {
			cause = err
			l.dropConn()
			continue
		}
		return true
	}
}

// homeSlot is the slot the link reconnects for: that of one of its shard
// channels (the slot it was opened for may have moved away with its
// channel), else the one it was opened for.
func (l *subLink) homeSlot() int {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	for name, owner := range l.s.subs[subShard] {
		if owner == l {
			return l.s.slotOf(subShard, name)
		}
	}
	return l.slot
}

// resubscribe sends the subscriptions this link serves: one command per
// kind, and one per slot for shard channels. Shard channels whose slot the
// router places on another node than the one reached are followed there.
func (l *subLink) resubscribe() error {
	l.s.mu.Lock()
	var names [3][]string
	shards := map[int][]string{}
	for kind := range l.s.subs {
		for name, owner := range l.s.subs[kind] {
			switch {
			case owner != l:
			case subKind(kind) == subShard:
				slot := l.s.slotOf(subShard, name)
				shards[slot] = append(shards[slot], name)
			default:
				names[kind] = append(names[kind], name)
			}
		}
	}
	l.s.mu.Unlock()
	ctx, cancel := context.WithTimeout(l.stopCtx, 10*time.Second)
	defer cancel()
	for kind, ns := range names {
		if len(ns) == 0 {
			continue
		}
		if _, err := l.send(ctx, subCommands[kind], ns); err != nil {
			return err
		}
	}
	addr := l.addr()
	for slot, ns := range shards {
		if owner, ok := l.s.slotOwner(slot); ok && owner != addr {
			for _, name := range ns {
				l.s.shardMoved(l, name)
			}
			continue
		}
		if _, err := l.send(ctx, subCommands[subShard], ns); err != nil {
			return err
		}
	}
	return nil
}

// addr is the address of the link's current connection ("" while it
// reconnects).
func (l *subLink) addr() string {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	if l.conn == nil {
		return ""
	}
	return l.conn.Addr()
}

// redirected handles a MOVED reply to an SSUBSCRIBE: callers waiting for
// that slot's channels get the error (and try the new owner); channels
// restored after a reconnection, which nobody waits for, are followed to
// the new owner. It reports false when the error is not a MOVED.
func (l *subLink) redirected(err error) bool {
	r, ok := resp.ParseRedirect(err)
	if !ok || r.Ask {
		return false
	}
	slot := r.Slot
	l.s.mu.Lock()
	var names []string
	for name, owner := range l.s.subs[subShard] {
		if owner == l && l.s.slotOf(subShard, name) == slot {
			names = append(names, name)
		}
	}
	l.s.mu.Unlock()
	for _, name := range names {
		if l.completeWaiters(pendingKey(subCommands[subShard], name), err) {
			continue
		}
		l.s.shardMoved(l, name)
	}
	return true
}

// completeWaiters completes the waiters under key with err; it reports
// whether there were any.
func (l *subLink) completeWaiters(key string, err error) bool {
	l.pmu.Lock()
	defer l.pmu.Unlock()
	ws := l.pending[key]
	for _, w := range ws {
		w.finishLocked(err)
	}
	delete(l.pending, key)
	return len(ws) > 0
}

// dropConn closes the link's connection (rather than return a subscribed
// connection to the pool) and forgets it.
func (l *subLink) dropConn() {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	l.conn.Close()
	l.conn.Release()
	l.conn = nil
}

// close stops the link: its reader sees the closed connection, and a
// reconnection in progress gives up.
func (l *subLink) close() {
	close(l.stop)
	l.cancel()
	l.wmu.Lock()
	if l.conn != nil {
		l.conn.Close()
	}
	l.wmu.Unlock()
}
