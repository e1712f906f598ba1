package publisher

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cloudevents/sdk-go/v2/types"
	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/docspace-offboarding/docspace-offboarding/internal/checkpoint"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// Defaults of Options (docs/CONTRACT.md §1 for the names).
const (
	// DefaultSource is the CloudEvents source of the events the command line publishes.
	DefaultSource        = "/offboarding-cli"
	DefaultInputSubject  = events.TypeTerminated
	DefaultCancelSubject = events.TypeCancelled
	DefaultOutputStream  = "OFFBOARDING"

	DefaultMaxInFlight     = 256
	DefaultAckTimeout      = 5 * time.Second
	DefaultAttempts        = 3
	DefaultLookback        = time.Minute
	DefaultDuplicateWindow = 2 * time.Minute
)

// Options configure a Publisher. The zero value of each field means its default.
type Options struct {
	// Source is the CloudEvents source of published events; default DefaultSource.
	Source string
	// Mode is the content mode of published events; default structured.
	Mode events.Mode
	// InputSubject is where terminations go; default employee.terminated
	// (OFFBOARDING_INPUT_SUBJECT).
	InputSubject string
	// CancelSubject is where cancellations go; default employee.termination.cancelled.
	CancelSubject string
	// OutputStream is the stream of results and progress; default OFFBOARDING
	// (OFFBOARDING_OUTPUT_STREAM).
	OutputStream string
	// Store, optional, lets Wait and Status see the service's per-termination state: Wait finds
	// terminations that finished before it started at once, and Status needs it.
	Store *checkpoint.Store
	// Now is the clock; default time.Now.
	Now func() time.Time

	// MaxInFlight bounds the unacknowledged publishes of TerminateAll; default 256.
	MaxInFlight int
	// AckTimeout is how long one publish waits for JetStream's acknowledgement before it is
	// retried; default 5 s.
	AckTimeout time.Duration
	// Attempts is how often an unacknowledged publish is tried in all; default 3. A retry
	// carries the same Nats-Msg-Id, so a publish that did arrive is stored once.
	Attempts int
	// Lookback is how long before the earliest publish Wait starts reading the output stream. It
	// covers a clock difference between this machine and the NATS server; default 1 min.
	Lookback time.Duration
	// DuplicateWindow is the input stream's duplicate window (OFFBOARDING_DUPLICATE_WINDOW).
	// Without a Store, Wait looks back this much further for a termination whose publish was a
	// duplicate, since its original publish was earlier; default 2 min.
	DuplicateWindow time.Duration
	// Malformed, when set, is called by Wait and Watch for an event on the output stream that
	// cannot be decoded (a *MalformedError); such events are skipped either way.
	Malformed func(error)
}

// Publisher publishes terminations and cancellations and follows their outcome. It is safe for
// concurrent use.
type Publisher struct {
	js  jetstream.JetStream
	o   Options
	dec *events.Decoder
}

