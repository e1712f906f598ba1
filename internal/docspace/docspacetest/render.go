package docspacetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
)

// streamed marks a list DocSpace produces as an async stream with no explicit count: its envelope says
// count:1 whatever the length (reference §1.2).
type streamed struct{ items any }

// counted is a list with an explicit envelope count and, when hasTotal, a total (people and share lists).
type counted struct {
	items    any
	count    int
	total    int
	hasTotal bool
}

type link struct {
	Href   string `json:"href"`
	Action string `json:"action"`
}

type successEnvelope struct {
	Response   json.RawMessage `json:"response,omitempty"`
	Count      int             `json:"count"`
	Total      *int            `json:"total,omitempty"`
	Links      []link          `json:"links"`
	Status     int             `json:"status"`
	StatusCode int             `json:"statusCode"`
}

// errorBody is CommonApiError. DocSpace writes it with the default web options, so nulls are present.
type errorBody struct {
	Message string  `json:"message"`
	Type    *string `json:"type"`
	Stack   *string `json:"stack"`
	HResult int     `json:"hresult"`
}

type errorEnvelope struct {
	Error      errorBody `json:"error"`
	Status     int       `json:"status"`
	StatusCode int       `json:"statusCode"`
}

// problem is the RFC 7807 ValidationProblemDetails ASP.NET produces for binding failures.
type problem struct {
	Type    string              `json:"type"`
	Title   string              `json:"title"`
	Status  int                 `json:"status"`
	Errors  map[string][]string `json:"errors"`
	TraceID string              `json:"traceId"`
}

// hresults are the HRESULTs of the .NET exceptions the simulator throws.
func hresult(typeName string) int {
	switch typeName {
	case "System.ArgumentException":
		return -2147024809
	case "System.InvalidOperationException":
		return -2146233079
	case "System.Security.SecurityException":
		return -2146233078
	case "System.NotSupportedException":
		return -2146233067
	case "System.NullReferenceException":
		return -2147467261
	}
	return -2146233088
}

// portalURL is the portal URL as r reached it, e.g. http://127.0.0.1:8092.
func portalURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// requestURL is the full URL of r as DocSpace puts it in links[].href.
func requestURL(r *http.Request) string { return portalURL(r) + r.URL.RequestURI() }

func links(r *http.Request) []link { return []link{{Href: requestURL(r), Action: r.Method}} }

// renderSuccess writes the success envelope for a handler result.
func renderSuccess(w http.ResponseWriter, r *http.Request, v any) error {
	env := successEnvelope{Links: links(r), StatusCode: http.StatusOK}
	var payload any
	switch x := v.(type) {
	case nil:
	case streamed:
		payload, env.Count = nonNilList(x.items), 1
	case counted:
		payload, env.Count = nonNilList(x.items), x.count
		if x.hasTotal {
			t := x.total
			env.Total = &t
		}
	default:
		payload = nonNilList(v)
		env.Count = 1
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice {
			env.Count = rv.Len()
		}
	}
	if payload != nil {
		raw, err := json.Marshal(payload)
		if err != nil {
			return fmt.Errorf("encode response: %w", err)
		}
		if f := queryValue(r, "fields"); f != "" {
			raw = trimFields(raw, strings.Split(f, ","))
		}
		env.Response = raw
	}
	return writeJSON(w, http.StatusOK, env)
}

// nonNilList turns a nil slice into an empty one so that it encodes as [] rather than null.
func nonNilList(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice && rv.IsNil() {
		return reflect.MakeSlice(rv.Type(), 0, 0).Interface()
	}
	return v
}

// trimFields keeps only the named properties (any case) of an object, or of each object in an array,
// as DocSpace's ?fields= does (reference §1.2).
func trimFields(raw []byte, fields []string) []byte {
	keep := map[string]bool{}
	for _, f := range fields {
		if f = strings.TrimSpace(f); f != "" {
			keep[strings.ToLower(f)] = true
		}
	}
	trim := func(obj map[string]json.RawMessage) map[string]json.RawMessage {
		for k := range obj {
			if !keep[strings.ToLower(k)] {
				delete(obj, k)
			}
		}
		return obj
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil && obj != nil {
		if out, err := json.Marshal(trim(obj)); err == nil {
			return out
		}
		return raw
	}
	var arr []json.RawMessage
	if json.Unmarshal(raw, &arr) != nil {
		return raw
	}
	for i, el := range arr {
		var o map[string]json.RawMessage
		if json.Unmarshal(el, &o) == nil && o != nil {
			if out, err := json.Marshal(trim(o)); err == nil {
				arr[i] = out
			}
		}
	}
	if out, err := json.Marshal(arr); err == nil {
		return out
	}
	return raw
}

// renderError writes the response for a handler or pipeline error.
func renderError(w http.ResponseWriter, r *http.Request, err error, traceID string) error {
	var bare *bareStatus
	if errors.As(err, &bare) {
		for k, vs := range bare.header {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		w.WriteHeader(bare.code)
		return nil
	}
	var ve *validationError
	if errors.As(err, &ve) {
		p := problem{
			Type:    "https://tools.ietf.org/html/rfc9110#section-15.5.1",
			Title:   "One or more validation errors occurred.",
			Status:  http.StatusBadRequest,
			Errors:  ve.errors,
			TraceID: traceID,
		}
		raw, mErr := json.Marshal(p)
		if mErr != nil {
			return fmt.Errorf("encode problem: %w", mErr)
		}
		return writeJSON(w, http.StatusBadRequest, successEnvelope{
			Response: raw, Count: 1, Links: links(r), Status: 1, StatusCode: http.StatusBadRequest,
		})
	}
	ae, ok := asAPIError(err)
	if !ok {
		ae = &apiError{kind: excInternal, message: err.Error(), typeName: "System.Exception"}
	}
	body := errorBody{Message: ae.message}
	if ae.kind != excAuthentication && ae.typeName != "" {
		t := ae.typeName
		stack := "   at " + strings.TrimPrefix(t, "System.") + "..ctor()\n   at ASC.Api.Core.Middleware.CustomExceptionHandler.TryHandleAsync()"
		body.Type, body.Stack, body.HResult = &t, &stack, hresult(t)
	}
	code := ae.status()
	return writeJSON(w, code, errorEnvelope{Error: body, Status: 1, StatusCode: code})
}

// writeJSON writes v as the JSON body with status code.
func writeJSON(w http.ResponseWriter, code int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode body: %w", err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()-1))
	w.WriteHeader(code)
	_, err := w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	return err
}

// proxyErrorPage is the HTML a reverse proxy answers with for 502/503/504.
func proxyErrorPage(code int) string {
	text := strconv.Itoa(code) + " " + http.StatusText(code)
	return "<html>\r\n<head><title>" + text + "</title></head>\r\n<body>\r\n<center><h1>" + text +
		"</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
}
