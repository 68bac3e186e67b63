package cacheaside_test

// Examples of the cache-aside recipe: Get needs a server, so it has no
// output; Validate's errors are deterministic.

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/redkit-go/redkit/recipes/cacheaside"
	"github.com/redkit-go/redkit/redisclient"
)

func ExampleCache_Get() {
	// RESP3 with a client-side cache: hits are served locally.
	c, err := redisclient.New(redisclient.Options{Addr: "127.0.0.1:6379", Cache: &redisclient.CacheOptions{}})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	users := cacheaside.New(c, cacheaside.Options{LockTTL: 2 * time.Second})
	ctx := context.Background()
	name, err := users.Get(ctx, "user:42:name", 10*time.Minute, func(ctx context.Context) (string, error) {
		// One caller across all clients runs this on a miss; the others
		// wait for its value.
		return "Ada", nil // e.g. a database query under ctx
	})
	if err != nil {
		log.Fatal(err) // a *cacheaside.FetchError when the fetch failed
	}
	fmt.Println(name)

	// After the source changed: the next Get fetches again.
	if err := users.Delete(ctx, "user:42:name"); err != nil {
		log.Fatal(err)
	}
}

func ExampleOptions_Validate() {
	for _, o := range []cacheaside.Options{
		{},
		{LockTTL: 1500 * time.Microsecond},
		{MinWait: time.Second, MaxWait: 10 * time.Millisecond},
	} {
		fmt.Println(o.Validate())
	}
	// Output:
	// <nil>
	// cacheaside: invalid argument: LockTTL is 1.5ms, must be whole milliseconds
	// cacheaside: invalid argument: MaxWait 10ms is less than MinWait 1s
}
