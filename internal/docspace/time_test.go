package docspace

import (
	"encoding/json"
	"testing"
	"time"
)

func TestTimeUnmarshalJSON(t *testing.T) {
	t.Parallel()
	plus2 := time.FixedZone("", 2*3600)
	tests := []struct {
		name    string
		in      string
		want    time.Time
		wantErr bool
	}{
		{name: "seven digits with offset", in: `"2026-03-02T14:05:09.0000000+02:00"`, want: time.Date(2026, 3, 2, 14, 5, 9, 0, plus2)},
		{name: "seven significant digits", in: `"2026-03-02T14:05:09.1234567+02:00"`, want: time.Date(2026, 3, 2, 14, 5, 9, 123456700, plus2)},
		{name: "seven digits Z", in: `"2026-03-02T12:05:09.0000000Z"`, want: time.Date(2026, 3, 2, 12, 5, 9, 0, time.UTC)},
		{name: "no fraction", in: `"2026-03-02T12:05:09Z"`, want: time.Date(2026, 3, 2, 12, 5, 9, 0, time.UTC)},
		{name: "negative offset", in: `"2026-03-02T07:05:09.0000000-05:00"`, want: time.Date(2026, 3, 2, 7, 5, 9, 0, time.FixedZone("", -5*3600))},
		{name: "no zone is UTC", in: `"2026-03-02T12:05:09.5"`, want: time.Date(2026, 3, 2, 12, 5, 9, 5e8, time.UTC)},
		{name: "null", in: `null`},
		{name: "empty string", in: `""`},
		{name: "OpenAPI object form", in: `{"utcTime":"2026-03-02T12:05:09.0000000Z","timeZoneOffset":"02:00:00"}`, want: time.Date(2026, 3, 2, 14, 5, 9, 0, plus2)},
		{name: "object with negative offset", in: `{"utcTime":"2026-03-02T12:05:09Z","timeZoneOffset":"-05:30:00"}`, want: time.Date(2026, 3, 2, 6, 35, 9, 0, time.FixedZone("", -(5*3600+1800)))},
		{name: "object without utcTime", in: `{"timeZoneOffset":"00:00:00"}`},
		{name: "garbage", in: `"yesterday"`, wantErr: true},
		{name: "number", in: `1700000000`, wantErr: true},
		{name: "bad offset", in: `{"utcTime":"2026-03-02T12:05:09Z","timeZoneOffset":"soon"}`, wantErr: true},
		{name: "offset beyond 14h", in: `{"utcTime":"2026-03-02T12:05:09Z","timeZoneOffset":"15:00:00"}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got Time
			err := json.Unmarshal([]byte(tt.in), &got)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Unmarshal(%s) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if !got.Equal(tt.want) {
				t.Errorf("Unmarshal(%s) = %v, want %v", tt.in, got.Time, tt.want)
			}
			if !tt.want.IsZero() {
				_, gotOff := got.Zone()
				_, wantOff := tt.want.Zone()
				if gotOff != wantOff {
					t.Errorf("offset = %d, want %d (the portal offset is kept)", gotOff, wantOff)
				}
			}
		})
	}
}

func TestTimeMarshalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   Time
		want string
	}{
		{"zero is null", Time{}, `null`},
		{"UTC ends in Z", Time{time.Date(2026, 3, 2, 12, 5, 9, 120000000, time.UTC)}, `"2026-03-02T12:05:09.1200000Z"`},
		{"offset kept", Time{time.Date(2026, 3, 2, 14, 5, 9, 0, time.FixedZone("", 7200))}, `"2026-03-02T14:05:09.0000000+02:00"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if got := string(b); got != tt.want {
				t.Errorf("Marshal = %s, want %s", got, tt.want)
			}
			var back Time
			if err := json.Unmarshal(b, &back); err != nil || !back.Equal(tt.in.Time) {
				t.Errorf("round trip = %v, %v; want %v", back.Time, err, tt.in.Time)
			}
		})
	}
}

func TestFormatQueryTime(t *testing.T) {
	t.Parallel()
	local := time.FixedZone("", 2*3600)
	tests := []struct {
		name    string
		in      time.Time
		roundUp bool
		want    string
	}{
		{"local converted to UTC", time.Date(2026, 3, 2, 12, 0, 0, 0, local), false, "2026-03-02T10:00:00Z"},
		{"lower bound truncated", time.Date(2026, 3, 2, 10, 0, 0, 999999999, time.UTC), false, "2026-03-02T10:00:00Z"},
		{"upper bound rounded up", time.Date(2026, 3, 2, 10, 0, 0, 1, time.UTC), true, "2026-03-02T10:00:01Z"},
		{"whole second upper bound kept", time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), true, "2026-03-02T10:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := FormatQueryTime(tt.in, tt.roundUp); got != tt.want {
				t.Errorf("FormatQueryTime(%v, %v) = %s, want %s", tt.in, tt.roundUp, got, tt.want)
			}
		})
	}
}
