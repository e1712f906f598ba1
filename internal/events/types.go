package events

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"time"
)

// CloudEvents types this service consumes and produces (docs/CONTRACT.md §1).
const (
	TypeTerminated = "employee.terminated"
	TypeCancelled  = "employee.termination.cancelled"
	TypeCompleted  = "offboarding.completed"
	TypeFailed     = "offboarding.failed"
	TypeProgress   = "offboarding.progress"
)

// Subjects of the result events. The subject of a result equals its type.
const (
	SubjectCompleted  = TypeCompleted
	SubjectFailed     = TypeFailed
	SubjectProgress   = TypeProgress
	SubjectDeadLetter = "offboarding.deadletter"
)

// DefaultSource is the CloudEvents source of every event the service emits.
const DefaultSource = "/docspace-offboarding"

// MaxEventSize is the largest input event accepted, body and headers together.
const MaxEventSize = 64 << 10

// MaxReasonLength is the longest free-text reason accepted, in characters.
const MaxReasonLength = 1000

// EntryID is a DocSpace folder, room or file id. On the wire it is a JSON integer
// or a string of decimal digits; zero means absent.
type EntryID int64

// UnmarshalJSON accepts 123 and "123". Like JSON Schema's integer, it also accepts a JSON
// number with a zero fraction or an exponent (123.0, 1.23e2); the string form is digits only.
func (id *EntryID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	quoted := len(b) > 0 && b[0] == '"'
	if quoted {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("entry id: %w", err)
		}
		b = []byte(s)
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil && !quoted {
		n, err = parseIntegral(b)
	}
	if err != nil || n <= 0 {
		return fmt.Errorf("entry id %s: not a positive integer", strconv.Quote(string(b)))
	}
	*id = EntryID(n)
	return nil
}

// parseIntegral parses a JSON number that denotes an integer in the int64 range.
func parseIntegral(b []byte) (int64, error) {
	if len(b) == 0 || b[0] == '"' || !json.Valid(b) || !numberInRange(string(b)) {
		return 0, errNotIntegral
	}
	r, ok := new(big.Rat).SetString(string(b))
	if !ok || !r.IsInt() || !r.Num().IsInt64() {
		return 0, errNotIntegral
	}
	return r.Num().Int64(), nil
}

// String returns the decimal form of id.
func (id EntryID) String() string { return strconv.FormatInt(int64(id), 10) }

// TerminationData is the data of an employee.terminated event.
// One of UserID and Email is set.
type TerminationData struct {
	UserID            string     `json:"userId,omitempty"`
	Email             string     `json:"email,omitempty"`
	EmployeeID        string     `json:"employeeId,omitempty"`
	WorkspaceFolderID EntryID    `json:"workspaceFolderId,omitempty"`
	ArchiveRoomID     EntryID    `json:"archiveRoomId,omitempty"`
	ArchiveFolderID   EntryID    `json:"archiveFolderId,omitempty"`
	ArchiveOwnerID    string     `json:"archiveOwnerId,omitempty"`
	HRGroupID         string     `json:"hrGroupId,omitempty"`
	EffectiveAt       *time.Time `json:"effectiveAt,omitempty"`
	DryRun            bool       `json:"dryRun,omitempty"`
	Reason            string     `json:"reason,omitempty"`
}

// CancellationData is the data of an employee.termination.cancelled event.
type CancellationData struct {
	// TerminationID is the id of the employee.terminated event to cancel.
	TerminationID string `json:"terminationId"`
	// TerminationSource is its source; empty means the cancel event's own source.
	TerminationSource string `json:"terminationSource,omitempty"`
	Reason            string `json:"reason,omitempty"`
}

// Status is the outcome of a whole offboarding.
type Status string

// Outcomes of an offboarding.
const (
	StatusCompleted Status = "completed"
	StatusFailed    Status = "failed"
	StatusCancelled Status = "cancelled"
	StatusPlanned   Status = "planned" // a dry run
)

// StepStatus is the state of one step. Results carry done, skipped, failed or
// planned; progress events also use running.
type StepStatus string

// States of a step.
const (
	StepDone    StepStatus = "done"
	StepSkipped StepStatus = "skipped"
	StepFailed  StepStatus = "failed"
	StepPlanned StepStatus = "planned"
	StepRunning StepStatus = "running"
)

// Step names, in the order the workflow runs them.
const (
	StepDisable  = "disable"
	StepReassign = "reassign"
	StepArchive  = "archive"
	StepAccess   = "access"
	StepAudit    = "audit"
)

// Steps returns the step names in the order the workflow runs them, in a new
// slice the caller may change.
func Steps() []string {
	return []string{StepDisable, StepReassign, StepArchive, StepAccess, StepAudit}
}

// Result is the data of offboarding.completed and offboarding.failed (and of a
// cancelled or planned outcome, published as completed or failed per Status).
type Result struct {
	TerminationID     string    `json:"terminationId"`
	TerminationSource string    `json:"terminationSource"`
	UserID            string    `json:"userId"`
	EmployeeID        string    `json:"employeeId,omitempty"`
	Status            Status    `json:"status"`
	DryRun            bool      `json:"dryRun,omitempty"`
	Reason            string    `json:"reason,omitempty"`
	StartedAt         time.Time `json:"startedAt"`
	FinishedAt        time.Time `json:"finishedAt"`
	Steps             []Step    `json:"steps"`
	Report            *Report   `json:"report,omitempty"`
	Error             *Error    `json:"error,omitempty"`
}

// Step is what one step did.
type Step struct {
	Name       string     `json:"name"`
	Status     StepStatus `json:"status"`
	Attempts   int        `json:"attempts"`
	StartedAt  time.Time  `json:"startedAt"`
	FinishedAt time.Time  `json:"finishedAt"`
	// Detail is a step-specific JSON object.
	Detail json.RawMessage `json:"detail"`
}

