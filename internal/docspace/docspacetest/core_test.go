package docspacetest

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func newServer(t *testing.T, o Options) *Server {
	t.Helper()
	s, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

func TestNewValidatesOptions(t *testing.T) {
	t.Parallel()
	for name, o := range map[string]Options{
		"negative duration": {ReassignDuration: -time.Second},
		"negative workers":  {PeopleJobWorkers: -1},
		"negative limit":    {RateLimits: RateLimits{Requests: -1}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := New(o); err == nil {
				t.Error("New accepted invalid options")
			}
		})
	}
}

func TestRouter(t *testing.T) {
	t.Parallel()
	s := newServer(t, Options{})
	cases := []struct {
		method, path string
		wantOp       string
		wantMismatch bool
	}{
		{"GET", "/api/2.0/people/@self", "getSelfProfile", false},
		{"GET", "/api/2.0/people/email", "getProfileByEmail", false},
		{"GET", "/api/2.0/people/jane", "getProfileByUserId", false},
		{"GET", "/Api/2.0/PEOPLE/Reassign/Progress/C0000000-0000-4000-8000-000000000001", "getReassignProgress", false},
		{"GET", "/api/2.0/people/reassign/progress/{c0000000-0000-4000-8000-000000000001}", "getReassignProgress", false},
		{"GET", "/api/2.0/people/reassign/progress/c0000000000040008000000000000001", "getReassignProgress", false},
		{"GET", "/api/2.0/people/reassign/progress/jane", "", false},
		{"PUT", "/api/2.0/people/status/Terminated", "updateUserStatus", false},
		{"POST", "/api/2.0/people/@self", "", true},
		{"GET", "/api/2.0/people/a/b/c/d", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			m := s.match(tc.method, tc.path)
			got := ""
			if m.route != nil {
				got = m.route.operationID
			}
			if got != tc.wantOp || m.methodMismatch != tc.wantMismatch {
				t.Errorf("match = %q mismatch %v, want %q %v", got, m.methodMismatch, tc.wantOp, tc.wantMismatch)
			}
		})
	}
	t.Run("typed params come lower-cased", func(t *testing.T) {
		m := s.match("GET", "/api/2.0/group/D0000000-0000-4000-8000-000000000001")
		if got := m.params["id"]; got != groupHR {
			t.Errorf("id = %q", got)
		}
	})
	t.Run("405 and 404 have empty bodies", func(t *testing.T) {
		for path, want := range map[string]int{"/api/2.0/people/@self": http.StatusMethodNotAllowed, "/other": http.StatusNotFound} {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, nil))
			if rec.Code != want || rec.Body.Len() != 0 {
				t.Errorf("POST %s = %d %q, want %d and no body", path, rec.Code, rec.Body, want)
			}
		}
	})
}

