// Package transport is the connection layer of redkit: the Command value that
// higher layers build and routers route, the RESP connection with
// auto-pipelining, the connection pool, dialing and the handshake, and
// reconnection. It knows nothing of clusters, sentinels or command names
// beyond the handshake: it never follows redirects and never picks nodes.
package transport

// This file defines Command, the unit of work that crosses every layer: its
// encoded arguments, the flags the routers need, its key slot, and the
// storage its reply is read into.

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/maphash"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/redkit-go/redkit/transport/resp"
)

// Flags describe a command for routers and connections. They come from the
// command specification and are set when the command is built.
type Flags uint32

// Command flags.
const (
	// FlagReadOnly marks commands that do not modify data; they may be
	// retried after a dropped connection and sent to replicas.
	FlagReadOnly Flags = 1 << iota
	// FlagWrite marks commands that may modify data.
	FlagWrite
	// FlagBlocking marks commands that may block the connection (BLPOP,
	// XREAD BLOCK, WAIT, ...); they run on dedicated connections.
	FlagBlocking
	// FlagNoKey marks commands without key arguments.
	FlagNoKey
	// FlagPubSub marks publish/subscribe commands.
	FlagPubSub
	// FlagAdmin marks administrative commands.
	FlagAdmin
	// FlagMayReplicate marks commands that may replicate to replicas even
	// though they do not write keys (PUBLISH, EVAL, ...).
	FlagMayReplicate
	// FlagNoMulti marks commands that cannot run inside MULTI.
	FlagNoMulti
	// FlagTransaction marks MULTI, EXEC, DISCARD, WATCH and UNWATCH, which
	// carry connection state and need a dedicated connection.
	FlagTransaction
	// FlagConnState marks commands that change connection state (SELECT,
	// CLIENT REPLY, RESET, HELLO, AUTH, READONLY, ...): they must not run on
	// shared connections.
	FlagConnState
	// FlagCacheable marks read-only single-key commands whose replies a
	// client-side cache may keep.
	FlagCacheable
	// FlagCrossSlot is set when the keys of the command hash to more than
	// one slot.
	FlagCrossSlot
	// FlagScript marks commands that run scripts or functions.
	FlagScript
	// FlagLoading marks commands allowed while the server loads its data.
	FlagLoading
)

// RequestPolicy says where a cluster router sends a keyless command.
type RequestPolicy uint8

// Request policies, from the command tips.
const (
	RequestDefault RequestPolicy = iota
	RequestAllNodes
	RequestAllShards
	RequestMultiShard
	RequestSpecial
)

// ResponsePolicy says how a router combines the replies of several nodes.
type ResponsePolicy uint8

// Response policies, from the command tips.
const (
	ResponseDefault ResponsePolicy = iota
	ResponseOneSucceeded
	ResponseAllSucceeded
	ResponseAggLogicalAnd
	ResponseAggLogicalOr
	ResponseAggMin
	ResponseAggMax
	ResponseAggSum
	ResponseSpecial
)

// Servers is a set of server kinds: the servers that accept a command as
// built. The zero value is the empty set, which Meta reads as "any server".
type Servers uint8

// Server kinds, as the handshake's HELLO reply names them ("server").
const (
	// ServerRedis is Redis.
	ServerRedis Servers = 1 << iota
	// ServerValkey is Valkey.
	ServerValkey

	// AnyServer is every server kind.
	AnyServer = ServerRedis | ServerValkey
)

// String names the set: "redis", "valkey", "redis or valkey", or "no server".
func (s Servers) String() string {
	switch s & AnyServer {
	case ServerRedis:
		return "redis"
	case ServerValkey:
		return "valkey"
	case AnyServer:
		return "redis or valkey"
	}
	return "no server"
}

// Meta is what the specification says about a command, fixed when it is
// built.
type Meta struct {
	Flags    Flags
	Request  RequestPolicy
	Response ResponsePolicy
	// Servers are the servers that accept the command as built (the
	// command itself and the options it carries); zero means any.
	Servers Servers
}

// argKind says how an Arg is stored and encoded.
type argKind uint8

