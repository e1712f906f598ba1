package docspacetest

import "net/http"

// registerFilesRoutes registers the files-side endpoints: folders, rooms, sharing, file operations and
// upload (reference §8-§10), and the audit trail report (§11.2).
func (s *Server) registerFilesRoutes() {
	s.route(http.MethodGet, "/api/2.0/files/@my", "getMyFolder", s.getMyFolder)
	s.route(http.MethodGet, "/api/2.0/files/{folderId:int}", "getFolderByFolderId", s.getFolderByFolderID)
	s.route(http.MethodGet, "/api/2.0/files/folder/{folderId:int}", "getFolderInfo", s.getFolderInfo)
	s.route(http.MethodPost, "/api/2.0/files/folder/{folderId:int}", "createFolder", s.createFolder)
	s.route(http.MethodPut, "/api/2.0/files/folder/{folderId:int}/share", "setFolderSecurityInfo",
		s.setFolderSecurityInfo)
	s.route(http.MethodGet, "/api/2.0/files/file/{fileId:int}", "getFileInfo", s.getFileInfo)
	s.route(http.MethodPost, "/api/2.0/files/owner", "changeFileOwner", s.changeFileOwner)

	s.route(http.MethodGet, "/api/2.0/files/rooms", "getRoomsFolder", s.getRoomsFolder)
	s.route(http.MethodPost, "/api/2.0/files/rooms", "createRoom", s.createRoom)
	s.route(http.MethodGet, "/api/2.0/files/rooms/{id:int}", "getRoomInfo", s.getRoomInfo)
	s.route(http.MethodGet, "/api/2.0/files/rooms/{id:int}/share", "getRoomSecurityInfo", s.getRoomSecurityInfo)
	s.route(http.MethodPut, "/api/2.0/files/rooms/{id:int}/share", "setRoomSecurity", s.setRoomSecurity)
	s.route(http.MethodPut, "/api/2.0/files/rooms/{id:int}/archive", "archiveRoom", s.archiveRoom)
	s.route(http.MethodPut, "/api/2.0/files/rooms/{id:int}/unarchive", "unarchiveRoom", s.unarchiveRoom)

	s.route(http.MethodPut, "/api/2.0/files/fileops/move", "moveBatchItems", s.moveBatchItems)
	s.route(http.MethodGet, "/api/2.0/files/fileops/move", "checkMoveOrCopyBatchItems", s.checkMoveOrCopyBatchItems)
	s.route(http.MethodGet, "/api/2.0/files/fileops", "getOperationStatuses", s.getOperationStatuses)
	s.route(http.MethodGet, "/api/2.0/files/fileops/{operationType}", "getOperationStatusesByType",
		s.getOperationStatusesByType)
	s.route(http.MethodPut, "/api/2.0/files/fileops/terminate", "terminateTasks", s.terminateTasks)
	s.route(http.MethodPut, "/api/2.0/files/fileops/terminate/{id}", "terminateTasks", s.terminateTasks)

	s.route(http.MethodPost, "/api/2.0/files/{folderId:int}/insert", "insertFile", s.insertFile)
	s.route(http.MethodPost, "/api/2.0/files/{folderId:int}/text", "createTextFile", s.createTextFile)

	s.route(http.MethodPost, "/api/2.0/security/audit/events/report", "createAuditTrailReport",
		s.createAuditTrailReport)
}
