package publisher

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// FuzzParseCSV feeds any bytes to the CSV reader. The seed corpus in testdata/fuzz/FuzzParseCSV
// holds good files (every column, BOM, CRLF, quoted fields, blank lines) and bad ones (bad cells
// of each kind, unknown and repeated columns, duplicate ids, broken quotes, control characters).
//
// Properties: ParseCSV does not panic; a refusal is a *CSVError matching ErrInvalid whose
// problems have a line and a reason; every accepted row, built into an event as the command line
// builds it, passes the consumer's decoder and reads back to the same data, and ids are unique.
func FuzzParseCSV(f *testing.F) {
	dec, err := events.NewDecoder()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := parseCSV(dec, bytes.NewReader(data))
		if err != nil {
			var ce *CSVError
			if !errors.As(err, &ce) || !errors.Is(err, ErrInvalid) || len(ce.Problems) == 0 {
				t.Fatalf("error %v is not a *CSVError with problems", err)
			}
			for _, p := range ce.Problems {
				if p.Line < 1 || p.Reason == "" || p.Column < 0 {
					t.Fatalf("problem %#v lacks a line or a reason", p)
				}
			}
			return
		}
		if len(rows) == 0 {
			t.Fatal("no rows and no error")
		}
		ids := make(map[string]int)
		for _, r := range rows {
			id := r.ID
			if id == "" {
				id = DeriveID(r.Data)
			}
			if line, ok := ids[id]; ok {
				t.Fatalf("lines %d and %d share id %q", line, r.Line, id)
			}
			ids[id] = r.Line
			m, err := buildTermination(dec, DefaultInputSubject, Termination{ID: id, Source: DefaultSource, Data: r.Data}, time.Time{})
			if err != nil {
				t.Fatalf("accepted row at line %d does not validate: %v", r.Line, err)
			}
			in, err := dec.Decode(m.msg.Header, m.msg.Data)
			if err != nil {
				t.Fatalf("accepted row at line %d does not decode: %v", r.Line, err)
			}
			if diff := cmp.Diff(in.Termination, &r.Data); diff != "" {
				t.Fatalf("row at line %d reads back differently (-decoded +row):\n%s", r.Line, diff)
			}
		}
	})
}
