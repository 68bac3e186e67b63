// Package resp is the wire layer of redkit: a zero-allocation encoder and a
// streaming decoder for the Redis serialization protocol, RESP2 and RESP3.
//
// # Encoding
//
// The Append* functions write RESP into a caller-owned buffer and return the
// extended buffer, in the style of strconv.AppendInt. With a reused buffer
// they do not allocate. AppendCommand and the bulk helpers are what a client
// sends; the remaining encoders (AppendSimpleString, AppendMapLen, ...) are
// what a server sends and exist for fake servers, tests and fixtures.
//
// # Decoding
//
// A Reader decodes one complete top-level value per ReadReply call into a
// Reply, an arena of nodes plus one byte buffer that is reused from call to
// call. Value is a small view of one node; it is valid until the Reply is
// read into or reset again. Message is an owned deep copy for callers that
// want to keep a reply.
//
// Everything in RESP2 and RESP3 is supported:
//
//   - RESP2 nulls ("$-1" and "*-1") decode to KindNull, like RESP3 "_".
//   - Streamed strings ("$?" followed by ";<n>" chunks and ";0") decode to a
//     single KindBulkString; streamed aggregates ("*?", "%?", "~?", ">?",
//     "|?" ended by ".") decode to the ordinary aggregate kind.
//   - An attribute map ('|') before the top-level value is kept and returned
//     by Reply.Attributes. Attributes before nested values are dropped
//     silently; they do not count as elements of the enclosing aggregate.
//     When several attribute maps precede the top-level value, the last one
//     is kept.
//   - Push frames ('>') are returned as a top-level KindPush value; routing
//     them is the caller's job.
//   - Doubles keep their text (Value.Bytes) and are checked for syntax when
//     read; a magnitude beyond float64 reads as ±Inf from Value.Float.
//
// # Limits and errors
//
// The decoder never trusts a declared length. Limits bound bulk lengths,
// declared aggregate lengths and nesting depth; a header line (type byte plus
// text, e.g. a simple string, error, integer, double or big number) may be at
// most MaxLineLen (64 KiB) bytes. Bulk payloads are copied into the Reply as
// they arrive; the buffer grows with received data, never more than 64 KiB
// (plus the usual slice growth) ahead of it, so a hostile header such as
// "$536870912" followed by nothing costs at most one 64 KiB chunk.
// Aggregates are built as linked lists of nodes appended as children arrive,
// so a huge declared count reserves nothing. Nesting is handled with an
// explicit stack, so no input can exhaust the goroutine stack.
//
// Malformed input yields a *ProtocolError naming what was wrong. I/O errors
// are passed through; io.EOF is returned only at a clean reply boundary and
// becomes io.ErrUnexpectedEOF inside a value. An I/O error before the first
// byte of a reply (io.EOF, a read timeout) leaves the Reader usable; after
// any other error the stream position is undefined and the connection should
// be closed.
//
// ParseInt and ParseFloat are strict, allocation-free number parsers for
// decoders built on top of this package (for example for integers and
// doubles that RESP2 servers send as bulk strings). Their errors are
// *NumError, not *ProtocolError, because a bad number inside a well-formed
// reply does not corrupt the stream.
package resp
