package integration

// Server-wide and destructive administration on RESP2 and RESP3, on a
// private server that runs from a configuration file and an ACL file (so
// that CONFIG REWRITE, ACL SAVE and ACL LOAD succeed): ACL users and log,
// AUTH, CONFIG REWRITE and RESETSTAT, LATENCY, SLOWLOG, CLIENT PAUSE and
// UNPAUSE, SAVE, BGSAVE, BGREWRITEAOF, FLUSHALL, FLUSHDB, SWAPDB and
// HOTKEYS. The subtests run one after the other: each changes the whole
// server.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

// startFileConfiguredServer starts a private server whose configuration
// file (redis.conf in its directory, the server's dir field) names the
// ACL file users.acl of that directory.
func startFileConfiguredServer(t testing.TB, name string) *Server {
	t.Helper()
	dir := t.TempDir()
	acl := filepath.Join(dir, "users.acl")
	if err := os.WriteFile(acl, []byte("user default on nopass sanitize-payload ~* &* +@all\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	s, err := startServer(ServerConfig{Name: name, Conf: []string{"aclfile " + acl}}, dir)
	if err != nil {
		t.Fatalf("start redis-server (%s): %v", name, err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("output of redis-server %s (%s):\n%s", name, s.Addr, s.Logs())
		}
		s.purge()
	})
	return s
}

// infoField returns a field of INFO section, read with the typed INFO.
func infoField(t testing.TB, ctx context.Context, c *redisclient.Client, section, field string) string {
	t.Helper()
	info := value[string](t, "INFO "+section)(redisclient.Info().Sections(section).Do(ctx, c))
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(field) + `:(.*?)\r?$`).FindStringSubmatch(info)
	if m == nil {
		t.Fatalf("INFO %s has no %s:\n%s", section, field, info)
	}
	return m[1]
}

// waitInfo waits until INFO section's field is want.
func waitInfo(t testing.TB, ctx context.Context, c *redisclient.Client, section, field, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := infoField(t, ctx, c, section, field)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("INFO %s %s is %q after 20s, want %q", section, field, got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestServerAdministration(t *testing.T) {
	t.Parallel()
	srv := startFileConfiguredServer(t, "admin")
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			opts := srv.Options(proto)
			c := NewClient(t, opts)
			t.Run("ACL", func(t *testing.T) { testACLAdministration(t, srv, c, opts) })
			t.Run("ConfigFile", func(t *testing.T) { testConfigRewrite(t, srv, c, proto) })
			t.Run("ResetStat", func(t *testing.T) { testConfigResetStat(t, c) })
			t.Run("Latency", func(t *testing.T) { testLatencyMonitor(t, c) })
			t.Run("Slowlog", func(t *testing.T) { testSlowlog(t, c) })
			t.Run("Pause", func(t *testing.T) { testClientPause(t, srv, c, proto) })
			t.Run("Persistence", func(t *testing.T) { testPersistence(t, c) })
			t.Run("Flush", func(t *testing.T) { testFlushAndSwap(t, srv, c, proto) })
			t.Run("Hotkeys", func(t *testing.T) { testHotkeys(t, srv, c) })
		})
	}
}

