package gen

// This file is the emitter of redisclient/<group>_options_gen.go: the
// run-time options forms that plan_options.go plans. Per command with an
// options struct it renders the <Func>Options struct, the structs of its
// blocks, its union types with one constructor per alternative, the With
// method of the root state and the terminal state With returns.
//
// Every struct and union gets an unexported appendTo method that adds its
// arguments to the command being built with the same ops, at the same wire
// positions, as the chained methods: the options produce the wire order of
// the equivalent chain. Empty required parts, invalid enum values and the
// planner's refused combinations fail the command with an *OptionError
// (wrapped in a BuildError when it is built).

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
)

// hasOptions reports whether command c has an options struct.
func hasOptions(c *Command) bool { return c.Options != nil && c.Options.Struct != nil }

// groupHasOptions reports whether any command of g has an options struct.
func groupHasOptions(g *Group) bool {
	for _, c := range g.Commands {
		if hasOptions(c) {
			return true
		}
	}
	return false
}

// optionsFile names the options file of a group ("string_options_gen.go").
func optionsFile(g *Group) string {
	return strings.TrimSuffix(g.File, "_gen.go") + "_options_gen.go"
}

// emitOptionsFile renders the options forms of one group's commands.
func emitOptionsFile(g *Group) *jen.File {
	f := newFile(g.Pkg, "spec/commands/"+g.Name+".json")
	for _, c := range g.Commands {
		if hasOptions(c) {
			newOptEmitter(c).emit(f)
		}
	}
	return f
}

// optEmitter renders the options form of one command.
type optEmitter struct {
	c   *Command
	set *OptionSet
	// root is the root state's type, whose pointer every appendTo takes.
	root string
	// unionPath is the Go path of the field each union serves, for errors.
	unionPath map[*OptUnion]string
}

func newOptEmitter(c *Command) *optEmitter {
	e := &optEmitter{c: c, set: c.Options, root: c.Builder.States[0].Type, unionPath: map[*OptUnion]string{}}
	var walk func(s *OptStruct)
	walk = func(s *OptStruct) {
		for _, f := range s.Fields {
			if f.Union != nil {
				e.unionPath[f.Union] = e.path(f)
			}
			if f.Struct != nil {
				walk(f.Struct)
			}
		}
	}
	walk(e.set.Struct)
	return e
}

// path is a field's Go path from the options struct's type, for errors.
func (e *optEmitter) path(f *OptField) string { return e.set.Struct.Name + "." + f.Path }

func (e *optEmitter) emit(f *jen.File) {
	e.emitStruct(f, e.set.Struct, true)
	for _, s := range e.set.Structs {
		e.emitStruct(f, s, false)
	}
	for _, u := range e.set.Unions {
		e.emitUnion(f, u)
	}
	e.emitWith(f)
}

// syntaxOf renders an argument's syntax without the brackets of its
// optionality.
func syntaxOf(n *node) string {
	a := *n.a
	a.Optional = false
	return argSyntax(&a)
}

// structDoc composes the doc comment of an options struct (top) or a
// block's struct.
func (e *optEmitter) structDoc(s *OptStruct, top bool) []string {
	if !top {
		user := e.set.Struct.Name
		for _, f := range allFields(e.set.Struct) {
			if f.Struct == s {
				user = e.path(f)
			}
		}
		return []string{
			fmt.Sprintf("%s is the %s part of %s: %s.", s.Name, argLabel(s.Node), user, syntaxOf(s.Node)),
			"A zero field leaves an optional part out; an empty required part fails the command when it is built.",
		}
	}
	name := strings.Join(e.c.Words, " ")
	lines := []string{
		fmt.Sprintf("%s are the options of %s, set from values chosen at run time:", s.Name, name),
		fmt.Sprintf("%s(...).With(%s{...}). Each field's zero value leaves its option out, so", e.c.Builder.Ctors[0].Name, s.Name),
		"the zero value sets none; the arguments go in the order of the equivalent chain.",
		"Empty required parts and invalid enum values fail the command with a BuildError",
		"(wrapping an *OptionError naming the field) when it is built.",
	}
	if len(e.set.Rules) > 0 {
		lines = append(lines, "", "Refused when built, as the server would refuse them:")
		for _, r := range e.set.Rules {
			lines = append(lines, "  - "+r.Why+" ("+e.ruleFields(r)+")")
		}
	}
	if len(e.set.LeftOut) > 0 {
		lines = append(lines, "", "Left out (chained methods of "+e.root+" only):")
		for _, l := range e.set.LeftOut {
			lines = append(lines, "  - "+l.Syntax+": "+l.Why)
		}
	}
	return lines
}

