package natstest

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

func TestJetStreamPublishAndRead(t *testing.T) {
	t.Parallel()
	js, _, _ := JetStream(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "T", Subjects: []string{"t.>"}}); err != nil {
		t.Fatalf("create stream: %v", err)
	}
	ack, err := js.Publish(ctx, "t.a", []byte("hello"))
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	if ack.Sequence != 1 {
		t.Errorf("sequence = %d, want 1", ack.Sequence)
	}
}

func TestClusterSurvivesANode(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("cluster start takes seconds")
	}
	c := StartCluster(t, 3)
	nc := Connect(t, c.URLs(), nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond))
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "R", Subjects: []string{"r.>"}, Replicas: 3}); err != nil {
		t.Fatalf("create R3 stream: %v", err)
	}
	if _, err := js.Publish(ctx, "r.1", []byte("1")); err != nil {
		t.Fatalf("publish: %v", err)
	}
	c.Stop(0)
	// Reconnecting and electing new leaders takes a moment, more on a loaded
	// machine: retry within a deadline of its own.
	fctx, fcancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer fcancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		pctx, pcancel := context.WithTimeout(fctx, 2*time.Second)
		_, err := js.Publish(pctx, "r.2", []byte("2"))
		pcancel()
		if err == nil {
			break
		}
		select {
		case <-fctx.Done():
			t.Fatalf("publish with a node down: %v", err)
		case <-tick.C:
		}
	}
	s, err := js.Stream(fctx, "R")
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(fctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 2 {
		t.Errorf("messages = %d, want 2", info.State.Msgs)
	}
}
