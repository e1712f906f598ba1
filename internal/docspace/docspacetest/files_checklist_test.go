package docspacetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestChecklist11Visibility covers reference §15 item 11 (§8.1, §8.3): who may read and work in My documents
// and in rooms.
func TestChecklist11Visibility(t *testing.T) {
	t.Parallel()

	t.Run("my documents is visible only to its owner and explicit sharees", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		janeMy := p.myDocs(demoJane)
		cases := []struct {
			name   string
			user   string
			folder int
			read   bool
		}{
			{"owner reads her root", demoJane, janeMy, true},
			{"docspace admin may not read another user's root", demoService, janeMy, false},
			{"portal owner may not either", demoOwner, janeMy, false},
			{"user sharee reads the shared folder", demoSofia, folderJaneShared, true},
			{"group sharee reads the shared folder", demoJohn, folderJaneShared, true},
			{"sharee may not read the root above it", demoSofia, janeMy, false},
			{"sharee may not read an unshared sibling", demoSofia, folderJanePrivate, false},
			{"admin may not read an unshared personal folder", demoService, folderJanePrivate, false},
			{"someone without a share may not read the shared folder", demoMaria, folderJaneShared, false},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				for _, path := range []string{"/api/2.0/files/folder/", "/api/2.0/files/"} {
					r := p.get(tc.user, path+strconv.Itoa(tc.folder))
					if tc.read {
						var got struct {
							ID      int `json:"id"`
							Current struct {
								ID int `json:"id"`
							} `json:"current"`
						}
						r.okInto(t, &got)
						if got.ID != tc.folder && got.Current.ID != tc.folder {
							t.Errorf("%s%d returned %+v", path, tc.folder, got)
						}
						continue
					}
					wantError(t, r, http.StatusForbidden, msgReadFolder)
				}
			})
		}
	})

	t.Run("my documents contents list only what the reader may see", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		var own contentJSON
		p.get(demoJane, "/api/2.0/files/@my").okInto(t, &own)
		if own.Current.ID != p.myDocs(demoJane) || own.Current.RootFolderType != int(FolderUser) {
			t.Errorf("@my current = %+v, want Jane's My documents", own.Current)
		}
		var got []int
		for _, f := range own.Folders {
			got = append(got, f.ID)
		}
		for _, f := range own.Files {
			got = append(got, f.ID)
		}
		slices.Sort(got)
		if want := []int{folderJaneShared, folderJanePrivate, fileJaneTodo, fileJaneHandover}; !cmp.Equal(got, want) {
			t.Errorf("Jane's My documents = %v, want %v", got, want)
		}
		var sofia contentJSON
		p.get(demoSofia, "/api/2.0/files/@my").okInto(t, &sofia)
		if sofia.Current.ID != p.myDocs(demoSofia) {
			t.Errorf("@my for Sofia is %d, want her own %d", sofia.Current.ID, p.myDocs(demoSofia))
		}
		var shared contentJSON
		p.get(demoSofia, "/api/2.0/files/"+strconv.Itoa(folderJaneShared)).okInto(t, &shared)
		if len(shared.PathParts) != 1 || shared.PathParts[0].ID != folderJaneShared {
			t.Errorf("pathParts for a sharee = %+v, want only the shared folder", shared.PathParts)
		}
		if len(shared.Files) != 1 || shared.Files[0].Title != "architecture.docx" {
			t.Errorf("shared folder files = %+v", shared.Files)
		}
	})

	t.Run("room owner has full rights", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		room := p.folder(demoJohn, roomFalcon)
		for _, a := range []string{"Read", "Create", "EditRoom", "EditAccess", "Move", "ChangeOwner"} {
			if !room.Security[a] {
				t.Errorf("owner lacks %s on the room: %v", a, room.Security)
			}
		}
		id := p.createFolder(demoJohn, roomFalcon, "Reviews")
		p.moveOp(demoJohn, map[string]any{"folderIds": []int{folderFalconSpecs}, "destFolderId": id})
		p.post(demoJohn, "/api/2.0/files/owner", map[string]any{"folderIds": []int{roomFalcon}, "userId": demoAisha}).ok(t)
	})

	t.Run("room manager may move anything but not the room", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		if err := p.ts.Share(roomMarketing, demoJohn, ShareRoomManager); err != nil {
			t.Fatal(err)
		}
		dest := p.createFolder(demoJohn, roomMarketing, "Assets 2026")
		p.moveOp(demoJohn, map[string]any{"fileIds": []int{961}, "destFolderId": dest})
		wantError(t, p.put(demoJohn, "/api/2.0/files/rooms/960/archive", map[string]any{}),
			http.StatusForbidden, "Access denied")
	})

	t.Run("content creator moves only their own items", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		own := p.createFolder(demoSofia, roomFalcon, "Sofia notes")
		p.moveOp(demoSofia, map[string]any{"folderIds": []int{own}, "destFolderId": folderFalconSpecs})
		wantError(t, p.move(demoSofia, map[string]any{"folderIds": []int{folderFalconSpecs}, "destFolderId": own}),
			http.StatusForbidden, "Access denied")
		wantError(t, p.move(demoSofia, map[string]any{"fileIds": []int{fileFalconRoadmap}, "destFolderId": own}),
			http.StatusForbidden, "Access denied")
	})

	t.Run("editors and readers may not create or move", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		for _, u := range []string{demoJane, demoEmma} {
			wantError(t, p.post(u, "/api/2.0/files/folder/"+strconv.Itoa(roomFalcon), map[string]any{"title": "x"}),
				http.StatusForbidden, msgCreate)
		}
		wantError(t, p.move(demoJane, map[string]any{"folderIds": []int{folderFalconSpecs}, "destFolderId": roomFalcon}),
			http.StatusForbidden, "Access denied")
	})

	t.Run("non-member admin may only read, archive and change owner", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		room := p.folder(demoService, roomFalcon)
		if !room.Security["Read"] || room.Security["Create"] || room.Security["EditAccess"] || !room.Security["Move"] {
			t.Errorf("admin's security on a room they are not in = %v", room.Security)
		}
		var content contentJSON
		p.get(demoService, "/api/2.0/files/"+strconv.Itoa(roomFalcon)).okInto(t, &content)
		if content.Total != 2 {
			t.Errorf("admin sees %d entries in the room, want 2", content.Total)
		}
		wantError(t, p.post(demoService, "/api/2.0/files/folder/950", map[string]any{"title": "x"}),
			http.StatusForbidden, msgCreate)
		wantError(t, p.move(demoService, map[string]any{"folderIds": []int{folderFalconSpecs}, "destFolderId": roomWorkspaces}),
			http.StatusForbidden, "Access denied")
		wantError(t, p.put(demoService, "/api/2.0/files/rooms/950/share",
			map[string]any{"invitations": []map[string]any{{"id": demoMaria, "access": 2}}}),
			http.StatusForbidden, "Access denied")
		p.post(demoService, "/api/2.0/files/owner", map[string]any{"folderIds": []int{roomFalcon}, "userId": demoAisha}).ok(t)
		var op opJSON
		p.put(demoService, "/api/2.0/files/rooms/950/archive", map[string]any{}).okInto(t, &op)
		if got := p.awaitOp(demoService, op.ID); got.Error != "" {
			t.Errorf("archive by a non-member admin failed: %q", got.Error)
		}
	})

	t.Run("people outside a room cannot read it", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		wantError(t, p.get(demoMaria, "/api/2.0/files/folder/950"), http.StatusForbidden, msgReadFolder)
		wantError(t, p.get(demoMaria, "/api/2.0/files/rooms/950"), http.StatusForbidden, msgReadFolder)
		wantError(t, p.get(demoMaria, "/api/2.0/files/folder/424242"), http.StatusNotFound, msgFolderNotFound)
		rooms := func(user string) []int {
			var c contentJSON
			p.get(user, "/api/2.0/files/rooms").okInto(t, &c)
			var out []int
			for _, f := range c.Folders {
				out = append(out, f.ID)
			}
			slices.Sort(out)
			return out
		}
		if got, want := rooms(demoMaria), []int{roomMarketing, roomWorkspaces}; !cmp.Equal(got, want) {
			t.Errorf("Maria's rooms = %v, want %v", got, want)
		}
		if got, want := rooms(demoService), []int{roomArchive, roomFalcon, roomMarketing, roomWorkspaces}; !cmp.Equal(got, want) {
			t.Errorf("admin's rooms = %v, want %v", got, want)
		}
		if got, want := rooms(demoEmma), []int{roomFalcon}; !cmp.Equal(got, want) {
			t.Errorf("guest's rooms = %v, want %v", got, want)
		}
	})
}

