package chaos

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// Options configure a chaos run.
type Options struct {
	Binaries *Binaries
	// Dir is the work directory; each scenario gets a directory of its own
	// inside it, with the processes' storage, configuration and logs.
	Dir string
	// N is how many employees each scenario offboards.
	N int
	// Seed drives every random choice: the company, event ids, the moments
	// of kills and the simulator's fault decisions.
	Seed uint64
	// Wait bounds publishing and the faults of a scenario, and then again
	// the wait for its results once the faults are over; default 4 minutes.
	Wait time.Duration
	// Logger receives progress; nil discards it.
	Logger *slog.Logger
}

// FaultEvent is one fault a scenario caused.
type FaultEvent struct {
	Kind string
	// Start is when the fault began; End when it was over (the process
	// restarted, the network restored, the DocSpace fault removed).
	Start, End time.Time
}

// Row is the outcome of one scenario.
type Row struct {
	Scenario string
	// Fault describes what the scenario does.
	Fault string
	Verdict
	Faults []FaultEvent
	// Recovery is the longest time from the end of a fault to the next
	// result published; Recoveries how many faults it was measured on (a
	// fault followed by another before any result is not measured).
	Recovery   time.Duration
	Recoveries int
	// KillSteps counts, for consumer kills, in which step each kill landed.
	KillSteps map[string]int
	// Work counts, per consumer process, the offboarding attempts it started
	// and the results it published.
	Work     map[string]Work
	Duration time.Duration
	// Notes are facts worth reading that are not failures.
	Notes []string
	// Err is a failure of the harness itself; the figures are then incomplete.
	Err error
	// Dir is where the scenario's logs are.
	Dir string
}

// Passed reports whether the scenario ran and every figure is as required.
func (r Row) Passed() bool { return r.Err == nil && r.Verdict.Passed() }

// Work is what one consumer process did, from its logs.
type Work struct {
	Started  int
	Finished int
}

// Run is one scenario in progress: the processes, and what has happened so
// far. Scenarios drive their faults through it.
type Run struct {
	Scenario  Scenario
	Company   *Company
	Sim       *Simulator
	NATS      *NATS
	Proxy     *Proxy
	Consumers []*Consumer
	// NC and JS are the harness's own connection, straight to NATS.
	NC *nats.Conn
	JS jetstream.JetStream
	// RNG is the scenario's seeded random source.
	RNG *rand.Rand
	// N is how many terminations the scenario publishes.
	N   int
	Log *slog.Logger
	dir string

	mu      sync.Mutex
	faults  []FaultEvent
	kills   []killMark
	acked   int
	results map[termKey]time.Time
	changed chan struct{} // closed and replaced whenever acked or results change
	keys    map[termKey]bool
	notes   []string
	// faultStart is when a scenario's DocSpace faults were injected.
	faultStart time.Time
}

// killMark is one kill -9 of a consumer: when that run of it started, and
// when it was killed.
type killMark struct {
	started, killed time.Time
}

// Fault records a fault that lasted from start to end.
func (r *Run) Fault(kind string, start, end time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.faults = append(r.faults, FaultEvent{Kind: kind, Start: start, End: end})
}

// Note records a fact for the report.
func (r *Run) Note(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

// kill records a consumer kill.
func (r *Run) kill(started, killed time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.kills = append(r.kills, killMark{started: started, killed: killed})
}

// Results is how many terminations have a result so far.
func (r *Run) Results() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.results)
}

// Acked is how many terminations JetStream acknowledged so far.
func (r *Run) Acked() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.acked
}

// WaitResults waits until at least k terminations have a result.
func (r *Run) WaitResults(ctx context.Context, k int) error {
	return r.waitFor(ctx, func() bool { return len(r.results) >= k })
}

// WaitAcked waits until at least k terminations were acknowledged.
func (r *Run) WaitAcked(ctx context.Context, k int) error {
	return r.waitFor(ctx, func() bool { return r.acked >= k })
}

// Settled reports whether every termination has a result.
func (r *Run) Settled() bool { return r.Results() >= r.N }

