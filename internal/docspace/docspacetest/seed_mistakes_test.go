package docspacetest

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// seedDisable disables users the way the reference recommends, failing the test if it does not work.
func (p *demoPortal) seedDisable(t *testing.T, ids ...string) {
	t.Helper()
	p.put(demoService, "/api/2.0/people/status/Terminated", map[string]any{"userIds": ids}).ok(t)
}

// seedReassign starts a reassign as the service account and lets it finish.
func (p *demoPortal) seedReassign(t *testing.T, from, to string) reply {
	t.Helper()
	r := p.post(demoService, "/api/2.0/people/reassign/start",
		map[string]any{"fromUserId": from, "toUserId": to, "deleteProfile": false})
	p.clock.Advance(3 * time.Second)
	return r
}

// TestSeedMistakes sends, for each row of reference §14, the starting example's wrong request to the
// simulator and asserts what DocSpace really does.
func TestSeedMistakes(t *testing.T) {
	t.Parallel()
	rows := []struct {
		name string
		// expect declares deliberate off-document requests to the validator.
		expect func(p *demoPortal)
		// send makes the example's wrong call (after any setup it needs) and returns the reply.
		send func(t *testing.T, p *demoPortal) reply
		// check asserts the documented outcome.
		check func(t *testing.T, p *demoPortal, r reply)
	}{
		{
			name:   "14.01_disable_via_people_id_status_is_an_unknown_route",
			expect: func(p *demoPortal) { p.ts.Spec.ExpectUnknown(http.MethodPut, "/api/2.0/people/*/status") },
			send: func(t *testing.T, p *demoPortal) reply {
				return p.put(demoService, "/api/2.0/people/"+demoJane+"/status", map[string]any{"disabled": true})
			},
			check: func(t *testing.T, p *demoPortal, r reply) {
				wantEmpty(t, r, http.StatusNotFound)
				if u, _ := p.ts.User(demoJane); u.Status != StatusActive {
					t.Errorf("status %d, want still Active", u.Status)
				}
			},
		},
		{
			name:   "14.02_disabled_is_not_a_field_so_the_update_is_a_silent_no-op",
			expect: func(p *demoPortal) { p.ts.Spec.ExpectInvalidRequest("updateMember") },
			send: func(t *testing.T, p *demoPortal) reply {
				return p.put(demoService, "/api/2.0/people/"+demoJane, map[string]any{"disabled": true})
			},
			check: func(t *testing.T, p *demoPortal, r reply) {
				var u struct {
					Status int `json:"status"`
				}
				r.okInto(t, &u)
				stored, _ := p.ts.User(demoJane)
				if u.Status != int(StatusActive) || stored.Status != StatusActive {
					t.Errorf("reply status %d, stored %d; want Active for both", u.Status, stored.Status)
				}
			},
		},
		{
			name: "14.03_necessary_ignores_content_created_in_other_rooms",
			send: func(t *testing.T, p *demoPortal) reply {
				return p.get(demoService, "/api/2.0/people/reassign/necessary?UserId="+demoSofia+"&Type=User")
			},
			check: func(t *testing.T, p *demoPortal, r reply) {
				var necessary bool
				r.okInto(t, &necessary)
				if necessary {
					t.Fatalf("necessary = true for a user who owns no room")
				}
				created := p.ts.FindEntries(func(e Entry) bool { return e.CreatedBy == demoSofia && e.ID == 1007 })
				if len(created) != 1 {
					t.Fatalf("fixture: Sofia's workspace folder 1007 missing")
				}
				p.seedDisable(t, demoSofia)
				p.seedReassign(t, demoSofia, demoKeeper).ok(t)
				if e := p.entry(1007); e.CreatedBy != demoKeeper {
					t.Errorf("after reassign 1007 is created by %s, want the keeper: reassign was needed", e.CreatedBy)
				}
			},
		},
		{
			name: "14.04_reassign_target_must_be_an_active_room_admin_or_docspace_admin",
			send: func(t *testing.T, p *demoPortal) reply {
				p.seedDisable(t, demoJane)
				return p.post(demoService, "/api/2.0/people/reassign/start",
					map[string]any{"fromUserId": demoJane, "toUserId": demoHannah, "deleteProfile": false})
			},
			check: func(t *testing.T, p *demoPortal, r reply) {
				wantError(t, r, http.StatusBadRequest, "Can not reassign data to user with id = "+demoHannah)
			},
		},
		{
			name: "14.05_progress_has_no_response_once_the_record_expired",
			send: func(t *testing.T, p *demoPortal) reply {
				p.seedDisable(t, demoJane)
				p.seedReassign(t, demoJane, demoKeeper).ok(t)
				var done struct {
					IsCompleted bool `json:"isCompleted"`
					Status      int  `json:"status"`
				}
				p.get(demoService, "/api/2.0/people/reassign/progress/"+demoJane).okInto(t, &done)
				if !done.IsCompleted || done.Status != int(TaskCompleted) {
					t.Fatalf("reassign did not complete: %+v", done)
				}
				p.clock.Advance(61 * time.Second)
				return p.get(demoService, "/api/2.0/people/reassign/progress/"+demoJane)
			},
			check: func(t *testing.T, p *demoPortal, r reply) {
				r.ok(t)
				if objectKeys(t, r.Body)["response"] {
					t.Errorf("expired progress still has a response: %s", r.Body)
				}
				never := p.get(demoService, "/api/2.0/people/reassign/progress/"+demoMaria)
				never.ok(t)
				if objectKeys(t, never.Body)["response"] {
					t.Errorf("progress of a never-started job has a response: %s", never.Body)
				}
			},
		},
		{
			name: "14.06_reassign_moves_shared_items_only_and_not_the_workspace",
			send: func(t *testing.T, p *demoPortal) reply {
				p.seedDisable(t, demoJane)
				return p.seedReassign(t, demoJane, demoKeeper)
			},
			check: func(t *testing.T, p *demoPortal, r reply) {
				r.ok(t)
				janeMy, keeperMy := p.myDocs(demoJane), p.myDocs(demoKeeper)
				for _, id := range []int{folderJanePrivate, fileJaneTodo} {
					if e := p.entry(id); e.ParentID != janeMy || e.CreatedBy != demoJane {
						t.Errorf("unshared %d moved or changed owner: %+v", id, e)
					}
				}
				var holder Entry
				for _, c := range p.ts.Children(keeperMy) {
					if c.Title == "Documents of user Jane Roe" {
						holder = c
					}
				}
				if holder.ID == 0 {
					t.Fatalf("no \"Documents of user Jane Roe\" in the keeper's My documents: %v", p.childTitles(keeperMy))
				}
				for _, id := range []int{folderJaneShared, fileJaneHandover} {
					if e := p.entry(id); e.ParentID != holder.ID {
						t.Errorf("shared %d is in %d, want %d", id, e.ParentID, holder.ID)
					}
				}
				if e := p.entry(folderJaneWork); e.ParentID != roomWorkspaces || e.CreatedBy != demoKeeper {
					t.Errorf("workspace folder %+v: it stays in its room, only its creator changes", e)
				}
			},
		},
		{
			name: "14.07_an_admin_cannot_move_a_folder_in_the_leavers_my_documents",
			send: func(t *testing.T, p *demoPortal) reply {
				return p.move(demoService, map[string]any{"folderIds": []int{folderJanePrivate},
					"destFolderId": roomArchive, "deleteAfter": true, "content": true})
			},
			check: func(t *testing.T, p *demoPortal, r reply) {
				wantError(t, r, http.StatusForbidden, "Access denied")
				if e := p.entry(folderJanePrivate); e.ParentID != p.myDocs(demoJane) {
					t.Errorf("the folder moved to %d", e.ParentID)
				}
			},
		},
		{
			name: "14.08_content_true_moves_the_children_and_leaves_the_folder_empty",
			send: func(t *testing.T, p *demoPortal) reply {
				return p.move(demoService, map[string]any{"folderIds": []int{folderJaneWork},
					"destFolderId": roomArchive, "deleteAfter": true, "content": true})
			},
			check: func(t *testing.T, p *demoPortal, r reply) {
				r.ok(t)
				p.finish()
				if e := p.entry(folderJaneWork); e.ParentID != roomWorkspaces {
					t.Errorf("the folder itself moved to %d", e.ParentID)
				}
				if n := len(p.ts.Children(folderJaneWork)); n != 0 {
					t.Errorf("the folder still holds %d entries", n)
				}
				if e := p.entry(fileJaneNotes); e.ParentID != roomArchive {
					t.Errorf("notes.docx is in %d, want the archive room", e.ParentID)
				}
			},
		},
		{
			name: "14.09_delete_after_true_never_reports_the_result",
			send: func(t *testing.T, p *demoPortal) reply {
				return p.move(demoService, map[string]any{"folderIds": []int{folderJaneWork},
					"destFolderId": roomArchive, "deleteAfter": true, "returnSingleOperation": true})
			},
			check: func(t *testing.T, p *demoPortal, r reply) {
				var ops []opJSON
				r.okInto(t, &ops)
				if len(ops) != 1 {
					t.Fatalf("got %d operations", len(ops))
				}
				p.clock.Advance(opDuration / 2)
				if _, ok := p.poll(demoService, ops[0].ID); !ok {
					t.Fatalf("a running deleteAfter operation is reported until it finishes")
				}
				p.finish()
				if got, ok := p.poll(demoService, ops[0].ID); ok {
					t.Errorf("the finished result was reported: %+v", got)
				}
				var all []opJSON
				p.get(demoService, "/api/2.0/files/fileops").okInto(t, &all)
				if len(all) != 0 {
					t.Errorf("GET fileops lists %+v", all)
				}
			},
		},
		{
			name: "14.10_a_200_only_means_queued",
			send: func(t *testing.T, p *demoPortal) reply {
				return p.move(demoService, map[string]any{"folderIds": []int{folderJaneWork},
					"destFolderId": roomArchive, "deleteAfter": true, "content": false})
			},
			check: func(t *testing.T, p *demoPortal, r reply) {
				var ops []opJSON
				r.okInto(t, &ops)
				if len(ops) != 1 || ops[0].Finished || ops[0].Status != int(TaskCreated) || ops[0].Progress != 0 {
					t.Fatalf("reply %+v, want one queued operation", ops)
				}
				if e := p.entry(folderJaneWork); e.ParentID != roomWorkspaces {
					t.Errorf("the folder moved before the operation ran")
				}
				p.finish()
				if e := p.entry(folderJaneWork); e.ParentID != roomArchive {
					t.Errorf("the folder did not move")
				}
			},
		},
		{
			name:   "14.11_folderops_fallback_does_not_exist",
			expect: func(p *demoPortal) { p.ts.Spec.ExpectUnknown(http.MethodPut, "/api/2.0/files/folderops/move") },
			send: func(t *testing.T, p *demoPortal) reply {
				return p.put(demoService, "/api/2.0/files/folderops/move", map[string]any{"folderIds": []int{folderJaneWork},
					"destFolderId": roomArchive, "deleteAfter": true, "content": true})
			},
			check: func(t *testing.T, p *demoPortal, r reply) { wantEmpty(t, r, http.StatusNotFound) },
		},
		{
			name: "14.12_a_same_titled_folder_is_merged_and_the_source_id_deleted",
			send: func(t *testing.T, p *demoPortal) reply {
				p.createFolder(demoService, roomArchive, "Jane Roe")
				return p.move(demoService, map[string]any{"folderIds": []int{folderJaneWork},
					"destFolderId": roomArchive, "deleteAfter": true})
			},
			check: func(t *testing.T, p *demoPortal, r reply) {
				r.ok(t)
				p.finish()
				wantError(t, p.get(demoService, "/api/2.0/files/folder/"+strconv.Itoa(folderJaneWork)),
					http.StatusNotFound, msgFolderNotFound)
				merged := p.ts.FindEntries(func(e Entry) bool { return e.Title == "Jane Roe" && e.ParentID == roomArchive })
				if len(merged) != 1 || len(p.ts.Children(merged[0].ID)) != 3 {
					t.Errorf("merged folders %+v", merged)
				}
			},
		},
		{
			name:   "14.13_an_entries_body_is_ignored_and_nothing_is_shared",
			expect: func(p *demoPortal) { p.ts.Spec.ExpectInvalidRequest("setFolderSecurityInfo") },
			send: func(t *testing.T, p *demoPortal) reply {
				return p.put(demoJane, "/api/2.0/files/folder/3003/share", map[string]any{"entries": []map[string]any{
					{"id": demoKeeper, "isGroup": false, "access": 4}, {"id": demoHR, "isGroup": true, "access": 1}}})
			},
			check: func(t *testing.T, p *demoPortal, r reply) {
				var got []shareJSON
				r.okInto(t, &got)
				if len(got) != 0 || len(p.ts.Shares(folderJanePrivate)) != 0 {
					t.Errorf("reply %+v, shares %+v; want nothing", got, p.ts.Shares(folderJanePrivate))
				}
			},
		},
		{
			name: "14.14_access_4_is_varies_and_not_assignable",
			send: func(t *testing.T, p *demoPortal) reply {
				return p.put(demoJane, "/api/2.0/files/folder/3003/share",
					map[string]any{"share": []map[string]any{{"shareTo": demoKeeper, "access": 4}}})
			},
			check: func(t *testing.T, p *demoPortal, r reply) {
				wantError(t, r, http.StatusForbidden, msgRoleNotAvailable)
				wantError(t, p.put(demoKeeper, "/api/2.0/files/rooms/900/share",
					map[string]any{"invitations": []map[string]any{{"id": demoService, "access": 4}}}),
					http.StatusForbidden, msgRoleNotAvailable)
			},
		},
		{
			name: "14.15_access_1_is_readwrite_not_read",
			send: func(t *testing.T, p *demoPortal) reply {
				return p.put(demoJane, "/api/2.0/files/folder/3003/share",
					map[string]any{"share": []map[string]any{{"shareTo": demoHR, "access": 1}}})
			},
			check: func(t *testing.T, p *demoPortal, r reply) {
				r.ok(t)
				p.post(demoHannah, "/api/2.0/files/folder/3003", map[string]any{"title": "written by HR"}).ok(t)
				wantError(t, p.put(demoKeeper, "/api/2.0/files/rooms/900/share",
					map[string]any{"invitations": []map[string]any{{"id": demoHR, "access": 1}}}),
					http.StatusForbidden, msgRoleNotAvailable)
				p.put(demoJane, "/api/2.0/files/folder/3003/share",
					map[string]any{"share": []map[string]any{{"shareTo": demoHR, "access": 2}}}).ok(t)
				wantError(t, p.post(demoHannah, "/api/2.0/files/folder/3003", map[string]any{"title": "x"}),
					http.StatusForbidden, msgCreate)
			},
		},
		{
			name: "14.16_user_and_group_access_on_a_folder_in_a_room_or_archive_is_refused",
			send: func(t *testing.T, p *demoPortal) reply {
				return p.put(demoService, "/api/2.0/files/folder/1001/share",
					map[string]any{"share": []map[string]any{{"shareTo": demoKeeper, "access": 1}}})
			},
			check: func(t *testing.T, p *demoPortal, r reply) {
				wantError(t, r, http.StatusForbidden, msgRoleNotAvailable)
				wantError(t, p.put(demoService, "/api/2.0/files/rooms/970/share",
					map[string]any{"invitations": []map[string]any{{"id": demoKeeper, "access": 9}}}),
					http.StatusForbidden, "Access denied")
				if len(p.ts.Shares(folderJaneWork)) != 0 || len(p.ts.RoomMembers(roomOldPitch)) != 0 {
					t.Errorf("a refused share changed something")
				}
			},
		},
		{
			name:   "14.17_access_fallback_does_not_exist",
			expect: func(p *demoPortal) { p.ts.Spec.ExpectUnknown(http.MethodPut, "/api/2.0/files/folder/*/access") },
			send: func(t *testing.T, p *demoPortal) reply {
				return p.put(demoService, "/api/2.0/files/folder/1001/access", map[string]any{"entries": []map[string]any{
					{"id": demoKeeper, "isGroup": false, "access": 4}}})
			},
			check: func(t *testing.T, p *demoPortal, r reply) { wantEmpty(t, r, http.StatusNotFound) },
		},
		{
			name:   "14.18_audit_dates_without_a_zone_are_400",
			expect: func(p *demoPortal) { p.ts.Spec.ExpectInvalidRequest("getAuditEventsByFilter") },
			send: func(t *testing.T, p *demoPortal) reply {
				return p.get(demoService, "/api/2.0/security/audit/events/filter?from=2026-02-23T10:00:00&to=2026-03-02T10:00:00")
			},
			check: func(t *testing.T, p *demoPortal, r reply) { wantValidation(t, r, "from") },
		},
		{
			name: "14.19_audit_without_filters_returns_everyone_capped_at_100_with_no_total",
			send: func(t *testing.T, p *demoPortal) reply {
				for i := range 110 {
					actor := demoJane
					if i%2 == 0 {
						actor = demoJohn
					}
					Must(p.ts.AddAuditEvent(AuditEventSpec{Date: t0().Add(-time.Duration(i) * time.Minute),
						UserID: actor, Action: ActionFileUploaded, Target: []string{strconv.Itoa(i)}}))(t)
				}
				return p.get(demoService, "/api/2.0/security/audit/events/filter")
			},
			check: func(t *testing.T, p *demoPortal, r reply) {
				var events []struct {
					UserID string `json:"userId"`
				}
				e := r.okInto(t, &events)
				if e.Total != nil || objectKeys(t, r.Body)["total"] {
					t.Errorf("audit reply has a total")
				}
				actors := map[string]bool{}
				for _, ev := range events {
					actors[ev.UserID] = true
				}
				if len(events) != 100 || len(actors) < 2 {
					t.Errorf("%d events from %d actors, want a page of 100 from everyone", len(events), len(actors))
				}
				var mine []struct {
					UserID string `json:"userId"`
				}
				p.get(demoService, "/api/2.0/security/audit/events/filter?userId="+demoJane).okInto(t, &mine)
				for _, ev := range mine {
					if ev.UserID != demoJane {
						t.Fatalf("userId filter returned an event by %s", ev.UserID)
					}
				}
			},
		},
		{
			name: "14.20_the_export_exists_and_writes_a_csv_into_the_callers_my_documents",
			send: func(t *testing.T, p *demoPortal) reply {
				return p.post(demoService, "/api/2.0/security/audit/events/report", nil)
			},
			check: func(t *testing.T, p *demoPortal, r reply) {
				var url string
				r.okInto(t, &url)
				files := p.ts.Children(p.myDocs(demoService))
				if len(files) != 1 || !strings.HasPrefix(files[0].Title, "Audit Trail Report (") ||
					!strings.HasSuffix(files[0].Title, ").csv") {
					t.Fatalf("My documents holds %+v, want the report", files)
				}
				want := p.ts.URL + "/doceditor?fileid=" + strconv.Itoa(files[0].ID) + `&options={"codePage":65001}`
				if url != want {
					t.Errorf("url = %q, want %q", url, want)
				}
			},
		},
		{
			name:   "14.21_the_legacy_folder_link_is_not_a_docspace_address",
			expect: func(p *demoPortal) { p.ts.Spec.ExpectUnknown(http.MethodGet, "/products/files/") },
			send: func(t *testing.T, p *demoPortal) reply {
				// A browser sends "/products/files/" for ".../products/files/#folder=1001": the fragment stays local.
				return p.ts.as(t, "").get("/products/files/") // no key: the request carries no Authorization
			},
			check: func(t *testing.T, p *demoPortal, r reply) {
				wantEmpty(t, r, http.StatusNotFound)
				cases := []struct {
					id   int
					want string
				}{
					{folderJaneWork, "/rooms/shared/1000/filter?folder=1001"},
					{roomArchive, "/rooms/shared/900/filter?folder=900"},
					{folderJanePrivate, "/rooms/personal/filter?folder=3003"},
					{roomOldPitch, "/rooms/archived/filter?folder=970"},
				}
				for _, tc := range cases {
					got, err := p.ts.FolderURL(p.ts.URL, tc.id)
					if err != nil || got != p.ts.URL+tc.want {
						t.Errorf("FolderURL(%d) = %q, %v; want %q", tc.id, got, err, p.ts.URL+tc.want)
					}
				}
			},
		},
		{
			name: "14.22_trying_the_next_endpoint_on_any_non_2xx_hides_the_real_answer",
			expect: func(p *demoPortal) {
				p.ts.Spec.ExpectUnknown(http.MethodPut, "/api/2.0/files/folderops/move")
				p.ts.Spec.ExpectInvalidRequest("setFolderSecurityInfo")
			},
			send: func(t *testing.T, p *demoPortal) reply {
				return p.move(demoService, map[string]any{"folderIds": []int{folderJanePrivate},
					"destFolderId": roomArchive, "deleteAfter": true, "content": true})
			},
			check: func(t *testing.T, p *demoPortal, r reply) {
				// The real answer is a 403; the fallback's 404 would replace it.
				wantError(t, r, http.StatusForbidden, "Access denied")
				wantEmpty(t, p.put(demoService, "/api/2.0/files/folderops/move", map[string]any{
					"folderIds": []int{folderJanePrivate}, "destFolderId": roomArchive}), http.StatusNotFound)
				if e := p.entry(folderJanePrivate); e.ParentID != p.myDocs(demoJane) {
					t.Errorf("the folder moved")
				}
				// And a wrong call that answers 200 stops the loop having changed nothing: only reading the
				// state back tells.
				p.put(demoJane, "/api/2.0/files/folder/3003/share", map[string]any{"entries": []map[string]any{
					{"id": demoKeeper, "isGroup": false, "access": 4}}}).ok(t)
				if sh := p.ts.Shares(folderJanePrivate); len(sh) != 0 {
					t.Errorf("shares %+v", sh)
				}
			},
		},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			p := startDemo(t)
			if row.expect != nil {
				row.expect(p)
			}
			row.check(t, p, row.send(t, p))
		})
	}
}
