package integration

// Commands whose effects reach past the test's own keys, on a private
// server (the shared one serves other tests meanwhile), on RESP2 and RESP3
// in turn: FUNCTION DELETE, DUMP, FLUSH, HELP, KILL, LIST, RESTORE and
// STATS; SCRIPT DEBUG, HELP and KILL; MOVE and RANDOMKEY; the SUBSCRIBE
// family through the Subscriber (whose commands the client's hooks see)
// and PUBSUB CHANNELS, HELP, NUMPAT and NUMSUB.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

func TestServerWideCommands(t *testing.T) {
	t.Parallel()
	// A script counts as busy, and can be killed, after 50ms.
	srv := StartServer(t, ServerConfig{Name: "serverwide", Args: []string{"--lua-time-limit", "50"}})
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			// One shared connection, open before a script makes the server
			// busy (a handshake then would be refused).
			opts := srv.Options(proto)
			opts.PipelineConns = 1
			c := NewClient(t, opts)
			must(t, c.Ping(testCtx(t)), "PING")
			t.Run("FUNCTION", func(t *testing.T) { testFunctionAdministration(t, srv, c, proto) })
			t.Run("SCRIPT", func(t *testing.T) { testScriptAdministration(t, srv, c, proto) })
			t.Run("MOVE_RANDOMKEY", func(t *testing.T) { testMoveAndRandomKey(t, srv, c, proto) })
			t.Run("PUBSUB", func(t *testing.T) { testSubscriberCommands(t, srv, proto) })
		})
	}
}

// serverWideLibrary is a function library with a function that returns
// its argument and one that runs until it is killed.
const serverWideLibrary = `#!lua name=serverwide
redis.register_function{function_name='sw_echo', callback=function(keys, args) return args[1] end, flags={'no-writes'}, description='returns its argument'}
redis.register_function{function_name='sw_spin', callback=function(keys, args) local i = 0 while true do i = i + 1 end end, flags={'no-writes'}}
`

