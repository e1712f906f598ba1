// Command publish is the operators' command line of docspace-offboarding. It publishes
// employee.terminated events (one employee, or every row of a CSV file exported from the HR
// system) and employee.termination.cancelled events to NATS JetStream, and follows the
// offboardings they start: their progress, their results, and their state in the service's
// checkpoint store.
//
// Usage:
//
//	publish [global flags] <command> [flags]
//
//	publish terminate --email john.smith@acme.example --employee-id E-1011 --workspace-folder 1002 --wait
//	publish terminate --csv leavers.csv --source /hris/workday --wait
//	publish cancel ID --source /hris/workday --reason "rehired"
//	publish watch --since 10m
//	publish status ID --source /hris/workday
//
// Global flags (accepted before or after the command): --server (NATS URL, default $NATS_URL or
// nats://127.0.0.1:4222), --creds ($NATS_CREDS), --json (one JSON object per line on standard
// output, for scripts), --timeout. Subjects, streams and the state bucket come from the
// service's variables OFFBOARDING_INPUT_SUBJECT, OFFBOARDING_OUTPUT_STREAM,
// OFFBOARDING_STATE_BUCKET and OFFBOARDING_DUPLICATE_WINDOW. "publish help" prints the whole
// usage text.
//
// Exit codes:
//
//	0  done
//	1  an offboarding failed or was cancelled (with --wait)
//	2  usage or validation error: nothing was published
//	3  NATS unreachable, or a publish was not acknowledged
//	4  timed out or interrupted before every result arrived (with --wait)
//
// The command only wires flags, environment and output to package publisher, which holds the
// logic.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/sethvargo/go-envconfig"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], envconfig.OsLookuper(), os.Stdout, os.Stderr))
}
