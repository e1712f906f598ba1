package events_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/schemas"
)

// GUIDs and ids of the test fixtures.
const (
	userID   = "3f2a6c1e-8b4d-4e5f-9a7b-1c2d3e4f5a6b"
	ownerID  = "9b1d4c2a-7e6f-4a3b-8c5d-2e1f0a9b8c7d"
	groupID  = "c4e7a1b2-3d5f-4e6a-9b8c-7d0e1f2a3b4c"
	eventID  = "7d8c1f4e-2b3a-4c5d-8e9f-0a1b2c3d4e5f"
	source   = "/hris/workday"
	traceID  = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	traceSt  = "congo=t61rcWkgMzE"
	eventISO = "2026-03-02T09:15:00Z"
)

// rawEvent is an input event before it is put on the wire, so that a test can break any part of it
// and then send it in either content mode.
type rawEvent struct {
	// attrs are the context attributes; in binary mode each becomes a ce- header, its value
	// formatted with %v and percent-encoded the way the binding asks.
	attrs map[string]any
	// data is marshalled to JSON, unless it is a json.RawMessage or []byte (sent as is).
	data any
	// header is added to the message as is, after the ce- headers.
	header nats.Header
}

// validTermination returns a valid employee.terminated event with every data field set.
func validTermination() rawEvent {
	return rawEvent{
		attrs: map[string]any{
			"specversion":     "1.0",
			"id":              eventID,
			"source":          source,
			"type":            events.TypeTerminated,
			"subject":         "E-10442",
			"time":            eventISO,
			"datacontenttype": "application/json",
			"traceparent":     traceID,
			"tracestate":      traceSt,
		},
		data: map[string]any{
			"userId":            userID,
			"email":             "jane.doe@example.com",
			"employeeId":        "E-10442",
			"workspaceFolderId": 539564,
			"archiveRoomId":     "748200",
			"archiveFolderId":   748239,
			"archiveOwnerId":    ownerID,
			"hrGroupId":         groupID,
			"effectiveAt":       "2026-03-02T17:00:00+01:00",
			"dryRun":            true,
			"reason":            "Resignation.",
		},
	}
}

// validCancellation returns a valid employee.termination.cancelled event.
func validCancellation() rawEvent {
	return rawEvent{
		attrs: map[string]any{
			"specversion": "1.0",
			"id":          "cancel-1",
			"source":      source,
			"type":        events.TypeCancelled,
		},
		data: map[string]any{"terminationId": eventID, "reason": "withdrawn"},
	}
}

// wantTermination is what validTermination decodes to, in mode m.
func wantTermination(m events.Mode) *events.Inbound {
	effective := time.Date(2026, 3, 2, 17, 0, 0, 0, time.FixedZone("", 3600))
	return &events.Inbound{
		Meta: events.Meta{
			ID:              eventID,
			Source:          source,
			Type:            events.TypeTerminated,
			Subject:         "E-10442",
			Time:            time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC),
			TraceParent:     traceID,
			TraceState:      traceSt,
			DataContentType: "application/json",
			Mode:            m,
		},
		Termination: &events.TerminationData{
			UserID:            userID,
			Email:             "jane.doe@example.com",
			EmployeeID:        "E-10442",
			WorkspaceFolderID: 539564,
			ArchiveRoomID:     748200,
			ArchiveFolderID:   748239,
			ArchiveOwnerID:    ownerID,
			HRGroupID:         groupID,
			EffectiveAt:       &effective,
			DryRun:            true,
			Reason:            "Resignation.",
		},
	}
}

func (e rawEvent) clone() rawEvent {
	c := rawEvent{attrs: maps.Clone(e.attrs), data: e.data, header: maps.Clone(e.header)}
	if m, ok := e.data.(map[string]any); ok {
		c.data = maps.Clone(m)
	}
	return c
}

func (e rawEvent) dataJSON(t testing.TB) []byte {
	t.Helper()
	switch d := e.data.(type) {
	case nil:
		return nil
	case json.RawMessage:
		return d
	case []byte:
		return d
	default:
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("marshal data: %v", err)
		}
		return b
	}
}

// structured renders e as a structured-mode message without a Content-Type header, the way
// cloudevents/sdk-go sends it.
func (e rawEvent) structured(t testing.TB) (nats.Header, []byte) {
	t.Helper()
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range slices.Sorted(maps.Keys(e.attrs)) {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(e.attrs[k])
		if err != nil {
			t.Fatalf("marshal %s: %v", k, err)
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	if d := e.dataJSON(t); d != nil {
		if len(e.attrs) > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"data":`)
		b.Write(d)
	}
	b.WriteByte('}')
	h := nats.Header{}
	for k, vs := range e.header {
		h[k] = append(h[k], vs...)
	}
	return h, b.Bytes()
}

// binary renders e as a binary-mode message: one percent-encoded ce- header per attribute.
func (e rawEvent) binary(t testing.TB) (nats.Header, []byte) {
	t.Helper()
	h := nats.Header{}
	for k, v := range e.attrs {
		s, ok := v.(string)
		if !ok {
			b, _ := json.Marshal(v)
			s = string(b)
		}
		h.Set("ce-"+k, percentEncode(s))
	}
	for k, vs := range e.header {
		h[k] = append(h[k], vs...)
	}
	return h, e.dataJSON(t)
}

func (e rawEvent) render(t testing.TB, m events.Mode) (nats.Header, []byte) {
	t.Helper()
	if m == events.Binary {
		return e.binary(t)
	}
	return e.structured(t)
}

// percentEncode is an independent implementation of the binding's header value encoding.
func percentEncode(s string) string {
	var b []byte
	for _, c := range []byte(s) {
		if c <= 0x20 || c >= 0x7F || c == '"' || c == '%' {
			b = append(b, '%', "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&15])
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// compileSchema compiles one schema of package schemas.
func compileSchema(t testing.TB, name string) *jsonschema.Schema {
	t.Helper()
	s, err := schemas.Compile(name)
	if err != nil {
		t.Fatal(err)
	}
	return s[0]
}

// validateJSON checks raw JSON against schema.
func validateJSON(t testing.TB, schema *jsonschema.Schema, raw []byte) error {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse %s: %v", raw, err)
	}
	return schema.Validate(v)
}

func newDecoder(t testing.TB) *events.Decoder {
	t.Helper()
	d, err := events.NewDecoder()
	if err != nil {
		t.Fatal(err)
	}
	return d
}
