package search

// This file holds the hand-written reply types of the search module (FT.*
// commands) with their decoders: FT.SEARCH documents, FT.AGGREGATE and
// FT.HYBRID rows, FT.PROFILE results, FT.INFO, FT.SPELLCHECK and
// FT.CONFIG HELP. RESP2 sends these as positional or key/value arrays and
// RESP3 as maps; every decoder accepts both and yields the same Go value.

import (
	"strconv"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/transport/resp"
)

// SearchResult is the reply of FT.SEARCH.
type SearchResult struct {
	// Total is the number of matching documents, which can exceed the
	// documents returned (LIMIT).
	Total int64
	// Docs are the returned documents, in result order.
	Docs []SearchDocument
	// Warnings are the server's warnings (a timeout that cut the results
	// short, for example). Only RESP3 replies carry them.
	Warnings []string
}

// SearchDocument is one document of a search result. Fields of options
// that were not given are zero.
type SearchDocument struct {
	// ID is the document's key.
	ID string
	// Score is the document's relevance score (WITHSCORES).
	Score float64
	// Explanation is how the score was computed (WITHSCORES EXPLAINSCORE).
	Explanation *ScoreExplanation
	// Payload is the document payload (WITHPAYLOADS); not valid when the
	// document has none.
	Payload redisclient.Opt[string]
	// SortKey is the sorting value (WITHSORTKEYS) as the server encodes it:
	// "$" and the text for strings, "#" and the number for numbers; not
	// valid when the document has no sort value.
	SortKey redisclient.Opt[string]
	// Fields holds the returned attributes whose values are strings or
	// numbers (numbers as text). It is nil with NOCONTENT, and when the
	// document expired while the query ran.
	Fields map[string]string
	// Values holds the returned attributes whose values are arrays or maps
	// (RESP3 FORMAT EXPAND, for example), as generic values; nil when there
	// are none. Maps nested in them are maps in RESP3 and flat arrays in
	// RESP2.
	Values map[string]redisclient.Value
}

// ScoreExplanation is one step of a score explanation (EXPLAINSCORE): a
// description and the steps it was computed from.
type ScoreExplanation struct {
	Text    string
	Details []ScoreExplanation
}

// The FT.SEARCH reply variants: the same SearchResult, decoded with the
// RESP2 layout that the WITHSCORES, WITHPAYLOADS and WITHSORTKEYS options
// give. The command value picks the right one; code can use SearchResult.
type (
	// SearchWithScores is the reply of FT.SEARCH ... WITHSCORES.
	SearchWithScores = SearchResult
	// SearchWithPayloads is the reply of FT.SEARCH ... WITHPAYLOADS.
	SearchWithPayloads = SearchResult
	// SearchWithSortKeys is the reply of FT.SEARCH ... WITHSORTKEYS.
	SearchWithSortKeys = SearchResult
	// SearchWithScoresSortKeys is the reply of FT.SEARCH ... WITHSCORES
	// WITHSORTKEYS.
	SearchWithScoresSortKeys = SearchResult
	// SearchWithScoresPayloads is the reply of FT.SEARCH ... WITHSCORES
	// WITHPAYLOADS.
	SearchWithScoresPayloads = SearchResult
	// SearchWithPayloadsSortKeys is the reply of FT.SEARCH ... WITHPAYLOADS
	// WITHSORTKEYS.
	SearchWithPayloadsSortKeys = SearchResult
	// SearchWithScoresPayloadsSortKeys is the reply of FT.SEARCH ...
	// WITHSCORES WITHPAYLOADS WITHSORTKEYS.
	SearchWithScoresPayloadsSortKeys = SearchResult
)

// searchLayout says which optional parts follow each document id in a RESP2
// FT.SEARCH reply. Whether field arrays follow (NOCONTENT) is read from the
// reply itself.
type searchLayout struct{ scores, payloads, sortKeys bool }

func decodeSearchResult(v resp.Value) (SearchResult, error) {
	return decodeSearch(v, searchLayout{})
}

func decodeSearchWithScores(v resp.Value) (SearchResult, error) {
	return decodeSearch(v, searchLayout{scores: true})
}

func decodeSearchWithPayloads(v resp.Value) (SearchResult, error) {
	return decodeSearch(v, searchLayout{payloads: true})
}

func decodeSearchWithSortKeys(v resp.Value) (SearchResult, error) {
	return decodeSearch(v, searchLayout{sortKeys: true})
}

func decodeSearchWithScoresSortKeys(v resp.Value) (SearchResult, error) {
	return decodeSearch(v, searchLayout{scores: true, sortKeys: true})
}

func decodeSearchWithScoresPayloads(v resp.Value) (SearchResult, error) {
	return decodeSearch(v, searchLayout{scores: true, payloads: true})
}

func decodeSearchWithPayloadsSortKeys(v resp.Value) (SearchResult, error) {
	return decodeSearch(v, searchLayout{payloads: true, sortKeys: true})
}

func decodeSearchWithScoresPayloadsSortKeys(v resp.Value) (SearchResult, error) {
	return decodeSearch(v, searchLayout{scores: true, payloads: true, sortKeys: true})
}

