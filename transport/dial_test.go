package transport

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redkit-go/redkit/transport/resp"
)

// dialT dials s and closes the connection at cleanup.
func dialT(t *testing.T, cfg DialConfig) (*Conn, error) {
	t.Helper()
	if cfg.DialTimeout == 0 {
		cfg.DialTimeout = 2 * time.Second
	}
	c, err := Dial(testCtx(t, 5*time.Second), &cfg)
	if c != nil {
		t.Cleanup(func() { c.Close() })
	}
	return c, err
}

func mustDial(t *testing.T, cfg DialConfig) *Conn {
	t.Helper()
	c, err := dialT(t, cfg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	return c
}

func onlyClient(t *testing.T, s *fakeServer) fakeClientInfo {
	t.Helper()
	cl := s.Clients()
	if len(cl) != 1 {
		t.Fatalf("server has %d clients, want 1", len(cl))
	}
	return cl[0]
}

func TestDialRESP3(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	c := mustDial(t, DialConfig{Addr: s.addr, ClientName: "worker-1"})
	if c.Proto() != 3 {
		t.Errorf("Proto = %d, want 3", c.Proto())
	}
	info := onlyClient(t, s)
	if info.Proto != 3 || info.Name != "worker-1" || info.LibName != LibName || info.LibVer != LibVersion || info.DB != 0 {
		t.Errorf("server sees %+v", info)
	}
	// One round trip: HELLO (with SETNAME), 2 x CLIENT SETINFO, PING.
	if got := s.Count("HELLO"); got != 1 {
		t.Errorf("HELLO sent %d times", got)
	}
	if got := s.Count("CLIENT"); got != 2 {
		t.Errorf("CLIENT sent %d times, want 2 (SETINFO lib-name and lib-ver)", got)
	}
	if s.Count("PING") != 1 || s.Count("SELECT") != 0 || s.Count("AUTH") != 0 || s.Count("READONLY") != 0 {
		t.Errorf("unexpected handshake commands")
	}
	ctx := testCtx(t, 5*time.Second)
	if got := mustRun(t, ctx, c, setCmd("k", "v")); got != "OK" {
		t.Errorf("SET = %q", got)
	}
	if got := mustRun(t, ctx, c, getCmd("k")); got != "v" {
		t.Errorf("GET = %q", got)
	}
	if got := mustRun(t, ctx, c, getCmd("missing")); got != "(nil)" {
		t.Errorf("GET missing = %q", got)
	}
}

func TestDialOptions(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	mustDial(t, DialConfig{Addr: s.addr, ReadOnly: true, DisableClientSetInfo: true, Protocol: 2})
	info := onlyClient(t, s)
	if !info.ReadOnly || info.LibName != "" || info.Proto != 2 {
		t.Errorf("server sees %+v", info)
	}
	// HELLO 2: it names the server (ServerInfo) and keeps RESP2.
	if s.Count("HELLO") != 1 || s.Count("CLIENT") != 0 {
		t.Errorf("Protocol 2 and DisableClientSetInfo: HELLO %d (want 1), CLIENT %d (want 0) sent", s.Count("HELLO"), s.Count("CLIENT"))
	}
	if _, err := dialT(t, DialConfig{Addr: s.addr, Protocol: 4}); err == nil || !strings.Contains(err.Error(), "protocol 4") {
		t.Errorf("Protocol 4: err = %v", err)
	}
}

func TestDialRESP2Fallback(t *testing.T) {
	s := newFakeServer(t, fakeOptions{NoHello: true})
	c := mustDial(t, DialConfig{Addr: s.addr, ClientName: "old", DB: 3})
	if c.Proto() != 2 {
		t.Errorf("Proto = %d, want 2", c.Proto())
	}
	info := onlyClient(t, s)
	if info.Proto != 2 || info.Name != "old" || info.DB != 3 {
		t.Errorf("server sees %+v", info)
	}
	ctx := testCtx(t, 5*time.Second)
	mustRun(t, ctx, c, setCmd("k", "v"))
	if v, ok := s.Get(3, "k"); !ok || v != "v" {
		t.Errorf("db 3 holds %q, %v", v, ok)
	}
	if got := mustRun(t, ctx, c, getCmd("missing")); got != "(nil)" {
		t.Errorf("GET missing over RESP2 = %q", got)
	}
}

func TestDialRESP2FallbackWithAuth(t *testing.T) {
	s := newFakeServer(t, fakeOptions{NoHello: true, Users: map[string]string{"default": "pw"}})
	c := mustDial(t, DialConfig{Addr: s.addr, Password: "pw"})
	if c.Proto() != 2 {
		t.Errorf("Proto = %d", c.Proto())
	}
	if info := onlyClient(t, s); !info.Authed || info.User != "default" {
		t.Errorf("server sees %+v", info)
	}
	if s.Count("AUTH") != 1 {
		t.Errorf("AUTH sent %d times", s.Count("AUTH"))
	}
	mustRun(t, testCtx(t, 5*time.Second), c, setCmd("k", "v"))
}

func TestDialAuth(t *testing.T) {
	t.Run("ACLUser", func(t *testing.T) {
		s := newFakeServer(t, fakeOptions{Users: map[string]string{"default": "x", "alice": "s3cret"}})
		mustDial(t, DialConfig{Addr: s.addr, Username: "alice", Password: "s3cret"})
		if info := onlyClient(t, s); !info.Authed || info.User != "alice" || info.Proto != 3 {
			t.Errorf("server sees %+v", info)
		}
		if s.Count("AUTH") != 0 {
			t.Errorf("AUTH sent separately; HELLO AUTH expected")
		}
	})
	t.Run("PasswordOnly", func(t *testing.T) {
		s := newFakeServer(t, fakeOptions{Users: map[string]string{"default": "pw"}})
		c := mustDial(t, DialConfig{Addr: s.addr, Password: "pw"})
		if info := onlyClient(t, s); !info.Authed || info.User != "default" {
			t.Errorf("server sees %+v", info)
		}
		mustRun(t, testCtx(t, 5*time.Second), c, setCmd("k", "v"))
	})
	t.Run("Missing", func(t *testing.T) {
		s := newFakeServer(t, fakeOptions{Users: map[string]string{"default": "pw"}})
		_, err := dialT(t, DialConfig{Addr: s.addr})
		var re *resp.Error
		if !errors.As(err, &re) || re.Prefix() != "NOAUTH" {
			t.Errorf("err = %v, want NOAUTH", err)
		}
	})
}

func TestDialWrongPassword(t *testing.T) {
	const secret = "hunter2-not-this-one"
	for _, noHello := range []bool{false, true} {
		name := map[bool]string{false: "HELLO", true: "AUTH"}[noHello]
		t.Run(name, func(t *testing.T) {
			s := newFakeServer(t, fakeOptions{NoHello: noHello, Users: map[string]string{"default": "right", "alice": "right"}})
			cfg := DialConfig{Addr: s.addr, Username: "alice", Password: secret}
			_, err := dialT(t, cfg)
			var de *DialError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v (%T), want *DialError", err, err)
			}
			var re *resp.Error
			if !errors.As(err, &re) || re.Prefix() != "WRONGPASS" {
				t.Errorf("err = %v, want a WRONGPASS *resp.Error inside", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, "WRONGPASS") || !strings.Contains(msg, name) || !strings.Contains(msg, s.addr) {
				t.Errorf("message %q does not name the server error, the command and the address", msg)
			}
			if strings.Contains(msg, secret) || strings.Contains(cfg.String(), secret) {
				t.Errorf("password leaked: %q / %q", msg, cfg.String())
			}
			if refusal(err) != true {
				t.Errorf("a wrong password is not a refusal")
			}
		})
	}
}

func TestDialSelect(t *testing.T) {
	s := newFakeServer(t, fakeOptions{})
	c := mustDial(t, DialConfig{Addr: s.addr, DB: 5})
	if info := onlyClient(t, s); info.DB != 5 {
		t.Errorf("DB = %d", info.DB)
	}
	mustRun(t, testCtx(t, 5*time.Second), c, setCmd("k", "five"))
	if v, _ := s.Get(5, "k"); v != "five" {
		t.Errorf("db 5 holds %q", v)
	}
	if _, ok := s.Get(0, "k"); ok {
		t.Errorf("db 0 was written")
	}

	_, err := dialT(t, DialConfig{Addr: s.addr, DB: 99})
	var de *DialError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "SELECT") || !strings.Contains(err.Error(), "out of range") {
		t.Errorf("DB 99: err = %v", err)
	}
}

