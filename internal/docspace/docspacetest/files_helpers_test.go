package docspacetest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Users, groups and entries of the demo portal (demo.json).
const (
	demoOwner   = "a0000000-0000-4000-8000-000000000001" // Olivia, portal owner
	demoService = "a0000000-0000-4000-8000-000000000002" // DocSpace admin, owner of Workspaces, RoomManager of the archive room
	demoKeeper  = "a0000000-0000-4000-8000-000000000003" // RoomAdmin, owner of the archive room
	demoHannah  = "a0000000-0000-4000-8000-000000000004" // User, HR
	demoJane    = "a0000000-0000-4000-8000-000000000010" // User, the leaver; owns the archived room
	demoJohn    = "a0000000-0000-4000-8000-000000000011" // RoomAdmin, owner of Project Falcon
	demoMaria   = "a0000000-0000-4000-8000-000000000012" // User
	demoAisha   = "a0000000-0000-4000-8000-000000000014" // RoomAdmin, owner of Marketing Assets
	demoSofia   = "a0000000-0000-4000-8000-000000000016" // User, ContentCreator in Falcon, ReadWrite sharee of 3001
	demoEmma    = "a0000000-0000-4000-8000-000000000018" // Guest, Read in Falcon
	demoLukas   = "a0000000-0000-4000-8000-000000000019" // User, Editing sharee of 3007

	demoHR          = "b0000000-0000-4000-8000-000000000001"
	demoEngineering = "b0000000-0000-4000-8000-000000000002"
	demoSales       = "b0000000-0000-4000-8000-000000000003"

	roomArchive    = 900  // "Offboarding Archive": Custom, owner Archie, service RoomManager, HR Read
	roomFalcon     = 950  // "Project Falcon": Editing, owner John; Jane Editing, Sofia ContentCreator, Emma Read
	roomMarketing  = 960  // "Marketing Assets": Custom, owner Aisha; Maria Read, Sales Read
	roomOldPitch   = 970  // "Old Sales Pitch": archived, owner Jane
	roomWorkspaces = 1000 // "Workspaces": Custom, owner service; employees ContentCreator

	folderFalconSpecs = 951  // in Falcon, created by Jane
	fileFalconRoadmap = 953  // in Falcon, created by John
	folderJaneWork    = 1001 // Jane's workspace folder in Workspaces
	folderJaneDrafts  = 1101 // inside 1001
	fileJaneNotes     = 2001 // notes.docx in 1001
	folderJaneShared  = 3001 // in Jane's My documents: Sofia ReadWrite, Engineering Read
	folderJanePrivate = 3003 // in Jane's My documents, not shared
	fileJaneTodo      = 3006 // in Jane's My documents root, not shared
	fileJaneHandover  = 3007 // in Jane's My documents root: Lukas Editing
)

// opDuration is how long a file operation runs in these tests.
const opDuration = 4 * time.Second

// demoPortal is the demo portal served for one test, with a manual clock and an API key per user.
type demoPortal struct {
	t     testing.TB
	ts    *TestServer
	clock *ManualClock
	keys  map[string]string
}

// startDemo serves the demo portal behind the OpenAPI validator.
func startDemo(t testing.TB, extra ...StartOption) *demoPortal {
	t.Helper()
	clock := NewManualClock(t0())
	opts := []StartOption{WithOptions(Options{Now: clock.Now, FileOperationDuration: opDuration,
		WebhookRetryDelay: time.Millisecond})}
	ts := Start(t, append(opts, extra...)...)
	return &demoPortal{t: t, ts: ts, clock: clock, keys: map[string]string{demoService: ts.AdminKey}}
}

// key returns an API key of the user, creating one on first use.
func (p *demoPortal) key(userID string) string {
	p.t.Helper()
	if k, ok := p.keys[userID]; ok {
		return k
	}
	k := Must(p.ts.AddKey(userID))(p.t)
	p.keys[userID] = k
	return k
}

// myDocs returns the id of a user's My documents.
func (p *demoPortal) myDocs(userID string) int {
	p.t.Helper()
	u, ok := p.ts.User(userID)
	if !ok {
		p.t.Fatalf("no user %s", userID)
	}
	return u.MyDocumentsID
}

