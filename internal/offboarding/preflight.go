package offboarding

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// preflight checks everything the steps will need before any of them changes
// anything, and resolves the plan. Its failures are permanent unless DocSpace
// itself failed.
func (x *run) preflight(ctx context.Context) (*Plan, error) {
	req := x.st.Request
	d := x.r.opts.Defaults

	self, err := x.c.Self(ctx)
	if err != nil {
		return nil, classify("", "read the service account", err)
	}
	if !self.IsAdmin && !self.IsOwner {
		return nil, permanent("", CodeInsufficientRights,
			"the API key's account %s is not a DocSpace admin; reassigning content and reading the audit trail need one", self.ID)
	}

	user, err := x.resolveUser(ctx, req)
	if err != nil {
		return nil, err
	}
	switch {
	case user.IsOwner:
		return nil, permanent("", CodeProtectedUser, "user %s is the DocSpace owner, who cannot be disabled", user.ID)
	case user.ID == self.ID:
		return nil, permanent("", CodeProtectedUser, "user %s is the service account this offboarding runs as", user.ID)
	case user.IsLDAP:
		return nil, permanent("", CodeProtectedUser, "user %s comes from LDAP; DocSpace refuses to change its status: disable it in the directory", user.ID)
	case user.IsAdmin && !self.IsOwner:
		return nil, permanent("", CodeInsufficientRights, "user %s is a DocSpace admin; only the owner's API key may disable and reassign an admin", user.ID)
	}

	plan := &Plan{ServiceAccountID: self.ID, User: person(user), DryRun: req.DryRun}

	ownerID := cmp.Or(req.ArchiveOwnerID, d.ArchiveOwnerID)
	if ownerID == "" {
		return nil, permanent("", CodeArchiveOwnerMissing, "no archive owner: the event has no archiveOwnerId and OFFBOARDING_ARCHIVE_OWNER_ID is not set")
	}
	owner, err := x.c.User(ctx, ownerID)
	switch {
	case errors.Is(err, docspace.ErrNotFound):
		return nil, permanent("", CodeArchiveOwnerNotFound, "archive owner %s does not exist in DocSpace", ownerID)
	case err != nil:
		return nil, classify("", "read the archive owner", err)
	case owner.ID == user.ID:
		return nil, permanent("", CodeArchiveOwnerInvalid, "the archive owner %s is the person being offboarded", ownerID)
	case owner.Status != docspace.UserStatusActive:
		return nil, permanent("", CodeArchiveOwnerInvalid, "archive owner %s is %s; DocSpace reassigns content only to an Active user", ownerID, owner.Status)
	case !canReceive(owner):
		return nil, permanent("", CodeArchiveOwnerInvalid, "archive owner %s is a %s; DocSpace reassigns content only to a RoomAdmin or DocSpaceAdmin", ownerID, owner.Type())
	}
	plan.Owner = person(owner)

	if gid := cmp.Or(req.HRGroupID, d.HRGroupID); gid != "" {
		g, err := x.c.Group(ctx, gid)
		switch {
		case errors.Is(err, docspace.ErrNotFound):
			return nil, permanent("", CodeHRGroupNotFound, "HR group %s does not exist in DocSpace", gid)
		case err != nil:
			return nil, classify("", "read the HR group", err)
		}
		plan.HRGroupID = g.ID
	}

	if req.WorkspaceFolderID != 0 {
		f, err := x.c.Folder(ctx, int(req.WorkspaceFolderID))
		switch {
		case errors.Is(err, docspace.ErrNotFound):
			return nil, permanent("", CodeFolderNotFound, "workspace folder %d does not exist", req.WorkspaceFolderID)
		case errors.Is(err, docspace.ErrForbidden):
			return nil, permanent("", CodeFolderNotMovable, "the service account cannot see workspace folder %d; it must sit in a room the service account owns or manages (nobody, not even an admin, can open another user's My documents)", req.WorkspaceFolderID)
		case err != nil:
			return nil, classify("", "read the workspace folder", err)
		}
		if err := movable(f); err != nil {
			return nil, err
		}
		plan.Folder, plan.FolderTitle = events.EntryID(f.ID), f.Title
	}

	dest, err := x.destination(ctx, plan)
	if err != nil {
		return nil, err
	}
	if plan.Folder != 0 && dest.Kind != DestEmployeeRoom {
		if err := x.checkSharedTarget(ctx, plan, dest); err != nil {
			return nil, err
		}
	}
	plan.Destination = dest
	return plan, nil
}

