package docspacetest

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// roomIDs lists the room ids of a GET files/rooms reply.
func roomIDs(t testing.TB, r reply) ([]int, contentJSON) {
	t.Helper()
	var c contentJSON
	r.okInto(t, &c)
	var ids []int
	for _, f := range c.Folders {
		ids = append(ids, f.ID)
	}
	return ids, c
}

func TestGetRoomsFolder(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	sorted := func(ids []int) []int { slices.Sort(ids); return ids }
	cases := []struct {
		name  string
		user  string
		query string
		want  []int
	}{
		{"all active rooms for an admin", demoService, "", []int{roomArchive, roomFalcon, roomMarketing, roomWorkspaces}},
		{"archived rooms", demoService, "?searchArea=1", []int{roomOldPitch}},
		{"archived rooms by name", demoService, "?searchArea=Archive", []int{roomOldPitch}},
		{"any area", demoService, "?searchArea=2", []int{roomArchive, roomFalcon, roomMarketing, roomOldPitch, roomWorkspaces}},
		{"owned by a user", demoService, "?subjectId=" + demoJohn + "&subjectFilter=0", []int{roomFalcon}},
		{"owned by a user, by name", demoService, "?subjectId=" + demoJohn + "&subjectFilter=Owner", []int{roomFalcon}},
		{"where a user is a member", demoService, "?subjectId=" + demoJane + "&subjectFilter=1", []int{roomFalcon, roomWorkspaces}},
		{"member filter includes owned rooms", demoService, "?subjectId=" + demoJohn + "&subjectFilter=1", []int{roomFalcon, roomWorkspaces}},
		{"without a subject filter means owner or member", demoService, "?subjectId=" + demoJane, []int{roomFalcon, roomWorkspaces}},
		{"excluding a subject", demoService, "?subjectId=" + demoJohn + "&subjectFilter=0&excludeSubject=true",
			[]int{roomArchive, roomMarketing, roomWorkspaces}},
		{"archived rooms a user owns", demoService, "?searchArea=1&subjectId=" + demoJane + "&subjectFilter=0", []int{roomOldPitch}},
		{"by title", demoService, "?filterValue=falc", []int{roomFalcon}},
		{"by room type", demoService, "?type=2", []int{roomFalcon}},
		{"by room type names, repeated", demoService, "?type=EditingRoom&type=customroom", []int{roomArchive, roomFalcon, roomMarketing, roomWorkspaces}},
		{"a plain user sees their rooms only", demoMaria, "", []int{roomMarketing, roomWorkspaces}},
		{"a user sees no archived room they are not in", demoMaria, "?searchArea=1", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, c := roomIDs(t, p.get(tc.user, "/api/2.0/files/rooms"+tc.query))
			if !cmp.Equal(sorted(got), tc.want) {
				t.Errorf("rooms = %v, want %v", got, tc.want)
			}
			if c.Total != len(tc.want) {
				t.Errorf("total = %d, want %d", c.Total, len(tc.want))
			}
		})
	}
	t.Run("current and path are the section listed", func(t *testing.T) {
		_, active := roomIDs(t, p.get(demoService, "/api/2.0/files/rooms"))
		_, archived := roomIDs(t, p.get(demoService, "/api/2.0/files/rooms?searchArea=1"))
		if active.Current.ID != p.ts.RoomsFolderID() || archived.Current.ID != p.ts.ArchiveFolderID() {
			t.Errorf("current = %d / %d", active.Current.ID, archived.Current.ID)
		}
		if len(archived.PathParts) != 1 || archived.PathParts[0].Title != "Archive" {
			t.Errorf("archive path %+v", archived.PathParts)
		}
	})
	t.Run("paging", func(t *testing.T) {
		got, c := roomIDs(t, p.get(demoService, "/api/2.0/files/rooms?sortBy=AZ&count=2&startIndex=1"))
		if want := []int{roomArchive, roomFalcon}; !cmp.Equal(got, want) || c.Total != 4 || c.Count != 2 || c.StartIndex != 1 {
			t.Errorf("page %v (count %d, total %d), want %v of 4", got, c.Count, c.Total, want)
		}
		wantValidation(t, p.get(demoService, "/api/2.0/files/rooms?count=101"), "Count")
	})
	t.Run("bad filters", func(t *testing.T) {
		p.ts.Spec.ExpectInvalidRequest("getRoomsFolder")
		wantValidation(t, p.get(demoService, "/api/2.0/files/rooms?type=Kitchen"), "type")
		wantError(t, p.get(demoService, "/api/2.0/files/rooms?subjectId=jane"), http.StatusInternalServerError,
			"Unrecognized Guid format.")
	})
}

