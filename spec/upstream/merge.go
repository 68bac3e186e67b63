package upstream

// This file merges Sources into one spec.

import (
	"errors"
	"fmt"
	"sort"

	"github.com/redkit-go/redkit/spec"
)

// Merge combines sources in the given order into one validated spec. For
// each command, a later source overrides earlier ones field by field where
// it gives the field: module, group, since, complexity, arity, flags, ACL
// categories, tips, doc flags, deprecated_since, replaced_by, history, the
// key specs as a whole, the argument tree as a whole and the reply schema.
// A source that gives a field empty (an empty flags list, say) clears it.
// Sources lists every source that mentions the command, in merge order.
//
// After merging, every command must have a group, every subcommand's
// container must be a command, every key_spec_index must be in range of the
// key specs the command ended up with (they may come from another source
// than the arguments), and spec.Spec.Validate must pass. The result shares
// no memory with the sources except reply schemas, which are never
// modified.
func Merge(sources ...*Source) (*spec.Spec, error) {
	if len(sources) == 0 {
		return nil, errors.New("upstream: no sources to merge")
	}
	merged := map[string]*spec.Command{}
	argsFrom := map[string]string{}
	keysFrom := map[string]string{}
	for i, src := range sources {
		if src == nil {
			return nil, fmt.Errorf("upstream: source %d is nil", i)
		}
		for _, name := range sortedNames(src.Commands) {
			c := src.Commands[name]
			if c == nil || c.Name != name {
				return nil, &Error{File: src.Name, Command: name, Field: "name", Msg: "the command under this name has another name"}
			}
			f := src.fields(c)
			m := merged[name]
			if m == nil {
				m = &spec.Command{Name: name, Container: c.Container}
				merged[name] = m
			}
			if m.Container != c.Container {
				return nil, &Error{File: src.Name, Command: name, Field: "container", Msg: fmt.Sprintf("%q, where an earlier source says %q", c.Container, m.Container)}
			}
			mergeInto(m, c, f)
			if f&hasArguments != 0 {
				argsFrom[name] = src.Name
			}
			if f&hasKeySpecs != 0 {
				keysFrom[name] = src.Name
			}
			if !contains(m.Sources, src.Name) {
				m.Sources = append(m.Sources, src.Name)
			}
		}
	}
	s := &spec.Spec{Commands: make([]*spec.Command, 0, len(merged))}
	for _, name := range sortedNames(merged) {
		s.Commands = append(s.Commands, merged[name])
	}
	if err := crossCheck(s, argsFrom, keysFrom); err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

func mergeInto(m, c *spec.Command, f fieldSet) {
	if f&hasModule != 0 {
		m.Module = c.Module
	}
	if f&hasGroup != 0 {
		m.Group = c.Group
	}
	if f&hasSince != 0 {
		m.Since = c.Since
	}
	if f&hasComplexity != 0 {
		m.Complexity = c.Complexity
	}
	if f&hasArity != 0 {
		m.Arity = c.Arity
	}
	if f&hasFlags != 0 {
		m.Flags = cloneStrings(c.Flags)
	}
	if f&hasACL != 0 {
		m.ACLCategories = cloneStrings(c.ACLCategories)
	}
	if f&hasTips != 0 {
		m.Tips = nil
		if c.Tips != nil {
			t := *c.Tips
			m.Tips = &t
		}
	}
	if f&hasDocFlags != 0 {
		m.DocFlags = cloneStrings(c.DocFlags)
	}
	if f&hasDeprecatedSince != 0 {
		m.DeprecatedSince = c.DeprecatedSince
	}
	if f&hasReplacedBy != 0 {
		m.ReplacedBy = c.ReplacedBy
	}
	if f&hasHistory != 0 {
		m.History = cloneStrings(c.History)
	}
	if f&hasKeySpecs != 0 {
		m.KeySpecs = nil
		for _, ks := range c.KeySpecs {
			ks.Flags = cloneStrings(ks.Flags)
			m.KeySpecs = append(m.KeySpecs, ks)
		}
	}
	if f&hasArguments != 0 {
		m.Arguments = cloneArgs(c.Arguments)
	}
	if f&hasReply != 0 {
		m.Reply = c.Reply
	}
}

// fields says which facts the source gives for c: what the parser recorded
// or, for a Source built by hand, every non-empty field.
func (s *Source) fields(c *spec.Command) fieldSet {
	if f, ok := s.has[c.Name]; ok {
		return f
	}
	var f fieldSet
	set := func(cond bool, bit fieldSet) {
		if cond {
			f |= bit
		}
	}
	set(c.Module != "", hasModule)
	set(c.Group != "", hasGroup)
	set(c.Since != "", hasSince)
	set(c.Complexity != "", hasComplexity)
	set(c.Arity != 0, hasArity)
	set(c.Flags != nil, hasFlags)
	set(c.ACLCategories != nil, hasACL)
	set(c.Tips != nil, hasTips)
	set(c.DocFlags != nil, hasDocFlags)
	set(c.DeprecatedSince != "", hasDeprecatedSince)
	set(c.ReplacedBy != "", hasReplacedBy)
	set(c.History != nil, hasHistory)
	set(c.KeySpecs != nil, hasKeySpecs)
	set(c.Arguments != nil, hasArguments)
	set(c.Reply != nil, hasReply)
	return f
}

func crossCheck(s *spec.Spec, argsFrom, keysFrom map[string]string) error {
	names := make(map[string]bool, len(s.Commands))
	for _, c := range s.Commands {
		names[c.Name] = true
	}
	for _, c := range s.Commands {
		if c.Group == "" {
			return &Error{Command: c.Name, Field: "group", Msg: fmt.Sprintf("no source gives one (sources: %v)", c.Sources)}
		}
		if c.Container != "" && !names[c.Container] {
			return &Error{Command: c.Name, Field: "container", Msg: fmt.Sprintf("%s is not in any source", c.Container)}
		}
		if err := checkKeyIndexes(c, c.Arguments, "arguments", argsFrom[c.Name], keysFrom[c.Name]); err != nil {
			return err
		}
	}
	return nil
}

func checkKeyIndexes(c *spec.Command, args []*spec.Argument, path, argsFrom, keysFrom string) error {
	n := len(c.KeySpecs)
	origin := func() string {
		if keysFrom == "" {
			return fmt.Sprintf("arguments from %s, no key specs", argsFrom)
		}
		return fmt.Sprintf("arguments from %s, %d key specs from %s", argsFrom, n, keysFrom)
	}
	for i, a := range args {
		p := index(path, i)
		if a.KeySpecIndex >= n {
			return &Error{Command: c.Name, Field: p + ".key_spec_index", Msg: fmt.Sprintf("%d out of range (%s)", a.KeySpecIndex, origin())}
		}
		if a.Type == spec.TypeKey && a.KeySpecIndex < 0 && n > 0 {
			return &Error{Command: c.Name, Field: p + ".key_spec_index", Msg: fmt.Sprintf("missing for a key argument (%s)", origin())}
		}
		if err := checkKeyIndexes(c, a.Arguments, p+".arguments", argsFrom, keysFrom); err != nil {
			return err
		}
	}
	return nil
}

func cloneArgs(args []*spec.Argument) []*spec.Argument {
	if args == nil {
		return nil
	}
	out := make([]*spec.Argument, len(args))
	for i, a := range args {
		b := *a
		b.Arguments = cloneArgs(a.Arguments)
		out[i] = &b
	}
	return out
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string{}, s...)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
