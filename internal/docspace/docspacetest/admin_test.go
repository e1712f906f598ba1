package docspacetest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

func TestAdminHandler(t *testing.T) {
	t.Parallel()
	ts := Start(t)
	admin := httptest.NewServer(ts.AdminHandler())
	t.Cleanup(admin.Close)

	resp, err := admin.Client().Get(admin.URL + "/state")
	if err != nil {
		t.Fatal(err)
	}
	var st AdminState
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(st.Users) < 10 || len(st.Entries) < 10 || len(st.Members["900"]) == 0 {
		t.Fatalf("state = %d users, %d entries, room 900 members %v", len(st.Users), len(st.Entries), st.Members["900"])
	}

	body, _ := json.Marshal(AdminFault{Kind: "error", Operation: "getProfileByUserId", Status: 503})
	resp, err = admin.Client().Post(admin.URL+"/faults", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var created map[string]int
	json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || created["id"] == 0 {
		t.Fatalf("POST /faults = %d %v", resp.StatusCode, created)
	}
	get := func() int {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/2.0/people/a0000000-0000-4000-8000-000000000010", nil)
		req.Header.Set("Authorization", "Bearer "+ts.AdminKey)
		r, err := ts.HTTP.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode
	}
	if got := get(); got != http.StatusServiceUnavailable {
		t.Errorf("with the fault: %d, want 503", got)
	}
	req, _ := http.NewRequest(http.MethodDelete, admin.URL+"/faults/"+strconv.Itoa(created["id"]), nil)
	if r, err := ts.HTTP.Client().Do(req); err != nil || r.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE fault: %v %v", r, err)
	}
	if got := get(); got != http.StatusOK {
		t.Errorf("after removing the fault: %d, want 200", got)
	}

	bad, _ := json.Marshal(AdminFault{Kind: "meteor"})
	resp, err = admin.Client().Post(admin.URL+"/faults", "application/json", bytes.NewReader(bad))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown fault kind: %d, want 400", resp.StatusCode)
	}
}
