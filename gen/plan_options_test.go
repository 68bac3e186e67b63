package gen

import (
	"strings"
	"testing"

	"github.com/redkit-go/redkit/spec"
)

// optionShape renders a field for TestOptionsPlan: name, kind, "!" when
// required, and the types of structs and unions.
func optionShape(f *OptField) string {
	k := []string{"bool", "enum", "opt", "any", "slice", "union", "struct", "structs", "unions"}[f.Kind]
	s := f.Name + ":" + k
	if f.Required {
		s += "!"
	}
	if f.Struct != nil {
		var in []string
		for _, x := range f.Struct.Fields {
			in = append(in, optionShape(x))
		}
		s += "<" + f.Struct.Name + "{" + strings.Join(in, " ") + "}>"
	}
	if f.Union != nil {
		var in []string
		for _, a := range f.Union.Alts {
			in = append(in, a.Ctor)
		}
		s += "<" + f.Union.Name + ":" + strings.Join(in, "|") + ">"
	}
	return s
}

func realPlan(t *testing.T) *Plan {
	t.Helper()
	s, err := spec.LoadDir("../spec/commands")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestOptionsPlan pins the options forms of representative commands: the
// fields, the reply that covers every choice and what is left out.
func TestOptionsPlan(t *testing.T) {
	p := realPlan(t)
	want := map[string]string{
		"SET":         "SetOptions{Condition:union<SetCondition:SetConditionNX|SetConditionXX|SetConditionIfEq|SetConditionIfNe|SetConditionIfDeq|SetConditionIfDne> Expiration:union<SetExpiration:SetExpirationEX|SetExpirationPX|SetExpirationEXAT|SetExpirationPXAT|SetExpirationKeepTTL>} -> bool; out GET",
		"ZADD":        "ZAddOptions{Condition:enum Comparison:enum CH:bool} -> int64; out INCR",
		"XADD":        "XAddOptions{NoMkStream:bool Condition:enum IDMP:union<XAddIDMP:XAddIDMPAuto|XAddIDMPWithID> Trim:struct<XAddTrim{Strategy:enum! Operator:enum Threshold:opt! Limit:opt}>} -> Opt[string]; out",
		"LPOP":        "LPopOptions{Count:opt} -> []string; out",
		"EXPIRE":      "ExpireOptions{Condition:enum} -> bool; out",
		"SCAN":        "ScanCommandOptions{Match:opt Count:opt Type:opt} -> ScanPage; out",
		"ZRANGE":      "ZRangeOptions{SortBy:enum Rev:bool Limit:struct<ZRangeLimit{Offset:opt! Count:opt!}> WithScores:bool} -> []ZMember switch WithScores; out",
		"GEORADIUS":   "GeoRadiusOptions{WithCoord:bool WithDist:bool WithHash:bool Count:struct<GeoRadiusCount{Count:opt! Any:bool}> Order:enum} -> []GeoLocation switch WithCoord WithDist WithHash; out <STORE key | STOREDIST key>",
		"ZRANDMEMBER": "",
		"XCLAIM":      "XClaimOptions{Idle:opt Time:opt RetryCount:opt Force:bool JustID:bool LastID:opt} -> []XMessage switch JustID; out",
	}
	for _, c := range p.Commands {
		w, ok := want[c.Spec.Name]
		if !ok {
			continue
		}
		delete(want, c.Spec.Name)
		o := c.Options
		if w == "" {
			// No switch: the command's options that change the reply stay out.
			if o != nil && o.Switch != nil {
				t.Errorf("%s: an unexpected reply switch", c.Spec.Name)
			}
			continue
		}
		if o == nil || o.Struct == nil {
			t.Errorf("%s: no options struct", c.Spec.Name)
			continue
		}
		var fs, out []string
		for _, f := range o.Struct.Fields {
			fs = append(fs, optionShape(f))
		}
		for _, l := range o.LeftOut {
			out = append(out, l.Syntax)
		}
		reply := o.With.Variant.Reply.GoExpr()
		if o.Switch != nil {
			reply += " switch"
			for _, f := range o.Switch.Fields {
				reply += " " + f.Name
			}
		}
		got := o.Struct.Name + "{" + strings.Join(fs, " ") + "} -> " + reply + "; out " + strings.Join(out, " ")
		if strings.TrimSpace(got) != w {
			t.Errorf("%s:\n got %s\nwant %s", c.Spec.Name, got, w)
		}
	}
	for name := range want {
		t.Errorf("%s: not planned", name)
	}
}

// TestCoverType checks the replies that cover several shapes.
func TestCoverType(t *testing.T) {
	str, i := &Type{Kind: TString}, &Type{Kind: TInt}
	for _, tc := range []struct {
		in   []*Type
		want string
	}{
		{[]*Type{{Kind: TOK}, {Kind: TBool}}, "bool"},
		{[]*Type{{Kind: TOpt, Elem: str}, {Kind: TSlice, Elem: str}}, "[]string"},
		{[]*Type{i, {Kind: TSlice, Elem: i}}, "[]int64"},
		{[]*Type{{Kind: TOpt, Elem: str}, i}, ""},
		{[]*Type{str, {Kind: TSlice, Elem: i}}, ""},
	} {
		got := ""
		if c := coverType(tc.in); c != nil {
			got = c.GoExpr()
			if c.Kind == TSlice && !c.OneOrMany {
				t.Errorf("%s: a slice cover must decode one or many", got)
			}
		}
		if got != tc.want {
			t.Errorf("coverType = %q, want %q", got, tc.want)
		}
	}
}
