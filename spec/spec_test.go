package spec

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sample() *Spec {
	return &Spec{Commands: []*Command{
		{Name: "GET", Group: "string", Arity: 2, Flags: []string{"readonly"},
			KeySpecs:  []KeySpec{{Flags: []string{"RO"}, BeginSearch: BeginSearch{Type: SearchIndex, Index: 1}, FindKeys: FindKeys{Type: FindRange, KeyStep: 1}}},
			Arguments: []*Argument{{Name: "key", Type: TypeKey, KeySpecIndex: 0}},
			Reply:     &Schema{OneOf: []*Schema{{Type: "string"}, {Type: "null"}}}},
		{Name: "CONFIG", Group: "server", Arity: -2},
		{Name: "CONFIG GET", Container: "CONFIG", Group: "server", Arity: -3,
			Arguments: []*Argument{{Name: "parameter", Type: TypeString, Multiple: true, KeySpecIndex: -1}}},
	}}
}

func TestWriteLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := sample()
	if err := os.WriteFile(filepath.Join(dir, "stale.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "stale.json")); !os.IsNotExist(err) {
		t.Error("stale group file not removed")
	}
	got, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s.Marshal()
	b, _ := got.Marshal()
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s changed in a round trip", name)
		}
	}
	if !got.IsContainer("CONFIG") || got.IsContainer("GET") {
		t.Error("IsContainer")
	}
	if c := got.Lookup("CONFIG GET"); c == nil || strings.Join(c.Words(), "|") != "CONFIG|GET" {
		t.Errorf("Lookup(CONFIG GET) = %+v", c)
	}
}

func TestValidateErrors(t *testing.T) {
	for want, mutate := range map[string]func(s *Spec){
		"command GET: name: duplicate":                   func(s *Spec) { s.Commands = append(s.Commands, &Command{Name: "GET", Group: "x"}) },
		"command GET: group: empty":                      func(s *Spec) { s.Commands[0].Group = "" },
		"arguments[0] (key).type: unknown \"blob\"":      func(s *Spec) { s.Commands[0].Arguments[0].Type = "blob" },
		"key_spec_index: 3 out of range (1 key specs)":   func(s *Spec) { s.Commands[0].Arguments[0].KeySpecIndex = 3 },
		"key_specs[0]: begin_search.type: unknown \"x\"": func(s *Spec) { s.Commands[0].KeySpecs[0].BeginSearch.Type = "x" },
		"container: NOPE is not in the spec":             func(s *Spec) { s.Commands[2].Container = "NOPE" },
		"a pure-token needs a token": func(s *Spec) {
			s.Commands[2].Arguments[0] = &Argument{Name: "x", Type: TypePureToken, KeySpecIndex: -1}
		},
	} {
		s := sample()
		mutate(s)
		err := s.Validate()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want error containing %q, got %v", want, err)
		}
	}
}

func TestLoadRejectsUnknownFields(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "g.json"), []byte(`{"group":"g","commands":[{"name":"X","group":"g","arity":1,"summary":"prose"}]}`), 0o644)
	if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), "summary") {
		t.Errorf("got %v, want an error about the unknown field", err)
	}
	os.WriteFile(filepath.Join(dir, "g.json"), []byte(`{"group":"g","commands":[{"name":"X","group":"h","arity":1}]}`), 0o644)
	if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), `group: "h" in a file of group "g"`) {
		t.Errorf("got %v", err)
	}
}

func TestValidateServers(t *testing.T) {
	cmd := func(servers map[string]string, argServers map[string]string) *Spec {
		return &Spec{Commands: []*Command{{Name: "SET", Group: "string", Servers: servers, Arguments: []*Argument{
			{Name: "nx", Type: TypePureToken, Token: "NX", KeySpecIndex: -1, Servers: argServers}}}}}
	}
	for _, tc := range []struct {
		name         string
		servers, arg map[string]string
		want         string
	}{
		{"unknown server", map[string]string{"keydb": "6.0.0"}, nil, `spec: command SET: servers: unknown server "keydb"`},
		{"empty map", map[string]string{}, nil, "spec: command SET: servers: empty"},
		{"argument of a server the command is not on", map[string]string{"redis": "1.0.0"}, map[string]string{"valkey": "9.0.0"}, "spec: command SET: arguments[0] (nx).servers: valkey, which the command is not on"},
	} {
		err := cmd(tc.servers, tc.arg).Validate()
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: Validate() = %v, want %q", tc.name, err, tc.want)
		}
	}
	s := cmd(map[string]string{"redis": "1.0.0", "valkey": "7.2.0"}, map[string]string{"valkey": "9.0.0"})
	if err := s.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	c := s.Commands[0]
	if !c.On(ServerValkey) || c.OnlyOn() != "" || c.Arguments[0].OnlyOn() != ServerValkey {
		t.Errorf("On(valkey) %v, OnlyOn %q, argument's OnlyOn %q", c.On(ServerValkey), c.OnlyOn(), c.Arguments[0].OnlyOn())
	}
	if legacy := (&Command{Name: "GET"}); !legacy.On(ServerRedis) || !legacy.On(ServerValkey) {
		t.Error("a command without Servers is not on every server")
	}
}
