package docspacetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// ErrInvalidSpec is returned by builders and LoadFixture for data that would break the portal's invariants.
var ErrInvalidSpec = errors.New("invalid spec")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidSpec, fmt.Sprintf(format, args...))
}

// Must unwraps a builder result for a test: docspacetest.Must(s.AddUser(spec))(t).
func Must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatalf("docspacetest: %v", err)
		}
		return v
	}
}

// UserSpec describes a user to add. Zero values: a generated id, type User, status Active, activated,
// registered now.
type UserSpec struct {
	ID          string
	FirstName   string
	LastName    string
	UserName    string
	Email       string
	Department  string
	Type        EmployeeType
	Owner       bool
	PeopleAdmin bool
	Status      UserStatus
	Activation  ActivationStatus
	LDAP        bool
	SSO         bool
	System      bool
	Registered  time.Time
}

// AddUser adds a user. Non-guests get their My documents (FolderType 5) and Trash (3) folders. The owner
// is a DocSpaceAdmin; there is at most one.
func (s *Server) AddUser(spec UserSpec) (User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.addUser(spec)
	if err != nil {
		return User{}, fmt.Errorf("add user: %w", err)
	}
	return *u, nil
}

func (s *Server) addUser(spec UserSpec) (*User, error) {
	id := spec.ID
	if id == "" {
		id = s.newGUID()
	}
	id, ok := parseGUID(id)
	if !ok {
		return nil, invalid("user id %q is not a GUID", spec.ID)
	}
	if s.st.anyUser(id) != nil {
		return nil, invalid("user %s exists", id)
	}
	if spec.FirstName == "" && spec.LastName == "" {
		return nil, invalid("user %s has no name", id)
	}
	if spec.UserName == "" {
		spec.UserName = strings.ToLower(strings.ReplaceAll(spec.FirstName+"."+spec.LastName, " ", ""))
	}
	if spec.Email == "" {
		spec.Email = spec.UserName + "@example.com"
	}
	if s.st.userByName(spec.UserName) != nil {
		return nil, invalid("user name %q is taken", spec.UserName)
	}
	if s.st.userByEmail(spec.Email) != nil {
		return nil, invalid("email %q is taken", spec.Email)
	}
	if spec.Type == TypeAll {
		spec.Type = TypeUser
	}
	if !validEmployeeType(int(spec.Type)) {
		return nil, invalid("user type %d", spec.Type)
	}
	if spec.Owner {
		if s.st.owner() != nil {
			return nil, invalid("the portal already has an owner")
		}
		spec.Type = TypeDocSpaceAdmin
	}
	if spec.Status == 0 {
		spec.Status = StatusActive
	}
	switch spec.Status {
	case StatusActive, StatusTerminated, StatusPending:
	default:
		return nil, invalid("user status %d", spec.Status)
	}
	if spec.Activation == 0 && spec.Status != StatusPending {
		spec.Activation = ActivationActivated
	}
	if spec.Registered.IsZero() {
		spec.Registered = s.now()
	}
	u := &User{
		ID: id, FirstName: spec.FirstName, LastName: spec.LastName, UserName: spec.UserName, Email: spec.Email,
		Department: spec.Department, CultureName: "en-US", Type: spec.Type, IsOwner: spec.Owner,
		PeopleAdmin: spec.PeopleAdmin, Status: spec.Status, ActivationStatus: spec.Activation,
		IsLDAP: spec.LDAP, IsSSO: spec.SSO, IsSystem: spec.System, RegistrationDate: spec.Registered,
		LastModified: spec.Registered,
	}
	if owner := s.st.owner(); owner != nil {
		u.CreatedBy = owner.ID
	}
	if u.Type != TypeGuest && !u.IsSystem {
		my := s.st.newEntry(Entry{Kind: KindFolder, Title: "My documents", FolderType: FolderUser,
			CreatedBy: id, ModifiedBy: id, Created: spec.Registered, Modified: spec.Registered})
		trash := s.st.newEntry(Entry{Kind: KindFolder, Title: "Trash", FolderType: FolderTrash,
			CreatedBy: id, ModifiedBy: id, Created: spec.Registered, Modified: spec.Registered})
		u.MyDocumentsID, u.TrashID = my.ID, trash.ID
	}
	if u.IsOwner {
		for _, fid := range []int{s.st.roomsID, s.st.archiveID} {
			if f := s.st.entry(fid); f.CreatedBy == "" {
				f.CreatedBy, f.ModifiedBy = id, id
			}
		}
	}
	s.st.users[id] = u
	s.st.userOrder = append(s.st.userOrder, id)
	return u, nil
}

