package docspacetest

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// actionFileMovedWithOverwriting is the audit action of a move that stored a new version of a same-titled
// file (the core's table names the plain moves).
const actionFileMovedWithOverwriting MessageAction = 5016

// moveProblem is why an item cannot move: checked at submit time it becomes the exception DocSpace throws,
// met while the operation runs it becomes the operation's error text.
type moveProblem struct {
	kind exceptionKind // excItemNotFound, excSecurity, excInvalidOperation or excInternal
	msg  string
}

func (p *moveProblem) err() error {
	switch p.kind {
	case excItemNotFound:
		return errNotFound(p.msg)
	case excSecurity:
		return errSecurity()
	case excInternal:
		return errNullReference()
	}
	return errInvalidOp(p.msg)
}

// notFoundProblem is an ItemNotFoundException (404 at submit time).
func notFoundProblem(msg string) *moveProblem { return &moveProblem{kind: excItemNotFound, msg: msg} }

// securityProblem is a SecurityException (403 "Access denied" at submit time).
func securityProblem(msg string) *moveProblem { return &moveProblem{kind: excSecurity, msg: msg} }

// invalidProblem is an InvalidOperationException (403 with msg at submit time).
func invalidProblem(msg string) *moveProblem {
	return &moveProblem{kind: excInvalidOperation, msg: msg}
}

// movePlan is one move: what goes where, by whom.
type movePlan struct {
	folders []int
	files   []int
	destID  int
	resolve conflictType
	actor   *User
	client  clientInfo
}

// isRoomsRoot reports whether dest is the Rooms section or the Archive, the only places rooms live.
func isRoomsRoot(dest *Entry) bool {
	return dest.FolderType == FolderVirtualRooms || dest.FolderType == FolderArchive
}

// chain returns the folder and its ancestors, root first.
func (st *state) chain(f *Entry) []*Entry {
	out := append([]*Entry{f}, st.ancestors(f)...)
	slices.Reverse(out)
	return out
}

// formsRoomOf returns the form-filling room dest lies in, if any.
func (st *state) formsRoomOf(dest *Entry) *Entry {
	for _, f := range st.chain(dest) {
		if f.FolderType == FolderFillingFormsRoom {
			return f
		}
	}
	return nil
}

// isForm reports whether a file is a PDF form, the only kind a form-filling room takes.
func isForm(e *Entry) bool { return fileTypeOf(e.Title) == fileTypePdf }

// roomID returns the id of the room an entry lies in, or -1.
func (st *state) roomID(e *Entry) int {
	if e == nil {
		return -1
	}
	if r := st.roomOf(e); r != nil {
		return r.ID
	}
	return -1
}

// checkGeneral is PermissionCheckStarter.CheckGeneralPermissionsAsync: the destination, the subtree rule, the
// form-room rules and the caller's rights on the first source of each kind.
func (st *state) checkGeneral(p *movePlan, dest *Entry) *moveProblem {
	u := p.actor
	if dest == nil {
		return notFoundProblem(msgFolderNotFound)
	}
	if !isRoomsRoot(dest) && !st.can(u, dest, actCreate) {
		return securityProblem(msgCreate)
	}
	parents := st.chain(dest)
	for _, f := range parents {
		if slices.Contains(p.folders, f.ID) {
			return invalidProblem(msgFolderCopyError)
		}
	}
	if toRoom := st.formsRoomOf(dest); toRoom != nil {
		var from *Entry
		if len(p.folders) > 0 {
			from = st.folder(p.folders[0])
		} else if len(p.files) > 1 {
			from = st.entry(p.files[0])
		}
		if from != nil && st.roomID(from) != toRoom.ID {
			if len(p.folders) > 0 {
				return invalidProblem(msgMoveFolderToForms)
			}
			return invalidProblem(msgMoveFilesToForms)
		}
	}
	if len(p.folders) > 0 {
		first := st.folder(p.folders[0])
		if first == nil {
			// DocSpace dereferences the missing folder here (reference §8.3, inferred).
			return &moveProblem{kind: excInternal, msg: "Object reference not set to an instance of an object."}
		}
		if !st.can(u, first, actMove) {
			return securityProblem(msgMoveFolder)
		}
	}
	if len(p.files) > 0 {
		if first := st.file(p.files[0]); first == nil || !st.can(u, first, actMove) {
			return securityProblem(msgMoveFile)
		}
	}
	if !st.can(u, dest, actMoveTo) {
		if isRoomsRoot(dest) {
			return securityProblem("You don't have enough permission to unarchive the room")
		}
		return securityProblem("You don't have permission to move to this folder")
	}
	return nil
}

