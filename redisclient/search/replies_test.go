package search

// This file tests the hand-written search reply decoders with RESP2 and
// RESP3 fixtures (each pair must decode to the same value), empty and
// malformed replies, and the wire form of the search builders whose
// argument trees the override table replaces.

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/redisclient/cmdimpl/cmdtest"
	"github.com/redkit-go/redkit/transport/resp"
)

// RESP fixture builders for the search and JSON tests.
// search3 builds an FT.SEARCH/FT.AGGREGATE RESP3 result map.
func search3(total int64, results ...string) string {
	return cmdtest.Map(
		cmdtest.Simple("attributes"), cmdtest.Arr(),
		cmdtest.Simple("format"), cmdtest.Simple("STRING"),
		cmdtest.Simple("results"), cmdtest.Arr(results...),
		cmdtest.Simple("total_results"), cmdtest.Int(total),
		cmdtest.Simple("warning"), cmdtest.Arr())
}

func TestDecodeSearchResult(t *testing.T) {
	fieldsA := map[string]string{"title": "hello", "n": "3"}
	docs := SearchResult{Total: 5, Docs: []SearchDocument{
		{ID: "doc:1", Fields: fieldsA},
		{ID: "doc:2", Fields: map[string]string{}},
	}}
	// Default layout.
	cmdtest.CheckDecode(t, "plain/resp2", cmdtest.Arr(cmdtest.Int(5),
		cmdtest.Bulk("doc:1"), cmdtest.Pairs("title", "hello", "n", "3"),
		cmdtest.Bulk("doc:2"), cmdtest.Arr()), decodeSearchResult, docs)
	cmdtest.CheckDecode(t, "plain/resp3", search3(5,
		cmdtest.Map(cmdtest.Simple("id"), cmdtest.Bulk("doc:1"), cmdtest.Simple("extra_attributes"), cmdtest.MapOf("title", "hello", "n", "3"), cmdtest.Simple("values"), cmdtest.Arr()),
		cmdtest.Map(cmdtest.Simple("id"), cmdtest.Bulk("doc:2"), cmdtest.Simple("extra_attributes"), cmdtest.Map(), cmdtest.Simple("values"), cmdtest.Arr())),
		decodeSearchResult, docs)

	// NOCONTENT: ids only.
	ids := SearchResult{Total: 2, Docs: []SearchDocument{{ID: "a"}, {ID: "b"}}}
	cmdtest.CheckDecode(t, "nocontent/resp2", cmdtest.Arr(cmdtest.Int(2), cmdtest.Bulk("a"), cmdtest.Bulk("b")), decodeSearchResult, ids)
	cmdtest.CheckDecode(t, "nocontent/resp3", search3(2,
		cmdtest.Map(cmdtest.Simple("id"), cmdtest.Bulk("a"), cmdtest.Simple("values"), cmdtest.Arr()),
		cmdtest.Map(cmdtest.Simple("id"), cmdtest.Bulk("b"), cmdtest.Simple("values"), cmdtest.Arr())),
		decodeSearchResult, ids)
	cmdtest.CheckDecode(t, "nocontent-one/resp2", cmdtest.Arr(cmdtest.Int(9), cmdtest.Bulk("a")), decodeSearchResult,
		SearchResult{Total: 9, Docs: []SearchDocument{{ID: "a"}}})

	// Empty results.
	empty := SearchResult{Total: 0, Docs: []SearchDocument{}}
	cmdtest.CheckDecode(t, "empty/resp2", cmdtest.Arr(cmdtest.Int(0)), decodeSearchResult, empty)
	cmdtest.CheckDecode(t, "empty/resp3", search3(0), decodeSearchResult, empty)

	// An expired document: null fields.
	expired := SearchResult{Total: 1, Docs: []SearchDocument{{ID: "gone"}}}
	cmdtest.CheckDecode(t, "expired/resp2", cmdtest.Arr(cmdtest.Int(1), cmdtest.Bulk("gone"), "*-1\r\n"), decodeSearchResult, expired)
	cmdtest.CheckDecode(t, "expired/resp3", search3(1,
		cmdtest.Map(cmdtest.Simple("id"), cmdtest.Bulk("gone"), cmdtest.Simple("extra_attributes"), cmdtest.Null3, cmdtest.Simple("values"), cmdtest.Arr())),
		decodeSearchResult, expired)

	// WITHSCORES, with and without NOCONTENT.
	scored := SearchResult{Total: 2, Docs: []SearchDocument{
		{ID: "a", Score: 1.5, Fields: map[string]string{"f": "x"}},
		{ID: "b", Score: 0.25, Fields: map[string]string{"f": "y"}},
	}}
	cmdtest.CheckDecode(t, "scores/resp2", cmdtest.Arr(cmdtest.Int(2),
		cmdtest.Bulk("a"), cmdtest.Bulk("1.5"), cmdtest.Pairs("f", "x"),
		cmdtest.Bulk("b"), cmdtest.Bulk("0.25"), cmdtest.Pairs("f", "y")), decodeSearchWithScores, scored)
	cmdtest.CheckDecode(t, "scores/resp3", search3(2,
		cmdtest.Map(cmdtest.Simple("id"), cmdtest.Bulk("a"), cmdtest.Simple("score"), cmdtest.Dbl("1.5"), cmdtest.Simple("extra_attributes"), cmdtest.MapOf("f", "x"), cmdtest.Simple("values"), cmdtest.Arr()),
		cmdtest.Map(cmdtest.Simple("id"), cmdtest.Bulk("b"), cmdtest.Simple("score"), cmdtest.Dbl("0.25"), cmdtest.Simple("extra_attributes"), cmdtest.MapOf("f", "y"), cmdtest.Simple("values"), cmdtest.Arr())),
		decodeSearchWithScores, scored)
	scoredIDs := SearchResult{Total: 2, Docs: []SearchDocument{{ID: "a", Score: 1}, {ID: "b", Score: 2}}}
	cmdtest.CheckDecode(t, "scores-nocontent/resp2", cmdtest.Arr(cmdtest.Int(2), cmdtest.Bulk("a"), cmdtest.Bulk("1"), cmdtest.Bulk("b"), cmdtest.Bulk("2")),
		decodeSearchWithScores, scoredIDs)
	cmdtest.CheckDecode(t, "scores-nocontent/resp3", search3(2,
		cmdtest.Map(cmdtest.Simple("id"), cmdtest.Bulk("a"), cmdtest.Simple("score"), cmdtest.Dbl("1")),
		cmdtest.Map(cmdtest.Simple("id"), cmdtest.Bulk("b"), cmdtest.Simple("score"), cmdtest.Dbl("2"))),
		decodeSearchWithScores, scoredIDs)

	// WITHSCORES EXPLAINSCORE.
	explain := cmdtest.Arr(cmdtest.Dbl("2"), cmdtest.Arr(cmdtest.Simple("Final TFIDF"), cmdtest.Arr(cmdtest.Simple("TFIDF 2"), cmdtest.Simple("norm 1"))))
	explain2 := cmdtest.Arr(cmdtest.Bulk("2"), cmdtest.Arr(cmdtest.Simple("Final TFIDF"), cmdtest.Arr(cmdtest.Simple("TFIDF 2"), cmdtest.Simple("norm 1"))))
	explained := SearchResult{Total: 1, Docs: []SearchDocument{{ID: "a", Score: 2,
		Explanation: &ScoreExplanation{Text: "Final TFIDF", Details: []ScoreExplanation{{Text: "TFIDF 2"}, {Text: "norm 1"}}},
		Fields:      map[string]string{"f": "x"}}}}
	cmdtest.CheckDecode(t, "explain/resp2", cmdtest.Arr(cmdtest.Int(1), cmdtest.Bulk("a"), explain2, cmdtest.Pairs("f", "x")), decodeSearchWithScores, explained)
	cmdtest.CheckDecode(t, "explain/resp3", search3(1,
		cmdtest.Map(cmdtest.Simple("id"), cmdtest.Bulk("a"), cmdtest.Simple("score"), explain, cmdtest.Simple("extra_attributes"), cmdtest.MapOf("f", "x"))),
		decodeSearchWithScores, explained)

	// WITHPAYLOADS, one document without a payload.
	payloads := SearchResult{Total: 2, Docs: []SearchDocument{
		{ID: "a", Payload: redisclient.Opt[string]{Value: "p", Valid: true}, Fields: map[string]string{}},
		{ID: "b", Fields: map[string]string{}},
	}}
	cmdtest.CheckDecode(t, "payloads/resp2", cmdtest.Arr(cmdtest.Int(2), cmdtest.Bulk("a"), cmdtest.Bulk("p"), cmdtest.Arr(), cmdtest.Bulk("b"), cmdtest.Null2, cmdtest.Arr()),
		decodeSearchWithPayloads, payloads)
	cmdtest.CheckDecode(t, "payloads/resp3", search3(2,
		cmdtest.Map(cmdtest.Simple("id"), cmdtest.Bulk("a"), cmdtest.Simple("payload"), cmdtest.Bulk("p"), cmdtest.Simple("extra_attributes"), cmdtest.Map()),
		cmdtest.Map(cmdtest.Simple("id"), cmdtest.Bulk("b"), cmdtest.Simple("payload"), cmdtest.Null3, cmdtest.Simple("extra_attributes"), cmdtest.Map())),
		decodeSearchWithPayloads, payloads)

	// WITHSORTKEYS.
	sorted := SearchResult{Total: 1, Docs: []SearchDocument{{ID: "a", SortKey: redisclient.Opt[string]{Value: "#12", Valid: true}, Fields: map[string]string{"n": "12"}}}}
	cmdtest.CheckDecode(t, "sortkeys/resp2", cmdtest.Arr(cmdtest.Int(1), cmdtest.Bulk("a"), cmdtest.Bulk("#12"), cmdtest.Pairs("n", "12")), decodeSearchWithSortKeys, sorted)
	cmdtest.CheckDecode(t, "sortkeys/resp3", search3(1,
		cmdtest.Map(cmdtest.Simple("id"), cmdtest.Bulk("a"), cmdtest.Simple("sortkey"), cmdtest.Bulk("#12"), cmdtest.Simple("extra_attributes"), cmdtest.MapOf("n", "12"))),
		decodeSearchWithSortKeys, sorted)

	// All three, in the server's order: score, payload, sort key.
	all := SearchResult{Total: 1, Docs: []SearchDocument{{ID: "a", Score: 3, Payload: redisclient.Opt[string]{Value: "p", Valid: true},
		SortKey: redisclient.Opt[string]{Value: "$x", Valid: true}, Fields: map[string]string{"n": "x"}}}}
	cmdtest.CheckDecode(t, "all/resp2", cmdtest.Arr(cmdtest.Int(1), cmdtest.Bulk("a"), cmdtest.Bulk("3"), cmdtest.Bulk("p"), cmdtest.Bulk("$x"), cmdtest.Pairs("n", "x")),
		decodeSearchWithScoresPayloadsSortKeys, all)
	cmdtest.CheckDecode(t, "all/resp3", search3(1,
		cmdtest.Map(cmdtest.Simple("id"), cmdtest.Bulk("a"), cmdtest.Simple("score"), cmdtest.Dbl("3"), cmdtest.Simple("payload"), cmdtest.Bulk("p"),
			cmdtest.Simple("sortkey"), cmdtest.Bulk("$x"), cmdtest.Simple("extra_attributes"), cmdtest.MapOf("n", "x"))),
		decodeSearchWithScoresPayloadsSortKeys, all)
	for name, dec := range map[string]func(resp.Value) (SearchResult, error){
		"scores-sortkeys": decodeSearchWithScoresSortKeys, "scores-payloads": decodeSearchWithScoresPayloads,
		"payloads-sortkeys": decodeSearchWithPayloadsSortKeys,
	} {
		two := SearchResult{Total: 1, Docs: []SearchDocument{{ID: "a"}}}
		switch name {
		case "scores-sortkeys":
			two.Docs[0].Score, two.Docs[0].SortKey = 4, redisclient.Opt[string]{Value: "$k", Valid: true}
			cmdtest.CheckDecode(t, name+"/resp2", cmdtest.Arr(cmdtest.Int(1), cmdtest.Bulk("a"), cmdtest.Bulk("4"), cmdtest.Bulk("$k")), dec, two)
		case "scores-payloads":
			two.Docs[0].Score, two.Docs[0].Payload = 4, redisclient.Opt[string]{Value: "p", Valid: true}
			cmdtest.CheckDecode(t, name+"/resp2", cmdtest.Arr(cmdtest.Int(1), cmdtest.Bulk("a"), cmdtest.Bulk("4"), cmdtest.Bulk("p")), dec, two)
		default:
			two.Docs[0].Payload, two.Docs[0].SortKey = redisclient.Opt[string]{Value: "p", Valid: true}, redisclient.Opt[string]{Value: "$k", Valid: true}
			cmdtest.CheckDecode(t, name+"/resp2", cmdtest.Arr(cmdtest.Int(1), cmdtest.Bulk("a"), cmdtest.Bulk("p"), cmdtest.Bulk("$k")), dec, two)
		}
	}

	// Non-scalar values (RESP3 FORMAT EXPAND).
	expanded := SearchResult{Total: 1, Docs: []SearchDocument{{ID: "a", Fields: map[string]string{"n": "1.5", "b": "true"},
		Values: map[string]redisclient.Value{"$": {Kind: resp.KindArray, Elems: []redisclient.Value{{Kind: resp.KindInteger, Int: 1}}}}}}}
	cmdtest.CheckDecode(t, "expand/resp3", search3(1,
		cmdtest.Map(cmdtest.Simple("id"), cmdtest.Bulk("a"), cmdtest.Simple("extra_attributes"),
			cmdtest.Map(cmdtest.Bulk("n"), cmdtest.Dbl("1.5"), cmdtest.Bulk("b"), "#t\r\n", cmdtest.Bulk("$"), cmdtest.Arr(cmdtest.Int(1))))),
		decodeSearchResult, expanded)

	// Warnings (RESP3 only).
	cmdtest.CheckDecode(t, "warning/resp3", cmdtest.Map(cmdtest.Simple("results"), cmdtest.Arr(), cmdtest.Simple("total_results"), cmdtest.Int(0),
		cmdtest.Simple("warning"), cmdtest.Arr(cmdtest.Simple("Timeout limit was reached"))),
		decodeSearchResult, SearchResult{Docs: []SearchDocument{}, Warnings: []string{"Timeout limit was reached"}})

	// Malformed replies.
	cmdtest.CheckDecodeErr(t, "bad-stride", cmdtest.Arr(cmdtest.Int(2), cmdtest.Bulk("a"), cmdtest.Pairs("f", "x"), cmdtest.Bulk("b")), decodeSearchResult)
	cmdtest.CheckDecodeErr(t, "bad-total", cmdtest.Arr(cmdtest.Bulk("x"), cmdtest.Bulk("a")), decodeSearchResult)
	cmdtest.CheckDecodeErr(t, "no-total", cmdtest.Arr(), decodeSearchResult)
	cmdtest.CheckDecodeErr(t, "odd-fields", cmdtest.Arr(cmdtest.Int(1), cmdtest.Bulk("a"), cmdtest.Arr(cmdtest.Bulk("f"))), decodeSearchResult)
	cmdtest.CheckDecodeErr(t, "bad-score", cmdtest.Arr(cmdtest.Int(1), cmdtest.Bulk("a"), cmdtest.Bulk("high"), cmdtest.Arr()), decodeSearchWithScores)
	cmdtest.CheckDecodeErr(t, "scalar", cmdtest.Int(3), decodeSearchResult)
	cmdtest.CheckDecodeErr(t, "error", "-ERR no such index\r\n", decodeSearchResult)
	cmdtest.CheckDecodeErr(t, "bad-doc-map", search3(1, cmdtest.Arr(cmdtest.Bulk("a"))), decodeSearchResult)
}