// GroupSpec describes a group to add.
type GroupSpec struct {
	ID        string
	Name      string
	ManagerID string
	Members   []string
	System    bool
}

// AddGroup adds a group; the manager and members must exist.
func (s *Server) AddGroup(spec GroupSpec) (Group, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.addGroup(spec)
	if err != nil {
		return Group{}, fmt.Errorf("add group: %w", err)
	}
	return cloneGroup(g), nil
}

func (s *Server) addGroup(spec GroupSpec) (*Group, error) {
	id := spec.ID
	if id == "" {
		id = s.newGUID()
	}
	id, ok := parseGUID(id)
	if !ok {
		return nil, invalid("group id %q is not a GUID", spec.ID)
	}
	if s.st.groups[id] != nil || s.st.anyUser(id) != nil {
		return nil, invalid("id %s is taken", id)
	}
	if spec.Name == "" {
		return nil, invalid("group %s has no name", id)
	}
	g := &Group{ID: id, Name: spec.Name, IsSystem: spec.System}
	if spec.ManagerID != "" {
		m := s.st.user(spec.ManagerID)
		if m == nil {
			return nil, invalid("group manager %s does not exist", spec.ManagerID)
		}
		g.ManagerID = m.ID
	}
	for _, mid := range spec.Members {
		m := s.st.user(mid)
		if m == nil {
			return nil, invalid("group member %s does not exist", mid)
		}
		if !slices.Contains(g.Members, m.ID) {
			g.Members = append(g.Members, m.ID)
		}
	}
	s.st.groups[id] = g
	s.st.groupOrder = append(s.st.groupOrder, id)
	return g, nil
}

func cloneGroup(g *Group) Group {
	c := *g
	c.Members = slices.Clone(g.Members)
	return c
}

// KeySpec describes an API key to add. Zero values: a generated secret, name "key", full access, no
// expiry, active.
type KeySpec struct {
	OwnerID     string
	Name        string
	Secret      string
	Permissions []string
	ExpiresAt   time.Time
	Inactive    bool
}

// AddKey adds an active, non-expiring key for ownerID with the scopes (none: full access) and returns
// its secret.
func (s *Server) AddKey(ownerID string, scopes ...string) (string, error) {
	k, err := s.AddKeySpec(KeySpec{OwnerID: ownerID, Permissions: scopes})
	if err != nil {
		return "", err
	}
	return k.Secret, nil
}

// AddKeySpec adds a key as described.
func (s *Server) AddKeySpec(spec KeySpec) (Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, err := s.addKey(spec)
	if err != nil {
		return Key{}, fmt.Errorf("add key: %w", err)
	}
	return cloneKey(k), nil
}

func (s *Server) addKey(spec KeySpec) (*Key, error) {
	owner := s.st.user(spec.OwnerID)
	if owner == nil {
		return nil, invalid("key owner %s does not exist", spec.OwnerID)
	}
	for _, p := range spec.Permissions {
		if !slices.Contains(validScopes(), p) {
			return nil, invalid("permission %q", p)
		}
	}
	if slices.Contains(spec.Permissions, ScopeAll) {
		spec.Permissions = nil // DocSpace stores "*" as the empty list, i.e. full access
	}
	if spec.Secret == "" {
		spec.Secret = s.newSecret()
	}
	if !isAPIKey(spec.Secret) {
		return nil, invalid("secret is not sk- and 64 hex digits")
	}
	if s.st.keys[spec.Secret] != nil {
		return nil, invalid("secret already in use")
	}
	if spec.Name == "" {
		spec.Name = "key"
	}
	if len(spec.Name) > maxAPIKeyNameLen {
		return nil, invalid("key name longer than %d", maxAPIKeyNameLen)
	}
	k := &Key{ID: s.newGUID(), Name: spec.Name, Secret: spec.Secret, OwnerID: owner.ID,
		Permissions: slices.Clone(spec.Permissions), CreatedOn: s.now(), ExpiresAt: spec.ExpiresAt,
		IsActive: !spec.Inactive}
	s.st.keys[k.Secret] = k
	return k, nil
}

func cloneKey(k *Key) Key {
	c := *k
	c.Permissions = slices.Clone(k.Permissions)
	return c
}

// Member is a room member or a share: a user or group id and its access.
type Member struct {
	SubjectID string
	Access    FileShare
}

// RoomSpec describes a room to add. Zero values: a Custom room, not archived.
type RoomSpec struct {
	ID       int // 0: next free id
	Title    string
	Type     RoomType
	OwnerID  string
	Private  bool
	Archived bool
	Members  []Member
	Created  time.Time
}

// AddRoom adds a room in the Rooms section (or the Archive) owned by OwnerID, with its members.
func (s *Server) AddRoom(spec RoomSpec) (Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.addRoom(spec)
	if err != nil {
		return Entry{}, fmt.Errorf("add room: %w", err)
	}
	return cloneEntry(e), nil
}

