package consumer_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/docspace-offboarding/docspace-offboarding/internal/consumer"
	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/internal/offboarding"
)

func janeData() events.TerminationData {
	return events.TerminationData{UserID: janeID, EmployeeID: "E-1010", WorkspaceFolderID: 1001}
}

// TestRepeatedTerminationRunsOnce publishes the same termination three times
// without a Nats-Msg-Id (so the stream keeps all three): one offboarding, one
// result, no repeated DocSpace write.
func TestRepeatedTerminationRunsOnce(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	for range 3 {
		msg, err := e.enc.Termination(events.Meta{ID: "dup-1", Source: "/hris/test"}, janeData(), events.Structured)
		if err != nil {
			t.Fatal(err)
		}
		msg.Header.Del(nats.MsgIdHdr)
		msg.Subject = e.topo.InputSubject
		if _, err := e.js.PublishMsg(t.Context(), msg); err != nil {
			t.Fatal(err)
		}
	}
	res := e.waitResults(20*time.Second, "dup-1")["dup-1"][0]
	if res.Status != events.StatusCompleted {
		t.Fatalf("status = %s %+v", res.Status, res.Error)
	}
	waitFor(t, 10*time.Second, func() error {
		if n := e.consumerInfo().NumAckPending; n != 0 {
			return fmt.Errorf("%d messages still pending", n)
		}
		return nil
	})
	if n := len(e.results()["dup-1"]); n != 1 {
		t.Errorf("%d results stored, want 1 (the repeats re-publish the same id within the duplicate window)", n)
	}
	for op, want := range map[string]int{"updateUserStatus": 1, "startReassign": 1, "createRoom": 1, "moveBatchItems": 2, "setRoomSecurity": 1, "insertFile": 1, "createAuditTrailReport": 1} {
		if got := e.sim.MutationCount(op); got != want {
			t.Errorf("%s called %d times, want %d", op, got, want)
		}
	}
}

// TestMalformedEventsNeverBlock sends every kind of bad input, then a good
// one: each bad one ends in offboarding.failed or the dead letter, and the
// good one completes.
func TestMalformedEventsNeverBlock(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	subj := e.topo.InputSubject
	structured := nats.Header{"Content-Type": []string{"application/cloudevents+json"}}
	e.publishRaw(subj, structured, []byte(`{not json`))
	e.publishRaw(subj, structured, []byte(`{"specversion":"1.0","source":"/hris/test","type":"employee.terminated","data":{"userId":"`+janeID+`"}}`))
	e.publishRaw(subj, structured, []byte(`{"specversion":"1.0","id":"bad-type","source":"/hris/test","type":"employee.hired","data":{"userId":"`+janeID+`"}}`))
	e.publishRaw(subj, structured, []byte(`{"specversion":"1.0","id":"bad-schema","source":"/hris/test","type":"employee.terminated","data":{"userId":"not-a-guid","workspaceFolderId":"twelve"}}`))
	e.publish("unknown-user", events.TerminationData{UserID: "c0000000-0000-4000-8000-00000000dead"}, events.Binary)
	e.publish("unknown-folder", events.TerminationData{UserID: johnID, WorkspaceFolderID: 424242}, events.Structured)
	e.publish("good", janeData(), events.Binary)

	got := e.waitResults(30*time.Second, "bad-type", "bad-schema", "unknown-user", "unknown-folder", "good")
	wantCodes := map[string]string{
		"bad-type": offboarding.CodeInvalidEvent, "bad-schema": offboarding.CodeInvalidEvent,
		"unknown-user": offboarding.CodeUserNotFound, "unknown-folder": offboarding.CodeFolderNotFound,
	}
	for id, code := range wantCodes {
		r := got[id][0]
		if r.Status != events.StatusFailed || r.Error == nil || r.Error.Code != code || r.Error.Retryable {
			t.Errorf("%s: %s %+v, want failed %s", id, r.Status, r.Error, code)
		}
	}
	if r := got["good"][0]; r.Status != events.StatusCompleted {
		t.Errorf("good: %s %+v, want completed", r.Status, r.Error)
	}
	var dl []string
	waitFor(t, 10*time.Second, func() error {
		dl = dl[:0]
		for _, m := range e.outputs(events.SubjectDeadLetter) {
			dl = append(dl, m.Header.Get(consumer.HeaderReason))
		}
		if len(dl) != 2 {
			return fmt.Errorf("dead letters = %q, want the two events without an id", dl)
		}
		return nil
	})
	if n := e.sim.MutationCount("updateUserStatus"); n != 1 {
		t.Errorf("updateUserStatus called %d times: only the good event may change DocSpace", n)
	}
}

