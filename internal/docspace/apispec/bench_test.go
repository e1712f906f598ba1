package apispec

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// BenchmarkValidate measures validating one request and its response, the
// cost the middleware adds to each call of the test suites.
func BenchmarkValidate(b *testing.B) {
	v := newValidator(b)
	events := make([]string, 100)
	for i := range events {
		events[i] = auditJSON()
	}
	folder := "/api/2.0/files/12?count=50"
	audit := "/api/2.0/security/audit/events/filter?userId=" + userID + "&from=2026-03-01T00:00:00Z&count=100"
	move := "/api/2.0/files/fileops/move"
	status := "/api/2.0/people/status/2"
	profile := "/api/2.0/people/" + userID
	benchmarks := []struct {
		name, method, target, body, response string
	}{
		{"getProfileByUserId", "GET", profile, "", envelope("GET", profile, userJSON(userID, 2))},
		{"updateUserStatus", "PUT", status, fmt.Sprintf(`{"userIds":[%q]}`, userID), envelope("PUT", status, "["+userJSON(userID, 2)+"]")},
		{"moveBatchItems", "PUT", move, `{"folderIds":[12],"destFolderId":50,"deleteAfter":false,"returnSingleOperation":true}`,
			envelope("PUT", move, "["+operationJSON(false)+"]")},
		{"getFolderByFolderId/50 entries", "GET", folder, "", envelope("GET", folder, folderContentJSON(25, 25))},
		{"getAuditEventsByFilter/100 events", "GET", audit, "", envelope("GET", audit, "["+strings.Join(events, ",")+"]")},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			ct := ""
			if bm.body != "" {
				ct = jsonCT
			}
			r := newRequest(bm.method, bm.target, ct, bm.body)
			h := jsonHeader()
			body := []byte(bm.response)
			b.ReportAllocs()
			b.SetBytes(int64(len(bm.body) + len(body)))
			for b.Loop() {
				req, err := v.ValidateRequest(b.Context(), r)
				if err != nil || !req.Valid() {
					b.Fatalf("ValidateRequest() = %v, %v", req.Violations, err)
				}
				resp, err := v.ValidateResponse(b.Context(), r, http.StatusOK, h, body)
				if err != nil || !resp.Valid() {
					b.Fatalf("ValidateResponse() = %v, %v", resp.Violations, err)
				}
			}
		})
	}
}
