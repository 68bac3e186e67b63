package integration

// Typed scripts and functions (redisclient.NewScript, NewReadOnlyScript,
// NewFunction, LoadLibrary) on RESP2 and RESP3: EVALSHA with the EVAL
// fallback after SCRIPT FLUSH, in pipelines (a NOSCRIPT round) and
// transactions (scripts loaded before MULTI), keys apart from arguments
// (with a key prefix), EVALSHA_RO, FCALL and FCALL_RO, and every decoder.
// Each protocol has its own server: the tests flush the script cache and
// count commands.

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport/resp"
)

// perProtocolServer runs fn for RESP2 and RESP3 in parallel subtests, each
// with a server of its own.
func perProtocolServer(t *testing.T, name string, fn func(t *testing.T, srv *Server, proto int)) {
	t.Helper()
	t.Parallel()
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			t.Parallel()
			srv := StartServer(t, ServerConfig{Name: fmt.Sprintf("%s-%d", name, proto)})
			fn(t, srv, proto)
		})
	}
}

func TestFeatScriptRun(t *testing.T) {
	perProtocolServer(t, "scripts", func(t *testing.T, srv *Server, proto int) {
		ctx := testCtx(t)
		c := NewClient(t, srv.Options(proto))
		src := `return redis.call('INCRBY', KEYS[1], ARGV[1])`
		incr := redisclient.NewScript(src, redisclient.DecodeInt)
		sum := sha1.Sum([]byte(src))
		if incr.SHA() != hex.EncodeToString(sum[:]) || incr.Source() != src {
			t.Errorf("SHA %s, Source %q", incr.SHA(), incr.Source())
		}
		calls := func(what string, evalsha, eval int64) {
			t.Helper()
			if got := commandCalls(t, srv, "evalsha"); got != evalsha {
				t.Errorf("%s: %d EVALSHA, want %d", what, got, evalsha)
			}
			if got := commandCalls(t, srv, "eval"); got != eval {
				t.Errorf("%s: %d EVAL, want %d", what, got, eval)
			}
		}

		resetStats(t, srv)
		expect(t, "Run on a server without the script", int64(5))(incr.Run(ctx, c, []string{"n"}, "5"))
		calls("first Run", 1, 1) // NOSCRIPT, then EVAL (which loads it)
		expect(t, "Run again", int64(7))(incr.Run(ctx, c, []string{"n"}, "2"))
		calls("second Run", 2, 1)
		expect(t, "SCRIPT EXISTS", []bool{true})(redisclient.ScriptExists(incr.SHA()).Do(ctx, c))

		ok(t, "SCRIPT FLUSH")(redisclient.ScriptFlush().Do(ctx, c))
		expect(t, "Run after SCRIPT FLUSH", int64(8))(incr.Run(ctx, c, []string{"n"}, "1"))
		calls("Run after SCRIPT FLUSH", 3, 2)
		expect(t, "SCRIPT EXISTS after the fallback", []bool{true})(redisclient.ScriptExists(incr.SHA()).Do(ctx, c))

		ok(t, "SCRIPT FLUSH")(redisclient.ScriptFlush().Do(ctx, c))
		must(t, incr.Load(ctx, c), "Load")
		expect(t, "Run after Load", int64(9))(incr.Run(ctx, c, []string{"n"}, "1"))
		calls("Run after Load", 4, 2)

		// Errors: the script's own error reply, a runtime error, a reply the
		// decoder does not accept.
		boom := redisclient.NewScript(`return redis.error_reply('MYERR custom failure')`, redisclient.DecodeInt)
		if _, err := boom.Run(ctx, c, nil); errCode(err) != "MYERR" {
			t.Errorf("error_reply: %v, want MYERR", err)
		}
		wrongType := redisclient.NewScript(`return redis.call('LPUSH', KEYS[1], 'x')`, redisclient.DecodeInt)
		ok(t, "SET")(redisclient.Set("str", "v").Do(ctx, c))
		if _, err := wrongType.Run(ctx, c, []string{"str"}); err == nil || !hasAll(err.Error(), "WRONGTYPE") {
			t.Errorf("runtime error: %v, want WRONGTYPE", err)
		}
		text := redisclient.NewScript(`return 'not a number'`, redisclient.DecodeInt)
		var re *redisclient.ReplyError
		if _, err := text.Run(ctx, c, nil); !errors.As(err, &re) {
			t.Errorf("DecodeInt of text: %v, want a *ReplyError", err)
		}
		if _, err := incr.Run(ctx, nil, []string{"n"}, "1"); !errors.Is(err, redisclient.ErrNilDoer) {
			t.Errorf("Run on nil: %v", err)
		}
	})
}

