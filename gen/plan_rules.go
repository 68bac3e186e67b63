package gen

// This file is part of the planning layer: it applies the option rules of
// overrides_rules.go to a command's typestate. A state remembers the
// options chosen so far that a rule still needs (chosenRule); a method is
// left out of a state when a rule refuses it there: an option excluded by
// one already chosen, or one that needs an option of which none was chosen
// (when all of those come before it in the syntax, so that a chain could
// have chosen them).

import (
	"fmt"
	"sort"
	"strings"
)

// stateRules are a command's option rules resolved to its argument tree.
type stateRules struct {
	rules []*resolvedRule
	// sides are the nodes that some rule names.
	sides map[*node]bool
}

// resolvedRule is an optionRule with its paths resolved.
type resolvedRule struct {
	rule     *optionRule
	option   *node
	excludes []*node
	needs    []*node
	// chained reports whether the chains express Needs (all of them come
	// before Option in the syntax).
	chained bool
}

// resolveRules resolves a command's rules against its tree; rules naming a
// path the tree lacks (a fixture spec, an older spec) are left out, and
// TestOptionRulesResolve checks that none is for the repository's spec.
func resolveRules(command string, root *node) *stateRules {
	rs := &stateRules{sides: map[*node]bool{}}
	for i := range optionRules[command] {
		r := &optionRules[command][i]
		rr, err := resolveRule(r, root)
		if err != nil {
			continue
		}
		rs.rules = append(rs.rules, rr)
		rs.sides[rr.option] = true
		for _, n := range append(append([]*node{}, rr.excludes...), rr.needs...) {
			rs.sides[n] = true
		}
	}
	if len(rs.rules) == 0 {
		return nil
	}
	return rs
}

// resolveRule resolves one rule's paths below root.
func resolveRule(r *optionRule, root *node) (*resolvedRule, error) {
	find := func(path string) (*node, error) {
		if n := findNode(root, path); n != nil {
			return n, nil
		}
		return nil, fmt.Errorf("option rule %q: no argument %s", r.Why, path)
	}
	rr := &resolvedRule{rule: r, chained: true}
	var err error
	if rr.option, err = find(r.Option); err != nil {
		return nil, err
	}
	for _, p := range r.Excludes {
		n, err := find(p)
		if err != nil {
			return nil, err
		}
		rr.excludes = append(rr.excludes, n)
	}
	for _, p := range r.Needs {
		n, err := find(p)
		if err != nil {
			return nil, err
		}
		rr.needs = append(rr.needs, n)
		if lastPos(n) >= rr.option.pos {
			rr.chained = false
		}
	}
	return rr, nil
}

// lastPos is the highest wire position within n's subtree.
func lastPos(n *node) int {
	p := n.pos
	for _, k := range n.kids {
		if q := lastPos(k); q > p {
			p = q
		}
	}
	return p
}

// chosenHas reports whether side, or a node within it, was chosen.
func chosenHas(chosen []*node, side *node) bool {
	for _, c := range chosen {
		if c == side {
			return true
		}
	}
	return false
}

// refuses reports whether a state whose rule-relevant choices are chosen
// must leave out the method that chooses node m.
func (rs *stateRules) refuses(m *node, chosen []*node) bool {
	if rs == nil {
		return false
	}
	for _, r := range rs.rules {
		if within(r.option, m) {
			for _, x := range r.excludes {
				if chosenHas(chosen, x) {
					return true
				}
			}
			if len(r.needs) > 0 && r.chained {
				met := false
				for _, n := range r.needs {
					met = met || chosenHas(chosen, n)
				}
				if !met {
					return true
				}
			}
		}
		for _, x := range r.excludes {
			if within(x, m) && chosenHas(chosen, r.option) {
				return true
			}
		}
	}
	return false
}

// choose returns chosen plus the rule sides among picked and its
// ancestors, sorted by position.
func (rs *stateRules) choose(chosen []*node, picked ...*node) []*node {
	if rs == nil {
		return nil
	}
	out := append([]*node{}, chosen...)
	for _, p := range picked {
		for n := p; n != nil && n.parent != nil; n = n.parent {
			if rs.sides[n] && !chosenHas(out, n) {
				out = append(out, n)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].pos < out[j].pos })
	return out
}

// key identifies what the option rules refuse from node `after` on: the
// positions of the later options (and the further occurrences of required
// repeated arguments) that chosen rules out. Since rules only ever refuse
// more as a chain grows, or lift a need, states that refuse the same are
// the same state whatever chose them.
func (rs *stateRules) key(chosen []*node, after, root *node) string {
	if rs == nil {
		return ""
	}
	var b strings.Builder
	var walk func(n *node)
	walk = func(n *node) {
		for _, k := range n.kids {
			if (k.pos > after.pos || k.multiple() && !k.optional()) && rs.refuses(k, chosen) {
				fmt.Fprintf(&b, "%d,", k.pos)
			}
			walk(k)
		}
	}
	walk(root)
	if b.Len() == 0 {
		return ""
	}
	return "|refused:" + b.String()
}

