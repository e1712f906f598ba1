package docspacetest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Audit actions of room membership the core's table does not name.
const (
	actionRoomGroupAdded  MessageAction = 5094
	actionRoomGroupRemove MessageAction = 5096
)

// fileShareLinkDTO is FileShareLink: the link a link share carries.
type fileShareLinkDTO struct {
	ID        string `json:"id"`
	Title     string `json:"title,omitempty"`
	ShareLink string `json:"shareLink,omitempty"`
	LinkType  int    `json:"linkType"`
	Primary   bool   `json:"primary"`
	Internal  bool   `json:"internal"`
}

// fileShareDTO is FileShareDto (reference §9.2). sharedTo repeats whichever of sharedToUser, sharedToGroup
// and sharedLink is set.
type fileShareDTO struct {
	Access                int               `json:"access"`
	SharedTo              any               `json:"sharedTo,omitempty"`
	SharedToUser          *employeeFullDTO  `json:"sharedToUser,omitempty"`
	SharedToGroup         *groupSummaryDTO  `json:"sharedToGroup,omitempty"`
	SharedLink            *fileShareLinkDTO `json:"sharedLink,omitempty"`
	IsLocked              bool              `json:"isLocked"`
	IsOwner               bool              `json:"isOwner"`
	CanEditAccess         bool              `json:"canEditAccess"`
	CanEditInternal       bool              `json:"canEditInternal"`
	CanEditDenyDownload   bool              `json:"canEditDenyDownload"`
	CanEditExpirationDate bool              `json:"canEditExpirationDate"`
	CanRevoke             bool              `json:"canRevoke"`
	SubjectType           int               `json:"subjectType"`
}

// roomSecurityDTO is RoomSecurityDto: members is omitted when nothing was processed; error 1 is
// FormRoleBlockingDeletion, sent with HTTP 200 (reference §9.3).
type roomSecurityDTO struct {
	Members []fileShareDTO `json:"members,omitempty"`
	Warning string         `json:"warning,omitempty"`
	Error   int            `json:"error"`
}

// entryOwner returns who owns an entry for sharing purposes: the My-documents owner for personal entries,
// the creator otherwise.
func (st *state) entryOwner(e *Entry) string {
	if st.areaOf(e) == areaMy {
		return st.root(e).CreatedBy
	}
	return e.CreatedBy
}

// shareDTO renders a share record as FileSharing.ToAceAsync and FileShareDtoHelper do.
func (c *call) shareDTO(e *Entry, sh *Share) fileShareDTO {
	st := c.s.st
	canEdit := st.can(c.caller, e, actEditAccess)
	d := fileShareDTO{Access: int(sh.Access), SubjectType: int(sh.SubjectType)}
	switch sh.SubjectType {
	case SubjectUser, SubjectGroup:
		d.CanEditAccess = canEdit && !strings.EqualFold(sh.SubjectID, c.caller.ID)
		d.IsOwner = strings.EqualFold(st.entryOwner(e), sh.SubjectID)
		d.IsLocked = strings.EqualFold(sh.SubjectID, c.caller.ID)
		if sh.SubjectType == SubjectGroup {
			if g := st.groups[strings.ToLower(sh.SubjectID)]; g != nil {
				gs := c.s.groupSummary(g)
				d.SharedToGroup, d.SharedTo = &gs, &gs
			}
			break
		}
		if u := st.anyUser(sh.SubjectID); u != nil {
			full := c.employeeFull(u)
			d.SharedToUser, d.SharedTo = &full, &full
		}
	default:
		link := &fileShareLinkDTO{ID: sh.SubjectID, LinkType: 1, Primary: sh.SubjectType == SubjectPrimaryLink,
			ShareLink: c.baseURL() + "/s/" + strings.ReplaceAll(sh.SubjectID, "-", "")}
		if sh.SubjectType == SubjectInvitation {
			link.LinkType = 0
		}
		d.SharedLink, d.SharedTo = link, link
		d.CanEditInternal, d.CanEditExpirationDate = canEdit, canEdit
		if room := st.roomOf(e); room != nil && room.RoomType == RoomFillingForms {
			d.CanRevoke = true
		}
	}
	return d
}

