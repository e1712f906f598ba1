package offboarding

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// AuditDetail is the detail of the audit step.
type AuditDetail struct {
	From       time.Time             `json:"from"`
	To         time.Time             `json:"to"`
	EventCount int                   `json:"eventCount"`
	LoginCount int                   `json:"loginCount"`
	Truncated  bool                  `json:"truncated"`
	Exports    []events.ExportedFile `json:"exports"`
}

// Export kinds.
const (
	ExportAuditCSV   = "audit-csv"
	ExportReportJSON = "report-json"
)

// audit collects the leaver's audit trail and login history, notes what the
// offboarding leaves behind, and exports DocSpace's own audit report and this
// report into the archive.
func (x *run) audit(ctx context.Context) (events.StepStatus, any, error) {
	p := &x.st.Produced
	if p.AuditTo.IsZero() {
		p.AuditTo = x.r.now().Truncate(time.Second)
		p.AuditFrom = p.AuditTo.Add(-x.r.opts.AuditWindow)
	}
	if p.Audit == nil {
		trail, err := x.collectAudit(ctx, p.AuditFrom, p.AuditTo)
		if errors.Is(err, docspace.ErrPaymentRequired) {
			// A plan that hides audit answers 402 (reference §11.1). If the
			// portal itself answers, carry on without a trail and say so.
			if _, perr := x.c.Room(ctx, int(x.st.Plan.Destination.RoomID)); perr != nil {
				return "", nil, classify(events.StepAudit, "read the audit trail", err)
			}
			trail = &events.AuditTrail{From: p.AuditFrom, To: p.AuditTo, Events: []events.AuditEntry{}, LoginEvents: []events.LoginEntry{}}
			p.LeftBehind = appendUnique(p.LeftBehind, events.LeftBehind{Kind: "audit-trail",
				Description: "this portal's plan does not include the audit trail (DocSpace answered 402); the report has no audit or login events"})
			err = nil
		}
		if err != nil {
			return "", nil, classify(events.StepAudit, "read the audit trail", err)
		}
		left, err := x.leftBehind(ctx)
		if err != nil {
			return "", nil, classify(events.StepAudit, "list what the user still belongs to", err)
		}
		p.Audit = trail
		for _, l := range left {
			p.LeftBehind = appendUnique(p.LeftBehind, l)
		}
		if err := x.save(ctx); err != nil {
			return "", nil, err
		}
	}
	folder := x.exportFolder()
	if err := x.exportAuditCSV(ctx, folder); err != nil {
		return "", nil, err
	}
	if err := x.exportReport(ctx, folder); err != nil {
		return "", nil, err
	}
	return events.StepDone, AuditDetail{
		From: p.Audit.From, To: p.Audit.To, EventCount: p.Audit.EventCount, LoginCount: p.Audit.LoginCount,
		Truncated: p.Audit.Truncated, Exports: p.Exports,
	}, nil
}

// collectAudit reads the events the leaver performed and the events about
// them, and their login history, newest first, up to the configured limit.
func (x *run) collectAudit(ctx context.Context, from, to time.Time) (*events.AuditTrail, error) {
	limit := x.r.opts.AuditLimit
	uid := x.st.Plan.User.ID
	trail := &events.AuditTrail{From: from, To: to, Events: []events.AuditEntry{}, LoginEvents: []events.LoginEntry{}}

	seen := map[int]bool{}
	for _, f := range []docspace.AuditFilter{
		{UserID: uid, From: from, To: to},
		{EntryType: docspace.EntryTypeUser, Target: uid, From: from, To: to},
	} {
		evs, more, err := pageAudit(ctx, x.c, f, limit)
		if err != nil {
			return nil, err
		}
		trail.Truncated = trail.Truncated || more
		for _, e := range evs {
			// Without the Audit feature DocSpace ignores every filter and
			// returns anyone's last events (§11.1): keep only the leaver's.
			if seen[e.ID] || e.UserID != uid && !slices.Contains(e.Target, uid) {
				continue
			}
			seen[e.ID] = true
			trail.Events = append(trail.Events, events.AuditEntry{
				ID: e.ID, Date: e.Date.Time, ActionID: int(e.ActionID), Action: e.Action, UserID: e.UserID, Target: e.Target,
			})
		}
	}
	slices.SortFunc(trail.Events, func(a, b events.AuditEntry) int {
		return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(b.ID, a.ID))
	})
	if len(trail.Events) > limit {
		trail.Events, trail.Truncated = trail.Events[:limit], true
	}
	trail.EventCount = len(trail.Events)

	logins, more, err := pageLogins(ctx, x.c, docspace.LoginFilter{UserID: uid, From: from, To: to}, limit)
	if err != nil {
		return nil, err
	}
	trail.Truncated = trail.Truncated || more
	for _, l := range logins {
		if l.UserID != "" && l.UserID != uid {
			continue
		}
		trail.LoginEvents = append(trail.LoginEvents, events.LoginEntry{
			ID: l.ID, Date: l.Date.Time, ActionID: int(l.ActionID), Action: l.Action, IP: l.IP, Browser: l.Browser, Platform: l.Platform,
		})
	}
	trail.LoginCount = len(trail.LoginEvents)
	return trail, nil
}

