package redisotel_test

// Examples of redisotel. The ones with output run against a real server
// (redistest picks a local redis-server or a container) and record spans
// and metrics in memory; in an application the providers are the
// exporters' (OTLP, say), set globally or with WithTracerProvider and
// WithMeterProvider.

import (
	"context"
	"fmt"
	"log"
	"sort"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/redisotel"
	"github.com/redkit-go/redkit/redistest"
)

// A client instrumented through its options: one span per command,
// pipeline and transaction.
func ExampleInstrumentOptions() {
	srv, err := redistest.NewServer(redistest.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))

	opts := srv.Options()
	redisotel.InstrumentOptions(&opts, redisotel.WithTracerProvider(tp))
	c, err := redisclient.New(opts)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	ctx := context.Background()
	if err := redisclient.Set("greeting", "hello").Do(ctx, c); err != nil {
		log.Fatal(err)
	}
	p := c.Pipeline()
	redisclient.Get("greeting").Queue(p)
	redisclient.Get("missing").Queue(p)
	if err := p.Exec(ctx); err != nil {
		log.Fatal(err)
	}
	tx := c.TxPipeline()
	redisclient.Incr("visits").Queue(tx)
	redisclient.Expire("visits", time.Hour).Queue(tx)
	if err := tx.Exec(ctx); err != nil {
		log.Fatal(err)
	}
	for _, s := range spans.Ended() {
		a := attribute.NewSet(s.Attributes()...)
		op, _ := a.Value("db.operation.name")
		size, _ := a.Value("db.operation.batch.size")
		fmt.Printf("%s: %s %s batch=%s\n", s.SpanKind(), s.Name(), op.Emit(), size.Emit())
	}
	// Output:
	// client: SET SET batch=
	// client: PIPELINE GET PIPELINE GET batch=2
	// client: MULTI MULTI batch=2
}

// With WithQueryText, spans carry the command's text without its values.
func ExampleWithQueryText() {
	srv, err := redistest.NewServer(redistest.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))

	opts := srv.Options()
	opts.Hooks = append(opts.Hooks, redisotel.NewHook(redisotel.WithTracerProvider(tp), redisotel.WithQueryText(true)))
	c, err := redisclient.New(opts)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if _, err := redisclient.Set("session:42", "token-abc").NX().EX(time.Minute).Do(context.Background(), c); err != nil {
		log.Fatal(err)
	}
	attrs := attribute.NewSet(spans.Ended()[0].Attributes()...)
	text, _ := attrs.Value("db.query.text")
	fmt.Println(text.Emit())
	// Output: SET ? ? NX EX ?
}

// Connection metrics come from the client's Stats at each collection.
func ExampleRegisterMetrics() {
	srv, err := redistest.NewServer(redistest.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))

	opts := srv.Options()
	redisotel.InstrumentOptions(&opts, redisotel.WithMeterProvider(mp))
	c, err := redisclient.New(opts)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	reg, err := redisotel.RegisterMetrics(c, redisotel.WithMeterProvider(mp))
	if err != nil {
		log.Fatal(err)
	}
	defer reg.Unregister()

	if err := c.Ping(context.Background()); err != nil {
		log.Fatal(err)
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		log.Fatal(err)
	}
	var names []string
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			names = append(names, m.Name+" ("+m.Unit+")")
		}
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Println(n)
	}
	// Output:
	// db.client.connection.count ({connection})
	// db.client.connection.pending_requests ({request})
	// db.client.connection.timeouts ({timeout})
	// db.client.operation.duration (s)
}
