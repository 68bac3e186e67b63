// This file holds Reader, the streaming RESP2/RESP3 decoder, with its own
// read buffer and the limits that bound what hostile input can cost.

package resp

import (
	"bytes"
	"errors"
	"io"
	"math"
	"slices"
)

// Default decoder limits, used for zero fields of Limits.
const (
	DefaultMaxBulkLen  = 512 << 20 // largest bulk string Redis accepts by default (proto-max-bulk-len)
	DefaultMaxDepth    = 64        // deepest nesting of aggregates
	DefaultMaxElements = 1 << 32   // largest declared aggregate length
)

// MaxLineLen is the longest accepted header line, excluding CRLF: the type
// byte plus a simple string, simple error, integer, double, big number or
// length. Longer lines yield a ProtocolError. Long text comes as bulk
// strings, which are bounded by Limits.MaxBulkLen instead.
const MaxLineLen = 64 << 10

const (
	defaultBufSize = 16 << 10
	minBufSize     = 16
	// bulkChunk is how far ahead of received data a large bulk payload's
	// storage is grown when reading it straight from the connection.
	bulkChunk = 64 << 10
	// maxEmptyReads is how many (0, nil) reads are tolerated in a row.
	maxEmptyReads = 100
)

// Limits bounds what a Reader accepts. Zero or negative fields mean the
// default.
type Limits struct {
	MaxBulkLen  int64 // largest accepted bulk/verbatim/blob-error length (and streamed string total); 0 means DefaultMaxBulkLen (512 MiB)
	MaxDepth    int   // deepest accepted nesting of aggregates; 0 means DefaultMaxDepth (64)
	MaxElements int64 // largest accepted declared aggregate length (pairs for maps); 0 means DefaultMaxElements (1<<32)
}

// frame is an aggregate being filled in.
type frame struct {
	node      int32 // the aggregate's node
	last      int32 // its last child so far, 0 if none
	remaining int64 // children still expected; negative for a streamed aggregate
	count     int64 // children attached so far (stored in the node when complete)
	mark      int   // len(Reply.buf) when the aggregate began (to drop nested attributes)
	attr      bool  // an attribute map
	pairs     bool  // a map or attribute: children come in key/value pairs
}

// Reader is a streaming RESP2/RESP3 decoder over a byte stream with an
// internal read buffer. It is not safe for concurrent use.
type Reader struct {
	rd   io.Reader
	buf  []byte
	r, w int   // buf[r:w] is buffered, unread input
	err  error // read error held back until buffered input is used up

	stack []frame

	maxBulk  int64
	maxDepth int
	maxElems int64
}

// NewReader returns a Reader decoding from rd with a read buffer of size
// bytes (0 or negative means 16 KiB) and the given limits. The buffer grows
// beyond size only to hold a header line longer than size, up to MaxLineLen.
func NewReader(rd io.Reader, size int, lim Limits) *Reader {
	if size <= 0 {
		size = defaultBufSize
	}
	size = max(size, minBufSize)
	r := &Reader{
		rd:       rd,
		buf:      make([]byte, size),
		maxBulk:  lim.MaxBulkLen,
		maxDepth: lim.MaxDepth,
		maxElems: lim.MaxElements,
	}
	if r.maxBulk <= 0 {
		r.maxBulk = DefaultMaxBulkLen
	}
	r.maxBulk = min(r.maxBulk, math.MaxInt/2) // payload offsets must fit an int
	if r.maxDepth <= 0 {
		r.maxDepth = DefaultMaxDepth
	}
	if r.maxElems <= 0 {
		r.maxElems = DefaultMaxElements
	}
	r.maxElems = min(r.maxElems, math.MaxInt64/2) // map child counts are doubled
	return r
}

// Reset discards any buffered input and state and makes r read from rd.
func (r *Reader) Reset(rd io.Reader) {
	r.rd = rd
	r.r, r.w = 0, 0
	r.err = nil
	r.stack = r.stack[:0]
}

// Buffered returns the number of bytes read from the stream but not yet
// decoded.
func (r *Reader) Buffered() int { return r.w - r.r }

