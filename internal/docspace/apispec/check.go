package apispec

import (
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Check wraps next, for the duration of a test, in a Validator's middleware
// that records every exchange in the returned Log. At cleanup it fails the
// test, listing every violation (operationId, method, path, status and what)
// and every expectation that was not met. Start the test server after
// calling Check, so that the server is closed before the report is made.
func Check(t testing.TB, next http.Handler) (http.Handler, *Log) {
	t.Helper()
	v, err := New()
	if err != nil {
		t.Fatalf("apispec: %v", err)
	}
	l := &Log{t: t}
	t.Cleanup(l.report)
	return v.Middleware(next, l.record), l
}

// Log records the exchanges of one test. It is safe for concurrent use.
type Log struct {
	t            testing.TB
	mu           sync.Mutex
	observations []Observation
	unknown      []unknownRoute
	invalid      []string
}

// unknownRoute is a request a test sends on purpose to a route DocSpace does
// not have.
type unknownRoute struct {
	method, pattern string
}

func (l *Log) record(o Observation) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.observations = append(l.observations, o)
}

// ExpectUnknown declares that this test deliberately sends requests matching
// no operation, such as the example's wrong calls, which DocSpace answers 404.
// method is an HTTP method, or "" for any; pattern is a path.Match pattern on
// the path from "/api/2.0/" on, whatever base path precedes it (or on the
// whole path if it has no such root), e.g. "/api/2.0/people/*/status". Such
// requests are not violations, but their responses are still checked (404
// with an empty body), and the test fails if no such request is seen.
func (l *Log) ExpectUnknown(method, pattern string) {
	l.t.Helper()
	if _, err := path.Match(pattern, ""); err != nil {
		l.t.Errorf("apispec: ExpectUnknown(%q, %q): %v", method, pattern, err)
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.unknown = append(l.unknown, unknownRoute{method: method, pattern: pattern})
}

// ExpectInvalidRequest declares that this test deliberately sends requests to
// an operation that break the documents, such as a body with a misspelled
// field that DocSpace silently ignores. Their request violations are not
// failures, their responses are still checked, and the test fails if no such
// invalid request is seen.
func (l *Log) ExpectInvalidRequest(operationID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.invalid = append(l.invalid, operationID)
}

// Observations returns every exchange recorded so far, in order.
func (l *Log) Observations() []Observation {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.observations)
}

// Operations returns the operationIds of the requests recorded so far,
// valid or not, sorted and without repeats.
func (l *Log) Operations() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var ids []string
	for _, o := range l.observations {
		if o.OperationID != "" {
			ids = append(ids, o.OperationID)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// Seen reports whether a request to an operation was recorded, so that a test
// can assert that a call was validated.
func (l *Log) Seen(operationID string) bool {
	return slices.Contains(l.Operations(), operationID)
}

// Problems returns what the test would fail with if it ended now: every
// violation not excused by an expectation, every exchange that could not be
// validated, and every expectation not met.
func (l *Log) Problems() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	unknownSeen := make([]bool, len(l.unknown))
	invalidSeen := make([]bool, len(l.invalid))
	var problems []string
	for _, o := range l.observations {
		request := o.Request
		if o.Unknown {
			if i := l.matchUnknown(o); i >= 0 {
				unknownSeen[i] = true
				request = nil
			}
		} else if len(request) > 0 {
			for j, id := range l.invalid {
				if id == o.OperationID {
					invalidSeen[j] = true
					request = nil
				}
			}
		}
		for _, v := range slices.Concat(request, o.Response) {
			problems = append(problems, fmt.Sprintf("%s: %s", o, v))
		}
		if o.Err != nil {
			problems = append(problems, fmt.Sprintf("%s: not validated: %v", o, o.Err))
		}
	}
	for i, u := range l.unknown {
		if !unknownSeen[i] {
			problems = append(problems, fmt.Sprintf("expected a request to an unknown route %s %s, saw none", methodOrAny(u.method), u.pattern))
		}
	}
	for i, id := range l.invalid {
		if !invalidSeen[i] {
			problems = append(problems, fmt.Sprintf("expected an invalid request to %s, saw none", id))
		}
	}
	return problems
}

func (l *Log) matchUnknown(o Observation) int {
	p := apiPath(o.Path)
	for i, u := range l.unknown {
		if u.method != "" && !strings.EqualFold(u.method, o.Method) {
			continue
		}
		if ok, _ := path.Match(u.pattern, p); ok {
			return i
		}
	}
	return -1
}

func methodOrAny(m string) string {
	if m == "" {
		return "(any method)"
	}
	return m
}

// report fails the test with the problems found.
func (l *Log) report() {
	problems := l.Problems()
	if len(problems) == 0 {
		return
	}
	l.t.Errorf("apispec: %d DocSpace contract problem(s):\n\t%s", len(problems), strings.Join(problems, "\n\t"))
}
