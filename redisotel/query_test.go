package redisotel

// Unit tests of operation names and query text, on commands built by the
// client's builders (no server).

import (
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
)

type commander interface {
	Command() (*transport.Command, error)
}

// build returns the transport commands of cs, released at cleanup.
func build(t *testing.T, cs ...commander) []*transport.Command {
	t.Helper()
	out := make([]*transport.Command, 0, len(cs))
	for _, c := range cs {
		cmd, err := c.Command()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(cmd.Release)
		out = append(out, cmd)
	}
	return out
}

func TestDescribe(t *testing.T) {
	multi := redisclient.RawStrings("MULTI")
	exec := redisclient.RawStrings("EXEC")
	tests := []struct {
		name      string
		cmds      []commander
		want      string
		batch     int
		procedure string
	}{
		{"command", []commander{redisclient.Get("k")}, "GET", -1, ""},
		{"subcommand", []commander{redisclient.ClientList()}, "CLIENT LIST", -1, ""},
		{"fcall", []commander{redisclient.RawStrings("FCALL", "myfn", "0")}, "FCALL", -1, "myfn"},
		{"evalsha", []commander{redisclient.RawStrings("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff831", "0")}, "EVALSHA", -1, "e0e1f9fabfc9d4800c877a703b823ac0578ff831"},
		{"pipeline of one name", []commander{redisclient.Get("a"), redisclient.Get("b"), redisclient.Get("c")}, "PIPELINE GET", 3, ""},
		{"pipeline", []commander{redisclient.Set("a", "1"), redisclient.Get("a")}, "PIPELINE", 2, ""},
		{"transaction", []commander{multi, redisclient.Incr("a"), redisclient.Get("a"), exec}, "MULTI", 2, ""},
		{"transaction of one name", []commander{multi, redisclient.Incr("a"), redisclient.Incr("b"), exec}, "MULTI INCR", 2, ""},
		{"transaction of one command", []commander{multi, redisclient.Incr("a"), exec}, "MULTI INCR", -1, ""},
		{"transaction after SCRIPT LOAD", []commander{redisclient.RawStrings("SCRIPT", "LOAD", "return 1"), multi, redisclient.Incr("a"), redisclient.Incr("b"), exec}, "MULTI INCR", 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := describe(build(t, tt.cmds...))
			if op.name != tt.want || op.batch != tt.batch || op.procedure != tt.procedure {
				t.Errorf("describe = %+v, want name %q, batch %d, procedure %q", op, tt.want, tt.batch, tt.procedure)
			}
		})
	}
	if op := describe(nil); op.name != "PIPELINE" || op.batch != 0 {
		t.Errorf("describe(nil) = %+v, want PIPELINE of size 0", op)
	}
}

func TestQueryTextHidesValues(t *testing.T) {
	tests := []struct {
		name string
		cmds []commander
		want string
	}{
		{"set with options", []commander{redisclient.Set("user:1", "secret").NX().EX(10 * time.Second)}, "SET ? ? NX EX ?"},
		{"value spelled like a token elsewhere", []commander{redisclient.Set("k", "WITHSCORES")}, "SET ? ?"},
		{"zrange", []commander{redisclient.ZRange("z", "0", "-1").WithScores()}, "ZRANGE ? ? ? WITHSCORES"},
		{"scan match", []commander{redisclient.Scan("0").Match("user:*").Count(10)}, "SCAN ? MATCH ? COUNT ?"},
		{"subcommand", []commander{redisclient.ClientList().TypeNormal()}, "CLIENT LIST TYPE NORMAL"},
		{"auth", []commander{redisclient.Auth("hunter2")}, "AUTH ?"},
		{"hello", []commander{redisclient.Hello().ProtoVer(3).Auth("default", "hunter2").SetName("app")}, "HELLO ? ? ? ? ? ?"},
		{"config set", []commander{redisclient.RawStrings("CONFIG", "SET", "requirepass", "hunter2")}, "CONFIG SET ? ?"},
		{"unknown command", []commander{redisclient.RawStrings("MYMOD.CMD", "NX", "value")}, "MYMOD.CMD ? ?"},
		{"pipeline", []commander{redisclient.Set("a", "1"), redisclient.Get("a")}, "SET ? ?; GET ?"},
		{"pipeline of equal texts", []commander{redisclient.Get("a"), redisclient.Get("b")}, "GET ?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := queryText(build(t, tt.cmds...)); got != tt.want {
				t.Errorf("queryText = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestQueryTextIsBounded(t *testing.T) {
	var cs []commander
	for i := 0; i < 1000; i++ {
		cs = append(cs, redisclient.Set("k", "v"), redisclient.Get("k"))
	}
	got := queryText(build(t, cs...))
	if len(got) != maxQueryText {
		t.Errorf("len(queryText) = %d, want %d", len(got), maxQueryText)
	}
}

func TestSplitAddr(t *testing.T) {
	for _, tt := range []struct {
		addr string
		host string
		port int
	}{
		{"127.0.0.1:6379", "127.0.0.1", 6379},
		{"[::1]:7000", "::1", 7000},
		{"redis.example:6380", "redis.example", 6380},
		{"/tmp/redis.sock", "/tmp/redis.sock", 0},
	} {
		if h, p := splitAddr(tt.addr); h != tt.host || p != tt.port {
			t.Errorf("splitAddr(%q) = %q, %d; want %q, %d", tt.addr, h, p, tt.host, tt.port)
		}
	}
}
