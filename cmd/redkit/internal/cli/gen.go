package cli

// This file holds `redkit gen`: render the typed command layer from the
// spec into redisclient/.

import (
	"fmt"
	"strings"

	"github.com/redkit-go/redkit/gen"
	"github.com/redkit-go/redkit/spec"
	"github.com/spf13/cobra"
)

func newGenCommand() *cobra.Command {
	var specDir, outDir string
	var check, fallback bool
	cmd := &cobra.Command{
		Use:   "gen",
		Short: "Generate the typed command builders and reply decoders from the spec",
		Long: "gen reads the normalized spec (one JSON file per group) and writes\n" +
			"<group>_gen.go, <group>_gen_test.go, replies_gen.go and commands_gen.go into the\n" +
			"output directory. Files are written only if everything renders; generated\n" +
			"files that are no longer produced are removed. With --check nothing is\n" +
			"written and the command fails if the directory is not up to date.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SilenceUsage = true // usage is for argument errors, not failures
			s, err := spec.LoadDir(specDir)
			if err != nil {
				return err
			}
			if check {
				diffs, err := gen.Diff(s, outDir)
				if fallback {
					return fmt.Errorf("--check compares with the repository's generation; it does not take --generic-fallback")
				}
				if err != nil {
					return err
				}
				if len(diffs) > 0 {
					return fmt.Errorf("generated code in %s is stale (run go generate ./...):\n  %s", outDir, strings.Join(diffs, "\n  "))
				}
				return nil
			}
			return gen.WriteWith(s, outDir, gen.Options{GenericFallback: fallback})
		},
	}
	cmd.Flags().StringVar(&specDir, "spec", spec.DefaultDir, "directory of the normalized spec")
	cmd.Flags().StringVar(&outDir, "out", "redisclient", "output directory (package redisclient)")
	cmd.Flags().BoolVar(&check, "check", false, "fail if the output directory is stale instead of writing")
	cmd.Flags().BoolVar(&fallback, "generic-fallback", false, "give commands without a known reply type the generic Value reply instead of failing (specs imported from a live server)")
	return cmd
}
