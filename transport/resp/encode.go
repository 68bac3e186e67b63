// This file holds the append-style RESP encoders: the client-side command
// encoders, the server-side reply encoders and AppendMessage.

package resp

import (
	"math"
	"strconv"
)

// appendHeader appends a type byte, a decimal number and CRLF. Lengths
// under 100, the usual ones, skip the general formatting.
func appendHeader(b []byte, typ byte, n int64) []byte {
	switch {
	case 0 <= n && n < 10:
		return append(b, typ, byte('0'+n), '\r', '\n')
	case 10 <= n && n < 100:
		return append(b, typ, byte('0'+n/10), byte('0'+n%10), '\r', '\n')
	}
	b = append(b, typ)
	b = strconv.AppendInt(b, n, 10)
	return append(b, '\r', '\n')
}

// AppendArrayLen appends an array header, "*<n>\r\n".
func AppendArrayLen(b []byte, n int) []byte { return appendHeader(b, '*', int64(n)) }

// AppendBulkString appends s as a bulk string, "$<len>\r\n<s>\r\n".
func AppendBulkString(b []byte, s string) []byte {
	b = appendHeader(b, '$', int64(len(s)))
	b = append(b, s...)
	return append(b, '\r', '\n')
}

// AppendBulkBytes appends p as a bulk string, "$<len>\r\n<p>\r\n".
func AppendBulkBytes(b []byte, p []byte) []byte {
	b = appendHeader(b, '$', int64(len(p)))
	b = append(b, p...)
	return append(b, '\r', '\n')
}

// AppendBulkInt appends n in decimal as a bulk string.
func AppendBulkInt(b []byte, n int64) []byte {
	b = appendHeader(b, '$', int64(decimalLen(n)))
	b = strconv.AppendInt(b, n, 10)
	return append(b, '\r', '\n')
}

// AppendBulkUint appends n in decimal as a bulk string.
func AppendBulkUint(b []byte, n uint64) []byte {
	l := 1
	for u := n; u >= 10; u /= 10 {
		l++
	}
	b = appendHeader(b, '$', int64(l))
	b = strconv.AppendUint(b, n, 10)
	return append(b, '\r', '\n')
}

// decimalLen returns the length of n formatted in base 10.
func decimalLen(n int64) int {
	l := 1
	u := uint64(n)
	if n < 0 {
		l++
		u = -u
	}
	for u >= 10 {
		u /= 10
		l++
	}
	return l
}

// AppendBulkFloat appends f as a bulk string the way Redis parses command
// arguments: the shortest decimal that round-trips, without an exponent
// ("1.5", "100000000000000000000", "0.0001"), "+inf", "-inf" or "nan".
func AppendBulkFloat(b []byte, f float64) []byte { return appendBulkFloat(b, f, 64) }

// AppendBulkFloat32 is AppendBulkFloat for a float32: the shortest decimal
// that round-trips as a float32 (0.1, not 0.10000000149011612).
func AppendBulkFloat32(b []byte, f float32) []byte { return appendBulkFloat(b, float64(f), 32) }

func appendBulkFloat(b []byte, f float64, bitSize int) []byte {
	switch {
	case math.IsNaN(f):
		return AppendBulkString(b, "nan")
	case math.IsInf(f, 1):
		return AppendBulkString(b, "+inf")
	case math.IsInf(f, -1):
		return AppendBulkString(b, "-inf")
	}
	// The longest 'f' form of a float64 is about 345 bytes (the smallest
	// subnormal); the scratch buffer stays on the stack.
	var tmp [400]byte
	return AppendBulkBytes(b, strconv.AppendFloat(tmp[:0], f, 'f', -1, bitSize))
}

// AppendCommand appends a whole command, an array of bulk strings.
func AppendCommand(b []byte, args ...string) []byte {
	b = AppendArrayLen(b, len(args))
	for _, a := range args {
		b = AppendBulkString(b, a)
	}
	return b
}

// AppendSimpleString appends "+<s>\r\n". s must not contain CR or LF.
func AppendSimpleString(b []byte, s string) []byte {
	b = append(b, '+')
	b = append(b, s...)
	return append(b, '\r', '\n')
}

// AppendError appends a simple error, "-<text>\r\n". text must not contain
// CR or LF; use AppendBulkError for arbitrary text.
func AppendError(b []byte, text string) []byte {
	b = append(b, '-')
	b = append(b, text...)
	return append(b, '\r', '\n')
}

// AppendInteger appends ":<n>\r\n".
func AppendInteger(b []byte, n int64) []byte { return appendHeader(b, ':', n) }

// AppendNull appends a null: "_\r\n" when proto is 3 or more, the RESP2 null
// bulk string "$-1\r\n" otherwise.
func AppendNull(b []byte, proto int) []byte {
	if proto >= 3 {
		return append(b, '_', '\r', '\n')
	}
	return append(b, "$-1\r\n"...)
}

// AppendNullArray appends the RESP2 null array, "*-1\r\n".
func AppendNullArray(b []byte) []byte { return append(b, "*-1\r\n"...) }

