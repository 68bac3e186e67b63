package transport

// This file is the pool of dedicated connections, in the style of
// database/sql: connections that one caller uses exclusively, for blocking
// commands, transactions with WATCH, pub/sub and MONITOR.

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Pool defaults.
const (
	DefaultPoolSize    = 16
	DefaultMaxIdle     = 4
	DefaultIdleTimeout = 5 * time.Minute
)

// PoolConfig sizes a Pool. Zero values mean the defaults.
type PoolConfig struct {
	// Size bounds the open connections; callers beyond it wait.
	Size int
	// MaxIdle bounds the idle connections kept.
	MaxIdle int
	// IdleTimeout closes connections idle for longer; negative disables it.
	IdleTimeout time.Duration
}

// PoolStats is a snapshot of a pool's connections and counters, in the
// style of database/sql's DBStats.
type PoolStats struct {
	// Open is the number of connections open or being dialed, idle or in
	// use; it never exceeds PoolConfig.Size.
	Open int
	// Idle is the number of idle connections.
	Idle int
	// InUse is the number of connections handed out (Open - Idle).
	InUse int
	// Waiting is the number of callers waiting for a connection now.
	Waiting int

	// Waits counts the callers that found the pool full and waited.
	Waits int64
	// WaitTimeouts counts the waits that ended with their context
	// (ErrPoolTimeout) rather than with a connection.
	WaitTimeouts int64
	// Dials counts the connections the pool opened so far.
	Dials int64
	// Closes counts the connections the pool closed so far.
	Closes int64
}

// Pool hands out dedicated connections.
type Pool struct {
	dial func(ctx context.Context) (*Conn, error)
	cfg  PoolConfig

	mu   sync.Mutex // protects following fields
	idle []*Conn
	open int
	// conns holds every connection dialed and not yet closed, idle or in
	// use, so that Close can close them all.
	conns   map[*Conn]struct{}
	waiters []chan *Conn // a nil delivery means: a slot is free, dial
	closed  bool
	stats   PoolStats
	reaper  *time.Timer
}

// NewPool returns a pool that opens connections with dial.
func NewPool(cfg PoolConfig, dial func(ctx context.Context) (*Conn, error)) *Pool {
	if cfg.Size <= 0 {
		cfg.Size = DefaultPoolSize
	}
	if cfg.MaxIdle <= 0 {
		cfg.MaxIdle = DefaultMaxIdle
	}
	if cfg.MaxIdle > cfg.Size {
		cfg.MaxIdle = cfg.Size
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	return &Pool{dial: dial, cfg: cfg, conns: make(map[*Conn]struct{})}
}

// Get returns an idle connection, dials a new one, or waits for one to be
// released, until ctx ends. Release the connection with Conn.Release.
func (p *Pool) Get(ctx context.Context) (*Conn, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, ErrClosed
	}
	if c := p.popIdleLocked(); c != nil {
		p.mu.Unlock()
		return c, nil
	}
	if p.open < p.cfg.Size {
		p.open++
		p.mu.Unlock()
		return p.openConn(ctx)
	}
	req := make(chan *Conn, 1)
	p.waiters = append(p.waiters, req)
	p.stats.Waits++
	p.mu.Unlock()
	select {
	case c, ok := <-req:
		if !ok {
			return nil, ErrClosed
		}
		if c != nil {
			return c, nil
		}
		// A slot was freed for us: dial.
		return p.openConn(ctx)
	case <-ctx.Done():
		p.mu.Lock()
		removed := p.removeWaiterLocked(req)
		p.stats.WaitTimeouts++
		p.mu.Unlock()
		if !removed {
			// A delivery raced with the cancellation: pass it on.
			if c, ok := <-req; ok && c != nil {
				p.put(c)
			} else if ok {
				p.slotFreed()
			}
		}
		return nil, fmt.Errorf("%w: %w", ErrPoolTimeout, ctx.Err())
	}
}

// openConn dials for a slot already counted in p.open. A connection
// dialed while the pool closed is closed at once, never handed out.
func (p *Pool) openConn(ctx context.Context) (*Conn, error) {
	c, err := p.dial(ctx)
	if err != nil {
		p.slotFreed()
		return nil, err
	}
	c.pool = p
	p.mu.Lock()
	if p.closed {
		p.open--
		p.mu.Unlock()
		c.Close()
		return nil, ErrClosed
	}
	p.stats.Dials++
	p.conns[c] = struct{}{}
	p.mu.Unlock()
	return c, nil
}