// file returns the file with id, or nil.
func (st *state) file(id int) *Entry {
	if e := st.entries[id]; e != nil && e.Kind == KindFile {
		return e
	}
	return nil
}

// checkFolder is CheckFoldersPermissionsAsync for one source folder.
func (st *state) checkFolder(p *movePlan, f, dest *Entry) *moveProblem {
	if f == nil {
		return notFoundProblem(msgFolderNotFound)
	}
	if !st.can(p.actor, f, actMove) {
		switch {
		case !f.IsRoom():
			return securityProblem(msgMoveFolder)
		case dest.FolderType == FolderArchive:
			return securityProblem("You don't have enough permission to archive the room")
		}
		return securityProblem("You don't have enough permission to unarchive the room")
	}
	if !f.IsRoom() && (dest.FolderType == FolderVirtualRooms || st.areaOf(dest) == areaArchive) {
		return securityProblem(msgMoveFolder)
	}
	if f.IsRoom() && !isRoomsRoot(dest) {
		return securityProblem("You don't have enough permission to unarchive the room")
	}
	return nil
}

// checkFile is CheckFilesPermissionsAsync for one source file; submit is set for the synchronous check,
// which also applies the form-room and overwrite rules.
func (st *state) checkFile(p *movePlan, f, dest *Entry, submit bool) *moveProblem {
	if f == nil {
		return notFoundProblem(msgFileNotFound)
	}
	if dest.FolderType == FolderVirtualRooms || st.areaOf(dest) == areaArchive {
		return securityProblem(msgMoveFile)
	}
	if !st.can(p.actor, f, actMove) {
		return securityProblem(msgMoveFile)
	}
	if !submit {
		return nil
	}
	if st.areaOf(dest) == areaRooms && st.formsRoomOf(dest) != nil && !isForm(f) {
		return invalidProblem(msgMoveToFormRoom)
	}
	if p.resolve == conflictOverwrite {
		if conflict := st.childByTitle(dest, f.Title, KindFile); conflict != nil && !st.can(p.actor, conflict, actEdit) {
			return invalidProblem(msgNoPermission)
		}
	}
	return nil
}

// childByTitle returns the child of folder with the title (case-insensitive) and kind, lowest id first.
func (st *state) childByTitle(folder *Entry, title string, kind EntryKind) *Entry {
	for _, c := range st.children(folder.ID) {
		if c.Kind == kind && strings.EqualFold(c.Title, title) {
			return c
		}
	}
	return nil
}

// titleCounter splits "name (n).ext" into name, n and the extension.
var titleCounter = regexp.MustCompile(`^(.*) \((\d+)\)(\.[^.]*)?$`)

// availableTitle is Global.GetAvailableTitleAsync: the title, or "name (1).ext", "name (2).ext", ... when a
// sibling of the same kind already has it.
func (st *state) availableTitle(folder *Entry, title string, kind EntryKind) string {
	if st.childByTitle(folder, title, kind) == nil {
		return title
	}
	at := len(title)
	if i := strings.LastIndexByte(title, '.'); kind == KindFile && i >= 0 {
		at = i
	}
	title = title[:at] + " (1)" + title[at:]
	for st.childByTitle(folder, title, kind) != nil {
		m := titleCounter.FindStringSubmatch(title)
		n, _ := strconv.Atoi(m[2])
		title = fmt.Sprintf("%s (%d)%s", m[1], n+1, m[3])
	}
	return title
}

// checkMove runs every synchronous pre-check of a move (reference §8.3): the general checks, then each source.
func (st *state) checkMove(p *movePlan) error {
	dest := st.folder(p.destID)
	if pr := st.checkGeneral(p, dest); pr != nil {
		return pr.err()
	}
	for _, id := range p.folders {
		if pr := st.checkFolder(p, st.folder(id), dest); pr != nil {
			return pr.err()
		}
	}
	for _, id := range p.files {
		if pr := st.checkFile(p, st.file(id), dest, true); pr != nil {
			return pr.err()
		}
	}
	return nil
}

