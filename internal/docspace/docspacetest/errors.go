package docspacetest

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
)

// exceptionKind is the .NET exception class a handler "throws"; render maps it to a status (reference §1.3).
type exceptionKind int

const (
	excItemNotFound exceptionKind = iota + 1
	excArgument
	excSecurity
	excInvalidOperation
	excAuthentication
	excPayment
	excNotSupported
	excInternal
)

// apiError is an error a handler returns; renderError turns it into DocSpace's error envelope.
type apiError struct {
	kind    exceptionKind
	message string
	// typeName is the .NET type shown in error.type.
	typeName string
}

func (e *apiError) Error() string { return e.message }

// status returns the HTTP status DocSpace's CustomExceptionHandler gives the exception.
func (e *apiError) status() int {
	switch e.kind {
	case excItemNotFound:
		return http.StatusNotFound
	case excArgument:
		return http.StatusBadRequest
	case excSecurity, excInvalidOperation:
		return http.StatusForbidden
	case excAuthentication:
		return http.StatusUnauthorized
	case excPayment:
		return http.StatusPaymentRequired
	case excNotSupported:
		return http.StatusUnsupportedMediaType
	}
	return http.StatusInternalServerError
}

// errNotFound is an ItemNotFoundException: 404 with msg.
func errNotFound(msg string) error {
	return &apiError{kind: excItemNotFound, message: msg, typeName: "ASC.Common.Web.ItemNotFoundException"}
}

// errArgument is an ArgumentException: 400 with msg.
func errArgument(msg string) error {
	return &apiError{kind: excArgument, message: msg, typeName: "System.ArgumentException"}
}

// errArgumentf formats an ArgumentException message.
func errArgumentf(format string, args ...any) error { return errArgument(fmt.Sprintf(format, args...)) }

// errSecurity is a SecurityException: 403 whose message DocSpace always replaces with "Access denied".
func errSecurity() error {
	return &apiError{kind: excSecurity, message: "Access denied", typeName: "System.Security.SecurityException"}
}

// errInvalidOp is an InvalidOperationException: 403 with msg (the Files module's usual permission error).
func errInvalidOp(msg string) error {
	return &apiError{kind: excInvalidOperation, message: msg, typeName: "System.InvalidOperationException"}
}

// errAuthentication is an AuthenticationException: 401 with msg; its type, stack and hresult are empty.
func errAuthentication(msg string) error {
	return &apiError{kind: excAuthentication, message: msg}
}

// errPayment is a quota or billing exception: 402 with msg.
func errPayment(msg string) error {
	return &apiError{kind: excPayment, message: msg, typeName: "ASC.Core.Tenants.TenantQuotaException"}
}

// errNotSupported is a NotSupportedException: 415 with msg.
func errNotSupported(msg string) error {
	return &apiError{kind: excNotSupported, message: msg, typeName: "System.NotSupportedException"}
}

// errInternal is any other exception: 500 with msg. typeName is the .NET class, e.g. System.Exception.
func errInternal(typeName, msg string) error {
	return &apiError{kind: excInternal, message: msg, typeName: typeName}
}

// errNullReference is the 500 DocSpace answers when it dereferences a null (reference marks these inferred).
func errNullReference() error {
	return errInternal("System.NullReferenceException", "Object reference not set to an instance of an object.")
}

// validationError is a model-binding failure: HTTP 400 inside the SUCCESS envelope with status 1 and an
// RFC 7807 problem in response (reference §1.3).
type validationError struct {
	errors map[string][]string
}

func (e *validationError) Error() string {
	keys := make([]string, 0, len(e.errors))
	for k := range e.errors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	msg := "validation failed:"
	for _, k := range keys {
		msg += fmt.Sprintf(" %s: %v;", k, e.errors[k])
	}
	return msg
}

// errValidation builds a validation failure for one field.
func errValidation(field, msg string) error {
	return &validationError{errors: map[string][]string{field: {msg}}}
}

// errBodyRequired is the validation failure for a missing required body; param is the action's parameter name.
func errBodyRequired(param string) error {
	return &validationError{errors: map[string][]string{
		"":    {"A non-empty request body is required."},
		param: {fmt.Sprintf("The %s field is required.", param)},
	}}
}

// bareStatus is a response with an empty body (401, 403 scope, 402, 404 route, 405, 415, 429).
type bareStatus struct {
	code   int
	header http.Header
}

func (e *bareStatus) Error() string { return http.StatusText(e.code) }

// errBare returns an empty-body response with the status code.
func errBare(code int) error { return &bareStatus{code: code} }

// asAPIError extracts an *apiError.
func asAPIError(err error) (*apiError, bool) {
	var ae *apiError
	ok := errors.As(err, &ae)
	return ae, ok
}
