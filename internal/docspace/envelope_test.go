package docspace

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "envelope", name))
	if err != nil {
		tb.Fatalf("read fixture: %v", err)
	}
	return b
}

func TestDecodeSuccessUser(t *testing.T) {
	t.Parallel()
	u, meta, err := decodeSuccess[User](fixture(t, "success_user.json"))
	if err != nil {
		t.Fatalf("decodeSuccess: %v", err)
	}
	if !meta.present || meta.count != 1 || meta.total != -1 {
		t.Errorf("meta = %+v, want present, count 1, no total", meta)
	}
	want := &User{
		ID: "2d5c1c1e-8f3a-4c6e-9d3b-1a2b3c4d5e6f", DisplayName: "Jane Roe", FirstName: "Jane", LastName: "Roe",
		UserName: "jane", Email: "jane@acme.com", Status: UserStatusTerminated, ActivationStatus: ActivationActivated,
		IsCollaborator:   true,
		Groups:           []GroupSummary{{ID: "7b0f8a52-0e7c-4d0e-9a47-3c3a55f1b0c1", Name: "Sales", Manager: "bob"}},
		RegistrationDate: Time{time.Date(2024, 5, 1, 9, 30, 0, 0, time.FixedZone("", 2*3600))},
		CreatedBy:        &UserRef{ID: "11111111-2222-3333-4444-555555555555", DisplayName: "Admin"},
		CultureName:      "en-US", UsedSpace: 1048576, ProfileURL: "https://acme.onlyoffice.com/accounts/view/jane",
	}
	if diff := cmp.Diff(u, want, cmp.Comparer(func(a, b Time) bool { return a.Equal(b.Time) })); diff != "" {
		t.Errorf("user mismatch (-got +want):\n%s", diff)
	}
	if got := u.Type(); got != EmployeeTypeUser {
		t.Errorf("Type() = %v, want User", got)
	}
}

func TestDecodeSuccessShapes(t *testing.T) {
	t.Parallel()
	t.Run("no response", func(t *testing.T) {
		t.Parallel()
		v, meta, err := decodeSuccess[TaskProgress](fixture(t, "success_no_response.json"))
		if err != nil || v != nil || meta.present {
			t.Errorf("got (%v, %+v, %v), want (nil, absent, nil)", v, meta, err)
		}
	})
	t.Run("null response", func(t *testing.T) {
		t.Parallel()
		v, meta, err := decodeSuccess[TaskProgress]([]byte(`{"response":null,"status":0,"statusCode":200}`))
		if err != nil || v != nil || meta.present {
			t.Errorf("got (%v, %+v, %v), want (nil, absent, nil)", v, meta, err)
		}
	})
	t.Run("bool", func(t *testing.T) {
		t.Parallel()
		v, _, err := decodeSuccess[bool](fixture(t, "success_bool.json"))
		if err != nil || v == nil || !*v {
			t.Errorf("got (%v, %v), want true", v, err)
		}
	})
	t.Run("reassign", func(t *testing.T) {
		t.Parallel()
		v, _, err := decodeSuccess[TaskProgress](fixture(t, "success_reassign.json"))
		if err != nil {
			t.Fatalf("decodeSuccess: %v", err)
		}
		want := &TaskProgress{ID: "1_2d5c1c1e-8f3a-4c6e-9d3b-1a2b3c4d5e6f_ReassignProgressItem", Status: TaskRunning}
		if diff := cmp.Diff(v, want); diff != "" {
			t.Errorf("mismatch (-got +want):\n%s", diff)
		}
	})
	t.Run("file operations with processed as string", func(t *testing.T) {
		t.Parallel()
		v, meta, err := decodeSuccess[[]FileOperation](fixture(t, "success_fileops.json"))
		if err != nil {
			t.Fatalf("decodeSuccess: %v", err)
		}
		want := []FileOperation{{ID: "c0a8d7a4-5e7e-4b7b-9a51-0f4f3f1d2a10", Operation: OperationMove}}
		if diff := cmp.Diff(*v, want); diff != "" {
			t.Errorf("mismatch (-got +want):\n%s", diff)
		}
		if meta.count != 1 {
			t.Errorf("count = %d, want 1", meta.count)
		}
	})
	t.Run("shares with total", func(t *testing.T) {
		t.Parallel()
		v, meta, err := decodeSuccess[[]Share](fixture(t, "success_shares.json"))
		if err != nil {
			t.Fatalf("decodeSuccess: %v", err)
		}
		if meta.total != 2 || len(*v) != 2 {
			t.Fatalf("total %d, %d shares; want 2, 2", meta.total, len(*v))
		}
		s := (*v)[1]
		if s.Access != FileShareRead || s.SubjectType != SubjectGroup || s.SubjectID() != "7b0f8a52-0e7c-4d0e-9a47-3c3a55f1b0c1" {
			t.Errorf("second share = %+v", s)
		}
	})
	t.Run("folder contents", func(t *testing.T) {
		t.Parallel()
		v, _, err := decodeSuccess[FolderContents](fixture(t, "success_folder_contents.json"))
		if err != nil {
			t.Fatalf("decodeSuccess: %v", err)
		}
		if len(v.Folders) != 30 || len(v.Files) != 20 || v.Total != 50 || !v.Current.IsRoom() || v.Current.RoomType != RoomTypeCustom {
			t.Errorf("contents: %d folders, %d files, total %d, current %+v", len(v.Folders), len(v.Files), v.Total, v.Current.RoomType)
		}
		if f := v.Folders[0]; f.IsRoom() || f.ParentRoomType != FolderTypeCustomRoom || !f.Security["Move"] {
			t.Errorf("first folder = %+v", f)
		}
	})
}

