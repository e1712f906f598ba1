package events

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrMalformed means an event cannot be used as it is: a retry cannot help. Every error the
// decoders return for a bad message matches it with errors.Is; errors.As gives a *DecodeError
// with the details.
var ErrMalformed = errors.New("malformed event")

// DecodeError says which part of an event is malformed, and why.
//
// ID and Source are the event's id and source when they could be read, even though the event as a
// whole was refused: with a usable ID the consumer reports the failure on offboarding.failed
// (error code invalid_event), without one it dead-letters the message. Reason never quotes values
// from the event, so the error is safe to log.
type DecodeError struct {
	// Field names the malformed part: a context attribute ("id", "specversion", "type",
	// "datacontenttype", ...), a data member ("data.userId"), "data" for the data as a whole,
	// "body" for a body that is not a JSON event, "content-type" for a structured message's
	// media type, or "event" for an event over MaxEventSize.
	Field string
	// Reason says what is wrong with Field.
	Reason string
	// ID is the event id, when it could be read.
	ID string
	// Source is the event source, when it could be read.
	Source string
}

// maxQuoted bounds the id and source quoted in an error message.
const maxQuoted = 128

// Error returns "malformed event "<id>" from "<source>": <field>: <reason>", leaving out what is
// unknown.
func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString("malformed event")
	if e.ID != "" {
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(truncate(e.ID, maxQuoted)))
	}
	if e.Source != "" {
		b.WriteString(" from ")
		b.WriteString(strconv.Quote(truncate(e.Source, maxQuoted)))
	}
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// Is reports whether target is ErrMalformed.
func (e *DecodeError) Is(target error) bool { return target == ErrMalformed }

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// maxField bounds the length of DecodeError.Field; member and header names come from the event.
const maxField = 64

// malformed returns a *DecodeError for field. A member path made only of empty member names
// ("" at the top of a structured event) is reported as the body; a field that is too long or
// holds control characters (names come from the event) is shortened and quoted, so the error is
// safe to log.
func malformed(field, reason string) *DecodeError {
	switch {
	case field == "":
		field = "body"
	case len(field) > maxField || HasControl(field) || !utf8.ValidString(field):
		field = strconv.Quote(truncate(strings.ToValidUTF8(field, "\ufffd"), maxField))
	}
	return &DecodeError{Field: field, Reason: reason}
}
