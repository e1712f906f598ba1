// Package checkpoint keeps each termination's durable state in a JetStream
// key-value bucket: the checkpoints of its steps, its final result, the lease
// that lets only one worker run it at a time, and its cancellation.
//
// Every write is a compare-and-set on the key's revision. A worker whose lease
// was taken over (it stalled past the lease's expiry) finds its next write
// refused and stops, so two workers never both record progress for one
// termination.
package checkpoint

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/docspace-offboarding/docspace-offboarding/internal/offboarding"
)

// ErrLeaseLost is returned by writes of a claim another worker has taken over.
var ErrLeaseLost = errors.New("lease lost to another worker")

// LeasedError says another worker holds the termination.
type LeasedError struct {
	Owner string
	Until time.Time
}

// Error implements error.
func (e *LeasedError) Error() string {
	return fmt.Sprintf("termination is being run by %s until %s", e.Owner, e.Until.Format(time.RFC3339))
}

// Options configure a Store.
type Options struct {
	// Bucket names the key-value bucket.
	Bucket string
	// Create makes the bucket when it is missing; otherwise it must exist.
	Create   bool
	Replicas int
	// Owner identifies this process in leases (host name and pid, say).
	Owner string
	// LeaseTTL is how long a claim lasts without renewal; default 30 s.
	LeaseTTL time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Store reads and writes termination state.
type Store struct {
	kv    jetstream.KeyValue
	owner string
	ttl   time.Duration
	now   func() time.Time
}

// Open opens (or creates) the bucket.
func Open(ctx context.Context, js jetstream.JetStream, o Options) (*Store, error) {
	if o.Bucket == "" || o.Owner == "" {
		return nil, errors.New("open checkpoint store: bucket and owner are required")
	}
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = 30 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	var kv jetstream.KeyValue
	var err error
	if o.Create {
		kv, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
			Bucket:      o.Bucket,
			Description: "docspace-offboarding: per-termination checkpoints, results, leases and cancellations",
			History:     1,
			Storage:     jetstream.FileStorage,
			Replicas:    max(o.Replicas, 1),
		})
	} else {
		kv, err = js.KeyValue(ctx, o.Bucket)
	}
	if err != nil {
		return nil, fmt.Errorf("open key-value bucket %s: %w", o.Bucket, err)
	}
	return &Store{kv: kv, owner: o.Owner, ttl: o.LeaseTTL, now: o.Now}, nil
}

// Record is what the bucket holds per termination.
type Record struct {
	State offboarding.State `json:"state"`
	Lease *Lease            `json:"lease,omitempty"`
	// Scheduled is when a termination with a future effectiveAt is due.
	Scheduled time.Time `json:"scheduled,omitzero"`
	// ResultSeq is the output stream's sequence of the published result.
	ResultSeq uint64 `json:"resultSeq,omitempty"`
}

// wire is a Record as stored. Its state stays encoded, so that a lease renewal
// running beside the steps never reads the state while a step changes it.
type wire struct {
	State     json.RawMessage `json:"state"`
	Lease     *Lease          `json:"lease,omitempty"`
	Scheduled time.Time       `json:"scheduled,omitzero"`
	ResultSeq uint64          `json:"resultSeq,omitempty"`
}

func (w *wire) record() (*Record, error) {
	r := &Record{Lease: w.Lease, Scheduled: w.Scheduled, ResultSeq: w.ResultSeq}
	if err := json.Unmarshal(w.State, &r.State); err != nil {
		return nil, fmt.Errorf("decode checkpoint state: %w", err)
	}
	return r, nil
}

// Lease is a worker's exclusive claim on a termination.
type Lease struct {
	Owner   string    `json:"owner"`
	Expires time.Time `json:"expires"`
}

// Key is the bucket key of a termination: a digest of its (source, id), which
// may hold characters keys cannot.
func Key(source, id string) string { return "t." + digest(source, id) }

