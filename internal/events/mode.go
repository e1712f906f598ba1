package events

import (
	"fmt"
	"strconv"
)

// Mode is a CloudEvents content mode of a NATS message.
type Mode int

// Content modes. The zero Mode is Structured.
const (
	// Structured carries the whole event as JSON in the message body
	// (Content-Type: application/cloudevents+json).
	Structured Mode = iota
	// Binary carries the attributes in ce- headers and the data in the body.
	Binary
)

// String returns "structured" or "binary".
func (m Mode) String() string {
	switch m {
	case Structured:
		return "structured"
	case Binary:
		return "binary"
	default:
		return "Mode(" + strconv.Itoa(int(m)) + ")"
	}
}

// ParseMode returns the Mode named "structured" or "binary".
func ParseMode(s string) (Mode, error) {
	switch s {
	case "structured":
		return Structured, nil
	case "binary":
		return Binary, nil
	default:
		return 0, fmt.Errorf("content mode %q: want structured or binary", s)
	}
}

// MarshalText returns the name of m.
func (m Mode) MarshalText() ([]byte, error) {
	if m != Structured && m != Binary {
		return nil, fmt.Errorf("content mode %d: want structured or binary", int(m))
	}
	return []byte(m.String()), nil
}

// UnmarshalText sets m from its name, so configuration can hold a Mode
// (OFFBOARDING_OUTPUT_MODE=binary).
func (m *Mode) UnmarshalText(b []byte) error {
	v, err := ParseMode(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// valid reports whether m is a known mode.
func (m Mode) valid() bool { return m == Structured || m == Binary }
