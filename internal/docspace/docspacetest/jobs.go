package docspacetest

import (
	"slices"
	"time"
)

// progressJob is a background job evaluated lazily from the clock: no goroutine runs it. Its steps are due
// at evenly spaced instants over its duration (step i of n at start + duration*i/n); advance applies every
// due step, in time order across all jobs, at the start of each request and inspection. Each step's effect
// runs exactly once, timestamped with the instant it was due.
type progressJob struct {
	queue     string // "" starts at once; queuePeople shares Options.PeopleJobWorkers slots
	submitted time.Time
	started   bool
	start     time.Time
	duration  time.Duration
	steps     []jobStep
	next      int // index of the next step to run

	percent    int
	status     TaskStatus
	err        string
	lastUpdate time.Time
	done       bool
	doneAt     time.Time

	hold      bool // never finishes: steps above holdAt never run
	holdAt    int
	retention time.Duration // how long the record lives after its last update once done; 0: forever
	onExpire  func()        // drops the record from its owner's map
}

// jobStep is one stage of a job. run may be nil (the step only publishes its percentage); an error from run
// fails the job with status 4 and the error's text (reference §5.4 step 2).
type jobStep struct {
	percent int
	run     func(at time.Time) error
}

const queuePeople = "people"

// jobSpec describes a job to start.
type jobSpec struct {
	queue     string
	duration  time.Duration
	steps     []jobStep
	initial   TaskStatus // status before the first step (Running for people jobs, Created for file operations)
	retention time.Duration
	hold      bool
	holdAt    int
	onExpire  func()
}

// startJob registers a job submitted at now. Caller holds s.mu.
func (s *Server) startJob(now time.Time, spec jobSpec) *progressJob {
	j := &progressJob{
		queue:      spec.queue,
		submitted:  now,
		duration:   spec.duration,
		steps:      spec.steps,
		status:     spec.initial,
		lastUpdate: now,
		hold:       spec.hold,
		holdAt:     spec.holdAt,
		retention:  spec.retention,
		onExpire:   spec.onExpire,
	}
	if j.queue == "" {
		j.started, j.start = true, now
	}
	s.st.jobs = append(s.st.jobs, j)
	s.startQueued(now)
	return j
}

// dueAt returns when step i is due.
func (j *progressJob) dueAt(i int) time.Time {
	return j.start.Add(time.Duration(int64(j.duration) * int64(i+1) / int64(len(j.steps))))
}

// nextDue returns the due time of the next step, or false when none can run.
func (j *progressJob) nextDue() (time.Time, bool) {
	if !j.started || j.done || j.next >= len(j.steps) {
		return time.Time{}, false
	}
	if j.hold && j.steps[j.next].percent > j.holdAt {
		return time.Time{}, false
	}
	return j.dueAt(j.next), true
}

// runStep applies the next step at its due time.
func (j *progressJob) runStep(at time.Time) {
	st := j.steps[j.next]
	j.next++
	j.lastUpdate = at
	if j.status == TaskCreated {
		j.status = TaskRunning
	}
	if st.run != nil {
		if err := st.run(at); err != nil {
			j.status, j.err, j.done, j.doneAt = TaskFailed, err.Error(), true, at
			return
		}
	}
	j.percent = st.percent
	if j.next == len(j.steps) {
		j.percent, j.status, j.done, j.doneAt = 100, TaskCompleted, true, at
	}
}

// cancel ends a job as canceled at now; work already done stays done.
func (j *progressJob) cancel(now time.Time) {
	if j.done {
		return
	}
	if !j.started {
		j.started, j.start = true, now
	}
	j.status, j.done, j.doneAt, j.lastUpdate = TaskCanceled, true, now, now
}

// dropJob removes a job record at once (terminate). Caller holds s.mu.
func (s *Server) dropJob(j *progressJob) {
	s.removeJobRecords(func(x *progressJob) bool { return x == j })
	s.startQueued(j.doneAt)
}

// removeJobRecords deletes, in one pass, the job records gone picks, then drops each from its owner's map.
// Caller holds s.mu.
func (s *Server) removeJobRecords(gone func(*progressJob) bool) {
	var removed []*progressJob
	s.st.jobs = slices.DeleteFunc(s.st.jobs, func(j *progressJob) bool {
		if gone(j) {
			removed = append(removed, j)
			return true
		}
		return false
	})
	for _, j := range removed {
		if j.onExpire != nil {
			j.onExpire()
		}
	}
}

// peopleWorker is one slot of the people-job queue.
type peopleWorker struct {
	job       *progressJob // the job it runs; nil when idle
	freeSince time.Time
}

// startQueued starts waiting queue jobs on free workers, each at the instant its worker became free (never
// before the job was submitted). It reports whether it started any. Caller holds s.mu.
func (s *Server) startQueued(now time.Time) bool {
	for i := range s.workers {
		if w := &s.workers[i]; w.job != nil && w.job.done {
			w.freeSince, w.job = w.job.doneAt, nil
		}
	}
	started := false
	for _, j := range s.st.jobs {
		if j.queue != queuePeople || j.started {
			continue
		}
		var w *peopleWorker
		for i := range s.workers {
			if c := &s.workers[i]; c.job == nil && (w == nil || c.freeSince.Before(w.freeSince)) {
				w = c
			}
		}
		if w == nil {
			break
		}
		at := j.submitted
		if w.freeSince.After(at) {
			at = w.freeSince
		}
		if at.After(now) {
			break
		}
		w.job = j
		j.started, j.start, j.lastUpdate = true, at, at
		started = true
	}
	return started
}

// advance brings every job up to now: it starts queued jobs and runs due steps in time order, then drops
// records whose retention has passed. Caller holds s.mu.
func (s *Server) advance(now time.Time) {
	for {
		var next *progressJob
		var nextAt time.Time
		for _, j := range s.st.jobs {
			if at, ok := j.nextDue(); ok && !at.After(now) && (next == nil || at.Before(nextAt)) {
				next, nextAt = j, at
			}
		}
		if next == nil {
			if !s.startQueued(now) {
				break
			}
			continue
		}
		next.runStep(nextAt)
		if next.done && next.queue == queuePeople {
			s.startQueued(nextAt)
		}
	}
	s.removeJobRecords(func(j *progressJob) bool {
		return j.done && j.retention > 0 && now.Sub(j.lastUpdate) > j.retention
	})
}
