package offboarding_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/offboarding"
)

// TestOffboardJane runs the whole workflow for one employee into a room of
// her own and checks the state DocSpace is left in.
func TestOffboardJane(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	res := h.mustFinish(janeRequest("t-1"), 0)

	if res.Status != events.StatusCompleted {
		t.Fatalf("status = %s (%+v), want completed", res.Status, res.Error)
	}
	want := map[string]events.StepStatus{"disable": "done", "reassign": "done", "archive": "done", "access": "done", "audit": "done"}
	if diff := cmp.Diff(want, stepStatuses(res)); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}

	// disable: Terminated, sessions reset.
	if u := h.user(janeID); u.Status != docspacetest.StatusTerminated {
		t.Errorf("Jane's status = %v, want Terminated", u.Status)
	}
	// reassign: the room she owned now belongs to the archive owner.
	if e := h.entry(janeRoom); e.CreatedBy != keeperID {
		t.Errorf("room %d owner = %s, want the archive owner", janeRoom, e.CreatedBy)
	}
	// archive: her folder sits in a new room titled for her, owned by the service account.
	folder := h.entry(janeFolder)
	room := h.entry(folder.ParentID)
	if !room.IsRoom() || room.Title != "Offboarding archive: Jane Roe (E-1010)" || room.CreatedBy != serviceID {
		t.Fatalf("folder's parent = %+v, want the employee's room owned by the service account", room)
	}
	// access: exactly the archive owner RoomManager and HR Read.
	gotMembers := h.sim.RoomMembers(room.ID)
	wantMembers := []docspacetest.Member{{SubjectID: keeperID, Access: docspacetest.ShareRoomManager}, {SubjectID: hrGroupID, Access: docspacetest.ShareRead}}
	if diff := cmp.Diff(wantMembers, gotMembers, cmpopts.SortSlices(func(a, b docspacetest.Member) bool { return a.SubjectID < b.SubjectID })); diff != "" {
		t.Errorf("room members (-want +got):\n%s", diff)
	}
	// audit: DocSpace's CSV and our JSON report are in the room.
	var titles []string
	for _, c := range h.sim.Children(room.ID) {
		if c.Kind == docspacetest.KindFile {
			titles = append(titles, c.Title)
		}
	}
	if len(titles) != 2 || !slices.ContainsFunc(titles, func(s string) bool { return strings.HasPrefix(s, "Audit Trail Report") }) ||
		!slices.ContainsFunc(titles, func(s string) bool { return strings.HasPrefix(s, "offboarding-report-E-1010-") }) {
		t.Errorf("files in the room = %q, want the audit CSV and the JSON report", titles)
	}

	rep := res.Report
	if rep == nil {
		t.Fatal("completed result has no report")
	}
	if rep.User.StatusBefore != "Active" || rep.User.StatusAfter != "Terminated" {
		t.Errorf("report user status %s -> %s, want Active -> Terminated", rep.User.StatusBefore, rep.User.StatusAfter)
	}
	if rep.Reassigned.Outcome != offboarding.OutcomeCompleted || !slices.ContainsFunc(rep.Reassigned.Rooms, func(r events.EntryRef) bool { return r.ID == janeRoom }) {
		t.Errorf("report reassignment = %+v, want completed with room %d", rep.Reassigned, janeRoom)
	}
	if a := rep.Archive; a == nil || a.FolderID != janeFolder || a.RoomID != events.EntryID(room.ID) || !a.RoomCreated || a.Merged {
		t.Errorf("report archive = %+v", a)
	}
	if len(rep.Exports) != 2 {
		t.Errorf("report exports = %+v, want 2", rep.Exports)
	}
	if rep.Audit.EventCount == 0 {
		t.Error("report audit trail is empty; the fixture has events by Jane")
	}
	kinds := map[string]bool{}
	for _, l := range rep.LeftBehind {
		kinds[l.Kind] = true
	}
	for _, k := range []string{"personal-files", "group-membership", "room-membership"} {
		if !kinds[k] {
			t.Errorf("report leaves out %q in leftBehind: %+v", k, rep.LeftBehind)
		}
	}

	// Every write happened once.
	for op, max := range map[string]int{"updateUserStatus": 1, "startReassign": 1, "createRoom": 1, "insertFile": 1, "createAuditTrailReport": 1, "setRoomSecurity": 1} {
		if got := h.writes()[op]; got != max {
			t.Errorf("%s called %d times, want %d", op, got, max)
		}
	}

	// A finished termination returns its result again and writes nothing.
	before := h.writes()
	again := h.mustFinish(janeRequest("t-1"), 0)
	if again.FinishedAt != res.FinishedAt {
		t.Error("a finished termination produced a new result")
	}
	if diff := cmp.Diff(before, h.writes()); diff != "" {
		t.Errorf("repeat wrote to DocSpace (-before +after):\n%s", diff)
	}
}

