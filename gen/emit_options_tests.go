package gen

// This file is the emitter of redisclient/<group>_options_gen_test.go: for
// every command with an options struct, the exact wire bytes of the
// run-time form (the zero options, all fields at once, every field alone,
// every alternative of its unions and every value of its enums), and the
// OptionErrors of invalid enum values, empty required parts and refused
// combinations. Expected arguments are simulated from the plan's ops, as
// for the chains (emit_tests.go), independently of the runtime's code.

import (
	"fmt"

	"github.com/dave/jennifer/jen"
)

// optFacts records what a sample of an options struct chose, to evaluate
// the command's rules on it.
type optFacts struct {
	set map[*OptField]bool
	// tok and alt are the chosen token of an enum field and the chosen
	// alternative (1-based) of a union field.
	tok map[*OptField]string
	alt map[*OptField]int
}

func newOptFacts() *optFacts {
	return &optFacts{set: map[*OptField]bool{}, tok: map[*OptField]string{}, alt: map[*OptField]int{}}
}

// optSampler samples options struct values.
type optSampler struct {
	*sampler
	facts *optFacts
	// minimal leaves the optional fields of block structs out.
	minimal bool
}

// field samples field f: its Go value and the wire arguments it adds.
// pick chooses a union's alternative or an enum's constant (-1: the
// sampler's choice).
func (s *optSampler) field(f *OptField, pick int) (jen.Code, []wireArg) {
	s.facts.set[f] = true
	choose := func(n int) int {
		if pick >= 0 {
			return pick % n
		}
		return s.next() % n
	}
	switch f.Kind {
	case FieldBool:
		return jen.True(), simOps(f.Ops, nil)
	case FieldEnum:
		e := f.Param.Type.Enum
		i := choose(len(e.Tokens))
		s.facts.tok[f] = e.Tokens[i]
		return jen.Id(e.Consts[i]), simOps(f.Ops, map[*Param][][]wireArg{f.Param: {{{text: e.Tokens[i]}}}})
	case FieldValue:
		p := *f.Param
		p.Variadic = false
		e, w := s.sampleParam(&p)
		if !f.Required {
			e = rt("Some").Call(e)
		}
		return e, simOps(f.Ops, map[*Param][][]wireArg{f.Param: w})
	case FieldAny:
		e, w := s.sampleParam(f.Param)
		return e, simOps(f.Ops, map[*Param][][]wireArg{f.Param: w})
	case FieldSlice:
		p := *f.Param
		p.Variadic = false
		p.Type.Slice = true
		e, w := s.sampleParam(&p)
		return e, simOps(f.Ops, map[*Param][][]wireArg{f.Param: w})
	case FieldUnion:
		i := choose(len(f.Union.Alts))
		s.facts.alt[f] = i + 1
		a := f.Union.Alts[i]
		return s.sampleCall(jen.Id(a.Ctor), a.Params, a.Ops)
	case FieldStruct:
		e, w := s.structValue(f.Struct)
		return rt("Some").Call(e), w
	case FieldStructs, FieldUnions:
		w := simOps(f.Pre, nil)
		var elems []jen.Code
		for range 2 {
			var e jen.Code
			var ew []wireArg
			if f.Kind == FieldStructs {
				var d jen.Dict
				d, ew = s.structFields(f.Struct)
				e = jen.Values(d)
			} else {
				a := f.Union.Alts[s.next()%len(f.Union.Alts)]
				e, ew = s.sampleCall(jen.Id(a.Ctor), a.Params, a.Ops)
			}
			elems = append(elems, e)
			w = append(w, ew...)
		}
		name := ""
		if f.Struct != nil {
			name = f.Struct.Name
		} else {
			name = f.Union.Name
		}
		return jen.Index().Id(name).Values(elems...), w
	}
	panic(fmt.Sprintf("gen: unknown field kind %d", f.Kind))
}

// structFields samples the fields of a struct in wire order.
func (s *optSampler) structFields(st *OptStruct) (jen.Dict, []wireArg) {
	d := jen.Dict{}
	var w []wireArg
	for _, step := range st.Steps {
		if step.Field == nil {
			w = append(w, simOps(step.Ops, nil)...)
			continue
		}
		if s.minimal && !step.Field.Required {
			continue
		}
		e, fw := s.field(step.Field, -1)
		d[jen.Id(step.Field.Name)] = e
		w = append(w, fw...)
	}
	return d, w
}

