package redisclient

// ParseMonitorLine on the lines redis-server writes (sdscatrepr quoting:
// \" \\ \n \r \t \a \b and \xNN for other unprintable bytes), the client
// forms (address, IPv6 address, unix socket, lua), and malformed lines.

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFeatParseMonitorLine(t *testing.T) {
	for _, tc := range []struct {
		name string
		line string
		want MonitorEntry
	}{
		{"documentation example", `1339518083.107412 [0 127.0.0.1:60866] "keys" "*"`,
			MonitorEntry{Time: time.Unix(1339518083, 107412000), DB: 0, Client: "127.0.0.1:60866", Args: []string{"keys", "*"}}},
		{"database", `1700000000.000001 [15 10.0.0.1:6000] "GET" "k"`,
			MonitorEntry{Time: time.Unix(1700000000, 1000), DB: 15, Client: "10.0.0.1:6000", Args: []string{"GET", "k"}}},
		{"quote and backslash", `1.000000 [0 127.0.0.1:1] "SET" "a\"b" "c\\d"`,
			MonitorEntry{Time: time.Unix(1, 0), Client: "127.0.0.1:1", Args: []string{"SET", `a"b`, `c\d`}}},
		{"control characters", `1.000000 [0 127.0.0.1:1] "\r\n\t\a\b"`,
			MonitorEntry{Time: time.Unix(1, 0), Client: "127.0.0.1:1", Args: []string{"\r\n\t\a\b"}}},
		{"hex escapes", `1.000000 [0 127.0.0.1:1] "nul\x00" "\xff\xfe" "\xc3\xa9t\xc3\xa9" "\x7f"`,
			MonitorEntry{Time: time.Unix(1, 0), Client: "127.0.0.1:1", Args: []string{"nul\x00", "\xff\xfe", "été", "\x7f"}}},
		{"escaped backslash before x", `1.000000 [0 127.0.0.1:1] "\\x41"`,
			MonitorEntry{Time: time.Unix(1, 0), Client: "127.0.0.1:1", Args: []string{`\x41`}}},
		{"empty argument", `1.000000 [0 127.0.0.1:1] "SET" "k" ""`,
			MonitorEntry{Time: time.Unix(1, 0), Client: "127.0.0.1:1", Args: []string{"SET", "k", ""}}},
		{"spaces and brackets inside arguments", `1.000000 [0 127.0.0.1:1] "SET" "a] [b" " x "`,
			MonitorEntry{Time: time.Unix(1, 0), Client: "127.0.0.1:1", Args: []string{"SET", "a] [b", " x "}}},
		{"lua", `1339518083.107412 [0 lua] "set" "k" "v"`,
			MonitorEntry{Time: time.Unix(1339518083, 107412000), Client: "lua", Args: []string{"set", "k", "v"}}},
		{"unix socket", `1339518083.107412 [2 unix:/var/run/redis/redis.sock] "PING"`,
			MonitorEntry{Time: time.Unix(1339518083, 107412000), DB: 2, Client: "unix:/var/run/redis/redis.sock", Args: []string{"PING"}}},
		{"IPv6 client", `1339518083.107412 [0 [::1]:43210] "GET" "k"`,
			MonitorEntry{Time: time.Unix(1339518083, 107412000), Client: "[::1]:43210", Args: []string{"GET", "k"}}},
		{"IPv6 client, bracket in an argument", `1.000000 [3 [2001:db8::7]:6379] "SET" "x]" "y"`,
			MonitorEntry{Time: time.Unix(1, 0), DB: 3, Client: "[2001:db8::7]:6379", Args: []string{"SET", "x]", "y"}}},
		{"short fraction", `1.5 [0 lua] "PING"`,
			MonitorEntry{Time: time.Unix(1, 500000000), Client: "lua", Args: []string{"PING"}}},
		{"no fraction", `42 [0 lua] "PING"`,
			MonitorEntry{Time: time.Unix(42, 0), Client: "lua", Args: []string{"PING"}}},
	} {
		got, err := ParseMonitorLine(tc.line)
		if err != nil {
			t.Errorf("%s: %q: %v", tc.name, tc.line, err)
			continue
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s: %q (-want +got):\n%s", tc.name, tc.line, d)
		}
	}
}

func TestFeatParseMonitorLineMalformed(t *testing.T) {
	for _, line := range []string{
		``,
		`garbage`,
		`1339518083.107412`,
		`x.107412 [0 127.0.0.1:1] "a"`,
		`1.abc [0 127.0.0.1:1] "a"`,
		`1.0 0 127.0.0.1:1] "a"`,
		`1.0 [0 127.0.0.1:1 "a"`,
		`1.0 [x 127.0.0.1:1] "a"`,
		`1.0 [0 127.0.0.1:1] unquoted`,
		`1.0 [0 127.0.0.1:1] "a" b`,
		`1.0 [0 127.0.0.1:1] "unterminated`,
		`1.0 [0 127.0.0.1:1] "ends with a backslash\`,
		`1.0 [0 127.0.0.1:1] "\x4"`,
		`1.0 [0 127.0.0.1:1] "\xZZ"`,
		`1.0 [0 127.0.0.1:1] "\x"`,
	} {
		e, err := ParseMonitorLine(line)
		if err == nil {
			t.Errorf("%q: no error, parsed %+v", line, e)
			continue
		}
		if !strings.Contains(err.Error(), "MONITOR line") {
			t.Errorf("%q: error %q does not say which line", line, err)
		}
	}
}

// FuzzFeatParseMonitorLine checks that quoting any arguments the way the
// server does parses back to them.
func FuzzFeatParseMonitorLine(f *testing.F) {
	f.Add("SET", "k", "v\x00\r\n\"\\")
	f.Add("", "\xff", "]")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		args := []string{a, b, c}
		var line strings.Builder
		line.WriteString(`1700000000.123456 [7 [::1]:5000]`)
		for _, arg := range args {
			line.WriteString(" " + QuoteArg(arg))
		}
		e, err := ParseMonitorLine(line.String())
		if err != nil {
			t.Fatalf("%q: %v", line.String(), err)
		}
		if d := cmp.Diff(args, e.Args); d != "" || e.DB != 7 || e.Client != "[::1]:5000" {
			t.Fatalf("%q: db %d client %q args (-want +got):\n%s", line.String(), e.DB, e.Client, d)
		}
	})
}
