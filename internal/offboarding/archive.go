package offboarding

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// ArchiveDetail is the detail of the archive step.
type ArchiveDetail struct {
	events.ArchiveLocation
	// Moved is false when there was no workspace folder to move, or it was
	// already in place.
	Moved bool `json:"moved"`
	// Note explains a skipped move.
	Note string `json:"note,omitempty"`
}

// archive makes sure the destination exists (creating the employee's room when
// that is the plan) and moves the workspace folder into it.
func (x *run) archive(ctx context.Context) (events.StepStatus, any, error) {
	plan := x.st.Plan
	if err := x.ensureRoom(ctx); err != nil {
		return "", nil, err
	}
	loc := events.ArchiveLocation{
		RoomID:      plan.Destination.RoomID,
		RoomTitle:   plan.Destination.RoomTitle,
		RoomCreated: x.st.Produced.RoomCreated,
		ParentID:    plan.Destination.target(),
	}
	if plan.Folder == 0 {
		x.st.Produced.Archive = nil
		return events.StepSkipped, ArchiveDetail{ArchiveLocation: loc, Note: "the event names no workspace folder; nothing was moved"}, nil
	}
	loc.FolderID, loc.FolderTitle = plan.Folder, plan.FolderTitle

	moved, err := x.moveFolder(ctx, &loc)
	if err != nil {
		return "", nil, err
	}
	loc.URL = x.folderURL(loc.RoomID, loc.FolderID)
	x.st.Produced.Archive = &loc
	d := ArchiveDetail{ArchiveLocation: loc, Moved: moved}
	if !moved {
		d.Note = "the folder was already in the archive"
	}
	return events.StepDone, d, nil
}

// ensureRoom finds or creates the employee's archive room. The title is
// deterministic and the creation is checkpointed, so no second room appears.
func (x *run) ensureRoom(ctx context.Context) error {
	dest := &x.st.Plan.Destination
	if dest.Kind != DestEmployeeRoom {
		return nil
	}
	if dest.RoomID != 0 {
		_, err := x.c.Room(ctx, int(dest.RoomID))
		switch {
		case err == nil:
			return nil
		case errors.Is(err, docspace.ErrNotFound):
			// Deleted since it was made: make another.
			dest.RoomID = 0
		default:
			return classify(events.StepArchive, "read the archive room", err)
		}
	}
	existing, err := x.findRoom(ctx, dest.RoomTitle)
	if err != nil {
		return classify(events.StepArchive, "look for the archive room", err)
	}
	if existing != nil {
		if existing.RootFolderType == docspace.FolderTypeArchive {
			return permanent(events.StepArchive, CodeArchiveRoomInvalid,
				"the archive room %q (%d) is already in DocSpace's Archive and accepts no content; restore it to finish this offboarding", dest.RoomTitle, existing.ID)
		}
		dest.RoomID = events.EntryID(existing.ID)
		x.st.Produced.RoomCreated = x.st.Produced.RoomCreated || x.st.Produced.InDoubt["room"] != (time.Time{})
		delete(x.st.Produced.InDoubt, "room")
		return x.save(ctx)
	}
	if err := x.settle(events.StepArchive, "room"); err != nil {
		return err
	}
	sent := x.r.now()
	room, err := x.c.CreateRoom(ctx, docspace.CreateRoom{Title: dest.RoomTitle, RoomType: docspace.RoomTypeCustom})
	if err != nil {
		if inDoubt(err) {
			x.doubt("room", sent)
			if serr := x.save(ctx); serr != nil {
				return serr
			}
		}
		return classify(events.StepArchive, "create the archive room", err)
	}
	dest.RoomID = events.EntryID(room.ID)
	x.st.Produced.RoomCreated = true
	delete(x.st.Produced.InDoubt, "room")
	return x.save(ctx)
}

// findRoom returns the room with exactly this title that the service account
// owns, active or archived, or nil.
func (x *run) findRoom(ctx context.Context, title string) (*docspace.Folder, error) {
	rooms, err := x.listRooms(ctx, docspace.RoomQuery{FilterValue: title, SubjectID: x.st.Plan.ServiceAccountID, SubjectFilter: docspace.SubjectFilterOwner, SearchArea: docspace.SearchAny})
	if err != nil {
		return nil, err
	}
	for i := range rooms {
		if rooms[i].Title == title {
			return &rooms[i], nil
		}
	}
	return nil, nil
}

