package redisclient

// This file runs commands through the client-side cache (DoCached) and
// connects the cache to the transport: CLIENT TRACKING in the handshake of
// the shared connections, invalidation push messages, and flushing when a
// connection drops.

import (
	"context"
	"errors"
	"time"

	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// trackingCommand is the CLIENT TRACKING command of a mode.
func (o CacheOptions) trackingCommand() []string {
	cmd := []string{"CLIENT", "TRACKING", "ON"}
	switch o.Mode {
	case TrackingOptIn:
		cmd = append(cmd, "OPTIN")
	case TrackingBroadcast:
		cmd = append(cmd, "BCAST")
		for _, p := range o.Prefixes {
			cmd = append(cmd, "PREFIX", p)
		}
	}
	return cmd
}

// wire makes the node's shared connections track keys for the cache,
// route invalidations to it, and flush it when a connection drops (its
// invalidations may have been missed).
func (cc *clientCache) wire(cfg *transport.NodeConfig) {
	cfg.SharedSetup = append(cfg.SharedSetup, cc.opts.trackingCommand())
	userPush, userEvent := cfg.OnPush, cfg.OnEvent
	cfg.OnPush = func(v resp.Value) {
		if !cc.handlePush(v) && userPush != nil {
			userPush(v)
		}
	}
	cfg.OnEvent = func(ev transport.Event) {
		// A dropped connection may have missed invalidations. (A new
		// connection has nothing to flush: it tracks what it reads from
		// its handshake on, and clearing then would only drop the entries
		// the other connections keep coherent.)
		if ev.Type == transport.EventClose {
			cc.clear()
		}
		if userEvent != nil {
			userEvent(ev)
		}
	}
}

// handlePush applies an invalidation message; it returns false for other
// push messages.
func (cc *clientCache) handlePush(v resp.Value) bool {
	first := v.First()
	if !first.Valid() || string(first.Bytes()) != "invalidate" {
		return false
	}
	keys := first.Next()
	if keys.Kind() == resp.KindNull {
		cc.clear() // the server flushed, or its tracking table overflowed
		return true
	}
	var names []string
	for k := keys.First(); k.Valid(); k = k.Next() {
		names = append(names, k.Text())
	}
	cc.invalidate(names...)
	return true
}

// CacheStats returns the client-side cache's counters (zero without
// Options.Cache).
func (c *Client) CacheStats() CacheStats {
	if c.cache == nil {
		return CacheStats{}
	}
	return c.cache.snapshot()
}

// InvalidateCache drops the cached replies of keys (without the key
// prefix, which is added).
func (c *Client) InvalidateCache(keys ...string) {
	if c.cache == nil {
		return
	}
	full := make([]string, len(keys))
	for i, k := range keys {
		full[i] = c.opts.KeyPrefix + k
	}
	c.cache.invalidate(full...)
}

// ClearCache drops every cached reply.
func (c *Client) ClearCache() {
	if c.cache != nil {
		c.cache.clear()
	}
}

// CacheStart is the first half of the generated DoCached methods, for
// generated code (cmdimpl.DoCached is the other half): it looks the
// command that b describes up in the cache and returns a hit, or the
// fetched command to decode and store, or — when the client has no cache or
// the command cannot be cached — the command run directly. A stored reply
// is kept for at most ttl. It is not generic, so that command values stay
// on the caller's stack.
func (c *Client) CacheStart(ctx context.Context, b *cmdimpl.Builder, ttl time.Duration) (cmdimpl.CacheStep, error) {
	if err := c.checkOpen(); err != nil {
		return cmdimpl.CacheStep{}, err
	}
	cmd, err := b.Build()
	if err != nil {
		return cmdimpl.CacheStep{}, err
	}
	c.prepare(cmd)
	keyArg, ok := cacheKey(cmd)
	if c.cache == nil || !ok || !c.cache.matchesPrefix(cmd.KeyPrefix(), keyArg) {
		if err := c.send(ctx, c.router, cmd); err != nil {
			cmd.Release()
			return cmdimpl.CacheStep{}, err
		}
		return cmdimpl.CacheStep{Cmd: cmd}, nil
	}
	var e *cacheEntry
	for {
		var loading chan struct{}
		var fetch bool
		e, loading, fetch = c.cache.lookup(cmd.KeyPrefix(), keyArg, cmd.Args(), time.Now())
		if fetch {
			break
		}
		if loading != nil {
			select {
			case <-loading:
			case <-ctx.Done():
				cmd.Release()
				return cmdimpl.CacheStep{}, ctx.Err()
			}
		}
		if e.err != nil && isContextErr(e.err) {
			// The fetch this call shared ended with its caller's
			// context: that error is not this call's. Fetch again (or
			// share a later fetch) within this call's context.
			if err := ctx.Err(); err != nil {
				cmd.Release()
				return cmdimpl.CacheStep{}, err
			}
			continue
		}
		cmd.Release()
		return cmdimpl.CacheStep{Hit: true, Val: e.val, Err: e.err}, nil
	}
	start := time.Now()
	pttl := transport.NewCommand(transport.Meta{Flags: transport.FlagReadOnly}, transport.String("PTTL"), transport.Key(keyArg))
	pttl.SetKeyPrefix(cmd.KeyPrefix())
	batch := []*transport.Command{cmd, pttl}
	if c.cache.opts.Mode == TrackingOptIn {
		// Track this read only: CLIENT CACHING YES right before it, in
		// the same write on the same connection.
		yes := transport.NewCommand(transport.Meta{}, transport.String("CLIENT"), transport.String("CACHING"), transport.String("YES"))
		defer yes.Release()
		batch = []*transport.Command{yes, cmd, pttl}
	}
	err = c.observedDoMulti(ctx, c.router, batch)
	if err == nil {
		err = cmd.Err()
	}
	untracked := false
	if batch[0] != cmd && (batch[0].Err() != nil || batch[0].Reply().Err() != nil) {
		// CLIENT CACHING YES failed, or was not sent on the connection
		// that finally read (a read-only command retried alone after a
		// dropped connection): no invalidation would come.
		untracked = true
	}
	if err != nil {
		c.cache.loaded(e, nil, err, 0, 0, time.Since(start))
		cmd.Release()
		pttl.Release()
		return cmdimpl.CacheStep{}, err
	}
	return cmdimpl.CacheStep{Cmd: cmd, Store: func(v any, derr error) {
		c.cache.store(e, cmd, pttl, v, derr, ttl, untracked, start)
	}}, nil
}

// cacheKey returns the key (without prefix) of a single-key cacheable
// command. A command with key-name patterns (SORT_RO BY and GET) reads
// keys the server does not track for it: it is not cacheable.
func cacheKey(cmd *transport.Command) (string, bool) {
	if cmd.Flags()&transport.FlagCacheable == 0 {
		return "", false
	}
	key, n := "", 0
	for _, a := range cmd.Args() {
		switch {
		case a.IsKey():
			key = a.Text()
			n++
		case a.Equal(transport.KeyPattern(a.Text())):
			return "", false
		}
	}
	return key, n == 1
}

// isContextErr reports an error of a context that ended.
func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// store keeps the decoded reply v (or its error derr) of a fetched
// command in the entry e for at most ttl and no longer than the key lives
// (pttl's reply), wakes the callers that waited for it, and releases the
// commands. An untracked read is not kept.
func (cc *clientCache) store(e *cacheEntry, cmd, pttl *transport.Command, v any, derr error, ttl time.Duration, untracked bool, start time.Time) {
	size := replySize(cmd.Reply())
	for _, a := range cmd.Args() {
		size += int64(len(a.Text())) + 16
	}
	left, perr := cmdimpl.DecodeInt(pttl.Reply())
	if perr != nil {
		left = 0 // unknown: do not keep the entry
	}
	keep := entryTTL(ttl, left)
	if derr != nil || untracked {
		keep = 0
	}
	cc.loaded(e, v, derr, size, keep, time.Since(start))
	cmd.Release()
	pttl.Release()
}

// replySize estimates the memory a decoded reply holds.
func replySize(v resp.Value) int64 {
	size := int64(16 + len(v.Bytes()))
	for x := v.First(); x.Valid(); x = x.Next() {
		size += replySize(x)
	}
	return size
}
