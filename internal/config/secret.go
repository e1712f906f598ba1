package config

import (
	"fmt"
	"log/slog"
)

// Secret holds a credential read from the environment. It prints as
// "[redacted]" through fmt (every verb) and slog, so a Config can be logged.
type Secret struct{ value string }

// NewSecret wraps s.
func NewSecret(s string) Secret { return Secret{value: s} }

// EnvDecode implements envconfig.Decoder.
func (s *Secret) EnvDecode(v string) error {
	s.value = v
	return nil
}

// Value returns the credential itself. Only main calls it, to hand it to a client.
func (s Secret) Value() string { return s.value }

const redacted = "[redacted]"

// String implements fmt.Stringer.
func (s Secret) String() string {
	if s.value == "" {
		return ""
	}
	return redacted
}

// GoString implements fmt.GoStringer.
func (s Secret) GoString() string { return "config.Secret{" + redacted + "}" }

// Format implements fmt.Formatter, covering %v, %+v, %#v, %s and %q.
func (s Secret) Format(f fmt.State, verb rune) {
	switch verb {
	case 'v':
		if f.Flag('#') {
			fmt.Fprint(f, s.GoString())
			return
		}
		fmt.Fprint(f, s.String())
	case 'q':
		fmt.Fprintf(f, "%q", s.String())
	default:
		fmt.Fprint(f, s.String())
	}
}

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText keeps the credential out of any text or JSON encoding.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
