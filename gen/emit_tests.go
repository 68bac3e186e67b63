package gen

// This file is the emitter of the generated tests: redisclient/<group>_gen_test.go
// (exact wire bytes of representative builder paths for every command) and
// redisclient/replies_gen_test.go (RESP2 and RESP3 fixtures for every reply
// type). Expected argument vectors are computed here from the plan, by a
// simulation independent of the runtime builder's code.

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
)

// wireArg is one simulated wire argument.
type wireArg struct {
	pos      int
	text     string
	countOf  int
	countPer int
	// millis is the millisecond text of a duration or time that is not a
	// whole number of seconds (text holds it rounded up to seconds).
	millis string
	// drop marks the removal of the arguments before it at pos (OpSwap).
	drop bool
}

// sampler hands out distinct sample values. With fractions set, durations
// and times are not whole numbers of their unit, to show how they round.
type sampler struct {
	n, depth  int
	fractions bool
}

func (s *sampler) next() int { s.n++; return s.n }

// sampleParam returns a Go expression for a sample value of p and the wire
// text(s) it encodes to.
func (s *sampler) sampleParam(p *Param) (jen.Code, [][]wireArg) {
	one := func() (jen.Code, []wireArg) { return s.sampleOne(p) }
	if p.Variadic || p.Type.Slice {
		e1, w1 := one()
		e2, w2 := one()
		if p.Variadic {
			return jen.List(e1, e2), [][]wireArg{w1, w2}
		}
		return jen.Index().Add(goType(GoType{Kind: p.Type.Kind, Enum: p.Type.Enum, Unit: p.Type.Unit}, "")).Values(e1, e2), [][]wireArg{w1, w2}
	}
	e, w := one()
	return e, [][]wireArg{w}
}

func (s *sampler) sampleOne(p *Param) (jen.Code, []wireArg) {
	n := s.next()
	switch p.Type.Kind {
	case KindKey:
		v := fmt.Sprintf("k%d", n)
		return jen.Lit(v), []wireArg{{text: v}}
	case KindString, KindKeyPattern, KindValue, KindRouteKey:
		v := fmt.Sprintf("v%d", n)
		return jen.Lit(v), []wireArg{{text: v}}
	case KindPairs:
		a, b := fmt.Sprintf("v%d", n), fmt.Sprintf("w%d", n)
		if p.Type.Pairs == "pairsScoreMember" {
			score := float64(n) + 0.5
			return jen.Index().Any().Values(jen.Lit(score), jen.Lit(b)), []wireArg{{text: strconv.FormatFloat(score, 'f', -1, 64)}, {text: b}}
		}
		return jen.Index().Any().Values(jen.Lit(a), jen.Lit(b)), []wireArg{{text: a}, {text: b}}
	case KindInt:
		return jen.Lit(int64(n)), []wireArg{{text: strconv.Itoa(n)}}
	case KindFloat:
		f := float64(n) + 0.5
		return jen.Lit(f), []wireArg{{text: strconv.FormatFloat(f, 'f', -1, 64)}}
	case KindDurationS:
		if s.fractions {
			// n.5 seconds: n+1 whole seconds, or n500 milliseconds.
			ms := n*1000 + 500
			return jen.Lit(ms).Op("*").Qual("time", "Millisecond"), []wireArg{{text: strconv.Itoa(n + 1), millis: strconv.Itoa(ms)}}
		}
		return jen.Lit(n).Op("*").Qual("time", "Second"), []wireArg{{text: strconv.Itoa(n)}}
	case KindDurationMs:
		if s.fractions {
			return jen.Lit(n*1000+500).Op("*").Qual("time", "Microsecond"), []wireArg{{text: strconv.Itoa(n + 1)}}
		}
		return jen.Lit(n).Op("*").Qual("time", "Millisecond"), []wireArg{{text: strconv.Itoa(n)}}
	case KindDurationSec:
		return jen.Lit(n*1000+500).Op("*").Qual("time", "Millisecond"), []wireArg{{text: strconv.Itoa(n) + ".5"}}
	case KindTimeS:
		sec := 1700000000 + n
		if s.fractions {
			ms := int64(sec)*1000 + 500
			return jen.Qual("time", "UnixMilli").Call(jen.Lit(ms)), []wireArg{{text: strconv.Itoa(sec + 1), millis: strconv.FormatInt(ms, 10)}}
		}
		return jen.Qual("time", "Unix").Call(jen.Lit(sec), jen.Lit(0)), []wireArg{{text: strconv.Itoa(sec)}}
	case KindTimeMs:
		ms := int64(1700000000000 + n)
		if s.fractions {
			return jen.Qual("time", "UnixMicro").Call(jen.Lit(ms*1000 + 500)), []wireArg{{text: strconv.FormatInt(ms+1, 10)}}
		}
		return jen.Qual("time", "UnixMilli").Call(jen.Lit(ms)), []wireArg{{text: strconv.FormatInt(ms, 10)}}
	case KindEnum:
		i := n % len(p.Type.Enum.Tokens)
		return jen.Id(p.Type.Enum.Consts[i]), []wireArg{{text: p.Type.Enum.Tokens[i]}}
	case KindUnit:
		u := p.Type.Unit
		c := u.Ctors[n%len(u.Ctors)]
		expr, argv := s.sampleCall(jen.Id(c.Name), c.Params, c.Ops)
		return expr, flatten(argv)
	}
	panic("gen: unknown kind")
}

