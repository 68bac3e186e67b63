// Package cmdtest is the test support of generated command packages: the
// helpers that the generated tests (*_gen_test.go) and the hand-written
// tests of reply decoders call, to check the exact wire bytes of a built
// command and to decode RESP fixtures. It belongs to the runtime layer
// (package cmdimpl) and is for tests only.
package cmdtest

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// Commander is any command value.
type Commander interface {
	Command() (*transport.Command, error)
}

// CheckZero checks that a zero command value is a BuildError matching
// transport.ErrEmptyCommand, never a command to send.
func CheckZero(t *testing.T, c Commander) {
	t.Helper()
	cmd, err := c.Command()
	var be *cmdimpl.BuildError
	if !errors.As(err, &be) || !errors.Is(err, transport.ErrEmptyCommand) {
		t.Errorf("%T{}.Command() = %v, want a BuildError matching transport.ErrEmptyCommand", c, err)
	}
	if cmd != nil {
		t.Errorf("%T{}.Command() built a command: %q", c, cmd.AppendTo(nil))
		cmd.Release()
	}
}

// CheckOptionError checks that c fails to build with a BuildError wrapping
// an *cmdimpl.OptionError for field, and sends nothing.
func CheckOptionError(t *testing.T, name string, c Commander, field string) {
	t.Helper()
	err := buildError(t, name, c)
	if err == nil {
		return
	}
	var be *cmdimpl.BuildError
	var oe *cmdimpl.OptionError
	if !errors.As(err, &be) || !errors.As(err, &oe) {
		t.Errorf("%s: Command() = %v, want a BuildError wrapping an *OptionError", name, err)
		return
	}
	if oe.Field != field {
		t.Errorf("%s: OptionError.Field = %q, want %q (%v)", name, oe.Field, field, err)
	}
}

// buildError builds c, which must fail, and returns its build error; nil
// (an error of t) when c built.
func buildError(t *testing.T, name string, c Commander) error {
	t.Helper()
	cmd, err := c.Command()
	if cmd != nil {
		t.Errorf("%s: built a command: %q", name, cmd.AppendTo(nil))
		cmd.Release()
		return nil
	}
	return err
}

// CheckRequired checks that c, built without any occurrence of a required
// repeated group (cmdimpl.Builder.Require), fails with a BuildError naming
// the group what, and sends nothing.
func CheckRequired(t *testing.T, name string, c Commander, what string) {
	t.Helper()
	err := buildError(t, name, c)
	if err == nil {
		return
	}
	var be *cmdimpl.BuildError
	if !errors.As(err, &be) || !strings.Contains(err.Error(), what+" is required") {
		t.Errorf("%s: Command() = %v, want a BuildError saying %s is required", name, err, what)
	}
}

// CheckWire compares the RESP encoding of cmd with that of the argument
// vector want.
func CheckWire(t *testing.T, name string, c Commander, want []string) {
	t.Helper()
	cmd, err := c.Command()
	if err != nil {
		t.Errorf("%s: Command: %v", name, err)
		return
	}
	defer cmd.Release()
	got := cmd.AppendTo(nil)
	w := resp.AppendCommand(nil, want...)
	if !bytes.Equal(got, w) {
		t.Errorf("%s:\n got %q\nwant %q", name, got, w)
	}
}

// Wire returns the RESP bytes of a command value.
func Wire(t testing.TB, c Commander) []byte {
	t.Helper()
	cmd, err := c.Command()
	if err != nil {
		t.Fatalf("Command: %v", err)
	}
	defer cmd.Release()
	return cmd.AppendTo(nil)
}

// ReadFixture parses one RESP value.
func ReadFixture(t testing.TB, fixture string) *resp.Reply {
	t.Helper()
	var r resp.Reply
	rd := resp.NewReader(strings.NewReader(fixture), 0, resp.Limits{})
	if err := rd.ReadReply(&r); err != nil {
		t.Fatalf("fixture %q: %v", fixture, err)
	}
	return &r
}

// CheckDecode decodes fixture with dec and compares the result with want.
func CheckDecode[T any](t *testing.T, name, fixture string, dec func(resp.Value) (T, error), want T) {
	t.Helper()
	r := ReadFixture(t, fixture)
	got, err := dec(r.Value())
	if err != nil {
		t.Errorf("%s: decode %q: %v", name, fixture, err)
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: decode %q: (-want +got)\n%s", name, fixture, diff)
	}
}