// allFields lists the fields of s and of the structs within, depth first.
func allFields(s *OptStruct) []*OptField {
	var out []*OptField
	for _, f := range s.Fields {
		out = append(out, f)
		if f.Struct != nil {
			out = append(out, allFields(f.Struct)...)
		}
	}
	return out
}

// ruleFields names the fields of a rule.
func (e *optEmitter) ruleFields(r *OptRule) string {
	var names []string
	for _, c := range r.When {
		names = append(names, e.path(c.Chain[len(c.Chain)-1]))
	}
	return strings.Join(names, " and ")
}

// fieldDoc composes a field's doc comment.
func (e *optEmitter) fieldDoc(f *OptField) []string {
	first := fmt.Sprintf("%s sends %s.", f.Name, syntaxOf(f.Node))
	m := &Method{}
	(&argPlanner{cmd: e.c}).describe(m, f.Node)
	if m.Meaning == "" && f.Node.isBlock() && len(f.Node.kids) > 0 && f.Node.kids[0].a.Token != "" {
		mm := &Method{}
		(&argPlanner{cmd: e.c}).describe(mm, f.Node.kids[0])
		m.Meaning = mm.Meaning
	}
	if m.Meaning != "" {
		first += " " + m.Meaning
	}
	lines := []string{first}
	var how string
	switch f.Kind {
	case FieldBool:
		how = "Sent when true."
	case FieldEnum:
		how = "One of " + strings.Join(f.Param.Type.Enum.Consts, ", ")
		if f.Required {
			how += "; required."
		} else {
			how += "; empty leaves it out."
		}
	case FieldValue:
		if f.Required {
			how = "Required."
			if isStringKind(f.Param.Type.Kind) {
				how = "Required: empty fails the command."
			}
		} else {
			how = "Some(v) sets it."
		}
	case FieldAny:
		if f.Required {
			how = "Required: nil fails the command."
		} else {
			how = "nil leaves it out."
		}
	case FieldSlice, FieldStructs, FieldUnions:
		if f.Required {
			how = "Required: empty fails the command."
		} else {
			how = "Empty leaves it out."
		}
		if f.Kind == FieldUnions {
			how += " Elements are made by " + ctorNames(f.Union) + "."
		}
	case FieldUnion:
		how = "Made by " + ctorNames(f.Union) + "; the zero value leaves it out."
		if f.Required {
			how = "Made by " + ctorNames(f.Union) + "; required."
		}
	case FieldStruct:
		how = "Some(" + f.Struct.Name + "{...}) sets it."
	}
	lines = append(lines, how)
	lines = append(lines, e.switchFieldDoc(f)...)
	lines = append(lines, paramNotes(f.Ops)...)
	if s := optionSince(m); s != "" {
		lines = append(lines, s)
	}
	for _, r := range e.set.Rules {
		for _, c := range r.When {
			if c.Chain[len(c.Chain)-1] == f {
				lines = append(lines, "Refused when built: "+r.Why+".")
				break
			}
		}
	}
	return lines
}

func ctorNames(u *OptUnion) string {
	var names []string
	for _, a := range u.Alts {
		names = append(names, a.Ctor)
	}
	return strings.Join(names, ", ")
}

func isStringKind(k GoKind) bool { return k == KindKey || k == KindString }

// elemType is a repeated parameter's element type.
func elemType(p *Param) GoType {
	t := p.Type
	t.Slice = false
	return t
}

// fieldType renders a field's Go type.
func fieldType(f *OptField) *jen.Statement {
	switch f.Kind {
	case FieldBool:
		return jen.Bool()
	case FieldEnum:
		return jen.Id(f.Param.Type.Enum.Name)
	case FieldValue:
		t := goType(f.Param.Type, "")
		if f.Required {
			return t
		}
		return rt("Opt").Types(t)
	case FieldAny:
		return goType(f.Param.Type, "")
	case FieldSlice:
		return jen.Index().Add(goType(elemType(f.Param), ""))
	case FieldUnion:
		return jen.Id(f.Union.Name)
	case FieldStruct:
		return rt("Opt").Types(jen.Id(f.Struct.Name))
	case FieldStructs:
		return jen.Index().Id(f.Struct.Name)
	case FieldUnions:
		return jen.Index().Id(f.Union.Name)
	}
	panic(fmt.Sprintf("gen: unknown field kind %d", f.Kind))
}

