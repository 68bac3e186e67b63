package spec

// This file embeds the repository's normalized specification, so tools built
// from the module (redkit do's checks and completion) have it without a
// checkout.

import (
	"embed"
	"sync"
)

//go:embed commands/*.json
var embedded embed.FS

var (
	embeddedOnce sync.Once
	embeddedSpec *Spec
	embeddedErr  error
)

// Embedded returns the specification committed under spec/commands, as
// compiled into the binary. It is loaded once; callers must not modify it.
func Embedded() (*Spec, error) {
	embeddedOnce.Do(func() { embeddedSpec, embeddedErr = LoadFS(embedded, "commands") })
	return embeddedSpec, embeddedErr
}