// closeLocked closes a connection that leaves the pool and forgets it.
// The caller has already given up its slot in p.open.
func (p *Pool) closeLocked(c *Conn) {
	delete(p.conns, c)
	p.stats.Closes++
	c.Close()
}

// popIdleLocked returns the most recently used healthy idle connection:
// one the server did not close while it sat idle (a restart, a timeout
// of the server's, CLIENT KILL), checked by peeking at its socket.
func (p *Pool) popIdleLocked() *Conn {
	for len(p.idle) > 0 {
		c := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if c.Err() == nil && !c.peerClosed() {
			return c
		}
		p.open--
		p.closeLocked(c)
	}
	return nil
}

func (p *Pool) removeWaiterLocked(req chan *Conn) bool {
	for i, w := range p.waiters {
		if w == req {
			p.waiters = append(p.waiters[:i], p.waiters[i+1:]...)
			return true
		}
	}
	return false
}

// slotFreed gives a freed slot to a waiter, or forgets it.
func (p *Pool) slotFreed() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.waiters) > 0 && !p.closed {
		w := p.waiters[0]
		p.waiters = p.waiters[1:]
		w <- nil
		return
	}
	p.open--
}

// put takes a connection back.
func (p *Pool) put(c *Conn) {
	p.mu.Lock()
	if c.Err() != nil || p.closed {
		p.closeLocked(c)
		p.mu.Unlock()
		p.slotFreed()
		return
	}
	if len(p.waiters) > 0 {
		w := p.waiters[0]
		p.waiters = p.waiters[1:]
		p.mu.Unlock()
		w <- c
		return
	}
	if len(p.idle) >= p.cfg.MaxIdle {
		p.open--
		p.closeLocked(c)
		p.mu.Unlock()
		return
	}
	c.returned = time.Now()
	p.idle = append(p.idle, c)
	p.scheduleReapLocked()
	p.mu.Unlock()
}

// scheduleReapLocked arms the idle reaper.
func (p *Pool) scheduleReapLocked() {
	if p.cfg.IdleTimeout < 0 || p.reaper != nil {
		return
	}
	p.reaper = time.AfterFunc(p.cfg.IdleTimeout, p.reap)
}

// reap closes connections idle for longer than IdleTimeout.
func (p *Pool) reap() {
	p.mu.Lock()
	p.reaper = nil
	cutoff := time.Now().Add(-p.cfg.IdleTimeout)
	var stale []*Conn
	keep := p.idle[:0]
	for _, c := range p.idle {
		if c.returned.Before(cutoff) {
			stale = append(stale, c)
		} else {
			keep = append(keep, c)
		}
	}
	for i := len(keep); i < len(p.idle); i++ {
		p.idle[i] = nil
	}
	p.idle = keep
	p.open -= len(stale)
	for _, c := range stale {
		p.closeLocked(c)
	}
	if len(p.idle) > 0 && !p.closed {
		p.scheduleReapLocked()
	}
	p.mu.Unlock()
}

// Stats returns the pool's counters.
func (p *Pool) Stats() PoolStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	s.Open, s.Idle, s.Waiting = p.open, len(p.idle), len(p.waiters)
	s.InUse = s.Open - s.Idle
	return s
}

// CloseIdle closes the idle connections (after a failover, say).
func (p *Pool) CloseIdle() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.open -= len(p.idle)
	for _, c := range p.idle {
		p.closeLocked(c)
	}
	p.idle = nil
}

// Close makes Get fail with ErrClosed and closes every connection, idle
// or in use: a caller blocked on one (a blocking command, a transaction)
// gets ErrClosed, and nothing more is sent on them.
func (p *Pool) Close() {
	p.mu.Lock()
	p.closed = true
	if p.reaper != nil {
		p.reaper.Stop()
		p.reaper = nil
	}
	waiters := p.waiters
	p.waiters = nil
	inUse := make([]*Conn, 0, len(p.conns))
	for c := range p.conns {
		inUse = append(inUse, c)
	}
	p.mu.Unlock()
	p.CloseIdle()
	for _, c := range inUse {
		c.Close() // released later: put closes and forgets it
	}
	for _, w := range waiters {
		close(w)
	}
}
