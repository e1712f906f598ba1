// Package chaos is the reliability harness of docspace-offboarding: it runs the
// real programs (the consumer, the DocSpace simulator and nats-server) as
// processes, drives terminations into them through the operators' publisher,
// breaks things on purpose (kill -9, restarts, network cuts, DocSpace errors,
// resets, latency and hung jobs) and then checks, from the outside only, that
// every termination was carried out exactly once.
//
// The outside is what an auditor could see: the simulator's control API
// (GET /state: users, entries, room members, and the count of every mutating
// DocSpace call) and the OFFBOARDING and EMPLOYEE streams read back with a
// plain JetStream client. Nothing reads the service's key-value state.
//
// A Scenario names one kind of fault; Run executes it on a fresh company,
// fresh DocSpace and fresh NATS storage, and returns a Row of figures:
// offboardings attempted, completed and lost, duplicated DocSpace side
// effects, duplicate result events, acknowledged publishes lost, and the
// longest recovery (from the end of a fault to the next result published).
// cmd/chaos runs the suite and writes the figures into docs/RELIABILITY.md.
package chaos
