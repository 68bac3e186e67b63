package gen

// This file is part of the planning layer: it turns a command's argument
// tree into a builder — constructor parameters for required arguments and a
// typestate machine of chained methods for optional ones.
//
// Every argument node gets a wire position (its depth-first index). Builders
// may be called in any order the types allow; arguments are sorted by
// position when the command is finalized, so the wire order always follows
// the spec. A state offers only the optional arguments that come after the
// one chosen last, which makes mutually exclusive options (the alternatives
// of a oneof) impossible to combine and each single option usable once.

import (
	"fmt"
	"strings"

	"github.com/redkit-go/redkit/spec"
)

// node is an argument tree node with planning annotations.
type node struct {
	a      *spec.Argument
	parent *node
	kids   []*node
	pos    int
	// path is the dotted name path from the command ("expiration.ex").
	path string
}

func (n *node) optional() bool { return n.a.Optional }
func (n *node) multiple() bool { return n.a.Multiple }
func (n *node) isOneOf() bool  { return n.a.Type == spec.TypeOneOf }
func (n *node) isBlock() bool  { return n.a.Type == spec.TypeBlock }
func (n *node) isToken() bool  { return n.a.Type == spec.TypePureToken }
func (n *node) isScalar() bool {
	switch n.a.Type {
	case spec.TypeKey, spec.TypeString, spec.TypeInteger, spec.TypeDouble, spec.TypeUnixTime, spec.TypePattern:
		return true
	}
	return false
}

// isEnum reports a oneof whose alternatives are all single pure tokens.
func (n *node) isEnum() bool {
	if !n.isOneOf() {
		return false
	}
	for _, k := range n.kids {
		if !k.isToken() || k.optional() || k.multiple() {
			return false
		}
	}
	return true
}

// isFlat reports a node whose one occurrence is a fixed list of scalars,
// tokens and enums: it can be passed as plain parameters.
func (n *node) isFlat() bool {
	switch {
	case n.isScalar(), n.isToken(), n.isEnum():
		return true
	case n.isBlock():
		for _, k := range n.kids {
			if k.optional() || k.multiple() || !k.isFlat() {
				return false
			}
		}
		return true
	}
	return false
}

// arity is the number of wire arguments of one flat occurrence.
func (n *node) arity() int {
	c := 0
	if n.a.Token != "" && !n.isToken() {
		c++
	}
	switch {
	case n.isScalar(), n.isToken(), n.isEnum():
		c++
	case n.isBlock():
		for _, k := range n.kids {
			c += k.arity()
		}
	}
	return c
}

// buildTree wraps args in nodes and numbers them depth-first from 1.
func buildTree(cmd string, args []*spec.Argument) *node {
	root := &node{a: &spec.Argument{Name: cmd, Type: spec.TypeBlock}}
	pos := 0
	var walk func(p *node, args []*spec.Argument)
	walk = func(p *node, args []*spec.Argument) {
		for _, a := range args {
			pos++
			n := &node{a: a, parent: p, pos: pos}
			if p.parent == nil {
				n.path = a.Name
			} else {
				n.path = p.path + "." + a.Name
			}
			p.kids = append(p.kids, n)
			walk(n, a.Arguments)
		}
	}
	walk(root, args)
	return root
}

// argPlanner plans one builder (a command's or a unit's).
type argPlanner struct {
	// pairsNode, while a From constructor is planned, is the repeated pair
	// taken as one list parameter, of runtime kind pairsKind.
	pairsNode *node
	pairsKind string
	p         *planner
	cmd       *Command // the command being planned (also for units)
	ov        *Override
	b         *Builder
	root      *node
	states    map[string]*State
	pending   []*State
	// stem is the Go name stem of the builder (Func for commands).
	stem string
	// ctorStem prefixes choice constructor names; stem when empty.
	ctorStem string
	// rules are the command's option rules (plan_rules.go); nil for
	// units and commands without any.
	rules *stateRules
}

// methodName is the Go method name for choosing node n.
func (ap *argPlanner) methodName(n *node) string {
	if name, ok := ap.ov.Names[n.path]; ok {
		return name
	}
	switch {
	case n.a.Token != "":
		return tokenName(n.a.Token)
	case n.isBlock() && len(n.kids) > 0 && n.kids[0].a.Token != "" && !n.kids[0].optional():
		return tokenName(n.kids[0].a.Token)
	case n.isBlock() && len(n.kids) > 0 && !n.kids[0].optional() && n.kids[0].isScalar() && (n.parent == nil || !n.parent.isOneOf()):
		// [end [BYTE | BIT]] -> End(end). Alternatives keep their own
		// names (ASC/DESC sort keys -> Asc, Desc).
		return camelName(n.kids[0].a.Name)
	}
	return camelName(n.a.Name)
}