func TestDecodeAggregateResult(t *testing.T) {
	rows := AggregateResult{Total: 3, Rows: []AggregateRow{
		{Fields: map[string]string{"actor": "ann", "num": "22"}},
		{Fields: map[string]string{"actor": "bob"}, Values: map[string]redisclient.Value{"tags": {Kind: resp.KindArray,
			Elems: []redisclient.Value{{Kind: resp.KindBulkString, Str: "x"}, {Kind: resp.KindBulkString, Str: "y"}}}}},
	}}
	r2 := cmdtest.Arr(cmdtest.Int(3), cmdtest.Pairs("actor", "ann", "num", "22"), cmdtest.Arr(cmdtest.Bulk("actor"), cmdtest.Bulk("bob"), cmdtest.Bulk("tags"), cmdtest.Pairs("x", "y")))
	row3 := func(attrs string) string {
		return cmdtest.Map(cmdtest.Simple("extra_attributes"), attrs, cmdtest.Simple("values"), cmdtest.Arr())
	}
	r3 := search3(3, row3(cmdtest.MapOf("actor", "ann", "num", "22")), row3(cmdtest.Map(cmdtest.Bulk("actor"), cmdtest.Bulk("bob"), cmdtest.Bulk("tags"), cmdtest.Pairs("x", "y"))))
	cmdtest.CheckDecode(t, "rows/resp2", r2, decodeAggregateResult, rows)
	cmdtest.CheckDecode(t, "rows/resp3", r3, decodeAggregateResult, rows)

	// WITHCURSOR: [result, cursor id].
	cursor := rows
	cursor.Cursor = 42
	cmdtest.CheckDecode(t, "cursor/resp2", cmdtest.Arr(r2, cmdtest.Int(42)), decodeAggregateResult, cursor)
	cmdtest.CheckDecode(t, "cursor/resp3", cmdtest.Arr(r3, cmdtest.Int(42)), decodeAggregateResult, cursor)

	empty := AggregateResult{Rows: []AggregateRow{}}
	cmdtest.CheckDecode(t, "empty/resp2", cmdtest.Arr(cmdtest.Int(0)), decodeAggregateResult, empty)
	cmdtest.CheckDecode(t, "empty/resp3", search3(0), decodeAggregateResult, empty)
	cmdtest.CheckDecode(t, "empty-cursor/resp2", cmdtest.Arr(cmdtest.Arr(cmdtest.Int(0)), cmdtest.Int(0)), decodeAggregateResult, empty)
	cmdtest.CheckDecode(t, "empty-cursor/resp3", cmdtest.Arr(search3(0), cmdtest.Int(0)), decodeAggregateResult, empty)

	cmdtest.CheckDecodeErr(t, "no-cursor-id", cmdtest.Arr(cmdtest.Arr(cmdtest.Int(0))), decodeAggregateResult)
	cmdtest.CheckDecodeErr(t, "bad-cursor-id", cmdtest.Arr(cmdtest.Arr(cmdtest.Int(0)), cmdtest.Bulk("x")), decodeAggregateResult)
	cmdtest.CheckDecodeErr(t, "bad-row", cmdtest.Arr(cmdtest.Int(1), cmdtest.Bulk("row")), decodeAggregateResult)
	cmdtest.CheckDecodeErr(t, "odd-row", cmdtest.Arr(cmdtest.Int(1), cmdtest.Arr(cmdtest.Bulk("k"))), decodeAggregateResult)
	cmdtest.CheckDecodeErr(t, "empty-array", cmdtest.Arr(), decodeAggregateResult)
	cmdtest.CheckDecodeErr(t, "error", "-Unknown index\r\n", decodeAggregateResult)
	cmdtest.CheckDecodeErr(t, "bad-row-map", search3(1, cmdtest.Arr()), decodeAggregateResult)
}