// sampleCall renders a call of a constructor or method with sample
// arguments and simulates the wire arguments its ops add.
func (s *sampler) sampleCall(fn *jen.Statement, ps []*Param, ops []Op) (*jen.Statement, []wireArg) {
	vals := map[*Param][][]wireArg{}
	var args []jen.Code
	for _, p := range ps {
		e, w := s.sampleParam(p)
		vals[p] = w
		args = append(args, e)
	}
	return fn.Call(args...), simOps(ops, vals)
}

// simOps simulates the wire arguments that ops add, given the wire forms
// of their parameters' values.
func simOps(ops []Op, vals map[*Param][][]wireArg) []wireArg {
	var out []wireArg
	for _, op := range ops {
		switch op.Kind {
		case OpToken:
			out = append(out, wireArg{pos: op.Pos, text: op.Token})
		case OpValue, OpEach, OpSwap:
			if op.Kind == OpSwap {
				out = append(out, wireArg{pos: op.Pos, drop: true})
			}
			for _, w := range vals[op.Param] {
				tok := op.Token
				if op.AltToken != "" && len(w) == 1 && w[0].millis != "" {
					// Not a whole number of seconds: the millisecond form.
					tok, w = op.AltToken, []wireArg{{text: w[0].millis}}
				}
				if tok != "" {
					out = append(out, wireArg{pos: op.Pos, text: tok})
				}
				for _, a := range w {
					a.pos = op.Pos
					out = append(out, a)
				}
			}
		case OpCount:
			out = append(out, wireArg{pos: op.Pos, countOf: op.CountOf, countPer: op.CountPer})
		}
	}
	return out
}

// flatten applies drops, orders simulated arguments by position and
// resolves counts.
func flatten(in []wireArg) []wireArg {
	var sorted []wireArg
	for _, a := range in {
		if !a.drop {
			sorted = append(sorted, a)
			continue
		}
		kept := sorted[:0]
		for _, b := range sorted {
			if b.pos != a.pos || b.countOf != 0 {
				kept = append(kept, b)
			}
		}
		sorted = kept
	}
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].pos < sorted[j].pos })
	out := make([]wireArg, len(sorted))
	for i, a := range sorted {
		if a.countOf != 0 {
			n := 0
			for _, b := range sorted {
				if b.pos == a.countOf && b.countOf == 0 {
					n++
				}
			}
			a = wireArg{pos: a.pos, text: strconv.Itoa(n / a.countPer)}
		}
		out[i] = wireArg{pos: a.pos, text: a.text}
	}
	return out
}

// wirePath is one test case: a chain of calls and its expected argv.
type wirePath struct {
	name string
	expr jen.Code
	argv []string
}