func testACLAdministration(t *testing.T, srv *Server, c *redisclient.Client, opts redisclient.Options) {
	ctx := testCtx(t)
	user := fmt.Sprintf("it-user-%d", opts.Protocol)
	ok(t, "ACL LOG RESET")(redisclient.ACLLog().Reset().Do(ctx, c))
	ok(t, "ACL SETUSER")(redisclient.ACLSetUser(user).Rules("on", ">secret", "~k:*", "+get", "+acl|whoami").Do(ctx, c))
	sum := sha256.Sum256([]byte("secret"))
	got := value[*redisclient.ACLGetUserReply](t, "ACL GETUSER")(redisclient.ACLGetUser(user).Do(ctx, c))
	if got == nil || !slices.Contains(got.Flags, "on") || !slices.Equal(got.Passwords, []string{hex.EncodeToString(sum[:])}) ||
		!sameRules(got.Commands, "-@all +get +acl|whoami") || got.Keys != "~k:*" || got.Channels != "" || len(got.Selectors) != 0 {
		t.Errorf("ACL GETUSER %s: %+v", user, got)
	}
	expect(t, "ACL DRYRUN allowed", "OK")(redisclient.ACLDryRun(user, "get").Args("k:1").Do(ctx, c))
	if msg := value[string](t, "ACL DRYRUN denied")(redisclient.ACLDryRun(user, "set").Args("k:1", "v").Do(ctx, c)); !strings.Contains(msg, "no permissions to run the 'set' command") {
		t.Errorf("ACL DRYRUN %s set: %q, want the reason it is denied", user, msg)
	}
	expect(t, "ACL USERS", []string{"default", user})(redisclient.ACLUsers().Do(ctx, c))
	rules := value[[]string](t, "ACL LIST")(redisclient.ACLList().Do(ctx, c))
	if len(rules) != 2 || !strings.HasPrefix(rules[1], "user "+user+" on ") || !hasAll(rules[1], " ~k:* ", " -@all ", " +get", " +acl|whoami") {
		t.Errorf("ACL LIST: %q", rules)
	}

	// AUTH on a dedicated connection: a wrong password (logged), then the
	// user's.
	conn := dedicatedConn(t, c)
	serverError[struct{}](t, "AUTH wrong password", "WRONGPASS")(struct{}{}, redisclient.Auth("wrong").UserName(user).Do(ctx, conn))
	serverError[struct{}](t, "AUTH without a default password", "ERR")(struct{}{}, redisclient.Auth("any").Do(ctx, conn))
	log := value[[]redisclient.ACLLogEntry](t, "ACL LOG")(redisclient.ACLLog().Do(ctx, c))
	if len(log) != 1 || log[0].Reason != "auth" || log[0].UserName != user || log[0].Context != "toplevel" ||
		log[0].Object != "AUTH" || log[0].Count != 1 || !strings.Contains(log[0].ClientInfo, "cmd=auth") {
		t.Errorf("ACL LOG after a failed AUTH: %+v", log)
	}
	ok(t, "AUTH")(redisclient.Auth("secret").UserName(user).Do(ctx, conn))
	expect(t, "ACL WHOAMI after AUTH", user)(redisclient.ACLWhoAmI().Do(ctx, conn))
	expect(t, "GET as the user", none[string]())(redisclient.Get("k:1").Do(ctx, conn))
	serverError[struct{}](t, "SET as the user", "NOPERM")(struct{}{}, redisclient.Set("k:1", "v").Do(ctx, conn))
	if log = value[[]redisclient.ACLLogEntry](t, "ACL LOG COUNT 1")(redisclient.ACLLog().Count(1).Do(ctx, c)); len(log) != 1 ||
		log[0].Reason != "command" || log[0].Object != "set" || log[0].UserName != user {
		t.Errorf("ACL LOG COUNT 1 after a denied SET: %+v", log)
	}

	// ACL SAVE writes the ACL file, ACL LOAD reads it back.
	ok(t, "ACL SAVE")(redisclient.ACLSave().Do(ctx, c))
	saved, err := os.ReadFile(filepath.Join(srv.dir, "users.acl"))
	must(t, err, "read the ACL file")
	if !strings.Contains(string(saved), "user "+user+" on ") {
		t.Errorf("the ACL file after ACL SAVE lacks %s:\n%s", user, saved)
	}
	expect(t, "ACL DELUSER", int64(1))(redisclient.ACLDelUser(user, "no-such-user").Do(ctx, c))
	expect(t, "ACL USERS after DELUSER", []string{"default"})(redisclient.ACLUsers().Do(ctx, c))
	ok(t, "ACL LOAD")(redisclient.ACLLoad().Do(ctx, c))
	expect(t, "ACL USERS after LOAD", []string{"default", user})(redisclient.ACLUsers().Do(ctx, c))
	expect(t, "ACL DELUSER after LOAD", int64(1))(redisclient.ACLDelUser(user).Do(ctx, c))
	ok(t, "ACL SAVE")(redisclient.ACLSave().Do(ctx, c))
	ok(t, "ACL LOG RESET")(redisclient.ACLLog().Reset().Do(ctx, c))
	expect(t, "ACL LOG after RESET", []redisclient.ACLLogEntry{})(redisclient.ACLLog().Do(ctx, c))
}

