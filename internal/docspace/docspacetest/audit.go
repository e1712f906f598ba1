package docspacetest

import (
	"net"
	"slices"
	"strings"
	"time"
	"unicode"
)

// actionMeta is how DocSpace's audit mappers classify an action.
type actionMeta struct {
	actionType ActionType
	product    ProductType
	location   LocationType
	entries    []EntryType
	text       string // the message; "%s" is replaced by the event's description
}

// actionInfo returns the classification of a MessageAction. Actions without a specific entry get a
// classification derived from their number range (1xxx login, 4xxx people, 5xxx files, 6xxx settings).
func (s *Server) actionInfo(a MessageAction) actionMeta {
	people := func(t ActionType, text string, entries ...EntryType) actionMeta {
		if len(entries) == 0 {
			entries = []EntryType{EntryUser}
		}
		return actionMeta{t, ProductContacts, LocationContacts, entries, text}
	}
	files := func(t ActionType, loc LocationType, text string, entries ...EntryType) actionMeta {
		return actionMeta{t, ProductDocuments, loc, entries, text}
	}
	settings := func(t ActionType, text string) actionMeta {
		return actionMeta{t, ProductSettings, LocationSettings, nil, text}
	}
	switch a {
	case ActionLoginSuccess, ActionLoginSuccessViaAPI:
		return actionMeta{ActionTypeNone, ProductLogin, LocationNone, nil, "Logged in"}
	case ActionLogout:
		return actionMeta{ActionTypeLogout, ProductLogin, LocationNone, nil, "Logged out"}
	case ActionUserCreated:
		return people(ActionTypeCreate, "User created: %s")
	case ActionUserUpdated:
		return people(ActionTypeUpdate, "User updated: %s")
	case ActionUserDeleted:
		return people(ActionTypeDelete, "User deleted: %s")
	case ActionUsersUpdatedStatus:
		return people(ActionTypeUpdate, "Users status updated: %s")
	case ActionGroupUpdated:
		return people(ActionTypeUpdate, "Group updated: %s", EntryGroup)
	case ActionUserDataReassigns:
		return people(ActionTypeReassigns, "User data reassigned: %s")
	case ActionUserDataRemoving:
		return people(ActionTypeDelete, "User data removed: %s")
	case ActionUserLogoutActiveConnectionsForUser:
		return people(ActionTypeLogout, "Logged out all active connections for user: %s")
	case ActionFileCreated:
		return files(ActionTypeCreate, LocationFiles, "File created: %s", EntryFile)
	case ActionFileUploaded:
		return files(ActionTypeUpload, LocationFiles, "File uploaded: %s", EntryFile)
	case ActionFileMoved:
		return files(ActionTypeMove, LocationFiles, "File moved: %s", EntryFile, EntryFolder)
	case ActionFileUpdatedAccess:
		return files(ActionTypeUpdateAccess, LocationFiles, "File access updated: %s", EntryFile)
	case ActionFileUpdatedAccessFor:
		return files(ActionTypeUpdateAccess, LocationFiles, "File access updated for: %s", EntryFile, EntryUser)
	case ActionFileChangeOwner:
		return files(ActionTypeUpdate, LocationFiles, "File owner changed: %s", EntryFile, EntryUser)
	case ActionFolderCreated:
		return files(ActionTypeCreate, LocationFolders, "Folder created: %s", EntryFolder)
	case ActionFolderMoved:
		return files(ActionTypeMove, LocationFolders, "Folder moved: %s", EntryFolder, EntryFolder)
	case ActionFolderUpdatedAccess:
		return files(ActionTypeUpdateAccess, LocationFolders, "Folder access updated: %s", EntryFolder)
	case ActionFolderUpdatedAccessFor:
		return files(ActionTypeUpdateAccess, LocationFolders, "Folder access updated for: %s", EntryFolder, EntryUser)
	case ActionRoomCreated:
		return files(ActionTypeCreate, LocationRooms, "Room created: %s", EntryRoom)
	case ActionRoomArchived:
		return files(ActionTypeUpdate, LocationRooms, "Room archived: %s", EntryRoom)
	case ActionRoomUnarchived:
		return files(ActionTypeUpdate, LocationRooms, "Room unarchived: %s", EntryRoom)
	case ActionRoomUpdateAccessForUser:
		return files(ActionTypeUpdateAccess, LocationRooms, "Room access updated for user: %s", EntryRoom, EntryUser)
	case ActionRoomUpdateAccessForGroup:
		return files(ActionTypeUpdateAccess, LocationRooms, "Room access updated for group: %s", EntryRoom, EntryGroup)
	case ActionRoomCreateUser:
		return files(ActionTypeCreate, LocationRooms, "User added to room: %s", EntryRoom, EntryUser)
	case ActionRoomRemoveUser:
		return files(ActionTypeDelete, LocationRooms, "User removed from room: %s", EntryRoom, EntryUser)
	case ActionRoomChangeOwner:
		return files(ActionTypeUpdate, LocationRooms, "Room owner changed: %s", EntryRoom, EntryUser)
	case ActionAuditTrailReportDownloaded:
		return settings(ActionTypeDownload, "Audit trail report downloaded")
	case ActionCookieSettingsUpdated:
		return settings(ActionTypeUpdate, "Cookie settings updated")
	case ActionAPIKeyCreated:
		return settings(ActionTypeCreate, "API key created: %s")
	case ActionAPIKeyUpdated:
		return settings(ActionTypeUpdate, "API key updated: %s")
	case ActionAPIKeyDeleted:
		return settings(ActionTypeDelete, "API key deleted: %s")
	}
	text := humanize(s.actionByNum[a]) + ": %s"
	switch {
	case a >= 1000 && a < 2000:
		return actionMeta{ActionTypeNone, ProductLogin, LocationNone, nil, text}
	case a >= 4000 && a < 5000:
		return people(ActionTypeUpdate, text)
	case a >= 5000 && a < 6000:
		return files(ActionTypeUpdate, LocationFiles, text, EntryFile)
	}
	return settings(ActionTypeUpdate, text)
}

