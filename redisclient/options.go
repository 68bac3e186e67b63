package redisclient

// This file holds the client's options and their URL form:
// redis://user:password@host:port/db?options, rediss:// for TLS, and
// unix:///path/to/socket?db=N.

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redkit-go/redkit/transport"
)

// DefaultAddr is the server address when Options.Addr is empty.
const DefaultAddr = "localhost:6379"

// Options configures a Client. The zero value connects to DefaultAddr over
// RESP3 with the transport's defaults.
type Options struct {
	// Network is "tcp" (default) or "unix".
	Network string
	// Addr is host:port, or the socket path for "unix".
	Addr string
	// Username and Password authenticate (an ACL user, or a password for
	// the default user). Password never appears in String, errors or logs.
	Username, Password string
	// CredentialsProvider, when set, supplies credentials on every
	// connection attempt (rotating secrets) instead of Username/Password.
	CredentialsProvider func(ctx context.Context) (username, password string, err error)
	// DB is the database number.
	DB int
	// ClientName is set on every connection (CLIENT SETNAME).
	ClientName string
	// Protocol is 3 (default; RESP2 when the server lacks RESP3) or 2.
	Protocol int
	// TLSConfig enables TLS: custom CAs (RootCAs), client certificates
	// (Certificates) and the server name (ServerName).
	TLSConfig *tls.Config
	// DialTimeout bounds connecting and the handshake.
	DialTimeout time.Duration
	// ReadTimeout and WriteTimeout bound waiting for replies and writing
	// on shared connections; contexts bound each call regardless.
	ReadTimeout, WriteTimeout time.Duration
	// PipelineConns is the number of shared, auto-pipelined connections.
	PipelineConns int
	// SpinWait bounds how long a caller alone on its connection polls the
	// socket for its reply before it blocks (0: transport.DefaultSpinWait;
	// negative: never poll, and use no CPU while waiting). See
	// transport.NodeConfig.SpinWait.
	SpinWait time.Duration
	// AlwaysPipeline sends every command through the shared connections'
	// writer and reader goroutines, even a caller alone on its connection,
	// and keeps their readers running while idle. See
	// transport.NodeConfig.AlwaysPipeline.
	AlwaysPipeline bool
	// PoolSize and MaxIdleConns size the pool of dedicated connections
	// (blocking commands, transactions, pub/sub); IdleTimeout closes idle
	// ones (negative: never).
	PoolSize, MaxIdleConns int
	IdleTimeout            time.Duration
	// OfflineQueueLimit bounds the commands waiting while disconnected
	// (0: transport.DefaultOfflineQueueLimit; negative: fail at once).
	OfflineQueueLimit int
	// MaxRetries bounds how often read-only commands are resent after a
	// dropped connection (0: default; negative: never).
	MaxRetries int
	// RetryWrites also resends other commands after a dropped connection;
	// they may then run twice. Opt in only when that is safe.
	RetryWrites bool
	// Reconnect is the reconnect strategy (default: exponential backoff
	// with jitter).
	Reconnect func(attempt int, err error) (delay time.Duration, retry bool)
	// ReconnectOnError reconnects when it returns true for an error reply
	// (such as READONLY).
	ReconnectOnError func(err error) bool
	// OnEvent receives connection events.
	OnEvent func(transport.Event)
	// Logger logs connection events.
	Logger *slog.Logger
	// MaxWatchRetries bounds how often Watch runs its function again after
	// a conflict (0: DefaultMaxWatchRetries).
	MaxWatchRetries int
	// KeyPrefix is prepended to every key argument of every command (see
	// the package documentation for what is and is not rewritten).
	KeyPrefix string
	// Cache enables server-assisted client-side caching for DoCached
	// (RESP3 only).
	Cache *CacheOptions
	// CloseTimeout bounds how long Close waits for commands in flight.
	CloseTimeout time.Duration
	// Hooks observe every command the client sends (metrics, tracing);
	// the first is the outermost. None by default.
	Hooks []Hook
}

// DefaultMaxWatchRetries is how often Watch retries after conflicts.
const DefaultMaxWatchRetries = 10

