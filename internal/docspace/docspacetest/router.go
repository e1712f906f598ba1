package docspacetest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// handlerFunc serves one route. It runs with Server.mu held, after authentication, rate limiting, fault
// injection and the scope check. It returns the value to put in the success envelope (nil for no response;
// streamed or counted for list envelopes) or an error built with errNotFound, errArgument, errSecurity,
// errInvalidOp, errValidation, ... which render turns into DocSpace's response.
type handlerFunc func(c *call) (any, error)

type segmentKind int

const (
	segLiteral segmentKind = iota
	segGUID                // {name:guid}
	segInt                 // {name:int}
	segAny                 // {name}
)

type segment struct {
	kind    segmentKind
	literal string // lower case, for segLiteral
	name    string // lower case parameter name
}

// route is one DocSpace endpoint.
type route struct {
	method      string
	pattern     string
	segments    []segment
	operationID string
	handler     handlerFunc
	mutating    bool
	scope       scopeRule
	// allowUnpaid marks endpoints DocSpace serves on an unpaid portal (AllowNotPayment).
	allowUnpaid bool
	// sensitive puts the endpoint under the SensitiveApi rate-limit policy (reference §12).
	sensitive bool
}

// routeOption adjusts a route at registration.
type routeOption func(*route)

// allowUnpaid marks a route that still works when the portal is unpaid (402 switch).
func allowUnpaid() routeOption { return func(r *route) { r.allowUnpaid = true } }

// sensitiveAPI puts a route under the SensitiveApi policy: 5 calls per 15 minutes per user and path.
func sensitiveAPI() routeOption { return func(r *route) { r.sensitive = true } }

// route registers a DocSpace endpoint. pattern is the full path, e.g. "/api/2.0/people/{userid:guid}";
// segments match case-insensitively; {name:guid} and {name:int} are typed (a mismatch is a 404), {name}
// matches any one segment. Literal segments win over parameters, typed over untyped. Non-GET routes count as
// mutations. The scope rule follows the path (reference §2.2).
func (s *Server) route(method, pattern, operationID string, h handlerFunc, opts ...routeOption) {
	rt := &route{
		method:      method,
		pattern:     pattern,
		operationID: operationID,
		handler:     h,
		mutating:    method != http.MethodGet,
	}
	for _, p := range strings.Split(strings.Trim(pattern, "/"), "/") {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			name, typ, _ := strings.Cut(p[1:len(p)-1], ":")
			seg := segment{kind: segAny, name: strings.ToLower(name)}
			switch typ {
			case "guid":
				seg.kind = segGUID
			case "int":
				seg.kind = segInt
			}
			rt.segments = append(rt.segments, seg)
			continue
		}
		rt.segments = append(rt.segments, segment{kind: segLiteral, literal: strings.ToLower(p)})
	}
	rt.scope = scopeFor(pattern)
	for _, o := range opts {
		o(rt)
	}
	s.routes = append(s.routes, rt)
}

// matchResult is the outcome of routing one request.
type matchResult struct {
	route  *route
	params map[string]string
	// methodMismatch is set when the path exists for other methods only.
	methodMismatch bool
}

// match finds the route for a request path, or reports why there is none.
func (s *Server) match(method, escapedPath string) matchResult {
	raw := strings.Split(strings.Trim(escapedPath, "/"), "/")
	parts := make([]string, len(raw))
	for i, p := range raw {
		u, err := url.PathUnescape(p)
		if err != nil {
			return matchResult{}
		}
		parts[i] = u
	}
	var (
		best      *route
		bestScore []int
		bestPar   map[string]string
		otherVerb bool
	)
	for _, rt := range s.routes {
		params, score, ok := rt.matchPath(parts)
		if !ok {
			continue
		}
		if rt.method != method {
			otherVerb = true
			continue
		}
		if best == nil || better(score, bestScore) {
			best, bestScore, bestPar = rt, score, params
		}
	}
	if best == nil {
		return matchResult{methodMismatch: otherVerb}
	}
	return matchResult{route: best, params: bestPar}
}

func better(a, b []int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] > b[i]
		}
	}
	return false
}

func (rt *route) matchPath(parts []string) (map[string]string, []int, bool) {
	if len(parts) != len(rt.segments) {
		return nil, nil, false
	}
	params := map[string]string{}
	score := make([]int, len(parts))
	for i, seg := range rt.segments {
		p := parts[i]
		switch seg.kind {
		case segLiteral:
			if strings.ToLower(p) != seg.literal {
				return nil, nil, false
			}
			score[i] = 3
		case segGUID:
			g, ok := parseGUID(p)
			if !ok {
				return nil, nil, false
			}
			params[seg.name], score[i] = g, 2
		case segInt:
			if _, err := strconv.ParseInt(p, 10, 32); err != nil {
				return nil, nil, false
			}
			params[seg.name], score[i] = p, 2
		default:
			if p == "" {
				return nil, nil, false
			}
			params[seg.name], score[i] = p, 1
		}
	}
	return params, score, true
}

// parseGUID accepts a GUID in the "D" (8-4-4-4-12), "B" ({…}) or "N" (32 digits) form and returns it in
// lower-case D form.
func parseGUID(s string) (string, bool) {
	s = strings.TrimPrefix(strings.TrimSuffix(s, "}"), "{")
	if len(s) == 32 {
		s = s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
	}
	if len(s) != 36 {
		return "", false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return "", false
			}
		default:
			if !isHex(c) {
				return "", false
			}
		}
	}
	return strings.ToLower(s), true
}

func isHex(c rune) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// emptyGUID is Guid.Empty.
const emptyGUID = "00000000-0000-0000-0000-000000000000"