func testFunctionAdministration(t *testing.T, srv *Server, c *redisclient.Client, proto int) {
	srv.RequireVersion(t, "7.0.0", "functions")
	ctx := testCtx(t)
	ok(t, "FUNCTION FLUSH")(redisclient.FunctionFlush().Do(ctx, c))
	expect(t, "FUNCTION LIST of nothing", []redisclient.FunctionListReplyItem{})(redisclient.FunctionList().Do(ctx, c))
	expect(t, "FUNCTION LOAD", "serverwide")(redisclient.FunctionLoad(serverWideLibrary).Do(ctx, c))

	want := redisclient.FunctionListReplyItem{LibraryName: "serverwide", Engine: "LUA", Functions: []redisclient.FunctionListReplyItemFunctionsItem{
		{Name: "sw_echo", Description: some("returns its argument"), Flags: []string{"no-writes"}},
		{Name: "sw_spin", Flags: []string{"no-writes"}},
	}}
	byName := func(libs []redisclient.FunctionListReplyItem, err error) ([]redisclient.FunctionListReplyItem, error) {
		for _, l := range libs {
			sort.Slice(l.Functions, func(i, j int) bool { return l.Functions[i].Name < l.Functions[j].Name })
		}
		return libs, err
	}
	expect(t, "FUNCTION LIST", []redisclient.FunctionListReplyItem{want})(byName(redisclient.FunctionList().Do(ctx, c)))
	withCode := want
	withCode.LibraryCode = serverWideLibrary
	expect(t, "FUNCTION LIST LIBRARYNAME WITHCODE", []redisclient.FunctionListReplyItem{withCode})(
		byName(redisclient.FunctionList().LibraryName("server*").WithCode().Do(ctx, c)))
	expect(t, "FUNCTION LIST LIBRARYNAME of no library", []redisclient.FunctionListReplyItem{})(
		redisclient.FunctionList().LibraryName("nothing*").Do(ctx, c))
	expect(t, "FUNCTION STATS", redisclient.FunctionStatsReply{Engines: map[string]redisclient.FunctionStatsReplyEnginesValue{
		"LUA": {LibrariesCount: 1, FunctionsCount: 2},
	}})(redisclient.FunctionStats().Do(ctx, c))

	// DUMP, then RESTORE under each policy.
	dump := value[string](t, "FUNCTION DUMP")(redisclient.FunctionDump().Do(ctx, c))
	if len(dump) == 0 {
		t.Fatalf("FUNCTION DUMP: empty payload")
	}
	ok(t, "FUNCTION FLUSH ASYNC")(redisclient.FunctionFlush().Async().Do(ctx, c))
	expect(t, "FUNCTION LIST after FLUSH", []redisclient.FunctionListReplyItem{})(redisclient.FunctionList().Do(ctx, c))
	ok(t, "FUNCTION RESTORE")(redisclient.FunctionRestore(dump).Do(ctx, c))
	expect(t, "FUNCTION LIST after RESTORE", []redisclient.FunctionListReplyItem{want})(byName(redisclient.FunctionList().Do(ctx, c)))
	expect(t, "FCALL of a restored function", redisclient.Value{Kind: resp.KindBulkString, Str: "hi"})(
		redisclient.FCall("sw_echo").Keys().Args("hi").Do(ctx, c))
	serverError[struct{}](t, "FUNCTION RESTORE of an existing library", "ERR")(withNoReply(redisclient.FunctionRestore(dump).Do(ctx, c)))
	serverError[struct{}](t, "FUNCTION RESTORE APPEND of an existing library", "ERR")(withNoReply(redisclient.FunctionRestore(dump).Append().Do(ctx, c)))
	ok(t, "FUNCTION RESTORE REPLACE")(redisclient.FunctionRestore(dump).Replace().Do(ctx, c))
	ok(t, "FUNCTION RESTORE FLUSH")(redisclient.FunctionRestore(dump).Flush().Do(ctx, c))
	serverError[struct{}](t, "FUNCTION RESTORE of garbage", "ERR")(withNoReply(redisclient.FunctionRestore("not a dump").Do(ctx, c)))

	// KILL: nothing runs, then a function that spins.
	serverError[struct{}](t, "FUNCTION KILL with nothing running", "NOTBUSY")(withNoReply(redisclient.FunctionKill().Do(ctx, c)))
	spun := spinUntilKilled(t, srv, proto, redisclient.FCall("sw_spin").Keys())
	var running *redisclient.FunctionStatsReplyRunningScript
	for deadline := time.Now().Add(5 * time.Second); running == nil && time.Now().Before(deadline); {
		stats := value[redisclient.FunctionStatsReply](t, "FUNCTION STATS while busy")(redisclient.FunctionStats().Do(ctx, c))
		running = stats.RunningScript
	}
	if running == nil || running.Name != "sw_spin" || strings.Join(running.Command, " ") != "FCALL sw_spin 0" || running.Duration < 0 {
		t.Errorf("FUNCTION STATS while sw_spin runs: running_script %+v", running)
	}
	ok(t, "FUNCTION KILL")(redisclient.FunctionKill().Do(ctx, c))
	if err := <-spun; err == nil || !strings.Contains(err.Error(), "killed") {
		t.Errorf("FCALL sw_spin after FUNCTION KILL: %v, want a 'killed' error", err)
	}
	expect(t, "FUNCTION STATS after the kill", (*redisclient.FunctionStatsReplyRunningScript)(nil))(
		func() (*redisclient.FunctionStatsReplyRunningScript, error) {
			stats, err := redisclient.FunctionStats().Do(ctx, c)
			return stats.RunningScript, err
		}())

	helpLines(t, "FUNCTION", []string{"DELETE", "DUMP", "FLUSH", "KILL", "LIST", "LOAD", "RESTORE", "STATS"})(redisclient.FunctionHelp().Do(ctx, c))
	ok(t, "FUNCTION DELETE")(redisclient.FunctionDelete("serverwide").Do(ctx, c))
	serverError[struct{}](t, "FUNCTION DELETE of a missing library", "ERR")(withNoReply(redisclient.FunctionDelete("serverwide").Do(ctx, c)))
	ok(t, "FUNCTION FLUSH SYNC")(redisclient.FunctionFlush().Sync().Do(ctx, c))
}

