package docspace

import (
	"context"
	"sync"
	"time"
)

// limiter keeps every caller of one Client under DocSpace's per-user limits
// (reference §12): a sliding window of requests for all methods, and
// separate caps on GET and non-GET requests in flight.
type limiter struct {
	reads  chan struct{}
	writes chan struct{}
	window *slidingWindow
}

func newLimiter(l Limits, now func() time.Time) *limiter {
	return &limiter{
		reads:  make(chan struct{}, l.ParallelReads),
		writes: make(chan struct{}, l.ParallelWrites),
		window: newSlidingWindow(l.Requests, l.Window, now),
	}
}

// acquire waits for a parallelism slot of the request's class and then for
// room in the window. The returned release must be called once the response
// has been read (or the attempt abandoned).
func (l *limiter) acquire(ctx context.Context, write bool) (release func(), err error) {
	sem := l.reads
	if write {
		sem = l.writes
	}
	select {
	case sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	done, err := l.window.acquire(ctx)
	if err != nil {
		<-sem
		return nil, err
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			done()
			<-sem
		})
	}, nil
}

// slidingWindow admits at most limit requests in any window of the given
// length, as the server counts them.
//
// The server counts a request when it arrives, which the client cannot see;
// it lies between the moment the client admits the request and the moment
// the response is read. So a request holds its token from admission until
// window after its completion. Then for any set of limit+1 requests, one was
// admitted only after another completed plus window, and their arrivals are
// at least window apart, whatever the network latency: the server never sees
// more than limit requests in one window.
type slidingWindow struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu       sync.Mutex
	inFlight int
	// expiries holds, in increasing order, when the tokens of completed
	// requests come free (completion + window).
	expiries []time.Time
	// changed is closed and replaced whenever a token may have come free
	// earlier than the next expiry (a completion).
	changed chan struct{}
}

func newSlidingWindow(limit int, window time.Duration, now func() time.Time) *slidingWindow {
	return &slidingWindow{
		limit:    limit,
		window:   window,
		now:      now,
		expiries: make([]time.Time, 0, min(limit, 4096)), // grows with use, up to limit
		changed:  make(chan struct{}),
	}
}

// acquire waits until a token is free and takes it. done must be called
// when the request has completed.
func (w *slidingWindow) acquire(ctx context.Context) (done func(), err error) {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		w.mu.Lock()
		now := w.now()
		w.expire(now)
		if w.inFlight+len(w.expiries) < w.limit {
			w.inFlight++
			w.mu.Unlock()
			return w.complete, nil
		}
		changed := w.changed
		var wake <-chan time.Time
		if len(w.expiries) > 0 {
			d := w.expiries[0].Sub(now)
			if timer == nil {
				timer = time.NewTimer(d)
			} else {
				timer.Reset(d)
			}
			wake = timer.C
		}
		w.mu.Unlock()

		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-changed:
		case <-wake:
		}
	}
}

// complete turns an in-flight token into one that frees window from now.
func (w *slidingWindow) complete() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.inFlight--
	w.expiries = append(w.expiries, w.now().Add(w.window))
	close(w.changed)
	w.changed = make(chan struct{})
}

// expire drops the tokens that are free at now. w.mu must be held.
func (w *slidingWindow) expire(now time.Time) {
	n := 0
	for n < len(w.expiries) && !w.expiries[n].After(now) {
		n++
	}
	if n == 0 {
		return
	}
	// Shift in place so the backing array is reused.
	w.expiries = w.expiries[:copy(w.expiries, w.expiries[n:])]
}

// usage reports the tokens in flight and those waiting to expire.
func (w *slidingWindow) usage() (inFlight, cooling int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.expire(w.now())
	return w.inFlight, len(w.expiries)
}
