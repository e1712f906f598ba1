package docspace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const (
	testKey   = "sk-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	leaverID  = "2d5c1c1e-8f3a-4c6e-9d3b-1a2b3c4d5e6f"
	ownerID   = "11111111-2222-3333-4444-555555555555"
	groupID   = "7b0f8a52-0e7c-4d0e-9a47-3c3a55f1b0c1"
	pathBase  = "/portal/api/2.0/"
	opID1     = "c0a8d7a4-5e7e-4b7b-9a51-0f4f3f1d2a10"
	jsonCType = "application/json"
)

// seen is one request as the test server received it.
type seen struct {
	Method, Path, Query, Auth, Accept, UserAgent, ContentType string
	Body                                                      []byte
}

// testServer answers with replies in order (the last one repeats) and
// records the requests. It is a transport fixture, not a DocSpace.
type testServer struct {
	t       *testing.T
	mu      sync.Mutex
	reqs    []seen
	replies []reply
	srv     *httptest.Server
}

type reply struct {
	status int
	header map[string]string
	body   string
	// block makes the handler wait until the request is abandoned.
	block bool
}

func ok(payload string) reply {
	if payload == "" {
		return reply{status: 200, body: `{"count":0,"links":[],"status":0,"statusCode":200}`}
	}
	return reply{status: 200, body: `{"response":` + payload + `,"count":1,"links":[],"status":0,"statusCode":200}`}
}

func newTestServer(t *testing.T, replies ...reply) *testServer {
	t.Helper()
	ts := &testServer{t: t, replies: replies}
	ts.srv = httptest.NewServer(http.HandlerFunc(ts.serve))
	t.Cleanup(ts.srv.Close)
	return ts
}

func (ts *testServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	ts.mu.Lock()
	ts.reqs = append(ts.reqs, seen{
		Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Auth: r.Header.Get("Authorization"),
		Accept: r.Header.Get("Accept"), UserAgent: r.Header.Get("User-Agent"), ContentType: r.Header.Get("Content-Type"), Body: body,
	})
	rep := ts.replies[min(len(ts.reqs), len(ts.replies))-1]
	ts.mu.Unlock()
	if rep.block {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
		return
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(rep.status)
	_, _ = io.WriteString(w, rep.body)
}

func (ts *testServer) requests() []seen {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]seen(nil), ts.reqs...)
}

// client returns a Client for the server, under a path prefix, whose retry
// waits are recorded instead of slept.
func (ts *testServer) client(mod ...func(*Options)) (*Client, *[]time.Duration) {
	ts.t.Helper()
	o := Options{BaseURL: ts.srv.URL + "/portal/", APIKey: NewSecret(testKey), UserAgent: "offboarding-test"}
	for _, m := range mod {
		m(&o)
	}
	c, err := New(o)
	if err != nil {
		ts.t.Fatalf("New: %v", err)
	}
	var mu sync.Mutex
	waits := &[]time.Duration{}
	c.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		*waits = append(*waits, d)
		mu.Unlock()
		return ctx.Err()
	}
	return c, waits
}

func jsonEqual(t *testing.T, got []byte, want string) {
	t.Helper()
	if want == "" {
		if len(got) != 0 {
			t.Errorf("body = %s, want none", got)
		}
		return
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("request body %q is not JSON: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %q is not JSON: %v", want, err)
	}
	if diff := cmp.Diff(g, w); diff != "" {
		t.Errorf("request body (-got +want):\n%s", diff)
	}
}

