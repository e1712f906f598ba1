package chaos

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// Access levels and statuses as the simulator reports them.
const (
	accessRoomManager = docspacetest.ShareRoomManager
	accessRead        = docspacetest.ShareRead
	statusActive      = docspacetest.StatusActive
	statusTerminated  = docspacetest.StatusTerminated
)

// File title prefixes of what the service exports into an archive room.
const (
	ReportPrefix   = "offboarding-report-"
	AuditCSVPrefix = "Audit Trail Report"
)

// DocSpace operations whose calls the verification counts.
const (
	opCreateRoom        = "createRoom"
	opInsertFile        = "insertFile"
	opCreateAuditReport = "createAuditTrailReport"
	opStartReassign     = "startReassign"
	opTerminateReassign = "terminateReassign"
)

// SideEffects counts DocSpace side effects beyond one per termination.
type SideEffects struct {
	// Rooms: archive rooms beyond one per employee.
	Rooms int
	// ReportFiles: JSON report files beyond one per termination.
	ReportFiles int
	// ReportVersions: versions of report files beyond the first.
	ReportVersions int
	// AuditCSVs: DocSpace audit trail reports beyond one per termination.
	AuditCSVs int
	// ReassignStarts: reassign jobs run beyond one per termination (from
	// DocSpace's audit trail; without it, startReassign calls beyond one per
	// termination and one per job the service terminated because it hung).
	ReassignStarts int
}

// Total is the sum of every kind.
func (s SideEffects) Total() int {
	return s.Rooms + s.ReportFiles + s.ReportVersions + s.AuditCSVs + s.ReassignStarts
}

// String lists the kinds that are not zero, or "none".
func (s SideEffects) String() string {
	var parts []string
	for _, p := range []struct {
		n    int
		name string
	}{{s.Rooms, "rooms"}, {s.ReportFiles, "report files"}, {s.ReportVersions, "report versions"},
		{s.AuditCSVs, "audit CSVs"}, {s.ReassignStarts, "reassign jobs"}} {
		if p.n != 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.name))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// Observation is everything the verification looks at, all read from
// outside the service.
type Observation struct {
	Company      *Company
	Terminations []Termination
	Publications []Publication
	State        *docspacetest.AdminState
	Output       *Output
	Input        []InputMessage
	Backlog      Backlog
	// ReassignJobs counts, per user (lower-case id), the reassign jobs
	// DocSpace's audit trail records as completed (CompletedReassigns). Nil
	// when it could not be read: the count of startReassign calls stands in.
	ReassignJobs map[string]int
}

// Verdict is what the verification found.
type Verdict struct {
	// Attempted counts the terminations published.
	Attempted int
	// Completed counts terminations with a completed result.
	Completed int
	// Failed counts terminations whose result is not completed.
	Failed int
	// Lost counts terminations without a result and without live work: the
	// consumer settled their message, or has nothing left to do.
	Lost int
	// Unfinished counts terminations without a result whose message the
	// consumer still has to settle, or that were never published.
	Unfinished int
	// DuplicateResults counts result events beyond one per termination.
	DuplicateResults int
	SideEffects      SideEffects
	// AckedLost counts acknowledged publishes missing from the input stream.
	AckedLost int
	// DuplicateInputs counts terminations stored more than once in the input stream.
	DuplicateInputs int
	// Calls is the number of DocSpace API calls the simulator answered.
	Calls int
	// Problems describes every departure from the expected state.
	Problems []string
	// Remarks are facts worth knowing that are not failures.
	Remarks []string
}

// Passed reports whether every "must be zero" figure is zero, every
// termination completed, and DocSpace holds exactly what it should.
func (v Verdict) Passed() bool {
	return v.Lost == 0 && v.SideEffects.Total() == 0 && v.DuplicateResults == 0 && v.AckedLost == 0 &&
		v.Completed == v.Attempted && len(v.Problems) == 0
}

// termKey identifies a termination.
type termKey struct{ source, id string }

