package redisclient

// This file tests the hand-written search reply decoders with RESP2 and
// RESP3 fixtures (each pair must decode to the same value), empty and
// malformed replies, and the wire form of the search builders whose
// argument trees the override table replaces.

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redkit-go/redkit/transport/resp"
)

// RESP fixture builders for the search and JSON tests.
// search3 builds an FT.SEARCH/FT.AGGREGATE RESP3 result map.
func search3(total int64, results ...string) string {
	return fxMap(
		fxSimple("attributes"), fxArr(),
		fxSimple("format"), fxSimple("STRING"),
		fxSimple("results"), fxArr(results...),
		fxSimple("total_results"), fxInt(total),
		fxSimple("warning"), fxArr())
}

func TestDecodeSearchResult(t *testing.T) {
	fieldsA := map[string]string{"title": "hello", "n": "3"}
	docs := SearchResult{Total: 5, Docs: []SearchDocument{
		{ID: "doc:1", Fields: fieldsA},
		{ID: "doc:2", Fields: map[string]string{}},
	}}
	// Default layout.
	checkDecode(t, "plain/resp2", fxArr(fxInt(5),
		fxBulk("doc:1"), fxPairs("title", "hello", "n", "3"),
		fxBulk("doc:2"), fxArr()), decodeSearchResult, docs)
	checkDecode(t, "plain/resp3", search3(5,
		fxMap(fxSimple("id"), fxBulk("doc:1"), fxSimple("extra_attributes"), fxMapOf("title", "hello", "n", "3"), fxSimple("values"), fxArr()),
		fxMap(fxSimple("id"), fxBulk("doc:2"), fxSimple("extra_attributes"), fxMap(), fxSimple("values"), fxArr())),
		decodeSearchResult, docs)

	// NOCONTENT: ids only.
	ids := SearchResult{Total: 2, Docs: []SearchDocument{{ID: "a"}, {ID: "b"}}}
	checkDecode(t, "nocontent/resp2", fxArr(fxInt(2), fxBulk("a"), fxBulk("b")), decodeSearchResult, ids)
	checkDecode(t, "nocontent/resp3", search3(2,
		fxMap(fxSimple("id"), fxBulk("a"), fxSimple("values"), fxArr()),
		fxMap(fxSimple("id"), fxBulk("b"), fxSimple("values"), fxArr())),
		decodeSearchResult, ids)
	checkDecode(t, "nocontent-one/resp2", fxArr(fxInt(9), fxBulk("a")), decodeSearchResult,
		SearchResult{Total: 9, Docs: []SearchDocument{{ID: "a"}}})

	// Empty results.
	empty := SearchResult{Total: 0, Docs: []SearchDocument{}}
	checkDecode(t, "empty/resp2", fxArr(fxInt(0)), decodeSearchResult, empty)
	checkDecode(t, "empty/resp3", search3(0), decodeSearchResult, empty)

	// An expired document: null fields.
	expired := SearchResult{Total: 1, Docs: []SearchDocument{{ID: "gone"}}}
	checkDecode(t, "expired/resp2", fxArr(fxInt(1), fxBulk("gone"), "*-1\r\n"), decodeSearchResult, expired)
	checkDecode(t, "expired/resp3", search3(1,
		fxMap(fxSimple("id"), fxBulk("gone"), fxSimple("extra_attributes"), fxNull3, fxSimple("values"), fxArr())),
		decodeSearchResult, expired)

	// WITHSCORES, with and without NOCONTENT.
	scored := SearchResult{Total: 2, Docs: []SearchDocument{
		{ID: "a", Score: 1.5, Fields: map[string]string{"f": "x"}},
		{ID: "b", Score: 0.25, Fields: map[string]string{"f": "y"}},
	}}
	checkDecode(t, "scores/resp2", fxArr(fxInt(2),
		fxBulk("a"), fxBulk("1.5"), fxPairs("f", "x"),
		fxBulk("b"), fxBulk("0.25"), fxPairs("f", "y")), decodeSearchWithScores, scored)
	checkDecode(t, "scores/resp3", search3(2,
		fxMap(fxSimple("id"), fxBulk("a"), fxSimple("score"), fxDbl("1.5"), fxSimple("extra_attributes"), fxMapOf("f", "x"), fxSimple("values"), fxArr()),
		fxMap(fxSimple("id"), fxBulk("b"), fxSimple("score"), fxDbl("0.25"), fxSimple("extra_attributes"), fxMapOf("f", "y"), fxSimple("values"), fxArr())),
		decodeSearchWithScores, scored)
	scoredIDs := SearchResult{Total: 2, Docs: []SearchDocument{{ID: "a", Score: 1}, {ID: "b", Score: 2}}}
	checkDecode(t, "scores-nocontent/resp2", fxArr(fxInt(2), fxBulk("a"), fxBulk("1"), fxBulk("b"), fxBulk("2")),
		decodeSearchWithScores, scoredIDs)
	checkDecode(t, "scores-nocontent/resp3", search3(2,
		fxMap(fxSimple("id"), fxBulk("a"), fxSimple("score"), fxDbl("1")),
		fxMap(fxSimple("id"), fxBulk("b"), fxSimple("score"), fxDbl("2"))),
		decodeSearchWithScores, scoredIDs)

	// WITHSCORES EXPLAINSCORE.
	explain := fxArr(fxDbl("2"), fxArr(fxSimple("Final TFIDF"), fxArr(fxSimple("TFIDF 2"), fxSimple("norm 1"))))
	explain2 := fxArr(fxBulk("2"), fxArr(fxSimple("Final TFIDF"), fxArr(fxSimple("TFIDF 2"), fxSimple("norm 1"))))
	explained := SearchResult{Total: 1, Docs: []SearchDocument{{ID: "a", Score: 2,
		Explanation: &ScoreExplanation{Text: "Final TFIDF", Details: []ScoreExplanation{{Text: "TFIDF 2"}, {Text: "norm 1"}}},
		Fields:      map[string]string{"f": "x"}}}}
	checkDecode(t, "explain/resp2", fxArr(fxInt(1), fxBulk("a"), explain2, fxPairs("f", "x")), decodeSearchWithScores, explained)
	checkDecode(t, "explain/resp3", search3(1,
		fxMap(fxSimple("id"), fxBulk("a"), fxSimple("score"), explain, fxSimple("extra_attributes"), fxMapOf("f", "x"))),
		decodeSearchWithScores, explained)

	// WITHPAYLOADS, one document without a payload.
	payloads := SearchResult{Total: 2, Docs: []SearchDocument{
		{ID: "a", Payload: Opt[string]{Value: "p", Valid: true}, Fields: map[string]string{}},
		{ID: "b", Fields: map[string]string{}},
	}}
	checkDecode(t, "payloads/resp2", fxArr(fxInt(2), fxBulk("a"), fxBulk("p"), fxArr(), fxBulk("b"), fxNull2, fxArr()),
		decodeSearchWithPayloads, payloads)
	checkDecode(t, "payloads/resp3", search3(2,
		fxMap(fxSimple("id"), fxBulk("a"), fxSimple("payload"), fxBulk("p"), fxSimple("extra_attributes"), fxMap()),
		fxMap(fxSimple("id"), fxBulk("b"), fxSimple("payload"), fxNull3, fxSimple("extra_attributes"), fxMap())),
		decodeSearchWithPayloads, payloads)

	// WITHSORTKEYS.
	sorted := SearchResult{Total: 1, Docs: []SearchDocument{{ID: "a", SortKey: Opt[string]{Value: "#12", Valid: true}, Fields: map[string]string{"n": "12"}}}}
	checkDecode(t, "sortkeys/resp2", fxArr(fxInt(1), fxBulk("a"), fxBulk("#12"), fxPairs("n", "12")), decodeSearchWithSortKeys, sorted)
	checkDecode(t, "sortkeys/resp3", search3(1,
		fxMap(fxSimple("id"), fxBulk("a"), fxSimple("sortkey"), fxBulk("#12"), fxSimple("extra_attributes"), fxMapOf("n", "12"))),
		decodeSearchWithSortKeys, sorted)

	// All three, in the server's order: score, payload, sort key.
	all := SearchResult{Total: 1, Docs: []SearchDocument{{ID: "a", Score: 3, Payload: Opt[string]{Value: "p", Valid: true},
		SortKey: Opt[string]{Value: "$x", Valid: true}, Fields: map[string]string{"n": "x"}}}}
	checkDecode(t, "all/resp2", fxArr(fxInt(1), fxBulk("a"), fxBulk("3"), fxBulk("p"), fxBulk("$x"), fxPairs("n", "x")),
		decodeSearchWithScoresPayloadsSortKeys, all)
	checkDecode(t, "all/resp3", search3(1,
		fxMap(fxSimple("id"), fxBulk("a"), fxSimple("score"), fxDbl("3"), fxSimple("payload"), fxBulk("p"),
			fxSimple("sortkey"), fxBulk("$x"), fxSimple("extra_attributes"), fxMapOf("n", "x"))),
		decodeSearchWithScoresPayloadsSortKeys, all)
	for name, dec := range map[string]func(resp.Value) (SearchResult, error){
		"scores-sortkeys": decodeSearchWithScoresSortKeys, "scores-payloads": decodeSearchWithScoresPayloads,
		"payloads-sortkeys": decodeSearchWithPayloadsSortKeys,
	} {
		two := SearchResult{Total: 1, Docs: []SearchDocument{{ID: "a"}}}
		switch name {
		case "scores-sortkeys":
			two.Docs[0].Score, two.Docs[0].SortKey = 4, Opt[string]{Value: "$k", Valid: true}
			checkDecode(t, name+"/resp2", fxArr(fxInt(1), fxBulk("a"), fxBulk("4"), fxBulk("$k")), dec, two)
		case "scores-payloads":
			two.Docs[0].Score, two.Docs[0].Payload = 4, Opt[string]{Value: "p", Valid: true}
			checkDecode(t, name+"/resp2", fxArr(fxInt(1), fxBulk("a"), fxBulk("4"), fxBulk("p")), dec, two)
		default:
			two.Docs[0].Payload, two.Docs[0].SortKey = Opt[string]{Value: "p", Valid: true}, Opt[string]{Value: "$k", Valid: true}
			checkDecode(t, name+"/resp2", fxArr(fxInt(1), fxBulk("a"), fxBulk("p"), fxBulk("$k")), dec, two)
		}
	}

	// Non-scalar values (RESP3 FORMAT EXPAND).
	expanded := SearchResult{Total: 1, Docs: []SearchDocument{{ID: "a", Fields: map[string]string{"n": "1.5", "b": "true"},
		Values: map[string]Value{"$": {Kind: resp.KindArray, Elems: []Value{{Kind: resp.KindInteger, Int: 1}}}}}}}
	checkDecode(t, "expand/resp3", search3(1,
		fxMap(fxSimple("id"), fxBulk("a"), fxSimple("extra_attributes"),
			fxMap(fxBulk("n"), fxDbl("1.5"), fxBulk("b"), "#t\r\n", fxBulk("$"), fxArr(fxInt(1))))),
		decodeSearchResult, expanded)

	// Warnings (RESP3 only).
	checkDecode(t, "warning/resp3", fxMap(fxSimple("results"), fxArr(), fxSimple("total_results"), fxInt(0),
		fxSimple("warning"), fxArr(fxSimple("Timeout limit was reached"))),
		decodeSearchResult, SearchResult{Docs: []SearchDocument{}, Warnings: []string{"Timeout limit was reached"}})

	// Malformed replies.
	checkDecodeErr(t, "bad-stride", fxArr(fxInt(2), fxBulk("a"), fxPairs("f", "x"), fxBulk("b")), decodeSearchResult)
	checkDecodeErr(t, "bad-total", fxArr(fxBulk("x"), fxBulk("a")), decodeSearchResult)
	checkDecodeErr(t, "no-total", fxArr(), decodeSearchResult)
	checkDecodeErr(t, "odd-fields", fxArr(fxInt(1), fxBulk("a"), fxArr(fxBulk("f"))), decodeSearchResult)
	checkDecodeErr(t, "bad-score", fxArr(fxInt(1), fxBulk("a"), fxBulk("high"), fxArr()), decodeSearchWithScores)
	checkDecodeErr(t, "scalar", fxInt(3), decodeSearchResult)
	checkDecodeErr(t, "error", "-ERR no such index\r\n", decodeSearchResult)
	checkDecodeErr(t, "bad-doc-map", search3(1, fxArr(fxBulk("a"))), decodeSearchResult)
}

