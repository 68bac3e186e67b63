package gen

// This file holds the override table's data for the JSON, time series,
// probabilistic (BF, CF, CMS, TOPK, TDIGEST) and vector set modules.

import "github.com/redkit-go/redkit/spec"

// tsRetention makes the retention of time series commands a duration.
func tsRetention(path string, o *Override) *Override {
	if o.ArgKinds == nil {
		o.ArgKinds = map[string]GoKind{}
	}
	o.ArgKinds[path] = KindDurationMs
	return o
}

// tsRange is the override of TS.RANGE and TS.REVRANGE.
func tsRange() *Override {
	return &Override{
		Reply:    "[]TSSample",
		ArgKinds: map[string]GoKind{"aggregation_block.bucketDuration": KindDurationMs},
		Args:     replaceArg("TS.RANGE", "aggregation_block", tsAggregation(false)),
		Names:    map[string]string{"aggregation_block": "Aggregation"},
	}
}

// tsMRange is the override of TS.MRANGE and TS.MREVRANGE. The published
// spec makes FILTER_BY_TS a repeated block of repeated timestamps and
// nests the aggregation in blocks of its own; this is the documented
// grammar.
func tsMRange() *Override {
	return &Override{
		Args: []*spec.Argument{
			argTree("fromTimestamp", spec.TypeString, "", ""),
			argTree("toTimestamp", spec.TypeString, "", ""),
			argTree("latest", spec.TypePureToken, "LATEST", "?"),
			argTree("filter_by_ts", spec.TypeInteger, "FILTER_BY_TS", "?*"),
			argTree("filter_by_value", spec.TypeBlock, "FILTER_BY_VALUE", "?",
				argTree("min", spec.TypeDouble, "", ""), argTree("max", spec.TypeDouble, "", "")),
			argTree("labels", spec.TypeOneOf, "", "?",
				argTree("withlabels", spec.TypePureToken, "WITHLABELS", ""),
				argTree("selected_labels", spec.TypeBlock, "", "",
					argTree("selected_labels", spec.TypePureToken, "SELECTED_LABELS", ""), argTree("label", spec.TypeString, "", "*"))),
			argTree("count", spec.TypeInteger, "COUNT", "?"),
			tsAggregation(false),
			argTree("filter", spec.TypeString, "FILTER", "*"),
			argTree("groupby", spec.TypeBlock, "GROUPBY", "?",
				argTree("label", spec.TypeString, "", ""),
				argTree("reduce", spec.TypePureToken, "REDUCE", ""),
				argTree("reducer", spec.TypeOneOf, "", "", tsAggregators()...)),
			argTree("excludeempty", spec.TypePureToken, "EXCLUDEEMPTY", "?"),
		},
		Reply:    "TSMRangeReply",
		ArgKinds: map[string]GoKind{"aggregation_block.bucketDuration": KindDurationMs},
		Names:    map[string]string{"aggregation_block": "Aggregation", "filter_by_ts": "FilterByTS", "excludeempty": "ExcludeEmpty"},
	}
}

// tsAggregators are the aggregator tokens (also the GROUPBY reducers).
func tsAggregators() []*spec.Argument {
	var out []*spec.Argument
	for _, t := range []string{"avg", "sum", "min", "max", "range", "count", "first", "last", "std.p", "std.s", "var.p", "var.s", "twa", "countnan", "countall"} {
		out = append(out, argTree(t, spec.TypePureToken, t, ""))
	}
	return out
}

// tsNRange is the override of TS.NRANGE and TS.NREVRANGE: one aggregator
// (or comma-separated list) per key.
func tsNRange() *Override {
	return &Override{
		Reply:    "[]TSRow",
		ArgKinds: map[string]GoKind{"aggregation_block.bucketDuration": KindDurationMs},
		Args:     replaceArg("TS.NRANGE", "aggregation_block", tsAggregation(true)),
		Names:    map[string]string{"aggregation_block": "Aggregation"},
	}
}

