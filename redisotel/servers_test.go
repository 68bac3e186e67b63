package redisotel

// Tests against real servers (redistest: a local redis-server, or a
// container): spans, durations and connection metrics of a single node,
// a cluster and a sentinel group.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/redistest"
)

const (
	secretPassword = "pw-never-in-telemetry"
	secretValue    = "value-never-in-telemetry"
)

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// readyClient waits for c and closes it at cleanup.
func readyClient(t *testing.T, c *redisclient.Client, err error) *redisclient.Client {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Ready(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	return c
}

// lastSpan returns the last ended span, checking its name.
func lastSpan(t *testing.T, tel *telemetry, name string) sdktrace.ReadOnlySpan {
	t.Helper()
	spans := tel.ended()
	if len(spans) == 0 {
		t.Fatalf("no span ended, want %q", name)
	}
	s := spans[len(spans)-1]
	if s.Name() != name {
		t.Fatalf("last span %q, want %q", s.Name(), name)
	}
	if s.SpanKind() != trace.SpanKindClient {
		t.Errorf("span %q kind %v, want client", s.Name(), s.SpanKind())
	}
	return s
}

// leaks returns every attribute, status and event text of the spans that
// contains one of secrets.
func leaks(spans []sdktrace.ReadOnlySpan, secrets ...string) []string {
	var out []string
	check := func(where, text string) {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				out = append(out, where+": "+text)
			}
		}
	}
	for _, sp := range spans {
		for _, kv := range sp.Attributes() {
			check(sp.Name()+" "+string(kv.Key), kv.Value.Emit())
		}
		check(sp.Name()+" status", sp.Status().Description)
		for _, ev := range sp.Events() {
			for _, kv := range ev.Attributes {
				check(sp.Name()+" event "+string(kv.Key), kv.Value.Emit())
			}
		}
	}
	return out
}

