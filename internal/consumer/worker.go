// Package consumer runs the JetStream side of the service: it pulls
// terminations and cancellations from their durable consumers, runs each
// termination under a lease with its checkpoints in the key-value store,
// publishes the result with a publish ack, and only then settles the message.
// One function, disposition, decides how every message is settled.
package consumer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/docspace-offboarding/docspace-offboarding/internal/checkpoint"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/offboarding"
)

// Headers the service adds to dead letters.
const (
	HeaderReason          = "Offboarding-Reason"
	HeaderOriginalSubject = "Offboarding-Original-Subject"
	HeaderStreamSequence  = "Offboarding-Stream-Sequence"
	HeaderDeliveries      = "Offboarding-Deliveries"
)

// headerScheduler marks a message JetStream's scheduler delivered.
const headerScheduler = "Nats-Scheduler"

// Options configure a Worker.
type Options struct {
	JS       jetstream.JetStream
	Topology Topology
	// Concurrency is how many terminations run at once in this process.
	Concurrency int
	Policy      Policy
	// LeaseTTL is the checkpoint store's lease; heartbeats renew it.
	LeaseTTL time.Duration
	// ShutdownTimeout bounds how long in-flight terminations may finish
	// after Run's context ends; then they are interrupted and handed back.
	ShutdownTimeout time.Duration
	Runner          *offboarding.Runner
	Store           *checkpoint.Store
	Decoder         *events.Decoder
	Encoder         events.Encoder
	Logger          *slog.Logger
	// OnResult is called after a result is published; optional.
	OnResult func(*events.Result)
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Worker consumes terminations and cancellations.
type Worker struct {
	o   Options
	log *slog.Logger
}

// New checks o and returns a Worker.
func New(o Options) (*Worker, error) {
	switch {
	case o.JS == nil, o.Runner == nil, o.Store == nil, o.Decoder == nil:
		return nil, errors.New("consumer: JetStream, runner, store and decoder are required")
	case o.Concurrency < 1:
		return nil, errors.New("consumer: concurrency must be at least 1")
	case o.Policy.MaxAttempts < 1 || o.Policy.BaseDelay <= 0 || o.Policy.MaxDelay < o.Policy.BaseDelay:
		return nil, errors.New("consumer: the retry policy needs MaxAttempts ≥ 1 and 0 < BaseDelay ≤ MaxDelay")
	}
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = 30 * time.Second
	}
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = 30 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	o.Policy.MaxDeliver = o.Topology.MaxDeliver
	return &Worker{o: o, log: o.Logger}, nil
}

