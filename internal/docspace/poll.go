package docspace

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Poll interval defaults.
const (
	DefaultPollMinInterval = 500 * time.Millisecond
	DefaultPollMaxInterval = 5 * time.Second
)

// PollOptions tune WaitReassign and WaitOperation.
type PollOptions struct {
	// MinInterval and MaxInterval bound the adaptive interval: it starts at
	// MinInterval, grows ×1.5 while nothing changes, and drops back to
	// MinInterval when the progress moves. Defaults 500ms and 5s.
	MinInterval, MaxInterval time.Duration
	// OnProgress, when set, is called with the percentage on every observed
	// change, the first observation included.
	OnProgress func(percentage int)
	// OnPoll, when set, is called after every successful poll, changed or
	// not: a heartbeat while a queued job shows no progress.
	OnPoll func(percentage int)
}

func (o PollOptions) intervals() (lo, hi time.Duration, err error) {
	lo, hi = orDefault(o.MinInterval, DefaultPollMinInterval), orDefault(o.MaxInterval, DefaultPollMaxInterval)
	switch {
	case o.MinInterval < 0 || o.MaxInterval < 0:
		return 0, 0, fmt.Errorf("negative poll interval: %w", ErrInvalidArgument)
	case hi < lo:
		return 0, 0, fmt.Errorf("poll MaxInterval %s is below MinInterval %s: %w", hi, lo, ErrInvalidArgument)
	}
	return lo, hi, nil
}

// pollSource adapts one kind of DocSpace job to the poller.
type pollSource[T any] struct {
	// fetch reads the current state; an error matching ErrNoRecord means
	// DocSpace has no record of the job.
	fetch func(ctx context.Context) (T, error)
	// progress is the percentage of a state.
	progress func(T) int
	// outcome reports whether a state is final, and the error it stands for.
	outcome func(T) (done bool, err error)
	// absent is the error for a missing record; seen says whether the job was
	// observed before, and last is its last observed state.
	absent func(seen bool, last T) error
}

// poll is the one poller behind WaitReassign and WaitOperation. It reads the
// state until it is final, adapting its interval, and stops as soon as ctx is
// done.
func poll[T any](ctx context.Context, o PollOptions, src pollSource[T], sleep func(context.Context, time.Duration) error) (T, error) {
	var zero, last T
	lo, hi, err := o.intervals()
	if err != nil {
		return zero, err
	}
	interval, seen, lastPct := lo, false, 0
	for {
		v, err := src.fetch(ctx)
		switch {
		case err == nil:
		case errors.Is(err, ErrNoRecord) && ctx.Err() == nil:
			return zero, src.absent(seen, last)
		default:
			return zero, err
		}
		pct := src.progress(v)
		if !seen || pct != lastPct {
			interval = lo
			if o.OnProgress != nil {
				o.OnProgress(pct)
			}
		} else {
			interval = min(hi, interval+interval/2)
		}
		seen, last, lastPct = true, v, pct
		if o.OnPoll != nil {
			o.OnPoll(pct)
		}
		if done, err := src.outcome(v); done {
			return v, err
		}
		if err := sleep(ctx, interval); err != nil {
			return zero, err
		}
	}
}

