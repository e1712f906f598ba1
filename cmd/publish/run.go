package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/sethvargo/go-envconfig"

	"github.com/docspace-offboarding/docspace-offboarding/internal/checkpoint"
	"github.com/docspace-offboarding/docspace-offboarding/internal/publisher"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailed  = 1 // an offboarding failed or was cancelled
	exitUsage   = 2 // usage or validation error: nothing published
	exitNATS    = 3 // NATS unreachable, or a publish not acknowledged
	exitTimeout = 4 // timed out or interrupted before every result arrived
)

// defaultServer is the NATS URL without --server and NATS_URL.
const defaultServer = "nats://127.0.0.1:4222"

// connectTimeout bounds the connection to NATS.
const connectTimeout = 5 * time.Second

// settings are the environment variables the command reads; the names are the service's
// (internal/config), so one environment serves both.
type settings struct {
	NATSURL         string        `env:"NATS_URL"`
	NATSCreds       string        `env:"NATS_CREDS"`
	InputSubject    string        `env:"OFFBOARDING_INPUT_SUBJECT, default=employee.terminated"`
	OutputStream    string        `env:"OFFBOARDING_OUTPUT_STREAM, default=OFFBOARDING"`
	StateBucket     string        `env:"OFFBOARDING_STATE_BUCKET, default=offboarding_state"`
	DuplicateWindow time.Duration `env:"OFFBOARDING_DUPLICATE_WINDOW, default=2m"`
}

// app is one run of the command.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	env            settings
	out            *printer

	// Global flags.
	server  string
	creds   string
	json    bool
	timeout time.Duration
}

// run is the whole program; it returns the exit code.
func run(ctx context.Context, args []string, env envconfig.Lookuper, stdout, stderr io.Writer) int {
	return execute(ctx, args, env, os.Stdin, stdout, stderr)
}

// execute is run with the standard input given, for --csv -.
func execute(ctx context.Context, args []string, env envconfig.Lookuper, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	if err := envconfig.ProcessWith(ctx, &envconfig.Config{Target: &a.env, Lookuper: env}); err != nil {
		fmt.Fprintf(stderr, "publish: read environment: %v\n", err)
		return exitUsage
	}
	a.server, a.creds = a.env.NATSURL, a.env.NATSCreds
	if a.server == "" {
		a.server = defaultServer
	}

	fs := flag.NewFlagSet("publish", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	a.globalFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage())
			return exitOK
		}
		return a.usageError(err.Error(), "")
	}
	a.out = &printer{w: stdout, json: a.json}
	rest := fs.Args()
	if len(rest) == 0 {
		fmt.Fprint(stderr, usage())
		return exitUsage
	}
	cmd, rest := rest[0], rest[1:]
	switch cmd {
	case "terminate":
		return a.terminate(ctx, rest)
	case "cancel":
		return a.cancel(ctx, rest)
	case "watch":
		return a.watch(ctx, rest)
	case "status":
		return a.status(ctx, rest)
	case "help", "-h", "--help":
		if len(rest) == 0 {
			fmt.Fprint(stdout, usage())
			return exitOK
		}
		return execute(ctx, []string{rest[0], "--help"}, env, stdin, stdout, stderr)
	default:
		return a.usageError(fmt.Sprintf("unknown command %q", cmd), "")
	}
}

// globalFlags registers the global flags on fs, with their current values as defaults, so a
// command's flag set takes them too (after the command) without resetting what came before it.
func (a *app) globalFlags(fs *flag.FlagSet) {
	fs.StringVar(&a.server, "server", a.server, "NATS server `URL`s, comma separated ($NATS_URL)")
	fs.StringVar(&a.creds, "creds", a.creds, "NATS credentials `file` ($NATS_CREDS)")
	fs.BoolVar(&a.json, "json", a.json, "machine output: one JSON object per line on standard output")
	fs.DurationVar(&a.timeout, "timeout", a.timeout, "give up after this `duration` (e.g. 30s, 2h); 0: no limit")
}