func TestRequestShapes(t *testing.T) {
	t.Parallel()
	from := time.Date(2026, 3, 2, 12, 0, 0, 0, time.FixedZone("", 2*3600))
	to := time.Date(2026, 3, 3, 10, 0, 0, 500, time.UTC)
	user := `{"id":"` + leaverID + `","status":2}`
	folder := `{"id":7,"title":"Jane","parentId":42}`
	room := `{"id":42,"title":"Archive","roomType":5}`
	op := `{"id":"` + opID1 + `","Operation":0,"progress":0,"error":"","processed":"0","finished":false,"status":0}`
	task := `{"id":"1_` + leaverID + `_ReassignProgressItem","percentage":0,"isCompleted":false,"status":1}`
	tests := []struct {
		name      string
		reply     reply
		call      func(context.Context, *Client) (any, error)
		method    string
		path      string
		query     string
		body      string
		want      any
		multipart bool
	}{
		{
			name: "Self", reply: ok(user), method: "GET", path: "people/@self",
			call: func(ctx context.Context, c *Client) (any, error) { return c.Self(ctx) },
			want: &User{ID: leaverID, Status: UserStatusTerminated},
		},
		{
			name: "User", reply: ok(user), method: "GET", path: "people/" + leaverID,
			call: func(ctx context.Context, c *Client) (any, error) { return c.User(ctx, leaverID) },
			want: &User{ID: leaverID, Status: UserStatusTerminated},
		},
		{
			name: "UserByEmail", reply: ok(user), method: "GET", path: "people/email", query: "email=jane%40acme.com",
			call: func(ctx context.Context, c *Client) (any, error) { return c.UserByEmail(ctx, " jane@acme.com ") },
			want: &User{ID: leaverID, Status: UserStatusTerminated},
		},
		{
			name: "SetUserStatus", reply: ok("[" + user + "]"), method: "PUT", path: "people/status/2", body: `{"userIds":["` + leaverID + `"]}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SetUserStatus(ctx, UserStatusTerminated, leaverID)
			},
			want: []User{{ID: leaverID, Status: UserStatusTerminated}},
		},
		{
			name: "LogoutAllSessions", reply: ok(""), method: "PUT", path: "security/activeconnections/logoutall/" + leaverID,
			call: func(ctx context.Context, c *Client) (any, error) { return nil, c.LogoutAllSessions(ctx, leaverID) },
		},
		{
			name: "ReassignNecessary", reply: ok("true"), method: "GET", path: "people/reassign/necessary", query: "Type=4&UserId=" + leaverID,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ReassignNecessary(ctx, leaverID, EmployeeTypeUser)
			},
			want: true,
		},
		{
			name: "StartReassign", reply: ok(task), method: "POST", path: "people/reassign/start",
			body: `{"fromUserId":"` + leaverID + `","toUserId":"` + ownerID + `","deleteProfile":false}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.StartReassign(ctx, leaverID, ownerID, false)
			},
			want: &TaskProgress{ID: "1_" + leaverID + "_ReassignProgressItem", Status: TaskRunning},
		},
		{
			name: "ReassignProgress", reply: ok(task), method: "GET", path: "people/reassign/progress/" + leaverID,
			call: func(ctx context.Context, c *Client) (any, error) { return c.ReassignProgress(ctx, leaverID) },
			want: &TaskProgress{ID: "1_" + leaverID + "_ReassignProgressItem", Status: TaskRunning},
		},
		{
			name: "TerminateReassign", reply: ok(`{"id":"j","percentage":30,"isCompleted":true,"status":3}`), method: "PUT",
			path: "people/reassign/terminate", body: `{"userId":"` + leaverID + `"}`,
			call: func(ctx context.Context, c *Client) (any, error) { return c.TerminateReassign(ctx, leaverID) },
			want: &TaskProgress{ID: "j", Percentage: 30, IsCompleted: true, Status: TaskCanceled},
		},
		{
			name: "UserGroups", reply: ok(`[{"id":"` + groupID + `","name":"HR","manager":"bob"}]`), method: "GET", path: "group/user/" + leaverID,
			call: func(ctx context.Context, c *Client) (any, error) { return c.UserGroups(ctx, leaverID) },
			want: []GroupSummary{{ID: groupID, Name: "HR", Manager: "bob"}},
		},
		{
			name: "Group", reply: ok(`{"id":"` + groupID + `","name":"HR","members":[` + user + `]}`), method: "GET", path: "group/" + groupID, query: "includeMembers=true",
			call: func(ctx context.Context, c *Client) (any, error) { return c.Group(ctx, groupID) },
			want: &Group{ID: groupID, Name: "HR", Members: []User{{ID: leaverID, Status: UserStatusTerminated}}},
		},
		{
			name: "RemoveGroupMembers", reply: ok(`{"id":"` + groupID + `","name":"HR"}`), method: "DELETE", path: "group/" + groupID + "/members",
			body: `{"members":["` + leaverID + `"]}`,
			call: func(ctx context.Context, c *Client) (any, error) { return c.RemoveGroupMembers(ctx, groupID, leaverID) },
			want: &Group{ID: groupID, Name: "HR"},
		},
		{
			name: "Folder", reply: ok(folder), method: "GET", path: "files/folder/7",
			call: func(ctx context.Context, c *Client) (any, error) { return c.Folder(ctx, 7) },
			want: &Folder{ID: 7, Title: "Jane", ParentID: 42},
		},
		{
			name: "FolderContents", reply: ok(`{"files":[],"folders":[` + folder + `],"current":` + room + `,"startIndex":100,"count":1,"total":101}`),
			method: "GET", path: "files/42", query: "count=50&filterValue=Jane&sortBy=AZ&sortOrder=1&startIndex=100",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.FolderContents(ctx, 42, ListQuery{Count: 50, StartIndex: 100, FilterValue: "Jane", SortBy: "AZ", Descending: true})
			},
			want: &FolderContents{Files: []File{}, Folders: []Folder{{ID: 7, Title: "Jane", ParentID: 42}}, Current: Folder{ID: 42, Title: "Archive", RoomType: RoomTypeCustom}, StartIndex: 100, Count: 1, Total: 101},
		},
		{
			name: "CreateFolder", reply: ok(folder), method: "POST", path: "files/folder/42", body: `{"title":"Jane"}`,
			call: func(ctx context.Context, c *Client) (any, error) { return c.CreateFolder(ctx, 42, "Jane") },
			want: &Folder{ID: 7, Title: "Jane", ParentID: 42},
		},
		{
			name: "Rooms", reply: ok(`{"files":[],"folders":[` + room + `],"current":{"id":14,"title":"Rooms"},"total":1}`),
			method: "GET", path: "files/rooms", query: "count=10&searchArea=1&subjectFilter=0&subjectId=" + leaverID,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Rooms(ctx, RoomQuery{SubjectID: leaverID, SubjectFilter: SubjectFilterOwner, SearchArea: SearchArchive, Count: 10})
			},
			want: &FolderContents{Files: []File{}, Folders: []Folder{{ID: 42, Title: "Archive", RoomType: RoomTypeCustom}}, Current: Folder{ID: 14, Title: "Rooms"}, Total: 1},
		},
		{
			name: "Room", reply: ok(room), method: "GET", path: "files/rooms/42",
			call: func(ctx context.Context, c *Client) (any, error) { return c.Room(ctx, 42) },
			want: &Folder{ID: 42, Title: "Archive", RoomType: RoomTypeCustom},
		},
		{
			name: "CreateRoom", reply: ok(room), method: "POST", path: "files/rooms", body: `{"title":"Archive","roomType":5}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.CreateRoom(ctx, CreateRoom{Title: "Archive", RoomType: RoomTypeCustom})
			},
			want: &Folder{ID: 42, Title: "Archive", RoomType: RoomTypeCustom},
		},
		{
			name: "ShareRoom", reply: ok(`{"members":[{"access":9,"sharedToUser":{"id":"` + ownerID + `"},"subjectType":0,"isOwner":false,"isLocked":false,"canEditAccess":true}],"error":0}`),
			method: "PUT", path: "files/rooms/42/share", body: `{"invitations":[{"id":"` + ownerID + `","access":9},{"id":"` + groupID + `","access":2}],"notify":false}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ShareRoom(ctx, 42, []Invitation{{ID: ownerID, Access: FileShareRoomManager}, {ID: groupID, Access: FileShareRead}}, false)
			},
			want: &RoomSecurity{Members: []Share{{Access: FileShareRoomManager, SharedToUser: &User{ID: ownerID}, CanEditAccess: true}}},
		},
		{
			name: "ArchiveRoom", reply: ok(op), method: "PUT", path: "files/rooms/42/archive", body: `{"deleteAfter":false}`,
			call: func(ctx context.Context, c *Client) (any, error) { return c.ArchiveRoom(ctx, 42) },
			want: &FileOperation{ID: opID1},
		},
		{
			name: "ShareFolder", reply: ok(`[{"access":2,"sharedToGroup":{"id":"` + groupID + `","name":"HR"},"subjectType":2,"isOwner":false,"isLocked":false,"canEditAccess":true}]`),
			method: "PUT", path: "files/folder/7/share", body: `{"share":[{"shareTo":"` + groupID + `","access":2}],"notify":false}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ShareFolder(ctx, 7, []ShareEntry{{ShareTo: groupID, Access: FileShareRead}})
			},
			want: []Share{{Access: FileShareRead, SharedToGroup: &GroupSummary{ID: groupID, Name: "HR"}, SubjectType: SubjectGroup, CanEditAccess: true}},
		},
		{
			name: "Move", reply: ok("[" + op + "]"), method: "PUT", path: "files/fileops/move",
			body: `{"folderIds":[7],"fileIds":[],"destFolderId":42,"conflictResolveType":0,"deleteAfter":false,"content":false,"returnSingleOperation":true}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Move(ctx, MoveRequest{FolderIDs: []int{7}, DestFolderID: 42})
			},
			want: &FileOperation{ID: opID1},
		},
		{
			name: "Operation", reply: ok(`[{"id":"other","progress":50},` + op + `]`), method: "GET", path: "files/fileops", query: "id=" + opID1,
			call: func(ctx context.Context, c *Client) (any, error) { return c.Operation(ctx, opID1) },
			want: &FileOperation{ID: opID1},
		},
		{
			name: "AuditEvents", reply: ok(`[{"id":1,"date":"2026-03-02T10:00:05.0000000Z","userId":"` + ownerID + `","actionId":4020,"target":["` + leaverID + `"],"entries":[23]}]`),
			method: "GET", path: "security/audit/events/filter",
			query: "action=4020&count=100&entryType=23&from=2026-03-02T10%3A00%3A00Z&startIndex=200&target=" + leaverID + "&to=2026-03-03T10%3A00%3A01Z",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.AuditEvents(ctx, AuditFilter{Action: ActionUsersUpdatedStatus, EntryType: EntryTypeUser, Target: leaverID, From: from, To: to, StartIndex: 200})
			},
			want: []AuditEvent{{ID: 1, Date: Time{time.Date(2026, 3, 2, 10, 0, 5, 0, time.UTC)}, UserID: ownerID, ActionID: ActionUsersUpdatedStatus, Target: []string{leaverID}, Entries: []EntryType{EntryTypeUser}}},
		},
		{
			name: "CreateAuditReport", reply: ok(`"https://acme.onlyoffice.com/doceditor?fileid=99"`), method: "POST", path: "security/audit/events/report",
			call: func(ctx context.Context, c *Client) (any, error) { return c.CreateAuditReport(ctx) },
			want: "https://acme.onlyoffice.com/doceditor?fileid=99",
		},
		{
			name: "LoginEvents", reply: ok(`[{"id":3,"date":"2026-03-02T09:00:00.0000000Z","userId":"` + leaverID + `","actionId":1010,"ip":"192.0.2.1"}]`),
			method: "GET", path: "security/audit/login/filter", query: "count=20&userId=" + leaverID,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.LoginEvents(ctx, LoginFilter{UserID: leaverID, Count: 20})
			},
			want: []LoginEvent{{ID: 3, Date: Time{time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}, UserID: leaverID, ActionID: ActionLoginSuccessViaAPI, IP: "192.0.2.1"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, tt.reply)
			c, _ := ts.client()
			got, err := tt.call(context.Background(), c)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			if tt.want != nil {
				if diff := cmp.Diff(got, tt.want, cmp.Comparer(func(a, b Time) bool { return a.Equal(b.Time) })); diff != "" {
					t.Errorf("result (-got +want):\n%s", diff)
				}
			}
			reqs := ts.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != tt.method || r.Path != pathBase+tt.path || r.Query != tt.query {
				t.Errorf("request = %s %s?%s\nwant      %s %s?%s", r.Method, r.Path, r.Query, tt.method, pathBase+tt.path, tt.query)
			}
			if r.Auth != "Bearer "+testKey || r.Accept != jsonCType || r.UserAgent != "offboarding-test" {
				t.Errorf("headers: Authorization %q, Accept %q, User-Agent %q", r.Auth, r.Accept, r.UserAgent)
			}
			wantCType := ""
			if tt.body != "" {
				wantCType = jsonCType
			}
			if r.ContentType != wantCType {
				t.Errorf("Content-Type = %q, want %q", r.ContentType, wantCType)
			}
			jsonEqual(t, r.Body, tt.body)
		})
	}
}

