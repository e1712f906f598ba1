package docspacetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// conflictType is FileConflictResolveType (reference §8.6).
type conflictType int

const (
	conflictSkip      conflictType = 0
	conflictOverwrite conflictType = 1
	conflictDuplicate conflictType = 2
)

func conflictTypeNames() map[string]int {
	return map[string]int{"skip": 0, "overwrite": 1, "duplicate": 2}
}

func validConflictType(n int) bool { return n >= 0 && n <= 2 }

// jsonConflict is a FileConflictResolveType in a body: the name (any case) or the number (reference §1.1).
type jsonConflict conflictType

// UnmarshalJSON accepts "Overwrite", 1 and "1"; anything else fails binding.
func (t *jsonConflict) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var n int
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		s = strconv.Itoa(n)
	}
	n, ok := parseEnum(s, conflictTypeNames(), validConflictType)
	if !ok {
		return &fieldError{field: "conflictResolveType",
			msg: "The JSON value could not be converted to ASC.Files.Core.FileConflictResolveType."}
	}
	*t = jsonConflict(n)
	return nil
}

// batchRequest is BatchRequestDto, the body of moveBatchItems (reference §8.3).
type batchRequest struct {
	FolderIDs             []jsonIntOrString `json:"folderIds"`
	FileIDs               []jsonIntOrString `json:"fileIds"`
	DestFolderID          *jsonIntOrString  `json:"destFolderId"`
	ConflictResolveType   jsonConflict      `json:"conflictResolveType"`
	DeleteAfter           bool              `json:"deleteAfter"`
	Content               bool              `json:"content"`
	ToFillOut             bool              `json:"toFillOut"`
	ReturnSingleOperation bool              `json:"returnSingleOperation"`
}

// missingID stands for an id that names no entry (a non-numeric, third-party style id).
const missingID = -1

// entryIDs turns batch ids into entry ids; ids that are not numbers name nothing the simulator has.
func entryIDs(list []jsonIntOrString) []int {
	out := make([]int, 0, len(list))
	for _, v := range list {
		n, ok := v.Int()
		if !ok {
			n = missingID
		}
		out = append(out, n)
	}
	return out
}

// fileOperationDTO is FileOperationDto; note the capitalised Operation property (reference §8.3).
type fileOperationDTO struct {
	ID        string `json:"id"`
	Operation int    `json:"Operation"`
	Progress  int    `json:"progress"`
	Error     string `json:"error"`
	Processed string `json:"processed"`
	Finished  bool   `json:"finished"`
	Files     []any  `json:"files,omitempty"`
	Folders   []any  `json:"folders,omitempty"`
	Status    int    `json:"status"`
}

// contentOf replaces listed folders by their children, as content:true asks (reference §8.3): the folders
// themselves stay behind.
func (st *state) contentOf(folders, files []int) ([]int, []int) {
	var outFolders []int
	outFiles := slices.Clone(files)
	for _, id := range folders {
		for _, c := range st.children(id) {
			if c.Kind == KindFolder {
				outFolders = append(outFolders, c.ID)
			} else {
				outFiles = append(outFiles, c.ID)
			}
		}
	}
	return outFolders, outFiles
}

// submitMove validates a move synchronously and starts its operation. With no sources it starts nothing
// and returns nil.
func (s *Server) submitMove(c *call, p *movePlan, deleteAfter bool) (*fileOperation, error) {
	if len(p.folders) == 0 && len(p.files) == 0 {
		return nil, nil
	}
	if err := s.st.checkMove(p); err != nil {
		return nil, err
	}
	steps, run := s.moveSteps(p)
	run.op = s.newFileOperation(c, OperationMove, deleteAfter, steps)
	return run.op, nil
}

// moveBatchItems: PUT files/fileops/move starts a background move (reference §8.3). The reply lists this
// operation (returnSingleOperation) or every move of the caller, read-once, as a streamed list.
func (s *Server) moveBatchItems(c *call) (any, error) {
	var req batchRequest
	if err := c.bind(&req, "inDto", true); err != nil {
		return nil, err
	}
	p := &movePlan{folders: entryIDs(req.FolderIDs), files: entryIDs(req.FileIDs), destID: missingID,
		resolve: conflictType(req.ConflictResolveType), actor: c.caller, client: c.client()}
	if req.DestFolderID != nil {
		if n, ok := req.DestFolderID.Int(); ok {
			p.destID = n
		}
	}
	if req.Content && (len(p.folders) > 0 || len(p.files) > 0) {
		p.folders, p.files = s.st.contentOf(p.folders, p.files)
	}
	op, err := s.submitMove(c, p, req.DeleteAfter)
	if err != nil {
		return nil, err
	}
	ops := s.fileOperationsOf(c.caller.ID)
	if req.ReturnSingleOperation {
		ops = nil
		if op != nil {
			ops = []*fileOperation{op}
		}
	}
	return streamed{items: c.reportOperations(ops, func(o *fileOperation) bool { return o.Type == OperationMove })}, nil
}

// reportOperations renders operations as a poll sees them (FileOperationsManager.GetOperationResults): an
// operation past Running is reported with progress 100 and then deleted, so its final state is read once,
// and never when it was submitted with deleteAfter (reference §8.4).
func (c *call) reportOperations(ops []*fileOperation, keep func(*fileOperation) bool) []fileOperationDTO {
	out := []fileOperationDTO{}
	for _, op := range ops {
		if keep != nil && !keep(op) {
			continue
		}
		j := op.job
		progress := j.percent
		if j.status > TaskRunning {
			progress = 100
			c.s.dropFileOperation(op)
			if op.DeleteAfter {
				continue
			}
		}
		out = append(out, c.operationDTO(op, progress))
	}
	return out
}

