package offboarding

import (
	"context"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// SealDetail is the detail of the seal step.
type SealDetail struct {
	RoomID events.EntryID `json:"roomId"`
	// AlreadyArchived is true when the room was in the Archive already.
	AlreadyArchived bool   `json:"alreadyArchived"`
	Note            string `json:"note,omitempty"`
}

// seal moves the employee's archive room into DocSpace's Archive, after access
// is set and the report exported: an archived room refuses both.
func (x *run) seal(ctx context.Context) (events.StepStatus, any, error) {
	dest := x.st.Plan.Destination
	d := SealDetail{RoomID: dest.RoomID}
	if dest.Kind != DestEmployeeRoom {
		d.Note = "the archive is a shared room, which is left as it is"
		return events.StepSkipped, d, nil
	}
	room, err := x.c.Room(ctx, int(dest.RoomID))
	if err != nil {
		return "", nil, classify(StepSeal, "read the archive room", err)
	}
	if room.RootFolderType == docspace.FolderTypeArchive {
		d.AlreadyArchived = true
		x.markSealed()
		return events.StepDone, d, nil
	}
	p := &x.st.Produced
	if p.SealOperationID == "" {
		op, err := x.c.ArchiveRoom(ctx, int(dest.RoomID))
		if err != nil {
			return "", nil, classify(StepSeal, "archive the room", err)
		}
		p.SealOperationID = op.ID
		if err := x.save(ctx); err != nil {
			return "", nil, err
		}
	}
	_, opErr, err := x.waitOperation(ctx, StepSeal, "wait for the room to be archived", p.SealOperationID, nil)
	if err != nil {
		return "", nil, err
	}
	room, err = x.c.Room(ctx, int(dest.RoomID))
	if err != nil {
		return "", nil, classify(StepSeal, "read the archive room back", err)
	}
	if room.RootFolderType != docspace.FolderTypeArchive {
		p.SealOperationID = ""
		if opErr != nil {
			return "", nil, permanent(StepSeal, CodeMoveFailed, "DocSpace could not archive room %d: %s", dest.RoomID, opErr.Message)
		}
		return "", nil, &Error{Step: StepSeal, Code: CodeMoveFailed, Retryable: true, Message: "the archive room is not in DocSpace's Archive yet; it will be archived again"}
	}
	x.markSealed()
	return events.StepDone, d, nil
}

func (x *run) markSealed() {
	if a := x.st.Produced.Archive; a != nil {
		a.RoomArchived = true
		a.URL = x.archivedFolderURL(a.RoomID, a.FolderID)
	}
}
