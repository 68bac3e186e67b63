package redistest

// This file is the Container backend: the server in a Docker container
// (dockertest), with host networking so that it listens on 127.0.0.1 of
// the host and announces addresses clients can reach, and the server's
// directory mounted at the same path. Containers carry labels naming the
// test process: those whose process is gone (killed before its cleanup
// ran) are removed the next time a process connects to the engine.

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ory/dockertest/v3"
	dc "github.com/ory/dockertest/v3/docker"
)

func newContainer(p plan, dir, name string, port int, args []string) (instance, error) {
	return nil, errors.New("the Container backend is not implemented yet")
}

var (
	_ = fmt.Sprint
	_ = os.Getpid
	_ = regexp.MustCompile
	_ = strconv.Itoa
	_ = strings.Cut
	_ = syscall.Kill
	_ = time.Second
	_ dockertest.Pool
	_ dc.Config
)
