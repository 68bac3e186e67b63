package gen

// This file is the emitter of redisclient/commands_gen.go: the table that
// gives raw commands (built from a name and arguments) the same flags and
// key positions as generated ones.

import (
	"github.com/dave/jennifer/jen"
	"github.com/redkit-go/redkit/spec"
)

func emitTable(p *Plan, core *Package) *jen.File {
	f := newFile(core, "spec/commands")
	f.Comment("commandTable holds, by upper-case command name (\"CONFIG GET\"), the flags and key")
	f.Comment("specs of every command in the spec, for raw commands.")
	d := jen.Dict{}
	for _, c := range p.Commands {
		d[jen.Lit(c.Spec.Name)] = jen.Values(jen.Dict{
			jen.Id("meta"): metaLit(c),
			jen.Id("keys"): keySpecsLit(c.Spec.KeySpecs),
		})
	}
	f.Var().Id("commandTable").Op("=").Map(jen.String()).Id("commandInfo").Values(d)
	return f
}

func keySpecsLit(ks []spec.KeySpec) jen.Code {
	if len(ks) == 0 {
		return jen.Nil()
	}
	var items []jen.Code
	for _, k := range ks {
		d := jen.Dict{}
		if k.BeginSearch.Type == spec.SearchUnknown || k.FindKeys.Type == spec.FindUnknown {
			d[jen.Id("unknown")] = jen.True()
		}
		switch k.BeginSearch.Type {
		case spec.SearchIndex:
			d[jen.Id("index")] = jen.Lit(k.BeginSearch.Index)
		case spec.SearchKeyword:
			d[jen.Id("keyword")] = jen.Lit(k.BeginSearch.Keyword)
			d[jen.Id("startFrom")] = jen.Lit(k.BeginSearch.StartFrom)
		}
		switch k.FindKeys.Type {
		case spec.FindRange:
			d[jen.Id("lastKey")] = jen.Lit(k.FindKeys.LastKey)
			d[jen.Id("keyStep")] = jen.Lit(k.FindKeys.KeyStep)
			d[jen.Id("limit")] = jen.Lit(k.FindKeys.Limit)
		case spec.FindKeyNum:
			d[jen.Id("keyNum")] = jen.True()
			d[jen.Id("keyNumIdx")] = jen.Lit(k.FindKeys.KeyNumIndex)
			d[jen.Id("firstKey")] = jen.Lit(k.FindKeys.FirstKey)
			d[jen.Id("keyStep")] = jen.Lit(k.FindKeys.KeyStep)
		}
		if hasFlag(k.Flags, spec.KeyNotKey) {
			d[jen.Id("notKey")] = jen.True()
		}
		items = append(items, jen.Values(d))
	}
	return jen.Index().Id("keySpec").Values(items...)
}

func hasFlag(fs []string, f string) bool {
	for _, x := range fs {
		if x == f {
			return true
		}
	}
	return false
}
