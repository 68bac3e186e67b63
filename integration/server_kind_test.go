package integration

// This file checks server detection and the guard against another
// server's syntax on the real servers, on RESP2 and RESP3: the client
// reports the kind and version of server that HELLO named; a command built
// for the other kind (as a one-server builder marks it, with
// cmdimpl.Builder.Only) fails with *transport.UnsupportedServerError
// without reaching the server (INFO commandstats counts what ran), alone,
// in a pipeline (its neighbours run), in a transaction (nothing runs, as
// with EXECABORT), in a pipeline that needs a dedicated connection and on
// a dedicated connection; one built for this server runs. The cluster
// client (per node too) and the sentinel client the same way.

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/cluster"
	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// expectedServer returns what the client should report for srv, from the
// harness's own probe (INFO server), and the other kind of server.
func expectedServer(t testing.TB, srv *Server) (want transport.ServerInfo, other transport.Servers) {
	t.Helper()
	v := srv.Version(t)
	want = transport.ServerInfo{Kind: transport.ServerRedis, Version: fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2])}
	other = transport.ServerValkey
	if srv.IsValkey(t) {
		want.Kind, other = transport.ServerValkey, transport.ServerRedis
	}
	return want, other
}

// echoFor is ECHO msg built for servers only, as a generated builder
// marks a one-server command or option.
func echoFor(servers transport.Servers, msg string) redisclient.Cmd[resp.Message] {
	var b cmdimpl.Builder
	b.Start(transport.Meta{Flags: transport.FlagReadOnly})
	b.Tok(0, "ECHO")
	b.Str(1, msg)
	b.Only("ECHO", servers)
	return cmdimpl.NewCmd(b, cmdimpl.DecodeAny)
}

// wantRefused checks that err is the refusal of ECHO, built for need, by
// server.
func wantRefused(t testing.TB, err error, need transport.Servers, server transport.ServerInfo, what string) {
	t.Helper()
	wantRefusedCommand(t, err, "ECHO", need, server, what)
}

// wantRefusedCommand checks that err is the refusal of command, built for
// need, by server.
func wantRefusedCommand(t testing.TB, err error, command string, need transport.Servers, server transport.ServerInfo, what string) {
	t.Helper()
	var ue *transport.UnsupportedServerError
	if !errors.As(err, &ue) {
		t.Errorf("%s: err = %v (%T), want *transport.UnsupportedServerError", what, err, err)
		return
	}
	if ue.Command != command || ue.Needs != need || ue.Server != server {
		t.Errorf("%s: %+v, want %s needing %v on %v", what, *ue, command, need, server)
	}
	msg := err.Error()
	for _, part := range []string{command, need.String() + "-only", "the server is " + server.String(), "not sent"} {
		if !strings.Contains(msg, part) {
			t.Errorf("%s: message %q does not say %q", what, msg, part)
		}
	}
}

// wantEcho checks a reply of ECHO msg.
func wantEcho(t testing.TB, got resp.Message, err error, msg, what string) {
	t.Helper()
	if err != nil || got.Str != msg {
		t.Errorf("%s: %q, %v; want %q", what, got.Str, err, msg)
	}
}

// counted returns a function that checks how many commands of a kind
// (lower case, as in INFO commandstats) ran since it was made, summed over
// servers.
func counted(t testing.TB, command string, servers ...*Server) func(want int64, what string) {
	t.Helper()
	total := func() int64 {
		var n int64
		for _, s := range servers {
			n += commandCalls(t, s, command)
		}
		return n
	}
	before := total()
	return func(want int64, what string) {
		t.Helper()
		if got := total() - before; got != want {
			t.Errorf("%s: the server ran %s %d times, want %d (a refused command reached it, or an accepted one did not)", what, strings.ToUpper(command), got, want)
		}
	}
}

