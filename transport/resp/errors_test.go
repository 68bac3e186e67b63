// This file tests server error replies, redirects and error types.

package resp_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/redkit-go/redkit/transport/resp"
)

func TestErrorPrefix(t *testing.T) {
	tests := []struct{ text, prefix string }{
		{"ERR unknown command 'FOO'", "ERR"},
		{"WRONGTYPE Operation against a key holding the wrong kind of value", "WRONGTYPE"},
		{"MOVED 3999 127.0.0.1:6381", "MOVED"},
		{"ASK 3999 127.0.0.1:6381", "ASK"},
		{"NOSCRIPT No matching script. Please use EVAL.", "NOSCRIPT"},
		{"LOADING Redis is loading the dataset in memory", "LOADING"},
		{"READONLY You can't write against a read only replica.", "READONLY"},
		{"TRYAGAIN Multiple keys request during rehashing of slot", "TRYAGAIN"},
		{"CLUSTERDOWN The cluster is down", "CLUSTERDOWN"},
		{"EXECABORT Transaction discarded because of previous errors.", "EXECABORT"},
		{"NOAUTH Authentication required.", "NOAUTH"},
		{"WRONGPASS invalid username-password pair or user is disabled.", "WRONGPASS"},
		{"NOPERM this user has no permissions to run the 'get' command", "NOPERM"},
		{"BUSY Redis is busy running a script.", "BUSY"},
		{"MASTERDOWN Link with MASTER is down", "MASTERDOWN"},
		{"OOM", "OOM"},
		{"", ""},
	}
	for _, tt := range tests {
		e := &resp.Error{Text: tt.text}
		if e.Error() != tt.text {
			t.Errorf("Error() = %q, want %q", e.Error(), tt.text)
		}
		if got := e.Prefix(); got != tt.prefix {
			t.Errorf("Prefix(%q) = %q, want %q", tt.text, got, tt.prefix)
		}
	}
}

func TestErrorAs(t *testing.T) {
	err := fmt.Errorf("GET k: %w", &resp.Error{Text: "WRONGTYPE x"})
	var e *resp.Error
	if !errors.As(err, &e) || e.Prefix() != "WRONGTYPE" {
		t.Errorf("errors.As failed on %v", err)
	}
}

func TestParseRedirect(t *testing.T) {
	tests := []struct {
		err  error
		want resp.Redirect
		ok   bool
	}{
		{&resp.Error{Text: "MOVED 3999 127.0.0.1:6381"}, resp.Redirect{Slot: 3999, Addr: "127.0.0.1:6381"}, true},
		{&resp.Error{Text: "ASK 3999 127.0.0.1:6381"}, resp.Redirect{Ask: true, Slot: 3999, Addr: "127.0.0.1:6381"}, true},
		{&resp.Error{Text: "MOVED 0 redis-1.example.com:7000"}, resp.Redirect{Addr: "redis-1.example.com:7000"}, true},
		{&resp.Error{Text: "MOVED 16383 ::1:6379"}, resp.Redirect{Slot: 16383, Addr: "::1:6379"}, true},
		{&resp.Error{Text: "MOVED 12 :6380"}, resp.Redirect{Slot: 12, Addr: ":6380"}, true},
		{fmt.Errorf("wrapped: %w", &resp.Error{Text: "ASK 1 h:1"}), resp.Redirect{Ask: true, Slot: 1, Addr: "h:1"}, true},
		{&resp.Error{Text: "MOVED 16384 h:1"}, resp.Redirect{}, false},
		{&resp.Error{Text: "MOVED -1 h:1"}, resp.Redirect{}, false},
		{&resp.Error{Text: "MOVED x h:1"}, resp.Redirect{}, false},
		{&resp.Error{Text: "MOVED 1"}, resp.Redirect{}, false},
		{&resp.Error{Text: "MOVED 1 "}, resp.Redirect{}, false},
		{&resp.Error{Text: "MOVED 1 h:1 extra"}, resp.Redirect{}, false},
		{&resp.Error{Text: "MOVED"}, resp.Redirect{}, false},
		{&resp.Error{Text: "ASKING 1 h:1"}, resp.Redirect{}, false},
		{&resp.Error{Text: "ERR 1 h:1"}, resp.Redirect{}, false},
		{errors.New("MOVED 1 h:1"), resp.Redirect{}, false},
		{nil, resp.Redirect{}, false},
		{(*resp.Error)(nil), resp.Redirect{}, false},
	}
	for _, tt := range tests {
		got, ok := resp.ParseRedirect(tt.err)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseRedirect(%v) = %+v, %v; want %+v, %v", tt.err, got, ok, tt.want, tt.ok)
		}
	}
}

func TestProtocolErrorText(t *testing.T) {
	e := &resp.ProtocolError{Msg: "line too long"}
	if e.Error() != "resp: line too long" {
		t.Errorf("got %q", e.Error())
	}
}

func TestKindString(t *testing.T) {
	want := map[resp.Kind]string{
		resp.KindInvalid: "invalid", resp.KindSimpleString: "simple-string", resp.KindSimpleError: "simple-error",
		resp.KindInteger: "integer", resp.KindBulkString: "bulk-string", resp.KindArray: "array",
		resp.KindNull: "null", resp.KindBoolean: "boolean", resp.KindDouble: "double",
		resp.KindBigNumber: "big-number", resp.KindBulkError: "bulk-error", resp.KindVerbatim: "verbatim",
		resp.KindMap: "map", resp.KindSet: "set", resp.KindPush: "push", resp.Kind(99): "Kind(99)",
	}
	for k, s := range want {
		if k.String() != s {
			t.Errorf("Kind(%d).String() = %q, want %q", k, k.String(), s)
		}
	}
}
