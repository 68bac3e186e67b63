package redisotel

// This file is the tracing and duration hook: a span per command, pipeline
// and transaction, and the db.client.operation.duration histogram.

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// DurationBuckets are the bucket boundaries, in seconds, that semantic
// conventions advise for db.client.operation.duration.
var DurationBuckets = []float64{0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10}

// hook implements redisclient.Hook.
type hook struct {
	cfg      config
	tracer   trace.Tracer
	duration metric.Float64Histogram
	// common are the attributes of every span and data point:
	// db.system.name, db.namespace when known, the user's.
	common []attribute.KeyValue
}

// NewHook returns a hook that traces the commands of the client it is set
// on (Options.Hooks) and records their durations. Each call of the client
// (Do, a pipeline's Exec, a transaction, a command of Watch, a
// subscription change) gets one CLIENT span, a child of the span in the
// call's context, named after its db.operation.name ("FCALL myfn",
// "EVALSHA <digest>": with db.stored_procedure.name for functions and
// scripts).
func NewHook(opts ...Option) redisclient.Hook {
	cfg := newConfig(opts)
	h := &hook{
		cfg:    cfg,
		tracer: cfg.tracerProvider.Tracer(ScopeName),
	}
	meter := cfg.meterProvider.Meter(ScopeName)
	d, err := meter.Float64Histogram("db.client.operation.duration",
		metric.WithDescription("Duration of database client operations."),
		metric.WithUnit("s"),
		metric.WithExplicitBucketBoundaries(DurationBuckets...))
	if err != nil {
		otel.Handle(err)
	}
	h.duration = d
	h.common = append(h.common, semconv.DBSystemNameRedis)
	if cfg.dbKnown {
		h.common = append(h.common, semconv.DBNamespace(strconv.Itoa(cfg.db)))
	}
	h.common = append(h.common, cfg.attrs...)
	return h
}

// InstrumentOptions adds NewHook's hook to o.Hooks, with db.namespace set
// from o.DB (WithDBIndex). For a cluster or sentinel client, pass the
// embedded Options: &clusterOpts.Options.
func InstrumentOptions(o *redisclient.Options, opts ...Option) {
	all := append([]Option{WithDBIndex(o.DB)}, opts...)
	o.Hooks = append(o.Hooks, NewHook(all...))
}