// decodeSearch decodes a RESP3 result map or a RESP2 array laid out as l.
func decodeSearch(v resp.Value, l searchLayout) (SearchResult, error) {
	switch v.Kind() {
	case resp.KindMap:
		return decodeSearchMap(v)
	case resp.KindArray:
		return decodeSearchArray(v, l)
	}
	if err := v.Err(); err != nil {
		return SearchResult{}, err
	}
	return SearchResult{}, cmdimpl.Unexpected(v, "search result")
}

// searchChildren returns the elements of an aggregate.
func searchChildren(v resp.Value) []resp.Value {
	out := make([]resp.Value, 0, v.Len())
	for x := v.First(); x.Valid(); x = x.Next() {
		out = append(out, x)
	}
	return out
}

// searchKeyIs reports whether a reply key equals s.
func searchKeyIs(k resp.Value, s string) bool { return string(k.Bytes()) == s }

// decodeSearchArray decodes [total, id, extras..., fields, id, ...].
func decodeSearchArray(v resp.Value, l searchLayout) (SearchResult, error) {
	var r SearchResult
	el := searchChildren(v)
	if len(el) == 0 {
		return r, cmdimpl.Unexpected(v, "search result (total and documents)")
	}
	var err error
	if r.Total, err = cmdimpl.DecodeInt(el[0]); err != nil {
		return r, cmdimpl.At(err, "total")
	}
	el = el[1:]
	extras := 0
	for _, b := range []bool{l.scores, l.payloads, l.sortKeys} {
		if b {
			extras++
		}
	}
	// With content, every document ends with its field array (or a null
	// array when it expired); with NOCONTENT the next document id follows.
	content := false
	if len(el) > extras+1 {
		k := el[extras+1].Kind()
		content = cmdimpl.IsAggregate(k) || k == resp.KindNull
	}
	stride := extras + 1
	if content {
		stride++
	}
	if len(el)%stride != 0 {
		return r, cmdimpl.Unexpected(v, "search result with "+strconv.Itoa(stride)+" elements per document")
	}
	r.Docs = make([]SearchDocument, 0, len(el)/stride)
	for i := 0; i < len(el); i += stride {
		d, err := decodeSearchDocArray(el[i:i+stride], l, content)
		if err != nil {
			return r, cmdimpl.At(err, "["+strconv.Itoa(len(r.Docs))+"]")
		}
		r.Docs = append(r.Docs, d)
	}
	return r, nil
}

func decodeSearchDocArray(el []resp.Value, l searchLayout, content bool) (SearchDocument, error) {
	var d SearchDocument
	var err error
	if d.ID, err = cmdimpl.DecodeString(el[0]); err != nil {
		return d, cmdimpl.At(err, "id")
	}
	i := 1
	if l.scores {
		if d.Score, d.Explanation, err = decodeSearchScore(el[i]); err != nil {
			return d, cmdimpl.At(err, "score")
		}
		i++
	}
	if l.payloads {
		if d.Payload, err = cmdimpl.DecodeOpt(el[i], cmdimpl.DecodeString); err != nil {
			return d, cmdimpl.At(err, "payload")
		}
		i++
	}
	if l.sortKeys {
		if d.SortKey, err = cmdimpl.DecodeOpt(el[i], cmdimpl.DecodeString); err != nil {
			return d, cmdimpl.At(err, "sortkey")
		}
		i++
	}
	if content {
		if d.Fields, d.Values, err = decodeSearchFields(el[i]); err != nil {
			return d, cmdimpl.At(err, "fields")
		}
	}
	return d, nil
}

// decodeSearchMap decodes the RESP3 map of FT.SEARCH and FT.AGGREGATE
// replies into documents.
func decodeSearchMap(v resp.Value) (SearchResult, error) {
	m, err := decodeResultMap(v, decodeSearchDocMap)
	return SearchResult{Total: m.total, Docs: m.rows, Warnings: m.warnings}, err
}

// resultMap is the RESP3 map shared by FT.SEARCH and FT.AGGREGATE
// replies: total_results, results and warnings.
type resultMap[T any] struct {
	total    int64
	rows     []T
	warnings []string
}

// decodeResultMap decodes that map, each result with row.
func decodeResultMap[T any](v resp.Value, row func(resp.Value) (T, error)) (resultMap[T], error) {
	var m resultMap[T]
	err := cmdimpl.EachPair(v, func(k, x resp.Value) error {
		var err error
		switch {
		case searchKeyIs(k, "total_results"):
			m.total, err = cmdimpl.DecodeInt(x)
		case searchKeyIs(k, "results"):
			m.rows, err = cmdimpl.DecodeSlice(x, row)
		case searchKeyIs(k, "warning"), searchKeyIs(k, "warnings"):
			m.warnings, err = decodeSearchWarnings(x)
		}
		return err
	})
	if err == nil && m.rows == nil {
		m.rows = []T{}
	}
	return m, err
}

