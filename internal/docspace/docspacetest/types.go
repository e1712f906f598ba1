package docspacetest

import (
	"strconv"
	"strings"
)

// UserStatus is DocSpace's EmployeeStatus (reference §3.1).
type UserStatus int

// User statuses. Filters also know 5 (Default) and 7 (All).
const (
	StatusActive     UserStatus = 1
	StatusTerminated UserStatus = 2
	StatusPending    UserStatus = 4
	statusDefault    UserStatus = 5
	statusAll        UserStatus = 7
)

// ActivationStatus is DocSpace's EmployeeActivationStatus.
type ActivationStatus int

// Activation statuses.
const (
	ActivationNotActivated ActivationStatus = 0
	ActivationActivated    ActivationStatus = 1
	ActivationPending      ActivationStatus = 2
)

// EmployeeType is the type of a user (reference §3.1). The portal owner has type DocSpaceAdmin.
type EmployeeType int

// Employee types.
const (
	TypeAll           EmployeeType = 0
	TypeRoomAdmin     EmployeeType = 1
	TypeGuest         EmployeeType = 2
	TypeDocSpaceAdmin EmployeeType = 3
	TypeUser          EmployeeType = 4
)

func employeeTypeNames() []string {
	return []string{"All", "RoomAdmin", "Guest", "DocSpaceAdmin", "User"}
}

// String returns DocSpace's name of the type.
func (t EmployeeType) String() string {
	if names := employeeTypeNames(); t >= 0 && int(t) < len(names) {
		return names[t]
	}
	return strconv.Itoa(int(t))
}

// FileShare is an access level (reference §9.1).
type FileShare int

// Access levels.
const (
	ShareNone           FileShare = 0
	ShareReadWrite      FileShare = 1
	ShareRead           FileShare = 2
	ShareRestrict       FileShare = 3
	ShareVaries         FileShare = 4
	ShareReview         FileShare = 5
	ShareComment        FileShare = 6
	ShareFillForms      FileShare = 7
	ShareCustomFilter   FileShare = 8
	ShareRoomManager    FileShare = 9
	ShareEditing        FileShare = 10
	ShareContentCreator FileShare = 11
)

func fileShareNames() []string {
	return []string{"None", "ReadWrite", "Read", "Restrict", "Varies", "Review", "Comment",
		"FillForms", "CustomFilter", "RoomManager", "Editing", "ContentCreator"}
}

// String returns DocSpace's name of the access level.
func (a FileShare) String() string {
	if names := fileShareNames(); a >= 0 && int(a) < len(names) {
		return names[a]
	}
	return strconv.Itoa(int(a))
}

// FolderType is the type of a folder (reference §8.1).
type FolderType int

// Folder types.
const (
	FolderDefault          FolderType = 0
	FolderTrash            FolderType = 3
	FolderUser             FolderType = 5 // a user's My documents root
	FolderShare            FolderType = 6
	FolderVirtualRooms     FolderType = 14 // the Rooms section
	FolderFillingFormsRoom FolderType = 15
	FolderEditingRoom      FolderType = 16
	FolderCustomRoom       FolderType = 19
	FolderArchive          FolderType = 20
	FolderPublicRoom       FolderType = 22
	FolderVirtualDataRoom  FolderType = 29
	FolderAIRoom           FolderType = 31
)

// RoomType is the type of a room (reference §8.1).
type RoomType int

// Room types.
const (
	RoomFillingForms RoomType = 1
	RoomEditing      RoomType = 2
	RoomCustom       RoomType = 5
	RoomPublic       RoomType = 6
	RoomVirtualData  RoomType = 8
	RoomAI           RoomType = 9
)

// folderType returns the FolderType DocSpace gives a room of type t.
func (t RoomType) folderType() (FolderType, bool) {
	switch t {
	case RoomFillingForms:
		return FolderFillingFormsRoom, true
	case RoomEditing:
		return FolderEditingRoom, true
	case RoomCustom:
		return FolderCustomRoom, true
	case RoomPublic:
		return FolderPublicRoom, true
	case RoomVirtualData:
		return FolderVirtualDataRoom, true
	case RoomAI:
		return FolderAIRoom, true
	}
	return 0, false
}

