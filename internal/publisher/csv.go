package publisher

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// Column names of a CSV file: the data fields of docs/CONTRACT.md §2, and id.
const (
	ColumnID                = "id"
	ColumnUserID            = "userId"
	ColumnEmail             = "email"
	ColumnEmployeeID        = "employeeId"
	ColumnWorkspaceFolderID = "workspaceFolderId"
	ColumnArchiveRoomID     = "archiveRoomId"
	ColumnArchiveFolderID   = "archiveFolderId"
	ColumnArchiveOwnerID    = "archiveOwnerId"
	ColumnHRGroupID         = "hrGroupId"
	ColumnEffectiveAt       = "effectiveAt"
	ColumnDryRun            = "dryRun"
	ColumnReason            = "reason"
)

// Columns returns the column names ParseCSV knows, in the order of the contract.
func Columns() []string {
	return []string{
		ColumnID, ColumnUserID, ColumnEmail, ColumnEmployeeID, ColumnWorkspaceFolderID, ColumnArchiveRoomID,
		ColumnArchiveFolderID, ColumnArchiveOwnerID, ColumnHRGroupID, ColumnEffectiveAt, ColumnDryRun, ColumnReason,
	}
}

// Row is one termination read from a CSV file.
type Row struct {
	// Line is the line of the file the row starts on; the header is line 1.
	Line int
	// ID is the row's id cell; empty when the file has no id column or the cell is empty. The
	// command line then publishes the row under DeriveID(Data).
	ID   string
	Data events.TerminationData
}

// utf8BOM starts the CSV files of some spreadsheet programs.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// ParseCSV reads terminations from CSV: a header row naming columns (see Columns; names match
// case-insensitively, in any order), then one row per termination. Cells are trimmed; an empty
// cell is an absent field. Ids are integers for folders and rooms, RFC 3339 for effectiveAt,
// true/false (also 1/0, yes/no) for dryRun. A UTF-8 byte order mark, CRLF line ends, quoted
// fields (with commas, quotes and line breaks inside) are accepted; blank lines, and rows whose
// cells are all empty, are skipped.
//
// Every row is validated as the service would validate its event (with events.Decoder), and ids
// must be unique; so must rows without an id, which DeriveID names by their content. When
// anything is wrong ParseCSV returns no rows and a *CSVError (matching ErrInvalid) listing every
// problem with its line and column. Other errors are reading errors of r.
func ParseCSV(r io.Reader) ([]Row, error) {
	dec, err := events.NewDecoder()
	if err != nil {
		return nil, fmt.Errorf("parse csv: %w", err)
	}
	return parseCSV(dec, r)
}

// DeriveID returns the id of a termination read without one: a UUID v5 of its data, so the same
// row published again is the same termination (the service offboards it once) and a dry run and
// a real run of one row are different terminations.
func DeriveID(d events.TerminationData) string {
	// The instant of effectiveAt counts, not how it was written.
	c := struct {
		events.TerminationData
		EffectiveAt string `json:"effectiveAt,omitempty"`
	}{TerminationData: d}
	if d.EffectiveAt != nil {
		c.EffectiveAt = d.EffectiveAt.UTC().Format(time.RFC3339Nano)
	}
	// Only strings, integers and booleans are left: encoding cannot fail.
	b, _ := json.Marshal(c)
	return uuid.NewSHA1(idNamespace(), append([]byte("row,"), b...)).String()
}

// csvRow is a row on its way through parseCSV.
type csvRow struct {
	Row
	cells []string
	// bad is set when the row has a problem of its own.
	bad bool
}