// repeatName is the name of the method that adds one more occurrence of a
// repeated block: the names of its parts joined ("FieldValue").
func (ap *argPlanner) repeatName(n *node) string {
	if name, ok := ap.ov.Names[n.path]; ok {
		return name
	}
	if n.a.Token != "" || !n.isBlock() {
		return ap.methodName(n)
	}
	if len(n.kids) <= 3 {
		var b strings.Builder
		for _, k := range n.kids {
			if k.a.Token != "" {
				b.WriteString(tokenName(k.a.Token))
			} else {
				b.WriteString(camelName(k.a.Name))
			}
		}
		return b.String()
	}
	return camelName(n.a.Name)
}

// offer is one method a state provides.
type offer struct {
	n      *node
	repeat bool
}

// within reports whether x is n or one of n's ancestors.
func within(x, n *node) bool {
	for ; n != nil; n = n.parent {
		if n == x {
			return true
		}
	}
	return false
}

// offers lists the methods of the state whose last choice is node after
// and whose rule-relevant choices are chosen.
// A node's children are available when the node is the root, was chosen
// (after lies within it), or is a required single block of an available
// node. Optional children are offered when they come after the last
// choice; required repeated blocks and choices always offer their repeat
// method.
func (ap *argPlanner) offers(after *node, chosen []*node) []offer {
	var out []offer
	var walk func(n *node)
	walk = func(n *node) {
		for _, k := range n.kids {
			if !n.isOneOf() && !ap.rules.refuses(k, chosen) && !ap.allRefused(k, chosen) {
				switch {
				case k.optional():
					if k.pos > after.pos {
						out = append(out, offer{n: k, repeat: ap.repeatable(k)})
					}
				case k.multiple():
					if ap.needsRepeatMethod(k) {
						out = append(out, offer{n: k, repeat: true})
					}
				}
			}
			if within(k, after) || (!n.isOneOf() && k.isBlock() && !k.optional() && !k.multiple()) {
				walk(k)
			}
		}
	}
	walk(ap.root)
	return out
}

// repeatable reports whether an optional repeated node is added one
// occurrence per call (its token repeats, or each occurrence is a choice or
// a block) rather than all at once through a variadic method.
func (ap *argPlanner) repeatable(n *node) bool {
	if !n.multiple() {
		return false
	}
	if n.a.MultipleToken || n.isOneOf() || n.isBlock() {
		return true
	}
	return false
}

// needsRepeatMethod reports whether a required repeated node gets a method
// for further occurrences (blocks and choices do; scalars are variadic).
func (ap *argPlanner) needsRepeatMethod(n *node) bool {
	return n.isBlock() || n.isOneOf() || (n.isToken() && n.multiple())
}

// allRefused reports whether the option rules refuse every alternative of
// choice n.
func (ap *argPlanner) allRefused(n *node, chosen []*node) bool {
	if ap.rules == nil || !n.isOneOf() {
		return false
	}
	for _, alt := range n.kids {
		if !ap.rules.refuses(alt, chosen) {
			return false
		}
	}
	return true
}

// stateFor returns (creating it if needed) the state after node `after`
// with reply variant v, whose rule-relevant choices are chosen.
func (ap *argPlanner) stateFor(after *node, v *Variant, chosen []*node) *State {
	offs := ap.offers(after, chosen)
	var sig strings.Builder
	for _, o := range offs {
		fmt.Fprintf(&sig, "%d:%v,", o.n.pos, o.repeat)
	}
	if v != nil {
		sig.WriteString("|" + v.Name)
	}
	sig.WriteString(ap.rules.key(chosen, after, ap.root))
	key := sig.String()
	if st, ok := ap.states[key]; ok {
		return st
	}
	st := &State{after: after, Variant: v, chosen: chosen}
	ap.states[key] = st
	ap.b.States = append(ap.b.States, st)
	ap.pending = append(ap.pending, st)
	return st
}

// stateBaseName names a state from the node chosen last.
func (ap *argPlanner) stateBaseName(st *State) string {
	base := ap.b.Name
	if st.after != ap.root {
		n := st.after
		// States after a leaf alternative are shared by all alternatives:
		// name them after the choice.
		if n.parent != nil && n.parent.isOneOf() && n.parent != ap.root && !n.isBlock() {
			n = n.parent
		}
		// Named after the option as users write it: its token when it has
		// one (BLOCK, not "milliseconds").
		if n.a.Token != "" && n.isScalar() {
			base += tokenName(n.a.Token)
		} else {
			base += camelName(n.a.Name)
		}
	}
	return base
}

func (ap *argPlanner) cmdBase() *Variant {
	if ap.cmd == nil || ap.b.Unit != nil {
		return nil
	}
	return ap.cmd.Base
}

