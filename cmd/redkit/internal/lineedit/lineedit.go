// Package lineedit is the line editor of `redkit cli`: one line of input
// read key by key from a terminal in raw mode, with cursor movement, an
// in-memory history walked with the arrow keys, and a hint drawn in grey
// after the text (the rest of the command's syntax). It reads key bytes
// from an io.Reader and writes VT100 sequences to an io.Writer, so tests
// feed bytes and compare what it wrote; putting the terminal in raw mode is
// the caller's business.
package lineedit

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Editor reads lines from a terminal.
type Editor struct {
	in  *bufio.Reader
	out io.Writer

	// Prompt is written before the text.
	Prompt string
	// Hint, when set, returns the text drawn in grey after the line being
	// typed (empty for none).
	Hint func(line string) string
	// Complete, when set, returns the words that may replace the last word
	// of line (the text before the cursor; "" after a blank): Tab puts in
	// the only one, or what all of them begin with, and a second Tab that
	// adds nothing lists them.
	Complete func(line string) []string
	// History is walked with up and down arrows (Ctrl-P, Ctrl-N); nil for
	// none. ReadLine does not add to it: the caller decides what to keep.
	History *History
	// Width is the terminal's width in columns; a hint is cut to fit in
	// it. Zero means unbounded.
	Width int

	buf   []rune // the line
	pos   int    // cursor position in buf
	index int    // history entry shown; len(History) for the line itself
	saved []rune // the line being typed while history is shown
}

// New returns an editor that reads keys from in and draws on out.
func New(in io.Reader, out io.Writer) *Editor {
	return &Editor{in: bufio.NewReader(in), out: out}
}

// Key bytes.
const (
	ctrlA     = 0x01
	ctrlB     = 0x02
	ctrlC     = 0x03
	ctrlD     = 0x04
	ctrlE     = 0x05
	ctrlF     = 0x06
	ctrlH     = 0x08
	tab       = 0x09
	ctrlK     = 0x0b
	ctrlL     = 0x0c
	enter     = 0x0d
	ctrlN     = 0x0e
	ctrlP     = 0x10
	ctrlU     = 0x15
	ctrlW     = 0x17
	esc       = 0x1b
	backspace = 0x7f
)

// ReadLine shows the prompt and returns the line typed, without its end.
// Ctrl-D on an empty line returns io.EOF; Ctrl-C abandons the line and
// starts a new one; an error of the reader is returned as it is.
func (e *Editor) ReadLine() (string, error) {
	e.buf, e.pos, e.saved = e.buf[:0], 0, nil
	e.index = e.History.Len()
	e.refresh()
	for {
		r, _, err := e.in.ReadRune()
		if err != nil {
			return "", err
		}
		switch r {
		case enter, '\n':
			e.finish()
			return string(e.buf), nil
		case ctrlD:
			if len(e.buf) == 0 {
				e.write("\r\n")
				return "", io.EOF
			}
			e.deleteAt(e.pos)
		case ctrlC:
			e.write("^C\r\n")
			e.buf, e.pos = e.buf[:0], 0
			e.index = e.History.Len()
		case ctrlA:
			e.pos = 0
		case ctrlE:
			e.pos = len(e.buf)
		case ctrlB:
			e.left()
		case ctrlF:
			e.right()
		case backspace, ctrlH:
			if e.pos > 0 {
				e.pos--
				e.deleteAt(e.pos)
			}
		case ctrlK:
			e.buf = e.buf[:e.pos]
		case ctrlU:
			e.buf = append(e.buf[:0], e.buf[e.pos:]...)
			e.pos = 0
		case ctrlW:
			e.deleteWord()
		case tab:
			e.complete()
		case ctrlL:
			e.write("\x1b[H\x1b[2J")
		case ctrlP:
			e.historyMove(-1)
		case ctrlN:
			e.historyMove(1)
		case esc:
			e.escape()
		default:
			if r < 0x20 || r == utf8.RuneError {
				continue // other control keys do nothing
			}
			e.buf = append(e.buf, 0)
			copy(e.buf[e.pos+1:], e.buf[e.pos:])
			e.buf[e.pos] = r
			e.pos++
		}
		e.refresh()
	}
}

// escape handles the rest of an escape sequence: arrows, Home, End and
// Delete as terminals send them (ESC [ A, ESC O H, ESC [ 3 ~, ...).
func (e *Editor) escape() {
	b, err := e.in.ReadByte()
	if err != nil || b != '[' && b != 'O' {
		return
	}
	c, err := e.in.ReadByte()
	if err != nil {
		return
	}
	if c >= '0' && c <= '9' {
		// ESC [ n ~
		n := string(c)
		for {
			d, err := e.in.ReadByte()
			if err != nil {
				return
			}
			if d == '~' {
				break
			}
			n += string(d)
		}
		switch v, _ := strconv.Atoi(n); v {
		case 1, 7:
			e.pos = 0
		case 4, 8:
			e.pos = len(e.buf)
		case 3:
			e.deleteAt(e.pos)
		}
		return
	}
	switch c {
	case 'A':
		e.historyMove(-1)
	case 'B':
		e.historyMove(1)
	case 'C':
		e.right()
	case 'D':
		e.left()
	case 'H':
		e.pos = 0
	case 'F':
		e.pos = len(e.buf)
	}
}

