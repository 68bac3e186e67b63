package gen

import (
	"fmt"
	"testing"

	"github.com/redkit-go/redkit/spec"
)

func TestProbe2(t *testing.T) {
	s, _ := spec.LoadDir("../spec/commands")
	p, _ := Build(s)
	want := map[string]bool{"ZADD": true, "XADD": true, "ZRANGE": true, "EXPIRE": true, "GETEX": true, "SCAN": true, "LPOP": true, "XTRIM": true, "SET": true, "RESTORE": true, "XREAD": true, "BITPOS": true, "LPOS": true, "GEORADIUS": true, "EVAL": true}
	for _, c := range p.Commands {
		if !want[c.Spec.Name] { continue }
		var walk func(n *node, d int)
		walk = func(n *node, d int) {
			for _, k := range n.kids {
				fmt.Printf("%s%d %s [%s] tok=%q opt=%v mult=%v mtok=%v\n", spaces(d), k.pos, k.path, k.a.Type, k.a.Token, k.a.Optional, k.a.Multiple, k.a.MultipleToken)
				walk(k, d+1)
			}
		}
		fmt.Println("==", c.Spec.Name)
		walk(c.Builder.root, 1)
	}
}
func spaces(d int) string { s := ""; for i := 0; i < d; i++ { s += "  " }; return s }