func TestDecodeAggregateResult(t *testing.T) {
	rows := AggregateResult{Total: 3, Rows: []AggregateRow{
		{Fields: map[string]string{"actor": "ann", "num": "22"}},
		{Fields: map[string]string{"actor": "bob"}, Values: map[string]Value{"tags": {Kind: resp.KindArray,
			Elems: []Value{{Kind: resp.KindBulkString, Str: "x"}, {Kind: resp.KindBulkString, Str: "y"}}}}},
	}}
	r2 := fxArr(fxInt(3), fxPairs("actor", "ann", "num", "22"), fxArr(fxBulk("actor"), fxBulk("bob"), fxBulk("tags"), fxPairs("x", "y")))
	row3 := func(attrs string) string {
		return fxMap(fxSimple("extra_attributes"), attrs, fxSimple("values"), fxArr())
	}
	r3 := search3(3, row3(fxMapOf("actor", "ann", "num", "22")), row3(fxMap(fxBulk("actor"), fxBulk("bob"), fxBulk("tags"), fxPairs("x", "y"))))
	checkDecode(t, "rows/resp2", r2, decodeAggregateResult, rows)
	checkDecode(t, "rows/resp3", r3, decodeAggregateResult, rows)

	// WITHCURSOR: [result, cursor id].
	cursor := rows
	cursor.Cursor = 42
	checkDecode(t, "cursor/resp2", fxArr(r2, fxInt(42)), decodeAggregateResult, cursor)
	checkDecode(t, "cursor/resp3", fxArr(r3, fxInt(42)), decodeAggregateResult, cursor)

	empty := AggregateResult{Rows: []AggregateRow{}}
	checkDecode(t, "empty/resp2", fxArr(fxInt(0)), decodeAggregateResult, empty)
	checkDecode(t, "empty/resp3", search3(0), decodeAggregateResult, empty)
	checkDecode(t, "empty-cursor/resp2", fxArr(fxArr(fxInt(0)), fxInt(0)), decodeAggregateResult, empty)
	checkDecode(t, "empty-cursor/resp3", fxArr(search3(0), fxInt(0)), decodeAggregateResult, empty)

	checkDecodeErr(t, "no-cursor-id", fxArr(fxArr(fxInt(0))), decodeAggregateResult)
	checkDecodeErr(t, "bad-cursor-id", fxArr(fxArr(fxInt(0)), fxBulk("x")), decodeAggregateResult)
	checkDecodeErr(t, "bad-row", fxArr(fxInt(1), fxBulk("row")), decodeAggregateResult)
	checkDecodeErr(t, "odd-row", fxArr(fxInt(1), fxArr(fxBulk("k"))), decodeAggregateResult)
	checkDecodeErr(t, "empty-array", fxArr(), decodeAggregateResult)
	checkDecodeErr(t, "error", "-Unknown index\r\n", decodeAggregateResult)
	checkDecodeErr(t, "bad-row-map", search3(1, fxArr()), decodeAggregateResult)
}

