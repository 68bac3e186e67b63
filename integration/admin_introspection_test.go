package integration

// Read-only server introspection on RESP2 and RESP3, on the shared server:
// the HELP subcommands, ACL queries, COMMAND GETKEYS and LIST, MEMORY,
// OBJECT REFCOUNT, MODULE LIST and LOLWUT.

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/redkit-go/redkit/redisclient"
)

func TestHelpSubcommands(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		for _, h := range []struct {
			container string
			cmd       redisclient.Cmd[[]string]
		}{
			{"ACL", redisclient.ACLHelp()},
			{"CLIENT", redisclient.ClientHelp()},
			{"COMMAND", redisclient.CommandHelp()},
			{"CONFIG", redisclient.ConfigHelp()},
			{"LATENCY", redisclient.LatencyHelp()},
			{"MEMORY", redisclient.MemoryHelp()},
			{"MODULE", redisclient.ModuleHelp()},
			{"OBJECT", redisclient.ObjectHelp()},
			{"SLOWLOG", redisclient.SlowlogHelp()},
		} {
			lines := value[[]string](t, h.container+" HELP")(h.cmd.Do(ctx, c))
			// The first line names the container; HELP itself is listed.
			if len(lines) < 4 || !strings.HasPrefix(lines[0], h.container+" <subcommand>") ||
				!slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, "HELP") }) {
				t.Errorf("%s HELP: %q", h.container, lines)
			}
		}
	})
}

func TestACLQueries(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		cats := value[[]string](t, "ACL CAT")(redisclient.ACLCat().Do(ctx, c))
		for _, want := range []string{"keyspace", "read", "write", "string", "admin", "dangerous"} {
			if !slices.Contains(cats, want) {
				t.Errorf("ACL CAT lacks %q: %q", want, cats)
			}
		}
		strCmds := value[[]string](t, "ACL CAT string")(redisclient.ACLCat().Category("string").Do(ctx, c))
		if !slices.Contains(strCmds, "get") || !slices.Contains(strCmds, "set") || slices.Contains(strCmds, "hget") {
			t.Errorf("ACL CAT string: %q, want get and set, not hget", strCmds)
		}
		serverError[[]string](t, "ACL CAT unknown", "ERR")(redisclient.ACLCat().Category("no-such-category").Do(ctx, c))

		hex := regexp.MustCompile(`^[0-9a-f]+$`)
		pass := value[string](t, "ACL GENPASS")(redisclient.ACLGenPass().Do(ctx, c))
		if len(pass) != 64 || !hex.MatchString(pass) {
			t.Errorf("ACL GENPASS: %q, want 64 hex digits", pass)
		}
		if again := value[string](t, "ACL GENPASS")(redisclient.ACLGenPass().Do(ctx, c)); again == pass {
			t.Errorf("ACL GENPASS twice gave %q", pass)
		}
		if p := value[string](t, "ACL GENPASS 32")(redisclient.ACLGenPass().Bits(32).Do(ctx, c)); len(p) != 8 || !hex.MatchString(p) {
			t.Errorf("ACL GENPASS 32: %q, want 8 hex digits", p)
		}

		expect(t, "ACL WHOAMI", "default")(redisclient.ACLWhoAmI().Do(ctx, c))
		if users := value[[]string](t, "ACL USERS")(redisclient.ACLUsers().Do(ctx, c)); !slices.Contains(users, "default") {
			t.Errorf("ACL USERS: %q, want default among them", users)
		}
		rules := value[[]string](t, "ACL LIST")(redisclient.ACLList().Do(ctx, c))
		if !slices.ContainsFunc(rules, func(r string) bool {
			return strings.HasPrefix(r, "user default on") && hasAll(r, "nopass", "+@all")
		}) {
			t.Errorf("ACL LIST: %q, want the default user on, nopass, +@all", rules)
		}
		def := value[*redisclient.ACLGetUserReply](t, "ACL GETUSER default")(redisclient.ACLGetUser("default").Do(ctx, c))
		if def == nil || !slices.Contains(def.Flags, "on") || !slices.Contains(def.Flags, "nopass") ||
			len(def.Passwords) != 0 || def.Commands != "+@all" || def.Keys != "~*" {
			t.Errorf("ACL GETUSER default: %+v", def)
		}
		expect(t, "ACL GETUSER missing", (*redisclient.ACLGetUserReply)(nil))(redisclient.ACLGetUser("no-such-user").Do(ctx, c))
		expect(t, "ACL DRYRUN default", "OK")(redisclient.ACLDryRun("default", "set").Args(key(t, "k"), "v").Do(ctx, c))
		serverError[string](t, "ACL DRYRUN missing user", "ERR")(redisclient.ACLDryRun("no-such-user", "get").Args("k").Do(ctx, c))
	})
}

