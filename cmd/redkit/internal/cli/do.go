package cli

// This file holds `redkit do`: run one command against a server and print
// its reply like redis-cli, through the typed client's raw escape hatch.
// The command and its arguments are taken verbatim (flags go before the
// command name), checked against the embedded spec before sending, and
// completed from the spec in shells.

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/redkit-go/redkit/gen"
	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/spec"
)

func newDoCommand() *cobra.Command {
	var f serverFlags
	cmd := &cobra.Command{
		Use:   "do [flags] COMMAND [ARG...]",
		Short: "Run one command against a server and print its reply like redis-cli",
		Long: "do sends one command and prints the reply the way redis-cli does.\n" +
			"Flags go before the command name; everything from the command name on is\n" +
			"sent verbatim, so negative numbers and words starting with '-' need no\n" +
			"quoting (a leading \"--\" is accepted too). The command is checked against\n" +
			"redkit's command spec first: its name, its argument count, and no unknown\n" +
			"option where only option tokens may stand (SET k v EXX 10). --no-check\n" +
			"skips that for commands the spec does not know (such as a module's).",
		Example: "  redkit do --url redis://localhost:6379 SET greeting hello\n" +
			"  redkit do ZRANGE scores 0 -1 WITHSCORES\n" +
			"  redkit do --resp 2 --raw HGETALL user:1",
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: completeCommandLine,
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true
			if !f.noCheck {
				if err := checkCommandLine(args); err != nil {
					return err
				}
			}
			opts, err := f.options()
			if err != nil {
				return err
			}
			c, err := f.connect(cmd.Context(), opts)
			if err != nil {
				return err
			}
			defer c.Close()
			ctx, cancel := context.WithTimeout(cmd.Context(), f.timeout)
			defer cancel()
			v, err := redisclient.RawStrings(args...).Do(ctx, c)
			return f.printReply(cmd.OutOrStdout(), v, err)
		},
	}
	// Flags end at the command name: the rest is the Redis command line.
	cmd.Flags().SetInterspersed(false)
	f.add(cmd, "bound on connecting and on running the command")
	return cmd
}

// lookupCommandLine finds the spec command that args name: a container's
// subcommand ("CONFIG GET") when args[0] is a container, else args[0].
// words is how many of args the name takes.
func lookupCommandLine(s *spec.Spec, args []string) (c *spec.Command, words int, err error) {
	name := strings.ToUpper(args[0])
	if s.IsContainer(name) {
		if len(args) < 2 {
			return nil, 1, fmt.Errorf("%s needs a subcommand (redkit do %s HELP lists them)", name, name)
		}
		full := name + " " + strings.ToUpper(args[1])
		if c := s.Lookup(full); c != nil {
			return c, 2, nil
		}
		return nil, 2, fmt.Errorf("unknown subcommand %q of %s (--no-check sends it anyway)", args[1], name)
	}
	if c := s.Lookup(name); c != nil {
		return c, 1, nil
	}
	return nil, 1, fmt.Errorf("unknown command %q (--no-check sends it anyway)", args[0])
}

// checkCommandLine checks args against the embedded spec: a known command
// with as many arguments as its arity allows, and no unknown option token
// (see checkTokens).
func checkCommandLine(args []string) error {
	s, err := spec.Embedded()
	if err != nil {
		return fmt.Errorf("load the embedded command spec: %w", err)
	}
	c, words, err := lookupCommandLine(s, args)
	if err != nil {
		return err
	}
	n := len(args)
	switch {
	case c.Arity == 0:
		// No arity published (JSON.DEBUG's subcommands): nothing to check.
	case (c.Arity > 0 && n != c.Arity || c.Arity < 0 && n < -c.Arity) && treeAccepts(c, words, args):
		// The arity is another server's (see treeAccepts).
	case c.Arity > 0 && n != c.Arity:
		return fmt.Errorf("wrong number of arguments for %s: %d given, it takes exactly %d (counting the command name)\nsyntax: %s",
			c.Name, n, c.Arity, gen.SyntaxLine(c))
	case c.Arity < 0 && n < -c.Arity:
		return fmt.Errorf("wrong number of arguments for %s: %d given, it takes at least %d (counting the command name)\nsyntax: %s",
			c.Name, n, -c.Arity, gen.SyntaxLine(c))
	}
	return checkTokens(c, words, args)
}

// completeCommandLine completes do's command line from the spec (see
// completions).
func completeCommandLine(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	s, err := spec.Embedded()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	return completions(s, args, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// completions returns the words that may follow args and begin with
// toComplete (in any case), sorted: command names first, then a
// container's subcommands, then the option tokens of the command's
// argument tree. It serves shell completion and redkit cli's Tab.
func completions(s *spec.Spec, args []string, toComplete string) []string {
	prefix := strings.ToUpper(toComplete)
	var out []string
	add := func(word string) {
		if strings.HasPrefix(word, prefix) {
			out = append(out, word)
		}
	}
	switch {
	case len(args) == 0:
		for _, c := range s.Commands {
			if c.Container == "" {
				add(c.Name)
			}
		}
	case len(args) == 1 && s.IsContainer(strings.ToUpper(args[0])):
		container := strings.ToUpper(args[0])
		for _, c := range s.Commands {
			if c.Container == container {
				add(strings.TrimPrefix(c.Name, container+" "))
			}
		}
	default:
		c, _, err := lookupCommandLine(s, args)
		if err != nil {
			return nil
		}
		seen := map[string]bool{}
		var walk func([]*spec.Argument)
		walk = func(as []*spec.Argument) {
			for _, a := range as {
				if a.Token != "" && !seen[a.Token] {
					seen[a.Token] = true
					add(a.Token)
				}
				walk(a.Arguments)
			}
		}
		walk(c.Arguments)
	}
	sort.Strings(out)
	return out
}
