package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/publisher"
	"github.com/docspace-offboarding/docspace-offboarding/internal/textreport"
)

const cancelSynopsis = `Usage: publish cancel ID [--source SOURCE] [--reason TEXT] [--binary]

Publishes employee.termination.cancelled for the termination ID from SOURCE. A running
offboarding stops at its next step, one waiting for its effectiveAt ends at once, and either
ends with a result of status cancelled; one not consumed yet is cancelled when it arrives, and
one that has finished is left as it is.
`

const watchSynopsis = `Usage: publish watch [--since DURATION | --all]

Follows offboarding.progress, offboarding.completed and offboarding.failed until interrupted
(or --timeout passes): from now on by default, from DURATION ago with --since, or from the
first event the stream holds with --all.
`

const statusSynopsis = `Usage: publish status ID [--source SOURCE]

Shows the state the service recorded for the termination ID from SOURCE: pending, running,
scheduled (waiting for its effectiveAt) or finished, with its steps, attempts, last error and,
once finished, its result.
`

func (a *app) cancel(ctx context.Context, args []string) int {
	fs := a.commandFlags("cancel")
	source := fs.String("source", publisher.DefaultSource, "`source` of the termination to cancel")
	reason := fs.String("reason", "", "why, in free `text` (at most 1000 characters)")
	binary := fs.Bool("binary", false, "publish in binary content mode (attributes in ce- headers)")
	pos, code, done := a.parse(fs, args, cancelSynopsis)
	if done {
		return code
	}
	if len(pos) != 1 {
		return a.usageError("cancel takes one termination id", "cancel")
	}
	if err := publisher.CheckSource(*source); err != nil {
		return a.usageError("--source: "+reasonOf(err), "cancel")
	}
	mode := events.Structured
	if *binary {
		mode = events.Binary
	}

	ctx, stop := a.withTimeout(ctx)
	defer stop()
	p, closeNATS, exit := a.openPublisher(ctx, publisher.Options{Mode: mode}, storeNone)
	if p == nil {
		return exit
	}
	defer closeNATS()
	pub, err := p.Cancel(ctx, pos[0], *source, *reason)
	switch {
	case errors.Is(err, publisher.ErrInvalid):
		return a.invalid(err)
	case err != nil:
		return a.fail(exitNATS, err)
	}
	a.out.object(publishedRecord{Kind: "published", Event: events.TypeCancelled, Published: pub, TerminationID: pos[0], TerminationSource: *source})
	a.out.text("Published %s of %s from %s (event %s; stream %s, sequence %d).",
		events.TypeCancelled, pos[0], *source, pub.ID, pub.Stream, pub.Sequence)
	if pub.Duplicate {
		a.out.text("The stream already held it (published before, within its duplicate window): stored once.")
	}
	return exitOK
}

func (a *app) watch(ctx context.Context, args []string) int {
	fs := a.commandFlags("watch")
	since := fs.Duration("since", 0, "start this `duration` ago, e.g. 10m (default: from now)")
	all := fs.Bool("all", false, "start from the first event the stream holds")
	pos, code, done := a.parse(fs, args, watchSynopsis)
	if done {
		return code
	}
	switch {
	case len(pos) > 0:
		return a.usageError(fmt.Sprintf("watch takes no arguments, got %q", pos[0]), "watch")
	case *all && *since != 0:
		return a.usageError("give --since or --all, not both", "watch")
	case *since < 0:
		return a.usageError("--since must be positive", "watch")
	}

	ctx, stop := a.withTimeout(ctx)
	defer stop()
	p, closeNATS, exit := a.openPublisher(ctx, publisher.Options{}, storeNone)
	if p == nil {
		return exit
	}
	defer closeNATS()
	from := time.Now().Add(-*since)
	if *all {
		from = time.Time{}
	}
	a.out.text("Following %s; Ctrl-C stops.", a.env.OutputStream)
	err := p.Watch(ctx, from, a.writeProgress, func(r *events.Result) {
		a.out.object(resultRecord{Kind: "result", Result: r})
		if !a.out.json {
			_ = textreport.ResultLine(a.stdout, r)
		}
	})
	if err != nil {
		return a.fail(exitNATS, err)
	}
	return exitOK
}

func (a *app) status(ctx context.Context, args []string) int {
	fs := a.commandFlags("status")
	source := fs.String("source", publisher.DefaultSource, "`source` of the termination")
	pos, code, done := a.parse(fs, args, statusSynopsis)
	if done {
		return code
	}
	if len(pos) != 1 {
		return a.usageError("status takes one termination id", "status")
	}

	ctx, stop := a.withTimeout(ctx)
	defer stop()
	p, closeNATS, exit := a.openPublisher(ctx, publisher.Options{}, storeRequired)
	if p == nil {
		return exit
	}
	defer closeNATS()
	st, err := p.Status(ctx, *source, pos[0])
	if err != nil {
		return a.fail(exitNATS, err)
	}
	a.out.object(statusRecord{Kind: "status", Status: st})
	if !a.out.json {
		_ = writeStatus(a.stdout, st)
	}
	return exitOK
}
