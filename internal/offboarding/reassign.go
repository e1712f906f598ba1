package offboarding

import (
	"context"
	"errors"
	"fmt"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// ReassignDetail is the detail of the reassign step.
type ReassignDetail struct {
	ToUserID string `json:"toUserId"`
	JobID    string `json:"jobId,omitempty"`
	Outcome  string `json:"outcome"`
	// Note explains an unusual end.
	Note string `json:"note,omitempty"`
	// Restarted is true when a job whose end was never seen was started again.
	Restarted bool              `json:"restarted,omitempty"`
	Rooms     []events.EntryRef `json:"rooms"`
}

// reassignTransferred is the percentage a reassign job publishes once every
// room, folder and file has moved; after it only the e-mail and the audit
// event remain (reference §5.4, steps 7 and 8).
const reassignTransferred = 95

// Reassign outcomes.
const (
	// OutcomeCompleted: the job was seen completing.
	OutcomeCompleted = "completed"
)

// reassign moves the leaver's rooms and shared content to the archive owner
// and waits for DocSpace's background job. It always runs: reassign/necessary
// only reports room ownership and misses content created in others' rooms.
func (x *run) reassign(ctx context.Context) (events.StepStatus, any, error) {
	p := &x.st.Produced
	plan := x.st.Plan
	from, to := plan.User.ID, plan.Owner.ID

	if !p.RoomsListed {
		rooms, err := x.ownedRooms(ctx, from)
		if err != nil {
			return "", nil, classify(events.StepReassign, "list the rooms the user owns", err)
		}
		p.RoomsBefore, p.RoomsListed = rooms, true
		if err := x.save(ctx); err != nil {
			return "", nil, err
		}
	}

	detail := ReassignDetail{ToUserID: to, Rooms: p.RoomsBefore}
	if detail.Rooms == nil {
		detail.Rooms = []events.EntryRef{}
	}

	if p.ReassignJobID == "" {
		// A job may already run: started by an attempt that crashed before its
		// checkpoint, or by someone in the DocSpace UI. DocSpace would return it
		// anyway, but adopting it avoids a write.
		// A finished job is adopted only when this termination may have
		// started it (a start whose answer was lost): its work is done.
		_, asked := p.InDoubt["reassign"]
		cur, err := x.c.ReassignProgress(ctx, from)
		switch {
		case errors.Is(err, docspace.ErrNoRecord):
			if err := x.settle(events.StepReassign, "reassign"); err != nil {
				return "", nil, err
			}
		case err != nil:
			return "", nil, classify(events.StepReassign, "read reassign progress", err)
		case !cur.IsCompleted, asked && cur.Status == docspace.TaskCompleted:
			p.ReassignJobID = cur.ID
		}
	}
	// A job whose end was never seen (its record expired, say after a crash) is
	// started once more and watched to its end: DocSpace makes a rerun after
	// success harmless (nothing is left to move; reference §5.5), and only a
	// job seen completing proves the work was done.
	for round := 0; ; round++ {
		if p.ReassignJobID == "" {
			// Recorded before the request: a crash or a lost answer leaves the
			// next attempt knowing a job may exist.
			x.doubt("reassign", x.r.now())
			if err := x.save(ctx); err != nil {
				return "", nil, err
			}
			job, err := x.c.StartReassign(ctx, from, to, false)
			switch {
			case errors.Is(err, docspace.ErrValidation):
				return "", nil, permanent(events.StepReassign, CodeReassignRejected, "DocSpace refused to reassign from %s to %s: %v", from, to, err)
			case err != nil && !inDoubt(err):
				delete(p.InDoubt, "reassign") // DocSpace answered: no job was started
				return "", nil, classify(events.StepReassign, "start reassign", err)
			case err != nil:
				if serr := x.save(ctx); serr != nil {
					return "", nil, serr
				}
				return "", nil, classify(events.StepReassign, "start reassign", err)
			}
			p.ReassignJobID = job.ID
			delete(p.InDoubt, "reassign")
			if err := x.save(ctx); err != nil {
				return "", nil, err
			}
		}
		detail.JobID = p.ReassignJobID

		seen := 0
		timedOut, err := x.waitJob(ctx, func(ctx context.Context, progressed func()) error {
			poll := x.r.opts.Poll
			poll.OnProgress = func(pct int) {
				progressed()
				seen = max(seen, pct)
				x.progress(ctx, events.StepRunning, pct, "reassign job running")
			}
			_, err := x.c.WaitReassign(ctx, from, poll)
			return err
		})
		switch {
		case timedOut:
			// A job that hangs would be returned again by the next start: end it.
			if _, terr := x.c.TerminateReassign(ctx, from); terr != nil && !errors.Is(terr, docspace.ErrNoRecord) {
				return "", nil, classify(events.StepReassign, "terminate the hung reassign job", terr)
			}
			p.ReassignJobID = ""
			if err := x.save(ctx); err != nil {
				return "", nil, err
			}
			if seen >= reassignTransferred {
				// Everything had moved; only the notification was left (§5.4).
				detail.Outcome = OutcomeCompleted
				detail.Note = fmt.Sprintf("the job hung at %d %%, after every transfer; it was terminated", seen)
				return events.StepDone, detail, nil
			}
			return "", nil, &Error{Step: events.StepReassign, Code: CodeJobTimeout, Retryable: true,
				Message: fmt.Sprintf("the reassign job did not finish within %s; it was terminated and will be started again", x.r.opts.JobTimeout)}
		case err == nil:
			detail.Outcome = OutcomeCompleted
			detail.Restarted = round > 0
			return events.StepDone, detail, nil
		case errors.Is(err, docspace.ErrJobFailed):
			return "", nil, permanent(events.StepReassign, CodeReassignFailed, "DocSpace's reassign job failed: %v", err)
		case errors.Is(err, docspace.ErrJobCanceled):
			// Someone stopped the job; the next attempt starts it again.
			p.ReassignJobID = ""
			return "", nil, &Error{Step: events.StepReassign, Code: CodeReassignFailed, Retryable: true, Err: err,
				Message: "the reassign job was cancelled in DocSpace; it will be started again"}
		case errors.Is(err, docspace.ErrOutcomeUnknown), errors.Is(err, docspace.ErrNoRecord):
			p.ReassignJobID = ""
			if err := x.save(ctx); err != nil {
				return "", nil, err
			}
			if round > 0 {
				return "", nil, &Error{Step: events.StepReassign, Code: CodeReassignFailed, Retryable: true, Err: err,
					Message: "DocSpace dropped the reassign job's record before its end could be seen, twice; it will be started again"}
			}
		default:
			return "", nil, classify(events.StepReassign, "wait for the reassign job", err)
		}
	}
}

// ownedRooms lists every room, active or archived, that userID owns.
func (x *run) ownedRooms(ctx context.Context, userID string) ([]events.EntryRef, error) {
	rooms, err := x.listRooms(ctx, docspace.RoomQuery{SubjectID: userID, SubjectFilter: docspace.SubjectFilterOwner, SearchArea: docspace.SearchAny})
	if err != nil {
		return nil, err
	}
	out := make([]events.EntryRef, 0, len(rooms))
	for _, r := range rooms {
		out = append(out, events.EntryRef{ID: events.EntryID(r.ID), Title: r.Title})
	}
	return out, nil
}

// listRooms pages through a room query.
func (x *run) listRooms(ctx context.Context, q docspace.RoomQuery) ([]docspace.Folder, error) {
	const page = 100
	var out []docspace.Folder
	for start := 0; ; start += page {
		q.Count, q.StartIndex = page, start
		c, err := x.c.Rooms(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, c.Folders...)
		if len(c.Folders) < page || len(out) >= c.Total {
			return out, nil
		}
	}
}
