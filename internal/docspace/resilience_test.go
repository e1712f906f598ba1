package docspace_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace"
	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
)

// stormReads are the reads of the storm: each returns an error if the call failed or its answer is wrong.
func stormReads() []func(ctx context.Context, c *docspace.Client) error {
	return []func(ctx context.Context, c *docspace.Client) error{
		func(ctx context.Context, c *docspace.Client) error {
			u, err := c.User(ctx, janeID)
			if err == nil && u.ID != janeID {
				err = fmt.Errorf("User returned %s", u.ID)
			}
			return err
		},
		func(ctx context.Context, c *docspace.Client) error {
			f, err := c.Folder(ctx, janeWorkspace)
			if err == nil && f.ID != janeWorkspace {
				err = fmt.Errorf("Folder returned %d", f.ID)
			}
			return err
		},
		func(ctx context.Context, c *docspace.Client) error {
			r, err := c.Room(ctx, falconRoom)
			if err == nil && r.ID != falconRoom {
				err = fmt.Errorf("Room returned %d", r.ID)
			}
			return err
		},
		func(ctx context.Context, c *docspace.Client) error {
			groups, err := c.UserGroups(ctx, janeID)
			if err == nil && len(groups) != 2 {
				err = fmt.Errorf("UserGroups returned %d groups", len(groups))
			}
			return err
		},
		func(ctx context.Context, c *docspace.Client) error {
			need, err := c.ReassignNecessary(ctx, janeID, docspace.EmployeeTypeUser)
			if err == nil && !need {
				err = errors.New("ReassignNecessary returned false for the owner of a room")
			}
			return err
		},
	}
}

