package redisclient

// This file is the builder runtime behind the generated command types: a
// value type that accumulates a command's arguments with their wire
// positions, so that command values can be copied, reused and run
// concurrently, and that builds a transport.Command when one runs.

import (
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redkit-go/redkit/transport"
)

// inlineArgs is how many arguments a command value holds without
// allocating. Most commands fit (SET key value EX 10 has five).
const inlineArgs = 8

// countArg marks a placeholder argument whose value is computed when the
// command is finalized (numkeys, numfields, nargs).
type slotInfo struct {
	pos uint16
	// countOf is the position a count placeholder counts (0 for normal
	// arguments); countPer is how many arguments make one item.
	countOf  uint16
	countPer uint16
}

// builder accumulates arguments. The zero value is an empty builder.
//
// Arguments beyond inlineArgs live in a shared overflow buffer. Copies of
// a builder share it; an append claims the next free slot atomically, and a
// copy that finds its slot taken (another copy appended first) makes its
// own buffer, so copies never see each other's arguments.
type builder struct {
	args [inlineArgs]transport.Arg
	info [inlineArgs]slotInfo
	n    int
	more *overflow
	meta transport.Meta
	err  error
	// counted is set once a count placeholder was added.
	counted bool
}

// overflow holds arguments past inlineArgs. used counts claimed slots.
type overflow struct {
	used atomic.Int32
	args []transport.Arg
	info []slotInfo
}

// start begins a command with its metadata.
func (b *builder) start(meta transport.Meta) { b.meta = meta }

// add appends one argument at a wire position.
func (b *builder) add(pos uint16, a transport.Arg) { b.addInfo(slotInfo{pos: pos}, a) }

func (b *builder) addInfo(info slotInfo, a transport.Arg) {
	if b.n < inlineArgs {
		b.args[b.n], b.info[b.n] = a, info
		b.n++
		return
	}
	i := b.n - inlineArgs
	if b.more == nil || i >= len(b.more.args) || !b.more.used.CompareAndSwap(int32(i), int32(i+1)) {
		b.grow(i)
	}
	b.more.args[i], b.more.info[i] = a, info
	b.n++
}

// grow gives b a private overflow buffer with room past index i, holding a
// copy of its first i overflow arguments, and claims slot i.
func (b *builder) grow(i int) {
	size := 2 * (i + 1)
	if size < inlineArgs {
		size = inlineArgs
	}
	o := &overflow{args: make([]transport.Arg, size), info: make([]slotInfo, size)}
	if b.more != nil {
		copy(o.args, b.more.args[:i])
		copy(o.info, b.more.info[:i])
	}
	o.used.Store(int32(i + 1))
	b.more = o
}

// at returns argument i and its slot information.
func (b *builder) at(i int) (transport.Arg, slotInfo) {
	if i < inlineArgs {
		return b.args[i], b.info[i]
	}
	return b.more.args[i-inlineArgs], b.more.info[i-inlineArgs]
}

func (b *builder) tok(pos uint16, s string) { b.add(pos, transport.String(s)) }

// keyPattern appends a key-name pattern (SORT BY and GET): prefixed like
// keys, except "#" (the element itself) and "nosort", which name no key.
func (b *builder) keyPattern(pos uint16, p string) {
	if p == "#" || strings.EqualFold(p, "nosort") {
		b.str(pos, p)
		return
	}
	b.add(pos, transport.KeyPattern(p))
}
func (b *builder) str(pos uint16, s string) { b.add(pos, transport.String(s)) }
func (b *builder) key(pos uint16, k string) { b.add(pos, transport.Key(k)) }
func (b *builder) i64(pos uint16, n int64)  { b.add(pos, transport.Int(n)) }
func (b *builder) f64(pos uint16, f float64) {
	b.add(pos, transport.Float(f))
}

// Durations and times are rounded up to the unit the server takes, never
// down: a short positive duration must not become 0, which means "block
// forever" or "expire now" to the server, and a deadline must not come
// early. Negative values are sent as they are (rounded up too): the server
// rejects them where they make no sense, and EXPIRE and its kin delete the
// key, as they do for any time in the past.

// ceilDiv returns d/unit rounded towards positive infinity.
func ceilDiv(d, unit time.Duration) int64 {
	q := d / unit
	if d%unit > 0 {
		q++
	}
	return int64(q)
}

// unixCeil returns t in Unix seconds, rounded up.
func unixCeil(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() != 0 {
		s++
	}
	return s
}

// unixMilliCeil returns t in Unix milliseconds, rounded up.
func unixMilliCeil(t time.Time) int64 {
	ms := t.UnixMilli()
	if t.Nanosecond()%int(time.Millisecond) != 0 {
		ms++
	}
	return ms
}

// durS appends a duration in whole seconds, rounded up.
func (b *builder) durS(pos uint16, d time.Duration) { b.i64(pos, ceilDiv(d, time.Second)) }

// durMs appends a duration in whole milliseconds, rounded up.
func (b *builder) durMs(pos uint16, d time.Duration) { b.i64(pos, ceilDiv(d, time.Millisecond)) }

