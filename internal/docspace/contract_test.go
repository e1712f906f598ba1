package docspace_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
)

// Identities and entries of the simulator's demo portal (docspacetest's demo.json).
const (
	ownerID    = "a0000000-0000-4000-8000-000000000001" // the portal owner
	serviceID  = "a0000000-0000-4000-8000-000000000002" // DocSpace admin; owns TestServer.AdminKey
	keeperID   = "a0000000-0000-4000-8000-000000000003" // RoomAdmin, owner of the archive room
	hannahID   = "a0000000-0000-4000-8000-000000000004" // User, HR
	janeID     = "a0000000-0000-4000-8000-000000000010" // User, Engineering
	johnID     = "a0000000-0000-4000-8000-000000000011" // RoomAdmin, Engineering manager
	mariaID    = "a0000000-0000-4000-8000-000000000012" // User, Sales
	sofiaID    = "a0000000-0000-4000-8000-000000000016" // User, Engineering
	noahID     = "a0000000-0000-4000-8000-000000000017" // User, Support
	emmaID     = "a0000000-0000-4000-8000-000000000018" // Guest
	lukasID    = "a0000000-0000-4000-8000-000000000019" // User, Engineering
	hrGroupID  = "b0000000-0000-4000-8000-000000000001"
	engGroupID = "b0000000-0000-4000-8000-000000000002"
	allGroupID = "b0000000-0000-4000-8000-000000000004"
	unknownID  = "c0000000-0000-4000-8000-0000000000ff" // nobody and nothing

	archiveRoom    = 900    // "Offboarding Archive", Custom, owner keeper, service account RoomManager, HR Read
	falconRoom     = 950    // "Project Falcon", Editing, owner John
	marketingRoom  = 960    // "Marketing Assets", Custom, owner Aisha, Maria Read
	oldPitchRoom   = 970    // "Old Sales Pitch", archived, owner Jane
	workspacesRoom = 1000   // "Workspaces", Custom, owner the service account
	janeWorkspace  = 1001   // "Jane Roe" in Workspaces, created by Jane
	janeDrafts     = 1101   // "Drafts" in Jane's workspace
	janeNotes      = 2001   // "notes.docx" in Jane's workspace
	janeShared     = 3001   // "Shared with team" in Jane's My documents (Sofia ReadWrite, Engineering Read)
	janePrivate    = 3003   // "Private" in Jane's My documents
	janeTodo       = 3006   // "todo.txt" in Jane's My documents
	janeHandover   = 3007   // "handover.docx" in Jane's My documents (Lukas Editing)
	missingEntry   = 999999 // no folder, room or file
)

// demoNow is the manual clock's start: just after the demo portal's seeded history.
func demoNow() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) }

// plumbing are the Client methods that make no DocSpace call and need no contract test.
func plumbing() []string { return []string{"BaseURL", "CloseIdleConnections", "GoString", "String"} }

// contract is the contract test of one Client method: the DocSpace operations it calls and the checks that
// prove it calls them right.
type contract struct {
	method string
	// ops are the operationIds the method's requests go to; every check that reaches DocSpace must have
	// sent each of them through the OpenAPI validator.
	ops    []string
	checks []check
}

// check is one scenario of a contract, run against a fresh simulator.
type check struct {
	name string
	env  []envOption
	// offline marks a call the client refuses before sending anything: the simulator must see no request.
	offline bool
	run     func(t *testing.T, e *env)
}

// TestEveryMethodHasContractTest keeps the contract table complete: a Client method without an entry fails
// here, by name, and so does an entry whose method is gone.
func TestEveryMethodHasContractTest(t *testing.T) {
	t.Parallel()
	covered := map[string]bool{}
	for _, c := range contracts() {
		if covered[c.method] {
			t.Errorf("method %s has more than one contract", c.method)
		}
		covered[c.method] = true
		if len(c.ops) == 0 || len(c.checks) == 0 {
			t.Errorf("contract of %s lists no operationId or no check", c.method)
		}
	}
	skip := plumbing()
	typ := reflect.TypeFor[*docspace.Client]()
	methods := map[string]bool{}
	for m := range typ.Methods() {
		methods[m.Name] = true
		if !covered[m.Name] && !slices.Contains(skip, m.Name) {
			t.Errorf("(*docspace.Client).%s has no contract test: add an entry to contracts()", m.Name)
		}
	}
	for name := range covered {
		if !methods[name] {
			t.Errorf("contract %s names no method of *docspace.Client", name)
		}
	}
}

// TestContract runs every check of every contract against its own simulator behind the OpenAPI validator,
// which fails the check on any request or response outside DocSpace's official documents; a check that
// reached DocSpace must also have sent each of its contract's operations through the validator.
func TestContract(t *testing.T) {
	t.Parallel()
	for _, c := range contracts() {
		t.Run(c.method, func(t *testing.T) {
			t.Parallel()
			for _, ch := range c.checks {
				t.Run(ch.name, func(t *testing.T) {
					t.Parallel()
					e := newEnv(t, ch.env...)
					ch.run(t, e)
					if t.Failed() {
						return
					}
					e.settle()
					if ch.offline {
						if calls := e.ts.Calls(); len(calls) != 0 {
							t.Errorf("the call was refused, yet the simulator saw %d request(s), first %s %s",
								len(calls), calls[0].Method, calls[0].Path)
						}
						return
					}
					for _, op := range c.ops {
						if !e.ts.Spec.Seen(op) {
							t.Errorf("no request to %s went through the OpenAPI validator; saw %v", op, e.ts.Spec.Operations())
						}
					}
				})
			}
		})
	}
}

// contracts is the table: one entry per *docspace.Client method.
func contracts() []contract {
	return slices.Concat(peopleContracts(), reassignContracts(), groupContracts(), folderContracts(),
		moveContracts(), roomContracts(), auditContracts())
}

// ---------------------------------------------------------------------------------------------------------
// Test environment

// env is one test's simulator (demo portal unless told otherwise, behind the OpenAPI validator) and a client
// acting as the demo's service account.
type env struct {
	t  *testing.T
	ts *docspacetest.TestServer
	// clock drives the simulator when the check asked for a manual clock; nil otherwise.
	clock *docspacetest.ManualClock
	guard *keyGuard
	// c uses TestServer.AdminKey: the service account, a DocSpace admin who is not the owner.
	c *docspace.Client
}

type envConfig struct {
	manualClock bool
	unvalidated bool
	fixture     []byte
	sim         docspacetest.Options
	clientMods  []func(*docspace.Options)
}

// envOption tailors an env.
type envOption func(*envConfig)

// withManualClock drives the simulator with a ManualClock starting at demoNow.
func withManualClock() envOption { return func(c *envConfig) { c.manualClock = true } }

// withSim adjusts the simulator's options.
func withSim(f func(*docspacetest.Options)) envOption { return func(c *envConfig) { f(&c.sim) } }

// withoutValidation serves the simulator without the OpenAPI validator (TestServer.Spec is nil): for load
// tests, where the validator would cost more than everything else and the contract tests already check
// every exchange.
func withoutValidation() envOption { return func(c *envConfig) { c.unvalidated = true } }

// withEmptyPortal starts a portal with only an owner and an admin.
func withEmptyPortal() envOption { return func(c *envConfig) { c.fixture = []byte{} } }

// withClient adjusts the options of env.c.
func withClient(f func(*docspace.Options)) envOption {
	return func(c *envConfig) { c.clientMods = append(c.clientMods, f) }
}

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	cfg := envConfig{sim: docspacetest.Options{
		FileOperationDuration: 40 * time.Millisecond,
		ReassignDuration:      80 * time.Millisecond,
	}}
	for _, o := range opts {
		o(&cfg)
	}
	e := &env{t: t, guard: &keyGuard{}}
	if cfg.manualClock {
		e.clock = docspacetest.NewManualClock(demoNow())
		cfg.sim.Now = e.clock.Now
		cfg.sim.FileOperationDuration, cfg.sim.ReassignDuration = 0, 0 // the defaults: 1 s and 2 s
	}
	start := []docspacetest.StartOption{docspacetest.WithOptions(cfg.sim)}
	if cfg.fixture != nil {
		start = append(start, docspacetest.WithFixture(cfg.fixture))
	}
	if cfg.unvalidated {
		start = append(start, docspacetest.WithoutValidation())
	}
	e.ts = docspacetest.Start(t, start...)
	t.Cleanup(func() { e.guard.verify(t) })
	e.c = e.client(e.ts.AdminKey, cfg.clientMods...)
	return e
}

