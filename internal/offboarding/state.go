package offboarding

import (
	"encoding/json"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// Request is one termination to carry out.
type Request struct {
	// ID and Source are the input event's id and source; together they
	// identify the termination.
	ID     string
	Source string
	Data   events.TerminationData
}

// State is the durable progress of one termination. The caller stores it at
// every checkpoint and hands it back on redelivery; Run picks up from it.
type State struct {
	TerminationID     string                 `json:"terminationId"`
	TerminationSource string                 `json:"terminationSource"`
	Request           events.TerminationData `json:"request"`
	// Plan is what the preflight resolved; nil until the preflight passed.
	Plan *Plan `json:"plan,omitempty"`
	// Attempts counts runs that started, including ones cut short by a crash.
	Attempts int `json:"attempts"`
	// Round counts how often the termination was reopened after its retry
	// budget ran out.
	Round     int         `json:"round,omitempty"`
	StartedAt time.Time   `json:"startedAt"`
	Steps     []StepState `json:"steps"`
	Produced  Produced    `json:"produced"`
	// LastError is the most recent failure that was retried.
	LastError *events.Error `json:"lastError,omitempty"`
	// Result is the final outcome, set once; a termination with a result is finished.
	Result *events.Result `json:"result,omitempty"`
}

// NewState starts the state of a termination that has not run yet.
func NewState(r Request, now time.Time) *State {
	return &State{
		TerminationID:     r.ID,
		TerminationSource: r.Source,
		Request:           r.Data,
		StartedAt:         now.UTC(),
	}
}

// Finished reports whether the termination has a final result.
func (s *State) Finished() bool { return s.Result != nil }

// Reopen turns a termination that failed only because its retry budget ran
// out back into an unfinished one, with a fresh budget: publishing it again is
// how an operator retries it. It resumes from its checkpoints. Reopen reports
// whether it did anything; other results are final.
func (s *State) Reopen() bool {
	r := s.Result
	if r == nil || r.Status != events.StatusFailed || r.Error == nil || !r.Error.Retryable {
		return false
	}
	for i := range s.Steps {
		if s.Steps[i].Status == events.StepFailed {
			s.Steps[i].Status, s.Steps[i].FinishedAt, s.Steps[i].Detail = "", time.Time{}, nil
		}
	}
	s.Result, s.Attempts = nil, 0
	s.Round++
	return true
}

// Plan is the resolved target of a termination.
type Plan struct {
	ServiceAccountID string `json:"serviceAccountId"`
	User             Person `json:"user"`
	Owner            Person `json:"owner"`
	// HRGroup is empty when no group gets read access.
	HRGroupID string `json:"hrGroupId,omitempty"`
	// Folder is the workspace folder to archive; zero when there is none.
	Folder      events.EntryID `json:"folderId,omitempty"`
	FolderTitle string         `json:"folderTitle,omitempty"`
	Destination Destination    `json:"destination"`
	DryRun      bool           `json:"dryRun,omitempty"`
}

// Person is a DocSpace user as the plan knows them.
type Person struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName,omitempty"`
	FirstName   string `json:"firstName,omitempty"`
	LastName    string `json:"lastName,omitempty"`
	Email       string `json:"email,omitempty"`
	Type        string `json:"type,omitempty"`
	Status      string `json:"status,omitempty"`
}

// Destination kinds.
const (
	// DestEmployeeRoom is a room made for this employee; the service sets its access.
	DestEmployeeRoom = "employee-room"
	// DestSharedRoom is an existing room named by the event or configuration; access is checked, not changed.
	DestSharedRoom = "shared-room"
	// DestFolder is a folder inside an existing room; that room's access is checked.
	DestFolder = "folder"
)

// Destination is where the workspace folder goes.
type Destination struct {
	Kind string `json:"kind"`
	// RoomID is the room (for DestEmployeeRoom, set once the room exists).
	RoomID    events.EntryID `json:"roomId,omitempty"`
	RoomTitle string         `json:"roomTitle,omitempty"`
	// FolderID is the folder inside RoomID for DestFolder.
	FolderID events.EntryID `json:"folderId,omitempty"`
}

// target is the folder that receives the workspace folder.
func (d Destination) target() events.EntryID {
	if d.Kind == DestFolder {
		return d.FolderID
	}
	return d.RoomID
}

// StepState is the durable state of one step.
type StepState struct {
	Name       string            `json:"name"`
	Status     events.StepStatus `json:"status,omitempty"` // empty: not finished
	Attempts   int               `json:"attempts"`
	StartedAt  time.Time         `json:"startedAt,omitzero"`
	FinishedAt time.Time         `json:"finishedAt,omitzero"`
	Detail     json.RawMessage   `json:"detail,omitempty"`
}

// Produced records every side effect as it happens, so a resumed run finds
// what an interrupted one did instead of doing it again.
type Produced struct {
	StatusBefore      string                  `json:"statusBefore,omitempty"`
	RoomsBefore       []events.EntryRef       `json:"roomsBefore,omitempty"`
	RoomsListed       bool                    `json:"roomsListed,omitempty"`
	ReassignJobID     string                  `json:"reassignJobId,omitempty"`
	RoomCreated       bool                    `json:"roomCreated,omitempty"`
	MoveOperationID   string                  `json:"moveOperationId,omitempty"`
	Archive           *events.ArchiveLocation `json:"archive,omitempty"`
	Access            []events.AccessGrant    `json:"access,omitempty"`
	AuditFrom         time.Time               `json:"auditFrom,omitzero"`
	AuditTo           time.Time               `json:"auditTo,omitzero"`
	AuditCSVRequested time.Time               `json:"auditCsvRequested,omitzero"`
	AuditCSVFileID    events.EntryID          `json:"auditCsvFileId,omitempty"`
	AuditCSVMoveOp    string                  `json:"auditCsvMoveOp,omitempty"`
	// AuditCSVUnavailable is set when the portal's tariff has no audit report.
	AuditCSVUnavailable bool                  `json:"auditCsvUnavailable,omitempty"`
	Exports             []events.ExportedFile `json:"exports,omitempty"`
	LeftBehind          []events.LeftBehind   `json:"leftBehind,omitempty"`
	Audit               *events.AuditTrail    `json:"audit,omitempty"`
	SealOperationID     string                `json:"sealOperationId,omitempty"`
	// InDoubt records, per kind of write DocSpace does not make idempotent
	// (room, report, audit-csv), when a request was sent whose answer was
	// lost: DocSpace may still act on it.
	InDoubt     map[string]time.Time `json:"inDoubt,omitempty"`
	Reactivated bool                 `json:"reactivated,omitempty"`
}

// step returns the state of the named step, adding it when missing.
func (s *State) step(name string) *StepState {
	for i := range s.Steps {
		if s.Steps[i].Name == name {
			return &s.Steps[i]
		}
	}
	s.Steps = append(s.Steps, StepState{Name: name})
	return &s.Steps[len(s.Steps)-1]
}
