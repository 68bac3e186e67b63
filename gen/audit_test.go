package gen

// This file is the audit of units in the typed layer: it walks every
// command's arguments (the spec's tree with the override table's kinds) and
// every reply type of the plan, and lists the values whose names say they
// are durations or times (seconds, milliseconds, idle, ttl, timestamp, ...)
// but whose Go type is a raw integer, float or string. Each such value must
// be typed (time.Duration, time.Time, a TTL type) or listed in
// reviewedUnits with the reason it stays raw; a new one fails the test.
// TestDescribedUnits adds the values whose names do not say so but whose
// reply schemas' descriptions do (LATENCY LATEST's latest and max).

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/redkit-go/redkit/spec"
)

// unitWords are name words that make a value a duration or time candidate.
var unitWords = map[string]bool{
	"age": true, "ms": true, "us": true, "sec": true, "secs": true, "ttl": true, "idle": true,
	"seen": true, "inactive": true, "delay": true, "latency": true, "duration": true, "interval": true,
	"period": true, "retention": true, "elapsed": true, "uptime": true, "timeout": true,
	"timestamp": true, "time": true, "expire": true, "expires": true, "expiry": true,
	"expiration": true, "millis": true, "micros": true, "usec": true, "msec": true,
}

// unitStems are parts of run-together names ("idletime", "lastsave") that
// make a candidate.
var unitStems = []string{"time", "idle", "ttl", "expir", "milli", "micro", "second", "lastsave"}

// nameWords splits a spec or Go name into lower-case words: on separators
// and on lower-to-upper case changes ("DurationMicros" -> duration micros).
func nameWords(name string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && i > 0 && unicode.IsLower(rs[i-1]):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return out
}

// unitNamed reports whether a name reads as a duration or a time.
func unitNamed(names ...string) bool {
	for _, n := range names {
		for _, w := range nameWords(n) {
			if unitWords[w] {
				return true
			}
			for _, s := range unitStems {
				if strings.Contains(w, s) {
					return true
				}
			}
		}
	}
	return false
}

// rawKinds are parameter kinds that carry no unit.
var rawKinds = map[GoKind]string{KindInt: "int64", KindFloat: "float64", KindString: "string", KindValue: "any"}

// auditArguments lists the arguments named like durations or times whose
// Go kind carries no unit, as "arg COMMAND path type".
func auditArguments(c *spec.Command, ov *Override) []string {
	var out []string
	var walk func(n *node)
	walk = func(n *node) {
		for _, k := range n.kids {
			walk(k)
		}
		if n.parent == nil || !n.isScalar() {
			return
		}
		kind, ok := ov.ArgKinds[n.path]
		if !ok {
			kind = scalarKind(n)
		}
		if raw, ok := rawKinds[kind]; ok && (n.a.Type == spec.TypeUnixTime || unitNamed(n.a.Name, n.a.Display, n.a.Token)) {
			out = append(out, fmt.Sprintf("arg %s %s %s", c.Name, n.path, raw))
		}
	}
	walk(buildTree(c.Name, overrideArgs(c, ov)))
	return out
}

// replyLeaf is a scalar value in a reply type.
type replyLeaf struct {
	path string // "reply COMMAND path" ("reply SLOWLOG GET reply[].Duration")
	name string // the reply key, Go field name or command word naming it
	t    *Type
}

// replyLeaves lists the scalar values of reply type t at path (a slice
// element adds "[]", a map value "{}", a struct field ".Field"; an Opt
// nothing).
func replyLeaves(cmd string, path string, name string, t *Type, seen map[*Type]bool, out *[]replyLeaf) {
	switch t.Kind {
	case TInt, TFloat, TString, TDuration, TTime:
		*out = append(*out, replyLeaf{fmt.Sprintf("reply %s %s", cmd, path), name, t})
	case TOpt:
		replyLeaves(cmd, path, name, t.Elem, seen, out)
	case TSlice:
		replyLeaves(cmd, path+"[]", name, t.Elem, seen, out)
	case TMap:
		replyLeaves(cmd, path+"{}", name, t.Elem, seen, out)
	case TStruct:
		if seen[t] {
			return
		}
		seen[t] = true
		defer delete(seen, t)
		for _, f := range t.Fields {
			n := f.Key
			if n == "" {
				n = f.Name
			}
			replyLeaves(cmd, path+"."+f.Name, n, f.Type, seen, out)
		}
	}
}

// allReplyLeaves lists the scalar values of every reply of a plan.
func allReplyLeaves(p *Plan) []replyLeaf {
	var out []replyLeaf
	for _, c := range p.Commands {
		for _, v := range c.Variants {
			path := "reply"
			if v.Name != "" {
				path = v.Name
			}
			// The command's own name says what a scalar reply is
			// (OBJECT IDLETIME); the last word only, so that a command
			// group's name does not count.
			ws := nameWords(c.Spec.Name)
			replyLeaves(c.Spec.Name, path, ws[len(ws)-1], v.Reply, map[*Type]bool{}, &out)
		}
	}
	return out
}