func TestUploadMultipart(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, ok(`{"id":99,"title":"offboarding-jane.csv","folderId":5,"version":2,"contentLength":"1 KB"}`))
	c, _ := ts.client()
	content := []byte("step,result\ndisable,ok\n")
	f, err := c.Upload(context.Background(), 5, "offboarding-jane.csv", content, false)
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	if diff := cmp.Diff(f, &File{ID: 99, Title: "offboarding-jane.csv", FolderID: 5, Version: 2, ContentLength: "1 KB"}); diff != "" {
		t.Errorf("file (-got +want):\n%s", diff)
	}
	r := ts.requests()[0]
	if r.Method != "POST" || r.Path != pathBase+"files/5/insert" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	mt, params, err := mime.ParseMediaType(r.ContentType)
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("Content-Type = %q (%v), want multipart/form-data", r.ContentType, err)
	}
	mr := multipart.NewReader(bytes.NewReader(r.Body), params["boundary"])
	form, err := mr.ReadForm(1 << 20)
	if err != nil {
		t.Fatalf("read form: %v", err)
	}
	if got := form.Value["title"]; len(got) != 1 || got[0] != "offboarding-jane.csv" {
		t.Errorf("title field = %q", got)
	}
	if got := form.Value["createNewIfExist"]; len(got) != 1 || got[0] != "false" {
		t.Errorf("createNewIfExist field = %q", got)
	}
	for name := range form.Value {
		if strings.HasPrefix(name, "InsertFile.") {
			t.Errorf("prefixed field %q sent; DocSpace binds bare names", name)
		}
	}
	files := form.File["file"]
	if len(files) != 1 {
		t.Fatalf("file parts = %d, want 1", len(files))
	}
	fh, err := files[0].Open()
	if err != nil {
		t.Fatalf("open part: %v", err)
	}
	defer fh.Close()
	got, _ := io.ReadAll(fh)
	if !bytes.Equal(got, content) || files[0].Filename != "offboarding-jane.csv" {
		t.Errorf("file part %q named %q", got, files[0].Filename)
	}
}

func TestRetries(t *testing.T) {
	t.Parallel()
	html := reply{status: 502, header: map[string]string{"Content-Type": "text/html"}, body: string(fixture(t, "proxy_502.html"))}
	unavailable := reply{status: 503}
	serverErr := reply{status: 500, body: `{"error":{"message":"Object reference not set to an instance of an object."},"status":1,"statusCode":500}`}
	limited := func(after string) reply {
		return reply{status: 429, header: map[string]string{"Retry-After": after, "X-RateLimit-Remaining": "0"}}
	}
	folder := ok(`{"id":7,"title":"Jane"}`)
	getFolder := func(ctx context.Context, c *Client) error { _, err := c.Folder(ctx, 7); return err }
	createFolder := func(ctx context.Context, c *Client) error { _, err := c.CreateFolder(ctx, 42, "Jane"); return err }
	shareRoom := func(ctx context.Context, c *Client) error {
		_, err := c.ShareRoom(ctx, 42, []Invitation{{ID: ownerID, Access: FileShareRoomManager}}, false)
		return err
	}
	tests := []struct {
		name         string
		replies      []reply
		call         func(context.Context, *Client) error
		maxAttempts  int
		wantAttempts int
		wantErr      error
		wantWaits    []time.Duration // nil: only count them
		wantRetryAft time.Duration
	}{
		{name: "read retried through proxy errors", replies: []reply{html, unavailable, folder}, call: getFolder, wantAttempts: 3},
		{name: "read gives up after MaxAttempts", replies: []reply{unavailable}, call: getFolder, maxAttempts: 3, wantAttempts: 3, wantErr: ErrServer},
		{name: "read 404 not retried", replies: []reply{{status: 404}}, call: getFolder, wantAttempts: 1, wantErr: ErrNotFound},
		{name: "create not repeated after 500", replies: []reply{serverErr, folder}, call: createFolder, wantAttempts: 1, wantErr: ErrServer},
		{name: "create repeated after 429 honouring Retry-After", replies: []reply{limited("2"), folder}, call: createFolder, wantAttempts: 2, wantWaits: []time.Duration{2 * time.Second}},
		{name: "429 without Retry-After backs off", replies: []reply{{status: 429}, {status: 429}, folder}, call: createFolder, wantAttempts: 3},
		{name: "long Retry-After returned at once", replies: []reply{limited("600"), folder}, call: getFolder, wantAttempts: 1, wantErr: ErrRateLimited, wantWaits: []time.Duration{}, wantRetryAft: 10 * time.Minute},
		{name: "idempotent write retried", replies: []reply{html, unavailable, ok(`{"members":[],"error":0}`)}, call: shareRoom, wantAttempts: 3},
		{name: "idempotent write not retried on 403", replies: []reply{{status: 403}}, call: shareRoom, wantAttempts: 1, wantErr: ErrForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, tt.replies...)
			c, waits := ts.client(func(o *Options) { o.Retry.MaxAttempts = tt.maxAttempts })
			err := tt.call(context.Background(), c)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got := len(ts.requests()); got != tt.wantAttempts {
				t.Errorf("%d attempts, want %d", got, tt.wantAttempts)
			}
			if got := len(*waits); got != tt.wantAttempts-1 {
				t.Errorf("%d waits, want %d", got, tt.wantAttempts-1)
			}
			if len(tt.wantWaits) > 0 {
				if diff := cmp.Diff(*waits, tt.wantWaits); diff != "" {
					t.Errorf("waits (-got +want):\n%s", diff)
				}
			}
			for _, w := range *waits {
				if w < 0 || w > DefaultMaxDelay {
					t.Errorf("wait %v outside [0, %v]", w, DefaultMaxDelay)
				}
			}
			var apiErr *APIError
			if tt.wantRetryAft > 0 && (!errors.As(err, &apiErr) || apiErr.RetryAfter != tt.wantRetryAft) {
				t.Errorf("err = %#v, want RetryAfter %v", err, tt.wantRetryAft)
			}
		})
	}
}

