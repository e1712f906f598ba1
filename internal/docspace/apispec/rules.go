package apispec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// This file holds the rules that exceptions.go attaches to requests and
// responses; see the table there for why each exists.

// normalizeQueryNames renames query parameters to the declared spelling when
// they differ only in case or by a "[]" suffix.
func normalizeQueryNames(in *requestInput) []Violation {
	if in.req.URL.RawQuery == "" || len(in.route.queryNames) == 0 {
		return nil
	}
	q := in.req.URL.Query()
	changed := false
	for key, values := range q {
		// ASP.NET also binds an array from "name[]" keys (§8.5 folderIds[]).
		name, ok := in.route.queryNames[strings.ToLower(strings.TrimSuffix(key, "[]"))]
		if !ok || name == key {
			continue
		}
		q[name] = append(q[name], values...)
		delete(q, key)
		changed = true
	}
	if changed {
		in.req.URL.RawQuery = q.Encode()
	}
	return nil
}

// insertFileFields are the form fields DocSpace's InsertFileModelBinder
// reads, by lower-case name, with whether each is a boolean.
func insertFileFields() map[string]bool {
	return map[string]bool{"title": false, "createnewifexist": true, "keepconvertstatus": true}
}

// maxFormField bounds how much of a non-file form field is read.
const maxFormField = 64 << 10

// checkInsertFileBody checks an upload as DocSpace binds it (§10.1): a
// multipart form with a file part of any name and the bare fields title,
// createNewIfExist and keepConvertStatus; or the raw bytes with ?title=.
func checkInsertFileBody(in *requestInput) []Violation {
	mediaType, params, err := mime.ParseMediaType(in.req.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" {
		var vs []Violation
		if len(in.body) == 0 {
			vs = append(vs, Violation{Where: "body", Message: "no file: send a multipart/form-data form with a file part, or the raw bytes with ?title="})
		}
		if strings.TrimSpace(in.req.URL.Query().Get("title")) == "" {
			vs = append(vs, Violation{Where: "query title", Message: "a raw upload (not multipart/form-data) needs ?title=, DocSpace's only source of the file name"})
		}
		return vs
	}
	boundary := params["boundary"]
	if boundary == "" {
		return []Violation{{Where: "header Content-Type", Message: "multipart/form-data without a boundary"}}
	}
	var vs []Violation
	var files int
	var title string
	fields := insertFileFields()
	mr := multipart.NewReader(bytes.NewReader(in.body), boundary)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return append(vs, Violation{Where: "body", Message: "malformed multipart form: " + err.Error()})
		}
		if part.FileName() != "" {
			files++
			continue
		}
		name := part.FormName()
		value, err := io.ReadAll(io.LimitReader(part, maxFormField))
		if err != nil {
			return append(vs, Violation{Where: "body", Message: "malformed multipart form: " + err.Error()})
		}
		isBool, known := fields[strings.ToLower(name)]
		switch {
		case strings.HasPrefix(strings.ToLower(name), "insertfile."):
			vs = append(vs, Violation{Where: "body field " + name, Message: "DocSpace binds the bare field names (title, createNewIfExist, keepConvertStatus) and ignores this one, although the document uses it"})
		case !known:
			vs = append(vs, Violation{Where: "body field " + name, Message: "not a field of the upload: DocSpace ignores it"})
		case isBool:
			if _, err := strconv.ParseBool(strings.ToLower(string(value))); err != nil {
				vs = append(vs, Violation{Where: "body field " + name, Message: fmt.Sprintf("%q is not a boolean", value)})
			}
		default:
			title = string(value)
		}
	}
	if files == 0 {
		vs = append(vs, Violation{Where: "body", Message: "no file part (a part with a filename); DocSpace takes the first one whatever its name"})
	}
	if strings.TrimSpace(title) == "" {
		vs = append(vs, Violation{Where: "body field title", Message: "missing or empty: DocSpace takes the file's title from it, not from the part's filename"})
	}
	return vs
}

