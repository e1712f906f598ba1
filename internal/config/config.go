// Package config loads the service's configuration from environment variables.
//
// It is the only package that knows the variable names (docs/CONTRACT.md §3 and
// the README); everything else receives plain values from cmd/.
package config

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/sethvargo/go-envconfig"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/logging"
)

// Config is the whole configuration of the consumer.
type Config struct {
	DocSpace    DocSpace    `env:", prefix=DOCSPACE_"`
	NATS        NATS        `env:", prefix=NATS_"`
	Offboarding Offboarding `env:", prefix=OFFBOARDING_"`
	LogLevel    slog.Level  `env:"LOG_LEVEL, default=info"`
	LogFormat   LogFormat   `env:"LOG_FORMAT, default=auto"`
}

// DocSpace configures the DocSpace portal and how hard the service may use it.
type DocSpace struct {
	// APIHost is the portal's base URL (DOCSPACE_API_HOST).
	APIHost *url.URL `env:"API_HOST, noinit"`
	// APIKey is an API key (sk-...) of a permanent DocSpace admin (DOCSPACE_API_KEY).
	APIKey Secret `env:"API_KEY"`
	// Timeout bounds one HTTP attempt.
	Timeout time.Duration `env:"TIMEOUT, default=15s"`
	// RateLimit and RateWindow bound requests per key owner; DocSpace allows
	// 1500 per 60 s, shared by every client of that user.
	RateLimit  int           `env:"RATE_LIMIT, default=1200"`
	RateWindow time.Duration `env:"RATE_WINDOW, default=60s"`
	// MaxParallelReads and MaxParallelWrites bound requests in flight; DocSpace
	// rejects more than 50 GET and 15 other requests at once per user.
	MaxParallelReads  int `env:"MAX_PARALLEL_READS, default=20"`
	MaxParallelWrites int `env:"MAX_PARALLEL_WRITES, default=5"`
}

// NATS configures the connection to NATS, or the embedded server when URL is empty.
type NATS struct {
	// URL lists server URLs, comma separated; empty starts an embedded JetStream server.
	URL string `env:"URL"`
	// Creds is a credentials file for the connection.
	Creds string `env:"CREDS"`
}

