package redisclient

// Client.Close and what the client hands out, without a server: how the
// closed errors match, subscribers and monitors asked for after Close, the
// tracking set of a long-lived client, and Close racing NewSubscriber.
// Subscribers and monitors with live connections are in the integration
// suite (integration/client_close_test.go).

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redkit-go/redkit/transport"
)

// closeRouter has no connections: DedicatedConn fails (and counts its
// calls), commands fail, Close counts its calls.
type closeRouter struct {
	dedicated, closes atomic.Int64
}

var errNoConns = errors.New("closeRouter: no connections")

func (r *closeRouter) Do(ctx context.Context, cmd *transport.Command) error {
	cmd.SetErr(errNoConns)
	return errNoConns
}

func (r *closeRouter) DoMulti(ctx context.Context, cmds []*transport.Command) error {
	for _, cmd := range cmds {
		cmd.SetErr(errNoConns)
	}
	return errNoConns
}

func (r *closeRouter) DedicatedConn(context.Context, int) (*transport.Conn, error) {
	r.dedicated.Add(1)
	return nil, errNoConns
}

func (r *closeRouter) Close() error {
	r.closes.Add(1)
	return nil
}

func TestClosedErrorsMatch(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"ErrClientClosed is transport.ErrClosed", ErrClientClosed, transport.ErrClosed, true},
		{"wrapped ErrClientClosed is transport.ErrClosed", fmt.Errorf("x: %w", ErrClientClosed), transport.ErrClosed, true},
		{"transport.ErrClosed is not ErrClientClosed", transport.ErrClosed, ErrClientClosed, false},
		{"ErrSubscriberClosed is not ErrClientClosed", ErrSubscriberClosed, ErrClientClosed, false},
		{"ErrSubscriberClosed is not transport.ErrClosed", ErrSubscriberClosed, transport.ErrClosed, false},
		{"closed by the client: ErrSubscriberClosed", errSubscriberClientClosed, ErrSubscriberClosed, true},
		{"closed by the client: ErrClientClosed", errSubscriberClientClosed, ErrClientClosed, true},
		{"closed by the client: transport.ErrClosed", errSubscriberClientClosed, transport.ErrClosed, true},
	} {
		if got := errors.Is(tc.err, tc.target); got != tc.want {
			t.Errorf("%s: errors.Is = %v, want %v", tc.name, got, tc.want)
		}
	}
	if got, want := ErrClientClosed.Error(), "redisclient: client closed"; got != want {
		t.Errorf("ErrClientClosed.Error() = %q, want %q", got, want)
	}
	if got, want := errSubscriberClientClosed.Error(), "redisclient: subscriber closed: client closed"; got != want {
		t.Errorf("errSubscriberClientClosed.Error() = %q, want %q", got, want)
	}
}

// checkClosedSubscriber checks that every method of s fails at once with
// an error matching want, and that Messages is closed.
func checkClosedSubscriber(t *testing.T, s *Subscriber, want error, what string) {
	t.Helper()
	if ch := s.Messages(); ch != nil {
		select {
		case m, ok := <-ch:
			if ok {
				t.Errorf("%s: a message on the closed subscriber: %+v", what, m)
			}
		default:
			t.Errorf("%s: Messages is not closed", what)
		}
	}
	ctx := context.Background()
	for name, err := range map[string]error{
		"Subscribe":    s.Subscribe(ctx, "c"),
		"PSubscribe":   s.PSubscribe(ctx, "p*"),
		"SSubscribe":   s.SSubscribe(ctx, "s"),
		"Unsubscribe":  s.Unsubscribe(ctx),
		"PUnsubscribe": s.PUnsubscribe(ctx, "p*"),
		"SUnsubscribe": s.SUnsubscribe(ctx),
	} {
		if !errors.Is(err, want) {
			t.Errorf("%s: %s: %v, want %v", what, name, err, want)
		}
	}
	if err := s.Close(); err != nil {
		t.Errorf("%s: Close: %v", what, err)
	}
}

