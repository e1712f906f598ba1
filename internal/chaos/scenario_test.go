package chaos_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/docspace-offboarding/docspace-offboarding/internal/chaos"
)

func TestScenarios(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, s := range append(chaos.Scenarios(), chaos.ScaleOut()) {
		switch {
		case seen[s.Name]:
			t.Errorf("scenario %q listed twice", s.Name)
		case s.Fault == "":
			t.Errorf("scenario %q has no description", s.Name)
		case s.Chaos == nil:
			t.Errorf("scenario %q causes no fault", s.Name)
		case s.Proxy && s.Nodes > 1:
			t.Errorf("scenario %q puts a proxy before a cluster", s.Name)
		}
		seen[s.Name] = true
	}
}

func TestSelect(t *testing.T) {
	t.Parallel()
	names := func(ss []chaos.Scenario) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.Name)
		}
		return out
	}
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr bool
	}{
		{name: "empty selects the suite", in: "", want: names(chaos.Scenarios())},
		{name: "in the order given", in: "network-cut, consumer-kill", want: []string{"network-cut", "consumer-kill"}},
		{name: "the scale-out scenario", in: "scale-out", want: []string{"scale-out"}},
		{name: "unknown", in: "consumer-kill,meteor", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := chaos.Select(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Select(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, names(got)); diff != "" {
				t.Errorf("Select(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}
