package redisotel

// This file is RegisterMetrics: the connection metrics of semantic
// conventions, observed from Client.Stats when the meter collects.

import (
	"context"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/redkit-go/redkit/redisclient"
)

// StatsSource is what RegisterMetrics observes: *redisclient.Client.
type StatsSource interface {
	Stats() redisclient.Stats
}

// RegisterMetrics registers observable instruments that report c's
// connections at each collection, per node (one pool per node, named by
// its address, "host:port/index" with WithDBIndex), from c.Stats():
//
//   - db.client.connection.count, state "idle": idle dedicated
//     connections; state "used": dedicated connections handed out plus
//     the shared auto-pipelined connections up (always in use);
//   - db.client.connection.pending_requests: commands queued for a shared
//     connection (offline queue included) plus callers waiting for a
//     dedicated connection;
//   - db.client.connection.timeouts: waits for a dedicated connection that
//     ended with their context (a counter).
//
// Nodes come and go with the topology (a cluster's resharding, a
// sentinel's failover): each collection reports the nodes in use then.
// Unregister the returned registration when the client is closed.
func RegisterMetrics(c StatsSource, opts ...Option) (metric.Registration, error) {
	cfg := newConfig(opts)
	meter := cfg.meterProvider.Meter(ScopeName)
	count, err := meter.Int64ObservableUpDownCounter("db.client.connection.count",
		metric.WithDescription("The number of connections that are currently in state described by the state attribute."),
		metric.WithUnit("{connection}"))
	if err != nil {
		return nil, err
	}
	pending, err := meter.Int64ObservableUpDownCounter("db.client.connection.pending_requests",
		metric.WithDescription("The number of current pending requests for an open connection."),
		metric.WithUnit("{request}"))
	if err != nil {
		return nil, err
	}
	timeouts, err := meter.Int64ObservableCounter("db.client.connection.timeouts",
		metric.WithDescription("The number of connection timeouts that have occurred trying to obtain a connection from the pool."),
		metric.WithUnit("{timeout}"))
	if err != nil {
		return nil, err
	}
	common := append([]attribute.KeyValue{semconv.DBSystemNameRedis}, cfg.attrs...)
	suffix := ""
	if cfg.dbKnown {
		suffix = "/" + strconv.Itoa(cfg.db)
	}
	observe := func(_ context.Context, o metric.Observer) error {
		for _, n := range c.Stats().Nodes {
			pool := semconv.DBClientConnectionPoolName(n.Addr + suffix)
			attrs := func(extra ...attribute.KeyValue) metric.ObserveOption {
				kv := make([]attribute.KeyValue, 0, len(common)+2)
				kv = append(append(append(kv, common...), pool), extra...)
				return metric.WithAttributes(kv...)
			}
			o.ObserveInt64(count, int64(n.Pool.Idle), attrs(semconv.DBClientConnectionStateIdle))
			o.ObserveInt64(count, int64(n.Pool.InUse+n.Shared), attrs(semconv.DBClientConnectionStateUsed))
			o.ObserveInt64(pending, int64(n.Queued+n.Pool.Waiting), attrs())
			o.ObserveInt64(timeouts, n.Pool.WaitTimeouts, attrs())
		}
		return nil
	}
	return meter.RegisterCallback(observe, count, pending, timeouts)
}
