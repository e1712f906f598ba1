package apispec

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"
)

// exceptionCase is one exchange an exception decides: a request when status
// is 0, otherwise a response to the request.
type exceptionCase struct {
	name                     string
	method, target, ct, body string
	status                   int
	header                   http.Header
	wantWhere                []string
}

// exceptionCases exercises every exception of the table, each with what it
// lets through and what it still rejects.
func exceptionCases(t testing.TB) map[string][]exceptionCase {
	profile := "/api/2.0/people/" + userID
	folder := "/api/2.0/files/12"
	ops := "/api/2.0/files/fileops"
	room := "/api/2.0/files/rooms/12"
	share := "/api/2.0/files/rooms/12/share"
	logout := "/api/2.0/security/activeconnections/logoutall/" + userID
	withoutKeys := func(doc string, keys ...string) string {
		var m map[string]any
		if err := json.Unmarshal([]byte(doc), &m); err != nil {
			t.Fatalf("fixture: %v", err)
		}
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				t.Fatalf("fixture lacks %q", k)
			}
			delete(m, k)
		}
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("fixture: %v", err)
		}
		return string(out)
	}
	withHeader := func(kv ...string) http.Header {
		h := jsonHeader()
		for i := 0; i+1 < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	none := http.Header{}
	upload, uploadCT := multipartBody(t, [][2]string{{"title", "offboarding-jane.csv"}, {"keepConvertStatus", "false"}}, "stream")
	prefixed, prefixedCT := multipartBody(t, [][2]string{{"InsertFile.Title", "offboarding-jane.csv"}, {"InsertFile.CreateNewIfExist", "true"}}, "InsertFile.File")
	return map[string][]exceptionCase{
		"all-of": {
			{name: "derived response", method: "GET", target: profile, status: 200, header: jsonHeader(), body: envelope("GET", profile, userJSON(userID, 1))},
			{name: "derived request", method: "PUT", target: "/api/2.0/files/folder/12/share", ct: jsonCT, body: `{"share":[{"shareTo":"` + groupID + `","access":2}]}`},
			{name: "still closed", method: "GET", target: profile, status: 200, header: jsonHeader(),
				body: envelope("GET", profile, strings.Replace(userJSON(userID, 1), `"status":1`, `"status":1,"isGroup":false`, 1)), wantWhere: []string{"body /response"}},
		},
		"derived-entries": {
			{name: "files and folders", method: "GET", target: folder, status: 200, header: jsonHeader(), body: envelope("GET", folder, folderContentJSON(2, 2))},
			{name: "unknown property", method: "GET", target: folder, status: 200, header: jsonHeader(),
				body:      envelope("GET", folder, strings.Replace(folderContentJSON(1, 0), `"filesCount"`, `"fileCount"`, 1)),
				wantWhere: []string{"body /response/folders/0"}},
		},
		"api-date-time-input": {
			{name: "Z", method: "GET", target: "/api/2.0/security/audit/login/filter?from=2026-03-02T10:00:00Z&to=2026-03-02T11:00:00.1234567%2B02:00"},
			{name: "no zone", method: "GET", target: "/api/2.0/security/audit/login/filter?from=2026-03-02T10:00:00", wantWhere: []string{"query from"}},
		},
		"query-objects": {
			{name: "repeated keys", method: "GET", target: "/api/2.0/files/fileops/move?folderIds=12&folderIds=13&fileIds=7&destFolderId=50&conflictResolveType=Overwrite&deleteAfter=false"},
			{name: "property value checked", method: "GET", target: "/api/2.0/files/fileops/move?folderIds=12&destFolderId=50&deleteAfter=maybe", wantWhere: []string{"query deleteAfter"}},
		},
		"query-arrays": {
			{name: "repeated keys", method: "GET", target: "/api/2.0/files/rooms?type=5&type=EditingRoom"},
			{name: "item checked", method: "GET", target: "/api/2.0/files/rooms?type=7", wantWhere: []string{"query type /0"}},
		},
		"query-names": {
			{name: "other case", method: "GET", target: "/api/2.0/people/reassign/necessary?userid=" + userID + "&TYPE=4"},
			{name: "other case still checked", method: "GET", target: "/api/2.0/people/reassign/necessary?userId=jane&type=4", wantWhere: []string{"query UserId"}},
			{name: "array brackets", method: "GET", target: "/api/2.0/files/fileops/move?folderIds[]=12&folderIds[]=13&destFolderId=50"},
		},
		"route-enums": {
			{name: "name in any case", method: "PUT", target: "/api/2.0/people/status/terminated", ct: jsonCT, body: `{"userIds":["` + userID + `"]}`},
			{name: "query enum by name", method: "GET", target: "/api/2.0/files/rooms?searchArea=archive&subjectFilter=Owner"},
			{name: "unknown name", method: "PUT", target: "/api/2.0/people/status/Disabled", ct: jsonCT, body: `{"userIds":["` + userID + `"]}`, wantWhere: []string{"path status"}},
		},
		"file-share-names": {
			{name: "folder share by name", method: "PUT", target: "/api/2.0/files/folder/12/share", ct: jsonCT, body: `{"share":[{"shareTo":"` + groupID + `","access":"Read"}]}`},
			{name: "unknown name", method: "PUT", target: share, ct: jsonCT, body: `{"invitations":[{"id":"` + groupID + `","access":"FullAccess"}]}`,
				wantWhere: []string{"body /invitations/0/access"}},
		},
		"json-enum-numbers": {
			{name: "request enum name", method: "POST", target: "/api/2.0/files/rooms", ct: jsonCT, body: `{"title":"Archive","roomType":"CustomRoom"}`, wantWhere: []string{"body /roomType"}},
			{name: "string-typed enum name", method: "PUT", target: "/api/2.0/files/fileops/move", ct: jsonCT, body: `{"folderIds":[12],"destFolderId":50,"conflictResolveType":"Overwrite"}`},
			{name: "response enum name", method: "GET", target: room, status: 200, header: jsonHeader(),
				body: envelope("GET", room, strings.Replace(roomJSON(12), `"rootFolderType":14`, `"rootFolderType":"VirtualRooms"`, 1)), wantWhere: []string{"body /response/rootFolderType"}},
		},
		"api-date-time": {
			{name: "offset", method: "GET", target: room, status: 200, header: jsonHeader(), body: envelope("GET", room, roomJSON(12))},
			{name: "Z", method: "GET", target: room, status: 200, header: jsonHeader(), body: envelope("GET", room, strings.ReplaceAll(roomJSON(12), date, "2026-03-02T12:05:09.0000000Z"))},
			{name: "RFC 3339 without fraction", method: "GET", target: room, status: 200, header: jsonHeader(),
				body: envelope("GET", room, strings.Replace(roomJSON(12), date, "2026-03-02T12:05:09Z", 1)), wantWhere: []string{"body /response/created"}},
		},
		"omitted-null-GroupDto": {
			{name: "no name", method: "GET", target: "/api/2.0/group/" + groupID, status: 200, header: jsonHeader(), body: envelope("GET", "/api/2.0/group/"+groupID, withoutKeys(groupJSON(), "name"))},
			{name: "no id", method: "GET", target: "/api/2.0/group/" + groupID, status: 200, header: jsonHeader(),
				body: envelope("GET", "/api/2.0/group/"+groupID, `{"name":"Finance","category":"00000000-0000-0000-0000-000000000000","isLDAP":false}`), wantWhere: []string{"body /response/id"}},
		},
		"omitted-null-GroupSummaryDto": {
			{name: "people", method: "GET", target: "/api/2.0/group/user/" + userID, status: 200, header: jsonHeader(),
				body: envelope("GET", "/api/2.0/group/user/"+userID, `[{"id":"`+groupID+`"}]`)},
			{name: "files", method: "GET", target: share, status: 200, header: jsonHeader(),
				body: envelope("GET", share, `[{"access":2,"sharedToGroup":{"id":"`+groupID+`"},"isLocked":false,"isOwner":false,"canEditAccess":true,"canEditInternal":false,`+
					`"canEditDenyDownload":false,"canEditExpirationDate":false,"canRevoke":true,"subjectType":2}]`)},
		},
		"omitted-null-TaskProgressResponseDto": {
			{name: "no id", method: "GET", target: "/api/2.0/people/reassign/progress/" + userID, status: 200, header: jsonHeader(),
				body: envelope("GET", "/api/2.0/people/reassign/progress/"+userID, withoutKeys(progressJSON(5, false, 1), "id"))},
		},
		"omitted-null-FileOperationDto": {
			{name: "no error, id, processed", method: "GET", target: ops, status: 200, header: jsonHeader(),
				body: envelope("GET", ops, "["+withoutKeys(operationJSON(false), "error", "id", "processed")+"]")},
		},
		"omitted-null-FolderContentDtoInteger": {
			{name: "no pathParts", method: "GET", target: folder, status: 200, header: jsonHeader(), body: envelope("GET", folder, withoutKeys(folderContentJSON(0, 1), "pathParts"))},
			{name: "no total", method: "GET", target: folder, status: 200, header: jsonHeader(),
				body: envelope("GET", folder, withoutKeys(folderContentJSON(0, 1), "total")), wantWhere: []string{"body /response/total"}},
		},
		"omitted-null-Logo": {
			{name: "color only", method: "GET", target: room, status: 200, header: jsonHeader(),
				body: envelope("GET", room, strings.Replace(roomJSON(12), `"logo":{"original":"","large":"","medium":"","small":"","color":"6BA4CA"}`, `"logo":{"color":"6BA4CA","cover":{}}`, 1))},
		},
		"omitted-null-ApiKeyResponseDto": {
			{name: "listed key", method: "GET", target: "/api/2.0/keys", status: 200, header: jsonHeader(),
				body: envelope("GET", "/api/2.0/keys", `[{"id":"`+opID+`","keyPostfix":"f00d","permissions":["*"],"createOn":"`+date+`","isActive":true}]`)},
		},
		"omitted-null": {
			{name: "other operation", method: "GET", target: "/api/2.0/security/csp", status: 200, header: jsonHeader(),
				body: envelope("GET", "/api/2.0/security/csp", `{}`)},
			{name: "request schemas keep required", method: "POST", target: "/api/2.0/files/folder/12", ct: jsonCT, body: `{}`, wantWhere: []string{"body /title"}},
		},
		"omitted-null-LogoCover": {
			{name: "empty cover", method: "GET", target: room, status: 200, header: jsonHeader(),
				body: envelope("GET", room, strings.Replace(roomJSON(12), `"color":"6BA4CA"`, `"color":"6BA4CA","cover":{}`, 1))},
		},
		"insert-file-form": {
			{name: "bare names", method: "POST", target: "/api/2.0/files/12/insert", ct: uploadCT, body: upload},
			{name: "document's names", method: "POST", target: "/api/2.0/files/12/insert", ct: prefixedCT, body: prefixed,
				wantWhere: []string{"body field InsertFile.CreateNewIfExist", "body field InsertFile.Title", "body field title"}},
		},
		"archive-room-body": {
			{name: "empty object", method: "PUT", target: room + "/archive", ct: jsonCT, body: `{}`},
			{name: "no body (§9.4)", method: "PUT", target: room + "/archive", wantWhere: []string{"body"}},
		},
		"void-result": {
			{name: "no response", method: "PUT", target: logout, status: 200, header: jsonHeader(), body: envelope("PUT", logout, "")},
			{name: "a response", method: "PUT", target: logout, status: 200, header: jsonHeader(), body: envelope("PUT", logout, "true"), wantWhere: []string{"body"}},
		},
		"success-envelope": {
			{name: "bare result", method: "GET", target: profile, status: 200, header: jsonHeader(), body: userJSON(userID, 1),
				wantWhere: []string{"body /count", "body /links", "body /status", "body /statusCode"}},
			{name: "error status in a success", method: "GET", target: profile, status: 200, header: jsonHeader(),
				body:      strings.Replace(envelope("GET", profile, userJSON(userID, 1)), `"status":0,"statusCode":200`, `"status":1,"statusCode":404`, 1),
				wantWhere: []string{"body /status", "body /statusCode"}},
			{name: "empty", method: "GET", target: profile, status: 200, header: jsonHeader(), wantWhere: []string{"body"}},
		},
		"bad-request": {
			{name: "validation", method: "GET", target: "/api/2.0/security/audit/events/filter?count=101", status: 400, header: jsonHeader(),
				body: validationEnvelope("GET", "/api/2.0/security/audit/events/filter?count=101")},
			{name: "argument", method: "POST", target: "/api/2.0/people/reassign/start", status: 400, header: jsonHeader(),
				body: errorEnvelope(400, "Can not reassign data to user with id = "+targetID)},
			{name: "empty", method: "POST", target: "/api/2.0/people/reassign/start", status: 400, header: none, wantWhere: []string{"body"}},
			{name: "validation with status 0", method: "GET", target: "/api/2.0/files/12", status: 400, header: jsonHeader(),
				body: strings.Replace(validationEnvelope("GET", "/api/2.0/files/12"), `"status":1,`, `"status":0,`, 1), wantWhere: []string{"body /status"}},
		},
		"empty-or-error": {
			{name: "401 empty", method: "GET", target: profile, status: 401, header: none},
			{name: "401 authentication exception", method: "GET", target: profile, status: 401, header: jsonHeader(),
				body: `{"error":{"message":"Unauthorized","type":null,"stack":null,"hresult":0},"status":1,"statusCode":401}`},
			{name: "402 empty", method: "GET", target: profile, status: 402, header: none},
			{name: "403 empty (scope)", method: "GET", target: "/api/2.0/security/audit/events/filter", status: 403, header: none},
			{name: "404 empty (non-GUID segment)", method: "GET", target: "/api/2.0/people/reassign/progress/jane", status: 404, header: none},
			{name: "415 empty", method: "PUT", target: "/api/2.0/people/status/2", status: 415, header: none},
			{name: "404 HTML", method: "GET", target: profile, status: 404, header: http.Header{"Content-Type": {"text/html"}}, body: "<h1>Not Found</h1>", wantWhere: []string{"header Content-Type"}},
			{name: "error without stack", method: "GET", target: profile, status: 404, header: jsonHeader(),
				body:      `{"error":{"message":"The user could not be found","type":"ASC.Common.Web.ItemNotFoundException","hresult":-2146233088},"status":1,"statusCode":404}`,
				wantWhere: []string{"body /error/stack"}},
		},
		"server-error": {
			{name: "envelope", method: "GET", target: profile, status: 500, header: jsonHeader(), body: errorEnvelope(500, "ReassignDataRemoveUserError")},
			{name: "empty", method: "GET", target: profile, status: 500, header: none, wantWhere: []string{"body"}},
		},
		"rate-limited": {
			{name: "sliding window", method: "PUT", target: share, status: 429, header: withHeader("Retry-After", "12", "X-RateLimit-Limit", "1500", "X-RateLimit-Remaining", "0")},
			{name: "concurrency", method: "GET", target: profile, status: 429, header: none},
			{name: "with a body", method: "GET", target: profile, status: 429, header: jsonHeader(), body: errorEnvelope(429, "slow down"), wantWhere: []string{"body"}},
			{name: "HTTP date", method: "GET", target: profile, status: 429, header: withHeader("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT"), wantWhere: []string{"header Retry-After"}},
		},
		"rate-limit-headers": {
			{name: "on a 200", method: "GET", target: profile, status: 200, header: withHeader("X-RateLimit-Remaining", "1499"),
				body: envelope("GET", profile, userJSON(userID, 1)), wantWhere: []string{"header X-RateLimit-Remaining"}},
		},
		"proxy-errors": {
			{name: "502 HTML", method: "PUT", target: "/api/2.0/files/fileops/move", status: 502, header: http.Header{"Content-Type": {"text/html"}}, body: "<html>Bad Gateway</html>"},
			{name: "503 empty", method: "GET", target: profile, status: 503, header: none},
			{name: "504 HTML", method: "GET", target: profile, status: 504, header: http.Header{"Content-Type": {"text/html"}}, body: "<html>Gateway Timeout</html>"},
		},
		"unknown-route": {
			{name: "request", method: "PUT", target: profile + "/status", ct: jsonCT, body: `{"disabled":true}`, wantWhere: []string{"route"}},
			{name: "404 empty", method: "PUT", target: profile + "/status", status: 404, header: none},
			{name: "429", method: "PUT", target: profile + "/status", status: 429, header: none},
			{name: "405 for a known path", method: "POST", target: "/api/2.0/people/@self", status: 405, header: none},
			{name: "404 with a body", method: "PUT", target: "/api/2.0/files/folderops/move", status: 404, header: jsonHeader(), body: errorEnvelope(404, "not found"), wantWhere: []string{"body"}},
			{name: "200", method: "PUT", target: "/api/2.0/files/folder/12/access", status: 200, header: jsonHeader(), body: `{"status":0}`, wantWhere: []string{"status"}},
			{name: "405 for an unknown path", method: "PUT", target: "/api/2.0/files/folderops/move", status: 405, header: none, wantWhere: []string{"status"}},
		},
	}
}

