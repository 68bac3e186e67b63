// Package spec is the data layer of redkit: the normalized Redis command
// specification that the generator reads, and the Go types that load it.
//
// The files under spec/commands are produced by `redkit spec import` from
// Redis's published command specifications and source tree, with Valkey's
// source tree recorded as a second server (or from a live server). They
// hold facts only: names, arity, argument trees, key specs, flags, ACL
// categories, command tips, versions, complexity, deprecation, the reply
// schema with descriptions removed, and on which servers (Redis, Valkey)
// each command and one-server argument exists since which version
// (Command.Servers, Argument.Servers; a spec without them loads as before,
// every command then taken to exist on any server). This package never
// imports the generator's code generation library; it is plain data and
// loading.
package spec

import (
	"fmt"
	"strings"
)

// Argument types, as used in Argument.Type.
const (
	TypeKey       = "key"
	TypeString    = "string"
	TypeInteger   = "integer"
	TypeDouble    = "double"
	TypeUnixTime  = "unix-time"
	TypePattern   = "pattern"
	TypePureToken = "pure-token"
	TypeOneOf     = "oneof"
	TypeBlock     = "block"
)

// Command flags, as used in Command.Flags (lowercase, as published).
const (
	FlagReadOnly        = "readonly"
	FlagWrite           = "write"
	FlagDenyOOM         = "denyoom"
	FlagAdmin           = "admin"
	FlagPubSub          = "pubsub"
	FlagNoScript        = "noscript"
	FlagBlocking        = "blocking"
	FlagLoading         = "loading"
	FlagStale           = "stale"
	FlagSkipMonitor     = "skip_monitor"
	FlagSkipSlowlog     = "skip_slowlog"
	FlagAsking          = "asking"
	FlagFast            = "fast"
	FlagNoAuth          = "no_auth"
	FlagMayReplicate    = "may_replicate"
	FlagNoMandatoryKeys = "no_mandatory_keys"
	FlagNoAsyncLoading  = "no_async_loading"
	FlagNoMulti         = "no_multi"
	FlagMovableKeys     = "movablekeys"
	FlagAllowBusy       = "allow_busy"
	FlagModule          = "module"
)

// Server names, as the keys of Command.Servers and Argument.Servers (and as
// HELLO's "server" field names them).
const (
	ServerRedis  = "redis"
	ServerValkey = "valkey"
)

// KnownServers lists the server names a spec may use, in display order.
var KnownServers = []string{ServerRedis, ServerValkey}

// ServerTitle is how documentation names a server ("Redis", "Valkey").
func ServerTitle(server string) string {
	switch server {
	case ServerRedis:
		return "Redis"
	case ServerValkey:
		return "Valkey"
	}
	return server
}

// Spec is a whole command specification: every command and subcommand.
type Spec struct {
	// Commands is sorted by Name.
	Commands []*Command
}

// IsContainer reports whether name is the container of other commands in the
// spec (such as CONFIG), which is sent only through its subcommands.
func (s *Spec) IsContainer(name string) bool {
	for _, c := range s.Commands {
		if c.Container == name {
			return true
		}
	}
	return false
}

