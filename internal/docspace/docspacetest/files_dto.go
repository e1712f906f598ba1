package docspacetest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// entryBaseDTO holds the properties FileEntryBaseDto and FileEntryDto give folders and files alike
// (reference §8.1). Null properties are omitted; booleans and numbers that are not nullable are always sent.
type entryBaseDTO struct {
	ID                   int                 `json:"id"`
	Title                string              `json:"title"`
	Access               int                 `json:"access"`
	Shared               bool                `json:"shared"`
	SharedForUser        bool                `json:"sharedForUser"`
	ParentShared         bool                `json:"parentShared"`
	Created              string              `json:"created"`
	CreatedBy            *employeeDTO        `json:"createdBy,omitempty"`
	Updated              string              `json:"updated"`
	UpdatedBy            *employeeDTO        `json:"updatedBy,omitempty"`
	RootFolderType       int                 `json:"rootFolderType"`
	ParentRoomType       *int                `json:"parentRoomType,omitempty"`
	FileEntryType        int                 `json:"fileEntryType"`
	RootFolderID         int                 `json:"rootFolderId"`
	CanShare             bool                `json:"canShare"`
	Security             map[string]bool     `json:"security,omitempty"`
	AvailableShareRights map[string][]string `json:"availableShareRights,omitempty"`
}

// folderDTO is FolderDto: a folder or a room (reference §8.1).
type folderDTO struct {
	entryBaseDTO
	ParentID     int      `json:"parentId"`
	FilesCount   int      `json:"filesCount"`
	FoldersCount int      `json:"foldersCount"`
	New          int      `json:"new"`
	Mute         bool     `json:"mute"`
	Tags         []string `json:"tags,omitempty"`
	Pinned       bool     `json:"pinned"`
	RoomType     *int     `json:"roomType,omitempty"`
	Private      bool     `json:"private"`
	Indexing     bool     `json:"indexing"`
	DenyDownload bool     `json:"denyDownload"`
	InRoom       *bool    `json:"inRoom,omitempty"`
}

// fileDTO is FileDto (reference §10.1).
type fileDTO struct {
	entryBaseDTO
	FolderID          int    `json:"folderId"`
	Version           int    `json:"version"`
	VersionGroup      int    `json:"versionGroup"`
	ContentLength     string `json:"contentLength"`
	PureContentLength int64  `json:"pureContentLength"`
	FileStatus        int    `json:"fileStatus"`
	Mute              bool   `json:"mute"`
	ViewURL           string `json:"viewUrl"`
	WebURL            string `json:"webUrl"`
	FileType          int    `json:"fileType"`
	FileExst          string `json:"fileExst"`
	Comment           string `json:"comment,omitempty"`
	ThumbnailStatus   int    `json:"thumbnailStatus"`
}

// pathPartDTO is one element of FolderContentDto.pathParts: the breadcrumbs from the root to the folder.
type pathPartDTO struct {
	ID         int    `json:"id"`
	Title      string `json:"title"`
	RoomType   *int   `json:"roomType,omitempty"`
	FolderType int    `json:"folderType"`
}

// folderContentDTO is FolderContentDto; startIndex, count and total are inside response (reference §1.5).
type folderContentDTO struct {
	Files      []any         `json:"files"`
	Folders    []any         `json:"folders"`
	Current    folderDTO     `json:"current"`
	PathParts  []pathPartDTO `json:"pathParts"`
	StartIndex int           `json:"startIndex"`
	Count      int           `json:"count"`
	Total      int           `json:"total"`
	New        int           `json:"new"`
}

// entryDTO renders a folder or a file as the caller sees it.
func (c *call) entryDTO(e *Entry) any {
	if e.Kind == KindFile {
		return c.fileDTO(e)
	}
	return c.folderDTO(e)
}

