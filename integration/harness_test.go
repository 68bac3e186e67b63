package integration

// This file is the harness: the Docker connection, Redis containers (host
// networking, 127.0.0.1, free ports, no persistence) with their control
// (stop, start, pause, unpause, logs, purge), TLS material, clients and
// small helpers shared by the tests.

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
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ory/dockertest/v3"
	dc "github.com/ory/dockertest/v3/docker"

	"github.com/redkit-go/redkit/redisclient"
)

// defaultImage is the image scripts/build-redis-image.sh builds.
const defaultImage = "redkit/redis:7.0-local"

// Labels on every container the tests start: the reaper removes the ones
// whose test process is gone (a run killed by -timeout cannot clean up).
const (
	labelOwner = "org.redkit.integration"
	labelPID   = "org.redkit.integration.pid"
)

var (
	pool       *dockertest.Pool
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
	reapStaleContainers()
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
// it (no registry is assumed reachable).
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
	p.MaxWait = 30 * time.Second
	pool = p
	return nil
}

// reapStaleContainers removes containers left by test processes that no
// longer run (killed by a timeout before their cleanup ran).
func reapStaleContainers() {
	cs, err := pool.Client.ListContainers(dc.ListContainersOptions{
		All: true, Filters: map[string][]string{"label": {labelOwner}},
	})
	if err != nil {
		return
	}
	for _, c := range cs {
		pid, err := strconv.Atoi(c.Labels[labelPID])
		if err != nil || processAlive(pid) {
			continue
		}
		_ = pool.Client.RemoveContainer(dc.RemoveContainerOptions{ID: c.ID, Force: true, RemoveVolumes: true})
	}
}

func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// imageRef splits an image reference into dockertest's repository and tag.
func imageRef(image string) (repo, tag string) {
	slash := strings.LastIndex(image, "/")
	if colon := strings.LastIndex(image, ":"); colon > slash {
		return image[:colon], image[colon+1:]
	}
	return image, "latest"
}

// ServerConfig describes a redis-server to start.
type ServerConfig struct {
	// Name names the container (with its port), for people reading
	// `docker ps`.
	Name string
	// Password sets requirepass (the default user's password).
	Password string
	// Users are ACL rules, one user each, passed as --user directives,
	// e.g. "alice on >secret ~* &* +@all".
	Users []string
	// TLS serves TLS on the server's port (plain TCP is disabled with
	// port 0); TLSAuthClients is tls-auth-clients ("yes" by default).
	TLS            bool
	TLSAuthClients string
	// Args are extra redis-server arguments.
	Args []string
}

// Server is a redis-server in a container with host networking.
type Server struct {
	cfg ServerConfig
	res *dockertest.Resource
	dir string // bind-mounted at /conf (TLS material)
	// cmd and mount, when set, replace the server's command line and the
	// read-only mount of dir (a sentinel runs from its own writable
	// configuration file).
	cmd   []string
	mount string
	Port  int
	Addr  string // 127.0.0.1:Port
	TLS   *TLSMaterial

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

func startServer(cfg ServerConfig, dir string) (*Server, error) {
	s := &Server{cfg: cfg, dir: dir}
	if cfg.TLS {
		m, err := writeTLSMaterial(dir)
		if err != nil {
			return nil, fmt.Errorf("TLS material: %w", err)
		}
		s.TLS = m
	}
	if err := s.startOnFreePort(nil); err != nil {
		return nil, err
	}
	return s, nil
}

// startOnFreePort runs s's container on a free port and waits for it,
// trying another port when a process took the probed one before the
// server bound it. prepare, when set, writes what depends on the port
// before each attempt.
func (s *Server) startOnFreePort(prepare func(port int) error) error {
	var lastErr error
	for attempt := 0; attempt < 4; attempt++ {
		port, err := freePort()
		if err != nil {
			return err
		}
		s.Port, s.Addr = port, net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		if prepare != nil {
			if err := prepare(port); err != nil {
				return err
			}
		}
		if err := s.run(); err != nil {
			return err
		}
		err = s.WaitReady(30 * time.Second)
		if err == nil {
			return nil
		}
		lastErr = fmt.Errorf("%w\nserver output:\n%s", err, s.Logs())
		s.purge()
		if !strings.Contains(lastErr.Error(), "Address already in use") {
			break
		}
	}
	return lastErr
}

// freePort returns a TCP port that was free on 127.0.0.1 a moment ago.
// It never returns a port twice: servers started in parallel would
// otherwise race for one port, and the loser's PING probe would be
// answered by the winner.
func freePort() (int, error) {
	handedOutMu.Lock()
	defer handedOutMu.Unlock()
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if !handedOut[port] {
			handedOut[port] = true
			return port, nil
		}
	}
	return 0, errors.New("no port that was not handed out already")
}

