package redisclient

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/redkit-go/redkit/transport"
)

// rawKeys returns the arguments Raw marks as keys.
func rawKeys(t *testing.T, args ...string) []string {
	t.Helper()
	cmd, err := RawStrings(args...).Command()
	if err != nil {
		t.Fatal(err)
	}
	defer cmd.Release()
	var keys []string
	for _, a := range cmd.Args() {
		if a.IsKey() {
			keys = append(keys, a.Text())
		}
	}
	return keys
}

func TestRawKeyPositions(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"GET", "k"}, []string{"k"}},
		{[]string{"set", "k", "v", "EX", "10"}, []string{"k"}},
		{[]string{"MSET", "a", "1", "b", "2"}, []string{"a", "b"}},
		{[]string{"EVAL", "return 1", "2", "k1", "k2", "arg"}, []string{"k1", "k2"}},
		{[]string{"XREAD", "COUNT", "1", "STREAMS", "s1", "s2", "0", "0"}, []string{"s1", "s2"}},
		{[]string{"ZUNIONSTORE", "dst", "2", "a", "b", "WEIGHTS", "1", "2"}, []string{"dst", "a", "b"}},
		{[]string{"SORT", "ids", "BY", "w_*"}, []string{"ids"}},
		{[]string{"CONFIG", "GET", "maxmemory"}, nil},
		{[]string{"NOTACOMMAND", "x"}, nil},
	} {
		if got := rawKeys(t, c.args...); !cmp.Equal(got, c.want) {
			t.Errorf("Raw%q keys = %q, want %q", c.args, got, c.want)
		}
	}
	cmd, _ := Raw("GET", "k").Command()
	defer cmd.Release()
	if cmd.Flags()&transport.FlagReadOnly == 0 || cmd.Flags()&transport.FlagCacheable == 0 {
		t.Errorf("Raw GET flags = %b", cmd.Flags())
	}
	sort, _ := Raw("SORT", "ids", "BY", "w_*").Command()
	defer sort.Release()
	if sort.Flags()&transport.FlagCacheable != 0 {
		t.Error("Raw SORT with unlocated keys must not be cacheable")
	}
}

// TestRawName checks that a raw subcommand is named by both its words, as
// a builder's is, and that its wire form does not change.
func TestRawName(t *testing.T) {
	for _, tt := range []struct {
		args []string
		name string
		wire string
	}{
		{[]string{"config", "get", "maxmemory"}, "config get", "*3\r\n$6\r\nconfig\r\n$3\r\nget\r\n$9\r\nmaxmemory\r\n"},
		{[]string{"CLIENT", "LIST"}, "CLIENT LIST", "*2\r\n$6\r\nCLIENT\r\n$4\r\nLIST\r\n"},
		{[]string{"GET", "k"}, "GET", "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"},
		{[]string{"NOSUCH", "SUB"}, "NOSUCH", "*2\r\n$6\r\nNOSUCH\r\n$3\r\nSUB\r\n"},
		{[]string{"OBJECT", "ENCODING", "k"}, "OBJECT ENCODING", "*3\r\n$6\r\nOBJECT\r\n$8\r\nENCODING\r\n$1\r\nk\r\n"},
	} {
		cmd, err := RawStrings(tt.args...).Command()
		if err != nil {
			t.Fatal(err)
		}
		if got := cmd.Name(); got != tt.name {
			t.Errorf("RawStrings(%q).Name() = %q, want %q", tt.args, got, tt.name)
		}
		if got := string(cmd.AppendTo(nil)); got != tt.wire {
			t.Errorf("RawStrings(%q) encodes %q, want %q", tt.args, got, tt.wire)
		}
		cmd.Release()
	}
	if keys := rawKeys(t, "OBJECT", "ENCODING", "k"); !cmp.Equal(keys, []string{"k"}) {
		t.Errorf("OBJECT ENCODING keys = %q, want [k]", keys)
	}
}
