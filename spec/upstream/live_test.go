package upstream

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/redkit-go/redkit/spec"
)

// kv is a map in a hand-built reply, written as alternating keys and values.
// toMap turns it into map[string]any (RESP3), toFlat into a flat []any
// (RESP2).
type kv []any

func toMap(v any) any {
	switch v := v.(type) {
	case kv:
		m := make(map[string]any, len(v)/2)
		for i := 0; i < len(v); i += 2 {
			m[v[i].(string)] = toMap(v[i+1])
		}
		return m
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = toMap(x)
		}
		return out
	}
	return v
}

func toFlat(v any) any {
	switch v := v.(type) {
	case kv:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = toFlat(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = toFlat(x)
		}
		return out
	}
	return v
}

func indexRange(pos int64, flags ...any) kv {
	return kv{
		"flags", flags,
		"begin_search", kv{"type", "index", "spec", kv{"index", pos}},
		"find_keys", kv{"type", "range", "spec", kv{"lastkey", int64(0), "keystep", int64(1), "limit", int64(0)}},
	}
}

func liveDocs() kv {
	return kv{
		"set", kv{
			"summary", "Fixture prose.",
			"since", "1.0.0",
			"group", "string",
			"complexity", "O(1)",
			"history", []any{[]any{"2.6.12", "Fixture prose."}, []any{"7.0.0", "Fixture prose."}},
			"reply_schema", kv{"anyOf", []any{
				kv{"description", "Fixture prose.", "type", "null"},
				kv{"const", "OK"},
				kv{"type", "array", "items", kv{"type", "string"}},
				kv{"type", "array", "items", []any{kv{"type", "string"}, kv{"type", "integer", "minimum", int64(0)}}, "maxItems", int64(2)},
			}},
			"arguments", []any{
				kv{"name", "key", "type", "key", "display_text", "key", "key_spec_index", int64(0)},
				kv{"name", "value", "type", "string", "display_text", "value"},
				kv{"name", "condition", "type", "oneof", "since", "2.6.12", "flags", []any{"optional"}, "arguments", []any{
					kv{"name", "nx", "type", "pure-token", "display_text", "nx", "token", "NX"},
					kv{"name", "xx", "type", "pure-token", "display_text", "xx", "token", "XX"},
				}},
				kv{"name", "get", "type", "pure-token", "display_text", "get", "token", "GET", "since", "6.2.0", "flags", []any{"optional"}},
			},
		},
		"config", kv{
			"summary", "Fixture container.",
			"since", "2.0.0",
			"group", "server",
			"complexity", "Depends on subcommand.",
			"subcommands", kv{
				"config|get", kv{
					"summary", "Fixture prose.",
					"since", "2.0.0",
					"group", "server",
					"complexity", "O(N) when N is fixture prose",
					"arguments", []any{
						kv{"name", "parameter", "type", "string", "display_text", "parameter-name", "flags", []any{"multiple"}},
					},
				},
			},
		},
		"bf.add", kv{
			"summary", "Fixture prose.",
			"since", "1.0.0",
			"group", "module",
			"complexity", "O(k)",
			"module", "bf",
			"arguments", []any{
				kv{"name", "key", "type", "key", "display_text", "key", "key_spec_index", int64(0)},
				kv{"name", "item", "type", "string", "display_text", "item"},
			},
		},
		"json.get", kv{
			"summary", "Fixture prose.",
			"since", "1.0.0",
			"group", "module",
			"module", "ReJSON",
			"doc_flags", []any{"deprecated"},
			"deprecated_since", "2.0.0",
			"replaced_by", "`JSON.MGET`",
			"arguments", []any{
				kv{"name", "key", "type", "key", "display_text", "key", "key_spec_index", int64(0)},
			},
		},
	}
}

func liveInfo() []any {
	none := []any{}
	return []any{
		[]any{"set", int64(-3), []any{"write", "denyoom"}, int64(1), int64(1), int64(1),
			[]any{"@write", "@string", "@slow"}, none,
			[]any{indexRange(1, "RW", "access", "update", "variable_flags")}, none},
		[]any{"config", int64(-2), none, int64(0), int64(0), int64(0), []any{"@slow"}, none, none, []any{
			[]any{"config|get", int64(-3), []any{"admin", "noscript", "loading", "stale"}, int64(0), int64(0), int64(0),
				[]any{"@admin", "@slow", "@dangerous"},
				[]any{"request_policy:all_nodes", "response_policy:all_succeeded", "nondeterministic_output"},
				none, none},
		}},
		[]any{"bf.add", int64(3), []any{"write", "denyoom", "module"}, int64(1), int64(1), int64(1),
			[]any{"@write", "@bloom"}, none, []any{indexRange(1, "RW")}, none},
		[]any{"json.get", int64(-2), []any{"readonly", "module"}, int64(1), int64(1), int64(1),
			[]any{"@read", "@json"}, []any{"dont_cache"}, []any{indexRange(1, "RO", "access")}, none},
		nil, // COMMAND INFO of an unknown command
	}
}

