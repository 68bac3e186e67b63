package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/redkit-go/redkit/spec"
	"github.com/redkit-go/redkit/spec/upstream"
)

// importOptions are the flags of "redkit spec import".
type importOptions struct {
	out   string
	check bool
	from  []string // live servers (redis:// URLs)
	base  string   // a normalized spec directory merged first
	// servers are other servers' source trees ("valkey=DIR"), recorded
	// after the merge as servers of their own (upstream.MergeServer).
	servers []string
}

// newSpecImportCommand returns "redkit spec import".
func newSpecImportCommand() *cobra.Command {
	var opts importOptions
	cmd := &cobra.Command{
		Use:   "import [flags] [FILE...]",
		Short: "Import upstream command specification files into the normalized spec",
		Long: `Import reads Redis command specification files, in the published form
(redis-doc commands.json, redis/docs data/commands_*.json) or the source form
(redis/redis src/commands/*.json merged into one object), merges them in the
order given (later files win, field by field), validates the result and
writes it to --out as one JSON file per command group.

With --from redis://host:port the command table of a live server (COMMAND
DOCS and COMMAND INFO) is imported too, after the files, so bindings match
exactly the server (and modules) you run.

With --server valkey=DIR, Valkey's source tree (src/commands/*.json) is
recorded as a server of its own after the merge: every command then says on
which servers it exists and since which version there, and arguments only
one server has say so (what could not be merged is printed).

With --check nothing is written: the spec is rendered in memory and the
command fails if --out differs from it.`,
		Example: `  redkit spec import --out spec/commands redis-src-commands.json docs-commands_core.json
  redkit spec import --check redis-src-commands.json docs-commands_core.json
  redkit spec import --out myspec --base spec/commands --from redis://localhost:6379
  redkit spec import --out spec/commands redis-8.6.3 --server valkey=valkey-9.1.2`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && len(opts.from) == 0 && opts.base == "" {
				return fmt.Errorf("give at least one FILE, --from URL or --base DIR")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true // from here on, errors are not usage errors
			return runImport(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), opts, args)
		},
	}
	cmd.Flags().StringVar(&opts.out, "out", spec.DefaultDir, "directory of the normalized spec, one JSON file per group")
	cmd.Flags().BoolVar(&opts.check, "check", false, "write nothing; fail if the directory differs from the import's result")
	cmd.Flags().StringVar(&opts.base, "base", "", "merge over this normalized spec directory (such as spec/commands): it keeps the reply schemas a live server does not publish")
	cmd.Flags().StringArrayVar(&opts.servers, "server", nil, "record another server's source tree as a server of its own: valkey=DIR; repeatable")
	cmd.Flags().StringArrayVar(&opts.from, "from", nil, "also import the command table of a live server (redis://, rediss:// or unix:// URL); repeatable")
	return cmd
}

func runImport(ctx context.Context, stdout, stderr io.Writer, opts importOptions, paths []string) error {
	sources := make([]*upstream.Source, 0, len(paths)+len(opts.from)+1)
	if opts.base != "" {
		base, err := spec.LoadDir(opts.base)
		if err != nil {
			return err
		}
		sources = append(sources, upstream.FromSpec(opts.base, base))
	}
	for _, p := range paths {
		src, err := upstream.ReadFile(p)
		if err != nil {
			return err
		}
		sources = append(sources, src)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	for _, u := range opts.from {
		src, err := readLive(ctx, u)
		if err != nil {
			return err
		}
		sources = append(sources, src)
	}
	s, err := upstream.Merge(sources...)
	if err != nil {
		return err
	}
	for _, sv := range opts.servers {
		name, dir, ok := strings.Cut(sv, "=")
		if !ok || name == "" || dir == "" {
			return fmt.Errorf("--server %q: want NAME=DIR (valkey=path/to/valkey-9.1.2)", sv)
		}
		src, err := upstream.ReadFile(dir)
		if err != nil {
			return err
		}
		notes, err := upstream.MergeServer(s, name, src)
		if err != nil {
			return err
		}
		for _, n := range notes {
			fmt.Fprintln(stderr, "note:", n)
		}
	}
	groups := len(s.Groups())
	if !opts.check {
		if err := s.WriteDir(opts.out); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "imported %d commands in %d groups from %d sources into %s\n", len(s.Commands), groups, len(sources), opts.out)
		return nil
	}
	files, err := s.Marshal()
	if err != nil {
		return err
	}
	diffs, err := diffDir(opts.out, files)
	if err != nil {
		return err
	}
	if len(diffs) > 0 {
		for _, d := range diffs {
			fmt.Fprintln(stderr, d)
		}
		return fmt.Errorf("%s is out of date: %d of its files differ from the import; run redkit spec import without --check", opts.out, len(diffs))
	}
	fmt.Fprintf(stdout, "%s is up to date: %d commands in %d groups\n", opts.out, len(s.Commands), groups)
	return nil
}

// diffDir compares the rendered group files with the *.json files of dir
// and describes each difference, sorted by file name.
func diffDir(dir string, files map[string][]byte) ([]string, error) {
	var diffs []string
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			diffs = append(diffs, filepath.Join(dir, name)+": missing")
		case err != nil:
			return nil, err
		case !bytes.Equal(got, want):
			diffs = append(diffs, filepath.Join(dir, name)+": differs")
		}
	}
	existing, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	for _, p := range existing {
		if _, ok := files[filepath.Base(p)]; !ok {
			diffs = append(diffs, p+": not produced by the import")
		}
	}
	sort.Strings(diffs)
	return diffs, nil
}
