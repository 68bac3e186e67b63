package integration

// Ordinary programs as a service writes them with redkit, against a real
// server: a session store, a leaderboard, a rate limiter, a stream job
// queue, a pub/sub chat, a lock, a bulk loader and a read-through cache
// configured at run time. Each is what a user
// would write, kept as short as the same program with go-redis (the line
// counts in the comments are the go-redis versions').

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

// sessionRecord is a session kept in a hash.
type sessionRecord struct {
	User  string    `redis:"user"`
	Roles string    `redis:"roles"`
	Seen  time.Time `redis:"seen"`
	Hits  int       `redis:"hits"`
}

// Session store: save a struct with a TTL, load it back, touch it.
// (go-redis: HSet with the struct, Expire, HGetAll(...).Scan: the same.)
func TestProgramSessionStore(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		k := key(t, "session")
		s := sessionRecord{User: "ann", Roles: "admin", Seen: time.Now().UTC().Truncate(time.Second), Hits: 1}
		save := c.TxPipeline()
		redisclient.HSetFrom(k, s).Queue(save)
		redisclient.Expire(k, 30*time.Minute).Queue(save)
		must(t, save.Exec(ctx), "save")

		fields, err := redisclient.HGetAll(k).Do(ctx, c)
		must(t, err, "load")
		var got sessionRecord
		must(t, redisclient.ScanStruct(fields, &got), "scan")
		if got != s {
			t.Errorf("loaded %+v, want %+v", got, s)
		}
		ttl, err := redisclient.TTL(k).Do(ctx, c)
		must(t, err, "TTL")
		if !ttl.HasExpiry() || ttl.Duration <= 29*time.Minute {
			t.Errorf("TTL = %v", ttl)
		}
	})
}

// Leaderboard: record scores from a slice, read the top three.
func TestProgramLeaderboard(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		k := key(t, "board")
		scores := []redisclient.ZMember{{Member: "ann", Score: 31}, {Member: "bob", Score: 12}, {Member: "cat", Score: 25}, {Member: "dan", Score: 8}}
		_, err := redisclient.ZAddFrom(k, scores).Do(ctx, c)
		must(t, err, "ZADD")
		_, err = redisclient.ZIncrBy(k, 20, "bob").Do(ctx, c)
		must(t, err, "ZINCRBY")
		top, err := redisclient.ZRange(k, "0", "2").Rev().WithScores().Do(ctx, c)
		must(t, err, "ZRANGE")
		want := []redisclient.ZMember{{Member: "bob", Score: 32}, {Member: "ann", Score: 31}, {Member: "cat", Score: 25}}
		if fmt.Sprint(top) != fmt.Sprint(want) {
			t.Errorf("top 3 = %v, want %v", top, want)
		}
	})
}

// rateLimit allows limit calls per window for a key, in one script.
var rateLimit = redisclient.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return n <= tonumber(ARGV[1]) and 1 or 0`, redisclient.DecodeBool)

// Rate limiter: a fixed window counted by a script with typed arguments.
func TestProgramRateLimiter(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		k := key(t, "rate")
		allowed := 0
		for range 8 {
			ok, err := rateLimit.Run(ctx, c, []string{k}, 5, time.Minute.Milliseconds())
			must(t, err, "rate limit")
			if ok {
				allowed++
			}
		}
		if allowed != 5 {
			t.Errorf("allowed %d of 8 calls, want 5", allowed)
		}
	})
}

// Job queue on a stream: producers add maps, a consumer group reads,
// acknowledges, and nothing stays pending.
func TestProgramStreamJobQueue(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		s := key(t, "jobs")
		err := redisclient.XGroupCreate(s, "workers", "$").MkStream().Do(ctx, c)
		if err != nil && !redisclient.HasErrorPrefix(err, "BUSYGROUP") {
			t.Fatal(err)
		}
		for i := range 3 {
			_, err := redisclient.XAddFrom(s, "*", map[string]any{"kind": "mail", "n": i}).Do(ctx, c)
			must(t, err, "XADD")
		}
		read, err := redisclient.XReadGroup("workers", "w1", []string{s}, ">").Count(10).Do(ctx, c)
		must(t, err, "XREADGROUP")
		done := 0
		for _, st := range read {
			for _, m := range st.Messages {
				_, err := redisclient.XAck(s, "workers", m.ID).Do(ctx, c)
				must(t, err, "XACK")
				done++
			}
		}
		if done != 3 {
			t.Errorf("processed %d jobs, want 3 (%+v)", done, read)
		}
		pending, err := redisclient.XPending(s, "workers").Do(ctx, c)
		must(t, err, "XPENDING")
		if pending.Count != 0 {
			t.Errorf("pending after acks: %+v", pending)
		}
	})
}

// Chat: subscribers on a room channel get every message in order.
func TestProgramPubSubChat(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		room := key(t, "room")
		sub := c.NewSubscriber(redisclient.SubscriberOptions{})
		defer sub.Close()
		must(t, sub.Subscribe(ctx, room), "SUBSCRIBE")
		for _, text := range []string{"hi", "how are you", "bye"} {
			_, err := redisclient.Publish(room, text).Do(ctx, c)
			must(t, err, "PUBLISH")
		}
		var got []string
		for len(got) < 3 {
			select {
			case m := <-sub.Messages():
				got = append(got, string(m.Payload))
			case <-ctx.Done():
				t.Fatalf("got %q", got)
			}
		}
		if fmt.Sprint(got) != "[hi how are you bye]" {
			t.Errorf("messages %q", got)
		}
	})
}

// unlock deletes a lock only while the caller holds it.
var unlock = redisclient.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`, redisclient.DecodeInt)

