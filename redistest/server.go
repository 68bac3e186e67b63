package redistest

// This file is the single server: starting it on a free port (again on
// another one when it lost its port to another process), readiness, its
// clients and URL, and its lifecycle (stop, start, pause, unpause, logs).

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

// Server is a running redis-server (or valkey-server, or sentinel).
type Server struct {
	cfg      Config
	plan     plan
	dir      string
	ownDir   bool // made by NewServer: Close removes it
	confPath string
	port     int
	addr     string
	inst     instance
	tls      *tls.Config // the client's side of Config.TLS

	mu     sync.Mutex
	closed bool
}

// Start starts a server for t (cfg: at most one Config; none is the zero
// Config) and waits until it answers. The server is killed when t ends;
// when t failed, its output is logged first. A server that cannot start
// fails t (t.Fatal): Start must run on t's goroutine.
func Start(t testing.TB, cfg ...Config) *Server {
	t.Helper()
	c := oneConfig(t, cfg)
	dir := c.Dir
	if dir == "" {
		dir = t.TempDir()
	}
	s, err := startNode(c, dir, serverLines(c, nil))
	if err != nil {
		t.Fatalf("redistest: start %s: %v", c.displayName(), err)
	}
	s.cleanupWith(t)
	return s
}

// NewServer starts a server that belongs to no test, for one that many
// tests share (started in TestMain, or lazily); Close ends it and removes
// its directory.
func NewServer(cfg Config) (*Server, error) {
	dir := cfg.Dir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "redistest-"); err != nil {
			return nil, err
		}
	}
	s, err := startNode(cfg, dir, serverLines(cfg, nil))
	if err != nil {
		if cfg.Dir == "" {
			os.RemoveAll(dir)
		}
		return nil, fmt.Errorf("redistest: start %s: %w", cfg.displayName(), err)
	}
	s.ownDir = cfg.Dir == ""
	return s, nil
}

// Close kills the server and removes the directory NewServer made for
// it (Start's is t's temporary directory, which the testing package
// removes; Config.Dir stays). A second Close does nothing.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.inst.destroy()
	if s.ownDir {
		return os.RemoveAll(s.dir)
	}
	return nil
}

func oneConfig(t testing.TB, cfg []Config) Config {
	t.Helper()
	switch len(cfg) {
	case 0:
		return Config{}
	case 1:
		return cfg[0]
	}
	t.Fatalf("redistest: %d Configs given: pass at most one", len(cfg))
	return Config{}
}

func (cfg Config) displayName() string {
	if cfg.Name != "" {
		return "server " + strconv.Quote(cfg.Name)
	}
	return "a server"
}

// cleanupWith kills s when t ends, logging its output when t failed.
func (s *Server) cleanupWith(t testing.TB) {
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("redistest: output of %s (%s, %s backend):\n%s", s.kind(), s.addr, s.plan.backend, s.Logs())
		}
		s.Close()
	})
}

func (s *Server) kind() string {
	k := "server"
	if s.cfg.Sentinel {
		k = "sentinel"
	}
	if s.cfg.Name != "" {
		k += " " + strconv.Quote(s.cfg.Name)
	}
	return k
}

// serverLines returns the configuration of a server on port, with more
// (cluster settings) before the user's Extra lines.
func serverLines(cfg Config, more func(port int) ([]string, error)) func(port int) ([]string, error) {
	return func(port int) ([]string, error) {
		var lines []string
		switch {
		case cfg.Sentinel && cfg.Password != "":
			lines = append(lines, "requirepass "+quote(cfg.Password))
		case !cfg.Sentinel:
			lines = append(lines, "save \"\"", "appendonly no")
			if cfg.Password != "" {
				lines = append(lines, "requirepass "+quote(cfg.Password), "masterauth "+quote(cfg.Password))
			}
		}
		if more != nil {
			m, err := more(port)
			if err != nil {
				return nil, err
			}
			lines = append(lines, m...)
		}
		return append(lines, cfg.Extra...), nil
	}
}

