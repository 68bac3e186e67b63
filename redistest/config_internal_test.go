package redistest

// Tests of the backend choice (no server runs).

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResolveOrder(t *testing.T) {
	bin := t.TempDir()
	fake := filepath.Join(bin, "redis-server")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	vk := filepath.Join(bin, "valkey-server")
	if err := os.WriteFile(vk, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	t.Setenv(EnvImage, "")
	t.Setenv(EnvServer, "")

	check := func(cfg Config, want plan) {
		t.Helper()
		got, err := cfg.resolve()
		if err != nil || got != want {
			t.Errorf("resolve(%+v) = %+v, %v; want %+v", cfg, got, err, want)
		}
	}
	check(Config{}, plan{backend: Local, binary: fake})
	check(Config{Binary: "valkey-server"}, plan{backend: Local, binary: vk})
	check(Config{Image: "redis:7"}, plan{backend: Container, binary: "redis-server", image: "redis:7"})

	t.Setenv(EnvServer, vk)
	check(Config{}, plan{backend: Local, binary: vk})
	t.Setenv(EnvImage, "valkey/valkey:9")
	check(Config{}, plan{backend: Container, binary: "redis-server", image: "valkey/valkey:9"})
	check(Config{Binary: fake}, plan{backend: Local, binary: fake}) // Config beats the environment
	check(Config{Backend: Local}, plan{backend: Local, binary: vk}) // forced: $REDISTEST_SERVER
	check(Config{Backend: Container, Binary: "valkey-server"}, plan{backend: Container, binary: "valkey-server", image: "valkey/valkey:9"})

	os.Remove(fake)
	t.Setenv(EnvImage, "")
	t.Setenv(EnvServer, "")
	check(Config{}, plan{backend: Local, binary: vk}) // valkey-server when no redis-server
}

func TestResolveErrors(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv(EnvImage, "")
	t.Setenv(EnvServer, "")
	for _, c := range []struct {
		cfg  Config
		want []string
	}{
		{Config{}, []string{"apt-get install redis-server", EnvServer, EnvImage}},
		{Config{Backend: Local}, []string{"no redis-server or valkey-server", EnvServer}},
		{Config{Backend: Container}, []string{"Config.Image", EnvImage}},
		{Config{Backend: Local, Binary: "/no/such/server"}, []string{`"/no/such/server"`, "Config.Binary"}},
		{Config{Backend: 7}, []string{"Backend 7"}},
	} {
		_, err := c.cfg.resolve()
		if err == nil {
			t.Errorf("resolve(%+v): no error", c.cfg)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("resolve(%+v) = %v; want it to mention %q", c.cfg, err, w)
			}
		}
	}
}

func TestTopologyView(t *testing.T) {
	nodes := "a 127.0.0.1:1@2 myself,master - 0 0 1 connected 0-8191\n" +
		"b 127.0.0.1:3@4 master - 0 0 2 connected 8192-16383\n" +
		"c 127.0.0.1:5@6 slave a 0 0 1 connected\n"
	view, ok := topologyView(nodes, nil)
	if !ok || view != "a master - 0-8191\nb master - 8192-16383\nc replica a" {
		t.Errorf("view = %q, %v", view, ok)
	}
	failing := strings.Replace(nodes, "b 127.0.0.1:3@4 master", "b 127.0.0.1:3@4 master,fail", 1)
	if _, ok := topologyView(failing, nil); ok {
		t.Error("a failing master counts as healthy")
	}
	if _, ok := topologyView(failing, map[string]bool{"b": true}); ok {
		t.Error("a stopped master that still has slots counts as healthy")
	}
	gone := strings.Replace(nodes, "c 127.0.0.1:5@6 slave a 0 0 1 connected", "c 127.0.0.1:5@6 slave,fail a 0 0 1 disconnected", 1)
	if _, ok := topologyView(gone, map[string]bool{"c": true}); !ok {
		t.Error("a stopped replica makes the view unhealthy")
	}
}
