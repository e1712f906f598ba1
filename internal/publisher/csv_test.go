package publisher_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/publisher"
)

func TestParseCSV(t *testing.T) {
	t.Parallel()
	due := time.Date(2026, 3, 31, 17, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   string
		want []publisher.Row
	}{
		{
			name: "every column",
			in: "id,userId,email,employeeId,workspaceFolderId,archiveRoomId,archiveFolderId,archiveOwnerId,hrGroupId,effectiveAt,dryRun,reason\n" +
				"t-1," + userID + ",,E-1,539564,77,,," + groupID + ",2026-03-31T17:00:00Z,true,Last day\n" +
				"t-2,,john.smith@acme.example,E-2,,,1200," + ownerID + ",,,no,\n",
			want: []publisher.Row{
				{Line: 2, ID: "t-1", Data: events.TerminationData{UserID: userID, EmployeeID: "E-1", WorkspaceFolderID: 539564, ArchiveRoomID: 77,
					HRGroupID: groupID, EffectiveAt: &due, DryRun: true, Reason: "Last day"}},
				{Line: 3, ID: "t-2", Data: events.TerminationData{Email: "john.smith@acme.example", EmployeeID: "E-2", ArchiveFolderID: 1200, ArchiveOwnerID: ownerID}},
			},
		},
		{
			name: "byte order mark and CRLF",
			in:   "\ufeffuserId,employeeId\r\n" + userID + ",E-1\r\n" + userID + ",E-2\r\n",
			want: []publisher.Row{
				{Line: 2, Data: events.TerminationData{UserID: userID, EmployeeID: "E-1"}},
				{Line: 3, Data: events.TerminationData{UserID: userID, EmployeeID: "E-2"}},
			},
		},
		{
			name: "quoted fields",
			in: "email,reason,employeeId\n" +
				"\"jane.roe@acme.example\",\"Moved on, \"\"amicably\"\"\nsee ticket 7\",\"E,1\"\n" +
				"john@acme.example,plain,E-2\n",
			want: []publisher.Row{
				{Line: 2, Data: events.TerminationData{Email: "jane.roe@acme.example", Reason: "Moved on, \"amicably\"\nsee ticket 7", EmployeeID: "E,1"}},
				{Line: 4, Data: events.TerminationData{Email: "john@acme.example", Reason: "plain", EmployeeID: "E-2"}},
			},
		},
		{
			name: "blank lines and empty rows skipped",
			in:   "\nuserId,employeeId\n\n" + userID + ",E-1\n,\n  ,  \n\n" + userID + ",E-2\n\n",
			want: []publisher.Row{
				{Line: 4, Data: events.TerminationData{UserID: userID, EmployeeID: "E-1"}},
				{Line: 8, Data: events.TerminationData{UserID: userID, EmployeeID: "E-2"}},
			},
		},
		{
			name: "header case and spaces, cells trimmed, no final line end",
			in:   " USERID , DryRun ,Id\n " + userID + " , 1 , t-9 ",
			want: []publisher.Row{{Line: 2, ID: "t-9", Data: events.TerminationData{UserID: userID, DryRun: true}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := publisher.ParseCSV(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("ParseCSV: %v", err)
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("rows (-got +want):\n%s", diff)
			}
		})
	}
}

func TestParseCSVReportsEveryProblem(t *testing.T) {
	t.Parallel()
	header := "id,userId,email,workspaceFolderId,effectiveAt,dryRun,reason\n"
	row := func(cells ...string) string { return strings.Join(cells, ",") + "\n" }
	// Problem.Reason holds a fragment of the wanted reason.
	tests := []struct {
		name string
		in   string
		want []publisher.Problem
	}{
		{
			name: "every kind of bad cell",
			in: header +
				row("t-1", "jane.doe", "", "", "", "", "") +
				row("t-2", userID, "", "abc", "", "", "") +
				row("t-3", userID, "", "0", "", "", "") +
				row("t-4", userID, "", "-7", "", "", "") +
				row("t-5", userID, "", "", "31/03/2026", "", "") +
				row("t-6", userID, "", "", "", "maybe", "") +
				row("t-7", userID, "", "", "", "", strings.Repeat("r", events.MaxReasonLength+1)) +
				row("t-8", "", "", "", "", "", "no user") +
				row("t-9", "", "not-an-email", "", "", "", "") +
				row("t-10", userID, "", "12.5", "tomorrow", "", ""),
			want: []publisher.Problem{
				{Line: 2, Column: 2, Header: "userId", Reason: "GUID"},
				{Line: 3, Column: 4, Header: "workspaceFolderId", Reason: "not a positive integer"},
				{Line: 4, Column: 4, Header: "workspaceFolderId", Reason: "not a positive integer"},
				{Line: 5, Column: 4, Header: "workspaceFolderId", Reason: "not a positive integer"},
				{Line: 6, Column: 5, Header: "effectiveAt", Reason: "RFC 3339"},
				{Line: 7, Column: 6, Header: "dryRun", Reason: "true or false"},
				{Line: 8, Column: 7, Header: "reason", Reason: "longer than 1000"},
				{Line: 9, Column: 2, Header: "userId", Reason: "give one of userId, email"},
				{Line: 10, Column: 3, Header: "email", Reason: "email"},
				{Line: 11, Column: 4, Header: "workspaceFolderId", Reason: "not a positive integer"},
				{Line: 11, Column: 5, Header: "effectiveAt", Reason: "RFC 3339"},
			},
		},
		{
			name: "wrong number of cells",
			in:   "userId,reason\n" + userID + ",a,b\n" + userID + "\n" + userID + ",fine\n",
			want: []publisher.Problem{
				{Line: 2, Reason: "has 3 cells; the header has 2"},
				{Line: 3, Reason: "has 1 cells; the header has 2"},
			},
		},
		{
			name: "unknown and repeated columns",
			in:   "userId,department,email,userid\n" + userID + ",HR,,\n",
			want: []publisher.Problem{
				{Line: 1, Column: 2, Header: "department", Reason: "is not a known column"},
				{Line: 1, Column: 4, Header: "userid", Reason: "repeats column 1"},
			},
		},
		{
			name: "nameless column",
			in:   "userId,,reason\n" + userID + ",,x\n",
			want: []publisher.Problem{{Line: 1, Column: 2, Reason: "no name"}},
		},
		{
			name: "no user column",
			in:   "employeeId,reason\nE-1,x\n",
			want: []publisher.Problem{{Line: 1, Reason: "needs a userId or an email column"}},
		},
		{
			name: "empty file",
			in:   "",
			want: []publisher.Problem{{Line: 1, Reason: "empty"}},
		},
		{
			name: "only a byte order mark and blank lines",
			in:   "\ufeff\n\n",
			want: []publisher.Problem{{Line: 1, Reason: "empty"}},
		},
		{
			name: "header only",
			in:   "userId,email\n\n",
			want: []publisher.Problem{{Line: 1, Reason: "no rows"}},
		},
		{
			name: "duplicate ids",
			in:   "userId,id\n" + userID + ",t-1\n" + userID + ",t-2\n" + userID + ", t-1\n",
			want: []publisher.Problem{{Line: 4, Column: 2, Header: "id", Reason: "repeats the id of line 2"}},
		},
		{
			name: "identical rows without ids",
			in:   "userId,reason\n" + userID + ",x\n" + userID + ",y\n" + userID + ", x \n",
			want: []publisher.Problem{{Line: 4, Reason: "repeats line 2"}},
		},
		{
			name: "bad quotes, and the rows after are still checked",
			in:   "userId,reason\n" + userID + ",say \"hi\"x\n" + "nope,fine\n",
			want: []publisher.Problem{
				{Line: 2, Reason: "bare \" in non-quoted-field"},
				{Line: 3, Column: 1, Header: "userId", Reason: "GUID"},
			},
		},
		{
			name: "not UTF-8 (a Windows-1252 export)",
			in:   "userId,reason\n" + userID + ",D\xe9part\n",
			want: []publisher.Problem{{Line: 2, Column: 2, Header: "reason", Reason: "UTF-8"}},
		},
		{
			name: "event too large",
			in:   "userId,employeeId\n" + userID + "," + strings.Repeat("x", events.MaxEventSize) + "\n",
			want: []publisher.Problem{{Line: 2, Reason: "event"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rows, err := publisher.ParseCSV(strings.NewReader(tt.in))
			var ce *publisher.CSVError
			if !errors.As(err, &ce) || !errors.Is(err, publisher.ErrInvalid) {
				t.Fatalf("ParseCSV = %d rows, %v; want a *CSVError matching ErrInvalid", len(rows), err)
			}
			if rows != nil {
				t.Errorf("ParseCSV returned %d rows with its error", len(rows))
			}
			if len(ce.Problems) != len(tt.want) {
				t.Fatalf("problems:\n%s\nwant %d", strings.Join(problemStrings(ce.Problems), "\n"), len(tt.want))
			}
			for i, got := range ce.Problems {
				want := tt.want[i]
				if got.Line != want.Line || got.Column != want.Column || got.Header != want.Header || !strings.Contains(got.Reason, want.Reason) {
					t.Errorf("problem %d = %v; want %v (reason containing %q)", i, got, want, want.Reason)
				}
			}
		})
	}
}

func problemStrings(ps []publisher.Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

func TestDeriveID(t *testing.T) {
	t.Parallel()
	utc := time.Date(2026, 3, 31, 17, 0, 0, 0, time.UTC)
	cet := utc.In(time.FixedZone("CET", 3600))
	base := events.TerminationData{UserID: userID, EffectiveAt: &utc}
	same := events.TerminationData{UserID: userID, EffectiveAt: &cet}
	dry := base
	dry.DryRun = true
	if publisher.DeriveID(base) != publisher.DeriveID(same) {
		t.Error("the same instant written in two zones gives two ids")
	}
	if publisher.DeriveID(base) == publisher.DeriveID(dry) {
		t.Error("a dry run and a real run of one row share an id")
	}
	if got := publisher.DeriveID(base); len(got) != 36 {
		t.Errorf("DeriveID = %q, want a UUID", got)
	}
}
