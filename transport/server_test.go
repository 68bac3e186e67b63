package transport

// This file tests server detection (the handshake's HELLO reply read into
// ServerInfo, on both protocols and the fallbacks) and the guard that
// refuses, unsent, a command built for another kind of server: on shared
// connections (direct and pipelined, single and batched, from the offline
// queue) and on dedicated ones, its neighbours unaffected.

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/transport/resp"
)

func TestDialServerInfo(t *testing.T) {
	cases := []struct {
		name      string
		opts      fakeOptions
		protocol  int
		want      ServerInfo
		wantProto int
		hellos    int64
	}{
		{"RedisRESP3", fakeOptions{ServerName: "redis", Version: "8.6.3"}, 3, ServerInfo{ServerRedis, "8.6.3"}, 3, 1},
		{"RedisRESP2", fakeOptions{ServerName: "redis", Version: "7.0.15"}, 2, ServerInfo{ServerRedis, "7.0.15"}, 2, 1},
		{"ValkeyRESP3", fakeOptions{ServerName: "valkey", Version: "9.1.2"}, 3, ServerInfo{ServerValkey, "9.1.2"}, 3, 1},
		{"ValkeyRESP2", fakeOptions{ServerName: "valkey", Version: "9.1.2"}, 2, ServerInfo{ServerValkey, "9.1.2"}, 2, 1},
		// NOPROTO to HELLO 3: HELLO 2 names the server.
		{"NoRESP3", fakeOptions{ServerName: "valkey", Version: "9.1.2", NoRESP3: true}, 0, ServerInfo{ServerValkey, "9.1.2"}, 2, 2},
		// No HELLO at all (before Redis 6): unknown.
		{"NoHello", fakeOptions{NoHello: true}, 0, ServerInfo{}, 2, 1},
		{"NoHelloRESP2", fakeOptions{NoHello: true}, 2, ServerInfo{}, 2, 1},
		// Another server: its version, no kind.
		{"OtherServer", fakeOptions{ServerName: "keydb", Version: "6.3.4"}, 3, ServerInfo{Version: "6.3.4"}, 3, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newFakeServer(t, tc.opts)
			c := mustDial(t, DialConfig{Addr: s.addr, Protocol: tc.protocol, ClientName: "who"})
			if got := c.Server(); got != tc.want {
				t.Errorf("Server() = %+v, want %+v", got, tc.want)
			}
			if c.Proto() != tc.wantProto {
				t.Errorf("Proto() = %d, want %d", c.Proto(), tc.wantProto)
			}
			if got := s.Count("HELLO"); got != tc.hellos {
				t.Errorf("HELLO sent %d times, want %d", got, tc.hellos)
			}
			if info := onlyClient(t, s); info.Name != "who" || info.Proto != tc.wantProto {
				t.Errorf("server sees %+v", info)
			}
			mustRun(t, testCtx(t, 5*time.Second), c, setCmd("k", "v"))
		})
	}
	t.Run("SetupNeedsRESP3", func(t *testing.T) {
		s := newFakeServer(t, fakeOptions{NoRESP3: true})
		_, err := dialT(t, DialConfig{Addr: s.addr, Setup: [][]string{{"CLIENT", "TRACKING", "ON"}}})
		if err == nil || !strings.Contains(err.Error(), "CLIENT TRACKING ON needs RESP3, and the connection speaks RESP2") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("WrongPasswordRESP2", func(t *testing.T) {
		s := newFakeServer(t, fakeOptions{Users: map[string]string{"default": "right"}})
		_, err := dialT(t, DialConfig{Addr: s.addr, Protocol: 2, Password: "wrong"})
		var re *resp.Error
		if !errors.As(err, &re) || re.Prefix() != "WRONGPASS" || !strings.Contains(err.Error(), "HELLO") {
			t.Errorf("err = %v, want HELLO's WRONGPASS", err)
		}
	})
}

func TestServerInfoString(t *testing.T) {
	for _, tc := range []struct {
		s    ServerInfo
		want string
	}{
		{ServerInfo{ServerRedis, "8.6.3"}, "redis 8.6.3"},
		{ServerInfo{ServerValkey, "9.1.2"}, "valkey 9.1.2"},
		{ServerInfo{Kind: ServerValkey}, "valkey"},
		{ServerInfo{}, "an unknown server"},
		{ServerInfo{Version: "6.3.4"}, "an unknown server 6.3.4"},
	} {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("%+v.String() = %q, want %q", tc.s, got, tc.want)
		}
	}
}

