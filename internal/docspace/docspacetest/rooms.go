package docspacetest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// getRoomInfo: GET files/rooms/{id} returns the room's FolderDto, like getFolderInfo (reference §8.1).
func (s *Server) getRoomInfo(c *call) (any, error) {
	f, err := c.readableFolder(c.intParam("id"))
	if err != nil {
		return nil, err
	}
	return c.folderDTO(f), nil
}

func roomTypeNames() map[string]int {
	return map[string]int{"fillingformsroom": 1, "editingroom": 2, "customroom": 5, "publicroom": 6,
		"virtualdataroom": 8, "airoom": 9}
}

func validRoomType(n int) bool {
	_, ok := RoomType(n).folderType()
	return ok
}

func searchAreaNames() map[string]int {
	return map[string]int{"active": 0, "archive": 1, "any": 2, "recentbylinks": 3, "templates": 4, "knowledge": 5,
		"resultstorage": 6, "aiagents": 7}
}

func validSearchArea(n int) bool { return n >= 0 && n <= 7 }

func subjectFilterNames() map[string]int { return map[string]int{"owner": 0, "member": 1} }

func validSubjectFilter(n int) bool { return n == 0 || n == 1 }

// Search areas of getRoomsFolder.
const (
	searchActive  = 0
	searchArchive = 1
	searchAny     = 2
)

// getRoomsFolder: GET files/rooms lists the rooms the caller can see (reference §8.1): searchArea=1 the
// archived ones; type filters by room type; subjectId with subjectFilter 0 keeps the rooms that user owns,
// with subjectFilter 1 (or none) those they own or are a member of; excludeSubject inverts it.
func (s *Server) getRoomsFolder(c *call) (any, error) {
	st := s.st
	count, start, err := c.paging(true)
	if err != nil {
		return nil, err
	}
	filter, err := c.contentQuery()
	if err != nil {
		return nil, err
	}
	for _, v := range c.queryAll("type") {
		n, ok := parseEnum(v, roomTypeNames(), validRoomType)
		if !ok {
			return nil, errValidation("type", fmt.Sprintf("The value '%s' is not valid.", v))
		}
		filter.roomTypes = append(filter.roomTypes, RoomType(n))
	}
	area, _, err := c.queryEnum("searchArea", searchAreaNames(), validSearchArea)
	if err != nil {
		return nil, err
	}
	subjectFilter, hasSubjectFilter, err := c.queryEnum("subjectFilter", subjectFilterNames(), validSubjectFilter)
	if err != nil {
		return nil, err
	}
	subject := ""
	if raw, ok := c.query("subjectId"); ok && strings.TrimSpace(raw) != "" {
		g, ok := parseGUID(strings.TrimSpace(raw))
		if !ok {
			return nil, errInternal("System.FormatException", "Unrecognized Guid format.")
		}
		subject = g
	}
	current := st.folder(st.roomsID)
	roots := []int{st.roomsID}
	switch area {
	case searchArchive:
		current, roots = st.folder(st.archiveID), []int{st.archiveID}
	case searchAny:
		roots = append(roots, st.archiveID)
	}
	var candidates []*Entry
	for _, root := range roots {
		for _, r := range st.children(root) {
			if !r.IsRoom() {
				continue
			}
			if subject != "" {
				owns := strings.EqualFold(r.CreatedBy, subject)
				member := owns || st.shareFor(r.ID, subject) != nil
				keep := member
				if hasSubjectFilter && subjectFilter == 0 {
					keep = owns
				}
				if keep == filter.excludeSubject {
					continue
				}
			}
			candidates = append(candidates, r)
		}
	}
	filter.excludeSubject = false
	return c.listEntries(current, candidates, filter, count, start), nil
}

// jsonRoomType is a RoomType in a body: a number (or a numeric string); names do not bind (reference §1.1).
type jsonRoomType RoomType

