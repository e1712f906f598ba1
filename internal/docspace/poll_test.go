package docspace

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// script is a fake job: each fetch returns the next step.
type step[T any] struct {
	v   T
	err error
}

func scripted[T any](t *testing.T, steps []step[T]) func(context.Context) (T, error) {
	i := 0
	return func(ctx context.Context) (T, error) {
		if err := ctx.Err(); err != nil {
			var zero T
			return zero, err
		}
		if i >= len(steps) {
			t.Fatalf("fetched %d times; the script has %d steps", i+1, len(steps))
		}
		s := steps[i]
		i++
		return s.v, s.err
	}
}

// recordSleep records the intervals instead of waiting.
func recordSleep(into *[]time.Duration) func(context.Context, time.Duration) error {
	return func(ctx context.Context, d time.Duration) error {
		*into = append(*into, d)
		return ctx.Err()
	}
}

func noRecord() error { return &APIError{Status: 200, kind: ErrNoRecord} }

func reassignSource(fetch func(context.Context) (*TaskProgress, error)) pollSource[*TaskProgress] {
	return pollSource[*TaskProgress]{
		fetch:    fetch,
		progress: func(t *TaskProgress) int { return t.Percentage },
		outcome:  reassignOutcome,
		absent: func(seen bool, _ *TaskProgress) error {
			if seen {
				return ErrOutcomeUnknown
			}
			return ErrNoRecord
		},
	}
}

func running(pct int) step[*TaskProgress] {
	return step[*TaskProgress]{v: &TaskProgress{ID: "j", Percentage: pct, Status: TaskRunning}}
}

func TestPollReassign(t *testing.T) {
	t.Parallel()
	const lo, hi = 100 * time.Millisecond, 400 * time.Millisecond
	done := step[*TaskProgress]{v: &TaskProgress{ID: "j", Percentage: 100, IsCompleted: true, Status: TaskCompleted}}
	tests := []struct {
		name          string
		steps         []step[*TaskProgress]
		wantErr       error
		wantMessage   string
		wantProgress  []int
		wantIntervals []time.Duration
	}{
		{
			name:          "completes, interval grows while idle and resets on progress",
			steps:         []step[*TaskProgress]{running(0), running(0), running(0), running(0), running(0), running(30), running(30), done},
			wantProgress:  []int{0, 30, 100},
			wantIntervals: []time.Duration{lo, 150 * time.Millisecond, 225 * time.Millisecond, 337500 * time.Microsecond, hi, lo, 150 * time.Millisecond},
		},
		{
			name:          "already completed at the first poll",
			steps:         []step[*TaskProgress]{done},
			wantProgress:  []int{100},
			wantIntervals: nil,
		},
		{
			name:          "failed with DocSpace's message",
			steps:         []step[*TaskProgress]{running(5), {v: &TaskProgress{ID: "j", Percentage: 10, IsCompleted: true, Status: TaskFailed, Error: "You don't have enough permission to perform the operation"}}},
			wantErr:       ErrJobFailed,
			wantMessage:   "You don't have enough permission to perform the operation",
			wantProgress:  []int{5, 10},
			wantIntervals: []time.Duration{lo},
		},
		{
			name:          "canceled",
			steps:         []step[*TaskProgress]{running(20), {v: &TaskProgress{ID: "j", Percentage: 20, IsCompleted: true, Status: TaskCanceled}}},
			wantErr:       ErrJobCanceled,
			wantProgress:  []int{20},
			wantIntervals: []time.Duration{lo},
		},
		{
			name:    "never seen",
			steps:   []step[*TaskProgress]{{err: noRecord()}},
			wantErr: ErrNoRecord,
		},
		{
			name:          "vanished after being seen",
			steps:         []step[*TaskProgress]{running(50), {err: noRecord()}},
			wantErr:       ErrOutcomeUnknown,
			wantProgress:  []int{50},
			wantIntervals: []time.Duration{lo},
		},
		{
			name:          "completed flag with a running status is not success",
			steps:         []step[*TaskProgress]{{v: &TaskProgress{ID: "j", Percentage: 100, IsCompleted: true, Status: TaskRunning}}},
			wantErr:       ErrOutcomeUnknown,
			wantProgress:  []int{100},
			wantIntervals: nil,
		},
		{
			name:          "a failing read is returned as is",
			steps:         []step[*TaskProgress]{running(5), {err: &APIError{Status: 403}}},
			wantErr:       ErrForbidden,
			wantProgress:  []int{5},
			wantIntervals: []time.Duration{lo},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var progress []int
			polls := 0
			var intervals []time.Duration
			o := PollOptions{MinInterval: lo, MaxInterval: hi, OnProgress: func(p int) { progress = append(progress, p) }, OnPoll: func(int) { polls++ }}
			got, err := poll(context.Background(), o, reassignSource(scripted(t, tt.steps)), recordSleep(&intervals))
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("poll error = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == nil && (got == nil || got.Status != TaskCompleted) {
				t.Errorf("poll = %+v, want the completed state", got)
			}
			if tt.wantMessage != "" {
				var je *JobError
				if !errors.As(err, &je) || je.Message != tt.wantMessage {
					t.Errorf("job error = %v, want message %q", err, tt.wantMessage)
				}
			}
			if diff := cmp.Diff(progress, tt.wantProgress); diff != "" {
				t.Errorf("OnProgress calls (-got +want):\n%s", diff)
			}
			if diff := cmp.Diff(intervals, tt.wantIntervals); diff != "" {
				t.Errorf("intervals (-got +want):\n%s", diff)
			}
			if wantPolls := len(tt.wantIntervals) + 1; err == nil && polls != wantPolls {
				t.Errorf("OnPoll called %d times, want %d", polls, wantPolls)
			}
		})
	}
}

