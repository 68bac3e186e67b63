package gen

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/redkit-go/redkit/spec"
)

func shape(n *node) string {
	var b strings.Builder
	var walk func(n *node)
	walk = func(n *node) {
		f := ""
		if n.optional() { f += "?" }
		if n.multiple() { f += "*" }
		switch {
		case n.isToken():
			b.WriteString("T" + f)
		case n.isEnum():
			b.WriteString("E" + f)
		case n.isScalar():
			if n.a.Token != "" { b.WriteString("t") }
			b.WriteString("S" + f)
		case n.isOneOf():
			if n.a.Token != "" { b.WriteString("t") }
			b.WriteString("O" + f + "(")
			for i, k := range n.kids { if i > 0 { b.WriteString("|") }; walk(k) }
			b.WriteString(")")
		case n.isBlock():
			if n.a.Token != "" { b.WriteString("t") }
			b.WriteString("B" + f + "(")
			for i, k := range n.kids { if i > 0 { b.WriteString(" ") }; walk(k) }
			b.WriteString(")")
		}
	}
	walk(n)
	return b.String()
}

func TestProbe(t *testing.T) {
	s, err := spec.LoadDir("../spec/commands")
	if err != nil { t.Fatal(err) }
	p, err := Build(s)
	if err != nil { t.Fatal(err) }
	counts := map[string]int{}
	ex := map[string][]string{}
	ncmd := 0
	for _, c := range p.Commands {
		ap := &argPlanner{root: c.Builder.root, ov: overrideFor(overrideTables, c.Spec.Name)}
		offs := ap.offers(c.Builder.root)
		if len(offs) == 0 { continue }
		ncmd++
		for _, o := range offs {
			sh := shape(o.n)
			counts[sh]++
			if len(ex[sh]) < 4 { ex[sh] = append(ex[sh], c.Spec.Name+":"+o.n.path) }
		}
	}
	keys := sortedKeys(counts)
	sort.Slice(keys, func(i, j int) bool { return counts[keys[i]] > counts[keys[j]] })
	fmt.Println("commands with options:", ncmd)
	for _, k := range keys { fmt.Printf("%4d %-60s %v\n", counts[k], k, ex[k]) }
}
