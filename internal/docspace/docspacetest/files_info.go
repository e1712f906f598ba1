package docspacetest

// msgReadFile is ErrorMessage_SecurityException_ReadFile.
const msgReadFile = "You don't have enough permission to view the file"

// getFileInfo: GET files/file/{fileId} returns FileDto, of the current version or, with ?version=, of an
// older one. An unknown file (or version) is a 404; a file the caller may not read a 403.
func (s *Server) getFileInfo(c *call) (any, error) {
	version, _, err := c.queryInt("version")
	if err != nil {
		return nil, err
	}
	f := s.st.file(c.intParam("fileId"))
	if f == nil {
		return nil, errNotFound(msgFileNotFound)
	}
	if version > 0 {
		if version > f.Version() {
			return nil, errNotFound(msgFileNotFound)
		}
		old := *f
		old.Versions = f.Versions[:version]
		f = &old
	}
	if !c.visible(f) {
		return nil, errInvalidOp(msgReadFile)
	}
	return c.fileDTO(f), nil
}