// TestReadsSurviveRateLimitStormAndServerErrors is the client's acceptance test: 2,000 reads from 32
// goroutines against a slow portal that answers one read in five with a 5xx (DocSpace's 500 JSON, a proxy's
// 502/503 HTML), throws bursts of 429 with Retry-After, and enforces a sliding window small enough that the
// client's own limiter has to hold requests back. In the first case the portal also allows fewer parallel
// reads than the client, so that its concurrency limiter rejects some (429 without headers); in the second
// the client is configured within the portal's limits and the portal must reject nothing. No error may
// reach the caller, and the simulator's statistics must show the client within its configured limits.
func TestReadsSurviveRateLimitStormAndServerErrors(t *testing.T) {
	t.Parallel()
	const (
		reads      = 2000
		workers    = 32
		burstEvery = 400 // a burst of 429s after every 400 completed reads
		burstSize  = 24
		window     = 500 * time.Millisecond
		perWindow  = 200
	)
	for _, tc := range []struct {
		name   string
		sim    docspacetest.RateLimits
		client docspace.Limits
		// overrun: the client is allowed more parallel reads than the portal, so that DocSpace's
		// concurrency limiter rejects some of them (another process using the same account).
		overrun bool
	}{
		{
			name:    "client above the portal's concurrency limit",
			sim:     docspacetest.RateLimits{Requests: perWindow, Window: window, ParallelReads: 6, ParallelWrites: 4},
			client:  docspace.Limits{Requests: perWindow, Window: window, ParallelReads: 8, ParallelWrites: 4},
			overrun: true,
		},
		{
			name:   "client within the portal's limits",
			sim:    docspacetest.RateLimits{Requests: perWindow, Window: window, ParallelReads: 20, ParallelWrites: 4},
			client: docspace.Limits{Requests: perWindow, Window: window, ParallelReads: 16, ParallelWrites: 4},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, withoutValidation(), withSim(func(o *docspacetest.Options) { o.RateLimits = tc.sim }), withClient(func(o *docspace.Options) {
				o.Limits = tc.client
				o.Timeout = 10 * time.Second
				o.Retry = docspace.RetryPolicy{MaxAttempts: 30, BaseDelay: 10 * time.Millisecond, MaxDelay: 200 * time.Millisecond,
					MaxRetryAfter: 5 * time.Second}
			}))
			// 20 % of reads fail: 10 % DocSpace 500, 5 % proxy 502, 5 % proxy 503 (the rates apply in turn).
			for _, f := range []docspacetest.Fault{
				{Kind: docspacetest.FaultError, Method: http.MethodGet, Status: 500, Rate: 0.10},
				{Kind: docspacetest.FaultError, Method: http.MethodGet, Status: 502, Rate: 0.05 / 0.90},
				{Kind: docspacetest.FaultError, Method: http.MethodGet, Status: 503, Rate: 0.05 / (0.90 * (1 - 0.05/0.90))},
			} {
				e.ts.Fault(t, f)
			}
			burst := docspacetest.Fault{Kind: docspacetest.FaultRateLimit, Method: http.MethodGet, Times: burstSize, RetryAfter: time.Second}
			e.ts.Fault(t, burst)
			// A slow portal (1-5 ms added per read) keeps a few requests in flight.
			e.ts.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultLatency, Method: http.MethodGet,
				Delay: time.Millisecond, Jitter: 4 * time.Millisecond})

			var (
				next, done atomic.Int64
				mu         sync.Mutex
				errs       []error
				wg         sync.WaitGroup
			)
			ctx := t.Context()
			funcs := stormReads()
			start := time.Now()
			for range workers {
				wg.Go(func() {
					for {
						i := next.Add(1) - 1
						if i >= reads {
							return
						}
						if err := funcs[i%int64(len(funcs))](ctx, e.c); err != nil {
							mu.Lock()
							errs = append(errs, err)
							mu.Unlock()
						}
						if n := done.Add(1); n%burstEvery == 0 && n < reads {
							if _, err := e.ts.InjectFault(burst); err != nil {
								mu.Lock()
								errs = append(errs, err)
								mu.Unlock()
							}
						}
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			e.settle()

			for i, err := range errs {
				if i == 5 {
					t.Errorf("... and %d more", len(errs)-5)
					break
				}
				t.Errorf("read failed: %v", err)
			}
			e.guard.note(errs)

			stats := e.ts.UserStats(serviceID)
			var serverErrors, injected429, limiter429, attempts int
			for _, c := range e.ts.Calls() {
				if c.UserID != serviceID {
					continue
				}
				attempts++
				switch {
				case c.RateLimited:
					limiter429++
				case c.Status == http.StatusTooManyRequests:
					injected429++
				case c.Status >= 500:
					serverErrors++
				}
			}
			t.Logf("%d reads by %d goroutines in %v: %d requests; absorbed %d 5xx, %d injected 429, %d limiter 429; "+
				"max in flight %d GET / %d other; max %d requests per %v (limit %d)",
				reads, workers, elapsed.Round(time.Millisecond), attempts, serverErrors, injected429, limiter429,
				stats.MaxInFlightReads, stats.MaxInFlightWrites, stats.MaxInWindow, window, perWindow)

			if attempts != stats.Requests || attempts < reads {
				t.Errorf("the simulator recorded %d calls and %d requests, want as many, at least %d", attempts, stats.Requests, reads)
			}
			if serverErrors < reads/10 || injected429 != 5*burstSize {
				t.Errorf("absorbed %d 5xx and %d injected 429, want at least %d and exactly %d: the storm did not happen",
					serverErrors, injected429, reads/10, 5*burstSize)
			}
			if stats.MaxInWindow > tc.client.Requests {
				t.Errorf("the portal saw %d requests within %v, over the limit of %d", stats.MaxInWindow, window, tc.client.Requests)
			}
			if stats.MaxInWindow < tc.client.Requests/2 || attempts <= 2*tc.client.Requests {
				t.Errorf("%d requests, at most %d within %v: the load never pressed the window of %d, so the client's limiter was not exercised",
					attempts, stats.MaxInWindow, window, tc.client.Requests)
			}
			if stats.MaxInFlightReads > tc.client.ParallelReads || stats.MaxInFlightWrites != 0 {
				t.Errorf("the portal saw %d reads and %d writes in flight, want at most %d and none",
					stats.MaxInFlightReads, stats.MaxInFlightWrites, tc.client.ParallelReads)
			}
			switch {
			case tc.overrun && limiter429 == 0:
				t.Error("the portal's concurrency limiter rejected nothing: the overrun did not happen")
			case !tc.overrun && (limiter429 != 0 || stats.MaxInFlightReads > tc.sim.ParallelReads):
				t.Errorf("the portal's limiter rejected %d requests and saw %d reads in flight (limit %d): the client broke its limits",
					limiter429, stats.MaxInFlightReads, tc.sim.ParallelReads)
			}
		})
	}
}