// Verify checks that every termination was carried out exactly once.
func Verify(o Observation) Verdict {
	v := Verdict{Attempted: len(o.Terminations), Calls: o.State.Calls}
	problem := func(format string, args ...any) { v.Problems = append(v.Problems, fmt.Sprintf(format, args...)) }

	results := map[termKey][]ResultEvent{}
	for _, r := range o.Output.Results {
		k := termKey{r.Result.TerminationSource, r.Result.TerminationID}
		results[k] = append(results[k], r)
	}
	inputs := map[termKey][]InputMessage{}
	for _, in := range o.Input {
		k := termKey{in.Source, in.ID}
		inputs[k] = append(inputs[k], in)
	}
	for _, u := range o.Output.Undecodable {
		problem("undecodable event on %s: %s", OutputStream, u)
	}

	st := newStateIndex(o.State)
	claimed := map[int]string{} // exported file id → employee whose report names it
	acked := map[string]bool{}
	for _, p := range o.Publications {
		acked[p.ID] = acked[p.ID] || p.Acked
	}
	for _, t := range o.Terminations {
		k := termKey{t.Source, t.ID}
		e := t.Employee
		rs := results[k]
		v.DuplicateResults += max(len(rs)-1, 0)
		if len(rs) > 1 {
			problem("%s (%s): %d result events", e.EmployeeID, t.ID, len(rs))
		}
		switch {
		case len(rs) == 0 && len(inputs[k]) == 0 && !acked[t.ID]:
			v.Unfinished++
			problem("%s (%s): never published: JetStream acknowledged no attempt", e.EmployeeID, t.ID)
		case len(rs) == 0:
			if lost(inputs[k], o.Backlog) {
				v.Lost++
				problem("%s (%s): lost: no result, and no work left for it", e.EmployeeID, t.ID)
			} else {
				v.Unfinished++
				problem("%s (%s): no result yet; the consumer still holds work", e.EmployeeID, t.ID)
			}
		case rs[0].Result.Status == events.StatusCompleted:
			v.Completed++
		default:
			v.Failed++
			msg := ""
			if er := rs[0].Result.Error; er != nil {
				msg = fmt.Sprintf(": %s %s: %s", er.Step, er.Code, er.Message)
			}
			problem("%s (%s): %s%s", e.EmployeeID, t.ID, rs[0].Result.Status, msg)
		}
		if o.ReassignJobs != nil {
			switch jobs := o.ReassignJobs[strings.ToLower(e.ID)]; {
			case jobs > 1:
				v.SideEffects.ReassignStarts += jobs - 1
				problem("%s: %d reassign jobs ran to the end", e.EmployeeID, jobs)
			case jobs == 0 && len(rs) > 0 && rs[0].Result.Status == events.StatusCompleted:
				problem("%s: completed, but no reassign job ran to the end", e.EmployeeID)
			}
		}
		room := v.checkEmployee(o.Company, e, st)
		if len(rs) > 0 && rs[0].Result.Status == events.StatusCompleted {
			v.checkReport(e, rs[0].Result, room, st, claimed)
		}
	}
	v.checkStrays(o.Company, st)
	for _, e := range o.Company.Bystanders {
		if u, ok := st.users[strings.ToLower(e.ID)]; !ok || u.Status != statusActive {
			problem("bystander %s is no longer Active", e.EmployeeID)
		}
		if f, ok := st.entries[e.FolderID]; !ok || f.ParentID != o.Company.WorkspacesRoomID {
			problem("bystander %s: workspace folder %d was moved or removed", e.EmployeeID, e.FolderID)
		}
	}

	n := len(o.Terminations)
	calls := o.State.Mutations
	se := &v.SideEffects
	se.Rooms = max(se.Rooms, st.archiveRooms-n, calls[opCreateRoom]-n, 0)
	se.ReportVersions = max(se.ReportVersions, st.reportVersions)
	se.ReportFiles = max(se.ReportFiles, st.reportFiles-n, calls[opInsertFile]-n-se.ReportVersions, 0)
	se.AuditCSVs = max(se.AuditCSVs, st.auditCSVs-n, calls[opCreateAuditReport]-n, 0)
	extraStarts := max(calls[opStartReassign]-n-calls[opTerminateReassign], 0)
	if o.ReassignJobs == nil {
		se.ReassignStarts = extraStarts
		if extraStarts > 0 {
			problem("%s called %d time(s) beyond one per termination and one per job terminated", opStartReassign, extraStarts)
		}
	} else if extraStarts > 0 && se.ReassignStarts == 0 {
		v.Remarks = append(v.Remarks, fmt.Sprintf("%s called %d time(s) beyond one per termination and one per job terminated; "+
			"DocSpace answered with the job already running, and no user had a second job complete", opStartReassign, extraStarts))
	}
	for _, c := range []struct {
		op    string
		extra int
	}{{opCreateRoom, calls[opCreateRoom] - n}, {opInsertFile, calls[opInsertFile] - n},
		{opCreateAuditReport, calls[opCreateAuditReport] - n}} {
		if c.extra > 0 {
			problem("%s called %d time(s) beyond one per termination", c.op, c.extra)
		}
	}

	for _, p := range o.Publications {
		if !p.Acked {
			continue
		}
		if len(inputs[termKey{Source, p.ID}]) == 0 {
			v.AckedLost++
			problem("termination %s was acknowledged (stream sequence %d) but is not in %s", p.ID, p.Published.Sequence, InputStream)
		}
	}
	for _, t := range o.Terminations {
		if c := len(inputs[termKey{t.Source, t.ID}]); c > 1 {
			v.DuplicateInputs += c - 1
		}
	}
	return v
}

