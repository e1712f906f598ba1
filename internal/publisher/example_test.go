package publisher_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/docspace-offboarding/docspace-offboarding/internal/publisher"
)

func ExampleParseCSV() {
	good := "\ufeffemail,employeeId,workspaceFolderId,reason\r\n" +
		"maria.garcia@acme.example,E-2001,1002,\"Relocation, amicable\"\r\n"
	rows, err := publisher.ParseCSV(strings.NewReader(good))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		fmt.Println(r.Line, r.Data.Email, r.Data.EmployeeID, r.Data.WorkspaceFolderID, r.Data.Reason)
	}

	bad := "userId,workspaceFolderId\n" +
		"jane.doe,1002\n" +
		"3f2a6c1e-8b4d-4e5f-9a7b-1c2d3e4f5a6b,docs\n"
	_, err = publisher.ParseCSV(strings.NewReader(bad))
	var ce *publisher.CSVError
	if errors.As(err, &ce) {
		fmt.Println(errors.Is(err, publisher.ErrInvalid))
		for _, p := range ce.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// 2 maria.garcia@acme.example E-2001 1002 Relocation, amicable
	// true
	// line 2, column 1 (userId): is not a GUID
	// line 3, column 2 (workspaceFolderId): is not a positive integer
}