// ownerShareDTO is the default ace FileSharing lists first for a room's or folder's owner: ReadWrite,
// isOwner, not editable.
func (c *call) ownerShareDTO(ownerID string) (fileShareDTO, bool) {
	u := c.s.st.anyUser(ownerID)
	if u == nil {
		return fileShareDTO{}, false
	}
	full := c.employeeFull(u)
	return fileShareDTO{Access: int(ShareReadWrite), SharedTo: &full, SharedToUser: &full, IsOwner: true,
		IsLocked: strings.EqualFold(ownerID, c.caller.ID), SubjectType: int(SubjectUser)}, true
}

// aceRequest is one entry of a share request: a user or group id (lower-case GUID) and the level to give it.
type aceRequest struct {
	id     string
	access FileShare
}

// shareEvent is a change an ace made, for the audit trail.
type shareEvent struct {
	subjectID   string
	subjectType SubjectType
	previous    *Share // nil when the subject had no record
	access      FileShare
}

// applyAces is FileSharing.SetAceObjectAsync for one folder or room: it checks the caller may change access,
// then applies each ace in turn (groups first), skipping silently terminated users, removed groups and
// unknown ids, the owner, and repeats of the current level. A level the entry does not accept stops the
// request with 403 "The role is not available for this user type"; aces already applied stay, as in
// DocSpace. It returns the changes made.
func (c *call) applyAces(e *Entry, aces []aceRequest) ([]shareEvent, error) {
	st := c.s.st
	leaving := true
	for _, a := range aces {
		if !strings.EqualFold(a.id, c.caller.ID) || a.access != ShareNone {
			leaving = false
		}
	}
	if !leaving && !st.canSetAccess(c.caller, e) {
		return nil, errSecurity()
	}
	ordered := slices.Clone(aces)
	slices.SortStableFunc(ordered, func(a, b aceRequest) int {
		ga, gb := st.group(a.id) != nil, st.group(b.id) != nil
		switch {
		case ga && !gb:
			return -1
		case gb && !ga:
			return 1
		}
		return 0
	})
	var events []shareEvent
	for _, a := range ordered {
		user := st.anyUser(a.id)
		existing := st.shareFor(e.ID, a.id)
		if existing != nil && existing.SubjectType != SubjectUser && existing.SubjectType != SubjectGroup {
			existing = nil
		}
		if user != nil && (user.Status == StatusTerminated || user.Removed) && (a.access != ShareNone || existing == nil) {
			continue
		}
		subjectType := SubjectUser
		switch {
		case existing != nil:
			subjectType = existing.SubjectType
		case user != nil:
		case st.group(a.id) != nil:
			subjectType = SubjectGroup
		default:
			continue // neither a user nor a live group
		}
		if subjectType == SubjectUser && strings.EqualFold(st.entryOwner(e), a.id) {
			continue // the owner's rights come from ownership and cannot be changed here
		}
		var accepted []FileShare
		if e.IsRoom() {
			accepted = roomAccesses(e.RoomType, subjectType == SubjectGroup)
		} else {
			accepted = st.folderAccesses(c.caller, e)[subjectType]
		}
		if !slices.Contains(accepted, a.access) {
			return nil, errInvalidOp(msgRoleNotAvailable)
		}
		if e.IsRoom() && subjectType == SubjectUser && user != nil && !slices.Contains(userTypeAccesses(user.Type), a.access) {
			return nil, errInvalidOp(msgRoleNotAvailable)
		}
		if existing != nil && existing.Access == a.access || existing == nil && a.access == ShareNone {
			continue
		}
		var prev *Share
		if existing != nil {
			cp := *existing
			prev = &cp
		}
		owner := c.caller.ID
		if existing != nil {
			owner = existing.Owner
		}
		st.setShare(Share{EntryID: e.ID, SubjectID: strings.ToLower(a.id), SubjectType: subjectType, Access: a.access,
			Owner: owner, Created: c.now})
		events = append(events, shareEvent{subjectID: strings.ToLower(a.id), subjectType: subjectType, previous: prev,
			access: a.access})
	}
	for _, ev := range events {
		c.auditShare(e, ev)
	}
	return events, nil
}

