// Command bench compares redkit with go-redis v9 and rueidis: the same
// workloads against the same server, in one process, one after another. It
// prints operations per second and heap allocations per operation.
//
// With -cluster (seed addresses, comma separated) it runs the cluster
// workloads instead, with each library's cluster client: GET and SET from
// 256 goroutines and pipelines of 100 SETs whose keys span the slots:
//
//	scripts/with-cluster.sh sh -c 'cd bench && go run . -cluster "$REDIS_CLUSTER_SEEDS"'
//
// This module is separate from redkit's so that the peers never become
// dependencies of the library.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
)

// client is one library under test.
type client interface {
	Name() string
	Get(ctx context.Context, key string) error
	Set(ctx context.Context, key, value string) error
	// SetPipeline sets the keys in one pipeline.
	SetPipeline(ctx context.Context, keys []string, value string) error
	Close()
}

// workload is one measured scenario.
type workload struct {
	name       string
	goroutines int
	op         func(ctx context.Context, c client, g, i int) error
	perOp      int // operations per op call (pipeline length)
}

// result is one measurement.
type result struct {
	workload, client string
	ops              float64
	allocs           float64
	errors           int64
}

func main() {
	addr := flag.String("addr", "127.0.0.1:6379", "server address")
	duration := flag.Duration("duration", 3*time.Second, "measuring time of each run")
	clients := flag.String("clients", "redkit,go-redis,rueidis", "clients to run, comma separated")
	only := flag.String("workloads", "", "run only workloads whose name contains this text")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	clusterSeeds := flag.String("cluster", "", "run the cluster workloads against the Redis Cluster with these seed addresses (comma separated) instead of -addr")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}

	value := strings.Repeat("v", 16)
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = "bench:" + strconv.Itoa(i)
	}
	// The keys have no hash tags: on a cluster they spread over the slots
	// (the 100 keys of a pipeline reach every master).
	pipeKeys := keys[:100]
	get := func(g int) workload {
		return workload{name: fmt.Sprintf("GET x%d", g), goroutines: g, perOp: 1,
			op: func(ctx context.Context, c client, gi, i int) error { return c.Get(ctx, keys[(gi+i)%len(keys)]) }}
	}
	set := func(g int) workload {
		return workload{name: fmt.Sprintf("SET x%d", g), goroutines: g, perOp: 1,
			op: func(ctx context.Context, c client, gi, i int) error { return c.Set(ctx, keys[(gi+i)%len(keys)], value) }}
	}
	pipeline := func(g int) workload {
		return workload{name: fmt.Sprintf("pipeline 100 SET x%d", g), goroutines: g, perOp: len(pipeKeys),
			op: func(ctx context.Context, c client, _, _ int) error { return c.SetPipeline(ctx, pipeKeys, value) }}
	}
	connect := func(name string) (client, error) { return newClient(name, *addr) }
	var workloads []workload
	if *clusterSeeds != "" {
		var seeds []string
		for _, s := range strings.Split(*clusterSeeds, ",") {
			if s = strings.TrimSpace(s); s != "" {
				seeds = append(seeds, s)
			}
		}
		connect = func(name string) (client, error) { return newClusterClient(name, seeds) }
		for _, w := range []workload{get(256), set(256), pipeline(16), pipeline(256)} {
			w.name = "cluster " + w.name
			workloads = append(workloads, w)
		}
	} else {
		for _, g := range []int{1, 16, 256} {
			workloads = append(workloads, get(g), set(g))
		}
		workloads = append(workloads, pipeline(16))
	}

	var results []result
	for _, w := range workloads {
		if *only != "" && !strings.Contains(w.name, *only) {
			continue
		}
		for _, name := range strings.Split(*clients, ",") {
			c, err := connect(strings.TrimSpace(name))
			if err != nil {
				fmt.Fprintln(os.Stderr, "bench:", err)
				os.Exit(1)
			}
			// Fill the keys so GETs find values, and warm up connections.
			ctx := context.Background()
			for _, k := range keys {
				if err := c.Set(ctx, k, value); err != nil {
					fmt.Fprintf(os.Stderr, "bench: %s: warm-up: %v\n", c.Name(), err)
					os.Exit(1)
				}
			}
			results = append(results, run(c, w, *duration))
			c.Close()
		}
	}
	print(results)
}

// run measures one workload on one client.
func run(c client, w workload, d time.Duration) result {
	ctx := context.Background()
	var stop atomic.Bool
	var ops, errs atomic.Int64
	var wg sync.WaitGroup
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	for g := 0; g < w.goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			n := 0
			for i := 0; !stop.Load(); i++ {
				if err := w.op(ctx, c, g, i); err != nil {
					errs.Add(1)
				}
				n++
			}
			ops.Add(int64(n))
		}(g)
	}
	time.Sleep(d)
	stop.Store(true)
	wg.Wait()
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	total := float64(ops.Load() * int64(w.perOp))
	return result{
		workload: w.name, client: c.Name(),
		ops:    total / elapsed.Seconds(),
		allocs: float64(after.Mallocs-before.Mallocs) / total,
		errors: errs.Load(),
	}
}

func print(results []result) {
	tw := tabwriter.NewWriter(os.Stdout, 0, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "workload\tclient\tops/s\tallocs/op\terrors\t")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%s\t%.0f\t%.2f\t%d\t\n", r.workload, r.client, r.ops, r.allocs, r.errors)
	}
	tw.Flush()
}
