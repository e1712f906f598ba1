package apispec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestValidateRequest(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	uploadForm := func(fields [][2]string, filePart string) func(testing.TB) (string, string) {
		return func(t testing.TB) (string, string) {
			body, ct := multipartBody(t, fields, filePart)
			return ct, body
		}
	}
	tests := []struct {
		name                     string
		method, target, ct, body string
		form                     func(testing.TB) (contentType, body string)
		wantOperation            string
		wantWhere                []string
	}{
		// getProfileByUserId
		{name: "profile by id", method: "GET", target: "/api/2.0/people/" + userID, wantOperation: "getProfileByUserId"},
		{name: "profile by user name", method: "GET", target: "/api/2.0/people/jane.roe", wantOperation: "getProfileByUserId"},
		{name: "profile with a body", method: "GET", target: "/api/2.0/people/" + userID, ct: jsonCT, body: `{}`,
			wantOperation: "getProfileByUserId", wantWhere: []string{"body"}},

		// updateUserStatus
		{name: "status by number", method: "PUT", target: "/api/2.0/people/status/2", ct: jsonCT, body: `{"userIds":["` + userID + `"]}`, wantOperation: "updateUserStatus"},
		{name: "status by name", method: "PUT", target: "/api/2.0/people/status/Terminated", ct: jsonCT, body: `{"userIds":["` + userID + `"]}`, wantOperation: "updateUserStatus"},
		{name: "status charset", method: "PUT", target: "/api/2.0/people/status/1", ct: "application/json; charset=utf-8", body: `{"userIds":["` + userID + `"],"resendAll":false}`, wantOperation: "updateUserStatus"},
		{name: "status not an enum word (§3.2)", method: "PUT", target: "/api/2.0/people/status/Disabled", ct: jsonCT, body: `{"userIds":["` + userID + `"]}`,
			wantOperation: "updateUserStatus", wantWhere: []string{"path status"}},
		{name: "status not an enum number", method: "PUT", target: "/api/2.0/people/status/3", ct: jsonCT, body: `{"userIds":["` + userID + `"]}`,
			wantOperation: "updateUserStatus", wantWhere: []string{"path status"}},
		{name: "status ids not a list", method: "PUT", target: "/api/2.0/people/status/2", ct: jsonCT, body: `{"userIds":"` + userID + `"}`,
			wantOperation: "updateUserStatus", wantWhere: []string{"body /userIds"}},
		{name: "status id not a GUID", method: "PUT", target: "/api/2.0/people/status/2", ct: jsonCT, body: `{"userIds":["jane"]}`,
			wantOperation: "updateUserStatus", wantWhere: []string{"body /userIds/0"}},
		{name: "status misspelled field", method: "PUT", target: "/api/2.0/people/status/2", ct: jsonCT, body: `{"userIDs":["` + userID + `"]}`,
			wantOperation: "updateUserStatus", wantWhere: []string{"body"}},
		{name: "status without body", method: "PUT", target: "/api/2.0/people/status/2",
			wantOperation: "updateUserStatus", wantWhere: []string{"body"}},
		{name: "status body not JSON content (§1.1 415)", method: "PUT", target: "/api/2.0/people/status/2", ct: "text/plain", body: `{"userIds":["` + userID + `"]}`,
			wantOperation: "updateUserStatus", wantWhere: []string{"body"}},
		{name: "example's disable field (§14 #2)", method: "PUT", target: "/api/2.0/people/" + userID, ct: jsonCT, body: `{"disabled":true}`,
			wantOperation: "updateMember", wantWhere: []string{"body"}},

		// moveBatchItems
		{name: "move", method: "PUT", target: "/api/2.0/files/fileops/move", ct: jsonCT,
			body: `{"folderIds":[12],"destFolderId":50,"deleteAfter":false,"content":false,"returnSingleOperation":true}`, wantOperation: "moveBatchItems"},
		{name: "move with string ids and a conflict name", method: "PUT", target: "/api/2.0/files/fileops/move", ct: jsonCT,
			body: `{"folderIds":["12"],"destFolderId":"50","conflictResolveType":"Skip"}`, wantOperation: "moveBatchItems"},
		{name: "move deleteAfter not a boolean", method: "PUT", target: "/api/2.0/files/fileops/move", ct: jsonCT,
			body: `{"folderIds":[12],"destFolderId":50,"deleteAfter":"no"}`, wantOperation: "moveBatchItems", wantWhere: []string{"body /deleteAfter"}},
		{name: "move unknown conflict type", method: "PUT", target: "/api/2.0/files/fileops/move", ct: jsonCT,
			body: `{"folderIds":[12],"destFolderId":50,"conflictResolveType":"Rename"}`, wantOperation: "moveBatchItems", wantWhere: []string{"body /conflictResolveType"}},
		{name: "move folder ids not a list", method: "PUT", target: "/api/2.0/files/fileops/move", ct: jsonCT,
			body: `{"folderIds":12,"destFolderId":50}`, wantOperation: "moveBatchItems", wantWhere: []string{"body /folderIds"}},

		// insertFile
		{name: "upload form", method: "POST", target: "/api/2.0/files/12/insert", form: uploadForm([][2]string{{"title", "offboarding-jane.csv"}}, "file"), wantOperation: "insertFile"},
		{name: "upload file part of any name", method: "POST", target: "/api/2.0/files/12/insert",
			form: uploadForm([][2]string{{"Title", "r.csv"}, {"createNewIfExist", "True"}, {"keepConvertStatus", "false"}}, "upload"), wantOperation: "insertFile"},
		{name: "upload raw bytes with title", method: "POST", target: "/api/2.0/files/12/insert?title=r.csv", ct: "application/octet-stream", body: "id\n1\n", wantOperation: "insertFile"},
		{name: "upload with the document's field names", method: "POST", target: "/api/2.0/files/12/insert",
			form: uploadForm([][2]string{{"InsertFile.Title", "r.csv"}}, "InsertFile.File"), wantOperation: "insertFile",
			wantWhere: []string{"body field InsertFile.Title", "body field title"}},
		{name: "upload without a file", method: "POST", target: "/api/2.0/files/12/insert", form: uploadForm([][2]string{{"title", "r.csv"}}, ""),
			wantOperation: "insertFile", wantWhere: []string{"body"}},
		{name: "upload flag not a boolean", method: "POST", target: "/api/2.0/files/12/insert",
			form: uploadForm([][2]string{{"title", "r.csv"}, {"createNewIfExist", "sometimes"}}, "file"), wantOperation: "insertFile", wantWhere: []string{"body field createNewIfExist"}},
		{name: "upload unknown field", method: "POST", target: "/api/2.0/files/12/insert",
			form: uploadForm([][2]string{{"title", "r.csv"}, {"folderId", "12"}}, "file"), wantOperation: "insertFile", wantWhere: []string{"body field folderId"}},
		{name: "upload raw bytes without title", method: "POST", target: "/api/2.0/files/12/insert", ct: "application/octet-stream", body: "id\n1\n",
			wantOperation: "insertFile", wantWhere: []string{"query title"}},
		{name: "upload folder not an integer", method: "POST", target: "/api/2.0/files/my/insert", form: uploadForm([][2]string{{"title", "r.csv"}}, "file"),
			wantOperation: "insertFile", wantWhere: []string{"path folderId"}},

		// setRoomSecurity
		{name: "room share", method: "PUT", target: "/api/2.0/files/rooms/12/share", ct: jsonCT,
			body: `{"invitations":[{"id":"` + targetID + `","access":9},{"id":"` + groupID + `","access":2}],"notify":false}`, wantOperation: "setRoomSecurity"},
		{name: "room share by access name (§1.1 FileShare)", method: "PUT", target: "/api/2.0/files/rooms/12/share", ct: jsonCT,
			body: `{"invitations":[{"id":"` + targetID + `","access":"RoomManager"}]}`, wantOperation: "setRoomSecurity"},
		{name: "example's share body (§14 #13)", method: "PUT", target: "/api/2.0/files/rooms/12/share", ct: jsonCT,
			body: `{"entries":[{"id":"` + targetID + `","isGroup":false,"access":4}]}`, wantOperation: "setRoomSecurity", wantWhere: []string{"body"}},
		{name: "room share unknown access name", method: "PUT", target: "/api/2.0/files/rooms/12/share", ct: jsonCT,
			body: `{"invitations":[{"id":"` + targetID + `","access":"Owner"}]}`, wantOperation: "setRoomSecurity", wantWhere: []string{"body /invitations/0/access"}},
		{name: "room share id not a GUID", method: "PUT", target: "/api/2.0/files/rooms/12/share", ct: jsonCT,
			body: `{"invitations":[{"id":"hr","access":2}]}`, wantOperation: "setRoomSecurity", wantWhere: []string{"body /invitations/0/id"}},

		// getAuditEventsByFilter
		{name: "audit", method: "GET", target: "/api/2.0/security/audit/events/filter?userId=" + userID + "&from=2026-03-01T00:00:00Z&to=2026-03-02T10:00:00.123Z&count=100&startIndex=100",
			wantOperation: "getAuditEventsByFilter"},
		{name: "audit about a user", method: "GET", target: "/api/2.0/security/audit/events/filter?entryType=23&target=" + targetID + "&action=4020&from=2026-03-02T10:00:00%2B02:00",
			wantOperation: "getAuditEventsByFilter"},
		{name: "audit date without zone (§14 #18)", method: "GET", target: "/api/2.0/security/audit/events/filter?from=2026-03-02T10:00:00",
			wantOperation: "getAuditEventsByFilter", wantWhere: []string{"query from"}},
		{name: "audit bare date", method: "GET", target: "/api/2.0/security/audit/events/filter?to=2026-03-02",
			wantOperation: "getAuditEventsByFilter", wantWhere: []string{"query to"}},
		{name: "audit count over 100 (§11.1)", method: "GET", target: "/api/2.0/security/audit/events/filter?count=101",
			wantOperation: "getAuditEventsByFilter", wantWhere: []string{"query count"}},
		{name: "audit user not a GUID", method: "GET", target: "/api/2.0/security/audit/events/filter?userId=jane",
			wantOperation: "getAuditEventsByFilter", wantWhere: []string{"query userId"}},
		{name: "audit unknown entry type", method: "GET", target: "/api/2.0/security/audit/events/filter?entryType=99",
			wantOperation: "getAuditEventsByFilter", wantWhere: []string{"query entryType"}},

		// getOperationStatuses
		{name: "operation by id", method: "GET", target: "/api/2.0/files/fileops?id=" + opID, wantOperation: "getOperationStatuses"},
		{name: "all operations", method: "GET", target: "/api/2.0/files/fileops", wantOperation: "getOperationStatuses"},
		{name: "operations with a body", method: "GET", target: "/api/2.0/files/fileops", ct: jsonCT, body: `{"id":"x"}`,
			wantOperation: "getOperationStatuses", wantWhere: []string{"body"}},

		// no operation
		{name: "example's status route (§14 #1)", method: "PUT", target: "/api/2.0/people/" + userID + "/status", ct: jsonCT, body: `{"disabled":true}`,
			wantWhere: []string{"route"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ct, body := tt.ct, tt.body
			if tt.form != nil {
				ct, body = tt.form(t)
			}
			got, err := v.ValidateRequest(t.Context(), newRequest(tt.method, tt.target, ct, body))
			if err != nil {
				t.Fatalf("ValidateRequest() error = %v", err)
			}
			if got.OperationID != tt.wantOperation {
				t.Errorf("ValidateRequest().OperationID = %q, want %q", got.OperationID, tt.wantOperation)
			}
			if diff := cmp.Diff(wheres(got.Violations), tt.wantWhere); diff != "" {
				t.Errorf("violations mismatch (-got +want):\n%s\ngot:\n%s", diff, describe(got.Violations))
			}
		})
	}
}

