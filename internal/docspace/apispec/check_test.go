package apispec

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// recordingTB is a testing.TB whose failures and cleanups the test inspects.
// Only the methods below are called; the embedded interface is nil.
type recordingTB struct {
	testing.TB
	mu       sync.Mutex
	errors   []string
	cleanups []func()
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	panic("recordingTB.Fatalf: " + fmt.Sprintf(format, args...))
}

func (r *recordingTB) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }

// finish runs the cleanups as testing does, last registered first, and
// returns the failures.
func (r *recordingTB) finish() []string {
	for _, f := range slices.Backward(r.cleanups) {
		f()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.errors)
}

// checkedServer runs tinyDocSpace behind Check with a recording TB.
func checkedServer(t *testing.T) (*recordingTB, *Log, *httptest.Server) {
	t.Helper()
	d := &tinyDocSpace{release: make(chan struct{})}
	close(d.release)
	tb := &recordingTB{}
	h, log := Check(tb, d)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return tb, log, srv
}

func call(t *testing.T, srv *httptest.Server, method, target, body string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+target, strings.NewReader(body))
	if err != nil {
		t.Fatalf("NewRequest() error = %v", err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

func TestCheckPassesValidTraffic(t *testing.T) {
	t.Parallel()
	tb, log, srv := checkedServer(t)
	call(t, srv, "GET", "/api/2.0/people/"+userID, "")
	call(t, srv, "PUT", "/api/2.0/people/status/2", `{"userIds":["`+userID+`"]}`)
	srv.Close()
	if failures := tb.finish(); len(failures) > 0 {
		t.Errorf("Check failed the test: %q", failures)
	}
	if diff := cmp.Diff(log.Operations(), []string{"getProfileByUserId", "updateUserStatus"}); diff != "" {
		t.Errorf("Operations() mismatch (-got +want):\n%s", diff)
	}
	if !log.Seen("updateUserStatus") || log.Seen("moveBatchItems") {
		t.Errorf("Seen(updateUserStatus), Seen(moveBatchItems) = %t, %t, want true, false", log.Seen("updateUserStatus"), log.Seen("moveBatchItems"))
	}
}

func TestCheckReportsViolations(t *testing.T) {
	t.Parallel()
	tb, log, srv := checkedServer(t)
	call(t, srv, "GET", "/api/2.0/people/"+userID+"?wrong=1", "")                       // bad response
	call(t, srv, "PUT", "/api/2.0/people/status/2", `{"userIds":["`+userID+`"],"x":1}`) // bad request
	call(t, srv, "PUT", "/api/2.0/people/"+userID+"/status", `{"disabled":true}`)       // unknown route
	srv.Close()
	failures := tb.finish()
	if len(failures) != 1 {
		t.Fatalf("Check failed the test %d times, want once with every problem: %q", len(failures), failures)
	}
	for _, want := range []string{
		"3 DocSpace contract problem(s)",
		"getProfileByUserId GET /api/2.0/people/" + userID + " -> 200: response body /response/status:",
		"updateUserStatus PUT /api/2.0/people/status/2 -> 200: request body: property \"x\" is unsupported",
		"(no operation) PUT /api/2.0/people/" + userID + "/status -> 404: request route: no operation for PUT",
	} {
		if !strings.Contains(failures[0], want) {
			t.Errorf("failure lacks %q:\n%s", want, failures[0])
		}
	}
	if got := len(log.Problems()); got != 3 {
		t.Errorf("len(Problems()) = %d, want 3", got)
	}
	if diff := cmp.Diff(log.Operations(), []string{"getProfileByUserId", "updateUserStatus"}); diff != "" {
		t.Errorf("Operations() mismatch (-got +want):\n%s", diff)
	}
}

func TestCheckExpectations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		expect func(*Log)
		calls  [][3]string // method, target, body
		want   []string    // substrings of the problems, in order
	}{
		{
			name:   "expected unknown route",
			expect: func(l *Log) { l.ExpectUnknown("PUT", "/api/2.0/people/*/status") },
			calls:  [][3]string{{"PUT", "/api/2.0/people/" + userID + "/status", `{"disabled":true}`}},
		},
		{
			name:   "expected unknown route, any method",
			expect: func(l *Log) { l.ExpectUnknown("", "/api/2.0/files/folderops/*") },
			calls:  [][3]string{{"PUT", "/api/2.0/files/folderops/move", `{}`}},
		},
		{
			name:   "expected unknown route not sent",
			expect: func(l *Log) { l.ExpectUnknown("PUT", "/api/2.0/people/*/status") },
			calls:  [][3]string{{"GET", "/api/2.0/people/" + userID, ""}},
			want:   []string{"expected a request to an unknown route PUT /api/2.0/people/*/status, saw none"},
		},
		{
			name:   "other method is not excused",
			expect: func(l *Log) { l.ExpectUnknown("POST", "/api/2.0/people/*/status") },
			calls:  [][3]string{{"PUT", "/api/2.0/people/" + userID + "/status", `{}`}},
			want:   []string{"request route: no operation", "expected a request to an unknown route POST"},
		},
		{
			name:   "expected invalid request",
			expect: func(l *Log) { l.ExpectInvalidRequest("updateUserStatus") },
			calls:  [][3]string{{"PUT", "/api/2.0/people/status/2", `{"userIds":["` + userID + `"],"disabled":true}`}},
		},
		{
			name:   "expected invalid request was valid",
			expect: func(l *Log) { l.ExpectInvalidRequest("updateUserStatus") },
			calls:  [][3]string{{"PUT", "/api/2.0/people/status/2", `{"userIds":["` + userID + `"]}`}},
			want:   []string{"expected an invalid request to updateUserStatus, saw none"},
		},
		{
			name:   "responses are still checked",
			expect: func(l *Log) { l.ExpectInvalidRequest("getProfileByUserId") },
			calls:  [][3]string{{"GET", "/api/2.0/people/" + userID + "?wrong=1", `{}`}},
			want:   []string{"response body /response/status"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tb, log, srv := checkedServer(t)
			tt.expect(log)
			for _, c := range tt.calls {
				call(t, srv, c[0], c[1], c[2])
			}
			srv.Close()
			problems := log.Problems()
			if len(problems) != len(tt.want) {
				t.Fatalf("Problems() = %q, want %d matching %q", problems, len(tt.want), tt.want)
			}
			for i, want := range tt.want {
				if !strings.Contains(problems[i], want) {
					t.Errorf("Problems()[%d] = %q, want it to contain %q", i, problems[i], want)
				}
			}
			if failures := tb.finish(); (len(failures) > 0) != (len(tt.want) > 0) {
				t.Errorf("Check failures = %q, want failure %t", failures, len(tt.want) > 0)
			}
		})
	}
}

func TestCheckBadPattern(t *testing.T) {
	t.Parallel()
	tb, log, srv := checkedServer(t)
	log.ExpectUnknown("GET", "/api/2.0/[")
	srv.Close()
	failures := tb.finish()
	if len(failures) != 1 || !strings.Contains(failures[0], "syntax error in pattern") {
		t.Errorf("failures = %q, want one about the pattern", failures)
	}
}
