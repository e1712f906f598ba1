package consumer

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
)

// deployJetStreamDir holds the stream and consumer definitions operators apply
// themselves (deploy/jetstream/apply.sh) when OFFBOARDING_MANAGE_STREAMS=false.
const deployJetStreamDir = "../../deploy/jetstream"

// deployReplicas is the replica count of the deploy/ definitions: production
// runs a three-node cluster.
const deployReplicas = 3

// The deploy/ files hold each definition as the server stores it, so that
// `nats stream edit --config` and `nats consumer edit --config` find nothing to
// change. The server fills in what the service's definitions leave at zero;
// the helpers below apply the same defaults to the service's definitions
// before comparing. Every field is compared: a setting added on either side
// fails the test.

// storedStream is cfg as a server stores it.
func storedStream(cfg jetstream.StreamConfig) jetstream.StreamConfig {
	unlimited := func(v *int64) {
		if *v == 0 {
			*v = -1
		}
	}
	unlimited(&cfg.MaxMsgs)
	unlimited(&cfg.MaxBytes)
	unlimited(&cfg.MaxMsgsPerSubject)
	if cfg.MaxConsumers == 0 {
		cfg.MaxConsumers = -1
	}
	if cfg.MaxMsgSize == 0 {
		cfg.MaxMsgSize = -1
	}
	// Message schedules need roll-ups; the server turns them on.
	if cfg.AllowMsgSchedules {
		cfg.AllowRollup = true
	}
	return cfg
}

// storedConsumer is cfg as a server stores it.
func storedConsumer(cfg jetstream.ConsumerConfig) jetstream.ConsumerConfig {
	if cfg.Name == "" {
		cfg.Name = cfg.Durable
	}
	if cfg.MaxAckPending == 0 && cfg.AckPolicy != jetstream.AckNonePolicy {
		cfg.MaxAckPending = server.JsDefaultMaxAckPending
	}
	if cfg.MaxWaiting == 0 && cfg.DeliverSubject == "" {
		cfg.MaxWaiting = server.JSWaitQueueDefaultMax
	}
	return cfg
}

// equateEmpty ignores the difference between an empty and a missing metadata
// map: the files say {} so that the nats CLI sees no change.
func equateEmpty() cmp.Option { return cmpopts.EquateEmpty() }

// readDeployJSON decodes a deploy/jetstream file, refusing fields that v does
// not have (a misspelt key would otherwise be dropped silently, here and by the
// nats CLI).
func readDeployJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(deployJetStreamDir, name))
	if err != nil {
		t.Fatalf("read definition: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
	if dec.More() {
		t.Fatalf("decode %s: more than one JSON value", name)
	}
}

func TestDeployStreamDefinitions(t *testing.T) {
	t.Parallel()
	topo := DefaultTopology()
	topo.Replicas = deployReplicas

	tests := []struct {
		file string
		want jetstream.StreamConfig
	}{
		{file: "EMPLOYEE.stream.json", want: topo.InputStreamConfig()},
		{file: "OFFBOARDING.stream.json", want: topo.OutputStreamConfig()},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			var got jetstream.StreamConfig
			readDeployJSON(t, tt.file, &got)
			if diff := cmp.Diff(got, storedStream(tt.want), equateEmpty()); diff != "" {
				t.Errorf("%s differs from the service's definition (-file +service):\n%s", tt.file, diff)
			}
			// The fields the service depends on, named so a failure reads plainly
			// even if the normalisation above were wrong.
			checks := []struct {
				field     string
				got, want any
			}{
				{"name", got.Name, tt.want.Name},
				{"subjects", got.Subjects, tt.want.Subjects},
				{"storage", got.Storage, tt.want.Storage},
				{"num_replicas", got.Replicas, deployReplicas},
				{"duplicate_window", got.Duplicates, tt.want.Duplicates},
				{"allow_msg_schedules", got.AllowMsgSchedules, tt.want.AllowMsgSchedules},
			}
			for _, c := range checks {
				if !cmp.Equal(c.got, c.want) {
					t.Errorf("%s: %s = %v, want %v", tt.file, c.field, c.got, c.want)
				}
			}
		})
	}
}

func TestDeployConsumerDefinitions(t *testing.T) {
	t.Parallel()
	topo := DefaultTopology()
	topo.Replicas = deployReplicas

	tests := []struct {
		file string
		want jetstream.ConsumerConfig
	}{
		{file: "offboarding.consumer.json", want: topo.ConsumerConfig()},
		{file: "offboarding-cancel.consumer.json", want: topo.CancelConsumerConfig()},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			var got jetstream.ConsumerConfig
			readDeployJSON(t, tt.file, &got)
			if diff := cmp.Diff(got, storedConsumer(tt.want), equateEmpty()); diff != "" {
				t.Errorf("%s differs from the service's definition (-file +service):\n%s", tt.file, diff)
			}
			checks := []struct {
				field     string
				got, want any
			}{
				{"durable_name", got.Durable, tt.want.Durable},
				{"name", got.Name, tt.want.Durable},
				{"filter_subject", got.FilterSubject, tt.want.FilterSubject},
				{"ack_policy", got.AckPolicy, tt.want.AckPolicy},
				{"ack_wait", got.AckWait, tt.want.AckWait},
				{"max_deliver", got.MaxDeliver, tt.want.MaxDeliver},
				{"deliver_policy", got.DeliverPolicy, tt.want.DeliverPolicy},
				{"num_replicas", got.Replicas, deployReplicas},
			}
			for _, c := range checks {
				if !cmp.Equal(c.got, c.want) {
					t.Errorf("%s: %s = %v, want %v", tt.file, c.field, c.got, c.want)
				}
			}
		})
	}
}

// TestDeployDefinitionsCovered fails when deploy/jetstream gains a definition
// that no test above compares with the service.
func TestDeployDefinitionsCovered(t *testing.T) {
	t.Parallel()
	got, err := filepath.Glob(filepath.Join(deployJetStreamDir, "*.json"))
	if err != nil {
		t.Fatalf("list definitions: %v", err)
	}
	for i, p := range got {
		got[i] = filepath.Base(p)
	}
	slices.Sort(got)
	want := []string{
		"EMPLOYEE.stream.json",
		"OFFBOARDING.stream.json",
		"offboarding-cancel.consumer.json",
		"offboarding.consumer.json",
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("definitions in deploy/jetstream (-got +want):\n%s", diff)
	}
}