func TestPollOperation(t *testing.T) {
	t.Parallel()
	src := func(fetch func(context.Context) (*FileOperation, error)) pollSource[*FileOperation] {
		return pollSource[*FileOperation]{
			fetch:    fetch,
			progress: func(o *FileOperation) int { return o.Progress },
			outcome:  operationOutcome,
			absent:   func(bool, *FileOperation) error { return ErrOutcomeUnknown },
		}
	}
	queued := step[*FileOperation]{v: &FileOperation{ID: "op", Progress: 0, Status: TaskCreated}}
	tests := []struct {
		name    string
		steps   []step[*FileOperation]
		wantErr error
		check   func(t *testing.T, got *FileOperation, err error)
	}{
		{
			name:  "finished cleanly with the moved folder",
			steps: []step[*FileOperation]{queued, {v: &FileOperation{ID: "op", Progress: 100, Finished: true, Status: TaskCompleted, Folders: []Folder{{ID: 7, ParentID: 42}}}}},
			check: func(t *testing.T, got *FileOperation, _ error) {
				if len(got.Folders) != 1 || got.Folders[0].ParentID != 42 {
					t.Errorf("folders = %+v, want folder 7 in 42", got.Folders)
				}
			},
		},
		{
			name:    "finished with an error text despite status Completed",
			steps:   []step[*FileOperation]{queued, {v: &FileOperation{ID: "op", Progress: 100, Finished: true, Status: TaskCompleted, Error: "Access denied"}}},
			wantErr: ErrOperationFailed,
			check: func(t *testing.T, _ *FileOperation, err error) {
				var oe *OperationError
				if !errors.As(err, &oe) || oe.Message != "Access denied" || oe.Operation.ID != "op" {
					t.Errorf("error = %#v, want an OperationError with the text and operation", err)
				}
			},
		},
		{
			name:    "status past Running without the finished flag is final",
			steps:   []step[*FileOperation]{{v: &FileOperation{ID: "op", Progress: 100, Status: TaskFailed}}},
			wantErr: ErrOperationFailed,
		},
		{
			name:    "canceled",
			steps:   []step[*FileOperation]{{v: &FileOperation{ID: "op", Progress: 40, Finished: true, Status: TaskCanceled}}},
			wantErr: ErrJobCanceled,
		},
		{
			name:    "vanished",
			steps:   []step[*FileOperation]{queued, {err: noRecord()}},
			wantErr: ErrOutcomeUnknown,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var intervals []time.Duration
			got, err := poll(context.Background(), PollOptions{}, src(scripted(t, tt.steps)), recordSleep(&intervals))
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("poll error = %v, want %v", err, tt.wantErr)
			}
			if tt.check != nil {
				tt.check(t, got, err)
			}
			for _, d := range intervals {
				if d < DefaultPollMinInterval || d > DefaultPollMaxInterval {
					t.Errorf("interval %v outside the defaults", d)
				}
			}
		})
	}
}

func TestPollStopsOnCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	fetches := 0
	fetch := func(ctx context.Context) (*TaskProgress, error) {
		fetches++
		if fetches == 3 {
			cancel()
		}
		return &TaskProgress{ID: "j", Status: TaskRunning}, nil
	}
	start := time.Now()
	// The real sleep, with an interval far beyond the test's patience.
	_, err := poll(ctx, PollOptions{MinInterval: time.Millisecond, MaxInterval: time.Hour}, reassignSource(fetch), sleepCtx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("poll error = %v, want context.Canceled", err)
	}
	if fetches != 3 {
		t.Errorf("%d fetches, want 3", fetches)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("poll took %v to notice the cancellation", elapsed)
	}
}

func TestPollOptionsValidation(t *testing.T) {
	t.Parallel()
	tests := []PollOptions{
		{MinInterval: -1},
		{MaxInterval: -1},
		{MinInterval: time.Second, MaxInterval: time.Millisecond},
	}
	for i, o := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			_, err := poll(context.Background(), o, reassignSource(func(context.Context) (*TaskProgress, error) {
				t.Fatal("fetched despite invalid options")
				return nil, nil
			}), sleepCtx)
			if !errors.Is(err, ErrInvalidArgument) {
				t.Errorf("poll(%+v) = %v, want ErrInvalidArgument", o, err)
			}
		})
	}
}