func TestLoadFixture(t *testing.T) {
	t.Parallel()
	t.Run("portal", func(t *testing.T) {
		s := newServer(t, Options{})
		admin, err := s.LoadFixture(bytes.NewReader(portalFixture(t)))
		if err != nil {
			t.Fatalf("LoadFixture: %v", err)
		}
		if admin != keyAdmin {
			t.Errorf("admin key = %s", admin)
		}
		leaver, _ := s.User(idLeaver)
		if leaver.Type != TypeRoomAdmin || leaver.MyDocumentsID == 0 || leaver.CreatedBy != idOwner {
			t.Errorf("leaver = %+v", leaver)
		}
		if g, _ := s.User(idGuest); g.MyDocumentsID != 0 {
			t.Error("guest has My documents")
		}
		if got := s.Path(602); !cmp.Equal(got, []string{"My documents", "Shared folder", "Nested shared"}) {
			t.Errorf("path = %v", got)
		}
		room, _ := s.Entry(520)
		if !room.IsRoom() || room.ParentID != s.ArchiveFolderID() || room.FolderType != FolderCustomRoom {
			t.Errorf("archived room = %+v", room)
		}
		if f, _ := s.Entry(502); string(f.Content()) != "work" || f.Version() != 1 || f.Ext() != ".docx" {
			t.Errorf("file = %+v", f)
		}
		if len(s.Shares(612)) != 1 || s.Shares(612)[0].SubjectType != SubjectExternalLink {
			t.Errorf("link share = %+v", s.Shares(612))
		}
		if n := len(s.AuditEvents(AuditQuery{})); n != 5 {
			t.Errorf("%d audit events", n)
		}
		if n := len(s.LoginEvents(idLeaver)); n != 2 {
			t.Errorf("%d logins", n)
		}
	})
	t.Run("demo", func(t *testing.T) {
		s := newServer(t, Options{})
		admin, err := s.LoadFixture(bytes.NewReader(DemoFixture()))
		if err != nil || admin == "" {
			t.Fatalf("LoadFixture(demo) = %q, %v", admin, err)
		}
		if n := len(s.Children(1000)); n != 9 {
			t.Errorf("Workspaces room has %d folders, want 9", n)
		}
	})
	t.Run("errors", func(t *testing.T) {
		cases := map[string]string{
			"unknown field":  `{"userz":[]}`,
			"bad enum":       `{"users":[{"id":"` + idOwner + `","firstName":"A","type":"Boss"}]}`,
			"duplicate user": `{"users":[{"id":"` + idOwner + `","firstName":"A"},{"id":"` + idOwner + `","firstName":"B"}]}`,
			"two owners":     `{"users":[{"firstName":"A","owner":true},{"firstName":"B","owner":true}]}`,
			"bad member":     `{"groups":[{"name":"G","members":["` + idUnknown + `"]}]}`,
			"room owner":     `{"rooms":[{"title":"R","owner":"` + idUnknown + `"}]}`,
			"not json":       `{`,
		}
		for name, in := range cases {
			t.Run(name, func(t *testing.T) {
				s := newServer(t, Options{})
				if _, err := s.LoadFixture(strings.NewReader(in)); err == nil {
					t.Error("LoadFixture accepted it")
				}
			})
		}
	})
}