// auditShare writes the audit event of one access change (FileStorageService.SetAceObjectAsync).
func (c *call) auditShare(e *Entry, ev shareEvent) {
	st := c.s.st
	name := ""
	if ev.subjectType == SubjectGroup {
		if g := st.groups[ev.subjectID]; g != nil {
			name = g.Name
		}
	} else if u := st.anyUser(ev.subjectID); u != nil {
		name = u.DisplayName()
	}
	targets := []string{strconv.Itoa(e.ID), ev.subjectID}
	level := ev.access.String()
	if !e.IsRoom() {
		action := ActionFolderUpdatedAccessFor
		if e.Kind == KindFile {
			action = ActionFileUpdatedAccessFor
		}
		c.audit(action, targets, e.Title, name, level)
		return
	}
	var action MessageAction
	switch {
	case ev.subjectType == SubjectGroup && ev.previous == nil:
		action = actionRoomGroupAdded
	case ev.subjectType == SubjectGroup && ev.access == ShareNone:
		action = actionRoomGroupRemove
	case ev.subjectType == SubjectGroup:
		action = ActionRoomUpdateAccessForGroup
	case ev.previous == nil:
		action = ActionRoomCreateUser
	case ev.access == ShareNone:
		action = ActionRoomRemoveUser
	default:
		action = ActionRoomUpdateAccessForUser
	}
	if ev.access == ShareNone {
		c.audit(action, targets, e.Title, name)
		return
	}
	c.audit(action, targets, e.Title, name, level)
}

// namedShares renders the current records of the named subjects on e, in request order, each once.
func (c *call) namedShares(e *Entry, subjects []string) []fileShareDTO {
	out := []fileShareDTO{}
	seen := map[string]bool{}
	for _, id := range subjects {
		id = strings.ToLower(id)
		if seen[id] {
			continue
		}
		seen[id] = true
		if sh := c.s.st.shareFor(e.ID, id); sh != nil {
			out = append(out, c.shareDTO(e, sh))
		}
	}
	return out
}

// shareParams is FileShareParams: shareTo, a user or group id, and the level. Entries naming no id (an
// e-mail address alone) share with nobody.
type shareParams struct {
	ShareTo *jsonGUID     `json:"shareTo"`
	Access  jsonFileShare `json:"access"`
}

// folderShareRequest is SecurityInfoSimpleRequestDto (reference §9.2). A body naming its list "entries"
// binds to nothing: unknown properties are ignored.
type folderShareRequest struct {
	Share          []shareParams `json:"share"`
	Notify         bool          `json:"notify"`
	SharingMessage *string       `json:"sharingMessage"`
}

// maxSharingMessage is SharingMessage's [StringLength].
const maxSharingMessage = 255

