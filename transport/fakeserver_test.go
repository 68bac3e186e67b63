package transport

// This file is an in-process fake Redis server for the transport's tests:
// it speaks RESP2 and RESP3 with resp.Reader and the resp.Append* encoders,
// keeps GET/SET/INCR/DEL data in memory, and has hooks to misbehave on
// purpose (delays, pauses, killed and refused connections, push frames,
// malformed replies). The hot path (GET/SET on existing keys) does not
// allocate, so benchmarks measure the client.

import (
	"crypto/tls"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redkit-go/redkit/transport/resp"
)

// fakeOptions configures a fakeServer.
type fakeOptions struct {
	// NoHello makes HELLO an unknown command, like Redis before 6.
	NoHello bool
	// NoRESP3 makes HELLO 3 fail with NOPROTO (HELLO 2 works).
	NoRESP3 bool
	// ServerName and Version are what HELLO reports ("redis" and "7.4.0"
	// by default).
	ServerName, Version string
	// Users requires authentication: user name to password. The password
	// of "default" is what AUTH <password> checks.
	Users map[string]string
	// Loading makes the first Loading connections answer PING (and data
	// commands) with -LOADING.
	Loading int
	// TLS serves TLS with this configuration.
	TLS *tls.Config
	// Unix listens on this unix socket path instead of 127.0.0.1:0.
	Unix string
}

// fakeServer is an in-process RESP server listening on 127.0.0.1:0.
type fakeServer struct {
	tb   testing.TB
	ln   net.Listener
	addr string
	opts fakeOptions
	wg   sync.WaitGroup

	// Counters.
	accepted atomic.Int64 // connections accepted (refused ones excluded)
	commands atomic.Int64 // commands received
	reads    atomic.Int64 // read system calls that returned data
	counts   map[string]*atomic.Int64

	delay  atomic.Int64 // nanoseconds to wait before each reply
	refuse atomic.Bool  // close new connections at once
	paused atomic.Bool  // set while gate is open (fast path)

	mu     sync.Mutex // protects following fields
	conns  map[*fakeConn]struct{}
	gate   chan struct{} // closed while not paused
	closed bool

	dataMu sync.Mutex // protects dbs
	dbs    [16]map[string]*fakeValue
}

type fakeValue struct{ b []byte }

// fakeCommands are the commands the server knows (and counts).
var fakeCommands = []string{
	"HELLO", "AUTH", "SELECT", "CLIENT", "PING", "READONLY", "ECHO", "QUIT",
	"GET", "SET", "INCR", "DEL", "SLEEP", "PUSHME", "GARBAGE", "ERR", "BIG",
	"DROP", "SLOWSET", "MSET", "BLPOP", "PARTIAL",
}

// newFakeServer starts a server; t.Cleanup closes it.
func newFakeServer(tb testing.TB, opts fakeOptions) *fakeServer {
	tb.Helper()
	network, address := "tcp", "127.0.0.1:0"
	if opts.Unix != "" {
		network, address = "unix", opts.Unix
	}
	ln, err := net.Listen(network, address)
	if err != nil {
		tb.Fatalf("listen: %v", err)
	}
	if opts.TLS != nil {
		ln = tls.NewListener(ln, opts.TLS)
	}
	s := &fakeServer{
		tb:     tb,
		ln:     ln,
		addr:   ln.Addr().String(),
		opts:   opts,
		counts: make(map[string]*atomic.Int64),
		conns:  make(map[*fakeConn]struct{}),
		gate:   make(chan struct{}),
	}
	close(s.gate)
	for _, name := range fakeCommands {
		s.counts[name] = new(atomic.Int64)
	}
	for i := range s.dbs {
		s.dbs[i] = make(map[string]*fakeValue)
	}
	s.wg.Add(1)
	go s.acceptLoop()
	tb.Cleanup(s.Close)
	return s
}

func (s *fakeServer) acceptLoop() {
	defer s.wg.Done()
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			return
		}
		if s.refuse.Load() {
			if tc, ok := nc.(*net.TCPConn); ok {
				tc.SetLinger(0) // reset, like a refused or dropped connection
			}
			nc.Close()
			continue
		}
		n := s.accepted.Add(1)
		c := &fakeConn{s: s, nc: nc, id: n, proto: 2, quit: make(chan struct{})}
		c.loading = n <= int64(s.opts.Loading)
		c.authed = len(s.opts.Users) == 0
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			nc.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go c.serve()
	}
}

