package chaos_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docspace-offboarding/docspace-offboarding/internal/chaos"
	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
)

// companyEpoch is when the test companies are generated.
func companyEpoch() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }

func TestNewCompanyIsDeterministic(t *testing.T) {
	t.Parallel()
	a, err := chaos.NewCompany(12, 7, companyEpoch()).FixtureJSON()
	if err != nil {
		t.Fatal(err)
	}
	b, err := chaos.NewCompany(12, 7, companyEpoch()).FixtureJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two companies from the same seed differ")
	}
	c, err := chaos.NewCompany(12, 8, companyEpoch()).FixtureJSON()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, c) {
		t.Error("companies from different seeds are the same")
	}
}

// TestCompanyLoadsIntoSimulator loads a generated company into the
// simulator and reads it back through DocSpace's API with the service
// account's key, as the consumer will.
func TestCompanyLoadsIntoSimulator(t *testing.T) {
	t.Parallel()
	const n = 10
	c := chaos.NewCompany(n, 1, companyEpoch())
	fixture, err := c.FixtureJSON()
	if err != nil {
		t.Fatal(err)
	}
	sim, err := docspacetest.New(docspacetest.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	key, err := sim.LoadFixture(bytes.NewReader(fixture))
	if err != nil {
		t.Fatalf("LoadFixture: %v", err)
	}
	if key != c.APIKey {
		t.Errorf("admin key = %q, want the company's", key)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	client, err := docspace.New(docspace.Options{BaseURL: srv.URL, APIKey: docspace.NewSecret(c.APIKey)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	self, err := client.Self(ctx)
	if err != nil {
		t.Fatalf("Self: %v", err)
	}
	if self.ID != c.ServiceAccount.ID || !self.IsAdmin {
		t.Errorf("service account: got %s (admin %v), want %s, an admin", self.ID, self.IsAdmin, c.ServiceAccount.ID)
	}
	owner, err := client.User(ctx, c.ArchiveOwner.ID)
	if err != nil {
		t.Fatalf("archive owner: %v", err)
	}
	if got, want := owner.Type(), docspace.EmployeeTypeRoomAdmin; got != want {
		t.Errorf("archive owner type = %v, want %v", got, want)
	}
	if _, err := client.Group(ctx, c.HRGroupID); err != nil {
		t.Errorf("HR group: %v", err)
	}

	if got := len(c.Employees); got != n {
		t.Fatalf("employees = %d, want %d", got, n)
	}
	for _, e := range append(c.Employees, c.Bystanders...) {
		u, err := client.User(ctx, e.ID)
		if err != nil {
			t.Fatalf("user %s: %v", e.EmployeeID, err)
		}
		if u.DisplayName != e.DisplayName() {
			t.Errorf("%s: display name %q, want %q", e.EmployeeID, u.DisplayName, e.DisplayName())
		}
		f, err := client.Folder(ctx, e.FolderID)
		if err != nil {
			t.Fatalf("%s: workspace folder %d: %v", e.EmployeeID, e.FolderID, err)
		}
		if f.ParentID != c.WorkspacesRoomID || f.Title != e.DisplayName() {
			t.Errorf("%s: folder %d is %q in %d, want %q in the Workspaces room %d",
				e.EmployeeID, e.FolderID, f.Title, f.ParentID, e.DisplayName(), c.WorkspacesRoomID)
		}
		if e.RoomID != 0 {
			r, err := client.Room(ctx, e.RoomID)
			if err != nil {
				t.Fatalf("%s: room %d: %v", e.EmployeeID, e.RoomID, err)
			}
			if r.CreatedBy == nil || r.CreatedBy.ID != e.ID {
				t.Errorf("%s: room %d is not theirs", e.EmployeeID, e.RoomID)
			}
		}
	}

	// The control API sees the same company.
	admin := httptest.NewServer(sim.AdminHandler())
	t.Cleanup(admin.Close)
	resp, err := http.Get(admin.URL + "/state")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st docspacetest.AdminState
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range st.Entries {
		if r.RoomType != 0 {
			got[strconv.Itoa(r.ID)] = true
		}
	}
	want := map[string]bool{strconv.Itoa(c.WorkspacesRoomID): true}
	for _, e := range append(c.Employees, c.Bystanders...) {
		if e.RoomID != 0 {
			want[strconv.Itoa(e.RoomID)] = true
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rooms (-want +got):\n%s", diff)
	}
}