// setFolderSecurityInfo: PUT files/folder/{folderId}/share (reference §9.2). An empty or missing share list,
// and a folder that does not exist, are 200 with an empty array; the reply lists the named subjects' current
// records as a streamed list.
func (s *Server) setFolderSecurityInfo(c *call) (any, error) {
	var req folderShareRequest
	if err := c.bind(&req, "inDto", true); err != nil {
		return nil, err
	}
	if req.SharingMessage != nil && utf16Len(*req.SharingMessage) > maxSharingMessage {
		return nil, errValidation("SharingMessage",
			fmt.Sprintf("The field SharingMessage must be a string with a maximum length of %d.", maxSharingMessage))
	}
	if len(req.Share) == 0 {
		return streamed{items: []fileShareDTO{}}, nil
	}
	var aces []aceRequest
	var subjects []string
	for _, p := range req.Share {
		id := ""
		if p.ShareTo != nil {
			id = string(*p.ShareTo)
		}
		if id == "" || id == emptyGUID {
			continue
		}
		aces = append(aces, aceRequest{id: id, access: FileShare(p.Access)})
		subjects = append(subjects, id)
	}
	e := s.st.folder(c.intParam("folderId"))
	if e == nil {
		return streamed{items: []fileShareDTO{}}, nil
	}
	if _, err := c.applyAces(e, aces); err != nil {
		return nil, err
	}
	return streamed{items: c.namedShares(e, subjects)}, nil
}

// roomInvitation is RoomInvitation: a user or group id, or an e-mail address, and the level.
type roomInvitation struct {
	ID     *jsonGUID     `json:"id"`
	Email  string        `json:"email"`
	Access jsonFileShare `json:"access"`
}

// roomShareRequest is RoomInvitationRequest (reference §9.3).
type roomShareRequest struct {
	Invitations []roomInvitation `json:"invitations"`
	Notify      bool             `json:"notify"`
	Message     string           `json:"message"`
	Culture     string           `json:"culture"`
	Force       bool             `json:"force"`
}

// setRoomSecurity: PUT files/rooms/{id}/share (reference §9.3). No invitations (or a body using another
// key) gives {"error":0} before the room is even looked up; removing a member who holds a form role needs
// force, else the reply is error 1 with HTTP 200 and nothing changes.
func (s *Server) setRoomSecurity(c *call) (any, error) {
	var req roomShareRequest
	if err := c.bind(&req, "inDto", true); err != nil {
		return nil, err
	}
	if len(req.Invitations) == 0 {
		return roomSecurityDTO{}, nil
	}
	room, err := c.readableFolder(c.intParam("id"))
	if err != nil {
		return nil, err
	}
	st := s.st
	for _, inv := range req.Invitations {
		if inv.ID != nil && FileShare(inv.Access) == ShareNone && !req.Force && st.holdsFormRole(room, string(*inv.ID)) {
			return roomSecurityDTO{Error: 1}, nil
		}
	}
	var aces []aceRequest
	var subjects []string
	var warning string
	for _, inv := range req.Invitations {
		id := ""
		if inv.ID != nil {
			id = string(*inv.ID)
		}
		access := FileShare(inv.Access)
		if (id == "" || id == emptyGUID) && inv.Email != "" && room.IsRoom() {
			u, w, err := s.invitee(c, room, inv.Email, access)
			if err != nil {
				return nil, err
			}
			if u == nil {
				if warning == "" {
					warning = w
				}
				continue
			}
			id = u.ID
		}
		if id == "" || id == emptyGUID {
			continue
		}
		if c.caller.Type == TypeGuest && !strings.EqualFold(id, c.caller.ID) {
			continue // guests may not see other people
		}
		aces = append(aces, aceRequest{id: id, access: access})
		subjects = append(subjects, id)
	}
	events, err := c.applyAces(room, aces)
	if err != nil {
		return nil, err
	}
	for _, ev := range events {
		if ev.access == ShareNone {
			st.dropFormRoles(room, ev.subjectID)
		}
	}
	return roomSecurityDTO{Members: c.namedShares(room, subjects), Warning: warning}, nil
}

