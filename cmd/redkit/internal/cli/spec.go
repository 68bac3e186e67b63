package cli

import "github.com/spf13/cobra"

// newSpecCommand returns "redkit spec", the parent of the commands that
// maintain the normalized command specification.
func newSpecCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "spec",
		Short: "Maintain the normalized Redis command specification",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	cmd.AddCommand(newSpecImportCommand())
	cmd.AddCommand(newSpecStatsCommand())
	return cmd
}
