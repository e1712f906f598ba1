package consumer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Topology names the streams and consumers the service uses (docs/CONTRACT.md §1).
type Topology struct {
	InputStream   string // EMPLOYEE, over employee.>
	OutputStream  string // OFFBOARDING, over offboarding.>
	InputSubject  string // employee.terminated
	CancelSubject string // employee.termination.cancelled
	// ScheduleSubjectPrefix is where terminations wait for their effectiveAt
	// (a scheduled message per termination); it must lie inside the input stream.
	ScheduleSubjectPrefix string
	// Consumer is the durable consumer of terminations; CancelConsumer the one
	// of cancellations, separate so a cancellation never waits behind the
	// terminations it may stop.
	Consumer       string
	CancelConsumer string

	Replicas        int
	DuplicateWindow time.Duration
	AckWait         time.Duration
	// MaxDeliver of the termination consumer; -1 for unlimited.
	MaxDeliver    int
	MaxAckPending int
}

// DefaultTopology is the contract's topology.
func DefaultTopology() Topology {
	return Topology{
		InputStream:           "EMPLOYEE",
		OutputStream:          "OFFBOARDING",
		InputSubject:          "employee.terminated",
		CancelSubject:         "employee.termination.cancelled",
		ScheduleSubjectPrefix: "employee.scheduled.",
		Consumer:              "offboarding",
		CancelConsumer:        "offboarding-cancel",
		Replicas:              1,
		DuplicateWindow:       2 * time.Minute,
		AckWait:               60 * time.Second,
		MaxDeliver:            -1,
		MaxAckPending:         64,
	}
}

// InputStreamConfig is the input stream's definition.
func (t Topology) InputStreamConfig() jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:              t.InputStream,
		Description:       "HR events: employee.terminated, employee.termination.cancelled, and terminations waiting for their effectiveAt",
		Subjects:          []string{"employee.>"},
		Storage:           jetstream.FileStorage,
		Replicas:          max(t.Replicas, 1),
		Duplicates:        t.DuplicateWindow,
		AllowMsgSchedules: true,
	}
}

// OutputStreamConfig is the output stream's definition.
func (t Topology) OutputStreamConfig() jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:        t.OutputStream,
		Description: "Offboarding results, progress and the dead letter",
		Subjects:    []string{"offboarding.>"},
		Storage:     jetstream.FileStorage,
		Replicas:    max(t.Replicas, 1),
		Duplicates:  t.DuplicateWindow,
	}
}

// ConsumerConfig is the termination consumer's definition.
func (t Topology) ConsumerConfig() jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable:       t.Consumer,
		Description:   "docspace-offboarding: terminations",
		FilterSubject: t.InputSubject,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       t.AckWait,
		MaxDeliver:    t.MaxDeliver,
		MaxAckPending: t.MaxAckPending,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		Replicas:      max(t.Replicas, 1),
	}
}

// CancelConsumerConfig is the cancellation consumer's definition.
func (t Topology) CancelConsumerConfig() jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable:       t.CancelConsumer,
		Description:   "docspace-offboarding: cancellations",
		FilterSubject: t.CancelSubject,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       30 * time.Second,
		MaxDeliver:    -1,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		Replicas:      max(t.Replicas, 1),
	}
}

// Ensure creates the streams and consumers that are missing, and brings the
// consumers' settings (ack wait, max deliver, ...) up to date. Existing
// streams are left as they are, after checking they carry the subjects.
func Ensure(ctx context.Context, js jetstream.JetStream, t Topology) error {
	for _, cfg := range []jetstream.StreamConfig{t.InputStreamConfig(), t.OutputStreamConfig()} {
		s, err := js.Stream(ctx, cfg.Name)
		switch {
		case errors.Is(err, jetstream.ErrStreamNotFound):
			if _, err := js.CreateStream(ctx, cfg); err != nil {
				return fmt.Errorf("create stream %s: %w", cfg.Name, err)
			}
		case err != nil:
			return fmt.Errorf("look up stream %s: %w", cfg.Name, err)
		default:
			if err := checkSubjects(s.CachedInfo().Config, cfg.Subjects[0]); err != nil {
				return err
			}
		}
	}
	return ensureConsumers(ctx, js, t)
}

func ensureConsumers(ctx context.Context, js jetstream.JetStream, t Topology) error {
	for _, cfg := range []jetstream.ConsumerConfig{t.ConsumerConfig(), t.CancelConsumerConfig()} {
		if _, err := js.CreateOrUpdateConsumer(ctx, t.InputStream, cfg); err != nil {
			return fmt.Errorf("create or update consumer %s on %s: %w", cfg.Durable, t.InputStream, err)
		}
	}
	return nil
}

// Check verifies that the streams and consumers exist, for deployments that
// manage them outside the service.
func Check(ctx context.Context, js jetstream.JetStream, t Topology) error {
	var errs []error
	for _, name := range []string{t.InputStream, t.OutputStream} {
		if _, err := js.Stream(ctx, name); err != nil {
			errs = append(errs, fmt.Errorf("stream %s: %w (create it from deploy/, or set OFFBOARDING_MANAGE_STREAMS=true)", name, err))
		}
	}
	for _, name := range []string{t.Consumer, t.CancelConsumer} {
		if _, err := js.Consumer(ctx, t.InputStream, name); err != nil {
			errs = append(errs, fmt.Errorf("consumer %s on %s: %w (create it from deploy/, or set OFFBOARDING_MANAGE_STREAMS=true)", name, t.InputStream, err))
		}
	}
	return errors.Join(errs...)
}

func checkSubjects(cfg jetstream.StreamConfig, want string) error {
	for _, s := range cfg.Subjects {
		if s == want {
			return nil
		}
	}
	return fmt.Errorf("stream %s exists with subjects %v; it must carry %s", cfg.Name, cfg.Subjects, want)
}
