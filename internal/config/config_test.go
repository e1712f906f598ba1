package config

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/sethvargo/go-envconfig"
)

func load(t *testing.T, env map[string]string) *Config {
	t.Helper()
	c, err := Load(context.Background(), envconfig.MapLookuper(env))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	c := load(t, map[string]string{
		"DOCSPACE_API_HOST": "https://acme.onlyoffice.com",
		"DOCSPACE_API_KEY":  "sk-0123",
	})
	if err := c.Validate(false); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"api host", c.DocSpace.APIHost.String(), "https://acme.onlyoffice.com"},
		{"api key", c.DocSpace.APIKey.Value(), "sk-0123"},
		{"timeout", c.DocSpace.Timeout, 15 * time.Second},
		{"input subject", c.Offboarding.InputSubject, "employee.terminated"},
		{"input stream", c.Offboarding.InputStream, "EMPLOYEE"},
		{"output stream", c.Offboarding.OutputStream, "OFFBOARDING"},
		{"consumer", c.Offboarding.Consumer, "offboarding"},
		{"manage streams", c.Offboarding.ManageStreams, true},
		{"event source", c.Offboarding.EventSource, "/docspace-offboarding"},
		{"output mode", c.Offboarding.OutputMode, "structured"},
		{"data dir", c.Offboarding.DataDir, "./data"},
		{"log level", c.LogLevel, slog.LevelInfo},
		{"log format", c.LogFormat, LogAuto},
		{"nats url", c.NATS.URL, ""},
		{"sync always", c.Offboarding.SyncAlways, true},
	}
	for _, tc := range checks {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	base := map[string]string{
		"DOCSPACE_API_HOST": "https://acme.onlyoffice.com",
		"DOCSPACE_API_KEY":  "sk-0123",
	}
	tests := []struct {
		name    string
		env     map[string]string
		demo    bool
		wantErr string // substring; empty means valid
	}{
		{name: "valid", env: map[string]string{}},
		{name: "missing host", env: map[string]string{"DOCSPACE_API_HOST": ""}, wantErr: "DOCSPACE_API_HOST is required"},
		{name: "relative host", env: map[string]string{"DOCSPACE_API_HOST": "acme.onlyoffice.com"}, wantErr: "absolute http(s) URL"},
		{name: "missing key", env: map[string]string{"DOCSPACE_API_KEY": ""}, wantErr: "DOCSPACE_API_KEY is required"},
		{name: "demo needs no portal", env: map[string]string{"DOCSPACE_API_HOST": "", "DOCSPACE_API_KEY": ""}, demo: true},
		{name: "bad owner", env: map[string]string{"OFFBOARDING_ARCHIVE_OWNER_ID": "bob"}, wantErr: "OFFBOARDING_ARCHIVE_OWNER_ID must be a user GUID"},
		{name: "good owner", env: map[string]string{"OFFBOARDING_ARCHIVE_OWNER_ID": "6f1c2a8e-3d4b-4c5d-9e6f-7a8b9c0d1e2f"}},
		{name: "bad group", env: map[string]string{"OFFBOARDING_HR_GROUP_ID": "hr"}, wantErr: "OFFBOARDING_HR_GROUP_ID must be a group GUID"},
		{name: "too many writes", env: map[string]string{"DOCSPACE_MAX_PARALLEL_WRITES": "16"}, wantErr: "1..15"},
		{name: "zero concurrency", env: map[string]string{"OFFBOARDING_CONCURRENCY": "0"}, wantErr: "OFFBOARDING_CONCURRENCY"},
		{name: "bad output mode", env: map[string]string{"OFFBOARDING_OUTPUT_MODE": "xml"}, wantErr: "structured or binary"},
		{name: "audit window too long", env: map[string]string{"OFFBOARDING_AUDIT_WINDOW": "5000h"}, wantErr: "4320h"},
		{name: "max deliver zero", env: map[string]string{"OFFBOARDING_MAX_DELIVER": "0"}, wantErr: "OFFBOARDING_MAX_DELIVER"},
		{name: "bad log format", env: map[string]string{"LOG_FORMAT": "xml"}, wantErr: "LOG_FORMAT"},
		{name: "bad stream name", env: map[string]string{"OFFBOARDING_INPUT_STREAM": "A B"}, wantErr: "OFFBOARDING_INPUT_STREAM"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{}
			for k, v := range base {
				env[k] = v
			}
			for k, v := range tc.env {
				if v == "" {
					delete(env, k)
					continue
				}
				env[k] = v
			}
			err := load(t, env).Validate(tc.demo)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("Validate = %v, want nil", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("Validate = %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestLoadRejectsMalformedValues(t *testing.T) {
	t.Parallel()
	_, err := Load(context.Background(), envconfig.MapLookuper(map[string]string{"OFFBOARDING_CONCURRENCY": "many"}))
	if err == nil || !strings.Contains(err.Error(), "Concurrency") {
		t.Fatalf("Load = %v, want an error naming the field", err)
	}
}

func TestSecretNeverPrints(t *testing.T) {
	t.Parallel()
	const key = "sk-0123456789abcdef"
	c := load(t, map[string]string{"DOCSPACE_API_HOST": "https://acme.onlyoffice.com", "DOCSPACE_API_KEY": key})
	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("config", "config", c, "key", c.DocSpace.APIKey)
	outputs := map[string]string{
		"%v":   fmt.Sprintf("%v", c),
		"%+v":  fmt.Sprintf("%+v", c),
		"%#v":  fmt.Sprintf("%#v", c),
		"%s":   fmt.Sprintf("%s", c.DocSpace.APIKey),
		"%q":   fmt.Sprintf("%q", c.DocSpace.APIKey),
		"%x":   fmt.Sprintf("%x", c.DocSpace.APIKey),
		"slog": logged.String(),
	}
	for verb, out := range outputs {
		if strings.Contains(out, key) || strings.Contains(out, "0123456789abcdef") {
			t.Errorf("%s printed the key: %s", verb, out)
		}
	}
	if got := c.DocSpace.APIKey.Value(); got != key {
		t.Errorf("Value() = %q, want the key", got)
	}
}

func ExampleLoad() {
	c, err := Load(context.Background(), envconfig.MapLookuper(map[string]string{
		"DOCSPACE_API_HOST":       "https://acme.onlyoffice.com",
		"DOCSPACE_API_KEY":        "sk-example",
		"OFFBOARDING_CONCURRENCY": "8",
	}))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := c.Validate(false); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.DocSpace.APIHost.Host, c.DocSpace.APIKey, c.Offboarding.Concurrency)
	// Output: acme.onlyoffice.com [redacted] 8
}
