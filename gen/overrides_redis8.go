package gen

// This file holds the override table's data for core commands newer than
// the reply schemas (Redis 7.2 to 8.x): the array type (AR*), BACKUP,
// HIMPORT, HOTKEYS, cluster slot migration, and the new string, hash,
// list, set and stream commands.

import "github.com/redkit-go/redkit/spec"

// redis8Overrides, by command name.
var redis8Overrides = map[string]*Override{
	// Arrays (8.8).
	"ARCOUNT":    {Reply: "int"},
	"ARDEL":      {Reply: "int", Args: replaceArg("ARDEL", "index", argTree("indices", spec.TypeInteger, "", "*"))},
	"ARDELRANGE": {Reply: "int"},
	"ARGET":      {Reply: "?string"},
	"ARGETRANGE": {Reply: "[]?string"},
	"ARGREP": {
		Reply:    "[]int",
		Variants: []VariantOverride{{Name: "WithValues", Triggers: []string{"options.withvalues"}, Reply: "[]ArrayEntry"}},
		// Each predicate is a keyword and its operand.
		Args: replaceArg("ARGREP", "predicate", argTree("predicate", spec.TypeOneOf, "", "*",
			argTree("exact", spec.TypeBlock, "", "", argTree("exact", spec.TypePureToken, "EXACT", ""), argTree("value", spec.TypeString, "", "")),
			argTree("match", spec.TypeBlock, "", "", argTree("match", spec.TypePureToken, "MATCH", ""), argTree("substring", spec.TypeString, "", "")),
			argTree("glob", spec.TypeBlock, "", "", argTree("glob", spec.TypePureToken, "GLOB", ""), argTree("pattern", spec.TypeString, "", "")),
			argTree("re", spec.TypeBlock, "", "", argTree("re", spec.TypePureToken, "RE", ""), argTree("regex", spec.TypeString, "", "")))),
		Names: map[string]string{"predicate.re": "Regex", "options.nocase": "NoCase"},
	},
	"ARINFO":      {Reply: "ArrayInfo"},
	"ARINSERT":    {Reply: "int"},
	"ARLASTITEMS": {Reply: "[]?string"},
	"ARLEN":       {Reply: "int"},
	"ARMGET":      {Reply: "[]?string", Args: replaceArg("ARMGET", "index", argTree("indices", spec.TypeInteger, "", "*"))},
	"ARMSET":      {Reply: "int"},
	"ARNEXT":      {Reply: "?int"},
	// SUM, MIN and MAX reply with a number as a bulk string, the others
	// with an integer; all are null on an empty range. The operation is a
	// required argument, so no variant can tell them apart: the reply is
	// the text of the number.
	"AROP": {
		Reply: "?string",
		Names: map[string]string{"operation.xor": "Xor"},
	},
	"ARRING": {Reply: "int"},
	"ARSCAN": {Reply: "[]ArrayEntry"},
	"ARSEEK": {Reply: "bool"},
	"ARSET":  {Reply: "int"},

	// Backups (8.10).
	"BACKUP ABORT":   {Reply: "ok"},
	"BACKUP CLEANUP": {Reply: "ok"},
	"BACKUP HELP":    {Reply: "[]string"},
	"BACKUP LIST":    {Reply: "[]string"},
	"BACKUP SEAL":    {Reply: "ok"},
	"BACKUP START":   {Reply: "ok"},
	"BACKUP STATUS":  {Reply: "BackupStatusReply"},

	// Lists and sets (8.10).
	"BLMOVEM":    {Reply: "[]string", Args: replaceArg("BLMOVEM", "how-many", moveMany())},
	"LMOVEM":     {Reply: "[]string", Args: replaceArg("LMOVEM", "how-many", moveMany())},
	"SDIFFCARD":  {Reply: "int"},
	"SUNIONCARD": {Reply: "int"},

	// Cluster.
	"CLUSTER MIGRATION": {
		// One constructor per subcommand and target.
		Args: []*spec.Argument{argTree("subcommand", spec.TypeOneOf, "", "",
			argTree("import", spec.TypeBlock, "IMPORT", "*",
				argTree("start-slot", spec.TypeInteger, "", ""), argTree("end-slot", spec.TypeInteger, "", "")),
			argTree("cancel-id", spec.TypeBlock, "", "",
				argTree("cancel", spec.TypePureToken, "CANCEL", ""), argTree("task-id", spec.TypeString, "ID", "")),
			argTree("cancel-all", spec.TypeBlock, "", "",
				argTree("cancel", spec.TypePureToken, "CANCEL", ""), argTree("all", spec.TypePureToken, "ALL", "")),
			argTree("status-id", spec.TypeBlock, "", "",
				argTree("status", spec.TypePureToken, "STATUS", ""), argTree("task-id", spec.TypeString, "ID", "")),
			argTree("status-all", spec.TypeBlock, "", "",
				argTree("status", spec.TypePureToken, "STATUS", ""), argTree("all", spec.TypePureToken, "ALL", "")),
		)},
		Reply: "ClusterMigrationReply",
		Names: map[string]string{
			"subcommand.cancel-id": "CancelID", "subcommand.cancel-all": "CancelAll",
			"subcommand.status-id": "StatusID", "subcommand.status-all": "StatusAll",
		},
	},
	"CLUSTER SLOT-STATS": {Reply: "[]ClusterSlotStatsEntry"},
	// Internal to atomic slot migration between nodes: undocumented, and
	// the reply depends on the protocol step.
	"CLUSTER SYNCSLOTS": {Reply: "any", Why: "an internal slot-migration step whose reply depends on the step"},
	"TRIMSLOTS":         {Reply: "ok", Names: map[string]string{"ranges.slots": "Range"}},

	// Strings.
	"DELEX":  {Reply: "bool"},
	"DIGEST": {Reply: "?string"},
	"INCREX": {
		Reply:    "IncrExReply",
		Variants: []VariantOverride{{Name: "Float", Triggers: []string{"increment.float"}, Reply: "IncrExFloatReply"}},
		Names:    map[string]string{"increment.float": "ByFloat", "increment.integer": "ByInt", "lowerbound": "LowerBound", "upperbound": "UpperBound", "enx": "ENX"},
	},
	"MSETEX": {Reply: "bool"},

	// Hashes.
	"HGETDEL":            {Reply: "[]?string"},
	"HGETEX":             {Reply: "[]?string"},
	"HSETEX":             {Reply: "bool"},
	"HIMPORT DISCARD":    {Reply: "bool"},
	"HIMPORT DISCARDALL": {Reply: "int"},
	"HIMPORT PREPARE":    {Reply: "ok"},
	"HIMPORT SET":        {Reply: "ok"},

	// Hot keys (8.6).
	"HOTKEYS GET":   {Reply: "?HotkeysReport"},
	"HOTKEYS HELP":  {Reply: "[]string"},
	"HOTKEYS RESET": {Reply: "ok"},
	"HOTKEYS START": {
		Reply: "ok",
		Names: map[string]string{"k": "Count", "seconds": "Duration", "ratio": "Sample", "metrics.cpu": "CPU", "metrics.net": "Net"},
	},
	"HOTKEYS STOP": {Reply: "ok"},

	// Streams.
	"XACKDEL":     {Reply: "[]int", Names: map[string]string{"condition.delref": "DelRef"}},
	"XDELEX":      {Reply: "[]int", Names: map[string]string{"condition.delref": "DelRef"}},
	"XCFGSET":     {Reply: "ok", ArgKinds: map[string]GoKind{"idmp-duration": KindDurationS}},
	"XIDMPRECORD": {Reply: "ok"},
	"XNACK":       {Reply: "int", Names: map[string]string{"count": "RetryCount"}},
}

