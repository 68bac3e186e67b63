package gen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/redkit-go/redkit/spec"
)

func fdesc(f *OptField) string {
	k := []string{"bool", "enum", "opt", "any", "slice", "union", "struct", "structs", "unions"}[f.Kind]
	s := f.Name + ":" + k
	if f.Required { s += "!" }
	if f.Param != nil { s += "(" + goTypeKey(f.Param.Type) + ")" }
	if f.Struct != nil {
		var in []string
		for _, x := range f.Struct.Fields { in = append(in, fdesc(x)) }
		s += "<" + f.Struct.Name + "{" + strings.Join(in, ", ") + "}>"
	}
	if f.Union != nil {
		var in []string
		for _, a := range f.Union.Alts { in = append(in, a.Ctor) }
		s += "<" + f.Union.Name + ":" + strings.Join(in, "|") + ">"
	}
	return s
}

func TestProbe3(t *testing.T) {
	s, _ := spec.LoadDir("../spec/commands")
	p, err := Build(s)
	if err != nil { t.Fatal(err) }
	for _, c := range p.Commands {
		o := c.Options
		if o == nil { continue }
		line := c.Spec.Name + ": "
		if o.Struct != nil {
			var fs []string
			for _, f := range o.Struct.Fields { fs = append(fs, fdesc(f)) }
			line += o.Struct.Name + "{" + strings.Join(fs, ", ") + "} -> " + o.With.Variant.Reply.GoExpr()
		}
		for _, l := range o.LeftOut { line += fmt.Sprintf(" [OUT %s: %s]", l.Syntax, l.Why) }
		fmt.Println(line)
	}
	st := p.Stats()
	fmt.Println(st.OptionStructs, st.OptionFields, len(st.OptionsLeftOut))
}
