package consumer

import (
	"math/rand/v2"
	"time"
)

// kind is what handling a message came to.
type kind int

const (
	// finished: a result was published (completed, failed, cancelled, planned),
	// or the message needed nothing more (a repeat, a cancellation recorded).
	finished kind = iota
	// poison: the message can never be handled (no usable id): dead letter.
	poison
	// retry: a retryable failure; the termination's checkpoints are saved.
	retry
	// busy: another worker holds the termination's lease.
	busy
	// wait: the termination is not due yet and could not be scheduled.
	wait
	// interrupted: the service is shutting down mid-run.
	interrupted
)

func (k kind) String() string {
	return [...]string{"finished", "poison", "retry", "busy", "wait", "interrupted"}[k]
}

// outcome is what handling one message came to.
type outcome struct {
	kind kind
	// attempts is how many times the termination has been attempted.
	attempts int
	// unbudgeted marks a retry that spends no budget: NATS itself was
	// unavailable, or a finished result could not be published yet. Such a
	// message is retried until NATS is back, never given up.
	unbudgeted bool
	// delay is how long to wait before redelivery, for busy and wait; for
	// retry, the least wait DocSpace asked for.
	delay  time.Duration
	reason string
}

// settle is how a message is settled with JetStream.
type settle int

const (
	ack settle = iota
	nak
	term
)

func (s settle) String() string { return [...]string{"ack", "nak", "term"}[s] }

// action is what to do with a message.
type action struct {
	settle settle
	// delay before redelivery, for nak.
	delay time.Duration
	// reason, for term and the dead letter.
	reason string
	// deadLetter copies the message to the dead-letter subject before term.
	deadLetter bool
	// exhausted publishes offboarding.failed with retryable=true before term.
	exhausted bool
}

// Policy is the redelivery policy.
type Policy struct {
	// MaxAttempts is the retry budget of one termination.
	MaxAttempts int
	// MaxDeliver mirrors the consumer's MaxDeliver (-1: unlimited): the last
	// delivery must not be nakked, or JetStream drops the message silently.
	MaxDeliver int
	// BaseDelay and MaxDelay shape exponential backoff with full jitter.
	BaseDelay time.Duration
	MaxDelay  time.Duration
	// Jitter returns a value in [0, 1); default math/rand/v2.
	Jitter func() float64
}

// disposition maps an outcome to an action. It is the whole redelivery policy:
//
//	outcome      budget left            action
//	finished     -                      ack
//	poison       -                      dead letter, term
//	retry        yes                    nak, exponential backoff with jitter
//	retry        no                     offboarding.failed (retryable), dead letter, term
//	retry (NATS unavailable, result unpublished) nak with backoff: spends no budget
//	busy         -                      nak after the other worker's lease ends
//	wait         -                      nak until due (capped)
//	interrupted  -                      nak at once, for another worker
//
// delivered is the message's delivery count.
func disposition(o outcome, delivered uint64, p Policy) action {
	lastDelivery := p.MaxDeliver > 0 && delivered >= uint64(p.MaxDeliver)
	switch o.kind {
	case finished:
		return action{settle: ack}
	case poison:
		return action{settle: term, reason: o.reason, deadLetter: true}
	case retry:
		if lastDelivery || !o.unbudgeted && o.attempts >= p.MaxAttempts {
			return action{settle: term, reason: "retry budget exhausted: " + o.reason, deadLetter: true, exhausted: true}
		}
		// DocSpace's own Retry-After wins over backoff, up to a day.
		return action{settle: nak, delay: max(p.backoff(o.attempts), min(o.delay, 24*time.Hour))}
	case busy, wait:
		if lastDelivery {
			return action{settle: term, reason: "last delivery spent waiting: " + o.reason, deadLetter: true}
		}
		return action{settle: nak, delay: min(max(o.delay, p.BaseDelay), p.MaxDelay)}
	default: // interrupted
		return action{settle: nak}
	}
}

// backoff is the delay after the n-th failed attempt: full jitter over an
// exponentially growing cap, never below a tenth of the base.
func (p Policy) backoff(n int) time.Duration {
	ceiling := p.BaseDelay
	for i := 1; i < n && ceiling < p.MaxDelay; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, p.MaxDelay)
	jitter := p.Jitter
	if jitter == nil {
		jitter = rand.Float64
	}
	floor := p.BaseDelay / 10
	return floor + time.Duration(jitter()*float64(ceiling-floor))
}
