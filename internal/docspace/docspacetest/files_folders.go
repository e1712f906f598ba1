package docspacetest

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Messages of the Files module (FilesCommonResource.resx).
const (
	msgFolderNotFound    = "The required folder was not found"
	msgFileNotFound      = "The required file was not found"
	msgReadFolder        = "You don't have enough permission to view the folder content"
	msgCreate            = "You don't have enough permission to create"
	msgArchivedRoom      = "You cannot edit archived rooms"
	msgFolderCopyError   = "You cannot copy the folder to its subfolder"
	msgMoveFolder        = "You don't have enough permission to move the folder"
	msgMoveFile          = "You don't have enough permission to move the file"
	msgRoleNotAvailable  = "The role is not available for this user type"
	msgNoPermission      = "You don't have enough permission to perform the operation"
	msgChangeOwner       = "You cannot select this user"
	msgMoveFolderToForms = "Moving folders to the Form Filling room is not supported. Move one ONLYOFFICE PDF form at a time."
	msgMoveFilesToForms  = "Moving several files to the Form Filling room is not supported. Move one ONLYOFFICE PDF form at a time."
	msgMoveToFormRoom    = "The file cannot be moved to this room. Please try to move the ONLYOFFICE PDF form."
	msgUploadToFormRoom  = "The file cannot be uploaded to this room. Please try to upload the ONLYOFFICE PDF form."
)

// maxFolderTitle is CreateFolder.title's [StringLength]; rooms allow maxRoomTitle.
const (
	maxFolderTitle = 165
	maxRoomTitle   = 170
)

// utf16Len is a string's length as .NET counts it.
func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

// readableFolder returns the folder with id if the caller may read it: 404 when it does not exist, 403
// InvalidOperation when it may not be read (reference §8.1).
func (c *call) readableFolder(id int) (*Entry, error) {
	f := c.s.st.folder(id)
	if f == nil {
		return nil, errNotFound(msgFolderNotFound)
	}
	if !c.visible(f) {
		return nil, errInvalidOp(msgReadFolder)
	}
	return f, nil
}

// intParam reads an int path parameter (the router has checked its form).
func (c *call) intParam(name string) int {
	n, err := strconv.Atoi(c.param(name))
	if err != nil {
		return 0 // the {name:int} route segment rules this out
	}
	return n
}

// getFolderInfo: GET files/folder/{folderId} returns FolderDto (reference §8.1).
func (s *Server) getFolderInfo(c *call) (any, error) {
	f, err := c.readableFolder(c.intParam("folderId"))
	if err != nil {
		return nil, err
	}
	return c.folderDTO(f), nil
}

// getFolderByFolderID: GET files/{folderId} returns the folder's contents (reference §8.1).
func (s *Server) getFolderByFolderID(c *call) (any, error) {
	f, err := c.readableFolder(c.intParam("folderId"))
	if err != nil {
		return nil, err
	}
	return c.folderContent(f)
}

// getMyFolder: GET files/@my returns the caller's own My documents; guests have none.
func (s *Server) getMyFolder(c *call) (any, error) {
	if c.caller.MyDocumentsID == 0 {
		return nil, errNotFound(msgFolderNotFound)
	}
	f, err := c.readableFolder(c.caller.MyDocumentsID)
	if err != nil {
		return nil, err
	}
	return c.folderContent(f)
}

// contentFilter is the query of a folder-contents request.
type contentFilter struct {
	filterType     int
	text           string
	subject        string
	excludeSubject bool
	withSubFolders bool
	extensions     []string
	applyTo        int // ApplyFilterOption: 0 All, 1 Files, 2 Folders
	sortBy         string
	descending     bool
	roomTypes      []RoomType
}

// Filter types (FilterType) the simulator applies.
const (
	filterNone          = 0
	filterFilesOnly     = 1
	filterFoldersOnly   = 2
	filterDocuments     = 3
	filterPresentations = 4
	filterSpreadsheets  = 5
	filterImages        = 7
	filterByUser        = 8
	filterByDepartment  = 9
	filterArchives      = 10
	filterByExtension   = 11
	filterMedia         = 12
	filterPdf           = 22
)

func filterTypeNames() map[string]int {
	return map[string]int{"none": 0, "filesonly": 1, "foldersonly": 2, "documentsonly": 3, "presentationsonly": 4,
		"spreadsheetsonly": 5, "imagesonly": 7, "byuser": 8, "bydepartment": 9, "archiveonly": 10, "byextension": 11,
		"mediaonly": 12, "fillingformsrooms": 13, "editingrooms": 14, "customrooms": 17, "publicrooms": 20, "pdf": 22,
		"pdfform": 23, "virtualdatarooms": 24, "diagramsonly": 25, "airooms": 26}
}

func validFilterType(n int) bool {
	for _, v := range filterTypeNames() {
		if v == n {
			return true
		}
	}
	return false
}

