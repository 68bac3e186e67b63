// This file holds the allocation-free number parsers used by the decoder and
// by reply decoders built on top of it.

package resp

import (
	"math"
	"strconv"
	"unsafe"
)

// ParseInt parses b as a strict base-10 int64: an optional '+' or '-'
// followed by one or more ASCII digits, nothing else. It does not allocate on
// success; the error is a *NumError quoting the bad text.
func ParseInt(b []byte) (int64, error) {
	if n, ok := parseInt(b); ok {
		return n, nil
	}
	return 0, &NumError{Type: "integer", Text: clip(b), Range: isDigits(trimSign(b))}
}

// ParseFloat parses b as a float64. It accepts decimals with an optional
// sign, fraction and exponent ("1", "-1.5", ".5", "1e-7", "3E+10") and the
// words "inf", "+inf", "-inf" and "nan" (optionally signed) in any case. Hex
// floats, underscores and "infinity" are rejected. It does not allocate on
// success; the error is a *NumError quoting the bad text.
func ParseFloat(b []byte) (float64, error) {
	if f, ok := parseFloat(b); ok {
		return f, nil
	}
	return 0, &NumError{Type: "float", Text: clip(b), Range: isDecimal(b)}
}

// parseInt is ParseInt without the error value.
func parseInt(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	neg := false
	switch b[0] {
	case '-':
		neg = true
		b = b[1:]
	case '+':
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	if len(b) <= 18 { // cannot overflow
		var n int64
		for _, c := range b {
			d := c - '0'
			if d > 9 {
				return 0, false
			}
			n = n*10 + int64(d)
		}
		if neg {
			n = -n
		}
		return n, true
	}
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	var n uint64
	for _, c := range b {
		d := uint64(c - '0')
		if d > 9 || n > (limit-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	if neg {
		return int64(-n), true
	}
	return int64(n), true
}

// parseLen parses a RESP length: digits only, or "-" and digits (negative
// lengths are reported to the caller, which decides what they mean).
func parseLen(b []byte) (int64, bool) {
	if len(b) == 0 || b[0] == '+' {
		return 0, false
	}
	return parseInt(b)
}

// parseFloat is ParseFloat without the error value.
func parseFloat(b []byte) (float64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	if f, ok := parseSpecialFloat(b); ok {
		return f, true
	}
	if !isDecimal(b) {
		return 0, false
	}
	// The string shares b's memory; strconv does not retain it on success and
	// its error (which would) is discarded.
	f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(b), len(b)), 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

// isDouble reports whether b is a valid RESP3 double text: what ParseFloat
// accepts, except that magnitudes beyond float64 are allowed (they read as
// ±Inf). It is the cheap syntax check the decoder does.
func isDouble(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	if _, ok := parseSpecialFloat(b); ok {
		return true
	}
	return isDecimal(b)
}

// doubleValue returns the value of a text accepted by isDouble, with
// out-of-range magnitudes as ±Inf (and underflow as ±0).
func doubleValue(b []byte) float64 {
	if len(b) == 0 {
		return 0
	}
	if f, ok := parseSpecialFloat(b); ok {
		return f
	}
	f, _ := strconv.ParseFloat(unsafe.String(unsafe.SliceData(b), len(b)), 64) // ±Inf on a range error
	return f
}

// parseSpecialFloat recognizes [+-]inf and [+-]nan in any case.
func parseSpecialFloat(b []byte) (float64, bool) {
	sign := 1.0
	switch b[0] {
	case '-':
		sign = -1
		b = b[1:]
	case '+':
		b = b[1:]
	}
	if len(b) != 3 {
		return 0, false
	}
	c0, c1, c2 := b[0]|0x20, b[1]|0x20, b[2]|0x20 // ASCII lower case
	switch {
	case c0 == 'i' && c1 == 'n' && c2 == 'f':
		return math.Inf(int(sign)), true
	case c0 == 'n' && c1 == 'a' && c2 == 'n':
		return math.NaN(), true
	}
	return 0, false
}

// isDecimal reports whether b matches [+-]? (d+ (. d*)? | . d+) ([eE] [+-]? d+)?.
func isDecimal(b []byte) bool {
	b = trimSign(b)
	i, digits := 0, 0
	for i < len(b) && isDigit(b[i]) {
		i++
		digits++
	}
	if i < len(b) && b[i] == '.' {
		i++
		for i < len(b) && isDigit(b[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i == len(b) {
			return false
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	return i == len(b)
}

// isBigNumber reports whether b is a valid RESP3 big number: [+-]? d+.
func isBigNumber(b []byte) bool { return isDigits(trimSign(b)) }

func trimSign(b []byte) []byte {
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		return b[1:]
	}
	return b
}

func isDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c-'0' <= 9 }
