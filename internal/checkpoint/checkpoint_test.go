package checkpoint_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/docspace-offboarding/docspace-offboarding/internal/checkpoint"
	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/natstest"
	"github.com/docspace-offboarding/docspace-offboarding/internal/offboarding"
)

// stores opens two stores (two workers) on one bucket, sharing a clock.
func stores(t *testing.T) (a, b *checkpoint.Store, clk *docspacetest.ManualClock) {
	t.Helper()
	js, _, _ := natstest.JetStream(t)
	clk = docspacetest.NewManualClock(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC))
	open := func(owner string) *checkpoint.Store {
		s, err := checkpoint.Open(t.Context(), js, checkpoint.Options{Bucket: "state", Create: true, Owner: owner, LeaseTTL: 30 * time.Second, Now: clk.Now})
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		return s
	}
	return open("worker-a"), open("worker-b"), clk
}

var req = offboarding.Request{ID: "t-1", Source: "/hris", Data: events.TerminationData{UserID: "a0000000-0000-4000-8000-000000000010"}}

func TestClaimSaveGet(t *testing.T) {
	t.Parallel()
	a, _, _ := stores(t)
	ctx := t.Context()
	c, err := a.Claim(ctx, req)
	if err != nil {
		t.Fatalf("claim: %v", err)
	}
	st := &c.Record().State
	if st.TerminationID != "t-1" || st.Request.UserID != req.Data.UserID {
		t.Fatalf("new state = %+v", st)
	}
	st.Attempts = 3
	if err := c.Save(ctx, st); err != nil {
		t.Fatalf("save: %v", err)
	}
	rec, err := a.Get(ctx, req.Source, req.ID)
	if err != nil || rec == nil {
		t.Fatalf("get: %v %v", rec, err)
	}
	if rec.State.Attempts != 3 || rec.Lease == nil || rec.Lease.Owner != "worker-a" {
		t.Errorf("record = %+v lease %+v", rec.State, rec.Lease)
	}
	if missing, err := a.Get(ctx, "/hris", "nope"); missing != nil || err != nil {
		t.Errorf("get missing = %v, %v; want nil, nil", missing, err)
	}
}

