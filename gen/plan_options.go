package gen

// This file is part of the planning layer: the run-time form of each
// command's optional arguments. The chained methods of a builder fix the
// options at compile time; an options struct (<Func>Options, taken by the
// root state's With method) sets them from values computed at run time,
// still typed, without a branch per combination:
//
//   - an optional pure token is a bool;
//   - a choice of pure tokens is an Enum ("" leaves it out);
//   - any other choice is a union value type of its own, made by one
//     constructor per alternative (SetExpirationEX(d)); its zero value
//     leaves it out;
//   - an optional value is an Opt[T] (Some(v)), or an any that is nil when
//     absent (values of any type, as chained methods take them);
//   - an optional repeated argument is a slice (empty: left out);
//   - an optional block is an Opt of a struct of its parts, or, when it
//     holds a single value, that value's optional form (LIMIT offset count
//     -> Opt[ZRangeLimit]; CAPACITY n -> Opt[int64]).
//
// Options whose choice changes the reply's shape are kept when one Go type
// covers every shape they can give (see coverType), or when their replies
// share one type that an adapter also reaches from the base reply: With
// then picks the decoder from the options' values (OptSwitch: WITHSCORES
// gives []ZMember, and its absence members with Score 0); the others are
// left out of the struct (they stay chained methods) and listed in its doc
// comment and in `redkit spec stats`. Combinations the server refuses and
// the types cannot rule out are checked when the command is built
// (optionRules in overrides_rules.go, the chains' rules too), as are
// empty required parts and invalid enum values.

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// OptionSet is the run-time options form of one command.
type OptionSet struct {
	// Struct is the <Func>Options type: one field per optional argument
	// that the root state offers (in spec order), minus the left-out ones.
	Struct *OptStruct
	// With describes what With returns, a generic redisclient.Cmd (or
	// CacheableCmd) of its Variant's reply, which covers every choice the
	// struct can make; its Type names the method ("SetCmd.With").
	With *State
	// Cover explains the reply when it differs from the base reply.
	Cover string
	// Structs and Unions are the types the fields use (Struct excluded).
	Structs []*OptStruct
	Unions  []*OptUnion
	// LeftOut lists the optional arguments that are not fields, and why.
	LeftOut []LeftOut
	// Rules are combinations refused when the command is built.
	Rules []*OptRule
	// Switch, when set, has With choose its reply's decoder from the
	// options' values: the variant's when any of its fields is set, an
	// adapter of the base reply otherwise.
	Switch *OptSwitch
}

// OptSwitch is a choice of decoder that With makes from the options'
// values (never from the reply): options whose variants all reply Reply,
// a type that also holds the base reply through an adapter (members only
// as []ZMember with Score 0: ZRANGE WITHSCORES).
type OptSwitch struct {
	Nodes   []*node
	Fields  []*OptField // the fields of Nodes, once planned
	Reply   *Type       // the variants' reply: With's
	Adapter *replyAdapter
}

// replyAdapter decodes a base reply as the type of the reply that options
// select (or, with FromVariant, that reply as the base reply's type), for
// OptSwitch.
type replyAdapter struct {
	// Func is the adapter's name: the runtime's when Runtime is set, else
	// hand-written in the command's package.
	Func    string
	Runtime bool
	// FromVariant is set when the base reply's type is the richer one:
	// the adapter decodes the options' reply (XCLAIM JUSTID's IDs as
	// []XMessage without fields).
	FromVariant bool
	// Holds says, by option token, what the reply holds when it is set;
	// Else what it holds when none is.
	Holds map[string]string
	Else  string
}