// quote quotes a configuration value.
func quote(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`).Replace(v) + `"`
}

// startNode starts a server in dir with the configuration lines(port)
// after the common ones, on a free port: on another one while a server
// loses its port to another process.
func startNode(cfg Config, dir string, lines func(port int) ([]string, error)) (*Server, error) {
	p, err := cfg.resolve()
	if err != nil {
		return nil, err
	}
	// The server reports its configuration file's absolute path.
	if dir, err = filepath.Abs(dir); err != nil {
		return nil, err
	}
	name := "redis.conf"
	if cfg.Sentinel {
		name = "sentinel.conf"
	}
	if p.backend == Container {
		// The server in the container may run as another user.
		if err := os.Chmod(dir, 0o777); err != nil {
			return nil, err
		}
	}
	s := &Server{cfg: cfg, plan: p, dir: dir, confPath: filepath.Join(dir, name)}
	if cfg.TLS {
		if s.tls, err = writeTLSFiles(dir); err != nil {
			return nil, fmt.Errorf("TLS certificates: %w", err)
		}
	}
	var lastErr error
	for range 5 {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s.port, s.addr = port, net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		more, err := lines(port)
		if err != nil {
			return nil, err
		}
		conf := append([]string{
			"port " + strconv.Itoa(port),
			"bind 127.0.0.1",
			"dir " + quote(dir),
			"daemonize no",
			`logfile ""`,
		}, s.tlsLines(port)...)
		conf = append(conf, more...)
		if err := os.WriteFile(s.confPath, []byte(strings.Join(conf, "\n")+"\n"), 0o666); err != nil {
			return nil, err
		}
		args := []string{s.confPath}
		if cfg.Sentinel {
			args = append(args, "--sentinel")
		}
		args = append(args, cfg.Args...)
		if s.inst, err = newInstance(p, dir, s.cfg.Name, port, args); err != nil {
			return nil, err
		}
		if err = s.inst.start(); err == nil {
			err = s.waitReady(cfg.startTimeout())
		}
		if err == nil {
			return s, nil
		}
		out := s.inst.logs()
		s.inst.destroy()
		lastErr = fmt.Errorf("%w\nserver output:\n%s", err, out)
		// Another process took the port first, or (Container) a container
		// of another process has the name, which holds the port.
		lost := errors.Is(err, errNotOurs) || strings.Contains(out, "Address already in use") ||
			strings.Contains(err.Error(), "already in use") || strings.Contains(err.Error(), "already exists")
		if !lost {
			break
		}
	}
	return nil, lastErr
}

func newInstance(p plan, dir, name string, port int, args []string) (instance, error) {
	switch p.backend {
	case Local:
		logPath := filepath.Join(dir, "server.log")
		os.Remove(logPath) // a previous attempt's
		return &localInstance{binary: p.binary, args: args, logPath: logPath}, nil
	case Container:
		return newContainer(p, dir, name, port, args)
	}
	return nil, fmt.Errorf("no backend %v", p.backend)
}

// errNotOurs is another process's server answering on the port.
var errNotOurs = errors.New("another server answers on the port")

// waitReady waits until the server answers as the server started from
// s's configuration file (not a server of another process that holds the
// port) and is done loading.
func (s *Server) waitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var err error
	for time.Now().Before(deadline) {
		if gone, how := s.inst.exited(); gone {
			return fmt.Errorf("the server ended before answering (%s)", how)
		}
		if err = s.probe(); err == nil || errors.Is(err, errNotOurs) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("no answer on %s within %v: %v", s.addr, timeout, err)
}

func (s *Server) probe() error {
	p, err := dialProbe(s.addr, s.cfg.Password, s.tls, time.Second)
	if err != nil {
		return err
	}
	defer p.close()
	info, err := p.do("INFO", "server")
	if err != nil {
		return err
	}
	if got := infoField(text(info), "config_file"); got != s.confPath {
		return fmt.Errorf("%w (its configuration file is %q)", errNotOurs, got)
	}
	pong, err := p.do("PING")
	if err != nil {
		return err
	}
	if text(pong) != "PONG" {
		return fmt.Errorf("PING answered %v", pong)
	}
	return nil
}

