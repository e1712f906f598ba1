package apispec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// ErrUnknownRoute reports a request that matches no operation of the
// documents. DocSpace answers such requests 404 with an empty body.
var ErrUnknownRoute = errors.New("unknown DocSpace route")

// Violation is one way a request or a response breaks the contract.
type Violation struct {
	// Part is Request or Response.
	Part Part
	// Where locates the problem: "route", "status", "path status",
	// "query count", "header Retry-After", "body" or "body /response/id".
	Where string
	// Message says what is wrong.
	Message string
	// Exception names the exception whose rule found the violation, if one
	// did; see [Exceptions].
	Exception string
}

// String renders the violation as "<part> <where>: <message>".
func (v Violation) String() string {
	return v.Part.String() + " " + v.Where + ": " + v.Message
}

// Result is the outcome of validating a request or a response.
type Result struct {
	// OperationID is the operation the request routes to, or "" when it
	// matches none.
	OperationID string
	// Document is the document declaring the operation, e.g. PeopleDocument.
	Document string
	// Violations lists every problem found; none means valid.
	Violations []Violation
}

// Valid reports whether no violation was found.
func (r Result) Valid() bool { return len(r.Violations) == 0 }

// Validator validates DocSpace requests and responses against the official
// documents as patched by [Exceptions]. It is safe for concurrent use.
type Validator struct {
	spec *spec
}

// New returns a Validator. The documents are parsed and patched on the first
// call in a process (about half a second of CPU, a few seconds under the race
// detector) and shared by every Validator after that.
func New() (*Validator, error) {
	s, err := loadSpec()
	if err != nil {
		return nil, fmt.Errorf("load DocSpace OpenAPI documents: %w", err)
	}
	return &Validator{spec: s}, nil
}

// Operation finds the operation for a request and returns its operationId.
// Routing follows DocSpace: any host, any base path in front of "/api/2.0/",
// literal segments compared ignoring case. A request that matches no
// operation gives a *RouteError wrapping [ErrUnknownRoute].
func (v *Validator) Operation(r *http.Request) (id string, err error) {
	rt, _, err := v.spec.find(r.Method, r.URL)
	if err != nil {
		return "", fmt.Errorf("find DocSpace operation: %w", err)
	}
	return rt.id, nil
}

// Document returns the name of the document that declares an operation, e.g.
// [PeopleDocument] for "getProfileByUserId".
func (v *Validator) Document(operationID string) (string, bool) {
	rt, ok := v.spec.byID[operationID]
	if !ok {
		return "", false
	}
	return rt.doc, true
}

// ValidateRequest checks a request against its operation: the route, path
// parameters, query, headers and body. Authentication is not checked: a
// missing Authorization header is not a violation. r.Body is read and
// replaced by an equivalent reader, so the caller can still read it. The
// error is non-nil only when validation could not run.
func (v *Validator) ValidateRequest(ctx context.Context, r *http.Request) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("validate DocSpace request: %w", err)
	}
	body, err := bufferBody(r)
	if err != nil {
		return Result{}, fmt.Errorf("validate DocSpace request: read body: %w", err)
	}
	rt, params, err := v.spec.find(r.Method, r.URL)
	return v.validateRequest(ctx, r, body, rt, params, err), nil
}

// ValidateResponse checks a response to r against r's operation: its status,
// content type, headers and body. The error is non-nil only when validation
// could not run.
func (v *Validator) ValidateResponse(ctx context.Context, r *http.Request, status int, h http.Header, body []byte) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("validate DocSpace response: %w", err)
	}
	rt, params, err := v.spec.find(r.Method, r.URL)
	return v.validateResponse(ctx, r, status, h, body, rt, params, err), nil
}

// bufferBody reads r.Body and puts back a reader of the same bytes. On a read
// error the reader put back yields what was read, then the error.
func bufferBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	body, err := io.ReadAll(r.Body)
	closeErr := r.Body.Close()
	if err != nil {
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{err}))
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if closeErr != nil {
		return nil, closeErr
	}
	return body, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// requestInput is what a request rule sees: a private copy of the request
// that it may rewrite before the document's validation runs.
type requestInput struct {
	route *route
	req   *http.Request
	body  []byte
}

// responseInput is what a response rule sees.
type responseInput struct {
	env    *envelopes
	req    *http.Request
	status int
	header http.Header
	body   []byte

	decoded   bool
	doc       any
	decodeErr []Violation
}

// json decodes the body once for all the checks. Only the first caller is
// told why the body does not decode, so that it is reported once.
func (in *responseInput) json() (any, []Violation) {
	if !in.decoded {
		in.decoded = true
		in.doc, in.decodeErr = decodeJSON(in.body)
	}
	vs := in.decodeErr
	in.decodeErr = nil
	return in.doc, vs
}

