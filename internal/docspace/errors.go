package docspace

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors. *APIError matches the status sentinels through errors.Is;
// the others are returned (wrapped) by the methods and pollers.
var (
	// ErrNotFound: HTTP 404. An empty body means an unknown route or a
	// malformed id segment.
	ErrNotFound = errors.New("docspace: not found")
	// ErrForbidden: HTTP 403. An empty body means the API key lacks a scope.
	ErrForbidden = errors.New("docspace: forbidden")
	// ErrUnauthorized: HTTP 401. The key is missing, unknown, expired or
	// inactive, or its owner is no longer Active.
	ErrUnauthorized = errors.New("docspace: unauthorized")
	// ErrRateLimited: HTTP 429, after the retries the policy allows, or at
	// once when Retry-After exceeds RetryPolicy.MaxRetryAfter.
	ErrRateLimited = errors.New("docspace: rate limited")
	// ErrValidation: HTTP 400 (argument or validation failure).
	ErrValidation = errors.New("docspace: invalid request")
	// ErrPaymentRequired: HTTP 402 (portal unpaid, quota, or a feature
	// missing from the tariff).
	ErrPaymentRequired = errors.New("docspace: payment required")
	// ErrUnsupportedMediaType: HTTP 415.
	ErrUnsupportedMediaType = errors.New("docspace: unsupported media type")
	// ErrServer: HTTP 5xx.
	ErrServer = errors.New("docspace: server error")
	// ErrTimeout: HTTP 408, or no complete response within Options.Timeout.
	ErrTimeout = errors.New("docspace: timeout")
	// ErrNetwork: the request or its response was lost in transit (connection
	// refused or reset, TLS failure, truncated body). For a write the outcome
	// is unknown: read the state back before repeating it.
	ErrNetwork = errors.New("docspace: network failure")
	// ErrUnexpectedResponse: DocSpace (or something in front of it) answered
	// with a body that is not a valid DocSpace envelope for the call, or with
	// a redirect.
	ErrUnexpectedResponse = errors.New("docspace: unexpected response")
	// ErrFormRoleBlocking: a room share request was refused with HTTP 200 and
	// error 1 (FormRoleBlockingDeletion) because a member to be removed holds
	// a form role. Nothing changed.
	ErrFormRoleBlocking = errors.New("docspace: member holds a form role")
	// ErrNoRecord: DocSpace has no record of the job or operation asked for
	// (never started, finished and expired, or already read).
	ErrNoRecord = errors.New("docspace: no such record")
	// ErrOutcomeUnknown: a job or operation vanished before its end was
	// observed. Read the state back to learn what happened.
	ErrOutcomeUnknown = errors.New("docspace: outcome unknown")
	// ErrJobFailed: a background job ended with status Failed.
	ErrJobFailed = errors.New("docspace: job failed")
	// ErrJobCanceled: a background job ended with status Canceled.
	ErrJobCanceled = errors.New("docspace: job canceled")
	// ErrOperationFailed: a file operation finished with an error text.
	ErrOperationFailed = errors.New("docspace: file operation failed")
	// ErrInvalidArgument: the call was refused before any request was sent
	// (bad Options, an empty id, a page size above 100, …).
	ErrInvalidArgument = errors.New("docspace: invalid argument")
)

// maxMessageLen caps the DocSpace message kept in an APIError.
const maxMessageLen = 300

// APIError is a failed DocSpace call: a non-2xx status, or a 2xx answer that
// is itself a failure (FormRoleBlockingDeletion, a body that is not a DocSpace
// envelope). Its Error text never contains the API key or a raw body, only
// DocSpace's short message.
type APIError struct {
	// Op is the OpenAPI operationId of the call, e.g. "updateUserStatus".
	Op     string
	Method string
	// Path is the request path without the query string.
	Path   string
	Status int
	// Message is DocSpace's error.message, the validation title, or a
	// description of an empty or non-JSON body.
	Message string
	// Type is DocSpace's exception type, e.g. "ASC.Common.Web.ItemNotFoundException".
	Type string
	// Validation holds the field errors of a 400 validation result.
	Validation map[string][]string
	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration

	// kind is a sentinel matched in addition to the status mapping.
	kind error
}

