package docspace

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode/utf16"
)

// MaxPageSize is the largest page DocSpace serves (reference §1.5).
const MaxPageSize = 100

// Title limits of DocSpace's request DTOs ([StringLength]): folders
// (reference §8.2) and rooms (CreateRoomRequestDto.title in the OpenAPI
// document). .NET counts them in UTF-16 code units.
const (
	maxFolderTitle = 165
	maxRoomTitle   = 170
)

// ListQuery pages and filters a folder listing. Zero values leave DocSpace's
// defaults (100 entries from the start, its default order).
type ListQuery struct {
	// Count is the page size, 1..100; 0 means 100.
	Count int
	// StartIndex is the offset of the first entry.
	StartIndex int
	// FilterValue searches titles.
	FilterValue string
	// SortBy names the sort field, e.g. "DateAndTime" or "AZ"; with it,
	// Descending selects the order.
	SortBy     string
	Descending bool
}

func (q ListQuery) values(op string) (url.Values, error) {
	v := url.Values{}
	if err := addPage(v, op, q.Count, q.StartIndex); err != nil {
		return nil, err
	}
	if q.FilterValue != "" {
		v.Set("filterValue", q.FilterValue)
	}
	if q.SortBy != "" {
		v.Set("sortBy", q.SortBy)
		v.Set("sortOrder", boolDigit(q.Descending))
	}
	return v, nil
}

// addPage adds count and startIndex, rejecting what DocSpace would.
func addPage(v url.Values, op string, count, start int) error {
	switch {
	case count < 0 || count > MaxPageSize:
		return newArgError(op, "page size %d is outside 1..%d", count, MaxPageSize)
	case start < 0:
		return newArgError(op, "negative start index %d", start)
	}
	if count > 0 {
		v.Set("count", strconv.Itoa(count))
	}
	if start > 0 {
		v.Set("startIndex", strconv.Itoa(start))
	}
	return nil
}

func boolDigit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// Folder returns a folder or room (getFolderInfo, GET files/folder/{folderId}).
// Unknown: ErrNotFound; not readable by the caller: ErrForbidden.
func (c *Client) Folder(ctx context.Context, id int) (*Folder, error) {
	if err := checkEntryID(string(opGetFolderInfo), "folder id", id); err != nil {
		return nil, err
	}
	return callJSON[Folder](ctx, c, &request{
		op:       opGetFolderInfo,
		segments: []string{"files", "folder", strconv.Itoa(id)},
	})
}

// FolderContents returns one page of a folder's content (getFolderByFolderId,
// GET files/{folderId}). Page with StartIndex until it reaches Total.
func (c *Client) FolderContents(ctx context.Context, id int, q ListQuery) (*FolderContents, error) {
	const op = string(opGetFolderByFolderID)
	if err := checkEntryID(op, "folder id", id); err != nil {
		return nil, err
	}
	v, err := q.values(op)
	if err != nil {
		return nil, err
	}
	return callJSON[FolderContents](ctx, c, &request{
		op:       opGetFolderByFolderID,
		segments: []string{"files", strconv.Itoa(id)},
		query:    v,
	})
}

// MyDocuments returns one page of the caller's own My documents (getMyFolder,
// GET files/@my). Nobody can list another user's My documents.
func (c *Client) MyDocuments(ctx context.Context, q ListQuery) (*FolderContents, error) {
	v, err := q.values(string(opGetMyFolder))
	if err != nil {
		return nil, err
	}
	return callJSON[FolderContents](ctx, c, &request{
		op:       opGetMyFolder,
		segments: []string{"files", "@my"},
		query:    v,
	})
}

// File returns a file (getFileInfo, GET files/file/{fileId}).
// Unknown: ErrNotFound; not readable by the caller: ErrForbidden.
func (c *Client) File(ctx context.Context, id int) (*File, error) {
	if err := checkEntryID(string(opGetFileInfo), "file id", id); err != nil {
		return nil, err
	}
	return callJSON[File](ctx, c, &request{
		op:       opGetFileInfo,
		segments: []string{"files", "file", strconv.Itoa(id)},
	})
}

