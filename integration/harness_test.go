package integration

// This file is the harness: the Docker check, Redis containers (host
// networking, 127.0.0.1, free ports, no persistence) started and
// controlled (stop, start, pause, unpause, logs, purge) by redistest, the
// package users test their own code with, so that one harness serves
// both; TLS material, clients and small helpers shared by the tests.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ory/dockertest/v3"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/redistest"
)

// defaultImage is the image scripts/build-redis-image.sh builds.
const defaultImage = "redkit/redis:7.0-local"

var (
	redisImage string

	// shared is the plain server the data-type tests share (each test uses
	// its own keys); it starts on first use and is purged by TestMain.
	sharedOnce sync.Once
	shared     *Server
	sharedErr  error
)

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	redisImage = os.Getenv("REDIS_IMAGE")
	if redisImage == "" {
		redisImage = defaultImage
	}
	if err := connectDocker(); err != nil {
		setup := "scripts/setup.sh"
		if redisImage != defaultImage {
			setup = "REDIS_IMAGE=" + redisImage + " " + setup
		}
		fmt.Fprintf(os.Stderr, "\nintegration: %v\n\n"+
			"The integration tests need a Docker engine (DOCKER_HOST is honoured) and the\n"+
			"Redis image %s. Run, from the repository root:\n\n"+
			"\t%s\n\n"+
			"then run the tests again. They never skip for want of Docker.\n\n", err, redisImage, setup)
		return 1
	}
	code := m.Run()
	if out := os.Getenv("REDKIT_COVERAGE_FILE"); shared != nil && code == 0 && out != "" {
		// go test shows a passing package's output only with -v: the
		// report goes to a file that make integration prints.
		if f, err := os.OpenFile(out, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644); err == nil {
			reportCoverage(f, shared)
			f.Close()
		}
	}
	if shared != nil {
		if code != 0 {
			fmt.Fprintf(os.Stderr, "integration: the shared server's output:\n%s\n", shared.Logs())
		}
		shared.purge()
		if shared.dir != "" {
			os.RemoveAll(shared.dir)
		}
	}
	return code
}

// connectDocker connects to the engine (dockertest.NewPool("") honours
// DOCKER_HOST) and checks that the image is there: the tests must not pull
// it (no registry is assumed reachable). redistest then starts the
// containers (and removes those a killed test process left).
func connectDocker() error {
	p, err := dockertest.NewPool("")
	if err != nil {
		return fmt.Errorf("cannot create a Docker client: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.Client.PingWithContext(ctx); err != nil {
		return fmt.Errorf("no Docker engine answers (DOCKER_HOST=%q): %w", os.Getenv("DOCKER_HOST"), err)
	}
	if _, err := p.Client.InspectImage(redisImage); err != nil {
		return fmt.Errorf("the Redis image %s is missing (%v)", redisImage, err)
	}
	return nil
}

// ServerConfig describes a redis-server to start.
type ServerConfig struct {
	// Name names the container (with its port), for people reading
	// `docker ps`.
	Name string
	// Password sets requirepass (the default user's password; a
	// sentinel's own with Sentinel).
	Password string
	// Users are ACL rules, one user each, passed as --user directives,
	// e.g. "alice on >secret ~* &* +@all".
	Users []string
	// TLS serves TLS on the server's port (plain TCP is disabled with
	// port 0); TLSAuthClients is tls-auth-clients ("yes" by default).
	TLS            bool
	TLSAuthClients string
	// Conf are configuration file lines (files of the server's directory
	// may be named: the container sees it at the same path).
	Conf []string
	// Sentinel runs a sentinel (Conf holds its sentinel directives).
	Sentinel bool
	// Args are extra redis-server arguments.
	Args []string
}

// Server is a redis-server in a container with host networking, started
// by redistest (its Container backend, with the image of REDIS_IMAGE).
type Server struct {
	cfg  ServerConfig
	rs   *redistest.Server
	dir  string // the server's directory: its redis.conf, data and TLS files
	Port int
	Addr string // 127.0.0.1:Port
	TLS  *TLSMaterial

	mu      sync.Mutex
	version [3]int
	valkey  bool // the server is Valkey; version is then valkey_version
}

// StartServer starts a server for t (purged when t ends; its output is
// logged when t failed).
func StartServer(t testing.TB, cfg ServerConfig) *Server {
	t.Helper()
	dir := t.TempDir()
	s, err := startServer(cfg, dir)
	if err != nil {
		t.Fatalf("start redis-server (%s): %v", cfg.Name, err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("output of redis-server %s (%s):\n%s", s.cfg.Name, s.Addr, s.Logs())
		}
		s.purge()
	})
	return s
}

