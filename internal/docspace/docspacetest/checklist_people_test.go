package docspacetest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func statusBody(ids ...string) map[string]any {
	if ids == nil {
		ids = []string{}
	}
	return map[string]any{"userIds": ids}
}

func TestChecklist05StatusChange(t *testing.T) {
	t.Parallel()

	t.Run("only Active and Terminated are accepted", func(t *testing.T) {
		ts, _ := startPortal(t)
		ts.Spec.ExpectInvalidRequest("updateUserStatus")
		admin := ts.as(t, keyAdmin)
		for _, st := range []string{"Terminated", "2", "Active", "1", "active"} {
			wantStatus(t, admin.req(http.MethodPut, "/api/2.0/people/status/"+st, statusBody(idUser)), http.StatusOK)
		}
		for _, st := range []string{"Pending", "4", "All", "7", "Default"} {
			wantError(t, admin.req(http.MethodPut, "/api/2.0/people/status/"+st, statusBody(idUser)),
				http.StatusBadRequest, "Incorrect status")
		}
		for _, st := range []string{"Disabled", "3"} {
			wantValidation(t, admin.req(http.MethodPut, "/api/2.0/people/status/"+st, statusBody(idUser)), "status")
		}
	})

	t.Run("the whole batch is checked before any change", func(t *testing.T) {
		cases := []struct {
			name   string
			key    string
			target string
		}{
			{"owner", keyAdmin, idOwner},
			{"self", keyAdmin, idAdmin},
			{"ldap", keyAdmin, idLDAP},
			{"system", keyAdmin, idSystem},
			{"unknown", keyAdmin, idUnknown},
			{"admin by a non-owner", keyAdmin, idAdmin2},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ts, _ := startPortal(t)
				r := ts.as(t, tc.key).req(http.MethodPut, "/api/2.0/people/status/Terminated", statusBody(idUser, tc.target))
				wantError(t, r, http.StatusForbidden, "Access denied")
				if u, _ := ts.User(idUser); u.Status != StatusActive {
					t.Errorf("valid member of the batch changed to %d", u.Status)
				}
				if n := len(ts.AuditEvents(AuditQuery{Action: ActionUsersUpdatedStatus})); n != 0 {
					t.Errorf("%d status audit events, want 0", n)
				}
			})
		}
	})

	t.Run("the owner may disable an admin", func(t *testing.T) {
		ts, _ := startPortal(t)
		wantStatus(t, ts.as(t, keyOwner).req(http.MethodPut, "/api/2.0/people/status/Terminated", statusBody(idAdmin2)),
			http.StatusOK)
	})

	t.Run("callers without edit-user rights get 403", func(t *testing.T) {
		ts, _ := startPortal(t)
		wantError(t, ts.as(t, keyUser).req(http.MethodPut, "/api/2.0/people/status/Terminated", statusBody(idColleague)),
			http.StatusForbidden, "Access denied")
	})

	t.Run("disabling ends sessions and keys and leaves terminated unset", func(t *testing.T) {
		ts, _ := startPortal(t)
		before, _ := ts.User(idLeaver)
		r := ts.as(t, keyAdmin).req(http.MethodPut, "/api/2.0/people/status/Terminated", statusBody(idLeaver))
		wantStatus(t, r, http.StatusOK)
		var got []userJSON
		r.into(t, &got)
		if len(got) != 1 || got[0].Status != 2 || got[0].Terminated != nil {
			t.Errorf("response = %+v, want one user with status 2 and no terminated", got)
		}
		after, _ := ts.User(idLeaver)
		if after.CookieIndex != before.CookieIndex+1 || !after.Terminated.IsZero() {
			t.Errorf("cookie index %d -> %d, terminated %v", before.CookieIndex, after.CookieIndex, after.Terminated)
		}
		for _, l := range ts.LoginEvents(idLeaver) {
			if l.Active {
				t.Errorf("login event %d still active", l.ID)
			}
		}
		wantEmpty(t, ts.as(t, keyLeaver).get("/api/2.0/people/@self"), http.StatusUnauthorized)
		ev := ts.AuditEvents(AuditQuery{Action: ActionUsersUpdatedStatus, Target: idLeaver})
		if len(ev) != 1 || ev[0].UserID != idAdmin {
			t.Errorf("4020 events = %+v, want one by the admin", ev)
		}
		if n := len(ts.AuditEvents(AuditQuery{Action: ActionCookieSettingsUpdated})); n != 1 {
			t.Errorf("%d cookie events, want 1", n)
		}
	})

	t.Run("a repeat is 200 and emits again", func(t *testing.T) {
		ts, _ := startPortal(t)
		admin := ts.as(t, keyAdmin)
		for range 2 {
			wantStatus(t, admin.req(http.MethodPut, "/api/2.0/people/status/Terminated", statusBody(idLeaver)), http.StatusOK)
		}
		if n := len(ts.AuditEvents(AuditQuery{Action: ActionUsersUpdatedStatus, Target: idLeaver})); n != 2 {
			t.Errorf("%d status events, want 2", n)
		}
		if u, _ := ts.User(idLeaver); u.CookieIndex != 2 {
			t.Errorf("cookie index = %d, want 2", u.CookieIndex)
		}
	})

	t.Run("edge bodies", func(t *testing.T) {
		ts, _ := startPortal(t)
		ts.Spec.ExpectInvalidRequest("updateUserStatus")
		admin := ts.as(t, keyAdmin)
		r := admin.req(http.MethodPut, "/api/2.0/people/status/Terminated", statusBody())
		wantStatus(t, r, http.StatusOK)
		if string(r.envelope(t).Response) != "[]" {
			t.Errorf("empty batch response = %s, want []", r.envelope(t).Response)
		}
		wantStatus(t, admin.req(http.MethodPut, "/api/2.0/people/status/Terminated", `{"userIds":null}`),
			http.StatusInternalServerError)
		wantValidation(t, admin.req(http.MethodPut, "/api/2.0/people/status/Terminated", ``), "inDto")
	})

	t.Run("Active needs a free seat", func(t *testing.T) {
		ts, _ := startPortal(t, func(o *Options) { o.Seats = 9 }) // the portal has 9 active paid users
		r := ts.as(t, keyAdmin).req(http.MethodPut, "/api/2.0/people/status/Active", statusBody(idGone))
		wantStatus(t, r, http.StatusPaymentRequired)
		if u, _ := ts.User(idGone); u.Status != StatusTerminated {
			t.Errorf("status = %d, want still Terminated", u.Status)
		}
		disable(t, ts, idColleague)
		wantStatus(t, ts.as(t, keyAdmin).req(http.MethodPut, "/api/2.0/people/status/Active", statusBody(idGone)), http.StatusOK)
	})

	t.Run("Active re-enables", func(t *testing.T) {
		ts, _ := startPortal(t)
		wantStatus(t, ts.as(t, keyAdmin).req(http.MethodPut, "/api/2.0/people/status/Active", statusBody(idGone)), http.StatusOK)
		if u, _ := ts.User(idGone); u.Status != StatusActive {
			t.Errorf("status = %d, want Active", u.Status)
		}
		wantStatus(t, ts.as(t, keyGone).get("/api/2.0/people/@self"), http.StatusOK)
	})
}

