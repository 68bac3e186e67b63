package gen

// This file is the emitter of redisclient/replies_gen.go: the reply structs
// and one decode function per distinct reply type, composed from the
// hand-written decoders of redisclient/decode.go.

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
)

// baseDecoders are written by hand in the runtime (cmdimpl/decode.go).
var baseDecoders = map[TypeKind]bool{TOK: true, TString: true, TInt: true, TFloat: true, TBool: true, TAny: true, TDuration: true, TTime: true}

// emitReplies renders the reply structs and decoders file.
func emitReplies(pkg *Package, types, structs []*Type) *jen.File {
	f := newFile(pkg, "spec/commands")
	for _, t := range structs {
		emitStruct(f, t)
	}
	for _, t := range types {
		emitDecoder(f, t)
	}
	return f
}

func emitStruct(f *jen.File, t *Type) {
	if runtimeStructs[t.Name] {
		return
	}
	if t.Tuple {
		f.Commentf("%s is a reply element sent as an array of %d values.", t.Name, len(t.Fields))
	} else {
		f.Commentf("%s is a reply sent as a map (RESP3) or a flat key/value array (RESP2).", t.Name)
	}
	fields := make([]jen.Code, len(t.Fields))
	for i, fd := range t.Fields {
		var c string
		if t.Tuple {
			c = fmt.Sprintf("%s is element %d.", fd.Name, i)
		} else {
			c = fmt.Sprintf("%s is the %q field.", fd.Name, fd.Key)
		}
		fields[i] = jen.Comment(c).Line().Id(fd.Name).Add(goReplyType(fd.Type))
	}
	f.Type().Id(t.Name).Struct(fields...)
	f.Line()
}

func resp_(name string) *jen.Statement { return jen.Qual(respPath, name) }

func emitDecoder(f *jen.File, t *Type) {
	if baseDecoders[t.Kind] || (t.Kind == TNamed && !t.Null) {
		return
	}
	name := t.DecoderName()
	v := jen.Id("v").Add(resp_("Value"))
	sig := func(body ...jen.Code) {
		f.Func().Id(name).Params(v).Params(goReplyType(t), jen.Error()).Block(body...)
		f.Line()
	}
	switch t.Kind {
	case TOpt:
		if t.Elem.Kind == TDuration || t.Elem.Kind == TTime {
			// The server's -1 for "never" (XINFO CONSUMERS inactive) is
			// absent like a null.
			sig(jen.Return(rt("DecodeOptNonNegative").Call(jen.Id("v"), decoderRef(t.Elem))))
			return
		}
		sig(jen.Return(rt("DecodeOpt").Call(jen.Id("v"), decoderRef(t.Elem))))
	case TSlice:
		if t.OneOrMany {
			sig(jen.Return(rt("DecodeOneOrMany").Call(jen.Id("v"), decoderRef(t.Elem))))
			return
		}
		if t.Elem.Kind == TStruct && t.Elem.Tuple && !t.Elem.Null && t.Elem.MinLen > 0 {
			sig(jen.Return(rt("DecodeShortTupleSlice").Call(jen.Id("v"), jen.Lit(t.Elem.MinLen), jen.Id(t.Elem.DecoderName()+"From"))))
			return
		}
		if t.Elem.Kind == TStruct && t.Elem.Tuple && !t.Elem.Null {
			sig(jen.Return(rt("DecodeTupleSlice").Call(jen.Id("v"), jen.Lit(len(t.Elem.Fields)), jen.Id(t.Elem.DecoderName()+"From"))))
		} else {
			sig(jen.Return(rt("DecodeSlice").Call(jen.Id("v"), decoderRef(t.Elem))))
		}
	case TMap:
		sig(jen.Return(rt("DecodeMap").Call(jen.Id("v"), decoderRef(t.Key), decoderRef(t.Elem))))
	case TStruct, TNamed:
		if t.Null {
			base := *t
			base.Null = false
			sig(
				jen.If(jen.Id("v").Dot("Kind").Call().Op("==").Add(resp_("KindNull"))).Block(jen.Return(jen.Nil(), jen.Nil())),
				jen.List(jen.Id("r"), jen.Err()).Op(":=").Id(base.DecoderName()).Call(jen.Id("v")),
				jen.Return(jen.Op("&").Id("r"), jen.Err()),
			)
			return
		}
		if t.Tuple {
			emitTupleDecoder(f, t, sig)
		} else {
			emitMapStructDecoder(t, sig)
		}
	}
}

func emitTupleDecoder(f *jen.File, t *Type, sig func(...jen.Code)) {
	name := t.DecoderName()
	sig(
		jen.List(jen.Id("x"), jen.Err()).Op(":=").Add(rt("TupleStart")).Call(jen.Id("v"), jen.Lit(1)),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(typeRef(t).Values(), jen.Err())),
		jen.Return(jen.Id(name+"From").Call(jen.Id("x"))),
	)
	f.Commentf("%sFrom decodes a %s from its first element onwards.", name, t.Name)
	body := []jen.Code{jen.Var().Id("r").Add(typeRef(t)), jen.Var().Err().Error()}
	for i, fd := range t.Fields {
		if i > 0 {
			body = append(body, jen.Id("x").Op("=").Id("x").Dot("Next").Call())
			// Elements missing at the end (older servers) keep zero values.
			body = append(body, jen.If(jen.Op("!").Id("x").Dot("Valid").Call()).Block(jen.Return(jen.Id("r"), jen.Nil())))
		}
		body = append(body, jen.If(
			jen.List(jen.Id("r").Dot(fd.Name), jen.Err()).Op("=").Add(decoderRef(fd.Type)).Call(jen.Id("x")),
			jen.Err().Op("!=").Nil(),
		).Block(jen.Return(jen.Id("r"), rt("At").Call(jen.Err(), jen.Lit(strings.ToLower(fd.Name))))))
	}
	body = append(body, jen.Return(jen.Id("r"), jen.Nil()))
	f.Func().Id(name+"From").Params(jen.Id("x").Add(resp_("Value"))).Params(typeRef(t), jen.Error()).Block(body...)
	f.Line()
}

func emitMapStructDecoder(t *Type, sig func(...jen.Code)) {
	var cases []jen.Code
	for _, fd := range t.Fields {
		cases = append(cases, jen.Case(jen.Lit(fd.Key)).Block(
			jen.List(jen.Id("r").Dot(fd.Name), jen.Err()).Op("=").Add(decoderRef(fd.Type)).Call(jen.Id("x")),
		))
	}
	sig(
		jen.Var().Id("r").Add(typeRef(t)),
		jen.Err().Op(":=").Add(rt("EachPair")).Call(jen.Id("v"), jen.Func().Params(jen.List(jen.Id("k"), jen.Id("x")).Add(resp_("Value"))).Error().Block(
			jen.Var().Err().Error(),
			jen.Switch(jen.String().Call(jen.Id("k").Dot("Bytes").Call())).Block(cases...),
			jen.Return(jen.Err()),
		)),
		jen.Return(jen.Id("r"), jen.Err()),
	)
}
