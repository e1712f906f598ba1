package docspacetest

import (
	"fmt"
	"time"
)

// apiDateLayout is ApiDateTime's output: seven fractional digits and the offset, "Z" when it is zero
// (reference §1.4).
const apiDateLayout = "2006-01-02T15:04:05.0000000Z07:00"

// FormatAPIDate formats t as DocSpace's ApiDateTime in loc (UTC when nil), e.g. 2026-03-02T14:05:09.0000000Z.
func FormatAPIDate(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(apiDateLayout)
}

// formatDate formats t in the portal's time zone.
func (s *Server) formatDate(t time.Time) string { return FormatAPIDate(t, s.opts.TimeZone) }

// datePtr formats t, or returns nil for the zero time so that the property is omitted.
func (s *Server) datePtr(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	v := s.formatDate(t)
	return &v
}

// hasZone reports whether v ends in "Z" or a ±hh:mm / ±hhmm offset after a time of day.
func hasZone(v string) bool {
	if len(v) < 11 || v[10] != 'T' && v[10] != 't' {
		return false
	}
	if v[len(v)-1] == 'Z' || v[len(v)-1] == 'z' {
		return true
	}
	for _, n := range []int{6, 5} { // "+02:00", "+0200"
		if len(v) > 19+n-1 {
			if c := v[len(v)-n]; c == '+' || c == '-' {
				return true
			}
		}
	}
	return false
}

// parseQueryDate parses an ApiDateTime query value (audit from/to). DocSpace accepts the round-trip format,
// yyyy-MM-ddTHH:mm:ss[.fff]K and yyyy-MM-dd, but a value with neither "Z" nor an offset needs the portal
// time zone during binding, where it is unavailable, so it fails with 400 (reference §1.4).
func parseQueryDate(v string) (time.Time, error) {
	if !hasZone(v) {
		return time.Time{}, fmt.Errorf("date %q has no time zone", v)
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05.999999999Z0700"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q is not an ApiDateTime", v)
}