// Lookup returns the command with the given full name ("SET", "CONFIG GET"),
// or nil. Names are compared case-sensitively in their canonical upper case.
func (s *Spec) Lookup(name string) *Command {
	for _, c := range s.Commands {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Command is one command or subcommand.
type Command struct {
	// Name is the full canonical name in upper case: "SET", "CONFIG GET",
	// "FT.SEARCH".
	Name string `json:"name"`
	// Container is the parent command of a subcommand ("CONFIG" for
	// "CONFIG GET"); empty for top-level commands.
	Container string `json:"container,omitempty"`
	// Module names the module that provides the command ("search", "json",
	// "timeseries", "bf", "vectorset", ...); empty for core commands.
	Module string `json:"module,omitempty"`
	// Group is the command group ("string", "sorted-set", "search", ...).
	Group string `json:"group"`
	// Since is the first server (or module) version with the command: the
	// Redis version (a module's own version for module commands) when
	// Redis has the command, else the version of the only server that
	// has it. Servers gives the version per server.
	Since string `json:"since,omitempty"`
	// Servers says on which servers the command exists, each with the
	// first version that has it there ("" when the server's version is not
	// known, as for a module's command, whose Since is the module's own
	// version). Valkey forked from Redis 7.2.4: a command it inherited
	// exists since Valkey 7.2.0, whatever Redis version Since names. Nil
	// when the spec does not say (a spec imported from one server only):
	// the command is then taken to exist on any server.
	Servers map[string]string `json:"servers,omitempty"`
	// Complexity is the time complexity as published ("O(1)").
	Complexity string `json:"complexity,omitempty"`
	// Arity is the argument count including the command name; negative
	// means "at least -Arity".
	Arity int `json:"arity"`
	// Flags are the command flags in lower case, sorted ("readonly",
	// "write", "blocking", ...).
	Flags []string `json:"flags,omitempty"`
	// ACLCategories are the ACL categories without the leading "@", sorted.
	ACLCategories []string `json:"acl_categories,omitempty"`
	// Tips are the command tips (routing and response policies).
	Tips *Tips `json:"tips,omitempty"`
	// DocFlags are documentation flags ("deprecated", "syscmd").
	DocFlags []string `json:"doc_flags,omitempty"`
	// DeprecatedSince is the version that deprecated the command.
	DeprecatedSince string `json:"deprecated_since,omitempty"`
	// ReplacedBy names what replaces a deprecated command.
	ReplacedBy string `json:"replaced_by,omitempty"`
	// History lists the versions in which the command changed.
	History []string `json:"history,omitempty"`
	// KeySpecs locate the key arguments.
	KeySpecs []KeySpec `json:"key_specs,omitempty"`
	// Arguments is the argument tree, in wire order.
	Arguments []*Argument `json:"arguments,omitempty"`
	// Reply is the reply schema (JSON Schema without descriptions), or nil
	// when no source gives one.
	Reply *Schema `json:"reply,omitempty"`
	// Sources names the specification files the facts came from.
	Sources []string `json:"sources,omitempty"`
}

// HasFlag reports whether the command has the given flag.
func (c *Command) HasFlag(flag string) bool {
	for _, f := range c.Flags {
		if f == flag {
			return true
		}
	}
	return false
}

// On reports whether the command exists on server (true when Servers is
// nil: the spec does not say).
func (c *Command) On(server string) bool {
	if c.Servers == nil {
		return true
	}
	_, ok := c.Servers[server]
	return ok
}

// OnlyOn returns the one server that has the command when Servers names
// exactly one, else "".
func (c *Command) OnlyOn() string { return onlyOn(c.Servers) }

// ServerNames returns the servers of Servers in KnownServers order.
func (c *Command) ServerNames() []string { return serverNames(c.Servers) }

func onlyOn(servers map[string]string) string {
	if len(servers) != 1 {
		return ""
	}
	for s := range servers {
		return s
	}
	return ""
}

func serverNames(servers map[string]string) []string {
	var out []string
	for _, s := range KnownServers {
		if _, ok := servers[s]; ok {
			out = append(out, s)
		}
	}
	return out
}

// Words returns the words of the command's name: ["CONFIG", "GET"].
func (c *Command) Words() []string { return strings.Fields(c.Name) }

// Tips are the command tips from the specification.
type Tips struct {
	// RequestPolicy is how a cluster client routes the command when it has
	// no key: "all_nodes", "all_shards", "multi_shard", "special".
	RequestPolicy string `json:"request_policy,omitempty"`
	// ResponsePolicy is how replies from several nodes combine:
	// "one_succeeded", "all_succeeded", "agg_logical_and", "agg_logical_or",
	// "agg_min", "agg_max", "agg_sum", "special".
	ResponsePolicy string `json:"response_policy,omitempty"`
	// Nondeterministic is "output" when the reply may differ between runs
	// with the same data, "order" when only the order of elements may.
	Nondeterministic string `json:"nondeterministic,omitempty"`
	// DontCache marks a read-only command whose reply must not be cached on
	// the client.
	DontCache bool `json:"dont_cache,omitempty"`
}

// Argument is one node of a command's argument tree.
type Argument struct {
	// Name is the argument's name in the specification ("key", "condition").
	Name string `json:"name"`
	// Type is one of the Type* constants.
	Type string `json:"type"`
	// Display is the placeholder shown in the syntax line, when it differs
	// from Name.
	Display string `json:"display,omitempty"`
	// Token is the literal that precedes the value on the wire ("EX"), or
	// the literal itself for pure tokens.
	Token string `json:"token,omitempty"`
	// Optional arguments may be left out.
	Optional bool `json:"optional,omitempty"`
	// Multiple arguments may repeat.
	Multiple bool `json:"multiple,omitempty"`
	// MultipleToken means the token repeats before every repetition.
	MultipleToken bool `json:"multiple_token,omitempty"`
	// KeySpecIndex is the index into Command.KeySpecs for key arguments;
	// -1 when the argument is not a key.
	KeySpecIndex int `json:"key_spec_index"`
	// Since is the version that added the argument.
	Since string `json:"since,omitempty"`
	// DeprecatedSince is the version that deprecated the argument.
	DeprecatedSince string `json:"deprecated_since,omitempty"`
	// Servers, when set, says on which of the command's servers the
	// argument exists, each with the version that added it there: an
	// argument only one server has ({"valkey": "9.0.0"} for HSETEX's NX),
	// or one that a server added later than the command ({"redis":
	// "8.4.0", "valkey": "8.1.0"} for SET's IFEQ). Since stays Redis's
	// version and is empty for an argument Redis lacks. Nil means the
	// argument exists wherever the command does.
	Servers map[string]string `json:"servers,omitempty"`
	// Arguments are the children of a oneof or block.
	Arguments []*Argument `json:"arguments,omitempty"`
}

// OnlyOn returns the one server that has the argument when Servers names
// exactly one, else "".
func (a *Argument) OnlyOn() string { return onlyOn(a.Servers) }

// ServerNames returns the servers of Servers in KnownServers order.
func (a *Argument) ServerNames() []string { return serverNames(a.Servers) }

// Key spec flags, as used in KeySpec.Flags (upper case, as in Redis sources).
const (
	KeyRO            = "RO"
	KeyRW            = "RW"
	KeyOW            = "OW"
	KeyRM            = "RM"
	KeyAccess        = "ACCESS"
	KeyUpdate        = "UPDATE"
	KeyInsert        = "INSERT"
	KeyDelete        = "DELETE"
	KeyNotKey        = "NOT_KEY"
	KeyIncomplete    = "INCOMPLETE"
	KeyVariableFlags = "VARIABLE_FLAGS"
)

// KeySpec says where in the argument vector a command's keys are. Positions
// count the command name as 0 and each subcommand word as one more.
type KeySpec struct {
	// Flags are the key spec flags (KeyRO, KeyRW, ...), sorted.
	Flags []string `json:"flags,omitempty"`
	// BeginSearch finds the first key.
	BeginSearch BeginSearch `json:"begin_search"`
	// FindKeys finds the keys from the first one.
	FindKeys FindKeys `json:"find_keys"`
}

// Begin-search and find-keys kinds.
const (
	SearchIndex   = "index"
	SearchKeyword = "keyword"
	SearchUnknown = "unknown"
	FindRange     = "range"
	FindKeyNum    = "keynum"
	FindUnknown   = "unknown"
)

// BeginSearch is the first step of a key spec.
type BeginSearch struct {
	// Type is SearchIndex, SearchKeyword or SearchUnknown.
	Type string `json:"type"`
	// Index is the argument position of the first key (SearchIndex).
	Index int `json:"index,omitempty"`
	// Keyword is the literal after which keys start (SearchKeyword).
	Keyword string `json:"keyword,omitempty"`
	// StartFrom is where the keyword search starts; negative counts from
	// the end (SearchKeyword).
	StartFrom int `json:"start_from,omitempty"`
}

// FindKeys is the second step of a key spec.
type FindKeys struct {
	// Type is FindRange, FindKeyNum or FindUnknown.
	Type string `json:"type"`
	// LastKey is the last key relative to the first one; -1 means the last
	// argument, -2 the one before it (FindRange).
	LastKey int `json:"last_key,omitempty"`
	// KeyStep is the distance between keys (both kinds).
	KeyStep int `json:"key_step,omitempty"`
	// Limit, when LastKey is negative, divides the remaining arguments
	// (FindRange).
	Limit int `json:"limit,omitempty"`
	// KeyNumIndex is the position of the key count relative to the
	// begin-search result (FindKeyNum).
	KeyNumIndex int `json:"keynum_index,omitempty"`
	// FirstKey is the position of the first key relative to the begin-search
	// result (FindKeyNum).
	FirstKey int `json:"first_key,omitempty"`
}

// Schema is a reply schema: the subset of JSON Schema that Redis uses, with
// descriptions removed.
type Schema struct {
	// Type is "string", "integer", "number", "null", "array", "object" or
	// "boolean"; empty when the schema is a combinator or a const.
	Type string `json:"type,omitempty"`
	// Const is the only allowed value, as JSON text ("\"OK\"", "1").
	Const string `json:"const,omitempty"`
	// OneOf and AnyOf list alternatives.
	OneOf []*Schema `json:"one_of,omitempty"`
	AnyOf []*Schema `json:"any_of,omitempty"`
	// Items is the schema of every element of an array.
	Items *Schema `json:"items,omitempty"`
	// Tuple gives the schema of each leading element of an array.
	Tuple []*Schema `json:"tuple,omitempty"`
	// AdditionalItems is the schema of elements past Tuple.
	AdditionalItems *Schema `json:"additional_items,omitempty"`
	// MinItems and MaxItems bound an array's length; -1 when unbounded.
	MinItems int  `json:"min_items,omitempty"`
	MaxItems *int `json:"max_items,omitempty"`
	// UniqueItems marks arrays that hold no duplicates (sets in RESP3).
	UniqueItems bool `json:"unique_items,omitempty"`
	// Properties are the named fields of an object, in source order.
	Properties []Property `json:"properties,omitempty"`
	// PatternProperties map key patterns to value schemas.
	PatternProperties []Property `json:"pattern_properties,omitempty"`
	// AdditionalProperties is the schema of other keys of an object; nil
	// when none are described.
	AdditionalProperties *Schema `json:"additional_properties,omitempty"`
	// NoAdditionalProperties is set when the object allows no other keys.
	NoAdditionalProperties bool `json:"no_additional_properties,omitempty"`
	// Pattern constrains a string ("[0-9]+-[0-9]+").
	Pattern string `json:"pattern,omitempty"`
	// Minimum bounds an integer from below.
	Minimum *int64 `json:"minimum,omitempty"`
	// Ref is a JSON pointer to another schema ("#/..."), for recursive
	// replies.
	Ref string `json:"ref,omitempty"`
}

// Property is one named (or pattern-keyed) member of an object schema.
type Property struct {
	Name   string  `json:"name"`
	Schema *Schema `json:"schema"`
}

// Validate checks the internal consistency of the specification: unique
// names, known argument types, key spec indexes in range, containers that
// exist. The error names the command and the field.
func (s *Spec) Validate() error {
	seen := make(map[string]bool, len(s.Commands))
	for _, c := range s.Commands {
		if c.Name == "" {
			return fmt.Errorf("spec: a command has no name")
		}
		if seen[c.Name] {
			return fmt.Errorf("spec: command %s: name: duplicate", c.Name)
		}
		seen[c.Name] = true
		if c.Group == "" {
			return fmt.Errorf("spec: command %s: group: empty", c.Name)
		}
		for i, ks := range c.KeySpecs {
			if err := ks.validate(); err != nil {
				return fmt.Errorf("spec: command %s: key_specs[%d]: %w", c.Name, i, err)
			}
		}
		if err := validateServers(c.Servers, nil); err != nil {
			return fmt.Errorf("spec: command %s: servers: %w", c.Name, err)
		}
		if err := validateArgs(c, c.Arguments, "arguments"); err != nil {
			return err
		}
	}
	for _, c := range s.Commands {
		if c.Container != "" && !seen[c.Container] {
			return fmt.Errorf("spec: command %s: container: %s is not in the spec", c.Name, c.Container)
		}
	}
	return nil
}

func (ks KeySpec) validate() error {
	switch ks.BeginSearch.Type {
	case SearchIndex, SearchKeyword, SearchUnknown:
	default:
		return fmt.Errorf("begin_search.type: unknown %q", ks.BeginSearch.Type)
	}
	switch ks.FindKeys.Type {
	case FindRange, FindKeyNum, FindUnknown:
	default:
		return fmt.Errorf("find_keys.type: unknown %q", ks.FindKeys.Type)
	}
	return nil
}

func validateArgs(c *Command, args []*Argument, path string) error {
	for i, a := range args {
		p := fmt.Sprintf("%s[%d]", path, i)
		if a.Name == "" {
			return fmt.Errorf("spec: command %s: %s.name: empty", c.Name, p)
		}
		switch a.Type {
		case TypeKey, TypeString, TypeInteger, TypeDouble, TypeUnixTime, TypePattern:
			if len(a.Arguments) > 0 {
				return fmt.Errorf("spec: command %s: %s (%s).arguments: a %s has no children", c.Name, p, a.Name, a.Type)
			}
		case TypePureToken:
			if a.Token == "" {
				return fmt.Errorf("spec: command %s: %s (%s).token: a pure-token needs a token", c.Name, p, a.Name)
			}
		case TypeOneOf, TypeBlock:
			if len(a.Arguments) == 0 {
				return fmt.Errorf("spec: command %s: %s (%s).arguments: a %s needs children", c.Name, p, a.Name, a.Type)
			}
			if err := validateArgs(c, a.Arguments, p+"."+a.Name); err != nil {
				return err
			}
		default:
			return fmt.Errorf("spec: command %s: %s (%s).type: unknown %q", c.Name, p, a.Name, a.Type)
		}
		if err := validateServers(a.Servers, c.Servers); err != nil {
			return fmt.Errorf("spec: command %s: %s (%s).servers: %w", c.Name, p, a.Name, err)
		}
		if a.Type == TypeKey && (a.KeySpecIndex < 0 || a.KeySpecIndex >= len(c.KeySpecs)) && len(c.KeySpecs) > 0 {
			return fmt.Errorf("spec: command %s: %s (%s).key_spec_index: %d out of range (%d key specs)", c.Name, p, a.Name, a.KeySpecIndex, len(c.KeySpecs))
		}
	}
	return nil
}

// validateServers checks a Servers map: known names only, not empty when
// set, and (for an argument) only servers its command has.
func validateServers(servers, of map[string]string) error {
	if servers != nil && len(servers) == 0 {
		return fmt.Errorf("empty (leave it out for any server)")
	}
	for s := range servers {
		known := false
		for _, k := range KnownServers {
			known = known || s == k
		}
		if !known {
			return fmt.Errorf("unknown server %q (want one of %v)", s, KnownServers)
		}
		if of != nil {
			if _, ok := of[s]; !ok {
				return fmt.Errorf("%s, which the command is not on", s)
			}
		}
	}
	return nil
}

// VersionLess compares dotted versions ("6.2.0" < "7.2.0"); an empty one
// is the oldest.
func VersionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y int
		if i < len(pa) {
			fmt.Sscan(pa[i], &x)
		}
		if i < len(pb) {
			fmt.Sscan(pb[i], &y)
		}
		if x != y {
			return x < y
		}
	}
	return false
}
