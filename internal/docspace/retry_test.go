package docspace

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"
)

func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	const base, maxDelay = 250 * time.Millisecond, 30 * time.Second
	top := func(n int64) int64 { return n - 1 } // the largest value the jitter can draw
	bottom := func(int64) int64 { return 0 }
	tests := []struct {
		attempt int
		wantMax time.Duration
	}{
		{1, 250 * time.Millisecond},
		{2, 500 * time.Millisecond},
		{3, time.Second},
		{4, 2 * time.Second},
		{7, 16 * time.Second},
		{8, 30 * time.Second}, // 32s capped
		{20, 30 * time.Second},
		{62, 30 * time.Second}, // shift overflow
		{200, 30 * time.Second},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.attempt), func(t *testing.T) {
			t.Parallel()
			if got := backoff(tt.attempt, base, maxDelay, top); got != tt.wantMax {
				t.Errorf("backoff(%d) at the top of the jitter = %v, want %v", tt.attempt, got, tt.wantMax)
			}
			if got := backoff(tt.attempt, base, maxDelay, bottom); got != 0 {
				t.Errorf("backoff(%d) at the bottom of the jitter = %v, want 0 (full jitter)", tt.attempt, got)
			}
		})
	}
}

func TestBackoffJitterIsSpread(t *testing.T) {
	t.Parallel()
	c, err := New(Options{BaseURL: "https://acme.example", APIKey: NewSecret("sk-test")})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	const n, ceiling = 2000, 4 * DefaultBaseDelay // attempt 3
	var below, above int
	for range n {
		d := backoff(3, DefaultBaseDelay, DefaultMaxDelay, c.randN)
		if d < 0 || d > ceiling {
			t.Fatalf("backoff(3) = %v, outside [0, %v]", d, ceiling)
		}
		if d < ceiling/2 {
			below++
		} else {
			above++
		}
	}
	// With a uniform draw each half holds about n/2; 40% is many sigma away.
	if below < n*4/10 || above < n*4/10 {
		t.Errorf("jitter not spread: %d below half, %d above", below, above)
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"30", 30 * time.Second},
		{" 5 ", 5 * time.Second},
		{"0", 0},
		{"-3", 0},
		{"soon", 0},
		{"999999999", 24 * time.Hour},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := parseRetryAfter(tt.in, now); got != tt.want {
				t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestRetryDelay(t *testing.T) {
	t.Parallel()
	c, err := New(Options{BaseURL: "https://acme.example", APIKey: NewSecret("sk-test"), Retry: RetryPolicy{MaxAttempts: 4}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	c.randN = func(n int64) int64 { return n - 1 }
	read, _ := endpointFor(opGetFolderInfo)
	idem, _ := endpointFor(opSetRoomSecurity)
	never, _ := endpointFor(opCreateFolder)
	api := func(status int, retryAfter time.Duration) error {
		return &APIError{Op: "x", Method: "GET", Path: "/p", Status: status, RetryAfter: retryAfter}
	}
	reset := &transportError{op: "x", method: "POST", path: "/p", err: syscall.ECONNRESET}
	refused := &transportError{op: "x", method: "POST", path: "/p", err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	tests := []struct {
		name      string
		ep        endpoint
		err       error
		attempt   int
		wantRetry bool
		wantDelay time.Duration
	}{
		{"read 503", read, api(503, 0), 1, true, DefaultBaseDelay},
		{"read 503 second attempt", read, api(503, 0), 2, true, 2 * DefaultBaseDelay},
		{"read 503 out of attempts", read, api(503, 0), 4, false, 0},
		{"read 404", read, api(404, 0), 1, false, 0},
		{"read 400", read, api(400, 0), 1, false, 0},
		{"read reset", read, reset, 1, true, DefaultBaseDelay},
		{"idempotent write 502", idem, api(502, 0), 1, true, DefaultBaseDelay},
		{"idempotent write reset", idem, reset, 1, true, DefaultBaseDelay},
		{"idempotent write 403", idem, api(403, 0), 1, false, 0},
		{"create 500 not repeated", never, api(500, 0), 1, false, 0},
		{"create reset not repeated", never, reset, 1, false, 0},
		{"create refused connection repeated", never, refused, 1, true, DefaultBaseDelay},
		{"create 429 repeated", never, api(429, 0), 1, true, DefaultBaseDelay},
		{"create 429 honours Retry-After", never, api(429, 7*time.Second), 1, true, 7 * time.Second},
		{"read 429 Retry-After beyond the cap", read, api(429, 3*time.Minute), 1, false, 0},
		{"read 503 with Retry-After", read, api(503, 2*time.Second), 1, true, 2 * time.Second},
		{"429 out of attempts", never, api(429, time.Second), 4, false, 0},
		{"invalid argument", read, newArgError("x", "bad"), 1, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			delay, again := c.retryDelay(tt.ep, tt.err, tt.attempt)
			if again != tt.wantRetry || delay != tt.wantDelay {
				t.Errorf("retryDelay = (%v, %v), want (%v, %v)", delay, again, tt.wantDelay, tt.wantRetry)
			}
		})
	}
}

func TestEndpointTable(t *testing.T) {
	t.Parallel()
	seen := map[opID]bool{}
	for _, e := range endpoints() {
		if seen[e.op] {
			t.Errorf("%s listed twice", e.op)
		}
		seen[e.op] = true
		switch {
		case e.method == http.MethodGet && e.retry != retryRead:
			t.Errorf("%s: GET with retry class %d", e.op, e.retry)
		case e.method != http.MethodGet && e.retry == retryRead:
			t.Errorf("%s: %s marked as a read", e.op, e.method)
		case e.retry == 0:
			t.Errorf("%s: no retry class", e.op)
		}
	}
	// The writes that must never be repeated blindly (reference §5.5, §8.2, §8.6, §10.1, §11.2).
	for _, op := range []opID{opStartReassign, opCreateFolder, opCreateRoom, opMoveBatchItems, opInsertFile, opCreateAuditTrailReport} {
		if e, ok := endpointFor(op); !ok || e.retry != retryNever {
			t.Errorf("%s: retry class %d, want retryNever", op, e.retry)
		}
	}
	for _, op := range []opID{opUpdateUserStatus, opLogOutAllConnections, opRemoveMembersFrom, opSetFolderSecurityInfo, opSetRoomSecurity, opArchiveRoom, opTerminateReassign} {
		if e, ok := endpointFor(op); !ok || e.retry != retryIdempotent {
			t.Errorf("%s: retry class %d, want retryIdempotent", op, e.retry)
		}
	}
	if _, ok := endpointFor("deleteEverything"); ok {
		t.Error("endpointFor found an operation that is not in the table")
	}
	if len(seen) != 30 {
		t.Errorf("%d operations in the table, want 30", len(seen))
	}
	if err := errors.New("x"); neverSent(err) {
		t.Error("neverSent(plain error) = true")
	}
}
