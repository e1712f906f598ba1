package offboarding

import (
	"context"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// DisableDetail is the detail of the disable step.
type DisableDetail struct {
	StatusBefore    string `json:"statusBefore"`
	StatusAfter     string `json:"statusAfter"`
	AlreadyDisabled bool   `json:"alreadyDisabled"`
	SessionsEnded   bool   `json:"sessionsEnded"`
}

// disable sets the user Terminated, which kills their keys and sessions, then
// logs out every session explicitly (DocSpace's documented belt and braces).
func (x *run) disable(ctx context.Context) (events.StepStatus, any, error) {
	id := x.st.Plan.User.ID
	u, err := x.c.User(ctx, id)
	if err != nil {
		return "", nil, classify(events.StepDisable, "read the user", err)
	}
	if x.st.Produced.StatusBefore == "" {
		x.st.Produced.StatusBefore = u.Status.String()
		if err := x.save(ctx); err != nil {
			return "", nil, err
		}
	}
	detail := DisableDetail{StatusBefore: x.st.Produced.StatusBefore, AlreadyDisabled: u.Status == docspace.UserStatusTerminated}
	if u.Status != docspace.UserStatusTerminated {
		if _, err := x.c.SetUserStatus(ctx, docspace.UserStatusTerminated, id); err != nil {
			return "", nil, classify(events.StepDisable, "set the user Terminated", err)
		}
	}
	if err := x.c.LogoutAllSessions(ctx, id); err != nil {
		return "", nil, classify(events.StepDisable, "log out all sessions", err)
	}
	// Read back: DocSpace answers some wrong requests with 200 and no change.
	u, err = x.c.User(ctx, id)
	if err != nil {
		return "", nil, classify(events.StepDisable, "read the user back", err)
	}
	if u.Status != docspace.UserStatusTerminated {
		return "", nil, &Error{Step: events.StepDisable, Code: CodeDocSpaceRejected, Retryable: true,
			Message: "DocSpace accepted the status change but the user is still " + u.Status.String()}
	}
	detail.StatusAfter = u.Status.String()
	detail.SessionsEnded = true
	return events.StepDone, detail, nil
}
