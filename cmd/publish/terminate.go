package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/docspace-offboarding/docspace-offboarding/internal/checkpoint"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/publisher"
	"github.com/docspace-offboarding/docspace-offboarding/internal/textreport"
)

const terminateSynopsis = `Usage: publish terminate (--user-id GUID | --email ADDRESS) [flags]
       publish terminate --csv FILE [--source SOURCE] [--dry-run] [--binary] [--wait]

Publishes employee.terminated: the service offboards the employee in DocSpace.

With --csv, every row of FILE (- for standard input) is one termination. The first row names
the columns, in any order: userId, email, employeeId, workspaceFolderId, archiveRoomId,
archiveFolderId, archiveOwnerId, hrGroupId, effectiveAt, dryRun, reason (the event's data
fields) and optionally id. Every row is validated before any is published: on any problem,
all are listed with their line and column and nothing is published (exit 2). Rows without an
id are published under an id derived from their content, so publishing the same file again
refers to the same terminations, which the service offboards once. A progress bar shows on a
terminal; a summary follows.
`

// terminateFlags are the flags of terminate.
type terminateFlags struct {
	userID, email, employeeID                   string
	workspaceFolder, archiveRoom, archiveFolder string
	archiveOwner, hrGroup, reason, effectiveAt  string
	id, source, csv                             string
	dryRun, binary, wait                        bool
}

// singleOnly reports whether a flag describes one termination, which --csv replaces.
func singleOnly(name string) bool {
	switch name {
	case "user-id", "email", "employee-id", "workspace-folder", "archive-room", "archive-folder",
		"archive-owner", "hr-group", "reason", "effective-at", "id":
		return true
	}
	return false
}

func (a *app) terminate(ctx context.Context, args []string) int {
	fs := a.commandFlags("terminate")
	var f terminateFlags
	fs.StringVar(&f.userID, "user-id", "", "DocSpace user `GUID` of the employee")
	fs.StringVar(&f.email, "email", "", "the employee's e-mail `address`, looked up in DocSpace when --user-id is absent")
	fs.StringVar(&f.employeeID, "employee-id", "", "the HR system's `id` of the employee, echoed in every result")
	fs.StringVar(&f.workspaceFolder, "workspace-folder", "", "DocSpace folder `id` to archive (none: nothing is moved)")
	fs.StringVar(&f.archiveRoom, "archive-room", "", "room `id` the folder goes to (default: the service's, or a room per employee)")
	fs.StringVar(&f.archiveFolder, "archive-folder", "", "folder `id` inside a room the folder goes to, instead of a room")
	fs.StringVar(&f.archiveOwner, "archive-owner", "", "user `GUID` who receives the content and full access (default: the service's)")
	fs.StringVar(&f.hrGroup, "hr-group", "", "group `GUID` given read-only access (default: the service's)")
	fs.StringVar(&f.reason, "reason", "", "free `text` echoed in the report, at most 1000 characters")
	fs.StringVar(&f.effectiveAt, "effective-at", "", "RFC 3339 `time` before which nothing is done, e.g. 2026-03-31T17:00:00Z")
	fs.BoolVar(&f.dryRun, "dry-run", false, "check everything, change nothing, report the plan (with --csv: for every row)")
	fs.StringVar(&f.id, "id", "", "event `id` (default: a new UUID)")
	fs.StringVar(&f.source, "source", publisher.DefaultSource, "event `source`; with the id it identifies the termination")
	fs.BoolVar(&f.binary, "binary", false, "publish in binary content mode (attributes in ce- headers)")
	fs.BoolVar(&f.wait, "wait", false, "follow progress and results; exit 1 when an offboarding failed or was cancelled")
	fs.StringVar(&f.csv, "csv", "", "publish every row of a CSV `file` (- for standard input)")
	pos, code, done := a.parse(fs, args, terminateSynopsis)
	if done {
		return code
	}
	if len(pos) > 0 {
		return a.usageError(fmt.Sprintf("terminate takes no arguments, got %q", pos[0]), "terminate")
	}
	if err := publisher.CheckSource(f.source); err != nil {
		return a.usageError("--source: "+reasonOf(err), "terminate")
	}
	mode := events.Structured
	if f.binary {
		mode = events.Binary
	}
	if f.csv != "" {
		var conflicting []string
		fs.Visit(func(fl *flag.Flag) {
			if singleOnly(fl.Name) {
				conflicting = append(conflicting, "--"+fl.Name)
			}
		})
		if len(conflicting) > 0 {
			return a.usageError("--csv takes the terminations from the file; drop "+strings.Join(conflicting, ", "), "terminate")
		}
		return a.terminateCSV(ctx, f, mode)
	}
	return a.terminateOne(ctx, f, mode)
}