// commandFlags returns the flag set of a command, with the global flags.
func (a *app) commandFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	a.globalFlags(fs)
	return fs
}

// parse parses a command's arguments, flags and positional arguments in any order, and
// returns the positional ones. done is set when the command should stop with code; help goes to
// standard output.
func (a *app) parse(fs *flag.FlagSet, args []string, synopsis string) (pos []string, code int, done bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(a.stdout, commandUsage(fs, synopsis))
				return nil, exitOK, true
			}
			return nil, a.usageError(err.Error(), fs.Name()), true
		}
		args = fs.Args()
		if len(args) == 0 {
			a.out = &printer{w: a.stdout, json: a.json}
			return pos, exitOK, false
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// usageError reports a usage error and returns exitUsage.
func (a *app) usageError(msg, command string) int {
	hint := "publish help"
	if command != "" {
		hint = "publish help " + command
	}
	fmt.Fprintf(a.stderr, "publish: %s (see %q)\n", msg, hint)
	if a.out != nil {
		a.out.object(map[string]any{"kind": "error", "error": msg, "exitCode": exitUsage})
	}
	return exitUsage
}

// fail reports an error that ends the command with code.
func (a *app) fail(code int, err error) int {
	fmt.Fprintf(a.stderr, "publish: %v\n", err)
	a.out.object(map[string]any{"kind": "error", "error": err.Error(), "exitCode": code})
	return code
}

// withTimeout applies --timeout to ctx.
func (a *app) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if a.timeout > 0 {
		return context.WithTimeout(ctx, a.timeout)
	}
	return context.WithCancel(ctx)
}

