package upstream

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"strings"

	"github.com/google/go-cmp/cmp"

	"github.com/redkit-go/redkit/spec"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// readFixture reads one of the hand-written fixtures of testdata.
func readFixture(t *testing.T, name string) *Source {
	t.Helper()
	src, err := ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("ReadFile(%s): %v", name, err)
	}
	return src
}

func mustMerge(t *testing.T, sources ...*Source) *spec.Spec {
	t.Helper()
	s, err := Merge(sources...)
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	return s
}

// goldenCases are the fixtures compared with testdata/golden/<name>, alone
// and merged in the order of the repository's import (source, module files,
// published last).
var goldenCases = []struct {
	name  string
	files []string
}{
	{"published", []string{"published.json"}},
	{"source", []string{"source.json"}},
	{"module", []string{"module.json"}},
	{"merged", []string{"source.json", "module.json", "published.json"}},
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			var sources []*Source
			for _, f := range tc.files {
				sources = append(sources, readFixture(t, f))
			}
			s := mustMerge(t, sources...)
			dir := filepath.Join("testdata", "golden", tc.name)
			if *update {
				if err := os.RemoveAll(dir); err != nil {
					t.Fatal(err)
				}
				if err := s.WriteDir(dir); err != nil {
					t.Fatal(err)
				}
			}
			want, err := spec.LoadDir(dir)
			if err != nil {
				t.Fatalf("LoadDir(%s): %v (run go test -update to create it)", dir, err)
			}
			if diff := cmp.Diff(want, s); diff != "" {
				t.Errorf("normalized spec differs from %s (-golden +got):\n%s", dir, diff)
			}
			files, err := s.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			onDisk, _ := filepath.Glob(filepath.Join(dir, "*.json"))
			if len(onDisk) != len(files) {
				t.Errorf("%s has %d files, the import renders %d", dir, len(onDisk), len(files))
			}
			for name, got := range files {
				wantBytes, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Errorf("%v", err)
					continue
				}
				if diff := cmp.Diff(string(wantBytes), string(got)); diff != "" {
					t.Errorf("%s/%s differs (-golden +got):\n%s", dir, name, diff)
				}
			}
		})
	}
}

