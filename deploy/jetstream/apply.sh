#!/usr/bin/env bash
# Creates docspace-offboarding's JetStream streams, consumers and key-value
# bucket from the definitions beside this script, or brings existing ones up to
# them, with the nats CLI (github.com/nats-io/natscli). Safe to run again: what
# already matches is left as it is.
#
# For deployments that run the service with OFFBOARDING_MANAGE_STREAMS=false.
#
# Environment:
#   NATS_URL    server URL(s), comma separated; default: the nats CLI's
#               selected context, else nats://127.0.0.1:4222
#   NATS_CREDS  credentials file of an account allowed to manage JetStream;
#               default: none
#   REPLICAS    replica count for every stream, consumer and the bucket instead
#               of the definitions' 3; use 1 for a single server (1..5)
#   NATS_CLI    the nats CLI to run; default: nats
#
# Streams and consumers that differ from the files are shown as a diff and
# edited; the bucket is updated in place. The server refuses to change a
# stream's name or storage; changing num_replicas makes the cluster copy or
# drop the stream's data, which takes a while on a large stream.
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
cli=${NATS_CLI:-nats}
replicas=${REPLICAS:-}

streams=(EMPLOYEE OFFBOARDING)
input_stream=EMPLOYEE
consumers=(offboarding offboarding-cancel)

# shellcheck source=SCRIPTDIR/offboarding_state.kv.sh
source "$here/offboarding_state.kv.sh"

die() {
	echo "apply.sh: $*" >&2
	exit 1
}

command -v "$cli" >/dev/null 2>&1 ||
	die "the nats CLI ($cli) is not on PATH; install it with: go install github.com/nats-io/natscli/nats@v0.5.0"

conn=()
if [[ -n ${NATS_URL:-} ]]; then
	conn+=(--server "$NATS_URL")
fi
if [[ -n ${NATS_CREDS:-} ]]; then
	[[ -r $NATS_CREDS ]] || die "NATS_CREDS names $NATS_CREDS, which cannot be read"
	conn+=(--creds "$NATS_CREDS")
fi

nats_cli() { "$cli" ${conn[@]+"${conn[@]}"} "$@"; }

# The definitions as applied: copies with num_replicas replaced when REPLICAS
# is set, the files themselves otherwise.
defs=$here
if [[ -n $replicas ]]; then
	[[ $replicas =~ ^[1-5]$ ]] || die "REPLICAS must be 1..5, got '$replicas'"
	defs=$(mktemp -d)
	trap 'rm -rf -- "$defs"' EXIT
	for f in "$here"/*.json; do
		sed -E "s/(\"num_replicas\"[[:space:]]*:[[:space:]]*)[0-9]+/\1$replicas/" "$f" >"$defs/${f##*/}"
		grep -Eq "\"num_replicas\"[[:space:]]*:[[:space:]]*${replicas}[,[:space:]]" "$defs/${f##*/}" ||
			die "${f##*/} has no num_replicas to replace"
	done
	KV_REPLICAS=$replicas
fi

# has NAME: whether NAME is one of the lines on standard input.
has() { grep -Fxq -- "$1"; }

existing=$(nats_cli stream ls --names)
for s in "${streams[@]}"; do
	if ! has "$s" <<<"$existing"; then
		nats_cli stream add --config "$defs/$s.stream.json" >/dev/null
		echo "stream $s: created"
	elif nats_cli stream edit "$s" --config "$defs/$s.stream.json" --dry-run; then
		echo "stream $s: up to date"
	else
		nats_cli stream edit "$s" --config "$defs/$s.stream.json" --force >/dev/null
		echo "stream $s: updated"
	fi
done

existing=$(nats_cli consumer ls "$input_stream" --names)
for c in "${consumers[@]}"; do
	if ! has "$c" <<<"$existing"; then
		nats_cli consumer add "$input_stream" --config "$defs/$c.consumer.json" >/dev/null
		echo "consumer $input_stream > $c: created"
	elif nats_cli consumer edit "$input_stream" "$c" --config "$defs/$c.consumer.json" --dry-run; then
		echo "consumer $input_stream > $c: up to date"
	else
		nats_cli consumer edit "$input_stream" "$c" --config "$defs/$c.consumer.json" --force >/dev/null
		echo "consumer $input_stream > $c: updated"
	fi
done

kv=(--description "$KV_DESCRIPTION" --history "$KV_HISTORY" --replicas "$KV_REPLICAS")
if has "$KV_BUCKET" <<<"$(nats_cli kv ls --names)"; then
	nats_cli kv edit "$KV_BUCKET" "${kv[@]}" >/dev/null
	echo "key-value bucket $KV_BUCKET: updated"
else
	nats_cli kv add "$KV_BUCKET" "${kv[@]}" --storage "$KV_STORAGE" >/dev/null
	echo "key-value bucket $KV_BUCKET: created"
fi