// replyAdapters are the adapters by the decoders of the base reply and of
// the options' reply.
var replyAdapters = map[[2]string]*replyAdapter{
	{"decodeSliceString", "decodeSliceZMember"}: {
		Func: "DecodeMembersAsZMembers", Runtime: true,
		Holds: map[string]string{"WITHSCORES": "each ZMember holds the member and its score"},
		Else:  "each ZMember holds the member, with Score 0",
	},
	{"decodeSliceString", "decodeSliceGeoLocation"}: {
		Func: "decodeMembersAsGeoLocations",
		Holds: map[string]string{
			"WITHDIST":  "each GeoLocation holds Dist",
			"WITHHASH":  "each GeoLocation holds Hash",
			"WITHCOORD": "each GeoLocation holds Longitude and Latitude",
		},
		Else: "each GeoLocation holds only Member (Dist, Hash, Longitude and Latitude are 0)",
	},
	{"decodeOptInt", "decodeNullRankScore"}: {
		Func:  "decodeRankAsRankScore",
		Holds: map[string]string{"WITHSCORE": "the RankScore holds the rank and the score (nil when the member is missing)"},
		Else:  "the RankScore holds the rank, with Score 0 (nil when the member is missing)",
	},
	{"decodeSliceString", "decodeSliceTopKItem"}: {
		Func:  "decodeItemsAsTopKItems",
		Holds: map[string]string{"WITHCOUNT": "each TopKItem holds the item and its count"},
		Else:  "each TopKItem holds the item, with Count 0",
	},
	{"decodeSliceXMessage", "decodeSliceString"}: {
		Func: "decodeIDsAsXMessages", FromVariant: true,
		Holds: map[string]string{"JUSTID": "each XMessage holds only ID (Fields is nil)"},
		Else:  "each XMessage holds its ID and fields",
	},
	{"decodeNullSliceXStream", "decodeNullSliceXClaimStream"}: {
		Func:  "decodeStreamsAsClaimStreams",
		Holds: map[string]string{"CLAIM": "each XClaimMessage holds the time since its last delivery and its delivery count (0 for an entry never delivered before)"},
		Else:  "each XClaimMessage holds its ID and fields, with Idle and Deliveries 0",
	},
	{"decodeXAutoClaimReply", "decodeXAutoClaimIDs"}: {
		Func: "decodeXAutoClaimIDsAsReply", FromVariant: true,
		Holds: map[string]string{"JUSTID": "each of Messages holds only ID (Fields is nil)"},
		Else:  "each of Messages holds its ID and fields",
	},
}

// switchable tells whether option n, whose variants are vs, can join the
// command's decoder switch: every variant replies one type that an
// adapter reaches from the base reply, no other kept option changes the
// reply (replies), and any switch so far has that type.
func (op *optPlanner) switchable(n *node, vs []*Variant, replies []*Type) bool {
	base := op.cmd.Base.Reply
	if c := coverType(replies); c == nil || c.DecoderName() != base.DecoderName() {
		return false
	}
	to := vs[0].Reply
	for _, v := range vs[1:] {
		if v.Reply.DecoderName() != to.DecoderName() {
			return false
		}
	}
	a := replyAdapters[[2]string{base.DecoderName(), to.DecoderName()}]
	if a == nil || a.Holds[n.a.Token] == "" {
		return false
	}
	if sw := op.set.Switch; sw != nil {
		if sw.Adapter != a {
			return false
		}
		sw.Nodes = append(sw.Nodes, n)
		return true
	}
	reply := to
	if a.FromVariant {
		reply = base
	}
	op.set.Switch = &OptSwitch{Nodes: []*node{n}, Reply: reply, Adapter: a}
	return true
}

// LeftOut is an optional argument without a field in the options struct.
type LeftOut struct {
	Syntax string // the argument as in the syntax line ("GET")
	Why    string
}

// FieldKind says how a field holds its value and tells that it is absent.
type FieldKind int

// Field kinds.
const (
	FieldBool    FieldKind = iota // bool: a pure token, sent when true
	FieldEnum                     // an Enum: "" leaves it out (an error when Required)
	FieldValue                    // Opt[T] (T when Required)
	FieldAny                      // any or a unit interface: nil leaves it out
	FieldSlice                    // []T: empty leaves it out (an error when Required)
	FieldUnion                    // a union type: the zero value leaves it out
	FieldStruct                   // Opt[S] of a block's struct S
	FieldStructs                  // []S: a repeated block
	FieldUnions                   // []U: a repeated choice
)

// OptField is one field of an options struct (or of a block's struct).
type OptField struct {
	Name string
	Node *node
	Kind FieldKind
	// Required marks the required parts of a block's struct.
	Required bool
	// Param is the value's Go type and encoding (FieldEnum, FieldValue,
	// FieldAny, FieldSlice); Ops reference it.
	Param *Param
	// Ops are sent when the field is present: tokens, the value, counts.
	Ops []Op
	// Struct and Union are the types of struct and union kinds (of their
	// elements, for FieldStructs and FieldUnions).
	Struct *OptStruct
	Union  *OptUnion
	// Pre is sent once before the elements of FieldStructs and
	// FieldUnions, when there are any (the token and count of a block
	// that holds only the repeated part).
	Pre []Op
	// Flags are transport flags set when the field is present.
	Flags []string
	// Path is the field's Go path from the options struct ("Trim.Limit"),
	// for errors.
	Path string
}

// OptStruct is a generated struct: an options struct or a block's.
type OptStruct struct {
	Name   string
	Node   *node
	Fields []*OptField
	// Steps send the struct's arguments in wire order.
	Steps []OptStep
}

