package redisclient

// How a closed client's errors match: ErrClientClosed is also
// transport.ErrClosed, not the other way round.

import (
	"errors"
	"fmt"
	"testing"

	"github.com/redkit-go/redkit/transport"
)

func TestClosedErrorsMatch(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"ErrClientClosed is transport.ErrClosed", ErrClientClosed, transport.ErrClosed, true},
		{"wrapped ErrClientClosed is transport.ErrClosed", fmt.Errorf("x: %w", ErrClientClosed), transport.ErrClosed, true},
		{"transport.ErrClosed is not ErrClientClosed", transport.ErrClosed, ErrClientClosed, false},
		{"ErrSubscriberClosed is not ErrClientClosed", ErrSubscriberClosed, ErrClientClosed, false},
		{"ErrSubscriberClosed is not transport.ErrClosed", ErrSubscriberClosed, transport.ErrClosed, false},
	} {
		if got := errors.Is(tc.err, tc.target); got != tc.want {
			t.Errorf("%s: errors.Is = %v, want %v", tc.name, got, tc.want)
		}
	}
	if got, want := ErrClientClosed.Error(), "redisclient: client closed"; got != want {
		t.Errorf("ErrClientClosed.Error() = %q, want %q", got, want)
	}
}