// TestChecklist12Folders covers reference §15 item 12 (§8.2): creating folders.
func TestChecklist12Folders(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	p.ts.Spec.ExpectInvalidRequest("createFolder")
	janeMy := p.myDocs(demoJane)

	t.Run("a missing parent gives 403", func(t *testing.T) {
		wantError(t, p.post(demoJane, "/api/2.0/files/folder/424242", map[string]any{"title": "x"}),
			http.StatusForbidden, msgFolderNotFound)
	})

	t.Run("duplicate titles are allowed", func(t *testing.T) {
		a := p.createFolder(demoJane, janeMy, "Archive 2026")
		b := p.createFolder(demoJane, janeMy, "Archive 2026")
		if a == b {
			t.Fatalf("both creations returned id %d", a)
		}
		n := 0
		for _, c := range p.ts.Children(janeMy) {
			if c.Title == "Archive 2026" {
				n++
			}
		}
		if n != 2 {
			t.Errorf("%d folders titled Archive 2026, want 2", n)
		}
		if got := p.auditCount(ActionFolderCreated, strconv.Itoa(b)); got != 1 {
			t.Errorf("FolderCreated events for %d = %d, want 1", b, got)
		}
	})

	t.Run("the new folder is returned as FolderDto", func(t *testing.T) {
		var f folderJSON
		p.post(demoJane, "/api/2.0/files/folder/"+strconv.Itoa(janeMy), map[string]any{"title": "  Handover  "}).okInto(t, &f)
		want := folderJSON{ID: f.ID, Title: "Handover", ParentID: janeMy, RootFolderID: janeMy,
			RootFolderType: int(FolderUser), FileEntryType: int(KindFolder), Security: f.Security}
		want.CreatedBy.ID = demoJane
		if diff := cmp.Diff(want, f); diff != "" {
			t.Errorf("created folder (-want +got):\n%s", diff)
		}
	})

	cases := []struct {
		name   string
		user   string
		parent int
		title  string
		check  func(t *testing.T, r reply)
	}{
		{"title longer than 165 characters is a validation error", demoJane, janeMy, strings.Repeat("a", 166),
			func(t *testing.T, r reply) { wantValidation(t, r, "Title") }},
		{"empty title is a validation error", demoJane, janeMy, "",
			func(t *testing.T, r reply) { wantValidation(t, r, "Title") }},
		{"blank title is an argument error", demoJane, janeMy, "   ",
			func(t *testing.T, r reply) {
				wantError(t, r, http.StatusBadRequest, "The value cannot be an empty string. (Parameter 'title')")
			}},
		{"parent in the archive", demoService, roomOldPitch, "x",
			func(t *testing.T, r reply) { wantError(t, r, http.StatusForbidden, msgArchivedRoom) }},
		{"parent is the rooms section", demoService, 1, "x",
			func(t *testing.T, r reply) { wantError(t, r, http.StatusForbidden, msgCreate) }},
		{"no create right in someone else's my documents", demoService, janeMy, "x",
			func(t *testing.T, r reply) { wantError(t, r, http.StatusForbidden, msgCreate) }},
		{"read-only sharee may not create", demoJohn, folderJaneShared, "x",
			func(t *testing.T, r reply) { wantError(t, r, http.StatusForbidden, msgCreate) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(p.ts.FindEntries(func(Entry) bool { return true }))
			tc.check(t, p.post(tc.user, "/api/2.0/files/folder/"+strconv.Itoa(tc.parent), map[string]any{"title": tc.title}))
			if after := len(p.ts.FindEntries(func(Entry) bool { return true })); after != before {
				t.Errorf("a refused creation changed the entry count from %d to %d", before, after)
			}
		})
	}

	t.Run("a readwrite sharee may create in the shared folder", func(t *testing.T) {
		id := p.createFolder(demoSofia, folderJaneShared, "From Sofia")
		if e := p.entry(id); e.CreatedBy != demoSofia || e.ParentID != folderJaneShared {
			t.Errorf("created %+v", e)
		}
	})
}