func TestBuilders(t *testing.T) {
	t.Parallel()
	s := newServer(t, Options{})
	owner := Must(s.AddUser(UserSpec{FirstName: "O", LastName: "Wner", Owner: true}))(t)
	if owner.Type != TypeDocSpaceAdmin || owner.Status != StatusActive || owner.UserName != "o.wner" {
		t.Errorf("owner = %+v", owner)
	}
	u := Must(s.AddUser(UserSpec{FirstName: "U", LastName: "Ser", Type: TypeRoomAdmin}))(t)

	invalid := []struct {
		name string
		err  error
	}{
		{"user without name", func() error { _, err := s.AddUser(UserSpec{}); return err }()},
		{"user bad id", func() error { _, err := s.AddUser(UserSpec{ID: "x", FirstName: "A"}); return err }()},
		{"second owner", func() error { _, err := s.AddUser(UserSpec{FirstName: "B", Owner: true}); return err }()},
		{"taken email", func() error { _, err := s.AddUser(UserSpec{FirstName: "C", Email: u.Email}); return err }()},
		{"group manager", func() error { _, err := s.AddGroup(GroupSpec{Name: "G", ManagerID: idUnknown}); return err }()},
		{"key owner", func() error { _, err := s.AddKey(idUnknown); return err }()},
		{"key scope", func() error { _, err := s.AddKey(u.ID, "everything"); return err }()},
		{"key secret", func() error { _, err := s.AddKeySpec(KeySpec{OwnerID: u.ID, Secret: "sk-1"}); return err }()},
		{"room type", func() error { _, err := s.AddRoom(RoomSpec{Title: "R", OwnerID: u.ID, Type: 3}); return err }()},
		{"folder in Rooms", func() error { _, err := s.AddFolder(s.RoomsFolderID(), "F", u.ID); return err }()},
		{"folder parent", func() error { _, err := s.AddFolder(9999, "F", u.ID); return err }()},
		{"share subject", func() error { return s.Share(u.MyDocumentsID, idUnknown, ShareRead) }()},
		{"audit action", func() error { _, err := s.AddAuditEvent(AuditEventSpec{}); return err }()},
		{"login user", func() error { _, err := s.AddLoginEvent(LoginEventSpec{UserID: idUnknown}); return err }()},
		{"webhook trigger", func() error {
			_, err := s.AddWebhook(WebhookSpec{URL: "http://x", Triggers: []string{"x"}})
			return err
		}()},
	}
	for _, tc := range invalid {
		if !errors.Is(tc.err, ErrInvalidSpec) {
			t.Errorf("%s: err = %v, want ErrInvalidSpec", tc.name, tc.err)
		}
	}

	room := Must(s.AddRoom(RoomSpec{Title: "R", OwnerID: u.ID, Members: []Member{{SubjectID: owner.ID, Access: ShareRead}}}))(t)
	folder := Must(s.AddFolder(room.ID, "F", u.ID))(t)
	file := Must(s.AddFile(folder.ID, "a.txt", u.ID, []byte("hi")))(t)
	link := Must(s.ShareLink(file.ID, ShareRead))(t)
	if got := s.Children(folder.ID); len(got) != 1 || got[0].ID != file.ID {
		t.Errorf("children = %+v", got)
	}
	if m := s.RoomMembers(room.ID); len(m) != 1 || m[0].Access != ShareRead {
		t.Errorf("members = %+v", m)
	}
	if sh := s.Shares(file.ID); len(sh) != 1 || sh[0].SubjectID != link {
		t.Errorf("shares = %+v", sh)
	}
	if err := s.Share(room.ID, owner.ID, ShareNone); err != nil || len(s.RoomMembers(room.ID)) != 0 {
		t.Errorf("removing a member: %v, %+v", err, s.RoomMembers(room.ID))
	}
	t.Run("inspection returns copies", func(t *testing.T) {
		e, _ := s.Entry(file.ID)
		e.Versions[0].Content[0] = 'X'
		e.Title = "changed"
		again, _ := s.Entry(file.ID)
		if again.Title != "a.txt" || string(again.Content()) != "hi" {
			t.Errorf("state changed through a copy: %+v", again)
		}
	})
}

func TestRecording(t *testing.T) {
	t.Parallel()
	ts, _ := startPortal(t)
	a := ts.as(t, keyAdmin)
	wantStatus(t, a.get("/api/2.0/people/@self"), http.StatusOK)
	disable(t, ts, idLeaver)
	disable(t, ts, idLeaver)
	wantEmpty(t, ts.as(t, keyUser).req(http.MethodPut, "/api/2.0/people/status/2", statusBody(idLeaver), "Authorization", "Bearer nope"), http.StatusUnauthorized)
	calls := ts.Calls()
	if len(calls) != 4 {
		t.Fatalf("%d calls, want 4", len(calls))
	}
	want := Call{Method: "GET", Path: "/api/2.0/people/@self", OperationID: "getSelfProfile", Status: 200, UserID: idAdmin, Handled: true}
	got := calls[0]
	got.Time = time.Time{}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("first call (-want +got):\n%s", diff)
	}
	if n := ts.MutationCount("updateUserStatus"); n != 2 {
		t.Errorf("MutationCount = %d, want 2 (the 401 never reached the handler)", n)
	}
	if diff := cmp.Diff(map[string]int{"updateUserStatus": 2}, ts.MutatingCalls()); diff != "" {
		t.Errorf("MutatingCalls (-want +got):\n%s", diff)
	}
	ts.ResetCalls()
	if len(ts.Calls()) != 0 {
		t.Error("ResetCalls kept calls")
	}
}