func TestOneWorkerAtATime(t *testing.T) {
	t.Parallel()
	a, b, clk := stores(t)
	ctx := t.Context()
	ca, err := a.Claim(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	// b is refused while a's lease lives.
	_, err = b.Claim(ctx, req)
	var leased *checkpoint.LeasedError
	if !errors.As(err, &leased) || leased.Owner != "worker-a" {
		t.Fatalf("b's claim = %v, want LeasedError by worker-a", err)
	}
	// a renews; still refused after the first TTL would have ended.
	clk.Advance(20 * time.Second)
	if err := ca.Renew(ctx); err != nil {
		t.Fatal(err)
	}
	clk.Advance(20 * time.Second)
	if _, err := b.Claim(ctx, req); !errors.As(err, &leased) {
		t.Fatalf("after renewal b's claim = %v, want LeasedError", err)
	}
	// a stalls past its lease: b takes over, and a's next write is refused.
	clk.Advance(31 * time.Second)
	cb, err := b.Claim(ctx, req)
	if err != nil {
		t.Fatalf("takeover: %v", err)
	}
	st := ca.Record().State
	if err := ca.Save(ctx, &st); !errors.Is(err, checkpoint.ErrLeaseLost) {
		t.Fatalf("stale worker's save = %v, want ErrLeaseLost", err)
	}
	if err := ca.Renew(ctx); !errors.Is(err, checkpoint.ErrLeaseLost) {
		t.Fatalf("stale worker's renew = %v, want ErrLeaseLost", err)
	}
	// Release lets a claim at once.
	if err := cb.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Claim(ctx, req); err != nil {
		t.Fatalf("claim after release: %v", err)
	}
}

func TestFinishedNeedsNoLease(t *testing.T) {
	t.Parallel()
	a, b, _ := stores(t)
	ctx := t.Context()
	c, err := a.Claim(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	st := &c.Record().State
	st.Result = &events.Result{TerminationID: "t-1", TerminationSource: "/hris", Status: events.StatusCompleted}
	if err := c.Save(ctx, st); err != nil {
		t.Fatal(err)
	}
	rec, _ := a.Get(ctx, req.Source, req.ID)
	if rec.Lease != nil {
		t.Errorf("a finished record keeps a lease: %+v", rec.Lease)
	}
	cb, err := b.Claim(ctx, req)
	if err != nil {
		t.Fatalf("claim of a finished termination: %v", err)
	}
	if !cb.Record().State.Finished() {
		t.Error("claimed record is not finished")
	}
}

func TestCancellationFirstStands(t *testing.T) {
	t.Parallel()
	a, _, clk := stores(t)
	ctx := t.Context()
	if c, err := a.Cancellation(ctx, "/hris", "t-1"); c != nil || err != nil {
		t.Fatalf("no cancellation yet: %v %v", c, err)
	}
	first := offboarding.Cancellation{Reason: "rehired", Source: "/hris", At: clk.Now()}
	if err := a.Cancel(ctx, "/hris", "t-1", first); err != nil {
		t.Fatal(err)
	}
	if err := a.Cancel(ctx, "/hris", "t-1", offboarding.Cancellation{Reason: "second"}); err != nil {
		t.Fatal(err)
	}
	got, err := a.Cancellation(ctx, "/hris", "t-1")
	if err != nil || got == nil || got.Reason != "rehired" {
		t.Fatalf("cancellation = %+v %v, want the first", got, err)
	}
}

// TestConcurrentRenewAndSave renews from one goroutine while saving from
// another, as the consumer's heartbeat does beside the steps.
func TestConcurrentRenewAndSave(t *testing.T) {
	t.Parallel()
	a, _, _ := stores(t)
	ctx := t.Context()
	c, err := a.Claim(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	st := &c.Record().State
	var wg sync.WaitGroup
	wg.Add(2)
	errs := make(chan error, 100)
	go func() {
		defer wg.Done()
		for range 30 {
			errs <- c.Renew(ctx)
		}
	}()
	go func() {
		defer wg.Done()
		for i := range 30 {
			st.Attempts = i
			errs <- c.Save(ctx, st)
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	rec, _ := a.Get(ctx, req.Source, req.ID)
	if rec.State.Attempts != 29 {
		t.Errorf("attempts = %d, want the last save's 29", rec.State.Attempts)
	}
}

func TestOpenWithoutCreate(t *testing.T) {
	t.Parallel()
	js, _, _ := natstest.JetStream(t)
	_, err := checkpoint.Open(t.Context(), js, checkpoint.Options{Bucket: "missing", Owner: "w"})
	if !errors.Is(err, jetstream.ErrBucketNotFound) {
		t.Fatalf("open missing bucket = %v, want ErrBucketNotFound", err)
	}
	if _, err := checkpoint.Open(context.Background(), js, checkpoint.Options{}); err == nil {
		t.Fatal("open without bucket and owner succeeded")
	}
}

// TestSameProcessCannotClaimTwice guards against two deliveries of one
// termination running side by side in one process.
func TestSameProcessCannotClaimTwice(t *testing.T) {
	t.Parallel()
	a, _, _ := stores(t)
	if _, err := a.Claim(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	var leased *checkpoint.LeasedError
	if _, err := a.Claim(t.Context(), req); !errors.As(err, &leased) {
		t.Fatalf("second claim in the same process = %v, want LeasedError", err)
	}
}

func TestClaimOnce(t *testing.T) {
	t.Parallel()
	a, b, _ := stores(t)
	ctx := t.Context()
	for _, tc := range []struct {
		store *checkpoint.Store
		owner string
		want  bool
	}{
		{a, "t.one", true},
		{b, "t.two", false},
		{a, "t.one", true}, // a repeat by the owner
		{b, "t.one", true}, // the owner is the termination, not the process
	} {
		got, err := tc.store.ClaimOnce(ctx, "audit-csv/42", tc.owner)
		if err != nil || got != tc.want {
			t.Errorf("ClaimOnce by %s = %v, %v; want %v", tc.owner, got, err, tc.want)
		}
	}
}
