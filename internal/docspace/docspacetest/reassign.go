package docspacetest

import (
	"fmt"
	"strings"
	"time"
)

// taskProgressDTO is TaskProgressResponseDto (reference §5.3).
type taskProgressDTO struct {
	ID          string `json:"id"`
	Error       string `json:"error,omitempty"`
	Percentage  int    `json:"percentage"`
	IsCompleted bool   `json:"isCompleted"`
	Status      int    `json:"status"`
}

func (p *peopleJob) dto() taskProgressDTO {
	v := p.view()
	return taskProgressDTO{ID: v.ID, Error: v.Error, Percentage: v.Percentage, IsCompleted: v.IsCompleted,
		Status: int(v.Status)}
}

// errNoPermission is the job failure when the caller is not a DocSpace admin (reference §5.4 step 2).
const errNoPermissionText = "You don't have enough permission to perform the operation"

// jobFailure is a job step's error.
type jobFailure string

func (e jobFailure) Error() string { return string(e) }

// necessaryReassign: GET people/reassign/necessary?userId=&type= (reference §5.1). True when the user owns
// a room; for guests also when their My documents holds shared items.
func (s *Server) necessaryReassign(c *call) (any, error) {
	id, _, err := c.queryGUID("userId")
	if err != nil {
		return nil, err
	}
	t, _, err := c.queryEnum("type", lowerNameMap(employeeTypeNames()), validEmployeeType)
	if err != nil {
		return nil, err
	}
	if !c.caller.canEditUsers() {
		return nil, errSecurity()
	}
	u := s.st.user(id)
	if u == nil {
		return false, nil
	}
	if u.Type == TypeDocSpaceAdmin && !c.caller.IsOwner {
		return nil, errSecurity()
	}
	for _, e := range s.st.entries {
		if e.IsRoom() && strings.EqualFold(e.CreatedBy, u.ID) {
			return true, nil
		}
	}
	if EmployeeType(t) == TypeGuest {
		return len(s.sharedPersonal(u)) > 0, nil
	}
	return false, nil
}

type startReassignBody struct {
	FromUserID    *jsonGUID `json:"fromUserId"`
	ToUserID      *jsonGUID `json:"toUserId"`
	DeleteProfile bool      `json:"deleteProfile"`
}

// requiredMissing is the binding failure for absent C# "required" properties.
func requiredMissing(dtoName string, props ...string) error {
	return &validationError{errors: map[string][]string{
		"inDto": {"The inDto field is required."},
		"$": {fmt.Sprintf("JSON deserialization for type '%s' was missing required properties, including the following: %s",
			dtoName, strings.Join(props, ", "))},
	}}
}

// startReassign: POST people/reassign/start (reference §5.2). Argument rules are checked synchronously
// (400); a job for the same source that is still running is returned as is, ignoring the new arguments.
func (s *Server) startReassign(c *call) (any, error) {
	var body startReassignBody
	if err := c.bind(&body, "inDto", true); err != nil {
		return nil, err
	}
	var missing []string
	if body.FromUserID == nil {
		missing = append(missing, "fromUserId")
	}
	if body.ToUserID == nil {
		missing = append(missing, "toUserId")
	}
	if len(missing) > 0 {
		return nil, requiredMissing("ASC.People.ApiModels.RequestDto.StartReassignRequestDto", missing...)
	}
	if !c.caller.canEditUsers() {
		return nil, errSecurity()
	}
	fromID, toID := string(*body.FromUserID), string(*body.ToUserID)
	to := s.st.user(toID)
	if to == nil || to.IsSystem || to.Status == StatusTerminated ||
		(to.Type != TypeRoomAdmin && to.Type != TypeDocSpaceAdmin && !to.IsOwner) {
		return nil, errArgumentf("Can not reassign data to user with id = %s", toID)
	}
	from := s.st.user(fromID)
	if from == nil || from.IsSystem || from.IsOwner || c.isSelf(from) || from.Status != StatusTerminated ||
		(from.Type == TypeDocSpaceAdmin || from.PeopleAdmin) && !c.caller.IsOwner {
		return nil, errArgumentf("Can not reassign data from user with id = %s", fromID)
	}
	if j := s.st.reassignJobs[from.ID]; j != nil && !j.job.done {
		return j.dto(), nil
	}
	pj := &peopleJob{id: fmt.Sprintf("%d_%s_ReassignProgressItem", s.opts.TenantID, from.ID), fromID: from.ID,
		toID: to.ID, callerID: c.caller.ID, deleteProfile: body.DeleteProfile}
	s.startPeopleJob(c, s.st.reassignJobs, pj, s.opts.ReassignDuration, s.reassignSteps(pj, c.client()))
	return pj.dto(), nil
}

