package redisclient

// This file holds the Subscriber: SUBSCRIBE, PSUBSCRIBE and SSUBSCRIBE on
// dedicated connections, messages on a channel and/or a callback, explicit
// backpressure, health checks, and resubscription after reconnects with a
// gap notice to the application.

import (
	"context"
	"errors"
	"fmt"
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
	// the connection.
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

// Subscriber receives published messages. Create it with
// Client.NewSubscriber; it is safe for concurrent use.
type Subscriber struct {
	c    *Client
	opts SubscriberOptions
	msgs chan Message

	dropped atomic.Uint64

	mu     sync.Mutex          // protects following fields
	links  map[string]*subLink // by node address
	subs   [3]map[string]*subLink
	closed bool
	wg     sync.WaitGroup
}

// NewSubscriber returns a subscriber on the client. It connects when it
// first subscribes.
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
	s := &Subscriber{c: c, opts: opts, links: map[string]*subLink{}}
	if opts.OnMessage == nil {
		s.msgs = make(chan Message, opts.BufferSize)
	}
	for i := range s.subs {
		s.subs[i] = map[string]*subLink{}
	}
	return s
}

// Messages returns the channel messages arrive on (nil with OnMessage). It
// is closed by Close.
func (s *Subscriber) Messages() <-chan Message { return s.msgs }

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
	// Group the names by the link that serves them.
	groups := map[*subLink][]string{}
	for _, name := range names {
		l, err := s.linkFor(ctx, s.slotOf(kind, name))
		if err != nil {
			return err
		}
		groups[l] = append(groups[l], name)
	}
	for l, group := range groups {
		if err := l.subscribe(ctx, kind, group); err != nil {
			return err
		}
		s.mu.Lock()
		for _, name := range group {
			s.subs[kind][name] = l
		}
		s.mu.Unlock()
	}
	return nil
}

func (s *Subscriber) unsubscribe(ctx context.Context, kind subKind, names []string) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrSubscriberClosed
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
		if err := l.unsubscribe(ctx, kind, group); err != nil {
			return err
		}
	}
	return nil
}

// linkFor returns the link to the node serving slot, connecting it if
// needed.
func (s *Subscriber) linkFor(ctx context.Context, slot int) (*subLink, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, ErrSubscriberClosed
	}
	s.mu.Unlock()
	conn, err := s.c.DedicatedConn(ctx, slot)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		conn.Release()
		return nil, ErrSubscriberClosed
	}
	if l, ok := s.links[conn.Addr()]; ok {
		conn.Release() // the node already has a link
		return l, nil
	}
	l := newSubLink(s, conn, slot)
	s.links[conn.Addr()] = l
	s.wg.Add(1)
	go l.run()
	return l, nil
}