// TestResumeAfterCrashAtEveryCheckpoint crashes the run at each checkpoint in
// turn, then resumes from the last saved state: the end state is the same and
// no side effect happens twice.
func TestResumeAfterCrashAtEveryCheckpoint(t *testing.T) {
	t.Parallel()
	// Count the checkpoints of an uninterrupted run.
	probe := newHarness(t)
	probe.mustFinish(janeRequest("probe"), 0)
	total := probe.saves
	if total < 10 {
		t.Fatalf("only %d checkpoints in a whole run; the workflow should checkpoint every side effect", total)
	}
	for crashAt := 1; crashAt <= total; crashAt++ {
		t.Run("crash at checkpoint "+itoa(crashAt), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.failAt = crashAt
			req := janeRequest("crash")
			if _, err := h.run(req); err == nil {
				t.Fatal("the run survived its crash")
			}
			res := h.mustFinish(req, 1)
			if res.Status != events.StatusCompleted {
				t.Fatalf("status after resume = %s (%+v)", res.Status, res.Error)
			}
			if folder := h.entry(janeFolder); !h.entry(folder.ParentID).IsRoom() {
				t.Error("folder not in a room after resume")
			}
			rooms := h.sim.FindEntries(func(e docspacetest.Entry) bool {
				return e.IsRoom() && strings.HasPrefix(e.Title, "Offboarding archive: Jane Roe")
			})
			if len(rooms) != 1 {
				t.Errorf("%d archive rooms for Jane, want 1", len(rooms))
			}
			w := h.writes()
			for op, max := range map[string]int{"createRoom": 1, "insertFile": 1, "createAuditTrailReport": 1, "startReassign": 1} {
				if w[op] > max {
					t.Errorf("%s called %d times, want at most %d", op, w[op], max)
				}
			}
			reports := h.sim.FindEntries(func(e docspacetest.Entry) bool { return strings.HasPrefix(e.Title, "offboarding-report-") })
			if len(reports) != 1 || reports[0].Version() != 1 {
				t.Errorf("report files = %+v, want one, version 1", reports)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestPreflightChangesNothing checks each preflight refusal: a failed result
// with an actionable code, and no write to DocSpace at all.
func TestPreflightChangesNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		data     events.TerminationData
		defaults *offboarding.Defaults
		code     string
	}{
		{"unknown user", events.TerminationData{UserID: "c0000000-0000-4000-8000-00000000dead"}, nil, offboarding.CodeUserNotFound},
		{"unknown email", events.TerminationData{Email: "nobody@acme.example"}, nil, offboarding.CodeUserNotFound},
		{"id and email disagree", events.TerminationData{UserID: janeID, Email: "john.smith@acme.example"}, nil, offboarding.CodeUserMismatch},
		{"the owner", events.TerminationData{UserID: ownerID}, nil, offboarding.CodeProtectedUser},
		{"the service account", events.TerminationData{UserID: serviceID}, nil, offboarding.CodeProtectedUser},
		{"no archive owner", events.TerminationData{UserID: janeID}, &offboarding.Defaults{}, offboarding.CodeArchiveOwnerMissing},
		{"archive owner unknown", events.TerminationData{UserID: janeID, ArchiveOwnerID: "c0000000-0000-4000-8000-00000000beef"}, nil, offboarding.CodeArchiveOwnerNotFound},
		{"archive owner a plain user", events.TerminationData{UserID: janeID, ArchiveOwnerID: hannahID}, nil, offboarding.CodeArchiveOwnerInvalid},
		{"archive owner is the leaver", events.TerminationData{UserID: johnID, ArchiveOwnerID: johnID}, nil, offboarding.CodeArchiveOwnerInvalid},
		{"HR group unknown", events.TerminationData{UserID: janeID, HRGroupID: "c0000000-0000-4000-8000-00000000f00d"}, nil, offboarding.CodeHRGroupNotFound},
		{"workspace folder unknown", events.TerminationData{UserID: janeID, WorkspaceFolderID: 999999}, nil, offboarding.CodeFolderNotFound},
		{"workspace folder in My documents", events.TerminationData{UserID: janeID, WorkspaceFolderID: 3001}, nil, offboarding.CodeFolderNotMovable},
		{"workspace folder is a room", events.TerminationData{UserID: janeID, WorkspaceFolderID: workspaces}, nil, offboarding.CodeFolderNotMovable},
		{"archive room unknown", events.TerminationData{UserID: janeID, ArchiveRoomID: 888888}, nil, offboarding.CodeArchiveRoomNotFound},
		{"archive room archived", events.TerminationData{UserID: janeID, ArchiveRoomID: janeRoom}, nil, offboarding.CodeArchiveRoomInvalid},
		{"archive room is a folder", events.TerminationData{UserID: janeID, ArchiveRoomID: janeFolder + 1}, nil, offboarding.CodeArchiveRoomInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := []harnessOption{}
			if tc.defaults != nil {
				opts = append(opts, withRunner(func(o *offboarding.Options) { o.Defaults = *tc.defaults }))
			}
			h := newHarness(t, opts...)
			res := h.mustFinish(request("bad", tc.data), 0)
			if res.Status != events.StatusFailed || res.Error == nil || res.Error.Code != tc.code || res.Error.Retryable {
				t.Fatalf("result = %s %+v, want failed %s (permanent)", res.Status, res.Error, tc.code)
			}
			if res.Error.Message == "" {
				t.Error("failure without a message")
			}
			if w := h.writes(); len(w) != 0 {
				t.Errorf("a failed preflight wrote to DocSpace: %v", w)
			}
			for _, s := range res.Steps {
				if s.Status != events.StepSkipped {
					t.Errorf("step %s = %s, want skipped", s.Name, s.Status)
				}
			}
		})
	}
}

// TestDryRunPlansWithoutWriting checks that a dry run reports a plan and
// changes nothing.
func TestDryRunPlansWithoutWriting(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	d := janeRequest("dry").Data
	d.DryRun = true
	res := h.mustFinish(request("dry", d), 0)
	if res.Status != events.StatusPlanned || !res.DryRun {
		t.Fatalf("status = %s dryRun=%v, want planned", res.Status, res.DryRun)
	}
	for _, s := range res.Steps {
		if s.Status != events.StepPlanned || len(s.Detail) < 3 {
			t.Errorf("step %s = %s %s, want planned with a detail", s.Name, s.Status, s.Detail)
		}
	}
	if w := h.writes(); len(w) != 0 {
		t.Errorf("a dry run wrote to DocSpace: %v", w)
	}
	if res.Report == nil || res.Report.Reassigned.Outcome != "planned" {
		t.Errorf("dry-run report = %+v", res.Report)
	}
}

// TestSharedArchiveRoom moves the folder into an existing room and only
// checks its access.
func TestSharedArchiveRoom(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	d := janeRequest("shared").Data
	d.ArchiveRoomID = archive900
	res := h.mustFinish(request("shared", d), 0)
	if res.Status != events.StatusCompleted {
		t.Fatalf("status = %s %+v", res.Status, res.Error)
	}
	if p := h.entry(janeFolder).ParentID; p != archive900 {
		t.Errorf("folder parent = %d, want the shared room %d", p, archive900)
	}
	if n := h.writes()["setRoomSecurity"]; n != 0 {
		t.Errorf("setRoomSecurity called %d times on a shared room, want 0", n)
	}
	if n := h.writes()["createRoom"]; n != 0 {
		t.Errorf("createRoom called %d times, want 0", n)
	}
	var detail offboarding.AccessDetail
	for _, s := range res.Steps {
		if s.Name == events.StepAccess {
			if err := json.Unmarshal(s.Detail, &detail); err != nil {
				t.Fatal(err)
			}
		}
	}
	if detail.Mode != "checked" || len(detail.Grants) == 0 {
		t.Errorf("access detail = %+v, want a check with the room's grants", detail)
	}
	// The report files went into Jane's archived folder, not the room root.
	for _, e := range res.Report.Exports {
		if e.FolderID != janeFolder {
			t.Errorf("export %s in folder %d, want Jane's folder %d", e.Kind, e.FolderID, janeFolder)
		}
	}
}

// TestNoWorkspaceFolder still disables, reassigns and exports the report.
func TestNoWorkspaceFolder(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	res := h.mustFinish(request("nofolder", events.TerminationData{Email: "maria.garcia@acme.example", EmployeeID: "E-1012"}), 0)
	if res.Status != events.StatusCompleted {
		t.Fatalf("status = %s %+v", res.Status, res.Error)
	}
	got := stepStatuses(res)
	if got[events.StepArchive] != events.StepSkipped || got[events.StepAudit] != events.StepDone {
		t.Errorf("steps = %v, want archive skipped and audit done", got)
	}
	if res.UserID != mariaID {
		t.Errorf("userId = %s, want Maria resolved from her email", res.UserID)
	}
	if res.Report.Archive != nil {
		t.Errorf("archive = %+v, want none", res.Report.Archive)
	}
}

// TestCancellation stops a termination before anything is done, and one that
// has disabled the user at its next step.
func TestCancellation(t *testing.T) {
	t.Parallel()
	t.Run("before disable", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.cancel = &offboarding.Cancellation{Reason: "rehired", At: time.Now()}
		res := h.mustFinish(janeRequest("c1"), 0)
		if res.Status != events.StatusCancelled || res.Error == nil || res.Error.Code != offboarding.CodeCancelled {
			t.Fatalf("result = %s %+v, want cancelled", res.Status, res.Error)
		}
		if w := h.writes(); len(w) != 0 {
			t.Errorf("a cancelled termination wrote to DocSpace: %v", w)
		}
		if u := h.user(janeID); u.Status != docspacetest.StatusActive {
			t.Errorf("Jane is %v, want Active", u.Status)
		}
	})
	t.Run("after disable", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		// Crash right after the disable step's checkpoint, then cancel.
		h.failAt = disableCheckpoint(t)
		req := janeRequest("c2")
		if _, err := h.run(req); err == nil {
			t.Fatal("no crash")
		}
		h.cancel = &offboarding.Cancellation{Reason: "changed mind", At: time.Now()}
		res := h.mustFinish(req, 0)
		if res.Status != events.StatusCancelled {
			t.Fatalf("status = %s, want cancelled", res.Status)
		}
		got := stepStatuses(res)
		if got[events.StepDisable] != events.StepDone || got[events.StepReassign] != events.StepSkipped {
			t.Errorf("steps = %v, want disable done and the rest skipped", got)
		}
		if h.writes()["startReassign"] != 0 {
			t.Error("reassign started after the cancellation")
		}
		if u := h.user(janeID); u.Status != docspacetest.StatusTerminated {
			t.Errorf("Jane is %v; without REACTIVATE_ON_CANCEL she stays Terminated", u.Status)
		}
	})
	t.Run("after disable, reactivating", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, withRunner(func(o *offboarding.Options) { o.ReactivateOnCancel = true }))
		h.failAt = disableCheckpoint(t)
		req := janeRequest("c3")
		if _, err := h.run(req); err == nil {
			t.Fatal("no crash")
		}
		h.cancel = &offboarding.Cancellation{At: time.Now()}
		res := h.mustFinish(req, 0)
		if res.Status != events.StatusCancelled || !strings.Contains(res.Error.Message, "re-enabled") {
			t.Fatalf("result = %s %+v", res.Status, res.Error)
		}
		if u := h.user(janeID); u.Status != docspacetest.StatusActive {
			t.Errorf("Jane is %v, want Active again", u.Status)
		}
	})
}

