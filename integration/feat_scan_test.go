package integration

// The SCAN-family iterators (Client.Scan, SScan, HScan, ZScan) on RESP2 and
// RESP3: MATCH, COUNT and TYPE, every element of collections larger than a
// page, lazy fetching (a loop that breaks early fetches only the pages it
// needed: counted with INFO commandstats against a replay of the cursor
// sequence), and errors reported in the loop.

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/redkit-go/redkit/redisclient"
)

// pagesFor replays a SCAN-family cursor sequence with Raw commands and
// returns how many pages are needed to see n elements (all: n < 0), and
// the number of elements seen. Replies of the HSCAN/ZSCAN kind count
// field and value as two elements.
func pagesFor(t *testing.T, ctx context.Context, c *redisclient.Client, words []string, extra []string, n int) (pages, seen int) {
	t.Helper()
	cursor := "0"
	for {
		args := append(append(append([]string(nil), words...), cursor), extra...)
		v, err := redisclient.RawStrings(args...).Do(ctx, c)
		must(t, err, "replay "+words[0])
		pages++
		seen += len(v.Elems[1].Elems)
		if n >= 0 && seen >= n {
			return pages, seen
		}
		cursor = v.Elems[0].Str
		if cursor == "0" {
			return pages, seen
		}
	}
}

