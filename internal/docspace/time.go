package docspace

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Layouts of DocSpace's ApiDateTime.
const (
	// apiTimeLayout is what DocSpace emits: portal-local time with seven
	// fractional digits and the offset, or Z when the offset is zero.
	apiTimeLayout = "2006-01-02T15:04:05.0000000Z07:00"
	// queryTimeLayout is what this client sends in query strings: UTC, whole
	// seconds, always Z. DocSpace's query binder rejects values without a zone.
	queryTimeLayout = "2006-01-02T15:04:05Z"
	// zonelessLayout parses the rare value that carries no zone at all.
	zonelessLayout = "2006-01-02T15:04:05.999999999"
)

// Time is a DocSpace ApiDateTime.
//
// DocSpace sends a string such as "2026-03-02T14:05:09.0000000+02:00" (seven
// fractional digits, portal-local offset, or Z). The OpenAPI documents
// describe the type as an object {"utcTime","timeZoneOffset"}; that form is
// accepted too. null, "" and an absent field give the zero Time. The offset
// is kept; compare instants with the time.Time methods.
type Time struct {
	time.Time
}

// UnmarshalJSON accepts the string form, the object form and null.
func (t *Time) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		t.Time = time.Time{}
		return nil
	case b[0] == '"':
		s, err := unquote(b)
		if err != nil {
			return fmt.Errorf("docspace time: %w", err)
		}
		if strings.TrimSpace(s) == "" {
			t.Time = time.Time{}
			return nil
		}
		v, err := ParseTime(s)
		if err != nil {
			return err
		}
		t.Time = v
		return nil
	case b[0] == '{':
		var obj struct {
			UTCTime        string `json:"utcTime"`
			TimeZoneOffset string `json:"timeZoneOffset"`
		}
		if err := json.Unmarshal(b, &obj); err != nil {
			return fmt.Errorf("docspace time object: %w", err)
		}
		return t.fromObject(obj.UTCTime, obj.TimeZoneOffset)
	default:
		return fmt.Errorf("docspace time: unexpected JSON %.20q", b)
	}
}

func (t *Time) fromObject(utc, offset string) error {
	if utc == "" {
		t.Time = time.Time{}
		return nil
	}
	v, err := ParseTime(utc)
	if err != nil {
		return err
	}
	if offset != "" {
		d, err := parseTimeSpan(offset)
		if err != nil {
			return fmt.Errorf("docspace time offset %q: %w", offset, err)
		}
		v = v.In(time.FixedZone("", int(d/time.Second)))
	}
	t.Time = v
	return nil
}

// unquote decodes a JSON string, without the general decoder when it holds
// no escapes (the case of every date).
func unquote(b []byte) (string, error) {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && bytes.IndexByte(b, '\\') < 0 {
		return string(b[1 : len(b)-1]), nil
	}
	var s string
	err := json.Unmarshal(b, &s)
	return s, err
}

// MarshalJSON writes DocSpace's own format, or null for the zero Time.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.Format(apiTimeLayout) + `"`), nil
}

// ParseTime parses an ApiDateTime string: RFC 3339 with any number of
// fractional digits (DocSpace uses seven) and an offset or Z. A value without
// a zone is taken as UTC.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if v, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return v, nil
	}
	v, err := time.ParseInLocation(zonelessLayout, s, time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("docspace time %q: not an ApiDateTime", s)
	}
	return v, nil
}

// FormatQueryTime formats t for a DocSpace query string: UTC, with Z, whole
// seconds. With roundUp a fractional second is rounded up, so that an
// inclusive upper bound ("to") never drops events in its last second; lower
// bounds are truncated, so a window only ever widens.
func FormatQueryTime(t time.Time, roundUp bool) string {
	u := t.UTC()
	if tr := u.Truncate(time.Second); roundUp && !tr.Equal(u) {
		u = tr.Add(time.Second)
	} else {
		u = tr
	}
	return u.Format(queryTimeLayout)
}

// parseTimeSpan parses a .NET TimeSpan offset such as "02:00:00",
// "-05:30:00" or "+01:00".
func parseTimeSpan(s string) (time.Duration, error) {
	sign := time.Duration(1)
	switch {
	case strings.HasPrefix(s, "-"):
		sign, s = -1, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, fmt.Errorf("want [-]hh:mm[:ss]")
	}
	var d time.Duration
	units := []time.Duration{time.Hour, time.Minute, time.Second}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("want [-]hh:mm[:ss]")
		}
		d += time.Duration(n) * units[i]
	}
	if d > 14*time.Hour {
		return 0, fmt.Errorf("offset beyond 14h")
	}
	return sign * d, nil
}
