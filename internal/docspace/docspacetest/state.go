package docspacetest

import (
	"slices"
	"strings"
	"time"
)

// User is a portal member as the simulator stores it. Inspection returns copies.
type User struct {
	ID          string
	FirstName   string
	LastName    string
	UserName    string
	Email       string
	Department  string
	CultureName string
	// Type is the user's EmployeeType. The owner is a DocSpaceAdmin.
	Type EmployeeType
	// IsOwner marks the portal owner (exactly one per portal).
	IsOwner bool
	// PeopleAdmin marks a user who administers the People module without being a DocSpace admin: they
	// have edit-user rights, but a reassign job they start fails its permission check (reference §5.2).
	PeopleAdmin      bool
	Status           UserStatus
	ActivationStatus ActivationStatus
	IsLDAP           bool
	IsSSO            bool
	// IsSystem marks built-in accounts that no status change or reassign may touch.
	IsSystem bool
	// Terminated is set only by updateMember with disable:true (reference §3.1); zero otherwise.
	Terminated time.Time
	// CookieIndex is bumped whenever the user's sessions are reset.
	CookieIndex      int
	RegistrationDate time.Time
	LastModified     time.Time
	CreatedBy        string
	// MyDocumentsID and TrashID are the user's system folders (0 for guests, who have none).
	MyDocumentsID int
	TrashID       int
	// Removed is set once the profile is deleted; a removed user is invisible to the API.
	Removed bool
}

// DisplayName is "First Last", as DocSpace shows it by default.
func (u User) DisplayName() string {
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}

// isAdmin reports DocSpace-admin rights: the owner or a DocSpaceAdmin.
func (u *User) isAdmin() bool { return u.IsOwner || u.Type == TypeDocSpaceAdmin }

// canEditUsers reports edit-user rights: DocSpace admins and People-module admins.
func (u *User) canEditUsers() bool { return u.isAdmin() || u.PeopleAdmin }

// Group is a portal group.
type Group struct {
	ID        string
	Name      string
	ManagerID string
	Members   []string
	// IsSystem marks built-in groups; they are never listed by getGroupByUserId (reference §7).
	IsSystem bool
	Removed  bool
}

// Key is an API key (reference §2.3). Secret is the full "sk-…" value.
type Key struct {
	ID          string
	Name        string
	Secret      string
	OwnerID     string
	Permissions []string
	CreatedOn   time.Time
	ExpiresAt   time.Time // zero: never expires
	LastUsed    time.Time
	IsActive    bool
}

// Postfix is the last four characters of the secret, which DocSpace shows instead of the key.
func (k Key) Postfix() string {
	if len(k.Secret) < 4 {
		return k.Secret
	}
	return k.Secret[len(k.Secret)-4:]
}

// Entry is a folder, room or file. Rooms are folders with RoomType set whose parent is the Rooms section or
// the Archive; their owner is CreatedBy (reference §5.4).
type Entry struct {
	ID       int
	Kind     EntryKind
	ParentID int
	Title    string
	// FolderType of a folder or room (FolderDefault for plain folders); unused for files.
	FolderType FolderType
	// RoomType is set on rooms only.
	RoomType   RoomType
	Private    bool
	Pinned     bool
	CreatedBy  string
	ModifiedBy string
	Created    time.Time
	Modified   time.Time
	// Versions of a file, oldest first; the last one is current.
	Versions []FileVersion
	// Tags are the entry's Favorite/Recent marks per user, which reassign drops for the source.
	Tags []string
}

// IsRoom reports whether e is a room.
func (e Entry) IsRoom() bool { return e.Kind == KindFolder && e.RoomType != 0 }

// Version returns the current version number of a file (0 for folders).
func (e Entry) Version() int {
	if len(e.Versions) == 0 {
		return 0
	}
	return e.Versions[len(e.Versions)-1].Version
}

// Content returns the current content of a file.
func (e Entry) Content() []byte {
	if len(e.Versions) == 0 {
		return nil
	}
	return slices.Clone(e.Versions[len(e.Versions)-1].Content)
}

// Ext returns the file extension including the dot, e.g. ".docx", or "".
func (e Entry) Ext() string {
	i := strings.LastIndexByte(e.Title, '.')
	if e.Kind != KindFile || i < 0 {
		return ""
	}
	return strings.ToLower(e.Title[i:])
}

// FileVersion is one stored version of a file.
type FileVersion struct {
	Version   int
	Content   []byte
	Created   time.Time
	CreatedBy string
}