// New checks o, fills its defaults and returns a Publisher on js.
func New(js jetstream.JetStream, o Options) (*Publisher, error) {
	if js == nil {
		return nil, errors.New("new publisher: a JetStream handle is required")
	}
	if o.Source == "" {
		o.Source = DefaultSource
	}
	if o.InputSubject == "" {
		o.InputSubject = DefaultInputSubject
	}
	if o.CancelSubject == "" {
		o.CancelSubject = DefaultCancelSubject
	}
	if o.OutputStream == "" {
		o.OutputStream = DefaultOutputStream
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxInFlight <= 0 {
		o.MaxInFlight = DefaultMaxInFlight
	}
	if o.AckTimeout <= 0 {
		o.AckTimeout = DefaultAckTimeout
	}
	if o.Attempts <= 0 {
		o.Attempts = DefaultAttempts
	}
	if o.Lookback <= 0 {
		o.Lookback = DefaultLookback
	}
	if o.DuplicateWindow <= 0 {
		o.DuplicateWindow = DefaultDuplicateWindow
	}
	if o.Mode != events.Structured && o.Mode != events.Binary {
		return nil, fmt.Errorf("new publisher: %w: %d", events.ErrUnknownMode, int(o.Mode))
	}
	if err := checkSource(o.Source); err != nil {
		return nil, fmt.Errorf("new publisher: source: %w", err)
	}
	for _, s := range []struct{ name, value string }{
		{"input subject", o.InputSubject}, {"cancel subject", o.CancelSubject}, {"output stream", o.OutputStream},
	} {
		if strings.ContainsAny(s.value, " \t\r\n*>") {
			return nil, fmt.Errorf("new publisher: %s %q: must be a name without spaces or wildcards", s.name, s.value)
		}
	}
	dec, err := events.NewDecoder()
	if err != nil {
		return nil, fmt.Errorf("new publisher: %w", err)
	}
	return &Publisher{js: js, o: o, dec: dec}, nil
}

// Termination is one termination to publish.
type Termination struct {
	// ID is the event id; empty: a random UUID. With Source it identifies the termination: the
	// service offboards a repeated (Source, ID) pair once.
	ID string
	// Source is the event source; empty: Options.Source.
	Source string
	Data   events.TerminationData
	// Mode is the content mode; the zero Mode (structured) means Options.Mode.
	Mode events.Mode
}

// Published is an event JetStream acknowledged.
type Published struct {
	// ID and Source are the event's id and source as the service reads them (an id without
	// surrounding white space, a source in normal URI form); for a termination, the values its
	// results carry as terminationId and terminationSource.
	ID     string `json:"id"`
	Source string `json:"source"`
	// Stream and Sequence are where JetStream stored the event; for a duplicate, where it
	// stored the first copy.
	Stream   string `json:"stream"`
	Sequence uint64 `json:"sequence"`
	// Duplicate is true when the stream already held the event (same Nats-Msg-Id within its
	// duplicate window) and stored nothing new.
	Duplicate bool `json:"duplicate"`
	// At is when the publish began, by this machine's clock. Wait starts reading the output
	// stream a little before it; zero means now.
	At time.Time `json:"at"`
}

// Terminate validates t as the service would and publishes it on the input subject, waiting for
// JetStream's acknowledgement. An invalid t is not published, and the error matches ErrInvalid.
func (p *Publisher) Terminate(ctx context.Context, t Termination) (Published, error) {
	m, err := p.prepareTermination(t)
	if err != nil {
		return Published{}, fmt.Errorf("terminate: %w", err)
	}
	pub, err := p.publish(ctx, m)
	if err != nil {
		return Published{}, fmt.Errorf("terminate %q: %w", m.id, err)
	}
	return pub, nil
}

// Cancel publishes the cancellation of the termination (terminationSource, terminationID) on the
// cancel subject; an empty terminationSource means Options.Source. Its id is derived from the
// termination, so cancelling the same termination twice publishes the same event (the service
// keeps the first cancellation either way). The returned Published names the cancel event.
func (p *Publisher) Cancel(ctx context.Context, terminationID, terminationSource, reason string) (Published, error) {
	terminationID = strings.TrimSpace(terminationID)
	if terminationSource == "" {
		terminationSource = p.o.Source
	}
	terminationSource = normalSource(terminationSource)
	m, err := p.prepareCancellation(terminationID, terminationSource, reason)
	if err != nil {
		return Published{}, fmt.Errorf("cancel: %w", err)
	}
	pub, err := p.publish(ctx, m)
	if err != nil {
		return Published{}, fmt.Errorf("cancel %q: %w", terminationID, err)
	}
	return pub, nil
}

// TerminateAll publishes ts with at most Options.MaxInFlight publishes awaiting their
// acknowledgement at once. It validates every termination first: if any is invalid, it publishes
// none and returns a *BatchError (matching ErrInvalid) that lists every invalid one. Otherwise it
// publishes them all, calling onAck (when not nil) once per termination, as each is acknowledged
// or fails; onAck calls never overlap. The returned slice is parallel to ts (a termination that
// failed has a zero Published), and the error, a *BatchError, lists the failures.
func (p *Publisher) TerminateAll(ctx context.Context, ts []Termination, onAck func(i int, pub Published, err error)) ([]Published, error) {
	msgs, err := p.prepareAll(ts)
	if err != nil {
		return nil, err
	}
	if len(msgs) > 0 {
		if err := p.checkStream(ctx, p.o.InputSubject); err != nil {
			return nil, err
		}
	}
	return p.publishAll(ctx, msgs, onAck)
}

// Validate checks t as Terminate does, without publishing it: an empty ID stands for a
// generated one, an empty Source for DefaultSource. The error matches ErrInvalid.
func Validate(t Termination) error {
	dec, err := events.NewDecoder()
	if err != nil {
		return fmt.Errorf("validate: %w", err)
	}
	if t.ID == "" {
		t.ID = uuid.NewString()
	}
	if t.Source == "" {
		t.Source = DefaultSource
	}
	if _, err := buildTermination(dec, DefaultInputSubject, t, time.Now().UTC()); err != nil {
		return fmt.Errorf("validate: %w", err)
	}
	return nil
}

// CheckSource checks a CloudEvents source as the service would: a URI reference without control
// characters. The error is a *ValidationError naming "source".
func CheckSource(source string) error {
	if err := checkSource(source); err != nil {
		return &ValidationError{Field: "source", Reason: err.Error()}
	}
	return nil
}

// prepared is a validated event, ready to publish.
type prepared struct {
	msg        *nats.Msg
	id, source string
}

// published describes m as JetStream acknowledged it.
func (m *prepared) published(ack *jetstream.PubAck, at time.Time) Published {
	return Published{ID: m.id, Source: m.source, Stream: ack.Stream, Sequence: ack.Sequence, Duplicate: ack.Duplicate, At: at}
}

// prepareTermination fills t's defaults and builds its message.
func (p *Publisher) prepareTermination(t Termination) (*prepared, error) {
	if t.ID == "" {
		t.ID = uuid.NewString()
	}
	if t.Source == "" {
		t.Source = p.o.Source
	}
	if t.Mode == events.Structured {
		t.Mode = p.o.Mode
	}
	return buildTermination(p.dec, p.o.InputSubject, t, p.o.Now().UTC())
}

// prepareAll builds the messages of ts, in parallel (the decoder's checks cost CPU), and lists
// every invalid termination.
func (p *Publisher) prepareAll(ts []Termination) ([]*prepared, error) {
	msgs := make([]*prepared, len(ts))
	errs := make([]error, len(ts))
	parallel(len(ts), runtime.GOMAXPROCS(0), func(i int) {
		msgs[i], errs[i] = p.prepareTermination(ts[i])
	})
	var be BatchError
	for i, err := range errs {
		if err != nil {
			be.Items = append(be.Items, &ItemError{Index: i, ID: ts[i].ID, Err: err})
		}
	}
	if len(be.Items) > 0 {
		return nil, &be
	}
	return msgs, nil
}

// buildTermination builds the message of t on subject and reads it back with dec, the consumer's
// rules. t's id and source must be set; now zero means no event time.
func buildTermination(dec *events.Decoder, subject string, t Termination, now time.Time) (*prepared, error) {
	if err := checkIdentity(t.ID, t.Source); err != nil {
		return nil, err
	}
	if err := checkText(t.Data); err != nil {
		return nil, err
	}
	msg, err := events.Encoder{}.Termination(events.Meta{ID: t.ID, Source: t.Source, Time: now}, t.Data, t.Mode)
	if err != nil {
		return nil, asValidation(err)
	}
	return check(dec, msg, subject, events.TypeTerminated, t.ID, t.Source)
}

// prepareCancellation builds the cancel event of a termination.
func (p *Publisher) prepareCancellation(terminationID, terminationSource, reason string) (*prepared, error) {
	if err := checkIdentity(terminationID, terminationSource); err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			ve.Field = map[string]string{"id": "data.terminationId", "source": "data.terminationSource"}[ve.Field]
		}
		return nil, err
	}
	if !utf8.ValidString(reason) {
		return nil, &ValidationError{Field: "data.reason", Reason: "is not valid UTF-8"}
	}
	id := CancellationID(terminationSource, terminationID)
	msg, err := events.Encoder{}.Cancellation(
		events.Meta{ID: id, Source: p.o.Source, Time: p.o.Now().UTC()},
		events.CancellationData{TerminationID: terminationID, TerminationSource: terminationSource, Reason: reason},
		p.o.Mode)
	if err != nil {
		return nil, asValidation(err)
	}
	return check(p.dec, msg, p.o.CancelSubject, events.TypeCancelled, id, p.o.Source)
}

