package gen

// This file is part of the planning layer: it composes doc comments from
// spec facts only (syntax line, version, group, complexity, ACL categories,
// deprecation and a link to the command's page). No upstream prose is used.

import (
	"fmt"
	"strings"

	"github.com/redkit-go/redkit/spec"
)

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

// docURL is the command's page on redis.io.
func docURL(c *spec.Command) string {
	slug := strings.ToLower(strings.ReplaceAll(c.Name, " ", "-"))
	return "https://redis.io/docs/latest/commands/" + slug + "/"
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
	if c.Since != "" {
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
