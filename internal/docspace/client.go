package docspace

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxResponseBody caps the response bodies read; DocSpace pages are far smaller.
const maxResponseBody = 32 << 20

// Client calls the DocSpace REST API. It is safe for concurrent use, and one
// Client should serve the whole process: its limiter keeps all callers
// together under DocSpace's limits.
type Client struct {
	base      *url.URL
	key       Secret
	http      *http.Client
	timeout   time.Duration
	retry     RetryPolicy
	log       *slog.Logger
	userAgent string
	limiter   *limiter

	// sleep waits for d or until ctx is done; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
	// randN returns a uniform int64 in [0, n); tests replace it.
	randN func(n int64) int64
}

// New validates opts, fills in defaults and returns a Client. BaseURL must be
// an absolute http or https URL and APIKey must not be empty.
func New(opts Options) (*Client, error) {
	s, err := opts.settings()
	if err != nil {
		return nil, err
	}
	return &Client{
		base:      s.base,
		key:       s.key,
		http:      s.http,
		timeout:   s.timeout,
		retry:     s.retry,
		log:       s.logger,
		userAgent: s.userAgent,
		limiter:   newLimiter(s.limits, time.Now),
		sleep:     sleepCtx,
		randN:     rand.Int64N,
	}, nil
}

// BaseURL is the portal's base URL, without a trailing slash, for links to
// DocSpace's web UI.
func (c *Client) BaseURL() string { return strings.TrimRight(c.base.String(), "/") }

// String identifies the client by its base URL; it never shows the key.
func (c *Client) String() string { return "docspace.Client(" + c.base.String() + ")" }

// GoString is String, so that %#v does not dump the client's internals.
func (c *Client) GoString() string { return c.String() }

// CloseIdleConnections closes the idle connections of the client's HTTP
// client. Call it on shutdown.
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

// newHTTPClient is the default transport: bounded dial, TLS and idle
// timeouts, enough idle connections for the parallelism limits, and no
// redirects (a redirected PUT could turn into a GET, and an Authorization
// header must not follow a redirect).
func newHTTPClient(maxConns int) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          maxConns,
			MaxIdleConnsPerHost:   maxConns,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// request is one call to make.
type request struct {
	op opID
	// segments is the path below /api/2.0/, one element per segment; they
	// are escaped when the URL is built.
	segments    []string
	query       url.Values
	body        []byte
	contentType string
}

// response is a 2xx answer.
type response struct {
	ep     endpoint
	path   string
	status int
	body   []byte
}

// fail builds the error of an answer that is a failure despite its 2xx status.
func (r *response) fail(kind error, msg string) *APIError {
	return &APIError{Op: string(r.ep.op), Method: r.ep.method, Path: r.path, Status: r.status, Message: truncate(msg), kind: kind}
}

// callJSON makes the call and decodes the payload, which must be present.
func callJSON[T any](ctx context.Context, c *Client, r *request) (*T, error) {
	v, _, _, err := callPresent[T](ctx, c, r)
	return v, err
}

// callPresent makes the call and decodes the envelope, whose payload must be
// present: the payload is never nil when the error is.
func callPresent[T any](ctx context.Context, c *Client, r *request) (*T, envelopeMeta, *response, error) {
	v, meta, resp, err := callEnvelope[T](ctx, c, r)
	if err != nil {
		return nil, meta, resp, err
	}
	if !meta.present {
		return nil, meta, resp, resp.fail(ErrUnexpectedResponse, `the envelope has no "response"`)
	}
	return v, meta, resp, nil
}

// callEnvelope makes the call and decodes the envelope. The payload is nil
// when DocSpace sent none.
func callEnvelope[T any](ctx context.Context, c *Client, r *request) (*T, envelopeMeta, *response, error) {
	resp, err := c.exchange(ctx, r)
	if err != nil {
		return nil, envelopeMeta{}, nil, err
	}
	v, meta, err := decodeSuccess[T](resp.body)
	if err != nil {
		return nil, meta, resp, resp.fail(ErrUnexpectedResponse, err.Error())
	}
	return v, meta, resp, nil
}

// exchange sends r, retrying as the endpoint table and the policy allow, and
// returns the first 2xx answer or the last failure.
func (c *Client) exchange(ctx context.Context, r *request) (*response, error) {
	ep, ok := endpointFor(r.op)
	if !ok {
		return nil, fmt.Errorf("docspace %s: operation missing from the endpoint table: %w", r.op, ErrInvalidArgument)
	}
	u := c.endpointURL(r)
	for attempt := 1; ; attempt++ {
		resp, err := c.attempt(ctx, ep, u, r, attempt)
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, err
		}
		delay, again := c.retryDelay(ep, err, attempt)
		if !again {
			return nil, err
		}
		c.log.LogAttrs(ctx, slog.LevelWarn, "docspace request retry scheduled",
			slog.String("op", string(ep.op)), slog.Int("attempt", attempt),
			slog.Duration("delay", delay), slog.String("err", err.Error()))
		if werr := c.sleep(ctx, delay); werr != nil {
			return nil, fmt.Errorf("docspace %s: wait to retry after %v: %w", ep.op, err, werr)
		}
	}
}

