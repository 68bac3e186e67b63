package lock_test

// Examples of the lock: Acquire needs a server, so it has no output;
// Validate's errors are deterministic.

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/redkit-go/redkit/recipes/lock"
	"github.com/redkit-go/redkit/redisclient"
)

func ExampleLocker_Acquire() {
	c, err := redisclient.New(redisclient.Options{Addr: "127.0.0.1:6379"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	l := lock.New(c, lock.Options{TTL: 10 * time.Second}) // extended every 10s/3 while held
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	lk, err := l.Acquire(ctx, "nightly-report")
	if err != nil {
		log.Fatal(err) // context.DeadlineExceeded: another holder kept it for a minute
	}
	defer lk.Release(context.Background())

	// Work under lk.Context(): it is cancelled if the lock is lost. Pass
	// the fencing token to the resource, which refuses lower ones.
	fmt.Println("holding with fencing token", lk.Fence())
	<-lk.Context().Done()
}

func ExampleLocker_TryAcquire() {
	c, err := redisclient.New(redisclient.Options{Addr: "127.0.0.1:6379"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	ctx := context.Background()
	lk, err := lock.New(c, lock.Options{TTL: 5 * time.Second}).TryAcquire(ctx, "migrations")
	if errors.Is(err, lock.ErrNotAcquired) {
		fmt.Println("another instance runs the migrations")
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	if err := lk.Release(ctx); errors.Is(err, lock.ErrNotHeld) {
		fmt.Println("the lock expired before the release: another holder may have run concurrently")
	}
}

func ExampleOptions_Validate() {
	for _, o := range []lock.Options{
		{TTL: 10 * time.Second},
		{},
		{TTL: time.Second, ExtendEvery: 2 * time.Second},
	} {
		fmt.Println(o.Validate())
	}
	// Output:
	// <nil>
	// lock: invalid argument: TTL is 0s, must be at least 1ms
	// lock: invalid argument: ExtendEvery is 2s, must be shorter than TTL (1s)
}
