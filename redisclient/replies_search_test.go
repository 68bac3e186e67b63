package redisclient

// This file tests the hand-written search reply decoders with RESP2 and
// RESP3 fixtures (each pair must decode to the same value), empty and
// malformed replies, and the wire form of the search builders whose
// argument trees the override table replaces.

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redkit-go/redkit/transport/resp"
)

// RESP fixture builders for the search and JSON tests.
func srchBulk(s string) string   { return fmt.Sprintf("$%d\r\n%s\r\n", len(s), s) }
func srchSimple(s string) string { return "+" + s + "\r\n" }
func srchInt(n int64) string     { return fmt.Sprintf(":%d\r\n", n) }
func srchDbl(s string) string    { return "," + s + "\r\n" }

const srchNull2, srchNull3 = "$-1\r\n", "_\r\n"

func srchArr(el ...string) string { return fmt.Sprintf("*%d\r\n", len(el)) + strings.Join(el, "") }

// srchMap builds a RESP3 map from alternating keys and values.
func srchMap(kv ...string) string { return fmt.Sprintf("%%%d\r\n", len(kv)/2) + strings.Join(kv, "") }

// srchBulks builds bulk strings.
func srchBulks(ss ...string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = srchBulk(s)
	}
	return out
}

// srchPairs builds alternating bulk keys and values: a RESP2 flat map.
func srchPairs(kv ...string) string { return srchArr(srchBulks(kv...)...) }

// srchMapOf builds a RESP3 map of bulk keys and values.
func srchMapOf(kv ...string) string { return srchMap(srchBulks(kv...)...) }

// checkDecodeErr checks that dec rejects fixture with an error.
func checkDecodeErr[T any](t *testing.T, name, fixture string, dec func(resp.Value) (T, error)) {
	t.Helper()
	r := readFixture(t, fixture)
	if _, err := dec(r.Value()); err == nil {
		t.Errorf("%s: decode %q: no error", name, fixture)
	}
}

// search3 builds an FT.SEARCH/FT.AGGREGATE RESP3 result map.
func search3(total int64, results ...string) string {
	return srchMap(
		srchSimple("attributes"), srchArr(),
		srchSimple("format"), srchSimple("STRING"),
		srchSimple("results"), srchArr(results...),
		srchSimple("total_results"), srchInt(total),
		srchSimple("warning"), srchArr())
}