func TestCommandGetKeysAndList(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		expect(t, "COMMAND GETKEYS SET", []string{"k1"})(redisclient.CommandGetKeys("SET").Args("k1", "v").Do(ctx, c))
		expect(t, "COMMAND GETKEYS MSET", []string{"a", "b"})(redisclient.CommandGetKeys("MSET").Args("a", 1, "b", 2).Do(ctx, c))
		expect(t, "COMMAND GETKEYS EVAL", []string{"x", "y"})(redisclient.CommandGetKeys("EVAL").Args("return 1", 2, "x", "y", "arg").Do(ctx, c))
		serverError[[]string](t, "COMMAND GETKEYS without keys", "ERR")(redisclient.CommandGetKeys("PING").Do(ctx, c))

		all := value[[]string](t, "COMMAND LIST")(redisclient.CommandList().Do(ctx, c))
		count := value[int64](t, "COMMAND COUNT")(redisclient.CommandCount().Do(ctx, c))
		// COMMAND LIST names the subcommands too (acl|cat), COMMAND COUNT
		// does not.
		if int64(len(all)) <= count || !slices.Contains(all, "get") || !slices.Contains(all, "acl") || !slices.Contains(all, "acl|cat") {
			t.Errorf("COMMAND LIST: %d names (COMMAND COUNT %d), want more, with get, acl and acl|cat among them", len(all), count)
		}
		expect(t, "COMMAND LIST FILTERBY PATTERN", []string{"zrangebylex", "zrangebyscore", "zrangestore"}, sorted)(
			redisclient.CommandList().FilterByPattern("zrange?*").Do(ctx, c))
		hashCmds := value[[]string](t, "COMMAND LIST FILTERBY ACLCAT hash")(redisclient.CommandList().FilterByACLCat("hash").Do(ctx, c))
		if !slices.Contains(hashCmds, "hset") || slices.Contains(hashCmds, "set") {
			t.Errorf("COMMAND LIST FILTERBY ACLCAT hash: %q", hashCmds)
		}
		expect(t, "COMMAND LIST FILTERBY MODULE", []string{})(redisclient.CommandList().FilterByModule("no-such-module").Do(ctx, c))
	})
}

func TestMemoryAndObjectIntrospection(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		k := key(t, "str")
		ok(t, "SET")(redisclient.Set(k, "hello").Do(ctx, c))
		expect(t, "OBJECT REFCOUNT", some(int64(1)))(redisclient.ObjectRefcount(k).Do(ctx, c))
		expect(t, "OBJECT REFCOUNT missing", none[int64]())(redisclient.ObjectRefcount(key(t, "missing")).Do(ctx, c))

		stats := value[redisclient.MemoryStatsReply](t, "MEMORY STATS")(redisclient.MemoryStats().Do(ctx, c))
		if stats.TotalAllocated <= 0 || stats.PeakAllocated <= 0 || stats.StartupAllocated <= 0 ||
			stats.StartupAllocated > stats.TotalAllocated || stats.OverheadTotal <= 0 || stats.KeysCount <= 0 || stats.DatasetBytes <= 0 {
			t.Errorf("MEMORY STATS: %+v", stats)
		}
		if d := value[string](t, "MEMORY DOCTOR")(redisclient.MemoryDoctor().Do(ctx, c)); !strings.Contains(d, "Sam") {
			t.Errorf("MEMORY DOCTOR: %q, want the doctor's report (signed by Sam)", d)
		}
		if m := value[string](t, "MEMORY MALLOC-STATS")(redisclient.MemoryMallocStats().Do(ctx, c)); !strings.Contains(m, "jemalloc") {
			t.Errorf("MEMORY MALLOC-STATS: %.200q, want jemalloc's statistics", m)
		}
		ok(t, "MEMORY PURGE")(redisclient.MemoryPurge().Do(ctx, c))

		// The images load no module; Redis 8 has vector sets built in as a
		// module, Valkey 9 its Lua engine.
		srv := sharedServer(t)
		var builtin []string
		switch {
		case srv.IsValkey(t):
			builtin = []string{"lua"}
		case srv.AtLeast(t, "8.0.0"):
			builtin = []string{"vectorset"}
		}
		var modules []string
		for _, m := range value[[]redisclient.ModuleListReplyItem](t, "MODULE LIST")(redisclient.ModuleList().Do(ctx, c)) {
			if m.Ver <= 0 || len(m.Args) != 0 {
				t.Errorf("MODULE LIST: %+v, want a version and no arguments", m)
			}
			modules = append(modules, m.Name)
		}
		expect(t, "MODULE LIST names", builtin, sorted)(modules, nil)

		name := "Redis"
		if srv.IsValkey(t) {
			name = "Valkey"
		}
		if art := value[string](t, "LOLWUT")(redisclient.Lolwut().Do(ctx, c)); !strings.Contains(art, name+" ver.") {
			t.Errorf("LOLWUT: %q, want %s ver.", art, name)
		}
		if art := value[string](t, "LOLWUT VERSION 5")(redisclient.Lolwut().Version(5).Do(ctx, c)); !strings.Contains(art, name+" ver.") || len(art) < 200 {
			t.Errorf("LOLWUT VERSION 5: %q, want the art and %s ver.", art, name)
		}
	})
}