// TestWritesAreRetriedOnlyWhenSafe: a write DocSpace would apply twice is sent once when DocSpace answers 500,
// and the error returned; a write whose repeat is a no-op is retried; a 429 (refused before DocSpace ran
// anything) is retried for every method.
func TestWritesAreRetriedOnlyWhenSafe(t *testing.T) {
	t.Parallel()
	type write struct {
		op string
		// call makes the write and checks its effect when it succeeded.
		call func(t *testing.T, e *env) error
		// unchanged checks that a failed write had no effect.
		unchanged func(t *testing.T, e *env)
	}
	move := write{op: "moveBatchItems",
		call: func(t *testing.T, e *env) error {
			op, err := e.c.Move(t.Context(), docspace.MoveRequest{FolderIDs: []int{janeWorkspace}, DestFolderID: archiveRoom})
			if err != nil {
				return err
			}
			_, err = e.c.WaitOperation(t.Context(), op.ID, e.fastPoll(0))
			e.ok(err)
			if got := e.entry(janeWorkspace).ParentID; got != archiveRoom {
				t.Errorf("folder %d is in %d, want %d", janeWorkspace, got, archiveRoom)
			}
			return nil
		},
		unchanged: func(t *testing.T, e *env) {
			if ops := e.ts.FileOperations(); len(ops) != 0 {
				t.Errorf("operations were queued: %+v", ops)
			}
		},
	}
	createRoom := write{op: "createRoom",
		call: func(t *testing.T, e *env) error {
			r, err := e.c.CreateRoom(t.Context(), docspace.CreateRoom{Title: "Offboarding 2026", RoomType: docspace.RoomTypeCustom})
			if err == nil && e.entry(r.ID).Title != "Offboarding 2026" {
				t.Errorf("room %d is not in the simulator", r.ID)
			}
			return err
		},
		unchanged: func(t *testing.T, e *env) {
			if rooms := e.ts.FindEntries(func(en docspacetest.Entry) bool { return en.Title == "Offboarding 2026" }); len(rooms) != 0 {
				t.Errorf("rooms were created: %v", rooms)
			}
		},
	}
	upload := write{op: "insertFile",
		call: func(t *testing.T, e *env) error {
			f, err := e.c.Upload(t.Context(), janeWorkspace, "report.csv", []byte("a,b\n"), false)
			if err == nil && e.entry(f.ID).Version() != 1 {
				t.Errorf("file %d has version %d, want 1", f.ID, e.entry(f.ID).Version())
			}
			return err
		},
		unchanged: func(t *testing.T, e *env) {
			if files := e.ts.FindEntries(func(en docspacetest.Entry) bool { return en.Title == "report.csv" }); len(files) != 0 {
				t.Errorf("files were stored: %v", files)
			}
		},
	}
	createFolder := write{op: "createFolder",
		call: func(t *testing.T, e *env) error {
			_, err := e.c.CreateFolder(t.Context(), janeWorkspace, "Handover")
			return err
		},
		unchanged: func(t *testing.T, e *env) {
			if fs := e.ts.FindEntries(func(en docspacetest.Entry) bool { return en.Title == "Handover" }); len(fs) != 0 {
				t.Errorf("folders were created: %v", fs)
			}
		},
	}
	startReassign := write{op: "startReassign",
		call: func(t *testing.T, e *env) error {
			e.terminate(janeID)
			_, err := e.c.StartReassign(t.Context(), janeID, keeperID, false)
			return err
		},
		unchanged: func(t *testing.T, e *env) {
			if j, ok := e.ts.ReassignJob(janeID); ok {
				t.Errorf("a job was started: %+v", j)
			}
		},
	}
	auditReport := write{op: "createAuditTrailReport",
		call: func(t *testing.T, e *env) error {
			_, err := e.c.CreateAuditReport(t.Context())
			return err
		},
		unchanged: func(t *testing.T, e *env) {
			if fs := e.ts.FindEntries(func(en docspacetest.Entry) bool { return strings.HasPrefix(en.Title, "Audit Trail Report") }); len(fs) != 0 {
				t.Errorf("reports were written: %v", fs)
			}
		},
	}
	setStatus := write{op: "updateUserStatus", call: func(t *testing.T, e *env) error {
		users, err := e.c.SetUserStatus(t.Context(), docspace.UserStatusTerminated, janeID)
		if err == nil && (len(users) != 1 || e.user(janeID).Status != docspacetest.StatusTerminated) {
			t.Errorf("got %v; Jane is %v, want Terminated", users, e.user(janeID).Status)
		}
		return err
	}}
	shareRoom := write{op: "setRoomSecurity", call: func(t *testing.T, e *env) error {
		_, err := e.c.ShareRoom(t.Context(), archiveRoom, []docspace.Invitation{{ID: hannahID, Access: docspace.FileShareRead}}, false)
		if err == nil && !containsMember(e.ts.RoomMembers(archiveRoom), hannahID) {
			t.Error("Hannah is not a member of the archive room")
		}
		return err
	}}
	logout := write{op: "logOutAllActiveConnectionsForUser", call: func(t *testing.T, e *env) error {
		docspacetest.Must(e.ts.AddLoginEvent(docspacetest.LoginEventSpec{UserID: janeID}))(t)
		err := e.c.LogoutAllSessions(t.Context(), janeID)
		for _, l := range e.ts.LoginEvents(janeID) {
			if err == nil && l.Active {
				t.Errorf("login %d of Jane is still active", l.ID)
			}
		}
		return err
	}}
	removeMembers := write{op: "removeMembersFrom", call: func(t *testing.T, e *env) error {
		_, err := e.c.RemoveGroupMembers(t.Context(), engGroupID, janeID)
		if g, _ := e.ts.Group(engGroupID); err == nil && slices.Contains(g.Members, janeID) {
			t.Error("Jane is still in Engineering")
		}
		return err
	}}
	shareFolder := write{op: "setFolderSecurityInfo", call: func(t *testing.T, e *env) error {
		_, err := e.clientFor(janeID).ShareFolder(t.Context(), janePrivate, []docspace.ShareEntry{{ShareTo: mariaID, Access: docspace.FileShareRead}})
		if sh := e.ts.Shares(janePrivate); err == nil && (len(sh) != 1 || sh[0].SubjectID != mariaID) {
			t.Errorf("folder %d is shared with %+v, want Maria", janePrivate, sh)
		}
		return err
	}}
	archive := write{op: "archiveRoom", call: func(t *testing.T, e *env) error {
		op, err := e.c.ArchiveRoom(t.Context(), falconRoom)
		if err != nil {
			return err
		}
		_, err = e.c.WaitOperation(t.Context(), op.ID, e.fastPoll(0))
		e.ok(err)
		if got := e.entry(falconRoom).ParentID; got != e.ts.ArchiveFolderID() {
			t.Errorf("room %d is in %d, want the Archive", falconRoom, got)
		}
		return nil
	}}

	t.Run("a 500 on a write that is not idempotent is returned after one attempt", func(t *testing.T) {
		t.Parallel()
		for _, w := range []write{move, createRoom, upload, createFolder, startReassign, auditReport} {
			t.Run(w.op, func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				e.ts.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultError, Operation: w.op, Times: 1})
				err := w.call(t, e)
				e.fails(err, docspace.ErrServer)
				if !docspace.IsRetryable(err) {
					t.Errorf("IsRetryable(%v) = false: the caller may try again after reading the state back", err)
				}
				w.unchanged(t, e)
				e.wantSent(w.op, 1)
			})
		}
	})
	t.Run("a transient 500 on an idempotent write is retried", func(t *testing.T) {
		t.Parallel()
		for _, w := range []write{setStatus, shareRoom, logout, removeMembers, shareFolder, archive} {
			t.Run(w.op, func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				e.ts.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultError, Operation: w.op, Times: 1})
				e.ok(w.call(t, e))
				e.wantSent(w.op, 2)
			})
		}
	})
	t.Run("a 429 is retried for any method", func(t *testing.T) {
		t.Parallel()
		for _, w := range []write{move, createRoom, upload, createFolder, startReassign, auditReport, setStatus, shareRoom} {
			t.Run(w.op, func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				e.ts.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultRateLimit, Operation: w.op, Times: 1, RetryAfter: time.Second})
				e.ok(w.call(t, e))
				e.wantSent(w.op, 2)
			})
		}
	})
}