func TestServerKind(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "server-kind"})
	want, other := expectedServer(t, srv)
	own := want.Kind
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			// Not parallel: each counts the server's ECHO and INCR calls.
			ctx := testCtx(t)
			c := NewClient(t, srv.Options(proto))
			must(t, c.Ready(ctx), "Ready")
			if got := c.Server(); got != want {
				t.Fatalf("Client.Server() = %+v, want %+v (INFO server)", got, want)
			}
			t.Logf("HELLO %d named the server: %v", proto, c.Server())
			echoes := counted(t, "echo", srv)
			incrs := counted(t, "incr", srv)
			k := key(t, "n")

			// Alone.
			_, err := echoFor(other, "other").Do(ctx, c)
			wantRefused(t, err, other, want, "Do")
			got, err := echoFor(own, "own").Do(ctx, c)
			wantEcho(t, got, err, "own", "Do of this server's syntax")
			echoes(1, "after Do")

			// In a pipeline: the refused command's future has the error
			// (Exec's first), its neighbours their replies.
			p := c.Pipeline()
			incr := redisclient.Incr(k).Queue(p)
			refused := echoFor(other, "other").Queue(p)
			get := redisclient.Get(k).Queue(p)
			mine := echoFor(own, "own").Queue(p)
			refusedToo := echoFor(other, "other").Queue(p)
			wantRefused(t, p.Exec(ctx), other, want, "Pipeline.Exec")
			wantRefused(t, refused.Err(), other, want, "pipelined")
			wantRefused(t, refusedToo.Err(), other, want, "pipelined last")
			if n, err := incr.Result(); err != nil || n != 1 {
				t.Errorf("pipelined INCR: %d, %v", n, err)
			}
			if v, err := get.Result(); err != nil || v.Value != "1" {
				t.Errorf("pipelined GET: %+v, %v", v, err)
			}
			wantEcho(t, mine.Val(), mine.Err(), "own", "pipelined ECHO of this server's syntax")
			echoes(2, "after the pipeline")

			// In a transaction: nothing is sent, as EXECABORT would have
			// it; the same transaction without it runs.
			tx := c.TxPipeline()
			txIncr := redisclient.Incr(k).Queue(tx)
			txRefused := echoFor(other, "other").Queue(tx)
			err = tx.Exec(ctx)
			var abort *redisclient.TxAbortError
			if !errors.As(err, &abort) || !errors.Is(err, redisclient.ErrTxUnsupported) || len(abort.Queued) != 2 || abort.Queued[0] != nil {
				t.Fatalf("transaction with a refused command: %v, want a TxAbortError with ErrTxUnsupported for command 1", err)
			}
			wantRefused(t, abort.Queued[1], other, want, "TxAbortError.Queued[1]")
			wantRefused(t, err, other, want, "transaction (errors.As)")
			wantRefused(t, txRefused.Err(), other, want, "queued in the transaction")
			if !errors.Is(txIncr.Err(), redisclient.ErrTxUnsupported) {
				t.Errorf("the transaction's other command: %v, want the abort", txIncr.Err())
			}
			incrs(1, "after the refused transaction")
			tx = c.TxPipeline()
			txIncr = redisclient.Incr(k).Queue(tx)
			txMine := echoFor(own, "own").Queue(tx)
			must(t, tx.Exec(ctx), "transaction of this server's syntax")
			if n, err := txIncr.Result(); err != nil || n != 2 {
				t.Errorf("INCR in the transaction: %d, %v", n, err)
			}
			wantEcho(t, txMine.Val(), txMine.Err(), "own", "ECHO in the transaction")
			echoes(3, "after the transactions")

			// A pipeline with a blocking command runs on a dedicated
			// connection, which refuses the same way.
			list := key(t, "list")
			_, err = redisclient.RPush(list, "x").Do(ctx, c)
			must(t, err, "RPUSH")
			p = c.Pipeline()
			pop := redisclient.BLPop(time.Second, list).Queue(p)
			refused = echoFor(other, "other").Queue(p)
			mine = echoFor(own, "own").Queue(p)
			wantRefused(t, p.Exec(ctx), other, want, "blocking pipeline")
			wantRefused(t, refused.Err(), other, want, "in the blocking pipeline")
			if kv, err := pop.Result(); err != nil || kv == nil || kv.Element != "x" {
				t.Errorf("BLPOP in the pipeline: %+v, %v", kv, err)
			}
			wantEcho(t, mine.Val(), mine.Err(), "own", "ECHO in the blocking pipeline")
			echoes(4, "after the blocking pipeline")

			// A dedicated connection.
			conn, err := c.DedicatedConn(ctx, -1)
			must(t, err, "DedicatedConn")
			defer conn.Release()
			if got := conn.Server(); got != want {
				t.Errorf("Conn.Server() = %+v, want %+v", got, want)
			}
			_, err = echoFor(other, "other").Do(ctx, conn)
			wantRefused(t, err, other, want, "on a dedicated connection")
			got, err = echoFor(own, "own").Do(ctx, conn)
			wantEcho(t, got, err, "own", "on a dedicated connection")
			// Raw sends what it is given, to any server.
			raw, err := redisclient.Raw("ECHO", "raw").Do(ctx, c)
			wantEcho(t, raw, err, "raw", "Raw ECHO")
			echoes(6, "at the end")
		})
	}
}

