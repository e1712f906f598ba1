package consumer_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/docspace-offboarding/docspace-offboarding/internal/checkpoint"
	"github.com/docspace-offboarding/docspace-offboarding/internal/consumer"
	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/natstest"
	"github.com/docspace-offboarding/docspace-offboarding/internal/offboarding"
)

// The demo company (docspacetest's demo fixture).
const (
	keeperID  = "a0000000-0000-4000-8000-000000000003"
	hrGroupID = "b0000000-0000-4000-8000-000000000001"
	janeID    = "a0000000-0000-4000-8000-000000000010"
	johnID    = "a0000000-0000-4000-8000-000000000011"
)

// env is a running service: real NATS, the simulator over HTTP, a worker.
type env struct {
	t     testing.TB
	js    jetstream.JetStream
	nc    *nats.Conn
	sim   *docspacetest.TestServer
	store *checkpoint.Store
	topo  consumer.Topology
	enc   events.Encoder

	cfg    envConfig
	cancel context.CancelFunc
	done   chan error
}

type envConfig struct {
	topo     func(*consumer.Topology)
	policy   consumer.Policy
	sim      docspacetest.Options
	fixture  []byte
	leaseTTL time.Duration
	shutdown time.Duration
	workers  int
	encoder  events.Encoder
	// limits are the client's DocSpace rate limits (zero: DocSpace's defaults).
	limits docspace.Limits
}

type envOption func(*envConfig)

func startEnv(t testing.TB, opts ...envOption) *env {
	t.Helper()
	cfg := envConfig{
		policy:   consumer.Policy{MaxAttempts: 5, BaseDelay: 50 * time.Millisecond, MaxDelay: 400 * time.Millisecond},
		sim:      docspacetest.Options{ReassignDuration: 60 * time.Millisecond, FileOperationDuration: 30 * time.Millisecond},
		leaseTTL: 3 * time.Second,
		shutdown: 5 * time.Second,
		workers:  1,
	}
	for _, o := range opts {
		o(&cfg)
	}
	js, nc, _ := natstest.JetStream(t)
	topo := consumer.DefaultTopology()
	topo.AckWait = 3 * time.Second
	topo.DuplicateWindow = 30 * time.Second
	if cfg.topo != nil {
		cfg.topo(&topo)
	}
	ctx := t.Context()
	if err := consumer.Ensure(ctx, js, topo); err != nil {
		t.Fatalf("ensure topology: %v", err)
	}
	simOpts := []docspacetest.StartOption{docspacetest.WithOptions(cfg.sim)}
	if cfg.fixture != nil {
		simOpts = append(simOpts, docspacetest.WithFixture(cfg.fixture))
	}
	sim := docspacetest.Start(t, simOpts...)
	e := &env{t: t, js: js, nc: nc, sim: sim, topo: topo, cfg: cfg}
	e.store = e.openStore("test-store", cfg.leaseTTL)
	e.startWorkers()
	t.Cleanup(e.stop)
	return e
}

// startWorkers runs the configured number of workers, each its own process
// as far as leases go.
func (e *env) startWorkers() {
	wctx, cancel := context.WithCancel(context.Background())
	e.cancel = cancel
	e.done = make(chan error, e.cfg.workers)
	for i := range e.cfg.workers {
		w := e.newWorker(e.cfg, fmt.Sprintf("worker-%d-%d", i, time.Now().UnixNano()))
		go func() { e.done <- w.Run(wctx) }()
	}
}

func (e *env) openStore(owner string, ttl time.Duration) *checkpoint.Store {
	s, err := checkpoint.Open(e.t.Context(), e.js, checkpoint.Options{Bucket: "offboarding_state", Create: true, Owner: owner, LeaseTTL: ttl})
	if err != nil {
		e.t.Fatalf("store: %v", err)
	}
	return s
}

