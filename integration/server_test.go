package integration

// Server, connection and keyspace commands on RESP2 and RESP3.

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/redkit-go/redkit/redisclient"
)

func TestServerCommands(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		proto := int64(protoOf(t))

		// INFO.
		info := value[string](t, "INFO")(redisclient.Info().Do(ctx, c))
		if !hasAll(info, "# Server", "redis_version:", "# Keyspace") {
			t.Errorf("INFO lacks the usual sections:\n%.300s...", info)
		}
		info = value[string](t, "INFO server clients")(redisclient.Info().Sections("server", "clients").Do(ctx, c))
		if !hasAll(info, "# Server", "# Clients", "connected_clients:") || strings.Contains(info, "# Keyspace") {
			t.Errorf("INFO server clients:\n%s", info)
		}

		// CLIENT INFO, ID, LIST.
		ci := value[redisclient.ConnectedClient](t, "CLIENT INFO")(redisclient.ClientInfo().Do(ctx, c))
		if ci.Resp != proto || ci.ID <= 0 || ci.Cmd != "client|info" || ci.User != "default" || !strings.HasPrefix(ci.Addr, "127.0.0.1:") {
			t.Errorf("CLIENT INFO: %+v, want resp=%d, cmd=client|info, user default, a 127.0.0.1 address", ci, proto)
		}
		if ci.Fields["resp"] != strconv.FormatInt(proto, 10) {
			t.Errorf("CLIENT INFO Fields[resp] = %q", ci.Fields["resp"])
		}
		if id := value[int64](t, "CLIENT ID")(redisclient.ClientID().Do(ctx, c)); id <= 0 {
			t.Errorf("CLIENT ID: %d", id)
		}
		list := value[redisclient.ConnectedClients](t, "CLIENT LIST ID")(redisclient.ClientList().ID(ci.ID).Do(ctx, c))
		if len(list) != 1 || list[0].ID != ci.ID || list[0].Addr != ci.Addr {
			t.Errorf("CLIENT LIST ID %d: %+v", ci.ID, list)
		}
		all := value[redisclient.ConnectedClients](t, "CLIENT LIST TYPE NORMAL")(redisclient.ClientList().TypeNormal().Do(ctx, c))
		found := false
		for _, cl := range all {
			found = found || cl.ID == ci.ID
		}
		if !found {
			t.Errorf("CLIENT LIST TYPE NORMAL does not list our connection %d (%d clients)", ci.ID, len(all))
		}

		// CLIENT SETNAME/GETNAME on a dedicated connection (connection state).
		conn, err := c.DedicatedConn(ctx, -1)
		must(t, err, "DedicatedConn")
		name := "it-" + strings.ReplaceAll(t.Name(), "/", "-")
		expect(t, "CLIENT GETNAME unnamed", none[string]())(redisclient.ClientGetName().Do(ctx, conn))
		ok(t, "CLIENT SETNAME")(redisclient.ClientSetName(name).Do(ctx, conn))
		expect(t, "CLIENT GETNAME", some(name))(redisclient.ClientGetName().Do(ctx, conn))
		dci := value[redisclient.ConnectedClient](t, "CLIENT INFO dedicated")(redisclient.ClientInfo().Do(ctx, conn))
		if dci.Name != name || dci.Resp != proto {
			t.Errorf("CLIENT INFO on the dedicated connection: name %q resp %d, want %q and %d", dci.Name, dci.Resp, name, proto)
		}
		ok(t, "CLIENT SETNAME empty")(redisclient.ClientSetName("").Do(ctx, conn))
		conn.Release()

		// CONFIG GET/SET (a harmless parameter; both subtests set the same
		// value).
		ok(t, "CONFIG SET")(redisclient.ConfigSet("maxmemory-samples", "7").Do(ctx, c))
		expect(t, "CONFIG GET", map[string]string{"maxmemory-samples": "7"})(redisclient.ConfigGet("maxmemory-samples").Do(ctx, c))
		cfg := value[map[string]string](t, "CONFIG GET pattern")(redisclient.ConfigGet("maxmemory*", "appendonly").Do(ctx, c))
		if cfg["maxmemory-samples"] != "7" || cfg["appendonly"] != "no" || cfg["maxmemory-policy"] == "" {
			t.Errorf("CONFIG GET maxmemory* appendonly: %v", cfg)
		}
		expect(t, "CONFIG GET nothing", map[string]string{})(redisclient.ConfigGet("no-such-parameter").Do(ctx, c))
		serverError[struct{}](t, "CONFIG SET unknown", "ERR")(struct{}{}, redisclient.ConfigSet("no-such-parameter", "1").Do(ctx, c))

		// TIME, ROLE, DBSIZE.
		// The server's clock is the host's (the containers share it); two
		// readings 3 ms apart differ by about that, which needs the
		// microseconds.
		tm := value[time.Time](t, "TIME")(redisclient.Time().Do(ctx, c))
		if time.Since(tm).Abs() > time.Minute {
			t.Errorf("TIME: %v is not about now", tm)
		}
		time.Sleep(3 * time.Millisecond)
		tm2 := value[time.Time](t, "TIME again")(redisclient.Time().Do(ctx, c))
		if d := tm2.Sub(tm); d < 2*time.Millisecond || d > 10*time.Second {
			t.Errorf("TIME 3ms later: %v after %v (%v)", tm2, tm, d)
		}
		expect(t, "ROLE", redisclient.ReplicationRole{Role: "master"},
			cmpopts.IgnoreFields(redisclient.ReplicationRole{}, "ReplicationOffset"))(redisclient.Role().Do(ctx, c))
		ok(t, "SET")(redisclient.Set(key(t, "a"), "1").Do(ctx, c))
		if n := value[int64](t, "DBSIZE")(redisclient.DBSize().Do(ctx, c)); n < 1 {
			t.Errorf("DBSIZE: %d", n)
		}

		// COMMAND COUNT, INFO, DOCS.
		if n := value[int64](t, "COMMAND COUNT")(redisclient.CommandCount().Do(ctx, c)); n < 200 {
			t.Errorf("COMMAND COUNT: %d", n)
		}
		descs := value[[]*redisclient.CommandDescription](t, "COMMAND INFO")(redisclient.CommandInfo().CommandNames("get", "no-such-command").Do(ctx, c))
		if len(descs) != 2 || descs[0] == nil || descs[1] != nil {
			t.Fatalf("COMMAND INFO get no-such-command: %+v", descs)
		}
		expect(t, "COMMAND INFO get", redisclient.CommandDescription{
			Name: "get", Arity: 2, Flags: []string{"readonly", "fast"}, FirstKey: 1, LastKey: 1, Step: 1,
			ACLCategories: []string{"@read", "@string", "@fast"},
		}, cmpopts.IgnoreFields(redisclient.CommandDescription{}, "Tips", "KeySpecs", "Subcommands"))(*descs[0], nil)
		if len(descs[0].KeySpecs) != 1 || !hasAll(strings.Join(descs[0].KeySpecs[0].Flags, " "), "RO", "access") {
			t.Errorf("COMMAND INFO get key specs: %+v", descs[0].KeySpecs)
		}
		cl := value[[]*redisclient.CommandDescription](t, "COMMAND INFO client")(redisclient.CommandInfo().CommandNames("client").Do(ctx, c))
		if len(cl) != 1 || cl[0] == nil || len(cl[0].Subcommands) < 10 {
			t.Errorf("COMMAND INFO client: want the subcommands, got %+v", cl)
		}
		docs := value[map[string]redisclient.CommandDoc](t, "COMMAND DOCS")(redisclient.CommandDocs().CommandNames("get").Do(ctx, c))
		d, found := docs["get"]
		if !found || d.Summary == "" || d.Since != "1.0.0" || d.Group != "string" || len(d.Arguments) != 1 ||
			d.Arguments[0].Name != "key" || d.Arguments[0].Type != "key" {
			t.Errorf("COMMAND DOCS get: %+v", docs)
		}

		// MEMORY USAGE, OBJECT ENCODING, TYPE.
		if n := value[redisclient.Opt[int64]](t, "MEMORY USAGE")(redisclient.MemoryUsage(key(t, "a")).Do(ctx, c)); !n.Valid || n.Value <= 0 {
			t.Errorf("MEMORY USAGE: %+v", n)
		}
		expect(t, "MEMORY USAGE missing", none[int64]())(redisclient.MemoryUsage(key(t, "missing")).Do(ctx, c))
		if n := value[redisclient.Opt[int64]](t, "MEMORY USAGE SAMPLES")(redisclient.MemoryUsage(key(t, "a")).Samples(0).Do(ctx, c)); !n.Valid {
			t.Errorf("MEMORY USAGE SAMPLES 0: %+v", n)
		}
		kinds := map[string]string{}
		ok(t, "SET int")(redisclient.Set(key(t, "int"), "12345").Do(ctx, c))
		kinds["int"] = "int"
		ok(t, "SET embstr")(redisclient.Set(key(t, "embstr"), "hello").Do(ctx, c))
		kinds["embstr"] = "embstr"
		ok(t, "SET raw")(redisclient.Set(key(t, "raw"), strings.Repeat("x", 100)).Do(ctx, c))
		kinds["raw"] = "raw"
		value[int64](t, "HSET")(redisclient.HSet(key(t, "hash"), "f", "v").Do(ctx, c))
		kinds["hash"] = "listpack"
		value[int64](t, "SADD")(redisclient.SAdd(key(t, "intset"), "1", "2", "3").Do(ctx, c))
		kinds["intset"] = "intset"
		value[int64](t, "ZADD")(redisclient.ZAdd(key(t, "zset"), 1, "m").Do(ctx, c))
		kinds["zset"] = "listpack"
		for k, enc := range kinds {
			expect(t, "OBJECT ENCODING "+k, some(enc))(redisclient.ObjectEncoding(key(t, k)).Do(ctx, c))
		}
		expect(t, "OBJECT ENCODING missing", none[string]())(redisclient.ObjectEncoding(key(t, "missing")).Do(ctx, c))
		value[int64](t, "RPUSH")(redisclient.RPush(key(t, "list"), "x").Do(ctx, c))
		value[redisclient.Opt[string]](t, "XADD")(redisclient.XAdd(key(t, "stream"), "*", "f", "v").Do(ctx, c))
		for k, typ := range map[string]string{"int": "string", "list": "list", "hash": "hash", "intset": "set",
			"zset": "zset", "stream": "stream", "missing": "none"} {
			expect(t, "TYPE "+k, typ)(redisclient.Type(key(t, k)).Do(ctx, c))
		}

		// EXPIRE, TTL, PERSIST.
		e := key(t, "expiring")
		ok(t, "SET")(redisclient.Set(e, "v").Do(ctx, c))
		expect(t, "TTL without expiry", redisclient.TimeToLive{State: redisclient.ExpiryNone})(redisclient.TTL(e).Do(ctx, c))
		expect(t, "TTL missing key", redisclient.TimeToLive{State: redisclient.ExpiryNoKey})(redisclient.TTL(key(t, "missing")).Do(ctx, c))
		expect(t, "EXPIRE missing key", false)(redisclient.Expire(key(t, "missing"), time.Minute).Do(ctx, c))
		expect(t, "EXPIRE XX without expiry", false)(redisclient.Expire(e, 100*time.Second).XX().Do(ctx, c))
		expect(t, "EXPIRE NX", true)(redisclient.Expire(e, 100*time.Second).NX().Do(ctx, c))
		expect(t, "EXPIRE NX again", false)(redisclient.Expire(e, 10*time.Second).NX().Do(ctx, c))
		expect(t, "EXPIRE GT lower", false)(redisclient.Expire(e, 50*time.Second).GT().Do(ctx, c))
		expect(t, "EXPIRE LT lower", true)(redisclient.Expire(e, 50*time.Second).LT().Do(ctx, c))
		if ttl := value[redisclient.TimeToLive](t, "TTL")(redisclient.TTL(e).Do(ctx, c)); !ttl.HasExpiry() || ttl.Duration < 45*time.Second || ttl.Duration > 50*time.Second {
			t.Errorf("TTL after EXPIRE LT 50: %v", ttl)
		}
		if pttl := value[redisclient.TimeToLive](t, "PTTL")(redisclient.PTTL(e).Do(ctx, c)); !pttl.HasExpiry() || pttl.Duration < 45*time.Second || pttl.Duration > 50*time.Second {
			t.Errorf("PTTL after EXPIRE LT 50: %v", pttl)
		}
		expect(t, "PERSIST", true)(redisclient.Persist(e).Do(ctx, c))
		expect(t, "PERSIST again", false)(redisclient.Persist(e).Do(ctx, c))
		expect(t, "TTL after PERSIST", redisclient.TimeToLive{State: redisclient.ExpiryNone})(redisclient.TTL(e).Do(ctx, c))

		// SCAN with MATCH, COUNT and TYPE.
		var want []string
		for i := range 40 {
			k := key(t, fmt.Sprintf("scan:%02d", i))
			want = append(want, k)
			if i%4 == 0 {
				value[int64](t, "HSET")(redisclient.HSet(k, "f", "v").Do(ctx, c))
			} else {
				ok(t, "SET")(redisclient.Set(k, "v").Do(ctx, c))
			}
		}
		pattern := strings.NewReplacer("{", `\{`, "}", `\}`, "[", `\[`, "]", `\]`, "*", `\*`, "?", `\?`).Replace(key(t, "scan:")) + "*"
		scan := func(typ string) []string {
			var got []string
			cursor := "0"
			for range 100000 {
				var page redisclient.ScanPage
				if typ == "" {
					page = value[redisclient.ScanPage](t, "SCAN")(redisclient.Scan(cursor).Match(pattern).Count(500).Do(ctx, c))
				} else {
					page = value[redisclient.ScanPage](t, "SCAN TYPE")(redisclient.Scan(cursor).Match(pattern).Count(500).Type(typ).Do(ctx, c))
				}
				got = append(got, page.Keys...)
				if cursor = page.Cursor; cursor == "0" {
					break
				}
			}
			return sortedCopy(uniq(got))
		}
		expect(t, "SCAN MATCH", want)(scan(""), nil)
		var hashes []string
		for i := 0; i < 40; i += 4 {
			hashes = append(hashes, want[i])
		}
		expect(t, "SCAN MATCH TYPE hash", hashes)(scan("hash"), nil)

		// Generic key commands.
		expect(t, "EXISTS", int64(2))(redisclient.Exists(want[0], want[1], key(t, "missing")).Do(ctx, c))
		expect(t, "DEL", int64(2))(redisclient.Del(want[0], want[1], key(t, "missing")).Do(ctx, c))
		expect(t, "UNLINK", int64(1))(redisclient.Unlink(want[2]).Do(ctx, c))
		expect(t, "ECHO", "hello")(redisclient.Echo("hello").Do(ctx, c))
		expect(t, "PING", "PONG")(redisclient.Ping().Do(ctx, c))
		expect(t, "PING message", "hi")(redisclient.Ping().Message("hi").Do(ctx, c))
	})
}