func TestFeatScriptQueue(t *testing.T) {
	perProtocolServer(t, "scripts-queue", func(t *testing.T, srv *Server, proto int) {
		ctx := testCtx(t)
		c := NewClient(t, srv.Options(proto))
		incr := redisclient.NewScript(`return redis.call('INCRBY', KEYS[1], ARGV[1])`, redisclient.DecodeInt)
		echo := redisclient.NewScript(`return ARGV[1] .. '!'`, redisclient.DecodeString)

		// A pipeline on a server without the scripts: the EVALSHAs get
		// NOSCRIPT and run again with EVAL in a second round, after the
		// rest of the pipeline (the GET in between sees the value before).
		ok(t, "SCRIPT FLUSH")(redisclient.ScriptFlush().Do(ctx, c))
		resetStats(t, srv)
		p := c.Pipeline()
		f1 := incr.Queue(p, []string{"pn"}, "1")
		between := redisclient.Get("pn").Queue(p)
		f2 := incr.Queue(p, []string{"pn"}, "2")
		f3 := echo.Queue(p, nil, "hi")
		must(t, p.Exec(ctx), "pipeline with scripts not loaded")
		expect(t, "first script in the pipeline", int64(1))(f1.Result())
		expect(t, "second script in the pipeline", int64(3))(f2.Result())
		expect(t, "other script in the pipeline", "hi!")(f3.Result())
		expect(t, "GET between the scripts (runs before the EVAL round)", none[string]())(between.Result())
		if n := commandCalls(t, srv, "eval"); n != 3 {
			t.Errorf("EVAL in the NOSCRIPT round: %d, want 3", n)
		}
		// Loaded now: one round, in order.
		p = c.Pipeline()
		f1 = incr.Queue(p, []string{"pn"}, "10")
		between = redisclient.Get("pn").Queue(p)
		must(t, p.Exec(ctx), "pipeline with loaded scripts")
		expect(t, "loaded script in the pipeline", int64(13))(f1.Result())
		expect(t, "GET after it", some("13"))(between.Result())
		if n := commandCalls(t, srv, "eval"); n != 3 {
			t.Errorf("EVAL with the scripts loaded: %d calls in all, want still 3", n)
		}
		// A script error fails its own future only.
		boom := redisclient.NewScript(`return redis.error_reply('MYERR x')`, redisclient.DecodeInt)
		p = c.Pipeline()
		bad := boom.Queue(p, nil)
		good := incr.Queue(p, []string{"pn"}, "1")
		if err := p.Exec(ctx); errCode(err) != "MYERR" {
			t.Errorf("pipeline Exec with a failing script: %v", err)
		}
		if errCode(bad.Err()) != "MYERR" {
			t.Errorf("failing script future: %v", bad.Err())
		}
		expect(t, "script after a failing one", int64(14))(good.Result())

		// A transaction on a server without the scripts: they are loaded
		// before MULTI, so EVALSHA works inside.
		ok(t, "SCRIPT FLUSH")(redisclient.ScriptFlush().Do(ctx, c))
		resetStats(t, srv)
		tx := c.TxPipeline()
		t1 := incr.Queue(tx, []string{"tn"}, "4")
		tget := redisclient.Get("tn").Queue(tx)
		t2 := incr.Queue(tx, []string{"tn"}, "1")
		t3 := echo.Queue(tx, nil, "tx")
		must(t, tx.Exec(ctx), "transaction with scripts not loaded")
		expect(t, "first script in the transaction", int64(4))(t1.Result())
		expect(t, "GET in the transaction", some("4"))(tget.Result())
		expect(t, "second script in the transaction", int64(5))(t2.Result())
		expect(t, "other script in the transaction", "tx!")(t3.Result())
		if n := commandCalls(t, srv, "script|load"); n != 2 {
			t.Errorf("SCRIPT LOAD before MULTI: %d, want 2 (one per script)", n)
		}
		if n := commandCalls(t, srv, "eval"); n != 0 {
			t.Errorf("EVAL in a transaction: %d, want 0", n)
		}

		// Watch: the script runs in the guarded MULTI/EXEC.
		ok(t, "SCRIPT FLUSH")(redisclient.ScriptFlush().Do(ctx, c))
		var w *redisclient.Future[int64]
		must(t, c.Watch(ctx, func(tx *redisclient.Tx) error {
			v, err := redisclient.Get("tn").Do(ctx, tx)
			if err != nil {
				return err
			}
			w = incr.Queue(tx, []string{"tn"}, v.Value)
			return nil
		}, "tn"), "Watch with a script")
		expect(t, "script in Watch", int64(10))(w.Result())
	})
}

