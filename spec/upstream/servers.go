package upstream

// This file records a second server's command table (Valkey's source tree)
// in a spec merged from Redis's sources: on which servers each command and
// argument exists, and since which version there.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/redkit-go/redkit/spec"
)

// ValkeyFork is the first Valkey version: Valkey forked from Redis 7.2.4,
// so a command or argument it inherited exists since Valkey 7.2.0 although
// Valkey's files keep Redis's "since" for it.
const ValkeyFork = "7.2.0"

// valkeyOwn is the first Valkey version after the fork: a "since" of this
// or later in Valkey's files is a Valkey version.
const valkeyOwn = "8.0.0"

// ValkeySince turns a "since" of Valkey's command files into a Valkey
// version: versions before Valkey's own 8.0.0 are Redis's, inherited, and
// become ValkeyFork.
func ValkeySince(since string) string {
	if since == "" || spec.VersionLess(since, valkeyOwn) {
		return ValkeyFork
	}
	return since
}

// MergeServer records in s, a spec merged from Redis's sources, the
// command table of another server (spec.ServerValkey, from its source tree):
//
//   - Every command gets Servers. Redis has every command of s: since its
//     Since for core and vector set commands, since an unknown version for
//     the other modules' commands (their Since is the module's version).
//   - A command both have gets the server's version (ValkeySince). One only
//     the server has is added whole from src (its Since is the server's
//     version).
//   - The argument trees of commands both have are compared level by level
//     (mergeArgs): arguments only one server has get Servers naming it, and
//     the server's own are inserted where its tree has them. Redis's tree
//     stays the frame: names, types and tokens where both have an argument.
//     Where the server has a choice whose other alternatives are Redis's
//     loose arguments (BGSAVE [SCHEDULE | CANCEL], CLUSTER REPLICATE
//     <node-id | NO ONE>), those become a choice with the server's
//     alternatives (wrap).
//
// Facts of s from an earlier MergeServer of the same server are replaced.
// Notes lists what could not be merged (a server-only alternative of a
// choice that Redis's tree has in another shape), sorted.
func MergeServer(s *spec.Spec, server string, src *Source) (notes []string, err error) {
	if server != spec.ServerValkey {
		return nil, fmt.Errorf("upstream: server %q: only %s's tree can be merged over Redis's sources", server, spec.ServerValkey)
	}
	if src == nil || len(src.Commands) == 0 {
		return nil, fmt.Errorf("upstream: server %s: no commands", server)
	}
	for _, c := range s.Commands {
		forget(c, server)
		if c.Servers == nil {
			c.Servers = map[string]string{spec.ServerRedis: redisSince(c)}
		}
	}
	for _, name := range sortedNames(src.Commands) {
		v := src.Commands[name]
		since := ValkeySince(v.Since)
		c := s.Lookup(name)
		if c == nil {
			c = cloneCommand(v)
			c.Since = since
			c.Servers = map[string]string{server: since}
			c.Sources = []string{src.Name}
			c.Arguments = markArgs(c.Arguments, server, since)
			s.Commands = append(s.Commands, c)
			continue
		}
		c.Servers[server] = since
		if !contains(c.Sources, src.Name) {
			c.Sources = append(c.Sources, src.Name)
		}
		m := argMerger{cmd: c, server: server, since: since}
		c.Arguments = m.merge(c.Arguments, v.Arguments, "arguments")
		notes = append(notes, m.notes...)
	}
	s.Sort()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	sort.Strings(notes)
	return notes, nil
}

// redisSince is Redis's version of a command of Redis's sources.
func redisSince(c *spec.Command) string {
	if c.Module != "" && c.Module != "vectorset" {
		return ""
	}
	return c.Since
}

// forget removes what an earlier MergeServer of server recorded in c: the
// server in Servers, the arguments only it has and the per-server versions
// of the others.
func forget(c *spec.Command, server string) {
	if _, ok := c.Servers[server]; !ok {
		return
	}
	delete(c.Servers, server)
	if len(c.Servers) == 0 {
		c.Servers = nil
	}
	c.Arguments = forgetArgs(c.Arguments, server)
}

