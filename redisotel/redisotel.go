// Package redisotel instruments redkit clients with OpenTelemetry, in a
// module of its own so that the client itself never depends on
// OpenTelemetry. It is built on redisclient.Options.Hooks and
// Client.Stats and follows OpenTelemetry's semantic conventions for Redis
// client operations:
//
//   - NewHook (or InstrumentOptions) traces every command, pipeline and
//     transaction the client sends, one CLIENT span each, and records
//     their durations in the db.client.operation.duration histogram;
//   - RegisterMetrics observes the client's connections through Stats:
//     db.client.connection.count (idle and used),
//     db.client.connection.pending_requests and
//     db.client.connection.timeouts, per node.
//
// Spans and metrics carry db.system.name "redis", db.operation.name (the
// command name as sent, "GET" or "CLIENT LIST"; "PIPELINE", "PIPELINE GET",
// "MULTI" or "MULTI INCR" for batches), db.namespace (the database index,
// when known: see WithDBIndex), db.operation.batch.size for batches of two
// or more, and server.address and server.port of the node that served the
// command (the node of a cluster it was routed or redirected to, the
// master a sentinel group named; network.peer.address and
// network.peer.port repeat it on spans). The newest Redis page of the
// conventions would have server.address be the configured address; a
// cluster's or a sentinel group's configured addresses are seeds and
// sentinels, which serve no command, so the served node it is, read from
// transport.Command.Addr.
//
// Spans and metrics never carry a value or a credential: db.query.text is
// off unless WithQueryText enables it, and then holds command names and
// option tokens only (see WithQueryText).
//
// A failed operation has error.type and an Error span status. A Redis
// error reply counts: error.type and db.response.status_code are then its
// prefix ("ERR", "WRONGTYPE", "NOSCRIPT"; for a pipeline or transaction,
// that of its first failed command, including the commands inside EXEC's
// reply); the client's own errors have names of their own ("closed",
// "pool_timeout", "not_connected", "offline_queue_full"); a context's end
// is "timeout" (deadline) or "canceled"; other errors are named by their
// Go type, as semconv.ErrorType does.
package redisotel

// This file is the module's configuration: the options shared by NewHook
// and RegisterMetrics.

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the tracer and meter.
const ScopeName = "github.com/redkit-go/redkit/redisotel"

// Option configures NewHook, InstrumentOptions and RegisterMetrics.
type Option func(*config)

type config struct {
	tracerProvider trace.TracerProvider
	meterProvider  metric.MeterProvider
	queryText      bool
	attrs          []attribute.KeyValue
	db             int
	dbKnown        bool
}

func newConfig(opts []Option) config {
	var c config
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.tracerProvider == nil {
		c.tracerProvider = otel.GetTracerProvider()
	}
	if c.meterProvider == nil {
		c.meterProvider = otel.GetMeterProvider()
	}
	return c
}

// WithTracerProvider sets the provider of the tracer (the global one,
// otel.GetTracerProvider, by default).
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tracerProvider = tp }
}

// WithMeterProvider sets the provider of the meter (the global one,
// otel.GetMeterProvider, by default).
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.meterProvider = mp }
}

// WithQueryText sets db.query.text on spans (off by default). The text is
// sanitized: each command becomes its name followed by its arguments,
// where an argument is shown only when it is a string argument spelled as
// one of the command's own option tokens in redkit's command
// specification (EX, WITHSCORES, MATCH, ...), and is "?" otherwise: keys,
// values, numbers, patterns, unknown commands' arguments. Every argument
// of AUTH and HELLO is "?". A batch's texts are joined with "; ", and the
// text is cut at 2048 bytes. A value can show only when it is itself one
// of the command's option words.
func WithQueryText(on bool) Option {
	return func(c *config) { c.queryText = on }
}

// WithAttributes adds attributes to every span and every metric point
// (service-level labels, say). They must not hold secrets.
func WithAttributes(attrs ...attribute.KeyValue) Option {
	return func(c *config) { c.attrs = append(c.attrs, attrs...) }
}

// WithDBIndex sets db.namespace to the database index the client was
// configured with (Options.DB), as semantic conventions ask when it is
// known reliably: redkit's shared connections never run SELECT, so the
// index chosen at connection time holds for every command.
// InstrumentOptions sets it from the options. RegisterMetrics names each
// pool "host:port/index" with it, "host:port" without.
func WithDBIndex(db int) Option {
	return func(c *config) { c.db, c.dbKnown = db, true }
}
