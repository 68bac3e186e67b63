package integration

// CLIENT subcommands, AUTH, QUIT and DISCARD on RESP2 and RESP3: the ones
// that change a connection's state run on dedicated connections (the
// client refuses them on its shared ones), through Client.Observe so that
// the coverage hook sees them.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// observedConn is a dedicated connection whose commands run under the
// hooks of the client it came from (Client.Observe), the coverage hook
// among them.
type observedConn struct {
	*transport.Conn
	redisclient.Doer
}

// Do runs cmd on the connection under the hooks.
func (o observedConn) Do(ctx context.Context, cmd *transport.Command) error {
	return o.Doer.Do(ctx, cmd)
}

// DoMulti runs cmds on the connection under the hooks.
func (o observedConn) DoMulti(ctx context.Context, cmds []*transport.Command) error {
	return o.Doer.DoMulti(ctx, cmds)
}

// dedicatedConn returns a dedicated connection of c under its hooks,
// closed (not released: its state changed) when t ends.
func dedicatedConn(t testing.TB, c *redisclient.Client) observedConn {
	t.Helper()
	conn, err := c.DedicatedConn(testCtx(t), -1)
	must(t, err, "DedicatedConn")
	t.Cleanup(func() { conn.Close() })
	return observedConn{Conn: conn, Doer: c.Observe(conn)}
}

// clientInfo returns CLIENT INFO of a connection.
func clientInfo(t testing.TB, ctx context.Context, d redisclient.Doer) redisclient.ConnectedClient {
	t.Helper()
	return value[redisclient.ConnectedClient](t, "CLIENT INFO")(redisclient.ClientInfo().Do(ctx, d))
}

// sharedProtocols runs fn for RESP2 and RESP3 against the shared server in
// parallel subtests, with the client and the options it was made from.
func sharedProtocols(t *testing.T, fn func(t *testing.T, c *redisclient.Client, opts redisclient.Options)) {
	t.Helper()
	t.Parallel()
	srv := sharedServer(t)
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			t.Parallel()
			opts := srv.Options(proto)
			fn(t, NewClient(t, opts), opts)
		})
	}
}

func TestClientTracking(t *testing.T) {
	sharedProtocols(t, func(t *testing.T, c *redisclient.Client, opts redisclient.Options) {
		ctx := testCtx(t)
		tracked, target := dedicatedConn(t, c), dedicatedConn(t, c)
		targetID := value[int64](t, "CLIENT ID")(redisclient.ClientID().Do(ctx, target))

		expect(t, "CLIENT GETREDIR without tracking", int64(-1))(redisclient.ClientGetRedir().Do(ctx, tracked))
		expect(t, "CLIENT TRACKINGINFO without tracking", redisclient.ClientTrackingInfoReply{
			Flags: []string{"off"}, Redirect: -1, Prefixes: []string{},
		})(redisclient.ClientTrackingInfo().Do(ctx, tracked))
		serverError[struct{}](t, "CLIENT CACHING without OPTIN", "ERR")(struct{}{},
			redisclient.ClientCaching(redisclient.YesNoYes).Do(ctx, tracked))

		ok(t, "CLIENT TRACKING ON REDIRECT OPTIN")(redisclient.ClientTracking(redisclient.OnOffOn).Redirect(targetID).OptIn().Do(ctx, tracked))
		expect(t, "CLIENT GETREDIR", targetID)(redisclient.ClientGetRedir().Do(ctx, tracked))
		expect(t, "CLIENT TRACKINGINFO", redisclient.ClientTrackingInfoReply{
			Flags: []string{"on", "optin"}, Redirect: targetID, Prefixes: []string{},
		})(redisclient.ClientTrackingInfo().Do(ctx, tracked))
		ok(t, "CLIENT CACHING YES")(redisclient.ClientCaching(redisclient.YesNoYes).Do(ctx, tracked))
		if ci := clientInfo(t, ctx, tracked); !strings.Contains(ci.Flags, "t") || ci.Redir != targetID {
			t.Errorf("CLIENT INFO after CLIENT TRACKING ON: flags %q redir %d, want t and %d", ci.Flags, ci.Redir, targetID)
		}

		ok(t, "CLIENT TRACKING OFF")(redisclient.ClientTracking(redisclient.OnOffOff).Do(ctx, tracked))
		ok(t, "CLIENT TRACKING ON BCAST PREFIX")(redisclient.ClientTracking(redisclient.OnOffOn).Redirect(targetID).
			Prefix("trk:a").Prefix("trk:b").BCast().Do(ctx, tracked))
		info := value[redisclient.ClientTrackingInfoReply](t, "CLIENT TRACKINGINFO BCAST")(redisclient.ClientTrackingInfo().Do(ctx, tracked))
		if !hasAll(strings.Join(info.Flags, " "), "on", "bcast") || info.Redirect != targetID ||
			strings.Join(sortedCopy(info.Prefixes), " ") != "trk:a trk:b" {
			t.Errorf("CLIENT TRACKINGINFO after TRACKING ON BCAST PREFIX trk:a PREFIX trk:b: %+v", info)
		}
		ok(t, "CLIENT TRACKING OFF")(redisclient.ClientTracking(redisclient.OnOffOff).Do(ctx, tracked))
		expect(t, "CLIENT GETREDIR after OFF", int64(-1))(redisclient.ClientGetRedir().Do(ctx, tracked))
	})
}

