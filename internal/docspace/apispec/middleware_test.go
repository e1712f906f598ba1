package apispec

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// waitFor bounds how long a test waits for the server side of an exchange.
const waitFor = 10 * time.Second

// tinyDocSpace is a handler answering a few DocSpace routes, some correctly
// and some not, and misbehaving on purpose on others.
type tinyDocSpace struct {
	// release lets the streaming route finish its body.
	release chan struct{}
}

func (d *tinyDocSpace) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	writeJSON := func(status int, body string) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
	p := r.URL.Path
	switch {
	case r.Method == "GET" && p == "/api/2.0/people/@self":
		// Writes nothing: net/http answers 200 with an empty body.
	case r.Method == "GET" && p == "/api/2.0/people/missing":
		writeJSON(http.StatusNotFound, errorEnvelope(http.StatusNotFound, "The user could not be found"))
	case r.Method == "GET" && strings.HasPrefix(p, "/api/2.0/people/"):
		id := strings.TrimPrefix(p, "/api/2.0/people/")
		status := 1
		if r.URL.Query().Get("wrong") != "" {
			status = 9
		}
		writeJSON(http.StatusOK, envelope("GET", p, userJSON(id, status)))
	case r.Method == "PUT" && p == "/api/2.0/people/status/2":
		var in struct{ UserIDs []string }
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		users := make([]string, 0, len(in.UserIDs))
		for _, id := range in.UserIDs {
			users = append(users, userJSON(id, 2))
		}
		writeJSON(http.StatusOK, envelope("PUT", p, "["+strings.Join(users, ",")+"]"))
	case r.Method == "GET" && p == "/api/2.0/files/fileops":
		// Streams the body in two parts.
		body := envelope("GET", p, "["+operationJSON(false)+"]")
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body[:20])
		http.NewResponseController(w).Flush()
		<-d.release
		_, _ = io.WriteString(w, body[20:])
	case r.Method == "PUT" && p == "/api/2.0/files/fileops/move":
		// A connection reset: take the connection and drop it.
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	case r.Method == "GET" && p == "/api/2.0/files/@my":
		panic(http.ErrAbortHandler)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

// observe serves h behind the validator's middleware and returns the
// server and the observations as they come.
func observe(t *testing.T, h http.Handler) (*httptest.Server, <-chan Observation) {
	t.Helper()
	v := newValidator(t)
	obs := make(chan Observation, 64)
	srv := httptest.NewServer(v.Middleware(h, func(o Observation) { obs <- o }))
	t.Cleanup(srv.Close)
	return srv, obs
}

func next(t *testing.T, obs <-chan Observation) Observation {
	t.Helper()
	select {
	case o := <-obs:
		return o
	case <-time.After(waitFor):
		t.Fatal("no observation recorded")
		return Observation{}
	}
}

func TestMiddleware(t *testing.T) {
	t.Parallel()
	d := &tinyDocSpace{release: make(chan struct{})}
	close(d.release)
	srv, obs := observe(t, d)
	tests := []struct {
		name, method, target, body string
		wantStatus                 int // 0: the client sees no response
		want                       Observation
	}{
		{name: "valid", method: "GET", target: "/api/2.0/people/" + userID, wantStatus: 200,
			want: Observation{OperationID: "getProfileByUserId", Document: PeopleDocument, Method: "GET", Path: "/api/2.0/people/" + userID, Status: 200}},
		{name: "wrong response", method: "GET", target: "/api/2.0/people/" + userID + "?wrong=1", wantStatus: 200,
			want: Observation{OperationID: "getProfileByUserId", Document: PeopleDocument, Method: "GET", Path: "/api/2.0/people/" + userID, Status: 200,
				Response: []Violation{{Part: Response, Where: "body /response/status"}}}},
		{name: "error envelope", method: "GET", target: "/api/2.0/people/missing", wantStatus: 404,
			want: Observation{OperationID: "getProfileByUserId", Document: PeopleDocument, Method: "GET", Path: "/api/2.0/people/missing", Status: 404}},
		{name: "nothing written", method: "GET", target: "/api/2.0/people/@self", wantStatus: 200,
			want: Observation{OperationID: "getSelfProfile", Document: PeopleDocument, Method: "GET", Path: "/api/2.0/people/@self", Status: 200,
				Response: []Violation{{Part: Response, Where: "body", Exception: "success-envelope"}}}},
		{name: "body reaches the handler", method: "PUT", target: "/api/2.0/people/status/2", body: `{"userIds":["` + userID + `"]}`, wantStatus: 200,
			want: Observation{OperationID: "updateUserStatus", Document: PeopleDocument, Method: "PUT", Path: "/api/2.0/people/status/2", Status: 200}},
		{name: "invalid request", method: "PUT", target: "/api/2.0/people/status/2", body: `{"userIds":["` + userID + `"],"disabled":true}`, wantStatus: 200,
			want: Observation{OperationID: "updateUserStatus", Document: PeopleDocument, Method: "PUT", Path: "/api/2.0/people/status/2", Status: 200,
				Request: []Violation{{Part: Request, Where: "body"}}}},
		{name: "unknown route", method: "PUT", target: "/api/2.0/people/" + userID + "/status", body: `{"disabled":true}`, wantStatus: 404,
			want: Observation{Method: "PUT", Path: "/api/2.0/people/" + userID + "/status", Status: 404, Unknown: true,
				Request: []Violation{{Part: Request, Where: "route", Exception: "unknown-route"}}}},
		{name: "hijacked", method: "PUT", target: "/api/2.0/files/fileops/move", body: `{"folderIds":[12],"destFolderId":50}`,
			want: Observation{OperationID: "moveBatchItems", Document: FilesDocument, Method: "PUT", Path: "/api/2.0/files/fileops/move", Hijacked: true}},
		{name: "aborted", method: "GET", target: "/api/2.0/files/@my",
			want: Observation{OperationID: "getMyFolder", Document: FilesDocument, Method: "GET", Path: "/api/2.0/files/@my", Aborted: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Sequential: observations arrive on one channel.
			req, err := http.NewRequestWithContext(t.Context(), tt.method, srv.URL+tt.target, strings.NewReader(tt.body))
			if err != nil {
				t.Fatalf("NewRequest() error = %v", err)
			}
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := srv.Client().Do(req)
			switch {
			case tt.wantStatus == 0 && err == nil:
				resp.Body.Close()
				t.Fatalf("Do() status %d, want a dropped connection", resp.StatusCode)
			case tt.wantStatus != 0 && err != nil:
				t.Fatalf("Do() error = %v", err)
			case err == nil:
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tt.wantStatus {
					t.Errorf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
				}
			}
			got := next(t, obs)
			ignoreMessages := cmp.Transformer("where", func(vs []Violation) []Violation {
				out := make([]Violation, len(vs))
				for i, v := range vs {
					out[i] = Violation{Part: v.Part, Where: v.Where, Exception: v.Exception}
				}
				return out
			})
			if diff := cmp.Diff(got, tt.want, ignoreMessages, cmp.Comparer(func(a, b error) bool { return (a == nil) == (b == nil) })); diff != "" {
				t.Errorf("observation mismatch (-got +want):\n%s", diff)
			}
		})
	}
}