// checkSuccessEnvelope checks the fields the reference says every success
// body carries. A body that is not JSON is left to the document's validation,
// which reports it.
func checkSuccessEnvelope(in *responseInput) []Violation {
	if len(in.body) == 0 {
		return []Violation{{Where: "body", Message: "empty; DocSpace wraps every result in the success envelope {count, links, status, statusCode}"}}
	}
	if !isJSON(in.header) {
		return nil // the operation's content type check reports it
	}
	doc, vs := in.json()
	if doc == nil {
		return vs
	}
	vs = append(vs, visit(in.env.success, doc)...)
	vs = append(vs, checkStatusCode(doc, in.status)...)
	return append(vs, checkLinks(doc, in.req)...)
}

// checkBadRequest accepts the error envelope or the validation envelope.
func checkBadRequest(in *responseInput) []Violation {
	if len(in.body) == 0 {
		return []Violation{{Where: "body", Message: "empty; DocSpace answers 400 with the error envelope or the validation envelope"}}
	}
	doc, vs := decodeEnvelope(in)
	if doc == nil {
		return vs
	}
	if _, ok := doc.(map[string]any)["error"]; ok {
		return append(vs, checkErrorEnvelope(in, doc)...)
	}
	vs = append(vs, visit(in.env.validation, doc)...)
	return append(vs, checkLinks(doc, in.req)...)
}

// checkEmptyOrError accepts an empty body or the error envelope.
func checkEmptyOrError(in *responseInput) []Violation {
	if len(in.body) == 0 {
		return nil
	}
	doc, vs := decodeEnvelope(in)
	if doc == nil {
		return vs
	}
	return append(vs, checkErrorEnvelope(in, doc)...)
}

// checkServerError requires the error envelope.
func checkServerError(in *responseInput) []Violation {
	if len(in.body) == 0 {
		return []Violation{{Where: "body", Message: "empty; DocSpace answers an exception with the error envelope"}}
	}
	doc, vs := decodeEnvelope(in)
	if doc == nil {
		return vs
	}
	return append(vs, checkErrorEnvelope(in, doc)...)
}

// rateLimitHeaders are the headers of a rate-limiter rejection besides
// Retry-After.
func rateLimitHeaders() []string {
	return []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}
}

// checkRateLimited requires an empty body and integer headers.
func checkRateLimited(in *responseInput) []Violation {
	var vs []Violation
	if len(in.body) > 0 {
		vs = append(vs, Violation{Where: "body", Message: fmt.Sprintf("%d bytes; DocSpace's rate limiter answers 429 with an empty body", len(in.body))})
	}
	for _, name := range append([]string{"Retry-After"}, rateLimitHeaders()...) {
		value := in.header.Get(name)
		if value == "" {
			continue
		}
		if n, err := strconv.ParseInt(value, 10, 64); err != nil || n < 0 {
			vs = append(vs, Violation{Where: "header " + name, Message: fmt.Sprintf("%q is not a whole number of seconds or requests", value)})
		}
	}
	return vs
}

// checkNoRateLimitHeaders flags X-RateLimit-* outside a 429.
func checkNoRateLimitHeaders(in *responseInput) []Violation {
	if in.status == http.StatusTooManyRequests {
		return nil
	}
	var vs []Violation
	for _, name := range rateLimitHeaders() {
		if in.header.Get(name) != "" {
			vs = append(vs, Violation{Where: "header " + name, Message: fmt.Sprintf("set on a %d; DocSpace sets rate-limit headers only on 429", in.status)})
		}
	}
	return vs
}

