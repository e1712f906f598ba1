package docspace

import (
	"context"
	"net/url"
	"strconv"
	"strings"
)

// RoomQuery filters and pages the room listing.
type RoomQuery struct {
	// FilterValue searches room titles.
	FilterValue string
	// SubjectID selects rooms by a user; SubjectFilter says how (owner or
	// member). Without SubjectID, SubjectFilter is not sent.
	SubjectID     string
	SubjectFilter SubjectFilter
	// SearchArea selects active (default), archived or all rooms.
	SearchArea SearchArea
	// Count is the page size, 1..100; 0 means 100.
	Count      int
	StartIndex int
}

// Rooms returns one page of the Rooms section (getRoomsFolder,
// GET files/rooms): the rooms are in Folders.
func (c *Client) Rooms(ctx context.Context, q RoomQuery) (*FolderContents, error) {
	const op = string(opGetRoomsFolder)
	v := url.Values{}
	if err := addPage(v, op, q.Count, q.StartIndex); err != nil {
		return nil, err
	}
	if q.FilterValue != "" {
		v.Set("filterValue", q.FilterValue)
	}
	if q.SubjectID != "" {
		if err := checkGUID(op, "subject id", q.SubjectID); err != nil {
			return nil, err
		}
		v.Set("subjectId", q.SubjectID)
		v.Set("subjectFilter", strconv.Itoa(int(q.SubjectFilter)))
	}
	v.Set("searchArea", strconv.Itoa(int(q.SearchArea)))
	return callJSON[FolderContents](ctx, c, &request{op: opGetRoomsFolder, segments: []string{"files", "rooms"}, query: v})
}

// Room returns a room (getRoomInfo, GET files/rooms/{id}).
func (c *Client) Room(ctx context.Context, id int) (*Folder, error) {
	if err := checkEntryID(string(opGetRoomInfo), "room id", id); err != nil {
		return nil, err
	}
	return callJSON[Folder](ctx, c, &request{op: opGetRoomInfo, segments: []string{"files", "rooms", strconv.Itoa(id)}})
}

// CreateRoom describes a room to create.
type CreateRoom struct {
	// Title is the room's name: at most 170 characters, counted as DocSpace
	// counts them (UTF-16 code units).
	Title    string
	RoomType RoomType
	// Private creates an end-to-end encrypted room.
	Private      bool
	DenyDownload bool
	Indexing     bool
	Tags         []string
}

// CreateRoom creates a room in the Rooms section, owned by the key's owner,
// and returns it (createRoom, POST files/rooms). A repeat creates a second
// room: the call is never repeated on an ambiguous failure; look the room up
// first.
func (c *Client) CreateRoom(ctx context.Context, r CreateRoom) (*Folder, error) {
	const op = string(opCreateRoom)
	if err := checkTitle(op, r.Title, maxRoomTitle); err != nil {
		return nil, err
	}
	if r.RoomType == 0 {
		return nil, newArgError(op, "no room type")
	}
	body, err := jsonBody(op, struct {
		Title        string   `json:"title"`
		RoomType     RoomType `json:"roomType"`
		Private      bool     `json:"private,omitempty"`
		DenyDownload bool     `json:"denyDownload,omitempty"`
		Indexing     bool     `json:"indexing,omitempty"`
		Tags         []string `json:"tags,omitempty"`
	}{r.Title, r.RoomType, r.Private, r.DenyDownload, r.Indexing, r.Tags})
	if err != nil {
		return nil, err
	}
	return callJSON[Folder](ctx, c, &request{
		op:          opCreateRoom,
		segments:    []string{"files", "rooms"},
		body:        body,
		contentType: contentTypeJSON,
	})
}

// RoomSecurity returns every user and group entry of a room's access list
// (getRoomSecurityInfo, GET files/rooms/{id}/share with filterType
// UserOrGroup), paging through all of it. Links are not included.
func (c *Client) RoomSecurity(ctx context.Context, id int) ([]Share, error) {
	const op = string(opGetRoomSecurityInfo)
	if err := checkEntryID(op, "room id", id); err != nil {
		return nil, err
	}
	var all []Share
	for start := 0; ; {
		v := url.Values{
			"filterType": {"0"}, // UserOrGroup
			"count":      {strconv.Itoa(MaxPageSize)},
			"startIndex": {strconv.Itoa(start)},
		}
		page, meta, _, err := callPresent[[]Share](ctx, c, &request{
			op:       opGetRoomSecurityInfo,
			segments: []string{"files", "rooms", strconv.Itoa(id), "share"},
			query:    v,
		})
		if err != nil {
			return nil, err
		}
		all = append(all, *page...)
		start += len(*page)
		if len(*page) < MaxPageSize || (meta.total >= 0 && start >= meta.total) {
			return all, nil
		}
	}
}