// lost reports whether a termination without a result has no live work
// left: its message was settled, or the consumer has nothing outstanding.
func lost(in []InputMessage, b Backlog) bool {
	if b.Idle() {
		return true
	}
	for _, m := range in {
		if m.Sequence > b.AckFloor {
			return false
		}
	}
	return len(in) > 0
}

// stateIndex is the simulator's state arranged for lookups.
type stateIndex struct {
	users        map[string]docspacetest.AdminUser // by lower-case id
	entries      map[int]docspacetest.AdminEntry
	roomsByTitle map[string][]docspacetest.AdminEntry
	filesIn      map[int][]docspacetest.AdminEntry // by parent
	members      map[string][]docspacetest.Member  // by room id
	// Totals over the whole portal.
	archiveRooms, reportFiles, reportVersions, auditCSVs int
}

func newStateIndex(s *docspacetest.AdminState) *stateIndex {
	x := &stateIndex{
		users: map[string]docspacetest.AdminUser{}, entries: map[int]docspacetest.AdminEntry{},
		roomsByTitle: map[string][]docspacetest.AdminEntry{}, filesIn: map[int][]docspacetest.AdminEntry{},
		members: s.Members,
	}
	for _, u := range s.Users {
		x.users[strings.ToLower(u.ID)] = u
	}
	for _, e := range s.Entries {
		x.entries[e.ID] = e
		switch {
		case e.Kind == "folder" && e.RoomType != 0:
			x.roomsByTitle[e.Title] = append(x.roomsByTitle[e.Title], e)
			if strings.HasPrefix(e.Title, ArchiveRoomPrefix) {
				x.archiveRooms++
			}
		case e.Kind == "file":
			x.filesIn[e.ParentID] = append(x.filesIn[e.ParentID], e)
			if strings.HasPrefix(e.Title, ReportPrefix) {
				x.reportFiles++
				x.reportVersions += max(e.Versions-1, 0)
			}
			if strings.HasPrefix(e.Title, AuditCSVPrefix) {
				x.auditCSVs++
			}
		}
	}
	return x
}

