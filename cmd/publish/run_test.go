package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/sethvargo/go-envconfig"

	"github.com/docspace-offboarding/docspace-offboarding/internal/checkpoint"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/natstest"
	"github.com/docspace-offboarding/docspace-offboarding/internal/offboarding"
	"github.com/docspace-offboarding/docspace-offboarding/internal/publisher"
)

const (
	userID  = "3f2a6c1e-8b4d-4e5f-9a7b-1c2d3e4f5a6b"
	ownerID = "a0000000-0000-4000-8000-000000000001"
)

// server is a NATS server for one test, with the service's streams and bucket unless bare.
type server struct {
	url   string
	js    jetstream.JetStream
	store *checkpoint.Store
}

func startServer(t *testing.T, bare bool) *server {
	t.Helper()
	js, _, s := natstest.JetStream(t)
	srv := &server{url: s.ClientURL(), js: js}
	if bare {
		return srv
	}
	ctx := context.Background()
	for _, cfg := range []jetstream.StreamConfig{
		{Name: "EMPLOYEE", Subjects: []string{"employee.>"}, Duplicates: 2 * time.Minute},
		{Name: "OFFBOARDING", Subjects: []string{"offboarding.>"}, Duplicates: 2 * time.Minute},
	} {
		if _, err := js.CreateStream(ctx, cfg); err != nil {
			t.Fatalf("create stream: %v", err)
		}
	}
	store, err := checkpoint.Open(ctx, js, checkpoint.Options{Bucket: "offboarding_state", Create: true, Owner: "worker-test"})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	srv.store = store
	return srv
}

// messages counts the messages of the input stream.
func (s *server) messages(t *testing.T) uint64 {
	t.Helper()
	st, err := s.js.Stream(context.Background(), "EMPLOYEE")
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

// publishResult publishes a result as the service would.
func (s *server) publishResult(t *testing.T, id, source string, status events.Status) {
	t.Helper()
	msg, err := events.Encoder{}.Result(newResult(id, source, status), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.js.PublishMsg(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
}

// finish records a finished termination in the store.
func (s *server) finish(t *testing.T, id, source string, status events.Status) {
	t.Helper()
	ctx := context.Background()
	c, err := s.store.Claim(ctx, offboarding.Request{ID: id, Source: source, Data: events.TerminationData{UserID: userID}})
	if err != nil {
		t.Fatal(err)
	}
	st := &c.Record().State
	r := newResult(id, source, status)
	st.Result = &r
	if err := c.Save(ctx, st); err != nil {
		t.Fatal(err)
	}
}

func newResult(id, source string, status events.Status) events.Result {
	at := time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC)
	r := events.Result{TerminationID: id, TerminationSource: source, UserID: userID, EmployeeID: "E-1", Status: status, StartedAt: at, FinishedAt: at.Add(time.Second)}
	switch status {
	case events.StatusCompleted, events.StatusPlanned:
		r.Report = &events.Report{User: events.ReportUser{ID: userID}, Reassigned: events.Reassignment{ToUserID: ownerID, Outcome: "completed"}}
	default:
		r.Error = &events.Error{Step: events.StepReassign, Code: "docspace_unavailable", Message: "the portal answered 503", Retryable: true}
	}
	return r
}

// invocation is one run of the command.
type invocation struct {
	code           int
	stdout, stderr string
}

// call runs the command with NATS_URL set to url (when not empty) and stdin as standard input.
func call(t *testing.T, url, stdin string, args ...string) invocation {
	t.Helper()
	env := map[string]string{}
	if url != "" {
		env["NATS_URL"] = url
	}
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	code := execute(ctx, args, envconfig.MapLookuper(env), strings.NewReader(stdin), &stdout, &stderr)
	return invocation{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// records parses --json output: one object per line, each with a kind.
func records(t *testing.T, out string) []map[string]any {
	t.Helper()
	var recs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("output line %q is not JSON: %v", sc.Text(), err)
		}
		if _, ok := m["kind"].(string); !ok {
			t.Fatalf("output line %q has no kind", sc.Text())
		}
		recs = append(recs, m)
	}
	return recs
}

// kinds lists the kinds of records, in order.
func kinds(recs []map[string]any) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r["kind"].(string)
	}
	return out
}

