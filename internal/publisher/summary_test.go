package publisher_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/publisher"
)

func TestSummary(t *testing.T) {
	t.Parallel()
	s := publisher.NewSummary(6)
	s.AddPublished(publisher.Published{ID: "a"}, nil)
	s.AddPublished(publisher.Published{ID: "b", Duplicate: true}, nil)
	s.AddPublished(publisher.Published{}, errors.New("not acknowledged"))
	for _, id := range []string{"c", "d", "e"} {
		s.AddPublished(publisher.Published{ID: id}, nil)
	}
	for _, st := range []events.Status{events.StatusCompleted, events.StatusFailed, events.StatusCancelled, events.StatusPlanned} {
		r := result("/hris", "x", st)
		s.AddResult(&r)
	}
	want := publisher.Summary{Terminations: 6, Published: 4, Duplicates: 1, NotPublished: 1, Completed: 1, Failed: 1, Cancelled: 1, Planned: 1, Pending: 1}
	if diff := cmp.Diff(s, want); diff != "" {
		t.Errorf("summary (-got +want):\n%s", diff)
	}
	if s.Finished() != 4 || !s.Unsuccessful() {
		t.Errorf("Finished() = %d, Unsuccessful() = %v; want 4, true", s.Finished(), s.Unsuccessful())
	}
	tests := []struct {
		status events.Status
		want   bool
	}{
		{events.StatusCompleted, false},
		{events.StatusPlanned, false},
		{events.StatusFailed, true},
		{events.StatusCancelled, true},
	}
	for _, tt := range tests {
		r := result("/hris", "x", tt.status)
		if got := publisher.Unsuccessful(&r); got != tt.want {
			t.Errorf("Unsuccessful(%s) = %v, want %v", tt.status, got, tt.want)
		}
	}
}
