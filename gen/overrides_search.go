package gen

// This file holds the override table's data for the search module (FT.*
// commands and the cluster-internal SEARCH.* commands) and for the JSON
// module (JSON.* commands).
//
// Search: the published argument trees of FT.CREATE, FT.ALTER, FT.SEARCH,
// FT.AGGREGATE, FT.HYBRID and FT.PROFILE are replaced where they are wrong
// (counts given as strings, "LOAD *" as one argument, missing field
// options) or cannot express real queries (the FT.AGGREGATE pipeline). The
// legacy commands the spec lists without arguments (FT.ADD, FT.GET, ...) get
// their documented grammar. Search results are hand-written types
// (redisclient/replies_search.go) that decode RESP2 arrays and RESP3 maps
// into the same value.
//
// JSON: reply types are those of JSONPath paths (starting with "$"): one
// element per matching path, null where the path matched a value of the
// wrong type. Legacy paths ("." or ".a") reply with a single value and do
// not decode into these types. Where the spec makes the path optional and
// omitting it selects the legacy root, the path is made required.

import "github.com/redkit-go/redkit/spec"

// Argument-tree shorthands of this file.
func searchTok(name, token, flags string) *spec.Argument {
	return argTree(name, spec.TypePureToken, token, flags)
}

func searchStr(name, token, flags string) *spec.Argument {
	return argTree(name, spec.TypeString, token, flags)
}

func searchInt(name, token, flags string) *spec.Argument {
	return argTree(name, spec.TypeInteger, token, flags)
}

func searchDbl(name, token, flags string) *spec.Argument {
	return argTree(name, spec.TypeDouble, token, flags)
}

func searchBlock(name, token, flags string, kids ...*spec.Argument) *spec.Argument {
	return argTree(name, spec.TypeBlock, token, flags, kids...)
}

func searchOneOf(name, token, flags string, kids ...*spec.Argument) *spec.Argument {
	return argTree(name, spec.TypeOneOf, token, flags, kids...)
}

// searchEnum is a choice of pure tokens named after their lower-case
// tokens.
func searchEnum(name, token, flags string, toks ...string) *spec.Argument {
	var kids []*spec.Argument
	for _, t := range toks {
		kids = append(kids, searchTok(searchLower(t), t, ""))
	}
	return searchOneOf(name, token, flags, kids...)
}

func searchLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'A' && c <= 'Z':
			b[i] = c + 'a' - 'A'
		case c == '-':
			b[i] = '_'
		}
	}
	return string(b)
}

// searchCounted is "TOKEN count value [value ...]" with the count computed
// from the values.
func searchCounted(name, token, flags, value string) *spec.Argument {
	return searchBlock(name, "", flags, searchInt("count", token, ""), searchStr(value, "", "*"))
}

// searchParams is "PARAMS nargs name value [name value ...]".
func searchParams() *spec.Argument {
	return searchBlock("params", "", "?",
		searchTok("params", "PARAMS", ""),
		searchInt("nargs", "", ""),
		searchBlock("values", "", "*", searchStr("name", "", ""), searchStr("value", "", "")))
}

// searchLoad is "LOAD nargs field [field ...]" or "LOAD *". Identifiers may
// be followed by "AS" and a name: the count covers every argument.
func searchLoad() *spec.Argument {
	return searchOneOf("load", "", "?",
		searchBlock("fields", "", "", searchInt("nargs", "LOAD", ""), searchStr("fields", "", "*")),
		searchBlock("all", "", "", searchTok("load", "LOAD", ""), searchTok("all", "*", "")))
}

// searchReduce is one "REDUCE function nargs arg ... [AS name]" of a
// GROUPBY step.
func searchReduce() *spec.Argument {
	return searchBlock("reduce", "", "?*",
		searchEnum("function", "REDUCE", "", "COUNT", "COUNT_DISTINCT", "COUNT_DISTINCTISH", "SUM", "MIN", "MAX",
			"AVG", "STDDEV", "QUANTILE", "TOLIST", "FIRST_VALUE", "RANDOM_SAMPLE", "COLLECT"),
		searchInt("nargs", "", ""),
		searchStr("args", "", "*"),
		searchStr("name", "AS", "?"))
}

// searchGroupBy is "GROUPBY nargs property ... [REDUCE ...]...".
func searchGroupBy(flags string) *spec.Argument {
	return searchBlock("groupby", "", flags,
		searchInt("nargs", "GROUPBY", ""),
		searchStr("properties", "", "*"),
		searchReduce())
}

// searchSortKeys are the "property ASC|DESC" pairs of a counted SORTBY.
func searchSortKeys() *spec.Argument {
	return searchOneOf("key", "", "*",
		searchBlock("asc", "", "", searchStr("property", "", ""), searchTok("asc", "ASC", "")),
		searchBlock("desc", "", "", searchStr("property", "", ""), searchTok("desc", "DESC", "")))
}