func TestDecodeHybridResult(t *testing.T) {
	want := HybridResult{Total: 2, Results: []AggregateRow{
		{Fields: map[string]string{"__key": "doc:1", "__score": "0.03"}},
		{Fields: map[string]string{"__key": "doc:2", "__score": "0.01"}},
	}, ExecutionTime: 1500 * time.Microsecond}
	checkDecode(t, "hybrid/resp2", fxArr(
		fxBulk("total_results"), fxInt(2),
		fxBulk("results"), fxArr(fxPairs("__key", "doc:1", "__score", "0.03"), fxPairs("__key", "doc:2", "__score", "0.01")),
		fxBulk("warnings"), fxArr(),
		fxBulk("execution_time"), fxBulk("1.5")), decodeHybridResult, want)
	checkDecode(t, "hybrid/resp3", fxMap(
		fxSimple("total_results"), fxInt(2),
		fxSimple("results"), fxArr(fxMapOf("__key", "doc:1", "__score", "0.03"), fxMapOf("__key", "doc:2", "__score", "0.01")),
		fxSimple("warnings"), fxArr(),
		fxSimple("execution_time"), fxDbl("1.5")), decodeHybridResult, want)
	empty := HybridResult{Results: []AggregateRow{}, Warnings: []string{"Timeout limit was reached (SEARCH)"}}
	checkDecode(t, "empty/resp3", fxMap(fxSimple("total_results"), fxInt(0), fxSimple("results"), fxArr(),
		fxSimple("warnings"), fxArr(fxSimple("Timeout limit was reached (SEARCH)")), fxSimple("execution_time"), fxDbl("0")),
		decodeHybridResult, empty)
	checkDecodeErr(t, "odd", fxArr(fxBulk("total_results")), decodeHybridResult)
	checkDecodeErr(t, "bad-time", fxMap(fxSimple("execution_time"), fxBulk("soon")), decodeHybridResult)
	checkDecodeErr(t, "scalar", fxBulk("x"), decodeHybridResult)
}