// client returns a client using key, logging at Debug into the key guard, with short retry delays.
func (e *env) client(key string, mods ...func(*docspace.Options)) *docspace.Client {
	e.t.Helper()
	o := docspace.Options{
		BaseURL: e.ts.URL,
		APIKey:  docspace.NewSecret(key),
		Timeout: 5 * time.Second,
		Retry:   docspace.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond},
		Logger:  slog.New(slog.NewTextHandler(e.guard, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, m := range mods {
		m(&o)
	}
	c, err := docspace.New(o)
	if err != nil {
		e.t.Fatalf("docspace.New: %v", err)
	}
	e.t.Cleanup(c.CloseIdleConnections)
	e.guard.addKey(key)
	e.guard.note(o, c)
	return c
}

// clientFor returns a client acting as userID, with a new full-access key.
func (e *env) clientFor(userID string) *docspace.Client {
	e.t.Helper()
	return e.client(docspacetest.Must(e.ts.AddKey(userID))(e.t))
}

// ok fails the test at once on err, and hands the results to the key guard.
func (e *env) ok(err error, results ...any) {
	e.t.Helper()
	e.guard.note(append(results, err)...)
	if err != nil {
		e.t.Fatalf("unexpected error: %v", err)
	}
}

// fails checks that err matches every target, and returns it as an *APIError when it is one.
func (e *env) fails(err error, targets ...error) *docspace.APIError {
	e.t.Helper()
	e.guard.note(err)
	if err == nil {
		e.t.Fatalf("got no error, want one matching %v", targets)
	}
	for _, target := range targets {
		if !errors.Is(err, target) {
			e.t.Errorf("got error %q (%T), want one matching %v", err, err, target)
		}
	}
	var apiErr *docspace.APIError
	if errors.As(err, &apiErr) {
		return apiErr
	}
	return nil
}

// wantAPIError checks the identifying fields of an *APIError.
func (e *env) wantAPIError(err error, op string, status int, message string) *docspace.APIError {
	e.t.Helper()
	var apiErr *docspace.APIError
	if !errors.As(err, &apiErr) {
		e.t.Fatalf("got %v (%T), want a *docspace.APIError", err, err)
	}
	if apiErr.Op != op || apiErr.Status != status {
		e.t.Errorf("got error of %s with status %d, want %s with %d", apiErr.Op, apiErr.Status, op, status)
	}
	if message != "" && apiErr.Message != message {
		e.t.Errorf("got message %q, want %q", apiErr.Message, message)
	}
	return apiErr
}

// entry returns a simulator entry that must exist.
func (e *env) entry(id int) docspacetest.Entry {
	e.t.Helper()
	en, ok := e.ts.Entry(id)
	if !ok {
		e.t.Fatalf("entry %d does not exist in the simulator", id)
	}
	return en
}

// user returns a simulator user that must exist.
func (e *env) user(id string) docspacetest.User {
	e.t.Helper()
	u, ok := e.ts.User(id)
	if !ok {
		e.t.Fatalf("user %s does not exist in the simulator", id)
	}
	return u
}

// settle makes the simulator's records complete, so that tests read them after it: a client can get its
// response before the simulator has recorded the exchange. It shuts the HTTP server down, which waits for
// every handler still serving a connection, then waits until the simulator has recorded at least as many
// calls as the env's clients logged attempts (a handler that dropped its connection is no longer waited
// for). No request can be sent afterwards.
func (e *env) settle() {
	e.t.Helper()
	e.ts.HTTP.Close()
	waitFor(e.t, "the simulator to record every attempt", func() bool { return len(e.ts.Calls()) >= e.guard.attempts() })
}

// wantHandled settles and checks how many times a write reached DocSpace's handler.
func (e *env) wantHandled(op string, want int) {
	e.t.Helper()
	e.settle()
	if got := e.ts.MutationCount(op); got != want {
		e.t.Errorf("%s reached the handler %d times, want %d", op, got, want)
	}
}

// wantSent settles and checks how many requests went to an operation.
func (e *env) wantSent(op string, want int) {
	e.t.Helper()
	e.settle()
	if got := len(e.ts.CallsTo(op)); got != want {
		e.t.Errorf("sent %d requests to %s, want %d", got, op, want)
	}
}

// terminate disables users through the client, as the offboarding service does.
func (e *env) terminate(ids ...string) {
	e.t.Helper()
	users, err := e.c.SetUserStatus(e.t.Context(), docspace.UserStatusTerminated, ids...)
	e.ok(err, users)
}

// fastPoll polls every millisecond or two; with a manual clock it also advances the clock by step on every
// poll, so that jobs progress without sleeping.
func (e *env) fastPoll(step time.Duration) docspace.PollOptions {
	o := docspace.PollOptions{MinInterval: time.Millisecond, MaxInterval: 2 * time.Millisecond}
	if e.clock != nil {
		o.OnPoll = func(int) { e.clock.Advance(step) }
	}
	return o
}

// advance moves the manual clock.
func (e *env) advance(d time.Duration) {
	e.t.Helper()
	if e.clock == nil {
		e.t.Fatal("advance needs withManualClock")
	}
	e.clock.Advance(d)
}

// keyGuard collects the client's log output and the formatted values and errors the tests saw, and fails the
// test at cleanup if any of them contains an API key.
type keyGuard struct {
	mu     sync.Mutex
	keys   []string
	log    bytes.Buffer
	values []string
}

// Write receives the client's slog output.
func (g *keyGuard) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.log.Write(p)
}

func (g *keyGuard) addKey(key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.keys = append(g.keys, key)
}

// note formats values with %v, %+v and %#v (and errors with Error) for the final scan.
func (g *keyGuard) note(values ...any) {
	var out []string
	for _, v := range values {
		if v == nil {
			continue
		}
		out = append(out, fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v))
		if err, ok := v.(error); ok && err != nil {
			out = append(out, err.Error())
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.values = append(g.values, out...)
}

// verify fails t for every leak.
func (g *keyGuard) verify(t *testing.T) {
	t.Helper()
	for _, leak := range g.leaks() {
		t.Error(leak)
	}
}

// leaks describes every text that contains a key, or its 64 hex digits.
func (g *keyGuard) leaks() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	texts := append([]string{g.log.String()}, g.values...)
	var out []string
	for _, key := range g.keys {
		secret := strings.TrimPrefix(key, "sk-")
		for i, s := range texts {
			if strings.Contains(s, secret) {
				what := "a formatted value or error"
				if i == 0 {
					what = "the client's log"
				}
				at := strings.Index(s, secret)
				excerpt := strings.ReplaceAll(s[max(0, at-120):min(len(s), at+len(secret)+60)], secret, "<KEY>")
				out = append(out, fmt.Sprintf("%s contains the API key: …%q…", what, excerpt))
			}
		}
	}
	return out
}

// logged reports whether the client has logged a line containing s.
func (g *keyGuard) logged(s string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return strings.Contains(g.log.String(), s)
}

// attempts counts the requests the clients logged as sent (one Debug line per attempt).
func (g *keyGuard) attempts() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return strings.Count(g.log.String(), `msg="docspace request"`)
}

// logLines returns the client log lines captured so far.
func (g *keyGuard) logLines() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return strings.Split(strings.TrimSpace(g.log.String()), "\n")
}

// ---------------------------------------------------------------------------------------------------------
// People

func peopleContracts() []contract {
	return []contract{
		{method: "Self", ops: []string{"getSelfProfile"}, checks: []check{
			{name: "the key's owner", run: func(t *testing.T, e *env) {
				u, err := e.c.Self(t.Context())
				e.ok(err, u)
				sim := e.user(serviceID)
				got := []any{u.ID, u.DisplayName, u.Email, u.UserName, u.Status, u.Type(), u.IsAdmin, u.IsOwner}
				want := []any{sim.ID, sim.DisplayName(), sim.Email, sim.UserName, docspace.UserStatusActive,
					docspace.EmployeeTypeDocSpaceAdmin, true, false}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("Self (-want +got):\n%s", diff)
				}
			}},
			{name: "an unknown key is unauthorized, not retried", run: func(t *testing.T, e *env) {
				c := e.client("sk-" + strings.Repeat("0123456789abcdef", 4))
				_, err := c.Self(t.Context())
				e.fails(err, docspace.ErrUnauthorized)
				e.wantAPIError(err, "getSelfProfile", 401, "")
				if docspace.IsRetryable(err) {
					t.Errorf("IsRetryable(%v) = true, want false", err)
				}
				e.wantSent("getSelfProfile", 1)
			}},
			{name: "the key of a disabled user is unauthorized", run: func(t *testing.T, e *env) {
				jane := e.clientFor(janeID)
				u, err := jane.Self(t.Context())
				e.ok(err, u)
				e.terminate(janeID)
				_, err = jane.Self(t.Context())
				e.fails(err, docspace.ErrUnauthorized)
			}},
		}},
		{method: "User", ops: []string{"getProfileByUserId"}, checks: []check{
			{name: "Jane by id", run: func(t *testing.T, e *env) {
				u, err := e.c.User(t.Context(), janeID)
				e.ok(err, u)
				sim := e.user(janeID)
				var groups []string
				for _, g := range u.Groups {
					groups = append(groups, g.ID)
				}
				slices.Sort(groups)
				got := []any{u.ID, u.FirstName, u.LastName, u.DisplayName, u.UserName, u.Email, u.Department,
					u.Status, u.Type(), u.IsOwner, u.IsAdmin, groups, u.Terminated.IsZero(),
					u.RegistrationDate.Equal(sim.RegistrationDate)}
				want := []any{janeID, "Jane", "Roe", "Jane Roe", "jane", "jane.roe@acme.example", "Engineering",
					docspace.UserStatusActive, docspace.EmployeeTypeUser, false, false,
					[]string{engGroupID, allGroupID}, true, true}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("User (-want +got):\n%s", diff)
				}
			}},
			{name: "by user name", run: func(t *testing.T, e *env) {
				u, err := e.c.User(t.Context(), "jane")
				e.ok(err, u)
				if u.ID != janeID {
					t.Errorf("got user %s, want %s", u.ID, janeID)
				}
			}},
			{name: "a disabled user is returned, without a terminated date", run: func(t *testing.T, e *env) {
				e.terminate(janeID)
				u, err := e.c.User(t.Context(), janeID)
				e.ok(err, u)
				if u.Status != docspace.UserStatusTerminated || !u.Terminated.IsZero() {
					t.Errorf("got status %s, terminated %v; want Terminated and no date", u.Status, u.Terminated)
				}
			}},
			{name: "unknown is ErrNotFound, not retried", run: func(t *testing.T, e *env) {
				_, err := e.c.User(t.Context(), unknownID)
				e.fails(err, docspace.ErrNotFound)
				e.wantAPIError(err, "getProfileByUserId", 404, "The user could not be found")
				e.wantSent("getProfileByUserId", 1)
			}},
			{name: "a guest may not read others: ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.clientFor(emmaID).User(t.Context(), janeID)
				e.fails(err, docspace.ErrForbidden)
				e.wantAPIError(err, "getProfileByUserId", 403, "Access denied")
			}},
			{name: "an empty id is refused", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.User(t.Context(), " ")
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "UserByEmail", ops: []string{"getProfileByEmail"}, checks: []check{
			{name: "Jane, spaces trimmed", run: func(t *testing.T, e *env) {
				u, err := e.c.UserByEmail(t.Context(), "  jane.roe@acme.example ")
				e.ok(err, u)
				if u.ID != janeID || u.Email != "jane.roe@acme.example" {
					t.Errorf("got %s <%s>, want %s <jane.roe@acme.example>", u.ID, u.Email, janeID)
				}
			}},
			{name: "unknown is ErrNotFound", run: func(t *testing.T, e *env) {
				_, err := e.c.UserByEmail(t.Context(), "nobody@acme.example")
				e.fails(err, docspace.ErrNotFound)
				e.wantAPIError(err, "getProfileByEmail", 404, "The user could not be found")
			}},
			{name: "an empty address is refused", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.UserByEmail(t.Context(), "  ")
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "SetUserStatus", ops: []string{"updateUserStatus"}, checks: []check{
			{name: "terminate ends the sessions", run: func(t *testing.T, e *env) {
				docspacetest.Must(e.ts.AddLoginEvent(docspacetest.LoginEventSpec{UserID: janeID}))(t)
				users, err := e.c.SetUserStatus(t.Context(), docspace.UserStatusTerminated, janeID)
				e.ok(err, users)
				if len(users) != 1 || users[0].ID != janeID || users[0].Status != docspace.UserStatusTerminated {
					t.Errorf("got %v, want Jane Terminated", users)
				}
				if got := e.user(janeID).Status; got != docspacetest.StatusTerminated {
					t.Errorf("the simulator shows Jane %v, want Terminated", got)
				}
				for _, l := range e.ts.LoginEvents(janeID) {
					if l.Active {
						t.Errorf("login %d of Jane is still active", l.ID)
					}
				}
				if n := len(e.ts.AuditEvents(docspacetest.AuditQuery{Action: docspacetest.ActionUsersUpdatedStatus,
					Target: janeID, Since: e.user(janeID).RegistrationDate})); n != 1 {
					t.Errorf("got %d UsersUpdatedStatus events for Jane, want 1", n)
				}
			}},
			{name: "a repeat returns the same state, and Active re-enables", run: func(t *testing.T, e *env) {
				e.terminate(janeID, noahID)
				users, err := e.c.SetUserStatus(t.Context(), docspace.UserStatusTerminated, janeID, noahID)
				e.ok(err, users)
				if len(users) != 2 || users[0].Status != docspace.UserStatusTerminated || users[1].Status != docspace.UserStatusTerminated {
					t.Errorf("repeat: got %v, want both Terminated", users)
				}
				users, err = e.c.SetUserStatus(t.Context(), docspace.UserStatusActive, janeID)
				e.ok(err, users)
				if got := e.user(janeID).Status; len(users) != 1 || users[0].Status != docspace.UserStatusActive || got != docspacetest.StatusActive {
					t.Errorf("re-enable: got %v and simulator %v, want Active", users, got)
				}
			}},
			{name: "a batch naming the owner is ErrForbidden and changes nothing", run: func(t *testing.T, e *env) {
				_, err := e.c.SetUserStatus(t.Context(), docspace.UserStatusTerminated, janeID, ownerID)
				e.fails(err, docspace.ErrForbidden)
				e.wantAPIError(err, "updateUserStatus", 403, "Access denied")
				if got := e.user(janeID).Status; got != docspacetest.StatusActive {
					t.Errorf("Jane is %v, want still Active", got)
				}
				e.wantHandled("updateUserStatus", 1)
			}},
			{name: "an unknown id is ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.c.SetUserStatus(t.Context(), docspace.UserStatusTerminated, unknownID)
				e.fails(err, docspace.ErrForbidden)
			}},
			{name: "a caller without user rights is ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.clientFor(mariaID).SetUserStatus(t.Context(), docspace.UserStatusTerminated, janeID)
				e.fails(err, docspace.ErrForbidden)
			}},
			{name: "Pending cannot be set", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.SetUserStatus(t.Context(), docspace.UserStatusPending, janeID)
				e.fails(err, docspace.ErrInvalidArgument)
			}},
			{name: "ids must be GUIDs", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.SetUserStatus(t.Context(), docspace.UserStatusTerminated, "jane")
				e.fails(err, docspace.ErrInvalidArgument)
				_, err = e.c.SetUserStatus(t.Context(), docspace.UserStatusTerminated)
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "LogoutAllSessions", ops: []string{"logOutAllActiveConnectionsForUser"}, checks: []check{
			{name: "ends the sessions, keys survive", run: func(t *testing.T, e *env) {
				jane := e.clientFor(janeID)
				docspacetest.Must(e.ts.AddLoginEvent(docspacetest.LoginEventSpec{UserID: janeID}))(t)
				before := e.user(janeID).CookieIndex
				e.ok(e.c.LogoutAllSessions(t.Context(), janeID))
				for _, l := range e.ts.LoginEvents(janeID) {
					if l.Active {
						t.Errorf("login %d of Jane is still active", l.ID)
					}
				}
				if after := e.user(janeID).CookieIndex; after <= before {
					t.Errorf("cookie index %d, want above %d", after, before)
				}
				if n := len(e.ts.AuditEvents(docspacetest.AuditQuery{
					Action: docspacetest.ActionUserLogoutActiveConnectionsForUser, Target: janeID, Since: demoNow().AddDate(0, 0, -1),
				})); n != 1 {
					t.Errorf("got %d logout events for Jane, want 1", n)
				}
				u, err := jane.Self(t.Context())
				e.ok(err, u)
			}},
			{name: "a repeat and an unknown user succeed", run: func(t *testing.T, e *env) {
				e.ok(e.c.LogoutAllSessions(t.Context(), janeID))
				e.ok(e.c.LogoutAllSessions(t.Context(), janeID))
				e.ok(e.c.LogoutAllSessions(t.Context(), unknownID))
			}},
			{name: "another user's sessions need an admin: ErrForbidden", run: func(t *testing.T, e *env) {
				err := e.clientFor(mariaID).LogoutAllSessions(t.Context(), janeID)
				e.fails(err, docspace.ErrForbidden)
			}},
			{name: "the id must be a GUID", offline: true, run: func(t *testing.T, e *env) {
				e.fails(e.c.LogoutAllSessions(t.Context(), "jane"), docspace.ErrInvalidArgument)
			}},
		}},
	}
}