// OptStep is one step of sending a struct: fixed ops, or a field.
type OptStep struct {
	Ops   []Op
	Field *OptField
}

// OptUnion is a generated value type for a choice that is not a plain
// token choice: which alternative, and its values.
type OptUnion struct {
	Name  string
	Node  *node
	Alts  []*OptAlt
	Slots []*OptSlot
	// Flags are set when any alternative is chosen.
	Flags []string
}

// OptAlt is one alternative of a union, made by its constructor.
type OptAlt struct {
	Ctor   string
	Node   *node
	Params []*Param
	Slots  []*OptSlot // parallel to Params
	Ops    []Op       // the oneof's token, then the alternative's
}

// OptSlot is an unexported field of a union that holds a parameter.
type OptSlot struct {
	Name string
	Type GoType // Slice set for variadic parameters
}

// OptRule refuses a combination of options when the command is built.
type OptRule struct {
	When []OptCond
	Why  string
}

// OptCond is one condition of a rule: a field (reached through Chain,
// from the options struct) is set, or set to the alternative Alt; Not
// negates it.
type OptCond struct {
	Chain []*OptField
	Alt   *node
	Not   bool
}

// optionNames fix Go names of the run-time forms, by command and argument
// path ("SCAN" alone names the options struct) where the regular rule
// collides or reads badly.
var optionNames = map[string]string{
	// ScanOptions is the hand-written options of Client.Scan.
	"SCAN":                        "ScanCommandOptions",
	"CLUSTER FAILOVER options":    "Mode",
	"SHUTDOWN save-selector":      "Save",
	"BITPOS range.end-unit-block": "End",
	"TS.MGET labels_block":        "Labels",
	"XADD idmp.pid#ctor":          "XAddIDMPAuto",
	"XADD idmp.idmp#ctor":         "XAddIDMPWithID",
	"FT.AGGREGATE load.load#ctor": "FTAggregateLoadFields",
	"FT.HYBRID load.load#ctor":    "FTHybridLoadFields",
}

// optionWords fix words of generated field names that the word splitter
// cuts wrongly.
var optionWords = map[string]string{"OffSet": "Offset", "Bucketduration": "BucketDuration", "HOWMAny": "HowMany"}

// optionEnumNames name token choices that options structs introduce (the
// chains offer them as one method per token), by their tokens.
var optionEnumNames = map[string]string{
	"NX|XX":                "ExistCondition",
	"NX|XX|GT|LT":          "ExpireCondition",
	"GT|LT":                "Comparison",
	"BYSCORE|BYLEX":        "ZRangeSort",
	"=|~":                  "TrimOperator",
	"FORCE|TAKEOVER":       "ClusterFailoverMode",
	"HARD|SOFT":            "ClusterResetMode",
	"ASYNC|SYNC":           "FlushMode",
	"SUM|MIN|MAX":          "Aggregate",
	"KEEPREF|DELREF|ACKED": "StreamRefPolicy",
	"NOSAVE|SAVE":          "ShutdownSave",
	"TIMEOUT|ERROR":        "UnblockType",
}

// requiresGroup reports whether the constructor leaves a required repeated
// group to a method (OpRequire).
func requiresGroup(c *Ctor) bool {
	return slices.ContainsFunc(c.Ops, func(op Op) bool { return op.Kind == OpRequire })
}

// optPlanner plans the options of one command.
type optPlanner struct {
	ap   *argPlanner
	cmd  *Command
	set  *OptionSet
	used map[string]bool // Go field names of the struct being planned
}