func containsMember(ms []docspacetest.Member, id string) bool {
	for _, m := range ms {
		if m.SubjectID == id {
			return true
		}
	}
	return false
}

// TestConnectionResets: a reset read is retried; a reset non-idempotent write is an ambiguous outcome that
// the client returns (ErrNetwork) without repeating, even though DocSpace applied it; a reset idempotent
// write is repeated.
func TestConnectionResets(t *testing.T) {
	t.Parallel()
	t.Run("read", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.ts.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultReset, Operation: "getProfileByUserId", Times: 2})
		u, err := e.c.User(t.Context(), janeID)
		e.ok(err, u)
		e.wantSent("getProfileByUserId", 3)
	})
	t.Run("write applied, then reset", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.ts.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultReset, Operation: "createFolder", Times: 1, AfterEffect: true})
		_, err := e.c.CreateFolder(t.Context(), janeWorkspace, "Handover")
		e.fails(err, docspace.ErrNetwork)
		if !docspace.IsRetryable(err) {
			t.Errorf("IsRetryable(%v) = false", err)
		}
		if fs := e.ts.FindEntries(func(en docspacetest.Entry) bool { return en.Title == "Handover" }); len(fs) != 1 {
			t.Errorf("got %d folders titled Handover, want the one DocSpace created", len(fs))
		}
		e.wantHandled("createFolder", 1)
	})
	t.Run("idempotent write applied, then reset", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.ts.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultReset, Operation: "updateUserStatus", Times: 1, AfterEffect: true})
		users, err := e.c.SetUserStatus(t.Context(), docspace.UserStatusTerminated, janeID)
		e.ok(err, users)
		if len(users) != 1 || users[0].Status != docspace.UserStatusTerminated {
			t.Errorf("got %v, want Jane Terminated", users)
		}
		e.wantHandled("updateUserStatus", 2)
	})
}

