package docspace

import (
	"encoding/json"
	"log/slog"
)

// UserRef is the short form of a user that DocSpace embeds in other objects
// (EmployeeDto): createdBy, updatedBy and the like.
type UserRef struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName,omitempty"`
	ProfileURL  string `json:"profileUrl,omitempty"`
	Avatar      string `json:"avatar,omitempty"`
	HasAvatar   bool   `json:"hasAvatar,omitempty"`
	IsAnonim    bool   `json:"isAnonim,omitempty"`
}

// User is a DocSpace profile (EmployeeFullDto, reference §3.1). DocSpace
// omits null properties, so absent fields keep their zero values.
type User struct {
	ID               string           `json:"id"`
	DisplayName      string           `json:"displayName,omitempty"`
	FirstName        string           `json:"firstName,omitempty"`
	LastName         string           `json:"lastName,omitempty"`
	UserName         string           `json:"userName,omitempty"`
	Email            string           `json:"email,omitempty"`
	Status           UserStatus       `json:"status"`
	ActivationStatus ActivationStatus `json:"activationStatus"`
	// Terminated is set only when the account was disabled through
	// PUT people/{id} {"disable":true}; PUT people/status/2 leaves it unset.
	Terminated       Time           `json:"terminated,omitzero"`
	Department       string         `json:"department,omitempty"`
	Groups           []GroupSummary `json:"groups,omitempty"`
	IsOwner          bool           `json:"isOwner,omitempty"`
	IsAdmin          bool           `json:"isAdmin,omitempty"` // DocSpace admin and not the owner
	IsRoomAdmin      bool           `json:"isRoomAdmin,omitempty"`
	IsCollaborator   bool           `json:"isCollaborator,omitempty"`
	IsVisitor        bool           `json:"isVisitor,omitempty"`
	IsLDAP           bool           `json:"isLDAP,omitempty"`
	IsSSO            bool           `json:"isSSO,omitempty"`
	RegistrationDate Time           `json:"registrationDate,omitzero"`
	CreatedBy        *UserRef       `json:"createdBy,omitempty"` // admins only
	CultureName      string         `json:"cultureName,omitempty"`
	ProfileURL       string         `json:"profileUrl,omitempty"`
	UsedSpace        float64        `json:"usedSpace,omitempty"`
	QuotaLimit       int64          `json:"quotaLimit,omitempty"`
}

// Type derives the user's EmployeeType from the profile flags: the owner and
// DocSpace admins are DocSpaceAdmin, then RoomAdmin, Guest (visitor) and User
// (collaborator). It returns 0 when the profile carries none of the flags.
func (u User) Type() EmployeeType {
	switch {
	case u.IsOwner || u.IsAdmin:
		return EmployeeTypeDocSpaceAdmin
	case u.IsRoomAdmin:
		return EmployeeTypeRoomAdmin
	case u.IsVisitor:
		return EmployeeTypeGuest
	case u.IsCollaborator:
		return EmployeeTypeUser
	}
	return 0
}

// LogValue logs a user by id and status only: names and e-mail addresses are
// personal data and stay out of logs.
func (u User) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", u.ID), slog.String("status", u.Status.String()))
}

// GroupSummary is a group as listed for a user (GroupSummaryDto).
type GroupSummary struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Manager is the manager's user name, not an id.
	Manager string `json:"manager,omitempty"`
	// IsSystem is sent only when true. System groups cannot be edited.
	IsSystem bool `json:"isSystem,omitempty"`
}

// Group is a DocSpace group with its members (GroupDto).
type Group struct {
	ID           string `json:"id"`
	Name         string `json:"name,omitempty"`
	Category     string `json:"category,omitempty"`
	Parent       string `json:"parent,omitempty"`
	IsLDAP       bool   `json:"isLDAP,omitempty"`
	IsSystem     bool   `json:"isSystem,omitempty"`
	Manager      *User  `json:"manager,omitempty"`
	Members      []User `json:"members,omitempty"`
	MembersCount int    `json:"membersCount,omitempty"`
	Shared       bool   `json:"shared,omitempty"`
}

