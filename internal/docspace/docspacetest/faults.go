package docspacetest

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// FaultKind selects what an injected fault does.
type FaultKind int

// Fault kinds.
const (
	// FaultError answers with Status instead of running the handler: 500 as DocSpace's JSON error envelope,
	// 502/503/504 with the HTML page a reverse proxy sends, any other status with an empty body.
	FaultError FaultKind = iota + 1
	// FaultRateLimit answers 429 with Retry-After (a burst: use Times for "the next N requests").
	FaultRateLimit
	// FaultLatency delays the request by Delay plus up to Jitter, then serves it normally.
	FaultLatency
	// FaultReset drops the connection without a response. With AfterEffect the handler runs first, so the
	// write happens and the client cannot tell: an ambiguous write.
	FaultReset
	// FaultPaymentRequired simulates an unpaid portal: 402 with an empty body on every endpoint except
	// those DocSpace allows without payment (GET /people/{id}).
	FaultPaymentRequired
	// FaultStuckJob makes background jobs started by a matching request never finish: they stop at HoldAt
	// percent. Operation names the starting endpoint (startReassign, startRemove, moveBatchItems, ...);
	// UserID, if set, is the job's source user (reassign, remove) or the caller (file operations).
	FaultStuckJob
)

// String names the kind.
func (k FaultKind) String() string {
	switch k {
	case FaultError:
		return "error"
	case FaultRateLimit:
		return "rate-limit"
	case FaultLatency:
		return "latency"
	case FaultReset:
		return "reset"
	case FaultPaymentRequired:
		return "payment-required"
	case FaultStuckJob:
		return "stuck-job"
	}
	return fmt.Sprintf("FaultKind(%d)", int(k))
}

// Fault describes one injected failure. Faults apply before the handler runs, so a faulted request changes
// nothing, except FaultReset with AfterEffect.
type Fault struct {
	Kind FaultKind
	// Operation is the DocSpace operationId the fault applies to; "" or "*" means every endpoint.
	Operation string
	// Method, if set, narrows the fault to one HTTP method.
	Method string
	// UserID, if set, narrows the fault to requests by that user (see FaultStuckJob for jobs).
	UserID string
	// Rate is the fraction of matching requests affected, decided by the seeded random source; 0 means all.
	Rate float64
	// Times limits the fault to the next N affected requests (or jobs); 0 means no limit.
	Times int
	// Status is FaultError's status; default 500.
	Status int
	// RetryAfter is FaultRateLimit's Retry-After; default 1 s.
	RetryAfter time.Duration
	// Delay and Jitter are FaultLatency's added latency (real time).
	Delay  time.Duration
	Jitter time.Duration
	// AfterEffect makes FaultReset apply the request's effect before dropping the connection.
	AfterEffect bool
	// HoldAt is the percentage a stuck job stops at; 0 means it never makes progress.
	HoldAt int
}

type faultEntry struct {
	id   int
	f    Fault
	left int // remaining applications when f.Times > 0
}

// ErrInvalidFault is returned by InjectFault for a fault that cannot be applied.
var ErrInvalidFault = errors.New("invalid fault")

func (f *Fault) normalize() error {
	if f.Operation == "*" {
		f.Operation = ""
	}
	switch f.Kind {
	case FaultError:
		if f.Status == 0 {
			f.Status = http.StatusInternalServerError
		}
		if f.Status < 400 || f.Status > 599 {
			return fmt.Errorf("%w: status %d is not an error", ErrInvalidFault, f.Status)
		}
	case FaultRateLimit:
		if f.RetryAfter <= 0 {
			f.RetryAfter = time.Second
		}
	case FaultLatency:
		if f.Delay < 0 || f.Jitter < 0 || f.Delay+f.Jitter == 0 {
			return fmt.Errorf("%w: latency needs a positive delay or jitter", ErrInvalidFault)
		}
	case FaultReset, FaultPaymentRequired:
	case FaultStuckJob:
		if f.HoldAt < 0 || f.HoldAt >= 100 {
			return fmt.Errorf("%w: hold percentage %d outside 0..99", ErrInvalidFault, f.HoldAt)
		}
	default:
		return fmt.Errorf("%w: unknown kind %d", ErrInvalidFault, int(f.Kind))
	}
	if f.Rate < 0 || f.Rate > 1 {
		return fmt.Errorf("%w: rate %v outside 0..1", ErrInvalidFault, f.Rate)
	}
	if f.Times < 0 {
		return fmt.Errorf("%w: negative times", ErrInvalidFault)
	}
	return nil
}