func liveWant() []*spec.Command {
	key := &spec.Argument{Name: "key", Type: "key", KeySpecIndex: 0}
	ks := func(flags ...string) []spec.KeySpec {
		return []spec.KeySpec{{Flags: flags, BeginSearch: spec.BeginSearch{Type: "index", Index: 1}, FindKeys: spec.FindKeys{Type: "range", KeyStep: 1}}}
	}
	live := []string{"live"}
	zero, two := int64(0), 2
	return []*spec.Command{
		{Name: "BF.ADD", Module: "bf", Group: "bf", Since: "1.0.0", Complexity: "O(k)", Arity: 3,
			Flags: []string{"denyoom", "module", "write"}, ACLCategories: []string{"bloom", "write"},
			KeySpecs: ks("RW"), Arguments: []*spec.Argument{key, arg("item", "string")}, Sources: live},
		{Name: "CONFIG", Group: "server", Since: "2.0.0", Arity: -2, ACLCategories: []string{"slow"}, Sources: live},
		{Name: "CONFIG GET", Container: "CONFIG", Group: "server", Since: "2.0.0", Complexity: "O(N)", Arity: -3,
			Flags:         []string{"admin", "loading", "noscript", "stale"},
			ACLCategories: []string{"admin", "dangerous", "slow"},
			Tips:          &spec.Tips{RequestPolicy: "all_nodes", ResponsePolicy: "all_succeeded", Nondeterministic: "output"},
			Arguments:     []*spec.Argument{{Name: "parameter", Type: "string", Display: "parameter-name", Multiple: true, KeySpecIndex: -1}},
			Sources:       live},
		{Name: "JSON.GET", Module: "json", Group: "json", Since: "1.0.0", Arity: -2,
			Flags: []string{"module", "readonly"}, ACLCategories: []string{"json", "read"}, Tips: &spec.Tips{DontCache: true},
			DocFlags: []string{"deprecated"}, DeprecatedSince: "2.0.0", ReplacedBy: "JSON.MGET",
			KeySpecs: ks("ACCESS", "RO"), Arguments: []*spec.Argument{key}, Sources: live},
		{Name: "SET", Group: "string", Since: "1.0.0", Complexity: "O(1)", Arity: -3,
			Flags: []string{"denyoom", "write"}, ACLCategories: []string{"slow", "string", "write"},
			History: []string{"2.6.12", "7.0.0"},
			Reply: &spec.Schema{AnyOf: []*spec.Schema{
				{Type: "null"},
				{Const: `"OK"`},
				{Type: "array", Items: &spec.Schema{Type: "string"}},
				{Type: "array", Tuple: []*spec.Schema{{Type: "string"}, {Type: "integer", Minimum: &zero}}, MaxItems: &two},
			}},
			KeySpecs: ks("ACCESS", "RW", "UPDATE", "VARIABLE_FLAGS"),
			Arguments: []*spec.Argument{key, arg("value", "string"),
				{Name: "condition", Type: "oneof", Optional: true, Since: "2.6.12", KeySpecIndex: -1, Arguments: []*spec.Argument{
					{Name: "nx", Type: "pure-token", Token: "NX", KeySpecIndex: -1},
					{Name: "xx", Type: "pure-token", Token: "XX", KeySpecIndex: -1},
				}},
				{Name: "get", Type: "pure-token", Token: "GET", Optional: true, Since: "6.2.0", KeySpecIndex: -1},
			},
			Sources: live},
	}
}

func TestFromServer(t *testing.T) {
	var got []*Source
	for _, form := range []struct {
		name string
		conv func(any) any
	}{{"map", toMap}, {"flat", toFlat}} {
		t.Run(form.name, func(t *testing.T) {
			src, err := FromServer("live", form.conv(liveDocs()), form.conv(liveInfo()))
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, src)
			s := mustMerge(t, src)
			if diff := cmp.Diff(liveWant(), s.Commands); diff != "" {
				t.Errorf("FromServer (-want +got):\n%s", diff)
			}
		})
	}
	if len(got) == 2 {
		if diff := cmp.Diff(got[0], got[1], cmp.AllowUnexported(Source{})); diff != "" {
			t.Errorf("map and flat forms differ (-map +flat):\n%s", diff)
		}
	}
}

