package integration

// ACL authentication (options and URL forms, a restricted user, a
// credentials provider), bad credentials, and TLS with a custom CA and a
// client certificate (options and rediss:// URL forms).

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

const (
	defaultSecret = "default-Secret-42"
	aliceSecret   = "alice-Secret-42"
	bobSecret     = "p@ss:w/rd%?#&=é" // needs escaping in a URL
	readerSecret  = "reader-Secret-42"
)

func aclServer(t *testing.T) *Server {
	return StartServer(t, ServerConfig{
		Name:     "acl",
		Password: defaultSecret,
		Users: []string{
			"alice on >" + aliceSecret + " ~* &* +@all",
			"bob on >" + bobSecret + " ~* &* +@all",
			// reader may read ro:* keys only (and what the handshake needs).
			"reader on >" + readerSecret + " ~ro:* resetchannels -@all +@read +@connection +client",
		},
	})
}

func TestACLAuth(t *testing.T) {
	t.Parallel()
	srv := aclServer(t)
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			t.Parallel()
			ctx := testCtx(t)
			whoami := func(what string, c *redisclient.Client, want string) {
				t.Helper()
				expect(t, what+": ACL WHOAMI", want)(redisclient.ACLWhoAmI().Do(ctx, c))
				ci := value[redisclient.ConnectedClient](t, what+": CLIENT INFO")(redisclient.ClientInfo().Do(ctx, c))
				if ci.User != want || ci.Resp != int64(proto) {
					t.Errorf("%s: CLIENT INFO user %q resp %d, want %q and %d", what, ci.User, ci.Resp, want, proto)
				}
			}

			// Options: ACL user and password; the default user's password.
			opts := redisclient.Options{Addr: srv.Addr, Protocol: proto, Username: "alice", Password: aliceSecret}
			alice := NewClient(t, opts)
			whoami("alice", alice, "alice")
			ok(t, "SET as alice")(redisclient.Set(key(t, "k"), "v").Do(ctx, alice))
			if s := alice.String() + opts.String() + fmt.Sprint(opts) + fmt.Sprintf("%+v", opts); strings.Contains(s, aliceSecret) {
				t.Errorf("the password appears in the client's description: %s", s)
			}
			def := NewClient(t, redisclient.Options{Addr: srv.Addr, Protocol: proto, Password: defaultSecret})
			whoami("default user", def, "default")

			// The URL form, with a password that needs escaping.
			u := url.URL{Scheme: "redis", User: url.UserPassword("bob", bobSecret), Host: srv.Addr, Path: "/0",
				RawQuery: "protocol=" + strconv.Itoa(proto)}
			bob, err := redisclient.NewFromURL(u.String())
			must(t, err, "NewFromURL")
			t.Cleanup(func() { bob.Close() })
			whoami("URL", bob, "bob")
			expect(t, "GET as bob", some("v"))(redisclient.Get(key(t, "k")).Do(ctx, bob))
			if strings.Contains(bob.String(), bobSecret) {
				t.Errorf("the password appears in the client's description: %s", bob.String())
			}

			// A credentials provider, called on every connection attempt.
			var calls atomic.Int32
			provided := NewClient(t, redisclient.Options{Addr: srv.Addr, Protocol: proto,
				CredentialsProvider: func(ctx context.Context) (string, string, error) {
					calls.Add(1)
					return "alice", aliceSecret, nil
				}})
			whoami("credentials provider", provided, "alice")
			if calls.Load() == 0 {
				t.Errorf("the credentials provider was not called")
			}

			// A restricted user: reads of ro:* only.
			reader := NewClient(t, redisclient.Options{Addr: srv.Addr, Protocol: proto, Username: "reader", Password: readerSecret})
			expect(t, "GET ro:* as reader", none[string]())(redisclient.Get("ro:"+key(t, "x")).Do(ctx, reader))
			serverError[redisclient.Opt[string]](t, "GET outside ro:* as reader", "NOPERM")(redisclient.Get(key(t, "k")).Do(ctx, reader))
			serverError[struct{}](t, "SET as reader", "NOPERM")(struct{}{}, redisclient.Set("ro:"+key(t, "x"), "v").Do(ctx, reader))
			p := reader.Pipeline()
			allowed := redisclient.Get("ro:" + key(t, "x")).Queue(p)
			denied := redisclient.Incr("ro:" + key(t, "x")).Queue(p)
			_ = p.Exec(ctx)
			if allowed.Err() != nil || errCode(denied.Err()) != "NOPERM" {
				t.Errorf("pipeline as reader: GET %v, INCR %v; want success and NOPERM", allowed.Err(), denied.Err())
			}
		})
	}
}

