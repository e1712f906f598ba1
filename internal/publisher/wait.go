package publisher

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// storeLookups bounds the checkpoint store reads Wait makes at once.
const storeLookups = 16

// MalformedError is an event on the output stream that Wait or Watch could not decode; they skip
// it and hand it to Options.Malformed.
type MalformedError struct {
	Subject  string
	Sequence uint64
	Err      error
}

// Error returns "output event <seq> on <subject>: <err>".
func (e *MalformedError) Error() string {
	return fmt.Sprintf("output event %d on %s: %v", e.Sequence, e.Subject, e.Err)
}

// Unwrap returns the decoding error.
func (e *MalformedError) Unwrap() error { return e.Err }

// key identifies a termination.
type key struct{ source, id string }

// Wait follows the output stream until every termination in ids has a result, calling onProgress
// and onResult (each may be nil) as events arrive, from the calling goroutine. A termination
// matches an event by terminationId and terminationSource. It returns the results by
// termination id, so ids must not hold one id with two sources.
//
// It starts an ordered consumer on the output stream at Options.Lookback before the earliest
// Published.At, and only then reads the checkpoint store (when Options.Store is set): a
// termination that finished before Wait started is found there at once, and one that finishes
// meanwhile is on the stream. When ctx ends first, Wait returns the results it has and an error
// that wraps ctx.Err().
func (p *Publisher) Wait(ctx context.Context, ids []Published, onProgress func(*events.Progress), onResult func(*events.Result)) (map[string]*events.Result, error) {
	results := make(map[string]*events.Result, len(ids))
	pending := make(map[key]struct{}, len(ids))
	order := make([]key, 0, len(ids))
	sources := make(map[string]string, len(ids))
	var start time.Time
	duplicate := false
	for _, pub := range ids {
		if pub.ID == "" || pub.Source == "" {
			return nil, errors.New("wait: a termination without an id or a source")
		}
		if s, ok := sources[pub.ID]; ok && s != pub.Source {
			return nil, fmt.Errorf("wait: termination %q is listed with two sources, %q and %q", pub.ID, s, pub.Source)
		}
		sources[pub.ID] = pub.Source
		k := key{pub.Source, pub.ID}
		if _, ok := pending[k]; !ok {
			pending[k] = struct{}{}
			order = append(order, k)
		}
		at := pub.At
		if at.IsZero() {
			at = p.o.Now()
		}
		if start.IsZero() || at.Before(start) {
			start = at
		}
		duplicate = duplicate || pub.Duplicate
	}
	if len(pending) == 0 {
		return results, nil
	}
	start = start.Add(-p.o.Lookback)
	if duplicate && p.o.Store == nil {
		start = start.Add(-p.o.DuplicateWindow)
	}

	it, err := p.follow(ctx, start, onProgress != nil)
	if err != nil {
		return results, fmt.Errorf("wait: %w", err)
	}
	defer it.Stop()

	deliver := func(r *events.Result) {
		k := key{r.TerminationSource, r.TerminationID}
		if _, ok := pending[k]; !ok {
			return
		}
		delete(pending, k)
		results[r.TerminationID] = r
		if onResult != nil {
			onResult(r)
		}
	}
	if p.o.Store != nil {
		found, err := p.finished(ctx, order)
		if err != nil {
			return results, fmt.Errorf("wait: %w", err)
		}
		for _, r := range found {
			if r != nil {
				deliver(r)
			}
		}
	}
	for len(pending) > 0 {
		msg, err := it.Next(jetstream.NextContext(ctx))
		if err != nil {
			if ctx.Err() != nil {
				return results, fmt.Errorf("wait: %d of %d results still missing: %w", len(pending), len(order), ctx.Err())
			}
			return results, fmt.Errorf("wait: follow stream %s: %w", p.o.OutputStream, err)
		}
		progress, result := p.decodeOutput(msg)
		switch {
		case result != nil:
			deliver(result)
		case progress != nil && onProgress != nil:
			if _, ok := pending[key{progress.TerminationSource, progress.TerminationID}]; ok {
				onProgress(progress)
			}
		}
	}
	return results, nil
}