// TestOutageDelaysButDoesNotFail takes DocSpace down for a while: the
// offboarding waits, retries, and completes.
func TestOutageDelaysButDoesNotFail(t *testing.T) {
	t.Parallel()
	e := startEnv(t, func(c *envConfig) {
		c.policy = consumer.Policy{MaxAttempts: 50, BaseDelay: 100 * time.Millisecond, MaxDelay: 300 * time.Millisecond}
	})
	remove := e.sim.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultError, Status: 503})
	e.publish("outage", janeData(), events.Structured)
	waitFor(t, 10*time.Second, func() error {
		if len(e.sim.Calls()) < 10 {
			return errors.New("not retrying yet")
		}
		return nil
	})
	if got := e.results()["outage"]; len(got) != 0 {
		t.Fatalf("result during the outage: %+v", got[0])
	}
	remove()
	res := e.waitResults(30*time.Second, "outage")["outage"][0]
	if res.Status != events.StatusCompleted {
		t.Fatalf("status = %s %+v", res.Status, res.Error)
	}
}

// TestRetryBudget fails for good after MaxAttempts: offboarding.failed with
// retryable=true, and the message in the dead letter.
func TestRetryBudget(t *testing.T) {
	t.Parallel()
	e := startEnv(t, func(c *envConfig) {
		c.policy = consumer.Policy{MaxAttempts: 3, BaseDelay: 20 * time.Millisecond, MaxDelay: 50 * time.Millisecond}
	})
	e.sim.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultError, Operation: "createRoom", Status: 500})
	e.publish("doomed", janeData(), events.Structured)
	res := e.waitResults(30*time.Second, "doomed")["doomed"][0]
	if res.Status != events.StatusFailed || res.Error == nil || !res.Error.Retryable || res.Error.Step != events.StepArchive {
		t.Fatalf("result = %s %+v, want failed, retryable, in archive", res.Status, res.Error)
	}
	waitFor(t, 10*time.Second, func() error {
		dl := e.outputs(events.SubjectDeadLetter)
		if len(dl) != 1 || !strings.Contains(dl[0].Header.Get(consumer.HeaderReason), "retry budget") {
			return fmt.Errorf("dead letters = %d", len(dl))
		}
		return nil
	})
	if n := e.sim.MutationCount("updateUserStatus"); n != 1 {
		t.Errorf("updateUserStatus called %d times across attempts, want 1", n)
	}
}

// TestCancellationSubject stops a termination through the cancel subject.
func TestCancellationSubject(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	cmsg, err := e.enc.Cancellation(events.Meta{ID: "cancel-1", Source: "/hris/test"}, events.CancellationData{TerminationID: "to-cancel", Reason: "rehired"}, events.Binary)
	if err != nil {
		t.Fatal(err)
	}
	cmsg.Subject = e.topo.CancelSubject
	if _, err := e.js.PublishMsg(t.Context(), cmsg); err != nil {
		t.Fatal(err)
	}
	// The cancellation arrives first; wait until it is recorded.
	waitFor(t, 10*time.Second, func() error {
		c, err := e.store.Cancellation(t.Context(), "/hris/test", "to-cancel")
		if err != nil || c == nil {
			return fmt.Errorf("not recorded: %v", err)
		}
		return nil
	})
	e.publish("to-cancel", janeData(), events.Structured)
	res := e.waitResults(20*time.Second, "to-cancel")["to-cancel"][0]
	if res.Status != events.StatusCancelled || !strings.Contains(res.Error.Message, "rehired") {
		t.Fatalf("result = %s %+v, want cancelled", res.Status, res.Error)
	}
	if n := len(e.sim.MutatingCalls()); n != 0 {
		t.Errorf("a cancelled termination wrote to DocSpace: %v", e.sim.MutatingCalls())
	}
}

// TestEffectiveAtSchedules holds a termination until its effectiveAt, and
// cancels another while it waits.
func TestEffectiveAtSchedules(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	due := time.Now().Add(3 * time.Second).UTC().Truncate(time.Second).Add(time.Second)
	d := janeData()
	d.EffectiveAt = &due
	e.publish("later", d, events.Structured)
	other := events.TerminationData{UserID: johnID, EffectiveAt: &due}
	e.publish("later-cancelled", other, events.Structured)

	waitFor(t, 10*time.Second, func() error {
		rec, err := e.store.Get(t.Context(), "/hris/test", "later-cancelled")
		if err != nil || rec == nil || rec.Scheduled.IsZero() {
			return fmt.Errorf("not scheduled yet: %v", err)
		}
		return nil
	})
	if n := len(e.sim.MutatingCalls()); n != 0 {
		t.Fatalf("DocSpace changed before effectiveAt: %v", e.sim.MutatingCalls())
	}
	cmsg, err := e.enc.Cancellation(events.Meta{ID: "c-later", Source: "/hris/test"}, events.CancellationData{TerminationID: "later-cancelled"}, events.Structured)
	if err != nil {
		t.Fatal(err)
	}
	cmsg.Subject = e.topo.CancelSubject
	if _, err := e.js.PublishMsg(t.Context(), cmsg); err != nil {
		t.Fatal(err)
	}
	got := e.waitResults(10*time.Second, "later-cancelled")
	if r := got["later-cancelled"][0]; r.Status != events.StatusCancelled {
		t.Errorf("scheduled-then-cancelled = %s", r.Status)
	}
	got = e.waitResults(20*time.Second, "later")
	r := got["later"][0]
	if r.Status != events.StatusCompleted {
		t.Fatalf("scheduled termination = %s %+v", r.Status, r.Error)
	}
	if r.Steps[0].StartedAt.Before(due) {
		t.Errorf("disable started at %s, before effectiveAt %s", r.Steps[0].StartedAt, due)
	}
	// The cancelled one's scheduled copy fired nothing.
	if u, _ := e.sim.User(johnID); u.Status != docspacetest.StatusActive {
		t.Errorf("John is %v; his termination was cancelled while scheduled", u.Status)
	}
	if n := len(e.results()["later-cancelled"]); n != 1 {
		t.Errorf("%d results for the cancelled one, want 1", n)
	}
}