// Share is an access record: a subject (user, group or link) holding Access on an entry. Room members are
// share records on the room; the room owner is its CreatedBy and has no record.
type Share struct {
	EntryID     int
	SubjectID   string
	SubjectType SubjectType
	Access      FileShare
	// Owner is the user who set the share.
	Owner string
	// Created is when the share was set or last changed.
	Created time.Time
}

// AuditEvent is one audit trail record (reference §11.1).
type AuditEvent struct {
	ID         int
	Date       time.Time
	UserID     string // the actor
	Action     MessageAction
	ActionText string
	ActionType ActionType
	Product    ProductType
	Location   LocationType
	// Target holds the ids the event is about (users, groups, entries).
	Target []string
	// Entries are the entry types the action concerns, e.g. [User] or [Room, User].
	Entries  []EntryType
	Context  string
	IP       string
	Browser  string
	Platform string
	Page     string
	Country  string
	City     string
}

// LoginEvent is one login history record (reference §11.3). Active events are live sessions.
type LoginEvent struct {
	ID       int
	Date     time.Time
	UserID   string
	Login    string
	Action   MessageAction
	IP       string
	Browser  string
	Platform string
	Page     string
	Country  string
	City     string
	Active   bool
}

// Webhook is a registered webhook (reference §13).
type Webhook struct {
	ID       int
	Name     string
	URL      string
	Secret   string
	Triggers []string // e.g. "user.updated"; empty: all
	Enabled  bool
}

// WebhookDelivery records one delivery attempt.
type WebhookDelivery struct {
	WebhookID int
	Trigger   string
	Attempt   int
	Status    int // HTTP status, 0 when the request failed
	Err       string
	Body      []byte
	Signature string
	Time      time.Time
}

// state is the whole portal. Every field is guarded by Server.mu.
type state struct {
	users      map[string]*User // by lower-case id
	userOrder  []string
	groups     map[string]*Group
	groupOrder []string
	keys       map[string]*Key // by secret
	entries    map[int]*Entry
	shares     []*Share
	audit      []*AuditEvent
	logins     []*LoginEvent
	webhooks   []*Webhook

	// roomsID and archiveID are the portal's Rooms section and Archive folders.
	roomsID   int
	archiveID int

	nextEntryID  int
	nextAuditID  int
	nextLoginID  int
	nextHookID   int
	nextEventSeq int

	reassignJobs map[string]*peopleJob // by source user id
	removeJobs   map[string]*peopleJob
	fileOps      map[string]*fileOperation
	jobs         []*progressJob // every job whose record still exists, in submission order
}

func newState() *state {
	return &state{
		users:        map[string]*User{},
		groups:       map[string]*Group{},
		keys:         map[string]*Key{},
		entries:      map[int]*Entry{},
		reassignJobs: map[string]*peopleJob{},
		removeJobs:   map[string]*peopleJob{},
		fileOps:      map[string]*fileOperation{},
		nextEntryID:  1,
		nextAuditID:  1,
		nextLoginID:  1,
		nextHookID:   1,
	}
}

// user returns the live (not removed) user with id, or nil.
func (st *state) user(id string) *User {
	u := st.users[strings.ToLower(id)]
	if u == nil || u.Removed {
		return nil
	}
	return u
}

// anyUser returns the user with id, removed or not.
func (st *state) anyUser(id string) *User { return st.users[strings.ToLower(id)] }

// userByName finds a live user by user name (case-insensitive).
func (st *state) userByName(name string) *User {
	for _, id := range st.userOrder {
		if u := st.users[id]; !u.Removed && strings.EqualFold(u.UserName, name) {
			return u
		}
	}
	return nil
}

// userByEmail finds a live user by e-mail (case-insensitive).
func (st *state) userByEmail(email string) *User {
	for _, id := range st.userOrder {
		if u := st.users[id]; !u.Removed && strings.EqualFold(u.Email, email) {
			return u
		}
	}
	return nil
}

// owner returns the portal owner, or nil before one is added.
func (st *state) owner() *User {
	for _, id := range st.userOrder {
		if u := st.users[id]; u.IsOwner && !u.Removed {
			return u
		}
	}
	return nil
}

// group returns the live group with id, or nil.
func (st *state) group(id string) *Group {
	g := st.groups[strings.ToLower(id)]
	if g == nil || g.Removed {
		return nil
	}
	return g
}

// userGroups returns the live groups u belongs to, in creation order.
func (st *state) userGroups(userID string) []*Group {
	var out []*Group
	for _, id := range st.groupOrder {
		g := st.groups[id]
		if !g.Removed && slices.ContainsFunc(g.Members, func(m string) bool { return strings.EqualFold(m, userID) }) {
			out = append(out, g)
		}
	}
	return out
}

// entry returns the entry with id, or nil.
func (st *state) entry(id int) *Entry { return st.entries[id] }