func TestDialLoading(t *testing.T) {
	s := newFakeServer(t, fakeOptions{Loading: 1})
	_, err := dialT(t, DialConfig{Addr: s.addr})
	var le *LoadingError
	var de *DialError
	if !errors.As(err, &le) || !errors.As(err, &de) {
		t.Fatalf("err = %v (%T), want a DialError with a LoadingError", err, err)
	}
	if le.Err.Prefix() != "LOADING" || refusal(err) {
		t.Errorf("LoadingError %v: prefix %q, refusal %v", le, le.Err.Prefix(), refusal(err))
	}
	// The second connection is past loading.
	mustDial(t, DialConfig{Addr: s.addr})
}

func TestDialCredentialsProvider(t *testing.T) {
	s := newFakeServer(t, fakeOptions{Users: map[string]string{"u1": "p1", "u2": "p2"}})
	var calls atomic.Int32
	cfg := DialConfig{
		Addr: s.addr, Username: "ignored", Password: "ignored",
		CredentialsProvider: func(ctx context.Context) (Credentials, error) {
			n := calls.Add(1)
			if _, ok := ctx.Deadline(); !ok {
				t.Errorf("provider called without the dial deadline")
			}
			if n == 1 {
				return Credentials{Username: "u1", Password: "p1"}, nil
			}
			return Credentials{Username: "u2", Password: "p2"}, nil
		},
	}
	c1 := mustDial(t, cfg)
	c2 := mustDial(t, cfg)
	if calls.Load() != 2 {
		t.Errorf("provider called %d times for 2 dials", calls.Load())
	}
	cl := s.Clients()
	if len(cl) != 2 || cl[0].User != "u1" || cl[1].User != "u2" {
		t.Errorf("clients %+v", cl)
	}
	c1.Close()
	c2.Close()

	boom := errors.New("vault unreachable")
	cfg.CredentialsProvider = func(context.Context) (Credentials, error) { return Credentials{}, boom }
	_, err := dialT(t, cfg)
	var de *DialError
	if !errors.Is(err, boom) || !errors.As(err, &de) {
		t.Errorf("err = %v, want a DialError wrapping the provider's error", err)
	}
}