func TestChecklist06UpdateMember(t *testing.T) {
	t.Parallel()

	t.Run("disable works and sets terminated", func(t *testing.T) {
		ts, clock := startPortal(t)
		r := ts.as(t, keyAdmin).req(http.MethodPut, "/api/2.0/people/"+idLeaver, map[string]any{"disable": true})
		wantStatus(t, r, http.StatusOK)
		var u userJSON
		r.into(t, &u)
		if want := FormatAPIDate(clock.Now(), nil); u.Status != 2 || u.Terminated == nil || *u.Terminated != want {
			t.Errorf("user = %+v, want status 2 and terminated %s", u, want)
		}
		if got, _ := ts.User(idLeaver); got.CookieIndex != 1 {
			t.Errorf("cookie index = %d, want 1", got.CookieIndex)
		}
		wantEmpty(t, ts.as(t, keyLeaver).get("/api/2.0/people/@self"), http.StatusUnauthorized)
		for _, a := range []MessageAction{ActionUserUpdated, ActionCookieSettingsUpdated} {
			if n := len(ts.AuditEvents(AuditQuery{Action: a})); n != 1 {
				t.Errorf("%d events %d, want 1", n, a)
			}
		}
	})

	t.Run("disabled is a silent no-op", func(t *testing.T) {
		ts, _ := startPortal(t)
		ts.Spec.ExpectInvalidRequest("updateMember")
		r := ts.as(t, keyAdmin).req(http.MethodPut, "/api/2.0/people/"+idLeaver, map[string]any{"disabled": true})
		wantStatus(t, r, http.StatusOK)
		var u userJSON
		r.into(t, &u)
		if u.Status != 1 || u.Terminated != nil {
			t.Errorf("user = %+v, want unchanged", u)
		}
		if got, _ := ts.User(idLeaver); got.CookieIndex != 0 {
			t.Errorf("sessions reset: cookie index %d", got.CookieIndex)
		}
		wantStatus(t, ts.as(t, keyLeaver).get("/api/2.0/people/@self"), http.StatusOK)
	})

	t.Run("protected targets", func(t *testing.T) {
		ts, _ := startPortal(t)
		cases := []struct {
			name, key, target string
			status            int
		}{
			{"owner", keyAdmin, idOwner, http.StatusForbidden},
			{"admin by non-owner", keyAdmin, idAdmin2, http.StatusForbidden},
			{"plain user editing another", keyUser, idColleague, http.StatusForbidden},
			{"unknown", keyAdmin, idUnknown, http.StatusNotFound},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := ts.as(t, tc.key).req(http.MethodPut, "/api/2.0/people/"+tc.target, map[string]any{"disable": true})
				wantStatus(t, r, tc.status)
			})
		}
	})

	t.Run("disable on yourself is ignored", func(t *testing.T) {
		ts, _ := startPortal(t)
		wantStatus(t, ts.as(t, keyUser).req(http.MethodPut, "/api/2.0/people/"+idUser, map[string]any{"disable": true}), http.StatusOK)
		if u, _ := ts.User(idUser); u.Status != StatusActive {
			t.Errorf("status = %d, want Active", u.Status)
		}
	})

	t.Run("disable false re-enables", func(t *testing.T) {
		ts, _ := startPortal(t)
		wantStatus(t, ts.as(t, keyAdmin).req(http.MethodPut, "/api/2.0/people/"+idGone, map[string]any{"disable": false}), http.StatusOK)
		if u, _ := ts.User(idGone); u.Status != StatusActive || !u.Terminated.IsZero() {
			t.Errorf("user = %+v, want active without terminated", u)
		}
	})
}

