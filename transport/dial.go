package transport

// This file is the connection factory: dialing (TCP, TLS, unix sockets) and
// the handshake that makes a connection ready in one round trip: HELLO with
// AUTH and SETNAME (its reply names the server: ServerInfo), SELECT, CLIENT
// SETINFO, READONLY, and a PING that doubles as the ready check while the
// server is loading its data.

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/redkit-go/redkit/transport/resp"
)

// LibName and LibVersion are sent with CLIENT SETINFO.
var (
	LibName    = "redkit"
	LibVersion = "0.1.0"
)

// Defaults of DialConfig.
const (
	DefaultDialTimeout = 5 * time.Second
	DefaultProtocol    = 3
)

// Credentials are a username (empty for the default user) and a password.
type Credentials struct {
	Username string
	Password string
}

// DialConfig says how to open and prepare a connection. The zero value
// dials TCP without TLS and speaks RESP3 (falling back to RESP2).
type DialConfig struct {
	// Network is "tcp" (default) or "unix".
	Network string
	// Addr is host:port, or the socket path for "unix".
	Addr string
	// TLS enables TLS with this configuration; ServerName defaults to the
	// address's host.
	TLS *tls.Config
	// Username and Password authenticate with AUTH (ACL user, or password
	// only for the default user).
	Username, Password string
	// CredentialsProvider, when set, is called on every dial and takes
	// precedence over Username and Password.
	CredentialsProvider func(ctx context.Context) (Credentials, error)
	// DB is the database to SELECT (0 is not sent).
	DB int
	// ClientName is set with SETNAME.
	ClientName string
	// Protocol is 3 (default: RESP3 after HELLO 3, RESP2 when the server
	// refuses it) or 2.
	Protocol int
	// ReadOnly sends READONLY (reads from cluster replicas).
	ReadOnly bool
	// DisableClientSetInfo skips CLIENT SETINFO.
	DisableClientSetInfo bool
	// DialTimeout bounds dialing and the handshake; 0 means
	// DefaultDialTimeout.
	DialTimeout time.Duration
	// ReadBufferSize is the size of the connection's read buffer.
	ReadBufferSize int
	// NetDialer overrides how the network connection is made.
	NetDialer func(ctx context.Context, network, addr string) (net.Conn, error)
	// Setup are extra commands sent in the handshake (after SELECT), each
	// of which must succeed; they need RESP3 (such as CLIENT TRACKING,
	// whose invalidations arrive as push frames).
	Setup [][]string
}

// String describes the configuration without its secrets.
func (cfg *DialConfig) String() string {
	var b strings.Builder
	b.WriteString(cfg.network())
	b.WriteString("://")
	if cfg.Username != "" {
		b.WriteString(cfg.Username)
		b.WriteString("@")
	}
	b.WriteString(cfg.Addr)
	if cfg.DB != 0 {
		b.WriteString("/" + strconv.Itoa(cfg.DB))
	}
	if cfg.TLS != nil {
		b.WriteString(" (tls)")
	}
	return b.String()
}

func (cfg *DialConfig) network() string {
	if cfg.Network == "" {
		return "tcp"
	}
	return cfg.Network
}

// LoadingError reports a server that is loading its data set; the
// connection may be retried after a while.
type LoadingError struct{ Err *resp.Error }

func (e *LoadingError) Error() string { return "server is loading its data: " + e.Err.Text }
func (e *LoadingError) Unwrap() error { return e.Err }

// Dial opens a connection and completes the handshake.
// When ctx ends during the dial, the error matches ctx's error (errors.Is).
func Dial(ctx context.Context, cfg *DialConfig) (*Conn, error) {
	timeout := cfg.DialTimeout
	if timeout <= 0 {
		timeout = DefaultDialTimeout
	}
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	nc, err := dialNet(dctx, cfg)
	if err != nil {
		return nil, withContextErr(ctx, &DialError{Addr: cfg.Addr, Err: err})
	}
	c := newConn(nc, cfg.Addr, cfg.ReadBufferSize)
	if err := handshake(dctx, c, cfg); err != nil {
		c.Close()
		return nil, withContextErr(ctx, &DialError{Addr: cfg.Addr, Err: err})
	}
	return c, nil
}

func dialNet(ctx context.Context, cfg *DialConfig) (net.Conn, error) {
	var nc net.Conn
	var err error
	if cfg.NetDialer != nil {
		nc, err = cfg.NetDialer(ctx, cfg.network(), cfg.Addr)
	} else {
		var d net.Dialer
		d.KeepAlive = 15 * time.Second
		nc, err = d.DialContext(ctx, cfg.network(), cfg.Addr)
	}
	if err != nil {
		return nil, err
	}
	if tc, ok := nc.(*net.TCPConn); ok {
		tc.SetNoDelay(true)
	}
	if cfg.TLS == nil {
		return nc, nil
	}
	tcfg := cfg.TLS.Clone()
	if tcfg.ServerName == "" && cfg.network() == "tcp" {
		if host, _, err := net.SplitHostPort(cfg.Addr); err == nil {
			tcfg.ServerName = host
		}
	}
	tc := tls.Client(nc, tcfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		nc.Close()
		return nil, fmt.Errorf("tls handshake: %w", err)
	}
	return tc, nil
}

// handshake prepares c in one round trip (two when the server lacks
// RESP3 or HELLO).
func handshake(ctx context.Context, c *Conn, cfg *DialConfig) error {
	creds := Credentials{Username: cfg.Username, Password: cfg.Password}
	if cfg.CredentialsProvider != nil {
		var err error
		if creds, err = cfg.CredentialsProvider(ctx); err != nil {
			return fmt.Errorf("credentials provider: %w", err)
		}
	}
	proto := cfg.Protocol
	if proto == 0 {
		proto = DefaultProtocol
	}
	if proto != 2 && proto != 3 {
		return fmt.Errorf("protocol %d: want 2 or 3", proto)
	}
	return handshakeHello(ctx, c, cfg, creds, proto)
}

