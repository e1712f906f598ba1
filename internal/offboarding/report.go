package offboarding

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// report assembles the report from the plan and what the steps produced.
func (x *run) report() *events.Report {
	st, p := x.st, &x.st.Produced
	plan := st.Plan
	rep := &events.Report{
		User: events.ReportUser{
			ID: plan.User.ID, DisplayName: plan.User.DisplayName, Email: plan.User.Email,
			EmployeeID: st.Request.EmployeeID, Type: plan.User.Type,
			StatusBefore: cmp.Or(p.StatusBefore, plan.User.Status),
		},
		Reassigned: events.Reassignment{
			ToUserID: plan.Owner.ID, ToDisplayName: plan.Owner.DisplayName, JobID: p.ReassignJobID,
			Rooms: nonNil(p.RoomsBefore),
		},
		Access:     nonNil(p.Access),
		Exports:    nonNil(p.Exports),
		LeftBehind: nonNil(p.LeftBehind),
		Audit:      events.AuditTrail{Events: []events.AuditEntry{}, LoginEvents: []events.LoginEntry{}},
	}
	if ss := st.step(events.StepDisable); ss.Status == events.StepDone {
		rep.User.StatusAfter = "Terminated"
		if p.Reactivated {
			rep.User.StatusAfter = "Active"
		}
	}
	if ss := st.step(events.StepReassign); ss.Status == events.StepDone {
		var d ReassignDetail
		if json.Unmarshal(ss.Detail, &d) == nil {
			rep.Reassigned.Outcome = d.Outcome
		}
	}
	if rep.Reassigned.Outcome == "" {
		rep.Reassigned.Outcome = "pending"
		if plan.DryRun {
			rep.Reassigned.Outcome = "planned"
		}
	}
	if p.Archive != nil {
		a := *p.Archive
		rep.Archive = &a
	}
	if p.Audit != nil {
		rep.Audit = *p.Audit
	}
	return rep
}

// planDetail describes what a step would do, for a dry run.
func (x *run) planDetail(name string) json.RawMessage {
	plan := x.st.Plan
	var d any
	switch name {
	case events.StepDisable:
		d = map[string]any{"userId": plan.User.ID, "statusNow": plan.User.Status, "action": "set status Terminated and log out all sessions"}
	case events.StepReassign:
		d = map[string]any{"fromUserId": plan.User.ID, "toUserId": plan.Owner.ID, "action": "reassign rooms and shared content, wait for DocSpace's job"}
	case events.StepArchive:
		m := map[string]any{"destination": plan.Destination}
		if plan.Folder != 0 {
			m["folderId"], m["folderTitle"] = plan.Folder, plan.FolderTitle
		} else {
			m["note"] = "the event names no workspace folder; nothing would be moved"
		}
		if plan.Destination.Kind == DestEmployeeRoom {
			m["action"] = "create the room (or reuse it) and move the folder into it"
		}
		d = m
	case events.StepAccess:
		m := map[string]any{"roomManager": plan.Owner.ID}
		if plan.HRGroupID != "" {
			m["read"] = plan.HRGroupID
		}
		if plan.Destination.Kind == DestEmployeeRoom {
			m["action"] = "set exactly these members; remove everyone else but the service account"
		} else {
			m["action"] = "check and report the shared room's access; change nothing"
		}
		d = m
	case events.StepAudit:
		d = map[string]any{"window": x.r.opts.AuditWindow.String(), "action": "collect audit and login history; export DocSpace's audit report and this report into the archive"}
	case StepSeal:
		d = map[string]any{"action": "move the employee's room into DocSpace's Archive"}
	default:
		d = map[string]any{}
	}
	b, _ := json.Marshal(d)
	return b
}

// shortHash is a short stable digest of a termination's identity.
func shortHash(source, id string) string {
	h := sha256.Sum256([]byte(source + "\x00" + id))
	return hex.EncodeToString(h[:6])
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
