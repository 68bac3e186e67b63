package integration

// The sentinel client (redisclient.NewSentinel) against a real group of a
// master, two replicas and three sentinels: discovery from one sentinel
// address (the others are learned), typed commands, pipelines,
// transactions, Watch, a Subscriber, scripts and the client-side cache
// (RESP3) through the router, on RESP2 and RESP3; the sentinels' password
// apart from the data nodes'.

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

func TestSentinelBasic(t *testing.T) {
	g := startSentinelGroup(t, sntConfig{Name: "sbasic"})
	master := g.Nodes[0]

	// The sentinels and the data nodes require their own passwords.
	if out, err := sntCall(g.Sentinels[0].Addr, "", 3*time.Second, []string{"SENTINEL", "MASTERS"}); err != nil {
		t.Fatalf("probe the sentinel: %v", err)
	} else if !strings.HasPrefix(fmt.Sprint(out[0]), "NOAUTH") {
		t.Errorf("a sentinel answered without its password: %v", out[0])
	}
	if _, err := sntCall(g.Sentinels[0].Addr, sntDataPassword, 3*time.Second, []string{"PING"}); err == nil {
		t.Errorf("a sentinel accepted the data nodes' password")
	}
	if _, err := sntCall(master.Addr, sntSentinelPassword, 3*time.Second, []string{"PING"}); err == nil {
		t.Errorf("the master accepted the sentinels' password")
	}

	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			t.Parallel()
			sntBasic(t, g, proto)
		})
	}
	t.Run("SENTINEL_CONFIG", func(t *testing.T) {
		t.Parallel()
		snt := g.Sentinels[0]
		snt.RequireServer(t, "SENTINEL CONFIG GET of several parameters", "7.2.0", "")
		for _, proto := range []int{2, 3} {
			c := NewClient(t, redisclient.Options{Addr: snt.Addr, Password: sntSentinelPassword, Protocol: proto})
			ctx, _ := ctxWith(t, 5*time.Second)
			got := value[map[string]string](t, "SENTINEL CONFIG GET")(redisclient.SentinelConfig().Get("resolve-hostnames").Parameters("announce-hostnames").Do(ctx, c))
			if len(got) != 2 || got["resolve-hostnames"] == "" || got["announce-hostnames"] == "" {
				t.Fatalf("RESP%d SENTINEL CONFIG GET resolve-hostnames announce-hostnames: %v", proto, got)
			}
			// Set to what they are (the group keeps running), through SET of
			// several parameters, and read back.
			ok(t, "SENTINEL CONFIG SET")(redisclient.SentinelConfig().Set("resolve-hostnames", got["resolve-hostnames"]).
				ParameterValue("announce-hostnames", got["announce-hostnames"]).Do(ctx, c))
			expect(t, "SENTINEL CONFIG GET again", got)(redisclient.SentinelConfig().Get("resolve-hostnames").Parameters("announce-hostnames").Do(ctx, c))
		}
	})
	t.Run("SENTINEL_PRIMARY", func(t *testing.T) {
		t.Parallel()
		snt := g.Sentinels[0]
		snt.RequireServer(t, "SENTINEL PRIMARY, PRIMARIES, GET-PRIMARY-ADDR-BY-NAME and IS-PRIMARY-DOWN-BY-ADDR", "", "8.0.0")
		host, port, err := net.SplitHostPort(master.Addr)
		must(t, err, "master address")
		for _, proto := range []int{2, 3} {
			c := NewClient(t, redisclient.Options{Addr: snt.Addr, Password: sntSentinelPassword, Protocol: proto})
			ctx, _ := ctxWith(t, 5*time.Second)
			p := value[map[string]string](t, "SENTINEL PRIMARY")(redisclient.SentinelPrimary(sntMasterName).Do(ctx, c))
			if p["name"] != sntMasterName || net.JoinHostPort(p["ip"], p["port"]) != master.Addr || !strings.Contains(p["flags"], "master") {
				t.Errorf("RESP%d SENTINEL PRIMARY %s: name %q, address %s:%s, flags %q; want the master at %s", proto, sntMasterName, p["name"], p["ip"], p["port"], p["flags"], master.Addr)
			}
			all := value[[]map[string]string](t, "SENTINEL PRIMARIES")(redisclient.SentinelPrimaries().Do(ctx, c))
			if len(all) != 1 || all[0]["name"] != sntMasterName {
				t.Errorf("RESP%d SENTINEL PRIMARIES: %v, want %s alone", proto, all, sntMasterName)
			}
			expect(t, "SENTINEL GET-PRIMARY-ADDR-BY-NAME", []string{host, port})(redisclient.SentinelGetPrimaryAddrByName(sntMasterName).Do(ctx, c))
			portNum, err := strconv.ParseInt(port, 10, 64)
			must(t, err, "master port")
			// A query ("*" for the run ID asks for no vote): the master
			// is up, nobody was voted for.
			expect(t, "SENTINEL IS-PRIMARY-DOWN-BY-ADDR", redisclient.MasterDownReply{Down: false, Leader: "*", Epoch: 0})(
				redisclient.SentinelIsPrimaryDownByAddr(host, portNum, 0, "*").Do(ctx, c))
		}
	})
	t.Run("wrong-credentials", func(t *testing.T) {
		t.Parallel()
		// The data nodes' password given for the sentinels: no sentinel
		// answers, and Ready says why.
		c := g.client(t, 3, func(o *redisclient.SentinelOptions) {
			o.SentinelPassword = sntDataPassword
			o.SentinelRetry = func(int, error) (time.Duration, bool) { return 100 * time.Millisecond, true }
		})
		ctx, _ := ctxWith(t, 2*time.Second)
		err := c.Ready(ctx)
		if err == nil || !strings.Contains(err.Error(), "WRONGPASS") {
			t.Errorf("Ready with the wrong sentinel password: %v, want a WRONGPASS error", err)
		}
		// The right sentinel password but the wrong data password: the
		// node is found and refuses the handshake.
		c2 := g.client(t, 3, func(o *redisclient.SentinelOptions) {
			o.Password = sntSentinelPassword
			o.SentinelRetry = func(int, error) (time.Duration, bool) { return 100 * time.Millisecond, true }
		})
		ctx, _ = ctxWith(t, 2*time.Second)
		err = c2.Ready(ctx)
		if err == nil || !strings.Contains(err.Error(), "WRONGPASS") {
			t.Errorf("Ready with the wrong data password: %v, want a WRONGPASS error", err)
		}
	})
}