const (
	argString argKind = iota
	argKey
	argInt
	argFloat
	argKeyPattern
	argUint
	argFloat32
	argRouteKey
)

// Arg is one argument of a command. Arguments hold strings by reference:
// a []byte argument is not copied, so it must not change until the command
// has been sent.
type Arg struct {
	s    string
	n    uint64
	kind argKind
}

// String returns a string argument.
func String(s string) Arg { return Arg{s: s} }

// Bytes returns a binary argument that shares p's memory.
func Bytes(p []byte) Arg { return Arg{s: unsafe.String(unsafe.SliceData(p), len(p))} }

// Key returns a key argument; keys get the client's key prefix and decide
// the command's slot.
func Key(k string) Arg { return Arg{s: k, kind: argKey} }

// Int returns an integer argument.
func Int(n int64) Arg { return Arg{n: uint64(n), kind: argInt} }

// Float returns a floating-point argument (+inf and -inf are encoded as
// Redis expects).
func Float(f float64) Arg { return Arg{n: math.Float64bits(f), kind: argFloat} }

// Uint returns an unsigned integer argument.
func Uint(n uint64) Arg { return Arg{n: n, kind: argUint} }

// Float32 returns a float32 argument, formatted as the shortest decimal
// that round-trips as a float32.
func Float32(f float32) Arg { return Arg{n: uint64(math.Float32bits(f)), kind: argFloat32} }

// Bool returns "1" for true and "0" for false.
func Bool(v bool) Arg {
	if v {
		return Arg{s: "1"}
	}
	return Arg{s: "0"}
}

// KeyPattern returns a pattern of key names (SORT's BY and GET patterns):
// it gets the client's key prefix like a key, but decides no slot.
func KeyPattern(p string) Arg { return Arg{s: p, kind: argKeyPattern} }

// RouteKey returns an argument that is not a key but names the hash slot
// of the node the command must reach (Valkey's CLUSTERSCAN cursor, whose
// hash tag is the slot being scanned): it decides the command's slot like
// a key, and never gets the key prefix.
func RouteKey(s string) Arg { return Arg{s: s, kind: argRouteKey} }

// IsKey reports whether the argument is a key.
func (a Arg) IsKey() bool { return a.kind == argKey }

// IsKeyPattern reports whether the argument is a key-name pattern.
func (a Arg) IsKeyPattern() bool { return a.kind == argKeyPattern }

// Equal reports whether two arguments are the same.
func (a Arg) Equal(b Arg) bool { return a == b }

// Clone returns a copy that owns its string (a []byte argument shares the
// caller's memory until cloned).
func (a Arg) Clone() Arg {
	if a.s != "" {
		a.s = strings.Clone(a.s)
	}
	return a
}

// HashTo writes the argument to a hash (for caches keyed by arguments).
func (a Arg) HashTo(h *maphash.Hash) {
	h.WriteByte(byte(a.kind))
	switch a.kind {
	case argInt, argFloat, argUint, argFloat32:
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], a.n)
		h.Write(b[:])
	default:
		h.WriteString(a.s)
	}
}

// Text returns the argument as it goes on the wire (without key prefix).
func (a Arg) Text() string {
	switch a.kind {
	case argInt, argFloat, argUint, argFloat32:
		b := appendArg(nil, a, "")
		i := bytes.IndexByte(b, '\n')
		return string(b[i+1 : len(b)-2])
	}
	return a.s
}

// appendArg encodes one argument as a RESP bulk string.
func appendArg(b []byte, a Arg, prefix string) []byte {
	switch a.kind {
	case argInt:
		return resp.AppendBulkInt(b, int64(a.n))
	case argFloat:
		return resp.AppendBulkFloat(b, math.Float64frombits(a.n))
	case argUint:
		return resp.AppendBulkUint(b, a.n)
	case argFloat32:
		return resp.AppendBulkFloat32(b, math.Float32frombits(uint32(a.n)))
	case argKey, argKeyPattern:
		if prefix != "" {
			b = append(b, '$')
			b = strconv.AppendInt(b, int64(len(prefix)+len(a.s)), 10)
			b = append(b, '\r', '\n')
			b = append(b, prefix...)
			b = append(b, a.s...)
			return append(b, '\r', '\n')
		}
	}
	return resp.AppendBulkString(b, a.s)
}