func TestChecklist07Sessions(t *testing.T) {
	t.Parallel()

	t.Run("an admin ends a user's sessions; keys survive", func(t *testing.T) {
		ts, _ := startPortal(t)
		r := ts.as(t, keyAdmin).req(http.MethodPut, "/api/2.0/security/activeconnections/logoutall/"+idLeaver, nil)
		wantStatus(t, r, http.StatusOK)
		if objectKeys(t, r.Body)["response"] {
			t.Errorf("response present: %s", r.Body)
		}
		for _, l := range ts.LoginEvents(idLeaver) {
			if l.Active {
				t.Errorf("login %d still active", l.ID)
			}
		}
		if u, _ := ts.User(idLeaver); u.CookieIndex != 1 {
			t.Errorf("cookie index = %d, want 1", u.CookieIndex)
		}
		if n := len(ts.AuditEvents(AuditQuery{Action: ActionUserLogoutActiveConnectionsForUser, Target: idLeaver})); n != 1 {
			t.Errorf("%d logout events, want 1", n)
		}
		wantStatus(t, ts.as(t, keyLeaver).get("/api/2.0/people/@self"), http.StatusOK)
	})

	t.Run("permissions", func(t *testing.T) {
		ts, _ := startPortal(t)
		cases := []struct {
			name, key, target string
			want              int
		}{
			{"self", keyUser, idUser, http.StatusOK},
			{"another user by a non-admin", keyUser, idColleague, http.StatusForbidden},
			{"unknown but well-formed id", keyAdmin, idUnknown, http.StatusOK},
			{"repeat", keyAdmin, idColleague, http.StatusOK},
			{"repeat again", keyAdmin, idColleague, http.StatusOK},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := ts.as(t, tc.key).req(http.MethodPut, "/api/2.0/security/activeconnections/logoutall/"+tc.target, nil)
				if tc.want == http.StatusForbidden {
					wantError(t, r, tc.want, "Access denied")
					return
				}
				wantStatus(t, r, tc.want)
			})
		}
	})
}

// reassign drives a reassign through the API.
func startReassignCall(a *api, from, to string, deleteProfile bool) reply {
	return a.req(http.MethodPost, "/api/2.0/people/reassign/start",
		map[string]any{"fromUserId": from, "toUserId": to, "deleteProfile": deleteProfile})
}

func progressOf(t testing.TB, a *api, kind, userID string) (progressJSON, bool) {
	t.Helper()
	r := a.get("/api/2.0/people/" + kind + "/progress/" + userID)
	wantStatus(t, r, http.StatusOK)
	if !objectKeys(t, r.Body)["response"] {
		return progressJSON{}, false
	}
	var p progressJSON
	r.into(t, &p)
	return p, true
}

