package gen

// This file is the generator's hand-maintained override table: data, not
// code paths. It covers what the published spec does not say or says in a
// form that makes a poor Go API: reply types for commands without a reply
// schema, reply shapes selected by options, Go names, parameter kinds,
// conditional flags, and the occasional argument tree.

import (
	"fmt"
	"strings"

	"github.com/redkit-go/redkit/spec"
)

// Override adjusts the plan of one command. Argument paths are the dotted
// spec names from the command ("expiration.ex").
type Override struct {
	// Args replaces the command's argument tree.
	Args []*spec.Argument
	// Reply replaces the reply type (a type expression, see parseType).
	Reply string
	// Variants are reply shapes selected by options; a later variant wins
	// over an earlier one when both apply.
	Variants []VariantOverride
	// Names maps argument paths to Go method names ("path#unit" names a
	// unit type).
	Names map[string]string
	// ArgKinds maps argument paths to parameter kinds.
	ArgKinds map[string]GoKind
	// Counts marks (true) or unmarks (false) integer arguments as counts
	// computed from the repeated argument that follows.
	Counts map[string]bool
	// OptionFlags maps argument paths to transport flags set when that
	// option is chosen.
	OptionFlags map[string][]string
	// Replaces maps the path of an option to the path of an argument whose
	// value the option's value takes the place of (RESTORE's ABSTTL makes
	// the ttl argument a Unix time): the option sends its token at its own
	// position and its value at the other argument's.
	Replaces map[string]string
	// Flags are added to, NoFlags removed from, every instance's flags.
	Flags, NoFlags []string
	// Structs renames structs derived from the reply schema (old -> new).
	Structs map[string]string
	// Fields retype (and may rename) fields of structs derived from the
	// reply schema, by "Struct.key" (the struct's name after Structs): a
	// number the schema types as a plain integer that is a duration or a
	// time.
	Fields map[string]FieldOverride
	// Why justifies a generic reply (a type containing "any"); the planner
	// requires it, and `redkit spec stats` prints it.
	Why string
}

// FieldOverride is the Go type (a type expression) and, when Name is set,
// the Go name of one field of a struct derived from the reply schema.
type FieldOverride struct {
	Name string
	Type string
}

// VariantOverride is one option-selected reply shape.
type VariantOverride struct {
	Name     string
	Triggers []string // argument paths whose choice selects this shape
	Reply    string
}

func (o *Override) variantTriggers(name string) []string {
	for _, v := range o.Variants {
		if v.Name == name {
			return v.Triggers
		}
	}
	return nil
}

var emptyOverride = &Override{}

// The override data is split by area (core, Redis 8 commands, modules),
// each area in its own file; these lists join the areas' tables.
var (
	overrideTables    = []map[string]*Override{coreOverrides, redis8Overrides, searchOverrides, moduleOverrides}
	structTables      = []map[string]StructDef{structDefs, redis8Structs, searchStructs, moduleStructs}
	handwrittenTables = []map[string]bool{handwritten, redis8Handwritten, searchHandwritten, moduleHandwritten}
	tupleShapeTables  = []map[string]string{tupleShapes}
	enumNameTables    = []map[string]string{enumNames, redis8EnumNames, searchEnumNames, moduleEnumNames, optionEnumNames}
	tokenNameTables   = []map[string]string{tokenNames, redis8TokenNames, searchTokenNames, moduleTokenNames}
	funcNameTables    = []map[string]string{funcNames, redis8FuncNames, searchFuncNames, moduleFuncNames}
)

// lookupTable finds key in the first table that has it.
func lookupTable[V any](tables []map[string]V, key string) (V, bool) {
	for _, t := range tables {
		if v, ok := t[key]; ok {
			return v, true
		}
	}
	var zero V
	return zero, false
}

// allKeys returns the sorted keys of all tables.
func allKeys[V any](tables []map[string]V) []string {
	var out []string
	for _, t := range tables {
		out = append(out, sortedKeys(t)...)
	}
	return out
}

func overrideFor(tables []map[string]*Override, name string) *Override {
	for _, t := range tables {
		if o, ok := t[name]; ok {
			return o
		}
	}
	return emptyOverride
}

