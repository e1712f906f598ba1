package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Validate checks the rules of CONTRACT section 2 that the Go type does not enforce: one of UserID
// and Email, GUIDs, positive entry ids, and the length of Reason. It accepts everything the
// employee-terminated schema accepts (it does not check the e-mail syntax beyond an "@"), so
// what Decoder.Decode returns always passes. It returns a *DecodeError naming the field.
func (d TerminationData) Validate() error {
	if d.UserID == "" && d.Email == "" {
		return malformed("data.userId", "is required: give one of userId, email")
	}
	for _, f := range []struct{ name, value string }{
		{"userId", d.UserID}, {"archiveOwnerId", d.ArchiveOwnerID}, {"hrGroupId", d.HRGroupID},
	} {
		if f.value != "" && !IsGUID(f.value) {
			return malformed("data."+f.name, "is not a GUID")
		}
	}
	if d.Email != "" && !strings.Contains(d.Email, "@") {
		return malformed("data.email", "is not a valid email")
	}
	for _, f := range []struct {
		name string
		id   EntryID
	}{
		{"workspaceFolderId", d.WorkspaceFolderID}, {"archiveRoomId", d.ArchiveRoomID}, {"archiveFolderId", d.ArchiveFolderID},
	} {
		if f.id < 0 {
			return malformed("data."+f.name, "is not a positive integer")
		}
	}
	return validReason("data.reason", d.Reason)
}

// Validate checks that TerminationID is set and Reason is not too long. It returns a *DecodeError
// naming the field.
func (c CancellationData) Validate() error {
	if c.TerminationID == "" {
		return malformed("data.terminationId", "is required")
	}
	return validReason("data.reason", c.Reason)
}

func validReason(field, reason string) error {
	if n := utf8.RuneCountInString(reason); n > MaxReasonLength {
		return malformed(field, "is longer than "+strconv.Itoa(MaxReasonLength)+" characters")
	}
	return nil
}

// Validate checks r against the rules of the offboarding-result schema: the termination is named,
// Status and step statuses are known, a completed result has a Report and a failed one an Error,
// ids are GUIDs or positive, and step details are JSON objects (or nil, sent as {}).
func (r Result) Validate() error {
	if r.TerminationID == "" {
		return invalid("terminationId", "is required")
	}
	if r.UserID != "" && !IsGUID(r.UserID) {
		return invalid("userId", "is not a GUID")
	}
	switch r.Status {
	case StatusCompleted, StatusFailed, StatusCancelled, StatusPlanned:
	default:
		return invalid("status", "is not one of completed, failed, cancelled, planned")
	}
	if utf8.RuneCountInString(r.Reason) > MaxReasonLength {
		return invalid("reason", "is longer than "+strconv.Itoa(MaxReasonLength)+" characters")
	}
	for i, s := range r.Steps {
		if err := s.validate(); err != nil {
			return prefixed("steps["+strconv.Itoa(i)+"]", err)
		}
	}
	if r.Status == StatusCompleted && r.Report == nil {
		return invalid("report", "is required when status is completed")
	}
	if r.Status == StatusFailed && r.Error == nil {
		return invalid("error", "is required when status is failed")
	}
	if r.Error != nil && r.Error.Code == "" {
		return invalid("error.code", "is required")
	}
	if r.Report != nil {
		if err := r.Report.validate(); err != nil {
			return prefixed("report", err)
		}
	}
	return nil
}

func (s Step) validate() error {
	if s.Name == "" {
		return invalid("name", "is required")
	}
	switch s.Status {
	case StepDone, StepSkipped, StepFailed, StepPlanned:
	default:
		return invalid("status", "is not one of done, skipped, failed, planned")
	}
	if s.Attempts < 0 {
		return invalid("attempts", "is negative")
	}
	if d := bytes.TrimSpace(s.Detail); len(d) > 0 && !bytes.Equal(d, []byte("null")) && !isJSONObject(d) {
		return invalid("detail", "is not a JSON object")
	}
	return nil
}

func (r *Report) validate() error {
	if !IsGUID(r.User.ID) {
		return invalid("user.id", "is not a GUID")
	}
	if !IsGUID(r.Reassigned.ToUserID) {
		return invalid("reassigned.toUserId", "is not a GUID")
	}
	if r.Reassigned.Outcome == "" {
		return invalid("reassigned.outcome", "is required")
	}
	for i, room := range r.Reassigned.Rooms {
		if room.ID <= 0 {
			return invalid("reassigned.rooms["+strconv.Itoa(i)+"].id", "is not a positive integer")
		}
	}
	if a := r.Archive; a != nil && (a.FolderID <= 0 || a.ParentID <= 0 || a.RoomID <= 0) {
		return invalid("archive", "folderId, parentId and roomId must be positive integers")
	}
	for i, g := range r.Access {
		at := "access[" + strconv.Itoa(i) + "]"
		if !IsGUID(g.SubjectID) {
			return invalid(at+".subjectId", "is not a GUID")
		}
		if g.SubjectType != "user" && g.SubjectType != "group" {
			return invalid(at+".subjectType", "is not user or group")
		}
	}
	if r.Audit.EventCount < 0 || r.Audit.LoginCount < 0 {
		return invalid("audit", "counts must not be negative")
	}
	for i, x := range r.Exports {
		at := "exports[" + strconv.Itoa(i) + "]"
		if x.Kind != "audit-csv" && x.Kind != "report-json" {
			return invalid(at+".kind", "is not audit-csv or report-json")
		}
		if x.FileID <= 0 || x.FolderID <= 0 {
			return invalid(at, "fileId and folderId must be positive integers")
		}
	}
	for i, l := range r.LeftBehind {
		if l.Kind == "" {
			return invalid("leftBehind["+strconv.Itoa(i)+"].kind", "is required")
		}
	}
	return nil
}

// Validate checks p against the rules of the offboarding-progress schema.
func (p Progress) Validate() error {
	if p.TerminationID == "" {
		return invalid("terminationId", "is required")
	}
	if p.UserID != "" && !IsGUID(p.UserID) {
		return invalid("userId", "is not a GUID")
	}
	if p.Step == "" {
		return invalid("step", "is required")
	}
	switch p.Status {
	case StepDone, StepSkipped, StepFailed, StepPlanned, StepRunning:
	default:
		return invalid("status", "is not one of done, skipped, failed, planned, running")
	}
	if p.Attempt < 1 {
		return invalid("attempt", "must be at least 1")
	}
	if p.Percentage < 0 || p.Percentage > 100 {
		return invalid("percentage", "is not between 0 and 100")
	}
	return nil
}

// invalid returns an error about a field of an output event.
func invalid(field, reason string) error { return errors.New(field + " " + reason) }

// prefixed puts a path in front of the field an invalid error names.
func prefixed(path string, err error) error { return errors.New(path + "." + err.Error()) }

// IsGUID reports whether s is a GUID in 8-4-4-4-12 hexadecimal form, the pattern of the schemas'
// guid definition.
func IsGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
				return false
			}
		}
	}
	return true
}

// isJSONObject reports whether b is one JSON object.
func isJSONObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{' && json.Valid(b)
}
