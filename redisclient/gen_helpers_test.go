package redisclient

// This file gives the hand-written tests of this package short names for
// the wire checks of package cmdtest (which the generated tests call).

import (
	"testing"

	"github.com/redkit-go/redkit/redisclient/cmdimpl/cmdtest"
)

// commander is any command value.
type commander = cmdtest.Commander

// wireCase is a built command and the argument vector it must send.
type wireCase struct {
	name string
	cmd  commander
	want []string
}

// checkWire compares the RESP encoding of c.cmd with that of c.want.
func checkWire(t *testing.T, c wireCase) {
	t.Helper()
	cmdtest.CheckWire(t, c.name, c.cmd, c.want)
}

// optionErrCase is a command built with run-time options that must fail:
// field is the OptionError's Field.
type optionErrCase struct {
	name  string
	cmd   commander
	field string
}

// checkOptionError checks that c.cmd fails to build with a BuildError
// wrapping an *OptionError for c.field, and sends nothing.
func checkOptionError(t *testing.T, c optionErrCase) {
	t.Helper()
	cmdtest.CheckOptionError(t, c.name, c.cmd, c.field)
}