// writeFile writes a file in the test's directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	s := startServer(t, false)
	csv := writeFile(t, "ok.csv", "userId\n"+userID+"\n")
	tests := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"no command", nil, "Usage: publish"},
		{"unknown command", []string{"fire"}, `unknown command "fire"`},
		{"unknown global flag", []string{"--nope", "watch"}, "flag provided but not defined"},
		{"unknown command flag", []string{"watch", "--nope"}, "flag provided but not defined"},
		{"terminate without user", []string{"terminate", "--employee-id", "E-1"}, "--user-id (data.userId): is required"},
		{"terminate with bad user", []string{"terminate", "--user-id", "jane"}, "--user-id (data.userId): is not a GUID"},
		{"terminate with bad owner", []string{"terminate", "--user-id", userID, "--archive-owner", "bob"}, "--archive-owner"},
		{"terminate with bad folder", []string{"terminate", "--user-id", userID, "--workspace-folder", "12a"}, "--workspace-folder"},
		{"terminate with bad time", []string{"terminate", "--user-id", userID, "--effective-at", "tomorrow"}, "--effective-at"},
		{"terminate with long reason", []string{"terminate", "--user-id", userID, "--reason", strings.Repeat("r", 1001)}, "--reason (data.reason)"},
		{"terminate with bad source", []string{"terminate", "--user-id", userID, "--source", "%zz"}, "--source"},
		{"terminate with argument", []string{"terminate", "--user-id", userID, "extra"}, "no arguments"},
		{"csv with single flags", []string{"terminate", "--csv", csv, "--user-id", userID, "--id", "x"}, "drop --id, --user-id"},
		{"csv missing", []string{"terminate", "--csv", filepath.Join(t.TempDir(), "none.csv")}, "open csv"},
		{"cancel without id", []string{"cancel"}, "one termination id"},
		{"status with two ids", []string{"status", "a", "b"}, "one termination id"},
		{"watch with both starts", []string{"watch", "--all", "--since", "1m"}, "not both"},
		{"bad timeout", []string{"--timeout", "soon", "watch"}, "invalid value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := call(t, s.url, "", tt.args...)
			if got.code != exitUsage || !strings.Contains(got.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", got.code, got.stderr, exitUsage, tt.want)
			}
		})
	}
	if n := s.messages(t); n != 0 {
		t.Errorf("%d messages published by usage errors", n)
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"help"}, "Exit codes:"},
		{[]string{"--help"}, "Commands:"},
		{[]string{"help", "terminate"}, "--workspace-folder ID"},
		{[]string{"terminate", "--help"}, "--csv FILE"},
		{[]string{"cancel", "-h"}, "--reason TEXT"},
		{[]string{"help", "watch"}, "--since DURATION"},
		{[]string{"help", "status"}, "--source SOURCE"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			got := call(t, "", "", tt.args...)
			if got.code != exitOK || !strings.Contains(got.stdout, tt.want) {
				t.Errorf("exit %d, stdout %q; want 0 and %q", got.code, got.stdout, tt.want)
			}
		})
	}
}

func TestNATSUnreachable(t *testing.T) {
	t.Parallel()
	tests := [][]string{
		{"--server", "nats://user:secret@127.0.0.1:1", "terminate", "--user-id", userID},
		{"cancel", "t-1", "--server", "nats://user:secret@127.0.0.1:1"},
		{"--server", "nats://user:secret@127.0.0.1:1", "status", "t-1"},
		{"--server", "nats://user:secret@127.0.0.1:1", "watch"},
	}
	for _, args := range tests {
		t.Run(args[2], func(t *testing.T) {
			t.Parallel()
			got := call(t, "", "", args...)
			if got.code != exitNATS {
				t.Errorf("exit %d, want %d; stderr %q", got.code, exitNATS, got.stderr)
			}
			if strings.Contains(got.stderr, "secret") {
				t.Errorf("stderr shows the password: %q", got.stderr)
			}
		})
	}
}

func TestNoStream(t *testing.T) {
	t.Parallel()
	s := startServer(t, true)
	csv := writeFile(t, "ok.csv", "userId\n"+userID+"\n")
	for _, args := range [][]string{
		{"terminate", "--user-id", userID},
		{"terminate", "--csv", csv},
		{"status", "t-1"},
	} {
		got := call(t, s.url, "", args...)
		if got.code != exitNATS {
			t.Errorf("%v: exit %d, want %d; stderr %q", args, got.code, exitNATS, got.stderr)
		}
	}
}