// terminateOne publishes the termination the flags describe.
func (a *app) terminateOne(ctx context.Context, f terminateFlags, mode events.Mode) int {
	d := events.TerminationData{
		UserID: f.userID, Email: f.email, EmployeeID: f.employeeID, ArchiveOwnerID: f.archiveOwner,
		HRGroupID: f.hrGroup, DryRun: f.dryRun, Reason: f.reason,
	}
	for _, e := range []struct {
		flag  string
		value string
		dst   *events.EntryID
	}{
		{"workspace-folder", f.workspaceFolder, &d.WorkspaceFolderID},
		{"archive-room", f.archiveRoom, &d.ArchiveRoomID},
		{"archive-folder", f.archiveFolder, &d.ArchiveFolderID},
	} {
		if e.value == "" {
			continue
		}
		id, ok := publisher.ParseEntryID(e.value)
		if !ok {
			return a.usageError(fmt.Sprintf("--%s %q: not a positive integer", e.flag, e.value), "terminate")
		}
		*e.dst = id
	}
	if f.effectiveAt != "" {
		t, err := time.Parse(time.RFC3339, f.effectiveAt)
		if err != nil {
			return a.usageError(fmt.Sprintf("--effective-at %q: not an RFC 3339 time (like 2026-03-31T17:00:00Z)", f.effectiveAt), "terminate")
		}
		d.EffectiveAt = &t
	}
	t := publisher.Termination{ID: f.id, Source: f.source, Data: d, Mode: mode}
	if err := publisher.Validate(t); err != nil {
		return a.invalid(err)
	}

	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	p, closeNATS, exit := a.openPublisher(ctx, publisher.Options{Source: f.source, Mode: mode}, storeFor(f.wait))
	if p == nil {
		return exit
	}
	defer closeNATS()
	pub, err := p.Terminate(ctx, t)
	switch {
	case errors.Is(err, publisher.ErrInvalid):
		return a.invalid(err)
	case err != nil:
		return a.fail(exitNATS, err)
	}
	a.out.object(publishedRecord{Kind: "published", Event: events.TypeTerminated, Published: pub})
	a.out.text("Published %s %s from %s (stream %s, sequence %d).", events.TypeTerminated, pub.ID, pub.Source, pub.Stream, pub.Sequence)
	if pub.Duplicate {
		a.out.text("The stream already held it (published before, within its duplicate window): stored once.")
	}
	if d.DryRun {
		a.out.text("Dry run: the service checks everything and changes nothing.")
	}
	if !f.wait {
		return exitOK
	}

	a.out.text("Waiting for the result; Ctrl-C stops waiting, not the offboarding.\n")
	results, err := p.Wait(ctx, []publisher.Published{pub}, a.writeProgress, func(r *events.Result) {
		a.out.object(resultRecord{Kind: "result", Result: r})
		if !a.out.json {
			fmt.Fprintln(a.stdout)
			_ = textreport.Result(a.stdout, r)
		}
	})
	if err != nil {
		return a.waitFailed(ctx, err, fmt.Sprintf("see \"publish status %s --source %s\"", pub.ID, pub.Source))
	}
	if publisher.Unsuccessful(results[pub.ID]) {
		return exitFailed
	}
	return exitOK
}