// InjectFault adds a fault and returns the function that removes it.
func (s *Server) InjectFault(f Fault) (remove func(), err error) {
	if err := f.normalize(); err != nil {
		return nil, fmt.Errorf("inject fault: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextFault++
	e := &faultEntry{id: s.nextFault, f: f, left: f.Times}
	s.faults = append(s.faults, e)
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		for i, cur := range s.faults {
			if cur == e {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
				return
			}
		}
	}, nil
}

// Fault injects f for the rest of the test, failing the test if f is invalid.
func (s *Server) Fault(t testing.TB, f Fault) (remove func()) {
	t.Helper()
	remove, err := s.InjectFault(f)
	if err != nil {
		t.Fatalf("docspacetest: %v", err)
	}
	t.Cleanup(remove)
	return remove
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// faultPlan is what the pipeline does to one request.
type faultPlan struct {
	delay       time.Duration
	kind        FaultKind // FaultError, FaultRateLimit or FaultReset; 0 for none
	status      int
	retryAfter  time.Duration
	afterEffect bool
	unpaid      bool
}

// matches reports whether the fault applies to a request of rt by userID (not yet deciding Rate).
func (e *faultEntry) matches(opID, method, userID string) bool {
	f := e.f
	if f.Operation != "" && !strings.EqualFold(f.Operation, opID) {
		return false
	}
	if f.Method != "" && !strings.EqualFold(f.Method, method) {
		return false
	}
	if f.UserID != "" && !strings.EqualFold(f.UserID, userID) {
		return false
	}
	return f.Times == 0 || e.left > 0
}

// fire decides Rate and consumes one of Times; it reports whether the fault applies. Caller holds s.mu.
func (s *Server) fire(e *faultEntry) bool {
	if e.f.Rate > 0 && s.rng.Float64() >= e.f.Rate {
		return false
	}
	if e.f.Times > 0 {
		e.left--
	}
	return true
}

// planFaults decides the faults for one request.
func (s *Server) planFaults(rt *route, userID string) faultPlan {
	s.mu.Lock()
	defer s.mu.Unlock()
	var p faultPlan
	for _, e := range s.faults {
		if e.f.Kind == FaultStuckJob || !e.matches(rt.operationID, rt.method, userID) {
			continue
		}
		switch e.f.Kind {
		case FaultLatency:
			if s.fire(e) {
				d := e.f.Delay
				if e.f.Jitter > 0 {
					d += time.Duration(s.rng.Int64N(int64(e.f.Jitter) + 1))
				}
				p.delay += d
			}
		case FaultPaymentRequired:
			if !rt.allowUnpaid && s.fire(e) {
				p.unpaid = true
			}
		default:
			if p.kind == 0 && s.fire(e) {
				p.kind, p.status, p.retryAfter, p.afterEffect = e.f.Kind, e.f.Status, e.f.RetryAfter, e.f.AfterEffect
			}
		}
	}
	return p
}

// stuckJob reports whether a job started by operation opID for subject should never finish, and the
// percentage it stops at. Caller holds s.mu.
func (s *Server) stuckJob(opID, subjectID string) (bool, int) {
	for _, e := range s.faults {
		if e.f.Kind == FaultStuckJob && e.matches(opID, "", subjectID) && s.fire(e) {
			return true, e.f.HoldAt
		}
	}
	return false, 0
}
