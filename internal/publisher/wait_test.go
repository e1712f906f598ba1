package publisher_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats.go"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/publisher"
)

// waitOutcome is what a Wait running in the background returned.
type waitOutcome struct {
	results map[string]*events.Result
	err     error
}

func TestWaitGetsResultsPublishedAfter(t *testing.T) {
	t.Parallel()
	for _, withStore := range []bool{false, true} {
		name := "without store"
		if withStore {
			name = "with store"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			p := e.publisher(t, publisher.Options{}, withStore)
			ctx := t.Context()
			a, err := p.Terminate(ctx, publisher.Termination{ID: "t-a", Data: events.TerminationData{UserID: userID}})
			if err != nil {
				t.Fatal(err)
			}
			b, err := p.Terminate(ctx, publisher.Termination{ID: "t-b", Data: events.TerminationData{UserID: userID}})
			if err != nil {
				t.Fatal(err)
			}

			progress := make(chan *events.Progress, 10)
			var order []string
			done := make(chan waitOutcome, 1)
			go func() {
				res, err := p.Wait(ctx, []publisher.Published{a, b},
					func(pr *events.Progress) { progress <- pr },
					func(r *events.Result) { order = append(order, r.TerminationID) })
				done <- waitOutcome{res, err}
			}()

			// The progress event arrives through the running Wait: what follows is published
			// while it follows the stream.
			e.publishProgress(t, events.Progress{TerminationID: "t-a", TerminationSource: a.Source, UserID: userID,
				Step: events.StepDisable, Status: events.StepRunning, Attempt: 1, Time: time.Now()})
			select {
			case pr := <-progress:
				if pr.TerminationID != "t-a" || pr.Step != events.StepDisable {
					t.Errorf("progress = %+v", pr)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("no progress event reached Wait")
			}

			// Results of other terminations, same id from another source included, do not count.
			e.publishResult(t, result("/hris/other", "t-a", events.StatusCompleted))
			e.publishResult(t, result(a.Source, "t-other", events.StatusCompleted))
			wantA := result(a.Source, "t-a", events.StatusCompleted)
			wantB := result(b.Source, "t-b", events.StatusFailed)
			e.publishResult(t, wantB)
			e.publishResult(t, wantA)

			var got waitOutcome
			select {
			case got = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Wait did not return")
			}
			if got.err != nil {
				t.Fatalf("Wait: %v", got.err)
			}
			if diff := cmp.Diff(got.results, map[string]*events.Result{"t-a": &wantA, "t-b": &wantB}); diff != "" {
				t.Errorf("results (-got +want):\n%s", diff)
			}
			if diff := cmp.Diff(order, []string{"t-b", "t-a"}); diff != "" {
				t.Errorf("onResult order (-got +want):\n%s", diff)
			}
		})
	}
}

func TestWaitFindsFinishedTerminationsInTheStore(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.publisher(t, publisher.Options{}, true)
	ctx := t.Context()

	// The termination finished long ago: its result is in the store, and no longer within
	// the part of the stream Wait reads.
	old := result(publisher.DefaultSource, "t-old", events.StatusCompleted)
	e.finish(t, &old)
	pub, err := p.Terminate(ctx, publisher.Termination{ID: "t-old", Data: events.TerminationData{UserID: userID}})
	if err != nil {
		t.Fatal(err)
	}

	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var seen []*events.Result
	got, err := p.Wait(wctx, []publisher.Published{pub}, nil, func(r *events.Result) { seen = append(seen, r) })
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if diff := cmp.Diff(got, map[string]*events.Result{"t-old": &old}); diff != "" {
		t.Errorf("results (-got +want):\n%s", diff)
	}
	if len(seen) != 1 {
		t.Errorf("onResult called %d times, want 1", len(seen))
	}
}

func TestWaitMixesStoreAndStream(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.publisher(t, publisher.Options{}, true)
	ctx := t.Context()
	done := result(publisher.DefaultSource, "t-done", events.StatusCancelled)
	e.finish(t, &done)
	later := result(publisher.DefaultSource, "t-later", events.StatusPlanned)
	// Published already, and in the store too: reported once.
	e.finish(t, &later)
	e.publishResult(t, later)

	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	calls := 0
	got, err := p.Wait(wctx, []publisher.Published{
		{ID: "t-done", Source: publisher.DefaultSource},
		{ID: "t-later", Source: publisher.DefaultSource},
	}, nil, func(*events.Result) { calls++ })
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if len(got) != 2 || calls != 2 {
		t.Errorf("got %d results through %d calls, want 2 and 2", len(got), calls)
	}
}

func TestWaitTimesOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.publisher(t, publisher.Options{}, true)
	finished := result(publisher.DefaultSource, "t-finished", events.StatusCompleted)
	e.finish(t, &finished)

	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	got, err := p.Wait(ctx, []publisher.Published{
		{ID: "t-finished", Source: publisher.DefaultSource, At: time.Now()},
		{ID: "t-never", Source: publisher.DefaultSource, At: time.Now()},
	}, nil, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait error = %v, want context.DeadlineExceeded", err)
	}
	if len(got) != 1 || got["t-finished"] == nil {
		t.Errorf("partial results = %v, want t-finished only", got)
	}
}

func TestWaitRefusesAmbiguousIDs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.publisher(t, publisher.Options{}, false)
	_, err := p.Wait(t.Context(), []publisher.Published{{ID: "t", Source: "/a"}, {ID: "t", Source: "/b"}}, nil, nil)
	if err == nil {
		t.Error("Wait accepted one id with two sources")
	}
	if _, err := p.Wait(t.Context(), []publisher.Published{{Source: "/a"}}, nil, nil); err == nil {
		t.Error("Wait accepted a termination without an id")
	}
	got, err := p.Wait(t.Context(), nil, nil, nil)
	if err != nil || len(got) != 0 {
		t.Errorf("Wait(nothing) = %v, %v; want no results at once", got, err)
	}
}

func TestWatch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var malformed []error
	p := e.publisher(t, publisher.Options{Malformed: func(err error) { malformed = append(malformed, err) }}, false)

	e.publishResult(t, result("/hris", "t-1", events.StatusCompleted))
	if _, err := e.js.PublishMsg(t.Context(), &nats.Msg{Subject: events.SubjectFailed, Data: []byte("not an event")}); err != nil {
		t.Fatal(err)
	}
	e.publishProgress(t, events.Progress{TerminationID: "t-2", TerminationSource: "/hris", Step: events.StepArchive,
		Status: events.StepDone, Attempt: 1, Time: time.Now()})
	e.publishResult(t, result("/hris", "t-2", events.StatusFailed))

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var seen []string
	err := p.Watch(ctx, time.Time{},
		func(pr *events.Progress) { seen = append(seen, "progress "+pr.TerminationID) },
		func(r *events.Result) {
			seen = append(seen, string(r.Status)+" "+r.TerminationID)
			if r.TerminationID == "t-2" {
				cancel()
			}
		})
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	if diff := cmp.Diff(seen, []string{"completed t-1", "progress t-2", "failed t-2"}); diff != "" {
		t.Errorf("events (-got +want):\n%s", diff)
	}
	var me *publisher.MalformedError
	if len(malformed) != 1 || !errors.As(malformed[0], &me) || me.Subject != events.SubjectFailed || me.Sequence != 2 {
		t.Errorf("malformed = %v; want the event at sequence 2", malformed)
	}
}

func TestWatchFromNowSkipsOlderEvents(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.publisher(t, publisher.Options{}, false)
	e.publishResult(t, result("/hris", "t-old", events.StatusCompleted))
	since := time.Now().Add(time.Millisecond)
	waitFor(t, "the clock to pass since", func() bool { return time.Now().After(since) })

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var seen []string
	errc := make(chan error, 1)
	go func() {
		errc <- p.Watch(ctx, since, nil, func(r *events.Result) {
			seen = append(seen, r.TerminationID)
			cancel()
		})
	}()
	e.publishResult(t, result("/hris", "t-new", events.StatusCompleted))
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Watch: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Watch did not see the new result")
	}
	if diff := cmp.Diff(seen, []string{"t-new"}); diff != "" {
		t.Errorf("results (-got +want):\n%s", diff)
	}
}

func TestWatchWithoutStream(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.publisher(t, publisher.Options{OutputStream: "MISSING"}, false)
	if err := p.Watch(t.Context(), time.Time{}, nil, nil); err == nil {
		t.Error("Watch of a missing stream returned nil")
	}
}