// searchField is one schema field of FT.CREATE and FT.ALTER:
// "identifier [AS attribute] type [type options] [INDEXMISSING]
// [SORTABLE [UNF]] [NOINDEX]".
func searchField() *spec.Argument {
	vectorAttr := searchOneOf("attribute", "", "*",
		searchEnum("type", "TYPE", "", "FLOAT32", "FLOAT64", "BFLOAT16", "FLOAT16", "INT8", "UINT8"),
		searchInt("dim", "DIM", ""),
		searchEnum("distance_metric", "DISTANCE_METRIC", "", "L2", "IP", "COSINE"),
		searchInt("initial_cap", "INITIAL_CAP", ""),
		searchInt("block_size", "BLOCK_SIZE", ""),
		searchInt("m", "M", ""),
		searchInt("ef_construction", "EF_CONSTRUCTION", ""),
		searchInt("ef_runtime", "EF_RUNTIME", ""),
		searchDbl("epsilon", "EPSILON", ""),
		searchBlock("other", "", "", searchStr("name", "", ""), searchStr("value", "", "")))
	return searchBlock("field", "", "*",
		searchStr("identifier", "", ""),
		searchStr("attribute", "AS", "?"),
		searchOneOf("type", "", "",
			searchBlock("text", "", "",
				searchTok("text", "TEXT", ""),
				searchTok("no_stem", "NOSTEM", "?"),
				searchDbl("weight", "WEIGHT", "?"),
				searchStr("phonetic", "PHONETIC", "?"),
				searchTok("with_suffix_trie", "WITHSUFFIXTRIE", "?"),
				searchTok("index_empty", "INDEXEMPTY", "?")),
			searchBlock("tag", "", "",
				searchTok("tag", "TAG", ""),
				searchStr("separator", "SEPARATOR", "?"),
				searchTok("case_sensitive", "CASESENSITIVE", "?"),
				searchTok("with_suffix_trie", "WITHSUFFIXTRIE", "?"),
				searchTok("index_empty", "INDEXEMPTY", "?")),
			searchTok("numeric", "NUMERIC", ""),
			searchTok("geo", "GEO", ""),
			searchBlock("geoshape", "", "",
				searchTok("geoshape", "GEOSHAPE", ""),
				searchEnum("coord_system", "", "?", "FLAT", "SPHERICAL")),
			searchBlock("vector", "", "",
				searchTok("vector", "VECTOR", ""),
				searchEnum("algorithm", "", "", "FLAT", "HNSW", "SVS-VAMANA"),
				searchInt("nargs", "", ""),
				vectorAttr)),
		searchTok("index_missing", "INDEXMISSING", "?"),
		searchBlock("sortable", "", "?", searchTok("sortable", "SORTABLE", ""), searchTok("unf", "UNF", "?")),
		searchTok("no_index", "NOINDEX", "?"))
}

// searchCreateArgs is the grammar of FT.CREATE.
func searchCreateArgs() []*spec.Argument {
	return []*spec.Argument{
		searchStr("index", "", ""),
		searchEnum("data_type", "ON", "?", "HASH", "JSON"),
		searchEnum("indexall", "INDEXALL", "?", "ENABLE", "DISABLE"),
		searchCounted("prefix", "PREFIX", "?", "prefixes"),
		searchStr("filter", "FILTER", "?"),
		searchStr("language", "LANGUAGE", "?"),
		searchStr("language_field", "LANGUAGE_FIELD", "?"),
		searchDbl("score", "SCORE", "?"),
		searchStr("score_field", "SCORE_FIELD", "?"),
		searchStr("payload_field", "PAYLOAD_FIELD", "?"),
		searchTok("max_text_fields", "MAXTEXTFIELDS", "?"),
		searchInt("temporary", "TEMPORARY", "?"),
		searchTok("no_offsets", "NOOFFSETS", "?"),
		searchTok("no_hl", "NOHL", "?"),
		searchTok("no_fields", "NOFIELDS", "?"),
		searchTok("no_freqs", "NOFREQS", "?"),
		searchCounted("stopwords", "STOPWORDS", "?", "stopwords"),
		searchTok("skip_initial_scan", "SKIPINITIALSCAN", "?"),
		searchTok("schema", "SCHEMA", ""),
		searchField(),
	}
}

