package gen

// This file tests how the generator tells which servers have a command or
// an option: the doc sentence and the server a command's Meta names.

import (
	"testing"

	"github.com/redkit-go/redkit/spec"
)

func TestAvailability(t *testing.T) {
	for _, tc := range []struct {
		servers map[string]string
		want    string
	}{
		{map[string]string{"redis": "8.0.0", "valkey": "9.0.0"}, "Since: Redis 8.0.0, Valkey 9.0.0"},
		{map[string]string{"valkey": "9.0.0"}, "Valkey only, since 9.0.0"},
		{map[string]string{"redis": ""}, "Redis only"},
		{map[string]string{"redis": "", "valkey": "8.1.0"}, "Since: Redis (as the command), Valkey 8.1.0"},
	} {
		if got := availability(tc.servers); got != tc.want {
			t.Errorf("availability(%v) = %q, want %q", tc.servers, got, tc.want)
		}
	}
}

func TestCommandServer(t *testing.T) {
	for _, tc := range []struct {
		c    *spec.Command
		want string
	}{
		{&spec.Command{Name: "DELIFEQ", Servers: map[string]string{"valkey": "9.0.0"}}, spec.ServerValkey},
		{&spec.Command{Name: "SET", Servers: map[string]string{"redis": "1.0.0", "valkey": "7.2.0"}}, ""},
		{&spec.Command{Name: "GET"}, ""},
		{&spec.Command{Name: "VADD", Module: "vectorset", Servers: map[string]string{"redis": "8.0.0"}}, spec.ServerRedis},
		// Valkey's modules provide commands of the same names.
		{&spec.Command{Name: "FT.SEARCH", Module: "search", Servers: map[string]string{"redis": ""}}, ""},
	} {
		if got := commandServer(tc.c); got != tc.want {
			t.Errorf("commandServer(%s) = %q, want %q", tc.c.Name, got, tc.want)
		}
	}
}