// checkUnknownRouteResponse checks the answer to a request that matches no
// operation.
func checkUnknownRouteResponse(in *responseInput, re *RouteError) []Violation {
	var vs []Violation
	switch {
	case in.status == http.StatusTooManyRequests:
		vs = tag(checkRateLimited(in), Response, "rate-limited")
	case in.status == http.StatusBadGateway || in.status == http.StatusServiceUnavailable || in.status == http.StatusGatewayTimeout:
	case in.status == http.StatusNotFound, in.status == http.StatusMethodNotAllowed && re != nil && re.methodNotAllowed():
		if len(in.body) > 0 {
			vs = append(vs, Violation{Part: Response, Where: "body", Exception: "unknown-route",
				Message: fmt.Sprintf("%d bytes; DocSpace answers an unknown route with an empty body", len(in.body))})
		}
	default:
		vs = append(vs, Violation{Part: Response, Where: "status", Exception: "unknown-route",
			Message: fmt.Sprintf("%s for a route DocSpace does not have; it answers 404 with an empty body", statusText(in.status))})
	}
	return append(vs, tag(checkNoRateLimitHeaders(in), Response, "rate-limit-headers")...)
}

// isJSON reports whether a Content-Type is application/json, with any
// parameters.
func isJSON(h http.Header) bool {
	mediaType, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	return err == nil && mediaType == "application/json"
}

// decodeEnvelope decodes an error or validation body, which must be JSON.
func decodeEnvelope(in *responseInput) (any, []Violation) {
	if !isJSON(in.header) {
		return nil, []Violation{{Where: "header Content-Type", Message: fmt.Sprintf("%q; DocSpace sends its envelopes as application/json", in.header.Get("Content-Type"))}}
	}
	return in.json()
}

// decodeJSON decodes a JSON object.
func decodeJSON(body []byte) (any, []Violation) {
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, []Violation{{Where: "body", Message: "not JSON: " + err.Error()}}
	}
	if _, ok := doc.(map[string]any); !ok {
		return nil, []Violation{{Where: "body", Message: fmt.Sprintf("a JSON %s, not the envelope object", jsonKind(doc))}}
	}
	return doc, nil
}

// checkErrorEnvelope validates the error envelope of a response.
func checkErrorEnvelope(in *responseInput, doc any) []Violation {
	return append(visit(in.env.error, doc), checkStatusCode(doc, in.status)...)
}

// checkStatusCode requires the envelope's statusCode to be the HTTP status.
func checkStatusCode(doc any, status int) []Violation {
	code, ok := doc.(map[string]any)["statusCode"].(float64)
	if ok && int(code) != status {
		return []Violation{{Where: "body /statusCode", Message: fmt.Sprintf("%v, but the HTTP status is %d; DocSpace repeats the status here", code, status)}}
	}
	return nil
}

// checkLinks requires the first link to name the request: its method and
// its URL (compared from /api/2.0/ on, since a base path may differ).
func checkLinks(doc any, r *http.Request) []Violation {
	links, _ := doc.(map[string]any)["links"].([]any)
	if len(links) == 0 {
		return nil // the schema reports it
	}
	link, _ := links[0].(map[string]any)
	var vs []Violation
	if action, ok := link["action"].(string); ok && !strings.EqualFold(action, r.Method) {
		vs = append(vs, Violation{Where: "body /links/0/action", Message: fmt.Sprintf("%q for a %s request; DocSpace names the request's method", action, r.Method)})
	}
	if href, ok := link["href"].(string); ok {
		u, err := url.Parse(href)
		switch {
		case err != nil || !u.IsAbs():
			vs = append(vs, Violation{Where: "body /links/0/href", Message: fmt.Sprintf("%q is not an absolute URL; DocSpace gives the full request URL", href)})
		case !strings.EqualFold(apiPath(u.Path), apiPath(r.URL.Path)):
			vs = append(vs, Violation{Where: "body /links/0/href", Message: fmt.Sprintf("%q is not the request URL (path %s)", href, r.URL.Path)})
		}
	}
	return vs
}

// visit validates a decoded JSON value against a reference schema.
func visit(s *openapi3.Schema, doc any) []Violation {
	err := s.VisitJSON(doc, openapi3.MultiErrors(), openapi3.VisitAsResponse())
	if err == nil {
		return nil
	}
	return schemaViolations("body", err)
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	default:
		return "object"
	}
}