// Close stops the server and closes every connection.
func (s *fakeServer) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.mu.Unlock()
	s.ln.Close()
	s.Kill()
	s.wg.Wait()
}

// Kill closes every client connection (the server keeps accepting).
func (s *fakeServer) Kill() {
	for _, c := range s.connList() {
		c.kill()
	}
}

// Refuse makes the server close new connections at once (on) or accept
// them again (off).
func (s *fakeServer) Refuse(on bool) { s.refuse.Store(on) }

// Pause stops replying on every connection (commands are still read and
// counted) until Resume.
func (s *fakeServer) Pause() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.gate:
		s.gate = make(chan struct{})
		s.paused.Store(true)
	default: // already paused
	}
}

// Resume undoes Pause.
func (s *fakeServer) Resume() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.gate:
	default:
		s.paused.Store(false)
		close(s.gate)
	}
}

// SetDelay makes the server wait d before each reply.
func (s *fakeServer) SetDelay(d time.Duration) { s.delay.Store(int64(d)) }

// Count returns how many commands named name (upper case) were received.
func (s *fakeServer) Count(name string) int64 { return s.counts[name].Load() }

// Active returns the number of open client connections.
func (s *fakeServer) Active() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Get returns the value of key in db 0, and whether it exists.
func (s *fakeServer) Get(db int, key string) (string, bool) {
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	v, ok := s.dbs[db][key]
	if !ok {
		return "", false
	}
	return string(v.b), true
}

// Set stores a value.
func (s *fakeServer) Set(db int, key, val string) {
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	s.dbs[db][key] = &fakeValue{b: []byte(val)}
}

// fakeClientInfo describes one connection, for assertions.
type fakeClientInfo struct {
	ID               int64
	Proto, DB        int
	User, Name       string
	LibName, LibVer  string
	ReadOnly, Authed bool
}

// Clients returns the open connections, oldest first.
func (s *fakeServer) Clients() []fakeClientInfo {
	var out []fakeClientInfo
	for _, c := range s.connList() {
		c.wmu.Lock()
		out = append(out, fakeClientInfo{ID: c.id, Proto: c.proto, DB: c.db, User: c.user, Name: c.name,
			LibName: c.libName, LibVer: c.libVer, ReadOnly: c.readOnly, Authed: c.authed})
		c.wmu.Unlock()
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].ID < out[j-1].ID; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// Push sends a RESP3 push frame of bulk strings to every RESP3 connection.
func (s *fakeServer) Push(items ...string) {
	for _, c := range s.connList() {
		c.wmu.Lock()
		if c.proto == 3 {
			c.out = appendPush(c.out, items)
			c.flushLocked()
		}
		c.wmu.Unlock()
	}
}

// SendRaw writes raw bytes to every connection, between replies.
func (s *fakeServer) SendRaw(b string) {
	for _, c := range s.connList() {
		c.wmu.Lock()
		c.out = append(c.out, b...)
		c.flushLocked()
		c.wmu.Unlock()
	}
}

func (s *fakeServer) connList() []*fakeConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*fakeConn, 0, len(s.conns))
	for c := range s.conns {
		out = append(out, c)
	}
	return out
}

func (s *fakeServer) currentGate() chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gate
}

func appendPush(b []byte, items []string) []byte {
	b = resp.AppendPushLen(b, len(items))
	for _, it := range items {
		b = resp.AppendBulkString(b, it)
	}
	return b
}

// fakeConn is the server side of one client connection.
type fakeConn struct {
	s    *fakeServer
	nc   net.Conn
	id   int64
	quit chan struct{} // closed when the connection is killed
	once sync.Once

	wmu      sync.Mutex // protects out and the fields below it
	out      []byte
	proto    int
	db       int
	authed   bool
	user     string
	name     string
	libName  string
	libVer   string
	readOnly bool
	loading  bool

	upper [16]byte
}

func (c *fakeConn) kill() {
	c.once.Do(func() {
		close(c.quit)
		c.nc.Close()
	})
}

// countingReader counts the server's read system calls.
type countingReader struct {
	nc net.Conn
	s  *fakeServer
}

func (r countingReader) Read(p []byte) (int, error) {
	n, err := r.nc.Read(p)
	if n > 0 {
		r.s.reads.Add(1)
	}
	return n, err
}