func TestDecodeSearchResult(t *testing.T) {
	fieldsA := map[string]string{"title": "hello", "n": "3"}
	docs := SearchResult{Total: 5, Docs: []SearchDocument{
		{ID: "doc:1", Fields: fieldsA},
		{ID: "doc:2", Fields: map[string]string{}},
	}}
	// Default layout.
	checkDecode(t, "plain/resp2", srchArr(srchInt(5),
		srchBulk("doc:1"), srchPairs("title", "hello", "n", "3"),
		srchBulk("doc:2"), srchArr()), decodeSearchResult, docs)
	checkDecode(t, "plain/resp3", search3(5,
		srchMap(srchSimple("id"), srchBulk("doc:1"), srchSimple("extra_attributes"), srchMapOf("title", "hello", "n", "3"), srchSimple("values"), srchArr()),
		srchMap(srchSimple("id"), srchBulk("doc:2"), srchSimple("extra_attributes"), srchMap(), srchSimple("values"), srchArr())),
		decodeSearchResult, docs)

	// NOCONTENT: ids only.
	ids := SearchResult{Total: 2, Docs: []SearchDocument{{ID: "a"}, {ID: "b"}}}
	checkDecode(t, "nocontent/resp2", srchArr(srchInt(2), srchBulk("a"), srchBulk("b")), decodeSearchResult, ids)
	checkDecode(t, "nocontent/resp3", search3(2,
		srchMap(srchSimple("id"), srchBulk("a"), srchSimple("values"), srchArr()),
		srchMap(srchSimple("id"), srchBulk("b"), srchSimple("values"), srchArr())),
		decodeSearchResult, ids)
	checkDecode(t, "nocontent-one/resp2", srchArr(srchInt(9), srchBulk("a")), decodeSearchResult,
		SearchResult{Total: 9, Docs: []SearchDocument{{ID: "a"}}})

	// Empty results.
	empty := SearchResult{Total: 0, Docs: []SearchDocument{}}
	checkDecode(t, "empty/resp2", srchArr(srchInt(0)), decodeSearchResult, empty)
	checkDecode(t, "empty/resp3", search3(0), decodeSearchResult, empty)

	// An expired document: null fields.
	expired := SearchResult{Total: 1, Docs: []SearchDocument{{ID: "gone"}}}
	checkDecode(t, "expired/resp2", srchArr(srchInt(1), srchBulk("gone"), "*-1\r\n"), decodeSearchResult, expired)
	checkDecode(t, "expired/resp3", search3(1,
		srchMap(srchSimple("id"), srchBulk("gone"), srchSimple("extra_attributes"), srchNull3, srchSimple("values"), srchArr())),
		decodeSearchResult, expired)

	// WITHSCORES, with and without NOCONTENT.
	scored := SearchResult{Total: 2, Docs: []SearchDocument{
		{ID: "a", Score: 1.5, Fields: map[string]string{"f": "x"}},
		{ID: "b", Score: 0.25, Fields: map[string]string{"f": "y"}},
	}}
	checkDecode(t, "scores/resp2", srchArr(srchInt(2),
		srchBulk("a"), srchBulk("1.5"), srchPairs("f", "x"),
		srchBulk("b"), srchBulk("0.25"), srchPairs("f", "y")), decodeSearchWithScores, scored)
	checkDecode(t, "scores/resp3", search3(2,
		srchMap(srchSimple("id"), srchBulk("a"), srchSimple("score"), srchDbl("1.5"), srchSimple("extra_attributes"), srchMapOf("f", "x"), srchSimple("values"), srchArr()),
		srchMap(srchSimple("id"), srchBulk("b"), srchSimple("score"), srchDbl("0.25"), srchSimple("extra_attributes"), srchMapOf("f", "y"), srchSimple("values"), srchArr())),
		decodeSearchWithScores, scored)
	scoredIDs := SearchResult{Total: 2, Docs: []SearchDocument{{ID: "a", Score: 1}, {ID: "b", Score: 2}}}
	checkDecode(t, "scores-nocontent/resp2", srchArr(srchInt(2), srchBulk("a"), srchBulk("1"), srchBulk("b"), srchBulk("2")),
		decodeSearchWithScores, scoredIDs)
	checkDecode(t, "scores-nocontent/resp3", search3(2,
		srchMap(srchSimple("id"), srchBulk("a"), srchSimple("score"), srchDbl("1")),
		srchMap(srchSimple("id"), srchBulk("b"), srchSimple("score"), srchDbl("2"))),
		decodeSearchWithScores, scoredIDs)

	// WITHSCORES EXPLAINSCORE.
	explain := srchArr(srchDbl("2"), srchArr(srchSimple("Final TFIDF"), srchArr(srchSimple("TFIDF 2"), srchSimple("norm 1"))))
	explain2 := srchArr(srchBulk("2"), srchArr(srchSimple("Final TFIDF"), srchArr(srchSimple("TFIDF 2"), srchSimple("norm 1"))))
	explained := SearchResult{Total: 1, Docs: []SearchDocument{{ID: "a", Score: 2,
		Explanation: &ScoreExplanation{Text: "Final TFIDF", Details: []ScoreExplanation{{Text: "TFIDF 2"}, {Text: "norm 1"}}},
		Fields:      map[string]string{"f": "x"}}}}
	checkDecode(t, "explain/resp2", srchArr(srchInt(1), srchBulk("a"), explain2, srchPairs("f", "x")), decodeSearchWithScores, explained)
	checkDecode(t, "explain/resp3", search3(1,
		srchMap(srchSimple("id"), srchBulk("a"), srchSimple("score"), explain, srchSimple("extra_attributes"), srchMapOf("f", "x"))),
		decodeSearchWithScores, explained)

	// WITHPAYLOADS, one document without a payload.
	payloads := SearchResult{Total: 2, Docs: []SearchDocument{
		{ID: "a", Payload: Opt[string]{Value: "p", Valid: true}, Fields: map[string]string{}},
		{ID: "b", Fields: map[string]string{}},
	}}
	checkDecode(t, "payloads/resp2", srchArr(srchInt(2), srchBulk("a"), srchBulk("p"), srchArr(), srchBulk("b"), srchNull2, srchArr()),
		decodeSearchWithPayloads, payloads)
	checkDecode(t, "payloads/resp3", search3(2,
		srchMap(srchSimple("id"), srchBulk("a"), srchSimple("payload"), srchBulk("p"), srchSimple("extra_attributes"), srchMap()),
		srchMap(srchSimple("id"), srchBulk("b"), srchSimple("payload"), srchNull3, srchSimple("extra_attributes"), srchMap())),
		decodeSearchWithPayloads, payloads)

	// WITHSORTKEYS.
	sorted := SearchResult{Total: 1, Docs: []SearchDocument{{ID: "a", SortKey: Opt[string]{Value: "#12", Valid: true}, Fields: map[string]string{"n": "12"}}}}
	checkDecode(t, "sortkeys/resp2", srchArr(srchInt(1), srchBulk("a"), srchBulk("#12"), srchPairs("n", "12")), decodeSearchWithSortKeys, sorted)
	checkDecode(t, "sortkeys/resp3", search3(1,
		srchMap(srchSimple("id"), srchBulk("a"), srchSimple("sortkey"), srchBulk("#12"), srchSimple("extra_attributes"), srchMapOf("n", "12"))),
		decodeSearchWithSortKeys, sorted)

	// All three, in the server's order: score, payload, sort key.
	all := SearchResult{Total: 1, Docs: []SearchDocument{{ID: "a", Score: 3, Payload: Opt[string]{Value: "p", Valid: true},
		SortKey: Opt[string]{Value: "$x", Valid: true}, Fields: map[string]string{"n": "x"}}}}
	checkDecode(t, "all/resp2", srchArr(srchInt(1), srchBulk("a"), srchBulk("3"), srchBulk("p"), srchBulk("$x"), srchPairs("n", "x")),
		decodeSearchWithScoresPayloadsSortKeys, all)
	checkDecode(t, "all/resp3", search3(1,
		srchMap(srchSimple("id"), srchBulk("a"), srchSimple("score"), srchDbl("3"), srchSimple("payload"), srchBulk("p"),
			srchSimple("sortkey"), srchBulk("$x"), srchSimple("extra_attributes"), srchMapOf("n", "x"))),
		decodeSearchWithScoresPayloadsSortKeys, all)
	for name, dec := range map[string]func(resp.Value) (SearchResult, error){
		"scores-sortkeys": decodeSearchWithScoresSortKeys, "scores-payloads": decodeSearchWithScoresPayloads,
		"payloads-sortkeys": decodeSearchWithPayloadsSortKeys,
	} {
		two := SearchResult{Total: 1, Docs: []SearchDocument{{ID: "a"}}}
		switch name {
		case "scores-sortkeys":
			two.Docs[0].Score, two.Docs[0].SortKey = 4, Opt[string]{Value: "$k", Valid: true}
			checkDecode(t, name+"/resp2", srchArr(srchInt(1), srchBulk("a"), srchBulk("4"), srchBulk("$k")), dec, two)
		case "scores-payloads":
			two.Docs[0].Score, two.Docs[0].Payload = 4, Opt[string]{Value: "p", Valid: true}
			checkDecode(t, name+"/resp2", srchArr(srchInt(1), srchBulk("a"), srchBulk("4"), srchBulk("p")), dec, two)
		default:
			two.Docs[0].Payload, two.Docs[0].SortKey = Opt[string]{Value: "p", Valid: true}, Opt[string]{Value: "$k", Valid: true}
			checkDecode(t, name+"/resp2", srchArr(srchInt(1), srchBulk("a"), srchBulk("p"), srchBulk("$k")), dec, two)
		}
	}

	// Non-scalar values (RESP3 FORMAT EXPAND).
	expanded := SearchResult{Total: 1, Docs: []SearchDocument{{ID: "a", Fields: map[string]string{"n": "1.5", "b": "true"},
		Values: map[string]Value{"$": {Kind: resp.KindArray, Elems: []Value{{Kind: resp.KindInteger, Int: 1}}}}}}}
	checkDecode(t, "expand/resp3", search3(1,
		srchMap(srchSimple("id"), srchBulk("a"), srchSimple("extra_attributes"),
			srchMap(srchBulk("n"), srchDbl("1.5"), srchBulk("b"), "#t\r\n", srchBulk("$"), srchArr(srchInt(1))))),
		decodeSearchResult, expanded)

	// Warnings (RESP3 only).
	checkDecode(t, "warning/resp3", srchMap(srchSimple("results"), srchArr(), srchSimple("total_results"), srchInt(0),
		srchSimple("warning"), srchArr(srchSimple("Timeout limit was reached"))),
		decodeSearchResult, SearchResult{Docs: []SearchDocument{}, Warnings: []string{"Timeout limit was reached"}})

	// Malformed replies.
	checkDecodeErr(t, "bad-stride", srchArr(srchInt(2), srchBulk("a"), srchPairs("f", "x"), srchBulk("b")), decodeSearchResult)
	checkDecodeErr(t, "bad-total", srchArr(srchBulk("x"), srchBulk("a")), decodeSearchResult)
	checkDecodeErr(t, "no-total", srchArr(), decodeSearchResult)
	checkDecodeErr(t, "odd-fields", srchArr(srchInt(1), srchBulk("a"), srchArr(srchBulk("f"))), decodeSearchResult)
	checkDecodeErr(t, "bad-score", srchArr(srchInt(1), srchBulk("a"), srchBulk("high"), srchArr()), decodeSearchWithScores)
	checkDecodeErr(t, "scalar", srchInt(3), decodeSearchResult)
	checkDecodeErr(t, "error", "-ERR no such index\r\n", decodeSearchResult)
	checkDecodeErr(t, "bad-doc-map", search3(1, srchArr(srchBulk("a"))), decodeSearchResult)
}