// sameRules reports whether two ACL rule lists hold the same rules: Redis
// 7.0 lists a user's commands in no fixed order.
func sameRules(a, b string) bool {
	return slices.Equal(sortedCopy(strings.Fields(a)), sortedCopy(strings.Fields(b)))
}

func testConfigRewrite(t *testing.T, srv *Server, c *redisclient.Client, proto int) {
	ctx := testCtx(t)
	samples := strconv.Itoa(8 + proto) // not the default, 5
	ok(t, "CONFIG SET")(redisclient.ConfigSet("maxmemory-samples", samples).Do(ctx, c))
	ok(t, "CONFIG REWRITE")(redisclient.ConfigRewrite().Do(ctx, c))
	conf, err := os.ReadFile(filepath.Join(srv.dir, "redis.conf"))
	must(t, err, "read the configuration file")
	if !regexp.MustCompile(`(?m)^maxmemory-samples `+samples+`$`).Match(conf) || !strings.Contains(string(conf), "aclfile") {
		t.Errorf("the configuration file after CONFIG SET maxmemory-samples %s and CONFIG REWRITE:\n%s", samples, conf)
	}
}

func testConfigResetStat(t *testing.T, c *redisclient.Client) {
	ctx := testCtx(t)
	ok(t, "SET")(redisclient.Set("resetstat", "v").Do(ctx, c))
	expect(t, "GET", some("v"))(redisclient.Get("resetstat").Do(ctx, c))
	if hits := infoField(t, ctx, c, "stats", "keyspace_hits"); hits == "0" {
		t.Fatalf("INFO stats keyspace_hits is 0 after a GET that hit")
	}
	ok(t, "CONFIG RESETSTAT")(redisclient.ConfigResetStat().Do(ctx, c))
	for _, field := range []string{"keyspace_hits", "keyspace_misses", "total_error_replies"} {
		if v := infoField(t, ctx, c, "stats", field); v != "0" {
			t.Errorf("INFO stats %s after CONFIG RESETSTAT: %s, want 0", field, v)
		}
	}
}

// slowScript runs in well over a millisecond: a latency event when the
// threshold is 1ms.
const slowScript = "local x = 0 for i = 1, 3000000 do x = x + i end return 1"

func testLatencyMonitor(t *testing.T, c *redisclient.Client) {
	ctx := testCtx(t)
	ok(t, "CONFIG SET latency-monitor-threshold")(redisclient.ConfigSet("latency-monitor-threshold", "1").Do(ctx, c))
	defer func() {
		ok(t, "CONFIG SET latency-monitor-threshold 0")(redisclient.ConfigSet("latency-monitor-threshold", "0").Do(ctx, c))
	}()
	value[int64](t, "LATENCY RESET")(redisclient.LatencyReset().Do(ctx, c))
	before := time.Now().Add(-time.Second).Truncate(time.Second)
	value[redisclient.Value](t, "EVAL busy script")(redisclient.Eval(slowScript).Do(ctx, c))

	var event *redisclient.LatencyEvent
	latest := value[[]redisclient.LatencyEvent](t, "LATENCY LATEST")(redisclient.LatencyLatest().Do(ctx, c))
	for i := range latest {
		if latest[i].Event == "command" {
			event = &latest[i]
		}
	}
	if event == nil || event.Latest < time.Millisecond || event.Max < event.Latest || event.Timestamp.Before(before) || event.Timestamp.After(time.Now().Add(time.Second)) {
		t.Fatalf("LATENCY LATEST after a slow EVAL: %+v, want a command event now", latest)
	}
	// A loaded machine may add samples (one per second, the second's
	// maximum): the latest one's second is there.
	history := value[[]redisclient.LatencySample](t, "LATENCY HISTORY command")(redisclient.LatencyHistory("command").Do(ctx, c))
	if !slices.ContainsFunc(history, func(h redisclient.LatencySample) bool {
		return h.Timestamp.Equal(event.Timestamp) && h.Latency >= event.Latest
	}) {
		t.Errorf("LATENCY HISTORY command: %v, want [%v >=%v] among them", history, event.Timestamp, event.Latest)
	}
	expect(t, "LATENCY HISTORY of an event that did not happen", []redisclient.LatencySample{})(redisclient.LatencyHistory("aof-fsync-always").Do(ctx, c))
	if g := value[string](t, "LATENCY GRAPH command")(redisclient.LatencyGraph("command").Do(ctx, c)); !strings.HasPrefix(g, "command - high") {
		t.Errorf("LATENCY GRAPH command: %q", g)
	}
	if d := value[string](t, "LATENCY DOCTOR")(redisclient.LatencyDoctor().Do(ctx, c)); !strings.Contains(d, "command:") {
		t.Errorf("LATENCY DOCTOR: %q, want the command event discussed", d)
	}
	hist := value[map[string]redisclient.CommandLatency](t, "LATENCY HISTOGRAM eval")(redisclient.LatencyHistogram().Commands("eval", "no-such-command").Do(ctx, c))
	if h, found := hist["eval"]; len(hist) != 1 || !found || h.Calls < 1 || len(h.Buckets) == 0 {
		t.Errorf("LATENCY HISTOGRAM eval: %+v", hist)
	}
	if all := value[map[string]redisclient.CommandLatency](t, "LATENCY HISTOGRAM")(redisclient.LatencyHistogram().Do(ctx, c)); all["eval"].Calls < 1 || all["config|set"].Calls < 1 {
		t.Errorf("LATENCY HISTOGRAM: %+v, want eval and config|set", all)
	}
	expect(t, "LATENCY RESET command", int64(1))(redisclient.LatencyReset().Events("command").Do(ctx, c))
	for _, e := range value[[]redisclient.LatencyEvent](t, "LATENCY LATEST after RESET")(redisclient.LatencyLatest().Do(ctx, c)) {
		if e.Event == "command" {
			t.Errorf("LATENCY LATEST after LATENCY RESET command still has %+v", e)
		}
	}
}