// startPeopleJob starts pj, a reassign or remove job running steps, and files it in jobs under its source
// user in place of any earlier record there; the record leaves jobs when the job expires. Caller holds s.mu.
func (s *Server) startPeopleJob(c *call, jobs map[string]*peopleJob, pj *peopleJob, duration time.Duration,
	steps []jobStep) {
	if j := jobs[pj.fromID]; j != nil {
		s.dropJob(j.job)
	}
	hold, holdAt := s.stuckJob(c.route.operationID, pj.fromID)
	pj.job = s.startJob(c.now, jobSpec{
		queue:     queuePeople,
		duration:  duration,
		initial:   TaskRunning,
		retention: s.opts.JobRetention,
		hold:      hold,
		holdAt:    holdAt,
		steps:     steps,
		onExpire: func() {
			if jobs[pj.fromID] == pj {
				delete(jobs, pj.fromID)
			}
		},
	})
	jobs[pj.fromID] = pj
}

// reassignSteps is ReassignProgressItem.DoJob (reference §5.4), one step per published percentage.
func (s *Server) reassignSteps(pj *peopleJob, client clientInfo) []jobStep {
	var personalRoots []int // the source's My documents and Trash, skipped by the ownership steps
	return []jobStep{
		{percent: 5},
		{percent: 10, run: func(time.Time) error {
			caller, from, to := s.st.user(pj.callerID), s.st.anyUser(pj.fromID), s.st.user(pj.toID)
			if caller == nil || !caller.isAdmin() || from == nil || from.Removed || to == nil || to.Type == TypeGuest {
				return jobFailure(errNoPermissionText)
			}
			return nil
		}},
		{percent: 20, run: func(at time.Time) error {
			from, to := s.st.user(pj.fromID), s.st.user(pj.toID)
			s.moveSharedEntries(from, to, at)
			return nil
		}},
		{percent: 30, run: func(time.Time) error {
			from := s.st.anyUser(pj.fromID)
			if pj.deleteProfile {
				s.deletePersonalData(from)
				return nil
			}
			personalRoots = []int{from.MyDocumentsID, from.TrashID}
			return nil
		}},
		{percent: 50}, // third-party storage connections: none are modelled
		{percent: 70, run: func(at time.Time) error {
			s.transferCreatedBy(pj.fromID, KindFolder, personalRoots, func(*Entry) string { return pj.toID }, at)
			return nil
		}},
		{percent: 90, run: func(at time.Time) error {
			s.transferCreatedBy(pj.fromID, KindFile, personalRoots, func(*Entry) string { return pj.toID }, at)
			return nil
		}},
		{percent: 95, run: func(at time.Time) error {
			from, to := s.st.anyUser(pj.fromID), s.st.anyUser(pj.toID)
			s.writeAudit(auditEntry{at: at, actorID: pj.callerID, action: ActionUserDataReassigns,
				targets: []string{from.ID}, description: []string{from.DisplayName(), to.DisplayName()}, client: client})
			if pj.deleteProfile && !from.Removed {
				s.deleteProfile(from, at, pj.callerID, client)
			}
			return nil
		}},
		{percent: 100},
	}
}

// sharedPersonal returns every entry at any depth in u's My documents that has a share record (user,
// group or link), depth first.
func (s *Server) sharedPersonal(u *User) []*Entry {
	if u == nil || u.MyDocumentsID == 0 {
		return nil
	}
	var out []*Entry
	for _, e := range s.st.descendants(u.MyDocumentsID) {
		if len(s.st.sharesOf(e.ID)) > 0 {
			out = append(out, e)
		}
	}
	return out
}

// reassignedFolderName is FilesCommonResource.FolderNameForReassignedData.
func reassignedFolderName(u *User) string {
	return fmt.Sprintf("Documents of user %s %s", u.FirstName, u.LastName)
}

