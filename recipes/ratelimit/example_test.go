package ratelimit_test

// Examples of the rate limiter: Allow needs a server, so it has no output;
// Validate's errors are deterministic.

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/redkit-go/redkit/recipes/ratelimit"
	"github.com/redkit-go/redkit/redisclient"
)

func ExampleLimiter_Allow() {
	ctx := context.Background()
	c, err := redisclient.New(redisclient.Options{Addr: "127.0.0.1:6379"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// 10 requests a second, up to 20 at once.
	l := ratelimit.New(c, ratelimit.Limit{Rate: 10, Per: time.Second, Burst: 20})
	res, err := l.Allow(ctx, "rate:user:42")
	if err != nil {
		log.Fatal(err)
	}
	if !res.Allowed {
		fmt.Printf("slow down: retry in %v\n", res.RetryAfter)
		return
	}
	fmt.Printf("allowed, %d left, full again in %v\n", res.Remaining, res.ResetAfter)
}

func ExampleLimit_Validate() {
	for _, l := range []ratelimit.Limit{
		{Rate: 10, Per: time.Second, Burst: 20},
		{Rate: 0, Per: time.Second},
		{Rate: 5, Per: time.Minute, Burst: -1},
	} {
		fmt.Println(l.Validate())
	}
	// Output:
	// <nil>
	// ratelimit: invalid limit: Rate is 0, must be at least 1
	// ratelimit: invalid limit: Burst is -1, must not be negative (0 means Rate)
}
