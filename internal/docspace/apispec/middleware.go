package apispec

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
)

// maxCapturedResponse bounds how much of a response body the middleware keeps
// for validation; DocSpace's JSON bodies are far smaller.
const maxCapturedResponse = 32 << 20

// Observation is what the middleware saw of one request and its response.
type Observation struct {
	// OperationID is the operation the request routes to, or "" when it
	// matches none.
	OperationID string
	// Document is the document declaring the operation.
	Document string
	// Method and Path are the request's method and URL path.
	Method, Path string
	// Status is the response status, or 0 when there was no response (the
	// connection was hijacked or the handler panicked).
	Status int
	// Request and Response list the violations found on each side.
	Request, Response []Violation
	// Unknown is set when the request matches no operation of the documents.
	Unknown bool
	// Hijacked is set when the handler took over the connection, as a
	// simulated connection reset does: there is no response to validate.
	Hijacked bool
	// Aborted is set when the handler panicked, for instance with
	// http.ErrAbortHandler to drop the connection: there is no response to
	// validate.
	Aborted bool
	// Err is set when validation could not run, e.g. when the request body
	// could not be read.
	Err error
}

// Valid reports whether the exchange broke no rule and was fully validated.
func (o Observation) Valid() bool {
	return len(o.Request) == 0 && len(o.Response) == 0 && o.Err == nil
}

// String renders the exchange as "<operationId> <method> <path> -> <status>".
func (o Observation) String() string {
	id := o.OperationID
	if id == "" {
		id = "(no operation)"
	}
	s := fmt.Sprintf("%s %s %s", id, o.Method, o.Path)
	switch {
	case o.Hijacked:
		return s + " -> connection hijacked"
	case o.Aborted:
		return s + " -> handler aborted"
	default:
		return fmt.Sprintf("%s -> %d", s, o.Status)
	}
}

// Middleware wraps next so that each request is validated before next serves
// it and each response after, and hands every Observation to rec, which must
// be safe for concurrent use (a nil rec discards them). next sees the request
// body unread. Responses are passed through as they are written, so
// streaming works; a handler that hijacks the connection or panics yields an
// observation marked Hijacked or Aborted (the panic then carries on).
func (v *Validator) Middleware(next http.Handler, rec func(Observation)) http.Handler {
	if rec == nil {
		rec = func(Observation) {}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Validation outlives a client that hangs up.
		ctx := context.WithoutCancel(r.Context())
		obs := Observation{Method: r.Method, Path: r.URL.Path}
		rt, params, findErr := v.spec.find(r.Method, r.URL)
		if findErr == nil {
			obs.OperationID, obs.Document = rt.id, rt.doc
		} else {
			obs.Unknown = true
		}
		body, err := bufferBody(r)
		if err != nil {
			obs.Err = fmt.Errorf("read request body: %w", err)
		} else {
			obs.Request = v.validateRequest(ctx, r, body, rt, params, findErr).Violations
		}

		rw := &recorder{w: w}
		served := false
		defer func() {
			if !served { // next panicked; the panic carries on after this
				obs.Aborted = true
				obs.Hijacked = rw.hijacked
				rec(obs)
			}
		}()
		next.ServeHTTP(rw, r)
		served = true

		if rw.hijacked {
			obs.Hijacked = true
			rec(obs)
			return
		}
		if !rw.wroteHeader {
			// The handler wrote nothing: net/http sends 200 and no body.
			rw.status, rw.header = http.StatusOK, w.Header().Clone()
		}
		obs.Status = rw.status
		if rw.overflow {
			obs.Err = errors.Join(obs.Err, fmt.Errorf("response body over %d bytes: not validated", maxCapturedResponse))
		} else {
			obs.Response = v.validateResponse(ctx, r, rw.status, rw.header, rw.body.Bytes(), rt, params, findErr).Violations
		}
		rec(obs)
	})
}

// recorder passes a response through to the client and keeps a copy of its
// status, headers (as they were when the status was written) and body.
type recorder struct {
	w           http.ResponseWriter
	status      int
	header      http.Header
	body        bytes.Buffer
	wroteHeader bool
	overflow    bool
	hijacked    bool
}

var (
	_ http.Flusher  = (*recorder)(nil)
	_ http.Hijacker = (*recorder)(nil)
)

// Header returns the underlying writer's header map.
func (r *recorder) Header() http.Header { return r.w.Header() }

// WriteHeader records the status and a copy of the headers, then passes
// them on.
func (r *recorder) WriteHeader(code int) {
	if r.wroteHeader || r.hijacked {
		r.w.WriteHeader(code) // let net/http report the superfluous call
		return
	}
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		r.w.WriteHeader(code) // informational: the real status follows
		return
	}
	r.wroteHeader = true
	r.status = code
	r.header = r.w.Header().Clone()
	r.w.WriteHeader(code)
}

// Write keeps a copy of p, up to maxCapturedResponse bytes in all, and
// passes it on.
func (r *recorder) Write(p []byte) (int, error) {
	if !r.wroteHeader && !r.hijacked {
		r.WriteHeader(http.StatusOK)
	}
	if !r.overflow {
		if r.body.Len()+len(p) > maxCapturedResponse {
			r.overflow = true
			r.body.Reset()
		} else {
			r.body.Write(p)
		}
	}
	return r.w.Write(p)
}

// Flush sends buffered data to the client, if the underlying writer can.
func (r *recorder) Flush() {
	if !r.wroteHeader && !r.hijacked {
		r.WriteHeader(http.StatusOK)
	}
	if f, ok := r.w.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack lets the handler take over the connection and marks the exchange as
// hijacked.
func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := r.w.(http.Hijacker)
	if !ok {
		return nil, nil, fmt.Errorf("hijack: %w", http.ErrNotSupported)
	}
	conn, rw, err := h.Hijack()
	if err == nil {
		r.hijacked = true
	}
	return conn, rw, err
}

// Unwrap gives http.ResponseController access to the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.w }
