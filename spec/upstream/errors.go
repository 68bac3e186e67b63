package upstream

import "strings"

// Error is a problem found in one specification source (or, for cross
// checks, in the merge of several). Its message names the file, the command
// and the field, as in
//
//	redis-src-commands.json: command XADD: arguments[3].type: unknown type "foo"
type Error struct {
	// File is the source's name (the file's base name); empty for problems
	// found while merging that no single source is to blame for, whose
	// message then starts with "merge".
	File string
	// Command is the full command name ("CONFIG GET"); empty when the
	// problem is not inside one command.
	Command string
	// Field is the path of the offending field inside the command (or the
	// file), such as "arguments[3].type" or "reply_schema.oneOf[1].items".
	Field string
	// Msg says what is wrong.
	Msg string
}

func (e *Error) Error() string {
	parts := make([]string, 0, 4)
	if e.File != "" {
		parts = append(parts, e.File)
	} else {
		parts = append(parts, "merge")
	}
	if e.Command != "" {
		parts = append(parts, "command "+e.Command)
	}
	if e.Field != "" {
		parts = append(parts, e.Field)
	}
	parts = append(parts, e.Msg)
	return strings.Join(parts, ": ")
}