func TestValidateResponse(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	profile := "/api/2.0/people/" + userID
	ops := "/api/2.0/files/fileops?id=" + opID
	audit := "/api/2.0/security/audit/events/filter"
	share := "/api/2.0/files/rooms/12/share"
	status := "/api/2.0/people/status/2"
	user := userJSON(userID, 2)
	replace := func(s, old, new string) string {
		if !strings.Contains(s, old) {
			panic(fmt.Sprintf("fixture lacks %q", old))
		}
		return strings.Replace(s, old, new, 1)
	}
	html := http.Header{"Content-Type": {"text/html"}}
	tests := []struct {
		name, method, target string
		status               int
		header               http.Header
		body                 string
		wantOperation        string
		wantWhere            []string
	}{
		// getProfileByUserId
		{"profile", "GET", profile, 200, jsonHeader(), envelope("GET", profile, user), "getProfileByUserId", nil},
		{"profile terminated date", "GET", profile, 200, jsonHeader(), envelope("GET", profile, replace(user, `"status":2`, `"status":2,"terminated":"2026-03-02T12:00:00.0000000Z"`)), "getProfileByUserId", nil},
		{"profile date as an object", "GET", profile, 200, jsonHeader(),
			envelope("GET", profile, replace(user, `"status":2`, `"status":2,"terminated":{"utcTime":"2026-03-02T12:00:00Z","timeZoneOffset":"00:00:00"}`)),
			"getProfileByUserId", []string{"body /response/terminated"}},
		{"profile date without seven digits", "GET", profile, 200, jsonHeader(), envelope("GET", profile, replace(user, date, "2026-03-02T14:05:09Z")),
			"getProfileByUserId", []string{"body /response/registrationDate"}},
		{"profile status as a name", "GET", profile, 200, jsonHeader(), envelope("GET", profile, replace(user, `"status":2`, `"status":"Terminated"`)),
			"getProfileByUserId", []string{"body /response/status"}},
		{"profile unknown property", "GET", profile, 200, jsonHeader(), envelope("GET", profile, replace(user, `"status":2`, `"status":2,"disabled":true`)),
			"getProfileByUserId", []string{"body /response"}},
		{"profile property in the wrong case", "GET", profile, 200, jsonHeader(), envelope("GET", profile, replace(user, `"firstName"`, `"FirstName"`)),
			"getProfileByUserId", []string{"body /response"}},
		{"profile not JSON", "GET", profile, 200, html, "<html></html>", "getProfileByUserId", []string{"header Content-Type"}},
		{"profile not found", "GET", profile, 404, jsonHeader(), errorEnvelope(404, "The user could not be found"), "getProfileByUserId", nil},
		{"profile unknown status", "GET", profile, 409, jsonHeader(), errorEnvelope(409, "conflict"), "getProfileByUserId", []string{"status"}},
		{"profile created", "GET", profile, 201, jsonHeader(), replace(envelope("GET", profile, user), `"statusCode":200`, `"statusCode":201`), "getProfileByUserId", []string{"status"}},

		// updateUserStatus
		{"status", "PUT", status, 200, jsonHeader(), envelope("PUT", status, "["+user+"]"), "updateUserStatus", nil},
		{"status validation failure", "PUT", status, 400, jsonHeader(), validationEnvelope("PUT", status), "updateUserStatus", nil},
		{"status argument error", "PUT", status, 400, jsonHeader(), errorEnvelope(400, "Incorrect status"), "updateUserStatus", nil},
		{"status access denied", "PUT", status, 403, jsonHeader(), errorEnvelope(403, "Access denied"), "updateUserStatus", nil},
		{"status result not a list", "PUT", status, 200, jsonHeader(), envelope("PUT", status, user), "updateUserStatus", []string{"body /response"}},
		{"status envelope of another request", "PUT", status, 200, jsonHeader(), envelope("GET", profile, "["+user+"]"), "updateUserStatus",
			[]string{"body /links/0/action", "body /links/0/href"}},

		// getOperationStatuses
		{"operation running", "GET", ops, 200, jsonHeader(), envelope("GET", ops, "["+operationJSON(false)+"]"), "getOperationStatuses", nil},
		{"operation finished with folders", "GET", ops, 200, jsonHeader(), envelope("GET", ops, "["+operationJSON(true)+"]"), "getOperationStatuses", nil},
		{"operation without error (§8.3)", "GET", ops, 200, jsonHeader(), envelope("GET", ops, "["+replace(operationJSON(false), `"error":"",`, "")+"]"), "getOperationStatuses", nil},
		{"operation none", "GET", ops, 200, jsonHeader(), envelope("GET", ops, "[]"), "getOperationStatuses", nil},
		{"operation type as a name", "GET", ops, 200, jsonHeader(), envelope("GET", ops, "["+replace(operationJSON(false), `"Operation":0`, `"Operation":"Move"`)+"]"),
			"getOperationStatuses", []string{"body /response/0/Operation"}},
		{"operation type in the wrong case", "GET", ops, 200, jsonHeader(), envelope("GET", ops, "["+replace(operationJSON(false), `"Operation":0`, `"operation":0`)+"]"),
			"getOperationStatuses", []string{"body /response/0", "body /response/0/Operation"}},
		{"operation without finished", "GET", ops, 200, jsonHeader(), envelope("GET", ops, "["+replace(operationJSON(false), `"finished":false,`, "")+"]"),
			"getOperationStatuses", []string{"body /response/0/finished"}},
		{"operation folder misspelled", "GET", ops, 200, jsonHeader(), envelope("GET", ops, "["+replace(operationJSON(true), `"parentId"`, `"parentID"`)+"]"),
			"getOperationStatuses", []string{"body /response/0/folders/0"}},

		// moveBatchItems
		{"move", "PUT", "/api/2.0/files/fileops/move", 200, jsonHeader(), envelope("PUT", "/api/2.0/files/fileops/move", "["+operationJSON(false)+"]"), "moveBatchItems", nil},
		{"move forbidden", "PUT", "/api/2.0/files/fileops/move", 403, jsonHeader(), errorEnvelope(403, "Access denied"), "moveBatchItems", nil},
		{"move missing first source (§8.3)", "PUT", "/api/2.0/files/fileops/move", 500, jsonHeader(), errorEnvelope(500, "Object reference not set to an instance of an object."), "moveBatchItems", nil},

		// setRoomSecurity
		{"room share", "PUT", share, 200, jsonHeader(), envelope("PUT", share, `{"members":[`+shareJSON(9)+`],"error":0}`), "setRoomSecurity", nil},
		{"room share blocked by a form role (§9.3)", "PUT", share, 200, jsonHeader(), envelope("PUT", share, `{"members":[],"warning":"The user has a form role","error":1}`), "setRoomSecurity", nil},
		{"room share member without flags", "PUT", share, 200, jsonHeader(), envelope("PUT", share, `{"members":[`+replace(shareJSON(9), `"isLocked":false,`, "")+`],"error":0}`),
			"setRoomSecurity", []string{"body /response/members/0/isLocked"}},
		{"room share in the archive", "PUT", share, 403, jsonHeader(), errorEnvelope(403, "You cannot edit archived rooms"), "setRoomSecurity", nil},

		// getAuditEventsByFilter
		{"audit", "GET", audit, 200, jsonHeader(), envelope("GET", audit, "["+auditJSON()+"]"), "getAuditEventsByFilter", nil},
		{"audit event date as an object", "GET", audit, 200, jsonHeader(), envelope("GET", audit, "["+replace(auditJSON(), `"`+date+`"`, `{"utcTime":"2026-03-02T12:05:09Z"}`)+"]"),
			"getAuditEventsByFilter", []string{"body /response/0/date"}},
		{"audit with a total (§11.1 has none, but total is allowed)", "GET", audit, 200, jsonHeader(),
			replace(envelope("GET", audit, "["+auditJSON()+"]"), `"count":1`, `"count":1,"total":1`), "getAuditEventsByFilter", nil},
		{"audit not in the tariff", "GET", audit, 402, jsonHeader(), errorEnvelope(402, "Your pricing plan does not support this option"), "getAuditEventsByFilter", nil},

		// insertFile
		{"upload", "POST", "/api/2.0/files/12/insert", 200, jsonHeader(), envelope("POST", "/api/2.0/files/12/insert", fileJSON(200)), "insertFile", nil},
		{"upload length as a number", "POST", "/api/2.0/files/12/insert", 200, jsonHeader(),
			envelope("POST", "/api/2.0/files/12/insert", replace(fileJSON(200), `"contentLength":"22 bytes"`, `"contentLength":22`)), "insertFile", []string{"body /response/contentLength"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRequest(tt.method, tt.target, "", "")
			got, err := v.ValidateResponse(t.Context(), r, tt.status, tt.header, []byte(tt.body))
			if err != nil {
				t.Fatalf("ValidateResponse() error = %v", err)
			}
			if got.OperationID != tt.wantOperation {
				t.Errorf("ValidateResponse().OperationID = %q, want %q", got.OperationID, tt.wantOperation)
			}
			if diff := cmp.Diff(wheres(got.Violations), tt.wantWhere); diff != "" {
				t.Errorf("violations mismatch (-got +want):\n%s\ngot:\n%s", diff, describe(got.Violations))
			}
		})
	}
}

