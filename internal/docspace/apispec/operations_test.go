package apispec

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// projectOperation is a representative correct call of an operation the
// project uses, with a correct 200 response.
type projectOperation struct {
	id, doc             string
	method, target      string
	contentType, body   string
	response            string // the envelope's response; "" for a void result
	multipartFileFields bool   // body is built as an upload form
}

const jsonCT = "application/json"

func projectOperations() []projectOperation {
	return []projectOperation{
		{id: "getSelfProfile", doc: PeopleDocument, method: "GET", target: "/api/2.0/people/@self", response: userJSON(userID, 1)},
		{id: "getProfileByUserId", doc: PeopleDocument, method: "GET", target: "/api/2.0/people/" + userID, response: userJSON(userID, 2)},
		{id: "getProfileByEmail", doc: PeopleDocument, method: "GET", target: "/api/2.0/people/email?email=jane.roe%40acme.com", response: userJSON(userID, 1)},
		{id: "updateUserStatus", doc: PeopleDocument, method: "PUT", target: "/api/2.0/people/status/2", contentType: jsonCT,
			body: fmt.Sprintf(`{"userIds":[%q]}`, userID), response: "[" + userJSON(userID, 2) + "]"},
		{id: "updateMember", doc: PeopleDocument, method: "PUT", target: "/api/2.0/people/" + userID, contentType: jsonCT,
			body: `{"disable":true}`, response: userJSON(userID, 2)},
		{id: "logOutAllActiveConnectionsForUser", doc: APIDocument, method: "PUT", target: "/api/2.0/security/activeconnections/logoutall/" + userID},
		{id: "necessaryReassign", doc: PeopleDocument, method: "GET", target: "/api/2.0/people/reassign/necessary?userId=" + userID + "&type=4", response: "true"},
		{id: "startReassign", doc: PeopleDocument, method: "POST", target: "/api/2.0/people/reassign/start", contentType: jsonCT,
			body: fmt.Sprintf(`{"fromUserId":%q,"toUserId":%q,"deleteProfile":false}`, userID, targetID), response: progressJSON(0, false, 1)},
		{id: "getReassignProgress", doc: PeopleDocument, method: "GET", target: "/api/2.0/people/reassign/progress/" + userID, response: progressJSON(100, true, 2)},
		{id: "terminateReassign", doc: PeopleDocument, method: "PUT", target: "/api/2.0/people/reassign/terminate", contentType: jsonCT,
			body: fmt.Sprintf(`{"userId":%q}`, userID), response: progressJSON(30, true, 3)},
		{id: "getGroupByUserId", doc: PeopleDocument, method: "GET", target: "/api/2.0/group/user/" + userID, response: "[" + groupSummaryJSON() + "]"},
		{id: "getGroup", doc: PeopleDocument, method: "GET", target: "/api/2.0/group/" + groupID + "?includeMembers=true", response: groupJSON()},
		{id: "removeMembersFrom", doc: PeopleDocument, method: "DELETE", target: "/api/2.0/group/" + groupID + "/members", contentType: jsonCT,
			body: fmt.Sprintf(`{"members":[%q]}`, userID), response: groupJSON()},
		{id: "getFolderInfo", doc: FilesDocument, method: "GET", target: "/api/2.0/files/folder/12", response: folderJSON(12)},
		{id: "getFolderByFolderId", doc: FilesDocument, method: "GET", target: "/api/2.0/files/12?count=100&startIndex=0", response: folderContentJSON(2, 1)},
		{id: "createFolder", doc: FilesDocument, method: "POST", target: "/api/2.0/files/folder/40", contentType: jsonCT,
			body: `{"title":"Jane Roe workspace"}`, response: folderJSON(41)},
		{id: "getMyFolder", doc: FilesDocument, method: "GET", target: "/api/2.0/files/@my", response: folderContentJSON(1, 1)},
		{id: "getRoomsFolder", doc: FilesDocument, method: "GET", target: "/api/2.0/files/rooms?subjectId=" + userID + "&subjectFilter=0&searchArea=1&count=100&startIndex=0",
			response: folderContentJSON(1, 0)},
		{id: "getRoomInfo", doc: FilesDocument, method: "GET", target: "/api/2.0/files/rooms/12", response: roomJSON(12)},
		{id: "createRoom", doc: FilesDocument, method: "POST", target: "/api/2.0/files/rooms", contentType: jsonCT,
			body: `{"title":"Archive 2026","roomType":5,"private":false}`, response: roomJSON(50)},
		{id: "getRoomSecurityInfo", doc: FilesDocument, method: "GET", target: "/api/2.0/files/rooms/12/share?count=100&startIndex=0", response: "[" + shareJSON(9) + "]"},
		{id: "setRoomSecurity", doc: FilesDocument, method: "PUT", target: "/api/2.0/files/rooms/12/share", contentType: jsonCT,
			body:     fmt.Sprintf(`{"invitations":[{"id":%q,"access":9},{"id":%q,"access":2}],"notify":false}`, targetID, groupID),
			response: `{"members":[` + shareJSON(9) + `],"error":0}`},
		{id: "archiveRoom", doc: FilesDocument, method: "PUT", target: "/api/2.0/files/rooms/12/archive", contentType: jsonCT,
			body: `{"deleteAfter":false}`, response: operationJSON(false)},
		{id: "setFolderSecurityInfo", doc: FilesDocument, method: "PUT", target: "/api/2.0/files/folder/12/share", contentType: jsonCT,
			body: fmt.Sprintf(`{"share":[{"shareTo":%q,"access":2}],"notify":false}`, groupID), response: "[" + shareJSON(2) + "]"},
		{id: "moveBatchItems", doc: FilesDocument, method: "PUT", target: "/api/2.0/files/fileops/move", contentType: jsonCT,
			body:     `{"folderIds":[12],"fileIds":[],"destFolderId":50,"conflictResolveType":0,"deleteAfter":false,"content":false,"returnSingleOperation":true}`,
			response: "[" + operationJSON(false) + "]"},
		{id: "checkMoveOrCopyBatchItems", doc: FilesDocument, method: "GET", target: "/api/2.0/files/fileops/move?folderIds=12&destFolderId=50", response: "[" + folderJSON(12) + "]"},
		{id: "getOperationStatuses", doc: FilesDocument, method: "GET", target: "/api/2.0/files/fileops?id=" + opID, response: "[" + operationJSON(true) + "]"},
		{id: "insertFile", doc: FilesDocument, method: "POST", target: "/api/2.0/files/12/insert", multipartFileFields: true, response: fileJSON(200)},
		{id: "getAuditEventsByFilter", doc: APIDocument, method: "GET",
			target:   "/api/2.0/security/audit/events/filter?userId=" + userID + "&from=2026-03-01T00:00:00Z&to=2026-03-02T23:59:59Z&count=100&startIndex=0",
			response: "[" + auditJSON() + "]"},
		{id: "createAuditTrailReport", doc: APIDocument, method: "POST", target: "/api/2.0/security/audit/events/report",
			response: `"https://acme.onlyoffice.com/doceditor?fileid=233&options={\"codePage\":65001}"`},
		{id: "getLoginEventsByFilter", doc: APIDocument, method: "GET", target: "/api/2.0/security/audit/login/filter?userId=" + userID + "&count=100",
			response: "[" + loginJSON() + "]"},
		{id: "changeFileOwner", doc: FilesDocument, method: "POST", target: "/api/2.0/files/owner", contentType: jsonCT,
			body: fmt.Sprintf(`{"folderIds":[12],"userId":%q}`, targetID), response: "[" + roomJSON(12) + "]"},
		{id: "startRemove", doc: PeopleDocument, method: "POST", target: "/api/2.0/people/remove/start", contentType: jsonCT,
			body: fmt.Sprintf(`{"userId":%q}`, userID), response: `{"id":"1_` + userID + `_RemoveProgressItem","percentage":0,"isCompleted":false,"status":1}`},
		{id: "deleteMember", doc: PeopleDocument, method: "DELETE", target: "/api/2.0/people/" + userID, response: userJSON(userID, 2)},
	}
}