// TestClientName checks Options.ClientName on every connection, and the
// handshake's CLIENT SETINFO (ignored by servers before 7.2).
func TestClientName(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			t.Parallel()
			ctx := testCtx(t)
			opts := srv.Options(proto)
			opts.ClientName = fmt.Sprintf("redkit-it-name-%d", proto)
			c := NewClient(t, opts)
			expect(t, "CLIENT GETNAME", some(opts.ClientName))(redisclient.ClientGetName().Do(ctx, c))
			conn, err := c.DedicatedConn(ctx, -1)
			must(t, err, "DedicatedConn")
			expect(t, "CLIENT GETNAME dedicated", some(opts.ClientName))(redisclient.ClientGetName().Do(ctx, conn))
			conn.Release()
			ci := value[redisclient.ConnectedClient](t, "CLIENT INFO")(redisclient.ClientInfo().Do(ctx, c))
			if srv.AtLeast(t, "7.2.0") {
				if ci.LibName != "redkit" || ci.LibVer == "" {
					t.Errorf("CLIENT INFO lib-name %q lib-ver %q, want redkit and a version (CLIENT SETINFO)", ci.LibName, ci.LibVer)
				}
			} else {
				t.Logf("not checking CLIENT SETINFO's lib-name: Redis %s predates 7.2", srv.VersionString(t))
			}
		})
	}
}