// moveSharedEntries moves from's shared My-documents items into a new "Documents of user F L" folder in
// to's My documents, each as a direct child, with createdBy = to; shares stay and from's tags go. No shared
// items: no folder. Caller holds s.mu.
func (s *Server) moveSharedEntries(from, to *User, at time.Time) {
	shared := s.sharedPersonal(from)
	if len(shared) == 0 || to == nil || to.MyDocumentsID == 0 {
		return
	}
	dest := s.st.newEntry(Entry{Kind: KindFolder, ParentID: to.MyDocumentsID, Title: reassignedFolderName(from),
		CreatedBy: to.ID, ModifiedBy: to.ID, Created: at, Modified: at})
	for _, e := range shared {
		e.ParentID = dest.ID
		e.CreatedBy, e.ModifiedBy, e.Modified = to.ID, to.ID, at
		e.Tags = removeID(e.Tags, from.ID)
	}
}

// deletePersonalData permanently deletes from's My documents and Trash (roots included) and every share
// record whose subject is from. Caller holds s.mu.
func (s *Server) deletePersonalData(from *User) {
	for _, root := range []int{from.MyDocumentsID, from.TrashID} {
		if root != 0 {
			s.st.deleteEntry(root)
		}
	}
	from.MyDocumentsID, from.TrashID = 0, 0
	s.st.removeShares(func(sh *Share) bool { return strings.EqualFold(sh.SubjectID, from.ID) })
}

// transferCreatedBy gives every entry of kind created by fromID, except those under the skipped roots, the
// creator newOwner(entry) returns. Caller holds s.mu.
func (s *Server) transferCreatedBy(fromID string, kind EntryKind, skipRoots []int, newOwner func(*Entry) string, at time.Time) {
	for _, e := range s.st.entries {
		if e.Kind != kind || !strings.EqualFold(e.CreatedBy, fromID) {
			continue
		}
		if skipped(s.st, e, skipRoots) {
			continue
		}
		if to := newOwner(e); to != "" {
			e.CreatedBy = to
			for i := range e.Versions {
				if strings.EqualFold(e.Versions[i].CreatedBy, fromID) {
					e.Versions[i].CreatedBy = to
				}
			}
		}
	}
}

func skipped(st *state, e *Entry, roots []int) bool {
	for _, r := range roots {
		if r != 0 && (e.ID == r || st.isUnder(e.ID, r)) {
			return true
		}
	}
	return false
}

// getReassignProgress: GET people/reassign/progress/{userid} (reference §5.3); no response when there is no
// record.
func (s *Server) getReassignProgress(c *call) (any, error) {
	return s.progress(c, s.st.reassignJobs)
}

func (s *Server) progress(c *call, jobs map[string]*peopleJob) (any, error) {
	if !c.caller.canEditUsers() {
		return nil, errSecurity()
	}
	id := c.param("userid")
	if u := s.st.user(id); u != nil && u.Type == TypeDocSpaceAdmin && !c.caller.IsOwner {
		return nil, errSecurity()
	}
	if j := jobs[id]; j != nil {
		return j.dto(), nil
	}
	return nil, nil
}

type terminateBody struct {
	UserID *jsonGUID `json:"userId"`
}

func (c *call) bindTerminate() (string, error) {
	var body terminateBody
	if err := c.bind(&body, "inDto", true); err != nil {
		return "", err
	}
	if body.UserID == nil {
		return "", requiredMissing("ASC.People.ApiModels.RequestDto.TerminateRequestDto", "userId")
	}
	if !c.caller.canEditUsers() {
		return "", errSecurity()
	}
	return string(*body.UserID), nil
}

// terminateReassign: PUT people/reassign/terminate (reference §5.5). The job is canceled and removed; the
// reply shows it with status 3. Work already done stays.
func (s *Server) terminateReassign(c *call) (any, error) {
	id, err := c.bindTerminate()
	if err != nil {
		return nil, err
	}
	j := s.st.reassignJobs[id]
	if j == nil {
		return nil, nil
	}
	j.job.cancel(c.now)
	dto := j.dto()
	s.dropJob(j.job)
	return dto, nil
}
