package docspacetest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestChecklist01Auth(t *testing.T) {
	t.Parallel()
	ts, _ := startPortal(t)

	t.Run("bearer key acts as its creator", func(t *testing.T) {
		r := ts.as(t, keyAdmin).get("/api/2.0/people/@self")
		wantStatus(t, r, http.StatusOK)
		var u userJSON
		r.into(t, &u)
		if u.ID != idAdmin {
			t.Errorf("self id = %s, want %s", u.ID, idAdmin)
		}
	})

	t.Run("rejected credentials get 401 with an empty body", func(t *testing.T) {
		cases := []struct {
			name string
			auth string
		}{
			{"no header", ""},
			{"bare key", keyAdmin},
			{"unknown key", "Bearer sk-" + strings.Repeat("ab", 32)},
			{"malformed key", "Bearer sk-xyz"},
			{"token instead of key", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig"},
			{"basic auth", "Basic YWRtaW46cGFzcw=="},
			{"expired key", "Bearer " + keyExpired},
			{"inactive key", "Bearer " + keyInactive},
			{"key of a terminated user", "Bearer " + keyGone},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := (&api{t: t, base: ts.URL}).req(http.MethodGet, "/api/2.0/people/@self", nil, "Authorization", tc.auth)
				wantEmpty(t, r, http.StatusUnauthorized)
			})
		}
	})

	t.Run("disabling a user kills their keys", func(t *testing.T) {
		ts, _ := startPortal(t)
		wantStatus(t, ts.as(t, keyUser).get("/api/2.0/people/@self"), http.StatusOK)
		wantStatus(t, ts.as(t, keyAdmin).req(http.MethodPut, "/api/2.0/people/status/Terminated",
			map[string]any{"userIds": []string{idUser}}), http.StatusOK)
		wantEmpty(t, ts.as(t, keyUser).get("/api/2.0/people/@self"), http.StatusUnauthorized)
	})

	t.Run("scopes", func(t *testing.T) {
		cases := []struct {
			name   string
			key    string
			method string
			path   string
			body   any
			want   int
		}{
			{"*:read reads people", keyReadOnly, http.MethodGet, "/api/2.0/people/" + idUser, nil, http.StatusOK},
			{"*:read reads audit", keyReadOnly, http.MethodGet, "/api/2.0/security/audit/events/filter", nil, http.StatusOK},
			{"*:read cannot write", keyReadOnly, http.MethodPut, "/api/2.0/people/status/Terminated",
				map[string]any{"userIds": []string{}}, http.StatusForbidden},
			{"accounts:read reads people", keyAccountsRead, http.MethodGet, "/api/2.0/people/" + idUser, nil, http.StatusOK},
			{"accounts:read reads groups", keyAccountsRead, http.MethodGet, "/api/2.0/group/" + groupHR, nil, http.StatusOK},
			{"accounts:read has no audit", keyAccountsRead, http.MethodGet, "/api/2.0/security/audit/events/filter", nil, http.StatusForbidden},
			{"accounts:read cannot log out", keyAccountsRead, http.MethodPut,
				"/api/2.0/security/activeconnections/logoutall/" + idUser, nil, http.StatusForbidden},
			{"accounts:read cannot write people", keyAccountsRead, http.MethodPut, "/api/2.0/people/status/2",
				map[string]any{"userIds": []string{}}, http.StatusForbidden},
			{"accounts.self:read reads self", keySelfRead, http.MethodGet, "/api/2.0/people/@self", nil, http.StatusOK},
			{"accounts.self:read cannot read others", keySelfRead, http.MethodGet, "/api/2.0/people/" + idUser, nil, http.StatusForbidden},
			{"files scopes do not reach people", keyFilesWrite, http.MethodGet, "/api/2.0/people/" + idUser, nil, http.StatusForbidden},
			{"full key reaches security", keyAdmin, http.MethodGet, "/api/2.0/security/audit/login/filter", nil, http.StatusOK},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := ts.as(t, tc.key).req(tc.method, tc.path, tc.body)
				if tc.want == http.StatusForbidden {
					wantEmpty(t, r, tc.want)
					return
				}
				wantStatus(t, r, tc.want)
			})
		}
	})

	t.Run("keys/@self has no scope check", func(t *testing.T) {
		// Unvalidated: ApiKeyResponseDto declares "key" required, but DocSpace sends the secret only when the key
		// is created and omits the null elsewhere (reference §2.3).
		ts := Start(t, WithFixture(portalFixture(t)), WithoutValidation())
		r := ts.as(t, keySelfRead).get("/api/2.0/keys/@self")
		wantStatus(t, r, http.StatusOK)
		var k struct {
			Name string `json:"name"`
			Key  string `json:"key"`
		}
		r.into(t, &k)
		if k.Name != "self" || k.Key != "" {
			t.Errorf("key = %+v, want name self and no secret", k)
		}
	})

	t.Run("empty list and * mean full access", func(t *testing.T) {
		for _, scopes := range [][]string{nil, {ScopeAll}} {
			key := Must(ts.AddKey(idAdmin, scopes...))(t)
			wantStatus(t, ts.as(t, key).get("/api/2.0/security/audit/events/filter"), http.StatusOK)
		}
	})
}