// auditPage is the most the audit endpoints return at once.
const auditPage = 100

// pageAudit reads pages until a short one (the audit endpoints give no total)
// or limit entries; more reports that entries were left unread.
func pageAudit(ctx context.Context, c *docspace.Client, f docspace.AuditFilter, limit int) ([]docspace.AuditEvent, bool, error) {
	return readPages(limit, func(start int) ([]docspace.AuditEvent, error) {
		f.Count, f.StartIndex = auditPage, start
		return c.AuditEvents(ctx, f)
	})
}

func pageLogins(ctx context.Context, c *docspace.Client, f docspace.LoginFilter, limit int) ([]docspace.LoginEvent, bool, error) {
	return readPages(limit, func(start int) ([]docspace.LoginEvent, error) {
		f.Count, f.StartIndex = auditPage, start
		return c.LoginEvents(ctx, f)
	})
}

// readPages calls page with growing offsets until a short page or limit
// entries; more reports that entries were left unread.
func readPages[T any](limit int, page func(start int) ([]T, error)) (out []T, more bool, err error) {
	for start := 0; ; start += auditPage {
		p, err := page(start)
		if err != nil {
			return nil, false, err
		}
		out = append(out, p...)
		if len(p) < auditPage {
			return out, false, nil
		}
		if len(out) >= limit {
			return out[:limit], true, nil
		}
	}
}

// leftBehind lists what the offboarding does not clean up: unshared personal
// files, group memberships and room memberships.
func (x *run) leftBehind(ctx context.Context) ([]events.LeftBehind, error) {
	uid := x.st.Plan.User.ID
	out := []events.LeftBehind{{
		Kind: "personal-files",
		Description: "files in the user's My documents that were never shared stay there, owned by the disabled account; " +
			"DocSpace's reassign moves only shared items, and no admin can open another user's My documents",
	}}
	groups, err := x.c.UserGroups(ctx, uid)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		if g.IsSystem {
			continue
		}
		out = append(out, events.LeftBehind{Kind: "group-membership", ID: g.ID, Description: fmt.Sprintf("still a member of group %q", g.Name)})
	}
	rooms, err := x.listRooms(ctx, docspace.RoomQuery{SubjectID: uid, SubjectFilter: docspace.SubjectFilterMember, SearchArea: docspace.SearchAny})
	if err != nil {
		return nil, err
	}
	for _, r := range rooms {
		if events.EntryID(r.ID) == x.st.Plan.Destination.RoomID {
			continue
		}
		out = append(out, events.LeftBehind{Kind: "room-membership", ID: strconv.Itoa(r.ID), Description: fmt.Sprintf("still a member of room %q", r.Title)})
	}
	return out, nil
}

// exportFolder is where report files go: the employee's own room, or, in a
// shared archive, the employee's archived folder so their files stay together.
func (x *run) exportFolder() events.EntryID {
	plan := x.st.Plan
	if plan.Destination.Kind != DestEmployeeRoom && x.st.Produced.Archive != nil {
		return x.st.Produced.Archive.FolderID
	}
	return plan.Destination.target()
}

