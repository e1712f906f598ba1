package docspacetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure a Server. Zero values take the defaults documented on each field.
type Options struct {
	// Now is the clock; default time.Now. Jobs and rate limits are evaluated from it, so a manual clock
	// (see ManualClock) drives them without sleeping.
	Now func() time.Time
	// Seed makes fault decisions, jitter, generated ids and keys reproducible. Zero uses a fixed seed.
	Seed uint64
	// TenantID is the portal's tenant id, which appears in job ids; default 1.
	TenantID int
	// TimeZone is the portal's time zone for ApiDateTime output; default UTC.
	TimeZone *time.Location
	// ReassignDuration and RemoveDuration are how long a reassign or remove job runs; default 2 s each.
	ReassignDuration time.Duration
	RemoveDuration   time.Duration
	// FileOperationDuration is how long a file operation (move, archive, ...) runs; default 1 s.
	FileOperationDuration time.Duration
	// JobRetention is how long a finished reassign/remove record stays readable after its last update;
	// default 60 s (reference §5.3).
	JobRetention time.Duration
	// FileOperationRetention is how long an unpolled file operation stays after its last update; default 60 s.
	FileOperationRetention time.Duration
	// PeopleJobWorkers is how many reassign/remove jobs run at once; the rest wait, showing status 1 and
	// 0 % (reference §5.5). Default 1.
	PeopleJobWorkers int
	// RateLimits configure the limiter (reference §12).
	RateLimits RateLimits
	// NoAuditTariff simulates a tariff without the Audit feature: audit and login history ignore every
	// filter and return the last 20 events (reference §11.1). SetAuditTariff changes it later.
	NoAuditTariff bool
	// Seats is how many active non-guest users the tariff pays for; re-enabling a user past it gives 402
	// (reference §3.2). Zero means unlimited.
	Seats int
	// AuditLifetime is how long audit events are kept; default 180 days.
	AuditLifetime time.Duration
	// WebhookClient delivers webhooks; default a new client with a 5 s timeout.
	WebhookClient *http.Client
	// WebhookAttempts is how many times a delivery is tried before giving up; default 3.
	WebhookAttempts int
	// WebhookRetryDelay is the pause between delivery attempts (real time); default 100 ms.
	WebhookRetryDelay time.Duration
	// MaxBodyBytes caps request bodies; default 32 MiB.
	MaxBodyBytes int64
}

// RateLimits configure DocSpace's per-user limiter. Zero values take DocSpace's defaults.
type RateLimits struct {
	// Disabled turns the limiter off (statistics are still kept).
	Disabled bool
	// Requests per Window, all methods: default 1500 per 60 s (sliding window).
	Requests int
	Window   time.Duration
	// ParallelReads and ParallelWrites cap in-flight GET and non-GET requests: default 50 and 15; there is no
	// queue, so one more is rejected at once.
	ParallelReads  int
	ParallelWrites int
	// DailyWrites caps POST and PUT requests per DailyWindow (fixed window): default 10 000 per 24 h.
	DailyWrites int
	DailyWindow time.Duration
	// SensitiveRequests per SensitiveWindow, per user and path, for SensitiveApi endpoints such as
	// POST /keys: default 5 per 15 min.
	SensitiveRequests int
	SensitiveWindow   time.Duration
}

func (o *Options) setDefaults() {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Seed == 0 {
		o.Seed = 0x5eed
	}
	if o.TenantID == 0 {
		o.TenantID = 1
	}
	if o.TimeZone == nil {
		o.TimeZone = time.UTC
	}
	setDur(&o.ReassignDuration, 2*time.Second)
	setDur(&o.RemoveDuration, 2*time.Second)
	setDur(&o.FileOperationDuration, time.Second)
	setDur(&o.JobRetention, 60*time.Second)
	setDur(&o.FileOperationRetention, 60*time.Second)
	if o.PeopleJobWorkers == 0 {
		o.PeopleJobWorkers = 1
	}
	setDur(&o.AuditLifetime, 180*24*time.Hour)
	if o.WebhookClient == nil {
		o.WebhookClient = &http.Client{Timeout: 5 * time.Second}
	}
	if o.WebhookAttempts == 0 {
		o.WebhookAttempts = 3
	}
	setDur(&o.WebhookRetryDelay, 100*time.Millisecond)
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = 32 << 20
	}
	rl := &o.RateLimits
	setInt(&rl.Requests, 1500)
	setDur(&rl.Window, time.Minute)
	setInt(&rl.ParallelReads, 50)
	setInt(&rl.ParallelWrites, 15)
	setInt(&rl.DailyWrites, 10000)
	setDur(&rl.DailyWindow, 24*time.Hour)
	setInt(&rl.SensitiveRequests, 5)
	setDur(&rl.SensitiveWindow, 15*time.Minute)
}