// do sends method path as userID; body is nil, raw JSON text ([]byte or string), or a value to encode as
// JSON.
func (p *demoPortal) do(userID, method, path string, body any) reply {
	p.t.Helper()
	return p.ts.as(p.t, p.key(userID)).req(method, path, body)
}

func (p *demoPortal) get(userID, path string) reply { return p.do(userID, http.MethodGet, path, nil) }

func (p *demoPortal) put(userID, path string, body any) reply {
	return p.do(userID, http.MethodPut, path, body)
}

func (p *demoPortal) post(userID, path string, body any) reply {
	return p.do(userID, http.MethodPost, path, body)
}

// folderJSON is the part of FolderDto tests look at.
type folderJSON struct {
	ID             int             `json:"id"`
	Title          string          `json:"title"`
	ParentID       int             `json:"parentId"`
	RootFolderID   int             `json:"rootFolderId"`
	RootFolderType int             `json:"rootFolderType"`
	RoomType       *int            `json:"roomType"`
	ParentRoomType *int            `json:"parentRoomType"`
	FileEntryType  int             `json:"fileEntryType"`
	FilesCount     int             `json:"filesCount"`
	FoldersCount   int             `json:"foldersCount"`
	Security       map[string]bool `json:"security"`
	CreatedBy      struct {
		ID string `json:"id"`
	} `json:"createdBy"`
}

// fileJSON is the part of FileDto tests look at.
type fileJSON struct {
	ID                int    `json:"id"`
	Title             string `json:"title"`
	FolderID          int    `json:"folderId"`
	Version           int    `json:"version"`
	FileExst          string `json:"fileExst"`
	PureContentLength int64  `json:"pureContentLength"`
	ContentLength     string `json:"contentLength"`
	WebURL            string `json:"webUrl"`
	FileEntryType     int    `json:"fileEntryType"`
}

// contentJSON is FolderContentDto.
type contentJSON struct {
	Files     []fileJSON   `json:"files"`
	Folders   []folderJSON `json:"folders"`
	Current   folderJSON   `json:"current"`
	PathParts []struct {
		ID    int    `json:"id"`
		Title string `json:"title"`
	} `json:"pathParts"`
	StartIndex int `json:"startIndex"`
	Count      int `json:"count"`
	Total      int `json:"total"`
}

// opJSON is FileOperationDto.
type opJSON struct {
	ID        string       `json:"id"`
	Operation *int         `json:"Operation"`
	Progress  int          `json:"progress"`
	Error     string       `json:"error"`
	Processed string       `json:"processed"`
	Finished  bool         `json:"finished"`
	Status    int          `json:"status"`
	Files     []fileJSON   `json:"files"`
	Folders   []folderJSON `json:"folders"`
}

// shareJSON is FileShareDto.
type shareJSON struct {
	Access       int  `json:"access"`
	IsOwner      bool `json:"isOwner"`
	IsLocked     bool `json:"isLocked"`
	SubjectType  int  `json:"subjectType"`
	SharedToUser *struct {
		ID string `json:"id"`
	} `json:"sharedToUser"`
	SharedToGroup *struct {
		ID string `json:"id"`
	} `json:"sharedToGroup"`
}

// subject returns the user or group id a share names.
func (s shareJSON) subject() string {
	if s.SharedToUser != nil {
		return s.SharedToUser.ID
	}
	if s.SharedToGroup != nil {
		return s.SharedToGroup.ID
	}
	return ""
}

// roomSecurityJSON is RoomSecurityDto.
type roomSecurityJSON struct {
	Members []shareJSON `json:"members"`
	Warning string      `json:"warning"`
	Error   int         `json:"error"`
}

// move submits PUT files/fileops/move as userID and returns the reply.
func (p *demoPortal) move(userID string, body map[string]any) reply {
	p.t.Helper()
	return p.put(userID, "/api/2.0/files/fileops/move", body)
}

// moveOp submits a move that must be accepted and returns its operation (returnSingleOperation).
func (p *demoPortal) moveOp(userID string, body map[string]any) opJSON {
	p.t.Helper()
	body["returnSingleOperation"] = true
	var ops []opJSON
	p.move(userID, body).okInto(p.t, &ops)
	if len(ops) != 1 {
		p.t.Fatalf("move returned %d operations, want 1", len(ops))
	}
	return ops[0]
}