func TestFeatScriptKeysAndPrefix(t *testing.T) {
	protocols(t, func(t *testing.T, raw *redisclient.Client) {
		ctx := testCtx(t)
		pfx := key(t, "pfx") + ":"
		opts := sharedServer(t).Options(protoOf(t))
		opts.KeyPrefix = pfx
		c := NewClient(t, opts)
		show := redisclient.NewScript(`return {KEYS[1], KEYS[2], ARGV[1], ARGV[2]}`, redisclient.DecodeStrings)
		expect(t, "KEYS prefixed, ARGV not", []string{pfx + "a", pfx + "b", "x", "y"})(show.Run(ctx, c, []string{"a", "b"}, "x", "y"))
		incr := redisclient.NewScript(`return redis.call('INCRBY', KEYS[1], ARGV[1])`, redisclient.DecodeInt)
		expect(t, "INCRBY through the prefix", int64(3))(incr.Run(ctx, c, []string{"n"}, "3"))
		expect(t, "raw GET of the prefixed key", some("3"))(redisclient.Get(pfx+"n").Do(ctx, raw))
		expect(t, "no unprefixed key", int64(0))(redisclient.Exists("n").Do(ctx, raw))
		// In pipelines and transactions too.
		show1 := redisclient.NewScript(`return {KEYS[1], ARGV[1]}`, redisclient.DecodeStrings)
		p := c.Pipeline()
		pf := show1.Queue(p, []string{"p"}, "arg")
		must(t, p.Exec(ctx), "pipeline")
		expect(t, "pipelined KEYS", []string{pfx + "p", "arg"})(pf.Result())
		tx := c.TxPipeline()
		tf := show1.Queue(tx, []string{"t"}, "arg")
		must(t, tx.Exec(ctx), "transaction")
		expect(t, "KEYS in a transaction", []string{pfx + "t", "arg"})(tf.Result())
		// No keys: numkeys 0, every argument stays an argument.
		expect(t, "no keys", []string{"only", "args"})(
			redisclient.NewScript(`return ARGV`, redisclient.DecodeStrings).Run(ctx, c, nil, "only", "args"))
	})
}

