package chaos_test

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/chaos"
)

// helperEnv selects what TestHelperProcess does when the test binary runs
// as a child of a Process.
const helperEnv = "CHAOS_TEST_HELPER"

// TestHelperProcess is not a test: it is the child program of the process
// tests. "wait" runs until SIGTERM and exits 0; "fail" exits 3 at once.
func TestHelperProcess(t *testing.T) {
	switch os.Getenv(helperEnv) {
	case "wait":
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
		defer stop()
		os.Stdout.WriteString("ready\n")
		<-ctx.Done()
		os.Exit(0)
	case "fail":
		os.Exit(3)
	}
}

func helper(t *testing.T, mode string) *chaos.Process {
	t.Helper()
	p, err := chaos.NewProcess(chaos.ProcessSpec{
		Name: "helper-" + mode, Path: os.Args[0], Args: []string{"-test.run=^TestHelperProcess$"},
		Env: []string{helperEnv + "=" + mode}, LogDir: t.TempDir(),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Kill() })
	return p
}

// waitReady waits until the current run of p has written "ready" to its log.
func waitReady(t *testing.T, p *chaos.Process) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		b, err := os.ReadFile(p.LogPath())
		if err == nil && strings.Contains(string(b), "ready") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not get ready", p.Name())
		}
		select {
		case <-p.Done():
			t.Fatalf("%s exited before it was ready", p.Name())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// waitDone waits for the current run of p to end.
func waitDone(t *testing.T, p *chaos.Process) {
	t.Helper()
	select {
	case <-p.Done():
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not exit", p.Name())
	}
}

func TestProcessStopKillRestart(t *testing.T) {
	t.Parallel()
	p := helper(t, "wait")
	if err := p.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	if err := p.Start(); !errors.Is(err, chaos.ErrRunning) {
		t.Errorf("second Start: got %v, want %v", err, chaos.ErrRunning)
	}
	if !p.Running() || p.Pid() == 0 {
		t.Fatalf("Running() = %v, Pid() = %d after Start", p.Running(), p.Pid())
	}
	waitReady(t, p)
	if err := p.Stop(t.Context(), 20*time.Second); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := p.Start(); err != nil {
		t.Fatalf("restart: %v", err)
	}
	if err := p.Kill(); err != nil {
		t.Fatalf("Kill: %v", err)
	}
	if p.Running() {
		t.Error("running after Kill")
	}

	exits := p.Exits()
	if len(exits) != 2 {
		t.Fatalf("Exits() = %+v, want 2 runs", exits)
	}
	if e := exits[0]; e.Run != 1 || e.Code != 0 || !e.Expected {
		t.Errorf("run 1 (SIGTERM) ended %+v, want code 0, expected", e)
	}
	if e := exits[1]; e.Run != 2 || e.Signal != "killed" || !e.Expected {
		t.Errorf("run 2 (SIGKILL) ended %+v, want killed, expected", e)
	}
	if got := len(p.Logs()); got != 2 || p.Runs() != 2 {
		t.Errorf("%d log files for %d runs, want 2 and 2", got, p.Runs())
	}
	if u := p.Unexpected(); len(u) != 0 {
		t.Errorf("Unexpected() = %+v, want none", u)
	}
}

func TestProcessUnexpectedExit(t *testing.T) {
	t.Parallel()
	p := helper(t, "fail")
	if err := p.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	waitDone(t, p)
	u := p.Unexpected()
	if len(u) != 1 || u[0].Code != 3 {
		t.Fatalf("Unexpected() = %+v, want one exit with code 3", u)
	}
	if err := p.Kill(); err != nil {
		t.Errorf("Kill of an ended process: %v", err)
	}
}