func decodeSearchDocMap(v resp.Value) (SearchDocument, error) {
	var d SearchDocument
	if v.Kind() != resp.KindMap {
		return d, cmdimpl.Unexpected(v, "document map")
	}
	err := cmdimpl.EachPair(v, func(k, x resp.Value) error {
		var err error
		switch {
		case searchKeyIs(k, "id"):
			d.ID, err = cmdimpl.DecodeString(x)
		case searchKeyIs(k, "score"):
			d.Score, d.Explanation, err = decodeSearchScore(x)
		case searchKeyIs(k, "payload"):
			d.Payload, err = cmdimpl.DecodeOpt(x, cmdimpl.DecodeString)
		case searchKeyIs(k, "sortkey"):
			d.SortKey, err = cmdimpl.DecodeOpt(x, cmdimpl.DecodeString)
		case searchKeyIs(k, "extra_attributes"):
			d.Fields, d.Values, err = decodeSearchFields(x)
		}
		return err
	})
	return d, err
}

// decodeSearchWarnings decodes a warning list; an empty list gives nil, so that
// RESP3 replies without warnings equal their RESP2 form.
func decodeSearchWarnings(v resp.Value) ([]string, error) {
	w, err := cmdimpl.DecodeSlice(v, cmdimpl.DecodeString)
	if len(w) == 0 {
		return nil, err
	}
	return w, err
}

// decodeSearchScore decodes a score, or [score, explanation] with
// EXPLAINSCORE.
func decodeSearchScore(v resp.Value) (float64, *ScoreExplanation, error) {
	if !cmdimpl.IsAggregate(v.Kind()) {
		f, err := cmdimpl.DecodeFloat(v)
		return f, nil, err
	}
	x, err := cmdimpl.TupleStart(v, 2)
	if err != nil {
		return 0, nil, err
	}
	f, err := cmdimpl.DecodeFloat(x)
	if err != nil {
		return 0, nil, err
	}
	e, err := decodeScoreExplanation(x.Next())
	if err != nil {
		return f, nil, cmdimpl.At(err, "explanation")
	}
	return f, &e, nil
}

// decodeScoreExplanation decodes a step: its text alone, or [text,
// [steps...]].
func decodeScoreExplanation(v resp.Value) (ScoreExplanation, error) {
	var e ScoreExplanation
	if !cmdimpl.IsAggregate(v.Kind()) {
		s, err := cmdimpl.DecodeString(v)
		e.Text = s
		return e, err
	}
	x, err := cmdimpl.TupleStart(v, 1)
	if err != nil {
		return e, err
	}
	if e.Text, err = cmdimpl.DecodeString(x); err != nil {
		return e, err
	}
	if x = x.Next(); x.Valid() {
		e.Details, err = cmdimpl.DecodeSlice(x, decodeScoreExplanation)
	}
	return e, err
}

// decodeSearchFields decodes attribute/value pairs (a RESP2 flat array or
// a RESP3 map): scalar values into fields (numbers as text), arrays and
// maps into values. Null attributes are left out; a null list gives nil.
func decodeSearchFields(v resp.Value) (map[string]string, map[string]redisclient.Value, error) {
	if v.Kind() == resp.KindNull {
		return nil, nil, nil
	}
	if !cmdimpl.IsAggregate(v.Kind()) {
		if err := v.Err(); err != nil {
			return nil, nil, err
		}
		return nil, nil, cmdimpl.Unexpected(v, "attribute/value pairs")
	}
	fields := map[string]string{}
	var values map[string]redisclient.Value
	err := cmdimpl.EachPair(v, func(k, x resp.Value) error {
		name, err := cmdimpl.DecodeString(k)
		if err != nil {
			return err
		}
		switch kind := x.Kind(); {
		case kind == resp.KindNull:
		case cmdimpl.IsAggregate(kind):
			if err := x.Err(); err != nil {
				return err
			}
			if values == nil {
				values = map[string]redisclient.Value{}
			}
			values[name] = x.Message()
		default:
			s, err := searchScalarText(x)
			if err != nil {
				return err
			}
			fields[name] = s
		}
		return nil
	})
	return fields, values, err
}

// searchScalarText renders a scalar reply as text: strings as sent, numbers in
// decimal, booleans as true or false.
func searchScalarText(v resp.Value) (string, error) {
	if v.Kind() == resp.KindBoolean {
		return strconv.FormatBool(v.Bool()), nil
	}
	return cmdimpl.DecodeString(v)
}

// AggregateResult is the reply of FT.AGGREGATE and FT.CURSOR READ.
type AggregateResult struct {
	// Total is the number of results the query reported (for grouped
	// queries, a bound on the number of rows).
	Total int64
	// Rows are the result rows, in pipeline order.
	Rows []AggregateRow
	// Cursor is the id to pass to FT.CURSOR READ for the next rows
	// (WITHCURSOR); 0 when the results are exhausted or no cursor was
	// requested.
	Cursor int64
	// Warnings are the server's warnings; only RESP3 replies carry them.
	Warnings []string
}

// AggregateRow is one row of an aggregation: its properties by name.
type AggregateRow struct {
	// Fields holds the properties whose values are strings or numbers
	// (numbers as text).
	Fields map[string]string
	// Values holds the properties whose values are arrays or maps (TOLIST
	// and COLLECT reducers, RESP3 FORMAT EXPAND), as generic values; nil
	// when there are none. Maps nested in them are maps in RESP3 and flat
	// arrays in RESP2.
	Values map[string]redisclient.Value
}