func sntBasic(t *testing.T, g *sntGroup, proto int) {
	master := g.Nodes[0]
	var cache *redisclient.CacheOptions
	if proto == 3 {
		cache = &redisclient.CacheOptions{}
	}
	c := g.client(t, proto, func(o *redisclient.SentinelOptions) { o.Cache = cache })
	ctx := testCtx(t)
	begin := time.Now()
	readyCtx, _ := ctxWith(t, 10*time.Second)
	must(t, c.Ready(readyCtx), "Ready")
	t.Logf("RESP%d: discovery took %v", proto, time.Since(begin).Round(time.Millisecond))
	r := c.Router(t)
	if r.Addr() != master.Addr {
		t.Errorf("Router.Addr: %q, want the master %s", r.Addr(), master.Addr)
	}
	// Given one sentinel, the router learns the other two.
	want := sortedCopy(g.addrs(g.Sentinels))
	if !waitFor(10*time.Second, func() bool { return slices.Equal(sortedCopy(r.Sentinels()), want) }) {
		t.Errorf("Router.Sentinels: %v, want %v", r.Sentinels(), want)
	}
	role := value[redisclient.ReplicationRole](t, "ROLE")(redisclient.Role().Do(ctx, c))
	if role.Role != "master" || len(role.Replicas) != 2 {
		t.Errorf("ROLE through the client: %+v, want a master with 2 replicas", role)
	}

	// Typed commands.
	k, n, h := key(t, "k"), key(t, "n"), key(t, "h")
	ok(t, "SET")(redisclient.Set(k, "v").Do(ctx, c))
	expect(t, "GET", some("v"))(redisclient.Get(k).Do(ctx, c))
	// Stats: one node, the master the sentinels named.
	if st := c.Stats(); len(st.Nodes) != 1 || st.Nodes[0].Addr != master.Addr || st.Nodes[0].Shared == 0 || st.Nodes[0].Dials == 0 {
		t.Errorf("Stats through the sentinel router: %+v, want one node at %s", st, master.Addr)
	} else {
		checkTotal(t, st)
	}
	expect(t, "INCRBY", int64(7))(redisclient.IncrBy(n, 7).Do(ctx, c))
	expect(t, "HSET", int64(2))(redisclient.HSet(h, "a", "1").FieldValue("b", "2").Do(ctx, c))
	expect(t, "HGETALL", map[string]string{"a": "1", "b": "2"})(redisclient.HGetAll(h).Do(ctx, c))

	// A pipeline.
	p := c.Pipeline()
	set := redisclient.Set(k, "p").Queue(p)
	get := redisclient.Get(k).Queue(p)
	incr := redisclient.Incr(n).Queue(p)
	must(t, p.Exec(ctx), "pipeline")
	ok(t, "SET in pipeline")(set.Err())
	expect(t, "GET in pipeline", some("p"))(get.Result())
	expect(t, "INCR in pipeline", int64(8))(incr.Result())

	// A transaction.
	tx := c.TxPipeline()
	tincr := redisclient.IncrBy(n, 2).Queue(tx)
	tget := redisclient.Get(n).Queue(tx)
	must(t, tx.Exec(ctx), "MULTI/EXEC")
	expect(t, "INCRBY in tx", int64(10))(tincr.Result())
	expect(t, "GET in tx", some("10"))(tget.Result())

	// Watch, with a conflict from a plain client of the master.
	other := NewClient(t, master.Options(proto))
	attempts := 0
	err := c.Watch(ctx, func(tx *redisclient.Tx) error {
		attempts++
		v, err := redisclient.Get(n).Do(ctx, tx)
		if err != nil {
			return err
		}
		if attempts == 1 {
			if err := redisclient.Set(n, "100").Do(ctx, other); err != nil {
				return err
			}
		}
		redisclient.Set(n+":seen", v.Value).Queue(tx)
		return nil
	}, n)
	must(t, err, "Watch")
	if attempts != 2 {
		t.Errorf("Watch ran its function %d times, want 2 (one conflict)", attempts)
	}
	expect(t, "value seen by the committed attempt", some("100"))(redisclient.Get(n+":seen").Do(ctx, c))

	// Pub/sub.
	sub := c.NewSubscriber(redisclient.SubscriberOptions{})
	defer sub.Close()
	ch := key(t, "ch")
	must(t, sub.Subscribe(ctx, ch), "SUBSCRIBE")
	expect(t, "PUBLISH receivers", int64(1))(redisclient.Publish(ch, "hello").Do(ctx, c))
	if m := recvMsg(t, sub.Messages(), 5*time.Second, "message"); m.Channel != ch || m.Payload != "hello" {
		t.Errorf("message: %s", describeMsg(m))
	}

	// A script (EVALSHA, falling back to EVAL the first time).
	script := redisclient.NewScript(`return redis.call('INCRBY', KEYS[1], ARGV[1])`, redisclient.DecodeInt)
	expect(t, "script", int64(105))(script.Run(ctx, c, []string{n}, "5"))
	expect(t, "script again", int64(106))(script.Run(ctx, c, []string{n}, "1"))

	// The client-side cache (RESP3): a hit, then an invalidation when a
	// plain client of the master writes.
	if proto == 3 {
		ck := key(t, "cached")
		ok(t, "SET cached")(redisclient.Set(ck, "c1").Do(ctx, other))
		expect(t, "DoCached miss", some("c1"))(redisclient.Get(ck).DoCached(ctx, c.Client, time.Minute))
		expect(t, "DoCached hit", some("c1"))(redisclient.Get(ck).DoCached(ctx, c.Client, time.Minute))
		if st := c.CacheStats(); st.Hits != 1 || st.Misses != 1 {
			t.Errorf("cache stats after a miss and a hit: %+v", st)
		}
		ok(t, "SET by another client")(redisclient.Set(ck, "c2").Do(ctx, other))
		var got redisclient.Opt[string]
		if !waitFor(5*time.Second, func() bool {
			got, err = redisclient.Get(ck).DoCached(ctx, c.Client, time.Minute)
			return err == nil && got.Value == "c2"
		}) {
			t.Errorf("DoCached after another client's write: %v %v, want c2 (invalidation)", got, err)
		}
	}
}