// EntryKind tells folders (rooms included) from files.
type EntryKind int

// Entry kinds; the numbers are DocSpace's FileEntryType.
const (
	KindFolder EntryKind = 1
	KindFile   EntryKind = 2
)

// SubjectType is the kind of subject a share record names (FileShareDto.subjectType).
type SubjectType int

// Subject types.
const (
	SubjectUser         SubjectType = 0
	SubjectExternalLink SubjectType = 1
	SubjectGroup        SubjectType = 2
	SubjectInvitation   SubjectType = 3
	SubjectPrimaryLink  SubjectType = 4
)

// TaskStatus is DocSpace's DistributedTaskStatus (reference §5.3).
type TaskStatus int

// Task statuses. DocSpace spells the last one "Failted".
const (
	TaskCreated   TaskStatus = 0
	TaskRunning   TaskStatus = 1
	TaskCompleted TaskStatus = 2
	TaskCanceled  TaskStatus = 3
	TaskFailed    TaskStatus = 4
)

// FileOperationType is the kind of a file operation (reference §8.3).
type FileOperationType int

// File operation types.
const (
	OperationMove      FileOperationType = 0
	OperationCopy      FileOperationType = 1
	OperationDelete    FileOperationType = 2
	OperationDownload  FileOperationType = 3
	OperationMarkRead  FileOperationType = 4
	OperationImport    FileOperationType = 5
	OperationConvert   FileOperationType = 6
	OperationDuplicate FileOperationType = 7
)

// MessageAction is an audit action id (reference §11.1).
type MessageAction int

// Audit actions the simulator writes or that tests commonly seed.
const (
	ActionLoginSuccess                       MessageAction = 1000
	ActionLogout                             MessageAction = 1006
	ActionLoginSuccessViaAPI                 MessageAction = 1010
	ActionUserCreated                        MessageAction = 4000
	ActionUserUpdated                        MessageAction = 4006
	ActionUserDeleted                        MessageAction = 4018
	ActionUsersUpdatedStatus                 MessageAction = 4020
	ActionGroupUpdated                       MessageAction = 4027
	ActionUserDataReassigns                  MessageAction = 4030
	ActionUserDataRemoving                   MessageAction = 4031
	ActionUserLogoutActiveConnectionsForUser MessageAction = 4036
	ActionFileCreated                        MessageAction = 5000
	ActionFileUpdatedAccess                  MessageAction = 5008
	ActionFileUploaded                       MessageAction = 5011
	ActionFileMoved                          MessageAction = 5015
	ActionFolderCreated                      MessageAction = 5019
	ActionFolderUpdatedAccess                MessageAction = 5021
	ActionFolderMoved                        MessageAction = 5024
	ActionFileChangeOwner                    MessageAction = 5043
	ActionFolderUpdatedAccessFor             MessageAction = 5066
	ActionFileUpdatedAccessFor               MessageAction = 5068
	ActionRoomCreated                        MessageAction = 5070
	ActionRoomArchived                       MessageAction = 5072
	ActionRoomUnarchived                     MessageAction = 5073
	ActionRoomUpdateAccessForUser            MessageAction = 5075
	ActionRoomRemoveUser                     MessageAction = 5084
	ActionRoomCreateUser                     MessageAction = 5085
	ActionRoomUpdateAccessForGroup           MessageAction = 5095
	ActionRoomChangeOwner                    MessageAction = 5159
	ActionAuditTrailReportDownloaded         MessageAction = 6028
	ActionCookieSettingsUpdated              MessageAction = 6032
	ActionAPIKeyCreated                      MessageAction = 6058
	ActionAPIKeyUpdated                      MessageAction = 6059
	ActionAPIKeyDeleted                      MessageAction = 6060
)

// ActionType classifies audit actions (reference §11.1).
type ActionType int