// folder returns the folder (or room) with id, or nil.
func (st *state) folder(id int) *Entry {
	if e := st.entries[id]; e != nil && e.Kind == KindFolder {
		return e
	}
	return nil
}

// children returns the direct children of a folder: folders first, then files, each by id.
func (st *state) children(folderID int) []*Entry {
	var out []*Entry
	for _, e := range st.entries {
		if e.ParentID == folderID && e.ID != folderID {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b *Entry) int {
		if a.Kind != b.Kind {
			return int(a.Kind) - int(b.Kind)
		}
		return a.ID - b.ID
	})
	return out
}

// descendants returns every entry below folderID, depth first.
func (st *state) descendants(folderID int) []*Entry {
	var out []*Entry
	for _, c := range st.children(folderID) {
		out = append(out, c)
		if c.Kind == KindFolder {
			out = append(out, st.descendants(c.ID)...)
		}
	}
	return out
}

// root returns the top-level folder above e (e itself when it has no parent).
func (st *state) root(e *Entry) *Entry {
	for e.ParentID != 0 {
		p := st.entries[e.ParentID]
		if p == nil {
			break
		}
		e = p
	}
	return e
}

// ancestors returns the folders above e, nearest first.
func (st *state) ancestors(e *Entry) []*Entry {
	var out []*Entry
	for e.ParentID != 0 {
		p := st.entries[e.ParentID]
		if p == nil {
			break
		}
		out = append(out, p)
		e = p
	}
	return out
}

// isUnder reports whether entry id lies at any depth below folderID.
func (st *state) isUnder(id, folderID int) bool {
	e := st.entries[id]
	if e == nil {
		return false
	}
	for _, a := range st.ancestors(e) {
		if a.ID == folderID {
			return true
		}
	}
	return false
}

// roomOf returns the room an entry is in (the entry itself when it is a room), or nil.
func (st *state) roomOf(e *Entry) *Entry {
	if e.IsRoom() {
		return e
	}
	for _, a := range st.ancestors(e) {
		if a.IsRoom() {
			return a
		}
	}
	return nil
}

// sharesOf returns the share records on an entry.
func (st *state) sharesOf(entryID int) []*Share {
	var out []*Share
	for _, sh := range st.shares {
		if sh.EntryID == entryID {
			out = append(out, sh)
		}
	}
	return out
}

// hasShares reports whether an entry has any share record.
func (st *state) hasShares(entryID int) bool {
	return slices.ContainsFunc(st.shares, func(sh *Share) bool { return sh.EntryID == entryID })
}

// shareFor returns the record of subject on entryID, or nil.
func (st *state) shareFor(entryID int, subjectID string) *Share {
	for _, sh := range st.shares {
		if sh.EntryID == entryID && strings.EqualFold(sh.SubjectID, subjectID) {
			return sh
		}
	}
	return nil
}

// setShare creates, changes or (with ShareNone) removes a share record. It reports whether anything changed.
func (st *state) setShare(sh Share) bool {
	for i, cur := range st.shares {
		if cur.EntryID == sh.EntryID && strings.EqualFold(cur.SubjectID, sh.SubjectID) {
			if sh.Access == ShareNone {
				st.shares = slices.Delete(st.shares, i, i+1)
				return true
			}
			if cur.Access == sh.Access {
				return false
			}
			cur.Access, cur.Owner, cur.Created = sh.Access, sh.Owner, sh.Created
			return true
		}
	}
	if sh.Access == ShareNone {
		return false
	}
	st.shares = append(st.shares, &sh)
	return true
}

// removeShares deletes every share record for which drop returns true and returns how many it removed.
func (st *state) removeShares(drop func(*Share) bool) int {
	before := len(st.shares)
	st.shares = slices.DeleteFunc(st.shares, drop)
	return before - len(st.shares)
}

// subtreeIDs returns the ids of entry id and of everything below it.
func (st *state) subtreeIDs(id int) map[int]bool {
	ids := map[int]bool{id: true}
	for _, d := range st.descendants(id) {
		ids[d.ID] = true
	}
	return ids
}

// deleteEntry removes an entry, everything below it, and their share records.
func (st *state) deleteEntry(id int) {
	gone := st.subtreeIDs(id)
	for gid := range gone {
		delete(st.entries, gid)
	}
	st.removeShares(func(sh *Share) bool { return gone[sh.EntryID] })
}

// newEntry stores e with a fresh id and returns it.
func (st *state) newEntry(e Entry) *Entry {
	e.ID = st.nextEntryID
	st.nextEntryID++
	p := &e
	st.entries[e.ID] = p
	return p
}