func (c *fakeConn) flushLocked() {
	if len(c.out) == 0 {
		return
	}
	if _, err := c.nc.Write(c.out); err != nil {
		c.nc.Close()
	}
	c.out = c.out[:0]
}

// wait blocks for d or until the connection is killed; it reports whether
// the connection is still alive.
func (c *fakeConn) wait(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-c.quit:
		return false
	}
}

func (c *fakeConn) serve() {
	s := c.s
	defer func() {
		c.kill()
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		s.wg.Done()
	}()
	rd := resp.NewReader(countingReader{c.nc, s}, 16<<10, resp.Limits{})
	var req resp.Reply
	var args [][]byte
	for {
		if err := rd.ReadReply(&req); err != nil {
			return
		}
		v := req.Value()
		args = args[:0]
		if v.Kind() == resp.KindArray {
			for e := v.First(); e.Valid(); e = e.Next() {
				args = append(args, e.Bytes())
			}
		}
		if len(args) == 0 {
			// Like Redis: an empty array is skipped without a reply.
			continue
		}
		s.commands.Add(1)
		name := c.upperName(args)
		if cnt := s.counts[string(name)]; cnt != nil {
			cnt.Add(1)
		}
		// Pause: flush what was answered before, then hold the reply.
		if s.paused.Load() {
			gate := s.currentGate()
			c.wmu.Lock()
			c.flushLocked()
			c.wmu.Unlock()
			select {
			case <-gate:
			case <-c.quit:
				return
			}
		}
		if string(name) == "DROP" { // DROP: close the connection, no reply
			return
		}
		if string(name) == "PARTIAL" && len(args) == 2 { // PARTIAL ms: half a reply, a wait, the rest
			ms, _ := strconv.Atoi(string(args[1]))
			c.wmu.Lock()
			c.out = append(c.out, "$10\r\nabcde"...)
			c.flushLocked()
			c.wmu.Unlock()
			if !c.wait(time.Duration(ms) * time.Millisecond) {
				return
			}
			c.wmu.Lock()
			c.out = append(c.out, "fghij\r\n"...)
			c.flushLocked()
			c.wmu.Unlock()
			continue
		}
		if d := s.delay.Load(); d > 0 {
			c.wmu.Lock()
			c.flushLocked()
			c.wmu.Unlock()
			if !c.wait(time.Duration(d)) {
				return
			}
		}
		if (string(name) == "SLEEP" && len(args) == 2) || (string(name) == "SLOWSET" && len(args) == 4) {
			ms, _ := strconv.Atoi(string(args[len(args)-1]))
			c.wmu.Lock()
			c.flushLocked()
			c.wmu.Unlock()
			if !c.wait(time.Duration(ms) * time.Millisecond) {
				return
			}
		}
		c.wmu.Lock()
		quit := c.handle(string(name), args)
		if rd.Buffered() == 0 || quit {
			c.flushLocked()
		}
		c.wmu.Unlock()
		if quit {
			return
		}
	}
}

// upperName returns the command name in upper case, in a scratch buffer.
func (c *fakeConn) upperName(args [][]byte) []byte {
	if len(args) == 0 || len(args[0]) > len(c.upper) {
		return nil
	}
	b := c.upper[:len(args[0])]
	for i, ch := range args[0] {
		if 'a' <= ch && ch <= 'z' {
			ch -= 'a' - 'A'
		}
		b[i] = ch
	}
	return b
}

