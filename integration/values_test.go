package integration

// Values as Go values against a real server: numbers, bools and byte
// slices as values, structs into hashes and back, sorted sets from slices
// and maps, stream entries from maps, script arguments of any type.

import (
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