// cancelKey is the bucket key of a termination's cancellation.
func cancelKey(source, id string) string { return "c." + digest(source, id) }

func digest(source, id string) string {
	h := sha256.Sum256([]byte(source + "\x00" + id))
	return hex.EncodeToString(h[:20])
}

// Get returns the record of a termination, or nil when there is none.
func (s *Store) Get(ctx context.Context, source, id string) (*Record, error) {
	rec, _, err := s.get(ctx, Key(source, id))
	return rec, err
}

func (s *Store) get(ctx context.Context, key string) (*Record, uint64, error) {
	w, rev, err := s.getWire(ctx, key)
	if err != nil || w == nil {
		return nil, 0, err
	}
	rec, err := w.record()
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", key, err)
	}
	return rec, rev, nil
}

func (s *Store) getWire(ctx context.Context, key string) (*wire, uint64, error) {
	e, err := s.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read checkpoint %s: %w", key, err)
	}
	var w wire
	if err := json.Unmarshal(e.Value(), &w); err != nil {
		return nil, 0, fmt.Errorf("decode checkpoint %s: %w", key, err)
	}
	return &w, e.Revision(), nil
}

// Claim takes a termination for this worker: it creates the record for a new
// termination, or takes the lease of an existing one whose lease is free or
// expired. A finished termination is returned without a lease. When another
// worker holds a live lease, Claim returns a *LeasedError.
func (s *Store) Claim(ctx context.Context, req offboarding.Request) (*Claim, error) {
	key := Key(req.Source, req.ID)
	for range 10 {
		w, rev, err := s.getWire(ctx, key)
		if err != nil {
			return nil, err
		}
		now := s.now()
		if w == nil {
			st, err := json.Marshal(offboarding.NewState(req, now))
			if err != nil {
				return nil, fmt.Errorf("encode checkpoint: %w", err)
			}
			w = &wire{State: st, Lease: s.lease(now)}
			b, err := json.Marshal(w)
			if err != nil {
				return nil, fmt.Errorf("encode checkpoint: %w", err)
			}
			rev, err := s.kv.Create(ctx, key, b)
			if errors.Is(err, jetstream.ErrKeyExists) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("create checkpoint %s: %w", key, err)
			}
			return newClaim(s, key, rev, w)
		}
		rec, err := w.record()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		if rec.State.Finished() {
			return newClaim(s, key, rev, w)
		}
		// A live lease is respected even when this process holds it: two
		// deliveries of one termination in one process must not run together.
		if l := w.Lease; l != nil && now.Before(l.Expires) {
			return nil, &LeasedError{Owner: l.Owner, Until: l.Expires}
		}
		w.Lease = s.lease(now)
		b, err := json.Marshal(w)
		if err != nil {
			return nil, fmt.Errorf("encode checkpoint: %w", err)
		}
		rev, err = s.kv.Update(ctx, key, b, rev)
		if errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("take lease %s: %w", key, err)
		}
		return newClaim(s, key, rev, w)
	}
	return nil, fmt.Errorf("claim %s: the record kept changing under us", key)
}

func (s *Store) lease(now time.Time) *Lease {
	return &Lease{Owner: s.owner, Expires: now.Add(s.ttl)}
}

// Cancel records a cancellation. The first one recorded stands.
func (s *Store) Cancel(ctx context.Context, source, id string, c offboarding.Cancellation) error {
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode cancellation: %w", err)
	}
	if _, err := s.kv.Create(ctx, cancelKey(source, id), b); err != nil && !errors.Is(err, jetstream.ErrKeyExists) {
		return fmt.Errorf("record cancellation: %w", err)
	}
	return nil
}

// Cancellation returns the cancellation of a termination, or nil.
func (s *Store) Cancellation(ctx context.Context, source, id string) (*offboarding.Cancellation, error) {
	e, err := s.kv.Get(ctx, cancelKey(source, id))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read cancellation: %w", err)
	}
	var c offboarding.Cancellation
	if err := json.Unmarshal(e.Value(), &c); err != nil {
		return nil, fmt.Errorf("decode cancellation: %w", err)
	}
	return &c, nil
}

