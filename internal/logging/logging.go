// Package logging builds the service's slog logger: tint's coloured text for a
// person at a terminal, JSON for everything else.
package logging

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/lmittmann/tint"
	"golang.org/x/term"
)

// Formats accepted by New.
const (
	FormatAuto = "auto" // text when w is a terminal, JSON otherwise
	FormatText = "text"
	FormatJSON = "json"
)

// CheckFormat reports an error unless New accepts format.
func CheckFormat(format string) error {
	switch format {
	case FormatAuto, FormatText, FormatJSON:
		return nil
	}
	return fmt.Errorf("log format %q: want auto, text or json", format)
}

// New returns a logger writing to w at level in format.
func New(w io.Writer, level slog.Leveler, format string) (*slog.Logger, error) {
	if err := CheckFormat(format); err != nil {
		return nil, err
	}
	switch format {
	case FormatAuto:
		if isTerminal(w) {
			return slog.New(textHandler(w, level, true)), nil
		}
		return slog.New(jsonHandler(w, level)), nil
	case FormatText:
		return slog.New(textHandler(w, level, isTerminal(w))), nil
	}
	return slog.New(jsonHandler(w, level)), nil // FormatJSON
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func textHandler(w io.Writer, level slog.Leveler, colour bool) slog.Handler {
	return tint.NewHandler(w, &tint.Options{Level: level, TimeFormat: time.TimeOnly, NoColor: !colour})
}

func jsonHandler(w io.Writer, level slog.Leveler) slog.Handler {
	return slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})
}
