package chaos

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/publisher"
)

// Source is the CloudEvents source of the terminations the harness publishes.
const Source = "/hris/chaos"

// Termination is one offboarding the harness asks for.
type Termination struct {
	publisher.Termination
	Employee Employee
}

// Terminations builds the terminations of every employee of c: ids from rng,
// structured and binary content mode alternating, a third naming the user by
// email only.
func Terminations(c *Company, rng *rand.Rand) []Termination {
	out := make([]Termination, 0, len(c.Employees))
	for i, e := range c.Employees {
		var id uuid.UUID
		for j := range id {
			id[j] = byte(rng.UintN(256))
		}
		id[6] = id[6]&0x0f | 0x40 // version 4
		id[8] = id[8]&0x3f | 0x80 // RFC 4122 variant
		d := events.TerminationData{
			UserID:            e.ID,
			EmployeeID:        e.EmployeeID,
			WorkspaceFolderID: events.EntryID(e.FolderID),
			Reason:            "chaos suite",
		}
		if i%3 == 2 {
			d.UserID, d.Email = "", e.Email
		}
		mode := events.Structured
		if i%2 == 1 {
			mode = events.Binary
		}
		out = append(out, Termination{
			Termination: publisher.Termination{ID: id.String(), Source: Source, Data: d, Mode: mode},
			Employee:    e,
		})
	}
	return out
}

// Publication is what became of publishing one termination.
type Publication struct {
	Index int
	ID    string
	// Published is JetStream's acknowledgement of the last attempt, when
	// there was one.
	Published publisher.Published
	Acked     bool
	// Attempts counts calls of Publisher.Terminate (each may publish more
	// than once itself); every attempt carries the same event id and
	// Nats-Msg-Id.
	Attempts int
	// Errors are the failures of the attempts before the acknowledgement.
	Errors  []string
	AckedAt time.Time
}

// Driver publishes terminations through the operators' publisher, as an HR
// system would, retrying a publish that fails with the same event id so that
// at-least-once publishing cannot make a second termination.
type Driver struct {
	pub *publisher.Publisher
	// RetryDelay is the pause between attempts at one termination.
	RetryDelay time.Duration
}

// NewDriver returns a driver publishing on js.
func NewDriver(js jetstream.JetStream) (*Driver, error) {
	pub, err := publisher.New(js, publisher.Options{Source: Source, AckTimeout: 2 * time.Second, Attempts: 2})
	if err != nil {
		return nil, fmt.Errorf("new driver: %w", err)
	}
	return &Driver{pub: pub, RetryDelay: 250 * time.Millisecond}, nil
}

// Publish publishes ts one after another, gap apart, each until JetStream
// acknowledges it or ctx ends. Failed publishes are retried in the
// background while the next ones go out. onAck, when not nil, is called
// (never concurrently) as each is acknowledged. It returns one Publication
// per termination, in order.
func (d *Driver) Publish(ctx context.Context, ts []Termination, gap time.Duration, onAck func(Publication)) []Publication {
	out := make([]Publication, len(ts))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, t := range ts {
		if i > 0 && gap > 0 {
			if pause(ctx, gap) != nil {
				break
			}
		}
		wg.Go(func() {
			p := Publication{Index: i, ID: t.ID}
			for ctx.Err() == nil {
				p.Attempts++
				pub, err := d.pub.Terminate(ctx, t.Termination)
				if err == nil {
					p.Published, p.Acked, p.AckedAt = pub, true, time.Now()
					break
				}
				if errors.Is(err, publisher.ErrInvalid) {
					p.Errors = append(p.Errors, err.Error())
					break
				}
				p.Errors = append(p.Errors, err.Error())
				if pause(ctx, d.RetryDelay) != nil {
					break
				}
			}
			mu.Lock()
			defer mu.Unlock()
			out[i] = p
			if p.Acked && onAck != nil {
				onAck(p)
			}
		})
	}
	wg.Wait()
	for i := range out {
		if out[i].ID == "" {
			out[i] = Publication{Index: i, ID: ts[i].ID}
		}
	}
	return out
}

// pause waits d or until ctx ends.
func pause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
