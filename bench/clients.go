package main

// This file adapts each library to the benchmark's client interface.

import (
	"context"
	"fmt"

	goredis "github.com/redis/go-redis/v9"
	"github.com/redis/rueidis"

	"github.com/redkit-go/redkit/redisclient"
)

func newClient(name, addr string) (client, error) {
	switch name {
	case "redkit":
		c, err := redisclient.New(redisclient.Options{Addr: addr})
		if err != nil {
			return nil, err
		}
		return &redkitClient{c: c}, nil
	case "go-redis":
		return &goredisClient{c: goredis.NewClient(&goredis.Options{Addr: addr})}, nil
	case "rueidis":
		c, err := rueidis.NewClient(rueidis.ClientOption{InitAddress: []string{addr}, DisableCache: true})
		if err != nil {
			return nil, err
		}
		return &rueidisClient{c: c}, nil
	}
	return nil, fmt.Errorf("unknown client %q (want redkit, go-redis or rueidis)", name)
}

type redkitClient struct{ c *redisclient.Client }

func (r *redkitClient) Name() string { return "redkit" }
func (r *redkitClient) Get(ctx context.Context, key string) error {
	_, err := redisclient.Get(key).Do(ctx, r.c)
	return err
}
func (r *redkitClient) Set(ctx context.Context, key, value string) error {
	return redisclient.Set(key, value).Do(ctx, r.c)
}
func (r *redkitClient) SetPipeline(ctx context.Context, keys []string, value string) error {
	p := r.c.Pipeline()
	for _, k := range keys {
		redisclient.Set(k, value).Queue(p)
	}
	return p.Exec(ctx)
}
func (r *redkitClient) Close() { r.c.Close() }

type goredisClient struct{ c *goredis.Client }

func (g *goredisClient) Name() string { return "go-redis" }
func (g *goredisClient) Get(ctx context.Context, key string) error {
	return g.c.Get(ctx, key).Err()
}
func (g *goredisClient) Set(ctx context.Context, key, value string) error {
	return g.c.Set(ctx, key, value, 0).Err()
}
func (g *goredisClient) SetPipeline(ctx context.Context, keys []string, value string) error {
	p := g.c.Pipeline()
	for _, k := range keys {
		p.Set(ctx, k, value, 0)
	}
	_, err := p.Exec(ctx)
	return err
}
func (g *goredisClient) Close() { g.c.Close() }

type rueidisClient struct{ c rueidis.Client }

func (r *rueidisClient) Name() string { return "rueidis" }
func (r *rueidisClient) Get(ctx context.Context, key string) error {
	return r.c.Do(ctx, r.c.B().Get().Key(key).Build()).Error()
}
func (r *rueidisClient) Set(ctx context.Context, key, value string) error {
	return r.c.Do(ctx, r.c.B().Set().Key(key).Value(value).Build()).Error()
}
func (r *rueidisClient) SetPipeline(ctx context.Context, keys []string, value string) error {
	cmds := make(rueidis.Commands, len(keys))
	for i, k := range keys {
		cmds[i] = r.c.B().Set().Key(k).Value(value).Build()
	}
	for _, res := range r.c.DoMulti(ctx, cmds...) {
		if err := res.Error(); err != nil {
			return err
		}
	}
	return nil
}
func (r *rueidisClient) Close() { r.c.Close() }