// poll returns the caller's operation with id as GET files/fileops?id= reports it, or false when the poll
// returns nothing.
func (p *demoPortal) poll(userID, id string) (opJSON, bool) {
	p.t.Helper()
	var ops []opJSON
	p.get(userID, "/api/2.0/files/fileops?id="+id).okInto(p.t, &ops)
	if len(ops) == 0 {
		return opJSON{}, false
	}
	return ops[0], true
}

// finish lets every running file operation complete.
func (p *demoPortal) finish() { p.clock.Advance(opDuration + time.Millisecond) }

// awaitOp lets the operation complete and returns its final state, read once.
func (p *demoPortal) awaitOp(userID, id string) opJSON {
	p.t.Helper()
	p.finish()
	op, ok := p.poll(userID, id)
	if !ok {
		p.t.Fatalf("operation %s vanished before its final state was read", id)
	}
	if !op.Finished {
		p.t.Fatalf("operation %s not finished: %+v", id, op)
	}
	return op
}

// folder reads GET files/folder/{id} as userID.
func (p *demoPortal) folder(userID string, id int) folderJSON {
	p.t.Helper()
	var f folderJSON
	p.get(userID, "/api/2.0/files/folder/"+strconv.Itoa(id)).okInto(p.t, &f)
	return f
}

// entry returns the simulator's record of an entry, failing when it does not exist.
func (p *demoPortal) entry(id int) Entry {
	p.t.Helper()
	e, ok := p.ts.Entry(id)
	if !ok {
		p.t.Fatalf("entry %d does not exist", id)
	}
	return e
}

// createFolder creates a folder through the API and returns its id.
func (p *demoPortal) createFolder(userID string, parent int, title string) int {
	p.t.Helper()
	var f folderJSON
	p.post(userID, "/api/2.0/files/folder/"+strconv.Itoa(parent), map[string]any{"title": title}).okInto(p.t, &f)
	return f.ID
}

// childTitles lists the titles of a folder's children.
func (p *demoPortal) childTitles(folderID int) []string {
	var out []string
	for _, c := range p.ts.Children(folderID) {
		out = append(out, c.Title)
	}
	return out
}

// auditCount counts audit events of an action about a target.
func (p *demoPortal) auditCount(action MessageAction, target string) int {
	return len(p.ts.AuditEvents(AuditQuery{Action: action, Target: target}))
}

// multipartBody builds a multipart/form-data body from fields and one file part.
func multipartBody(t testing.TB, fields map[string]string, partName, fileName string, content []byte) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatalf("write field: %v", err)
		}
	}
	if partName != "" {
		fw, err := w.CreateFormFile(partName, fileName)
		if err != nil {
			t.Fatalf("create file part: %v", err)
		}
		if _, err := fw.Write(content); err != nil {
			t.Fatalf("write file part: %v", err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatalf("close multipart: %v", err)
	}
	return w.FormDataContentType(), buf.Bytes()
}

// upload sends POST files/{folder}/insert with a prepared body.
func (p *demoPortal) upload(userID string, folder int, query, contentType string, body []byte) reply {
	p.t.Helper()
	path := "/api/2.0/files/" + strconv.Itoa(folder) + "/insert"
	if query != "" {
		path += "?" + query
	}
	return p.ts.as(p.t, p.key(userID)).req(http.MethodPost, path, body, "Content-Type", contentType)
}

// hookSink is a webhook receiver that records what it is sent.
type hookSink struct {
	srv    *httptest.Server
	mu     sync.Mutex
	bodies map[string][][]byte // by trigger
}

// newHookSink starts a receiver for the test.
func newHookSink(t testing.TB) *hookSink {
	t.Helper()
	h := &hookSink{bodies: map[string][][]byte{}}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		var msg struct {
			Event struct {
				Trigger string `json:"trigger"`
			} `json:"event"`
		}
		if json.Unmarshal(b, &msg) == nil {
			h.mu.Lock()
			h.bodies[msg.Event.Trigger] = append(h.bodies[msg.Event.Trigger], b)
			h.mu.Unlock()
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

// URL is where webhooks should be sent.
func (h *hookSink) URL() string { return h.srv.URL }

// wait polls until a delivery for trigger arrived and returns its body.
func (h *hookSink) wait(t testing.TB, trigger string) []byte {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		h.mu.Lock()
		got := h.bodies[trigger]
		h.mu.Unlock()
		if len(got) > 0 {
			return got[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s webhook arrived", trigger)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
