//go:build !unix

package redistest

// This file stands in for process signals where there are none: local
// servers cannot be paused, and no container is taken for a dead test
// process's.

import (
	"errors"
	"os"
)

func freezeProcess(*os.Process, bool) error {
	return errors.New("pausing a local server needs SIGSTOP (a Unix system); the Container backend pauses on any system")
}

func processAlive(int) bool { return true }