// CreateFolder creates a folder and returns it (createFolder,
// POST files/folder/{folderId}). DocSpace does not deduplicate titles: every
// call creates another folder, so look the folder up first; the call is never
// repeated on an ambiguous failure. A missing parent is ErrForbidden, as
// DocSpace reports it.
func (c *Client) CreateFolder(ctx context.Context, parentID int, title string) (*Folder, error) {
	const op = string(opCreateFolder)
	if err := checkEntryID(op, "parent folder id", parentID); err != nil {
		return nil, err
	}
	if err := checkTitle(op, title, maxFolderTitle); err != nil {
		return nil, err
	}
	body, err := jsonBody(op, struct {
		Title string `json:"title"`
	}{title})
	if err != nil {
		return nil, err
	}
	return callJSON[Folder](ctx, c, &request{
		op:          opCreateFolder,
		segments:    []string{"files", "folder", strconv.Itoa(parentID)},
		body:        body,
		contentType: contentTypeJSON,
	})
}

// MoveRequest is a move of folders and files into a destination folder.
// The client always sends deleteAfter:false (so the final state can be read
// once) and returnSingleOperation:true.
type MoveRequest struct {
	FolderIDs    []int
	FileIDs      []int
	DestFolderID int
	// ConflictResolve applies to files whose title exists in the destination.
	ConflictResolve ConflictResolve
	// Content moves the CHILDREN of each listed folder instead of the folder,
	// leaving the folder behind, empty. Leave it false to move folders.
	Content bool
}

// Move queues a move and returns its operation (moveBatchItems,
// PUT files/fileops/move). The answer only means "queued": wait for the
// result with WaitOperation. Never repeated on an ambiguous failure: check
// the destination first. Check each source folder exists beforehand, since
// DocSpace answers 500 when the first one does not.
func (c *Client) Move(ctx context.Context, m MoveRequest) (*FileOperation, error) {
	const op = string(opMoveBatchItems)
	if len(m.FolderIDs)+len(m.FileIDs) == 0 {
		return nil, newArgError(op, "nothing to move")
	}
	if err := checkEntryID(op, "destination folder id", m.DestFolderID); err != nil {
		return nil, err
	}
	for _, id := range append(append([]int(nil), m.FolderIDs...), m.FileIDs...) {
		if err := checkEntryID(op, "source id", id); err != nil {
			return nil, err
		}
	}
	body, err := jsonBody(op, struct {
		FolderIDs             []int           `json:"folderIds"`
		FileIDs               []int           `json:"fileIds"`
		DestFolderID          int             `json:"destFolderId"`
		ConflictResolveType   ConflictResolve `json:"conflictResolveType"`
		DeleteAfter           bool            `json:"deleteAfter"`
		Content               bool            `json:"content"`
		ReturnSingleOperation bool            `json:"returnSingleOperation"`
	}{
		FolderIDs: nonNil(m.FolderIDs), FileIDs: nonNil(m.FileIDs), DestFolderID: m.DestFolderID,
		ConflictResolveType: m.ConflictResolve, DeleteAfter: false, Content: m.Content, ReturnSingleOperation: true,
	})
	if err != nil {
		return nil, err
	}
	ops, _, resp, err := callEnvelope[[]FileOperation](ctx, c, &request{
		op:          opMoveBatchItems,
		segments:    []string{"files", "fileops", "move"},
		body:        body,
		contentType: contentTypeJSON,
	})
	if err != nil {
		return nil, err
	}
	if ops == nil || len(*ops) != 1 {
		n := 0
		if ops != nil {
			n = len(*ops)
		}
		return nil, resp.fail(ErrUnexpectedResponse, "want exactly one operation, got "+strconv.Itoa(n))
	}
	return &(*ops)[0], nil
}

