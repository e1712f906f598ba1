package chaos_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docspace-offboarding/docspace-offboarding/internal/chaos"
	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/publisher"
)

const archiveRoomBase = 50_000

// clean is the observation of a run in which every termination was carried
// out exactly once.
func clean(n int) chaos.Observation {
	c := chaos.NewCompany(n, 3, companyEpoch())
	ts := chaos.Terminations(c, rand.New(rand.NewPCG(3, 3)))
	st := &docspacetest.AdminState{
		Members: map[string][]docspacetest.Member{},
		Mutations: map[string]int{"createRoom": n, "insertFile": n, "createAuditTrailReport": n,
			"startReassign": n, "updateUserStatus": n},
		Users: []docspacetest.AdminUser{{ID: c.ArchiveOwner.ID, Status: docspacetest.StatusActive}},
		Entries: []docspacetest.AdminEntry{
			{ID: c.WorkspacesRoomID, Kind: "folder", Title: "Workspaces", RoomType: docspacetest.RoomCustom},
		},
	}
	o := chaos.Observation{Company: c, Terminations: ts, State: st, Output: &chaos.Output{},
		Backlog: chaos.Backlog{AckFloor: uint64(n)}, ReassignJobs: map[string]int{}}
	at := companyEpoch().Add(time.Hour)
	for i, t := range ts {
		e := t.Employee
		room := archiveRoomBase + i
		st.Users = append(st.Users, docspacetest.AdminUser{ID: e.ID, Status: docspacetest.StatusTerminated})
		o.ReassignJobs[strings.ToLower(e.ID)] = 1
		st.Entries = append(st.Entries,
			docspacetest.AdminEntry{ID: room, Kind: "folder", Title: e.ArchiveRoomTitle(), RoomType: docspacetest.RoomCustom},
			docspacetest.AdminEntry{ID: e.FolderID, Kind: "folder", ParentID: room, Title: e.DisplayName()},
			docspacetest.AdminEntry{ID: room + 1000, Kind: "file", ParentID: room, Title: chaos.ReportPrefix + e.EmployeeID + ".json", Versions: 1},
			docspacetest.AdminEntry{ID: room + 2000, Kind: "file", ParentID: room, Title: "Audit Trail Report (01.03.2026).csv", Versions: 1},
		)
		st.Members[strconv.Itoa(room)] = []docspacetest.Member{
			{SubjectID: c.ArchiveOwner.ID, Access: docspacetest.ShareRoomManager},
			{SubjectID: c.HRGroupID, Access: docspacetest.ShareRead},
		}
		report := &events.Report{
			Archive: &events.ArchiveLocation{FolderID: events.EntryID(e.FolderID), RoomID: events.EntryID(room)},
			Exports: []events.ExportedFile{
				{Kind: "audit-csv", FileID: events.EntryID(room + 2000), FolderID: events.EntryID(room)},
				{Kind: "report-json", FileID: events.EntryID(room + 1000), FolderID: events.EntryID(room)},
			},
		}
		o.Output.Results = append(o.Output.Results, chaos.ResultEvent{
			Result:   &events.Result{TerminationID: t.ID, TerminationSource: t.Source, Status: events.StatusCompleted, Report: report},
			Sequence: uint64(i + 1), Time: at.Add(time.Duration(i) * time.Second),
		})
		o.Input = append(o.Input, chaos.InputMessage{ID: t.ID, Source: t.Source, Sequence: uint64(i + 1)})
		o.Publications = append(o.Publications, chaos.Publication{Index: i, ID: t.ID, Acked: true,
			Published: publisher.Published{ID: t.ID, Source: t.Source, Sequence: uint64(i + 1)}})
	}
	for _, e := range c.Bystanders {
		st.Users = append(st.Users, docspacetest.AdminUser{ID: e.ID, Status: docspacetest.StatusActive})
		st.Entries = append(st.Entries, docspacetest.AdminEntry{ID: e.FolderID, Kind: "folder", ParentID: c.WorkspacesRoomID, Title: e.DisplayName()})
	}
	return o
}

// figures are the verdict's numbers, for comparison.
type figures struct {
	Completed, Failed, Lost, Unfinished, DuplicateResults, AckedLost int
	SideEffects                                                      chaos.SideEffects
	Problems                                                         int
	Passed                                                           bool
}