// DecodeWith decodes fixture with the decoder that c's Do would use (a
// With's choice, made from its options) and compares the result with want.
// Pass a CacheableCmd's embedded Cmd.
func DecodeWith[T any](t *testing.T, name string, c cmdimpl.Cmd[T], fixture string, want T) {
	t.Helper()
	CheckDecode(t, name, fixture, cmdimpl.DecoderOf(c), want)
}

// CheckDecodeErr checks that dec rejects fixture with an error.
func CheckDecodeErr[T any](t *testing.T, name, fixture string, dec func(resp.Value) (T, error)) {
	t.Helper()
	r := ReadFixture(t, fixture)
	if _, err := dec(r.Value()); err == nil {
		t.Errorf("%s: decode %q: no error", name, fixture)
	}
}

// FuzzDecoder adapts a decoder for a fuzz target's table.
func FuzzDecoder[T any](dec func(resp.Value) (T, error)) func(resp.Value) error {
	return func(v resp.Value) error {
		_, err := dec(v)
		return err
	}
}

// FuzzDecoders feeds arbitrary replies (seeded with common shapes) to
// every decoder of decs: a decoder may reject a reply with an error but
// must never panic.
func FuzzDecoders(f *testing.F, decs ...map[string]func(resp.Value) error) {
	for _, seed := range []string{
		"+OK\r\n", "$5\r\nhello\r\n", "_\r\n", "$-1\r\n", ":42\r\n", ",3.5\r\n", "#t\r\n",
		"*2\r\n$1\r\na\r\n,1.5\r\n", "%1\r\n$1\r\nk\r\n$1\r\nv\r\n", "*4\r\n$1\r\nk\r\n$1\r\nv\r\n$1\r\nx\r\n:1\r\n",
		"*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
		"*3\r\n:0\r\n:5460\r\n*3\r\n$9\r\n127.0.0.1\r\n:7000\r\n$40\r\n0000000000000000000000000000000000000000\r\n",
		"*3\r\n$6\r\nmaster\r\n:10\r\n*1\r\n*3\r\n$9\r\n127.0.0.1\r\n$4\r\n6380\r\n$2\r\n10\r\n",
		"-ERR boom\r\n", "*1\r\n-ERR nested\r\n", "~2\r\n$1\r\na\r\n$1\r\nb\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r resp.Reply
		rd := resp.NewReader(bytes.NewReader(data), 0, resp.Limits{MaxBulkLen: 1 << 20})
		if err := rd.ReadReply(&r); err != nil {
			return
		}
		for _, m := range decs {
			for _, dec := range m {
				_ = dec(r.Value())
			}
		}
	})
}

// RESP fixture builders.
const (
	Null2 = "$-1\r\n" // RESP2 null bulk string
	Null3 = "_\r\n"   // RESP3 null
)

// Bulk encodes a bulk string.
func Bulk(s string) string { return "$" + strconv.Itoa(len(s)) + "\r\n" + s + "\r\n" }

// Simple encodes a simple string.
func Simple(s string) string { return "+" + s + "\r\n" }

// Int encodes an integer.
func Int(n int64) string { return ":" + strconv.FormatInt(n, 10) + "\r\n" }

// Dbl encodes a RESP3 double given as text.
func Dbl(s string) string { return "," + s + "\r\n" }

// Err encodes a simple error.
func Err(s string) string { return "-" + s + "\r\n" }

// Arr builds an array of encoded elements.
func Arr(elems ...string) string {
	return "*" + strconv.Itoa(len(elems)) + "\r\n" + strings.Join(elems, "")
}

// Map builds a RESP3 map from alternating encoded keys and values.
func Map(kvs ...string) string {
	return "%" + strconv.Itoa(len(kvs)/2) + "\r\n" + strings.Join(kvs, "")
}

// Bulks encodes strings as bulk strings.
func Bulks(ss ...string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = Bulk(s)
	}
	return out
}

// Pairs builds alternating bulk keys and values: a RESP2 flat map.
func Pairs(kv ...string) string { return Arr(Bulks(kv...)...) }

// MapOf builds a RESP3 map of bulk keys and values.
func MapOf(kv ...string) string { return Map(Bulks(kv...)...) }