func TestFeatScriptReadOnly(t *testing.T) {
	perProtocolServer(t, "scripts-ro", func(t *testing.T, srv *Server, proto int) {
		srv.RequireVersion(t, "7.0.0", "EVALSHA_RO")
		ctx := testCtx(t)
		c := NewClient(t, srv.Options(proto))
		ok(t, "SET")(redisclient.Set("k", "v").Do(ctx, c))
		get := redisclient.NewReadOnlyScript(`return redis.call('GET', KEYS[1])`, redisclient.DecodeOptString)
		ok(t, "SCRIPT FLUSH")(redisclient.ScriptFlush().Do(ctx, c))
		resetStats(t, srv)
		expect(t, "read-only Run (not loaded)", some("v"))(get.Run(ctx, c, []string{"k"}))
		expect(t, "read-only Run (loaded)", some("v"))(get.Run(ctx, c, []string{"k"}))
		expect(t, "read-only Run of a missing key", none[string]())(get.Run(ctx, c, []string{"missing"}))
		for cmd, want := range map[string]int64{"evalsha_ro": 3, "eval_ro": 1, "evalsha": 0, "eval": 0} {
			if n := commandCalls(t, srv, cmd); n != want {
				t.Errorf("%s calls: %d, want %d", cmd, n, want)
			}
		}
		write := redisclient.NewReadOnlyScript(`return redis.call('SET', KEYS[1], 'x')`, redisclient.DecodeOK)
		if _, err := write.Run(ctx, c, []string{"k"}); err == nil {
			t.Errorf("a read-only script that writes: no error")
		} else {
			t.Logf("a read-only script that writes: %v", err)
		}
		expect(t, "the key is unchanged", some("v"))(redisclient.Get("k").Do(ctx, c))
		// In a pipeline (NOSCRIPT round with EVAL_RO) and a transaction.
		ok(t, "SCRIPT FLUSH")(redisclient.ScriptFlush().Do(ctx, c))
		p := c.Pipeline()
		pf := get.Queue(p, []string{"k"})
		must(t, p.Exec(ctx), "pipeline")
		expect(t, "read-only script in a pipeline", some("v"))(pf.Result())
		ok(t, "SCRIPT FLUSH")(redisclient.ScriptFlush().Do(ctx, c))
		tx := c.TxPipeline()
		tf := get.Queue(tx, []string{"k"})
		must(t, tx.Exec(ctx), "transaction")
		expect(t, "read-only script in a transaction", some("v"))(tf.Result())
	})
}

