package events_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats.go"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

var bothModes = []events.Mode{events.Structured, events.Binary}

func TestDecodeValid(t *testing.T) {
	t.Parallel()
	d := newDecoder(t)
	for _, mode := range bothModes {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			h, body := validTermination().render(t, mode)
			got, err := d.Decode(h, body)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if diff := cmp.Diff(wantTermination(mode), got); diff != "" {
				t.Errorf("Decode (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeCancellation(t *testing.T) {
	t.Parallel()
	d := newDecoder(t)
	tests := []struct {
		name string
		data map[string]any
		want events.CancellationData
	}{
		{
			name: "source defaults to the event's",
			data: map[string]any{"terminationId": eventID, "reason": "withdrawn"},
			want: events.CancellationData{TerminationID: eventID, TerminationSource: source, Reason: "withdrawn"},
		},
		{
			name: "explicit source",
			data: map[string]any{"terminationId": eventID, "terminationSource": "https://hr.example.com/feed"},
			want: events.CancellationData{TerminationID: eventID, TerminationSource: "https://hr.example.com/feed"},
		},
		{
			name: "source in the normal form of Meta.Source",
			data: map[string]any{"terminationId": eventID, "terminationSource": "HTTPS://hr.example.com/a b"},
			want: events.CancellationData{TerminationID: eventID, TerminationSource: "https://hr.example.com/a%20b"},
		},
	}
	for _, tt := range tests {
		for _, mode := range bothModes {
			t.Run(tt.name+"/"+mode.String(), func(t *testing.T) {
				t.Parallel()
				e := validCancellation()
				e.data = tt.data
				h, body := e.render(t, mode)
				got, err := d.Decode(h, body)
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if got.Termination != nil {
					t.Errorf("Termination = %+v, want nil", got.Termination)
				}
				if got.Type != events.TypeCancelled || got.ID != "cancel-1" || got.Source != source {
					t.Errorf("Meta = %+v", got.Meta)
				}
				if diff := cmp.Diff(&tt.want, got.Cancellation); diff != "" {
					t.Errorf("Cancellation (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestDecodeAccepts covers variations of valid events in both modes.
func TestDecodeAccepts(t *testing.T) {
	t.Parallel()
	d := newDecoder(t)
	tests := []struct {
		name   string
		mutate func(e *rawEvent)
		check  func(t *testing.T, got *events.Inbound)
	}{
		{
			name:   "only email",
			mutate: func(e *rawEvent) { e.data = map[string]any{"email": "jane@example.com"} },
			check: func(t *testing.T, got *events.Inbound) {
				if diff := cmp.Diff(&events.TerminationData{Email: "jane@example.com"}, got.Termination); diff != "" {
					t.Errorf("data (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "only required attributes",
			mutate: func(e *rawEvent) {
				for _, k := range []string{"subject", "time", "datacontenttype", "traceparent", "tracestate"} {
					delete(e.attrs, k)
				}
			},
			check: func(t *testing.T, got *events.Inbound) {
				want := events.Meta{ID: eventID, Source: source, Type: events.TypeTerminated, DataContentType: "application/json", Mode: got.Mode}
				if diff := cmp.Diff(want, got.Meta); diff != "" {
					t.Errorf("Meta (-want +got):\n%s", diff)
				}
			},
		},
		{
			name:   "json content type with parameters and upper case",
			mutate: func(e *rawEvent) { e.attrs["datacontenttype"] = "Application/JSON; charset=utf-8" },
			check: func(t *testing.T, got *events.Inbound) {
				if got.DataContentType != "application/json; charset=utf-8" {
					t.Errorf("DataContentType = %q", got.DataContentType)
				}
			},
		},
		{
			name: "unknown data members are ignored, known ones matched by exact name",
			mutate: func(e *rawEvent) {
				e.data = map[string]any{"userId": userID, "UserID": 42, "Reason": strings.Repeat("x", 5000), "custom": map[string]any{"a": []int{1}}}
			},
			check: func(t *testing.T, got *events.Inbound) {
				if diff := cmp.Diff(&events.TerminationData{UserID: userID}, got.Termination); diff != "" {
					t.Errorf("data (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "reason of exactly 1000 multi-byte characters",
			mutate: func(e *rawEvent) {
				e.data.(map[string]any)["reason"] = strings.Repeat("\u00e9", events.MaxReasonLength)
			},
			check: func(t *testing.T, got *events.Inbound) {
				if n := len([]rune(got.Termination.Reason)); n != events.MaxReasonLength {
					t.Errorf("reason has %d characters", n)
				}
			},
		},
		{
			name: "entry ids as digit strings and integral numbers",
			mutate: func(e *rawEvent) {
				e.data = json.RawMessage(`{"userId":"` + userID + `","workspaceFolderId":"0012","archiveRoomId":7.0,"archiveFolderId":1e3}`)
			},
			check: func(t *testing.T, got *events.Inbound) {
				want := &events.TerminationData{UserID: userID, WorkspaceFolderID: 12, ArchiveRoomID: 7, ArchiveFolderID: 1000}
				if diff := cmp.Diff(want, got.Termination); diff != "" {
					t.Errorf("data (-want +got):\n%s", diff)
				}
			},
		},
		{
			name:   "invalid traceparent is dropped with its tracestate",
			mutate: func(e *rawEvent) { e.attrs["traceparent"] = "00-not-a-trace" },
			check: func(t *testing.T, got *events.Inbound) {
				if got.TraceParent != "" || got.TraceState != "" {
					t.Errorf("trace = %q, %q; want none", got.TraceParent, got.TraceState)
				}
			},
		},
		{
			name:   "non-ASCII subject",
			mutate: func(e *rawEvent) { e.attrs["subject"] = "Jos\u00e9 Garc\u00eda \U0001F600" },
			check: func(t *testing.T, got *events.Inbound) {
				if got.Subject != "Jos\u00e9 Garc\u00eda \U0001F600" {
					t.Errorf("Subject = %q", got.Subject)
				}
			},
		},
		{
			name:   "time with offset and fraction",
			mutate: func(e *rawEvent) { e.attrs["time"] = "2026-03-02T10:15:00.123456789+01:00" },
			check: func(t *testing.T, got *events.Inbound) {
				if want := time.Date(2026, 3, 2, 9, 15, 0, 123456789, time.UTC); !got.Time.Equal(want) {
					t.Errorf("Time = %v, want %v", got.Time, want)
				}
			},
		},
		{
			name:   "unknown extension attribute",
			mutate: func(e *rawEvent) { e.attrs["partitionkey"] = "hr-7" },
			check:  func(t *testing.T, got *events.Inbound) {},
		},
	}
	for _, tt := range tests {
		for _, mode := range bothModes {
			t.Run(tt.name+"/"+mode.String(), func(t *testing.T) {
				t.Parallel()
				e := validTermination().clone()
				tt.mutate(&e)
				h, body := e.render(t, mode)
				got, err := d.Decode(h, body)
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if got.Mode != mode {
					t.Errorf("Mode = %v, want %v", got.Mode, mode)
				}
				tt.check(t, got)
			})
		}
	}
}

// TestDecodeRefuses covers every refusal of CONTRACT section 2 in both modes: the error matches
// ErrMalformed, names the field, and carries the id and source when the event has them.
func TestDecodeRefuses(t *testing.T) {
	t.Parallel()
	d := newDecoder(t)
	setData := func(k string, v any) func(e *rawEvent) {
		return func(e *rawEvent) { e.data.(map[string]any)[k] = v }
	}
	tests := []struct {
		name      string
		mutate    func(e *rawEvent)
		wantField string
		noID      bool // the id cannot be read
		noSource  bool // the source cannot be read
	}{
		{"missing id", func(e *rawEvent) { delete(e.attrs, "id") }, "id", true, false},
		{"empty id", func(e *rawEvent) { e.attrs["id"] = "" }, "id", true, false},
		{"missing source", func(e *rawEvent) { delete(e.attrs, "source") }, "source", false, true},
		{"missing type", func(e *rawEvent) { delete(e.attrs, "type") }, "type", false, false},
		{"wrong type", func(e *rawEvent) { e.attrs["type"] = "employee.hired" }, "type", false, false},
		{"result type", func(e *rawEvent) { e.attrs["type"] = events.TypeCompleted }, "type", false, false},
		{"specversion 0.3", func(e *rawEvent) { e.attrs["specversion"] = "0.3" }, "specversion", false, false},
		{"specversion 2.0", func(e *rawEvent) { e.attrs["specversion"] = "2.0" }, "specversion", false, false},
		{"text data content type", func(e *rawEvent) { e.attrs["datacontenttype"] = "text/plain" }, "datacontenttype", false, false},
		{"xml data content type", func(e *rawEvent) { e.attrs["datacontenttype"] = "application/xml" }, "datacontenttype", false, false},
		{"json-like data content type", func(e *rawEvent) { e.attrs["datacontenttype"] = "application/problem+json" }, "datacontenttype", false, false},
		{"bad time", func(e *rawEvent) { e.attrs["time"] = "yesterday" }, "time", false, false},
		{"control character in subject", func(e *rawEvent) { e.attrs["subject"] = "a\nb" }, "subject", false, false},
		{"missing data", func(e *rawEvent) { e.data = nil }, "data", false, false},
		{"data is an array", func(e *rawEvent) { e.data = []any{1} }, "data", false, false},
		{"data is a string", func(e *rawEvent) { e.data = `{"userId":"` + userID + `"}` }, "data", false, false},
		{"data is null", func(e *rawEvent) { e.data = json.RawMessage("null") }, "data", false, false},
		{"userId and email missing", func(e *rawEvent) { e.data = map[string]any{"employeeId": "E-1"} }, "data.userId", false, false},
		{"userId not a GUID", setData("userId", "jane.doe"), "data.userId", false, false},
		{"userId braced GUID", setData("userId", "{"+userID+"}"), "data.userId", false, false},
		{"userId a number", setData("userId", 42), "data.userId", false, false},
		{"email invalid", func(e *rawEvent) { e.data = map[string]any{"email": "not an address"} }, "data.email", false, false},
		{"email a list", setData("email", []string{"a@example.com"}), "data.email", false, false},
		{"employeeId a number", setData("employeeId", 10442), "data.employeeId", false, false},
		{"workspaceFolderId not digits", setData("workspaceFolderId", "folder-1"), "data.workspaceFolderId", false, false},
		{"workspaceFolderId negative", setData("workspaceFolderId", -5), "data.workspaceFolderId", false, false},
		{"workspaceFolderId fraction", setData("workspaceFolderId", 1.5), "data.workspaceFolderId", false, false},
		{"archiveRoomId zero", setData("archiveRoomId", 0), "data.archiveRoomId", false, false},
		{"archiveRoomId zero string", setData("archiveRoomId", "0"), "data.archiveRoomId", false, false},
		{"archiveFolderId boolean", setData("archiveFolderId", true), "data.archiveFolderId", false, false},
		{"archiveFolderId over int64", setData("archiveFolderId", json.Number("9223372036854775808")), "data.archiveFolderId", false, false},
		{"archiveOwnerId not a GUID", setData("archiveOwnerId", "owner"), "data.archiveOwnerId", false, false},
		{"hrGroupId not a GUID", setData("hrGroupId", "HR"), "data.hrGroupId", false, false},
		{"effectiveAt not RFC 3339", setData("effectiveAt", "2026-03-02 17:00"), "data.effectiveAt", false, false},
		{"effectiveAt without zone", setData("effectiveAt", "2026-03-02T17:00:00"), "data.effectiveAt", false, false},
		{"dryRun a string", setData("dryRun", "true"), "data.dryRun", false, false},
		{"reason over 1000 characters", setData("reason", strings.Repeat("x", events.MaxReasonLength+1)), "data.reason", false, false},
		{"reason a number", setData("reason", 7), "data.reason", false, false},
		{"null userId", setData("userId", nil), "data.userId", false, false},
		{"huge exponent", setData("workspaceFolderId", json.Number("1e999999")), "data.workspaceFolderId", false, false},
		{
			"oversized event",
			setData("custom", strings.Repeat("x", events.MaxEventSize)),
			"event", false, false,
		},
	}
	for _, tt := range tests {
		for _, mode := range bothModes {
			t.Run(tt.name+"/"+mode.String(), func(t *testing.T) {
				t.Parallel()
				e := validTermination().clone()
				tt.mutate(&e)
				h, body := e.render(t, mode)
				got, err := d.Decode(h, body)
				if err == nil {
					t.Fatalf("Decode accepted the event: %+v", got)
				}
				wantID, wantSource := eventID, source
				if tt.noID {
					wantID = ""
				}
				if tt.noSource {
					wantSource = ""
				}
				checkDecodeError(t, err, tt.wantField, wantID, wantSource)
			})
		}
	}
}

// TestDecodeRefusesStructured covers problems only a structured message can have.
func TestDecodeRefusesStructured(t *testing.T) {
	t.Parallel()
	d := newDecoder(t)
	valid := func(t *testing.T) []byte {
		_, body := validTermination().structured(t)
		return body
	}
	tests := []struct {
		name       string
		header     nats.Header
		body       func(t *testing.T) []byte
		wantField  string
		wantID     string
		wantSource string
	}{
		{"bad JSON", nil, func(*testing.T) []byte { return []byte(`{"specversion":"1.0","id":"x",`) }, "body", "", ""},
		{"trailing data", nil, func(t *testing.T) []byte { return append(valid(t), []byte(" {}")...) }, "body", "", ""},
		{"empty body", nil, func(*testing.T) []byte { return nil }, "body", "", ""},
		{"array body", nil, func(*testing.T) []byte { return []byte(`[{"id":"x"}]`) }, "body", "", ""},
		{"invalid UTF-8", nil, func(t *testing.T) []byte {
			return []byte(strings.Replace(string(valid(t)), "Resignation", "Resig\xffnation", 1))
		}, "body", eventID, source},
		{"id a number", nil, func(*testing.T) []byte {
			return []byte(`{"specversion":"1.0","id":42,"source":"/s","type":"employee.terminated","data":{"userId":"` + userID + `"}}`)
		}, "id", "", "/s"},
		{"missing specversion", nil, func(*testing.T) []byte {
			return []byte(`{"id":"x","source":"/s","type":"employee.terminated","data":{"userId":"` + userID + `"}}`)
		}, "specversion", "x", "/s"},
		{"specversion a number", nil, func(*testing.T) []byte {
			return []byte(`{"specversion":1.0,"id":"x","source":"/s","type":"employee.terminated","data":{"userId":"` + userID + `"}}`)
		}, "specversion", "x", "/s"},
		{"upper-case attribute name", nil, func(*testing.T) []byte {
			return []byte(`{"specversion":"1.0","id":"x","source":"/s","type":"employee.terminated","Foo":"y","data":{"userId":"` + userID + `"}}`)
		}, "Foo", "x", "/s"},
		{"extension an object", nil, func(*testing.T) []byte {
			return []byte(`{"specversion":"1.0","id":"x","source":"/s","type":"employee.terminated","ext":{"a":1},"data":{"userId":"` + userID + `"}}`)
		}, "ext", "x", "/s"},
		{"extension number out of range", nil, func(*testing.T) []byte {
			return []byte(`{"specversion":"1.0","id":"x","source":"/s","type":"employee.terminated","ext":1e999999,"data":{"userId":"` + userID + `"}}`)
		}, "ext", "x", "/s"},
		{"time with lower-case t", nil, func(*testing.T) []byte {
			return []byte(`{"specversion":"1.0","id":"x","source":"/s","type":"employee.terminated","time":"2026-03-02t09:15:00z","data":{"userId":"` + userID + `"}}`)
		}, "time", "x", "/s"},
		{"data_base64 not base64", nil, func(*testing.T) []byte {
			return []byte(`{"specversion":"1.0","id":"x","source":"/s","type":"employee.terminated","data_base64":"!!"}`)
		}, "data_base64", "x", "/s"},
		{"data_base64 not a JSON object", nil, func(*testing.T) []byte {
			return []byte(`{"specversion":"1.0","id":"x","source":"/s","type":"employee.terminated","data_base64":"WzFd"}`)
		}, "data", "x", "/s"},
		{"both data and data_base64", nil, func(*testing.T) []byte {
			return []byte(`{"specversion":"1.0","id":"x","source":"/s","type":"employee.terminated","data":{"userId":"` + userID + `"},"data_base64":"e30="}`)
		}, "body", "x", "/s"},
		{"JSON content type", nats.Header{"Content-Type": {"application/json"}}, valid, "content-type", eventID, source},
		{"batch content type", nats.Header{"content-type": {"application/cloudevents-batch+json"}}, valid, "content-type", eventID, source},
		{"ce- headers without ce-specversion", nats.Header{"ce-id": {"hdr-id"}, "ce-source": {"/hdr"}}, valid, "specversion", "hdr-id", "/hdr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := d.Decode(tt.header, tt.body(t))
			if err == nil {
				t.Fatalf("Decode accepted the event: %+v", got)
			}
			checkDecodeError(t, err, tt.wantField, tt.wantID, tt.wantSource)
		})
	}
}

// TestDecodeBinaryHeaders covers the binding's header rules.
func TestDecodeBinaryHeaders(t *testing.T) {
	t.Parallel()
	d := newDecoder(t)
	data := []byte(`{"userId":"` + userID + `"}`)
	base := func() nats.Header {
		return nats.Header{
			"ce-specversion": {"1.0"},
			"ce-id":          {eventID},
			"ce-source":      {source},
			"ce-type":        {events.TypeTerminated},
		}
	}
	with := func(kv ...string) nats.Header {
		h := base()
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(h, kv[i])
				continue
			}
			h[kv[i]] = append(h[kv[i]], kv[i+1])
		}
		return h
	}
	accepted := []struct {
		name  string
		h     nats.Header
		check func(t *testing.T, m events.Meta)
	}{
		{"percent-encoded non-ASCII", with("ce-subject", "Jos%C3%A9%20Garc%C3%ADa"), func(t *testing.T, m events.Meta) {
			if m.Subject != "Jos\u00e9 Garc\u00eda" {
				t.Errorf("Subject = %q", m.Subject)
			}
		}},
		{"lower-case hex digits", with("ce-subject", "Jos%c3%a9"), func(t *testing.T, m events.Meta) {
			if m.Subject != "Jos\u00e9" {
				t.Errorf("Subject = %q", m.Subject)
			}
		}},
		{"quoted-string value", with("ce-subject", `"say \"hi\""`), func(t *testing.T, m events.Meta) {
			if m.Subject != `say "hi"` {
				t.Errorf("Subject = %q", m.Subject)
			}
		}},
		{"upper-case header names", nats.Header{
			"CE-SPECVERSION": {"1.0"}, "Ce-Id": {eventID}, "CE-source": {source}, "cE-TyPe": {events.TypeTerminated},
			"CONTENT-TYPE": {"application/json"}, "Ce-Traceparent": {traceID},
		}, func(t *testing.T, m events.Meta) {
			if m.ID != eventID || m.Source != source || m.DataContentType != "application/json" || m.TraceParent != traceID {
				t.Errorf("Meta = %+v", m)
			}
		}},
		{"content-type only", with("Content-Type", "application/json; charset=utf-8"), func(t *testing.T, m events.Meta) {
			if m.DataContentType != "application/json; charset=utf-8" {
				t.Errorf("DataContentType = %q", m.DataContentType)
			}
		}},
		{"ce-datacontenttype only", with("ce-datacontenttype", "application/json"), func(t *testing.T, m events.Meta) {
			if m.DataContentType != "application/json" {
				t.Errorf("DataContentType = %q", m.DataContentType)
			}
		}},
		{"both content types agree", with("ce-datacontenttype", "application/json;%20charset=UTF-8", "Content-Type", "application/json; charset=utf-8"), func(t *testing.T, m events.Meta) {
			if m.DataContentType != "application/json; charset=UTF-8" {
				t.Errorf("DataContentType = %q", m.DataContentType)
			}
		}},
		{"no content type at all", base(), func(t *testing.T, m events.Meta) {
			if m.DataContentType != "application/json" {
				t.Errorf("DataContentType = %q", m.DataContentType)
			}
		}},
		{"same header twice with one value", with("CE-ID", eventID), func(t *testing.T, m events.Meta) {
			if m.ID != eventID {
				t.Errorf("ID = %q", m.ID)
			}
		}},
	}
	for _, tt := range accepted {
		t.Run("accepts/"+tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := d.Decode(tt.h, data)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if got.Mode != events.Binary {
				t.Errorf("Mode = %v, want binary", got.Mode)
			}
			tt.check(t, got.Meta)
		})
	}

	refused := []struct {
		name       string
		h          nats.Header
		body       []byte
		wantField  string
		wantID     string
		wantSource string
	}{
		{"overlong UTF-8 after decoding", with("ce-subject", "a%C0%A0b"), data, "subject", eventID, source},
		{"encoded invalid byte", with("ce-subject", "%FF"), data, "subject", eventID, source},
		{"raw invalid UTF-8", with("ce-subject", "a\xffb"), data, "subject", eventID, source},
		{"bad percent in id", with("ce-id", "", "ce-id", "abc%2"), data, "id", "", source},
		{"invalid UTF-8 in source", with("ce-source", "", "ce-source", "/hris/%C3"), data, "source", eventID, ""},
		{"unterminated quoted string", with("ce-subject", `"abc`), data, "subject", eventID, source},
		{"wrong specversion", with("ce-specversion", "", "ce-specversion", "0.3"), data, "specversion", eventID, source},
		{"conflicting spellings", with("CE-ID", "other-id"), data, "id", "", source},
		{"content types disagree", with("ce-datacontenttype", "application/json", "content-type", "text/plain"), data, "datacontenttype", eventID, source},
		{"non-JSON content-type", with("Content-Type", "text/csv"), data, "datacontenttype", eventID, source},
		{"source not a URI reference", with("ce-source", "", "ce-source", "%25zz"), data, "source", eventID, "%zz"},
		{"empty body", base(), nil, "data", eventID, source},
		{"body not JSON", base(), []byte(`{"userId":`), "data", eventID, source},
		{"body invalid UTF-8", base(), []byte("{\"employeeId\":\"\xff\"}"), "data", eventID, source},
	}
	for _, tt := range refused {
		t.Run("refuses/"+tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := d.Decode(tt.h, tt.body)
			if err == nil {
				t.Fatalf("Decode accepted the event: %+v", got)
			}
			checkDecodeError(t, err, tt.wantField, tt.wantID, tt.wantSource)
		})
	}
}

// TestDecodeSDKEvent checks that an event made by cloudevents/sdk-go and marshalled with
// encoding/json is accepted as a structured message without a content type, whether its data was
// set as a value (sent as "data") or as bytes (sent as "data_base64").
func TestDecodeSDKEvent(t *testing.T) {
	t.Parallel()
	d := newDecoder(t)
	tests := []struct {
		name string
		data any
	}{
		{"value", map[string]any{"userId": userID, "dryRun": true}},
		{"bytes", []byte(`{"userId":"` + userID + `","dryRun":true}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := event.New()
			e.SetID(eventID)
			e.SetSource(source)
			e.SetType(events.TypeTerminated)
			e.SetTime(time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC))
			if err := e.SetData(event.ApplicationJSON, tt.data); err != nil {
				t.Fatal(err)
			}
			body, err := json.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			if _, isBytes := tt.data.([]byte); isBytes && !strings.Contains(string(body), `"data_base64":"`+base64.StdEncoding.EncodeToString(tt.data.([]byte))) {
				t.Fatalf("sdk-go did not send data_base64: %s", body)
			}
			got, err := d.Decode(nil, body)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			want := &events.TerminationData{UserID: userID, DryRun: true}
			if diff := cmp.Diff(want, got.Termination); diff != "" {
				t.Errorf("data (-want +got):\n%s", diff)
			}
			if got.ID != eventID || got.Source != source || got.Mode != events.Structured {
				t.Errorf("Meta = %+v", got.Meta)
			}
		})
	}
}

func TestDecodeErrorMessage(t *testing.T) {
	t.Parallel()
	d := newDecoder(t)
	e := validTermination().clone()
	e.data.(map[string]any)["userId"] = "jane.doe@example.com"
	h, body := e.structured(t)
	_, err := d.Decode(h, body)
	if !errors.Is(err, events.ErrMalformed) {
		t.Fatalf("error %v does not match ErrMalformed", err)
	}
	msg := err.Error()
	for _, want := range []string{"malformed event", `"` + eventID + `"`, `"` + source + `"`, "data.userId"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	// Reasons describe the problem without repeating personal data from the event.
	if strings.Contains(msg, "jane.doe") {
		t.Errorf("error %q quotes the event's value", msg)
	}
}

func TestDecodeErrorTruncatesLongID(t *testing.T) {
	t.Parallel()
	err := &events.DecodeError{Field: "type", Reason: "must be x", ID: strings.Repeat("\u00e9", 200)}
	if n := len(err.Error()); n > 200 {
		t.Errorf("error message is %d bytes long", n)
	}
}

func TestDecodeErrorFieldIsSafe(t *testing.T) {
	t.Parallel()
	d := newDecoder(t)
	long := strings.Repeat("a", 200)
	tests := []struct {
		name string
		h    nats.Header
		body []byte
	}{
		{"long header name", nats.Header{"ce-specversion": {"1.0"}, "ce-" + long: {"%zz"}}, []byte(`{}`)},
		{"control character in member name", nil, []byte(`{"specversion":"1.0","id":"x","source":"/s","type":"employee.terminated","a\nb":"c","data":{}}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := d.Decode(tt.h, tt.body)
			var de *events.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error = %v, want a *DecodeError", err)
			}
			if len(de.Field) > 80 || strings.ContainsAny(de.Field, "\n\r") {
				t.Errorf("Field = %q: too long or not safe to log", de.Field)
			}
		})
	}
}

func checkDecodeError(t *testing.T, err error, wantField, wantID, wantSource string) {
	t.Helper()
	if !errors.Is(err, events.ErrMalformed) {
		t.Errorf("error %v does not match ErrMalformed", err)
	}
	var de *events.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("error %v is not a *DecodeError", err)
	}
	if de.Field != wantField {
		t.Errorf("Field = %q, want %q (error: %v)", de.Field, wantField, err)
	}
	if de.ID != wantID {
		t.Errorf("ID = %q, want %q", de.ID, wantID)
	}
	if de.Source != wantSource {
		t.Errorf("Source = %q, want %q", de.Source, wantSource)
	}
	if de.Reason == "" {
		t.Errorf("empty Reason")
	}
	if !strings.Contains(err.Error(), wantField) {
		t.Errorf("error %q does not name field %q", err, wantField)
	}
}
