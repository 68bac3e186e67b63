package lineedit

// Tests that feed key bytes to the editor and compare the exact bytes it
// writes to the terminal.

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
)

// draw is what refresh writes for prompt "> " with the line and the
// cursor at col (counting the prompt).
func draw(line, hint string, col int) string {
	s := "\r> " + line
	if hint != "" {
		s += "\x1b[90m" + hint + "\x1b[0m"
	}
	return s + "\x1b[0K\r\x1b[" + strconv.Itoa(col) + "C"
}

func editor(keys string) (*Editor, *bytes.Buffer) {
	var out bytes.Buffer
	e := New(strings.NewReader(keys), &out)
	e.Prompt = "> "
	return e, &out
}

func TestTypingAndEnter(t *testing.T) {
	e, out := editor("ab\r")
	line, err := e.ReadLine()
	if err != nil || line != "ab" {
		t.Fatalf("ReadLine = %q, %v", line, err)
	}
	want := draw("", "", 2) + draw("a", "", 3) + draw("ab", "", 4) + "\r> ab\x1b[0K\r\n"
	if got := out.String(); got != want {
		t.Errorf("wrote\n%q\nwant\n%q", got, want)
	}
}

func TestEditingKeys(t *testing.T) {
	for _, tc := range []struct {
		name, keys, line string
		last             string // the last redraw before Enter
	}{
		{"backspace", "abc\x7f\x7fd\r", "ad", draw("ad", "", 4)},
		{"ctrl-h", "abc\x08\r", "ab", draw("ab", "", 4)},
		{"ctrl-a inserts at the start", "bc\x01a\r", "abc", draw("abc", "", 3)},
		{"ctrl-e after ctrl-a", "bc\x01a\x05d\r", "abcd", draw("abcd", "", 6)},
		{"arrows left and right", "ac\x1b[Db\x1b[C\x1b[Cd\r", "abcd", draw("abcd", "", 6)},
		{"home and end sequences", "b\x1b[Ha\x1b[Fc\x1bOHx\x1b[4~y\r", "xabcy", draw("xabcy", "", 7)},
		{"delete key", "abc\x01\x1b[3~\r", "bc", draw("bc", "", 2)},
		{"ctrl-d deletes under the cursor", "abc\x01\x04\r", "bc", draw("bc", "", 2)},
		{"ctrl-k", "abcd\x02\x02\x0b\r", "ab", draw("ab", "", 4)},
		{"ctrl-u", "abcd\x02\x15\r", "d", draw("d", "", 2)},
		{"ctrl-w", "set key  \x17\r", "set ", draw("set ", "", 6)},
		{"backspace at the start does nothing", "\x7fa\r", "a", draw("a", "", 3)},
		{"utf-8", "h\xc3\xa9\x7f\xc3\xa8\r", "hè", draw("hè", "", 4)},
	} {
		e, out := editor(tc.keys)
		line, err := e.ReadLine()
		if err != nil || line != tc.line {
			t.Errorf("%s: ReadLine = %q, %v; want %q", tc.name, line, err, tc.line)
			continue
		}
		got := out.String()
		got = strings.TrimSuffix(got, "\r> "+tc.line+"\x1b[0K\r\n")
		if !strings.HasSuffix(got, tc.last) {
			t.Errorf("%s: wrote %q\nwant it to end with %q", tc.name, got, tc.last)
		}
	}
}

func TestCtrlCClearsTheLine(t *testing.T) {
	e, out := editor("ab\x03c\r")
	line, err := e.ReadLine()
	if err != nil || line != "c" {
		t.Fatalf("ReadLine = %q, %v", line, err)
	}
	want := draw("", "", 2) + draw("a", "", 3) + draw("ab", "", 4) + "^C\r\n" + draw("", "", 2) + draw("c", "", 3) + "\r> c\x1b[0K\r\n"
	if got := out.String(); got != want {
		t.Errorf("wrote\n%q\nwant\n%q", got, want)
	}
}

func TestCtrlDOnAnEmptyLineEnds(t *testing.T) {
	e, out := editor("\x04")
	if line, err := e.ReadLine(); !errors.Is(err, io.EOF) || line != "" {
		t.Fatalf("ReadLine = %q, %v; want io.EOF", line, err)
	}
	if got, want := out.String(), draw("", "", 2)+"\r\n"; got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
	// The reader's end without Ctrl-D is io.EOF too.
	e, _ = editor("ab")
	if _, err := e.ReadLine(); !errors.Is(err, io.EOF) {
		t.Errorf("end of input: %v", err)
	}
}