func parseCSV(dec *events.Decoder, r io.Reader) ([]Row, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(len(utf8BOM)); err == nil && bytes.Equal(b, utf8BOM) {
		if _, err := br.Discard(len(utf8BOM)); err != nil {
			return nil, fmt.Errorf("read csv: %w", err)
		}
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1

	header, err := cr.Read()
	var pe *csv.ParseError
	switch {
	case errors.Is(err, io.EOF):
		return nil, &CSVError{Problems: []Problem{{Line: 1, Reason: "the file is empty: want a header row, then one row per termination"}}}
	case errors.As(err, &pe):
		return nil, &CSVError{Problems: []Problem{syntaxProblem(pe)}}
	case err != nil:
		return nil, fmt.Errorf("read csv: %w", err)
	}
	headerLine, _ := cr.FieldPos(0)
	cols, problems := parseHeader(header, headerLine)
	if len(problems) > 0 {
		return nil, &CSVError{Problems: problems}
	}

	var rows []*csvRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.As(err, &pe) {
			problems = append(problems, syntaxProblem(pe))
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue
		}
		if len(rec) != len(cols) {
			problems = append(problems, Problem{Line: line, Reason: fmt.Sprintf("has %d cells; the header has %d", len(rec), len(cols))})
			continue
		}
		rows = append(rows, &csvRow{Row: Row{Line: line}, cells: rec})
	}
	if len(rows) == 0 && len(problems) == 0 {
		return nil, &CSVError{Problems: []Problem{{Line: headerLine, Reason: "the file has a header but no rows"}}}
	}

	rowProblems := make([][]Problem, len(rows))
	parallel(len(rows), runtime.GOMAXPROCS(0), func(i int) {
		rowProblems[i] = checkRow(dec, rows[i], cols, header)
		rows[i].bad = len(rowProblems[i]) > 0
	})
	for _, ps := range rowProblems {
		problems = append(problems, ps...)
	}
	problems = append(problems, duplicates(rows, cols, header)...)
	if len(problems) > 0 {
		slices.SortStableFunc(problems, func(a, b Problem) int {
			return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
		})
		return nil, &CSVError{Problems: problems}
	}
	out := make([]Row, len(rows))
	for i, r := range rows {
		out[i] = r.Row
	}
	return out, nil
}

// parseHeader maps each header cell to its canonical column name.
func parseHeader(header []string, line int) ([]string, []Problem) {
	known := make(map[string]string)
	for _, c := range Columns() {
		known[strings.ToLower(c)] = c
	}
	var problems []Problem
	cols := make([]string, len(header))
	seen := make(map[string]int)
	for i, h := range header {
		name := strings.TrimSpace(h)
		p := Problem{Line: line, Column: i + 1, Header: strings.ToValidUTF8(name, "\ufffd")}
		canon, ok := known[strings.ToLower(name)]
		switch {
		case name == "":
			p.Reason = "the column has no name"
		case !ok:
			p.Reason = "is not a known column; want " + strings.Join(Columns(), ", ")
		case seen[canon] > 0:
			p.Reason = "repeats column " + strconv.Itoa(seen[canon])
		default:
			cols[i] = canon
			seen[canon] = i + 1
			continue
		}
		problems = append(problems, p)
	}
	if len(problems) == 0 && seen[ColumnUserID] == 0 && seen[ColumnEmail] == 0 {
		problems = append(problems, Problem{Line: line, Reason: "the header needs a userId or an email column"})
	}
	return cols, problems
}

// checkRow reads the cells of r into r.Row and validates its event. It returns the row's problems.
func checkRow(dec *events.Decoder, r *csvRow, cols, header []string) []Problem {
	var problems []Problem
	for i, cell := range r.cells {
		v := strings.TrimSpace(cell)
		if v == "" {
			continue
		}
		reason := "is not valid UTF-8 (save the file as CSV UTF-8)"
		if utf8.ValidString(v) {
			reason = setField(&r.Row, cols[i], v)
		}
		if reason != "" {
			problems = append(problems, Problem{Line: r.Line, Column: i + 1, Header: strings.TrimSpace(header[i]), Reason: reason})
		}
	}
	if len(problems) > 0 {
		return problems
	}
	id := r.ID
	if id == "" {
		id = DeriveID(r.Data)
	}
	_, err := buildTermination(dec, DefaultInputSubject, Termination{ID: id, Source: DefaultSource, Data: r.Data}, time.Time{})
	if err == nil {
		return nil
	}
	p := Problem{Line: r.Line, Reason: err.Error()}
	var ve *ValidationError
	if errors.As(err, &ve) {
		name := strings.TrimPrefix(ve.Field, "data.")
		if i := slices.Index(cols, name); i >= 0 {
			p.Column, p.Header, p.Reason = i+1, strings.TrimSpace(header[i]), ve.Reason
		}
	}
	return []Problem{p}
}

