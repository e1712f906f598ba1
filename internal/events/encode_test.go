package events_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats.go"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/schemas"
)

var update = flag.Bool("update", false, "rewrite the testdata/*.golden files")

var (
	started  = time.Date(2026, 3, 2, 17, 0, 1, 0, time.UTC)
	finished = time.Date(2026, 3, 2, 17, 1, 12, 500_000_000, time.UTC)
)

// sampleResult returns a Result with the given status, filled as the workflow fills it.
func sampleResult(status events.Status) events.Result {
	r := events.Result{
		TerminationID:     eventID,
		TerminationSource: source,
		UserID:            userID,
		EmployeeID:        "E-10442",
		Status:            status,
		Reason:            "Resignation.",
		StartedAt:         started,
		FinishedAt:        finished,
	}
	step := func(name string, st events.StepStatus, attempts int, detail string) events.Step {
		s := events.Step{Name: name, Status: st, Attempts: attempts, StartedAt: started, FinishedAt: finished}
		if detail != "" {
			s.Detail = json.RawMessage(detail)
		}
		return s
	}
	report := &events.Report{
		User: events.ReportUser{
			ID: userID, DisplayName: "Jane Doe", Email: "jane.doe@example.com", EmployeeID: "E-10442",
			Type: "RoomAdmin", StatusBefore: "Active", StatusAfter: "Terminated",
		},
		Reassigned: events.Reassignment{
			ToUserID: ownerID, ToDisplayName: "Archive Owner",
			JobID: "1_" + userID + "_ReassignProgressItem", Outcome: "completed",
			Rooms: []events.EntryRef{{ID: 612001, Title: "Project Atlas"}},
		},
		Archive: &events.ArchiveLocation{
			FolderID: 539564, FolderTitle: "Jane Doe", ParentID: 748239, RoomID: 748200, RoomTitle: "Archive",
			URL: "https://portal.example.com/rooms/shared/748200/filter?folder=539564",
		},
		Access: []events.AccessGrant{
			{SubjectID: ownerID, SubjectType: "user", Name: "Archive Owner", Access: 9, AccessName: "RoomManager", IsOwner: true},
			{SubjectID: groupID, SubjectType: "group", Name: "HR", Access: 2, AccessName: "Read"},
		},
		Audit: events.AuditTrail{
			From: started.AddDate(0, -1, 0), To: started, EventCount: 1,
			Events:     []events.AuditEntry{{ID: 88121, Date: started.Add(-time.Hour), ActionID: 3010, Action: "File updated", UserID: userID, Target: []string{"539600"}}},
			LoginCount: 1,
			LoginEvents: []events.LoginEntry{
				{ID: 5512, Date: started.Add(-2 * time.Hour), ActionID: 1000, Action: "Login success", IP: "192.0.2.10", Browser: "Firefox 140.0", Platform: "Linux"},
			},
		},
		Exports: []events.ExportedFile{
			{Kind: "audit-csv", FileID: 780011, Title: "AuditTrailReport.csv", FolderID: 539564},
			{Kind: "report-json", FileID: 780012, Title: "offboarding-E-10442.json", FolderID: 539564},
		},
		LeftBehind: []events.LeftBehind{{Kind: "personal-files", Description: "3 unshared files stay in My documents."}},
	}
	switch status {
	case events.StatusCompleted:
		r.Steps = []events.Step{
			step(events.StepDisable, events.StepDone, 1, `{"statusBefore":"Active"}`),
			step(events.StepReassign, events.StepDone, 1, `{"outcome":"completed"}`),
			step(events.StepArchive, events.StepDone, 2, `{"folderId":539564}`),
			step(events.StepAccess, events.StepDone, 1, `{"granted":2}`),
			step(events.StepAudit, events.StepDone, 1, `{"events":1}`),
		}
		r.Report = report
	case events.StatusPlanned:
		r.DryRun = true
		r.Steps = []events.Step{
			step(events.StepDisable, events.StepPlanned, 1, ""),
			step(events.StepReassign, events.StepPlanned, 1, ""),
			step(events.StepArchive, events.StepSkipped, 0, `{"why":"no workspace folder"}`),
			step(events.StepAccess, events.StepPlanned, 1, ""),
			step(events.StepAudit, events.StepPlanned, 1, ""),
		}
		report.Reassigned.Outcome = "planned"
		report.Reassigned.Rooms = nil
		report.Archive = nil
		report.Audit.Events, report.Audit.LoginEvents = nil, nil
		report.Audit.EventCount, report.Audit.LoginCount = 0, 0
		report.Exports, report.LeftBehind = nil, nil
		r.Report = report
	case events.StatusFailed:
		r.Steps = []events.Step{
			step(events.StepDisable, events.StepDone, 1, `{}`),
			step(events.StepReassign, events.StepFailed, 3, `{"httpStatus":400}`),
		}
		r.Error = &events.Error{Step: events.StepReassign, Code: "reassign_target_invalid", Message: "the archive owner must be an active RoomAdmin or DocSpaceAdmin", Retryable: false}
	case events.StatusCancelled:
		r.Steps = []events.Step{step(events.StepDisable, events.StepDone, 1, "null")}
		r.Error = &events.Error{Code: "cancelled", Message: "termination cancelled by " + source}
	}
	return r
}