// Run consumes until ctx ends, then stops fetching, lets in-flight
// terminations finish within ShutdownTimeout, interrupts the rest (they keep
// their checkpoints and are handed back for redelivery), and returns.
func (w *Worker) Run(ctx context.Context) error {
	js, t := w.o.JS, w.o.Topology
	cons, err := js.Consumer(ctx, t.InputStream, t.Consumer)
	if err != nil {
		return fmt.Errorf("open consumer %s: %w", t.Consumer, err)
	}
	ccons, err := js.Consumer(ctx, t.InputStream, t.CancelConsumer)
	if err != nil {
		return fmt.Errorf("open consumer %s: %w", t.CancelConsumer, err)
	}

	// In-flight work outlives ctx by up to ShutdownTimeout.
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()

	// One message at a time, and only when a worker is free (below): a message
	// buffered here would sit without heartbeats and could outlive AckWait.
	it, err := cons.Messages(jetstream.PullMaxMessages(1))
	if err != nil {
		return fmt.Errorf("pull from %s: %w", t.Consumer, err)
	}
	cit, err := ccons.Messages(jetstream.PullMaxMessages(8))
	if err != nil {
		it.Stop()
		return fmt.Errorf("pull from %s: %w", t.CancelConsumer, err)
	}
	// A pull loop that ends while ctx lives (the consumer was deleted, say)
	// stops the worker with an error rather than leaving it idle.
	pullCtx, stopPull := context.WithCancelCause(ctx)
	defer stopPull(nil)
	var loops sync.WaitGroup
	var inflight sync.WaitGroup
	sem := make(chan struct{}, w.o.Concurrency)
	loops.Add(2)
	ended := func(name string) {
		if ctx.Err() == nil {
			stopPull(fmt.Errorf("pulling from %s stopped", name))
		}
	}
	go func() {
		defer loops.Done()
		defer ended(t.Consumer)
		w.pull(pullCtx, it, func() bool {
			select {
			case sem <- struct{}{}:
				return true
			case <-pullCtx.Done():
				return false
			}
		}, func(msg jetstream.Msg) {
			inflight.Add(1)
			go func() {
				defer inflight.Done()
				defer func() { <-sem }()
				w.handleTermination(workCtx, msg)
			}()
		})
	}()
	go func() {
		defer loops.Done()
		defer ended(t.CancelConsumer)
		w.pull(pullCtx, cit, func() bool { return true }, func(msg jetstream.Msg) { w.handleCancellation(workCtx, msg) })
	}()
	w.log.Info("consuming", "stream", t.InputStream, "consumer", t.Consumer, "concurrency", w.o.Concurrency)

	<-pullCtx.Done()
	it.Drain()
	cit.Drain()
	loops.Wait()

	done := make(chan struct{})
	go func() { inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(w.o.ShutdownTimeout):
		w.log.Warn("shutdown deadline reached; interrupting in-flight offboardings", "duration", w.o.ShutdownTimeout)
		stopWork()
		<-done
	}
	w.log.Info("stopped consuming")
	if ctx.Err() == nil {
		return context.Cause(pullCtx)
	}
	return nil
}

// pull feeds handle with messages until the iterator stops. Before taking
// each message it calls ready, which waits for a free worker; when ready
// reports false (shutting down), or ctx has ended, messages still buffered are
// handed back at once.
func (w *Worker) pull(ctx context.Context, it jetstream.MessagesContext, ready func() bool, handle func(jetstream.Msg)) {
	for {
		free := ready()
		msg, ok := w.next(it)
		if !ok {
			return
		}
		if !free || ctx.Err() != nil {
			w.handBack(msg)
			continue
		}
		handle(msg)
	}
}

// next returns the next message, riding out transient pull errors; false
// means the iterator is closed.
func (w *Worker) next(it jetstream.MessagesContext) (jetstream.Msg, bool) {
	for {
		msg, err := it.Next()
		switch {
		case errors.Is(err, jetstream.ErrMsgIteratorClosed):
			return nil, false
		case err != nil:
			w.log.Warn("pull interrupted; retrying", "err", err)
		default:
			return msg, true
		}
	}
}

// handBack returns a message for immediate redelivery (to this or another process).
func (w *Worker) handBack(msg jetstream.Msg) {
	if err := msg.Nak(); err != nil {
		w.log.Debug("hand back message", "err", err)
	}
}

// handleTermination processes one employee.terminated message and settles it.
func (w *Worker) handleTermination(ctx context.Context, msg jetstream.Msg) {
	meta, err := msg.Metadata()
	if err != nil {
		w.log.Error("message without JetStream metadata; terminating it", "err", err)
		_ = msg.Term()
		return
	}
	log := w.log.With("stream_seq", meta.Sequence.Stream, "delivery", meta.NumDelivered)
	p := &processing{w: w, msg: msg, meta: meta, log: log, policy: w.o.Policy}
	out := p.termination(ctx)
	p.settle(ctx, out)
}

// processing is the handling of one message.
type processing struct {
	w    *Worker
	msg  jetstream.Msg
	meta *jetstream.MsgMetadata
	log  *slog.Logger

	// policy settles this message (the cancellation consumer has its own MaxDeliver).
	policy Policy
	claim  *checkpoint.Claim
	st     *offboarding.State
	trace  string
	// lastErr is the retryable failure behind a retry outcome.
	lastErr *offboarding.Error
}