// emitStruct renders an options or block struct and its appendTo method.
func (e *optEmitter) emitStruct(f *jen.File, s *OptStruct, top bool) {
	comments(f, e.structDoc(s, top))
	var fields []jen.Code
	for i, fd := range s.Fields {
		if i > 0 {
			fields = append(fields, jen.Line())
		}
		for _, l := range e.fieldDoc(fd) {
			fields = append(fields, jen.Comment(l))
		}
		fields = append(fields, jen.Id(fd.Name).Add(fieldType(fd)))
	}
	f.Type().Id(s.Name).Struct(fields...)
	f.Line()
	var body []jen.Code
	for _, st := range s.Steps {
		if st.Field == nil {
			body = append(body, opStmts("c", st.Ops)...)
			continue
		}
		fd := st.Field
		body = append(body, e.fieldStmts(fd, func() *jen.Statement { return jen.Id("o").Dot(fd.Name) })...)
	}
	if top {
		for _, r := range e.set.Rules {
			body = append(body, e.ruleStmt(r))
		}
	}
	f.Commentf("appendTo adds the arguments of o to c in wire order.")
	f.Func().Params(jen.Id("o").Id(s.Name)).Id("appendTo").Params(jen.Id("c").Op("*").Id(e.root)).Block(body...)
	f.Line()
}

// nodeOnly returns ops narrowed first to the one server that has node n
// (or the nearest group holding it), as withOnly does.
func nodeOnly(ops []Op, n *node) []Op {
	if p := serversNode(n); p != nil {
		return withOnly(ops, onlyLabel(n, p), p.a.OnlyOn())
	}
	return ops
}

// failStmt fails the command being built with err.
func failStmt(err jen.Code) jen.Code { return jen.Id("c").Dot("b").Dot("Fail").Call(err) }

func missingStmt(path string) jen.Code {
	return failStmt(rt("MissingOption").Call(jen.Lit(path)))
}

// flagStmts set transport flags.
func flagStmts(flags []string) []jen.Code {
	if len(flags) == 0 {
		return nil
	}
	return opStmts("c", []Op{{Kind: OpFlag, Flags: flags}})
}