// searchSearchArgs is the grammar of FT.SEARCH. WITHSCORES, WITHPAYLOADS
// and WITHSORTKEYS are nested choices so that every combination is its own
// path: each selects the reply variant that knows the RESP2 layout.
func searchSearchArgs() []*spec.Argument {
	return []*spec.Argument{
		searchStr("index", "", ""),
		searchStr("query", "", ""),
		searchTok("no_content", "NOCONTENT", "?"),
		searchTok("verbatim", "VERBATIM", "?"),
		searchTok("no_stop_words", "NOSTOPWORDS", "?"),
		searchOneOf("with", "", "?",
			searchBlock("scores", "", "",
				searchTok("withscores", "WITHSCORES", ""),
				searchOneOf("more", "", "?",
					searchTok("sortkeys", "WITHSORTKEYS", ""),
					searchBlock("payloads", "", "",
						searchTok("withpayloads", "WITHPAYLOADS", ""),
						searchTok("sortkeys", "WITHSORTKEYS", "?")))),
			searchBlock("payloads", "", "",
				searchTok("withpayloads", "WITHPAYLOADS", ""),
				searchTok("sortkeys", "WITHSORTKEYS", "?")),
			searchTok("sortkeys", "WITHSORTKEYS", "")),
		searchBlock("filter", "", "?*",
			searchStr("field", "FILTER", ""), searchStr("min", "", ""), searchStr("max", "", "")),
		searchBlock("geofilter", "", "?*",
			searchStr("field", "GEOFILTER", ""), searchDbl("longitude", "", ""), searchDbl("latitude", "", ""),
			searchDbl("radius", "", ""), searchEnum("unit", "", "", "m", "km", "mi", "ft")),
		searchCounted("in_keys", "INKEYS", "?", "keys"),
		searchCounted("in_fields", "INFIELDS", "?", "fields"),
		searchBlock("return", "", "?", searchInt("nargs", "RETURN", ""), searchStr("fields", "", "*")),
		searchBlock("summarize", "", "?",
			searchTok("summarize", "SUMMARIZE", ""),
			searchCounted("fields", "FIELDS", "?", "fields"),
			searchInt("frags", "FRAGS", "?"),
			searchInt("len", "LEN", "?"),
			searchStr("separator", "SEPARATOR", "?")),
		searchBlock("highlight", "", "?",
			searchTok("highlight", "HIGHLIGHT", ""),
			searchCounted("fields", "FIELDS", "?", "fields"),
			searchBlock("tags", "", "?", searchTok("tags", "TAGS", ""), searchStr("open", "", ""), searchStr("close", "", ""))),
		searchInt("slop", "SLOP", "?"),
		searchInt("timeout", "TIMEOUT", "?"),
		searchTok("in_order", "INORDER", "?"),
		searchStr("language", "LANGUAGE", "?"),
		searchStr("expander", "EXPANDER", "?"),
		searchStr("scoring", "SCORER", "?"),
		searchTok("explain_score", "EXPLAINSCORE", "?"),
		searchStr("payload", "PAYLOAD", "?"),
		searchBlock("sortby", "", "?",
			searchStr("field", "SORTBY", ""),
			searchEnum("order", "", "?", "ASC", "DESC"),
			searchTok("withcount", "WITHCOUNT", "?")),
		searchBlock("limit", "", "?", searchTok("limit", "LIMIT", ""), searchInt("first", "", ""), searchInt("num", "", "")),
		searchParams(),
		searchInt("dialect", "DIALECT", "?"),
	}
}

// searchAggregateArgs is the grammar of FT.AGGREGATE: the pipeline steps
// (GROUPBY, SORTBY, APPLY, LIMIT, FILTER) repeat in any order, each call
// adding one step after the previous ones.
func searchAggregateArgs() []*spec.Argument {
	return []*spec.Argument{
		searchStr("index", "", ""),
		searchStr("query", "", ""),
		searchTok("verbatim", "VERBATIM", "?"),
		searchLoad(),
		searchInt("timeout", "TIMEOUT", "?"),
		searchStr("scoring", "SCORER", "?"),
		searchTok("add_scores", "ADDSCORES", "?"),
		searchOneOf("step", "", "?*",
			searchGroupBy(""),
			searchBlock("sortby", "", "",
				searchInt("nargs", "SORTBY", ""),
				searchSortKeys(),
				searchInt("max", "MAX", "?"),
				searchEnum("count", "", "?", "WITHCOUNT", "WITHOUTCOUNT")),
			searchBlock("apply", "", "", searchStr("expression", "APPLY", ""), searchStr("name", "AS", "")),
			searchBlock("limit", "", "", searchTok("limit", "LIMIT", ""), searchInt("first", "", ""), searchInt("num", "", "")),
			searchStr("filter", "FILTER", "")),
		searchBlock("cursor", "", "?",
			searchTok("withcursor", "WITHCURSOR", ""),
			searchInt("count", "COUNT", "?"),
			searchInt("max_idle", "MAXIDLE", "?")),
		searchParams(),
		searchInt("dialect", "DIALECT", "?"),
	}
}

