package redistest

// This file is the backends' common interface and the Local backend: a
// server binary run as a child process, its output in a file of its
// directory.

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
)

// instance is one server process of some backend.
type instance interface {
	// start runs the server (again, after stop).
	start() error
	// stop kills the server abruptly; start may follow.
	stop() error
	pause() error
	unpause() error
	// exited reports whether the server is no longer running, and how it
	// ended.
	exited() (bool, string)
	// logs returns the server's last lines of output.
	logs() string
	// destroy kills the server and removes what the backend made for it.
	destroy()
}

// logTail is how many lines of a server's output logs returns.
const logTail = 300

// localInstance runs a binary as a child process killed when the test
// process dies (Linux: Pdeathsig).
type localInstance struct {
	binary  string
	args    []string
	logPath string

	mu      sync.Mutex
	cmd     *exec.Cmd
	done    chan struct{} // closed when cmd ended
	waitErr error
	paused  bool
}

func (p *localInstance) start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd != nil && !isClosed(p.done) {
		return errors.New("the server is running already")
	}
	out, err := os.OpenFile(p.logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer out.Close() // the child has its own descriptor
	cmd := exec.Command(p.binary, p.args...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = childAttr()
	if err := spawn(cmd); err != nil {
		return fmt.Errorf("run %s: %w", p.binary, err)
	}
	done := make(chan struct{})
	p.cmd, p.done, p.paused = cmd, done, false
	go func() {
		err := cmd.Wait()
		p.mu.Lock()
		p.waitErr = err
		p.mu.Unlock()
		close(done)
	}()
	return nil
}

func (p *localInstance) stop() error {
	p.mu.Lock()
	cmd, done, paused := p.cmd, p.done, p.paused
	p.paused = false
	p.mu.Unlock()
	if cmd == nil {
		return errors.New("the server never started")
	}
	if isClosed(done) {
		return nil
	}
	if paused {
		_ = freezeProcess(cmd.Process, false)
	}
	_ = cmd.Process.Kill()
	<-done
	return nil
}

// freeze stops (SIGSTOP) or resumes (SIGCONT) the process.
func (p *localInstance) freeze(stop bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil || isClosed(p.done) {
		return errors.New("the server is not running")
	}
	if err := freezeProcess(p.cmd.Process, stop); err != nil {
		return err
	}
	p.paused = stop
	return nil
}

func (p *localInstance) pause() error   { return p.freeze(true) }
func (p *localInstance) unpause() error { return p.freeze(false) }

func (p *localInstance) exited() (bool, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil || !isClosed(p.done) {
		return false, ""
	}
	if p.waitErr == nil {
		return true, "exited with status 0"
	}
	return true, p.waitErr.Error()
}

func (p *localInstance) logs() string {
	b, err := os.ReadFile(p.logPath)
	if err != nil {
		return fmt.Sprintf("(no output: %v)", err)
	}
	return lastLines(string(b), logTail)
}

func (p *localInstance) destroy() { _ = p.stop() }

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	s = strings.TrimRight(s, "\n")
	i := len(s)
	for range n {
		j := strings.LastIndexByte(s[:i], '\n')
		if j < 0 {
			return s
		}
		i = j
	}
	return s[i+1:]
}
