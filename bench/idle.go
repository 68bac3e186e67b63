package main

// This file measures what idle connected clients cost: many clients, each
// connected and having run one command, then idle; the heap in use and the
// goroutines they hold, per client.

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"text/tabwriter"
	"time"
)

// idleCost is what n idle clients of one library hold.
type idleCost struct {
	client     string
	n          int
	heapPer    float64 // bytes of heap in use per client
	goroutines float64 // goroutines per client
}

// measureIdle connects n clients, runs one GET on each, lets them settle,
// and measures the heap and goroutines they hold beyond the baseline.
func measureIdle(n int, connect func() (client, error), key string) (idleCost, error) {
	settle := func() {
		time.Sleep(200 * time.Millisecond)
		runtime.GC()
		runtime.GC()
	}
	settle()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	g0 := runtime.NumGoroutine()
	cs := make([]client, 0, n)
	defer func() {
		for _, c := range cs {
			c.Close()
		}
	}()
	for range n {
		c, err := connect()
		if err != nil {
			return idleCost{}, err
		}
		cs = append(cs, c)
		if err := c.Get(context.Background(), key); err != nil {
			return idleCost{}, fmt.Errorf("%s: GET: %w", c.Name(), err)
		}
	}
	settle()
	runtime.ReadMemStats(&after)
	g1 := runtime.NumGoroutine()
	return idleCost{
		client:     cs[0].Name(),
		n:          n,
		heapPer:    float64(int64(after.HeapInuse)-int64(before.HeapInuse)) / float64(n),
		goroutines: float64(g1-g0) / float64(n),
	}, nil
}

func printIdle(costs []idleCost) {
	fmt.Println()
	tw := tabwriter.NewWriter(os.Stdout, 0, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "idle clients\tclient\theap KiB/client\tgoroutines/client\t")
	for _, c := range costs {
		fmt.Fprintf(tw, "%d\t%s\t%.1f\t%.2f\t\n", c.n, c.client, c.heapPer/1024, c.goroutines)
	}
	tw.Flush()
}