// ReadReply reads exactly one top-level value into dst, replacing what dst
// held. A leading attribute map is kept in dst.Attributes(). Push frames
// ('>') come back as a top-level KindPush value. On error dst is left empty;
// see the package documentation for the errors returned.
func (r *Reader) ReadReply(dst *Reply) error {
	dst.Reset()
	if err := r.readReply(dst); err != nil {
		dst.Reset()
		r.stack = r.stack[:0]
		return err
	}
	return nil
}

func (r *Reader) readReply(dst *Reply) error {
	r.stack = r.stack[:0]
	atStart := true
	for {
		if len(dst.nodes) >= maxNodes {
			return protoErrorf("reply has more than %d values", maxNodes)
		}
		var (
			idx  int32
			attr bool
			mark = len(dst.buf)
			fast bool
		)
		if idx, fast = r.fastValue(dst); fast {
			atStart = false
			if done, err := r.finish(dst, idx, false, mark); done || err != nil {
				return err
			}
			continue
		}
		line, err := r.readLine(atStart)
		if err != nil {
			return err
		}
		atStart = false
		typ, body := line[0], line[1:]
		switch typ {
		case '+':
			idx = dst.addBytes(KindSimpleString, body)
		case '-':
			idx = dst.addBytes(KindSimpleError, body)
		case ':':
			n, ok := parseInt(body)
			if !ok {
				return protoErrorf("invalid integer %q", clip(body))
			}
			idx = dst.add(KindInteger, n, 0)
		case '_':
			if len(body) != 0 {
				return protoErrorf("invalid null %q", clip(line))
			}
			idx = dst.add(KindNull, 0, 0)
		case '#':
			if len(body) != 1 || (body[0] != 't' && body[0] != 'f') {
				return protoErrorf("invalid boolean %q", clip(body))
			}
			var v int64
			if body[0] == 't' {
				v = 1
			}
			idx = dst.add(KindBoolean, v, 0)
		case ',':
			if !isDouble(body) {
				return protoErrorf("invalid double %q", clip(body))
			}
			idx = dst.addBytes(KindDouble, body)
		case '(':
			if !isBigNumber(body) {
				return protoErrorf("invalid big number %q", clip(body))
			}
			idx = dst.addBytes(KindBigNumber, body)
		case '$', '!', '=':
			if idx, err = r.readBlob(dst, typ, body); err != nil {
				return err
			}
		case '*', '%', '~', '>', '|':
			n, err := r.aggregateLen(typ, body)
			if err != nil {
				return err
			}
			if n == lenNull {
				idx = dst.add(KindNull, 0, 0)
				break
			}
			if len(r.stack) >= r.maxDepth {
				return protoErrorf("nesting deeper than %d", r.maxDepth)
			}
			kind := aggregateKind(typ)
			attr = typ == '|'
			idx = dst.add(kind, 0, 0)
			if n == 0 {
				break
			}
			if n > 0 && kind == KindMap {
				n *= 2
			}
			r.stack = append(r.stack, frame{node: idx, remaining: n, mark: mark, attr: attr, pairs: kind == KindMap})
			continue
		case '.':
			top := len(r.stack) - 1
			if top < 0 || r.stack[top].remaining >= 0 {
				return protoErrorf("unexpected end marker '.' outside a streamed aggregate")
			}
			if len(body) != 0 {
				return protoErrorf("invalid end marker %q", clip(line))
			}
			f := r.stack[top]
			r.stack = r.stack[:top]
			if f.pairs && f.count%2 != 0 {
				return protoErrorf("streamed map ended after a key without a value")
			}
			dst.nodes[f.node].a = f.count
			idx, attr, mark = f.node, f.attr, f.mark
		case ';':
			return protoErrorf("unexpected string chunk ';' outside a streamed string")
		default:
			return protoErrorf("unexpected type byte %q", typ)
		}
		done, err := r.finish(dst, idx, attr, mark)
		if done || err != nil {
			return err
		}
	}
}

// fastSimpleLen is the longest simple string fastValue handles.
const fastSimpleLen = 32

