//go:build unix

package redistest

// This file holds the process signals of Unix systems: Pause and Unpause
// of local servers, and whether a test process still runs.

import (
	"errors"
	"os"
	"syscall"
)

// freezeProcess stops (SIGSTOP) or resumes (SIGCONT) p.
func freezeProcess(p *os.Process, stop bool) error {
	if stop {
		return p.Signal(syscall.SIGSTOP)
	}
	return p.Signal(syscall.SIGCONT)
}

// processAlive reports whether process pid runs.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