// echoFor is ECHO msg built for servers (zero: any).
func echoFor(servers Servers, msg string) *Command {
	return NewCommand(Meta{Flags: FlagReadOnly, Servers: servers}, String("ECHO"), String(msg))
}

// wantUnsupported checks err is the refusal of ECHO, built for need, by
// server.
func wantUnsupported(t *testing.T, err error, need Servers, server ServerInfo) {
	t.Helper()
	var ue *UnsupportedServerError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v (%T), want *UnsupportedServerError", err, err)
	}
	if ue.Command != "ECHO" || ue.Needs != need || ue.Server != server {
		t.Errorf("error %+v, want ECHO needing %v on %v", *ue, need, server)
	}
	want := fmt.Sprintf("transport: ECHO as built is %s-only syntax; the server is %s (not sent)", need, server)
	if err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}
}

func TestNodeRefusesOtherServersSyntax(t *testing.T) {
	redis := ServerInfo{ServerRedis, "8.6.3"}
	for _, pipelined := range []bool{false, true} {
		t.Run(map[bool]string{false: "Direct", true: "Pipelined"}[pipelined], func(t *testing.T) {
			s := newFakeServer(t, fakeOptions{ServerName: "redis", Version: "8.6.3"})
			n := newTestNode(t, s, func(c *NodeConfig) { c.AlwaysPipeline = pipelined })
			waitConnected(t, n)
			ctx := testCtx(t, 10*time.Second)
			if got := n.Server(); got != redis {
				t.Fatalf("Node.Server() = %+v, want %+v", got, redis)
			}

			// One command: refused unsent; the server's own and any
			// server's run.
			_, err := run(ctx, n, echoFor(ServerValkey, "valkey-only"))
			wantUnsupported(t, err, ServerValkey, redis)
			if got := s.Count("ECHO"); got != 0 {
				t.Fatalf("the refused ECHO reached the server (%d ECHO)", got)
			}
			if got := mustRun(t, ctx, n, echoFor(ServerRedis, "redis-only")); got != "redis-only" {
				t.Errorf("redis-only ECHO = %q", got)
			}
			if got := mustRun(t, ctx, n, echoFor(AnyServer, "both")); got != "both" {
				t.Errorf("ECHO for both = %q", got)
			}

			// A pipeline: the refused command gets the error, its
			// neighbours their replies, in order.
			cmds := []*Command{setCmd("k", "v"), echoFor(ServerValkey, "no"), getCmd("k"), echoFor(ServerRedis, "yes"), echoFor(ServerValkey, "no")}
			defer releaseAll(cmds)
			if err := n.DoMulti(ctx, cmds); err != nil {
				t.Fatalf("DoMulti: %v", err)
			}
			for i, want := range []string{"OK", "", "v", "yes", ""} {
				if want == "" {
					wantUnsupported(t, cmds[i].Err(), ServerValkey, redis)
					continue
				}
				if err := cmds[i].Err(); err != nil || replyText(cmds[i].Reply()) != want {
					t.Errorf("command %d: %q, %v; want %q", i, replyText(cmds[i].Reply()), err, want)
				}
			}
			// A pipeline of refused commands only.
			only := []*Command{echoFor(ServerValkey, "a"), echoFor(ServerValkey, "b")}
			defer releaseAll(only)
			if err := n.DoMulti(ctx, only); err != nil {
				t.Fatalf("DoMulti of refused commands: %v", err)
			}
			for _, cmd := range only {
				wantUnsupported(t, cmd.Err(), ServerValkey, redis)
			}
			// With a blocking command: the pipeline runs on a dedicated
			// connection, which refuses the same way.
			blocking := []*Command{mkCmd(FlagBlocking, "SLEEP", "1"), echoFor(ServerValkey, "no"), getCmd("k")}
			defer releaseAll(blocking)
			if err := n.DoMulti(ctx, blocking); err != nil {
				t.Fatalf("DoMulti with a blocking command: %v", err)
			}
			wantUnsupported(t, blocking[1].Err(), ServerValkey, redis)
			if replyText(blocking[0].Reply()) != "OK" || replyText(blocking[2].Reply()) != "v" || blocking[0].Err() != nil || blocking[2].Err() != nil {
				t.Errorf("blocking pipeline: %v %v", blocking[0].Reply(), blocking[2].Reply())
			}
			if got := s.Count("ECHO"); got != 3 {
				t.Errorf("the server got %d ECHO, want the 3 it accepts", got)
			}
			// The connections are fine afterwards.
			if got := mustRun(t, ctx, n, getCmd("k")); got != "v" {
				t.Errorf("GET after the refusals = %q", got)
			}
		})
	}
}

