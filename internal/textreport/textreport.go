// Package textreport renders offboarding results and progress for people
// reading a terminal: the demo and the operators' CLI.
package textreport

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// Result writes a readable summary of a result.
func Result(w io.Writer, r *events.Result) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "Offboarding %s: %s\n", r.TerminationID, strings.ToUpper(string(r.Status)))
	fmt.Fprintf(b, "  source      %s\n", r.TerminationSource)
	who := r.UserID
	if rep := r.Report; rep != nil && rep.User.DisplayName != "" {
		who = fmt.Sprintf("%s <%s> (%s)", rep.User.DisplayName, rep.User.Email, rep.User.ID)
	}
	if who != "" {
		fmt.Fprintf(b, "  user        %s\n", who)
	}
	if r.EmployeeID != "" {
		fmt.Fprintf(b, "  employee    %s\n", r.EmployeeID)
	}
	if r.Reason != "" {
		fmt.Fprintf(b, "  reason      %s\n", r.Reason)
	}
	fmt.Fprintf(b, "  took        %s\n", r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond))

	b.WriteString("\nSteps\n")
	tw := tabwriter.NewWriter(b, 0, 2, 2, ' ', 0)
	for _, s := range r.Steps {
		fmt.Fprintf(tw, "  %s\t%s\t%d attempt(s)\t%s\n", s.Name, s.Status, s.Attempts, summary(s.Detail))
	}
	tw.Flush()

	if e := r.Error; e != nil {
		fmt.Fprintf(b, "\nError\n  %s", e.Code)
		if e.Step != "" {
			fmt.Fprintf(b, " in %s", e.Step)
		}
		fmt.Fprintf(b, " (retryable: %v)\n  %s\n", e.Retryable, e.Message)
	}
	if rep := r.Report; rep != nil {
		report(b, rep)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func report(b *strings.Builder, rep *events.Report) {
	b.WriteString("\nReport\n")
	ra := rep.Reassigned
	fmt.Fprintf(b, "  reassigned  to %s %s: %s", ra.ToDisplayName, ra.ToUserID, ra.Outcome)
	if len(ra.Rooms) > 0 {
		titles := make([]string, 0, len(ra.Rooms))
		for _, r := range ra.Rooms {
			titles = append(titles, fmt.Sprintf("%q (%d)", r.Title, r.ID))
		}
		fmt.Fprintf(b, "; rooms: %s", strings.Join(titles, ", "))
	}
	b.WriteString("\n")
	if a := rep.Archive; a != nil {
		fmt.Fprintf(b, "  archived    folder %q (%d) in room %q (%d)", a.FolderTitle, a.FolderID, a.RoomTitle, a.RoomID)
		if a.Merged {
			b.WriteString(", merged into a same-named folder")
		}
		if a.RoomArchived {
			b.WriteString(", room in DocSpace's Archive")
		}
		b.WriteString("\n")
		if a.URL != "" {
			fmt.Fprintf(b, "              %s\n", a.URL)
		}
	}
	if len(rep.Access) > 0 {
		b.WriteString("  access\n")
		for _, g := range rep.Access {
			owner := ""
			if g.IsOwner {
				owner = " (room owner)"
			}
			fmt.Fprintf(b, "    %-6s %s %s: %s%s\n", g.SubjectType, g.Name, g.SubjectID, g.AccessName, owner)
		}
	}
	au := rep.Audit
	if !au.From.IsZero() {
		fmt.Fprintf(b, "  audit       %d event(s), %d login(s) from %s to %s", au.EventCount, au.LoginCount, au.From.Format(time.DateOnly), au.To.Format(time.DateOnly))
		if au.Truncated {
			b.WriteString(" (truncated)")
		}
		b.WriteString("\n")
	}
	for _, e := range rep.Exports {
		fmt.Fprintf(b, "  exported    %s: %q (file %d in %d)\n", e.Kind, e.Title, e.FileID, e.FolderID)
	}
	if len(rep.LeftBehind) > 0 {
		b.WriteString("  left behind\n")
		for _, l := range rep.LeftBehind {
			fmt.Fprintf(b, "    - %s: %s\n", l.Kind, l.Description)
		}
	}
}

// summary shortens a step's detail to one line.
func summary(detail json.RawMessage) string {
	var m map[string]any
	if json.Unmarshal(detail, &m) != nil || len(m) == 0 {
		return ""
	}
	for _, k := range []string{"note", "reason", "message", "outcome", "mode"} {
		if v, ok := m[k].(string); ok && v != "" {
			return v
		}
	}
	return ""
}

// Progress writes one line for a progress event.
func Progress(w io.Writer, p *events.Progress) error {
	line := fmt.Sprintf("%s  %-8s %-8s", p.Time.Local().Format(time.TimeOnly), p.Step, p.Status)
	if p.Percentage > 0 && p.Percentage < 100 {
		line += fmt.Sprintf(" %3d%%", p.Percentage)
	}
	if p.Message != "" {
		line += "  " + p.Message
	}
	_, err := fmt.Fprintf(w, "%s  %s\n", line, p.TerminationID)
	return err
}

// ResultLine writes one line for a result: when it finished, its status, the termination, who
// was offboarded, and for an offboarding that did not complete, its error.
func ResultLine(w io.Writer, r *events.Result) error {
	line := fmt.Sprintf("%s  %-9s  %s", r.FinishedAt.Local().Format(time.TimeOnly), r.Status, r.TerminationID)
	who := r.UserID
	if r.EmployeeID != "" {
		who = strings.TrimSpace(who + " (" + r.EmployeeID + ")")
	}
	if who != "" {
		line += "  " + who
	}
	if !r.StartedAt.IsZero() && !r.FinishedAt.Before(r.StartedAt) {
		line += "  in " + r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond).String()
	}
	if e := r.Error; e != nil {
		line += "  " + e.Code
		if e.Step != "" {
			line += " in " + e.Step
		}
		line += ": " + e.Message
	}
	_, err := fmt.Fprintln(w, line)
	return err
}
