package apispec

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
)

// The official documents, named as DocSpace publishes them. Every operation
// lives in exactly one of them.
const (
	PeopleDocument = "people_2.0.json"
	FilesDocument  = "files_2.0.json"
	APIDocument    = "api_2.0.json"
)

//go:embed openapi/people_2.0.json openapi/files_2.0.json openapi/api_2.0.json
var openapiFiles embed.FS

// documentNames lists the documents in the order they are loaded and searched.
func documentNames() []string {
	return []string{PeopleDocument, FilesDocument, APIDocument}
}

// loadSpec parses and patches the documents once per process, which takes
// about half a second of CPU (several seconds under the race detector); the
// result is never modified afterwards, so every Validator shares it.
var loadSpec = sync.OnceValues(parseSpec)

// spec is the parsed, patched documents and the routing table built from them.
type spec struct {
	docs       map[string]*openapi3.T
	byID       map[string]*route
	bySegments map[int][]*route // routes by their number of path segments
	exceptions []*exception
	envelopes  *envelopes
}

// schemaOptions carry the string formats the documents use; they are passed
// to every validation instead of registering formats globally.
// multiErrorSchemaOptions add reporting every error of a value rather than
// the first. Neither is modified after initialisation.
var (
	schemaOptions           = []openapi3.SchemaValidationOption{openapi3.WithStringFormatValidators(stringFormats())}
	multiErrorSchemaOptions = append([]openapi3.SchemaValidationOption{openapi3.MultiErrors()}, schemaOptions...)
)

// route is one operation of one document.
type route struct {
	doc      string
	id       string
	method   string
	template string
	// literals holds the lower-case literal of each path segment, or "" where
	// the segment is a parameter; params holds the parameter names.
	literals []string
	params   []string
	kin      *routers.Route
	// queryNames maps the lower-case name of each declared query parameter to
	// its declared spelling.
	queryNames map[string]string
	request    []*exception // request rules that apply to this operation
	response   []*exception // response rules that apply to this operation
	// ownBody is set when a request rule replaces the document's body
	// validation.
	ownBody bool
}

