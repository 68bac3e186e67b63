package gen

// This file holds the override table's data for the JSON, time series, probabilistic (BF, CF, CMS, TOPK, TDIGEST) and vector set modules.

// moduleOverrides, by command name.
var moduleOverrides = map[string]*Override{}

// moduleStructs are reply structs of this area (see structDefs).
var moduleStructs = map[string]StructDef{}

// moduleHandwritten are reply types of this area written by hand in
// redisclient (see handwritten).
var moduleHandwritten = map[string]bool{}

// moduleEnumNames, moduleTokenNames and moduleFuncNames fix names of this area.
var (
	moduleEnumNames  = map[string]string{}
	moduleTokenNames = map[string]string{}
	moduleFuncNames  = map[string]string{}
)