func TestChecklist02Envelopes(t *testing.T) {
	t.Parallel()
	ts, _ := startPortal(t)
	admin := ts.as(t, keyAdmin)

	t.Run("success envelope", func(t *testing.T) {
		r := admin.get("/api/2.0/people/" + idUser)
		wantStatus(t, r, http.StatusOK)
		e := r.envelope(t)
		if e.Count == nil || *e.Count != 1 || e.Status == nil || *e.Status != 0 || e.StatusCode == nil || *e.StatusCode != 200 {
			t.Errorf("count/status/statusCode = %v/%v/%v, want 1/0/200", e.Count, e.Status, e.StatusCode)
		}
		want := []link{{Href: ts.URL + "/api/2.0/people/" + idUser, Action: "GET"}}
		if len(e.Links) != 1 || e.Links[0] != want[0] {
			t.Errorf("links = %+v, want %+v", e.Links, want)
		}
		if e.Total != nil {
			t.Errorf("total = %d, want absent", *e.Total)
		}
	})

	t.Run("nulls are omitted", func(t *testing.T) {
		r := admin.get("/api/2.0/people/" + idUser)
		keys := objectKeys(t, r.envelope(t).Response)
		if keys["terminated"] {
			t.Error("terminated present for an active user")
		}
		for _, k := range []string{"isAdmin", "isOwner", "isLDAP", "status"} {
			if !keys[k] {
				t.Errorf("%s missing", k)
			}
		}
	})

	t.Run("void result has no response", func(t *testing.T) {
		r := admin.req(http.MethodPut, "/api/2.0/security/activeconnections/logoutall/"+idColleague, nil)
		wantStatus(t, r, http.StatusOK)
		keys := objectKeys(t, r.Body)
		if keys["response"] {
			t.Errorf("response present in %s", r.Body)
		}
		if c := r.envelope(t).Count; c == nil || *c != 0 {
			t.Errorf("count = %v, want 0", c)
		}
	})

	t.Run("error envelope", func(t *testing.T) {
		r := admin.get("/api/2.0/people/nobody")
		wantError(t, r, http.StatusNotFound, "The user could not be found")
		e := r.envelope(t)
		if e.Error.Type == nil || e.Error.Stack == nil || e.Error.HResult == nil {
			t.Errorf("error = %+v, want type, stack and hresult", e.Error)
		}
		if objectKeys(t, r.Body)["response"] {
			t.Error("error envelope carries response")
		}
	})

	t.Run("security exception is 403 Access denied", func(t *testing.T) {
		wantError(t, ts.as(t, keyUser).get("/api/2.0/security/audit/events/filter"), http.StatusForbidden, "Access denied")
	})

	t.Run("validation failure is 400 in the success envelope", func(t *testing.T) {
		r := admin.get("/api/2.0/security/audit/events/filter?count=101")
		ts.Spec.ExpectInvalidRequest("getAuditEventsByFilter")
		wantValidation(t, r, "Count")
		if !objectKeys(t, r.Body)["links"] {
			t.Error("validation envelope without links")
		}
	})

	t.Run("unknown routes and bad typed segments are 404 with an empty body", func(t *testing.T) {
		ts.Spec.ExpectUnknown("PUT", "/api/2.0/people/*/status")
		ts.Spec.ExpectUnknown("PUT", "/api/2.0/files/folderops/move")
		ts.Spec.ExpectUnknown("PUT", "/api/2.0/files/folder/*/access")
		ts.Spec.ExpectUnknown("GET", "/api/2.0/nothing/here")
		ts.Spec.ExpectInvalidRequest("getReassignProgress")
		for _, tc := range []struct{ method, path string }{
			{http.MethodPut, "/api/2.0/people/" + idUser + "/status"},
			{http.MethodPut, "/api/2.0/files/folderops/move"},
			{http.MethodPut, "/api/2.0/files/folder/5/access"},
			{http.MethodGet, "/api/2.0/nothing/here"},
			{http.MethodGet, "/api/2.0/people/reassign/progress/not-a-guid"},
		} {
			t.Run(tc.method+" "+tc.path, func(t *testing.T) {
				wantEmpty(t, admin.req(tc.method, tc.path, map[string]any{"disabled": true}), http.StatusNotFound)
			})
		}
	})

	t.Run("routes ignore case", func(t *testing.T) {
		wantStatus(t, admin.get("/API/2.0/People/@Self"), http.StatusOK)
	})

	t.Run("streamed lists count 1", func(t *testing.T) {
		ts, _ := startPortal(t)
		r := ts.as(t, keyAdmin).req(http.MethodPut, "/api/2.0/people/status/Terminated",
			map[string]any{"userIds": []string{idUser, idColleague}})
		wantStatus(t, r, http.StatusOK)
		var users []userJSON
		r.into(t, &users)
		if c := r.envelope(t).Count; len(users) != 2 || c == nil || *c != 1 {
			t.Errorf("len(response), count = %d, %v; want 2, 1", len(users), c)
		}
	})

	t.Run("plain lists count their length", func(t *testing.T) {
		r := admin.get("/api/2.0/security/audit/events/filter?count=3")
		var events []json.RawMessage
		r.into(t, &events)
		if c := r.envelope(t).Count; len(events) != 3 || c == nil || *c != 3 {
			t.Errorf("len(response), count = %d, %v; want 3, 3", len(events), c)
		}
	})

	t.Run("fields trims the response", func(t *testing.T) {
		r := admin.get("/api/2.0/people/" + idUser + "?fields=id,status")
		keys := objectKeys(t, r.envelope(t).Response)
		if len(keys) != 2 || !keys["id"] || !keys["status"] {
			t.Errorf("keys = %v, want id and status", keys)
		}
	})
}

