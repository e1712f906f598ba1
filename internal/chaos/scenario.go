package chaos

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// Scenario is one kind of fault, run on a fresh company, DocSpace and NATS.
type Scenario struct {
	Name string
	// Fault describes the fault for the report.
	Fault string
	// Nodes is 1 (a single nats-server) or 3 (a cluster with R3 streams and
	// bucket); default 1.
	Nodes int
	// Consumers is how many consumer processes share the durable consumer;
	// default 1.
	Consumers int
	// Proxy puts a cuttable TCP proxy between the consumers and NATS
	// (single node only).
	Proxy bool
	// Env adds consumer variables (see DefaultConsumerEnv).
	Env map[string]string
	// PublishGap spaces the publishes of the terminations.
	PublishGap time.Duration
	// PublishOver, when set, spreads the publishes evenly over this long
	// instead.
	PublishOver time.Duration
	// KeepDown leaves the consumers and NATS nodes the scenario killed down
	// when the harness heals after the faults.
	KeepDown bool
	// Before prepares faults before anything is published.
	Before func(ctx context.Context, r *Run) error
	// Chaos causes the faults while the terminations are published and
	// carried out, recording each with Run.Fault. It returns once its faults
	// are over; the harness then heals whatever is left broken and waits for
	// the results.
	Chaos func(ctx context.Context, r *Run) error
}

// MinConsumerKills is how many times consumer-kill kills the consumer.
const MinConsumerKills = 50

// Scenarios lists the suite, in the order it runs.
func Scenarios() []Scenario {
	return []Scenario{
		{
			Name: "consumer-kill",
			Fault: fmt.Sprintf("kill -9 of the consumer %d times, restarted each time: half at a random moment 0.1-2 s into a run, "+
				"half a random 0-40 ms after a chosen step started (each step in turn)", MinConsumerKills),
			PublishOver: time.Minute,
			Chaos:       consumerKill,
		},
		{
			Name:  "nats-restart",
			Fault: "the NATS server stopped (SIGTERM) and restarted, then killed (kill -9) and restarted",
			Chaos: natsRestart,
		},
		{
			Name:  "cluster-node",
			Fault: "3-node cluster, R3: kill -9 of the consumer's node and restart; later SIGTERM and restart of another",
			Nodes: 3,
			Chaos: clusterNode,
		},
		{
			Name:   "docspace-5xx",
			Fault:  "20 % of DocSpace calls answer 500 or 502",
			Before: addFaults(docspacetest.AdminFault{Kind: "error", Status: 500, Rate: 0.1}, docspacetest.AdminFault{Kind: "error", Status: 502, Rate: 0.11}),
			Chaos:  removeFaultsAt("20 % 5xx", 3, 4),
		},
		{
			Name:  "docspace-429",
			Fault: "bursts of 429 with Retry-After: every DocSpace call refused for 1.5 s, every 2-5 s",
			Chaos: rateLimitBursts,
		},
		{
			Name:   "docspace-latency",
			Fault:  "10 % of DocSpace calls delayed 0.2-3 s, beyond the client's 2 s timeout a third of the time",
			Env:    map[string]string{"DOCSPACE_TIMEOUT": "2s"},
			Before: addFaults(docspacetest.AdminFault{Kind: "latency", Rate: 0.1, Delay: "200ms", Jitter: "2800ms"}),
			Chaos:  removeFaultsAt("latency", 3, 4),
		},
		{
			Name:  "docspace-resets",
			Fault: "connections reset: 5 % of calls before DocSpace acts, 30 % of POSTs and 15 % of PUTs after it acted (ambiguous writes)",
			Before: addFaults(
				docspacetest.AdminFault{Kind: "reset", Rate: 0.05},
				docspacetest.AdminFault{Kind: "reset", Method: "POST", AfterEffect: true, Rate: 0.3},
				docspacetest.AdminFault{Kind: "reset", Method: "PUT", AfterEffect: true, Rate: 0.15},
			),
			Chaos: removeFaultsAt("resets", 3, 4),
		},
		{
			Name:   "reassign-hang",
			Fault:  "the first reassign job of every tenth employee never finishes; OFFBOARDING_JOB_TIMEOUT=8s",
			Env:    map[string]string{"OFFBOARDING_JOB_TIMEOUT": "8s"},
			Before: hangReassigns,
			Chaos:  watchTerminatedJobs,
		},
		{
			Name:  "network-cut",
			Fault: "the consumer's connection to NATS cut for 5 s (connections closed, new ones closed at once), twice",
			Proxy: true,
			Chaos: networkCut,
		},
		{
			Name:       "nats-kill-publish",
			Fault:      "kill -9 of the NATS server while terminations are being published, then restart",
			PublishGap: 150 * time.Millisecond,
			Chaos:      natsKillWhilePublishing,
		},
	}
}

