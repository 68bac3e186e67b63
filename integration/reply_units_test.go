package integration

// Durations and times in replies that the published reply schemas type as
// plain integers, decoded in their units on the real servers: SLOWLOG GET
// (Unix seconds, microseconds), LATENCY LATEST, HISTORY and HISTOGRAM
// (Unix seconds, milliseconds, microsecond buckets in order), XINFO
// CONSUMERS and XINFO STREAM FULL (milliseconds, Unix milliseconds, -1 for
// "never" as an absent value), ACL LOG (seconds with a fraction, Unix
// milliseconds) and FUNCTION STATS (milliseconds). The server is private:
// it logs every command as slow and every latency spike, and answers
// during a busy function after 10ms.

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

// spinScript busies the server for about as many iterations as ARGV[1].
const spinScript = "local i = 0 while i < tonumber(ARGV[1]) do i = i + 1 end return i"

// about reports whether tm is within a minute of now.
func about(tm time.Time) bool { return time.Since(tm).Abs() < time.Minute }

func TestReplyUnits(t *testing.T) {
	t.Parallel()
	srv := StartServer(t, ServerConfig{Name: "units", Args: []string{
		"--latency-monitor-threshold", "1", "--slowlog-log-slower-than", "0", "--busy-reply-threshold", "10",
	}})
	// The protocols run one after the other: a busy script would make the
	// other's commands fail with BUSY.
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			c := NewClient(t, srv.Options(proto))
			ctx := testCtx(t)

			// A command that takes 20ms or more, measured by the client.
			spin := func(t *testing.T) time.Duration {
				start := time.Now()
				value[redisclient.Value](t, "EVAL spin")(redisclient.Eval(spinScript).Args(1_000_000).Do(ctx, c))
				took := time.Since(start)
				if took < 5*time.Millisecond {
					value[redisclient.Value](t, "EVAL spin")(redisclient.Eval(spinScript).Args(10_000_000).Do(ctx, c))
					took = time.Since(start)
				}
				return took
			}

			t.Run("SLOWLOG_GET", func(t *testing.T) {
				ok(t, "SLOWLOG RESET")(redisclient.SlowlogReset().Do(ctx, c))
				took := spin(t)
				entries := value[[]redisclient.SlowlogEntry](t, "SLOWLOG GET")(redisclient.SlowlogGet().Count(10).Do(ctx, c))
				var found bool
				for _, e := range entries {
					if len(e.Args) == 0 || e.Args[0] != "EVAL" {
						continue
					}
					found = true
					if !about(e.Timestamp) || e.Duration < time.Millisecond || e.Duration > took+time.Millisecond {
						t.Errorf("SLOWLOG GET entry of EVAL: %+v, want a time of about now and a duration in (1ms, %v]", e, took)
					}
				}
				if !found {
					t.Errorf("SLOWLOG GET: no EVAL entry in %+v", entries)
				}
			})

			t.Run("LATENCY", func(t *testing.T) {
				spin(t)
				latest := value[[]redisclient.LatencyEvent](t, "LATENCY LATEST")(redisclient.LatencyLatest().Do(ctx, c))
				var ev *redisclient.LatencyEvent
				for i := range latest {
					if latest[i].Event == "command" {
						ev = &latest[i]
					}
				}
				if ev == nil {
					t.Fatalf("LATENCY LATEST: no command event in %+v", latest)
				}
				// The latest latency is the largest of its second, which
				// may be an earlier command's.
				if !about(ev.Timestamp) || ev.Latest < time.Millisecond || ev.Latest > 10*time.Second || ev.Max < ev.Latest {
					t.Errorf("LATENCY LATEST command: %+v, want a time of about now, a latest latency in (1ms, 10s] and a max at least that", *ev)
				}
				// Valkey 8.1 and later add the sum of the latencies and
				// their count; Redis does not.
				if srv.Has(t, "99.0.0", "8.1.0") {
					if ev.Sum < ev.Max || ev.Count < 1 {
						t.Errorf("LATENCY LATEST command: %+v, want a sum of at least the max and a count", *ev)
					}
				} else if ev.Sum != 0 || ev.Count != 0 {
					t.Errorf("LATENCY LATEST command: %+v, want no sum and count", *ev)
				}
				history := value[[]redisclient.LatencySample](t, "LATENCY HISTORY")(redisclient.LatencyHistory("command").Do(ctx, c))
				if len(history) == 0 {
					t.Fatal("LATENCY HISTORY command: no samples")
				}
				for _, s := range history {
					if !about(s.Timestamp) || s.Latency < time.Millisecond || s.Latency > ev.Max {
						t.Errorf("LATENCY HISTORY command: sample %+v, want a time of about now and a latency in (1ms, %v]", s, ev.Max)
					}
				}

				k := key(t, "h")
				for range 5 {
					ok(t, "SET")(redisclient.Set(k, "v").Do(ctx, c))
				}
				hist := value[map[string]redisclient.CommandLatency](t, "LATENCY HISTOGRAM SET")(redisclient.LatencyHistogram().Commands("set").Do(ctx, c))
				set, found := hist["set"]
				if !found || set.Calls < 5 || len(set.Buckets) == 0 {
					t.Fatalf("LATENCY HISTOGRAM SET: %+v, want 5 calls or more in buckets", hist)
				}
				for i, b := range set.Buckets {
					if b.UpTo < time.Microsecond || b.UpTo > time.Second || b.Calls < 1 {
						t.Errorf("LATENCY HISTOGRAM SET bucket %d: %+v, want an upper bound in [1µs, 1s] and calls", i, b)
					}
					if i > 0 && (b.UpTo <= set.Buckets[i-1].UpTo || b.Calls < set.Buckets[i-1].Calls) {
						t.Errorf("LATENCY HISTOGRAM SET buckets %d and %d: %+v, %+v, want ascending bounds and cumulative calls", i-1, i, set.Buckets[i-1], b)
					}
				}
				if last := set.Buckets[len(set.Buckets)-1]; last.Calls != set.Calls {
					t.Errorf("LATENCY HISTOGRAM SET: last bucket %+v, want all %d calls", last, set.Calls)
				}
			})

			t.Run("XINFO_consumer_times", func(t *testing.T) {
				s := key(t, "s")
				_, err := redisclient.XAdd(s, "1-1", "f", "v").Do(ctx, c)
				must(t, err, "XADD")
				ok(t, "XGROUP CREATE")(redisclient.XGroupCreate(s, "g", "0").Do(ctx, c))
				expect(t, "XGROUP CREATECONSUMER", true)(redisclient.XGroupCreateConsumer(s, "g", "alice").Do(ctx, c))
				// Inactive and active-time are 7.2's; -1 until the consumer
				// reads, absent (so not Valid either) before 7.2.
				consumers := value[[]redisclient.XInfoConsumersReplyItem](t, "XINFO CONSUMERS")(redisclient.XInfoConsumers(s, "g").Do(ctx, c))
				if len(consumers) != 1 || consumers[0].Idle < 0 || consumers[0].Idle > time.Minute || consumers[0].Inactive.Valid {
					t.Errorf("XINFO CONSUMERS of a new consumer: %+v, want a short idle time and no inactive time", consumers)
				}
				full := value[redisclient.StreamInfoFull](t, "XINFO STREAM FULL")(redisclient.XInfoStream(s).Full().Do(ctx, c))
				if len(full.Groups) != 1 || len(full.Groups[0].Consumers) != 1 {
					t.Fatalf("XINFO STREAM FULL: %+v, want one group with one consumer", full)
				}
				if cons := full.Groups[0].Consumers[0]; !about(cons.SeenTime) || cons.ActiveTime.Valid {
					t.Errorf("XINFO STREAM FULL consumer, new: %+v, want seen about now and never active", cons)
				}

				value[[]redisclient.XStream](t, "XREADGROUP")(redisclient.XReadGroup("g", "alice", []string{s}, ">").Do(ctx, c))
				time.Sleep(30 * time.Millisecond)
				consumers = value[[]redisclient.XInfoConsumersReplyItem](t, "XINFO CONSUMERS")(redisclient.XInfoConsumers(s, "g").Do(ctx, c))
				if len(consumers) != 1 || consumers[0].Idle < 30*time.Millisecond || consumers[0].Idle > time.Minute {
					t.Errorf("XINFO CONSUMERS 30ms after a read: %+v, want an idle time of 30ms or more", consumers)
				}
				full = value[redisclient.StreamInfoFull](t, "XINFO STREAM FULL")(redisclient.XInfoStream(s).Full().Do(ctx, c))
				cons := full.Groups[0].Consumers[0]
				if !about(cons.SeenTime) || time.Since(cons.SeenTime) < 25*time.Millisecond {
					t.Errorf("XINFO STREAM FULL consumer after a read: seen %v, want about 30ms ago", cons.SeenTime)
				}
				if srv.Has(t, "7.2.0", "") {
					if in := consumers[0].Inactive; !in.Valid || in.Value < 30*time.Millisecond || in.Value > time.Minute {
						t.Errorf("XINFO CONSUMERS 30ms after a read: inactive %+v, want 30ms or more", in)
					}
					if !cons.ActiveTime.Valid || !about(cons.ActiveTime.Value) || cons.ActiveTime.Value.After(cons.SeenTime.Add(time.Millisecond)) {
						t.Errorf("XINFO STREAM FULL consumer after a read: active %+v, seen %v, want active at the read", cons.ActiveTime, cons.SeenTime)
					}
				} else if consumers[0].Inactive.Valid || cons.ActiveTime.Valid {
					t.Errorf("XINFO on %s: inactive %+v, active %+v, want neither (7.2's)", srv.VersionString(t), consumers[0].Inactive, cons.ActiveTime)
				}
			})

			t.Run("ACL_LOG", func(t *testing.T) {
				conn, err := c.DedicatedConn(ctx, -1)
				must(t, err, "dedicated connection")
				err = redisclient.Auth("wrong").UserName("nobody").Do(ctx, conn)
				conn.Release()
				if !redisclient.HasErrorPrefix(err, "WRONGPASS") {
					t.Fatalf("AUTH nobody wrong: %v, want WRONGPASS", err)
				}
				log := value[[]redisclient.ACLLogEntry](t, "ACL LOG")(redisclient.ACLLog().Count(1).Do(ctx, c))
				if len(log) != 1 || log[0].Reason != "auth" || log[0].Age < 0 || log[0].Age > time.Minute {
					t.Fatalf("ACL LOG 1: %+v, want the failed AUTH, a few milliseconds old", log)
				}
				e := log[0]
				if srv.Has(t, "7.2.0", "") {
					if !about(e.TimestampCreated) || e.TimestampLastUpdated.Before(e.TimestampCreated) {
						t.Errorf("ACL LOG entry: created %v, updated %v, want about now, updated not before created", e.TimestampCreated, e.TimestampLastUpdated)
					}
				} else if !e.TimestampCreated.IsZero() || !e.TimestampLastUpdated.IsZero() {
					t.Errorf("ACL LOG entry on %s: %+v, want no timestamps (7.2's)", srv.VersionString(t), e)
				}
			})

			t.Run("FUNCTION_STATS", func(t *testing.T) {
				lib := "#!lua name=units\nredis.register_function('spin', function(keys, args) local i = 0 while i < tonumber(args[1]) do i = i + 1 end return i end)"
				value[string](t, "FUNCTION LOAD")(redisclient.FunctionLoad(lib).Replace().Do(ctx, c))
				busy := NewClient(t, srv.Options(proto))
				done := make(chan error, 1)
				go func() {
					_, err := redisclient.FCall("spin").Args(2_000_000_000).Do(ctx, busy)
					done <- err
				}()
				var running *redisclient.FunctionStatsReplyRunningScript
				deadline := time.Now().Add(10 * time.Second)
				for running == nil && time.Now().Before(deadline) {
					time.Sleep(20 * time.Millisecond)
					stats := value[redisclient.FunctionStatsReply](t, "FUNCTION STATS")(redisclient.FunctionStats().Do(ctx, c))
					running = stats.RunningScript
				}
				if running != nil {
					time.Sleep(50 * time.Millisecond)
					stats := value[redisclient.FunctionStatsReply](t, "FUNCTION STATS")(redisclient.FunctionStats().Do(ctx, c))
					if stats.RunningScript == nil {
						t.Errorf("FUNCTION STATS: the function stopped running")
					} else if r := stats.RunningScript; r.Name != "spin" || r.Duration < 50*time.Millisecond || r.Duration > time.Minute {
						t.Errorf("FUNCTION STATS running script: %+v, want spin, running for 70ms or more", *r)
					}
				} else {
					t.Error("FUNCTION STATS: no running function within 10s")
				}
				killCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
				defer cancel()
				for {
					err := redisclient.FunctionKill().Do(killCtx, c)
					if err == nil || !redisclient.HasErrorPrefix(err, "NOTBUSY") || killCtx.Err() != nil {
						break
					}
				}
				if err := <-done; err == nil || errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("FCALL spin after FUNCTION KILL: %v, want the server's error", err)
				}
			})
		})
	}
}
