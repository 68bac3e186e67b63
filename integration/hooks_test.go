package integration

// Hooks (Options.Hooks) against a real server: every command a client
// sends, alone, in a pipeline, in a transaction or inside Watch, passes
// through them with its outcome (a dedicated connection's through
// Client.Observe), and the context a hook returns is the
// one the commands are sent with.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
)

// recordingHook records each Start as the command names it saw and the
// error its done function got.
type recordingHook struct {
	mu    sync.Mutex
	calls []string
}

func (h *recordingHook) Start(ctx context.Context, cmds []*transport.Command) (context.Context, func(error)) {
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = c.Name()
	}
	return ctx, func(err error) {
		outcome := "ok"
		if err != nil {
			outcome = "error"
		} else if len(cmds) == 1 && cmds[0].Reply().Err() != nil {
			outcome = "reply error"
		}
		h.mu.Lock()
		h.calls = append(h.calls, strings.Join(names, ",")+": "+outcome)
		h.mu.Unlock()
	}
}

func (h *recordingHook) take() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := h.calls
	h.calls = nil
	return out
}

func TestHooks(t *testing.T) {
	srv := sharedServer(t)
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			ctx := testCtx(t)
			outer, inner := &recordingHook{}, &recordingHook{}
			var order []string
			var mu sync.Mutex
			mark := func(s string) { mu.Lock(); order = append(order, s); mu.Unlock() }
			nesting := redisclient.HookFunc(func(ctx context.Context, cmds []*transport.Command) (context.Context, func(error)) {
				mark("start")
				return ctx, func(error) { mark("done") }
			})
			opts := srv.Options(proto)
			opts.Hooks = []redisclient.Hook{outer, nesting, inner}
			c := NewClient(t, opts)
			k := key(t, "k")

			ok(t, "SET")(redisclient.Set(k, "v").Do(ctx, c))
			if _, err := redisclient.Incr(k).Do(ctx, c); err == nil {
				t.Fatal("INCR of a non-number succeeded")
			}
			p := c.Pipeline()
			redisclient.Get(k).Queue(p)
			redisclient.Exists(k).Queue(p)
			must(t, p.Exec(ctx), "pipeline")
			tx := c.TxPipeline()
			redisclient.Incr(k + ":n").Queue(tx)
			must(t, tx.Exec(ctx), "transaction")
			must(t, c.Watch(ctx, func(tx *redisclient.Tx) error {
				if _, err := redisclient.Get(k).Do(ctx, tx); err != nil {
					return err
				}
				redisclient.Set(k, "w").Queue(tx)
				return nil
			}, k), "Watch")

			want := []string{
				"SET: ok",
				"INCR: reply error",
				"GET,EXISTS: ok",
				"MULTI,INCR,EXEC: ok",
				"WATCH: ok",
				"GET: ok",
				"MULTI,SET,EXEC: ok",
			}
			for name, h := range map[string]*recordingHook{"outer": outer, "inner": inner} {
				if diff := cmp.Diff(want, h.take()); diff != "" {
					t.Errorf("%s hook saw (-want +got):\n%s", name, diff)
				}
			}
			mu.Lock()
			for i, s := range order {
				if want := []string{"start", "done"}[i%2]; s != want {
					t.Errorf("call %d of the middle hook: %s, want %s (start and done must pair up)", i, s, want)
					break
				}
			}
			mu.Unlock()
		})
	}

	// A dedicated connection, the escape hatch, is observed only through
	// Client.Observe.
	t.Run("DedicatedConn", func(t *testing.T) {
		ctx := testCtx(t)
		h := &recordingHook{}
		opts := srv.Options(3)
		opts.Hooks = []redisclient.Hook{h}
		c := NewClient(t, opts)
		conn, err := c.DedicatedConn(ctx, -1)
		must(t, err, "DedicatedConn")
		defer conn.Release()
		k := key(t, "dedicated")
		ok(t, "SET on the bare connection")(redisclient.Set(k, "v").Do(ctx, conn))
		if got := h.take(); len(got) != 0 {
			t.Errorf("hook saw %v for a command on the bare dedicated connection, want nothing", got)
		}
		d := c.Observe(conn)
		expect(t, "GET through Observe", redisclient.Opt[string]{Value: "v", Valid: true})(redisclient.Get(k).Do(ctx, d))
		if _, err := redisclient.Incr(k).Do(ctx, d); err == nil {
			t.Fatal("INCR of a non-number succeeded")
		}
		redisclient.Del(k).Do(ctx, d)
		want := []string{"GET: ok", "INCR: reply error", "DEL: ok"}
		if diff := cmp.Diff(want, h.take()); diff != "" {
			t.Errorf("hook saw through Observe (-want +got):\n%s", diff)
		}
	})

	// The context a hook returns is the one the command is sent with: a
	// hook that shortens the deadline makes a blocking command time out.
	t.Run("Context", func(t *testing.T) {
		ctx := testCtx(t)
		h := &recordingHook{}
		opts := srv.Options(3)
		opts.Hooks = []redisclient.Hook{redisclient.HookFunc(func(ctx context.Context, cmds []*transport.Command) (context.Context, func(error)) {
			ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
			return ctx, func(error) { cancel() }
		}), h}
		c := NewClient(t, opts)
		start := time.Now()
		_, err := redisclient.BLPop(0, key(t, "empty")).Do(ctx, c)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("BLPOP under a hook's 100ms deadline: %v, want the deadline", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("BLPOP returned after %v", d)
		}
		if diff := cmp.Diff([]string{"BLPOP: error"}, h.take()); diff != "" {
			t.Errorf("hook saw (-want +got):\n%s", diff)
		}
	})
}