// searchHybridArgs is the grammar of FT.HYBRID as the RediSearch sources
// parse it: counted KNN, RANGE, RRF and LINEAR parameters, a counted VSIM
// FILTER with its policy, and an aggregate-style post-processing tail.
func searchHybridArgs() []*spec.Argument {
	combineParams := func(kids ...*spec.Argument) *spec.Argument {
		return searchOneOf("param", "", "*", append(kids, searchStr("yield_score_as", "YIELD_SCORE_AS", ""))...)
	}
	return []*spec.Argument{
		searchStr("index", "", ""),
		searchBlock("search", "", "",
			searchTok("search", "SEARCH", ""),
			searchStr("query", "", ""),
			searchStr("scoring", "SCORER", "?"),
			searchStr("yield_score_as", "YIELD_SCORE_AS", "?")),
		searchBlock("vsim", "", "",
			searchTok("vsim", "VSIM", ""),
			searchStr("field", "", ""),
			searchStr("vector", "", ""),
			searchOneOf("method", "", "?",
				searchBlock("knn", "", "",
					searchTok("knn", "KNN", ""),
					searchInt("nargs", "", ""),
					searchOneOf("param", "", "*",
						searchInt("k", "K", ""),
						searchInt("ef_runtime", "EF_RUNTIME", ""),
						searchDbl("shard_k_ratio", "SHARD_K_RATIO", ""))),
				searchBlock("range", "", "",
					searchTok("range", "RANGE", ""),
					searchInt("nargs", "", ""),
					searchOneOf("param", "", "*",
						searchDbl("radius", "RADIUS", ""),
						searchDbl("epsilon", "EPSILON", "")))),
			searchBlock("filter", "", "?",
				searchInt("nargs", "FILTER", ""),
				searchOneOf("part", "", "*",
					searchStr("expression", "", ""),
					searchEnum("policy", "POLICY", "", "ADHOC", "BATCHES"),
					searchInt("batch_size", "BATCH_SIZE", ""))),
			searchStr("yield_score_as", "YIELD_SCORE_AS", "?")),
		searchBlock("combine", "", "?",
			searchTok("combine", "COMBINE", ""),
			searchOneOf("method", "", "",
				searchBlock("rrf", "", "",
					searchTok("rrf", "RRF", ""),
					searchInt("nargs", "", ""),
					combineParams(searchDbl("constant", "CONSTANT", ""), searchInt("window", "WINDOW", ""))),
				searchBlock("linear", "", "",
					searchTok("linear", "LINEAR", ""),
					searchInt("nargs", "", ""),
					combineParams(searchDbl("alpha", "ALPHA", ""), searchDbl("beta", "BETA", ""), searchInt("window", "WINDOW", ""))))),
		searchBlock("limit", "", "?", searchTok("limit", "LIMIT", ""), searchInt("first", "", ""), searchInt("num", "", "")),
		searchOneOf("sorting", "", "?",
			searchBlock("sortby", "", "", searchInt("nargs", "SORTBY", ""), searchSortKeys()),
			searchTok("no_sort", "NOSORT", "")),
		searchTok("explain_score", "EXPLAINSCORE", "?"),
		searchParams(),
		searchInt("timeout", "TIMEOUT", "?"),
		searchEnum("format", "FORMAT", "?", "STRING", "EXPAND"),
		searchLoad(),
		searchGroupBy("?"),
		searchBlock("apply", "", "?*", searchStr("expression", "APPLY", ""), searchStr("name", "AS", "")),
		searchStr("filter", "FILTER", "?"),
		searchInt("dialect", "DIALECT", "?"),
	}
}

// searchLegacyAdd is the grammar of the deprecated FT.ADD and FT.SAFEADD.
func searchLegacyAdd() []*spec.Argument {
	return []*spec.Argument{
		searchStr("index", "", ""),
		argTree("doc_id", spec.TypeKey, "", ""),
		searchDbl("score", "", ""),
		searchTok("no_save", "NOSAVE", "?"),
		searchBlock("replace", "", "?", searchTok("replace", "REPLACE", ""), searchTok("partial", "PARTIAL", "?"), searchTok("no_create", "NOCREATE", "?")),
		searchStr("language", "LANGUAGE", "?"),
		searchStr("payload", "PAYLOAD", "?"),
		searchStr("condition", "IF", "?"),
		searchTok("fields", "FIELDS", ""),
		searchBlock("field_value", "", "*", searchStr("field", "", ""), searchStr("value", "", "")),
	}
}

// searchClusterSetArgs is the grammar of SEARCH.CLUSTERSET. RANGES counts
// the SHARD blocks that follow; it is given explicitly because a shard
// block has optional parts.
func searchClusterSetArgs() []*spec.Argument {
	return []*spec.Argument{
		searchStr("my_id", "MYID", ""),
		searchEnum("hash_func", "HASHFUNC", "?", "CRC12", "CRC16"),
		searchInt("num_slots", "NUMSLOTS", "?"),
		searchInt("shard_count", "RANGES", ""),
		searchBlock("shard", "", "*",
			searchStr("id", "SHARD", ""),
			searchBlock("slotrange", "", "", searchInt("start", "SLOTRANGE", ""), searchInt("end", "", "")),
			searchStr("addr", "ADDR", ""),
			searchStr("unix_addr", "UNIXADDR", "?"),
			searchTok("master", "MASTER", "?")),
	}
}