// humanize turns "UsersUpdatedStatus" into "Users updated status".
func humanize(name string) string {
	if name == "" {
		return "Event"
	}
	var b strings.Builder
	for i, r := range name {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte(' ')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// clientInfo is where a request came from, as audit and login events record it.
type clientInfo struct {
	ip, browser, platform, page string
}

// client describes the request's origin.
func (c *call) client() clientInfo {
	host, _, err := net.SplitHostPort(c.r.RemoteAddr)
	if err != nil {
		host = c.r.RemoteAddr
	}
	ua := c.r.UserAgent()
	browser, platform := ua, ""
	if name, rest, ok := strings.Cut(ua, " "); ok {
		browser, platform = name, strings.Trim(rest, "()")
	}
	return clientInfo{ip: host, browser: browser, platform: platform, page: requestURL(c.r)}
}

// auditEntry is one event to write.
type auditEntry struct {
	at          time.Time
	actorID     string
	action      MessageAction
	targets     []string // ids the event is about
	description []string // names shown in the action text (e.g. the user's display name)
	context     string
	client      clientInfo
}

// writeAudit appends an audit event, classified by actionInfo, and returns it. Caller holds s.mu.
func (s *Server) writeAudit(e auditEntry) *AuditEvent {
	meta := s.actionInfo(e.action)
	text := meta.text
	if strings.Contains(text, "%s") {
		text = strings.ReplaceAll(text, "%s", strings.Join(e.description, ", "))
		text = strings.TrimSuffix(strings.TrimSpace(text), ":")
	}
	ev := &AuditEvent{
		ID:         s.st.nextAuditID,
		Date:       e.at,
		UserID:     e.actorID,
		Action:     e.action,
		ActionText: text,
		ActionType: meta.actionType,
		Product:    meta.product,
		Location:   meta.location,
		Target:     slices.Clone(e.targets),
		Entries:    slices.Clone(meta.entries),
		Context:    e.context,
		IP:         e.client.ip,
		Browser:    e.client.browser,
		Platform:   e.client.platform,
		Page:       e.client.page,
	}
	s.st.nextAuditID++
	s.st.audit = append(s.st.audit, ev)
	return ev
}

// audit writes an event for the current request, by the caller. Handlers use it.
func (c *call) audit(action MessageAction, targets []string, description ...string) *AuditEvent {
	return c.s.writeAudit(auditEntry{at: c.now, actorID: c.caller.ID, action: action, targets: targets,
		description: description, client: c.client()})
}

// endSessions bumps the user's cookie index and marks their login events inactive, as DocSpace's
// CookiesManager.ResetUserCookieAsync does. API keys are untouched. Caller holds s.mu.
func (s *Server) endSessions(u *User) {
	u.CookieIndex++
	for _, l := range s.st.logins {
		if strings.EqualFold(l.UserID, u.ID) {
			l.Active = false
		}
	}
}
