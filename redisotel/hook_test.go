package redisotel

// Unit tests of the hook without a server: span shape, attributes at
// creation, and error classification of transport errors.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport"
)

// telemetry is an SDK tracer and meter provider recording in memory.
type telemetry struct {
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader
	opts   []Option
}

func newTelemetry(t *testing.T) *telemetry {
	tel := &telemetry{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(tel.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(tel.reader))
	t.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	tel.opts = []Option{WithTracerProvider(tp), WithMeterProvider(mp)}
	return tel
}

// ended returns the ended spans.
func (tel *telemetry) ended() []sdktrace.ReadOnlySpan { return tel.spans.Ended() }

// collect returns the metrics collected now.
func (tel *telemetry) collect(t *testing.T) metricdata.ResourceMetrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := tel.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	return rm
}

// attrsOf returns a span's attributes by key.
func attrsOf(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

// wantAttrs checks that got has each of want (as strings) and none of
// absent.
func wantAttrs(t *testing.T, what string, got map[attribute.Key]attribute.Value, want map[string]string, absent ...string) {
	t.Helper()
	for k, v := range want {
		g, ok := got[attribute.Key(k)]
		if !ok {
			t.Errorf("%s: no %s, want %q", what, k, v)
			continue
		}
		if g.Emit() != v {
			t.Errorf("%s: %s = %q, want %q", what, k, g.Emit(), v)
		}
	}
	for _, k := range absent {
		if g, ok := got[attribute.Key(k)]; ok {
			t.Errorf("%s: %s = %q, want none", what, k, g.Emit())
		}
	}
}

func TestHookSpanWithoutServer(t *testing.T) {
	tel := newTelemetry(t)
	h := NewHook(append(tel.opts, WithDBIndex(3), WithAttributes(attribute.String("service.tier", "cache")))...)
	cmds := build(t, redisclient.Get("k"))

	parentCtx, parent := sdktrace.NewTracerProvider().Tracer("test").Start(context.Background(), "parent")
	ctx, done := h.Start(parentCtx, cmds)
	inner := trace.SpanFromContext(ctx)
	if inner.SpanContext().TraceID() != parent.SpanContext().TraceID() {
		t.Error("the command's span is not in the caller's trace")
	}
	// Attributes for sampling are there at creation.
	ro := inner.(sdktrace.ReadOnlySpan)
	wantAttrs(t, "at start", attrsOf(ro), map[string]string{
		"db.system.name": "redis", "db.operation.name": "GET", "db.namespace": "3", "service.tier": "cache",
	}, "db.query.text", "db.operation.batch.size")
	done(nil)

	spans := tel.ended()
	if len(spans) != 1 {
		t.Fatalf("%d spans, want 1", len(spans))
	}
	s := spans[0]
	if s.Name() != "GET" || s.SpanKind() != trace.SpanKindClient || s.Status().Code != codes.Unset {
		t.Errorf("span %q kind %v status %v, want GET, client, unset", s.Name(), s.SpanKind(), s.Status())
	}
	if s.Parent().SpanID() != parent.SpanContext().SpanID() {
		t.Error("the span's parent is not the caller's span")
	}
	// Nothing was written: no server attributes, no error.
	wantAttrs(t, "ended", attrsOf(s), nil, "server.address", "server.port", "error.type")
}

func TestHookSpanNameOfFunction(t *testing.T) {
	tel := newTelemetry(t)
	h := NewHook(tel.opts...)
	_, done := h.Start(context.Background(), build(t, redisclient.RawStrings("FCALL", "myfn", "1", "k", "secret")))
	done(nil)
	s := tel.ended()[0]
	if s.Name() != "FCALL myfn" {
		t.Errorf("span name %q, want \"FCALL myfn\"", s.Name())
	}
	wantAttrs(t, "FCALL", attrsOf(s), map[string]string{"db.operation.name": "FCALL", "db.stored_procedure.name": "myfn"})
	if l := leaks(tel.ended(), "secret"); len(l) > 0 {
		t.Errorf("argument in span: %v", l)
	}
}

func TestHookTransportErrors(t *testing.T) {
	deadline, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	<-deadline.Done()
	opErr := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	for _, tt := range []struct {
		err  error
		want string
	}{
		{deadline.Err(), "timeout"},
		{fmt.Errorf("wrapped: %w", context.Canceled), "canceled"},
		{&transport.ConnError{Addr: "127.0.0.1:1", Err: opErr}, "*net.OpError"},
		{transport.ErrPoolTimeout, "pool_timeout"},
		{redisclient.ErrClientClosed, "closed"},
		{errors.New("some other failure"), "*errors.errorString"},
	} {
		tel := newTelemetry(t)
		h := NewHook(tel.opts...)
		_, done := h.Start(context.Background(), build(t, redisclient.Get("k")))
		done(tt.err)
		s := tel.ended()[0]
		wantAttrs(t, tt.err.Error(), attrsOf(s), map[string]string{"error.type": tt.want}, "db.response.status_code")
		if s.Status().Code != codes.Error || s.Status().Description != tt.err.Error() {
			t.Errorf("%v: status %v, want Error with the error's text", tt.err, s.Status())
		}
		// The duration is recorded with the same error.type.
		rm := tel.collect(t)
		pts := histogramPoints(t, rm, "db.client.operation.duration")
		if len(pts) != 1 {
			t.Fatalf("%d duration points, want 1", len(pts))
		}
		if v, _ := pts[0].Attributes.Value("error.type"); v.Emit() != tt.want {
			t.Errorf("%v: duration error.type %q, want %q", tt.err, v.Emit(), tt.want)
		}
	}
}

// histogramPoints returns the points of the float64 histogram named name.
func histogramPoints(t *testing.T, rm metricdata.ResourceMetrics, name string) []metricdata.HistogramDataPoint[float64] {
	t.Helper()
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != name {
				continue
			}
			h, ok := m.Data.(metricdata.Histogram[float64])
			if !ok {
				t.Fatalf("%s is %T, want a float64 histogram", name, m.Data)
			}
			if m.Unit != "s" {
				t.Errorf("%s unit %q, want s", name, m.Unit)
			}
			return h.DataPoints
		}
	}
	return nil
}