func TestTerminate(t *testing.T) {
	t.Parallel()
	s := startServer(t, false)
	dec, err := events.NewDecoder()
	if err != nil {
		t.Fatal(err)
	}
	got := call(t, s.url, "", "--json", "terminate", "--user-id", userID, "--employee-id", "E-1010",
		"--workspace-folder", "539564", "--archive-room", "77", "--archive-owner", ownerID, "--reason", "Last day",
		"--effective-at", "2026-03-31T17:00:00Z", "--dry-run", "--id", "t-json", "--source", "/hris/workday", "--binary")
	if got.code != exitOK {
		t.Fatalf("exit %d; stderr %q", got.code, got.stderr)
	}
	recs := records(t, got.stdout)
	if len(recs) != 1 || recs[0]["kind"] != "published" || recs[0]["event"] != events.TypeTerminated ||
		recs[0]["id"] != "t-json" || recs[0]["source"] != "/hris/workday" || recs[0]["duplicate"] != false {
		t.Fatalf("records = %v", recs)
	}
	st, err := s.js.Stream(t.Context(), "EMPLOYEE")
	if err != nil {
		t.Fatal(err)
	}
	m, err := st.GetMsg(t.Context(), uint64(recs[0]["sequence"].(float64)))
	if err != nil {
		t.Fatal(err)
	}
	in, err := dec.Decode(m.Header, m.Data)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	due := time.Date(2026, 3, 31, 17, 0, 0, 0, time.UTC)
	want := &events.TerminationData{UserID: userID, EmployeeID: "E-1010", WorkspaceFolderID: 539564, ArchiveRoomID: 77,
		ArchiveOwnerID: ownerID, Reason: "Last day", EffectiveAt: &due, DryRun: true}
	if diff := cmp.Diff(in.Termination, want); diff != "" || in.Mode != events.Binary {
		t.Errorf("published data in mode %v (-got +want):\n%s", in.Mode, diff)
	}

	again := call(t, s.url, "", "terminate", "--user-id", userID, "--employee-id", "E-1010",
		"--workspace-folder", "539564", "--archive-room", "77", "--archive-owner", ownerID, "--reason", "Last day",
		"--effective-at", "2026-03-31T17:00:00Z", "--dry-run", "--id", "t-json", "--source", "/hris/workday", "--binary")
	if again.code != exitOK || !strings.Contains(again.stdout, "already held it") {
		t.Errorf("repeat: exit %d, stdout %q", again.code, again.stdout)
	}
	if n := s.messages(t); n != 1 {
		t.Errorf("stream holds %d messages, want 1", n)
	}
}

func TestTerminateWait(t *testing.T) {
	t.Parallel()
	s := startServer(t, false)
	const src = "/hris/workday"
	// Results published just before the command: within what Wait reads of the stream.
	s.publishResult(t, "t-completed", src, events.StatusCompleted)
	s.publishResult(t, "t-failed", src, events.StatusFailed)
	// Finished long ago: only the store knows.
	s.finish(t, "t-cancelled", src, events.StatusCancelled)
	tests := []struct {
		id       string
		extra    []string
		wantCode int
		want     string
	}{
		{"t-completed", nil, exitOK, "Offboarding t-completed: COMPLETED"},
		{"t-failed", nil, exitFailed, "Offboarding t-failed: FAILED"},
		{"t-cancelled", nil, exitFailed, "Offboarding t-cancelled: CANCELLED"},
		{"t-never", []string{"--timeout", "500ms"}, exitTimeout, ""},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"terminate", "--user-id", userID, "--id", tt.id, "--source", src, "--wait"}, tt.extra...)
			got := call(t, s.url, "", args...)
			if got.code != tt.wantCode || !strings.Contains(got.stdout, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d and %q", got.code, got.stdout, got.stderr, tt.wantCode, tt.want)
			}
			js := call(t, s.url, "", append(args, "--json")...)
			recs := records(t, js.stdout)
			wantKinds := []string{"published", "result"}
			if tt.wantCode == exitTimeout {
				wantKinds = []string{"published", "error"}
			}
			if diff := cmp.Diff(kinds(recs), wantKinds); diff != "" || js.code != tt.wantCode {
				t.Errorf("--json: exit %d, kinds (-got +want):\n%s", js.code, diff)
			}
		})
	}
}

