package offboarding

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// Codes of a failed termination (events.Error.Code). Each names a condition an
// operator can act on; docs list them with the fix.
const (
	CodeInvalidEvent         = "invalid_event"
	CodeUserNotFound         = "user_not_found"
	CodeUserMismatch         = "user_mismatch"
	CodeProtectedUser        = "protected_user"
	CodeInsufficientRights   = "insufficient_rights"
	CodeArchiveOwnerMissing  = "archive_owner_missing"
	CodeArchiveOwnerNotFound = "archive_owner_not_found"
	CodeArchiveOwnerInvalid  = "archive_owner_invalid"
	CodeHRGroupNotFound      = "hr_group_not_found"
	CodeFolderNotFound       = "workspace_folder_not_found"
	CodeFolderNotMovable     = "workspace_folder_not_movable"
	CodeArchiveRoomNotFound  = "archive_room_not_found"
	CodeArchiveRoomInvalid   = "archive_room_invalid"
	CodeArchiveFolderInvalid = "archive_folder_invalid"
	CodeArchiveNameConflict  = "archive_name_conflict"
	CodeReassignRejected     = "reassign_rejected"
	CodeReassignFailed       = "reassign_failed"
	CodeMoveFailed           = "move_failed"
	CodeAccessRejected       = "access_rejected"
	CodeAccessMismatch       = "access_mismatch"
	CodeExportFailed         = "export_failed"
	CodeCancelled            = "cancelled"
	// Retryable conditions.
	CodeDocSpaceUnavailable = "docspace_unavailable"
	CodeRateLimited         = "docspace_rate_limited"
	CodeUnauthorized        = "docspace_unauthorized"
	CodePaymentRequired     = "docspace_payment_required"
	CodeDocSpaceRejected    = "docspace_rejected"
	CodeInterrupted         = "interrupted"
	CodeStateLost           = "state_conflict"
)

// Error is why a step, or the preflight, could not finish.
type Error struct {
	Step      string
	Code      string
	Message   string
	Retryable bool
	// RetryAfter is how long DocSpace asked to wait (a 429's Retry-After).
	RetryAfter time.Duration
	Err        error
}

// Error implements error.
func (e *Error) Error() string {
	if e.Step == "" {
		return e.Message
	}
	return e.Step + ": " + e.Message
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Event is the error as a result event carries it.
func (e *Error) Event() *events.Error {
	return &events.Error{Step: e.Step, Code: e.Code, Message: e.Message, Retryable: e.Retryable}
}

// permanent is a failure that trying again cannot mend.
func permanent(step, code, format string, args ...any) *Error {
	return &Error{Step: step, Code: code, Message: fmt.Sprintf(format, args...)}
}

// AsError returns err as an *Error, classifying errors that are not one yet
// (DocSpace errors, context errors) by what they say about trying again.
func AsError(step string, err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return classify(step, "", err)
}

// classify names a DocSpace (or context) error met while doing what.
func classify(step, what string, err error) *Error {
	msg := err.Error()
	if what != "" {
		msg = what + ": " + msg
	}
	e := &Error{Step: step, Message: msg, Err: err}
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		e.Code, e.Retryable = CodeInterrupted, true
	case errors.Is(err, docspace.ErrRateLimited):
		e.Code, e.Retryable = CodeRateLimited, true
		var apiErr *docspace.APIError
		if errors.As(err, &apiErr) {
			e.RetryAfter = apiErr.RetryAfter
		}
	case errors.Is(err, docspace.ErrUnexpectedResponse):
		// A 2xx that is not DocSpace's envelope: a proxy or maintenance page.
		e.Code, e.Retryable = CodeDocSpaceUnavailable, true
	case errors.Is(err, docspace.ErrUnauthorized):
		// The key was revoked or expired, or its account disabled: an operator
		// must act, and the termination waits for them rather than failing.
		e.Code, e.Retryable = CodeUnauthorized, true
		e.Message = msg + " (check DOCSPACE_API_KEY: the key must be valid and its account Active)"
	case errors.Is(err, docspace.ErrPaymentRequired):
		e.Code, e.Retryable = CodePaymentRequired, true
	case docspace.IsRetryable(err):
		e.Code, e.Retryable = CodeDocSpaceUnavailable, true
	default:
		e.Code = CodeDocSpaceRejected
	}
	return e
}
