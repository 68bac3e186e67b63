// Package upstream reads Redis's upstream command specifications into the
// normalized spec (package spec).
//
// Three input forms are understood:
//
//   - the published form (redis-doc's commands.json and the redis/docs
//     data/commands_*.json files), read by ParsePublished;
//   - the source form (redis/redis src/commands/*.json, merged into one
//     object keyed by file base name), read by ParseSource;
//   - a live server's COMMAND DOCS and COMMAND INFO replies, read by
//     FromServer.
//
// ReadFile tells the two file forms apart by their content, and reads a
// directory as a server's source tree (ReadTree). Each input becomes a
// Source; Merge combines Sources in order, later ones overriding earlier
// ones field by field, and validates the result. MergeServer then records
// a second server's source tree (Valkey's) in the merged spec as a server
// of its own: per-server availability and versions of commands and
// arguments (servers.go).
//
// The normalized spec holds facts only. Summaries, descriptions, notes,
// argument summaries, history descriptions and schema descriptions are
// dropped; C function names are dropped. The rules:
//
//   - Names are upper case. A subcommand is named "CONTAINER SUB" and has
//     Container set (from "container" in the source form, from the space in
//     the key in the published form, from "container|sub" on a live server).
//     Container commands themselves are kept as commands.
//   - Flags and doc flags are lower case, sorted and without duplicates. ACL
//     categories are lower case without "@", sorted. The source form lists
//     only explicit categories and leaves out movablekeys; they are derived
//     as the server derives them (see deriveSourceFacts).
//   - Tips: request_policy:X and response_policy:X set the policies,
//     nondeterministic_output sets Nondeterministic to "output",
//     nondeterministic_output_order to "order" (unless "output"), dont_cache
//     sets DontCache. Any other tip, or an unknown policy, is an error.
//   - Key specs from every form become spec.KeySpec with upper-case sorted
//     flags (keyspecs.go).
//   - Argument trees are normalized as args.go describes.
//   - Module commands: Module is taken from the "module" field ("ReJSON"
//     becomes "json") or, when there is none, from the name prefix
//     (BF, CF, CMS, TOPK, TDIGEST: "bf"; FT, _FT, SEARCH: "search"; JSON:
//     "json"; TS, TIMESERIES: "timeseries"; another dotted prefix: itself in
//     lower case). Their Group always comes from the prefix: BF. "bf", CF.
//     "cf", CMS. "cms", TOPK. "topk", TDIGEST. "tdigest", FT. "search",
//     JSON. "json", TS. "timeseries"; commands without a known prefix (the
//     vector set commands, module "vectorset") take the module name. So the
//     published group "module" and the module files' own groups (such as
//     RediSearch's "suggestion") are replaced.
//   - Core groups are lower case with "_" as "-" ("sorted_set" is
//     "sorted-set").
//   - History keeps the versions only, in order. DeprecatedSince is kept;
//     ReplacedBy is kept with Markdown backticks removed.
//   - Reply schemas are converted as schema.go describes.
//
// A malformed or inconsistent input is rejected with an *Error that names
// the file, the command and the field.
package upstream

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/redkit-go/redkit/spec"
)

// Source is one parsed specification input.
type Source struct {
	// Name is the input's name: the file's base name, or what FromServer
	// was given. Merge records it in each command's Sources.
	Name string
	// Commands maps full command names ("CONFIG GET") to their normalized
	// facts.
	Commands map[string]*spec.Command

	// has records which facts the input gives for each command. A Source
	// built by hand has none; Merge then takes every non-empty field.
	has map[string]fieldSet
}

// ReadFile reads a specification file in either file form, telling them
// apart by content: in the source form every value of the first entry is an
// object (the command keyed by its name), in the published form the first
// entry is a command with string and number fields.
//
// A directory is read as a server's source tree: its src/commands (or the
// directory itself when it holds the command files) read by ReadTree.
func ReadFile(path string) (*Source, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return ReadTree(path)
	}
	name := filepath.Base(path)
	top, err := readObject(path)
	if err != nil {
		return nil, err
	}
	if len(top.keys) == 0 {
		return nil, &Error{File: name, Msg: "no commands"}
	}
	if isSourceForm(top) {
		return parseSource(name, top)
	}
	return parsePublished(name, top)
}

// readObject reads a JSON file whose top level is an object (of
// commands), with errors naming the file.
func readObject(path string) (*object, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	name := filepath.Base(path)
	tree, err := decodeJSON(data)
	if err != nil {
		return nil, &Error{File: name, Msg: err.Error()}
	}
	top, ok := asObject(tree, false)
	if !ok {
		return nil, &Error{File: name, Msg: "want an object of commands, got " + typeName(tree)}
	}
	return top, nil
}

func isSourceForm(top *object) bool {
	first, ok := asObject(top.vals[top.keys[0]], false)
	if !ok || len(first.keys) == 0 {
		return false
	}
	for _, k := range first.keys {
		if _, ok := asObject(first.vals[k], false); !ok {
			return false
		}
	}
	return true
}

// FromSpec turns a normalized spec (such as the repository's
// spec/commands) into a Source, so that other inputs can be merged over
// it. A live server's command table merged after it gives the server's
// exact arguments, flags and key specs, while the spec keeps the reply
// schemas the server does not publish.
func FromSpec(name string, s *spec.Spec) *Source {
	src := &Source{Name: name, Commands: make(map[string]*spec.Command, len(s.Commands))}
	for _, c := range s.Commands {
		src.Commands[c.Name] = c
	}
	return src
}

// ReadTree reads a server's own command files, in the source form with
// their reply schemas: dir is a Redis or Valkey source tree (its
// src/commands/*.json are read) or that commands directory itself. The
// files are merged in name order into one source named after dir, as the
// merged source form holds them (each file's object under its name).
func ReadTree(dir string) (*Source, error) {
	name := filepath.Base(filepath.Clean(dir))
	cmdDir := filepath.Join(dir, "src", "commands")
	if fi, err := os.Stat(cmdDir); err != nil || !fi.IsDir() {
		cmdDir = dir
	}
	files, err := filepath.Glob(filepath.Join(cmdDir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, &Error{File: name, Msg: "no command files (*.json) in " + cmdDir + " or its src/commands"}
	}
	sort.Strings(files)
	all := &object{vals: map[string]any{}}
	for _, f := range files {
		top, err := readObject(f)
		if err != nil {
			return nil, err
		}
		// The merged source form: each file's object under its stem, as
		// the server's own build merges them into commands.def.
		stem := strings.TrimSuffix(filepath.Base(f), ".json")
		all.keys = append(all.keys, stem)
		all.vals[stem] = top
	}
	if !isSourceForm(all) {
		return nil, &Error{File: name, Msg: "the command files are not in the source form (an object of commands keyed by name)"}
	}
	return parseSource(name, all)
}
