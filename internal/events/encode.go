package events

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cloudevents/sdk-go/v2/binding"
	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/nats-io/nats.go"
)

// Encoder builds the NATS messages of events. The zero Encoder is ready to use: source
// DefaultSource, structured mode.
//
// Every message it builds carries the header Nats-Msg-Id set to the event id. A structured
// message has the JSON event as body and Content-Type: application/cloudevents+json; a binary
// message has the data as body, one percent-encoded ce- header per attribute, and both
// Content-Type and ce-datacontenttype set to the data's media type.
type Encoder struct {
	// Source is the CloudEvents source of the events the service emits
	// (OFFBOARDING_EVENT_SOURCE); empty means DefaultSource.
	Source string
	// Mode is the content mode of result and progress events (OFFBOARDING_OUTPUT_MODE).
	Mode Mode
}

// Errors of encoding. Each comes wrapped with what was being built.
var (
	// ErrNoTime means an output event has no time: Result.FinishedAt or Progress.Time is zero.
	ErrNoTime = errors.New("event time is zero")
	// ErrUnknownMode means a Mode is neither Structured nor Binary.
	ErrUnknownMode = errors.New("unknown content mode")
)

// Result builds the result event of a termination: type and NATS subject offboarding.completed
// for StatusCompleted and StatusPlanned, offboarding.failed for StatusFailed and StatusCancelled;
// CloudEvents subject r.UserID (none when empty); id ResultID(r.TerminationSource,
// r.TerminationID); time r.FinishedAt; traceparent carried from the input when it is a valid W3C
// traceparent (an invalid one is dropped, as W3C Trace Context says). r must pass Validate. In the
// data, nil lists are sent as [] and a nil step Detail as {}.
func (e Encoder) Result(r Result, traceparent string) (*nats.Msg, error) {
	if err := r.Validate(); err != nil {
		return nil, fmt.Errorf("encode result: %w", err)
	}
	if r.FinishedAt.IsZero() {
		return nil, fmt.Errorf("encode result: finishedAt: %w", ErrNoTime)
	}
	typ := resultType(r.Status)
	ev := event.New()
	ev.SetID(ResultID(r.TerminationSource, r.TerminationID))
	ev.SetSource(e.source())
	ev.SetType(typ)
	if r.UserID != "" {
		ev.SetSubject(r.UserID)
	}
	ev.SetTime(r.FinishedAt)
	setTrace(&ev, traceparent, "")
	if err := ev.SetData(event.ApplicationJSON, r.normalized()); err != nil {
		return nil, fmt.Errorf("encode result: %w", err)
	}
	msg, err := write(&ev, typ, e.Mode)
	if err != nil {
		return nil, fmt.Errorf("encode result: %w", err)
	}
	return msg, nil
}

// Progress builds a progress event on offboarding.progress: CloudEvents subject p.UserID (none
// when empty), id ProgressID(p.TerminationSource, p.TerminationID, p.Step, p.Status, p.Attempt),
// time p.Time, traceparent carried as in Result. p must pass Validate.
func (e Encoder) Progress(p Progress, traceparent string) (*nats.Msg, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("encode progress: %w", err)
	}
	if p.Time.IsZero() {
		return nil, fmt.Errorf("encode progress: time: %w", ErrNoTime)
	}
	ev := event.New()
	ev.SetID(ProgressID(p.TerminationSource, p.TerminationID, p.Step, p.Status, p.Attempt))
	ev.SetSource(e.source())
	ev.SetType(TypeProgress)
	if p.UserID != "" {
		ev.SetSubject(p.UserID)
	}
	ev.SetTime(p.Time)
	setTrace(&ev, traceparent, "")
	if err := ev.SetData(event.ApplicationJSON, p); err != nil {
		return nil, fmt.Errorf("encode progress: %w", err)
	}
	msg, err := write(&ev, SubjectProgress, e.Mode)
	if err != nil {
		return nil, fmt.Errorf("encode progress: %w", err)
	}
	return msg, nil
}

// Termination builds an employee.terminated input event on subject employee.terminated (set
// msg.Subject to publish elsewhere), in the given mode. From m it takes ID (required), Source
// (empty: the Encoder's source), Subject, Time (zero: none), TraceParent and TraceState, and
// DataContentType (empty: application/json); m.Type must be empty or TypeTerminated, and m.Mode
// is ignored. d must pass Validate. Decoder.Decode reads the message back to the same Meta and
// data.
func (e Encoder) Termination(m Meta, d TerminationData, mode Mode) (*nats.Msg, error) {
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("encode termination: %w", err)
	}
	msg, err := e.input(m, TypeTerminated, d, mode)
	if err != nil {
		return nil, fmt.Errorf("encode termination: %w", err)
	}
	return msg, nil
}

