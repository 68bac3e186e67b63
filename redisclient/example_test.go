package redisclient_test

// Examples of the main flows. They need a Redis server (localhost:6379
// here), so they are compiled and checked by `go vet` but not run by
// `go test`; `make demo` runs the same flows against a disposable server,
// and the integration suite tests each of them.

import (
	"context"
	"fmt"
	"log"
	"sync/atomic"
	"time"

	"github.com/redkit-go/redkit/cluster"
	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
)

func Example() {
	ctx := context.Background()
	c, err := redisclient.NewFromURL("redis://localhost:6379/0")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// Required arguments are parameters; options are methods, and only
	// valid combinations compile (NX or XX, one expiry). NX changes the
	// reply: whether the key was set.
	set, err := redisclient.Set("user:1", "ann").NX().EX(10*time.Second).Do(ctx, c)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(set)
	name, err := redisclient.Get("user:1").Do(ctx, c) // Opt[string]: a missing key is !Valid
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(name.Value, name.Valid)
}

func ExampleClient_Pipeline() {
	ctx := context.Background()
	c, err := redisclient.New(redisclient.Options{Addr: "localhost:6379"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	p := c.Pipeline()
	hits := redisclient.Incr("hits").Queue(p) // *Future[int64]
	name := redisclient.Get("user:1").Queue(p)
	if err := p.Exec(ctx); err != nil { // one write, one wait
		log.Fatal(err)
	}
	n, err := hits.Result() // each future has its own error
	fmt.Println(n, err, name.Val().Value)
}

func ExampleClient_Watch() {
	ctx := context.Background()
	c, err := redisclient.New(redisclient.Options{Addr: "localhost:6379"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// Reads run at once on the watched connection; queued writes run in
	// MULTI/EXEC. A conflict runs the function again, up to a limit.
	err = c.Watch(ctx, func(tx *redisclient.Tx) error {
		balance, err := redisclient.Get("balance").Do(ctx, tx)
		if err != nil {
			return err
		}
		if balance.Value < "30" {
			return fmt.Errorf("balance %q too low", balance.Value)
		}
		redisclient.DecrBy("balance", 30).Queue(tx)
		return nil
	}, "balance")
	fmt.Println(err)
}

func ExampleClient_NewSubscriber() {
	ctx := context.Background()
	c, err := redisclient.New(redisclient.Options{Addr: "localhost:6379"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	sub := c.NewSubscriber(redisclient.SubscriberOptions{})
	defer sub.Close()
	if err := sub.Subscribe(ctx, "news"); err != nil {
		log.Fatal(err)
	}
	if _, err := redisclient.Publish("news", "hello").Do(ctx, c); err != nil {
		log.Fatal(err)
	}
	for m := range sub.Messages() {
		if m.Kind == redisclient.KindGap {
			continue // reconnected: messages may have been lost meanwhile
		}
		fmt.Println(m.Channel, m.Payload)
		break
	}
}

func ExampleNewScript() {
	ctx := context.Background()
	c, err := redisclient.New(redisclient.Options{Addr: "localhost:6379"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// Defined once; runs with EVALSHA and falls back to EVAL on NOSCRIPT.
	capped := redisclient.NewScript(`
		local n = redis.call('INCR', KEYS[1])
		if n > tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]); return tonumber(ARGV[1]) end
		return n`, redisclient.DecodeInt)
	n, err := capped.Run(ctx, c, []string{"counter"}, "10")
	fmt.Println(n, err)
}

func ExampleClient_Scan() {
	ctx := context.Background()
	c, err := redisclient.New(redisclient.Options{Addr: "localhost:6379"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// Pages are fetched as the loop goes; breaking stops the scan.
	for key, err := range c.Scan(ctx, redisclient.ScanOptions{Match: "user:*", Count: 100}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(key)
	}
}

func ExampleCacheOptions() {
	ctx := context.Background()
	c, err := redisclient.New(redisclient.Options{Addr: "localhost:6379", Cache: &redisclient.CacheOptions{}})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// The first read asks the server and tracks the key; the next ones
	// are answered from memory until another client changes the key.
	for range 3 {
		name, err := redisclient.Get("user:1").DoCached(ctx, c, time.Minute)
		fmt.Println(name.Value, err)
	}
	fmt.Println(c.CacheStats().Hits)
}

func ExampleNewCluster() {
	ctx := context.Background()
	c, err := redisclient.NewCluster(redisclient.ClusterOptions{
		Seeds:      []string{"127.0.0.1:7000", "127.0.0.1:7001"},
		ReadPolicy: cluster.ReadReplica,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	// The same command values: MGET over several slots is split per slot
	// and merged in order.
	values, err := redisclient.MGet("a", "b", "c").Do(ctx, c)
	fmt.Println(values, err)
}

func ExampleNewSentinel() {
	ctx := context.Background()
	c, err := redisclient.NewSentinel(redisclient.SentinelOptions{
		MasterName: "mymaster",
		Sentinels:  []string{"127.0.0.1:26379"},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	fmt.Println(redisclient.Set("k", "v").Do(ctx, c)) // follows failovers
}

func ExampleHookFunc() {
	var commands, failures atomic.Int64
	var busy atomic.Int64 // nanoseconds spent in commands
	metrics := redisclient.HookFunc(func(ctx context.Context, cmds []*transport.Command) (context.Context, func(error)) {
		start := time.Now()
		return ctx, func(err error) {
			commands.Add(int64(len(cmds)))
			if err != nil {
				failures.Add(1)
			}
			busy.Add(int64(time.Since(start)))
		}
	})
	c, err := redisclient.New(redisclient.Options{Addr: "localhost:6379", Hooks: []redisclient.Hook{metrics}})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	redisclient.Ping().Do(context.Background(), c)
	fmt.Println(commands.Load(), failures.Load(), time.Duration(busy.Load()))
}

// Options chosen at run time: the condition and expiry of SET, and the
// comparison of ZADD, come from configuration values, without a chain per
// combination. SET's reply is a bool whatever the condition.
func ExampleSetCmd_With() {
	ctx := context.Background()
	c, err := redisclient.New(redisclient.Options{Addr: "localhost:6379"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	cfg := struct {
		OnlyNew bool
		TTL     time.Duration
	}{OnlyNew: true, TTL: time.Minute}
	var o redisclient.SetOptions
	if cfg.OnlyNew {
		o.Condition = redisclient.SetConditionNX()
	}
	if cfg.TTL > 0 {
		o.Expiration = redisclient.SetExpirationEX(cfg.TTL)
	}
	stored, err := redisclient.Set("user:1", "ann").With(o).Do(ctx, c)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(stored)

	added, err := redisclient.ZAdd("board", 42, "ann").
		With(redisclient.ZAddOptions{Comparison: redisclient.ComparisonGT, CH: true}).Do(ctx, c)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(added)
}