// checkSharedTarget checks what a move into an existing room or folder needs:
// the target is not the workspace folder or inside it, and no folder there has
// the workspace folder's title (DocSpace would merge the two, mixing one
// person's files into another's archive, and leave same-named files behind).
func (x *run) checkSharedTarget(ctx context.Context, plan *Plan, dest Destination) error {
	target := int(dest.target())
	if events.EntryID(target) == plan.Folder {
		return permanent("", CodeArchiveFolderInvalid, "the workspace folder %d cannot be archived into itself", plan.Folder)
	}
	c, err := x.c.FolderContents(ctx, target, docspace.ListQuery{FilterValue: plan.FolderTitle, Count: 100})
	if err != nil {
		return classify("", "read the archive destination", err)
	}
	for _, p := range c.PathParts {
		if events.EntryID(p.ID) == plan.Folder {
			return permanent("", CodeArchiveFolderInvalid, "archive folder %d is inside workspace folder %d, which cannot move into itself", target, plan.Folder)
		}
	}
	for _, f := range c.Folders {
		if f.Title == plan.FolderTitle && events.EntryID(f.ID) != plan.Folder {
			return permanent("", CodeArchiveNameConflict,
				"archive %d already holds a folder titled %q (%d); DocSpace would merge the two: rename one of them, or archive into another room", target, plan.FolderTitle, f.ID)
		}
	}
	return nil
}

func (x *run) resolveUser(ctx context.Context, req events.TerminationData) (*docspace.User, error) {
	if req.UserID != "" {
		u, err := x.c.User(ctx, req.UserID)
		switch {
		case errors.Is(err, docspace.ErrNotFound):
			return nil, permanent("", CodeUserNotFound, "user %s does not exist in DocSpace", req.UserID)
		case err != nil:
			return nil, classify("", "read the user", err)
		}
		if req.Email != "" && !strings.EqualFold(strings.TrimSpace(req.Email), u.Email) {
			return nil, permanent("", CodeUserMismatch, "userId %s and email %q name different people", req.UserID, req.Email)
		}
		return u, nil
	}
	u, err := x.c.UserByEmail(ctx, req.Email)
	switch {
	case errors.Is(err, docspace.ErrNotFound):
		return nil, permanent("", CodeUserNotFound, "no DocSpace user has the email %q", req.Email)
	case err != nil:
		return nil, classify("", "look up the user by email", err)
	}
	return u, nil
}

// canReceive reports whether DocSpace accepts u as the target of a reassign.
func canReceive(u *docspace.User) bool {
	t := u.Type()
	return u.IsOwner || t == docspace.EmployeeTypeRoomAdmin || t == docspace.EmployeeTypeDocSpaceAdmin
}

// movable checks that the service account may move folder f into a room.
func movable(f *docspace.Folder) error {
	switch {
	case f.IsRoom():
		return permanent("", CodeFolderNotMovable, "workspace folder %d is a room, not a folder inside one; name a folder, or archive the room itself", f.ID)
	case f.RootFolderType == docspace.FolderTypeUser:
		return permanent("", CodeFolderNotMovable, "workspace folder %d is in someone's My documents, which no admin can move; keep workspaces in a room the service account manages", f.ID)
	case f.RootFolderType == docspace.FolderTypeArchive:
		return permanent("", CodeFolderNotMovable, "workspace folder %d is in an archived room, whose content cannot move", f.ID)
	case f.Security != nil && !f.Security["Move"]:
		return permanent("", CodeFolderNotMovable, "the service account may not move workspace folder %d; make it the room's owner or a RoomManager", f.ID)
	}
	return nil
}