func TestDecodeSuccessLenientPayload(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want any
		got  func([]byte) (any, error)
	}{
		{
			name: "folder enums as names",
			body: `{"response":{"id":17,"title":"x","parentId":4,"rootFolderType":"VirtualRooms","roomType":"customroom","access":"RoomManager"},"status":0}`,
			want: Folder{ID: 17, Title: "x", ParentID: 4, RootFolderType: FolderTypeVirtualRooms, RoomType: RoomTypeCustom, Access: FileShareRoomManager},
			got:  decodeValue[Folder],
		},
		{
			name: "file content length as number",
			body: `{"response":{"id":5,"title":"a.csv","folderId":9,"contentLength":1234},"status":0}`,
			want: File{ID: 5, Title: "a.csv", FolderID: 9, ContentLength: "1234"},
			got:  decodeValue[File],
		},
		{
			name: "task status name and misspelling",
			body: `{"response":{"id":"j","percentage":"10","isCompleted":true,"status":"Failted","error":"boom"},"status":0}`,
			want: TaskProgress{ID: "j", Percentage: 10, IsCompleted: true, Status: TaskFailed, Error: "boom"},
			got:  decodeValue[TaskProgress],
		},
		{
			name: "operation processed as number, operation name lower case",
			body: `{"response":{"id":"o","operation":"move","processed":3,"finished":true,"status":2,"progress":100},"status":0}`,
			want: FileOperation{ID: "o", Operation: OperationMove, Processed: 3, Finished: true, Status: TaskCompleted, Progress: 100},
			got:  decodeValue[FileOperation],
		},
		{
			name: "audit event with numeric targets and entry names",
			body: `{"response":{"id":7,"date":"2026-03-02T10:00:05.0000000Z","actionId":4020,"actionType":2,"product":8,"location":30,"target":["a",42],"entries":["User",24]},"status":0}`,
			want: AuditEvent{ID: 7, Date: Time{time.Date(2026, 3, 2, 10, 0, 5, 0, time.UTC)}, ActionID: ActionUsersUpdatedStatus,
				ActionType: ActionTypeUpdate, Product: ProductContacts, Location: LocationContacts,
				Target: []string{"a", "42"}, Entries: []EntryType{EntryTypeUser, EntryTypeGroup}},
			got: decodeValue[AuditEvent],
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.got([]byte(tt.body))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if diff := cmp.Diff(got, tt.want, cmp.Comparer(func(a, b Time) bool { return a.Equal(b.Time) })); diff != "" {
				t.Errorf("mismatch (-got +want):\n%s", diff)
			}
		})
	}
}

func decodeValue[T any](b []byte) (any, error) {
	v, _, err := decodeSuccess[T](b)
	if err != nil {
		return nil, err
	}
	return *v, nil
}

