// Package docspace is the typed REST client for ONLYOFFICE DocSpace 3.7 used by
// the offboarding service.
//
// It owns everything between the service and DocSpace's HTTP API: bearer
// API-key authentication, DocSpace's response envelope and its error shapes,
// rate limiting shared by every goroutine of the process, retries that are
// safe for each endpoint, and the polling of DocSpace's background jobs
// (data reassignment and file operations).
//
// One *Client is meant to be shared by the whole process. Each method maps to
// one DocSpace operation (named by its OpenAPI operationId in the method's
// documentation). Failures are reported as *APIError, which matches the
// package's sentinel errors through errors.Is; IsRetryable tells callers
// whether trying again later can help.
//
// The API key given in Options is never printed: Secret and the client redact
// it in every fmt verb, in slog and in JSON.
//
// Comments cite sections (§) of the project's DocSpace API reference, which
// records how DocSpace 3.7 behaves according to its server source, where that
// differs from or adds to the official OpenAPI documents.
package docspace