func TestHistoryNavigation(t *testing.T) {
	h := NewHistory(10)
	if !h.Add("GET a") || h.Add("GET a") || h.Add("") || !h.Add("SET b 1") {
		t.Errorf("Add: a repeat of the newest entry or an empty line was added, or a new line was not")
	}
	if got := strings.Join(h.Lines(), "|"); got != "GET a|SET b 1" {
		t.Fatalf("history %q", got)
	}
	// Type "x", go up twice (to the oldest), once more (nothing older),
	// down once, down again (back to "x"), then up and Enter.
	e, out := editor("x\x1b[A\x1b[A\x1b[A\x1b[B\x0e\x10\r")
	e.History = h
	line, err := e.ReadLine()
	if err != nil || line != "SET b 1" {
		t.Fatalf("ReadLine = %q, %v", line, err)
	}
	want := draw("", "", 2) + draw("x", "", 3) +
		draw("SET b 1", "", 9) + draw("GET a", "", 7) + draw("GET a", "", 7) +
		draw("SET b 1", "", 9) + draw("x", "", 3) + draw("SET b 1", "", 9) +
		"\r> SET b 1\x1b[0K\r\n"
	if got := out.String(); got != want {
		t.Errorf("wrote\n%q\nwant\n%q", got, want)
	}
}

func TestHistoryBound(t *testing.T) {
	h := NewHistory(2)
	for _, l := range []string{"a", "b", "c"} {
		h.Add(l)
	}
	if got := strings.Join(h.Lines(), "|"); got != "b|c" {
		t.Errorf("history %q, want b|c", got)
	}
}

func TestHint(t *testing.T) {
	e, out := editor("get\r")
	e.Hint = func(line string) string {
		if strings.EqualFold(line, "get") {
			return " key"
		}
		return ""
	}
	if line, err := e.ReadLine(); err != nil || line != "get" {
		t.Fatalf("ReadLine = %q, %v", line, err)
	}
	// The hint follows the text in grey, the cursor stays after the text,
	// and Enter redraws the line without it.
	want := draw("", "", 2) + draw("g", "", 3) + draw("ge", "", 4) + draw("get", " key", 5) + "\r> get\x1b[0K\r\n"
	if got := out.String(); got != want {
		t.Errorf("wrote\n%q\nwant\n%q", got, want)
	}
	// A narrow terminal cuts the hint to what fits.
	e, out = editor("get")
	e.Width = 8
	e.Hint = func(string) string { return " key value" }
	e.ReadLine()
	if got, want := out.String(), draw("get", " k", 5); !strings.HasSuffix(got, want) {
		t.Errorf("narrow: wrote %q\nwant it to end with %q", got, want)
	}
}

func TestLongLineScrolls(t *testing.T) {
	// Width 8 with a 2-column prompt: 6 columns of text, the cursor kept
	// in view (one column is left for it at the end).
	e, out := editor("abcdefgh\x01\r")
	e.Width = 8
	if line, err := e.ReadLine(); err != nil || line != "abcdefgh" {
		t.Fatalf("ReadLine = %q, %v", line, err)
	}
	got := out.String()
	for _, want := range []string{
		draw("abcde", "", 7),  // five typed: fits
		draw("bcdef", "", 7),  // six: scrolled by one
		draw("defgh", "", 7),  // eight
		draw("abcdef", "", 2), // Ctrl-A: back to the start, cut at the right
	} {
		if !strings.Contains(got, want) {
			t.Errorf("wrote %q\nwithout %q", got, want)
		}
	}
}

func TestTabCompletion(t *testing.T) {
	complete := func(line string) []string {
		words := map[string][]string{
			"zad":    {"ZADD"},
			"zrange": {"ZRANGE", "ZRANGEBYLEX", "ZRANGEBYSCORE"},
			"ZRANGE": {"ZRANGE", "ZRANGEBYLEX", "ZRANGEBYSCORE"},
			"get k ": nil,
		}
		return words[line]
	}
	for _, tc := range []struct {
		name, keys, line string
		out              string // what Tab wrote, between the redraws
	}{
		{"one choice: the word and a blank", "zad\t\r", "ZADD ", ""},
		{"several: what they begin with", "zrange\t\r", "ZRANGE", ""},
		{"several, nothing to add: they are listed", "ZRANGE\t\r", "ZRANGE", "\r\nZRANGE  ZRANGEBYLEX  ZRANGEBYSCORE\r\n"},
		{"none: a bell", "get k \t\r", "get k ", "\a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, out := editor(tc.keys)
			e.Complete = complete
			line, err := e.ReadLine()
			if err != nil || line != tc.line {
				t.Fatalf("ReadLine = %q, %v; want %q", line, err, tc.line)
			}
			typed := strings.TrimSuffix(strings.TrimSuffix(tc.keys, "\r"), "\t")
			want := draw(typed, "", 2+len(typed)) + tc.out + draw(tc.line, "", 2+len(tc.line)) + "\r> " + tc.line + "\x1b[0K\r\n"
			if got := out.String(); !strings.HasSuffix(got, want) {
				t.Errorf("wrote\n%q\nwant it to end in\n%q", got, want)
			}
		})
	}
}
