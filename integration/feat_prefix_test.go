package integration

// Key prefixing (Options.KeyPrefix), table-driven: each row runs commands
// through a prefixed client, and MONITOR shows what the server received.
// The table, printed with t.Log, documents what is rewritten (key
// arguments, by the spec's key positions; SORT's BY and GET patterns except
// "#" and "nosort") and what is not (patterns of KEYS and SCAN MATCH,
// channel names, arguments, and replies, which carry the prefix).

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

// prefixRow is one case of the key prefix table.
type prefixRow struct {
	name string
	call string // what the application wrote, for the table
	// run runs the case on the prefixed client and returns a short
	// description of the reply.
	run func(ctx context.Context, t *testing.T, c *redisclient.Client) string
	// want are the commands the server must have received, in order.
	want [][]string
	// reply, when set, is the expected description of the reply.
	reply string
}

const testPrefix = "app:"

func prefixRows() []prefixRow {
	var str func(v any, err error) string
	str = func(v any, err error) string {
		if err != nil {
			return "error: " + err.Error()
		}
		switch x := v.(type) {
		case redisclient.Opt[string]:
			if !x.Valid {
				return "nil"
			}
			return fmt.Sprintf("%q", x.Value)
		case []redisclient.Opt[string]:
			parts := make([]string, len(x))
			for i, o := range x {
				parts[i] = str(o, nil)
			}
			return "[" + strings.Join(parts, " ") + "]"
		case []string:
			return fmt.Sprintf("%q", x)
		}
		return fmt.Sprint(v)
	}
	echo := redisclient.NewScript(`return {KEYS[1], ARGV[1]}`, redisclient.DecodeStrings)
	return []prefixRow{
		{name: "single key", call: `Get("user:1")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.Get("user:1").Do(ctx, c))
			},
			want: [][]string{{"GET", "app:user:1"}}, reply: `"alice"`},
		{name: "key and value", call: `Set("user:2", "user:1")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.Set("user:2", "user:1").Do(ctx, c), nil)
			},
			want: [][]string{{"SET", "app:user:2", "user:1"}}},
		{name: "container command", call: `ObjectEncoding("user:1")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.ObjectEncoding("user:1").Do(ctx, c))
			},
			want: [][]string{{"OBJECT", "ENCODING", "app:user:1"}}},
		{name: "MSET keys, not values", call: `MSet("a", "b").KeyValue("b", "a")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.MSet("a", "b").KeyValue("b", "a").Do(ctx, c), nil)
			},
			want: [][]string{{"MSET", "app:a", "b", "app:b", "a"}}},
		{name: "MGET", call: `MGet("a", "b", "none")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.MGet("a", "b", "none").Do(ctx, c))
			},
			want: [][]string{{"MGET", "app:a", "app:b", "app:none"}}, reply: `["b" "a" nil]`},
		{name: "EXISTS", call: `Exists("a", "b", "none")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.Exists("a", "b", "none").Do(ctx, c))
			},
			want: [][]string{{"EXISTS", "app:a", "app:b", "app:none"}}, reply: "2"},
		{name: "RENAME both keys", call: `Rename("a", "c")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.Rename("a", "c").Do(ctx, c), nil)
			},
			want: [][]string{{"RENAME", "app:a", "app:c"}}},
		{name: "COPY both keys", call: `Copy("c", "d")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.Copy("c", "d").Do(ctx, c))
			},
			want: [][]string{{"COPY", "app:c", "app:d"}}, reply: "true"},
		{name: "DEL", call: `Del("c", "d")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.Del("c", "d").Do(ctx, c))
			},
			want: [][]string{{"DEL", "app:c", "app:d"}}, reply: "2"},
		{name: "UNLINK", call: `Unlink("b")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.Unlink("b").Do(ctx, c))
			},
			want: [][]string{{"UNLINK", "app:b"}}, reply: "1"},
		{name: "EVAL keys, not args", call: `Eval("return {KEYS[1], ARGV[1]}").Keys("k1", "k2").Args("k1")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				v, err := redisclient.Eval("return {KEYS[1], ARGV[1]}").Keys("k1", "k2").Args("k1").Do(ctx, c)
				if err != nil {
					return str(nil, err)
				}
				return fmt.Sprintf("[%q %q]", v.Elems[0].Str, v.Elems[1].Str)
			},
			want:  [][]string{{"EVAL", "return {KEYS[1], ARGV[1]}", "2", "app:k1", "app:k2", "k1"}},
			reply: `["app:k1" "k1"]`},
		{name: "Script.Run (EVALSHA)", call: `script.Run(ctx, c, []string{"k1"}, "v")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(echo.Run(ctx, c, []string{"k1"}, "v"))
			},
			want: [][]string{{"EVALSHA", echo.SHA(), "1", "app:k1", "v"}}, reply: `["app:k1" "v"]`},
		{name: "FCALL keys, not args", call: `NewFunction("feat_show", ...).Call(ctx, c, []string{"k1"}, "k2")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.NewFunction("feat_show", redisclient.DecodeStrings).Call(ctx, c, []string{"k1"}, "k2"))
			},
			want: [][]string{{"FCALL", "feat_show", "1", "app:k1", "k2"}}, reply: `["app:k1" "k2"]`},
		{name: "SORT BY and GET patterns", call: `Sort("ids").By("w_*").Get("o_*").Get("#")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.Sort("ids").By("w_*").Get("o_*").Get("#").Do(ctx, c))
			},
			want:  [][]string{{"SORT", "app:ids", "BY", "app:w_*", "GET", "app:o_*", "GET", "#"}},
			reply: `["two" "2" "one" "1"]`},
		{name: "SORT BY nosort", call: `Sort("ids").By("nosort").Get("o_*")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.Sort("ids").By("nosort").Get("o_*").Do(ctx, c))
			},
			want: [][]string{{"SORT", "app:ids", "BY", "nosort", "GET", "app:o_*"}}, reply: `["one" "two"]`},
		{name: "SORT_RO patterns", call: `SortRO("ids").By("w_*").Get("#")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.SortRO("ids").By("w_*").Get("#").Do(ctx, c))
			},
			want: [][]string{{"SORT_RO", "app:ids", "BY", "app:w_*", "GET", "#"}}, reply: `["2" "1"]`},
		{name: "XREAD STREAMS keys, not IDs", call: `XRead([]string{"s1", "s2"}, "0", "0")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				m, err := redisclient.XRead([]string{"s1", "s2"}, "0", "0").Do(ctx, c)
				if err != nil {
					return str(nil, err)
				}
				var ks []string
				for _, st := range m {
					ks = append(ks, st.Key)
				}
				return fmt.Sprintf("%q", ks)
			},
			want: [][]string{{"XREAD", "STREAMS", "app:s1", "app:s2", "0", "0"}}, reply: `["app:s1"]`},
		{name: "ZUNIONSTORE destination and sources", call: `ZUnionStore("zu", "z1", "z2")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.ZUnionStore("zu", "z1", "z2").Do(ctx, c))
			},
			want: [][]string{{"ZUNIONSTORE", "app:zu", "2", "app:z1", "app:z2"}}, reply: "2"},
		{name: "blocking command", call: `BLPop(10*time.Millisecond, "l1", "l2")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				v, err := redisclient.BLPop(10*time.Millisecond, "l1", "l2").Do(ctx, c)
				if err != nil || v == nil {
					return str(v, err)
				}
				return fmt.Sprintf("%q %q", v.Key, v.Element)
			},
			want: [][]string{{"BLPOP", "app:l1", "app:l2", "0.01"}}, reply: `"app:l2" "x"`},
		{name: "Raw with the spec's key positions", call: `Raw("SET", "raw", "v")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.Raw("SET", "raw", "v").Do(ctx, c))
			},
			want: [][]string{{"SET", "app:raw", "v"}}},
		{name: "Raw MGET (key range)", call: `Raw("MGET", "raw", "user:1")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				v, err := redisclient.Raw("MGET", "raw", "user:1").Do(ctx, c)
				if err != nil {
					return str(nil, err)
				}
				return fmt.Sprintf("[%q %q]", v.Elems[0].Str, v.Elems[1].Str)
			},
			want: [][]string{{"MGET", "app:raw", "app:user:1"}}, reply: `["v" "alice"]`},
		{name: "pipeline", call: `p.Queue(Set("p1", "v")); p.Queue(Get("p1")); p.Exec`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				p := c.Pipeline()
				redisclient.Set("p1", "v").Queue(p)
				g := redisclient.Get("p1").Queue(p)
				if err := p.Exec(ctx); err != nil {
					return str(nil, err)
				}
				return str(g.Result())
			},
			want: [][]string{{"SET", "app:p1", "v"}, {"GET", "app:p1"}}, reply: `"v"`},
		{name: "transaction", call: `tx.Queue(Incr("t1")); tx.Queue(Incr("t2")); tx.Exec`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				tx := c.TxPipeline()
				redisclient.Incr("t1").Queue(tx)
				f := redisclient.Incr("t2").Queue(tx)
				if err := tx.Exec(ctx); err != nil {
					return str(nil, err)
				}
				return str(f.Result())
			},
			want: [][]string{{"MULTI"}, {"INCR", "app:t1"}, {"INCR", "app:t2"}, {"EXEC"}}, reply: "1"},
		{name: "Watch keys, reads and writes", call: `c.Watch(ctx, fn: Get("t1").Do(tx); Set("t3", ...).Queue(tx), "t1")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(nil, c.Watch(ctx, func(tx *redisclient.Tx) error {
					v, err := redisclient.Get("t1").Do(ctx, tx)
					if err != nil {
						return err
					}
					redisclient.Set("t3", v.Value).Queue(tx)
					return nil
				}, "t1"))
			},
			want: [][]string{{"WATCH", "app:t1"}, {"GET", "app:t1"}, {"MULTI"}, {"SET", "app:t3", "1"}, {"EXEC"}}, reply: "<nil>"},
		// Not rewritten.
		{name: "NOT rewritten: KEYS pattern", call: `Keys("user:*")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.Keys("user:*").Do(ctx, c))
			},
			want: [][]string{{"KEYS", "user:*"}}, reply: `[]`},
		{name: "NOT rewritten: KEYS reply carries the prefix", call: `Keys("app:user:*")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				ks, err := redisclient.Keys("app:user:*").Do(ctx, c)
				return str(sortedCopy(ks), err)
			},
			want: [][]string{{"KEYS", "app:user:*"}}, reply: `["app:user:1" "app:user:2"]`},
		{name: "NOT rewritten: SCAN MATCH pattern, reply", call: `Scan("0").Match("app:user:*").Count(1000)`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				page, err := redisclient.Scan("0").Match("app:user:*").Count(1000).Do(ctx, c)
				return str(sortedCopy(page.Keys), err)
			},
			want: [][]string{{"SCAN", "0", "MATCH", "app:user:*", "COUNT", "1000"}}, reply: `["app:user:1" "app:user:2"]`},
		{name: "NOT rewritten: Client.Scan iterator MATCH", call: `c.Scan(ctx, ScanOptions{Match: "user:*"})`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				var ks []string
				for k, err := range c.Scan(ctx, redisclient.ScanOptions{Match: "user:*", Count: 1000}) {
					if err != nil {
						return str(nil, err)
					}
					ks = append(ks, k)
				}
				return str(ks, nil)
			},
			want: [][]string{{"SCAN", "0", "MATCH", "user:*", "COUNT", "1000"}}, reply: `[]`},
		{name: "NOT rewritten: PUBLISH channel", call: `Publish("user:1", "hi")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.Publish("user:1", "hi").Do(ctx, c))
			},
			want: [][]string{{"PUBLISH", "user:1", "hi"}}, reply: "0"},
		{name: "NOT rewritten: SPUBLISH shard channel", call: `SPublish("user:1", "hi")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.SPublish("user:1", "hi").Do(ctx, c))
			},
			want: [][]string{{"SPUBLISH", "user:1", "hi"}}, reply: "0"},
		{name: "NOT rewritten: subscriptions", call: `sub.Subscribe(ctx, "user:1"); sub.PSubscribe(ctx, "user:*")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				s := c.NewSubscriber(redisclient.SubscriberOptions{})
				defer s.Close()
				if err := s.Subscribe(ctx, "user:1"); err != nil {
					return str(nil, err)
				}
				return str(nil, s.PSubscribe(ctx, "user:*"))
			},
			// Close unsubscribes, unprefixed too.
			want: [][]string{{"SUBSCRIBE", "user:1"}, {"PSUBSCRIBE", "user:*"}, {"UNSUBSCRIBE", "user:1"}, {"PUNSUBSCRIBE", "user:*"}}, reply: "<nil>"},
		{name: "NOT rewritten: no keys", call: `Echo("user:1")`,
			run: func(ctx context.Context, t *testing.T, c *redisclient.Client) string {
				return str(redisclient.Echo("user:1").Do(ctx, c))
			},
			want: [][]string{{"ECHO", "user:1"}}, reply: "user:1"},
	}
}

func TestFeatKeyPrefixTable(t *testing.T) {
	perProtocolServer(t, "prefix", func(t *testing.T, srv *Server, proto int) {
		ctx := testCtx(t)
		raw := NewClient(t, srv.Options(proto))
		opts := srv.Options(proto)
		opts.KeyPrefix = testPrefix
		c := NewClient(t, opts)
		must(t, c.Ready(ctx), "Ready")

		// Data, under the server-side names.
		ok(t, "SET")(redisclient.Set("app:user:1", "alice").Do(ctx, raw))
		value[int64](t, "RPUSH")(redisclient.RPush("app:ids", "1", "2").Do(ctx, raw))
		ok(t, "MSET")(redisclient.MSet("app:w_1", "20").KeyValue("app:w_2", "10").KeyValue("app:o_1", "one").KeyValue("app:o_2", "two").Do(ctx, raw))
		value[redisclient.Opt[string]](t, "XADD")(redisclient.XAdd("app:s1", "1-1", "f", "v").Do(ctx, raw))
		value[int64](t, "ZADD")(redisclient.ZAdd("app:z1", 1, "m1").Do(ctx, raw))
		value[int64](t, "ZADD")(redisclient.ZAdd("app:z2", 2, "m2").Do(ctx, raw))
		value[int64](t, "RPUSH")(redisclient.RPush("app:l2", "x").Do(ctx, raw))
		value[string](t, "FUNCTION LOAD")(redisclient.LoadLibrary(ctx, raw,
			"#!lua name=featprefix\nredis.register_function('feat_show', function(keys, args) return {keys[1], args[1]} end)", false))
		must(t, redisclient.NewScript(`return {KEYS[1], ARGV[1]}`, redisclient.DecodeStrings).Load(ctx, raw), "SCRIPT LOAD")

		mon := startMonitor(t, raw)
		mark := func(i int) []string { return []string{"ECHO", fmt.Sprintf("--row %d--", i)} }
		value[string](t, "marker")(redisclient.Echo(mark(-1)[1]).Do(ctx, raw))
		mon.until(t, mark(-1)...)

		var table strings.Builder
		fmt.Fprintf(&table, "KeyPrefix %q (RESP%d): what the application wrote, what the server received (MONITOR), the reply\n", testPrefix, proto)
		for i, row := range prefixRows() {
			got := row.run(ctx, t, c)
			value[string](t, "marker")(redisclient.Echo(mark(i)[1]).Do(ctx, raw))
			var seen [][]string
			for _, e := range mon.until(t, mark(i)...) {
				switch strings.ToUpper(e.Args[0]) {
				case "HELLO", "CLIENT", "SELECT", "AUTH", "PING":
					continue // handshakes of new dedicated connections
				}
				seen = append(seen, e.Args)
			}
			if quoteArgs(seen) != quoteArgs(row.want) {
				t.Errorf("%s: %s\nserver received:\n%s\nwant:\n%s", row.name, row.call, quoteArgs(seen), quoteArgs(row.want))
			}
			if row.reply != "" && got != row.reply {
				t.Errorf("%s: reply %s, want %s", row.name, got, row.reply)
			}
			fmt.Fprintf(&table, "%2d. %s\n      call:   %s\n", i+1, row.name, row.call)
			for j, args := range seen {
				label := "server:"
				if j > 0 {
					label = ""
				}
				fmt.Fprintf(&table, "      %-7s %s\n", label, quoteArgs([][]string{args}))
			}
			fmt.Fprintf(&table, "      reply:  %s\n", got)
		}
		if proto == 3 && !t.Failed() {
			t.Log("\n" + table.String())
		}

		// An unprefixed client sees the prefixed names.
		expect(t, "raw GET app:user:2", some("user:1"))(redisclient.Get("app:user:2").Do(ctx, raw))
		expect(t, "raw GET of an unprefixed name", none[string]())(redisclient.Get("user:2").Do(ctx, raw))
		expect(t, "raw ZCARD app:zu", int64(2))(redisclient.ZCard("app:zu").Do(ctx, raw))
		expect(t, "raw GET app:t3", some("1"))(redisclient.Get("app:t3").Do(ctx, raw))
		expect(t, "raw GET app:raw", some("v"))(redisclient.Get("app:raw").Do(ctx, raw))
	})
}
