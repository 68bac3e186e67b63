package redisclient

// This file tests the servers generated builders mark their commands for
// (transport.Meta.Servers): commands only one server has, options only one
// server has (chained methods, the run-time options structs, enum values,
// choices inside units). Options of two servers that share none are
// cmdimpl's build error (TestBuilderOnly).

import (
	"testing"

	"github.com/redkit-go/redkit/transport"
)

func TestBuilderServers(t *testing.T) {
	for _, tc := range []struct {
		name string
		cmd  commander
		want transport.Servers
	}{
		{"a command both have", Set("k", "v"), 0},
		{"a Valkey-only command", DelIfEq("k", "v"), transport.ServerValkey},
		{"a Valkey-only subcommand", ScriptShow("abc"), transport.ServerValkey},
		{"a Redis-only command", DelEX("k"), transport.ServerRedis},
		{"vector sets are Redis's", VCard("k"), transport.ServerRedis},
		{"an option both have", Set("k", "v").IfEq("old"), 0},
		{"a Redis-only option", Set("k", "v").IfNe("old"), transport.ServerRedis},
		{"a Valkey-only option", HSetEX("k", "f", "v").NX(), transport.ServerValkey},
		{"an option of both after a Valkey-only one", HSetEX("k", "f", "v").NX().FNX(), transport.ServerValkey},
		{"a Redis-only enum value", BitOp(BitOperationDiff, "d", "a", "b"), transport.ServerRedis},
		{"an enum value of both", BitOp(BitOperationAnd, "d", "a", "b"), 0},
		{"a Valkey-only value of a choice", ClientKill().TypePrimary(), transport.ServerValkey},
		{"a Valkey-only filter", ClientKill().Name("worker"), transport.ServerValkey},
		{"a Valkey-only option, run time", HSetEX("k", "f", "v").With(HSetEXOptions{KeyCondition: ExistConditionNX}), transport.ServerValkey},
		{"no option, run time", HSetEX("k", "f", "v").With(HSetEXOptions{}), 0},
		{"a Redis-only choice, run time", Set("k", "v").With(SetOptions{Condition: SetConditionIfNe("old")}), transport.ServerRedis},
		{"a Valkey-only filter, run time", ClientKill().With(ClientKillOptions{Name: Some("worker")}), transport.ServerValkey},
	} {
		cmd, err := tc.cmd.Command()
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := cmd.Meta().Servers; got != tc.want {
			t.Errorf("%s: Servers = %v, want %v", tc.name, got, tc.want)
		}
		cmd.Release()
	}
}