func forgetArgs(args []*spec.Argument, server string) []*spec.Argument {
	var out []*spec.Argument
	for _, a := range args {
		if a.OnlyOn() == server {
			continue
		}
		// With one server left, no argument is one server's.
		a.Servers = nil
		n := len(a.Arguments)
		a.Arguments = forgetArgs(a.Arguments, server)
		// A choice that wrap made around one argument of Redis's is
		// undone: the argument alone, optional as the choice was.
		if a.Type == spec.TypeOneOf && a.Token == "" && len(a.Arguments) == 1 && n > 1 {
			kid := a.Arguments[0]
			kid.Optional = a.Optional
			a = kid
		}
		out = append(out, a)
	}
	return out
}

func cloneCommand(c *spec.Command) *spec.Command {
	m := *c
	m.Flags = cloneStrings(c.Flags)
	m.ACLCategories = cloneStrings(c.ACLCategories)
	m.DocFlags = cloneStrings(c.DocFlags)
	m.History = cloneStrings(c.History)
	m.KeySpecs = append([]spec.KeySpec(nil), c.KeySpecs...)
	m.Arguments = cloneArgs(c.Arguments)
	m.Sources = cloneStrings(c.Sources)
	if c.Tips != nil {
		t := *c.Tips
		m.Tips = &t
	}
	return &m
}

// markArgs converts the "since" of a server-only command's arguments to
// the server's versions: an argument added after the command keeps its
// version in Servers; Since (Redis's) is cleared. Tokens are written in
// upper case, as Redis's files write them (Valkey's write some in lower
// case, "primary", "large-request"; both servers compare tokens without
// regard to case), so that the same choice reads the same from both.
func markArgs(args []*spec.Argument, server, cmdSince string) []*spec.Argument {
	for _, a := range args {
		a.Token = strings.ToUpper(a.Token)
		if a.Since != "" {
			if s := ValkeySince(a.Since); spec.VersionLess(cmdSince, s) {
				a.Servers = map[string]string{server: s}
			}
			a.Since = ""
		}
		a.Arguments = markArgs(a.Arguments, server, cmdSince)
	}
	return args
}

// argMerger merges one command's argument trees.
type argMerger struct {
	cmd    *spec.Command
	server string
	since  string // the server's version of the command
	notes  []string
}

// argKey is how arguments of the two trees are matched: the token in upper
// case, else the name in upper case ("ID" and "id", "lib-name" and
// "LIB-NAME" are the same argument).
func argKey(a *spec.Argument) string {
	if a.Token != "" {
		return "T:" + strings.ToUpper(a.Token)
	}
	return "N:" + strings.ToUpper(a.Name)
}

func isContainer(a *spec.Argument) bool {
	return a.Type == spec.TypeOneOf || a.Type == spec.TypeBlock
}