// unitCandidates runs the audit over a plan: the arguments and the reply
// values named like durations or times whose Go type carries no unit, as
// "arg COMMAND path type" and "reply COMMAND path type".
func unitCandidates(p *Plan) []string {
	var out []string
	for _, l := range allReplyLeaves(p) {
		if l.t.Kind != TDuration && l.t.Kind != TTime && unitNamed(l.name) {
			out = append(out, l.path+" "+l.t.GoExpr())
		}
	}
	for _, c := range p.Commands {
		ov := overrideFor(overrideTables, c.Spec.Name)
		out = append(out, auditArguments(c.Spec, ov)...)
	}
	sort.Strings(out)
	return out
}

// TestUnitAudit fails on a value named like a duration or time that is a
// raw number or string and not listed in reviewedUnits, and on a listed
// entry that no longer occurs.
func TestUnitAudit(t *testing.T) {
	p := realPlan(t)
	found := map[string]bool{}
	for _, c := range unitCandidates(p) {
		found[c] = true
		if _, ok := reviewedUnits[c]; !ok {
			t.Errorf("%s: named like a duration or time but has no unit type; type it (gen/overrides*.go) or add it to reviewedUnits with the reason", c)
		}
	}
	for _, c := range sortedKeys(reviewedUnits) {
		if !found[c] && !strings.HasPrefix(c, "handwritten ") {
			t.Errorf("reviewedUnits lists %q, which the audit no longer finds: remove it", c)
		}
	}
}

// TestDescribedUnits checks the reply values whose units the servers'
// reply schemas give only in their descriptions (removed from spec/, read
// from the Redis 8.6.3 and Valkey 9.1.2 sources when this list was made):
// each must be a time.Duration or a time.Time.
func TestDescribedUnits(t *testing.T) {
	p := realPlan(t)
	types := map[string]*Type{}
	for _, l := range allReplyLeaves(p) {
		types[l.path] = l.t
	}
	for _, path := range describedUnits {
		switch typ := types[path]; {
		case typ == nil:
			t.Errorf("%s: no such reply value", path)
		case typ.Kind != TDuration && typ.Kind != TTime:
			t.Errorf("%s is %s: its reply schema describes a duration or time", path, typ.GoExpr())
		}
	}
}

// describedUnits are reply values described in seconds, milliseconds,
// microseconds or Unix time by the servers' reply schemas.
var describedUnits = []string{
	"reply ACL LOG reply[].Age",
	"reply ACL LOG reply[].TimestampCreated",
	"reply ACL LOG reply[].TimestampLastUpdated",
	"reply CLUSTER LINKS reply[].CreateTime",
	"reply CLUSTER SLOT-STATS reply[].Stats.CPUTime",
	"reply FUNCTION STATS reply.RunningScript.Duration",
	"reply LASTSAVE reply",
	"reply LATENCY HISTOGRAM reply{}.Buckets[].UpTo",
	"reply LATENCY HISTORY reply[].Latency",
	"reply LATENCY HISTORY reply[].Timestamp",
	"reply LATENCY LATEST reply[].Latest",
	"reply LATENCY LATEST reply[].Max",
	"reply LATENCY LATEST reply[].Sum",
	"reply LATENCY LATEST reply[].Timestamp",
	"reply OBJECT IDLETIME reply",
	"reply SLOWLOG GET reply[].Duration",
	"reply SLOWLOG GET reply[].Timestamp",
	"reply TIME reply",
	"reply XINFO CONSUMERS reply[].Idle",
	"reply XINFO CONSUMERS reply[].Inactive",
	"reply XINFO STREAM Full.Groups[].Consumers[].ActiveTime",
	"reply XINFO STREAM Full.Groups[].Consumers[].Pending[].DeliveryTime",
	"reply XINFO STREAM Full.Groups[].Consumers[].SeenTime",
	"reply XINFO STREAM Full.Groups[].Pending[].DeliveryTime",
	"reply XINFO STREAM Full.IDMPDuration",
	"reply XINFO STREAM reply.IDMPDuration",
	"reply XPENDING Extended[].Idle",
	"reply XREADGROUP Claim[].Messages[].Idle",
}

