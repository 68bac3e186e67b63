package redisotel

// This file names operations (db.operation.name, db.operation.batch.size,
// db.stored_procedure.name) and writes the sanitized query text
// (db.query.text) from the commands a hook sees.

import (
	"strings"
	"sync"

	"github.com/redkit-go/redkit/spec"
	"github.com/redkit-go/redkit/transport"
)

// operation is what a hook call is, for its span name and attributes.
type operation struct {
	// name is db.operation.name and the span name.
	name string
	// batch is db.operation.batch.size, or -1 when not a batch.
	batch int
	// procedure is db.stored_procedure.name: the function of FCALL, the
	// digest of EVALSHA.
	procedure string
}

// describe names the operation of cmds: a command alone is its name; a
// transaction (MULTI ... EXEC, the SCRIPT LOADs redkit sends before it
// left out) is "MULTI", or "MULTI X" when its queued commands are all X; a
// pipeline is "PIPELINE", or "PIPELINE X" likewise. Batches of two or
// more commands (the queued ones for a transaction) have a batch size;
// an empty pipeline has size 0.
func describe(cmds []*transport.Command) operation {
	switch len(cmds) {
	case 0:
		return operation{name: "PIPELINE", batch: 0}
	case 1:
		return single(cmds[0])
	}
	if multi, exec := txBounds(cmds); multi >= 0 {
		op := batchOf("MULTI", cmds[multi+1:exec])
		if exec-multi-1 < 2 {
			op.batch = -1
		}
		return op
	}
	return batchOf("PIPELINE", cmds)
}

// single describes one command.
func single(c *transport.Command) operation {
	op := operation{name: c.Name(), batch: -1}
	args := c.Args()
	if len(args) > 1 {
		switch strings.ToUpper(args[0].Text()) {
		case "FCALL", "FCALL_RO", "EVALSHA", "EVALSHA_RO":
			op.procedure = args[1].Text()
		}
	}
	return op
}

// batchOf names a batch "<kind>" or "<kind> <name>" when every command
// has the same name.
func batchOf(kind string, cmds []*transport.Command) operation {
	op := operation{name: kind, batch: len(cmds)}
	if len(cmds) == 0 {
		return op
	}
	first := cmds[0].Name()
	for _, c := range cmds[1:] {
		if c.Name() != first {
			return op
		}
	}
	op.name = kind + " " + first
	return op
}

// txBounds returns the indexes of MULTI and of the EXEC after it, or -1s.
func txBounds(cmds []*transport.Command) (multi, exec int) {
	multi = -1
	for i, c := range cmds {
		args := c.Args()
		if len(args) != 1 {
			continue
		}
		switch name := args[0].Text(); {
		case multi < 0 && strings.EqualFold(name, "MULTI"):
			multi = i
		case multi >= 0 && strings.EqualFold(name, "EXEC"):
			return multi, i
		}
	}
	return -1, -1
}

// maxQueryText bounds db.query.text, in bytes.
const maxQueryText = 2048

// queryText is the sanitized text of cmds (see WithQueryText): one
// command's, or the commands' joined with "; " (once when they are all the
// same), cut at maxQueryText bytes.
func queryText(cmds []*transport.Command) string {
	var b strings.Builder
	var first string
	same := true
	for i, c := range cmds {
		t := sanitize(c)
		if i == 0 {
			first = t
		} else {
			same = same && t == first
			b.WriteString("; ")
		}
		b.WriteString(t)
		if b.Len() > maxQueryText {
			break
		}
	}
	if same {
		return first
	}
	s := b.String()
	if len(s) > maxQueryText {
		s = s[:maxQueryText]
	}
	return s
}

// hiddenArgs are the commands whose every argument is a placeholder:
// they carry credentials.
var hiddenArgs = map[string]bool{"AUTH": true, "HELLO": true}

// maxTokenLen bounds the arguments looked up as tokens (the longest
// option token of the specification is far shorter).
const maxTokenLen = 40

// sanitize renders one command as its name followed by its arguments,
// each an option token of the command or "?".
func sanitize(c *transport.Command) string {
	name := c.Name()
	args := c.Args()
	words := 1 + strings.Count(name, " ")
	if words > len(args) {
		words = len(args)
	}
	var b strings.Builder
	b.WriteString(name)
	upper := strings.ToUpper(name)
	var toks map[string]bool
	if !hiddenArgs[upper] {
		toks = tokens()[upper]
	}
	for _, a := range args[words:] {
		b.WriteByte(' ')
		if toks != nil && !a.IsKey() && !a.IsKeyPattern() {
			if t := a.Text(); len(t) <= maxTokenLen && toks[strings.ToUpper(t)] {
				b.WriteString(t)
				continue
			}
		}
		b.WriteByte('?')
	}
	return b.String()
}

var (
	tokensOnce sync.Once
	tokensBy   map[string]map[string]bool
)

// tokens returns the option tokens of each command of the embedded
// specification, by upper-case command name, loaded the first time query
// text is written. Without the specification, no argument shows.
func tokens() map[string]map[string]bool {
	tokensOnce.Do(func() {
		tokensBy = map[string]map[string]bool{}
		s, err := spec.Embedded()
		if err != nil {
			return
		}
		for _, c := range s.Commands {
			set := map[string]bool{}
			collectTokens(c.Arguments, set)
			if len(set) > 0 {
				tokensBy[strings.ToUpper(c.Name)] = set
			}
		}
	})
	return tokensBy
}

// collectTokens adds the tokens of an argument tree to set.
func collectTokens(args []*spec.Argument, set map[string]bool) {
	for _, a := range args {
		if strings.TrimSpace(a.Token) != "" {
			set[strings.ToUpper(a.Token)] = true
		}
		collectTokens(a.Arguments, set)
	}
}
