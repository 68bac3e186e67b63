// Package cli holds redkit's cobra commands. Each command lives in its own
// file and is attached in NewRootCommand (or under its parent, such as
// "spec"), one AddCommand line each.
package cli

import (
	"github.com/spf13/cobra"
)

// NewRootCommand returns the "redkit" command with all of its subcommands.
// Tests run commands in-process through it.
func NewRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "redkit",
		Short: "Tools for the redkit Redis client SDK: command specification and code generation",
		Long: "redkit maintains the normalized Redis command specification under spec/commands\n" +
			"and generates the SDK's typed command layer from it.",
		SilenceErrors: true, // main prints the error once
	}
	root.AddCommand(newSpecCommand())
	root.AddCommand(newGenCommand())
	root.AddCommand(newDemoCommand())
	root.AddCommand(newDoCommand())
	return root
}

// Execute runs the root command with the process's arguments.
func Execute() error {
	return NewRootCommand().Execute()
}
