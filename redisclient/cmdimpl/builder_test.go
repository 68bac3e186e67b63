package cmdimpl

// This file tests the runtime layer's builder where the generated commands
// do not reach: dropping arguments past the inline ones, with a copy
// sharing the overflow buffer, and the servers a command narrows to.

import (
	"errors"
	"fmt"
	"testing"

	"github.com/redkit-go/redkit/transport"
)

// TestBuilderDropOverflow drops an argument when the builder holds more
// than its inline arguments, with a copy sharing the overflow buffer.
func TestBuilderDropOverflow(t *testing.T) {
	var b Builder
	b.Start(transport.Meta{})
	b.Tok(0, "CMD")
	for i := 1; i <= 12; i++ {
		b.Str(uint16(i), fmt.Sprint("a", i))
	}
	other := b
	b.Drop(10)
	b.Str(10, "new")
	b.Drop(3)
	other.Str(13, "tail")
	got := func(b *Builder) []string {
		cmd := b.command()
		defer cmd.Release()
		var out []string
		for _, a := range cmd.Args() {
			out = append(out, a.Text())
		}
		return out
	}
	want := []string{"CMD", "a1", "a2", "a4", "a5", "a6", "a7", "a8", "a9", "new", "a11", "a12"}
	if g := got(&b); fmt.Sprint(g) != fmt.Sprint(want) {
		t.Errorf("after drop: %q, want %q", g, want)
	}
	wantOther := []string{"CMD", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10", "a11", "a12", "tail"}
	if g := got(&other); fmt.Sprint(g) != fmt.Sprint(wantOther) {
		t.Errorf("copy: %q, want %q", g, wantOther)
	}
}

func TestBuilderOnly(t *testing.T) {
	var b Builder
	b.Start(transport.Meta{Flags: transport.FlagWrite})
	b.Tok(0, "HSETEX")
	b.Only("NX", transport.ServerValkey)
	cmd, err := b.Build()
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if got := cmd.Meta().Servers; got != transport.ServerValkey {
		t.Errorf("Servers = %v, want valkey", got)
	}
	cmd.Release()

	b.Only("FNX", transport.AnyServer)
	if cmd, err := b.Build(); err != nil || cmd.Meta().Servers != transport.ServerValkey {
		t.Fatalf("Build after an option of any server: %v, %v", cmd, err)
	}
	b.Only("IFEQ", transport.ServerRedis)
	_, err = b.Build()
	want := "redisclient: HSETEX: IFEQ is redis-only syntax, and the command already has valkey-only syntax"
	if err == nil || err.Error() != want {
		t.Fatalf("Build with options of two servers: %v, want %q", err, want)
	}
	var be *BuildError
	if !errors.As(err, &be) {
		t.Errorf("error %T is not a *BuildError", err)
	}
}

// TestBuilderNamesSubcommand checks that a built container command is
// named by both its words where errors name it (a refusal of another
// server's syntax: CLUSTER REPLICATE NO ONE on Redis).
func TestBuilderNamesSubcommand(t *testing.T) {
	for _, c := range []struct {
		words []string
		want  string
	}{{[]string{"CLUSTER", "REPLICATE"}, "CLUSTER REPLICATE"}, {[]string{"BGSAVE"}, "BGSAVE"}} {
		var b Builder
		b.Start(transport.Meta{})
		for _, w := range c.words {
			b.Tok(0, w)
		}
		b.Only("CANCEL", transport.ServerValkey)
		b.Tok(1, "ONE")
		cmd, err := b.Build()
		if err != nil {
			t.Fatalf("Build: %v", err)
		}
		if got := cmd.Name(); got != c.want {
			t.Errorf("Name() = %q, want %q", got, c.want)
		}
		err = transport.ServerInfo{Kind: transport.ServerRedis, Version: "8.6.3"}.Check(cmd)
		var ue *transport.UnsupportedServerError
		if !errors.As(err, &ue) || ue.Command != c.want {
			t.Errorf("Check: %v, want an UnsupportedServerError naming %s", err, c.want)
		}
		cmd.Release()
		if again := transport.AcquireCommand(); again.Name() != "" {
			t.Errorf("a released command's name: %q", again.Name())
		}
	}
}

// TestBuilderRequire checks a required repeated group: missing, the
// command is a BuildError naming it; copies of a builder keep their own
// requirements; a unit missing one fails the command it is added to.
func TestBuilderRequire(t *testing.T) {
	var b Builder
	b.Start(transport.Meta{})
	b.Tok(0, "CLUSTER")
	b.Tok(0, "MIGRATESLOTS")
	b.Require(1, "migration-group")
	other := b
	other.Require(2, "other")
	if _, err := b.Build(); err == nil || err.Error() != "redisclient: CLUSTER MIGRATESLOTS: migration-group is required: add at least one" {
		t.Errorf("Build without the group: %v", err)
	}
	b.Tok(1, "SLOTSRANGE")
	cmd, err := b.Build()
	if err != nil {
		t.Fatalf("Build with the group: %v", err)
	}
	cmd.Release()
	other.Tok(1, "SLOTSRANGE")
	if _, err := other.Build(); err == nil || !errors.As(err, new(*BuildError)) || err.Error() != "redisclient: CLUSTER MIGRATESLOTS: other is required: add at least one" {
		t.Errorf("copy with a requirement of its own: %v", err)
	}

	var unit, dst Builder
	unit.Require(3, "key")
	dst.Start(transport.Meta{})
	dst.Tok(0, "CMD")
	dst.AppendGroup(1, &unit)
	if _, err := dst.Build(); err == nil || err.Error() != "redisclient: CMD: key is required: add at least one" {
		t.Errorf("a unit without its group: %v", err)
	}
}