// commandPaths lists the representative paths of a command: the
// constructor alone, the constructor with each method of the root state,
// and one long chain. A path whose calls require a repeated group that
// only a method adds (OpRequire) ends with that method, once; missing
// lists the paths that leave such a group out, with the group's name.
func commandPaths(c *Command) (paths, missing []wirePath) {
	ctor := c.Builder.Ctors[0]
	start := func(s *sampler) (*jen.Statement, []wireArg) {
		e, w := s.sampleCall(jen.Id(ctor.Name), ctor.Params, ctor.Ops)
		words := make([]wireArg, 0, len(c.Words))
		for _, wd := range c.Words {
			words = append(words, wireArg{pos: 0, text: wd})
		}
		return jen.Add(e), append(words, w...)
	}
	seen := map[string]bool{}
	// finish records a path that reached state st with the ops of its
	// calls, adding the methods that its requirements need.
	finish := func(s *sampler, name string, e *jen.Statement, w []wireArg, st *State, ops []Op) {
		has := func(pos int) bool {
			return slices.ContainsFunc(w, func(a wireArg) bool { return a.pos == pos && !a.drop })
		}
		for _, req := range ops {
			if req.Kind != OpRequire || has(req.Pos) {
				continue
			}
			if len(missing) == 0 {
				// The first path without the group, once per command.
				missing = append(missing, wirePath{name: name, expr: e, argv: []string{req.Token}})
			}
			m := methodAt(st, req.Pos)
			if m == nil {
				return // not reachable by a method of st: no wire test
			}
			var mw []wireArg
			e, mw = s.sampleCall(jen.Add(e).Dot(m.Name), m.Params, m.Ops)
			w = append(w, mw...)
			name += " ." + m.Name
		}
		if seen[name] {
			return
		}
		seen[name] = true
		var argv []string
		for _, a := range flatten(w) {
			argv = append(argv, a.text)
		}
		paths = append(paths, wirePath{name: name, expr: e, argv: argv})
	}
	root := ctor.Next
	s := &sampler{}
	e, w := start(s)
	finish(s, c.Spec.Name, e, w, root, ctor.Ops)
	if hasTimeParams(ctor.Params, 0) {
		// Durations and times that are not whole numbers of their unit.
		s := &sampler{fractions: true}
		e, w := start(s)
		finish(s, c.Spec.Name+" (fractions)", e, w, root, ctor.Ops)
	}
	for _, m := range root.Methods {
		s := &sampler{}
		e, w := start(s)
		me, mw := s.sampleCall(jen.Add(e).Dot(m.Name), m.Params, m.Ops)
		finish(s, c.Spec.Name+" ."+m.Name, me, append(w, mw...), m.Next, append(ctor.Ops[:len(ctor.Ops):len(ctor.Ops)], m.Ops...))
		if hasTimeParams(m.Params, 0) {
			s := &sampler{fractions: true}
			e, w := start(s)
			me, mw := s.sampleCall(jen.Add(e).Dot(m.Name), m.Params, m.Ops)
			finish(s, c.Spec.Name+" ."+m.Name+" (fractions)", me, append(w, mw...), m.Next, append(ctor.Ops[:len(ctor.Ops):len(ctor.Ops)], m.Ops...))
		}
	}
	// One long chain: the first method leading to a new state, repeatedly.
	s = &sampler{}
	e, w = start(s)
	name := c.Spec.Name
	st := root
	ops := ctor.Ops[:len(ctor.Ops):len(ctor.Ops)]
	steps := 0
	for steps < 12 {
		var pick *Method
		for _, m := range st.Methods {
			if m.Next != st {
				pick = m
				break
			}
		}
		if pick == nil {
			break
		}
		var mw []wireArg
		e, mw = s.sampleCall(jen.Add(e).Dot(pick.Name), pick.Params, pick.Ops)
		w = append(w, mw...)
		ops = append(ops, pick.Ops...)
		name += " ." + pick.Name
		st = pick.Next
		steps++
	}
	if steps > 1 {
		finish(s, name, e, w, st, ops)
	}
	return paths, missing
}