func (op projectOperation) request(t testing.TB) *http.Request {
	t.Helper()
	if op.multipartFileFields {
		body, ct := multipartBody(t, [][2]string{{"title", "offboarding-jane.csv"}, {"createNewIfExist", "false"}}, "file")
		return newRequest(op.method, op.target, ct, body)
	}
	return newRequest(op.method, op.target, op.contentType, op.body)
}

// TestProjectOperations checks that every operation the project uses is
// found by Operation, in the right document, and that a correct call and a
// correct answer validate.
func TestProjectOperations(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	for _, op := range projectOperations() {
		t.Run(op.id, func(t *testing.T) {
			t.Parallel()
			r := op.request(t)
			id, err := v.Operation(r)
			if err != nil {
				t.Fatalf("Operation(%s %s) error = %v", op.method, op.target, err)
			}
			if id != op.id {
				t.Errorf("Operation(%s %s) = %q, want %q", op.method, op.target, id, op.id)
			}
			if doc, ok := v.Document(id); !ok || doc != op.doc {
				t.Errorf("Document(%q) = %q, %t, want %q, true", id, doc, ok, op.doc)
			}

			req, err := v.ValidateRequest(t.Context(), r)
			if err != nil {
				t.Fatalf("ValidateRequest() error = %v", err)
			}
			if !req.Valid() || req.OperationID != op.id {
				t.Errorf("ValidateRequest() = %s, violations:\n%s", req.OperationID, describe(req.Violations))
			}

			path := op.target
			if i := strings.IndexByte(path, '?'); i >= 0 {
				path = path[:i]
			}
			body := envelope(op.method, op.target, op.response)
			resp, err := v.ValidateResponse(t.Context(), r, http.StatusOK, jsonHeader(), []byte(body))
			if err != nil {
				t.Fatalf("ValidateResponse() error = %v", err)
			}
			if !resp.Valid() {
				t.Errorf("ValidateResponse(%s) violations:\n%s", path, describe(resp.Violations))
			}
		})
	}
}