func testSlowlog(t *testing.T, c *redisclient.Client) {
	ctx := testCtx(t)
	ok(t, "CONFIG SET slowlog-log-slower-than 0")(redisclient.ConfigSet("slowlog-log-slower-than", "0").Do(ctx, c))
	ok(t, "SLOWLOG RESET")(redisclient.SlowlogReset().Do(ctx, c))
	msg := fmt.Sprintf("slow-%d", time.Now().UnixNano())
	expect(t, "ECHO", msg)(redisclient.Echo(msg).Do(ctx, c))
	ok(t, "CONFIG SET slowlog-log-slower-than -1")(redisclient.ConfigSet("slowlog-log-slower-than", "-1").Do(ctx, c))

	entries := value[[]redisclient.SlowlogEntry](t, "SLOWLOG GET")(redisclient.SlowlogGet().Count(-1).Do(ctx, c))
	i := slices.IndexFunc(entries, func(e redisclient.SlowlogEntry) bool { return slices.Equal(e.Args, []string{"ECHO", msg}) })
	if i < 0 {
		t.Fatalf("SLOWLOG GET -1 lacks ECHO %s: %+v", msg, entries)
	}
	if e := entries[i]; !strings.HasPrefix(e.ClientAddr, "127.0.0.1:") || e.Duration < 0 || time.Since(e.Timestamp).Abs() > time.Minute {
		t.Errorf("SLOWLOG GET entry of ECHO: %+v", e)
	}
	n := value[int64](t, "SLOWLOG LEN")(redisclient.SlowlogLen().Do(ctx, c))
	if n != int64(len(entries)) {
		t.Errorf("SLOWLOG LEN %d, SLOWLOG GET -1 gave %d entries", n, len(entries))
	}
	if one := value[[]redisclient.SlowlogEntry](t, "SLOWLOG GET 1")(redisclient.SlowlogGet().Count(1).Do(ctx, c)); len(one) != 1 || one[0].ID != entries[0].ID {
		t.Errorf("SLOWLOG GET 1: %+v, want the newest entry %+v", one, entries[0])
	}
	ok(t, "SLOWLOG RESET")(redisclient.SlowlogReset().Do(ctx, c))
	expect(t, "SLOWLOG LEN after RESET", int64(0))(redisclient.SlowlogLen().Do(ctx, c))
	expect(t, "SLOWLOG GET after RESET", []redisclient.SlowlogEntry{})(redisclient.SlowlogGet().Do(ctx, c))
}