func TestDecodeProfileResult(t *testing.T) {
	prof2 := fxArr(fxBulk("Shards"), fxArr(fxPairs("Total profile time", "0.1")), fxBulk("Coordinator"), fxArr())
	prof3 := fxMap(fxSimple("Shards"), fxArr(fxMapOf("Total profile time", "0.1")), fxSimple("Coordinator"), fxMap())
	check := func(name, fixture string, want ProfileResult, profileKind resp.Kind) {
		t.Helper()
		r := readFixture(t, fixture)
		got, err := decodeProfileResult(r.Value())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.Profile.Kind != profileKind || len(got.Profile.Elems) == 0 {
			t.Errorf("%s: profile %v, want a %v", name, got.Profile, profileKind)
		}
		got.Profile = Value{}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", name, diff)
		}
	}
	search := ProfileResult{Search: &SearchResult{Total: 1, Docs: []SearchDocument{{ID: "a", Fields: map[string]string{"f": "x"}}}}}
	check("search/resp2", fxArr(fxArr(fxInt(1), fxBulk("a"), fxPairs("f", "x")), prof2), search, resp.KindArray)
	check("search/resp3", fxMap(fxSimple("Results"),
		search3(1, fxMap(fxSimple("id"), fxBulk("a"), fxSimple("extra_attributes"), fxMapOf("f", "x"))),
		fxSimple("Profile"), prof3), search, resp.KindMap)

	agg := ProfileResult{Aggregate: &AggregateResult{Total: 1, Rows: []AggregateRow{{Fields: map[string]string{"n": "1"}}}}}
	check("aggregate/resp2", fxArr(fxArr(fxInt(1), fxPairs("n", "1")), prof2), agg, resp.KindArray)
	check("aggregate/resp3", fxMap(fxSimple("Results"),
		search3(1, fxMap(fxSimple("extra_attributes"), fxMapOf("n", "1"), fxSimple("values"), fxArr())),
		fxSimple("Profile"), prof3), agg, resp.KindMap)

	hyb := ProfileResult{Hybrid: &HybridResult{Total: 0, Results: []AggregateRow{}}}
	check("hybrid/resp2", fxArr(fxArr(fxBulk("total_results"), fxInt(0), fxBulk("results"), fxArr(),
		fxBulk("warnings"), fxArr(), fxBulk("execution_time"), fxBulk("0")), prof2), hyb, resp.KindArray)
	check("hybrid/resp3", fxMap(fxSimple("Results"), fxMap(fxSimple("total_results"), fxInt(0),
		fxSimple("results"), fxArr(), fxSimple("warnings"), fxArr(), fxSimple("execution_time"), fxDbl("0")),
		fxSimple("Profile"), prof3), hyb, resp.KindMap)

	// Older servers: the profile inside the results map.
	check("inline/resp3", fxMap(fxSimple("results"), fxArr(), fxSimple("total_results"), fxInt(0),
		fxSimple("profile"), prof3), ProfileResult{Search: &SearchResult{Docs: []SearchDocument{}}}, resp.KindMap)

	checkDecodeErr(t, "short", fxArr(fxArr(fxInt(0))), decodeProfileResult)
	checkDecodeErr(t, "bad-results", fxArr(fxArr(fxBulk("x"), fxBulk("a")), prof2), decodeProfileResult)
	checkDecodeErr(t, "scalar", fxInt(1), decodeProfileResult)
}

