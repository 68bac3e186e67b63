package gen

// This file summarizes a plan for `redkit spec stats`: how much of the spec
// has builders and typed replies, and which commands fall back to a
// generic reply.

import (
	"sort"

	"github.com/redkit-go/redkit/spec"
)

// Stats counts what a plan covers.
type Stats struct {
	Commands   int // commands and subcommands in the spec
	Containers int // containers (sent only through subcommands)
	Modules    int // commands from modules
	Builders   int // commands with a generated builder
	Typed      int // builders whose every reply shape is a fixed Go type
	States     int // builder state types (chain ends are the runtime's generic Cmd)
	ReplyTypes int // distinct reply types
	// Generic lists commands with a reply shape (of any variant) that is
	// or holds the generic Value (outside struct fields), with the reason.
	Generic []Skipped
	// Skipped lists commands without a builder, with the reason.
	Skipped []Skipped
	// OptionStructs counts commands with a run-time options struct
	// (<Func>Options, taken by With), OptionFields their fields.
	OptionStructs, OptionFields int
	// OptionsLeftOut lists optional arguments without a field ("SET GET"),
	// with the reason: they stay chained methods only.
	OptionsLeftOut []Skipped
	// Servers counts the spec's commands per server (spec.Command.Servers).
	Servers ServerCounts
}

// ServerCounts counts commands by the servers that have them.
type ServerCounts struct {
	Redis, Valkey int // commands each server has
	Both          int // commands both have
	RedisOnly     int
	ValkeyOnly    int
	Unknown       int // commands whose spec does not say (Servers is nil)
}

// countServers counts the commands of s by server.
func countServers(s *spec.Spec) ServerCounts {
	var n ServerCounts
	for _, c := range s.Commands {
		if c.Servers == nil {
			n.Unknown++
			continue
		}
		r, v := c.On(spec.ServerRedis), c.On(spec.ServerValkey)
		switch {
		case r && v:
			n.Both++
		case r:
			n.RedisOnly++
		case v:
			n.ValkeyOnly++
		}
		if r {
			n.Redis++
		}
		if v {
			n.Valkey++
		}
	}
	return n
}

// Stats computes the plan's statistics.
func (p *Plan) Stats() Stats {
	st := Stats{Commands: len(p.Spec.Commands), Builders: len(p.Commands), ReplyTypes: len(p.Types.byKey), Servers: countServers(p.Spec)}
	for _, c := range p.Spec.Commands {
		if c.Module != "" {
			st.Modules++
		}
		if p.Spec.IsContainer(c.Name) {
			st.Containers++
		}
	}
	for _, c := range p.Commands {
		st.States += emittedStates(c.Builder)
		generic := false
		for _, v := range c.Variants {
			if containsAny(v.Reply, map[*Type]bool{}) {
				generic = true
			}
		}
		if generic {
			st.Generic = append(st.Generic, Skipped{Name: c.Spec.Name, Reason: c.GenericWhy})
		} else {
			st.Typed++
		}
	}
	sort.Slice(st.Generic, func(i, j int) bool { return st.Generic[i].Name < st.Generic[j].Name })
	st.Skipped = p.Skipped
	p.optionStats(&st)
	return st
}

func containsAny(t *Type, seen map[*Type]bool) bool {
	if t == nil || seen[t] {
		return false
	}
	seen[t] = true
	if t.Kind == TAny {
		return true
	}
	if containsAny(t.Elem, seen) || containsAny(t.Key, seen) {
		return true
	}
	// Struct fields are not followed: a struct with a field of generic
	// values (such as the spec map of a key specification) is a typed
	// reply.
	return false
}
