package gen

// This file is part of the planning layer: it composes doc comments from
// spec facts only (syntax line, version, group, complexity, ACL categories,
// deprecation and a link to the command's page). No upstream prose is used.

import (
	"fmt"
	"strings"

	"github.com/redkit-go/redkit/spec"
)

// SyntaxLine renders a command's syntax line from its whole argument tree,
// as the generated doc comments show it: "SET key value [NX | XX] ...".
func SyntaxLine(c *spec.Command) string { return syntax(c, c.Arguments) }

// syntax renders a command's syntax line: "SET key value [NX | XX] ...".
func syntax(c *spec.Command, args []*spec.Argument) string {
	parts := []string{c.Name}
	for _, a := range args {
		parts = append(parts, argSyntax(a))
	}
	return strings.Join(parts, " ")
}

func argSyntax(a *spec.Argument) string {
	var s string
	name := a.Display
	if name == "" {
		name = a.Name
	}
	switch a.Type {
	case spec.TypePureToken:
		s = a.Token
	case spec.TypeOneOf:
		var alts []string
		for _, k := range a.Arguments {
			alts = append(alts, argSyntax(k))
		}
		s = strings.Join(alts, " | ")
		if a.Token != "" {
			s = a.Token + " " + wrapChoice(s, a.Optional)
		} else if !a.Optional {
			s = "<" + s + ">"
		}
	case spec.TypeBlock:
		var ks []string
		for _, k := range a.Arguments {
			ks = append(ks, argSyntax(k))
		}
		s = strings.Join(ks, " ")
		if a.Token != "" {
			s = a.Token + " " + s
		}
	default:
		s = name
		if a.Token != "" {
			s = a.Token + " " + s
		}
	}
	if a.Multiple {
		rep := s
		if a.Token != "" && !a.MultipleToken && a.Type != spec.TypePureToken {
			rep = strings.TrimPrefix(s, a.Token+" ")
		}
		s = s + " [" + rep + " ...]"
	}
	if a.Optional {
		s = "[" + s + "]"
	}
	return s
}

func wrapChoice(s string, optional bool) string {
	if optional {
		return s
	}
	return "<" + s + ">"
}

// docURL is the command's page on redis.io, or on valkey.io for a command
// only Valkey has.
func docURL(c *spec.Command) string {
	slug := strings.ToLower(strings.ReplaceAll(c.Name, " ", "-"))
	if c.OnlyOn() == spec.ServerValkey {
		return "https://valkey.io/commands/" + slug + "/"
	}
	return "https://redis.io/docs/latest/commands/" + slug + "/"
}

// availability says on which servers a command or option exists, without
// the final period: "Since: Redis 8.0.0, Valkey 9.0.0", "Valkey only,
// since 9.0.0", "Redis only" (version not known, as for a module's
// command). A server without a version in a list of several has the
// option since the command.
func availability(servers map[string]string) string {
	var names []string
	for _, s := range spec.KnownServers {
		if _, ok := servers[s]; ok {
			names = append(names, s)
		}
	}
	if len(names) == 1 {
		s := spec.ServerTitle(names[0]) + " only"
		if v := servers[names[0]]; v != "" {
			s += ", since " + v
		}
		return s
	}
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = spec.ServerTitle(n) + " "
		if v := servers[n]; v != "" {
			parts[i] += v
		} else {
			parts[i] += "(as the command)"
		}
	}
	return "Since: " + strings.Join(parts, ", ")
}

// optionSince is the sentence of an option's doc comment on the version
// (and servers) that added it, or "".
func optionSince(m *Method) string {
	if m.Servers != nil {
		return availability(m.Servers) + "."
	}
	if m.Since != "" {
		return "Since version " + m.Since + " (the command is older)."
	}
	return ""
}

// commandDoc composes the doc comment of a command constructor.
// notes are sentences about the constructor's parameters (how durations
// are sent), given as a paragraph of their own.
func commandDoc(cmd *Command, args []*spec.Argument, notes []string) []string {
	c := cmd.Spec
	lines := []string{
		fmt.Sprintf("%s builds the %s command.", cmd.Func, c.Name),
		"",
		"\t" + syntax(c, args),
		"",
	}
	if len(notes) > 0 {
		lines = append(append(lines, notes...), "")
	}
	var facts []string
	if c.Servers != nil {
		facts = append(facts, availability(c.Servers))
	}
	// A module's own version, where no server version says it.
	if c.Since != "" && (c.Servers == nil || (c.Module != "" && c.Servers[spec.ServerRedis] == "")) {
		facts = append(facts, "Since: "+c.Since)
	}
	facts = append(facts, "Group: "+c.Group)
	if c.Module != "" {
		facts = append(facts, "Module: "+c.Module)
	}
	if c.Complexity != "" {
		facts = append(facts, "Complexity: "+oneLine(c.Complexity))
	}
	lines = append(lines, strings.Join(facts, ". ")+".")
	if len(c.ACLCategories) > 0 {
		lines = append(lines, "ACL categories: @"+strings.Join(c.ACLCategories, ", @")+".")
	}
	lines = append(lines, "See "+docURL(c))
	if c.DeprecatedSince != "" {
		dep := "Deprecated: as of version " + c.DeprecatedSince
		if c.ReplacedBy != "" {
			dep += ", replaced by " + oneLine(c.ReplacedBy)
		}
		lines = append(lines, "", dep+".")
	}
	return lines
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
