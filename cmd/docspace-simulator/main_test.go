package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
)

func TestRunRejectsBadInput(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"users":[{"firstName":"A","type":"Boss"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cases := map[string][]string{
		"unknown flag":    {"-nope"},
		"missing fixture": {"-fixture", filepath.Join(t.TempDir(), "missing.json")},
		"invalid fixture": {"-fixture", bad},
		"bad address":     {"-addr", "256.0.0.1:bad"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			if err := run(context.Background(), args, logger); err == nil {
				t.Error("run succeeded")
			}
		})
	}
}

func TestRunShutsDownOnCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := run(ctx, []string{"-addr", "127.0.0.1:0"}, logger); err != nil {
		t.Errorf("run = %v, want a clean shutdown", err)
	}
}
