package docspacetest

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Scopes ("permissions") an API key can carry (reference §2.2).
const (
	ScopeAll              = "*"
	ScopeAllRead          = "*:read"
	ScopeAllWrite         = "*:write"
	ScopeSelfRead         = "accounts.self:read"
	ScopeSelfWrite        = "accounts.self:write"
	ScopeAccountsRead     = "accounts:read"
	ScopeAccountsWrite    = "accounts:write"
	ScopeFilesRead        = "files:read"
	ScopeFilesWrite       = "files:write"
	ScopeRoomsRead        = "rooms:read"
	ScopeRoomsWrite       = "rooms:write"
	apiKeyPrefix          = "sk-"
	apiKeyHexLen          = 64
	maxAPIKeyNameLen      = 30
	maxAPIKeyLifetimeDays = 365
)

// validScopes lists the values getAllPermissions returns.
func validScopes() []string {
	return []string{ScopeAll, ScopeAllRead, ScopeAllWrite, ScopeSelfRead, ScopeSelfWrite, ScopeAccountsRead,
		ScopeAccountsWrite, ScopeFilesRead, ScopeFilesWrite, ScopeRoomsRead, ScopeRoomsWrite}
}

// scopeRule is what an endpoint accepts besides the global scopes.
type scopeRule struct {
	unchecked bool     // keys/@self: no scope check at all
	read      []string // local scopes that allow GET
	write     []string // local scopes that allow other methods
}

// scopeFor derives the rule from the route path; the first matching prefix wins (reference §2.2).
func scopeFor(pattern string) scopeRule {
	p := strings.ToLower(strings.TrimPrefix(strings.Trim(pattern, "/"), "api/2.0/"))
	has := func(prefix string) bool { return p == prefix || strings.HasPrefix(p, prefix+"/") }
	switch {
	case has("files/rooms"):
		return scopeRule{read: []string{ScopeRoomsRead, ScopeRoomsWrite}, write: []string{ScopeRoomsWrite}}
	case has("files"):
		return scopeRule{read: []string{ScopeFilesRead, ScopeFilesWrite}, write: []string{ScopeFilesWrite}}
	case has("people/@self"):
		return scopeRule{read: []string{ScopeSelfRead, ScopeSelfWrite}, write: []string{ScopeSelfWrite}}
	case has("people"):
		return scopeRule{read: []string{ScopeAccountsRead, ScopeAccountsWrite}, write: []string{ScopeAccountsWrite}}
	case has("group"):
		return scopeRule{read: []string{ScopeAccountsRead}, write: []string{ScopeAccountsWrite}}
	case has("keys/@self"):
		return scopeRule{unchecked: true}
	}
	return scopeRule{}
}

// effectiveScopes expands a key's permissions: an empty list or "*" means "*:write".
func effectiveScopes(perms []string) []string {
	if len(perms) == 0 || slices.Contains(perms, ScopeAll) {
		return []string{ScopeAllWrite}
	}
	return perms
}

// allows reports whether a key with perms may call a route with method.
func (sr scopeRule) allows(method string, perms []string) bool {
	if sr.unchecked {
		return true
	}
	have := effectiveScopes(perms)
	if method == http.MethodGet {
		if slices.Contains(have, ScopeAllRead) || slices.Contains(have, ScopeAllWrite) {
			return true
		}
		return slices.ContainsFunc(sr.read, func(s string) bool { return slices.Contains(have, s) })
	}
	if slices.Contains(have, ScopeAllWrite) {
		return true
	}
	return slices.ContainsFunc(sr.write, func(s string) bool { return slices.Contains(have, s) })
}

// authenticate resolves the request's credential to its key and the key's creator. Only
// "Authorization: Bearer sk-<64 hex>" is an API key; every other credential (cookies, tokens, a bare key)
// reaches DocSpace's cookie handler, which the simulator does not model, so it fails: 401 with an empty body,
// as do unknown, expired and inactive keys and keys whose creator is not Active (reference §2.1).
func (s *Server) authenticate(r *http.Request, now time.Time) (*User, *Key, bool) {
	h := r.Header.Get("Authorization")
	scheme, secret, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || !isAPIKey(secret) {
		return nil, nil, false
	}
	k := s.st.keys[secret]
	if k == nil || !k.IsActive || (!k.ExpiresAt.IsZero() && !now.Before(k.ExpiresAt)) {
		return nil, nil, false
	}
	u := s.st.user(k.OwnerID)
	if u == nil || u.Status != StatusActive || u.IsSystem {
		return nil, nil, false
	}
	k.LastUsed = now
	return u, k, true
}

// isAPIKey reports whether v has the shape of an API key: "sk-" and 64 hex digits.
func isAPIKey(v string) bool {
	if !strings.HasPrefix(v, apiKeyPrefix) || len(v) != len(apiKeyPrefix)+apiKeyHexLen {
		return false
	}
	for _, c := range v[len(apiKeyPrefix):] {
		if !isHex(c) {
			return false
		}
	}
	return true
}

// newSecret returns a fresh "sk-…" key from the server's seeded random source.
func (s *Server) newSecret() string {
	const digits = "0123456789abcdef"
	b := make([]byte, apiKeyHexLen)
	for i := range b {
		b[i] = digits[s.rng.IntN(len(digits))]
	}
	return apiKeyPrefix + string(b)
}

// newGUID returns a random GUID (version 4 layout) from the server's seeded random source.
func (s *Server) newGUID() string {
	const digits = "0123456789abcdef"
	b := make([]byte, 0, 36)
	for i := range 32 {
		switch i {
		case 8, 12, 16, 20:
			b = append(b, '-')
		}
		d := digits[s.rng.IntN(16)]
		if i == 12 {
			d = '4'
		}
		if i == 16 {
			d = digits[8+s.rng.IntN(4)]
		}
		b = append(b, d)
	}
	return string(b)
}
