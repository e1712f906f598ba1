package docspace

import (
	"fmt"
	"log/slog"
)

const redacted = "[REDACTED]"

// Secret is a credential, such as a DocSpace API key ("sk-…"). Build one
// with NewSecret.
//
// A Secret never shows its value: it redacts itself in every fmt verb
// (%v, %+v, %#v, %s, %q, %x, …), in slog and in JSON. The value is held in a
// closure, so even printers that walk unexported fields by reflection (fmt
// does, for fields it cannot call methods on) see only a function address.
// The zero Secret is empty.
type Secret struct {
	value func() string
}

var (
	_ fmt.Stringer   = Secret{}
	_ fmt.GoStringer = Secret{}
	_ fmt.Formatter  = Secret{}
	_ slog.LogValuer = Secret{}
)

// NewSecret wraps a credential.
func NewSecret(value string) Secret {
	return Secret{value: func() string { return value }}
}

// reveal returns the credential; only the request builder calls it.
func (s Secret) reveal() string {
	if s.value == nil {
		return ""
	}
	return s.value()
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.reveal() == "" }

// String returns a placeholder, never the secret.
func (Secret) String() string { return redacted }

// GoString returns a placeholder, never the secret.
func (Secret) GoString() string { return "docspace.Secret{" + redacted + "}" }

// Format writes a placeholder for every verb and flag.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = fmt.Fprint(f, s.GoString())
		return
	}
	_, _ = fmt.Fprint(f, redacted)
}

// LogValue returns a placeholder, never the secret.
func (Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON returns a placeholder, never the secret.
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }
