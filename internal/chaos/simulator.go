package chaos

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
)

// SimulatorOptions configure StartSimulator.
type SimulatorOptions struct {
	// Binary is the docspace-simulator program.
	Binary string
	// Dir holds the fixture file and the logs.
	Dir string
	// Fixture is the portal to load (docspacetest.Fixture as JSON).
	Fixture []byte
	// Seed makes the simulator's fault decisions and generated ids reproducible.
	Seed uint64
}

// Simulator is the DocSpace simulator running as its own process, with its
// control API (state and faults).
type Simulator struct {
	// URL is the portal's base URL (DOCSPACE_API_HOST).
	URL string
	// AdminURL is the control API's base URL.
	AdminURL string
	proc     *Process
	http     *http.Client
}

// StartSimulator writes the fixture, starts the simulator and waits until its
// control API answers.
func StartSimulator(ctx context.Context, o SimulatorOptions) (*Simulator, error) {
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("start simulator: %w", err)
	}
	fixture := filepath.Join(o.Dir, "fixture.json")
	if err := os.WriteFile(fixture, o.Fixture, 0o644); err != nil {
		return nil, fmt.Errorf("start simulator: %w", err)
	}
	ports, err := freePorts(2)
	if err != nil {
		return nil, fmt.Errorf("start simulator: %w", err)
	}
	proc, err := NewProcess(ProcessSpec{
		Name: "docspace-simulator", Path: o.Binary,
		Args: []string{"-addr", loopback(ports[0]), "-admin-addr", loopback(ports[1]),
			"-fixture", fixture, "-seed", strconv.FormatUint(o.Seed, 10),
			// Jobs shorter than DocSpace's and four at once, so a scenario's
			// terminations do not queue behind one another for minutes.
			"-reassign-duration", "500ms", "-file-operation-duration", "300ms", "-people-job-workers", "4"},
		Env: []string{}, LogDir: filepath.Join(o.Dir, "logs"),
	})
	if err != nil {
		return nil, fmt.Errorf("start simulator: %w", err)
	}
	s := &Simulator{
		URL: "http://" + loopback(ports[0]), AdminURL: "http://" + loopback(ports[1]),
		proc: proc, http: &http.Client{Timeout: 10 * time.Second},
	}
	if err := proc.Start(); err != nil {
		return nil, fmt.Errorf("start simulator: %w", err)
	}
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	var last error
	err = proc.waitUntil(wctx, 25*time.Millisecond, func() (bool, error) {
		_, last = s.State(wctx)
		return last == nil, nil
	})
	switch {
	case errors.Is(err, errExited):
		return nil, fmt.Errorf("start simulator: it exited; see %s", proc.LogPath())
	case err != nil:
		_ = proc.Kill()
		return nil, fmt.Errorf("start simulator: not answering: %w (see %s)", last, proc.LogPath())
	}
	return s, nil
}

// Process is the simulator's process.
func (s *Simulator) Process() *Process { return s.proc }

// State reads the simulator's state: users, entries, room members, and the
// number of mutating calls per DocSpace operation.
func (s *Simulator) State(ctx context.Context) (*docspacetest.AdminState, error) {
	var st docspacetest.AdminState
	if err := s.do(ctx, http.MethodGet, "/state", nil, http.StatusOK, &st); err != nil {
		return nil, fmt.Errorf("read simulator state: %w", err)
	}
	return &st, nil
}

// AddFault injects a fault and returns its id.
func (s *Simulator) AddFault(ctx context.Context, f docspacetest.AdminFault) (int, error) {
	var out struct {
		ID int `json:"id"`
	}
	if err := s.do(ctx, http.MethodPost, "/faults", f, http.StatusCreated, &out); err != nil {
		return 0, fmt.Errorf("inject %s fault: %w", f.Kind, err)
	}
	return out.ID, nil
}

// RemoveFault removes one fault.
func (s *Simulator) RemoveFault(ctx context.Context, id int) error {
	if err := s.do(ctx, http.MethodDelete, "/faults/"+strconv.Itoa(id), nil, http.StatusNoContent, nil); err != nil {
		return fmt.Errorf("remove fault %d: %w", id, err)
	}
	return nil
}

// ClearFaults removes every fault.
func (s *Simulator) ClearFaults(ctx context.Context) error {
	if err := s.do(ctx, http.MethodDelete, "/faults", nil, http.StatusNoContent, nil); err != nil {
		return fmt.Errorf("clear faults: %w", err)
	}
	return nil
}

// Stop stops the simulator.
func (s *Simulator) Stop(ctx context.Context) error {
	return s.proc.Stop(ctx, 10*time.Second)
}

// errStatus is an unexpected answer of the control API.
var errStatus = errors.New("unexpected status")

func (s *Simulator) do(ctx context.Context, method, path string, in any, want int, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.AdminURL+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return fmt.Errorf("%w %s: %s", errStatus, resp.Status, strings.TrimSpace(string(msg)))
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	return nil
}
