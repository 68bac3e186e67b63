// Command redkit is the redkit SDK's tool: it imports Redis's command
// specification into spec/commands and (later) generates the typed command
// layer from it.
package main

import (
	"fmt"
	"os"

	"github.com/redkit-go/redkit/cmd/redkit/internal/cli"
)

func main() {
	if err := cli.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "redkit:", err)
		os.Exit(1)
	}
}
