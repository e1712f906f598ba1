package docspace

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults applied to zero-valued Options fields. The limits are DocSpace's
// own per-user limits (reference §12).
const (
	DefaultTimeout        = 15 * time.Second
	DefaultRequests       = 1500
	DefaultWindow         = 60 * time.Second
	DefaultParallelReads  = 50
	DefaultParallelWrites = 15
	DefaultMaxAttempts    = 6
	DefaultBaseDelay      = 250 * time.Millisecond
	DefaultMaxDelay       = 30 * time.Second
	DefaultMaxRetryAfter  = 2 * time.Minute
	DefaultUserAgent      = "docspace-offboarding"
)

// Options configure a Client. Zero values take the documented defaults.
type Options struct {
	// BaseURL is the portal, e.g. https://acme.onlyoffice.com (DOCSPACE_API_HOST).
	// It may carry a path prefix; /api/2.0/… is appended to it.
	BaseURL string
	// APIKey is the DocSpace API key ("sk-…"), sent as "Authorization: Bearer".
	// Wrap it with NewSecret: it is never printed, logged or marshalled.
	// The key's owner should be a permanent DocSpace admin, ideally the portal
	// owner, and the key needs the *:write scope (reference §2.2).
	APIKey Secret
	// HTTPClient sends the requests. Default: a dedicated client with dial,
	// TLS and idle timeouts that does not follow redirects. Never
	// http.DefaultClient.
	HTTPClient *http.Client
	// Timeout bounds each request attempt, response body included. Default 15s.
	Timeout time.Duration
	// Limits keep every caller of the Client under DocSpace's limits.
	Limits Limits
	// Retry says how failed calls are repeated.
	Retry RetryPolicy
	// Logger receives Debug-level HTTP detail (operation, method, path,
	// status, duration, attempt) and a Warn line per scheduled retry. It
	// never sees the key, headers, query strings or bodies. Default: discard.
	Logger *slog.Logger
	// UserAgent is sent with every request. Default "docspace-offboarding".
	UserAgent string
}

// Limits are the client-side limits shared by all goroutines using one
// Client. DocSpace counts per key owner, across all of that user's keys and
// processes; lower them when other software uses the same account.
type Limits struct {
	// Requests per Window, all methods together. Default 1500.
	Requests int
	// Window is the sliding window of Requests. Default 60s.
	Window time.Duration
	// ParallelReads caps GET requests in flight. Default 50.
	ParallelReads int
	// ParallelWrites caps non-GET requests in flight. Default 15.
	ParallelWrites int
}

// RetryPolicy says how calls are repeated. GET requests and the writes
// DocSpace treats as idempotent are retried on retryable failures; every
// call is retried on 429, which DocSpace returns before running anything.
type RetryPolicy struct {
	// MaxAttempts per call, the first included. Default 6; 1 disables retries.
	MaxAttempts int
	// BaseDelay is the first backoff step; delays double per attempt with full
	// jitter. Default 250ms.
	BaseDelay time.Duration
	// MaxDelay caps the backoff. Default 30s. A Retry-After header wins over
	// the backoff when present.
	MaxDelay time.Duration
	// MaxRetryAfter is the longest Retry-After the client waits; a longer one
	// is returned at once as an *APIError matching ErrRateLimited, with
	// RetryAfter set, for the caller to reschedule. Default 2m.
	MaxRetryAfter time.Duration
}

// settings are validated Options with defaults applied.
type settings struct {
	base      *url.URL
	key       Secret
	http      *http.Client
	timeout   time.Duration
	limits    Limits
	retry     RetryPolicy
	logger    *slog.Logger
	userAgent string
}

func (o Options) settings() (settings, error) {
	s := settings{
		timeout:   o.Timeout,
		limits:    o.Limits,
		retry:     o.Retry,
		logger:    o.Logger,
		userAgent: o.UserAgent,
	}
	base, err := parseBaseURL(o.BaseURL)
	if err != nil {
		return settings{}, err
	}
	s.base = base
	key := o.APIKey.reveal()
	switch {
	case strings.TrimSpace(key) == "":
		return settings{}, fmt.Errorf("docspace options: API key is empty: %w", ErrInvalidArgument)
	case strings.ContainsFunc(key, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return settings{}, fmt.Errorf("docspace options: API key contains spaces or control characters: %w", ErrInvalidArgument)
	}
	s.key = o.APIKey

	for _, f := range []struct {
		name     string
		negative bool
	}{
		{"Timeout", o.Timeout < 0},
		{"Limits.Requests", o.Limits.Requests < 0},
		{"Limits.Window", o.Limits.Window < 0},
		{"Limits.ParallelReads", o.Limits.ParallelReads < 0},
		{"Limits.ParallelWrites", o.Limits.ParallelWrites < 0},
		{"Retry.MaxAttempts", o.Retry.MaxAttempts < 0},
		{"Retry.BaseDelay", o.Retry.BaseDelay < 0},
		{"Retry.MaxDelay", o.Retry.MaxDelay < 0},
		{"Retry.MaxRetryAfter", o.Retry.MaxRetryAfter < 0},
	} {
		if f.negative {
			return settings{}, fmt.Errorf("docspace options: %s is negative: %w", f.name, ErrInvalidArgument)
		}
	}

	s.timeout = orDefault(s.timeout, DefaultTimeout)
	s.limits.Requests = orDefault(s.limits.Requests, DefaultRequests)
	s.limits.Window = orDefault(s.limits.Window, DefaultWindow)
	s.limits.ParallelReads = orDefault(s.limits.ParallelReads, DefaultParallelReads)
	s.limits.ParallelWrites = orDefault(s.limits.ParallelWrites, DefaultParallelWrites)
	s.retry.MaxAttempts = orDefault(s.retry.MaxAttempts, DefaultMaxAttempts)
	s.retry.BaseDelay = orDefault(s.retry.BaseDelay, DefaultBaseDelay)
	s.retry.MaxDelay = orDefault(s.retry.MaxDelay, DefaultMaxDelay)
	s.retry.MaxRetryAfter = orDefault(s.retry.MaxRetryAfter, DefaultMaxRetryAfter)
	if s.retry.MaxDelay < s.retry.BaseDelay {
		return settings{}, fmt.Errorf("docspace options: Retry.MaxDelay %s is below Retry.BaseDelay %s: %w",
			s.retry.MaxDelay, s.retry.BaseDelay, ErrInvalidArgument)
	}
	s.userAgent = orDefault(s.userAgent, DefaultUserAgent)
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	s.http = o.HTTPClient
	if s.http == nil {
		s.http = newHTTPClient(s.limits.ParallelReads + s.limits.ParallelWrites)
	}
	return s, nil
}

// parseBaseURL checks that raw is an absolute http(s) URL without
// credentials, query or fragment, and strips its trailing slash. Errors do
// not echo the URL: it could carry credentials.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case raw == "":
		return nil, fmt.Errorf("docspace options: base URL is empty: %w", ErrInvalidArgument)
	case err != nil:
		return nil, fmt.Errorf("docspace options: base URL does not parse: %w", ErrInvalidArgument)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("docspace options: base URL must be absolute http or https: %w", ErrInvalidArgument)
	case u.Host == "":
		return nil, fmt.Errorf("docspace options: base URL has no host: %w", ErrInvalidArgument)
	case u.User != nil:
		return nil, fmt.Errorf("docspace options: base URL must not carry credentials: %w", ErrInvalidArgument)
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return nil, fmt.Errorf("docspace options: base URL must not have a query or fragment: %w", ErrInvalidArgument)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u, nil
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
