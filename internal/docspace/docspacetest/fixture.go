package docspacetest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

//go:embed demo.json
var demoFixture []byte

// DemoFixture returns the embedded demo portal: a small company with an owner, an admin service account
// whose key is fixed (a simulator key, safe to print), an archive owner (RoomAdmin), an HR group, employees
// with workspace folders in a "Workspaces" room, rooms they own, shared and unshared My-documents items,
// and audit and login history.
func DemoFixture() []byte {
	out := make([]byte, len(demoFixture))
	copy(out, demoFixture)
	return out
}

// Fixture is the JSON shape LoadFixture reads. Enum fields take DocSpace names ("RoomAdmin", "Read",
// "Terminated", "UsersUpdatedStatus") or numbers.
type Fixture struct {
	Users    []FixtureUser    `json:"users"`
	Groups   []FixtureGroup   `json:"groups"`
	Keys     []FixtureKey     `json:"keys"`
	Rooms    []FixtureRoom    `json:"rooms"`
	Personal []FixturePersona `json:"personal"`
	Audit    []FixtureAudit   `json:"audit"`
	Logins   []FixtureLogin   `json:"logins"`
	// DatesRelativeTo, when set, makes the audit and login dates relative: each
	// is moved by the time between this instant and the simulator's clock at
	// loading, so a fixture's history stays recent (and inside the audit
	// lifetime) whenever it is loaded.
	DatesRelativeTo time.Time `json:"datesRelativeTo,omitzero"`
}

// FixtureUser is a user; type and status are names or numbers.
type FixtureUser struct {
	ID          string    `json:"id"`
	FirstName   string    `json:"firstName"`
	LastName    string    `json:"lastName"`
	UserName    string    `json:"userName"`
	Email       string    `json:"email"`
	Department  string    `json:"department"`
	Type        enumValue `json:"type"`
	Owner       bool      `json:"owner"`
	PeopleAdmin bool      `json:"peopleAdmin"`
	Status      enumValue `json:"status"`
	LDAP        bool      `json:"ldap"`
	SSO         bool      `json:"sso"`
	System      bool      `json:"system"`
	Registered  time.Time `json:"registered"`
}

// FixtureGroup is a group.
type FixtureGroup struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Manager string   `json:"manager"`
	Members []string `json:"members"`
	System  bool     `json:"system"`
}

// FixtureKey is an API key. Admin marks the key Start hands to tests as their admin key.
type FixtureKey struct {
	Owner       string    `json:"owner"`
	Name        string    `json:"name"`
	Secret      string    `json:"secret"`
	Permissions []string  `json:"permissions"`
	ExpiresAt   time.Time `json:"expiresAt"`
	Inactive    bool      `json:"inactive"`
	Admin       bool      `json:"admin"`
}

// FixtureRoom is a room with its members and content.
type FixtureRoom struct {
	ID       int             `json:"id"`
	Title    string          `json:"title"`
	Type     enumValue       `json:"type"`
	Owner    string          `json:"owner"`
	Private  bool            `json:"private"`
	Archived bool            `json:"archived"`
	Members  []FixtureShare  `json:"members"`
	Folders  []FixtureFolder `json:"folders"`
	Files    []FixtureFile   `json:"files"`
}

// FixturePersona is one user's My documents content.
type FixturePersona struct {
	User    string          `json:"user"`
	Folders []FixtureFolder `json:"folders"`
	Files   []FixtureFile   `json:"files"`
}

// FixtureFolder is a folder; CreatedBy defaults to the enclosing owner.
type FixtureFolder struct {
	ID        int             `json:"id"`
	Title     string          `json:"title"`
	CreatedBy string          `json:"createdBy"`
	Shares    []FixtureShare  `json:"shares"`
	Links     []enumValue     `json:"links"`
	Folders   []FixtureFolder `json:"folders"`
	Files     []FixtureFile   `json:"files"`
}

// FixtureFile is a file with text content.
type FixtureFile struct {
	ID        int            `json:"id"`
	Title     string         `json:"title"`
	CreatedBy string         `json:"createdBy"`
	Content   string         `json:"content"`
	Shares    []FixtureShare `json:"shares"`
	Links     []enumValue    `json:"links"`
}

// FixtureShare gives a user or group access.
type FixtureShare struct {
	Subject string    `json:"subject"`
	Access  enumValue `json:"access"`
}

