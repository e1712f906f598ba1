package events

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudevents/sdk-go/v2/binding"
	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/cloudevents/sdk-go/v2/types"
	"github.com/nats-io/nats.go"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/docspace-offboarding/docspace-offboarding/schemas"
)

// Meta is what an event says about itself: its CloudEvents context attributes, and the content
// mode it arrived in.
type Meta struct {
	// ID is the event id, without surrounding white space. With Source it identifies the
	// event; for an input event, the termination.
	ID string
	// Source is the event source, a URI reference in the form Go's net/url prints it (the form
	// cloudevents/sdk-go keeps): usually exactly as sent.
	Source string
	// Type is the event type, one of the Type constants.
	Type string
	// Subject is the optional CloudEvents subject, without surrounding white space.
	Subject string
	// Time is the optional event time; zero when absent.
	Time time.Time
	// TraceParent is the W3C traceparent of the distributed tracing extension, empty when absent
	// or not a valid traceparent (which W3C Trace Context says to ignore).
	TraceParent string
	// TraceState is the W3C tracestate, kept only along with a valid TraceParent.
	TraceState string
	// DataContentType is the media type of the data: application/json, perhaps with
	// parameters, in normal form (lower-case names, "; " between parameters). An event without
	// one reads as application/json.
	DataContentType string
	// Mode is the content mode the event arrived in, or is to be sent in.
	Mode Mode
}

// Inbound is a decoded input event: exactly one of Termination and Cancellation is set, as Type
// says.
type Inbound struct {
	Meta
	// Termination is the data of an employee.terminated event.
	Termination *TerminationData
	// Cancellation is the data of an employee.termination.cancelled event. Decode fills its
	// TerminationSource with the event's own Source when the data has none, and puts a given
	// one in the same normal form as Meta.Source, so it can be compared with the Source of the
	// termination it cancels.
	Cancellation *CancellationData
}

// Decoder reads the input events of CONTRACT section 2 from NATS messages. It holds the compiled
// JSON Schemas of package schemas; it is safe for concurrent use.
type Decoder struct {
	envelope   *jsonschema.Schema
	terminated *jsonschema.Schema
	cancelled  *jsonschema.Schema
}

// NewDecoder compiles the schemas a Decoder checks events against.
func NewDecoder() (*Decoder, error) {
	s, err := schemas.Compile(schemas.CloudEventEnvelope, schemas.EmployeeTerminated, schemas.EmployeeTerminationCancelled)
	if err != nil {
		return nil, fmt.Errorf("new decoder: %w", err)
	}
	return &Decoder{envelope: s[0], terminated: s[1], cancelled: s[2]}, nil
}

// Decode reads one input event from a NATS message's header and body (a jetstream.Msg gives them
// as Headers() and Data()), in either content mode: binary when there is a ce-specversion
// header (names match case-insensitively), structured otherwise.
//
// It refuses, with a *DecodeError matching ErrMalformed: an event over MaxEventSize (body and
// headers); a body or header that cannot be decoded; a specversion other than 1.0; a missing id
// or source; a type other than TypeTerminated and TypeCancelled; a datacontenttype other than
// application/json; missing data, or data that is not a JSON object valid against its schema in
// package schemas (GUIDs, entry ids, RFC 3339 times, a reason of at most MaxReasonLength
// characters, the right types for known members; unknown members are allowed and ignored).
func (d *Decoder) Decode(h nats.Header, body []byte) (*Inbound, error) {
	e, meta, err := decodeEvent(h, body, d.envelope, MaxEventSize, TypeTerminated, TypeCancelled)
	if err != nil {
		return nil, err
	}
	in := &Inbound{Meta: meta}
	switch meta.Type {
	case TypeTerminated:
		var t TerminationData
		if err := decodeData(e.Data(), d.terminated, &t); err != nil {
			return nil, withIdentity(err, meta)
		}
		if err := t.Validate(); err != nil {
			return nil, withIdentity(err, meta)
		}
		in.Termination = &t
	case TypeCancelled:
		var c CancellationData
		if err := decodeData(e.Data(), d.cancelled, &c); err != nil {
			return nil, withIdentity(err, meta)
		}
		if c.TerminationSource == "" {
			c.TerminationSource = meta.Source
		} else {
			u := types.ParseURIRef(c.TerminationSource)
			if u == nil {
				return nil, withIdentity(malformed("data.terminationSource", "is not a URI reference"), meta)
			}
			c.TerminationSource = u.String()
		}
		if err := c.Validate(); err != nil {
			return nil, withIdentity(err, meta)
		}
		in.Cancellation = &c
	}
	return in, nil
}

// DecodeResult reads an offboarding.completed or offboarding.failed event, in either content mode.
// It checks the CloudEvents envelope and that the data is a Result whose Status fits the type; it
// does not check the data against the result schema. For the command line and tests.
func DecodeResult(h nats.Header, body []byte) (*Meta, *Result, error) {
	e, meta, err := decodeEvent(h, body, nil, 0, TypeCompleted, TypeFailed)
	if err != nil {
		return nil, nil, err
	}
	var r Result
	if err := decodeOutputData(e.Data(), &r); err != nil {
		return nil, nil, withIdentity(err, meta)
	}
	if resultType(r.Status) != meta.Type {
		return nil, nil, withIdentity(malformed("data.status", "does not fit event type "+meta.Type), meta)
	}
	return &meta, &r, nil
}

// DecodeProgress reads an offboarding.progress event, in either content mode. Like DecodeResult it
// checks the envelope and the shape of the data, not the progress schema.
func DecodeProgress(h nats.Header, body []byte) (*Meta, *Progress, error) {
	e, meta, err := decodeEvent(h, body, nil, 0, TypeProgress)
	if err != nil {
		return nil, nil, err
	}
	var p Progress
	if err := decodeOutputData(e.Data(), &p); err != nil {
		return nil, nil, withIdentity(err, meta)
	}
	return &meta, &p, nil
}

// decodeEvent reads the CloudEvent of a NATS message and checks what every event this package
// reads must satisfy. envelope, when not nil, is the schema of a structured event; maxSize, when
// positive, bounds body and headers together; allowed lists the accepted types.
func decodeEvent(h nats.Header, body []byte, envelope *jsonschema.Schema, maxSize int, allowed ...string) (*event.Event, Meta, error) {
	if maxSize > 0 {
		if size := len(body) + headerSize(h); size > maxSize {
			err := malformed("event", fmt.Sprintf("is %d bytes with headers, over the limit of %d", size, maxSize))
			err.ID, err.Source = identify(h, body)
			return nil, Meta{}, err
		}
	}
	m, err := newMessage(h, body)
	if err != nil {
		return nil, Meta{}, err
	}
	if m.mode == Structured {
		normal, err := checkStructured(body, envelope)
		if err != nil {
			return nil, Meta{}, err
		}
		m.body = normal
	} else if v := m.attrs["specversion"]; v != event.CloudEventsVersionV1 {
		return nil, Meta{}, m.fail("specversion", "must be "+event.CloudEventsVersionV1)
	}

	e, err := binding.ToEvent(context.Background(), m)
	if err != nil {
		if de := (*DecodeError)(nil); errors.As(err, &de) {
			return nil, Meta{}, de
		}
		return nil, Meta{}, m.fail(structuredField(m.mode), "is not a valid CloudEvent")
	}
	// cloudevents/sdk-go trims white space around id, type and subject when it sets them (so in
	// binary mode, and when encoding) but not when it reads a JSON event; trimming here makes
	// both modes and the round trip agree.
	id, typ, subject := strings.TrimSpace(e.ID()), strings.TrimSpace(e.Type()), strings.TrimSpace(e.Subject())
	fail := func(field, reason string) (*event.Event, Meta, error) {
		return nil, Meta{}, &DecodeError{Field: field, Reason: reason, ID: id, Source: e.Source()}
	}
	if e.SpecVersion() != event.CloudEventsVersionV1 {
		return fail("specversion", "must be "+event.CloudEventsVersionV1)
	}
	if err := e.Validate(); err != nil {
		var ve event.ValidationError
		if !errors.As(err, &ve) || len(ve) == 0 {
			return fail(structuredField(m.mode), "is not a valid CloudEvent")
		}
		field := slices.MinFunc(slices.Collect(maps.Keys(ve)), compareAttributes)
		switch field {
		case "id", "source", "type":
			return fail(field, "is missing or empty")
		default:
			return fail(field, "is not valid")
		}
	}
	if !slices.Contains(allowed, typ) {
		return fail("type", "must be "+strings.Join(allowed, " or "))
	}
	ct := e.DataContentType()
	if ct == "" {
		ct = mediaJSON
	} else if !isJSONMedia(ct) {
		return fail("datacontenttype", "must be "+mediaJSON)
	}
	ct = normalMedia(ct)
	for _, a := range []struct{ name, value string }{
		{"id", id}, {"source", e.Source()}, {"type", typ}, {"subject", subject}, {"datacontenttype", ct},
	} {
		if HasControl(a.value) {
			return fail(a.name, "contains a control character")
		}
	}
	if len(e.Data()) == 0 {
		return fail("data", "is missing")
	}
	meta := Meta{
		ID:              id,
		Source:          e.Source(),
		Type:            typ,
		Subject:         subject,
		Time:            e.Time(),
		DataContentType: ct,
		Mode:            m.mode,
	}
	if tp := extensionString(e, "traceparent"); validTraceParent(tp) {
		meta.TraceParent = tp
		if ts := extensionString(e, "tracestate"); !HasControl(ts) {
			meta.TraceState = ts
		}
	}
	return e, meta, nil
}