// ShareRoom sets room access for users and groups (setRoomSecurity,
// PUT files/rooms/{id}/share). Levels a room accepts depend on its type
// (reference §9.3); FileShareRoomManager is for admin user types only, and
// FileShareNone removes a member. Archived rooms refuse changes
// (ErrForbidden), so share before archiving. Repeating the same levels is a
// no-op.
//
// When a member to be removed holds a form role DocSpace answers HTTP 200
// with error 1 and changes nothing: that is returned as an *APIError
// matching ErrFormRoleBlocking.
func (c *Client) ShareRoom(ctx context.Context, id int, inv []Invitation, notify bool) (*RoomSecurity, error) {
	const op = string(opSetRoomSecurity)
	if err := checkEntryID(op, "room id", id); err != nil {
		return nil, err
	}
	if len(inv) == 0 {
		return nil, newArgError(op, "no invitations")
	}
	for _, in := range inv {
		if err := checkGUID(op, "invitation id", in.ID); err != nil {
			return nil, err
		}
		if err := checkAssignable(op, in.Access); err != nil {
			return nil, err
		}
	}
	body, err := jsonBody(op, struct {
		Invitations []Invitation `json:"invitations"`
		Notify      bool         `json:"notify"`
	}{inv, notify})
	if err != nil {
		return nil, err
	}
	rs, _, resp, err := callPresent[RoomSecurity](ctx, c, &request{
		op:          opSetRoomSecurity,
		segments:    []string{"files", "rooms", strconv.Itoa(id), "share"},
		body:        body,
		contentType: contentTypeJSON,
	})
	switch {
	case err != nil:
		return nil, err
	case rs.Error == roomSecurityFormRoleBlocking:
		msg := "a member to be removed holds a form role; nothing changed"
		if w := strings.TrimSpace(rs.Warning); w != "" {
			msg += ": " + w
		}
		e := resp.fail(ErrFormRoleBlocking, msg)
		e.Type = "FormRoleBlockingDeletion"
		return nil, e
	case rs.Error != 0:
		return nil, resp.fail(ErrUnexpectedResponse, "room security error "+strconv.Itoa(rs.Error))
	}
	return rs, nil
}

// roomSecurityFormRoleBlocking is RoomSecurityError.FormRoleBlockingDeletion.
const roomSecurityFormRoleBlocking = 1

// ArchiveRoom queues the move of a room into the Archive and returns the
// operation (archiveRoom, PUT files/rooms/{id}/archive with
// {"deleteAfter":false}); wait for it with WaitOperation. Archiving an
// archived room completes as a no-op. Members keep read access; nothing can
// be re-shared afterwards.
func (c *Client) ArchiveRoom(ctx context.Context, id int) (*FileOperation, error) {
	const op = string(opArchiveRoom)
	if err := checkEntryID(op, "room id", id); err != nil {
		return nil, err
	}
	return callJSON[FileOperation](ctx, c, &request{
		op:          opArchiveRoom,
		segments:    []string{"files", "rooms", strconv.Itoa(id), "archive"},
		body:        []byte(`{"deleteAfter":false}`),
		contentType: contentTypeJSON,
	})
}

// ShareFolder sets access to a folder in My documents for users and groups
// and returns the entries named, in their current state
// (setFolderSecurityInfo, PUT files/folder/{folderId}/share). Folders inside
// rooms refuse user and group entries (ErrForbidden): share the room
// instead. DocSpace silently drops entries it will not apply (e.g. for
// disabled users) and answers an unknown folder with an empty list, so
// compare the result with what was asked.
func (c *Client) ShareFolder(ctx context.Context, id int, entries []ShareEntry) ([]Share, error) {
	const op = string(opSetFolderSecurityInfo)
	if err := checkEntryID(op, "folder id", id); err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, newArgError(op, "no share entries")
	}
	for _, e := range entries {
		if err := checkGUID(op, "shareTo", e.ShareTo); err != nil {
			return nil, err
		}
		if err := checkAssignable(op, e.Access); err != nil {
			return nil, err
		}
	}
	body, err := jsonBody(op, struct {
		Share  []ShareEntry `json:"share"`
		Notify bool         `json:"notify"`
	}{entries, false})
	if err != nil {
		return nil, err
	}
	shares, err := callJSON[[]Share](ctx, c, &request{
		op:          opSetFolderSecurityInfo,
		segments:    []string{"files", "folder", strconv.Itoa(id), "share"},
		body:        body,
		contentType: contentTypeJSON,
	})
	if err != nil {
		return nil, err
	}
	return *shares, nil
}

// checkAssignable rejects access levels that can never be set: Varies is
// display-only, and values outside DocSpace's range.
func checkAssignable(op string, a FileShare) error {
	if a == FileShareVaries || a < FileShareNone || a > FileShareContentCreator {
		return newArgError(op, "access %s cannot be assigned", a)
	}
	return nil
}