// sharedServer returns the plain server shared by the data-type tests.
func sharedServer(t testing.TB) *Server {
	t.Helper()
	sharedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "redkit-it-shared-")
		if err != nil {
			sharedErr = err
			return
		}
		shared, sharedErr = startServer(ServerConfig{Name: "shared"}, dir)
		if sharedErr != nil {
			os.RemoveAll(dir)
		}
	})
	if sharedErr != nil {
		t.Fatalf("start the shared redis-server: %v", sharedErr)
	}
	return shared
}

// startServer starts a server in dir with redistest: on a free port (on
// another one when a process took it first), and answering as the server
// started from dir's configuration when it returns.
func startServer(cfg ServerConfig, dir string) (*Server, error) {
	rc := redistest.Config{
		Backend:  redistest.Container,
		Image:    redisImage,
		Name:     "it-" + cfg.Name,
		Dir:      dir,
		Password: cfg.Password,
		TLS:      cfg.TLS,
		Sentinel: cfg.Sentinel,
		Extra:    cfg.Conf,
	}
	if cfg.TLS && cfg.TLSAuthClients != "" {
		rc.Extra = append([]string{"tls-auth-clients " + cfg.TLSAuthClients}, rc.Extra...)
	}
	for _, u := range cfg.Users {
		rc.Args = append(rc.Args, "--user")
		rc.Args = append(rc.Args, strings.Fields(u)...)
	}
	rc.Args = append(rc.Args, cfg.Args...)
	rs, err := redistest.NewServer(rc)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, rs: rs, dir: dir, Port: rs.Port(), Addr: rs.Addr()}
	if cfg.TLS {
		m, err := newTLSMaterial(rs.TLSConfig())
		if err != nil {
			rs.Close()
			return nil, fmt.Errorf("TLS material: %w", err)
		}
		s.TLS = m
	}
	return s, nil
}

// raw sends one command in RESP2 on a new connection (authenticating
// first when needed) and returns the reply's first line, or the bulk
// payload for a bulk string. It is the harness's own probe, independent of
// the client under test.
func (s *Server) raw(timeout time.Duration, args ...string) (string, error) {
	d := net.Dialer{Timeout: timeout}
	nc, err := d.Dial("tcp", s.Addr)
	if err != nil {
		return "", err
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(timeout))
	var conn net.Conn = nc
	if s.TLS != nil {
		cfg := s.TLS.ClientConfig(true)
		cfg.ServerName = "127.0.0.1"
		tc := tls.Client(nc, cfg)
		if err := tc.Handshake(); err != nil {
			return "", err
		}
		conn = tc
	}
	r := bufio.NewReader(conn)
	send := func(args ...string) (string, error) {
		var b bytes.Buffer
		fmt.Fprintf(&b, "*%d\r\n", len(args))
		for _, a := range args {
			fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
		}
		if _, err := conn.Write(b.Bytes()); err != nil {
			return "", err
		}
		line, err := r.ReadString('\n')
		if err != nil {
			return "", err
		}
		line = strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(line, "$") {
			n, err := strconv.Atoi(line[1:])
			if err != nil || n < 0 {
				return line, err
			}
			buf := make([]byte, n+2)
			if _, err := io.ReadFull(r, buf); err != nil {
				return "", err
			}
			return string(buf[:n]), nil
		}
		return line, nil
	}
	if s.cfg.Password != "" {
		if _, err := send("AUTH", s.cfg.Password); err != nil {
			return "", err
		}
	}
	return send(args...)
}

// Version returns the server's version (from INFO server): Valkey's own
// (valkey_version) on a Valkey server, which also reports the Redis
// version it forked from as redis_version.
func (s *Server) Version(t testing.TB) [3]int {
	t.Helper()
	v, _ := s.serverVersion(t)
	return v
}