func testScriptAdministration(t *testing.T, srv *Server, c *redisclient.Client, proto int) {
	ctx := testCtx(t)
	helpLines(t, "SCRIPT", []string{"DEBUG", "EXISTS", "FLUSH", "KILL", "LOAD"})(redisclient.ScriptHelp().Do(ctx, c))

	// KILL: nothing runs, then a script that spins; the kill may come
	// before the server counts the script as busy, so it is retried.
	serverError[struct{}](t, "SCRIPT KILL with nothing running", "NOTBUSY")(withNoReply(redisclient.ScriptKill().Do(ctx, c)))
	spun := spinUntilKilled(t, srv, proto, redisclient.Eval(`local i = 0 while true do i = i + 1 end`).Keys())
	var err error
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if err = redisclient.ScriptKill().Do(ctx, c); !redisclient.HasErrorPrefix(err, "NOTBUSY") {
			break
		}
	}
	ok(t, "SCRIPT KILL")(err)
	if err := <-spun; err == nil || !strings.Contains(err.Error(), "killed") {
		t.Errorf("EVAL after SCRIPT KILL: %v, want a 'killed' error", err)
	}
	expect(t, "EVAL after the kill", redisclient.Value{Kind: resp.KindInteger, Int: 7})(redisclient.Eval(`return 7`).Keys().Do(ctx, c))

	// DEBUG arms the Lua debugger for the connection's next EVAL: the
	// client refuses it on its shared connections; a dedicated connection
	// takes it (the next EVAL would start a session; NO disarms it).
	var cse *transport.ConnStateError
	if err := redisclient.ScriptDebug(redisclient.ScriptDebugModeYes).Do(ctx, c); !errors.As(err, &cse) {
		t.Errorf("SCRIPT DEBUG YES on the client's shared connections: %v, want a *transport.ConnStateError", err)
	}
	conn := dedicatedConn(t, c) // under the client's hooks, closed when t ends
	for _, mode := range []redisclient.ScriptDebugMode{redisclient.ScriptDebugModeYes, redisclient.ScriptDebugModeNo,
		redisclient.ScriptDebugModeSync, redisclient.ScriptDebugModeNo} {
		ok(t, "SCRIPT DEBUG "+string(mode)+" on a dedicated connection")(redisclient.ScriptDebug(mode).Do(ctx, conn))
	}
	expect(t, "EVAL after SCRIPT DEBUG NO runs without a debugger", redisclient.Value{Kind: resp.KindInteger, Int: 8})(
		redisclient.Eval(`return 8`).Keys().Do(ctx, conn))
	serverError[struct{}](t, "SCRIPT DEBUG of an unknown mode", "ERR")(withNoReply(redisclient.ScriptDebug("MAYBE").Do(ctx, conn)))
}

// spinUntilKilled runs a command that never ends by itself (a spinning
// script or function) on a client of its own, and returns the channel its
// error arrives on.
func spinUntilKilled(t *testing.T, srv *Server, proto int, cmd interface {
	Do(context.Context, redisclient.Doer) (redisclient.Value, error)
}) <-chan error {
	t.Helper()
	spinner := NewClient(t, srv.Options(proto))
	must(t, spinner.Ping(testCtx(t)), "PING from the spinning client")
	ctx := ctxFor(t, 10*time.Second)
	done := make(chan error, 1)
	go func() {
		_, err := cmd.Do(ctx, spinner)
		done <- err
	}()
	return done
}

// helpLines checks the reply of a container's HELP: lines that start with
// "<CONTAINER> <subcommand>" and mention each of subcommands.
func helpLines(t *testing.T, container string, subcommands []string) func([]string, error) {
	t.Helper()
	return func(lines []string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s HELP: %v", container, err)
			return
		}
		if len(lines) < 3 || !strings.HasPrefix(lines[0], container+" <subcommand>") {
			t.Errorf("%s HELP: %q, want lines starting with %q", container, lines, container+" <subcommand>")
			return
		}
		if text := strings.Join(lines, "\n"); !hasAll(text, subcommands...) {
			t.Errorf("%s HELP does not mention all of %v:\n%s", container, subcommands, text)
		}
	}
}

func testMoveAndRandomKey(t *testing.T, srv *Server, c *redisclient.Client, proto int) {
	ctx := testCtx(t)
	// Database 4 (and 5) for RESP2, 6 (and 7) for RESP3: empty, and the
	// private server's other tests use database 0.
	db := 2 + 2*proto
	inDB := func(n int) *redisclient.Client {
		o := srv.Options(proto)
		o.DB = n
		return NewClient(t, o)
	}
	from, to := inDB(db), inDB(db+1)

	expect(t, "RANDOMKEY of an empty database", none[string]())(redisclient.RandomKey().Do(ctx, from))
	ok(t, "SET")(redisclient.Set("mover", "v").Do(ctx, from))
	expect(t, "RANDOMKEY of one key", some("mover"))(redisclient.RandomKey().Do(ctx, from))
	ok(t, "SET")(redisclient.Set("stayer", "w").Do(ctx, from))
	if k := value[redisclient.Opt[string]](t, "RANDOMKEY of two keys")(redisclient.RandomKey().Do(ctx, from)); !k.Valid ||
		(k.Value != "mover" && k.Value != "stayer") {
		t.Errorf("RANDOMKEY of mover and stayer: %+v", k)
	}

	expect(t, "MOVE", true)(redisclient.Move("mover", int64(db+1)).Do(ctx, from))
	expect(t, "EXISTS in the source database", int64(0))(redisclient.Exists("mover").Do(ctx, from))
	expect(t, "GET in the target database", some("v"))(redisclient.Get("mover").Do(ctx, to))
	expect(t, "MOVE of a missing key", false)(redisclient.Move("mover", int64(db+1)).Do(ctx, from))
	ok(t, "SET")(redisclient.Set("mover", "again").Do(ctx, from))
	expect(t, "MOVE onto an existing key", false)(redisclient.Move("mover", int64(db+1)).Do(ctx, from))
	expect(t, "GET in the target database, unchanged", some("v"))(redisclient.Get("mover").Do(ctx, to))
	serverError[bool](t, "MOVE to the same database", "ERR")(redisclient.Move("mover", int64(db)).Do(ctx, from))
	serverError[bool](t, "MOVE to a database out of range", "ERR")(redisclient.Move("mover", 1000).Do(ctx, from))
	expect(t, "RANDOMKEY in the target database", some("mover"))(redisclient.RandomKey().Do(ctx, to))
}

