package redisclient

// Exact wire bytes of commands with a key prefix (Command.SetKeyPrefix,
// as Client.prepare applies Options.KeyPrefix): key arguments and SORT's
// BY/GET patterns get the prefix; other arguments, "#", "nosort", patterns
// of KEYS and SCAN, and channel names do not. The slot follows the prefixed
// key.

import (
	"strconv"
	"strings"
	"testing"

	"github.com/redkit-go/redkit/transport"
)

// featRESP encodes an argument vector as the client writes it.
func featRESP(args ...string) string {
	var b strings.Builder
	b.WriteString("*" + strconv.Itoa(len(args)) + "\r\n")
	for _, a := range args {
		b.WriteString("$" + strconv.Itoa(len(a)) + "\r\n" + a + "\r\n")
	}
	return b.String()
}

func TestFeatKeyPrefixWire(t *testing.T) {
	const p = "app:"
	for _, tc := range []struct {
		name string
		cmd  commander
		want []string
	}{
		{"GET", Get("k"), []string{"GET", "app:k"}},
		{"SET key, not value", Set("k", "k"), []string{"SET", "app:k", "k"}},
		{"MSET keys, not values", MSet("a", "1").KeyValue("b", "2"), []string{"MSET", "app:a", "1", "app:b", "2"}},
		{"MGET", MGet("a", "b"), []string{"MGET", "app:a", "app:b"}},
		{"DEL", Del("a", "b"), []string{"DEL", "app:a", "app:b"}},
		{"RENAME", Rename("a", "b"), []string{"RENAME", "app:a", "app:b"}},
		{"COPY", Copy("a", "b").Replace(), []string{"COPY", "app:a", "app:b", "REPLACE"}},
		{"EVAL keys, not args", Eval("return 1").Keys("k1", "k2").Args("a"), []string{"EVAL", "return 1", "2", "app:k1", "app:k2", "a"}},
		{"EVALSHA no keys", EvalSHA("abc").Args("a"), []string{"EVALSHA", "abc", "0", "a"}},
		{"FCALL", FCall("f").Keys("k").Args("a"), []string{"FCALL", "f", "1", "app:k", "a"}},
		{"SORT BY GET #", Sort("l").By("w_*").Get("o_*").Get("#"), []string{"SORT", "app:l", "BY", "app:w_*", "GET", "app:o_*", "GET", "#"}},
		{"SORT BY nosort", Sort("l").By("nosort"), []string{"SORT", "app:l", "BY", "nosort"}},
		{"SORT BY NOSORT (any case)", Sort("l").By("NoSort"), []string{"SORT", "app:l", "BY", "NoSort"}},
		{"SORT STORE", Sort("l").Store("dst"), []string{"SORT", "app:l", "STORE", "app:dst"}},
		{"SORT_RO GET", SortRO("l").Get("h_*->f"), []string{"SORT_RO", "app:l", "GET", "app:h_*->f"}},
		{"XREAD", XRead([]string{"s1", "s2"}, "0", "$"), []string{"XREAD", "STREAMS", "app:s1", "app:s2", "0", "$"}},
		{"ZUNIONSTORE", ZUnionStore("d", "z1", "z2"), []string{"ZUNIONSTORE", "app:d", "2", "app:z1", "app:z2"}},
		{"LMPOP", LMPop(SideLeft, "l1", "l2"), []string{"LMPOP", "2", "app:l1", "app:l2", "LEFT"}},
		{"WATCH", Watch("a", "b"), []string{"WATCH", "app:a", "app:b"}},
		{"OBJECT ENCODING", ObjectEncoding("k"), []string{"OBJECT", "ENCODING", "app:k"}},
		{"Raw SET", Raw("SET", "k", "v"), []string{"SET", "app:k", "v"}},
		{"Raw lower case", Raw("get", "k"), []string{"get", "app:k"}},
		{"Raw unknown command", Raw("NOSUCHCMD", "k"), []string{"NOSUCHCMD", "k"}},
		{"KEYS pattern (not rewritten)", Keys("user:*"), []string{"KEYS", "user:*"}},
		{"SCAN MATCH (not rewritten)", Scan("0").Match("user:*"), []string{"SCAN", "0", "MATCH", "user:*"}},
		{"PUBLISH channel (not rewritten)", Publish("ch", "m"), []string{"PUBLISH", "ch", "m"}},
		{"SPUBLISH channel (not rewritten)", SPublish("ch", "m"), []string{"SPUBLISH", "ch", "m"}},
		{"ECHO (no keys)", Echo("k"), []string{"ECHO", "k"}},
	} {
		cmd, err := tc.cmd.Command()
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		unprefixed := string(cmd.AppendTo(nil))
		cmd.SetKeyPrefix(p)
		if got, want := string(cmd.AppendTo(nil)), featRESP(tc.want...); got != want {
			t.Errorf("%s with prefix %q:\n got %q\nwant %q", tc.name, p, got, want)
		}
		// The prefix is not part of the command's arguments: setting it
		// again, or to "", gives the other encodings.
		cmd.SetKeyPrefix("")
		if got := string(cmd.AppendTo(nil)); got != unprefixed {
			t.Errorf("%s: prefix removed: %q, want %q", tc.name, got, unprefixed)
		}
		cmd.Release()
	}
}

func TestFeatKeyPrefixSlot(t *testing.T) {
	cmd, err := MGet("a", "b").Command()
	if err != nil {
		t.Fatal(err)
	}
	defer cmd.Release()
	if cmd.Flags()&transport.FlagCrossSlot == 0 {
		t.Errorf("MGET a b without a prefix: want FlagCrossSlot")
	}
	// A hash tag in the prefix puts every key in its slot.
	cmd.SetKeyPrefix("{tenant1}:")
	if s, ok := cmd.Slot(); !ok || s != transport.Slot("{tenant1}:a") || cmd.Flags()&transport.FlagCrossSlot != 0 {
		t.Errorf("with a hash-tag prefix: slot %d %v, flags %b; want slot %d, not cross-slot", s, ok, cmd.Flags(), transport.Slot("tenant1"))
	}
	want := featRESP("MGET", "{tenant1}:a", "{tenant1}:b")
	if got := string(cmd.AppendTo(nil)); got != want {
		t.Errorf("MGET with a hash-tag prefix: %q, want %q", got, want)
	}
	// SORT's patterns decide no slot.
	sc, err := Sort("l").By("other_*").Command()
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Release()
	sc.SetKeyPrefix("app:")
	if s, _ := sc.Slot(); s != transport.Slot("app:l") || sc.Flags()&transport.FlagCrossSlot != 0 {
		t.Errorf("SORT BY pattern: slot %d, flags %b; want the slot of app:l only", s, sc.Flags())
	}
}
