package cli

// This file holds what `redkit do` and `redkit cli` share: the flags that
// say which server to talk to and how to print its replies, the client
// they open, and the printing of one reply.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport/resp"
)

// serverFlags are the flags of the commands that talk to a server.
type serverFlags struct {
	url       string
	timeout   time.Duration
	protocol  int
	rawOutput bool
	noCheck   bool
}

// add registers the flags on cmd; timeoutHelp says what --timeout bounds.
func (f *serverFlags) add(cmd *cobra.Command, timeoutHelp string) {
	cmd.Flags().StringVar(&f.url, "url", "redis://localhost:6379/0", "server URL (redis://, rediss:// or unix://)")
	cmd.Flags().DurationVar(&f.timeout, "timeout", 10*time.Second, timeoutHelp)
	cmd.Flags().IntVar(&f.protocol, "resp", 3, "protocol: 2 (RESP2) or 3 (RESP3; RESP2 when the server lacks it)")
	cmd.Flags().BoolVar(&f.rawOutput, "raw", false, "print bare values one per line, like redis-cli --raw")
	cmd.Flags().BoolVar(&f.noCheck, "no-check", false, "send commands the spec does not know, without checking their arguments")
}

// options returns the client options the flags name.
func (f *serverFlags) options() (redisclient.Options, error) {
	opts, err := redisclient.ParseURL(f.url)
	if err != nil {
		return opts, err
	}
	if f.protocol != 2 && f.protocol != 3 {
		return opts, fmt.Errorf("--resp %d: want 2 or 3", f.protocol)
	}
	opts.Protocol = f.protocol
	opts.OfflineQueueLimit = -1 // report an unreachable server at once
	return opts, nil
}

// connect opens a client with opts and waits, up to --timeout, for its
// first connection.
func (f *serverFlags) connect(ctx context.Context, opts redisclient.Options) (*redisclient.Client, error) {
	c, err := redisclient.New(opts)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	if err := waitReady(ctx, c); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// printReply prints a command's outcome the way redis-cli does (--raw:
// bare values). An error reply is printed; any other error is returned.
func (f *serverFlags) printReply(w io.Writer, v resp.Message, err error) error {
	var re *resp.Error
	switch {
	case errors.As(err, &re) && f.rawOutput:
		fmt.Fprint(w, formatRawError(re.Text))
	case errors.As(err, &re):
		fmt.Fprint(w, formatErrorReply(re.Text))
	case err != nil:
		return err
	case f.rawOutput:
		fmt.Fprint(w, formatRaw(v))
	default:
		fmt.Fprint(w, formatReply(v))
	}
	return nil
}