// disableCheckpoint finds the number of the checkpoint that records the
// disable step as done (the first save after the user became Terminated).
func disableCheckpoint(t *testing.T) int {
	t.Helper()
	h := newHarness(t)
	req := janeRequest("probe")
	var n int
	h.runner.Run(t.Context(), h.state(req), offboarding.Hooks{Save: func(_ context.Context, st *offboarding.State) error {
		n++
		for _, s := range st.Steps {
			if s.Name == events.StepDisable && s.Status == events.StepDone {
				return errCrash
			}
		}
		return nil
	}})
	return n + 1
}

// TestTransientFailuresAreRetried injects DocSpace outages into each kind of
// call; every run either finishes or fails retryably, and the retried runs
// complete without repeating writes.
func TestTransientFailuresAreRetried(t *testing.T) {
	t.Parallel()
	for _, op := range []string{"getProfileByUserId", "updateUserStatus", "startReassign", "getReassignProgress", "createRoom", "moveBatchItems", "getOperationStatuses", "setRoomSecurity", "getAuditEventsByFilter", "insertFile"} {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			remove := h.sim.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultError, Operation: op, Status: 503, Times: 3})
			defer remove()
			req := janeRequest("flaky")
			var lastErr error
			for i := 0; i < 4; i++ {
				res, err := h.run(req)
				if err == nil {
					if res.Status != events.StatusCompleted {
						t.Fatalf("status = %s %+v", res.Status, res.Error)
					}
					lastErr = nil
					break
				}
				var e *offboarding.Error
				if !errors.As(err, &e) || !e.Retryable {
					t.Fatalf("run %d: %v, want a retryable error", i+1, err)
				}
				lastErr = err
			}
			if lastErr != nil {
				res := h.mustFinish(req, 2)
				if res.Status != events.StatusCompleted {
					t.Fatalf("status = %s", res.Status)
				}
			}
			for o, max := range map[string]int{"createRoom": 1, "insertFile": 1, "createAuditTrailReport": 1} {
				if got := h.writes()[o]; got > max {
					t.Errorf("%s called %d times, want at most %d", o, got, max)
				}
			}
		})
	}
}

