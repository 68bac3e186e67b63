package cmdimpl

// This file is the Builder runtime behind the generated command types: a
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

// Builder accumulates arguments. The zero value is an empty Builder.
//
// Arguments beyond inlineArgs live in a shared overflow buffer. Copies of
// a Builder share it; an append claims the next free slot atomically, and a
// copy that finds its slot taken (another copy appended first) makes its
// own buffer, so copies never see each other's arguments.
type Builder struct {
	args [inlineArgs]transport.Arg
	info [inlineArgs]slotInfo
	n    int
	more *overflow
	meta transport.Meta
	err  error
	// onlyWhat names the option that last narrowed meta.Servers (Only),
	// for the command a group is appended to (AppendGroup).
	onlyWhat string
	// counted is set once a count placeholder was added.
	counted bool
	// required are the repeated groups the command needs at least one of
	// (Require), checked when it is built.
	required []requiredGroup
}

// requiredGroup is a repeated group a command needs at least one of: its
// wire position and its name for the error.
type requiredGroup struct {
	pos  uint16
	what string
}

// overflow holds arguments past inlineArgs. used counts claimed slots.
type overflow struct {
	used atomic.Int32
	args []transport.Arg
	info []slotInfo
}

// Start begins a command with its metadata.
func (b *Builder) Start(meta transport.Meta) { b.meta = meta }

// Add appends one argument at a wire position. Arguments are sent in
// position order, in the order added within a position.
func (b *Builder) Add(pos uint16, a transport.Arg) { b.addInfo(slotInfo{pos: pos}, a) }