// ---------------------------------------------------------------------------------------------------------
// Reassignment

func reassignContracts() []contract {
	jobID := "1_" + janeID + "_ReassignProgressItem"
	return []contract{
		{method: "ReassignNecessary", ops: []string{"necessaryReassign"}, checks: []check{
			{name: "a room owner needs it, a plain user does not", run: func(t *testing.T, e *env) {
				jane, err := e.c.ReassignNecessary(t.Context(), janeID, docspace.EmployeeTypeUser)
				e.ok(err, jane)
				maria, err := e.c.ReassignNecessary(t.Context(), mariaID, docspace.EmployeeTypeUser)
				e.ok(err, maria)
				if !jane || maria {
					t.Errorf("got Jane %v, Maria %v; want true (owns room %d), false", jane, maria, oldPitchRoom)
				}
			}},
			{name: "about a DocSpace admin, only the owner may ask: ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.c.ReassignNecessary(t.Context(), ownerID, docspace.EmployeeTypeDocSpaceAdmin)
				e.fails(err, docspace.ErrForbidden)
			}},
			{name: "the type must be a user type", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.ReassignNecessary(t.Context(), janeID, 0)
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "StartReassign", ops: []string{"startReassign"}, checks: []check{
			{name: "starts the job of a disabled user", env: []envOption{withManualClock()}, run: func(t *testing.T, e *env) {
				e.terminate(janeID)
				tp, err := e.c.StartReassign(t.Context(), janeID, keeperID, false)
				e.ok(err, tp)
				if tp.ID != jobID || tp.Status != docspace.TaskRunning || tp.IsCompleted {
					t.Errorf("got %+v, want job %s running", tp, jobID)
				}
				job, ok := e.ts.ReassignJob(janeID)
				if !ok || job.ToUserID != keeperID || job.DeleteProfile {
					t.Errorf("simulator job %+v (exists %v), want one to %s keeping the profile", job, ok, keeperID)
				}
			}},
			{name: "a running job is returned as is, its new arguments ignored", env: []envOption{withManualClock()}, run: func(t *testing.T, e *env) {
				e.terminate(janeID)
				first, err := e.c.StartReassign(t.Context(), janeID, keeperID, false)
				e.ok(err, first)
				second, err := e.c.StartReassign(t.Context(), janeID, johnID, true)
				e.ok(err, second)
				if second.ID != first.ID {
					t.Errorf("second start gave job %s, want %s", second.ID, first.ID)
				}
				if job, _ := e.ts.ReassignJob(janeID); job.ToUserID != keeperID || job.DeleteProfile {
					t.Errorf("the job now goes to %s (delete %v), want %s unchanged", job.ToUserID, job.DeleteProfile, keeperID)
				}
			}},
			{name: "an active source is ErrValidation, not repeated", run: func(t *testing.T, e *env) {
				_, err := e.c.StartReassign(t.Context(), janeID, keeperID, false)
				e.fails(err, docspace.ErrValidation)
				apiErr := e.wantAPIError(err, "startReassign", 400, "Can not reassign data from user with id = "+janeID)
				if apiErr.Validation != nil {
					t.Errorf("an ArgumentException carries no field errors, got %v", apiErr.Validation)
				}
				e.wantHandled("startReassign", 1)
				if _, ok := e.ts.ReassignJob(janeID); ok {
					t.Error("a job was started")
				}
			}},
			{name: "a plain user cannot receive data: ErrValidation", run: func(t *testing.T, e *env) {
				e.terminate(janeID)
				_, err := e.c.StartReassign(t.Context(), janeID, mariaID, false)
				e.fails(err, docspace.ErrValidation)
				e.wantAPIError(err, "startReassign", 400, "Can not reassign data to user with id = "+mariaID)
			}},
			{name: "ids must be GUIDs", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.StartReassign(t.Context(), "jane", keeperID, false)
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "ReassignProgress", ops: []string{"getReassignProgress"}, checks: []check{
			{name: "follows the job to completion", env: []envOption{withManualClock()}, run: func(t *testing.T, e *env) {
				e.terminate(janeID)
				_, err := e.c.StartReassign(t.Context(), janeID, keeperID, false)
				e.ok(err)
				e.advance(time.Second)
				mid, err := e.c.ReassignProgress(t.Context(), janeID)
				e.ok(err, mid)
				job, _ := e.ts.ReassignJob(janeID)
				if mid.ID != jobID || mid.Percentage != job.Percentage || mid.Percentage <= 0 || mid.Percentage >= 100 || mid.IsCompleted {
					t.Errorf("half way: got %+v, simulator at %d%%", mid, job.Percentage)
				}
				e.advance(2 * time.Second)
				end, err := e.c.ReassignProgress(t.Context(), janeID)
				e.ok(err, end)
				if diff := cmp.Diff(docspace.TaskProgress{ID: jobID, Percentage: 100, IsCompleted: true, Status: docspace.TaskCompleted}, *end); diff != "" {
					t.Errorf("done (-want +got):\n%s", diff)
				}
			}},
			{name: "no job is ErrNoRecord", run: func(t *testing.T, e *env) {
				_, err := e.c.ReassignProgress(t.Context(), janeID)
				e.fails(err, docspace.ErrNoRecord)
				if docspace.IsRetryable(err) {
					t.Error("ErrNoRecord must not be retryable")
				}
			}},
			{name: "the id must be a GUID", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.ReassignProgress(t.Context(), "")
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "TerminateReassign", ops: []string{"terminateReassign"}, checks: []check{
			{name: "cancels and removes the job", env: []envOption{withManualClock()}, run: func(t *testing.T, e *env) {
				e.terminate(janeID)
				_, err := e.c.StartReassign(t.Context(), janeID, keeperID, false)
				e.ok(err)
				tp, err := e.c.TerminateReassign(t.Context(), janeID)
				e.ok(err, tp)
				if tp.ID != jobID || tp.Status != docspace.TaskCanceled || !tp.IsCompleted {
					t.Errorf("got %+v, want job %s canceled", tp, jobID)
				}
				if job, ok := e.ts.ReassignJob(janeID); ok {
					t.Errorf("the simulator still has the job: %+v", job)
				}
			}},
			{name: "no job (or a repeat) is ErrNoRecord", run: func(t *testing.T, e *env) {
				_, err := e.c.TerminateReassign(t.Context(), janeID)
				e.fails(err, docspace.ErrNoRecord)
			}},
			{name: "the id must be a GUID", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.TerminateReassign(t.Context(), "jane")
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "WaitReassign", ops: []string{"getReassignProgress"}, checks: []check{
			{name: "sees completion and the effect", env: []envOption{withManualClock()}, run: func(t *testing.T, e *env) {
				e.terminate(janeID)
				_, err := e.c.StartReassign(t.Context(), janeID, keeperID, false)
				e.ok(err)
				var seen []int
				o := e.fastPoll(300 * time.Millisecond)
				o.OnProgress = func(p int) { seen = append(seen, p) }
				tp, err := e.c.WaitReassign(t.Context(), janeID, o)
				e.ok(err, tp)
				if tp.Status != docspace.TaskCompleted || tp.Percentage != 100 || !tp.IsCompleted {
					t.Errorf("got %+v, want completed", tp)
				}
				if len(seen) < 2 || !slices.IsSorted(seen) || seen[len(seen)-1] != 100 {
					t.Errorf("progress reported %v, want increasing up to 100", seen)
				}
				if owner := e.entry(oldPitchRoom).CreatedBy; owner != keeperID {
					t.Errorf("room %d is owned by %s, want %s", oldPitchRoom, owner, keeperID)
				}
			}},
			{name: "a record that expired unseen is ErrNoRecord", env: []envOption{withManualClock()}, run: func(t *testing.T, e *env) {
				e.terminate(janeID)
				_, err := e.c.StartReassign(t.Context(), janeID, keeperID, false)
				e.ok(err)
				e.advance(2*time.Second + 61*time.Second) // done after 2 s, kept 60 s after its last update
				_, err = e.c.WaitReassign(t.Context(), janeID, e.fastPoll(0))
				e.fails(err, docspace.ErrNoRecord)
			}},
			{name: "a record that vanished after being seen is ErrOutcomeUnknown", env: []envOption{withManualClock()}, run: func(t *testing.T, e *env) {
				e.terminate(janeID)
				_, err := e.c.StartReassign(t.Context(), janeID, keeperID, false)
				e.ok(err)
				o := e.fastPoll(0)
				o.OnPoll = func(int) { e.clock.Advance(65 * time.Second) } // the first look is the last
				_, err = e.c.WaitReassign(t.Context(), janeID, o)
				e.fails(err, docspace.ErrOutcomeUnknown)
				if errors.Is(err, docspace.ErrNoRecord) {
					t.Errorf("%v: a job seen running must not read as never started", err)
				}
			}},
			{name: "a failed job is ErrJobFailed with DocSpace's message", env: []envOption{withManualClock()}, run: func(t *testing.T, e *env) {
				// A People-module admin may start a job, but the job needs a DocSpace admin (reference §5.4).
				pa := docspacetest.Must(e.ts.AddUser(docspacetest.UserSpec{FirstName: "Paula", LastName: "People",
					Type: docspacetest.TypeUser, PeopleAdmin: true}))(t)
				c := e.clientFor(pa.ID)
				users, err := c.SetUserStatus(t.Context(), docspace.UserStatusTerminated, janeID)
				e.ok(err, users)
				_, err = c.StartReassign(t.Context(), janeID, keeperID, false)
				e.ok(err)
				_, err = c.WaitReassign(t.Context(), janeID, e.fastPoll(300*time.Millisecond))
				e.fails(err, docspace.ErrJobFailed)
				var je *docspace.JobError
				if !errors.As(err, &je) || je.Status != docspace.TaskFailed ||
					je.Message != "You don't have enough permission to perform the operation" {
					t.Errorf("got %#v, want a failed *JobError with DocSpace's message", je)
				}
			}},
			{name: "poll options are checked first", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.WaitReassign(t.Context(), janeID, docspace.PollOptions{MinInterval: time.Second, MaxInterval: time.Millisecond})
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
	}
}

// ---------------------------------------------------------------------------------------------------------
// Groups

func groupContracts() []contract {
	return []contract{
		{method: "UserGroups", ops: []string{"getGroupByUserId"}, checks: []check{
			{name: "Jane's groups", run: func(t *testing.T, e *env) {
				groups, err := e.c.UserGroups(t.Context(), janeID)
				e.ok(err, groups)
				slices.SortFunc(groups, func(a, b docspace.GroupSummary) int { return strings.Compare(a.ID, b.ID) })
				want := []docspace.GroupSummary{
					{ID: engGroupID, Name: "Engineering", Manager: "john"},
					{ID: allGroupID, Name: "All staff"},
				}
				if diff := cmp.Diff(want, groups); diff != "" {
					t.Errorf("UserGroups (-want +got):\n%s", diff)
				}
			}},
			{name: "an unknown user has none", run: func(t *testing.T, e *env) {
				groups, err := e.c.UserGroups(t.Context(), unknownID)
				e.ok(err, groups)
				if len(groups) != 0 {
					t.Errorf("got %v, want none", groups)
				}
			}},
			{name: "a guest may not list groups: ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.clientFor(emmaID).UserGroups(t.Context(), janeID)
				e.fails(err, docspace.ErrForbidden)
			}},
			{name: "the id must be a GUID", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.UserGroups(t.Context(), "jane")
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "Group", ops: []string{"getGroup"}, checks: []check{
			{name: "Engineering with its members", run: func(t *testing.T, e *env) {
				g, err := e.c.Group(t.Context(), engGroupID)
				e.ok(err, g)
				sim, _ := e.ts.Group(engGroupID)
				var members []string
				for _, m := range g.Members {
					members = append(members, m.ID)
				}
				slices.Sort(members)
				want := slices.Sorted(slices.Values(sim.Members))
				if g.ID != engGroupID || g.Name != "Engineering" || g.Manager == nil || g.Manager.ID != johnID {
					t.Errorf("got group %s %q managed by %+v, want Engineering managed by John", g.ID, g.Name, g.Manager)
				}
				if diff := cmp.Diff(want, members); diff != "" || g.MembersCount != len(want) {
					t.Errorf("members (count %d) (-want +got):\n%s", g.MembersCount, diff)
				}
			}},
			{name: "unknown is ErrNotFound", run: func(t *testing.T, e *env) {
				_, err := e.c.Group(t.Context(), unknownID)
				e.fails(err, docspace.ErrNotFound)
				e.wantAPIError(err, "getGroup", 404, "The group could not be found")
			}},
			{name: "a guest may not read groups: ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.clientFor(emmaID).Group(t.Context(), engGroupID)
				e.fails(err, docspace.ErrForbidden)
			}},
			{name: "the id must be a GUID", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.Group(t.Context(), "Engineering")
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "RemoveGroupMembers", ops: []string{"removeMembersFrom"}, checks: []check{
			{name: "removes Jane; a repeat and non-members are skipped", run: func(t *testing.T, e *env) {
				for range 2 {
					g, err := e.c.RemoveGroupMembers(t.Context(), engGroupID, janeID, mariaID)
					e.ok(err, g)
					for _, m := range g.Members {
						if m.ID == janeID {
							t.Error("the returned group still lists Jane")
						}
					}
					if g.MembersCount != 3 {
						t.Errorf("got %d members, want 3", g.MembersCount)
					}
				}
				sim, _ := e.ts.Group(engGroupID)
				if slices.Contains(sim.Members, janeID) || len(sim.Members) != 3 {
					t.Errorf("the simulator's group has %v, want 3 members without Jane", sim.Members)
				}
			}},
			{name: "unknown group is ErrNotFound", run: func(t *testing.T, e *env) {
				_, err := e.c.RemoveGroupMembers(t.Context(), unknownID, janeID)
				e.fails(err, docspace.ErrNotFound)
			}},
			{name: "a non-admin is ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.clientFor(mariaID).RemoveGroupMembers(t.Context(), engGroupID, janeID)
				e.fails(err, docspace.ErrForbidden)
			}},
			{name: "needs user ids", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.RemoveGroupMembers(t.Context(), engGroupID)
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
	}
}

// ---------------------------------------------------------------------------------------------------------
// Folders and files

func folderContracts() []contract {
	return []contract{
		{method: "Folder", ops: []string{"getFolderInfo"}, checks: []check{
			{name: "Jane's workspace inside a room", run: func(t *testing.T, e *env) {
				f, err := e.c.Folder(t.Context(), janeWorkspace)
				e.ok(err, f)
				sim := e.entry(janeWorkspace)
				got := []any{f.ID, f.Title, f.ParentID, f.RootFolderType, f.IsRoom(), f.ParentRoomType, f.CreatedBy.ID}
				want := []any{sim.ID, sim.Title, sim.ParentID, docspace.FolderTypeVirtualRooms, false,
					docspace.FolderTypeCustomRoom, janeID}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("Folder (-want +got):\n%s", diff)
				}
			}},
			{name: "a room is a folder with a room type", run: func(t *testing.T, e *env) {
				f, err := e.c.Folder(t.Context(), archiveRoom)
				e.ok(err, f)
				if !f.IsRoom() || f.RoomType != docspace.RoomTypeCustom || f.CreatedBy.ID != keeperID {
					t.Errorf("got %+v, want a Custom room owned by %s", f, keeperID)
				}
			}},
			{name: "another user's My documents is ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.c.Folder(t.Context(), janePrivate)
				e.fails(err, docspace.ErrForbidden)
				e.wantAPIError(err, "getFolderInfo", 403, "You don't have enough permission to view the folder content")
			}},
			{name: "unknown is ErrNotFound", run: func(t *testing.T, e *env) {
				_, err := e.c.Folder(t.Context(), missingEntry)
				e.fails(err, docspace.ErrNotFound)
				e.wantAPIError(err, "getFolderInfo", 404, "The required folder was not found")
			}},
			{name: "ids are positive", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.Folder(t.Context(), 0)
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "FolderContents", ops: []string{"getFolderByFolderId"}, checks: []check{
			{name: "the workspaces, all and paged", run: func(t *testing.T, e *env) {
				var want []int
				for _, c := range e.ts.Children(workspacesRoom) {
					want = append(want, c.ID)
				}
				all, err := e.c.FolderContents(t.Context(), workspacesRoom, docspace.ListQuery{})
				e.ok(err, all)
				listed := folderIDs(all)
				if got := slices.Sorted(slices.Values(listed)); !cmp.Equal(want, got) || all.Total != len(want) || all.Current.ID != workspacesRoom {
					t.Errorf("got folders %v (total %d, current %d), want %v", got, all.Total, all.Current.ID, want)
				}
				page, err := e.c.FolderContents(t.Context(), workspacesRoom, docspace.ListQuery{Count: 4, StartIndex: 6})
				e.ok(err, page)
				if got := folderIDs(page); len(listed) < 7 || !cmp.Equal(listed[6:min(10, len(listed))], got) ||
					page.Total != len(want) || page.StartIndex != 6 {
					t.Errorf("page from 6: got %v (total %d, start %d) of %v", got, page.Total, page.StartIndex, listed)
				}
			}},
			{name: "another user's My documents is ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.c.FolderContents(t.Context(), e.user(janeID).MyDocumentsID, docspace.ListQuery{})
				e.fails(err, docspace.ErrForbidden)
			}},
			{name: "unknown is ErrNotFound", run: func(t *testing.T, e *env) {
				_, err := e.c.FolderContents(t.Context(), missingEntry, docspace.ListQuery{})
				e.fails(err, docspace.ErrNotFound)
			}},
			{name: "pages hold at most 100", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.FolderContents(t.Context(), workspacesRoom, docspace.ListQuery{Count: 101})
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "MyDocuments", ops: []string{"getMyFolder"}, checks: []check{
			{name: "Jane's own", run: func(t *testing.T, e *env) {
				got, err := e.clientFor(janeID).MyDocuments(t.Context(), docspace.ListQuery{})
				e.ok(err, got)
				my := e.user(janeID).MyDocumentsID
				var files []int
				for _, f := range got.Files {
					files = append(files, f.ID)
				}
				slices.Sort(files)
				if got.Current.ID != my || got.Current.RootFolderType != docspace.FolderTypeUser ||
					!cmp.Equal([]int{janeShared, janePrivate}, slices.Sorted(slices.Values(folderIDs(got)))) ||
					!cmp.Equal([]int{janeTodo, janeHandover}, files) {
					t.Errorf("got current %d (root type %v), folders %v, files %v", got.Current.ID, got.Current.RootFolderType, folderIDs(got), files)
				}
			}},
			{name: "paged", run: func(t *testing.T, e *env) {
				jane := e.clientFor(janeID)
				all, err := jane.MyDocuments(t.Context(), docspace.ListQuery{})
				e.ok(err, all)
				page, err := jane.MyDocuments(t.Context(), docspace.ListQuery{Count: 1, StartIndex: 1})
				e.ok(err, page)
				if all.Total != 4 || page.Total != 4 || len(page.Folders)+len(page.Files) != 1 || page.StartIndex != 1 {
					t.Errorf("got totals %d and %d, a page of %d from %d; want 4 entries, a page of 1 from 1",
						all.Total, page.Total, len(page.Folders)+len(page.Files), page.StartIndex)
				}
			}},
			{name: "negative start is refused", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.MyDocuments(t.Context(), docspace.ListQuery{StartIndex: -1})
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "File", ops: []string{"getFileInfo"}, checks: []check{
			{name: "Jane's notes", run: func(t *testing.T, e *env) {
				f, err := e.c.File(t.Context(), janeNotes)
				e.ok(err, f)
				sim := e.entry(janeNotes)
				got := []any{f.ID, f.Title, f.FolderID, f.Version, f.FileExst, f.PureContentLength, f.CreatedBy.ID}
				want := []any{sim.ID, sim.Title, sim.ParentID, sim.Version(), sim.Ext(), int64(len(sim.Content())), janeID}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("File (-want +got):\n%s", diff)
				}
			}},
			{name: "another user's personal file is ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.c.File(t.Context(), janeTodo)
				e.fails(err, docspace.ErrForbidden)
			}},
			{name: "unknown is ErrNotFound", run: func(t *testing.T, e *env) {
				_, err := e.c.File(t.Context(), missingEntry)
				e.fails(err, docspace.ErrNotFound)
			}},
			{name: "ids are positive", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.File(t.Context(), -3)
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "CreateFolder", ops: []string{"createFolder"}, checks: []check{
			{name: "creates, and a repeat creates another", run: func(t *testing.T, e *env) {
				var ids []int
				for range 2 {
					f, err := e.c.CreateFolder(t.Context(), janeWorkspace, "Handover")
					e.ok(err, f)
					sim := e.entry(f.ID)
					if f.Title != "Handover" || f.ParentID != janeWorkspace || sim.ParentID != janeWorkspace ||
						sim.Title != "Handover" || sim.CreatedBy != serviceID {
						t.Errorf("got %+v, simulator %+v", f, sim)
					}
					ids = append(ids, f.ID)
				}
				if ids[0] == ids[1] {
					t.Errorf("both calls returned folder %d, want two folders", ids[0])
				}
			}},
			{name: "a missing parent is ErrForbidden, not repeated", run: func(t *testing.T, e *env) {
				_, err := e.c.CreateFolder(t.Context(), missingEntry, "Handover")
				e.fails(err, docspace.ErrForbidden)
				e.wantAPIError(err, "createFolder", 403, "The required folder was not found")
				e.wantHandled("createFolder", 1)
			}},
			{name: "an archived room refuses: ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.clientFor(ownerID).CreateFolder(t.Context(), oldPitchRoom, "Late")
				e.fails(err, docspace.ErrForbidden)
				e.wantAPIError(err, "createFolder", 403, "You cannot edit archived rooms")
			}},
			{name: "titles over 165 characters (UTF-16 units) are refused", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.CreateFolder(t.Context(), janeWorkspace, strings.Repeat("x", 166))
				e.fails(err, docspace.ErrInvalidArgument)
				_, err = e.c.CreateFolder(t.Context(), janeWorkspace, strings.Repeat("📁", 83))
				e.fails(err, docspace.ErrInvalidArgument)
				_, err = e.c.CreateFolder(t.Context(), janeWorkspace, " ")
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "Upload", ops: []string{"insertFile"}, checks: []check{
			{name: "creates the file with its content, then versions it", run: func(t *testing.T, e *env) {
				first := []byte("employee,step\njane,disabled\n")
				f, err := e.c.Upload(t.Context(), janeWorkspace, "report.csv", first, false)
				e.ok(err, f)
				sim := e.entry(f.ID)
				if f.Title != "report.csv" || f.FolderID != janeWorkspace || f.Version != 1 || sim.ParentID != janeWorkspace ||
					!bytes.Equal(sim.Content(), first) || sim.CreatedBy != serviceID {
					t.Errorf("got %+v; simulator has %q in %d by %s", f, sim.Content(), sim.ParentID, sim.CreatedBy)
				}
				second := []byte("employee,step\njane,archived\n")
				again, err := e.c.Upload(t.Context(), janeWorkspace, "report.csv", second, false)
				e.ok(err, again)
				if sim := e.entry(f.ID); again.ID != f.ID || again.Version != 2 || !bytes.Equal(sim.Content(), second) {
					t.Errorf("repeat: got file %d version %d with %q, want a new version of %d", again.ID, again.Version, sim.Content(), f.ID)
				}
				if n := len(e.ts.AuditEvents(docspacetest.AuditQuery{Action: docspacetest.ActionFileUploaded,
					Target: strconv.Itoa(f.ID)})); n != 1 {
					t.Errorf("got %d FileUploaded events, want 1", n)
				}
			}},
			{name: "createNewIfExist keeps both", run: func(t *testing.T, e *env) {
				a, err := e.c.Upload(t.Context(), janeWorkspace, "report.csv", []byte("a"), true)
				e.ok(err, a)
				b, err := e.c.Upload(t.Context(), janeWorkspace, "report.csv", []byte("b"), true)
				e.ok(err, b)
				if a.ID == b.ID || b.Title != "report (1).csv" || !bytes.Equal(e.entry(b.ID).Content(), []byte("b")) {
					t.Errorf("got %d %q and %d %q, want a second file report (1).csv", a.ID, a.Title, b.ID, b.Title)
				}
			}},
			{name: "a missing folder is ErrNotFound, not repeated", run: func(t *testing.T, e *env) {
				_, err := e.c.Upload(t.Context(), missingEntry, "report.csv", []byte("x"), false)
				e.fails(err, docspace.ErrNotFound)
				e.wantHandled("insertFile", 1)
			}},
			{name: "no create right is ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.clientFor(mariaID).Upload(t.Context(), marketingRoom, "report.csv", []byte("x"), false)
				e.fails(err, docspace.ErrForbidden)
				e.wantAPIError(err, "insertFile", 403, "Access denied")
			}},
			{name: "needs a title", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.Upload(t.Context(), janeWorkspace, "", []byte("x"), false)
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
	}
}

func folderIDs(fc *docspace.FolderContents) []int {
	var ids []int
	for _, f := range fc.Folders {
		ids = append(ids, f.ID)
	}
	return ids
}

// ---------------------------------------------------------------------------------------------------------
// Moves and file operations

func moveContracts() []contract {
	return []contract{
		{method: "Move", ops: []string{"moveBatchItems"}, checks: []check{
			{name: "queues a move that lands in the destination", run: func(t *testing.T, e *env) {
				op, err := e.c.Move(t.Context(), docspace.MoveRequest{FolderIDs: []int{janeWorkspace}, DestFolderID: archiveRoom})
				e.ok(err, op)
				if op.ID == "" || op.Operation != docspace.OperationMove || op.Finished {
					t.Errorf("got %+v, want a queued move", op)
				}
				done, err := e.c.WaitOperation(t.Context(), op.ID, e.fastPoll(0))
				e.ok(err, done)
				if len(done.Folders) != 1 || done.Folders[0].ID != janeWorkspace || done.Folders[0].ParentID != archiveRoom {
					t.Errorf("final state lists %+v, want folder %d in %d", done.Folders, janeWorkspace, archiveRoom)
				}
				if got := e.entry(janeWorkspace).ParentID; got != archiveRoom {
					t.Errorf("the simulator has folder %d in %d, want %d", janeWorkspace, got, archiveRoom)
				}
				if n := len(e.ts.AuditEvents(docspacetest.AuditQuery{Action: docspacetest.ActionFolderMoved,
					Target: strconv.Itoa(janeWorkspace)})); n != 1 {
					t.Errorf("got %d FolderMoved events, want 1", n)
				}
			}},
			{name: "a folder already there completes as a no-op", run: func(t *testing.T, e *env) {
				op, err := e.c.Move(t.Context(), docspace.MoveRequest{FolderIDs: []int{janeDrafts}, DestFolderID: janeWorkspace})
				e.ok(err, op)
				done, err := e.c.WaitOperation(t.Context(), op.ID, e.fastPoll(0))
				e.ok(err, done)
				if len(done.Folders) != 0 || e.entry(janeDrafts).ParentID != janeWorkspace {
					t.Errorf("got %+v, want nothing moved", done)
				}
			}},
			{name: "a missing destination is ErrNotFound", run: func(t *testing.T, e *env) {
				_, err := e.c.Move(t.Context(), docspace.MoveRequest{FolderIDs: []int{janeWorkspace}, DestFolderID: missingEntry})
				e.fails(err, docspace.ErrNotFound)
			}},
			{name: "an admin may not move another user's My documents: ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.c.Move(t.Context(), docspace.MoveRequest{FolderIDs: []int{janeShared}, DestFolderID: archiveRoom})
				e.fails(err, docspace.ErrForbidden)
				if got := e.entry(janeShared).ParentID; got != e.user(janeID).MyDocumentsID {
					t.Errorf("folder %d moved to %d", janeShared, got)
				}
			}},
			{name: "a missing first source is a 500 that is not repeated", run: func(t *testing.T, e *env) {
				_, err := e.c.Move(t.Context(), docspace.MoveRequest{FolderIDs: []int{missingEntry}, DestFolderID: archiveRoom})
				e.fails(err, docspace.ErrServer)
				e.wantHandled("moveBatchItems", 1)
			}},
			{name: "needs something to move", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.Move(t.Context(), docspace.MoveRequest{DestFolderID: archiveRoom})
				e.fails(err, docspace.ErrInvalidArgument)
				_, err = e.c.Move(t.Context(), docspace.MoveRequest{FileIDs: []int{janeNotes}})
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "Operation", ops: []string{"getOperationStatuses"}, checks: []check{
			{name: "reports progress, then the final state once", env: []envOption{withManualClock()}, run: func(t *testing.T, e *env) {
				op, err := e.c.Move(t.Context(), docspace.MoveRequest{FileIDs: []int{janeNotes}, DestFolderID: archiveRoom})
				e.ok(err, op)
				queued, err := e.c.Operation(t.Context(), op.ID)
				e.ok(err, queued)
				if queued.ID != op.ID || queued.Finished || queued.Progress != 0 {
					t.Errorf("before the clock moves: got %+v, want not started", queued)
				}
				e.advance(2 * time.Second)
				final, err := e.c.Operation(t.Context(), op.ID)
				e.ok(err, final)
				if !final.Finished || final.Progress != 100 || final.Status != docspace.TaskCompleted || final.Error != "" ||
					len(final.Files) != 1 || final.Files[0].FolderID != archiveRoom {
					t.Errorf("after it ran: got %+v, want finished with file %d in %d", final, janeNotes, archiveRoom)
				}
				_, err = e.c.Operation(t.Context(), op.ID)
				e.fails(err, docspace.ErrNoRecord)
			}},
			{name: "an unknown id is ErrNoRecord", run: func(t *testing.T, e *env) {
				_, err := e.c.Operation(t.Context(), unknownID)
				e.fails(err, docspace.ErrNoRecord)
			}},
			{name: "needs an id", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.Operation(t.Context(), "")
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "WaitOperation", ops: []string{"getOperationStatuses"}, checks: []check{
			{name: "returns the final state", env: []envOption{withManualClock()}, run: func(t *testing.T, e *env) {
				op, err := e.c.Move(t.Context(), docspace.MoveRequest{FolderIDs: []int{janeWorkspace}, DestFolderID: archiveRoom})
				e.ok(err, op)
				var polls int
				o := e.fastPoll(250 * time.Millisecond)
				o.OnPoll = func(int) { polls++; e.clock.Advance(250 * time.Millisecond) }
				done, err := e.c.WaitOperation(t.Context(), op.ID, o)
				e.ok(err, done)
				if !done.Finished || done.Status != docspace.TaskCompleted || polls < 2 {
					t.Errorf("got %+v after %d polls", done, polls)
				}
			}},
			{name: "an item failure is an *OperationError holding the operation", env: []envOption{withManualClock()}, run: func(t *testing.T, e *env) {
				// The destination of the first move disappears (merged by a second move) before it runs.
				target := docspacetest.Must(e.ts.AddFolder(archiveRoom, "Target", serviceID))(t)
				sub := docspacetest.Must(e.ts.AddFolder(archiveRoom, "Sub", serviceID))(t)
				docspacetest.Must(e.ts.AddFolder(sub.ID, "Target", serviceID))(t)
				merge, err := e.c.Move(t.Context(), docspace.MoveRequest{FolderIDs: []int{target.ID}, DestFolderID: sub.ID})
				e.ok(err, merge)
				e.advance(500 * time.Millisecond)
				op, err := e.c.Move(t.Context(), docspace.MoveRequest{FileIDs: []int{janeNotes}, DestFolderID: target.ID})
				e.ok(err, op)
				_, err = e.c.WaitOperation(t.Context(), op.ID, e.fastPoll(250*time.Millisecond))
				e.fails(err, docspace.ErrOperationFailed)
				var oe *docspace.OperationError
				if !errors.As(err, &oe) || oe.Message != "The required folder was not found" || oe.Operation == nil ||
					oe.Operation.ID != op.ID || !oe.Operation.Finished {
					t.Errorf("got %#v, want the operation and DocSpace's error text", oe)
				}
				if got := e.entry(janeNotes).ParentID; got != janeWorkspace {
					t.Errorf("file %d moved to %d", janeNotes, got)
				}
			}},
			{name: "a result read by someone else first is ErrOutcomeUnknown", env: []envOption{withManualClock()}, run: func(t *testing.T, e *env) {
				op, err := e.c.Move(t.Context(), docspace.MoveRequest{FolderIDs: []int{janeWorkspace}, DestFolderID: archiveRoom})
				e.ok(err, op)
				e.advance(2 * time.Second)
				final, err := e.c.Operation(t.Context(), op.ID)
				e.ok(err, final)
				_, err = e.c.WaitOperation(t.Context(), op.ID, e.fastPoll(0))
				e.fails(err, docspace.ErrOutcomeUnknown)
			}},
			{name: "needs an id", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.WaitOperation(t.Context(), " ", docspace.PollOptions{})
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
	}
}

// ---------------------------------------------------------------------------------------------------------
// Rooms and sharing

func roomContracts() []contract {
	return []contract{
		{method: "Rooms", ops: []string{"getRoomsFolder"}, checks: []check{
			{name: "active rooms, paged", run: func(t *testing.T, e *env) {
				var want []int
				for _, r := range e.ts.Children(e.ts.RoomsFolderID()) {
					want = append(want, r.ID)
				}
				slices.Sort(want)
				all, err := e.c.Rooms(t.Context(), docspace.RoomQuery{})
				e.ok(err, all)
				got := slices.Sorted(slices.Values(folderIDs(all)))
				if !cmp.Equal(want, got) || all.Total != len(want) {
					t.Errorf("got rooms %v (total %d), want %v", got, all.Total, want)
				}
				page, err := e.c.Rooms(t.Context(), docspace.RoomQuery{Count: 2, StartIndex: 2})
				e.ok(err, page)
				if len(page.Folders) != 2 || page.Total != len(want) || page.StartIndex != 2 {
					t.Errorf("page from 2: got %v (total %d, start %d)", folderIDs(page), page.Total, page.StartIndex)
				}
			}},
			{name: "archived rooms Jane owns", run: func(t *testing.T, e *env) {
				got, err := e.c.Rooms(t.Context(), docspace.RoomQuery{SubjectID: janeID,
					SubjectFilter: docspace.SubjectFilterOwner, SearchArea: docspace.SearchArchive})
				e.ok(err, got)
				if ids := folderIDs(got); !cmp.Equal([]int{oldPitchRoom}, ids) || !got.Folders[0].IsArchived() {
					t.Errorf("got %v, want [%d] archived", ids, oldPitchRoom)
				}
			}},
			{name: "by title", run: func(t *testing.T, e *env) {
				got, err := e.c.Rooms(t.Context(), docspace.RoomQuery{FilterValue: "Falcon"})
				e.ok(err, got)
				if ids := folderIDs(got); !cmp.Equal([]int{falconRoom}, ids) {
					t.Errorf("got %v, want [%d]", ids, falconRoom)
				}
			}},
			{name: "an undefined search area is ErrValidation with the field", run: func(t *testing.T, e *env) {
				e.ts.Spec.ExpectInvalidRequest("getRoomsFolder")
				_, err := e.c.Rooms(t.Context(), docspace.RoomQuery{SearchArea: 9})
				e.fails(err, docspace.ErrValidation)
				apiErr := e.wantAPIError(err, "getRoomsFolder", 400, "")
				if len(apiErr.Validation["searchArea"]) == 0 {
					t.Errorf("got field errors %v, want one for searchArea", apiErr.Validation)
				}
			}},
			{name: "the subject must be a GUID", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.Rooms(t.Context(), docspace.RoomQuery{SubjectID: "jane"})
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "Room", ops: []string{"getRoomInfo"}, checks: []check{
			{name: "Project Falcon", run: func(t *testing.T, e *env) {
				r, err := e.c.Room(t.Context(), falconRoom)
				e.ok(err, r)
				got := []any{r.ID, r.Title, r.RoomType, r.ParentID, r.RootFolderType, r.CreatedBy.ID, r.IsArchived()}
				want := []any{falconRoom, "Project Falcon", docspace.RoomTypeEditing, e.ts.RoomsFolderID(),
					docspace.FolderTypeVirtualRooms, johnID, false}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("Room (-want +got):\n%s", diff)
				}
			}},
			{name: "an archived room", run: func(t *testing.T, e *env) {
				r, err := e.c.Room(t.Context(), oldPitchRoom)
				e.ok(err, r)
				if !r.IsArchived() || r.ParentID != e.ts.ArchiveFolderID() {
					t.Errorf("got root type %v parent %d, want the Archive", r.RootFolderType, r.ParentID)
				}
			}},
			{name: "unknown is ErrNotFound", run: func(t *testing.T, e *env) {
				_, err := e.c.Room(t.Context(), missingEntry)
				e.fails(err, docspace.ErrNotFound)
			}},
			{name: "ids are positive", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.Room(t.Context(), 0)
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "CreateRoom", ops: []string{"createRoom"}, checks: []check{
			{name: "creates a room owned by the caller", run: func(t *testing.T, e *env) {
				title := strings.Repeat("r", 170) // rooms allow 170 characters, folders 165
				r, err := e.c.CreateRoom(t.Context(), docspace.CreateRoom{Title: title, RoomType: docspace.RoomTypeCustom})
				e.ok(err, r)
				sim := e.entry(r.ID)
				if !r.IsRoom() || r.RoomType != docspace.RoomTypeCustom || r.Title != title ||
					!sim.IsRoom() || sim.RoomType != docspacetest.RoomCustom || sim.CreatedBy != serviceID ||
					sim.ParentID != e.ts.RoomsFolderID() {
					t.Errorf("got %+v, simulator %+v", r, sim)
				}
			}},
			{name: "a plain user may not: ErrForbidden, not repeated", run: func(t *testing.T, e *env) {
				_, err := e.clientFor(mariaID).CreateRoom(t.Context(), docspace.CreateRoom{Title: "Mine", RoomType: docspace.RoomTypeCustom})
				e.fails(err, docspace.ErrForbidden)
				e.wantHandled("createRoom", 1)
			}},
			{name: "needs a type and a title of at most 170 characters", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.CreateRoom(t.Context(), docspace.CreateRoom{Title: "Archive"})
				e.fails(err, docspace.ErrInvalidArgument)
				_, err = e.c.CreateRoom(t.Context(), docspace.CreateRoom{Title: strings.Repeat("r", 171), RoomType: docspace.RoomTypeCustom})
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "RoomSecurity", ops: []string{"getRoomSecurityInfo"}, checks: []check{
			{name: "the archive room's owner and members", run: func(t *testing.T, e *env) {
				shares, err := e.c.RoomSecurity(t.Context(), archiveRoom)
				e.ok(err, shares)
				want := []member{{keeperID, docspace.FileShareReadWrite, true}}
				for _, m := range e.ts.RoomMembers(archiveRoom) {
					want = append(want, member{m.SubjectID, docspace.FileShare(m.Access), false})
				}
				if diff := cmp.Diff(sortMembers(want), sortMembers(members(shares))); diff != "" {
					t.Errorf("RoomSecurity (-want +got):\n%s", diff)
				}
			}},
			{name: "pages through a large room", env: []envOption{withEmptyPortal()}, run: func(t *testing.T, e *env) {
				admin := e.user(mustSelf(t, e).ID)
				var ms []docspacetest.Member
				for i := range 150 {
					u := docspacetest.Must(e.ts.AddUser(docspacetest.UserSpec{FirstName: "Member", LastName: strconv.Itoa(i)}))(t)
					ms = append(ms, docspacetest.Member{SubjectID: u.ID, Access: docspacetest.ShareRead})
				}
				room := docspacetest.Must(e.ts.AddRoom(docspacetest.RoomSpec{Title: "Big", OwnerID: admin.ID, Members: ms}))(t)
				shares, err := e.c.RoomSecurity(t.Context(), room.ID)
				e.ok(err, shares)
				want := []member{{admin.ID, docspace.FileShareReadWrite, true}}
				for _, m := range ms {
					want = append(want, member{m.SubjectID, docspace.FileShareRead, false})
				}
				if diff := cmp.Diff(sortMembers(want), sortMembers(members(shares))); diff != "" {
					t.Errorf("RoomSecurity (-want +got):\n%s", diff)
				}
				e.wantSent("getRoomSecurityInfo", 2)
			}},
			{name: "unknown is ErrNotFound", run: func(t *testing.T, e *env) {
				_, err := e.c.RoomSecurity(t.Context(), missingEntry)
				e.fails(err, docspace.ErrNotFound)
			}},
			{name: "ids are positive", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.RoomSecurity(t.Context(), 0)
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "ShareRoom", ops: []string{"setRoomSecurity"}, checks: []check{
			{name: "adds and removes members; a repeat is a no-op", run: func(t *testing.T, e *env) {
				inv := []docspace.Invitation{{ID: hannahID, Access: docspace.FileShareRead}, {ID: hrGroupID, Access: docspace.FileShareNone}}
				for i := range 2 {
					rs, err := e.c.ShareRoom(t.Context(), archiveRoom, inv, false)
					e.ok(err, rs)
					// The reply lists the named subjects in their current state, as the simulator holds them.
					var want []member
					for _, m := range e.ts.RoomMembers(archiveRoom) {
						if m.SubjectID == hannahID || m.SubjectID == hrGroupID {
							want = append(want, member{m.SubjectID, docspace.FileShare(m.Access), false})
						}
					}
					if diff := cmp.Diff(want, members(rs.Members)); diff != "" || len(want) != 1 {
						t.Errorf("call %d: reply (-simulator +got):\n%s", i+1, diff)
					}
				}
				want := []member{{serviceID, docspace.FileShareRoomManager, false}, {hannahID, docspace.FileShareRead, false}}
				var got []member
				for _, m := range e.ts.RoomMembers(archiveRoom) {
					got = append(got, member{m.SubjectID, docspace.FileShare(m.Access), false})
				}
				if diff := cmp.Diff(sortMembers(want), sortMembers(got)); diff != "" {
					t.Errorf("the simulator's members (-want +got):\n%s", diff)
				}
				if n := len(e.ts.AuditEvents(docspacetest.AuditQuery{Target: hannahID})); n != 1 {
					t.Errorf("got %d audit events about Hannah, want 1: the repeat must write none", n)
				}
			}},
			{name: "an archived room refuses: ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.c.ShareRoom(t.Context(), oldPitchRoom, []docspace.Invitation{{ID: hannahID, Access: docspace.FileShareRead}}, false)
				e.fails(err, docspace.ErrForbidden)
			}},
			{name: "RoomManager is for admin types only: ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.c.ShareRoom(t.Context(), archiveRoom, []docspace.Invitation{{ID: mariaID, Access: docspace.FileShareRoomManager}}, false)
				e.fails(err, docspace.ErrForbidden)
				e.wantAPIError(err, "setRoomSecurity", 403, "The role is not available for this user type")
			}},
			{name: "unknown room is ErrNotFound", run: func(t *testing.T, e *env) {
				_, err := e.c.ShareRoom(t.Context(), missingEntry, []docspace.Invitation{{ID: hannahID, Access: docspace.FileShareRead}}, false)
				e.fails(err, docspace.ErrNotFound)
			}},
			{name: "a member holding a form role blocks: ErrFormRoleBlocking", run: func(t *testing.T, e *env) {
				room := docspacetest.Must(e.ts.AddRoom(docspacetest.RoomSpec{Title: "Deals", Type: docspacetest.RoomVirtualData,
					OwnerID: serviceID, Members: []docspacetest.Member{{SubjectID: mariaID, Access: docspacetest.ShareFillForms}}}))(t)
				form := docspacetest.Must(e.ts.AddFile(room.ID, "nda.pdf", serviceID, []byte("%PDF-1.7")))(t)
				if err := e.ts.AssignFormRole(form.ID, mariaID); err != nil {
					t.Fatal(err)
				}
				_, err := e.c.ShareRoom(t.Context(), room.ID, []docspace.Invitation{{ID: mariaID, Access: docspace.FileShareNone}}, false)
				e.fails(err, docspace.ErrFormRoleBlocking)
				apiErr := e.wantAPIError(err, "setRoomSecurity", 200, "")
				if apiErr.Type != "FormRoleBlockingDeletion" || errors.Is(err, docspace.ErrForbidden) {
					t.Errorf("got type %q, want FormRoleBlockingDeletion", apiErr.Type)
				}
				if got := e.ts.RoomMembers(room.ID); len(got) != 1 || got[0].SubjectID != mariaID {
					t.Errorf("members changed: %v", got)
				}
			}},
			{name: "needs invitations with assignable levels", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.ShareRoom(t.Context(), archiveRoom, nil, false)
				e.fails(err, docspace.ErrInvalidArgument)
				_, err = e.c.ShareRoom(t.Context(), archiveRoom, []docspace.Invitation{{ID: hannahID, Access: docspace.FileShareVaries}}, false)
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "ArchiveRoom", ops: []string{"archiveRoom"}, checks: []check{
			{name: "moves the room into the Archive", run: func(t *testing.T, e *env) {
				op, err := e.c.ArchiveRoom(t.Context(), falconRoom)
				e.ok(err, op)
				done, err := e.c.WaitOperation(t.Context(), op.ID, e.fastPoll(0))
				e.ok(err, done)
				if got := e.entry(falconRoom).ParentID; got != e.ts.ArchiveFolderID() {
					t.Errorf("room %d is in %d, want the Archive %d", falconRoom, got, e.ts.ArchiveFolderID())
				}
				if n := len(e.ts.AuditEvents(docspacetest.AuditQuery{Action: docspacetest.ActionRoomArchived,
					Target: strconv.Itoa(falconRoom)})); n != 1 {
					t.Errorf("got %d RoomArchived events, want 1", n)
				}
			}},
			{name: "an archived room completes as a no-op", run: func(t *testing.T, e *env) {
				op, err := e.c.ArchiveRoom(t.Context(), oldPitchRoom)
				e.ok(err, op)
				done, err := e.c.WaitOperation(t.Context(), op.ID, e.fastPoll(0))
				e.ok(err, done)
				if got := e.entry(oldPitchRoom).ParentID; got != e.ts.ArchiveFolderID() {
					t.Errorf("room %d is in %d", oldPitchRoom, got)
				}
			}},
			{name: "a folder is not a room: ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.c.ArchiveRoom(t.Context(), janeWorkspace)
				e.fails(err, docspace.ErrForbidden)
			}},
			{name: "unknown is ErrNotFound", run: func(t *testing.T, e *env) {
				_, err := e.c.ArchiveRoom(t.Context(), missingEntry)
				e.fails(err, docspace.ErrNotFound)
			}},
			{name: "ids are positive", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.ArchiveRoom(t.Context(), -1)
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "ShareFolder", ops: []string{"setFolderSecurityInfo"}, checks: []check{
			{name: "the owner shares and unshares a personal folder", run: func(t *testing.T, e *env) {
				jane := e.clientFor(janeID)
				shares, err := jane.ShareFolder(t.Context(), janePrivate, []docspace.ShareEntry{{ShareTo: mariaID, Access: docspace.FileShareRead}})
				e.ok(err, shares)
				if got := members(shares); !cmp.Equal([]member{{mariaID, docspace.FileShareRead, false}}, got) {
					t.Errorf("the reply lists %v, want Maria with Read", got)
				}
				if got := e.ts.Shares(janePrivate); len(got) != 1 || got[0].SubjectID != mariaID || got[0].Access != docspacetest.ShareRead {
					t.Errorf("the simulator's shares are %+v", got)
				}
				shares, err = jane.ShareFolder(t.Context(), janeShared, []docspace.ShareEntry{{ShareTo: sofiaID, Access: docspace.FileShareNone}})
				e.ok(err, shares)
				for _, sh := range e.ts.Shares(janeShared) {
					if sh.SubjectID == sofiaID {
						t.Errorf("Sofia still has %v on folder %d", sh.Access, janeShared)
					}
				}
			}},
			{name: "a disabled subject is dropped silently", run: func(t *testing.T, e *env) {
				e.terminate(lukasID)
				shares, err := e.clientFor(janeID).ShareFolder(t.Context(), janePrivate, []docspace.ShareEntry{{ShareTo: lukasID, Access: docspace.FileShareRead}})
				e.ok(err, shares)
				if len(shares) != 0 || len(e.ts.Shares(janePrivate)) != 0 {
					t.Errorf("got %v and simulator %v, want nothing shared", shares, e.ts.Shares(janePrivate))
				}
			}},
			{name: "an unknown folder gives an empty list", run: func(t *testing.T, e *env) {
				shares, err := e.c.ShareFolder(t.Context(), missingEntry, []docspace.ShareEntry{{ShareTo: mariaID, Access: docspace.FileShareRead}})
				e.ok(err, shares)
				if len(shares) != 0 {
					t.Errorf("got %v, want none", shares)
				}
			}},
			{name: "a folder inside a room refuses users: ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.c.ShareFolder(t.Context(), janeWorkspace, []docspace.ShareEntry{{ShareTo: mariaID, Access: docspace.FileShareRead}})
				e.fails(err, docspace.ErrForbidden)
			}},
			{name: "RoomManager is not a folder level: ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.clientFor(janeID).ShareFolder(t.Context(), janePrivate, []docspace.ShareEntry{{ShareTo: mariaID, Access: docspace.FileShareRoomManager}})
				e.fails(err, docspace.ErrForbidden)
				e.wantAPIError(err, "setFolderSecurityInfo", 403, "The role is not available for this user type")
			}},
			{name: "needs entries with assignable levels", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.ShareFolder(t.Context(), janePrivate, nil)
				e.fails(err, docspace.ErrInvalidArgument)
				_, err = e.c.ShareFolder(t.Context(), janePrivate, []docspace.ShareEntry{{ShareTo: mariaID, Access: docspace.FileShareVaries}})
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
	}
}

// member is what a test compares of a share entry.
type member struct {
	ID      string
	Access  docspace.FileShare
	IsOwner bool
}

func members(shares []docspace.Share) []member {
	var out []member
	for _, s := range shares {
		out = append(out, member{s.SubjectID(), s.Access, s.IsOwner})
	}
	return out
}

func sortMembers(ms []member) []member {
	return slices.SortedFunc(slices.Values(ms), func(a, b member) int { return strings.Compare(a.ID, b.ID) })
}

// mustSelf returns the profile of env.c's key owner.
func mustSelf(t *testing.T, e *env) *docspace.User {
	t.Helper()
	u, err := e.c.Self(t.Context())
	e.ok(err, u)
	return u
}

// ---------------------------------------------------------------------------------------------------------
// Audit trail

func auditContracts() []contract {
	return []contract{
		{method: "AuditEvents", ops: []string{"getAuditEventsByFilter"}, checks: []check{
			{name: "filters by action, actor, entry and dates", env: []envOption{withManualClock()}, run: func(t *testing.T, e *env) {
				for _, tc := range []struct {
					name   string
					filter docspace.AuditFilter
					want   docspacetest.AuditQuery
					keep   func(docspacetest.AuditEvent) bool
				}{
					{name: "action", filter: docspace.AuditFilter{Action: docspace.MessageAction(docspacetest.ActionFolderMoved)},
						want: docspacetest.AuditQuery{Action: docspacetest.ActionFolderMoved}},
					{name: "actor", filter: docspace.AuditFilter{UserID: janeID},
						want: docspacetest.AuditQuery{UserID: janeID}},
					{name: "about a user", filter: docspace.AuditFilter{EntryType: docspace.EntryTypeUser, Target: noahID},
						want: docspacetest.AuditQuery{Target: noahID}},
					{name: "dates", filter: docspace.AuditFilter{From: time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC),
						To: time.Date(2026, 2, 12, 11, 0, 0, 0, time.UTC)},
						keep: func(ev docspacetest.AuditEvent) bool {
							return !ev.Date.Before(time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC)) &&
								!ev.Date.After(time.Date(2026, 2, 12, 11, 0, 0, 0, time.UTC))
						}},
				} {
					events, err := e.c.AuditEvents(t.Context(), tc.filter)
					e.ok(err, events)
					var want []int
					for _, ev := range e.ts.AuditEvents(tc.want) {
						if tc.keep == nil || tc.keep(ev) {
							want = append(want, ev.ID)
						}
					}
					slices.Reverse(want) // newest first
					var got []int
					for _, ev := range events {
						got = append(got, ev.ID)
					}
					if len(want) == 0 || !cmp.Equal(want, got) {
						t.Errorf("%s: got events %v, want %v", tc.name, got, want)
					}
				}
			}},
			{name: "pages newest first", env: []envOption{withManualClock()}, run: func(t *testing.T, e *env) {
				all, err := e.c.AuditEvents(t.Context(), docspace.AuditFilter{})
				e.ok(err, all)
				first, err := e.c.AuditEvents(t.Context(), docspace.AuditFilter{Count: 3})
				e.ok(err, first)
				second, err := e.c.AuditEvents(t.Context(), docspace.AuditFilter{Count: 3, StartIndex: 3})
				e.ok(err, second)
				if len(all) < 6 || !cmp.Equal(all[:6], append(first, second...)) {
					t.Errorf("pages of 3 do not match the first 6 of %d events", len(all))
				}
				if !slices.IsSortedFunc(all, func(a, b docspace.AuditEvent) int { return b.Date.Compare(a.Date.Time) }) {
					t.Error("events are not newest first")
				}
			}},
			{name: "without the Audit tariff the filters are ignored", env: []envOption{withManualClock(),
				withSim(func(o *docspacetest.Options) { o.NoAuditTariff = true })}, run: func(t *testing.T, e *env) {
				events, err := e.c.AuditEvents(t.Context(), docspace.AuditFilter{UserID: janeID})
				e.ok(err, events)
				if n := len(e.ts.AuditEvents(docspacetest.AuditQuery{})); len(events) != min(n, 20) {
					t.Errorf("got %d events, want the last %d", len(events), min(n, 20))
				}
			}},
			{name: "a non-admin is ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.clientFor(mariaID).AuditEvents(t.Context(), docspace.AuditFilter{})
				e.fails(err, docspace.ErrForbidden)
			}},
			{name: "what DocSpace would ignore or refuse is refused", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.AuditEvents(t.Context(), docspace.AuditFilter{Target: janeID})
				e.fails(err, docspace.ErrInvalidArgument)
				_, err = e.c.AuditEvents(t.Context(), docspace.AuditFilter{From: demoNow(), To: demoNow().Add(-time.Hour)})
				e.fails(err, docspace.ErrInvalidArgument)
				_, err = e.c.AuditEvents(t.Context(), docspace.AuditFilter{Count: 101})
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
		{method: "CreateAuditReport", ops: []string{"createAuditTrailReport"}, checks: []check{
			{name: "writes a CSV into the caller's My documents", env: []envOption{withManualClock()}, run: func(t *testing.T, e *env) {
				link, err := e.c.CreateAuditReport(t.Context())
				e.ok(err, link)
				u, err := url.Parse(link)
				if err != nil || !strings.HasSuffix(u.Path, "/doceditor") {
					t.Fatalf("got %q, want a doceditor URL", link)
				}
				id, err := strconv.Atoi(u.Query().Get("fileid"))
				if err != nil {
					t.Fatalf("the URL %q has no file id", link)
				}
				f := e.entry(id)
				if f.ParentID != e.user(serviceID).MyDocumentsID || !strings.HasPrefix(f.Title, "Audit Trail Report (") ||
					!strings.HasSuffix(f.Title, ").csv") || !bytes.Contains(f.Content(), []byte("Jane Roe")) {
					t.Errorf("got file %q in %d with %d bytes", f.Title, f.ParentID, len(f.Content()))
				}
				e.wantHandled("createAuditTrailReport", 1)
			}},
			{name: "without the Audit tariff: ErrPaymentRequired", env: []envOption{withSim(func(o *docspacetest.Options) { o.NoAuditTariff = true })},
				run: func(t *testing.T, e *env) {
					_, err := e.c.CreateAuditReport(t.Context())
					e.fails(err, docspace.ErrPaymentRequired)
				}},
			{name: "a non-admin is ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.clientFor(mariaID).CreateAuditReport(t.Context())
				e.fails(err, docspace.ErrForbidden)
			}},
		}},
		{method: "LoginEvents", ops: []string{"getLoginEventsByFilter"}, checks: []check{
			{name: "Jane's logins, and by action", env: []envOption{withManualClock()}, run: func(t *testing.T, e *env) {
				events, err := e.c.LoginEvents(t.Context(), docspace.LoginFilter{UserID: janeID})
				e.ok(err, events)
				var want, got []int
				for _, l := range e.ts.LoginEvents(janeID) {
					want = append(want, l.ID)
				}
				slices.Reverse(want)
				for _, l := range events {
					got = append(got, l.ID)
				}
				if len(want) != 2 || !cmp.Equal(want, got) {
					t.Errorf("got %v, want %v", got, want)
				}
				api, err := e.c.LoginEvents(t.Context(), docspace.LoginFilter{Action: docspace.MessageAction(docspacetest.ActionLoginSuccessViaAPI)})
				e.ok(err, api)
				if len(api) != 1 || api[0].UserID != janeID || api[0].IP != "10.0.0.99" {
					t.Errorf("got %+v, want Jane's API login", api)
				}
			}},
			{name: "a non-admin is ErrForbidden", run: func(t *testing.T, e *env) {
				_, err := e.clientFor(mariaID).LoginEvents(t.Context(), docspace.LoginFilter{})
				e.fails(err, docspace.ErrForbidden)
			}},
			{name: "pages hold at most 100", offline: true, run: func(t *testing.T, e *env) {
				_, err := e.c.LoginEvents(t.Context(), docspace.LoginFilter{Count: 101})
				e.fails(err, docspace.ErrInvalidArgument)
			}},
		}},
	}
}
