package docspacetest

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRoomInvitationsByEmail(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	t.Run("an existing user's address resolves to them", func(t *testing.T) {
		var got roomSecurityJSON
		p.put(demoJohn, "/api/2.0/files/rooms/950/share", map[string]any{"invitations": []map[string]any{
			{"email": "maria.garcia@acme.example", "access": 2}}}).okInto(t, &got)
		if len(got.Members) != 1 || got.Members[0].subject() != demoMaria {
			t.Errorf("members %+v", got.Members)
		}
	})
	t.Run("an unknown address invites a new guest", func(t *testing.T) {
		var got roomSecurityJSON
		p.put(demoJohn, "/api/2.0/files/rooms/950/share", map[string]any{"invitations": []map[string]any{
			{"email": "auditor@partner.example", "access": 2}}}).okInto(t, &got)
		if len(got.Members) != 1 {
			t.Fatalf("members %+v", got.Members)
		}
		u, ok := p.ts.User(got.Members[0].subject())
		if !ok || u.Type != TypeGuest || u.Status != StatusPending || u.Email != "auditor@partner.example" {
			t.Errorf("invited %+v", u)
		}
	})
	t.Run("no guest is created for a level a guest may not hold", func(t *testing.T) {
		before := len(p.ts.Users())
		wantError(t, p.put(demoJohn, "/api/2.0/files/rooms/950/share", map[string]any{"invitations": []map[string]any{
			{"email": "manager@partner.example", "access": 9}}}), http.StatusForbidden, msgRoleNotAvailable)
		wantError(t, p.put(demoJane, "/api/2.0/files/rooms/950/share", map[string]any{"invitations": []map[string]any{
			{"email": "friend@partner.example", "access": 2}}}), http.StatusForbidden, "Access denied")
		if after := len(p.ts.Users()); after != before {
			t.Errorf("%d users were created", after-before)
		}
	})
}

func TestRoomShareRules(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	t.Run("a member may leave without edit rights", func(t *testing.T) {
		var got roomSecurityJSON
		p.put(demoJane, "/api/2.0/files/rooms/950/share", map[string]any{"invitations": []map[string]any{
			{"id": demoJane, "access": 0}}}).okInto(t, &got)
		for _, m := range p.ts.RoomMembers(roomFalcon) {
			if m.SubjectID == demoJane {
				t.Errorf("Jane is still a member")
			}
		}
		if p.auditCount(ActionRoomRemoveUser, demoJane) != 1 {
			t.Errorf("no RoomRemoveUser event")
		}
	})
	t.Run("a level not accepted stops the request but keeps what came before", func(t *testing.T) {
		wantError(t, p.put(demoJohn, "/api/2.0/files/rooms/950/share", map[string]any{"invitations": []map[string]any{
			{"id": demoMaria, "access": 2}, {"id": demoLukas, "access": 5}}}), http.StatusForbidden, msgRoleNotAvailable)
		members := map[string]FileShare{}
		for _, m := range p.ts.RoomMembers(roomFalcon) {
			members[m.SubjectID] = m.Access
		}
		if members[demoMaria] != ShareRead {
			t.Errorf("the valid first invitation was not applied: %v", members)
		}
		if _, ok := members[demoLukas]; ok {
			t.Errorf("the invalid invitation was applied")
		}
	})
	t.Run("groups are processed first", func(t *testing.T) {
		wantError(t, p.put(demoJohn, "/api/2.0/files/rooms/950/share", map[string]any{"invitations": []map[string]any{
			{"id": demoLukas, "access": 9}, {"id": demoSales, "access": 2}}}), http.StatusForbidden, msgRoleNotAvailable)
		found := false
		for _, m := range p.ts.RoomMembers(roomFalcon) {
			found = found || m.SubjectID == demoSales
		}
		if !found {
			t.Errorf("the group, listed second, should have been applied before the failing user")
		}
	})
	t.Run("the folder endpoint applies the room table to a room", func(t *testing.T) {
		var got []shareJSON
		p.put(demoJohn, "/api/2.0/files/folder/950/share", map[string]any{"share": []map[string]any{
			{"shareTo": demoKeeper, "access": 9}}}).okInto(t, &got)
		if len(got) != 1 || got[0].Access != int(ShareRoomManager) {
			t.Errorf("reply %+v", got)
		}
		wantError(t, p.put(demoJohn, "/api/2.0/files/folder/950/share", map[string]any{"share": []map[string]any{
			{"shareTo": demoKeeper, "access": 1}}}), http.StatusForbidden, msgRoleNotAvailable)
	})
}

func TestGetRoomSecurityInfo(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	subjects := func(list []shareJSON) []string {
		var out []string
		for _, s := range list {
			out = append(out, s.subject())
		}
		return out
	}
	cases := []struct {
		name  string
		user  string
		query string
		want  []string
	}{
		{"owner then members", demoService, "", []string{demoKeeper, demoService, demoHR}},
		{"users only", demoService, "?filterType=User", []string{demoKeeper, demoService}},
		{"groups only", demoService, "?filterType=32", []string{demoHR}},
		{"by name", demoService, "?filterValue=offboarding", []string{demoService}},
		{"a reader sees the list too", demoHannah, "", []string{demoKeeper, demoService, demoHR}},
		{"someone outside the room sees nothing", demoMaria, "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []shareJSON
			e := p.get(tc.user, "/api/2.0/files/rooms/900/share"+tc.query).okInto(t, &got)
			if !cmp.Equal(subjects(got), tc.want) {
				t.Errorf("subjects %v, want %v", subjects(got), tc.want)
			}
			if *e.Total != len(tc.want) || *e.Count != len(tc.want) {
				t.Errorf("count/total %d/%d, want %d", *e.Count, *e.Total, len(tc.want))
			}
		})
	}
	t.Run("links", func(t *testing.T) {
		link := Must(p.ts.ShareLink(roomArchive, ShareRead))(t)
		var got []struct {
			SubjectType int `json:"subjectType"`
			SharedLink  struct {
				ID string `json:"id"`
			} `json:"sharedLink"`
		}
		p.get(demoService, "/api/2.0/files/rooms/900/share?filterType=ExternalLink").okInto(t, &got)
		if len(got) != 1 || got[0].SharedLink.ID != link || got[0].SubjectType != int(SubjectExternalLink) {
			t.Errorf("links %+v", got)
		}
	})
	t.Run("unknown room", func(t *testing.T) {
		wantError(t, p.get(demoService, "/api/2.0/files/rooms/424242/share"), http.StatusNotFound, "Item not found")
	})
}
