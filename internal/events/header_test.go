package events

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestEncodeHeaderValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		// The example of the NATS protocol binding, section 3.1.3.2.
		{"spec example", "Euro \u20ac \U0001F600", "Euro%20%E2%82%AC%20%F0%9F%98%80"},
		{"plain", "/hris/workday", "/hris/workday"},
		{"empty", "", ""},
		{"space quote percent", `a "b" 100%`, "a%20%22b%22%20100%25"},
		{"printable ascii kept", "!#$&'()*+,-./:;<=>?@[\\]^_`{|}~", "!#$&'()*+,-./:;<=>?@[\\]^_`{|}~"},
		{"controls and DEL", "a\tb\nc\x7f", "a%09b%0Ac%7F"},
		{"C1 control", "\u0085", "%C2%85"},
		{"upper-case hex", "\u00e9", "%C3%A9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := encodeHeaderValue(tt.in); got != tt.want {
				t.Errorf("encodeHeaderValue(%q) = %q, want %q", tt.in, got, tt.want)
			}
			back, err := decodeHeaderValue(tt.want)
			if err != nil || back != tt.in {
				t.Errorf("decodeHeaderValue(%q) = %q, %v; want %q", tt.want, back, err, tt.in)
			}
		})
	}
}

func TestDecodeHeaderValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr error
	}{
		{"spec example", "Euro%20%E2%82%AC%20%F0%9F%98%80", "Euro \u20ac \U0001F600", nil},
		{"lower-case hex", "Jos%c3%a9", "Jos\u00e9", nil},
		{"unnecessarily encoded", "%2Fhris%2Fworkday", "/hris/workday", nil},
		{"optional whitespace trimmed", " \t/hris \t", "/hris", nil},
		{"raw UTF-8 accepted", "Jos\u00e9", "Jos\u00e9", nil},
		{"quoted string", `"a b"`, "a b", nil},
		{"quoted with escapes", `"say \"hi\" \\o/"`, `say "hi" \o/`, nil},
		{"quoted then percent-decoded", `"a%20b"`, "a b", nil},
		{"empty quoted", `""`, "", nil},
		{"inner quote kept when not quoted", `a"b`, `a"b`, nil},
		{"overlong encoding", "%C0%A0", "", errUTF8},
		{"encoded surrogate", "%ED%A0%80", "", errUTF8},
		{"truncated sequence", "%E2%82", "", errUTF8},
		{"raw invalid UTF-8", "a\xffb", "", errUTF8},
		{"percent at end", "abc%", "", errPercent},
		{"percent one digit", "abc%4", "", errPercent},
		{"percent not hex", "%G1", "", errPercent},
		{"unterminated quote", `"abc`, "", errQuoting},
		{"lone quote", `"`, "", errQuoting},
		{"unescaped inner quote", `"a"b"`, "", errQuoting},
		{"dangling backslash", `"abc\"`, "", errQuoting},
		{"control in quotes", "\"a\x01b\"", "", errQuoting},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := decodeHeaderValue(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("decodeHeaderValue(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("decodeHeaderValue(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidTraceParent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", true},
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", true},
		{"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future", true},
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", false},
		{"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false},
		{"00-00000000000000000000000000000000-00f067aa0ba902b7-01", false},
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", false},
		{"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", false},
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", false},
		{"00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := validTraceParent(tt.in); got != tt.want {
			t.Errorf("validTraceParent(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestIsGUID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"3f2a6c1e-8b4d-4e5f-9a7b-1c2d3e4f5a6b", true},
		{"3F2A6C1E-8B4D-4E5F-9A7B-1C2D3E4F5A6B", true},
		{"00000000-0000-0000-0000-000000000000", true},
		{"3f2a6c1e8b4d4e5f9a7b1c2d3e4f5a6b", false},
		{"{3f2a6c1e-8b4d-4e5f-9a7b-1c2d3e4f5a6b}", false},
		{"3f2a6c1e-8b4d-4e5f-9a7b-1c2d3e4f5a6g", false},
		{"3f2a6c1e-8b4d-4e5f-9a7b_1c2d3e4f5a6b", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsGUID(tt.in); got != tt.want {
			t.Errorf("IsGUID(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestNumberInRange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"539564", true},
		{"-1.5e10", true},
		{"1E+400", true},
		{"1e-400", true},
		{"1e401", false},
		{"1e999999", false},
		{"1e99999999999999999999", false},
		{strings.Repeat("1", 70), false},
	}
	for _, tt := range tests {
		if got := numberInRange(tt.in); got != tt.want {
			t.Errorf("numberInRange(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestEntryIDUnmarshalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    EntryID
		wantErr bool
	}{
		{`539564`, 539564, false},
		{`"539564"`, 539564, false},
		{`"007"`, 7, false},
		{`539564.0`, 539564, false},
		{`5.39564e5`, 539564, false},
		{`9223372036854775807`, 9223372036854775807, false},
		{`9223372036854775808`, 0, true},
		{`1.5`, 0, true},
		{`0`, 0, true},
		{`-3`, 0, true},
		{`"1.0"`, 0, true},
		{`"abc"`, 0, true},
		{`"-5"`, 0, true},
		{`1e999999`, 0, true},
		{`true`, 0, true},
		{`null`, 0, true},
	}
	for _, tt := range tests {
		var got EntryID
		err := json.Unmarshal([]byte(tt.in), &got)
		if (err != nil) != tt.wantErr {
			t.Errorf("unmarshal %s: error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("unmarshal %s = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestIDNamespace(t *testing.T) {
	t.Parallel()
	// The namespace is the UUID v5 of the project's URL in the URL namespace.
	want := uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/docspace-offboarding/docspace-offboarding/events"))
	if got := idNamespace(); got != want {
		t.Errorf("idNamespace() = %s, want %s", got, want)
	}
}