func TestReadFileDetectsFormat(t *testing.T) {
	for _, tc := range []struct {
		file  string
		parse func(string, []byte) (*Source, error)
	}{
		{"published.json", ParsePublished},
		{"module.json", ParsePublished},
		{"source.json", ParseSource},
	} {
		data, err := os.ReadFile(filepath.Join("testdata", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		want, err := tc.parse(tc.file, data)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		got := readFixture(t, tc.file)
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(Source{})); diff != "" {
			t.Errorf("ReadFile(%s) differs from its parser (-want +got):\n%s", tc.file, diff)
		}
	}
}

func arg(name, typ string) *spec.Argument {
	return &spec.Argument{Name: name, Type: typ, KeySpecIndex: -1}
}

func TestPublishedCommand(t *testing.T) {
	src := readFixture(t, "published.json")
	want := &spec.Command{
		Name:          "SET",
		Group:         "string",
		Since:         "1.0.0",
		Complexity:    "O(1)",
		Arity:         -3,
		Flags:         []string{"denyoom", "write"},
		ACLCategories: []string{"slow", "string", "write"},
		History:       []string{"2.6.12", "8.4.0"},
		KeySpecs: []spec.KeySpec{{
			Flags:       []string{"ACCESS", "RW", "UPDATE", "VARIABLE_FLAGS"},
			BeginSearch: spec.BeginSearch{Type: "index", Index: 1},
			FindKeys:    spec.FindKeys{Type: "range", KeyStep: 1},
		}},
		Arguments: []*spec.Argument{
			{Name: "key", Type: "key", KeySpecIndex: 0},
			arg("value", "string"),
			{Name: "condition", Type: "oneof", Optional: true, Since: "2.6.12", KeySpecIndex: -1, Arguments: []*spec.Argument{
				{Name: "nx", Type: "pure-token", Token: "NX", KeySpecIndex: -1},
				{Name: "ifeq-value", Type: "string", Token: "IFEQ", Since: "8.4.0", KeySpecIndex: -1},
			}},
			{Name: "get", Type: "pure-token", Token: "GET", Optional: true, Since: "6.2.0", KeySpecIndex: -1},
		},
		Sources: []string{"published.json"},
	}
	if diff := cmp.Diff(want, src.Commands["SET"]); diff != "" {
		t.Errorf("SET (-want +got):\n%s", diff)
	}

	cg := src.Commands["CONFIG GET"]
	if cg.Container != "CONFIG" || cg.Complexity != "O(N)" {
		t.Errorf("CONFIG GET: container %q complexity %q", cg.Container, cg.Complexity)
	}
	if diff := cmp.Diff(&spec.Tips{RequestPolicy: "all_nodes", ResponsePolicy: "all_succeeded", Nondeterministic: "output"}, cg.Tips); diff != "" {
		t.Errorf("CONFIG GET tips (-want +got):\n%s", diff)
	}
	if got := cg.Arguments[0].Display; got != "parameter-name" {
		t.Errorf("CONFIG GET parameter display = %q", got)
	}
	if c := src.Commands["CONFIG"]; c.Complexity != "" || c.Container != "" {
		t.Errorf("CONFIG: complexity %q container %q", c.Complexity, c.Container)
	}

	gs := src.Commands["GETSET"]
	if gs.ReplacedBy != "SET with the GET argument" || gs.DeprecatedSince != "6.2.0" || !cmp.Equal(gs.DocFlags, []string{"deprecated"}) {
		t.Errorf("GETSET deprecation: %q %q %v", gs.ReplacedBy, gs.DeprecatedSince, gs.DocFlags)
	}
	if got := src.Commands["XREAD"]; got.Tips.Nondeterministic != "order" ||
		got.KeySpecs[0].BeginSearch != (spec.BeginSearch{Type: "keyword", Keyword: "STREAMS", StartFrom: 1}) ||
		got.KeySpecs[0].FindKeys != (spec.FindKeys{Type: "range", LastKey: -1, KeyStep: 1, Limit: 2}) {
		t.Errorf("XREAD: tips %+v key spec %+v", got.Tips, got.KeySpecs[0])
	}
	if got := src.Commands["ZUNION"].KeySpecs[0].FindKeys; got != (spec.FindKeys{Type: "keynum", FirstKey: 1, KeyStep: 1}) {
		t.Errorf("ZUNION find_keys = %+v", got)
	}
	sort := src.Commands["SORT"]
	if got := sort.KeySpecs[1]; !cmp.Equal(got, spec.KeySpec{Flags: []string{"ACCESS", "INCOMPLETE", "RO"}, BeginSearch: spec.BeginSearch{Type: "unknown"}, FindKeys: spec.FindKeys{Type: "unknown"}}) {
		t.Errorf("SORT key spec 1 = %+v", got)
	}
	if got := sort.Arguments[1]; got.Type != "pattern" || got.KeySpecIndex != 1 || got.Display != "pattern" {
		t.Errorf("SORT by-pattern = %+v", got)
	}
	if got := src.Commands["MIGRATE"].Arguments[0].Arguments[1]; got.Token != `""` {
		t.Errorf("MIGRATE empty-string token = %q, want %q", got.Token, `""`)
	}

	// The redis/docs rendering of a RediSearch expression: a block of
	// childless blocks becomes one string.
	apply := src.Commands["FT.AGGREGATE"].Arguments[1]
	wantApply := &spec.Argument{Name: "apply", Type: "block", Optional: true, Multiple: true, KeySpecIndex: -1, Arguments: []*spec.Argument{
		{Name: "expression", Type: "string", Token: "APPLY", KeySpecIndex: -1},
		{Name: "name", Type: "string", Token: "AS", KeySpecIndex: -1},
	}}
	if diff := cmp.Diff(wantApply, apply); diff != "" {
		t.Errorf("FT.AGGREGATE apply (-want +got):\n%s", diff)
	}
}

func TestModulesAndGroups(t *testing.T) {
	s := mustMerge(t, readFixture(t, "module.json"), readFixture(t, "published.json"))
	for _, tc := range []struct{ name, module, group string }{
		{"BF.ADD", "bf", "bf"},
		{"CF.ADD", "bf", "cf"},
		{"JSON.GET", "json", "json"},
		{"JSON.DEBUG HELP", "json", "json"},
		{"VCARD", "vectorset", "vectorset"},
		{"FT.SUGADD", "search", "search"},
		{"FT.CONFIG GET", "search", "search"},
		{"FT.CURSOR READ", "search", "search"},
		{"SET", "", "string"},
	} {
		c := s.Lookup(tc.name)
		if c == nil {
			t.Errorf("%s missing", tc.name)
			continue
		}
		if c.Module != tc.module || c.Group != tc.group {
			t.Errorf("%s: module %q group %q, want %q %q", tc.name, c.Module, c.Group, tc.module, tc.group)
		}
	}
	if got := s.Lookup("FT.CONFIG GET").Tips; got == nil || !got.DontCache {
		t.Errorf("FT.CONFIG GET tips = %+v", got)
	}
	if got := s.Lookup("FT.CURSOR READ").Tips; got == nil || got.RequestPolicy != "special" {
		t.Errorf("FT.CURSOR READ tips = %+v", got)
	}
}

func TestModuleFileArguments(t *testing.T) {
	src := readFixture(t, "module.json")
	want := []*spec.Argument{
		arg("index", "string"),
		{Name: "apply", Type: "block", Optional: true, Multiple: true, KeySpecIndex: -1, Arguments: []*spec.Argument{
			{Name: "expression", Type: "string", Token: "APPLY", KeySpecIndex: -1},
			{Name: "name", Type: "string", Token: "AS", KeySpecIndex: -1},
		}},
		{Name: "filter", Type: "string", Token: "FILTER", Optional: true, KeySpecIndex: -1},
		{Name: "withcursor", Type: "block", Optional: true, KeySpecIndex: -1, Arguments: []*spec.Argument{
			{Name: "withcursor", Type: "pure-token", Token: "WITHCURSOR", KeySpecIndex: -1},
			{Name: "count", Type: "integer", Token: "COUNT", Optional: true, KeySpecIndex: -1},
		}},
	}
	c := src.Commands["FT.AGGREGATE"]
	if diff := cmp.Diff(want, c.Arguments); diff != "" {
		t.Errorf("FT.AGGREGATE arguments (-want +got):\n%s", diff)
	}
	if c.Arity != 0 || c.Flags != nil || c.KeySpecs != nil {
		t.Errorf("module file gave arity %d flags %v key specs %v", c.Arity, c.Flags, c.KeySpecs)
	}
	if !cmp.Equal(c.History, []string{"2.0.0"}) {
		t.Errorf("history = %v", c.History)
	}
}

func TestSourceCommand(t *testing.T) {
	src := readFixture(t, "source.json")
	cg := src.Commands["CONFIG GET"]
	want := &spec.Command{
		Name:          "CONFIG GET",
		Container:     "CONFIG",
		Group:         "server",
		Since:         "2.0.0",
		Complexity:    "O(N)",
		Arity:         -3,
		Flags:         []string{"admin", "loading", "noscript", "stale"},
		ACLCategories: []string{"admin", "dangerous", "slow"},
		Tips:          &spec.Tips{RequestPolicy: "all_nodes", ResponsePolicy: "all_succeeded"},
		Arguments: []*spec.Argument{
			{Name: "parameter", Type: "string", Display: "parameter-name", Multiple: true, KeySpecIndex: -1},
		},
		Reply:   &spec.Schema{Type: "object", AdditionalProperties: &spec.Schema{Type: "string"}},
		Sources: []string{"source.json"},
	}
	if diff := cmp.Diff(want, cg); diff != "" {
		t.Errorf("CONFIG GET (-want +got):\n%s", diff)
	}

	set := src.Commands["SET"]
	if !cmp.Equal(set.ACLCategories, []string{"slow", "string", "write"}) || !cmp.Equal(set.Flags, []string{"denyoom", "write"}) {
		t.Errorf("SET: categories %v flags %v", set.ACLCategories, set.Flags)
	}
	wantReply := &spec.Schema{AnyOf: []*spec.Schema{{Type: "null"}, {Const: `"OK"`}, {Type: "string"}}}
	if diff := cmp.Diff(wantReply, set.Reply); diff != "" {
		t.Errorf("SET reply (-want +got):\n%s", diff)
	}

	zu := src.Commands["ZUNION"]
	if !cmp.Equal(zu.Flags, []string{"movablekeys", "readonly"}) || !cmp.Equal(zu.ACLCategories, []string{"read", "slow", "sortedset"}) {
		t.Errorf("ZUNION: flags %v categories %v", zu.Flags, zu.ACLCategories)
	}
	two := 2
	wantZU := &spec.Schema{AnyOf: []*spec.Schema{
		{Type: "array", UniqueItems: true, Items: &spec.Schema{Type: "string"}},
		{Type: "array", UniqueItems: true, Items: &spec.Schema{
			Type: "array", MinItems: 2, MaxItems: &two,
			Tuple: []*spec.Schema{{Type: "string"}, {Type: "number"}},
		}},
	}}
	if diff := cmp.Diff(wantZU, zu.Reply); diff != "" {
		t.Errorf("ZUNION reply (-want +got):\n%s", diff)
	}

	if got := src.Commands["ZADD"]; got.Group != "sorted-set" || *got.Reply.OneOf[0].Minimum != 0 {
		t.Errorf("ZADD: group %q reply %+v", got.Group, got.Reply)
	}
	xr := src.Commands["XREAD"]
	pp := xr.Reply.OneOf[0].PatternProperties
	if len(pp) != 1 || pp[0].Name != "^.*$" || !xr.Reply.OneOf[0].NoAdditionalProperties ||
		pp[0].Schema.Items.Tuple[0].Pattern != "[0-9]+-[0-9]+" || pp[0].Schema.Items.AdditionalItems.Type != "integer" {
		t.Errorf("XREAD reply = %+v", xr.Reply.OneOf[0])
	}
	if !cmp.Equal(xr.Flags, []string{"blocking", "movablekeys", "readonly"}) {
		t.Errorf("XREAD flags = %v", xr.Flags)
	}

	sim := src.Commands["SENTINEL SIMULATE-FAILURE"]
	if got := sim.Arguments[0].Arguments; got[0].Token != "CRASH-AFTER-ELECTION" || got[1].Token != "HELP" {
		t.Errorf("SENTINEL SIMULATE-FAILURE tokens = %q %q", got[0].Token, got[1].Token)
	}
	if !cmp.Equal(sim.Flags, []string{"admin", "only_sentinel", "sentinel"}) || sim.Group != "sentinel" {
		t.Errorf("SENTINEL SIMULATE-FAILURE: flags %v group %q", sim.Flags, sim.Group)
	}
}

func TestSchemaKeepsPropertyOrder(t *testing.T) {
	src := readFixture(t, "source.json")
	docs := src.Commands["COMMAND DOCS"].Reply
	if !docs.NoAdditionalProperties || len(docs.PatternProperties) != 1 {
		t.Fatalf("COMMAND DOCS reply = %+v", docs)
	}
	inner := docs.PatternProperties[0].Schema
	var names []string
	for _, p := range inner.Properties {
		names = append(names, p.Name)
	}
	if want := []string{"zeta", "alpha", "mid", "subcommands"}; !cmp.Equal(names, want) {
		t.Errorf("property order = %v, want %v", names, want)
	}
	if got := inner.Properties[1].Schema.Const; got != "1" {
		t.Errorf("const = %q, want 1", got)
	}
	if got := inner.Properties[3].Schema; got.Ref != "#" {
		t.Errorf("$ref = %+v", got)
	}
	// The order also survives writing and loading.
	s := mustMerge(t, src)
	dir := t.TempDir()
	if err := s.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	loaded, err := spec.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s, loaded); diff != "" {
		t.Errorf("round trip (-merged +loaded):\n%s", diff)
	}
	if loaded.Lookup("COMMAND DOCS").Reply.PatternProperties[0].Schema.Properties[0].Name != "zeta" {
		t.Errorf("order lost on disk")
	}
}