// planOptions plans the run-time options form of cmd, if its root state
// offers optional arguments.
func (pl *planner) planOptions(cmd *Command) error {
	ov := overrideFor(pl.overrides, cmd.Spec.Name)
	b := cmd.Builder
	ap := &argPlanner{p: pl, cmd: cmd, ov: ov, b: b, root: b.root, states: map[string]*State{}, stem: cmd.Func}
	var cands []*node
	for _, o := range ap.offers(b.root, nil) {
		if o.n.optional() {
			cands = append(cands, o.n)
		}
	}
	if len(cands) == 0 || requiresGroup(b.Ctors[0]) {
		// With ends the command: one that needs a repeated group only
		// a method adds (OpRequire) could never be built through it.
		return nil
	}
	op := &optPlanner{ap: ap, cmd: cmd, set: &OptionSet{}}
	replies := []*Type{cmd.Base.Reply}
	var kept []*node
	for _, n := range cands {
		if why := op.unsupported(n, false); why != "" {
			op.leaveOut(n, why)
			continue
		}
		vs := op.variantsOf(n)
		if len(vs) == 0 {
			kept = append(kept, n)
			continue
		}
		if op.switchable(n, vs, replies) {
			kept = append(kept, n)
			continue
		}
		try := append([]*Type{}, replies...)
		for _, v := range vs {
			try = append(try, v.Reply)
		}
		if op.set.Switch != nil || coverType(try) == nil {
			var shapes []string
			for _, v := range vs {
				shapes = append(shapes, v.Reply.GoExpr())
			}
			op.leaveOut(n, "changes the reply to "+strings.Join(shapes, " or "))
			continue
		}
		replies = try
		kept = append(kept, n)
	}
	if len(kept) == 0 {
		cmd.Options = op.set
		return nil
	}
	name := cmd.Func + "Options"
	if n, ok := optionNames[cmd.Spec.Name]; ok {
		name = n
	}
	if err := pl.claim(name, cmd.Spec.Name+" options"); err != nil {
		return err
	}
	s := &OptStruct{Name: name, Node: b.root}
	op.used = map[string]bool{}
	keep := map[*node]bool{}
	for _, n := range kept {
		keep[n] = true
	}
	if err := op.rootFields(s, b.root, keep); err != nil {
		return err
	}
	op.set.Struct = s
	// With returns a generic redisclient.Cmd of the covering reply: no
	// state type of its own.
	with := b.States[0].Type + ".With"
	v := cmd.Base
	if cover := coverType(replies); cover.DecoderName() != cmd.Base.Reply.DecoderName() {
		v = &Variant{Name: "With", Reply: pl.plan.Types.add(cover)}
		op.set.Cover = coverWhy(cover)
	}
	if sw := op.set.Switch; sw != nil {
		for _, n := range sw.Nodes {
			chain, _ := findOption(s, n.path)
			if chain == nil {
				return fmt.Errorf("option %s: no field for the reply switch", n.path)
			}
			sw.Fields = append(sw.Fields, chain[len(chain)-1])
		}
		v = &Variant{Name: "With", Reply: sw.Reply}
	}
	op.set.With = &State{Type: with, Variant: v}
	if err := op.planRules(); err != nil {
		return err
	}
	cmd.Options = op.set
	return nil
}

// leaveOut records an optional argument without a field.
func (op *optPlanner) leaveOut(n *node, why string) {
	op.set.LeftOut = append(op.set.LeftOut, LeftOut{Syntax: argSyntax(unitRootArg(n.a)), Why: why})
}

// variantsOf lists the reply variants that choosing n (or anything within
// it) can select.
func (op *optPlanner) variantsOf(n *node) []*Variant {
	var out []*Variant
	for _, v := range op.cmd.Variants {
		if v == op.cmd.Base {
			continue
		}
		for _, t := range op.ap.ov.variantTriggers(v.Name) {
			if t == n.path || strings.HasPrefix(t, n.path+".") || strings.HasPrefix(n.path, t+".") {
				out = append(out, v)
				break
			}
		}
	}
	return out
}

// unsupported says why node n (optional, or a required part of a block
// the struct maps) has no field form, or "". inRepeat is set inside a
// repeated argument, whose parts all sit at one wire position.
func (op *optPlanner) unsupported(n *node, inRepeat bool) string {
	switch {
	case n.isToken():
		if n.multiple() {
			return "a repeated token"
		}
		return ""
	case n.isScalar(), n.isEnum():
		return ""
	case n.isOneOf():
		for _, alt := range n.kids {
			if why := plainAlt(alt); why != "" {
				return why
			}
		}
		return ""
	case n.isBlock():
		rep := inRepeat || n.multiple()
		for i, k := range n.kids {
			if op.ap.isCount(n, i) {
				if rep {
					return "a count inside a repeated argument"
				}
				continue
			}
			if why := op.unsupported(k, rep); why != "" {
				return why
			}
		}
		return ""
	}
	return "an argument of type " + n.a.Type
}

// plainAlt says why an alternative of a choice cannot be a union
// constructor's parameters, or "": it must have no optional parts, no
// repeated blocks or choices and no nested choices other than tokens.
func plainAlt(n *node) string {
	switch {
	case n.optional():
		return "an alternative with optional parts"
	case n.isToken(), n.isEnum():
		return ""
	case n.isScalar():
		return ""
	case n.isOneOf():
		return "a choice within an alternative"
	case n.isBlock():
		if n.multiple() {
			return "a repeated block within an alternative"
		}
		for _, k := range n.kids {
			if k.multiple() && !k.isScalar() && !k.isEnum() {
				return "a repeated block within an alternative"
			}
			if why := plainAlt(k); why != "" {
				return why
			}
		}
		return ""
	}
	return "an argument of type " + n.a.Type
}

