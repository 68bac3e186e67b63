package redisclient

import "testing"

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
		back, n, err := unquoteArg(tc.want + " rest")
		if err != nil || back != tc.in || n != len(tc.want) {
			t.Errorf("unquoteArg(%s) = %q, %d, %v; want %q, %d", tc.want, back, n, err, tc.in, len(tc.want))
		}
	}
	for _, bad := range []string{`"open`, `"\x4`, `"\xzz"`} {
		if _, _, err := unquoteArg(bad); err == nil {
			t.Errorf("unquoteArg(%s) succeeded", bad)
		}
	}
}