// deliver hands a message to the application under the overflow policy.
// It returns false when the subscriber is closing.
func (s *Subscriber) deliver(m Message, stop <-chan struct{}) bool {
	if s.opts.OnMessage != nil {
		s.opts.OnMessage(m)
		return true
	}
	switch s.opts.Overflow {
	case OverflowDropNewest:
		select {
		case s.msgs <- m:
		default:
			s.dropped.Add(1)
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
				s.dropped.Add(1)
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

// Close unsubscribes everything, closes the connections and the Messages
// channel, and waits for the subscriber's goroutines.
func (s *Subscriber) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	links := s.links
	s.links = map[string]*subLink{}
	s.mu.Unlock()
	for _, l := range links {
		l.close()
	}
	s.wg.Wait()
	if s.msgs != nil {
		close(s.msgs)
	}
	return nil
}

// subLink is the subscriber's connection to one node.
type subLink struct {
	s    *Subscriber
	slot int
	stop chan struct{}

	wmu  sync.Mutex // serializes writes and guards conn
	conn *transport.Conn

	pmu     sync.Mutex // protects following fields
	pending map[string][]chan struct{}
	lastIn  time.Time
}

func newSubLink(s *Subscriber, conn *transport.Conn, slot int) *subLink {
	return &subLink{s: s, conn: conn, slot: slot, stop: make(chan struct{}), pending: map[string][]chan struct{}{}, lastIn: time.Now()}
}

func pendingKey(kind subKind, name string) string { return subCommands[kind] + "\x00" + name }

// send writes one subscription command with the given names.
func (l *subLink) send(ctx context.Context, command string, names []string) error {
	args := make([]transport.Arg, 0, 1+len(names))
	args = append(args, transport.String(command))
	for _, n := range names {
		args = append(args, transport.String(n))
	}
	cmd := transport.NewCommand(transport.Meta{Flags: transport.FlagPubSub | transport.FlagConnState}, args...)
	defer cmd.Release()
	l.wmu.Lock()
	defer l.wmu.Unlock()
	return l.conn.Send(ctx, cmd)
}

// subscribe sends the command and waits for every confirmation.
func (l *subLink) subscribe(ctx context.Context, kind subKind, names []string) error {
	waits := make([]chan struct{}, len(names))
	l.pmu.Lock()
	for i, n := range names {
		ch := make(chan struct{})
		k := pendingKey(kind, n)
		l.pending[k] = append(l.pending[k], ch)
		waits[i] = ch
	}
	l.pmu.Unlock()
	if err := l.send(ctx, subCommands[kind], names); err != nil {
		return err
	}
	for _, ch := range waits {
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-l.stop:
			return ErrSubscriberClosed
		}
	}
	return nil
}

func (l *subLink) unsubscribe(ctx context.Context, kind subKind, names []string) error {
	if len(names) == 0 {
		return nil
	}
	return l.send(ctx, unsubCommands[kind], names)
}

// confirmed wakes the callers waiting for a subscription confirmation.
func (l *subLink) confirmed(kind subKind, name string) {
	l.pmu.Lock()
	k := pendingKey(kind, name)
	waiters := l.pending[k]
	delete(l.pending, k)
	l.pmu.Unlock()
	for _, ch := range waiters {
		close(ch)
	}
}

// run reads the link's frames until the subscriber closes, reconnecting
// and resubscribing when the connection is lost.
func (l *subLink) run() {
	defer l.s.wg.Done()
	for {
		err := l.readUntilError()
		select {
		case <-l.stop:
			l.wmu.Lock()
			l.conn.Close()
			l.conn.Release()
			l.wmu.Unlock()
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

// readUntilError reads frames, dispatching messages and confirmations,
// with health checks, until the connection fails.
func (l *subLink) readUntilError() error {
	health := make(chan struct{})
	defer close(health)
	if l.s.opts.HealthCheckEvery > 0 {
		go l.healthCheck(l.conn, health)
	}
	var r resp.Reply
	for {
		if err := l.conn.ReceiveAny(context.Background(), &r); err != nil {
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
	t := time.NewTicker(every / 2)
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
				conn.Close() // dead: the reader sees the error and reconnects
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
	if v.Kind() != resp.KindPush && v.Kind() != resp.KindArray {
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
	case "subscribe":
		l.confirmed(subChannel, second.Text())
	case "psubscribe":
		l.confirmed(subPattern, second.Text())
	case "ssubscribe":
		l.confirmed(subShard, second.Text())
	}
	return true
}

// reconnect replaces the connection after err and restores the link's
// subscriptions. It returns false when the subscriber closed or the
// strategy gave up.
func (l *subLink) reconnect(cause error) bool {
	l.wmu.Lock()
	l.conn.Release()
	l.wmu.Unlock()
	for attempt := 1; ; attempt++ {
		delay, retry := l.s.opts.Reconnect(attempt, cause)
		if !retry {
			l.s.deliver(Message{Kind: KindGap, Err: fmt.Errorf("redisclient: subscriber gave up reconnecting: %w", cause)}, l.stop)
			return false
		}
		select {
		case <-time.After(delay):
		case <-l.stop:
			return false
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		conn, err := l.s.c.DedicatedConn(ctx, l.slot)
		cancel()
		if err != nil {
			cause = err
			continue
		}
		l.wmu.Lock()
		l.conn = conn
		l.wmu.Unlock()
		if err := l.resubscribe(); err != nil {
			cause = err
			l.wmu.Lock()
			l.conn.Release()
			l.wmu.Unlock()
			continue
		}
		return true
	}
}

// resubscribe sends the subscriptions this link serves.
func (l *subLink) resubscribe() error {
	l.s.mu.Lock()
	var names [3][]string
	for kind := range l.s.subs {
		for name, owner := range l.s.subs[kind] {
			if owner == l {
				names[kind] = append(names[kind], name)
			}
		}
	}
	l.s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for kind, ns := range names {
		if len(ns) == 0 {
			continue
		}
		if err := l.send(ctx, subCommands[kind], ns); err != nil {
			return err
		}
	}
	return nil
}

// close stops the link: its reader sees the closed connection.
func (l *subLink) close() {
	close(l.stop)
	l.wmu.Lock()
	l.conn.Close()
	l.wmu.Unlock()
}
