package docspacetest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type auditJSON struct {
	ID         int      `json:"id"`
	Date       string   `json:"date"`
	User       string   `json:"user"`
	UserID     string   `json:"userId"`
	Action     string   `json:"action"`
	ActionID   int      `json:"actionId"`
	ActionType int      `json:"actionType"`
	Target     []string `json:"target"`
	Entries    []int    `json:"entries"`
}

func auditIDs(t testing.TB, r reply) []int {
	t.Helper()
	wantStatus(t, r, http.StatusOK)
	if objectKeys(t, r.Body)["total"] {
		t.Errorf("audit reply has a total: %s", r.Body)
	}
	var evs []auditJSON
	r.into(t, &evs)
	ids := []int{}
	for _, e := range evs {
		ids = append(ids, e.ID)
	}
	return ids
}

func TestChecklist17Audit(t *testing.T) {
	t.Parallel()
	// Fixture events: 1 UserCreated (owner), 2 FileUploaded (leaver), 3 FolderMoved (admin),
	// 4 RoomArchived (admin), 5 RoomUpdateAccessForUser (leaver, target 510,colleague).
	ts, clock := startPortal(t)
	a := ts.as(t, keyAdmin)
	const filter = "/api/2.0/security/audit/events/filter"

	t.Run("filters", func(t *testing.T) {
		cases := []struct {
			name  string
			query string
			want  []int
		}{
			{"none, newest first", "", []int{5, 4, 3, 2, 1}},
			{"actor", "userId=" + idLeaver, []int{5, 2}},
			{"action number", "action=5024", []int{3}},
			{"action name", "action=RoomArchived", []int{4}},
			{"action and exact target", "action=5075&target=510," + idColleague, []int{5}},
			{"action and partial target", "action=5075&target=510", []int{}},
			{"entry type and contained target", "entryType=23&target=" + idColleague, []int{5}},
			{"entry type by name", "entryType=Room&target=520", []int{4}},
			{"entry type without target filters nothing", "entryType=1", []int{5, 4, 3, 2, 1}},
			{"action type", "actionType=Move", []int{3}},
			{"module type is not a filter", "moduleType=27", []int{5, 4, 3, 2, 1}},
			{"from inclusive", "from=2026-01-03T10:00:00Z", []int{5, 4, 3}},
			{"to inclusive", "to=2026-01-02T10:00:00Z", []int{2, 1}},
			{"page", "count=2&startIndex=1", []int{4, 3}},
			{"past the end", "startIndex=10", []int{}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				got := auditIDs(t, a.get(filter+"?"+tc.query))
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("ids (-want +got):\n%s", diff)
				}
			})
		}
	})

	t.Run("count outside 1..100 is a validation failure", func(t *testing.T) {
		ts.Spec.ExpectInvalidRequest("getAuditEventsByFilter")
		for _, c := range []string{"101", "0", "1000"} {
			wantValidation(t, a.get(filter+"?count="+c), "Count")
		}
		wantStatus(t, a.get(filter+"?count=100"), http.StatusOK)
	})

	t.Run("event fields", func(t *testing.T) {
		var evs []auditJSON
		a.get(filter+"?action=RoomUpdateAccessForUser").into(t, &evs)
		want := []auditJSON{{ID: 5, Date: "2026-01-05T10:00:00.0000000Z", User: "Jane Roe", UserID: idLeaver,
			Action: "Room access updated for user: Jane's Project, Carl Colleague", ActionID: 5075,
			ActionType: int(ActionTypeUpdateAccess), Target: []string{"510", idColleague}, Entries: []int{25, 23}}}
		if diff := cmp.Diff(want, evs); diff != "" {
			t.Errorf("event (-want +got):\n%s", diff)
		}
	})

	t.Run("offboarding actions are recorded", func(t *testing.T) {
		ts, clock := startPortal(t)
		a := ts.as(t, keyAdmin)
		disable(t, ts, idLeaver)
		wantStatus(t, a.req(http.MethodPut, "/api/2.0/security/activeconnections/logoutall/"+idLeaver, nil), http.StatusOK)
		wantStatus(t, startReassignCall(a, idLeaver, idKeeper, false), http.StatusOK)
		clock.Advance(10 * time.Second)
		var evs []auditJSON
		a.get(filter+"?entryType=User&target="+idLeaver).into(t, &evs)
		var got []int
		for _, e := range evs {
			got = append(got, e.ActionID)
		}
		if diff := cmp.Diff([]int{4030, 4036, 4020, 4000}, got); diff != "" {
			t.Errorf("actions about the leaver (-want +got):\n%s", diff)
		}
	})

	t.Run("without the Audit tariff the last 20 come back whatever the filter", func(t *testing.T) {
		ts, _ := startPortal(t, func(o *Options) { o.NoAuditTariff = true })
		for i := range 25 {
			Must(ts.AddAuditEvent(AuditEventSpec{UserID: idAdmin, Action: ActionUserUpdated,
				Date: t0().Add(time.Duration(i) * time.Minute)}))(t)
		}
		got := auditIDs(t, ts.as(t, keyAdmin).get(filter+"?userId="+idLeaver+"&count=5"))
		if len(got) != 20 || got[0] != 30 || got[19] != 11 {
			t.Errorf("ids = %v, want the 20 newest (30..11)", got)
		}
		ts.SetAuditTariff(true)
		if got := auditIDs(t, ts.as(t, keyAdmin).get(filter+"?userId="+idLeaver)); len(got) != 2 {
			t.Errorf("with the tariff: %v", got)
		}
	})

	t.Run("events past the lifetime are gone", func(t *testing.T) {
		Must(ts.AddAuditEvent(AuditEventSpec{UserID: idAdmin, Action: ActionUserUpdated, Date: clock.Now().Add(-181 * 24 * time.Hour)}))(t)
		if got := auditIDs(t, a.get(filter+"?action=UserUpdated")); len(got) != 0 {
			t.Errorf("old event returned: %v", got)
		}
	})

	t.Run("admins only", func(t *testing.T) {
		wantError(t, ts.as(t, keyPeopleAdmin).get(filter), http.StatusForbidden, "Access denied")
		wantError(t, ts.as(t, keyUser).get("/api/2.0/security/audit/login/filter"), http.StatusForbidden, "Access denied")
	})

	t.Run("login history", func(t *testing.T) {
		var evs []struct {
			ID       int    `json:"id"`
			UserID   string `json:"userId"`
			Login    string `json:"login"`
			ActionID int    `json:"actionId"`
		}
		a.get("/api/2.0/security/audit/login/filter?userId="+idLeaver).into(t, &evs)
		if len(evs) != 2 || evs[0].ID != 2 || evs[0].Login != "jane@test.example" || evs[0].ActionID != 1010 {
			t.Errorf("login events = %+v", evs)
		}
		a.get("/api/2.0/security/audit/login/filter?action=LoginSuccess").into(t, &evs)
		if len(evs) != 2 {
			t.Errorf("LoginSuccess events = %+v, want 2", evs)
		}
	})
}

