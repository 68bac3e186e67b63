package sentinel

// This file follows the group's events: a subscription on one sentinel to
// +switch-master, +sdown and +odown, with a periodic check in case an event
// was missed (or no sentinel could be subscribed to).

import (
	"context"
	"strings"
	"time"

	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// watchedEvents are the sentinel channels the router subscribes to.
var watchedEvents = []string{"+switch-master", "+sdown", "+odown", "+slave", "+failover-end"}

// watch keeps a subscription to the events of some sentinel.
func (r *Router) watch() {
	defer r.wg.Done()
	for attempt := 1; ; {
		subscribed := false
		for _, s := range r.Sentinels() {
			if r.isClosed() {
				return
			}
			if r.subscribe(s, &subscribed) {
				return // closed
			}
			if subscribed {
				attempt = 1
				break // it was up: start over with the fresh sentinel list
			}
		}
		if subscribed {
			continue
		}
		delay, retry := r.cfg.Retry(attempt, ErrNoSentinel)
		attempt++
		if !retry {
			delay = time.Second
		}
		select {
		case <-time.After(delay):
		case <-r.stop:
			return
		}
	}
}

func (r *Router) isClosed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closed
}

// subscribe reads one sentinel's events until its connection fails or the
// router closes (it then returns true). subscribed reports whether the
// subscription was made.
func (r *Router) subscribe(sentinel string, subscribed *bool) (closed bool) {
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	c, err := r.dialSentinel(ctx, sentinel)
	if err == nil {
		args := []transport.Arg{transport.String("SUBSCRIBE")}
		for _, e := range watchedEvents {
			args = append(args, transport.String(e))
		}
		cmd := transport.NewCommand(transport.Meta{}, args...)
		err = c.Send(ctx, cmd)
		cmd.Release()
	}
	cancel()
	if err != nil {
		if c != nil {
			c.Close()
		}
		return false
	}
	*subscribed = true
	stop := context.AfterFunc(r.stopCtx, func() { c.Close() })
	defer stop()
	defer c.Close()
	// Events may have been missed while no sentinel was watched.
	r.startDiscovery("watching "+sentinel, false)
	var rep resp.Reply
	for {
		if err := c.ReceiveAny(context.Background(), &rep); err != nil {
			return r.isClosed()
		}
		r.handleEvent(rep.Value())
	}
}

// handleEvent reacts to one sentinel message.
func (r *Router) handleEvent(v resp.Value) {
	first := v.First()
	if first.Text() != "message" {
		return
	}
	channel := first.Next().Text()
	payload := strings.Fields(first.Next().Next().Text())
	switch channel {
	case "+switch-master":
		// <name> <old ip> <old port> <new ip> <new port>
		if len(payload) >= 1 && payload[0] == r.cfg.MasterName {
			r.startDiscovery("+switch-master", true)
		}
	case "+sdown", "+odown":
		// <type> <name> <ip> <port> [@ <master name> <ip> <port>]
		if len(payload) >= 4 && r.concerns(payload) {
			r.startDiscovery(channel, true)
		}
	case "+slave":
		if r.cfg.Role == RoleReplica && r.Addr() == "" {
			r.startDiscovery(channel, false)
		}
	}
}

// concerns reports whether an sdown/odown event is about the node in use.
func (r *Router) concerns(payload []string) bool {
	addr := r.cfg.MapAddr(payload[2] + ":" + payload[3])
	return addr == r.Addr()
}

// periodic re-checks the node with the sentinels.
func (r *Router) periodic() {
	defer r.wg.Done()
	if r.cfg.CheckInterval < 0 {
		return
	}
	t := time.NewTicker(r.cfg.CheckInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			r.startDiscovery("periodic check", false)
		case <-r.stop:
			return
		}
	}
}