func TestExceptions(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	for name, cases := range exceptionCases(t) {
		for _, c := range cases {
			t.Run(name+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				r := newRequest(c.method, c.target, c.ct, c.body)
				var got Result
				var err error
				if c.status == 0 {
					got, err = v.ValidateRequest(t.Context(), r)
				} else {
					got, err = v.ValidateResponse(t.Context(), r, c.status, c.header, []byte(c.body))
				}
				if err != nil {
					t.Fatalf("validate: %v", err)
				}
				if diff := cmp.Diff(wheres(got.Violations), c.wantWhere); diff != "" {
					t.Errorf("violations mismatch (-got +want):\n%s\ngot:\n%s", diff, describe(got.Violations))
				}
			})
		}
	}
}

// TestEveryExceptionExercised keeps the table and its tests together.
func TestEveryExceptionExercised(t *testing.T) {
	t.Parallel()
	cases := exceptionCases(t)
	for _, e := range Exceptions() {
		if len(cases[e.Name]) == 0 {
			t.Errorf("exception %s has no case in exceptionCases", e.Name)
		}
	}
	for name := range cases {
		if !slices.ContainsFunc(Exceptions(), func(e Exception) bool { return e.Name == name }) {
			t.Errorf("exceptionCases has %s, which is not an exception", name)
		}
	}
}