// fieldName is the Go name of the field for node n.
func (op *optPlanner) fieldName(n *node) string {
	if name, ok := optionNames[op.cmd.Spec.Name+" "+n.path]; ok {
		return name
	}
	if name, ok := op.ap.ov.Names[n.path]; ok && !n.isOneOf() {
		return name
	}
	var name string
	switch {
	case n.a.Token != "":
		name = tokenName(n.a.Token)
	case n.isBlock() && len(n.kids) > 0 && n.kids[0].a.Token != "" && !n.kids[0].optional():
		// [COUNT count [ANY]] -> Count, [CAPACITY capacity] -> Capacity.
		name = tokenName(n.kids[0].a.Token)
	case n.multiple() && n.isScalar():
		// [key [key ...]] -> Keys, as the chain's variadic method.
		name = plural(camelName(n.a.Name))
	default:
		name = camelName(n.a.Name)
	}
	for bad, good := range optionWords {
		name = strings.ReplaceAll(name, bad, good)
	}
	return name
}

// ctorName names the constructor of alternative alt of a union: the
// union's name and the alternative's, without repeating the field's name
// (XAddIDMP + IDMPAuto -> XAddIDMPAuto).
func (op *optPlanner) ctorName(u *OptUnion, field string, alt *node) string {
	if name, ok := optionNames[op.cmd.Spec.Name+" "+alt.path+"#ctor"]; ok {
		return name
	}
	a := op.ap.methodName(alt)
	if strings.HasPrefix(a, field) && len(a) > len(field) {
		a = a[len(field):]
	}
	return u.Name + a
}

// typeName is the Go name of a struct or union type for node n.
func (op *optPlanner) typeName(n *node) (string, error) {
	name, ok := optionNames[op.cmd.Spec.Name+" "+n.path+"#type"]
	if !ok {
		name = op.cmd.Func + op.fieldName(n)
	}
	if err := op.ap.p.claim(name, op.cmd.Spec.Name+" options"); err != nil {
		return "", err
	}
	return name, nil
}

// add adds field f to s, with a unique name.
func (op *optPlanner) add(s *OptStruct, used map[string]bool, f *OptField) {
	base := f.Name
	for i := 2; used[f.Name] || f.Name == "Do" || f.Name == "String"; i++ {
		f.Name = fmt.Sprintf("%s%d", base, i)
	}
	used[f.Name] = true
	s.Fields = append(s.Fields, f)
	s.Steps = append(s.Steps, OptStep{Field: f})
}

// rootFields adds the fields of the options struct: the kept optional
// arguments among root's children and those of its required blocks.
func (op *optPlanner) rootFields(s *OptStruct, n *node, keep map[*node]bool) error {
	for _, k := range n.kids {
		switch {
		case k.optional():
			if !keep[k] {
				continue
			}
			f, err := op.optional(k, 0, "")
			if err != nil {
				return fmt.Errorf("option %s: %w", k.path, err)
			}
			op.add(s, op.used, f)
		case k.isBlock() && !k.multiple():
			if err := op.rootFields(s, k, keep); err != nil {
				return err
			}
		}
	}
	return nil
}

// fixOps moves ops to position fix (when not 0): every part of one
// occurrence of a repeated argument sits at the repeated argument's
// position, so that occurrences stay together when arguments are sorted.
func fixOps(ops []Op, fix int) []Op {
	if fix == 0 {
		return ops
	}
	for i := range ops {
		ops[i].Pos = fix
	}
	return ops
}

// optional plans the field of optional node n. prefix is the Go path of
// the struct holding it.
func (op *optPlanner) optional(n *node, fix int, prefix string) (*OptField, error) {
	f := &OptField{Name: op.fieldName(n), Node: n, Flags: op.ap.ov.OptionFlags[n.path]}
	f.Path = prefix + f.Name
	var err error
	switch {
	case n.multiple():
		err = op.repeated(f, n, fix)
	case n.isToken():
		f.Kind = FieldBool
		f.Ops = fixOps([]Op{{Kind: OpToken, Pos: n.pos, Token: n.a.Token}}, fix)
	case n.isScalar(), n.isEnum():
		err = op.leaf(f, n, fix)
	case n.isOneOf():
		f.Kind = FieldUnion
		f.Union, err = op.union(n, fix)
	case n.isBlock():
		err = op.block(f, n, fix)
	default:
		err = fmt.Errorf("unsupported argument type %q", n.a.Type)
	}
	return f, err
}