// attempt sends the request once.
func (c *Client) attempt(ctx context.Context, ep endpoint, u *url.URL, r *request, attempt int) (*response, error) {
	path := u.EscapedPath()
	release, err := c.limiter.acquire(ctx, ep.method != http.MethodGet)
	if err != nil {
		return nil, fmt.Errorf("docspace %s: %s %s: wait for the rate limiter: %w", ep.op, ep.method, path, err)
	}
	defer release()

	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(actx, ep.method, u.String(), body)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // keep the query string out of the message
		}
		return nil, fmt.Errorf("docspace %s: %s %s: build request: %w", ep.op, ep.method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.key.reveal())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}

	start := time.Now()
	res, err := c.http.Do(req)
	if err != nil {
		err = c.transportFailure(ctx, actx, ep, path, err)
		c.logAttempt(ctx, ep, path, 0, time.Since(start), attempt, err)
		return nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, maxResponseBody+1))
	if err != nil {
		err = c.transportFailure(ctx, actx, ep, path, err)
		c.logAttempt(ctx, ep, path, res.StatusCode, time.Since(start), attempt, err)
		return nil, err
	}
	c.logAttempt(ctx, ep, path, res.StatusCode, time.Since(start), attempt, nil)

	resp := &response{ep: ep, path: path, status: res.StatusCode, body: data}
	if len(data) > maxResponseBody {
		return nil, resp.fail(ErrUnexpectedResponse, "response body exceeds "+strconv.Itoa(maxResponseBody)+" bytes")
	}
	if res.StatusCode >= 200 && res.StatusCode <= 299 {
		return resp, nil
	}
	apiErr := resp.fail(nil, "")
	apiErr.RetryAfter = parseRetryAfter(res.Header.Get("Retry-After"), time.Now())
	if res.StatusCode >= 300 && res.StatusCode <= 399 {
		apiErr.Message = "unexpected redirect; check the base URL (scheme, host and path prefix)"
		return nil, apiErr
	}
	apiErr.decodeError(data)
	return nil, apiErr
}

// transportFailure classifies an error from sending or reading: the
// caller's context, the attempt's timeout, or the network.
func (c *Client) transportFailure(ctx, actx context.Context, ep endpoint, path string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("docspace %s: %s %s: %w", ep.op, ep.method, path, ctx.Err())
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its text would repeat the full URL, query string included
	}
	te := &transportError{op: string(ep.op), method: ep.method, path: path, err: err}
	if errors.Is(actx.Err(), context.DeadlineExceeded) {
		te.timeout = c.timeout
	}
	return te
}

func (c *Client) logAttempt(ctx context.Context, ep endpoint, path string, status int, d time.Duration, attempt int, err error) {
	if !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("op", string(ep.op)), slog.String("method", ep.method), slog.String("path", path),
		slog.Int("status", status), slog.Duration("duration", d), slog.Int("attempt", attempt),
	}
	if err != nil {
		attrs = append(attrs, slog.String("err", err.Error()))
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "docspace request", attrs...)
}

// retryDelay decides whether a failed attempt is repeated, and after how long.
func (c *Client) retryDelay(ep endpoint, err error, attempt int) (time.Duration, bool) {
	if attempt >= c.retry.MaxAttempts {
		return 0, false
	}
	var apiErr *APIError
	isAPI := errors.As(err, &apiErr)
	switch {
	case isAPI && apiErr.Status == http.StatusTooManyRequests:
		// Rejected by the limiter before the handler ran: safe for any method.
	case !IsRetryable(err):
		return 0, false
	case ep.retry == retryNever && !neverSent(err):
		return 0, false
	}
	if isAPI && apiErr.RetryAfter > 0 {
		if apiErr.RetryAfter > c.retry.MaxRetryAfter {
			return 0, false
		}
		return apiErr.RetryAfter, true
	}
	return backoff(attempt, c.retry.BaseDelay, c.retry.MaxDelay, c.randN), true
}

// backoff is the delay before attempt+1: exponential from base, capped at
// max, with full jitter (uniform in [0, cap]).
func backoff(attempt int, base, max time.Duration, randN func(int64) int64) time.Duration {
	ceiling := max
	if attempt < 63 {
		if d := base << (attempt - 1); d > 0 && d < max && d>>(attempt-1) == base {
			ceiling = d
		}
	}
	return time.Duration(randN(int64(ceiling) + 1))
}

// parseRetryAfter reads a Retry-After header: delay seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// sleepCtx waits for d, or returns ctx's error as soon as ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// endpointURL builds the request URL: base URL, its path prefix, /api/2.0, the
// escaped segments and the query.
func (c *Client) endpointURL(r *request) *url.URL {
	u := *c.base
	var b strings.Builder
	b.WriteString(c.base.EscapedPath())
	b.WriteString("/api/2.0")
	for _, s := range r.segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	u.RawPath = b.String()
	if p, err := url.PathUnescape(u.RawPath); err == nil {
		u.Path = p
	}
	u.RawQuery = r.query.Encode()
	return &u
}