func setDur(d *time.Duration, def time.Duration) {
	if *d == 0 {
		*d = def
	}
}

func setInt(n *int, def int) {
	if *n == 0 {
		*n = def
	}
}

func (o *Options) validate() error {
	for name, d := range map[string]time.Duration{
		"reassign duration": o.ReassignDuration, "remove duration": o.RemoveDuration,
		"file operation duration": o.FileOperationDuration, "job retention": o.JobRetention,
		"file operation retention": o.FileOperationRetention, "rate window": o.RateLimits.Window,
		"daily window": o.RateLimits.DailyWindow, "sensitive window": o.RateLimits.SensitiveWindow,
		"audit lifetime": o.AuditLifetime, "webhook retry delay": o.WebhookRetryDelay,
	} {
		if d < 0 {
			return fmt.Errorf("%s %v is negative", name, d)
		}
	}
	rl := o.RateLimits
	if o.TenantID < 0 || o.PeopleJobWorkers < 0 || o.Seats < 0 || o.WebhookAttempts < 0 || o.MaxBodyBytes < 0 ||
		rl.Requests < 0 || rl.ParallelReads < 0 || rl.ParallelWrites < 0 || rl.DailyWrites < 0 ||
		rl.SensitiveRequests < 0 {
		return errors.New("counts must not be negative")
	}
	return nil
}

// Server is a simulated DocSpace portal: an http.Handler serving the DocSpace REST API from in-memory state.
// All state sits under one mutex. Background jobs are evaluated lazily from the clock; the only goroutine is
// the webhook sender, which Close stops.
type Server struct {
	opts   Options
	routes []*route // fixed after New

	mu          sync.Mutex
	st          *state
	rng         *rand.Rand
	limits      *limiter
	faults      []*faultEntry
	nextFault   int
	calls       []Call
	noAudit     bool
	actionNames map[string]int // lower-case action name to number, fixed after New
	actionByNum map[MessageAction]string
	hookQueue   []hookMessage
	workers     []peopleWorker
	deliveries  []WebhookDelivery

	hookWake  chan struct{}
	stop      context.CancelFunc
	done      chan struct{}
	closeOnce sync.Once
}

var _ http.Handler = (*Server)(nil)

// New returns a simulator with an empty portal: the Rooms section and the Archive exist; add users, groups,
// keys and content with the builders or LoadFixture.
func New(opts Options) (*Server, error) {
	opts.setDefaults()
	if err := opts.validate(); err != nil {
		return nil, fmt.Errorf("docspace simulator options: %w", err)
	}
	s := &Server{
		opts:        opts,
		st:          newState(),
		rng:         rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		noAudit:     opts.NoAuditTariff,
		actionNames: map[string]int{},
		actionByNum: map[MessageAction]string{},
		hookWake:    make(chan struct{}, 1),
		done:        make(chan struct{}),
	}
	s.limits = newLimiter(opts.RateLimits)
	s.workers = make([]peopleWorker, opts.PeopleJobWorkers)
	for name, n := range messageActionNames() {
		s.actionNames[strings.ToLower(name)] = int(n)
		s.actionByNum[n] = name
	}
	rooms := s.st.newEntry(Entry{Kind: KindFolder, Title: "Rooms", FolderType: FolderVirtualRooms})
	archive := s.st.newEntry(Entry{Kind: KindFolder, Title: "Archive", FolderType: FolderArchive})
	s.st.roomsID, s.st.archiveID = rooms.ID, archive.ID
	s.registerRoutes()

	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	go s.runWebhooks(ctx)
	return s, nil
}

// Close stops the webhook sender and waits for it. The handler keeps answering requests afterwards, but
// webhooks are no longer delivered.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.stop()
		<-s.done
	})
}

// now reads the clock.
func (s *Server) now() time.Time { return s.opts.Now() }

// SetAuditTariff switches the Audit tariff feature on or off (reference §11.1).
func (s *Server) SetAuditTariff(enabled bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noAudit = !enabled
}

// RoomsFolderID returns the id of the Rooms section (FolderType 14).
func (s *Server) RoomsFolderID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.roomsID
}

// ArchiveFolderID returns the id of the Archive (FolderType 20).
func (s *Server) ArchiveFolderID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.archiveID
}