// TestHungReassignIsTerminatedAndRestarted gives the first reassign job a
// hang: after JobTimeout the service terminates it, and the next attempt
// starts a fresh job that completes.
func TestHungReassignIsTerminatedAndRestarted(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withRunner(func(o *offboarding.Options) { o.JobTimeout = 300 * time.Millisecond }))
	remove := h.sim.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultStuckJob, Operation: "startReassign", HoldAt: 20, Times: 1})
	req := janeRequest("hung")
	_, err := h.run(req)
	var e *offboarding.Error
	if !errors.As(err, &e) || e.Code != offboarding.CodeJobTimeout || !e.Retryable || e.Step != events.StepReassign {
		t.Fatalf("first run = %v, want a retryable job_timeout in reassign", err)
	}
	if n := h.writes()["terminateReassign"]; n != 1 {
		t.Errorf("terminateReassign called %d times, want 1", n)
	}
	remove()
	res := h.mustFinish(req, 0)
	if res.Status != events.StatusCompleted {
		t.Fatalf("status = %s %+v", res.Status, res.Error)
	}
	if n := h.writes()["startReassign"]; n != 2 {
		t.Errorf("startReassign called %d times, want 2 (the hung job, then a fresh one)", n)
	}
}

// TestSharedDestinationChecks refuses, before changing anything, a shared
// archive the service account may not write into and one that already holds a
// folder with the workspace folder's title (DocSpace would merge them).
func TestSharedDestinationChecks(t *testing.T) {
	t.Parallel()
	t.Run("no create right", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		d := janeRequest("x").Data
		d.ArchiveRoomID = 960 // Marketing Assets: the service account is not a member
		res := h.mustFinish(request("no-right", d), 0)
		if res.Error == nil || res.Error.Code != offboarding.CodeArchiveRoomInvalid {
			t.Fatalf("result = %s %+v, want archive_room_invalid", res.Status, res.Error)
		}
		if w := h.writes(); len(w) != 0 {
			t.Errorf("wrote %v", w)
		}
	})
	t.Run("title taken", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		docspacetest.Must(h.sim.AddFolder(archive900, "Jane Roe", keeperID))(t)
		d := janeRequest("x").Data
		d.ArchiveRoomID = archive900
		res := h.mustFinish(request("conflict", d), 0)
		if res.Error == nil || res.Error.Code != offboarding.CodeArchiveNameConflict {
			t.Fatalf("result = %s %+v, want archive_name_conflict", res.Status, res.Error)
		}
		if w := h.writes(); len(w) != 0 {
			t.Errorf("wrote %v", w)
		}
	})
}

