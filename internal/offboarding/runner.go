package offboarding

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// StepSeal moves a per-employee archive room into DocSpace's Archive; it runs
// only when Options.ArchiveRoomsNatively is set.
const StepSeal = "seal"

// Defaults fill what an event leaves out.
type Defaults struct {
	ArchiveOwnerID string
	ArchiveRoomID  events.EntryID
	HRGroupID      string
}

// Options configure a Runner.
type Options struct {
	Client   *docspace.Client
	Defaults Defaults
	// AuditWindow is how far back the audit trail reaches; default 30 days.
	AuditWindow time.Duration
	// AuditLimit caps the audit and login entries a report keeps; default 500 each.
	AuditLimit int
	// ArchiveRoomsNatively adds the seal step.
	ArchiveRoomsNatively bool
	// SkipAuditCSV leaves DocSpace's own audit report out of the export. That
	// CSV covers every user's actions for up to 180 days (DocSpace takes no
	// filter), so whoever may read the archive reads it too; the JSON report
	// holds only the leaver's trail.
	SkipAuditCSV bool
	// ReactivateOnCancel re-enables the user when a cancellation arrives after
	// the account was disabled.
	ReactivateOnCancel bool
	// Poll shapes waiting for DocSpace's background jobs.
	Poll docspace.PollOptions
	// WriteSettle is how long a write whose answer was lost (a timeout or a
	// dropped connection after the request went out) may still take effect
	// in DocSpace. Before such a write is sent again, the runner looks for its
	// effect and, if none shows, waits until this much time has passed since
	// the lost request. Default 2 minutes.
	WriteSettle time.Duration
	// JobTimeout is how long a background job (reassign, move, archive) may
	// go without progress; default 30 minutes. A reassign job that stalls
	// that long is terminated and started again on the next attempt.
	JobTimeout time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Runner carries out terminations. It is safe for concurrent use.
type Runner struct {
	c    *docspace.Client
	opts Options
	// csvMu serialises asking DocSpace for its audit report and recording the
	// file it made: the file lands, unnamed by request, in the service
	// account's My documents, where a resumed run looks for it.
	csvMu sync.Mutex
}

// New returns a Runner.
func New(o Options) (*Runner, error) {
	if o.Client == nil {
		return nil, errors.New("offboarding: a DocSpace client is required")
	}
	if o.AuditWindow <= 0 {
		o.AuditWindow = 30 * 24 * time.Hour
	}
	if o.AuditLimit <= 0 {
		o.AuditLimit = 500
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.JobTimeout <= 0 {
		o.JobTimeout = 30 * time.Minute
	}
	if o.WriteSettle <= 0 {
		o.WriteSettle = 2 * time.Minute
	}
	return &Runner{c: o.Client, opts: o}, nil
}

// Cancellation is a request to stop a termination.
type Cancellation struct {
	Reason string    `json:"reason,omitempty"`
	Source string    `json:"source,omitempty"`
	At     time.Time `json:"at"`
}

// Hooks connect a run to the caller's persistence and messaging.
type Hooks struct {
	// Save stores st. It is called at every checkpoint; an error stops the run
	// (another worker may own the termination now).
	Save func(ctx context.Context, st *State) error
	// Progress reports a step starting, moving on, or ending. Optional.
	Progress func(ctx context.Context, p events.Progress)
	// Cancelled returns the cancellation of this termination, or nil. It is
	// asked before every step. Optional.
	Cancelled func(ctx context.Context) (*Cancellation, error)
	// ClaimOnce makes this termination the one owner of a named thing shared
	// by every termination (a DocSpace file nobody named when it was made),
	// or reports that another termination owns it. It must be atomic across
	// processes. Optional: without it, claims always succeed.
	ClaimOnce func(ctx context.Context, name string) (bool, error)
}

// stepNames lists the steps in order.
func (r *Runner) stepNames() []string {
	names := events.Steps()
	if r.opts.ArchiveRoomsNatively {
		names = append(names, StepSeal)
	}
	return names
}

// run is one attempt at one termination.
type run struct {
	r  *Runner
	c  *docspace.Client
	st *State
	h  Hooks
	// step is the step running now, for progress events.
	step string
}

// Run carries st forward: preflight when there is no plan yet, then every
// unfinished step. It returns the final result (completed, failed, cancelled or
// planned), already stored in st and saved; or an *Error with Retryable set
// when trying again later can succeed (st holds the checkpoints so far).
func (r *Runner) Run(ctx context.Context, st *State, h Hooks) (*events.Result, error) {
	if st.Finished() {
		return st.Result, nil
	}
	if h.Save == nil {
		return nil, errors.New("offboarding: Hooks.Save is required")
	}
	x := &run{r: r, c: r.c, st: st, h: h}

	if st.Plan == nil {
		if c, err := x.cancelled(ctx); err != nil {
			return nil, err
		} else if c != nil {
			return x.finish(ctx, events.StatusCancelled, cancelledError(c))
		}
		plan, err := x.preflight(ctx)
		if err != nil {
			return x.fail(ctx, "", err)
		}
		st.Plan = plan
		if err := x.save(ctx); err != nil {
			return nil, err
		}
	}
	if st.Plan.DryRun {
		return x.finish(ctx, events.StatusPlanned, nil)
	}

	for _, name := range r.stepNames() {
		ss := st.step(name)
		if ss.Status != "" {
			continue
		}
		if c, err := x.cancelled(ctx); err != nil {
			return nil, err
		} else if c != nil {
			return x.cancel(ctx, c)
		}
		x.step = name
		ss.Attempts++
		if ss.StartedAt.IsZero() {
			ss.StartedAt = r.now()
		}
		if err := x.save(ctx); err != nil {
			return nil, err
		}
		x.progress(ctx, events.StepRunning, 0, "")

		status, detail, err := x.runStep(ctx, name)
		if err != nil {
			return x.fail(ctx, name, err)
		}
		ss.Status = status
		ss.FinishedAt = r.now()
		ss.Detail, err = json.Marshal(detail)
		if err != nil {
			return nil, fmt.Errorf("encode %s detail: %w", name, err)
		}
		if err := x.save(ctx); err != nil {
			return nil, err
		}
		x.progress(ctx, status, 100, "")
	}
	return x.finish(ctx, events.StatusCompleted, nil)
}

func (x *run) runStep(ctx context.Context, name string) (events.StepStatus, any, error) {
	switch name {
	case events.StepDisable:
		return x.disable(ctx)
	case events.StepReassign:
		return x.reassign(ctx)
	case events.StepArchive:
		return x.archive(ctx)
	case events.StepAccess:
		return x.access(ctx)
	case events.StepAudit:
		return x.audit(ctx)
	case StepSeal:
		return x.seal(ctx)
	default:
		return "", nil, fmt.Errorf("unknown step %q", name)
	}
}

func (r *Runner) now() time.Time { return r.opts.Now().UTC() }

// CodeWriteInDoubt is a write whose answer was lost and whose effect does not
// show yet; the next attempt looks again before sending it again.
const CodeWriteInDoubt = "write_in_doubt"

// inDoubt reports whether err leaves it unknown whether DocSpace acted: the
// request went out and no answer came back.
func inDoubt(err error) bool {
	return errors.Is(err, docspace.ErrTimeout) || errors.Is(err, docspace.ErrNetwork)
}

// settle checks, before a non-idempotent write of the given kind is sent
// (again), that no earlier request of that kind may still take effect: if one
// was lost less than WriteSettle ago, it returns a retryable error that asks
// to wait for the rest of that time.
func (x *run) settle(step, kind string) error {
	at, ok := x.st.Produced.InDoubt[kind]
	if !ok {
		return nil
	}
	if wait := at.Add(x.r.opts.WriteSettle).Sub(x.r.now()); wait > 0 {
		return &Error{Step: step, Code: CodeWriteInDoubt, Retryable: true, RetryAfter: wait,
			Message: fmt.Sprintf("DocSpace's answer to an earlier %s request was lost and its effect does not show yet; looking again in %s before sending it again", kind, wait.Round(time.Second))}
	}
	return nil
}

// doubt records that a write of kind, sent at sentAt, got no answer.
func (x *run) doubt(kind string, sentAt time.Time) {
	if x.st.Produced.InDoubt == nil {
		x.st.Produced.InDoubt = map[string]time.Time{}
	}
	x.st.Produced.InDoubt[kind] = sentAt
}

// claimOnce asks the caller to make this termination the owner of name.
func (x *run) claimOnce(ctx context.Context, name string) (bool, error) {
	if x.h.ClaimOnce == nil {
		return true, nil
	}
	ok, err := x.h.ClaimOnce(ctx, name)
	if err != nil {
		return false, &Error{Step: x.step, Code: CodeStateLost, Message: "claim " + name + ": " + err.Error(), Retryable: true, Err: err}
	}
	return ok, nil
}

// CodeJobTimeout is a DocSpace background job that did not finish within
// Options.JobTimeout; the next attempt starts it again.
const CodeJobTimeout = "job_timeout"

// waitJob runs wait until the job ends or makes no progress for JobTimeout:
// wait calls progressed whenever the job moves, which restarts the clock (a
// job queued behind others, or a long one still moving, is not cut short).
// timedOut reports that the timeout, not the run's own context, ended it.
func (x *run) waitJob(ctx context.Context, wait func(ctx context.Context, progressed func()) error) (timedOut bool, err error) {
	jctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stalled := errors.New("no progress")
	timer := time.AfterFunc(x.r.opts.JobTimeout, func() { cancel(stalled) })
	defer timer.Stop()
	err = wait(jctx, func() { timer.Reset(x.r.opts.JobTimeout) })
	if err != nil && ctx.Err() == nil && errors.Is(context.Cause(jctx), stalled) {
		return true, err
	}
	return false, err
}

// waitOperation waits, as waitJob does, for the DocSpace file operation opID,
// so that the caller can read the state DocSpace holds afterwards; onPct, when
// given, receives the operation's percentage. finished reports that the
// operation was seen ending without an error; opErr is the error it ended
// with, if it did. A stalled wait or an outcome DocSpace no longer knows
// returns neither: the state read back decides. Any other failure to wait is
// returned as err, classified for step (what names the wait).
func (x *run) waitOperation(ctx context.Context, step, what, opID string, onPct func(int)) (finished bool, opErr *docspace.OperationError, err error) {
	timedOut, err := x.waitJob(ctx, func(ctx context.Context, progressed func()) error {
		poll := x.r.opts.Poll
		poll.OnProgress = func(pct int) {
			progressed()
			if onPct != nil {
				onPct(pct)
			}
		}
		_, err := x.c.WaitOperation(ctx, opID, poll)
		return err
	})
	switch {
	case err == nil:
		return true, nil, nil
	case timedOut, errors.Is(err, docspace.ErrOutcomeUnknown), errors.Is(err, docspace.ErrNoRecord):
		return false, nil, nil
	case errors.As(err, &opErr):
		return false, opErr, nil
	}
	return false, nil, classify(step, what, err)
}

// save checkpoints the state. A save that fails because the run's context
// ended is retried once on a short detached context, so what was done is not
// lost on shutdown.
func (x *run) save(ctx context.Context) error {
	err := x.h.Save(ctx, x.st)
	if err != nil && ctx.Err() != nil {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		err = x.h.Save(sctx, x.st)
	}
	if err != nil {
		return &Error{Step: x.step, Code: CodeStateLost, Message: "checkpoint: " + err.Error(), Retryable: true, Err: err}
	}
	return nil
}

func (x *run) cancelled(ctx context.Context) (*Cancellation, error) {
	if x.h.Cancelled == nil {
		return nil, nil
	}
	c, err := x.h.Cancelled(ctx)
	if err != nil {
		return nil, &Error{Step: x.step, Code: CodeStateLost, Message: "read cancellation: " + err.Error(), Retryable: true, Err: err}
	}
	return c, nil
}

func (x *run) progress(ctx context.Context, status events.StepStatus, pct int, msg string) {
	if x.h.Progress == nil {
		return
	}
	p := events.Progress{
		TerminationID:     x.st.TerminationID,
		TerminationSource: x.st.TerminationSource,
		EmployeeID:        x.st.Request.EmployeeID,
		Step:              x.step,
		Status:            status,
		Percentage:        pct,
		Message:           msg,
		Time:              x.r.now(),
	}
	if x.st.Plan != nil {
		p.UserID = x.st.Plan.User.ID
	}
	if x.step != "" {
		p.Attempt = x.st.step(x.step).Attempts
	}
	x.h.Progress(ctx, p)
}

// fail ends the run: a retryable error is recorded and returned for a later
// attempt; anything else finishes the termination as failed.
func (x *run) fail(ctx context.Context, step string, err error) (*events.Result, error) {
	e := AsError(step, err)
	if e.Step == "" {
		e.Step = step
	}
	if e.Retryable {
		x.st.LastError = e.Event()
		if serr := x.save(ctx); serr != nil {
			return nil, errors.Join(e, serr)
		}
		return nil, e
	}
	if step != "" {
		x.r.failStep(x.st, step, e)
		x.progress(ctx, events.StepFailed, 0, e.Message)
	}
	return x.finish(ctx, events.StatusFailed, e)
}

func cancelledError(c *Cancellation) *Error {
	msg := "the termination was cancelled"
	if c.Reason != "" {
		msg += ": " + c.Reason
	}
	return &Error{Code: CodeCancelled, Message: msg}
}

// cancel stops at a step boundary: what was done stays done and is reported;
// the user is re-enabled only when configured to and the account was disabled.
func (x *run) cancel(ctx context.Context, c *Cancellation) (*events.Result, error) {
	e := cancelledError(c)
	// The user may be disabled even when the disable step did not finish (an
	// attempt set the status, then failed to log the sessions out): decide on
	// what the user was before and is now.
	p := &x.st.Produced
	if x.r.opts.ReactivateOnCancel && !p.Reactivated && p.StatusBefore == docspace.UserStatusActive.String() {
		u, err := x.c.User(ctx, x.st.Plan.User.ID)
		if err != nil {
			return x.fail(ctx, events.StepDisable, classify(events.StepDisable, "read the user to re-enable them", err))
		}
		if u.Status == docspace.UserStatusTerminated {
			if _, err := x.c.SetUserStatus(ctx, docspace.UserStatusActive, u.ID); err != nil {
				return x.fail(ctx, events.StepDisable, classify(events.StepDisable, "re-enable the user after cancellation", err))
			}
			p.Reactivated = true
			e.Message += "; the account was re-enabled"
		}
	}
	return x.finish(ctx, events.StatusCancelled, e)
}

// finish builds the final result, stores it in the state and saves it.
func (x *run) finish(ctx context.Context, status events.Status, e *Error) (*events.Result, error) {
	res := x.r.finalize(x.st, status, e)
	if err := x.save(ctx); err != nil {
		x.st.Result = nil
		return nil, err
	}
	return res, nil
}

// GiveUp ends a termination whose retry budget is spent: st gets a failed
// result carrying the last retryable error (retryable stays true: trying
// again later, by publishing the termination again, may succeed). The caller
// saves st.
func (r *Runner) GiveUp(st *State, e *Error) *events.Result {
	e.Retryable = true
	if e.Step != "" {
		r.failStep(st, e.Step, e)
	}
	return r.finalize(st, events.StatusFailed, e)
}

// failStep marks the named step of st failed with e.
func (r *Runner) failStep(st *State, name string, e *Error) {
	ss := st.step(name)
	ss.Status = events.StepFailed
	ss.FinishedAt = r.now()
	ss.Detail, _ = json.Marshal(map[string]string{"code": e.Code, "message": e.Message})
}

// Reject ends a termination whose event is invalid, before anything ran. The
// caller saves st.
func (r *Runner) Reject(st *State, message string) *events.Result {
	return r.finalize(st, events.StatusFailed, &Error{Code: CodeInvalidEvent, Message: message})
}

// Cancel ends a termination that has not started (it waited for its
// effectiveAt) because a cancellation arrived. The caller saves st.
func (r *Runner) Cancel(st *State, c *Cancellation) *events.Result {
	return r.finalize(st, events.StatusCancelled, cancelledError(c))
}

// finalize builds the final result from the state and stores it there.
func (r *Runner) finalize(st *State, status events.Status, e *Error) *events.Result {
	now := r.now()
	res := &events.Result{
		TerminationID:     st.TerminationID,
		TerminationSource: st.TerminationSource,
		UserID:            st.Request.UserID,
		EmployeeID:        st.Request.EmployeeID,
		Status:            status,
		DryRun:            st.Request.DryRun,
		Reason:            st.Request.Reason,
		StartedAt:         st.StartedAt,
		FinishedAt:        now,
	}
	if st.Plan != nil {
		res.UserID = st.Plan.User.ID
	}
	x := &run{r: r, c: r.c, st: st}
	for _, name := range r.stepNames() {
		ss := st.step(name)
		step := events.Step{Name: name, Status: ss.Status, Attempts: ss.Attempts, StartedAt: ss.StartedAt, FinishedAt: ss.FinishedAt, Detail: ss.Detail}
		switch {
		case status == events.StatusPlanned:
			step.Status = events.StepPlanned
			step.Detail = x.planDetail(name)
		case ss.Status == "":
			step.Status = events.StepSkipped
			reason := "not reached"
			switch {
			case status == events.StatusCancelled:
				reason = "cancelled before this step"
			case e != nil && e.Code == CodeInvalidEvent:
				reason = "the event is invalid; nothing was changed"
			case e != nil && e.Step == "" && st.Plan == nil:
				reason = "preflight failed; nothing was changed"
			}
			step.Detail, _ = json.Marshal(map[string]string{"reason": reason})
		}
		if step.StartedAt.IsZero() {
			step.StartedAt = now
		}
		if step.FinishedAt.IsZero() {
			step.FinishedAt = now
		}
		if len(step.Detail) == 0 {
			step.Detail = json.RawMessage(`{}`)
		}
		res.Steps = append(res.Steps, step)
	}
	if e != nil {
		res.Error = e.Event()
	}
	if st.Plan != nil && status != events.StatusFailed {
		res.Report = x.report()
	}
	st.Result = res
	return res
}
