package consumer_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// interopFix is what makes the JavaScript interop check runnable.
const interopFix = "run npm ci --prefix interop/js (Node.js 20 or later)"

// jsResult is one line the interop script prints: a result event as the JavaScript CloudEvents SDK
// read it.
type jsResult struct {
	InputMode         string   `json:"inputMode"`
	ResultMode        string   `json:"resultMode"`
	ID                string   `json:"id"`
	Type              string   `json:"type"`
	Source            string   `json:"source"`
	Subject           string   `json:"subject"`
	Time              string   `json:"time"`
	TraceParent       string   `json:"traceparent"`
	TerminationID     string   `json:"terminationId"`
	TerminationSource string   `json:"terminationSource"`
	UserID            string   `json:"userId"`
	EmployeeID        string   `json:"employeeId"`
	Status            string   `json:"status"`
	Steps             []jsStep `json:"steps"`
	Error             *struct {
		Step      string `json:"step"`
		Code      string `json:"code"`
		Retryable bool   `json:"retryable"`
	} `json:"error"`
}

type jsStep struct {
	Name   string `json:"name"`
	Status string `json:"status"`
}

// TestJavaScriptCloudEventsSDK runs interop/js/interop.mjs against the service: the official
// JavaScript CloudEvents SDK publishes one termination in structured and one in binary mode (its
// id full of characters the NATS binding percent-encodes), and reads both results, which the
// worker writes in structured mode in one subtest and in binary mode in the other. The subtests
// share one environment, one after the other, each with its own worker and its own employees.
func TestJavaScriptCloudEventsSDK(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end-to-end: runs NATS, the simulator, a worker and Node.js")
	}
	node, script := interopScript(t)
	e := startEnv(t, withoutWorkers)

	const source = "/hris/interop-js"
	wantSteps := []jsStep{
		{Name: events.StepDisable, Status: string(events.StepDone)},
		{Name: events.StepReassign, Status: string(events.StepDone)},
		{Name: events.StepArchive, Status: string(events.StepDone)},
		{Name: events.StepAccess, Status: string(events.StepDone)},
		{Name: events.StepAudit, Status: string(events.StepDone)},
	}
	type termination struct {
		id     string
		userID string
		folder int
	}
	tests := []struct {
		name         string
		mode         events.Mode
		terminations map[string]termination // by the content mode the script sends it in
	}{
		{
			name: "structured results",
			mode: events.Structured,
			terminations: map[string]termination{
				"structured": {id: "js-structured-1", userID: janeID, folder: 1001},
				// Space, double quote and percent are percent-encoded in a header, and so is
				// every byte of "ë" (2 in UTF-8), "€" (3) and "😀" (4, a surrogate pair in
				// JavaScript).
				"binary": {id: `js-binary-1 "Zoë" 100% €😀`, userID: johnID, folder: 1002},
			},
		},
		{
			name: "binary results",
			mode: events.Binary,
			terminations: map[string]termination{
				"structured": {id: "js-structured-2", userID: mariaID, folder: 1003},
				"binary":     {id: `js-binary-2 "Zoë" 100% €😀`, userID: liamID, folder: 1004},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stop := e.startWorkerEncoding(t, events.Encoder{Mode: tc.mode})
			defer stop()

			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			s, b := tc.terminations["structured"], tc.terminations["binary"]
			cmd := exec.CommandContext(ctx, node, script,
				"--structured-id", s.id,
				"--binary-id", b.id,
				"--result-mode", tc.mode.String(),
				"--expect-status", string(events.StatusCompleted),
				"--timeout", "15",
			)
			cmd.Env = append(interopEnviron(),
				"NATS_URL="+e.nc.ConnectedUrl(),
				"INTEROP_SOURCE="+source,
				"INTEROP_STRUCTURED_USER_ID="+s.userID,
				"INTEROP_STRUCTURED_FOLDER_ID="+strconv.Itoa(s.folder),
				"INTEROP_BINARY_USER_ID="+b.userID,
				"INTEROP_BINARY_FOLDER_ID="+strconv.Itoa(b.folder),
				"OFFBOARDING_INPUT_SUBJECT="+e.topo.InputSubject,
				"OFFBOARDING_OUTPUT_STREAM="+e.topo.OutputStream,
				"OFFBOARDING_EVENT_SOURCE="+events.DefaultSource,
			)
			cmd.WaitDelay = 2 * time.Second
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if msg := strings.TrimSpace(stderr.String()); msg != "" {
				t.Logf("interop.mjs says:\n%s", msg)
			}
			if err != nil {
				t.Fatalf("node interop.mjs: %v\nstdout:\n%s", err, stdout.String())
			}

			got := map[string]jsResult{}
			sc := bufio.NewScanner(&stdout)
			for sc.Scan() {
				var r jsResult
				if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
					t.Fatalf("line %q: %v", sc.Text(), err)
				}
				if _, dup := got[r.InputMode]; dup {
					t.Fatalf("two results for the %s event", r.InputMode)
				}
				got[r.InputMode] = r
			}
			if len(got) != len(tc.terminations) {
				t.Fatalf("the script parsed results for %d events, want %d:\n%s", len(got), len(tc.terminations), stdout.String())
			}

			goResults := e.results()
			for mode, want := range tc.terminations {
				r := got[mode]
				if r.ResultMode != tc.mode.String() {
					t.Errorf("%s event: result read in %s mode, want %s", mode, r.ResultMode, tc.mode)
				}
				if r.TerminationID != want.id || r.TerminationSource != source {
					t.Errorf("%s event: result for (%q, %q), want (%q, %q)", mode, r.TerminationSource, r.TerminationID, source, want.id)
				}
				if wantID := events.ResultID(source, want.id); r.ID != wantID {
					t.Errorf("%s event: result id %q, want %q", mode, r.ID, wantID)
				}
				if r.Source != events.DefaultSource || r.Subject != want.userID || r.UserID != want.userID {
					t.Errorf("%s event: source %q, subject %q, data.userId %q; want %q, %q, %q", mode, r.Source, r.Subject, r.UserID, events.DefaultSource, want.userID, want.userID)
				}
				if r.Type != events.TypeCompleted || r.Status != string(events.StatusCompleted) || r.Error != nil {
					t.Errorf("%s event: %s, status %s, error %+v; want %s, %s", mode, r.Type, r.Status, r.Error, events.TypeCompleted, events.StatusCompleted)
				}
				if diff := cmp.Diff(r.Steps, wantSteps); diff != "" {
					t.Errorf("%s event: steps (-got +want):\n%s", mode, diff)
				}

				// The service decoded the id exactly: the result it published is keyed by it.
				rs := goResults[want.id]
				if len(rs) != 1 || string(rs[0].Status) != r.Status {
					t.Errorf("%s event: the service published %d results for id %q, want one with status %s", mode, len(rs), want.id, r.Status)
				}
				if u, ok := e.sim.User(want.userID); !ok || u.Status != docspacetest.StatusTerminated {
					t.Errorf("%s event: user %s has status %v in DocSpace, want disabled", mode, want.userID, u.Status)
				}
				if f, ok := e.sim.Entry(want.folder); !ok || f.ParentID == workspacesRoomID {
					t.Errorf("%s event: folder %d is still in the workspaces room (found %t)", mode, want.folder, ok)
				}
			}
		})
	}
}