// TestChecklist13Move covers reference §15 item 13 (§8.3-§8.6): the move operation.
func TestChecklist13Move(t *testing.T) {
	t.Parallel()

	t.Run("synchronous pre-checks", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		janeMy := p.myDocs(demoJane)
		cases := []struct {
			name    string
			user    string
			body    map[string]any
			status  int
			message string
		}{
			{"missing destination is 404", demoService,
				map[string]any{"folderIds": []int{folderJaneWork}, "destFolderId": 424242}, 404, msgFolderNotFound},
			{"no create right in the destination is 403", demoService,
				map[string]any{"folderIds": []int{folderJaneWork}, "destFolderId": janeMy}, 403, "Access denied"},
			{"no move right on the source is 403", demoService,
				map[string]any{"folderIds": []int{folderJanePrivate}, "destFolderId": roomArchive}, 403, "Access denied"},
			{"missing first source folder is 500", demoService,
				map[string]any{"folderIds": []int{424242, folderJaneWork}, "destFolderId": roomArchive}, 500,
				"Object reference not set to an instance of an object."},
			{"missing later source folder is 404", demoService,
				map[string]any{"folderIds": []int{folderJaneWork, 424242}, "destFolderId": roomArchive}, 404, msgFolderNotFound},
			{"missing source file is 404", demoService,
				map[string]any{"fileIds": []int{fileJaneNotes, 424242}, "destFolderId": roomArchive}, 404, msgFileNotFound},
			{"moving a folder into its own subtree is 403", demoService,
				map[string]any{"folderIds": []int{folderJaneWork}, "destFolderId": folderJaneDrafts}, 403, msgFolderCopyError},
			{"moving a folder into itself is 403", demoService,
				map[string]any{"folderIds": []int{folderJaneWork}, "destFolderId": folderJaneWork}, 403, msgFolderCopyError},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				tc.body["returnSingleOperation"] = true
				wantError(t, p.move(tc.user, tc.body), tc.status, tc.message)
				if ops := p.ts.FileOperations(); len(ops) != 0 {
					t.Errorf("a refused move started %d operations", len(ops))
				}
			})
		}
		t.Run("no sources start nothing and list the caller's moves", func(t *testing.T) {
			var ops []opJSON
			e := p.move(demoService, map[string]any{"folderIds": []int{}, "destFolderId": 424242}).okInto(t, &ops)
			if len(ops) != 0 || e.Count == nil || *e.Count != 1 {
				t.Errorf("got %d operations, count %v; want [] with count 1", len(ops), e.Count)
			}
		})
	})

	t.Run("lifecycle", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		body := map[string]any{"folderIds": []int{folderJaneWork}, "fileIds": []int{2091}, "destFolderId": roomArchive,
			"deleteAfter": false, "returnSingleOperation": true}
		r := p.move(demoService, body)
		var raw []map[string]any
		r.okInto(t, &raw)
		if len(raw) != 1 {
			t.Fatalf("got %d operations", len(raw))
		}
		keys := objectKeys(t, mustJSON(t, raw[0]))
		if !keys["Operation"] || keys["operation"] {
			t.Errorf("operation properties %v: want the capitalised Operation", keys)
		}
		var ops []opJSON
		r.okInto(t, &ops)
		first := ops[0]
		zero := 0
		if diff := cmp.Diff(opJSON{ID: first.ID, Operation: &zero, Processed: "0"}, first); diff != "" {
			t.Errorf("submitted operation (-want +got):\n%s", diff)
		}
		if e := p.entry(folderJaneWork); e.ParentID != roomWorkspaces {
			t.Errorf("the folder moved before the operation ran")
		}

		p.clock.Advance(opDuration / 2)
		mid, ok := p.poll(demoService, first.ID)
		if !ok || mid.Finished || mid.Status != int(TaskRunning) || mid.Progress != 50 {
			t.Errorf("half way: %+v, want running at 50%%", mid)
		}

		done := p.awaitOp(demoService, first.ID)
		if done.Progress != 100 || done.Status != int(TaskCompleted) || done.Error != "" || done.Processed != "2" {
			t.Errorf("final state %+v", done)
		}
		if len(done.Folders) != 1 || done.Folders[0].ID != folderJaneWork || done.Folders[0].ParentID != roomArchive {
			t.Errorf("folders %+v, want 1001 in 900", done.Folders)
		}
		if len(done.Files) != 1 || done.Files[0].ID != 2091 || done.Files[0].FolderID != roomArchive {
			t.Errorf("files %+v, want 2091 in 900", done.Files)
		}
		if got := p.auditCount(ActionFolderMoved, strconv.Itoa(folderJaneWork)); got != 1 {
			t.Errorf("FolderMoved events = %d, want 1", got)
		}
		if got := p.auditCount(ActionFileMoved, "2091"); got != 1 {
			t.Errorf("FileMoved events = %d, want 1", got)
		}
	})

	t.Run("item failures set error and the operation still completes", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		// The first move merges "Drafts" (1101) into the destination's "Drafts", deleting 1101 before the
		// second move, submitted a second later, reaches it with its second step.
		target := p.createFolder(demoService, roomArchive, "Drafts")
		lateDest := p.createFolder(demoService, roomWorkspaces, "Late")
		merge := p.moveOp(demoService, map[string]any{"folderIds": []int{folderJaneDrafts}, "destFolderId": roomArchive})
		p.clock.Advance(time.Second)
		late := p.moveOp(demoService, map[string]any{"folderIds": []int{1102, folderJaneDrafts},
			"destFolderId": lateDest})
		p.clock.Advance(opDuration + time.Second)
		if got, ok := p.poll(demoService, merge.ID); !ok || len(got.Folders) != 1 || got.Folders[0].ID != target {
			t.Errorf("merge result %+v, want the destination's folder %d", got.Folders, target)
		}
		got, ok := p.poll(demoService, late.ID)
		if !ok {
			t.Fatal("the second operation vanished")
		}
		if !got.Finished || got.Status != int(TaskCompleted) || got.Error != msgFolderNotFound || got.Progress != 100 {
			t.Errorf("second operation %+v, want completed with %q", got, msgFolderNotFound)
		}
		if len(got.Folders) != 1 || got.Folders[0].ID != 1102 || got.Processed != "1" {
			t.Errorf("second operation folders %+v, want the one that moved (1102)", got.Folders)
		}
	})

	t.Run("read-once", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		op := p.moveOp(demoService, map[string]any{"folderIds": []int{folderJaneWork}, "destFolderId": roomArchive})
		p.awaitOp(demoService, op.ID)
		if again, ok := p.poll(demoService, op.ID); ok {
			t.Errorf("the final state was reported twice: %+v", again)
		}

		silent := p.moveOp(demoService, map[string]any{"folderIds": []int{1002}, "destFolderId": roomArchive,
			"deleteAfter": true})
		p.finish()
		if got, ok := p.poll(demoService, silent.ID); ok {
			t.Errorf("a deleteAfter operation was reported after finishing: %+v", got)
		}
		if e := p.entry(1002); e.ParentID != roomArchive {
			t.Errorf("the deleteAfter move did not happen")
		}

		unpolled := p.moveOp(demoService, map[string]any{"folderIds": []int{1003}, "destFolderId": roomArchive})
		p.finish()
		if len(p.ts.FileOperations()) != 1 {
			t.Fatalf("the finished operation should wait to be read")
		}
		p.clock.Advance(61 * time.Second)
		if got, ok := p.poll(demoService, unpolled.ID); ok {
			t.Errorf("an unpolled operation survived 60 s: %+v", got)
		}
	})

	t.Run("returnSingleOperation", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		first := p.moveOp(demoService, map[string]any{"folderIds": []int{1002}, "destFolderId": roomArchive})
		var all []opJSON
		e := p.move(demoService, map[string]any{"folderIds": []int{1003}, "destFolderId": roomArchive}).okInto(t, &all)
		if len(all) != 2 || all[0].ID != first.ID || e.Count == nil || *e.Count != 1 {
			t.Errorf("without returnSingleOperation: %d operations (count %v), want both with count 1", len(all), e.Count)
		}
		single := p.moveOp(demoService, map[string]any{"folderIds": []int{1004}, "destFolderId": roomArchive})
		if single.ID == first.ID || single.ID == all[1].ID {
			t.Errorf("returnSingleOperation returned an older operation")
		}
		var byType []opJSON
		p.get(demoService, "/api/2.0/files/fileops/0").okInto(t, &byType)
		if len(byType) != 3 {
			t.Errorf("GET fileops/0 listed %d moves, want 3", len(byType))
		}
	})

	t.Run("content:true moves the children only", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		op := p.moveOp(demoService, map[string]any{"folderIds": []int{folderJaneWork}, "destFolderId": roomArchive,
			"content": true})
		p.awaitOp(demoService, op.ID)
		if e := p.entry(folderJaneWork); e.ParentID != roomWorkspaces {
			t.Errorf("the listed folder moved to %d", e.ParentID)
		}
		if got := p.ts.Children(folderJaneWork); len(got) != 0 {
			t.Errorf("the listed folder still holds %d entries", len(got))
		}
		for _, id := range []int{folderJaneDrafts, fileJaneNotes, 2002} {
			if e := p.entry(id); e.ParentID != roomArchive {
				t.Errorf("child %d is in %d, want %d", id, e.ParentID, roomArchive)
			}
		}
	})

	t.Run("conflicts", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		janeMy := p.myDocs(demoJane)
		t.Run("a folder already in the destination is a no-op", func(t *testing.T) {
			before := len(p.ts.AuditEvents(AuditQuery{}))
			op := p.moveOp(demoService, map[string]any{"folderIds": []int{folderJaneWork}, "destFolderId": roomWorkspaces})
			got := p.awaitOp(demoService, op.ID)
			if got.Error != "" || len(got.Folders) != 0 || got.Processed != "0" {
				t.Errorf("no-op move reported %+v", got)
			}
			if after := len(p.ts.AuditEvents(AuditQuery{})); after != before {
				t.Errorf("a no-op move wrote %d audit events", after-before)
			}
		})
		t.Run("a same-title folder is merged and the source id deleted", func(t *testing.T) {
			target := p.createFolder(demoService, roomArchive, "Jane Roe")
			op := p.moveOp(demoService, map[string]any{"folderIds": []int{folderJaneWork}, "destFolderId": roomArchive})
			got := p.awaitOp(demoService, op.ID)
			if len(got.Folders) != 1 || got.Folders[0].ID != target {
				t.Errorf("merge reported %+v, want the existing folder %d", got.Folders, target)
			}
			wantError(t, p.get(demoService, "/api/2.0/files/folder/"+strconv.Itoa(folderJaneWork)),
				http.StatusNotFound, msgFolderNotFound)
			want := []string{"Drafts", "notes.docx", "plan.xlsx"}
			if got := p.childTitles(target); !cmp.Equal(got, want) {
				t.Errorf("merged folder holds %v, want %v", got, want)
			}
		})
		setup := func(t *testing.T) (src, dst int) {
			t.Helper()
			a := p.createFolder(demoJane, janeMy, "src")
			b := p.createFolder(demoJane, janeMy, "dst")
			Must(p.ts.AddFile(a, "report.csv", demoJane, []byte("new")))(t)
			Must(p.ts.AddFile(b, "report.csv", demoJane, []byte("old")))(t)
			return a, b
		}
		fileIn := func(t *testing.T, folder int) []Entry {
			t.Helper()
			return p.ts.Children(folder)
		}
		t.Run("skip leaves the source file in place", func(t *testing.T) {
			src, dst := setup(t)
			moving := fileIn(t, src)[0]
			op := p.moveOp(demoJane, map[string]any{"fileIds": []int{moving.ID}, "destFolderId": dst,
				"conflictResolveType": "Skip"})
			if got := p.awaitOp(demoJane, op.ID); got.Error != "" || len(got.Files) != 0 {
				t.Errorf("skip reported %+v", got)
			}
			if e := p.entry(moving.ID); e.ParentID != src {
				t.Errorf("skipped file moved to %d", e.ParentID)
			}
			if d := fileIn(t, dst); len(d) != 1 || string(d[0].Content()) != "old" || d[0].Version() != 1 {
				t.Errorf("destination changed: %+v", d)
			}
		})
		t.Run("overwrite stores a new version of the existing file", func(t *testing.T) {
			src, dst := setup(t)
			moving := fileIn(t, src)[0]
			existing := fileIn(t, dst)[0]
			op := p.moveOp(demoJane, map[string]any{"fileIds": []int{moving.ID}, "destFolderId": dst,
				"conflictResolveType": 1})
			if got := p.awaitOp(demoJane, op.ID); len(got.Files) != 1 || got.Files[0].ID != existing.ID ||
				got.Files[0].Version != 2 {
				t.Errorf("overwrite reported %+v", got.Files)
			}
			if _, ok := p.ts.Entry(moving.ID); ok {
				t.Errorf("the source file still exists")
			}
			if e := p.entry(existing.ID); string(e.Content()) != "new" || e.Version() != 2 {
				t.Errorf("existing file: version %d, content %q", e.Version(), e.Content())
			}
		})
		t.Run("duplicate keeps both", func(t *testing.T) {
			src, dst := setup(t)
			moving := fileIn(t, src)[0]
			op := p.moveOp(demoJane, map[string]any{"fileIds": []int{moving.ID}, "destFolderId": dst,
				"conflictResolveType": "duplicate"})
			p.awaitOp(demoJane, op.ID)
			want := []string{"report (1).csv", "report.csv"}
			got := p.childTitles(dst)
			slices.Sort(got)
			if !cmp.Equal(got, want) {
				t.Errorf("destination holds %v, want %v", got, want)
			}
		})
		t.Run("an unknown conflict type is a validation error", func(t *testing.T) {
			p.ts.Spec.ExpectInvalidRequest("moveBatchItems")
			wantValidation(t, p.move(demoJane, map[string]any{"fileIds": []int{fileJaneTodo}, "destFolderId": janeMy,
				"conflictResolveType": "Replace"}), "$.conflictResolveType")
		})
	})

	t.Run("rooms section and archive take rooms only", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		for _, dest := range []int{1, 2} {
			for _, body := range []map[string]any{
				{"folderIds": []int{folderJanePrivate}, "destFolderId": dest},
				{"fileIds": []int{fileJaneTodo}, "destFolderId": dest},
			} {
				wantError(t, p.move(demoJane, body), http.StatusForbidden, "Access denied")
			}
		}
	})

	t.Run("a move into a room strips shares", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		if len(p.ts.Shares(folderJaneShared)) != 2 {
			t.Fatalf("fixture: 3001 should have two shares")
		}
		op := p.moveOp(demoJane, map[string]any{"folderIds": []int{folderJaneShared}, "fileIds": []int{fileJaneHandover},
			"destFolderId": roomWorkspaces})
		if got := p.awaitOp(demoJane, op.ID); got.Error != "" {
			t.Fatalf("move failed: %q", got.Error)
		}
		for _, id := range []int{folderJaneShared, fileJaneHandover} {
			if sh := p.ts.Shares(id); len(sh) != 0 {
				t.Errorf("entry %d kept shares %+v after entering a room", id, sh)
			}
		}
	})

	t.Run("GET fileops/move is the conflict check", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		dest := p.createFolder(demoService, roomArchive, "Jane Roe")
		Must(p.ts.AddFile(dest, "notes.docx", demoService, []byte("x")))(t)
		var got []map[string]any
		e := p.get(demoService, fmt.Sprintf("/api/2.0/files/fileops/MOVE?folderIds=%d&folderIds=%d&fileIds[]=%d&fileIds[]=%d&destFolderId=%d",
			folderJaneWork, 1002, fileJaneNotes, 2002, dest)).okInto(t, &got)
		var ids []int
		for _, g := range got {
			ids = append(ids, int(g["id"].(float64)))
		}
		if e.Count == nil || *e.Count != 1 {
			t.Errorf("count = %v, want 1 (streamed)", e.Count)
		}
		if want := []int{fileJaneNotes}; !cmp.Equal(ids, want) {
			t.Errorf("conflicts = %v, want %v", ids, want)
		}
		var folders []map[string]any
		p.get(demoService, fmt.Sprintf("/api/2.0/files/fileops/move?folderIds=%d&destFolderId=%d", folderJaneWork,
			roomArchive)).okInto(t, &folders)
		if len(folders) != 1 || int(folders[0]["id"].(float64)) != folderJaneWork {
			t.Errorf("folder conflicts = %v, want 1001 (merges into Jane Roe)", folders)
		}
		wantError(t, p.get(demoService, "/api/2.0/files/fileops/move?folderIds=1001&destFolderId=424242"),
			http.StatusForbidden, msgFolderNotFound)
		wantError(t, p.get(demoMaria, "/api/2.0/files/fileops/move?folderIds=1004&destFolderId=900"),
			http.StatusForbidden, msgCreate)
		if ops := p.ts.FileOperations(); len(ops) != 0 {
			t.Errorf("the check started %d operations", len(ops))
		}
	})

	t.Run("webhook folder.moved", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		hook := newHookSink(t)
		Must(p.ts.AddWebhook(WebhookSpec{Name: "moves", URL: hook.URL(), Secret: "s3cret",
			Triggers: []string{TriggerFolderMoved}}))(t)
		op := p.moveOp(demoService, map[string]any{"folderIds": []int{folderJaneWork}, "destFolderId": roomArchive})
		p.awaitOp(demoService, op.ID)
		body := hook.wait(t, TriggerFolderMoved)
		if !strings.Contains(string(body), `"id":1001`) {
			t.Errorf("folder.moved payload %s lacks the folder", body)
		}
	})
}