// validateRequest checks a request whose body has been read into body. rt,
// params and findErr are what spec.find returned for the request.
func (v *Validator) validateRequest(ctx context.Context, r *http.Request, body []byte, rt *route, params map[string]string, findErr error) Result {
	if findErr != nil {
		return Result{Violations: []Violation{{
			Part: Request, Where: "route", Exception: "unknown-route",
			Message: findErr.Error() + " in the DocSpace documents",
		}}}
	}
	res := Result{OperationID: rt.id, Document: rt.doc}
	req := r.Clone(ctx)
	req.GetBody = nil
	req.ContentLength = int64(len(body))
	req.Body = http.NoBody
	if len(body) > 0 {
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	in := &requestInput{route: rt, req: req, body: body}
	for _, e := range rt.request {
		res.Violations = append(res.Violations, tag(e.request(in), Request, e.Name)...)
	}
	input := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      rt.kin,
		Options: &openapi3filter.Options{
			MultiError:                        true,
			SkipSettingDefaults:               true,
			ExcludeRequestBody:                rt.ownBody,
			RejectWhenRequestBodyNotSpecified: true,
			SchemaValidationOptions:           schemaOptions,
		},
	}
	if err := openapi3filter.ValidateRequest(ctx, input); err != nil {
		res.Violations = append(res.Violations, violationsOf(Request, err)...)
	}
	return res
}

// validateResponse checks a response to r. rt, params and findErr are what
// spec.find returned for r.
func (v *Validator) validateResponse(ctx context.Context, r *http.Request, status int, h http.Header, body []byte, rt *route, params map[string]string, findErr error) Result {
	in := &responseInput{env: v.spec.envelopes, req: r, status: status, header: h, body: body}
	if findErr != nil {
		var re *RouteError
		errors.As(findErr, &re)
		return Result{Violations: checkUnknownRouteResponse(in, re)}
	}
	res := Result{OperationID: rt.id, Document: rt.doc}
	replaced := false
	for _, e := range rt.response {
		if e.appliesToStatus(status) {
			res.Violations = append(res.Violations, tag(e.response(in), Response, e.Name)...)
			replaced = replaced || e.replaces
		}
	}
	// An empty success body is reported by the success-envelope rule; the
	// document's validation would only add a decoding error.
	if replaced || r.Method == http.MethodHead || (len(body) == 0 && status >= 200 && status < 300) {
		return res
	}
	responses := rt.kin.Operation.Responses
	declared := responses.Status(status)
	if declared == nil {
		declared = responses.Default()
	}
	if declared == nil || declared.Value == nil {
		res.Violations = append(res.Violations, Violation{
			Part: Response, Where: "status",
			Message: fmt.Sprintf("%s is not a status of %s", statusText(status), rt.id),
		})
		return res
	}
	// kin-openapi checks the declared headers; the body is checked below.
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: rt.kin},
		Status:                 status,
		Header:                 h,
		Body:                   http.NoBody,
		Options: &openapi3filter.Options{
			MultiError:              true,
			ExcludeResponseBody:     true,
			SchemaValidationOptions: schemaOptions,
		},
	}
	if err := openapi3filter.ValidateResponse(ctx, input); err != nil {
		res.Violations = append(res.Violations, violationsOf(Response, err)...)
	}
	res.Violations = append(res.Violations, v.validateBody(in, rt, declared.Value)...)
	return res
}

// validateBody checks a response body against the schema the operation
// declares for its status and content type. The body is decoded once for
// the rules and this check. Unlike openapi3filter.ValidateResponse, it
// validates without kin-openapi's response mode, which copies every value
// tried against a oneOf or anyOf branch and validates the matching branch
// twice, to inject defaults into a body nobody reads afterwards; the
// documents have no writeOnly property, the only other thing that mode checks.
func (v *Validator) validateBody(in *responseInput, rt *route, declared *openapi3.Response) []Violation {
	if len(declared.Content) == 0 {
		return nil // no body declared for this status
	}
	ct := in.header.Get("Content-Type")
	mt := declared.Content.Get(ct)
	if mt == nil {
		return []Violation{{Part: Response, Where: "header Content-Type",
			Message: fmt.Sprintf("%q; %s declares %s", ct, rt.id, strings.Join(slices.Sorted(maps.Keys(declared.Content)), ", "))}}
	}
	if mt.Schema == nil || mt.Schema.Value == nil || !isJSON(in.header) {
		return nil
	}
	doc, vs := in.json()
	if doc == nil {
		return tag(vs, Response, "")
	}
	if err := mt.Schema.Value.VisitJSON(doc, multiErrorSchemaOptions...); err != nil {
		vs = append(vs, schemaViolations("body", err)...)
	}
	return tag(vs, Response, "")
}

// tag marks violations found by an exception's rule.
func tag(vs []Violation, part Part, exception string) []Violation {
	for i := range vs {
		vs[i].Part = part
		vs[i].Exception = exception
	}
	return vs
}