// Action types.
const (
	ActionTypeNone         ActionType = 0
	ActionTypeCreate       ActionType = 1
	ActionTypeUpdate       ActionType = 2
	ActionTypeDelete       ActionType = 3
	ActionTypeLink         ActionType = 4
	ActionTypeUnlink       ActionType = 5
	ActionTypeAttach       ActionType = 6
	ActionTypeDetach       ActionType = 7
	ActionTypeSend         ActionType = 8
	ActionTypeImport       ActionType = 9
	ActionTypeExport       ActionType = 10
	ActionTypeUpdateAccess ActionType = 11
	ActionTypeDownload     ActionType = 12
	ActionTypeUpload       ActionType = 13
	ActionTypeCopy         ActionType = 14
	ActionTypeMove         ActionType = 15
	ActionTypeReassigns    ActionType = 16
	ActionTypeFollow       ActionType = 17
	ActionTypeUnfollow     ActionType = 18
	ActionTypeLogout       ActionType = 19
)

func actionTypeNames() []string {
	return []string{"None", "Create", "Update", "Delete", "Link", "Unlink", "Attach", "Detach",
		"Send", "Import", "Export", "UpdateAccess", "Download", "Upload", "Copy", "Move", "Reassigns", "Follow",
		"Unfollow", "Logout"}
}

// EntryType classifies audit targets (reference §11.1).
type EntryType int

// Entry types.
const (
	EntryNone   EntryType = 0
	EntryFile   EntryType = 1
	EntryFolder EntryType = 2
	EntryUser   EntryType = 23
	EntryGroup  EntryType = 24
	EntryRoom   EntryType = 25
	EntryTag    EntryType = 26
	EntryAgent  EntryType = 27
)

func entryTypeNames() map[string]int {
	return map[string]int{"none": 0, "file": 1, "folder": 2, "user": 23, "group": 24, "room": 25, "tag": 26, "agent": 27}
}

func validEntryType(n int) bool {
	switch EntryType(n) {
	case EntryNone, EntryFile, EntryFolder, EntryUser, EntryGroup, EntryRoom, EntryTag, EntryAgent:
		return true
	}
	return false
}

// LocationType is the audit "module" of an event (reference §11.1).
type LocationType int

// Locations.
const (
	LocationNone              LocationType = 0
	LocationFiles             LocationType = 1
	LocationFolders           LocationType = 2
	LocationDocumentsSettings LocationType = 3
	LocationRooms             LocationType = 27
	LocationSettings          LocationType = 29
	LocationContacts          LocationType = 30
	LocationAgents            LocationType = 31
)

func locationTypeNames() map[string]int {
	return map[string]int{"none": 0, "files": 1, "folders": 2, "documentssettings": 3, "rooms": 27,
		"settings": 29, "contacts": 30, "agents": 31}
}

func validLocationType(n int) bool {
	switch LocationType(n) {
	case LocationNone, LocationFiles, LocationFolders, LocationDocumentsSettings, LocationRooms,
		LocationSettings, LocationContacts, LocationAgents:
		return true
	}
	return false
}

// ProductType is the audit product of an event.
type ProductType int

// Products.
const (
	ProductNone      ProductType = 0
	ProductDocuments ProductType = 2
	ProductLogin     ProductType = 3
	ProductSettings  ProductType = 7
	ProductContacts  ProductType = 8
)

// parseEnum reads an enum given as a name (any case) or a number, as DocSpace binds route and query
// values (reference §1.1). names maps lower-case names to values; valid lists the defined numbers.
func parseEnum(s string, names map[string]int, valid func(int) bool) (int, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		return n, valid(n)
	}
	v, ok := names[strings.ToLower(s)]
	return v, ok
}

func userStatusNames() map[string]int {
	return map[string]int{"active": 1, "terminated": 2, "pending": 4, "default": 5, "all": 7}
}

func validUserStatus(n int) bool {
	switch UserStatus(n) {
	case StatusActive, StatusTerminated, StatusPending, statusDefault, statusAll:
		return true
	}
	return false
}

func lowerNameMap(names []string) map[string]int {
	m := make(map[string]int, len(names))
	for i, n := range names {
		m[strings.ToLower(n)] = i
	}
	return m
}

func validEmployeeType(n int) bool { return n >= 0 && n < len(employeeTypeNames()) }

func validActionType(n int) bool { return n >= 0 && n < len(actionTypeNames()) }

func validFileShare(n int) bool { return n >= 0 && n < len(fileShareNames()) }
