package gen

// This file holds the override table's data for core commands newer than the reply schemas (Redis 7.2 to 8.x).

// redis8Overrides, by command name.
var redis8Overrides = map[string]*Override{}

// redis8Structs are reply structs of this area (see structDefs).
var redis8Structs = map[string]StructDef{}

// redis8Handwritten are reply types of this area written by hand in
// redisclient (see handwritten).
var redis8Handwritten = map[string]bool{}

// redis8EnumNames, redis8TokenNames and redis8FuncNames fix names of this area.
var (
	redis8EnumNames  = map[string]string{}
	redis8TokenNames = map[string]string{}
	redis8FuncNames  = map[string]string{}
)