func TestDialFailures(t *testing.T) {
	t.Run("Refused", func(t *testing.T) {
		s := newFakeServer(t, fakeOptions{})
		s.Refuse(true)
		_, err := dialT(t, DialConfig{Addr: s.addr})
		var de *DialError
		if !errors.As(err, &de) || de.Addr != s.addr {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("NoListener", func(t *testing.T) {
		s := newFakeServer(t, fakeOptions{})
		s.Close()
		_, err := dialT(t, DialConfig{Addr: s.addr})
		var de *DialError
		if !errors.As(err, &de) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("HandshakeTimeout", func(t *testing.T) {
		s := newFakeServer(t, fakeOptions{})
		s.Pause()
		start := time.Now()
		_, err := dialT(t, DialConfig{Addr: s.addr, DialTimeout: 100 * time.Millisecond})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want DeadlineExceeded", err)
		}
		if el := time.Since(start); el > time.Second {
			t.Errorf("Dial took %v with a 100ms timeout", el)
		}
		s.Resume()
	})
	t.Run("ContextCancelled", func(t *testing.T) {
		s := newFakeServer(t, fakeOptions{})
		s.Pause()
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		_, err := Dial(ctx, &DialConfig{Addr: s.addr})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want Canceled", err)
		}
		if el := time.Since(start); el > time.Second {
			t.Errorf("Dial took %v", el)
		}
		s.Resume()
	})
}

// selfSigned returns a TLS certificate for 127.0.0.1 and a pool trusting
// it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "fake redis"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

func TestDialTLS(t *testing.T) {
	cert, roots := selfSigned(t)
	s := newFakeServer(t, fakeOptions{TLS: &tls.Config{Certificates: []tls.Certificate{cert}}})
	// ServerName defaults to the address's host, which the certificate
	// names.
	c := mustDial(t, DialConfig{Addr: s.addr, TLS: &tls.Config{RootCAs: roots}})
	if got := mustRun(t, testCtx(t, 5*time.Second), c, mkCmd(0, "ECHO", "over tls")); got != "over tls" {
		t.Errorf("ECHO = %q", got)
	}
	if cfg := (&DialConfig{Addr: s.addr, TLS: &tls.Config{}}); !strings.Contains(cfg.String(), "(tls)") {
		t.Errorf("String = %q", cfg.String())
	}
	// An untrusted certificate fails the dial.
	_, err := dialT(t, DialConfig{Addr: s.addr, TLS: &tls.Config{}})
	var de *DialError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "tls") {
		t.Errorf("untrusted certificate: %v", err)
	}
}

func TestDialUnixAndNetDialer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "redis.sock")
	s := newFakeServer(t, fakeOptions{Unix: path})
	c := mustDial(t, DialConfig{Network: "unix", Addr: path, DB: 2})
	mustRun(t, testCtx(t, 5*time.Second), c, setCmd("k", "v"))
	if v, _ := s.Get(2, "k"); v != "v" {
		t.Errorf("db 2 holds %q", v)
	}
	if got := (&DialConfig{Network: "unix", Addr: path, DB: 2, Username: "u", Password: "secret"}).String(); got != "unix://u@"+path+"/2" {
		t.Errorf("String = %q", got)
	}

	var dials atomic.Int32
	cfg := DialConfig{Addr: "redis.invalid:6379", NetDialer: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		if network != "tcp" || addr != "redis.invalid:6379" {
			t.Errorf("NetDialer(%q, %q)", network, addr)
		}
		var d net.Dialer
		return d.DialContext(ctx, "unix", path)
	}}
	c2 := mustDial(t, cfg)
	if dials.Load() != 1 || c2.Addr() != "redis.invalid:6379" || c2.LocalAddr() == nil {
		t.Errorf("dials %d, Addr %q", dials.Load(), c2.Addr())
	}
}