// operationDTO renders FileOperationDto with the results at their current location.
func (c *call) operationDTO(op *fileOperation, progress int) fileOperationDTO {
	j := op.job
	d := fileOperationDTO{ID: op.ID, Operation: int(op.Type), Progress: progress, Error: op.Error,
		Processed: strconv.Itoa(op.Processed), Finished: j.done, Status: int(j.status)}
	if j.err != "" {
		d.Error = j.err
	}
	for _, id := range op.FolderIDs {
		if f := c.s.st.folder(id); f != nil {
			d.Folders = append(d.Folders, c.folderDTO(f))
		}
	}
	for _, id := range op.FileIDs {
		if f := c.s.st.file(id); f != nil {
			d.Files = append(d.Files, c.fileDTO(f))
		}
	}
	return d
}

// getOperationStatuses: GET files/fileops lists the caller's operations of every kind, or with ?id= one of
// them (reference §8.4).
func (s *Server) getOperationStatuses(c *call) (any, error) {
	id, _ := c.query("id")
	return streamed{items: c.reportOperations(s.fileOperationsOf(c.caller.ID), func(op *fileOperation) bool {
		return id == "" || op.ID == id
	})}, nil
}

func fileOperationTypeNames() map[string]int {
	return map[string]int{"move": 0, "copy": 1, "delete": 2, "download": 3, "markasread": 4, "import": 5,
		"convert": 6, "duplicate": 7}
}

func validFileOperationType(n int) bool { return n >= 0 && n <= 7 }

// getOperationStatusesByType: GET files/fileops/{operationType} lists the caller's operations of one type.
// The literal route files/fileops/move (in any case) is the conflict check, so moves are polled as /0.
func (s *Server) getOperationStatusesByType(c *call) (any, error) {
	raw := c.param("operationType")
	n, ok := parseEnum(raw, fileOperationTypeNames(), validFileOperationType)
	if !ok {
		return nil, errValidation("operationType", fmt.Sprintf("The value '%s' is not valid.", raw))
	}
	t := FileOperationType(n)
	if t == OperationImport || t == OperationConvert {
		return nil, errArgument("Specified argument was out of the range of valid values.")
	}
	id, _ := c.query("id")
	return streamed{items: c.reportOperations(s.fileOperationsOf(c.caller.ID), func(op *fileOperation) bool {
		return op.Type == t && (id == "" || op.ID == id)
	})}, nil
}

// terminateTasks: PUT files/fileops/terminate/{id} cancels and deletes the caller's operation (all of them
// without an id); work already done stays. The reply lists what remains.
func (s *Server) terminateTasks(c *call) (any, error) {
	id := c.param("id")
	for _, op := range s.fileOperationsOf(c.caller.ID) {
		if id == "" || op.ID == id {
			op.job.cancel(c.now)
			s.dropFileOperation(op)
		}
	}
	return streamed{items: c.reportOperations(s.fileOperationsOf(c.caller.ID), nil)}, nil
}

// checkMoveOrCopyBatchItems: GET files/fileops/move is the conflict check (reference §8.5): the source files
// whose title exists in the destination and the source folders that would merge. A missing destination or
// no create right there is a 403.
func (s *Server) checkMoveOrCopyBatchItems(c *call) (any, error) {
	st := s.st
	parse := func(name string) ([]int, error) {
		var out []int
		for _, v := range c.queryAll(name) {
			for _, x := range strings.Split(v, ",") {
				if x = strings.TrimSpace(x); x == "" {
					continue
				}
				n, err := strconv.Atoi(x)
				if err != nil {
					n = missingID
				}
				out = append(out, n)
			}
		}
		return out, nil
	}
	folders, _ := parse("folderIds")
	files, _ := parse("fileIds")
	if _, _, err := c.queryEnum("conflictResolveType", conflictTypeNames(), validConflictType); err != nil {
		return nil, err
	}
	destRaw, _ := c.query("destFolderId")
	destID, err := strconv.Atoi(strings.TrimSpace(destRaw))
	if err != nil {
		destID = missingID
	}
	dest := st.folder(destID)
	if dest == nil {
		return nil, errInvalidOp(msgFolderNotFound)
	}
	if !st.can(c.caller, dest, actCreate) {
		return nil, errInvalidOp(msgCreate)
	}
	var conflictFolders, conflictFiles []*Entry
	for _, id := range files {
		if f := st.file(id); f != nil && st.childByTitle(dest, f.Title, KindFile) != nil {
			conflictFiles = append(conflictFiles, f)
		}
	}
	for _, id := range folders {
		f := st.folder(id)
		if f == nil {
			continue
		}
		if f.ID == dest.ID || st.isUnder(dest.ID, f.ID) {
			return nil, errInvalidOp(msgFolderCopyError)
		}
		if st.childByTitle(dest, f.Title, KindFolder) != nil {
			conflictFolders = append(conflictFolders, f)
		}
	}
	var out []any
	for _, e := range append(conflictFolders, conflictFiles...) {
		if c.visible(e) {
			out = append(out, c.entryDTO(e))
		}
	}
	return streamed{items: out}, nil
}