func sampleProgress() events.Progress {
	return events.Progress{
		TerminationID: eventID, TerminationSource: source, UserID: userID, EmployeeID: "E-10442",
		Step: events.StepReassign, Status: events.StepRunning, Attempt: 1, Percentage: 50,
		Message: "reassign job at 50%", Time: started.Add(20 * time.Second),
	}
}

var allStatuses = []events.Status{events.StatusCompleted, events.StatusPlanned, events.StatusFailed, events.StatusCancelled}

func TestEncoderResultGolden(t *testing.T) {
	t.Parallel()
	for _, status := range allStatuses {
		for _, mode := range bothModes {
			t.Run(string(status)+"/"+mode.String(), func(t *testing.T) {
				t.Parallel()
				msg, err := events.Encoder{Mode: mode}.Result(sampleResult(status), traceID)
				if err != nil {
					t.Fatalf("Result: %v", err)
				}
				golden(t, "result-"+string(status)+"-"+mode.String()+".golden", render(t, msg))
			})
		}
	}
}

func TestEncoderProgressGolden(t *testing.T) {
	t.Parallel()
	for _, mode := range bothModes {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			msg, err := events.Encoder{Mode: mode}.Progress(sampleProgress(), traceID)
			if err != nil {
				t.Fatalf("Progress: %v", err)
			}
			golden(t, "progress-"+mode.String()+".golden", render(t, msg))
		})
	}
}