// stateVariantNames shortens the reply-variant part of state names where
// the variant's own name would make them unreadable: FT.SEARCH's states
// after WITHSCORES, WITHPAYLOADS and WITHSORTKEYS repeat every later option
// once per combination (SearchCmdTimeoutScoredPayloads, not
// SearchCmdTimeoutWithScoresPayloadsSortKeys), keyed by command and
// variant name.
var stateVariantNames = map[string]map[string]string{
	"FT.SEARCH": {
		"WithScores":                 "Scored",
		"WithPayloads":               "Payloads",
		"WithSortKeys":               "Keyed",
		"WithScoresSortKeys":         "ScoredKeyed",
		"WithScoresPayloads":         "ScoredPayloads",
		"WithPayloadsSortKeys":       "PayloadsKeyed",
		"WithScoresPayloadsSortKeys": "Full",
	},
}

// searchWithVariants are the reply variants of FT.SEARCH's WITHSCORES,
// WITHPAYLOADS and WITHSORTKEYS combinations; deeper paths come later so
// that they win.
var searchWithVariants = []VariantOverride{
	{Name: "WithScores", Triggers: []string{"with.scores"}, Reply: "SearchWithScores"},
	{Name: "WithPayloads", Triggers: []string{"with.payloads"}, Reply: "SearchWithPayloads"},
	{Name: "WithSortKeys", Triggers: []string{"with.sortkeys"}, Reply: "SearchWithSortKeys"},
	{Name: "WithScoresSortKeys", Triggers: []string{"with.scores.more.sortkeys"}, Reply: "SearchWithScoresSortKeys"},
	{Name: "WithScoresPayloads", Triggers: []string{"with.scores.more.payloads"}, Reply: "SearchWithScoresPayloads"},
	{Name: "WithPayloadsSortKeys", Triggers: []string{"with.payloads.sortkeys"}, Reply: "SearchWithPayloadsSortKeys"},
	{Name: "WithScoresPayloadsSortKeys", Triggers: []string{"with.scores.more.payloads.sortkeys"}, Reply: "SearchWithScoresPayloadsSortKeys"},
}

// searchJSONPathRequired makes the path of a JSON command required: without
// it the server uses the legacy root path, whose reply is a single value
// instead of the per-path list the Go type expects.
func searchJSONPathRequired(cmd string, o *Override) *Override {
	o.Args = replaceArg(cmd, "path", searchStr("path", "", ""))
	return o
}

