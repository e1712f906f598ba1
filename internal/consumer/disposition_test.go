package consumer

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDisposition(t *testing.T) {
	t.Parallel()
	p := Policy{MaxAttempts: 5, MaxDeliver: -1, BaseDelay: time.Second, MaxDelay: time.Minute, Jitter: func() float64 { return 1 }}
	limited := p
	limited.MaxDeliver = 3
	tests := []struct {
		name      string
		o         outcome
		delivered uint64
		p         Policy
		want      action
	}{
		{"finished acks", outcome{kind: finished}, 1, p, action{settle: ack}},
		{"poison dead-letters", outcome{kind: poison, reason: "no id"}, 1, p, action{settle: term, reason: "no id", deadLetter: true}},
		{"first retry backs off", outcome{kind: retry, attempts: 1, reason: "503"}, 1, p, action{settle: nak, delay: time.Second}},
		{"third retry backs off more", outcome{kind: retry, attempts: 3, reason: "503"}, 3, p, action{settle: nak, delay: 4 * time.Second}},
		{"budget spent", outcome{kind: retry, attempts: 5, reason: "503"}, 5, p,
			action{settle: term, reason: "retry budget exhausted: 503", deadLetter: true, exhausted: true}},
		{"last delivery spent", outcome{kind: retry, attempts: 2, reason: "503"}, 3, limited,
			action{settle: term, reason: "retry budget exhausted: 503", deadLetter: true, exhausted: true}},
		{"Retry-After beats backoff", outcome{kind: retry, attempts: 1, delay: 3 * time.Hour, reason: "429"}, 1, p,
			action{settle: nak, delay: 3 * time.Hour}},
		{"NATS trouble spends no budget", outcome{kind: retry, attempts: 9, unbudgeted: true, reason: "kv down"}, 9, p,
			action{settle: nak, delay: time.Minute}},
		{"busy waits for the lease", outcome{kind: busy, delay: 10 * time.Second}, 2, p, action{settle: nak, delay: 10 * time.Second}},
		{"busy at least the base delay", outcome{kind: busy, delay: time.Millisecond}, 2, p, action{settle: nak, delay: time.Second}},
		{"wait is capped", outcome{kind: wait, delay: 48 * time.Hour}, 1, p, action{settle: nak, delay: time.Minute}},
		{"wait on the last delivery", outcome{kind: wait, delay: time.Hour, reason: "due later"}, 3, limited,
			action{settle: term, reason: "last delivery spent waiting: due later", deadLetter: true}},
		{"interrupted hands back at once", outcome{kind: interrupted}, 1, p, action{settle: nak}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := disposition(tc.o, tc.delivered, tc.p)
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(action{})); diff != "" {
				t.Errorf("disposition (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	for _, j := range []float64{0, 0.5, 0.999} {
		p := Policy{BaseDelay: time.Second, MaxDelay: 30 * time.Second, Jitter: func() float64 { return j }}
		prevCeiling := time.Duration(0)
		for n := 1; n <= 12; n++ {
			d := p.backoff(n)
			if d < 100*time.Millisecond || d > 30*time.Second {
				t.Fatalf("backoff(%d) with jitter %v = %v, outside [100ms, 30s]", n, j, d)
			}
			if j > 0.9 && d < prevCeiling {
				t.Errorf("backoff(%d) = %v shrank below %v", n, d, prevCeiling)
			}
			prevCeiling = d
		}
	}
}

func BenchmarkDisposition(b *testing.B) {
	p := Policy{MaxAttempts: 20, MaxDeliver: -1, BaseDelay: time.Second, MaxDelay: time.Minute}
	o := outcome{kind: retry, attempts: 3, reason: "503"}
	b.ReportAllocs()
	for b.Loop() {
		_ = disposition(o, 3, p)
	}
}