// Folder is a DocSpace folder (FolderDto). Rooms are folders whose RoomType
// is set; see IsRoom.
type Folder struct {
	ID             int        `json:"id"`
	Title          string     `json:"title"`
	ParentID       int        `json:"parentId,omitempty"`
	RootFolderID   int        `json:"rootFolderId,omitempty"`
	RootFolderType FolderType `json:"rootFolderType"`
	Type           FolderType `json:"type"`
	// RoomType is set on rooms only.
	RoomType RoomType `json:"roomType,omitempty"`
	// ParentRoomType is set on entries inside a room (a FolderType such as
	// FolderTypeCustomRoom).
	ParentRoomType FolderType `json:"parentRoomType,omitempty"`
	CreatedBy      *UserRef   `json:"createdBy,omitempty"`
	UpdatedBy      *UserRef   `json:"updatedBy,omitempty"`
	Created        Time       `json:"created,omitzero"`
	Updated        Time       `json:"updated,omitzero"`
	// Access is the caller's own access level to the folder.
	Access FileShare `json:"access"`
	// Security maps actions ("Read", "Move", "EditAccess", …) to whether the
	// caller may perform them.
	Security map[string]bool `json:"security,omitempty"`
	CanShare bool            `json:"canShare,omitempty"`
	// AvailableShareRights maps a subject type ("User", "Group", …) to the
	// FileShare names that may be granted to it here.
	AvailableShareRights map[string][]string `json:"availableShareRights,omitempty"`
	Shared               bool                `json:"shared,omitempty"`
	FilesCount           int                 `json:"filesCount,omitempty"`
	FoldersCount         int                 `json:"foldersCount,omitempty"`
	FileEntryType        FileEntryType       `json:"fileEntryType,omitempty"`
	InRoom               bool                `json:"inRoom,omitempty"`
	Tags                 []string            `json:"tags,omitempty"`
	Pinned               bool                `json:"pinned,omitempty"`
	Private              bool                `json:"private,omitempty"`
	DenyDownload         bool                `json:"denyDownload,omitempty"`
	QuotaLimit           int64               `json:"quotaLimit,omitempty"`
	UsedSpace            int64               `json:"usedSpace,omitempty"`
}

// IsRoom reports whether the folder is a room.
func (f *Folder) IsRoom() bool { return f.RoomType != 0 }

// IsArchived reports whether the folder lives in the Archive section.
func (f *Folder) IsArchived() bool { return f.RootFolderType == FolderTypeArchive }

// File is a DocSpace file (FileDto).
type File struct {
	ID             int        `json:"id"`
	Title          string     `json:"title"`
	FolderID       int        `json:"folderId,omitempty"`
	RootFolderID   int        `json:"rootFolderId,omitempty"`
	RootFolderType FolderType `json:"rootFolderType"`
	Version        int        `json:"version,omitempty"`
	VersionGroup   int        `json:"versionGroup,omitempty"`
	// ContentLength is DocSpace's display size, e.g. "12.3 KB".
	ContentLength     string        `json:"contentLength,omitempty"`
	PureContentLength int64         `json:"pureContentLength,omitempty"`
	FileExst          string        `json:"fileExst,omitempty"`
	Comment           string        `json:"comment,omitempty"`
	ViewURL           string        `json:"viewUrl,omitempty"`
	WebURL            string        `json:"webUrl,omitempty"`
	CreatedBy         *UserRef      `json:"createdBy,omitempty"`
	UpdatedBy         *UserRef      `json:"updatedBy,omitempty"`
	Created           Time          `json:"created,omitzero"`
	Updated           Time          `json:"updated,omitzero"`
	Access            FileShare     `json:"access"`
	Shared            bool          `json:"shared,omitempty"`
	FileEntryType     FileEntryType `json:"fileEntryType,omitempty"`
}