// searchOverrides, by command name.
var searchOverrides = map[string]*Override{
	// Legacy document commands (RediSearch 1.x, kept for compatibility).
	"FT.ADD":     {Args: searchLegacyAdd(), Reply: "string"}, // OK, or NOADD when the IF condition is false
	"FT.SAFEADD": {Args: searchLegacyAdd(), Reply: "string"}, // OK, or NOADD when the IF condition is false
	"FT.DEL": {
		Args:  []*spec.Argument{searchStr("index", "", ""), argTree("doc_id", spec.TypeKey, "", ""), searchTok("dd", "DD", "?")},
		Reply: "bool",
	},
	"FT.GET": {
		Args:  []*spec.Argument{searchStr("index", "", ""), argTree("doc_id", spec.TypeKey, "", "")},
		Reply: "?map[string]string",
	},
	"FT.MGET": {
		Args:  []*spec.Argument{searchStr("index", "", ""), searchStr("doc_id", "", "*")},
		Reply: "[]?map[string]string",
	},
	"FT.DROP": {
		Args:  []*spec.Argument{searchStr("index", "", ""), searchTok("keep_docs", "KEEPDOCS", "?")},
		Reply: "ok",
	},
	// Removed in RediSearch 2.0 (servers reply with an error); the reply was
	// the new synonym group id.
	"FT.SYNADD": {Args: []*spec.Argument{searchStr("index", "", ""), searchStr("term", "", "*")}, Reply: "int"},

	"FT.CREATE": {
		Args:     searchCreateArgs(),
		Reply:    "ok",
		ArgKinds: map[string]GoKind{"temporary": KindDurationS},
		Names: map[string]string{
			"field#unit":                        "FTField",
			"field.type#unit":                   "FTFieldType",
			"field.type.vector.attribute.other": "Attribute",
		},
	},
	"FT.ALTER": {
		Args: []*spec.Argument{
			searchStr("index", "", ""),
			searchTok("skip_initial_scan", "SKIPINITIALSCAN", "?"),
			searchTok("schema", "SCHEMA", ""),
			searchTok("add", "ADD", ""),
			searchField(),
		},
		Reply: "ok",
		Names: map[string]string{
			"field#unit":                        "FTField",
			"field.type#unit":                   "FTFieldType",
			"field.type.vector.attribute.other": "Attribute",
		},
	},
	"FT.SEARCH": {
		Args:     searchSearchArgs(),
		Reply:    "SearchResult",
		Variants: searchWithVariants,
		ArgKinds: map[string]GoKind{"timeout": KindDurationMs},
		Names:    map[string]string{"params.values": "Param"},
	},
	"FT.AGGREGATE": {
		Args:     searchAggregateArgs(),
		Reply:    "AggregateResult", // WITHCURSOR is recognized from the reply
		ArgKinds: map[string]GoKind{"timeout": KindDurationMs, "cursor.max_idle": KindDurationMs},
		Names: map[string]string{
			"load.fields":              "Load",
			"load.all":                 "LoadAll",
			"step.groupby#unit":        "FTGroupBy",
			"step.sortby#unit":         "FTSortBy",
			"step.groupby.reduce#unit": "FTReduce",
			"params.values":            "Param",
		},
	},
	"FT.HYBRID": {
		Args:     searchHybridArgs(),
		Reply:    "HybridResult",
		ArgKinds: map[string]GoKind{"timeout": KindDurationMs},
		Names: map[string]string{
			"load.fields":         "Load",
			"load.all":            "LoadAll",
			"groupby.reduce#unit": "FTReduce",
			"combine.method#unit": "FTCombine",
			"vsim.filter":         "VectorFilter",
			"vsim.yield_score_as": "VectorYieldScoreAs",
			"params.values":       "Param",
		},
	},
	"FT.PROFILE": {
		// The profiled command's arguments follow its query (LIMIT 0 10,
		// PARAMS ..., DIALECT 2).
		Args: []*spec.Argument{
			searchStr("index", "", ""),
			searchEnum("querytype", "", "", "SEARCH", "AGGREGATE", "HYBRID"),
			searchTok("limited", "LIMITED", "?"),
			searchTok("query", "QUERY", ""),
			searchStr("query", "", ""),
			searchStr("args", "", "?*"),
		},
		Reply: "ProfileResult",
	},
	"FT.CURSOR READ": {Reply: "AggregateResult"},
	"FT.CURSOR DEL":  {Reply: "ok"},
	"FT.CURSOR GC": {
		// The server parses an index and a cursor id and ignores both.
		Args:  []*spec.Argument{searchStr("index", "", ""), searchInt("cursor_id", "", "")},
		Reply: "int", // cursors collected (-1 when a collection ran too recently)
	},
	"FT.INFO":       {Reply: "SearchIndexInfo"},
	"FT.EXPLAIN":    {Reply: "string"},
	"FT.EXPLAINCLI": {Reply: "[]string"},
	"FT.SPELLCHECK": {
		// TERMS INCLUDE|EXCLUDE dict repeats, one dictionary each.
		Args: []*spec.Argument{
			searchStr("index", "", ""),
			searchStr("query", "", ""),
			searchInt("distance", "DISTANCE", "?"),
			searchOneOf("terms", "", "?*",
				searchBlock("include", "", "", searchTok("terms", "TERMS", ""), searchTok("include", "INCLUDE", ""), searchStr("dictionary", "", "")),
				searchBlock("exclude", "", "", searchTok("terms", "TERMS", ""), searchTok("exclude", "EXCLUDE", ""), searchStr("dictionary", "", ""))),
			searchInt("dialect", "DIALECT", "?"),
		},
		Reply: "SpellCheckResult",
		Names: map[string]string{"terms.include": "Include", "terms.exclude": "Exclude"},
	},
	"FT.DICTADD":     {Reply: "int"},
	"FT.DICTDEL":     {Reply: "int"},
	"FT.DICTDUMP":    {Reply: "[]string"},
	"FT.DROPINDEX":   {Reply: "ok"},
	"FT.ALIASADD":    {Reply: "ok"},
	"FT.ALIASDEL":    {Reply: "ok"},
	"FT.ALIASUPDATE": {Reply: "ok"},
	"FT.ALIASLIST":   {Reply: "[]string"},
	"FT.CONFIG GET":  {Reply: "map[string]?string"},
	"FT.CONFIG SET":  {Reply: "ok"},
	"FT.CONFIG HELP": {Reply: "SearchConfigHelp"},
	"FT.SUGADD":      {Reply: "int", Args: replaceArg("FT.SUGADD", "string", searchStr("suggestion", "", ""))},
	"FT.SUGDEL":      {Reply: "bool", Args: replaceArg("FT.SUGDEL", "string", searchStr("suggestion", "", ""))},
	"FT.SUGLEN":      {Reply: "int"},
	"FT.SYNUPDATE":   {Reply: "ok"},
	"FT.SYNDUMP":     {Reply: "map[string][]string"},
	"FT.TAGVALS":     {Reply: "[]string"},
	"FT.SUGGET": {
		Args: []*spec.Argument{
			searchStr("key", "", ""),
			searchStr("prefix", "", ""),
			searchTok("fuzzy", "FUZZY", "?"),
			searchOneOf("with", "", "?",
				searchBlock("scores", "", "", searchTok("withscores", "WITHSCORES", ""), searchTok("payloads", "WITHPAYLOADS", "?")),
				searchTok("payloads", "WITHPAYLOADS", "")),
			searchInt("max", "MAX", "?"),
		},
		Reply: "[]string",
		Variants: []VariantOverride{
			{Name: "WithScores", Triggers: []string{"with.scores"}, Reply: "[]ScoredSuggestion"},
			{Name: "WithPayloads", Triggers: []string{"with.payloads"}, Reply: "[]PayloadSuggestion"},
			{Name: "WithScoresPayloads", Triggers: []string{"with.scores.payloads"}, Reply: "[]ScoredPayloadSuggestion"},
		},
	},
	"SEARCH.CLUSTERINFO":    {Reply: "SearchClusterTopology"},
	"SEARCH.CLUSTERREFRESH": {Reply: "ok"},
	"SEARCH.CLUSTERSET":     {Args: searchClusterSetArgs(), Reply: "ok"},

	// JSON.
	"JSON.ARRAPPEND": {Reply: "[]?int"},
	"JSON.ARRINDEX":  {Reply: "[]?int"},
	"JSON.ARRINSERT": {Reply: "[]?int"},
	"JSON.ARRLEN":    searchJSONPathRequired("JSON.ARRLEN", &Override{Reply: "[]?int"}),
	"JSON.ARRPOP": {
		Args: []*spec.Argument{
			argTree("key", spec.TypeKey, "", ""),
			searchEnum("format", "FORMAT", "?", "STRINGS", "EXPAND1", "EXPAND"),
			searchBlock("path_index", "", "", searchStr("path", "", ""), searchInt("index", "", "?")),
		},
		Reply: "[]?string", // the popped values as JSON text
		Why:   "FORMAT EXPAND returns RESP3 values mirroring arbitrary JSON",
		Variants: []VariantOverride{
			// RESP3 only: the popped values as RESP3 values mirroring
			// arbitrary JSON, which has no fixed shape.
			{Name: "Expand", Triggers: []string{"format.expand1", "format.expand"}, Reply: "[]any"},
		},
	},
	"JSON.ARRTRIM":      {Reply: "[]?int"},
	"JSON.CLEAR":        {Reply: "int"},
	"JSON.DEBUG HELP":   {Reply: "[]string"},
	"JSON.DEBUG MEMORY": searchJSONPathRequired("JSON.DEBUG MEMORY", &Override{Reply: "[]int"}),
	"JSON.DEL":          {Reply: "int"},
	"JSON.FORGET":       {Reply: "int"},
	"JSON.GET": {
		Args: []*spec.Argument{
			argTree("key", spec.TypeKey, "", ""),
			searchStr("indent", "INDENT", "?"),
			searchStr("newline", "NEWLINE", "?"),
			searchStr("space", "SPACE", "?"),
			searchEnum("format", "FORMAT", "?", "STRING", "EXPAND1", "EXPAND"),
			searchStr("path", "", "?*"),
		},
		Reply: "?string", // JSON text; with several paths a JSON object keyed by path
		Why:   "FORMAT EXPAND returns RESP3 values mirroring arbitrary JSON",
		Variants: []VariantOverride{
			// RESP3 only: the value as RESP3 values mirroring arbitrary
			// JSON, which has no fixed shape.
			{Name: "Expand", Triggers: []string{"format.expand1", "format.expand"}, Reply: "any"},
		},
	},
	"JSON.MERGE":     {Reply: "bool"}, // OK, or null when nothing was merged
	"JSON.MGET":      {Reply: "[]?string"},
	"JSON.MSET":      {Reply: "bool", Names: map[string]string{"triplet": "Set"}}, // OK, or null when some triplet was not applied
	"JSON.NUMINCRBY": {Reply: "JSONNumbers"},
	"JSON.NUMMULTBY": {Reply: "JSONNumbers"},
	"JSON.NUMPOWBY":  {Reply: "JSONNumbers"},
	"JSON.OBJKEYS":   searchJSONPathRequired("JSON.OBJKEYS", &Override{Reply: "[]?[]string"}),
	"JSON.OBJLEN":    searchJSONPathRequired("JSON.OBJLEN", &Override{Reply: "[]?int"}),
	// JSON.RESP mirrors an arbitrary JSON document in RESP values: no fixed
	// shape.
	"JSON.RESP":      {Reply: "any", Why: "mirrors an arbitrary JSON document in RESP values"},
	"JSON.SET":       {Reply: "bool"}, // OK, or null when NX/XX prevented the write
	"JSON.STRAPPEND": searchJSONPathRequired("JSON.STRAPPEND", &Override{Reply: "[]?int"}),
	"JSON.STRLEN":    searchJSONPathRequired("JSON.STRLEN", &Override{Reply: "[]?int"}),
	"JSON.TOGGLE":    {Reply: "[]?bool"},
	"JSON.TYPE":      {Reply: "JSONTypes"},
}

