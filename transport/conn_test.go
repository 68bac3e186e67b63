package transport

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redkit-go/redkit/transport/resp"
)

func TestConnDoMulti(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	c := mustDial(t, DialConfig{Addr: s.addr})
	ctx := testCtx(t, 5*time.Second)
	var cmds []*Command
	for i := range 300 {
		k, v := fmt.Sprint("k", i), fmt.Sprint("v", i)
		cmds = append(cmds, setCmd(k, v), getCmd(k), mkCmd(FlagWrite, "INCR", "n"))
	}
	defer releaseAll(cmds)
	if err := c.DoMulti(ctx, cmds); err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		set, get, incr := cmds[3*i], cmds[3*i+1], cmds[3*i+2]
		if set.Err() != nil || get.Err() != nil || incr.Err() != nil {
			t.Fatalf("errors %v %v %v", set.Err(), get.Err(), incr.Err())
		}
		if replyText(set.Reply()) != "OK" || replyText(get.Reply()) != fmt.Sprint("v", i) || incr.Reply().Int() != int64(i+1) {
			t.Fatalf("batch entry %d: %s %s %s", i, set.Reply(), get.Reply(), incr.Reply())
		}
	}
	// A server error reply is a reply, not a transport error.
	cmd := mkCmd(FlagWrite, "INCR", "k1")
	defer cmd.Release()
	if err := c.Do(ctx, cmd); err != nil {
		t.Fatal(err)
	}
	var re *resp.Error
	if !errors.As(cmd.Reply().Err(), &re) || re.Prefix() != "ERR" {
		t.Errorf("INCR of a string: %v", cmd.Reply())
	}
	if c.Err() != nil {
		t.Errorf("connection failed after an error reply: %v", c.Err())
	}
}

func TestConnContextEnds(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	t.Run("Deadline", func(t *testing.T) {
		c := mustDial(t, DialConfig{Addr: s.addr})
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := run(ctx, c, mkCmd(FlagWrite, "SLEEP", "2000"))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want DeadlineExceeded", err)
		}
		if el := time.Since(start); el > time.Second {
			t.Errorf("returned after %v", el)
		}
		if c.Err() == nil {
			t.Errorf("connection with a half-read reply still usable")
		}
		if _, err := run(testCtx(t, time.Second), c, getCmd("k")); err == nil {
			t.Errorf("a failed connection ran a command")
		}
	})
	t.Run("Cancel", func(t *testing.T) {
		c := mustDial(t, DialConfig{Addr: s.addr})
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		_, err := run(ctx, c, mkCmd(FlagWrite, "SLEEP", "2000"))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want Canceled", err)
		}
	})
	t.Run("DoMulti", func(t *testing.T) {
		c := mustDial(t, DialConfig{Addr: s.addr})
		ctx := testCtx(t, 50*time.Millisecond)
		cmds := []*Command{mkCmd(0, "PING"), mkCmd(FlagWrite, "SLEEP", "2000"), mkCmd(0, "PING")}
		defer releaseAll(cmds)
		if err := c.DoMulti(ctx, cmds); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v", err)
		}
		if cmds[0].Err() != nil || replyText(cmds[0].Reply()) != "PONG" {
			t.Errorf("first command: %v %v", cmds[0].Err(), cmds[0].Reply())
		}
		if !errors.Is(cmds[1].Err(), context.DeadlineExceeded) || !errors.Is(cmds[2].Err(), context.DeadlineExceeded) {
			t.Errorf("later commands: %v, %v", cmds[1].Err(), cmds[2].Err())
		}
	})
}

// TestConnCancelRace cancels contexts while commands complete: a command
// that succeeded must leave the connection usable (no stale past deadline
// armed by a late cancellation).
func TestConnCancelRace(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	c := mustDial(t, DialConfig{Addr: s.addr})
	for i := range 2000 {
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			if rand.IntN(2) == 0 {
				time.Sleep(time.Duration(rand.IntN(50)) * time.Microsecond)
			}
			cancel()
		}()
		_, err := run(ctx, c, mkCmd(0, "PING"))
		if err != nil {
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("iteration %d: %v", i, err)
			}
			// The connection failed with the cancellation; start over.
			c = mustDial(t, DialConfig{Addr: s.addr})
			continue
		}
		// Give a late deadline change a chance to land, then check the
		// connection still works.
		if rand.IntN(8) == 0 {
			time.Sleep(20 * time.Microsecond)
		}
		if got, err := run(context.Background(), c, mkCmd(0, "PING")); err != nil || got != "PONG" {
			t.Fatalf("iteration %d: command after a completed, cancelled one: %q, %v", i, got, err)
		}
	}
}

func TestConnPush(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	c := mustDial(t, DialConfig{Addr: s.addr})
	var mu sync.Mutex
	var pushes []string
	c.SetPushHandler(func(v resp.Value) {
		mu.Lock()
		pushes = append(pushes, v.String())
		mu.Unlock()
	})
	ctx := testCtx(t, 5*time.Second)
	if got := mustRun(t, ctx, c, mkCmd(0, "PUSHME", "invalidate", "k1")); got != "OK" {
		t.Errorf("PUSHME = %q", got)
	}
	mu.Lock()
	if len(pushes) != 1 || !strings.Contains(pushes[0], `"invalidate", "k1"`) {
		t.Errorf("pushes = %q", pushes)
	}
	mu.Unlock()

	// ReceiveAny returns push frames.
	s.Push("message", "ch", "hello")
	var r resp.Reply
	if err := c.ReceiveAny(ctx, &r); err != nil {
		t.Fatal(err)
	}
	if r.Value().Kind() != resp.KindPush || r.Value().Len() != 3 {
		t.Errorf("ReceiveAny = %v", r.Value())
	}
}

func TestConnSendReceive(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	c := mustDial(t, DialConfig{Addr: s.addr})
	ctx := testCtx(t, 5*time.Second)
	a, b := mkCmd(0, "ECHO", "a"), mkCmd(0, "ECHO", "b")
	defer a.Release()
	defer b.Release()
	if err := c.Send(ctx, a, b); err != nil {
		t.Fatal(err)
	}
	var r resp.Reply
	for _, want := range []string{"a", "b"} {
		if err := c.Receive(ctx, &r); err != nil || r.Value().Text() != want {
			t.Fatalf("Receive = %v, %v; want %q", r.Value(), err, want)
		}
	}
	c.Close()
	if err := c.Send(ctx, a); !errors.Is(err, ErrClosed) {
		t.Errorf("Send after Close: %v", err)
	}
	if err := c.Receive(ctx, &r); !errors.Is(err, ErrClosed) {
		t.Errorf("Receive after Close: %v", err)
	}
}

func TestConnMalformedReply(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	c := mustDial(t, DialConfig{Addr: s.addr})
	_, err := run(testCtx(t, 5*time.Second), c, mkCmd(0, "GARBAGE"))
	var pe *resp.ProtocolError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want a ProtocolError", err)
	}
	if c.Err() == nil {
		t.Errorf("connection usable after a protocol error")
	}
}

func TestConnServerGone(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	c := mustDial(t, DialConfig{Addr: s.addr})
	s.Kill()
	_, err := run(testCtx(t, 5*time.Second), c, mkCmd(0, "PING"))
	if err == nil {
		t.Fatal("command on a killed connection succeeded")
	}
	if c.Err() == nil {
		t.Errorf("connection not failed")
	}
}