func TestDecodeSearchIndexInfo(t *testing.T) {
	want := SearchIndexInfo{
		Name:    "idx",
		Options: []string{},
		Definition: SearchIndexDefinition{KeyType: "HASH", Prefixes: []string{"doc:"}, DefaultScore: 1,
			Filter: "@n>0"},
		Attributes: []SearchIndexAttribute{
			{Identifier: "title", Attribute: "title", Type: "TEXT", Flags: []string{"SORTABLE", "UNF"}, Options: map[string]string{"WEIGHT": "1"}},
			{Identifier: "$.v", Attribute: "v", Type: "VECTOR", Options: map[string]string{"algorithm": "HNSW", "dim": "4"}},
		},
		NumDocs: 10, MaxDocID: 12, NumTerms: 546, NumRecords: 692,
		InvertedSizeMB: 0.5, PercentIndexed: 1, NumberOfUses: 3, TotalIndexingTime: 4.5,
		GCStats:     map[string]float64{"bytes_collected": 0, "total_cycles": 2},
		CursorStats: map[string]int64{"global_total": 0, "index_capacity": 128},
		Errors:      SearchIndexErrors{IndexingFailures: 1, LastIndexingError: "bad", LastIndexingErrorKey: "doc:9"},
		FieldStatistics: []SearchFieldStatistics{{Identifier: "title", Attribute: "title",
			Errors: SearchIndexErrors{LastIndexingError: "N/A", LastIndexingErrorKey: "N/A"}}},
		Extra: map[string]Value{"vector_index_sz_note": {Kind: resp.KindBulkString, Str: "x"}},
	}
	r2 := fxArr(
		fxBulk("index_name"), fxBulk("idx"),
		fxBulk("index_options"), fxArr(),
		fxBulk("index_definition"), fxArr(fxBulk("key_type"), fxBulk("HASH"), fxBulk("prefixes"), fxArr(fxBulk("doc:")),
			fxBulk("filter"), fxBulk("@n>0"), fxBulk("default_score"), fxBulk("1")),
		fxBulk("attributes"), fxArr(
			fxPairs("identifier", "title", "attribute", "title", "type", "TEXT", "WEIGHT", "1", "SORTABLE", "UNF"),
			fxPairs("identifier", "$.v", "attribute", "v", "type", "VECTOR", "algorithm", "HNSW", "dim", "4")),
		fxBulk("num_docs"), fxBulk("10"),
		fxBulk("max_doc_id"), fxBulk("12"),
		fxBulk("num_terms"), fxBulk("546"),
		fxBulk("num_records"), fxBulk("692"),
		fxBulk("inverted_sz_mb"), fxBulk("0.5"),
		fxBulk("total_indexing_time"), fxBulk("4.5"),
		fxBulk("indexing"), fxBulk("0"),
		fxBulk("percent_indexed"), fxBulk("1"),
		fxBulk("number_of_uses"), fxInt(3),
		fxBulk("cleaning"), fxInt(0),
		fxBulk("gc_stats"), fxPairs("bytes_collected", "0", "total_cycles", "2"),
		fxBulk("cursor_stats"), fxArr(fxBulk("global_total"), fxInt(0), fxBulk("index_capacity"), fxInt(128)),
		fxBulk("Index Errors"), fxArr(fxBulk("indexing failures"), fxInt(1), fxBulk("last indexing error"), fxBulk("bad"),
			fxBulk("last indexing error key"), fxBulk("doc:9")),
		fxBulk("field statistics"), fxArr(fxArr(fxBulk("identifier"), fxBulk("title"), fxBulk("attribute"), fxBulk("title"),
			fxBulk("Index Errors"), fxArr(fxBulk("indexing failures"), fxInt(0), fxBulk("last indexing error"), fxBulk("N/A"),
				fxBulk("last indexing error key"), fxBulk("N/A")))),
		fxBulk("vector_index_sz_note"), fxBulk("x"),
	)
	r3 := fxMap(
		fxBulk("index_name"), fxBulk("idx"),
		fxBulk("index_options"), fxArr(),
		fxBulk("index_definition"), fxMap(fxBulk("key_type"), fxBulk("HASH"), fxBulk("prefixes"), fxArr(fxBulk("doc:")),
			fxBulk("filter"), fxBulk("@n>0"), fxBulk("default_score"), fxDbl("1")),
		fxBulk("attributes"), fxArr(
			fxMap(fxBulk("identifier"), fxBulk("title"), fxBulk("attribute"), fxBulk("title"), fxBulk("type"), fxBulk("TEXT"),
				fxBulk("WEIGHT"), fxDbl("1"), fxBulk("flags"), fxArr(fxBulk("SORTABLE"), fxBulk("UNF"))),
			fxMap(fxBulk("identifier"), fxBulk("$.v"), fxBulk("attribute"), fxBulk("v"), fxBulk("type"), fxBulk("VECTOR"),
				fxBulk("algorithm"), fxBulk("HNSW"), fxBulk("dim"), fxInt(4), fxBulk("flags"), fxArr())),
		fxBulk("num_docs"), fxInt(10),
		fxBulk("max_doc_id"), fxInt(12),
		fxBulk("num_terms"), fxInt(546),
		fxBulk("num_records"), fxInt(692),
		fxBulk("inverted_sz_mb"), fxDbl("0.5"),
		fxBulk("total_indexing_time"), fxDbl("4.5"),
		fxBulk("indexing"), fxInt(0),
		fxBulk("percent_indexed"), fxDbl("1"),
		fxBulk("number_of_uses"), fxInt(3),
		fxBulk("cleaning"), fxInt(0),
		fxBulk("gc_stats"), fxMap(fxBulk("bytes_collected"), fxDbl("0"), fxBulk("total_cycles"), fxInt(2)),
		fxBulk("cursor_stats"), fxMap(fxBulk("global_total"), fxInt(0), fxBulk("index_capacity"), fxInt(128)),
		fxBulk("Index Errors"), fxMap(fxBulk("indexing failures"), fxInt(1), fxBulk("last indexing error"), fxBulk("bad"),
			fxBulk("last indexing error key"), fxBulk("doc:9")),
		fxBulk("field statistics"), fxArr(fxMap(fxBulk("identifier"), fxBulk("title"), fxBulk("attribute"), fxBulk("title"),
			fxBulk("Index Errors"), fxMap(fxBulk("indexing failures"), fxInt(0), fxBulk("last indexing error"), fxBulk("N/A"),
				fxBulk("last indexing error key"), fxBulk("N/A")))),
		fxBulk("vector_index_sz_note"), fxBulk("x"),
	)
	checkDecode(t, "info/resp2", r2, decodeSearchIndexInfo, want)
	checkDecode(t, "info/resp3", r3, decodeSearchIndexInfo, want)

	checkDecode(t, "minimal/resp2", fxPairs("index_name", "i"), decodeSearchIndexInfo, SearchIndexInfo{Name: "i"})
	checkDecode(t, "minimal/resp3", fxMapOf("index_name", "i"), decodeSearchIndexInfo, SearchIndexInfo{Name: "i"})
	checkDecodeErr(t, "odd", fxArr(fxBulk("index_name")), decodeSearchIndexInfo)
	checkDecodeErr(t, "bad-count", fxPairs("num_docs", "many"), decodeSearchIndexInfo)
	checkDecodeErr(t, "attribute-without-value", fxArr(fxBulk("attributes"),
		fxArr(fxArr(fxBulk("identifier"), fxBulk("a"), fxBulk("WEIGHT")))), decodeSearchIndexInfo)
	checkDecodeErr(t, "error", "-Unknown index name\r\n", decodeSearchIndexInfo)
}