// searchStructs are reply structs of this area (see structDefs).
var searchStructs = map[string]StructDef{
	"ScoredSuggestion":        {Tuple: true, Fields: []FieldDef{{"Text", "", "string"}, {"Score", "", "float"}}},
	"PayloadSuggestion":       {Tuple: true, Fields: []FieldDef{{"Text", "", "string"}, {"Payload", "", "?string"}}},
	"ScoredPayloadSuggestion": {Tuple: true, Fields: []FieldDef{{"Text", "", "string"}, {"Score", "", "float"}, {"Payload", "", "?string"}}},
	"SearchClusterTopology": {Fields: []FieldDef{
		{"NumPartitions", "num_partitions", "int"}, {"ClusterType", "cluster_type", "string"},
		{"HashFunc", "hash_func", "string"}, {"NumSlots", "num_slots", "int"},
		{"Shards", "shards", "[]SearchClusterShard"},
	}},
	"SearchClusterShard": {Fields: []FieldDef{
		{"Slots", "slots", "[]int"}, {"ID", "id", "string"}, {"Host", "host", "string"}, {"Port", "port", "int"},
	}},
}

// searchHandwritten are reply types of this area written by hand in
// redisclient (see handwritten).
var searchHandwritten = map[string]bool{
	// FT.SEARCH: RESP2 arrays whose layout follows the WITH* options, or
	// RESP3 maps. The variants are aliases of SearchResult.
	"SearchResult":                     true,
	"SearchWithScores":                 true,
	"SearchWithPayloads":               true,
	"SearchWithSortKeys":               true,
	"SearchWithScoresSortKeys":         true,
	"SearchWithScoresPayloads":         true,
	"SearchWithPayloadsSortKeys":       true,
	"SearchWithScoresPayloadsSortKeys": true,
	"AggregateResult":                  true, // rows of field/value pairs, with or without a cursor
	"HybridResult":                     true, // a map of total, rows, warnings and time
	"ProfileResult":                    true, // results of any query type plus a profile report
	"SearchIndexInfo":                  true, // attributes mix flags and key/value pairs in RESP2
	"SpellCheckResult":                 true, // tagged arrays in RESP2, nested maps in RESP3
	"SearchConfigHelp":                 true, // option arrays in RESP2, nested maps in RESP3
	"JSONNumbers":                      true, // JSON text in RESP2, an array in RESP3
	"JSONTypes":                        true, // an extra array level in RESP3
}