// getSelf sends GET people/@self with key and returns the reply.
func getSelf(t testing.TB, ts *TestServer, key string) reply {
	t.Helper()
	return ts.as(t, key).get("/api/2.0/people/@self")
}

func TestChecklist18RateLimits(t *testing.T) {
	t.Parallel()

	t.Run("sliding window per key owner", func(t *testing.T) {
		ts, clock := startPortal(t, func(o *Options) { o.RateLimits = RateLimits{Requests: 3, Window: time.Minute} })
		second := Must(ts.AddKey(idAdmin))(t)
		for _, k := range []string{keyAdmin, second, keyAdmin} {
			wantStatus(t, getSelf(t, ts, k), http.StatusOK)
			clock.Advance(10 * time.Second)
		}
		r := getSelf(t, ts, second)
		wantEmpty(t, r, http.StatusTooManyRequests)
		want := map[string]string{"Retry-After": "30", "X-Ratelimit-Limit": "3", "X-Ratelimit-Remaining": "0"}
		for h, v := range want {
			if got := r.Header.Get(h); got != v {
				t.Errorf("%s = %q, want %q", h, got, v)
			}
		}
		wantStatus(t, getSelf(t, ts, keyUser), http.StatusOK)
		clock.Advance(31 * time.Second)
		wantStatus(t, getSelf(t, ts, keyAdmin), http.StatusOK)
	})

	t.Run("concurrency rejects at once without headers", func(t *testing.T) {
		ts, _ := startPortal(t, func(o *Options) { o.RateLimits = RateLimits{ParallelReads: 1} })
		release := make(chan struct{})
		ts.Fault(t, Fault{Kind: FaultLatency, Operation: "getSelfProfile", Delay: time.Minute, Times: 1})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/2.0/people/@self", nil)
			req.Header.Set("Authorization", "Bearer "+keyAdmin)
			ctxReq := req.WithContext(contextUntil(release))
			if resp, err := http.DefaultTransport.RoundTrip(ctxReq); err == nil {
				resp.Body.Close()
			}
		}()
		eventually(t, "the first request in flight", func() bool { return ts.UserStats(idAdmin).Requests == 1 })
		r := getSelf(t, ts, keyAdmin)
		wantEmpty(t, r, http.StatusTooManyRequests)
		for _, h := range []string{"Retry-After", "X-Ratelimit-Limit", "X-Ratelimit-Remaining"} {
			if v := r.Header.Get(h); v != "" {
				t.Errorf("%s = %q on a concurrency rejection", h, v)
			}
		}
		close(release)
		wg.Wait()
		if st := ts.UserStats(idAdmin); st.MaxInFlightReads != 2 || st.RateLimited != 1 {
			t.Errorf("stats = %+v, want 2 reads in flight and 1 rejection", st)
		}
	})

	t.Run("daily POST and PUT window", func(t *testing.T) {
		ts, clock := startPortal(t, func(o *Options) { o.RateLimits = RateLimits{DailyWrites: 2} })
		a := ts.as(t, keyAdmin)
		for range 2 {
			wantStatus(t, a.req(http.MethodPut, "/api/2.0/security/activeconnections/logoutall/"+idUser, nil), http.StatusOK)
		}
		wantStatus(t, getSelf(t, ts, keyAdmin), http.StatusOK)
		r := a.req(http.MethodPut, "/api/2.0/security/activeconnections/logoutall/"+idUser, nil)
		wantEmpty(t, r, http.StatusTooManyRequests)
		if want := strconv.FormatInt(t0().Add(24*time.Hour).Unix(), 10); r.Header.Get("X-Ratelimit-Reset") != want {
			t.Errorf("X-RateLimit-Reset = %q, want %s", r.Header.Get("X-Ratelimit-Reset"), want)
		}
		clock.Advance(24 * time.Hour)
		wantStatus(t, a.req(http.MethodPut, "/api/2.0/security/activeconnections/logoutall/"+idUser, nil), http.StatusOK)
	})

	t.Run("POST keys is limited to 5 per 15 minutes", func(t *testing.T) {
		ts, clock := startPortal(t)
		a := ts.as(t, keyAdmin)
		for i := range 5 {
			wantStatus(t, a.req(http.MethodPost, "/api/2.0/keys", map[string]any{"name": "k" + strconv.Itoa(i)}), http.StatusOK)
		}
		r := a.req(http.MethodPost, "/api/2.0/keys", map[string]any{"name": "k6"})
		wantEmpty(t, r, http.StatusTooManyRequests)
		if r.Header.Get("Retry-After") != "900" {
			t.Errorf("Retry-After = %q, want 900", r.Header.Get("Retry-After"))
		}
		clock.Advance(15 * time.Minute)
		wantStatus(t, a.req(http.MethodPost, "/api/2.0/keys", map[string]any{"name": "k7"}), http.StatusOK)
	})

	t.Run("disabled limiter still counts", func(t *testing.T) {
		ts, _ := startPortal(t, func(o *Options) { o.RateLimits = RateLimits{Disabled: true, Requests: 1} })
		for range 3 {
			wantStatus(t, getSelf(t, ts, keyAdmin), http.StatusOK)
		}
		if st := ts.Stats().Users[idAdmin]; st.Requests != 3 || st.MaxInWindow != 3 || st.RateLimited != 0 {
			t.Errorf("stats = %+v", st)
		}
	})

	t.Run("injected faults", func(t *testing.T) {
		ts, _ := startPortal(t)
		a := ts.as(t, keyAdmin)

		remove := ts.Fault(t, Fault{Kind: FaultRateLimit, Times: 2, RetryAfter: 3 * time.Second})
		for range 2 {
			r := getSelf(t, ts, keyAdmin)
			wantEmpty(t, r, http.StatusTooManyRequests)
			if r.Header.Get("Retry-After") != "3" {
				t.Errorf("Retry-After = %q", r.Header.Get("Retry-After"))
			}
		}
		wantStatus(t, getSelf(t, ts, keyAdmin), http.StatusOK)
		remove()

		remove = ts.Fault(t, Fault{Kind: FaultPaymentRequired})
		wantEmpty(t, getSelf(t, ts, keyAdmin), http.StatusPaymentRequired)
		wantStatus(t, a.get("/api/2.0/people/"+idUser), http.StatusOK)
		remove()

		remove = ts.Fault(t, Fault{Kind: FaultError, Operation: "getSelfProfile"})
		wantError(t, getSelf(t, ts, keyAdmin), http.StatusInternalServerError, "Internal server error (injected)")
		wantStatus(t, a.get("/api/2.0/people/"+idUser), http.StatusOK)
		remove()

		remove = ts.Fault(t, Fault{Kind: FaultError, Status: http.StatusBadGateway, Operation: "getSelfProfile"})
		r := getSelf(t, ts, keyAdmin)
		wantStatus(t, r, http.StatusBadGateway)
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.Body), "502 Bad Gateway") {
			t.Errorf("502 = %q %q, want a proxy page", r.Header.Get("Content-Type"), r.Body)
		}
		remove()

		remove = ts.Fault(t, Fault{Kind: FaultLatency, Operation: "getSelfProfile", Delay: 30 * time.Millisecond})
		start := time.Now()
		wantStatus(t, getSelf(t, ts, keyAdmin), http.StatusOK)
		if d := time.Since(start); d < 30*time.Millisecond {
			t.Errorf("request took %v, want at least the injected 30ms", d)
		}
		remove()
	})

	t.Run("fault rate is seeded", func(t *testing.T) {
		outcome := func() []int {
			ts, _ := startPortal(t, func(o *Options) { o.Seed = 42 })
			ts.Fault(t, Fault{Kind: FaultError, Operation: "getSelfProfile", Rate: 0.5})
			var got []int
			for range 20 {
				got = append(got, getSelf(t, ts, keyAdmin).Status)
			}
			return got
		}
		first, second := outcome(), outcome()
		if diff := cmp.Diff(first, second); diff != "" {
			t.Errorf("same seed, different faults (-first +second):\n%s", diff)
		}
		failed := 0
		for _, s := range first {
			if s == http.StatusInternalServerError {
				failed++
			}
		}
		if failed == 0 || failed == 20 {
			t.Errorf("%d of 20 failed at rate 0.5", failed)
		}
	})

	t.Run("connection resets", func(t *testing.T) {
		ts, _ := startPortal(t)
		send := func() error {
			req, _ := http.NewRequest(http.MethodPut, ts.URL+"/api/2.0/people/status/Terminated",
				strings.NewReader(`{"userIds":["`+idLeaver+`"]}`))
			req.Header.Set("Authorization", "Bearer "+keyAdmin)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err == nil {
				resp.Body.Close()
			}
			return err
		}
		remove := ts.Fault(t, Fault{Kind: FaultReset, Operation: "updateUserStatus", Times: 1})
		if err := send(); err == nil {
			t.Fatal("request survived a reset")
		}
		if u, _ := ts.User(idLeaver); u.Status != StatusActive {
			t.Error("a reset before the handler changed state")
		}
		remove()
		ts.Fault(t, Fault{Kind: FaultReset, Operation: "updateUserStatus", AfterEffect: true, Times: 1})
		if err := send(); err == nil {
			t.Fatal("request survived a reset")
		}
		if u, _ := ts.User(idLeaver); u.Status != StatusTerminated {
			t.Error("a reset after the effect lost the effect")
		}
		if got := ts.MutationCount("updateUserStatus"); got != 1 {
			t.Errorf("MutationCount = %d, want 1 (the first reset preempted the handler)", got)
		}
		calls := ts.CallsTo("updateUserStatus")
		if len(calls) != 2 || !calls[0].Reset || !calls[1].Reset || calls[0].Handled || !calls[1].Handled {
			t.Errorf("calls = %+v", calls)
		}
	})

	t.Run("stuck jobs never finish", func(t *testing.T) {
		ts, clock := startPortal(t)
		ts.Fault(t, Fault{Kind: FaultStuckJob, Operation: "startReassign", UserID: idLeaver, HoldAt: 30})
		disable(t, ts, idLeaver)
		a := ts.as(t, keyAdmin)
		wantStatus(t, startReassignCall(a, idLeaver, idKeeper, false), http.StatusOK)
		clock.Advance(time.Hour)
		if p, _ := progressOf(t, a, "reassign", idLeaver); p.Percentage != 30 || p.IsCompleted || p.Status != 1 {
			t.Errorf("progress = %+v, want held at 30%%", p)
		}
	})

	t.Run("invalid faults are refused", func(t *testing.T) {
		ts, _ := startPortal(t)
		for _, f := range []Fault{{}, {Kind: FaultError, Status: 200}, {Kind: FaultLatency}, {Kind: FaultError, Rate: 2},
			{Kind: FaultStuckJob, HoldAt: 100}} {
			if _, err := ts.InjectFault(f); err == nil {
				t.Errorf("fault %+v accepted", f)
			}
		}
	})
}

