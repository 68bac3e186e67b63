package redistest

// This file starts child processes on Linux: each gets SIGKILL when the
// thread that started it ends (Pdeathsig), so servers never outlive a test
// process killed by a timeout or a signal. Pdeathsig follows the starting
// thread, not the process: the children are started from one goroutine
// locked to a thread that never ends.

import (
	"os/exec"
	"runtime"
	"sync"
	"syscall"
)

func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

type spawnRequest struct {
	cmd   *exec.Cmd
	reply chan error
}

var (
	spawnOnce sync.Once
	spawns    chan spawnRequest
)

func spawn(cmd *exec.Cmd) error {
	spawnOnce.Do(func() {
		spawns = make(chan spawnRequest)
		go func() {
			runtime.LockOSThread() // never unlocked: the thread lives as long as the process
			for r := range spawns {
				r.reply <- r.cmd.Start()
			}
		}()
	})
	reply := make(chan error, 1)
	spawns <- spawnRequest{cmd, reply}
	return <-reply
}
