//go:build !linux

package redistest

// This file starts child processes where Pdeathsig does not exist: a
// server outlives a test process that is killed before its cleanup runs.

import (
	"os/exec"
	"syscall"
)

func childAttr() *syscall.SysProcAttr { return nil }

func spawn(cmd *exec.Cmd) error { return cmd.Start() }