// AppendDouble appends a RESP3 double: ",<f>\r\n" with the shortest
// round-trip form (exponent for very large or small values), or ",inf",
// ",-inf", ",nan".
func AppendDouble(b []byte, f float64) []byte {
	b = append(b, ',')
	switch {
	case math.IsNaN(f):
		b = append(b, "nan"...)
	case math.IsInf(f, 1):
		b = append(b, "inf"...)
	case math.IsInf(f, -1):
		b = append(b, "-inf"...)
	default:
		b = strconv.AppendFloat(b, f, 'g', -1, 64)
	}
	return append(b, '\r', '\n')
}

// AppendBoolean appends "#t\r\n" or "#f\r\n".
func AppendBoolean(b []byte, v bool) []byte {
	if v {
		return append(b, "#t\r\n"...)
	}
	return append(b, "#f\r\n"...)
}

// AppendBigNumber appends "(<s>\r\n"; s is the decimal text.
func AppendBigNumber(b []byte, s string) []byte {
	b = append(b, '(')
	b = append(b, s...)
	return append(b, '\r', '\n')
}

// AppendBulkError appends a RESP3 blob error, "!<len>\r\n<text>\r\n".
func AppendBulkError(b []byte, text string) []byte {
	b = appendHeader(b, '!', int64(len(text)))
	b = append(b, text...)
	return append(b, '\r', '\n')
}

// AppendVerbatim appends a RESP3 verbatim string,
// "=<len>\r\n<format>:<text>\r\n". format should be a three-byte code such as
// "txt" or "mkd"; decoders reject any other length.
func AppendVerbatim(b []byte, format, text string) []byte {
	b = appendHeader(b, '=', int64(len(format)+1+len(text)))
	b = append(b, format...)
	b = append(b, ':')
	b = append(b, text...)
	return append(b, '\r', '\n')
}

// AppendMapLen appends a RESP3 map header for n key/value pairs, "%<n>\r\n".
func AppendMapLen(b []byte, n int) []byte { return appendHeader(b, '%', int64(n)) }

// AppendSetLen appends a RESP3 set header, "~<n>\r\n".
func AppendSetLen(b []byte, n int) []byte { return appendHeader(b, '~', int64(n)) }

// AppendPushLen appends a RESP3 push header, "><n>\r\n".
func AppendPushLen(b []byte, n int) []byte { return appendHeader(b, '>', int64(n)) }

// AppendAttributeLen appends a RESP3 attribute header for n pairs, "|<n>\r\n".
func AppendAttributeLen(b []byte, n int) []byte { return appendHeader(b, '|', int64(n)) }

// AppendMessage encodes m. With proto 3 (or more) it uses the RESP3 form of
// every kind. With proto 2 it uses the RESP2 equivalents Redis sends: a map
// becomes a flat array, a set or push an array, a double or big number a bulk
// string, a boolean an integer, a null "$-1", a verbatim string a bulk string
// of its text and a bulk error a simple error.
//
// A double is written from m.Str when set (keeping the text exactly) and from
// m.Float otherwise. An empty verbatim Format is written as "txt". A Map with
// an odd number of Elems is padded with a null value; KindInvalid is written
// as a null.
func AppendMessage(b []byte, m Message, proto int) []byte {
	resp3 := proto >= 3
	switch m.Kind {
	case KindSimpleString:
		return AppendSimpleString(b, m.Str)
	case KindSimpleError:
		return AppendError(b, m.Str)
	case KindInteger:
		return AppendInteger(b, m.Int)
	case KindBulkString:
		return AppendBulkString(b, m.Str)
	case KindBoolean:
		if resp3 {
			return AppendBoolean(b, m.Bool)
		}
		if m.Bool {
			return AppendInteger(b, 1)
		}
		return AppendInteger(b, 0)
	case KindDouble:
		if m.Str != "" {
			if resp3 {
				b = append(b, ',')
				b = append(b, m.Str...)
				return append(b, '\r', '\n')
			}
			return AppendBulkString(b, m.Str)
		}
		if resp3 {
			return AppendDouble(b, m.Float)
		}
		return AppendBulkFloat(b, m.Float)
	case KindBigNumber:
		if resp3 {
			return AppendBigNumber(b, m.Str)
		}
		return AppendBulkString(b, m.Str)
	case KindBulkError:
		if resp3 {
			return AppendBulkError(b, m.Str)
		}
		return AppendError(b, m.Str)
	case KindVerbatim:
		if !resp3 {
			return AppendBulkString(b, m.Str)
		}
		format := m.Format
		if format == "" {
			format = "txt"
		}
		return AppendVerbatim(b, format, m.Str)
	case KindArray:
		b = AppendArrayLen(b, len(m.Elems))
	case KindSet:
		if resp3 {
			b = AppendSetLen(b, len(m.Elems))
		} else {
			b = AppendArrayLen(b, len(m.Elems))
		}
	case KindPush:
		if resp3 {
			b = AppendPushLen(b, len(m.Elems))
		} else {
			b = AppendArrayLen(b, len(m.Elems))
		}
	case KindMap:
		pairs := (len(m.Elems) + 1) / 2
		if resp3 {
			b = AppendMapLen(b, pairs)
		} else {
			b = AppendArrayLen(b, 2*pairs)
		}
		for _, e := range m.Elems {
			b = AppendMessage(b, e, proto)
		}
		if len(m.Elems)%2 != 0 {
			b = AppendNull(b, proto)
		}
		return b
	default: // KindNull, KindInvalid
		return AppendNull(b, proto)
	}
	for _, e := range m.Elems {
		b = AppendMessage(b, e, proto)
	}
	return b
}
