// Package gen is redkit's code generator. It reads the normalized command
// specification (package spec), decides every Go name, builder state and reply
// type once in a planning layer (plan*.go), and renders the typed command
// layer of package redisclient with one emitter per artifact (emit_*.go),
// using github.com/dave/jennifer.
package gen

// This file holds the plan model: what the emitters render, decided once.

import (
	"github.com/redkit-go/redkit/spec"
)

// Plan is the complete, decided output of the planning layer.
type Plan struct {
	Spec     *spec.Spec
	Commands []*Command
	// Groups are the output files, one per command group, sorted.
	Groups []*Group
	// Packages are the output packages, sorted by name.
	Packages []*Package
	// Enums are the token-choice types shared by commands, sorted by name.
	Enums []*Enum
	// Units are argument sub-builders (choices and repeated blocks).
	Units []*Builder
	// Types are the reply types, deduplicated, in a stable order.
	Types *typeSet
	// Skipped lists commands that get no builder, with the reason.
	Skipped []Skipped
}

// Skipped is a command of the spec that the plan leaves out.
type Skipped struct{ Name, Reason string }

// Group is one output file.
type Group struct {
	Name     string // spec group ("sorted-set")
	File     string // "sorted_set_gen.go"
	Pkg      *Package
	Commands []*Command
	Enums    []*Enum
	Units    []*Builder
}

// Command is the plan of one command.
type Command struct {
	Spec     *spec.Command
	Func     string   // Go constructor name ("ZRangeByScore")
	Words    []string // name words as sent ("CONFIG", "GET")
	Group    *Group
	Flags    []string // transport.Flag* names set on every instance
	Request  string   // transport.Request* name
	Response string   // transport.Response* name
	Builder  *Builder
	Variants []*Variant
	// Base is the reply type without any reply-changing option.
	Base *Variant
	// GenericWhy justifies a reply shape holding generic values.
	GenericWhy string
	// Options is the run-time form of the optional arguments
	// (plan_options.go); nil when the root state offers none.
	Options *OptionSet
}

// Variant is one reply shape of a command.
type Variant struct {
	Name  string // "" for the base shape
	Reply *Type
	// Rank orders variants when several options apply: the highest wins.
	Rank int
}

// Builder is a family of Go value types that accumulate arguments in a
// typestate machine: each state type offers only the methods that are still
// valid. Commands have one Builder; so do units (sub-builders passed as one
// argument, such as a choice between FROMMEMBER and FROMLONLAT).
type Builder struct {
	// Name is the root state's type name ("SetCmd", "GeoSearchFrom").
	Name string
	// Command is set for command builders.
	Command *Command
	// Unit is set for unit builders: the interface all its states satisfy.
	Unit  *UnitInfo
	Ctors []*Ctor
	// States are all state types, the root first.
	States []*State
	// Pos is the wire position of the unit within its parent.
	root *node
}

// UnitInfo describes a unit builder.
type UnitInfo struct {
	// Iface is the exported interface type that every state satisfies and
	// that parent builders accept ("FTCreateSchemaField").
	Iface string
	// Marker is the unexported method that marks the interface.
	Marker string
	Group  *Group
	sig    string // structural signature, for sharing identical units
}

// Ctor is a constructor function of a builder.
type Ctor struct {
	Name       string
	TypeParams []*Param // generic string-or-bytes parameters (Name, Type "String")
	Params     []*Param
	Ops        []Op
	Next       *State
	Doc        []string
}

// State is one Go type of a builder.
type State struct {
	Type    string
	Variant *Variant
	Methods []*Method
	Doc     []string
	after   *node // planning only: the node chosen last
	// chosen are, for planning only, the options chosen so far that the
	// command's option rules name (plan_rules.go).
	chosen []*node
}

// Method is a chained method of a state.
type Method struct {
	Name   string
	Params []*Param
	Ops    []Op
	Next   *State
	Doc    string
	// Meaning says what the option does (optionMeanings), Since the
	// version that added it when newer than the command, and Excludes the
	// options it rules out.
	Meaning  string
	Since    string
	Excludes []string
	// Servers are the per-server versions of the option when the spec
	// gives them (spec.Argument.Servers, of the node or the nearest group
	// holding it), and Only the one server that has it ("" when both do):
	// the method then narrows the command to that server (Builder.Only),
	// naming the option OnlyWhat.
	Servers  map[string]string
	Only     string
	OnlyWhat string
	// Repeat marks methods that may be called again (the state is kept).
	Repeat bool
}