// methodAt returns the method of st that adds arguments at wire position
// pos (the repeat method of a required group), or nil.
func methodAt(st *State, pos int) *Method {
	for _, m := range st.Methods {
		for _, op := range m.Ops {
			if op.Kind != OpRequire && op.Kind != OpOnly && op.Pos == pos {
				return m
			}
		}
	}
	return nil
}

// hasTimeParams reports whether ps (or the units they take, down to a few
// levels) hold a duration or time that rounds: one a fractions sample
// changes.
func hasTimeParams(ps []*Param, depth int) bool {
	for _, p := range ps {
		switch p.Type.Kind {
		case KindDurationS, KindDurationMs, KindTimeS, KindTimeMs:
			return true
		case KindUnit:
			if depth < 3 {
				for _, c := range p.Type.Unit.Ctors {
					if hasTimeParams(c.Params, depth+1) {
						return true
					}
				}
			}
		}
	}
	return false
}

// emitGroupTest renders a group's wire-bytes test.
func emitGroupTest(p *Plan, g *Group) *jen.File {
	f := newTestFile(g.Pkg, "spec/commands/"+g.Name+".json")
	var cases, missing []jen.Code
	for _, c := range g.Commands {
		paths, miss := commandPaths(c)
		for _, path := range paths {
			argv := make([]jen.Code, len(path.argv))
			for i, a := range path.argv {
				argv[i] = jen.Lit(a)
			}
			cases = append(cases, jen.Values(jen.Lit(path.name), path.expr, jen.Index().String().Values(argv...)))
		}
		for _, path := range miss {
			missing = append(missing, jen.Values(jen.Lit(path.name), path.expr, jen.Lit(path.argv[0])))
		}
	}
	name := "TestWire" + camelName(g.Name)
	f.Commentf("%s checks the exact wire bytes of every %s command's representative builder paths.", name, g.Name)
	f.Func().Id(name).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("c")).Op(":=").Range().Index().Struct(
			jen.Id("name").String(),
			jen.Id("cmd").Add(tt("Commander")),
			jen.Id("want").Index().String(),
		).Values(cases...)).Block(
			tt("CheckWire").Call(jen.Id("t"), jen.Id("c").Dot("name"), jen.Id("c").Dot("cmd"), jen.Id("c").Dot("want")),
		),
	)
	if len(missing) > 0 {
		rname := "TestRequired" + camelName(g.Name)
		f.Commentf("%s checks that %s commands built without a required repeated group fail, naming it.", rname, g.Name)
		f.Func().Id(rname).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
			jen.For(jen.List(jen.Id("_"), jen.Id("c")).Op(":=").Range().Index().Struct(
				jen.Id("name").String(),
				jen.Id("cmd").Add(tt("Commander")),
				jen.Id("what").String(),
			).Values(missing...)).Block(
				tt("CheckRequired").Call(jen.Id("t"), jen.Id("c").Dot("name"), jen.Id("c").Dot("cmd"), jen.Id("c").Dot("what")),
			),
		)
	}
	var zeros []jen.Code
	for _, c := range g.Commands {
		if c.Builder == nil {
			continue
		}
		for _, st := range c.Builder.States {
			if genericState(c.Builder, st) {
				continue // the runtime's Cmd, whose zero value cmdimpl tests
			}
			zeros = append(zeros, jen.Id(st.Type).Values())
		}
	}
	if len(zeros) > 0 {
		zname := "TestZero" + camelName(g.Name)
		f.Commentf("%s checks that the zero value of every %s command type is refused before anything is sent.", zname, g.Name)
		f.Func().Id(zname).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
			jen.For(jen.List(jen.Id("_"), jen.Id("c")).Op(":=").Range().Index().Add(tt("Commander")).Values(zeros...)).Block(
				tt("CheckZero").Call(jen.Id("t"), jen.Id("c")),
			),
		)
	}
	return f
}

// fixture is a sample reply in both protocols with its decoded value.
type fixture struct {
	resp2, resp3 string
	want         jen.Code
}