// FixtureAudit is an audit event.
type FixtureAudit struct {
	Date        time.Time `json:"date"`
	User        string    `json:"user"`
	Action      enumValue `json:"action"`
	Target      []string  `json:"target"`
	Description []string  `json:"description"`
	Context     string    `json:"context"`
	IP          string    `json:"ip"`
	Browser     string    `json:"browser"`
	Platform    string    `json:"platform"`
	Page        string    `json:"page"`
}

// FixtureLogin is a login event.
type FixtureLogin struct {
	Date     time.Time `json:"date"`
	User     string    `json:"user"`
	Action   enumValue `json:"action"`
	IP       string    `json:"ip"`
	Browser  string    `json:"browser"`
	Platform string    `json:"platform"`
	Page     string    `json:"page"`
	Inactive bool      `json:"inactive"`
}

// enumValue is a fixture enum: a JSON number or a name.
type enumValue string

// UnmarshalJSON keeps numbers and strings as text.
func (v *enumValue) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*v = enumValue(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("enum value: %w", err)
	}
	*v = enumValue(n.String())
	return nil
}

func (v enumValue) resolve(what string, names map[string]int) (int, error) {
	if v == "" {
		return 0, nil
	}
	if n, err := strconv.Atoi(string(v)); err == nil {
		return n, nil
	}
	if n, ok := names[strings.ToLower(string(v))]; ok {
		return n, nil
	}
	return 0, invalid("unknown %s %q", what, v)
}

