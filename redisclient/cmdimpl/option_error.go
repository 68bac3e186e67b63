package cmdimpl

// This file is part of the runtime of generated commands: the error of the
// run-time options forms (the generated <Command>Options structs taken by
// With), an option value that cannot be sent. A command built with one
// fails with a *BuildError wrapping it.

import "fmt"

// OptionError reports an option of an options struct that cannot be sent:
// an invalid enum value, an empty required part, or a combination the
// server refuses.
type OptionError struct {
	// Field is the field's Go path ("XAddOptions.Trim.Threshold"); for a
	// refused combination, the fields involved, separated by " and ".
	Field string
	// Reason says what is wrong.
	Reason string
}

func (e *OptionError) Error() string { return e.Field + ": " + e.Reason }

// InvalidOption is the error of an enum field holding a value that is not
// one of its constants.
func InvalidOption(field string, value string) error {
	return &OptionError{Field: field, Reason: fmt.Sprintf("invalid value %q", value)}
}

// MissingOption is the error of a required part left empty.
func MissingOption(field string) error {
	return &OptionError{Field: field, Reason: "required, but empty"}
}
