package consumer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/publisher"
)

// TestEndToEnd publishes 20 terminations through the CLI's code path, half in
// each content mode, to a running service, and checks every result and the
// state each offboarding left in DocSpace.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end")
	}
	t.Parallel()
	e := startEnv(t)
	const n = 20
	type employee struct {
		user   docspacetest.User
		folder docspacetest.Entry
		room   docspacetest.Entry // a room the employee owns before leaving
	}
	staff := make([]employee, n)
	for i := range staff {
		u := docspacetest.Must(e.sim.AddUser(docspacetest.UserSpec{
			FirstName: "Leaver", LastName: fmt.Sprintf("%02d", i), Email: fmt.Sprintf("leaver%02d@acme.example", i),
			Type: docspacetest.TypeRoomAdmin,
		}))(t)
		f := docspacetest.Must(e.sim.AddFolder(1000, fmt.Sprintf("Leaver %02d", i), u.ID))(t)
		r := docspacetest.Must(e.sim.AddRoom(docspacetest.RoomSpec{Title: fmt.Sprintf("Project %02d", i), OwnerID: u.ID}))(t)
		staff[i] = employee{user: u, folder: f, room: r}
	}

	pub, err := publisher.New(e.js, publisher.Options{Source: "/hris/e2e", Store: e.store})
	if err != nil {
		t.Fatal(err)
	}
	ts := make([]publisher.Termination, n)
	for i, s := range staff {
		mode := events.Structured
		if i%2 == 1 {
			mode = events.Binary
		}
		d := events.TerminationData{EmployeeID: fmt.Sprintf("E-%04d", i), WorkspaceFolderID: events.EntryID(s.folder.ID), Reason: "end to end"}
		if i%3 == 0 {
			d.Email = s.user.Email
		} else {
			d.UserID = s.user.ID
		}
		ts[i] = publisher.Termination{ID: fmt.Sprintf("e2e-%02d", i), Data: d, Mode: mode}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	published, err := pub.TerminateAll(ctx, ts, nil)
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	results, err := pub.Wait(ctx, published, nil, nil)
	if err != nil {
		t.Fatalf("wait: %v", err)
	}

	if len(results) != n {
		t.Fatalf("%d results, want %d", len(results), n)
	}
	for i, s := range staff {
		id := ts[i].ID
		r := results[id]
		if r == nil || r.Status != events.StatusCompleted {
			t.Errorf("%s: %+v, want completed", id, r)
			continue
		}
		if r.UserID != s.user.ID {
			t.Errorf("%s: userId %s, want %s", id, r.UserID, s.user.ID)
		}
		for _, step := range r.Steps {
			if step.Status != events.StepDone {
				t.Errorf("%s: step %s is %s", id, step.Name, step.Status)
			}
		}
		if len(r.Steps) != 5 {
			t.Errorf("%s: %d steps, want 5", id, len(r.Steps))
		}
		// Disabled.
		if u, _ := e.sim.User(s.user.ID); u.Status != docspacetest.StatusTerminated {
			t.Errorf("%s: user is %v", id, u.Status)
		}
		// Reassigned: the room they owned belongs to the archive owner.
		if room, _ := e.sim.Entry(s.room.ID); room.CreatedBy != keeperID {
			t.Errorf("%s: room %d still owned by %s", id, s.room.ID, room.CreatedBy)
		}
		// Archived: the folder sits in the employee's own room.
		folder, _ := e.sim.Entry(s.folder.ID)
		archive, _ := e.sim.Entry(folder.ParentID)
		if !archive.IsRoom() || !strings.Contains(archive.Title, ts[i].Data.EmployeeID) {
			t.Errorf("%s: folder is in %q, want the employee's archive room", id, archive.Title)
			continue
		}
		// Access: exactly the archive owner and HR.
		members := e.sim.RoomMembers(archive.ID)
		want := map[string]docspacetest.FileShare{keeperID: docspacetest.ShareRoomManager, hrGroupID: docspacetest.ShareRead}
		got := map[string]docspacetest.FileShare{}
		for _, m := range members {
			got[m.SubjectID] = m.Access
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: room members %v, want %v", id, got, want)
		}
		if r.Report == nil || len(r.Report.Exports) != 2 || r.Report.Archive == nil || r.Report.Archive.RoomID != events.EntryID(archive.ID) {
			t.Errorf("%s: report = %+v", id, r.Report)
		}
	}
	for op, max := range map[string]int{"createRoom": n, "startReassign": n, "insertFile": n, "createAuditTrailReport": n, "updateUserStatus": n} {
		if got := e.sim.MutationCount(op); got != max {
			t.Errorf("%s called %d times, want %d", op, got, max)
		}
	}
}
