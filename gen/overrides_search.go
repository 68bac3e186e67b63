package gen

// This file holds the override table's data for the search module (FT.*).

// searchOverrides, by command name.
var searchOverrides = map[string]*Override{}

// searchStructs are reply structs of this area (see structDefs).
var searchStructs = map[string]StructDef{}

// searchHandwritten are reply types of this area written by hand in
// redisclient (see handwritten).
var searchHandwritten = map[string]bool{}

// searchEnumNames, searchTokenNames and searchFuncNames fix names of this area.
var (
	searchEnumNames  = map[string]string{}
	searchTokenNames = map[string]string{}
	searchFuncNames  = map[string]string{}
)