func testClientPause(t *testing.T, srv *Server, c *redisclient.Client, proto int) {
	ctx := testCtx(t)
	// The paused write and the read use clients of their own: a paused
	// command holds up the commands behind it on its connection.
	writer, reader := NewClient(t, srv.Options(proto)), NewClient(t, srv.Options(proto))
	ok(t, "CLIENT PAUSE WRITE")(redisclient.ClientPause(20*time.Second).Write().Do(ctx, c))
	written := make(chan error, 1)
	go func() { written <- redisclient.Set("paused", "v").Do(ctx, writer) }()
	select {
	case err := <-written:
		t.Fatalf("SET during CLIENT PAUSE WRITE returned at once (%v)", err)
	case <-time.After(200 * time.Millisecond):
	}
	expect(t, "GET during CLIENT PAUSE WRITE", none[string]())(redisclient.Get("paused").Do(ctx, reader))
	ok(t, "CLIENT UNPAUSE")(redisclient.ClientUnpause().Do(ctx, c))
	select {
	case err := <-written:
		ok(t, "SET after CLIENT UNPAUSE")(err)
	case <-time.After(5 * time.Second):
		t.Fatalf("SET still paused 5s after CLIENT UNPAUSE")
	}
	expect(t, "DEL", int64(1))(redisclient.Del("paused").Do(ctx, c))

	// PAUSE ALL holds reads too, until it expires.
	ok(t, "CLIENT PAUSE ALL")(redisclient.ClientPause(300*time.Millisecond).All().Do(ctx, c))
	start := time.Now()
	expect(t, "GET during CLIENT PAUSE ALL", none[string]())(redisclient.Get("paused").Do(ctx, reader))
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("GET during CLIENT PAUSE 300 ALL answered after %v", d)
	}
}

func testPersistence(t *testing.T, c *redisclient.Client) {
	ctx := testCtx(t)
	before := time.Now().Add(-time.Second)
	ok(t, "SAVE")(redisclient.Save().Do(ctx, c))
	if at := value[time.Time](t, "LASTSAVE")(redisclient.LastSave().Do(ctx, c)); at.Before(before.Truncate(time.Second)) {
		t.Errorf("LASTSAVE after SAVE: %v, want %v or later", at, before)
	}
	expect(t, "BGSAVE", "Background saving started")(redisclient.BgSave().Do(ctx, c))
	waitInfo(t, ctx, c, "persistence", "rdb_bgsave_in_progress", "0")
	if s := infoField(t, ctx, c, "persistence", "rdb_last_bgsave_status"); s != "ok" {
		t.Errorf("INFO persistence rdb_last_bgsave_status after BGSAVE: %s", s)
	}
	expect(t, "BGSAVE SCHEDULE", "Background saving started")(redisclient.BgSave().Schedule().Do(ctx, c))
	waitInfo(t, ctx, c, "persistence", "rdb_bgsave_in_progress", "0")
	expect(t, "BGREWRITEAOF", "Background append only file rewriting started")(redisclient.BgRewriteAOF().Do(ctx, c))
	waitInfo(t, ctx, c, "persistence", "aof_rewrite_in_progress", "0")
	if s := infoField(t, ctx, c, "persistence", "aof_last_bgrewrite_status"); s != "ok" {
		t.Errorf("INFO persistence aof_last_bgrewrite_status after BGREWRITEAOF: %s", s)
	}
}

