package publisher_test

import (
	"bytes"
	"fmt"
	"strconv"
	"testing"

	"github.com/docspace-offboarding/docspace-offboarding/internal/publisher"
)

// csvFile returns a CSV file of n terminations, without ids, as an HR export would look.
func csvFile(n int) []byte {
	var b bytes.Buffer
	b.WriteString("userId,employeeId,workspaceFolderId,archiveOwnerId,effectiveAt,reason\n")
	for i := range n {
		fmt.Fprintf(&b, "%s,E-%d,%d,%s,2026-03-31T17:00:00Z,\"Leaver %d, last day\"\n", userID, i, 1000+i, ownerID, i)
	}
	return b.Bytes()
}

// BenchmarkTerminateCSV publishes 1 000 terminations from a CSV file: parse and validate every
// row, validate and publish every event with publish acks (up to MaxInFlight at once). Each
// iteration uses its own source, so every message is stored, none is a duplicate.
func BenchmarkTerminateCSV(b *testing.B) {
	const rows = 1000
	e := newEnv(b)
	p := e.publisher(b, publisher.Options{}, false)
	file := csvFile(rows)
	ctx := b.Context()
	b.ReportAllocs()
	b.SetBytes(int64(len(file)))
	n := 0
	for b.Loop() {
		n++
		parsed, err := publisher.ParseCSV(bytes.NewReader(file))
		if err != nil {
			b.Fatal(err)
		}
		ts := make([]publisher.Termination, len(parsed))
		for i, r := range parsed {
			ts[i] = publisher.Termination{ID: publisher.DeriveID(r.Data), Source: "/bench/" + strconv.Itoa(n), Data: r.Data}
		}
		pubs, err := p.TerminateAll(ctx, ts, nil)
		if err != nil {
			b.Fatal(err)
		}
		if pubs[rows-1].Duplicate {
			b.Fatal("a termination was a duplicate")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*rows), "ns/termination")
}

// BenchmarkParseCSV reads and validates 1 000 rows.
func BenchmarkParseCSV(b *testing.B) {
	file := csvFile(1000)
	b.ReportAllocs()
	b.SetBytes(int64(len(file)))
	for b.Loop() {
		if _, err := publisher.ParseCSV(bytes.NewReader(file)); err != nil {
			b.Fatal(err)
		}
	}
}