// Command is one command ready to send, and the storage its reply is read
// into. Commands are pooled: AcquireCommand takes one, Release returns it.
// A Command is owned by one goroutine at a time; Doer implementations
// borrow it during Do and DoMulti and hand it back when they return.
type Command struct {
	// The fields a connection's reader touches come first, together: on a
	// busy connection it reads them on another core than the caller's.
	state atomic.Uint64
	reply resp.Reply
	// replyInline is reply's storage for small replies: the reader writes
	// them here, in the memory it touches anyway.
	replyInline resp.InlineStorage
	err         error
	// group, when set, is signalled instead of done (DoMulti).
	group *doneGroup
	done  chan struct{}
	// pipe is the shared connection the command was last written to; set
	// before the command becomes stateSent.
	pipe *pipe
	// addr is the address of the server the command was last written to
	// (see Addr): the connection's own string, so recording it costs a
	// store.
	addr string
	// attempts counts retries after dropped connections.
	attempts uint8
	// slab is set for a command of a CommandSlab: Release resets it in
	// place instead of pooling it.
	slab bool

	args []Arg
	// inlineArgs is args' first room: most commands fit.
	inlineArgs [inlineCommandArgs]Arg
	meta       Meta
	slot       uint16
	hasSlot    bool
	// slotKnown says slot, hasSlot and FlagCrossSlot are computed for the
	// current keys and prefix (see knowSlot).
	slotKnown bool
	prefix    string
	// nameWords is how many leading arguments name the command (2 for
	// CLUSTER REPLICATE); 0 means 1.
	nameWords uint8
}

// The low bits of Command.state hold the command's lifecycle state on a
// connection; the high bits count generations (reuses from the pool), so a
// connection holding a stale reference never touches a reused command.
const (
	stateGenShift = 8
	stateMask     = 1<<stateGenShift - 1
)

// Command lifecycle on a connection. A caller that gives up (its context
// ended) moves a queued or sent command to stateAbandoned; the writer skips
// abandoned commands and the reader discards their replies. A caller that
// finds the command being written or read waits for the short step to end.
const (
	stateIdle      = iota // owned by the caller
	stateQueued           // waiting to be written
	stateWriting          // being encoded by the writer
	stateSent             // written, waiting for its reply
	stateReading          // its reply is being read
	stateDone             // reply (or error) recorded; done was signalled
	stateAbandoned        // the caller left; the connection drops it
)

// stamp returns the state word of generation g in state st.
func stamp(g uint64, st uint64) uint64 { return g&^stateMask | st }

// generation returns the current state word without the state.
func (c *Command) generation() uint64 { return c.state.Load() &^ stateMask }

// transition moves c from state from to state to within generation g.
func (c *Command) transition(g, from, to uint64) bool {
	return c.state.CompareAndSwap(stamp(g, from), stamp(g, to))
}

// finish records err (nil when a reply was read) and wakes the waiting
// caller.
func (c *Command) finish(g uint64, err error) {
	if grp := c.complete(g, err); grp != nil {
		grp.finish(1)
	}
}

// complete records err and marks c done; a command of a DoMulti returns
// its group, which the caller of complete signals (possibly once for
// several commands), and any other wakes its caller.
func (c *Command) complete(g uint64, err error) *doneGroup {
	c.err = err
	grp := c.group // read before the caller may see the command done
	c.state.Store(stamp(g, stateDone))
	if grp == nil {
		c.done <- struct{}{}
	}
	return grp
}

// doneGroup wakes the caller of DoMulti once, when every command of the
// batch is done, instead of once per command. It is reused (multiCall).
type doneGroup struct {
	pending atomic.Int64
	ch      chan struct{} // one token when pending reaches zero
}

// finish counts n commands of the group done.
func (g *doneGroup) finish(n int64) {
	if g.pending.Add(-n) == 0 {
		g.ch <- struct{}{}
	}
}

// multiCall is the per-call state of a DoMulti, pooled: the entries and
// the group that wakes the caller.
type multiCall struct {
	es  []entry
	grp doneGroup
}