func sortOrderNames() map[string]int { return map[string]int{"ascending": 0, "descending": 1} }

func validSortOrder(n int) bool { return n == 0 || n == 1 }

func applyFilterNames() map[string]int { return map[string]int{"all": 0, "files": 1, "folders": 2} }

func validApplyFilter(n int) bool { return n >= 0 && n <= 2 }

// queryBool reads a boolean query parameter; a value that is not a boolean is a validation failure.
func (c *call) queryBool(name string) (bool, error) {
	v, ok := c.query(name)
	if !ok || v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		return false, errValidation(name, "The value '"+v+"' is not valid.")
	}
	return b, nil
}

// queryAll returns every value of a query parameter whose name matches name or name[] (any case), as
// ASP.NET binds arrays from repeated keys.
func (c *call) queryAll(name string) []string {
	var out []string
	for k, vs := range c.r.URL.Query() {
		if strings.EqualFold(k, name) || strings.EqualFold(k, name+"[]") {
			out = append(out, vs...)
		}
	}
	return out
}

// contentQuery reads the filters of a folder-contents request.
func (c *call) contentQuery() (contentFilter, error) {
	var f contentFilter
	var err error
	if f.filterType, _, err = c.queryEnum("filterType", filterTypeNames(), validFilterType); err != nil {
		return f, err
	}
	f.text, _ = c.query("filterValue")
	f.text = strings.TrimSpace(f.text)
	if f.subject, _, err = c.queryGUID("userIdOrGroupId"); err != nil {
		return f, err
	}
	if f.excludeSubject, err = c.queryBool("excludeSubject"); err != nil {
		return f, err
	}
	if f.withSubFolders, err = c.queryBool("withSubFolders"); err != nil {
		return f, err
	}
	for _, v := range c.queryAll("extension") {
		for _, x := range strings.Split(v, ",") {
			if x = strings.ToLower(strings.TrimSpace(x)); x != "" {
				if !strings.HasPrefix(x, ".") {
					x = "." + x
				}
				f.extensions = append(f.extensions, x)
			}
		}
	}
	if f.applyTo, _, err = c.queryEnum("applyFilterOption", applyFilterNames(), validApplyFilter); err != nil {
		return f, err
	}
	f.sortBy, _ = c.query("sortBy")
	order, hasOrder, err := c.queryEnum("sortOrder", sortOrderNames(), validSortOrder)
	if err != nil {
		return f, err
	}
	f.descending = order == 1
	if f.sortBy == "" && !hasOrder {
		f.sortBy, f.descending = "DateAndTime", true
	}
	return f, nil
}

// matches reports whether an entry passes the filter.
func (c *call) matches(f contentFilter, e *Entry) bool {
	st := c.s.st
	isFile := e.Kind == KindFile
	applies := f.applyTo == 0 || f.applyTo == 1 && isFile || f.applyTo == 2 && !isFile
	if applies && f.text != "" && !strings.Contains(strings.ToLower(e.Title), strings.ToLower(f.text)) {
		return false
	}
	if len(f.roomTypes) > 0 && (!e.IsRoom() || !slices.Contains(f.roomTypes, e.RoomType)) {
		return false
	}
	subject := func(match bool) bool { return match != f.excludeSubject }
	switch f.filterType {
	case filterFilesOnly:
		return isFile
	case filterFoldersOnly:
		return !isFile
	case filterDocuments:
		return isFile && fileTypeOf(e.Title) == fileTypeDocument
	case filterPresentations:
		return isFile && fileTypeOf(e.Title) == fileTypePresentation
	case filterSpreadsheets:
		return isFile && fileTypeOf(e.Title) == fileTypeSpreadsheet
	case filterImages:
		return isFile && fileTypeOf(e.Title) == fileTypeImage
	case filterArchives:
		return isFile && fileTypeOf(e.Title) == fileTypeArchive
	case filterMedia:
		t := fileTypeOf(e.Title)
		return isFile && (t == fileTypeVideo || t == fileTypeAudio)
	case filterPdf:
		return isFile && fileTypeOf(e.Title) == fileTypePdf
	case filterByExtension:
		return isFile && (len(f.extensions) == 0 || slices.Contains(f.extensions, e.Ext()))
	case filterByUser:
		return f.subject == "" || subject(strings.EqualFold(e.CreatedBy, f.subject))
	case filterByDepartment:
		if f.subject == "" {
			return true
		}
		g := st.group(f.subject)
		return subject(g != nil && slices.ContainsFunc(g.Members, func(m string) bool {
			return strings.EqualFold(m, e.CreatedBy)
		}))
	}
	if len(f.extensions) > 0 && isFile && !slices.Contains(f.extensions, e.Ext()) {
		return false
	}
	return true
}