func TestDecodeSuccessStrictEnvelope(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, wantErr string
	}{
		{"empty body", ``, "not a JSON object"},
		{"HTML", string(fixture(t, "proxy_502.html")), "not a JSON object"},
		{"JSON array", `[1,2]`, "not a JSON object"},
		{"null", `null`, "not a JSON object"},
		{"no status", `{"response":{"id":"x"}}`, `no "status"`},
		{"status 1", `{"response":{"id":"x"},"status":1,"statusCode":200}`, `"status":1`},
		{"truncated", `{"response":{"id":"x"`, "does not decode"},
		{"payload of the wrong type", `{"response":"text","status":0}`, "does not decode"},
		{"error envelope with 200", string(fixture(t, "error_not_found.json")), `"status":1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := decodeSuccess[User]([]byte(tt.body))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
}

func TestDecodeError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		body   []byte
		want   APIError
		is     error
	}{
		{
			name: "exception envelope", status: 404, body: fixture(t, "error_not_found.json"),
			want: APIError{Status: 404, Message: "The required folder was not found", Type: "ASC.Common.Web.ItemNotFoundException"},
			is:   ErrNotFound,
		},
		{
			name: "authentication envelope with nulls", status: 401, body: fixture(t, "error_unauthorized.json"),
			want: APIError{Status: 401, Message: "Unauthorized"},
			is:   ErrUnauthorized,
		},
		{
			name: "validation in the success envelope", status: 400, body: fixture(t, "validation.json"),
			want: APIError{Status: 400, Message: "One or more validation errors occurred.",
				Validation: map[string][]string{"count": {"The field Count must be between 1 and 100."}}},
			is: ErrValidation,
		},
		{
			name: "empty 403 is a missing scope", status: 403, body: nil,
			want: APIError{Status: 403, Message: emptyBodyMessage(403)},
			is:   ErrForbidden,
		},
		{name: "empty 401", status: 401, body: []byte(""), want: APIError{Status: 401, Message: emptyBodyMessage(401)}, is: ErrUnauthorized},
		{name: "empty 402", status: 402, body: []byte("  \n"), want: APIError{Status: 402, Message: emptyBodyMessage(402)}, is: ErrPaymentRequired},
		{name: "empty 404", status: 404, body: nil, want: APIError{Status: 404, Message: emptyBodyMessage(404)}, is: ErrNotFound},
		{name: "empty 415", status: 415, body: nil, want: APIError{Status: 415, Message: emptyBodyMessage(415)}, is: ErrUnsupportedMediaType},
		{name: "empty 429", status: 429, body: nil, want: APIError{Status: 429, Message: emptyBodyMessage(429)}, is: ErrRateLimited},
		{
			name: "HTML 502 from a proxy", status: 502, body: fixture(t, "proxy_502.html"),
			want: APIError{Status: 502, Message: "HTML response body, likely from a proxy in front of DocSpace"},
			is:   ErrServer,
		},
		{
			name: "plain text 500", status: 500, body: []byte("upstream connect error"),
			want: APIError{Status: 500, Message: "non-JSON response body"},
			is:   ErrServer,
		},
		{
			name: "JSON without the envelope", status: 503, body: []byte(`{"foo":1}`),
			want: APIError{Status: 503, Message: "empty response body"},
			is:   ErrServer,
		},
		{
			name: "binary garbage", status: 500, body: []byte{0xff, 0x00, '{', 0x80},
			want: APIError{Status: 500, Message: "non-JSON response body"},
			is:   ErrServer,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := APIError{Status: tt.status}
			got.decodeError(tt.body)
			if diff := cmp.Diff(got, tt.want, cmp.AllowUnexported(APIError{})); diff != "" {
				t.Errorf("mismatch (-got +want):\n%s", diff)
			}
			if !errors.Is(&got, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", &got, tt.is)
			}
			if strings.Contains(got.Error(), "   at ") || strings.Contains(got.Error(), "<html") {
				t.Errorf("Error() leaks the body: %q", got.Error())
			}
		})
	}
}

func TestDecodeErrorTruncatesLongMessages(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 400)
	e := APIError{Status: 500}
	e.decodeError([]byte(`{"error":{"message":"` + long + `"},"status":1,"statusCode":500}`))
	if len(e.Message) > maxMessageLen+len("…") || !strings.HasSuffix(e.Message, "…") {
		t.Errorf("message of %d bytes, want at most %d ending in …", len(e.Message), maxMessageLen)
	}
	if !strings.HasPrefix(long, strings.TrimSuffix(e.Message, "…")) {
		t.Error("truncation split a rune")
	}
}

func FuzzDecodeEnvelope(f *testing.F) {
	for _, name := range []string{"success_user.json", "success_no_response.json", "error_not_found.json", "validation.json", "proxy_502.html"} {
		f.Add(fixture(f, name), 200)
		f.Add(fixture(f, name), 400)
	}
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		e := APIError{Status: status}
		e.decodeError(body)
		_ = e.Error()
		_, _, _ = decodeSuccess[User](body)
		_, _, _ = decodeSuccess[FolderContents](body)
	})
}