// TestSlowReplies: an attempt that outlives Options.Timeout is ErrTimeout, retryable; a read is retried, a
// write that is not idempotent is not.
func TestSlowReplies(t *testing.T) {
	t.Parallel()
	fast := withClient(func(o *docspace.Options) { o.Timeout = time.Second })
	t.Run("a read is retried", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, fast)
		e.ts.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultLatency, Operation: "getProfileByUserId", Times: 1, Delay: 5 * time.Second})
		u, err := e.c.User(t.Context(), janeID)
		e.ok(err, u)
		e.wantSent("getProfileByUserId", 2)
	})
	t.Run("a read that is always slow is ErrTimeout", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, fast, withClient(func(o *docspace.Options) { o.Retry.MaxAttempts = 2 }))
		e.ts.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultLatency, Operation: "getProfileByUserId", Delay: 5 * time.Second})
		_, err := e.c.User(t.Context(), janeID)
		e.fails(err, docspace.ErrTimeout, docspace.ErrNetwork)
		if !docspace.IsRetryable(err) {
			t.Errorf("IsRetryable(%v) = false", err)
		}
		if !strings.Contains(err.Error(), "no complete response within 1s") {
			t.Errorf("got %q, want it to name the timeout", err)
		}
		e.wantSent("getProfileByUserId", 2)
	})
	t.Run("a write that is not idempotent is not repeated", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, fast)
		e.ts.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultLatency, Operation: "createRoom", Times: 1, Delay: 5 * time.Second})
		_, err := e.c.CreateRoom(t.Context(), docspace.CreateRoom{Title: "Slow", RoomType: docspace.RoomTypeCustom})
		e.fails(err, docspace.ErrTimeout)
		e.wantSent("createRoom", 1)
	})
}

