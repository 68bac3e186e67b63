package gen

// This file extends the unit audit (audit_test.go) to the reply types
// written by hand: their Go fields, walked by reflection, named like
// durations or times must be time.Duration or time.Time, or be listed in
// reviewedUnits.

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/redisclient/json"
	"github.com/redkit-go/redkit/redisclient/probabilistic"
	"github.com/redkit-go/redkit/redisclient/search"
	"github.com/redkit-go/redkit/redisclient/timeseries"
)

// handwrittenTypes are the Go types of the override tables' hand-written
// reply types (handwritten, handwrittenAs and their areas' tables).
var handwrittenTypes = map[string]reflect.Type{
	"GeoLocation":                      reflect.TypeFor[redisclient.GeoLocation](),
	"ConnectedClient":                  reflect.TypeFor[redisclient.ConnectedClient](),
	"ConnectedClients":                 reflect.TypeFor[redisclient.ConnectedClients](),
	"ClusterSlot":                      reflect.TypeFor[redisclient.ClusterSlot](),
	"ReplicationRole":                  reflect.TypeFor[redisclient.ReplicationRole](),
	"LCSMatches":                       reflect.TypeFor[redisclient.LCSMatches](),
	"HExpireResult":                    reflect.TypeFor[redisclient.HExpireResult](),
	"HPersistResult":                   reflect.TypeFor[redisclient.HPersistResult](),
	"TimeToLive":                       reflect.TypeFor[redisclient.TimeToLive](),
	"ExpiryTime":                       reflect.TypeFor[redisclient.ExpiryTime](),
	"ClusterMigrationReply":            reflect.TypeFor[redisclient.ClusterMigrationReply](),
	"HotkeysReport":                    reflect.TypeFor[redisclient.HotkeysReport](),
	"VEmbRaw":                          reflect.TypeFor[redisclient.VEmbRaw](),
	"VSimScores":                       reflect.TypeFor[redisclient.VSimScores](),
	"VSimAttribs":                      reflect.TypeFor[redisclient.VSimAttribs](),
	"VSimScoresAttribs":                reflect.TypeFor[redisclient.VSimScoresAttribs](),
	"SearchResult":                     reflect.TypeFor[search.SearchResult](),
	"SearchWithScores":                 reflect.TypeFor[search.SearchWithScores](),
	"SearchWithPayloads":               reflect.TypeFor[search.SearchWithPayloads](),
	"SearchWithSortKeys":               reflect.TypeFor[search.SearchWithSortKeys](),
	"SearchWithScoresSortKeys":         reflect.TypeFor[search.SearchWithScoresSortKeys](),
	"SearchWithScoresPayloads":         reflect.TypeFor[search.SearchWithScoresPayloads](),
	"SearchWithPayloadsSortKeys":       reflect.TypeFor[search.SearchWithPayloadsSortKeys](),
	"SearchWithScoresPayloadsSortKeys": reflect.TypeFor[search.SearchWithScoresPayloadsSortKeys](),
	"AggregateResult":                  reflect.TypeFor[search.AggregateResult](),
	"HybridResult":                     reflect.TypeFor[search.HybridResult](),
	"ProfileResult":                    reflect.TypeFor[search.ProfileResult](),
	"SearchIndexInfo":                  reflect.TypeFor[search.SearchIndexInfo](),
	"SpellCheckResult":                 reflect.TypeFor[search.SpellCheckResult](),
	"SearchConfigHelp":                 reflect.TypeFor[search.SearchConfigHelp](),
	"JSONNumbers":                      reflect.TypeFor[json.JSONNumbers](),
	"JSONTypes":                        reflect.TypeFor[json.JSONTypes](),
	"TSSample":                         reflect.TypeFor[timeseries.TSSample](),
	"TSMaybeSample":                    reflect.TypeFor[timeseries.TSMaybeSample](),
	"TSInfoReply":                      reflect.TypeFor[timeseries.TSInfoReply](),
	"TSMGetReply":                      reflect.TypeFor[timeseries.TSMGetReply](),
	"TSMRangeReply":                    reflect.TypeFor[timeseries.TSMRangeReply](),
	"BFInfoField":                      reflect.TypeFor[probabilistic.BFInfoField](),
}

var (
	durationType = reflect.TypeFor[time.Duration]()
	timeType     = reflect.TypeFor[time.Time]()
)

// handwrittenCandidates lists the fields of t (at path) named like
// durations or times whose Go type is a plain number or string.
func handwrittenCandidates(path string, t reflect.Type, seen map[reflect.Type]bool, out *[]string) {
	if t == durationType || t == timeType || seen[t] {
		return
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		handwrittenCandidates(path+"[]", t.Elem(), seen, out)
	case reflect.Map:
		handwrittenCandidates(path+"{}", t.Elem(), seen, out)
	case reflect.Struct:
		seen[t] = true
		defer delete(seen, t)
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			switch ft.Kind() {
			case reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64, reflect.String:
				if ft != durationType && unitNamed(f.Name) {
					*out = append(*out, fmt.Sprintf("handwritten %s.%s %s", path, f.Name, ft))
				}
			default:
				handwrittenCandidates(path+"."+f.Name, f.Type, seen, out)
			}
		}
	}
}

// TestHandwrittenUnitAudit runs the unit audit over the hand-written
// reply types, and checks that handwrittenTypes knows each of them.
func TestHandwrittenUnitAudit(t *testing.T) {
	names := allKeys(handwrittenTables)
	for _, goName := range handwrittenAs {
		names = append(names, goName)
	}
	for _, n := range names {
		if handwrittenTypes[n] == nil {
			t.Errorf("hand-written reply type %s: add it to handwrittenTypes", n)
		}
	}
	var found []string
	for _, n := range sortedKeys(handwrittenTypes) {
		handwrittenCandidates(n, handwrittenTypes[n], map[reflect.Type]bool{}, &found)
	}
	sort.Strings(found)
	seen := map[string]bool{}
	for _, c := range found {
		if seen[c] {
			continue
		}
		seen[c] = true
		if _, ok := reviewedUnits[c]; !ok {
			t.Errorf("%s: named like a duration or time but has no unit type; type it or add it to reviewedUnits with the reason", c)
		}
	}
	for _, c := range sortedKeys(reviewedUnits) {
		if strings.HasPrefix(c, "handwritten ") && !seen[c] {
			t.Errorf("reviewedUnits lists %q, which the audit no longer finds: remove it", c)
		}
	}
}
