// Package docspacetest is the DocSpace simulator: an http.Handler that behaves as ONLYOFFICE DocSpace 3.7's
// REST API does, quirks included, over in-memory state. Tests, the demo and benchmarks use it in place of a
// real portal, so it is strict where DocSpace is strict.
//
// It owns the portal state (users, groups, API keys, folders, rooms, files, shares, audit and login events,
// reassign and remove jobs, file operations, webhooks), DocSpace's request pipeline (case-insensitive
// routing with typed segments, API-key authentication and scopes, the per-user rate limiter, the unpaid
// portal filter), its envelopes and error shapes, and the tools tests need around them: builders and
// fixtures, inspection that returns copies, fault injection (5xx, 429 bursts, latency, connection resets,
// 402, stuck jobs), a record of every call, and request statistics.
//
// Background jobs are evaluated lazily from the clock (Options.Now): progress is a function of elapsed
// time and each step's effect is applied once, when due, at the start of the next request or inspection.
// With a ManualClock tests need no sleeps.
//
// Start serves a simulator on httptest behind the OpenAPI validator of package apispec.
package docspacetest