func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		x, y := b[i], s[i]
		if 'a' <= x && x <= 'z' {
			x -= 'a' - 'A'
		}
		if 'a' <= y && y <= 'z' {
			y -= 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

const (
	errWrongPass = "WRONGPASS invalid username-password pair or user is disabled."
	errNoAuth    = "NOAUTH Authentication required."
	errLoading   = "LOADING Redis is loading the dataset in memory"
)

func (c *fakeConn) errReply(text string) { c.out = resp.AppendError(c.out, text) }
func (c *fakeConn) ok()                  { c.out = resp.AppendSimpleString(c.out, "OK") }

func (c *fakeConn) wrongArgs(name string) {
	c.errReply("ERR wrong number of arguments for '" + name + "' command")
}

// checkAuth validates credentials; user "" means "default".
func (c *fakeConn) checkAuth(user, pass string) bool {
	if user == "" {
		user = "default"
	}
	users := c.s.opts.Users
	if len(users) == 0 {
		// No ACL: the default user accepts anything.
		return user == "default"
	}
	want, ok := users[user]
	return ok && want == pass
}

// handle appends the reply to one command; it reports whether the
// connection should close (QUIT). Called with wmu held.
func (c *fakeConn) handle(name string, args [][]byte) (quit bool) {
	s := c.s
	if len(args) == 0 {
		c.errReply("ERR Protocol error: expected an array of bulk strings")
		return false
	}
	if !c.authed && name != "HELLO" && name != "AUTH" && name != "QUIT" {
		c.errReply(errNoAuth)
		return false
	}
	switch name {
	case "HELLO":
		return c.hello(args)
	case "AUTH":
		var user, pass string
		switch len(args) {
		case 2:
			pass = string(args[1])
		case 3:
			user, pass = string(args[1]), string(args[2])
		default:
			c.wrongArgs("auth")
			return false
		}
		if len(s.opts.Users) == 0 && user == "" {
			c.errReply("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
			return false
		}
		if !c.checkAuth(user, pass) {
			c.errReply(errWrongPass)
			return false
		}
		c.authed, c.user = true, user
		if user == "" {
			c.user = "default"
		}
		c.ok()
	case "SELECT":
		if len(args) != 2 {
			c.wrongArgs("select")
			return false
		}
		db, err := strconv.Atoi(string(args[1]))
		if err != nil || db < 0 || db >= len(s.dbs) {
			c.errReply("ERR DB index is out of range")
			return false
		}
		c.db = db
		c.ok()
	case "CLIENT":
		switch {
		case len(args) == 4 && equalFold(args[1], "SETINFO"):
			switch {
			case equalFold(args[2], "LIB-NAME"):
				c.libName = string(args[3])
			case equalFold(args[2], "LIB-VER"):
				c.libVer = string(args[3])
			default:
				c.errReply("ERR Unrecognized option '" + string(args[2]) + "'")
				return false
			}
			c.ok()
		case len(args) == 3 && equalFold(args[1], "SETNAME"):
			c.name = string(args[2])
			c.ok()
		case len(args) == 2 && equalFold(args[1], "GETNAME"):
			if c.name == "" {
				c.out = resp.AppendNull(c.out, c.proto)
			} else {
				c.out = resp.AppendBulkString(c.out, c.name)
			}
		case len(args) == 2 && equalFold(args[1], "ID"):
			c.out = resp.AppendInteger(c.out, c.id)
		default:
			c.errReply("ERR unknown subcommand")
		}
	case "READONLY":
		c.readOnly = true
		c.ok()
	case "PING":
		if c.loading {
			c.errReply(errLoading)
		} else if len(args) > 1 {
			c.out = resp.AppendBulkBytes(c.out, args[1])
		} else {
			c.out = resp.AppendSimpleString(c.out, "PONG")
		}
	case "ECHO":
		if len(args) != 2 {
			c.wrongArgs("echo")
			return false
		}
		c.out = resp.AppendBulkBytes(c.out, args[1])
	case "QUIT":
		c.ok()
		return true
	case "SLEEP": // SLEEP ms: the wait happened before; reply.
		c.ok()
	case "SLOWSET": // SLOWSET key value ms: SET after a wait (which happened before).
		c.data("SET", args[:3])
	case "PUSHME": // PUSHME item...: a push frame, then +OK.
		items := make([]string, 0, len(args)-1)
		for _, a := range args[1:] {
			items = append(items, string(a))
		}
		if c.proto == 3 {
			c.out = appendPush(c.out, items)
		}
		c.ok()
	case "GARBAGE": // A malformed reply.
		c.out = append(c.out, "@garbage\r\n"...)
	case "ERR": // ERR word...: an error reply made of the words.
		text := ""
		for i, a := range args[1:] {
			if i > 0 {
				text += " "
			}
			text += string(a)
		}
		c.errReply(text)
	case "BIG": // BIG n: a bulk string of n bytes.
		n, _ := strconv.Atoi(string(args[1]))
		big := make([]byte, n)
		for i := range big {
			big[i] = 'x'
		}
		c.out = resp.AppendBulkBytes(c.out, big)
	case "GET", "SET", "INCR", "DEL", "MSET":
		if c.loading {
			c.errReply(errLoading)
			return false
		}
		c.data(name, args)
	default:
		c.errReply("ERR unknown command '" + string(args[0]) + "'")
	}
	return false
}

func (c *fakeConn) hello(args [][]byte) bool {
	s := c.s
	if s.opts.NoHello {
		c.errReply("ERR unknown command 'HELLO'")
		return false
	}
	proto := c.proto
	if len(args) > 1 {
		p, err := strconv.Atoi(string(args[1]))
		if err != nil || (p != 2 && p != 3) {
			c.errReply("NOPROTO unsupported protocol version")
			return false
		}
		if p == 3 && s.opts.NoRESP3 {
			c.errReply("NOPROTO unsupported protocol version")
			return false
		}
		proto = p
	}
	authed, user := c.authed, c.user
	var name string
	setName := false
	for i := 2; i < len(args); i++ {
		switch {
		case equalFold(args[i], "AUTH") && i+2 < len(args):
			if !c.checkAuth(string(args[i+1]), string(args[i+2])) {
				c.errReply(errWrongPass)
				return false
			}
			authed, user = true, string(args[i+1])
			i += 2
		case equalFold(args[i], "SETNAME") && i+1 < len(args):
			name, setName = string(args[i+1]), true
			i++
		default:
			c.errReply("ERR Syntax error in HELLO option '" + string(args[i]) + "'")
			return false
		}
	}
	if !authed {
		c.errReply("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
		return false
	}
	c.authed, c.user, c.proto = authed, user, proto
	if setName {
		c.name = name
	}
	b := c.out
	if proto == 3 {
		b = resp.AppendMapLen(b, 7)
	} else {
		b = resp.AppendArrayLen(b, 14)
	}
	server, version := s.opts.ServerName, s.opts.Version
	if server == "" {
		server, version = "redis", "7.4.0"
	}
	b = resp.AppendBulkString(b, "server")
	b = resp.AppendBulkString(b, server)
	b = resp.AppendBulkString(b, "version")
	b = resp.AppendBulkString(b, version)
	b = resp.AppendBulkString(b, "proto")
	b = resp.AppendInteger(b, int64(proto))
	b = resp.AppendBulkString(b, "id")
	b = resp.AppendInteger(b, c.id)
	b = resp.AppendBulkString(b, "mode")
	b = resp.AppendBulkString(b, "standalone")
	b = resp.AppendBulkString(b, "role")
	b = resp.AppendBulkString(b, "master")
	b = resp.AppendBulkString(b, "modules")
	b = resp.AppendArrayLen(b, 0)
	c.out = b
	return false
}

// data runs GET, SET, INCR and DEL; GET and SET on existing keys do not
// allocate.
func (c *fakeConn) data(name string, args [][]byte) {
	s := c.s
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	m := s.dbs[c.db]
	switch name {
	case "GET":
		if len(args) != 2 {
			c.wrongArgs("get")
			return
		}
		if v := m[string(args[1])]; v != nil {
			c.out = resp.AppendBulkBytes(c.out, v.b)
		} else {
			c.out = resp.AppendNull(c.out, c.proto)
		}
	case "SET":
		if len(args) != 3 {
			c.wrongArgs("set")
			return
		}
		v := m[string(args[1])]
		if v == nil {
			v = &fakeValue{}
			m[string(args[1])] = v
		}
		v.b = append(v.b[:0], args[2]...)
		c.ok()
	case "INCR":
		if len(args) != 2 {
			c.wrongArgs("incr")
			return
		}
		v := m[string(args[1])]
		var n int64
		if v != nil {
			var err error
			if n, err = strconv.ParseInt(string(v.b), 10, 64); err != nil {
				c.errReply("ERR value is not an integer or out of range")
				return
			}
		} else {
			v = &fakeValue{}
			m[string(args[1])] = v
		}
		n++
		v.b = strconv.AppendInt(v.b[:0], n, 10)
		c.out = resp.AppendInteger(c.out, n)
	case "MSET":
		for i := 1; i+1 < len(args); i += 2 {
			m[string(args[i])] = &fakeValue{b: append([]byte(nil), args[i+1]...)}
		}
		c.ok()
	case "DEL":
		n := 0
		for _, k := range args[1:] {
			if _, ok := m[string(k)]; ok {
				delete(m, string(k))
				n++
			}
		}
		c.out = resp.AppendInteger(c.out, int64(n))
	}
}