// fastValue decodes a bulk string, non-negative integer or short simple
// string that is completely buffered, the common cases, without the general
// line scanning. It reports false, consuming nothing, for anything else.
func (r *Reader) fastValue(dst *Reply) (int32, bool) {
	if r.r >= r.w {
		return 0, false
	}
	typ := r.buf[r.r]
	if typ == '+' {
		buf := r.buf[r.r+1 : min(r.w, r.r+1+fastSimpleLen+2)]
		for i, c := range buf {
			if c == '\r' || c == '\n' {
				if c == '\n' || i+1 >= len(buf) || buf[i+1] != '\n' {
					return 0, false
				}
				r.r += 1 + i + 2
				return dst.addBytes(KindSimpleString, buf[:i]), true
			}
		}
		return 0, false
	}
	if typ != '$' && typ != ':' {
		return 0, false
	}
	// Up to 18 digits cannot overflow; longer numbers take the general path.
	buf := r.buf[r.r+1 : r.w]
	var n int64
	i := 0
	for ; i < len(buf) && i < 18; i++ {
		d := buf[i] - '0'
		if d > 9 {
			break
		}
		n = n*10 + int64(d)
	}
	if i == 0 || i+1 >= len(buf) || buf[i] != '\r' || buf[i+1] != '\n' {
		return 0, false
	}
	start := r.r + 1 + i + 2
	if typ == ':' {
		r.r = start
		return dst.add(KindInteger, n, 0), true
	}
	if n > r.maxBulk || int64(r.w-start) < n+2 {
		return 0, false
	}
	end := start + int(n)
	if r.buf[end] != '\r' || r.buf[end+1] != '\n' {
		return 0, false
	}
	r.r = end + 2
	return dst.addBytes(KindBulkString, r.buf[start:end]), true
}

