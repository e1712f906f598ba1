package consumer_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/publisher"
)

// BenchmarkPipeline measures offboardings through the running service:
// publish through the CLI's code path, JetStream, the worker (4 at once) with
// its checkpoints and leases in the key-value store, the simulator over
// loopback HTTP with instant background jobs, the result published back.
// Each iteration is one offboarding; the batch is published at once and
// waited for, so ns/op is the service's own cost per offboarding at
// concurrency 4. DocSpace's job durations and rate limits come on top in
// production.
func BenchmarkPipeline(b *testing.B) {
	e := startEnv(b, func(c *envConfig) {
		c.sim = docspacetest.Options{ReassignDuration: time.Millisecond, FileOperationDuration: time.Millisecond,
			RateLimits: docspacetest.RateLimits{Disabled: true}}
		// DocSpace's 1500 requests a minute would cap this at about 40
		// offboardings a minute; the benchmark measures the service itself.
		c.limits = docspace.Limits{Requests: 1 << 30, Window: time.Minute}
	})
	pub, err := publisher.New(e.js, publisher.Options{Source: "/bench", Store: e.store})
	if err != nil {
		b.Fatal(err)
	}
	var ts []publisher.Termination
	for i := range b.N {
		u := docspacetest.Must(e.sim.AddUser(docspacetest.UserSpec{FirstName: "Bench", LastName: fmt.Sprint(i), Email: fmt.Sprintf("b%d@acme.example", i), Type: docspacetest.TypeUser}))(b)
		f := docspacetest.Must(e.sim.AddFolder(1000, fmt.Sprintf("Bench %d", i), u.ID))(b)
		ts = append(ts, publisher.Termination{ID: fmt.Sprint("bench-", i), Data: events.TerminationData{UserID: u.ID, WorkspaceFolderID: events.EntryID(f.ID)}})
	}
	b.ReportAllocs()
	b.ResetTimer()
	published, err := pub.TerminateAll(b.Context(), ts, nil)
	if err != nil {
		b.Fatal(err)
	}
	results, err := pub.Wait(b.Context(), published, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	for id, r := range results {
		if r.Status != events.StatusCompleted {
			b.Fatalf("%s: %s %+v", id, r.Status, r.Error)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "offboardings/s")
}
