package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/publisher"
	"github.com/docspace-offboarding/docspace-offboarding/internal/textreport"
)

// printer writes the command's output: text for people, or with --json one JSON object per line.
type printer struct {
	w    io.Writer
	json bool
}

// object writes v as one line of JSON, in --json mode only.
func (p *printer) object(v any) {
	if !p.json {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"kind": "error", "error": "encode output: " + err.Error()})
	}
	b = append(b, '\n')
	_, _ = p.w.Write(b)
}

// text writes a line for people, outside --json mode only.
func (p *printer) text(format string, args ...any) {
	if p.json {
		return
	}
	fmt.Fprintf(p.w, format+"\n", args...)
}

// JSON records of --json mode. Each has a "kind".

// publishedRecord is an event JetStream acknowledged.
type publishedRecord struct {
	Kind string `json:"kind"` // published
	// Event is the event type: employee.terminated or employee.termination.cancelled.
	Event string `json:"event"`
	// Line is the CSV line of the termination.
	Line int `json:"line,omitempty"`
	publisher.Published
	// TerminationID and TerminationSource name the termination a cancellation cancels.
	TerminationID     string `json:"terminationId,omitempty"`
	TerminationSource string `json:"terminationSource,omitempty"`
}

// publishFailedRecord is a termination of a CSV file whose publish failed.
type publishFailedRecord struct {
	Kind  string `json:"kind"` // publish-failed
	Line  int    `json:"line"`
	ID    string `json:"id"`
	Error string `json:"error"`
}

// invalidRecord is one reason why nothing was published.
type invalidRecord struct {
	Kind string `json:"kind"` // invalid
	// Line, Column and Header place a problem of a CSV file.
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	Header string `json:"header,omitempty"`
	// Field and Flag name the part of a single termination at fault.
	Field  string `json:"field,omitempty"`
	Flag   string `json:"flag,omitempty"`
	Reason string `json:"reason"`
}

// progressRecord is a progress event.
type progressRecord struct {
	Kind     string           `json:"kind"` // progress
	Line     int              `json:"line,omitempty"`
	Progress *events.Progress `json:"progress"`
}

// resultRecord is a result event.
type resultRecord struct {
	Kind   string         `json:"kind"` // result
	Line   int            `json:"line,omitempty"`
	Result *events.Result `json:"result"`
}

// summaryRecord is the outcome of a CSV file.
type summaryRecord struct {
	Kind string `json:"kind"` // summary
	publisher.Summary
	// TimedOut is set when --timeout passed (or the command was interrupted) before every
	// result arrived.
	TimedOut bool `json:"timedOut,omitempty"`
}

// statusRecord is a termination's state.
type statusRecord struct {
	Kind   string            `json:"kind"` // status
	Status *publisher.Status `json:"status"`
}

// writeProgress shows a progress event.
func (a *app) writeProgress(pr *events.Progress) {
	a.out.object(progressRecord{Kind: "progress", Progress: pr})
	if !a.out.json {
		_ = textreport.Progress(a.stdout, pr)
	}
}

// writeStatus shows a termination's state for people.
func writeStatus(w io.Writer, st *publisher.Status) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Termination %s from %s: %s\n", st.ID, st.Source, strings.ToUpper(string(st.State)))
	if !st.Recorded {
		b.WriteString("  The service has no record of it yet: it has not consumed the event, or no such event\n" +
			"  was published (check the id and --source).\n")
	}
	tw := tabwriter.NewWriter(&b, 0, 2, 2, ' ', 0)
	if st.Worker != "" {
		fmt.Fprintf(tw, "  worker\t%s (claim until %s)\n", st.Worker, st.LeaseUntil.Local().Format(time.TimeOnly))
	}
	if !st.Due.IsZero() {
		fmt.Fprintf(tw, "  due\t%s\n", st.Due.Local().Format(time.DateTime))
	}
	if st.Recorded && st.Result == nil {
		fmt.Fprintf(tw, "  attempts\t%d\n", st.Attempts)
		if !st.StartedAt.IsZero() {
			fmt.Fprintf(tw, "  received\t%s\n", st.StartedAt.Local().Format(time.DateTime))
		}
	}
	if e := st.LastError; e != nil && st.Result == nil {
		fmt.Fprintf(tw, "  last error\t%s", e.Code)
		if e.Step != "" {
			fmt.Fprintf(tw, " in %s", e.Step)
		}
		fmt.Fprintf(tw, ": %s\n", e.Message)
	}
	if c := st.Cancellation; c != nil {
		fmt.Fprintf(tw, "  cancellation\trequested at %s by %s", c.At.Local().Format(time.DateTime), c.Source)
		if c.Reason != "" {
			fmt.Fprintf(tw, ": %s", c.Reason)
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(st.Steps) > 0 && st.Result == nil {
		b.WriteString("\nSteps\n")
		tw = tabwriter.NewWriter(&b, 0, 2, 2, ' ', 0)
		for _, s := range st.Steps {
			status := string(s.Status)
			if status == "" {
				status = "unfinished"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%d attempt(s)\n", s.Name, status, s.Attempts)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	if st.Result != nil {
		if _, err := io.WriteString(w, "\n"); err != nil {
			return err
		}
		return textreport.Result(w, st.Result)
	}
	return nil
}