// await returns the result of a call running in a goroutine, failing the test if it has not returned
// within d: a client that ignored cancellation would otherwise hang the test.
func await(t *testing.T, done <-chan error, d time.Duration) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatalf("the call ignored cancellation: still running after %v", d)
		return nil
	}
}

// run starts f in a goroutine and returns the channel of its result.
func run(f func() error) <-chan error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	return done
}

// waitFor polls cond until it holds, failing the test after a deadline.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestCancellation: cancelling the caller's context ends a wait for Retry-After, a backoff and a poll at
// once, with the context's error, which is not retryable.
func TestCancellation(t *testing.T) {
	t.Parallel()
	t.Run("during a Retry-After wait", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.ts.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultRateLimit, Operation: "getProfileByUserId", RetryAfter: time.Minute})
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		done := run(func() error {
			_, err := e.c.User(ctx, janeID)
			return err
		})
		// The client logs the retry just before it starts waiting.
		waitFor(t, "the retry to be scheduled", func() bool { return e.guard.logged("retry scheduled") })
		cancel()
		err := await(t, done, 10*time.Second)
		e.fails(err, context.Canceled)
		if docspace.IsRetryable(err) {
			t.Errorf("IsRetryable(%v) = true", err)
		}
		e.wantSent("getProfileByUserId", 1)
	})
	t.Run("during backoff", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, withClient(func(o *docspace.Options) {
			o.Retry = docspace.RetryPolicy{MaxAttempts: 6, BaseDelay: time.Minute, MaxDelay: time.Minute}
		}))
		e.ts.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultError, Operation: "getProfileByUserId", Status: 503})
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		err := await(t, run(func() error {
			_, err := e.c.User(ctx, janeID)
			return err
		}), 10*time.Second)
		e.fails(err, context.DeadlineExceeded)
		e.settle()
		if n := len(e.ts.CallsTo("getProfileByUserId")); n < 1 || n >= 6 {
			t.Errorf("sent %d requests, want the backoff to have been cut short before the last attempt", n)
		}
	})
	t.Run("while polling a file operation", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.ts.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultStuckJob, Operation: "moveBatchItems", HoldAt: 50})
		op, err := e.c.Move(t.Context(), docspace.MoveRequest{FolderIDs: []int{janeWorkspace}, DestFolderID: archiveRoom})
		e.ok(err, op)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var polls int
		o := docspace.PollOptions{MinInterval: 5 * time.Millisecond, MaxInterval: time.Minute,
			OnPoll: func(int) {
				if polls++; polls == 3 {
					cancel()
				}
			}}
		err = await(t, run(func() error {
			_, err := e.c.WaitOperation(ctx, op.ID, o)
			return err
		}), 10*time.Second)
		e.fails(err, context.Canceled)
		if polls != 3 {
			t.Errorf("polled %d times after the cancel, want 3 in all", polls)
		}
	})
	t.Run("while polling a reassignment", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.ts.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultStuckJob, Operation: "startReassign", HoldAt: 30})
		e.terminate(janeID)
		_, err := e.c.StartReassign(t.Context(), janeID, keeperID, false)
		e.ok(err)
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		err = await(t, run(func() error {
			_, err := e.c.WaitReassign(ctx, janeID, docspace.PollOptions{MinInterval: 5 * time.Millisecond, MaxInterval: 20 * time.Millisecond})
			return err
		}), 10*time.Second)
		e.fails(err, context.DeadlineExceeded)
		if job, _ := e.ts.ReassignJob(janeID); job.IsCompleted || job.Percentage != 30 {
			t.Errorf("the stuck job is at %d%% (completed %v), want held at 30%%", job.Percentage, job.IsCompleted)
		}
	})
}

// TestRetryAfterBeyondMaxRetryAfter: a Retry-After longer than the policy allows is returned at once for the
// caller to reschedule, with the delay.
func TestRetryAfterBeyondMaxRetryAfter(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withClient(func(o *docspace.Options) { o.Retry.MaxRetryAfter = 2 * time.Second }))
	e.ts.Fault(t, docspacetest.Fault{Kind: docspacetest.FaultRateLimit, Operation: "getProfileByUserId", Times: 1, RetryAfter: 30 * time.Second})
	_, err := e.c.User(t.Context(), janeID)
	apiErr := e.fails(err, docspace.ErrRateLimited)
	if apiErr == nil || apiErr.RetryAfter != 30*time.Second || apiErr.Status != http.StatusTooManyRequests {
		t.Errorf("got %#v, want a 429 with RetryAfter 30s", apiErr)
	}
	if !docspace.IsRetryable(err) {
		t.Errorf("IsRetryable(%v) = false", err)
	}
	e.wantSent("getProfileByUserId", 1)
}