// IsValkey reports whether the server is Valkey (INFO server's server_name).
func (s *Server) IsValkey(t testing.TB) bool {
	t.Helper()
	_, valkey := s.serverVersion(t)
	return valkey
}

func (s *Server) serverVersion(t testing.TB) ([3]int, bool) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.version != [3]int{} {
		return s.version, s.valkey
	}
	info, err := s.raw(5*time.Second, "INFO", "server")
	if err != nil {
		t.Fatalf("INFO server: %v", err)
	}
	field := "redis_version"
	if s.valkey = strings.Contains(info, "server_name:valkey"); s.valkey {
		field = "valkey_version"
	}
	m := regexp.MustCompile(field + `:(\d+)\.(\d+)\.(\d+)`).FindStringSubmatch(info)
	if m == nil {
		t.Fatalf("no %s in INFO server: %q", field, info)
	}
	for i := range 3 {
		s.version[i], _ = strconv.Atoi(m[i+1])
	}
	return s.version, s.valkey
}

// VersionString returns the server's name and version as text.
func (s *Server) VersionString(t testing.TB) string {
	v, valkey := s.serverVersion(t)
	name := "Redis"
	if valkey {
		name = "Valkey"
	}
	return fmt.Sprintf("%s %d.%d.%d", name, v[0], v[1], v[2])
}

// atLeast reports whether version v is want ("7.2.0") or newer.
func atLeast(v [3]int, want string) bool {
	var w [3]int
	for i, p := range strings.SplitN(want, ".", 3) {
		w[i], _ = strconv.Atoi(p)
	}
	for i := range 3 {
		if v[i] != w[i] {
			return v[i] > w[i]
		}
	}
	return true
}

// valkeyFork is the Redis version Valkey forked from: a feature of that
// Redis version or older is in every Valkey.
var valkeyFork = [3]int{7, 2, 4}

// Has reports whether the server has a feature that Redis added in
// version redis ("" when Redis lacks it: a Valkey-only feature) and Valkey
// in version valkey ("" when Valkey lacks it, or has it from the fork when
// redis is not newer than the fork).
func (s *Server) Has(t testing.TB, redis, valkey string) bool {
	t.Helper()
	v, isValkey := s.serverVersion(t)
	if !isValkey {
		return redis != "" && atLeast(v, redis)
	}
	if valkey == "" {
		return atLeast(valkeyFork, redis)
	}
	return atLeast(v, valkey)
}

// AtLeast reports whether the server has what Redis version want added
// (on Valkey: what it had from the fork).
func (s *Server) AtLeast(t testing.TB, want string) bool {
	t.Helper()
	return s.Has(t, want, "")
}

// RequireVersion skips t, saying what and why, when the server lacks a
// feature that Redis added in version want and that Valkey has only if it
// came with the fork.
func (s *Server) RequireVersion(t testing.TB, want, what string) {
	t.Helper()
	s.RequireServer(t, what, want, "")
}

// RequireServer skips t, saying what and why, when the server lacks a
// feature that Redis added in version redis ("" when Redis lacks it) and
// Valkey in version valkey ("" when Valkey lacks it or had it from the
// fork).
func (s *Server) RequireServer(t testing.TB, what, redis, valkey string) {
	t.Helper()
	if s.Has(t, redis, valkey) {
		return
	}
	need := "Redis " + redis + " or newer"
	switch {
	case redis == "":
		need = "Valkey " + valkey + " or newer (Redis has no such feature)"
	case valkey != "":
		need += " or Valkey " + valkey + " or newer"
	case !atLeast(valkeyFork, redis):
		need += " (Valkey has no such feature)"
	}
	t.Skipf("skipped %s: needs %s, the server (%s) is %s", what, need, redisImage, s.VersionString(t))
}

// Stop kills the server abruptly (its container stops at once, as in a
// crash), closing every connection.
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	s.rs.Stop(t)
}

// Start starts a stopped server again (same port, same directory) and
// waits until it answers.
func (s *Server) Start(t testing.TB) {
	t.Helper()
	s.rs.Start(t)
}

// Pause freezes the server's process (docker pause): connections stay
// open, nothing answers.
func (s *Server) Pause(t testing.TB) {
	t.Helper()
	s.rs.Pause(t)
}

// Unpause resumes a paused server.
func (s *Server) Unpause(t testing.TB) {
	t.Helper()
	s.rs.Unpause(t)
}