// checkStructured checks the body of a structured message: UTF-8 JSON text holding one object,
// with bounded numbers, a JSON datacontenttype if any, valid against the envelope schema when one
// is given. It returns the body cloudevents/sdk-go is to read: body itself, or, when the data
// content type is not in normal form, the event re-encoded with it in normal form.
func checkStructured(body []byte, envelope *jsonschema.Schema) ([]byte, error) {
	fail := func(field, reason string) ([]byte, error) {
		err := malformed(field, reason)
		err.ID, err.Source = peekIdentity(body)
		return nil, err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return fail("body", "is empty")
	}
	if !utf8.Valid(body) {
		return fail("body", "is not valid UTF-8")
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fail("body", "is not JSON")
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return fail("body", "is not a JSON object")
	}
	if loc, bad := outOfRangeNumber(obj, ""); bad {
		return fail(loc, "is a number out of range")
	}
	if envelope != nil {
		if err := envelope.Validate(obj); err != nil {
			de := schemaError("", err)
			de.ID, de.Source = strings.TrimSpace(stringMember(obj, "id")), normalizeSource(stringMember(obj, "source"))
			return nil, de
		}
	}
	// Attributes whose JSON Schema format cloudevents/sdk-go reads more strictly.
	if tm, ok := obj["time"].(string); ok {
		if _, err := types.ParseTimestamp(tm); err != nil {
			return fail("time", "is not an RFC 3339 time")
		}
	}
	if b64, ok := obj["data_base64"].(string); ok {
		if _, err := base64.StdEncoding.DecodeString(b64); err != nil {
			return fail("data_base64", "is not base64")
		}
	}
	ct, ok := obj["datacontenttype"].(string)
	if !ok {
		return body, nil
	}
	if !isJSONMedia(ct) {
		return fail("datacontenttype", "must be "+mediaJSON)
	}
	if normal := normalMedia(ct); normal != ct {
		obj["datacontenttype"] = normal
		b, err := json.Marshal(obj)
		if err != nil {
			return fail("body", "cannot be re-encoded")
		}
		return b, nil
	}
	return body, nil
}

// decodeData checks an input event's data against schema and decodes it into dst, a pointer to a
// struct with json tags. Members are decoded one by one with their exact names (encoding/json
// alone would also match "UserID" to userId, which the schema does not), so a member that passes
// the schema but still cannot be decoded is named in the error.
func decodeData(raw []byte, schema *jsonschema.Schema, dst any) *DecodeError {
	if !utf8.Valid(raw) {
		return malformed("data", "is not valid UTF-8")
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return malformed("data", "is not JSON")
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return malformed("data", "is not a JSON object")
	}
	if loc, bad := outOfRangeNumber(obj, "data"); bad {
		return malformed(loc, "is a number out of range")
	}
	if err := schema.Validate(obj); err != nil {
		return schemaError("data", err)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return malformed("data", "is not a JSON object")
	}
	v := reflect.ValueOf(dst).Elem()
	for i := range v.NumField() {
		name := jsonName(v.Type().Field(i))
		r, ok := members[name]
		if !ok || name == "" {
			continue
		}
		if err := json.Unmarshal(r, v.Field(i).Addr().Interface()); err != nil {
			return malformed("data."+name, "cannot be decoded")
		}
	}
	return nil
}

