package chaos_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/chaos"
)

// buildPrograms builds the consumer, the simulator and nats-server once per
// test binary, without the race detector, into a directory reused between
// runs (the go command leaves up-to-date programs alone).
var buildPrograms = sync.OnceValues(func() (*chaos.Binaries, error) {
	dir := filepath.Join(os.TempDir(), "docspace-offboarding-chaos-bin")
	if cache, err := os.UserCacheDir(); err == nil {
		dir = filepath.Join(cache, "docspace-offboarding", "chaos-bin")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		// No writable cache (a read-only home): build into a fresh directory.
		if dir, err = os.MkdirTemp("", "chaos-bin-"); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	return chaos.Build(ctx, chaos.BuildOptions{Dir: dir})
})

// scaleOutSeed fixes the scale-out test's random choices.
const scaleOutSeed = 20_260_301

// TestScaleOut runs three consumer processes of the real binary on a
// three-node cluster (R3 streams and bucket), publishes 30 terminations,
// kills one consumer and the busiest NATS node mid-run (neither comes back),
// and checks from outside that every termination completed exactly once.
// Run with -artifacts to keep the processes' logs.
func TestScaleOut(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real programs for about a minute")
	}
	bins, err := buildPrograms()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	const n = 30
	logger := slog.New(slog.DiscardHandler)
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(t.Output(), nil))
	}
	start := time.Now()
	row := chaos.RunScenario(t.Context(), chaos.Options{
		Binaries: bins, Dir: t.ArtifactDir(), N: n, Seed: scaleOutSeed, Wait: 90 * time.Second, Logger: logger,
	}, chaos.ScaleOut())
	t.Logf("scale-out: %d terminations in %s (seed %d)", n, time.Since(start).Round(time.Second), scaleOutSeed)
	t.Logf("figures:\n%s\n%s", chaos.Table([]chaos.Row{row}), chaos.Details([]chaos.Row{row}, 50))
	for name, w := range row.Work {
		t.Logf("%s: %d attempts started, %d results published", name, w.Started, w.Finished)
	}
	if row.Err != nil {
		t.Fatalf("harness: %v", row.Err)
	}

	checks := []struct {
		name      string
		got, want int
	}{
		{"attempted", row.Attempted, n},
		{"completed", row.Completed, n},
		{"lost", row.Lost, 0},
		{"duplicated side effects", row.SideEffects.Total(), 0},
		{"duplicate results", row.DuplicateResults, 0},
		{"acknowledged publishes lost", row.AckedLost, 0},
		{"faults", len(row.Faults), 2},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	for _, p := range row.Problems {
		t.Errorf("problem: %s", p)
	}
	working := 0
	for _, w := range row.Work {
		if w.Finished > 0 {
			working++
		}
	}
	if working < 2 {
		t.Errorf("%d consumer(s) published results, want the work spread over at least 2", working)
	}
}
