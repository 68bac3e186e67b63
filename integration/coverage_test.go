package integration

// This file measures the suite's command coverage: which of the commands
// the server under test supports (its COMMAND table, subcommands of
// containers counted one by one) the suite sent, per protocol, through the
// clients of Server.Options and of the cluster and sentinel fixtures, and
// on their dedicated connections through Client.Observe. With
// REDKIT_COVERAGE_FILE set, a passing run appends the figures to that file
// (make integration prints it); it asserts nothing (the suite's own tests
// do).

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
)

// coverageExcluded are commands the suite does not run on purpose, with
// why: they end the server, replicate, or are internal.
var coverageExcluded = map[string]string{
	"shutdown":       "ends the shared server",
	"sync":           "replication stream, not a command reply",
	"psync":          "replication stream, not a command reply",
	"replconf":       "replication internals",
	"debug":          "crashes or reconfigures the server",
	"pfdebug":        "HyperLogLog internals",
	"pfselftest":     "HyperLogLog internals",
	"restore-asking": "cluster slot migration internals",
	// Redis 8.4+ and Valkey 9.0+ both refuse it from ordinary clients
	// ("only allowed for internal clients", "should only be used by slot
	// migration clients"); CLUSTER MIGRATION (Redis) drives it.
	"cluster|syncslots": "atomic slot migration's node-to-node protocol",
	"module|load":       "the images carry no module",
	"module|loadex":     "the images carry no module",
	"module|unload":     "the images carry no module",
}

// commandCoverage records the commands sent per protocol.
var commandCoverage = struct {
	mu   sync.Mutex
	sent map[int]map[string]bool
}{sent: map[int]map[string]bool{2: {}, 3: {}}}

// coverageHook records each command's name (and container|subcommand)
// once it is done, unless the client refused it unsent as another server's
// syntax (transport.UnsupportedServerError).
func coverageHook(proto int) redisclient.Hook {
	if proto != 2 {
		proto = 3
	}
	return redisclient.HookFunc(func(ctx context.Context, cmds []*transport.Command) (context.Context, func(error)) {
		return ctx, func(err error) {
			commandCoverage.mu.Lock()
			defer commandCoverage.mu.Unlock()
			for _, c := range cmds {
				args := c.Args()
				if len(args) == 0 || refusedUnsent(c, err, len(cmds) == 1) {
					continue
				}
				name := strings.ToLower(args[0].Text())
				commandCoverage.sent[proto][name] = true
				if len(args) > 1 {
					commandCoverage.sent[proto][name+"|"+strings.ToLower(args[1].Text())] = true
				}
			}
		}
	})
}

// refusedUnsent reports a command the client refused to send: another
// server's syntax, or a connection-state command on a shared connection.
// Its own error says so, or, alone in its call, the call's.
func refusedUnsent(c *transport.Command, callErr error, alone bool) bool {
	refused := func(err error) bool {
		var ue *transport.UnsupportedServerError
		var ce *transport.ConnStateError
		return errors.As(err, &ue) || errors.As(err, &ce)
	}
	return refused(c.Err()) || (alone && refused(callErr))
}

// serverCommands lists the commands s supports: top-level commands, and
// the subcommands of containers instead of the containers.
func serverCommands(s *Server) ([]string, error) {
	// A client without the coverage hook: listing the commands is not
	// running COMMAND.
	opts := s.Options(3)
	opts.Hooks = nil
	c, err := redisclient.New(opts)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	table, err := redisclient.Raw("COMMAND").Do(ctx, c)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, cmd := range table.Elems {
		if len(cmd.Elems) == 0 {
			continue
		}
		var subs []string
		if len(cmd.Elems) > 9 {
			for _, sub := range cmd.Elems[9].Elems {
				if len(sub.Elems) > 0 {
					subs = append(subs, strings.ToLower(sub.Elems[0].Str))
				}
			}
		}
		if len(subs) == 0 {
			subs = []string{strings.ToLower(cmd.Elems[0].Str)}
		}
		names = append(names, subs...)
	}
	sort.Strings(names)
	return names, nil
}

// reportCoverage prints, for the server s, how many of its commands the
// suite sent on each protocol, and which it did not.
func reportCoverage(w io.Writer, s *Server) {
	names, err := serverCommands(s)
	if err != nil {
		fmt.Fprintf(w, "integration: coverage: cannot list the server's commands: %v\n", err)
		return
	}
	commandCoverage.mu.Lock()
	defer commandCoverage.mu.Unlock()
	var total int
	missing := map[int][]string{}
	covered := map[int]int{}
	for _, n := range names {
		if _, ok := coverageExcluded[n]; ok {
			continue
		}
		total++
		for _, p := range []int{2, 3} {
			if commandCoverage.sent[p][n] {
				covered[p]++
			} else {
				missing[p] = append(missing[p], n)
			}
		}
	}
	fmt.Fprintf(w, "integration: command coverage on %s (%d commands, %d excluded on purpose):\n", redisImage, total, len(names)-total)
	for _, p := range []int{2, 3} {
		fmt.Fprintf(w, "  RESP%d: %d of %d sent (%.1f%%); not sent: %s\n", p, covered[p], total,
			100*float64(covered[p])/float64(max(total, 1)), strings.Join(missing[p], " "))
	}
}