func (p *processing) termination(ctx context.Context) outcome {
	w := p.w
	in, err := w.o.Decoder.Decode(p.msg.Headers(), p.msg.Data())
	if err != nil {
		return p.invalid(ctx, err)
	}
	if in.Termination == nil {
		return outcome{kind: poison, reason: fmt.Sprintf("event type %q on the termination subject", in.Type)}
	}
	p.trace = in.TraceParent
	p.log = p.log.With("event_id", in.ID, "employee_id", in.Termination.EmployeeID)
	req := offboarding.Request{ID: in.ID, Source: in.Source, Data: *in.Termination}

	claim, out, ok := p.claimTermination(ctx, req)
	if !ok {
		return out
	}
	rec := claim.Record()
	defer p.release(ctx)

	// scheduled: JetStream's scheduler delivered this copy, at effectiveAt.
	scheduled := p.msg.Headers().Get(headerScheduler) != ""
	if p.st.Finished() && p.meta.NumDelivered == 1 && !scheduled && p.st.Reopen() {
		// Published again after its retry budget ran out: an operator's retry.
		p.log.Info("retrying a termination that had spent its retry budget")
	}
	if p.st.Finished() {
		if scheduled {
			// The scheduled copy of a termination that ended (cancelled) while it waited.
			return outcome{kind: finished}
		}
		p.log.Info("termination already finished; publishing its result again", "status", p.st.Result.Status)
		return p.publishFinished(ctx)
	}

	if due := req.Data.EffectiveAt; due != nil && !req.Data.DryRun && due.After(w.o.Now()) {
		if c, err := w.o.Store.Cancellation(ctx, req.Source, req.ID); err != nil {
			return p.storeFailure(err)
		} else if c != nil {
			// Cancelled before it was due: end it now, not at effectiveAt.
			w.o.Runner.Cancel(p.st, c)
			if err := claim.Save(ctx, p.st); err != nil {
				return p.storeFailure(err)
			}
			return p.publishFinished(ctx)
		}
		if scheduled {
			// The scheduler fired early (it keeps whole seconds; clocks
			// differ): wait here rather than scheduling again, so this copy
			// is never acked unprocessed.
			return outcome{kind: wait, delay: time.Until(*due) + 100*time.Millisecond, reason: "effectiveAt " + due.UTC().Format(time.RFC3339Nano)}
		}
		return p.schedule(ctx, rec, *due)
	}
	if !rec.Scheduled.IsZero() {
		// Due now: no longer waiting, whatever happens next.
		if err := claim.SetScheduled(ctx, time.Time{}); err != nil {
			return p.storeFailure(err)
		}
	}

	p.st.Attempts++
	if err := claim.Save(ctx, p.st); err != nil {
		return p.storeFailure(err)
	}
	if p.st.Attempts > w.o.Policy.MaxAttempts {
		// Earlier attempts died without reporting (crashes): the budget is spent.
		p.lastErr = &offboarding.Error{Code: offboarding.CodeInterrupted, Message: "earlier attempts ended without a result", Retryable: true}
		if p.st.LastError != nil {
			p.lastErr = &offboarding.Error{Step: p.st.LastError.Step, Code: p.st.LastError.Code, Message: p.st.LastError.Message, Retryable: true}
		}
		return outcome{kind: retry, attempts: p.st.Attempts, reason: p.lastErr.Message}
	}

	runCtx, cancelRun := context.WithCancelCause(ctx)
	stopBeat := p.heartbeat(runCtx, cancelRun)
	p.log.Info("offboarding started", "attempt", p.st.Attempts)
	res, err := w.o.Runner.Run(runCtx, p.st, offboarding.Hooks{
		Save:     claim.Save,
		Progress: p.progress,
		Cancelled: func(ctx context.Context) (*offboarding.Cancellation, error) {
			return w.o.Store.Cancellation(ctx, req.Source, req.ID)
		},
		ClaimOnce: func(ctx context.Context, name string) (bool, error) {
			return w.o.Store.ClaimOnce(ctx, name, checkpoint.Key(req.Source, req.ID))
		},
	})
	stopBeat()
	cause := context.Cause(runCtx)
	cancelRun(nil)

	if err != nil {
		e := offboarding.AsError("", err)
		switch {
		case errors.Is(cause, checkpoint.ErrLeaseLost) || errors.Is(err, checkpoint.ErrLeaseLost):
			p.log.Warn("lease lost; another worker continues this offboarding", "err", err)
			p.claim = nil // nothing of ours to release
			return outcome{kind: busy, delay: w.o.LeaseTTL, reason: "lease lost"}
		case ctx.Err() != nil:
			p.log.Info("offboarding interrupted by shutdown; handing it back", "step", e.Step)
			return outcome{kind: interrupted}
		}
		p.lastErr = e
		p.log.Warn("offboarding attempt failed; will retry", "step", e.Step, "err", e.Message)
		return outcome{kind: retry, attempts: p.st.Attempts, delay: e.RetryAfter, reason: e.Message}
	}
	p.log.Info("offboarding finished", "status", res.Status, "duration", res.FinishedAt.Sub(res.StartedAt))
	return p.publishFinished(ctx)
}