// required plans the field of a required part n of a block's struct.
func (op *optPlanner) required(n *node, fix int, prefix string) (*OptField, error) {
	f, err := op.optional(n, fix, prefix)
	f.Required = true
	return f, err
}

// leaf plans a scalar or token-choice field from the chain's encoding.
func (op *optPlanner) leaf(f *OptField, n *node, fix int) error {
	var params []*Param
	var ops []Op
	if err := op.ap.collect(n, &params, &ops, false); err != nil {
		return err
	}
	if len(params) != 1 {
		return fmt.Errorf("%s: %d parameters", n.path, len(params))
	}
	f.Param, f.Ops = params[0], fixOps(ops, fix)
	switch f.Param.Type.Kind {
	case KindEnum:
		f.Kind = FieldEnum
	case KindValue, KindPairs, KindUnit:
		f.Kind = FieldAny
	default:
		f.Kind = FieldValue
	}
	return nil
}

// repeated plans the field of a repeated node: a slice of values, of
// structs (blocks) or of unions (choices).
func (op *optPlanner) repeated(f *OptField, n *node, fix int) error {
	switch {
	case n.isScalar() || n.isEnum():
		var params []*Param
		var ops []Op
		if err := op.ap.collectMultiple(n, &params, &ops, false); err != nil {
			return err
		}
		if len(params) != 1 {
			return fmt.Errorf("%s: %d parameters", n.path, len(params))
		}
		f.Kind, f.Param, f.Ops = FieldSlice, params[0], fixOps(ops, fix)
		return nil
	case n.isBlock(), n.isOneOf():
		at := fix
		if at == 0 {
			at = n.pos
		}
		if n.isBlock() {
			f.Kind = FieldStructs
			s, err := op.blockStruct(n, at, f.Path+"[].")
			if err != nil {
				return err
			}
			if s.Name, err = op.typeName(n); err != nil {
				return err
			}
			f.Struct = s
			op.set.Structs = append(op.set.Structs, s)
			return nil
		}
		f.Kind = FieldUnions
		u, err := op.union(n, at)
		f.Union = u
		return err
	}
	return fmt.Errorf("%s: a repeated %s", n.path, n.a.Type)
}

// blockStruct plans the struct of one occurrence of block n: its token,
// required parts as plain fields, optional parts by the field rules,
// counts computed. Required blocks within are flattened into it.
func (op *optPlanner) blockStruct(n *node, fix int, prefix string) (*OptStruct, error) {
	s := &OptStruct{Node: n}
	used := map[string]bool{}
	if n.a.Token != "" {
		s.Steps = append(s.Steps, OptStep{Ops: fixOps([]Op{{Kind: OpToken, Pos: n.pos, Token: n.a.Token}}, fix)})
	}
	if err := op.blockParts(s, used, n, fix, prefix); err != nil {
		return nil, err
	}
	return s, nil
}

func (op *optPlanner) blockParts(s *OptStruct, used map[string]bool, n *node, fix int, prefix string) error {
	for i, k := range n.kids {
		switch {
		case k.optional():
			f, err := op.optional(k, fix, prefix)
			if err != nil {
				return err
			}
			op.add(s, used, f)
		case op.ap.isCount(n, i):
			target := n.kids[i+1]
			var ops []Op
			if k.a.Token != "" {
				ops = append(ops, Op{Kind: OpToken, Pos: k.pos, Token: k.a.Token})
			}
			ops = append(ops, Op{Kind: OpCount, Pos: k.pos, CountOf: target.pos, CountPer: op.ap.countPer(k, target)})
			s.Steps = append(s.Steps, OptStep{Ops: ops})
		case k.isToken():
			s.Steps = append(s.Steps, OptStep{Ops: fixOps([]Op{{Kind: OpToken, Pos: k.pos, Token: k.a.Token}}, fix)})
		case k.isBlock() && !k.multiple():
			if k.a.Token != "" {
				s.Steps = append(s.Steps, OptStep{Ops: fixOps([]Op{{Kind: OpToken, Pos: k.pos, Token: k.a.Token}}, fix)})
			}
			if err := op.blockParts(s, used, k, fix, prefix); err != nil {
				return err
			}
		default:
			f, err := op.required(k, fix, prefix)
			if err != nil {
				return err
			}
			op.add(s, used, f)
		}
	}
	return nil
}

