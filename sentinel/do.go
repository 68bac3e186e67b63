package sentinel

// This file routes commands to the current node and sends again the ones
// a switch kept from running: those never sent to the old node, and writes
// refused with READONLY by a demoted master.

import (
	"context"
	"errors"

	"github.com/redkit-go/redkit/transport"
)

// maxSwitchRetries bounds how often one command follows a switch.
const maxSwitchRetries = 3

// stale reports whether n is no longer the node in use.
func (r *Router) stale(n *transport.Node) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.node != n
}

// readOnlyReply reports a READONLY error reply: a write reached a replica
// (a demoted master) and did not run.
func readOnlyReply(cmd *transport.Command) bool {
	re, isErr := cmd.Reply().ErrorReply()
	return isErr && re.Prefix() == "READONLY"
}

// connectionLost reports errors that suggest the node went away.
func connectionLost(err error) bool {
	var ce *transport.ConnError
	var de *transport.DialError
	return errors.As(err, &ce) || errors.As(err, &de)
}

// Do runs one command (transport.Doer).
func (r *Router) Do(ctx context.Context, cmd *transport.Command) error {
	for attempt := 0; ; attempt++ {
		n, err := r.current(ctx)
		if err != nil {
			return err
		}
		err = n.Do(ctx, cmd)
		switch {
		case err != nil && errors.Is(err, transport.ErrClosed) && r.stale(n) && attempt < maxSwitchRetries:
			continue // never sent: the node was replaced meanwhile
		case err != nil:
			if connectionLost(err) {
				r.startDiscovery("connection lost", false)
			}
			return err
		case r.cfg.Role == RoleMaster && readOnlyReply(cmd) && attempt < maxSwitchRetries:
			if err := r.awaitDiscovery(ctx, "READONLY reply"); err != nil {
				return err
			}
			if !r.stale(n) {
				return nil // still the master as far as the sentinels know
			}
			continue
		}
		return nil
	}
}

// awaitDiscovery runs a discovery that holds commands back, and waits for
// it within ctx.
func (r *Router) awaitDiscovery(ctx context.Context, reason string) error {
	select {
	case <-r.startDiscovery(reason, true):
		return nil
	case <-ctx.Done():
		return r.waitErr(ctx)
	}
}

// DoMulti runs a pipeline on the current node; commands that a switch kept
// from running are sent again to the new node.
func (r *Router) DoMulti(ctx context.Context, cmds []*transport.Command) error {
	pending := cmds
	for attempt := 0; ; attempt++ {
		n, err := r.current(ctx)
		if err != nil {
			return err
		}
		if err := n.DoMulti(ctx, pending); err != nil {
			return err
		}
		var again []*transport.Command
		lost := false
		for _, c := range pending {
			switch {
			case c.Err() != nil && errors.Is(c.Err(), transport.ErrClosed) && r.stale(n):
				again = append(again, c)
			case c.Err() != nil && connectionLost(c.Err()):
				lost = true
			case c.Err() == nil && r.cfg.Role == RoleMaster && readOnlyReply(c):
				again = append(again, c)
			}
		}
		if lost {
			r.startDiscovery("connection lost", false)
		}
		if len(again) == 0 || attempt >= maxSwitchRetries {
			return nil
		}
		if err := r.awaitDiscovery(ctx, "pipeline retry"); err != nil {
			return err
		}
		if !r.stale(n) {
			return nil
		}
		pending = again
	}
}

// DedicatedConn returns a connection for exclusive use to the node in use.
func (r *Router) DedicatedConn(ctx context.Context, slot int) (*transport.Conn, error) {
	n, err := r.current(ctx)
	if err != nil {
		return nil, err
	}
	return n.DedicatedConn(ctx, slot)
}