// exportAuditCSV has DocSpace build its audit trail report, which it writes
// into the service account's My documents, and moves it into the archive.
func (x *run) exportAuditCSV(ctx context.Context, folder events.EntryID) error {
	p := &x.st.Produced
	if x.r.opts.SkipAuditCSV || p.AuditCSVUnavailable || slices.ContainsFunc(p.Exports, func(e events.ExportedFile) bool { return e.Kind == ExportAuditCSV }) {
		return nil
	}
	if p.AuditCSVFileID == 0 {
		x.r.csvMu.Lock()
		defer x.r.csvMu.Unlock()
		if !p.AuditCSVRequested.IsZero() {
			// An interrupted attempt asked for the report; adopt what it made,
			// or a report made for nobody (every report made is claimed).
			id, err := x.findAuditCSV(ctx, p.AuditCSVRequested)
			if err != nil {
				return err
			}
			p.AuditCSVFileID = id
			if id == 0 {
				if err := x.settle(events.StepAudit, "audit-csv"); err != nil {
					return err
				}
			}
		}
		if p.AuditCSVFileID == 0 {
			p.AuditCSVRequested = x.r.now()
			if err := x.save(ctx); err != nil {
				return err
			}
			link, err := x.c.CreateAuditReport(ctx)
			if err != nil {
				if inDoubt(err) {
					x.doubt("audit-csv", p.AuditCSVRequested)
				} else {
					// DocSpace answered: no report was made, none to adopt.
					p.AuditCSVRequested = time.Time{}
				}
				if serr := x.save(ctx); serr != nil {
					return serr
				}
				if errors.Is(err, docspace.ErrPaymentRequired) {
					// The tariff has no audit report; the JSON report still carries the trail.
					p.AuditCSVRequested = time.Time{}
					p.AuditCSVUnavailable = true
					p.LeftBehind = appendUnique(p.LeftBehind, events.LeftBehind{Kind: "audit-csv", Description: "DocSpace's audit trail report is not available on this portal's tariff; the JSON report holds the trail"})
					return x.save(ctx)
				}
				return classify(events.StepAudit, "create DocSpace's audit report", err)
			}
			id, err := fileIDFromURL(link)
			if err != nil {
				return permanent(events.StepAudit, CodeExportFailed, "DocSpace's audit report link: %v", err)
			}
			// Claimed at once, so no other termination adopts it as its own.
			// Should one that lost an answer have taken it in between, its
			// own report is free for this one.
			mine, err := x.claimOnce(ctx, csvClaim(events.EntryID(id)))
			if err != nil {
				return err
			}
			if !mine {
				other, err := x.findAuditCSV(ctx, p.AuditCSVRequested)
				if err != nil {
					return err
				}
				if other == 0 {
					p.AuditCSVRequested = time.Time{}
					return &Error{Step: events.StepAudit, Code: CodeExportFailed, Retryable: true,
						Message: "another termination adopted this one's audit report; asking for a new one"}
				}
				id = int(other)
			}
			p.AuditCSVFileID = events.EntryID(id)
		}
		delete(p.InDoubt, "audit-csv")
		if err := x.save(ctx); err != nil {
			return err
		}
	}
	f, err := x.moveFile(ctx, int(p.AuditCSVFileID), int(folder), &p.AuditCSVMoveOp)
	if err != nil {
		return err
	}
	p.Exports = append(p.Exports, events.ExportedFile{Kind: ExportAuditCSV, FileID: events.EntryID(f.ID), Title: f.Title, FolderID: folder, URL: f.WebURL})
	return x.save(ctx)
}

// findAuditCSV finds an audit report in the service account's My documents,
// created since the request, that no other termination has claimed, and
// claims it. DocSpace names the file by date only, so concurrent terminations
// tell theirs apart by these claims.
func (x *run) findAuditCSV(ctx context.Context, since time.Time) (events.EntryID, error) {
	my, err := x.c.MyDocuments(ctx, docspace.ListQuery{FilterValue: "Audit Trail Report", Count: auditPage})
	if err != nil {
		return 0, classify(events.StepAudit, "look for the audit report", err)
	}
	var found []docspace.File
	for _, f := range my.Files {
		if strings.HasPrefix(f.Title, "Audit Trail Report") && !f.Created.Time.Before(since.Add(-time.Minute)) {
			found = append(found, f)
		}
	}
	slices.SortFunc(found, func(a, b docspace.File) int { return a.Created.Time.Compare(b.Created.Time) })
	for _, f := range found {
		ok, err := x.claimOnce(ctx, csvClaim(events.EntryID(f.ID)))
		if err != nil {
			return 0, err
		}
		if ok {
			return events.EntryID(f.ID), nil
		}
	}
	return 0, nil
}

