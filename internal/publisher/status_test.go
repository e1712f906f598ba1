package publisher_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/offboarding"
	"github.com/docspace-offboarding/docspace-offboarding/internal/publisher"
)

func TestStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	const src = "/hris/workday"
	// Running: claimed and saved by a live worker.
	c1, err := e.store.Claim(ctx, offboarding.Request{ID: "t-running", Source: src, Data: events.TerminationData{UserID: userID}})
	if err != nil {
		t.Fatal(err)
	}
	st1 := &c1.Record().State
	st1.Attempts = 1
	st1.Steps = []offboarding.StepState{{Name: events.StepDisable, Status: events.StepDone, Attempts: 1}, {Name: events.StepReassign, Attempts: 1}}
	if err := c1.Save(ctx, st1); err != nil {
		t.Fatal(err)
	}

	// Retrying: the worker saved an error and let the lease go.
	c2, err := e.store.Claim(ctx, offboarding.Request{ID: "t-retry", Source: src, Data: events.TerminationData{UserID: userID}})
	if err != nil {
		t.Fatal(err)
	}
	st2 := &c2.Record().State
	st2.Attempts = 2
	st2.LastError = &events.Error{Step: events.StepReassign, Code: "docspace_unavailable", Message: "503", Retryable: true}
	if err := c2.Save(ctx, st2); err != nil {
		t.Fatal(err)
	}
	if err := c2.Release(ctx); err != nil {
		t.Fatal(err)
	}

	// Scheduled: waiting for effectiveAt, lease given up.
	due := time.Date(2026, 3, 31, 17, 0, 0, 0, time.UTC)
	c3, err := e.store.Claim(ctx, offboarding.Request{ID: "t-scheduled", Source: src, Data: events.TerminationData{UserID: userID}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c3.SetScheduled(ctx, due); err != nil {
		t.Fatal(err)
	}
	if err := c3.Release(ctx); err != nil {
		t.Fatal(err)
	}

	// Finished, after a cancellation.
	done := result(src, "t-done", events.StatusCancelled)
	e.finish(t, &done)
	cancelAt := time.Date(2026, 3, 2, 16, 0, 0, 0, time.UTC)
	if err := e.store.Cancel(ctx, src, "t-done", offboarding.Cancellation{Reason: "rehired", Source: "/offboarding-cli", At: cancelAt}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		id   string
		now  time.Time
		want publisher.Status
	}{
		{
			name: "unknown",
			id:   "t-unknown",
			want: publisher.Status{ID: "t-unknown", Source: src, State: publisher.StatePending},
		},
		{
			name: "running",
			id:   "t-running",
			want: publisher.Status{ID: "t-running", Source: src, State: publisher.StateRunning, Recorded: true, Attempts: 1, Worker: "worker-test",
				Steps: []publisher.StepState{{Name: events.StepDisable, Status: events.StepDone, Attempts: 1}, {Name: events.StepReassign, Attempts: 1}}},
		},
		{
			name: "lease expired",
			id:   "t-running",
			now:  time.Now().Add(time.Hour),
			want: publisher.Status{ID: "t-running", Source: src, State: publisher.StatePending, Recorded: true, Attempts: 1,
				Steps: []publisher.StepState{{Name: events.StepDisable, Status: events.StepDone, Attempts: 1}, {Name: events.StepReassign, Attempts: 1}}},
		},
		{
			name: "retrying",
			id:   "t-retry",
			want: publisher.Status{ID: "t-retry", Source: src, State: publisher.StatePending, Recorded: true, Attempts: 2, LastError: st2.LastError},
		},
		{
			name: "scheduled",
			id:   "t-scheduled",
			want: publisher.Status{ID: "t-scheduled", Source: src, State: publisher.StateScheduled, Recorded: true, Due: due},
		},
		{
			name: "finished",
			id:   "t-done",
			want: publisher.Status{ID: "t-done", Source: src, State: publisher.StateFinished, Recorded: true, Attempts: 1, Result: &done,
				Cancellation: &publisher.Cancellation{Source: "/offboarding-cli", Reason: "rehired", At: cancelAt}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := publisher.Options{Source: src}
			if !tt.now.IsZero() {
				o.Now = func() time.Time { return tt.now }
			}
			p := e.publisher(t, o, true)
			got, err := p.Status(t.Context(), "", tt.id)
			if err != nil {
				t.Fatalf("Status: %v", err)
			}
			ignore := cmpopts.IgnoreFields(publisher.Status{}, "StartedAt", "LeaseUntil")
			if diff := cmp.Diff(got, &tt.want, ignore); diff != "" {
				t.Errorf("Status (-got +want):\n%s", diff)
			}
			if tt.want.Recorded && got.StartedAt.IsZero() {
				t.Error("StartedAt is zero")
			}
			if tt.want.Worker != "" && !got.LeaseUntil.After(time.Now()) {
				t.Errorf("LeaseUntil = %v, want a time to come", got.LeaseUntil)
			}
		})
	}
}

func TestStatusNeedsStore(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.publisher(t, publisher.Options{}, false)
	if _, err := p.Status(t.Context(), "", "t-1"); !errors.Is(err, publisher.ErrNoStore) {
		t.Errorf("Status error = %v, want ErrNoStore", err)
	}
}
