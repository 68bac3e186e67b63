package redisclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient/cmdimpl/cmdtest"
	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// wire returns the RESP bytes of a command value.
func wire(t testing.TB, c commander) []byte {
	t.Helper()
	cmd, err := c.Command()
	if err != nil {
		t.Fatalf("Command: %v", err)
	}
	defer cmd.Release()
	return cmd.AppendTo(nil)
}

func TestSetWireBytes(t *testing.T) {
	got := cmdtest.Wire(t, Set("user:1", "ann").NX().Get().EX(10*time.Second))
	want := "*7\r\n$3\r\nSET\r\n$6\r\nuser:1\r\n$3\r\nann\r\n$2\r\nNX\r\n$3\r\nGET\r\n$2\r\nEX\r\n$2\r\n10\r\n"
	if string(got) != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestArgumentsSortedToWireOrder(t *testing.T) {
	// The members are given first but must follow the options on the wire.
	got := cmdtest.Wire(t, ZAdd("z", 1, "a").ScoreMember(2, "b").NX().CH())
	want := resp.AppendCommand(nil, "ZADD", "z", "NX", "CH", "1", "a", "2", "b")
	if !bytes.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestBinaryValues(t *testing.T) {
	v := []byte{0, 1, '\r', '\n', 0xff}
	got := cmdtest.Wire(t, Set("k", v))
	want := resp.AppendCommand(nil, "SET", "k", string(v))
	if !bytes.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestCountsComputed(t *testing.T) {
	got := cmdtest.Wire(t, HSetEX("h", "f1", "v1").FieldValue("f2", "v2").FieldValue("f3", "v3").EX(time.Minute))
	want := resp.AppendCommand(nil, "HSETEX", "h", "EX", "60", "FIELDS", "3", "f1", "v1", "f2", "v2", "f3", "v3")
	if !bytes.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	got = cmdtest.Wire(t, Eval("return 1").Keys("a", "b").Args("x"))
	want = resp.AppendCommand(nil, "EVAL", "return 1", "2", "a", "b", "x")
	if !bytes.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestCopiesAreIndependent checks value semantics past the inline
// argument storage: two commands extended from one base share nothing.
func TestCopiesAreIndependent(t *testing.T) {
	base := MSet("k0", "v0")
	for i := 1; i < 10; i++ {
		base = base.KeyValue(fmt.Sprint("k", i), fmt.Sprint("v", i))
	}
	a := base.KeyValue("ka", "va")
	b := base.KeyValue("kb", "vb")
	baseArgs := []string{"MSET"}
	for i := range 10 {
		baseArgs = append(baseArgs, fmt.Sprint("k", i), fmt.Sprint("v", i))
	}
	check := func(name string, c commander, extra ...string) {
		want := resp.AppendCommand(nil, append(append([]string(nil), baseArgs...), extra...)...)
		if got := cmdtest.Wire(t, c); !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", name, got, want)
		}
	}
	check("base", base)
	check("a", a, "ka", "va")
	check("b", b, "kb", "vb")
	// Extending b further does not disturb a.
	b2 := b.KeyValue("kc", "vc")
	check("a again", a, "ka", "va")
	check("b2", b2, "kb", "vb", "kc", "vc")
}

// TestConcurrentCopies extends one shared base from many goroutines (run
// with -race).
func TestConcurrentCopies(t *testing.T) {
	base := MSet("k0", "v0")
	for i := 1; i < 8; i++ {
		base = base.KeyValue(fmt.Sprint("k", i), "v")
	}
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for g := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := base
			for i := range 20 {
				c = c.KeyValue(fmt.Sprintf("g%d-%d", g, i), "x")
			}
			cmd, err := c.Command()
			if err != nil {
				errs <- err
				return
			}
			args := cmd.Args()
			if len(args) != 1+16+40 {
				errs <- fmt.Errorf("goroutine %d: %d args", g, len(args))
			}
			for i := range 20 {
				if got, want := args[17+2*i].Text(), fmt.Sprintf("g%d-%d", g, i); got != want {
					errs <- fmt.Errorf("goroutine %d: arg %d = %q, want %q", g, i, got, want)
					break
				}
			}
			cmd.Release()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestBuildErrors(t *testing.T) {
	var be *BuildError
	_, err := GeoSearch("k", nil, GeoSearchByRadius(1, GeoUnitKM)).Command()
	if !errors.As(err, &be) || !strings.Contains(err.Error(), "GEOSEARCH: from: missing value") {
		t.Errorf("nil choice: got %v", err)
	}
	// A build error fails Do before anything is sent.
	_, err = GeoSearch("k", nil, GeoSearchByRadius(1, GeoUnitKM)).Do(context.Background(), failDoer{t})
	if !errors.As(err, &be) {
		t.Errorf("Do: got %v, want a BuildError", err)
	}
	if _, err := Get("k").Do(context.Background(), nil); !errors.Is(err, ErrNilDoer) {
		t.Errorf("nil doer: got %v", err)
	}
}

// failDoer fails the test if anything is sent.
type failDoer struct{ t *testing.T }

func (f failDoer) Do(context.Context, *transport.Command) error {
	f.t.Error("command sent")
	return nil
}
func (f failDoer) DoMulti(context.Context, []*transport.Command) error {
	f.t.Error("commands sent")
	return nil
}

// replyDoer answers every command with a fixed RESP reply.
type replyDoer struct {
	reply string
	sent  [][]byte
}

func (d *replyDoer) Do(_ context.Context, cmd *transport.Command) error {
	d.sent = append(d.sent, cmd.AppendTo(nil))
	rd := resp.NewReader(strings.NewReader(d.reply), 0, resp.Limits{})
	return rd.ReadReply(cmd.ReplyStorage())
}

func (d *replyDoer) DoMulti(ctx context.Context, cmds []*transport.Command) error {
	for _, c := range cmds {
		c.SetErr(d.Do(ctx, c))
	}
	return nil
}

func TestDoDecodes(t *testing.T) {
	ctx := context.Background()
	d := &replyDoer{reply: "$3\r\nann\r\n"}
	v, err := Get("user:1").Do(ctx, d)
	if err != nil || v != (Opt[string]{Value: "ann", Valid: true}) {
		t.Errorf("GET: %v, %v", v, err)
	}
	d.reply = "_\r\n"
	if v, err := Get("user:1").Do(ctx, d); err != nil || v.Valid {
		t.Errorf("GET null: %v, %v", v, err)
	}
	d.reply = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	_, err = Get("user:1").Do(ctx, d)
	var re *resp.Error
	if !errors.As(err, &re) || re.Prefix() != "WRONGTYPE" {
		t.Errorf("server error: got %v", err)
	}
	d.reply = "*1\r\n:1\r\n"
	_, err = Get("user:1").Do(ctx, d)
	var rpe *ReplyError
	if !errors.As(err, &rpe) || !strings.Contains(err.Error(), "GET") {
		t.Errorf("malformed reply: got %v", err)
	}
	d.reply = "+OK\r\n"
	if err := Set("k", "v").Do(ctx, d); err != nil {
		t.Errorf("SET: %v", err)
	}
	d.reply = "_\r\n"
	if ok, err := Set("k", "v").NX().Do(ctx, d); err != nil || ok {
		t.Errorf("SET NX not set: %v, %v", ok, err)
	}
}

// TestCommandMeta checks flags and slots carried by built commands.
func TestCommandMeta(t *testing.T) {
	cmd, err := Get("user:{42}:name").Command()
	if err != nil {
		t.Fatal(err)
	}
	defer cmd.Release()
	if cmd.Flags()&transport.FlagReadOnly == 0 || cmd.Flags()&transport.FlagCacheable == 0 {
		t.Errorf("GET flags = %b", cmd.Flags())
	}
	if slot, ok := cmd.Slot(); !ok || slot != transport.Slot("42") {
		t.Errorf("GET slot = %d, %v", slot, ok)
	}
	cmd2, _ := MGet("a", "b").Command()
	defer cmd2.Release()
	if cmd2.Flags()&transport.FlagCrossSlot == 0 {
		t.Errorf("MGET a b: want FlagCrossSlot")
	}
	x, _ := XRead([]string{"s"}, "0").Command()
	defer x.Release()
	if x.Flags()&transport.FlagBlocking != 0 {
		t.Errorf("XREAD without BLOCK is not blocking")
	}
	xb, _ := XRead([]string{"s"}, "0").Block(time.Second).Command()
	defer xb.Release()
	if xb.Flags()&transport.FlagBlocking == 0 {
		t.Errorf("XREAD BLOCK is blocking")
	}
}

func BenchmarkBuildSetEX(b *testing.B) {
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		cmd, _ := Set("key", "value").EX(10 * time.Second).Command()
		buf = cmd.AppendTo(buf[:0])
		cmd.Release()
	}
}

// BenchmarkBuildSetWith is BenchmarkBuildSetEX with the expiration (and
// a condition) chosen at run time through SetOptions: it must allocate no
// more than the chain.
func BenchmarkBuildSetWith(b *testing.B) {
	buf := make([]byte, 0, 256)
	o := SetOptions{Expiration: SetExpirationEX(10 * time.Second)}
	b.ReportAllocs()
	for b.Loop() {
		cmd, _ := Set("key", "value").With(o).Command()
		buf = cmd.AppendTo(buf[:0])
		cmd.Release()
	}
}

// BenchmarkBuildSetNXEX and BenchmarkBuildSetWithNXEX compare a chain with
// two options and the same options set at run time.
func BenchmarkBuildSetNXEX(b *testing.B) {
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		cmd, _ := Set("key", "value").NX().EX(10 * time.Second).Command()
		buf = cmd.AppendTo(buf[:0])
		cmd.Release()
	}
}

func BenchmarkBuildSetWithNXEX(b *testing.B) {
	buf := make([]byte, 0, 256)
	o := SetOptions{Condition: SetConditionNX(), Expiration: SetExpirationEX(10 * time.Second)}
	b.ReportAllocs()
	for b.Loop() {
		cmd, _ := Set("key", "value").With(o).Command()
		buf = cmd.AppendTo(buf[:0])
		cmd.Release()
	}
}

func BenchmarkDecodeGet(b *testing.B) {
	var r resp.Reply
	src := strings.NewReader("")
	rd := resp.NewReader(src, 0, resp.Limits{})
	b.ReportAllocs()
	for b.Loop() {
		src.Reset("$5\r\nhello\r\n")
		rd.Reset(src)
		if err := rd.ReadReply(&r); err != nil {
			b.Fatal(err)
		}
		if _, err := decodeOptString(r.Value()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQueueMixedTypes queues a pipeline of 100 commands whose reply
// types alternate (GET, INCR): futures come from one block per type.
func BenchmarkQueueMixedTypes(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		p := &Pipeline{}
		for range 50 {
			Get("k").Queue(p)
			Incr("n").Queue(p)
		}
		p.Discard()
	}
}