// fieldStmts renders the statements that send field fd, read by x.
func (e *optEmitter) fieldStmts(fd *OptField, x func() *jen.Statement) []jen.Code {
	path := e.path(fd)
	valOf := func(v func() *jen.Statement) func(*Param) *jen.Statement {
		return func(*Param) *jen.Statement { return v() }
	}
	send := func(v func() *jen.Statement) []jen.Code {
		return append(opStmtsWith("c", nodeOnly(fd.Ops, fd.Node), valOf(v)), flagStmts(fd.Flags)...)
	}
	// A field sent by its struct or union narrows the command first when
	// only one server has it.
	narrow := func(stmts ...jen.Code) []jen.Code {
		return append(opStmts("c", nodeOnly(nil, fd.Node)), stmts...)
	}
	switch fd.Kind {
	case FieldBool:
		return []jen.Code{jen.If(x()).Block(send(x)...)}
	case FieldEnum:
		var empty []jen.Code
		if fd.Required {
			empty = []jen.Code{missingStmt(path)}
		}
		var consts []jen.Code
		for _, c := range fd.Param.Type.Enum.Consts {
			consts = append(consts, jen.Id(c))
		}
		return []jen.Code{jen.Switch(x()).Block(
			jen.Case(jen.Lit("")).Block(empty...),
			jen.Case(consts...).Block(send(x)...),
			jen.Default().Block(failStmt(rt("InvalidOption").Call(jen.Lit(path), jen.String().Call(x())))),
		)}
	case FieldValue:
		if !fd.Required {
			return []jen.Code{jen.If(x().Dot("Valid")).Block(send(func() *jen.Statement { return x().Dot("Value") })...)}
		}
		if isStringKind(fd.Param.Type.Kind) {
			return []jen.Code{jen.If(x().Op("==").Lit("")).Block(missingStmt(path)).Else().Block(send(x)...)}
		}
		return send(x)
	case FieldAny:
		if fd.Required {
			return []jen.Code{jen.If(x().Op("==").Nil()).Block(missingStmt(path)).Else().Block(send(x)...)}
		}
		return []jen.Code{jen.If(x().Op("!=").Nil()).Block(send(x)...)}
	case FieldSlice:
		if fd.Required {
			return []jen.Code{jen.If(jen.Len(x()).Op("==").Lit(0)).Block(missingStmt(path)).Else().Block(send(x)...)}
		}
		return []jen.Code{jen.If(jen.Len(x()).Op(">").Lit(0)).Block(send(x)...)}
	case FieldUnion:
		if fd.Required {
			return []jen.Code{jen.If(x().Dot("alt").Op("==").Lit(0)).Block(missingStmt(path)).Else().Block(
				narrow(append([]jen.Code{x().Dot("appendTo").Call(jen.Id("c"))}, flagStmts(fd.Flags)...)...)...)}
		}
		if len(fd.Flags) == 0 && serversNode(fd.Node) == nil {
			return []jen.Code{x().Dot("appendTo").Call(jen.Id("c"))}
		}
		return []jen.Code{jen.If(x().Dot("alt").Op("!=").Lit(0)).Block(
			narrow(append([]jen.Code{x().Dot("appendTo").Call(jen.Id("c"))}, flagStmts(fd.Flags)...)...)...)}
	case FieldStruct:
		return []jen.Code{jen.If(x().Dot("Valid")).Block(
			narrow(append([]jen.Code{x().Dot("Value").Dot("appendTo").Call(jen.Id("c"))}, flagStmts(fd.Flags)...)...)...)}
	case FieldStructs, FieldUnions:
		each := []jen.Code{}
		if fd.Kind == FieldUnions {
			each = append(each, jen.If(jen.Id("v").Dot("alt").Op("==").Lit(0)).Block(missingStmt(path+"[]")))
		}
		each = append(each, jen.Id("v").Dot("appendTo").Call(jen.Id("c")))
		body := opStmts("c", nodeOnly(fd.Pre, fd.Node))
		body = append(body, jen.For(jen.List(jen.Id("_"), jen.Id("v")).Op(":=").Range().Add(x())).Block(each...))
		body = append(body, flagStmts(fd.Flags)...)
		if fd.Required {
			return []jen.Code{jen.If(jen.Len(x()).Op("==").Lit(0)).Block(missingStmt(path)).Else().Block(body...)}
		}
		return []jen.Code{jen.If(jen.Len(x()).Op(">").Lit(0)).Block(body...)}
	}
	panic(fmt.Sprintf("gen: unknown field kind %d", fd.Kind))
}

// condExpr renders one condition of a rule, on the options struct o.
func condExpr(c OptCond) *jen.Statement {
	x := jen.Id("o")
	var parts []*jen.Statement
	for i, f := range c.Chain {
		last := i == len(c.Chain)-1
		acc := jen.Add(x).Dot(f.Name)
		if !last {
			// Only structs hold fields: the struct must be present.
			parts = append(parts, jen.Add(acc).Dot("Valid"))
			x = jen.Add(acc).Dot("Value")
			continue
		}
		switch {
		case c.Alt != nil && f.Kind == FieldEnum:
			e := f.Param.Type.Enum
			for j, t := range e.Tokens {
				if t == c.Alt.a.Token {
					parts = append(parts, jen.Add(acc).Op("==").Id(e.Consts[j]))
				}
			}
		case c.Alt != nil && f.Kind == FieldUnion:
			for j, a := range f.Union.Alts {
				if a.Node == c.Alt {
					parts = append(parts, jen.Add(acc).Dot("alt").Op("==").Lit(j+1))
				}
			}
		default:
			parts = append(parts, presentExpr(f, acc))
		}
	}
	var out *jen.Statement
	for i, p := range parts {
		if i == 0 {
			out = p
		} else {
			out = jen.Add(out).Op("&&").Add(p)
		}
	}
	if c.Not {
		return jen.Op("!").Parens(out)
	}
	return out
}