// decodeOutputData decodes the data of an output event into dst.
func decodeOutputData(raw []byte, dst any) *DecodeError {
	if !utf8.Valid(raw) {
		return malformed("data", "is not valid UTF-8")
	}
	if b := bytes.TrimSpace(raw); len(b) == 0 || b[0] != '{' {
		return malformed("data", "is not a JSON object")
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		field := "data"
		if te := (*json.UnmarshalTypeError)(nil); errors.As(err, &te) && te.Field != "" {
			field = "data." + te.Field
		}
		return malformed(field, "cannot be decoded")
	}
	return nil
}

// jsonName returns the JSON member name of a struct field, or "" when it has none.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// withIdentity returns err, a *DecodeError, with the event's id and source.
func withIdentity(err error, meta Meta) error {
	if de := (*DecodeError)(nil); errors.As(err, &de) {
		de.ID, de.Source = meta.ID, meta.Source
	}
	return err
}

// identify reads the id and source of a message that could not be decoded, as far as they can be
// read: from the ce-id and ce-source headers, or from a structured body.
func identify(h nats.Header, body []byte) (id, source string) {
	id, source = strings.TrimSpace(headerAttribute(h, "id")), headerAttribute(h, "source")
	if id == "" && source == "" && headerAttribute(h, "specversion") == "" {
		return peekIdentity(body)
	}
	return id, normalizeSource(source)
}

// headerAttribute returns the decoded value of header ce-<name>, or "" when there is none, when
// it cannot be decoded, or when its spellings and values disagree.
func headerAttribute(h nats.Header, name string) string {
	value, found := "", false
	for k, vs := range h {
		if !strings.EqualFold(k, headerPrefix+name) {
			continue
		}
		for _, raw := range vs {
			v, err := decodeHeaderValue(raw)
			if err != nil || (found && v != value) {
				return ""
			}
			value, found = v, true
		}
	}
	return value
}

// peekIdentity reads the string members id and source of a JSON object body.
func peekIdentity(body []byte) (id, source string) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(body, &probe); err != nil {
		return "", ""
	}
	str := func(r json.RawMessage) string {
		var s string
		if len(r) == 0 || r[0] != '"' || !utf8.Valid(r) || json.Unmarshal(r, &s) != nil {
			return ""
		}
		return s
	}
	return strings.TrimSpace(str(probe["id"])), normalizeSource(str(probe["source"]))
}

// stringMember returns obj[name] when it is a string.
func stringMember(obj map[string]any, name string) string {
	s, _ := obj[name].(string)
	return s
}

// normalizeSource puts a source in the normal form Meta.Source has, or leaves it as sent when it
// is not a URI reference.
func normalizeSource(s string) string {
	if u := types.ParseURIRef(s); u != nil {
		return u.String()
	}
	return s
}

// extensionString returns the string value of an extension attribute, or "".
func extensionString(e *event.Event, name string) string {
	v, ok := e.Extensions()[name]
	if !ok {
		return ""
	}
	s, err := types.ToString(v)
	if err != nil {
		return ""
	}
	return s
}

// headerSize is the size of h in the NATS wire format: "NATS/1.0\r\n", a "Key: Value\r\n" line per
// value, and a closing "\r\n".
func headerSize(h nats.Header) int {
	if len(h) == 0 {
		return 0
	}
	n := len("NATS/1.0\r\n") + len("\r\n")
	for k, vs := range h {
		for _, v := range vs {
			n += len(k) + len(": ") + len(v) + len("\r\n")
		}
	}
	return n
}

// structuredField is the field a whole-event problem is reported under.
func structuredField(m Mode) string {
	if m == Structured {
		return "body"
	}
	return "event"
}

// compareAttributes orders field names so that of several problems the most basic is reported:
// specversion, id, source, type, then the other attributes, then data members, each group by name.
func compareAttributes(a, b string) int {
	if ra, rb := attributeRank(a), attributeRank(b); ra != rb {
		return ra - rb
	}
	return strings.Compare(a, b)
}

func attributeRank(name string) int {
	switch name {
	case "specversion":
		return 0
	case "id":
		return 1
	case "source":
		return 2
	case "type":
		return 3
	case "body", "event", "content-type":
		return -1
	}
	if name == "data" || strings.HasPrefix(name, "data.") {
		return 5
	}
	return 4
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