func TestDecodeSpellCheckResult(t *testing.T) {
	want := SpellCheckResult{
		{Term: "held", Suggestions: []SpellCheckSuggestion{{Suggestion: "hello", Score: 0.5}, {Suggestion: "help", Score: 0}}},
		{Term: "wrld"},
	}
	checkDecode(t, "terms/resp2", fxArr(
		fxArr(fxSimple("TERM"), fxBulk("held"), fxArr(fxArr(fxBulk("0.5"), fxBulk("hello")), fxArr(fxBulk("0"), fxBulk("help")))),
		fxArr(fxSimple("TERM"), fxBulk("wrld"), fxArr())),
		decodeSpellCheckResult, SpellCheckResult{want[0], {Term: "wrld", Suggestions: []SpellCheckSuggestion{}}})
	checkDecode(t, "terms/resp3", fxMap(fxSimple("results"), fxMap(
		fxBulk("held"), fxArr(fxMap(fxBulk("hello"), fxDbl("0.5")), fxMap(fxBulk("help"), fxDbl("0"))),
		fxBulk("wrld"), fxArr())),
		decodeSpellCheckResult, SpellCheckResult{want[0], {Term: "wrld", Suggestions: []SpellCheckSuggestion{}}})
	checkDecode(t, "empty/resp2", fxArr(), decodeSpellCheckResult, SpellCheckResult{})
	checkDecode(t, "empty/resp3", fxMap(fxSimple("results"), fxMap()), decodeSpellCheckResult, SpellCheckResult{})
	checkDecodeErr(t, "short", fxArr(fxArr(fxSimple("TERM"), fxBulk("x"))), decodeSpellCheckResult)
	checkDecodeErr(t, "bad-score", fxArr(fxArr(fxSimple("TERM"), fxBulk("x"), fxArr(fxArr(fxBulk("hi"), fxBulk("y"))))), decodeSpellCheckResult)
	checkDecodeErr(t, "bad-suggestion", fxMap(fxSimple("results"), fxMap(fxBulk("x"), fxArr(fxBulk("y")))), decodeSpellCheckResult)
	checkDecodeErr(t, "scalar", fxBulk("x"), decodeSpellCheckResult)
}