// TestMiddlewareStreams checks that a response reaches the client while the
// handler is still writing it, and is validated whole.
func TestMiddlewareStreams(t *testing.T) {
	t.Parallel()
	d := &tinyDocSpace{release: make(chan struct{})}
	srv, obs := observe(t, d)
	resp, err := srv.Client().Get(srv.URL + "/api/2.0/files/fileops")
	if err != nil {
		t.Fatalf("Get() error = %v", err)
	}
	defer resp.Body.Close()
	first := make([]byte, 20)
	if _, err := io.ReadFull(resp.Body, first); err != nil {
		t.Fatalf("read the first part: %v", err)
	}
	close(d.release) // only now may the handler write the rest
	rest, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read the rest: %v", err)
	}
	if want := envelope("GET", "/api/2.0/files/fileops", "["+operationJSON(false)+"]"); string(first)+string(rest) != want {
		t.Errorf("body = %s, want %s", first, want)
	}
	if o := next(t, obs); !o.Valid() || o.OperationID != "getOperationStatuses" {
		t.Errorf("observation %s: request %v, response %v, err %v; want valid", o, o.Request, o.Response, o.Err)
	}
}

// TestMiddlewareConcurrent records from many clients at once; run with -race.
func TestMiddlewareConcurrent(t *testing.T) {
	t.Parallel()
	d := &tinyDocSpace{release: make(chan struct{})}
	close(d.release)
	h, log := Check(t, d)
	srv := httptest.NewServer(h)
	const clients, calls = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, clients*calls)
	for c := range clients {
		wg.Go(func() {
			for i := range calls {
				body := fmt.Sprintf(`{"userIds":[%q]}`, userID)
				req, err := http.NewRequestWithContext(t.Context(), "PUT", srv.URL+"/api/2.0/people/status/2", strings.NewReader(body))
				if err != nil {
					errs <- err
					return
				}
				req.Header.Set("Content-Type", "application/json")
				if (c+i)%2 == 0 {
					req, err = http.NewRequestWithContext(t.Context(), "GET", srv.URL+"/api/2.0/people/"+userID, nil)
					if err != nil {
						errs <- err
						return
					}
				}
				resp, err := srv.Client().Do(req)
				if err != nil {
					errs <- err
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	srv.Close() // waits for the handlers, hence for the recording
	close(errs)
	for err := range errs {
		t.Errorf("request: %v", err)
	}
	if got, want := len(log.Observations()), clients*calls; got != want {
		t.Errorf("recorded %d observations, want %d", got, want)
	}
	if diff := cmp.Diff(log.Operations(), []string{"getProfileByUserId", "updateUserStatus"}); diff != "" {
		t.Errorf("Operations() mismatch (-got +want):\n%s", diff)
	}
	if problems := log.Problems(); len(problems) > 0 {
		t.Errorf("Problems() = %q, want none", problems)
	}
}

func TestObservationString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		o    Observation
		want string
	}{
		{Observation{OperationID: "getGroup", Method: "GET", Path: "/api/2.0/group/x", Status: 404}, "getGroup GET /api/2.0/group/x -> 404"},
		{Observation{Method: "PUT", Path: "/api/2.0/x", Status: 404, Unknown: true}, "(no operation) PUT /api/2.0/x -> 404"},
		{Observation{OperationID: "moveBatchItems", Method: "PUT", Path: "/p", Hijacked: true}, "moveBatchItems PUT /p -> connection hijacked"},
		{Observation{OperationID: "getMyFolder", Method: "GET", Path: "/p", Aborted: true}, "getMyFolder GET /p -> handler aborted"},
	}
	for _, tt := range tests {
		if got := tt.o.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
	if (Observation{Err: errors.New("x")}).Valid() {
		t.Error("an observation with Err is Valid, want not")
	}
}
