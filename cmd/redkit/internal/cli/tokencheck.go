package cli

// This file holds the unknown-token check of `redkit do` and `redkit cli`:
// a matcher over a command's argument tree (spec.Argument) that finds a
// word standing where the spec allows only option tokens and matching none
// of them ("SET k v EXX 10"). The check must never reject a command line a
// server accepts, so the grammar it matches is looser than the spec: runs
// of token-led arguments (options) may come in any order and repeat, as
// servers' option loops allow, and a missing argument is never an error
// here (the server says so). Ambiguity is resolved by matching all
// alternatives at once: the argument tree compiles to a nondeterministic
// automaton, simulated word by word over the set of live states.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/redkit-go/redkit/gen"
	"github.com/redkit-go/redkit/spec"
)

// tokenEdge is a transition on one literal word, compared without case.
type tokenEdge struct {
	token string
	to    int
}

// nfaState is one state of a compiled argument tree.
type nfaState struct {
	tokens []tokenEdge // on a word equal to the token
	values []int       // on any word
	eps    []int       // without a word
}

// argMatcher is the automaton of one command's arguments; state 0 starts,
// and final is where a complete argument list ends.
type argMatcher struct {
	states []nfaState
	final  int
}

func (m *argMatcher) newState() int {
	m.states = append(m.states, nfaState{})
	return len(m.states) - 1
}

func (m *argMatcher) eps(from, to int) { m.states[from].eps = append(m.states[from].eps, to) }

// token adds the words of tok (one, or several for tokens such as
// "LOAD *") from from, and returns the state after them.
func (m *argMatcher) token(from int, tok string) int {
	for _, w := range strings.Fields(tok) {
		to := m.newState()
		m.states[from].tokens = append(m.states[from].tokens, tokenEdge{w, to})
		from = to
	}
	return from
}

func (m *argMatcher) value(from int) int {
	to := m.newState()
	m.states[from].values = append(m.states[from].values, to)
	return to
}

// compileArgs returns the matcher of a command's argument list.
func compileArgs(args []*spec.Argument) *argMatcher {
	m := &argMatcher{}
	m.final = m.seq(m.newState(), args, false)
	return m
}

// tokenLed reports whether every word a matches starts with a token, so
// that servers parse it as an option, in a loop that takes options in any
// order.
func tokenLed(a *spec.Argument) bool {
	if a.Token != "" {
		return true
	}
	switch a.Type {
	case spec.TypeOneOf:
		for _, k := range a.Arguments {
			if !tokenLed(k) {
				return false
			}
		}
		return len(a.Arguments) > 0
	case spec.TypeBlock:
		for _, k := range a.Arguments {
			if !tokenLed(k) {
				return false
			}
			if !k.Optional {
				return true
			}
		}
		return len(a.Arguments) > 0
	}
	return false
}

// seq compiles a sequence of sibling arguments from state from. A run of
// token-led siblings becomes a hub from which each of them may match, in
// any order, any number of times (at least once when one of them is
// required: "XADD k MAXLEN ~ 10" has its MAXLEN before the threshold);
// other arguments keep their place (optional ones may be left out). In a
// block (block is true) the run that starts it starts with the block's
// first required option, or an optional one before it.
func (m *argMatcher) seq(from int, args []*spec.Argument, block bool) int {
	cur := from
	for i := 0; i < len(args); {
		if tokenLed(args[i]) {
			// entry → an option → hub → an option → hub ...; the run may
			// be left from the hub, and from the entry when all of its
			// arguments are optional.
			// A block starts with its leader, as in "COUNT count [ANY]".
			leads := block && i == 0
			entry, hub := m.newState(), m.newState()
			m.eps(cur, entry)
			required := false
			for ; i < len(args) && tokenLed(args[i]); i++ {
				start := m.newState()
				if !leads || !required {
					m.eps(entry, start)
				}
				required = required || !args[i].Optional
				m.eps(hub, start)
				m.eps(m.arg(start, args[i]), hub)
			}
			if !required {
				m.eps(entry, hub)
			}
			cur = hub
			continue
		}
		end := m.arg(cur, args[i])
		if args[i].Optional {
			m.eps(cur, end)
		}
		cur = end
		i++
	}
	return cur
}

// arg compiles one argument (without its optionality, which the caller
// handles) from state from and returns the state after it.
func (m *argMatcher) arg(from int, a *spec.Argument) int {
	if a.Multiple && a.Token != "" && !a.MultipleToken && a.Type != spec.TypePureToken {
		// TOKEN body [body ...]
		start := m.token(from, a.Token)
		end := m.body(start, a)
		m.eps(end, start)
		return end
	}
	start := from
	if a.Multiple {
		start = m.newState()
		m.eps(from, start)
	}
	cur := start
	if a.Token != "" {
		cur = m.token(cur, a.Token)
	}
	end := m.body(cur, a)
	if a.Multiple {
		m.eps(end, start)
	}
	return end
}