// Start opens the span of cmds; the function it returns ends it.
func (h *hook) Start(ctx context.Context, cmds []*transport.Command) (context.Context, func(error)) {
	op := describe(cmds)
	attrs := make([]attribute.KeyValue, 0, len(h.common)+8)
	attrs = append(attrs, h.common...)
	attrs = append(attrs, semconv.DBOperationName(op.name))
	if op.batch >= 0 {
		attrs = append(attrs, semconv.DBOperationBatchSize(op.batch))
	}
	if op.procedure != "" {
		attrs = append(attrs, semconv.DBStoredProcedureName(op.procedure))
	}
	if h.cfg.queryText {
		attrs = append(attrs, semconv.DBQueryText(queryText(cmds)))
	}
	spanName := op.name
	if op.procedure != "" {
		// The conventions' "{operation} {target}", the target being the
		// function or script.
		spanName += " " + op.procedure
	}
	ctx, span := h.tracer.Start(ctx, spanName, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	start := time.Now()
	return ctx, func(err error) {
		elapsed := time.Since(start).Seconds()
		var end []attribute.KeyValue
		host, port, addrKnown := servedBy(cmds)
		if addrKnown {
			end = append(end, semconv.ServerAddress(host), semconv.NetworkPeerAddress(host))
			if port > 0 {
				end = append(end, semconv.ServerPort(port), semconv.NetworkPeerPort(port))
			}
		}
		f := outcome(cmds, err)
		if f.errorType != "" {
			end = append(end, semconv.ErrorTypeKey.String(f.errorType))
			if f.statusCode != "" {
				end = append(end, semconv.DBResponseStatusCode(f.statusCode))
			}
		}
		if span.IsRecording() {
			span.SetAttributes(end...)
			if f.errorType != "" {
				span.SetStatus(codes.Error, f.description)
			}
		}
		span.End()

		if h.duration == nil {
			return
		}
		mattrs := make([]attribute.KeyValue, 0, len(h.common)+6)
		mattrs = append(mattrs, h.common...)
		mattrs = append(mattrs, semconv.DBOperationName(op.name))
		if addrKnown {
			mattrs = append(mattrs, semconv.ServerAddress(host))
			if port > 0 {
				mattrs = append(mattrs, semconv.ServerPort(port))
			}
		}
		if f.errorType != "" {
			mattrs = append(mattrs, semconv.ErrorTypeKey.String(f.errorType))
			if f.statusCode != "" {
				mattrs = append(mattrs, semconv.DBResponseStatusCode(f.statusCode))
			}
		}
		h.duration.Record(ctx, elapsed, metric.WithAttributes(mattrs...))
	}
}

// servedBy returns the host and port of the server that served cmds, when
// they all went to one (a pipeline spread over several nodes of a cluster
// has none; nor does a call that failed before anything was written).
// The port is 0 for a unix socket.
func servedBy(cmds []*transport.Command) (host string, port int, ok bool) {
	addr := ""
	for _, c := range cmds {
		a := c.Addr()
		if a == "" {
			continue
		}
		if addr != "" && a != addr {
			return "", 0, false
		}
		addr = a
	}
	if addr == "" {
		return "", 0, false
	}
	host, port = splitAddr(addr)
	return host, port, true
}

// addrs caches splitAddr's results: a client talks to few servers.
var addrs sync.Map // string -> hostPort

type hostPort struct {
	host string
	port int
}

// splitAddr splits "host:port"; anything else (a unix socket's path) is a
// host without a port.
func splitAddr(addr string) (string, int) {
	if v, ok := addrs.Load(addr); ok {
		hp := v.(hostPort)
		return hp.host, hp.port
	}
	hp := hostPort{host: addr}
	if h, p, err := net.SplitHostPort(addr); err == nil {
		if n, err := strconv.Atoi(p); err == nil && n > 0 && n < 65536 {
			hp = hostPort{host: h, port: n}
		}
	}
	addrs.Store(addr, hp)
	return hp.host, hp.port
}

// failure is how an operation failed: error.type, db.response.status_code
// (Redis error replies only) and the span status description. All empty
// when it succeeded.
type failure struct {
	errorType, statusCode, description string
}

// outcome classifies the result of cmds: the call's error first, then
// each command's own transport error, then the first error reply (inside
// EXEC's reply too).
func outcome(cmds []*transport.Command, err error) failure {
	if err != nil {
		return classify(err)
	}
	for _, c := range cmds {
		if cerr := c.Err(); cerr != nil {
			return classify(cerr)
		}
	}
	for _, c := range cmds {
		v := c.Reply()
		if f, ok := replyFailure(v); ok {
			return f
		}
		if v.Kind() == resp.KindArray && isExec(c) {
			for e := v.First(); e.Valid(); e = e.Next() {
				if f, ok := replyFailure(e); ok {
					return f
				}
			}
		}
	}
	return failure{}
}

// replyFailure reports an error reply. The description is the error's
// prefix alone: the text of some errors quotes the command's arguments.
func replyFailure(v resp.Value) (failure, bool) {
	switch v.Kind() {
	case resp.KindSimpleError, resp.KindBulkError:
		e, _ := v.ErrorReply()
		p := e.Prefix()
		return failure{errorType: p, statusCode: p, description: p}, true
	}
	return failure{}, false
}

// knownErrors name the client's and the transport's own errors.
var knownErrors = []struct {
	err  error
	name string
}{
	{transport.ErrPoolTimeout, "pool_timeout"},
	{transport.ErrNotConnected, "not_connected"},
	{transport.ErrOfflineQueueFull, "offline_queue_full"},
	{transport.ErrClosed, "closed"}, // redisclient.ErrClientClosed too
	{redisclient.ErrSubscriberClosed, "closed"},
}

// classify names a Go error: an error reply by its prefix, the client's
// own errors by knownErrors, a context's end as "timeout" or "canceled", a
// network timeout as "timeout", others by their type (unwrapping
// transport.ConnError to its cause).
func classify(err error) failure {
	var re *resp.Error
	if errors.As(err, &re) {
		p := re.Prefix()
		return failure{errorType: p, statusCode: p, description: p}
	}
	f := failure{description: err.Error()}
	for _, k := range knownErrors {
		if errors.Is(err, k.err) {
			f.errorType = k.name
			return f
		}
	}
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		f.errorType = "timeout"
	case errors.Is(err, context.Canceled):
		f.errorType = "canceled"
	case errors.As(err, &ne) && ne.Timeout():
		f.errorType = "timeout"
	default:
		var ce *transport.ConnError
		if errors.As(err, &ce) && ce.Err != nil {
			err = ce.Err
		}
		f.errorType = semconv.ErrorType(err).Value.AsString()
	}
	return f
}

// isExec reports whether c is EXEC.
func isExec(c *transport.Command) bool {
	args := c.Args()
	return len(args) > 0 && strings.EqualFold(args[0].Text(), "EXEC")
}