// decodeAggregateResult decodes [total, row...] (RESP2) or a result map
// (RESP3), each optionally wrapped with a cursor id as [result, cursor].
func decodeAggregateResult(v resp.Value) (AggregateResult, error) {
	var r AggregateResult
	switch v.Kind() {
	case resp.KindMap:
		return decodeAggregateMap(v)
	case resp.KindArray:
	default:
		if err := v.Err(); err != nil {
			return r, err
		}
		return r, cmdimpl.Unexpected(v, "aggregate result")
	}
	first := v.First()
	if !first.Valid() {
		return r, cmdimpl.Unexpected(v, "aggregate result (total and rows)")
	}
	if cmdimpl.IsAggregate(first.Kind()) {
		// [result, cursor id] (a profile of the last read may follow).
		var err error
		if r, err = decodeAggregateResult(first); err != nil {
			return r, err
		}
		c := first.Next()
		if !c.Valid() {
			return r, cmdimpl.Unexpected(v, "aggregate result and cursor id")
		}
		if r.Cursor, err = cmdimpl.DecodeInt(c); err != nil {
			return r, cmdimpl.At(err, "cursor")
		}
		return r, nil
	}
	var err error
	if r.Total, err = cmdimpl.DecodeInt(first); err != nil {
		return r, cmdimpl.At(err, "total")
	}
	r.Rows = make([]AggregateRow, 0, v.Len()-1)
	for x := first.Next(); x.Valid(); x = x.Next() {
		row, err := decodeAggregateRow(x)
		if err != nil {
			return r, cmdimpl.At(err, "["+strconv.Itoa(len(r.Rows))+"]")
		}
		r.Rows = append(r.Rows, row)
	}
	return r, nil
}

func decodeAggregateRow(v resp.Value) (AggregateRow, error) {
	f, vals, err := decodeSearchFields(v)
	return AggregateRow{Fields: f, Values: vals}, err
}

func decodeAggregateMap(v resp.Value) (AggregateResult, error) {
	m, err := decodeResultMap(v, decodeAggregateRowMap)
	return AggregateResult{Total: m.total, Rows: m.rows, Warnings: m.warnings}, err
}

// decodeAggregateRowMap decodes {extra_attributes: {...}, values: [...]}.
func decodeAggregateRowMap(v resp.Value) (AggregateRow, error) {
	var row AggregateRow
	if v.Kind() != resp.KindMap {
		return row, cmdimpl.Unexpected(v, "row map")
	}
	err := cmdimpl.EachPair(v, func(k, x resp.Value) error {
		if !searchKeyIs(k, "extra_attributes") {
			return nil
		}
		var err error
		row.Fields, row.Values, err = decodeSearchFields(x)
		return err
	})
	return row, err
}

// HybridResult is the reply of FT.HYBRID.
type HybridResult struct {
	// Total is the number of fused results.
	Total int64
	// Results are the fused rows; the key and the combined score are the
	// __key and __score fields unless renamed.
	Results []AggregateRow
	// Warnings report partial results (timeouts, prefix expansion limits).
	Warnings []string
	// ExecutionTime is the server-side execution time.
	ExecutionTime time.Duration
}

// decodeHybridResult decodes a map (RESP3) or a flat key/value array
// (RESP2) of total_results, results, warnings and execution_time.
func decodeHybridResult(v resp.Value) (HybridResult, error) {
	var r HybridResult
	if !cmdimpl.IsAggregate(v.Kind()) {
		if err := v.Err(); err != nil {
			return r, err
		}
		return r, cmdimpl.Unexpected(v, "hybrid result map")
	}
	err := cmdimpl.EachPair(v, func(k, x resp.Value) error {
		var err error
		switch {
		case searchKeyIs(k, "total_results"):
			r.Total, err = cmdimpl.DecodeInt(x)
		case searchKeyIs(k, "results"):
			r.Results, err = cmdimpl.DecodeSlice(x, decodeAggregateRow)
		case searchKeyIs(k, "warnings"), searchKeyIs(k, "warning"):
			r.Warnings, err = decodeSearchWarnings(x)
		case searchKeyIs(k, "execution_time"):
			var ms float64
			ms, err = cmdimpl.DecodeFloat(x)
			r.ExecutionTime = time.Duration(ms * float64(time.Millisecond))
		}
		return err
	})
	if err == nil && r.Results == nil {
		r.Results = []AggregateRow{}
	}
	return r, err
}

// ProfileResult is the reply of FT.PROFILE: the profiled query's results
// and the profile report. Exactly one of Search, Aggregate and Hybrid is
// set, recognized from the results: documents with ids are search results
// (an empty result decodes as Search), rows without ids aggregate results.
// RESP2 search results are decoded in the default layout: profile
// WITHSCORES, WITHPAYLOADS or WITHSORTKEYS queries over RESP3.
type ProfileResult struct {
	Search    *SearchResult
	Aggregate *AggregateResult
	Hybrid    *HybridResult
	// Profile is the profile report (per-shard timings, iterator and
	// result processor trees). Its layout differs between server versions
	// and it has no fixed shape; RESP3 sends its maps as maps, RESP2 as
	// key/value arrays.
	Profile redisclient.Value
}