// TestAuditUnavailableOnPlan carries on without a trail when the portal's
// plan hides audit (402 from the audit endpoints only).
func TestAuditUnavailableOnPlan(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, op := range []string{"getAuditEventsByFilter", "getLoginEventsByFilter"} {
		h.sim.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultError, Operation: op, Status: 402})
	}
	res := h.mustFinish(janeRequest("no-audit"), 0)
	if res.Status != events.StatusCompleted {
		t.Fatalf("status = %s %+v", res.Status, res.Error)
	}
	if res.Report.Audit.EventCount != 0 || !slices.ContainsFunc(res.Report.LeftBehind, func(l events.LeftBehind) bool { return l.Kind == "audit-trail" }) {
		t.Errorf("report audit = %+v, left behind %+v", res.Report.Audit, res.Report.LeftBehind)
	}
}

// TestReactivateWhenDisableDidNotFinish re-enables a user the service
// disabled in an attempt that then failed, when the termination is cancelled.
func TestReactivateWhenDisableDidNotFinish(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withRunner(func(o *offboarding.Options) { o.ReactivateOnCancel = true }))
	remove := h.sim.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultError, Operation: "logOutAllActiveConnectionsForUser", Status: 503})
	req := janeRequest("half")
	if _, err := h.run(req); err == nil {
		t.Fatal("the run survived the failing logout")
	}
	if u := h.user(janeID); u.Status != docspacetest.StatusTerminated {
		t.Fatalf("Jane is %v after the failed attempt; the test needs her disabled", u.Status)
	}
	remove()
	h.cancel = &offboarding.Cancellation{Reason: "rehired", At: time.Now()}
	res := h.mustFinish(req, 0)
	if res.Status != events.StatusCancelled {
		t.Fatalf("status = %s", res.Status)
	}
	if u := h.user(janeID); u.Status != docspacetest.StatusActive {
		t.Errorf("Jane is %v, want Active again", u.Status)
	}
}