func TestChecklist03JSON(t *testing.T) {
	t.Parallel()

	t.Run("unknown properties are ignored", func(t *testing.T) {
		ts, _ := startPortal(t)
		ts.Spec.ExpectInvalidRequest("updateMember")
		r := ts.as(t, keyAdmin).req(http.MethodPut, "/api/2.0/people/"+idUser, map[string]any{"disabled": true})
		wantStatus(t, r, http.StatusOK)
		if u, _ := ts.User(idUser); u.Status != StatusActive {
			t.Errorf("status = %d, want Active", u.Status)
		}
	})

	t.Run("property names in any case", func(t *testing.T) {
		ts, _ := startPortal(t)
		ts.Spec.ExpectInvalidRequest("updateUserStatus")
		r := ts.as(t, keyAdmin).req(http.MethodPut, "/api/2.0/people/status/2", `{"USERIDS":["`+idUser+`"]}`)
		wantStatus(t, r, http.StatusOK)
		if u, _ := ts.User(idUser); u.Status != StatusTerminated {
			t.Errorf("status = %d, want Terminated", u.Status)
		}
	})

	t.Run("numbers as strings", func(t *testing.T) {
		ts, clock := startPortal(t)
		ts.Spec.ExpectInvalidRequest("createApiKey")
		r := ts.as(t, keyAdmin).req(http.MethodPost, "/api/2.0/keys", `{"name":"ci","expiresInDays":"30"}`)
		wantStatus(t, r, http.StatusOK)
		var k struct {
			ExpiresAt string `json:"expiresAt"`
		}
		r.into(t, &k)
		if want := FormatAPIDate(clock.Now().Add(30*24*time.Hour), nil); k.ExpiresAt != want {
			t.Errorf("expiresAt = %s, want %s", k.ExpiresAt, want)
		}
	})

	t.Run("enums in the route by name or number", func(t *testing.T) {
		for _, status := range []string{"Terminated", "terminated", "TERMINATED", "2"} {
			t.Run(status, func(t *testing.T) {
				ts, _ := startPortal(t)
				wantStatus(t, ts.as(t, keyAdmin).req(http.MethodPut, "/api/2.0/people/status/"+status,
					map[string]any{"userIds": []string{idUser}}), http.StatusOK)
			})
		}
	})

	t.Run("enums in the query by name or number", func(t *testing.T) {
		ts, _ := startPortal(t)
		for _, typ := range []string{"RoomAdmin", "roomadmin", "1"} {
			r := ts.as(t, keyAdmin).get("/api/2.0/people/reassign/necessary?userId=" + idLeaver + "&type=" + typ)
			var got bool
			r.into(t, &got)
			if !got {
				t.Errorf("type=%s: necessary = false, want true", typ)
			}
		}
	})

	t.Run("body enums", func(t *testing.T) {
		cases := []struct {
			in   string
			want FileShare
		}{
			{`2`, ShareRead}, {`"2"`, ShareRead}, {`"Read"`, ShareRead}, {`"roommanager"`, ShareRoomManager},
			{`"FullAccess"`, ShareNone}, {`"nonsense"`, ShareNone},
		}
		for _, tc := range cases {
			var got jsonFileShare
			if err := json.Unmarshal([]byte(tc.in), &got); err != nil {
				t.Fatalf("FileShare %s: %v", tc.in, err)
			}
			if FileShare(got) != tc.want {
				t.Errorf("FileShare %s = %d, want %d", tc.in, got, tc.want)
			}
		}
		for in, want := range map[string]EmployeeType{`"RoomAdmin"`: TypeRoomAdmin, `3`: TypeDocSpaceAdmin, `"user"`: TypeUser} {
			var got jsonEmployeeType
			if err := json.Unmarshal([]byte(in), &got); err != nil || EmployeeType(got) != want {
				t.Errorf("EmployeeType %s = %d, %v; want %d", in, got, err, want)
			}
		}
		var bad jsonEmployeeType
		if err := json.Unmarshal([]byte(`"Boss"`), &bad); err == nil {
			t.Error("EmployeeType \"Boss\" accepted")
		}
	})

	t.Run("415 without the JSON content type", func(t *testing.T) {
		ts, _ := startPortal(t)
		ts.Spec.ExpectInvalidRequest("updateUserStatus")
		r := ts.as(t, keyAdmin).req(http.MethodPut, "/api/2.0/people/status/2", `{"userIds":[]}`, "Content-Type", "text/plain")
		wantEmpty(t, r, http.StatusUnsupportedMediaType)
	})

	t.Run("malformed bodies are validation failures", func(t *testing.T) {
		ts, _ := startPortal(t)
		ts.Spec.ExpectInvalidRequest("updateUserStatus")
		for name, body := range map[string]string{
			"syntax":   `{"userIds":[`,
			"not guid": `{"userIds":["abc"]}`,
			"empty":    ``,
		} {
			t.Run(name, func(t *testing.T) {
				r := ts.as(t, keyAdmin).req(http.MethodPut, "/api/2.0/people/status/2", body)
				wantStatus(t, r, http.StatusBadRequest)
				if e := r.envelope(t); e.Error != nil || e.Status == nil || *e.Status != 1 {
					t.Errorf("not a validation envelope: %s", r.Body)
				}
			})
		}
	})
}

