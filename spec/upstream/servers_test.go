package upstream

// This file tests MergeServer: Valkey's command table recorded over Redis's
// sources, with per-server versions on commands and arguments.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/redkit-go/redkit/spec"
)

func tok(name, token string) *spec.Argument {
	a := arg(name, spec.TypePureToken)
	a.Token = token
	return a
}

func group(name, typ string, optional bool, kids ...*spec.Argument) *spec.Argument {
	a := arg(name, typ)
	a.Optional, a.Arguments = optional, kids
	return a
}

func since(a *spec.Argument, v string) *spec.Argument { a.Since = v; return a }

// redisAndValkey returns a small Redis spec and a Valkey source in the
// shapes the real trees have.
func redisAndValkey(t *testing.T) (*spec.Spec, *Source) {
	t.Helper()
	redis := &Source{Name: "redis", Commands: map[string]*spec.Command{
		"SET": {Name: "SET", Group: "string", Since: "1.0.0", Arguments: []*spec.Argument{
			arg("key", spec.TypeString), arg("value", spec.TypeString),
			group("condition", spec.TypeOneOf, true, tok("nx", "NX"), tok("xx", "XX"),
				since(&spec.Argument{Name: "ifeq-value", Type: spec.TypeString, Token: "IFEQ", KeySpecIndex: -1}, "8.4.0"),
				since(&spec.Argument{Name: "ifne-value", Type: spec.TypeString, Token: "IFNE", KeySpecIndex: -1}, "8.4.0")),
		}},
		"BITCOUNT": {Name: "BITCOUNT", Group: "bitmap", Since: "2.6.0", Arguments: []*spec.Argument{
			arg("key", spec.TypeString),
			group("range", spec.TypeBlock, true, arg("start", spec.TypeInteger), arg("end", spec.TypeInteger),
				group("unit", spec.TypeOneOf, true, tok("byte", "BYTE"), tok("bit", "BIT"))),
		}},
		"SENTINEL FAILOVER": {Name: "SENTINEL FAILOVER", Container: "SENTINEL", Group: "sentinel", Since: "2.8.4", Arguments: []*spec.Argument{arg("master-name", spec.TypeString)}},
		"SENTINEL":          {Name: "SENTINEL", Group: "sentinel", Since: "2.8.4"},
		"FT.SEARCH":         {Name: "FT.SEARCH", Group: "search", Module: "search", Since: "1.0.0"},
		"CLUSTER REPLICATE": {Name: "CLUSTER REPLICATE", Container: "CLUSTER", Group: "cluster", Since: "3.0.0", Arguments: []*spec.Argument{arg("node-id", spec.TypeString)}},
		"CLUSTER":           {Name: "CLUSTER", Group: "cluster", Since: "3.0.0"},
		"BGSAVE":            {Name: "BGSAVE", Group: "server", Since: "1.0.0", Arguments: []*spec.Argument{since(group("schedule", spec.TypePureToken, true), "3.2.2")}},
		// A choice of Redis's own stays one when Valkey has it too.
		"CLIENT REPLY": {Name: "CLIENT REPLY", Container: "CLIENT", Group: "connection", Since: "3.2.0", Arguments: []*spec.Argument{group("action", spec.TypeOneOf, false, tok("on", "ON"), tok("off", "OFF"))}},
		"CLIENT":       {Name: "CLIENT", Group: "connection", Since: "2.4.0"},
	}}
	redis.Commands["BGSAVE"].Arguments[0].Token = "SCHEDULE"
	s, err := Merge(redis)
	if err != nil {
		t.Fatal(err)
	}
	valkey := &Source{Name: "valkey-9.1.2", Commands: map[string]*spec.Command{
		"SET": {Name: "SET", Group: "string", Since: "1.0.0", Arguments: []*spec.Argument{
			arg("key", spec.TypeString), arg("value", spec.TypeString),
			group("condition", spec.TypeOneOf, true, tok("nx", "NX"), tok("xx", "XX"),
				since(&spec.Argument{Name: "comparison-value", Type: spec.TypeString, Token: "IFEQ", KeySpecIndex: -1}, "8.1.0")),
		}},
		// Valkey groups end and unit in a block of their own.
		"BITCOUNT": {Name: "BITCOUNT", Group: "bitmap", Since: "2.6.0", Arguments: []*spec.Argument{
			arg("key", spec.TypeString),
			group("range", spec.TypeBlock, true, arg("start", spec.TypeInteger),
				group("end-unit-block", spec.TypeBlock, true, arg("end", spec.TypeInteger),
					group("unit", spec.TypeOneOf, true, tok("byte", "byte"), tok("bit", "bit")))),
		}},
		"SENTINEL FAILOVER": {Name: "SENTINEL FAILOVER", Container: "SENTINEL", Group: "sentinel", Since: "2.8.4", Arguments: []*spec.Argument{
			arg("primary-name", spec.TypeString), since(group("coordinated", spec.TypePureToken, true), "9.0.0"),
		}},
		"SENTINEL": {Name: "SENTINEL", Group: "sentinel", Since: "2.8.4"},
		"CLUSTER REPLICATE": {Name: "CLUSTER REPLICATE", Container: "CLUSTER", Group: "cluster", Since: "3.0.0", Arguments: []*spec.Argument{
			group("args", spec.TypeOneOf, false, arg("node-id", spec.TypeString), group("no-one", spec.TypeBlock, false, tok("no", "NO"), tok("one", "ONE"))),
		}},
		"CLUSTER": {Name: "CLUSTER", Group: "cluster", Since: "3.0.0"},
		// Valkey's SCHEDULE is an alternative of a choice Redis does not have.
		"BGSAVE": {Name: "BGSAVE", Group: "server", Since: "1.0.0", Arguments: []*spec.Argument{
			group("operation", spec.TypeOneOf, true, since(tok("schedule", "SCHEDULE"), "3.2.2"), since(tok("cancel", "CANCEL"), "8.1.0")),
		}},
		"CLIENT REPLY": {Name: "CLIENT REPLY", Container: "CLIENT", Group: "connection", Since: "3.2.0", Arguments: []*spec.Argument{group("action", spec.TypeOneOf, false, tok("on", "ON"), tok("off", "OFF"))}},
		"CLIENT":       {Name: "CLIENT", Group: "connection", Since: "2.4.0"},
		"DELIFEQ":      {Name: "DELIFEQ", Group: "string", Since: "9.0.0", Arguments: []*spec.Argument{arg("key", spec.TypeString), arg("value", spec.TypeString)}},
	}}
	valkey.Commands["SENTINEL FAILOVER"].Arguments[1].Token = "coordinated" // upper-cased by the merge
	return s, valkey
}

