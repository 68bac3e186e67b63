package cli

// This file holds `redkit demo`: a guided tour of the typed client against
// a server, printing each step (make demo starts a disposable server for
// it).

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

func newDemoCommand() *cobra.Command {
	var url string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run a tour of typed commands, pipelines and transactions against a server",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SilenceUsage = true
			c, err := redisclient.NewFromURL(url)
			if err != nil {
				return err
			}
			defer c.Close()
			ctx, cancel := context.WithTimeout(cmd.Context(), 30*time.Second)
			defer cancel()
			return runDemo(ctx, cmd.OutOrStdout(), c)
		},
	}
	cmd.Flags().StringVar(&url, "url", "redis://localhost:6379/0", "server URL (redis://, rediss:// or unix://)")
	return cmd
}

// runDemo walks through the client's main flows. Every key it uses starts
// with "demo:" and is deleted at the end.
func runDemo(ctx context.Context, w io.Writer, c *redisclient.Client) error {
	step := func(format string, args ...any) { fmt.Fprintf(w, "• "+format+"\n", args...) }
	fmt.Fprintf(w, "redkit demo on %s\n\n", c)
	if err := waitReady(ctx, c); err != nil {
		return err
	}
	defer redisclient.Del("demo:user", "demo:hits", "demo:board", "demo:h", "demo:queue", "demo:stream", "demo:balance").Do(context.Background(), c)

	// Typed commands: options that cannot be combined do not compile.
	if err := redisclient.Set("demo:user", "ann").EX(time.Minute).Do(ctx, c); err != nil {
		return err
	}
	step(`SET demo:user ann EX 60            -> OK`)
	set, err := redisclient.Set("demo:user", "bob").NX().Do(ctx, c)
	if err != nil {
		return err
	}
	step("SET demo:user bob NX              -> set=%v (bool: NX changes the reply type)", set)
	old, err := redisclient.Set("demo:user", "cid").Get().Do(ctx, c)
	if err != nil {
		return err
	}
	step("SET demo:user cid GET             -> old=%q valid=%v (Opt[string])", old.Value, old.Valid)
	missing, err := redisclient.Get("demo:nope").Do(ctx, c)
	if err != nil {
		return err
	}
	step("GET demo:nope                     -> valid=%v (null is not an empty string)", missing.Valid)
	n, err := redisclient.Incr("demo:hits").Do(ctx, c)
	if err != nil {
		return err
	}
	step("INCR demo:hits                    -> %d (int64)", n)
	if _, err := redisclient.ZAdd("demo:board", 120, "ann").ScoreMember(95, "bob").ScoreMember(140, "cid").Do(ctx, c); err != nil {
		return err
	}
	top, err := redisclient.ZRange("demo:board", "0", "1").Rev().WithScores().Do(ctx, c)
	if err != nil {
		return err
	}
	step("ZRANGE demo:board 0 1 REV WITHSCORES -> %+v ([]ZMember)", top)
	if _, err := redisclient.HSet("demo:h", "name", "ann").FieldValue("age", "31").Do(ctx, c); err != nil {
		return err
	}
	h, err := redisclient.HGetAll("demo:h").Do(ctx, c)
	if err != nil {
		return err
	}
	step("HGETALL demo:h                    -> %v (map[string]string, RESP2 or RESP3)", h)
	id, err := redisclient.XAdd("demo:stream", "*", "event", "login").Do(ctx, c)
	if err != nil {
		return err
	}
	msgs, err := redisclient.XRange("demo:stream", "-", "+").Do(ctx, c)
	if err != nil {
		return err
	}
	step("XADD + XRANGE demo:stream         -> id=%s messages=%+v", id.Value, msgs)

	// Server errors are typed.
	_, err = redisclient.HGetAll("demo:user").Do(ctx, c)
	var rerr *resp.Error
	if errors.As(err, &rerr) {
		step("HGETALL on a string               -> %s error: %v", rerr.Prefix(), rerr)
	}

	// Pipelines: typed futures, one failing command does not fail others.
	p := c.Pipeline()
	hits := redisclient.Incr("demo:hits").Queue(p)
	name := redisclient.Get("demo:user").Queue(p)
	bad := redisclient.LPush("demo:user", "x").Queue(p)
	_ = p.Exec(ctx)
	step("pipeline INCR, GET, LPUSH         -> %d, %q, error=%v", hits.Val(), name.Val().Value, bad.Err())

	// Transactions with WATCH: the function retries on conflicts.
	redisclient.Set("demo:balance", "100").Do(ctx, c)
	err = c.Watch(ctx, func(tx *redisclient.Tx) error {
		bal, err := redisclient.Get("demo:balance").Do(ctx, tx)
		if err != nil {
			return err
		}
		step("WATCH demo:balance, read %s, queue DECRBY 30 in MULTI/EXEC", bal.Value)
		redisclient.DecrBy("demo:balance", 30).Queue(tx)
		return nil
	}, "demo:balance")
	if err != nil {
		return err
	}
	bal, _ := redisclient.Get("demo:balance").Do(ctx, c)
	step("after EXEC                        -> demo:balance=%s", bal.Value)

	// Blocking commands run on dedicated connections, beside normal traffic.
	go func() {
		time.Sleep(200 * time.Millisecond)
		redisclient.RPush("demo:queue", "job-1").Do(context.Background(), c)
	}()
	start := time.Now()
	job, err := redisclient.BLPop(2*time.Second, "demo:queue").Do(ctx, c)
	if err != nil {
		return err
	}
	step("BLPOP demo:queue 2 (pushed after 200ms) -> %s from %s after %v", job.Element, job.Key, time.Since(start).Round(10*time.Millisecond))
	fmt.Fprintln(w, "\ndone: every demo:* key was deleted")
	return nil
}

// waitReady waits for the first connection (the client connects in the
// background) and names the reason when there is none.
func waitReady(ctx context.Context, c *redisclient.Client) error {
	if err := c.Ready(ctx); err != nil {
		return fmt.Errorf("server not reachable: %w", err)
	}
	return nil
}