// decodeProfileResult decodes [results, profile] (RESP2) or a map holding
// Results and Profile (RESP3; older servers put the profile into the
// results map).
func decodeProfileResult(v resp.Value) (ProfileResult, error) {
	var p ProfileResult
	switch v.Kind() {
	case resp.KindArray:
		x, err := cmdimpl.TupleStart(v, 2)
		if err != nil {
			return p, err
		}
		if err := p.setResults(x); err != nil {
			return p, cmdimpl.At(err, "results")
		}
		p.Profile = x.Next().Message()
		return p, nil
	case resp.KindMap:
		var results resp.Value
		err := cmdimpl.EachPair(v, func(k, x resp.Value) error {
			switch {
			case searchKeyIs(k, "Results"):
				results = x
			case searchKeyIs(k, "Profile"), searchKeyIs(k, "profile"):
				p.Profile = x.Message()
			}
			return nil
		})
		if err != nil {
			return p, err
		}
		if !results.Valid() {
			results = v
		}
		if err := p.setResults(results); err != nil {
			return p, cmdimpl.At(err, "results")
		}
		return p, nil
	}
	if err := v.Err(); err != nil {
		return p, err
	}
	return p, cmdimpl.Unexpected(v, "profile reply")
}

// setResults recognizes and decodes the profiled query's results.
func (p *ProfileResult) setResults(v resp.Value) error {
	switch searchProfiledKind(v) {
	case "hybrid":
		r, err := decodeHybridResult(v)
		p.Hybrid = &r
		return err
	case "aggregate":
		r, err := decodeAggregateResult(v)
		p.Aggregate = &r
		return err
	}
	r, err := decodeSearchResult(v)
	p.Search = &r
	return err
}

// searchProfiledKind tells search, aggregate and hybrid results apart.
func searchProfiledKind(v resp.Value) string {
	switch v.Kind() {
	case resp.KindMap:
		kind := "search"
		for k := v.First(); k.Valid(); k = k.Next().Next() {
			x := k.Next()
			switch {
			case searchKeyIs(k, "execution_time"):
				return "hybrid"
			case searchKeyIs(k, "results"):
				if r := x.First(); r.Valid() && r.Kind() == resp.KindMap && !searchMapHasKey(r, "id") {
					kind = "aggregate"
				}
			}
		}
		return kind
	case resp.KindArray:
		first := v.First()
		if cmdimpl.IsStringKind(first.Kind()) && searchKeyIs(first, "total_results") {
			return "hybrid" // a flat map
		}
		if k := first.Next().Kind(); cmdimpl.IsAggregate(k) || k == resp.KindNull {
			return "aggregate"
		}
	}
	return "search"
}

func searchMapHasKey(m resp.Value, key string) bool {
	for k := m.First(); k.Valid(); k = k.Next().Next() {
		if searchKeyIs(k, key) {
			return true
		}
	}
	return false
}

// SearchIndexInfo is the reply of FT.INFO: the commonly used fields, typed,
// and every other field as a generic value.
type SearchIndexInfo struct {
	Name       string
	Options    []string
	Definition SearchIndexDefinition
	Attributes []SearchIndexAttribute

	NumDocs    int64
	MaxDocID   int64
	NumTerms   int64
	NumRecords int64

	InvertedSizeMB       float64
	VectorIndexSizeMB    float64
	DocTableSizeMB       float64
	SortableValuesSizeMB float64
	KeyTableSizeMB       float64
	RecordsPerDocAvg     float64
	BytesPerRecordAvg    float64

	// HashIndexingFailures counts documents that failed to index.
	HashIndexingFailures int64
	// TotalIndexingTime is the indexing time in milliseconds.
	TotalIndexingTime float64
	// Indexing reports a background scan in progress; PercentIndexed is its
	// progress (1 when done).
	Indexing       bool
	PercentIndexed float64
	NumberOfUses   int64
	// Cleaning reports an index deletion in progress.
	Cleaning bool

	GCStats      map[string]float64
	CursorStats  map[string]int64
	DialectStats map[string]int64
	// Errors are the indexing errors of the index; FieldStatistics those
	// of each attribute.
	Errors          SearchIndexErrors
	FieldStatistics []SearchFieldStatistics

	// Extra holds the fields not listed above, by name, as generic values
	// (their layout varies between server versions). Maps in them are maps
	// in RESP3 and flat arrays in RESP2.
	Extra map[string]redisclient.Value
}

// SearchIndexDefinition is the index_definition of FT.INFO.
type SearchIndexDefinition struct {
	KeyType         string
	Prefixes        []string
	Filter          string
	DefaultLanguage string
	LanguageField   string
	DefaultScore    float64
	ScoreField      string
	PayloadField    string
}