// presentExpr tells whether field f, read by acc, is set.
func presentExpr(f *OptField, acc *jen.Statement) *jen.Statement {
	switch f.Kind {
	case FieldBool:
		return acc
	case FieldEnum:
		return acc.Op("!=").Lit("")
	case FieldValue:
		if f.Required {
			return jen.True()
		}
		return acc.Dot("Valid")
	case FieldAny:
		return acc.Op("!=").Nil()
	case FieldSlice, FieldStructs, FieldUnions:
		return jen.Len(acc).Op(">").Lit(0)
	case FieldUnion:
		return acc.Dot("alt").Op("!=").Lit(0)
	case FieldStruct:
		return acc.Dot("Valid")
	}
	panic("gen: unknown field kind")
}

// ruleStmt refuses a rule's combination.
func (e *optEmitter) ruleStmt(r *OptRule) jen.Code {
	var cond *jen.Statement
	for i, c := range r.When {
		if i == 0 {
			cond = condExpr(c)
		} else {
			cond = jen.Add(cond).Op("&&").Add(condExpr(c))
		}
	}
	return jen.If(cond).Block(failStmt(jen.Op("&").Add(rt("OptionError")).Values(jen.Dict{
		jen.Id("Field"):  jen.Lit(e.ruleFields(r)),
		jen.Id("Reason"): jen.Lit(r.Why),
	})))
}

// emitUnion renders a union type, its constructors and appendTo.
func (e *optEmitter) emitUnion(f *jen.File, u *OptUnion) {
	path := e.unionPath[u]
	var alts []string
	for _, a := range u.Alts {
		alts = append(alts, syntaxOf(a.Node))
	}
	f.Commentf("%s is a choice among %s for %s, made by %s. Its zero value leaves it out.", u.Name, strings.Join(alts, " | "), path, ctorNames(u))
	fields := []jen.Code{jen.Comment("alt is the chosen alternative, 1-based; 0 when none is."), jen.Id("alt").Uint8()}
	for _, s := range u.Slots {
		fields = append(fields, jen.Id(s.Name).Add(goType(s.Type, "")))
	}
	f.Type().Id(u.Name).Struct(fields...)
	f.Line()
	for i, a := range u.Alts {
		m := &Method{}
		(&argPlanner{cmd: e.c}).describe(m, a.Node)
		first := fmt.Sprintf("%s chooses %s.", a.Ctor, strings.TrimSpace(opsSyntax(a.Ops)))
		if m.Meaning != "" {
			first += " " + m.Meaning
		}
		lines := append([]string{first}, paramNotes(a.Ops)...)
		if s := optionSince(m); s != "" {
			lines = append(lines, s)
		}
		comments(f, lines)
		d := jen.Dict{jen.Id("alt"): jen.Lit(i + 1)}
		for j, p := range a.Params {
			d[jen.Id(a.Slots[j].Name)] = jen.Id(p.Name)
		}
		f.Func().Id(a.Ctor).Params(params(a.Params)...).Id(u.Name).Block(jen.Return(jen.Id(u.Name).Values(d)))
		f.Line()
	}
	var cases []jen.Code
	for i, a := range u.Alts {
		slot := map[*Param]*OptSlot{}
		for j, p := range a.Params {
			slot[p] = a.Slots[j]
		}
		var body []jen.Code
		for _, p := range a.Params {
			if p.Type.Kind != KindEnum || p.Variadic {
				continue
			}
			var consts []jen.Code
			for _, c := range p.Type.Enum.Consts {
				consts = append(consts, jen.Id(c))
			}
			acc := jen.Id("u").Dot(slot[p].Name)
			body = append(body, jen.Switch(acc).Block(
				jen.Case(consts...),
				jen.Default().Block(
					failStmt(rt("InvalidOption").Call(jen.Lit(path), jen.String().Call(jen.Id("u").Dot(slot[p].Name)))),
					jen.Return(),
				),
			))
		}
		body = append(body, opStmtsWith("c", nodeOnly(a.Ops, a.Node), func(p *Param) *jen.Statement { return jen.Id("u").Dot(slot[p].Name) })...)
		body = append(body, flagStmts(u.Flags)...)
		cases = append(cases, jen.Case(jen.Lit(i+1)).Block(body...))
	}
	f.Comment("appendTo adds the chosen alternative's arguments to c; none when none is chosen.")
	f.Func().Params(jen.Id("u").Id(u.Name)).Id("appendTo").Params(jen.Id("c").Op("*").Id(e.root)).Block(
		jen.Switch(jen.Id("u").Dot("alt")).Block(cases...),
	)
	f.Line()
}