func TestDecodeHybridResult(t *testing.T) {
	want := HybridResult{Total: 2, Results: []AggregateRow{
		{Fields: map[string]string{"__key": "doc:1", "__score": "0.03"}},
		{Fields: map[string]string{"__key": "doc:2", "__score": "0.01"}},
	}, ExecutionTime: 1500 * time.Microsecond}
	cmdtest.CheckDecode(t, "hybrid/resp2", cmdtest.Arr(
		cmdtest.Bulk("total_results"), cmdtest.Int(2),
		cmdtest.Bulk("results"), cmdtest.Arr(cmdtest.Pairs("__key", "doc:1", "__score", "0.03"), cmdtest.Pairs("__key", "doc:2", "__score", "0.01")),
		cmdtest.Bulk("warnings"), cmdtest.Arr(),
		cmdtest.Bulk("execution_time"), cmdtest.Bulk("1.5")), decodeHybridResult, want)
	cmdtest.CheckDecode(t, "hybrid/resp3", cmdtest.Map(
		cmdtest.Simple("total_results"), cmdtest.Int(2),
		cmdtest.Simple("results"), cmdtest.Arr(cmdtest.MapOf("__key", "doc:1", "__score", "0.03"), cmdtest.MapOf("__key", "doc:2", "__score", "0.01")),
		cmdtest.Simple("warnings"), cmdtest.Arr(),
		cmdtest.Simple("execution_time"), cmdtest.Dbl("1.5")), decodeHybridResult, want)
	empty := HybridResult{Results: []AggregateRow{}, Warnings: []string{"Timeout limit was reached (SEARCH)"}}
	cmdtest.CheckDecode(t, "empty/resp3", cmdtest.Map(cmdtest.Simple("total_results"), cmdtest.Int(0), cmdtest.Simple("results"), cmdtest.Arr(),
		cmdtest.Simple("warnings"), cmdtest.Arr(cmdtest.Simple("Timeout limit was reached (SEARCH)")), cmdtest.Simple("execution_time"), cmdtest.Dbl("0")),
		decodeHybridResult, empty)
	cmdtest.CheckDecodeErr(t, "odd", cmdtest.Arr(cmdtest.Bulk("total_results")), decodeHybridResult)
	cmdtest.CheckDecodeErr(t, "bad-time", cmdtest.Map(cmdtest.Simple("execution_time"), cmdtest.Bulk("soon")), decodeHybridResult)
	cmdtest.CheckDecodeErr(t, "scalar", cmdtest.Bulk("x"), decodeHybridResult)
}