func disable(t testing.TB, ts *TestServer, ids ...string) {
	t.Helper()
	wantStatus(t, ts.as(t, keyOwner).req(http.MethodPut, "/api/2.0/people/status/Terminated", statusBody(ids...)), http.StatusOK)
}

func TestChecklist08Reassign(t *testing.T) {
	t.Parallel()

	t.Run("synchronous argument rules", func(t *testing.T) {
		ts, _ := startPortal(t)
		disable(t, ts, idLeaver)
		cases := []struct {
			name     string
			key      string
			from, to string
			status   int
			msg      string
		}{
			{"source not terminated", keyAdmin, idColleague, idKeeper, 400, "Can not reassign data from user with id = " + idColleague},
			{"target is a plain user", keyAdmin, idLeaver, idColleague, 400, "Can not reassign data to user with id = " + idColleague},
			{"target is a guest", keyAdmin, idLeaver, idGuest, 400, "Can not reassign data to user with id = " + idGuest},
			{"target is terminated", keyAdmin, idLeaver, idGone, 400, "Can not reassign data to user with id = " + idGone},
			{"target unknown", keyAdmin, idLeaver, idUnknown, 400, "Can not reassign data to user with id = " + idUnknown},
			{"target system", keyAdmin, idLeaver, idSystem, 400, "Can not reassign data to user with id = " + idSystem},
			{"source unknown", keyAdmin, idUnknown, idKeeper, 400, "Can not reassign data from user with id = " + idUnknown},
			{"source is the owner", keyAdmin, idOwner, idKeeper, 400, "Can not reassign data from user with id = " + idOwner},
			{"caller without edit rights", keyUser, idLeaver, idKeeper, 403, "Access denied"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				wantError(t, startReassignCall(ts.as(t, tc.key), tc.from, tc.to, false), tc.status, tc.msg)
			})
		}
		t.Run("admin source needs the owner", func(t *testing.T) {
			disable(t, ts, idAdmin2)
			wantError(t, startReassignCall(ts.as(t, keyAdmin), idAdmin2, idKeeper, false), 400,
				"Can not reassign data from user with id = "+idAdmin2)
			wantStatus(t, startReassignCall(ts.as(t, keyOwner), idAdmin2, idKeeper, false), 200)
		})
		t.Run("the owner is a valid target", func(t *testing.T) {
			wantStatus(t, startReassignCall(ts.as(t, keyAdmin), idGone, idOwner, false), 200)
		})
	})

	t.Run("job id, percentages and statuses", func(t *testing.T) {
		ts, clock := startPortal(t)
		disable(t, ts, idLeaver)
		admin := ts.as(t, keyAdmin)
		r := startReassignCall(admin, idLeaver, idKeeper, false)
		wantStatus(t, r, http.StatusOK)
		var start progressJSON
		r.into(t, &start)
		want := progressJSON{ID: "1_" + idLeaver + "_ReassignProgressItem", Status: 1}
		if diff := cmp.Diff(want, start); diff != "" {
			t.Errorf("start reply (-want +got):\n%s", diff)
		}
		var seen []int
		for range 9 {
			clock.Advance(time.Second)
			p, ok := progressOf(t, admin, "reassign", idLeaver)
			if !ok {
				t.Fatal("progress has no response while the job runs")
			}
			seen = append(seen, p.Percentage)
			if p.Percentage < 100 && (p.Status != 1 || p.IsCompleted) {
				t.Errorf("at %d%%: status %d completed %v", p.Percentage, p.Status, p.IsCompleted)
			}
			if p.Percentage == 100 && (p.Status != 2 || !p.IsCompleted || p.Error != "") {
				t.Errorf("final = %+v", p)
			}
		}
		if diff := cmp.Diff([]int{5, 10, 20, 30, 50, 70, 90, 95, 100}, seen); diff != "" {
			t.Errorf("percentages (-want +got):\n%s", diff)
		}
	})

	t.Run("status 4 when the caller is not a DocSpace admin", func(t *testing.T) {
		ts, clock := startPortal(t)
		disable(t, ts, idColleague)
		pa := ts.as(t, keyPeopleAdmin)
		wantStatus(t, startReassignCall(pa, idColleague, idKeeper, false), http.StatusOK)
		clock.Advance(10 * time.Second)
		p, _ := progressOf(t, pa, "reassign", idColleague)
		want := progressJSON{ID: "1_" + idColleague + "_ReassignProgressItem", Error: errNoPermissionText,
			Percentage: 5, IsCompleted: true, Status: 4}
		if diff := cmp.Diff(want, p); diff != "" {
			t.Errorf("progress (-want +got):\n%s", diff)
		}
	})

	t.Run("the record expires after its last update", func(t *testing.T) {
		ts, clock := startPortal(t)
		disable(t, ts, idLeaver)
		admin := ts.as(t, keyAdmin)
		wantStatus(t, startReassignCall(admin, idLeaver, idKeeper, false), http.StatusOK)
		clock.Advance(9*time.Second + 60*time.Second)
		if _, ok := progressOf(t, admin, "reassign", idLeaver); !ok {
			t.Fatal("record gone exactly 60 s after the last update")
		}
		clock.Advance(time.Second)
		if p, ok := progressOf(t, admin, "reassign", idLeaver); ok {
			t.Errorf("record still there: %+v", p)
		}
		if _, ok := progressOf(t, admin, "reassign", idColleague); ok {
			t.Error("progress for a user without a job has a response")
		}
	})

	t.Run("a second start returns the running job", func(t *testing.T) {
		ts, clock := startPortal(t)
		disable(t, ts, idLeaver)
		admin := ts.as(t, keyAdmin)
		wantStatus(t, startReassignCall(admin, idLeaver, idKeeper, false), http.StatusOK)
		clock.Advance(3 * time.Second)
		r := startReassignCall(admin, idLeaver, idAdmin, true)
		var p progressJSON
		r.into(t, &p)
		if p.Percentage != 20 {
			t.Errorf("second start percentage = %d, want the running job's 20", p.Percentage)
		}
		clock.Advance(10 * time.Second)
		if j, _ := ts.ReassignJob(idLeaver); j.ToUserID != idKeeper || j.DeleteProfile {
			t.Errorf("job arguments changed: %+v", j)
		}
		if u, _ := ts.User(idLeaver); u.Removed {
			t.Error("deleteProfile of the second call applied")
		}
		r = startReassignCall(admin, idLeaver, idAdmin, false)
		r.into(t, &p)
		if p.Percentage != 0 || p.IsCompleted {
			t.Errorf("start after completion = %+v, want a new job", p)
		}
	})

	t.Run("terminate cancels with status 3", func(t *testing.T) {
		ts, clock := startPortal(t)
		disable(t, ts, idLeaver)
		admin := ts.as(t, keyAdmin)
		wantStatus(t, startReassignCall(admin, idLeaver, idKeeper, false), http.StatusOK)
		clock.Advance(4 * time.Second)
		r := admin.req(http.MethodPut, "/api/2.0/people/reassign/terminate", map[string]any{"userId": idLeaver})
		var p progressJSON
		r.into(t, &p)
		if p.Status != 3 || !p.IsCompleted || p.Percentage != 30 {
			t.Errorf("terminate reply = %+v, want status 3 completed at 30%%", p)
		}
		if _, ok := progressOf(t, admin, "reassign", idLeaver); ok {
			t.Error("record survives terminate")
		}
		r = admin.req(http.MethodPut, "/api/2.0/people/reassign/terminate", map[string]any{"userId": idLeaver})
		if objectKeys(t, r.Body)["response"] {
			t.Errorf("terminate without a job answered %s", r.Body)
		}
		clock.Advance(time.Minute)
		if e, _ := ts.Entry(510); e.CreatedBy != idLeaver {
			t.Errorf("room owner = %s after cancel, want unchanged", e.CreatedBy)
		}
	})

	t.Run("jobs queue one at a time", func(t *testing.T) {
		ts, clock := startPortal(t)
		disable(t, ts, idLeaver, idColleague)
		admin := ts.as(t, keyAdmin)
		wantStatus(t, startReassignCall(admin, idLeaver, idKeeper, false), http.StatusOK)
		wantStatus(t, startReassignCall(admin, idColleague, idKeeper, false), http.StatusOK)
		clock.Advance(5 * time.Second)
		if p, _ := progressOf(t, admin, "reassign", idColleague); p.Percentage != 0 || p.Status != 1 {
			t.Errorf("queued job = %+v, want status 1 at 0%%", p)
		}
		clock.Advance(5 * time.Second)
		if p, _ := progressOf(t, admin, "reassign", idColleague); p.Percentage != 5 {
			t.Errorf("second job = %+v, want 5%% one second after the first finished", p)
		}
	})

	t.Run("effects", func(t *testing.T) {
		ts, clock := startPortal(t)
		disable(t, ts, idLeaver)
		keeper, _ := ts.User(idKeeper)
		leaver, _ := ts.User(idLeaver)
		wantStatus(t, startReassignCall(ts.as(t, keyAdmin), idLeaver, idKeeper, false), http.StatusOK)
		clock.Advance(10 * time.Second)

		var folder *Entry
		for _, e := range ts.Children(keeper.MyDocumentsID) {
			if e.Title == "Documents of user Jane Roe" {
				folder = &e
			}
		}
		if folder == nil {
			t.Fatalf("no reassigned folder in %+v", ts.Children(keeper.MyDocumentsID))
		}
		var moved []int
		for _, e := range ts.Children(folder.ID) {
			moved = append(moved, e.ID)
			if e.CreatedBy != idKeeper {
				t.Errorf("moved entry %d createdBy = %s", e.ID, e.CreatedBy)
			}
		}
		if diff := cmp.Diff([]int{600, 602, 612, 620}, moved); diff != "" {
			t.Errorf("moved entries (-want +got):\n%s", diff)
		}
		if len(ts.Shares(600)) != 1 || len(ts.Shares(620)) != 1 {
			t.Error("shares lost in the move")
		}
		for _, id := range []int{610, 611, 621} {
			if e, _ := ts.Entry(id); e.CreatedBy != idLeaver || !ts.isUnderInspect(id, leaver.MyDocumentsID) {
				t.Errorf("unshared entry %d = %+v, want left in the leaver's My documents", id, e)
			}
		}
		for _, id := range []int{510, 520, 501, 502, 503, 511, 601} {
			if e, _ := ts.Entry(id); e.CreatedBy != idKeeper {
				t.Errorf("entry %d createdBy = %s, want the target", id, e.CreatedBy)
			}
		}
		if e, _ := ts.Entry(504); e.CreatedBy != idColleague {
			t.Errorf("colleague's file changed owner to %s", e.CreatedBy)
		}
		if ev := ts.AuditEvents(AuditQuery{Action: ActionUserDataReassigns, Target: idLeaver}); len(ev) != 1 || ev[0].UserID != idAdmin {
			t.Errorf("4030 events = %+v", ev)
		}
		if u, _ := ts.User(idLeaver); u.Removed {
			t.Error("profile removed without deleteProfile")
		}
	})

	t.Run("deleteProfile", func(t *testing.T) {
		ts, clock := startPortal(t)
		disable(t, ts, idLeaver)
		leaver, _ := ts.User(idLeaver)
		wantStatus(t, startReassignCall(ts.as(t, keyAdmin), idLeaver, idKeeper, true), http.StatusOK)
		clock.Advance(10 * time.Second)
		for _, id := range []int{leaver.MyDocumentsID, leaver.TrashID, 610, 611, 621} {
			if _, ok := ts.Entry(id); ok {
				t.Errorf("personal entry %d survived", id)
			}
		}
		if e, ok := ts.Entry(620); !ok || e.CreatedBy != idKeeper {
			t.Errorf("shared file = %+v, %v; want moved to the target", e, ok)
		}
		if u, _ := ts.User(idLeaver); !u.Removed {
			t.Error("profile not removed")
		}
		for _, m := range ts.RoomMembers(500) {
			if m.SubjectID == idLeaver {
				t.Error("room membership survived")
			}
		}
		if n := len(ts.AuditEvents(AuditQuery{Action: ActionUserDeleted, Target: idLeaver})); n != 1 {
			t.Errorf("%d user-deleted events, want 1", n)
		}
		wantStatus(t, ts.as(t, keyAdmin).get("/api/2.0/people/"+idLeaver), http.StatusNotFound)
	})

	t.Run("necessary", func(t *testing.T) {
		ts, _ := startPortal(t)
		cases := []struct {
			name, key, user, typ string
			want                 any
		}{
			{"room owner", keyAdmin, idLeaver, "RoomAdmin", true},
			{"no rooms", keyAdmin, idColleague, "User", false},
			{"admin asked by a non-owner", keyAdmin, idAdmin2, "DocSpaceAdmin", http.StatusForbidden},
			{"admin asked by the owner", keyOwner, idAdmin2, "DocSpaceAdmin", false},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := ts.as(t, tc.key).get("/api/2.0/people/reassign/necessary?userId=" + tc.user + "&type=" + tc.typ)
				if code, ok := tc.want.(int); ok {
					wantStatus(t, r, code)
					return
				}
				var got bool
				r.into(t, &got)
				if got != tc.want {
					t.Errorf("necessary = %v, want %v", got, tc.want)
				}
			})
		}
	})
}

