package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestBar(t *testing.T) {
	t.Parallel()
	clock := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		on   bool
		want []string // in order, in the output
	}{
		{"off draws nothing", false, nil},
		{"on", true, []string{"\rpublishing [=====     ] 1/2  note\x1b[K", "\r\x1b[K", "\rpublishing [==========] 2/2  done\x1b[K", "\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			b := &bar{w: &buf, on: tt.on, width: 34, label: "publishing", total: 2, now: func() time.Time { return clock }}
			b.set(1, "note")
			b.set(1, "too soon: not drawn")
			b.clear()
			b.set(2, "done")
			b.finish()
			got := buf.String()
			if tt.want == nil {
				if got != "" {
					t.Errorf("output %q, want none", got)
				}
				return
			}
			rest := got
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("output %q lacks %q (in order)", got, w)
				}
				rest = rest[i+len(w):]
			}
			if strings.Contains(got, "too soon") {
				t.Errorf("output %q redrew within %v", got, barInterval)
			}
		})
	}
}
