package gen

// This file is the planning layer's entry point: it walks the spec and
// decides, once, every Go name, builder, enum, unit and reply type that the
// emitters render.

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/redkit-go/redkit/spec"
)

// planner holds the state of one planning run.
type planner struct {
	plan   *Plan
	names  map[string]string // exported Go name -> what claimed it
	groups map[string]*Group
	enums  map[string]*Enum    // by signature
	units  map[string]*Builder // by signature
	named  map[string]*Type
	// renames holds the current command's struct renames.
	renames map[string]string
	// fields holds the current command's field overrides, and fieldsUsed
	// those applied.
	fields     map[string]FieldOverride
	fieldsUsed map[string]bool
	// overrides are the per-command override tables in use.
	overrides []map[string]*Override
	opts      Options
	// pkgs are the output packages by name; pkg is the current command's.
	pkgs map[string]*Package
	pkg  *Package
}

// Options adjust a generator run.
type Options struct {
	// GenericFallback types the replies of commands that have neither a
	// reply schema nor an override as the generic Value instead of failing
	// (for specs imported from a live server with unknown modules).
	GenericFallback bool
	// Package, when set, puts every command into one package of this name
	// with import path PackagePath (redkit gen for a user's own module);
	// StripPrefix is then the command-name prefix dropped from its Go
	// names ("MYMOD" for MYMOD.ADD -> Add).
	Package, PackagePath, StripPrefix string
}

// reservedNames are exported names of hand-written redisclient code.
var reservedNames = []string{
	"Client", "Options", "New", "NewFromURL", "Opt", "Value", "Doer", "Pipeline", "Future", "Tx",
	"Raw", "RawCmd", "String", "Error", "Cmd", "Command", "Queuer",
	"ExpiryState", "ExpiryNoKey", "ExpiryNone", "ExpirySet",
	"HExpireNoField", "HExpireNotSet", "HExpireSet", "HExpireDeleted",
	"HPersistNoField", "HPersistNoExpiry", "HPersistRemoved",
	"Some", "Cmd", "CacheableCmd", "OKCmd", "ScanOptions", "CacheOptions", "SubscriberOptions", "ClusterOptions", "SentinelOptions",
}

// Build plans the whole spec with the repository's override tables.
func Build(s *spec.Spec) (*Plan, error) { return build(s, overrideTables, Options{}) }

// BuildWith plans s with options.
func BuildWith(s *spec.Spec, opts Options) (*Plan, error) { return build(s, overrideTables, opts) }

