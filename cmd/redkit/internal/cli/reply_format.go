package cli

// This file renders replies the way redis-cli 7 does: formatReply for a
// terminal ("(integer) 1", quoted strings, numbered nested lists, "1# k => v"
// maps) and formatRaw for --raw (bare values, one per line).

import (
	"strconv"
	"strings"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport/resp"
)

// formatReply renders m like redis-cli's standard output, ending in a newline.
func formatReply(m resp.Message) string {
	var b strings.Builder
	writeReply(&b, m, "")
	return b.String()
}

// formatErrorReply renders an error reply like redis-cli: "(error) ERR ...".
func formatErrorReply(text string) string { return "(error) " + text + "\n" }

func writeReply(b *strings.Builder, m resp.Message, prefix string) {
	switch m.Kind {
	case resp.KindNull:
		b.WriteString("(nil)\n")
	case resp.KindInteger:
		b.WriteString("(integer) " + strconv.FormatInt(m.Int, 10) + "\n")
	case resp.KindSimpleString, resp.KindVerbatim:
		b.WriteString(m.Str + "\n")
	case resp.KindBulkString:
		b.WriteString(redisclient.QuoteArg(m.Str) + "\n")
	case resp.KindSimpleError, resp.KindBulkError:
		b.WriteString(formatErrorReply(m.Str))
	case resp.KindDouble:
		b.WriteString("(double) " + m.Str + "\n")
	case resp.KindBigNumber:
		b.WriteString("(big number) " + m.Str + "\n")
	case resp.KindBoolean:
		if m.Bool {
			b.WriteString("(true)\n")
		} else {
			b.WriteString("(false)\n")
		}
	case resp.KindArray, resp.KindSet, resp.KindPush, resp.KindMap:
		writeAggregate(b, m, prefix)
	default:
		b.WriteString("(unknown reply type " + m.Kind.String() + ")\n")
	}
}

var emptyAggregate = map[resp.Kind]string{
	resp.KindArray: "(empty array)\n",
	resp.KindSet:   "(empty set)\n",
	resp.KindPush:  "(empty push)\n",
	resp.KindMap:   "(empty hash)\n",
}

// writeAggregate numbers the elements ("1) ", "1~ " for sets, "1# k => v"
// for maps), right-aligning the numbers and indenting nested aggregates by
// the width of their parent's numbers, as redis-cli does.
func writeAggregate(b *strings.Builder, m resp.Message, prefix string) {
	if len(m.Elems) == 0 {
		b.WriteString(emptyAggregate[m.Kind])
		return
	}
	count, sep := len(m.Elems), ")"
	switch m.Kind {
	case resp.KindMap:
		count, sep = count/2, "#"
	case resp.KindSet:
		sep = "~"
	}
	width := len(strconv.Itoa(count))
	inner := prefix + strings.Repeat(" ", width+2)
	for i := 0; i < len(m.Elems); i++ {
		idx := i + 1
		if m.Kind == resp.KindMap {
			idx = i/2 + 1
		}
		if i > 0 {
			b.WriteString(prefix)
		}
		n := strconv.Itoa(idx)
		b.WriteString(strings.Repeat(" ", width-len(n)) + n + sep + " ")
		if m.Kind != resp.KindMap {
			writeReply(b, m.Elems[i], inner)
			continue
		}
		var key strings.Builder
		writeReply(&key, m.Elems[i], inner)
		b.WriteString(strings.TrimSuffix(key.String(), "\n") + " => ")
		i++
		var v resp.Message // a map's entries come in pairs; a missing value shows as (nil)
		if i < len(m.Elems) {
			v = m.Elems[i]
		} else {
			v.Kind = resp.KindNull
		}
		if isAggregate(v.Kind) && len(v.Elems) > 0 {
			b.WriteString("\n" + inner)
		}
		writeReply(b, v, inner)
	}
}

func isAggregate(k resp.Kind) bool {
	return k == resp.KindArray || k == resp.KindSet || k == resp.KindPush || k == resp.KindMap
}

// formatRaw renders m like redis-cli --raw: bare values, elements of
// aggregates one per line, a map entry as "key value", ending in a newline.
func formatRaw(m resp.Message) string { return raw(m) + "\n" }

// formatRawError renders an error reply like redis-cli --raw.
func formatRawError(text string) string { return text + "\n\n" }

func raw(m resp.Message) string {
	switch m.Kind {
	case resp.KindNull:
		return ""
	case resp.KindInteger:
		return strconv.FormatInt(m.Int, 10)
	case resp.KindBoolean:
		if m.Bool {
			return "(true)"
		}
		return "(false)"
	case resp.KindSimpleError, resp.KindBulkError:
		return m.Str + "\n"
	case resp.KindMap:
		var parts []string
		for i := 0; i+1 < len(m.Elems); i += 2 {
			parts = append(parts, raw(m.Elems[i])+" "+raw(m.Elems[i+1]))
		}
		return strings.Join(parts, "\n")
	case resp.KindArray, resp.KindSet, resp.KindPush:
		parts := make([]string, len(m.Elems))
		for i, e := range m.Elems {
			parts[i] = raw(e)
		}
		return strings.Join(parts, "\n")
	default:
		return m.Str
	}
}
