package publisher

import "github.com/docspace-offboarding/docspace-offboarding/internal/events"

// Summary counts what became of a batch of terminations: how many were published, and how many
// of those ended how.
type Summary struct {
	// Terminations is the size of the batch.
	Terminations int `json:"terminations"`
	// Published counts the terminations JetStream stored; Duplicates those it already held.
	Published  int `json:"published"`
	Duplicates int `json:"duplicates"`
	// NotPublished counts the terminations whose publish failed.
	NotPublished int `json:"notPublished"`
	// Completed, Failed, Cancelled and Planned count results by status.
	Completed int `json:"completed"`
	Failed    int `json:"failed"`
	Cancelled int `json:"cancelled"`
	Planned   int `json:"planned"`
	// Pending counts the published terminations without a result.
	Pending int `json:"pending"`
}

// NewSummary returns the summary of a batch of n terminations, none published yet.
func NewSummary(n int) Summary { return Summary{Terminations: n} }

// AddPublished counts the publish of one termination: pub when err is nil, a failure otherwise.
func (s *Summary) AddPublished(pub Published, err error) {
	switch {
	case err != nil:
		s.NotPublished++
		return
	case pub.Duplicate:
		s.Duplicates++
	default:
		s.Published++
	}
	s.Pending++
}

// AddResult counts the result of a published termination.
func (s *Summary) AddResult(r *events.Result) {
	switch r.Status {
	case events.StatusCompleted:
		s.Completed++
	case events.StatusFailed:
		s.Failed++
	case events.StatusCancelled:
		s.Cancelled++
	case events.StatusPlanned:
		s.Planned++
	default:
		return
	}
	if s.Pending > 0 {
		s.Pending--
	}
}

// Finished counts the results so far.
func (s Summary) Finished() int { return s.Completed + s.Failed + s.Cancelled + s.Planned }

// Unsuccessful reports whether an offboarding failed or was cancelled.
func (s Summary) Unsuccessful() bool { return s.Failed+s.Cancelled > 0 }

// Unsuccessful reports whether r is the result of an offboarding that failed or was cancelled.
func Unsuccessful(r *events.Result) bool {
	return r.Status == events.StatusFailed || r.Status == events.StatusCancelled
}