// body compiles what follows an argument's token: nothing for a pure
// token, one word for a value, the alternatives of a oneof, the children
// of a block.
func (m *argMatcher) body(from int, a *spec.Argument) int {
	switch a.Type {
	case spec.TypePureToken:
		return from
	case spec.TypeOneOf:
		end := m.newState()
		for _, k := range a.Arguments {
			m.eps(m.arg(from, k), end)
			if k.Optional {
				m.eps(from, end)
			}
		}
		return end
	case spec.TypeBlock:
		return m.seq(from, a.Arguments, true)
	}
	return m.value(from)
}

// closure adds to set every state reachable from it without a word.
func (m *argMatcher) closure(set map[int]bool) map[int]bool {
	stack := make([]int, 0, len(set))
	for s := range set {
		stack = append(stack, s)
	}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, t := range m.states[s].eps {
			if !set[t] {
				set[t] = true
				stack = append(stack, t)
			}
		}
	}
	return set
}

// tokenMatches reports whether word is the token tok. The spec writes the
// empty string that MIGRATE takes as `""`.
func tokenMatches(tok, word string) bool {
	return strings.EqualFold(tok, word) || tok == `""` && word == ""
}

// match runs words through the matcher. When a word stands where only
// tokens may and is none of them, it returns the word's index and the
// tokens allowed there (in spec order, without repeats); otherwise -1, and
// complete reports whether the words make a whole argument list.
func (m *argMatcher) match(words []string) (unknown int, expected []string, complete bool) {
	cur := m.closure(map[int]bool{0: true})
	for i, w := range words {
		next := map[int]bool{}
		for s := range cur {
			st := &m.states[s]
			for _, e := range st.tokens {
				if tokenMatches(e.token, w) {
					next[e.to] = true
				}
			}
			for _, t := range st.values {
				next[t] = true
			}
		}
		if len(next) == 0 {
			var states []int
			for s := range cur {
				states = append(states, s)
			}
			sort.Ints(states) // state numbers follow the spec's order
			seen := map[string]bool{}
			for _, s := range states {
				for _, e := range m.states[s].tokens {
					if up := strings.ToUpper(e.token); !seen[up] {
						seen[up] = true
						expected = append(expected, e.token)
					}
				}
			}
			if len(expected) == 0 {
				// Only the end of the command may come here: that is a
				// count the server judges, not a token.
				return -1, nil, false
			}
			return i, expected, false
		}
		cur = m.closure(next)
	}
	return -1, nil, cur[m.final]
}

// hasToken reports whether word is a token anywhere in args.
func hasToken(args []*spec.Argument, word string) bool {
	for _, a := range args {
		for _, t := range strings.Fields(a.Token) {
			if strings.EqualFold(t, word) {
				return true
			}
		}
		if hasToken(a.Arguments, word) {
			return true
		}
	}
	return false
}

// checkTokens checks the words after the command's name (rest, which start
// at args[words]) against c's argument tree, and names the first word that
// stands where only option tokens may and is none of them.
//
// Module commands are not checked: their published argument trees leave
// out much of what the modules accept (FT.CREATE's VECTOR field
// attributes, for one).
func checkTokens(c *spec.Command, words int, args []string) error {
	if c.Module != "" {
		return nil
	}
	i, expected, _ := compileArgs(c.Arguments).match(args[words:])
	if i < 0 {
		return nil
	}
	w := args[words+i]
	what := "unknown option"
	if hasToken(c.Arguments, w) {
		what = "misplaced option"
	}
	return fmt.Errorf("%s %q for %s at argument %d (counting the command name as 1); expected one of %s\nsyntax: %s",
		what, w, c.Name, words+i+1, strings.Join(expected, ", "), gen.SyntaxLine(c))
}

// treeAccepts reports whether c's argument tree takes the words after its
// name as a whole argument list. The spec's arity is one server's (Redis's)
// while the tree also has the arguments other servers added (SCRIPT DEBUG
// YES engine, on Valkey 9.1): a line the tree accepts is no arity error.
func treeAccepts(c *spec.Command, words int, args []string) bool {
	if len(c.Arguments) == 0 {
		return false // no tree to judge by: the arity stands
	}
	_, _, complete := compileArgs(c.Arguments).match(args[words:])
	return complete
}