// String describes the options without secrets.
func (o Options) String() string {
	var b strings.Builder
	switch {
	case o.Network == "unix":
		b.WriteString("unix://")
	case o.TLSConfig != nil:
		b.WriteString("rediss://")
	default:
		b.WriteString("redis://")
	}
	if o.Username != "" || o.Password != "" {
		b.WriteString(url.PathEscape(o.Username))
		if o.Password != "" {
			b.WriteString(":xxxxx")
		}
		b.WriteString("@")
	}
	b.WriteString(o.addr())
	if o.DB != 0 {
		if o.Network == "unix" {
			b.WriteString("?db=" + strconv.Itoa(o.DB))
		} else {
			b.WriteString("/" + strconv.Itoa(o.DB))
		}
	}
	return b.String()
}

func (o Options) addr() string {
	if o.Addr == "" && o.Network != "unix" {
		return DefaultAddr
	}
	return o.Addr
}

// dialConfig converts the options for the transport.
func (o Options) dialConfig() transport.DialConfig {
	cfg := transport.DialConfig{
		Network: o.Network, Addr: o.addr(), TLS: o.TLSConfig,
		Username: o.Username, Password: o.Password, DB: o.DB, ClientName: o.ClientName,
		Protocol: o.Protocol, DialTimeout: o.DialTimeout,
	}
	if p := o.CredentialsProvider; p != nil {
		cfg.CredentialsProvider = func(ctx context.Context) (transport.Credentials, error) {
			u, pw, err := p(ctx)
			return transport.Credentials{Username: u, Password: pw}, err
		}
	}
	return cfg
}

// nodeConfig converts the options for a transport node.
func (o Options) nodeConfig() transport.NodeConfig {
	return transport.NodeConfig{
		Dial:              o.dialConfig(),
		Conns:             o.PipelineConns,
		SpinWait:          o.SpinWait,
		AlwaysPipeline:    o.AlwaysPipeline,
		Pool:              transport.PoolConfig{Size: o.PoolSize, MaxIdle: o.MaxIdleConns, IdleTimeout: o.IdleTimeout},
		ReadTimeout:       o.ReadTimeout,
		WriteTimeout:      o.WriteTimeout,
		Reconnect:         o.Reconnect,
		ReconnectOnError:  o.ReconnectOnError,
		OfflineQueueLimit: o.OfflineQueueLimit,
		MaxRetries:        o.MaxRetries,
		RetryWrites:       o.RetryWrites,
		OnEvent:           o.OnEvent,
		Logger:            o.Logger,
		CloseTimeout:      o.CloseTimeout,
	}
}

// validate reports options that cannot work.
func (o Options) validate() error {
	switch o.Network {
	case "", "tcp", "tcp4", "tcp6":
		if o.Addr != "" {
			if _, _, err := net.SplitHostPort(o.Addr); err != nil {
				return fmt.Errorf("redisclient: address %q: want host:port: %v", o.Addr, err)
			}
		}
	case "unix":
		if o.Addr == "" {
			return fmt.Errorf("redisclient: a unix socket path is required")
		}
	default:
		return fmt.Errorf("redisclient: network %q: want tcp or unix", o.Network)
	}
	if o.DB < 0 {
		return fmt.Errorf("redisclient: db %d: must not be negative", o.DB)
	}
	if o.Protocol != 0 && o.Protocol != 2 && o.Protocol != 3 {
		return fmt.Errorf("redisclient: protocol %d: want 2 or 3", o.Protocol)
	}
	if o.Cache != nil && o.Protocol == 2 {
		return fmt.Errorf("redisclient: client-side caching needs protocol 3 (invalidations arrive as RESP3 push messages)")
	}
	if o.Cache != nil && o.Cache.Mode == TrackingBroadcast && len(o.Cache.Prefixes) == 0 {
		return fmt.Errorf("redisclient: broadcast tracking needs at least one key prefix")
	}
	return nil
}

// urlError reports a malformed URL without echoing its password.
func urlError(raw, format string, args ...any) error {
	return fmt.Errorf("redisclient: URL %q: %s", redactURL(raw), fmt.Sprintf(format, args...))
}

// redactURL hides the password of a URL string, even a malformed one.
func redactURL(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return raw
	}
	userinfo := rest[:at]
	if user, _, hasPw := strings.Cut(userinfo, ":"); hasPw {
		return scheme + "://" + user + ":xxxxx" + rest[at:]
	}
	return raw
}

