package docspace

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// envelopeMeta is what a success envelope says besides its payload.
type envelopeMeta struct {
	// present is false when the envelope has no "response" (or it is null):
	// a void action, or "no such record".
	present bool
	// count and total are the envelope's counters; total is -1 when absent.
	count, total int
}

// successEnvelope is DocSpace's success wrapper (reference §1.2) with the
// payload decoded in the same pass.
type successEnvelope[T any] struct {
	Response   *T   `json:"response"`
	Count      int  `json:"count"`
	Total      *int `json:"total"`
	Status     *int `json:"status"`
	StatusCode int  `json:"statusCode"`
}

// decodeSuccess decodes a 2xx body. It is strict about the envelope: the body
// must be a JSON object with "status":0. A payload that does not fit T is an
// error too. Unknown properties are ignored, as DocSpace ignores them.
func decodeSuccess[T any](body []byte) (*T, envelopeMeta, error) {
	var env successEnvelope[T]
	meta := envelopeMeta{total: -1}
	if !looksLikeJSONObject(body) {
		return nil, meta, errEnvelope("the body is not a JSON object")
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, meta, errEnvelope("the body does not decode: " + err.Error())
	}
	if env.Status == nil {
		return nil, meta, errEnvelope(`the envelope has no "status"`)
	}
	if *env.Status != 0 {
		return nil, meta, errEnvelope(`the envelope says "status":` + strconv.Itoa(*env.Status))
	}
	meta.present = env.Response != nil
	meta.count = env.Count
	if env.Total != nil {
		meta.total = *env.Total
	}
	return env.Response, meta, nil
}

// envelopeError is a problem with the shape of a success body.
type envelopeError struct{ msg string }

func (e *envelopeError) Error() string { return e.msg }

func errEnvelope(msg string) error { return &envelopeError{msg: truncate(msg)} }

// errorEnvelope covers both error shapes of reference §1.3: the exception
// envelope {"error":{…},"status":1} and the validation result carried in a
// success envelope {"response":{"title","errors"},"status":1,"statusCode":400}.
type errorEnvelope struct {
	Error *struct {
		Message string `json:"message"`
		Type    string `json:"type"`
	} `json:"error"`
	Response json.RawMessage `json:"response"`
	Status   *int            `json:"status"`
}

// validationProblem is the RFC 7807 object inside a validation result.
type validationProblem struct {
	Title  string              `json:"title"`
	Errors map[string][]string `json:"errors"`
}

// decodeError fills e.Message, e.Type and e.Validation from the body of a
// failed call. It never fails and never panics: bodies that are empty, HTML
// or otherwise not DocSpace's get a message describing them instead of their
// content.
func (e *APIError) decodeError(body []byte) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		e.Message = emptyBodyMessage(e.Status)
		return
	}
	var env errorEnvelope
	if !looksLikeJSONObject(trimmed) || json.Unmarshal(trimmed, &env) != nil {
		e.Message = nonJSONMessage(e.Status, body)
		return
	}
	if env.Error != nil {
		e.Message = truncate(env.Error.Message)
		e.Type = truncate(env.Error.Type)
	}
	if len(env.Response) > 0 && env.Response[0] == '{' {
		var p validationProblem
		if json.Unmarshal(env.Response, &p) == nil && (p.Title != "" || len(p.Errors) > 0) {
			if e.Message == "" {
				e.Message = truncate(p.Title)
			}
			if len(p.Errors) > 0 {
				e.Validation = make(map[string][]string, len(p.Errors))
				for field, msgs := range p.Errors {
					out := make([]string, len(msgs))
					for i, m := range msgs {
						out[i] = truncate(m)
					}
					e.Validation[truncate(field)] = out
				}
			}
		}
	}
	if e.Message == "" {
		e.Message = emptyBodyMessage(e.Status)
	}
}

// emptyBodyMessage says what an error status with no usable body means at
// DocSpace (reference §1.3, §2).
func emptyBodyMessage(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return "authentication failed: the API key is missing, unknown, expired or inactive, or its owner is not active"
	case http.StatusForbidden:
		return "access denied with an empty body: the API key lacks a scope this call needs (the offboarding key needs *:write)"
	case http.StatusPaymentRequired:
		return "payment required: the portal is unpaid or its tariff lacks this feature"
	case http.StatusNotFound:
		return "not found with an empty body: unknown route or malformed id"
	case http.StatusUnsupportedMediaType:
		return "unsupported media type"
	case http.StatusTooManyRequests:
		return "rate limited"
	}
	return "empty response body"
}

// nonJSONMessage describes a body that is not JSON (a proxy's HTML page)
// without quoting it.
func nonJSONMessage(status int, body []byte) string {
	kind := "non-JSON"
	if looksLikeHTML(body) {
		kind = "HTML"
	}
	switch status {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return kind + " response body, likely from a proxy in front of DocSpace"
	}
	return kind + " response body"
}

func looksLikeJSONObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{'
}

// looksLikeHTML reports whether a body is markup (an HTML or XML page).
func looksLikeHTML(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '<'
}
