// Command bench compares redkit with go-redis v9 and rueidis: the same
// workloads against the same server, in one process. Each workload runs
// every client in turn for several short rounds (so that a noisy moment of
// the machine hits every client alike) and reports the median round:
// operations per second, heap allocations per operation, and the latency
// of every 16th call (p50 and p99), and the process's CPU time per
// operation (which shows what waiting costs: a client that polls for a
// reply spends CPU while it waits). redis-benchmark, run on the same
// server in the same run, is the reference line of each workload. Then it
// measures what idle connected clients hold (heap and goroutines), and
// checks the targets of the project's speed issue, printing each with its
// figures.
//
//	scripts/with-redis.sh sh -c 'cd bench && go run . -addr "$REDIS_ADDR"'
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
	"os/exec"
	"regexp"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
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
	kind       string // "GET", "SET" or "pipeline"
	goroutines int
	op         func(ctx context.Context, c client, g, i int) error
	perOp      int // operations per op call (pipeline length)
}

// result is one measurement (the median round).
type result struct {
	workload, client string
	ops              float64
	allocs           float64
	p50, p99         time.Duration
	cpu              time.Duration // process CPU time (user and system) per operation
	errors           int64
}

// sampleEvery is how often a call's latency is recorded.
const sampleEvery = 16

func main() {
	addr := flag.String("addr", "127.0.0.1:6379", "server address")
	duration := flag.Duration("duration", time.Second, "measuring time of each round of each client")
	rounds := flag.Int("rounds", 3, "rounds per workload and client; the median round is reported")
	clients := flag.String("clients", "redkit,go-redis,rueidis", "clients to run, comma separated")
	only := flag.String("workloads", "", "run only workloads whose name matches this regular expression")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	memProfile := flag.String("memprofile", "", "write an allocation profile of the whole run to this file")
	clusterSeeds := flag.String("cluster", "", "run the cluster workloads against the Redis Cluster with these seed addresses (comma separated) instead of -addr")
	refTool := flag.String("redis-benchmark", "redis-benchmark", "redis-benchmark binary for the reference lines (empty: none)")
	idle := flag.Bool("idle", true, "measure the heap and goroutines held by idle connected clients")
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

	if *memProfile != "" {
		runtime.MemProfileRate = 4096
		defer func() {
			f, err := os.Create(*memProfile)
			if err != nil {
				fmt.Fprintln(os.Stderr, "bench:", err)
				return
			}
			pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}()
	}

	value := strings.Repeat("v", 16)
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = "bench:" + strconv.Itoa(i)
	}
	// The keys have no hash tags: on a cluster they spread over the slots
	// (the 100 keys of a pipeline reach every master). Each goroutine's
	// pipelines start at its own offset.
	get := func(g int) workload {
		return workload{name: fmt.Sprintf("GET x%d", g), kind: "GET", goroutines: g, perOp: 1,
			op: func(ctx context.Context, c client, gi, i int) error { return c.Get(ctx, keys[(gi+i)%len(keys)]) }}
	}
	set := func(g int) workload {
		return workload{name: fmt.Sprintf("SET x%d", g), kind: "SET", goroutines: g, perOp: 1,
			op: func(ctx context.Context, c client, gi, i int) error { return c.Set(ctx, keys[(gi+i)%len(keys)], value) }}
	}
	pipeline := func(g int) workload {
		return workload{name: fmt.Sprintf("pipeline 100 SET x%d", g), kind: "pipeline", goroutines: g, perOp: 100,
			op: func(ctx context.Context, c client, gi, _ int) error {
				start := (gi * 100) % (len(keys) - 100)
				return c.SetPipeline(ctx, keys[start:start+100], value)
			}}
	}
	connect := func(name string) (client, error) { return newClient(name, *addr) }
	var workloads []workload
	cluster := *clusterSeeds != ""
	var seeds []string
	if cluster {
		for _, s := range strings.Split(*clusterSeeds, ",") {
			if s = strings.TrimSpace(s); s != "" {
				seeds = append(seeds, s)
			}
		}
		connect = func(name string) (client, error) { return newClusterClient(name, seeds) }
		for _, w := range []workload{get(1), set(1), get(256), set(256), pipeline(1), pipeline(16), pipeline(256)} {
			w.name = "cluster " + w.name
			workloads = append(workloads, w)
		}
	} else {
		for _, g := range []int{1, 16, 256} {
			workloads = append(workloads, get(g), set(g))
		}
		for _, g := range []int{1, 16, 256} {
			workloads = append(workloads, pipeline(g))
		}
	}
	names := strings.Split(*clients, ",")
	for i := range names {
		names[i] = strings.TrimSpace(names[i])
	}

	fmt.Printf("bench: %s, GOMAXPROCS %d, %s; %d rounds of %v per client and workload, median round reported\n",
		runtime.Version(), runtime.GOMAXPROCS(0), map[bool]string{false: "server " + *addr, true: "cluster " + *clusterSeeds}[cluster], *rounds, *duration)
	var results []result
	match, err := regexp.Compile(*only)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: -workloads:", err)
		os.Exit(2)
	}
	for _, w := range workloads {
		if !match.MatchString(w.name) {
			continue
		}
		cs := make([]client, len(names))
		for i, name := range names {
			c, err := connect(name)
			if err != nil {
				fmt.Fprintln(os.Stderr, "bench:", err)
				os.Exit(1)
			}
			// Fill the keys so GETs find values, and warm up connections.
			for _, k := range keys {
				if err := c.Set(context.Background(), k, value); err != nil {
					fmt.Fprintf(os.Stderr, "bench: %s: warm-up: %v\n", c.Name(), err)
					os.Exit(1)
				}
			}
			cs[i] = c
		}
		samples := make([][]result, len(cs))
		for range *rounds {
			for i, c := range cs {
				samples[i] = append(samples[i], run(c, w, *duration))
			}
		}
		for i, c := range cs {
			results = append(results, median(samples[i]))
			c.Close()
		}
		if *refTool != "" && !cluster {
			if r, err := reference(*refTool, *addr, w); err != nil {
				fmt.Fprintf(os.Stderr, "bench: %s: %v\n", *refTool, err)
			} else {
				results = append(results, r)
			}
		}
	}
	print(results)
	var mem []idleCost
	if *idle && *only == "" {
		for _, n := range []int{200, 1000} {
			for _, name := range names {
				cost, err := measureIdle(n, func() (client, error) { return connect(name) }, keys[0])
				if err != nil {
					fmt.Fprintln(os.Stderr, "bench: idle clients:", err)
					os.Exit(1)
				}
				mem = append(mem, cost)
			}
		}
		printIdle(mem)
	}
	printTargets(results, mem, cluster)
}