func TestTerminateWaitShowsProgress(t *testing.T) {
	t.Parallel()
	s := startServer(t, false)
	p := events.Progress{TerminationID: "t-p", TerminationSource: publisher.DefaultSource, Step: events.StepArchive,
		Status: events.StepDone, Attempt: 1, Message: "moved into Archive", Time: time.Now()}
	msg, err := events.Encoder{}.Progress(p, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.js.PublishMsg(t.Context(), msg); err != nil {
		t.Fatal(err)
	}
	s.publishResult(t, "t-p", publisher.DefaultSource, events.StatusCompleted)
	got := call(t, s.url, "", "terminate", "--user-id", userID, "--id", "t-p", "--wait", "--json")
	if diff := cmp.Diff(kinds(records(t, got.stdout)), []string{"published", "progress", "result"}); diff != "" || got.code != exitOK {
		t.Errorf("exit %d, kinds (-got +want):\n%s", got.code, diff)
	}
}

func TestTerminateCSV(t *testing.T) {
	t.Parallel()
	const header = "id,userId,employeeId,workspaceFolderId,reason\n"
	good := header + "t-1," + userID + ",E-1,1001,\"Leaver, first\"\n" + "t-2," + userID + ",E-2,,\n" + "t-3," + userID + ",E-3,1003,\n"

	t.Run("publishes every row", func(t *testing.T) {
		t.Parallel()
		s := startServer(t, false)
		path := writeFile(t, "leavers.csv", good)
		got := call(t, s.url, "", "terminate", "--csv", path, "--json", "--source", "/hris/workday")
		if got.code != exitOK {
			t.Fatalf("exit %d; stderr %q", got.code, got.stderr)
		}
		recs := records(t, got.stdout)
		if diff := cmp.Diff(kinds(recs), []string{"published", "published", "published", "summary"}); diff != "" {
			t.Errorf("kinds (-got +want):\n%s", diff)
		}
		lines := map[any]any{}
		for _, r := range recs[:3] {
			lines[r["id"]] = r["line"]
		}
		if diff := cmp.Diff(lines, map[any]any{"t-1": 2.0, "t-2": 3.0, "t-3": 4.0}); diff != "" {
			t.Errorf("lines by id (-got +want):\n%s", diff)
		}
		if sum := recs[3]; sum["published"] != 3.0 || sum["duplicates"] != 0.0 || sum["terminations"] != 3.0 {
			t.Errorf("summary = %v", sum)
		}
		if n := s.messages(t); n != 3 {
			t.Errorf("stream holds %d, want 3", n)
		}

		// Again, from standard input, for people: stored once.
		again := call(t, s.url, good, "terminate", "--csv", "-", "--source", "/hris/workday")
		if again.code != exitOK || !strings.Contains(again.stdout, "Published 3 of 3 terminations from standard input: 0 new, 3 already published.") {
			t.Errorf("repeat: exit %d, stdout %q, stderr %q", again.code, again.stdout, again.stderr)
		}
		if n := s.messages(t); n != 3 {
			t.Errorf("after the repeat the stream holds %d, want 3", n)
		}
	})

	t.Run("one bad row publishes nothing", func(t *testing.T) {
		t.Parallel()
		s := startServer(t, false)
		bad := header + "t-1," + userID + ",E-1,1001,\n" + "t-2,jane.doe,E-2,,\n" + "t-3," + userID + ",E-3,12x,\n" + "t-1," + userID + ",E-4,,\n"
		path := writeFile(t, "bad.csv", bad)
		got := call(t, s.url, "", "terminate", "--csv", path, "--json", "--wait")
		if got.code != exitUsage {
			t.Fatalf("exit %d, want %d; stderr %q", got.code, exitUsage, got.stderr)
		}
		var where []string
		for _, r := range records(t, got.stdout) {
			if r["kind"] != "invalid" {
				t.Errorf("record %v", r)
				continue
			}
			where = append(where, fmt.Sprintf("%v:%v", r["line"], r["column"]))
		}
		if diff := cmp.Diff(where, []string{"3:2", "4:4", "5:1"}); diff != "" {
			t.Errorf("problems at (-got +want):\n%s", diff)
		}
		for _, want := range []string{"line 3, column 2 (userId)", "line 4, column 4 (workspaceFolderId)", "line 5, column 1 (id): repeats the id of line 2", "nothing was published"} {
			if !strings.Contains(got.stderr, want) {
				t.Errorf("stderr %q lacks %q", got.stderr, want)
			}
		}
		if n := s.messages(t); n != 0 {
			t.Errorf("stream holds %d, want 0", n)
		}
	})

	t.Run("wait for results", func(t *testing.T) {
		t.Parallel()
		s := startServer(t, false)
		const src = "/hris/workday"
		s.publishResult(t, "t-1", src, events.StatusCompleted)
		s.publishResult(t, "t-2", src, events.StatusFailed)
		s.finish(t, "t-3", src, events.StatusCompleted)
		path := writeFile(t, "leavers.csv", good)
		got := call(t, s.url, "", "terminate", "--csv", path, "--source", src, "--wait")
		if got.code != exitFailed {
			t.Errorf("exit %d, want %d; stderr %q", got.code, exitFailed, got.stderr)
		}
		for _, want := range []string{"Results: 2 completed, 1 failed.", "line 3  t-2  E-1  reassign: docspace_unavailable: the portal answered 503"} {
			if !strings.Contains(got.stdout, want) {
				t.Errorf("stdout %q lacks %q", got.stdout, want)
			}
		}
		js := call(t, s.url, "", "terminate", "--csv", path, "--source", src, "--wait", "--json")
		recs := records(t, js.stdout)
		sum := recs[len(recs)-1]
		if js.code != exitFailed || sum["kind"] != "summary" || sum["completed"] != 2.0 || sum["failed"] != 1.0 || sum["pending"] != 0.0 || sum["duplicates"] != 3.0 {
			t.Errorf("--json: exit %d, summary %v", js.code, sum)
		}
	})

	t.Run("timeout while waiting", func(t *testing.T) {
		t.Parallel()
		s := startServer(t, false)
		s.publishResult(t, "t-1", publisher.DefaultSource, events.StatusCompleted)
		path := writeFile(t, "leavers.csv", good)
		got := call(t, s.url, "", "terminate", "--csv", path, "--wait", "--timeout", "700ms", "--json")
		recs := records(t, got.stdout)
		var sum map[string]any
		for _, r := range recs {
			if r["kind"] == "summary" {
				sum = r
			}
		}
		if got.code != exitTimeout || sum == nil || sum["completed"] != 1.0 || sum["pending"] != 2.0 || sum["timedOut"] != true {
			t.Errorf("exit %d, summary %v; stderr %q", got.code, sum, got.stderr)
		}
	})

	t.Run("dry run gives other ids", func(t *testing.T) {
		t.Parallel()
		s := startServer(t, false)
		noIDs := "userId,employeeId\n" + userID + ",E-1\n"
		path := writeFile(t, "leavers.csv", noIDs)
		dry := records(t, call(t, s.url, "", "terminate", "--csv", path, "--dry-run", "--json").stdout)
		real := records(t, call(t, s.url, "", "terminate", "--csv", path, "--json").stdout)
		if dry[0]["id"] == real[0]["id"] || real[0]["duplicate"] != false {
			t.Errorf("dry run %v and real run %v share an id", dry[0], real[0])
		}
	})
}

func TestCancelCommand(t *testing.T) {
	t.Parallel()
	s := startServer(t, false)
	dec, err := events.NewDecoder()
	if err != nil {
		t.Fatal(err)
	}
	got := call(t, s.url, "", "cancel", "t-1", "--source", "/hris/workday", "--reason", "rehired", "--json")
	if got.code != exitOK {
		t.Fatalf("exit %d; stderr %q", got.code, got.stderr)
	}
	recs := records(t, got.stdout)
	if len(recs) != 1 || recs[0]["event"] != events.TypeCancelled || recs[0]["terminationId"] != "t-1" {
		t.Fatalf("records = %v", recs)
	}
	st, err := s.js.Stream(t.Context(), "EMPLOYEE")
	if err != nil {
		t.Fatal(err)
	}
	m, err := st.GetMsg(t.Context(), uint64(recs[0]["sequence"].(float64)))
	if err != nil {
		t.Fatal(err)
	}
	in, err := dec.Decode(m.Header, m.Data)
	if err != nil {
		t.Fatal(err)
	}
	want := &events.CancellationData{TerminationID: "t-1", TerminationSource: "/hris/workday", Reason: "rehired"}
	if diff := cmp.Diff(in.Cancellation, want); diff != "" {
		t.Errorf("cancellation (-got +want):\n%s", diff)
	}
	human := call(t, s.url, "", "cancel", "t-1", "--source", "/hris/workday", "--reason", "rehired")
	if human.code != exitOK || !strings.Contains(human.stdout, "already held it") {
		t.Errorf("repeat: exit %d, stdout %q", human.code, human.stdout)
	}
}

func TestStatusCommand(t *testing.T) {
	t.Parallel()
	s := startServer(t, false)
	s.finish(t, "t-done", "/hris/workday", events.StatusFailed)
	tests := []struct {
		id, want, wantHuman string
	}{
		{"t-done", "finished", "Termination t-done from /hris/workday: FINISHED"},
		{"t-unknown", "pending", "has no record of it yet"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			got := call(t, s.url, "", "--json", "status", tt.id, "--source", "/hris/workday")
			recs := records(t, got.stdout)
			if got.code != exitOK || len(recs) != 1 {
				t.Fatalf("exit %d, records %v; stderr %q", got.code, recs, got.stderr)
			}
			st, _ := recs[0]["status"].(map[string]any)
			if st["state"] != tt.want || st["id"] != tt.id {
				t.Errorf("status = %v, want state %s", st, tt.want)
			}
			human := call(t, s.url, "", "status", tt.id, "--source", "/hris/workday")
			if human.code != exitOK || !strings.Contains(human.stdout, tt.wantHuman) {
				t.Errorf("exit %d, stdout %q; want %q", human.code, human.stdout, tt.wantHuman)
			}
		})
	}
}

