package transport

// Benchmarks of the node against the in-process fake server. The fake
// server does not allocate for GET and SET of existing keys, so the
// allocations reported are the client's.

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
)

const benchKeys = 256

func benchSetup(b *testing.B, mutate func(*NodeConfig)) (*fakeServer, *Node, []string) {
	b.Helper()
	s := newFakeServer(b, fakeOptions{})
	n := newTestNode(b, s, mutate)
	waitConnected(b, n)
	keys := make([]string, benchKeys)
	for i := range keys {
		keys[i] = fmt.Sprintf("bench:key:%d", i)
		s.Set(0, keys[i], "initial-value-0123456789")
	}
	return s, n, keys
}

func buildSet(cmd *Command, key, val string) {
	cmd.SetMeta(Meta{Flags: FlagWrite})
	cmd.Append(String("SET"))
	cmd.Append(Key(key))
	cmd.Append(String(val))
}

func buildGet(cmd *Command, key string) {
	cmd.SetMeta(Meta{Flags: FlagReadOnly | FlagCacheable})
	cmd.Append(String("GET"))
	cmd.Append(Key(key))
}

// BenchmarkNodeSetParallel: SET from many goroutines, auto-pipelined.
func BenchmarkNodeSetParallel(b *testing.B) {
	s, n, keys := benchSetup(b, nil)
	ctx := context.Background()
	const val = "value-0123456789-0123456789"
	var next atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(32)
	start := s.reads.Load()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		key := keys[next.Add(1)%benchKeys]
		for pb.Next() {
			cmd := AcquireCommand()
			buildSet(cmd, key, val)
			if err := n.Do(ctx, cmd); err != nil {
				b.Error(err)
				return
			}
			if cmd.Reply().Err() != nil {
				b.Error(cmd.Reply().Err())
			}
			cmd.Release()
		}
	})
	b.StopTimer()
	if reads := s.reads.Load() - start; reads > 0 {
		b.ReportMetric(float64(b.N)/float64(reads), "cmds/read")
	}
}

// BenchmarkNodeGetSerial: one GET at a time (round-trip latency).
func BenchmarkNodeGetSerial(b *testing.B) {
	_, n, keys := benchSetup(b, nil)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		cmd := AcquireCommand()
		buildGet(cmd, keys[i%benchKeys])
		i++
		if err := n.Do(ctx, cmd); err != nil {
			b.Fatal(err)
		}
		if len(cmd.Reply().Bytes()) == 0 {
			b.Fatal("empty reply")
		}
		cmd.Release()
	}
}

// BenchmarkNodeGetParallel: GET from many goroutines, with contexts that
// carry a deadline (the common case in services).
func BenchmarkNodeGetParallel(b *testing.B) {
	_, n, keys := benchSetup(b, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 1<<40)
	defer cancel()
	var next atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		key := keys[next.Add(1)%benchKeys]
		for pb.Next() {
			cmd := AcquireCommand()
			buildGet(cmd, key)
			if err := n.Do(ctx, cmd); err != nil {
				b.Error(err)
				return
			}
			cmd.Release()
		}
	})
}

// BenchmarkNodeDoMulti: batches of 64 SETs.
func BenchmarkNodeDoMulti(b *testing.B) {
	_, n, keys := benchSetup(b, nil)
	ctx := context.Background()
	cmds := make([]*Command, 64)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i := range cmds {
			cmds[i] = AcquireCommand()
			buildSet(cmds[i], keys[i], "v")
		}
		if err := n.DoMulti(ctx, cmds); err != nil {
			b.Fatal(err)
		}
		for _, c := range cmds {
			if c.Err() != nil {
				b.Fatal(c.Err())
			}
			c.Release()
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(cmds)), "ns/cmd")
}

// BenchmarkConnDo: one dedicated connection, no pipelining.
func BenchmarkConnDo(b *testing.B) {
	s := newFakeServer(b, fakeOptions{})
	s.Set(0, "k", "v")
	c, err := Dial(context.Background(), &DialConfig{Addr: s.addr})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		cmd := AcquireCommand()
		buildGet(cmd, "k")
		if err := c.Do(ctx, cmd); err != nil {
			b.Fatal(err)
		}
		cmd.Release()
	}
}

// TestNodeDoAllocs guards the allocation-free path of Node.Do (the fake
// server does not allocate either). A context that can be cancelled costs
// the two allocations of context.AfterFunc on the direct path, which
// interrupts the caller's own read when it ends.
func TestNodeDoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless with -race")
	}
	s := newFakeServer(t, fakeOptions{})
	n := newTestNode(t, s, nil)
	waitConnected(t, n)
	s.Set(0, "k", "v")
	timeout, cancel := context.WithTimeout(context.Background(), 1<<40)
	defer cancel()
	for _, tc := range []struct {
		ctx    context.Context
		allocs float64
	}{{context.Background(), 0}, {timeout, 2}} {
		for name, build := range map[string]func(*Command){
			"SET": func(c *Command) { buildSet(c, "k", "value") },
			"GET": func(c *Command) { buildGet(c, "k") },
		} {
			allocs := testing.AllocsPerRun(2000, func() {
				cmd := AcquireCommand()
				build(cmd)
				if err := n.Do(tc.ctx, cmd); err != nil {
					t.Fatal(err)
				}
				cmd.Release()
			})
			if allocs > tc.allocs {
				t.Errorf("%s with %v: %v allocations per Do, want at most %v", name, tc.ctx, allocs, tc.allocs)
			}
		}
	}
}
