package docspacetest

import (
	"bytes"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/apispec"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// ManualClock is a clock tests move by hand; it is safe for concurrent use. Pass its Now as Options.Now.
type ManualClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewManualClock returns a clock reading start.
func NewManualClock(start time.Time) *ManualClock { return &ManualClock{t: start} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// TestServer is a simulator served over real HTTP for a test.
type TestServer struct {
	*Server
	// URL is the portal's base URL, e.g. http://127.0.0.1:41234 (API paths start with /api/2.0/).
	URL string
	// AdminKey is an API key with full access owned by a DocSpace admin who is not the owner (the demo's
	// service account, or an admin Start creates for an empty portal).
	AdminKey string
	// HTTP is the underlying test server.
	HTTP *httptest.Server
	// Spec records every exchange as the OpenAPI validator saw it; tests use it to declare deliberate
	// off-spec requests (Spec.ExpectUnknown, Spec.ExpectInvalidRequest). Nil WithoutValidation.
	Spec *apispec.Log
}

type startConfig struct {
	opts     Options
	fixture  []byte
	validate bool
}

// StartOption configures Start.
type StartOption func(*startConfig)

// WithOptions sets the simulator's options.
func WithOptions(o Options) StartOption { return func(c *startConfig) { c.opts = o } }

// WithFixture loads the given fixture JSON instead of the demo portal. An empty fixture gives a portal with
// only an owner and an admin (see TestServer.AdminKey).
func WithFixture(data []byte) StartOption { return func(c *startConfig) { c.fixture = data } }

// WithoutValidation serves the simulator without the OpenAPI validator, for tests that deliberately send
// requests outside the documents.
func WithoutValidation() StartOption { return func(c *startConfig) { c.validate = false } }

// Start runs a simulator on httptest for the test, loaded with the demo portal unless WithFixture says
// otherwise, behind the OpenAPI validator, and closes it when the test ends.
func Start(t testing.TB, opts ...StartOption) *TestServer {
	t.Helper()
	cfg := startConfig{fixture: DemoFixture(), validate: true}
	for _, o := range opts {
		o(&cfg)
	}
	s, err := New(cfg.opts)
	if err != nil {
		t.Fatalf("docspacetest: %v", err)
	}
	t.Cleanup(s.Close)
	adminKey := ""
	if len(bytes.TrimSpace(cfg.fixture)) > 0 {
		adminKey, err = s.LoadFixture(bytes.NewReader(cfg.fixture))
		if err != nil {
			t.Fatalf("docspacetest: %v", err)
		}
	}
	if adminKey == "" {
		adminKey, err = s.ensureAdmin()
		if err != nil {
			t.Fatalf("docspacetest: %v", err)
		}
	}
	var h http.Handler = s
	var spec *apispec.Log
	if cfg.validate {
		// The validator's report runs at cleanup, after the HTTP server (started below) has closed.
		h, spec = apispec.Check(t, h)
	}
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return &TestServer{Server: s, URL: hs.URL, AdminKey: adminKey, HTTP: hs, Spec: spec}
}

// ensureAdmin gives the portal an owner (if it has none) and a DocSpace admin with a full-access key, and
// returns that key.
func (s *Server) ensureAdmin() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.owner() == nil {
		if _, err := s.addUser(UserSpec{FirstName: "Portal", LastName: "Owner", UserName: "owner",
			Email: "owner@portal.example", Owner: true}); err != nil {
			return "", err
		}
	}
	admin, err := s.addUser(UserSpec{FirstName: "Service", LastName: "Admin", UserName: "service-admin",
		Email: "service-admin@portal.example", Type: TypeDocSpaceAdmin})
	if err != nil {
		return "", err
	}
	k, err := s.addKey(KeySpec{OwnerID: admin.ID, Name: "admin"})
	if err != nil {
		return "", err
	}
	return k.Secret, nil
}
