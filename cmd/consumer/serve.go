package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/docspace-offboarding/docspace-offboarding/internal/broker"
	"github.com/docspace-offboarding/docspace-offboarding/internal/checkpoint"
	"github.com/docspace-offboarding/docspace-offboarding/internal/config"
	"github.com/docspace-offboarding/docspace-offboarding/internal/consumer"
	"github.com/docspace-offboarding/docspace-offboarding/internal/demo"
	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/health"
	"github.com/docspace-offboarding/docspace-offboarding/internal/offboarding"
)

// serve wires the service together and runs it until ctx ends.
func serve(ctx context.Context, cfg *config.Config, demoMode bool, log *slog.Logger, stdout io.Writer) error {
	o := cfg.Offboarding

	natsURL := cfg.NATS.URL
	if natsURL == "" {
		storeDir := filepath.Join(o.DataDir, "nats")
		if demoMode {
			// The demo's DocSpace lives in memory; its broker starts empty too.
			dir, err := os.MkdirTemp("", "offboarding-demo-")
			if err != nil {
				return fmt.Errorf("demo store: %w", err)
			}
			defer os.RemoveAll(dir)
			storeDir = dir
		}
		host, port, err := splitHostPort(o.NATSListen)
		if err != nil {
			return fmt.Errorf("OFFBOARDING_NATS_LISTEN: %w", err)
		}
		if port == 0 {
			port = -1 // any free port
		}
		srv, err := broker.Start(broker.Options{
			Name: "offboarding", Host: host, Port: port, StoreDir: storeDir,
			SyncAlways: o.SyncAlways, Logger: log.With("component", "nats-server"),
		})
		if err != nil {
			return err
		}
		defer srv.Shutdown()
		if err := srv.WaitJetStream(ctx); err != nil {
			return err
		}
		natsURL = srv.ClientURL()
		log.Info("embedded nats server running", "url", natsURL, "store", storeDir, "sync_always", o.SyncAlways)
	}

	nc, err := connect(natsURL, cfg.NATS.Creds, log)
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("jetstream: %w", err)
	}

	topo := consumer.DefaultTopology()
	topo.InputStream, topo.OutputStream = o.InputStream, o.OutputStream
	topo.InputSubject, topo.Consumer = o.InputSubject, o.Consumer
	topo.CancelConsumer = o.Consumer + "-cancel"
	topo.Replicas, topo.DuplicateWindow = o.Replicas, o.DuplicateWindow
	topo.AckWait, topo.MaxDeliver = o.AckWait, o.MaxDeliver
	topo.MaxAckPending = max(topo.MaxAckPending, 4*o.Concurrency)
	if o.ManageStreams {
		err = consumer.Ensure(ctx, js, topo)
	} else {
		err = consumer.Check(ctx, js, topo)
	}
	if err != nil {
		return err
	}
	store, err := checkpoint.Open(ctx, js, checkpoint.Options{
		Bucket: o.StateBucket, Create: o.ManageStreams, Replicas: o.Replicas,
		Owner: owner(), LeaseTTL: o.LeaseTTL,
	})
	if err != nil {
		return err
	}

	baseURL, apiKey := "", cfg.DocSpace.APIKey.Value()
	if cfg.DocSpace.APIHost != nil {
		baseURL = cfg.DocSpace.APIHost.String()
	}
	defaults := offboarding.Defaults{ArchiveOwnerID: o.ArchiveOwnerID, ArchiveRoomID: events.EntryID(o.ArchiveRoomID), HRGroupID: o.HRGroupID}
	var show *demo.Demo
	if demoMode {
		show, err = demo.Start(ctx, demo.Options{Logger: log.With("component", "docspace-simulator"), Out: stdout})
		if err != nil {
			return err
		}
		defer show.Close()
		baseURL, apiKey = show.BaseURL(), show.APIKey()
		defaults = show.Defaults(defaults)
	}

	client, err := docspace.New(docspace.Options{
		BaseURL: baseURL,
		APIKey:  docspace.NewSecret(apiKey),
		Timeout: cfg.DocSpace.Timeout,
		Limits: docspace.Limits{
			Requests: cfg.DocSpace.RateLimit, Window: cfg.DocSpace.RateWindow,
			ParallelReads: cfg.DocSpace.MaxParallelReads, ParallelWrites: cfg.DocSpace.MaxParallelWrites,
		},
		Logger:    log.With("component", "docspace"),
		UserAgent: "docspace-offboarding",
	})
	if err != nil {
		return fmt.Errorf("docspace client: %w", err)
	}
	defer client.CloseIdleConnections()

	runner, err := offboarding.New(offboarding.Options{
		Client: client, Defaults: defaults, AuditWindow: o.AuditWindow, JobTimeout: o.JobTimeout, WriteSettle: o.WriteSettle,
		ArchiveRoomsNatively: o.ArchiveRoomsNatively, ReactivateOnCancel: o.ReactivateOnCancel,
		SkipAuditCSV: !o.ExportAuditCSV,
	})
	if err != nil {
		return err
	}
	decoder, err := events.NewDecoder()
	if err != nil {
		return err
	}
	encoder := events.Encoder{Source: o.EventSource, Mode: events.Structured}
	if o.OutputMode == "binary" {
		encoder.Mode = events.Binary
	}

	var onResult func(*events.Result)
	if show != nil {
		onResult = show.OnResult
	}
	worker, err := consumer.New(consumer.Options{
		JS: js, Topology: topo, Concurrency: o.Concurrency,
		Policy:   consumer.Policy{MaxAttempts: o.MaxAttempts, BaseDelay: o.RetryBaseDelay, MaxDelay: o.RetryMaxDelay},
		LeaseTTL: o.LeaseTTL, ShutdownTimeout: o.ShutdownTimeout,
		Runner: runner, Store: store, Decoder: decoder, Encoder: encoder,
		Logger: log, OnResult: onResult,
	})
	if err != nil {
		return err
	}

	var running atomic.Bool
	if o.HealthAddr != "" {
		stop, err := serveHealth(o.HealthAddr, log, func() error {
			if !nc.IsConnected() {
				return errors.New("not connected to NATS")
			}
			if !running.Load() {
				return errors.New("not consuming")
			}
			return nil
		})
		if err != nil {
			return err
		}
		defer stop()
	}

	errc := make(chan error, 1)
	running.Store(true)
	go func() {
		defer running.Store(false)
		errc <- worker.Run(ctx)
	}()
	if show != nil {
		if err := show.Run(ctx, js, natsURL); err != nil {
			log.Error("demo", "err", err)
		}
	}
	if err := <-errc; err != nil {
		return err
	}
	if err := nc.Drain(); err != nil {
		log.Warn("drain nats connection", "err", err)
	}
	return nil
}

// serveHealth serves /healthz and /readyz on addr until stop is called.
func serveHealth(addr string, log *slog.Logger, ready health.Check) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("OFFBOARDING_HEALTH_ADDR: %w", err)
	}
	srv := &http.Server{Handler: health.Handler(ready), ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("health endpoint", "err", err)
		}
	}()
	log.Info("health endpoint listening", "addr", ln.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	}, nil
}

// connect opens the NATS connection, reconnecting for as long as the service runs.
func connect(url, creds string, log *slog.Logger) (*nats.Conn, error) {
	opts := []nats.Option{
		nats.Name("docspace-offboarding"),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
		nats.RetryOnFailedConnect(true),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("nats disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) { log.Info("nats reconnected", "url", nc.ConnectedUrlRedacted()) }),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) { log.Warn("nats error", "err", err) }),
	}
	if creds != "" {
		opts = append(opts, nats.UserCredentials(creds))
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("connect to nats: %w", err)
	}
	return nc, nil
}

// owner names this process in leases.
func owner() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown-host"
	}
	return host + "/" + strconv.Itoa(os.Getpid())
}

func splitHostPort(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, errors.New("port must be a number 0..65535")
	}
	return strings.Trim(host, "[]"), port, nil
}