// publishFinished publishes the stored result of a finished termination. A
// failure is retried without spending the budget: the work is done, only the
// announcement is missing.
func (p *processing) publishFinished(ctx context.Context) outcome {
	if err := p.publishResult(ctx, p.st.Result); err != nil {
		p.log.Warn("publish result; will retry", "err", err)
		return outcome{kind: retry, attempts: int(p.meta.NumDelivered), unbudgeted: true, reason: err.Error()}
	}
	return outcome{kind: finished}
}

// invalid handles an event that cannot be decoded: with a usable id it ends in
// offboarding.failed (invalid_event); without, in the dead letter.
func (p *processing) invalid(ctx context.Context, err error) outcome {
	var de *events.DecodeError
	if !errors.As(err, &de) || de.ID == "" || de.Source == "" {
		p.log.Warn("malformed event without a usable id; dead-lettering it", "err", err)
		return outcome{kind: poison, reason: err.Error()}
	}
	p.log = p.log.With("event_id", de.ID)
	p.log.Warn("invalid termination event", "err", err)
	claim, out, ok := p.claimTermination(ctx, offboarding.Request{ID: de.ID, Source: de.Source})
	if !ok {
		return out
	}
	defer p.release(ctx)
	if !p.st.Finished() {
		p.w.o.Runner.Reject(p.st, err.Error())
		if err := claim.Save(ctx, p.st); err != nil {
			return p.storeFailure(err)
		}
	}
	return p.publishFinished(ctx)
}

// claimTermination takes the lease on req's termination and points p at it
// (p.claim) and at its state (p.st). When it cannot (ok false), out settles the
// message: busy while another worker holds the lease, a retry when the store
// fails.
func (p *processing) claimTermination(ctx context.Context, req offboarding.Request) (claim *checkpoint.Claim, out outcome, ok bool) {
	claim, err := p.w.o.Store.Claim(ctx, req)
	var leased *checkpoint.LeasedError
	switch {
	case errors.As(err, &leased):
		p.log.Info("offboarding runs elsewhere; retrying later", "owner", leased.Owner)
		return nil, outcome{kind: busy, delay: time.Until(leased.Until) + time.Second, reason: err.Error()}, false
	case err != nil:
		return nil, p.storeFailure(err), false
	}
	p.claim = claim
	p.st = &claim.Record().State
	return claim, outcome{}, true
}

// storeFailure is a failure of NATS itself (key-value store, publish): retried
// like a DocSpace outage, with the delivery count as the attempt count.
func (p *processing) storeFailure(err error) outcome {
	p.log.Warn("nats unavailable; will retry", "err", err)
	p.lastErr = &offboarding.Error{Code: offboarding.CodeStateLost, Message: err.Error(), Retryable: true}
	return outcome{kind: retry, attempts: int(p.meta.NumDelivered), unbudgeted: true, reason: err.Error()}
}

