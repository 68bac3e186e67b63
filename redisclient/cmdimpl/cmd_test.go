package cmdimpl

import (
	"context"
	"errors"
	"testing"

	"github.com/redkit-go/redkit/transport"
)

// TestZeroCmd checks that the zero value of every generic command type is
// a BuildError matching transport.ErrEmptyCommand when built or run, never
// a command to send: a chain's last state that was never assigned.
func TestZeroCmd(t *testing.T) {
	for _, c := range []struct {
		name string
		cmd  interface {
			Command() (*transport.Command, error)
		}
		do func() error
	}{
		{"Cmd", Cmd[string]{}, func() error { _, err := Cmd[string]{}.Do(context.Background(), nil); return err }},
		{"CacheableCmd", CacheableCmd[string]{}, func() error { _, err := CacheableCmd[string]{}.Do(context.Background(), nil); return err }},
		{"OKCmd", OKCmd{}, func() error { return OKCmd{}.Do(context.Background(), nil) }},
	} {
		cmd, err := c.cmd.Command()
		var be *BuildError
		if cmd != nil || !errors.As(err, &be) || !errors.Is(err, transport.ErrEmptyCommand) {
			t.Errorf("%s{}.Command() = %v, %v; want a BuildError matching transport.ErrEmptyCommand", c.name, cmd, err)
		}
		if err := c.do(); !errors.As(err, &be) && !errors.Is(err, ErrNilDoer) {
			t.Errorf("%s{}.Do = %v; want a BuildError or ErrNilDoer", c.name, err)
		}
	}
}