func TestMergePrecedence(t *testing.T) {
	module, published := readFixture(t, "module.json"), readFixture(t, "published.json")
	s := mustMerge(t, module, published)
	bf := s.Lookup("BF.ADD")
	// published is later: its since, complexity, arity and arguments win;
	// deprecated_since, which only the module file gives, stays.
	if bf.Since != "1.0.0" || bf.Complexity != "O(k)" || bf.Arity != 3 || bf.DeprecatedSince != "9.9.9" {
		t.Errorf("BF.ADD = since %q complexity %q arity %d deprecated %q", bf.Since, bf.Complexity, bf.Arity, bf.DeprecatedSince)
	}
	if bf.Arguments[0].KeySpecIndex != 0 || len(bf.KeySpecs) != 1 {
		t.Errorf("BF.ADD arguments/key specs from the wrong source: %+v %+v", bf.Arguments[0], bf.KeySpecs)
	}
	if !cmp.Equal(bf.Sources, []string{"module.json", "published.json"}) {
		t.Errorf("BF.ADD sources = %v", bf.Sources)
	}
	// Only the module file has JSON.DEBUG HELP; nothing gives its arity.
	if h := s.Lookup("JSON.DEBUG HELP"); h == nil || h.Arity != 0 || !cmp.Equal(h.Sources, []string{"module.json"}) {
		t.Errorf("JSON.DEBUG HELP = %+v", h)
	}

	// The other way round the module file's arguments win, and they do not
	// fit the published key specs: the cross check names both sources.
	_, err := Merge(published, module)
	wantErr := "merge: command BF.ADD: arguments[0].key_spec_index: missing for a key argument (arguments from module.json, 1 key specs from published.json)"
	if err == nil || err.Error() != wantErr {
		t.Errorf("Merge(published, module) error = %v, want %s", err, wantErr)
	}

	// The reply schema comes from the last source that has one, whatever
	// comes after it.
	source := readFixture(t, "source.json")
	s = mustMerge(t, source, published)
	set := s.Lookup("SET")
	if set.Reply == nil || len(set.Reply.AnyOf) != 3 {
		t.Errorf("SET reply = %+v", set.Reply)
	}
	if len(set.Arguments) != 4 || set.Arguments[2].Arguments[1].Token != "IFEQ" || !cmp.Equal(set.History, []string{"2.6.12", "8.4.0"}) {
		t.Errorf("SET arguments/history not from the later source")
	}

	// A later source that gives a field empty clears it.
	clear, err := ParsePublished("clear.json", []byte(`{"SET": {"group": "string", "command_flags": [], "hints": []}}`))
	if err != nil {
		t.Fatal(err)
	}
	s = mustMerge(t, source, published, clear)
	if set := s.Lookup("SET"); set.Flags != nil || set.Tips != nil || set.Arity != -3 {
		t.Errorf("SET after clear: flags %v tips %+v arity %d", set.Flags, set.Tips, set.Arity)
	}

	// Hand-built sources: every non-empty field counts as given.
	a := &Source{Name: "a", Commands: map[string]*spec.Command{
		"PING": {Name: "PING", Group: "connection", Since: "1.0.0", Arity: -1, Flags: []string{"fast"}, Reply: &spec.Schema{Const: `"PONG"`}},
	}}
	b := &Source{Name: "b", Commands: map[string]*spec.Command{
		"PING": {Name: "PING", Since: "2.0.0"},
	}}
	s = mustMerge(t, a, b)
	want := &spec.Command{Name: "PING", Group: "connection", Since: "2.0.0", Arity: -1, Flags: []string{"fast"},
		Reply: &spec.Schema{Const: `"PONG"`}, Sources: []string{"a", "b"}}
	if diff := cmp.Diff(want, s.Lookup("PING")); diff != "" {
		t.Errorf("PING (-want +got):\n%s", diff)
	}
	// Merge does not change its inputs.
	if a.Commands["PING"].Since != "1.0.0" || a.Commands["PING"].Sources != nil {
		t.Errorf("Merge changed its input: %+v", a.Commands["PING"])
	}
}

