package docspacetest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// Users, groups and keys of testdata/portal.json.
const (
	idOwner       = "c0000000-0000-4000-8000-000000000001"
	idAdmin       = "c0000000-0000-4000-8000-000000000002"
	idAdmin2      = "c0000000-0000-4000-8000-000000000003"
	idPeopleAdmin = "c0000000-0000-4000-8000-000000000004"
	idKeeper      = "c0000000-0000-4000-8000-000000000005"
	idUser        = "c0000000-0000-4000-8000-000000000006"
	idGuest       = "c0000000-0000-4000-8000-000000000007"
	idLDAP        = "c0000000-0000-4000-8000-000000000008"
	idSystem      = "c0000000-0000-4000-8000-000000000009"
	idGone        = "c0000000-0000-4000-8000-000000000010"
	idPending     = "c0000000-0000-4000-8000-000000000011"
	idLeaver      = "c0000000-0000-4000-8000-000000000012"
	idColleague   = "c0000000-0000-4000-8000-000000000013"
	idUnknown     = "c0000000-0000-4000-8000-0000000000ff"

	groupHR          = "d0000000-0000-4000-8000-000000000001"
	groupEngineering = "d0000000-0000-4000-8000-000000000002"
	groupEveryone    = "d0000000-0000-4000-8000-000000000003"
)

// API keys of testdata/portal.json.
const (
	keyAdmin        = "sk-a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0"
	keyOwner        = "sk-0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e"
	keyAdmin2       = "sk-a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2"
	keyPeopleAdmin  = "sk-9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a"
	keyUser         = "sk-0000000100000001000000010000000100000001000000010000000100000001"
	keyGuest        = "sk-0000000700000007000000070000000700000007000000070000000700000007"
	keyLeaver       = "sk-0000001200000012000000120000001200000012000000120000001200000012"
	keyGone         = "sk-0000001000000010000000100000001000000010000000100000001000000010"
	keyReadOnly     = "sk-0000000a0000000a0000000a0000000a0000000a0000000a0000000a0000000a"
	keyAccountsRead = "sk-0000000b0000000b0000000b0000000b0000000b0000000b0000000b0000000b"
	keyFilesWrite   = "sk-0000000c0000000c0000000c0000000c0000000c0000000c0000000c0000000c"
	keyExpired      = "sk-0000000d0000000d0000000d0000000d0000000d0000000d0000000d0000000d"
	keyInactive     = "sk-0000000e0000000e0000000e0000000e0000000e0000000e0000000e0000000e"
	keySelfRead     = "sk-0000000f0000000f0000000f0000000f0000000f0000000f0000000f0000000f"
)

// t0 is the manual clock's start in tests; the fixtures' (and the demo portal's) data lies before it.
func t0() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) }

func portalFixture(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/portal.json")
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return b
}

// startPortal serves testdata/portal.json with a manual clock and short job durations.
func startPortal(t testing.TB, tweak ...func(*Options)) (*TestServer, *ManualClock) {
	t.Helper()
	clock := NewManualClock(t0())
	o := Options{Now: clock.Now, ReassignDuration: 9 * time.Second, RemoveDuration: 9 * time.Second,
		FileOperationDuration: time.Second, WebhookRetryDelay: time.Millisecond}
	for _, f := range tweak {
		f(&o)
	}
	return Start(t, WithOptions(o), WithFixture(portalFixture(t))), clock
}

// reply is an HTTP response read whole.
type reply struct {
	Status int
	Header http.Header
	Body   []byte
}

// envelopeJSON is the union of DocSpace's envelopes, for assertions.
type envelopeJSON struct {
	Response   json.RawMessage `json:"response"`
	Count      *int            `json:"count"`
	Total      *int            `json:"total"`
	Links      []link          `json:"links"`
	Status     *int            `json:"status"`
	StatusCode *int            `json:"statusCode"`
	Error      *struct {
		Message string  `json:"message"`
		Type    *string `json:"type"`
		Stack   *string `json:"stack"`
		HResult *int    `json:"hresult"`
	} `json:"error"`
}

func (r reply) envelope(t testing.TB) envelopeJSON {
	t.Helper()
	var e envelopeJSON
	if err := json.Unmarshal(r.Body, &e); err != nil {
		t.Fatalf("decode envelope %q: %v", r.Body, err)
	}
	return e
}

// into decodes the envelope's response into v whatever the status (okInto also checks for success).
func (r reply) into(t testing.TB, v any) {
	t.Helper()
	e := r.envelope(t)
	if err := json.Unmarshal(e.Response, v); err != nil {
		t.Fatalf("decode response %s: %v", e.Response, err)
	}
}

