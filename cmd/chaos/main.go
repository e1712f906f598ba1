// Command chaos runs the reliability suite of docspace-offboarding: it builds
// the consumer, the DocSpace simulator and nats-server, then runs every
// scenario of internal/chaos (consumer kills, NATS restarts, a cluster node
// lost, DocSpace errors, rate limits, latency, resets, hung jobs, network
// cuts, a NATS crash while publishing) on fresh state, prints the figures,
// and optionally writes them into docs/RELIABILITY.md.
//
//	go run ./cmd/chaos                                  # the whole suite
//	go run ./cmd/chaos -scenario consumer-kill,network-cut -n 10
//	go run ./cmd/chaos -report docs/RELIABILITY.md      # refresh the figures
//
// It exits 1 when a scenario fails (a termination lost or not completed, a
// duplicated DocSpace side effect, a duplicate result, an acknowledged
// publish lost) or the harness fails, and 2 on bad usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/chaos"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("chaos", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scenarios := fs.String("scenario", "", "comma-separated scenarios to run (default: all of the suite)")
	n := fs.Int("n", 20, "terminations per scenario")
	seed := fs.Uint64("seed", 0, "random seed (0: pick one and print it)")
	keep := fs.Bool("keep", false, "keep the work directory and logs (they are kept anyway when a scenario fails)")
	report := fs.String("report", "", "rewrite the figures between the chaos markers of this Markdown file")
	dir := fs.String("dir", "", "work directory (default: a new temporary directory)")
	bin := fs.String("bin", "", "where to build the programs (default: a cache directory reused between runs)")
	wait := fs.Duration("wait", 4*time.Minute, "bound on a scenario's publishing and faults, and again on the wait for its results")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: chaos [flags]\n\nScenarios: %s, and scale-out.\n\nFlags:\n", names())
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	list, err := chaos.Select(*scenarios)
	if err != nil || *n < 1 {
		if err == nil {
			err = errors.New("-n must be at least 1")
		}
		fmt.Fprintf(stderr, "chaos: %v\n", err)
		return 2
	}
	if *seed == 0 {
		*seed = uint64(time.Now().UnixNano())
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))

	if *bin == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			cache = os.TempDir()
		}
		*bin = filepath.Join(cache, "docspace-offboarding", "chaos-bin")
	}
	if *dir == "" {
		if *dir, err = os.MkdirTemp("", "chaos-"); err != nil {
			fmt.Fprintf(stderr, "chaos: %v\n", err)
			return 1
		}
	}

	started := time.Now()
	logger.Info("building", "dir", *bin)
	bins, err := chaos.Build(ctx, chaos.BuildOptions{Dir: *bin})
	if err != nil {
		fmt.Fprintf(stderr, "chaos: %v\n", err)
		return 1
	}
	logger.Info("running", "scenarios", len(list), "n", *n, "seed", *seed, "dir", *dir)
	o := chaos.Options{Binaries: bins, Dir: *dir, N: *n, Seed: *seed, Wait: *wait, Logger: logger}
	var rows []chaos.Row
	failed := false
	for _, s := range list {
		if ctx.Err() != nil {
			break
		}
		logger.Info("scenario", "name", s.Name, "fault", s.Fault)
		row := chaos.RunScenario(ctx, o, s)
		rows = append(rows, row)
		failed = failed || !row.Passed()
		logger.Info("scenario done", "name", s.Name, "pass", row.Passed(), "completed", row.Completed,
			"lost", row.Lost, "duplicated_side_effects", row.SideEffects.Total(),
			"duplicate_results", row.DuplicateResults, "duration", row.Duration.Round(time.Second), "err", row.Err)
	}
	total := time.Since(started)

	fmt.Fprintf(stdout, "\nseed %d, %d terminations per scenario, %s in all\n\n", *seed, *n, total.Round(time.Second))
	fmt.Fprint(stdout, chaos.Table(rows))
	fmt.Fprintln(stdout)
	fmt.Fprint(stdout, chaos.Details(rows, 20))

	if *report != "" && ctx.Err() == nil {
		cmd := "go run ./cmd/chaos -report " + *report
		if *scenarios != "" {
			cmd += " -scenario " + *scenarios
		}
		if *n != 20 {
			cmd += fmt.Sprintf(" -n %d", *n)
		}
		block := chaos.Block(chaos.Summary{Command: cmd, Seed: *seed, N: *n, Started: started, Duration: total}, rows)
		if err := chaos.WriteReport(*report, block); err != nil {
			fmt.Fprintf(stderr, "chaos: %v\n", err)
			return 1
		}
		logger.Info("report written", "path", *report)
	}
	if *keep || failed || ctx.Err() != nil {
		logger.Info("work directory kept", "dir", *dir)
	} else if err := os.RemoveAll(*dir); err != nil {
		logger.Warn("remove work directory", "err", err)
	}
	if failed || ctx.Err() != nil {
		return 1
	}
	return 0
}

// names lists the suite's scenarios.
func names() string {
	var out []string
	for _, s := range chaos.Scenarios() {
		out = append(out, s.Name)
	}
	return strings.Join(out, ", ")
}