func TestCreateRoom(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	types := []struct {
		rt     RoomType
		folder FolderType
	}{
		{RoomFillingForms, FolderFillingFormsRoom}, {RoomEditing, FolderEditingRoom}, {RoomCustom, FolderCustomRoom},
		{RoomPublic, FolderPublicRoom}, {RoomVirtualData, FolderVirtualDataRoom}, {RoomAI, FolderAIRoom},
	}
	for _, tc := range types {
		t.Run("type "+strconv.Itoa(int(tc.rt)), func(t *testing.T) {
			var room folderJSON
			p.post(demoKeeper, "/api/2.0/files/rooms", map[string]any{"title": "Room", "roomType": int(tc.rt)}).okInto(t, &room)
			if room.RoomType == nil || *room.RoomType != int(tc.rt) || room.ParentID != p.ts.RoomsFolderID() ||
				room.CreatedBy.ID != demoKeeper {
				t.Errorf("created %+v", room)
			}
			if e := p.entry(room.ID); e.FolderType != tc.folder || !e.IsRoom() {
				t.Errorf("stored %+v", e)
			}
			if p.auditCount(ActionRoomCreated, strconv.Itoa(room.ID)) != 1 {
				t.Errorf("no RoomCreated event")
			}
			if !p.folder(demoKeeper, room.ID).Security["EditRoom"] {
				t.Errorf("the creator is not the room's owner")
			}
		})
	}
	t.Run("who may create", func(t *testing.T) {
		for _, u := range []string{demoOwner, demoService, demoJohn} {
			p.post(u, "/api/2.0/files/rooms", map[string]any{"title": "Mine", "roomType": 5}).ok(t)
		}
		for _, u := range []string{demoMaria, demoEmma} {
			wantError(t, p.post(u, "/api/2.0/files/rooms", map[string]any{"title": "Mine", "roomType": 5}),
				http.StatusForbidden, msgCreate)
		}
	})
	t.Run("initial shares", func(t *testing.T) {
		var room folderJSON
		p.post(demoJohn, "/api/2.0/files/rooms", map[string]any{"title": "Team", "roomType": 2,
			"share": []map[string]any{{"shareTo": demoMaria, "access": 10}}}).okInto(t, &room)
		if got := p.ts.RoomMembers(room.ID); len(got) != 1 || got[0].Access != ShareEditing {
			t.Errorf("members %+v", got)
		}
	})
	t.Run("validation", func(t *testing.T) {
		p.ts.Spec.ExpectInvalidRequest("createRoom")
		wantValidation(t, p.post(demoJohn, "/api/2.0/files/rooms", map[string]any{"title": "x", "roomType": "CustomRoom"}),
			"$.roomType")
		wantValidation(t, p.post(demoJohn, "/api/2.0/files/rooms", map[string]any{"title": "x"}), "RoomType")
		wantValidation(t, p.post(demoJohn, "/api/2.0/files/rooms", map[string]any{"roomType": 5}), "Title")
		wantValidation(t, p.post(demoJohn, "/api/2.0/files/rooms", map[string]any{"title": strings.Repeat("r", 171), "roomType": 5}),
			"Title")
		wantError(t, p.post(demoJohn, "/api/2.0/files/rooms", map[string]any{"title": "x", "roomType": 3}),
			http.StatusBadRequest, "Specified argument was out of the range of valid values. (Parameter 'roomType')")
	})
}