func TestAttemptTimeout(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, reply{block: true})
	c, waits := ts.client(func(o *Options) { o.Timeout = 50 * time.Millisecond; o.Retry.MaxAttempts = 2 })
	_, err := c.Self(context.Background())
	if !errors.Is(err, ErrTimeout) || !errors.Is(err, ErrNetwork) || !IsRetryable(err) {
		t.Fatalf("err = %v, want a retryable ErrTimeout", err)
	}
	if got := len(ts.requests()); got != 2 || len(*waits) != 1 {
		t.Errorf("%d attempts and %d waits, want 2 and 1", got, len(*waits))
	}
	if !strings.Contains(err.Error(), "no complete response within 50ms") {
		t.Errorf("err = %q", err)
	}
}

func TestCallerCancellation(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, reply{block: true})
	c, waits := ts.client()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := c.Self(ctx)
		errc <- err
	}()
	deadline := time.Now().Add(5 * time.Second)
	for len(ts.requests()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("request never arrived")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) || IsRetryable(err) || errors.Is(err, ErrNetwork) {
			t.Errorf("err = %v, want a permanent context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("call did not return after cancellation")
	}
	if len(*waits) != 0 {
		t.Errorf("%d retry waits after cancellation, want 0", len(*waits))
	}
}

func TestConnectionRefusedRepeatsEvenWrites(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, err := New(Options{BaseURL: "http://" + addr, APIKey: NewSecret(testKey), Retry: RetryPolicy{MaxAttempts: 3}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	var waits int
	c.sleep = func(ctx context.Context, _ time.Duration) error { waits++; return ctx.Err() }
	_, err = c.CreateFolder(context.Background(), 42, "Jane")
	if !errors.Is(err, ErrNetwork) || !IsRetryable(err) {
		t.Fatalf("err = %v, want a retryable ErrNetwork", err)
	}
	if waits != 2 {
		t.Errorf("%d retries of a create that never reached the server, want 2", waits)
	}
}

func TestTwoHundredFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		reply   reply
		call    func(context.Context, *Client) error
		wantErr error
	}{
		{
			name:  "room share blocked by a form role",
			reply: reply{status: 200, body: string(fixture(t, "room_form_role.json"))},
			call: func(ctx context.Context, c *Client) error {
				_, err := c.ShareRoom(ctx, 42, []Invitation{{ID: leaverID, Access: FileShareNone}}, false)
				return err
			},
			wantErr: ErrFormRoleBlocking,
		},
		{
			name:  "no reassignment job",
			reply: reply{status: 200, body: string(fixture(t, "success_no_response.json"))},
			call: func(ctx context.Context, c *Client) error {
				_, err := c.ReassignProgress(ctx, leaverID)
				return err
			},
			wantErr: ErrNoRecord,
		},
		{
			name:  "terminate without a job",
			reply: ok(""),
			call: func(ctx context.Context, c *Client) error {
				_, err := c.TerminateReassign(ctx, leaverID)
				return err
			},
			wantErr: ErrNoRecord,
		},
		{
			name:  "operation not listed",
			reply: ok(`[{"id":"another","progress":10}]`),
			call: func(ctx context.Context, c *Client) error {
				_, err := c.Operation(ctx, opID1)
				return err
			},
			wantErr: ErrNoRecord,
		},
		{
			name:  "move answered with no operation",
			reply: ok(`[]`),
			call: func(ctx context.Context, c *Client) error {
				_, err := c.Move(ctx, MoveRequest{FolderIDs: []int{7}, DestFolderID: 42})
				return err
			},
			wantErr: ErrUnexpectedResponse,
		},
		{
			name:  "payload missing where required",
			reply: ok(""),
			call: func(ctx context.Context, c *Client) error {
				_, err := c.Folder(ctx, 7)
				return err
			},
			wantErr: ErrUnexpectedResponse,
		},
		{
			name:  "HTML with 200 from a captive proxy",
			reply: reply{status: 200, body: "<html><body>Sign in</body></html>"},
			call: func(ctx context.Context, c *Client) error {
				_, err := c.Self(ctx)
				return err
			},
			wantErr: ErrUnexpectedResponse,
		},
		{
			name:  "redirect not followed",
			reply: reply{status: 302, header: map[string]string{"Location": "https://elsewhere.example/login"}},
			call: func(ctx context.Context, c *Client) error {
				_, err := c.Self(ctx)
				return err
			},
			wantErr: ErrUnexpectedResponse,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, tt.reply)
			c, _ := ts.client()
			err := tt.call(context.Background(), c)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.Op == "" || apiErr.Path == "" {
				t.Errorf("err = %#v, want an *APIError naming the call", err)
			}
			if IsRetryable(err) {
				t.Error("IsRetryable = true, want false")
			}
			if got := len(ts.requests()); got != 1 {
				t.Errorf("%d attempts, want 1", got)
			}
		})
	}
}

