package logging

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		format   string
		wantJSON bool
	}{
		{FormatAuto, true}, // a buffer is not a terminal
		{FormatJSON, true},
		{FormatText, false},
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			log, err := New(&buf, slog.LevelInfo, tc.format)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			log.Debug("hidden")
			log.Info("offboarding completed", "event_id", "e-1")
			out := buf.String()
			if strings.Contains(out, "hidden") {
				t.Errorf("debug line logged at info level: %s", out)
			}
			var line map[string]any
			isJSON := json.Unmarshal(buf.Bytes(), &line) == nil
			if isJSON != tc.wantJSON {
				t.Fatalf("JSON output = %v, want %v: %s", isJSON, tc.wantJSON, out)
			}
			if !strings.Contains(out, "e-1") || !strings.Contains(out, "offboarding completed") {
				t.Errorf("output lacks message or attribute: %s", out)
			}
		})
	}
}

func TestNewRejectsUnknownFormat(t *testing.T) {
	t.Parallel()
	if _, err := New(&bytes.Buffer{}, slog.LevelInfo, "xml"); err == nil {
		t.Fatal("New(xml) = nil error, want one")
	}
}
