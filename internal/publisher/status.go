package publisher

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// State is where a termination stands.
type State string

// States of a termination.
const (
	// StatePending: the service has not started it, or it waits to be retried. Without a record
	// (Status.Recorded false) the service has not consumed it yet, or it was never published.
	StatePending State = "pending"
	// StateRunning: a worker holds it now.
	StateRunning State = "running"
	// StateScheduled: it waits for its effectiveAt.
	StateScheduled State = "scheduled"
	// StateFinished: it has its final result.
	StateFinished State = "finished"
)

// Status is one termination's state as the service recorded it in the checkpoint store.
type Status struct {
	ID     string `json:"id"`
	Source string `json:"source"`
	State  State  `json:"state"`
	// Recorded is false when the service holds no record of the termination.
	Recorded bool `json:"recorded"`
	// Attempts counts the runs that started.
	Attempts  int       `json:"attempts,omitempty"`
	StartedAt time.Time `json:"startedAt,omitzero"`
	// Due is when a scheduled termination runs (its effectiveAt).
	Due time.Time `json:"due,omitzero"`
	// Worker and LeaseUntil name the worker running it, and until when its claim lasts.
	Worker     string    `json:"worker,omitempty"`
	LeaseUntil time.Time `json:"leaseUntil,omitzero"`
	// Steps are the steps begun so far, in order.
	Steps []StepState `json:"steps,omitempty"`
	// LastError is the most recent failure that was retried.
	LastError *events.Error `json:"lastError,omitempty"`
	// Cancellation is the cancellation the service recorded, if any.
	Cancellation *Cancellation `json:"cancellation,omitempty"`
	// Result is the final result of a finished termination.
	Result *events.Result `json:"result,omitempty"`
}

// StepState is the state of one step of a termination.
type StepState struct {
	Name string `json:"name"`
	// Status is done, skipped, failed or planned once the step ended; empty before.
	Status     events.StepStatus `json:"status,omitempty"`
	Attempts   int               `json:"attempts"`
	StartedAt  time.Time         `json:"startedAt,omitzero"`
	FinishedAt time.Time         `json:"finishedAt,omitzero"`
}

// Cancellation is a recorded request to cancel a termination.
type Cancellation struct {
	// Source is the source of the cancel event.
	Source string    `json:"source,omitempty"`
	Reason string    `json:"reason,omitempty"`
	At     time.Time `json:"at"`
}

// Status reads the state of the termination (source, id) from the checkpoint store; an empty
// source means Options.Source. It returns ErrNoStore without a store.
func (p *Publisher) Status(ctx context.Context, source, id string) (*Status, error) {
	if p.o.Store == nil {
		return nil, fmt.Errorf("status: %w", ErrNoStore)
	}
	if source == "" {
		source = p.o.Source
	}
	source, id = normalSource(source), strings.TrimSpace(id)
	rec, err := p.o.Store.Get(ctx, source, id)
	if err != nil {
		return nil, fmt.Errorf("status of %q: %w", id, err)
	}
	c, err := p.o.Store.Cancellation(ctx, source, id)
	if err != nil {
		return nil, fmt.Errorf("status of %q: %w", id, err)
	}
	st := &Status{ID: id, Source: source, State: StatePending}
	if c != nil {
		st.Cancellation = &Cancellation{Source: c.Source, Reason: c.Reason, At: c.At}
	}
	if rec == nil {
		return st, nil
	}
	s := rec.State
	st.Recorded = true
	st.Attempts, st.StartedAt, st.LastError, st.Result = s.Attempts, s.StartedAt, s.LastError, s.Result
	for _, step := range s.Steps {
		st.Steps = append(st.Steps, StepState{Name: step.Name, Status: step.Status, Attempts: step.Attempts, StartedAt: step.StartedAt, FinishedAt: step.FinishedAt})
	}
	if l := rec.Lease; l != nil && p.o.Now().Before(l.Expires) {
		st.Worker, st.LeaseUntil = l.Owner, l.Expires
	}
	switch {
	case s.Finished():
		st.State = StateFinished
	case st.Worker != "":
		st.State = StateRunning
	case !rec.Scheduled.IsZero():
		st.State, st.Due = StateScheduled, rec.Scheduled
	}
	return st, nil
}
