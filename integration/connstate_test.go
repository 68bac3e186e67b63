package integration

// Commands that change a connection's state (SELECT, CLIENT REPLY, RESET,
// HELLO, CLIENT SETNAME, SUBSCRIBE, MONITOR) run on the client directly,
// which shares its connections between callers. transport.FlagConnState
// documents that such commands "must not run on shared connections": the
// client must refuse them (*transport.ConnStateError) or at least keep
// answering every later caller correctly.

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
)

func TestConnectionStateCommandsOnSharedConnections(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "connstate"})
	ctx := testCtx(t)
	setup := NewClient(t, srv.Options(3))
	ok(t, "SET")(redisclient.Set("connstate:k", "db0-value").Do(ctx, setup))

	cases := []struct {
		name string
		run  func(ctx context.Context, c *redisclient.Client) error
	}{
		{"SELECT", func(ctx context.Context, c *redisclient.Client) error {
			return redisclient.Select(3).Do(ctx, c)
		}},
		{"CLIENT_REPLY_OFF", func(ctx context.Context, c *redisclient.Client) error {
			return redisclient.ClientReply(redisclient.ClientReplyActionOff).Do(ctx, c)
		}},
		{"RESET", func(ctx context.Context, c *redisclient.Client) error {
			_, err := redisclient.Reset().Do(ctx, c)
			return err
		}},
		{"HELLO_2", func(ctx context.Context, c *redisclient.Client) error {
			_, err := redisclient.Hello().ProtoVer(2).Do(ctx, c)
			return err
		}},
		{"SUBSCRIBE", func(ctx context.Context, c *redisclient.Client) error {
			_, err := redisclient.Subscribe("connstate:channel").Do(ctx, c)
			return err
		}},
		{"MONITOR", func(ctx context.Context, c *redisclient.Client) error {
			return redisclient.Monitor().Do(ctx, c)
		}},
		{"Raw_SELECT", func(ctx context.Context, c *redisclient.Client) error {
			_, err := redisclient.Raw("SELECT", "3").Do(ctx, c)
			return err
		}},
	}
	for _, proto := range []int{2, 3} {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("RESP%d/%s", proto, tc.name), func(t *testing.T) {
				t.Parallel()
				// One shared connection: the command and the calls after it
				// surely share it.
				opts := srv.Options(proto)
				opts.PipelineConns = 1
				opts.CloseTimeout = 500 * time.Millisecond // replies may never come
				c := NewClient(t, opts)
				cctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				err := tc.run(cctx, c)
				cancel()
				var cse *transport.ConnStateError
				if errors.As(err, &cse) {
					return // refused: the shared connections are untouched
				}
				t.Logf("%s on the client was not refused (error: %v)", tc.name, err)
				// Every later caller must still get its own, correct reply.
				for i := range 12 {
					cctx, cancel := context.WithTimeout(context.Background(), time.Second)
					want := fmt.Sprintf("echo-%d", i)
					e, eerr := redisclient.Echo(want).Do(cctx, c)
					v, gerr := redisclient.Get("connstate:k").Do(cctx, c)
					cancel()
					if eerr != nil || e != want || gerr != nil || v != some("db0-value") {
						t.Errorf("after %s ran on a shared connection, call %d: ECHO %q -> %q %v; GET connstate:k -> %+v %v "+
							"(want it refused with *transport.ConnStateError, or the shared connections unaffected)",
							tc.name, i, want, e, eerr, v, gerr)
						return
					}
				}
			})
		}
	}

	// CLIENT SETNAME names whichever shared connection carried it (the
	// client has two by default).
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d/CLIENT_SETNAME", proto), func(t *testing.T) {
			t.Parallel()
			c := NewClient(t, srv.Options(proto))
			ctx := testCtx(t)
			err := redisclient.ClientSetName("connstate-name").Do(ctx, c)
			var cse *transport.ConnStateError
			if errors.As(err, &cse) {
				return
			}
			must(t, err, "CLIENT SETNAME")
			// Calls from several goroutines use both shared connections.
			var mu sync.Mutex
			var wg sync.WaitGroup
			seen := map[redisclient.Opt[string]]int{}
			for range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 25 {
						name, err := redisclient.ClientGetName().Do(ctx, c)
						if err != nil {
							t.Errorf("CLIENT GETNAME: %v", err)
							return
						}
						mu.Lock()
						seen[name]++
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if len(seen) != 1 {
				t.Errorf("CLIENT GETNAME after CLIENT SETNAME on the client gave different names: %v "+
					"(want it refused, applied to every connection, or Options.ClientName used)", seen)
			}
		})
	}
}

// TestConnectionStateCommandsOnDedicatedConnections runs the commands the
// shared connections refuse where they belong, on a dedicated connection
// (under the client's hooks through Client.Observe): SELECT, HELLO,
// CLIENT REPLY and RESET, with their effect on that connection alone.
func TestConnectionStateCommandsOnDedicatedConnections(t *testing.T) {
	sharedProtocols(t, func(t *testing.T, c *redisclient.Client, _ redisclient.Options) {
		ctx := testCtx(t)
		k := key(t, "k")
		ok(t, "SET in db 0")(redisclient.Set(k, "db0").Do(ctx, c))
		conn := dedicatedConn(t, c) // its state changes: closed, not released

		ok(t, "SELECT 3")(redisclient.Select(3).Do(ctx, conn))
		expect(t, "GET in db 3", redisclient.Opt[string]{})(redisclient.Get(k).Do(ctx, conn))
		ok(t, "SET in db 3")(redisclient.Set(k, "db3").Do(ctx, conn))
		expect(t, "GET in db 0 on the client", some("db0"))(redisclient.Get(k).Do(ctx, c))
		if info := clientInfo(t, ctx, conn); info.DB != 3 {
			t.Errorf("CLIENT INFO after SELECT 3: db %d", info.DB)
		}

		// HELLO with the connection's own protocol: the reply describes
		// the server and this connection.
		proto := int64(conn.Proto())
		hello := value[redisclient.HelloReply](t, "HELLO")(redisclient.Hello().ProtoVer(proto).Do(ctx, conn))
		server := c.Server()
		if hello.Proto != proto || hello.Server != server.Kind.String() || hello.Version != server.Version || hello.ID != clientInfo(t, ctx, conn).ID || hello.Mode != "standalone" || hello.Role != "master" {
			t.Errorf("HELLO %d: %+v, want protocol %d of %v on this connection", proto, hello, proto, server)
		}

		ok(t, "CLIENT REPLY ON")(redisclient.ClientReply(redisclient.ClientReplyActionOn).Do(ctx, conn))

		// RESET: back to db 0, the name cleared, RESP2.
		ok(t, "CLIENT SETNAME")(redisclient.ClientSetName("connstate-dedicated").Do(ctx, conn))
		expect(t, "RESET", "RESET")(redisclient.Reset().Do(ctx, conn))
		if info := clientInfo(t, ctx, conn); info.DB != 0 || info.Name != "" {
			t.Errorf("CLIENT INFO after RESET: db %d name %q, want db 0 and no name", info.DB, info.Name)
		}
		expect(t, "GET after RESET (db 0)", some("db0"))(redisclient.Get(k).Do(ctx, conn))
		ok(t, "SELECT 3 to clean up")(redisclient.Select(3).Do(ctx, conn))
		expect(t, "DEL in db 3", int64(1))(redisclient.Del(k).Do(ctx, conn))
	})
}
