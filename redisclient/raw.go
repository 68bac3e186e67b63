package redisclient

// This file is the raw escape hatch: a command built from its name and
// arguments, which gets the same flags and key positions as a generated
// one when the spec knows the command.

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/transport"
)

// commandInfo is what the spec says about a command, for raw commands.
type commandInfo struct {
	meta transport.Meta
	keys []keySpec
}

// keySpec is a key specification: where keys start (an index, or after a
// keyword) and how they continue (a range, or a count argument).
type keySpec struct {
	// begin search
	index     int
	keyword   string
	startFrom int
	unknown   bool
	// find keys
	lastKey, keyStep, limit int
	keyNum                  bool
	keyNumIdx, firstKey     int
	notKey                  bool
}

// lookupCommand finds the table entry for an argument vector: a
// "CONTAINER SUB" name first, then the command name; words is how many
// leading arguments name it.
func lookupCommand(args []string) (ci commandInfo, words int, ok bool) {
	if len(args) == 0 {
		return commandInfo{}, 0, false
	}
	name := strings.ToUpper(args[0])
	if len(args) > 1 {
		if ci, ok := commandTable[name+" "+strings.ToUpper(args[1])]; ok {
			return ci, 2, true
		}
	}
	ci, ok = commandTable[name]
	return ci, 1, ok
}

// keyPositions returns the positions of the keys in args by the key specs,
// and false when a spec cannot be resolved (unknown or malformed).
func keyPositions(specs []keySpec, args []string) ([]int, bool) {
	var out []int
	complete := true
	for _, ks := range specs {
		if ks.notKey {
			continue
		}
		if ks.unknown {
			// This spec's keys cannot be located (SORT's BY/GET patterns,
			// say): keep the others, but report the keys incomplete.
			complete = false
			continue
		}
		first := ks.index
		if ks.keyword != "" {
			first = -1
			if ks.startFrom >= 0 {
				for i := ks.startFrom; i < len(args); i++ {
					if strings.EqualFold(args[i], ks.keyword) {
						first = i + 1
						break
					}
				}
			} else {
				for i := len(args) + ks.startFrom; i > 0; i-- {
					if strings.EqualFold(args[i], ks.keyword) {
						first = i + 1
						break
					}
				}
			}
			if first < 0 {
				continue // the keyword is absent: no keys from this spec
			}
		}
		if first >= len(args) {
			continue
		}
		step := ks.keyStep
		if step <= 0 {
			step = 1
		}
		var last int
		if ks.keyNum {
			i := first + ks.keyNumIdx
			if i >= len(args) {
				return nil, false
			}
			n, err := strconv.Atoi(args[i])
			if err != nil || n < 0 {
				return nil, false
			}
			first += ks.firstKey
			last = first + (n-1)*step
		} else {
			switch {
			case ks.lastKey >= 0:
				last = first + ks.lastKey
			case ks.limit <= 1:
				last = len(args) + ks.lastKey
			default:
				last = first + (len(args)-first)/ks.limit + ks.lastKey
			}
		}
		if last >= len(args) {
			return nil, false
		}
		for i := first; i <= last; i += step {
			out = append(out, i)
		}
	}
	return out, complete
}

// Raw builds a command from its name and arguments: an escape hatch for
// commands without a builder (or from a newer server), and for full
// control. Arguments are values as command values take them (strings,
// []byte, numbers, bools, encoding.TextMarshaler; see Scalar); one of
// another kind is a BuildError. When the spec knows the command, the
// command gets the same flags and key positions as the generated builder,
// so key prefixing and cluster routing work; otherwise it has no keys and
// is never retried. A raw command goes to any server as written: unlike a
// builder, it is never refused as another server's syntax
// (transport.UnsupportedServerError); the server answers.
func Raw(args ...any) RawCmd {
	var c RawCmd
	argv := make([]transport.Arg, len(args))
	words := make([]string, len(args))
	for i, a := range args {
		arg, err := cmdimpl.AnyArg(a)
		if err != nil {
			c.b.Fail(fmt.Errorf("argument %d: %w", i, err))
			return c
		}
		argv[i], words[i] = arg, arg.Text()
	}
	ci, nameWords, known := lookupCommand(words)
	keys := map[int]bool{}
	if known {
		meta := ci.meta
		meta.Servers = 0
		c.b.Start(meta)
		pos, complete := keyPositions(ci.keys, words)
		for _, p := range pos {
			keys[p] = true
		}
		if !complete {
			// Some keys cannot be located: a cached reply could miss
			// their invalidations. (Key prefixing and routing use the
			// keys that were located; SORT's BY and GET patterns are
			// prefixed by the Sort builder, not by Raw.)
			c.b.ClearFlags(transport.FlagCacheable)
		}
	}
	for i, a := range argv {
		pos := uint16(i)
		if i < nameWords {
			// A subcommand's name shares the command's position, so
			// that the command's Name is both words (CONFIG GET).
			pos = 0
		}
		if keys[i] {
			c.b.Key(pos, words[i])
		} else {
			c.b.Add(pos, a)
		}
	}
	return c
}

// RawStrings is Raw for arguments that are all strings (a command line
// split into words, say).
func RawStrings(args ...string) RawCmd {
	vals := make([]any, len(args))
	for i, a := range args {
		vals[i] = a
	}
	return Raw(vals...)
}

// RawCmd is a command built by Raw. It is a plain value.
type RawCmd struct{ b cmdimpl.Builder }

// Do runs the command on d and returns its reply as a generic value.
func (c RawCmd) Do(ctx context.Context, d Doer) (Value, error) {
	cmd, err := c.b.Run(ctx, d)
	return cmdimpl.DecodeCmd(cmd, err, cmdimpl.DecodeAny)
}

// Queue adds the command to a pipeline or transaction.
func (c RawCmd) Queue(q Queuer) *Future[Value] {
	cmd, err := c.b.Build()
	return cmdimpl.QueueCmd(q, cmd, err, cmdimpl.DecodeAny)
}

// Command builds the transport-level command. The caller releases it.
func (c RawCmd) Command() (*transport.Command, error) { return c.b.Build() }
