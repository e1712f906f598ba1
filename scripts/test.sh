#!/usr/bin/env bash
# Runs every test of the project: the Go suite with the race detector (which
# includes the cross-language test driving the official JavaScript
# CloudEvents SDK), then each fuzz target briefly.
set -euo pipefail
cd "$(dirname "$0")/.."

# The JavaScript SDK interop test needs its npm packages.
npm ci --prefix interop/js --no-audit --no-fund --loglevel=error
npm test --prefix interop/js --silent

go test -race -count=1 -timeout 20m ./...

# Fuzz each target briefly; longer runs are documented in docs/RELIABILITY.md.
# A count rather than a duration: with a duration, Go 1.26's fuzz coordinator
# can report its own deadline as "context deadline exceeded", a failure with no
# failing input (go.dev/issue/75804, fixed in Go 1.27).
fuzztime="${FUZZTIME:-20000x}"
go test ./internal/events -run '^$' -fuzz '^FuzzDecodeStructured$' -fuzztime "$fuzztime"
go test ./internal/events -run '^$' -fuzz '^FuzzDecodeBinary$' -fuzztime "$fuzztime"
go test ./internal/publisher -run '^$' -fuzz '^FuzzParseCSV$' -fuzztime "$fuzztime"
