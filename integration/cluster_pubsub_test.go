package integration

// Sharded pub/sub on a cluster: SSUBSCRIBE to channels of different slots
// (so different masters), SPUBLISH reaches them; then one channel's slot
// migrates to another master, which makes its old owner end the
// subscription (Redis sends "sunsubscribe"): the subscriber must follow
// the slot, so that messages published after the move arrive.

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

func TestClusterShardedPubSub(t *testing.T) {
	tc := startCluster(t, cluConfig{Name: "pubsub", ReplicasPerMaster: -1})
	ctx := ctxFor(t, 60*time.Second)
	shards := tc.shards(t)
	pub := tc.client(t, 3, nil)

	var channels []string
	for i, sh := range shards {
		channels = append(channels, cluKey(sh.Slots[0]+11, ":news"+strconv.Itoa(i)))
	}
	// sibling is on the second channel's node but in another slot, and
	// subscribed after it (separately: one SSUBSCRIBE takes one slot):
	// both share the subscriber's connection to that node, which was
	// opened for the second channel's slot.
	sibling := cluKey(shards[1].Slots[0]+12, ":sibling")
	var subs []namedSubscriber
	for _, proto := range []int{2, 3} {
		c := tc.client(t, proto, nil)
		s := c.NewSubscriber(redisclient.SubscriberOptions{})
		t.Cleanup(func() { s.Close() })
		must(t, s.SSubscribe(ctx, channels...), "SSUBSCRIBE")
		must(t, s.SSubscribe(ctx, sibling), "SSUBSCRIBE sibling")
		subs = append(subs, namedSubscriber{fmt.Sprintf("RESP%d", proto), s})
	}

	for _, ch := range append(channels, sibling) {
		expect(t, "SPUBLISH "+ch+" (receivers)", int64(2))(redisclient.SPublish(ch, "before").Do(ctx, pub))
		for _, s := range subs {
			if got, _ := receive(s.s, ch, "before", 5*time.Second); !got {
				t.Errorf("%s: no message on %s", s.name, ch)
			}
		}
	}

	// Move the second channel's slot (no keys in it) to the third master.
	ch := channels[1]
	slot := shards[1].Slots[0] + 11
	from, to := shards[1].Master, shards[2].Master
	moved := time.Now()
	_, err := tc.migrateSlot(ctx, slot, from, to, tc.masters(t))
	must(t, err, "move the channel's slot")
	tc.waitSlotOwner(t, slot, to)

	// Each subscriber receives a message published after the move (the
	// first ones may be lost while it resubscribes).
	received, receivers := publishUntilReceived(t, pub, subs, ch, "after-", moved)
	for _, s := range subs {
		if _, ok := received[s.name]; !ok {
			t.Errorf("%s: the subscription to %s did not follow its slot %d from %s to %s: no message published in the 10s after the move arrived (the new owner counts %d receivers). "+
				"Redis ends shard subscriptions of a slot that leaves a node with a \"sunsubscribe\" push, which the subscriber must follow to the slot's new owner",
				s.name, ch, slot, from.Addr, to.Addr, receivers)
		}
	}

	// The other channels were not disturbed.
	for _, other := range []string{channels[0], channels[2], sibling} {
		expect(t, "SPUBLISH "+other+" after the move", int64(2))(redisclient.SPublish(other, "later").Do(ctx, pub))
		for _, s := range subs {
			if got, _ := receive(s.s, other, "later", 5*time.Second); !got {
				t.Errorf("%s: no message on %s after the other channel moved", s.name, other)
			}
		}
	}

	// The old owner drops the subscribers' connections (CLIENT KILL): the
	// connection that still carries sibling must come back to sibling's
	// node, and sibling must keep receiving.
	if _, err := redisclient.Raw("CLIENT", "KILL", "TYPE", "pubsub").Do(ctx, from.Admin); err != nil {
		t.Fatalf("CLIENT KILL TYPE pubsub on %s: %v", from.Addr, err)
	}
	back, receivers := publishUntilReceived(t, pub, subs, sibling, "after-kill-", time.Now())
	for _, s := range subs {
		if _, ok := back[s.name]; !ok {
			t.Errorf("%s: after the connection to %s was killed, %s (slot %d, still on %s) received nothing published in the next 10s (%d receivers). "+
				"The link was opened for %s (slot %d), which has moved to %s: it must reconnect to the node of the channels it still carries",
				s.name, from.Addr, sibling, shards[1].Slots[0]+12, from.Addr, receivers, ch, slot, to.Addr)
		}
	}

	// One call for channels of two slots of one node: the subscriber must
	// send one SSUBSCRIBE per slot (the server refuses channels of several
	// slots in one with CROSSSLOT, even on one node).
	x, y := cluKey(shards[0].Slots[0]+20, ":x"), cluKey(shards[0].Slots[0]+21, ":y")
	for _, proto := range []int{2, 3} {
		sub := tc.client(t, proto, nil).NewSubscriber(redisclient.SubscriberOptions{})
		t.Cleanup(func() { sub.Close() })
		if err := sub.SSubscribe(ctx, x, y); err != nil {
			t.Errorf("RESP%d: SSubscribe of two channels in different slots of one node (%s): %v. "+
				"redisclient/pubsub.go groups shard channels by node and sends them in one SSUBSCRIBE, which Redis refuses unless they share a slot "+
				"(resubscribing after a reconnection sends every shard channel of the link in one SSUBSCRIBE too)", proto, shards[0].Master.Addr, err)
			continue
		}
		for _, ch := range []string{x, y} {
			_, err := redisclient.SPublish(ch, "xy").Do(ctx, pub)
			must(t, err, "SPUBLISH")
			if got, _ := receive(sub, ch, "xy", 5*time.Second); !got {
				t.Errorf("RESP%d: no message on %s", proto, ch)
			}
		}
	}
}

