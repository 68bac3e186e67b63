package cli

// This file tests `redkit gen --package` end to end: a live server's
// command table imported with `redkit spec import --from`, a package of a
// few of its commands generated into a module outside this repository,
// built there, and run against the server.

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startRedis starts a native redis-server on a free loopback port and
// returns its URL; the test skips (saying why) when there is none.
func startRedis(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("skipping: no redis-server on PATH to import a command table from")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	srv := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	var log bytes.Buffer
	srv.Stdout, srv.Stderr = &log, &log
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Process.Kill()
		srv.Wait()
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for deadline := time.Now().Add(5 * time.Second); ; {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server did not start: %s", log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return "redis://" + addr
}

// userMain runs generated commands of package mycmds and prints what the
// server said.
const userMain = `package main

import (
	"context"
	"fmt"
	"os"

	"example.com/app/mycmds"
	"github.com/redkit-go/redkit/redisclient"
)

func main() {
	ctx := context.Background()
	c, err := redisclient.NewFromURL(os.Args[1])
	if err != nil {
		panic(err)
	}
	defer c.Close()
	if err := mycmds.Set("e2e:n", "12345").Do(ctx, c); err != nil {
		panic(err)
	}
	enc, err := mycmds.ObjectEncoding("e2e:n").Do(ctx, c)
	if err != nil {
		panic(err)
	}
	p := redisclient.NewPipeline(c)
	n := mycmds.StrLen("e2e:n").Queue(p)
	if err := p.Exec(ctx); err != nil {
		panic(err)
	}
	fmt.Printf("encoding=%s strlen=%d\n", enc.Str, n.Val().Int)
}
`

func TestGenUserPackage(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: builds a module with the go command")
	}
	url := startRedis(t)
	root, err := filepath.Abs(filepath.Join("..", "..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	specDir := filepath.Join(tmp, "spec")
	if _, stderr, err := run(t, "spec", "import", "--from", url, "--out", specDir); err != nil {
		t.Fatalf("spec import: %v\n%s", err, stderr)
	}
	app := filepath.Join(tmp, "app")
	if _, stderr, err := run(t, "gen", "--spec", specDir, "--package", "mycmds", "--import-path", "example.com/app/mycmds",
		"--commands", "OBJECT ENCODING,SET,strlen", "--generic-fallback", "--out", filepath.Join(app, "mycmds")); err != nil {
		t.Fatalf("gen: %v\n%s", err, stderr)
	}
	gomod := "module example.com/app\n\ngo 1.26.8\n\nrequire github.com/redkit-go/redkit v0.0.0\n\nreplace github.com/redkit-go/redkit => " + root + "\n"
	if err := os.WriteFile(filepath.Join(app, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(app, "main.go"), []byte(userMain), 0o644); err != nil {
		t.Fatal(err)
	}
	goCmd := func(args ...string) string {
		cmd := exec.Command("go", args...)
		cmd.Dir = app
		// Offline: redkit's dependencies come from the module cache.
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	goCmd("vet", "./...")
	if got, want := goCmd("run", ".", url), "encoding=int strlen=5\n"; got != want {
		t.Errorf("generated commands printed %q, want %q", got, want)
	}
}