var (
	handedOutMu sync.Mutex
	handedOut   = map[int]bool{} // ports freePort returned
)

func (s *Server) args() []string {
	port := strconv.Itoa(s.Port)
	args := []string{"redis-server",
		"--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no",
		"--dir", "/data",
		"--loglevel", "notice",
	}
	if s.cfg.TLS {
		auth := s.cfg.TLSAuthClients
		if auth == "" {
			auth = "yes"
		}
		args = append(args, "--port", "0", "--tls-port", port,
			"--tls-cert-file", "/conf/server.crt",
			"--tls-key-file", "/conf/server.key",
			"--tls-ca-cert-file", "/conf/ca.crt",
			"--tls-auth-clients", auth)
	} else {
		args = append(args, "--port", port)
	}
	if s.cfg.Password != "" {
		args = append(args, "--requirepass", s.cfg.Password)
	}
	for _, u := range s.cfg.Users {
		args = append(args, "--user")
		args = append(args, strings.Fields(u)...)
	}
	return append(args, s.cfg.Args...)
}

func (s *Server) run() error {
	repo, tag := imageRef(redisImage)
	name := s.cfg.Name
	if name == "" {
		name = "redis"
	}
	name = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`).ReplaceAllString(name, "-")
	cmd, mount := s.cmd, s.mount
	if cmd == nil {
		cmd = s.args()
	}
	if mount == "" {
		mount = s.dir + ":/conf:ro"
	}
	res, err := pool.RunWithOptions(&dockertest.RunOptions{
		Name:       fmt.Sprintf("redkit-it-%s-%d", name, s.Port),
		Repository: repo,
		Tag:        tag,
		Cmd:        cmd,
		Mounts:     []string{mount},
		Labels:     map[string]string{labelOwner: "1", labelPID: strconv.Itoa(os.Getpid())},
	}, func(hc *dc.HostConfig) {
		hc.NetworkMode = "host"
		hc.PublishAllPorts = false
		hc.AutoRemove = false
		hc.RestartPolicy = dc.RestartPolicy{Name: "no"}
	})
	if err != nil {
		return fmt.Errorf("run container: %w", err)
	}
	s.res = res
	return nil
}

// WaitReady waits until the server answers PING (an error reply such as
// NOAUTH counts: the server is up).
func (s *Server) WaitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var err error
	for time.Now().Before(deadline) {
		var reply string
		reply, err = s.raw(time.Second, "PING")
		c, ierr := pool.Client.InspectContainer(s.res.Container.ID)
		if err == nil && !strings.HasPrefix(reply, "-LOADING") {
			// The answer counts only while our container runs: another
			// process may hold the port it failed to bind.
			if ierr == nil && !c.State.Running {
				return fmt.Errorf("container exited (code %d); another process answers on %s", c.State.ExitCode, s.Addr)
			}
			return nil
		}
		if ierr == nil && !c.State.Running && !c.State.Paused && !c.State.Restarting {
			return fmt.Errorf("container exited (code %d) before answering PING", c.State.ExitCode)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("no PING reply on %s within %v: %v", s.Addr, timeout, err)
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

func (s *Server) containerID() string { return s.res.Container.ID }

// Stop stops the container abruptly (SIGKILL: the image's stop signal is
// one Redis ignores), closing every connection.
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	if err := pool.Client.StopContainer(s.containerID(), 0); err != nil {
		t.Fatalf("stop %s: %v", s.cfg.Name, err)
	}
}

// Start starts a stopped container and waits until it answers.
func (s *Server) Start(t testing.TB) {
	t.Helper()
	if err := pool.Client.StartContainer(s.containerID(), nil); err != nil {
		t.Fatalf("start %s: %v", s.cfg.Name, err)
	}
	if err := s.WaitReady(30 * time.Second); err != nil {
		t.Fatalf("restart %s: %v\n%s", s.cfg.Name, err, s.Logs())
	}
}

// Pause freezes the server's process (docker pause): connections stay
// open, nothing answers.
func (s *Server) Pause(t testing.TB) {
	t.Helper()
	if err := pool.Client.PauseContainer(s.containerID()); err != nil {
		t.Fatalf("pause %s: %v", s.cfg.Name, err)
	}
}

// Unpause resumes a paused server.
func (s *Server) Unpause(t testing.TB) {
	t.Helper()
	if err := pool.Client.UnpauseContainer(s.containerID()); err != nil {
		t.Fatalf("unpause %s: %v", s.cfg.Name, err)
	}
}

// Logs returns the container's output (the last 300 lines).
func (s *Server) Logs() string {
	if s.res == nil {
		return ""
	}
	var b bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := pool.Client.Logs(dc.LogsOptions{
		Context: ctx, Container: s.containerID(),
		OutputStream: &b, ErrorStream: &b,
		Stdout: true, Stderr: true, Tail: "300",
	})
	if err != nil {
		fmt.Fprintf(&b, "\n(reading the logs failed: %v)", err)
	}
	return b.String()
}

// purge removes the container (also a paused one).
func (s *Server) purge() {
	if s.res == nil {
		return
	}
	_ = pool.Client.UnpauseContainer(s.containerID())
	_ = pool.Purge(s.res)
	s.res = nil
}

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

// TLSMaterial is a test CA and certificates it signed, written to a
// directory bind-mounted into TLS servers.
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

// writeTLSMaterial generates a CA, a server certificate for 127.0.0.1 and
// localhost, and a client certificate, and writes the server's files
// (ca.crt, server.crt, server.key) to dir.
func writeTLSMaterial(dir string) (*TLSMaterial, error) {
	newKey := func() (*ecdsa.PrivateKey, error) { return ecdsa.GenerateKey(elliptic.P256(), rand.Reader) }
	serial := func() *big.Int {
		n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
		return n
	}
	now := time.Now()
	caKey, err := newKey()
	if err != nil {
		return nil, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "redkit integration test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	leaf := func(cn string, usage x509.ExtKeyUsage, server bool) ([]byte, *ecdsa.PrivateKey, error) {
		k, err := newKey()
		if err != nil {
			return nil, nil, err
		}
		tmpl := &x509.Certificate{
			SerialNumber: serial(),
			Subject:      pkix.Name{CommonName: cn},
			NotBefore:    now.Add(-time.Hour),
			NotAfter:     now.Add(24 * time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
			ExtKeyUsage:  []x509.ExtKeyUsage{usage},
		}
		if server {
			tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
			tmpl.DNSNames = []string{"localhost"}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &k.PublicKey, caKey)
		return der, k, err
	}
	srvDER, srvKey, err := leaf("redkit test server", x509.ExtKeyUsageServerAuth, true)
	if err != nil {
		return nil, err
	}
	cliDER, cliKey, err := leaf("redkit test client", x509.ExtKeyUsageClientAuth, false)
	if err != nil {
		return nil, err
	}
	certPEM := func(der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}) }
	keyPEM := func(k *ecdsa.PrivateKey) ([]byte, error) {
		der, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			return nil, err
		}
		return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), nil
	}
	srvKeyPEM, err := keyPEM(srvKey)
	if err != nil {
		return nil, err
	}
	cliKeyPEM, err := keyPEM(cliKey)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{
		"ca.crt":     certPEM(caDER),
		"server.crt": certPEM(srvDER),
		"server.key": srvKeyPEM,
	}
	for name, data := range files {
		// The key must be readable by the server inside the container;
		// the directory is the test's private temporary directory.
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return nil, err
		}
	}
	clientCert, err := tls.X509KeyPair(certPEM(cliDER), cliKeyPEM)
	if err != nil {
		return nil, err
	}
	m := &TLSMaterial{CAPool: x509.NewCertPool(), ClientCert: clientCert, OtherCAPool: x509.NewCertPool()}
	m.CAPool.AddCert(caCert)

	otherKey, err := newKey()
	if err != nil {
		return nil, err
	}
	otherTmpl := *caTmpl
	otherTmpl.SerialNumber = serial()
	otherTmpl.Subject = pkix.Name{CommonName: "some other CA"}
	otherDER, err := x509.CreateCertificate(rand.Reader, &otherTmpl, &otherTmpl, &otherKey.PublicKey, otherKey)
	if err != nil {
		return nil, err
	}
	otherCert, err := x509.ParseCertificate(otherDER)
	if err != nil {
		return nil, err
	}
	m.OtherCAPool.AddCert(otherCert)
	return m, nil
}
