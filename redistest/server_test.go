package redistest_test

// Tests of single servers against real servers of the backend Auto picks
// (a local binary under make test).

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/redistest"
)

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestStartSetGet(t *testing.T) {
	t.Parallel()
	s := redistest.Start(t)
	ctx := ctxFor(t)
	c := s.Client(t)
	if err := redisclient.Set("k", "v").Do(ctx, c); err != nil {
		t.Fatalf("SET: %v", err)
	}
	got, err := redisclient.Get("k").Do(ctx, c)
	if err != nil || !got.Valid || got.Value != "v" {
		t.Fatalf("GET k = %+v, %v; want v", got, err)
	}
	if host, _, _ := net.SplitHostPort(s.Addr()); host != "127.0.0.1" {
		t.Errorf("Addr() = %q, want 127.0.0.1:port", s.Addr())
	}
	if want := "redis://" + s.Addr(); s.URL() != want {
		t.Errorf("URL() = %q, want %q", s.URL(), want)
	}
	// The server's directory holds its configuration.
	if _, err := os.Stat(s.Dir() + "/redis.conf"); err != nil {
		t.Errorf("no redis.conf in Dir(): %v", err)
	}
}

func TestStartPasswordAndExtra(t *testing.T) {
	t.Parallel()
	s := redistest.Start(t, redistest.Config{Password: "p@ss word", Extra: []string{"maxmemory 12mb"}})
	ctx := ctxFor(t)
	c := s.Client(t)
	v, err := redisclient.Raw("CONFIG", "GET", "maxmemory").Do(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.String(); !strings.Contains(got, "12582912") {
		t.Errorf("CONFIG GET maxmemory = %s, want 12582912", got)
	}
	// The URL carries the password; without it the server refuses.
	o, err := redisclient.ParseURL(s.URL())
	if err != nil {
		t.Fatalf("ParseURL(%q): %v", s.URL(), err)
	}
	if o.Password != "p@ss word" || o.Addr != s.Addr() {
		t.Errorf("ParseURL(URL()) = addr %q password %q", o.Addr, o.Password)
	}
	bare, err := redisclient.New(redisclient.Options{Addr: s.Addr(), Protocol: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer bare.Close()
	short, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := redisclient.Set("k", "v").Do(short, bare); err == nil || !strings.Contains(err.Error(), "NOAUTH") {
		t.Errorf("SET without the password: %v, want a NOAUTH error", err)
	}
}

func TestRestartKeepsPortAndPersistedData(t *testing.T) {
	t.Parallel()
	s := redistest.Start(t, redistest.Config{Extra: []string{"appendonly yes", "appendfsync always"}})
	ctx := ctxFor(t)
	c := s.Client(t)
	if err := redisclient.Set("kept", "1").Do(ctx, c); err != nil {
		t.Fatal(err)
	}
	addr := s.Addr()
	s.Stop(t)
	probe, err := net.DialTimeout("tcp", addr, time.Second)
	if err == nil {
		probe.Close()
		t.Fatalf("%s still accepts connections after Stop", addr)
	}
	s.Start(t)
	if s.Addr() != addr {
		t.Fatalf("address after Start = %s, want %s", s.Addr(), addr)
	}
	got, err := redisclient.Get("kept").Do(ctx, c) // the client reconnects
	if err != nil || got.Value != "1" {
		t.Fatalf("GET kept after the restart = %+v, %v; want 1 (appendonly)", got, err)
	}
}

func TestPauseUnpause(t *testing.T) {
	t.Parallel()
	s := redistest.Start(t)
	ctx := ctxFor(t)
	c := s.Client(t)
	s.Pause(t)
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	err := c.Ping(short)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("PING to a paused server: %v, want the context's deadline", err)
	}
	s.Unpause(t)
	if err := c.Ping(ctx); err != nil {
		t.Fatalf("PING after Unpause: %v", err)
	}
}

// Servers started at once never share a port, and each test reaches its
// own server.
func TestParallelStartsDistinctServers(t *testing.T) {
	t.Parallel()
	const n = 6
	var mu sync.Mutex
	addrs := map[string]bool{}
	for i := range n {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			s := redistest.Start(t)
			mu.Lock()
			if addrs[s.Addr()] {
				t.Errorf("address %s handed out twice", s.Addr())
			}
			addrs[s.Addr()] = true
			mu.Unlock()
			ctx := ctxFor(t)
			c := s.Client(t)
			if err := redisclient.Set("mine", i).Do(ctx, c); err != nil {
				t.Fatal(err)
			}
			n, err := redisclient.DBSize().Do(ctx, c)
			if err != nil || n != 1 {
				t.Fatalf("DBSIZE = %d, %v; want 1 (a server of its own)", n, err)
			}
		})
	}
}