// Offboarding configures the workflow and its messaging.
type Offboarding struct {
	InputSubject  string `env:"INPUT_SUBJECT, default=employee.terminated"`
	InputStream   string `env:"INPUT_STREAM, default=EMPLOYEE"`
	OutputStream  string `env:"OUTPUT_STREAM, default=OFFBOARDING"`
	Consumer      string `env:"CONSUMER, default=offboarding"`
	ManageStreams bool   `env:"MANAGE_STREAMS, default=true"`
	// StateBucket is the key-value bucket holding per-termination checkpoints.
	StateBucket string `env:"STATE_BUCKET, default=offboarding_state"`
	// Replicas is the replica count of streams and the bucket the service creates.
	Replicas int `env:"REPLICAS, default=1"`
	// DuplicateWindow is the streams' deduplication window for Nats-Msg-Id.
	DuplicateWindow time.Duration `env:"DUPLICATE_WINDOW, default=2m"`

	ArchiveOwnerID string `env:"ARCHIVE_OWNER_ID"`
	ArchiveRoomID  int64  `env:"ARCHIVE_ROOM_ID"`
	HRGroupID      string `env:"HR_GROUP_ID"`
	// ArchiveRoomsNatively moves each per-employee room into DocSpace's Archive
	// once access is set and the report is exported.
	ArchiveRoomsNatively bool `env:"ARCHIVE_ROOMS_NATIVELY, default=false"`
	// ExportAuditCSV stores DocSpace's own audit trail report (every user's
	// actions, no filter possible) in each archive beside the JSON report.
	ExportAuditCSV bool `env:"EXPORT_AUDIT_CSV, default=true"`
	// ReactivateOnCancel re-enables a user whose termination is cancelled after
	// the account was disabled.
	ReactivateOnCancel bool `env:"REACTIVATE_ON_CANCEL, default=false"`
	// WriteSettle is how long a DocSpace write whose answer was lost may still
	// take effect; such a write is sent again only after this long.
	WriteSettle time.Duration `env:"WRITE_SETTLE, default=2m"`
	// JobTimeout bounds the wait for one DocSpace background job (reassign,
	// move, archive); a hung reassign job is terminated and started again.
	JobTimeout time.Duration `env:"JOB_TIMEOUT, default=30m"`
	// AuditWindow is how far back the report's audit trail reaches (at most 180 days).
	AuditWindow time.Duration `env:"AUDIT_WINDOW, default=720h"`

	// Concurrency is how many offboardings run at once in this process.
	Concurrency int `env:"CONCURRENCY, default=4"`
	// AckWait is how long JetStream waits for an ack or a progress heartbeat.
	AckWait time.Duration `env:"ACK_WAIT, default=60s"`
	// MaxAttempts is the retry budget: attempts of one offboarding before it
	// fails with retryable=true and its message goes to the dead letter.
	MaxAttempts int `env:"MAX_ATTEMPTS, default=20"`
	// MaxDeliver is the durable consumer's MaxDeliver; -1 leaves the budget to MaxAttempts.
	MaxDeliver int `env:"MAX_DELIVER, default=-1"`
	// RetryBaseDelay and RetryMaxDelay shape the exponential backoff between attempts.
	RetryBaseDelay time.Duration `env:"RETRY_BASE_DELAY, default=5s"`
	RetryMaxDelay  time.Duration `env:"RETRY_MAX_DELAY, default=5m"`
	// LeaseTTL is how long a worker's claim on a termination lasts without renewal.
	LeaseTTL time.Duration `env:"LEASE_TTL, default=30s"`
	// ShutdownTimeout bounds how long in-flight offboardings may finish on SIGTERM.
	ShutdownTimeout time.Duration `env:"SHUTDOWN_TIMEOUT, default=30s"`

	// EventSource is the CloudEvents source of every event the service emits.
	EventSource string `env:"EVENT_SOURCE, default=/docspace-offboarding"`
	// OutputMode is structured or binary (CloudEvents content mode of results).
	OutputMode string `env:"OUTPUT_MODE, default=structured"`

	// HealthAddr, when set, serves /healthz and /readyz there (e.g. :8080).
	HealthAddr string `env:"HEALTH_ADDR"`

	// DataDir holds the embedded NATS server's storage.
	DataDir string `env:"DATA_DIR, default=./data"`
	// NATSListen is where the embedded NATS server listens.
	NATSListen string `env:"NATS_LISTEN, default=127.0.0.1:4222"`
	// SyncAlways makes the embedded server fsync every write before acknowledging it.
	SyncAlways bool `env:"SYNC_ALWAYS, default=true"`
}

// LogFormat selects the log handler; package logging defines the formats.
type LogFormat string

// Log formats.
const (
	LogAuto LogFormat = logging.FormatAuto // text on a terminal, JSON otherwise
	LogText LogFormat = logging.FormatText
	LogJSON LogFormat = logging.FormatJSON
)

// Load reads the configuration through l (envconfig.OsLookuper() in main,
// envconfig.MapLookuper in tests). It does not validate: call Validate.
func Load(ctx context.Context, l envconfig.Lookuper) (*Config, error) {
	var c Config
	if err := envconfig.ProcessWith(ctx, &envconfig.Config{Target: &c, Lookuper: l}); err != nil {
		return nil, fmt.Errorf("read environment: %w", err)
	}
	return &c, nil
}