func TestServerKindCluster(t *testing.T) {
	t.Parallel()
	tc := startCluster(t, cluConfig{Name: "server-kind", ReplicasPerMaster: -1})
	want, other := expectedServer(t, tc.Nodes[0].Server)
	own := want.Kind
	var servers []*Server
	for _, n := range tc.Nodes {
		servers = append(servers, n.Server)
	}
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			ctx := testCtx(t)
			c := tc.client(t, proto, nil)
			if got := c.Server(); got != want {
				t.Errorf("Client.Server() after Ready = %+v, want %+v", got, want)
			}
			nodes := cluRouter(t, c).Nodes(cluster.AllNodes)
			if len(nodes) != len(tc.Nodes) {
				t.Fatalf("%d nodes, want %d", len(nodes), len(tc.Nodes))
			}
			for _, n := range nodes {
				must(t, n.Ready(ctx), "node Ready")
				if got := n.Server(); got != want {
					t.Errorf("node %s: Server() = %+v, want %+v", n.Addr(), got, want)
				}
			}
			echoes := counted(t, "echo", servers...)
			gets := counted(t, "get", servers...)

			_, err := echoFor(other, "other").Do(ctx, c)
			wantRefused(t, err, other, want, "cluster Do")
			got, err := echoFor(own, "own").Do(ctx, c)
			wantEcho(t, got, err, "own", "cluster Do of this server's syntax")

			// A keyed command built for the other server, routed by slot,
			// alone and in a pipeline spanning the masters.
			getFor := func(servers transport.Servers, key string) redisclient.Cmd[resp.Message] {
				var b cmdimpl.Builder
				b.Start(transport.Meta{Flags: transport.FlagReadOnly})
				b.Tok(0, "GET")
				b.Key(1, key)
				b.Only("GET", servers)
				return cmdimpl.NewCmd(b, cmdimpl.DecodeAny)
			}
			_, err = getFor(other, cluKey(1, "k")).Do(ctx, c)
			wantRefusedCommand(t, err, "GET", other, want, "cluster GET")
			p := c.Pipeline()
			var refused, mine []*redisclient.Future[resp.Message]
			for i, sh := range tc.shards(t) {
				slot := sh.Slots[0]
				refused = append(refused, getFor(other, cluKey(slot, "k")).Queue(p))
				mine = append(mine, echoFor(own, fmt.Sprint("own", i)).Queue(p))
				mine = append(mine, getFor(own, cluKey(slot, "k")).Queue(p))
			}
			wantRefusedCommand(t, p.Exec(ctx), "GET", other, want, "cluster pipeline")
			for i, f := range refused {
				wantRefusedCommand(t, f.Err(), "GET", other, want, fmt.Sprint("pipelined GET ", i))
			}
			for i := 0; i < len(mine); i += 2 {
				wantEcho(t, mine[i].Val(), mine[i].Err(), fmt.Sprint("own", i/2), "cluster pipeline ECHO")
				if v, err := mine[i+1].Result(); err != nil || v.Kind != resp.KindNull {
					t.Errorf("pipelined GET %d: %+v, %v", i/2, v, err)
				}
			}
			shards := int64(len(refused))
			echoes(1+shards, "cluster")
			gets(shards, "cluster")
		})
	}
}

func TestServerKindSentinel(t *testing.T) {
	t.Parallel()
	g := startSentinelGroup(t, sntConfig{Name: "server-kind", Replicas: 1, Sentinels: 1})
	master := g.Nodes[0]
	want, other := expectedServer(t, master)
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			ctx := testCtx(t)
			c := g.client(t, proto, nil)
			must(t, c.Ready(ctx), "Ready")
			if got := c.Server(); got != want {
				t.Errorf("Client.Server() after Ready = %+v, want %+v", got, want)
			}
			echoes := counted(t, "echo", g.Nodes...)
			_, err := echoFor(other, "other").Do(ctx, c)
			wantRefused(t, err, other, want, "sentinel Do")
			p := c.Pipeline()
			refused := echoFor(other, "other").Queue(p)
			mine := echoFor(want.Kind, "own").Queue(p)
			wantRefused(t, p.Exec(ctx), other, want, "sentinel pipeline")
			wantRefused(t, refused.Err(), other, want, "pipelined on the sentinel client")
			wantEcho(t, mine.Val(), mine.Err(), "own", "pipelined ECHO of this server's syntax")
			echoes(1, "sentinel")
			if got := c.Server(); got != want {
				t.Errorf("Client.Server() = %+v, want %+v", got, want)
			}
		})
	}
}
