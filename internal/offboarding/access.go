package offboarding

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// AccessDetail is the detail of the access step.
type AccessDetail struct {
	RoomID events.EntryID `json:"roomId"`
	// Mode is "applied" for the employee's own room, "checked" for a shared one.
	Mode    string               `json:"mode"`
	Changed int                  `json:"changed"`
	Grants  []events.AccessGrant `json:"grants"`
	// Findings lists how a shared room departs from the archive rules.
	Findings []string `json:"findings,omitempty"`
}

// access applies the archive rules to the employee's room: the archive owner
// RoomManager, the HR group Read, nobody else but the room's owner (the
// service account). On a shared room it checks and reports instead: other
// people's archives live there too, so its membership is not ours to change.
// Access is set on the room, never on the folder: folders inside rooms take no
// user or group shares.
func (x *run) access(ctx context.Context) (events.StepStatus, any, error) {
	plan := x.st.Plan
	room := int(plan.Destination.RoomID)
	want := map[string]docspace.FileShare{plan.Owner.ID: docspace.FileShareRoomManager}
	if plan.HRGroupID != "" {
		want[plan.HRGroupID] = docspace.FileShareRead
	}

	members, err := x.c.RoomSecurity(ctx, room)
	if err != nil {
		return "", nil, classify(events.StepAccess, "read the archive room's access", err)
	}
	d := AccessDetail{RoomID: plan.Destination.RoomID, Mode: "checked"}

	if plan.Destination.Kind != DestEmployeeRoom {
		d.Grants = grants(members)
		d.Findings = findings(members, want, plan)
		x.st.Produced.Access = d.Grants
		for _, f := range d.Findings {
			x.st.Produced.LeftBehind = appendUnique(x.st.Produced.LeftBehind, events.LeftBehind{Kind: "shared-room-access", ID: fmt.Sprint(room), Description: f})
		}
		return events.StepDone, d, nil
	}

	d.Mode = "applied"
	inv := diff(members, want)
	if len(inv) > 0 {
		_, err := x.c.ShareRoom(ctx, room, inv, false)
		switch {
		case errors.Is(err, docspace.ErrFormRoleBlocking):
			return "", nil, permanent(events.StepAccess, CodeAccessRejected, "DocSpace refused to remove a member of room %d who holds a form role: %v", room, err)
		case errors.Is(err, docspace.ErrForbidden), errors.Is(err, docspace.ErrValidation):
			return "", nil, permanent(events.StepAccess, CodeAccessRejected, "DocSpace refused the archive access rules on room %d: %v", room, err)
		case err != nil:
			return "", nil, classify(events.StepAccess, "set the archive room's access", err)
		}
		d.Changed = len(inv)
		// Read back: DocSpace drops some entries silently (terminated users, ...).
		members, err = x.c.RoomSecurity(ctx, room)
		if err != nil {
			return "", nil, classify(events.StepAccess, "read the archive room's access back", err)
		}
		if rest := diff(members, want); len(rest) > 0 {
			return "", nil, permanent(events.StepAccess, CodeAccessMismatch, "room %d still departs from the archive rules after they were applied: %s", room, describe(rest))
		}
	}
	d.Grants = grants(members)
	x.st.Produced.Access = d.Grants
	return events.StepDone, d, nil
}

// subject identifies a share's user or group.
func subject(s docspace.Share) (id, kind, name string) {
	switch {
	case s.SharedToUser != nil:
		return s.SharedToUser.ID, "user", s.SharedToUser.DisplayName
	case s.SharedToGroup != nil:
		return s.SharedToGroup.ID, "group", s.SharedToGroup.Name
	}
	return "", "", ""
}

// diff lists the invitations that turn members into want: missing or different
// levels set, everyone else removed (access None), except the room's owner,
// who cannot be changed this way, and link shares, which are not people.
func diff(members []docspace.Share, want map[string]docspace.FileShare) []docspace.Invitation {
	var inv []docspace.Invitation
	seen := map[string]bool{}
	for _, m := range members {
		id, _, _ := subject(m)
		if id == "" {
			continue
		}
		seen[id] = true
		if m.IsOwner {
			continue
		}
		level, ok := want[id]
		switch {
		case !ok:
			inv = append(inv, docspace.Invitation{ID: id, Access: docspace.FileShareNone})
		case m.Access != level:
			inv = append(inv, docspace.Invitation{ID: id, Access: level})
		}
	}
	ids := make([]string, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if !seen[id] {
			inv = append(inv, docspace.Invitation{ID: id, Access: want[id]})
		}
	}
	return inv
}

func describe(inv []docspace.Invitation) string {
	parts := make([]string, 0, len(inv))
	for _, i := range inv {
		parts = append(parts, fmt.Sprintf("%s should be %s", i.ID, i.Access))
	}
	return strings.Join(parts, ", ")
}

// findings lists how a shared room departs from the archive rules.
func findings(members []docspace.Share, want map[string]docspace.FileShare, plan *Plan) []string {
	var out []string
	has := map[string]docspace.FileShare{}
	for _, m := range members {
		if id, _, _ := subject(m); id != "" {
			has[id] = m.Access
			if m.IsOwner {
				has[id] = docspace.FileShareRoomManager
			}
		}
	}
	if a, ok := has[plan.Owner.ID]; !ok || a != docspace.FileShareRoomManager {
		out = append(out, fmt.Sprintf("archive owner %s is not a RoomManager of the shared archive room", plan.Owner.ID))
	}
	if plan.HRGroupID != "" {
		switch a, ok := has[plan.HRGroupID]; {
		case !ok:
			out = append(out, fmt.Sprintf("HR group %s has no access to the shared archive room", plan.HRGroupID))
		case a != docspace.FileShareRead:
			out = append(out, fmt.Sprintf("HR group %s has %s access to the shared archive room, not read-only", plan.HRGroupID, a))
		}
	}
	var others []string
	for _, m := range members {
		id, kind, name := subject(m)
		if id == "" || m.IsOwner || id == plan.ServiceAccountID {
			continue
		}
		if _, ok := want[id]; !ok {
			others = append(others, fmt.Sprintf("%s %s (%s, %s)", kind, id, name, m.Access))
		}
	}
	if len(others) > 0 {
		out = append(out, "others with access to the shared archive room: "+strings.Join(others, "; "))
	}
	return out
}

func grants(members []docspace.Share) []events.AccessGrant {
	out := make([]events.AccessGrant, 0, len(members))
	for _, m := range members {
		id, kind, name := subject(m)
		if id == "" {
			continue
		}
		out = append(out, events.AccessGrant{SubjectID: id, SubjectType: kind, Name: name, Access: int(m.Access), AccessName: m.Access.String(), IsOwner: m.IsOwner})
	}
	return out
}

func appendUnique(list []events.LeftBehind, l events.LeftBehind) []events.LeftBehind {
	if slices.Contains(list, l) {
		return list
	}
	return append(list, l)
}
