package apispec

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// Identifiers and URLs used throughout the tests.
const (
	portal   = "https://acme.onlyoffice.com"
	userID   = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
	targetID = "2d5c8e41-7a3b-4c9d-9e0f-1a2b3c4d5e6f"
	groupID  = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	opID     = "c0a8d7a4-5e7e-4b7b-9a51-0f4f3f1d2a10"
	date     = "2026-03-02T14:05:09.0000000+02:00"
)

func newValidator(t testing.TB) *Validator {
	t.Helper()
	v, err := New()
	if err != nil {
		t.Fatalf("New() error = %v", err)
	}
	return v
}

// newRequest builds a request to the portal; target is a path with query.
func newRequest(method, target, contentType, body string) *http.Request {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, portal+target, rd)
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

// envelope wraps a result as DocSpace does (reference §1.2); response "" is a
// void result.
func envelope(method, target, response string) string {
	var b strings.Builder
	b.WriteString("{")
	count := "1"
	if response == "" {
		count = "0"
	} else {
		fmt.Fprintf(&b, `"response":%s,`, response)
	}
	fmt.Fprintf(&b, `"count":%s,"links":[{"href":%q,"action":%q}],"status":0,"statusCode":200}`, count, portal+target, method)
	return b.String()
}

// errorEnvelope is the body of an exception (reference §1.3).
func errorEnvelope(status int, message string) string {
	return fmt.Sprintf(`{"error":{"message":%q,"type":"ASC.Common.Web.ItemNotFoundException","stack":"   at ASC.Files.Core","hresult":-2146233088},"status":1,"statusCode":%d}`, message, status)
}

// validationEnvelope is the body of a validation failure (reference §1.3).
func validationEnvelope(method, target string) string {
	return fmt.Sprintf(`{"response":{"title":"One or more validation errors occurred.","status":400,"errors":{"count":["The field Count must be between 1 and 100."]},"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","traceId":"00-4bf92f3577b34da6a3ce929d0e0e4736-00"},"count":1,"links":[{"href":%q,"action":%q}],"status":1,"statusCode":400}`, portal+target, method)
}

func jsonHeader() http.Header {
	return http.Header{"Content-Type": {"application/json; charset=utf-8"}}
}

// wheres lists where violations are, sorted, for comparisons.
func wheres(vs []Violation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Where)
	}
	slices.Sort(out)
	return out
}

// describe renders violations for failure messages.
func describe(vs []Violation) string {
	var lines []string
	for _, v := range vs {
		lines = append(lines, fmt.Sprintf("%s [%s]", v, v.Exception))
	}
	return strings.Join(lines, "\n")
}