func TestDecodeAggregateResult(t *testing.T) {
	rows := AggregateResult{Total: 3, Rows: []AggregateRow{
		{Fields: map[string]string{"actor": "ann", "num": "22"}},
		{Fields: map[string]string{"actor": "bob"}, Values: map[string]Value{"tags": {Kind: resp.KindArray,
			Elems: []Value{{Kind: resp.KindBulkString, Str: "x"}, {Kind: resp.KindBulkString, Str: "y"}}}}},
	}}
	r2 := srchArr(srchInt(3), srchPairs("actor", "ann", "num", "22"), srchArr(srchBulk("actor"), srchBulk("bob"), srchBulk("tags"), srchPairs("x", "y")))
	row3 := func(attrs string) string {
		return srchMap(srchSimple("extra_attributes"), attrs, srchSimple("values"), srchArr())
	}
	r3 := search3(3, row3(srchMapOf("actor", "ann", "num", "22")), row3(srchMap(srchBulk("actor"), srchBulk("bob"), srchBulk("tags"), srchPairs("x", "y"))))
	checkDecode(t, "rows/resp2", r2, decodeAggregateResult, rows)
	checkDecode(t, "rows/resp3", r3, decodeAggregateResult, rows)

	// WITHCURSOR: [result, cursor id].
	cursor := rows
	cursor.Cursor = 42
	checkDecode(t, "cursor/resp2", srchArr(r2, srchInt(42)), decodeAggregateResult, cursor)
	checkDecode(t, "cursor/resp3", srchArr(r3, srchInt(42)), decodeAggregateResult, cursor)

	empty := AggregateResult{Rows: []AggregateRow{}}
	checkDecode(t, "empty/resp2", srchArr(srchInt(0)), decodeAggregateResult, empty)
	checkDecode(t, "empty/resp3", search3(0), decodeAggregateResult, empty)
	checkDecode(t, "empty-cursor/resp2", srchArr(srchArr(srchInt(0)), srchInt(0)), decodeAggregateResult, empty)
	checkDecode(t, "empty-cursor/resp3", srchArr(search3(0), srchInt(0)), decodeAggregateResult, empty)

	checkDecodeErr(t, "no-cursor-id", srchArr(srchArr(srchInt(0))), decodeAggregateResult)
	checkDecodeErr(t, "bad-cursor-id", srchArr(srchArr(srchInt(0)), srchBulk("x")), decodeAggregateResult)
	checkDecodeErr(t, "bad-row", srchArr(srchInt(1), srchBulk("row")), decodeAggregateResult)
	checkDecodeErr(t, "odd-row", srchArr(srchInt(1), srchArr(srchBulk("k"))), decodeAggregateResult)
	checkDecodeErr(t, "empty-array", srchArr(), decodeAggregateResult)
	checkDecodeErr(t, "error", "-Unknown index\r\n", decodeAggregateResult)
	checkDecodeErr(t, "bad-row-map", search3(1, srchArr()), decodeAggregateResult)
}