func TestDecodeProfileResult(t *testing.T) {
	prof2 := cmdtest.Arr(cmdtest.Bulk("Shards"), cmdtest.Arr(cmdtest.Pairs("Total profile time", "0.1")), cmdtest.Bulk("Coordinator"), cmdtest.Arr())
	prof3 := cmdtest.Map(cmdtest.Simple("Shards"), cmdtest.Arr(cmdtest.MapOf("Total profile time", "0.1")), cmdtest.Simple("Coordinator"), cmdtest.Map())
	check := func(name, fixture string, want ProfileResult, profileKind resp.Kind) {
		t.Helper()
		r := cmdtest.ReadFixture(t, fixture)
		got, err := decodeProfileResult(r.Value())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.Profile.Kind != profileKind || len(got.Profile.Elems) == 0 {
			t.Errorf("%s: profile %v, want a %v", name, got.Profile, profileKind)
		}
		got.Profile = redisclient.Value{}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", name, diff)
		}
	}
	search := ProfileResult{Search: &SearchResult{Total: 1, Docs: []SearchDocument{{ID: "a", Fields: map[string]string{"f": "x"}}}}}
	check("search/resp2", cmdtest.Arr(cmdtest.Arr(cmdtest.Int(1), cmdtest.Bulk("a"), cmdtest.Pairs("f", "x")), prof2), search, resp.KindArray)
	check("search/resp3", cmdtest.Map(cmdtest.Simple("Results"),
		search3(1, cmdtest.Map(cmdtest.Simple("id"), cmdtest.Bulk("a"), cmdtest.Simple("extra_attributes"), cmdtest.MapOf("f", "x"))),
		cmdtest.Simple("Profile"), prof3), search, resp.KindMap)

	agg := ProfileResult{Aggregate: &AggregateResult{Total: 1, Rows: []AggregateRow{{Fields: map[string]string{"n": "1"}}}}}
	check("aggregate/resp2", cmdtest.Arr(cmdtest.Arr(cmdtest.Int(1), cmdtest.Pairs("n", "1")), prof2), agg, resp.KindArray)
	check("aggregate/resp3", cmdtest.Map(cmdtest.Simple("Results"),
		search3(1, cmdtest.Map(cmdtest.Simple("extra_attributes"), cmdtest.MapOf("n", "1"), cmdtest.Simple("values"), cmdtest.Arr())),
		cmdtest.Simple("Profile"), prof3), agg, resp.KindMap)

	hyb := ProfileResult{Hybrid: &HybridResult{Total: 0, Results: []AggregateRow{}}}
	check("hybrid/resp2", cmdtest.Arr(cmdtest.Arr(cmdtest.Bulk("total_results"), cmdtest.Int(0), cmdtest.Bulk("results"), cmdtest.Arr(),
		cmdtest.Bulk("warnings"), cmdtest.Arr(), cmdtest.Bulk("execution_time"), cmdtest.Bulk("0")), prof2), hyb, resp.KindArray)
	check("hybrid/resp3", cmdtest.Map(cmdtest.Simple("Results"), cmdtest.Map(cmdtest.Simple("total_results"), cmdtest.Int(0),
		cmdtest.Simple("results"), cmdtest.Arr(), cmdtest.Simple("warnings"), cmdtest.Arr(), cmdtest.Simple("execution_time"), cmdtest.Dbl("0")),
		cmdtest.Simple("Profile"), prof3), hyb, resp.KindMap)

	// Older servers: the profile inside the results map.
	check("inline/resp3", cmdtest.Map(cmdtest.Simple("results"), cmdtest.Arr(), cmdtest.Simple("total_results"), cmdtest.Int(0),
		cmdtest.Simple("profile"), prof3), ProfileResult{Search: &SearchResult{Docs: []SearchDocument{}}}, resp.KindMap)

	cmdtest.CheckDecodeErr(t, "short", cmdtest.Arr(cmdtest.Arr(cmdtest.Int(0))), decodeProfileResult)
	cmdtest.CheckDecodeErr(t, "bad-results", cmdtest.Arr(cmdtest.Arr(cmdtest.Bulk("x"), cmdtest.Bulk("a")), prof2), decodeProfileResult)
	cmdtest.CheckDecodeErr(t, "scalar", cmdtest.Int(1), decodeProfileResult)
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
		Extra: map[string]redisclient.Value{"vector_index_sz_note": {Kind: resp.KindBulkString, Str: "x"}},
	}
	r2 := cmdtest.Arr(
		cmdtest.Bulk("index_name"), cmdtest.Bulk("idx"),
		cmdtest.Bulk("index_options"), cmdtest.Arr(),
		cmdtest.Bulk("index_definition"), cmdtest.Arr(cmdtest.Bulk("key_type"), cmdtest.Bulk("HASH"), cmdtest.Bulk("prefixes"), cmdtest.Arr(cmdtest.Bulk("doc:")),
			cmdtest.Bulk("filter"), cmdtest.Bulk("@n>0"), cmdtest.Bulk("default_score"), cmdtest.Bulk("1")),
		cmdtest.Bulk("attributes"), cmdtest.Arr(
			cmdtest.Pairs("identifier", "title", "attribute", "title", "type", "TEXT", "WEIGHT", "1", "SORTABLE", "UNF"),
			cmdtest.Pairs("identifier", "$.v", "attribute", "v", "type", "VECTOR", "algorithm", "HNSW", "dim", "4")),
		cmdtest.Bulk("num_docs"), cmdtest.Bulk("10"),
		cmdtest.Bulk("max_doc_id"), cmdtest.Bulk("12"),
		cmdtest.Bulk("num_terms"), cmdtest.Bulk("546"),
		cmdtest.Bulk("num_records"), cmdtest.Bulk("692"),
		cmdtest.Bulk("inverted_sz_mb"), cmdtest.Bulk("0.5"),
		cmdtest.Bulk("total_indexing_time"), cmdtest.Bulk("4.5"),
		cmdtest.Bulk("indexing"), cmdtest.Bulk("0"),
		cmdtest.Bulk("percent_indexed"), cmdtest.Bulk("1"),
		cmdtest.Bulk("number_of_uses"), cmdtest.Int(3),
		cmdtest.Bulk("cleaning"), cmdtest.Int(0),
		cmdtest.Bulk("gc_stats"), cmdtest.Pairs("bytes_collected", "0", "total_cycles", "2"),
		cmdtest.Bulk("cursor_stats"), cmdtest.Arr(cmdtest.Bulk("global_total"), cmdtest.Int(0), cmdtest.Bulk("index_capacity"), cmdtest.Int(128)),
		cmdtest.Bulk("Index Errors"), cmdtest.Arr(cmdtest.Bulk("indexing failures"), cmdtest.Int(1), cmdtest.Bulk("last indexing error"), cmdtest.Bulk("bad"),
			cmdtest.Bulk("last indexing error key"), cmdtest.Bulk("doc:9")),
		cmdtest.Bulk("field statistics"), cmdtest.Arr(cmdtest.Arr(cmdtest.Bulk("identifier"), cmdtest.Bulk("title"), cmdtest.Bulk("attribute"), cmdtest.Bulk("title"),
			cmdtest.Bulk("Index Errors"), cmdtest.Arr(cmdtest.Bulk("indexing failures"), cmdtest.Int(0), cmdtest.Bulk("last indexing error"), cmdtest.Bulk("N/A"),
				cmdtest.Bulk("last indexing error key"), cmdtest.Bulk("N/A")))),
		cmdtest.Bulk("vector_index_sz_note"), cmdtest.Bulk("x"),
	)
	r3 := cmdtest.Map(
		cmdtest.Bulk("index_name"), cmdtest.Bulk("idx"),
		cmdtest.Bulk("index_options"), cmdtest.Arr(),
		cmdtest.Bulk("index_definition"), cmdtest.Map(cmdtest.Bulk("key_type"), cmdtest.Bulk("HASH"), cmdtest.Bulk("prefixes"), cmdtest.Arr(cmdtest.Bulk("doc:")),
			cmdtest.Bulk("filter"), cmdtest.Bulk("@n>0"), cmdtest.Bulk("default_score"), cmdtest.Dbl("1")),
		cmdtest.Bulk("attributes"), cmdtest.Arr(
			cmdtest.Map(cmdtest.Bulk("identifier"), cmdtest.Bulk("title"), cmdtest.Bulk("attribute"), cmdtest.Bulk("title"), cmdtest.Bulk("type"), cmdtest.Bulk("TEXT"),
				cmdtest.Bulk("WEIGHT"), cmdtest.Dbl("1"), cmdtest.Bulk("flags"), cmdtest.Arr(cmdtest.Bulk("SORTABLE"), cmdtest.Bulk("UNF"))),
			cmdtest.Map(cmdtest.Bulk("identifier"), cmdtest.Bulk("$.v"), cmdtest.Bulk("attribute"), cmdtest.Bulk("v"), cmdtest.Bulk("type"), cmdtest.Bulk("VECTOR"),
				cmdtest.Bulk("algorithm"), cmdtest.Bulk("HNSW"), cmdtest.Bulk("dim"), cmdtest.Int(4), cmdtest.Bulk("flags"), cmdtest.Arr())),
		cmdtest.Bulk("num_docs"), cmdtest.Int(10),
		cmdtest.Bulk("max_doc_id"), cmdtest.Int(12),
		cmdtest.Bulk("num_terms"), cmdtest.Int(546),
		cmdtest.Bulk("num_records"), cmdtest.Int(692),
		cmdtest.Bulk("inverted_sz_mb"), cmdtest.Dbl("0.5"),
		cmdtest.Bulk("total_indexing_time"), cmdtest.Dbl("4.5"),
		cmdtest.Bulk("indexing"), cmdtest.Int(0),
		cmdtest.Bulk("percent_indexed"), cmdtest.Dbl("1"),
		cmdtest.Bulk("number_of_uses"), cmdtest.Int(3),
		cmdtest.Bulk("cleaning"), cmdtest.Int(0),
		cmdtest.Bulk("gc_stats"), cmdtest.Map(cmdtest.Bulk("bytes_collected"), cmdtest.Dbl("0"), cmdtest.Bulk("total_cycles"), cmdtest.Int(2)),
		cmdtest.Bulk("cursor_stats"), cmdtest.Map(cmdtest.Bulk("global_total"), cmdtest.Int(0), cmdtest.Bulk("index_capacity"), cmdtest.Int(128)),
		cmdtest.Bulk("Index Errors"), cmdtest.Map(cmdtest.Bulk("indexing failures"), cmdtest.Int(1), cmdtest.Bulk("last indexing error"), cmdtest.Bulk("bad"),
			cmdtest.Bulk("last indexing error key"), cmdtest.Bulk("doc:9")),
		cmdtest.Bulk("field statistics"), cmdtest.Arr(cmdtest.Map(cmdtest.Bulk("identifier"), cmdtest.Bulk("title"), cmdtest.Bulk("attribute"), cmdtest.Bulk("title"),
			cmdtest.Bulk("Index Errors"), cmdtest.Map(cmdtest.Bulk("indexing failures"), cmdtest.Int(0), cmdtest.Bulk("last indexing error"), cmdtest.Bulk("N/A"),
				cmdtest.Bulk("last indexing error key"), cmdtest.Bulk("N/A")))),
		cmdtest.Bulk("vector_index_sz_note"), cmdtest.Bulk("x"),
	)
	cmdtest.CheckDecode(t, "info/resp2", r2, decodeSearchIndexInfo, want)
	cmdtest.CheckDecode(t, "info/resp3", r3, decodeSearchIndexInfo, want)

	cmdtest.CheckDecode(t, "minimal/resp2", cmdtest.Pairs("index_name", "i"), decodeSearchIndexInfo, SearchIndexInfo{Name: "i"})
	cmdtest.CheckDecode(t, "minimal/resp3", cmdtest.MapOf("index_name", "i"), decodeSearchIndexInfo, SearchIndexInfo{Name: "i"})
	cmdtest.CheckDecodeErr(t, "odd", cmdtest.Arr(cmdtest.Bulk("index_name")), decodeSearchIndexInfo)
	cmdtest.CheckDecodeErr(t, "bad-count", cmdtest.Pairs("num_docs", "many"), decodeSearchIndexInfo)
	cmdtest.CheckDecodeErr(t, "attribute-without-value", cmdtest.Arr(cmdtest.Bulk("attributes"),
		cmdtest.Arr(cmdtest.Arr(cmdtest.Bulk("identifier"), cmdtest.Bulk("a"), cmdtest.Bulk("WEIGHT")))), decodeSearchIndexInfo)
	cmdtest.CheckDecodeErr(t, "error", "-Unknown index name\r\n", decodeSearchIndexInfo)
}

