package redistest

// This file is the Container backend: the server in a Docker container
// (dockertest), with host networking so that it listens on 127.0.0.1 of
// the host and announces addresses clients can reach, and the server's
// directory mounted at the same path. Containers carry labels naming the
// test process: those whose process is gone (killed before its cleanup
// ran) are removed the next time a process of the same host connects to
// the engine.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ory/dockertest/v3"
	dc "github.com/ory/dockertest/v3/docker"
)

// Labels on every container redistest starts.
const (
	labelOwner = "org.redkit.redistest"
	labelHost  = "org.redkit.redistest.host"
	labelPID   = "org.redkit.redistest.pid"
)

var (
	poolOnce sync.Once
	pool     *dockertest.Pool
	poolErr  error
)

// dockerPool connects to the Docker engine (DOCKER_HOST is honoured) once
// per process, and removes the containers of test processes that are gone.
func dockerPool() (*dockertest.Pool, error) {
	poolOnce.Do(func() {
		p, err := dockertest.NewPool("")
		if err != nil {
			poolErr = fmt.Errorf("cannot create a Docker client: %w", err)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := p.Client.PingWithContext(ctx); err != nil {
			poolErr = fmt.Errorf("no Docker engine answers (DOCKER_HOST=%q): %w", os.Getenv("DOCKER_HOST"), err)
			return
		}
		pool = p
		reapStale(p)
	})
	return pool, poolErr
}

func reapStale(p *dockertest.Pool) {
	host, _ := os.Hostname()
	cs, err := p.Client.ListContainers(dc.ListContainersOptions{
		All: true, Filters: map[string][]string{"label": {labelOwner}},
	})
	if err != nil {
		return
	}
	for _, c := range cs {
		pid, err := strconv.Atoi(c.Labels[labelPID])
		if err != nil || c.Labels[labelHost] != host || processAlive(pid) {
			continue
		}
		_ = p.Client.RemoveContainer(dc.RemoveContainerOptions{ID: c.ID, Force: true, RemoveVolumes: true})
	}
}

// imageRef splits an image reference into dockertest's repository and tag.
func imageRef(image string) (repo, tag string) {
	slash := strings.LastIndex(image, "/")
	if colon := strings.LastIndex(image, ":"); colon > slash {
		return image[:colon], image[colon+1:]
	}
	return image, "latest"
}

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`)

// containerInstance is a server in a container; the container is created
// by the first start and kept until destroy.
type containerInstance struct {
	pool *dockertest.Pool
	opts *dockertest.RunOptions

	mu  sync.Mutex
	res *dockertest.Resource
}

func newContainer(p plan, dir, name string, port int, args []string) (instance, error) {
	dp, err := dockerPool()
	if err != nil {
		return nil, err
	}
	if name == "" {
		name = "server"
	}
	host, _ := os.Hostname()
	repo, tag := imageRef(p.image)
	return &containerInstance{pool: dp, opts: &dockertest.RunOptions{
		Name:       fmt.Sprintf("redistest-%s-%d", unsafeName.ReplaceAllString(name, "-"), port),
		Repository: repo,
		Tag:        tag,
		Cmd:        append([]string{p.binary}, args...),
		Mounts:     []string{dir + ":" + dir},
		Labels:     map[string]string{labelOwner: "1", labelHost: host, labelPID: strconv.Itoa(os.Getpid())},
	}}, nil
}

func (c *containerInstance) id() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.res == nil {
		return ""
	}
	return c.res.Container.ID
}

func (c *containerInstance) start() error {
	if id := c.id(); id != "" {
		return c.pool.Client.StartContainer(id, nil)
	}
	res, err := c.pool.RunWithOptions(c.opts, func(hc *dc.HostConfig) {
		hc.NetworkMode = "host"
		hc.PublishAllPorts = false
		hc.AutoRemove = false
		hc.RestartPolicy = dc.RestartPolicy{Name: "no"}
	})
	if err != nil {
		return fmt.Errorf("run a container of %s:%s: %w", c.opts.Repository, c.opts.Tag, err)
	}
	c.mu.Lock()
	c.res = res
	c.mu.Unlock()
	return nil
}

func (c *containerInstance) stop() error {
	id := c.id()
	if id == "" {
		return errors.New("the container never started")
	}
	_ = c.pool.Client.UnpauseContainer(id)
	// No grace period: the image's stop signal may be one the server
	// ignores, and Stop is a crash.
	err := c.pool.Client.StopContainer(id, 0)
	var notRunning *dc.ContainerNotRunning
	if errors.As(err, &notRunning) {
		return nil
	}
	return err
}

func (c *containerInstance) pause() error   { return c.pool.Client.PauseContainer(c.id()) }
func (c *containerInstance) unpause() error { return c.pool.Client.UnpauseContainer(c.id()) }

func (c *containerInstance) exited() (bool, string) {
	id := c.id()
	if id == "" {
		return false, ""
	}
	ci, err := c.pool.Client.InspectContainer(id)
	if err != nil {
		return false, ""
	}
	if ci.State.Running || ci.State.Paused || ci.State.Restarting {
		return false, ""
	}
	return true, fmt.Sprintf("container exited with code %d", ci.State.ExitCode)
}

func (c *containerInstance) logs() string {
	id := c.id()
	if id == "" {
		return "(no container)"
	}
	var b bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := c.pool.Client.Logs(dc.LogsOptions{
		Context: ctx, Container: id,
		OutputStream: &b, ErrorStream: &b,
		Stdout: true, Stderr: true, Tail: strconv.Itoa(logTail),
	})
	if err != nil {
		fmt.Fprintf(&b, "\n(reading the container's output failed: %v)", err)
	}
	return b.String()
}

func (c *containerInstance) destroy() {
	c.mu.Lock()
	res := c.res
	c.res = nil
	c.mu.Unlock()
	if res == nil {
		return
	}
	_ = c.pool.Client.UnpauseContainer(res.Container.ID)
	_ = c.pool.Purge(res)
}