// merge merges the server's arguments v into Redis's r at one level of the
// tree and returns the merged list. Matching, in order: the same argKey;
// an unmatched token-less oneof or block of v whose descendants match r's
// arguments is taken apart (Valkey wraps BITCOUNT's end and unit, and
// SHUTDOWN's options, in groups Redis does not have); then a token-less
// argument of v takes the next unmatched token-less one of r of the same
// type (SENTINEL's primary-name is Redis's master-name; HSETEX's
// fields-condition is Redis's condition, which must share a child).
// Arguments of r without a match exist on Redis only; those of v without
// one are inserted, on the server only, after the argument before them.
func (m *argMerger) merge(r, v []*spec.Argument, path string) []*spec.Argument {
	rKeys := map[string]int{}
	for i, a := range r {
		rKeys[argKey(a)] = i
	}
	r, rKeys = m.wrap(r, v, rKeys)
	v = m.flatten(v, rKeys, path)
	match := make([]int, len(v)) // index into r, or -1
	used := make([]bool, len(r))
	for i, a := range v {
		match[i] = -1
		if j, ok := rKeys[argKey(a)]; ok && !used[j] {
			match[i], used[j] = j, true
		}
	}
	last := -1
	for i, a := range v {
		if match[i] >= 0 {
			last = match[i]
			continue
		}
		if a.Token != "" {
			continue
		}
		for j := last + 1; j < len(r); j++ {
			if used[j] || r[j].Token != "" || r[j].Type != a.Type {
				continue
			}
			if isContainer(a) && !shareChild(r[j], a) {
				continue
			}
			match[i], used[j] = j, true
			last = j
			break
		}
	}
	// The merged list: r's arguments in order, each of v's own after
	// the argument of r that the one before it matched.
	after := map[int][]*spec.Argument{} // r index (-1: first) -> v's own
	prev := -1
	for i, a := range v {
		if match[i] >= 0 {
			prev = match[i]
			m.mergeOne(r[match[i]], a, path)
			continue
		}
		after[prev] = append(after[prev], m.own(a))
	}
	out := append([]*spec.Argument(nil), after[-1]...)
	for j, a := range r {
		if !used[j] {
			m.redisOnly(a)
		}
		out = append(out, a)
		out = append(out, after[j]...)
	}
	return out
}

// wrap returns r with, for each token-less oneof of v that Redis's tree
// has as loose arguments plus alternatives of the server's own (Valkey's
// BGSAVE [SCHEDULE | CANCEL] where Redis has [SCHEDULE]; its CLUSTER
// REPLICATE <node-id | NO ONE> where Redis has node-id), those arguments
// of r wrapped in a oneof of v's name, so that merging the two oneofs adds
// the server's alternatives to Redis's choice. It applies only when r's
// arguments are side by side, each optional as the oneof is, and every
// other alternative is the server's own (not optional, nothing of r
// inside); else flatten notes the alternatives it leaves out. The keys
// of the returned list are returned with it.
func (m *argMerger) wrap(r, v []*spec.Argument, rKeys map[string]int) ([]*spec.Argument, map[string]int) {
	for _, a := range v {
		if _, matched := rKeys[argKey(a)]; matched || a.Token != "" || a.Type != spec.TypeOneOf {
			continue
		}
		first, last, own := len(r), -1, 0
		fits := true
		for _, c := range a.Arguments {
			j, ok := rKeys[argKey(c)]
			switch {
			case ok && r[j].Optional == a.Optional:
				first, last = min(first, j), max(last, j)
			case !ok && !c.Optional && !(isContainer(c) && descendantIn(c, rKeys)):
				own++
			default:
				fits = false
			}
		}
		if !fits || own == 0 || last < 0 || last-first+1 != len(a.Arguments)-own {
			continue
		}
		choice := &spec.Argument{Name: a.Name, Type: spec.TypeOneOf, Optional: a.Optional, KeySpecIndex: -1}
		for _, c := range r[first : last+1] {
			c.Optional = false
			choice.Arguments = append(choice.Arguments, c)
		}
		r = append(append(append([]*spec.Argument(nil), r[:first]...), choice), r[last+1:]...)
		rKeys = map[string]int{}
		for i, x := range r {
			rKeys[argKey(x)] = i
		}
	}
	return r, rKeys
}

// flatten replaces each token-less oneof or block of v that matches nothing
// of r by its children, where one of its descendants matches r's arguments.
// Children of a taken-apart oneof that are not optional are alternatives
// Redis's tree has no place for: they are left out, with a note.
func (m *argMerger) flatten(v []*spec.Argument, rKeys map[string]int, path string) []*spec.Argument {
	var out []*spec.Argument
	for _, a := range v {
		_, matched := rKeys[argKey(a)]
		if matched || a.Token != "" || !isContainer(a) || !descendantIn(a, rKeys) {
			out = append(out, a)
			continue
		}
		children := a.Arguments
		if a.Type == spec.TypeOneOf {
			children = nil
			for _, c := range a.Arguments {
				_, ok := rKeys[argKey(c)]
				if ok || c.Optional || (isContainer(c) && descendantIn(c, rKeys)) {
					children = append(children, c)
					continue
				}
				m.notes = append(m.notes, fmt.Sprintf("%s: %s.%s: %s's alternative %q (%s) is not in Redis's tree as a choice: left out", m.cmd.Name, path, a.Name, spec.ServerTitle(m.server), c.Name, syntaxOf(c)))
			}
		}
		out = append(out, m.flatten(children, rKeys, path)...)
	}
	return out
}