// statusWriter captures the status code and lets http.ResponseController reach the connection.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ServeHTTP runs DocSpace's pipeline: routing (404/405 with an empty body), authentication (401), rate
// limiting (429), injected faults, API-key scopes (403), the unpaid-portal filter (402), then the handler,
// whose result or error is rendered in DocSpace's envelopes. Errors writing a response mean the client went
// away; there is nobody to report them to, so they are dropped.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	start := s.now()
	w := &statusWriter{ResponseWriter: rw}
	rec := Call{Time: start, Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery}
	defer func() {
		rec.Status = w.code
		s.mu.Lock()
		s.calls = append(s.calls, rec)
		s.mu.Unlock()
		s.wakeWebhooks()
	}()

	path := r.URL.EscapedPath()
	if !strings.HasPrefix(strings.ToLower(path), "/api/2.0/") {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	m := s.match(r.Method, path)
	if m.route == nil {
		code := http.StatusNotFound
		if m.methodMismatch {
			code = http.StatusMethodNotAllowed
		}
		w.WriteHeader(code)
		return
	}
	rt := m.route
	rec.OperationID, rec.Mutating = rt.operationID, rt.mutating

	s.mu.Lock()
	s.advance(start)
	user, key, ok := s.authenticate(r, start)
	var userID string
	var perms []string
	if ok {
		userID, perms = user.ID, key.Permissions
	}
	s.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	rec.UserID = userID

	release, rejected := s.admit(userID, r.Method, rt, path, start)
	if rejected != nil {
		rec.RateLimited = true
		_ = renderError(w, r, rejected, "")
		return
	}
	defer release()

	plan := s.planFaults(rt, userID)
	if plan.delay > 0 {
		t := time.NewTimer(plan.delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			// The client gave up while the reply was delayed: drop the connection, as a server does when the
			// request is aborted, rather than let net/http send an empty 200.
			t.Stop()
			rec.Fault = FaultLatency.String()
			hijackAndClose(w)
			return
		}
	}
	if plan.kind != 0 && !(plan.kind == FaultReset && plan.afterEffect) {
		rec.Fault = plan.kind.String()
		s.applyFault(w, r, plan, &rec)
		return
	}
	if !rt.scope.allows(r.Method, perms) {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	if plan.unpaid && !rt.allowUnpaid {
		rec.Fault = FaultPaymentRequired.String()
		w.WriteHeader(http.StatusPaymentRequired)
		return
	}

	body, err := io.ReadAll(io.LimitReader(r.Body, s.opts.MaxBodyBytes+1))
	if err != nil {
		return // the client went away
	}
	if int64(len(body)) > s.opts.MaxBodyBytes {
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		return
	}

	s.mu.Lock()
	now := s.now()
	s.advance(now)
	c := &call{s: s, r: r, route: rt, params: m.params, now: now, body: body,
		traceID: fmt.Sprintf("00-%032x-%016x-00", s.rng.Uint64(), s.rng.Uint64())}
	c.caller = s.st.user(userID)
	c.key = key
	var v any
	if c.caller == nil {
		// The caller vanished while the request waited (deleted by a job): DocSpace would fail authentication.
		err = errBare(http.StatusUnauthorized)
	} else {
		v, err = rt.handler(c)
		rec.Handled = true
	}
	s.mu.Unlock()

	if plan.kind == FaultReset {
		rec.Fault = plan.kind.String()
		rec.Reset = true
		hijackAndClose(w)
		return
	}
	if err != nil {
		_ = renderError(w, r, err, c.traceID)
		return
	}
	_ = renderSuccess(w, r, v)
}

// hijackAndClose drops the connection without writing a response.
func hijackAndClose(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 or a recorder: abort the response instead.
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(interface{ SetLinger(int) error }); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// applyFault writes the injected response (or drops the connection) for a fault that preempts the handler.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, p faultPlan, rec *Call) {
	switch p.kind {
	case FaultReset:
		rec.Reset = true
		hijackAndClose(w)
	case FaultRateLimit:
		secs := int((p.retryAfter + time.Second - 1) / time.Second)
		_ = renderError(w, r, tooMany(s.opts.RateLimits.Requests, strconv.Itoa(secs)), "")
	case FaultError:
		if p.status == http.StatusInternalServerError {
			_ = renderError(w, r, errInternal("System.Exception", "Internal server error (injected)"), "")
			return
		}
		if p.status >= 502 && p.status <= 504 {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(p.status)
			_, _ = io.WriteString(w, proxyErrorPage(p.status))
			return
		}
		w.WriteHeader(p.status)
	}
}