// checkAuthError checks that err is a dial error carrying the server's
// refusal code, without the password in its text.
func checkAuthError(t *testing.T, what string, err error, code, password string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error", what)
		return
	}
	var de *transport.DialError
	var re *resp.Error
	switch {
	case !errors.As(err, &de):
		t.Errorf("%s: %v (%T), want a *transport.DialError", what, err, err)
	case !errors.As(err, &re) || re.Prefix() != code:
		t.Errorf("%s: %v, want the server's %s reply inside", what, err, code)
	case errors.Is(err, context.DeadlineExceeded):
		t.Errorf("%s: %v: the refusal should not wait for the context", what, err)
	}
	if password != "" && strings.Contains(err.Error(), password) {
		t.Errorf("%s: the password appears in the error: %v", what, err)
	}
	if password != "" && strings.Contains(fmt.Sprintf("%+v %#v", err, err), password) {
		t.Errorf("%s: the password appears in the error's %%+v / %%#v forms", what)
	}
	t.Logf("%s: %v", what, err)
}

func TestBadCredentials(t *testing.T) {
	t.Parallel()
	srv := aclServer(t)
	const wrong = "Wrong-Password-1234"
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			t.Parallel()
			try := func(what string, opts redisclient.Options, code, password string) {
				t.Helper()
				c := NewClient(t, opts)
				ctx := ctxFor(t, 10*time.Second)
				start := time.Now()
				_, err := redisclient.Get("k").Do(ctx, c)
				checkAuthError(t, what, err, code, password)
				if el := time.Since(start); el > 5*time.Second {
					t.Errorf("%s: the error took %v", what, el)
				}
				// Later commands fail the same way, without waiting.
				_, err = redisclient.Ping().Do(ctx, c)
				checkAuthError(t, what+" (second command)", err, code, password)
			}
			try("wrong password for alice", redisclient.Options{Addr: srv.Addr, Protocol: proto, Username: "alice", Password: wrong}, "WRONGPASS", wrong)
			try("unknown user", redisclient.Options{Addr: srv.Addr, Protocol: proto, Username: "nobody-here", Password: wrong}, "WRONGPASS", wrong)
			try("wrong default password", redisclient.Options{Addr: srv.Addr, Protocol: proto, Password: wrong}, "WRONGPASS", wrong)
			try("no password", redisclient.Options{Addr: srv.Addr, Protocol: proto}, "NOAUTH", "")

			// The URL form.
			u := url.URL{Scheme: "redis", User: url.UserPassword("alice", wrong), Host: srv.Addr,
				RawQuery: "protocol=" + strconv.Itoa(proto)}
			c, err := redisclient.NewFromURL(u.String())
			must(t, err, "NewFromURL")
			t.Cleanup(func() { c.Close() })
			if strings.Contains(c.String(), wrong) {
				t.Errorf("the password appears in the client's description: %s", c)
			}
			_, err = redisclient.Get("k").Do(ctx10(t), c)
			checkAuthError(t, "URL with a wrong password", err, "WRONGPASS", wrong)

			// A malformed URL does not echo the password either.
			_, err = redisclient.NewFromURL("redis://alice:" + wrong + "@127.0.0.1:notaport")
			if err == nil || strings.Contains(err.Error(), wrong) {
				t.Errorf("malformed URL: %v, want an error without the password", err)
			}
		})
	}
}

func ctx10(t testing.TB) context.Context { return ctxFor(t, 10*time.Second) }