func TestRoomSecurityPages(t *testing.T) {
	t.Parallel()
	const total = 250
	var mu sync.Mutex
	var starts []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		mu.Lock()
		starts = append(starts, q.Get("startIndex"))
		mu.Unlock()
		start, _ := strconv.Atoi(q.Get("startIndex"))
		count, _ := strconv.Atoi(q.Get("count"))
		var entries []string
		for i := start; i < min(start+count, total); i++ {
			entries = append(entries, fmt.Sprintf(`{"access":2,"sharedToUser":{"id":"00000000-0000-0000-0000-%012d"},"subjectType":0,"isOwner":false,"isLocked":false,"canEditAccess":true}`, i))
		}
		fmt.Fprintf(w, `{"response":[%s],"count":%d,"total":%d,"status":0,"statusCode":200}`, strings.Join(entries, ","), len(entries), total)
	}))
	t.Cleanup(srv.Close)
	c, err := New(Options{BaseURL: srv.URL, APIKey: NewSecret(testKey)})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	shares, err := c.RoomSecurity(context.Background(), 42)
	if err != nil {
		t.Fatalf("RoomSecurity: %v", err)
	}
	if len(shares) != total || shares[total-1].SubjectID() != fmt.Sprintf("00000000-0000-0000-0000-%012d", total-1) {
		t.Errorf("%d shares, want %d in order", len(shares), total)
	}
	if diff := cmp.Diff(starts, []string{"0", "100", "200"}); diff != "" {
		t.Errorf("pages requested (-got +want):\n%s", diff)
	}
}

func TestArgumentsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		call func(context.Context, *Client) error
	}{
		{"empty user id", func(ctx context.Context, c *Client) error { _, err := c.User(ctx, " "); return err }},
		{"empty email", func(ctx context.Context, c *Client) error { _, err := c.UserByEmail(ctx, ""); return err }},
		{"status Pending", func(ctx context.Context, c *Client) error {
			_, err := c.SetUserStatus(ctx, UserStatusPending, leaverID)
			return err
		}},
		{"status without ids", func(ctx context.Context, c *Client) error {
			_, err := c.SetUserStatus(ctx, UserStatusTerminated)
			return err
		}},
		{"non-GUID id", func(ctx context.Context, c *Client) error { return c.LogoutAllSessions(ctx, "jane@acme.com") }},
		{"reassign from a user name", func(ctx context.Context, c *Client) error {
			_, err := c.StartReassign(ctx, "jane", ownerID, false)
			return err
		}},
		{"folder id 0", func(ctx context.Context, c *Client) error { _, err := c.Folder(ctx, 0); return err }},
		{"page of 500", func(ctx context.Context, c *Client) error {
			_, err := c.FolderContents(ctx, 5, ListQuery{Count: 500})
			return err
		}},
		{"negative start", func(ctx context.Context, c *Client) error {
			_, err := c.Rooms(ctx, RoomQuery{StartIndex: -1})
			return err
		}},
		{"title too long", func(ctx context.Context, c *Client) error {
			_, err := c.CreateFolder(ctx, 5, strings.Repeat("a", 166))
			return err
		}},
		{"room without type", func(ctx context.Context, c *Client) error {
			_, err := c.CreateRoom(ctx, CreateRoom{Title: "x"})
			return err
		}},
		{"access Varies", func(ctx context.Context, c *Client) error {
			_, err := c.ShareRoom(ctx, 42, []Invitation{{ID: ownerID, Access: FileShareVaries}}, false)
			return err
		}},
		{"empty share list", func(ctx context.Context, c *Client) error { _, err := c.ShareFolder(ctx, 7, nil); return err }},
		{"nothing to move", func(ctx context.Context, c *Client) error {
			_, err := c.Move(ctx, MoveRequest{DestFolderID: 42})
			return err
		}},
		{"audit target without action", func(ctx context.Context, c *Client) error {
			_, err := c.AuditEvents(ctx, AuditFilter{Target: leaverID})
			return err
		}},
		{"audit range reversed", func(ctx context.Context, c *Client) error {
			_, err := c.AuditEvents(ctx, AuditFilter{From: time.Now(), To: time.Now().Add(-time.Hour)})
			return err
		}},
		{"empty operation id", func(ctx context.Context, c *Client) error {
			_, err := c.WaitOperation(ctx, "", PollOptions{})
			return err
		}},
		{"upload without title", func(ctx context.Context, c *Client) error {
			_, err := c.Upload(ctx, 5, "", []byte("x"), false)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, ok(`{}`))
			c, _ := ts.client()
			err := tt.call(context.Background(), c)
			if !errors.Is(err, ErrInvalidArgument) || IsRetryable(err) {
				t.Errorf("err = %v, want a permanent ErrInvalidArgument", err)
			}
			if n := len(ts.requests()); n != 0 {
				t.Errorf("%d requests sent, want 0", n)
			}
		})
	}
}