func TestStats(t *testing.T) {
	t.Parallel()
	ts, clock := startPortal(t)
	for range 3 {
		wantStatus(t, getSelf(t, ts, keyAdmin), http.StatusOK)
	}
	clock.Advance(2 * time.Minute)
	wantStatus(t, getSelf(t, ts, keyAdmin), http.StatusOK)
	disable(t, ts, idLeaver)
	st := ts.UserStats(idAdmin)
	want := UserStats{Requests: 4, MaxInFlightReads: 1, MaxInWindow: 3}
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("admin stats (-want +got):\n%s", diff)
	}
	if ow := ts.Stats().Users[idOwner]; ow.Writes != 1 || ow.MaxInFlightWrites != 1 {
		t.Errorf("owner stats = %+v", ow)
	}
}

func TestManualClockDrivesJobs(t *testing.T) {
	t.Parallel()
	clock := NewManualClock(t0())
	s := newServer(t, Options{Now: clock.Now})
	var ran []time.Time
	s.mu.Lock()
	j := s.startJob(clock.Now(), jobSpec{duration: 4 * time.Second, initial: TaskCreated, retention: time.Second,
		steps: []jobStep{{percent: 50, run: func(at time.Time) error { ran = append(ran, at); return nil }}, {percent: 100}}})
	s.mu.Unlock()
	check := func(wantPercent int, wantStatus TaskStatus, wantDone bool) {
		t.Helper()
		s.Advance()
		s.mu.Lock()
		defer s.mu.Unlock()
		if j.percent != wantPercent || j.status != wantStatus || j.done != wantDone {
			t.Errorf("job = %d%% %d done %v, want %d%% %d %v", j.percent, j.status, j.done, wantPercent, wantStatus, wantDone)
		}
	}
	check(0, TaskCreated, false)
	clock.Advance(2 * time.Second)
	check(50, TaskRunning, false)
	clock.Advance(10 * time.Second)
	check(100, TaskCompleted, true)
	if len(ran) != 1 || !ran[0].Equal(t0().Add(2*time.Second)) {
		t.Errorf("step ran at %v, want once at its due time", ran)
	}
	s.mu.Lock()
	n := len(s.st.jobs)
	s.mu.Unlock()
	if n != 0 {
		t.Errorf("%d jobs kept past retention", n)
	}
	t.Run("a failing step fails the job", func(t *testing.T) {
		s.mu.Lock()
		j := s.startJob(clock.Now(), jobSpec{duration: time.Second, initial: TaskRunning,
			steps: []jobStep{{percent: 10, run: func(time.Time) error { return jobFailure("boom") }}, {percent: 100}}})
		s.mu.Unlock()
		clock.Advance(time.Second)
		s.Advance()
		s.mu.Lock()
		defer s.mu.Unlock()
		if j.status != TaskFailed || j.err != "boom" || !j.done {
			t.Errorf("job = %+v", j)
		}
	})
}

func TestStartEmptyPortal(t *testing.T) {
	t.Parallel()
	ts := Start(t, WithFixture(nil))
	var u userJSON
	ts.as(t, ts.AdminKey).get("/api/2.0/people/@self").into(t, &u)
	if !u.IsAdmin || u.IsOwner {
		t.Errorf("admin = %+v, want a DocSpace admin who is not the owner", u)
	}
}