// moveRun is the state a running move carries between its steps.
type moveRun struct {
	s       *Server
	op      *fileOperation
	plan    *movePlan
	aborted bool
}

// moveSteps returns the steps of a move: one per source, folders first, each published as its share of 100.
// The first step re-checks the general rules, as the operation does when it starts.
func (s *Server) moveSteps(p *movePlan) ([]jobStep, *moveRun) {
	run := &moveRun{s: s, plan: p}
	type item struct {
		id     int
		folder bool
	}
	var items []item
	for _, id := range p.folders {
		items = append(items, item{id, true})
	}
	for _, id := range p.files {
		items = append(items, item{id, false})
	}
	if len(items) == 0 {
		return []jobStep{{percent: 100, run: func(at time.Time) error { run.start(); return nil }}}, run
	}
	steps := make([]jobStep, len(items))
	for i, it := range items {
		steps[i] = jobStep{percent: (i + 1) * 100 / len(items), run: func(at time.Time) error {
			if i == 0 {
				run.start()
			}
			if run.aborted {
				return nil
			}
			dest := s.st.folder(p.destID)
			if it.folder {
				run.moveFolder(at, s.st.folder(it.id), dest, true)
			} else {
				run.moveFile(at, s.st.file(it.id), dest, true)
			}
			return nil
		}}
	}
	return steps, run
}

// start re-checks the general rules when the operation starts running.
func (r *moveRun) start() {
	st := r.s.st
	if pr := st.checkGeneral(r.plan, st.folder(r.plan.destID)); pr != nil {
		r.op.Error, r.aborted = pr.msg, true
	}
}

// fail records an item error; only the last one survives, as in DocSpace (reference §8.3).
func (r *moveRun) fail(msg string) { r.op.Error = msg }

// result records an entry at its new location for the operation's final state.
func (r *moveRun) result(e *Entry, top bool) {
	if !top {
		return
	}
	r.op.Processed++
	if e.Kind == KindFolder {
		r.op.FolderIDs = append(r.op.FolderIDs, e.ID)
	} else {
		r.op.FileIDs = append(r.op.FileIDs, e.ID)
	}
}

// audit writes an event by the operation's submitter.
func (r *moveRun) audit(at time.Time, action MessageAction, targets []string, description ...string) {
	r.s.writeAudit(auditEntry{at: at, actorID: r.plan.actor.ID, action: action, targets: targets,
		description: description, client: r.plan.client})
}

// intoRoomFromPersonal reports whether an entry moving from My documents to dest enters a room, which strips
// its user and group shares.
func (r *moveRun) intoRoomFromPersonal(e, dest *Entry) bool {
	st := r.s.st
	return st.areaOf(e) == areaMy && st.roomOf(dest) != nil
}

// stripShares removes the user and group shares of e and everything below it.
func (st *state) stripShares(e *Entry, links bool) {
	under := st.subtreeIDs(e.ID)
	st.removeShares(func(sh *Share) bool {
		if !under[sh.EntryID] {
			return false
		}
		return sh.SubjectType == SubjectUser || sh.SubjectType == SubjectGroup || links
	})
}

// moveFolder moves one folder (or room) into dest as FileMoveCopyOperation.MoveOrCopyFoldersAsync does:
// already there is a no-op unless Duplicate; a room goes to or from the Archive; a same-titled folder in
// dest is merged and the source deleted (reference §8.6). top marks a source the request named.
func (r *moveRun) moveFolder(at time.Time, f, dest *Entry, top bool) {
	st := r.s.st
	if dest == nil {
		r.fail(msgFolderNotFound)
		return
	}
	if pr := st.checkFolder(r.plan, f, dest); pr != nil {
		r.fail(pr.msg)
		return
	}
	if f.ParentID == dest.ID && r.plan.resolve != conflictDuplicate {
		return
	}
	if f.IsRoom() {
		r.moveRoom(at, f, dest)
		r.result(f, top)
		return
	}
	var conflict *Entry
	if f.ParentID == dest.ID || r.plan.resolve != conflictDuplicate {
		conflict = st.childByTitle(dest, f.Title, KindFolder)
	}
	if conflict == nil {
		from := st.folder(f.ParentID)
		if r.intoRoomFromPersonal(f, dest) {
			st.stripShares(f, false)
		}
		f.ParentID = dest.ID
		r.audit(at, ActionFolderMoved, []string{strconv.Itoa(f.ID)}, f.Title, titleOf(from), dest.Title)
		r.s.emitHook(TriggerFolderMoved, at, r.plan.actor.ID, st.entryHook(f))
		r.result(f, top)
		return
	}
	target := conflict
	if r.plan.resolve == conflictDuplicate {
		target = st.newEntry(Entry{Kind: KindFolder, ParentID: dest.ID,
			Title: st.availableTitle(dest, conflict.Title, KindFolder), FolderType: FolderDefault,
			Private: conflict.Private, CreatedBy: conflict.CreatedBy, ModifiedBy: r.plan.actor.ID,
			Created: at, Modified: at})
	}
	for _, c := range st.children(f.ID) {
		if c.Kind == KindFile {
			r.moveFile(at, c, target, false)
		}
	}
	for _, c := range st.children(f.ID) {
		if c.Kind == KindFolder {
			r.moveFolder(at, c, target, false)
		}
	}
	if len(st.children(f.ID)) > 0 {
		return // something was skipped: the source stays, with what is left
	}
	st.deleteEntry(f.ID)
	r.audit(at, ActionFolderMoved, []string{strconv.Itoa(target.ID)}, f.Title, target.Title, dest.Title)
	r.s.emitHook(TriggerFolderMoved, at, r.plan.actor.ID, st.entryHook(target))
	r.result(target, top)
}

