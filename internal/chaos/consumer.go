package chaos

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// ConsumerConfig is what a consumer process is started with. It becomes the
// process's environment (the variables of internal/config).
type ConsumerConfig struct {
	// Binary is the consumer program.
	Binary string
	// Name identifies the process in log file names.
	Name string
	// LogDir receives a JSON log file per run.
	LogDir string

	NATSURL        string
	DocSpaceURL    string
	APIKey         string
	ArchiveOwnerID string
	HRGroupID      string
	// Replicas of the streams and bucket the consumer creates (1 or 3).
	Replicas int
	// Env adds variables or overrides the defaults of DefaultConsumerEnv.
	Env map[string]string
}

// DefaultConsumerEnv is the tuning every chaos consumer starts with: short
// retry delays, ack wait and lease, so that recovery takes seconds; a retry
// budget no fault in the suite can spend; debug logs in JSON, kept per run.
func DefaultConsumerEnv() map[string]string {
	return map[string]string{
		"OFFBOARDING_RETRY_BASE_DELAY": "200ms",
		"OFFBOARDING_RETRY_MAX_DELAY":  "2s",
		"OFFBOARDING_ACK_WAIT":         "3s",
		"OFFBOARDING_LEASE_TTL":        "3s",
		"OFFBOARDING_MAX_ATTEMPTS":     "1000",
		"OFFBOARDING_SHUTDOWN_TIMEOUT": "5s",
		"OFFBOARDING_JOB_TIMEOUT":      "2m",
		// Three client timeouts: the latency faults delay a request by at most 3 s.
		"OFFBOARDING_WRITE_SETTLE": "6s",
		"LOG_FORMAT":               "json",
		"LOG_LEVEL":                "debug",
	}
}

// environ is c as an environment.
func (c ConsumerConfig) environ() []string {
	env := DefaultConsumerEnv()
	env["NATS_URL"] = c.NATSURL
	env["DOCSPACE_API_HOST"] = c.DocSpaceURL
	env["DOCSPACE_API_KEY"] = c.APIKey
	env["OFFBOARDING_ARCHIVE_OWNER_ID"] = c.ArchiveOwnerID
	env["OFFBOARDING_HR_GROUP_ID"] = c.HRGroupID
	env["OFFBOARDING_REPLICAS"] = strconv.Itoa(max(c.Replicas, 1))
	maps.Copy(env, c.Env)
	keys := slices.Sorted(maps.Keys(env))
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, k+"="+env[k])
	}
	return out
}

// Consumer is a consumer process.
type Consumer struct {
	proc *Process
}

// NewConsumer prepares a consumer process; Start runs it.
func NewConsumer(c ConsumerConfig) (*Consumer, error) {
	if c.Binary == "" || c.NATSURL == "" || c.DocSpaceURL == "" {
		return nil, errors.New("new consumer: binary, NATS URL and DocSpace URL are required")
	}
	name := c.Name
	if name == "" {
		name = "consumer"
	}
	proc, err := NewProcess(ProcessSpec{Name: name, Path: c.Binary, Env: c.environ(), LogDir: c.LogDir})
	if err != nil {
		return nil, fmt.Errorf("new consumer: %w", err)
	}
	return &Consumer{proc: proc}, nil
}

// Process is the consumer's process.
func (c *Consumer) Process() *Process { return c.proc }

// Name is the consumer's name.
func (c *Consumer) Name() string { return c.proc.Name() }

// Start starts the consumer without waiting for it to consume.
func (c *Consumer) Start() error { return c.proc.Start() }

// StartReady starts the consumer and waits until it logs that it consumes.
func (c *Consumer) StartReady(ctx context.Context, timeout time.Duration) error {
	if err := c.proc.Start(); err != nil {
		return err
	}
	return c.WaitReady(ctx, timeout)
}

// WaitReady waits until the current run logs "consuming".
func (c *Consumer) WaitReady(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	path := c.proc.LogPath()
	err := c.proc.waitUntil(ctx, 20*time.Millisecond, func() (bool, error) { return logHas(path, "consuming") })
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errExited):
		return fmt.Errorf("wait for %s: it exited; see %s", c.Name(), path)
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		return fmt.Errorf("wait for %s to consume: %w (see %s)", c.Name(), err, path)
	}
	return fmt.Errorf("wait for %s: %w", c.Name(), err)
}

// Kill kills the consumer with SIGKILL.
func (c *Consumer) Kill() error { return c.proc.Kill() }

// Stop stops the consumer with SIGTERM, giving in-flight work its shutdown timeout.
func (c *Consumer) Stop(ctx context.Context) error { return c.proc.Stop(ctx, 15*time.Second) }

// LogLine is one line of a consumer's JSON log.
type LogLine struct {
	Time    time.Time `json:"time"`
	Level   string    `json:"level"`
	Msg     string    `json:"msg"`
	EventID string    `json:"event_id"`
	Status  string    `json:"status"`
	Step    string    `json:"step"`
	Err     string    `json:"err"`
}

// logHas reports whether the JSON log at path has a line with message msg.
func logHas(path, msg string) (bool, error) {
	lines, err := ReadLog(path)
	if err != nil {
		return false, err
	}
	for _, l := range lines {
		if l.Msg == msg {
			return true, nil
		}
	}
	return false, nil
}

// ReadLog reads a consumer's JSON log; lines that are not JSON (a panic's
// trace, say) are skipped.
func ReadLog(path string) ([]LogLine, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read log %s: %w", filepath.Base(path), err)
	}
	var out []LogLine
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 || line[0] != '{' {
			continue
		}
		var l LogLine
		if json.Unmarshal(line, &l) == nil {
			out = append(out, l)
		}
	}
	return out, nil
}
