package redisclient

// This file connects the client to a sentinel group through the sentinel
// router.

import (
	"crypto/tls"
	"strings"
	"time"

	"github.com/redkit-go/redkit/sentinel"
	"github.com/redkit-go/redkit/transport"
)

// SentinelOptions configure a client of a sentinel group. The embedded
// Options apply to the data nodes (master or replicas); Addr is ignored.
type SentinelOptions struct {
	Options
	// MasterName is the group's name; Sentinels are some sentinels'
	// addresses (the others are discovered).
	MasterName string
	Sentinels  []string
	// SentinelUsername, SentinelPassword and SentinelTLS authenticate to
	// the sentinels, separately from the data nodes.
	SentinelUsername, SentinelPassword string
	SentinelTLS                        *tls.Config
	// ReplicaOnly connects to a replica instead of the master;
	// PreferredReplicas (addresses, in order) or ReplicaSelector choose it.
	ReplicaOnly       bool
	PreferredReplicas []string
	ReplicaSelector   func(replicas []sentinel.ReplicaInfo) (sentinel.ReplicaInfo, bool)
	// SentinelRetry is the strategy while no sentinel answers.
	SentinelRetry func(attempt int, err error) (time.Duration, bool)
	// CheckInterval re-checks the master with the sentinels periodically.
	CheckInterval time.Duration
	// OnSwitch is called after the client moved to another node.
	OnSwitch func(from, to string)
}

// NewSentinel returns a client of a sentinel group. It discovers the node
// in the background; Ready waits for it.
func NewSentinel(opts SentinelOptions) (*Client, error) {
	opts.Addr = "sentinel:0" // validated, never dialed
	if err := opts.Options.validate(); err != nil {
		return nil, err
	}
	node, cache := opts.cachedNodeConfig()
	cfg := sentinel.Config{
		MasterName:        opts.MasterName,
		Sentinels:         opts.Sentinels,
		Node:              node,
		PreferredReplicas: opts.PreferredReplicas,
		ReplicaSelector:   opts.ReplicaSelector,
		CheckInterval:     opts.CheckInterval,
		OnSwitch:          opts.OnSwitch,
		Logger:            opts.Logger,
		Sentinel: transport.DialConfig{
			Username: opts.SentinelUsername, Password: opts.SentinelPassword, TLS: opts.SentinelTLS,
			DialTimeout: opts.DialTimeout, Protocol: opts.Protocol,
		},
	}
	if opts.SentinelRetry != nil {
		cfg.Retry = opts.SentinelRetry
	}
	if opts.ReplicaOnly {
		cfg.Role = sentinel.RoleReplica
	}
	r, err := sentinel.New(cfg)
	if err != nil {
		return nil, err
	}
	c := NewWithRouter(r, opts.Options)
	c.desc = "sentinel " + opts.MasterName + " via " + strings.Join(opts.Sentinels, ",")
	c.cache = cache
	return c, nil
}