// release gives the lease up (unless the result already did).
func (p *processing) release(ctx context.Context) {
	if p.claim == nil || p.st == nil || p.st.Finished() {
		return
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := p.claim.Release(rctx); err != nil {
		p.log.Debug("release lease", "err", err)
	}
}

// heartbeat tells JetStream the message is still being worked on and renews
// the lease, until stop is called. Losing the lease cancels the run.
func (p *processing) heartbeat(ctx context.Context, cancel context.CancelCauseFunc) (stop func()) {
	every := min(p.w.o.Topology.AckWait, p.w.o.LeaseTTL) / 3
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				if err := p.msg.InProgress(); err != nil {
					p.log.Debug("progress heartbeat", "err", err)
				}
				if err := p.claim.Renew(ctx); err != nil {
					if errors.Is(err, checkpoint.ErrLeaseLost) {
						cancel(checkpoint.ErrLeaseLost)
						return
					}
					p.log.Warn("renew lease", "err", err)
				}
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// progress publishes an offboarding.progress event. Progress is for people
// watching; a failure to publish it never fails the offboarding.
func (p *processing) progress(ctx context.Context, pr events.Progress) {
	msg, err := p.w.o.Encoder.Progress(pr, p.trace)
	if err != nil {
		p.log.Warn("encode progress event", "err", err)
		return
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := p.w.o.JS.PublishMsg(pctx, msg); err != nil {
		p.log.Warn("publish progress event", "step", pr.Step, "err", err)
	}
}

// publishResult publishes the result and waits for JetStream's ack. The
// event id is deterministic and doubles as Nats-Msg-Id, so publishing the same
// result again within the duplicate window stores nothing new.
func (p *processing) publishResult(ctx context.Context, res *events.Result) error {
	msg, err := p.w.o.Encoder.Result(*res, p.trace)
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	if p.st != nil && p.st.Round > 0 {
		// A retried round's result keeps its CloudEvents id but must not be
		// dropped as a duplicate of the earlier round's.
		msg.Header.Set(nats.MsgIdHdr, fmt.Sprintf("%s/round-%d", msg.Header.Get(nats.MsgIdHdr), p.st.Round))
	}
	ack, err := p.w.o.JS.PublishMsg(ctx, msg)
	if err != nil {
		return fmt.Errorf("publish result: %w", err)
	}
	if p.claim != nil && !ack.Duplicate {
		if err := p.claim.SetResultSeq(ctx, ack.Sequence); err != nil {
			p.log.Debug("record result sequence", "err", err)
		}
	}
	if p.w.o.OnResult != nil {
		p.w.o.OnResult(res)
	}
	return nil
}

// schedule parks a termination until effectiveAt: a copy of the message is
// scheduled in the input stream to come back on the input subject then.
func (p *processing) schedule(ctx context.Context, rec *checkpoint.Record, due time.Time) outcome {
	w := p.w
	// The scheduler keeps whole seconds: round up so it never fires early.
	if due = due.UTC(); due.Truncate(time.Second) != due {
		due = due.Truncate(time.Second).Add(time.Second)
	}
	if rec.Scheduled.Equal(due) {
		return outcome{kind: finished} // a repeat of a termination already waiting
	}
	key := checkpoint.Key(p.st.TerminationSource, p.st.TerminationID)
	copyMsg := &nats.Msg{Subject: w.o.Topology.ScheduleSubjectPrefix + key, Header: copyHeaders(p.msg.Headers()), Data: p.msg.Data()}
	_, err := w.o.JS.PublishMsg(ctx, copyMsg,
		jetstream.WithScheduleAt(due),
		jetstream.WithScheduleTarget(w.o.Topology.InputSubject),
		jetstream.WithMsgID("schedule-"+key+"-"+strconv.FormatInt(due.Unix(), 10)))
	if err != nil {
		p.log.Warn("cannot schedule the termination in the stream; waiting with redeliveries instead", "err", err)
		return outcome{kind: wait, delay: time.Until(due), reason: "effectiveAt " + due.Format(time.RFC3339)}
	}
	if err := p.claim.SetScheduled(ctx, due); err != nil {
		return p.storeFailure(err)
	}
	p.log.Info("termination scheduled", "due", due)
	p.progress(ctx, events.Progress{
		TerminationID: p.st.TerminationID, TerminationSource: p.st.TerminationSource, UserID: p.st.Request.UserID,
		EmployeeID: p.st.Request.EmployeeID, Step: "schedule", Status: events.StepPlanned,
		Message: "waiting until " + due.Format(time.RFC3339), Time: w.o.Now().UTC(),
	})
	return outcome{kind: finished}
}

// settle carries out the disposition of the outcome.
func (p *processing) settle(ctx context.Context, out outcome) {
	a := disposition(out, p.meta.NumDelivered, p.policy)
	if a.exhausted {
		if err := p.giveUp(ctx); err != nil {
			p.log.Error("cannot publish the failed result of an exhausted offboarding; retrying", "err", err)
			a = action{settle: nak, delay: p.policy.backoff(out.attempts)}
		}
	}
	if a.deadLetter {
		if err := p.deadLetter(ctx, a.reason); err != nil {
			p.log.Error("cannot dead-letter message; retrying", "err", err)
			a = action{settle: nak, delay: p.policy.BaseDelay}
		}
	}
	var err error
	switch a.settle {
	case ack:
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		err = p.msg.DoubleAck(actx)
		cancel()
	case nak:
		if a.delay > 0 {
			err = p.msg.NakWithDelay(a.delay)
		} else {
			err = p.msg.Nak()
		}
	case term:
		err = p.msg.TermWithReason(a.reason)
	}
	if err != nil {
		p.log.Warn("settle message", "settle", a.settle, "err", err)
		return
	}
	p.log.Debug("message settled", "settle", a.settle, "delay", a.delay, "outcome", out.kind)
}

// giveUp publishes offboarding.failed (retryable) for a spent retry budget.
func (p *processing) giveUp(ctx context.Context) error {
	if p.claim == nil || p.st == nil {
		return nil // nothing was claimed: only the dead letter carries it
	}
	if p.st.Finished() {
		return p.publishResult(ctx, p.st.Result) // never replace a result
	}
	e := p.lastErr
	if e == nil {
		e = &offboarding.Error{Code: offboarding.CodeInterrupted, Message: "retry budget exhausted"}
	}
	res := p.w.o.Runner.GiveUp(p.st, e)
	if err := p.claim.Save(ctx, p.st); err != nil {
		p.st.Result = nil
		return err
	}
	p.log.Error("offboarding failed after its retry budget; someone must act", "code", e.Code, "err", e.Message, "attempts", p.st.Attempts)
	return p.publishResult(ctx, res)
}

// deadLetter copies the message, untouched, to the dead-letter subject with
// the reason in headers.
func (p *processing) deadLetter(ctx context.Context, reason string) error {
	dl := &nats.Msg{Subject: events.SubjectDeadLetter, Header: copyHeaders(p.msg.Headers()), Data: p.msg.Data()}
	dl.Header.Set(HeaderReason, reason)
	dl.Header.Set(HeaderOriginalSubject, p.msg.Subject())
	dl.Header.Set(HeaderStreamSequence, strconv.FormatUint(p.meta.Sequence.Stream, 10))
	dl.Header.Set(HeaderDeliveries, strconv.FormatUint(p.meta.NumDelivered, 10))
	dl.Header.Set(nats.MsgIdHdr, fmt.Sprintf("deadletter-%s-%d", p.meta.Stream, p.meta.Sequence.Stream))
	if _, err := p.w.o.JS.PublishMsg(ctx, dl); err != nil {
		return fmt.Errorf("publish dead letter: %w", err)
	}
	p.log.Warn("message dead-lettered", "reason", reason)
	return nil
}

// copyHeaders copies a message's headers for republishing it elsewhere,
// without the JetStream control headers that would make the server refuse or
// reinterpret the copy (Nats-Msg-Id, Nats-Expected-*, Nats-Schedule*,
// Nats-Scheduler, Nats-TTL, Nats-Rollup).
func copyHeaders(h nats.Header) nats.Header {
	out := nats.Header{}
	for k, v := range h {
		switch {
		case strings.EqualFold(k, nats.MsgIdHdr), strings.EqualFold(k, "Nats-TTL"), strings.EqualFold(k, "Nats-Rollup"),
			hasPrefixFold(k, "Nats-Expected-"), hasPrefixFold(k, "Nats-Schedule"):
			continue
		}
		out[k] = v
	}
	return out
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