func descendantIn(a *spec.Argument, keys map[string]int) bool {
	for _, c := range a.Arguments {
		if _, ok := keys[argKey(c)]; ok {
			return true
		}
		if isContainer(c) && c.Token == "" && descendantIn(c, keys) {
			return true
		}
	}
	return false
}

func shareChild(a, b *spec.Argument) bool {
	keys := map[string]bool{}
	for _, c := range a.Arguments {
		keys[argKey(c)] = true
	}
	for _, c := range b.Arguments {
		if keys[argKey(c)] {
			return true
		}
	}
	return false
}

// syntaxOf renders an argument's tokens for a note ("NO ONE").
func syntaxOf(a *spec.Argument) string {
	if a.Token != "" && len(a.Arguments) == 0 {
		return a.Token
	}
	var parts []string
	if a.Token != "" {
		parts = append(parts, a.Token)
	}
	for _, c := range a.Arguments {
		parts = append(parts, syntaxOf(c))
	}
	if len(parts) == 0 {
		return a.Name
	}
	return strings.Join(parts, " ")
}

// mergeOne merges an argument both trees have: Redis's r stays, the
// server's version is recorded when the server added the argument later
// than the command, and children are merged when both are the same kind
// of group.
func (m *argMerger) mergeOne(r, v *spec.Argument, path string) {
	if v.Since != "" {
		if s := ValkeySince(v.Since); spec.VersionLess(m.since, s) {
			if r.Servers == nil {
				r.Servers = map[string]string{spec.ServerRedis: r.Since}
			}
			r.Servers[m.server] = s
		}
	}
	if isContainer(r) && r.Type == v.Type {
		r.Arguments = m.merge(r.Arguments, v.Arguments, path+"."+r.Name)
	} else if isContainer(r) || isContainer(v) {
		m.notes = append(m.notes, fmt.Sprintf("%s: %s.%s: a %s on Redis, a %s on %s: Redis's kept", m.cmd.Name, path, r.Name, r.Type, v.Type, spec.ServerTitle(m.server)))
	}
}

// redisOnly marks an argument the server does not have, with Redis's
// version of it ("" when Redis's sources give none).
func (m *argMerger) redisOnly(a *spec.Argument) {
	a.Servers = map[string]string{spec.ServerRedis: a.Since}
}

// own returns a copy of an argument only the server has, marked so. A key
// argument keeps its key spec index when it is in range of the command's
// key specs (Redis's), else it is noted.
func (m *argMerger) own(v *spec.Argument) *spec.Argument {
	a := cloneArgs([]*spec.Argument{v})[0]
	since := m.since
	if a.Since != "" {
		if s := ValkeySince(a.Since); spec.VersionLess(since, s) {
			since = s
		}
	}
	a.Since = ""
	a.Servers = map[string]string{m.server: since}
	a.Token = strings.ToUpper(a.Token)
	a.Arguments = markArgs(a.Arguments, m.server, since)
	clearKeyIndexes(a, len(m.cmd.KeySpecs), func(k *spec.Argument) {
		m.notes = append(m.notes, fmt.Sprintf("%s: %s's key argument %q has no key spec in Redis's: left without one", m.cmd.Name, spec.ServerTitle(m.server), k.Name))
	})
	return a
}

func clearKeyIndexes(a *spec.Argument, n int, note func(*spec.Argument)) {
	if a.KeySpecIndex >= n {
		note(a)
		a.KeySpecIndex = -1
	}
	for _, c := range a.Arguments {
		clearKeyIndexes(c, n, note)
	}
}
