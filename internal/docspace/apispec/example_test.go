package apispec_test

import (
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/apispec"
)

// The starting example disabled a user with a route DocSpace does not have,
// then with a misspelled field that DocSpace silently ignores.
func ExampleValidator_ValidateRequest() {
	v, err := apispec.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, target := range []string{
		"/api/2.0/people/6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b/status",
		"/api/2.0/people/6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b",
	} {
		r := httptest.NewRequest("PUT", "https://acme.onlyoffice.com"+target, strings.NewReader(`{"disabled":true}`))
		r.Header.Set("Content-Type", "application/json")
		res, err := v.ValidateRequest(r.Context(), r)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("operation %q:\n", res.OperationID)
		for _, v := range res.Violations {
			fmt.Println(" ", v)
		}
	}
	// Output:
	// operation "":
	//   request route: no operation for PUT /api/2.0/people/6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b/status in the DocSpace documents
	// operation "updateMember":
	//   request body: property "disabled" is unsupported
}