// WaitReassign polls the reassignment job of a source user until it ends
// (reference §5.3). Completed: the final TaskProgress. Failed: a *JobError
// matching ErrJobFailed, carrying DocSpace's message. Canceled: a *JobError
// matching ErrJobCanceled. No record: ErrNoRecord if the job was never seen,
// ErrOutcomeUnknown if it vanished after being seen (DocSpace drops a job
// about 60 s after its last update); resolve the latter by reading state
// back. ctx cancellation stops polling at once.
func (c *Client) WaitReassign(ctx context.Context, userID string, o PollOptions) (*TaskProgress, error) {
	if err := checkGUID(string(opGetReassignProgress), "user id", userID); err != nil {
		return nil, err
	}
	tp, err := poll(ctx, o, pollSource[*TaskProgress]{
		fetch:    func(ctx context.Context) (*TaskProgress, error) { return c.ReassignProgress(ctx, userID) },
		progress: func(t *TaskProgress) int { return t.Percentage },
		outcome:  reassignOutcome,
		absent: func(seen bool, last *TaskProgress) error {
			if !seen {
				return fmt.Errorf("no reassignment job: %w", ErrNoRecord)
			}
			return fmt.Errorf("job %s vanished at %d%%: %w", last.ID, last.Percentage, ErrOutcomeUnknown)
		},
	}, c.sleep)
	if err != nil {
		return nil, fmt.Errorf("wait for reassignment of %s: %w", userID, err)
	}
	return tp, nil
}

// reassignOutcome reads a job state: final once isCompleted is set or the
// status is past Running.
func reassignOutcome(t *TaskProgress) (bool, error) {
	final := t.IsCompleted || t.Status == TaskCompleted || t.Status == TaskCanceled || t.Status == TaskFailed
	switch {
	case !final:
		return false, nil
	case t.Status == TaskCanceled:
		return true, &JobError{ID: t.ID, Status: TaskCanceled, Message: t.Error}
	case t.Status == TaskFailed || strings.TrimSpace(t.Error) != "":
		return true, &JobError{ID: t.ID, Status: TaskFailed, Message: t.Error}
	case t.Status == TaskCompleted:
		return true, nil
	}
	return true, fmt.Errorf("job %s reported completed with status %s: %w", t.ID, t.Status, ErrOutcomeUnknown)
}

// WaitOperation polls a file operation until it has finished (reference
// §8.4). DocSpace returns the final state once and then forgets it, so this
// must be the only poller of the operation. Finished without error: the final
// FileOperation, whose Folders and Files are the entries at their new
// location. Finished with an error text: an *OperationError (matching
// ErrOperationFailed) holding the text and the operation. Canceled:
// ErrJobCanceled. Vanished, or never seen: ErrOutcomeUnknown; read the
// destination to decide. ctx cancellation stops polling at once.
func (c *Client) WaitOperation(ctx context.Context, id string, o PollOptions) (*FileOperation, error) {
	if strings.TrimSpace(id) == "" {
		return nil, newArgError(string(opGetOperationStatuses), "empty operation id")
	}
	op, err := poll(ctx, o, pollSource[*FileOperation]{
		fetch:    func(ctx context.Context) (*FileOperation, error) { return c.Operation(ctx, id) },
		progress: func(op *FileOperation) int { return op.Progress },
		outcome:  operationOutcome,
		absent: func(seen bool, last *FileOperation) error {
			if !seen {
				return fmt.Errorf("operation not listed (already read, expired or never run): %w", ErrOutcomeUnknown)
			}
			return fmt.Errorf("operation vanished at %d%%: %w", last.Progress, ErrOutcomeUnknown)
		},
	}, c.sleep)
	if err != nil {
		return nil, fmt.Errorf("wait for file operation %s: %w", id, err)
	}
	return op, nil
}

// operationOutcome reads an operation state: final once finished is set or
// the status is past Running (a later poll would not see it again).
func operationOutcome(op *FileOperation) (bool, error) {
	final := op.Finished || op.Status == TaskCompleted || op.Status == TaskCanceled || op.Status == TaskFailed
	switch {
	case !final:
		return false, nil
	case strings.TrimSpace(op.Error) != "":
		return true, &OperationError{Operation: op, Message: truncate(op.Error)}
	case op.Status == TaskCanceled:
		return true, fmt.Errorf("operation %s canceled: %w", op.ID, ErrJobCanceled)
	case op.Status == TaskFailed:
		return true, &OperationError{Operation: op, Message: "failed with status " + strconv.Itoa(int(op.Status)) + " and no message"}
	}
	return true, nil
}
