package integration

// Client options that change what reaches the server: KeyPrefix (applied
// to key arguments only, in every command shape), DB selection (options
// and URL), and large values.

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

func TestKeyPrefix(t *testing.T) {
	protocols(t, func(t *testing.T, raw *redisclient.Client) {
		ctx := testCtx(t)
		srv := sharedServer(t)
		pfx := key(t, "pfx") + ":"
		opts := srv.Options(protoOf(t))
		opts.KeyPrefix = pfx
		c := NewClient(t, opts)
		get := func(k string) redisclient.Opt[string] {
			t.Helper()
			return value[redisclient.Opt[string]](t, "raw GET "+k)(redisclient.Get(k).Do(ctx, raw))
		}

		// Single key, multiple keys with values between them.
		ok(t, "SET")(redisclient.Set("a", "1").Do(ctx, c))
		expect(t, "raw GET prefixed", some("1"))(get(pfx+"a"), nil)
		expect(t, "raw GET unprefixed", none[string]())(get("a"), nil)
		ok(t, "MSET")(redisclient.MSet("b", "v-b").KeyValue("c", "v-c").Do(ctx, c))
		expect(t, "MGET through the prefix", []redisclient.Opt[string]{some("1"), some("v-b"), some("v-c")})(redisclient.MGet("a", "b", "c").Do(ctx, c))
		expect(t, "raw GET of an MSET value", some("v-c"))(get(pfx+"c"), nil)
		expect(t, "MSET value not treated as a key", int64(0))(redisclient.Exists(pfx+"v-b", pfx+"v-c").Do(ctx, raw))

		// numkeys forms: the count is not a key.
		value[int64](t, "RPUSH")(redisclient.RPush("l2", "x").Do(ctx, c))
		expect(t, "LMPOP", &redisclient.KeyElements{Key: pfx + "l2", Elements: []string{"x"}})(
			redisclient.LMPop(redisclient.SideLeft, "l1", "l2").Do(ctx, c))
		value[int64](t, "ZADD")(redisclient.ZAdd("z1", 1, "m").Do(ctx, c))
		value[int64](t, "ZADD")(redisclient.ZAdd("z2", 2, "m").Do(ctx, c))
		expect(t, "ZUNIONSTORE WEIGHTS", int64(1))(redisclient.ZUnionStore("zu", "z1", "z2").Weights(10, 1).Do(ctx, c))
		expect(t, "raw ZSCORE of the union", some(12.0))(redisclient.ZScore(pfx+"zu", "m").Do(ctx, raw))

		// EVAL: KEYS are prefixed, ARGV are not.
		expect(t, "EVAL KEYS/ARGV", redisclient.Value{Kind: rkArray(), Elems: []redisclient.Value{bulkV(pfx + "k"), bulkV("arg")}})(
			redisclient.Eval("return {KEYS[1], ARGV[1]}").Keys("k").Args("arg").Do(ctx, c))

		// Streams: XREAD's keys come before the IDs.
		value[redisclient.Opt[string]](t, "XADD")(redisclient.XAdd("s", "1-1", "f", "v").Do(ctx, c))
		expect(t, "XREAD", []redisclient.XStream{{Key: pfx + "s", Messages: []redisclient.XMessage{xm("1-1", "f", "v")}}})(redisclient.XRead([]string{"s"}, "0").Do(ctx, c))
		expect(t, "raw XLEN", int64(1))(redisclient.XLen(pfx+"s").Do(ctx, raw))

		// BITOP destination and sources; GEOSEARCH's member is not a key.
		ok(t, "SET")(redisclient.Set("b1", "\xf0").Do(ctx, c))
		expect(t, "BITOP", int64(1))(redisclient.BitOp(redisclient.BitOperationNot, "b2", "b1").Do(ctx, c))
		expect(t, "raw GET BITOP result", some("\x0f"))(get(pfx+"b2"), nil)
		value[int64](t, "GEOADD")(redisclient.GeoAdd("g", 13.361389, 38.115556, "Palermo").Do(ctx, c))
		expect(t, "GEOSEARCH FROMMEMBER", []string{"Palermo"})(redisclient.GeoSearch("g", redisclient.GeoSearchFromMember("Palermo"),
			redisclient.GeoSearchByRadius(10, redisclient.GeoUnitKM)).Do(ctx, c))

		// Blocking commands, pipelines, transactions and Watch.
		value[int64](t, "RPUSH")(redisclient.RPush("bl", "y").Do(ctx, c))
		expect(t, "BLPOP", &redisclient.KeyElement{Key: pfx + "bl", Element: "y"})(redisclient.BLPop(time.Second, "none", "bl").Do(ctx, c))
		p := c.Pipeline()
		redisclient.Set("p", "pv").Queue(p)
		must(t, p.Exec(ctx), "pipeline")
		expect(t, "raw GET of a pipelined SET", some("pv"))(get(pfx+"p"), nil)
		tx := c.TxPipeline()
		redisclient.Set("t", "tv").Queue(tx)
		must(t, tx.Exec(ctx), "transaction")
		expect(t, "raw GET of a transaction's SET", some("tv"))(get(pfx+"t"), nil)
		must(t, c.Watch(ctx, func(tx *redisclient.Tx) error {
			v, err := redisclient.Get("t").Do(ctx, tx)
			if err != nil {
				return err
			}
			redisclient.Set("w", v.Value+"+w").Queue(tx)
			return nil
		}, "t"), "Watch")
		expect(t, "raw GET of a Watch write", some("tv+w"))(get(pfx+"w"), nil)

		// Commands without keys are untouched.
		expect(t, "ECHO", "a")(redisclient.Echo("a").Do(ctx, c))
	})
}

