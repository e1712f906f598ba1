package consumer

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/docspace-offboarding/docspace-offboarding/internal/checkpoint"
	"github.com/docspace-offboarding/docspace-offboarding/internal/offboarding"
)

// handleCancellation records a cancellation. A termination that runs sees it
// at its next step boundary; one that has not arrived yet sees it when it
// does; one waiting for its effectiveAt ends at once, cancelled.
func (w *Worker) handleCancellation(ctx context.Context, msg jetstream.Msg) {
	meta, err := msg.Metadata()
	if err != nil {
		_ = msg.Term()
		return
	}
	policy := w.o.Policy
	policy.MaxDeliver = -1 // the cancellation consumer's (CancelConsumerConfig)
	p := &processing{w: w, msg: msg, meta: meta, log: w.log.With("stream_seq", meta.Sequence.Stream), policy: policy}
	p.settle(ctx, p.cancellation(ctx))
}

func (p *processing) cancellation(ctx context.Context) outcome {
	w := p.w
	in, err := w.o.Decoder.Decode(p.msg.Headers(), p.msg.Data())
	if err != nil {
		p.log.Warn("malformed cancellation; dead-lettering it", "err", err)
		return outcome{kind: poison, reason: err.Error()}
	}
	if in.Cancellation == nil {
		return outcome{kind: poison, reason: fmt.Sprintf("event type %q on the cancellation subject", in.Type)}
	}
	c := in.Cancellation
	p.trace = in.TraceParent
	p.log = p.log.With("event_id", c.TerminationID)
	cancel := offboarding.Cancellation{Reason: c.Reason, Source: in.Source, At: w.o.Now().UTC()}
	if err := w.o.Store.Cancel(ctx, c.TerminationSource, c.TerminationID, cancel); err != nil {
		return p.storeFailure(err)
	}
	rec, err := w.o.Store.Get(ctx, c.TerminationSource, c.TerminationID)
	if err != nil {
		return p.storeFailure(err)
	}
	switch {
	case rec == nil:
		p.log.Info("cancellation recorded before its termination arrived")
		return outcome{kind: finished}
	case rec.State.Finished():
		p.log.Info("cancellation arrived after the termination finished; nothing to stop", "status", rec.State.Result.Status)
		return outcome{kind: finished}
	case rec.Scheduled.IsZero() || rec.State.Plan != nil:
		// Running, or between attempts: it sees the cancellation at its next
		// step boundary, and re-enables the user there when configured to.
		p.log.Info("cancellation recorded; the termination stops at its next step")
		return outcome{kind: finished}
	}

	// Waiting for effectiveAt: end it now, and drop the scheduled copy.
	claim, err := w.o.Store.Claim(ctx, offboarding.Request{ID: c.TerminationID, Source: c.TerminationSource})
	var leased *checkpoint.LeasedError
	switch {
	case errors.As(err, &leased):
		return outcome{kind: finished} // it is running now, and will see the cancellation
	case err != nil:
		return p.storeFailure(err)
	}
	p.claim = claim
	p.st = &claim.Record().State
	defer p.release(ctx)
	if !p.st.Finished() {
		w.o.Runner.Cancel(p.st, &cancel)
		if err := claim.Save(ctx, p.st); err != nil {
			return p.storeFailure(err)
		}
	}
	if err := p.publishResult(ctx, p.st.Result); err != nil {
		return p.storeFailure(err)
	}
	if err := w.purgeSchedule(ctx, checkpoint.Key(c.TerminationSource, c.TerminationID)); err != nil {
		p.log.Warn("drop the scheduled copy of a cancelled termination", "err", err)
	}
	p.log.Info("scheduled termination cancelled")
	return outcome{kind: finished}
}

func (w *Worker) purgeSchedule(ctx context.Context, key string) error {
	s, err := w.o.JS.Stream(ctx, w.o.Topology.InputStream)
	if err != nil {
		return err
	}
	return s.Purge(ctx, jetstream.WithPurgeSubject(w.o.Topology.ScheduleSubjectPrefix+key))
}