// destination resolves where the folder goes: a folder inside a room, a shared
// room, or a room made for this employee.
func (x *run) destination(ctx context.Context, plan *Plan) (Destination, error) {
	req, d := x.st.Request, x.r.opts.Defaults
	if req.ArchiveFolderID != 0 {
		c, err := x.c.FolderContents(ctx, int(req.ArchiveFolderID), docspace.ListQuery{Count: 1})
		switch {
		case errors.Is(err, docspace.ErrNotFound):
			return Destination{}, permanent("", CodeArchiveRoomNotFound, "archive folder %d does not exist", req.ArchiveFolderID)
		case errors.Is(err, docspace.ErrForbidden):
			return Destination{}, permanent("", CodeArchiveFolderInvalid, "the service account cannot open archive folder %d", req.ArchiveFolderID)
		case err != nil:
			return Destination{}, classify("", "read the archive folder", err)
		}
		room, ok := roomOf(c)
		switch {
		case !canCreateIn(&c.Current):
			return Destination{}, permanent("", CodeArchiveFolderInvalid, "the service account may not add content to archive folder %d; make it the room's owner or a RoomManager", req.ArchiveFolderID)
		case c.Current.RootFolderType == docspace.FolderTypeArchive:
			return Destination{}, permanent("", CodeArchiveFolderInvalid, "archive folder %d is in an archived room, which accepts no content", req.ArchiveFolderID)
		case c.Current.IsRoom():
			return Destination{Kind: DestSharedRoom, RoomID: events.EntryID(c.Current.ID), RoomTitle: c.Current.Title}, nil
		case !ok:
			return Destination{}, permanent("", CodeArchiveFolderInvalid, "archive folder %d is not inside a room; archives live in rooms so that their access can be controlled", req.ArchiveFolderID)
		}
		return Destination{Kind: DestFolder, RoomID: events.EntryID(room.ID), RoomTitle: room.Title, FolderID: req.ArchiveFolderID}, nil
	}

	roomID := req.ArchiveRoomID
	if roomID == 0 {
		roomID = d.ArchiveRoomID
	}
	if roomID != 0 {
		r, err := x.c.Room(ctx, int(roomID))
		switch {
		case errors.Is(err, docspace.ErrNotFound):
			return Destination{}, permanent("", CodeArchiveRoomNotFound, "archive room %d does not exist", roomID)
		case errors.Is(err, docspace.ErrForbidden):
			return Destination{}, permanent("", CodeArchiveRoomInvalid, "the service account cannot open archive room %d", roomID)
		case err != nil:
			return Destination{}, classify("", "read the archive room", err)
		case !r.IsRoom():
			return Destination{}, permanent("", CodeArchiveRoomInvalid, "archive room %d is a folder, not a room; pass it as archiveFolderId", roomID)
		case r.RootFolderType == docspace.FolderTypeArchive:
			return Destination{}, permanent("", CodeArchiveRoomInvalid, "archive room %d is in DocSpace's Archive, which accepts no content; restore it or name another room", roomID)
		case !canCreateIn(r):
			return Destination{}, permanent("", CodeArchiveRoomInvalid, "the service account may not add content to archive room %d (an admin who is not a member can only read it); make it the room's owner or a RoomManager", roomID)
		}
		return Destination{Kind: DestSharedRoom, RoomID: roomID, RoomTitle: r.Title}, nil
	}
	return Destination{Kind: DestEmployeeRoom, RoomTitle: roomTitle(plan.User, x.st.Request.EmployeeID)}, nil
}

// canCreateIn reports whether the caller may add content to f, as far as
// DocSpace says (a portal that sends no security map is given the benefit of
// the doubt; the move itself is checked anyway).
func canCreateIn(f *docspace.Folder) bool {
	if f.Security == nil {
		return true
	}
	return f.Security["Create"]
}

// roomOf finds the room a folder listing sits in, from its path.
func roomOf(c *docspace.FolderContents) (docspace.PathPart, bool) {
	for _, p := range c.PathParts {
		if p.RoomType != 0 {
			return p, true
		}
	}
	return docspace.PathPart{}, false
}

// maxTitle is DocSpace's limit on folder and room titles.
const maxTitle = 165

// roomTitle names the room made for one employee. It is deterministic, so a
// resumed run finds the room an interrupted one created.
func roomTitle(u Person, employeeID string) string {
	id := employeeID
	if id == "" {
		id = u.ID
	}
	if len(id) > 40 {
		// An HRIS id that long would crowd out the name: keep it recognisable and unique.
		id = truncate(id, 24) + "~" + shortHash("", id)
	}
	name := u.DisplayName
	if name == "" {
		name = strings.TrimSpace(u.FirstName + " " + u.LastName)
	}
	suffix := fmt.Sprintf(" (%s)", id)
	prefix := "Offboarding archive: "
	if room := maxTitle - len(prefix) - len(suffix); len(name) > room {
		name = truncate(name, room)
	}
	return prefix + name + suffix
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func person(u *docspace.User) Person {
	return Person{
		ID: u.ID, DisplayName: u.DisplayName, FirstName: u.FirstName, LastName: u.LastName,
		Email: u.Email, Type: u.Type().String(), Status: u.Status.String(),
	}
}