// TestFeatScriptDecoders runs scripts whose replies take every shape the
// decoders accept, with Lua's RESP2 and RESP3 conversions.
func TestFeatScriptDecoders(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		run := func(src string, args ...any) func(dec any) (any, error) {
			return func(dec any) (any, error) {
				switch d := dec.(type) {
				case redisclient.Decoder[string]:
					return redisclient.NewScript(src, d).Run(ctx, c, nil, args...)
				case redisclient.Decoder[redisclient.Opt[string]]:
					return redisclient.NewScript(src, d).Run(ctx, c, nil, args...)
				case redisclient.Decoder[int64]:
					return redisclient.NewScript(src, d).Run(ctx, c, nil, args...)
				case redisclient.Decoder[redisclient.Opt[int64]]:
					return redisclient.NewScript(src, d).Run(ctx, c, nil, args...)
				case redisclient.Decoder[float64]:
					return redisclient.NewScript(src, d).Run(ctx, c, nil, args...)
				case redisclient.Decoder[bool]:
					return redisclient.NewScript(src, d).Run(ctx, c, nil, args...)
				case redisclient.Decoder[struct{}]:
					return redisclient.NewScript(src, d).Run(ctx, c, nil, args...)
				case redisclient.Decoder[[]string]:
					return redisclient.NewScript(src, d).Run(ctx, c, nil, args...)
				case redisclient.Decoder[[]int64]:
					return redisclient.NewScript(src, d).Run(ctx, c, nil, args...)
				case redisclient.Decoder[map[string]string]:
					return redisclient.NewScript(src, d).Run(ctx, c, nil, args...)
				case redisclient.Decoder[[]redisclient.Opt[string]]:
					return redisclient.NewScript(src, d).Run(ctx, c, nil, args...)
				}
				return nil, fmt.Errorf("no case for %T", dec)
			}
		}
		binary := "nul\x00crlf\r\n\xff"
		for _, tc := range []struct {
			name string
			src  string
			args []any
			dec  any
			want any
		}{
			{"DecodeString bulk", `return 'hello'`, nil, redisclient.DecodeString, "hello"},
			{"DecodeString status", `return redis.status_reply('FINE')`, nil, redisclient.DecodeString, "FINE"},
			{"DecodeString binary", `return ARGV[1]`, []any{binary}, redisclient.DecodeString, binary},
			{"DecodeOptString nil", `return false`, nil, redisclient.DecodeOptString, none[string]()},
			{"DecodeOptString value", `return 'x'`, nil, redisclient.DecodeOptString, some("x")},
			{"DecodeInt", `return 42`, nil, redisclient.DecodeInt, int64(42)},
			{"DecodeInt negative", `return -7`, nil, redisclient.DecodeInt, int64(-7)},
			{"DecodeOptInt nil", `return false`, nil, redisclient.DecodeOptInt, none[int64]()},
			{"DecodeOptInt value", `return 3`, nil, redisclient.DecodeOptInt, some(int64(3))},
			{"DecodeFloat text", `return '3.25'`, nil, redisclient.DecodeFloat, 3.25},
			{"DecodeFloat RESP3 double", `redis.setresp(3); return {double=2.5}`, nil, redisclient.DecodeFloat, 2.5},
			{"DecodeBool true", `return true`, nil, redisclient.DecodeBool, true},
			{"DecodeBool false", `return false`, nil, redisclient.DecodeBool, false},
			{"DecodeBool RESP3 true", `redis.setresp(3); return true`, nil, redisclient.DecodeBool, true},
			{"DecodeBool RESP3 false", `redis.setresp(3); return false`, nil, redisclient.DecodeBool, false},
			{"DecodeOK", `return redis.status_reply('OK')`, nil, redisclient.DecodeOK, struct{}{}},
			{"DecodeStrings", `return {'a', 'b', 'c'}`, nil, redisclient.DecodeStrings, []string{"a", "b", "c"}},
			{"DecodeStrings empty", `return {}`, nil, redisclient.DecodeStrings, []string{}},
			{"DecodeInts", `return {1, 2, 3}`, nil, redisclient.DecodeInts, []int64{1, 2, 3}},
			{"DecodeStringMap flat", `return {'a', '1', 'b', '2'}`, nil, redisclient.DecodeStringMap, map[string]string{"a": "1", "b": "2"}},
			{"DecodeStringMap RESP3 map", `redis.setresp(3); return {map={a='1', b='2'}}`, nil, redisclient.DecodeStringMap, map[string]string{"a": "1", "b": "2"}},
			{"DecodeOptStrings", `return {'a', false, 'b'}`, nil, redisclient.DecodeOptStrings, []redisclient.Opt[string]{some("a"), none[string](), some("b")}},
			{"DecodeSlice(DecodeInt)", `return {5, 6}`, nil, redisclient.DecodeSlice(redisclient.DecodeInt), []int64{5, 6}},
		} {
			got, err := run(tc.src, tc.args...)(tc.dec)
			expect(t, tc.name, tc.want)(got, err)
		}
		v, err := redisclient.NewScript(`return {1, 'two', {3}}`, redisclient.DecodeValue).Run(ctx, c, nil)
		must(t, err, "DecodeValue")
		if v.Kind != resp.KindArray || len(v.Elems) != 3 || v.Elems[1].Str != "two" || v.Elems[2].Kind != resp.KindArray {
			t.Errorf("DecodeValue: %+v", v)
		}
	})
}