// tsAggregation is the AGGREGATION clause of the range commands:
// [ALIGN align] AGGREGATION aggregator bucketDuration [BUCKETTIMESTAMP
// start|end|mid] [EMPTY]. The published spec lists every spelling of the
// bucket timestamp ("-" as well as "start"), which makes duplicate
// methods; the words alone are kept. perKey makes the aggregator repeat,
// one per key (TS.NRANGE).
func tsAggregation(perKey bool) *spec.Argument {
	aggFlags := ""
	if perKey {
		aggFlags = "*"
	}
	return argTree("aggregation_block", spec.TypeBlock, "", "?",
		argTree("align", spec.TypeString, "ALIGN", "?"),
		argTree("aggregation", spec.TypePureToken, "AGGREGATION", ""),
		argTree("aggregators", spec.TypeString, "", aggFlags),
		argTree("bucketDuration", spec.TypeInteger, "", ""),
		argTree("buckettimestamp", spec.TypeOneOf, "BUCKETTIMESTAMP", "?",
			argTree("start", spec.TypePureToken, "start", ""),
			argTree("end", spec.TypePureToken, "end", ""),
			argTree("mid", spec.TypePureToken, "mid", "")),
		argTree("empty", spec.TypePureToken, "EMPTY", "?"),
	)
}

// vectorArgs is the vector of VADD and VSIM: a little-endian float32 blob
// (FP32) or a count and the values (VALUES n v1 ... vn).
func vectorArgs(ele bool) *spec.Argument {
	alts := []*spec.Argument{}
	if ele {
		alts = append(alts, argTree("element", spec.TypeString, "ELE", ""))
	}
	alts = append(alts,
		argTree("blob", spec.TypeString, "FP32", ""),
		argTree("values", spec.TypeBlock, "VALUES", "",
			argTree("num", spec.TypeInteger, "", ""),
			argTree("value", spec.TypeDouble, "", "*")))
	return argTree("vector", spec.TypeOneOf, "", "", alts...)
}