// connect opens the NATS connection and its JetStream handle.
func (a *app) connect() (*nats.Conn, jetstream.JetStream, error) {
	opts := []nats.Option{
		nats.Name("docspace-offboarding-publish"),
		nats.Timeout(connectTimeout),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
	}
	if a.creds != "" {
		opts = append(opts, nats.UserCredentials(a.creds))
	}
	nc, err := nats.Connect(a.server, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("connect to nats at %s: %w", redactURLs(a.server), err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("jetstream: %w", err)
	}
	return nc, js, nil
}

// redactURLs hides passwords in a comma-separated list of server URLs.
func redactURLs(s string) string {
	parts := strings.Split(s, ",")
	for i, p := range parts {
		if u, err := url.Parse(strings.TrimSpace(p)); err == nil && u.User != nil {
			parts[i] = u.Redacted()
		}
	}
	return strings.Join(parts, ",")
}

// openStore opens the service's checkpoint store for reading.
func (a *app) openStore(ctx context.Context, js jetstream.JetStream) (*checkpoint.Store, error) {
	ctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	// The store is only read: the owner names no lease holder.
	return checkpoint.Open(ctx, js, checkpoint.Options{Bucket: a.env.StateBucket, Owner: "publish"})
}

// storeNeed is what a command needs of the state store.
type storeNeed int

const (
	storeNone     storeNeed = iota // not used
	storeOptional                  // used when it opens (optionalStore)
	storeRequired                  // the command fails (exitNATS) without it
)

// openPublisher connects to NATS and builds a publisher with o and the state store need asks for.
// It returns the publisher and a func that closes the connection; on failure, a nil publisher and
// the exit code (exitNATS: NATS or a required store; exitUsage: the publisher), the failure
// already reported.
func (a *app) openPublisher(ctx context.Context, o publisher.Options, need storeNeed) (*publisher.Publisher, func(), int) {
	nc, js, err := a.connect()
	if err != nil {
		return nil, nil, a.fail(exitNATS, err)
	}
	switch need {
	case storeOptional:
		o.Store = a.optionalStore(ctx, js)
	case storeRequired:
		if o.Store, err = a.openStore(ctx, js); err != nil {
			nc.Close()
			return nil, nil, a.fail(exitNATS, fmt.Errorf("read the state bucket %s: %w", a.env.StateBucket, err))
		}
	}
	p, err := a.publisher(js, o)
	if err != nil {
		nc.Close()
		return nil, nil, a.fail(exitUsage, err)
	}
	return p, nc.Close, exitOK
}

// publisher returns a Publisher on js with the given source, mode and store.
func (a *app) publisher(js jetstream.JetStream, o publisher.Options) (*publisher.Publisher, error) {
	o.InputSubject = a.env.InputSubject
	o.OutputStream = a.env.OutputStream
	o.DuplicateWindow = a.env.DuplicateWindow
	o.Malformed = func(err error) {
		fmt.Fprintf(a.stderr, "publish: skipping an event that cannot be read: %v\n", err)
	}
	return publisher.New(js, o)
}

// usage is the text of "publish help".
func usage() string {
	return `Usage: publish [global flags] <command> [flags]

Publishes employee.terminated and employee.termination.cancelled events for docspace-offboarding
and follows the offboardings they start.

Commands:
  terminate   offboard one employee (--user-id or --email), or every row of --csv FILE
  cancel ID   cancel the termination ID (--source names its source)
  watch       follow progress and results until interrupted (--since 10m, or --all)
  status ID   show the state the service recorded for the termination ID
  help        show this text; "publish help <command>" shows a command's flags

Global flags (also accepted after the command):
  --server URL         NATS server URLs, comma separated (default $NATS_URL, or ` + defaultServer + `)
  --creds FILE         NATS credentials file (default $NATS_CREDS)
  --json               machine output: one JSON object per line on standard output
  --timeout DURATION   give up after this long, e.g. 30s or 2h (default 0: no limit)

Environment (the service's names and defaults):
  NATS_URL, NATS_CREDS
  OFFBOARDING_INPUT_SUBJECT      employee.terminated
  OFFBOARDING_OUTPUT_STREAM      OFFBOARDING
  OFFBOARDING_STATE_BUCKET       offboarding_state
  OFFBOARDING_DUPLICATE_WINDOW   2m

Exit codes:
  0  done
  1  an offboarding failed or was cancelled (with --wait)
  2  usage or validation error: nothing was published
  3  NATS unreachable, or a publish was not acknowledged
  4  timed out or interrupted before every result arrived (with --wait)

Examples:
  publish terminate --email john.smith@acme.example --employee-id E-1011 --workspace-folder 1002 --wait
  publish terminate --csv leavers.csv --source /hris/workday --dry-run --wait
  publish cancel 7d8c1f4e-2b3a-4c5d-8e9f-0a1b2c3d4e5f --source /hris/workday --reason "rehired"
  publish watch --since 10m
  publish --json status 7d8c1f4e-2b3a-4c5d-8e9f-0a1b2c3d4e5f --source /hris/workday
`
}

// commandUsage is the text of "publish help <command>".
func commandUsage(fs *flag.FlagSet, synopsis string) string {
	var b strings.Builder
	b.WriteString(synopsis)
	b.WriteString("\nFlags:\n")
	fs.VisitAll(func(f *flag.Flag) {
		name, text := flag.UnquoteUsage(f)
		left := "  --" + f.Name
		if name != "" {
			left += " " + strings.ToUpper(name)
		}
		fmt.Fprintf(&b, "%-28s %s", left, text)
		def := f.DefValue
		if f.Name == "server" {
			def = redactURLs(def)
		}
		if def != "" && def != "false" && def != "0" && def != "0s" {
			fmt.Fprintf(&b, " (default %s)", def)
		}
		b.WriteString("\n")
	})
	b.WriteString("\nExit codes: 0 done; 1 an offboarding failed or was cancelled (with --wait); 2 usage or\n" +
		"validation error, nothing published; 3 NATS unreachable or a publish not acknowledged;\n" +
		"4 timed out or interrupted before every result arrived.\n")
	return b.String()
}