// build plans s with the given per-command override tables.
func build(s *spec.Spec, overrides []map[string]*Override, opts Options) (*Plan, error) {
	pl := &planner{
		overrides: overrides,
		opts:      opts,
		plan:      &Plan{Spec: s, Types: newTypeSet()},
		names:     map[string]string{},
		groups:    map[string]*Group{},
		enums:     map[string]*Enum{},
		units:     map[string]*Builder{},
		named:     map[string]*Type{},
		pkgs:      map[string]*Package{},
	}
	if err := checkOverrides(s, overrides, opts.GenericFallback); err != nil {
		return nil, err
	}
	var errs []error
	for _, c := range s.Commands {
		if why := skipReason(s, c); why != "" {
			pl.plan.Skipped = append(pl.plan.Skipped, Skipped{Name: c.Name, Reason: why})
			continue
		}
		if err := pl.planCommand(c); err != nil {
			errs = append(errs, fmt.Errorf("command %s: %w", c.Name, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	// The run-time options forms are planned once every builder is, so
	// that the names they claim never change a builder's.
	for _, c := range pl.plan.Commands {
		pl.pkg = pl.group(c.Spec.Group).Pkg
		if err := pl.planOptions(c); err != nil {
			errs = append(errs, fmt.Errorf("command %s: %w", c.Spec.Name, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, g := range pl.groups {
		pl.plan.Groups = append(pl.plan.Groups, g)
	}
	sort.Slice(pl.plan.Groups, func(i, j int) bool { return pl.plan.Groups[i].Name < pl.plan.Groups[j].Name })
	pl.plan.Packages = sortPackages(pl.pkgs)
	for _, e := range pl.enums {
		pl.plan.Enums = append(pl.plan.Enums, e)
		e.Group.Enums = append(e.Group.Enums, e)
	}
	sort.Slice(pl.plan.Enums, func(i, j int) bool { return pl.plan.Enums[i].Name < pl.plan.Enums[j].Name })
	for _, u := range pl.units {
		pl.plan.Units = append(pl.plan.Units, u)
		u.Unit.Group.Units = append(u.Unit.Group.Units, u)
	}
	sort.Slice(pl.plan.Units, func(i, j int) bool { return pl.plan.Units[i].Name < pl.plan.Units[j].Name })
	for _, g := range pl.plan.Groups {
		sort.Slice(g.Enums, func(i, j int) bool { return g.Enums[i].Name < g.Enums[j].Name })
		sort.Slice(g.Units, func(i, j int) bool { return g.Units[i].Name < g.Units[j].Name })
	}
	return pl.plan, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// skipReason says why a command gets no builder, or "".
func skipReason(s *spec.Spec, c *spec.Command) string {
	if s.IsContainer(c.Name) {
		return "container: sent through its subcommands"
	}
	if strings.HasPrefix(c.Name, "_") || strings.Contains(c.Name, "._") {
		return "module-internal command"
	}
	if why, ok := skipCommands[c.Name]; ok {
		return why
	}
	return ""
}

// claim reserves an exported Go name in the current package.
func (pl *planner) claim(name, owner string) error {
	k := pl.pkg.Name + "." + name
	if prev, ok := pl.names[k]; ok && prev != owner {
		return fmt.Errorf("Go name %s wanted by %s is already used by %s", k, owner, prev)
	}
	pl.names[k] = owner
	return nil
}

// claimUnique reserves name in the current package, or name with a
// numeric suffix when taken.
func (pl *planner) claimUnique(name, owner string) string {
	n := name
	for i := 2; ; i++ {
		if _, ok := pl.names[pl.pkg.Name+"."+n]; !ok {
			pl.names[pl.pkg.Name+"."+n] = owner
			return n
		}
		n = fmt.Sprintf("%s%d", name, i)
	}
}

func (pl *planner) group(name string) *Group {
	g, ok := pl.groups[name]
	if !ok {
		g = &Group{Name: name, File: strings.NewReplacer("-", "_", ".", "_").Replace(name) + "_gen.go", Pkg: pl.packageFor(name)}
		g.Pkg.Groups = append(g.Pkg.Groups, g)
		pl.groups[name] = g
	}
	return g
}

// planCommand plans one command: names, flags, reply variants and builder.
func (pl *planner) planCommand(c *spec.Command) error {
	ov := overrideFor(pl.overrides, c.Name)
	g := pl.group(c.Group)
	pl.pkg = g.Pkg
	cmd := &Command{Spec: c, Func: funcNameIn(g.Pkg, c.Name), Words: c.Words(), Group: g}
	if err := pl.claim(cmd.Func, c.Name); err != nil {
		return err
	}
	cmd.Flags, cmd.Request, cmd.Response = commandFlags(c, ov)
	if err := pl.planReplies(cmd, ov); err != nil {
		return err
	}
	args := overrideArgs(c, ov)
	root := buildTree(c.Name, args)
	b := &Builder{Name: cmd.Func + "Cmd", Command: cmd, root: root}
	if err := pl.claim(b.Name, c.Name); err != nil {
		return err
	}
	cmd.Builder = b
	ap := &argPlanner{p: pl, cmd: cmd, ov: ov, b: b, root: root, states: map[string]*State{}, stem: cmd.Func, rules: resolveRules(c.Name, root)}
	if err := ap.planBuilder(); err != nil {
		return err
	}
	for i, st := range b.States {
		if i == 0 {
			continue
		}
		st.Type = pl.claimUnique(st.Type, c.Name)
	}
	pl.plan.Commands = append(pl.plan.Commands, cmd)
	cmd.Group.Commands = append(cmd.Group.Commands, cmd)
	return nil
}

// planReplies decides the base reply type and the option-selected variants.
func (pl *planner) planReplies(cmd *Command, ov *Override) error {
	stem := cmd.Func + "Reply"
	pl.renames, pl.fields, pl.fieldsUsed = ov.Structs, ov.Fields, map[string]bool{}
	defer func() { pl.renames, pl.fields, pl.fieldsUsed = nil, nil, nil }()
	var base *Type
	var err error
	if ov.Reply != "" {
		base, err = pl.parseTypeIn(ov.Reply, cmd.Spec.Reply, stem)
	} else {
		base, err = pl.typeFromSchema(cmd.Spec.Reply, stem)
	}
	var noShape errNoShape
	if err != nil && pl.opts.GenericFallback && errors.As(err, &noShape) {
		base, err = &Type{Kind: TAny}, nil
		if ov.Why == "" {
			ov = &Override{Why: "no reply type known (" + noShape.why + ")", Variants: ov.Variants}
		}
	}
	if err != nil {
		return fmt.Errorf("reply: %w (add a reply override in gen/overrides.go)", err)
	}
	cmd.Base = &Variant{Reply: pl.plan.Types.add(base)}
	cmd.Variants = append(cmd.Variants, cmd.Base)
	for i, vo := range ov.Variants {
		t, err := pl.parseTypeIn(vo.Reply, cmd.Spec.Reply, cmd.Func+vo.Name+"Reply")
		if err != nil {
			return fmt.Errorf("reply variant %s: %w", vo.Name, err)
		}
		cmd.Variants = append(cmd.Variants, &Variant{Name: vo.Name, Reply: pl.plan.Types.add(t), Rank: i + 1})
	}
	for _, k := range sortedKeys(pl.fields) {
		if !pl.fieldsUsed[k] {
			return fmt.Errorf("field override %s: no such field in the reply's structs", k)
		}
	}
	for _, v := range cmd.Variants {
		if containsAny(v.Reply, map[*Type]bool{}) && ov.Why == "" {
			return fmt.Errorf("reply %s holds generic values: say why in the override (Why), or give it a type", v.Reply.GoExpr())
		}
	}
	cmd.GenericWhy = ov.Why
	return nil
}

// enumFor returns the shared enum type for a token choice.
func (pl *planner) enumFor(ap *argPlanner, n *node) *Enum {
	var toks []string
	for _, k := range n.kids {
		toks = append(toks, k.a.Token)
	}
	sig := strings.Join(toks, "|")
	if e, ok := pl.enums[pl.pkg.Name+" "+sig]; ok {
		return e
	}
	name, ok := lookupTable(enumNameTables, sig)
	if !ok {
		name = ap.stem + camelName(n.a.Name)
	}
	name = trimPrefixIn(pl.pkg, name)
	name = pl.claimUnique(name, "enum "+sig)
	e := &Enum{Name: name, Tokens: toks, Group: ap.cmd.Group, sig: sig}
	for i, t := range toks {
		e.Consts = append(e.Consts, pl.claimUnique(name+tokenName(t), "enum "+sig))
		e.Servers = append(e.Servers, n.kids[i].a.Servers)
	}
	pl.enums[pl.pkg.Name+" "+sig] = e
	return e
}

// unitFor returns the unit builder for a choice or a repeated block with
// optional parts.
func (pl *planner) unitFor(ap *argPlanner, n *node) (*Builder, error) {
	sig := unitSignature(n)
	if u, ok := pl.units[pl.pkg.Name+" "+sig]; ok {
		return u, nil
	}
	stem := ap.stem + camelName(n.a.Name)
	if name, ok := ap.ov.Names[n.path+"#unit"]; ok {
		stem = trimPrefixIn(pl.pkg, name)
	}
	iface := pl.claimUnique(stem+"Arg", ap.cmd.Spec.Name)
	// The unit's own tree: a copy of n as the root, renumbered.
	root := buildTree(n.a.Name, []*spec.Argument{unitRootArg(n.a)})
	root = root.kids[0]
	root.parent = nil
	root.path = n.path
	fixPaths(root)
	u := &Builder{
		Name: pl.claimUnique(stem+"Builder", ap.cmd.Spec.Name),
		Unit: &UnitInfo{Iface: iface, Marker: "is" + iface, Group: ap.cmd.Group, sig: sig},
		root: root,
	}
	pl.units[pl.pkg.Name+" "+sig] = u
	up := &argPlanner{p: pl, cmd: ap.cmd, ov: ap.ov, b: u, root: root, states: map[string]*State{}, stem: stem}
	if root.isOneOf() {
		// Choice constructors are named after the command and the
		// alternative: GeoSearchFromMember, ClusterSetSlotImporting.
		up.ctorStem = ap.stem
	}
	if err := up.planBuilder(); err != nil {
		return nil, err
	}
	for i, c := range u.Ctors {
		c.Name = pl.claimUnique(c.Name, ap.cmd.Spec.Name)
		_ = i
	}
	for i, st := range u.States {
		if i == 0 {
			continue
		}
		st.Type = pl.claimUnique(st.Type, ap.cmd.Spec.Name)
	}
	return u, nil
}

// unitRootArg copies a unit's root argument without the flags that belong
// to its place in the parent (optional, multiple) or its leading token,
// which the parent sends.
func unitRootArg(a *spec.Argument) *spec.Argument {
	c := *a
	c.Optional, c.Multiple, c.MultipleToken = false, false, false
	if c.Type == spec.TypeOneOf {
		c.Token = ""
	}
	return &c
}

func fixPaths(n *node) {
	for _, k := range n.kids {
		k.path = n.path + "." + k.a.Name
		fixPaths(k)
	}
}

// unitSignature identifies structurally identical argument subtrees so that
// commands share unit types (GEOSEARCH and GEOSEARCHSTORE's FROM choice).
func unitSignature(n *node) string {
	var b strings.Builder
	var walk func(n *node)
	walk = func(n *node) {
		fmt.Fprintf(&b, "(%s %s %q %v %v %v", n.a.Name, n.a.Type, n.a.Token, n.a.Optional, n.a.Multiple, n.a.MultipleToken)
		for _, k := range n.kids {
			walk(k)
		}
		b.WriteString(")")
	}
	walk(n)
	return b.String()
}

// commandFlags maps spec flags and tips to transport flag names.
func commandFlags(c *spec.Command, ov *Override) (flags []string, req, resp string) {
	set := map[string]bool{}
	add := func(f string) { set[f] = true }
	if c.HasFlag(spec.FlagReadOnly) {
		add("FlagReadOnly")
	}
	if c.HasFlag(spec.FlagWrite) {
		add("FlagWrite")
	}
	if c.HasFlag(spec.FlagBlocking) {
		add("FlagBlocking")
	}
	if c.HasFlag(spec.FlagPubSub) {
		add("FlagPubSub")
	}
	if c.HasFlag(spec.FlagAdmin) {
		add("FlagAdmin")
	}
	if c.HasFlag(spec.FlagMayReplicate) {
		add("FlagMayReplicate")
	}
	if c.HasFlag(spec.FlagNoMulti) {
		add("FlagNoMulti")
	}
	if c.HasFlag(spec.FlagLoading) {
		add("FlagLoading")
	}
	if len(c.KeySpecs) == 0 && !hasKeyArg(c.Arguments) {
		add("FlagNoKey")
	}
	if c.Group == "scripting" && !strings.HasPrefix(c.Name, "SCRIPT") && !strings.HasPrefix(c.Name, "FUNCTION") {
		add("FlagScript")
	}
	if c.Group == "transactions" {
		add("FlagTransaction")
	}
	if connStateCommands[c.Name] {
		add("FlagConnState")
	}
	// Cacheable: read-only, with keys, not blocking, not a script (scripts
	// may read keys they do not declare), and with a deterministic reply
	// (an order that may vary is fine).
	if c.HasFlag(spec.FlagReadOnly) && !set["FlagNoKey"] && !set["FlagBlocking"] && !set["FlagScript"] &&
		(c.Tips == nil || (!c.Tips.DontCache && c.Tips.Nondeterministic != "output")) {
		add("FlagCacheable")
	}
	for _, f := range ov.Flags {
		add(f)
	}
	for _, f := range ov.NoFlags {
		delete(set, f)
	}
	flags = sortedKeys(set)
	req, resp = "RequestDefault", "ResponseDefault"
	if c.Tips != nil {
		switch c.Tips.RequestPolicy {
		case "all_nodes":
			req = "RequestAllNodes"
		case "all_shards":
			req = "RequestAllShards"
		case "multi_shard":
			req = "RequestMultiShard"
		case "special":
			req = "RequestSpecial"
		}
		switch c.Tips.ResponsePolicy {
		case "one_succeeded":
			resp = "ResponseOneSucceeded"
		case "all_succeeded":
			resp = "ResponseAllSucceeded"
		case "agg_logical_and":
			resp = "ResponseAggLogicalAnd"
		case "agg_logical_or":
			resp = "ResponseAggLogicalOr"
		case "agg_min":
			resp = "ResponseAggMin"
		case "agg_max":
			resp = "ResponseAggMax"
		case "agg_sum":
			resp = "ResponseAggSum"
		case "special":
			resp = "ResponseSpecial"
		}
	}
	return flags, req, resp
}

func hasKeyArg(args []*spec.Argument) bool {
	for _, a := range args {
		if a.Type == spec.TypeKey || hasKeyArg(a.Arguments) {
			return true
		}
	}
	return false
}