func TestFeatFunctions(t *testing.T) {
	perProtocolServer(t, "functions", func(t *testing.T, srv *Server, proto int) {
		srv.RequireVersion(t, "7.0.0", "functions")
		ctx := testCtx(t)
		c := NewClient(t, srv.Options(proto))
		lib := `#!lua name=featlib
redis.register_function('feat_incr', function(keys, args) return redis.call('INCRBY', keys[1], args[1]) end)
redis.register_function{function_name='feat_get', callback=function(keys, args) return redis.call('GET', keys[1]) end, flags={'no-writes'}}
redis.register_function('feat_show', function(keys, args) return {keys[1], args[1]} end)
`
		expect(t, "LoadLibrary", "featlib")(redisclient.LoadLibrary(ctx, c, lib, false))
		if _, err := redisclient.LoadLibrary(ctx, c, lib, false); err == nil || !hasAll(err.Error(), "already exists") {
			t.Errorf("LoadLibrary twice without replace: %v, want 'already exists'", err)
		}
		expect(t, "LoadLibrary with replace", "featlib")(redisclient.LoadLibrary(ctx, c, lib, true))

		incr := redisclient.NewFunction("feat_incr", redisclient.DecodeInt)
		get := redisclient.NewReadOnlyFunction("feat_get", redisclient.DecodeOptString)
		show := redisclient.NewFunction("feat_show", redisclient.DecodeStrings)
		resetStats(t, srv)
		expect(t, "FCALL", int64(3))(incr.Call(ctx, c, []string{"fk"}, "3"))
		expect(t, "FCALL_RO", some("3"))(get.Call(ctx, c, []string{"fk"}))
		expect(t, "FCALL_RO of a missing key", none[string]())(get.Call(ctx, c, []string{"nokey"}))
		expect(t, "FCALL keys and args", []string{"a", "b"})(show.Call(ctx, c, []string{"a"}, "b"))
		for cmd, want := range map[string]int64{"fcall": 2, "fcall_ro": 2} {
			if n := commandCalls(t, srv, cmd); n != want {
				t.Errorf("%s calls: %d, want %d", cmd, n, want)
			}
		}
		// FCALL_RO of a function without the no-writes flag is refused.
		if _, err := redisclient.NewReadOnlyFunction("feat_incr", redisclient.DecodeInt).Call(ctx, c, []string{"fk"}, "1"); err == nil {
			t.Errorf("FCALL_RO of a writing function: no error")
		}
		if _, err := redisclient.NewFunction("nope", redisclient.DecodeInt).Call(ctx, c, nil); err == nil || !hasAll(err.Error(), "not found") {
			t.Errorf("unknown function: %v", err)
		}
		// Pipelines and transactions.
		p := c.Pipeline()
		pf := incr.Queue(p, []string{"fk"}, "10")
		pg := get.Queue(p, []string{"fk"})
		must(t, p.Exec(ctx), "pipeline")
		expect(t, "FCALL in a pipeline", int64(13))(pf.Result())
		expect(t, "FCALL_RO in a pipeline", some("13"))(pg.Result())
		tx := c.TxPipeline()
		tf := incr.Queue(tx, []string{"fk"}, "1")
		tg := get.Queue(tx, []string{"fk"})
		must(t, tx.Exec(ctx), "transaction")
		expect(t, "FCALL in a transaction", int64(14))(tf.Result())
		expect(t, "FCALL_RO in a transaction", some("14"))(tg.Result())
		// Keys get the key prefix, arguments do not.
		opts := srv.Options(proto)
		opts.KeyPrefix = "app:"
		pc := NewClient(t, opts)
		expect(t, "FCALL with a key prefix", []string{"app:k", "arg"})(show.Call(ctx, pc, []string{"k"}, "arg"))
		expect(t, "FCALL INCRBY with a key prefix", int64(2))(incr.Call(ctx, pc, []string{"n"}, "2"))
		expect(t, "raw GET of the prefixed key", some("2"))(redisclient.Get("app:n").Do(ctx, c))
	})
}
