package publisher_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/natstest"
	"github.com/docspace-offboarding/docspace-offboarding/internal/publisher"
)

func fullData() events.TerminationData {
	due := time.Date(2026, 3, 31, 17, 0, 0, 0, time.UTC)
	return events.TerminationData{
		UserID: userID, EmployeeID: "E-1010", WorkspaceFolderID: 539564, ArchiveRoomID: 77,
		ArchiveOwnerID: ownerID, HRGroupID: groupID, EffectiveAt: &due, DryRun: true,
		Reason: "Last working day: José García",
	}
}

func TestTerminateRoundTripsThroughTheDecoder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dec, err := events.NewDecoder()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name     string
		options  publisher.Options
		t        publisher.Termination
		wantMode events.Mode
		wantSrc  string
	}{
		{
			name:     "structured by default",
			t:        publisher.Termination{ID: "t-structured", Data: fullData()},
			wantMode: events.Structured,
			wantSrc:  publisher.DefaultSource,
		},
		{
			name:     "binary by termination",
			t:        publisher.Termination{ID: "t-binary", Source: "/hris/workday", Data: fullData(), Mode: events.Binary},
			wantMode: events.Binary,
			wantSrc:  "/hris/workday",
		},
		{
			name:     "binary by options",
			options:  publisher.Options{Mode: events.Binary, Source: "/hris/sap"},
			t:        publisher.Termination{ID: "t-binary-options", Data: events.TerminationData{Email: "jane.roe@acme.example"}},
			wantMode: events.Binary,
			wantSrc:  "/hris/sap",
		},
		{
			name:     "id trimmed as the service reads it",
			t:        publisher.Termination{ID: "  t-padded ", Data: events.TerminationData{UserID: userID}},
			wantMode: events.Structured,
			wantSrc:  publisher.DefaultSource,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := tt.options
			o.Now = func() time.Time { return now }
			p := e.publisher(t, o, false)
			pub, err := p.Terminate(t.Context(), tt.t)
			if err != nil {
				t.Fatalf("Terminate: %v", err)
			}
			wantID := strings.TrimSpace(tt.t.ID)
			if pub.ID != wantID || pub.Source != tt.wantSrc || pub.Stream != inputStream || pub.Duplicate || pub.Sequence == 0 || !pub.At.Equal(now) {
				t.Errorf("Published = %+v; want id %q, source %q, a new message in %s at %v", pub, wantID, tt.wantSrc, inputStream, now)
			}
			m := e.stored(t, inputStream, pub.Sequence)
			if m.Subject != events.TypeTerminated {
				t.Errorf("subject = %q, want %q", m.Subject, events.TypeTerminated)
			}
			if got, want := m.Header.Get(nats.MsgIdHdr), publisher.MsgID(events.TypeTerminated, tt.wantSrc, wantID); got != want {
				t.Errorf("Nats-Msg-Id = %q, want %q", got, want)
			}
			in, err := dec.Decode(m.Header, m.Data)
			if err != nil {
				t.Fatalf("the consumer's decoder refuses the stored event: %v", err)
			}
			if in.Mode != tt.wantMode || in.Type != events.TypeTerminated || in.ID != wantID || in.Source != tt.wantSrc || !in.Time.Equal(now) {
				t.Errorf("decoded meta = %+v", in.Meta)
			}
			if diff := cmp.Diff(in.Termination, &tt.t.Data); diff != "" {
				t.Errorf("decoded data (-got +want):\n%s", diff)
			}
		})
	}
}