func TestDecodeSearchConfigHelp(t *testing.T) {
	want := SearchConfigHelp{
		"TIMEOUT":   {Description: "Query timeout", Value: Opt[string]{Value: "500", Valid: true}},
		"EXTLOAD":   {Description: "Extension to load"},
		"MINPREFIX": {Description: "Minimum prefix", Value: Opt[string]{Value: "2", Valid: true}},
	}
	opt2 := func(name, desc, value string) string {
		v := fxNull2
		if value != "" {
			v = fxBulk(value)
		}
		return fxArr(fxSimple(name), fxSimple("Description"), fxSimple(desc), fxSimple("Value"), v)
	}
	opt3 := func(desc, value string) string {
		v := fxNull3
		if value != "" {
			v = fxBulk(value)
		}
		return fxMap(fxSimple("Description"), fxSimple(desc), fxSimple("Value"), v)
	}
	checkDecode(t, "help/resp2", fxArr(opt2("TIMEOUT", "Query timeout", "500"), opt2("EXTLOAD", "Extension to load", ""),
		opt2("MINPREFIX", "Minimum prefix", "2")), decodeSearchConfigHelp, want)
	checkDecode(t, "help/resp3", fxMap(fxSimple("TIMEOUT"), opt3("Query timeout", "500"), fxSimple("EXTLOAD"), opt3("Extension to load", ""),
		fxSimple("MINPREFIX"), opt3("Minimum prefix", "2")), decodeSearchConfigHelp, want)
	checkDecode(t, "empty/resp2", fxArr(), decodeSearchConfigHelp, SearchConfigHelp{})
	checkDecode(t, "empty/resp3", fxMap(), decodeSearchConfigHelp, SearchConfigHelp{})
	checkDecodeErr(t, "odd", fxArr(fxArr(fxSimple("TIMEOUT"), fxSimple("Description"))), decodeSearchConfigHelp)
	checkDecodeErr(t, "not-map", fxMap(fxSimple("TIMEOUT"), fxBulk("x")), decodeSearchConfigHelp)
	checkDecodeErr(t, "empty-option", fxArr(fxArr()), decodeSearchConfigHelp)
	checkDecodeErr(t, "scalar", fxInt(1), decodeSearchConfigHelp)
}