func (s *optSampler) structValue(st *OptStruct) (jen.Code, []wireArg) {
	d, w := s.structFields(st)
	return jen.Id(st.Name).Values(d), w
}

// refused returns the first rule of set that facts break, or nil.
func refused(set *OptionSet, facts *optFacts) *OptRule {
	for _, r := range set.Rules {
		all := true
		for _, c := range r.When {
			f := c.Chain[len(c.Chain)-1]
			holds := true
			for _, cf := range c.Chain {
				holds = holds && facts.set[cf]
			}
			if holds && c.Alt != nil {
				switch f.Kind {
				case FieldEnum:
					holds = facts.tok[f] == c.Alt.a.Token
				case FieldUnion:
					holds = facts.alt[f] > 0 && f.Union.Alts[facts.alt[f]-1].Node == c.Alt
				}
			}
			if c.Not {
				holds = !holds
			}
			all = all && holds
		}
		if all {
			return r
		}
	}
	return nil
}

// optCase is one generated case: wire bytes, or an OptionError's field.
type optCase struct {
	name  string
	expr  jen.Code
	argv  []string
	field string // set for error cases
}

// optionCases lists the cases of command c.
func optionCases(c *Command) []optCase {
	set := c.Options
	em := newOptEmitter(c)
	ctor := c.Builder.Ctors[0]
	var cases []optCase
	start := func() (*optSampler, *jen.Statement, []wireArg) {
		s := &optSampler{sampler: &sampler{}, facts: newOptFacts()}
		e, w := s.sampleCall(jen.Id(ctor.Name), ctor.Params, ctor.Ops)
		words := make([]wireArg, 0, len(c.Words))
		for _, wd := range c.Words {
			words = append(words, wireArg{text: wd})
		}
		return s, e, append(words, w...)
	}
	// add finishes a case whose options are d (and wire w): its argv, or
	// the rule it breaks.
	add := func(name string, s *optSampler, e *jen.Statement, d jen.Dict, w []wireArg) {
		expr := jen.Add(e).Dot("With").Call(jen.Id(set.Struct.Name).Values(d))
		if r := refused(set, s.facts); r != nil {
			cases = append(cases, optCase{name: name + " (refused)", expr: expr, field: em.ruleFields(r)})
			return
		}
		var argv []string
		for _, a := range flatten(w) {
			argv = append(argv, a.text)
		}
		cases = append(cases, optCase{name: name, expr: expr, argv: argv})
	}
	base := c.Spec.Name + " .With"
	{
		s, e, w := start()
		add(base+" zero", s, e, jen.Dict{}, w)
	}
	{
		s, e, w := start()
		d, fw := s.structFields(set.Struct)
		add(base+" all", s, e, d, append(w, fw...))
	}
	for _, f := range set.Struct.Fields {
		picks := []int{-1}
		switch f.Kind {
		case FieldUnion:
			picks = picks[:0]
			for i := range f.Union.Alts {
				picks = append(picks, i)
			}
		case FieldEnum:
			picks = picks[:0]
			for i := range f.Param.Type.Enum.Tokens {
				picks = append(picks, i)
			}
		}
		for _, pick := range picks {
			s, e, w := start()
			v, fw := s.field(f, pick)
			name := base + " " + f.Name
			if pick >= 0 {
				name += fmt.Sprintf(" #%d", pick+1)
			}
			add(name, s, e, jen.Dict{jen.Id(f.Name): v}, append(w, fw...))
			if f.Kind == FieldStruct && refused(set, s.facts) != nil {
				// The required parts only.
				s, e, w := start()
				s.minimal = true
				v, fw := s.field(f, pick)
				add(name+" (required parts)", s, e, jen.Dict{jen.Id(f.Name): v}, append(w, fw...))
			}
		}
	}
	// Each rule's combination: its fields set (an alternative where it
	// names one), the negated ones left out.
	for _, r := range set.Rules {
		s, e, w := start()
		d := jen.Dict{}
		byPos := true
		for _, c := range r.When {
			if len(c.Chain) != 1 {
				byPos = false // a part of a block: the cases above cover it
				break
			}
			if c.Not {
				continue
			}
			v, _ := s.field(c.Chain[0], altPick(c))
			d[jen.Id(c.Chain[0].Name)] = v
		}
		if byPos {
			add(base+" rule "+r.Why+" ("+em.ruleFields(r)+")", s, e, d, w)
		}
	}
	// Invalid and empty values.
	for _, f := range set.Struct.Fields {
		_, e, _ := start()
		with := func(v jen.Code) jen.Code {
			return jen.Add(e).Dot("With").Call(jen.Id(set.Struct.Name).Values(jen.Dict{jen.Id(f.Name): v}))
		}
		switch f.Kind {
		case FieldEnum:
			cases = append(cases, optCase{name: base + " " + f.Name + " invalid", expr: with(jen.Lit("BOGUS")), field: em.path(f)})
		case FieldStruct:
			if rf := firstRequired(f.Struct); rf != nil {
				cases = append(cases, optCase{name: base + " " + f.Name + " empty", expr: with(rt("Some").Call(jen.Id(f.Struct.Name).Values())), field: em.path(rf)})
			}
		case FieldStructs:
			if rf := firstRequired(f.Struct); rf != nil {
				cases = append(cases, optCase{name: base + " " + f.Name + " empty element", expr: with(jen.Index().Id(f.Struct.Name).Values(jen.Values())), field: em.path(rf)})
			}
		case FieldUnions:
			cases = append(cases, optCase{name: base + " " + f.Name + " empty element", expr: with(jen.Index().Id(f.Union.Name).Values(jen.Values())), field: em.path(f) + "[]"})
		}
	}
	return cases
}

