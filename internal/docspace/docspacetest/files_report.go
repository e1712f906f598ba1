package docspacetest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// auditReportColumns are the CSV header of the audit trail report (AuditReportResource, in BaseEventMap's
// order).
func auditReportColumns() []string {
	return []string{"IP", "Country", "City", "Browser", "Platform", "Date", "User", "Page", "Action", "Action Type",
		"Location", "Action ID", "Target ID"}
}

// shortDate is .NET's en-US ToShortDateString.
func shortDate(t time.Time) string { return t.Format("1/2/2006") }

// locationName is the module an audit location names in the report.
func locationName(l LocationType) string {
	switch l {
	case LocationFiles:
		return "Files"
	case LocationFolders:
		return "Folders"
	case LocationDocumentsSettings:
		return "Settings"
	case LocationRooms:
		return "Rooms"
	case LocationSettings:
		return "Settings"
	case LocationContacts:
		return "Contacts"
	case LocationAgents:
		return "AI agents"
	}
	return ""
}

// auditReportCSV writes the events as DocSpace's CsvFileHelper does: UTF-8 with a byte-order mark, the
// header row, then one row per event; dates are portal-local, written ="M/d/yyyy h:mm AM" so that
// spreadsheets keep them as text.
func (s *Server) auditReportCSV(events []*AuditEvent) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := w.Write(auditReportColumns()); err != nil {
		return nil, fmt.Errorf("write report header: %w", err)
	}
	for _, e := range events {
		actionType := ""
		if names := actionTypeNames(); int(e.ActionType) >= 0 && int(e.ActionType) < len(names) {
			actionType = names[e.ActionType]
		}
		location := e.Context
		if location == "" {
			location = locationName(e.Location)
		}
		date := `="` + e.Date.In(s.opts.TimeZone).Format("1/2/2006 3:04 PM") + `"`
		row := []string{e.IP, e.Country, e.City, e.Browser, e.Platform, date, s.actorName(e.UserID), e.Page,
			e.ActionText, actionType, location, strconv.Itoa(int(e.Action)), strings.Join(e.Target, ",")}
		if err := w.Write(row); err != nil {
			return nil, fmt.Errorf("write report row %d: %w", e.ID, err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("write report: %w", err)
	}
	return buf.Bytes(), nil
}

// createAuditTrailReport: POST security/audit/events/report writes the whole audit trail of the audit
// lifetime (no filters) as a CSV into the caller's My documents and returns its editor URL (reference
// §11.2). The name carries the dates, so a second report the same day is stored as "... (1).csv". Only
// DocSpace admins may; without the Audit tariff feature it is a 402. Audit AuditTrailReportDownloaded (6028)
// records it.
func (s *Server) createAuditTrailReport(c *call) (any, error) {
	if !c.caller.isAdmin() {
		return nil, errSecurity()
	}
	if s.noAudit {
		return nil, errPayment("Your pricing plan does not support this option")
	}
	if c.caller.Type == TypeGuest || c.caller.MyDocumentsID == 0 {
		return nil, errSecurity()
	}
	to := c.now
	from := s.liveSince(to)
	events := slices.DeleteFunc(newest(s.st.audit, from), func(e *AuditEvent) bool { return e.Date.After(to) })
	content, err := s.auditReportCSV(events)
	if err != nil {
		return nil, errInternal("System.Exception", err.Error())
	}
	name := fmt.Sprintf("Audit Trail Report (%s-%s).csv", shortDate(from.In(s.opts.TimeZone)), shortDate(to.In(s.opts.TimeZone)))
	f, err := c.storeFile(c.caller.MyDocumentsID, name, content, false)
	if err != nil {
		return nil, err
	}
	c.audit(ActionAuditTrailReportDownloaded, nil)
	return c.baseURL() + "/doceditor?fileid=" + strconv.Itoa(f.ID) + `&options={"codePage":65001}`, nil
}
