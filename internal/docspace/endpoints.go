package docspace

import "net/http"

// opID is the OpenAPI operationId of a DocSpace operation.
type opID string

// The DocSpace operations this client calls.
const (
	opGetSelfProfile         opID = "getSelfProfile"
	opGetProfileByUserID     opID = "getProfileByUserId"
	opGetProfileByEmail      opID = "getProfileByEmail"
	opUpdateUserStatus       opID = "updateUserStatus"
	opLogOutAllConnections   opID = "logOutAllActiveConnectionsForUser"
	opNecessaryReassign      opID = "necessaryReassign"
	opStartReassign          opID = "startReassign"
	opGetReassignProgress    opID = "getReassignProgress"
	opTerminateReassign      opID = "terminateReassign"
	opGetGroupByUserID       opID = "getGroupByUserId"
	opGetGroup               opID = "getGroup"
	opRemoveMembersFrom      opID = "removeMembersFrom"
	opGetFolderInfo          opID = "getFolderInfo"
	opGetFolderByFolderID    opID = "getFolderByFolderId"
	opCreateFolder           opID = "createFolder"
	opGetMyFolder            opID = "getMyFolder"
	opGetFileInfo            opID = "getFileInfo"
	opGetRoomsFolder         opID = "getRoomsFolder"
	opGetRoomInfo            opID = "getRoomInfo"
	opCreateRoom             opID = "createRoom"
	opGetRoomSecurityInfo    opID = "getRoomSecurityInfo"
	opSetRoomSecurity        opID = "setRoomSecurity"
	opArchiveRoom            opID = "archiveRoom"
	opSetFolderSecurityInfo  opID = "setFolderSecurityInfo"
	opMoveBatchItems         opID = "moveBatchItems"
	opGetOperationStatuses   opID = "getOperationStatuses"
	opInsertFile             opID = "insertFile"
	opGetAuditEventsByFilter opID = "getAuditEventsByFilter"
	opCreateAuditTrailReport opID = "createAuditTrailReport"
	opGetLoginEventsByFilter opID = "getLoginEventsByFilter"
)

// retryClass says when a call may be sent again after a failure.
type retryClass int

const (
	// retryRead: a GET, repeated on any retryable failure.
	retryRead retryClass = iota + 1
	// retryIdempotent: a write that DocSpace treats as a no-op when repeated
	// with the same values (reference sections cited in the table), so it is
	// repeated on any retryable failure too.
	retryIdempotent
	// retryNever: a write whose repetition would act twice (create, move,
	// upload, start a job). It is repeated only when DocSpace certainly did
	// not run it: 429 (rejected by the rate limiter before the handler) or a
	// failure to connect. Any other failure is returned; the caller reads the
	// state back before trying again.
	retryNever
)

// endpoint is one row of the endpoint table.
type endpoint struct {
	op     opID
	method string
	retry  retryClass
}

// endpoints is the table of every operation the client calls, with the one
// property that differs between them: whether it may be retried.
func endpoints() []endpoint {
	const (
		get, post, put, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete
	)
	return []endpoint{
		{opGetSelfProfile, get, retryRead},
		{opGetProfileByUserID, get, retryRead},
		{opGetProfileByEmail, get, retryRead},
		{opUpdateUserStatus, put, retryIdempotent},     // §3.2: a repeat returns the same state
		{opLogOutAllConnections, put, retryIdempotent}, // §4: always 200, also on repeats
		{opNecessaryReassign, get, retryRead},
		{opStartReassign, post, retryNever}, // §5.5: a finished job would be started again
		{opGetReassignProgress, get, retryRead},
		{opTerminateReassign, put, retryIdempotent}, // §5.5: a second terminate finds no job
		{opGetGroupByUserID, get, retryRead},
		{opGetGroup, get, retryRead},
		{opRemoveMembersFrom, del, retryIdempotent}, // §7: non-members are skipped
		{opGetFolderInfo, get, retryRead},
		{opGetFolderByFolderID, get, retryRead},
		{opCreateFolder, post, retryNever}, // §8.2: titles are not deduplicated
		{opGetMyFolder, get, retryRead},
		{opGetFileInfo, get, retryRead},
		{opGetRoomsFolder, get, retryRead},
		{opGetRoomInfo, get, retryRead},
		{opCreateRoom, post, retryNever}, // a repeat creates a second room
		{opGetRoomSecurityInfo, get, retryRead},
		{opSetRoomSecurity, put, retryIdempotent},       // §9.3: same level is a no-op
		{opArchiveRoom, put, retryIdempotent},           // §9.4: archiving an archived room is a no-op
		{opSetFolderSecurityInfo, put, retryIdempotent}, // §9.2: same share is skipped
		{opMoveBatchItems, put, retryNever},             // §8.6: a repeat may merge or 500
		{opGetOperationStatuses, get, retryRead},
		{opInsertFile, post, retryNever}, // §10.1: a repeat stores a new version
		{opGetAuditEventsByFilter, get, retryRead},
		{opCreateAuditTrailReport, post, retryNever}, // §11.2: each call writes a file
		{opGetLoginEventsByFilter, get, retryRead},
	}
}

// endpointsByOp indexes the endpoint table by operation; it is never
// modified after initialisation.
var endpointsByOp = func() map[opID]endpoint {
	m := make(map[opID]endpoint)
	for _, e := range endpoints() {
		m[e.op] = e
	}
	return m
}()

// endpointFor looks an operation up in the table.
func endpointFor(op opID) (endpoint, bool) {
	e, ok := endpointsByOp[op]
	return e, ok
}