var multiCalls = sync.Pool{New: func() any { return &multiCall{grp: doneGroup{ch: make(chan struct{}, 1)}} }}

// maxPooledEntries bounds the entries a pooled multiCall keeps.
const maxPooledEntries = 4096

// getMultiCall returns a multiCall for n commands.
func getMultiCall(n int) *multiCall {
	m := multiCalls.Get().(*multiCall)
	m.es = slices.Grow(m.es[:0], n)[:n]
	m.grp.pending.Store(int64(n))
	return m
}

// putMultiCall returns m to the pool; only when its group's token was
// consumed (no command of it may still signal the group).
func putMultiCall(m *multiCall) {
	clear(m.es)
	if cap(m.es) > maxPooledEntries {
		m.es = nil
	}
	multiCalls.Put(m)
}

// beginWait marks c queued and returns its generation.
func (c *Command) beginWait() uint64 {
	g := c.generation()
	c.err = nil
	c.attempts = 0 // the retry budget is per call, not per command
	c.state.Store(stamp(g, stateQueued))
	return g
}

// abandon gives c up after its caller's context ended. It returns true when
// the connection will drop it (never written, or its reply discarded); false
// when c completed meanwhile, in which case the completion signal has been
// consumed and c holds its outcome. A command abandoned after it may have
// been written pins its slots to its connection (see slotPins).
func (c *Command) abandon(g uint64, pins *slotPins) bool {
	for {
		switch c.state.Load() {
		case stamp(g, stateQueued):
			if c.transition(g, stateQueued, stateAbandoned) {
				return true
			}
		case stamp(g, stateSent):
			if pins.pinIfSent(entry{cmd: c, gen: g}) {
				return true
			}
		case stamp(g, stateDone):
			if c.group == nil {
				<-c.done
			}
			return false
		default:
			// Being written or read: a short step; wait for it.
			runtime.Gosched()
		}
	}
}

// wait blocks until c is done or ctx ends. It returns ctx's error when the
// command was abandoned.
func (c *Command) wait(ctx context.Context, g uint64, pins *slotPins) error {
	if done := ctx.Done(); done != nil {
		select {
		case <-c.done:
			return nil
		case <-done:
			if c.abandon(g, pins) {
				// A new generation: the connection's references are stale
				// and the caller may reuse or release c.
				c.state.Store(stamp(g+1<<stateGenShift, stateIdle))
				return ctx.Err()
			}
			return nil
		}
	}
	<-c.done
	return nil
}

// Pool limits: commands and replies larger than these are not kept in the
// pool, so one huge command does not pin memory.
const (
	maxPooledArgs       = 1024
	maxPooledReplyBytes = 64 << 10
)

// inlineCommandArgs is how many arguments a command holds without
// allocating its argument list.
const inlineCommandArgs = 6

var commandPool = sync.Pool{New: func() any {
	c := &Command{}
	c.init()
	return c
}}

// init prepares a zero command for use.
func (c *Command) init() {
	c.done = make(chan struct{}, 1)
	c.args = c.inlineArgs[:0]
	c.reply.UseInline(&c.replyInline)
}

// CommandSlab is a block of commands that one owner uses and reuses (the
// queue of a pipeline), with no trip to the command pool per command; the
// commands lie together in memory, which the connection's writer and
// reader, going through them in order, also like. Release of one of them
// resets it in place. A CommandSlab is for one goroutine.
type CommandSlab struct {
	cmds []Command
	used int
}

// NewCommandSlab returns a slab of n commands.
func NewCommandSlab(n int) *CommandSlab {
	s := &CommandSlab{cmds: make([]Command, n)}
	for i := range s.cmds {
		s.cmds[i].init()
		s.cmds[i].slab = true
	}
	return s
}

// Next returns an unused command of the slab, or nil when all are in use.
func (s *CommandSlab) Next() *Command {
	if s.used == len(s.cmds) {
		return nil
	}
	s.used++
	return &s.cmds[s.used-1]
}

// Reset makes every command of the slab available again. Its owner has
// released them all.
func (s *CommandSlab) Reset() { s.used = 0 }

// AcquireCommand returns an empty command from the pool.
func AcquireCommand() *Command {
	c := commandPool.Get().(*Command)
	return c
}

