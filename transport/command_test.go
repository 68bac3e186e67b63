package transport

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCommandEncoding(t *testing.T) {
	c := NewCommand(Meta{Flags: FlagWrite}, String("SET"), Key("k"), Bytes([]byte("v\r\n")), Int(-42), Float(1.5), Float(math.Inf(1)))
	defer c.Release()
	got := string(c.AppendTo(nil))
	want := "*6\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nv\r\n\r\n$3\r\n-42\r\n$3\r\n1.5\r\n$4\r\n+inf\r\n"
	if got != want {
		t.Errorf("AppendTo = %q, want %q", got, want)
	}
	if c.Name() != "SET" || c.Args()[3].Text() != "-42" || c.Args()[4].Text() != "1.5" || c.Args()[5].Text() != "+inf" {
		t.Errorf("Name/Text: %q %q %q %q", c.Name(), c.Args()[3].Text(), c.Args()[4].Text(), c.Args()[5].Text())
	}
	if !c.Args()[1].IsKey() || c.Args()[0].IsKey() {
		t.Errorf("IsKey")
	}
	if s, ok := c.Slot(); !ok || s != Slot("k") {
		t.Errorf("Slot = %d, %v", s, ok)
	}

	c.SetKeyPrefix("app:")
	if got := string(c.AppendTo(nil)); !strings.HasPrefix(got, "*6\r\n$3\r\nSET\r\n$5\r\napp:k\r\n") {
		t.Errorf("with prefix: %q", got)
	}
	if s, _ := c.Slot(); s != Slot("app:k") || c.KeyPrefix() != "app:" {
		t.Errorf("prefixed slot %d", s)
	}

	m := NewCommand(Meta{}, String("MSET"), Key("a"), String("1"), Key("b"), String("2"))
	defer m.Release()
	if Slot("a") != Slot("b") && m.Flags()&FlagCrossSlot == 0 {
		t.Errorf("keys in two slots without FlagCrossSlot")
	}
	m.SetKeyPrefix("{tag}")
	if m.Flags()&FlagCrossSlot != 0 {
		t.Errorf("FlagCrossSlot kept although the prefix's hash tag puts every key in one slot")
	}

	var empty Command
	if empty.Name() != "" {
		t.Errorf("empty Name")
	}
}

// TestCommandRouteKey checks an argument that routes without being a key
// (CLUSTERSCAN's cursor): it decides the slot as sent, with or without a
// key prefix, which it never gets.
func TestCommandRouteKey(t *testing.T) {
	const cursor = "{06S}-0-abc" // the hash tag of slot 0 in Valkey's cursors
	c := NewCommand(Meta{Flags: FlagReadOnly | FlagNoKey}, String("CLUSTERSCAN"), RouteKey(cursor), String("COUNT"), Int(10))
	defer c.Release()
	if s, ok := c.Slot(); !ok || s != 0 || s != Slot(cursor) {
		t.Errorf("Slot = %d, %v; want %d (the cursor's hash tag)", s, ok, Slot(cursor))
	}
	if c.Args()[1].IsKey() || c.Args()[1].Text() != cursor {
		t.Errorf("route key: IsKey %v, Text %q", c.Args()[1].IsKey(), c.Args()[1].Text())
	}
	c.SetKeyPrefix("app:")
	want := "*4\r\n$11\r\nCLUSTERSCAN\r\n$11\r\n" + cursor + "\r\n$5\r\nCOUNT\r\n$2\r\n10\r\n"
	if got := string(c.AppendTo(nil)); got != want {
		t.Errorf("with a key prefix: %q, want %q (the cursor unprefixed)", got, want)
	}
	if s, ok := c.Slot(); !ok || s != Slot(cursor) {
		t.Errorf("Slot with a key prefix = %d, %v; want %d", s, ok, Slot(cursor))
	}
	// With a key too, both decide: another slot makes it cross-slot.
	k := NewCommand(Meta{}, String("X"), RouteKey(cursor), Key("k"))
	defer k.Release()
	if k.Flags()&FlagCrossSlot == 0 || k.keySlots(nil) == nil || len(k.keySlots(nil)) != 2 {
		t.Errorf("a route key and a key of another slot: flags %v, slots %v", k.Flags(), k.keySlots(nil))
	}
}