func TestTerminateGeneratesAnID(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.publisher(t, publisher.Options{}, false)
	a, err := p.Terminate(t.Context(), publisher.Termination{Data: events.TerminationData{UserID: userID}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Terminate(t.Context(), publisher.Termination{Data: events.TerminationData{UserID: userID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.ID) != 36 || a.ID == b.ID || a.Duplicate || b.Duplicate {
		t.Errorf("two terminations without ids got %+v and %+v; want two distinct UUIDs, both new", a, b)
	}
}

func TestTerminateTwiceIsStoredOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		mode events.Mode
	}{
		{"structured", events.Structured},
		{"binary", events.Binary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			p := e.publisher(t, publisher.Options{}, false)
			term := publisher.Termination{ID: "t-1", Data: events.TerminationData{UserID: userID}, Mode: tt.mode}
			first, err := p.Terminate(t.Context(), term)
			if err != nil {
				t.Fatal(err)
			}
			second, err := p.Terminate(t.Context(), term)
			if err != nil {
				t.Fatal(err)
			}
			if first.Duplicate || !second.Duplicate || second.Sequence != first.Sequence {
				t.Errorf("first %+v, second %+v; want the second a duplicate of the first", first, second)
			}
			if got := e.count(t, inputStream); got != 1 {
				t.Errorf("stream holds %d messages, want 1", got)
			}
		})
	}
}

func TestTerminateRefusesWhatTheServiceWould(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.publisher(t, publisher.Options{}, false)
	tests := []struct {
		name      string
		t         publisher.Termination
		wantField string
	}{
		{"no user", publisher.Termination{Data: events.TerminationData{EmployeeID: "E-1"}}, "data.userId"},
		{"user id not a guid", publisher.Termination{Data: events.TerminationData{UserID: "jane.doe"}}, "data.userId"},
		{"owner not a guid", publisher.Termination{Data: events.TerminationData{UserID: userID, ArchiveOwnerID: "42"}}, "data.archiveOwnerId"},
		{"hr group not a guid", publisher.Termination{Data: events.TerminationData{UserID: userID, HRGroupID: "hr"}}, "data.hrGroupId"},
		{"email without at", publisher.Termination{Data: events.TerminationData{Email: "jane"}}, "data.email"},
		{"negative folder", publisher.Termination{Data: events.TerminationData{UserID: userID, WorkspaceFolderID: -5}}, "data.workspaceFolderId"},
		{"reason too long", publisher.Termination{Data: events.TerminationData{UserID: userID, Reason: strings.Repeat("é", events.MaxReasonLength+1)}}, "data.reason"},
		{"event too large", publisher.Termination{Data: events.TerminationData{UserID: userID, EmployeeID: strings.Repeat("x", events.MaxEventSize)}}, "event"},
		{"reason not utf-8", publisher.Termination{Data: events.TerminationData{UserID: userID, Reason: "D\xe9part"}}, "data.reason"},
		{"id not utf-8", publisher.Termination{ID: "t-\xff", Data: events.TerminationData{UserID: userID}}, "id"},
		{"blank id", publisher.Termination{ID: " \t", Data: events.TerminationData{UserID: userID}}, "id"},
		{"control character in id", publisher.Termination{ID: "a\x01b", Data: events.TerminationData{UserID: userID}}, "id"},
		{"source not a uri reference", publisher.Termination{Source: "%zz", Data: events.TerminationData{UserID: userID}}, "source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := p.Terminate(t.Context(), tt.t)
			var ve *publisher.ValidationError
			if !isInvalid(err) || !errors.As(err, &ve) {
				t.Fatalf("Terminate error = %v; want a *ValidationError matching ErrInvalid", err)
			}
			if ve.Field != tt.wantField || ve.Reason == "" {
				t.Errorf("error names field %q (%q), want %q", ve.Field, ve.Reason, tt.wantField)
			}
		})
	}
	t.Cleanup(func() {
		if got := e.count(t, inputStream); got != 0 {
			t.Errorf("stream holds %d messages after refusals, want 0", got)
		}
	})
}

func TestTerminateWithoutStream(t *testing.T) {
	t.Parallel()
	js, _, _ := natstest.JetStream(t)
	p, err := publisher.New(js, publisher.Options{AckTimeout: time.Second, Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Terminate(t.Context(), publisher.Termination{Data: events.TerminationData{UserID: userID}})
	if !errors.Is(err, publisher.ErrNoStream) {
		t.Errorf("Terminate error = %v, want ErrNoStream", err)
	}
	_, err = p.TerminateAll(t.Context(), []publisher.Termination{{Data: events.TerminationData{UserID: userID}}}, nil)
	if !errors.Is(err, publisher.ErrNoStream) {
		t.Errorf("TerminateAll error = %v, want ErrNoStream", err)
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dec, err := events.NewDecoder()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		options    publisher.Options
		source     string
		wantSource string
		wantMode   events.Mode
	}{
		{"own source", publisher.Options{}, "", publisher.DefaultSource, events.Structured},
		{"other source, binary", publisher.Options{Mode: events.Binary}, "/hris/workday", "/hris/workday", events.Binary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := e.publisher(t, tt.options, false)
			id := "t-" + strings.ReplaceAll(tt.name, " ", "-")
			pub, err := p.Cancel(t.Context(), id, tt.source, "rehired")
			if err != nil {
				t.Fatalf("Cancel: %v", err)
			}
			if pub.ID != publisher.CancellationID(tt.wantSource, id) || pub.Source != publisher.DefaultSource || pub.Duplicate {
				t.Errorf("Published = %+v", pub)
			}
			m := e.stored(t, inputStream, pub.Sequence)
			if m.Subject != events.TypeCancelled {
				t.Errorf("subject = %q, want %q", m.Subject, events.TypeCancelled)
			}
			in, err := dec.Decode(m.Header, m.Data)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			want := &events.CancellationData{TerminationID: id, TerminationSource: tt.wantSource, Reason: "rehired"}
			if diff := cmp.Diff(in.Cancellation, want); diff != "" || in.Mode != tt.wantMode {
				t.Errorf("decoded cancellation in mode %v (-got +want):\n%s", in.Mode, diff)
			}
			again, err := p.Cancel(t.Context(), id, tt.source, "rehired")
			if err != nil {
				t.Fatal(err)
			}
			if !again.Duplicate || again.Sequence != pub.Sequence {
				t.Errorf("second cancel = %+v; want a duplicate of %d", again, pub.Sequence)
			}
		})
	}
}

func TestCancelRefusesInvalid(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.publisher(t, publisher.Options{}, false)
	tests := []struct {
		name, id, reason, wantField string
	}{
		{"no id", " ", "", "data.terminationId"},
		{"reason too long", "t-1", strings.Repeat("r", events.MaxReasonLength+1), "data.reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := p.Cancel(t.Context(), tt.id, "", tt.reason)
			var ve *publisher.ValidationError
			if !errors.As(err, &ve) || !isInvalid(err) || ve.Field != tt.wantField {
				t.Errorf("Cancel error = %v; want a validation error naming %s", err, tt.wantField)
			}
		})
	}
}

