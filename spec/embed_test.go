package spec

// Tests that the embedded specification is the committed one.

import (
	"reflect"
	"testing"
)

func TestEmbeddedIsCommitted(t *testing.T) {
	emb, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := LoadDir("commands")
	if err != nil {
		t.Fatal(err)
	}
	if len(emb.Commands) == 0 || !reflect.DeepEqual(emb, dir) {
		t.Errorf("embedded spec (%d commands) differs from spec/commands (%d)", len(emb.Commands), len(dir.Commands))
	}
	if again, _ := Embedded(); again != emb {
		t.Error("Embedded loaded the spec twice")
	}
}