func TestClosedClientStreams(t *testing.T) {
	r := &closeRouter{}
	c := NewWithRouter(r, Options{})
	before := c.NewSubscriber(SubscriberOptions{})
	callback := c.NewSubscriber(SubscriberOptions{OnMessage: func(Message) {}})
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if n := r.closes.Load(); n != 1 {
		t.Errorf("router closed %d times, want 1", n)
	}
	for _, want := range []error{ErrSubscriberClosed, ErrClientClosed} {
		checkClosedSubscriber(t, before, want, "created before Close")
		checkClosedSubscriber(t, callback, want, "with OnMessage, created before Close")
		checkClosedSubscriber(t, c.NewSubscriber(SubscriberOptions{}), want, "created after Close")
		checkClosedSubscriber(t, c.NewSubscriber(SubscriberOptions{OnMessage: func(Message) {}}), want, "with OnMessage, created after Close")
	}
	if m, err := c.Monitor(context.Background()); !errors.Is(err, ErrClientClosed) || m != nil {
		t.Errorf("Monitor after Close: %v %v, want ErrClientClosed", m, err)
	}
	if n := r.dedicated.Load(); n != 0 {
		t.Errorf("the closed client asked the router for %d dedicated connections", n)
	}
	if len(c.streams) != 0 {
		t.Errorf("the closed client tracks %d streams", len(c.streams))
	}
}

// TestSubscriberCloseUntracks closes many subscribers of a long-lived
// client on their own: the client forgets each.
func TestSubscriberCloseUntracks(t *testing.T) {
	c := NewWithRouter(&closeRouter{}, Options{})
	defer c.Close()
	for i := range 1000 {
		s := c.NewSubscriber(SubscriberOptions{BufferSize: 1})
		if i%2 == 0 {
			s.Subscribe(context.Background(), "c") // fails: no connections
		}
		if err := s.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		checkClosedSubscriber(t, s, ErrSubscriberClosed, "closed by the application")
	}
	c.mu.Lock()
	n := len(c.streams)
	c.mu.Unlock()
	if n != 0 {
		t.Errorf("after 1000 subscribers were closed, the client tracks %d", n)
	}
}

// TestCloseRacesNewSubscriber closes the client while goroutines create
// and close subscribers: when Close and the goroutines have returned,
// every subscriber is closed, by the client or by its creator.
func TestCloseRacesNewSubscriber(t *testing.T) {
	for round := range 20 {
		c := NewWithRouter(&closeRouter{}, Options{})
		var (
			mu   sync.Mutex
			subs []*Subscriber
			wg   sync.WaitGroup
		)
		stop := make(chan struct{})
		for g := range 4 {
			wg.Go(func() {
				for i := 0; ; i++ {
					s := c.NewSubscriber(SubscriberOptions{BufferSize: 1})
					if (g+i)%3 == 0 {
						s.Close()
					}
					mu.Lock()
					subs = append(subs, s)
					mu.Unlock()
					select {
					case <-stop:
						return
					default:
					}
				}
			})
		}
		time.Sleep(time.Duration(round%5) * time.Millisecond)
		c.Close()
		close(stop)
		wg.Wait()
		for _, s := range subs {
			checkClosedSubscriber(t, s, ErrSubscriberClosed, fmt.Sprintf("round %d", round))
		}
		if len(c.streams) != 0 {
			t.Errorf("round %d: the closed client tracks %d streams", round, len(c.streams))
		}
		if t.Failed() {
			return
		}
	}
}

// TestSubscriberCloseEndsShardFollowing closes a subscriber while it
// follows a moved shard channel whose original link is gone (its
// reconnection gave up, and the subscriber forgot it): the follower waits
// to deliver its gap notice to a full buffer, and Close must still end it.
func TestSubscriberCloseEndsShardFollowing(t *testing.T) {
	// The client is not closed at the end: that would wait for the
	// subscriber too, and hang the test when Close does not return.
	c := NewWithRouter(&closeRouter{}, Options{})
	s := c.NewSubscriber(SubscriberOptions{BufferSize: 1})
	s.msgs <- Message{Kind: KindMessage, Channel: "filler"} // the buffer is full
	gone := newSubLink(s, nil, int(transport.Slot("orders")))
	s.mu.Lock()
	s.subs[subShard]["orders"] = gone
	s.mu.Unlock()
	s.shardMoved(gone, "orders")

	closed := make(chan struct{})
	go func() {
		s.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatalf("Subscriber.Close did not return within 5s while a shard channel was being followed")
	}
	if m, ok := <-s.Messages(); !ok || m.Channel != "filler" {
		t.Errorf("first message after Close: %+v %v, want the filler", m, ok)
	}
	if m, ok := <-s.Messages(); ok {
		t.Errorf("after the filler: %+v, want the channel closed", m)
	}
}
