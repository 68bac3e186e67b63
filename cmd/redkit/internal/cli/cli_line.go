package cli

// This file holds what `redkit cli` does with a line of text before it
// becomes a command: splitting it into arguments as redis-cli does, the
// syntax hint drawn while it is typed, `help <command>`, and which lines
// stay out of the history (those carrying passwords).

import (
	"errors"
	"fmt"
	"strings"

	"github.com/redkit-go/redkit/gen"
	"github.com/redkit-go/redkit/spec"
)

// errUnbalancedQuotes is splitLine's error, worded as redis-cli's.
var errUnbalancedQuotes = errors.New("Invalid argument(s): unbalanced quotes")

// splitLine splits a line into arguments the way redis-cli does: words
// separated by blanks; "double quotes" with the escapes \n \r \t \b \a
// \xHH and \<any> for that character; 'single quotes' with \' only. A
// closing quote must end the word.
func splitLine(line string) ([]string, error) {
	var args []string
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	i := 0
	for {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		if i == len(line) {
			return args, nil
		}
		var cur []byte
		inDouble, inSingle := false, false
	word:
		for ; ; i++ {
			if i == len(line) {
				if inDouble || inSingle {
					return nil, errUnbalancedQuotes
				}
				break
			}
			c := line[i]
			switch {
			case inDouble:
				switch {
				case c == '\\' && i+3 < len(line) && line[i+1] == 'x' && isHexDigit(line[i+2]) && isHexDigit(line[i+3]):
					cur = append(cur, hexValue(line[i+2])<<4|hexValue(line[i+3]))
					i += 3
				case c == '\\' && i+1 < len(line):
					i++
					switch e := line[i]; e {
					case 'n':
						cur = append(cur, '\n')
					case 'r':
						cur = append(cur, '\r')
					case 't':
						cur = append(cur, '\t')
					case 'b':
						cur = append(cur, '\b')
					case 'a':
						cur = append(cur, '\a')
					default:
						cur = append(cur, e)
					}
				case c == '"':
					if i+1 < len(line) && !isSpace(line[i+1]) {
						return nil, errUnbalancedQuotes
					}
					i++
					break word
				default:
					cur = append(cur, c)
				}
			case inSingle:
				switch {
				case c == '\\' && i+1 < len(line) && line[i+1] == '\'':
					i++
					cur = append(cur, '\'')
				case c == '\'':
					if i+1 < len(line) && !isSpace(line[i+1]) {
						return nil, errUnbalancedQuotes
					}
					i++
					break word
				default:
					cur = append(cur, c)
				}
			case isSpace(c):
				break word
			case c == '"':
				inDouble = true
			case c == '\'':
				inSingle = true
			default:
				cur = append(cur, c)
			}
		}
		args = append(args, string(cur))
	}
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexValue(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// hintFor returns the hint drawn after line while it is typed: once the
// command's name is complete, the rest of its syntax line, without the
// leading arguments already typed (as far as their count is fixed).
func hintFor(s *spec.Spec, line string) string {
	args, err := splitLine(line)
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
	typed := len(args) - words
	parts := c.Arguments
	for len(parts) > 0 {
		n := fixedWords(parts[0])
		if n < 0 || n > typed {
			break
		}
		typed -= n
		parts = parts[1:]
	}
	if len(parts) == 0 {
		return ""
	}
	hint := strings.TrimPrefix(gen.SyntaxLine(&spec.Command{Name: "", Arguments: parts}), " ")
	if !strings.HasSuffix(line, " ") {
		hint = " " + hint
	}
	return hint
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
