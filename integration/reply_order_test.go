package integration

// Tests that every reply reaches its own caller: command values with no
// command and commands that break the one-reply-per-command rule never
// reach a shared connection.

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
)

// TestZeroCommandNotMisdelivered is the reproduction of a reply handed to
// the wrong caller: a zero command value (left unassigned when a loop over
// an empty map ran no iteration) used to be written as an empty array,
// which Redis skips without a reply, so every later reply on the
// connection went to the caller before its own.
func TestZeroCommandNotMisdelivered(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	for _, proto := range []int{2, 3} {
		opts := srv.Options(proto)
		opts.PipelineConns = 1
		c := NewClient(t, opts)
		ctx := testCtx(t)
		want := map[string]string{}
		for _, name := range []string{"a", "b", "c"} {
			k := key(t, name)
			want[k] = name
			must(t, redisclient.Set(k, name).Do(ctx, c), "SET")
		}

		var cmd redisclient.HSetCmd
		short, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		_, err := cmd.Do(short, c)
		cancel()
		var be *redisclient.BuildError
		if !errors.As(err, &be) || !errors.Is(err, transport.ErrEmptyCommand) {
			t.Errorf("RESP%d: zero HSetCmd: err = %v, want a BuildError (empty command)", proto, err)
		}

		var wg sync.WaitGroup
		for k, v := range want {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := redisclient.Get(k).Do(ctxFor(t, 5*time.Second), c)
				if err != nil || got.Value != v {
					t.Errorf("RESP%d: GET %s = %+v, %v; want %q", proto, k, got, err, v)
				}
			}()
		}
		wg.Wait()

		// The same at the transport: an empty command built by hand.
		empty := transport.AcquireCommand()
		if err := c.Router().Do(ctx, empty); !errors.Is(err, transport.ErrEmptyCommand) {
			t.Errorf("RESP%d: empty transport command: err = %v", proto, err)
		}
		empty.Release()
	}
}

// TestReplyBreakingCommandsRefusedOnSharedConns: commands built by hand
// without their flags that would answer with no reply or several
// (SUBSCRIBE, CLIENT REPLY OFF, MONITOR) or change the connection for
// every caller (RESET, SELECT) are refused, and the shared connections
// keep answering their own callers.
func TestReplyBreakingCommandsRefusedOnSharedConns(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		k := key(t, "v")
		must(t, redisclient.Set(k, "mine").Do(ctx, c), "SET")
		for _, args := range [][]string{
			{"SUBSCRIBE", "ch"}, {"CLIENT", "REPLY", "OFF"}, {"client", "reply", "skip"},
			{"MONITOR"}, {"RESET"}, {"SELECT", "1"}, {"HELLO", "2"},
		} {
			words := make([]transport.Arg, len(args))
			for i, a := range args {
				words[i] = transport.String(a)
			}
			cmd := transport.NewCommand(transport.Meta{}, words...)
			err := c.Router().Do(ctx, cmd)
			cmd.Release()
			var cse *transport.ConnStateError
			if !errors.As(err, &cse) {
				t.Errorf("%v on a shared connection: err = %v, want a ConnStateError", args, err)
			}
			// Raw knows them from the spec.
			if _, err := redisclient.RawStrings(args...).Do(ctx, c); !errors.As(err, &cse) {
				t.Errorf("Raw%v: err = %v, want a ConnStateError", args, err)
			}
		}
		for range 20 {
			got, err := redisclient.Get(k).Do(ctx, c)
			if err != nil || got.Value != "mine" {
				t.Fatalf("GET after the refusals = %+v, %v", got, err)
			}
		}
	})
}