// emitWith renders the root state's With method and the state it returns.
func (e *optEmitter) emitWith(f *jen.File) {
	st := e.set.With
	s := e.set.Struct
	lines := []string{
		fmt.Sprintf("With sets the options in o, chosen at run time, in the order of the equivalent chain: %s(...).With(o)", e.c.Builder.Ctors[0].Name),
		"sends what the chained methods for o's fields would. The command then takes no more options.",
		"Empty required parts, invalid enum values and refused combinations fail the command with a",
		"BuildError when it is built.",
	}
	if e.set.Cover != "" {
		lines = append(lines, fmt.Sprintf("Its reply is %s.", e.set.Cover))
	}
	sw := e.set.Switch
	if sw != nil {
		lines = append(lines, e.switchDoc()...)
	}
	comments(f, lines)
	cache := hasFlagName(e.c.Flags, "FlagCacheable")
	body := []jen.Code{jen.Id("o").Dot("appendTo").Call(jen.Op("&").Id("c"))}
	if sw != nil {
		var cond *jen.Statement
		for i, fd := range sw.Fields {
			p := presentExpr(fd, jen.Id("o").Dot(fd.Name))
			if i == 0 {
				cond = p
			} else {
				cond = jen.Add(cond).Op("||").Add(p)
			}
		}
		adapter := jen.Id(sw.Adapter.Func)
		if sw.Adapter.Runtime {
			adapter = rt(sw.Adapter.Func)
		}
		set, unset := decoderRef(sw.Reply), adapter
		if sw.Adapter.FromVariant {
			set, unset = adapter, decoderRef(sw.Reply)
		}
		body = append(body,
			jen.If(cond).Block(jen.Return(newCmdWith(set, cache))),
			jen.Return(newCmdWith(unset, cache)),
		)
	} else {
		body = append(body, jen.Return(newCmd(st.Variant.Reply, cache)))
	}
	f.Func().Params(jen.Id("c").Id(e.root)).Id("With").Params(jen.Id("o").Id(s.Name)).Add(cmdType(st.Variant.Reply, cache)).Block(body...)
	f.Line()
}

// switchDoc says, in With's doc comment, what the reply holds for each
// choice of the options that switch its decoder.
func (e *optEmitter) switchDoc() []string {
	sw := e.set.Switch
	var names []string
	for _, fd := range sw.Fields {
		names = append(names, fd.Name)
	}
	lines := []string{fmt.Sprintf("Its reply is %s, decoded as o chooses (never guessed from the reply):", sw.Reply.GoExpr())}
	for i, fd := range sw.Fields {
		lines = append(lines, fmt.Sprintf("  - with %s, %s;", fd.Name, sw.Adapter.Holds[sw.Nodes[i].a.Token]))
	}
	none := "without " + names[0]
	if len(names) > 1 {
		none = "with none of " + strings.Join(names, ", ")
	}
	lines = append(lines, fmt.Sprintf("  - %s, %s.", none, sw.Adapter.Else))
	if len(names) > 1 {
		lines = append(lines, "A field that no set option fills is 0.")
	}
	return lines
}

// switchFieldDoc says, in a field's doc comment, how the field changes
// With's reply, when it switches its decoder.
func (e *optEmitter) switchFieldDoc(f *OptField) []string {
	sw := e.set.Switch
	if sw == nil {
		return nil
	}
	var names []string
	at := -1
	for i, fd := range sw.Fields {
		if fd == f {
			at = i
		}
		names = append(names, fd.Name)
	}
	if at < 0 {
		return nil
	}
	set, unset := "when true", "when false"
	if f.Kind != FieldBool {
		set, unset = "when set", "when unset"
	}
	if len(names) > 1 {
		unset = "when none of " + strings.Join(names, ", ") + " is set"
	}
	return []string{
		fmt.Sprintf("It chooses With's reply (%s): %s, %s;", sw.Reply.GoExpr(), set, sw.Adapter.Holds[sw.Nodes[at].a.Token]),
		fmt.Sprintf("%s, %s.", unset, sw.Adapter.Else),
	}
}