// csvClaim names an audit report file for Hooks.ClaimOnce.
func csvClaim(id events.EntryID) string { return "audit-csv/" + id.String() }

// moveFile moves a file into folder (unless it is there already) and returns
// it as it is afterwards.
func (x *run) moveFile(ctx context.Context, id, folder int, opID *string) (*docspace.File, error) {
	f, err := x.c.File(ctx, id)
	if err != nil {
		return nil, classify(events.StepAudit, "read the report file", err)
	}
	if f.FolderID == folder {
		return f, nil
	}
	if *opID == "" {
		op, err := x.c.Move(ctx, docspace.MoveRequest{FileIDs: []int{id}, DestFolderID: folder, ConflictResolve: docspace.ConflictDuplicate})
		if err != nil {
			return nil, classify(events.StepAudit, "move the audit report into the archive", err)
		}
		*opID = op.ID
		if err := x.save(ctx); err != nil {
			return nil, err
		}
	}
	_, opErr, err := x.waitOperation(ctx, events.StepAudit, "wait for the report move", *opID, nil)
	if err != nil {
		return nil, err
	}
	f, err = x.c.File(ctx, id)
	if err != nil {
		return nil, classify(events.StepAudit, "read the report file back", err)
	}
	if f.FolderID != folder {
		*opID = ""
		if opErr != nil {
			return nil, permanent(events.StepAudit, CodeExportFailed, "DocSpace could not move the audit report into %d: %s", folder, opErr.Message)
		}
		return nil, &Error{Step: events.StepAudit, Code: CodeExportFailed, Retryable: true, Message: fmt.Sprintf("the audit report is still in folder %d; it will be moved again", f.FolderID)}
	}
	return f, nil
}

// reportTitle names the uploaded JSON report; deterministic, so a resumed run
// finds the upload of an interrupted one.
func (x *run) reportTitle() string {
	id := x.st.Request.EmployeeID
	if id == "" {
		id = x.st.Plan.User.ID
	}
	return fmt.Sprintf("offboarding-report-%s-%s.json", sanitize(id), shortHash(x.st.TerminationSource, x.st.TerminationID))
}

// exportReport uploads this report as JSON into the archive.
func (x *run) exportReport(ctx context.Context, folder events.EntryID) error {
	p := &x.st.Produced
	if slices.ContainsFunc(p.Exports, func(e events.ExportedFile) bool { return e.Kind == ExportReportJSON }) {
		return nil
	}
	title := x.reportTitle()
	existing, err := x.findFile(ctx, int(folder), title)
	if err != nil {
		return classify(events.StepAudit, "look for the uploaded report", err)
	}
	f := existing
	if f == nil {
		if err := x.settle(events.StepAudit, "report"); err != nil {
			return err
		}
		body, err := json.MarshalIndent(x.report(), "", "  ")
		if err != nil {
			return fmt.Errorf("encode the report: %w", err)
		}
		sent := x.r.now()
		f, err = x.c.Upload(ctx, int(folder), title, body, false)
		if err != nil {
			if inDoubt(err) {
				x.doubt("report", sent)
				if serr := x.save(ctx); serr != nil {
					return serr
				}
			}
			return classify(events.StepAudit, "upload the report", err)
		}
	}
	delete(p.InDoubt, "report")
	p.Exports = append(p.Exports, events.ExportedFile{Kind: ExportReportJSON, FileID: events.EntryID(f.ID), Title: f.Title, FolderID: folder, URL: f.WebURL})
	return x.save(ctx)
}

// findFile returns the file titled title directly in folder, or nil.
func (x *run) findFile(ctx context.Context, folder int, title string) (*docspace.File, error) {
	return findTitled(ctx, x.c, folder, title,
		func(c *docspace.FolderContents) []docspace.File { return c.Files },
		func(f docspace.File) string { return f.Title })
}

// fileIDFromURL reads the file id from DocSpace's doceditor link.
func fileIDFromURL(link string) (int, error) {
	u, err := url.Parse(link)
	if err != nil {
		return 0, fmt.Errorf("parse %q: %w", link, err)
	}
	id, err := strconv.Atoi(u.Query().Get("fileid"))
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("no file id in %q", link)
	}
	return id, nil
}

// sanitize keeps a string safe inside a file title.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
}