func TestWatchCommand(t *testing.T) {
	t.Parallel()
	s := startServer(t, false)
	s.publishResult(t, "t-1", "/hris", events.StatusCompleted)
	s.publishResult(t, "t-2", "/hris", events.StatusFailed)
	got := call(t, s.url, "", "watch", "--all", "--timeout", "500ms", "--json")
	recs := records(t, got.stdout)
	if got.code != exitOK || len(recs) != 2 || recs[1]["kind"] != "result" {
		t.Fatalf("exit %d, records %v; stderr %q", got.code, recs, got.stderr)
	}
	human := call(t, s.url, "", "watch", "--since", "1h", "--timeout", "500ms")
	if human.code != exitOK || !strings.Contains(human.stdout, "failed     t-2") || !strings.Contains(human.stdout, "docspace_unavailable in reassign") {
		t.Errorf("exit %d, stdout %q", human.code, human.stdout)
	}
}

func TestStoreMissing(t *testing.T) {
	t.Parallel()
	s := startServer(t, true)
	ctx := context.Background()
	for _, cfg := range []jetstream.StreamConfig{
		{Name: "EMPLOYEE", Subjects: []string{"employee.>"}},
		{Name: "OFFBOARDING", Subjects: []string{"offboarding.>"}},
	} {
		if _, err := s.js.CreateStream(ctx, cfg); err != nil {
			t.Fatal(err)
		}
	}
	got := call(t, s.url, "", "status", "t-1")
	if got.code != exitNATS || !strings.Contains(got.stderr, "offboarding_state") {
		t.Errorf("status without bucket: exit %d, stderr %q", got.code, got.stderr)
	}
	s.publishResult(t, "t-1", publisher.DefaultSource, events.StatusCompleted)
	wait := call(t, s.url, "", "terminate", "--user-id", userID, "--id", "t-1", "--wait")
	if wait.code != exitOK || !strings.Contains(wait.stderr, "following the output stream only") {
		t.Errorf("wait without bucket: exit %d, stderr %q", wait.code, wait.stderr)
	}
}

func TestTerminateCSVLarge(t *testing.T) {
	t.Parallel()
	if testing.Short() || raceDetector {
		t.Skip("publishes 10 000 terminations: seconds, or half a minute under the race detector")
	}
	const rows = 10000
	s := startServer(t, false)
	var b strings.Builder
	b.WriteString("userId,employeeId,workspaceFolderId,reason\n")
	for i := range rows {
		fmt.Fprintf(&b, "%s,E-%d,%d,\"Leaver %d, last day\"\n", userID, i, 1000+i, i)
	}
	path := writeFile(t, "large.csv", b.String())
	got := call(t, s.url, "", "terminate", "--csv", path, "--json")
	recs := records(t, got.stdout)
	if got.code != exitOK || len(recs) != rows+1 {
		t.Fatalf("exit %d, %d records; stderr %q", got.code, len(recs), got.stderr)
	}
	if sum := recs[rows]; sum["published"] != float64(rows) {
		t.Errorf("summary = %v", sum)
	}
	if n := s.messages(t); n != rows {
		t.Errorf("stream holds %d, want %d", n, rows)
	}
}