// SearchIndexAttribute is one schema attribute in FT.INFO.
type SearchIndexAttribute struct {
	Identifier string
	Attribute  string
	Type       string
	// Flags are the attribute's flags: SORTABLE, UNF, NOSTEM, NOINDEX,
	// CASESENSITIVE, WITHSUFFIXTRIE, INDEXEMPTY, INDEXMISSING.
	Flags []string
	// Options are the other scalar settings by name (WEIGHT, SEPARATOR,
	// vector parameters, ...), as text; settings that are arrays or maps
	// are left out.
	Options map[string]string
}

// SearchIndexErrors are indexing error statistics.
type SearchIndexErrors struct {
	IndexingFailures     int64
	LastIndexingError    string
	LastIndexingErrorKey string
}

// SearchFieldStatistics are the indexing errors of one attribute.
type SearchFieldStatistics struct {
	Identifier string
	Attribute  string
	Errors     SearchIndexErrors
}

// searchAttributeFlags are the bare flags of RESP2 attribute lists.
var searchAttributeFlags = map[string]bool{
	"SORTABLE": true, "UNF": true, "NOSTEM": true, "NOINDEX": true, "CASESENSITIVE": true,
	"WITHSUFFIXTRIE": true, "INDEXEMPTY": true, "INDEXMISSING": true,
}

// decodeSearchTruth decodes 0/1 flags sent as integers, booleans or strings.
func decodeSearchTruth(v resp.Value) (bool, error) {
	if v.Kind() == resp.KindBoolean {
		return v.Bool(), nil
	}
	f, err := cmdimpl.DecodeFloat(v)
	return f != 0, err
}

func decodeSearchIndexInfo(v resp.Value) (SearchIndexInfo, error) {
	var in SearchIndexInfo
	if !cmdimpl.IsAggregate(v.Kind()) {
		if err := v.Err(); err != nil {
			return in, err
		}
		return in, cmdimpl.Unexpected(v, "index information")
	}
	err := cmdimpl.EachPair(v, func(k, x resp.Value) error {
		var err error
		switch key := string(k.Bytes()); key {
		case "index_name":
			in.Name, err = cmdimpl.DecodeString(x)
		case "index_options":
			in.Options, err = cmdimpl.DecodeSlice(x, cmdimpl.DecodeString)
		case "index_definition":
			in.Definition, err = decodeSearchIndexDefinition(x)
		case "attributes":
			in.Attributes, err = cmdimpl.DecodeSlice(x, decodeSearchIndexAttribute)
		case "num_docs":
			in.NumDocs, err = cmdimpl.DecodeInt(x)
		case "max_doc_id":
			in.MaxDocID, err = cmdimpl.DecodeInt(x)
		case "num_terms":
			in.NumTerms, err = cmdimpl.DecodeInt(x)
		case "num_records":
			in.NumRecords, err = cmdimpl.DecodeInt(x)
		case "inverted_sz_mb":
			in.InvertedSizeMB, err = cmdimpl.DecodeFloat(x)
		case "vector_index_sz_mb":
			in.VectorIndexSizeMB, err = cmdimpl.DecodeFloat(x)
		case "doc_table_size_mb":
			in.DocTableSizeMB, err = cmdimpl.DecodeFloat(x)
		case "sortable_values_size_mb":
			in.SortableValuesSizeMB, err = cmdimpl.DecodeFloat(x)
		case "key_table_size_mb":
			in.KeyTableSizeMB, err = cmdimpl.DecodeFloat(x)
		case "records_per_doc_avg":
			in.RecordsPerDocAvg, err = cmdimpl.DecodeFloat(x)
		case "bytes_per_record_avg":
			in.BytesPerRecordAvg, err = cmdimpl.DecodeFloat(x)
		case "hash_indexing_failures":
			in.HashIndexingFailures, err = cmdimpl.DecodeInt(x)
		case "total_indexing_time":
			in.TotalIndexingTime, err = cmdimpl.DecodeFloat(x)
		case "indexing":
			in.Indexing, err = decodeSearchTruth(x)
		case "percent_indexed":
			in.PercentIndexed, err = cmdimpl.DecodeFloat(x)
		case "number_of_uses":
			in.NumberOfUses, err = cmdimpl.DecodeInt(x)
		case "cleaning":
			in.Cleaning, err = decodeSearchTruth(x)
		case "gc_stats":
			in.GCStats, err = cmdimpl.DecodeMap(x, cmdimpl.DecodeString, cmdimpl.DecodeFloat)
		case "cursor_stats":
			in.CursorStats, err = cmdimpl.DecodeMap(x, cmdimpl.DecodeString, cmdimpl.DecodeInt)
		case "dialect_stats":
			in.DialectStats, err = cmdimpl.DecodeMap(x, cmdimpl.DecodeString, cmdimpl.DecodeInt)
		case "Index Errors":
			in.Errors, err = decodeSearchIndexErrors(x)
		case "field statistics":
			in.FieldStatistics, err = cmdimpl.DecodeSlice(x, decodeSearchFieldStatistics)
		default:
			if err = x.Err(); err != nil {
				return err
			}
			if in.Extra == nil {
				in.Extra = map[string]redisclient.Value{}
			}
			in.Extra[key] = x.Message()
		}
		return err
	})
	return in, err
}

