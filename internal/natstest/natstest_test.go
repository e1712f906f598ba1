package natstest

import (
	"context"
	"testing"
	"time"

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
	nc := Connect(t, c.URLs())
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
	// A new stream leader may take a moment: retry within the context's deadline.
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		_, err := js.Publish(ctx, "r.2", []byte("2"))
		if err == nil {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("publish with a node down: %v", err)
		case <-tick.C:
		}
	}
	s, err := js.Stream(ctx, "R")
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 2 {
		t.Errorf("messages = %d, want 2", info.State.Msgs)
	}
}