// terminateCSV publishes every row of a CSV file.
func (a *app) terminateCSV(ctx context.Context, f terminateFlags, mode events.Mode) int {
	in, name, err := a.openCSV(f.csv)
	if err != nil {
		return a.fail(exitUsage, err)
	}
	rows, err := publisher.ParseCSV(in)
	if cerr := in.Close(); err == nil && cerr != nil {
		err = cerr
	}
	var ce *publisher.CSVError
	switch {
	case errors.As(err, &ce):
		return a.csvProblems(name, ce.Problems)
	case err != nil:
		return a.fail(exitUsage, fmt.Errorf("read %s: %w", name, err))
	}
	ts := make([]publisher.Termination, len(rows))
	lineOf := make(map[string]int, len(rows))
	for i, r := range rows {
		d := r.Data
		d.DryRun = d.DryRun || f.dryRun
		id := r.ID
		if id == "" {
			id = publisher.DeriveID(d)
		}
		ts[i] = publisher.Termination{ID: id, Source: f.source, Data: d, Mode: mode}
		lineOf[id] = r.Line
	}

	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	p, closeNATS, exit := a.openPublisher(ctx, publisher.Options{Source: f.source, Mode: mode}, storeFor(f.wait))
	if p == nil {
		return exit
	}
	defer closeNATS()

	sum := publisher.NewSummary(len(ts))
	bar := a.newBar("publishing", len(ts))
	pubs, err := p.TerminateAll(ctx, ts, func(i int, pub publisher.Published, err error) {
		sum.AddPublished(pub, err)
		line := rows[i].Line
		if err != nil {
			a.out.object(publishFailedRecord{Kind: "publish-failed", Line: line, ID: ts[i].ID, Error: err.Error()})
			bar.clear()
			fmt.Fprintf(a.stderr, "publish: line %d (%s): %v\n", line, ts[i].ID, err)
		} else {
			a.out.object(publishedRecord{Kind: "published", Event: events.TypeTerminated, Line: line, Published: pub})
		}
		bar.set(sum.Published+sum.Duplicates+sum.NotPublished, "")
	})
	bar.finish()
	var be *publisher.BatchError
	switch {
	case errors.Is(err, publisher.ErrInvalid) && errors.As(err, &be):
		return a.batchProblems(name, be, rows)
	case err != nil && !errors.As(err, &be):
		return a.fail(exitNATS, err)
	}
	a.out.text("Published %d of %d terminations from %s: %d new, %d already published.",
		sum.Published+sum.Duplicates, sum.Terminations, name, sum.Published, sum.Duplicates)
	code := exitOK
	if sum.NotPublished > 0 {
		a.out.text("%d could not be published (listed above); publishing the file again publishes them, and the others once.", sum.NotPublished)
		code = exitNATS
	}
	var published []publisher.Published
	for _, pub := range pubs {
		if pub.ID != "" {
			published = append(published, pub)
		}
	}
	if !f.wait || len(published) == 0 {
		a.out.object(summaryRecord{Kind: "summary", Summary: sum})
		return code
	}

	var unsuccessful []*events.Result
	bar = a.newBar("offboarding", len(published))
	_, werr := p.Wait(ctx, published, nil, func(r *events.Result) {
		sum.AddResult(r)
		a.out.object(resultRecord{Kind: "result", Line: lineOf[r.TerminationID], Result: r})
		if publisher.Unsuccessful(r) {
			unsuccessful = append(unsuccessful, r)
		}
		bar.set(sum.Finished(), fmt.Sprintf("%d ok, %d failed", sum.Completed+sum.Planned, sum.Failed+sum.Cancelled))
	})
	bar.finish()
	timedOut := werr != nil && ctx.Err() != nil
	a.out.object(summaryRecord{Kind: "summary", Summary: sum, TimedOut: timedOut})
	a.writeSummary(sum, unsuccessful, lineOf)
	switch {
	case werr != nil && !timedOut:
		return a.fail(exitNATS, werr)
	case code != exitOK:
		return code
	case timedOut:
		return a.waitFailed(ctx, werr, "follow them with \"publish watch\" or \"publish status ID\"")
	case sum.Unsuccessful():
		return exitFailed
	}
	return exitOK
}

// writeSummary tells people how a CSV file's terminations ended.
func (a *app) writeSummary(sum publisher.Summary, unsuccessful []*events.Result, lineOf map[string]int) {
	if a.out.json {
		return
	}
	var parts []string
	for _, c := range []struct {
		n    int
		what string
	}{
		{sum.Completed, "completed"}, {sum.Planned, "planned (dry run)"}, {sum.Failed, "failed"}, {sum.Cancelled, "cancelled"},
		{sum.Pending, "without a result yet"},
	} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	a.out.text("Results: %s.", strings.Join(parts, ", "))
	if len(unsuccessful) > 0 {
		a.out.text("Failed or cancelled:")
		for _, r := range unsuccessful {
			what := string(r.Status)
			if e := r.Error; e != nil {
				what = e.Code + ": " + e.Message
				if e.Step != "" {
					what = e.Step + ": " + what
				}
			}
			who := r.EmployeeID
			if who == "" {
				who = r.UserID
			}
			a.out.text("  line %d  %s  %s  %s", lineOf[r.TerminationID], r.TerminationID, who, what)
		}
	}
}