func TestCommandRelease(t *testing.T) {
	c := NewCommand(Meta{Flags: FlagReadOnly}, String("GET"), Key("k"))
	c.SetErr(errors.New("x"))
	g := c.generation()
	c.Release()
	d := AcquireCommand() // maybe c, maybe a new one
	defer d.Release()
	if len(d.Args()) != 0 || d.Flags() != 0 || d.Err() != nil || d.KeyPrefix() != "" {
		t.Errorf("acquired command not reset: %d args, flags %v, err %v", len(d.Args()), d.Flags(), d.Err())
	}
	if _, ok := d.Slot(); ok {
		t.Errorf("acquired command has a slot")
	}
	if d == c && d.generation() == g {
		t.Errorf("Release did not start a new generation")
	}
}

// TestCommandAbandon exercises the state machine directly.
func TestCommandAbandon(t *testing.T) {
	c := NewCommand(Meta{}, String("PING"))
	defer c.Release()

	// Abandoned while queued: the writer's transition fails.
	g := c.beginWait()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.wait(ctx, g, &slotPins{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("wait = %v", err)
	}
	if c.transition(g, stateQueued, stateWriting) {
		t.Errorf("stale writer could take an abandoned command")
	}

	// Completed while the caller gives up: the outcome wins.
	g = c.beginWait()
	if !c.transition(g, stateQueued, stateWriting) || !c.transition(g, stateWriting, stateSent) ||
		!c.transition(g, stateSent, stateReading) {
		t.Fatal("transitions")
	}
	c.finish(g, nil)
	if err := c.wait(ctx, g, &slotPins{}); err != nil {
		t.Errorf("wait after completion = %v", err)
	}
	select {
	case <-c.done:
		t.Errorf("completion signal left behind")
	default:
	}

	// Abandoned while being read: abandon waits for the read to end.
	g = c.beginWait()
	c.transition(g, stateQueued, stateReading)
	go func() {
		time.Sleep(10 * time.Millisecond)
		c.finish(g, errors.New("late"))
	}()
	if err := c.wait(ctx, g, &slotPins{}); err != nil {
		t.Errorf("wait = %v; the command completed", err)
	}
	if c.Err() == nil || c.Err().Error() != "late" {
		t.Errorf("Err = %v", c.Err())
	}
}

func TestExponentialBackoff(t *testing.T) {
	s := ExponentialBackoff(10*time.Millisecond, 100*time.Millisecond)
	for attempt := 1; attempt < 100; attempt++ {
		d, retry := s(attempt, errors.New("x"))
		if !retry {
			t.Fatalf("gave up at attempt %d", attempt)
		}
		step := 100 * time.Millisecond
		if attempt <= 4 {
			step = 10 * time.Millisecond << (attempt - 1)
		}
		if d < step/2 || d > step {
			t.Errorf("attempt %d: delay %v outside [%v, %v]", attempt, d, step/2, step)
		}
	}
	if EventReconnecting.String() != "reconnecting" || EventType(0).String() != "unknown" || EventType(99).String() != "unknown" {
		t.Errorf("EventType names")
	}
}

// TestNodeLogger checks that events are logged without secrets.
func TestNodeLogger(t *testing.T) {
	s := newFakeServer(t, fakeOptions{Users: map[string]string{"default": "right"}})
	var buf syncBuffer
	n := newTestNode(t, s, func(c *NodeConfig) {
		c.Dial.Password = "the-wrong-one"
		c.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	run(testCtx(t, 5*time.Second), n, getCmd("k"))
	n.Close()
	out := buf.String()
	if !strings.Contains(out, "redkit: error") || !strings.Contains(out, "WRONGPASS") || !strings.Contains(out, s.addr) {
		t.Errorf("log lacks the error event:\n%s", out)
	}
	if strings.Contains(out, "the-wrong-one") {
		t.Errorf("password logged:\n%s", out)
	}
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