func (b *Builder) addInfo(info slotInfo, a transport.Arg) {
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
func (b *Builder) grow(i int) {
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
func (b *Builder) at(i int) (transport.Arg, slotInfo) {
	if i < inlineArgs {
		return b.args[i], b.info[i]
	}
	return b.more.args[i-inlineArgs], b.more.info[i-inlineArgs]
}

// AddFlags sets extra command flags (an option that makes the command
// blocking, say).
func (b *Builder) AddFlags(f transport.Flags) { b.meta.Flags |= f }

// ClearFlags clears command flags.
func (b *Builder) ClearFlags(f transport.Flags) { b.meta.Flags &^= f }

// Only narrows the servers that accept the command to those of s (an
// option only one server has). Options of two servers that share none make
// the command a build error naming what, the last option, requires.
func (b *Builder) Only(what string, s transport.Servers) {
	have := b.meta.Servers
	if have == 0 {
		have = transport.AnyServer
	}
	if have&s == 0 {
		b.Fail(fmt.Errorf("%s is %s-only syntax, and the command already has %s-only syntax", what, s, have))
		return
	}
	b.meta.Servers = have & s
	b.onlyWhat = what
}

// Require says that the command needs at least one argument at wire
// position pos: a required repeated group that no constructor parameter
// takes (CLUSTER MIGRATESLOTS's SLOTSRANGE ... NODE ... groups, added by
// a method). Built without one, the command is a BuildError naming what.
func (b *Builder) Require(pos uint16, what string) {
	// A copy of the list: builders that share it (copies of one value)
	// never see each other's requirements.
	b.required = append(b.required[:len(b.required):len(b.required)], requiredGroup{pos: pos, what: what})
}

// missing returns the first required group without an argument, or "".
func (b *Builder) missing() string {
	for _, r := range b.required {
		found := false
		for i := 0; i < b.n && !found; i++ {
			_, in := b.at(i)
			found = in.pos == r.pos
		}
		if !found {
			return r.what
		}
	}
	return ""
}

// RouteKey appends an argument that routes the command by its hash slot
// on a cluster without being a key (no key prefix): CLUSTERSCAN's cursor.
func (b *Builder) RouteKey(pos uint16, s string) { b.Add(pos, transport.RouteKey(s)) }

// Tok appends a literal token (a command word, an option name).
func (b *Builder) Tok(pos uint16, s string) { b.Add(pos, transport.String(s)) }

// KeyPattern appends a key-name pattern (SORT BY and GET): prefixed like
// keys, except "#" (the element itself) and "nosort", which name no key.
func (b *Builder) KeyPattern(pos uint16, p string) {
	if p == "#" || strings.EqualFold(p, "nosort") {
		b.Str(pos, p)
		return
	}
	b.Add(pos, transport.KeyPattern(p))
}

// Str appends a string value.
func (b *Builder) Str(pos uint16, s string) { b.Add(pos, transport.String(s)) }

// Key appends a key name (prefixed with the client's key prefix and used
// for routing).
func (b *Builder) Key(pos uint16, k string) { b.Add(pos, transport.Key(k)) }

// Int appends an integer in decimal.
func (b *Builder) Int(pos uint16, n int64) { b.Add(pos, transport.Int(n)) }

// Float appends a float as the shortest decimal that reads back the same.
func (b *Builder) Float(pos uint16, f float64) {
	b.Add(pos, transport.Float(f))
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

// DurS appends a duration in whole seconds, rounded up.
func (b *Builder) DurS(pos uint16, d time.Duration) { b.Int(pos, ceilDiv(d, time.Second)) }

// DurMs appends a duration in whole milliseconds, rounded up.
func (b *Builder) DurMs(pos uint16, d time.Duration) { b.Int(pos, ceilDiv(d, time.Millisecond)) }

// DurSOrMs appends a seconds-valued option of a choice that also offers
// the millisecond form: sTok and whole seconds when d is a whole number of
// seconds, otherwise msTok and milliseconds (SET ... EX 2, SET ... PX 1500).
func (b *Builder) DurSOrMs(pos uint16, sTok, msTok string, d time.Duration) {
	if d%time.Second == 0 {
		b.Tok(pos, sTok)
		b.Int(pos, int64(d/time.Second))
		return
	}
	b.Tok(pos, msTok)
	b.DurMs(pos, d)
}

// DurSec appends a duration as (fractional) seconds.
func (b *Builder) DurSec(pos uint16, d time.Duration) { b.Float(pos, d.Seconds()) }

// TimeS appends a time in Unix seconds, rounded up.
func (b *Builder) TimeS(pos uint16, t time.Time) { b.Int(pos, unixCeil(t)) }

// TimeMs appends a time in Unix milliseconds, rounded up.
func (b *Builder) TimeMs(pos uint16, t time.Time) { b.Int(pos, unixMilliCeil(t)) }

// TimeSOrMs is DurSOrMs for times: sTok and Unix seconds when t falls on a
// whole second, otherwise msTok and Unix milliseconds (EXAT or PXAT).
func (b *Builder) TimeSOrMs(pos uint16, sTok, msTok string, t time.Time) {
	if t.Nanosecond() == 0 {
		b.Tok(pos, sTok)
		b.Int(pos, t.Unix())
		return
	}
	b.Tok(pos, msTok)
	b.TimeMs(pos, t)
}

// Count appends a placeholder for the number of items at position of.
func (b *Builder) Count(pos, of, per uint16) {
	b.counted = true
	b.addInfo(slotInfo{pos: pos, countOf: of, countPer: per}, transport.Int(0))
}

// Drop removes the arguments at wire position pos, for an option whose
// value takes the place of an argument already added (RESTORE ... ABSTTL).
// The remaining arguments are copied, so copies of the Builder are not
// affected.
func (b *Builder) Drop(pos uint16) {
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

// UnitArg is implemented by every unit type (choices and repeated blocks
// with options), whose arguments are added as one group.
type UnitArg interface {
	// AppendUnit appends the unit's arguments to dst at pos.
	AppendUnit(dst *Builder, pos uint16)
}

// Unit appends a unit's arguments at pos.
func (b *Builder) Unit(pos uint16, name string, u UnitArg) {
	if u == nil {
		b.Fail(fmt.Errorf("%s: missing value (nil)", name))
		return
	}
	u.AppendUnit(b, pos)
}

// AppendGroup appends the finalized arguments of sub at pos, and narrows
// the command to the servers sub was narrowed to (a one-server option
// inside a unit).
func (b *Builder) AppendGroup(pos uint16, sub *Builder) {
	if sub.err != nil {
		b.Fail(sub.err)
	}
	if sub.meta.Servers != 0 {
		b.Only(sub.onlyWhat, sub.meta.Servers)
	}
	if what := sub.missing(); what != "" {
		b.Fail(errRequired(what))
	}
	sub.each(func(a transport.Arg) { b.Add(pos, a) })
}

// Fail records the first build error; the command then fails before it
// is sent.
func (b *Builder) Fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

// sorted reports whether positions never decrease.
func (b *Builder) sorted() bool {
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
func (b *Builder) each(f func(transport.Arg)) {
	if b.sorted() {
		for i := 0; i < b.n; i++ {
			a, in := b.at(i)
			f(b.resolveArg(a, in))
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
		f(b.resolveArg(a, in))
	}
}

// resolveArg computes a count placeholder.
func (b *Builder) resolveArg(a transport.Arg, in slotInfo) transport.Arg {
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

// command builds a pooled transport.Command from the Builder; the caller
// releases it.
func (b *Builder) command() *transport.Command { return b.fill(transport.AcquireCommand()) }

// fill builds the command b describes into the empty command c.
func (b *Builder) fill(c *transport.Command) *transport.Command {
	c.SetMeta(b.meta)
	if b.n > 1 {
		// The command's name words are its leading arguments at position
		// 0 (CLUSTER REPLICATE), for the errors that name it.
		if _, in := b.at(1); in.pos == 0 {
			c.SetNameWords(2)
		}
	}
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
