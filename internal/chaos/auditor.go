package chaos

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
)

// CompletedReassigns reads DocSpace's audit trail, as an auditor with an
// admin key would, and counts per user (by lower-case id) the reassign jobs
// that ran to the end since since: each writes one "UserDataReassigns" event
// about the user it reassigned from. A job started and terminated before
// its end writes none; a start that DocSpace answered with the job already
// running starts nothing.
func CompletedReassigns(ctx context.Context, baseURL, apiKey string, since time.Time) (map[string]int, error) {
	c, err := docspace.New(docspace.Options{BaseURL: baseURL, APIKey: docspace.NewSecret(apiKey), UserAgent: "docspace-offboarding-chaos"})
	if err != nil {
		return nil, fmt.Errorf("read reassign jobs: %w", err)
	}
	defer c.CloseIdleConnections()
	const page = 100
	out := map[string]int{}
	f := docspace.AuditFilter{Action: docspace.ActionUserDataReassigns, From: since, To: time.Now().Add(time.Hour), Count: page}
	for {
		evs, err := c.AuditEvents(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("read reassign jobs: %w", err)
		}
		for _, e := range evs {
			if e.ActionID == docspace.ActionUserDataReassigns && len(e.Target) > 0 {
				out[strings.ToLower(e.Target[0])]++
			}
		}
		if len(evs) < page {
			return out, nil
		}
		f.StartIndex += page
	}
}