func TestNewValidatesOptions(t *testing.T) {
	t.Parallel()
	valid := Options{BaseURL: "https://acme.onlyoffice.com", APIKey: NewSecret(testKey)}
	tests := []struct {
		name string
		mod  func(*Options)
	}{
		{"empty base URL", func(o *Options) { o.BaseURL = "" }},
		{"relative base URL", func(o *Options) { o.BaseURL = "acme.onlyoffice.com" }},
		{"ftp scheme", func(o *Options) { o.BaseURL = "ftp://acme.onlyoffice.com" }},
		{"no host", func(o *Options) { o.BaseURL = "https:///path" }},
		{"credentials in the URL", func(o *Options) { o.BaseURL = "https://user:pass@acme.onlyoffice.com" }},
		{"query in the URL", func(o *Options) { o.BaseURL = "https://acme.onlyoffice.com/?a=1" }},
		{"fragment in the URL", func(o *Options) { o.BaseURL = "https://acme.onlyoffice.com/#x" }},
		{"empty key", func(o *Options) { o.APIKey = Secret{} }},
		{"blank key", func(o *Options) { o.APIKey = NewSecret("   ") }},
		{"key with a newline", func(o *Options) { o.APIKey = NewSecret(testKey + "\r\nX-Evil: 1") }},
		{"negative timeout", func(o *Options) { o.Timeout = -time.Second }},
		{"negative window", func(o *Options) { o.Limits.Window = -time.Second }},
		{"negative parallel writes", func(o *Options) { o.Limits.ParallelWrites = -1 }},
		{"negative attempts", func(o *Options) { o.Retry.MaxAttempts = -1 }},
		{"max delay below base", func(o *Options) { o.Retry.BaseDelay = time.Second; o.Retry.MaxDelay = time.Millisecond }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := valid
			tt.mod(&o)
			c, err := New(o)
			if !errors.Is(err, ErrInvalidArgument) || c != nil {
				t.Fatalf("New = (%v, %v), want ErrInvalidArgument", c, err)
			}
			if strings.Contains(err.Error(), "pass") || strings.Contains(err.Error(), testKey) {
				t.Errorf("error %q echoes a credential", err)
			}
		})
	}
	t.Run("defaults", func(t *testing.T) {
		t.Parallel()
		c, err := New(valid)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		got := []any{c.timeout, cap(c.limiter.reads), cap(c.limiter.writes), c.limiter.window.limit, c.limiter.window.window, c.retry, c.userAgent}
		want := []any{15 * time.Second, 50, 15, 1500, 60 * time.Second,
			RetryPolicy{MaxAttempts: 6, BaseDelay: 250 * time.Millisecond, MaxDelay: 30 * time.Second, MaxRetryAfter: 2 * time.Minute}, "docspace-offboarding"}
		if diff := cmp.Diff(got, want); diff != "" {
			t.Errorf("defaults (-got +want):\n%s", diff)
		}
		if c.http == http.DefaultClient || c.http.CheckRedirect == nil {
			t.Error("default HTTP client is http.DefaultClient or follows redirects")
		}
	})
}

func TestDebugLogging(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, reply{status: 503}, ok(`{"id":"`+leaverID+`","email":"jane@acme.com","status":1}`))
	var buf bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(&lockedWriter{w: &buf, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _ := ts.client(func(o *Options) { o.Logger = logger })
	if _, err := c.UserByEmail(context.Background(), "jane@acme.com"); err != nil {
		t.Fatalf("UserByEmail: %v", err)
	}
	mu.Lock()
	out := buf.String()
	mu.Unlock()
	for _, want := range []string{`"msg":"docspace request"`, `"op":"getProfileByEmail"`, `"method":"GET"`, `"path":"/portal/api/2.0/people/email"`,
		`"status":503`, `"status":200`, `"attempt":2`, `"msg":"docspace request retry scheduled"`, `"level":"WARN"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
	for _, leak := range []string{testKey, "Bearer", "jane@acme.com", "jane%40acme.com"} {
		if strings.Contains(out, leak) {
			t.Errorf("log contains %q:\n%s", leak, out)
		}
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