// searchEnumNames, searchTokenNames and searchFuncNames fix names of this area.
var (
	searchEnumNames = map[string]string{
		"HASH|JSON":            "FTDataType",
		"ENABLE|DISABLE":       "FTIndexAll",
		"FLAT|SPHERICAL":       "FTCoordSystem",
		"FLAT|HNSW|SVS-VAMANA": "FTVectorAlgorithm",
		"FLOAT32|FLOAT64|BFLOAT16|FLOAT16|INT8|UINT8": "FTVectorType",
		"L2|IP|COSINE": "FTDistanceMetric",
		"m|km|mi|ft":   "FTGeoUnit",
		"COUNT|COUNT_DISTINCT|COUNT_DISTINCTISH|SUM|MIN|MAX|AVG|STDDEV|QUANTILE|TOLIST|FIRST_VALUE|RANDOM_SAMPLE|COLLECT": "FTReducer",
		"WITHCOUNT|WITHOUTCOUNT":  "FTSortCount",
		"SEARCH|AGGREGATE|HYBRID": "FTProfileType",
		"ADHOC|BATCHES":           "FTFilterPolicy",
		"STRING|EXPAND":           "FTFormat",
		"CRC12|CRC16":             "SearchHashFunc",
		"STRINGS|EXPAND1|EXPAND":  "JSONPopFormat",
		"STRING|EXPAND1|EXPAND":   "JSONGetFormat",
		"STRING|JSON|BSON":        "JSONInputFormat",
		"BF16|FP16|FP32|FP64":     "JSONFloatType",
	}
	searchTokenNames = map[string]string{
		"NOOFFSETS":       "NoOffsets",
		"NOFREQS":         "NoFreqs",
		"NOSTEM":          "NoStem",
		"NOCONTENT":       "NoContent",
		"NOSTOPWORDS":     "NoStopWords",
		"SKIPINITIALSCAN": "SkipInitialScan",
		"INDEXMISSING":    "IndexMissing",
		"CASESENSITIVE":   "CaseSensitive",
		"INKEYS":          "InKeys",
		"INORDER":         "InOrder",
		"SCORER":          "Scorer",
		"GEOSHAPE":        "GeoShape",
		"STRINGS":         "Strings",
		"EF_RUNTIME":      "EFRuntime",
		"WITHOUTCOUNT":    "WithoutCount",
		"DD":              "DeleteDocs",
		"HASHFUNC":        "HashFunc",
		"UNIXADDR":        "UnixAddr",
		"BFLOAT16":        "BFloat16",
		"IP":              "IP",
		"HNSW":            "HNSW",
		"CRC12":           "CRC12",
		"CRC16":           "CRC16",
	}
	searchFuncNames = map[string]string{"FT.EXPLAINCLI": "FTExplainCLI"}
)