func TestDecodeSpellCheckResult(t *testing.T) {
	want := SpellCheckResult{
		{Term: "held", Suggestions: []SpellCheckSuggestion{{Suggestion: "hello", Score: 0.5}, {Suggestion: "help", Score: 0}}},
		{Term: "wrld"},
	}
	cmdtest.CheckDecode(t, "terms/resp2", cmdtest.Arr(
		cmdtest.Arr(cmdtest.Simple("TERM"), cmdtest.Bulk("held"), cmdtest.Arr(cmdtest.Arr(cmdtest.Bulk("0.5"), cmdtest.Bulk("hello")), cmdtest.Arr(cmdtest.Bulk("0"), cmdtest.Bulk("help")))),
		cmdtest.Arr(cmdtest.Simple("TERM"), cmdtest.Bulk("wrld"), cmdtest.Arr())),
		decodeSpellCheckResult, SpellCheckResult{want[0], {Term: "wrld", Suggestions: []SpellCheckSuggestion{}}})
	cmdtest.CheckDecode(t, "terms/resp3", cmdtest.Map(cmdtest.Simple("results"), cmdtest.Map(
		cmdtest.Bulk("held"), cmdtest.Arr(cmdtest.Map(cmdtest.Bulk("hello"), cmdtest.Dbl("0.5")), cmdtest.Map(cmdtest.Bulk("help"), cmdtest.Dbl("0"))),
		cmdtest.Bulk("wrld"), cmdtest.Arr())),
		decodeSpellCheckResult, SpellCheckResult{want[0], {Term: "wrld", Suggestions: []SpellCheckSuggestion{}}})
	cmdtest.CheckDecode(t, "empty/resp2", cmdtest.Arr(), decodeSpellCheckResult, SpellCheckResult{})
	cmdtest.CheckDecode(t, "empty/resp3", cmdtest.Map(cmdtest.Simple("results"), cmdtest.Map()), decodeSpellCheckResult, SpellCheckResult{})
	cmdtest.CheckDecodeErr(t, "short", cmdtest.Arr(cmdtest.Arr(cmdtest.Simple("TERM"), cmdtest.Bulk("x"))), decodeSpellCheckResult)
	cmdtest.CheckDecodeErr(t, "bad-score", cmdtest.Arr(cmdtest.Arr(cmdtest.Simple("TERM"), cmdtest.Bulk("x"), cmdtest.Arr(cmdtest.Arr(cmdtest.Bulk("hi"), cmdtest.Bulk("y"))))), decodeSpellCheckResult)
	cmdtest.CheckDecodeErr(t, "bad-suggestion", cmdtest.Map(cmdtest.Simple("results"), cmdtest.Map(cmdtest.Bulk("x"), cmdtest.Arr(cmdtest.Bulk("y")))), decodeSpellCheckResult)
	cmdtest.CheckDecodeErr(t, "scalar", cmdtest.Bulk("x"), decodeSpellCheckResult)
}