func TestChecklist04Dates(t *testing.T) {
	t.Parallel()

	t.Run("output has seven fractional digits and Z", func(t *testing.T) {
		got := FormatAPIDate(time.Date(2026, 3, 2, 14, 5, 9, 120000000, time.UTC), nil)
		if want := "2026-03-02T14:05:09.1200000Z"; got != want {
			t.Errorf("FormatAPIDate = %s, want %s", got, want)
		}
		ts, _ := startPortal(t)
		var u userJSON
		ts.as(t, keyAdmin).get("/api/2.0/people/"+idUser).into(t, &u)
		if want := "2025-01-04T00:00:00.0000000Z"; u.RegistrationDate != want {
			t.Errorf("registrationDate = %s, want %s", u.RegistrationDate, want)
		}
	})

	t.Run("portal time zone gives an offset", func(t *testing.T) {
		zone := time.FixedZone("EET", 2*3600)
		ts, _ := startPortal(t, func(o *Options) { o.TimeZone = zone })
		var u userJSON
		ts.as(t, keyAdmin).get("/api/2.0/people/"+idUser).into(t, &u)
		if want := "2025-01-04T02:00:00.0000000+02:00"; u.RegistrationDate != want {
			t.Errorf("registrationDate = %s, want %s", u.RegistrationDate, want)
		}
	})

	t.Run("audit from and to need a zone", func(t *testing.T) {
		ts, _ := startPortal(t)
		ts.Spec.ExpectInvalidRequest("getAuditEventsByFilter")
		cases := []struct {
			value string
			want  int
		}{
			{"2026-01-01T00:00:00Z", http.StatusOK},
			{"2026-01-01T00:00:00.000Z", http.StatusOK},
			{"2026-01-01T02:00:00+02:00", http.StatusOK},
			{"2026-01-01T00:00:00", http.StatusBadRequest},
			{"2026-01-01", http.StatusBadRequest},
			{"yesterday", http.StatusBadRequest},
		}
		for _, tc := range cases {
			t.Run(tc.value, func(t *testing.T) {
				for _, p := range []string{"from", "to"} {
					r := ts.as(t, keyAdmin).get("/api/2.0/security/audit/events/filter?" + p + "=" + strings.ReplaceAll(tc.value, "+", "%2B"))
					if tc.want == http.StatusBadRequest {
						wantValidation(t, r, p)
						continue
					}
					wantStatus(t, r, tc.want)
				}
			})
		}
	})
}