// block plans the field of an optional block: a bool when it holds only
// tokens, the optional form of its one value when it holds one, else an
// Opt of its struct.
func (op *optPlanner) block(f *OptField, n *node, fix int) error {
	s, err := op.blockStruct(n, fix, f.Path+".")
	if err != nil {
		return err
	}
	switch {
	case len(s.Fields) == 0:
		f.Kind = FieldBool
		for _, st := range s.Steps {
			f.Ops = append(f.Ops, st.Ops...)
		}
		return nil
	case len(s.Fields) == 1 && s.Fields[0].Required && collapsible(s.Fields[0].Kind):
		in := s.Fields[0]
		f.Kind, f.Param = in.Kind, in.Param
		for _, st := range s.Steps {
			if st.Field != nil {
				f.Ops = append(f.Ops, in.Ops...)
			} else {
				f.Ops = append(f.Ops, st.Ops...)
			}
		}
		f.Flags = append(f.Flags, in.Flags...)
		return nil
	case len(s.Fields) == 1 && s.Fields[0].Required && s.Steps[len(s.Steps)-1].Field != nil &&
		(s.Fields[0].Kind == FieldStructs || s.Fields[0].Kind == FieldUnions):
		// [LABELS label value [label value ...]] -> []TSAddLabel.
		in := s.Fields[0]
		f.Kind, f.Struct, f.Union = in.Kind, in.Struct, in.Union
		for _, st := range s.Steps[:len(s.Steps)-1] {
			f.Pre = append(f.Pre, st.Ops...)
		}
		f.Flags = append(f.Flags, in.Flags...)
		return nil
	}
	// The struct's fields report errors under this field's path.
	for _, sf := range s.Fields {
		repath(sf, f.Path+".")
	}
	if s.Name, err = op.typeName(n); err != nil {
		return err
	}
	f.Kind, f.Struct = FieldStruct, s
	op.set.Structs = append(op.set.Structs, s)
	return nil
}

func collapsible(k FieldKind) bool {
	switch k {
	case FieldEnum, FieldValue, FieldAny, FieldSlice:
		return true
	}
	return false
}

// repath sets the Go path of f (and of the fields of its struct).
func repath(f *OptField, prefix string) {
	f.Path = prefix + f.Name
	if f.Kind == FieldStruct && f.Struct != nil {
		for _, sf := range f.Struct.Fields {
			repath(sf, f.Path+".")
		}
	}
}

// union plans the value type of a choice: one constructor per
// alternative, whose parameters the type keeps in slots shared by type.
func (op *optPlanner) union(n *node, fix int) (*OptUnion, error) {
	name, err := op.typeName(n)
	if err != nil {
		return nil, err
	}
	u := &OptUnion{Name: name, Node: n}
	slots := map[string][]*OptSlot{}
	for _, alt := range n.kids {
		a := &OptAlt{Node: alt}
		var ops []Op
		if n.a.Token != "" {
			ops = append(ops, Op{Kind: OpToken, Pos: n.pos, Token: n.a.Token})
		}
		if err := op.ap.collect(alt, &a.Params, &ops, false); err != nil {
			return nil, err
		}
		if fl, ok := op.ap.ov.OptionFlags[alt.path]; ok {
			ops = append(ops, Op{Kind: OpFlag, Flags: fl})
		}
		a.Params = orderParams(a.Params)
		uniqueParamNames(a.Params)
		a.Ops = fixOps(ops, fix)
		a.Ctor = op.ctorName(u, op.fieldName(n), alt)
		if err := op.ap.p.claim(a.Ctor, op.cmd.Spec.Name+" options"); err != nil {
			return nil, err
		}
		taken := map[string]int{}
		for _, p := range a.Params {
			t := p.Type
			if p.Variadic {
				t.Slice = true
			}
			key := goTypeKey(t)
			i := taken[key]
			taken[key]++
			for len(slots[key]) <= i {
				s := &OptSlot{Name: fmt.Sprintf("%s%d", slotTag(t), len(u.Slots)), Type: t}
				slots[key] = append(slots[key], s)
				u.Slots = append(u.Slots, s)
			}
			a.Slots = append(a.Slots, slots[key][i])
		}
		u.Alts = append(u.Alts, a)
	}
	op.set.Unions = append(op.set.Unions, u)
	return u, nil
}

// goTypeKey identifies a parameter's Go type.
func goTypeKey(t GoType) string {
	var s string
	switch t.Kind {
	case KindKey, KindString, KindKeyPattern, KindRouteKey:
		s = "string"
	case KindInt:
		s = "int64"
	case KindFloat:
		s = "float64"
	case KindDurationS, KindDurationMs, KindDurationSec:
		s = "duration"
	case KindTimeS, KindTimeMs:
		s = "time"
	case KindEnum:
		s = "enum:" + t.Enum.Name
	case KindUnit:
		s = "unit:" + t.Unit.Unit.Iface
	default:
		s = "any"
	}
	if t.Slice {
		s = "[]" + s
	}
	return s
}

// slotTag is the name stem of a union slot of type t.
func slotTag(t GoType) string {
	tag := map[GoKind]string{
		KindKey: "s", KindString: "s", KindKeyPattern: "s", KindRouteKey: "s", KindInt: "n", KindFloat: "f",
		KindDurationS: "d", KindDurationMs: "d", KindDurationSec: "d", KindTimeS: "t", KindTimeMs: "t",
		KindEnum: "e", KindUnit: "u",
	}[t.Kind]
	if tag == "" {
		tag = "v"
	}
	if t.Slice {
		tag += "s"
	}
	return tag
}

// findNode finds the node at an argument path below n.
func findNode(n *node, path string) *node {
	for _, k := range n.kids {
		if k.path == path {
			return k
		}
		if strings.HasPrefix(path, k.path+".") {
			return findNode(k, path)
		}
	}
	return nil
}

// findOption finds the field for an argument path within s and its
// structs: the chain of fields from s, and the alternative when the path
// names one of a choice.
func findOption(s *OptStruct, path string) ([]*OptField, *node) {
	for _, f := range s.Fields {
		switch {
		case f.Node.path == path:
			return []*OptField{f}, nil
		case strings.HasPrefix(path, f.Node.path+"."):
			if f.Kind == FieldStruct {
				if chain, alt := findOption(f.Struct, path); chain != nil {
					return append([]*OptField{f}, chain...), alt
				}
			}
			if f.Kind == FieldEnum || f.Kind == FieldUnion {
				for _, k := range f.Node.kids {
					if k.path == path {
						return []*OptField{f}, k
					}
				}
			}
		}
	}
	return nil, nil
}

// coverType returns the type that holds every reply shape in ts, or nil:
//
//   - one shape covers itself;
//   - the status reply OK and bool give bool ("OK" is true, a null reply
//     false: SET with a condition that may not hold);
//   - T, Opt[T] and []T of one scalar T give []T decoded by a
//     one-or-many decoder (a single value is a list of one, null is nil:
//     LPOP and its kin with a COUNT chosen at run time).
func coverType(ts []*Type) *Type {
	var uniq []*Type
	seen := map[string]bool{}
	for _, t := range ts {
		if k := t.DecoderName(); !seen[k] {
			seen[k] = true
			uniq = append(uniq, t)
		}
	}
	if len(uniq) == 1 {
		return uniq[0]
	}
	boolish := true
	for _, t := range uniq {
		if t.Kind != TOK && t.Kind != TBool {
			boolish = false
		}
	}
	if boolish {
		return &Type{Kind: TBool}
	}
	var elem *Type
	many := false
	for _, t := range uniq {
		e := t
		switch {
		case t.Kind == TOpt:
			e = t.Elem
		case t.Kind == TSlice && !t.OneOrMany:
			e, many = t.Elem, true
		}
		switch e.Kind {
		case TString, TInt, TFloat, TDuration, TTime:
		default:
			return nil
		}
		if elem == nil {
			elem = e
		} else if e.DecoderName() != elem.DecoderName() {
			return nil
		}
	}
	if !many {
		return nil
	}
	return &Type{Kind: TSlice, Elem: elem, OneOrMany: true}
}

// coverWhy explains a covering reply type in With's doc comment.
func coverWhy(t *Type) string {
	switch {
	case t.Kind == TBool:
		return "bool, which covers every choice: OK is true, and a null reply (a condition that did not hold) false"
	case t.Kind == TSlice && t.OneOrMany:
		return t.GoExpr() + ", which covers every choice: a single reply is a list of one, a null reply nil"
	}
	return t.GoExpr()
}

// optionStats counts the run-time forms for `redkit spec stats`.
func (p *Plan) optionStats(st *Stats) {
	for _, c := range p.Commands {
		o := c.Options
		if o == nil {
			continue
		}
		if o.Struct != nil {
			st.OptionStructs++
			st.OptionFields += len(o.Struct.Fields)
		}
		for _, l := range o.LeftOut {
			st.OptionsLeftOut = append(st.OptionsLeftOut, Skipped{Name: c.Spec.Name + " " + l.Syntax, Reason: l.Why})
		}
	}
	sort.SliceStable(st.OptionsLeftOut, func(i, j int) bool { return st.OptionsLeftOut[i].Name < st.OptionsLeftOut[j].Name })
}