// LoadFixture adds the portal described by the JSON in r (see Fixture) to the server's state. It returns
// the secret of the key marked admin, if any. On error the state may be partly loaded.
func (s *Server) LoadFixture(r io.Reader) (adminKey string, err error) {
	var f Fixture
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return "", fmt.Errorf("load fixture: decode: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	adminKey, err = s.loadFixture(&f)
	if err != nil {
		return "", fmt.Errorf("load fixture: %w", err)
	}
	return adminKey, nil
}

func (s *Server) loadFixture(f *Fixture) (string, error) {
	var shift time.Duration
	if !f.DatesRelativeTo.IsZero() {
		shift = s.now().Sub(f.DatesRelativeTo)
	}
	statuses := userStatusNames()
	types := lowerNameMap(employeeTypeNames())
	shares := lowerNameMap(fileShareNames())
	roomTypes := map[string]int{"fillingformsroom": 1, "fillingforms": 1, "editingroom": 2, "editing": 2,
		"collaboration": 2, "customroom": 5, "custom": 5, "publicroom": 6, "public": 6, "virtualdataroom": 8,
		"virtualdata": 8, "airoom": 9, "ai": 9}
	// The owner goes first so that everyone else gets CreatedBy.
	ordered := make([]FixtureUser, 0, len(f.Users))
	for _, u := range f.Users {
		if u.Owner {
			ordered = append(ordered, u)
		}
	}
	for _, u := range f.Users {
		if !u.Owner {
			ordered = append(ordered, u)
		}
	}
	for _, fu := range ordered {
		t, err := fu.Type.resolve("user type", types)
		if err != nil {
			return "", err
		}
		st, err := fu.Status.resolve("user status", statuses)
		if err != nil {
			return "", err
		}
		if _, err := s.addUser(UserSpec{ID: fu.ID, FirstName: fu.FirstName, LastName: fu.LastName,
			UserName: fu.UserName, Email: fu.Email, Department: fu.Department, Type: EmployeeType(t),
			Owner: fu.Owner, PeopleAdmin: fu.PeopleAdmin, Status: UserStatus(st), LDAP: fu.LDAP, SSO: fu.SSO,
			System: fu.System, Registered: fu.Registered}); err != nil {
			return "", fmt.Errorf("user %s: %w", fu.ID, err)
		}
	}
	for _, fg := range f.Groups {
		if _, err := s.addGroup(GroupSpec{ID: fg.ID, Name: fg.Name, ManagerID: fg.Manager, Members: fg.Members,
			System: fg.System}); err != nil {
			return "", fmt.Errorf("group %s: %w", fg.Name, err)
		}
	}
	adminKey := ""
	for _, fk := range f.Keys {
		k, err := s.addKey(KeySpec{OwnerID: fk.Owner, Name: fk.Name, Secret: fk.Secret,
			Permissions: fk.Permissions, ExpiresAt: fk.ExpiresAt, Inactive: fk.Inactive})
		if err != nil {
			return "", fmt.Errorf("key %s: %w", fk.Name, err)
		}
		if fk.Admin {
			adminKey = k.Secret
		}
	}
	loadShares := func(entryID int, list []FixtureShare, links []enumValue, by string) error {
		for _, sh := range list {
			a, err := sh.Access.resolve("access", shares)
			if err != nil {
				return err
			}
			if err := s.share(entryID, sh.Subject, FileShare(a), by); err != nil {
				return err
			}
		}
		for _, l := range links {
			a, err := l.resolve("access", shares)
			if err != nil {
				return err
			}
			s.st.setShare(Share{EntryID: entryID, SubjectID: s.newGUID(), SubjectType: SubjectExternalLink,
				Access: FileShare(a), Owner: by, Created: s.now()})
		}
		return nil
	}
	var loadTree func(parent int, owner string, folders []FixtureFolder, files []FixtureFile) error
	loadTree = func(parent int, owner string, folders []FixtureFolder, files []FixtureFile) error {
		for _, ff := range folders {
			by := ff.CreatedBy
			if by == "" {
				by = owner
			}
			e, err := s.addEntry(EntrySpec{ID: ff.ID, ParentID: parent, Title: ff.Title, CreatedBy: by})
			if err != nil {
				return fmt.Errorf("folder %q: %w", ff.Title, err)
			}
			if err := loadShares(e.ID, ff.Shares, ff.Links, by); err != nil {
				return fmt.Errorf("folder %q: %w", ff.Title, err)
			}
			if err := loadTree(e.ID, by, ff.Folders, ff.Files); err != nil {
				return err
			}
		}
		for _, fl := range files {
			by := fl.CreatedBy
			if by == "" {
				by = owner
			}
			e, err := s.addEntry(EntrySpec{ID: fl.ID, ParentID: parent, Title: fl.Title, CreatedBy: by, File: true,
				Content: []byte(fl.Content)})
			if err != nil {
				return fmt.Errorf("file %q: %w", fl.Title, err)
			}
			if err := loadShares(e.ID, fl.Shares, fl.Links, by); err != nil {
				return fmt.Errorf("file %q: %w", fl.Title, err)
			}
		}
		return nil
	}
	for _, fr := range f.Rooms {
		rt, err := fr.Type.resolve("room type", roomTypes)
		if err != nil {
			return "", err
		}
		var members []Member
		for _, m := range fr.Members {
			a, err := m.Access.resolve("access", shares)
			if err != nil {
				return "", err
			}
			members = append(members, Member{SubjectID: m.Subject, Access: FileShare(a)})
		}
		room, err := s.addRoom(RoomSpec{ID: fr.ID, Title: fr.Title, Type: RoomType(rt), OwnerID: fr.Owner,
			Private: fr.Private, Archived: fr.Archived, Members: members})
		if err != nil {
			return "", fmt.Errorf("room %q: %w", fr.Title, err)
		}
		if err := loadTree(room.ID, fr.Owner, fr.Folders, fr.Files); err != nil {
			return "", fmt.Errorf("room %q: %w", fr.Title, err)
		}
	}
	for _, p := range f.Personal {
		u := s.st.user(p.User)
		if u == nil || u.MyDocumentsID == 0 {
			return "", invalid("personal content of %s, who has no My documents", p.User)
		}
		if err := loadTree(u.MyDocumentsID, u.ID, p.Folders, p.Files); err != nil {
			return "", fmt.Errorf("my documents of %s: %w", p.User, err)
		}
	}
	for _, fa := range f.Audit {
		a, err := fa.Action.resolve("action", s.actionNames)
		if err != nil {
			return "", err
		}
		if a <= 0 {
			return "", invalid("audit event without action")
		}
		date := fa.Date.Add(shift)
		if fa.Date.IsZero() {
			date = s.now()
		}
		s.writeAudit(auditEntry{at: date, actorID: strings.ToLower(fa.User), action: MessageAction(a),
			targets: fa.Target, description: fa.Description, context: fa.Context,
			client: clientInfo{ip: fa.IP, browser: fa.Browser, platform: fa.Platform, page: fa.Page}})
	}
	for _, fl := range f.Logins {
		a, err := fl.Action.resolve("action", s.actionNames)
		if err != nil {
			return "", err
		}
		u := s.st.user(fl.User)
		if u == nil {
			return "", invalid("login of unknown user %s", fl.User)
		}
		date := fl.Date.Add(shift)
		if fl.Date.IsZero() {
			date = s.now()
		}
		s.st.addLogin(u, LoginEventSpec{Date: date, Action: MessageAction(a), IP: fl.IP, Browser: fl.Browser,
			Platform: fl.Platform, Page: fl.Page, Inactive: fl.Inactive})
	}
	return adminKey, nil
}
