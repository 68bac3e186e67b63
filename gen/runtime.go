package gen

// This file is the one place where the emitters name what generated code
// uses but does not define: the runtime package cmdimpl (the builder, the
// decode primitives, the Do and Queue glue) and the user-facing aliases of
// redisclient. Every emitter refers to them through rt.

import "github.com/dave/jennifer/jen"

// runtimePath is the import path of the runtime for generated code.
const runtimePath = "github.com/redkit-go/redkit/redisclient/cmdimpl"

// userFacing are the runtime names that generated signatures and values
// spell with redisclient's user-facing names (aliases of cmdimpl's, or
// redisclient's own Client), so that the documentation of every generated
// package shows redisclient.Opt, redisclient.Future, ... .
var userFacing = map[string]bool{
	"Opt": true, "Future": true, "Doer": true, "Queuer": true, "Value": true, "Scalar": true,
	"Client": true, "FieldValue": true, "ZMember": true, "Some": true,
	"Cmd": true, "CacheableCmd": true, "OKCmd": true,
}

// runtimeStructs are reply structs of the spec's struct tables that the
// runtime defines (the pair lists take them as arguments too): generated
// packages decode them but do not declare them.
var runtimeStructs = map[string]bool{"FieldValue": true, "ZMember": true}

// rt refers to a name of the runtime (or its user-facing alias).
func rt(name string) *jen.Statement {
	if userFacing[name] {
		return jen.Qual(pkgPath, name)
	}
	return jen.Qual(runtimePath, name)
}

// decoderRef refers to a type's decode function: the runtime's for the
// base kinds, the generated (or hand-written) one otherwise.
func decoderRef(t *Type) *jen.Statement {
	if baseDecoders[t.Kind] {
		return rt("D" + t.DecoderName()[1:])
	}
	return jen.Id(t.DecoderName())
}

// typeRef refers to a struct or hand-written reply type by name.
func typeRef(t *Type) *jen.Statement {
	if t.Kind == TStruct && runtimeStructs[t.Name] {
		return rt(t.Name)
	}
	return jen.Id(t.Name)
}

// cmdtestPath is the import path of the test support of generated
// packages, which the generated tests call.
const cmdtestPath = runtimePath + "/cmdtest"

// tt refers to a helper of the generated tests' support package.
func tt(name string) *jen.Statement { return jen.Qual(cmdtestPath, name) }