// TestEncoderResult checks the envelope of result events for every status in both modes, that the
// data validates against the result schema, and that DecodeResult reads back what was encoded.
func TestEncoderResult(t *testing.T) {
	t.Parallel()
	resultSchema := compileSchema(t, schemas.OffboardingResult)
	envelope := compileSchema(t, schemas.CloudEventEnvelope)
	wantType := map[events.Status]string{
		events.StatusCompleted: events.TypeCompleted,
		events.StatusPlanned:   events.TypeCompleted,
		events.StatusFailed:    events.TypeFailed,
		events.StatusCancelled: events.TypeFailed,
	}
	for _, status := range allStatuses {
		for _, mode := range bothModes {
			t.Run(string(status)+"/"+mode.String(), func(t *testing.T) {
				t.Parallel()
				in := sampleResult(status)
				enc := events.Encoder{Source: "/offboarding-test", Mode: mode}
				msg, err := enc.Result(in, traceID)
				if err != nil {
					t.Fatalf("Result: %v", err)
				}
				if msg.Subject != wantType[status] {
					t.Errorf("Subject = %q, want %q", msg.Subject, wantType[status])
				}
				wantID := events.ResultID(source, eventID)
				if got := msg.Header.Get("Nats-Msg-Id"); got != wantID {
					t.Errorf("Nats-Msg-Id = %q, want %q", got, wantID)
				}

				var data []byte
				switch mode {
				case events.Structured:
					if got := msg.Header.Get("Content-Type"); got != "application/cloudevents+json" {
						t.Errorf("Content-Type = %q", got)
					}
					if err := validateJSON(t, envelope, msg.Data); err != nil {
						t.Errorf("event does not match the envelope schema: %v", err)
					}
					var ev struct{ Data json.RawMessage }
					if err := json.Unmarshal(msg.Data, &ev); err != nil {
						t.Fatal(err)
					}
					data = ev.Data
				case events.Binary:
					for k, want := range map[string]string{
						"Content-Type":       "application/json",
						"ce-datacontenttype": "application/json",
						"ce-specversion":     "1.0",
						"ce-id":              wantID,
						"ce-type":            wantType[status],
						"ce-source":          "/offboarding-test",
						"ce-subject":         userID,
						"ce-time":            "2026-03-02T17:01:12.5Z",
						"ce-traceparent":     traceID,
					} {
						if got := msg.Header.Get(k); got != want {
							t.Errorf("header %s = %q, want %q", k, got, want)
						}
					}
					data = msg.Data
				}
				if err := validateJSON(t, resultSchema, data); err != nil {
					t.Errorf("data does not match the result schema: %v\n%s", err, data)
				}

				meta, got, err := events.DecodeResult(msg.Header, msg.Data)
				if err != nil {
					t.Fatalf("DecodeResult: %v", err)
				}
				wantMeta := &events.Meta{
					ID: wantID, Source: "/offboarding-test", Type: wantType[status], Subject: userID,
					Time: finished, TraceParent: traceID, DataContentType: "application/json", Mode: mode,
				}
				if diff := cmp.Diff(wantMeta, meta); diff != "" {
					t.Errorf("DecodeResult meta (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(normalizedResult(in), *got); diff != "" {
					t.Errorf("DecodeResult data (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// normalizedResult is r as it comes back from the wire: nil lists empty, nil details {}.
func normalizedResult(r events.Result) events.Result {
	steps := make([]events.Step, len(r.Steps))
	for i, s := range r.Steps {
		if len(s.Detail) == 0 || string(s.Detail) == "null" {
			s.Detail = json.RawMessage("{}")
		}
		steps[i] = s
	}
	r.Steps = steps
	if r.Report != nil {
		rep := *r.Report
		orEmpty(&rep.Reassigned.Rooms)
		orEmpty(&rep.Access)
		orEmpty(&rep.Audit.Events)
		orEmpty(&rep.Audit.LoginEvents)
		orEmpty(&rep.Exports)
		orEmpty(&rep.LeftBehind)
		r.Report = &rep
	}
	return r
}

func orEmpty[T any](s *[]T) {
	if *s == nil {
		*s = []T{}
	}
}

func TestEncoderResultSubjectAndSource(t *testing.T) {
	t.Parallel()
	r := sampleResult(events.StatusFailed)
	r.UserID = ""
	r.Error.Code = "invalid_event"
	msg, err := events.Encoder{}.Result(r, "")
	if err != nil {
		t.Fatalf("Result: %v", err)
	}
	var ev map[string]any
	if err := json.Unmarshal(msg.Data, &ev); err != nil {
		t.Fatal(err)
	}
	if _, ok := ev["subject"]; ok {
		t.Errorf("subject present for an unknown user: %v", ev["subject"])
	}
	if _, ok := ev["traceparent"]; ok {
		t.Errorf("traceparent present though none was given")
	}
	if ev["source"] != events.DefaultSource {
		t.Errorf("source = %v, want %s", ev["source"], events.DefaultSource)
	}
}

func TestEncoderProgress(t *testing.T) {
	t.Parallel()
	progressSchema := compileSchema(t, schemas.OffboardingProgress)
	for _, mode := range bothModes {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			in := sampleProgress()
			msg, err := events.Encoder{Mode: mode}.Progress(in, traceID)
			if err != nil {
				t.Fatalf("Progress: %v", err)
			}
			if msg.Subject != events.SubjectProgress {
				t.Errorf("Subject = %q", msg.Subject)
			}
			wantID := events.ProgressID(source, eventID, events.StepReassign, events.StepRunning, 1)
			if got := msg.Header.Get("Nats-Msg-Id"); got != wantID {
				t.Errorf("Nats-Msg-Id = %q, want %q", got, wantID)
			}
			meta, got, err := events.DecodeProgress(msg.Header, msg.Data)
			if err != nil {
				t.Fatalf("DecodeProgress: %v", err)
			}
			if meta.ID != wantID || meta.Type != events.TypeProgress || meta.Subject != userID || !meta.Time.Equal(in.Time) {
				t.Errorf("meta = %+v", meta)
			}
			if diff := cmp.Diff(in, *got); diff != "" {
				t.Errorf("DecodeProgress (-want +got):\n%s", diff)
			}
			data := msg.Data
			if mode == events.Structured {
				var ev struct{ Data json.RawMessage }
				if err := json.Unmarshal(msg.Data, &ev); err != nil {
					t.Fatal(err)
				}
				data = ev.Data
			}
			if err := validateJSON(t, progressSchema, data); err != nil {
				t.Errorf("data does not match the progress schema: %v", err)
			}
		})
	}
}

func TestEncoderRefuses(t *testing.T) {
	t.Parallel()
	mutate := func(f func(r *events.Result)) events.Result {
		r := sampleResult(events.StatusCompleted)
		f(&r)
		return r
	}
	resultSchema := compileSchema(t, schemas.OffboardingResult)
	results := []struct {
		name string
		r    events.Result
		// schemaToo says the result schema refuses the data as well.
		schemaToo bool
	}{
		{"no termination id", mutate(func(r *events.Result) { r.TerminationID = "" }), true},
		{"unknown status", mutate(func(r *events.Result) { r.Status = "done" }), true},
		{"completed without report", mutate(func(r *events.Result) { r.Report = nil }), true},
		{"failed without error", func() events.Result { r := sampleResult(events.StatusFailed); r.Error = nil; return r }(), true},
		{"error without code", func() events.Result { r := sampleResult(events.StatusFailed); r.Error.Code = ""; return r }(), true},
		{"user id not a GUID", mutate(func(r *events.Result) { r.UserID = "jane" }), true},
		{"running step", mutate(func(r *events.Result) { r.Steps[0].Status = events.StepRunning }), true},
		{"unnamed step", mutate(func(r *events.Result) { r.Steps[0].Name = "" }), true},
		{"negative attempts", mutate(func(r *events.Result) { r.Steps[0].Attempts = -1 }), true},
		{"detail not an object", mutate(func(r *events.Result) { r.Steps[0].Detail = json.RawMessage(`[1]`) }), true},
		{"reason too long", mutate(func(r *events.Result) { r.Reason = strings.Repeat("x", 1001) }), true},
		{"report user not a GUID", mutate(func(r *events.Result) { r.Report.User.ID = "" }), true},
		{"archive without room", mutate(func(r *events.Result) { r.Report.Archive.RoomID = 0 }), true},
		{"access subject type", mutate(func(r *events.Result) { r.Report.Access[0].SubjectType = "role" }), true},
		{"export kind", mutate(func(r *events.Result) { r.Report.Exports[0].Kind = "pdf" }), true},
		{"no finish time", mutate(func(r *events.Result) { r.FinishedAt = time.Time{} }), false},
	}
	for _, tt := range results {
		t.Run("result/"+tt.name, func(t *testing.T) {
			t.Parallel()
			if msg, err := (events.Encoder{}).Result(tt.r, ""); err == nil {
				t.Errorf("Result accepted it: %s", msg.Data)
			}
			if !tt.schemaToo {
				return
			}
			// What the encoder refuses, the published schema refuses too.
			data, err := json.Marshal(tt.r)
			if err != nil {
				t.Fatal(err)
			}
			if err := validateJSON(t, resultSchema, data); err == nil {
				t.Errorf("the result schema accepts what the encoder refuses")
			}
		})
	}

	t.Run("no time is ErrNoTime", func(t *testing.T) {
		t.Parallel()
		_, err := events.Encoder{}.Result(mutate(func(r *events.Result) { r.FinishedAt = time.Time{} }), "")
		if !errors.Is(err, events.ErrNoTime) {
			t.Errorf("error = %v, want ErrNoTime", err)
		}
	})
	t.Run("unknown mode", func(t *testing.T) {
		t.Parallel()
		_, err := events.Encoder{Mode: 7}.Result(sampleResult(events.StatusCompleted), "")
		if !errors.Is(err, events.ErrUnknownMode) {
			t.Errorf("error = %v, want ErrUnknownMode", err)
		}
	})
	t.Run("bad source", func(t *testing.T) {
		t.Parallel()
		if _, err := (events.Encoder{Source: "%zz"}).Result(sampleResult(events.StatusCompleted), ""); err == nil {
			t.Errorf("Result accepted source %%zz")
		}
	})

	progress := []struct {
		name string
		f    func(p *events.Progress)
	}{
		{"no termination id", func(p *events.Progress) { p.TerminationID = "" }},
		{"no step", func(p *events.Progress) { p.Step = "" }},
		{"unknown status", func(p *events.Progress) { p.Status = "halfway" }},
		{"attempt zero", func(p *events.Progress) { p.Attempt = 0 }},
		{"percentage over 100", func(p *events.Progress) { p.Percentage = 101 }},
		{"no time", func(p *events.Progress) { p.Time = time.Time{} }},
	}
	for _, tt := range progress {
		t.Run("progress/"+tt.name, func(t *testing.T) {
			t.Parallel()
			p := sampleProgress()
			tt.f(&p)
			if _, err := (events.Encoder{}).Progress(p, ""); err == nil {
				t.Errorf("Progress accepted %+v", p)
			}
		})
	}

	inputs := []struct {
		name string
		meta events.Meta
		data events.TerminationData
	}{
		{"no id", events.Meta{Source: source}, events.TerminationData{UserID: userID}},
		{"wrong type", events.Meta{ID: "x", Type: events.TypeCancelled}, events.TerminationData{UserID: userID}},
		{"non-JSON content type", events.Meta{ID: "x", DataContentType: "text/plain"}, events.TerminationData{UserID: userID}},
		{"no user", events.Meta{ID: "x"}, events.TerminationData{EmployeeID: "E-1"}},
		{"bad GUID", events.Meta{ID: "x"}, events.TerminationData{UserID: "jane"}},
		{"long reason", events.Meta{ID: "x"}, events.TerminationData{UserID: userID, Reason: strings.Repeat("x", 1001)}},
		{"control character in subject", events.Meta{ID: "x", Subject: "a\x00b"}, events.TerminationData{UserID: userID}},
	}
	for _, tt := range inputs {
		t.Run("termination/"+tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := (events.Encoder{}).Termination(tt.meta, tt.data, events.Structured); err == nil {
				t.Errorf("Termination accepted it")
			}
		})
	}
	t.Run("cancellation/no termination id", func(t *testing.T) {
		t.Parallel()
		if _, err := (events.Encoder{}).Cancellation(events.Meta{ID: "x"}, events.CancellationData{}, events.Binary); err == nil {
			t.Errorf("Cancellation accepted it")
		}
	})
}

// TestInputRoundTrip checks that input events built by the encoder come back from the decoder
// with the same Meta and data, in both modes.
func TestInputRoundTrip(t *testing.T) {
	t.Parallel()
	d := newDecoder(t)
	full := wantTermination(events.Structured)
	tests := []struct {
		name string
		meta events.Meta
		term *events.TerminationData
		canc *events.CancellationData
	}{
		{"full termination", full.Meta, full.Termination, nil},
		{"minimal termination", events.Meta{ID: "t-1", Source: "/cli"}, &events.TerminationData{Email: "a@example.com"}, nil},
		{"awkward attribute values", events.Meta{
			ID: `id "with" spaces % and \u00e9`, Source: "urn:hris:feed", Subject: "Jos\u00e9 \U0001F600",
			DataContentType: "application/json; charset=utf-8", TraceParent: traceID, TraceState: "a=b, c=d",
		}, &events.TerminationData{UserID: userID}, nil},
		{"cancellation", events.Meta{ID: "c-1", Source: source, Time: started}, nil, &events.CancellationData{TerminationID: eventID, TerminationSource: "/other", Reason: "oops"}},
	}
	for _, tt := range tests {
		for _, mode := range bothModes {
			t.Run(tt.name+"/"+mode.String(), func(t *testing.T) {
				t.Parallel()
				var msg *nats.Msg
				var err error
				wantType := events.TypeTerminated
				if tt.canc != nil {
					wantType = events.TypeCancelled
					msg, err = events.Encoder{}.Cancellation(tt.meta, *tt.canc, mode)
				} else {
					msg, err = events.Encoder{}.Termination(tt.meta, *tt.term, mode)
				}
				if err != nil {
					t.Fatalf("encode: %v", err)
				}
				if msg.Subject != wantType {
					t.Errorf("Subject = %q, want %q", msg.Subject, wantType)
				}
				if got := msg.Header.Get("Nats-Msg-Id"); got != tt.meta.ID {
					t.Errorf("Nats-Msg-Id = %q, want %q", got, tt.meta.ID)
				}
				got, err := d.Decode(msg.Header, msg.Data)
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				want := events.Inbound{Meta: tt.meta, Termination: tt.term, Cancellation: tt.canc}
				want.Type, want.Mode = wantType, mode
				if want.DataContentType == "" {
					want.DataContentType = "application/json"
				}
				if diff := cmp.Diff(&want, got); diff != "" {
					t.Errorf("round trip (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestResultID(t *testing.T) {
	t.Parallel()
	a := events.ResultID(source, eventID)
	if a != events.ResultID(source, eventID) {
		t.Errorf("ResultID is not deterministic")
	}
	// A fixed value: changing it would defeat de-duplication across versions.
	if want := "52500161-16eb-50c5-9f4d-228efa742c86"; a != want {
		t.Errorf("ResultID(%q, %q) = %s, want %s", source, eventID, a, want)
	}
	distinct := []string{
		a,
		events.ResultID(source, eventID+"x"),
		events.ResultID(source+"x", eventID),
		events.ResultID("ab", "c"),
		events.ResultID("a", "bc"),
		events.ProgressID(source, eventID, "reassign", events.StepRunning, 1),
		events.ProgressID(source, eventID, "reassign", events.StepRunning, 2),
		events.ProgressID(source, eventID, "reassign", events.StepDone, 1),
		events.ProgressID(source, eventID, "archive", events.StepRunning, 1),
	}
	seen := map[string]bool{}
	for _, id := range distinct {
		if seen[id] {
			t.Errorf("id %s derived twice", id)
		}
		seen[id] = true
	}
}

// render prints a message for a golden file: subject, headers in order, and the body as
// indented JSON.
func render(t *testing.T, msg *nats.Msg) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("subject: " + msg.Subject + "\n")
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range msg.Header {
			if !yield(k) {
				return
			}
		}
	}) {
		for _, v := range msg.Header[k] {
			b.WriteString("header: " + k + ": " + v + "\n")
		}
	}
	b.WriteString("\n")
	if err := json.Indent(&b, msg.Data, "", "  "); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, msg.Data)
	}
	b.WriteString("\n")
	return b.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/events -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

func TestDecodeResultRefuses(t *testing.T) {
	t.Parallel()
	completed, err := events.Encoder{}.Result(sampleResult(events.StatusCompleted), "")
	if err != nil {
		t.Fatal(err)
	}
	progress, err := events.Encoder{Mode: events.Binary}.Progress(sampleProgress(), "")
	if err != nil {
		t.Fatal(err)
	}
	swapped := strings.Replace(string(completed.Data), `"type":"offboarding.completed"`, `"type":"offboarding.failed"`, 1)
	tests := []struct {
		name      string
		decode    func() error
		wantField string
	}{
		{"progress as result", func() error { _, _, err := events.DecodeResult(progress.Header, progress.Data); return err }, "type"},
		{"result as progress", func() error { _, _, err := events.DecodeProgress(completed.Header, completed.Data); return err }, "type"},
		{"input as result", func() error {
			msg, err := events.Encoder{}.Termination(events.Meta{ID: "x"}, events.TerminationData{UserID: userID}, events.Structured)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = events.DecodeResult(msg.Header, msg.Data)
			return err
		}, "type"},
		{"status does not fit type", func() error { _, _, err := events.DecodeResult(completed.Header, []byte(swapped)); return err }, "data.status"},
		{"data of the wrong shape", func() error {
			body := strings.Replace(string(completed.Data), `"steps":[`, `"steps":{"x":[`, 1)
			body = strings.Replace(body, `],"report"`, `]},"report"`, 1)
			_, _, err := events.DecodeResult(completed.Header, []byte(body))
			return err
		}, "data.steps"},
		{"not an event", func() error { _, _, err := events.DecodeResult(nil, []byte(`[]`)); return err }, "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.decode()
			var de *events.DecodeError
			if !errors.As(err, &de) || !errors.Is(err, events.ErrMalformed) {
				t.Fatalf("error = %v, want a *DecodeError", err)
			}
			if de.Field != tt.wantField {
				t.Errorf("Field = %q, want %q (%v)", de.Field, tt.wantField, err)
			}
		})
	}
}

func TestModeText(t *testing.T) {
	t.Parallel()
	for _, m := range bothModes {
		b, err := m.MarshalText()
		if err != nil {
			t.Fatalf("MarshalText(%v): %v", m, err)
		}
		var got events.Mode
		if err := got.UnmarshalText(b); err != nil || got != m {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v", b, got, err, m)
		}
	}
	if m, err := events.ParseMode("binary"); err != nil || m != events.Binary {
		t.Errorf("ParseMode(binary) = %v, %v", m, err)
	}
	for _, s := range []string{"", "Binary", "batch"} {
		if _, err := events.ParseMode(s); err == nil {
			t.Errorf("ParseMode(%q) accepted it", s)
		}
	}
	if _, err := events.Mode(5).MarshalText(); err == nil {
		t.Errorf("MarshalText(Mode(5)) accepted it")
	}
	if got := events.Mode(5).String(); got != "Mode(5)" {
		t.Errorf("String() = %q", got)
	}
}