// moveMany is the how-many part of LMOVEM and BLMOVEM: COUNT n or
// EXACTLY n, each with the push order. With EXACTLY the reply is nil when
// the source is too short.
func moveMany() *spec.Argument {
	ordering := func() *spec.Argument {
		return argTree("ordering", spec.TypeOneOf, "", "",
			argTree("obo", spec.TypePureToken, "OBO", ""), argTree("bulk", spec.TypePureToken, "BULK", ""))
	}
	return argTree("how-many", spec.TypeOneOf, "", "?",
		argTree("count", spec.TypeBlock, "", "", argTree("count", spec.TypeInteger, "COUNT", ""), ordering()),
		argTree("exactly", spec.TypeBlock, "", "", argTree("exactly", spec.TypeInteger, "EXACTLY", ""), ordering()))
}

// redis8Structs are reply structs of this area (see structDefs).
var redis8Structs = map[string]StructDef{
	"ArrayEntry": {Tuple: true, Fields: []FieldDef{{"Index", "", "int"}, {"Value", "", "string"}}},
	"ArrayInfo": {Fields: []FieldDef{
		{"Count", "count", "int"}, {"Len", "len", "int"}, {"NextInsertIndex", "next-insert-index", "int"},
		{"SliceSize", "slice-size", "int"}, {"Slices", "slices", "int"}, {"DirectorySize", "directory-size", "int"},
		{"SuperDirEntries", "super-dir-entries", "int"}, {"DenseSlices", "dense-slices", "int"},
		{"SparseSlices", "sparse-slices", "int"}, {"AvgDenseFill", "avg-dense-fill", "float"},
		{"AvgDenseSize", "avg-dense-size", "float"}, {"AvgSparseSize", "avg-sparse-size", "float"},
	}},
	"BackupStatusReply": {Fields: []FieldDef{
		{"State", "state", "string"}, {"Error", "error", "string"},
		{"StartTime", "start_time", "int"}, {"EndTime", "end_time", "int"},
	}},
	"ClusterSlotStatsEntry": {Tuple: true, Fields: []FieldDef{{"Slot", "", "int"}, {"Stats", "", "ClusterSlotUsage"}}},
	"ClusterSlotUsage": {Fields: []FieldDef{
		// cpu-usec: the CPU time spent on the slot, in microseconds.
		{"KeyCount", "key-count", "int"}, {"CPUTime", "cpu-usec", "micros"},
		{"NetworkBytesIn", "network-bytes-in", "int"}, {"NetworkBytesOut", "network-bytes-out", "int"},
		// memory-bytes: Redis 8.6 and later (its reply schema).
		{"MemoryBytes", "memory-bytes", "int"},
	}},
	"IncrExReply":      {Tuple: true, Fields: []FieldDef{{"Value", "", "int"}, {"Increment", "", "int"}}},
	"IncrExFloatReply": {Tuple: true, Fields: []FieldDef{{"Value", "", "float"}, {"Increment", "", "float"}}},
}

// redis8Handwritten are reply types of this area written by hand in
// redisclient (see handwritten).
var redis8Handwritten = map[string]bool{
	"ClusterMigrationReply": true, // a task ID, a count or a task list, by subcommand
	"HotkeysReport":         true, // map with nested slot ranges and key/metric lists
}

// redis8EnumNames, redis8TokenNames and redis8FuncNames fix names of this area.
var (
	redis8EnumNames  = map[string]string{"OBO|BULK": "MoveOrder"}
	redis8TokenNames = map[string]string{}
	redis8FuncNames  = map[string]string{}
)