func TestSelectDB(t *testing.T) {
	protocols(t, func(t *testing.T, c0 *redisclient.Client) {
		ctx := testCtx(t)
		srv := sharedServer(t)
		opts := srv.Options(protoOf(t))
		opts.DB = 5
		c5 := NewClient(t, opts)
		u := fmt.Sprintf("redis://%s/6?protocol=%d", srv.Addr, protoOf(t))
		c6, err := redisclient.NewFromURL(u)
		must(t, err, "NewFromURL")
		t.Cleanup(func() { c6.Close() })
		k := key(t, "k")
		ok(t, "SET in db 5")(redisclient.Set(k, "five").Do(ctx, c5))
		ok(t, "SET in db 6")(redisclient.Set(k, "six").Do(ctx, c6))
		expect(t, "GET in db 0", none[string]())(redisclient.Get(k).Do(ctx, c0))
		expect(t, "GET in db 5", some("five"))(redisclient.Get(k).Do(ctx, c5))
		expect(t, "GET in db 6", some("six"))(redisclient.Get(k).Do(ctx, c6))
		for db, c := range map[int64]*redisclient.Client{5: c5, 6: c6} {
			ci := value[redisclient.ConnectedClient](t, "CLIENT INFO")(redisclient.ClientInfo().Do(ctx, c))
			if ci.DB != db {
				t.Errorf("CLIENT INFO db %d, want %d", ci.DB, db)
			}
			conn, err := c.DedicatedConn(ctx, -1)
			must(t, err, "DedicatedConn")
			dci := value[redisclient.ConnectedClient](t, "CLIENT INFO dedicated")(redisclient.ClientInfo().Do(ctx, conn))
			conn.Release()
			if dci.DB != db {
				t.Errorf("CLIENT INFO on a dedicated connection: db %d, want %d", dci.DB, db)
			}
		}
		tx := c5.TxPipeline()
		f := redisclient.Get(k).Queue(tx)
		must(t, tx.Exec(ctx), "transaction in db 5")
		expect(t, "GET in a transaction in db 5", some("five"))(f.Result())
		expect(t, "BLPOP in db 5", (*redisclient.KeyElement)(nil))(redisclient.BLPop(10*time.Millisecond, k+"none").Do(ctx, c5))
	})
}

func TestLargeValues(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		big := strings.Repeat("0123456789abcdef", 1<<18) // 4 MiB
		k := key(t, "big")
		ok(t, "SET 4 MiB")(redisclient.Set(k, big).Do(ctx, c))
		got := value[redisclient.Opt[string]](t, "GET 4 MiB")(redisclient.Get(k).Do(ctx, c))
		if got.Value != big {
			t.Errorf("GET 4 MiB: %d bytes back, equal %v", len(got.Value), got.Value == big)
		}
		expect(t, "STRLEN", int64(len(big)))(redisclient.StrLen(k).Do(ctx, c))
		// Large values interleaved with small ones in one pipeline.
		p := c.Pipeline()
		var futs []*redisclient.Future[redisclient.Opt[string]]
		for i := range 20 {
			if i%5 == 0 {
				futs = append(futs, redisclient.Get(k).Queue(p))
			} else {
				redisclient.Set(k+strconv.Itoa(i), strconv.Itoa(i)).Queue(p)
				futs = append(futs, redisclient.Get(k+strconv.Itoa(i)).Queue(p))
			}
		}
		must(t, p.Exec(ctx), "pipeline with large values")
		for i, f := range futs {
			v, err := f.Result()
			want := strconv.Itoa(i)
			if i%5 == 0 {
				want = big
			}
			if err != nil || v.Value != want {
				t.Errorf("pipelined GET %d: %d bytes, %v", i, len(v.Value), err)
			}
		}
		// Many elements in one reply.
		l := key(t, "list")
		elems := make([]string, 20000)
		for i := range elems {
			elems[i] = "element-" + strconv.Itoa(i)
		}
		expect(t, "RPUSH 20000", int64(len(elems)))(redisclient.RPush(l, elems...).Do(ctx, c))
		expect(t, "LRANGE 20000", elems)(redisclient.LRange(l, 0, -1).Do(ctx, c))
	})
}
