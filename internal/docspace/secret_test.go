package docspace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// verbs are the fmt verbs a key could leak through.
var verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v"}

func assertNoKey(t *testing.T, what, out string) {
	t.Helper()
	for _, leak := range []string{testKey, testKey[3:20], "0123456789abcdef0123"} {
		if strings.Contains(out, leak) {
			t.Errorf("%s leaks the key: %q", what, out)
		}
	}
	// %x of the raw key would show its hex bytes.
	if strings.Contains(out, fmt.Sprintf("%x", testKey)[:24]) {
		t.Errorf("%s leaks the key in hex: %q", what, out)
	}
}

func TestSecretRedaction(t *testing.T) {
	t.Parallel()
	s := NewSecret(testKey)
	for _, v := range verbs {
		assertNoKey(t, "Secret "+v, fmt.Sprintf(v, s))
	}
	if got := fmt.Sprintf("%#v", s); got != `docspace.Secret{[REDACTED]}` {
		t.Errorf("%%#v = %s", got)
	}
	if got := fmt.Sprint(s); got != "[REDACTED]" {
		t.Errorf("%%v = %s", got)
	}
	b, err := json.Marshal(struct{ K Secret }{s})
	if err != nil || string(b) != `{"K":"[REDACTED]"}` {
		t.Errorf("json = %s, %v", b, err)
	}
	if s.IsZero() || !(Secret{}).IsZero() || s.reveal() != testKey {
		t.Error("IsZero or reveal does not reflect the value")
	}
}

func TestOptionsAndClientRedaction(t *testing.T) {
	t.Parallel()
	opts := Options{BaseURL: "https://acme.onlyoffice.com", APIKey: NewSecret(testKey)}
	c, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	values := map[string]any{
		"Options": opts, "*Options": &opts, "*Client": c, "Client": *c,
		"client key": c.key, "nested": struct{ O Options }{opts}, "slice": []Options{opts},
		// fmt walks unexported fields by reflection, without calling methods.
		"unexported Options": struct{ o Options }{opts}, "unexported Secret": struct{ s Secret }{opts.APIKey},
		"unexported Client": struct{ c Client }{*c},
	}
	for name, v := range values {
		for _, verb := range verbs {
			assertNoKey(t, name+" "+verb, fmt.Sprintf(verb, v))
		}
	}
	if got := fmt.Sprintf("%#v", opts); !strings.Contains(got, `APIKey:docspace.Secret{[REDACTED]}`) {
		t.Errorf("%%#v of Options = %s, want the redacted key in Go syntax", got)
	}
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var buf bytes.Buffer
		slog.New(h(&buf)).Info("configured", "options", opts, "key", opts.APIKey, "client", c, "clientKey", c.key)
		assertNoKey(t, "slog "+name, buf.String())
		if !strings.Contains(buf.String(), "[REDACTED]") {
			t.Errorf("slog %s: no placeholder in %s", name, buf.String())
		}
	}
}

func TestErrorsNeverShowTheKey(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t,
		reply{status: 401},
		reply{status: 403, body: `{"error":{"message":"Access denied","type":"System.Security.SecurityException"},"status":1,"statusCode":403}`},
		reply{block: true},
	)
	c, _ := ts.client(func(o *Options) { o.Timeout = 20 * time.Millisecond; o.Retry.MaxAttempts = 1 })
	var errs []error
	_, err := c.Self(context.Background())
	errs = append(errs, err)
	_, err = c.User(context.Background(), leaverID)
	errs = append(errs, err)
	_, err = c.UserByEmail(context.Background(), "jane@acme.com")
	errs = append(errs, err)
	_, err = New(Options{BaseURL: "https://acme.onlyoffice.com", APIKey: NewSecret(testKey + " x")})
	errs = append(errs, err)
	for i, err := range errs {
		if err == nil {
			t.Fatalf("call %d succeeded", i)
		}
		for _, verb := range verbs {
			assertNoKey(t, fmt.Sprintf("error %d %s", i, verb), fmt.Sprintf(verb, err))
		}
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			assertNoKey(t, "APIError fields", fmt.Sprintf("%#v", *apiErr))
		}
	}
	if msg := errs[2].Error(); strings.Contains(msg, "jane") {
		t.Errorf("transport error shows the query string: %q", msg)
	}
}