// ok fails unless r is a 200 success envelope, and returns it.
func (r reply) ok(t testing.TB) envelopeJSON {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", r.Status, r.Body)
	}
	e := r.envelope(t)
	if intOr0(e.Status) != 0 || intOr0(e.StatusCode) != http.StatusOK || e.Error != nil {
		t.Fatalf("not a success envelope: %s", r.Body)
	}
	return e
}

// okInto fails unless r is a success and decodes its response into v.
func (r reply) okInto(t testing.TB, v any) envelopeJSON {
	t.Helper()
	e := r.ok(t)
	if err := json.Unmarshal(e.Response, v); err != nil {
		t.Fatalf("decode response %s: %v", e.Response, err)
	}
	return e
}

// intOr0 reads an optional envelope number, absent or null being 0.
func intOr0(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// objectKeys lists the top-level property names of a JSON object.
func objectKeys(t testing.TB, raw []byte) map[string]bool {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("decode object %s: %v", raw, err)
	}
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

// api sends requests to a test server with one key.
type api struct {
	t    testing.TB
	base string
	key  string
}

func (ts *TestServer) as(t testing.TB, key string) *api { return &api{t: t, base: ts.URL, key: key} }

// req sends a request; a non-nil body that is not []byte or string is encoded as JSON with the JSON
// content type; headers are key, value pairs.
func (a *api) req(method, path string, body any, headers ...string) reply {
	a.t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, ctype = bytes.NewReader(b), "application/json"
	case string:
		rd, ctype = strings.NewReader(b), "application/json"
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			a.t.Fatalf("encode body: %v", err)
		}
		rd, ctype = bytes.NewReader(raw), "application/json"
	}
	r, err := http.NewRequest(method, a.base+path, rd)
	if err != nil {
		a.t.Fatalf("new request: %v", err)
	}
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	if a.key != "" {
		r.Header.Set("Authorization", "Bearer "+a.key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			r.Header.Del(headers[i])
			continue
		}
		r.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatalf("read %s %s: %v", method, path, err)
	}
	return reply{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

func (a *api) get(path string) reply { return a.req(http.MethodGet, path, nil) }

// wantStatus fails the test unless r has the status.
func wantStatus(t testing.TB, r reply, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status = %d, want %d; body %s", r.Status, want, r.Body)
	}
}

// wantEmpty fails unless r has the status and an empty body.
func wantEmpty(t testing.TB, r reply, want int) {
	t.Helper()
	wantStatus(t, r, want)
	if len(r.Body) != 0 {
		t.Fatalf("body = %q, want empty", r.Body)
	}
}

// wantError fails unless r is DocSpace's error envelope with status and message.
func wantError(t testing.TB, r reply, status int, message string) {
	t.Helper()
	wantStatus(t, r, status)
	e := r.envelope(t)
	if e.Error == nil {
		t.Fatalf("no error object in %s", r.Body)
	}
	if e.Error.Message != message {
		t.Errorf("error.message = %q, want %q", e.Error.Message, message)
	}
	if e.Status == nil || *e.Status != 1 || e.StatusCode == nil || *e.StatusCode != status {
		t.Errorf("status/statusCode = %v/%v, want 1/%d", e.Status, e.StatusCode, status)
	}
}

// wantValidation fails unless r is a 400 validation problem in the success envelope naming field.
func wantValidation(t testing.TB, r reply, field string) {
	t.Helper()
	wantStatus(t, r, http.StatusBadRequest)
	e := r.envelope(t)
	if e.Status == nil || *e.Status != 1 || e.Error != nil {
		t.Fatalf("not a validation envelope: %s", r.Body)
	}
	var p problem
	if err := json.Unmarshal(e.Response, &p); err != nil {
		t.Fatalf("decode problem: %v", err)
	}
	if _, ok := p.Errors[field]; !ok {
		t.Errorf("validation errors %v lack %q", p.Errors, field)
	}
}

// userJSON is the part of EmployeeFullDto tests look at.
type userJSON struct {
	ID         string  `json:"id"`
	Status     int     `json:"status"`
	Terminated *string `json:"terminated"`
	IsOwner    bool    `json:"isOwner"`
	IsAdmin    bool    `json:"isAdmin"`
	Groups     []struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Manager  string `json:"manager"`
		IsSystem *bool  `json:"isSystem"`
	} `json:"groups"`
	RegistrationDate string `json:"registrationDate"`
}

type progressJSON struct {
	ID          string `json:"id"`
	Error       string `json:"error"`
	Percentage  int    `json:"percentage"`
	IsCompleted bool   `json:"isCompleted"`
	Status      int    `json:"status"`
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