// entryBase fills the properties common to folders and files.
func (c *call) entryBase(e *Entry, actions []fileAction) entryBaseDTO {
	st := c.s.st
	root := st.root(e)
	d := entryBaseDTO{
		ID: e.ID, Title: e.Title, Access: int(st.callerAccess(c.caller, e)),
		Created: c.s.formatDate(e.Created), Updated: c.s.formatDate(e.Modified),
		RootFolderType: int(root.FolderType), FileEntryType: int(e.Kind), RootFolderID: root.ID,
		CanShare: st.canSetAccess(c.caller, e) && e.FolderType != FolderEditingRoom &&
			e.FolderType != FolderVirtualDataRoom,
	}
	if e.CreatedBy != "" {
		d.CreatedBy = c.employee(e.CreatedBy)
	}
	if by := e.ModifiedBy; by != "" {
		d.UpdatedBy = c.employee(by)
	} else if e.CreatedBy != "" {
		d.UpdatedBy = c.employee(e.CreatedBy)
	}
	if room := st.roomOf(e); room != nil && room.ID != e.ID {
		ft := int(room.FolderType)
		d.ParentRoomType = &ft
	}
	for _, sh := range st.sharesOf(e.ID) {
		d.Shared = true
		if sh.SubjectType == SubjectUser && strings.EqualFold(sh.SubjectID, c.caller.ID) {
			d.SharedForUser = true
		}
	}
	if rootArea(root) == areaMy {
		d.ParentShared = slices.ContainsFunc(st.ancestors(e), func(a *Entry) bool { return st.hasShares(a.ID) })
	}
	d.Security = make(map[string]bool, len(actions))
	for _, a := range actions {
		d.Security[a.name()] = st.can(c.caller, e, a)
	}
	return d
}

// folderDTO renders FolderDto for a folder or room.
func (c *call) folderDTO(e *Entry) folderDTO {
	st := c.s.st
	d := folderDTO{entryBaseDTO: c.entryBase(e, folderActions()), ParentID: e.ParentID, Pinned: e.Pinned,
		Private: e.Private}
	d.FilesCount, d.FoldersCount = st.subtreeCounts(e.ID)
	rights := map[string][]string{}
	for t, levels := range st.folderAccesses(c.caller, e) {
		names := make([]string, 0, len(levels))
		for _, l := range levels {
			names = append(names, l.String())
		}
		rights[subjectTypeName(t)] = names
	}
	if len(rights) > 0 {
		d.AvailableShareRights = rights
	}
	if e.IsRoom() {
		rt := int(e.RoomType)
		d.RoomType = &rt
		d.Tags = []string{}
		in := strings.EqualFold(e.CreatedBy, c.caller.ID)
		if !in {
			sh := st.shareFor(e.ID, c.caller.ID)
			in = sh != nil && sh.SubjectType == SubjectUser
		}
		d.InRoom = &in
	}
	return d
}

// fileDTO renders FileDto for a file.
func (c *call) fileDTO(e *Entry) fileDTO {
	size := int64(len(e.Content()))
	comment := ""
	if v := e.Versions; len(v) > 1 {
		comment = "Uploaded"
	}
	return fileDTO{
		entryBaseDTO: c.entryBase(e, fileActions()), FolderID: e.ParentID, Version: e.Version(),
		VersionGroup: e.Version(), ContentLength: sizeString(size), PureContentLength: size,
		ViewURL:  c.baseURL() + "/filehandler.ashx?action=view&fileid=" + strconv.Itoa(e.ID),
		WebURL:   c.baseURL() + "/doceditor?fileid=" + strconv.Itoa(e.ID) + "&version=" + strconv.Itoa(e.Version()),
		FileType: int(fileTypeOf(e.Title)), FileExst: e.Ext(), Comment: comment,
	}
}

// visible reports whether the caller can see an entry in a listing.
func (c *call) visible(e *Entry) bool { return c.s.st.can(c.caller, e, actRead) }

// pathParts returns the breadcrumbs of folder f: the folders from its root down to it. Above a folder shared
// from someone else's My documents, the caller sees only the part they may read.
func (c *call) pathParts(f *Entry) []pathPartDTO {
	var out []pathPartDTO
	for _, x := range c.s.st.chain(f) {
		if !c.visible(x) {
			out = out[:0]
			continue
		}
		p := pathPartDTO{ID: x.ID, Title: x.Title, FolderType: int(x.FolderType)}
		if x.IsRoom() {
			rt := int(x.RoomType)
			p.RoomType = &rt
		}
		out = append(out, p)
	}
	return out
}