func TestClientConnectionFlags(t *testing.T) {
	sharedProtocols(t, func(t *testing.T, c *redisclient.Client, opts redisclient.Options) {
		ctx := testCtx(t)
		srv := sharedServer(t)
		conn := dedicatedConn(t, c)

		ok(t, "CLIENT NO-EVICT ON")(redisclient.ClientNoEvict(redisclient.OnOffOn).Do(ctx, conn))
		if ci := clientInfo(t, ctx, conn); !strings.Contains(ci.Flags, "e") {
			t.Errorf("CLIENT INFO flags after CLIENT NO-EVICT ON: %q, want e", ci.Flags)
		}
		ok(t, "CLIENT NO-EVICT OFF")(redisclient.ClientNoEvict(redisclient.OnOffOff).Do(ctx, conn))
		if ci := clientInfo(t, ctx, conn); strings.Contains(ci.Flags, "e") {
			t.Errorf("CLIENT INFO flags after CLIENT NO-EVICT OFF: %q, want no e", ci.Flags)
		}

		if !srv.Has(t, "7.2.0", "") {
			t.Logf("not checking CLIENT NO-TOUCH and CLIENT SETINFO: they need Redis 7.2, the server is %s", srv.VersionString(t))
			return
		}
		ok(t, "CLIENT NO-TOUCH ON")(redisclient.ClientNoTouch(redisclient.OnOffOn).Do(ctx, conn))
		if ci := clientInfo(t, ctx, conn); !strings.Contains(ci.Flags, "T") {
			t.Errorf("CLIENT INFO flags after CLIENT NO-TOUCH ON: %q, want T", ci.Flags)
		}
		ok(t, "CLIENT NO-TOUCH OFF")(redisclient.ClientNoTouch(redisclient.OnOffOff).Do(ctx, conn))
		if ci := clientInfo(t, ctx, conn); strings.Contains(ci.Flags, "T") {
			t.Errorf("CLIENT INFO flags after CLIENT NO-TOUCH OFF: %q, want no T", ci.Flags)
		}

		name := fmt.Sprintf("it-lib-%d", conn.Proto())
		ok(t, "CLIENT SETINFO LIB-NAME")(redisclient.ClientSetInfo(redisclient.ClientSetInfoLibName(name)).Do(ctx, conn))
		ok(t, "CLIENT SETINFO LIB-VER")(redisclient.ClientSetInfo(redisclient.ClientSetInfoLibVer("9.8.7")).Do(ctx, conn))
		if ci := clientInfo(t, ctx, conn); ci.LibName != name || ci.LibVer != "9.8.7" {
			t.Errorf("CLIENT INFO after CLIENT SETINFO: lib-name %q lib-ver %q, want %q and 9.8.7", ci.LibName, ci.LibVer, name)
		}
		serverError[struct{}](t, "CLIENT SETINFO LIB-NAME with a space", "ERR")(struct{}{},
			redisclient.ClientSetInfo(redisclient.ClientSetInfoLibName("a b")).Do(ctx, conn))
	})
}