func bulk(s string) string { return fmt.Sprintf("$%d\r\n%s\r\n", len(s), s) }

// maxSampleDepth bounds fixtures of recursive types: deeper lists and maps
// are empty.
const maxSampleDepth = 3

// sampleReply builds a fixture for t.
func (s *sampler) sampleReply(t *Type) fixture {
	s.depth++
	defer func() { s.depth-- }()
	n := s.next()
	if s.depth > maxSampleDepth {
		switch t.Kind {
		case TSlice:
			return fixture{"*0\r\n", "*0\r\n", goReplyType(t).Values()}
		case TMap:
			return fixture{"*0\r\n", "%0\r\n", goReplyType(t).Values()}
		}
	}
	switch t.Kind {
	case TOK:
		return fixture{"+OK\r\n", "+OK\r\n", jen.Struct().Values()}
	case TString:
		v := fmt.Sprintf("s%d", n)
		return fixture{bulk(v), bulk(v), jen.Lit(v)}
	case TInt:
		return fixture{fmt.Sprintf(":%d\r\n", n), fmt.Sprintf(":%d\r\n", n), jen.Int64().Call(jen.Lit(n))}
	case TFloat:
		v := strconv.Itoa(n) + ".5"
		return fixture{bulk(v), "," + v + "\r\n", jen.Lit(float64(n) + 0.5)}
	case TBool:
		return fixture{":1\r\n", ":1\r\n", jen.True()}
	case TAny:
		return fixture{fmt.Sprintf(":%d\r\n", n), fmt.Sprintf(":%d\r\n", n),
			rt("Value").Values(jen.Dict{jen.Id("Kind"): jen.Qual(respPath, "KindInteger"), jen.Id("Int"): jen.Lit(int64(n))})}
	case TDuration:
		if t.Unit == UnitFloatSeconds {
			v := strconv.Itoa(n) + ".5"
			return fixture{bulk(v), "," + v + "\r\n", jen.Lit(n*1000+500).Op("*").Qual("time", "Millisecond")}
		}
		unit := map[TimeUnit]string{UnitSeconds: "Second", UnitMillis: "Millisecond", UnitMicros: "Microsecond"}[t.Unit]
		return fixture{fmt.Sprintf(":%d\r\n", n), fmt.Sprintf(":%d\r\n", n), jen.Lit(n).Op("*").Qual("time", unit)}
	case TTime:
		if t.Decoder == "ServerTime" {
			sec, usec := int64(1700000000+n), int64(n%1000000)
			wire := fmt.Sprintf("*2\r\n$%d\r\n%d\r\n$%d\r\n%d\r\n", len(fmt.Sprint(sec)), sec, len(fmt.Sprint(usec)), usec)
			return fixture{wire, wire, jen.Qual("time", "Unix").Call(jen.Lit(sec), jen.Lit(usec*1000))}
		}
		if t.Unit == UnitMillis {
			ms := int64(1700000000000 + n)
			return fixture{fmt.Sprintf(":%d\r\n", ms), fmt.Sprintf(":%d\r\n", ms), jen.Qual("time", "UnixMilli").Call(jen.Lit(ms))}
		}
		sec := int64(1700000000 + n)
		return fixture{fmt.Sprintf(":%d\r\n", sec), fmt.Sprintf(":%d\r\n", sec), jen.Qual("time", "Unix").Call(jen.Lit(sec), jen.Lit(0))}
	case TNamed:
		if sample, ok := namedSamples[t.decoderKey()]; ok && !t.Null {
			wire, want := sample(n)
			return fixture{wire, wire, want}
		}
	case TOpt:
		e := s.sampleReply(t.Elem)
		return fixture{e.resp2, e.resp3, goReplyType(t).Values(jen.Dict{jen.Id("Value"): e.want, jen.Id("Valid"): jen.True()})}
	case TSlice:
		a, b := s.sampleReply(t.Elem), s.sampleReply(t.Elem)
		f := fixture{"*2\r\n" + a.resp2 + b.resp2, "*2\r\n" + a.resp3 + b.resp3, goReplyType(t).Values(a.want, b.want)}
		if t.Elem.Kind == TStruct && t.Elem.Tuple && !t.Elem.Null && t.Elem.MinLen == 0 {
			// RESP2 sends a flat array of all elements' values.
			k := len(t.Elem.Fields)
			f.resp2 = fmt.Sprintf("*%d\r\n", 2*k) + stripHeader(a.resp2) + stripHeader(b.resp2)
		}
		return f
	case TMap:
		k, v := s.sampleReply(t.Key), s.sampleReply(t.Elem)
		return fixture{"*2\r\n" + k.resp2 + v.resp2, "%1\r\n" + k.resp3 + v.resp3, goReplyType(t).Values(jen.Dict{k.want: v.want})}
	case TStruct:
		var r2, r3 strings.Builder
		d := jen.Dict{}
		for _, fd := range t.Fields {
			v := s.sampleReply(fd.Type)
			if !t.Tuple {
				r2.WriteString(bulk(fd.Key))
				r3.WriteString(bulk(fd.Key))
			}
			r2.WriteString(v.resp2)
			r3.WriteString(v.resp3)
			d[jen.Id(fd.Name)] = v.want
		}
		k := len(t.Fields)
		var f fixture
		switch {
		case t.Tuple:
			f = fixture{fmt.Sprintf("*%d\r\n", k) + r2.String(), fmt.Sprintf("*%d\r\n", k) + r3.String(), typeRef(t).Values(d)}
		default:
			f = fixture{fmt.Sprintf("*%d\r\n", 2*k) + r2.String(), fmt.Sprintf("%%%d\r\n", k) + r3.String(), typeRef(t).Values(d)}
		}
		if t.Null {
			f.want = jen.Op("&").Add(f.want)
		}
		return f
	}
	panic(fmt.Sprintf("gen: no sample for %s", t.GoExpr()))
}

