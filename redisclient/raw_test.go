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