func (e *Editor) left() {
	if e.pos > 0 {
		e.pos--
	}
}

func (e *Editor) right() {
	if e.pos < len(e.buf) {
		e.pos++
	}
}

func (e *Editor) deleteAt(i int) {
	if i < len(e.buf) {
		e.buf = append(e.buf[:i], e.buf[i+1:]...)
	}
}

// complete completes the word before the cursor (see Complete).
func (e *Editor) complete() {
	if e.Complete == nil {
		return
	}
	start := e.pos
	for start > 0 && e.buf[start-1] != ' ' {
		start--
	}
	word := string(e.buf[start:e.pos])
	words := e.Complete(string(e.buf[:e.pos]))
	if len(words) == 0 {
		e.write("\a")
		return
	}
	with := words[0]
	for _, w := range words[1:] {
		with = commonPrefix(with, w)
	}
	if len(words) == 1 {
		with += " "
	}
	if with == word || len(with) < len(word) {
		// Nothing to add: list the choices under the line.
		e.write("\r\n" + strings.Join(words, "  ") + "\r\n")
		return
	}
	rest := append([]rune(with), e.buf[e.pos:]...)
	e.buf = append(e.buf[:start], rest...)
	e.pos = start + utf8.RuneCountInString(with)
}

// commonPrefix returns what a and b begin with, ignoring case (a's case
// is kept).
func commonPrefix(a, b string) string {
	n := 0
	for n < len(a) && n < len(b) && strings.EqualFold(a[n:n+1], b[n:n+1]) {
		n++
	}
	return a[:n]
}

// deleteWord deletes the word before the cursor and the spaces after it.
func (e *Editor) deleteWord() {
	i := e.pos
	for i > 0 && e.buf[i-1] == ' ' {
		i--
	}
	for i > 0 && e.buf[i-1] != ' ' {
		i--
	}
	e.buf = append(e.buf[:i], e.buf[e.pos:]...)
	e.pos = i
}

// historyMove shows the entry delta away (-1 older, 1 newer); past the
// newest it shows the line that was being typed.
func (e *Editor) historyMove(delta int) {
	n := e.History.Len()
	to := e.index + delta
	if to < 0 || to > n {
		return
	}
	if e.index == n {
		e.saved = append(e.saved[:0], e.buf...)
	}
	e.index = to
	if to == n {
		e.buf = append(e.buf[:0], e.saved...)
	} else {
		e.buf = append(e.buf[:0], []rune(e.History.At(to))...)
	}
	e.pos = len(e.buf)
}

// refresh redraws the line: carriage return, prompt, text, the hint in
// grey, erase to the end of the line, and the cursor moved back to its
// place. A line longer than the terminal is wide scrolls sideways, keeping
// the cursor in view.
func (e *Editor) refresh() {
	plen := utf8.RuneCountInString(e.Prompt)
	text, pos := e.buf, e.pos
	if e.Width > 0 {
		for plen+pos >= e.Width && pos > 0 {
			text, pos = text[1:], pos-1
		}
		if over := plen + len(text) - e.Width; over > 0 {
			text = text[:len(text)-over]
		}
	}
	var b strings.Builder
	b.WriteString("\r")
	b.WriteString(e.Prompt)
	b.WriteString(string(text))
	if e.Hint != nil && len(text) == len(e.buf) {
		if h := e.Hint(string(e.buf)); h != "" {
			if e.Width > 0 {
				room := e.Width - plen - len(text) - 1
				if room <= 0 {
					h = ""
				} else if r := []rune(h); len(r) > room {
					h = string(r[:room])
				}
			}
			if h != "" {
				b.WriteString("\x1b[90m" + h + "\x1b[0m")
			}
		}
	}
	b.WriteString("\x1b[0K")
	b.WriteString("\r")
	if col := plen + pos; col > 0 {
		b.WriteString("\x1b[" + strconv.Itoa(col) + "C")
	}
	e.write(b.String())
}

// finish redraws the line without its hint and ends it.
func (e *Editor) finish() {
	e.write("\r" + e.Prompt + string(e.buf) + "\x1b[0K\r\n")
}

func (e *Editor) write(s string) { io.WriteString(e.out, s) }

// History is the list of lines entered, oldest first, bounded in length.
// A nil *History is empty.
type History struct {
	lines []string
	max   int
}

// NewHistory returns an empty history that keeps the last max lines.
func NewHistory(max int) *History { return &History{max: max} }

// Add appends line, unless it is empty or repeats the newest entry, and
// reports whether it did.
func (h *History) Add(line string) bool {
	if line == "" || len(h.lines) > 0 && h.lines[len(h.lines)-1] == line {
		return false
	}
	h.lines = append(h.lines, line)
	if h.max > 0 && len(h.lines) > h.max {
		h.lines = append(h.lines[:0], h.lines[len(h.lines)-h.max:]...)
	}
	return true
}

// Len returns the number of entries.
func (h *History) Len() int {
	if h == nil {
		return 0
	}
	return len(h.lines)
}

// At returns entry i, 0 being the oldest.
func (h *History) At(i int) string { return h.lines[i] }

// Lines returns the entries, oldest first.
func (h *History) Lines() []string { return append([]string(nil), h.lines...) }