// Logs returns the container's output (the last 300 lines).
func (s *Server) Logs() string { return s.rs.Logs() }

// purge removes the container (also a paused one).
func (s *Server) purge() { s.rs.Close() }

// alwaysPipeline is set by REDKIT_ALWAYS_PIPELINE=1: clients the tests
// make send every command through the writer and reader goroutines (make
// test runs the fault tests both ways).
var alwaysPipeline = os.Getenv("REDKIT_ALWAYS_PIPELINE") == "1"

// Options returns client options for the server and protocol (2 or 3),
// with its TLS configuration and the default user's password.
func (s *Server) Options(proto int) redisclient.Options {
	o := redisclient.Options{
		Addr:           s.Addr,
		Protocol:       proto,
		Password:       s.cfg.Password,
		DialTimeout:    5 * time.Second,
		AlwaysPipeline: alwaysPipeline,
		Hooks:          []redisclient.Hook{coverageHook(proto)},
	}
	if s.TLS != nil {
		o.TLSConfig = s.TLS.ClientConfig(true)
	}
	return o
}

// NewClient returns a client closed when t ends.
func NewClient(t testing.TB, opts redisclient.Options) *redisclient.Client {
	t.Helper()
	c, err := redisclient.New(opts)
	if err != nil {
		t.Fatalf("redisclient.New(%v): %v", opts, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// ctxFor returns a context bounded by d and the test's deadline.
func ctxFor(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// testCtx is the usual bound of one test's commands.
func testCtx(t testing.TB) context.Context { return ctxFor(t, 30*time.Second) }

// protocols runs fn for RESP2 and RESP3 against the shared server, in
// parallel subtests, each with its own client.
func protocols(t *testing.T, fn func(t *testing.T, c *redisclient.Client)) {
	t.Helper()
	t.Parallel()
	srv := sharedServer(t)
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			t.Parallel()
			c := NewClient(t, srv.Options(proto))
			fn(t, c)
		})
	}
}

var (
	keyIDsMu  sync.Mutex
	keyIDs    = map[testing.TB]int{}
	nextKeyID int
)

// key returns a key unique to the test: subtests of both protocols share
// one server, and so do the runs of -count=N.
func key(t testing.TB, name string) string {
	keyIDsMu.Lock()
	id, found := keyIDs[t]
	if !found {
		nextKeyID++
		id = nextKeyID
		keyIDs[t] = id
		t.Cleanup(func() {
			keyIDsMu.Lock()
			delete(keyIDs, t)
			keyIDsMu.Unlock()
		})
	}
	keyIDsMu.Unlock()
	return fmt.Sprintf("{%s#%d}:%s", t.Name(), id, name)
}

// must fails t on err.
func must(t testing.TB, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// TLSMaterial is the test CA of a TLS server (redistest made it) and the
// client certificate it signed, and a CA that signed nothing of the
// server's.
type TLSMaterial struct {
	CAPool     *x509.CertPool
	ClientCert tls.Certificate
	// OtherCAPool trusts a different CA (verification must fail).
	OtherCAPool *x509.CertPool
}

// ClientConfig returns a client TLS configuration trusting the test CA,
// with the client certificate when withCert.
func (m *TLSMaterial) ClientConfig(withCert bool) *tls.Config {
	cfg := &tls.Config{RootCAs: m.CAPool, MinVersion: tls.VersionTLS12}
	if withCert {
		cfg.Certificates = []tls.Certificate{m.ClientCert}
	}
	return cfg
}

// newTLSMaterial takes the CA and client certificate of redistest's
// client configuration, and makes another CA.
func newTLSMaterial(client *tls.Config) (*TLSMaterial, error) {
	if client == nil || client.RootCAs == nil || len(client.Certificates) != 1 {
		return nil, errors.New("the server has no TLS client configuration")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "some other CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	other, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	m := &TLSMaterial{CAPool: client.RootCAs, ClientCert: client.Certificates[0], OtherCAPool: x509.NewCertPool()}
	m.OtherCAPool.AddCert(other)
	return m, nil
}

// freePort returns a port nothing listens on (redistest's allocator: no
// server gets it later in this process).
func freePort() (int, error) { return redistest.FreePort() }