// isUnderInspect reports whether entry id lies below folderID.
func (s *Server) isUnderInspect(id, folderID int) bool {
	var ok bool
	s.locked(func() { ok = s.st.isUnder(id, folderID) })
	return ok
}

func TestChecklist09Remove(t *testing.T) {
	t.Parallel()

	t.Run("start rules", func(t *testing.T) {
		ts, _ := startPortal(t)
		cases := []struct {
			name, key, user string
			status          int
			msg             string
		}{
			{"active user", keyAdmin, idColleague, 400, "Can not delete user with id = " + idColleague},
			{"unknown", keyAdmin, idUnknown, 400, "User with id = " + idUnknown + " not found"},
			{"owner", keyAdmin, idOwner, 400, "Can not delete user with id = " + idOwner},
			{"self", keyAdmin, idAdmin, 400, "Can not delete user with id = " + idAdmin},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := ts.as(t, tc.key).req(http.MethodPost, "/api/2.0/people/remove/start", map[string]any{"userId": tc.user})
				wantError(t, r, tc.status, tc.msg)
			})
		}
		t.Run("room admin needs a DocSpace admin", func(t *testing.T) {
			disable(t, ts, idLeaver)
			r := ts.as(t, keyPeopleAdmin).req(http.MethodPost, "/api/2.0/people/remove/start", map[string]any{"userId": idLeaver})
			wantError(t, r, http.StatusForbidden, "Access denied")
		})
	})

	t.Run("the job hands data to the caller and room owners", func(t *testing.T) {
		ts, clock := startPortal(t)
		disable(t, ts, idLeaver)
		caller, _ := ts.User(idAdmin2)
		a := ts.as(t, keyAdmin2)
		r := a.req(http.MethodPost, "/api/2.0/people/remove/start", map[string]any{"userId": idLeaver})
		var p progressJSON
		r.into(t, &p)
		if p.ID != "1_"+idLeaver+"_RemoveProgressItem" {
			t.Errorf("job id = %s", p.ID)
		}
		clock.Advance(10 * time.Second)
		if p, _ := progressOf(t, a, "remove", idLeaver); p.Status != 2 || !p.IsCompleted {
			t.Errorf("progress = %+v, want completed", p)
		}
		found := false
		for _, e := range ts.Children(caller.MyDocumentsID) {
			found = found || e.Title == "Documents of user Jane Roe"
		}
		if !found {
			t.Error("shared items not handed to the caller")
		}
		if _, ok := ts.Entry(611); ok {
			t.Error("private file survived")
		}
		// Rooms the leaver owned go to the caller; what the leaver created in the admin's Team Room goes to the admin.
		for id, owner := range map[int]string{510: idAdmin2, 520: idAdmin2, 511: idAdmin2, 501: idAdmin, 502: idAdmin, 503: idAdmin} {
			if e, _ := ts.Entry(id); e.CreatedBy != owner {
				t.Errorf("entry %d createdBy = %s, want %s", id, e.CreatedBy, owner)
			}
		}
		if u, _ := ts.User(idLeaver); !u.Removed {
			t.Error("profile not removed")
		}
		r = a.req(http.MethodPost, "/api/2.0/people/remove/start", map[string]any{"userId": idLeaver})
		wantError(t, r, http.StatusBadRequest, "User with id = "+idLeaver+" not found")
	})

	t.Run("terminate", func(t *testing.T) {
		ts, _ := startPortal(t)
		disable(t, ts, idLeaver)
		a := ts.as(t, keyAdmin)
		wantStatus(t, a.req(http.MethodPost, "/api/2.0/people/remove/start", map[string]any{"userId": idLeaver}), http.StatusOK)
		r := a.req(http.MethodPut, "/api/2.0/people/remove/terminate", map[string]any{"userId": idLeaver})
		wantStatus(t, r, http.StatusOK)
		if objectKeys(t, r.Body)["response"] {
			t.Errorf("terminate answered %s", r.Body)
		}
		if _, ok := ts.RemoveJob(idLeaver); ok {
			t.Error("record survives terminate")
		}
	})

	t.Run("deleteMember", func(t *testing.T) {
		ts, clock := startPortal(t)
		a := ts.as(t, keyAdmin)
		wantError(t, a.req(http.MethodDelete, "/api/2.0/people/"+idColleague, nil), http.StatusForbidden, "The user is not suspended")
		wantError(t, a.req(http.MethodDelete, "/api/2.0/people/"+idUnknown, nil), http.StatusNotFound, "The user could not be found")
		wantError(t, a.req(http.MethodDelete, "/api/2.0/people/"+idLDAP, nil), http.StatusForbidden, "Access denied")
		disable(t, ts, idLeaver)
		r := a.req(http.MethodDelete, "/api/2.0/people/"+idLeaver, nil)
		wantStatus(t, r, http.StatusOK)
		var u userJSON
		r.into(t, &u)
		if u.ID != idLeaver {
			t.Errorf("reply id = %s", u.ID)
		}
		wantStatus(t, a.get("/api/2.0/people/"+idLeaver), http.StatusNotFound)
		clock.Advance(10 * time.Second)
		if e, _ := ts.Entry(510); e.CreatedBy != idAdmin {
			t.Errorf("room owner = %s, want the caller", e.CreatedBy)
		}
		if n := len(ts.AuditEvents(AuditQuery{Action: ActionUserDataRemoving})); n != 0 {
			t.Errorf("%d removal notifications, want none for deleteMember", n)
		}
	})

	t.Run("deleteMember while a reassign runs is 500", func(t *testing.T) {
		ts, _ := startPortal(t)
		disable(t, ts, idLeaver)
		a := ts.as(t, keyAdmin)
		wantStatus(t, startReassignCall(a, idLeaver, idKeeper, false), http.StatusOK)
		wantError(t, a.req(http.MethodDelete, "/api/2.0/people/"+idLeaver, nil), http.StatusInternalServerError, "ReassignDataRemoveUserError")
	})
}

