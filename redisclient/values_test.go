package redisclient

// Tests of values as Go values: the exact bytes of Scalar and any values,
// lists of pairs from maps, tagged structs and slices, their build errors,
// and ScanStruct.

import (
	"context"
	"errors"
	"math"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redkit-go/redkit/transport/resp"
)

// argv renders a command's arguments as sent.
func argv(t *testing.T, c commander) []string {
	t.Helper()
	cmd, err := c.Command()
	if err != nil {
		t.Fatalf("Command: %v", err)
	}
	defer cmd.Release()
	var out []string
	for _, a := range cmd.Args() {
		out = append(out, a.Text())
	}
	return out
}

// buildErr returns the build error of c (failing when it builds).
func buildErr(t *testing.T, c commander) error {
	t.Helper()
	cmd, err := c.Command()
	if err == nil {
		cmd.Release()
		t.Fatalf("built %q, want a BuildError", cmd.AppendTo(nil))
	}
	var be *BuildError
	if !errors.As(err, &be) {
		t.Fatalf("err = %v, want a BuildError", err)
	}
	return err
}

type level int

func TestScalarValues(t *testing.T) {
	for _, tc := range []struct {
		c    commander
		want []string
	}{
		{HSet("h", "s", "text"), []string{"HSET", "h", "s", "text"}},
		{HSet("h", "b", []byte{0, 1, 'x'}), []string{"HSET", "h", "b", "\x00\x01x"}},
		{HSet("h", "i", 29), []string{"HSET", "h", "i", "29"}},
		{HSet("h", "i8", int8(-8)), []string{"HSET", "h", "i8", "-8"}},
		{HSet("h", "u", uint64(math.MaxUint64)), []string{"HSET", "h", "u", "18446744073709551615"}},
		{HSet("h", "f", 1.5), []string{"HSET", "h", "f", "1.5"}},
		{HSet("h", "f32", float32(0.1)), []string{"HSET", "h", "f32", "0.1"}},
		{HSet("h", "inf", math.Inf(-1)), []string{"HSET", "h", "inf", "-inf"}},
		{HSet("h", "t", true), []string{"HSET", "h", "t", "1"}},
		{HSet("h", "t", false), []string{"HSET", "h", "t", "0"}},
		{RPush("l", 1, 2, 3), []string{"RPUSH", "l", "1", "2", "3"}},
		{SAdd("s", []string{"a", "b"}...), []string{"SADD", "s", "a", "b"}},
		{ZAdd("z", 1, 42), []string{"ZADD", "z", "1", "42"}},
		// Later pairs take any value.
		{HSet("h", "a", 1).FieldValue("b", 2.5).FieldValue("c", []byte("x")).FieldValue("d", level(3)).
			FieldValue("e", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)).FieldValue("f", net.ParseIP("10.0.0.1")),
			[]string{"HSET", "h", "a", "1", "b", "2.5", "c", "x", "d", "3", "e", "2026-01-02T03:04:05Z", "f", "10.0.0.1"}},
		{Raw("SET", "k", 7, "EX", 10), []string{"SET", "k", "7", "EX", "10"}},
		{Eval("return ARGV[1]").Keys("k").Args(1, "two", 3.5, true), []string{"EVAL", "return ARGV[1]", "1", "k", "1", "two", "3.5", "1"}},
	} {
		if got := argv(t, tc.c); !cmp.Equal(got, tc.want) {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestAnyValueErrors(t *testing.T) {
	for _, tc := range []struct {
		c    commander
		want string
	}{
		{HSet("h", "a", 1).FieldValue("b", struct{}{}), "value: a struct {} is not a value"},
		{HSet("h", "a", 1).FieldValue("b", nil), "value: nil value"},
		{HSet("h", "a", 1).FieldValue("b", map[string]int{}), "is not a value"},
		{Raw("SET", "k", []int{1}), "argument 2: a []int is not a value"},
		{Eval("return 1").Args((*int)(nil)), "nil value"},
	} {
		if err := buildErr(t, tc.c); !strings.Contains(err.Error(), tc.want) {
			t.Errorf("err = %v, want it to say %q", err, tc.want)
		}
	}
}

// user is a struct written with HSetFrom and read back with ScanStruct.
type user struct {
	Name    string        `redis:"name"`
	Age     int           `redis:"age"`
	Score   float64       `redis:"score"`
	Admin   bool          `redis:"admin"`
	Nick    string        `redis:"nick,omitempty"`
	Seen    time.Time     `redis:"seen"`
	Session time.Duration `redis:"session"`
	Avatar  []byte        `redis:"avatar"`
	Email   *string       `redis:"email"`
	Secret  string        `redis:"-"`
	Note    string        // untagged: not stored
}

func TestPairsFrom(t *testing.T) {
	seen := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	u := user{Name: "ann", Age: 29, Score: 1.5, Admin: true, Seen: seen, Session: 90 * time.Second, Avatar: []byte{1, 2}, Secret: "s", Note: "n"}
	for _, tc := range []struct {
		c    commander
		want []string
	}{
		{HSetFrom("u:1", u), []string{"HSET", "u:1", "name", "ann", "age", "29", "score", "1.5", "admin", "1", "seen", "2026-12-02T10:00:00Z", "session", "90000000000", "avatar", "\x01\x02"}},
		{HSetFrom("u:1", &u), []string{"HSET", "u:1", "name", "ann", "age", "29", "score", "1.5", "admin", "1", "seen", "2026-12-02T10:00:00Z", "session", "90000000000", "avatar", "\x01\x02"}},
		{HSetFrom("h", map[string]int{"b": 2, "a": 1}), []string{"HSET", "h", "a", "1", "b", "2"}},
		{HSetFrom("h", map[string]any{"x": "s", "y": 3.5}), []string{"HSET", "h", "x", "s", "y", "3.5"}},
		{HSetFrom("h", []FieldValue{{Field: "f", Value: "v"}}), []string{"HSET", "h", "f", "v"}},
		{HSetFrom("h", []any{"f", 1, "g", true}).FieldValue("z", 0), []string{"HSET", "h", "f", "1", "g", "1", "z", "0"}},
		{HSetEXFrom("h", map[string]string{"f": "v", "g": "w"}).EX(time.Minute), []string{"HSETEX", "h", "EX", "60", "FIELDS", "2", "f", "v", "g", "w"}},
		{MSetFrom(map[string]any{"k2": 2, "k1": "one"}), []string{"MSET", "k1", "one", "k2", "2"}},
		{ZAddFrom("z", []ZMember{{Member: "a", Score: 1}, {Member: "b", Score: 2.5}}), []string{"ZADD", "z", "1", "a", "2.5", "b"}},
		{ZAddFrom("z", map[string]float64{"b": 2, "a": 1}).GT(), []string{"ZADD", "z", "GT", "1", "a", "2", "b"}},
		{ZAddFrom("z", []any{1, "a", 2.5, "b"}), []string{"ZADD", "z", "1", "a", "2.5", "b"}},
		{XAddFrom("s", "*", map[string]any{"amount": 10, "kind": "order"}), []string{"XADD", "s", "*", "amount", "10", "kind", "order"}},
		{ConfigSetFrom(map[string]string{"maxmemory": "1mb"}), []string{"CONFIG", "SET", "maxmemory", "1mb"}},
	} {
		if got := argv(t, tc.c); !cmp.Equal(got, tc.want) {
			t.Errorf("got %q\nwant %q", got, tc.want)
		}
	}
	// MSET's keys are keys: they get the prefix and decide the slot.
	cmd, err := MSetFrom(map[string]int{"a": 1}).Command()
	if err != nil {
		t.Fatal(err)
	}
	if !cmd.Args()[1].IsKey() {
		t.Error("MSetFrom: the key is not a key argument")
	}
	cmd.Release()
}

func TestPairsFromErrors(t *testing.T) {
	for _, tc := range []struct {
		c    commander
		want string
	}{
		{HSetFrom("h", map[string]int{}), "fields: empty list"},
		{HSetFrom("h", struct{ X int }{}), "fields: empty list"},
		{HSetFrom("h", nil), "fields: nil value"},
		{HSetFrom("h", (*user)(nil)), "fields: nil value"},
		{HSetFrom("h", 42), "fields: a int is not a list of pairs"},
		{HSetFrom("h", map[int]string{1: "x"}), "has no string keys"},
		{HSetFrom("h", []any{"f"}), "1 items: want pairs"},
		{HSetFrom("h", []any{1, "v"}), "name int is not a string"},
		{HSetFrom("h", map[string]any{"f": struct{}{}}), `"f": a struct {} is not a value`},
		{ZAddFrom("z", map[string]string{"a": "b"}), "not a score-member map"},
		{ZAddFrom("z", []any{"x", "a"}), "score string is not a number"},
		{ZAddFrom("z", []ZMember{}), "members: empty list"},
		{MSetFrom([]FieldValue{{Field: "k", Value: "v"}}), "is not a list of pairs"},
	} {
		if err := buildErr(t, tc.c); !strings.Contains(err.Error(), tc.want) {
			t.Errorf("err = %v, want it to say %q", err, tc.want)
		}
	}
}

func TestScanStruct(t *testing.T) {
	fields := map[string]string{
		"name": "ann", "age": "29", "score": "1.5", "admin": "1", "seen": "2026-12-02T10:00:00Z",
		"session": "1m30s", "avatar": "\x01\x02", "email": "a@x", "-": "ignored", "Note": "ignored", "extra": "x",
	}
	var u user
	if err := ScanStruct(fields, &u); err != nil {
		t.Fatal(err)
	}
	email := "a@x"
	want := user{Name: "ann", Age: 29, Score: 1.5, Admin: true, Seen: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC),
		Session: 90 * time.Second, Avatar: []byte{1, 2}, Email: &email}
	if !cmp.Equal(u, want) {
		t.Errorf("ScanStruct:\n%s", cmp.Diff(want, u))
	}
	// A round trip: what HSetFrom sends, ScanStruct reads back.
	cmd, err := HSetFrom("u", want).Command()
	if err != nil {
		t.Fatal(err)
	}
	sent := map[string]string{}
	args := cmd.Args()
	for i := 2; i+1 < len(args); i += 2 {
		sent[args[i].Text()] = args[i+1].Text()
	}
	cmd.Release()
	var back user
	if err := ScanStruct(sent, &back); err != nil || !cmp.Equal(back, want) {
		t.Errorf("round trip: %v\n%s", err, cmp.Diff(want, back))
	}
	for _, tc := range []struct {
		fields map[string]string
		dst    any
		want   string
	}{
		{map[string]string{"age": "old"}, &user{}, `field Age ("age" = "old")`},
		{map[string]string{"admin": "maybe"}, &user{}, "not a bool"},
		{nil, user{}, "want a non-nil pointer to a struct"},
		{nil, (*user)(nil), "want a non-nil pointer to a struct"},
		{map[string]string{"m": "x"}, &struct {
			M map[string]string `redis:"m"`
		}{}, "cannot hold a reply value"},
	} {
		if err := ScanStruct(tc.fields, tc.dst); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ScanStruct(%v) = %v, want it to say %q", tc.fields, err, tc.want)
		}
	}
}

// TestScalarAllocs: a Scalar value costs no allocation of its own.
func TestScalarAllocs(t *testing.T) {
	d := &replyDoer{reply: ":1\r\n"}
	ctx := context.Background()
	allocs := testing.AllocsPerRun(1000, func() {
		d.sent = d.sent[:0]
		if _, err := HSet("h", "f", 29).Do(ctx, d); err != nil {
			t.Fatal(err)
		}
	})
	base := testing.AllocsPerRun(1000, func() {
		d.sent = d.sent[:0]
		if _, err := HSet("h", "f", "29").Do(ctx, d); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > base {
		t.Errorf("HSet with an int value: %v allocations, with a string %v", allocs, base)
	}
	_ = resp.Value{}
}