// finish attaches the completed value idx to the aggregate being filled in,
// completing enclosing aggregates in turn. It reports true when the
// top-level value is complete. An attribute map is not attached: at top level
// it is recorded in dst, nested it is dropped (its nodes and bytes, the last
// ones in dst, are truncated away).
func (r *Reader) finish(dst *Reply, idx int32, attr bool, mark int) (bool, error) {
	for {
		if attr {
			if len(r.stack) == 0 {
				dst.attr = idx + 1
			} else {
				dst.nodes = dst.nodes[:idx]
				dst.buf = dst.buf[:mark]
			}
			return false, nil
		}
		top := len(r.stack) - 1
		if top < 0 {
			dst.root = idx + 1
			return true, nil
		}
		f := &r.stack[top]
		if f.last == 0 {
			dst.nodes[f.node].first = idx
		} else {
			dst.nodes[f.last].next = idx
		}
		f.last = idx
		f.count++
		if f.remaining < 0 { // streamed: ends with '.'
			if limit := r.maxElems * (1 + b2i(f.pairs)); f.count > limit {
				return false, protoErrorf("streamed %s has more than %d elements", dst.nodes[f.node].kind, r.maxElems)
			}
			return false, nil
		}
		if f.remaining--; f.remaining > 0 {
			return false, nil
		}
		dst.nodes[f.node].a = f.count
		idx, attr, mark = f.node, f.attr, f.mark
		r.stack = r.stack[:top]
	}
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// Special results of aggregateLen and blobLen.
const (
	lenNull     = -1 // RESP2 null ("$-1", "*-1")
	lenStreamed = -2 // RESP3 streamed ("$?", "*?")
)

func aggregateKind(typ byte) Kind {
	switch typ {
	case '*':
		return KindArray
	case '~':
		return KindSet
	case '>':
		return KindPush
	}
	return KindMap // '%' and '|'
}

// typeName names the value a header introduces, for error messages.
func typeName(typ byte) string {
	switch typ {
	case '$':
		return "bulk"
	case '!':
		return "bulk error"
	case '=':
		return "verbatim"
	case '*':
		return "array"
	case '%':
		return "map"
	case '~':
		return "set"
	case '>':
		return "push"
	case '|':
		return "attribute"
	}
	return string(typ)
}

// aggregateLen parses the length of an aggregate header: the declared count
// (pairs for maps), lenNull or lenStreamed.
func (r *Reader) aggregateLen(typ byte, body []byte) (int64, error) {
	if len(body) == 1 && body[0] == '?' {
		return lenStreamed, nil
	}
	n, ok := parseLen(body)
	switch {
	case !ok:
		return 0, protoErrorf("invalid %s length %q", typeName(typ), clip(body))
	case n == -1 && typ == '*':
		return lenNull, nil
	case n < 0:
		return 0, protoErrorf("invalid %s length %d", typeName(typ), n)
	case n > r.maxElems:
		return 0, protoErrorf("%s length %d exceeds limit %d", typeName(typ), n, r.maxElems)
	}
	return n, nil
}

// readBlob reads a bulk string, bulk error or verbatim string whose header
// body (the length) is body.
func (r *Reader) readBlob(dst *Reply, typ byte, body []byte) (int32, error) {
	n, ok := parseLen(body)
	switch {
	case len(body) == 1 && body[0] == '?' && typ == '$':
		return r.readStreamed(dst)
	case !ok:
		return 0, protoErrorf("invalid %s length %q", typeName(typ), clip(body))
	case n == -1 && typ == '$':
		return dst.add(KindNull, 0, 0), nil
	case n < 0:
		return 0, protoErrorf("invalid %s length %d", typeName(typ), n)
	case n > r.maxBulk:
		return 0, protoErrorf("%s length %d exceeds limit %d", typeName(typ), n, r.maxBulk)
	}
	off := int64(len(dst.buf))
	if err := r.readPayload(dst, n); err != nil {
		return 0, err
	}
	switch typ {
	case '!':
		return dst.add(KindBulkError, off, n), nil
	case '=':
		if n < 4 || dst.buf[off+3] != ':' {
			return 0, protoErrorf("verbatim string %q lacks a 3-byte format prefix", clip(dst.buf[off:]))
		}
		return dst.add(KindVerbatim, off+4, n-4), nil
	}
	return dst.add(KindBulkString, off, n), nil
}

// readStreamed reads the chunks of a streamed string ("$?") into one bulk
// string.
func (r *Reader) readStreamed(dst *Reply) (int32, error) {
	off := int64(len(dst.buf))
	var total int64
	for {
		line, err := r.readLine(false)
		if err != nil {
			return 0, err
		}
		if line[0] != ';' {
			return 0, protoErrorf("expected string chunk ';' in streamed string, got type byte %q", line[0])
		}
		n, ok := parseLen(line[1:])
		switch {
		case !ok || n < 0:
			return 0, protoErrorf("invalid string chunk length %q", clip(line[1:]))
		case n == 0:
			return dst.add(KindBulkString, off, total), nil
		case n > r.maxBulk-total:
			return 0, protoErrorf("streamed string length exceeds limit %d", r.maxBulk)
		}
		if err := r.readPayload(dst, n); err != nil {
			return 0, err
		}
		total += n
	}
}

// readPayload appends the next n bytes to dst.buf and consumes the CRLF that
// must follow them. Storage grows only as data arrives.
func (r *Reader) readPayload(dst *Reply, n int64) error {
	if int64(r.w-r.r) >= n+2 { // fast path: all buffered
		end := r.r + int(n)
		if r.buf[end] != '\r' || r.buf[end+1] != '\n' {
			return errBulkCRLF
		}
		dst.buf = append(dst.buf, r.buf[r.r:end]...)
		r.r = end + 2
		return nil
	}
	for rem := n; rem > 0; {
		if r.r < r.w {
			k := int(min(int64(r.w-r.r), rem))
			dst.buf = append(dst.buf, r.buf[r.r:r.r+k]...)
			r.r += k
			rem -= int64(k)
			continue
		}
		if rem < int64(len(r.buf)) {
			if err := r.fill(); err != nil {
				return unexpected(err)
			}
			continue
		}
		// Large remainder and nothing buffered: read straight into dst,
		// growing it at most bulkChunk beyond what has arrived.
		dst.buf = slices.Grow(dst.buf, int(min(rem, bulkChunk)))
		l := len(dst.buf)
		k, err := r.readDirect(dst.buf[l : l+int(min(int64(cap(dst.buf)-l), rem))])
		dst.buf = dst.buf[:l+k]
		rem -= int64(k)
		if err != nil {
			return unexpected(err)
		}
	}
	for r.w-r.r < 2 {
		if err := r.fill(); err != nil {
			return unexpected(err)
		}
	}
	if r.buf[r.r] != '\r' || r.buf[r.r+1] != '\n' {
		return errBulkCRLF
	}
	r.r += 2
	return nil
}

var errBulkCRLF = &ProtocolError{Msg: "bulk payload not followed by CRLF"}

// unexpected turns io.EOF inside a value into io.ErrUnexpectedEOF.
func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// readLine returns the next line without its CRLF, which is at least one
// byte long (the type byte). The line is a view of the read buffer, valid
// until the next read. atStart reports whether the line starts a reply, where
// io.EOF with nothing buffered is a clean end of stream.
func (r *Reader) readLine(atStart bool) ([]byte, error) {
	scanned := 0 // bytes after r.r known to hold no '\n'
	for {
		if i := bytes.IndexByte(r.buf[r.r+scanned:r.w], '\n'); i >= 0 {
			end := r.r + scanned + i
			line := r.buf[r.r:end]
			r.r = end + 1
			if len(line) == 0 || line[len(line)-1] != '\r' {
				return nil, protoErrorf("line %q not terminated by CRLF", clip(line))
			}
			line = line[:len(line)-1]
			switch {
			case len(line) == 0:
				return nil, protoErrorf("empty line where a type byte was expected")
			case len(line) > MaxLineLen:
				return nil, protoErrorf("line too long (limit %d bytes)", MaxLineLen)
			}
			return line, nil
		}
		scanned = r.w - r.r
		if scanned > MaxLineLen+1 {
			return nil, protoErrorf("line too long (limit %d bytes)", MaxLineLen)
		}
		if err := r.fill(); err != nil {
			if err == io.EOF && (!atStart || r.w > r.r) {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
}

// Prefetch reads what input is available into the buffer without
// consuming any frame: the next ReadReply starts with it. It returns the
// read's error (a timeout when the caller's deadline passed first).
func (r *Reader) Prefetch() error {
	err := r.fill()
	if r.err != nil { // data came with an error: report it now, keep the data
		err, r.err = r.err, nil
	}
	return err
}

// fill reads more input into the buffer, making room first: it drops
// consumed bytes, and if the buffer is full of unread bytes (a long line) it
// grows the buffer, up to what MaxLineLen needs.
func (r *Reader) fill() error {
	if r.err != nil {
		err := r.err
		r.err = nil
		return err
	}
	switch {
	case r.r == r.w:
		r.r, r.w = 0, 0
	case r.w == len(r.buf) && r.r > 0:
		r.w = copy(r.buf, r.buf[r.r:r.w])
		r.r = 0
	case r.w == len(r.buf):
		nb := make([]byte, min(2*len(r.buf), max(MaxLineLen+2, len(r.buf)+1)))
		r.w = copy(nb, r.buf[r.r:r.w])
		r.r = 0
		r.buf = nb
	}
	for range maxEmptyReads {
		n, err := r.rd.Read(r.buf[r.w:])
		if n < 0 || n > len(r.buf)-r.w {
			return errBadRead
		}
		r.w += n
		if n > 0 {
			r.err = err
			return nil
		}
		if err != nil {
			return err
		}
	}
	return io.ErrNoProgress
}

// readDirect reads into p, bypassing the buffer.
func (r *Reader) readDirect(p []byte) (int, error) {
	if r.err != nil {
		err := r.err
		r.err = nil
		return 0, err
	}
	for range maxEmptyReads {
		n, err := r.rd.Read(p)
		if n < 0 || n > len(p) {
			return 0, errBadRead
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
	return 0, io.ErrNoProgress
}

var errBadRead = errors.New("resp: underlying reader returned an invalid count")