// contextUntil returns a context canceled when ch closes.
func contextUntil(ch <-chan struct{}) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-ch
		cancel()
	}()
	return ctx
}

func TestChecklist19Webhooks(t *testing.T) {
	t.Parallel()

	type delivery struct {
		sig  string
		body []byte
	}
	receiver := func(t *testing.T, status func(n int) int) (*httptest.Server, func() []delivery) {
		var mu sync.Mutex
		var got []delivery
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			got = append(got, delivery{sig: r.Header.Get(SignatureHeader), body: b})
			n := len(got)
			mu.Unlock()
			w.WriteHeader(status(n))
		}))
		t.Cleanup(srv.Close)
		return srv, func() []delivery {
			mu.Lock()
			defer mu.Unlock()
			return append([]delivery(nil), got...)
		}
	}
	ok := func(int) int { return http.StatusOK }

	t.Run("user.updated on every status change, signed", func(t *testing.T) {
		ts, _ := startPortal(t)
		srv, got := receiver(t, ok)
		Must(ts.AddWebhook(WebhookSpec{Name: "hr-sync", URL: srv.URL, Secret: "s3cret", Triggers: []string{TriggerUserUpdated}}))(t)
		disable(t, ts, idLeaver)
		disable(t, ts, idLeaver)
		eventually(t, "two deliveries", func() bool { return len(got()) == 2 })
		for _, d := range got() {
			m := hmac.New(sha256.New, []byte("s3cret"))
			m.Write(d.body)
			if want := "sha256=" + strings.ToUpper(hex.EncodeToString(m.Sum(nil))); d.sig != want {
				t.Errorf("signature = %s, want %s", d.sig, want)
			}
			var msg struct {
				Event struct {
					Trigger   string `json:"trigger"`
					TriggerID int    `json:"triggerId"`
					CreateBy  string `json:"createBy"`
				} `json:"event"`
				Payload struct {
					ID       string `json:"id"`
					Status   int    `json:"status"`
					TenantID int    `json:"tenantId"`
				} `json:"payload"`
				Webhook struct {
					Name string `json:"name"`
				} `json:"webhook"`
			}
			if err := json.Unmarshal(d.body, &msg); err != nil {
				t.Fatalf("decode delivery: %v", err)
			}
			if msg.Event.Trigger != TriggerUserUpdated || msg.Event.TriggerID != 4 || msg.Event.CreateBy != idOwner ||
				msg.Payload.ID != idLeaver || msg.Payload.Status != 2 || msg.Payload.TenantID != 1 || msg.Webhook.Name != "hr-sync" {
				t.Errorf("delivery = %+v", msg)
			}
		}
	})

	t.Run("user.deleted on deleteMember and deleteProfile", func(t *testing.T) {
		ts, clock := startPortal(t)
		srv, got := receiver(t, ok)
		Must(ts.AddWebhook(WebhookSpec{URL: srv.URL, Secret: "k", Triggers: []string{TriggerUserDeleted}}))(t)
		disable(t, ts, idLeaver, idColleague)
		a := ts.as(t, keyAdmin)
		wantStatus(t, a.req(http.MethodDelete, "/api/2.0/people/"+idColleague, nil), http.StatusOK)
		wantStatus(t, startReassignCall(a, idLeaver, idKeeper, true), http.StatusOK)
		clock.Advance(20 * time.Second)
		ts.Advance()
		eventually(t, "two user.deleted deliveries", func() bool { return len(got()) == 2 })
		for _, d := range got() {
			if !strings.Contains(string(d.body), `"trigger":"user.deleted"`) {
				t.Errorf("delivery %s", d.body)
			}
		}
	})

	t.Run("failures are retried and 410 disables", func(t *testing.T) {
		ts, _ := startPortal(t)
		srv, got := receiver(t, func(n int) int {
			if n == 1 {
				return http.StatusServiceUnavailable
			}
			return http.StatusGone
		})
		Must(ts.AddWebhook(WebhookSpec{URL: srv.URL, Secret: "k"}))(t)
		disable(t, ts, idLeaver)
		eventually(t, "a retry", func() bool { return len(got()) == 2 })
		eventually(t, "the webhook disabled", func() bool { return !ts.Webhooks()[0].Enabled })
		disable(t, ts, idColleague)
		ts.Advance()
		if n := len(ts.WebhookDeliveries()); n != 2 {
			t.Errorf("%d delivery attempts, want 2", n)
		}
	})
}