// setField sets the field of column col from a non-empty cell, and returns "" or what is wrong
// with the cell.
func setField(r *Row, col, v string) string {
	d := &r.Data
	switch col {
	case ColumnID:
		r.ID = v
	case ColumnUserID:
		d.UserID = v
	case ColumnEmail:
		d.Email = v
	case ColumnEmployeeID:
		d.EmployeeID = v
	case ColumnArchiveOwnerID:
		d.ArchiveOwnerID = v
	case ColumnHRGroupID:
		d.HRGroupID = v
	case ColumnReason:
		d.Reason = v
	case ColumnWorkspaceFolderID, ColumnArchiveRoomID, ColumnArchiveFolderID:
		id, ok := ParseEntryID(v)
		if !ok {
			return "is not a positive integer"
		}
		switch col {
		case ColumnWorkspaceFolderID:
			d.WorkspaceFolderID = id
		case ColumnArchiveRoomID:
			d.ArchiveRoomID = id
		default:
			d.ArchiveFolderID = id
		}
	case ColumnEffectiveAt:
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return "is not an RFC 3339 time (like 2026-03-31T17:00:00Z)"
		}
		d.EffectiveAt = &t
	case ColumnDryRun:
		b, ok := ParseBool(v)
		if !ok {
			return "is not true or false"
		}
		d.DryRun = b
	}
	return ""
}

// ParseEntryID reads a DocSpace folder or room id: decimal digits denoting a positive int64.
func ParseEntryID(s string) (events.EntryID, bool) {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return events.EntryID(n), true
}

// ParseBool reads true/false, 1/0, yes/no, t/f or y/n, in any case.
func ParseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true", "t", "1", "yes", "y":
		return true, true
	case "false", "f", "0", "no", "n":
		return false, true
	}
	return false, false
}

// duplicates reports rows whose id another row already has: the id cell, or for rows without
// one, the id DeriveID gives their content.
func duplicates(rows []*csvRow, cols, header []string) []Problem {
	idCol := slices.Index(cols, ColumnID)
	explicit := make(map[string]int)
	derived := make(map[string]int)
	var problems []Problem
	for _, r := range rows {
		if r.bad {
			continue
		}
		if r.ID != "" {
			if first, ok := explicit[r.ID]; ok {
				problems = append(problems, Problem{Line: r.Line, Column: idCol + 1, Header: strings.TrimSpace(header[idCol]), Reason: "repeats the id of line " + strconv.Itoa(first)})
				continue
			}
			explicit[r.ID] = r.Line
			continue
		}
		id := DeriveID(r.Data)
		if first, ok := derived[id]; ok {
			problems = append(problems, Problem{Line: r.Line, Reason: "repeats line " + strconv.Itoa(first) + " (same cells, no id); give the rows distinct ids to publish both"})
			continue
		}
		derived[id] = r.Line
	}
	return problems
}

// syntaxProblem describes a CSV syntax error.
func syntaxProblem(pe *csv.ParseError) Problem {
	return Problem{Line: pe.Line, Reason: fmt.Sprintf("%v (at character %d)", pe.Err, pe.Column)}
}

// blank reports whether every cell of rec is empty or white space.
func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