// TestLostAnswerIsNotSentAgain makes DocSpace answer the report upload and the
// room creation too late for the client: the next attempt must find what the
// lost requests did instead of doing it twice.
func TestLostAnswerIsNotSentAgain(t *testing.T) {
	t.Parallel()
	for _, op := range []string{"insertFile", "createRoom", "createAuditTrailReport"} {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, func(c *harnessConfig) {
				c.clientTimeout = 300 * time.Millisecond
				c.runner.WriteSettle = 900 * time.Millisecond
			})
			h.sim.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultLatency, Operation: op, Delay: 600 * time.Millisecond, Times: 1})
			req := janeRequest("late")
			_, err := h.run(req)
			var e *offboarding.Error
			if !errors.As(err, &e) || !e.Retryable {
				t.Fatalf("first run = %v, want a retryable error from the lost answer", err)
			}
			// Retry at once (within the settle time), then after it.
			deadline := time.Now().Add(10 * time.Second)
			var res *events.Result
			for res == nil && time.Now().Before(deadline) {
				res, err = h.run(req)
				if err != nil && (!errors.As(err, &e) || !e.Retryable) {
					t.Fatalf("run: %v", err)
				}
				if e != nil && e.RetryAfter > 0 {
					<-time.After(min(e.RetryAfter, time.Second))
				}
			}
			if res == nil || res.Status != events.StatusCompleted {
				t.Fatalf("result = %+v, %v", res, err)
			}
			if n := h.writes()[op]; n != 1 {
				t.Errorf("%s sent %d times, want 1", op, n)
			}
			reports := h.sim.FindEntries(func(e docspacetest.Entry) bool { return strings.HasPrefix(e.Title, "offboarding-report-") })
			if len(reports) != 1 || reports[0].Version() != 1 {
				t.Errorf("reports = %+v, want one, version 1", reports)
			}
		})
	}
}

// TestReassignHungAfterTransfers accepts a job that hung after every transfer
// (95 %): it is terminated, not run again.
func TestReassignHungAfterTransfers(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withRunner(func(o *offboarding.Options) { o.JobTimeout = 300 * time.Millisecond }))
	h.sim.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultStuckJob, Operation: "startReassign", HoldAt: 95, Times: 1})
	res := h.mustFinish(janeRequest("hung95"), 0)
	if res.Status != events.StatusCompleted {
		t.Fatalf("status = %s %+v", res.Status, res.Error)
	}
	if n := h.writes()["startReassign"]; n != 1 {
		t.Errorf("startReassign called %d times, want 1", n)
	}
	if e, _ := h.sim.Entry(janeRoom); e.CreatedBy != keeperID {
		t.Errorf("room %d owner = %s, want the archive owner", janeRoom, e.CreatedBy)
	}
}
