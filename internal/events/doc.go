// Package events is the CloudEvents codec of docspace-offboarding: it reads the input events
// (employee.terminated, employee.termination.cancelled) from NATS messages and builds the output
// events (offboarding.completed, offboarding.failed, offboarding.progress), as CONTRACT section 2
// fixes them.
//
// Events follow CloudEvents 1.0 and its NATS protocol binding, in both content modes: structured
// (the JSON event is the body) and binary (attributes in percent-encoded ce- headers, data in the
// body). A [Decoder] checks input events against the JSON Schemas of package schemas and returns a
// [*DecodeError] (matching [ErrMalformed]) that names the field at fault. An [Encoder] builds
// messages whose ids are deterministic ([ResultID], [ProgressID]), so a result published twice is
// de-duplicated by JetStream through the Nats-Msg-Id header.
//
// The package does no I/O: it turns header and body into values and back. It uses the event and
// binding packages of cloudevents/sdk-go; [Decoder.Decode] reads a NATS message through a
// binding.Message.
package events