// median returns the round with the median throughput, with latency
// percentiles and allocations of that round.
func median(rs []result) result {
	slices.SortFunc(rs, func(a, b result) int {
		switch {
		case a.ops < b.ops:
			return -1
		case a.ops > b.ops:
			return 1
		}
		return 0
	})
	return rs[len(rs)/2]
}

// run measures one round of one workload on one client.
func run(c client, w workload, d time.Duration) result {
	ctx := context.Background()
	var stop atomic.Bool
	var ops, errs atomic.Int64
	var wg sync.WaitGroup
	lat := make([][]time.Duration, w.goroutines)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu0 := processCPU()
	start := time.Now()
	for g := 0; g < w.goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			n := 0
			samples := make([]time.Duration, 0, 1024)
			for i := 0; !stop.Load(); i++ {
				var t0 time.Time
				timed := i%sampleEvery == 0
				if timed {
					t0 = time.Now()
				}
				if err := w.op(ctx, c, g, i); err != nil {
					errs.Add(1)
				}
				if timed {
					samples = append(samples, time.Since(t0))
				}
				n++
			}
			lat[g] = samples
			ops.Add(int64(n))
		}(g)
	}
	time.Sleep(d)
	stop.Store(true)
	wg.Wait()
	elapsed := time.Since(start)
	cpu := processCPU() - cpu0
	runtime.ReadMemStats(&after)
	var all []time.Duration
	for _, s := range lat {
		all = append(all, s...)
	}
	slices.Sort(all)
	total := float64(ops.Load() * int64(w.perOp))
	return result{
		workload: w.name, client: c.Name(),
		ops:    total / elapsed.Seconds(),
		allocs: float64(after.Mallocs-before.Mallocs) / total,
		p50:    percentile(all, 0.50),
		p99:    percentile(all, 0.99),
		cpu:    time.Duration(float64(cpu) / total),
		errors: errs.Load(),
	}
}

// processCPU returns the CPU time (user and system) the process used so
// far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*q))]
}

// reference runs redis-benchmark for the workload on the same server:
// the same command, value size, key space and concurrency.
func reference(tool, addr string, w workload) (result, error) {
	host, port, ok := strings.Cut(addr, ":")
	if !ok {
		return result{}, fmt.Errorf("address %q has no port", addr)
	}
	test, requests := "get", 30000*w.goroutines
	args := []string{"-h", host, "-p", port, "-c", strconv.Itoa(w.goroutines), "-d", "16", "-r", "1024", "--csv"}
	switch w.kind {
	case "SET":
		test = "set"
	case "pipeline":
		test = "set"
		requests = 100000 * w.goroutines
		args = append(args, "-P", "100")
	}
	requests = min(max(requests, 30000), 2000000)
	args = append(args, "-t", test, "-n", strconv.Itoa(requests))
	out, err := exec.Command(tool, args...).Output()
	if err != nil {
		return result{}, err
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 2 {
		return result{}, fmt.Errorf("unexpected output %q", out)
	}
	f := strings.Split(strings.ReplaceAll(lines[len(lines)-1], `"`, ""), ",")
	if len(f) < 7 {
		return result{}, fmt.Errorf("unexpected CSV line %q", lines[len(lines)-1])
	}
	rps, _ := strconv.ParseFloat(f[1], 64)
	ms := func(s string) time.Duration {
		v, _ := strconv.ParseFloat(s, 64)
		return time.Duration(v * float64(time.Millisecond))
	}
	return result{workload: w.name, client: "redis-benchmark", ops: rps, allocs: -1, p50: ms(f[4]), p99: ms(f[6])}, nil
}

func print(results []result) {
	tw := tabwriter.NewWriter(os.Stdout, 0, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "workload\tclient\tops/s\tallocs/op\tCPU µs/op\tp50 µs\tp99 µs\terrors\t")
	for _, r := range results {
		allocs, cpu := fmt.Sprintf("%.2f", r.allocs), fmt.Sprintf("%.2f", float64(r.cpu)/float64(time.Microsecond))
		if r.allocs < 0 {
			allocs, cpu = "-", "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%.0f\t%s\t%s\t%.0f\t%.0f\t%d\t\n", r.workload, r.client, r.ops, allocs, cpu,
			float64(r.p50)/float64(time.Microsecond), float64(r.p99)/float64(time.Microsecond), r.errors)
	}
	tw.Flush()
}
