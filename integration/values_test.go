package integration

// Values as Go values against a real server: numbers, bools and byte
// slices as values, structs into hashes and back, sorted sets from slices
// and maps, stream entries from maps, script arguments of any type.

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/redkit-go/redkit/redisclient"
)

// session is a session record as a service keeps it in a hash.
type session struct {
	User    string        `redis:"user"`
	Visits  int64         `redis:"visits"`
	Rate    float64       `redis:"rate"`
	Admin   bool          `redis:"admin"`
	Started time.Time     `redis:"started"`
	TTL     time.Duration `redis:"ttl"`
	Token   []byte        `redis:"token"`
	Note    string        `redis:"note,omitempty"`
}

func TestValuesAsGoValues(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)

		// A struct into a hash and back.
		k := key(t, "session")
		in := session{User: "ann", Visits: 3, Rate: 0.25, Admin: true,
			Started: time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC), TTL: 30 * time.Minute, Token: []byte{0, 255, 7}}
		n, err := redisclient.HSetFrom(k, in).Do(ctx, c)
		must(t, err, "HSetFrom")
		if n != 7 {
			t.Errorf("HSetFrom added %d fields, want 7 (note is empty: omitempty)", n)
		}
		fields, err := redisclient.HGetAll(k).Do(ctx, c)
		must(t, err, "HGETALL")
		var out session
		must(t, redisclient.ScanStruct(fields, &out), "ScanStruct")
		if !cmp.Equal(in, out) {
			t.Errorf("round trip through a hash:\n%s", cmp.Diff(in, out))
		}

		// Numbers and bools as values, first and later pairs.
		h := key(t, "numbers")
		_, err = redisclient.HSet(h, "int", 29).FieldValue("float", 1.5).FieldValue("bool", true).FieldValue("max", uint64(math.MaxUint64)).Do(ctx, c)
		must(t, err, "HSET numbers")
		got, err := redisclient.HGetAll(h).Do(ctx, c)
		must(t, err, "HGETALL numbers")
		want := map[string]string{"int": "29", "float": "1.5", "bool": "1", "max": "18446744073709551615"}
		if !cmp.Equal(got, want) {
			t.Errorf("numbers: %v, want %v", got, want)
		}
		incr, err := redisclient.HIncrBy(h, "int", 1).Do(ctx, c)
		if err != nil || incr != 30 {
			t.Errorf("HINCRBY of a value written as an int: %v, %v", incr, err)
		}

		// A sorted set from a slice and from a map.
		z := key(t, "board")
		added, err := redisclient.ZAddFrom(z, []redisclient.ZMember{{Member: "ann", Score: 3}, {Member: "bob", Score: 1.5}}).Do(ctx, c)
		must(t, err, "ZAddFrom slice")
		if added != 2 {
			t.Errorf("ZAddFrom added %d", added)
		}
		_, err = redisclient.ZAddFrom(z, map[string]float64{"cat": 2}).Do(ctx, c)
		must(t, err, "ZAddFrom map")
		members, err := redisclient.ZRange(z, "0", "-1").WithScores().Do(ctx, c)
		must(t, err, "ZRANGE")
		wantZ := []redisclient.ZMember{{Member: "bob", Score: 1.5}, {Member: "cat", Score: 2}, {Member: "ann", Score: 3}}
		if !cmp.Equal(members, wantZ) {
			t.Errorf("ZRANGE WITHSCORES = %v, want %v", members, wantZ)
		}

		// A stream entry from a map.
		s := key(t, "jobs")
		id, err := redisclient.XAddFrom(s, "*", map[string]any{"job": "mail", "attempt": 1}).Do(ctx, c)
		must(t, err, "XAddFrom")
		entries, err := redisclient.XRange(s, "-", "+").Do(ctx, c)
		must(t, err, "XRANGE")
		if len(entries) != 1 || entries[0].ID != id.Value {
			t.Fatalf("XRANGE = %+v, want the entry %s", entries, id.Value)
		}

		// An empty list is a build error; nothing is sent.
		if _, err := redisclient.HSetFrom(k, map[string]string{}).Do(ctx, c); err == nil {
			t.Error("HSetFrom of an empty map: no error")
		}

		// Script arguments of any type.
		sum := redisclient.NewScript(`return tonumber(ARGV[1]) + tonumber(ARGV[2])`, redisclient.DecodeInt)
		total, err := sum.Run(ctx, c, nil, 40, int8(2))
		if err != nil || total != 42 {
			t.Errorf("script with int arguments: %d, %v", total, err)
		}
	})
}

// TestLaterPairsTakeValues sends []byte and numbers in the later pairs of
// HSET, MSET, ZADD and XADD (the first pair's constructor takes any
// Scalar; the methods of later pairs, which cannot have type parameters,
// take any value, checked when the command is built).
func TestLaterPairsTakeValues(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		bin := []byte{0, 255, '\r', '\n', 7}
		h := key(t, "h")
		expect(t, "HSET with []byte later", int64(3))(redisclient.HSet(h, "a", "x").FieldValue("b", bin).FieldValue("c", 2.5).Do(ctx, c))
		expect(t, "HGET b", some(string(bin)))(redisclient.HGet(h, "b").Do(ctx, c))
		expect(t, "HGET c", some("2.5"))(redisclient.HGet(h, "c").Do(ctx, c))

		k1, k2 := key(t, "{m}1"), key(t, "{m}2")
		ok(t, "MSET with []byte later")(redisclient.MSet(k1, "x").KeyValue(k2, bin).Do(ctx, c))
		expect(t, "GET k2", some(string(bin)))(redisclient.Get(k2).Do(ctx, c))

		z := key(t, "z")
		expect(t, "ZADD with []byte member later", int64(2))(redisclient.ZAdd(z, 1, "a").ScoreMember(2, bin).Do(ctx, c))
		expect(t, "ZSCORE of the binary member", some(2.0))(redisclient.ZScore(z, string(bin)).Do(ctx, c))

		s := key(t, "s")
		expect(t, "XADD with []byte later", some("1-1"))(redisclient.XAdd(s, "1-1", "a", "x").FieldValue("b", bin).FieldValue("n", 42).Do(ctx, c))
		expect(t, "XRANGE", []redisclient.XMessage{{ID: "1-1", Fields: map[string]string{"a": "x", "b": string(bin), "n": "42"}}})(redisclient.XRange(s, "-", "+").Do(ctx, c))

		// A value that is not one fails to build; nothing is sent.
		var be *redisclient.BuildError
		if _, err := redisclient.HSet(h, "a", "x").FieldValue("d", struct{}{}).Do(ctx, c); !errors.As(err, &be) {
			t.Errorf("HSET with a struct value: %v, want a BuildError", err)
		}
		expect(t, "HEXISTS d", false)(redisclient.HExists(h, "d").Do(ctx, c))
	})
}