func TestBadConfig(t *testing.T) {
	_, err := redistest.NewServer(redistest.Config{Backend: redistest.Local, Binary: "/nonexistent/redis-server"})
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/redis-server") {
		t.Errorf("NewServer with a missing binary: %v, want an error naming it", err)
	}
	_, err = redistest.NewServer(redistest.Config{Extra: []string{"no-such-directive 1"}})
	if err == nil || !strings.Contains(err.Error(), "no-such-directive") {
		t.Errorf("NewServer with a bad directive: %v, want the server's complaint", err)
	}
	_, err = redistest.NewServer(redistest.Config{Backend: redistest.Backend(9)})
	if err == nil || !strings.Contains(err.Error(), "Backend 9") {
		t.Errorf("NewServer with Backend(9): %v", err)
	}
}

func TestNewServerClose(t *testing.T) {
	s, err := redistest.NewServer(redistest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	dir := s.Dir()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("Dir() %s after Close: %v, want it removed", dir, err)
	}
	if c, err := net.DialTimeout("tcp", s.Addr(), time.Second); err == nil {
		c.Close()
		t.Errorf("%s accepts connections after Close", s.Addr())
	}
}

func TestTLS(t *testing.T) {
	t.Parallel()
	s := redistest.Start(t, redistest.Config{TLS: true, Password: "pw"})
	ctx := ctxFor(t)
	if !strings.HasPrefix(s.URL(), "rediss://") {
		t.Errorf("URL() = %q, want rediss://", s.URL())
	}
	c := s.Client(t)
	if err := redisclient.Set("k", "v").Do(ctx, c); err != nil {
		t.Fatalf("SET over TLS: %v", err)
	}
	// Plain TCP gets no answer: the port speaks TLS only.
	plain, err := redisclient.New(redisclient.Options{Addr: s.Addr(), Password: "pw", DialTimeout: time.Second, Protocol: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	short, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := plain.Ping(short); err == nil {
		t.Error("PING without TLS succeeded on a TLS server")
	}
	// Without the client certificate, the server refuses (tls-auth-clients yes).
	cfg := s.TLSConfig()
	cfg.Certificates = nil
	o := s.Options()
	o.TLSConfig = cfg
	o.DialTimeout = 2 * time.Second
	nocert, err := redisclient.New(o)
	if err != nil {
		t.Fatal(err)
	}
	defer nocert.Close()
	short2, cancel2 := context.WithTimeout(ctx, 3*time.Second)
	defer cancel2()
	if err := nocert.Ping(short2); err == nil {
		t.Error("PING without a client certificate succeeded")
	}
}

// A directory of the caller's holds files the configuration names.
func TestDirAndExtraFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/users.acl", []byte("user default on nopass ~* &* +@all\nuser bob on >pw ~bob:* +@all\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := redistest.Start(t, redistest.Config{Dir: dir, Extra: []string{"aclfile " + dir + "/users.acl"}})
	if s.Dir() != dir {
		t.Errorf("Dir() = %s, want %s", s.Dir(), dir)
	}
	ctx := ctxFor(t)
	o := s.Options()
	o.Username, o.Password = "bob", "pw"
	c, err := redisclient.New(o)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := redisclient.Set("bob:1", "x").Do(ctx, c); err != nil {
		t.Fatalf("SET bob:1 as bob: %v", err)
	}
	if err := redisclient.Set("alice:1", "x").Do(ctx, c); err == nil || !strings.Contains(err.Error(), "NOPERM") {
		t.Errorf("SET alice:1 as bob: %v, want NOPERM", err)
	}
}