// check reads msg back as the consumer would, and sets its subject and Nats-Msg-Id. id and
// source are the event's as given; the service reads the id without surrounding white space and
// the source in normal URI form, and so does the digest in Nats-Msg-Id.
func check(dec *events.Decoder, msg *nats.Msg, subject, typ, id, source string) (*prepared, error) {
	id, source = strings.TrimSpace(id), normalSource(source)
	// Nats-Msg-Id is set before the check: the size limit counts headers.
	msg.Header.Set(nats.MsgIdHdr, MsgID(typ, source, id))
	in, err := dec.Decode(msg.Header, msg.Data)
	if err != nil {
		return nil, asValidation(err)
	}
	switch {
	case in.ID != id:
		return nil, &ValidationError{Field: "id", Reason: "does not read back as it was written"}
	case in.Source != source:
		return nil, &ValidationError{Field: "source", Reason: "does not read back as it was written"}
	}
	msg.Subject = subject
	return &prepared{msg: msg, id: id, source: source}, nil
}

// normalSource returns a source in the normal form the decoder reads it in.
func normalSource(source string) string {
	if u := types.ParseURIRef(source); u != nil {
		return u.String()
	}
	return source
}

// checkText refuses text fields that are not valid UTF-8: JSON would carry them with U+FFFD in
// place of the bad bytes, so the service would read something else than was given.
func checkText(d events.TerminationData) error {
	for _, f := range []struct{ name, value string }{
		{"userId", d.UserID}, {"email", d.Email}, {"employeeId", d.EmployeeID}, {"archiveOwnerId", d.ArchiveOwnerID},
		{"hrGroupId", d.HRGroupID}, {"reason", d.Reason},
	} {
		if !utf8.ValidString(f.value) {
			return &ValidationError{Field: "data." + f.name, Reason: "is not valid UTF-8"}
		}
	}
	return nil
}