func TestProfileLookups(t *testing.T) {
	t.Parallel()
	ts, _ := startPortal(t)
	a := ts.as(t, keyAdmin)
	ts.Spec.ExpectInvalidRequest("getProfileByEmail") // the padded address is trimmed by DocSpace
	var u userJSON
	a.get("/api/2.0/people/email?email=%20JANE@test.example%20").into(t, &u)
	if u.ID != idLeaver {
		t.Errorf("by email = %s", u.ID)
	}
	wantError(t, a.get("/api/2.0/people/email?email=nobody@test.example"), http.StatusNotFound, "The user could not be found")
	wantStatus(t, a.get("/api/2.0/people/email"), http.StatusBadRequest)
	wantError(t, ts.as(t, keyGuest).get("/api/2.0/people/"+idUser), http.StatusForbidden, "Access denied")
	u = userJSON{}
	ts.as(t, keyUser).get("/api/2.0/people/"+idLeaver).into(t, &u)
	if len(u.Groups) != 0 {
		t.Errorf("a plain user sees another user's groups: %+v", u.Groups)
	}
	a.get("/api/2.0/people/"+idLeaver).into(t, &u)
	if len(u.Groups) != 2 {
		t.Errorf("admin sees groups %+v, want the two regular ones", u.Groups)
	}
}

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	ts := Start(t, WithFixture(portalFixture(t)), WithoutValidation())
	a := ts.as(t, keyAdmin)
	r := a.req(http.MethodPost, "/api/2.0/keys", map[string]any{"name": "ci", "permissions": []string{"accounts:read"}})
	var k struct {
		ID          string   `json:"id"`
		Key         string   `json:"key"`
		KeyPostfix  string   `json:"keyPostfix"`
		Permissions []string `json:"permissions"`
	}
	r.into(t, &k)
	if !isAPIKey(k.Key) || !strings.HasSuffix(k.Key, k.KeyPostfix) {
		t.Fatalf("created key = %+v", k)
	}
	wantStatus(t, ts.as(t, k.Key).get("/api/2.0/people/"+idUser), http.StatusOK)
	wantError(t, a.req(http.MethodPost, "/api/2.0/keys", map[string]any{"name": "x", "permissions": []string{"root"}}),
		http.StatusBadRequest, "Permissions are not valid.")
	wantValidation(t, a.req(http.MethodPost, "/api/2.0/keys", map[string]any{"name": strings.Repeat("n", 31)}), "Name")
	wantError(t, ts.as(t, keyGuest).req(http.MethodPost, "/api/2.0/keys", map[string]any{"name": "g"}), http.StatusForbidden, "Access denied")

	var perms []string
	a.get("/api/2.0/keys/permissions").into(t, &perms)
	want := []string{"*:read", "*:write", "accounts.self:read", "accounts.self:write", "accounts:read", "accounts:write",
		"files:read", "files:write", "rooms:read", "rooms:write"}
	if diff := cmp.Diff(want, perms); diff != "" {
		t.Errorf("permissions (-want +got):\n%s", diff)
	}
	var mine []struct {
		Name string `json:"name"`
	}
	ts.as(t, keyUser).get("/api/2.0/keys").into(t, &mine)
	if len(mine) != 1 || mine[0].Name != "user" {
		t.Errorf("user's keys = %+v", mine)
	}

	var ok bool
	a.req(http.MethodPut, "/api/2.0/keys/"+k.ID, map[string]any{"isActive": false}).into(t, &ok)
	if !ok {
		t.Error("update returned false")
	}
	wantEmpty(t, ts.as(t, k.Key).get("/api/2.0/people/@self"), http.StatusUnauthorized)
	ts.as(t, keyUser).req(http.MethodDelete, "/api/2.0/keys/"+k.ID, nil).into(t, &ok)
	if ok {
		t.Error("a user deleted an admin's key")
	}
	a.req(http.MethodDelete, "/api/2.0/keys/"+k.ID, nil).into(t, &ok)
	if !ok || len(ts.Keys(idAdmin)) != 7 {
		t.Errorf("delete = %v, admin keys %d", ok, len(ts.Keys(idAdmin)))
	}
	wantStatus(t, a.req(http.MethodDelete, "/api/2.0/keys/"+idUnknown, nil), http.StatusInternalServerError)
	for _, action := range []MessageAction{ActionAPIKeyCreated, ActionAPIKeyUpdated, ActionAPIKeyDeleted} {
		if n := len(ts.AuditEvents(AuditQuery{Action: action, Target: k.ID})); n != 1 {
			t.Errorf("%d audit events %d", n, action)
		}
	}
}
