package chaos

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// at is s seconds after a fixed instant.
func at(s float64) time.Time {
	return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(s * float64(time.Second)))
}

func TestLongestRecovery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		faults   []FaultEvent
		results  []time.Time
		want     time.Duration
		wantSeen int
	}{
		{name: "no faults", results: []time.Time{at(1)}, want: 0, wantSeen: 0},
		{
			name:    "the first result after each fault counts",
			faults:  []FaultEvent{{End: at(2)}, {End: at(10)}},
			results: []time.Time{at(1), at(2.5), at(3), at(13), at(14)},
			want:    3 * time.Second, wantSeen: 2,
		},
		{
			name:    "unsorted results",
			faults:  []FaultEvent{{End: at(5)}},
			results: []time.Time{at(9), at(1), at(6)},
			want:    time.Second, wantSeen: 1,
		},
		{
			name:    "a fault after the last result is not measured",
			faults:  []FaultEvent{{End: at(1)}, {End: at(20)}},
			results: []time.Time{at(1.5)},
			want:    500 * time.Millisecond, wantSeen: 1,
		},
		{
			name:    "a fault followed by another before any result is not measured",
			faults:  []FaultEvent{{Start: at(0), End: at(1)}, {Start: at(2), End: at(3)}},
			results: []time.Time{at(10)},
			want:    7 * time.Second, wantSeen: 1,
		},
		{
			name:    "a result at the very end of a fault is not after it",
			faults:  []FaultEvent{{End: at(3)}},
			results: []time.Time{at(3), at(4)},
			want:    time.Second, wantSeen: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, seen := longestRecovery(tt.faults, tt.results)
			if got != tt.want || seen != tt.wantSeen {
				t.Errorf("longestRecovery = %s, %d; want %s, %d", got, seen, tt.want, tt.wantSeen)
			}
		})
	}
}

func TestStepsAtKills(t *testing.T) {
	t.Parallel()
	progress := func(id, step string, status events.StepStatus, s float64) ProgressEvent {
		return ProgressEvent{Progress: &events.Progress{TerminationID: id, TerminationSource: Source, Step: step, Status: status, Time: at(s)}}
	}
	evs := []ProgressEvent{
		progress("a", events.StepDisable, events.StepRunning, 1),
		progress("a", events.StepDisable, events.StepDone, 1.1),
		progress("a", events.StepReassign, events.StepRunning, 1.2),
		progress("b", events.StepArchive, events.StepRunning, 1.5),
		progress("b", events.StepArchive, events.StepDone, 2.5),
		progress("a", events.StepReassign, events.StepRunning, 6), // the next run of the consumer
	}
	kills := []killMark{
		{started: at(0), killed: at(2)},   // a in reassign, b in archive
		{started: at(2.1), killed: at(3)}, // only events of another run: nothing running
		{started: at(5), killed: at(7)},   // a in reassign again
	}
	want := map[string]int{events.StepReassign: 2, events.StepArchive: 1, betweenSteps: 1}
	if diff := cmp.Diff(want, stepsAtKills(kills, evs)); diff != "" {
		t.Errorf("stepsAtKills (-want +got):\n%s", diff)
	}
}

func TestConsumerEnviron(t *testing.T) {
	t.Parallel()
	c := ConsumerConfig{NATSURL: "nats://127.0.0.1:4222", DocSpaceURL: "http://127.0.0.1:8092", APIKey: "sk-x",
		ArchiveOwnerID: "a", HRGroupID: "b", Replicas: 3,
		Env: map[string]string{"OFFBOARDING_JOB_TIMEOUT": "8s", "DOCSPACE_TIMEOUT": "2s"}}
	env := c.environ()
	if !slices.IsSorted(env) {
		t.Errorf("environment not sorted: %q", env)
	}
	got := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		got[k] = v
	}
	for k, want := range map[string]string{
		"NATS_URL": "nats://127.0.0.1:4222", "DOCSPACE_API_HOST": "http://127.0.0.1:8092", "DOCSPACE_API_KEY": "sk-x",
		"OFFBOARDING_ARCHIVE_OWNER_ID": "a", "OFFBOARDING_HR_GROUP_ID": "b", "OFFBOARDING_REPLICAS": "3",
		"OFFBOARDING_JOB_TIMEOUT": "8s", "DOCSPACE_TIMEOUT": "2s", "LOG_FORMAT": "json", "OFFBOARDING_LEASE_TTL": "3s",
	} {
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
}