func TestDecodeHybridResult(t *testing.T) {
	want := HybridResult{Total: 2, Results: []AggregateRow{
		{Fields: map[string]string{"__key": "doc:1", "__score": "0.03"}},
		{Fields: map[string]string{"__key": "doc:2", "__score": "0.01"}},
	}, ExecutionTime: 1500 * time.Microsecond}
	checkDecode(t, "hybrid/resp2", srchArr(
		srchBulk("total_results"), srchInt(2),
		srchBulk("results"), srchArr(srchPairs("__key", "doc:1", "__score", "0.03"), srchPairs("__key", "doc:2", "__score", "0.01")),
		srchBulk("warnings"), srchArr(),
		srchBulk("execution_time"), srchBulk("1.5")), decodeHybridResult, want)
	checkDecode(t, "hybrid/resp3", srchMap(
		srchSimple("total_results"), srchInt(2),
		srchSimple("results"), srchArr(srchMapOf("__key", "doc:1", "__score", "0.03"), srchMapOf("__key", "doc:2", "__score", "0.01")),
		srchSimple("warnings"), srchArr(),
		srchSimple("execution_time"), srchDbl("1.5")), decodeHybridResult, want)
	empty := HybridResult{Results: []AggregateRow{}, Warnings: []string{"Timeout limit was reached (SEARCH)"}}
	checkDecode(t, "empty/resp3", srchMap(srchSimple("total_results"), srchInt(0), srchSimple("results"), srchArr(),
		srchSimple("warnings"), srchArr(srchSimple("Timeout limit was reached (SEARCH)")), srchSimple("execution_time"), srchDbl("0")),
		decodeHybridResult, empty)
	checkDecodeErr(t, "odd", srchArr(srchBulk("total_results")), decodeHybridResult)
	checkDecodeErr(t, "bad-time", srchMap(srchSimple("execution_time"), srchBulk("soon")), decodeHybridResult)
	checkDecodeErr(t, "scalar", srchBulk("x"), decodeHybridResult)
}