func TestSingleNode(t *testing.T) {
	srv := redistest.Start(t, redistest.Config{Password: secretPassword})
	tel := newTelemetry(t)
	opts := srv.Options()
	opts.PoolSize = 1
	InstrumentOptions(&opts, tel.opts...)
	c, err := redisclient.New(opts)
	c = readyClient(t, c, err)
	ctx := testCtx(t)
	server := map[string]string{
		"db.system.name": "redis", "db.namespace": "0",
		"server.address": "127.0.0.1", "server.port": strconv.Itoa(srv.Port()),
		"network.peer.address": "127.0.0.1", "network.peer.port": strconv.Itoa(srv.Port()),
	}
	with := func(m map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range server {
			out[k] = v
		}
		for k, v := range m {
			out[k] = v
		}
		return out
	}

	t.Run("command", func(t *testing.T) {
		if err := redisclient.Set("otel:k", secretValue).Do(ctx, c); err != nil {
			t.Fatal(err)
		}
		s := lastSpan(t, tel, "SET")
		wantAttrs(t, "SET", attrsOf(s), with(map[string]string{"db.operation.name": "SET"}),
			"error.type", "db.query.text", "db.operation.batch.size")
		if s.Status().Code != codes.Unset {
			t.Errorf("SET status %v, want unset", s.Status())
		}
		if _, err := redisclient.ClientList().Do(ctx, c); err != nil {
			t.Fatal(err)
		}
		lastSpan(t, tel, "CLIENT LIST")
	})

	t.Run("error reply", func(t *testing.T) {
		_, err := redisclient.Incr("otel:k").Do(ctx, c)
		if err == nil {
			t.Fatal("INCR of a non-number succeeded")
		}
		s := lastSpan(t, tel, "INCR")
		wantAttrs(t, "INCR", attrsOf(s), with(map[string]string{"error.type": "ERR", "db.response.status_code": "ERR"}))
		if s.Status().Code != codes.Error || s.Status().Description != "ERR" {
			t.Errorf("INCR status %v, want Error \"ERR\"", s.Status())
		}
		_, err = redisclient.LPush("otel:k", "x").Do(ctx, c)
		if err == nil {
			t.Fatal("LPUSH on a string succeeded")
		}
		wantAttrs(t, "LPUSH", attrsOf(lastSpan(t, tel, "LPUSH")), map[string]string{"error.type": "WRONGTYPE"})
	})

	t.Run("pipeline", func(t *testing.T) {
		p := c.Pipeline()
		redisclient.Set("otel:p1", "1").Queue(p)
		redisclient.Get("otel:p1").Queue(p)
		redisclient.Incr("otel:p1").Queue(p)
		if err := p.Exec(ctx); err != nil {
			t.Fatal(err)
		}
		s := lastSpan(t, tel, "PIPELINE")
		wantAttrs(t, "PIPELINE", attrsOf(s), with(map[string]string{"db.operation.name": "PIPELINE", "db.operation.batch.size": "3"}), "error.type")

		p = c.Pipeline()
		redisclient.Get("otel:p1").Queue(p)
		redisclient.Incr("otel:k").Queue(p) // fails: a string
		_ = p.Exec(ctx)
		s = lastSpan(t, tel, "PIPELINE")
		wantAttrs(t, "failing PIPELINE", attrsOf(s), map[string]string{"db.operation.batch.size": "2", "error.type": "ERR"})
		if s.Status().Code != codes.Error {
			t.Errorf("failing pipeline status %v, want Error", s.Status())
		}

		p = c.Pipeline()
		redisclient.Get("otel:p1").Queue(p)
		redisclient.Get("otel:k").Queue(p)
		if err := p.Exec(ctx); err != nil {
			t.Fatal(err)
		}
		wantAttrs(t, "PIPELINE GET", attrsOf(lastSpan(t, tel, "PIPELINE GET")), map[string]string{"db.operation.name": "PIPELINE GET"})
	})

	t.Run("transaction", func(t *testing.T) {
		tx := c.TxPipeline()
		redisclient.Incr("otel:t1").Queue(tx)
		redisclient.Incr("otel:t2").Queue(tx)
		if err := tx.Exec(ctx); err != nil {
			t.Fatal(err)
		}
		s := lastSpan(t, tel, "MULTI INCR")
		wantAttrs(t, "MULTI INCR", attrsOf(s), with(map[string]string{"db.operation.name": "MULTI INCR", "db.operation.batch.size": "2"}), "error.type")

		// A command that fails inside EXEC fails the transaction's span.
		tx = c.TxPipeline()
		redisclient.Incr("otel:t1").Queue(tx)
		redisclient.Incr("otel:k").Queue(tx)
		redisclient.Get("otel:t1").Queue(tx)
		if err := tx.Exec(ctx); err == nil {
			t.Fatal("a transaction with INCR of a string succeeded")
		}
		s = lastSpan(t, tel, "MULTI")
		wantAttrs(t, "failing MULTI", attrsOf(s), map[string]string{"db.operation.batch.size": "3", "error.type": "ERR"})
		if s.Status().Code != codes.Error {
			t.Errorf("failing transaction status %v, want Error", s.Status())
		}
	})

	t.Run("deadline", func(t *testing.T) {
		short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		if _, err := redisclient.BLPop(0, "otel:empty").Do(short, c); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("BLPOP past its deadline: %v, want context.DeadlineExceeded", err)
		}
		s := lastSpan(t, tel, "BLPOP")
		wantAttrs(t, "BLPOP", attrsOf(s), with(map[string]string{"error.type": "timeout"}), "db.response.status_code")
		if s.Status().Code != codes.Error {
			t.Errorf("BLPOP status %v, want Error", s.Status())
		}
	})

	t.Run("refused before sending", func(t *testing.T) {
		// AUTH never runs on a shared connection: the span fails, and the
		// password appears nowhere.
		if _, err := redisclient.Raw("AUTH", secretPassword).Do(ctx, c); err == nil {
			t.Fatal("AUTH on the shared connection succeeded")
		}
		s := lastSpan(t, tel, "AUTH")
		wantAttrs(t, "AUTH", attrsOf(s), map[string]string{"error.type": "*transport.ConnStateError"}, "server.address")
	})

	t.Run("no query text by default", func(t *testing.T) {
		for _, s := range tel.ended() {
			if v, ok := attrsOf(s)["db.query.text"]; ok {
				t.Errorf("span %q has db.query.text %q without WithQueryText", s.Name(), v.Emit())
			}
		}
		if l := leaks(tel.ended(), secretPassword, secretValue); len(l) > 0 {
			t.Errorf("secrets in spans:\n%s", strings.Join(l, "\n"))
		}
	})

	t.Run("durations", func(t *testing.T) {
		rm := tel.collect(t)
		pts := histogramPoints(t, rm, "db.client.operation.duration")
		byOp := map[string]metricdata.HistogramDataPoint[float64]{}
		for _, p := range pts {
			op, _ := p.Attributes.Value("db.operation.name")
			et, _ := p.Attributes.Value("error.type")
			byOp[op.Emit()+"/"+et.Emit()] = p
		}
		set, ok := byOp["SET/"]
		if !ok {
			t.Fatalf("no duration point for SET: %v", pts)
		}
		if set.Count != 1 || set.Sum <= 0 || set.Sum > 10 {
			t.Errorf("SET duration: count %d, sum %v s", set.Count, set.Sum)
		}
		if fmt.Sprint(set.Bounds) != fmt.Sprint(DurationBuckets) {
			t.Errorf("bounds %v, want %v", set.Bounds, DurationBuckets)
		}
		for k, v := range map[attribute.Key]string{"db.system.name": "redis", "server.address": "127.0.0.1", "server.port": strconv.Itoa(srv.Port()), "db.namespace": "0"} {
			if got, _ := set.Attributes.Value(k); got.Emit() != v {
				t.Errorf("SET duration %s = %q, want %q", k, got.Emit(), v)
			}
		}
		if p, ok := byOp["INCR/ERR"]; !ok || p.Count != 1 {
			t.Errorf("INCR/ERR duration point: %v (found %v)", p, ok)
		}
		if _, ok := byOp["MULTI INCR/"]; !ok {
			t.Errorf("no duration point for the transaction")
		}
	})

	t.Run("connection metrics", func(t *testing.T) {
		reg, err := RegisterMetrics(c, append(tel.opts, WithDBIndex(0))...)
		if err != nil {
			t.Fatal(err)
		}
		defer reg.Unregister()
		pool := srv.Addr() + "/0"
		conn, err := c.DedicatedConn(ctx, -1)
		if err != nil {
			t.Fatal(err)
		}
		st := c.Stats().Nodes[0]
		conns := gauge(t, tel.collect(t), "db.client.connection.count")
		if got := conns[pool+"/used"]; got != int64(st.Shared+1) {
			t.Errorf("used connections %d, want %d (shared) + 1 (held)", got, st.Shared)
		}
		if got := conns[pool+"/idle"]; got != 0 {
			t.Errorf("idle connections %d, want 0", got)
		}
		// The pool (size 1) is empty: a wait times out.
		short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		if _, err := c.DedicatedConn(short, -1); err == nil {
			t.Fatal("a second dedicated connection from a pool of 1")
		}
		cancel()
		conn.Release()
		rm := tel.collect(t)
		conns = gauge(t, rm, "db.client.connection.count")
		if got := conns[pool+"/idle"]; got != 1 {
			t.Errorf("idle connections %d after release, want 1", got)
		}
		if got := gauge(t, rm, "db.client.connection.timeouts")[pool+"/"]; got != 1 {
			t.Errorf("timeouts %d, want 1", got)
		}
		if got, ok := gauge(t, rm, "db.client.connection.pending_requests")[pool+"/"]; !ok || got != 0 {
			t.Errorf("pending requests %d (reported %v), want 0", got, ok)
		}
	})
}