// NewCommand returns a command with the given arguments, for callers that
// build commands by hand. The first arguments are the command name.
func NewCommand(meta Meta, args ...Arg) *Command {
	c := AcquireCommand()
	c.SetMeta(meta)
	for _, a := range args {
		c.Append(a)
	}
	return c
}

// Release resets c and returns it to the pool (or to its slab). c must not
// be used after.
func (c *Command) Release() {
	if cap(c.args) > maxPooledArgs {
		c.args = c.inlineArgs[:0]
	}
	// The arguments are not cleared: the pool drops what it holds within
	// two garbage collections, so the strings they refer to are held no
	// longer, and clearing every argument of every command costs more.
	c.args = c.args[:0]
	c.meta = Meta{}
	c.slot, c.hasSlot, c.slotKnown = 0, false, false
	c.prefix = ""
	c.nameWords = 0
	c.err = nil
	c.attempts = 0
	c.group = nil
	c.pipe = nil
	c.addr = ""
	c.reply.ShrinkInline(maxPooledReplyBytes, &c.replyInline)
	// A new generation, so that stale references to c notice the reuse.
	g := c.state.Load()
	c.state.Store((g &^ stateMask) + 1<<stateGenShift)
	if !c.slab {
		commandPool.Put(c)
	}
}

// SetMeta sets the command's flags and routing policies.
func (c *Command) SetMeta(m Meta) {
	c.meta = m
	c.slotKnown = false // FlagCrossSlot is the command's own
}

// Meta returns the command's flags and routing policies.
func (c *Command) Meta() Meta {
	c.knowSlot()
	return c.meta
}

// Flags returns the command's flags.
func (c *Command) Flags() Flags {
	c.knowSlot()
	return c.meta.Flags
}

// Append adds an argument. Key arguments decide the command's slot; keys
// in different slots set FlagCrossSlot. (Slots are hashed when first
// asked for: a single server never needs them.)
func (c *Command) Append(a Arg) {
	c.args = append(c.args, a)
	if a.kind == argKey || a.kind == argRouteKey {
		c.slotKnown = false
	}
}

// knowSlot computes the slot of the command's keys, and FlagCrossSlot,
// unless they are known for its current keys and prefix.
func (c *Command) knowSlot() {
	if c.slotKnown {
		return
	}
	c.slotKnown = true
	c.hasSlot = false
	c.meta.Flags &^= FlagCrossSlot
	for _, a := range c.args {
		s, ok := c.argSlot(a)
		if !ok {
			continue
		}
		if !c.hasSlot {
			c.slot, c.hasSlot = s, true
		} else if s != c.slot {
			c.meta.Flags |= FlagCrossSlot
		}
	}
}

// keySlots appends the distinct slots of the command's keys to dst.
func (c *Command) keySlots(dst []uint16) []uint16 {
	c.knowSlot()
	if !c.hasSlot {
		return dst
	}
	if c.meta.Flags&FlagCrossSlot == 0 {
		return append(dst, c.slot)
	}
	for _, a := range c.args {
		if s, ok := c.argSlot(a); ok && !slices.Contains(dst, s) {
			dst = append(dst, s)
		}
	}
	return dst
}

// argSlot returns the slot an argument decides: a key's, with the key
// prefix; a route key's (RouteKey), as it is sent.
func (c *Command) argSlot(a Arg) (uint16, bool) {
	switch a.kind {
	case argKey:
		return SlotWithPrefix(c.prefix, a.s), true
	case argRouteKey:
		return Slot(a.s), true
	}
	return 0, false
}

// Args returns the arguments; the slice is valid until Release.
func (c *Command) Args() []Arg { return c.args }

// Name returns the command name as sent (the first argument, or the first
// SetNameWords arguments: "CLUSTER REPLICATE"), for logs and errors.
func (c *Command) Name() string {
	if len(c.args) == 0 {
		return ""
	}
	name := c.args[0].Text()
	for i := 1; i < int(c.nameWords) && i < len(c.args); i++ {
		name += " " + c.args[i].Text()
	}
	return name
}