// TestChecklist14Sharing covers reference §15 item 14 (§9): folder and room sharing.
func TestChecklist14Sharing(t *testing.T) {
	t.Parallel()

	t.Run("folder shares take share[].shareTo/access with the personal levels", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		levels := []struct {
			access FileShare
			ok     bool
		}{
			{ShareReadWrite, true}, {ShareEditing, true}, {ShareReview, true}, {ShareComment, true},
			{ShareRead, true}, {ShareRestrict, true}, {ShareVaries, false}, {ShareRoomManager, false},
			{ShareFillForms, false}, {ShareCustomFilter, false}, {ShareContentCreator, false},
		}
		for _, l := range levels {
			t.Run(l.access.String(), func(t *testing.T) {
				r := p.put(demoJane, "/api/2.0/files/folder/3003/share",
					map[string]any{"share": []map[string]any{{"shareTo": demoMaria, "access": int(l.access)}}})
				if !l.ok {
					wantError(t, r, http.StatusForbidden, msgRoleNotAvailable)
					return
				}
				var got []shareJSON
				e := r.okInto(t, &got)
				if len(got) != 1 || got[0].Access != int(l.access) || got[0].subject() != demoMaria || e.Count == nil || *e.Count != 1 {
					t.Errorf("reply %+v (count %v)", got, e.Count)
				}
			})
		}
		t.Run("names are accepted too", func(t *testing.T) {
			var got []shareJSON
			p.put(demoJane, "/api/2.0/files/folder/3003/share",
				map[string]any{"share": []map[string]any{{"shareTo": demoMaria, "access": "Read"}}}).okInto(t, &got)
			if len(got) != 1 || got[0].Access != int(ShareRead) {
				t.Errorf("reply %+v", got)
			}
		})
		t.Run("0 removes only for the folder's creator", func(t *testing.T) {
			wantError(t, p.put(demoSofia, "/api/2.0/files/folder/3001/share",
				map[string]any{"share": []map[string]any{{"shareTo": demoEngineering, "access": 0}}}),
				http.StatusForbidden, msgRoleNotAvailable)
			var got []shareJSON
			p.put(demoJane, "/api/2.0/files/folder/3001/share",
				map[string]any{"share": []map[string]any{{"shareTo": demoEngineering, "access": 0}}}).okInto(t, &got)
			if len(got) != 0 {
				t.Errorf("reply after removal %+v, want []", got)
			}
			for _, sh := range p.ts.Shares(folderJaneShared) {
				if sh.SubjectID == demoEngineering {
					t.Errorf("the group share survived")
				}
			}
		})
		t.Run("folders inside rooms refuse user and group entries", func(t *testing.T) {
			for _, subject := range []string{demoMaria, demoSales} {
				wantError(t, p.put(demoService, "/api/2.0/files/folder/1001/share",
					map[string]any{"share": []map[string]any{{"shareTo": subject, "access": 2}}}),
					http.StatusForbidden, msgRoleNotAvailable)
			}
			if sh := p.ts.Shares(folderJaneWork); len(sh) != 0 {
				t.Errorf("room folder got shares %+v", sh)
			}
		})
		t.Run("a caller without EditAccess is refused", func(t *testing.T) {
			wantError(t, p.put(demoJohn, "/api/2.0/files/folder/3001/share",
				map[string]any{"share": []map[string]any{{"shareTo": demoMaria, "access": 2}}}),
				http.StatusForbidden, "Access denied")
		})
		t.Run("audit FolderUpdatedAccessFor", func(t *testing.T) {
			if got := p.auditCount(ActionFolderUpdatedAccessFor, "3003"); got == 0 {
				t.Errorf("no FolderUpdatedAccessFor event for 3003")
			}
		})
	})

	t.Run("room shares take invitations[].id/access by the room type table", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		type row struct {
			rt     RoomType
			users  []FileShare
			groups []FileShare
		}
		rows := []row{
			{RoomCustom, []FileShare{9, 11, 10, 5, 6, 2}, []FileShare{11, 10, 5, 6, 2}},
			{RoomEditing, []FileShare{9, 11, 10, 2}, []FileShare{11, 10, 2}},
			{RoomPublic, []FileShare{9, 11}, []FileShare{11}},
			{RoomFillingForms, []FileShare{9, 11, 7}, []FileShare{11, 7}},
			{RoomVirtualData, []FileShare{9, 11, 10, 2, 7}, []FileShare{11, 10, 2, 7}},
			{RoomAI, []FileShare{9, 11, 2}, []FileShare{11, 2}},
		}
		for _, rw := range rows {
			room := Must(p.ts.AddRoom(RoomSpec{Title: "Room " + strconv.Itoa(int(rw.rt)), Type: rw.rt, OwnerID: demoJohn}))(t)
			for a := FileShare(1); a <= ShareContentCreator; a++ {
				for _, subject := range []struct {
					id      string
					allowed []FileShare
				}{{demoAisha, rw.users}, {demoSales, rw.groups}} {
					t.Run(fmt.Sprintf("type %d %s %s", rw.rt, subject.id[len(subject.id)-2:], a), func(t *testing.T) {
						r := p.put(demoJohn, "/api/2.0/files/rooms/"+strconv.Itoa(room.ID)+"/share",
							map[string]any{"invitations": []map[string]any{{"id": subject.id, "access": int(a)}}})
						if !slices.Contains(subject.allowed, a) {
							wantError(t, r, http.StatusForbidden, msgRoleNotAvailable)
							return
						}
						var got roomSecurityJSON
						r.okInto(t, &got)
						if got.Error != 0 || len(got.Members) != 1 || got.Members[0].Access != int(a) {
							t.Errorf("reply %+v", got)
						}
					})
				}
			}
		}
		t.Run("room manager only for admin types", func(t *testing.T) {
			wantError(t, p.put(demoJohn, "/api/2.0/files/rooms/950/share",
				map[string]any{"invitations": []map[string]any{{"id": demoMaria, "access": 9}}}),
				http.StatusForbidden, msgRoleNotAvailable)
			p.put(demoJohn, "/api/2.0/files/rooms/950/share",
				map[string]any{"invitations": []map[string]any{{"id": demoKeeper, "access": "RoomManager"}}}).ok(t)
		})
		t.Run("an archived room gives 403", func(t *testing.T) {
			wantError(t, p.put(demoService, "/api/2.0/files/rooms/970/share",
				map[string]any{"invitations": []map[string]any{{"id": demoMaria, "access": 2}}}),
				http.StatusForbidden, "Access denied")
		})
		t.Run("an unknown room gives 404", func(t *testing.T) {
			wantError(t, p.put(demoJohn, "/api/2.0/files/rooms/424242/share",
				map[string]any{"invitations": []map[string]any{{"id": demoMaria, "access": 2}}}),
				http.StatusNotFound, msgFolderNotFound)
		})
		t.Run("the owner cannot be removed or downgraded", func(t *testing.T) {
			var got roomSecurityJSON
			p.put(demoJohn, "/api/2.0/files/rooms/950/share",
				map[string]any{"invitations": []map[string]any{{"id": demoJohn, "access": 2}}}).okInto(t, &got)
			if len(got.Members) != 0 || p.entry(roomFalcon).CreatedBy != demoJohn {
				t.Errorf("owner entry changed something: %+v", got)
			}
			if !p.folder(demoJohn, roomFalcon).Security["EditRoom"] {
				t.Errorf("the owner lost full rights")
			}
		})
		t.Run("audit events per change", func(t *testing.T) {
			if p.auditCount(ActionRoomCreateUser, demoKeeper) != 1 {
				t.Errorf("no RoomCreateUser event for the keeper")
			}
			p.put(demoJohn, "/api/2.0/files/rooms/950/share",
				map[string]any{"invitations": []map[string]any{{"id": demoKeeper, "access": 2}}}).ok(t)
			if p.auditCount(ActionRoomUpdateAccessForUser, demoKeeper) != 1 {
				t.Errorf("no RoomUpdateAccessForUser event for the keeper")
			}
		})
	})

	t.Run("terminated subjects are skipped and repeats are no-ops", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		gone := Must(p.ts.AddUser(UserSpec{FirstName: "Gone", LastName: "User", Status: StatusTerminated}))(t)
		var got []shareJSON
		p.put(demoJane, "/api/2.0/files/folder/3003/share",
			map[string]any{"share": []map[string]any{{"shareTo": gone.ID, "access": 2}}}).okInto(t, &got)
		if len(got) != 0 || len(p.ts.Shares(folderJanePrivate)) != 0 {
			t.Errorf("a terminated user got a share: %+v", got)
		}
		var room roomSecurityJSON
		p.put(demoJohn, "/api/2.0/files/rooms/950/share",
			map[string]any{"invitations": []map[string]any{{"id": gone.ID, "access": 2}}}).okInto(t, &room)
		if len(room.Members) != 0 {
			t.Errorf("a terminated user joined the room: %+v", room)
		}

		share := map[string]any{"share": []map[string]any{{"shareTo": demoSofia, "access": 1}}}
		before := p.auditCount(ActionFolderUpdatedAccessFor, demoSofia)
		var first, second []shareJSON
		p.put(demoJane, "/api/2.0/files/folder/3001/share", share).okInto(t, &first)
		p.put(demoJane, "/api/2.0/files/folder/3001/share", share).okInto(t, &second)
		if !cmp.Equal(first, second) || len(first) != 1 {
			t.Errorf("same-value repeat: %+v then %+v", first, second)
		}
		if after := p.auditCount(ActionFolderUpdatedAccessFor, demoSofia); after != before {
			t.Errorf("same-value repeat wrote %d audit events", after-before)
		}
		var removed []shareJSON
		p.put(demoJane, "/api/2.0/files/folder/3003/share",
			map[string]any{"share": []map[string]any{{"shareTo": demoLukas, "access": 0}}}).okInto(t, &removed)
		if len(removed) != 0 {
			t.Errorf("removing a share that does not exist returned %+v", removed)
		}
	})

	t.Run("entries bodies and empty lists are 200 no-ops", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		p.ts.Spec.ExpectInvalidRequest("setFolderSecurityInfo")
		p.ts.Spec.ExpectInvalidRequest("setRoomSecurity")
		entries := `{"entries":[{"id":"` + demoKeeper + `","isGroup":false,"access":4}]}`
		for _, body := range []string{entries, `{"share":[]}`, `{}`} {
			var got []shareJSON
			e := p.put(demoJane, "/api/2.0/files/folder/3003/share", body).okInto(t, &got)
			if len(got) != 0 || e.Count == nil || *e.Count != 1 {
				t.Errorf("%s: reply %+v count %v, want [] with count 1", body, got, e.Count)
			}
		}
		var missing []shareJSON
		p.put(demoJane, "/api/2.0/files/folder/424242/share",
			map[string]any{"share": []map[string]any{{"shareTo": demoMaria, "access": 2}}}).okInto(t, &missing)
		if len(missing) != 0 {
			t.Errorf("missing folder: %+v", missing)
		}
		roomEntries := `{"entries":[{"id":"` + demoKeeper + `","isGroup":false,"access":9}]}`
		for _, body := range []string{roomEntries, `{"invitations":[]}`} {
			for _, room := range []string{"950", "424242"} {
				r := p.put(demoJohn, "/api/2.0/files/rooms/"+room+"/share", body)
				r.ok(t)
				if got := string(r.envelope(t).Response); got != `{"error":0}` {
					t.Errorf("room %s %s: response %s, want {\"error\":0}", room, body, got)
				}
			}
		}
		if len(p.ts.Shares(folderJanePrivate)) != 0 || len(p.ts.RoomMembers(roomFalcon)) != 3 {
			t.Errorf("a no-op changed shares")
		}
	})

	t.Run("room reply is members, warning and error; error 1 comes with HTTP 200", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		vdr := Must(p.ts.AddRoom(RoomSpec{Title: "Data room", Type: RoomVirtualData, OwnerID: demoJohn,
			Members: []Member{{SubjectID: demoMaria, Access: ShareFillForms}}}))(t)
		form := Must(p.ts.AddFile(vdr.ID, "contract.pdf", demoJohn, []byte("%PDF")))(t)
		if err := p.ts.AssignFormRole(form.ID, demoMaria); err != nil {
			t.Fatal(err)
		}
		remove := map[string]any{"invitations": []map[string]any{{"id": demoMaria, "access": 0}}}
		r := p.put(demoJohn, "/api/2.0/files/rooms/"+strconv.Itoa(vdr.ID)+"/share", remove)
		var blocked roomSecurityJSON
		r.okInto(t, &blocked)
		if blocked.Error != 1 || len(blocked.Members) != 0 {
			t.Errorf("removing a form-role holder without force: %+v, want error 1", blocked)
		}
		if len(p.ts.RoomMembers(vdr.ID)) != 1 {
			t.Errorf("the blocked removal changed the members")
		}
		remove["force"] = true
		var forced roomSecurityJSON
		raw := p.put(demoJohn, "/api/2.0/files/rooms/"+strconv.Itoa(vdr.ID)+"/share", remove)
		raw.okInto(t, &forced)
		if forced.Error != 0 || len(p.ts.RoomMembers(vdr.ID)) != 0 {
			t.Errorf("forced removal: %+v, members %v", forced, p.ts.RoomMembers(vdr.ID))
		}
		if !objectKeys(t, raw.envelope(t).Response)["error"] {
			t.Errorf("error property missing from %s", raw.Body)
		}
		var added roomSecurityJSON
		p.put(demoJohn, "/api/2.0/files/rooms/950/share", map[string]any{"invitations": []map[string]any{
			{"id": demoMaria, "access": 2}, {"id": demoSales, "access": "Read"}}}).okInto(t, &added)
		got := []string{}
		for _, m := range added.Members {
			got = append(got, m.subject())
		}
		if want := []string{demoMaria, demoSales}; !cmp.Equal(got, want) {
			t.Errorf("members %v, want %v", got, want)
		}
	})

	t.Run("room share list puts the owner first", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		var list []shareJSON
		e := p.get(demoService, "/api/2.0/files/rooms/900/share").okInto(t, &list)
		if e.Total == nil || *e.Total != 3 || e.Count == nil || *e.Count != 3 {
			t.Errorf("count/total = %v/%v, want 3/3", e.Count, e.Total)
		}
		if len(list) != 3 || !list[0].IsOwner || list[0].subject() != demoKeeper || list[0].Access != int(ShareReadWrite) {
			t.Errorf("list %+v, want the keeper first as owner", list)
		}
		var page []shareJSON
		e = p.get(demoService, "/api/2.0/files/rooms/900/share?startIndex=1&count=1").okInto(t, &page)
		if len(page) != 1 || page[0].subject() != demoService || *e.Total != 3 || *e.Count != 1 {
			t.Errorf("page %+v count %v total %v", page, *e.Count, *e.Total)
		}
	})
}

