package redisclient

// Tests that command values never built with their constructors, and
// script or function values never defined, are refused before anything is
// sent: an empty command gets no reply from the server, and every later
// reply on the connection would go to the wrong caller.

import (
	"context"
	"errors"
	"testing"

	"github.com/redkit-go/redkit/transport"
)

func TestZeroValuesRefused(t *testing.T) {
	ctx := context.Background()
	d := failDoer{t}
	isEmpty := func(what string, err error) {
		t.Helper()
		var be *BuildError
		if !errors.As(err, &be) || !errors.Is(err, transport.ErrEmptyCommand) {
			t.Errorf("%s: err = %v, want a BuildError matching transport.ErrEmptyCommand", what, err)
		}
	}
	var hset HSetCmd
	_, err := hset.Do(ctx, d)
	isEmpty("HSetCmd{}.Do", err)
	_, err = Raw().Do(ctx, d)
	isEmpty("Raw().Do", err)

	p := NewPipeline(d)
	f := hset.Queue(p)
	g := Raw().Queue(p)
	if p.Len() != 0 {
		t.Errorf("zero commands were queued: pipeline length %d", p.Len())
	}
	isEmpty("HSetCmd{}.Queue", f.Err())
	isEmpty("Raw().Queue", g.Err())

	var notDefined *BuildError
	var script Script[int64]
	if _, err := script.Run(ctx, d, []string{"k"}); !errors.As(err, &notDefined) {
		t.Errorf("zero Script.Run: %v, want a BuildError", err)
	}
	if err := script.Load(ctx, d); !errors.As(err, &notDefined) {
		t.Errorf("zero Script.Load: %v, want a BuildError", err)
	}
	if err := NewScript[int64]("return 1", nil).Queue(p, nil).Err(); !errors.As(err, &notDefined) {
		t.Errorf("Script with a nil decoder queued: %v, want a BuildError", err)
	}
	var nilScript *Script[int64]
	if _, err := nilScript.Run(ctx, d, nil); !errors.As(err, &notDefined) {
		t.Errorf("nil Script.Run: %v, want a BuildError", err)
	}
	var fn Function[string]
	if _, err := fn.Call(ctx, d, nil); !errors.As(err, &notDefined) {
		t.Errorf("zero Function.Call: %v, want a BuildError", err)
	}
	if err := fn.Queue(p, nil).Err(); !errors.As(err, &notDefined) {
		t.Errorf("zero Function.Queue: %v, want a BuildError", err)
	}
	if p.Len() != 0 {
		t.Errorf("undefined scripts were queued: pipeline length %d", p.Len())
	}
}

func TestHasErrorPrefix(t *testing.T) {
	d := &replyDoer{reply: "-BUSYGROUP Consumer Group name already exists\r\n"}
	err := XGroupCreate("s", "g", "$").Do(context.Background(), d)
	var se *ServerError
	if !HasErrorPrefix(err, "BUSYGROUP") || HasErrorPrefix(err, "ERR") || !errors.As(err, &se) || se.Prefix() != "BUSYGROUP" {
		t.Errorf("err = %v: HasErrorPrefix or errors.As wrong", err)
	}
	if HasErrorPrefix(nil, "BUSYGROUP") || HasErrorPrefix(errors.New("BUSYGROUP x"), "BUSYGROUP") {
		t.Error("HasErrorPrefix matched a non-server error")
	}
}
