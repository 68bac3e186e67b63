package redisclient

import (
	"errors"
	"reflect"
	"testing"
)

// TestQuoteArg checks QuoteArg against strings quoted by Redis 7.0.15
// (redis-cli's output and MONITOR lines) and that unquoteArg reads them back.
func TestQuoteArg(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", `""`},
		{"plain value", `"plain value"`},
		{"a\"b\\c", `"a\"b\\c"`},
		{"\n\r\t\a\b", `"\n\r\t\a\b"`},
		{"\x00\x1f\x7f\xff\xe9", `"\x00\x1f\x7f\xff\xe9"`},
	} {
		if got := QuoteArg(tc.in); got != tc.want {
			t.Errorf("QuoteArg(%q) = %s, want %s", tc.in, got, tc.want)
		}
		if got, err := SplitArgs("ECHO " + tc.want); err != nil || !reflect.DeepEqual(got, []string{"ECHO", tc.in}) {
			t.Errorf("SplitArgs(ECHO %s) = %q, %v", tc.want, got, err)
		}
		back, n, err := unquote(tc.want+" rest", true)
		if err != nil || back != tc.in || n != len(tc.want) {
			t.Errorf("unquote(%s) = %q, %d, %v; want %q, %d", tc.want, back, n, err, tc.in, len(tc.want))
		}
	}
	for _, bad := range []string{`"open`, `"\x4`, `"\xzz"`} {
		if _, _, err := unquote(bad, true); err == nil {
			t.Errorf("unquote(%s) succeeded", bad)
		}
	}
}

// TestSplitArgs checks SplitArgs against lines as redis-cli splits them.
func TestSplitArgs(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"", nil},
		{"   ", nil},
		{"GET k", []string{"GET", "k"}},
		{"  ZRANGE\tz 0 -1  ", []string{"ZRANGE", "z", "0", "-1"}},
		{`SET k "a b"`, []string{"SET", "k", "a b"}},
		{`SET k "x\ny\x01\xFF\"\\\t\r\b\a\q"`, []string{"SET", "k", "x\ny\x01\xff\"\\\t\r\b\aq"}},
		{`SET k "\x4"`, []string{"SET", "k", "x4"}},
		{`SET k 'it\'s \n'`, []string{"SET", "k", "it's \\n"}},
		{`SET k ""`, []string{"SET", "k", ""}},
		{`SET k ''`, []string{"SET", "k", ""}},
		{`SET k a"b c"`, []string{"SET", "k", "ab c"}},
		{`ECHO "héllo"`, []string{"ECHO", "héllo"}},
	} {
		got, err := SplitArgs(tc.line)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("SplitArgs(%q) = %q, %v; want %q", tc.line, got, err, tc.want)
		}
	}
	for _, line := range []string{`SET k "abc`, `SET k 'abc`, `SET k "a"b`, `SET k 'a'b`, `SET k "a\"`} {
		if got, err := SplitArgs(line); !errors.Is(err, ErrUnbalancedQuotes) {
			t.Errorf("SplitArgs(%q) = %q, %v; want the unbalanced quotes error", line, got, err)
		}
	}
}