func (s *Server) addRoom(spec RoomSpec) (*Entry, error) {
	if spec.Type == 0 {
		spec.Type = RoomCustom
	}
	ft, ok := spec.Type.folderType()
	if !ok {
		return nil, invalid("room type %d", spec.Type)
	}
	owner := s.st.user(spec.OwnerID)
	if owner == nil {
		return nil, invalid("room owner %s does not exist", spec.OwnerID)
	}
	if spec.Title == "" {
		return nil, invalid("room has no title")
	}
	parent := s.st.roomsID
	if spec.Archived {
		parent = s.st.archiveID
	}
	e, err := s.placeEntry(spec.ID, Entry{Kind: KindFolder, ParentID: parent, Title: spec.Title, FolderType: ft,
		RoomType: spec.Type, Private: spec.Private, CreatedBy: owner.ID}, spec.Created)
	if err != nil {
		return nil, err
	}
	for _, m := range spec.Members {
		if err := s.share(e.ID, m.SubjectID, m.Access, owner.ID); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// placeEntry stores e under its parent with the requested id (0: the next one), stamping dates.
func (s *Server) placeEntry(id int, e Entry, created time.Time) (*Entry, error) {
	if s.st.folder(e.ParentID) == nil {
		return nil, invalid("parent folder %d does not exist", e.ParentID)
	}
	if created.IsZero() {
		created = s.now()
	}
	e.Created, e.Modified, e.ModifiedBy = created, created, e.CreatedBy
	if id == 0 {
		return s.st.newEntry(e), nil
	}
	if id < 0 || s.st.entries[id] != nil {
		return nil, invalid("entry id %d is taken or negative", id)
	}
	e.ID = id
	p := &e
	s.st.entries[id] = p
	s.st.nextEntryID = max(s.st.nextEntryID, id+1)
	return p, nil
}

// AddFolder adds a folder titled title under parentID, created by createdBy.
func (s *Server) AddFolder(parentID int, title, createdBy string) (Entry, error) {
	return s.AddEntry(EntrySpec{ParentID: parentID, Title: title, CreatedBy: createdBy})
}

// AddFile adds a file titled title (with its extension) under parentID, created by createdBy.
func (s *Server) AddFile(parentID int, title, createdBy string, content []byte) (Entry, error) {
	return s.AddEntry(EntrySpec{ParentID: parentID, Title: title, CreatedBy: createdBy, File: true, Content: content})
}

// EntrySpec describes a folder or file to add.
type EntrySpec struct {
	ID        int // 0: next free id
	ParentID  int
	Title     string
	CreatedBy string
	File      bool
	Content   []byte
	Created   time.Time
}

// AddEntry adds a folder or file. The parent must be a folder other than the Rooms section and the Archive
// themselves (those hold rooms only).
func (s *Server) AddEntry(spec EntrySpec) (Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.addEntry(spec)
	if err != nil {
		return Entry{}, fmt.Errorf("add entry: %w", err)
	}
	return cloneEntry(e), nil
}

func (s *Server) addEntry(spec EntrySpec) (*Entry, error) {
	if spec.Title == "" {
		return nil, invalid("entry has no title")
	}
	if s.st.user(spec.CreatedBy) == nil {
		return nil, invalid("creator %s does not exist", spec.CreatedBy)
	}
	if spec.ParentID == s.st.roomsID || spec.ParentID == s.st.archiveID {
		return nil, invalid("only rooms live directly in the Rooms section or the Archive")
	}
	e := Entry{Kind: KindFolder, ParentID: spec.ParentID, Title: spec.Title, CreatedBy: strings.ToLower(spec.CreatedBy)}
	if spec.File {
		e.Kind = KindFile
	}
	p, err := s.placeEntry(spec.ID, e, spec.Created)
	if err != nil {
		return nil, err
	}
	if spec.File {
		p.Versions = []FileVersion{{Version: 1, Content: slices.Clone(spec.Content), Created: p.Created,
			CreatedBy: p.CreatedBy}}
	}
	return p, nil
}

func cloneEntry(e *Entry) Entry {
	c := *e
	c.Versions = make([]FileVersion, len(e.Versions))
	for i, v := range e.Versions {
		v.Content = slices.Clone(v.Content)
		c.Versions[i] = v
	}
	if len(e.Versions) == 0 {
		c.Versions = nil
	}
	c.Tags = slices.Clone(e.Tags)
	return c
}

// Share gives subjectID (a user or group) access to an entry, or with ShareNone removes it. The share is
// recorded as set by the entry's creator.
func (s *Server) Share(entryID int, subjectID string, access FileShare) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.st.entry(entryID)
	if e == nil {
		return fmt.Errorf("share: %w", invalid("entry %d does not exist", entryID))
	}
	if err := s.share(entryID, subjectID, access, e.CreatedBy); err != nil {
		return fmt.Errorf("share: %w", err)
	}
	return nil
}

func (s *Server) share(entryID int, subjectID string, access FileShare, by string) error {
	if !validFileShare(int(access)) {
		return invalid("access %d", access)
	}
	st := SubjectUser
	switch {
	case s.st.user(subjectID) != nil:
	case s.st.group(subjectID) != nil:
		st = SubjectGroup
	default:
		return invalid("share subject %s is neither a user nor a group", subjectID)
	}
	s.st.setShare(Share{EntryID: entryID, SubjectID: strings.ToLower(subjectID), SubjectType: st, Access: access,
		Owner: by, Created: s.now()})
	return nil
}

// ShareLink adds an external link share with access to an entry and returns the link's id.
func (s *Server) ShareLink(entryID int, access FileShare) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.st.entry(entryID)
	if e == nil {
		return "", fmt.Errorf("share link: %w", invalid("entry %d does not exist", entryID))
	}
	if access == ShareNone || !validFileShare(int(access)) {
		return "", fmt.Errorf("share link: %w", invalid("access %d", access))
	}
	id := s.newGUID()
	s.st.setShare(Share{EntryID: entryID, SubjectID: id, SubjectType: SubjectExternalLink, Access: access,
		Owner: e.CreatedBy, Created: s.now()})
	return id, nil
}