// TestChecklist15Archive covers reference §15 item 15 (§9.4): archiving rooms.
func TestChecklist15Archive(t *testing.T) {
	t.Parallel()

	t.Run("a single background operation", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		hook := newHookSink(t)
		Must(p.ts.AddWebhook(WebhookSpec{Name: "rooms", URL: hook.URL(), Triggers: []string{TriggerRoomArchived}}))(t)
		r := p.put(demoService, "/api/2.0/files/rooms/960/archive", map[string]any{"deleteAfter": false})
		e := r.ok(t)
		if len(e.Response) == 0 || e.Response[0] != '{' || *e.Count != 1 {
			t.Fatalf("archive replied %s, want one FileOperationDto", e.Response)
		}
		var op opJSON
		r.okInto(t, &op)
		if op.Finished || op.Status != 0 || op.Operation == nil || *op.Operation != int(OperationMove) {
			t.Errorf("submitted %+v", op)
		}
		if p.entry(roomMarketing).ParentID != p.ts.RoomsFolderID() {
			t.Errorf("the room moved before the operation ran")
		}
		done := p.awaitOp(demoService, op.ID)
		if done.Error != "" || len(done.Folders) != 1 || done.Folders[0].ParentID != p.ts.ArchiveFolderID() {
			t.Errorf("final %+v", done)
		}
		if got := p.auditCount(ActionRoomArchived, "960"); got != 1 {
			t.Errorf("RoomArchived events = %d, want 1", got)
		}
		hook.wait(t, TriggerRoomArchived)
		var archived contentJSON
		p.get(demoService, "/api/2.0/files/rooms?searchArea=1").okInto(t, &archived)
		var ids []int
		for _, f := range archived.Folders {
			ids = append(ids, f.ID)
		}
		slices.Sort(ids)
		if want := []int{roomMarketing, roomOldPitch}; !cmp.Equal(ids, want) {
			t.Errorf("archived rooms %v, want %v", ids, want)
		}
	})

	t.Run("a non-room folder gives 403", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		wantError(t, p.put(demoService, "/api/2.0/files/rooms/1001/archive", map[string]any{}),
			http.StatusForbidden, "Access denied")
		wantError(t, p.put(demoJane, "/api/2.0/files/rooms/3003/archive", map[string]any{}),
			http.StatusForbidden, "Access denied")
		wantError(t, p.put(demoService, "/api/2.0/files/rooms/424242/archive", map[string]any{}),
			http.StatusNotFound, msgFolderNotFound)
		if len(p.ts.FileOperations()) != 0 {
			t.Errorf("a refused archive started an operation")
		}
	})

	t.Run("archiving an archived room is a no-op", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		before := p.auditCount(ActionRoomArchived, "970")
		var op opJSON
		p.put(demoService, "/api/2.0/files/rooms/970/archive", map[string]any{}).okInto(t, &op)
		done := p.awaitOp(demoService, op.ID)
		if done.Error != "" || done.Status != int(TaskCompleted) || len(done.Folders) != 0 {
			t.Errorf("re-archive %+v, want a completed no-op", done)
		}
		if got := p.auditCount(ActionRoomArchived, "970"); got != before {
			t.Errorf("re-archive wrote %d RoomArchived events", got-before)
		}
	})

	t.Run("who may archive", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		if err := p.ts.Share(roomArchive, demoJohn, ShareRoomManager); err != nil {
			t.Fatal(err)
		}
		wantError(t, p.put(demoJohn, "/api/2.0/files/rooms/900/archive", map[string]any{}),
			http.StatusForbidden, "Access denied")
		var op opJSON
		p.put(demoKeeper, "/api/2.0/files/rooms/900/archive", map[string]any{"deleteAfter": true}).okInto(t, &op)
		p.finish()
		if _, ok := p.poll(demoKeeper, op.ID); ok {
			t.Errorf("deleteAfter archive was reported")
		}
		if p.entry(roomArchive).ParentID != p.ts.ArchiveFolderID() {
			t.Errorf("the owner's archive did not happen")
		}
		t.Run("and unarchive", func(t *testing.T) {
			var back opJSON
			p.put(demoKeeper, "/api/2.0/files/rooms/900/unarchive", map[string]any{}).okInto(t, &back)
			p.awaitOp(demoKeeper, back.ID)
			if p.entry(roomArchive).ParentID != p.ts.RoomsFolderID() {
				t.Errorf("unarchive did not bring the room back")
			}
			if p.auditCount(ActionRoomUnarchived, "900") != 1 {
				t.Errorf("no RoomUnarchived event")
			}
		})
	})

	t.Run("an empty body is a validation error", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		p.ts.Spec.ExpectInvalidRequest("archiveRoom")
		wantValidation(t, p.put(demoService, "/api/2.0/files/rooms/960/archive", ""), "inDto")
	})

	t.Run("archived rooms refuse changes but keep read access", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		var op opJSON
		p.put(demoService, "/api/2.0/files/rooms/950/archive", map[string]any{}).okInto(t, &op)
		p.awaitOp(demoService, op.ID)
		p.get(demoJane, "/api/2.0/files/folder/951").ok(t)
		wantError(t, p.post(demoJohn, "/api/2.0/files/folder/951", map[string]any{"title": "x"}),
			http.StatusForbidden, msgArchivedRoom)
		wantError(t, p.put(demoJohn, "/api/2.0/files/rooms/950/share",
			map[string]any{"invitations": []map[string]any{{"id": demoMaria, "access": 2}}}),
			http.StatusForbidden, "Access denied")
		wantError(t, p.move(demoJohn, map[string]any{"folderIds": []int{folderFalconSpecs}, "destFolderId": roomWorkspaces}),
			http.StatusForbidden, "Access denied")
	})
}

