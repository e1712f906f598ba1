package docspace

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestSlidingWindowWaitsForCompletionPlusWindow(t *testing.T) {
	t.Parallel()
	const window = 80 * time.Millisecond
	l := newLimiter(Limits{Requests: 3, Window: window, ParallelReads: 10, ParallelWrites: 10}, time.Now)
	ctx := context.Background()

	var releases []func()
	for i := range 3 {
		rel, err := l.acquire(ctx, false)
		if err != nil {
			t.Fatalf("acquire %d: %v", i, err)
		}
		releases = append(releases, rel)
	}
	if in, cooling := l.window.usage(); in != 3 || cooling != 0 {
		t.Fatalf("usage = (%d in flight, %d cooling), want (3, 0)", in, cooling)
	}

	completed := time.Now()
	releases[0]()
	releases[0]() // a second call is a no-op

	got := make(chan time.Time, 1)
	go func() {
		rel, err := l.acquire(ctx, false)
		if err != nil {
			t.Errorf("fourth acquire: %v", err)
			got <- time.Time{}
			return
		}
		got <- time.Now()
		rel()
	}()
	select {
	case at := <-got:
		if waited := at.Sub(completed); waited < window {
			t.Errorf("fourth request admitted %v after the first completed, want at least %v", waited, window)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("fourth request never admitted")
	}
	releases[1]()
	releases[2]()
}

func TestSlidingWindowServerSideInvariant(t *testing.T) {
	t.Parallel()
	const (
		limit   = 4
		window  = 30 * time.Millisecond
		workers = 6
		perWork = 6
	)
	l := newLimiter(Limits{Requests: limit, Window: window, ParallelReads: workers, ParallelWrites: workers}, time.Now)
	var (
		mu            sync.Mutex
		admits, dones []time.Time
		wg            sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			for i := range perWork {
				rel, err := l.acquire(context.Background(), (w+i)%2 == 0)
				if err != nil {
					t.Errorf("acquire: %v", err)
					return
				}
				a := time.Now()
				time.Sleep(time.Duration((w*7+i*3)%4) * time.Millisecond) // simulated request latency
				d := time.Now()
				mu.Lock()
				admits, dones = append(admits, a), append(dones, d)
				mu.Unlock()
				rel()
			}
		})
	}
	wg.Wait()
	if len(admits) != workers*perWork {
		t.Fatalf("%d requests completed, want %d", len(admits), workers*perWork)
	}
	// The server sees each request at some instant between admission and
	// completion. Whichever instant, no window may hold more than limit.
	for name, arrivals := range map[string][]time.Time{"at admission": admits, "at completion": dones} {
		slices.SortFunc(arrivals, func(a, b time.Time) int { return a.Compare(b) })
		for i := 0; i+limit < len(arrivals); i++ {
			if span := arrivals[i+limit].Sub(arrivals[i]); span < window {
				t.Errorf("arrivals %s: %d requests within %v, limit %d per %v", name, limit+1, span, limit, window)
				break
			}
		}
	}
}

func TestLimiterParallelism(t *testing.T) {
	t.Parallel()
	l := newLimiter(Limits{Requests: 1000, Window: time.Minute, ParallelReads: 3, ParallelWrites: 2}, time.Now)
	var (
		mu                 sync.Mutex
		inWrites, maxWrite int
		wg                 sync.WaitGroup
		gate               = make(chan struct{})
	)
	for range 10 {
		wg.Go(func() {
			rel, err := l.acquire(context.Background(), true)
			if err != nil {
				t.Errorf("acquire: %v", err)
				return
			}
			mu.Lock()
			inWrites++
			maxWrite = max(maxWrite, inWrites)
			mu.Unlock()
			<-gate
			mu.Lock()
			inWrites--
			mu.Unlock()
			rel()
		})
	}
	// While writes are saturated, reads still go through.
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := inWrites
		mu.Unlock()
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("writes in flight = %d, never reached 2", n)
		}
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for range 3 {
		rel, err := l.acquire(ctx, false)
		if err != nil {
			t.Fatalf("read while writes are saturated: %v", err)
		}
		defer rel()
	}
	close(gate)
	wg.Wait()
	if maxWrite != 2 {
		t.Errorf("max writes in flight = %d, want 2", maxWrite)
	}
}

func TestLimiterCancellation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		limits Limits
	}{
		{"waiting for the window", Limits{Requests: 1, Window: time.Hour, ParallelReads: 5, ParallelWrites: 5}},
		{"waiting for a parallelism slot", Limits{Requests: 100, Window: time.Hour, ParallelReads: 1, ParallelWrites: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newLimiter(tt.limits, time.Now)
			hold, err := l.acquire(context.Background(), true)
			if err != nil {
				t.Fatalf("first acquire: %v", err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			errc := make(chan error, 1)
			go func() {
				rel, err := l.acquire(ctx, true)
				if rel != nil {
					rel()
				}
				errc <- err
			}()
			cancel()
			select {
			case err := <-errc:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("acquire = %v, want context.Canceled", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("acquire did not return after cancellation")
			}
			if in, _ := l.window.usage(); in != 1 {
				t.Errorf("%d tokens in flight after the canceled wait, want 1", in)
			}
			if got := len(l.writes); got != 1 {
				t.Errorf("%d write slots held after the canceled wait, want 1", got)
			}
			hold()
		})
	}
}
