// Command consumer is the docspace-offboarding service: it consumes
// employee.terminated events from NATS JetStream and offboards each employee
// in ONLYOFFICE DocSpace.
//
// With NATS_URL unset it runs an embedded NATS server. With --demo it also
// runs the DocSpace simulator in-process, offboards a sample employee, prints
// the report, and keeps serving for more.
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
	"syscall"
	"time"

	"github.com/sethvargo/go-envconfig"

	"github.com/docspace-offboarding/docspace-offboarding/internal/config"
	"github.com/docspace-offboarding/docspace-offboarding/internal/health"
	"github.com/docspace-offboarding/docspace-offboarding/internal/logging"
)

// exitUsage is the exit code for a configuration the service cannot start with.
const exitUsage = 2

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], envconfig.OsLookuper(), os.Stdout, os.Stderr))
}

// run is the whole program; it returns the exit code.
func run(ctx context.Context, args []string, env envconfig.Lookuper, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("consumer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	demo := fs.Bool("demo", false, "run the DocSpace simulator in-process, offboard a sample employee, and keep serving")
	probe := fs.String("probe", "", "check a running service's health endpoint (e.g. http://127.0.0.1:8080/readyz) and exit 0 if it answers 200")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: consumer [--demo]\n\nConfiguration comes from environment variables; see the README.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "consumer: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if *probe != "" {
		if err := health.Probe(ctx, *probe, 5*time.Second); err != nil {
			fmt.Fprintf(stderr, "consumer: %v\n", err)
			return 1
		}
		return 0
	}

	cfg, err := config.Load(ctx, env)
	if err != nil {
		fmt.Fprintf(stderr, "consumer: %v\n", err)
		return exitUsage
	}
	if err := cfg.Validate(*demo); err != nil {
		fmt.Fprintf(stderr, "consumer: invalid configuration:\n%v\n", err)
		return exitUsage
	}
	logger, err := logging.New(stderr, cfg.LogLevel, string(cfg.LogFormat))
	if err != nil {
		fmt.Fprintf(stderr, "consumer: %v\n", err)
		return exitUsage
	}
	slog.SetDefault(logger)

	if err := serve(ctx, cfg, *demo, logger, stdout); err != nil {
		logger.Error("consumer stopped", "err", err)
		return 1
	}
	return 0
}