// moduleOverrides, by command name.
var moduleOverrides = map[string]*Override{
	// Time series.
	"TS.ADD": tsRetention("RETENTION.retentionPeriod", &Override{Reply: "int", ArgKinds: map[string]GoKind{"IGNORE.ignoreMaxTimediff": KindDurationMs},
		Names: map[string]string{"LABELS.label-value": "Label"}}),
	"TS.ALTER": tsRetention("RETENTION.retentionPeriod", &Override{Reply: "ok", ArgKinds: map[string]GoKind{"IGNORE.ignoreMaxTimediff": KindDurationMs},
		Names: map[string]string{"LABELS.label_value_pairs": "Label"}}),
	"TS.CREATE": tsRetention("RETENTION.retentionPeriod", &Override{Reply: "ok", ArgKinds: map[string]GoKind{"IGNORE.ignoreMaxTimediff": KindDurationMs},
		Names: map[string]string{"LABELS.label_value_pairs": "Label"}}),
	"TS.CREATERULE": {
		Reply:    "ok",
		ArgKinds: map[string]GoKind{"AGGREGATION.bucketDuration": KindDurationMs},
	},
	"TS.DECRBY": tsRetention("retention_block.retentionPeriod", &Override{Reply: "int", ArgKinds: map[string]GoKind{"ignore_block.ignoreMaxTimeDiff": KindDurationMs},
		Names: map[string]string{"labels_block.label-value": "Label"}}),
	"TS.INCRBY": tsRetention("retention_block.retentionPeriod", &Override{Reply: "int", ArgKinds: map[string]GoKind{"ignore_block.ignoreMaxTimeDiff": KindDurationMs},
		Names: map[string]string{"labels_block.label-value": "Label"}}),
	"TS.DEL":         {Reply: "int"},
	"TS.DELETERULE":  {Reply: "ok"},
	"TS.GET":         {Reply: "TSMaybeSample"},
	"TS.INFO":        {Reply: "TSInfoReply"},
	"TS.MADD":        {Reply: "[]int"},
	"TS.MGET":        {Reply: "TSMGetReply"},
	"TS.MRANGE":      tsMRange(),
	"TS.MREVRANGE":   tsMRange(),
	"TS.NRANGE":      tsNRange(),
	"TS.NREVRANGE":   tsNRange(),
	"TS.QUERYINDEX":  {Reply: "[]string"},
	"TS.QUERYLABELS": {Reply: "[]string"},
	"TS.RANGE":       tsRange(),
	"TS.REVRANGE":    tsRange(),
	"TS.READ": {
		Reply: "[]TSSample",
		// Blocks only with BLOCK.
		OptionFlags: map[string][]string{"BLOCK": {"FlagBlocking"}},
		Names:       map[string]string{"BLOCK": "Block", "MAX_COUNT": "MaxCount"},
	},
	// Cluster-internal commands of the module's coordinator: undocumented;
	// like their search-module twins (SEARCH.CLUSTERSET,
	// SEARCH.CLUSTERREFRESH) they reply OK.
	"TIMESERIES.CLUSTERSET":     {Reply: "ok"},
	"TIMESERIES.REFRESHCLUSTER": {Reply: "ok"},

	// Bloom filters.
	"BF.ADD":    {Reply: "bool"},
	"BF.CARD":   {Reply: "int"},
	"BF.DEBUG":  {Reply: "[]string"},
	"BF.EXISTS": {Reply: "bool"},
	"BF.INFO": {
		Reply:    "BFInfoReply",
		Variants: []VariantOverride{{Name: "Field", Triggers: []string{"single_value"}, Reply: "BFInfoField"}},
		Names:    map[string]string{"single_value.capcaity": "Capacity", "single_value.SIZE": "Size", "single_value.FILTERS": "Filters", "single_value.ITEMS": "Items", "single_value.EXPANSION": "Expansion"},
	},
	"BF.INSERT":    {Reply: "[]bool", Names: map[string]string{"error": "ErrorRate"}},
	"BF.LOADCHUNK": {Reply: "ok"},
	"BF.MADD":      {Reply: "[]bool"},
	"BF.MEXISTS":   {Reply: "[]bool"},
	"BF.RESERVE":   {Reply: "ok"},
	"BF.SCANDUMP":  {Reply: "ScanDumpChunk"},

	// Cuckoo filters.
	"CF.ADD":   {Reply: "bool"},
	"CF.ADDNX": {Reply: "bool"},
	// The published spec has no arguments; the command takes the key.
	"CF.COMPACT":   {Reply: "ok", Args: []*spec.Argument{argTree("key", spec.TypeKey, "", "")}},
	"CF.COUNT":     {Reply: "int"},
	"CF.DEBUG":     {Reply: "string"},
	"CF.DEL":       {Reply: "bool"},
	"CF.EXISTS":    {Reply: "bool"},
	"CF.INFO":      {Reply: "CFInfoReply"},
	"CF.INSERT":    {Reply: "[]int"},
	"CF.INSERTNX":  {Reply: "[]int"},
	"CF.LOADCHUNK": {Reply: "ok"},
	"CF.MEXISTS":   {Reply: "[]bool"},
	"CF.RESERVE":   {Reply: "ok", Names: map[string]string{"maxiterations": "MaxIterations"}},
	"CF.SCANDUMP":  {Reply: "ScanDumpChunk"},

	// Count-min sketches.
	"CMS.INCRBY":     {Reply: "[]int"},
	"CMS.INFO":       {Reply: "CMSInfoReply"},
	"CMS.INITBYDIM":  {Reply: "ok"},
	"CMS.INITBYPROB": {Reply: "ok"},
	"CMS.MERGE":      {Reply: "ok"},
	"CMS.QUERY":      {Reply: "[]int"},

	// Top-k.
	"TOPK.ADD":     {Reply: "[]?string"},
	"TOPK.COUNT":   {Reply: "[]int"},
	"TOPK.INCRBY":  {Reply: "[]?string"},
	"TOPK.INFO":    {Reply: "TopKInfoReply"},
	"TOPK.LIST":    {Reply: "[]string", Variants: []VariantOverride{{Name: "WithCount", Triggers: []string{"withcount"}, Reply: "[]TopKItem"}}},
	"TOPK.QUERY":   {Reply: "[]bool"},
	"TOPK.RESERVE": {Reply: "ok"},

	// t-digest.
	"TDIGEST.ADD":          {Reply: "ok"},
	"TDIGEST.BYRANK":       {Reply: "[]float"},
	"TDIGEST.BYREVRANK":    {Reply: "[]float"},
	"TDIGEST.CDF":          {Reply: "[]float"},
	"TDIGEST.CREATE":       {Reply: "ok"},
	"TDIGEST.INFO":         {Reply: "TDigestInfoReply"},
	"TDIGEST.MAX":          {Reply: "float"},
	"TDIGEST.MERGE":        {Reply: "ok"},
	"TDIGEST.MIN":          {Reply: "float"},
	"TDIGEST.QUANTILE":     {Reply: "[]float"},
	"TDIGEST.RANK":         {Reply: "[]int"},
	"TDIGEST.RESET":        {Reply: "ok"},
	"TDIGEST.REVRANK":      {Reply: "[]int"},
	"TDIGEST.TRIMMED_MEAN": {Reply: "float"},

	// Vector sets.
	"VADD": {
		Args: []*spec.Argument{
			argTree("key", spec.TypeKey, "", ""),
			argTree("reduce", spec.TypeInteger, "REDUCE", "?"),
			vectorArgs(false),
			argTree("element", spec.TypeString, "", ""),
			argTree("cas", spec.TypePureToken, "CAS", "?"),
			argTree("quant_type", spec.TypeOneOf, "", "?",
				argTree("noquant", spec.TypePureToken, "NOQUANT", ""),
				argTree("bin", spec.TypePureToken, "BIN", ""),
				argTree("q8", spec.TypePureToken, "Q8", "")),
			argTree("build-exploration-factor", spec.TypeInteger, "EF", "?"),
			argTree("attributes", spec.TypeString, "SETATTR", "?"),
			argTree("numlinks", spec.TypeInteger, "M", "?"),
		},
		Reply: "bool",
		Names: map[string]string{"vector.blob": "FP32", "vector.values": "Values", "attributes": "SetAttr", "numlinks": "M", "build-exploration-factor": "EF", "quant_type.q8": "Q8", "quant_type.bin": "Bin", "quant_type.noquant": "NoQuant"},
	},
	"VCARD":     {Reply: "int"},
	"VDIM":      {Reply: "int"},
	"VEMB":      {Reply: "[]float", Variants: []VariantOverride{{Name: "Raw", Triggers: []string{"raw"}, Reply: "?VEmbRaw"}}},
	"VGETATTR":  {Reply: "?string"},
	"VINFO":     {Reply: "?VInfoReply"},
	"VISMEMBER": {Reply: "bool"},
	// With WITHSCORES each layer maps neighbors to their similarity
	// (RESP3 sends a map, RESP2 a flat list).
	"VLINKS": {Reply: "[][]string", Variants: []VariantOverride{{Name: "WithScores", Triggers: []string{"withscores"}, Reply: "[]map[string]float"}}},
	"VRANDMEMBER": {Reply: "?string", Variants: []VariantOverride{{Name: "Count", Triggers: []string{"count"}, Reply: "[]string"}},
		NoFlags: []string{"FlagCacheable"}}, // random output
	"VRANGE":   {Reply: "[]string"},
	"VREM":     {Reply: "bool"},
	"VSETATTR": {Reply: "bool"},
	"VSIM": {
		// WITHSCORES and WITHATTRIBS change the reply, together too: they
		// are one choice here so that each combination has its reply type.
		Args: []*spec.Argument{
			argTree("key", spec.TypeKey, "", ""),
			vectorArgs(true),
			argTree("output", spec.TypeOneOf, "", "?",
				argTree("withscores", spec.TypePureToken, "WITHSCORES", ""),
				argTree("withattribs", spec.TypePureToken, "WITHATTRIBS", ""),
				argTree("with-scores-attribs", spec.TypeBlock, "", "",
					argTree("withscores", spec.TypePureToken, "WITHSCORES", ""),
					argTree("withattribs", spec.TypePureToken, "WITHATTRIBS", ""))),
			argTree("count", spec.TypeInteger, "COUNT", "?"),
			argTree("max_distance", spec.TypeDouble, "EPSILON", "?"),
			argTree("search-exploration-factor", spec.TypeInteger, "EF", "?"),
			argTree("expression", spec.TypeString, "FILTER", "?"),
			argTree("max-filtering-effort", spec.TypeInteger, "FILTER-EF", "?"),
			argTree("truth", spec.TypePureToken, "TRUTH", "?"),
			argTree("no-thread", spec.TypePureToken, "NOTHREAD", "?"),
		},
		Reply: "[]string",
		Variants: []VariantOverride{
			{Name: "WithScores", Triggers: []string{"output.withscores"}, Reply: "VSimScores"},
			{Name: "WithAttribs", Triggers: []string{"output.withattribs"}, Reply: "VSimAttribs"},
			{Name: "WithScoresAttribs", Triggers: []string{"output.with-scores-attribs"}, Reply: "VSimScoresAttribs"},
		},
		Names: map[string]string{
			"vector.element": "Ele", "vector.blob": "FP32", "vector.values": "Values", "output.with-scores-attribs": "WithScoresAttribs",
			"max_distance": "Epsilon", "search-exploration-factor": "EF", "expression": "Filter",
			"max-filtering-effort": "FilterEF", "no-thread": "NoThread",
		},
	},
}