// stripHeader removes the leading array header of a tuple fixture.
func stripHeader(s string) string {
	i := strings.Index(s, "\r\n")
	return s[i+2:]
}

// namedSamples give fixtures for hand-written types whose wire form is a
// plain integer, by decoder name: n picks the value, the wire form is the
// same in RESP2 and RESP3. The special values (-1, -2, other codes) are
// covered by the hand-written tests of each decoder.
var namedSamples = map[string]func(n int) (string, jen.Code){
	"TTLSeconds": func(n int) (string, jen.Code) {
		return fmt.Sprintf(":%d\r\n", n), jen.Id("TimeToLive").Values(jen.Dict{jen.Id("Duration"): jen.Lit(n).Op("*").Qual("time", "Second"), jen.Id("State"): jen.Id("ExpirySet")})
	},
	"TTLMillis": func(n int) (string, jen.Code) {
		return fmt.Sprintf(":%d\r\n", n), jen.Id("TimeToLive").Values(jen.Dict{jen.Id("Duration"): jen.Lit(n).Op("*").Qual("time", "Millisecond"), jen.Id("State"): jen.Id("ExpirySet")})
	},
	"ExpireTimeSeconds": func(n int) (string, jen.Code) {
		sec := int64(1700000000 + n)
		return fmt.Sprintf(":%d\r\n", sec), jen.Id("ExpiryTime").Values(jen.Dict{jen.Id("Time"): jen.Qual("time", "Unix").Call(jen.Lit(sec), jen.Lit(0)), jen.Id("State"): jen.Id("ExpirySet")})
	},
	"ExpireTimeMillis": func(n int) (string, jen.Code) {
		ms := int64(1700000000000 + n)
		return fmt.Sprintf(":%d\r\n", ms), jen.Id("ExpiryTime").Values(jen.Dict{jen.Id("Time"): jen.Qual("time", "UnixMilli").Call(jen.Lit(ms)), jen.Id("State"): jen.Id("ExpirySet")})
	},
	"HExpireResult": func(int) (string, jen.Code) {
		return ":1\r\n", jen.Id("HExpireSet")
	},
	"HPersistResult": func(int) (string, jen.Code) {
		return ":1\r\n", jen.Id("HPersistRemoved")
	},
}

