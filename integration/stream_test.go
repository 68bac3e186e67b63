package integration

// Streams and consumer groups on RESP2 and RESP3.

import (
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/redkit-go/redkit/redisclient"
)

func xm(id string, kv ...string) redisclient.XMessage {
	m := redisclient.XMessage{ID: id, Fields: map[string]string{}}
	for i := 0; i+1 < len(kv); i += 2 {
		m.Fields[kv[i]] = kv[i+1]
	}
	return m
}

var ignoreIdle = cmpopts.IgnoreFields(redisclient.XPendingEntry{}, "Idle")

func TestStreams(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		s, missing := key(t, "s"), key(t, "missing")
		m1, m2, m3, m4 := xm("1-1", "f", "v1"), xm("1-2", "f", "v2", "g", "w"), xm("2-0", "f", "v3"), xm("3-0", "f", "v4")
		// Redis 8.6 reports its idempotent-producer settings (defaults: 100
		// seconds, 100 IDs per producer) in XINFO STREAM; others do not.
		var idmpDuration time.Duration
		var idmp int64
		if sharedServer(t).Has(t, "8.6.0", "") {
			idmpDuration, idmp = 100*time.Second, 100
		}

		// XADD with explicit IDs, XLEN, XRANGE, XREVRANGE, XREAD.
		expect(t, "XADD", some("1-1"))(redisclient.XAdd(s, "1-1", "f", "v1").Do(ctx, c))
		expect(t, "XADD two fields", some("1-2"))(redisclient.XAdd(s, "1-2", "f", "v2").FieldValue("g", "w").Do(ctx, c))
		expect(t, "XADD", some("2-0"))(redisclient.XAdd(s, "2-0", "f", "v3").Do(ctx, c))
		expect(t, "XADD", some("3-0"))(redisclient.XAdd(s, "3-0", "f", "v4").Do(ctx, c))
		serverError[redisclient.Opt[string]](t, "XADD smaller ID", "ERR")(redisclient.XAdd(s, "0-5", "f", "x").Do(ctx, c))
		expect(t, "XADD NOMKSTREAM missing", none[string]())(redisclient.XAdd(missing, "*", "f", "x").NoMkStream().Do(ctx, c))
		expect(t, "XLEN", int64(4))(redisclient.XLen(s).Do(ctx, c))
		expect(t, "XRANGE", []redisclient.XMessage{m1, m2, m3, m4})(redisclient.XRange(s, "-", "+").Do(ctx, c))
		expect(t, "XRANGE COUNT", []redisclient.XMessage{m1, m2})(redisclient.XRange(s, "-", "+").Count(2).Do(ctx, c))
		expect(t, "XRANGE exclusive", []redisclient.XMessage{m2, m3})(redisclient.XRange(s, "(1-1", "2-0").Do(ctx, c))
		expect(t, "XREVRANGE COUNT 1", []redisclient.XMessage{m4})(redisclient.XRevRange(s, "+", "-").Count(1).Do(ctx, c))
		expect(t, "XRANGE missing", []redisclient.XMessage{})(redisclient.XRange(missing, "-", "+").Do(ctx, c))
		expect(t, "XREAD COUNT", []redisclient.XStream{{Key: s, Messages: []redisclient.XMessage{m1, m2}}})(redisclient.XRead([]string{s}, "0").Count(2).Do(ctx, c))
		expect(t, "XREAD nothing new", []redisclient.XStream(nil))(redisclient.XRead([]string{s}, "3-0").Do(ctx, c))
		expect(t, "XREAD two streams", []redisclient.XStream{{Key: s, Messages: []redisclient.XMessage{m4}}})(redisclient.XRead([]string{s, missing}, "2-0", "0").Do(ctx, c))

		// Auto IDs.
		auto := value[redisclient.Opt[string]](t, "XADD *")(redisclient.XAdd(key(t, "auto"), "*", "f", "x").Do(ctx, c))
		if !regexp.MustCompile(`^\d+-\d+$`).MatchString(auto.Value) {
			t.Errorf("XADD * returned %+v, want an ID", auto)
		}

		// XINFO STREAM before any group reads.
		expect(t, "XINFO STREAM", redisclient.StreamInfo{
			Length: 4, LastGeneratedID: "3-0", MaxDeletedEntryID: "0-0", RecordedFirstEntryID: "1-1",
			EntriesAdded: 4, Groups: 0, FirstEntry: &m1, LastEntry: &m4, IDMPDuration: idmpDuration, IDMPMaxSize: idmp,
		}, cmpopts.IgnoreFields(redisclient.StreamInfo{}, "RadixTreeKeys", "RadixTreeNodes"))(redisclient.XInfoStream(s).Do(ctx, c))

		// Consumer groups.
		ok(t, "XGROUP CREATE")(redisclient.XGroupCreate(s, "g", "0").Do(ctx, c))
		serverError[struct{}](t, "XGROUP CREATE again", "BUSYGROUP")(struct{}{}, redisclient.XGroupCreate(s, "g", "0").Do(ctx, c))
		ok(t, "XGROUP CREATE MKSTREAM")(redisclient.XGroupCreate(key(t, "mk"), "g", "$").MkStream().Do(ctx, c))
		expect(t, "XREADGROUP alice", []redisclient.XStream{{Key: s, Messages: []redisclient.XMessage{m1, m2}}})(
			redisclient.XReadGroup("g", "alice", []string{s}, ">").Count(2).Do(ctx, c))
		expect(t, "XREADGROUP bob", []redisclient.XStream{{Key: s, Messages: []redisclient.XMessage{m3, m4}}})(
			redisclient.XReadGroup("g", "bob", []string{s}, ">").Do(ctx, c))
		expect(t, "XREADGROUP nothing new", []redisclient.XStream(nil))(
			redisclient.XReadGroup("g", "bob", []string{s}, ">").Do(ctx, c))

		expect(t, "XINFO GROUPS", []redisclient.XInfoGroupsReplyItem{{
			Name: "g", Consumers: 2, Pending: 4, LastDeliveredID: "3-0", EntriesRead: some[int64](4), Lag: some[int64](0),
		}})(redisclient.XInfoGroups(s).Do(ctx, c))
		expect(t, "XPENDING summary", redisclient.XPendingSummary{
			Count: 4, Lower: some("1-1"), Upper: some("3-0"),
			Consumers: []redisclient.XPendingConsumer{{Name: "alice", Pending: 2}, {Name: "bob", Pending: 2}},
		})(redisclient.XPending(s, "g").Do(ctx, c))
		expect(t, "XPENDING summary of an empty group", redisclient.XPendingSummary{})(redisclient.XPending(key(t, "mk"), "g").Do(ctx, c))
		expect(t, "XPENDING extended", []redisclient.XPendingEntry{
			{ID: "1-1", Consumer: "alice", Deliveries: 1}, {ID: "1-2", Consumer: "alice", Deliveries: 1},
			{ID: "2-0", Consumer: "bob", Deliveries: 1}, {ID: "3-0", Consumer: "bob", Deliveries: 1},
		}, ignoreIdle)(redisclient.XPending(s, "g").Filters("-", "+", 10).Do(ctx, c))
		expect(t, "XPENDING extended CONSUMER", []redisclient.XPendingEntry{
			{ID: "2-0", Consumer: "bob", Deliveries: 1}, {ID: "3-0", Consumer: "bob", Deliveries: 1},
		}, ignoreIdle)(redisclient.XPending(s, "g").Filters("-", "+", 10).Consumer("bob").Do(ctx, c))
		expect(t, "XPENDING extended IDLE", []redisclient.XPendingEntry{}, ignoreIdle)(
			redisclient.XPending(s, "g").Filters("-", "+", 10).Idle(time.Hour).Do(ctx, c))
		expect(t, "XREADGROUP history", []redisclient.XStream{{Key: s, Messages: []redisclient.XMessage{m1, m2}}})(
			redisclient.XReadGroup("g", "alice", []string{s}, "0").Do(ctx, c))

		// XACK, XCLAIM, XAUTOCLAIM.
		expect(t, "XACK", int64(1))(redisclient.XAck(s, "g", "1-1").Do(ctx, c))
		expect(t, "XACK again", int64(0))(redisclient.XAck(s, "g", "1-1").Do(ctx, c))
		expect(t, "XCLAIM", []redisclient.XMessage{m2})(redisclient.XClaim(s, "g", "bob", 0, "1-2").Do(ctx, c))
		expect(t, "XCLAIM JUSTID", []string{"2-0"})(redisclient.XClaim(s, "g", "alice", 0, "2-0").JustID().Do(ctx, c))
		expect(t, "XAUTOCLAIM COUNT 1", redisclient.XAutoClaimReply{Next: "2-0", Messages: []redisclient.XMessage{m2}})(
			redisclient.XAutoClaim(s, "g", "carol", 0, "0-0").Count(1).Do(ctx, c))
		expect(t, "XAUTOCLAIM JUSTID", redisclient.XAutoClaimIDs{Next: "0-0", IDs: []string{"2-0", "3-0"}})(
			redisclient.XAutoClaim(s, "g", "carol", 0, "2-0").JustID().Do(ctx, c))
		expect(t, "XINFO CONSUMERS", []redisclient.XInfoConsumersReplyItem{
			{Name: "alice", Pending: 0}, {Name: "bob", Pending: 0}, {Name: "carol", Pending: 3},
		}, cmpopts.IgnoreFields(redisclient.XInfoConsumersReplyItem{}, "Idle", "Inactive"))(redisclient.XInfoConsumers(s, "g").Do(ctx, c))

		// XINFO STREAM (FULL).
		expect(t, "XINFO STREAM with a group", redisclient.StreamInfo{
			Length: 4, LastGeneratedID: "3-0", MaxDeletedEntryID: "0-0", RecordedFirstEntryID: "1-1",
			EntriesAdded: 4, Groups: 1, FirstEntry: &m1, LastEntry: &m4, IDMPDuration: idmpDuration, IDMPMaxSize: idmp,
		}, cmpopts.IgnoreFields(redisclient.StreamInfo{}, "RadixTreeKeys", "RadixTreeNodes"))(redisclient.XInfoStream(s).Do(ctx, c))
		full := value[redisclient.StreamInfoFull](t, "XINFO STREAM FULL")(redisclient.XInfoStream(s).Full().Do(ctx, c))
		expect(t, "XINFO STREAM FULL entries", []redisclient.XMessage{m1, m2, m3, m4})(full.Entries, nil)
		expect(t, "XINFO STREAM FULL length", int64(4))(full.Length, nil)
		if len(full.Groups) != 1 {
			t.Fatalf("XINFO STREAM FULL: %d groups, want 1: %+v", len(full.Groups), full.Groups)
		}
		g := full.Groups[0]
		expect(t, "XINFO STREAM FULL group", redisclient.StreamInfoFullGroupsItem{
			Name: "g", LastDeliveredID: "3-0", EntriesRead: some[int64](4), Lag: some[int64](0), PelCount: 3,
		}, cmpopts.IgnoreFields(redisclient.StreamInfoFullGroupsItem{}, "Pending", "Consumers"))(g, nil)
		var pendingIDs, consumers []string
		for _, p := range g.Pending {
			pendingIDs = append(pendingIDs, p.ID+"@"+p.Consumer)
		}
		for _, cons := range g.Consumers {
			consumers = append(consumers, cons.Name+":"+strconv.FormatInt(cons.PelCount, 10))
		}
		expect(t, "XINFO STREAM FULL group PEL", []string{"1-2@carol", "2-0@carol", "3-0@carol"})(pendingIDs, nil)
		expect(t, "XINFO STREAM FULL consumers", []string{"alice:0", "bob:0", "carol:3"})(consumers, nil)
		limited := value[redisclient.StreamInfoFull](t, "XINFO STREAM FULL COUNT 1")(redisclient.XInfoStream(s).Full().Count(1).Do(ctx, c))
		expect(t, "XINFO STREAM FULL COUNT 1 entries", []redisclient.XMessage{m1})(limited.Entries, nil)

		// Group administration.
		expect(t, "XGROUP CREATECONSUMER", true)(redisclient.XGroupCreateConsumer(s, "g", "dave").Do(ctx, c))
		expect(t, "XGROUP CREATECONSUMER again", false)(redisclient.XGroupCreateConsumer(s, "g", "dave").Do(ctx, c))
		expect(t, "XGROUP DELCONSUMER idle", int64(0))(redisclient.XGroupDelConsumer(s, "g", "dave").Do(ctx, c))
		expect(t, "XGROUP DELCONSUMER with pending", int64(3))(redisclient.XGroupDelConsumer(s, "g", "carol").Do(ctx, c))
		ok(t, "XGROUP SETID")(redisclient.XGroupSetID(s, "g", "0").Do(ctx, c))
		expect(t, "XGROUP DESTROY", true)(redisclient.XGroupDestroy(s, "g").Do(ctx, c))
		expect(t, "XGROUP DESTROY again", false)(redisclient.XGroupDestroy(s, "g").Do(ctx, c))

		// XDEL, XTRIM.
		expect(t, "XDEL", int64(1))(redisclient.XDel(s, "1-1", "9-9").Do(ctx, c))
		expect(t, "XTRIM MAXLEN", int64(1))(redisclient.XTrim(s, redisclient.TrimStrategyMaxLen, "2").Do(ctx, c))
		expect(t, "XTRIM MINID", int64(1))(redisclient.XTrim(s, redisclient.TrimStrategyMinID, "3-0").Exact().Do(ctx, c))
		expect(t, "XRANGE after trims", []redisclient.XMessage{m4})(redisclient.XRange(s, "-", "+").Do(ctx, c))

		// XADD with trimming.
		tr := key(t, "trim")
		for i := 1; i <= 5; i++ {
			value[redisclient.Opt[string]](t, "XADD MAXLEN")(redisclient.XAdd(tr, strconv.Itoa(i)+"-0", "i", strconv.Itoa(i)).MaxLen("3").Do(ctx, c))
		}
		expect(t, "XRANGE after XADD MAXLEN 3", []redisclient.XMessage{xm("3-0", "i", "3"), xm("4-0", "i", "4"), xm("5-0", "i", "5")})(
			redisclient.XRange(tr, "-", "+").Do(ctx, c))
		expect(t, "XADD MINID =", some("6-0"))(redisclient.XAdd(tr, "6-0", "i", "6").MinID("5").Exact().Do(ctx, c))
		expect(t, "XRANGE after XADD MINID 5", []redisclient.XMessage{xm("5-0", "i", "5"), xm("6-0", "i", "6")})(
			redisclient.XRange(tr, "-", "+").Do(ctx, c))
		expect(t, "XADD MAXLEN ~ LIMIT", some("7-0"))(redisclient.XAdd(tr, "7-0", "i", "7").MaxLen("1").Approx().Limit(10).Do(ctx, c))
		expect(t, "XLEN after approximate trim (one node: nothing trimmed)", int64(3))(redisclient.XLen(tr).Do(ctx, c))
	})
}