func TestFeatScanIterators(t *testing.T) {
	perProtocolServer(t, "scan", func(t *testing.T, srv *Server, proto int) {
		ctx := testCtx(t)
		c := NewClient(t, srv.Options(proto))

		// 500 strings, 40 hashes, 30 sets; a set, a hash and a sorted set
		// large enough for hash-table encodings (many pages).
		p := c.Pipeline()
		want := map[string]bool{}
		for i := range 500 {
			k := "str:" + strconv.Itoa(i)
			redisclient.Set(k, "v").Queue(p)
			want[k] = true
		}
		for i := range 40 {
			k := "hash:" + strconv.Itoa(i)
			redisclient.HSet(k, "f", "v").Queue(p)
			want[k] = true
		}
		for i := range 30 {
			k := "set:" + strconv.Itoa(i)
			redisclient.SAdd(k, "m").Queue(p)
			want[k] = true
		}
		members := make([]string, 1000)
		wantMembers := map[string]bool{}
		for i := range members {
			members[i] = "member-" + strconv.Itoa(i)
			wantMembers[members[i]] = true
		}
		redisclient.SAdd("bigset", members...).Queue(p)
		wantHash := map[string]string{}
		for i := range 600 {
			f := "field-" + strconv.Itoa(i)
			wantHash[f] = "value\x00" + strconv.Itoa(i)
			redisclient.HSet("bighash", f, wantHash[f]).Queue(p)
		}
		wantZ := map[string]float64{}
		for i := range 300 {
			m := "z-" + strconv.Itoa(i)
			wantZ[m] = float64(i) / 4
			redisclient.ZAdd("bigzset", wantZ[m], m).Queue(p)
		}
		redisclient.ZAdd("smallzset", math.Inf(1), "top").Queue(p)
		redisclient.ZAdd("smallzset", math.Inf(-1), "bottom").Queue(p)
		must(t, p.Exec(ctx), "fill")
		for _, k := range []string{"bigset", "bighash", "bigzset", "smallzset"} {
			want[k] = true
		}

		// Every key, with SCAN's repetitions folded.
		fullPages, _ := pagesFor(t, ctx, c, []string{"SCAN"}, []string{"COUNT", "50"}, -1)
		resetStats(t, srv)
		got := map[string]bool{}
		for k, err := range c.Scan(ctx, redisclient.ScanOptions{Count: 50}) {
			must(t, err, "SCAN")
			got[k] = true
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("SCAN: keys (-want +got):\n%s", d)
		}
		if n := commandCalls(t, srv, "scan"); n != int64(fullPages) {
			t.Errorf("SCAN pages: %d fetched, the cursor sequence has %d", n, fullPages)
		}
		t.Logf("SCAN COUNT 50 over %d keys: %d pages", len(want), fullPages)

		// MATCH, TYPE, and both.
		count := func(opts redisclient.ScanOptions) int {
			t.Helper()
			seen := map[string]bool{}
			for k, err := range c.Scan(ctx, opts) {
				must(t, err, fmt.Sprintf("SCAN %+v", opts))
				seen[k] = true
			}
			return len(seen)
		}
		for _, tc := range []struct {
			opts redisclient.ScanOptions
			want int
		}{
			{redisclient.ScanOptions{Match: "hash:*"}, 40},
			{redisclient.ScanOptions{Match: "str:1?", Count: 1000}, 10},
			{redisclient.ScanOptions{Type: "set"}, 31},
			{redisclient.ScanOptions{Type: "zset"}, 2},
			{redisclient.ScanOptions{Type: "hash", Match: "big*"}, 1},
			{redisclient.ScanOptions{Match: "nothing:*", Count: 7}, 0},
		} {
			if n := count(tc.opts); n != tc.want {
				t.Errorf("SCAN %+v: %d keys, want %d", tc.opts, n, tc.want)
			}
		}

		// Collections larger than a page.
		gotMembers := map[string]bool{}
		for m, err := range c.SScan(ctx, "bigset", redisclient.ScanOptions{Count: 10}) {
			must(t, err, "SSCAN")
			gotMembers[m] = true
		}
		if d := cmp.Diff(wantMembers, gotMembers); d != "" {
			t.Errorf("SSCAN members (-want +got):\n%s", d)
		}
		gotHash := map[string]string{}
		for fv, err := range c.HScan(ctx, "bighash", redisclient.ScanOptions{Count: 20}) {
			must(t, err, "HSCAN")
			gotHash[fv.Field] = fv.Value
		}
		if d := cmp.Diff(wantHash, gotHash); d != "" {
			t.Errorf("HSCAN fields (-want +got):\n%s", d)
		}
		gotZ := map[string]float64{}
		for zm, err := range c.ZScan(ctx, "bigzset", redisclient.ScanOptions{Count: 20}) {
			must(t, err, "ZSCAN")
			gotZ[zm.Member] = zm.Score
		}
		if d := cmp.Diff(wantZ, gotZ); d != "" {
			t.Errorf("ZSCAN members (-want +got):\n%s", d)
		}
		gotSmall := map[string]float64{}
		for zm, err := range c.ZScan(ctx, "smallzset", redisclient.ScanOptions{}) {
			must(t, err, "ZSCAN small")
			gotSmall[zm.Member] = zm.Score
		}
		if d := cmp.Diff(map[string]float64{"top": math.Inf(1), "bottom": math.Inf(-1)}, gotSmall); d != "" {
			t.Errorf("ZSCAN infinite scores (-want +got):\n%s", d)
		}
		var matched []string
		for m, err := range c.SScan(ctx, "bigset", redisclient.ScanOptions{Match: "member-99?", Count: 100}) {
			must(t, err, "SSCAN MATCH")
			matched = append(matched, m)
		}
		if len(uniq(matched)) != 10 {
			t.Errorf("SSCAN MATCH member-99?: %v", matched)
		}
		for range c.SScan(ctx, "missing", redisclient.ScanOptions{}) {
			t.Errorf("SSCAN of a missing key yielded")
		}
	})
}

