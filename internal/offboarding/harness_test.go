package offboarding_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/offboarding"
)

// The demo company's people and places (docspacetest's demo fixture).
const (
	serviceID  = "a0000000-0000-4000-8000-000000000002"
	ownerID    = "a0000000-0000-4000-8000-000000000001"
	keeperID   = "a0000000-0000-4000-8000-000000000003" // Archie Keeper, RoomAdmin
	hannahID   = "a0000000-0000-4000-8000-000000000004" // Hannah Reed, User
	janeID     = "a0000000-0000-4000-8000-000000000010"
	johnID     = "a0000000-0000-4000-8000-000000000011"
	mariaID    = "a0000000-0000-4000-8000-000000000012"
	hrGroupID  = "b0000000-0000-4000-8000-000000000001"
	janeFolder = 1001
	workspaces = 1000
	archive900 = 900
	janeRoom   = 970 // archived room Jane owns
)

var errCrash = errors.New("simulated crash")

// harness runs terminations against the simulator, persisting state as JSON
// the way the checkpoint store does, and can crash at a chosen checkpoint.
type harness struct {
	t      *testing.T
	sim    *docspacetest.TestServer
	runner *offboarding.Runner

	mu     sync.Mutex
	saved  map[string][]byte
	saves  int
	failAt int // the Save that fails; 0: none
	cancel *offboarding.Cancellation
	events []events.Progress
}

type harnessOption func(*harnessConfig)

type harnessConfig struct {
	sim           []docspacetest.StartOption
	runner        offboarding.Options
	clientTimeout time.Duration
}

func withRunner(f func(*offboarding.Options)) harnessOption {
	return func(c *harnessConfig) { f(&c.runner) }
}

func newHarness(t *testing.T, opts ...harnessOption) *harness {
	t.Helper()
	cfg := harnessConfig{
		sim: []docspacetest.StartOption{docspacetest.WithOptions(docspacetest.Options{
			ReassignDuration: 60 * time.Millisecond, FileOperationDuration: 30 * time.Millisecond,
		})},
		runner: offboarding.Options{
			Defaults: offboarding.Defaults{ArchiveOwnerID: keeperID, HRGroupID: hrGroupID},
			Poll:     docspace.PollOptions{MinInterval: 5 * time.Millisecond, MaxInterval: 20 * time.Millisecond},
		},
	}
	for _, o := range opts {
		o(&cfg)
	}
	sim := docspacetest.Start(t, cfg.sim...)
	client, err := docspace.New(docspace.Options{
		BaseURL: sim.URL, APIKey: docspace.NewSecret(sim.AdminKey),
		Retry:   docspace.RetryPolicy{BaseDelay: 5 * time.Millisecond, MaxDelay: 50 * time.Millisecond},
		Timeout: cfg.clientTimeout,
	})
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	t.Cleanup(client.CloseIdleConnections)
	cfg.runner.Client = client
	r, err := offboarding.New(cfg.runner)
	if err != nil {
		t.Fatalf("runner: %v", err)
	}
	return &harness{t: t, sim: sim, runner: r, saved: map[string][]byte{}}
}

// state loads the last saved state of req, or a new one.
func (h *harness) state(req offboarding.Request) *offboarding.State {
	h.mu.Lock()
	b := h.saved[req.Source+"|"+req.ID]
	h.mu.Unlock()
	if b == nil {
		return offboarding.NewState(req, time.Now())
	}
	var st offboarding.State
	if err := json.Unmarshal(b, &st); err != nil {
		h.t.Fatalf("decode saved state: %v", err)
	}
	return &st
}

// run carries req forward from its last saved state, as a redelivery would.
func (h *harness) run(req offboarding.Request) (*events.Result, error) {
	h.t.Helper()
	st := h.state(req)
	st.Attempts++
	crashed := false // a crashed process saves nothing more
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return h.runner.Run(ctx, st, offboarding.Hooks{
		Save: func(_ context.Context, st *offboarding.State) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.saves++
			if h.saves == h.failAt || crashed {
				crashed = true
				return errCrash
			}
			b, err := json.Marshal(st)
			if err != nil {
				return err
			}
			h.saved[st.TerminationSource+"|"+st.TerminationID] = b
			return nil
		},
		Progress: func(_ context.Context, p events.Progress) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.events = append(h.events, p)
		},
		Cancelled: func(context.Context) (*offboarding.Cancellation, error) {
			h.mu.Lock()
			defer h.mu.Unlock()
			return h.cancel, nil
		},
	})
}

// mustFinish runs req until it finishes, allowing up to n retryable failures.
func (h *harness) mustFinish(req offboarding.Request, n int) *events.Result {
	h.t.Helper()
	for i := 0; ; i++ {
		res, err := h.run(req)
		if err == nil {
			return res
		}
		var e *offboarding.Error
		if !errors.As(err, &e) || !e.Retryable || i >= n {
			h.t.Fatalf("run %d: %v", i+1, err)
		}
	}
}

func request(id string, d events.TerminationData) offboarding.Request {
	return offboarding.Request{ID: id, Source: "/hris/test", Data: d}
}

func janeRequest(id string) offboarding.Request {
	return request(id, events.TerminationData{UserID: janeID, EmployeeID: "E-1010", WorkspaceFolderID: janeFolder, Reason: "last day"})
}

// writes is the simulator's count of every mutating call.
func (h *harness) writes() map[string]int { return h.sim.MutatingCalls() }

func (h *harness) user(id string) docspacetest.User {
	h.t.Helper()
	u, ok := h.sim.User(id)
	if !ok {
		h.t.Fatalf("user %s missing from the simulator", id)
	}
	return u
}

func (h *harness) entry(id int) docspacetest.Entry {
	h.t.Helper()
	e, ok := h.sim.Entry(id)
	if !ok {
		h.t.Fatalf("entry %d missing from the simulator", id)
	}
	return e
}

func stepStatuses(r *events.Result) map[string]events.StepStatus {
	out := map[string]events.StepStatus{}
	for _, s := range r.Steps {
		out[s.Name] = s.Status
	}
	return out
}
