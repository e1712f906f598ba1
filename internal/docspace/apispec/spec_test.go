package apispec

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"maps"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDocumentsUnchanged pins the embedded documents to the official DocSpace
// 3.7 OpenAPI documents, byte for byte: every difference belongs in
// exceptions.go, not in these files.
func TestDocumentsUnchanged(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		PeopleDocument: "b1042bda9e191d2282f507d0447ab56ff83ecd6559c40dea47b976b39b07bba5",
		FilesDocument:  "4090e6681696795165b619aab3fb78b1de46f5396e919e9cc3d30db6aedc00d4",
		APIDocument:    "654a70d3c32c643fb66f26f113efbcda64ff0187396d3eab9c4b2b7ef135507d",
	}
	for _, name := range documentNames() {
		data, err := openapiFiles.ReadFile("openapi/" + name)
		if err != nil {
			t.Fatalf("read embedded %s: %v", name, err)
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != want[name] {
			t.Errorf("sha256(%s) = %s, want %s", name, got, want[name])
		}
	}
}

func TestNewSharesParsedDocuments(t *testing.T) {
	t.Parallel()
	a, b := newValidator(t), newValidator(t)
	if a.spec != b.spec {
		t.Error("two Validators parsed the documents twice; want one shared parse")
	}
}

func TestOperationRouting(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	tests := []struct {
		name, method, url string
		want              string
	}{
		{"plain", "GET", portal + "/api/2.0/people/" + userID, "getProfileByUserId"},
		{"any host and port", "GET", "http://127.0.0.1:8092/api/2.0/people/" + userID, "getProfileByUserId"},
		{"base path prefix", "GET", "https://example.com/docspace/eu/api/2.0/people/" + userID, "getProfileByUserId"},
		{"literals ignore case", "GET", portal + "/API/2.0/People/@Self", "getSelfProfile"},
		{"trailing slash", "GET", portal + "/api/2.0/people/@self/", "getSelfProfile"},
		{"query ignored", "GET", portal + "/api/2.0/files/fileops?id=" + opID, "getOperationStatuses"},
		{"literal beats parameter: people/email", "GET", portal + "/api/2.0/people/email?email=a%40b.c", "getProfileByEmail"},
		{"literal beats parameter: files/@my", "GET", portal + "/api/2.0/files/@my", "getMyFolder"},
		{"literal beats parameter: files/rooms", "GET", portal + "/api/2.0/files/rooms", "getRoomsFolder"},
		{"parameter where no literal matches", "GET", portal + "/api/2.0/files/12", "getFolderByFolderId"},
		{"method selects: GET fileops/move", "GET", portal + "/api/2.0/files/fileops/move?folderIds=1&destFolderId=2", "checkMoveOrCopyBatchItems"},
		{"method selects: PUT fileops/move", "PUT", portal + "/api/2.0/files/fileops/move", "moveBatchItems"},
		{"method selects: DELETE people", "DELETE", portal + "/api/2.0/people/" + userID, "deleteMember"},
		{"escaped segment", "GET", portal + "/api/2.0/people/jane%2Eroe", "getProfileByUserId"},
		{"api document", "PUT", portal + "/api/2.0/security/activeconnections/logoutall/" + userID, "logOutAllActiveConnectionsForUser"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := v.Operation(httptest.NewRequest(tt.method, tt.url, nil))
			if err != nil {
				t.Fatalf("Operation(%s %s) error = %v", tt.method, tt.url, err)
			}
			if got != tt.want {
				t.Errorf("Operation(%s %s) = %q, want %q", tt.method, tt.url, got, tt.want)
			}
		})
	}
}

func TestOperationUnknownRoute(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	tests := []struct {
		name, method, url string
		wantAllowed       []string
	}{
		{"example's status route (§14 #1)", "PUT", portal + "/api/2.0/people/" + userID + "/status", nil},
		{"example's folderops fallback (§14 #11)", "PUT", portal + "/api/2.0/files/folderops/move", nil},
		{"example's access fallback (§14 #17)", "PUT", portal + "/api/2.0/files/folder/12/access", nil},
		{"not under api/2.0", "GET", portal + "/products/files/", nil},
		{"other API version", "GET", portal + "/api/2.1/people/@self", nil},
		{"empty parameter segment", "GET", portal + "/api/2.0/people/reassign/progress/", nil},
		{"known path, other methods", "POST", portal + "/api/2.0/people/@self", []string{"DELETE", "GET", "PUT"}},
		{"known path, one other method", "DELETE", portal + "/api/2.0/security/audit/events/report", []string{"POST"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			id, err := v.Operation(httptest.NewRequest(tt.method, tt.url, nil))
			if !errors.Is(err, ErrUnknownRoute) {
				t.Fatalf("Operation(%s %s) = %q, %v, want ErrUnknownRoute", tt.method, tt.url, id, err)
			}
			var re *RouteError
			if !errors.As(err, &re) {
				t.Fatalf("Operation() error %T is not a *RouteError", err)
			}
			if diff := cmp.Diff(re.Allowed, tt.wantAllowed); diff != "" {
				t.Errorf("RouteError.Allowed mismatch (-got +want):\n%s", diff)
			}
		})
	}
}

// TestEveryOperationRoutesToItself routes a request built from each path
// template of the three documents and expects its own operation back, which
// checks precedence between templates across all documents.
func TestEveryOperationRoutesToItself(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	param := regexp.MustCompile(`\{[^}]+\}`)
	n := 0
	for _, r := range v.spec.byID {
		// A parameter value no literal of the documents equals.
		p := param.ReplaceAllString(r.template, "p7q")
		req := httptest.NewRequest(r.method, portal+p, nil)
		got, err := v.Operation(req)
		if err != nil || got != r.id {
			t.Errorf("Operation(%s %s) = %q, %v, want %q (%s)", r.method, p, got, err, r.id, r.template)
		}
		n++
	}
	if n < 300 {
		t.Errorf("routed %d operations, want the documents' 400 or so", n)
	}
}

func TestDocument(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	if got, ok := v.Document("getAuditEventsByFilter"); !ok || got != APIDocument {
		t.Errorf("Document(getAuditEventsByFilter) = %q, %t, want %q, true", got, ok, APIDocument)
	}
	if got, ok := v.Document("noSuchOperation"); ok {
		t.Errorf("Document(noSuchOperation) = %q, true, want false", got)
	}
}

// TestDocumentsDeclareEachOperationOnce guards the routing table's premise.
func TestDocumentsDeclareEachOperationOnce(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	perDoc := map[string]int{}
	for _, r := range v.spec.byID {
		perDoc[r.doc]++
	}
	docs := slices.Sorted(maps.Keys(perDoc))
	if diff := cmp.Diff(docs, []string{APIDocument, FilesDocument, PeopleDocument}); diff != "" {
		t.Errorf("documents with operations mismatch (-got +want):\n%s", diff)
	}
	for _, r := range v.spec.byID {
		if !strings.HasPrefix(strings.ToLower(r.template), "/api/2.0/") {
			t.Errorf("%s: template %s is outside /api/2.0/", r.id, r.template)
		}
		if r.method != strings.ToUpper(r.method) || r.method == "" {
			t.Errorf("%s: method %q", r.id, r.method)
		}
	}
}