// handshakeHello prepares c with HELLO (authenticating and naming the
// connection), whose reply also says which server it is (ServerInfo), then
// the setup commands, in one write. A server that refuses RESP3 (NOPROTO)
// gets HELLO 2; one without HELLO (before Redis 6, some proxies) gets AUTH
// and CLIENT SETNAME, and its kind stays unknown.
func handshakeHello(ctx context.Context, c *Conn, cfg *DialConfig, creds Credentials, proto int) error {
	if proto == 2 && len(cfg.Setup) > 0 {
		return errSetupNeedsRESP3(cfg)
	}
	cmds := []*Command{helloCommand(proto, creds, cfg.ClientName)}
	cmds = append(cmds, setupCommands(cfg)...)
	defer releaseAll(cmds)
	if err := c.DoMulti(ctx, cmds); err != nil {
		return err
	}
	if err := cmds[0].Reply().Err(); err != nil {
		var re *resp.Error
		if errors.As(err, &re) {
			switch {
			case re.Prefix() == "NOPROTO" && proto == 3:
				return handshakeHello(ctx, c, cfg, creds, 2)
			case strings.Contains(re.Text, "unknown command"):
				return handshakeRESP2(ctx, c, cfg, creds)
			}
		}
		return fmt.Errorf("HELLO: %w", err)
	}
	c.proto = proto
	c.server = serverFromHello(cmds[0].Reply())
	return checkSetup(cmds[1:], cfg)
}

// errSetupNeedsRESP3 refuses DialConfig.Setup on a RESP2 connection (the
// configuration's Protocol, or a server without RESP3).
func errSetupNeedsRESP3(cfg *DialConfig) error {
	return fmt.Errorf("%s needs RESP3, and the connection speaks RESP2", strings.Join(cfg.Setup[0], " "))
}

// handshakeRESP2 prepares c with AUTH and CLIENT SETNAME, for servers
// without HELLO (before Redis 6).
func handshakeRESP2(ctx context.Context, c *Conn, cfg *DialConfig, creds Credentials) error {
	if len(cfg.Setup) > 0 {
		return errSetupNeedsRESP3(cfg)
	}
	var cmds []*Command
	if creds.Password != "" {
		args := []Arg{String("AUTH")}
		if creds.Username != "" {
			args = append(args, String(creds.Username))
		}
		cmds = append(cmds, NewCommand(Meta{}, append(args, String(creds.Password))...))
	}
	if cfg.ClientName != "" {
		cmds = append(cmds, NewCommand(Meta{}, String("CLIENT"), String("SETNAME"), String(cfg.ClientName)))
	}
	n := len(cmds)
	cmds = append(cmds, setupCommands(cfg)...)
	defer releaseAll(cmds)
	if err := c.DoMulti(ctx, cmds); err != nil {
		return err
	}
	for _, cmd := range cmds[:n] {
		if err := cmd.Reply().Err(); err != nil {
			return fmt.Errorf("%s: %w", cmd.Name(), err)
		}
	}
	c.proto = 2
	return checkSetup(cmds[n:], cfg)
}

func helloCommand(proto int, creds Credentials, name string) *Command {
	args := []Arg{String("HELLO"), Int(int64(proto))}
	if creds.Password != "" {
		user := creds.Username
		if user == "" {
			user = "default"
		}
		args = append(args, String("AUTH"), String(user), String(creds.Password))
	}
	if name != "" {
		args = append(args, String("SETNAME"), String(name))
	}
	return NewCommand(Meta{}, args...)
}

// setupCommands are the commands after authentication: SELECT, CLIENT
// SETINFO, READONLY and the PING ready check, always in that order.
func setupCommands(cfg *DialConfig) []*Command {
	var cmds []*Command
	if cfg.DB != 0 {
		cmds = append(cmds, NewCommand(Meta{}, String("SELECT"), Int(int64(cfg.DB))))
	}
	if !cfg.DisableClientSetInfo {
		cmds = append(cmds,
			NewCommand(Meta{}, String("CLIENT"), String("SETINFO"), String("LIB-NAME"), String(LibName)),
			NewCommand(Meta{}, String("CLIENT"), String("SETINFO"), String("LIB-VER"), String(LibVersion)))
	}
	if cfg.ReadOnly {
		cmds = append(cmds, NewCommand(Meta{}, String("READONLY")))
	}
	for _, words := range cfg.Setup {
		args := make([]Arg, len(words))
		for i, w := range words {
			args[i] = String(w)
		}
		cmds = append(cmds, NewCommand(Meta{}, args...))
	}
	return append(cmds, NewCommand(Meta{}, String("PING")))
}

// checkSetup checks the replies of setupCommands. CLIENT SETINFO errors are
// ignored (servers before 7.2 lack it); a LOADING reply to the PING becomes
// a LoadingError.
func checkSetup(cmds []*Command, cfg *DialConfig) error {
	for _, cmd := range cmds {
		err := cmd.Reply().Err()
		if err == nil {
			continue
		}
		args := cmd.Args()
		if len(args) > 1 && args[0].Text() == "CLIENT" && args[1].Text() == "SETINFO" {
			continue
		}
		var re *resp.Error
		if errors.As(err, &re) && re.Prefix() == "LOADING" {
			return &LoadingError{Err: re}
		}
		return fmt.Errorf("%s: %w", cmd.Name(), err)
	}
	return nil
}

func releaseAll(cmds []*Command) {
	for _, c := range cmds {
		c.Release()
	}
}
