package main

// This file adapts each library's Redis Cluster client to the benchmark's
// client interface: redkit's redisclient.NewCluster, go-redis's
// ClusterClient and rueidis's client (which detects the cluster from its
// init addresses).

import (
	"context"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/redis/rueidis"

	"github.com/redkit-go/redkit/redisclient"
)

func newClusterClient(name string, seeds []string) (client, error) {
	switch name {
	case "redkit":
		c, err := redisclient.NewCluster(redisclient.ClusterOptions{Seeds: seeds})
		if err != nil {
			return nil, err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := c.Ready(ctx); err != nil {
			c.Close()
			return nil, fmt.Errorf("redkit: cluster topology: %w", err)
		}
		return &redkitClient{c: c}, nil
	case "go-redis":
		return &goredisClusterClient{c: goredis.NewClusterClient(&goredis.ClusterOptions{Addrs: seeds})}, nil
	case "rueidis":
		c, err := rueidis.NewClient(rueidis.ClientOption{InitAddress: seeds, DisableCache: true})
		if err != nil {
			return nil, err
		}
		return &rueidisClient{c: c}, nil
	}
	return nil, fmt.Errorf("unknown client %q (want redkit, go-redis or rueidis)", name)
}

type goredisClusterClient struct{ c *goredis.ClusterClient }

func (g *goredisClusterClient) Name() string { return "go-redis" }
func (g *goredisClusterClient) Get(ctx context.Context, key string) error {
	return g.c.Get(ctx, key).Err()
}
func (g *goredisClusterClient) Set(ctx context.Context, key, value string) error {
	return g.c.Set(ctx, key, value, 0).Err()
}
func (g *goredisClusterClient) SetPipeline(ctx context.Context, keys []string, value string) error {
	p := g.c.Pipeline()
	for _, k := range keys {
		p.Set(ctx, k, value, 0)
	}
	_, err := p.Exec(ctx)
	return err
}
func (g *goredisClusterClient) Close() { g.c.Close() }