// moveFolder moves the workspace folder into the destination and reads the
// result back: the move is a background job whose final report can be lost
// (read once, or expired), and a same-titled folder in the destination absorbs
// the moved one, deleting its id.
func (x *run) moveFolder(ctx context.Context, loc *events.ArchiveLocation) (bool, error) {
	p := &x.st.Produced
	dest := int(x.st.Plan.Destination.target())
	id := int(loc.FolderID)

	if p.MoveOperationID == "" {
		f, err := x.c.Folder(ctx, id)
		switch {
		case errors.Is(err, docspace.ErrNotFound):
			return false, permanent(events.StepArchive, CodeFolderNotFound, "workspace folder %d no longer exists", id)
		case err != nil:
			return false, classify(events.StepArchive, "read the workspace folder", err)
		case f.ParentID == dest:
			return false, nil
		}
		op, err := x.c.Move(ctx, docspace.MoveRequest{FolderIDs: []int{id}, DestFolderID: dest})
		if err != nil {
			if errors.Is(err, docspace.ErrForbidden) {
				return false, permanent(events.StepArchive, CodeFolderNotMovable, "DocSpace refused to move folder %d into %d: %v", id, dest, err)
			}
			return false, classify(events.StepArchive, "move the workspace folder", err)
		}
		p.MoveOperationID = op.ID
		if err := x.save(ctx); err != nil {
			return false, err
		}
	}

	finished, opErr, err := x.waitOperation(ctx, events.StepArchive, "wait for the move", p.MoveOperationID, func(pct int) {
		x.progress(ctx, events.StepRunning, pct, "moving the workspace folder")
	})
	if err != nil {
		return false, err
	}

	// Decide from the state DocSpace holds now; after an item error (opErr)
	// it tells whether anything moved.
	f, ferr := x.c.Folder(ctx, id)
	switch {
	case ferr == nil && f.ParentID == dest:
		return true, nil
	case ferr == nil:
		p.MoveOperationID = ""
		if opErr != nil {
			return false, permanent(events.StepArchive, CodeMoveFailed, "DocSpace could not move folder %d: %s", id, opErr.Message)
		}
		if finished {
			// The operation was seen finishing without an error, yet nothing moved:
			// moving again would end the same way.
			return false, permanent(events.StepArchive, CodeMoveFailed, "DocSpace reported the move of folder %d into %d done, but the folder is still in %d", id, dest, f.ParentID)
		}
		if saveErr := x.save(ctx); saveErr != nil {
			return false, saveErr
		}
		return false, &Error{Step: events.StepArchive, Code: CodeMoveFailed, Retryable: true,
			Message: fmt.Sprintf("folder %d is still in %d after the move; it will be moved again", id, f.ParentID)}
	case errors.Is(ferr, docspace.ErrNotFound):
		merged, err := x.findChild(ctx, dest, loc.FolderTitle)
		if err != nil {
			return false, classify(events.StepArchive, "look for the merged folder", err)
		}
		if merged == nil {
			return false, permanent(events.StepArchive, CodeMoveFailed, "folder %d vanished during the move and no folder titled %q is in %d", id, loc.FolderTitle, dest)
		}
		loc.FolderID, loc.Merged = events.EntryID(merged.ID), true
		return true, nil
	default:
		return false, classify(events.StepArchive, "read the folder back after the move", ferr)
	}
}

// findChild returns the subfolder of parent titled title, or nil.
func (x *run) findChild(ctx context.Context, parent int, title string) (*docspace.Folder, error) {
	return findTitled(ctx, x.c, parent, title,
		func(c *docspace.FolderContents) []docspace.Folder { return c.Folders },
		func(f docspace.Folder) string { return f.Title })
}

// folderPage is how many entries one folder listing asks for.
const folderPage = 100

// findTitled returns the entry titled title directly in folder, or nil. It
// pages through the entries DocSpace's filter matches with title, looking at
// the ones entries takes from each page (its folders, or its files), and stops
// on a short page.
func findTitled[T any](ctx context.Context, c *docspace.Client, folder int, title string,
	entries func(*docspace.FolderContents) []T, titleOf func(T) string) (*T, error) {
	for start := 0; ; start += folderPage {
		page, err := c.FolderContents(ctx, folder, docspace.ListQuery{FilterValue: title, Count: folderPage, StartIndex: start})
		if err != nil {
			return nil, err
		}
		list := entries(page)
		for i := range list {
			if titleOf(list[i]) == title {
				return &list[i], nil
			}
		}
		if len(page.Folders)+len(page.Files) < folderPage {
			return nil, nil
		}
	}
}

// folderURL opens a folder inside an active room in DocSpace's web UI.
func (x *run) folderURL(room, folder events.EntryID) string { return x.webURL("shared", room, folder) }

// archivedFolderURL opens a folder inside an archived room.
func (x *run) archivedFolderURL(room, folder events.EntryID) string {
	return x.webURL("archived", room, folder)
}

func (x *run) webURL(section string, room, folder events.EntryID) string {
	base := x.c.BaseURL()
	if base == "" || room == 0 {
		return ""
	}
	q := url.Values{"folder": {folder.String()}}
	return fmt.Sprintf("%s/rooms/%s/%d/filter?%s", base, section, room, q.Encode())
}
