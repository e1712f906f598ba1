package chaos

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// ErrRunning is returned by Process.Start while the process runs.
var ErrRunning = errors.New("process already running")

// ProcessSpec describes a program the harness runs.
type ProcessSpec struct {
	// Name identifies the process in log file names and errors.
	Name string
	Path string
	Args []string
	// Env is the whole environment of the process; nothing is inherited.
	Env []string
	// LogDir receives one log file per start: <Name>.<run>.log, stdout and
	// stderr together.
	LogDir string
}

// Process is a child process that the harness starts, stops, kills and
// starts again. It is safe for concurrent use.
type Process struct {
	spec ProcessSpec

	mu      sync.Mutex
	cmd     *exec.Cmd
	done    chan struct{} // closed when the current run has exited
	runs    int
	logs    []string
	started time.Time
	exits   []Exit
}

// Exit is how one run of a process ended.
type Exit struct {
	Run int
	// Code is the exit status; -1 when a signal ended the process.
	Code int
	// Signal is the signal that ended it, if any.
	Signal string
	// Expected is true when the harness stopped or killed it.
	Expected bool
	At       time.Time
}

// NewProcess returns a process that is not running yet.
func NewProcess(spec ProcessSpec) (*Process, error) {
	switch {
	case spec.Name == "", spec.Path == "", spec.LogDir == "":
		return nil, errors.New("new process: name, path and log directory are required")
	}
	if err := os.MkdirAll(spec.LogDir, 0o755); err != nil {
		return nil, fmt.Errorf("new process %s: %w", spec.Name, err)
	}
	return &Process{spec: spec}, nil
}

// Name is the process's name.
func (p *Process) Name() string { return p.spec.Name }

// Start starts a new run of the process.
func (p *Process) Start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.runningLocked() {
		return fmt.Errorf("start %s: %w", p.spec.Name, ErrRunning)
	}
	run := p.runs + 1
	logPath := filepath.Join(p.spec.LogDir, fmt.Sprintf("%s.%03d.log", p.spec.Name, run))
	f, err := os.Create(logPath)
	if err != nil {
		return fmt.Errorf("start %s: %w", p.spec.Name, err)
	}
	cmd := exec.Command(p.spec.Path, p.spec.Args...)
	cmd.Env = p.spec.Env
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = childAttr()
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("start %s: %w", p.spec.Name, err)
	}
	p.runs = run
	p.logs = append(p.logs, logPath)
	p.cmd = cmd
	p.started = time.Now()
	done := make(chan struct{})
	p.done = done
	go func() {
		err := cmd.Wait()
		f.Close()
		p.recordExit(run, cmd, err)
		close(done)
	}()
	return nil
}

// recordExit notes how a run ended.
func (p *Process) recordExit(run int, cmd *exec.Cmd, err error) {
	e := Exit{Run: run, Code: -1, At: time.Now()}
	if st := cmd.ProcessState; st != nil {
		e.Code = st.ExitCode()
		if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			e.Signal = ws.Signal().String()
		}
	} else if err != nil {
		e.Signal = err.Error()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.exits = append(p.exits, e)
}

func (p *Process) runningLocked() bool {
	if p.done == nil {
		return false
	}
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// Running reports whether the process runs now.
func (p *Process) Running() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.runningLocked()
}

// Pid is the process id of the current run, or 0.
func (p *Process) Pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.runningLocked() {
		return 0
	}
	return p.cmd.Process.Pid
}

// StartedAt is when the current (or last) run started.
func (p *Process) StartedAt() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.started
}

// Runs is how many times the process was started.
func (p *Process) Runs() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.runs
}

// Logs lists the log files of every run, oldest first.
func (p *Process) Logs() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.logs...)
}

// LogPath is the log file of the current (or last) run, or "".
func (p *Process) LogPath() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.logs) == 0 {
		return ""
	}
	return p.logs[len(p.logs)-1]
}

// Exits lists how every finished run ended.
func (p *Process) Exits() []Exit {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Exit(nil), p.exits...)
}

// Unexpected lists the runs that ended without the harness stopping them.
func (p *Process) Unexpected() []Exit {
	var out []Exit
	for _, e := range p.Exits() {
		if !e.Expected {
			out = append(out, e)
		}
	}
	return out
}

// Kill sends SIGKILL to the current run and waits for it to end. Killing a
// process that is not running does nothing.
func (p *Process) Kill() error {
	return p.signalAndWait(context.Background(), syscall.SIGKILL, 0)
}

// Stop sends SIGTERM and waits up to grace for the process to exit; then it
// kills it. Stopping a process that is not running does nothing.
func (p *Process) Stop(ctx context.Context, grace time.Duration) error {
	return p.signalAndWait(ctx, syscall.SIGTERM, grace)
}

func (p *Process) signalAndWait(ctx context.Context, sig syscall.Signal, grace time.Duration) error {
	p.mu.Lock()
	if !p.runningLocked() {
		p.mu.Unlock()
		return nil
	}
	cmd, done, run := p.cmd, p.done, p.runs
	p.mu.Unlock()

	if err := cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("signal %s: %w", p.spec.Name, err)
	}
	if sig != syscall.SIGKILL {
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-done:
			p.markExpected(run)
			return nil
		case <-t.C:
		case <-ctx.Done():
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
			return fmt.Errorf("kill %s: %w", p.spec.Name, err)
		}
	}
	<-done
	p.markExpected(run)
	return nil
}

// markExpected records that the harness ended run.
func (p *Process) markExpected(run int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := range p.exits {
		if p.exits[i].Run == run {
			p.exits[i].Expected = true
		}
	}
}

// errExited is returned by waitUntil when the process exited while it waited.
var errExited = errors.New("process exited")

// waitUntil calls check at once and then each time every has passed, until
// check reports done. It returns nil then; check's error when it fails; errExited when the
// current run ends first; or ctx's error when ctx ends first.
func (p *Process) waitUntil(ctx context.Context, every time.Duration, check func() (bool, error)) error {
	for {
		done, err := check()
		switch {
		case err != nil:
			return err
		case done:
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-p.Done():
			return errExited
		case <-time.After(every):
		}
	}
}

// Done is closed when the current run ends; nil before the first start.
func (p *Process) Done() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done
}