func TestClientKillAndUnblock(t *testing.T) {
	sharedProtocols(t, func(t *testing.T, c *redisclient.Client, opts redisclient.Options) {
		ctx := testCtx(t)

		// CLIENT UNBLOCK a BLPOP, as a timeout and then as an error.
		blocked := dedicatedConn(t, c)
		blockedID := value[int64](t, "CLIENT ID")(redisclient.ClientID().Do(ctx, blocked))
		blockedName := fmt.Sprintf("it-unblock-%d-%d", blocked.Proto(), blockedID)
		ok(t, "CLIENT SETNAME")(redisclient.ClientSetName(blockedName).Do(ctx, blocked))
		expect(t, "CLIENT UNBLOCK a client that is not blocked", false)(redisclient.ClientUnblock(blockedID).Do(ctx, c))
		list := key(t, "list")
		for _, mode := range []string{"TIMEOUT", "ERROR"} {
			done := make(chan error, 1)
			go func() {
				v, err := redisclient.BLPop(30*time.Second, list).Do(ctx, blocked)
				if err == nil && v != nil {
					err = fmt.Errorf("BLPOP popped %+v", v)
				}
				done <- err
			}()
			waitBlocked(t, ctx, c, blockedName, "blpop", 1)
			unblock := redisclient.ClientUnblock(blockedID).Timeout()
			if mode == "ERROR" {
				unblock = redisclient.ClientUnblock(blockedID).Error()
			}
			expect(t, "CLIENT UNBLOCK "+mode, true)(unblock.Do(ctx, c))
			select {
			case err := <-done:
				var re *resp.Error
				switch {
				case mode == "TIMEOUT" && err != nil:
					t.Errorf("BLPOP unblocked with TIMEOUT: %v, want a null reply", err)
				case mode == "ERROR" && (!errors.As(err, &re) || re.Prefix() != "UNBLOCKED"):
					t.Errorf("BLPOP unblocked with ERROR: %v, want an UNBLOCKED error", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("BLPOP still blocked 10s after CLIENT UNBLOCK %s", mode)
			}
		}

		// CLIENT KILL ID ends the connection; a second one finds nothing.
		victim := dedicatedConn(t, c)
		victimID := value[int64](t, "CLIENT ID")(redisclient.ClientID().Do(ctx, victim))
		expect(t, "CLIENT KILL ID", int64(1))(redisclient.ClientKill().ID(victimID).Do(ctx, c))
		expect(t, "CLIENT KILL ID again", int64(0))(redisclient.ClientKill().ID(victimID).Do(ctx, c))
		if _, err := redisclient.Ping().Do(ctx, victim); err == nil {
			t.Errorf("PING on a killed connection succeeded")
		}
		// CLIENT KILL ADDR, with SKIPME NO, by the connection's address.
		victim = dedicatedConn(t, c)
		ci := clientInfo(t, ctx, victim)
		expect(t, "CLIENT KILL ADDR SKIPME NO", int64(1))(redisclient.ClientKill().Addr(ci.Addr).SkipMeNo().Do(ctx, c))
		expect(t, "CLIENT LIST ID of the killed client", redisclient.ConnectedClients{})(redisclient.ClientList().ID(ci.ID).Do(ctx, c))
	})
}

func TestQuitAndDiscard(t *testing.T) {
	sharedProtocols(t, func(t *testing.T, c *redisclient.Client, opts redisclient.Options) {
		ctx := testCtx(t)
		k := key(t, "counter")
		conn := dedicatedConn(t, c)

		// DISCARD drops what MULTI queued.
		serverError[struct{}](t, "DISCARD without MULTI", "ERR")(struct{}{}, redisclient.Discard().Do(ctx, conn))
		ok(t, "MULTI")(redisclient.Multi().Do(ctx, conn))
		incr, err := redisclient.Incr(k).Command()
		must(t, err, "INCR")
		must(t, conn.Do(ctx, incr), "INCR in MULTI")
		if r := incr.Reply(); r.Err() != nil || r.Text() != "QUEUED" {
			t.Errorf("INCR in MULTI: %v %v, want QUEUED", r.Text(), r.Err())
		}
		incr.Release()
		ok(t, "DISCARD")(redisclient.Discard().Do(ctx, conn))
		expect(t, "GET after DISCARD", none[string]())(redisclient.Get(k).Do(ctx, c))
		expect(t, "INCR after DISCARD (no transaction)", int64(1))(redisclient.Incr(k).Do(ctx, conn))

		// QUIT: OK, then the server closes the connection.
		ok(t, "QUIT")(redisclient.Quit().Do(ctx, conn))
		if _, err := redisclient.Ping().Do(ctx, conn); err == nil {
			t.Errorf("PING after QUIT succeeded")
		}
	})
}