func decodeSearchIndexDefinition(v resp.Value) (SearchIndexDefinition, error) {
	var d SearchIndexDefinition
	err := cmdimpl.EachPair(v, func(k, x resp.Value) error {
		var err error
		switch {
		case searchKeyIs(k, "key_type"):
			d.KeyType, err = cmdimpl.DecodeString(x)
		case searchKeyIs(k, "prefixes"):
			d.Prefixes, err = cmdimpl.DecodeSlice(x, cmdimpl.DecodeString)
		case searchKeyIs(k, "filter"):
			d.Filter, err = cmdimpl.DecodeString(x)
		case searchKeyIs(k, "default_language"):
			d.DefaultLanguage, err = cmdimpl.DecodeString(x)
		case searchKeyIs(k, "language_field"):
			d.LanguageField, err = cmdimpl.DecodeString(x)
		case searchKeyIs(k, "default_score"):
			d.DefaultScore, err = cmdimpl.DecodeFloat(x)
		case searchKeyIs(k, "score_field"):
			d.ScoreField, err = cmdimpl.DecodeString(x)
		case searchKeyIs(k, "payload_field"):
			d.PayloadField, err = cmdimpl.DecodeString(x)
		}
		return err
	})
	return d, err
}

// decodeSearchIndexAttribute decodes a RESP3 map with a flags list, or a
// RESP2 array of key/value pairs and bare flags.
func decodeSearchIndexAttribute(v resp.Value) (SearchIndexAttribute, error) {
	a := SearchIndexAttribute{Options: map[string]string{}}
	set := func(k string, x resp.Value) error {
		var err error
		switch k {
		case "identifier":
			a.Identifier, err = cmdimpl.DecodeString(x)
		case "attribute":
			a.Attribute, err = cmdimpl.DecodeString(x)
		case "type":
			a.Type, err = cmdimpl.DecodeString(x)
		case "flags":
			var fl []string
			fl, err = cmdimpl.DecodeSlice(x, cmdimpl.DecodeString)
			a.Flags = append(a.Flags, fl...)
		default:
			if cmdimpl.IsAggregate(x.Kind()) || x.Kind() == resp.KindNull {
				return nil // no scalar setting has this shape
			}
			a.Options[k], err = searchScalarText(x)
		}
		return err
	}
	switch v.Kind() {
	case resp.KindMap:
		err := cmdimpl.EachPair(v, func(k, x resp.Value) error { return set(string(k.Bytes()), x) })
		return a, err
	case resp.KindArray:
		for x := v.First(); x.Valid(); x = x.Next() {
			k, err := cmdimpl.DecodeString(x)
			if err != nil {
				return a, err
			}
			if searchAttributeFlags[k] {
				a.Flags = append(a.Flags, k)
				continue
			}
			x = x.Next()
			if !x.Valid() {
				return a, cmdimpl.Unexpected(v, "value for attribute setting "+strconv.Quote(k))
			}
			if err := set(k, x); err != nil {
				return a, cmdimpl.At(err, k)
			}
		}
		return a, nil
	}
	if err := v.Err(); err != nil {
		return a, err
	}
	return a, cmdimpl.Unexpected(v, "attribute")
}

func decodeSearchIndexErrors(v resp.Value) (SearchIndexErrors, error) {
	var e SearchIndexErrors
	err := cmdimpl.EachPair(v, func(k, x resp.Value) error {
		var err error
		switch {
		case searchKeyIs(k, "indexing failures"):
			e.IndexingFailures, err = cmdimpl.DecodeInt(x)
		case searchKeyIs(k, "last indexing error"):
			e.LastIndexingError, err = cmdimpl.DecodeString(x)
		case searchKeyIs(k, "last indexing error key"):
			e.LastIndexingErrorKey, err = cmdimpl.DecodeString(x)
		}
		return err
	})
	return e, err
}

func decodeSearchFieldStatistics(v resp.Value) (SearchFieldStatistics, error) {
	var s SearchFieldStatistics
	err := cmdimpl.EachPair(v, func(k, x resp.Value) error {
		var err error
		switch {
		case searchKeyIs(k, "identifier"):
			s.Identifier, err = cmdimpl.DecodeString(x)
		case searchKeyIs(k, "attribute"):
			s.Attribute, err = cmdimpl.DecodeString(x)
		case searchKeyIs(k, "Index Errors"):
			s.Errors, err = decodeSearchIndexErrors(x)
		}
		return err
	})
	return s, err
}

// SpellCheckResult is the reply of FT.SPELLCHECK: the misspelled terms of
// the query in query order, each with its suggestions.
type SpellCheckResult []SpellCheckTerm

// SpellCheckTerm is a misspelled term and its suggestions, best first.
type SpellCheckTerm struct {
	Term        string
	Suggestions []SpellCheckSuggestion
}

// SpellCheckSuggestion is a suggested correction and its score (0 for
// suggestions from dictionaries only).
type SpellCheckSuggestion struct {
	Suggestion string
	Score      float64
}