// checkOverrides rejects overrides for commands the spec does not have, and
// commands overridden twice.
// With lenient (a spec that is not the repository's, such as one imported
// from a live server), overrides for absent commands are ignored.
func checkOverrides(s *spec.Spec, tables []map[string]*Override, lenient bool) error {
	seen := map[string]bool{}
	for _, t := range tables {
		for _, name := range sortedKeys(t) {
			if s.Lookup(name) == nil && !lenient {
				return fmt.Errorf("gen: override for %s, which is not in the spec", name)
			}
			if seen[name] {
				return fmt.Errorf("gen: two overrides for %s", name)
			}
			seen[name] = true
		}
	}
	return nil
}

// FieldDef is one field of a struct in structDefs.
type FieldDef struct {
	Name string // Go name
	Key  string // reply key for map structs; empty for tuples
	Type string // type expression
}

// StructDef is a reply struct decoded from a map (by key) or, for tuples,
// from an array (by position).
type StructDef struct {
	Tuple  bool
	Fields []FieldDef
	// Min, for a tuple, is how many elements every server sends; the
	// others are newer servers' and may be missing (0: all are sent).
	Min int
}

// argTree builds override argument trees compactly. flags holds "?" for
// optional, "*" for multiple and "+" for a token repeated before each
// occurrence.
func argTree(name, typ, token, flags string, kids ...*spec.Argument) *spec.Argument {
	a := &spec.Argument{Name: name, Type: typ, Token: token, Arguments: kids, KeySpecIndex: -1}
	for _, f := range flags {
		switch f {
		case '?':
			a.Optional = true
		case '*':
			a.Multiple = true
		case '+':
			a.Multiple, a.MultipleToken = true, true
		}
	}
	if typ == spec.TypeKey {
		a.KeySpecIndex = 0
	}
	return a
}

// replaceArg returns the spec arguments of a command with the one named
// name replaced by repl. The spec is read when the planner runs, so the
// replacement is resolved lazily.
func replaceArg(cmd, name string, repl *spec.Argument) []*spec.Argument {
	return []*spec.Argument{{Name: replacePrefix + name, Type: spec.TypeBlock, Arguments: []*spec.Argument{repl}}}
}

// replacePrefix marks a lazy replacement made by replaceArg.
const replacePrefix = "\x00replace:"

// filtersOf returns, lazily like replaceArg, the children of the repeated
// choice at path (dotted argument names) as the command's arguments, each
// optional and given once: a list of filters that combine.
func filtersOf(path string) []*spec.Argument {
	return []*spec.Argument{{Name: filtersPrefix + path, Type: spec.TypeBlock}}
}

// filtersPrefix marks a lazy list of filters made by filtersOf.
const filtersPrefix = "\x00filters:"

// argAt finds the argument at a dotted path of names, or nil.
func argAt(args []*spec.Argument, path string) *spec.Argument {
	name, rest, more := strings.Cut(path, ".")
	for _, a := range args {
		if a.Name != name {
			continue
		}
		if !more {
			return a
		}
		return argAt(a.Arguments, rest)
	}
	return nil
}

// overrideArgs returns the argument tree the planner uses for c.
func overrideArgs(c *spec.Command, ov *Override) []*spec.Argument {
	if ov.Args == nil {
		return c.Arguments
	}
	if len(ov.Args) == 1 && strings.HasPrefix(ov.Args[0].Name, filtersPrefix) {
		path := strings.TrimPrefix(ov.Args[0].Name, filtersPrefix)
		choice := argAt(c.Arguments, path)
		if choice == nil {
			// The spec lacks the path: the planner then reports the
			// command's arguments as they are.
			return c.Arguments
		}
		out := make([]*spec.Argument, len(choice.Arguments))
		for i, a := range choice.Arguments {
			f := *a
			f.Optional, f.Multiple, f.MultipleToken = true, false, false
			out[i] = &f
		}
		return out
	}
	if len(ov.Args) == 1 && strings.HasPrefix(ov.Args[0].Name, replacePrefix) {
		name := strings.TrimPrefix(ov.Args[0].Name, replacePrefix)
		out := make([]*spec.Argument, len(c.Arguments))
		for i, a := range c.Arguments {
			out[i] = a
			if a.Name == name {
				out[i] = ov.Args[0].Arguments[0]
			}
		}
		return out
	}
	return ov.Args
}