// SetNameWords says that the first n arguments name the command (a
// container command's subcommand: CLUSTER REPLICATE, n = 2), for Name.
func (c *Command) SetNameWords(n int) { c.nameWords = uint8(min(max(n, 0), 255)) }

// Slot returns the hash slot of the command's first key, and whether it has
// keys.
func (c *Command) Slot() (slot uint16, ok bool) {
	c.knowSlot()
	return c.slot, c.hasSlot
}

// SetKeyPrefix sets a prefix that every key argument gets when encoded (its
// slot counts with the prefix).
func (c *Command) SetKeyPrefix(prefix string) {
	if prefix != c.prefix {
		c.prefix = prefix
		c.slotKnown = false
	}
}

// KeyPrefix returns the prefix set by SetKeyPrefix.
func (c *Command) KeyPrefix() string { return c.prefix }

// AppendTo encodes the command as a RESP array of bulk strings.
func (c *Command) AppendTo(b []byte) []byte {
	b = resp.AppendArrayLen(b, len(c.args))
	for _, a := range c.args {
		b = appendArg(b, a, c.prefix)
	}
	return b
}

// Reply returns the reply read for the command. It is valid after a
// successful Do until Release.
func (c *Command) Reply() resp.Value { return c.reply.Value() }

// takeReply moves a reply read into scratch storage to c.
func (c *Command) takeReply(src *resp.Reply) { c.reply.TakeFrom(src, &c.replyInline) }

// ReplyStorage returns the storage the command's reply is read into; for
// connections.
func (c *Command) ReplyStorage() *resp.Reply { return &c.reply }

// Err returns the transport error of the command after DoMulti: nil when a
// reply (possibly a server error reply) was read.
func (c *Command) Err() error { return c.err }

// SetErr records a transport error for the command.
func (c *Command) SetErr(err error) { c.err = err }

// Addr returns the address of the server the command was last written to,
// as the connection dialed it ("host:port", or a unix socket's path): the
// node of a cluster that served it (after a redirect, the node it was
// redirected to), the master a sentinel group named, the server of a
// single node. It is empty while the command has not been written, and
// again after Release. Like Reply, read it once the call that sent the
// command returned (a hook's done function, say).
func (c *Command) Addr() string { return c.addr }

// breaksSharedConn reports commands that would break a shared connection
// whatever flags they were built with (a hand-built command, a Raw one with
// a misspelt flag set): those answered with no reply or several (CLIENT
// REPLY, SUBSCRIBE and its kin, MONITOR, SYNC), and those that change what
// every later command on the connection means (HELLO, AUTH, SELECT, RESET,
// QUIT, MULTI and its kin, CLIENT TRACKING, READONLY). Generated commands
// carry FlagConnState or FlagTransaction for these already; this is the
// transport's own guard of its one-reply-per-command invariant.
func breaksSharedConn(args []Arg) bool {
	name := args[0]
	if name.kind != argString {
		return false
	}
	eq := strings.EqualFold
	switch s := name.s; len(s) {
	case 4:
		return eq(s, "AUTH") || eq(s, "EXEC") || eq(s, "SYNC") || eq(s, "QUIT")
	case 5:
		return eq(s, "HELLO") || eq(s, "MULTI") || eq(s, "PSYNC") || eq(s, "RESET") || eq(s, "WATCH")
	case 6:
		if eq(s, "SELECT") {
			return true
		}
		if eq(s, "CLIENT") && len(args) > 1 && args[1].kind == argString {
			sub := args[1].s
			return eq(sub, "REPLY") || eq(sub, "TRACKING")
		}
	case 7:
		return eq(s, "MONITOR") || eq(s, "DISCARD") || eq(s, "UNWATCH")
	case 8:
		return eq(s, "READONLY") || eq(s, "REPLCONF")
	case 9:
		return eq(s, "SUBSCRIBE") || eq(s, "READWRITE")
	case 10:
		return eq(s, "PSUBSCRIBE") || eq(s, "SSUBSCRIBE")
	case 11:
		return eq(s, "UNSUBSCRIBE")
	case 12:
		return eq(s, "PUNSUBSCRIBE") || eq(s, "SUNSUBSCRIBE")
	}
	return false
}