func TestMergeServer(t *testing.T) {
	s, valkey := redisAndValkey(t)
	notes, err := MergeServer(s, spec.ServerValkey, valkey)
	if err != nil {
		t.Fatalf("MergeServer: %v", err)
	}
	servers := func(name string) map[string]string { return s.Lookup(name).Servers }
	for name, want := range map[string]map[string]string{
		"SET":       {"redis": "1.0.0", "valkey": "7.2.0"}, // inherited: since the fork
		"DELIFEQ":   {"valkey": "9.0.0"},
		"FT.SEARCH": {"redis": ""}, // a module's version is not Redis's
	} {
		if diff := cmp.Diff(want, servers(name)); diff != "" {
			t.Errorf("%s servers (-want +got):\n%s", name, diff)
		}
	}
	if d := s.Lookup("DELIFEQ"); d.Since != "9.0.0" || !contains(d.Sources, "valkey-9.1.2") {
		t.Errorf("DELIFEQ: since %q, sources %v", d.Since, d.Sources)
	}

	cond := s.Lookup("SET").Arguments[2].Arguments
	if got := cond[2].Servers; !cmp.Equal(got, map[string]string{"redis": "8.4.0", "valkey": "8.1.0"}) {
		t.Errorf("SET IFEQ servers = %v, want Redis 8.4.0 and Valkey 8.1.0", got)
	}
	if got := cond[3].Servers; !cmp.Equal(got, map[string]string{"redis": "8.4.0"}) {
		t.Errorf("SET IFNE servers = %v, want Redis only", got)
	}
	if cond[0].Servers != nil {
		t.Errorf("SET NX servers = %v, want nil (both)", cond[0].Servers)
	}

	// Valkey's extra group is taken apart: BITCOUNT's tree is Redis's,
	// with nothing marked.
	var marked []string
	var walk func([]*spec.Argument)
	walk = func(args []*spec.Argument) {
		for _, a := range args {
			if a.Servers != nil {
				marked = append(marked, a.Name)
			}
			walk(a.Arguments)
		}
	}
	walk(s.Lookup("BITCOUNT").Arguments)
	if len(marked) > 0 || len(s.Lookup("BITCOUNT").Arguments[1].Arguments) != 3 {
		t.Errorf("BITCOUNT: marked %v, range %d arguments; want Redis's tree unmarked", marked, len(s.Lookup("BITCOUNT").Arguments[1].Arguments))
	}

	// primary-name is Redis's master-name; COORDINATED is Valkey's own.
	fo := s.Lookup("SENTINEL FAILOVER").Arguments
	if len(fo) != 2 || fo[0].Name != "master-name" || fo[0].Servers != nil || fo[1].Token != "COORDINATED" ||
		!cmp.Equal(fo[1].Servers, map[string]string{"valkey": "9.0.0"}) || fo[1].Since != "" {
		t.Errorf("SENTINEL FAILOVER arguments: %+v %+v", fo[0], fo[len(fo)-1])
	}

	// Valkey's alternatives of a choice Redis's tree has as loose
	// arguments: Redis's argument and Valkey's own become one choice.
	if len(notes) != 0 {
		t.Errorf("notes = %q, want none", notes)
	}
	checkChoices(t, s)

	// Merging again replaces what the first merge recorded.
	again, err := MergeServer(s, spec.ServerValkey, valkey)
	if err != nil || !cmp.Equal(again, notes) {
		t.Fatalf("second MergeServer: %v, notes %q", err, again)
	}
	if got := s.Lookup("SENTINEL FAILOVER").Arguments; len(got) != 2 {
		t.Errorf("second MergeServer: SENTINEL FAILOVER has %d arguments, want 2", len(got))
	}
	checkChoices(t, s)

	// Forgetting Valkey undoes the choices made for it: Redis's trees
	// again.
	for _, c := range s.Commands {
		forget(c, spec.ServerValkey)
	}
	if a := s.Lookup("BGSAVE").Arguments; len(a) != 1 || a[0].Token != "SCHEDULE" || !a[0].Optional || a[0].Servers != nil {
		t.Errorf("BGSAVE after forget: %s", render(a))
	}
	if a := s.Lookup("CLUSTER REPLICATE").Arguments; len(a) != 1 || a[0].Name != "node-id" || a[0].Optional {
		t.Errorf("CLUSTER REPLICATE after forget: %s", render(a))
	}
	if a := s.Lookup("CLIENT REPLY").Arguments; len(a) != 1 || a[0].Type != spec.TypeOneOf || len(a[0].Arguments) != 2 {
		t.Errorf("CLIENT REPLY after forget: %s", render(a))
	}
}