// durSOrMs appends a seconds-valued option of a choice that also offers
// the millisecond form: sTok and whole seconds when d is a whole number of
// seconds, otherwise msTok and milliseconds (SET ... EX 2, SET ... PX 1500).
func (b *builder) durSOrMs(pos uint16, sTok, msTok string, d time.Duration) {
	if d%time.Second == 0 {
		b.tok(pos, sTok)
		b.i64(pos, int64(d/time.Second))
		return
	}
	b.tok(pos, msTok)
	b.durMs(pos, d)
}

// durSec appends a duration as (fractional) seconds.
func (b *builder) durSec(pos uint16, d time.Duration) { b.f64(pos, d.Seconds()) }

// timeS appends a time in Unix seconds, rounded up.
func (b *builder) timeS(pos uint16, t time.Time) { b.i64(pos, unixCeil(t)) }

// timeMs appends a time in Unix milliseconds, rounded up.
func (b *builder) timeMs(pos uint16, t time.Time) { b.i64(pos, unixMilliCeil(t)) }

// timeSOrMs is durSOrMs for times: sTok and Unix seconds when t falls on a
// whole second, otherwise msTok and Unix milliseconds (EXAT or PXAT).
func (b *builder) timeSOrMs(pos uint16, sTok, msTok string, t time.Time) {
	if t.Nanosecond() == 0 {
		b.tok(pos, sTok)
		b.i64(pos, t.Unix())
		return
	}
	b.tok(pos, msTok)
	b.timeMs(pos, t)
}

// count appends a placeholder for the number of items at position of.
func (b *builder) count(pos, of, per uint16) {
	b.counted = true
	b.addInfo(slotInfo{pos: pos, countOf: of, countPer: per}, transport.Int(0))
}

// drop removes the arguments at wire position pos, for an option whose
// value takes the place of an argument already added (RESTORE ... ABSTTL).
// The remaining arguments are copied, so copies of the builder are not
// affected.
func (b *builder) drop(pos uint16) {
	old := *b
	b.n, b.more, b.counted = 0, nil, false
	for i := 0; i < old.n; i++ {
		a, in := old.at(i)
		if in.pos == pos && in.countOf == 0 {
			continue
		}
		if in.countOf != 0 {
			b.counted = true
		}
		b.addInfo(in, a)
	}
}

// unitArg is implemented by every unit type (choices and repeated blocks
// with options), whose arguments are added as one group.
type unitArg interface {
	appendUnit(dst *builder, pos uint16)
}

// unit appends a unit's arguments at pos.
func (b *builder) unit(pos uint16, name string, u unitArg) {
	if u == nil {
		b.fail(fmt.Errorf("%s: missing value (nil)", name))
		return
	}
	u.appendUnit(b, pos)
}

// appendGroup appends the finalized arguments of sub at pos.
func (b *builder) appendGroup(pos uint16, sub *builder) {
	if sub.err != nil {
		b.fail(sub.err)
	}
	sub.each(func(a transport.Arg) { b.add(pos, a) })
}

// fail records the first build error; the command then fails before it
// is sent.
func (b *builder) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

// sorted reports whether positions never decrease.
func (b *builder) sorted() bool {
	var last uint16
	for i := 0; i < b.n; i++ {
		_, in := b.at(i)
		if in.pos < last {
			return false
		}
		last = in.pos
	}
	return true
}

// each calls f with every argument in wire order, counts resolved.
func (b *builder) each(f func(transport.Arg)) {
	if b.sorted() {
		for i := 0; i < b.n; i++ {
			a, in := b.at(i)
			f(b.resolve(a, in))
		}
		return
	}
	// Stable order by position: small index sort, no allocation for
	// commands that fit inline.
	var small [inlineArgs * 2]uint16
	idx := small[:0]
	if b.n > len(small) {
		idx = make([]uint16, 0, b.n)
	}
	for i := 0; i < b.n; i++ {
		idx = append(idx, uint16(i))
	}
	for i := 1; i < len(idx); i++ {
		_, ci := b.at(int(idx[i]))
		j := i
		for j > 0 {
			_, cj := b.at(int(idx[j-1]))
			if cj.pos <= ci.pos {
				break
			}
			j--
		}
		if j != i {
			v := idx[i]
			copy(idx[j+1:i+1], idx[j:i])
			idx[j] = v
		}
	}
	for _, i := range idx {
		a, in := b.at(int(i))
		f(b.resolve(a, in))
	}
}

// resolve computes a count placeholder.
func (b *builder) resolve(a transport.Arg, in slotInfo) transport.Arg {
	if in.countOf == 0 {
		return a
	}
	n := 0
	for i := 0; i < b.n; i++ {
		if _, o := b.at(i); o.pos == in.countOf && o.countOf == 0 {
			n++
		}
	}
	return transport.Int(int64(n / int(in.countPer)))
}

// command builds a pooled transport.Command from the builder; the caller
// releases it.
func (b *builder) command() *transport.Command { return b.fill(transport.AcquireCommand()) }

// fill builds the command b describes into the empty command c.
func (b *builder) fill(c *transport.Command) *transport.Command {
	c.SetMeta(b.meta)
	if b.n <= inlineArgs && !b.counted && b.sorted() {
		// The usual command: its arguments in order, nothing to count.
		for i := 0; i < b.n; i++ {
			c.Append(b.args[i])
		}
		return c
	}
	b.each(c.Append)
	return c
}
