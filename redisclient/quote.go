package redisclient

// This file is part of the client layer: the quoting Redis uses to show
// arguments and values to people (sds's sdscatrepr), as in MONITOR lines,
// redis-cli's output and the slow log, and its inverse.

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// QuoteArg quotes s the way Redis shows an argument or a value to people
// (MONITOR lines, redis-cli): in double quotes, with \\, \", \n, \r, \t,
// \a and \b escaped and any other byte outside printable ASCII as \xhh.
func QuoteArg(s string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\a':
			b.WriteString(`\a`)
		case '\b':
			b.WriteString(`\b`)
		default:
			if c >= 0x20 && c < 0x7f {
				b.WriteByte(c)
			} else {
				b.WriteString(`\x`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&15])
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// ErrUnbalancedQuotes is SplitArgs's error for a quote that is not closed,
// or closed and followed by more of the word (worded as redis-cli's).
var ErrUnbalancedQuotes = errors.New("Invalid argument(s): unbalanced quotes")

// SplitArgs splits a line into arguments as redis-cli does (sds's
// sdssplitargs): words separated by blanks; "double quotes" with the
// escapes QuoteArg writes, \xHH and \ before any other byte for that byte;
// 'single quotes' with \' only. A closing quote must end its word.
func SplitArgs(line string) ([]string, error) {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	var args []string
	i := 0
	for {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		if i == len(line) {
			return args, nil
		}
		var word strings.Builder
		for i < len(line) && !isSpace(line[i]) {
			switch line[i] {
			case '"':
				arg, n, err := unquote(line[i:], false)
				if err != nil {
					return nil, ErrUnbalancedQuotes
				}
				word.WriteString(arg)
				i += n
			case '\'':
				arg, n, err := unquoteSingle(line[i:])
				if err != nil {
					return nil, err
				}
				word.WriteString(arg)
				i += n
			default:
				word.WriteByte(line[i])
				i++
				continue
			}
			if i < len(line) && !isSpace(line[i]) {
				return nil, ErrUnbalancedQuotes
			}
		}
		args = append(args, word.String())
	}
}

// unquoteSingle reads the single-quoted argument at the start of s, in
// which only \' is an escape, returning it and the bytes read.
func unquoteSingle(s string) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '\'':
			b.WriteByte('\'')
			i++
		case s[i] == '\'':
			return b.String(), i + 1, nil
		default:
			b.WriteByte(s[i])
		}
	}
	return "", 0, ErrUnbalancedQuotes
}

// unquote reads the double-quoted argument at the start of s (s[0] is
// '"'), decoding QuoteArg's escapes and \ before any other byte as that
// byte, and returns it and the bytes read through the closing quote. A \x
// without two hex digits after it is an error when strict (MONITOR lines,
// which the server quotes itself), else the letter x, as redis-cli reads it.
func unquote(s string, strict bool) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return b.String(), i + 1, nil
		case c == '\\' && i+1 < len(s):
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'a':
				b.WriteByte('\a')
			case 'b':
				b.WriteByte('\b')
			case 'x':
				v, err := strconv.ParseUint(s[i+1:min(i+3, len(s))], 16, 8)
				switch {
				case err == nil && i+3 <= len(s):
					b.WriteByte(byte(v))
					i += 2
				case strict:
					return "", 0, fmt.Errorf("bad \\x escape")
				default:
					b.WriteByte('x')
				}
			default:
				b.WriteByte(s[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, fmt.Errorf("unterminated argument")
}