// decodeSpellCheckResult decodes [[TERM, term, [[score, suggestion]...]]...]
// (RESP2) or {results: {term: [{suggestion: score}...]}} (RESP3).
func decodeSpellCheckResult(v resp.Value) (SpellCheckResult, error) {
	out := SpellCheckResult{}
	switch v.Kind() {
	case resp.KindMap:
		err := cmdimpl.EachPair(v, func(k, x resp.Value) error {
			if !searchKeyIs(k, "results") {
				return nil
			}
			return cmdimpl.EachPair(x, func(term, sugs resp.Value) error {
				t := SpellCheckTerm{Term: term.Text()}
				if err := sugs.Err(); err == nil {
					var err error
					if t.Suggestions, err = cmdimpl.DecodeSlice(sugs, decodeSpellCheckSuggestionMap); err != nil {
						return err
					}
				}
				out = append(out, t)
				return nil
			})
		})
		return out, err
	case resp.KindArray:
		i := 0
		for x := v.First(); x.Valid(); x = x.Next() {
			if x.Kind() == resp.KindInteger {
				continue // the document count of FULLSCOREINFO
			}
			t, err := decodeSpellCheckTermArray(x)
			if err != nil {
				return out, cmdimpl.At(err, "["+strconv.Itoa(i)+"]")
			}
			out = append(out, t)
			i++
		}
		return out, nil
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return nil, cmdimpl.Unexpected(v, "spell check result")
}

func decodeSpellCheckTermArray(v resp.Value) (SpellCheckTerm, error) {
	var t SpellCheckTerm
	x, err := cmdimpl.TupleStart(v, 3)
	if err != nil {
		return t, err
	}
	x = x.Next() // the TERM tag
	if t.Term, err = cmdimpl.DecodeString(x); err != nil {
		return t, cmdimpl.At(err, "term")
	}
	x = x.Next()
	if !cmdimpl.IsAggregate(x.Kind()) {
		return t, nil // the term is in the index (FULLSCOREINFO)
	}
	t.Suggestions, err = cmdimpl.DecodeSlice(x, func(s resp.Value) (SpellCheckSuggestion, error) {
		var sg SpellCheckSuggestion
		y, err := cmdimpl.TupleStart(s, 2)
		if err != nil {
			return sg, err
		}
		if sg.Score, err = cmdimpl.DecodeFloat(y); err != nil {
			return sg, cmdimpl.At(err, "score")
		}
		sg.Suggestion, err = cmdimpl.DecodeString(y.Next())
		return sg, err
	})
	return t, err
}

// decodeSpellCheckSuggestionMap decodes {suggestion: score}.
func decodeSpellCheckSuggestionMap(v resp.Value) (SpellCheckSuggestion, error) {
	var sg SpellCheckSuggestion
	if v.Kind() != resp.KindMap || v.Len() != 1 {
		return sg, cmdimpl.Unexpected(v, "one-entry map of suggestion and score")
	}
	k := v.First()
	var err error
	if sg.Suggestion, err = cmdimpl.DecodeString(k); err != nil {
		return sg, err
	}
	sg.Score, err = cmdimpl.DecodeFloat(k.Next())
	return sg, err
}

// SearchConfigHelp is the reply of FT.CONFIG HELP: each option with its
// description and current value.
type SearchConfigHelp map[string]SearchConfigOption

// SearchConfigOption is the help of one configuration option; Value is not
// valid when the option has no value.
type SearchConfigOption struct {
	Description string
	Value       redisclient.Opt[string]
}

// decodeSearchConfigHelp decodes [[name, Description, d, Value, v]...]
// (RESP2) or {name: {Description: d, Value: v}} (RESP3).
func decodeSearchConfigHelp(v resp.Value) (SearchConfigHelp, error) {
	out := SearchConfigHelp{}
	option := func(name string, pairs resp.Value) error {
		var o SearchConfigOption
		for k := pairs; k.Valid(); k = k.Next().Next() {
			x := k.Next()
			if !x.Valid() {
				return cmdimpl.Unexpected(k, "option setting and value")
			}
			var err error
			switch {
			case searchKeyIs(k, "Description"):
				o.Description, err = cmdimpl.DecodeString(x)
			case searchKeyIs(k, "Value"):
				o.Value, err = cmdimpl.DecodeOpt(x, cmdimpl.DecodeString)
			}
			if err != nil {
				return cmdimpl.At(err, name)
			}
		}
		out[name] = o
		return nil
	}
	switch v.Kind() {
	case resp.KindMap:
		err := cmdimpl.EachPair(v, func(k, x resp.Value) error {
			if x.Kind() != resp.KindMap {
				return cmdimpl.Unexpected(x, "option map")
			}
			return option(k.Text(), x.First())
		})
		return out, err
	case resp.KindArray:
		for x := v.First(); x.Valid(); x = x.Next() {
			first, err := cmdimpl.TupleStart(x, 1)
			if err != nil {
				return out, err
			}
			name, err := cmdimpl.DecodeString(first)
			if err != nil {
				return out, err
			}
			if err := option(name, first.Next()); err != nil {
				return out, err
			}
		}
		return out, nil
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return nil, cmdimpl.Unexpected(v, "configuration help")
}