// Cancellation builds an employee.termination.cancelled input event on subject
// employee.termination.cancelled, in the given mode, taking from m what Termination takes.
func (e Encoder) Cancellation(m Meta, d CancellationData, mode Mode) (*nats.Msg, error) {
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("encode cancellation: %w", err)
	}
	msg, err := e.input(m, TypeCancelled, d, mode)
	if err != nil {
		return nil, fmt.Errorf("encode cancellation: %w", err)
	}
	return msg, nil
}

// input builds an input event of type typ.
func (e Encoder) input(m Meta, typ string, data any, mode Mode) (*nats.Msg, error) {
	if m.ID == "" {
		return nil, errors.New("id is required")
	}
	if m.Type != "" && m.Type != typ {
		return nil, fmt.Errorf("type %q: want %s", m.Type, typ)
	}
	ct := m.DataContentType
	if ct == "" {
		ct = mediaJSON
	} else if !isJSONMedia(ct) || !printableASCII(ct) {
		return nil, fmt.Errorf("data content type %q: want %s", ct, mediaJSON)
	}
	ct = normalMedia(ct)
	source := m.Source
	if source == "" {
		source = e.source()
	}
	ev := event.New()
	ev.SetID(m.ID)
	ev.SetSource(source)
	ev.SetType(typ)
	if m.Subject != "" {
		ev.SetSubject(m.Subject)
	}
	if !m.Time.IsZero() {
		ev.SetTime(m.Time)
	}
	setTrace(&ev, m.TraceParent, m.TraceState)
	if err := ev.SetData(ct, data); err != nil {
		return nil, err
	}
	return write(&ev, typ, mode)
}

// write turns ev into a NATS message on subject in the given mode, with Nats-Msg-Id set to its id.
func write(ev *event.Event, subject string, mode Mode) (*nats.Msg, error) {
	if !mode.valid() {
		return nil, fmt.Errorf("%w: %d", ErrUnknownMode, int(mode))
	}
	if err := ev.Validate(); err != nil {
		return nil, err
	}
	for _, s := range []string{ev.ID(), ev.Source(), ev.Type(), ev.Subject()} {
		if HasControl(s) {
			return nil, errors.New("attribute holds a control character")
		}
	}
	msg := nats.NewMsg(subject)
	w := &msgWriter{msg: msg}
	ctx := binding.WithForceStructured(context.Background())
	if mode == Binary {
		ctx = binding.WithForceBinary(context.Background())
	}
	if _, err := binding.Write(ctx, (*binding.EventMessage)(ev), w, w); err != nil {
		return nil, err
	}
	msg.Header.Set(headerMsgID, ev.ID())
	return msg, nil
}

// setTrace sets the distributed tracing extension when traceparent is valid.
func setTrace(ev *event.Event, traceparent, tracestate string) {
	if !validTraceParent(traceparent) {
		return
	}
	ev.SetExtension("traceparent", traceparent)
	if tracestate != "" && !HasControl(tracestate) {
		ev.SetExtension("tracestate", tracestate)
	}
}

func (e Encoder) source() string {
	if e.Source == "" {
		return DefaultSource
	}
	return e.Source
}

// resultType is the event type of a result with status s: TypeCompleted, TypeFailed, or "" for an
// unknown status.
func resultType(s Status) string {
	switch s {
	case StatusCompleted, StatusPlanned:
		return TypeCompleted
	case StatusFailed, StatusCancelled:
		return TypeFailed
	default:
		return ""
	}
}

// emptyObject is the Detail of a step that has none.
const emptyObject = "{}"

// normalized returns a copy of r as it goes on the wire: lists that are nil become empty, and a
// missing step Detail becomes {}, so consumers always find the arrays and objects the schema
// requires.
func (r Result) normalized() Result {
	steps := make([]Step, len(r.Steps))
	for i, s := range r.Steps {
		if d := bytes.TrimSpace(s.Detail); len(d) == 0 || string(d) == "null" {
			s.Detail = json.RawMessage(emptyObject)
		}
		steps[i] = s
	}
	r.Steps = steps
	if r.Report != nil {
		rep := *r.Report
		rep.Reassigned.Rooms = nonNil(rep.Reassigned.Rooms)
		rep.Access = nonNil(rep.Access)
		rep.Audit.Events = nonNil(rep.Audit.Events)
		rep.Audit.LoginEvents = nonNil(rep.Audit.LoginEvents)
		rep.Exports = nonNil(rep.Exports)
		rep.LeftBehind = nonNil(rep.LeftBehind)
		r.Report = &rep
	}
	return r
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