// checkChoices checks BGSAVE's and CLUSTER REPLICATE's merged choices.
func checkChoices(t *testing.T, s *spec.Spec) {
	t.Helper()
	valkeyOnly := func(v string) map[string]string { return map[string]string{"valkey": v} }
	bg := s.Lookup("BGSAVE").Arguments
	if len(bg) != 1 || bg[0].Name != "operation" || bg[0].Type != spec.TypeOneOf || !bg[0].Optional || bg[0].Servers != nil ||
		len(bg[0].Arguments) != 2 || bg[0].Arguments[0].Token != "SCHEDULE" || bg[0].Arguments[0].Optional || bg[0].Arguments[0].Servers != nil ||
		bg[0].Arguments[1].Token != "CANCEL" || !cmp.Equal(bg[0].Arguments[1].Servers, valkeyOnly("8.1.0")) {
		t.Errorf("BGSAVE arguments: %s", render(bg))
	}
	rep := s.Lookup("CLUSTER REPLICATE").Arguments
	if len(rep) != 1 || rep[0].Type != spec.TypeOneOf || rep[0].Optional || len(rep[0].Arguments) != 2 ||
		rep[0].Arguments[0].Name != "node-id" || rep[0].Arguments[0].Servers != nil ||
		rep[0].Arguments[1].Name != "no-one" || !cmp.Equal(rep[0].Arguments[1].Servers, valkeyOnly("7.2.0")) ||
		len(rep[0].Arguments[1].Arguments) != 2 || rep[0].Arguments[1].Arguments[0].Token != "NO" {
		t.Errorf("CLUSTER REPLICATE arguments: %s", render(rep))
	}
	if a := s.Lookup("CLIENT REPLY").Arguments; len(a) != 1 || a[0].Servers != nil || len(a[0].Arguments) != 2 {
		t.Errorf("CLIENT REPLY arguments: %s", render(a))
	}
}

// render prints arguments for a failure message.
func render(args []*spec.Argument) string {
	var parts []string
	for _, a := range args {
		p := fmt.Sprintf("%s(%s %q opt=%v servers=%v", a.Name, a.Type, a.Token, a.Optional, a.Servers)
		if len(a.Arguments) > 0 {
			p += " [" + render(a.Arguments) + "]"
		}
		parts = append(parts, p+")")
	}
	return strings.Join(parts, " ")
}

func TestMergeServerErrors(t *testing.T) {
	s, valkey := redisAndValkey(t)
	if _, err := MergeServer(s, "keydb", valkey); err == nil || !strings.Contains(err.Error(), `"keydb"`) {
		t.Errorf("unknown server: %v", err)
	}
	if _, err := MergeServer(s, spec.ServerValkey, &Source{Name: "empty"}); err == nil || !strings.Contains(err.Error(), "no commands") {
		t.Errorf("empty source: %v", err)
	}
}

func TestValkeySince(t *testing.T) {
	for in, want := range map[string]string{"": "7.2.0", "1.0.0": "7.2.0", "7.2.4": "7.2.0", "8.0.0": "8.0.0", "9.1.0": "9.1.0"} {
		if got := ValkeySince(in); got != want {
			t.Errorf("ValkeySince(%q) = %q, want %q", in, got, want)
		}
	}
}
