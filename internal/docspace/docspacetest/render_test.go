package docspacetest

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRenderErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		err        error
		wantStatus int
		wantMsg    string
		wantType   bool
	}{
		{"item not found", errNotFound("The required folder was not found"), 404, "The required folder was not found", true},
		{"argument", errArgumentf("bad %d", 1), 400, "bad 1", true},
		{"security", errSecurity(), 403, "Access denied", true},
		{"invalid operation", errInvalidOp("You don't have enough permission to create"), 403, "You don't have enough permission to create", true},
		{"authentication", errAuthentication("not signed in"), 401, "not signed in", false},
		{"payment", errPayment("The used storage quota is exceeded"), 402, "The used storage quota is exceeded", true},
		{"not supported", errNotSupported("Extension not allowed"), 415, "Extension not allowed", true},
		{"null reference", errNullReference(), 500, "Object reference not set to an instance of an object.", true},
		{"plain error", errors.New("boom"), 500, "boom", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			if err := renderError(rec, httptest.NewRequest(http.MethodGet, "/api/2.0/x", nil), tc.err, "trace"); err != nil {
				t.Fatalf("renderError: %v", err)
			}
			if rec.Code != tc.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tc.wantStatus)
			}
			var body struct {
				Error      map[string]any `json:"error"`
				Status     int            `json:"status"`
				StatusCode int            `json:"statusCode"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("decode %s: %v", rec.Body, err)
			}
			for _, k := range []string{"message", "type", "stack", "hresult"} {
				if _, ok := body.Error[k]; !ok {
					t.Errorf("error.%s missing (nulls must be present)", k)
				}
			}
			if body.Error["message"] != tc.wantMsg || body.Status != 1 || body.StatusCode != tc.wantStatus {
				t.Errorf("body = %s", rec.Body)
			}
			if gotType := body.Error["type"] != nil; gotType != tc.wantType {
				t.Errorf("type present = %v, want %v", gotType, tc.wantType)
			}
		})
	}
	t.Run("validation", func(t *testing.T) {
		rec := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, "http://portal.example/api/2.0/x?count=500", nil)
		if err := renderError(rec, r, errValidation("Count", "The field Count must be between 1 and 100."), "00-1-2-00"); err != nil {
			t.Fatalf("renderError: %v", err)
		}
		var env struct {
			Response   problem `json:"response"`
			Count      int     `json:"count"`
			Links      []link  `json:"links"`
			Status     int     `json:"status"`
			StatusCode int     `json:"statusCode"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
			t.Fatal(err)
		}
		want := problem{Type: "https://tools.ietf.org/html/rfc9110#section-15.5.1", Title: "One or more validation errors occurred.",
			Status: 400, Errors: map[string][]string{"Count": {"The field Count must be between 1 and 100."}}, TraceID: "00-1-2-00"}
		if rec.Code != 400 || env.Status != 1 || env.StatusCode != 400 || env.Count != 1 ||
			len(env.Links) != 1 || env.Links[0].Href != "http://portal.example/api/2.0/x?count=500" {
			t.Errorf("envelope = %s", rec.Body)
		}
		if diff := cmp.Diff(want, env.Response); diff != "" {
			t.Errorf("problem (-want +got):\n%s", diff)
		}
	})
}
