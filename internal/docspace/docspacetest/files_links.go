package docspacetest

import (
	"fmt"
	"strconv"
	"strings"
)

// FolderURL returns the web-client address DocSpace gives a folder or room (PathProvider.GetFolderUrl), on
// the portal at baseURL: "/rooms/personal/filter?folder={id}" in My documents,
// "/rooms/shared/{roomId}/filter?folder={id}" in the Rooms section and "/rooms/archived/filter?folder={id}"
// in the Archive. The legacy Workspace form "/products/files/#folder={id}" does not exist in DocSpace
// (reference §14 #21).
func (s *Server) FolderURL(baseURL string, folderID int) (string, error) {
	var out string
	var err error
	s.locked(func() {
		f := s.st.folder(folderID)
		if f == nil {
			err = fmt.Errorf("folder url: %w", invalid("folder %d does not exist", folderID))
			return
		}
		base := strings.TrimRight(baseURL, "/")
		id := strconv.Itoa(f.ID)
		switch s.st.areaOf(f) {
		case areaMy:
			out = base + "/rooms/personal/filter?folder=" + id
		case areaArchive:
			out = base + "/rooms/archived/filter?folder=" + id
		case areaRooms:
			if room := s.st.roomOf(f); room != nil {
				out = base + "/rooms/shared/" + strconv.Itoa(room.ID) + "/filter?folder=" + id
				return
			}
			out = base + "/rooms/shared/filter?folder=" + id
		default:
			err = fmt.Errorf("folder url: %w", invalid("folder %d has no web address", folderID))
		}
	})
	return out, err
}
