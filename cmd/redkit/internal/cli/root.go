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
		Short: "A Redis and Valkey client from the command line, and the redkit SDK's generator",
		Long: "redkit is the command-line companion of the redkit Go client SDK for Redis and\n" +
			"Valkey.\n\n" +
			"As a client:\n" +
			"  redkit do COMMAND [ARG...]   run one command and print its reply like redis-cli\n" +
			"                               (checked against the command spec first; --resp 2|3, --raw)\n" +
			"  redkit cli                   an interactive session like redis-cli: history, the\n" +
			"                               command's syntax as a hint while typing, help <command>\n" +
			"  redkit demo                  walk through the typed client against a server\n\n" +
			"For the SDK's maintainers:\n" +
			"  redkit spec ...              import and inspect the normalized command spec (spec/commands)\n" +
			"  redkit gen                   generate the typed command layer from the spec\n\n" +
			"Shell completion (redkit completion bash|zsh|fish) completes Redis command names,\n" +
			"subcommands and option tokens after \"redkit do\".",
		SilenceErrors: true, // main prints the error once
	}
	root.AddCommand(newSpecCommand())
	root.AddCommand(newGenCommand())
	root.AddCommand(newDemoCommand())
	root.AddCommand(newDoCommand())
	root.AddCommand(newCliCommand())
	return root
}

// Execute runs the root command with the process's arguments.
func Execute() error {
	return NewRootCommand().Execute()
}