func TestChecklist10Groups(t *testing.T) {
	t.Parallel()
	ts, _ := startPortal(t)
	a := ts.as(t, keyAdmin)

	t.Run("a user's regular groups", func(t *testing.T) {
		var got []groupSummaryDTO
		a.get("/api/2.0/group/user/"+idLeaver).into(t, &got)
		want := []groupSummaryDTO{{ID: groupHR, Name: "HR", Manager: "user"}, {ID: groupEngineering, Name: "Engineering", Manager: "jane"}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("groups (-want +got):\n%s", diff)
		}
	})

	t.Run("member removal is idempotent", func(t *testing.T) {
		for i := range 2 {
			r := a.req(http.MethodDelete, "/api/2.0/group/"+groupHR+"/members", map[string]any{"members": []string{idLeaver, idUnknown}})
			wantStatus(t, r, http.StatusOK)
			var g struct {
				ID           string `json:"id"`
				MembersCount int    `json:"membersCount"`
				Members      []struct {
					ID string `json:"id"`
				} `json:"members"`
			}
			r.into(t, &g)
			if g.ID != groupHR || g.MembersCount != 1 || len(g.Members) != 1 || g.Members[0].ID != idUser {
				t.Errorf("call %d: group = %+v, want only the manager left", i, g)
			}
		}
		if n := len(ts.AuditEvents(AuditQuery{Action: ActionGroupUpdated})); n != 1 {
			t.Errorf("%d group events, want 1", n)
		}
	})

	t.Run("unknown group is 404", func(t *testing.T) {
		wantError(t, a.get("/api/2.0/group/"+idUnknown), http.StatusNotFound, "The group could not be found")
		wantError(t, a.req(http.MethodDelete, "/api/2.0/group/"+idUnknown+"/members", map[string]any{"members": []string{idUser}}),
			http.StatusNotFound, "The group could not be found")
	})

	t.Run("non-admins cannot remove members", func(t *testing.T) {
		wantError(t, ts.as(t, keyUser).req(http.MethodDelete, "/api/2.0/group/"+groupEngineering+"/members",
			map[string]any{"members": []string{idColleague}}), http.StatusForbidden, "Access denied")
	})

	t.Run("group details", func(t *testing.T) {
		var g struct {
			Name    string `json:"name"`
			Manager struct {
				ID string `json:"id"`
			} `json:"manager"`
			Members []struct {
				ID string `json:"id"`
			} `json:"members"`
		}
		a.get("/api/2.0/group/"+groupEngineering).into(t, &g)
		if g.Name != "Engineering" || g.Manager.ID != idLeaver || len(g.Members) != 2 {
			t.Errorf("group = %+v", g)
		}
		var bare map[string]any
		a.get("/api/2.0/group/"+groupEngineering+"?includeMembers=false").into(t, &bare)
		if _, ok := bare["members"]; ok {
			t.Error("members present with includeMembers=false")
		}
		if !strings.EqualFold(bare["id"].(string), groupEngineering) {
			t.Errorf("id = %v", bare["id"])
		}
	})
}
