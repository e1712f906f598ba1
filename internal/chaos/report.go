package chaos

import (
	"bufio"
	"errors"
	"fmt"
	"maps"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Markers delimit the generated part of docs/RELIABILITY.md.
const (
	MarkerBegin = "<!-- chaos:begin -->"
	MarkerEnd   = "<!-- chaos:end -->"
)

// Table renders rows as a Markdown table, one row per scenario.
func Table(rows []Row) string {
	var b strings.Builder
	b.WriteString("| scenario | attempted | completed | lost | duplicated side effects | duplicate results | acked publishes lost | faults | longest recovery | run time | verdict |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, r := range rows {
		verdict := "pass"
		switch {
		case r.Err != nil:
			verdict = "harness error"
		case !r.Passed():
			verdict = "**FAIL**"
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %d | %d | %s | %s | %s |\n",
			r.Scenario, r.Attempted, r.Completed, r.Lost, r.SideEffects.Total(), r.DuplicateResults, r.AckedLost,
			len(r.Faults), recovery(r), r.Duration.Round(time.Second), verdict)
	}
	return b.String()
}

// recovery formats a row's longest recovery.
func recovery(r Row) string {
	if r.Recoveries == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f s", r.Recovery.Seconds())
}

// Details renders, per scenario, the fault, the side-effect breakdown, where
// kills landed, the work per consumer, notes and problems (the first
// maxProblems of them).
func Details(rows []Row, maxProblems int) string {
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "- **%s**: %s. ", r.Scenario, r.Fault)
		fmt.Fprintf(&b, "Duplicated side effects: %s. ", r.SideEffects)
		if r.Unfinished > 0 || r.Failed > 0 {
			fmt.Fprintf(&b, "Unfinished: %d; failed: %d. ", r.Unfinished, r.Failed)
		}
		if len(r.KillSteps) > 0 {
			fmt.Fprintf(&b, "Kills landed in: %s. ", counts(r.KillSteps))
		}
		if len(r.Work) > 1 {
			work := map[string]int{}
			for name, w := range r.Work {
				work[name] = w.Finished
			}
			fmt.Fprintf(&b, "Results published per consumer: %s. ", counts(work))
		}
		fmt.Fprintf(&b, "%d DocSpace calls.", r.Calls)
		for _, n := range r.Notes {
			fmt.Fprintf(&b, " %s.", strings.TrimSuffix(n, "."))
		}
		if r.Err != nil {
			fmt.Fprintf(&b, " Harness error: %v.", r.Err)
		}
		b.WriteString("\n")
		for i, p := range r.Problems {
			if i == maxProblems {
				fmt.Fprintf(&b, "  - ... and %d more\n", len(r.Problems)-maxProblems)
				break
			}
			fmt.Fprintf(&b, "  - %s\n", p)
		}
	}
	return b.String()
}

// counts renders a map of counts as "a 3, b 1", largest first.
func counts(m map[string]int) string {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + strconv.Itoa(m[k])
	}
	return strings.Join(parts, ", ")
}

// Summary is the context of a run's figures.
type Summary struct {
	Command  string
	Seed     uint64
	N        int
	Started  time.Time
	Duration time.Duration
}

// Block is the generated part of docs/RELIABILITY.md: how the figures were
// made, on what machine, the table and the details.
func Block(s Summary, rows []Row) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Reproduce with `%s` (%d terminations per scenario; add `-seed %d` to replay this run's random choices). ", s.Command, s.N, s.Seed)
	fmt.Fprintf(&b, "Last run %s on %s; the suite took %s.\n\n", s.Started.UTC().Format("2006-01-02 15:04 MST"),
		Machine(), s.Duration.Round(time.Second))
	b.WriteString(Table(rows))
	b.WriteString("\n")
	b.WriteString(Details(rows, 10))
	return b.String()
}

// Machine describes this machine: CPUs (what nproc reports), memory (the
// total free -h reports), OS, architecture and Go version.
func Machine() string {
	parts := []string{fmt.Sprintf("%d CPUs", runtime.NumCPU())}
	if mem, err := totalMemory(); err == nil {
		parts = append(parts, fmt.Sprintf("%.1f GiB memory", float64(mem)/(1<<30)))
	}
	parts = append(parts, runtime.GOOS+"/"+runtime.GOARCH, runtime.Version())
	return strings.Join(parts, ", ")
}

// totalMemory reads MemTotal from /proc/meminfo, in bytes.
func totalMemory() (uint64, error) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kib, err := strconv.ParseUint(fields[1], 10, 64)
			if err != nil {
				return 0, err
			}
			return kib << 10, nil
		}
	}
	return 0, errors.New("no MemTotal in /proc/meminfo")
}

// ErrNoMarkers means a document lacks the markers of the generated part.
var ErrNoMarkers = errors.New("markers " + MarkerBegin + " and " + MarkerEnd + " not found in order")

// ReplaceBlock returns doc with the text between the markers replaced by block.
func ReplaceBlock(doc, block string) (string, error) {
	i := strings.Index(doc, MarkerBegin)
	if i < 0 {
		return "", ErrNoMarkers
	}
	j := strings.Index(doc[i:], MarkerEnd)
	if j < 0 {
		return "", ErrNoMarkers
	}
	j += i
	return doc[:i+len(MarkerBegin)] + "\n" + strings.TrimRight(block, "\n") + "\n" + doc[j:], nil
}

// WriteReport rewrites the generated part of the document at path.
func WriteReport(path, block string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	doc, err := ReplaceBlock(string(b), block)
	if err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}