// AuditEventSpec describes an audit event to seed. Zero values: now, classification from the action.
type AuditEventSpec struct {
	Date     time.Time
	UserID   string // the actor
	Action   MessageAction
	Target   []string
	Context  string
	Text     string // default: derived from the action and Description
	IP       string
	Browser  string
	Platform string
	Page     string
	// Description fills the action text, e.g. the display name of the user concerned.
	Description []string
}

// AddAuditEvent seeds an audit event.
func (s *Server) AddAuditEvent(spec AuditEventSpec) (AuditEvent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if spec.Action <= 0 {
		return AuditEvent{}, fmt.Errorf("add audit event: %w", invalid("action %d", spec.Action))
	}
	if spec.UserID != "" && s.st.anyUser(spec.UserID) == nil {
		return AuditEvent{}, fmt.Errorf("add audit event: %w", invalid("actor %s does not exist", spec.UserID))
	}
	if spec.Date.IsZero() {
		spec.Date = s.now()
	}
	ev := s.writeAudit(auditEntry{at: spec.Date, actorID: strings.ToLower(spec.UserID), action: spec.Action,
		targets: spec.Target, description: spec.Description, context: spec.Context,
		client: clientInfo{ip: spec.IP, browser: spec.Browser, platform: spec.Platform, page: spec.Page}})
	if spec.Text != "" {
		ev.ActionText = spec.Text
	}
	return cloneAudit(ev), nil
}

func cloneAudit(e *AuditEvent) AuditEvent {
	c := *e
	c.Target = slices.Clone(e.Target)
	c.Entries = slices.Clone(e.Entries)
	return c
}

// LoginEventSpec describes a login event to seed. Zero values: now, LoginSuccessViaApi, active.
type LoginEventSpec struct {
	Date     time.Time
	UserID   string
	Action   MessageAction
	IP       string
	Browser  string
	Platform string
	Page     string
	Inactive bool
}

// AddLoginEvent seeds a login event; active ones are live sessions that a status change or logout ends.
func (s *Server) AddLoginEvent(spec LoginEventSpec) (LoginEvent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.user(spec.UserID)
	if u == nil {
		return LoginEvent{}, fmt.Errorf("add login event: %w", invalid("user %s does not exist", spec.UserID))
	}
	if spec.Date.IsZero() {
		spec.Date = s.now()
	}
	return *s.st.addLogin(u, spec), nil
}

// addLogin records a login event of u as spec describes it (spec.UserID is not read); Action 0 becomes
// LoginSuccessViaApi.
func (st *state) addLogin(u *User, spec LoginEventSpec) *LoginEvent {
	if spec.Action == 0 {
		spec.Action = ActionLoginSuccessViaAPI
	}
	l := &LoginEvent{ID: st.nextLoginID, Date: spec.Date, UserID: u.ID, Login: u.Email, Action: spec.Action,
		IP: spec.IP, Browser: spec.Browser, Platform: spec.Platform, Page: spec.Page, Active: !spec.Inactive}
	st.nextLoginID++
	st.logins = append(st.logins, l)
	return l
}