// namedSubscriber is a subscriber under test with the name it is reported
// by.
type namedSubscriber struct {
	name string
	s    *redisclient.Subscriber
}

// publishUntilReceived publishes numbered messages (payloads prefix0,
// prefix1, ...) on the shard channel ch until every subscriber received
// one, for at most 10s. It returns when each received its first one,
// measured from since, and how many receivers the last SPUBLISH counted.
func publishUntilReceived(t *testing.T, pub *redisclient.Client, subs []namedSubscriber, ch, prefix string, since time.Time) (map[string]time.Duration, int64) {
	t.Helper()
	ctx := testCtx(t)
	received := map[string]time.Duration{}
	var receivers int64
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; len(received) < len(subs) && time.Now().Before(deadline); i++ {
		payload := prefix + strconv.Itoa(i)
		n, err := redisclient.SPublish(ch, payload).Do(ctx, pub)
		must(t, err, "SPUBLISH "+payload)
		receivers = n
		for _, s := range subs {
			if _, done := received[s.name]; done {
				continue
			}
			if got, gaps := receive(s.s, ch, payload, 200*time.Millisecond); got {
				received[s.name] = time.Since(since)
				t.Logf("%s: %s received %q %v after the event (gap notices: %q)", s.name, ch, payload, received[s.name].Round(time.Millisecond), gaps)
			}
		}
	}
	return received, receivers
}

// receive waits up to d for the shard message payload on channel, and
// returns the gap notices seen meanwhile.
func receive(s *redisclient.Subscriber, channel, payload string, d time.Duration) (bool, []string) {
	var gaps []string
	timeout := time.After(d)
	for {
		select {
		case m := <-s.Messages():
			if m.Kind == redisclient.KindGap {
				gaps = append(gaps, fmt.Sprint(m.Err))
			}
			if m.Kind == redisclient.KindSMessage && m.Channel == channel && m.Payload == payload {
				return true, gaps
			}
		case <-timeout:
			return false, gaps
		}
	}
}
