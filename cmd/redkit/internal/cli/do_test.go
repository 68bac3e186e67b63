package cli

// Tests of redkit do's checks against the embedded spec and of its shell
// completion, run in-process (the integration suite runs the binary against
// real servers).

import (
	"bytes"
	"strings"
	"testing"
)

func runInProcess(args ...string) (string, error) {
	root := NewRootCommand()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

func TestDoChecksBeforeSending(t *testing.T) {
	// The URL names a closed port: a command that passes the checks fails
	// to connect, one that does not never gets that far.
	url := "redis://127.0.0.1:1"
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"GET"}, []string{"wrong number of arguments for GET: 1 given, it takes exactly 2", "syntax: GET key"}},
		{[]string{"zadd", "z", "1"}, []string{"ZADD: 3 given, it takes at least 4", "syntax: ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]"}},
		{[]string{"NOSUCHCOMMAND", "x"}, []string{`unknown command "NOSUCHCOMMAND"`, "--no-check"}},
		{[]string{"CONFIG"}, []string{"CONFIG needs a subcommand"}},
		{[]string{"config", "nosuch"}, []string{`unknown subcommand "nosuch" of CONFIG`}},
		{[]string{"CONFIG", "GET"}, []string{"wrong number of arguments for CONFIG GET: 2 given, it takes at least 3", "syntax: CONFIG GET parameter [parameter ...]"}},
		{[]string{"ZRANGE", "z", "0", "-1", "WITHSCORES"}, []string{"connection refused"}},
		{[]string{"--no-check", "NOSUCHCOMMAND"}, []string{"connection refused"}},
	} {
		args := append([]string{"do", "--timeout", "2s", "--url", url}, tc.args...)
		out, err := runInProcess(args...)
		if err == nil {
			t.Errorf("%v: no error\n%s", tc.args, out)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: error %q lacks %q", tc.args, err, w)
			}
		}
		if strings.Contains(out, "Usage:") {
			t.Errorf("%v: usage printed for a bad command line:\n%s", tc.args, out)
		}
	}
	if _, err := runInProcess("do", "--resp", "4", "--url", url, "PING"); err == nil || !strings.Contains(err.Error(), "--resp 4: want 2 or 3") {
		t.Errorf("--resp 4: %v", err)
	}
}

func TestDoCompletion(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"do", "ZRAN"}, "ZRANDMEMBER\nZRANGE\nZRANGEBYLEX\nZRANGEBYSCORE\nZRANGESTORE\nZRANK\n"},
		{[]string{"do", "--url", "redis://h", "zrangeb"}, "ZRANGEBYLEX\nZRANGEBYSCORE\n"},
		{[]string{"do", "CONFIG", "RE"}, "RESETSTAT\nREWRITE\n"},
		{[]string{"do", "ZRANGE", "z", "0", "-1", "WITH"}, "WITHSCORES\n"},
		{[]string{"do", "SET", "k", "v", "P"}, "PX\nPXAT\n"},
		{[]string{"do", "NOSUCH", ""}, ""},
	} {
		out, err := runInProcess(append([]string{"__complete"}, tc.args...)...)
		if err != nil {
			t.Errorf("%v: %v", tc.args, err)
			continue
		}
		want := tc.want + ":4\n" // ShellCompDirectiveNoFileComp
		if got, _, _ := strings.Cut(out, "Completion ended"); got != want {
			t.Errorf("__complete %v:\n got %q\nwant %q", tc.args, got, want)
		}
	}
}