func figuresOf(v chaos.Verdict) figures {
	return figures{Completed: v.Completed, Failed: v.Failed, Lost: v.Lost, Unfinished: v.Unfinished,
		DuplicateResults: v.DuplicateResults, AckedLost: v.AckedLost, SideEffects: v.SideEffects,
		Problems: len(v.Problems), Passed: v.Passed()}
}

// entry returns the state's entry with id.
func entry(o *chaos.Observation, id int) *docspacetest.AdminEntry {
	for i := range o.State.Entries {
		if o.State.Entries[i].ID == id {
			return &o.State.Entries[i]
		}
	}
	panic(fmt.Sprintf("no entry %d", id))
}

func TestVerify(t *testing.T) {
	t.Parallel()
	const n = 4
	tests := []struct {
		name   string
		mutate func(o *chaos.Observation)
		want   figures
	}{
		{
			name:   "every termination once",
			mutate: func(*chaos.Observation) {},
			want:   figures{Completed: n, Passed: true},
		},
		{
			name: "a result published twice",
			mutate: func(o *chaos.Observation) {
				o.Output.Results = append(o.Output.Results, o.Output.Results[1])
			},
			want: figures{Completed: n, DuplicateResults: 1, Problems: 1},
		},
		{
			name: "no result and nothing left to do: lost",
			mutate: func(o *chaos.Observation) {
				o.Output.Results = o.Output.Results[1:]
			},
			want: figures{Completed: n - 1, Lost: 1, Problems: 1},
		},
		{
			name: "no result, its message still pending: unfinished",
			mutate: func(o *chaos.Observation) {
				o.Output.Results = o.Output.Results[1:]
				o.Backlog = chaos.Backlog{AckPending: 1, AckFloor: 0}
			},
			want: figures{Completed: n - 1, Unfinished: 1, Problems: 1},
		},
		{
			name: "no result, its message settled while others pend: lost",
			mutate: func(o *chaos.Observation) {
				o.Output.Results = o.Output.Results[1:]
				o.Backlog = chaos.Backlog{AckPending: 1, AckFloor: 2}
			},
			want: figures{Completed: n - 1, Lost: 1, Problems: 1},
		},
		{
			name: "never acknowledged to the publisher, not in the stream: not lost",
			mutate: func(o *chaos.Observation) {
				o.Output.Results = o.Output.Results[1:]
				o.Input = o.Input[1:]
				o.Publications[0].Acked = false
			},
			want: figures{Completed: n - 1, Unfinished: 1, Problems: 1},
		},
		{
			name: "a failed result",
			mutate: func(o *chaos.Observation) {
				o.Output.Results[2].Result.Status = events.StatusFailed
				o.Output.Results[2].Result.Error = &events.Error{Step: "archive", Code: "move_failed", Message: "no"}
			},
			want: figures{Completed: n - 1, Failed: 1, Problems: 1},
		},
		{
			name: "a second archive room",
			mutate: func(o *chaos.Observation) {
				e := o.Terminations[0].Employee
				o.State.Entries = append(o.State.Entries, docspacetest.AdminEntry{ID: 99_999, Kind: "folder",
					Title: e.ArchiveRoomTitle(), RoomType: docspacetest.RoomCustom})
				o.State.Mutations["createRoom"]++
			},
			want: figures{Completed: n, SideEffects: chaos.SideEffects{Rooms: 1}, Problems: 2},
		},
		{
			name: "the report uploaded again as a new version",
			mutate: func(o *chaos.Observation) {
				entry(o, archiveRoomBase+1000).Versions = 2
				o.State.Mutations["insertFile"]++
			},
			want: figures{Completed: n, SideEffects: chaos.SideEffects{ReportVersions: 1}, Problems: 2},
		},
		{
			name: "a second report file",
			mutate: func(o *chaos.Observation) {
				o.State.Entries = append(o.State.Entries, docspacetest.AdminEntry{ID: 99_998, Kind: "file",
					ParentID: archiveRoomBase + 2, Title: chaos.ReportPrefix + "again.json", Versions: 1})
				o.State.Mutations["insertFile"]++
			},
			want: figures{Completed: n, SideEffects: chaos.SideEffects{ReportFiles: 1}, Problems: 2},
		},
		{
			name: "a second audit trail report left in My documents",
			mutate: func(o *chaos.Observation) {
				o.State.Entries = append(o.State.Entries, docspacetest.AdminEntry{ID: 99_997, Kind: "file",
					ParentID: 7, Title: "Audit Trail Report (1).csv", Versions: 1})
				o.State.Mutations["createAuditTrailReport"]++
			},
			want: figures{Completed: n, SideEffects: chaos.SideEffects{AuditCSVs: 1}, Problems: 2},
		},
		{
			name: "two reports export the same audit trail report, one left in My documents",
			mutate: func(o *chaos.Observation) {
				// The second termination adopted the first one's file; its own stayed behind.
				r := o.Output.Results[1].Result.Report
				r.Exports[0].FileID = o.Output.Results[0].Result.Report.Exports[0].FileID
				entry(o, archiveRoomBase+1+2000).ParentID = 7
			},
			want: figures{Completed: n, Problems: 4},
		},
		{
			name: "a report naming a file that does not exist",
			mutate: func(o *chaos.Observation) {
				o.Output.Results[3].Result.Report.Exports[1].FileID = 12_345
			},
			want: figures{Completed: n, Problems: 1},
		},
		{
			name: "a second reassign job ran to the end",
			mutate: func(o *chaos.Observation) {
				o.State.Mutations["startReassign"]++
				o.ReassignJobs[strings.ToLower(o.Terminations[0].Employee.ID)]++
			},
			want: figures{Completed: n, SideEffects: chaos.SideEffects{ReassignStarts: 1}, Problems: 1},
		},
		{
			name: "a start answered with the job already running",
			mutate: func(o *chaos.Observation) {
				o.State.Mutations["startReassign"]++
			},
			want: figures{Completed: n, Passed: true},
		},
		{
			name: "without the audit trail, a second start counts",
			mutate: func(o *chaos.Observation) {
				o.State.Mutations["startReassign"]++
				o.ReassignJobs = nil
			},
			want: figures{Completed: n, SideEffects: chaos.SideEffects{ReassignStarts: 1}, Problems: 1},
		},
		{
			name: "completed without a reassign job",
			mutate: func(o *chaos.Observation) {
				delete(o.ReassignJobs, strings.ToLower(o.Terminations[3].Employee.ID))
			},
			want: figures{Completed: n, Problems: 1},
		},
		{
			name: "a hung reassign job terminated and started again",
			mutate: func(o *chaos.Observation) {
				o.State.Mutations["startReassign"]++
				o.State.Mutations["terminateReassign"]++
			},
			want: figures{Completed: n, Passed: true},
		},
		{
			name: "an acknowledged publish missing from the input stream",
			mutate: func(o *chaos.Observation) {
				o.Input = o.Input[1:]
			},
			want: figures{Completed: n, AckedLost: 1, Problems: 1},
		},
		{
			name: "an archive room with a stranger in it",
			mutate: func(o *chaos.Observation) {
				room := strconv.Itoa(archiveRoomBase + 3)
				o.State.Members[room] = append(o.State.Members[room],
					docspacetest.Member{SubjectID: o.Company.Bystanders[0].ID, Access: docspacetest.ShareRead})
			},
			want: figures{Completed: n, Problems: 1},
		},
		{
			name: "the workspace folder left behind",
			mutate: func(o *chaos.Observation) {
				entry(o, o.Terminations[1].Employee.FolderID).ParentID = o.Company.WorkspacesRoomID
			},
			want: figures{Completed: n, Problems: 1},
		},
		{
			name: "a user still active",
			mutate: func(o *chaos.Observation) {
				for i := range o.State.Users {
					if o.State.Users[i].ID == o.Terminations[2].Employee.ID {
						o.State.Users[i].Status = docspacetest.StatusActive
					}
				}
			},
			want: figures{Completed: n, Problems: 1},
		},
		{
			name: "a bystander disabled",
			mutate: func(o *chaos.Observation) {
				for i := range o.State.Users {
					if o.State.Users[i].ID == o.Company.Bystanders[0].ID {
						o.State.Users[i].Status = docspacetest.StatusTerminated
					}
				}
			},
			want: figures{Completed: n, Problems: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := clean(n)
			tt.mutate(&o)
			v := chaos.Verify(o)
			if diff := cmp.Diff(tt.want, figuresOf(v)); diff != "" {
				t.Errorf("Verify (-want +got):\n%s\nproblems: %q", diff, v.Problems)
			}
		})
	}
}

func TestSideEffectsString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   chaos.SideEffects
		want string
	}{
		{"none", chaos.SideEffects{}, "none"},
		{"some", chaos.SideEffects{Rooms: 1, AuditCSVs: 2}, "1 rooms, 2 audit CSVs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.in.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}
