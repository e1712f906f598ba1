package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/publisher"
)

func TestWriteStatus(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	done := newResult("t-done", "/hris", events.StatusCompleted)
	tests := []struct {
		name string
		st   publisher.Status
		want []string
		not  []string
	}{
		{
			name: "running",
			st: publisher.Status{ID: "t-1", Source: "/hris", State: publisher.StateRunning, Recorded: true, Attempts: 2,
				StartedAt: at, Worker: "host-a:41", LeaseUntil: at.Add(30 * time.Second),
				Steps:        []publisher.StepState{{Name: "disable", Status: events.StepDone, Attempts: 1}, {Name: "reassign", Attempts: 2}},
				LastError:    &events.Error{Step: "reassign", Code: "docspace_unavailable", Message: "503"},
				Cancellation: &publisher.Cancellation{Source: "/offboarding-cli", Reason: "rehired", At: at}},
			want: []string{"Termination t-1 from /hris: RUNNING", "worker", "host-a:41", "attempts", "2",
				"last error", "docspace_unavailable in reassign: 503", "cancellation", "by /offboarding-cli: rehired",
				"Steps", "disable", "done", "reassign", "unfinished", "2 attempt(s)"},
		},
		{
			name: "scheduled",
			st:   publisher.Status{ID: "t-2", Source: "/hris", State: publisher.StateScheduled, Recorded: true, Due: at},
			want: []string{"SCHEDULED", "due"},
			not:  []string{"Steps", "no record"},
		},
		{
			name: "unknown",
			st:   publisher.Status{ID: "t-3", Source: "/hris", State: publisher.StatePending},
			want: []string{"PENDING", "no record of it yet"},
			not:  []string{"attempts"},
		},
		{
			name: "finished",
			st:   publisher.Status{ID: "t-done", Source: "/hris", State: publisher.StateFinished, Recorded: true, Attempts: 1, Result: &done},
			want: []string{"FINISHED", "Offboarding t-done: COMPLETED", "Report"},
			not:  []string{"attempts", "Steps\n  disable  done  1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := writeStatus(&b, &tt.st); err != nil {
				t.Fatal(err)
			}
			got := b.String()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("output has %q:\n%s", n, got)
				}
			}
		})
	}
}
