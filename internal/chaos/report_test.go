package chaos_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/chaos"
)

func TestReplaceBlock(t *testing.T) {
	t.Parallel()
	doc := "# Reliability\n\nBefore.\n\n" + chaos.MarkerBegin + "\nold figures\n" + chaos.MarkerEnd + "\n\nAfter.\n"
	tests := []struct {
		name    string
		doc     string
		block   string
		want    string
		wantErr error
	}{
		{
			name:  "replaces what is between the markers",
			doc:   doc,
			block: "new figures\n",
			want:  "# Reliability\n\nBefore.\n\n" + chaos.MarkerBegin + "\nnew figures\n" + chaos.MarkerEnd + "\n\nAfter.\n",
		},
		{
			name:  "empty block",
			doc:   chaos.MarkerBegin + chaos.MarkerEnd,
			block: "",
			want:  chaos.MarkerBegin + "\n\n" + chaos.MarkerEnd,
		},
		{name: "no markers", doc: "# Reliability\n", block: "x", wantErr: chaos.ErrNoMarkers},
		{name: "end before begin", doc: chaos.MarkerEnd + "\n" + chaos.MarkerBegin, block: "x", wantErr: chaos.ErrNoMarkers},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := chaos.ReplaceBlock(tt.doc, tt.block)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ReplaceBlock error = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ReplaceBlock:\ngot  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestReplaceBlockIsIdempotent(t *testing.T) {
	t.Parallel()
	doc := "a\n" + chaos.MarkerBegin + "\n" + chaos.MarkerEnd + "\nb\n"
	once, err := chaos.ReplaceBlock(doc, "figures\n")
	if err != nil {
		t.Fatal(err)
	}
	twice, err := chaos.ReplaceBlock(once, "figures\n")
	if err != nil {
		t.Fatal(err)
	}
	if once != twice {
		t.Errorf("a second rewrite changed the document:\n%q\n%q", once, twice)
	}
}

func TestTable(t *testing.T) {
	t.Parallel()
	rows := []chaos.Row{
		{Scenario: "consumer-kill", Verdict: chaos.Verdict{Attempted: 20, Completed: 20},
			Faults: make([]chaos.FaultEvent, 50), Recovery: 2500 * time.Millisecond, Recoveries: 50, Duration: 95 * time.Second},
		{Scenario: "docspace-resets", Verdict: chaos.Verdict{Attempted: 20, Completed: 20,
			SideEffects: chaos.SideEffects{Rooms: 1}, Problems: []string{"EMP-00001: 2 rooms"}}, Duration: time.Minute},
		{Scenario: "network-cut", Err: errors.New("boom")},
	}
	got := strings.Split(strings.TrimSpace(chaos.Table(rows)), "\n")
	want := []string{
		"| consumer-kill | 20 | 20 | 0 | 0 | 0 | 0 | 50 | 2.5 s | 1m35s | pass |",
		"| docspace-resets | 20 | 20 | 0 | 1 | 0 | 0 | 0 | - | 1m0s | **FAIL** |",
		"| network-cut | 0 | 0 | 0 | 0 | 0 | 0 | 0 | - | 0s | harness error |",
	}
	if len(got) != 2+len(want) {
		t.Fatalf("Table has %d lines, want %d:\n%s", len(got), 2+len(want), strings.Join(got, "\n"))
	}
	for i, w := range want {
		if got[2+i] != w {
			t.Errorf("row %d:\ngot  %s\nwant %s", i, got[2+i], w)
		}
	}
}