func TestDecodeSearchConfigHelp(t *testing.T) {
	want := SearchConfigHelp{
		"TIMEOUT":   {Description: "Query timeout", Value: redisclient.Opt[string]{Value: "500", Valid: true}},
		"EXTLOAD":   {Description: "Extension to load"},
		"MINPREFIX": {Description: "Minimum prefix", Value: redisclient.Opt[string]{Value: "2", Valid: true}},
	}
	opt2 := func(name, desc, value string) string {
		v := cmdtest.Null2
		if value != "" {
			v = cmdtest.Bulk(value)
		}
		return cmdtest.Arr(cmdtest.Simple(name), cmdtest.Simple("Description"), cmdtest.Simple(desc), cmdtest.Simple("Value"), v)
	}
	opt3 := func(desc, value string) string {
		v := cmdtest.Null3
		if value != "" {
			v = cmdtest.Bulk(value)
		}
		return cmdtest.Map(cmdtest.Simple("Description"), cmdtest.Simple(desc), cmdtest.Simple("Value"), v)
	}
	cmdtest.CheckDecode(t, "help/resp2", cmdtest.Arr(opt2("TIMEOUT", "Query timeout", "500"), opt2("EXTLOAD", "Extension to load", ""),
		opt2("MINPREFIX", "Minimum prefix", "2")), decodeSearchConfigHelp, want)
	cmdtest.CheckDecode(t, "help/resp3", cmdtest.Map(cmdtest.Simple("TIMEOUT"), opt3("Query timeout", "500"), cmdtest.Simple("EXTLOAD"), opt3("Extension to load", ""),
		cmdtest.Simple("MINPREFIX"), opt3("Minimum prefix", "2")), decodeSearchConfigHelp, want)
	cmdtest.CheckDecode(t, "empty/resp2", cmdtest.Arr(), decodeSearchConfigHelp, SearchConfigHelp{})
	cmdtest.CheckDecode(t, "empty/resp3", cmdtest.Map(), decodeSearchConfigHelp, SearchConfigHelp{})
	cmdtest.CheckDecodeErr(t, "odd", cmdtest.Arr(cmdtest.Arr(cmdtest.Simple("TIMEOUT"), cmdtest.Simple("Description"))), decodeSearchConfigHelp)
	cmdtest.CheckDecodeErr(t, "not-map", cmdtest.Map(cmdtest.Simple("TIMEOUT"), cmdtest.Bulk("x")), decodeSearchConfigHelp)
	cmdtest.CheckDecodeErr(t, "empty-option", cmdtest.Arr(cmdtest.Arr()), decodeSearchConfigHelp)
	cmdtest.CheckDecodeErr(t, "scalar", cmdtest.Int(1), decodeSearchConfigHelp)
}