// TestAPIKeyNeverShown drives the client through successes and every kind of failure with Debug logging,
// and checks that neither the log, nor any error, nor %v/%+v/%#v of the client, its options or the results
// contain the key. (Every env's key guard checks the same at cleanup; this test makes sure the guard sees
// real traffic and that it does catch a leak.)
func TestAPIKeyNeverShown(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withClient(func(o *docspace.Options) { o.Timeout = time.Second }))
	for _, f := range []docspacetest.Fault{
		{Kind: docspacetest.FaultError, Operation: "getProfileByUserId", Status: 502, Times: 1},
		// Two resets: net/http itself repeats a bodiless GET once when a reused connection drops.
		{Kind: docspacetest.FaultReset, Operation: "getFolderInfo", Times: 2},
		{Kind: docspacetest.FaultLatency, Operation: "getRoomInfo", Times: 1, Delay: 3 * time.Second},
		{Kind: docspacetest.FaultRateLimit, Operation: "getGroup", Times: 1, RetryAfter: time.Second},
	} {
		e.ts.Fault(t, f)
	}
	ctx := t.Context()
	u, err := e.c.User(ctx, janeID)
	e.ok(err, u)
	f, err := e.c.Folder(ctx, janeWorkspace)
	e.ok(err, f)
	r, err := e.c.Room(ctx, falconRoom)
	e.ok(err, r)
	g, err := e.c.Group(ctx, engGroupID)
	e.ok(err, g)
	_, err = e.c.User(ctx, unknownID)
	e.fails(err, docspace.ErrNotFound)
	_, err = e.c.Move(ctx, docspace.MoveRequest{FolderIDs: []int{missingEntry}, DestFolderID: archiveRoom})
	e.fails(err, docspace.ErrServer)
	bad := e.client("sk-" + strings.Repeat("fe", 32))
	_, err = bad.Self(ctx)
	e.fails(err, docspace.ErrUnauthorized)

	var warned, debug int
	for _, line := range e.guard.logLines() {
		switch {
		case strings.Contains(line, "level=WARN") && strings.Contains(line, "retry scheduled"):
			warned++
		case strings.Contains(line, "level=DEBUG"):
			debug++
		}
	}
	if warned < 4 || debug < 10 {
		t.Errorf("captured %d retry warnings and %d debug lines, want at least 4 and 10: the log was not exercised", warned, debug)
	}

	planted := &keyGuard{}
	planted.addKey(e.ts.AdminKey)
	planted.note(errors.New("request failed: Authorization: Bearer " + e.ts.AdminKey))
	if len(planted.leaks()) == 0 {
		t.Error("the key guard does not notice a key in an error")
	}
}

// BenchmarkClientRead is one User call over loopback against the simulator, limits set out of the way:
// the cost of the client (limiter, request, envelope decoding) plus the simulator and net/http on both
// sides. The OpenAPI validator is left out; it is a test harness, not part of the path.
func BenchmarkClientRead(b *testing.B) {
	ts := docspacetest.Start(b, docspacetest.WithoutValidation(), docspacetest.WithOptions(docspacetest.Options{
		RateLimits: docspacetest.RateLimits{Disabled: true, Window: time.Millisecond},
	}))
	c, err := docspace.New(docspace.Options{
		BaseURL: ts.URL,
		APIKey:  docspace.NewSecret(ts.AdminKey),
		Limits:  docspace.Limits{Requests: 1000, Window: time.Millisecond},
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.CloseIdleConnections)
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		u, err := c.User(ctx, janeID)
		if err != nil || u.ID != janeID {
			b.Fatalf("User: %v, %v", u, err)
		}
	}
}