// UnmarshalJSON decodes a FileDto, accepting a content length sent as a
// number (the OpenAPI document types it as a string but shows a number).
func (f *File) UnmarshalJSON(b []byte) error {
	type plain File
	aux := struct {
		*plain
		ContentLength looseString `json:"contentLength"`
	}{plain: (*plain)(f)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	f.ContentLength = string(aux.ContentLength)
	return nil
}

// PathPart is one step of a folder's path from its root.
type PathPart struct {
	ID         int        `json:"id"`
	Title      string     `json:"title"`
	FolderType FolderType `json:"folderType"`
	RoomType   RoomType   `json:"roomType,omitempty"`
}

// FolderContents is one page of a folder's or the Rooms section's content
// (FolderContentDto). StartIndex, Count and Total describe the page.
type FolderContents struct {
	Files      []File     `json:"files"`
	Folders    []Folder   `json:"folders"`
	Current    Folder     `json:"current"`
	PathParts  []PathPart `json:"pathParts,omitempty"`
	StartIndex int        `json:"startIndex"`
	Count      int        `json:"count"`
	Total      int        `json:"total"`
	New        int        `json:"new,omitempty"`
}

// ShareLink describes a link share (FileShareLink); only its identity is kept.
type ShareLink struct {
	ID        string `json:"id"`
	Title     string `json:"title,omitempty"`
	ShareLink string `json:"shareLink,omitempty"`
	Primary   bool   `json:"primary,omitempty"`
	Internal  bool   `json:"internal,omitempty"`
}

// Share is one access entry of a folder or room (FileShareDto).
type Share struct {
	Access        FileShare     `json:"access"`
	SharedToUser  *User         `json:"sharedToUser,omitempty"`
	SharedToGroup *GroupSummary `json:"sharedToGroup,omitempty"`
	SharedLink    *ShareLink    `json:"sharedLink,omitempty"`
	SubjectType   SubjectType   `json:"subjectType"`
	IsOwner       bool          `json:"isOwner"`
	IsLocked      bool          `json:"isLocked"`
	CanEditAccess bool          `json:"canEditAccess"`
	CanRevoke     bool          `json:"canRevoke,omitempty"`
}

// SubjectID returns the id of the user, group or link the entry grants
// access to, or "" when DocSpace sent none.
func (s *Share) SubjectID() string {
	switch {
	case s.SharedToUser != nil:
		return s.SharedToUser.ID
	case s.SharedToGroup != nil:
		return s.SharedToGroup.ID
	case s.SharedLink != nil:
		return s.SharedLink.ID
	}
	return ""
}

// ShareEntry is one entry of a folder share request: the user or group id
// and the access to set (FileShareNone removes it). DocSpace treats an id
// that is not a user as a group; there is no isGroup field.
type ShareEntry struct {
	ShareTo string    `json:"shareTo"`
	Access  FileShare `json:"access"`
}

// Invitation is one entry of a room share request: the user or group id and
// the access to set (FileShareNone removes the member).
type Invitation struct {
	ID     string    `json:"id"`
	Access FileShare `json:"access"`
}

// RoomSecurity is the result of a room share request (RoomSecurityDto).
type RoomSecurity struct {
	// Members are the entries named in the request, in their current state.
	Members []Share `json:"members,omitempty"`
	Warning string  `json:"warning,omitempty"`
	// Error is 0, or 1 (FormRoleBlockingDeletion), which ShareRoom reports
	// as ErrFormRoleBlocking.
	Error int `json:"error"`
}

// TaskProgress is the state of a reassignment job (TaskProgressResponseDto).
type TaskProgress struct {
	// ID is "{tenant}_{fromUserId}_ReassignProgressItem".
	ID          string     `json:"id"`
	Percentage  int        `json:"percentage"`
	IsCompleted bool       `json:"isCompleted"`
	Status      TaskStatus `json:"status"`
	// Error is DocSpace's message when the job failed.
	Error string `json:"error,omitempty"`
}

// UnmarshalJSON decodes a TaskProgressResponseDto, accepting the
// percentage as a string or a number.
func (t *TaskProgress) UnmarshalJSON(b []byte) error {
	type plain TaskProgress
	aux := struct {
		*plain
		Percentage looseInt `json:"percentage"`
	}{plain: (*plain)(t)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	t.Percentage = int(aux.Percentage)
	return nil
}

// FileOperation is a background file operation (FileOperationDto): a move or
// an archive. Finished with Status TaskCompleted does NOT mean success: the
// per-item failures are in Error.
type FileOperation struct {
	ID        string            `json:"id"`
	Operation FileOperationType `json:"Operation"`
	Progress  int               `json:"progress"`
	Error     string            `json:"error"`
	// Processed counts processed items; DocSpace sends it as a string.
	Processed int        `json:"processed"`
	Finished  bool       `json:"finished"`
	Status    TaskStatus `json:"status"`
	URL       string     `json:"url,omitempty"`
	// Files and Folders are the moved entries at their new location, filled
	// in when the operation is done.
	Files   []File   `json:"files,omitempty"`
	Folders []Folder `json:"folders,omitempty"`
}

// UnmarshalJSON decodes a FileOperationDto, accepting "processed" and
// "progress" as strings or numbers.
func (o *FileOperation) UnmarshalJSON(b []byte) error {
	type plain FileOperation
	aux := struct {
		*plain
		Progress  looseInt `json:"progress"`
		Processed looseInt `json:"processed"`
	}{plain: (*plain)(o)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	o.Progress, o.Processed = int(aux.Progress), int(aux.Processed)
	return nil
}

// AuditEvent is one audit trail entry (AuditEventDto).
type AuditEvent struct {
	ID   int  `json:"id"`
	Date Time `json:"date"`
	// User is the actor's display name; UserID the actor's id.
	User   string `json:"user,omitempty"`
	UserID string `json:"userId,omitempty"`
	// Action is DocSpace's human text; ActionID the MessageAction number.
	Action     string        `json:"action,omitempty"`
	ActionID   MessageAction `json:"actionId"`
	IP         string        `json:"ip,omitempty"`
	Country    string        `json:"country,omitempty"`
	City       string        `json:"city,omitempty"`
	Browser    string        `json:"browser,omitempty"`
	Platform   string        `json:"platform,omitempty"`
	Page       string        `json:"page,omitempty"`
	ActionType ActionType    `json:"actionType"`
	Product    ProductType   `json:"product"`
	Location   LocationType  `json:"location"`
	// Target holds the ids of the objects the event concerns.
	Target  []string    `json:"target,omitempty"`
	Entries []EntryType `json:"entries,omitempty"`
	Context string      `json:"context,omitempty"`
}

// UnmarshalJSON decodes an AuditEventDto, accepting numeric target ids.
func (e *AuditEvent) UnmarshalJSON(b []byte) error {
	type plain AuditEvent
	aux := struct {
		*plain
		ID     looseInt      `json:"id"`
		Target []looseString `json:"target"`
	}{plain: (*plain)(e)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	e.ID = int(aux.ID)
	e.Target = looseStrings(aux.Target)
	return nil
}

// LoginEvent is one login history entry (LoginEventDto).
type LoginEvent struct {
	ID       int           `json:"id"`
	Date     Time          `json:"date"`
	User     string        `json:"user,omitempty"`
	UserID   string        `json:"userId,omitempty"`
	Login    string        `json:"login,omitempty"`
	Action   string        `json:"action,omitempty"`
	ActionID MessageAction `json:"actionId"`
	IP       string        `json:"ip,omitempty"`
	Country  string        `json:"country,omitempty"`
	City     string        `json:"city,omitempty"`
	Browser  string        `json:"browser,omitempty"`
	Platform string        `json:"platform,omitempty"`
	Page     string        `json:"page,omitempty"`
}