// TestChecklist16Upload covers reference §15 item 16 (§10): uploading a small file.
func TestChecklist16Upload(t *testing.T) {
	t.Parallel()

	t.Run("insert takes title plus a file part", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		my := p.myDocs(demoService)
		cases := []struct {
			name     string
			partName string
			fileName string
		}{
			{"part named file", "file", "ignored.bin"},
			{"part named anything", "upload", "whatever.txt"},
		}
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				title := fmt.Sprintf("offboarding-%d.csv", i)
				ct, body := multipartBody(t, map[string]string{"title": title}, tc.partName, tc.fileName, []byte("a,b\n1,2\n"))
				var f fileJSON
				p.upload(demoService, my, "", ct, body).okInto(t, &f)
				if f.Title != title || f.FolderID != my || f.Version != 1 || f.FileExst != ".csv" || f.PureContentLength != 8 {
					t.Errorf("uploaded %+v", f)
				}
				if got := string(p.entry(f.ID).Content()); got != "a,b\n1,2\n" {
					t.Errorf("stored %q", got)
				}
			})
		}
		t.Run("raw body with ?title=", func(t *testing.T) {
			var f fileJSON
			p.upload(demoService, my, "title=raw.txt", "application/octet-stream", []byte("raw bytes")).okInto(t, &f)
			if f.Title != "raw.txt" || string(p.entry(f.ID).Content()) != "raw bytes" {
				t.Errorf("raw upload %+v", f)
			}
		})
		t.Run("audit and webhook", func(t *testing.T) {
			if got := len(p.ts.AuditEvents(AuditQuery{Action: ActionFileUploaded, UserID: demoService})); got != 3 {
				t.Errorf("FileUploaded events = %d, want 3", got)
			}
		})
	})

	t.Run("an existing title gets a new version unless createNewIfExist", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		my := p.myDocs(demoService)
		up := func(fields map[string]string, content string) fileJSON {
			t.Helper()
			ct, body := multipartBody(t, fields, "file", "x", []byte(content))
			var f fileJSON
			p.upload(demoService, my, "", ct, body).okInto(t, &f)
			return f
		}
		first := up(map[string]string{"title": "report.csv"}, "v1")
		second := up(map[string]string{"title": "report.csv"}, "v2")
		if second.ID != first.ID || second.Version != 2 {
			t.Errorf("re-upload %+v, want version 2 of %d", second, first.ID)
		}
		if got := string(p.entry(first.ID).Content()); got != "v2" {
			t.Errorf("current content %q", got)
		}
		third := up(map[string]string{"title": "report.csv", "createNewIfExist": "true"}, "v3")
		if third.ID == first.ID || third.Title != "report (1).csv" || third.Version != 1 {
			t.Errorf("createNewIfExist upload %+v", third)
		}
		fourth := up(map[string]string{"title": "report.csv", "createNewIfExist": "true"}, "v4")
		if fourth.Title != "report (2).csv" {
			t.Errorf("second copy is %q", fourth.Title)
		}
	})

	t.Run("text appends .txt", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		my := p.myDocs(demoService)
		path := "/api/2.0/files/" + strconv.Itoa(my) + "/text"
		cases := []struct {
			title, content string
			createNew      bool
			want           string
			version        int
		}{
			{"report.csv", "a,b", false, "report.csv.txt", 1},
			{"notes.txt", "plain", false, "notes.txt", 1},
			{"page", "<p class=\"x\">hi</p>", false, "page.html", 1},
			{"report.csv", "again", false, "report.csv (1).txt", 1},
			{"report.csv", "overwrite", true, "report.csv.txt", 2},
		}
		for _, tc := range cases {
			var f fileJSON
			p.post(demoService, path, map[string]any{"title": tc.title, "content": tc.content,
				"createNewIfExist": tc.createNew}).okInto(t, &f)
			if f.Title != tc.want || f.Version != tc.version {
				t.Errorf("text %q (createNewIfExist %v) stored as %q v%d, want %q v%d", tc.title, tc.createNew,
					f.Title, f.Version, tc.want, tc.version)
			}
		}
	})

	t.Run("errors", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		ct, body := multipartBody(t, map[string]string{"title": "x.csv"}, "file", "x", []byte("x"))
		wantError(t, p.upload(demoService, 424242, "", ct, body), http.StatusNotFound, msgFolderNotFound)
		wantError(t, p.upload(demoService, p.myDocs(demoJane), "", ct, body), http.StatusForbidden, "Access denied")
		wantError(t, p.upload(demoService, p.ts.RoomsFolderID(), "", ct, body), http.StatusForbidden, "Access denied")
		wantError(t, p.upload(demoJane, roomFalcon, "", ct, body), http.StatusForbidden, "Access denied")
		p.ts.Fault(t, Fault{Kind: FaultPaymentRequired, Operation: "insertFile"})
		wantEmpty(t, p.upload(demoService, p.myDocs(demoService), "", ct, body), http.StatusPaymentRequired)
		if n := len(p.ts.FindEntries(func(e Entry) bool { return e.Title == "x.csv" })); n != 0 {
			t.Errorf("refused uploads stored %d files", n)
		}
	})
}

// mustJSON encodes v.
func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}