func TestTerminateAll(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.publisher(t, publisher.Options{MaxInFlight: 8}, false)
	ts := make([]publisher.Termination, 50)
	for i := range ts {
		ts[i] = publisher.Termination{ID: "batch-" + string(rune('a'+i%26)) + strings.Repeat("x", i/26), Data: events.TerminationData{UserID: userID}}
	}
	var mu sync.Mutex
	acked := map[int]bool{}
	pubs, err := p.TerminateAll(t.Context(), ts, func(i int, pub publisher.Published, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil || pub.ID != ts[i].ID || acked[i] {
			t.Errorf("onAck(%d, %+v, %v)", i, pub, err)
		}
		acked[i] = true
	})
	if err != nil {
		t.Fatalf("TerminateAll: %v", err)
	}
	if len(acked) != len(ts) || len(pubs) != len(ts) {
		t.Errorf("%d acks, %d results for %d terminations", len(acked), len(pubs), len(ts))
	}
	seqs := map[uint64]bool{}
	for i, pub := range pubs {
		if pub.ID != ts[i].ID || pub.Duplicate || seqs[pub.Sequence] {
			t.Errorf("pubs[%d] = %+v", i, pub)
		}
		seqs[pub.Sequence] = true
	}
	if got := e.count(t, inputStream); got != uint64(len(ts)) {
		t.Errorf("stream holds %d, want %d", got, len(ts))
	}

	again, err := p.TerminateAll(t.Context(), ts, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, pub := range again {
		if !pub.Duplicate || pub.Sequence != pubs[i].Sequence {
			t.Errorf("again[%d] = %+v; want a duplicate of %d", i, pub, pubs[i].Sequence)
		}
	}
	if got := e.count(t, inputStream); got != uint64(len(ts)) {
		t.Errorf("after repeating, stream holds %d, want %d", got, len(ts))
	}
}

func TestTerminateAllValidatesEverythingFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.publisher(t, publisher.Options{}, false)
	ts := []publisher.Termination{
		{ID: "ok-1", Data: events.TerminationData{UserID: userID}},
		{ID: "bad-1", Data: events.TerminationData{UserID: "nope"}},
		{ID: "ok-2", Data: events.TerminationData{UserID: userID}},
		{ID: "bad-2", Data: events.TerminationData{}},
	}
	called := false
	_, err := p.TerminateAll(t.Context(), ts, func(int, publisher.Published, error) { called = true })
	var be *publisher.BatchError
	if !errors.As(err, &be) || !isInvalid(err) {
		t.Fatalf("TerminateAll error = %v; want a *BatchError matching ErrInvalid", err)
	}
	var got []int
	for _, it := range be.Items {
		got = append(got, it.Index)
	}
	if diff := cmp.Diff(got, []int{1, 3}); diff != "" {
		t.Errorf("invalid indexes (-got +want):\n%s", diff)
	}
	if called || e.count(t, inputStream) != 0 {
		t.Errorf("something was published (onAck called: %v)", called)
	}
}

func TestTerminateAllStopsWithContext(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.publisher(t, publisher.Options{MaxInFlight: 1}, false)
	ts := make([]publisher.Termination, 20)
	for i := range ts {
		ts[i] = publisher.Termination{Data: events.TerminationData{UserID: userID}}
	}
	ctx, cancel := context.WithCancel(t.Context())
	n := 0
	pubs, err := p.TerminateAll(ctx, ts, func(i int, _ publisher.Published, _ error) {
		n++
		if n == 3 {
			cancel()
		}
	})
	var be *publisher.BatchError
	if !errors.As(err, &be) || !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v; want a *BatchError wrapping context.Canceled", err)
	}
	if n != len(ts) || len(pubs) != len(ts) {
		t.Errorf("onAck called %d times, %d results; want one per termination (%d)", n, len(pubs), len(ts))
	}
	if got := e.count(t, inputStream); got != 3 {
		t.Errorf("stream holds %d; want the 3 publishes before the cancellation", got)
	}
}

func TestNewRefusesBadOptions(t *testing.T) {
	t.Parallel()
	js, _, _ := natstest.JetStream(t)
	tests := []struct {
		name string
		js   jetstream.JetStream
		o    publisher.Options
	}{
		{"no jetstream", nil, publisher.Options{}},
		{"unknown mode", js, publisher.Options{Mode: events.Mode(7)}},
		{"bad source", js, publisher.Options{Source: "%zz"}},
		{"wildcard subject", js, publisher.Options{InputSubject: "employee.>"}},
		{"stream with space", js, publisher.Options{OutputStream: "OFF BOARDING"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := publisher.New(tt.js, tt.o); err == nil {
				t.Error("New accepted the options")
			}
		})
	}
}
