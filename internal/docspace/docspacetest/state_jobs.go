package docspacetest

import "slices"

// peopleJob is a reassign or remove job (reference §5, §6): one per (portal, source user).
type peopleJob struct {
	id            string // "{tenant}_{from}_ReassignProgressItem" or "..._RemoveProgressItem"
	fromID        string
	toID          string
	callerID      string
	deleteProfile bool
	job           *progressJob
}

func (p *peopleJob) view() Job {
	j := p.job
	return Job{ID: p.id, FromUserID: p.fromID, ToUserID: p.toID, CallerID: p.callerID,
		DeleteProfile: p.deleteProfile, Percentage: j.percent, IsCompleted: j.done, Status: j.status,
		Error: j.err, Queued: !j.started, LastUpdate: j.lastUpdate}
}

// fileOperation is a file operation record (move, copy, delete, archive, ...). The handlers that create it
// fill the fields; its progressJob drives it; reads are read-once as reference §8.4 describes.
type fileOperation struct {
	ID          string
	Type        FileOperationType
	OwnerID     string // the caller who submitted it; only they see it
	DeleteAfter bool
	job         *progressJob
	// Processed counts items handled so far.
	Processed int
	// Error is the last item error ("" when fine).
	Error string
	// FolderIDs and FileIDs are the results at their new location, filled when done.
	FolderIDs []int
	FileIDs   []int
	// URL is set for downloads.
	URL string
	// Detail holds operation-specific request data for the handler that created it.
	Detail any
}

func (op *fileOperation) view() FileOperationInfo {
	j := op.job
	return FileOperationInfo{ID: op.ID, Type: op.Type, OwnerID: op.OwnerID, DeleteAfter: op.DeleteAfter,
		Progress: j.percent, Status: j.status, Finished: j.done, Error: op.Error,
		FolderIDs: slices.Clone(op.FolderIDs), FileIDs: slices.Clone(op.FileIDs)}
}

// newFileOperation registers a file operation of typ submitted by the caller. Its steps run evenly over
// Options.FileOperationDuration; it starts with status 0 (Created) and progress 0, turns Running at its first
// step and Completed (progress 100, finished) after the last, or Failed if a step returns an error. A
// FaultStuckJob matching the request's operationId and the caller holds it. The record is dropped
// Options.FileOperationRetention after its last update (or earlier by dropFileOperation). Caller holds s.mu.
func (s *Server) newFileOperation(c *call, typ FileOperationType, deleteAfter bool, steps []jobStep) *fileOperation {
	op := &fileOperation{ID: s.newGUID(), Type: typ, OwnerID: c.caller.ID, DeleteAfter: deleteAfter}
	hold, holdAt := s.stuckJob(c.route.operationID, c.caller.ID)
	op.job = s.startJob(c.now, jobSpec{
		duration: s.opts.FileOperationDuration, steps: steps, initial: TaskCreated,
		retention: s.opts.FileOperationRetention, hold: hold, holdAt: holdAt,
		onExpire: func() { delete(s.st.fileOps, op.ID) },
	})
	s.st.fileOps[op.ID] = op
	return op
}

// orderedFileOps returns the file operations whose records exist, in submission order. Caller holds s.mu.
func (s *Server) orderedFileOps() []*fileOperation {
	byJob := make(map[*progressJob]*fileOperation, len(s.st.fileOps))
	for _, op := range s.st.fileOps {
		byJob[op.job] = op
	}
	var out []*fileOperation
	for _, j := range s.st.jobs {
		if op := byJob[j]; op != nil {
			out = append(out, op)
		}
	}
	return out
}

// fileOperationsOf returns the caller's file operations in submission order. Caller holds s.mu.
func (s *Server) fileOperationsOf(userID string) []*fileOperation {
	return slices.DeleteFunc(s.orderedFileOps(), func(op *fileOperation) bool { return op.OwnerID != userID })
}

// dropFileOperation deletes a file operation record at once (read-once results, terminate). Caller holds s.mu.
func (s *Server) dropFileOperation(op *fileOperation) { s.dropJob(op.job) }