func TestTLS(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "tls", TLS: true})
	port := strconv.Itoa(srv.Port)
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			t.Parallel()
			ctx := testCtx(t)
			check := func(what string, c *redisclient.Client) {
				t.Helper()
				ok(t, what+": SET")(redisclient.Set(key(t, what), "v").Do(ctx, c))
				expect(t, what+": GET", some("v"))(redisclient.Get(key(t, what)).Do(ctx, c))
				ci := value[redisclient.ConnectedClient](t, what+": CLIENT INFO")(redisclient.ClientInfo().Do(ctx, c))
				if ci.Resp != int64(proto) {
					t.Errorf("%s: resp %d, want %d", what, ci.Resp, proto)
				}
				// Blocking commands use dedicated TLS connections.
				expect(t, what+": BLPOP timeout", (*redisclient.KeyElement)(nil))(redisclient.BLPop(50*time.Millisecond, key(t, "empty")).Do(ctx, c))
			}

			// Options.TLSConfig with the test CA and a client certificate.
			check("options", NewClient(t, srv.Options(proto)))

			// rediss:// URLs (for 127.0.0.1 and for localhost, the names in
			// the server's certificate); the CA and the client certificate
			// are added to the parsed options.
			for _, host := range []string{"127.0.0.1", "localhost"} {
				opts, err := redisclient.ParseURL("rediss://" + host + ":" + port + "/0?protocol=" + strconv.Itoa(proto))
				must(t, err, "ParseURL")
				if opts.TLSConfig == nil || opts.TLSConfig.ServerName != host {
					t.Fatalf("ParseURL rediss://%s: TLSConfig %+v, want ServerName %s", host, opts.TLSConfig, host)
				}
				opts.TLSConfig.RootCAs = srv.TLS.CAPool
				opts.TLSConfig.Certificates = []tls.Certificate{srv.TLS.ClientCert}
				check("url-"+host, NewClient(t, opts))
			}

			// Pipelines and transactions over TLS.
			c := NewClient(t, srv.Options(proto))
			p := c.Pipeline()
			var futs []*redisclient.Future[int64]
			for range 100 {
				futs = append(futs, redisclient.Incr(key(t, "n")).Queue(p))
			}
			must(t, p.Exec(ctx), "pipeline over TLS")
			expect(t, "last INCR", int64(100))(futs[99].Result())
			tx := c.TxPipeline()
			f := redisclient.Incr(key(t, "n")).Queue(tx)
			must(t, tx.Exec(ctx), "transaction over TLS")
			expect(t, "INCR in tx", int64(101))(f.Result())
		})
	}

	// Refused TLS setups fail with an error naming the cause: with the
	// default offline queue, at the latest at the caller's deadline; with
	// OfflineQueueLimit -1, at once (once a connection attempt failed).
	refused := func(t *testing.T, what string, cfg *tls.Config, want string) {
		t.Helper()
		opts := srv.Options(3)
		opts.TLSConfig = cfg
		c := NewClient(t, opts)
		ctx := ctxFor(t, 3*time.Second)
		start := time.Now()
		_, err := redisclient.Ping().Do(ctx, c)
		switch el := time.Since(start); {
		case err == nil:
			t.Errorf("%s: PING succeeded", what)
		case el > 4*time.Second:
			t.Errorf("%s: the error took %v", what, el)
		case !strings.Contains(err.Error(), want):
			t.Errorf("%s: %v after %v: want an error naming the cause (%q), not only the deadline", what, err, el.Round(time.Millisecond), want)
		default:
			t.Logf("%s: %v", what, err)
		}

		opts.OfflineQueueLimit = -1
		c = NewClient(t, opts)
		var last error
		for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			_, last = redisclient.Ping().Do(ctx10(t), c)
			if last == nil || strings.Contains(last.Error(), want) {
				break
			}
		}
		switch {
		case last == nil:
			t.Errorf("%s (OfflineQueueLimit -1): PING succeeded", what)
		case !strings.Contains(last.Error(), want):
			t.Errorf("%s (OfflineQueueLimit -1): %v, want an error naming the cause (%q)", what, last, want)
		default:
			t.Logf("%s (OfflineQueueLimit -1): %v", what, last)
		}
	}
	t.Run("untrusted_server_certificate", func(t *testing.T) {
		t.Parallel()
		refused(t, "a CA that did not sign the server's certificate",
			&tls.Config{RootCAs: srv.TLS.OtherCAPool, Certificates: []tls.Certificate{srv.TLS.ClientCert}}, "certificate")
	})
	t.Run("no_client_certificate", func(t *testing.T) {
		t.Parallel()
		// TLS 1.2: the server refuses in the handshake. (With TLS 1.3 the
		// refusal comes after it, and the client may see only a reset.)
		refused(t, "no client certificate", &tls.Config{RootCAs: srv.TLS.CAPool, MaxVersion: tls.VersionTLS12}, "tls:")
	})
	t.Run("plain_text_to_TLS_port", func(t *testing.T) {
		t.Parallel()
		opts := srv.Options(3)
		opts.TLSConfig = nil
		c := NewClient(t, opts)
		ctx := ctxFor(t, 3*time.Second)
		if _, err := redisclient.Ping().Do(ctx, c); err == nil {
			t.Errorf("plain-text PING to the TLS port succeeded")
		} else {
			t.Logf("plain text to the TLS port: %v", err)
		}
	})
}
