package docspacetest

import (
	"slices"
	"strings"
	"time"
)

// locked runs f with the state brought up to the clock (due job steps applied), as any request would see it.
func (s *Server) locked(f func()) {
	s.mu.Lock()
	s.advance(s.now())
	f()
	s.mu.Unlock()
	s.wakeWebhooks()
}

// User returns a copy of the user with id, including removed users (Removed set); false if unknown.
func (s *Server) User(id string) (u User, ok bool) {
	s.locked(func() {
		if p := s.st.anyUser(id); p != nil {
			u, ok = *p, true
		}
	})
	return u, ok
}

// Users returns copies of every user, removed ones included, in creation order.
func (s *Server) Users() []User {
	var out []User
	s.locked(func() {
		for _, id := range s.st.userOrder {
			out = append(out, *s.st.users[id])
		}
	})
	return out
}

// Group returns a copy of the group with id, including removed groups; false if unknown.
func (s *Server) Group(id string) (g Group, ok bool) {
	s.locked(func() {
		if p := s.st.groups[strings.ToLower(id)]; p != nil {
			g, ok = cloneGroup(p), true
		}
	})
	return g, ok
}

// Keys returns copies of the API keys created by ownerID ("" for all).
func (s *Server) Keys(ownerID string) []Key {
	var out []Key
	s.locked(func() {
		for _, k := range s.st.keys {
			if ownerID == "" || strings.EqualFold(k.OwnerID, ownerID) {
				out = append(out, cloneKey(k))
			}
		}
	})
	slices.SortFunc(out, func(a, b Key) int { return a.CreatedOn.Compare(b.CreatedOn) })
	return out
}

// Entry returns a copy of the folder, room or file with id; false if it does not exist (any more).
func (s *Server) Entry(id int) (e Entry, ok bool) {
	s.locked(func() {
		if p := s.st.entry(id); p != nil {
			e, ok = cloneEntry(p), true
		}
	})
	return e, ok
}

// Children returns copies of a folder's direct children: folders first, then files, each by id.
func (s *Server) Children(folderID int) []Entry {
	var out []Entry
	s.locked(func() {
		for _, c := range s.st.children(folderID) {
			out = append(out, cloneEntry(c))
		}
	})
	return out
}

// FindEntries returns copies of every entry for which match returns true, by id.
func (s *Server) FindEntries(match func(Entry) bool) []Entry {
	var out []Entry
	s.locked(func() {
		for _, e := range s.st.entries {
			if c := cloneEntry(e); match(c) {
				out = append(out, c)
			}
		}
	})
	slices.SortFunc(out, func(a, b Entry) int { return a.ID - b.ID })
	return out
}

// Path returns the titles from the root folder down to the entry.
func (s *Server) Path(id int) []string {
	var out []string
	s.locked(func() {
		e := s.st.entry(id)
		if e == nil {
			return
		}
		for _, x := range s.st.chain(e) {
			out = append(out, x.Title)
		}
	})
	return out
}

// Shares returns copies of the share records on an entry.
func (s *Server) Shares(entryID int) []Share {
	var out []Share
	s.locked(func() {
		for _, sh := range s.st.sharesOf(entryID) {
			out = append(out, *sh)
		}
	})
	return out
}

// RoomMembers returns a room's members: its share records (the owner, its CreatedBy, has none).
func (s *Server) RoomMembers(roomID int) []Member {
	var out []Member
	s.locked(func() {
		for _, sh := range s.st.sharesOf(roomID) {
			if sh.SubjectType == SubjectUser || sh.SubjectType == SubjectGroup {
				out = append(out, Member{SubjectID: sh.SubjectID, Access: sh.Access})
			}
		}
	})
	return out
}

// AuditQuery selects audit events for inspection; zero fields match everything.
type AuditQuery struct {
	UserID string // actor
	Action MessageAction
	Target string // one of the event's target ids
	Since  time.Time
}

// AuditEvents returns copies of the audit events matching q, oldest first.
func (s *Server) AuditEvents(q AuditQuery) []AuditEvent {
	var out []AuditEvent
	s.locked(func() {
		for _, e := range s.st.audit {
			if q.UserID != "" && !strings.EqualFold(e.UserID, q.UserID) ||
				q.Action != 0 && e.Action != q.Action ||
				q.Target != "" && !slices.ContainsFunc(e.Target, func(t string) bool { return strings.EqualFold(t, q.Target) }) ||
				!q.Since.IsZero() && e.Date.Before(q.Since) {
				continue
			}
			out = append(out, cloneAudit(e))
		}
	})
	return out
}

// LoginEvents returns copies of a user's login events ("" for everyone), oldest first.
func (s *Server) LoginEvents(userID string) []LoginEvent {
	var out []LoginEvent
	s.locked(func() {
		for _, l := range s.st.logins {
			if userID == "" || strings.EqualFold(l.UserID, userID) {
				out = append(out, *l)
			}
		}
	})
	return out
}

// Job is the state of a reassign or remove job as DocSpace reports it (TaskProgressResponseDto), plus its
// arguments.
type Job struct {
	ID            string
	FromUserID    string
	ToUserID      string
	CallerID      string
	DeleteProfile bool
	Percentage    int
	IsCompleted   bool
	Status        TaskStatus
	Error         string
	// Queued is set while the job waits for a worker.
	Queued bool
	// LastUpdate is when the record last changed; it expires JobRetention later once completed.
	LastUpdate time.Time
}

// ReassignJob returns the reassign record for a source user, if one exists (it vanishes on expiry).
func (s *Server) ReassignJob(fromUserID string) (j Job, ok bool) {
	s.locked(func() {
		if p := s.st.reassignJobs[strings.ToLower(fromUserID)]; p != nil {
			j, ok = p.view(), true
		}
	})
	return j, ok
}

// RemoveJob returns the remove record for a user, if one exists.
func (s *Server) RemoveJob(userID string) (j Job, ok bool) {
	s.locked(func() {
		if p := s.st.removeJobs[strings.ToLower(userID)]; p != nil {
			j, ok = p.view(), true
		}
	})
	return j, ok
}

// FileOperationInfo is the state of a file operation.
type FileOperationInfo struct {
	ID          string
	Type        FileOperationType
	OwnerID     string
	DeleteAfter bool
	Progress    int
	Status      TaskStatus
	Finished    bool
	Error       string
	FolderIDs   []int
	FileIDs     []int
}

// FileOperations returns the file operations whose records still exist, in submission order.
func (s *Server) FileOperations() []FileOperationInfo {
	var out []FileOperationInfo
	s.locked(func() {
		for _, op := range s.orderedFileOps() {
			out = append(out, op.view())
		}
	})
	return out
}

// Advance applies every job step due by now. Requests and inspections do this themselves; tests with a
// manual clock call it only to flush webhooks of jobs nobody looks at.
func (s *Server) Advance() { s.locked(func() {}) }
