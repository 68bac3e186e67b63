package cli

// This file holds `redkit spec stats`: what the spec holds and how much of
// it the generator turns into builders with typed replies.

import (
	"fmt"
	"io"
	"sort"

	"github.com/redkit-go/redkit/gen"
	"github.com/redkit-go/redkit/spec"
	"github.com/spf13/cobra"
)

func newSpecStatsCommand() *cobra.Command {
	var specDir string
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Print how many commands the spec holds, have builders, typed replies and run-time options structs, and which are generic",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SilenceUsage = true
			s, err := spec.LoadDir(specDir)
			if err != nil {
				return err
			}
			p, err := gen.Build(s)
			if err != nil {
				return err
			}
			printStats(cmd.OutOrStdout(), p.Stats())
			printTypeCounts(cmd.OutOrStdout(), p.TypeCounts())
			return nil
		},
	}
	cmd.Flags().StringVar(&specDir, "spec", spec.DefaultDir, "directory of the normalized spec")
	return cmd
}

func printStats(w io.Writer, st gen.Stats) {
	fmt.Fprintf(w, "commands in spec:           %d (%d from modules, %d containers)\n", st.Commands, st.Modules, st.Containers)
	sv := st.Servers
	fmt.Fprintf(w, "commands per server:        Redis %d, Valkey %d; both %d, Redis only %d, Valkey only %d", sv.Redis, sv.Valkey, sv.Both, sv.RedisOnly, sv.ValkeyOnly)
	if sv.Unknown > 0 {
		fmt.Fprintf(w, ", not said %d", sv.Unknown)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "builders generated:         %d (%d state types, %d reply types)\n", st.Builders, st.States, st.ReplyTypes)
	fmt.Fprintf(w, "commands with typed replies: %d\n", st.Typed)
	fmt.Fprintf(w, "commands with generic reply: %d\n", len(st.Generic))
	for _, g := range st.Generic {
		fmt.Fprintf(w, "  %-28s %s\n", g.Name, g.Reason)
	}
	fmt.Fprintf(w, "commands without builder:   %d\n", len(st.Skipped))
	for _, s := range st.Skipped {
		fmt.Fprintf(w, "  %-28s %s\n", s.Name, s.Reason)
	}
	fmt.Fprintf(w, "run-time options structs:   %d (%d fields, taken by With)\n", st.OptionStructs, st.OptionFields)
	fmt.Fprintf(w, "options left out of them:   %d (chained methods only)\n", len(st.OptionsLeftOut))
	for _, l := range st.OptionsLeftOut {
		fmt.Fprintf(w, "  %-28s %s\n", l.Name, l.Reason)
	}
}

// printTypeCounts prints the exported types the generator declares in
// each package, the core package first.
func printTypeCounts(w io.Writer, counts map[string]int) {
	names := make([]string, 0, len(counts))
	total := 0
	for n, c := range counts {
		names = append(names, n)
		total += c
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == "redisclient") != (names[j] == "redisclient") {
			return names[i] == "redisclient"
		}
		return names[i] < names[j]
	})
	fmt.Fprintf(w, "generated exported types:   %d\n", total)
	for _, n := range names {
		fmt.Fprintf(w, "  %-24s  %d\n", n+":", counts[n])
	}
}