// UnmarshalJSON accepts 5 and "5".
func (t *jsonRoomType) UnmarshalJSON(b []byte) error {
	var n jsonInt
	if err := json.Unmarshal(b, &n); err != nil {
		return &fieldError{field: "roomType",
			msg: "The JSON value could not be converted to ASC.Files.Core.ApiModels.RequestDto.RoomType."}
	}
	*t = jsonRoomType(n)
	return nil
}

// createRoomRequest is CreateRoomRequestDto; the properties the simulator does not model are ignored.
type createRoomRequest struct {
	Title        *string       `json:"title"`
	RoomType     *jsonRoomType `json:"roomType"`
	Private      bool          `json:"private"`
	Indexing     *bool         `json:"indexing"`
	DenyDownload *bool         `json:"denyDownload"`
	Share        []shareParams `json:"share"`
}

// createRoom: POST files/rooms creates a room in the Rooms section owned by the caller. DocSpace admins and
// room admins may; users and guests get 403.
func (s *Server) createRoom(c *call) (any, error) {
	var req createRoomRequest
	if err := c.bind(&req, "inDto", true); err != nil {
		return nil, err
	}
	if req.RoomType == nil {
		return nil, errValidation("RoomType", "The RoomType field is required.")
	}
	title, err := validateTitle(req.Title, maxRoomTitle)
	if err != nil {
		return nil, err
	}
	rt := RoomType(*req.RoomType)
	ft, ok := rt.folderType()
	if !ok {
		return nil, errArgument("Specified argument was out of the range of valid values. (Parameter 'roomType')")
	}
	st := s.st
	rooms := st.folder(st.roomsID)
	if !st.can(c.caller, rooms, actCreate) {
		return nil, errInvalidOp(msgCreate)
	}
	room := st.newEntry(Entry{Kind: KindFolder, ParentID: rooms.ID, Title: title, FolderType: ft, RoomType: rt,
		Private: req.Private, CreatedBy: c.caller.ID, ModifiedBy: c.caller.ID, Created: c.now, Modified: c.now})
	c.audit(ActionRoomCreated, []string{strconv.Itoa(room.ID)}, room.Title)
	if len(req.Share) > 0 {
		var aces []aceRequest
		for _, p := range req.Share {
			if p.ShareTo != nil && string(*p.ShareTo) != emptyGUID {
				aces = append(aces, aceRequest{id: string(*p.ShareTo), access: FileShare(p.Access)})
			}
		}
		if _, err := c.applyAces(room, aces); err != nil {
			return nil, err
		}
	}
	return c.folderDTO(room), nil
}

// changeOwnerRequest is ChangeOwnerRequestDto.
type changeOwnerRequest struct {
	FolderIDs []jsonIntOrString `json:"folderIds"`
	FileIDs   []jsonIntOrString `json:"fileIds"`
	UserID    *jsonGUID         `json:"userId"`
}

// changeFileOwner: POST files/owner gives rooms a new owner (reference §9.3): an Active DocSpace admin or
// room admin. Only rooms in the Rooms section qualify, and only their owner or a DocSpace admin may do it;
// the previous owner becomes RoomManager. Rooms are changed in order until one fails. The reply is a
// streamed list of the rooms.
func (s *Server) changeFileOwner(c *call) (any, error) {
	var req changeOwnerRequest
	if err := c.bind(&req, "inDto", true); err != nil {
		return nil, err
	}
	if req.UserID == nil {
		return nil, errValidation("UserId", "The UserId field is required.")
	}
	st := s.st
	owner := st.user(string(*req.UserID))
	if owner == nil || owner.Status != StatusActive || owner.Type == TypeGuest || owner.Type == TypeUser {
		return nil, errInvalidOp(msgChangeOwner)
	}
	var out []any
	for _, id := range entryIDs(req.FolderIDs) {
		room := st.folder(id)
		if room == nil {
			continue
		}
		if st.areaOf(room) != areaRooms || !st.can(c.caller, room, actChangeOwner) {
			return nil, errInvalidOp(msgNoPermission)
		}
		if !strings.EqualFold(room.CreatedBy, owner.ID) {
			if err := c.handOver(room, owner); err != nil {
				return nil, err
			}
		}
		out = append(out, c.folderDTO(room))
	}
	for _, id := range entryIDs(req.FileIDs) {
		if st.file(id) != nil {
			return nil, errInvalidOp(msgNoPermission)
		}
	}
	return streamed{items: out}, nil
}