func TestValidateRequestKeepsBody(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	const body = `{"userIds":["` + userID + `"]}`
	r := newRequest("PUT", "/api/2.0/people/status/2", jsonCT, body)
	for i := range 2 {
		if _, err := v.ValidateRequest(t.Context(), r); err != nil {
			t.Fatalf("ValidateRequest() #%d error = %v", i, err)
		}
	}
	got, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("read body after validation: %v", err)
	}
	if string(got) != body {
		t.Errorf("body after validation = %q, want %q", got, body)
	}
	if r.URL.RawQuery != "" || r.Header.Get("Content-Type") != jsonCT {
		t.Errorf("request changed: query %q, Content-Type %q", r.URL.RawQuery, r.Header.Get("Content-Type"))
	}
}

func TestValidateRequestDoesNotRewriteCallersQuery(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	r := newRequest("GET", "/api/2.0/people/reassign/necessary?USERID="+userID+"&type=roomadmin", "", "")
	before := r.URL.String()
	got, err := v.ValidateRequest(t.Context(), r)
	if err != nil {
		t.Fatalf("ValidateRequest() error = %v", err)
	}
	if !got.Valid() {
		t.Errorf("ValidateRequest() violations:\n%s", describe(got.Violations))
	}
	if after := r.URL.String(); after != before {
		t.Errorf("request URL = %s after validation, want %s unchanged", after, before)
	}
}