// Validate checks the configuration. demo relaxes the DocSpace settings, which
// the demo fills itself. Every problem is reported, one per line.
func (c *Config) Validate(demo bool) error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if !demo {
		switch {
		case c.DocSpace.APIHost == nil:
			add("DOCSPACE_API_HOST is required (the portal's base URL, e.g. https://acme.onlyoffice.com)")
		case c.DocSpace.APIHost.Scheme != "https" && c.DocSpace.APIHost.Scheme != "http" || c.DocSpace.APIHost.Host == "":
			add("DOCSPACE_API_HOST must be an absolute http(s) URL, got %q", c.DocSpace.APIHost.Redacted())
		}
		if c.DocSpace.APIKey.Value() == "" {
			add("DOCSPACE_API_KEY is required (an API key, sk-..., of a permanent DocSpace admin)")
		}
	}
	if c.DocSpace.Timeout <= 0 {
		add("DOCSPACE_TIMEOUT must be positive")
	}
	if c.DocSpace.RateLimit <= 0 || c.DocSpace.RateWindow <= 0 {
		add("DOCSPACE_RATE_LIMIT and DOCSPACE_RATE_WINDOW must be positive")
	}
	if c.DocSpace.MaxParallelReads < 1 || c.DocSpace.MaxParallelReads > 50 {
		add("DOCSPACE_MAX_PARALLEL_READS must be 1..50 (DocSpace rejects more than 50 parallel GETs per user)")
	}
	if c.DocSpace.MaxParallelWrites < 1 || c.DocSpace.MaxParallelWrites > 15 {
		add("DOCSPACE_MAX_PARALLEL_WRITES must be 1..15 (DocSpace rejects more than 15 parallel writes per user)")
	}

	o := &c.Offboarding
	if o.ArchiveOwnerID != "" && !events.IsGUID(o.ArchiveOwnerID) {
		add("OFFBOARDING_ARCHIVE_OWNER_ID must be a user GUID, got %q", o.ArchiveOwnerID)
	}
	if o.HRGroupID != "" && !events.IsGUID(o.HRGroupID) {
		add("OFFBOARDING_HR_GROUP_ID must be a group GUID, got %q", o.HRGroupID)
	}
	if o.ArchiveRoomID < 0 {
		add("OFFBOARDING_ARCHIVE_ROOM_ID must be a positive room id")
	}
	for name, v := range map[string]string{
		"OFFBOARDING_INPUT_SUBJECT": o.InputSubject, "OFFBOARDING_INPUT_STREAM": o.InputStream,
		"OFFBOARDING_OUTPUT_STREAM": o.OutputStream, "OFFBOARDING_CONSUMER": o.Consumer,
		"OFFBOARDING_STATE_BUCKET": o.StateBucket,
	} {
		if v == "" || strings.ContainsAny(v, " \t\r\n") {
			add("%s must be a non-empty name without spaces", name)
		}
	}
	if o.Concurrency < 1 || o.Concurrency > 256 {
		add("OFFBOARDING_CONCURRENCY must be 1..256")
	}
	if o.Replicas < 1 || o.Replicas > 5 {
		add("OFFBOARDING_REPLICAS must be 1..5")
	}
	if o.AckWait < time.Second {
		add("OFFBOARDING_ACK_WAIT must be at least 1s")
	}
	if o.MaxAttempts < 1 {
		add("OFFBOARDING_MAX_ATTEMPTS must be at least 1")
	}
	if o.MaxDeliver == 0 || o.MaxDeliver < -1 {
		add("OFFBOARDING_MAX_DELIVER must be -1 (unlimited) or positive")
	}
	if o.RetryBaseDelay <= 0 || o.RetryMaxDelay < o.RetryBaseDelay {
		add("OFFBOARDING_RETRY_BASE_DELAY must be positive and at most OFFBOARDING_RETRY_MAX_DELAY")
	}
	if o.LeaseTTL < time.Second {
		add("OFFBOARDING_LEASE_TTL must be at least 1s")
	}
	if o.WriteSettle < 0 {
		add("OFFBOARDING_WRITE_SETTLE must not be negative")
	}
	if o.JobTimeout < time.Second {
		add("OFFBOARDING_JOB_TIMEOUT must be at least 1s")
	}
	if o.ShutdownTimeout <= 0 {
		add("OFFBOARDING_SHUTDOWN_TIMEOUT must be positive")
	}
	if o.AuditWindow <= 0 || o.AuditWindow > 180*24*time.Hour {
		add("OFFBOARDING_AUDIT_WINDOW must be positive and at most 4320h (DocSpace keeps audit events 180 days)")
	}
	if o.OutputMode != "structured" && o.OutputMode != "binary" {
		add("OFFBOARDING_OUTPUT_MODE must be structured or binary, got %q", o.OutputMode)
	}
	if o.EventSource == "" {
		add("OFFBOARDING_EVENT_SOURCE must not be empty")
	}
	if logging.CheckFormat(string(c.LogFormat)) != nil {
		add("LOG_FORMAT must be auto, text or json, got %q", c.LogFormat)
	}
	return errors.Join(errs...)
}