func parseSpec() (*spec, error) {
	names := documentNames()
	parsed := make([]*openapi3.T, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() { parsed[i], errs[i] = parseDocument(name) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	docs := make(map[string]*openapi3.T, len(names))
	for i, name := range names {
		docs[name] = parsed[i]
	}
	env, err := newEnvelopes()
	if err != nil {
		return nil, err
	}
	s := &spec{
		docs:       docs,
		byID:       make(map[string]*route),
		bySegments: make(map[int][]*route),
		exceptions: exceptionTable(),
		envelopes:  env,
	}
	p := &patcher{docs: docs, env: env}
	for _, e := range s.exceptions {
		if e.patch == nil {
			continue
		}
		if err := e.patch(p); err != nil {
			return nil, fmt.Errorf("apply exception %s: %w", e.Name, err)
		}
	}
	if err := s.buildRoutes(); err != nil {
		return nil, err
	}
	return s, nil
}

// parseDocument parses one embedded document and resolves its references.
func parseDocument(name string) (*openapi3.T, error) {
	data, err := openapiFiles.ReadFile("openapi/" + name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	// openapi3.Loader parses JSON with its YAML parser, several times slower
	// than encoding/json (which the documents' types implement); resolving
	// the references afterwards gives the same document.
	doc := new(openapi3.T)
	if err := json.Unmarshal(data, doc); err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	if err := openapi3.NewLoader().ResolveRefsIn(doc, nil); err != nil {
		return nil, fmt.Errorf("resolve references of %s: %w", name, err)
	}
	return doc, nil
}

// stringFormats validates the string formats the documents use beyond those
// kin-openapi checks by itself (date, date-time, byte).
func stringFormats() map[string]openapi3.StringFormatValidator {
	return map[string]openapi3.StringFormatValidator{
		// .NET writes GUIDs as 8-4-4-4-12 hex digits and DocSpace uses
		// unversioned ones (system users, all-zero ids), so no version check.
		"uuid":  openapi3.NewRegexpFormatValidator(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`),
		"email": openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail),
	}
}

func (s *spec) buildRoutes() error {
	for _, name := range documentNames() {
		doc := s.docs[name]
		for _, template := range doc.Paths.InMatchingOrder() {
			item := doc.Paths.Value(template)
			ops := item.Operations()
			methods := make([]string, 0, len(ops))
			for m := range ops {
				methods = append(methods, m)
			}
			slices.Sort(methods)
			for _, method := range methods {
				op := ops[method]
				if op.OperationID == "" {
					return fmt.Errorf("%s: %s %s has no operationId", name, method, template)
				}
				if prev, ok := s.byID[op.OperationID]; ok {
					return fmt.Errorf("operationId %s is in both %s and %s", op.OperationID, prev.doc, name)
				}
				r, err := s.newRoute(name, doc, template, item, method, op)
				if err != nil {
					return err
				}
				s.byID[r.id] = r
				s.bySegments[len(r.literals)] = append(s.bySegments[len(r.literals)], r)
			}
		}
	}
	return nil
}

func (s *spec) newRoute(docName string, doc *openapi3.T, template string, item *openapi3.PathItem, method string, op *openapi3.Operation) (*route, error) {
	segs := strings.Split(strings.TrimPrefix(template, "/"), "/")
	r := &route{
		doc:        docName,
		id:         op.OperationID,
		method:     method,
		template:   template,
		literals:   make([]string, len(segs)),
		params:     make([]string, len(segs)),
		queryNames: make(map[string]string),
	}
	for i, seg := range segs {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			r.params[i] = seg[1 : len(seg)-1]
			continue
		}
		if strings.ContainsAny(seg, "{}") {
			return nil, fmt.Errorf("%s: path %s: segment %q mixes literal and parameter", docName, template, seg)
		}
		r.literals[i] = strings.ToLower(seg)
	}
	for _, params := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, p := range params {
			if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
				r.queryNames[strings.ToLower(p.Value.Name)] = p.Value.Name
			}
		}
	}
	// Authentication is DocSpace's business and the simulator's: requests are
	// validated without the documents' security requirements, so a missing or
	// wrong Authorization header is not a contract violation here.
	unsecured := *op
	unsecured.Security = &openapi3.SecurityRequirements{}
	r.kin = &routers.Route{Spec: doc, Path: template, PathItem: item, Method: method, Operation: &unsecured}
	for _, e := range s.exceptions {
		if !e.appliesTo(r.id) {
			continue
		}
		if e.request != nil {
			r.request = append(r.request, e)
			r.ownBody = r.ownBody || e.ownsBody
		}
		if e.response != nil {
			r.response = append(r.response, e)
		}
	}
	return r, nil
}

// apiSegments returns the unescaped path segments of u from DocSpace's
// "api/2.0" root on, whatever base path stands in front of it. ok is false
// when the path does not contain the root.
func apiSegments(u *url.URL) (segs []string, ok bool) {
	raw := strings.Split(strings.TrimPrefix(u.EscapedPath(), "/"), "/")
	start := -1
	for i := 0; i+1 < len(raw); i++ {
		if strings.EqualFold(raw[i], "api") && raw[i+1] == "2.0" {
			start = i
			break
		}
	}
	if start < 0 {
		return nil, false
	}
	raw = raw[start:]
	// ASP.NET routing ignores one trailing slash.
	if len(raw) > 2 && raw[len(raw)-1] == "" {
		raw = raw[:len(raw)-1]
	}
	segs = make([]string, len(raw))
	for i, seg := range raw {
		v, err := url.PathUnescape(seg)
		if err != nil {
			return nil, false
		}
		segs[i] = v
	}
	return segs, true
}

// apiPath returns a URL path from "/api/2.0/" on, or the whole path when it
// does not contain that root.
func apiPath(p string) string {
	if i := strings.Index(strings.ToLower(p), "/api/2.0/"); i >= 0 {
		return p[i:]
	}
	return p
}

// find returns the route of a request and its path parameters. Matching
// follows ASP.NET routing as DocSpace uses it (reference §1.1): any host, any
// base path in front of "api/2.0", literals compared ignoring case, and a
// literal segment taking precedence over a parameter, left to right.
func (s *spec) find(method string, u *url.URL) (*route, map[string]string, error) {
	segs, ok := apiSegments(u)
	if !ok {
		return nil, nil, &RouteError{Method: method, Path: u.Path}
	}
	method = strings.ToUpper(method)
	var best *route
	var otherMethods []string
	for _, r := range s.bySegments[len(segs)] {
		if !r.matches(segs) {
			continue
		}
		if r.method != method {
			otherMethods = append(otherMethods, r.method)
			continue
		}
		if best == nil || r.precedes(best) {
			best = r
		}
	}
	if best == nil {
		slices.Sort(otherMethods)
		return nil, nil, &RouteError{Method: method, Path: u.Path, Allowed: slices.Compact(otherMethods)}
	}
	params := make(map[string]string, len(segs))
	for i, name := range best.params {
		if name != "" {
			params[name] = segs[i]
		}
	}
	return best, params, nil
}

func (r *route) matches(segs []string) bool {
	for i, lit := range r.literals {
		if r.params[i] != "" {
			if segs[i] == "" {
				return false
			}
			continue
		}
		if !strings.EqualFold(lit, segs[i]) {
			return false
		}
	}
	return true
}

// precedes reports whether r wins over o for the same path: the first segment
// where one has a literal and the other a parameter decides.
func (r *route) precedes(o *route) bool {
	for i := range r.literals {
		rp, op := r.params[i] != "", o.params[i] != ""
		if rp != op {
			return !rp
		}
	}
	return false
}

// RouteError reports a request that matches no operation of the documents.
// It wraps [ErrUnknownRoute].
type RouteError struct {
	Method string
	Path   string
	// Allowed lists the methods the documents declare for this path, if the
	// path exists with other methods only.
	Allowed []string
}

// Error says which request matched nothing.
func (e *RouteError) Error() string {
	if len(e.Allowed) > 0 {
		return fmt.Sprintf("no operation for %s %s (the path exists for %s)", e.Method, e.Path, strings.Join(e.Allowed, ", "))
	}
	return fmt.Sprintf("no operation for %s %s", e.Method, e.Path)
}

// Unwrap makes errors.Is(err, ErrUnknownRoute) true.
func (e *RouteError) Unwrap() error { return ErrUnknownRoute }

// methodNotAllowed reports whether the path exists with other methods, which
// ASP.NET answers with 405 rather than 404.
func (e *RouteError) methodNotAllowed() bool { return len(e.Allowed) > 0 }

// statusText is used in messages about statuses.
func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprintf("%d", code)
}
