package offboarding_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/offboarding"
)

// BenchmarkOffboarding runs whole offboardings against the simulator over
// loopback HTTP, with DocSpace's background jobs made instant, so the figure
// is the service's own cost. It also reports the DocSpace requests one
// offboarding makes: with DocSpace's limit of 1500 requests per minute per
// user, requests/op bounds the offboardings per minute one API key allows.
func BenchmarkOffboarding(b *testing.B) {
	sim := docspacetest.Start(b, docspacetest.WithoutValidation(), docspacetest.WithOptions(docspacetest.Options{
		ReassignDuration: time.Millisecond, FileOperationDuration: time.Millisecond,
		RateLimits: docspacetest.RateLimits{Disabled: true},
	}))
	// DocSpace's 1500 requests a minute would throttle the loop; the benchmark
	// measures the service's own cost.
	client, err := docspace.New(docspace.Options{BaseURL: sim.URL, APIKey: docspace.NewSecret(sim.AdminKey),
		Limits: docspace.Limits{Requests: 1 << 20, Window: time.Minute}})
	if err != nil {
		b.Fatal(err)
	}
	r, err := offboarding.New(offboarding.Options{
		Client:   client,
		Defaults: offboarding.Defaults{ArchiveOwnerID: keeperID, HRGroupID: hrGroupID},
		Poll:     docspace.PollOptions{MinInterval: time.Millisecond, MaxInterval: 2 * time.Millisecond},
	})
	if err != nil {
		b.Fatal(err)
	}
	// One fresh employee per iteration, each with a workspace folder.
	users := make([]string, 0, 4096)
	folders := make([]int, 0, 4096)
	add := func(i int) {
		u := docspacetest.Must(sim.AddUser(docspacetest.UserSpec{FirstName: "Bench", LastName: fmt.Sprint(i), Email: fmt.Sprintf("bench%d@acme.example", i), Type: docspacetest.TypeUser}))(b)
		f := docspacetest.Must(sim.AddFolder(workspaces, fmt.Sprintf("Bench %d", i), u.ID))(b)
		users, folders = append(users, u.ID), append(folders, f.ID)
	}
	save := func(context.Context, *offboarding.State) error { return nil }
	b.ReportAllocs()
	calls0 := len(sim.Calls())
	n := 0
	for b.Loop() {
		b.StopTimer()
		add(n)
		b.StartTimer()
		req := offboarding.Request{ID: fmt.Sprint("bench-", n), Source: "/bench", Data: events.TerminationData{UserID: users[n], WorkspaceFolderID: events.EntryID(folders[n])}}
		res, err := r.Run(b.Context(), offboarding.NewState(req, time.Now()), offboarding.Hooks{Save: save})
		if err != nil || res.Status != events.StatusCompleted {
			b.Fatalf("offboarding %d: %v %+v", n, err, res)
		}
		n++
	}
	b.ReportMetric(float64(len(sim.Calls())-calls0)/float64(n), "requests/op")
}