// ParseURL parses a Redis URL into options:
//
//	redis://[[user]:password@]host[:port][/db][?option=value&...]
//	rediss://...      (TLS; ?insecure_skip_verify=true, ?tls_server_name=...)
//	unix://[[user]:password@]/path/to/socket[?db=N&...]
//
// Options: protocol, client_name, db (unix), dial_timeout, read_timeout,
// write_timeout, pool_size, max_idle_conns, idle_timeout, pipeline_conns,
// spin_wait, always_pipeline, max_retries, offline_queue_limit, key_prefix.
// Durations use Go syntax
// ("500ms"); unknown options are errors.
func ParseURL(raw string) (Options, error) {
	var o Options
	if !strings.Contains(raw, "://") {
		return o, urlError(raw, "missing scheme: want redis://, rediss:// or unix://")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse's error repeats the URL (password included): keep only
		// its reason.
		var ue *url.Error
		reason := err.Error()
		if errors.As(err, &ue) {
			reason = ue.Err.Error()
		}
		return o, urlError(raw, "%s", reason)
	}
	if u.User != nil {
		o.Username = u.User.Username()
		o.Password, _ = u.User.Password()
	}
	switch u.Scheme {
	case "redis", "rediss":
		if u.Opaque != "" {
			return o, urlError(raw, "want %s://host:port", u.Scheme)
		}
		host, port := u.Hostname(), u.Port()
		if host == "" {
			host = "localhost"
		}
		if port == "" {
			port = "6379"
		} else if p, err := strconv.Atoi(port); err != nil || p <= 0 || p > 65535 {
			return o, urlError(raw, "port %q: want 1-65535", port)
		}
		o.Addr = net.JoinHostPort(host, port)
		if path := strings.Trim(u.Path, "/"); path != "" {
			db, err := strconv.Atoi(path)
			if err != nil || db < 0 {
				return o, urlError(raw, "database %q: want a number", path)
			}
			o.DB = db
		}
		if u.Scheme == "rediss" {
			o.TLSConfig = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		}
	case "unix":
		if u.Path == "" {
			return o, urlError(raw, "a socket path is required")
		}
		o.Network, o.Addr = "unix", u.Path
	case "":
		return o, urlError(raw, "missing scheme: want redis://, rediss:// or unix://")
	default:
		return o, urlError(raw, "scheme %q: want redis, rediss or unix", u.Scheme)
	}
	for key, vals := range u.Query() {
		v := vals[len(vals)-1]
		if err := o.setURLOption(key, v); err != nil {
			return o, urlError(raw, "option %s=%q: %v", key, v, err)
		}
	}
	return o, o.validate()
}

func (o *Options) setURLOption(key, v string) error {
	dur := func(dst *time.Duration) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("want a duration such as 500ms")
		}
		*dst = d
		return nil
	}
	num := func(dst *int) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("want an integer")
		}
		*dst = n
		return nil
	}
	switch key {
	case "protocol":
		return num(&o.Protocol)
	case "client_name":
		o.ClientName = v
	case "db":
		return num(&o.DB)
	case "dial_timeout":
		return dur(&o.DialTimeout)
	case "read_timeout":
		return dur(&o.ReadTimeout)
	case "write_timeout":
		return dur(&o.WriteTimeout)
	case "idle_timeout":
		return dur(&o.IdleTimeout)
	case "pool_size":
		return num(&o.PoolSize)
	case "max_idle_conns":
		return num(&o.MaxIdleConns)
	case "pipeline_conns":
		return num(&o.PipelineConns)
	case "spin_wait":
		return dur(&o.SpinWait)
	case "always_pipeline":
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("want true or false")
		}
		o.AlwaysPipeline = b
	case "max_retries":
		return num(&o.MaxRetries)
	case "offline_queue_limit":
		return num(&o.OfflineQueueLimit)
	case "key_prefix":
		o.KeyPrefix = v
	case "insecure_skip_verify":
		if o.TLSConfig == nil {
			return fmt.Errorf("only for rediss:// URLs")
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("want true or false")
		}
		o.TLSConfig.InsecureSkipVerify = b
	case "tls_server_name":
		if o.TLSConfig == nil {
			return fmt.Errorf("only for rediss:// URLs")
		}
		o.TLSConfig.ServerName = v
	default:
		return fmt.Errorf("unknown option")
	}
	return nil
}
