package main

import (
	"bytes"
	"context"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sethvargo/go-envconfig"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestConfigurationErrorsExitTwo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no portal", nil, map[string]string{}, "DOCSPACE_API_HOST is required"},
		{"no key", nil, map[string]string{"DOCSPACE_API_HOST": "https://acme.onlyoffice.com"}, "DOCSPACE_API_KEY is required"},
		{"bad number", nil, map[string]string{"OFFBOARDING_CONCURRENCY": "lots"}, "Concurrency"},
		{"unknown flag", []string{"--nope"}, map[string]string{}, "flag provided but not defined"},
		{"stray argument", []string{"extra"}, map[string]string{}, `unexpected argument "extra"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr syncBuffer
			code := run(t.Context(), tc.args, envconfig.MapLookuper(tc.env), &stdout, &stderr)
			if code != exitUsage {
				t.Errorf("exit code = %d, want %d", code, exitUsage)
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr = %q, want it to say %q", stderr.String(), tc.want)
			}
			if regexp.MustCompile(`sk-[0-9a-f]{8}`).MatchString(stderr.String()) {
				t.Error("stderr shows a key")
			}
		})
	}
}

// TestDemo runs the demo as a new user would and waits for the sample
// offboarding's report.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS and the simulator")
	}
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	healthAddr := l.Addr().String()
	l.Close()
	env := envconfig.MapLookuper(map[string]string{
		"OFFBOARDING_NATS_LISTEN": "127.0.0.1:0",
		"OFFBOARDING_HEALTH_ADDR": healthAddr,
		"OFFBOARDING_DATA_DIR":    t.TempDir(),
		"LOG_FORMAT":              "json",
	})
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	start := time.Now()
	go func() { done <- run(ctx, []string{"--demo"}, env, &stdout, &stderr) }()

	deadline := time.After(30 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !strings.Contains(stdout.String(), "Press Ctrl-C to stop.") {
		select {
		case code := <-done:
			t.Fatalf("demo exited with %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
		case <-deadline:
			t.Fatalf("no report within 30 s\nstdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
		case <-tick.C:
		}
	}
	t.Logf("demo report after %s", time.Since(start).Round(time.Millisecond))
	var probeOut syncBuffer
	if code := run(ctx, []string{"--probe", "http://" + healthAddr + "/readyz"}, envconfig.MapLookuper(nil), &probeOut, &probeOut); code != 0 {
		t.Errorf("readiness probe = %d: %s", code, probeOut.String())
	}
	out := stdout.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`Offboarding demo-\d+: COMPLETED`),
		regexp.MustCompile(`disable\s+done`), regexp.MustCompile(`reassign\s+done`), regexp.MustCompile(`archive\s+done`),
		regexp.MustCompile(`access\s+done`), regexp.MustCompile(`audit\s+done`),
		regexp.MustCompile(`archived\s+folder "Jane Roe" \(1001\)`),
		regexp.MustCompile(`exported\s+report-json`),
		regexp.MustCompile(`go run ./cmd/publish`),
	} {
		if !want.MatchString(out) {
			t.Errorf("demo output lacks %s:\n%s", want, out)
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit code after interrupt = %d, want 0\nstderr:\n%s", code, stderr.String())
		}
	case <-time.After(40 * time.Second):
		t.Fatal("demo did not stop within 40 s of the interrupt")
	}
}