// firstRequired returns the first required field of s, in wire order,
// whose emptiness the build detects (a zero number is a value).
func firstRequired(s *OptStruct) *OptField {
	for _, st := range s.Steps {
		f := st.Field
		if f == nil || !f.Required {
			continue
		}
		switch f.Kind {
		case FieldEnum, FieldAny, FieldSlice, FieldUnion, FieldStructs, FieldUnions:
			return f
		case FieldValue:
			if isStringKind(f.Param.Type.Kind) {
				return f
			}
		}
	}
	return nil
}

// emitOptionsTest renders a group's options test file.
func emitOptionsTest(g *Group) *jen.File {
	f := newTestFile(g.Pkg, "spec/commands/"+g.Name+".json")
	var wires, errs []jen.Code
	for _, c := range g.Commands {
		if !hasOptions(c) {
			continue
		}
		for _, oc := range optionCases(c) {
			if oc.field != "" {
				errs = append(errs, jen.Values(jen.Lit(oc.name), oc.expr, jen.Lit(oc.field)))
				continue
			}
			argv := make([]jen.Code, len(oc.argv))
			for i, a := range oc.argv {
				argv[i] = jen.Lit(a)
			}
			wires = append(wires, jen.Values(jen.Lit(oc.name), oc.expr, jen.Index().String().Values(argv...)))
		}
	}
	name := "TestWireOptions" + camelName(g.Name)
	f.Commentf("%s checks the exact wire bytes of every %s command's run-time options: none, all, each field alone, each alternative and enum value.", name, g.Name)
	f.Func().Id(name).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("c")).Op(":=").Range().Index().Struct(
			jen.Id("name").String(),
			jen.Id("cmd").Add(tt("Commander")),
			jen.Id("want").Index().String(),
		).Values(wires...)).Block(
			tt("CheckWire").Call(jen.Id("t"), jen.Id("c").Dot("name"), jen.Id("c").Dot("cmd"), jen.Id("c").Dot("want")),
		),
	)
	if len(errs) > 0 {
		ename := "TestOptionErrors" + camelName(g.Name)
		f.Commentf("%s checks that invalid enum values, empty required parts and refused combinations of %s commands' options fail the build with an OptionError naming the field.", ename, g.Name)
		f.Func().Id(ename).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
			jen.For(jen.List(jen.Id("_"), jen.Id("c")).Op(":=").Range().Index().Struct(
				jen.Id("name").String(),
				jen.Id("cmd").Add(tt("Commander")),
				jen.Id("field").String(),
			).Values(errs...)).Block(
				tt("CheckOptionError").Call(jen.Id("t"), jen.Id("c").Dot("name"), jen.Id("c").Dot("cmd"), jen.Id("c").Dot("field")),
			),
		)
	}
	return f
}

// altPick is the pick (optSampler.field) of a rule condition's
// alternative, or -1 when it names none.
func altPick(c OptCond) int {
	f := c.Chain[len(c.Chain)-1]
	if c.Alt == nil {
		return -1
	}
	switch f.Kind {
	case FieldEnum:
		for i, t := range f.Param.Type.Enum.Tokens {
			if t == c.Alt.a.Token {
				return i
			}
		}
	case FieldUnion:
		for i, a := range f.Union.Alts {
			if a.Node == c.Alt {
				return i
			}
		}
	}
	return -1
}
