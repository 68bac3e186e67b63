package redisclient

// This file holds the helpers that the generated tests (*_gen_test.go)
// call: exact wire bytes of a built command, and decoding of RESP fixtures.

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// commander is any command value.
type commander interface {
	Command() (*transport.Command, error)
}

// wireCase is a built command and the argument vector it must send.
type wireCase struct {
	name string
	cmd  commander
	want []string
}

// checkZero checks that a zero command value is a BuildError matching
// transport.ErrEmptyCommand, never a command to send.
func checkZero(t *testing.T, c commander) {
	t.Helper()
	cmd, err := c.Command()
	var be *BuildError
	if !errors.As(err, &be) || !errors.Is(err, transport.ErrEmptyCommand) {
		t.Errorf("%T{}.Command() = %v, want a BuildError matching transport.ErrEmptyCommand", c, err)
	}
	if cmd != nil {
		t.Errorf("%T{}.Command() built a command: %q", c, cmd.AppendTo(nil))
		cmd.Release()
	}
}

// checkWire compares the RESP encoding of c.cmd with that of c.want.
func checkWire(t *testing.T, c wireCase) {
	t.Helper()
	cmd, err := c.cmd.Command()
	if err != nil {
		t.Errorf("%s: Command: %v", c.name, err)
		return
	}
	defer cmd.Release()
	got := cmd.AppendTo(nil)
	want := resp.AppendCommand(nil, c.want...)
	if !bytes.Equal(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", c.name, got, want)
	}
}

// readFixture parses one RESP value.
func readFixture(t testing.TB, fixture string) *resp.Reply {
	t.Helper()
	var r resp.Reply
	rd := resp.NewReader(strings.NewReader(fixture), 0, resp.Limits{})
	if err := rd.ReadReply(&r); err != nil {
		t.Fatalf("fixture %q: %v", fixture, err)
	}
	return &r
}

// checkDecode decodes fixture with dec and compares the result with want.
func checkDecode[T any](t *testing.T, name, fixture string, dec func(resp.Value) (T, error), want T) {
	t.Helper()
	r := readFixture(t, fixture)
	got, err := dec(r.Value())
	if err != nil {
		t.Errorf("%s: decode %q: %v", name, fixture, err)
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: decode %q: (-want +got)\n%s", name, fixture, diff)
	}
}

// fuzzDecoder adapts a decoder for the fuzz target's table.
func fuzzDecoder[T any](dec func(resp.Value) (T, error)) func(resp.Value) error {
	return func(v resp.Value) error {
		_, err := dec(v)
		return err
	}
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
	cmd, err := c.cmd.Command()
	if cmd != nil {
		t.Errorf("%s: built a command: %q", c.name, cmd.AppendTo(nil))
		cmd.Release()
		return
	}
	var be *BuildError
	var oe *OptionError
	if !errors.As(err, &be) || !errors.As(err, &oe) {
		t.Errorf("%s: Command() = %v, want a BuildError wrapping an *OptionError", c.name, err)
		return
	}
	if oe.Field != c.field {
		t.Errorf("%s: OptionError.Field = %q, want %q (%v)", c.name, oe.Field, c.field, err)
	}
}
