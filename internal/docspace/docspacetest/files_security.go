package docspacetest

import (
	"slices"
	"strings"
)

// fileAction is one of DocSpace's FileSecurity actions (FileSecurity.FilesSecurityActions) that the simulator
// evaluates. The rules follow products/ASC.Files/Core/Core/Security/FileSecurity.cs (FilterEntryAsync).
type fileAction int

const (
	actRead fileAction = iota
	actCreate
	actEdit
	actDelete
	actEditRoom
	actRename
	actReadHistory
	actCopyTo
	actCopy
	actMoveTo
	actMove
	actPin
	actEditAccess
	actDuplicate
	actDownload
	actChangeOwner
)

// name is the action's key in FileEntryDto.security.
func (a fileAction) name() string {
	switch a {
	case actRead:
		return "Read"
	case actCreate:
		return "Create"
	case actEdit:
		return "Edit"
	case actDelete:
		return "Delete"
	case actEditRoom:
		return "EditRoom"
	case actRename:
		return "Rename"
	case actReadHistory:
		return "ReadHistory"
	case actCopyTo:
		return "CopyTo"
	case actCopy:
		return "Copy"
	case actMoveTo:
		return "MoveTo"
	case actMove:
		return "Move"
	case actPin:
		return "Pin"
	case actEditAccess:
		return "EditAccess"
	case actDuplicate:
		return "Duplicate"
	case actDownload:
		return "Download"
	case actChangeOwner:
		return "ChangeOwner"
	}
	return ""
}

// folderActions and fileActions are the actions rendered in the security object of folders and files.
func folderActions() []fileAction {
	return []fileAction{actRead, actCreate, actDelete, actEditRoom, actRename, actCopyTo, actCopy, actMoveTo, actMove,
		actPin, actEditAccess, actDuplicate, actDownload, actChangeOwner}
}

func fileActions() []fileAction {
	return []fileAction{actRead, actEdit, actDelete, actRename, actReadHistory, actCopy, actMove, actDuplicate,
		actDownload}
}

// area is the part of the portal an entry lies in, from its root folder's type.
type area int

const (
	areaOther   area = iota
	areaMy           // a user's My documents (FolderType USER)
	areaTrash        // a user's Trash
	areaRooms        // the Rooms section
	areaArchive      // the Archive
)

// areaOf returns the area of e.
func (st *state) areaOf(e *Entry) area { return rootArea(st.root(e)) }

// rootArea returns the area below root, a top-level folder.
func rootArea(root *Entry) area {
	switch root.FolderType {
	case FolderUser:
		return areaMy
	case FolderTrash:
		return areaTrash
	case FolderVirtualRooms:
		return areaRooms
	case FolderArchive:
		return areaArchive
	}
	return areaOther
}

// ace is the share record that decides a caller's access to an entry: the nearest record for the user
// themself, else the nearest record for one of their groups (the most privileged one at the same level),
// as FileSecurity.GetCurrentShareAsync orders them.
type ace struct {
	access FileShare
	// level is the distance from the entry to the record's entry: 0 when the record is on the entry itself.
	level  int
	record *Share
}

// currentShare returns the caller's ace on e, or false when no user or group record applies.
func (st *state) currentShare(u *User, e *Entry) (ace, bool) {
	groups := map[string]bool{}
	for _, g := range st.userGroups(u.ID) {
		groups[g.ID] = true
	}
	roomArea := st.areaOf(e) != areaMy
	chain := append([]*Entry{e}, st.ancestors(e)...)
	var best ace
	found := false
	for level, x := range chain {
		shares := st.sharesOf(x.ID)
		for _, sh := range shares {
			if sh.SubjectType == SubjectUser && strings.EqualFold(sh.SubjectID, u.ID) {
				return ace{access: sh.Access, level: level, record: sh}, true
			}
		}
		if found {
			continue // a group record was found nearer; keep looking only for user records
		}
		for _, sh := range shares {
			if sh.SubjectType != SubjectGroup || !groups[strings.ToLower(sh.SubjectID)] {
				continue
			}
			if !found || shareRank(sh.Access, roomArea) < shareRank(best.access, roomArea) {
				best, found = ace{access: sh.Access, level: level, record: sh}, true
			}
		}
	}
	return best, found
}

// shareRank orders access levels from most to least privileged, as FileShareRecord.ShareComparer does for
// rooms and for personal files.
func shareRank(a FileShare, rooms bool) int {
	order := []FileShare{ShareReadWrite, ShareEditing, ShareCustomFilter, ShareReview, ShareFillForms, ShareComment,
		ShareRead, ShareRestrict}
	if rooms {
		order = []FileShare{ShareRoomManager, ShareContentCreator, ShareEditing, ShareFillForms, ShareReview,
			ShareComment, ShareRead}
	}
	if i := slices.Index(order, a); i >= 0 {
		return i
	}
	return len(order)
}