// Lock: SET NX with a TTL takes it, a compare-and-delete script releases
// it; only one of several contenders holds it at a time.
func TestProgramLock(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		lock := key(t, "lock")
		var mu sync.Mutex
		holders, maxHolders, taken := 0, 0, 0
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				token := fmt.Sprint("owner-", i)
				for range 20 {
					ok, err := redisclient.Set(lock, token).NX().PX(5*time.Second).Do(ctx, c)
					if err != nil {
						t.Error(err)
						return
					}
					if !ok {
						time.Sleep(time.Millisecond)
						continue
					}
					mu.Lock()
					holders++
					maxHolders = max(maxHolders, holders)
					taken++
					mu.Unlock()
					time.Sleep(time.Millisecond)
					mu.Lock()
					holders--
					mu.Unlock()
					if n, err := unlock.Run(ctx, c, []string{lock}, token); err != nil || n != 1 {
						t.Errorf("unlock: %d, %v", n, err)
					}
				}
			})
		}
		wg.Wait()
		if maxHolders != 1 || taken == 0 {
			t.Errorf("%d holders at once, %d acquisitions", maxHolders, taken)
		}
	})
}

// Bulk loader: 10,000 records through pipelines of 500, MSET from maps.
func TestProgramBulkLoader(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		prefix := key(t, "item")
		const total, batch = 10000, 500
		for start := 0; start < total; start += batch {
			p := c.Pipeline()
			for i := start; i < start+batch; i += 100 {
				chunk := make(map[string]any, 100)
				for j := i; j < i+100; j++ {
					chunk[fmt.Sprintf("%s:%d", prefix, j)] = j * 2
				}
				redisclient.MSetFrom(chunk).Queue(p)
			}
			must(t, p.Exec(ctx), "pipeline")
		}
		for _, i := range []int{0, 4321, total - 1} {
			v, err := redisclient.Get(fmt.Sprintf("%s:%d", prefix, i)).Do(ctx, c)
			if err != nil || v.Value != fmt.Sprint(i*2) {
				t.Errorf("item %d = %+v, %v", i, v, err)
			}
		}
	})
}

// cacheConfig is how a read-through cache stores what it loads, as a
// configuration file gives it: the write condition (NX: never overwrite a
// fresher value; XX: only refresh keys that exist) and the expiry, each
// left out by its zero value.
type cacheConfig struct {
	Mode redisclient.SetCondition
	TTL  redisclient.SetExpiration
}

// readThrough returns the cached value of k, or loads it and stores it as
// cfg says, through one code path for every configuration.
// (go-redis: Get, redis.Nil, rdb.SetArgs(ctx, k, v, redis.SetArgs{Mode:
// cfg.Mode, TTL: cfg.TTL}): about 7 lines, the same.)
func readThrough(ctx context.Context, c redisclient.Doer, cfg cacheConfig, k string, load func() string) (string, error) {
	v, err := redisclient.Get(k).Do(ctx, c)
	if err != nil || v.Valid {
		return v.Value, err
	}
	fresh := load()
	_, err = redisclient.Set(k, fresh).With(redisclient.SetOptions{Condition: cfg.Mode, Expiration: cfg.TTL}).Do(ctx, c)
	return fresh, err
}

// Read-through cache: TTL and NX/XX come from configuration values, with
// no branch per combination.
func TestProgramConfiguredCache(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		for i, tc := range []struct {
			cfg      cacheConfig
			loads    int           // loads for two reads
			ttlAbout time.Duration // 0: no expiry
		}{
			{cacheConfig{redisclient.SetConditionNX(), redisclient.SetExpirationEX(time.Minute)}, 1, time.Minute},
			{cacheConfig{redisclient.SetConditionNX(), redisclient.SetExpiration{}}, 1, 0},
			{cacheConfig{redisclient.SetCondition{}, redisclient.SetExpirationEX(1500 * time.Millisecond)}, 1, 1500 * time.Millisecond},
			// XX only refreshes existing keys: a missing one is never stored.
			{cacheConfig{redisclient.SetConditionXX(), redisclient.SetExpirationEX(time.Minute)}, 2, -1},
		} {
			k := key(t, fmt.Sprintf("cache%d", i))
			loads := 0
			load := func() string { loads++; return "profile-42" }
			for range 2 {
				v, err := readThrough(ctx, c, tc.cfg, k, load)
				must(t, err, "read-through")
				if v != "profile-42" {
					t.Errorf("config %d: got %q", i, v)
				}
			}
			if loads != tc.loads {
				t.Errorf("config %d: %d loads for two reads, want %d", i, loads, tc.loads)
			}
			ttl, err := redisclient.PTTL(k).Do(ctx, c)
			must(t, err, "PTTL")
			switch {
			case tc.ttlAbout < 0:
				if ttl.State != redisclient.ExpiryNoKey {
					t.Errorf("config %d: key stored: %+v", i, ttl)
				}
			case tc.ttlAbout == 0:
				if ttl.State != redisclient.ExpiryNone {
					t.Errorf("config %d: PTTL = %+v, want no expiry", i, ttl)
				}
			default:
				if !ttl.HasExpiry() || ttl.Duration > tc.ttlAbout || ttl.Duration < tc.ttlAbout-time.Second {
					t.Errorf("config %d: PTTL = %+v, want about %v", i, ttl, tc.ttlAbout)
				}
			}
		}
	})
}
