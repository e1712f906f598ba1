package docspace_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
)

// A Client is built once per process from the portal URL and the API key,
// then shared by every goroutine.
func ExampleNew() {
	c, err := docspace.New(docspace.Options{
		BaseURL: "https://acme.onlyoffice.com",
		APIKey:  docspace.NewSecret(os.Getenv("DOCSPACE_API_KEY")),
		Logger:  slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		fmt.Println(errors.Is(err, docspace.ErrInvalidArgument))
		return
	}
	fmt.Println(c)
}

// Reassigning a leaver's data: start the job, then wait for it, sending a
// heartbeat on each poll. A job that vanished before its end was seen is
// resolved by reading the state back.
func ExampleClient_WaitReassign() {
	ctx := context.Background()
	c, err := docspace.New(docspace.Options{BaseURL: "https://acme.onlyoffice.com", APIKey: docspace.NewSecret("sk-…")})
	if err != nil {
		return
	}
	const leaver, archiveOwner = "2d5c1c1e-8f3a-4c6e-9d3b-1a2b3c4d5e6f", "11111111-2222-3333-4444-555555555555"
	if _, err := c.StartReassign(ctx, leaver, archiveOwner, false); err != nil {
		return
	}
	_, err = c.WaitReassign(ctx, leaver, docspace.PollOptions{
		OnPoll: func(percentage int) { /* msg.InProgress() */ },
	})
	var jobErr *docspace.JobError
	switch {
	case err == nil:
		fmt.Println("reassigned")
	case errors.As(err, &jobErr):
		fmt.Println("job ended:", jobErr.Status, jobErr.Message)
	case errors.Is(err, docspace.ErrOutcomeUnknown):
		fmt.Println("read the state back")
	case docspace.IsRetryable(err):
		fmt.Println("try again later")
	default:
		fmt.Println("give up:", err)
	}
}
