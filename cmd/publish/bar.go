package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// barInterval is the shortest time between two redraws of a progress bar.
const barInterval = 100 * time.Millisecond

// bar is a one-line progress bar, redrawn in place with a carriage return. A bar that is off
// (output not a terminal, or --json) draws nothing. Its methods are not safe for concurrent use.
type bar struct {
	w      io.Writer
	on     bool
	width  int
	label  string
	total  int
	done   int
	note   string
	drawn  time.Time
	active bool
	now    func() time.Time
}

// newBar returns a bar for total steps, drawn on standard output when it is a terminal and
// --json is off.
func (a *app) newBar(label string, total int) *bar {
	on, width := false, 0
	if f, ok := a.stdout.(*os.File); ok && !a.json && term.IsTerminal(int(f.Fd())) {
		on, width = true, 80
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 20 {
			width = w
		}
	}
	return &bar{w: a.stdout, on: on, width: width, label: label, total: total, now: time.Now}
}

// set records that done steps are done, with a note after the count, and redraws at most every
// barInterval (and always at the end).
func (b *bar) set(done int, note string) {
	b.done, b.note = done, note
	if !b.on {
		return
	}
	if now := b.now(); done >= b.total || now.Sub(b.drawn) >= barInterval {
		b.drawn = now
		b.draw()
	}
}

// draw writes the bar: "label [=====>    ] done/total note".
func (b *bar) draw() {
	count := fmt.Sprintf(" %d/%d", b.done, b.total)
	note := ""
	if b.note != "" {
		note = "  " + b.note
	}
	cells := b.width - len(b.label) - len(count) - len(note) - 4
	if cells < 10 {
		note, cells = "", b.width-len(b.label)-len(count)-4
	}
	cells = max(cells, 1)
	filled := cells
	if b.total > 0 {
		filled = min(cells, cells*b.done/b.total)
	}
	fmt.Fprintf(b.w, "\r%s [%s%s]%s%s\x1b[K", b.label, strings.Repeat("=", filled), strings.Repeat(" ", cells-filled), count, note)
	b.active = true
}

// clear erases the bar so a line of text can be written; the next set draws it again.
func (b *bar) clear() {
	if b.on && b.active {
		fmt.Fprint(b.w, "\r\x1b[K")
		b.active, b.drawn = false, time.Time{}
	}
}

// finish draws the bar a last time and ends its line.
func (b *bar) finish() {
	if !b.on {
		return
	}
	b.draw()
	fmt.Fprintln(b.w)
	b.active = false
}