// checkIdentity checks an event's id and source before the encoder sees them, so the error
// names the one at fault.
func checkIdentity(id, source string) error {
	switch {
	case strings.TrimSpace(id) == "":
		return &ValidationError{Field: "id", Reason: "is required"}
	case !utf8.ValidString(id):
		return &ValidationError{Field: "id", Reason: "is not valid UTF-8"}
	case events.HasControl(id):
		return &ValidationError{Field: "id", Reason: "contains a control character"}
	}
	if err := checkSource(source); err != nil {
		return &ValidationError{Field: "source", Reason: err.Error()}
	}
	return nil
}

// checkSource checks a CloudEvents source: a non-empty URI reference without control characters.
func checkSource(source string) error {
	switch {
	case source == "":
		return errors.New("is required")
	case !utf8.ValidString(source):
		return errors.New("is not valid UTF-8")
	case events.HasControl(source):
		return errors.New("contains a control character")
	case types.ParseURIRef(source) == nil:
		return errors.New("is not a URI reference")
	}
	return nil
}

// asValidation turns an error of the encoder or decoder into a *ValidationError.
func asValidation(err error) error {
	var de *events.DecodeError
	if errors.As(err, &de) {
		return &ValidationError{Field: de.Field, Reason: de.Reason, Err: err}
	}
	return &ValidationError{Field: "event", Reason: err.Error(), Err: err}
}