// Two more employees of the demo company, with their workspace folders 1003 and 1004.
const (
	mariaID = "a0000000-0000-4000-8000-000000000012"
	liamID  = "a0000000-0000-4000-8000-000000000013"
)

// workspacesRoomID is the room that holds the workspace folders of the demo company.
const workspacesRoomID = 1000

// withoutWorkers starts the environment with no worker, for a test that runs its own.
func withoutWorkers(c *envConfig) { c.workers = 0 }

// startWorkerEncoding runs one worker, configured as the environment's own, that encodes its
// events with enc. The returned stop ends it and waits for it; it also runs when the test ends.
func (e *env) startWorkerEncoding(t *testing.T, enc events.Encoder) (stop func()) {
	t.Helper()
	e.cfg.encoder, e.cfg.workers = enc, 1
	e.startWorkers()
	return e.stop
}

// interopScript returns the node command and the interop script. When either cannot run, the
// test is skipped, or fails when the environment variable CI is set.
func interopScript(t *testing.T) (node, script string) {
	t.Helper()
	missing := func(why string) {
		t.Helper()
		if os.Getenv("CI") != "" {
			t.Fatalf("%s: %s", why, interopFix)
		}
		t.Skipf("%s: %s", why, interopFix)
	}
	root, err := moduleRoot()
	if err != nil {
		t.Fatalf("find the module root: %v", err)
	}
	dir := filepath.Join(root, "interop", "js")
	node, err = exec.LookPath("node")
	if err != nil {
		missing("node is not on PATH")
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		missing("node --version: " + err.Error())
	}
	version := strings.TrimSpace(string(out))
	major, _, _ := strings.Cut(strings.TrimPrefix(version, "v"), ".")
	if n, err := strconv.Atoi(major); err != nil || n < 20 {
		missing("node " + version + " is older than 20")
	}
	for _, pkg := range []string{"cloudevents", "@nats-io/jetstream", "@nats-io/transport-node"} {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", filepath.FromSlash(pkg), "package.json")); err != nil {
			missing("package " + pkg + " is not installed in interop/js/node_modules")
		}
	}
	return node, filepath.Join(dir, "interop.mjs")
}

// moduleRoot returns the directory of go.mod, searched upwards from the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// interopEnviron is the test's environment without the variables the interop script reads, so
// that only what the test sets reaches it.
func interopEnviron() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "NATS_") || strings.HasPrefix(name, "OFFBOARDING_") || strings.HasPrefix(name, "INTEROP_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}
