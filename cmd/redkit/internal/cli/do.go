package cli

// This file holds `redkit do`: run one command against a server and print
// its reply, like redis-cli, through the typed client's raw escape hatch.

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/redkit-go/redkit/redisclient"
)

func newDoCommand() *cobra.Command {
	var url string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:     "do [--url URL] COMMAND [ARG...]",
		Short:   "Run one command against a server and print its reply",
		Example: "  redkit do --url redis://localhost:6379 SET greeting hello\n  redkit do HGETALL user:1",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true
			opts, err := redisclient.ParseURL(url)
			if err != nil {
				return err
			}
			opts.OfflineQueueLimit = -1 // report an unreachable server at once
			c, err := redisclient.New(opts)
			if err != nil {
				return err
			}
			defer c.Close()
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			if err := waitReady(ctx, c); err != nil {
				return err
			}
			v, err := redisclient.RawStrings(args...).Do(ctx, c)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), v.String())
			return nil
		},
	}
	cmd.Flags().StringVar(&url, "url", "redis://localhost:6379/0", "server URL (redis://, rediss:// or unix://)")
	cmd.Flags().DurationVar(&timeout, "timeout", 10*time.Second, "bound on connecting and running the command")
	return cmd
}