// Operation returns the current state of one of the caller's file
// operations (getOperationStatuses, GET files/fileops?id=).
//
// DocSpace returns a finished operation ONCE and then forgets it, and drops
// unpolled ones about 60 s after their last update: an id it does not list
// gives ErrNoRecord. Use WaitOperation rather than polling by hand.
func (c *Client) Operation(ctx context.Context, id string) (*FileOperation, error) {
	const op = string(opGetOperationStatuses)
	if strings.TrimSpace(id) == "" {
		return nil, newArgError(op, "empty operation id")
	}
	ops, _, resp, err := callEnvelope[[]FileOperation](ctx, c, &request{
		op:       opGetOperationStatuses,
		segments: []string{"files", "fileops"},
		query:    url.Values{"id": {id}},
	})
	if err != nil {
		return nil, err
	}
	if ops != nil {
		for i := range *ops {
			if strings.EqualFold((*ops)[i].ID, id) {
				return &(*ops)[i], nil
			}
		}
	}
	return nil, resp.fail(ErrNoRecord, "no file operation with this id")
}

// Upload stores content as a file named title in a folder and returns it
// (insertFile, POST files/{folderId}/insert, multipart/form-data with the
// form field "title" and one file part). If the title exists, DocSpace stores
// a new version of that file, or with createNewIfExist a new file
// "name (1).ext". Never repeated on an ambiguous failure.
func (c *Client) Upload(ctx context.Context, folderID int, title string, content []byte, createNewIfExist bool) (*File, error) {
	const op = string(opInsertFile)
	if err := checkEntryID(op, "folder id", folderID); err != nil {
		return nil, err
	}
	if err := checkTitle(op, title, 0); err != nil {
		return nil, err
	}
	body, contentType, err := multipartFile(title, content, createNewIfExist)
	if err != nil {
		return nil, newArgError(op, "encode multipart body: %v", err)
	}
	return callJSON[File](ctx, c, &request{
		op:          opInsertFile,
		segments:    []string{"files", strconv.Itoa(folderID), "insert"},
		body:        body,
		contentType: contentType,
	})
}

// multipartFile builds the insertFile body. DocSpace binds the bare field
// names (the OpenAPI document's "InsertFile." prefixes are not what the
// server reads) and takes the first file part whatever its name; the title
// comes from the "title" field, not from the part's file name.
func multipartFile(title string, content []byte, createNewIfExist bool) ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.WriteField("title", title); err != nil {
		return nil, "", err
	}
	if err := w.WriteField("createNewIfExist", strconv.FormatBool(createNewIfExist)); err != nil {
		return nil, "", err
	}
	ct := mime.TypeByExtension(path.Ext(title))
	if ct == "" {
		ct = "application/octet-stream"
	}
	disposition := mime.FormatMediaType("form-data", map[string]string{"name": "file", "filename": title})
	if disposition == "" {
		return nil, "", fmt.Errorf("title cannot be a file name")
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", disposition)
	h.Set("Content-Type", ct)
	part, err := w.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	if _, err := part.Write(content); err != nil {
		return nil, "", err
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

// checkEntryID rejects folder, room and file ids DocSpace cannot have.
func checkEntryID(op, what string, id int) error {
	if id <= 0 {
		return newArgError(op, "%s %d is not positive", what, id)
	}
	return nil
}

// checkTitle rejects empty titles and, with max > 0, titles longer than max
// UTF-16 code units, as DocSpace's validation counts them (a character
// outside the Basic Multilingual Plane, such as an emoji, counts twice).
func checkTitle(op, title string, max int) error {
	switch {
	case strings.TrimSpace(title) == "":
		return newArgError(op, "empty title")
	case max > 0 && utf16Len(title) > max:
		return newArgError(op, "title longer than %d characters", max)
	}
	return nil
}

// utf16Len is the length of s in UTF-16 code units, the unit of .NET strings.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// nonNil turns a nil slice into an empty one, so it encodes as [] not null.
func nonNil(ids []int) []int {
	if ids == nil {
		return []int{}
	}
	return ids
}