type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }

func TestValidateRequestBodyReadError(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	errBroken := errors.New("connection reset")
	r := httptest.NewRequest("PUT", portal+"/api/2.0/people/status/2", io.MultiReader(strings.NewReader(`{"user`), failingReader{errBroken}))
	r.Header.Set("Content-Type", jsonCT)
	if _, err := v.ValidateRequest(t.Context(), r); !errors.Is(err, errBroken) {
		t.Fatalf("ValidateRequest() error = %v, want %v", err, errBroken)
	}
	got, err := io.ReadAll(r.Body)
	if !errors.Is(err, errBroken) || string(got) != `{"user` {
		t.Errorf("body after failed validation = %q, %v; want the bytes read, then %v", got, err, errBroken)
	}
}

func TestValidateCanceledContext(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	r := newRequest("GET", "/api/2.0/people/@self", "", "")
	if _, err := v.ValidateRequest(ctx, r); !errors.Is(err, context.Canceled) {
		t.Errorf("ValidateRequest(canceled) error = %v, want context.Canceled", err)
	}
	if _, err := v.ValidateResponse(ctx, r, 200, jsonHeader(), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("ValidateResponse(canceled) error = %v, want context.Canceled", err)
	}
}

func TestViolationString(t *testing.T) {
	t.Parallel()
	got := Violation{Part: Response, Where: "body /response/status", Message: "value is not one of the allowed values"}.String()
	want := "response body /response/status: value is not one of the allowed values"
	if got != want {
		t.Errorf("Violation.String() = %q, want %q", got, want)
	}
	if got, want := (Request | Response).String(), "request+response"; got != want {
		t.Errorf("Part.String() = %q, want %q", got, want)
	}
}
