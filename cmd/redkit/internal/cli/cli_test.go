package cli

// Tests of redkit cli's line handling in-process: splitting as redis-cli
// does, the syntax hint, help, the lines kept out of the history, and a
// session's output with a stand-in for the server (the integration suite
// runs the binary against real servers).

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/spec"
	"github.com/redkit-go/redkit/transport/resp"
)

func TestHint(t *testing.T) {
	s, err := spec.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ line, want string }{
		{"", ""},
		{"GE", ""},
		{"get", " key"},
		{"GET ", "key"},
		{"GET k", ""},
		{"set k", " value [NX | XX | IFEQ ifeq-value | IFNE ifne-value | IFDEQ ifdeq-digest | IFDNE ifdne-digest] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]"},
		{"SET k v ", "[NX | XX | IFEQ ifeq-value | IFNE ifne-value | IFDEQ ifdeq-digest | IFDNE ifdne-digest] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]"},
		{"SET k v nx ", "[GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]"},
		{"SET k v NX EX ", "seconds"},
		{"ZADD k ", "[NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]"},
		{"ZADD k XX ", "[GT | LT] [CH] [INCR] score member [score member ...]"},
		{"ZADD k 1 m", " [score member ...]"},
		{"ZADD k 1 m 2 ", "member [score member ...]"},
		{"MGET a b ", "[key ...]"},
		{"ZRANGE z 0 ", "stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]"},
		{"ZRANGE z 0 -1 BYSCORE ", "[REV] [LIMIT offset count] [WITHSCORES]"},
		{"ZRANGE z 0 -1 LIMIT 0 ", "count [WITHSCORES]"},
		{"ZRANDMEMBER k 5 ", "[WITHSCORES]"},
		{"XADD s ", "[NOMKSTREAM] [KEEPREF | DELREF | ACKED] [IDMPAUTO pid | IDMP pid iid] [<MAXLEN | MINID> [= | ~] threshold [LIMIT count]] <* | id> field value [field value ...]"},
		{"XADD s MAXLEN ~ 10 ", "[LIMIT count] <* | id> field value [field value ...]"},
		{"XADD s MAXLEN ~ 10 * ", "field value [field value ...]"},
		{"GEOSEARCH k FROMMEMBER m BYRADIUS 1 km ", "[ASC | DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]"},
		{"LINSERT l ", "<BEFORE | AFTER> pivot element"},
		{"LINSERT l BEFORE ", "pivot element"},
		{"GET k x ", ""},
		{"CONFIG", ""},
		{"config get ", "parameter [parameter ...]"},
		{"NOSUCH ", ""},
		{`SET "k`, ""},
	} {
		if got := hintFor(s, tc.line); got != tc.want {
			t.Errorf("hintFor(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
}

func TestHelpText(t *testing.T) {
	s, err := spec.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := helpText(s, []string{"get"}), "  GET key\n  since: 1.0.0\n  group: string\n"; got != want {
		t.Errorf("help get = %q, want %q", got, want)
	}
	if got := helpText(s, []string{"config", "get"}); !strings.HasPrefix(got, "  CONFIG GET parameter [parameter ...]\n") {
		t.Errorf("help config get = %q", got)
	}
	if got := helpText(s, []string{"CONFIG"}); !strings.Contains(got, "  CONFIG GET parameter") || !strings.Contains(got, "  CONFIG SET parameter value") {
		t.Errorf("help config = %q", got)
	}
	if got, want := helpText(s, []string{"nosuch"}), "no command \"nosuch\" in redkit's command spec\n"; got != want {
		t.Errorf("help nosuch = %q", got)
	}
	if got := helpText(s, nil); !strings.Contains(got, "help <command>") {
		t.Errorf("help = %q", got)
	}
}

func TestSecretLine(t *testing.T) {
	for _, tc := range []struct {
		line   string
		secret bool
	}{
		{"AUTH pw", true}, {"auth user pw", true}, {"HELLO 3 AUTH u p", true}, {"hello 3 setname x", false},
		{"MIGRATE h 1 k 0 10 AUTH2 u p", true}, {"MIGRATE h 1 k 0 10", false},
		{"ACL SETUSER bob on >pw", true}, {"ACL LIST", false},
		{"CONFIG SET requirepass x", true}, {"config set maxmemory 1 masterauth x", true}, {"CONFIG SET maxmemory 1", false},
		{"SET auth x", false}, {"GET k", false},
	} {
		args, _ := redisclient.SplitArgs(tc.line)
		if got := secretLine(args); got != tc.secret {
			t.Errorf("secretLine(%q) = %v", tc.line, got)
		}
	}
}

// TestSessionRun runs lines through a session whose server is a stand-in
// that echoes the command's arguments as a list.
func TestSessionRun(t *testing.T) {
	s, err := spec.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	var sent [][]string
	sess := &session{flags: &serverFlags{timeout: time.Second}, spec: s, out: &out,
		exec: func(_ context.Context, args []string) (resp.Message, error) {
			sent = append(sent, args)
			if args[0] == "INCR" {
				return resp.Message{}, &resp.Error{Text: "WRONGTYPE no"}
			}
			return resp.Message{Kind: resp.KindInteger, Int: int64(len(args))}, nil
		}}
	ctx := context.Background()
	for _, line := range []string{"ZADD z -1 \"a b\"", "", "GET", "SET k v EXX 10", "SET \"k", "INCR k", "SUBSCRIBE c", "help get"} {
		if _, quit := sess.run(ctx, line); quit {
			t.Fatalf("%q quit", line)
		}
	}
	if _, quit := sess.run(ctx, "QUIT"); !quit {
		t.Errorf("QUIT did not quit")
	}
	want := "(integer) 4\n" +
		"(error) wrong number of arguments for GET: 1 given, it takes exactly 2 (counting the command name)\nsyntax: GET key\n" +
		"(error) unknown option \"EXX\" for SET at argument 4 (counting the command name as 1); expected one of NX, XX, IFEQ, IFNE, IFDEQ, IFDNE, GET, EX, PX, EXAT, PXAT, KEEPTTL\n" +
		"syntax: SET key value [NX | XX | IFEQ ifeq-value | IFNE ifne-value | IFDEQ ifdeq-digest | IFDNE ifdne-digest] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]\n" +
		"(error) Invalid argument(s): unbalanced quotes\n" +
		"(error) WRONGTYPE no\n" +
		"(error) redkit cli does not run SUBSCRIBE (its replies keep coming); use redis-cli or the client's Subscriber and Monitor\n" +
		"  GET key\n  since: 1.0.0\n  group: string\n"
	if got := out.String(); got != want {
		t.Errorf("output\n%s\nwant\n%s", got, want)
	}
	if want := [][]string{{"ZADD", "z", "-1", "a b"}, {"INCR", "k"}}; !reflect.DeepEqual(sent, want) {
		t.Errorf("sent %q, want %q", sent, want)
	}
}

func TestCliFlags(t *testing.T) {
	if _, err := runInProcess("cli", "--resp", "4"); err == nil || !strings.Contains(err.Error(), "--resp 4: want 2 or 3") {
		t.Errorf("--resp 4: %v", err)
	}
	if _, err := runInProcess("cli", "--timeout", "2s", "--url", "redis://127.0.0.1:1"); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("closed port: %v", err)
	}
	if out, err := runInProcess("--help"); err != nil || !strings.Contains(out, "\n  redkit cli                   an interactive session like redis-cli") {
		t.Errorf("root help: %v\n%s", err, out)
	}
	if _, err := runInProcess("cli", "GET"); err == nil || !strings.Contains(err.Error(), "unknown command \"GET\" for \"redkit cli\"") {
		t.Errorf("cli with arguments: %v", err)
	}
}

// TestHintNeverPanics draws the hint for every prefix of the command lines
// the client's wire tests build, and for every command followed by up to
// eight values or tokens: the hint runs on every key typed.
func TestHintNeverPanics(t *testing.T) {
	s, err := spec.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, args := range wireLines(t, s, "../../../../redisclient/*_gen_test.go", "../../../../redisclient/*/*_gen_test.go") {
		for i := 1; i <= len(args); i++ {
			line := strings.Join(args[:i], " ")
			lines = append(lines, line, line+" ")
		}
	}
	for _, c := range s.Commands {
		for _, w := range []string{"x", "NX", "COUNT", "1"} {
			line := c.Name
			for i := 0; i < 8; i++ {
				line += " " + w
				lines = append(lines, line, line+" ")
			}
		}
	}
	for _, line := range lines {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("hintFor(%q) panicked: %v", line, r)
				}
			}()
			hintFor(s, line)
		}()
	}
}

func TestCompleteLine(t *testing.T) {
	s, err := spec.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"zad", []string{"ZADD"}},
		{"zrangeb", []string{"ZRANGEBYLEX", "ZRANGEBYSCORE"}},
		{"config g", []string{"GET"}},
		{"ZRANGE z 0 -1 with", []string{"WITHSCORES"}},
		{"set k v e", []string{"EX", "EXAT"}},
		{"GET k ", nil},
		{`SET k "open`, nil},
		{"NOSUCHCMD x ", nil},
	} {
		if got := completeLine(s, tc.line); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("completeLine(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
}