// gauge returns the int64 points of the metric named name, by
// "<pool>/<state>".
func gauge(t *testing.T, rm metricdata.ResourceMetrics, name string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != name {
				continue
			}
			var pts []metricdata.DataPoint[int64]
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				pts = d.DataPoints
			default:
				t.Fatalf("%s is %T, want an int64 sum", name, m.Data)
			}
			for _, p := range pts {
				pool, _ := p.Attributes.Value("db.client.connection.pool.name")
				state, _ := p.Attributes.Value("db.client.connection.state")
				if sys, _ := p.Attributes.Value("db.system.name"); sys.Emit() != "redis" {
					t.Errorf("%s point without db.system.name redis: %v", name, p.Attributes)
				}
				out[pool.Emit()+"/"+state.Emit()] = p.Value
			}
		}
	}
	return out
}

func TestQueryText(t *testing.T) {
	srv := redistest.Start(t)
	tel := newTelemetry(t)
	opts := srv.Options()
	InstrumentOptions(&opts, append(tel.opts, WithQueryText(true))...)
	c, err := redisclient.New(opts)
	c = readyClient(t, c, err)
	ctx := testCtx(t)
	if _, err := redisclient.Set("otel:q", secretValue).NX().EX(time.Minute).Do(ctx, c); err != nil {
		t.Fatal(err)
	}
	wantAttrs(t, "SET", attrsOf(lastSpan(t, tel, "SET")), map[string]string{"db.query.text": "SET ? ? NX EX ?"})
	if _, err := redisclient.ZRange("otel:z", "0", "-1").WithScores().Do(ctx, c); err != nil {
		t.Fatal(err)
	}
	wantAttrs(t, "ZRANGE", attrsOf(lastSpan(t, tel, "ZRANGE")), map[string]string{"db.query.text": "ZRANGE ? ? ? WITHSCORES"})
	tx := c.TxPipeline()
	redisclient.Set("otel:q2", secretValue).Queue(tx)
	redisclient.Get("otel:q").Queue(tx)
	if err := tx.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	wantAttrs(t, "MULTI", attrsOf(lastSpan(t, tel, "MULTI")), map[string]string{"db.query.text": "MULTI; SET ? ?; GET ?; EXEC"})
	if l := leaks(tel.ended(), secretValue, "otel:q"); len(l) > 0 {
		t.Errorf("values or keys in spans:\n%s", strings.Join(l, "\n"))
	}
}

// servedAddr returns a span's server.address:server.port.
func servedAddr(s sdktrace.ReadOnlySpan) string {
	a := attrsOf(s)
	host, port := a["server.address"], a["server.port"]
	if host.Emit() == "" {
		return ""
	}
	return host.Emit() + ":" + port.Emit()
}