// TestWireSearchOverrides checks the wire form of the argument trees that
// the override table replaces, on paths the generated tests do not take.
func TestWireSearchOverrides(t *testing.T) {
	for _, c := range []struct {
		name string
		cmd  cmdtest.Commander
		want []string
	}{
		{"FT.CREATE vector", Create("idx").OnJSON().Prefix("doc:", "item:").Stopwords().
			Field(Field("$.title", FieldText().NoStem().Weight(2)).As("title").Sortable().UNF()).
			Field(Field("$.tags", FieldTag().Separator(";").CaseSensitive())).
			Field(Field("$.v", FieldVector(VectorAlgorithmHNSW).Type(VectorTypeFloat32).Dim(4).DistanceMetric(DistanceMetricCosine).Attribute("M", "16")).As("v")),
			[]string{"FT.CREATE", "idx", "ON", "JSON", "PREFIX", "2", "doc:", "item:", "STOPWORDS", "0", "SCHEMA",
				"$.title", "AS", "title", "TEXT", "NOSTEM", "WEIGHT", "2", "SORTABLE", "UNF",
				"$.tags", "TAG", "SEPARATOR", ";", "CASESENSITIVE",
				"$.v", "AS", "v", "VECTOR", "HNSW", "8", "TYPE", "FLOAT32", "DIM", "4", "DISTANCE_METRIC", "COSINE", "M", "16"}},
		{"FT.CREATE temporary", Create("idx").Temporary(time.Hour).Field(Field("n", FieldNumeric()).Sortable().NoIndex()),
			[]string{"FT.CREATE", "idx", "TEMPORARY", "3600", "SCHEMA", "n", "NUMERIC", "SORTABLE", "NOINDEX"}},
		{"FT.ALTER", Alter("idx").SkipInitialScan().Field(Field("g", FieldGeoShape().Flat())),
			[]string{"FT.ALTER", "idx", "SKIPINITIALSCAN", "SCHEMA", "ADD", "g", "GEOSHAPE", "FLAT"}},
		{"FT.SEARCH", Search("idx", "@t:hi").WithScores().WithPayloads().WithSortKeys().Return("a", "b", "AS", "c").
			Summarize().Fields("a").Frags(2).Highlight().Tags("<b>", "</b>").Timeout(1500*time.Millisecond).
			SortBy("n").Desc().WithCount().Limit(0, 10).Params("v", "x").Param("w", "y").Dialect(2),
			[]string{"FT.SEARCH", "idx", "@t:hi", "WITHSCORES", "WITHPAYLOADS", "WITHSORTKEYS", "RETURN", "4", "a", "b", "AS", "c",
				"SUMMARIZE", "FIELDS", "1", "a", "FRAGS", "2", "HIGHLIGHT", "TAGS", "<b>", "</b>", "TIMEOUT", "1500",
				"SORTBY", "n", "DESC", "WITHCOUNT", "LIMIT", "0", "10", "PARAMS", "4", "v", "x", "w", "y", "DIALECT", "2"}},
		{"FT.SEARCH filters", Search("idx", "*").NoContent().Filter("n", "(1", "+inf").GeoFilter("g", 1.5, 2.5, 10, GeoUnitKM).InKeys("k1"),
			[]string{"FT.SEARCH", "idx", "*", "NOCONTENT", "FILTER", "n", "(1", "+inf", "GEOFILTER", "g", "1.5", "2.5", "10", "km", "INKEYS", "1", "k1"}},
		{"FT.AGGREGATE pipeline", Aggregate("idx", "*").Load("@a", "@b").
			Apply("day(@ts)", "day").
			GroupBy(GroupBy("@day", "@country").Reduce(Reduce(ReducerCount).As("n")).Reduce(Reduce(ReducerToList, "@name"))).
			SortBy(SortBy().Desc("@n").Asc("@day").Max(10)).
			Filter("@n > 1").Limit(0, 5).GroupBy(GroupBy()).
			WithCursor().Count(100).MaxIdle(5 * time.Second),
			[]string{"FT.AGGREGATE", "idx", "*", "LOAD", "2", "@a", "@b",
				"APPLY", "day(@ts)", "AS", "day",
				"GROUPBY", "2", "@day", "@country", "REDUCE", "COUNT", "0", "AS", "n", "REDUCE", "TOLIST", "1", "@name",
				"SORTBY", "4", "@n", "DESC", "@day", "ASC", "MAX", "10",
				"FILTER", "@n > 1", "LIMIT", "0", "5", "GROUPBY", "0",
				"WITHCURSOR", "COUNT", "100", "MAXIDLE", "5000"}},
		{"FT.AGGREGATE load all", Aggregate("idx", "*").LoadAll().AddScores(),
			[]string{"FT.AGGREGATE", "idx", "*", "LOAD", "*", "ADDSCORES"}},
		{"FT.HYBRID", Hybrid("idx", "laptop", "@v", "$vec").KNN().K(10).EFRuntime(100).
			VectorFilter().Expression("@price:[0 10]").Policy(FilterPolicyBatches).BatchSize(50).VectorYieldScoreAs("vs").
			Combine(HybridRRF().Window(40).Constant(1.5).YieldScoreAs("score")).SortBy().Desc("@score").
			Params("vec", "xyz").LoadAll().GroupBy("@brand").Reduce(Reduce(ReducerCount)),
			[]string{"FT.HYBRID", "idx", "SEARCH", "laptop", "VSIM", "@v", "$vec", "KNN", "4", "K", "10", "EF_RUNTIME", "100",
				"FILTER", "5", "@price:[0 10]", "POLICY", "BATCHES", "BATCH_SIZE", "50", "YIELD_SCORE_AS", "vs",
				"COMBINE", "RRF", "6", "WINDOW", "40", "CONSTANT", "1.5", "YIELD_SCORE_AS", "score", "SORTBY", "2", "@score", "DESC",
				"PARAMS", "2", "vec", "xyz", "LOAD", "*", "GROUPBY", "1", "@brand", "REDUCE", "COUNT", "0"}},
		{"FT.HYBRID range linear", Hybrid("idx", "q", "@v", "$vec").Range().Radius(0.5).Combine(HybridLinear().Alpha(0.7).Beta(0.3)),
			[]string{"FT.HYBRID", "idx", "SEARCH", "q", "VSIM", "@v", "$vec", "RANGE", "2", "RADIUS", "0.5", "COMBINE", "LINEAR", "4", "ALPHA", "0.7", "BETA", "0.3"}},
		{"FT.PROFILE", Profile("idx", ProfileTypeSearch, "hello").Limited().Args("LIMIT", "0", "10"),
			[]string{"FT.PROFILE", "idx", "SEARCH", "LIMITED", "QUERY", "hello", "LIMIT", "0", "10"}},
		{"FT.SPELLCHECK", SpellCheck("idx", "helo").Distance(2).Include("d1").Exclude("d2").Include("d3"),
			[]string{"FT.SPELLCHECK", "idx", "helo", "DISTANCE", "2", "TERMS", "INCLUDE", "d1", "TERMS", "EXCLUDE", "d2", "TERMS", "INCLUDE", "d3"}},
		{"FT.SUGGET", SugGet("ac", "he").WithScores().WithPayloads().Max(3),
			[]string{"FT.SUGGET", "ac", "he", "WITHSCORES", "WITHPAYLOADS", "MAX", "3"}},
		{"FT.ADD", Add("idx", "doc:1", 1.0, "title", "hi").Replace().Partial().FieldValue("body", "text"),
			[]string{"FT.ADD", "idx", "doc:1", "1", "REPLACE", "PARTIAL", "FIELDS", "title", "hi", "body", "text"}},
		{"SEARCH.CLUSTERSET", SearchClusterSet("me", 1).HashFuncCRC16().Shard(SearchClusterSetShard("s1", 0, 16383, "1.2.3.4:6379").Master()),
			[]string{"SEARCH.CLUSTERSET", "MYID", "me", "HASHFUNC", "CRC16", "RANGES", "1", "SHARD", "s1", "SLOTRANGE", "0", "16383", "ADDR", "1.2.3.4:6379", "MASTER"}},
	} {
		cmdtest.CheckWire(t, c.name, c.cmd, c.want)
	}
}

// TestSearchVariantTypes checks that FT.SEARCH picks the decoder of the
// options given: the RESP2 reply of WITHSCORES decodes with scores.
func TestSearchVariantTypes(t *testing.T) {
	var _ SearchResult = SearchWithScoresPayloadsSortKeys{}
	r := cmdtest.ReadFixture(t, cmdtest.Arr(cmdtest.Int(1), cmdtest.Bulk("a"), cmdtest.Bulk("2"), cmdtest.Arr()))
	got, err := decodeSearchWithScores(r.Value())
	if err != nil || got.Docs[0].Score != 2 {
		t.Errorf("decodeSearchWithScores: %+v, %v", got, err)
	}
}
