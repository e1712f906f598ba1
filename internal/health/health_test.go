package health

import (
	"errors"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestHandlerAndProbe(t *testing.T) {
	t.Parallel()
	var connected atomic.Bool
	srv := httptest.NewServer(Handler(func() error {
		if !connected.Load() {
			return errors.New("nats disconnected")
		}
		return nil
	}))
	defer srv.Close()
	ctx := t.Context()

	if err := Probe(ctx, srv.URL+"/healthz", time.Second); err != nil {
		t.Errorf("healthz: %v", err)
	}
	err := Probe(ctx, srv.URL+"/readyz", time.Second)
	if err == nil || !strings.Contains(err.Error(), "nats disconnected") {
		t.Errorf("readyz while disconnected = %v, want the reason", err)
	}
	connected.Store(true)
	if err := Probe(ctx, srv.URL+"/readyz", time.Second); err != nil {
		t.Errorf("readyz when ready: %v", err)
	}
	if err := Probe(ctx, "http://127.0.0.1:1/readyz", 200*time.Millisecond); err == nil {
		t.Error("probe of a closed port succeeded")
	}
}