// reviewedUnits are the audit's candidates that stay raw, each with the
// reason (checked on Redis 7.0, Redis 8.6 and Valkey 9.1 where a server
// has the command).
var reviewedUnits = map[string]string{
	"arg FT.ALTER field.type.vector.attribute.ef_runtime int64":  "EF_RUNTIME is an HNSW search breadth (a count), not a time",
	"arg FT.CREATE field.type.vector.attribute.ef_runtime int64": "EF_RUNTIME is an HNSW search breadth (a count), not a time",
	"arg FT.HYBRID vsim.method.knn.param.ef_runtime int64":       "EF_RUNTIME is an HNSW search breadth (a count), not a time",
	"arg TS.ADD timestamp string":                                timeSeriesTimestamp,
	"arg TS.CREATERULE alignTimestamp int64":                     timeSeriesTimestamp,
	"arg TS.DECRBY timestamp_block.timestamp string":             timeSeriesTimestamp,
	"arg TS.DEL fromTimestamp int64":                             timeSeriesTimestamp,
	"arg TS.DEL toTimestamp int64":                               timeSeriesTimestamp,
	"arg TS.INCRBY timestamp_block.timestamp string":             timeSeriesTimestamp,
	"arg TS.MADD ktv.timestamp string":                           timeSeriesTimestamp,
	"arg TS.MRANGE fromTimestamp string":                         timeSeriesTimestamp,
	"arg TS.MRANGE toTimestamp string":                           timeSeriesTimestamp,
	"arg TS.MREVRANGE fromTimestamp string":                      timeSeriesTimestamp,
	"arg TS.MREVRANGE toTimestamp string":                        timeSeriesTimestamp,
	"arg TS.NRANGE fromTimestamp string":                         timeSeriesTimestamp,
	"arg TS.NRANGE toTimestamp string":                           timeSeriesTimestamp,
	"arg TS.NREVRANGE fromTimestamp string":                      timeSeriesTimestamp,
	"arg TS.NREVRANGE toTimestamp string":                        timeSeriesTimestamp,
	"arg TS.RANGE fromTimestamp string":                          timeSeriesTimestamp,
	"arg TS.RANGE toTimestamp string":                            timeSeriesTimestamp,
	"arg TS.READ timestamp string":                               timeSeriesTimestamp,
	"arg TS.REVRANGE fromTimestamp string":                       timeSeriesTimestamp,
	"arg TS.REVRANGE toTimestamp string":                         timeSeriesTimestamp,
	"reply TS.NRANGE reply[].Timestamp int64":                    timeSeriesTimestamp,
	"reply TS.NREVRANGE reply[].Timestamp int64":                 timeSeriesTimestamp,
	"handwritten TSInfoReply.Chunks[].EndTimestamp int64":        timeSeriesTimestamp,
	"handwritten TSInfoReply.Chunks[].StartTimestamp int64":      timeSeriesTimestamp,
	"handwritten TSInfoReply.FirstTimestamp int64":               timeSeriesTimestamp,
	"handwritten TSInfoReply.LastTimestamp int64":                timeSeriesTimestamp,
	"handwritten TSInfoReply.Rules[].AlignTimestamp int64":       timeSeriesTimestamp,
	"handwritten TSMGetReply[].Sample.Value.Timestamp int64":     timeSeriesTimestamp,
	"handwritten TSMRangeReply[].Samples[].Timestamp int64":      timeSeriesTimestamp,
	"handwritten TSMaybeSample.Value.Timestamp int64":            timeSeriesTimestamp,
	"handwritten TSSample.Timestamp int64":                       timeSeriesTimestamp,
	"handwritten TSInfoReply.IgnoreMaxTimeDiff int64":            moduleNotRun,
	"handwritten TSInfoReply.RetentionTime int64":                moduleNotRun,
	"handwritten TSInfoReply.Rules[].BucketDuration int64":       moduleNotRun,
	"handwritten SearchIndexInfo.TotalIndexingTime float64":      moduleNotRun,
	"reply BACKUP STATUS reply.EndTime int64":                    "BACKUP is newer than every server the suite runs (8.10 docs), and its docs give no unit: typed once a server shows it",
	"reply BACKUP STATUS reply.StartTime int64":                  "BACKUP is newer than every server the suite runs (8.10 docs), and its docs give no unit: typed once a server shows it",
	"reply SENTINEL PENDING-SCRIPTS reply[].RunDelay string":     "milliseconds as a bulk string, present only while a sentinel script waits to be retried: no test can make one, so it stays as sent",
	"reply SENTINEL PENDING-SCRIPTS reply[].RunTime string":      "milliseconds as a bulk string, present only while a sentinel script runs: no test can make one, so it stays as sent",
}

// moduleNotRun is why module durations in replies stay numbers for now
// (their arguments are durations already).
const moduleNotRun = "milliseconds of a module no server of the suite loads: typed once a test can check the unit on a server"

// timeSeriesTimestamp is why time-series timestamps stay integers.
const timeSeriesTimestamp = "a series' timestamps are its own integers (or -, +, *), not necessarily Unix milliseconds (README, Durations and expiry)"