func testSubscriberCommands(t *testing.T, srv *Server, proto int) {
	ctx := testCtx(t)
	hook := &recordingHook{}
	opts := srv.Options(proto)
	opts.Hooks = append(opts.Hooks, hook)
	c := NewClient(t, opts)
	sub := c.NewSubscriber(redisclient.SubscriberOptions{})
	defer sub.Close()

	expect(t, "PUBSUB CHANNELS before subscribing", []string{})(redisclient.PubsubChannels().Do(ctx, c))
	expect(t, "PUBSUB NUMPAT before subscribing", int64(0))(redisclient.PubsubNumPat().Do(ctx, c))
	must(t, sub.Subscribe(ctx, "sw:one", "sw:two"), "SUBSCRIBE")
	must(t, sub.PSubscribe(ctx, "sw:p*"), "PSUBSCRIBE")
	expect(t, "PUBSUB CHANNELS", []string{"sw:one", "sw:two"}, sorted)(redisclient.PubsubChannels().Do(ctx, c))
	expect(t, "PUBSUB CHANNELS pattern", []string{"sw:two"})(redisclient.PubsubChannels().Pattern("sw:t*").Do(ctx, c))
	expect(t, "PUBSUB NUMSUB", map[string]int64{"sw:one": 1, "sw:none": 0})(redisclient.PubsubNumSub().Channels("sw:one", "sw:none").Do(ctx, c))
	expect(t, "PUBSUB NUMSUB of nothing", map[string]int64{})(redisclient.PubsubNumSub().Do(ctx, c))
	expect(t, "PUBSUB NUMPAT", int64(1))(redisclient.PubsubNumPat().Do(ctx, c))
	helpLines(t, "PUBSUB", []string{"CHANNELS", "NUMPAT", "NUMSUB"})(redisclient.PubsubHelp().Do(ctx, c))

	expect(t, "PUBLISH to a channel", int64(1))(redisclient.Publish("sw:one", "hello").Do(ctx, c))
	expect(t, "PUBLISH to a pattern", int64(1))(redisclient.Publish("sw:px", "world").Do(ctx, c))
	for _, want := range []redisclient.Message{
		{Kind: redisclient.KindMessage, Channel: "sw:one", Payload: "hello"},
		{Kind: redisclient.KindPMessage, Pattern: "sw:p*", Channel: "sw:px", Payload: "world"},
	} {
		select {
		case got := <-sub.Messages():
			if got != want {
				t.Errorf("message %+v, want %+v", got, want)
			}
		case <-ctx.Done():
			t.Fatalf("no message %+v", want)
		}
	}

	must(t, sub.Unsubscribe(ctx, "sw:one"), "UNSUBSCRIBE")
	expect(t, "PUBSUB CHANNELS after UNSUBSCRIBE", []string{"sw:two"})(redisclient.PubsubChannels().Do(ctx, c))
	must(t, sub.PUnsubscribe(ctx), "PUNSUBSCRIBE")
	expect(t, "PUBSUB NUMPAT after PUNSUBSCRIBE", int64(0))(redisclient.PubsubNumPat().Do(ctx, c))
	must(t, sub.Close(), "Close")
	expect(t, "PUBSUB CHANNELS after Close", []string{})(redisclient.PubsubChannels().Do(ctx, c))

	// The client's hooks saw each command, done once confirmed.
	var seen []string
	for _, call := range hook.take() {
		if strings.Contains(call, "SUBSCRIBE") {
			seen = append(seen, call)
		}
	}
	expect(t, "subscription commands the hook saw", []string{
		"SUBSCRIBE: ok", "PSUBSCRIBE: ok", "UNSUBSCRIBE: ok", "PUNSUBSCRIBE: ok", "UNSUBSCRIBE: ok",
	})(seen, nil)
}
