package chaos_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docspace-offboarding/docspace-offboarding/internal/chaos"
	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
)

// The demo company's people (docspacetest's demo fixture).
const (
	demoKeeper = "a0000000-0000-4000-8000-000000000003"
	demoJane   = "a0000000-0000-4000-8000-000000000010"
	demoJohn   = "a0000000-0000-4000-8000-000000000011"
)

func TestCompletedReassigns(t *testing.T) {
	t.Parallel()
	sim := docspacetest.Start(t, docspacetest.WithOptions(docspacetest.Options{ReassignDuration: 20 * time.Millisecond}))
	c, err := docspace.New(docspace.Options{BaseURL: sim.URL, APIKey: docspace.NewSecret(sim.AdminKey)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	since := time.Now().Add(-time.Minute)
	if _, err := c.SetUserStatus(ctx, docspace.UserStatusTerminated, demoJane, demoJohn); err != nil {
		t.Fatalf("disable: %v", err)
	}
	// Jane's content is reassigned twice, John's once.
	for _, from := range []string{demoJane, demoJane, demoJohn} {
		if _, err := c.StartReassign(ctx, from, demoKeeper, false); err != nil {
			t.Fatalf("start reassign from %s: %v", from, err)
		}
		if _, err := c.WaitReassign(ctx, from, docspace.PollOptions{MinInterval: 5 * time.Millisecond, MaxInterval: 20 * time.Millisecond}); err != nil {
			t.Fatalf("wait for the reassign from %s: %v", from, err)
		}
	}
	got, err := chaos.CompletedReassigns(ctx, sim.URL, sim.AdminKey, since)
	if err != nil {
		t.Fatalf("CompletedReassigns: %v", err)
	}
	want := map[string]int{strings.ToLower(demoJane): 2, strings.ToLower(demoJohn): 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CompletedReassigns (-want +got):\n%s", diff)
	}
}
