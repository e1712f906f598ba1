package publisher

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrInvalid matches every error about an event the service would refuse, or a CSV file that
// cannot be read into events. Nothing was published when an operation returns it.
var ErrInvalid = errors.New("invalid event")

// ErrNoStore is returned by Status when the Publisher has no checkpoint store.
var ErrNoStore = errors.New("no checkpoint store configured")

// ErrNoStream means no JetStream stream answered for the subject events are published to: the
// service has not created its streams yet, OFFBOARDING_INPUT_SUBJECT names another subject, or
// the stream has no leader at the moment.
var ErrNoStream = errors.New("no stream answered for the subject (the service creates its streams when it starts)")

// ValidationError says which part of an event would be refused, and why. It matches ErrInvalid.
type ValidationError struct {
	// Field names the part at fault as events.DecodeError does: "id", "source", a data member
	// ("data.userId"), "data", or "event" for an event over events.MaxEventSize.
	Field string
	// Reason says what is wrong with Field; it quotes no value.
	Reason string
	// Err is the decoder's error, when the decoder found the fault.
	Err error
}

// Error returns "<field>: <reason>".
func (e *ValidationError) Error() string {
	if e.Field == "" {
		return e.Reason
	}
	return e.Field + ": " + e.Reason
}

// Is reports whether target is ErrInvalid.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Unwrap returns the decoder's error, if any.
func (e *ValidationError) Unwrap() error { return e.Err }

// ItemError is the failure of one termination of a batch.
type ItemError struct {
	// Index is the termination's position in the batch.
	Index int
	// ID is its id, when it was known.
	ID  string
	Err error
}

// Error returns "termination <index> (<id>): <err>".
func (e *ItemError) Error() string {
	var b strings.Builder
	b.WriteString("termination ")
	b.WriteString(strconv.Itoa(e.Index))
	if e.ID != "" {
		b.WriteString(" (")
		b.WriteString(strconv.Quote(e.ID))
		b.WriteString(")")
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the failure.
func (e *ItemError) Unwrap() error { return e.Err }

// BatchError lists the terminations of a batch that failed, in index order. errors.Is looks
// through every item: a batch refused before publishing matches ErrInvalid.
type BatchError struct {
	Items []*ItemError
}

// Error summarises the failures: the count and the first one.
func (e *BatchError) Error() string {
	switch len(e.Items) {
	case 0:
		return "no terminations failed"
	case 1:
		return e.Items[0].Error()
	default:
		return fmt.Sprintf("%d terminations failed; first: %v", len(e.Items), e.Items[0])
	}
}

// Unwrap returns every item's error.
func (e *BatchError) Unwrap() []error {
	errs := make([]error, len(e.Items))
	for i, it := range e.Items {
		errs[i] = it
	}
	return errs
}

// Problem is one fault ParseCSV found: where, and what.
type Problem struct {
	// Line is the line of the file the fault is on (of a row, the line it starts on); 1 is the
	// header.
	Line int `json:"line"`
	// Column is the 1-based column of the cell at fault; 0 when the fault is the whole row.
	Column int `json:"column,omitempty"`
	// Header is the column's name, when Column is set and the column has one.
	Header string `json:"header,omitempty"`
	// Reason says what is wrong.
	Reason string `json:"reason"`
}

// String returns "line <n>, column <c> (<header>): <reason>", leaving out what is unknown.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString("line ")
	b.WriteString(strconv.Itoa(p.Line))
	if p.Column > 0 {
		b.WriteString(", column ")
		b.WriteString(strconv.Itoa(p.Column))
		if p.Header != "" {
			b.WriteString(" (")
			b.WriteString(p.Header)
			b.WriteString(")")
		}
	}
	b.WriteString(": ")
	b.WriteString(p.Reason)
	return b.String()
}

// CSVError lists every fault of a CSV file, in line order. It matches ErrInvalid.
type CSVError struct {
	Problems []Problem
}

// Error lists the problems, separated by "; ".
func (e *CSVError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return "invalid csv: " + strings.Join(parts, "; ")
}

// Is reports whether target is ErrInvalid.
func (e *CSVError) Is(target error) bool { return target == ErrInvalid }
