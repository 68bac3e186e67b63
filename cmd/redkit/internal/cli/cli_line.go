package cli

// This file holds what `redkit cli` does with a line of text before it
// becomes a command: the syntax hint drawn while it is typed, Tab's
// completions, `help <command>`, and which lines stay out of the history
// (those carrying passwords). redisclient.SplitArgs splits it into
// arguments as redis-cli does.

import (
	"fmt"
	"strings"

	"github.com/redkit-go/redkit/gen"
	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/spec"
)

// completeLine returns the words Tab may put in place of the last word of
// line (nothing after an open quote).
func completeLine(s *spec.Spec, line string) []string {
	args, err := redisclient.SplitArgs(line)
	if err != nil {
		return nil
	}
	last := ""
	if len(args) > 0 && !strings.HasSuffix(line, " ") {
		last, args = args[len(args)-1], args[:len(args)-1]
	}
	return completions(s, args, last)
}

// hintFor returns the hint drawn after line while it is typed: once the
// command's name is complete, the rest of its syntax line after the
// arguments already typed, as far as they can be told apart (see
// remainingArgs).
func hintFor(s *spec.Spec, line string) string {
	args, err := redisclient.SplitArgs(line)
	if err != nil || len(args) == 0 {
		return ""
	}
	name := strings.ToUpper(args[0])
	words := 1
	if s.IsContainer(name) {
		if len(args) < 2 {
			return ""
		}
		name += " " + strings.ToUpper(args[1])
		words = 2
	}
	c := s.Lookup(name)
	if c == nil {
		return ""
	}
	rest := remainingArgs(c.Arguments, args[words:])
	if len(rest) == 0 {
		return ""
	}
	hint := strings.Join(rest, " ")
	if !strings.HasSuffix(line, " ") {
		hint = " " + hint
	}
	return hint
}

// remainingArgs walks the arguments over the words typed and returns the
// syntax of what may still come. A required argument takes its words; an
// optional one is passed over, or takes its words when the next word is
// its token; a repeated one takes as many repetitions as there are words,
// leaving "[rep ...]"; the walk goes into blocks and the alternative of a
// oneof that the next word's token picks. Where the words cannot be told
// apart, it stops and shows everything from there.
func remainingArgs(parts []*spec.Argument, typed []string) []string {
	hint, _, _ := walkArgs(parts, typed)
	return hint
}

// walkArgs is remainingArgs over one sequence: ended reports that the
// hint is complete (the words ran out, or the walk stopped, in it); else
// left are the words after the sequence.
func walkArgs(parts []*spec.Argument, typed []string) (hint, left []string, ended bool) {
	for i, p := range parts {
		if len(typed) == 0 {
			return syntaxOf(parts[i:]), nil, true
		}
		if p.Optional && !startsWithToken(p, typed[0]) && tokenLed(p) {
			continue // not typed: passed over
		}
		rest := syntaxOf(parts[i+1:])
		n, inner, ok := takeOne(p, typed)
		if !ok {
			return syntaxOf(parts[i:]), nil, true
		}
		if inner != nil {
			if p.Multiple {
				inner = append(inner, repetitionSyntax(p))
			}
			return append(inner, rest...), nil, true
		}
		typed = typed[n:]
		if !p.Multiple {
			continue
		}
		rep := *p // later repetitions: without the token unless it repeats
		if p.Token != "" && !p.MultipleToken && p.Type != spec.TypePureToken {
			rep.Token = ""
		}
		for len(typed) > 0 && (rep.Token == "" || startsWithToken(&rep, typed[0])) {
			n, inner, ok := takeOne(&rep, typed)
			if ok && inner != nil {
				return append(append(inner, repetitionSyntax(p)), rest...), nil, true
			}
			if !ok || n == 0 {
				return append([]string{repetitionSyntax(p)}, rest...), nil, true
			}
			typed = typed[n:]
		}
		if len(typed) == 0 {
			return append([]string{repetitionSyntax(p)}, rest...), nil, true
		}
	}
	return nil, typed, false
}

// takeOne matches one occurrence of a at the start of typed: the words it
// takes, or the syntax still to come in it when typed ends inside it
// (inner), or ok false when the words cannot be told apart.
func takeOne(a *spec.Argument, typed []string) (n int, inner []string, ok bool) {
	one := *a
	one.Optional, one.Multiple = false, false
	if f := fixedWords(&one); f >= 0 && f <= len(typed) {
		return f, nil, true
	}
	if a.Token != "" {
		tw := len(strings.Fields(a.Token))
		if tw > len(typed) {
			return 0, nil, false
		}
		if a.Type == spec.TypePureToken {
			return tw, nil, true
		}
		body := one
		body.Token = ""
		if tw == len(typed) {
			return 0, []string{argSyntax(&body)}, true
		}
		m, inner, ok := takeOne(&body, typed[tw:])
		return tw + m, inner, ok
	}
	switch a.Type {
	case spec.TypeBlock:
		hint, left, ended := walkArgs(a.Arguments, typed)
		if ended {
			return 0, hint, true
		}
		return len(typed) - len(left), nil, true
	case spec.TypeOneOf:
		var pick *spec.Argument
		for _, k := range a.Arguments {
			if startsWithToken(k, typed[0]) {
				pick = k
				break
			}
		}
		if pick == nil {
			for _, k := range a.Arguments {
				if !tokenLed(k) {
					if pick != nil {
						return 0, nil, false // two value alternatives
					}
					pick = k
				}
			}
		}
		if pick == nil {
			return 0, nil, false
		}
		return takeOne(pick, typed)
	}
	return 0, nil, false
}