// Error describes the failed call.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("docspace ")
	b.WriteString(e.Op)
	b.WriteString(": ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.Path)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(e.Status))
	if t := http.StatusText(e.Status); t != "" {
		b.WriteByte(' ')
		b.WriteString(t)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if len(e.Validation) > 0 {
		fields := make([]string, 0, len(e.Validation))
		for f := range e.Validation {
			fields = append(fields, f)
		}
		slices.Sort(fields)
		for i, f := range fields {
			if i == 0 {
				b.WriteString(" (")
			} else {
				b.WriteString("; ")
			}
			b.WriteString(f)
			b.WriteString(": ")
			b.WriteString(strings.Join(e.Validation[f], " "))
		}
		b.WriteByte(')')
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after ")
		b.WriteString(e.RetryAfter.String())
		b.WriteByte(')')
	}
	return b.String()
}

// Is maps the status to the package's sentinels: 400 ErrValidation,
// 401 ErrUnauthorized, 402 ErrPaymentRequired, 403 ErrForbidden,
// 404 ErrNotFound, 408 ErrTimeout, 415 ErrUnsupportedMediaType,
// 429 ErrRateLimited, 5xx ErrServer (504 also ErrTimeout), and 2xx/3xx
// answers that are failures to ErrUnexpectedResponse or ErrFormRoleBlocking.
func (e *APIError) Is(target error) bool {
	if e.kind != nil && target == e.kind {
		return true
	}
	switch target {
	case ErrValidation:
		return e.Status == http.StatusBadRequest
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized
	case ErrPaymentRequired:
		return e.Status == http.StatusPaymentRequired
	case ErrForbidden:
		return e.Status == http.StatusForbidden
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrTimeout:
		return e.Status == http.StatusRequestTimeout || e.Status == http.StatusGatewayTimeout
	case ErrUnsupportedMediaType:
		return e.Status == http.StatusUnsupportedMediaType
	case ErrRateLimited:
		return e.Status == http.StatusTooManyRequests
	case ErrServer:
		return e.Status >= 500 && e.Status <= 599
	case ErrUnexpectedResponse:
		return e.kind == nil && e.Status >= 300 && e.Status <= 399
	}
	return false
}

// transportError is a call that got no complete HTTP response.
type transportError struct {
	op, method, path string
	timeout          time.Duration // > 0 when the attempt timed out
	err              error
}

func (e *transportError) Error() string {
	msg := e.err.Error()
	if e.timeout > 0 {
		msg = "no complete response within " + e.timeout.String()
	}
	return "docspace " + e.op + ": " + e.method + " " + e.path + ": " + msg
}

func (e *transportError) Unwrap() error { return e.err }

func (e *transportError) Is(target error) bool {
	return target == ErrNetwork || (target == ErrTimeout && e.timeout > 0)
}

// JobError is a reassignment job that ended Failed or Canceled. It matches
// ErrJobFailed or ErrJobCanceled.
type JobError struct {
	// ID is the job id.
	ID     string
	Status TaskStatus
	// Message is DocSpace's error text (failed jobs only).
	Message string
}

// Error describes the job's end.
func (e *JobError) Error() string {
	s := "docspace job " + e.ID + " " + strings.ToLower(e.Status.String())
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Is reports ErrJobFailed for a failed job and ErrJobCanceled for a canceled one.
func (e *JobError) Is(target error) bool {
	switch target {
	case ErrJobFailed:
		return e.Status != TaskCanceled
	case ErrJobCanceled:
		return e.Status == TaskCanceled
	}
	return false
}

// OperationError is a file operation that finished with an error text. The
// operation may have completed for some items: Operation holds its final
// state, including the entries that did move. It matches ErrOperationFailed.
type OperationError struct {
	Operation *FileOperation
	// Message is DocSpace's error text; only the last item's error survives.
	Message string
}

// Error gives the operation id and DocSpace's error text.
func (e *OperationError) Error() string {
	return "docspace file operation " + e.Operation.ID + ": " + e.Message
}

// Is reports ErrOperationFailed.
func (e *OperationError) Is(target error) bool { return target == ErrOperationFailed }

// IsRetryable reports whether trying the same call again later may succeed:
// network failures, timeouts (including an expired context deadline), 408,
// 429 and 5xx. Everything else, including context.Canceled, ErrNoRecord,
// ErrOutcomeUnknown and the job outcomes, is permanent.
func IsRetryable(err error) bool {
	switch {
	case err == nil, errors.Is(err, context.Canceled):
		return false
	case errors.Is(err, ErrNetwork), errors.Is(err, ErrTimeout), errors.Is(err, ErrRateLimited),
		errors.Is(err, ErrServer), errors.Is(err, context.DeadlineExceeded):
		return true
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// neverSent reports whether a transport failure happened before the request
// could reach the server (dialing failed), so that even a non-idempotent
// request may be sent again.
func neverSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// truncate shortens DocSpace's message to maxMessageLen bytes on a rune boundary.
func truncate(s string) string {
	s = strings.TrimSpace(s)
	if len(s) <= maxMessageLen {
		return s
	}
	cut := maxMessageLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// newArgError reports a call refused before sending.
func newArgError(op, format string, args ...any) error {
	return fmt.Errorf("docspace %s: %s: %w", op, fmt.Sprintf(format, args...), ErrInvalidArgument)
}
