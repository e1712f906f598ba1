// Package demo shows the whole job in one command: it runs the DocSpace
// simulator with a sample company, offboards one employee through NATS like an
// HR system would, and prints the report.
package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/offboarding"
	"github.com/docspace-offboarding/docspace-offboarding/internal/textreport"
)

// The demo company's people and places (docspacetest's demo fixture).
const (
	ArchiveOwnerID = "a0000000-0000-4000-8000-000000000003" // Archie Keeper, RoomAdmin
	HRGroupID      = "b0000000-0000-4000-8000-000000000001" // HR
	sampleUserID   = "a0000000-0000-4000-8000-000000000010" // Jane Roe
	sampleFolderID = 1001                                   // Workspaces/Jane Roe
	// Addr is where the simulator listens when the port is free.
	Addr = "127.0.0.1:8092"
)

// Options configure the demo.
type Options struct {
	Logger *slog.Logger
	// Out receives the report and instructions.
	Out io.Writer
}

// Demo is a running demo: the simulator, and the sample offboarding.
type Demo struct {
	o       Options
	sim     *docspacetest.Server
	srv     *http.Server
	baseURL string
	key     string
	served  chan error

	mu      sync.Mutex
	waiting string
	result  chan *events.Result
}

// Start runs the simulator on Addr, or on a free port when Addr is taken.
func Start(ctx context.Context, o Options) (*Demo, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	sim, err := docspacetest.New(docspacetest.Options{})
	if err != nil {
		return nil, fmt.Errorf("start docspace simulator: %w", err)
	}
	key, err := sim.LoadFixture(bytes.NewReader(docspacetest.DemoFixture()))
	if err != nil {
		sim.Close()
		return nil, fmt.Errorf("load demo company: %w", err)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", Addr)
	if err != nil {
		ln, err = lc.Listen(ctx, "tcp", "127.0.0.1:0")
	}
	if err != nil {
		sim.Close()
		return nil, fmt.Errorf("listen for the docspace simulator: %w", err)
	}
	d := &Demo{
		o: o, sim: sim, key: key, baseURL: "http://" + ln.Addr().String(),
		srv:    &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second},
		served: make(chan error, 1),
		result: make(chan *events.Result, 1),
	}
	go func() { d.served <- d.srv.Serve(ln) }()
	o.Logger.Info("docspace simulator running", "url", d.baseURL)
	return d, nil
}

// BaseURL is the simulator's address, the demo's DOCSPACE_API_HOST.
func (d *Demo) BaseURL() string { return d.baseURL }

// APIKey is the demo service account's key (a simulator key, worthless elsewhere).
func (d *Demo) APIKey() string { return d.key }

// Defaults fills the demo company's archive owner and HR group where def has none.
func (d *Demo) Defaults(def offboarding.Defaults) offboarding.Defaults {
	if def.ArchiveOwnerID == "" {
		def.ArchiveOwnerID = ArchiveOwnerID
	}
	if def.HRGroupID == "" {
		def.HRGroupID = HRGroupID
	}
	return def
}

// OnResult receives every published result (consumer.Options.OnResult).
func (d *Demo) OnResult(r *events.Result) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if r.TerminationID == d.waiting {
		select {
		case d.result <- r:
		default:
		}
	}
}

// Run publishes the sample termination as an HR system would, waits for its
// result, and prints the report and what to try next.
func (d *Demo) Run(ctx context.Context, js jetstream.JetStream, natsURL string) error {
	id := "demo-" + strconv.FormatInt(time.Now().Unix(), 10)
	d.mu.Lock()
	d.waiting = id
	d.mu.Unlock()

	msg, err := events.Encoder{}.Termination(events.Meta{ID: id, Source: "/hris/demo", Time: time.Now().UTC()}, events.TerminationData{
		UserID: sampleUserID, EmployeeID: "E-1010", WorkspaceFolderID: sampleFolderID,
		Reason: "Demo: last working day",
	}, events.Structured)
	if err != nil {
		return err
	}
	msg.Subject = events.TypeTerminated
	if _, err := js.PublishMsg(ctx, msg); err != nil {
		return fmt.Errorf("publish the sample termination: %w", err)
	}
	fmt.Fprintf(d.o.Out, "\nPublished employee.terminated for Jane Roe (id %s); offboarding her in the simulated DocSpace...\n\n", id)

	select {
	case <-ctx.Done():
		return nil
	case <-time.After(60 * time.Second):
		return errors.New("the sample offboarding did not finish within 60 s")
	case r := <-d.result:
		if err := textreport.Result(d.o.Out, r); err != nil {
			return err
		}
	}
	fmt.Fprintf(d.o.Out, `
The service keeps running. In another terminal, offboard someone else:

  go run ./cmd/publish --server %s terminate --email john.smith@acme.example --employee-id E-1011 --workspace-folder 1002 --wait

or follow every result as it happens:

  go run ./cmd/publish --server %s watch

The simulated DocSpace is at %s (API key of the service account: %s).
Press Ctrl-C to stop.
`, natsURL, natsURL, d.baseURL, d.key)
	return nil
}

// Close stops the simulator.
func (d *Demo) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.srv.Shutdown(ctx); err != nil {
		d.o.Logger.Warn("stop docspace simulator", "err", err)
	}
	if err := <-d.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		d.o.Logger.Warn("docspace simulator", "err", err)
	}
	d.sim.Close()
}