// ScaleOut is the scale-out scenario: a three-node cluster, three consumer
// processes sharing the durable consumer; mid-run one consumer is killed
// (and stays down) and the NATS node most consumers use is killed (and
// stays down too).
func ScaleOut() Scenario {
	return Scenario{
		Name:      "scale-out",
		Fault:     "3 consumers on a 3-node cluster: kill -9 of one consumer and of the busiest NATS node, both left down",
		Nodes:     3,
		Consumers: 3,
		KeepDown:  true,
		Chaos:     scaleOut,
	}
}

// Select returns the scenarios named in names (comma separated); empty
// names selects every scenario of the suite.
func Select(names string) ([]Scenario, error) {
	all := Scenarios()
	if strings.TrimSpace(names) == "" {
		return all, nil
	}
	known := map[string]Scenario{}
	for _, s := range append(all, ScaleOut()) {
		known[s.Name] = s
	}
	var out []Scenario
	for _, n := range strings.Split(names, ",") {
		n = strings.TrimSpace(n)
		s, ok := known[n]
		if !ok {
			return nil, fmt.Errorf("unknown scenario %q", n)
		}
		out = append(out, s)
	}
	return out, nil
}

// consumerKill kills the consumer with SIGKILL MinConsumerKills times and
// starts it again at once. Every other kill comes at a random moment 0.1 to
// 2 s into a run of the consumer; the others come a random 0 to 40 ms (0 to
// 2 ms for the short steps, disable and access) after a step started, as its
// progress event tells, taking the steps in turn, so that kills land in
// every step.
func consumerKill(ctx context.Context, r *Run) error {
	steps := make(chan *events.Progress, 256)
	sub, err := r.NC.Subscribe(events.SubjectProgress, func(m *nats.Msg) {
		_, p, err := events.DecodeProgress(m.Header, m.Data)
		if err != nil || p.Status != events.StepRunning {
			return
		}
		select {
		case steps <- p:
		default:
		}
	})
	if err != nil {
		return fmt.Errorf("follow progress: %w", err)
	}
	defer func() { _ = sub.Unsubscribe() }()

	targets := events.Steps()
	c := r.Consumers[0]
	for k := range MinConsumerKills {
		started := c.Process().StartedAt()
		if k%2 == 0 {
			delay := time.Duration(100+r.RNG.IntN(1900)) * time.Millisecond
			if err := pause(ctx, time.Until(started.Add(delay))); err != nil {
				return err
			}
		} else {
			step := targets[(k/2)%len(targets)]
			// Disabling the account and setting the room's access take a few
			// milliseconds; the other steps wait for DocSpace's jobs.
			jitter := 40
			if step == events.StepDisable || step == events.StepAccess {
				jitter = 2
			}
			if err := awaitStep(ctx, steps, step, started, r.RNG.IntN(jitter+1)); err != nil {
				return err
			}
		}
		killed := time.Now()
		if err := c.Kill(); err != nil {
			return err
		}
		r.kill(started, killed)
		if err := c.Start(); err != nil {
			return err
		}
		r.Fault("kill -9", killed, time.Now())
	}
	return nil
}

