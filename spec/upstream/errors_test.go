package upstream

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/redkit-go/redkit/spec"
)

// pub wraps one published command object as a whole file.
func pub(name, body string) string { return `{"` + name + `": ` + body + `}` }

// src wraps one source-form command as a whole file.
func src(file, name, body string) string { return `{"` + file + `": {"` + name + `": ` + body + `}}` }

const keySpec = `{"begin_search": {"type": "index", "spec": {"index": 1}}, "find_keys": {"type": "range", "spec": {"lastkey": 0, "keystep": 1, "limit": 0}}, "RW": true}`

const srcKeySpec = `{"flags": ["RW"], "begin_search": {"index": {"pos": 1}}, "find_keys": {"range": {"lastkey": 0, "step": 1, "limit": 0}}}`

func TestPublishedErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"invalid JSON", `{"SET": {`, `p.json: invalid JSON near byte 9: unexpected EOF`},
		{"duplicate key", `{"SET": {"group": "string", "group": "string"}}`, `p.json: invalid JSON near byte 35: duplicate key "group"`},
		{"not an object", `[]`, `p.json: want an object of commands, got an array`},
		{"no commands", `{}`, `p.json: no commands`},
		{"empty name", pub("", `{"group": "string"}`), `p.json: name: empty command name ""`},
		{"name with three words", pub("A B C", `{"group": "string"}`), `p.json: command A B C: name: "A B C" has more than one level of subcommands`},
		{"name twice", `{"set": {"group": "string"}, "SET": {"group": "string"}}`, `p.json: command SET: name: given twice`},
		{"command not an object", pub("SET", `[]`), `p.json: command SET: want an object, got an array`},
		{"unknown field", pub("SET", `{"group": "string", "colour": "red"}`), `p.json: command SET: colour: unknown field`},
		{"source-only field", pub("SET", `{"group": "string", "reply_schema": {}}`), `p.json: command SET: reply_schema: unknown field`},
		{"arity type", pub("SET", `{"group": "string", "arity": "-3"}`), `p.json: command SET: arity: want an integer, got a string`},
		{"arity zero", pub("SET", `{"group": "string", "arity": 0}`), `p.json: command SET: arity: 0 is not an arity`},
		{"summary type", pub("SET", `{"group": "string", "summary": 1}`), `p.json: command SET: summary: want a string, got a number`},
		{"flags type", pub("SET", `{"group": "string", "command_flags": "write"}`), `p.json: command SET: command_flags: want an array, got a string`},
		{"flag type", pub("SET", `{"group": "string", "command_flags": ["write", 1]}`), `p.json: command SET: command_flags[1]: want a string, got a number`},
		{"empty flag", pub("SET", `{"group": "string", "acl_categories": ["@read", "@"]}`), `p.json: command SET: acl_categories[1]: empty`},
		{"unknown tip", pub("SET", `{"group": "string", "hints": ["dont_cache", "be_nice"]}`), `p.json: command SET: hints[1]: unknown tip "be_nice"`},
		{"unknown request policy", pub("SET", `{"group": "string", "hints": ["request_policy:some_nodes"]}`), `p.json: command SET: hints[0]: unknown request policy "request_policy:some_nodes"`},
		{"unknown response policy", pub("SET", `{"group": "string", "hints": ["response_policy:agg_avg"]}`), `p.json: command SET: hints[0]: unknown response policy "response_policy:agg_avg"`},
		{"two request policies", pub("SET", `{"group": "string", "hints": ["request_policy:all_nodes", "request_policy:all_shards"]}`), `p.json: command SET: hints[1]: a second request policy "request_policy:all_shards"`},
		{"hints and command_tips", pub("SET", `{"group": "string", "hints": [], "command_tips": []}`), `p.json: command SET: command_tips: tips given twice (hints and command_tips)`},
		{"history shape", pub("SET", `{"group": "string", "history": [["1.0.0", "x"], "2.0.0"]}`), `p.json: command SET: history[1]: want a [version, change] pair, got a string`},
		{"history version", pub("SET", `{"group": "string", "history": [[1, "x"]]}`), `p.json: command SET: history[0][0]: want a string, got a number`},
		{"empty group", pub("SET", `{"group": ""}`), `p.json: command SET: group: empty`},
		{"module group without module", pub("SET", `{"group": "module"}`), `p.json: command SET: group: a module command needs a module name`},
		{"module mismatch", pub("BF.ADD", `{"group": "module", "module": "search"}`), `p.json: command BF.ADD: module: "search" does not match the name prefix BF. (module bf)`},
		{"key spec unknown flag", pub("SET", `{"group": "string", "key_specs": [{"begin_search": {"type": "index", "spec": {"index": 1}}, "find_keys": {"type": "unknown", "spec": {}}, "XX": true}]}`), `p.json: command SET: key_specs[0].XX: unknown field`},
		{"key spec flag type", pub("SET", `{"group": "string", "key_specs": [{"begin_search": {"type": "index", "spec": {"index": 1}}, "find_keys": {"type": "unknown", "spec": {}}, "RW": 1}]}`), `p.json: command SET: key_specs[0].RW: want a boolean, got a number`},
		{"key spec without begin_search", pub("SET", `{"group": "string", "key_specs": [{"find_keys": {"type": "unknown"}}]}`), `p.json: command SET: key_specs[0].begin_search: missing`},
		{"key spec without find_keys", pub("SET", `{"group": "string", "key_specs": [{"begin_search": {"type": "unknown"}}]}`), `p.json: command SET: key_specs[0].find_keys: missing`},
		{"unknown begin_search", pub("SET", `{"group": "string", "key_specs": [{"begin_search": {"type": "middle", "spec": {}}, "find_keys": {"type": "unknown"}}]}`), `p.json: command SET: key_specs[0].begin_search: unknown begin_search type "middle"`},
		{"unknown find_keys", pub("SET", `{"group": "string", "key_specs": [{"begin_search": {"type": "unknown"}, "find_keys": {"type": "all"}}]}`), `p.json: command SET: key_specs[0].find_keys: unknown find_keys type "all"`},
		{"begin_search without type", pub("SET", `{"group": "string", "key_specs": [{"begin_search": {"spec": {}}, "find_keys": {"type": "unknown"}}]}`), `p.json: command SET: key_specs[0].begin_search.type: missing`},
		{"index missing", pub("SET", `{"group": "string", "key_specs": [{"begin_search": {"type": "index", "spec": {}}, "find_keys": {"type": "unknown"}}]}`), `p.json: command SET: key_specs[0].begin_search.spec.index: missing`},
		{"range field unknown", pub("SET", `{"group": "string", "key_specs": [{"begin_search": {"type": "unknown"}, "find_keys": {"type": "range", "spec": {"lastkey": 0, "step": 1, "limit": 0}}}]}`), `p.json: command SET: key_specs[0].find_keys.spec.step: unknown field`},
		{"keyword empty", pub("SET", `{"group": "string", "key_specs": [{"begin_search": {"type": "keyword", "spec": {"keyword": "", "startfrom": 1}}, "find_keys": {"type": "unknown"}}]}`), `p.json: command SET: key_specs[0].begin_search.spec.keyword: missing`},
		{"unknown argument type", pub("SET", `{"group": "string", "arguments": [{"name": "key", "type": "string"}, {"name": "x", "type": "foo"}]}`), `p.json: command SET: arguments[1].type: unknown type "foo"`},
		{"argument without name", pub("SET", `{"group": "string", "arguments": [{"type": "string"}]}`), `p.json: command SET: arguments[0].name: missing`},
		{"argument with empty name", pub("SET", `{"group": "string", "arguments": [{"name": " ", "type": "string"}]}`), `p.json: command SET: arguments[0].name: empty`},
		{"argument unknown field", pub("SET", `{"group": "string", "arguments": [{"name": "x", "type": "string", "colour": "red"}]}`), `p.json: command SET: arguments[0].colour: unknown field`},
		{"argument optional type", pub("SET", `{"group": "string", "arguments": [{"name": "x", "type": "string", "optional": "yes"}]}`), `p.json: command SET: arguments[0].optional: want a boolean, got a string`},
		{"argument without type", pub("SET", `{"group": "string", "arguments": [{"name": "x"}]}`), `p.json: command SET: arguments[0].type: missing, and neither children nor a token to tell it`},
		{"block without children", pub("SET", `{"group": "string", "arguments": [{"name": "b", "type": "block", "arguments": []}]}`), `p.json: command SET: arguments[0].arguments: a block needs children`},
		{"nested oneof without children", pub("SET", `{"group": "string", "arguments": [{"name": "b", "type": "block", "arguments": [{"name": "o", "type": "oneof"}]}]}`), `p.json: command SET: arguments[0].arguments[0].arguments: a oneof needs children`},
		{"leaf with children", pub("SET", `{"group": "string", "arguments": [{"name": "s", "type": "string", "arguments": [{"name": "t", "type": "string"}]}]}`), `p.json: command SET: arguments[0].arguments: a string has no children`},
		{"empty token", pub("SET", `{"group": "string", "arguments": [{"name": "s", "type": "string", "token": ""}]}`), `p.json: command SET: arguments[0].token: empty`},
		{"key_spec_index out of range", pub("SET", `{"group": "string", "key_specs": [`+keySpec+`], "arguments": [{"name": "key", "type": "key", "key_spec_index": 1}]}`), `p.json: command SET: arguments[0].key_spec_index: 1 out of range (1 key specs)`},
		{"key_spec_index without key specs", pub("SET", `{"group": "string", "arguments": [{"name": "key", "type": "key", "key_spec_index": 0}]}`), `p.json: command SET: arguments[0].key_spec_index: 0 out of range (0 key specs)`},
		{"key_spec_index negative", pub("SET", `{"group": "string", "arguments": [{"name": "key", "type": "key", "key_spec_index": -2}]}`), `p.json: command SET: arguments[0].key_spec_index: negative index -2`},
		{"key without key_spec_index", pub("SET", `{"group": "string", "key_specs": [`+keySpec+`], "arguments": [{"name": "b", "type": "block", "arguments": [{"name": "key", "type": "key"}]}]}`), `p.json: command SET: arguments[0].arguments[0].key_spec_index: missing for a key argument (1 key specs)`},
		{"argument flag set and booleans", pub("SET", `{"group": "string", "arguments": [{"name": "x", "type": "string", "optional": true, "flags": ["multiple"]}]}`), `p.json: command SET: arguments[0].flags: given both as a set and as booleans`},
		{"unknown argument flag", pub("SET", `{"group": "string", "arguments": [{"name": "x", "type": "string", "flags": ["sometimes"]}]}`), `p.json: command SET: arguments[0].flags[0]: unknown argument flag "sometimes"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParsePublished("p.json", []byte(tc.in))
			checkErr(t, err, tc.want)
		})
	}
}

func TestSourceErrors(t *testing.T) {
	const f = "redis-src-commands.json"
	xadd := func(arg string) string {
		return src("xadd", "XADD", `{"group": "stream", "arguments": [{"name": "key", "type": "key", "key_spec_index": 0}, {"name": "a", "type": "string"}, {"name": "b", "type": "string"}, `+arg+`], "key_specs": [`+srcKeySpec+`]}`)
	}
	schema := func(s string) string { return src("xadd", "XADD", `{"group": "stream", "reply_schema": `+s+`}`) }
	for _, tc := range []struct {
		name, in, want string
	}{
		{"unknown argument type", xadd(`{"name": "c", "type": "foo"}`), `redis-src-commands.json: command XADD: arguments[3].type: unknown type "foo"`},
		{"entry not an object", `{"xadd": []}`, `redis-src-commands.json: xadd: want an object holding one command, got an array`},
		{"empty entry", `{"xadd": {}}`, `redis-src-commands.json: xadd: no command`},
		{"empty name", src("xadd", "", `{"group": "stream"}`), `redis-src-commands.json: name: empty command name`},
		{"name with a space", src("xadd", "X ADD", `{"group": "stream"}`), `redis-src-commands.json: command X ADD: name: a name in the source form is one word`},
		{"container type", src("config-get", "GET", `{"group": "server", "container": 1}`), `redis-src-commands.json: command GET: container: want a string, got a number`},
		{"container two words", src("config-get", "GET", `{"group": "server", "container": "A B"}`), `redis-src-commands.json: command GET: container: want one word, got "A B"`},
		{"error names the subcommand", src("config-get", "GET", `{"group": "server", "container": "CONFIG", "arity": []}`), `redis-src-commands.json: command CONFIG GET: arity: want an integer, got an array`},
		{"same command twice", `{"a": {"XADD": {"group": "stream"}}, "b": {"XADD": {"group": "stream"}}}`, `redis-src-commands.json: command XADD: name: given twice`},
		{"published-only field", src("xadd", "XADD", `{"group": "stream", "hints": []}`), `redis-src-commands.json: command XADD: hints: unknown field`},
		{"unknown tip", src("xadd", "XADD", `{"group": "stream", "command_tips": ["NONDETERMINISTIC"]}`), `redis-src-commands.json: command XADD: command_tips[0]: unknown tip "NONDETERMINISTIC"`},
		{"unknown key spec flag", src("xadd", "XADD", `{"group": "stream", "key_specs": [{"flags": ["RW", "SOMETIMES"], "begin_search": {"unknown": null}, "find_keys": {"unknown": null}}]}`), `redis-src-commands.json: command XADD: key_specs[0].flags[1]: unknown key spec flag "SOMETIMES"`},
		{"published key spec flag", src("xadd", "XADD", `{"group": "stream", "key_specs": [{"RW": true, "begin_search": {"unknown": null}, "find_keys": {"unknown": null}}]}`), `redis-src-commands.json: command XADD: key_specs[0].RW: unknown field`},
		{"two begin_search kinds", src("xadd", "XADD", `{"group": "stream", "key_specs": [{"begin_search": {"index": {"pos": 1}, "unknown": null}, "find_keys": {"unknown": null}}]}`), `redis-src-commands.json: command XADD: key_specs[0].begin_search: want exactly one kind, got 2 fields`},
		{"published begin_search", src("xadd", "XADD", `{"group": "stream", "key_specs": [{"begin_search": {"type": "index", "spec": {"index": 1}}, "find_keys": {"unknown": null}}]}`), `redis-src-commands.json: command XADD: key_specs[0].begin_search: want exactly one kind, got 2 fields`},
		{"pos type", src("xadd", "XADD", `{"group": "stream", "key_specs": [{"begin_search": {"index": {"pos": "1"}}, "find_keys": {"unknown": null}}]}`), `redis-src-commands.json: command XADD: key_specs[0].begin_search.index.pos: want an integer, got a string`},
		{"keynum field missing", src("xadd", "XADD", `{"group": "stream", "key_specs": [{"begin_search": {"index": {"pos": 1}}, "find_keys": {"keynum": {"keynumidx": 0, "step": 1}}}]}`), `redis-src-commands.json: command XADD: key_specs[0].find_keys.keynum.firstkey: missing`},
		{"unknown schema keyword", schema(`{"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "integer", "format": "int64"}}]}`), `redis-src-commands.json: command XADD: reply_schema.oneOf[1].items.format: unknown keyword`},
		{"unknown schema keyword in property", schema(`{"type": "object", "properties": {"id": {"type": "string"}, "^n.me$": {"default": 1}}}`), `redis-src-commands.json: command XADD: reply_schema.properties["^n.me$"].default: unknown keyword`},
		{"unknown schema type", schema(`{"anyOf": [{"type": "list"}]}`), `redis-src-commands.json: command XADD: reply_schema.anyOf[0].type: unknown type "list"`},
		{"schema not an object", schema(`{"items": [true]}`), `redis-src-commands.json: command XADD: reply_schema.items[0]: want an object, got a boolean`},
		{"schema wrong type", schema(`{"minItems": "2"}`), `redis-src-commands.json: command XADD: reply_schema.minItems: want an integer, got a string`},
		{"schema negative count", schema(`{"maxItems": -1}`), `redis-src-commands.json: command XADD: reply_schema.maxItems: negative count -1`},
		{"schema empty oneOf", schema(`{"oneOf": []}`), `redis-src-commands.json: command XADD: reply_schema.oneOf: empty`},
		{"schema object const", schema(`{"const": {"a": 1}}`), `redis-src-commands.json: command XADD: reply_schema.const: want a scalar constant, got an object`},
		{"schema uniqueItems type", schema(`{"uniqueItems": "yes"}`), `redis-src-commands.json: command XADD: reply_schema.uniqueItems: want a boolean, got a string`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSource(f, []byte(tc.in))
			checkErr(t, err, tc.want)
		})
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	_, err := ReadFile(filepath.Join(dir, "missing.json"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	_, err = ReadFile(write("empty.json", `{}`))
	checkErr(t, err, "empty.json: no commands")
	_, err = ReadFile(write("list.json", `[1]`))
	checkErr(t, err, "list.json: want an object of commands, got an array")
	_, err = ReadFile(write("bad.json", `{"SET": {"group": "string", "arity": 1.5}}`))
	checkErr(t, err, "bad.json: command SET: arity: want an integer, got a number")
	// A source-form file is recognized by its shape and checked as such.
	_, err = ReadFile(write("src.json", `{"set": {"SET": {"group": "string", "hints": []}}}`))
	checkErr(t, err, "src.json: command SET: hints: unknown field")
}

func TestMergeErrors(t *testing.T) {
	parse := func(name, in string) *Source {
		t.Helper()
		s, err := ParsePublished(name, []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	for _, tc := range []struct {
		name    string
		sources []*Source
		want    string
	}{
		{"no sources", nil, "upstream: no sources to merge"},
		{"missing container", []*Source{parse("a.json", pub("CONFIG GET", `{"group": "server", "arity": -3}`))},
			"merge: command CONFIG GET: container: CONFIG is not in any source"},
		{"missing group", []*Source{{Name: "hand", Commands: map[string]*spec.Command{"PING": {Name: "PING", Arity: -1}}}},
			"merge: command PING: group: no source gives one (sources: [hand])"},
		{"key specs from another source", []*Source{
			parse("a.json", pub("GET", `{"group": "string", "key_specs": [`+keySpec+`, `+keySpec+`], "arguments": [{"name": "key", "type": "key", "key_spec_index": 1}]}`)),
			parse("b.json", pub("GET", `{"key_specs": [`+keySpec+`]}`)),
		}, "merge: command GET: arguments[0].key_spec_index: 1 out of range (arguments from a.json, 1 key specs from b.json)"},
		{"name mismatch", []*Source{{Name: "hand", Commands: map[string]*spec.Command{"PING": {Name: "PONG", Group: "connection"}}}},
			"hand: command PING: name: the command under this name has another name"},
		{"nil source", []*Source{nil}, "upstream: source 0 is nil"},
		{"validation", []*Source{{Name: "hand", Commands: map[string]*spec.Command{
			"PING": {Name: "PING", Group: "connection", Arguments: []*spec.Argument{{Name: "x", Type: "oneof", KeySpecIndex: -1}}}}}},
			"spec: command PING: arguments[0] (x).arguments: a oneof needs children"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Merge(tc.sources...)
			checkErr(t, err, tc.want)
		})
	}
}

func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s", want)
	}
	if err.Error() != want {
		t.Errorf("error\n got: %s\nwant: %s", err, want)
	}
}