func (e *env) newWorker(cfg envConfig, owner string) *consumer.Worker {
	client, err := docspace.New(docspace.Options{
		BaseURL: e.sim.URL, APIKey: docspace.NewSecret(e.sim.AdminKey),
		Retry:  docspace.RetryPolicy{MaxAttempts: 3, BaseDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond},
		Logger: testLogger(),
		Limits: cfg.limits,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	runner, err := offboarding.New(offboarding.Options{
		Client:   client,
		Defaults: offboarding.Defaults{ArchiveOwnerID: keeperID, HRGroupID: hrGroupID},
		Poll:     docspace.PollOptions{MinInterval: 10 * time.Millisecond, MaxInterval: 50 * time.Millisecond},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	dec, err := events.NewDecoder()
	if err != nil {
		e.t.Fatal(err)
	}
	w, err := consumer.New(consumer.Options{
		JS: e.js, Topology: e.topo, Concurrency: 4, Policy: cfg.policy,
		LeaseTTL: cfg.leaseTTL, ShutdownTimeout: cfg.shutdown,
		Runner: runner, Store: e.openStore(owner, cfg.leaseTTL), Decoder: dec, Encoder: cfg.encoder,
		Logger: testLogger(),
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return w
}

func testLogger() *slog.Logger {
	if os.Getenv("TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

func (e *env) stop() {
	if e.cancel == nil {
		return
	}
	e.cancel()
	e.cancel = nil
	for range cap(e.done) {
		select {
		case err := <-e.done:
			if err != nil {
				e.t.Errorf("worker: %v", err)
			}
		case <-time.After(30 * time.Second):
			e.t.Error("worker did not stop within 30 s")
			return
		}
	}
}

// publish sends a termination event as an HR system would.
func (e *env) publish(id string, d events.TerminationData, mode events.Mode) {
	e.t.Helper()
	msg, err := e.enc.Termination(events.Meta{ID: id, Source: "/hris/test"}, d, mode)
	if err != nil {
		e.t.Fatalf("encode: %v", err)
	}
	msg.Subject = e.topo.InputSubject
	if _, err := e.js.PublishMsg(e.t.Context(), msg); err != nil {
		e.t.Fatalf("publish: %v", err)
	}
}

// publishRaw sends arbitrary bytes and headers on a subject.
func (e *env) publishRaw(subject string, h nats.Header, body []byte) {
	e.t.Helper()
	if _, err := e.js.PublishMsg(e.t.Context(), &nats.Msg{Subject: subject, Header: h, Data: body}); err != nil {
		e.t.Fatalf("publish: %v", err)
	}
}

// outputs reads every message on the output stream's subject.
func (e *env) outputs(subject string) []jetstream.RawStreamMsg {
	e.t.Helper()
	s, err := e.js.Stream(e.t.Context(), e.topo.OutputStream)
	if err != nil {
		e.t.Fatal(err)
	}
	info, err := s.Info(e.t.Context())
	if err != nil {
		e.t.Fatal(err)
	}
	var out []jetstream.RawStreamMsg
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(e.t.Context(), seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		if err != nil {
			e.t.Fatal(err)
		}
		if m.Subject == subject {
			out = append(out, *m)
		}
	}
	return out
}

// results decodes every result on the output stream, by termination id.
func (e *env) results() map[string][]*events.Result {
	out := map[string][]*events.Result{}
	for _, subj := range []string{events.SubjectCompleted, events.SubjectFailed} {
		for _, m := range e.outputs(subj) {
			_, r, err := events.DecodeResult(m.Header, m.Data)
			if err != nil {
				e.t.Fatalf("decode result: %v", err)
			}
			out[r.TerminationID] = append(out[r.TerminationID], r)
		}
	}
	return out
}

// waitFor polls cond until it returns nil or the deadline passes.
func waitFor(t testing.TB, timeout time.Duration, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %v", timeout, err)
		}
		<-tick.C
	}
}

// waitResults waits until every id has at least one result.
func (e *env) waitResults(timeout time.Duration, ids ...string) map[string][]*events.Result {
	e.t.Helper()
	var got map[string][]*events.Result
	waitFor(e.t, timeout, func() error {
		got = e.results()
		for _, id := range ids {
			if len(got[id]) == 0 {
				return errors.New("no result yet for " + id)
			}
		}
		return nil
	})
	return got
}

// consumerInfo returns the termination consumer's state.
func (e *env) consumerInfo() *jetstream.ConsumerInfo {
	e.t.Helper()
	c, err := e.js.Consumer(e.t.Context(), e.topo.InputStream, e.topo.Consumer)
	if err != nil {
		e.t.Fatal(err)
	}
	info, err := c.Info(e.t.Context())
	if err != nil {
		e.t.Fatal(err)
	}
	return info
}