func TestDecodeProfileResult(t *testing.T) {
	prof2 := srchArr(srchBulk("Shards"), srchArr(srchPairs("Total profile time", "0.1")), srchBulk("Coordinator"), srchArr())
	prof3 := srchMap(srchSimple("Shards"), srchArr(srchMapOf("Total profile time", "0.1")), srchSimple("Coordinator"), srchMap())
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
	check("search/resp2", srchArr(srchArr(srchInt(1), srchBulk("a"), srchPairs("f", "x")), prof2), search, resp.KindArray)
	check("search/resp3", srchMap(srchSimple("Results"),
		search3(1, srchMap(srchSimple("id"), srchBulk("a"), srchSimple("extra_attributes"), srchMapOf("f", "x"))),
		srchSimple("Profile"), prof3), search, resp.KindMap)

	agg := ProfileResult{Aggregate: &AggregateResult{Total: 1, Rows: []AggregateRow{{Fields: map[string]string{"n": "1"}}}}}
	check("aggregate/resp2", srchArr(srchArr(srchInt(1), srchPairs("n", "1")), prof2), agg, resp.KindArray)
	check("aggregate/resp3", srchMap(srchSimple("Results"),
		search3(1, srchMap(srchSimple("extra_attributes"), srchMapOf("n", "1"), srchSimple("values"), srchArr())),
		srchSimple("Profile"), prof3), agg, resp.KindMap)

	hyb := ProfileResult{Hybrid: &HybridResult{Total: 0, Results: []AggregateRow{}}}
	check("hybrid/resp2", srchArr(srchArr(srchBulk("total_results"), srchInt(0), srchBulk("results"), srchArr(),
		srchBulk("warnings"), srchArr(), srchBulk("execution_time"), srchBulk("0")), prof2), hyb, resp.KindArray)
	check("hybrid/resp3", srchMap(srchSimple("Results"), srchMap(srchSimple("total_results"), srchInt(0),
		srchSimple("results"), srchArr(), srchSimple("warnings"), srchArr(), srchSimple("execution_time"), srchDbl("0")),
		srchSimple("Profile"), prof3), hyb, resp.KindMap)

	// Older servers: the profile inside the results map.
	check("inline/resp3", srchMap(srchSimple("results"), srchArr(), srchSimple("total_results"), srchInt(0),
		srchSimple("profile"), prof3), ProfileResult{Search: &SearchResult{Docs: []SearchDocument{}}}, resp.KindMap)

	checkDecodeErr(t, "short", srchArr(srchArr(srchInt(0))), decodeProfileResult)
	checkDecodeErr(t, "bad-results", srchArr(srchArr(srchBulk("x"), srchBulk("a")), prof2), decodeProfileResult)
	checkDecodeErr(t, "scalar", srchInt(1), decodeProfileResult)
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
	r2 := srchArr(
		srchBulk("index_name"), srchBulk("idx"),
		srchBulk("index_options"), srchArr(),
		srchBulk("index_definition"), srchArr(srchBulk("key_type"), srchBulk("HASH"), srchBulk("prefixes"), srchArr(srchBulk("doc:")),
			srchBulk("filter"), srchBulk("@n>0"), srchBulk("default_score"), srchBulk("1")),
		srchBulk("attributes"), srchArr(
			srchPairs("identifier", "title", "attribute", "title", "type", "TEXT", "WEIGHT", "1", "SORTABLE", "UNF"),
			srchPairs("identifier", "$.v", "attribute", "v", "type", "VECTOR", "algorithm", "HNSW", "dim", "4")),
		srchBulk("num_docs"), srchBulk("10"),
		srchBulk("max_doc_id"), srchBulk("12"),
		srchBulk("num_terms"), srchBulk("546"),
		srchBulk("num_records"), srchBulk("692"),
		srchBulk("inverted_sz_mb"), srchBulk("0.5"),
		srchBulk("total_indexing_time"), srchBulk("4.5"),
		srchBulk("indexing"), srchBulk("0"),
		srchBulk("percent_indexed"), srchBulk("1"),
		srchBulk("number_of_uses"), srchInt(3),
		srchBulk("cleaning"), srchInt(0),
		srchBulk("gc_stats"), srchPairs("bytes_collected", "0", "total_cycles", "2"),
		srchBulk("cursor_stats"), srchArr(srchBulk("global_total"), srchInt(0), srchBulk("index_capacity"), srchInt(128)),
		srchBulk("Index Errors"), srchArr(srchBulk("indexing failures"), srchInt(1), srchBulk("last indexing error"), srchBulk("bad"),
			srchBulk("last indexing error key"), srchBulk("doc:9")),
		srchBulk("field statistics"), srchArr(srchArr(srchBulk("identifier"), srchBulk("title"), srchBulk("attribute"), srchBulk("title"),
			srchBulk("Index Errors"), srchArr(srchBulk("indexing failures"), srchInt(0), srchBulk("last indexing error"), srchBulk("N/A"),
				srchBulk("last indexing error key"), srchBulk("N/A")))),
		srchBulk("vector_index_sz_note"), srchBulk("x"),
	)
	r3 := srchMap(
		srchBulk("index_name"), srchBulk("idx"),
		srchBulk("index_options"), srchArr(),
		srchBulk("index_definition"), srchMap(srchBulk("key_type"), srchBulk("HASH"), srchBulk("prefixes"), srchArr(srchBulk("doc:")),
			srchBulk("filter"), srchBulk("@n>0"), srchBulk("default_score"), srchDbl("1")),
		srchBulk("attributes"), srchArr(
			srchMap(srchBulk("identifier"), srchBulk("title"), srchBulk("attribute"), srchBulk("title"), srchBulk("type"), srchBulk("TEXT"),
				srchBulk("WEIGHT"), srchDbl("1"), srchBulk("flags"), srchArr(srchBulk("SORTABLE"), srchBulk("UNF"))),
			srchMap(srchBulk("identifier"), srchBulk("$.v"), srchBulk("attribute"), srchBulk("v"), srchBulk("type"), srchBulk("VECTOR"),
				srchBulk("algorithm"), srchBulk("HNSW"), srchBulk("dim"), srchInt(4), srchBulk("flags"), srchArr())),
		srchBulk("num_docs"), srchInt(10),
		srchBulk("max_doc_id"), srchInt(12),
		srchBulk("num_terms"), srchInt(546),
		srchBulk("num_records"), srchInt(692),
		srchBulk("inverted_sz_mb"), srchDbl("0.5"),
		srchBulk("total_indexing_time"), srchDbl("4.5"),
		srchBulk("indexing"), srchInt(0),
		srchBulk("percent_indexed"), srchDbl("1"),
		srchBulk("number_of_uses"), srchInt(3),
		srchBulk("cleaning"), srchInt(0),
		srchBulk("gc_stats"), srchMap(srchBulk("bytes_collected"), srchDbl("0"), srchBulk("total_cycles"), srchInt(2)),
		srchBulk("cursor_stats"), srchMap(srchBulk("global_total"), srchInt(0), srchBulk("index_capacity"), srchInt(128)),
		srchBulk("Index Errors"), srchMap(srchBulk("indexing failures"), srchInt(1), srchBulk("last indexing error"), srchBulk("bad"),
			srchBulk("last indexing error key"), srchBulk("doc:9")),
		srchBulk("field statistics"), srchArr(srchMap(srchBulk("identifier"), srchBulk("title"), srchBulk("attribute"), srchBulk("title"),
			srchBulk("Index Errors"), srchMap(srchBulk("indexing failures"), srchInt(0), srchBulk("last indexing error"), srchBulk("N/A"),
				srchBulk("last indexing error key"), srchBulk("N/A")))),
		srchBulk("vector_index_sz_note"), srchBulk("x"),
	)
	checkDecode(t, "info/resp2", r2, decodeSearchIndexInfo, want)
	checkDecode(t, "info/resp3", r3, decodeSearchIndexInfo, want)

	checkDecode(t, "minimal/resp2", srchPairs("index_name", "i"), decodeSearchIndexInfo, SearchIndexInfo{Name: "i"})
	checkDecode(t, "minimal/resp3", srchMapOf("index_name", "i"), decodeSearchIndexInfo, SearchIndexInfo{Name: "i"})
	checkDecodeErr(t, "odd", srchArr(srchBulk("index_name")), decodeSearchIndexInfo)
	checkDecodeErr(t, "bad-count", srchPairs("num_docs", "many"), decodeSearchIndexInfo)
	checkDecodeErr(t, "attribute-without-value", srchArr(srchBulk("attributes"),
		srchArr(srchArr(srchBulk("identifier"), srchBulk("a"), srchBulk("WEIGHT")))), decodeSearchIndexInfo)
	checkDecodeErr(t, "error", "-Unknown index name\r\n", decodeSearchIndexInfo)
}