// awaitStep waits until step starts in the consumer run that started at
// since, then jitterMS milliseconds more. When the step does not start
// within 3 s (nothing left for it to do), it returns, and the kill lands
// wherever the run is.
func awaitStep(ctx context.Context, steps <-chan *events.Progress, step string, since time.Time, jitterMS int) error {
	deadline := time.NewTimer(3 * time.Second)
	defer deadline.Stop()
	for {
		select {
		case p := <-steps:
			if p.Step != step || p.Time.Before(since) {
				continue
			}
			return pause(ctx, time.Duration(jitterMS)*time.Millisecond)
		case <-deadline.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// natsRestart stops the server cleanly once a quarter of the results are in,
// and kills it once 60 % are, restarting it after two seconds each time.
func natsRestart(ctx context.Context, r *Run) error {
	for _, step := range []struct {
		at   int
		kind string
		stop func() error
	}{
		{r.N / 4, "SIGTERM + restart", func() error { return r.NATS.Stop(ctx, 0) }},
		{r.N * 6 / 10, "kill -9 + restart", func() error { return r.NATS.Kill(0) }},
	} {
		if err := r.WaitResults(ctx, step.at); err != nil {
			return err
		}
		if err := outage(ctx, r, step.kind, 0, step.stop); err != nil {
			return err
		}
	}
	return nil
}

// outage stops NATS node i with stop, waits two seconds, starts it again and
// records the fault until it is healthy.
func outage(ctx context.Context, r *Run, kind string, i int, stop func() error) error {
	start := time.Now()
	if err := stop(); err != nil {
		return err
	}
	r.Log.Info("nats node down", "node", r.NATS.Nodes[i].Name, "fault", kind)
	if err := pause(ctx, 2*time.Second); err != nil {
		return err
	}
	if err := r.NATS.Start(ctx, i); err != nil {
		return err
	}
	r.Fault(kind, start, time.Now())
	return nil
}

// clusterNode kills the node the consumer is connected to, restarts it, and
// later stops and restarts another node.
func clusterNode(ctx context.Context, r *Run) error {
	if err := r.WaitResults(ctx, r.N/4); err != nil {
		return err
	}
	first := r.BusiestNode(ctx)
	if err := outage(ctx, r, "kill -9 of "+r.NATS.Nodes[first].Name+" + restart", first, func() error { return r.NATS.Kill(first) }); err != nil {
		return err
	}
	if err := r.WaitResults(ctx, r.N*6/10); err != nil {
		return err
	}
	second := (first + 1) % len(r.NATS.Nodes)
	return outage(ctx, r, "SIGTERM of "+r.NATS.Nodes[second].Name+" + restart", second, func() error { return r.NATS.Stop(ctx, second) })
}

// addFaults returns a Before that injects faults into the simulator.
func addFaults(faults ...docspacetest.AdminFault) func(context.Context, *Run) error {
	return func(ctx context.Context, r *Run) error {
		for _, f := range faults {
			if _, err := r.Sim.AddFault(ctx, f); err != nil {
				return err
			}
		}
		r.mu.Lock()
		r.faultStart = time.Now()
		r.mu.Unlock()
		return nil
	}
}

// removeFaultsAt returns a Chaos that removes every DocSpace fault once
// num/den of the results are in.
func removeFaultsAt(kind string, num, den int) func(context.Context, *Run) error {
	return func(ctx context.Context, r *Run) error {
		if err := r.WaitResults(ctx, r.N*num/den); err != nil {
			return err
		}
		if err := r.Sim.ClearFaults(ctx); err != nil {
			return err
		}
		r.mu.Lock()
		start := r.faultStart
		r.mu.Unlock()
		r.Fault(kind, start, time.Now())
		return nil
	}
}

// rateLimitBursts refuses every DocSpace call with 429 (Retry-After 1 s) for
// 1.5 s at a time, every 2 to 5 s, until three quarters of the results are in.
func rateLimitBursts(ctx context.Context, r *Run) error {
	for r.Results() < r.N*3/4 {
		if err := pause(ctx, time.Duration(2000+r.RNG.IntN(3000))*time.Millisecond); err != nil {
			return err
		}
		id, err := r.Sim.AddFault(ctx, docspacetest.AdminFault{Kind: "rate-limit", RetryAfter: "1s"})
		if err != nil {
			return err
		}
		start := time.Now()
		if err := pause(ctx, 1500*time.Millisecond); err != nil {
			return err
		}
		if err := r.Sim.RemoveFault(ctx, id); err != nil {
			return err
		}
		r.Fault("429 burst", start, time.Now())
	}
	return nil
}

// hangReassigns makes the first reassign job of every tenth employee hang
// at 30 %.
func hangReassigns(ctx context.Context, r *Run) error {
	for i, e := range r.Company.Employees {
		if i%10 != 3 {
			continue
		}
		if _, err := r.Sim.AddFault(ctx, docspacetest.AdminFault{Kind: "stuck-job", Operation: opStartReassign,
			UserID: e.ID, Times: 1, HoldAt: 30}); err != nil {
			return err
		}
	}
	r.mu.Lock()
	r.faultStart = time.Now()
	r.mu.Unlock()
	return nil
}

// watchTerminatedJobs records, as the end of a fault, each time the service
// terminates a reassign job (seen in the simulator's call counts), until
// every result is in.
func watchTerminatedJobs(ctx context.Context, r *Run) error {
	seen := 0
	for !r.Settled() {
		st, err := r.Sim.State(ctx)
		if err == nil {
			if n := st.Mutations[opTerminateReassign]; n > seen {
				r.mu.Lock()
				start := r.faultStart
				r.mu.Unlock()
				for range n - seen {
					r.Fault("hung reassign job terminated", start, time.Now())
				}
				seen = n
			}
		}
		if err := pause(ctx, 250*time.Millisecond); err != nil {
			return err
		}
	}
	return nil
}

// networkCut cuts the consumer off NATS for five seconds once a quarter of
// the results are in, and again at 60 %.
func networkCut(ctx context.Context, r *Run) error {
	for _, at := range []int{r.N / 4, r.N * 6 / 10} {
		if err := r.WaitResults(ctx, at); err != nil {
			return err
		}
		start := time.Now()
		r.Proxy.Cut()
		r.Log.Info("network cut")
		if err := pause(ctx, 5*time.Second); err != nil {
			return err
		}
		if err := r.Proxy.Restore(); err != nil {
			return err
		}
		r.Fault("network cut 5 s", start, time.Now())
	}
	return nil
}

// natsKillWhilePublishing kills the server once 40 % of the terminations
// were acknowledged, while the rest are being published, and restarts it
// two seconds later.
func natsKillWhilePublishing(ctx context.Context, r *Run) error {
	if err := r.WaitAcked(ctx, r.N*2/5); err != nil {
		return err
	}
	return outage(ctx, r, "kill -9 while publishing", 0, func() error {
		err := r.NATS.Kill(0)
		r.Note("NATS killed with %d of %d terminations acknowledged; the others were published through the outage", r.Acked(), r.N)
		return err
	})
}

// scaleOut kills one of three consumers once a quarter of the results are
// in, then the NATS node most consumers are connected to; neither comes back.
func scaleOut(ctx context.Context, r *Run) error {
	if err := r.WaitResults(ctx, r.N/4); err != nil {
		return err
	}
	victim := r.Consumers[r.RNG.IntN(len(r.Consumers))]
	start := time.Now()
	if err := victim.Kill(); err != nil {
		return err
	}
	r.Fault("kill -9 of "+victim.Name(), start, start)
	r.Note("%s killed with %d results in", victim.Name(), r.Results())
	if err := r.WaitResults(ctx, r.N/2); err != nil {
		return err
	}
	node := r.BusiestNode(ctx)
	start = time.Now()
	if err := r.NATS.Kill(node); err != nil {
		return err
	}
	r.Fault("kill -9 of "+r.NATS.Nodes[node].Name, start, start)
	r.Note("NATS node %s killed with %d results in", r.NATS.Nodes[node].Name, r.Results())
	return nil
}
