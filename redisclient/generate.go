package redisclient

// This file wires `go generate ./...` to the generator: it renders the
// *_gen.go files of this package from the normalized spec in spec/commands.

//go:generate go run ../cmd/redkit gen --spec ../spec/commands --out .
