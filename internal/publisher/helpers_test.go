package publisher_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/docspace-offboarding/docspace-offboarding/internal/checkpoint"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/natstest"
	"github.com/docspace-offboarding/docspace-offboarding/internal/offboarding"
	"github.com/docspace-offboarding/docspace-offboarding/internal/publisher"
)

// Names of the contract's streams and bucket.
const (
	inputStream  = "EMPLOYEE"
	outputStream = "OFFBOARDING"
	stateBucket  = "offboarding_state"
)

// Ids used across the tests.
const (
	userID  = "3f2a6c1e-8b4d-4e5f-9a7b-1c2d3e4f5a6b"
	ownerID = "a0000000-0000-4000-8000-000000000001"
	groupID = "b0000000-0000-4000-8000-000000000002"
)

// env is a NATS server with the service's streams and state bucket, as the consumer creates them.
type env struct {
	js    jetstream.JetStream
	nc    *nats.Conn
	store *checkpoint.Store
}

// newEnv starts a server and creates the streams and the bucket.
func newEnv(t testing.TB) *env {
	t.Helper()
	js, nc, _ := natstest.JetStream(t)
	ctx := context.Background()
	for _, cfg := range []jetstream.StreamConfig{
		{Name: inputStream, Subjects: []string{"employee.>"}, Duplicates: 2 * time.Minute},
		{Name: outputStream, Subjects: []string{"offboarding.>"}, Duplicates: 2 * time.Minute},
	} {
		if _, err := js.CreateStream(ctx, cfg); err != nil {
			t.Fatalf("create stream %s: %v", cfg.Name, err)
		}
	}
	store, err := checkpoint.Open(ctx, js, checkpoint.Options{Bucket: stateBucket, Create: true, Owner: "worker-test"})
	if err != nil {
		t.Fatalf("open checkpoint store: %v", err)
	}
	return &env{js: js, nc: nc, store: store}
}

// publisher returns a Publisher on the environment; withStore gives it the checkpoint store.
func (e *env) publisher(t testing.TB, o publisher.Options, withStore bool) *publisher.Publisher {
	t.Helper()
	if withStore {
		o.Store = e.store
	}
	p, err := publisher.New(e.js, o)
	if err != nil {
		t.Fatalf("new publisher: %v", err)
	}
	return p
}

// count returns how many messages a stream holds.
func (e *env) count(t testing.TB, stream string) uint64 {
	t.Helper()
	s, err := e.js.Stream(context.Background(), stream)
	if err != nil {
		t.Fatalf("stream %s: %v", stream, err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatalf("stream %s info: %v", stream, err)
	}
	return info.State.Msgs
}

// stored returns the message a stream holds at seq.
func (e *env) stored(t testing.TB, stream string, seq uint64) *jetstream.RawStreamMsg {
	t.Helper()
	s, err := e.js.Stream(context.Background(), stream)
	if err != nil {
		t.Fatalf("stream %s: %v", stream, err)
	}
	m, err := s.GetMsg(context.Background(), seq)
	if err != nil {
		t.Fatalf("get message %d of %s: %v", seq, stream, err)
	}
	return m
}

// publishResult publishes a result event as the service would.
func (e *env) publishResult(t testing.TB, r events.Result) {
	t.Helper()
	msg, err := events.Encoder{}.Result(r, "")
	if err != nil {
		t.Fatalf("encode result: %v", err)
	}
	if _, err := e.js.PublishMsg(context.Background(), msg); err != nil {
		t.Fatalf("publish result: %v", err)
	}
}

// publishProgress publishes a progress event as the service would.
func (e *env) publishProgress(t testing.TB, p events.Progress) {
	t.Helper()
	msg, err := events.Encoder{}.Progress(p, "")
	if err != nil {
		t.Fatalf("encode progress: %v", err)
	}
	if _, err := e.js.PublishMsg(context.Background(), msg); err != nil {
		t.Fatalf("publish progress: %v", err)
	}
}

// finish records a finished termination in the checkpoint store, as the service does before it
// publishes the result.
func (e *env) finish(t testing.TB, r *events.Result) {
	t.Helper()
	ctx := context.Background()
	c, err := e.store.Claim(ctx, offboarding.Request{ID: r.TerminationID, Source: r.TerminationSource, Data: events.TerminationData{UserID: r.UserID}})
	if err != nil {
		t.Fatalf("claim: %v", err)
	}
	st := &c.Record().State
	st.Attempts = 1
	st.Result = r
	if err := c.Save(ctx, st); err != nil {
		t.Fatalf("save: %v", err)
	}
}

// result returns a result of the given status for (source, id), in the form it has on the wire
// (empty lists, not nil; {} for a step without detail).
func result(source, id string, status events.Status) events.Result {
	at := time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC)
	r := events.Result{
		TerminationID: id, TerminationSource: source, UserID: userID, EmployeeID: "E-1",
		Status: status, StartedAt: at, FinishedAt: at.Add(3 * time.Second),
		Steps: []events.Step{{Name: events.StepDisable, Status: events.StepDone, Attempts: 1, StartedAt: at, FinishedAt: at, Detail: json.RawMessage(`{}`)}},
	}
	switch status {
	case events.StatusCompleted, events.StatusPlanned:
		r.Report = &events.Report{
			User:       events.ReportUser{ID: userID},
			Reassigned: events.Reassignment{ToUserID: ownerID, Outcome: "completed", Rooms: []events.EntryRef{}},
			Access:     []events.AccessGrant{},
			Audit:      events.AuditTrail{Events: []events.AuditEntry{}, LoginEvents: []events.LoginEntry{}},
			Exports:    []events.ExportedFile{},
			LeftBehind: []events.LeftBehind{},
		}
	case events.StatusFailed, events.StatusCancelled:
		r.Error = &events.Error{Step: events.StepReassign, Code: "docspace_unavailable", Message: "the portal answered 503"}
	}
	return r
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// isInvalid reports whether err matches ErrInvalid.
func isInvalid(err error) bool { return errors.Is(err, publisher.ErrInvalid) }