// TestFeatScanLazy breaks out of loops early: only the pages the loop
// consumed were fetched.
func TestFeatScanLazy(t *testing.T) {
	perProtocolServer(t, "scan-lazy", func(t *testing.T, srv *Server, proto int) {
		ctx := testCtx(t)
		c := NewClient(t, srv.Options(proto))
		members := make([]string, 1000)
		for i := range members {
			members[i] = "m" + strconv.Itoa(i)
		}
		value[int64](t, "SADD")(redisclient.SAdd("set", members...).Do(ctx, c))
		kv := []string{}
		for i := range 400 {
			kv = append(kv, "f"+strconv.Itoa(i), "v")
		}
		hs := redisclient.HSet("hash", kv[0], kv[1])
		for i := 2; i < len(kv); i += 2 {
			hs = hs.FieldValue(kv[i], kv[i+1])
		}
		value[int64](t, "HSET")(hs.Do(ctx, c))
		p := c.Pipeline()
		for i := range 300 {
			redisclient.Set("key:"+strconv.Itoa(i), "v").Queue(p)
		}
		must(t, p.Exec(ctx), "SET keys")

		total, _ := pagesFor(t, ctx, c, []string{"SSCAN", "set"}, []string{"COUNT", "10"}, -1)
		for _, take := range []int{1, 25, 100} {
			need, _ := pagesFor(t, ctx, c, []string{"SSCAN", "set"}, []string{"COUNT", "10"}, take)
			resetStats(t, srv)
			n := 0
			for _, err := range c.SScan(ctx, "set", redisclient.ScanOptions{Count: 10}) {
				must(t, err, "SSCAN")
				if n++; n == take {
					break
				}
			}
			if got := commandCalls(t, srv, "sscan"); got != int64(need) {
				t.Errorf("SSCAN, break after %d members: %d pages fetched, %d needed (of %d)", take, got, need, total)
			} else {
				t.Logf("SSCAN COUNT 10, break after %d members: %d of %d pages fetched", take, got, total)
			}
		}

		// HSCAN: pairs span the page; break after 30 pairs (60 elements).
		need, _ := pagesFor(t, ctx, c, []string{"HSCAN", "hash"}, []string{"COUNT", "10"}, 60)
		resetStats(t, srv)
		n := 0
		for _, err := range c.HScan(ctx, "hash", redisclient.ScanOptions{Count: 10}) {
			must(t, err, "HSCAN")
			if n++; n == 30 {
				break
			}
		}
		if got := commandCalls(t, srv, "hscan"); got != int64(need) {
			t.Errorf("HSCAN, break after 30 pairs: %d pages fetched, %d needed", got, need)
		}

		// SCAN: break after 5 keys.
		need, _ = pagesFor(t, ctx, c, []string{"SCAN"}, []string{"COUNT", "20"}, 5)
		resetStats(t, srv)
		n = 0
		for _, err := range c.Scan(ctx, redisclient.ScanOptions{Count: 20}) {
			must(t, err, "SCAN")
			if n++; n == 5 {
				break
			}
		}
		if got := commandCalls(t, srv, "scan"); got != int64(need) {
			t.Errorf("SCAN, break after 5 keys: %d pages fetched, %d needed", got, need)
		}
		// Creating an iterator fetches nothing.
		resetStats(t, srv)
		_ = c.SScan(ctx, "set", redisclient.ScanOptions{})
		_ = c.Scan(ctx, redisclient.ScanOptions{})
		if got := commandCalls(t, srv, "sscan") + commandCalls(t, srv, "scan"); got != 0 {
			t.Errorf("iterators not ranged over: %d pages fetched", got)
		}
	})
}

func TestFeatScanErrors(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		str := key(t, "string")
		ok(t, "SET")(redisclient.Set(str, "v").Do(ctx, c))
		check := func(what string, errs []error) {
			t.Helper()
			if len(errs) != 1 || errCode(errs[0]) != "WRONGTYPE" {
				t.Errorf("%s of a string: %v, want one WRONGTYPE error and the end of the loop", what, errs)
			}
		}
		var errs []error
		for m, err := range c.SScan(ctx, str, redisclient.ScanOptions{}) {
			if err == nil {
				t.Errorf("SSCAN of a string yielded %q", m)
			}
			errs = append(errs, err)
		}
		check("SSCAN", errs)
		errs = nil
		for _, err := range c.HScan(ctx, str, redisclient.ScanOptions{}) {
			errs = append(errs, err)
		}
		check("HSCAN", errs)
		errs = nil
		for _, err := range c.ZScan(ctx, str, redisclient.ScanOptions{}) {
			errs = append(errs, err)
		}
		check("ZSCAN", errs)
		// A bad option: the server's error, once.
		errs = nil
		for _, err := range c.Scan(ctx, redisclient.ScanOptions{Type: "nosuchtype", Count: -1}) {
			errs = append(errs, err)
		}
		if len(errs) > 1 || (len(errs) == 1 && errs[0] == nil) {
			t.Errorf("SCAN with a bad TYPE: %v", errs)
		}
		// A cancelled context: its error, once.
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		errs = nil
		for _, err := range c.Scan(cctx, redisclient.ScanOptions{}) {
			errs = append(errs, err)
		}
		if len(errs) != 1 || errs[0] == nil {
			t.Errorf("SCAN with a cancelled context: %v, want one error", errs)
		}
		// A loop may stop at the error without a further call.
		for _, err := range c.SScan(ctx, str, redisclient.ScanOptions{}) {
			if err != nil {
				break
			}
		}
	})
}