// startsWithToken reports whether word is a token that a starts with.
func startsWithToken(a *spec.Argument, word string) bool {
	if a.Token != "" {
		return strings.EqualFold(strings.Fields(a.Token)[0], word)
	}
	switch a.Type {
	case spec.TypeOneOf:
		for _, k := range a.Arguments {
			if startsWithToken(k, word) {
				return true
			}
		}
	case spec.TypeBlock:
		for _, k := range a.Arguments {
			if startsWithToken(k, word) {
				return true
			}
			if !k.Optional {
				return false
			}
		}
	}
	return false
}

// argSyntax is a's part of the syntax line.
func argSyntax(a *spec.Argument) string { return syntaxOf([]*spec.Argument{a})[0] }

// syntaxOf renders each argument as the syntax line does.
func syntaxOf(args []*spec.Argument) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = strings.TrimPrefix(gen.SyntaxLine(&spec.Command{Arguments: []*spec.Argument{a}}), " ")
	}
	return out
}

// repetitionSyntax is what may follow a repeated argument once it has
// been given: "[score member ...]".
func repetitionSyntax(a *spec.Argument) string {
	one := *a
	one.Optional, one.Multiple = false, false
	s := argSyntax(&one)
	if a.Token != "" && !a.MultipleToken && a.Type != spec.TypePureToken {
		s = strings.TrimPrefix(s, a.Token+" ")
	}
	return "[" + s + " ...]"
}

// fixedWords returns how many words a takes when that is always the same
// number, else -1.
func fixedWords(a *spec.Argument) int {
	if a.Optional || a.Multiple {
		return -1
	}
	n := 0
	if a.Token != "" && a.Type != spec.TypePureToken {
		n = len(strings.Fields(a.Token))
	}
	switch a.Type {
	case spec.TypePureToken:
		return len(strings.Fields(a.Token))
	case spec.TypeBlock:
		for _, k := range a.Arguments {
			m := fixedWords(k)
			if m < 0 {
				return -1
			}
			n += m
		}
		return n
	case spec.TypeOneOf:
		alt := -1
		for i, k := range a.Arguments {
			m := fixedWords(k)
			if m < 0 || i > 0 && m != alt {
				return -1
			}
			alt = m
		}
		if alt < 0 {
			return -1
		}
		return n + alt
	}
	return n + 1
}

// helpText is what `help <command>` prints: the syntax line, with the
// version and group; for a container, each subcommand's.
func helpText(s *spec.Spec, args []string) string {
	if len(args) == 0 {
		return "Type a command as in redis-cli (quotes and \\xHH escapes work); the rest of\n" +
			"its syntax shows in grey while you type. \"help <command>\" prints a command's\n" +
			"syntax; \"quit\", \"exit\" or Ctrl-D leave.\n"
	}
	name := strings.ToUpper(strings.Join(args, " "))
	var cmds []*spec.Command
	if s.IsContainer(name) {
		for _, c := range s.Commands {
			if c.Container == name {
				cmds = append(cmds, c)
			}
		}
	} else if c := s.Lookup(name); c != nil {
		cmds = append(cmds, c)
	}
	if len(cmds) == 0 {
		return fmt.Sprintf("no command %q in redkit's command spec\n", strings.Join(args, " "))
	}
	var b strings.Builder
	for i, c := range cmds {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "  %s\n  since: %s\n  group: %s\n", gen.SyntaxLine(c), c.Since, c.Group)
	}
	return b.String()
}

// secretLine reports whether a command line carries a password, and so
// stays out of the history (as redis-cli keeps it out of its own): AUTH,
// HELLO and MIGRATE with AUTH, ACL SETUSER, CONFIG SET of a password.
func secretLine(args []string) bool {
	if len(args) == 0 {
		return false
	}
	has := func(word string) bool {
		for _, a := range args[1:] {
			if strings.EqualFold(a, word) {
				return true
			}
		}
		return false
	}
	switch strings.ToUpper(args[0]) {
	case "AUTH":
		return true
	case "HELLO", "MIGRATE":
		return has("AUTH") || has("AUTH2")
	case "ACL":
		return len(args) > 1 && strings.EqualFold(args[1], "SETUSER")
	case "CONFIG":
		return len(args) > 1 && strings.EqualFold(args[1], "SET") &&
			(has("requirepass") || has("masterauth") || has("primaryauth") || has("masteruser") || has("primaryuser"))
	}
	return false
}