func TestDecodeSpellCheckResult(t *testing.T) {
	want := SpellCheckResult{
		{Term: "held", Suggestions: []SpellCheckSuggestion{{Suggestion: "hello", Score: 0.5}, {Suggestion: "help", Score: 0}}},
		{Term: "wrld"},
	}
	checkDecode(t, "terms/resp2", srchArr(
		srchArr(srchSimple("TERM"), srchBulk("held"), srchArr(srchArr(srchBulk("0.5"), srchBulk("hello")), srchArr(srchBulk("0"), srchBulk("help")))),
		srchArr(srchSimple("TERM"), srchBulk("wrld"), srchArr())),
		decodeSpellCheckResult, SpellCheckResult{want[0], {Term: "wrld", Suggestions: []SpellCheckSuggestion{}}})
	checkDecode(t, "terms/resp3", srchMap(srchSimple("results"), srchMap(
		srchBulk("held"), srchArr(srchMap(srchBulk("hello"), srchDbl("0.5")), srchMap(srchBulk("help"), srchDbl("0"))),
		srchBulk("wrld"), srchArr())),
		decodeSpellCheckResult, SpellCheckResult{want[0], {Term: "wrld", Suggestions: []SpellCheckSuggestion{}}})
	checkDecode(t, "empty/resp2", srchArr(), decodeSpellCheckResult, SpellCheckResult{})
	checkDecode(t, "empty/resp3", srchMap(srchSimple("results"), srchMap()), decodeSpellCheckResult, SpellCheckResult{})
	checkDecodeErr(t, "short", srchArr(srchArr(srchSimple("TERM"), srchBulk("x"))), decodeSpellCheckResult)
	checkDecodeErr(t, "bad-score", srchArr(srchArr(srchSimple("TERM"), srchBulk("x"), srchArr(srchArr(srchBulk("hi"), srchBulk("y"))))), decodeSpellCheckResult)
	checkDecodeErr(t, "bad-suggestion", srchMap(srchSimple("results"), srchMap(srchBulk("x"), srchArr(srchBulk("y")))), decodeSpellCheckResult)
	checkDecodeErr(t, "scalar", srchBulk("x"), decodeSpellCheckResult)
}