// checkEmployee checks the DocSpace state of one offboarded employee: the
// account Terminated, one archive room titled for them holding their
// workspace folder, the room's members exactly the archive owner
// (RoomManager) and the HR group (Read), one JSON report of one version and
// one audit trail report in it. It returns the archive room, or 0.
func (v *Verdict) checkEmployee(c *Company, e Employee, st *stateIndex) int {
	problem := func(format string, args ...any) {
		v.Problems = append(v.Problems, e.EmployeeID+": "+fmt.Sprintf(format, args...))
	}
	if u, ok := st.users[strings.ToLower(e.ID)]; !ok {
		problem("user %s missing", e.ID)
	} else if u.Status != statusTerminated {
		problem("user status %d, want Terminated (%d)", u.Status, statusTerminated)
	}

	rooms := st.roomsByTitle[e.ArchiveRoomTitle()]
	if len(rooms) == 0 {
		problem("no room titled %q", e.ArchiveRoomTitle())
		return 0
	}
	if len(rooms) > 1 {
		v.SideEffects.Rooms += len(rooms) - 1
		problem("%d rooms titled %q", len(rooms), e.ArchiveRoomTitle())
	}
	room := rooms[0]
	if folder, ok := st.entries[e.FolderID]; !ok {
		problem("workspace folder %d missing", e.FolderID)
	} else if i := slices.IndexFunc(rooms, func(r docspacetest.AdminEntry) bool { return r.ID == folder.ParentID }); i < 0 {
		problem("workspace folder %d is in %d, not in its archive room", e.FolderID, folder.ParentID)
	} else {
		room = rooms[i]
	}

	got := map[string]docspacetest.FileShare{}
	for _, m := range st.members[strconv.Itoa(room.ID)] {
		got[strings.ToLower(m.SubjectID)] = m.Access
	}
	want := map[string]docspacetest.FileShare{
		strings.ToLower(c.ArchiveOwner.ID): accessRoomManager,
		strings.ToLower(c.HRGroupID):       accessRead,
	}
	for id, a := range want {
		if got[id] != a {
			problem("room %d: %s has access %d, want %d", room.ID, id, got[id], a)
		}
	}
	for id, a := range got {
		if _, ok := want[id]; !ok {
			problem("room %d: %s has access %d, want none", room.ID, id, a)
		}
	}

	var reports, csvs []docspacetest.AdminEntry
	for _, f := range st.filesIn[room.ID] {
		switch {
		case strings.HasPrefix(f.Title, ReportPrefix):
			reports = append(reports, f)
		case strings.HasPrefix(f.Title, AuditCSVPrefix):
			csvs = append(csvs, f)
		}
	}
	switch {
	case len(reports) == 0:
		problem("no JSON report in room %d", room.ID)
	case len(reports) > 1:
		v.SideEffects.ReportFiles += len(reports) - 1
		problem("%d JSON reports in room %d", len(reports), room.ID)
	}
	for _, r := range reports {
		if r.Versions != 1 {
			v.SideEffects.ReportVersions += max(r.Versions-1, 0)
			problem("report %q has %d versions", r.Title, r.Versions)
		}
	}
	switch {
	case len(csvs) == 0:
		problem("no audit trail report in room %d", room.ID)
	case len(csvs) > 1:
		v.SideEffects.AuditCSVs += len(csvs) - 1
		problem("%d audit trail reports in room %d", len(csvs), room.ID)
	}
	return room.ID
}

// checkReport checks what a completed result says against DocSpace: the
// archive room is the one found, and every exported file exists, lies in
// that room, and belongs to no other employee's report.
func (v *Verdict) checkReport(e Employee, res *events.Result, room int, st *stateIndex, claimed map[int]string) {
	problem := func(format string, args ...any) {
		v.Problems = append(v.Problems, e.EmployeeID+": "+fmt.Sprintf(format, args...))
	}
	rep := res.Report
	if rep == nil {
		problem("completed result without a report")
		return
	}
	if rep.Archive == nil || int(rep.Archive.RoomID) != room {
		problem("the report names another archive room than %d", room)
	}
	for _, x := range rep.Exports {
		id := int(x.FileID)
		f, ok := st.entries[id]
		switch {
		case !ok:
			problem("the report exports %s file %d, which does not exist", x.Kind, id)
			continue
		case f.ParentID != room:
			problem("the report exports %s file %d (%q), which is in %d, not in the archive room %d", x.Kind, id, f.Title, f.ParentID, room)
		}
		if other, dup := claimed[id]; dup {
			problem("the report exports %s file %d, which %s's report exports too", x.Kind, id, other)
		}
		claimed[id] = e.EmployeeID
	}
}

// checkStrays looks for exported files outside every archive room: an
// audit trail report DocSpace wrote into the service account's My documents
// that was never moved, or a JSON report uploaded elsewhere.
func (v *Verdict) checkStrays(c *Company, st *stateIndex) {
	rooms := map[int]bool{}
	for _, e := range c.Employees {
		for _, r := range st.roomsByTitle[e.ArchiveRoomTitle()] {
			rooms[r.ID] = true
		}
	}
	var strays []int
	for parent, files := range st.filesIn {
		if rooms[parent] {
			continue
		}
		for _, f := range files {
			if strings.HasPrefix(f.Title, AuditCSVPrefix) || strings.HasPrefix(f.Title, ReportPrefix) {
				strays = append(strays, f.ID)
			}
		}
	}
	slices.Sort(strays)
	for _, id := range strays {
		f := st.entries[id]
		v.Problems = append(v.Problems, fmt.Sprintf("%q (file %d) left in folder %d, outside every archive room", f.Title, id, f.ParentID))
	}
}