// sortEntries orders entries as DocSpace lists them: folders first, then files, each by the sort key.
func sortEntries(entries []*Entry, sortBy string, descending bool) {
	key := strings.ToLower(sortBy)
	slices.SortStableFunc(entries, func(a, b *Entry) int {
		if a.Kind != b.Kind {
			return int(a.Kind) - int(b.Kind)
		}
		var r int
		switch key {
		case "az", "title":
			r = cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
		case "size":
			r = cmp.Compare(len(a.Content()), len(b.Content()))
		case "author":
			r = cmp.Compare(a.CreatedBy, b.CreatedBy)
		case "type":
			r = cmp.Compare(fileTypeOf(a.Title), fileTypeOf(b.Title))
		case "roomtype":
			r = cmp.Compare(a.RoomType, b.RoomType)
		case "dateandtimecreation":
			r = a.Created.Compare(b.Created)
		default: // DateAndTime
			r = a.Modified.Compare(b.Modified)
		}
		if descending {
			r = -r
		}
		if r == 0 {
			r = a.ID - b.ID
		}
		return r
	})
}

// folderContent builds FolderContentDto for folder f from the request's paging and filters. The Rooms
// section and the Archive list only the rooms the caller can see.
func (c *call) folderContent(f *Entry) (any, error) {
	count, start, err := c.paging(true)
	if err != nil {
		return nil, err
	}
	filter, err := c.contentQuery()
	if err != nil {
		return nil, err
	}
	return c.listFolder(f, filter, count, start), nil
}

// listFolder lists folder f's visible entries matching filter, one page of them. With withSubFolders a
// search looks at every level below f.
func (c *call) listFolder(f *Entry, filter contentFilter, count, start int) folderContentDTO {
	st := c.s.st
	candidates := st.children(f.ID)
	searching := filter.text != "" || filter.filterType != filterNone || len(filter.extensions) > 0
	if filter.withSubFolders && searching && f.FolderType != FolderVirtualRooms && f.FolderType != FolderArchive {
		candidates = st.descendants(f.ID)
	}
	return c.listEntries(f, candidates, filter, count, start)
}

// listEntries builds FolderContentDto for current from the candidates the caller can see and the filter
// keeps: sorted, then paged; count is the page's length and total the number of matches.
func (c *call) listEntries(current *Entry, candidates []*Entry, filter contentFilter, count, start int) folderContentDTO {
	var entries []*Entry
	for _, e := range candidates {
		if c.visible(e) && c.matches(filter, e) {
			entries = append(entries, e)
		}
	}
	sortEntries(entries, filter.sortBy, filter.descending)
	total := len(entries)
	from := min(start, total)
	to := min(from+count, total)
	d := folderContentDTO{Files: []any{}, Folders: []any{}, Current: c.folderDTO(current),
		PathParts: c.pathParts(current), StartIndex: start, Count: to - from, Total: total}
	for _, e := range entries[from:to] {
		if e.Kind == KindFile {
			d.Files = append(d.Files, c.fileDTO(e))
		} else {
			d.Folders = append(d.Folders, c.folderDTO(e))
		}
	}
	return d
}

// titleRequest is the body of createFolder (CreateFolder).
type titleRequest struct {
	Title *string `json:"title"`
}

// validateTitle applies the DTO's [Required] and [StringLength(max)] to a title.
func validateTitle(title *string, max int) (string, error) {
	if title == nil || *title == "" {
		return "", errValidation("Title", "The Title field is required.")
	}
	if utf16Len(*title) > max {
		return "", errValidation("Title", "The field Title must be a string with a maximum length of "+strconv.Itoa(max)+".")
	}
	t := strings.TrimSpace(*title)
	if t == "" {
		return "", errArgument("The value cannot be an empty string. (Parameter 'title')")
	}
	return t, nil
}

// createFolder: POST files/folder/{folderId} creates a folder (reference §8.2). Titles are not
// deduplicated; a missing parent is a 403, not a 404.
func (s *Server) createFolder(c *call) (any, error) {
	var req titleRequest
	if err := c.bind(&req, "inDto", true); err != nil {
		return nil, err
	}
	title, err := validateTitle(req.Title, maxFolderTitle)
	if err != nil {
		return nil, err
	}
	st := s.st
	parent := st.folder(c.intParam("folderId"))
	switch {
	case parent == nil:
		return nil, errInvalidOp(msgFolderNotFound)
	case st.areaOf(parent) == areaArchive:
		return nil, errInvalidOp(msgArchivedRoom)
	case !st.can(c.caller, parent, actCreate), parent.FolderType == FolderVirtualRooms:
		return nil, errInvalidOp(msgCreate)
	}
	f := st.newEntry(Entry{Kind: KindFolder, ParentID: parent.ID, Title: title, Private: parent.Private,
		CreatedBy: c.caller.ID, ModifiedBy: c.caller.ID, Created: c.now, Modified: c.now})
	c.audit(ActionFolderCreated, []string{strconv.Itoa(f.ID)}, f.Title)
	return c.folderDTO(f), nil
}