// Error says why an offboarding failed.
type Error struct {
	Step      string `json:"step,omitempty"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	Retryable bool   `json:"retryable"`
}

// Report is what a completed (or planned) offboarding did and left behind.
type Report struct {
	User       ReportUser       `json:"user"`
	Reassigned Reassignment     `json:"reassigned"`
	Archive    *ArchiveLocation `json:"archive,omitempty"`
	Access     []AccessGrant    `json:"access"`
	Audit      AuditTrail       `json:"audit"`
	Exports    []ExportedFile   `json:"exports"`
	LeftBehind []LeftBehind     `json:"leftBehind"`
}

// ReportUser identifies the offboarded person.
type ReportUser struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName,omitempty"`
	Email       string `json:"email,omitempty"`
	EmployeeID  string `json:"employeeId,omitempty"`
	// Type is the DocSpace user type: DocSpaceAdmin, RoomAdmin, User or Guest.
	Type string `json:"type,omitempty"`
	// StatusBefore and StatusAfter are DocSpace user statuses: Active, Terminated, Pending.
	StatusBefore string `json:"statusBefore,omitempty"`
	StatusAfter  string `json:"statusAfter,omitempty"`
}

// Reassignment is what the reassign job moved.
type Reassignment struct {
	ToUserID      string `json:"toUserId"`
	ToDisplayName string `json:"toDisplayName,omitempty"`
	JobID         string `json:"jobId,omitempty"`
	// Outcome is completed (the job was seen finishing), pending (not yet run),
	// or planned (a dry run).
	Outcome string `json:"outcome"`
	// Rooms the leaver owned whose ownership moved to ToUserID.
	Rooms []EntryRef `json:"rooms"`
}

// EntryRef names a DocSpace folder, room or file.
type EntryRef struct {
	ID    EntryID `json:"id"`
	Title string  `json:"title,omitempty"`
}

// ArchiveLocation is where the workspace folder ended up.
type ArchiveLocation struct {
	FolderID    EntryID `json:"folderId"`
	FolderTitle string  `json:"folderTitle,omitempty"`
	// ParentID is the folder or room the workspace folder now sits in.
	ParentID  EntryID `json:"parentId"`
	RoomID    EntryID `json:"roomId"`
	RoomTitle string  `json:"roomTitle,omitempty"`
	// RoomCreated is true when the service created the room for this employee.
	RoomCreated bool `json:"roomCreated"`
	// Merged is true when a same-titled folder already in the destination absorbed
	// the workspace folder, so FolderID is that folder's id, not the original one.
	Merged bool `json:"merged"`
	// RoomArchived is true when the room was moved to DocSpace's Archive.
	RoomArchived bool `json:"roomArchived"`
	// URL opens the folder in DocSpace.
	URL string `json:"url,omitempty"`
}

// AccessGrant is one subject with access to the archive room.
type AccessGrant struct {
	SubjectID string `json:"subjectId"`
	// SubjectType is user or group.
	SubjectType string `json:"subjectType"`
	Name        string `json:"name,omitempty"`
	// Access is the DocSpace FileShare number, AccessName its name (RoomManager, Read, ...).
	Access     int    `json:"access"`
	AccessName string `json:"accessName"`
	IsOwner    bool   `json:"isOwner,omitempty"`
}

// AuditTrail is the leaver's recorded activity over a window.
type AuditTrail struct {
	From        time.Time    `json:"from"`
	To          time.Time    `json:"to"`
	EventCount  int          `json:"eventCount"`
	Events      []AuditEntry `json:"events"`
	LoginCount  int          `json:"loginCount"`
	LoginEvents []LoginEntry `json:"loginEvents"`
	// Truncated is true when more entries existed than the report keeps.
	Truncated bool `json:"truncated"`
}

// AuditEntry is one audit event.
type AuditEntry struct {
	ID       int       `json:"id"`
	Date     time.Time `json:"date"`
	ActionID int       `json:"actionId"`
	Action   string    `json:"action,omitempty"`
	UserID   string    `json:"userId,omitempty"`
	Target   []string  `json:"target,omitempty"`
}

// LoginEntry is one login-history event.
type LoginEntry struct {
	ID       int       `json:"id"`
	Date     time.Time `json:"date"`
	ActionID int       `json:"actionId"`
	Action   string    `json:"action,omitempty"`
	IP       string    `json:"ip,omitempty"`
	Browser  string    `json:"browser,omitempty"`
	Platform string    `json:"platform,omitempty"`
}

// ExportedFile is a report file stored in DocSpace.
type ExportedFile struct {
	// Kind is audit-csv (DocSpace's own audit trail report) or report-json (this report).
	Kind     string  `json:"kind"`
	FileID   EntryID `json:"fileId"`
	Title    string  `json:"title"`
	FolderID EntryID `json:"folderId"`
	URL      string  `json:"url,omitempty"`
}

// LeftBehind is something the offboarding could not or did not clean up.
type LeftBehind struct {
	Kind        string `json:"kind"`
	ID          string `json:"id,omitempty"`
	Description string `json:"description"`
}

// Progress is the data of offboarding.progress.
type Progress struct {
	TerminationID     string     `json:"terminationId"`
	TerminationSource string     `json:"terminationSource"`
	UserID            string     `json:"userId,omitempty"`
	EmployeeID        string     `json:"employeeId,omitempty"`
	Step              string     `json:"step"`
	Status            StepStatus `json:"status"`
	Attempt           int        `json:"attempt"`
	Percentage        int        `json:"percentage,omitempty"`
	Message           string     `json:"message,omitempty"`
	Time              time.Time  `json:"time"`
}