// collect plans the parameters and encoding ops for one occurrence of node
// n chosen as a whole (a required argument, or an optional one by its
// method). Optional children are left out: they become methods.
func (ap *argPlanner) collect(n *node, params *[]*Param, ops *[]Op, inCtor bool) error {
	tok := n.a.Token
	if s := n.a.OnlyOn(); s != "" {
		*ops = withOnly(*ops, argLabel(n), s)
	}
	switch {
	case n.isToken():
		*ops = append(*ops, Op{Kind: OpToken, Pos: n.pos, Token: tok})
		return nil
	case n.isScalar():
		pr := ap.scalarParam(n, inCtor)
		*params = append(*params, pr)
		if alt := ap.millisAlternative(n); alt != nil {
			// EX seconds | PX milliseconds: the value picks its token.
			*ops = append(*ops, Op{Kind: OpValue, Pos: n.pos, Param: pr, Token: tok, AltToken: alt.a.Token})
			return nil
		}
		if tok != "" {
			*ops = append(*ops, Op{Kind: OpToken, Pos: n.pos, Token: tok})
		}
		if target, ok := ap.replaceTarget(n); ok {
			if target == nil {
				return fmt.Errorf("argument %s: the argument it replaces (%s) is not in the tree", n.path, ap.ov.Replaces[n.path])
			}
			*ops = append(*ops, Op{Kind: OpSwap, Pos: target.pos, Param: pr, Replaced: ap.paramName(target)})
			return nil
		}
		*ops = append(*ops, Op{Kind: OpValue, Pos: n.pos, Param: pr})
		return nil
	case n.isEnum():
		if tok != "" {
			*ops = append(*ops, Op{Kind: OpToken, Pos: n.pos, Token: tok})
		}
		e := ap.p.enumFor(ap, n)
		pr := &Param{Name: ap.paramName(n), Type: GoType{Kind: KindEnum, Enum: e}}
		*params = append(*params, pr)
		*ops = append(*ops, Op{Kind: OpValue, Pos: n.pos, Param: pr})
		// Values only one server has (BITOP DIFF on Redis) narrow the
		// command when one is chosen.
		for _, s := range spec.KnownServers {
			only := Op{Kind: OpOnly, Server: s, Param: pr}
			for _, k := range n.kids {
				if k.a.OnlyOn() == s {
					only.Values = append(only.Values, k.a.Token)
				}
			}
			if len(only.Values) > 0 {
				*ops = append(*ops, only)
			}
		}
		return nil
	case n.isOneOf():
		if tok != "" {
			*ops = append(*ops, Op{Kind: OpToken, Pos: n.pos, Token: tok})
		}
		u, err := ap.p.unitFor(ap, n)
		if err != nil {
			return err
		}
		pr := &Param{Name: ap.paramName(n), Type: GoType{Kind: KindUnit, Unit: u}}
		*params = append(*params, pr)
		*ops = append(*ops, Op{Kind: OpValue, Pos: n.pos, Param: pr})
		return nil
	case n.isBlock():
		if tok != "" {
			*ops = append(*ops, Op{Kind: OpToken, Pos: n.pos, Token: tok})
		}
		for i, k := range n.kids {
			if k.optional() {
				continue
			}
			if k.multiple() {
				if err := ap.collectMultiple(k, params, ops, inCtor); err != nil {
					return err
				}
				continue
			}
			if ap.isCount(n, i) {
				target := n.kids[i+1]
				if k.a.Token != "" {
					*ops = append(*ops, Op{Kind: OpToken, Pos: k.pos, Token: k.a.Token})
				}
				*ops = append(*ops, Op{Kind: OpCount, Pos: k.pos, CountOf: target.pos, CountPer: ap.countPer(k, target)})
				continue
			}
			if err := ap.collect(k, params, ops, inCtor); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("argument %s: unsupported type %q", n.path, n.a.Type)
}

// collectMultiple plans a required repeated child: scalars become a
// variadic (or slice) parameter; flat blocks take their first occurrence as
// parameters (more come from the repeat method); other forms are added only
// through their repeat methods, and the command built without one is a
// build error (OpRequire).
func (ap *argPlanner) collectMultiple(k *node, params *[]*Param, ops *[]Op, inCtor bool) error {
	switch {
	case k.isScalar() || k.isEnum():
		var pr *Param
		if k.isEnum() {
			pr = &Param{Name: ap.paramName(k) + "s", Type: GoType{Kind: KindEnum, Enum: ap.p.enumFor(ap, k)}}
		} else {
			pr = ap.scalarParam(k, inCtor)
			pr.Name = plural(pr.Name)
		}
		pr.Variadic = true
		if k.a.Token != "" && !k.a.MultipleToken {
			*ops = append(*ops, Op{Kind: OpToken, Pos: k.pos, Token: k.a.Token})
		}
		op := Op{Kind: OpEach, Pos: k.pos, Param: pr}
		if k.a.MultipleToken {
			op.Token = k.a.Token
		}
		*params = append(*params, pr)
		*ops = append(*ops, op)
		return nil
	case k.isFlat() && k == ap.pairsNode:
		// A whole list of pairs in one parameter (the From constructor).
		pr := &Param{Name: pairsParamName(ap.pairsKind), Type: GoType{Kind: KindPairs, Pairs: ap.pairsKind}}
		if k.a.Token != "" && !k.a.MultipleToken {
			*ops = append(*ops, Op{Kind: OpToken, Pos: k.pos, Token: k.a.Token})
		}
		*params = append(*params, pr)
		*ops = append(*ops, Op{Kind: OpValue, Pos: k.pos, Param: pr})
		return nil
	case k.isFlat():
		// The first occurrence; more come from the repeat method. All of
		// them sit at the repeated node's position, so each occurrence
		// stays together and counts see them.
		start := len(*ops)
		if err := ap.collect(k, params, ops, inCtor); err != nil {
			return err
		}
		for i := start; i < len(*ops); i++ {
			(*ops)[i].Pos = k.pos
		}
		return nil
	}
	// Only the repeat method adds it: a command requires one. (Within a
	// unit or an option, the group is not checked.)
	if inCtor && ap.b.Unit == nil {
		*ops = append(*ops, Op{Kind: OpRequire, Pos: k.pos, Token: requiredLabel(k)})
	}
	return nil
}

// requiredLabel names a required repeated group in the build error of a
// command without it: its name, with the first token it sends
// ("migration-group (SLOTSRANGE ...)").
func requiredLabel(n *node) string {
	var first func(n *node) string
	first = func(n *node) string {
		if n.a.Token != "" {
			return n.a.Token
		}
		if n.isOneOf() {
			return ""
		}
		for _, k := range n.kids {
			if t := first(k); t != "" || !k.optional() {
				return t
			}
		}
		return ""
	}
	if t := first(n); t != "" {
		return n.a.Name + " (" + t + " ...)"
	}
	return n.a.Name
}

// kindOf is the parameter kind of a scalar node: the override's, or the
// one its type and name give.
func (ap *argPlanner) kindOf(n *node) GoKind {
	if kind, ok := ap.ov.ArgKinds[n.path]; ok {
		return kind
	}
	return scalarKind(n)
}

// millisAlternative returns, for a seconds-valued alternative of a choice
// (EX seconds, EXAT unix-time-seconds), the alternative of the same choice
// that takes the same quantity in milliseconds (PX milliseconds, PXAT
// unix-time-milliseconds), or nil. Both need tokens: the value then picks
// which one is sent, so a duration that is not a whole number of seconds
// keeps its precision instead of being rounded.
func (ap *argPlanner) millisAlternative(n *node) *node {
	if n.parent == nil || !n.parent.isOneOf() || n.a.Token == "" || n.multiple() {
		return nil
	}
	var want GoKind
	switch ap.kindOf(n) {
	case KindDurationS:
		want = KindDurationMs
	case KindTimeS:
		want = KindTimeMs
	default:
		return nil
	}
	var alt *node
	for _, k := range n.parent.kids {
		if k == n || !k.isScalar() || k.a.Token == "" || k.multiple() || ap.kindOf(k) != want {
			continue
		}
		if alt != nil {
			return nil // ambiguous: keep the seconds form
		}
		alt = k
	}
	return alt
}

// replaceTarget returns the argument whose value the option n replaces
// (Override.Replaces); ok is false when n replaces none.
func (ap *argPlanner) replaceTarget(n *node) (target *node, ok bool) {
	path, ok := ap.ov.Replaces[n.path]
	if !ok {
		return nil, false
	}
	var find func(x *node) *node
	find = func(x *node) *node {
		if x.path == path && x != ap.root {
			return x
		}
		for _, k := range x.kids {
			if f := find(k); f != nil {
				return f
			}
		}
		return nil
	}
	return find(ap.root), true
}

// isCount reports whether kid i of n is an integer that counts the repeated
// argument right after it (numkeys, numfields, nargs, count): such counts
// are computed, never passed.
func (ap *argPlanner) isCount(n *node, i int) bool {
	k := n.kids[i]
	if v, ok := ap.ov.Counts[k.path]; ok {
		return v
	}
	if k.a.Type != spec.TypeInteger || k.optional() || i+1 >= len(n.kids) {
		return false
	}
	next := n.kids[i+1]
	if !next.multiple() {
		return false
	}
	name := strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(k.a.Name))
	return strings.HasPrefix(name, "num") || name == "count" || name == "nargs"
}

// countPer is how many wire arguments make one counted item.
func (ap *argPlanner) countPer(count, target *node) int {
	name := strings.ToLower(count.a.Name)
	if strings.Contains(name, "nargs") || !target.isFlat() {
		return 1
	}
	per := target.arity()
	if target.a.Token != "" && !target.a.MultipleToken && !target.isToken() {
		per-- // the token is sent once, not per item
	}
	if per < 1 {
		per = 1
	}
	return per
}

// scalarParam makes the parameter for a scalar node.
func (ap *argPlanner) scalarParam(n *node, inCtor bool) *Param {
	pr := &Param{Name: ap.paramName(n)}
	kind, ok := ap.ov.ArgKinds[n.path]
	if !ok {
		kind = scalarKind(n)
	}
	pr.Type = GoType{Kind: kind}
	if kind == KindString && payloadNames[strings.ToLower(n.a.Name)] {
		if inCtor {
			pr.Generic = "V"
		} else {
			// Methods cannot have type parameters: any value, checked when
			// the command is built.
			pr.Type.Kind = KindValue
		}
	}
	return pr
}

// payloadNames are string arguments that carry user data; constructors
// take them as any Scalar (string, []byte, numbers, bool), methods as any
// value.
var payloadNames = map[string]bool{
	"value": true, "member": true, "element": true, "message": true, "serialized-value": true,
	"pivot": true, "data": true, "payload": true, "vector": true, "blob": true, "json": true, "arg": true,
}

// scalarKind derives a scalar's Go kind from its type and name.
func scalarKind(n *node) GoKind {
	name := strings.ToLower(n.a.Name)
	switch n.a.Type {
	case spec.TypeKey:
		return KindKey
	case spec.TypeInteger:
		switch name {
		case "seconds":
			return KindDurationS
		case "milliseconds":
			return KindDurationMs
		}
		return KindInt
	case spec.TypeDouble:
		if name == "timeout" {
			return KindDurationSec
		}
		return KindFloat
	case spec.TypeUnixTime:
		if strings.Contains(name, "milli") {
			return KindTimeMs
		}
		return KindTimeS
	}
	return KindString
}

// paramName is a Go parameter name for node n.
func (ap *argPlanner) paramName(n *node) string {
	name := n.a.Name
	if n.isBlock() || n.isOneOf() {
		if name == "" {
			name = "arg"
		}
	}
	return lowerFirst(camelName(name))
}

func plural(s string) string {
	switch {
	case strings.HasSuffix(s, "s"), strings.HasSuffix(s, "_"):
		return s
	case strings.HasSuffix(s, "y") && !strings.HasSuffix(s, "ey"):
		return s[:len(s)-1] + "ies"
	}
	return s + "s"
}

// planMethods fills the methods of every pending state.
func (ap *argPlanner) planMethods() error {
	for len(ap.pending) > 0 {
		st := ap.pending[0]
		ap.pending = ap.pending[1:]
		for _, o := range ap.offers(st.after, st.chosen) {
			ms, err := ap.methodsFor(st, o)
			if err != nil {
				return err
			}
			st.Methods = append(st.Methods, ms...)
		}
		dedupeMethodNames(st)
	}
	return nil
}

// methodsFor plans the methods that choose node o.n from state st.
func (ap *argPlanner) methodsFor(st *State, o offer) ([]*Method, error) {
	n := o.n
	next := func(after *node, trig *node) *State {
		if o.repeat {
			return st
		}
		return ap.stateFor(after, ap.variantAfter(st.Variant, trig), ap.rules.choose(st.chosen, after, trig))
	}
	// A oneof offers one method per alternative (each repeatable when the
	// oneof repeats).
	if n.isOneOf() {
		var ms []*Method
		for _, alt := range n.kids {
			if ap.rules.refuses(alt, st.chosen) {
				continue
			}
			name := ap.methodName(alt)
			if n.a.Token != "" {
				// TYPE NORMAL -> TypeNormal, AGGREGATE SUM -> AggregateSum.
				name = tokenName(n.a.Token) + name
			}
			m := &Method{Name: name, Repeat: o.repeat}
			if n.a.Token != "" {
				m.Ops = append(m.Ops, Op{Kind: OpToken, Pos: n.pos, Token: n.a.Token})
			}
			if err := ap.collectAt(alt, o, &m.Params, &m.Ops); err != nil {
				return nil, err
			}
			m.Next = next(alt, alt)
			ap.addFlags(m, alt)
			ap.describe(m, alt)
			for _, other := range n.kids {
				if other != alt {
					m.Excludes = append(m.Excludes, argLabel(other))
				}
			}
			ms = append(ms, m)
		}
		return ms, nil
	}
	// A block whose required part is one token choice without a token of
	// its own splits into one method per token (MAXLEN|MINID threshold ->
	// MaxLen(threshold), MinID(threshold)).
	if e := splitEnum(n); e != nil && !o.repeat {
		var ms []*Method
		for _, alt := range e.kids {
			if ap.rules.refuses(alt, st.chosen) {
				continue
			}
			m := &Method{Name: ap.methodName(alt)}
			for _, k := range n.kids {
				if k.optional() {
					continue
				}
				if k == e {
					m.Ops = append(m.Ops, Op{Kind: OpToken, Pos: e.pos, Token: alt.a.Token})
					continue
				}
				if err := ap.collect(k, &m.Params, &m.Ops, false); err != nil {
					return nil, err
				}
			}
			m.Next = next(n, alt)
			ap.addFlags(m, n)
			ap.describe(m, alt)
			ms = append(ms, m)
		}
		return ms, nil
	}
	name := ap.methodName(n)
	switch {
	case o.repeat && !n.optional():
		name = ap.repeatName(n)
	case n.multiple() && !o.repeat && n.a.Token == "" && n.isScalar():
		if _, named := ap.ov.Names[n.path]; !named {
			name = plural(name) // EVAL ... Keys(k1, k2).Args(a1, a2)
		}
	}
	m := &Method{Name: name, Repeat: o.repeat}
	if n.multiple() && !o.repeat {
		// A variadic method: the token once, then every value.
		var params []*Param
		var ops []Op
		if err := ap.collectMultiple(n, &params, &ops, false); err != nil {
			return nil, err
		}
		m.Params, m.Ops = params, ops
	} else if err := ap.collectAt(n, o, &m.Params, &m.Ops); err != nil {
		return nil, err
	}
	m.Next = next(n, n)
	ap.addFlags(m, n)
	ap.describe(m, n)
	return []*Method{m}, nil
}

// describe gives a method the facts its doc comment tells: what the option
// does, and the version that added it when newer than the command.
func (ap *argPlanner) describe(m *Method, n *node) {
	if ap.cmd == nil {
		return
	}
	name := ap.cmd.Spec.Name
	if tok := n.a.Token; tok != "" {
		m.Meaning = optionMeanings[name+" "+tok]
	}
	since := n.a.Since
	for p := n; since == "" && p != nil && p.parent != nil; p = p.parent {
		since = p.a.Since
	}
	if fix, ok := argumentSince[name+" "+n.path]; ok {
		since = fix
	}
	if since != "" && spec.VersionLess(ap.cmd.Spec.Since, since) {
		m.Since = since
	}
	m.Excludes = append(m.Excludes, ap.rules.excludesOf(n)...)
	if p := serversNode(n); p != nil {
		m.Servers, m.Only, m.OnlyWhat = p.a.Servers, p.a.OnlyOn(), onlyLabel(n, p)
	}
}

// onlyLabel names a one-server option in a build error: the chosen node's
// token ("NX"), else the label of the group p that only one server has.
func onlyLabel(n, p *node) string {
	if n.a.Token != "" {
		return n.a.Token
	}
	return argLabel(p)
}

// serversNode returns n or the nearest group holding it whose argument
// says on which servers it exists (spec.Argument.Servers), or nil.
func serversNode(n *node) *node {
	for p := n; p != nil && p.parent != nil; p = p.parent {
		if p.a.Servers != nil {
			return p
		}
	}
	return nil
}

// argLabel names an argument in docs: its token, else its name.
func argLabel(n *node) string {
	if n.a.Token != "" {
		return n.a.Token
	}
	return n.a.Name
}

// collectAt collects one occurrence of n for a method. Occurrences of a
// repeated node are encoded at the repeated node's position, so that each
// stays together when arguments are sorted.
func (ap *argPlanner) collectAt(n *node, o offer, params *[]*Param, ops *[]Op) error {
	start := len(*ops)
	if n.isBlock() && !n.isFlat() && o.repeat {
		// A repeated block with optional parts is passed as a unit.
		u, err := ap.p.unitFor(ap, n)
		if err != nil {
			return err
		}
		pr := &Param{Name: ap.paramName(n), Type: GoType{Kind: KindUnit, Unit: u}}
		*params = append(*params, pr)
		// At the repeated node's position (the choice, for an alternative
		// of a repeated choice), like the occurrences collected below.
		*ops = append(*ops, Op{Kind: OpValue, Pos: o.n.pos, Param: pr})
		return nil
	}
	if err := ap.collect(n, params, ops, false); err != nil {
		return err
	}
	if o.repeat {
		rp := o.n.pos
		for i := start; i < len(*ops); i++ {
			(*ops)[i].Pos = rp
		}
	}
	return nil
}

// splitEnum returns the token choice of a block that splits into one method
// per token, or nil.
func splitEnum(n *node) *node {
	if !n.isBlock() || n.a.Token != "" || n.multiple() {
		return nil
	}
	var e *node
	for _, k := range n.kids {
		if k.optional() {
			continue
		}
		if k.isEnum() {
			if e != nil {
				return nil
			}
			e = k
		} else if !k.isFlat() {
			return nil
		}
	}
	if e == nil || e.a.Token != "" || len(e.kids) > 4 {
		return nil
	}
	return e
}

// addFlags adds the override's extra flags for choosing node n.
func (ap *argPlanner) addFlags(m *Method, n *node) {
	if f, ok := ap.ov.OptionFlags[n.path]; ok {
		m.Ops = append(m.Ops, Op{Kind: OpFlag, Flags: f})
	}
}

// variantAfter returns the reply variant after choosing node n in a state
// with variant cur.
func (ap *argPlanner) variantAfter(cur *Variant, n *node) *Variant {
	if ap.cmd == nil || ap.b.Unit != nil {
		return cur
	}
	for x := n; x != nil && x != ap.root; x = x.parent {
		for _, v := range ap.cmd.Variants {
			for _, t := range ap.ov.variantTriggers(v.Name) {
				if t == x.path {
					if cur == nil || v.Rank > cur.Rank {
						return v
					}
					return cur
				}
			}
		}
	}
	return cur
}

// dedupeMethodNames makes method names unique within a state and keeps
// them clear of the names every state has.
func dedupeMethodNames(st *State) {
	seen := map[string]int{"Do": 1, "Queue": 1, "Command": 1, "Err": 1, "String": 1}
	for _, m := range st.Methods {
		base := m.Name
		for seen[m.Name] > 0 {
			seen[base]++
			m.Name = fmt.Sprintf("%s%d", base, seen[base])
		}
		seen[m.Name]++
	}
}

// orderParams moves the one variadic parameter last; other repeated
// parameters become slices.
func orderParams(params []*Param) []*Param {
	var variadic []*Param
	var rest []*Param
	for _, p := range params {
		if p.Variadic {
			variadic = append(variadic, p)
		} else {
			rest = append(rest, p)
		}
	}
	for i, p := range variadic {
		if i < len(variadic)-1 {
			p.Variadic = false
			p.Type.Slice = true
		}
	}
	if len(variadic) > 1 {
		// The slices keep their spec order, before the final variadic.
		last := variadic[len(variadic)-1]
		rest = append(rest, variadic[:len(variadic)-1]...)
		return append(rest, last)
	}
	return append(rest, variadic...)
}

// uniqueParamNames renames duplicate parameter names (two "unit" enums).
func uniqueParamNames(params []*Param) {
	seen := map[string]int{}
	for _, p := range params {
		seen[p.Name]++
	}
	count := map[string]int{}
	for _, p := range params {
		if seen[p.Name] > 1 {
			count[p.Name]++
			p.Name = fmt.Sprintf("%s%d", p.Name, count[p.Name])
		}
	}
}

// planBuilder plans the states of a builder rooted at root. ctorFrom lists
// the nodes the constructors choose: the root itself for commands and
// block units, the alternatives for choice units.
func (ap *argPlanner) planBuilder() error {
	var ctors []*node
	if ap.root.isOneOf() {
		ctors = ap.root.kids
	} else {
		ctors = []*node{ap.root}
	}
	for _, cn := range ctors {
		c := &Ctor{}
		if ap.root.isOneOf() {
			stem := ap.ctorStem
			if stem == "" {
				stem = ap.stem
			}
			c.Name = stem + ap.methodName(cn)
			// An alternative only one server has says so (CLUSTER
			// REPLICATE's NO ONE: Valkey only).
			if cn.a.OnlyOn() != "" {
				c.Doc = append(c.Doc, availability(cn.a.Servers)+".")
			}
			if ap.root.a.Token != "" {
				c.Ops = append(c.Ops, Op{Kind: OpToken, Pos: ap.root.pos, Token: ap.root.a.Token})
			}
		} else {
			c.Name = ap.stem
		}
		if err := ap.collect(cn, &c.Params, &c.Ops, true); err != nil {
			return err
		}
		c.Params = orderParams(c.Params)
		uniqueParamNames(c.Params)
		var base *Variant
		if ap.cmd != nil && ap.b.Unit == nil {
			base = ap.cmd.Base
		}
		c.Next = ap.stateFor(cn, base, nil)
		ap.b.Ctors = append(ap.b.Ctors, c)
		if ap.cmd != nil && ap.b.Unit == nil && !ap.root.isOneOf() {
			if err := ap.planFrom(cn, c); err != nil {
				return err
			}
		}
	}
	if err := ap.planMethods(); err != nil {
		return err
	}
	for _, st := range ap.b.States {
		for _, m := range st.Methods {
			m.Params = orderParams(m.Params)
			uniqueParamNames(m.Params)
		}
	}
	// Name the states; the root state keeps the builder's name. A reply
	// variant is named only where states after the same option differ in
	// it (SetCmdExpiration, SetCmdExpirationGet).
	bases := make([]string, len(ap.b.States))
	count := map[string]int{}
	for i, st := range ap.b.States {
		bases[i] = ap.b.Name
		if i > 0 {
			bases[i] = ap.stateBaseName(st)
		}
		count[bases[i]]++
	}
	// States after the same option that differ in what the option rules
	// remember are named after it (ZAddCmdNX, ZRangeCmdRevByLex).
	// Only states that stay types count (the last ones are the runtime's
	// Cmd), and a reply variant names a state better.
	typed := map[string]int{}
	for i, st := range ap.b.States {
		if len(st.Methods) > 0 || ap.b.Unit != nil {
			typed[bases[i]]++
		}
	}
	renamed := map[string]int{}
	for i, st := range ap.b.States {
		if i > 0 && typed[bases[i]] > 1 && len(st.Methods) > 0 && (st.Variant == nil || st.Variant == ap.cmdBase()) {
			if name := ap.ruleStateName(st, bases[i]); name != bases[i] {
				bases[i] = name
				renamed[name]++
			}
		}
	}
	for name, n := range renamed {
		count[name] += n
	}
	names := map[string]bool{}
	// States that stay types are named first, so that a last state (the
	// runtime's Cmd, never seen) is the one a shared name is taken from.
	order := make([]int, 0, len(ap.b.States))
	for pass := 0; pass < 2; pass++ {
		for i, st := range ap.b.States {
			if (i == 0 || len(st.Methods) > 0 || ap.b.Unit != nil) == (pass == 0) {
				order = append(order, i)
			}
		}
	}
	for _, i := range order {
		st := ap.b.States[i]
		name := bases[i]
		if i > 0 && count[name] > 1 && st.Variant != nil && st.Variant.Name != "" && st.Variant != ap.cmdBase() {
			cmdName := ""
			if ap.cmd != nil {
				cmdName = ap.cmd.Spec.Name
			}
			name += stateVariantName(cmdName, st.Variant.Name)
		}
		base := name
		for k := 2; names[name]; k++ {
			name = fmt.Sprintf("%s%d", base, k)
		}
		names[name] = true
		st.Type = name
	}
	return nil
}

// planFrom adds the From constructor of a command whose required
// arguments end in a repeated pair (field value, key value, score member):
// the same constructor with the whole list in one parameter, a map, a
// tagged struct or a slice (HSetFrom(key, user)).
func (ap *argPlanner) planFrom(cn *node, ctor *Ctor) error {
	pn, kind := pairList(cn)
	if pn == nil {
		return nil
	}
	ap.pairsNode, ap.pairsKind = pn, kind
	defer func() { ap.pairsNode, ap.pairsKind = nil, "" }()
	c := &Ctor{Name: ctor.Name + "From", Next: ctor.Next}
	if err := ap.collect(cn, &c.Params, &c.Ops, true); err != nil {
		return err
	}
	c.Params = orderParams(c.Params)
	uniqueParamNames(c.Params)
	ap.b.Ctors = append(ap.b.Ctors, c)
	return nil
}

// pairList finds the required repeated pair among n's required arguments
// (inside required blocks too) and what kind of pair it is.
func pairList(n *node) (*node, string) {
	for _, k := range n.kids {
		if k.optional() {
			continue
		}
		if k.multiple() {
			if kind := pairKindOf(k); kind != "" {
				return k, kind
			}
			continue
		}
		if k.isBlock() {
			if pn, kind := pairList(k); pn != nil {
				return pn, kind
			}
		}
	}
	return nil, ""
}

// pairKindOf says what pair a repeated block of two scalars is, or "".
func pairKindOf(k *node) string {
	if !k.isBlock() || len(k.kids) != 2 || k.a.Token != "" {
		return ""
	}
	first, second := k.kids[0], k.kids[1]
	if !first.isScalar() || !second.isScalar() || first.a.Token != "" || second.a.Token != "" ||
		first.optional() || second.optional() || first.multiple() || second.multiple() {
		return ""
	}
	switch {
	case first.a.Type == spec.TypeKey && payloadNames[strings.ToLower(second.a.Name)]:
		return "pairsKeyValue"
	case first.a.Type == spec.TypeDouble && payloadNames[strings.ToLower(second.a.Name)]:
		return "pairsScoreMember"
	case first.a.Type == spec.TypeString && payloadNames[strings.ToLower(second.a.Name)]:
		return "pairsFieldValue"
	}
	return ""
}

// pairsParamName names the list parameter of a From constructor.
func pairsParamName(kind string) string {
	switch kind {
	case "pairsKeyValue":
		return "pairs"
	case "pairsScoreMember":
		return "members"
	}
	return "fields"
}

// stateVariantName is the part of a state's name that tells a reply
// variant: the variant's name, or its short form from stateVariantNames.
func stateVariantName(command, variant string) string {
	if n, ok := stateVariantNames[command][variant]; ok {
		return n
	}
	return variant
}