// Param is a Go parameter of a constructor or method.
type Param struct {
	Name     string
	Type     GoType
	Variadic bool
	// Generic names the type parameter (for string-or-bytes values).
	Generic string
}

// GoKind is how a parameter is typed and encoded.
type GoKind int

// Parameter kinds.
const (
	KindKey         GoKind = iota // string, encoded as a key
	KindString                    // string (or a generic string-or-bytes)
	KindInt                       // int64
	KindFloat                     // float64
	KindDurationS                 // time.Duration sent as whole seconds, rounded up
	KindDurationMs                // time.Duration sent as whole milliseconds, rounded up
	KindDurationSec               // time.Duration sent as fractional seconds
	KindTimeS                     // time.Time sent as Unix seconds, rounded up
	KindTimeMs                    // time.Time sent as Unix milliseconds, rounded up
	KindEnum                      // an Enum
	KindUnit                      // a unit builder's interface
	KindKeyPattern                // string: a key-name pattern, prefixed like keys (SORT BY/GET)
	KindValue                     // any: a value (later pairs of repeated blocks), checked when built
	KindPairs                     // any: a whole list of pairs (a map, a tagged struct, a slice)
	KindRouteKey                  // string whose hash slot routes the command on a cluster, never key-prefixed (CLUSTERSCAN's cursor)
)

// GoType is a parameter's type.
type GoType struct {
	Kind  GoKind
	Enum  *Enum
	Unit  *Builder
	Slice bool // []T (non-variadic repeated value)
	// Pairs is the runtime's pair kind of a KindPairs list
	// ("pairsFieldValue", "pairsKeyValue", "pairsScoreMember").
	Pairs string
}

// OpKind is one encoding step.
type OpKind int

// Encoding steps.
const (
	OpToken   OpKind = iota // append a literal
	OpValue                 // append a parameter's value
	OpEach                  // append every element of a repeated parameter (Token before each when set)
	OpCount                 // append a count computed when the command is finalized
	OpFlag                  // set extra command flags
	OpSwap                  // drop the arguments at Pos and append a parameter's value there instead
	OpOnly                  // narrow the command to one server (Token names the option, Server the server); with Param, only when the enum parameter's value is one of Values
	OpRequire               // require at least one argument at Pos (a required repeated group that only a method adds; Token names it)
)

// Op is one step of encoding, at a wire position.
type Op struct {
	Kind  OpKind
	Pos   int
	Token string
	Param *Param
	// CountOf is the wire position whose arguments OpCount counts, and
	// CountPer how many arguments make one counted item.
	CountOf, CountPer int
	// Flags are transport.Flag* names for OpFlag.
	Flags []string
	// AltToken is set on an OpValue of a seconds-valued option (Token "EX"
	// or "EXAT") whose choice also offers the millisecond form: a value that
	// is not a whole number of seconds is sent after AltToken ("PX",
	// "PXAT") in milliseconds instead.
	AltToken string
	// Replaced names the argument whose value an OpSwap replaces.
	Replaced string
	// Server is the spec's server name (spec.ServerValkey) of an OpOnly,
	// and Values the tokens of its enum parameter that only Server has.
	Server string
	Values []string
}

// withOnly returns ops with an OpOnly for server first, naming what, unless
// ops already narrow to that server without a condition; server "" leaves
// ops as they are.
func withOnly(ops []Op, what, server string) []Op {
	if server == "" {
		return ops
	}
	for _, op := range ops {
		if op.Kind == OpOnly && op.Param == nil && op.Server == server {
			return ops
		}
	}
	return append([]Op{{Kind: OpOnly, Token: what, Server: server}}, ops...)
}

// Enum is a closed set of tokens chosen by one parameter.
type Enum struct {
	Name   string
	Tokens []string
	Consts []string // Go constant names, parallel to Tokens
	// Servers are the per-server versions of each token that the spec
	// gives (spec.Argument.Servers; nil for most), parallel to Tokens.
	Servers []map[string]string
	Group   *Group
	sig     string
}
