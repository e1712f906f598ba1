// Command docspace-simulator serves the DocSpace simulator (package docspacetest) on a TCP address, loaded
// with the demo portal or a fixture file, for demos and manual testing.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
)

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(context.Background(), os.Args[1:], logger); err != nil {
		logger.Error("docspace simulator stopped", "err", err)
		os.Exit(1)
	}
}

// run parses flags, serves the simulator until SIGINT/SIGTERM, then shuts down gracefully.
func run(ctx context.Context, args []string, logger *slog.Logger) error {
	fs := flag.NewFlagSet("docspace-simulator", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8092", "listen address")
	fixture := fs.String("fixture", "", "portal fixture JSON file (default: the embedded demo portal)")
	seed := fs.Uint64("seed", 0, "seed for generated ids, keys and fault decisions (0: fixed default)")
	reassign := fs.Duration("reassign-duration", 0, "how long a reassign or remove job runs (0: DocSpace-like 2s)")
	fileOps := fs.Duration("file-operation-duration", 0, "how long a move or archive runs (0: 1s)")
	workers := fs.Int("people-job-workers", 0, "reassign/remove jobs run at once; the rest queue (0: 1, as one DocSpace People service)")
	adminAddr := fs.String("admin-addr", "", "also serve the control API (faults, state) here, e.g. 127.0.0.1:8093; never expose it")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("parse flags: %w", err)
	}

	data := docspacetest.DemoFixture()
	if *fixture != "" {
		b, err := os.ReadFile(*fixture)
		if err != nil {
			return fmt.Errorf("read fixture: %w", err)
		}
		data = b
	}
	sim, err := docspacetest.New(docspacetest.Options{Seed: *seed, ReassignDuration: *reassign, RemoveDuration: *reassign,
		FileOperationDuration: *fileOps, PeopleJobWorkers: *workers})
	if err != nil {
		return fmt.Errorf("create simulator: %w", err)
	}
	defer sim.Close()
	adminKey, err := sim.LoadFixture(bytes.NewReader(data))
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	base := "http://" + ln.Addr().String()
	logger.Info("docspace simulator listening", "url", base)
	if adminKey != "" {
		for _, k := range sim.Keys("") {
			if k.Secret == adminKey {
				// The demo key is a simulator key with no value outside this process, so it is printed.
				logger.Info("admin api key (simulator only)", "name", k.Name, "owner", k.OwnerID, "key", adminKey)
			}
		}
	}

	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	var adminSrv *http.Server
	if *adminAddr != "" {
		aln, err := net.Listen("tcp", *adminAddr)
		if err != nil {
			return fmt.Errorf("listen for the control API: %w", err)
		}
		adminSrv = &http.Server{Handler: sim.AdminHandler(), ReadHeaderTimeout: 10 * time.Second}
		logger.Info("control API listening", "url", "http://"+aln.Addr().String())
		go func() {
			if err := adminSrv.Serve(aln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("control API: %w", err)
			}
		}()
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if adminSrv != nil {
		if err := adminSrv.Shutdown(shutdownCtx); err != nil {
			return fmt.Errorf("shutdown control API: %w", err)
		}
	}
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
