package redistest

// This file is the configuration of the servers and the choice of their
// backend (a local binary or a container).

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"time"
)

// Backend says where servers run.
type Backend int

const (
	// Auto picks a backend as the package documentation says.
	Auto Backend = iota
	// Local runs a redis-server or valkey-server binary as a child process.
	Local
	// Container runs the server in a Docker container (dockertest).
	Container
)

// String returns the backend's name.
func (b Backend) String() string {
	switch b {
	case Auto:
		return "auto"
	case Local:
		return "local"
	case Container:
		return "container"
	}
	return fmt.Sprintf("Backend(%d)", int(b))
}

// Environment variables that choose the backend when Config leaves it to
// Auto.
const (
	// EnvImage names a Docker image: servers then run in containers.
	EnvImage = "REDISTEST_IMAGE"
	// EnvServer names a server binary (a path, or a name on $PATH).
	EnvServer = "REDISTEST_SERVER"
)

// Config configures a server (and every node of a cluster or sentinel
// group). The zero value is a password-less server without persistence
// from the backend Auto finds.
type Config struct {
	// Backend forces a backend; Auto (the zero value) picks one.
	Backend Backend
	// Binary is the server binary of the Local backend (a path, or a name
	// looked up on $PATH). For the Container backend it is the command run
	// in the container (default redis-server).
	Binary string
	// Image is the Docker image of the Container backend. It must run the
	// server as root or be able to read and write the test's temporary
	// directory, which is mounted at the same path in the container.
	Image string
	// Name names the server in logs and its container.
	Name string
	// Dir is the server's directory (default: a new temporary directory,
	// t.TempDir for Start). Files placed there first (an ACL file, say)
	// can be named in Extra; two servers must not share one.
	Dir string
	// Password is the default user's password (requirepass, and
	// masterauth for replicas).
	Password string
	// TLS makes the server serve TLS only, on its port, with a
	// certificate for 127.0.0.1 and localhost from a CA of its own that
	// also signed a client certificate (tls-auth-clients yes: Extra can
	// say "tls-auth-clients optional"). Server.TLSConfig trusts the CA and
	// presents the client certificate; Options and URL use TLS. Start and
	// NewServer only.
	TLS bool
	// Sentinel runs the server as a sentinel (--sentinel): Extra then
	// holds its sentinel directives ("sentinel monitor ...") and Password
	// is the sentinel's own requirepass. StartSentinel does this for a
	// whole group.
	Sentinel bool
	// Extra are configuration file lines added after redistest's own,
	// which they override: "maxmemory 10mb", "appendonly yes".
	Extra []string
	// Args are extra command-line arguments, after the configuration
	// file: "--loglevel", "verbose".
	Args []string
	// StartTimeout bounds each start of a server until it answers PING
	// (default 30 s).
	StartTimeout time.Duration
}

// plan is a resolved Config: the backend and what it runs.
type plan struct {
	backend Backend
	binary  string // Local: the binary's path; Container: the command
	image   string // Container only
}

// resolve chooses the backend of cfg.
func (cfg Config) resolve() (plan, error) {
	switch cfg.Backend {
	case Local:
		return localPlan(cfg.Binary)
	case Container:
		return containerPlan(cfg.Image, cfg.Binary)
	case Auto:
	default:
		return plan{}, fmt.Errorf("redistest: unknown Config.Backend %d (want Auto, Local or Container)", int(cfg.Backend))
	}
	switch {
	case cfg.Image != "":
		return containerPlan(cfg.Image, cfg.Binary)
	case cfg.Binary != "":
		return localPlan(cfg.Binary)
	case os.Getenv(EnvImage) != "":
		return containerPlan("", "")
	case os.Getenv(EnvServer) != "":
		return localPlan("")
	}
	for _, name := range []string{"redis-server", "valkey-server"} {
		if path, err := exec.LookPath(name); err == nil {
			return plan{backend: Local, binary: path}, nil
		}
	}
	return plan{}, errors.New("redistest: no server to start: install redis-server or valkey-server " +
		"(Debian and Ubuntu: apt-get install redis-server), set " + EnvServer + " to a server binary, " +
		"or set " + EnvImage + " to a Docker image (e.g. redis:7) to run servers in containers")
}

func localPlan(binary string) (plan, error) {
	from := "Config.Binary"
	if binary == "" {
		binary, from = os.Getenv(EnvServer), "$"+EnvServer
	}
	if binary == "" {
		for _, name := range []string{"redis-server", "valkey-server"} {
			if path, err := exec.LookPath(name); err == nil {
				return plan{backend: Local, binary: path}, nil
			}
		}
		return plan{}, errors.New("redistest: the Local backend found no redis-server or valkey-server on $PATH: " +
			"install one (Debian and Ubuntu: apt-get install redis-server) or set " + EnvServer + " to a server binary")
	}
	path, err := exec.LookPath(binary)
	if err != nil {
		return plan{}, fmt.Errorf("redistest: the server binary %q (%s) cannot be run: %w", binary, from, err)
	}
	return plan{backend: Local, binary: path}, nil
}

func containerPlan(image, command string) (plan, error) {
	if image == "" {
		image = os.Getenv(EnvImage)
	}
	if image == "" {
		return plan{}, errors.New("redistest: the Container backend needs an image: set Config.Image or " + EnvImage)
	}
	if command == "" {
		command = "redis-server"
	}
	return plan{backend: Container, binary: command, image: image}, nil
}

func (cfg Config) startTimeout() time.Duration {
	if cfg.StartTimeout > 0 {
		return cfg.StartTimeout
	}
	return 30 * time.Second
}