// hasFullAccess reports whether u owns the room e is (or lies in). Guests and users of type User never have
// full access, even over a room they own (FileSecurity.HasFullAccessAsync).
func (st *state) hasFullAccess(u *User, e *Entry) bool {
	if u.Type == TypeGuest || u.Type == TypeUser {
		return false
	}
	room := st.roomOf(e)
	return room != nil && strings.EqualFold(room.CreatedBy, u.ID)
}

// can reports whether u may perform act on e.
func (st *state) can(u *User, e *Entry, act fileAction) bool {
	isAdmin := u.isAdmin()
	isGuest := u.Type == TypeGuest
	isUser := u.Type == TypeUser
	isFolder := e.Kind == KindFolder
	isRoom := e.IsRoom()
	own := strings.EqualFold(e.CreatedBy, u.ID)

	if isFolder {
		if act != actRead {
			if (act == actPin || act == actChangeOwner) && !isRoom {
				return false
			}
			if !isGuest {
				switch e.FolderType {
				case FolderUser:
					return own && (act == actCreate || act == actCopyTo || act == actMoveTo)
				case FolderArchive:
					if act == actMoveTo {
						return true
					}
				case FolderVirtualRooms:
					if !isUser {
						return act == actCreate || act == actMoveTo
					}
				case FolderTrash:
					return act == actMoveTo
				}
			}
		} else if e.FolderType == FolderVirtualRooms || e.FolderType == FolderArchive {
			return true
		}
	}

	root := st.root(e)
	ar := rootArea(root)
	switch ar {
	case areaTrash:
		if act != actRead && act != actDelete && act != actMove {
			return false
		}
		return root.ID == u.TrashID && (!isFolder || act != actDelete || e.ID != u.TrashID)
	case areaMy:
		if strings.EqualFold(root.CreatedBy, u.ID) {
			return !isGuest || act == actRead || act == actDownload
		}
	case areaRooms:
		if isAdmin {
			switch {
			case act == actDownload, act == actRead:
				return true
			case isRoom && (act == actDuplicate || act == actCopy || act == actMove || act == actPin ||
				act == actChangeOwner):
				return true
			}
		}
		if st.hasFullAccess(u, e) {
			return true
		}
	case areaArchive:
		switch act {
		case actRead, actDelete, actCopy, actMove, actDownload, actReadHistory:
		default:
			return false
		}
		if (act == actDelete || act == actMove) && !isRoom {
			return false
		}
		if isAdmin {
			if act == actDownload || act == actRead || act == actCopy || isRoom && (act == actMove || act == actDelete) {
				return true
			}
		}
		if st.hasFullAccess(u, e) {
			return true
		}
	}

	personal := ar == areaMy
	rec, found := st.currentShare(u, e)
	a := ShareRestrict
	if found {
		a = rec.access
	}
	roomManager := a == ShareRoomManager
	creatorOwn := a == ShareContentCreator && own
	switch act {
	case actRead, actPin:
		return a != ShareRestrict && a != ShareNone
	case actCreate:
		if personal {
			return a == ShareReadWrite
		}
		return roomManager || a == ShareContentCreator
	case actEdit:
		if personal {
			return a == ShareEditing || a == ShareReadWrite
		}
		if isRoom {
			return roomManager
		}
		return roomManager || a == ShareContentCreator || a == ShareEditing
	case actDelete:
		if personal {
			return a == ShareReadWrite && (!isFolder || rec.level > 0)
		}
		return (roomManager || creatorOwn) && ar == areaRooms && (!isFolder || e.FolderType == FolderDefault)
	case actEditRoom:
		return !personal && roomManager
	case actRename:
		if personal {
			return a == ShareReadWrite
		}
		return roomManager || creatorOwn
	case actReadHistory:
		if personal {
			return a != ShareRestrict
		}
		return roomManager || a == ShareEditing || a == ShareContentCreator
	case actMoveTo, actCopyTo:
		if personal {
			return a == ShareReadWrite
		}
		return roomManager || a == ShareContentCreator
	case actCopy:
		if a == ShareRestrict {
			return false
		}
		if a != ShareRead && a != ShareNone {
			return true
		}
		return !personal || !isGuest
	case actDuplicate:
		if personal {
			return false
		}
		return roomManager || creatorOwn || isAdmin && isRoom
	case actEditAccess:
		if personal {
			return a == ShareReadWrite
		}
		return roomManager
	case actMove:
		if personal {
			return a == ShareReadWrite && (!isFolder || rec.level > 0)
		}
		return (roomManager || creatorOwn) && !isRoom
	case actDownload:
		return a != ShareRestrict
	}
	return a != ShareRestrict && own && ar != areaArchive && ar != areaRooms
}