func (r *Run) waitFor(ctx context.Context, cond func() bool) error {
	for {
		r.mu.Lock()
		ok, ch := cond(), r.changed
		r.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// notify wakes the waiters; the caller holds r.mu.
func (r *Run) notify() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// BusiestNode is the NATS node most consumers are connected to.
func (r *Run) BusiestNode(ctx context.Context) int {
	best, most := 0, -1
	for i := range r.NATS.Nodes {
		n, err := r.NATS.Connections(ctx, i, consumerConnName)
		if err == nil && n > most {
			best, most = i, n
		}
	}
	return best
}

// consumerConnName is the name the consumer gives its NATS connection.
const consumerConnName = "docspace-offboarding"

// RunScenario runs one scenario from scratch and returns its row. A harness
// failure is in Row.Err; the figures are whatever could be measured.
func RunScenario(ctx context.Context, o Options, s Scenario) Row {
	start := time.Now()
	row := Row{Scenario: s.Name, Fault: s.Fault, Dir: filepath.Join(o.Dir, s.Name)}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Wait <= 0 {
		o.Wait = 4 * time.Minute
	}
	r, cleanup, err := setUp(ctx, o, s, row.Dir)
	defer func() {
		if cleanup != nil {
			cleanup()
		}
	}()
	if err == nil {
		err = r.execute(ctx, o, &row)
	}
	row.Err = err
	row.Duration = time.Since(start)
	return row
}

// scenarioSeed derives a scenario's seed from the run's seed and its name.
func scenarioSeed(seed uint64, name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return seed ^ h.Sum64()
}

// setUp starts the simulator, NATS, the proxy and the consumers of a scenario.
func setUp(ctx context.Context, o Options, s Scenario, dir string) (*Run, func(), error) {
	if err := os.RemoveAll(dir); err != nil {
		return nil, nil, fmt.Errorf("set up %s: %w", s.Name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("set up %s: %w", s.Name, err)
	}
	seed := scenarioSeed(o.Seed, s.Name)
	r := &Run{
		Scenario: s, N: o.N, dir: dir, Log: o.Logger.With("scenario", s.Name),
		RNG:     rand.New(rand.NewPCG(seed, 1)),
		Company: NewCompany(o.N, seed, time.Now()),
		results: map[termKey]time.Time{}, keys: map[termKey]bool{}, changed: make(chan struct{}),
	}
	var closers []func()
	cleanup := func() {
		for _, c := range slices.Backward(closers) {
			c()
		}
	}
	fail := func(err error) (*Run, func(), error) { return nil, cleanup, fmt.Errorf("set up %s: %w", s.Name, err) }

	fixture, err := r.Company.FixtureJSON()
	if err != nil {
		return fail(err)
	}
	r.Sim, err = StartSimulator(ctx, SimulatorOptions{Binary: o.Binaries.Simulator, Dir: dir, Fixture: fixture, Seed: seed})
	if err != nil {
		return fail(err)
	}
	closers = append(closers, func() { _ = r.Sim.Stop(context.Background()) })

	nodes := max(s.Nodes, 1)
	r.NATS, err = StartNATS(ctx, NATSOptions{Binary: o.Binaries.NATSServer, Dir: dir, Nodes: nodes})
	if err != nil {
		return fail(err)
	}
	closers = append(closers, func() { r.NATS.Close(context.Background()) })

	consumerURL := r.NATS.URLs()
	if s.Proxy {
		r.Proxy, err = NewProxy(loopback(r.NATS.Nodes[0].Port))
		if err != nil {
			return fail(err)
		}
		closers = append(closers, func() { _ = r.Proxy.Close() })
		consumerURL = r.Proxy.URL()
	}

	nc, err := nats.Connect(r.NATS.URLs(), nats.Name("chaos-harness"), nats.MaxReconnects(-1),
		nats.ReconnectWait(200*time.Millisecond), nats.RetryOnFailedConnect(true))
	if err != nil {
		return fail(fmt.Errorf("connect to nats: %w", err))
	}
	closers = append(closers, nc.Close)
	r.NC = nc
	if r.JS, err = jetstream.New(nc); err != nil {
		return fail(fmt.Errorf("jetstream: %w", err))
	}

	for i := range max(s.Consumers, 1) {
		name := "consumer"
		if s.Consumers > 1 {
			name = fmt.Sprintf("consumer-%d", i+1)
		}
		c, err := NewConsumer(ConsumerConfig{
			Binary: o.Binaries.Consumer, Name: name, LogDir: filepath.Join(dir, "logs"),
			NATSURL: consumerURL, DocSpaceURL: r.Sim.URL, APIKey: r.Company.APIKey,
			ArchiveOwnerID: r.Company.ArchiveOwner.ID, HRGroupID: r.Company.HRGroupID,
			Replicas: nodes, Env: s.Env,
		})
		if err != nil {
			return fail(err)
		}
		r.Consumers = append(r.Consumers, c)
		closers = append(closers, func() { _ = c.Stop(context.Background()) })
		// The first consumer creates the streams; the others find them.
		if err := c.StartReady(ctx, 30*time.Second); err != nil {
			return fail(err)
		}
	}
	return r, cleanup, nil
}

// execute runs the scenario's faults and publishing, waits for the results,
// heals everything, and verifies.
func (r *Run) execute(ctx context.Context, o Options, row *Row) error {
	ts := Terminations(r.Company, r.RNG)
	for _, t := range ts {
		r.keys[termKey{t.Source, t.ID}] = true
	}
	driver, err := NewDriver(r.JS)
	if err != nil {
		return err
	}

	// Publishing and the faults get o.Wait; waiting for the results after
	// them gets o.Wait again. A scenario that stalls is cut off, then verified.
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	faultCtx, cancelFaults := context.WithTimeout(runCtx, o.Wait)
	defer cancelFaults()
	pollCtx, stopPoll := context.WithCancel(runCtx)
	var polling sync.WaitGroup
	polling.Go(func() { r.pollResults(pollCtx) })
	defer func() { stopPoll(); polling.Wait() }()

	if r.Scenario.Before != nil {
		if err := r.Scenario.Before(faultCtx, r); err != nil {
			return fmt.Errorf("%s: prepare faults: %w", r.Scenario.Name, err)
		}
	}
	chaosErr := make(chan error, 1)
	go func() {
		if r.Scenario.Chaos == nil {
			chaosErr <- nil
			return
		}
		chaosErr <- r.Scenario.Chaos(faultCtx, r)
	}()
	r.Log.Info("publishing", "terminations", len(ts))
	gap := r.Scenario.PublishGap
	if w := r.Scenario.PublishOver; w > 0 && len(ts) > 1 {
		gap = w / time.Duration(len(ts)-1)
	}
	pubs := driver.Publish(faultCtx, ts, gap, func(Publication) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.acked++
		r.notify()
	})
	switch err := <-chaosErr; {
	case err == nil:
	case ctx.Err() != nil:
		return ctx.Err()
	case faultCtx.Err() != nil:
		r.Note("publishing and the faults did not finish within %s (%d of %d results): the service stalled", o.Wait, r.Results(), r.N)
	default:
		return fmt.Errorf("%s: faults: %w", r.Scenario.Name, err)
	}
	if err := r.heal(runCtx); err != nil {
		return fmt.Errorf("%s: heal: %w", r.Scenario.Name, err)
	}
	r.Log.Info("faults over; waiting for the results", "results", r.Results(), "of", r.N)
	waitCtx, cancelWait := context.WithTimeout(runCtx, o.Wait)
	werr := r.WaitResults(waitCtx, r.N)
	cancelWait()
	if werr != nil {
		r.Note("waited %s for results: %d of %d arrived", o.Wait, r.Results(), r.N)
	}
	stopPoll()
	polling.Wait()

	// Stop the consumers before looking, so nothing changes underneath.
	for _, c := range r.Consumers {
		if err := c.Stop(ctx); err != nil {
			return fmt.Errorf("%s: stop %s: %w", r.Scenario.Name, c.Name(), err)
		}
	}
	obs, err := r.observe(ctx, ts, pubs)
	if err != nil {
		return fmt.Errorf("%s: %w", r.Scenario.Name, err)
	}
	row.Verdict = Verify(*obs)
	row.Notes = append(row.Notes, row.Remarks...)
	r.mu.Lock()
	row.Faults = append([]FaultEvent(nil), r.faults...)
	kills := append([]killMark(nil), r.kills...)
	row.Notes = append(row.Notes, r.notes...)
	r.mu.Unlock()

	var resultTimes []time.Time
	for _, res := range obs.Output.Results {
		resultTimes = append(resultTimes, res.Time)
	}
	row.Recovery, row.Recoveries = longestRecovery(row.Faults, resultTimes)
	if len(kills) > 0 {
		row.KillSteps = stepsAtKills(kills, obs.Output.Progress)
		for _, step := range events.Steps() {
			if row.KillSteps[step] == 0 {
				row.Notes = append(row.Notes, "no kill landed in the "+step+" step")
			}
		}
	}
	row.Work = r.work()
	r.unexpectedExits(row)
	if obs.Output.DeadLetters > 0 {
		row.Notes = append(row.Notes, fmt.Sprintf("%d message(s) dead-lettered", obs.Output.DeadLetters))
	}
	retried := 0
	for _, p := range pubs {
		if p.Attempts > 1 {
			retried++
		}
	}
	if retried > 0 {
		row.Notes = append(row.Notes, fmt.Sprintf("%d publish(es) failed and were retried with the same event id", retried))
	}
	if row.DuplicateInputs > 0 {
		row.Notes = append(row.Notes, fmt.Sprintf("%d termination(s) stored twice in %s (the service ran each once)", row.DuplicateInputs, InputStream))
	}
	return nil
}

// heal undoes whatever a scenario may have left broken: every consumer and
// NATS node running, the network restored, no DocSpace fault.
func (r *Run) heal(ctx context.Context) error {
	var errs []error
	if err := r.Sim.ClearFaults(ctx); err != nil {
		errs = append(errs, err)
	}
	if r.Proxy != nil {
		if err := r.Proxy.Restore(); err != nil {
			errs = append(errs, err)
		}
	}
	for i, n := range r.NATS.Nodes {
		if !n.proc.Running() && !r.Scenario.KeepDown {
			if err := r.NATS.Start(ctx, i); err != nil {
				errs = append(errs, err)
			}
		}
	}
	for _, c := range r.Consumers {
		if !c.Process().Running() && !r.Scenario.KeepDown {
			if err := c.Start(); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// pollResults reads the results on the output stream until ctx ends, each
// read starting after the last message the one before read.
func (r *Run) pollResults(ctx context.Context) {
	var last uint64 // stream sequence of the last message read
	for {
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		out, seq, err := readOutput(rctx, r.JS, false, last)
		cancel()
		if err == nil {
			last = seq
			r.mu.Lock()
			before := len(r.results)
			for _, res := range out.Results {
				k := termKey{res.Result.TerminationSource, res.Result.TerminationID}
				if _, seen := r.results[k]; !seen && r.keys[k] {
					r.results[k] = res.Time
				}
			}
			if len(r.results) != before {
				r.Log.Info("results", "done", len(r.results), "of", r.N)
				r.notify()
			}
			r.mu.Unlock()
		}
		if pause(ctx, 300*time.Millisecond) != nil {
			return
		}
	}
}

// observe reads everything the verification needs, from outside the service.
// NATS may still be electing leaders after a fault, so each read is retried
// for a while.
func (r *Run) observe(ctx context.Context, ts []Termination, pubs []Publication) (*Observation, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	o := &Observation{Company: r.Company, Terminations: ts, Publications: pubs}
	var err error
	if o.State, err = retry(ctx, r.Sim.State); err != nil {
		return nil, err
	}
	if o.Output, err = retry(ctx, func(ctx context.Context) (*Output, error) { return ReadOutput(ctx, r.JS, true) }); err != nil {
		return nil, err
	}
	if o.Input, err = retry(ctx, func(ctx context.Context) ([]InputMessage, error) { return ReadInput(ctx, r.JS) }); err != nil {
		return nil, err
	}
	if o.Backlog, err = retry(ctx, func(ctx context.Context) (Backlog, error) { return ReadBacklog(ctx, r.JS) }); err != nil {
		return nil, err
	}
	since := r.Company.Created.Add(-time.Minute)
	if o.ReassignJobs, err = retry(ctx, func(ctx context.Context) (map[string]int, error) {
		return CompletedReassigns(ctx, r.Sim.URL, r.Company.APIKey, since)
	}); err != nil {
		return nil, err
	}
	return o, nil
}

// retry calls f until it succeeds or ctx ends, and returns its last error then.
func retry[T any](ctx context.Context, f func(context.Context) (T, error)) (T, error) {
	for {
		actx, cancel := context.WithTimeout(ctx, 10*time.Second)
		v, err := f(actx)
		cancel()
		if err == nil {
			return v, nil
		}
		if pause(ctx, 500*time.Millisecond) != nil {
			return v, err
		}
	}
}

// unexpectedExits reports processes that ended without the harness asking.
func (r *Run) unexpectedExits(row *Row) {
	procs := []*Process{r.Sim.Process()}
	for _, n := range r.NATS.Nodes {
		procs = append(procs, n.proc)
	}
	for _, c := range r.Consumers {
		procs = append(procs, c.Process())
	}
	for _, p := range procs {
		for _, e := range p.Unexpected() {
			row.Problems = append(row.Problems, fmt.Sprintf("%s run %d exited on its own (code %d %s); see its log",
				p.Name(), e.Run, e.Code, e.Signal))
		}
	}
}

// work counts, from each consumer's logs, the attempts it started and the
// results it published.
func (r *Run) work() map[string]Work {
	out := map[string]Work{}
	for _, c := range r.Consumers {
		var w Work
		for _, path := range c.Process().Logs() {
			lines, err := ReadLog(path)
			if err != nil {
				continue
			}
			for _, l := range lines {
				switch l.Msg {
				case "offboarding started":
					w.Started++
				case "offboarding finished":
					w.Finished++
				}
			}
		}
		out[c.Name()] = w
	}
	return out
}

// longestRecovery is the longest time from the end of a fault to the first
// result stored after it, and how many faults it measured. A fault followed
// by another fault before any result is not measured: its recovery cannot
// be told apart from the next fault's.
func longestRecovery(faults []FaultEvent, results []time.Time) (time.Duration, int) {
	results = slices.Clone(results)
	slices.SortFunc(results, func(a, b time.Time) int { return a.Compare(b) })
	var longest time.Duration
	n := 0
	for _, f := range faults {
		i, _ := slices.BinarySearchFunc(results, f.End, func(t, end time.Time) int {
			if t.After(end) {
				return 1
			}
			return -1
		})
		if i == len(results) {
			continue
		}
		next := results[i]
		if slices.ContainsFunc(faults, func(g FaultEvent) bool { return g.Start.After(f.End) && g.Start.Before(next) }) {
			continue
		}
		n++
		longest = max(longest, next.Sub(f.End))
	}
	return longest, n
}

// betweenSteps names kills that found no step running: claiming the
// termination, the preflight, or publishing the result.
const betweenSteps = "between steps"

// stepsAtKills counts, per step, the kills that found it running: for each
// kill, the steps whose latest progress event in that run of the consumer
// said "running".
func stepsAtKills(kills []killMark, progress []ProgressEvent) map[string]int {
	out := map[string]int{}
	for _, k := range kills {
		latest := map[termKey]ProgressEvent{}
		for _, p := range progress {
			if p.Progress.Time.Before(k.started) || p.Progress.Time.After(k.killed) {
				continue
			}
			key := termKey{p.Progress.TerminationSource, p.Progress.TerminationID}
			if cur, ok := latest[key]; !ok || !p.Progress.Time.Before(cur.Progress.Time) {
				latest[key] = p
			}
		}
		steps := map[string]bool{}
		for _, p := range latest {
			if p.Progress.Status == events.StepRunning {
				steps[p.Progress.Step] = true
			}
		}
		if len(steps) == 0 {
			out[betweenSteps]++
		}
		for s := range steps {
			out[s]++
		}
	}
	return out
}
