package gen

// This file is part of the planning layer: it decides which Go package each
// command group goes to. Core commands are in redisclient; the commands of
// each Redis module family get a package of their own under it (as
// node-redis splits @redis/search, @redis/json, ...), in which the module's
// name prefix is dropped from Go names (search.Search for FT.SEARCH).

import (
	"sort"
	"strings"
	"unicode"
)

// corePkg is the package of the core commands, and the package whose
// user-facing names the generated code uses (see rt).
const corePkg = "redisclient"

// Package is one output Go package.
type Package struct {
	Name string // package name ("search")
	Path string // import path
	// Dir is the package's directory relative to the output directory
	// ("" for the output directory itself).
	Dir    string
	Groups []*Group
	// Prefix is the module prefix dropped from command names in this
	// package ("FT" for FT.SEARCH -> Search), or "".
	Prefix string
}

// modulePackages maps the spec groups of Redis modules to their packages.
var modulePackages = map[string]string{
	"search":     "search",
	"json":       "json",
	"timeseries": "timeseries",
	"bf":         "probabilistic",
	"cf":         "probabilistic",
	"cms":        "probabilistic",
	"tdigest":    "probabilistic",
	"topk":       "probabilistic",
}

// packagePrefixes are the command-name prefixes dropped inside a package.
// probabilistic keeps its prefixes (BFAdd, CFAdd): it mixes structures.
var packagePrefixes = map[string]string{"search": "FT", "json": "JSON", "timeseries": "TS"}

// packageFor returns the package of a spec group, creating it.
func (pl *planner) packageFor(group string) *Package {
	name, path, dir := corePkg, pkgPath, ""
	switch {
	case pl.opts.Package != "":
		name, path = pl.opts.Package, pl.opts.PackagePath
	case modulePackages[group] != "":
		name = modulePackages[group]
		path, dir = pkgPath+"/"+name, name
	}
	if p, ok := pl.pkgs[name]; ok {
		return p
	}
	p := &Package{Name: name, Path: path, Dir: dir, Prefix: packagePrefixes[name]}
	if pl.opts.Package != "" {
		p.Prefix = pl.opts.StripPrefix
	}
	pl.pkgs[name] = p
	for _, n := range pl.reserved(p) {
		pl.names[p.Name+"."+n] = "hand-written code"
	}
	return p
}

// reserved lists the names a package's hand-written code (or the struct
// tables) already use.
func (pl *planner) reserved(p *Package) []string {
	var out []string
	if p.Name == corePkg && pl.opts.Package == "" {
		out = append(out, reservedNames...)
	}
	out = append(out, allKeys(handwrittenTables)...)
	for _, n := range handwrittenAs {
		out = append(out, n)
	}
	return append(out, allKeys(structTables)...)
}

// funcNameIn returns a command's constructor name inside package p: the
// module prefix is dropped where p drops it.
func funcNameIn(p *Package, command string) string {
	n := commandFuncName(command)
	if p.Prefix == "" || !strings.HasPrefix(strings.ToUpper(command), p.Prefix+".") {
		return n
	}
	return trimPrefixIn(p, n)
}

// trimPrefixIn drops p's module prefix from a Go name ("FTDataType" ->
// "DataType" in package search).
func trimPrefixIn(p *Package, name string) string {
	m := modulePrefixes[p.Prefix]
	if m == "" {
		m = p.Prefix
	}
	if p.Prefix == "" {
		return name
	}
	if rest := strings.TrimPrefix(name, m); rest != name && rest != "" && unicode.IsUpper(rune(rest[0])) {
		return rest
	}
	return name
}

// sortPackages orders the plan's packages by name and their groups by name.
func sortPackages(ps map[string]*Package) []*Package {
	out := make([]*Package, 0, len(ps))
	for _, p := range ps {
		sort.Slice(p.Groups, func(i, j int) bool { return p.Groups[i].Name < p.Groups[j].Name })
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// file returns the path of a package's output file relative to the output
// directory.
func (p *Package) file(name string) string {
	if p.Dir == "" {
		return name
	}
	return p.Dir + "/" + name
}

// TypeCounts returns, by package name, how many exported types the
// generator declares in each package: builder states with chained methods
// (the others are the runtime's generic Cmd), unit interfaces and states,
// enums, run-time options structs and their unions, and reply structs.
func (p *Plan) TypeCounts() map[string]int {
	out := map[string]int{}
	for _, pkg := range p.Packages {
		n := 0
		for _, g := range pkg.Groups {
			n += len(g.Enums)
			for _, u := range g.Units {
				n += 1 + len(u.States)
			}
			for _, c := range g.Commands {
				n += emittedStates(c.Builder)
				if o := c.Options; o != nil && o.Struct != nil {
					n += 1 + len(o.Structs) + len(o.Unions)
				}
			}
		}
		_, structs := packageTypes(p, pkg)
		for _, t := range structs {
			if !runtimeStructs[t.Name] {
				n++
			}
		}
		out[pkg.Name] = n
	}
	return out
}

// emittedStates counts the states of b that are types of their own.
func emittedStates(b *Builder) int {
	n := 0
	for _, st := range b.States {
		if !genericState(b, st) {
			n++
		}
	}
	return n
}