// ClaimOnce makes owner the one owner of name, atomically across every
// process sharing the bucket: it reports true when owner holds the claim
// (now, or from before), false when someone else does. Claims are never
// released; they name things made once, like a DocSpace file.
func (s *Store) ClaimOnce(ctx context.Context, name, owner string) (bool, error) {
	key := "x." + digest("claim", name)
	if _, err := s.kv.Create(ctx, key, []byte(owner)); err == nil {
		return true, nil
	} else if !errors.Is(err, jetstream.ErrKeyExists) {
		return false, fmt.Errorf("claim %s: %w", name, err)
	}
	e, err := s.kv.Get(ctx, key)
	if err != nil {
		return false, fmt.Errorf("read claim %s: %w", name, err)
	}
	return string(e.Value()) == owner, nil
}

// Watch follows the records of terminations: every key when keys is empty.
// The watcher stops when ctx ends.
func (s *Store) Watch(ctx context.Context, keys ...string) (jetstream.KeyWatcher, error) {
	if len(keys) == 0 {
		keys = []string{"t.*"}
	}
	w, err := s.kv.WatchFiltered(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("watch checkpoints: %w", err)
	}
	return w, nil
}

// Claim is a worker's hold on one termination. Its methods are safe for
// concurrent use (a renewal goroutine runs beside the steps).
type Claim struct {
	s   *Store
	key string
	rec *Record

	mu  sync.Mutex
	rev uint64
	w   wire
}

func newClaim(s *Store, key string, rev uint64, w *wire) (*Claim, error) {
	rec, err := w.record()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	return &Claim{s: s, key: key, rec: rec, rev: rev, w: *w}, nil
}

// Record is the record as it was claimed. Its State is the caller's to carry
// forward and hand to Save; the claim does not touch it again.
func (c *Claim) Record() *Record { return c.rec }

// Save writes st (and extends the lease). It fails with ErrLeaseLost when
// another worker took the termination over.
func (c *Claim) Save(ctx context.Context, st *offboarding.State) error {
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode checkpoint: %w", err)
	}
	return c.write(ctx, st.Finished(), func(w *wire) { w.State = b })
}

// SetScheduled records when a termination with a future effectiveAt is due.
func (c *Claim) SetScheduled(ctx context.Context, due time.Time) error {
	return c.write(ctx, false, func(w *wire) { w.Scheduled = due })
}

// SetResultSeq records the output stream sequence of the published result.
func (c *Claim) SetResultSeq(ctx context.Context, seq uint64) error {
	return c.write(ctx, true, func(w *wire) { w.ResultSeq = seq })
}

// Renew extends the lease.
func (c *Claim) Renew(ctx context.Context) error {
	return c.write(ctx, false, func(*wire) {})
}

// Release gives the lease up so another worker need not wait for it to expire.
func (c *Claim) Release(ctx context.Context) error {
	return c.write(ctx, true, func(*wire) {})
}

// write applies f and stores the record with a fresh lease, or with none when
// release is set.
func (c *Claim) write(ctx context.Context, release bool, f func(*wire)) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	next := c.w
	f(&next)
	next.Lease = nil
	if !release {
		next.Lease = c.s.lease(c.s.now())
	}
	b, err := json.Marshal(&next)
	if err != nil {
		return fmt.Errorf("encode checkpoint: %w", err)
	}
	rev, err := c.s.kv.Update(ctx, c.key, b, c.rev)
	if errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
		return fmt.Errorf("save checkpoint %s: %w", c.key, ErrLeaseLost)
	}
	if err != nil {
		return fmt.Errorf("save checkpoint %s: %w", c.key, err)
	}
	c.rev, c.w = rev, next
	return nil
}