// Watch follows the output stream from since (zero: from its first event) and calls onProgress
// and onResult (each may be nil) for every progress and result event, from the calling
// goroutine, until ctx ends; then it returns nil. It returns an error when the stream cannot be
// followed.
func (p *Publisher) Watch(ctx context.Context, since time.Time, onProgress func(*events.Progress), onResult func(*events.Result)) error {
	it, err := p.follow(ctx, since, onProgress != nil)
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	defer it.Stop()
	for {
		msg, err := it.Next(jetstream.NextContext(ctx))
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return fmt.Errorf("watch: follow stream %s: %w", p.o.OutputStream, err)
		}
		progress, result := p.decodeOutput(msg)
		switch {
		case result != nil && onResult != nil:
			onResult(result)
		case progress != nil && onProgress != nil:
			onProgress(progress)
		}
	}
}

// follow starts an ordered consumer on the output stream from start (zero: the first event),
// filtered to the result subjects and, with progress, the progress subject. The consumer exists
// on the server when follow returns.
func (p *Publisher) follow(ctx context.Context, start time.Time, progress bool) (jetstream.MessagesContext, error) {
	subjects := []string{events.SubjectCompleted, events.SubjectFailed}
	if progress {
		subjects = append(subjects, events.SubjectProgress)
	}
	cfg := jetstream.OrderedConsumerConfig{FilterSubjects: subjects, DeliverPolicy: jetstream.DeliverAllPolicy}
	if !start.IsZero() {
		t := start.UTC()
		cfg.DeliverPolicy, cfg.OptStartTime = jetstream.DeliverByStartTimePolicy, &t
	}
	cons, err := p.js.OrderedConsumer(ctx, p.o.OutputStream, cfg)
	if err != nil {
		return nil, fmt.Errorf("follow stream %s: %w", p.o.OutputStream, err)
	}
	it, err := cons.Messages()
	if err != nil {
		return nil, fmt.Errorf("follow stream %s: %w", p.o.OutputStream, err)
	}
	return it, nil
}

// decodeOutput decodes a progress or result event; an event that cannot be decoded goes to
// Options.Malformed and gives neither.
func (p *Publisher) decodeOutput(msg jetstream.Msg) (*events.Progress, *events.Result) {
	var err error
	if msg.Subject() == events.SubjectProgress {
		var pr *events.Progress
		if _, pr, err = events.DecodeProgress(msg.Headers(), msg.Data()); err == nil {
			return pr, nil
		}
	} else {
		var r *events.Result
		if _, r, err = events.DecodeResult(msg.Headers(), msg.Data()); err == nil {
			return nil, r
		}
	}
	if p.o.Malformed != nil {
		me := &MalformedError{Subject: msg.Subject(), Err: err}
		if meta, merr := msg.Metadata(); merr == nil {
			me.Sequence = meta.Sequence.Stream
		}
		p.o.Malformed(me)
	}
	return nil, nil
}

// finished reads the results of terminations that already finished from the checkpoint store:
// out[i] is the result of keys[i], or nil while it has none.
func (p *Publisher) finished(ctx context.Context, keys []key) ([]*events.Result, error) {
	out := make([]*events.Result, len(keys))
	errs := make([]error, len(keys))
	parallel(len(keys), storeLookups, func(i int) {
		if ctx.Err() != nil {
			errs[i] = ctx.Err()
			return
		}
		rec, err := p.o.Store.Get(ctx, keys[i].source, keys[i].id)
		switch {
		case err != nil:
			errs[i] = err
		case rec != nil && rec.State.Result != nil:
			out[i] = rec.State.Result
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("read finished terminations: %w", err)
		}
	}
	return out, nil
}
