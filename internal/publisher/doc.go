// Package publisher is the HR side of docspace-offboarding: it publishes employee.terminated and
// employee.termination.cancelled events to NATS JetStream, one or a whole CSV file at a time, and
// follows the offboarding.progress, offboarding.completed and offboarding.failed events the service
// answers with. The operators' command line (cmd/publish) is a thin layer over it, and the
// service's end-to-end tests publish through it.
//
// Every event is validated before anything is published: it is built with [events.Encoder] and
// read back with [events.Decoder], the consumer's own rules, so an event the service would refuse
// is refused here, with an error ([ErrInvalid], [*ValidationError]) naming the field. Every publish
// waits for JetStream's acknowledgement and carries a Nats-Msg-Id derived from the event's type,
// source and id, so a publish retried within the input stream's duplicate window is stored once
// ([Published.Duplicate] tells).
//
// [Publisher.Wait] follows the output stream with an ordered consumer that starts a little before
// the publish, and only then looks the terminations up in the checkpoint store, so a result
// published in between is never missed and a termination that finished long ago is found at once.
package publisher
