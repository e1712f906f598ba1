package docspacetest

import (
	"slices"
	"strings"
	"time"
)

// Call records one request the simulator received.
type Call struct {
	Time        time.Time
	Method      string
	Path        string
	RawQuery    string
	OperationID string // "" for unknown routes
	Status      int    // 0 when the connection was dropped
	UserID      string // the authenticated user, "" if authentication failed
	// Mutating marks endpoints that change state (every non-GET DocSpace route the simulator serves).
	Mutating bool
	// Handled is set when the handler ran, i.e. the request could have had an effect.
	Handled bool
	// RateLimited is set when the limiter rejected the request.
	RateLimited bool
	// Fault names the injected fault that hit the request, if any.
	Fault string
	// Reset is set when the connection was dropped without a response.
	Reset bool
}

// Calls returns every request received so far, in arrival order of completion.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// CallsTo returns the recorded requests of one operation.
func (s *Server) CallsTo(operationID string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if strings.EqualFold(c.OperationID, operationID) {
			out = append(out, c)
		}
	}
	return out
}

// MutationCount returns how many requests to a mutating operation reached its handler (whatever the
// outcome), which is how tests prove that a DocSpace write was not repeated.
func (s *Server) MutationCount(operationID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if c.Mutating && c.Handled && strings.EqualFold(c.OperationID, operationID) {
			n++
		}
	}
	return n
}

// MutatingCalls returns MutationCount for every mutating operation that was called.
func (s *Server) MutatingCalls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for _, c := range s.calls {
		if c.Mutating && c.Handled {
			out[c.OperationID]++
		}
	}
	return out
}

// ResetCalls forgets the recorded requests.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
}
