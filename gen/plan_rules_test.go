package gen

// This file tests the option rules' typestate (plan_rules.go): which
// methods the chains' states offer once options are chosen.

import (
	"strings"
	"testing"
)

// TestOptionRulesResolve checks that every rule of optionRules names
// arguments of the repository's spec (the planner skips rules whose
// arguments a fixture spec lacks), and that its commands have builders.
func TestOptionRulesResolve(t *testing.T) {
	p := realPlan(t)
	byName := map[string]*Command{}
	for _, c := range p.Commands {
		byName[c.Spec.Name] = c
	}
	for _, name := range sortedKeys(optionRules) {
		c := byName[name]
		if c == nil {
			t.Errorf("%s: no such command", name)
			continue
		}
		for i := range optionRules[name] {
			if _, err := resolveRule(&optionRules[name][i], c.Builder.root); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
}

// TestRuleStates follows chains through the planned states and checks the
// methods the last state offers and lacks.
func TestRuleStates(t *testing.T) {
	p := realPlan(t)
	byName := map[string]*Command{}
	for _, c := range p.Commands {
		byName[c.Spec.Name] = c
	}
	for _, tc := range []struct {
		command string
		chain   string // methods from the first constructor, space-separated
		has     string
		lacks   string
	}{
		{"ZADD", "", "NX XX GT LT CH Incr ScoreMember", ""},
		{"ZADD", "NX", "CH Incr ScoreMember", "GT LT"},
		{"ZADD", "XX", "GT LT CH Incr", ""},
		{"ZADD", "XX GT", "CH Incr ScoreMember", ""},
		{"ZADD", "NX CH", "Incr ScoreMember", ""},
		{"ZADD", "GT CH", "Incr ScoreMember", ""},
		{"ZADD", "Incr", "", "ScoreMember"},
		{"ZRANGE", "", "ByScore ByLex Rev WithScores", "Limit"},
		{"ZRANGE", "Rev", "WithScores", "Limit"},
		{"ZRANGE", "ByScore", "Rev Limit WithScores", ""},
		{"ZRANGE", "ByScore Rev", "Limit WithScores", ""},
		{"ZRANGE", "ByScore Limit", "WithScores", ""},
		{"ZRANGE", "ByLex", "Rev Limit", "WithScores"},
		{"ZRANGE", "ByLex Rev", "Limit", "WithScores"},
		{"ZRANGE", "ByLex Rev Limit", "", "WithScores"},
		{"ZRANGESTORE", "", "ByScore ByLex Rev", "Limit"},
		{"ZRANGESTORE", "Rev", "", "Limit"},
		{"ZRANGESTORE", "ByLex Rev", "Limit", ""},
		{"LCS", "", "Len IDX", "MinMatchLen WithMatchLen"},
		{"LCS", "Len", "", "IDX MinMatchLen WithMatchLen"},
		{"LCS", "IDX", "MinMatchLen WithMatchLen", ""},
		{"LCS", "IDX MinMatchLen", "WithMatchLen", ""},
		{"GEORADIUS", "", "WithCoord WithDist WithHash Count Asc Store StoreDist", ""},
		{"GEORADIUS", "WithDist", "WithHash Count Asc", "Store StoreDist"},
		{"GEORADIUS", "Count Desc", "Store StoreDist", ""},
		{"GEORADIUSBYMEMBER", "WithCoord Count", "Asc", "Store StoreDist"},
		{"XADD", "MaxLen", "Exact Approx FieldValue", "Limit"},
		{"XADD", "MaxLen Exact", "FieldValue", "Limit"},
		{"XADD", "MinID Approx", "Limit FieldValue", ""},
		{"XTRIM", "", "Exact Approx KeepRef", "Limit"},
		{"XTRIM", "Approx", "Limit KeepRef", ""},
		{"FAILOVER", "", "To Abort Timeout", ""},
		{"FAILOVER", "To", "Force Timeout", "Abort"},
		{"FAILOVER", "Abort", "", "Timeout"},
		{"CLIENT TRACKING", "", "BCast OptIn OptOut NoLoop Prefix", ""},
		{"CLIENT TRACKING", "BCast", "NoLoop", "OptIn OptOut"},
		{"CLIENT TRACKING", "OptIn", "NoLoop", "OptOut"},
		{"INCREX", "", "EX PX EXAT PXAT Persist", "ENX"},
		{"INCREX", "ByInt Saturate", "EX Persist", "ENX"},
		{"INCREX", "PX", "ENX", ""},
		{"INCREX", "ByFloat EXAT", "ENX", ""},
	} {
		name := tc.command + " ." + strings.ReplaceAll(tc.chain, " ", ".")
		c := byName[tc.command]
		if c == nil {
			t.Errorf("%s: no such command", name)
			continue
		}
		st := c.Builder.Ctors[0].Next
		for _, m := range strings.Fields(tc.chain) {
			next := stateMethod(st, m)
			if next == nil {
				t.Errorf("%s: %s offers no %s", name, st.Type, m)
				st = nil
				break
			}
			st = next.Next
		}
		if st == nil {
			continue
		}
		for _, m := range strings.Fields(tc.has) {
			if stateMethod(st, m) == nil {
				t.Errorf("%s: %s lacks %s", name, st.Type, m)
			}
		}
		for _, m := range strings.Fields(tc.lacks) {
			if stateMethod(st, m) != nil {
				t.Errorf("%s: %s offers %s", name, st.Type, m)
			}
		}
	}
}

// stateMethod returns st's method called name, or nil.
func stateMethod(st *State, name string) *Method {
	for _, m := range st.Methods {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// TestRuleOptionConditions checks the conditions the options form refuses
// for a few rules: both options of an exclusion, an option without any
// it needs, and none for an option left out of the struct.
func TestRuleOptionConditions(t *testing.T) {
	p := realPlan(t)
	got := map[string][]string{}
	for _, c := range p.Commands {
		if c.Options == nil {
			continue
		}
		for _, r := range c.Options.Rules {
			var conds []string
			for _, w := range r.When {
				s := ""
				if w.Not {
					s = "!"
				}
				s += w.Chain[len(w.Chain)-1].Node.path
				if w.Alt != nil {
					s = strings.TrimSuffix(s, w.Chain[len(w.Chain)-1].Node.path) + w.Alt.path
				}
				conds = append(conds, s)
			}
			got[c.Spec.Name] = append(got[c.Spec.Name], strings.Join(conds, " "))
		}
	}
	want := map[string][]string{
		"ZADD":            {"condition.nx comparison"},
		"ZRANGE":          {"limit !sortby", "withscores sortby.bylex"},
		"ZRANGESTORE":     {"limit !sortby"},
		"XADD":            {"trim.count !trim.operator.approximately"},
		"XTRIM":           {"trim.count !trim.operator.approximately"},
		"FAILOVER":        {"abort target", "abort milliseconds", "target.force !milliseconds"},
		"CLIENT TRACKING": {"bcast optin", "bcast optout", "optin optout", "prefix !bcast"},
		"INCREX":          {"enx !expiration.seconds !expiration.milliseconds !expiration.unix-time-seconds !expiration.unix-time-milliseconds"},
		"LCS":             nil, // LEN and IDX change the reply: chains only
		"GEORADIUS":       nil, // STORE changes the reply: chains only
	}
	for name, w := range want {
		if strings.Join(got[name], "; ") != strings.Join(w, "; ") {
			t.Errorf("%s: option conditions %q, want %q", name, got[name], w)
		}
	}
}
