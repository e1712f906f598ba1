package docspacetest

// archiveRequest is ArchiveRoomRequest; the body is required (reference §9.4).
type archiveRequest struct {
	DeleteAfter bool `json:"deleteAfter"`
}

// archiveRoom: PUT files/rooms/{id}/archive moves a room into the Archive as a background move; it returns one
// FileOperationDto (reference §9.4).
func (s *Server) archiveRoom(c *call) (any, error) { return s.moveRoomTo(c, s.st.archiveID) }

// unarchiveRoom: PUT files/rooms/{id}/unarchive moves a room back into the Rooms section.
func (s *Server) unarchiveRoom(c *call) (any, error) { return s.moveRoomTo(c, s.st.roomsID) }

// moveRoomTo moves a room the caller can read into the Archive or the Rooms section through the move
// operation, with its synchronous checks: a non-room folder and a caller without the room's Move right (its
// owner and DocSpace admins have it, a RoomManager has not) are refused with 403.
func (s *Server) moveRoomTo(c *call, destID int) (any, error) {
	var req archiveRequest
	if err := c.bind(&req, "inDto", true); err != nil {
		return nil, err
	}
	room, err := c.readableFolder(c.intParam("id"))
	if err != nil {
		return nil, err
	}
	p := &movePlan{folders: []int{room.ID}, destID: destID, resolve: conflictSkip, actor: c.caller,
		client: c.client()}
	op, err := s.submitMove(c, p, req.DeleteAfter)
	if err != nil {
		return nil, err
	}
	return c.operationDTO(op, op.job.percent), nil
}
