package docspacetest

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Audit action of an upload that stored a new version (the core's table names FileUploaded).
const actionFileUploadedWithOverwriting MessageAction = 5099

// maxFileTitle is Global.MaxTitle: longer names are truncated, keeping the extension.
const maxFileTitle = 170

// invalidTitleChars are the characters Global.ReplaceInvalidCharsAndTruncate replaces with "_".
var invalidTitleChars = regexp.MustCompile(`[\t*+:"<>?|\\/]`)

// cleanTitle is Global.ReplaceInvalidCharsAndTruncate.
func cleanTitle(title string) string {
	title = strings.TrimSpace(title)
	if r := []rune(title); len(r) > maxFileTitle {
		ext := []rune{}
		if i := strings.LastIndexByte(title, '.'); i >= 0 {
			ext = []rune(title[i:])
		}
		if len(ext) > 0 && maxFileTitle-20 < len(r)-len(ext) {
			title = string(r[:maxFileTitle-len(ext)]) + string(ext)
		} else {
			title = string(r[:maxFileTitle])
		}
	}
	return invalidTitleChars.ReplaceAllString(title, "_")
}

// upload is what InsertFileModelBinder binds: the title, the flags and the content.
type upload struct {
	title            string
	createNewIfExist bool
	content          []byte
}

// bindUpload reads an insertFile request as InsertFileModelBinder does (reference §10.1): the bare fields
// title, createNewIfExist and keepConvertStatus from the form (then the query), and the first file part
// whatever its name; without a file part, the raw body is the content.
func (c *call) bindUpload() (upload, error) {
	form := url.Values{}
	var file []byte
	hasFile := false
	mediaType, params, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	switch mediaType {
	case "multipart/form-data":
		mr := multipart.NewReader(bytes.NewReader(c.body), params["boundary"])
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return upload{}, errInternal("System.IO.IOException",
					"Unexpected end of Stream, the content may have already been read by another component.")
			}
			value, err := io.ReadAll(part)
			if err != nil {
				return upload{}, errInternal("System.IO.IOException",
					"Unexpected end of Stream, the content may have already been read by another component.")
			}
			if part.FileName() != "" {
				if !hasFile {
					file, hasFile = value, true
				}
				continue
			}
			form.Add(part.FormName(), string(value))
		}
	case "application/x-www-form-urlencoded":
		parsed, err := url.ParseQuery(string(c.body))
		if err == nil {
			form = parsed
		}
	}
	lookup := func(name string) (string, bool) {
		if v, ok := lookupQuery(form, name); ok {
			return v, true
		}
		return lookupQuery(c.r.URL.Query(), name)
	}
	var u upload
	u.title, _ = lookup("title")
	if v, ok := lookup("createNewIfExist"); ok {
		u.createNewIfExist, _ = strconv.ParseBool(strings.ToLower(strings.TrimSpace(v)))
	}
	u.content = c.body
	if hasFile {
		u.content = file
	}
	return u, nil
}

// insertFile: POST files/{folderId}/insert uploads a small file (reference §10.1). An existing title gets a
// new version unless createNewIfExist, which stores "name (1).ext" instead.
func (s *Server) insertFile(c *call) (any, error) {
	u, err := c.bindUpload()
	if err != nil {
		return nil, err
	}
	f, err := c.storeFile(c.intParam("folderId"), u.title, u.content, !u.createNewIfExist)
	if err != nil {
		return nil, err
	}
	action := ActionFileUploaded
	if f.Version() > 1 {
		action = actionFileUploadedWithOverwriting
	}
	c.audit(action, []string{strconv.Itoa(f.ID)}, f.Title)
	s.emitHook(TriggerFileUploaded, c.now, c.caller.ID, s.st.entryHook(f))
	return c.fileDTO(f), nil
}

// storeFile is FileUploader.ExecAsync: it saves content as title in the folder. With updateIfExists a file
// of that title the caller may edit gets a new version; without it an existing title becomes
// "name (1).ext"; a file the caller may not edit is left alone and a second one of the same title created.
func (c *call) storeFile(folderID int, title string, content []byte, updateIfExists bool) (*Entry, error) {
	st := c.s.st
	title = cleanTitle(title)
	if title == "" {
		return nil, errArgument("Value cannot be null. (Parameter 'title')")
	}
	folder := st.folder(folderID)
	if folder == nil {
		return nil, errNotFound(msgFolderNotFound)
	}
	if folder.FolderType == FolderVirtualRooms || folder.FolderType == FolderArchive ||
		!st.can(c.caller, folder, actCreate) {
		return nil, errSecurity()
	}
	if st.formsRoomOf(folder) != nil && fileTypeOf(title) != fileTypePdf {
		return nil, errInvalidOp(msgUploadToFormRoom)
	}
	existing := st.childByTitle(folder, title, KindFile)
	if updateIfExists && existing != nil && c.caller.Type != TypeGuest && st.can(c.caller, existing, actEdit) {
		addVersion(existing, content, c.caller.ID, c.now)
		return existing, nil
	}
	if !updateIfExists && existing != nil {
		title = st.availableTitle(folder, title, KindFile)
	}
	f := st.newEntry(Entry{Kind: KindFile, ParentID: folder.ID, Title: title, CreatedBy: c.caller.ID,
		ModifiedBy: c.caller.ID, Created: c.now, Modified: c.now})
	addVersion(f, content, c.caller.ID, c.now)
	return f, nil
}

// addVersion stores content as the file's next version.
func addVersion(f *Entry, content []byte, by string, at time.Time) {
	f.Versions = append(f.Versions, FileVersion{Version: f.Version() + 1, Content: bytes.Clone(content), Created: at,
		CreatedBy: by})
	touchEntry(f, by, at)
}

// textFileRequest is CreateTextOrHtmlFile.
type textFileRequest struct {
	Title            *string `json:"title"`
	Content          *string `json:"content"`
	CreateNewIfExist bool    `json:"createNewIfExist"`
}

// markup is what makes createTextFile choose .html.
var markup = regexp.MustCompile(`<([^\s>]*)(\s[^<]*)>`)

// createTextFile: POST files/{folderId}/text stores a text file (reference §10.2). ".txt" is appended, or
// ".html" when the content looks like markup, unless the title already ends so. The flag is inverted on the
// way to the uploader: createNewIfExist:false stores "name (1).txt", true a new version.
func (s *Server) createTextFile(c *call) (any, error) {
	var req textFileRequest
	if err := c.bind(&req, "inDto", true); err != nil {
		return nil, err
	}
	if req.Title == nil || *req.Title == "" {
		return nil, errValidation("Title", "The Title field is required.")
	}
	if utf16Len(*req.Title) > maxFolderTitle {
		return nil, errValidation("Title", "The field Title must be a string with a maximum length of 165.")
	}
	title := *req.Title
	if strings.TrimSpace(title) == "" {
		return nil, errArgument("The value cannot be an empty string or composed entirely of whitespace. (Parameter 'title')")
	}
	content := ""
	if req.Content != nil {
		content = *req.Content
	}
	ext := ".txt"
	if content != "" && markup.MatchString(content) {
		ext = ".html"
	}
	if !strings.HasSuffix(strings.ToLower(title), ext) {
		title += ext
	}
	f, err := c.storeFile(c.intParam("folderId"), title, []byte(content), req.CreateNewIfExist)
	if err != nil {
		return nil, err
	}
	return c.fileDTO(f), nil
}