// MsgID is the Nats-Msg-Id of the input event of type typ with the given source and id: a SHA-256
// digest of the three, so a retried or repeated publish of the same event within the input
// stream's duplicate window is stored once.
func MsgID(typ, source, id string) string {
	h := sha256.New()
	for _, part := range []string{typ, source, id} {
		h.Write([]byte(strconv.Itoa(len(part))))
		h.Write([]byte{':'})
		h.Write([]byte(part))
		h.Write([]byte{','})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// idNamespace is the UUID v5 namespace of the ids this package derives:
// uuid.NewSHA1(uuid.NameSpaceURL, "https://github.com/docspace-offboarding/docspace-offboarding/publisher").
func idNamespace() uuid.UUID {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/docspace-offboarding/docspace-offboarding/publisher"))
}

// CancellationID is the id of the cancel event of the termination (terminationSource,
// terminationID): a UUID v5 of the two, the same every time.
func CancellationID(terminationSource, terminationID string) string {
	return uuid.NewSHA1(idNamespace(), []byte("cancel,"+strconv.Itoa(len(terminationSource))+":"+terminationSource+","+terminationID)).String()
}

// publish publishes one prepared event and waits for its acknowledgement, retrying as Options
// say.
func (p *Publisher) publish(ctx context.Context, m *prepared) (Published, error) {
	at := p.o.Now()
	ack, err := p.publishSync(ctx, m.msg, nil)
	if err != nil {
		return Published{}, err
	}
	return m.published(ack, at), nil
}

// publishSync publishes msg and waits for its acknowledgement, up to Options.Attempts times in
// all. firstErr, when not nil, is the failure of an attempt already made.
func (p *Publisher) publishSync(ctx context.Context, msg *nats.Msg, firstErr error) (*jetstream.PubAck, error) {
	err := firstErr
	start := 1
	if firstErr != nil {
		start = 2
	}
	for attempt := start; attempt <= p.o.Attempts; attempt++ {
		if err != nil {
			if !retryable(ctx, err) {
				break
			}
			if werr := pause(ctx, time.Duration(attempt-1)*100*time.Millisecond); werr != nil {
				break
			}
		}
		actx, cancel := context.WithTimeout(ctx, p.o.AckTimeout)
		var ack *jetstream.PubAck
		ack, err = p.js.PublishMsg(actx, msg)
		cancel()
		if err == nil {
			return ack, nil
		}
	}
	return nil, publishError(msg.Subject, err)
}

// publishError describes a publish that was not acknowledged.
func publishError(subject string, err error) error {
	if errors.Is(err, jetstream.ErrNoStreamResponse) {
		return fmt.Errorf("publish to %s: %w", subject, ErrNoStream)
	}
	return fmt.Errorf("publish to %s: %w", subject, err)
}

// retryable reports whether a failed publish may succeed when tried again: not when ctx ended,
// when JetStream refused the message, or when no stream answered (nats.go has retried that).
func retryable(ctx context.Context, err error) bool {
	var apiErr *jetstream.APIError
	switch {
	case ctx.Err() != nil, errors.As(err, &apiErr), errors.Is(err, jetstream.ErrNoStreamResponse):
		return false
	}
	return true
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

// checkStream checks that a stream stores subject, so a batch fails at once, not after every
// publish has timed out.
func (p *Publisher) checkStream(ctx context.Context, subject string) error {
	cctx, cancel := context.WithTimeout(ctx, p.o.AckTimeout)
	defer cancel()
	if _, err := p.js.StreamNameBySubject(cctx, subject); err != nil {
		if errors.Is(err, jetstream.ErrStreamNotFound) {
			return fmt.Errorf("publish to %s: %w", subject, ErrNoStream)
		}
		return fmt.Errorf("look up the stream of %s: %w", subject, err)
	}
	return nil
}

// publishAll publishes msgs asynchronously, at most Options.MaxInFlight awaiting their
// acknowledgement at once. A publish that fails or is not acknowledged within AckTimeout is
// retried synchronously.
func (p *Publisher) publishAll(ctx context.Context, msgs []*prepared, onAck func(int, Published, error)) ([]Published, error) {
	out := make([]Published, len(msgs))
	errs := make([]error, len(msgs))
	var mu sync.Mutex
	finish := func(i int, pub Published, err error) {
		mu.Lock()
		defer mu.Unlock()
		out[i], errs[i] = pub, err
		if onAck != nil {
			onAck(i, pub, err)
		}
	}
	slots := make(chan struct{}, p.o.MaxInFlight)
	var wg sync.WaitGroup
	for i, m := range msgs {
		if err := acquire(ctx, slots); err != nil {
			finish(i, Published{}, fmt.Errorf("publish to %s: %w", m.msg.Subject, err))
			continue
		}
		at := p.o.Now()
		f, err := p.js.PublishMsgAsync(m.msg)
		wg.Go(func() {
			defer func() { <-slots }()
			ack, err := p.awaitAck(ctx, m.msg, f, err)
			if err != nil {
				finish(i, Published{}, err)
				return
			}
			finish(i, m.published(ack, at), nil)
		})
	}
	wg.Wait()

	var be BatchError
	for i, err := range errs {
		if err != nil {
			be.Items = append(be.Items, &ItemError{Index: i, ID: msgs[i].id, Err: err})
		}
	}
	if len(be.Items) > 0 {
		return out, &be
	}
	return out, nil
}

// acquire takes a slot, unless ctx has ended.
func acquire(ctx context.Context, slots chan struct{}) error {
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	if err := ctx.Err(); err != nil {
		<-slots
		return err
	}
	return nil
}

// awaitAck waits for the acknowledgement of an asynchronous publish (f, or err when it could not
// be sent), and falls back to synchronous retries.
func (p *Publisher) awaitAck(ctx context.Context, msg *nats.Msg, f jetstream.PubAckFuture, err error) (*jetstream.PubAck, error) {
	if err == nil {
		t := time.NewTimer(p.o.AckTimeout)
		defer t.Stop()
		select {
		case ack := <-f.Ok():
			return ack, nil
		case err = <-f.Err():
		case <-t.C:
			err = jetstream.ErrAsyncPublishTimeout
		case <-ctx.Done():
			return nil, fmt.Errorf("publish to %s: %w", msg.Subject, ctx.Err())
		}
	}
	return p.publishSync(ctx, msg, err)
}

// parallel calls f(0) ... f(n-1) on at most workers goroutines.
func parallel(n, workers int, f func(int)) {
	workers = min(n, max(1, workers))
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