// multipartBody builds an upload form: fields in order, then one file part.
func multipartBody(t testing.TB, fields [][2]string, filePart string) (body, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			t.Fatalf("WriteField(%q) error = %v", f[0], err)
		}
	}
	if filePart != "" {
		fw, err := mw.CreateFormFile(filePart, "report.csv")
		if err != nil {
			t.Fatalf("CreateFormFile() error = %v", err)
		}
		if _, err := fw.Write([]byte("id,action\n1,disabled\n")); err != nil {
			t.Fatalf("write file part: %v", err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatalf("close multipart writer: %v", err)
	}
	return buf.String(), mw.FormDataContentType()
}

// The DTOs below are as DocSpace sends them: camelCase, nulls left out,
// enums as numbers, dates as ApiDateTime strings.

func userJSON(id string, status int) string {
	return fmt.Sprintf(`{"id":%q,"displayName":"Jane Roe","avatar":"/static/images/default_user_photo_size_82-82.png","hasAvatar":false,"isAnonim":false,`+
		`"firstName":"Jane","lastName":"Roe","userName":"jane.roe","email":"jane.roe@acme.com","status":%d,"activationStatus":1,`+
		`"department":"Finance","groups":[{"id":%q,"name":"Finance","manager":"john.doe"}],"isAdmin":false,"isRoomAdmin":false,"isLDAP":false,`+
		`"isOwner":false,"isVisitor":false,"isCollaborator":true,"cultureName":"en-US","isSSO":false,"usedSpace":1024,`+
		`"registrationDate":%q,"profileUrl":"https://acme.onlyoffice.com/accounts/people/filter?search=jane.roe@acme.com"}`, id, status, groupID, date)
}

func groupSummaryJSON() string {
	return fmt.Sprintf(`{"id":%q,"name":"Finance","manager":"john.doe"}`, groupID)
}

func groupJSON() string {
	return fmt.Sprintf(`{"id":%q,"name":"Finance","category":"00000000-0000-0000-0000-000000000000","isLDAP":false,"manager":%s,"members":[],"membersCount":0}`,
		groupID, userJSON(targetID, 1))
}

func creatorJSON() string {
	return fmt.Sprintf(`{"id":%q,"displayName":"Jane Roe","avatarSmall":"/static/images/default_user_photo_size_32-32.png","profileUrl":"https://acme.onlyoffice.com/accounts/people/filter?search=jane.roe@acme.com","hasAvatar":false,"isAnonim":false}`, userID)
}

func folderJSON(id int) string {
	return fmt.Sprintf(`{"id":%d,"title":"Jane Roe workspace","parentId":40,"rootFolderId":3,"rootFolderType":14,"parentRoomType":19,"filesCount":2,"foldersCount":1,`+
		`"new":0,"mute":false,"pinned":false,"private":false,"indexing":false,"denyDownload":false,"access":0,"shared":false,"canShare":true,`+
		`"security":{"Read":true,"Create":true,"Move":true,"EditAccess":false},"availableShareRights":{"ExternalLink":["Read","Editing","None"]},`+
		`"created":%q,"createdBy":%s,"updated":%q,"updatedBy":%s,"fileEntryType":1,"inRoom":true}`, id, date, creatorJSON(), date, creatorJSON())
}

func roomJSON(id int) string {
	return fmt.Sprintf(`{"id":%d,"title":"Archive 2026","parentId":3,"rootFolderId":3,"rootFolderType":14,"roomType":5,"filesCount":0,"foldersCount":0,`+
		`"new":0,"mute":false,"pinned":false,"private":false,"indexing":false,"denyDownload":false,"access":9,"shared":false,"canShare":true,`+
		`"logo":{"original":"","large":"","medium":"","small":"","color":"6BA4CA"},"tags":[],"usedSpace":0,`+
		`"created":%q,"createdBy":%s,"updated":%q,"fileEntryType":1}`, id, date, creatorJSON(), date)
}

func fileJSON(id int) string {
	return fmt.Sprintf(`{"id":%d,"title":"offboarding-jane.csv","folderId":12,"version":1,"versionGroup":1,"contentLength":"22 bytes","pureContentLength":22,`+
		`"fileStatus":0,"mute":false,"viewUrl":"https://acme.onlyoffice.com/filehandler.ashx?action=download&fileid=%d",`+
		`"webUrl":"https://acme.onlyoffice.com/doceditor?fileid=%d","fileType":5,"fileExst":".csv","rootFolderId":3,"rootFolderType":14,`+
		`"access":0,"shared":false,"canShare":true,"created":%q,"createdBy":%s,"updated":%q,"fileEntryType":2}`, id, id, id, date, creatorJSON(), date)
}

func folderContentJSON(folders, files int) string {
	var fs, fl []string
	for i := range folders {
		fs = append(fs, folderJSON(100+i))
	}
	for i := range files {
		fl = append(fl, fileJSON(200+i))
	}
	return fmt.Sprintf(`{"files":[%s],"folders":[%s],"current":%s,"pathParts":[{"id":3,"title":"Rooms","folderType":14},{"id":12,"title":"Workspaces"}],`+
		`"startIndex":0,"count":%d,"total":%d,"new":0}`, strings.Join(fl, ","), strings.Join(fs, ","), folderJSON(12), folders+files, folders+files)
}

func shareJSON(access int) string {
	return fmt.Sprintf(`{"access":%d,"sharedToUser":%s,"isLocked":false,"isOwner":false,"canEditAccess":true,"canEditInternal":false,`+
		`"canEditDenyDownload":false,"canEditExpirationDate":false,"canRevoke":true,"subjectType":0}`, access, userJSON(targetID, 1))
}

func operationJSON(finished bool) string {
	if !finished {
		return fmt.Sprintf(`{"id":%q,"Operation":0,"progress":0,"error":"","processed":"0","finished":false,"status":0}`, opID)
	}
	return fmt.Sprintf(`{"id":%q,"Operation":0,"progress":100,"error":"","processed":"1","finished":true,"status":2,"folders":[%s]}`, opID, folderJSON(12))
}

func progressJSON(percentage int, completed bool, status int) string {
	return fmt.Sprintf(`{"id":"1_%s_ReassignProgressItem","percentage":%d,"isCompleted":%t,"status":%d}`, userID, percentage, completed, status)
}

func auditJSON() string {
	return fmt.Sprintf(`{"id":812,"date":%q,"user":"Service Account","userId":%q,"action":"Users updated status: Jane Roe","actionId":4020,`+
		`"ip":"10.0.0.7","browser":"Go-http-client 1.1","platform":"Linux","page":"","actionType":2,"product":8,"location":30,`+
		`"target":[%q],"entries":[23]}`, date, targetID, userID)
}

func loginJSON() string {
	return fmt.Sprintf(`{"id":77,"date":%q,"user":"Jane Roe","userId":%q,"login":"jane.roe@acme.com","action":"Login success via API",`+
		`"actionId":1010,"ip":"10.0.0.9","browser":"Chrome 131","platform":"Windows 10","page":"https://acme.onlyoffice.com/"}`, date, userID)
}