// invitee resolves an e-mail invitation to a room: an existing user, or a new guest invited by e-mail
// (Pending). A guest is only created when the caller may change the room's access and the level is one a
// guest may hold there; a failed creation becomes the reply's warning.
func (s *Server) invitee(c *call, room *Entry, email string, access FileShare) (*User, string, error) {
	email = strings.TrimSpace(email)
	if u := s.st.userByEmail(email); u != nil {
		return u, "", nil
	}
	if access == ShareNone {
		return nil, "", nil
	}
	if !s.st.canSetAccess(c.caller, room) {
		return nil, "", errSecurity()
	}
	if !slices.Contains(roomAccesses(room.RoomType, false), access) ||
		!slices.Contains(userTypeAccesses(TypeGuest), access) {
		return nil, "", errInvalidOp(msgRoleNotAvailable)
	}
	name, _, _ := strings.Cut(email, "@")
	u, err := s.addUser(UserSpec{FirstName: name, Email: email, Type: TypeGuest, Status: StatusPending,
		Activation: ActivationPending, Registered: c.now})
	if err != nil {
		return nil, err.Error(), nil
	}
	return u, "", nil
}

// shareFilterTypeNames is ShareFilterType.
func shareFilterTypeNames() map[string]int {
	return map[string]int{"userorgroup": 0, "invitationlink": 1, "externallink": 2, "additionalexternallink": 4,
		"primaryexternallink": 8, "link": 15, "user": 16, "group": 32}
}

func validShareFilterType(n int) bool {
	switch n {
	case 0, 1, 2, 4, 8, 15, 16, 32:
		return true
	}
	return false
}

// shareFilterMatches reports whether a record of subject type t passes a ShareFilterType.
func shareFilterMatches(filter int, t SubjectType) bool {
	switch filter {
	case 0:
		return t == SubjectUser || t == SubjectGroup
	case 1:
		return t == SubjectInvitation
	case 2:
		return t == SubjectExternalLink || t == SubjectPrimaryLink
	case 4:
		return t == SubjectExternalLink
	case 8:
		return t == SubjectPrimaryLink
	case 15:
		return t == SubjectInvitation || t == SubjectExternalLink || t == SubjectPrimaryLink
	case 16:
		return t == SubjectUser
	case 32:
		return t == SubjectGroup
	}
	return false
}

// getRoomSecurityInfo: GET files/rooms/{id}/share lists a room's access: the owner first (as ReadWrite,
// isOwner), then the records, paged, with an explicit count and total. A caller who cannot read the room
// gets an empty list.
func (s *Server) getRoomSecurityInfo(c *call) (any, error) {
	st := s.st
	e := st.folder(c.intParam("id"))
	if e == nil {
		return nil, errNotFound("Item not found")
	}
	filter, _, err := c.queryEnum("filterType", shareFilterTypeNames(), validShareFilterType)
	if err != nil {
		return nil, err
	}
	count, start, err := c.paging(false)
	if err != nil {
		return nil, err
	}
	text, _ := c.query("filterValue")
	text = strings.ToLower(strings.TrimSpace(text))
	if !c.visible(e) {
		return counted{items: []fileShareDTO{}, count: 0, total: 0, hasTotal: true}, nil
	}
	nameMatches := func(sh *Share) bool {
		if text == "" {
			return true
		}
		if g := st.groups[strings.ToLower(sh.SubjectID)]; g != nil {
			return strings.Contains(strings.ToLower(g.Name), text)
		}
		if u := st.anyUser(sh.SubjectID); u != nil {
			return strings.Contains(strings.ToLower(u.FirstName), text) ||
				strings.Contains(strings.ToLower(u.LastName), text) || strings.Contains(strings.ToLower(u.Email), text)
		}
		return false
	}
	var all []fileShareDTO
	if filter == 0 || filter == 16 {
		owner := st.entryOwner(e)
		if d, ok := c.ownerShareDTO(owner); ok && nameMatches(&Share{SubjectID: owner}) {
			all = append(all, d)
		}
	}
	for _, sh := range st.sharesOf(e.ID) {
		if shareFilterMatches(filter, sh.SubjectType) && nameMatches(sh) {
			all = append(all, c.shareDTO(e, sh))
		}
	}
	total := len(all)
	from := min(start, total)
	to := min(from+count, total)
	return counted{items: all[from:to], count: to - from, total: total, hasTotal: true}, nil
}