// canSetAccess is FileSharingHelper.CanSetAccessAsync: guests never may; nothing inside the Archive may
// change access (an archived room itself is refused by the EditAccess rule).
func (st *state) canSetAccess(u *User, e *Entry) bool {
	if u.Type == TypeGuest {
		return false
	}
	if st.areaOf(e) == areaArchive && !e.IsRoom() {
		return false
	}
	return st.can(u, e, actEditAccess)
}

// callerAccess is the caller's FileShare as FileEntryDto.access reports it: the deciding share record, or
// None when access comes from ownership or an administrator's rights.
func (st *state) callerAccess(u *User, e *Entry) FileShare {
	if rec, ok := st.currentShare(u, e); ok {
		return rec.access
	}
	return ShareNone
}

// roomAccesses is FileSecurity.AvailableRoomAccesses: the levels a room of each type accepts for users and
// for groups (reference §9.3).
func roomAccesses(t RoomType, group bool) []FileShare {
	var users []FileShare
	switch t {
	case RoomCustom:
		users = []FileShare{ShareRoomManager, ShareContentCreator, ShareEditing, ShareReview, ShareComment, ShareRead,
			ShareNone}
	case RoomEditing:
		users = []FileShare{ShareRoomManager, ShareContentCreator, ShareEditing, ShareRead, ShareNone}
	case RoomPublic:
		users = []FileShare{ShareRoomManager, ShareContentCreator, ShareNone}
	case RoomFillingForms:
		users = []FileShare{ShareRoomManager, ShareContentCreator, ShareFillForms, ShareNone}
	case RoomVirtualData:
		users = []FileShare{ShareRoomManager, ShareContentCreator, ShareEditing, ShareRead, ShareFillForms, ShareNone}
	case RoomAI:
		users = []FileShare{ShareRoomManager, ShareContentCreator, ShareRead, ShareNone}
	}
	if group {
		return slices.DeleteFunc(users, func(a FileShare) bool { return a == ShareRoomManager })
	}
	return users
}

// userTypeAccesses is FileSecurity.AvailableUserAccesses: RoomManager is only for DocSpace and room admins.
func userTypeAccesses(t EmployeeType) []FileShare {
	all := []FileShare{ShareRoomManager, ShareContentCreator, ShareEditing, ShareFillForms, ShareReview, ShareComment,
		ShareRead, ShareNone}
	if t == TypeDocSpaceAdmin || t == TypeRoomAdmin {
		return all
	}
	return all[1:]
}

// personalAccesses are the levels a folder in My documents accepts for users and groups (FileSecurity
// GetAccesses with the USER table): FillForms is dropped outside form rooms, and None (removal) is offered
// only to the folder's creator (reference §9.2).
func personalAccesses(creator bool) []FileShare {
	out := []FileShare{ShareReadWrite, ShareEditing, ShareReview, ShareComment, ShareRead, ShareRestrict}
	if creator {
		out = append(out, ShareNone)
	}
	return out
}

// linkAccesses are the levels an external link may carry on a folder in My documents or in a room.
func linkAccesses(creator bool) []FileShare {
	out := []FileShare{ShareEditing, ShareReview, ShareComment, ShareRead}
	if creator {
		out = append(out, ShareNone)
	}
	return out
}

// folderAccesses returns, per subject type, the levels a folder or room accepts (FileSecurity.GetAccesses):
// rooms use the room table, folders in My documents the personal table, and folders inside rooms accept
// link shares only.
func (st *state) folderAccesses(u *User, e *Entry) map[SubjectType][]FileShare {
	if e.IsRoom() {
		return map[SubjectType][]FileShare{
			SubjectUser:  roomAccesses(e.RoomType, false),
			SubjectGroup: roomAccesses(e.RoomType, true),
		}
	}
	creator := strings.EqualFold(e.CreatedBy, u.ID)
	switch st.areaOf(e) {
	case areaMy:
		return map[SubjectType][]FileShare{
			SubjectUser:         personalAccesses(creator),
			SubjectGroup:        personalAccesses(creator),
			SubjectExternalLink: linkAccesses(creator),
			SubjectPrimaryLink:  linkAccesses(creator),
		}
	case areaRooms, areaArchive:
		if room := st.roomOf(e); room != nil && room.RoomType != RoomFillingForms {
			return map[SubjectType][]FileShare{
				SubjectExternalLink: linkAccesses(creator),
				SubjectPrimaryLink:  linkAccesses(creator),
			}
		}
	}
	return map[SubjectType][]FileShare{}
}

// subjectTypeName is SubjectType's name as availableShareRights keys it.
func subjectTypeName(t SubjectType) string {
	switch t {
	case SubjectUser:
		return "User"
	case SubjectExternalLink:
		return "ExternalLink"
	case SubjectGroup:
		return "Group"
	case SubjectInvitation:
		return "InvitationLink"
	case SubjectPrimaryLink:
		return "PrimaryExternalLink"
	}
	return ""
}