// sizeString formats a byte count as DocSpace's FileSizeComment does: "26 bytes", "1.5 KB".
func sizeString(n int64) string {
	units := []string{"bytes", "KB", "MB", "GB", "TB"}
	v := float64(n)
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%d %s", n, units[0])
	}
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + " " + units[i]
}

// fileType is DocSpace's FileType.
type fileType int

const (
	fileTypeUnknown      fileType = 0
	fileTypeArchive      fileType = 1
	fileTypeVideo        fileType = 2
	fileTypeAudio        fileType = 3
	fileTypeImage        fileType = 4
	fileTypeSpreadsheet  fileType = 5
	fileTypePresentation fileType = 6
	fileTypeDocument     fileType = 7
	fileTypePdf          fileType = 10
)

// fileTypeOf classifies a file by its extension as FileUtility does for the common formats.
func fileTypeOf(title string) fileType {
	ext := ""
	if i := strings.LastIndexByte(title, '.'); i >= 0 {
		ext = strings.ToLower(title[i:])
	}
	switch ext {
	case ".docx", ".doc", ".odt", ".rtf", ".txt", ".md", ".html", ".htm", ".docm", ".dotx", ".epub", ".fb2":
		return fileTypeDocument
	case ".xlsx", ".xls", ".ods", ".csv", ".xlsm", ".xltx":
		return fileTypeSpreadsheet
	case ".pptx", ".ppt", ".odp", ".pptm", ".potx":
		return fileTypePresentation
	case ".pdf":
		return fileTypePdf
	case ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".svg", ".webp", ".tiff", ".ico":
		return fileTypeImage
	case ".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2":
		return fileTypeArchive
	case ".mp4", ".avi", ".mkv", ".mov", ".webm", ".wmv":
		return fileTypeVideo
	case ".mp3", ".wav", ".ogg", ".flac", ".m4a", ".aac":
		return fileTypeAudio
	}
	return fileTypeUnknown
}

// entryHookDTO is the internal folder or file record that file webhooks carry as their payload (camelCase,
// defaults omitted).
type entryHookDTO struct {
	ID             int    `json:"id"`
	Title          string `json:"title,omitempty"`
	ParentID       int    `json:"parentId,omitempty"`
	FolderType     int    `json:"folderType,omitempty"`
	RootFolderType int    `json:"rootFolderType,omitempty"`
	Version        int    `json:"version,omitempty"`
	ContentLength  int    `json:"contentLength,omitempty"`
	CreateBy       string `json:"createBy,omitempty"`
	CreateOn       string `json:"createOn,omitempty"`
	ModifiedBy     string `json:"modifiedBy,omitempty"`
	ModifiedOn     string `json:"modifiedOn,omitempty"`
}

// entryHook renders the webhook payload of an entry.
func (st *state) entryHook(e *Entry) entryHookDTO {
	d := entryHookDTO{ID: e.ID, Title: e.Title, ParentID: e.ParentID, RootFolderType: int(st.root(e).FolderType),
		CreateBy: e.CreatedBy, CreateOn: utcString(e.Created), ModifiedBy: e.ModifiedBy,
		ModifiedOn: utcString(e.Modified)}
	if e.Kind == KindFolder {
		d.FolderType = int(e.FolderType)
	} else {
		d.Version, d.ContentLength = e.Version(), len(e.Content())
	}
	return d
}

// touchEntry marks an entry as modified by userID at.
func touchEntry(e *Entry, userID string, at time.Time) {
	e.Modified, e.ModifiedBy = at, userID
}

// subtreeCounts counts the files and folders at any depth below a folder, as DocSpace's folder counters do.
// It walks each entry's parents once instead of listing the tree level by level.
func (st *state) subtreeCounts(folderID int) (files, folders int) {
	for _, e := range st.entries {
		for p := e.ParentID; p != 0 && e.ID != folderID; {
			if p == folderID {
				if e.Kind == KindFile {
					files++
				} else {
					folders++
				}
				break
			}
			parent := st.entries[p]
			if parent == nil {
				break
			}
			p = parent.ParentID
		}
	}
	return files, folders
}
