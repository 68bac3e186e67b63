package main

// This file checks the measured figures against the targets of the speed
// issue: throughput ratios to rueidis and to redis-benchmark (one caller,
// pipelines, and 16 and 256 callers on a single server; one caller and
// pipelines on a cluster), p99 latency no worse than rueidis's in every
// cell, and idle heap no larger than go-redis's. Each target is printed
// with its figures and "ok" or "MISS".

import "fmt"

// target is one check.
type target struct {
	what string
	ok   bool
	got  string
}

func printTargets(results []result, mem []idleCost, cluster bool) {
	find := func(workload, client string) (result, bool) {
		for _, r := range results {
			if r.workload == workload && r.client == client {
				return r, true
			}
		}
		return result{}, false
	}
	var ts []target
	ratio := func(workload, other string, want float64) {
		me, ok1 := find(workload, "redkit")
		them, ok2 := find(workload, other)
		if !ok1 || !ok2 || them.ops == 0 {
			return
		}
		r := me.ops / them.ops
		ts = append(ts, target{
			what: fmt.Sprintf("%s: redkit at least %.1fx %s", workload, want, other),
			ok:   r >= want,
			got:  fmt.Sprintf("%.2fx (%.0f vs %.0f ops/s)", r, me.ops, them.ops),
		})
	}
	p99 := func(workload string) {
		me, ok1 := find(workload, "redkit")
		them, ok2 := find(workload, "rueidis")
		if !ok1 || !ok2 {
			return
		}
		ts = append(ts, target{
			what: fmt.Sprintf("%s: redkit p99 at or below rueidis's", workload),
			ok:   me.p99 <= them.p99,
			got:  fmt.Sprintf("%v vs %v", me.p99, them.p99),
		})
	}
	prefix := ""
	if cluster {
		prefix = "cluster "
	}
	for _, w := range []string{"GET x1", "SET x1"} {
		ratio(prefix+w, "rueidis", 1.1)
		if !cluster {
			ratio(w, "redis-benchmark", 0.9)
		}
	}
	for _, g := range []string{"x1", "x16", "x256"} {
		ratio(prefix+"pipeline 100 SET "+g, "rueidis", 1.1)
	}
	if !cluster {
		ratio("pipeline 100 SET x1", "redis-benchmark", 0.8)
		for _, w := range []string{"GET x16", "SET x16"} {
			ratio(w, "rueidis", 1.5)
		}
	}
	if !cluster {
		for _, w := range []string{"GET x256", "SET x256"} {
			ratio(w, "rueidis", 2.5)
		}
	}
	for _, r := range results {
		if r.client == "redkit" {
			p99(r.workload)
		}
	}
	for _, n := range []int{200, 1000} {
		if cluster {
			break // the idle target is a single server's client's
		}
		var me, gr *idleCost
		for i := range mem {
			if mem[i].n == n && mem[i].client == "redkit" {
				me = &mem[i]
			}
			if mem[i].n == n && mem[i].client == "go-redis" {
				gr = &mem[i]
			}
		}
		if me != nil && gr != nil {
			ts = append(ts, target{
				what: fmt.Sprintf("%d idle clients: redkit heap per client at or below go-redis's", n),
				ok:   me.heapPer <= gr.heapPer,
				got:  fmt.Sprintf("%.1f vs %.1f KiB; goroutines %.2f vs %.2f", me.heapPer/1024, gr.heapPer/1024, me.goroutines, gr.goroutines),
			})
		}
	}
	if len(ts) == 0 {
		return
	}
	fmt.Println()
	missed := 0
	for _, t := range ts {
		mark := "ok  "
		if !t.ok {
			mark = "MISS"
			missed++
		}
		fmt.Printf("%s %s: %s\n", mark, t.what, t.got)
	}
	fmt.Printf("targets: %d of %d met\n", len(ts)-missed, len(ts))
}
