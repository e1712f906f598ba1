package docspacetest

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCreateAuditTrailReport(t *testing.T) {
	t.Parallel()

	t.Run("a csv of the whole trail in the caller's my documents", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		events := len(p.ts.AuditEvents(AuditQuery{}))
		var url string
		p.post(demoOwner, "/api/2.0/security/audit/events/report", nil).okInto(t, &url)
		files := p.ts.Children(p.myDocs(demoOwner))
		if len(files) != 1 {
			t.Fatalf("My documents holds %d entries", len(files))
		}
		report := files[0]
		if want := "Audit Trail Report (9_3_2025-3_2_2026).csv"; report.Title != want {
			t.Errorf("title %q, want %q", report.Title, want)
		}
		if want := p.ts.URL + "/doceditor?fileid=" + strconv.Itoa(report.ID) + `&options={"codePage":65001}`; url != want {
			t.Errorf("url %q, want %q", url, want)
		}
		content := string(report.Content())
		if !strings.HasPrefix(content, "\ufeff") {
			t.Errorf("no byte-order mark")
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(content, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatalf("parse csv: %v", err)
		}
		if diff := cmp.Diff(auditReportColumns(), rows[0]); diff != "" {
			t.Errorf("header (-want +got):\n%s", diff)
		}
		if len(rows) != 1+events {
			t.Fatalf("%d rows, want the header and the demo's %d events", len(rows), events)
		}
		newest := rows[1]
		want := []string{"", "", "", "", "", `="2/20/2026 10:00 AM"`, "Olivia Owner", "", "Room archived: Old Sales Pitch", "Update",
			"Rooms", "5072", "970"}
		if diff := cmp.Diff(want, newest); diff != "" {
			t.Errorf("newest row (-want +got):\n%s", diff)
		}
		if got := len(p.ts.AuditEvents(AuditQuery{Action: ActionAuditTrailReportDownloaded, UserID: demoOwner})); got != 1 {
			t.Errorf("AuditTrailReportDownloaded events = %d, want 1", got)
		}
		if got := len(p.ts.AuditEvents(AuditQuery{Action: ActionFileUploaded, UserID: demoOwner})); got != 0 {
			t.Errorf("the report wrote %d FileUploaded events", got)
		}
	})

	t.Run("each call stores a new file", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		for range 2 {
			p.post(demoService, "/api/2.0/security/audit/events/report", nil).ok(t)
		}
		got := p.childTitles(p.myDocs(demoService))
		want := []string{"Audit Trail Report (9_3_2025-3_2_2026).csv", "Audit Trail Report (9_3_2025-3_2_2026) (1).csv"}
		if !cmp.Equal(got, want) {
			t.Errorf("My documents %v, want %v", got, want)
		}
	})

	t.Run("admins only, and the audit tariff", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		wantError(t, p.post(demoKeeper, "/api/2.0/security/audit/events/report", nil), http.StatusForbidden, "Access denied")
		p.ts.SetAuditTariff(false)
		wantError(t, p.post(demoService, "/api/2.0/security/audit/events/report", nil),
			http.StatusPaymentRequired, "Your pricing plan does not support this option")
		if n := len(p.ts.Children(p.myDocs(demoService))); n != 0 {
			t.Errorf("a refused report stored %d files", n)
		}
	})
}