func TestChangeFileOwner(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	t.Run("the previous owner becomes room manager", func(t *testing.T) {
		var got []folderJSON
		e := p.post(demoService, "/api/2.0/files/owner", map[string]any{"folderIds": []int{roomFalcon}, "userId": demoAisha}).okInto(t, &got)
		if len(got) != 1 || got[0].CreatedBy.ID != demoAisha || *e.Count != 1 {
			t.Errorf("reply %+v", got)
		}
		members := map[string]FileShare{}
		for _, m := range p.ts.RoomMembers(roomFalcon) {
			members[m.SubjectID] = m.Access
		}
		if members[demoJohn] != ShareRoomManager {
			t.Errorf("previous owner has %v, want RoomManager", members[demoJohn])
		}
		if p.auditCount(ActionRoomChangeOwner, strconv.Itoa(roomFalcon)) != 1 {
			t.Errorf("no RoomChangeOwner event")
		}
	})
	t.Run("a member who becomes owner loses their record", func(t *testing.T) {
		p.post(demoKeeper, "/api/2.0/files/owner", map[string]any{"folderIds": []int{roomArchive}, "userId": demoService}).ok(t)
		for _, m := range p.ts.RoomMembers(roomArchive) {
			if m.SubjectID == demoService {
				t.Errorf("the new owner kept a member record")
			}
		}
	})
	cases := []struct {
		name    string
		user    string
		body    map[string]any
		message string
	}{
		{"a user may not become owner", demoService, map[string]any{"folderIds": []int{roomWorkspaces}, "userId": demoMaria}, msgChangeOwner},
		{"a guest may not become owner", demoService, map[string]any{"folderIds": []int{roomWorkspaces}, "userId": demoEmma}, msgChangeOwner},
		{"an unknown user may not become owner", demoService, map[string]any{"folderIds": []int{roomWorkspaces}, "userId": "a0000000-0000-4000-8000-0000000000ff"}, msgChangeOwner},
		{"not in my documents", demoJane, map[string]any{"folderIds": []int{folderJanePrivate}, "userId": demoKeeper}, msgNoPermission},
		{"not for archived rooms", demoService, map[string]any{"folderIds": []int{roomOldPitch}, "userId": demoKeeper}, msgNoPermission},
		{"not for folders inside rooms", demoService, map[string]any{"folderIds": []int{folderJaneWork}, "userId": demoKeeper}, msgNoPermission},
		{"not by a room manager", demoKeeper, map[string]any{"folderIds": []int{roomMarketing}, "userId": demoJohn}, msgNoPermission},
		{"not for files", demoService, map[string]any{"fileIds": []int{fileJaneNotes}, "userId": demoKeeper}, msgNoPermission},
	}
	if err := p.ts.Share(roomMarketing, demoKeeper, ShareRoomManager); err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, p.post(tc.user, "/api/2.0/files/owner", tc.body), http.StatusForbidden, tc.message)
		})
	}
	t.Run("missing user id", func(t *testing.T) {
		p.ts.Spec.ExpectInvalidRequest("changeFileOwner")
		wantValidation(t, p.post(demoService, "/api/2.0/files/owner", map[string]any{"folderIds": []int{roomFalcon}}),
			"UserId")
	})
}

func TestAssignFormRole(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	vdr := Must(p.ts.AddRoom(RoomSpec{Title: "VDR", Type: RoomVirtualData, OwnerID: demoJohn,
		Members: []Member{{SubjectID: demoMaria, Access: ShareFillForms}}}))(t)
	form := Must(p.ts.AddFile(vdr.ID, "form.pdf", demoJohn, nil))(t)
	cases := []struct {
		name string
		file int
		user string
	}{
		{"unknown file", 424242, demoMaria},
		{"file outside a virtual data room", fileFalconRoadmap, demoJane},
		{"unknown user", form.ID, "a0000000-0000-4000-8000-0000000000ff"},
		{"not a member", form.ID, demoSofia},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := p.ts.AssignFormRole(tc.file, tc.user); !errors.Is(err, ErrInvalidSpec) {
				t.Errorf("AssignFormRole = %v, want ErrInvalidSpec", err)
			}
		})
	}
	if err := p.ts.AssignFormRole(form.ID, demoMaria); err != nil {
		t.Fatalf("AssignFormRole: %v", err)
	}
	var blocked roomSecurityJSON
	p.put(demoJohn, "/api/2.0/files/rooms/"+strconv.Itoa(vdr.ID)+"/share",
		map[string]any{"invitations": []map[string]any{{"id": demoMaria, "access": 0}}}).okInto(t, &blocked)
	if blocked.Error != 1 {
		t.Errorf("removal of a role holder: %+v", blocked)
	}
}