func TestFromServerPartial(t *testing.T) {
	// Info alone: no group, so the merge asks for one.
	src, err := FromServer("live", nil, toFlat(liveInfo()))
	if err != nil {
		t.Fatal(err)
	}
	if c := src.Commands["CONFIG GET"]; c.Arity != -3 || c.Group != "" {
		t.Errorf("CONFIG GET from info = %+v", c)
	}
	_, err = Merge(src)
	checkErr(t, err, "merge: command CONFIG: group: no source gives one (sources: [live])")

	// Docs alone: key indexes cannot be checked until the merge, which
	// finds no key specs for them.
	src, err = FromServer("live", toMap(liveDocs()), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Merge(src)
	checkErr(t, err, "merge: command BF.ADD: arguments[0].key_spec_index: 0 out of range (arguments from live, no key specs)")

	// Merged after a file that gives the key specs, the docs fit.
	file, err := ParsePublished("f.json", []byte(pub("SET", `{"group": "string", "arity": -3, "key_specs": [`+keySpec+`]}`)))
	if err != nil {
		t.Fatal(err)
	}
	docs := kv{"set", liveDocs()[1]}
	src, err = FromServer("live", toFlat(docs), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := mustMerge(t, file, src)
	if c := s.Lookup("SET"); c.Arity != -3 || len(c.KeySpecs) != 1 || len(c.Arguments) != 4 || !cmp.Equal(c.Sources, []string{"f.json", "live"}) {
		t.Errorf("SET = %+v", c)
	}

	// A server before 7.0 sends seven elements.
	old := []any{[]any{"get", int64(2), []any{"readonly", "fast"}, int64(1), int64(1), int64(1), []any{"@read", "@string", "@fast"}}}
	src, err = FromServer("old", nil, old)
	if err != nil {
		t.Fatal(err)
	}
	if c := src.Commands["GET"]; c.Arity != 2 || c.KeySpecs != nil || !cmp.Equal(c.ACLCategories, []string{"fast", "read", "string"}) {
		t.Errorf("GET = %+v", c)
	}
}

func TestFromServerErrors(t *testing.T) {
	info := func(entry ...any) []any { return []any{entry} }
	none := []any{}
	for _, tc := range []struct {
		name       string
		docs, info any
		want       string
	}{
		{"nothing", nil, nil, "live: neither COMMAND DOCS nor COMMAND INFO given"},
		{"docs not a map", "set", nil, "live: docs: want a map of command docs, got a string"},
		{"docs odd flat array", []any{"set"}, nil, "live: docs: want a map of command docs, got an array"},
		{"info not an array", nil, "set", "live: info: want an array of command info, got a string"},
		{"short info", nil, info("set", int64(-3), none), "live: info[0]: want 6 to 10 elements, got 3"},
		{"info name type", nil, info(int64(1), int64(-3), none, int64(1), int64(1), int64(1)), "live: info[0].name: want a string, got a number"},
		{"info arity type", nil, info("set", "-3", none, int64(1), int64(1), int64(1)), "live: command SET: info.arity: want an integer, got a string"},
		{"info step type", nil, info("set", int64(-3), none, int64(1), int64(1), "1"), "live: command SET: info.step: want an integer, got a string"},
		{"info unknown tip", nil, info("set", int64(-3), none, int64(1), int64(1), int64(1), none, []any{"sometimes"}), `live: command SET: info.tips[0]: unknown tip "sometimes"`},
		{"info key spec flag", nil, toFlat(info("set", int64(-3), none, int64(1), int64(1), int64(1), none, none, []any{indexRange(1, "RW", "maybe")})),
			`live: command SET: info.key_specs[0].flags[1]: unknown key spec flag "maybe"`},
		{"info subcommand of another", nil, info("config", int64(-2), none, int64(0), int64(0), int64(0), none, none, none,
			[]any{[]any{"other|get", int64(-3), none, int64(0), int64(0), int64(0)}}),
			`live: command OTHER GET: info: listed as a subcommand of "CONFIG"`},
		{"info twice", nil, []any{[]any{"get", int64(2), none, int64(1), int64(1), int64(1)}, []any{"GET", int64(2), none, int64(1), int64(1), int64(1)}},
			"live: command GET: info: given twice"},
		{"docs entry not a map", toMap(kv{"set", "x"}), nil, "live: command SET: docs: want an object, got a string"},
		{"docs unknown field", toMap(kv{"set", kv{"group", "string", "colour", "red"}}), nil, "live: command SET: docs.colour: unknown field"},
		{"docs argument flag", toFlat(kv{"set", kv{"group", "string", "arguments", []any{kv{"name", "x", "type", "string", "flags", []any{"often"}}}}}), nil,
			`live: command SET: docs.arguments[0].flags[0]: unknown argument flag "often"`},
		{"docs subcommand of another", toMap(kv{"config", kv{"group", "server", "subcommands", kv{"other|get", kv{"group", "server"}}}}), nil,
			`live: command OTHER GET: docs: listed as a subcommand of "CONFIG"`},
		{"docs top-level subcommand", toMap(kv{"config|get", kv{"group", "server"}}), nil,
			`live: command CONFIG GET: docs: listed as a subcommand of ""`},
		{"key_spec_index out of range", toMap(kv{"get", kv{"group", "string", "arguments", []any{kv{"name", "key", "type", "key", "key_spec_index", int64(1)}}}}),
			toMap(info("get", int64(2), none, int64(1), int64(1), int64(1), none, none, []any{indexRange(1, "RO")})),
			"live: command GET: docs.arguments[0].key_spec_index: 1 out of range (1 key specs)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromServer("live", tc.docs, tc.info)
			checkErr(t, err, tc.want)
		})
	}
}
