package docspace

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"
)

func TestAPIErrorClassification(t *testing.T) {
	t.Parallel()
	statusSentinels := []error{
		ErrValidation, ErrUnauthorized, ErrPaymentRequired, ErrForbidden, ErrNotFound, ErrTimeout,
		ErrUnsupportedMediaType, ErrRateLimited, ErrServer, ErrUnexpectedResponse,
	}
	tests := []struct {
		status    int
		want      []error
		retryable bool
	}{
		{400, []error{ErrValidation}, false},
		{401, []error{ErrUnauthorized}, false},
		{402, []error{ErrPaymentRequired}, false},
		{403, []error{ErrForbidden}, false},
		{404, []error{ErrNotFound}, false},
		{408, []error{ErrTimeout}, true},
		{409, nil, false},
		{415, []error{ErrUnsupportedMediaType}, false},
		{422, nil, false},
		{429, []error{ErrRateLimited}, true},
		{500, []error{ErrServer}, true},
		{502, []error{ErrServer}, true},
		{503, []error{ErrServer}, true},
		{504, []error{ErrServer, ErrTimeout}, true},
		{302, []error{ErrUnexpectedResponse}, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			t.Parallel()
			err := error(&APIError{Op: "getFolderInfo", Method: "GET", Path: "/api/2.0/files/folder/1", Status: tt.status})
			wrapped := fmt.Errorf("move workspace: %w", err)
			for _, s := range statusSentinels {
				want := false
				for _, w := range tt.want {
					want = want || s == w
				}
				if got := errors.Is(wrapped, s); got != want {
					t.Errorf("errors.Is(%d, %v) = %v, want %v", tt.status, s, got, want)
				}
			}
			if got := IsRetryable(wrapped); got != tt.retryable {
				t.Errorf("IsRetryable(%d) = %v, want %v", tt.status, got, tt.retryable)
			}
		})
	}
}

func TestAPIErrorKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		err     *APIError
		is      error
		notIs   []error
		retries bool
	}{
		{"form role blocking with 200", &APIError{Status: 200, kind: ErrFormRoleBlocking}, ErrFormRoleBlocking, []error{ErrUnexpectedResponse, ErrServer}, false},
		{"bad envelope with 200", &APIError{Status: 200, kind: ErrUnexpectedResponse}, ErrUnexpectedResponse, []error{ErrServer}, false},
		{"no record", &APIError{Status: 200, kind: ErrNoRecord}, ErrNoRecord, []error{ErrUnexpectedResponse, ErrNotFound}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !errors.Is(tt.err, tt.is) {
				t.Errorf("errors.Is(%v) = false", tt.is)
			}
			for _, n := range tt.notIs {
				if errors.Is(tt.err, n) {
					t.Errorf("errors.Is(%v) = true, want false", n)
				}
			}
			if got := IsRetryable(tt.err); got != tt.retries {
				t.Errorf("IsRetryable = %v, want %v", got, tt.retries)
			}
		})
	}
}

func TestAPIErrorText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  *APIError
		want string
	}{
		{
			name: "message",
			err:  &APIError{Op: "getFolderInfo", Method: "GET", Path: "/api/2.0/files/folder/7", Status: 404, Message: "The required folder was not found"},
			want: "docspace getFolderInfo: GET /api/2.0/files/folder/7: 404 Not Found: The required folder was not found",
		},
		{
			name: "validation fields sorted",
			err: &APIError{Op: "getAuditEventsByFilter", Method: "GET", Path: "/api/2.0/security/audit/events/filter", Status: 400,
				Message: "One or more validation errors occurred.", Validation: map[string][]string{"to": {"bad"}, "count": {"too big"}}},
			want: "docspace getAuditEventsByFilter: GET /api/2.0/security/audit/events/filter: 400 Bad Request: One or more validation errors occurred. (count: too big; to: bad)",
		},
		{
			name: "retry after",
			err:  &APIError{Op: "createFolder", Method: "POST", Path: "/api/2.0/files/folder/3", Status: 429, Message: "rate limited", RetryAfter: 3 * time.Minute},
			want: "docspace createFolder: POST /api/2.0/files/folder/3: 429 Too Many Requests: rate limited (retry after 3m0s)",
		},
		{
			name: "unknown status",
			err:  &APIError{Op: "getRoomInfo", Method: "GET", Path: "/api/2.0/files/rooms/3", Status: 599},
			want: "docspace getRoomInfo: GET /api/2.0/files/rooms/3: 599",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q\nwant      %q", got, tt.want)
			}
		})
	}
}