// matters reports whether the choice of c can still remove a method from
// a state after node `after`.
func (rs *stateRules) matters(c, after *node) bool {
	later := func(n *node) bool { return lastPos(n) > after.pos || n.multiple() && !n.optional() }
	for _, r := range rs.rules {
		if r.option == c {
			for _, x := range r.excludes {
				if later(x) {
					return true
				}
			}
		}
		for _, x := range r.excludes {
			if x == c && later(r.option) {
				return true
			}
		}
		for _, n := range r.needs {
			if n == c && r.chained && later(r.option) {
				return true
			}
		}
	}
	return false
}

// excludesOf lists the labels of the options that the rules exclude once
// node m is chosen, for its method's doc comment.
func (rs *stateRules) excludesOf(m *node) []string {
	if rs == nil {
		return nil
	}
	var out []string
	for _, r := range rs.rules {
		if within(r.option, m) {
			for _, x := range r.excludes {
				out = append(out, ruleLabel(x))
			}
		}
		for _, x := range r.excludes {
			if within(x, m) {
				out = append(out, ruleLabel(r.option))
			}
		}
	}
	return out
}

// ruleLabel names a rule's side in docs: a choice by its alternatives.
func ruleLabel(n *node) string {
	if n.isOneOf() && n.a.Token == "" {
		var alts []string
		for _, k := range n.kids {
			alts = append(alts, argLabel(k))
		}
		return strings.Join(alts, ", ")
	}
	if !n.optional() && n.multiple() {
		var parts []string
		for _, k := range n.kids {
			parts = append(parts, argLabel(k))
		}
		if len(parts) == 0 {
			parts = append(parts, argLabel(n))
		}
		return "more than one " + strings.Join(parts, " and ")
	}
	return argLabel(n)
}

// planRules turns the command's option rules into the conditions its
// options form refuses when built: an option with one it excludes, or an
// option without any it needs. A rule about an option that has no field
// (one left out of the struct, or a required argument's further
// occurrences) is the chains' alone.
func (op *optPlanner) planRules() error {
	for i := range optionRules[op.cmd.Spec.Name] {
		r := &optionRules[op.cmd.Spec.Name][i]
		if _, err := resolveRule(r, op.cmd.Builder.root); err != nil {
			// Not in this spec's version of the command (a fixture
			// spec): TestOptionRulesResolve checks that every rule
			// applies to the repository's spec.
			continue
		}
		cond := func(path string, not bool) (OptCond, bool) {
			chain, alt := findOption(op.set.Struct, path)
			return OptCond{Chain: chain, Alt: alt, Not: not}, chain != nil
		}
		opt, ok := cond(r.Option, false)
		if !ok {
			continue
		}
		for _, x := range r.Excludes {
			if c, ok := cond(x, false); ok {
				op.set.Rules = append(op.set.Rules, &OptRule{When: []OptCond{opt, c}, Why: r.Why})
			}
		}
		if len(r.Needs) > 0 {
			rule := &OptRule{When: []OptCond{opt}, Why: r.Why}
			for _, n := range r.Needs {
				c, ok := cond(n, true)
				if !ok {
					// A needed option without a field can never be
					// set: the rule would refuse Option always.
					rule = nil
					break
				}
				rule.When = append(rule.When, c)
			}
			if rule != nil {
				op.set.Rules = append(op.set.Rules, rule)
			}
		}
	}
	return nil
}

// relevant lists the chosen nodes that can still refuse or allow an
// option after node `after`, leaving out any that another of them lies
// within.
func (rs *stateRules) relevant(chosen []*node, after *node) []*node {
	if rs == nil {
		return nil
	}
	var out []*node
	for _, c := range chosen {
		if !rs.matters(c, after) {
			continue
		}
		inner := false
		for _, d := range chosen {
			if d != c && within(c, d) && rs.matters(d, after) {
				inner = true
			}
		}
		if !inner {
			out = append(out, c)
		}
	}
	return out
}

// ruleStateName names a state after what the option rules remember of its
// chain, when its base name is shared: after an alternative that a rule
// names, the alternative's name instead of its choice's; then the names of
// the other remembered choices.
func (ap *argPlanner) ruleStateName(st *State, base string) string {
	rel := ap.rules.relevant(st.chosen, st.after)
	if len(rel) == 0 {
		return base
	}
	name := base
	for _, c := range rel {
		switch {
		case c == st.after && c.parent != nil && c.parent.isOneOf() && c.parent != ap.root:
			name = ap.b.Name + ap.methodName(c)
		case within(c, st.after):
			// The option the base is named after, or a block within
			// which it was chosen.
		default:
			name += ap.methodName(c)
		}
	}
	return name
}
