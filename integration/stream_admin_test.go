package integration

// Stream commands that set a stream's bookkeeping rather than its entries,
// on RESP2 and RESP3: XSETID, Redis 8.6's idempotent-producer settings
// (XCFGSET) and records (XIDMPRECORD), and the HELP of the XGROUP and
// XINFO containers.

import (
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

func TestStreamAdministration(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		srv := sharedServer(t)

		t.Run("XSETID", func(t *testing.T) {
			ctx := testCtx(t)
			s := key(t, "s")
			expect(t, "XADD", some("1-1"))(redisclient.XAdd(s, "1-1", "f", "v").Do(ctx, c))
			expect(t, "XADD", some("2-0"))(redisclient.XAdd(s, "2-0", "f", "v").Do(ctx, c))
			ok(t, "XSETID")(redisclient.XSetID(s, "5-0").Do(ctx, c))
			info := value[redisclient.StreamInfo](t, "XINFO STREAM")(redisclient.XInfoStream(s).Do(ctx, c))
			if info.LastGeneratedID != "5-0" || info.Length != 2 {
				t.Errorf("XINFO STREAM after XSETID 5-0: last-generated-id %q, length %d; want 5-0 and 2", info.LastGeneratedID, info.Length)
			}
			serverError[redisclient.Opt[string]](t, "XADD below the set ID", "ERR")(redisclient.XAdd(s, "4-0", "f", "v").Do(ctx, c))
			expect(t, "XADD above the set ID", some("5-1"))(redisclient.XAdd(s, "5-1", "f", "v").Do(ctx, c))
			serverError[struct{}](t, "XSETID below the last entry", "ERR")(
				withNoReply(redisclient.XSetID(s, "1-0").Do(ctx, c)))
			ok(t, "XSETID ENTRIESADDED MAXDELETEDID")(redisclient.XSetID(s, "6-0").EntriesAdded(10).MaxDeletedID("5-5").Do(ctx, c))
			info = value[redisclient.StreamInfo](t, "XINFO STREAM")(redisclient.XInfoStream(s).Do(ctx, c))
			if info.LastGeneratedID != "6-0" || info.EntriesAdded != 10 || info.MaxDeletedEntryID != "5-5" {
				t.Errorf("XINFO STREAM after XSETID 6-0 ENTRIESADDED 10 MAXDELETEDID 5-5: %q, %d, %q",
					info.LastGeneratedID, info.EntriesAdded, info.MaxDeletedEntryID)
			}
			ok(t, "XSETID With")(redisclient.XSetID(s, "7-0").With(redisclient.XSetIDOptions{EntriesAdded: some(int64(12))}).Do(ctx, c))
			if info := value[redisclient.StreamInfo](t, "XINFO STREAM")(redisclient.XInfoStream(s).Do(ctx, c)); info.EntriesAdded != 12 {
				t.Errorf("entries-added after XSETID ENTRIESADDED 12: %d", info.EntriesAdded)
			}
			serverError[struct{}](t, "XSETID of a missing key", "ERR")(
				withNoReply(redisclient.XSetID(key(t, "missing"), "1-0").Do(ctx, c)))
		})

		t.Run("XCFGSET", func(t *testing.T) {
			srv.RequireServer(t, "XCFGSET", "8.6.0", "")
			ctx := testCtx(t)
			s := key(t, "s")
			value[redisclient.Opt[string]](t, "XADD")(redisclient.XAdd(s, "*", "f", "v").Do(ctx, c))
			ok(t, "XCFGSET IDMP-DURATION IDMP-MAXSIZE")(redisclient.XCfgSet(s).IDMPDuration(250*time.Second).IDMPMaxSize(42).Do(ctx, c))
			info := value[redisclient.StreamInfo](t, "XINFO STREAM")(redisclient.XInfoStream(s).Do(ctx, c))
			if info.IDMPDuration != 250*time.Second || info.IDMPMaxSize != 42 {
				t.Errorf("XINFO STREAM after XCFGSET 250s/42: idmp-duration %v, idmp-maxsize %d", info.IDMPDuration, info.IDMPMaxSize)
			}
			ok(t, "XCFGSET IDMP-MAXSIZE alone")(redisclient.XCfgSet(s).IDMPMaxSize(7).Do(ctx, c))
			info = value[redisclient.StreamInfo](t, "XINFO STREAM")(redisclient.XInfoStream(s).Do(ctx, c))
			if info.IDMPDuration != 250*time.Second || info.IDMPMaxSize != 7 {
				t.Errorf("XINFO STREAM after XCFGSET IDMP-MAXSIZE 7: idmp-duration %v, idmp-maxsize %d", info.IDMPDuration, info.IDMPMaxSize)
			}
			serverError[struct{}](t, "XCFGSET with a zero duration", "ERR")(
				withNoReply(redisclient.XCfgSet(s).IDMPDuration(0).Do(ctx, c)))
			serverError[struct{}](t, "XCFGSET of a missing key", "ERR")(
				withNoReply(redisclient.XCfgSet(key(t, "missing")).IDMPMaxSize(5).Do(ctx, c)))
		})

		t.Run("XIDMPRECORD", func(t *testing.T) {
			srv.RequireServer(t, "XIDMPRECORD", "8.6.2", "")
			ctx := testCtx(t)
			s := key(t, "s")
			expect(t, "XADD", some("1-0"))(redisclient.XAdd(s, "1-0", "f", "v").Do(ctx, c))
			expect(t, "XADD", some("2-0"))(redisclient.XAdd(s, "2-0", "f", "w").Do(ctx, c))
			// Recording producer p's message m as entry 1-0 makes a later
			// XADD IDMP p m a duplicate: it adds nothing and answers 1-0.
			ok(t, "XIDMPRECORD")(redisclient.XIDMPRecord(s, "p", "m", "1-0").Do(ctx, c))
			ok(t, "XIDMPRECORD again, same entry")(redisclient.XIDMPRecord(s, "p", "m", "1-0").Do(ctx, c))
			expect(t, "XADD IDMP of the recorded message", some("1-0"))(redisclient.XAdd(s, "*", "f", "again").IDMP("p", "m").Do(ctx, c))
			expect(t, "XLEN", int64(2))(redisclient.XLen(s).Do(ctx, c))
			serverError[struct{}](t, "XIDMPRECORD of the IID with another entry", "ERR")(
				withNoReply(redisclient.XIDMPRecord(s, "p", "m", "2-0").Do(ctx, c)))
			serverError[struct{}](t, "XIDMPRECORD of a missing entry", "ERR")(
				withNoReply(redisclient.XIDMPRecord(s, "p", "n", "9-0").Do(ctx, c)))
			serverError[struct{}](t, "XIDMPRECORD with an empty producer", "ERR")(
				withNoReply(redisclient.XIDMPRecord(s, "", "n", "2-0").Do(ctx, c)))
		})

		t.Run("HELP", func(t *testing.T) {
			ctx := testCtx(t)
			for _, tc := range []struct {
				name      string
				cmd       redisclient.Cmd[[]string]
				mentioned []string
			}{
				{"XGROUP", redisclient.XGroupHelp(), []string{"CREATE", "CREATECONSUMER", "DELCONSUMER", "DESTROY", "SETID"}},
				{"XINFO", redisclient.XInfoHelp(), []string{"CONSUMERS", "GROUPS", "STREAM"}},
			} {
				lines := value[[]string](t, tc.name+" HELP")(tc.cmd.Do(ctx, c))
				if len(lines) < 3 || !strings.HasPrefix(lines[0], tc.name+" <subcommand>") {
					t.Errorf("%s HELP: %q, want lines starting with %q", tc.name, lines, tc.name+" <subcommand>")
					continue
				}
				if text := strings.Join(lines, "\n"); !hasAll(text, tc.mentioned...) {
					t.Errorf("%s HELP does not mention all of %v:\n%s", tc.name, tc.mentioned, text)
				}
			}
		})
	})
}

// withNoReply pairs the error of a command without a reply value (an OK
// reply) with an empty value, for serverError.
func withNoReply(err error) (struct{}, error) { return struct{}{}, err }