func TestIsRetryable(t *testing.T) {
	t.Parallel()
	transport := &transportError{op: "getSelfProfile", method: "GET", path: "/api/2.0/people/@self", err: syscall.ECONNRESET}
	timeout := &transportError{op: "getSelfProfile", method: "GET", path: "/api/2.0/people/@self", timeout: time.Second, err: context.DeadlineExceeded}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"connection reset", transport, true},
		{"attempt timeout", timeout, true},
		{"wrapped transport", fmt.Errorf("disable user: %w", transport), true},
		{"raw net error", &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}, true},
		{"context canceled", context.Canceled, false},
		{"context canceled wrapping a transport error text", fmt.Errorf("docspace x: %w", context.Canceled), false},
		{"context deadline", fmt.Errorf("step: %w", context.DeadlineExceeded), true},
		{"no record", fmt.Errorf("x: %w", ErrNoRecord), false},
		{"outcome unknown", fmt.Errorf("x: %w", ErrOutcomeUnknown), false},
		{"job failed", &JobError{ID: "j", Status: TaskFailed, Message: "no permission"}, false},
		{"operation failed", &OperationError{Operation: &FileOperation{ID: "o"}, Message: "denied"}, false},
		{"invalid argument", newArgError("createFolder", "empty title"), false},
		{"plain error", io.EOF, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := IsRetryable(tt.err); got != tt.want {
				t.Errorf("IsRetryable(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

func TestTransportErrorMatches(t *testing.T) {
	t.Parallel()
	timeout := &transportError{op: "getSelfProfile", method: "GET", path: "/p", timeout: time.Second, err: context.DeadlineExceeded}
	if !errors.Is(timeout, ErrTimeout) || !errors.Is(timeout, ErrNetwork) {
		t.Errorf("timeout: Is(ErrTimeout)=%v Is(ErrNetwork)=%v, want both", errors.Is(timeout, ErrTimeout), errors.Is(timeout, ErrNetwork))
	}
	reset := &transportError{op: "getSelfProfile", method: "GET", path: "/p", err: syscall.ECONNRESET}
	if errors.Is(reset, ErrTimeout) || !errors.Is(reset, syscall.ECONNRESET) {
		t.Errorf("reset: Is(ErrTimeout)=%v Is(ECONNRESET)=%v", errors.Is(reset, ErrTimeout), errors.Is(reset, syscall.ECONNRESET))
	}
	if got, want := timeout.Error(), "docspace getSelfProfile: GET /p: no complete response within 1s"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestJobAndOperationErrors(t *testing.T) {
	t.Parallel()
	failed := &JobError{ID: "1_x_ReassignProgressItem", Status: TaskFailed, Message: "You don't have enough permission to perform the operation"}
	canceled := &JobError{ID: "1_x_ReassignProgressItem", Status: TaskCanceled}
	tests := []struct {
		name  string
		err   error
		is    error
		isNot error
		text  string
	}{
		{"failed", failed, ErrJobFailed, ErrJobCanceled, "docspace job 1_x_ReassignProgressItem failed: You don't have enough permission to perform the operation"},
		{"canceled", canceled, ErrJobCanceled, ErrJobFailed, "docspace job 1_x_ReassignProgressItem canceled"},
		{"operation", &OperationError{Operation: &FileOperation{ID: "op1"}, Message: "Access denied"}, ErrOperationFailed, ErrJobFailed, "docspace file operation op1: Access denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !errors.Is(tt.err, tt.is) || errors.Is(tt.err, tt.isNot) {
				t.Errorf("Is(%v)=%v Is(%v)=%v", tt.is, errors.Is(tt.err, tt.is), tt.isNot, errors.Is(tt.err, tt.isNot))
			}
			if got := tt.err.Error(); got != tt.text {
				t.Errorf("Error() = %q, want %q", got, tt.text)
			}
		})
	}
}