func TestDecodeSearchConfigHelp(t *testing.T) {
	want := SearchConfigHelp{
		"TIMEOUT":   {Description: "Query timeout", Value: Opt[string]{Value: "500", Valid: true}},
		"EXTLOAD":   {Description: "Extension to load"},
		"MINPREFIX": {Description: "Minimum prefix", Value: Opt[string]{Value: "2", Valid: true}},
	}
	opt2 := func(name, desc, value string) string {
		v := srchNull2
		if value != "" {
			v = srchBulk(value)
		}
		return srchArr(srchSimple(name), srchSimple("Description"), srchSimple(desc), srchSimple("Value"), v)
	}
	opt3 := func(desc, value string) string {
		v := srchNull3
		if value != "" {
			v = srchBulk(value)
		}
		return srchMap(srchSimple("Description"), srchSimple(desc), srchSimple("Value"), v)
	}
	checkDecode(t, "help/resp2", srchArr(opt2("TIMEOUT", "Query timeout", "500"), opt2("EXTLOAD", "Extension to load", ""),
		opt2("MINPREFIX", "Minimum prefix", "2")), decodeSearchConfigHelp, want)
	checkDecode(t, "help/resp3", srchMap(srchSimple("TIMEOUT"), opt3("Query timeout", "500"), srchSimple("EXTLOAD"), opt3("Extension to load", ""),
		srchSimple("MINPREFIX"), opt3("Minimum prefix", "2")), decodeSearchConfigHelp, want)
	checkDecode(t, "empty/resp2", srchArr(), decodeSearchConfigHelp, SearchConfigHelp{})
	checkDecode(t, "empty/resp3", srchMap(), decodeSearchConfigHelp, SearchConfigHelp{})
	checkDecodeErr(t, "odd", srchArr(srchArr(srchSimple("TIMEOUT"), srchSimple("Description"))), decodeSearchConfigHelp)
	checkDecodeErr(t, "not-map", srchMap(srchSimple("TIMEOUT"), srchBulk("x")), decodeSearchConfigHelp)
	checkDecodeErr(t, "empty-option", srchArr(srchArr()), decodeSearchConfigHelp)
	checkDecodeErr(t, "scalar", srchInt(1), decodeSearchConfigHelp)
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
	r := readFixture(t, srchArr(srchInt(1), srchBulk("a"), srchBulk("2"), srchArr()))
	got, err := decodeSearchWithScores(r.Value())
	if err != nil || got.Docs[0].Score != 2 {
		t.Errorf("decodeSearchWithScores: %+v, %v", got, err)
	}
}
