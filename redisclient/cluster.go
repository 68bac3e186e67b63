package redisclient

// This file connects the client to a Redis Cluster through the cluster
// router.

import (
	"strings"
	"time"

	"github.com/redkit-go/redkit/cluster"
	"github.com/redkit-go/redkit/transport"
)

// ClusterOptions configure a cluster client. The embedded Options apply to
// every node (credentials, TLS, timeouts, pools, key prefix, cache); Addr
// is ignored in favour of Seeds.
type ClusterOptions struct {
	Options
	// Seeds are addresses of some of the cluster's nodes.
	Seeds []string
	// ReadPolicy routes read-only commands (master by default); the
	// selector overrides it.
	ReadPolicy   cluster.ReadPolicy
	ReadSelector func(slot int, master cluster.NodeInfo, replicas []cluster.NodeInfo) cluster.NodeInfo
	// MaxRedirects bounds the redirections a command follows.
	MaxRedirects int
	// RefreshInterval refreshes the topology periodically (negative: only
	// on redirects and errors).
	RefreshInterval time.Duration
	// AddrMap and MapAddr translate announced node addresses to reachable
	// ones (NAT, containers, announced hostnames).
	AddrMap map[string]string
	MapAddr func(announced string) string
	// NodeCredentials give per-node credentials, falling back to Options'.
	NodeCredentials func(addr string) (username, password string, ok bool)
}

// NewCluster returns a client for a Redis Cluster. It loads the topology in
// the background; Ready waits for it.
func NewCluster(opts ClusterOptions) (*Client, error) {
	if err := opts.Options.validate(); err != nil {
		return nil, err
	}
	node, cache := opts.cachedNodeConfig()
	cfg := cluster.Config{
		Seeds:           opts.Seeds,
		Node:            node,
		ReadPolicy:      opts.ReadPolicy,
		ReadSelector:    opts.ReadSelector,
		MaxRedirects:    opts.MaxRedirects,
		RefreshInterval: opts.RefreshInterval,
		AddrMap:         opts.AddrMap,
		MapAddr:         opts.MapAddr,
		Logger:          opts.Logger,
	}
	if nc := opts.NodeCredentials; nc != nil {
		cfg.NodeCredentials = func(addr string) (transport.Credentials, bool) {
			u, p, ok := nc(addr)
			return transport.Credentials{Username: u, Password: p}, ok
		}
	}
	r, err := cluster.New(cfg)
	if err != nil {
		return nil, err
	}
	o := opts.Options
	o.Addr = "cluster"
	c := NewWithRouter(r, o)
	c.desc = "cluster " + strings.Join(opts.Seeds, ",")
	c.cache = cache
	return c, nil
}