// TestNodeRefusesFromOfflineQueue: a command queued before the node knew
// its server is checked when its connection is up.
func TestNodeRefusesFromOfflineQueue(t *testing.T) {
	s := newFakeServer(t, fakeOptions{ServerName: "valkey", Version: "9.1.2"})
	s.Refuse(true)
	n := newTestNode(t, s, nil)
	ctx := testCtx(t, 10*time.Second)
	if got := n.Server(); got.Known() {
		t.Fatalf("Server() before any connection = %+v, want unknown", got)
	}
	cmds := []*Command{echoFor(ServerRedis, "redis-only"), echoFor(ServerValkey, "valkey-only")}
	defer releaseAll(cmds)
	done := make(chan error, 1)
	go func() { done <- n.DoMulti(ctx, cmds) }()
	waitFor(t, 5*time.Second, "queued commands", func() bool { return n.offline.len() == 2 })
	s.Refuse(false)
	if err := <-done; err != nil {
		t.Fatalf("DoMulti: %v", err)
	}
	valkey := ServerInfo{ServerValkey, "9.1.2"}
	wantUnsupported(t, cmds[0].Err(), ServerRedis, valkey)
	if cmds[1].Err() != nil || replyText(cmds[1].Reply()) != "valkey-only" {
		t.Errorf("valkey-only ECHO: %v, %v", cmds[1].Reply(), cmds[1].Err())
	}
	if got := s.Count("ECHO"); got != 1 {
		t.Errorf("the server got %d ECHO, want 1", got)
	}
	if got := n.Server(); got != valkey {
		t.Errorf("Server() = %+v, want %+v", got, valkey)
	}
}

func TestConnRefusesOtherServersSyntax(t *testing.T) {
	s := newFakeServer(t, fakeOptions{ServerName: "valkey", Version: "9.1.2"})
	c := mustDial(t, DialConfig{Addr: s.addr})
	valkey := ServerInfo{ServerValkey, "9.1.2"}
	ctx := testCtx(t, 5*time.Second)
	cmd := echoFor(ServerRedis, "no")
	defer cmd.Release()
	wantUnsupported(t, c.Do(ctx, cmd), ServerRedis, valkey)
	wantUnsupported(t, c.Send(ctx, echoFor(ServerValkey, "fine"), cmd), ServerRedis, valkey)
	cmds := []*Command{echoFor(ServerValkey, "yes"), echoFor(ServerRedis, "no"), echoFor(0, "any")}
	defer releaseAll(cmds)
	if err := c.DoMulti(ctx, cmds); err != nil {
		t.Fatalf("DoMulti: %v", err)
	}
	wantUnsupported(t, cmds[1].Err(), ServerRedis, valkey)
	if replyText(cmds[0].Reply()) != "yes" || replyText(cmds[2].Reply()) != "any" || cmds[0].Err() != nil || cmds[2].Err() != nil {
		t.Errorf("replies %v, %v", cmds[0].Reply(), cmds[2].Reply())
	}
	if got := s.Count("ECHO"); got != 2 {
		t.Errorf("the server got %d ECHO, want 2 (Send wrote nothing)", got)
	}
	if got := mustRun(t, ctx, c, echoFor(0, "after")); got != "after" {
		t.Errorf("ECHO after the refusals = %q", got)
	}
}

// TestUnknownServerSendsEverything: without HELLO the client cannot tell,
// and sends every command.
func TestUnknownServerSendsEverything(t *testing.T) {
	s := newFakeServer(t, fakeOptions{NoHello: true})
	n := newTestNode(t, s, nil)
	waitConnected(t, n)
	ctx := testCtx(t, 5*time.Second)
	if got := mustRun(t, ctx, n, echoFor(ServerValkey, "sent")); got != "sent" {
		t.Errorf("ECHO = %q", got)
	}
	if got := mustRun(t, ctx, n, echoFor(ServerRedis, "sent")); got != "sent" {
		t.Errorf("ECHO = %q", got)
	}
	if s.Count("ECHO") != 2 {
		t.Errorf("the server got %d ECHO, want 2", s.Count("ECHO"))
	}
}