// waitFailed reports why waiting stopped and returns the exit code: exitTimeout when ctx ended
// (--timeout, or an interrupt), exitNATS otherwise.
func (a *app) waitFailed(ctx context.Context, err error, hint string) int {
	if ctx.Err() == nil {
		return a.fail(exitNATS, err)
	}
	why := "interrupted"
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		why = "timed out (--timeout " + a.timeout.String() + ")"
	}
	return a.fail(exitTimeout, fmt.Errorf("%s before every result arrived; the offboardings go on: %s", why, hint))
}

// storeFor is the state store terminate needs: the store when it waits for results, none otherwise.
func storeFor(wait bool) storeNeed {
	if wait {
		return storeOptional
	}
	return storeNone
}

// optionalStore opens the checkpoint store, without which waiting still works (on the output
// stream alone); it says so when the store cannot be opened.
func (a *app) optionalStore(ctx context.Context, js jetstream.JetStream) *checkpoint.Store {
	store, err := a.openStore(ctx, js)
	if err != nil {
		fmt.Fprintf(a.stderr, "publish: note: cannot read the state bucket %s (%v); following the output stream only\n", a.env.StateBucket, err)
		return nil
	}
	return store
}

// openCSV opens the file --csv names, or standard input for "-".
func (a *app) openCSV(path string) (io.ReadCloser, string, error) {
	if path == "-" {
		return io.NopCloser(a.stdin), "standard input", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, path, fmt.Errorf("open csv: %w", err)
	}
	return f, path, nil
}

// csvProblems lists the problems of a CSV file and returns exitUsage.
func (a *app) csvProblems(name string, problems []publisher.Problem) int {
	fmt.Fprintf(a.stderr, "publish: %s has %d problem(s); nothing was published:\n", name, len(problems))
	for _, p := range problems {
		fmt.Fprintf(a.stderr, "  %s\n", p)
		a.out.object(invalidRecord{Kind: "invalid", Line: p.Line, Column: p.Column, Header: p.Header, Reason: p.Reason})
	}
	return exitUsage
}

// batchProblems lists the terminations TerminateAll refused and returns exitUsage.
func (a *app) batchProblems(name string, be *publisher.BatchError, rows []publisher.Row) int {
	problems := make([]publisher.Problem, 0, len(be.Items))
	for _, it := range be.Items {
		problems = append(problems, publisher.Problem{Line: rows[it.Index].Line, Reason: it.Err.Error()})
	}
	return a.csvProblems(name, problems)
}

// invalid reports a termination the service would refuse and returns exitUsage.
func (a *app) invalid(err error) int {
	var ve *publisher.ValidationError
	if !errors.As(err, &ve) {
		return a.fail(exitUsage, err)
	}
	fl := flagOf(ve.Field)
	where := ve.Field
	if fl != "" {
		where = fl + " (" + ve.Field + ")"
	}
	fmt.Fprintf(a.stderr, "publish: invalid termination: %s: %s; nothing was published\n", where, ve.Reason)
	a.out.object(invalidRecord{Kind: "invalid", Field: ve.Field, Flag: fl, Reason: ve.Reason})
	return exitUsage
}

// reasonOf is the reason of a validation error, or the error's text.
func reasonOf(err error) string {
	var ve *publisher.ValidationError
	if errors.As(err, &ve) {
		return ve.Reason
	}
	return err.Error()
}

// flagOf names the flag that sets an event field.
func flagOf(field string) string {
	switch field {
	case "id":
		return "--id"
	case "source":
		return "--source"
	case "data.userId":
		return "--user-id"
	case "data.email":
		return "--email"
	case "data.employeeId":
		return "--employee-id"
	case "data.workspaceFolderId":
		return "--workspace-folder"
	case "data.archiveRoomId":
		return "--archive-room"
	case "data.archiveFolderId":
		return "--archive-folder"
	case "data.archiveOwnerId":
		return "--archive-owner"
	case "data.hrGroupId":
		return "--hr-group"
	case "data.effectiveAt":
		return "--effective-at"
	case "data.reason":
		return "--reason"
	}
	return ""
}