func TestCluster(t *testing.T) {
	cl := redistest.StartCluster(t)
	tel := newTelemetry(t)
	copts := cl.ClusterOptions()
	InstrumentOptions(&copts.Options, tel.opts...)
	c, err := redisclient.NewCluster(copts)
	c = readyClient(t, c, err)
	ctx := testCtx(t)

	// Each command's span names the master that owns its key: that node
	// answers GET for it itself (no MOVED).
	nodes := map[string]*redisclient.Client{}
	for _, n := range cl.Masters() {
		nc, err := redisclient.New(n.Options())
		nodes[n.Addr()] = readyClient(t, nc, err)
	}
	served := map[string]bool{}
	for i := 0; i < 12; i++ {
		key := fmt.Sprintf("otel:cluster:%d", i)
		if err := redisclient.Set(key, "v").Do(ctx, c); err != nil {
			t.Fatal(err)
		}
		addr := servedAddr(lastSpan(t, tel, "SET"))
		node, ok := nodes[addr]
		if !ok {
			t.Fatalf("SET %s: server %q is not a master of the cluster", key, addr)
		}
		if v, err := redisclient.Get(key).Do(ctx, node); err != nil || v.Value != "v" {
			t.Errorf("SET %s: span names %s, which answers GET with %q, %v", key, addr, v.Value, err)
		}
		served[addr] = true
	}
	if len(served) < 2 {
		t.Errorf("12 keys all served by %v: the test does not tell nodes apart", served)
	}

	// A pipeline over several nodes names none; one within a slot names
	// its node.
	p := c.Pipeline()
	for i := 0; i < 12; i++ {
		redisclient.Get(fmt.Sprintf("otel:cluster:%d", i)).Queue(p)
	}
	if err := p.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	s := lastSpan(t, tel, "PIPELINE GET")
	wantAttrs(t, "spread pipeline", attrsOf(s), map[string]string{"db.operation.batch.size": "12"}, "server.address", "server.port")
	tx := c.TxPipeline()
	redisclient.Incr("otel:{tx}:a").Queue(tx)
	redisclient.Incr("otel:{tx}:b").Queue(tx)
	if err := tx.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	s = lastSpan(t, tel, "MULTI INCR")
	addr := servedAddr(s)
	if _, ok := nodes[addr]; !ok {
		t.Fatalf("transaction served by %q, not a master", addr)
	}
	if n, err := redisclient.Get("otel:{tx}:a").Do(ctx, nodes[addr]); err != nil || n.Value != "1" {
		t.Errorf("transaction's span names %s, which answers GET with %q, %v", addr, n.Value, err)
	}

	// Connection metrics: one pool per node.
	reg, err := RegisterMetrics(c, tel.opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Unregister()
	conns := gauge(t, tel.collect(t), "db.client.connection.count")
	for a := range nodes {
		if conns[a+"/used"] < 1 {
			t.Errorf("node %s: %d used connections, want at least its shared one (points %v)", a, conns[a+"/used"], conns)
		}
	}
}

func TestSentinel(t *testing.T) {
	g := redistest.StartSentinel(t, redistest.SentinelConfig{Replicas: 1})
	tel := newTelemetry(t)
	sopts := g.SentinelOptions()
	InstrumentOptions(&sopts.Options, tel.opts...)
	c, err := redisclient.NewSentinel(sopts)
	c = readyClient(t, c, err)
	ctx := testCtx(t)

	if err := redisclient.Set("otel:s", "1").Do(ctx, c); err != nil {
		t.Fatal(err)
	}
	master := g.MasterAddr(t)
	if got := servedAddr(lastSpan(t, tel, "SET")); got != master {
		t.Fatalf("SET served by %q, want the master %s", got, master)
	}
	if got := servedAddr(lastSpan(t, tel, "SET")); got == g.Replicas[0].Addr() {
		t.Fatalf("SET served by the replica")
	}

	// After a failover, spans name the new master.
	if _, err := redisclient.RawStrings("SENTINEL", "FAILOVER", g.MasterName).Do(ctx, sentinelClient(t, g)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(45 * time.Second)
	for {
		now := g.MasterAddr(t)
		if now != master {
			err := redisclient.Set("otel:s", "2").Do(ctx, c)
			if err == nil && servedAddr(lastSpan(t, tel, "SET")) == now {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("45 s after SENTINEL FAILOVER, SET is still not traced on a new master (sentinels name %s; was %s)", now, master)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// sentinelClient returns a plain client of the group's first sentinel.
func sentinelClient(t *testing.T, g *redistest.Sentinel) *redisclient.Client {
	c, err := redisclient.New(redisclient.Options{Addr: g.Sentinels[0].Addr()})
	return readyClient(t, c, err)
}