// moveRoom archives or unarchives a room: pins go when it enters the Archive; audit 5072/5073 and the
// room.archived/room.restored webhook record it (reference §9.4).
func (r *moveRun) moveRoom(at time.Time, room, dest *Entry) {
	room.ParentID = dest.ID
	target := []string{strconv.Itoa(room.ID)}
	if dest.FolderType == FolderArchive {
		room.Pinned = false
		r.audit(at, ActionRoomArchived, target, room.Title)
		r.s.emitHook(TriggerRoomArchived, at, r.plan.actor.ID, r.s.st.entryHook(room))
		return
	}
	r.audit(at, ActionRoomUnarchived, target, room.Title)
	r.s.emitHook(TriggerRoomRestored, at, r.plan.actor.ID, r.s.st.entryHook(room))
}

// moveFile moves one file into dest: a same-titled file there is skipped, overwritten (a new version of it) or
// kept beside a renamed copy, by the conflict type (reference §8.6).
func (r *moveRun) moveFile(at time.Time, f, dest *Entry, top bool) {
	st := r.s.st
	if dest == nil {
		r.fail(msgFolderNotFound)
		return
	}
	if pr := st.checkFile(r.plan, f, dest, false); pr != nil {
		r.fail(pr.msg)
		return
	}
	if st.formsRoomOf(dest) != nil && !isForm(f) {
		r.fail(msgMoveToFormRoom)
		return
	}
	from := st.folder(f.ParentID)
	var conflict *Entry
	if r.plan.resolve != conflictDuplicate {
		conflict = st.childByTitle(dest, f.Title, KindFile)
	}
	if conflict == nil {
		if f.ParentID == dest.ID {
			return // Duplicate into the folder it is already in
		}
		if st.areaOf(f) == areaMy && st.areaOf(dest) != areaMy {
			st.stripShares(f, true) // a personal file leaving My documents loses its shares and links
		}
		f.Title = st.availableTitle(dest, f.Title, KindFile)
		f.ParentID = dest.ID
		r.audit(at, ActionFileMoved, []string{strconv.Itoa(f.ID)}, f.Title, titleOf(from), dest.Title)
		r.result(f, top)
		return
	}
	if r.plan.resolve == conflictSkip {
		return
	}
	if !st.can(r.plan.actor, conflict, actEdit) {
		r.fail(msgNoPermission)
		return
	}
	conflict.Versions = append(conflict.Versions, FileVersion{Version: conflict.Version() + 1, Content: f.Content(),
		Created: at, CreatedBy: r.plan.actor.ID})
	touchEntry(conflict, r.plan.actor.ID, at)
	if conflict.ID != f.ID {
		st.deleteEntry(f.ID)
		r.audit(at, actionFileMovedWithOverwriting, []string{strconv.Itoa(conflict.ID)}, f.Title, titleOf(from),
			dest.Title)
	}
	r.result(conflict, top)
}

// titleOf returns a folder's title, or "" for none.
func titleOf(e *Entry) string {
	if e == nil {
		return ""
	}
	return e.Title
}
