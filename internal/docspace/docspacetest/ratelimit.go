package docspacetest

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// limiter is DocSpace's chained per-user rate limiter (reference §12) plus the statistics tests use to
// check that a client stayed within the limits. It is guarded by Server.mu.
type limiter struct {
	cfg   RateLimits
	users map[string]*userLimits
}

type userLimits struct {
	window        []time.Time            // admitted requests inside the sliding window
	inflightRead  int                    // GET in flight
	inflightWrite int                    // other methods in flight
	dailyStart    time.Time              // start of the fixed window; zero before the first POST/PUT
	dailyCount    int                    // POST/PUT admitted in the fixed window
	sensitive     map[string][]time.Time // SensitiveApi requests per path

	stats    UserStats
	attempts []time.Time // every request inside the sliding window, admitted or not
}

// UserStats is what one user (all of their keys together) did to the portal.
type UserStats struct {
	// Requests counts authenticated requests; RateLimited those the limiter rejected.
	Requests    int
	RateLimited int
	// MaxInFlightReads and MaxInFlightWrites are the most GET and non-GET requests ever in flight at once.
	MaxInFlightReads  int
	MaxInFlightWrites int
	// MaxInWindow is the most requests that arrived within any RateLimits.Window.
	MaxInWindow int
	// Writes counts POST and PUT requests.
	Writes int
}

// Stats holds UserStats per user id.
type Stats struct {
	Users map[string]UserStats
}

func newLimiter(cfg RateLimits) *limiter {
	return &limiter{cfg: cfg, users: map[string]*userLimits{}}
}

func (l *limiter) user(id string) *userLimits {
	u := l.users[id]
	if u == nil {
		u = &userLimits{sensitive: map[string][]time.Time{}}
		l.users[id] = u
	}
	return u
}

func trimBefore(ts []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(cutoff) {
		i++
	}
	return ts[i:]
}

// retryAfter is the Retry-After value: whole seconds until the oldest counted request leaves the window.
func retryAfter(oldest time.Time, window time.Duration, now time.Time) string {
	d := oldest.Add(window).Sub(now)
	secs := int((d + time.Second - 1) / time.Second)
	return strconv.Itoa(max(secs, 1))
}

func tooMany(limit int, retry string) *bareStatus {
	h := http.Header{}
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("Retry-After", retry)
	return &bareStatus{code: http.StatusTooManyRequests, header: h}
}

// admit runs the limiters for one request. On success it returns the function that ends the request's
// concurrency lease; on rejection the 429 to send. Statistics are updated either way.
func (s *Server) admit(userID, method string, rt *route, path string, now time.Time) (func(), error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.limits
	cfg := l.cfg
	u := l.user(userID)
	read := method == http.MethodGet
	countsDaily := method == http.MethodPost || method == http.MethodPut

	u.stats.Requests++
	if countsDaily {
		u.stats.Writes++
	}
	u.attempts = append(trimBefore(u.attempts, now.Add(-cfg.Window)), now)
	u.stats.MaxInWindow = max(u.stats.MaxInWindow, len(u.attempts))
	if read {
		u.stats.MaxInFlightReads = max(u.stats.MaxInFlightReads, u.inflightRead+1)
	} else {
		u.stats.MaxInFlightWrites = max(u.stats.MaxInFlightWrites, u.inflightWrite+1)
	}

	if !cfg.Disabled {
		if err := l.check(u, read, countsDaily, rt, path, now); err != nil {
			u.stats.RateLimited++
			return nil, err
		}
	}
	u.window = append(u.window, now)
	if countsDaily {
		if u.dailyStart.IsZero() || !now.Before(u.dailyStart.Add(cfg.DailyWindow)) {
			u.dailyStart, u.dailyCount = now, 0
		}
		u.dailyCount++
	}
	if rt.sensitive {
		key := strings.ToLower(path)
		u.sensitive[key] = append(u.sensitive[key], now)
	}
	if read {
		u.inflightRead++
	} else {
		u.inflightWrite++
	}
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if read {
			u.inflightRead--
		} else {
			u.inflightWrite--
		}
	}, nil
}

// check applies the chain: sliding window, concurrency, fixed daily window, then the SensitiveApi policy.
func (l *limiter) check(u *userLimits, read, countsDaily bool, rt *route, path string, now time.Time) error {
	cfg := l.cfg
	u.window = trimBefore(u.window, now.Add(-cfg.Window))
	if len(u.window) >= cfg.Requests {
		return tooMany(cfg.Requests, retryAfter(u.window[0], cfg.Window, now))
	}
	if read && u.inflightRead >= cfg.ParallelReads || !read && u.inflightWrite >= cfg.ParallelWrites {
		return errBare(http.StatusTooManyRequests) // concurrency rejections carry no headers
	}
	if countsDaily && !u.dailyStart.IsZero() && now.Before(u.dailyStart.Add(cfg.DailyWindow)) &&
		u.dailyCount >= cfg.DailyWrites {
		reset := u.dailyStart.Add(cfg.DailyWindow)
		err := tooMany(cfg.DailyWrites, retryAfter(u.dailyStart, cfg.DailyWindow, now))
		err.header.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
		return err
	}
	if rt.sensitive {
		key := strings.ToLower(path)
		u.sensitive[key] = trimBefore(u.sensitive[key], now.Add(-cfg.SensitiveWindow))
		if hist := u.sensitive[key]; len(hist) >= cfg.SensitiveRequests {
			return tooMany(cfg.SensitiveRequests, retryAfter(hist[0], cfg.SensitiveWindow, now))
		}
	}
	return nil
}

// Stats returns a copy of every user's request statistics.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := Stats{Users: make(map[string]UserStats, len(s.limits.users))}
	for id, u := range s.limits.users {
		out.Users[id] = u.stats
	}
	return out
}

// UserStats returns the statistics of one user (zero when they made no request).
func (s *Server) UserStats(userID string) UserStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.limits.users[strings.ToLower(userID)]; u != nil {
		return u.stats
	}
	return UserStats{}
}

// ResetRateLimits forgets the limiter's counters (not the statistics), e.g. between phases of a test.
func (s *Server) ResetRateLimits() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.limits.users {
		u.window, u.dailyStart, u.dailyCount = nil, time.Time{}, 0
		u.sensitive = map[string][]time.Time{}
	}
}

// SetRateLimits replaces the limiter's configuration; zero fields take DocSpace's defaults.
func (s *Server) SetRateLimits(rl RateLimits) {
	o := Options{RateLimits: rl}
	o.setDefaults()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits.cfg = o.RateLimits
}