// moduleStructs are reply structs of this area (see structDefs).
var moduleStructs = map[string]StructDef{
	"TSRow":         {Tuple: true, Fields: []FieldDef{{"Timestamp", "", "int"}, {"Values", "", "[]float"}}},
	"ScanDumpChunk": {Tuple: true, Fields: []FieldDef{{"Iterator", "", "int"}, {"Data", "", "string"}}},
	"BFInfoReply": {Fields: []FieldDef{
		{"Capacity", "Capacity", "int"}, {"Size", "Size", "int"}, {"Filters", "Number of filters", "int"},
		{"Items", "Number of items inserted", "int"}, {"ExpansionRate", "Expansion rate", "int"},
	}},
	"CFInfoReply": {Fields: []FieldDef{
		{"Size", "Size", "int"}, {"Buckets", "Number of buckets", "int"}, {"Filters", "Number of filters", "int"},
		{"Items", "Number of items inserted", "int"}, {"Deleted", "Number of items deleted", "int"},
		{"BucketSize", "Bucket size", "int"}, {"ExpansionRate", "Expansion rate", "int"},
		{"MaxIterations", "Max iterations", "int"},
	}},
	"CMSInfoReply":  {Fields: []FieldDef{{"Width", "width", "int"}, {"Depth", "depth", "int"}, {"Count", "count", "int"}}},
	"TopKInfoReply": {Fields: []FieldDef{{"K", "k", "int"}, {"Width", "width", "int"}, {"Depth", "depth", "int"}, {"Decay", "decay", "float"}}},
	"TopKItem":      {Tuple: true, Fields: []FieldDef{{"Item", "", "string"}, {"Count", "", "int"}}},
	"TDigestInfoReply": {Fields: []FieldDef{
		{"Compression", "Compression", "int"}, {"Capacity", "Capacity", "int"},
		{"MergedNodes", "Merged nodes", "int"}, {"UnmergedNodes", "Unmerged nodes", "int"},
		{"MergedWeight", "Merged weight", "float"}, {"UnmergedWeight", "Unmerged weight", "float"},
		{"Observations", "Observations", "int"}, {"TotalCompressions", "Total compressions", "int"},
		{"MemoryUsage", "Memory usage", "int"},
	}},
	"VInfoReply": {Fields: []FieldDef{
		{"QuantType", "quant-type", "string"}, {"HNSWM", "hnsw-m", "int"}, {"VectorDim", "vector-dim", "int"},
		{"ProjectionInputDim", "projection-input-dim", "int"}, {"Size", "size", "int"},
		{"MaxLevel", "max-level", "int"}, {"AttributesCount", "attributes-count", "int"},
		{"VSetUID", "vset-uid", "int"}, {"HNSWMaxNodeUID", "hnsw-max-node-uid", "int"},
	}},
}

