// Package redisclient is redkit's public API: typed Redis commands generated
// from the command specification, their reply decoders, and the client that
// runs them on a single node, a cluster or a sentinel group.
//
// Every command is a function returning a command value. Required arguments
// are parameters; optional ones are chained methods, and a method is offered
// only while it is still valid, so NX and XX, or EX and PX, cannot be
// combined. Do runs the command and decodes its reply into a Go type that
// the command's type fixes:
//
//	err := redisclient.Set("user:1", "ann").EX(10 * time.Second).Do(ctx, c)
//	name, err := redisclient.Get("user:1").Do(ctx, c) // name.Value, name.Valid
//
// Durations and times are time.Duration and time.Time. A seconds-valued
// option whose choice has a millisecond form sends that form for a duration
// that is not whole seconds (EX 1500ms goes out as PX 1500); other
// durations and times are rounded up to the unit the command takes, as each
// method's doc comment says. TTL-like replies (TimeToLive, ExpiryTime) carry
// a state that tells a missing key from one without expiry.
//
// Command values are plain values: they may be copied, kept and run again,
// also from several goroutines. String arguments that carry user data
// accept string or []byte; a []byte is not copied and must not change until
// the command has run.
package redisclient