func testFlushAndSwap(t *testing.T, srv *Server, c *redisclient.Client, proto int) {
	ctx := testCtx(t)
	opts1 := srv.Options(proto)
	opts1.DB = 1
	db1 := NewClient(t, opts1)
	dbsizes := func(what string, want0, want1 int64) {
		t.Helper()
		expect(t, what+": DBSIZE of db 0", want0)(redisclient.DBSize().Do(ctx, c))
		expect(t, what+": DBSIZE of db 1", want1)(redisclient.DBSize().Do(ctx, db1))
	}
	fill := func() {
		t.Helper()
		ok(t, "FLUSHALL")(redisclient.FlushAll().Do(ctx, c))
		ok(t, "SET in db 0")(redisclient.Set("in-db0", "0").Do(ctx, c))
		ok(t, "MSET in db 1")(redisclient.MSet("in-db1", "1").KeyValue("other", "1").Do(ctx, db1))
		dbsizes("filled", 1, 2)
	}

	fill()
	ok(t, "SWAPDB 0 1")(redisclient.SwapDB(0, 1).Do(ctx, c))
	dbsizes("after SWAPDB", 2, 1)
	expect(t, "GET in db 1 after SWAPDB", some("0"))(redisclient.Get("in-db0").Do(ctx, db1))
	serverError[struct{}](t, "SWAPDB out of range", "ERR")(struct{}{}, redisclient.SwapDB(0, 1000).Do(ctx, c))

	ok(t, "FLUSHDB")(redisclient.FlushDB().Do(ctx, c))
	dbsizes("after FLUSHDB", 0, 1)
	fill()
	ok(t, "FLUSHDB SYNC")(redisclient.FlushDB().Sync().Do(ctx, db1))
	dbsizes("after FLUSHDB SYNC in db 1", 1, 0)
	fill()
	ok(t, "FLUSHDB ASYNC")(redisclient.FlushDB().Async().Do(ctx, c))
	dbsizes("after FLUSHDB ASYNC", 0, 2)
	fill()
	ok(t, "FLUSHALL SYNC")(redisclient.FlushAll().Sync().Do(ctx, c))
	dbsizes("after FLUSHALL SYNC", 0, 0)
	fill()
	ok(t, "FLUSHALL ASYNC")(redisclient.FlushAll().Async().Do(ctx, db1))
	dbsizes("after FLUSHALL ASYNC", 0, 0)
}

func testHotkeys(t *testing.T, srv *Server, c *redisclient.Client) {
	srv.RequireServer(t, "HOTKEYS", "8.6.0", "")
	ctx := testCtx(t)
	help := value[[]string](t, "HOTKEYS HELP")(redisclient.HotkeysHelp().Do(ctx, c))
	if len(help) < 4 || !strings.HasPrefix(help[0], "HOTKEYS <subcommand>") || !slices.Contains(help, "STOP") {
		t.Errorf("HOTKEYS HELP: %q", help)
	}
	expect(t, "HOTKEYS GET without a session", (*redisclient.HotkeysReport)(nil))(redisclient.HotkeysGet().Do(ctx, c))
	ok(t, "HOTKEYS START")(redisclient.HotkeysStart(2).CPU().Net().Do(ctx, c))
	ok(t, "SET hot")(redisclient.Set("hot", strings.Repeat("x", 100)).Do(ctx, c))
	for range 5 {
		expect(t, "GET hot", some(strings.Repeat("x", 100)))(redisclient.Get("hot").Do(ctx, c))
	}
	check := func(what string, tracking bool) {
		t.Helper()
		r := value[*redisclient.HotkeysReport](t, what)(redisclient.HotkeysGet().Do(ctx, c))
		if r == nil {
			t.Fatalf("%s: no report", what)
		}
		if r.Tracking != tracking || r.SampleRatio != 1 || len(r.ByCPUTime) == 0 || r.ByCPUTime[0].Key != "hot" ||
			len(r.ByNetBytes) == 0 || r.ByNetBytes[0].Key != "hot" || r.ByNetBytes[0].Value < 500 ||
			time.Since(r.CollectionStart).Abs() > time.Minute || r.TotalNetBytes < r.ByNetBytes[0].Value {
			t.Errorf("%s: %+v, want tracking %v and the key hot first", what, r, tracking)
		}
	}
	check("HOTKEYS GET while tracking", true)
	serverError[struct{}](t, "HOTKEYS RESET while tracking", "ERR")(struct{}{}, redisclient.HotkeysReset().Do(ctx, c))
	ok(t, "HOTKEYS STOP")(redisclient.HotkeysStop().Do(ctx, c))
	check("HOTKEYS GET after STOP", false)
	ok(t, "HOTKEYS RESET")(redisclient.HotkeysReset().Do(ctx, c))
	expect(t, "HOTKEYS GET after RESET", (*redisclient.HotkeysReport)(nil))(redisclient.HotkeysGet().Do(ctx, c))
}
