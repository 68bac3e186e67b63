package cli

// This file holds `redkit gen`: render the typed command layer from the
// spec into redisclient/ and its module packages, or — with --package — a
// package of chosen commands into a user's own module.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/redkit-go/redkit/gen"
	"github.com/redkit-go/redkit/spec"
	"github.com/spf13/cobra"
)

func newGenCommand() *cobra.Command {
	var specDir, outDir, pkgName, importPath, strip string
	var commands, groups []string
	var check, fallback bool
	cmd := &cobra.Command{
		Use:   "gen",
		Short: "Generate the typed command builders and reply decoders from the spec",
		Long: "gen reads the normalized spec (one JSON file per group) and writes\n" +
			"<group>_gen.go, <group>_gen_test.go, replies_gen.go and commands_gen.go into the\n" +
			"output directory. Files are written only if everything renders; generated\n" +
			"files that are no longer produced are removed. With --check nothing is\n" +
			"written and the command fails if the directory is not up to date.\n\n" +
			"With --package, gen writes one package of the commands chosen by --commands\n" +
			"and --group into --out, for a module of your own: it imports redkit's\n" +
			"runtime (redisclient and redisclient/cmdimpl) and compiles outside this\n" +
			"repository. --spec takes a directory or one JSON file (as written by\n" +
			"`redkit spec import`):\n\n" +
			"  redkit gen --spec ./spec --package mycmds --commands 'DELIFEQ,MYMOD.*' --out ./mycmds",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SilenceUsage = true // usage is for argument errors, not failures
			s, err := loadSpec(specDir)
			if err != nil {
				return err
			}
			if pkgName != "" {
				if check {
					return fmt.Errorf("--check is for the repository's generation; it does not take --package")
				}
				if len(commands) == 0 && len(groups) == 0 {
					return fmt.Errorf("--package needs --commands or --group")
				}
				if s, err = gen.FilterCommands(s, commands, groups); err != nil {
					return err
				}
				if importPath == "" {
					importPath = pkgName
				}
				return gen.WriteWith(s, outDir, gen.Options{GenericFallback: fallback, Package: pkgName, PackagePath: importPath, StripPrefix: strings.ToUpper(strip)})
			}
			if len(commands) > 0 || len(groups) > 0 {
				return fmt.Errorf("--commands and --group choose the commands of a --package")
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
	cmd.Flags().StringVar(&specDir, "spec", spec.DefaultDir, "directory of the normalized spec, or one of its JSON files")
	cmd.Flags().StringVar(&outDir, "out", "redisclient", "output directory (package redisclient)")
	cmd.Flags().BoolVar(&check, "check", false, "fail if the output directory is stale instead of writing")
	cmd.Flags().StringVar(&pkgName, "package", "", "write one package of this name for a module of your own (with --commands or --group)")
	cmd.Flags().StringVar(&importPath, "import-path", "", "import path of the --package (default: its name)")
	cmd.Flags().StringSliceVar(&commands, "commands", nil, "commands of the --package: names or patterns, comma-separated (\"DELIFEQ,MYMOD.*\")")
	cmd.Flags().StringSliceVar(&groups, "group", nil, "spec groups of the --package, comma-separated")
	cmd.Flags().StringVar(&strip, "strip-prefix", "", "module prefix dropped from Go names in the --package (\"MYMOD\": MYMOD.ADD is Add)")
	cmd.Flags().BoolVar(&fallback, "generic-fallback", false, "give commands without a known reply type the generic Value reply instead of failing (specs imported from a live server)")
	return cmd
}

// loadSpec reads a normalized spec directory, or one file of it.
func loadSpec(p string) (*spec.Spec, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return spec.LoadDir(p)
	}
	dir, err := os.MkdirTemp("", "redkit-spec")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.Base(p)), b, 0o644); err != nil {
		return nil, err
	}
	return spec.LoadDir(dir)
}