// hasNamed reports whether t contains a hand-written type without a
// sample in namedSamples (whose decoders have hand-written tests only).
func hasNamed(t *Type) bool { return hasNamedIn(t, map[*Type]bool{}) }

func hasNamedIn(t *Type, seen map[*Type]bool) bool {
	if t == nil || seen[t] {
		return false
	}
	seen[t] = true
	if t.Kind == TNamed {
		_, sampled := namedSamples[t.decoderKey()]
		return !sampled || t.Null
	}
	if hasNamedIn(t.Elem, seen) || hasNamedIn(t.Key, seen) {
		return true
	}
	for _, f := range t.Fields {
		if hasNamedIn(f.Type, seen) {
			return true
		}
	}
	return false
}

// emitRepliesTest renders decoder fixtures for every generated decoder and
// the table the decoder fuzz target runs.
func emitRepliesTest(pkg *Package, types []*Type) *jen.File {
	f := newTestFile(pkg, "spec/commands")
	var body []jen.Code
	s := &sampler{}
	for _, t := range types {
		if hasNamed(t) {
			continue
		}
		fx := s.sampleReply(t)
		name := t.DecoderName()
		body = append(body,
			tt("CheckDecode").Call(jen.Id("t"), jen.Lit(name+"/resp2"), jen.Lit(fx.resp2), decoderRef(t), fx.want),
			tt("CheckDecode").Call(jen.Id("t"), jen.Lit(name+"/resp3"), jen.Lit(fx.resp3), decoderRef(t), fx.want),
		)
		switch {
		case t.Kind == TOpt:
			body = append(body,
				tt("CheckDecode").Call(jen.Id("t"), jen.Lit(name+"/null2"), jen.Lit("$-1\r\n"), decoderRef(t), goReplyType(t).Values()),
				tt("CheckDecode").Call(jen.Id("t"), jen.Lit(name+"/null3"), jen.Lit("_\r\n"), decoderRef(t), goReplyType(t).Values()),
			)
		case t.Kind == TSlice && t.OneOrMany:
			// A single value is a list of one, a null reply nil.
			one := s.sampleReply(t.Elem)
			body = append(body,
				tt("CheckDecode").Call(jen.Id("t"), jen.Lit(name+"/one"), jen.Lit(one.resp2), decoderRef(t), goReplyType(t).Values(one.want)),
				tt("CheckDecode").Call(jen.Id("t"), jen.Lit(name+"/null2"), jen.Lit("$-1\r\n"), decoderRef(t), jen.Parens(goReplyType(t)).Call(jen.Nil())),
			)
		case t.Null && t.Kind == TStruct:
			body = append(body, tt("CheckDecode").Call(jen.Id("t"), jen.Lit(name+"/null3"), jen.Lit("_\r\n"), decoderRef(t), jen.Parens(goReplyType(t)).Call(jen.Nil())))
		}
	}
	f.Comment("TestDecodeGen decodes a RESP2 and a RESP3 fixture with every generated decoder.")
	f.Func().Id("TestDecodeGen").Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(body...)
	f.Line()
	d := jen.Dict{}
	for _, t := range types {
		d[jen.Lit(t.DecoderName())] = tt("FuzzDecoder").Call(decoderRef(t))
	}
	f.Comment("allDecoders lists every decoder the commands use, for the decoder fuzz target.")
	f.Var().Id("allDecoders").Op("=").Map(jen.String()).Func().Params(jen.Qual(respPath, "Value")).Error().Values(d)
	if pkg.Name != corePkg || pkg.Path != pkgPath {
		// The core package's fuzz target adds its hand-written decoders.
		f.Line()
		f.Comment("FuzzReplyDecoders feeds arbitrary replies to every decoder the commands use.")
		f.Func().Id("FuzzReplyDecoders").Params(jen.Id("f").Op("*").Qual("testing", "F")).Block(
			tt("FuzzDecoders").Call(jen.Id("f"), jen.Id("allDecoders")),
		)
	}
	return f
}