// TestWireSearchOverrides checks the wire form of the argument trees that
// the override table replaces, on paths the generated tests do not take.
func TestWireSearchOverrides(t *testing.T) {
	for _, c := range []wireCase{
		{"FT.CREATE vector", FTCreate("idx").OnJSON().Prefix("doc:", "item:").Stopwords().
			Field(FTField("$.title", FTFieldText().NoStem().Weight(2)).As("title").Sortable().UNF()).
			Field(FTField("$.tags", FTFieldTag().Separator(";").CaseSensitive())).
			Field(FTField("$.v", FTFieldVector(FTVectorAlgorithmHNSW).Type(FTVectorTypeFloat32).Dim(4).DistanceMetric(FTDistanceMetricCosine).Attribute("M", "16")).As("v")),
			[]string{"FT.CREATE", "idx", "ON", "JSON", "PREFIX", "2", "doc:", "item:", "STOPWORDS", "0", "SCHEMA",
				"$.title", "AS", "title", "TEXT", "NOSTEM", "WEIGHT", "2", "SORTABLE", "UNF",
				"$.tags", "TAG", "SEPARATOR", ";", "CASESENSITIVE",
				"$.v", "AS", "v", "VECTOR", "HNSW", "8", "TYPE", "FLOAT32", "DIM", "4", "DISTANCE_METRIC", "COSINE", "M", "16"}},
		{"FT.CREATE temporary", FTCreate("idx").Temporary(time.Hour).Field(FTField("n", FTFieldNumeric()).Sortable().NoIndex()),
			[]string{"FT.CREATE", "idx", "TEMPORARY", "3600", "SCHEMA", "n", "NUMERIC", "SORTABLE", "NOINDEX"}},
		{"FT.ALTER", FTAlter("idx").SkipInitialScan().Field(FTField("g", FTFieldGeoShape().Flat())),
			[]string{"FT.ALTER", "idx", "SKIPINITIALSCAN", "SCHEMA", "ADD", "g", "GEOSHAPE", "FLAT"}},
		{"FT.SEARCH", FTSearch("idx", "@t:hi").WithScores().WithPayloads().WithSortKeys().Return("a", "b", "AS", "c").
			Summarize().Fields("a").Frags(2).Highlight().Tags("<b>", "</b>").Timeout(1500*time.Millisecond).
			SortBy("n").Desc().WithCount().Limit(0, 10).Params("v", "x").Param("w", "y").Dialect(2),
			[]string{"FT.SEARCH", "idx", "@t:hi", "WITHSCORES", "WITHPAYLOADS", "WITHSORTKEYS", "RETURN", "4", "a", "b", "AS", "c",
				"SUMMARIZE", "FIELDS", "1", "a", "FRAGS", "2", "HIGHLIGHT", "TAGS", "<b>", "</b>", "TIMEOUT", "1500",
				"SORTBY", "n", "DESC", "WITHCOUNT", "LIMIT", "0", "10", "PARAMS", "4", "v", "x", "w", "y", "DIALECT", "2"}},
		{"FT.SEARCH filters", FTSearch("idx", "*").NoContent().Filter("n", "(1", "+inf").GeoFilter("g", 1.5, 2.5, 10, FTGeoUnitKM).InKeys("k1"),
			[]string{"FT.SEARCH", "idx", "*", "NOCONTENT", "FILTER", "n", "(1", "+inf", "GEOFILTER", "g", "1.5", "2.5", "10", "km", "INKEYS", "1", "k1"}},
		{"FT.AGGREGATE pipeline", FTAggregate("idx", "*").Load("@a", "@b").
			Apply("day(@ts)", "day").
			GroupBy(FTGroupBy("@day", "@country").Reduce(FTReduce(FTReducerCount).As("n")).Reduce(FTReduce(FTReducerToList, "@name"))).
			SortBy(FTSortBy().Desc("@n").Asc("@day").Max(10)).
			Filter("@n > 1").Limit(0, 5).GroupBy(FTGroupBy()).
			WithCursor().Count(100).MaxIdle(5 * time.Second),
			[]string{"FT.AGGREGATE", "idx", "*", "LOAD", "2", "@a", "@b",
				"APPLY", "day(@ts)", "AS", "day",
				"GROUPBY", "2", "@day", "@country", "REDUCE", "COUNT", "0", "AS", "n", "REDUCE", "TOLIST", "1", "@name",
				"SORTBY", "4", "@n", "DESC", "@day", "ASC", "MAX", "10",
				"FILTER", "@n > 1", "LIMIT", "0", "5", "GROUPBY", "0",
				"WITHCURSOR", "COUNT", "100", "MAXIDLE", "5000"}},
		{"FT.AGGREGATE load all", FTAggregate("idx", "*").LoadAll().AddScores(),
			[]string{"FT.AGGREGATE", "idx", "*", "LOAD", "*", "ADDSCORES"}},
		{"FT.HYBRID", FTHybrid("idx", "laptop", "@v", "$vec").KNN().K(10).EFRuntime(100).
			VectorFilter().Expression("@price:[0 10]").Policy(FTFilterPolicyBatches).BatchSize(50).VectorYieldScoreAs("vs").
			Combine(FTHybridRRF().Window(40).Constant(1.5).YieldScoreAs("score")).SortBy().Desc("@score").
			Params("vec", "xyz").LoadAll().GroupBy("@brand").Reduce(FTReduce(FTReducerCount)),
			[]string{"FT.HYBRID", "idx", "SEARCH", "laptop", "VSIM", "@v", "$vec", "KNN", "4", "K", "10", "EF_RUNTIME", "100",
				"FILTER", "5", "@price:[0 10]", "POLICY", "BATCHES", "BATCH_SIZE", "50", "YIELD_SCORE_AS", "vs",
				"COMBINE", "RRF", "6", "WINDOW", "40", "CONSTANT", "1.5", "YIELD_SCORE_AS", "score", "SORTBY", "2", "@score", "DESC",
				"PARAMS", "2", "vec", "xyz", "LOAD", "*", "GROUPBY", "1", "@brand", "REDUCE", "COUNT", "0"}},
		{"FT.HYBRID range linear", FTHybrid("idx", "q", "@v", "$vec").Range().Radius(0.5).Combine(FTHybridLinear().Alpha(0.7).Beta(0.3)),
			[]string{"FT.HYBRID", "idx", "SEARCH", "q", "VSIM", "@v", "$vec", "RANGE", "2", "RADIUS", "0.5", "COMBINE", "LINEAR", "4", "ALPHA", "0.7", "BETA", "0.3"}},
		{"FT.PROFILE", FTProfile("idx", FTProfileTypeSearch, "hello").Limited().Args("LIMIT", "0", "10"),
			[]string{"FT.PROFILE", "idx", "SEARCH", "LIMITED", "QUERY", "hello", "LIMIT", "0", "10"}},
		{"FT.SPELLCHECK", FTSpellCheck("idx", "helo").Distance(2).Include("d1").Exclude("d2").Include("d3"),
			[]string{"FT.SPELLCHECK", "idx", "helo", "DISTANCE", "2", "TERMS", "INCLUDE", "d1", "TERMS", "EXCLUDE", "d2", "TERMS", "INCLUDE", "d3"}},
		{"FT.SUGGET", FTSugGet("ac", "he").WithScores().WithPayloads().Max(3),
			[]string{"FT.SUGGET", "ac", "he", "WITHSCORES", "WITHPAYLOADS", "MAX", "3"}},
		{"FT.ADD", FTAdd("idx", "doc:1", 1.0, "title", "hi").Replace().Partial().FieldValue("body", "text"),
			[]string{"FT.ADD", "idx", "doc:1", "1", "REPLACE", "PARTIAL", "FIELDS", "title", "hi", "body", "text"}},
		{"SEARCH.CLUSTERSET", SearchClusterSet("me", 1).HashFuncCRC16().Shard(SearchClusterSetShard("s1", 0, 16383, "1.2.3.4:6379").Master()),
			[]string{"SEARCH.CLUSTERSET", "MYID", "me", "HASHFUNC", "CRC16", "RANGES", "1", "SHARD", "s1", "SLOTRANGE", "0", "16383", "ADDR", "1.2.3.4:6379", "MASTER"}},
	} {
		checkWire(t, c)
	}
}

// TestSearchVariantTypes checks that FT.SEARCH picks the decoder of the
// options given: the RESP2 reply of WITHSCORES decodes with scores.
func TestSearchVariantTypes(t *testing.T) {
	var _ SearchResult = SearchWithScoresPayloadsSortKeys{}
	r := readFixture(t, fxArr(fxInt(1), fxBulk("a"), fxBulk("2"), fxArr()))
	got, err := decodeSearchWithScores(r.Value())
	if err != nil || got.Docs[0].Score != 2 {
		t.Errorf("decodeSearchWithScores: %+v, %v", got, err)
	}
}