// TestLongJobIsNotRedelivered runs a reassign job far longer than AckWait: the
// heartbeat keeps JetStream from redelivering it.
func TestLongJobIsNotRedelivered(t *testing.T) {
	t.Parallel()
	e := startEnv(t, func(c *envConfig) {
		c.topo = func(t *consumer.Topology) { t.AckWait = time.Second }
		c.sim.ReassignDuration = 4 * time.Second
		c.leaseTTL = 1500 * time.Millisecond
	})
	e.publish("long", janeData(), events.Structured)
	res := e.waitResults(30*time.Second, "long")["long"][0]
	if res.Status != events.StatusCompleted {
		t.Fatalf("status = %s %+v", res.Status, res.Error)
	}
	if n := e.consumerInfo().NumRedelivered; n != 0 {
		t.Errorf("%d redeliveries during a long job, want 0", n)
	}
	if n := e.sim.MutationCount("startReassign"); n != 1 {
		t.Errorf("startReassign called %d times, want 1", n)
	}
	for _, s := range res.Steps {
		if s.Attempts != 1 {
			t.Errorf("step %s took %d attempts, want 1", s.Name, s.Attempts)
		}
	}
}

// TestShutdownHandsBackAndResumes stops the worker while it waits for a long
// reassign job; a new worker resumes from the checkpoints, adopts the running
// job, and finishes without repeating the writes already done.
func TestShutdownHandsBackAndResumes(t *testing.T) {
	t.Parallel()
	e := startEnv(t, func(c *envConfig) {
		c.shutdown = 300 * time.Millisecond
		c.sim.ReassignDuration = 3 * time.Second
	})
	e.publish("interrupted", janeData(), events.Structured)
	waitFor(t, 10*time.Second, func() error {
		if _, ok := e.sim.ReassignJob(janeID); !ok {
			return errors.New("reassign not started")
		}
		return nil
	})
	e.stop()
	rec, err := e.store.Get(t.Context(), "/hris/test", "interrupted")
	if err != nil || rec == nil || rec.State.Produced.ReassignJobID == "" || rec.Lease != nil || rec.State.Finished() {
		t.Fatalf("after shutdown: record %+v, err %v; want the job checkpointed, the lease released, no result", rec, err)
	}
	e.startWorkers()
	res := e.waitResults(30*time.Second, "interrupted")["interrupted"][0]
	if res.Status != events.StatusCompleted {
		t.Fatalf("status after resume = %s %+v", res.Status, res.Error)
	}
	for _, op := range []string{"updateUserStatus", "startReassign"} {
		if n := e.sim.MutationCount(op); n != 1 {
			t.Errorf("%s called %d times, want 1", op, n)
		}
	}
}

// TestPublishingAgainRetriesAnExhaustedTermination: a termination that spent
// its retry budget is retried, from its checkpoints, when published again.
func TestPublishingAgainRetriesAnExhaustedTermination(t *testing.T) {
	t.Parallel()
	e := startEnv(t, func(c *envConfig) {
		c.policy = consumer.Policy{MaxAttempts: 2, BaseDelay: 20 * time.Millisecond, MaxDelay: 50 * time.Millisecond}
	})
	remove := e.sim.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultError, Operation: "createRoom", Status: 500})
	e.publish("again", janeData(), events.Structured)
	first := e.waitResults(20*time.Second, "again")["again"][0]
	if first.Status != events.StatusFailed || !first.Error.Retryable {
		t.Fatalf("first result = %s %+v, want failed and retryable", first.Status, first.Error)
	}
	remove()
	// Well inside the output stream's duplicate window: the new round's result
	// must not be dropped as a duplicate of the failed one. (The input is sent
	// without Nats-Msg-Id, as an HR system that sets none would.)
	msg, err := e.enc.Termination(events.Meta{ID: "again", Source: "/hris/test"}, janeData(), events.Binary)
	if err != nil {
		t.Fatal(err)
	}
	msg.Subject = e.topo.InputSubject
	msg.Header.Del(nats.MsgIdHdr)
	if _, err := e.js.PublishMsg(t.Context(), msg); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, func() error {
		rs := e.results()["again"]
		for _, r := range rs {
			if r.Status == events.StatusCompleted {
				return nil
			}
		}
		return fmt.Errorf("%d results, none completed", len(rs))
	})
	if n := e.sim.MutationCount("updateUserStatus"); n != 1 {
		t.Errorf("updateUserStatus called %d times; the retry must resume, not restart", n)
	}
}
