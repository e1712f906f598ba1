package chaos

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// Stream names and subjects of the contract (docs/CONTRACT.md §1).
const (
	InputStream   = "EMPLOYEE"
	OutputStream  = "OFFBOARDING"
	InputSubject  = events.TypeTerminated
	DurableName   = "offboarding"
	progressLimit = 1 << 20
)

// ResultEvent is a result read back from the output stream.
type ResultEvent struct {
	Result *events.Result
	// ID is the event's CloudEvents id.
	ID       string
	Sequence uint64
	// Time is when the stream stored it.
	Time time.Time
}

// ProgressEvent is a progress event read back from the output stream.
type ProgressEvent struct {
	Progress *events.Progress
	Time     time.Time
}

// Output is what the output stream holds.
type Output struct {
	Results  []ResultEvent
	Progress []ProgressEvent
	// DeadLetters counts messages on the dead-letter subject.
	DeadLetters int
	// Undecodable lists events that could not be read, by stream sequence.
	Undecodable []string
}

// ReadOutput reads the whole output stream: results and, with progress,
// progress events and dead letters.
func ReadOutput(ctx context.Context, js jetstream.JetStream, progress bool) (*Output, error) {
	out, _, err := readOutput(ctx, js, progress, 0)
	return out, err
}

// readOutput reads the output stream as ReadOutput does, from the message
// after stream sequence after (0: the whole stream). last is the stream
// sequence of the last message read, or after when there was none.
func readOutput(ctx context.Context, js jetstream.JetStream, progress bool, after uint64) (out *Output, last uint64, err error) {
	subjects := []string{events.SubjectCompleted, events.SubjectFailed}
	if progress {
		subjects = append(subjects, events.SubjectProgress, events.SubjectDeadLetter)
	}
	out, last = &Output{}, after
	err = readStream(ctx, js, OutputStream, subjects, after, func(m jetstream.Msg, meta *jetstream.MsgMetadata) {
		last = meta.Sequence.Stream
		switch m.Subject() {
		case events.SubjectCompleted, events.SubjectFailed:
			em, r, err := events.DecodeResult(m.Headers(), m.Data())
			if err != nil {
				out.Undecodable = append(out.Undecodable, fmt.Sprintf("%d: %v", meta.Sequence.Stream, err))
				return
			}
			out.Results = append(out.Results, ResultEvent{Result: r, ID: em.ID, Sequence: meta.Sequence.Stream, Time: meta.Timestamp})
		case events.SubjectProgress:
			_, p, err := events.DecodeProgress(m.Headers(), m.Data())
			if err != nil {
				out.Undecodable = append(out.Undecodable, fmt.Sprintf("%d: %v", meta.Sequence.Stream, err))
				return
			}
			if len(out.Progress) < progressLimit {
				out.Progress = append(out.Progress, ProgressEvent{Progress: p, Time: meta.Timestamp})
			}
		case events.SubjectDeadLetter:
			out.DeadLetters++
		}
	})
	if err != nil {
		return nil, after, fmt.Errorf("read stream %s: %w", OutputStream, err)
	}
	return out, last, nil
}

// InputMessage is a termination read back from the input stream.
type InputMessage struct {
	// ID and Source are the event's; MsgID its Nats-Msg-Id.
	ID, Source, MsgID string
	Sequence          uint64
}

// ReadInput reads every termination in the input stream.
func ReadInput(ctx context.Context, js jetstream.JetStream) ([]InputMessage, error) {
	dec, err := events.NewDecoder()
	if err != nil {
		return nil, err
	}
	var out []InputMessage
	err = readStream(ctx, js, InputStream, []string{InputSubject}, 0, func(m jetstream.Msg, meta *jetstream.MsgMetadata) {
		in := InputMessage{MsgID: m.Headers().Get(nats.MsgIdHdr), Sequence: meta.Sequence.Stream}
		if e, err := dec.Decode(m.Headers(), m.Data()); err == nil {
			in.ID, in.Source = e.ID, e.Source
		}
		out = append(out, in)
	})
	if err != nil {
		return nil, fmt.Errorf("read stream %s: %w", InputStream, err)
	}
	return out, nil
}

// Backlog is the durable consumer's outstanding work.
type Backlog struct {
	// Pending is how many messages were not delivered yet; AckPending how
	// many were delivered and not settled.
	Pending    uint64
	AckPending int
	// AckFloor is the stream sequence below which every message is settled.
	AckFloor uint64
}

// Idle reports whether the consumer has nothing left to do.
func (b Backlog) Idle() bool { return b.Pending == 0 && b.AckPending == 0 }

// ReadBacklog reads the termination consumer's outstanding work.
func ReadBacklog(ctx context.Context, js jetstream.JetStream) (Backlog, error) {
	c, err := js.Consumer(ctx, InputStream, DurableName)
	if err != nil {
		return Backlog{}, fmt.Errorf("read consumer %s: %w", DurableName, err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		return Backlog{}, fmt.Errorf("read consumer %s: %w", DurableName, err)
	}
	return Backlog{Pending: info.NumPending, AckPending: info.NumAckPending, AckFloor: info.AckFloor.Stream}, nil
}

// readStream calls f for every message of stream on subjects after stream
// sequence after (0: from the first), in order. It reads with an ephemeral pull consumer of its own that needs no acks and
// is deleted afterwards (the server drops it anyway after a minute unused).
// Unlike an ordered consumer it never re-creates itself behind the caller's
// back, so a read during a NATS outage fails, within ctx, instead of
// waiting for the outage to end.
func readStream(ctx context.Context, js jetstream.JetStream, stream string, subjects []string, after uint64, f func(jetstream.Msg, *jetstream.MsgMetadata)) error {
	cfg := jetstream.ConsumerConfig{
		FilterSubjects:    subjects,
		DeliverPolicy:     jetstream.DeliverAllPolicy,
		AckPolicy:         jetstream.AckNonePolicy,
		InactiveThreshold: time.Minute,
		MemoryStorage:     true,
		Replicas:          1,
	}
	if after > 0 {
		cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, after+1
	}
	cons, err := js.CreateConsumer(ctx, stream, cfg)
	if err != nil {
		return err
	}
	defer func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = js.DeleteConsumer(dctx, stream, cons.CachedInfo().Name)
	}()
	remaining := cons.CachedInfo().NumPending
	for remaining > 0 {
		fctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		batch, err := cons.Fetch(int(min(remaining, 500)), jetstream.FetchContext(fctx))
		if err != nil {
			cancel()
			return err
		}
		got := 0
		for m := range batch.Messages() {
			got++
			meta, err := m.Metadata()
			if err != nil {
				cancel()
				return err
			}
			f(m, meta)
			remaining = meta.NumPending
		}
		berr := batch.Error()
		cancel()
		if berr != nil && !errors.Is(berr, context.DeadlineExceeded) && !errors.Is(berr, nats.ErrTimeout) && !errors.Is(berr, jetstream.ErrNoMessages) {
			return berr
		}
		if got == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			return fmt.Errorf("%d message(s) announced but none delivered", remaining)
		}
	}
	return nil
}