func TestDeterministic(t *testing.T) {
	render := func() map[string][]byte {
		var sources []*Source
		for _, f := range []string{"source.json", "module.json", "published.json"} {
			sources = append(sources, readFixture(t, f))
		}
		files, err := mustMerge(t, sources...).Marshal()
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	first := render()
	for i := 0; i < 5; i++ {
		again := render()
		if len(again) != len(first) {
			t.Fatalf("run %d rendered %d files, first %d", i, len(again), len(first))
		}
		for name, b := range first {
			if !bytes.Equal(b, again[name]) {
				t.Fatalf("run %d: %s differs", i, name)
			}
		}
	}
	var names []string
	for n := range first {
		names = append(names, n)
	}
	sort.Strings(names)
	want := []string{"bf.json", "cf.json", "generic.json", "json.json", "search.json", "sentinel.json",
		"server.json", "sorted-set.json", "stream.json", "string.json", "vectorset.json"}
	if !cmp.Equal(names, want) {
		t.Errorf("group files = %v, want %v", names, want)
	}
}

func TestNoProse(t *testing.T) {
	var sources []*Source
	for _, f := range []string{"source.json", "module.json", "published.json"} {
		sources = append(sources, readFixture(t, f))
	}
	files, err := mustMerge(t, sources...).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		for _, prose := range []string{"Fixture", "fixture", "summary", "description", "notes", "display_text"} {
			if bytes.Contains(b, []byte(prose)) {
				t.Errorf("%s contains %q", name, prose)
			}
		}
	}
}