// Addr is the server's address, 127.0.0.1:port.
func (s *Server) Addr() string { return s.addr }

// Port is the server's TCP port.
func (s *Server) Port() int { return s.port }

// Dir is the server's directory (its configuration file, its data, and
// the Local backend's output, server.log). A container sees it at the same
// path.
func (s *Server) Dir() string { return s.dir }

// Backend is the backend the server runs on (Local or Container).
func (s *Server) Backend() Backend { return s.plan.backend }

// URL is the server's redis:// URL (with the password, when set), for
// redisclient.ParseURL and other clients; rediss:// with Config.TLS,
// whose client then needs TLSConfig's CA.
func (s *Server) URL() string {
	u := url.URL{Scheme: "redis", Host: s.addr}
	if s.tls != nil {
		u.Scheme = "rediss"
	}
	if s.cfg.Password != "" {
		u.User = url.UserPassword("", s.cfg.Password)
	}
	return u.String()
}

// Options returns client options for the server: its address, password,
// and with Config.TLS, TLSConfig.
func (s *Server) Options() redisclient.Options {
	return redisclient.Options{Addr: s.addr, Password: s.cfg.Password, DialTimeout: 5 * time.Second, TLSConfig: s.TLSConfig()}
}

// TLSConfig returns a client TLS configuration for a server of
// Config.TLS: it trusts the server's CA and presents the client
// certificate. It is nil without Config.TLS.
func (s *Server) TLSConfig() *tls.Config {
	if s.tls == nil {
		return nil
	}
	return s.tls.Clone()
}

// Client returns a client of the server, connected, closed when t ends.
func (s *Server) Client(t testing.TB) *redisclient.Client {
	t.Helper()
	c, err := redisclient.New(s.Options())
	if err != nil {
		t.Fatalf("redistest: client of %s: %v", s.addr, err)
	}
	return readyClient(t, c, s.addr)
}

// readyClient waits until c is connected, and closes it when t ends.
func readyClient(t testing.TB, c *redisclient.Client, what string) *redisclient.Client {
	t.Helper()
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Ready(ctx); err != nil {
		t.Fatalf("redistest: client of %s not ready: %v", what, err)
	}
	return c
}

// Stop kills the server abruptly, as a crash would (SIGKILL, or stopping
// its container): every connection closes, and what it had not persisted
// is lost. Start runs it again.
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	if err := s.inst.stop(); err != nil {
		t.Fatalf("redistest: stop %s (%s): %v", s.kind(), s.addr, err)
	}
}

// Start runs a stopped server again, on the same port with the same
// directory and configuration, and waits until it answers.
func (s *Server) Start(t testing.TB) {
	t.Helper()
	if err := s.restart(); err != nil {
		t.Fatalf("redistest: start %s (%s) again: %v", s.kind(), s.addr, err)
	}
}

func (s *Server) restart() error {
	if err := s.inst.start(); err != nil {
		return err
	}
	if err := s.waitReady(s.cfg.startTimeout()); err != nil {
		return fmt.Errorf("%w\nserver output:\n%s", err, s.inst.logs())
	}
	return nil
}

// Restart stops the server abruptly and starts it again.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop(t)
	s.Start(t)
}

// Pause freezes the server (SIGSTOP, or docker pause): its connections
// stay open and nothing answers until Unpause.
func (s *Server) Pause(t testing.TB) {
	t.Helper()
	if err := s.inst.pause(); err != nil {
		t.Fatalf("redistest: pause %s (%s): %v", s.kind(), s.addr, err)
	}
}

// Unpause resumes a paused server.
func (s *Server) Unpause(t testing.TB) {
	t.Helper()
	if err := s.inst.unpause(); err != nil {
		t.Fatalf("redistest: unpause %s (%s): %v", s.kind(), s.addr, err)
	}
}

// Logs returns the server's last lines of output.
func (s *Server) Logs() string { return s.inst.logs() }