func TestExceptionTable(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	seen := map[string]bool{}
	for _, e := range Exceptions() {
		if seen[e.Name] {
			t.Errorf("exception %s is listed twice", e.Name)
		}
		seen[e.Name] = true
		if e.Operation != "*" {
			if _, ok := v.Document(e.Operation); !ok {
				t.Errorf("exception %s: operation %q is in no document", e.Name, e.Operation)
			}
		}
		if e.Part&(Request|Response) == 0 || e.Pointer == "" {
			t.Errorf("exception %s: part %v, pointer %q: want both set", e.Name, e.Part, e.Pointer)
		}
		if !strings.Contains(e.Reason, "§") {
			t.Errorf("exception %s: reason %q cites no reference section", e.Name, e.Reason)
		}
		if s := e.String(); !strings.HasPrefix(s, e.Name+" (") || !strings.HasSuffix(s, e.Reason) {
			t.Errorf("Exception.String() = %q", s)
		}
	}
}

// TestOmittedNullListComplete checks, on the documents as published, that
// the omitted-null-* entries list every required property declared nullable
// in the responses of the operations the project uses, and of the API-key
// operations its simulator serves. It reads the documents as plain JSON.
func TestOmittedNullListComplete(t *testing.T) {
	t.Parallel()
	ops := []string{"createApiKey", "getApiKeys", "getApiKey"}
	for _, op := range projectOperations() {
		ops = append(ops, op.id)
	}
	listed := map[string]bool{}
	for _, e := range Exceptions() {
		if name, ok := strings.CutPrefix(e.Name, "omitted-null-"); ok {
			docs, props, _ := strings.Cut(e.Pointer, "#/components/schemas/"+name+"/required: ")
			for _, doc := range strings.Split(docs, ", ") {
				for _, prop := range strings.Split(props, ", ") {
					listed[doc+" "+name+"."+prop] = true
				}
			}
		}
	}
	type object = map[string]any
	for _, docName := range documentNames() {
		data, err := openapiFiles.ReadFile("openapi/" + docName)
		if err != nil {
			t.Fatalf("read %s: %v", docName, err)
		}
		var doc struct {
			Paths      map[string]map[string]json.RawMessage
			Components struct{ Schemas map[string]object }
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("parse %s: %v", docName, err)
		}
		// Collect the components the chosen operations' responses refer to,
		// directly or through other components.
		var pending []string
		var collect func(v any)
		collect = func(v any) {
			switch v := v.(type) {
			case object:
				if ref, ok := v["$ref"].(string); ok {
					pending = append(pending, strings.TrimPrefix(ref, "#/components/schemas/"))
				}
				for _, child := range v {
					collect(child)
				}
			case []any:
				for _, child := range v {
					collect(child)
				}
			}
		}
		for _, item := range doc.Paths {
			for _, raw := range item {
				var op struct {
					OperationID string
					Responses   object
				}
				if json.Unmarshal(raw, &op) == nil && slices.Contains(ops, op.OperationID) {
					collect(op.Responses)
				}
			}
		}
		seen := map[string]bool{}
		for len(pending) > 0 {
			name := pending[len(pending)-1]
			pending = pending[:len(pending)-1]
			if seen[name] {
				continue
			}
			seen[name] = true
			schema := doc.Components.Schemas[name]
			collect(schema)
			parts := []any{schema}
			if allOf, ok := schema["allOf"].([]any); ok {
				parts = append(parts, allOf...)
			}
			for _, part := range parts {
				part, _ := part.(object)
				props, _ := part["properties"].(object)
				required, _ := part["required"].([]any)
				for _, r := range required {
					prop, _ := props[r.(string)].(object)
					if nullable, _ := prop["nullable"].(bool); nullable && !listed[fmt.Sprintf("%s %s.%s", docName, name, r)] {
						t.Errorf("%s %s.%s is required and nullable but no omitted-null-%s entry lists it", docName, name, r, name)
					}
				}
			}
		}
		if len(seen) == 0 {
			t.Errorf("%s: found no response schemas", docName)
		}
	}
}

// TestPatchedDocuments checks document-wide effects of the patches.
func TestPatchedDocuments(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	for _, name := range documentNames() {
		for schemaName, ref := range v.spec.docs[name].Components.Schemas {
			s := ref.Value
			if len(s.AllOf) > 0 {
				t.Errorf("%s: %s still has allOf", name, schemaName)
			}
			if _, _, ok := enumBranches(s); ok && enumType(s) == "integer" {
				t.Errorf("%s: %s still accepts enum names in JSON", name, schemaName)
			}
		}
		adt := v.spec.docs[name].Components.Schemas["ApiDateTime"].Value
		if !adt.Type.Is(openapi3.TypeString) || adt.Pattern != apiDateTimeOutput {
			t.Errorf("%s: ApiDateTime = %v %q, want the string pattern", name, adt.Type, adt.Pattern)
		}
	}
}

func ExampleExceptions() {
	for _, e := range Exceptions()[:2] {
		fmt.Println(e.Name, e.Operation, e.Part)
	}
	// Output:
	// all-of * request+response
	// derived-entries * response
}