// handOver makes owner the room's owner: their own record goes, the previous owner stays as RoomManager
// (unless terminated or removed), and audit RoomChangeOwner (5159) records it.
func (c *call) handOver(room *Entry, owner *User) error {
	st := c.s.st
	prev := st.anyUser(room.CreatedBy)
	if prev != nil && !prev.Removed && prev.Status != StatusTerminated {
		if prev.Type != TypeDocSpaceAdmin && prev.Type != TypeRoomAdmin {
			return errInvalidOp(msgRoleNotAvailable)
		}
	}
	st.removeShares(func(sh *Share) bool {
		return sh.EntryID == room.ID && sh.SubjectType == SubjectUser && strings.EqualFold(sh.SubjectID, owner.ID)
	})
	if prev != nil && !prev.Removed && prev.Status != StatusTerminated {
		st.setShare(Share{EntryID: room.ID, SubjectID: prev.ID, SubjectType: SubjectUser, Access: ShareRoomManager,
			Owner: c.caller.ID, Created: c.now})
	}
	room.CreatedBy = owner.ID
	touchEntry(room, c.caller.ID, c.now)
	prevName := ""
	if prev != nil {
		prevName = prev.DisplayName()
	}
	c.audit(ActionRoomChangeOwner, []string{strconv.Itoa(room.ID), owner.ID}, room.Title, owner.DisplayName(), prevName)
	return nil
}

// AssignFormRole gives a user a role in a form: fileID must be a file in a virtual data room, whose
// member userID must be. A member holding a form role cannot be removed from the room without force
// (reference §9.3). The role is stored as a FillForms share of the user on the form.
func (s *Server) AssignFormRole(fileID int, userID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	f := st.file(fileID)
	if f == nil {
		return fmt.Errorf("assign form role: %w", invalid("file %d does not exist", fileID))
	}
	room := st.roomOf(f)
	if room == nil || room.RoomType != RoomVirtualData {
		return fmt.Errorf("assign form role: %w", invalid("file %d is not in a virtual data room", fileID))
	}
	u := st.user(userID)
	if u == nil {
		return fmt.Errorf("assign form role: %w", invalid("user %s does not exist", userID))
	}
	if _, member := st.currentShare(u, room); !member && !strings.EqualFold(room.CreatedBy, u.ID) {
		return fmt.Errorf("assign form role: %w", invalid("user %s is not a member of room %d", userID, room.ID))
	}
	st.setShare(Share{EntryID: f.ID, SubjectID: u.ID, SubjectType: SubjectUser, Access: ShareFillForms,
		Owner: room.CreatedBy, Created: s.now()})
	return nil
}

// holdsFormRole reports whether a user holds a form role in a virtual data room
// (FileStorageService.ShouldPreventUserDeletion).
func (st *state) holdsFormRole(room *Entry, userID string) bool {
	if room.RoomType != RoomVirtualData {
		return false
	}
	for _, d := range st.descendants(room.ID) {
		if sh := st.shareFor(d.ID, userID); d.Kind == KindFile && sh != nil && sh.SubjectType == SubjectUser &&
			sh.Access == ShareFillForms {
			return true
		}
	}
	return false
}

// dropFormRoles removes a user's form roles in a room, as forced removal from the room does.
func (st *state) dropFormRoles(room *Entry, userID string) {
	under := st.subtreeIDs(room.ID)
	// Only the entries below: the room's own record is the membership, which the same request may have
	// just set again (FillForms is a room level too).
	delete(under, room.ID)
	st.removeShares(func(sh *Share) bool {
		return under[sh.EntryID] && sh.SubjectType == SubjectUser && strings.EqualFold(sh.SubjectID, userID) &&
			sh.Access == ShareFillForms
	})
}