// moduleHandwritten are reply types of this area written by hand in
// redisclient (see handwritten).
var moduleHandwritten = map[string]bool{
	"TSSample":          true, // [timestamp, value]: the value is a bulk string in RESP2, a double in RESP3
	"TSMaybeSample":     true, // a sample, or an empty array for an empty series
	"TSInfoReply":       true, // nested labels, rules and chunks differ between RESP2 and RESP3
	"TSMGetReply":       true, // RESP2 array of [key, labels, sample]; RESP3 map key -> [labels, sample]
	"TSMRangeReply":     true, // RESP2 array of [key, labels, samples]; RESP3 map key -> [labels, metadata..., samples]
	"BFInfoField":       true, // RESP2 singleton array, RESP3 one-entry map
	"VEmbRaw":           true, // [quantization, blob, norm, range (q8 only)]
	"VSimScores":        true, // RESP2 flat member/score list, RESP3 map
	"VSimAttribs":       true, // RESP2 flat member/attributes list, RESP3 map
	"VSimScoresAttribs": true, // RESP2 flat member/score/attributes list, RESP3 map member -> [score, attributes]
}

// moduleEnumNames, moduleTokenNames and moduleFuncNames fix names of this area.
var (
	moduleEnumNames = map[string]string{
		"BLOCK|FIRST|LAST|MIN|MAX|SUM": "TSDuplicatePolicy",
		"avg|sum|min|max|range|count|first|last|std.p|std.s|var.p|var.s|twa|countnan|countall": "TSAggregator",
	}
	moduleTokenNames = map[string]string{
		"var.p": "VarP", "var.s": "VarS", "twa": "TWA", "countnan": "CountNaN", "NONSCALING": "NonScaling",
	}
	moduleFuncNames = map[string]string{}
)