func TestComplexity(t *testing.T) {
	for in, want := range map[string]string{
		"O(1)":                          "O(1)",
		"O(log(N)) with N being things": "O(log(N))",
		"O(1) for each element added, so O(N) to add N elements": "O(1), O(N)",
		"O(N)+O(M*log(M)) where N is a count":                    "O(N)+O(M*log(M))",
		"O(K) + O(M*log(N)) where K is":                          "O(K) + O(M*log(N))",
		"O(1). The amortized time complexity is O(1) assuming":   "O(1)",
		"Depends on subcommand.":                                 "",
		"N/A":                                                    "",
		"IO(3) is not big-O, O(L + (N-K)log(N)) is":              "O(L + (N-K)log(N))",
		"O(N unbalanced":                                         "",
	} {
		if got := normComplexity(in); got != want {
			t.Errorf("normComplexity(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestReadTree reads a server's source tree (src/commands/*.json, one file
// per command) and gets what the merged source form of the same files
// gives; a directory without command files is an error naming it.
func TestReadTree(t *testing.T) {
	tree, err := ReadFile(filepath.Join("testdata", "tree"))
	if err != nil {
		t.Fatalf("ReadFile(testdata/tree): %v", err)
	}
	merged := readFixture(t, "source.json")
	if len(tree.Commands) != len(merged.Commands) {
		t.Fatalf("tree: %d commands, merged source form: %d", len(tree.Commands), len(merged.Commands))
	}
	for name, want := range merged.Commands {
		got, ok := tree.Commands[name]
		if !ok {
			t.Errorf("tree lacks %s", name)
			continue
		}
		if len(got.Sources) != 1 || got.Sources[0] != "tree" {
			t.Errorf("%s: Sources %q, want the tree's name", name, got.Sources)
		}
		w, g := *want, *got
		w.Sources, g.Sources = nil, nil
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("%s differs (-merged +tree):\n%s", name, diff)
		}
	}
	// The commands directory itself reads the same.
	if direct, err := ReadTree(filepath.Join("testdata", "tree", "src", "commands")); err != nil || len(direct.Commands) != len(tree.Commands) {
		t.Errorf("ReadTree(src/commands): %v, %d commands", err, len(direct.Commands))
	}
	if _, err := ReadTree(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no command files") {
		t.Errorf("ReadTree(empty dir) = %v, want an error saying there are no command files", err)
	}
}
